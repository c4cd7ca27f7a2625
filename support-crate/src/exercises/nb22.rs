//! Exercises of notebook 22 (being written: issue 5).
