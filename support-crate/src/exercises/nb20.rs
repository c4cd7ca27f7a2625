//! Exercises of notebook 20 (being written: issue 5).
