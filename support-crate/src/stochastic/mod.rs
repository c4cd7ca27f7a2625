//! Stochastic processes and SDE integrators.
//!
//! $$dX_t = \mu(t, X_t)\,dt + \sigma(t, X_t)\,dW_t$$
//!
//! | concept | file | items |
//! |---|---|---|
//! | Brownian motion, Itô integral, quadratic variation, Donsker | `brownian.rs` | [`brownian_paths`], [`brownian_increments`], [`ito_integral_w_dw`], [`ito_l2_errors`], [`scaled_random_walk`], [`brownian_bridge_refine`] |
//! | finite Markov chains | `markov_chain.rs` | [`MarkovChain`], [`empirical_frequencies`] |
//! | martingales, optional stopping | `optional_stopping.rs` | [`gamblers_ruin`], [`StoppedWalks`] |
//! | Euler–Maruyama | `euler_maruyama.rs` | [`ScalarSde`], [`FnSde`], [`GeometricBrownianMotion`], [`OrnsteinUhlenbeck`], [`euler_maruyama_terminal`], [`euler_maruyama_paths`], [`euler_maruyama_from_increments`] |
//! | Milstein | `milstein.rs` | [`milstein_step`], [`milstein_from_increments`], [`milstein_terminal`], [`milstein_paths`] |
//! | Ornstein–Uhlenbeck, exactly | `ornstein_uhlenbeck.rs` | `OrnsteinUhlenbeck::{exact_step, exact_paths, density}` |
//! | strong and weak errors | `error.rs` | [`Scheme`], [`strong_errors`], [`weak_errors`], [`ErrorCurve`] |
//! | Fokker–Planck | `fokker_planck.rs` | [`fokker_planck_1d`], [`FokkerPlanckSolution`] |
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb and Part V (diffusion models).

mod brownian;
mod error;
mod euler_maruyama;
mod fokker_planck;
mod markov_chain;
mod milstein;
mod optional_stopping;
mod ornstein_uhlenbeck;
#[cfg(test)]
mod notebook_checks;

pub use brownian::{brownian_bridge_refine, brownian_increments, brownian_paths, ito_integral_w_dw, ito_l2_errors, paths_from_increments, quadratic_variation, scaled_random_walk, stratonovich_integral_w_dw};
pub use error::{ErrorCurve, Scheme, strong_errors, weak_errors};
pub use euler_maruyama::{FnSde, GeometricBrownianMotion, OrnsteinUhlenbeck, ScalarSde, euler_maruyama_from_increments, euler_maruyama_paths, euler_maruyama_terminal};
pub use fokker_planck::{FokkerPlanckSolution, fokker_planck_1d};
pub use markov_chain::{MarkovChain, empirical_frequencies};
pub use milstein::{milstein_from_increments, milstein_paths, milstein_step, milstein_terminal};
pub use optional_stopping::{StoppedWalks, gamblers_ruin};
