//! Exercises of notebooks/28-flows-and-flow-matching.ipynb.
