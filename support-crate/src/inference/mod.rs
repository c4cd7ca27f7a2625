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
//! | GP with a composite kernel (trend + seasonal + irregular + noise), evidence fit | [`CompositeHyper`], [`CompositePosterior`], [`composite_log_marginal_likelihood`], [`composite_lml_and_gradient`], [`composite_fit_hyper`], [`CompositeFit`], [`composite_sample_prior`] | `composite_gp.rs` |
//! | KL between Gaussians | [`kl_gaussian`], [`kl_mvn`] | `kl.rs` |
//! | forward vs reverse KL fits to a mixture | [`GaussianMixture1d`] | `kl_fits.rs` |
//! | ELBO and its gap, normal-mean model | [`NormalMeanModel`] | `elbo.rs` |
//! | CAVI for Normal with unknown mean and precision | [`NormalGammaPrior`], [`NormalGammaPosterior`], [`CaviState`], [`CaviResult`] | `cavi.rs` |
//! | reparameterization vs score-function gradients | [`reparam_gradient_samples`], [`score_gradient_samples`], [`square_gradient_variances`] | `gradient_estimators.rs` |
//! | $\ln\Gamma$, digamma | [`ln_gamma`], [`digamma`] | `special.rs` |
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb and
//! notebooks/18-variational-inference.ipynb.

mod cavi;
mod composite_gp;
mod elbo;
mod gaussian;
mod gp;
mod gradient_estimators;
mod kalman;
mod kernel_ridge;
mod kernels;
mod kl;
mod kl_fits;
mod special;
mod spd;

pub use cavi::{CaviResult, CaviState, NormalGammaPosterior, NormalGammaPrior};
pub use composite_gp::{CompositeFit, CompositeHyper, CompositePosterior, composite_fit_hyper, composite_lml_and_gradient, composite_log_marginal_likelihood, composite_sample_prior};
pub use elbo::NormalMeanModel;
pub use gaussian::{condition, joint_of_linear_gaussian, linear_gaussian_posterior, mvn_log_density, normal_normal_posterior};
pub use gp::{GpFit, GpHyper, GpPosterior, gp_fit_hyper, gp_lml_gradient, gp_log_hyper_standard_errors, gp_log_marginal_likelihood, gp_sample_prior};
pub use gradient_estimators::{reparam_gradient_samples, score_gradient_samples, square_gradient_variances};
pub use kalman::{KalmanOutput, LinearGaussianSsm};
pub use kernel_ridge::{KernelRidge, polynomial_features};
pub use kernels::{Kernel, is_psd, min_eigenvalue};
pub use kl::{kl_gaussian, kl_mvn};
pub use kl_fits::GaussianMixture1d;
pub use spd::SpdFactor;
pub use special::{digamma, ln_gamma};
