//! Exercises of notebook 18 (being written: issue 5).
