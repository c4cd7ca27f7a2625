//! Exercises of notebook 21 (being written: issue 5).
