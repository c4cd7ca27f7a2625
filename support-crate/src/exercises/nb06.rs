//! Exercises of notebook 06 (to be written for issue 4).
