//! Generative models: sample-quality metrics and 2-D targets generated in code.
//!
//! A generative model is judged by how far its samples are from the target distribution. Part V
//! measures that distance on targets whose density is known or easy to sample, generated in
//! code (no downloads), and compares each model with the simplest baseline: a Gaussian fitted
//! to the data.
//!
//! | module | what |
//! |---|---|
//! | [`metrics`] | energy distance, MMD² with a Gaussian kernel, sliced Wasserstein, the fitted-Gaussian baseline |
//! | [`targets`] | Swiss roll, moons, circles, rings and grids of Gaussians (exact density and score), a double well |
//!
//! Used in notebooks/23-variational-autoencoders.ipynb to notebooks/31-capstone-and-journal-club.ipynb.

pub mod metrics;
pub mod targets;

