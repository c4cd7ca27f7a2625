//! Exercises of notebook 15 (being written: issue 5).
