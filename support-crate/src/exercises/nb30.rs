//! Exercises of notebooks/30-schrodinger-bridges.ipynb.
