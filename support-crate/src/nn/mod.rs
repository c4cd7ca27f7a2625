//! Neural networks on burn (ndarray backend, autodiff), behind the `nn` feature.
//!
//! Generic burn code (models, training loops) is compiled once, here, and exposed through
//! concrete, non-generic functions: a notebook cell that calls them compiles in about a second,
//! where a cell holding a generic burn training loop would compile for many.
//!
//! Load with `:dep course = { path = "../support-crate", features = ["nn"] }`.

mod mlp;

pub use mlp::{Activation, FitReport, Regressor, fit_regressor_1d};

/// The backend for inference: burn's ndarray backend in `f32`.
pub type Inner = burn::backend::NdArray<f32>;
/// The backend for training: [`Inner`] with reverse-mode autodiff.
pub type Train = burn::backend::Autodiff<Inner>;
