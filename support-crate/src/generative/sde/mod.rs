//! Score-based generative modelling with SDEs (Song et al. 2021; Karras et al. 2022).
//!
//! | file | what |
//! |---|---|
//! | `vp_ve` | VP and VE SDEs, marginals in closed form, reverse SDE (Euler–Maruyama), probability-flow ODE (Heun) |
//! | `likelihood` | log-likelihood by the instantaneous change of variables (exact trace, Hutchinson) |
//! | `edm` | Karras et al.: σ(t) = t, preconditioning, ρ = 7 steps, Heun vs Euler |
//! | `edm_stochastic` | Karras et al.'s Algorithm 2: churn ($S_{\rm churn}$, $S_{\rm tmin}$, $S_{\rm tmax}$, $S_{\rm noise}$) then a Heun step |
//! | `mixture_w1` | the exact $W_1$ between a 1-D sample and a 1-D Gaussian mixture |
//! | `edm_reverse_sde` | the reverse SDE of σ(t) = t by Euler–Maruyama (the stochastic baseline of Heun) |
//! | `training` | training an EDM denoiser: `train_edm`, `EdmModel` (denoise, score, Heun/Euler/EM samplers) |
//!
//! Any score model plugs in as `&dyn Fn(&Array2<f64>, f64) -> Array2<f64>` (batch × dim, time
//! time $t$ in $[0, 1]$); [`Sde::mixture_score`] is the exact score of a Gaussian-mixture data law.
//!
//! Used in notebooks/32-score-sdes-and-edm.ipynb.

mod edm;
mod edm_reverse_sde;
mod edm_stochastic;
mod mixture_w1;
mod likelihood;
mod training;
mod vp_ve;

pub use edm::{edm_euler, edm_heun, edm_nfe, edm_sample_mixture, karras_sigmas, DenoiserFn, EdmPreconditioning};
pub use edm_reverse_sde::edm_euler_maruyama;
pub use edm_stochastic::{churn_noise, edm_stochastic, edm_stochastic_mixture, edm_stochastic_nfe, edm_stochastic_step, underrated_noise_denoiser, Churn};
pub use mixture_w1::{mixture_quantiles, mixture_w1};
pub use likelihood::{pf_ode_divergence, pf_ode_log_likelihood, pf_ode_log_likelihood_hutchinson, pf_ode_log_likelihood_with_prior};
pub use training::{train_edm, EdmModel, EdmTraining};
pub use vp_ve::{pf_ode_drift, probability_flow, reverse_sde, ScoreFn, Sde};
