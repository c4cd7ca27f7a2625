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
//! | `deep_mlp` | deep MLP with batch norm, dropout, residual or highway blocks; gradients layer by layer | 09, 10 |
//! | `training` | the minibatch loop (SGD/Adam) with per-layer gradient norms | 09, 10 |
//! | `conv` | convolution as a Toeplitz matrix; burn's conv layers | 10 |
//! | `cnn` | a small CNN for images | 10 |
//! | `recurrent` | RNN and LSTM cells, gradient through time | 10 |
//! | `residual` | a ResNet as the forward Euler scheme of an ODE | 10 |
//!
//! Load with `:dep course = { path = "../support-crate", features = ["nn"] }`.

mod batch_norm;
mod cnn;
mod conv;
mod convert;
mod deep_mlp;
mod dropout;
mod init;
mod mlp;
mod recurrent;
mod residual;
mod training;

pub use batch_norm::batch_norm;
pub use cnn::{Cnn, CnnConfig, train_cnn};
pub use conv::{conv_output_len, conv1d_burn, conv1d_matrix, conv2d_burn, conv2d_matrix};
pub use deep_mlp::{Block, DeepMlp, HIGHWAY_GATE_BIAS, GradientProfile, MlpConfig, gradient_profile, train_mlp};
pub use dropout::dropout_mask;
pub use init::{Init, orthogonal};
pub use mlp::{Activation, FitReport, Regressor, fit_regressor_1d};
pub use recurrent::{Cell, RecurrentConfig, RecurrentModel, gradient_through_time, train_recurrent};
pub use residual::resnet_flow;
pub use training::{OptimizerKind, TrainConfig, TrainReport};

/// The backend for inference: burn's ndarray backend in `f32`.
pub type Inner = burn::backend::NdArray<f32>;
/// The backend for training: [`Inner`] with reverse-mode autodiff.
pub type Train = burn::backend::Autodiff<Inner>;
