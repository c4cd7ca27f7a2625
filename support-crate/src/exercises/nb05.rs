//! Exercises of notebook 05 (to be written for issue 4).
