//! Exercises of notebook 03 (to be written for issue 4).
