//! Inference: Gaussian conditioning, the Kalman filter, kernels, kernel ridge and
//! Gaussian-process regression, variational inference.
//!
//! | concept | items | file |
//! |---|---|---|
//! | SPD solves by Cholesky | [`SpdFactor`] | `spd.rs` |
//! | Gaussian conditioning, normal–normal | [`condition`], [`linear_gaussian_posterior`], [`joint_of_linear_gaussian`], [`normal_normal_posterior`], [`mvn_log_density`] | `gaussian.rs` |
//! | Kalman filter | [`LinearGaussianSsm`], [`KalmanOutput`] | `kalman.rs` |
//! | kernels, Gram matrices, PSD | [`Kernel`], [`min_eigenvalue`], [`is_psd`] | `kernels.rs` |
//! | kernel ridge, representer theorem | [`KernelRidge`], [`polynomial_features`] | `kernel_ridge.rs` |
//! | GP regression, marginal likelihood | [`GpHyper`], [`GpPosterior`], [`gp_log_marginal_likelihood`], [`gp_lml_gradient`], [`gp_fit_hyper`], [`gp_log_hyper_standard_errors`], [`gp_sample_prior`] | `gp.rs` |
//! | $\ln\Gamma$, digamma | [`ln_gamma`], [`digamma`] | `special.rs` |
//!
//! Used in notebooks/13-inference-kernels-and-gaussian-processes.ipynb and
//! notebooks/15-variational-inference.ipynb.

mod gaussian;
mod gp;
mod kalman;
mod kernel_ridge;
mod kernels;
mod special;
mod spd;

pub use gaussian::{condition, joint_of_linear_gaussian, linear_gaussian_posterior, mvn_log_density, normal_normal_posterior};
pub use gp::{GpFit, GpHyper, GpPosterior, gp_fit_hyper, gp_lml_gradient, gp_log_hyper_standard_errors, gp_log_marginal_likelihood, gp_sample_prior};
pub use kalman::{KalmanOutput, LinearGaussianSsm};
pub use kernel_ridge::{KernelRidge, polynomial_features};
pub use kernels::{Kernel, is_psd, min_eigenvalue};
pub use spd::SpdFactor;
pub use special::{digamma, ln_gamma};
