//! Denoising diffusion probabilistic models (DDPM, DDIM): the mathematics that needs no trained
//! network.
//!
//! | file | what |
//! |---|---|
//! | `schedule` | linear and cosine β schedules, $\bar\alpha_t$, SNR |
//! | `forward` | $q(x_t\mid x_0)$ in closed form, the one-step kernel, the posterior $q(x_{t-1}\mid x_t, x_0)$ |
//! | `sampling` | ancestral DDPM and DDIM (η = 0 and η > 0) for any ε-predictor |
//! | `elbo` | $L = L_T + \sum L_{t-1} + L_0$ with Gaussian KLs; exact for 1-D Gaussian data |
//! | `mixture_oracle` | a Gaussian-mixture data law whose noised scores and $\varepsilon^*$ are exact |
//! | `training` | ε-prediction training of a [`DdpmModel`] (a time-conditioned MLP) on samples of the data |
//!
//! Any ε-predictor plugs in as `&dyn Fn(&Array2<f64>, usize) -> Array2<f64>` (batch × dim,
//! step index $t\in\{1,\dots,T\}$); the exact $\varepsilon^*$ of [`GaussianMixture`] is the
//! oracle the tests use.
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb and 32-score-sdes-and-edm.ipynb.

mod elbo;
mod forward;
mod mixture_oracle;
mod sampling;
mod schedule;
mod training;

pub use elbo::{ddpm_elbo_gaussian, ddpm_elbo_mc, ddpm_log_likelihood_gaussian, gaussian_kl, ElboTerms};
pub use mixture_oracle::GaussianMixture;
pub use sampling::{
    ddim_sample, ddim_sample_mixture, ddim_timesteps, ddpm_sample, ddpm_sample_mixture, ddpm_sample_path, reverse_mean, standard_normal,
    EpsModel, ReverseVariance,
};
pub use schedule::NoiseSchedule;
pub use training::{ddpm_training_batch, train_ddpm, DdpmModel, DenoiserTraining, Prediction};
