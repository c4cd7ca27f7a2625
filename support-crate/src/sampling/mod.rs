//! Sampling: Monte Carlo and Markov chain Monte Carlo.
//!
//! Used in notebooks/14-monte-carlo-and-mcmc.ipynb and later.

mod metropolis;

pub use metropolis::{Chain, random_walk_metropolis};
