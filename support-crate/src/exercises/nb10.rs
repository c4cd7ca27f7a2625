//! Exercises of notebook 10 (to be written for issue 4).
