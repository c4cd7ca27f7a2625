//! The engine operations behind `course::nn`'s deep-learning API (notebooks 09–10): decode the
//! arguments, call the burn code, keep models in the registry, encode the results.

use super::cnn::{Cnn, train_cnn};
use super::conv::{conv1d_burn, conv2d_burn};
use super::deep_mlp::{DeepMlp, gradient_profile, train_mlp};
use super::recurrent::{RecurrentModel, train_recurrent};
use super::residual::resnet_flow;
use super::transformer::{SequenceNet, train_flat_mlp, train_transformer};
use course::nn::TransformerConfig;
use ndarray::Array3;
use crate::registry;
use crate::wire::{Value, WireError};
use course::data::sequences::SequenceTask;
use course::nn::codec::Wire;
use course::nn::{CnnConfig, MlpConfig, RecurrentConfig, TrainConfig};
use ndarray::Array2;

fn a2(v: &Value) -> Result<Array2<f64>, WireError> {
    Array2::from_wire(v)
}

/// `mlp_init(cfg, seed)` → handle.
pub fn mlp_init(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    Ok(registry::insert(DeepMlp::init(&MlpConfig::from_wire(&a[0])?, a[1].u64()?)).into())
}

/// `mlp_predict(handle, x)` → matrix.
pub fn mlp_predict(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    let x = a2(&a[1])?;
    registry::with(a[0].u64()?, |m: &DeepMlp| m.predict(&x).to_wire())
}

/// `gradient_profile(cfg, x, y, seed)` → profile.
pub fn mlp_gradient_profile(args: &Value) -> Result<Value, WireError> {
    let a = args.items(4)?;
    Ok(gradient_profile(&MlpConfig::from_wire(&a[0])?, &a2(&a[1])?, &a2(&a[2])?, a[3].u64()?).to_wire())
}

/// `train_mlp(cfg, x, y, tc)` → `[handle, report]`.
pub fn mlp_train(args: &Value) -> Result<Value, WireError> {
    let a = args.items(4)?;
    let (net, report) = train_mlp(&MlpConfig::from_wire(&a[0])?, &a2(&a[1])?, &a2(&a[2])?, &TrainConfig::from_wire(&a[3])?);
    Ok(Value::List(vec![registry::insert(net).into(), report.to_wire()]))
}

/// `train_cnn(images, labels, cfg, tc)` → `[handle, report]`.
pub fn cnn_train(args: &Value) -> Result<Value, WireError> {
    let a = args.items(4)?;
    let labels = a[1].usizes()?;
    let (cnn, report) = train_cnn(&a2(&a[0])?, &labels, &CnnConfig::from_wire(&a[2])?, &TrainConfig::from_wire(&a[3])?);
    Ok(Value::List(vec![registry::insert(cnn).into(), report.to_wire()]))
}

/// `cnn_logits(handle, images)` → matrix.
pub fn cnn_logits(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    let images = a2(&a[1])?;
    registry::with(a[0].u64()?, |m: &Cnn| m.logits(&images).to_wire())
}

/// `cnn_filters(handle)` → list of 3×3 matrices.
pub fn cnn_filters(args: &Value) -> Result<Value, WireError> {
    registry::with(args.u64()?, |m: &Cnn| m.filters().to_wire())
}

/// `recurrent_init(cfg, seed)` → handle.
pub fn recurrent_init(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    Ok(registry::insert(RecurrentModel::init(&RecurrentConfig::from_wire(&a[0])?, a[1].u64()?)).into())
}

/// `recurrent_predict(handle, task)` → matrix.
pub fn recurrent_predict(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    let task = SequenceTask::from_wire(&a[1])?;
    registry::with(a[0].u64()?, |m: &RecurrentModel| m.predict(&task).to_wire())
}

/// `recurrent_gradient_through_time(handle, task)` → norms.
pub fn recurrent_gradient_through_time(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    let task = SequenceTask::from_wire(&a[1])?;
    registry::with(a[0].u64()?, |m: &RecurrentModel| Value::F64s(m.gradient_through_time(&task)))
}

/// `train_recurrent(cfg, task, tc)` → `[handle, report]`.
pub fn recurrent_train(args: &Value) -> Result<Value, WireError> {
    let a = args.items(3)?;
    let (m, report) = train_recurrent(&RecurrentConfig::from_wire(&a[0])?, &SequenceTask::from_wire(&a[1])?, &TrainConfig::from_wire(&a[2])?);
    Ok(Value::List(vec![registry::insert(m).into(), report.to_wire()]))
}

/// `conv1d_burn(x, kernel, stride)` → values.
pub fn conv1d(args: &Value) -> Result<Value, WireError> {
    let a = args.items(3)?;
    Ok(Value::F64s(conv1d_burn(a[0].f64s()?, a[1].f64s()?, a[2].usize()?)))
}

/// `conv2d_burn(image, kernel)` → matrix.
pub fn conv2d(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    Ok(conv2d_burn(&a2(&a[0])?, &a2(&a[1])?).to_wire())
}

/// `resnet_flow(w, b, x0, t_end, n_layers)` → matrix.
pub fn resnet(args: &Value) -> Result<Value, WireError> {
    let a = args.items(5)?;
    Ok(resnet_flow(&a2(&a[0])?, a[1].f64s()?, &a2(&a[2])?, a[3].f64()?, a[4].usize()?).to_wire())
}

/// `train_transformer(cfg, inputs, labels, tc)` → `[handle, report]`.
pub fn transformer_train(args: &Value) -> Result<Value, WireError> {
    let a = args.items(4)?;
    let (net, report) = train_transformer(&TransformerConfig::from_wire(&a[0])?, &Array3::from_wire(&a[1])?, &a[2].usizes()?, &TrainConfig::from_wire(&a[3])?);
    Ok(Value::List(vec![registry::insert(net).into(), report.to_wire()]))
}

/// `train_flat_mlp(hidden, n_classes, inputs, labels, tc)` → `[handle, report]`.
pub fn flat_mlp_train(args: &Value) -> Result<Value, WireError> {
    let a = args.items(5)?;
    let (net, report) = train_flat_mlp(a[0].usize()?, a[1].usize()?, &Array3::from_wire(&a[2])?, &a[3].usizes()?, &TrainConfig::from_wire(&a[4])?);
    Ok(Value::List(vec![registry::insert(net).into(), report.to_wire()]))
}

/// `sequence_logits(handle, inputs)` → matrix.
pub fn sequence_logits(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    let x = Array3::from_wire(&a[1])?;
    registry::with(a[0].u64()?, |m: &SequenceNet| m.logits(&x).to_wire())
}

/// `transformer_attention(handle, inputs)` → list of `T × T` matrices.
pub fn transformer_attention(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    let x = Array3::from_wire(&a[1])?;
    registry::with(a[0].u64()?, |m: &SequenceNet| m.attention_maps(&x).to_wire())
}

/// `transformer_weights(handle)` → list of matrices (vectors as rows).
pub fn transformer_weights(args: &Value) -> Result<Value, WireError> {
    registry::with(args.u64()?, |m: &SequenceNet| m.weights().to_wire())
}
