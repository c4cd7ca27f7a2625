//! Exercises of notebook 13 (being written: issue 5).
