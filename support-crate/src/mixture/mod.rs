//! Mixture models: Gaussian mixtures fitted by EM, k-means.
//!
//! | file | concept |
//! |---|---|
//! | `gmm` | 2-D Gaussian mixtures: log-likelihood, responsibilities, ELBO, M-step, EM, gradient ascent |
//! | `kmeans` | Lloyd's algorithm with k-means++ seeding |
//!
//! Used in notebooks/16-hidden-variables-and-em.ipynb.

mod gmm;
mod kmeans;

pub use gmm::{EmFit, EmMode, Gmm, covariance_ellipse, fit_em, gradient_ascent_means, log_sum_exp};
pub use kmeans::{KMeans, assign, kmeans, kmeans_plus_plus, lloyd};
