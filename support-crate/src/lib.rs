//! # course — the support library of *Mathematics of Deep Learning and Generative AI*
//!
//! The notebooks in `notebooks/` load this crate with
//!
//! ```text
//! :dep course = { path = "../support-crate" }
//! use course::prelude::*;
//! ```
//!
//! and keep only the idea being taught inline. The modules mirror the course:
//!
//! | module | what | first used in |
//! |---|---|---|
//! | [`rng`] | seeded ChaCha generators, normal/uniform draws | 00 |
//! | [`plot`] | figures (SVG, inline) and tables | 00 |
//! | [`check`] | assertions with messages that explain the mathematics | 00 |
//! | [`exercises`] | check functions for the exercises, with feedback | 00 |
//! | [`stats`] | mean, variance, MSE, density histograms | 00 |
//! | [`linalg`] | triangular solves, LU, Cholesky, QR, SVD, symmetric eigen, norms, κ, pinv, Eckart–Young, randomized SVD, PCA, SVT | 01 |
//! | [`learning`] | perceptron, least squares, polynomial features, ridge, bias–variance; shallow ReLU nets, sawtooth, random features; a two-layer net with hand-derived gradients | 01, 08, 19–22 |
//! | [`data`] | toy data sets generated in code, seeded (images, shapes, sequences) | 00 |
//! | [`optim`] | GD, SGD and step schedules, heavy ball, Nesterov, RMSprop, Adam; histories and fitted rates | 04 |
//! | [`autodiff`] | dual numbers (forward mode), a tape (reverse mode), finite differences | 06 |
//! | [`dynamics`] | vector fields, Euler, RK4, Dormand–Prince, fixed points, stability, Lyapunov exponents | 07 |
//! | [`probability`] | populations, the normal law, LLN/CLT, Berry–Esseen, χ², Markov/Chebyshev/Hoeffding/Bernstein bounds, conditional expectation as a projection, modes of convergence | 11 |
//! | [`stochastic`] | Brownian paths, Itô integrals, Markov chains, optional stopping, Euler–Maruyama and Milstein, strong/weak errors, GBM and Ornstein–Uhlenbeck exactly, Fokker–Planck | 12 |
//! | [`inference`] | Gaussian conditioning, Kalman filter, kernels, kernel ridge and GP regression, variational inference | 13, 15 |
//! | [`sampling`] | log-densities, Monte Carlo and importance sampling, Metropolis–Hastings, Gibbs, ULA/MALA, HMC, autocorrelation and ESS | 14 |
//! | [`mixture`] | Gaussian mixtures by EM, k-means | 16 |
//! | [`graphical`] | Ising model, RBMs with contrastive divergence, Bayesian networks, variable elimination, belief propagation, CPT learning | 17, 18 |
//! | [`theory`] | the empirical and infinite-width NTK, linearized dynamics, lazy vs mean-field training, particles | 19, 20 |
//! | [`rl`] | finite MDPs, gridworlds, value and policy iteration, Q-learning, fitted Q-iteration, Baird's counterexample | 21 |
//! | [`pde`] | PINNs, finite differences, neural ODEs, closures, Black–Scholes and a deep BSDE | 22 |
//! | [`generative`] | Part V: sample-quality metrics, 2-D targets, the time-conditioned MLP, VAEs, GANs, score matching, DDPM, score SDEs and EDM, flows and flow matching, control-based sampling, Schrödinger bridges, applications | 23–31 |
//! | [`nn`] | deep MLPs, CNN, RNN/LSTM, residual/highway nets on burn (in the nn engine), training loops with gradient norms | 06, 09, 10 |
//!
//! Every public item has an example that asserts a number, and the tests compare against
//! closed forms, identities and independent implementations.

// The crates the course is built on, so that notebooks can name their types without `:dep`.
pub use ndarray;
pub use plotters;
pub use rand;
pub use rand_distr;

pub mod autodiff;
pub mod check;
pub mod data;
pub mod dynamics;
pub mod exercises;
pub mod generative;
pub mod graphical;
pub mod inference;
pub mod learning;
pub mod linalg;
pub mod mixture;
pub mod nn;
pub mod optim;
pub mod pde;
pub mod plot;
pub mod prelude;
pub mod probability;
pub mod rl;
pub mod rng;
pub mod sampling;
pub mod stats;
pub mod stochastic;
pub mod theory;

/// `n` equally spaced points from `low` to `high` inclusive (NumPy's `linspace`).
///
/// # Panics
/// If `n < 2`.
///
/// # Examples
/// ```
/// assert_eq!(course::linspace(0.0, 1.0, 5), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
/// ```
pub fn linspace(low: f64, high: f64, n: usize) -> Vec<f64> {
    assert!(n >= 2, "linspace: n must be >= 2, got {n}");
    let step = (high - low) / (n - 1) as f64;
    (0..n).map(|i| if i == n - 1 { high } else { low + i as f64 * step }).collect()
}
