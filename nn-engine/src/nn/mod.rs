//! The burn side of `course::nn`: models, the training loop and the operations that expose
//! them (see [`ops`]). The plain data types (configurations, reports) are the course crate's.

pub mod activation;
pub mod batch_norm;
pub mod cnn;
pub mod conv;
pub mod convert;
pub mod deep_mlp;
pub mod dense;
pub mod ops;
pub mod recurrent;
pub mod residual;
pub mod training;
pub mod transformer;

pub use crate::{Inner, Train};
pub use course::nn::{
    Activation, Block, Cell, CnnConfig, GradientProfile, HIGHWAY_GATE_BIAS, Init, MlpConfig, OptimizerKind, RecurrentConfig, TrainConfig,
    TrainReport, TransformerConfig, dropout_mask, orthogonal,
};
