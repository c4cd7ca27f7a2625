//! (to be written) score matching and Langevin sampling.
//!
//! Used in notebooks/25-score-matching.ipynb.
