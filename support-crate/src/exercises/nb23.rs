//! Exercises of notebooks/23-variational-autoencoders.ipynb.
