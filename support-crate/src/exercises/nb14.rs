//! Exercises of notebook 14 (being written: issue 5).
