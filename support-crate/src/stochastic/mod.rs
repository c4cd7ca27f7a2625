//! Stochastic processes and SDE integrators.
//!
//! $$dX_t = \mu(t, X_t)\,dt + \sigma(t, X_t)\,dW_t$$
//!
//! Used in notebooks/12-stochastic-processes-and-sdes.ipynb and Part V (diffusion models).

mod euler_maruyama;

pub use euler_maruyama::{FnSde, GeometricBrownianMotion, OrnsteinUhlenbeck, ScalarSde, euler_maruyama_paths, euler_maruyama_terminal};
