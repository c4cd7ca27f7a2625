//! A multilayer perceptron that keeps its Adam state between calls: the regression network of
//! Part V.
//!
//! Diffusion, score and flow-matching models are all trained the same way: draw a fresh batch
//! of inputs $u_i$ (the noised point and its time features) and targets $y_i$ (the noise, the
//! score, the velocity), and take Adam steps on the mean squared error
//! $$\hat L(\theta) = \frac1{|B|}\sum_{i\in B} w_i\,\lVert f_\theta(u_i) - y_i\rVert^2 .$$
//! The course crate draws the data (the mathematics of each model lives there, in `f64`); this
//! file owns the network and the optimizer, so that a model can be trained in chunks of fresh
//! data, call after call, with Adam's moment estimates carried over.
//!
//! Hidden layers use SiLU $z\,\sigma(z)$ (smooth, so that the learned fields can be
//! differentiated along trajectories), ReLU or tanh.

use crate::nn::convert::{f32_rows, gather};
use crate::nn::dense::{Act, AdamState, DenseNet, Tape};
use crate::registry;
use crate::rng::seeded;
use crate::wire::{Value, WireError};
use crate::Inner;
use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, activation};
use course::nn::codec::Wire;
use ndarray::Array2;
use std::sync::Mutex;

/// The network: `Linear → act → … → Linear`; `kind` 0 SiLU, 1 ReLU, 2 tanh.
#[derive(Module, Debug)]
pub struct Mlp<B: Backend> {
    layers: Vec<Linear<B>>,
    kind: u8,
}

impl<B: Backend> Mlp<B> {
    /// Forward pass on a batch `[n, dims[0]]`.
    pub fn forward(&self, mut x: Tensor<B, 2>) -> Tensor<B, 2> {
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if l < last {
                x = match self.kind {
                    0 => crate::nn::activation::silu(x),
                    1 => activation::relu(x),
                    _ => activation::tanh(x),
                };
            }
        }
        x
    }
}

static INIT_LOCK: Mutex<()> = Mutex::new(());

/// A fresh network with layer widths `dims` (input first, output last); burn's default
/// (Kaiming-uniform) initialization from `seed`.
pub fn new_mlp<B: Backend>(dims: &[usize], kind: u8, seed: u64, device: &B::Device) -> Mlp<B> {
    // burn's backend RNG is global: hold the lock from seeding to the last draw.
    let _guard = INIT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    B::seed(device, seed);
    let layers = dims.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
    let net = Mlp { layers, kind };
    // Parameters are initialized lazily, at first use: draw them now, under the lock.
    let _ = net.forward(Tensor::zeros([1, dims[0]], device));
    net
}

impl<B: Backend> Mlp<B> {
    /// The linear layers, input first.
    pub fn layers(&self) -> &[Linear<B>] {
        &self.layers
    }

    /// The same network as a [`DenseNet`] (the weights copied to the fused trainer).
    pub fn to_dense(&self) -> DenseNet {
        DenseNet::from_linears(&self.layers, Act::from_code(self.kind).expect("activation code checked at construction"))
    }
}

/// A network in training together with its optimizer state: burn initializes it (the same
/// weights from the same seed as ever), and the fused trainer of `crate::nn::dense` trains it.
pub struct AdamNet {
    net: DenseNet,
    adam: AdamState,
    tape: Tape,
    grad: Vec<f32>,
    steps: u64,
    seed: u64,
}

impl AdamNet {
    fn new(dims: &[usize], kind: u8, seed: u64) -> Self {
        let net = new_mlp::<Inner>(dims, kind, seed, &Default::default()).to_dense();
        let n = net.params().len();
        AdamNet { net, adam: AdamState::new(n), tape: Tape::default(), grad: vec![0.0; n], steps: 0, seed }
    }

    /// `n_steps` Adam steps on minibatches of `(x, y)` (with row weights `w`, empty for none);
    /// the loss before each step.
    fn fit(&mut self, x: &Array2<f64>, y: &Array2<f64>, w: &[f64], n_steps: usize, batch_size: usize, lr: f64) -> Vec<f64> {
        let n = x.nrows();
        let (din, dout) = (x.ncols(), y.ncols());
        let (xf, yf) = (f32_rows(x), f32_rows(y));
        // Minibatches have their own stream, advanced by the steps already taken.
        let mut rng = seeded(self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(self.steps + 1));
        let mut losses = Vec::with_capacity(n_steps);
        let (mut xb, mut yb, mut g_out) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..n_steps {
            let idx = crate::nn::training::minibatch(&mut rng, n, batch_size);
            let b = idx.len();
            gather(&xf, din, &idx, &mut xb);
            gather(&yf, dout, &idx, &mut yb);
            self.net.forward(&xb, b, &mut self.tape);
            // L = (1/b) Σ_i w_i ‖f(u_i) − y_i‖², ∂L/∂f(u_i) = (2 w_i / b)(f(u_i) − y_i).
            g_out.resize(b * dout, 0.0);
            let mut loss = 0.0f64;
            for (r, ((o, t), g)) in self.net.output(&self.tape).chunks_exact(dout).zip(yb.chunks_exact(dout)).zip(g_out.chunks_exact_mut(dout)).enumerate() {
                let wi = if w.is_empty() { 1.0 } else { w[idx[r]] };
                let mut sq = 0.0f64;
                for ((o, t), g) in o.iter().zip(t).zip(g.iter_mut()) {
                    let e = o - t;
                    sq += f64::from(e * e);
                    *g = (2.0 * wi / b as f64) as f32 * e;
                }
                loss += wi * sq;
            }
            losses.push(loss / b as f64);
            self.net.backward(&mut self.tape, &g_out, &mut self.grad, None);
            self.adam.step(self.net.params_mut(), &self.grad, lr);
            self.steps += 1;
        }
        losses
    }

    fn dims(&self) -> &[usize] {
        self.net.dims()
    }
}

fn check(dims: &[usize], kind: u8) -> Result<(), WireError> {
    if dims.len() < 2 || dims.contains(&0) {
        return Err(WireError(format!("net_new: dims must list ≥ 2 positive widths (input … output), got {dims:?}")));
    }
    if kind > 2 {
        return Err(WireError(format!("net_new: activation must be 0 (SiLU), 1 (ReLU) or 2 (tanh), got {kind}")));
    }
    Ok(())
}

/// The operations of this file:
/// - `net_new(dims, activation, seed)` → handle
/// - `net_fit(handle, x, y, weights, n_steps, batch_size, lr)` → losses
/// - `net_predict(handle, x)` → matrix
/// - `net_n_params(handle)` → count
pub fn dispatch(op: &str, args: &Value) -> Option<Result<Value, WireError>> {
    let r = match op {
        "net_new" => (|| {
            let a = args.items(3)?;
            let dims = a[0].usizes()?;
            let kind = a[1].u64()? as u8;
            check(&dims, kind)?;
            Ok(registry::insert(AdamNet::new(&dims, kind, a[2].u64()?)).into())
        })(),
        "net_fit" => (|| {
            let a = args.items(7)?;
            let (x, y) = (Array2::from_wire(&a[1])?, Array2::from_wire(&a[2])?);
            let w = a[3].f64s()?;
            registry::with_mut(a[0].u64()?, |m: &mut AdamNet| {
                let (din, dout) = (m.dims()[0], *m.dims().last().expect("dims"));
                if x.ncols() != din || y.ncols() != dout || x.nrows() != y.nrows() || x.nrows() == 0 {
                    return Err(WireError(format!(
                        "net_fit: x must be n × {din} and y n × {dout} with n ≥ 1, got {:?} and {:?}",
                        x.dim(),
                        y.dim()
                    )));
                }
                if !w.is_empty() && w.len() != x.nrows() {
                    return Err(WireError(format!("net_fit: weights must be empty or one per row ({}), got {}", x.nrows(), w.len())));
                }
                Ok(m.fit(&x, &y, w, a[4].usize()?, a[5].usize()?, a[6].f64()?).into())
            })?
        })(),
        "net_predict" => (|| {
            let a = args.items(2)?;
            let x = Array2::from_wire(&a[1])?;
            registry::with(a[0].u64()?, |m: &AdamNet| {
                if x.ncols() != m.dims()[0] {
                    return Err(WireError(format!("net_predict: x must have {} columns, got {}", m.dims()[0], x.ncols())));
                }
                Ok(m.net.predict_rows(&x).to_wire())
            })?
        })(),
        "net_n_params" => registry::with(match args.u64() {
            Ok(h) => h,
            Err(e) => return Some(Err(e)),
        }, |m: &AdamNet| (m.net.params().len() as u64).into()),
        _ => return None,
    };
    Some(r)
}
