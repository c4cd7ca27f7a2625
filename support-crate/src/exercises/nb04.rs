//! Exercises of notebook 04 (to be written for issue 4).
