//! Exercises of notebooks/27-score-sdes-and-edm.ipynb.
