//! Exercises of notebook 17 (being written: issue 5).
