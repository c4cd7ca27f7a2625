//! A multilayer perceptron $x \mapsto W_L\sigma(\cdots\sigma(W_1x+b_1)\cdots)+b_L$ and a
//! full-batch Adam fit of a 1-D regression target.
//!
//! ## Reference
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), ch. 6; Kingma & Ba (2015), *Adam*.

use crate::nn::dense::{Act, AdamState, DenseNet, Tape};
use crate::wire::{Value, WireError};
use crate::{Inner, registry};
use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::backend::Backend;
use burn::tensor::Tensor;
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
    net: DenseNet,
}

impl Regressor {
    /// $\hat f$ at each point of `x`.
    pub fn predict(&self, x: &[f64]) -> Vec<f64> {
        let xs: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        self.net.predict(&xs, x.len()).into_iter().map(f64::from).collect()
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.net.params().len()
    }
}

/// What a fit did (the course crate's type: the loss after each step and the wall-clock time).
pub use course::nn::FitReport;

/// Fits an MLP with hidden widths `hidden` to `(x, y)` by full-batch Adam on the mean squared
/// error, for `n_steps` steps at learning rate `lr`, from a seeded initialization (burn's, as
/// ever; the steps run in the fused trainer of `crate::nn::dense`).
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
    let mut net = {
        // burn's backend RNG is global: hold the lock from seeding to the last draw, so that
        // concurrent fits (tests run in threads) cannot interleave and every seed reproduces.
        let _guard = INIT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        Inner::seed(&device, seed);
        let model = Mlp::<Inner>::new(&widths, activation, &device);
        // Parameters are initialized lazily, at first use: draw them now, under the lock.
        let _ = model.forward(Tensor::zeros([1, 1], &device));
        DenseNet::from_linears(&model.layers, if activation == Activation::Tanh { Act::Tanh } else { Act::Relu })
    };
    let (xs, ys): (Vec<f32>, Vec<f32>) = (x.iter().map(|&v| v as f32).collect(), y.iter().map(|&v| v as f32).collect());
    let n = x.len();
    let mut adam = AdamState::new(net.params().len());
    let (mut tape, mut grad, mut g_out) = (Tape::default(), vec![0.0; net.params().len()], vec![0.0f32; n]);
    let start = Instant::now();
    let mut losses = Vec::with_capacity(n_steps);
    for _ in 0..n_steps {
        net.forward(&xs, n, &mut tape);
        // L = (1/n) Σ (f(x_i) − y_i)², ∂L/∂f(x_i) = (2/n)(f(x_i) − y_i).
        let mut loss = 0.0f64;
        for ((g, o), t) in g_out.iter_mut().zip(net.output(&tape)).zip(&ys) {
            let e = o - t;
            loss += f64::from(e * e);
            *g = 2.0 / n as f32 * e;
        }
        losses.push(loss / n as f64);
        net.backward(&mut tape, &g_out, &mut grad, None);
        adam.step(net.params_mut(), &grad, lr);
    }
    let seconds = start.elapsed().as_secs_f64();
    (Regressor { net }, FitReport { losses, seconds })
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
