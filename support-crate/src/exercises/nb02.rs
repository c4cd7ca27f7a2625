//! Exercises of notebook 02 (to be written for issue 4).
