//! Exercises of notebook 16 (being written: issue 5).
