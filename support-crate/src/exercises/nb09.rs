//! Exercises of notebook 09 (to be written for issue 4).
