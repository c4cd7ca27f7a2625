//! Exercises of notebook 11 (being written: issue 5).
