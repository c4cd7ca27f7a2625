//! Neural networks, trained by burn (ndarray backend, reverse-mode autodiff) in the nn engine.
//!
//! The burn code lives in `nn-engine/`, a shared library compiled once in release mode; this
//! module is its interface: concrete functions on plain Rust data (`&[f64]`, `Vec<f64>`,
//! report structs) and handles to trained models. The Rust kernel then never analyses or links
//! burn, so a notebook that trains networks answers as fast as one that does not (see
//! nn-engine/Cargo.toml for the measurements behind this design).
//!
//! ```
//! use course::nn::{fit_regressor_1d, Activation};
//! let x = course::linspace(-1.0, 1.0, 32);
//! let y: Vec<f64> = x.iter().map(|t| t * t).collect();
//! let (model, report) = fit_regressor_1d(&x, &y, &[16], Activation::Tanh, 200, 1e-2, 0);
//! assert!(report.losses[199] < report.losses[0]);
//! assert_eq!(model.n_params(), 16 + 16 + 16 + 1);
//! ```

pub(crate) mod engine;
mod mlp;
#[doc(hidden)]
pub mod wire;

pub use mlp::{Activation, FitReport, Regressor, fit_regressor_1d};

/// Number of models the engine currently holds for this process (each [`Regressor`] etc. holds
/// one until dropped).
pub fn live_models() -> usize {
    engine::call("live_handles", wire::Value::Unit).usize().expect("a count")
}
