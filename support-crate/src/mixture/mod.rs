//! Mixture models: Gaussian mixtures fitted by EM, k-means.
//!
//! | file | concept |
//! |---|---|
//! | `gmm` | Gaussian mixtures in $\mathbb R^d$: log-likelihood, responsibilities, ELBO, M-step, EM (with restarts), gradient ascent, marginals, BIC |
//! | `kmeans` | Lloyd's algorithm with k-means++ seeding |
//! | `matching` | a clustering's accuracy against classes under the best relabelling |
//!
//! Used in notebooks/19-hidden-variables-and-em.ipynb.

mod gmm;
mod kmeans;
mod matching;

pub use gmm::{EmFit, EmMode, EmRestarts, Gmm, covariance_ellipse, fit_em, fit_em_restarts, gradient_ascent_means, log_sum_exp};
pub use kmeans::{KMeans, assign, kmeans, kmeans_plus_plus, lloyd};
pub use matching::{ClusterMatch, cluster_accuracy};
