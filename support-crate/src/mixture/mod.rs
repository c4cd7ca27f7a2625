//! Mixture models: Gaussian mixtures fitted by EM, k-means.
//!
//! (Being written: issue 5.)
