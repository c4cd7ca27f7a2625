//! A multilayer perceptron $x \mapsto W_L\sigma(\cdots\sigma(W_1x+b_1)\cdots)+b_L$ and a
//! full-batch Adam fit of a 1-D regression target.
//!
//! ## Reference
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), ch. 6; Kingma & Ba (2015), *Adam*.

use crate::wire::{Value, WireError};
use crate::{Inner, Train, registry};
use burn::module::{AutodiffModule, Module};
use burn::nn::{Linear, LinearConfig};
use burn::optim::{AdamConfig, GradientsParams, Optimizer};
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData};
use std::sync::Mutex;
use std::time::Instant;

static INIT_LOCK: Mutex<()> = Mutex::new(());

/// The nonlinearity between layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Tanh,
}

#[derive(Module, Debug)]
struct Mlp<B: Backend> {
    layers: Vec<Linear<B>>,
    tanh: bool,
}

impl<B: Backend> Mlp<B> {
    fn new(widths: &[usize], activation: Activation, device: &B::Device) -> Self {
        let layers = widths.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
        Mlp { layers, tanh: activation == Activation::Tanh }
    }

    fn forward(&self, mut x: Tensor<B, 2>) -> Tensor<B, 2> {
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if i < last {
                x = if self.tanh { burn::tensor::activation::tanh(x) } else { burn::tensor::activation::relu(x) };
            }
        }
        x
    }
}

/// A trained 1-D regressor $\hat f:\mathbb R\to\mathbb R$.
#[derive(Debug)]
pub struct Regressor {
    model: Mlp<Inner>,
}

impl Regressor {
    /// $\hat f$ at each point of `x`.
    pub fn predict(&self, x: &[f64]) -> Vec<f64> {
        let device = Default::default();
        let out = self.model.forward(column::<Inner>(x, &device));
        out.into_data().to_vec::<f32>().expect("f32 output").into_iter().map(f64::from).collect()
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.model.num_params()
    }
}

/// What a fit did (the course crate's type: the loss after each step and the wall-clock time).
pub use course::nn::FitReport;

/// Fits an MLP with hidden widths `hidden` to `(x, y)` by full-batch Adam on the mean squared
/// error, for `n_steps` steps at learning rate `lr`, from a seeded initialization.
///
/// # Panics
/// If `x` and `y` differ in length or are empty, `hidden` is empty, or `lr <= 0`.
///
#[allow(clippy::too_many_arguments)]
pub fn fit_regressor_1d(
    x: &[f64],
    y: &[f64],
    hidden: &[usize],
    activation: Activation,
    n_steps: usize,
    lr: f64,
    seed: u64,
) -> (Regressor, FitReport) {
    assert_eq!(x.len(), y.len(), "fit_regressor_1d: x and y differ in length, {} and {}", x.len(), y.len());
    assert!(!x.is_empty(), "fit_regressor_1d: x must not be empty");
    assert!(!hidden.is_empty(), "fit_regressor_1d: hidden must list at least one width");
    assert!(lr > 0.0 && lr.is_finite(), "fit_regressor_1d: lr must be > 0, got {lr}");
    let device = Default::default();
    let widths: Vec<usize> = std::iter::once(1).chain(hidden.iter().copied()).chain(std::iter::once(1)).collect();
    let mut model = {
        // burn's backend RNG is global: hold the lock from seeding to the last draw, so that
        // concurrent fits (tests run in threads) cannot interleave and every seed reproduces.
        let _guard = INIT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        Train::seed(&device, seed);
        let model = Mlp::<Train>::new(&widths, activation, &device);
        // Parameters are initialized lazily, at first use: draw them now, under the lock.
        let _ = model.forward(Tensor::zeros([1, 1], &device));
        model
    };
    let mut optim = AdamConfig::new().init::<Train, Mlp<Train>>();
    let (xt, yt) = (column::<Train>(x, &device), column::<Train>(y, &device));
    let start = Instant::now();
    let mut losses = Vec::with_capacity(n_steps);
    for _ in 0..n_steps {
        let err = model.forward(xt.clone()) - yt.clone();
        let loss = (err.clone() * err).mean();
        losses.push(f64::from(loss.clone().into_scalar()));
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(lr, model, grads);
    }
    let seconds = start.elapsed().as_secs_f64();
    (Regressor { model: model.valid() }, FitReport { losses, seconds })
}

fn column<B: Backend>(v: &[f64], device: &B::Device) -> Tensor<B, 2> {
    let data: Vec<f32> = v.iter().map(|&a| a as f32).collect();
    Tensor::from_data(TensorData::new(data, [v.len(), 1]), device)
}


impl Activation {
    fn parse(name: &str) -> Result<Activation, WireError> {
        match name {
            "relu" => Ok(Activation::Relu),
            "tanh" => Ok(Activation::Tanh),
            _ => Err(WireError(format!("activation must be \"relu\" or \"tanh\", got {name:?}"))),
        }
    }
}

/// `fit_regressor_1d(x, y, hidden, activation, n_steps, lr, seed)` → `[handle, losses, seconds]`.
pub fn fit_regressor_1d_op(args: &Value) -> Result<Value, WireError> {
    let a = args.items(7)?;
    let (model, report) = fit_regressor_1d(
        a[0].f64s()?,
        a[1].f64s()?,
        &a[2].usizes()?,
        Activation::parse(a[3].str()?)?,
        a[4].usize()?,
        a[5].f64()?,
        a[6].u64()?,
    );
    Ok(Value::List(vec![registry::insert(model).into(), report.losses.into(), report.seconds.into()]))
}

/// `regressor_predict(handle, x)` → predictions.
pub fn predict_op(args: &Value) -> Result<Value, WireError> {
    let a = args.items(2)?;
    let x = a[1].f64s()?;
    registry::with(a[0].u64()?, |m: &Regressor| m.predict(x).into())
}

/// `regressor_n_params(handle)` → number of parameters.
pub fn n_params_op(args: &Value) -> Result<Value, WireError> {
    registry::with(args.u64()?, |m: &Regressor| (m.n_params() as u64).into())
}
