//! The gradient of the course's running example $f(x)=\ln(1+\lVert x\rVert^2)+\sum_i\sin(x_i)x_{i+1}$
//! by burn's reverse-mode autodiff, for notebook 06 (`course::autodiff::burn_gradient_of_example`).
//!
//! On the engine's `f32` training backend: burn keeps one float dtype per device and process,
//! and an `NdArray<f64>` next to the `f32` models breaks them.

use crate::wire::{Value, WireError};
use burn::tensor::{Tensor, TensorData};

type B = crate::Train;

/// The gradient of the example at `x` (at least 2 entries).
pub fn gradient(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    assert!(n >= 2, "burn_gradient_of_example: x must have at least 2 entries, got {n}");
    let device = Default::default();
    let t = Tensor::<B, 1>::from_data(TensorData::new(x.to_vec(), [n]), &device).require_grad();
    let norm2 = (t.clone() * t.clone()).sum();
    let coupling = (t.clone().narrow(0, 0, n - 1).sin() * t.clone().narrow(0, 1, n - 1)).sum();
    let f = (norm2 + 1.0).log() + coupling;
    let grads = f.backward();
    let g = t.grad(&grads).expect("x requires a gradient");
    g.into_data().to_vec::<f32>().expect("f32 gradient").into_iter().map(f64::from).collect()
}

/// `autodiff_example_gradient(x)` → the gradient.
pub fn gradient_op(args: &Value) -> Result<Value, WireError> {
    Ok(gradient(args.f64s()?).into())
}
