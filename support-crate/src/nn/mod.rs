//! Neural networks, trained by burn (ndarray backend, reverse-mode autodiff) in the nn engine.
//!
//! The burn code lives in `nn-engine/`, a shared library compiled once in release mode; this
//! module is its interface: configuration structs (`Copy`, so a notebook can vary one field at
//! a time), concrete functions on plain data (`&[f64]`, ndarray matrices) that return report
//! structs, and handles to trained models. The Rust kernel then never analyses or links burn,
//! so a notebook that trains networks answers as fast as one that does not (see
//! nn-engine/Cargo.toml for the measurements behind this design). What needs no burn (the
//! Toeplitz matrices of a convolution, batch norm's formula, initialization schemes, dropout
//! masks) is computed here, in `f64`.
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
//! | `attention` | scaled dot-product and multi-head attention, positional encodings (`f64` reference) | 34 |
//! | `transformer` | a one-block transformer and a flat MLP on key–value recall | 34 |
//!
//! ```
//! use course::nn::{fit_regressor_1d, Activation};
//! let x = course::linspace(-1.0, 1.0, 32);
//! let y: Vec<f64> = x.iter().map(|t| t * t).collect();
//! let (model, report) = fit_regressor_1d(&x, &y, &[16], Activation::Tanh, 200, 1e-2, 0);
//! assert!(report.losses[199] < report.losses[0]);
//! assert_eq!(model.n_params(), 16 + 16 + 16 + 1);
//! ```

mod attention;
mod batch_norm;
mod cnn;
#[doc(hidden)]
pub mod codec;
mod conv;
mod deep_mlp;
mod dropout;
pub(crate) mod engine;
mod init;
mod mlp;
mod recurrent;
mod residual;
mod training;
mod transformer;
#[doc(hidden)]
pub mod wire;

pub use attention::{LAYER_NORM_EPSILON, MultiHeadAttention, TransformerWeights, attention_weights, layer_norm, relative_rotation, scaled_dot_product_attention, sinusoidal_encoding, softmax_rows};
pub use batch_norm::{EPSILON as BATCH_NORM_EPSILON, batch_norm};
pub use cnn::{Cnn, CnnConfig, train_cnn};
pub use conv::{conv_output_len, conv1d_burn, conv1d_matrix, conv2d_burn, conv2d_matrix};
pub use deep_mlp::{Block, DeepMlp, GradientProfile, HIGHWAY_GATE_BIAS, MlpConfig, gradient_profile, train_mlp};
pub use dropout::dropout_mask;
pub use init::{Init, orthogonal};
pub use mlp::{Activation, FitReport, Regressor, fit_regressor_1d};
pub use recurrent::{Cell, RecurrentConfig, RecurrentModel, gradient_through_time, train_recurrent};
pub use residual::resnet_flow;
pub use training::{OptimizerKind, TrainConfig, TrainReport};
pub use transformer::{KeyValueRecall, SequenceClassifier, SequenceModel, TransformerConfig, train_flat_mlp, train_transformer};

/// Number of models the engine currently holds for this process (each [`Regressor`],
/// [`DeepMlp`], [`Cnn`] or [`RecurrentModel`] holds one until dropped).
pub fn live_models() -> usize {
    engine::call("live_handles", wire::Value::Unit).usize().expect("a count")
}
