//! Exercises of notebooks/24-gans-and-wasserstein-gans.ipynb.
