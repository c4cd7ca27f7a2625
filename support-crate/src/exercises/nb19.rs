//! Exercises of notebook 19 (being written: issue 5).
