//! Exercises of notebooks/25-score-matching.ipynb.
