//! Exercises of notebook 12 (being written: issue 5).
