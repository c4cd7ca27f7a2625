//! Neural networks on burn (ndarray backend, autodiff), behind the `nn` feature.
//!
//! Generic burn code (models, training loops) is compiled once, here, and exposed through
//! concrete, non-generic functions that take and return plain data (`f64`, `Vec`, ndarray
//! matrices, `Copy` configuration structs, report structs): a notebook cell that calls them
//! compiles in about a second, where a cell holding a generic burn training loop would compile
//! for many.
//!
//! | file | concept | notebook |
//! |---|---|---|
//! | `mlp` | a small MLP and a full-batch Adam fit in 1-D | bench |
//! | `init` | Xavier, He, too small, too large | 09 |
//! | `dropout` | inverted dropout masks | 09 |
//! | `batch_norm` | batch normalization | 09 |
//! | `deep_mlp` | deep MLP with batch norm and dropout; gradients layer by layer | 09 |
//! | `training` | the minibatch loop (SGD/Adam) with per-layer gradient norms | 09, 10 |
//!
//! Load with `:dep course = { path = "../support-crate", features = ["nn"] }`.

mod batch_norm;
mod convert;
mod deep_mlp;
mod dropout;
mod init;
mod mlp;
mod training;

pub use batch_norm::batch_norm;
pub use deep_mlp::{DeepMlp, GradientProfile, MlpConfig, gradient_profile, train_mlp};
pub use dropout::dropout_mask;
pub use init::Init;
pub use mlp::{Activation, FitReport, Regressor, fit_regressor_1d};
pub use training::{OptimizerKind, TrainConfig, TrainReport};

/// The backend for inference: burn's ndarray backend in `f32`.
pub type Inner = burn::backend::NdArray<f32>;
/// The backend for training: [`Inner`] with reverse-mode autodiff.
pub type Train = burn::backend::Autodiff<Inner>;
