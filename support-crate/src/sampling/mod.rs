//! Sampling: Monte Carlo, importance sampling and Markov chain Monte Carlo.
//!
//! | file | concept |
//! |---|---|
//! | `log_density` | the [`LogDensity`] trait and the targets: Gaussian, banana, bimodal |
//! | `monte_carlo` | plain Monte Carlo and its $1/\sqrt n$ error |
//! | `importance` | importance sampling, self-normalized estimates, weight ESS |
//! | `metropolis` | random-walk Metropolis |
//! | `discrete_chain` | Metropolis–Hastings on a finite state space, detailed balance |
//! | `gibbs` | Gibbs samplers (Gaussian, banana, bimodal by augmentation) |
//! | `langevin` | ULA and MALA, ULA's $O(h)$ bias |
//! | `hmc` | leapfrog and Hamiltonian Monte Carlo |
//! | `diagnostics` | autocorrelation, integrated autocorrelation time, ESS |
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb and later.

mod diagnostics;
mod discrete_chain;
mod gibbs;
mod hmc;
mod importance;
mod langevin;
mod log_density;
mod metropolis;
mod monte_carlo;

pub use diagnostics::{McEstimate, autocorrelation, effective_sample_size, integrated_autocorr_time, mcmc_estimate};
pub use discrete_chain::{detailed_balance_gap, evolve, metropolis_matrix, total_variation};
pub use gibbs::{gibbs_banana, gibbs_bimodal, gibbs_gaussian_2d};
pub use hmc::{hamiltonian, hmc, leapfrog, leapfrog_energy_error};
pub use importance::{ImportanceSample, importance_sample, normal_tail, weight_ess};
pub use langevin::{UlaBias, mala, ula, ula_gaussian_variance, ula_variance_bias};
pub use log_density::{Banana, Bimodal, CorrelatedGaussian, LogDensity, StandardGaussian};
pub use metropolis::{Chain, metropolis, random_walk_metropolis};
pub use monte_carlo::mc_rmse;

