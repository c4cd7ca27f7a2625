//! Score matching and Langevin sampling: learn $\nabla\log p$ from samples, then sample with it.
//!
//! The **score** of a density $p$ on $\mathbb R^d$ is $s(x) = \nabla_x\log p(x)$; it does not see the
//! normalizing constant, and Langevin dynamics $dX = s(X)\,dt + \sqrt2\,dW$ samples $p$ from it alone.
//! Three objectives fit a model $s_\theta$ to it:
//! $$J_{\rm ESM} = \tfrac12\mathbb E|s_\theta - \nabla\log p|^2,\quad
//! J_{\rm ISM} = \mathbb E\big[\tfrac12|s_\theta|^2 + \nabla\cdot s_\theta\big],\quad
//! J_{\rm DSM} = \tfrac12\mathbb E\big|s_\theta(x+\sigma z) + z/\sigma\big|^2,$$
//! equal up to constants (ISM to ESM; DSM to ESM of the smoothed density $p_\sigma$).
//!
//! | item | what |
//! |---|---|
//! | [`RbfFeatures`] | Gaussian RBF features and their gradients |
//! | [`LinearScore`], [`esm_objective`], [`ism_objective`], [`dsm_objective`], [`fit_esm`], [`fit_ism`], [`fit_dsm`], [`grid_quadrature`] | the three objectives for $s_\Theta = \Theta^\top\varphi$ and their closed-form minimizers |
//! | [`langevin_step`], [`langevin`], [`annealed_langevin`], [`geometric_sigmas`] | samplers driven by any score closure |
//! | [`kernel_score`], [`kernel_log_density`], [`kernel_score_error`], [`kl_to_kernel_density`], [`girsanov_kl_bound`] | the kernel (empirical-Bayes) score estimator, its rate in $n$, and the KL of its samples |
//! | [`NoiseConditionalScore`] | a neural $s_\theta(x, \sigma)$ (NCSN) trained by DSM over a ladder of $\sigma$ |
//!
//! ## Reference
//! A. Hyvärinen (2005); P. Vincent (2011), *A connection between score matching and denoising
//! autoencoders*; Y. Song & S. Ermon (2019), *Generative modeling by estimating gradients of the
//! data distribution*.
//!
//! Used in notebooks/30-score-matching.ipynb and 33-guided-diffusion-and-statistical-rates.ipynb.

mod features;
mod langevin;
mod ncsn;
mod objectives;

pub use features::RbfFeatures;
pub use langevin::{annealed_langevin, geometric_sigmas, langevin, langevin_step};
pub use ncsn::NoiseConditionalScore;
pub use objectives::{LinearScore, dsm_objective, dsm_target, esm_objective, fit_dsm, fit_esm, fit_ism, grid_quadrature, ism_objective};
mod kernel_score;
pub use kernel_score::{girsanov_kl_bound, kernel_log_density, kernel_score, kernel_score_error, kernel_score_error_on, kl_to_kernel_density};
