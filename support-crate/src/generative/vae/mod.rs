//! (to be written) variational autoencoders.
//!
//! Used in notebooks/23-variational-autoencoders.ipynb.
