//! (to be written) GANs and Wasserstein GANs.
//!
//! Used in notebooks/24-gans-and-wasserstein-gans.ipynb.
