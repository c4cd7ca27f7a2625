//! A deep multilayer perceptron with a chosen depth, width, activation, initialization, batch
//! normalization and dropout, and what backpropagation does to its gradients.
//!
//! Hidden layer $l = 1,\dots,L$ computes
//! $$z_l = W_l^\top h_{l-1} + b_l,\qquad h_l = m_l\odot\sigma\big(\mathrm{BN}(z_l)\big),$$
//! ($\mathrm{BN}$ and the dropout mask $m_l$ optional), the output is $W_{L+1}^\top h_L + b_{L+1}$
//! and the loss the mean squared error. Backpropagation sends
//! $\delta_l = \partial\mathcal L/\partial z_l$ down through
//! $\delta_{l-1} = \sigma'(z_{l-1})\odot W_l\,\delta_l$ and gives
//! $\nabla_{W_l}\mathcal L = h_{l-1}\delta_l^\top$: each layer multiplies the backward signal by
//! a random matrix, and its size after $L$ layers is a product of $L$ factors.
//!
//! Hidden layers $2,\dots,L$ can instead be **residual** blocks,
//! $h_l = h_{l-1} + \tfrac1L\,\sigma(z_l)$ (the forward Euler step of $\dot h = \sigma(W(t)h+b(t))$
//! with step $1/L$), or **highway** blocks,
//! $h_l = T_l\odot\sigma(z_l) + (1-T_l)\odot h_{l-1}$ with the gate
//! $T_l = \operatorname{sigmoid}(W^T_l h_{l-1} + b^T_l)$, $b^T_l = -2$ at initialization (mostly carry).
//! Both give the backward signal an identity path: $\partial h_l/\partial h_{l-1} = I + \dots$
//!
//! ## Reference
//! Glorot & Bengio (2010); He et al. (2015); Ioffe & Szegedy (2015), *Batch normalization*;
//! Srivastava et al. (2014), *Dropout*; Srivastava, Greff & Schmidhuber (2015), *Highway
//! networks*; He, Zhang, Ren & Sun (2016), *Deep residual learning*; Goodfellow, Bengio & Courville (2016), §6.5, §8.7.1.
//!
//! Used in notebooks/09-training-deep-networks.ipynb.

use super::codec::{Wire, decode};
use super::engine::call;
use super::wire::Value;
use super::{Activation, Init, TrainConfig, TrainReport};
use ndarray::Array2;

/// How hidden layers $2,\dots,L$ combine with their input (see the module docs).
///
/// # Examples
/// ```
/// use course::nn::{Block, MlpConfig};
/// let plain = MlpConfig::new(2, 8, 3, 1);
/// let highway = plain.with_block(Block::Highway);
/// // Two gated layers (the first hidden layer maps the input and has no gate): 2 × (8·8 + 8).
/// assert_eq!(highway.n_params() - plain.n_params(), 2 * (8 * 8 + 8));
/// assert_eq!(plain.with_block(Block::Residual).n_params(), plain.n_params());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// $h_l = \sigma(z_l)$.
    Plain,
    /// $h_l = h_{l-1} + \sigma(z_l)/L$.
    Residual,
    /// $h_l = T_l\odot\sigma(z_l) + (1-T_l)\odot h_{l-1}$.
    Highway,
}

/// The bias of the highway gates at initialization: $\operatorname{sigmoid}(-2)\approx 0.12$ of
/// each layer's transform is let through, the rest is carried.
///
/// # Examples
/// ```
/// let t = 1.0 / (1.0 + (-course::nn::HIGHWAY_GATE_BIAS).exp());
/// assert!((t - 0.1192).abs() < 1e-4);
/// ```
pub const HIGHWAY_GATE_BIAS: f64 = -2.0;

/// The architecture of a [`DeepMlp`]: `depth` hidden layers of `width` units between `dim_in`
/// inputs and `dim_out` outputs. `Copy`, so a notebook can vary one field at a time.
///
/// # Examples
/// ```
/// use course::nn::{MlpConfig, Init, Activation};
/// let cfg = MlpConfig::new(4, 32, 10, 1).with_init(Init::Xavier).with_batch_norm(true);
/// assert_eq!((cfg.depth, cfg.init, cfg.batch_norm, cfg.activation), (10, Init::Xavier, true, Activation::Relu));
/// assert_eq!(cfg.n_params(), (4 * 32 + 32) + 9 * (32 * 32 + 32) + 10 * 2 * 32 + (32 + 1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MlpConfig {
    /// Input dimension.
    pub dim_in: usize,
    /// Units per hidden layer.
    pub width: usize,
    /// Number of hidden layers (the network has `depth + 1` weight matrices).
    pub depth: usize,
    /// Output dimension.
    pub dim_out: usize,
    /// Nonlinearity of the hidden layers (default ReLU).
    pub activation: Activation,
    /// Weight initialization (default He); biases start at zero.
    pub init: Init,
    /// Batch normalization before each hidden activation (default off).
    pub batch_norm: bool,
    /// Dropout probability after each hidden activation (default 0, off).
    pub dropout: f64,
    /// Plain, residual or highway hidden layers (default plain).
    pub block: Block,
}

impl MlpConfig {
    /// ReLU, He initialization, no batch norm, no dropout.
    pub fn new(dim_in: usize, width: usize, depth: usize, dim_out: usize) -> Self {
        MlpConfig { dim_in, width, depth, dim_out, activation: Activation::Relu, init: Init::He, batch_norm: false, dropout: 0.0, block: Block::Plain }
    }

    /// The same with another activation.
    pub fn with_activation(self, activation: Activation) -> Self {
        MlpConfig { activation, ..self }
    }

    /// The same with another initialization.
    pub fn with_init(self, init: Init) -> Self {
        MlpConfig { init, ..self }
    }

    /// The same with batch normalization on or off.
    pub fn with_batch_norm(self, batch_norm: bool) -> Self {
        MlpConfig { batch_norm, ..self }
    }

    /// The same with dropout probability `p`.
    pub fn with_dropout(self, p: f64) -> Self {
        MlpConfig { dropout: p, ..self }
    }

    /// The same with another kind of hidden block.
    pub fn with_block(self, block: Block) -> Self {
        MlpConfig { block, ..self }
    }

    /// Number of trainable parameters (weights, biases, BN's $\gamma, \beta$, highway gates).
    pub fn n_params(&self) -> usize {
        let dims = self.dims();
        let linear: usize = dims.windows(2).map(|w| w[0] * w[1] + w[1]).sum();
        let bn = if self.batch_norm { 2 * self.width * self.depth } else { 0 };
        let gates = if self.block == Block::Highway { (self.depth - 1) * (self.width * self.width + self.width) } else { 0 };
        linear + bn + gates
    }

    #[doc(hidden)]
    pub fn dims(&self) -> Vec<usize> {
        std::iter::once(self.dim_in)
            .chain(std::iter::repeat_n(self.width, self.depth))
            .chain(std::iter::once(self.dim_out))
            .collect()
    }

    #[doc(hidden)]
    pub fn validate(&self, who: &str) {
        assert!(self.dim_in > 0 && self.dim_out > 0, "{who}: dim_in and dim_out must be > 0, got {} and {}", self.dim_in, self.dim_out);
        assert!(self.width > 0, "{who}: width must be > 0, got 0");
        assert!(self.depth > 0, "{who}: depth must be >= 1 hidden layer, got 0");
        assert!((0.0..1.0).contains(&self.dropout), "{who}: dropout must be in [0, 1), got {}", self.dropout);
    }
}

/// A trained [`MlpConfig`] network, in inference mode (no dropout; batch norm uses the
/// running statistics gathered during training).
#[derive(Debug)]
pub struct DeepMlp {
    handle: u64,
    config: MlpConfig,
}

impl DeepMlp {
    /// The untrained network drawn from `cfg.init` with `seed`.
    ///
    /// # Panics
    /// If the configuration is invalid (zero width or depth, dropout outside [0, 1)).
    ///
    /// # Examples
    /// ```
    /// use course::nn::{DeepMlp, MlpConfig};
    /// let net = DeepMlp::init(&MlpConfig::new(3, 16, 2, 2), 0);
    /// assert_eq!(net.predict(&ndarray::Array2::zeros((5, 3))).dim(), (5, 2));
    /// assert_eq!(net.n_params(), 3 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2);
    /// ```
    pub fn init(cfg: &MlpConfig, seed: u64) -> Self {
        cfg.validate("DeepMlp::init");
        let handle = call("mlp_init", Value::List(vec![cfg.to_wire(), seed.into()])).u64().expect("handle");
        DeepMlp { handle, config: *cfg }
    }

    /// The network's outputs, one row per row of `x`.
    ///
    /// # Panics
    /// If `x` does not have `dim_in` columns.
    pub fn predict(&self, x: &Array2<f64>) -> Array2<f64> {
        assert_eq!(x.ncols(), self.config.dim_in, "predict: x must have dim_in = {} columns, got {}", self.config.dim_in, x.ncols());
        decode("mlp_predict", &call("mlp_predict", Value::List(vec![self.handle.into(), x.to_wire()])))
    }

    /// Mean squared error of the predictions on `(x, y)`.
    ///
    /// # Panics
    /// If the shapes do not match the network.
    ///
    /// # Examples
    /// ```
    /// use course::nn::{DeepMlp, MlpConfig};
    /// let net = DeepMlp::init(&MlpConfig::new(1, 8, 1, 1), 3);
    /// let x = ndarray::Array2::from_shape_vec((3, 1), vec![-1.0, 0.0, 1.0]).unwrap();
    /// let p = net.predict(&x);
    /// assert!(net.mse(&x, &p) < 1e-12); // a network fits its own predictions exactly
    /// ```
    pub fn mse(&self, x: &Array2<f64>, y: &Array2<f64>) -> f64 {
        let p = self.predict(x);
        assert_eq!(p.dim(), y.dim(), "mse: y must be {:?} (one row per x, dim_out columns), got {:?}", p.dim(), y.dim());
        (&p - y).mapv(|v| v * v).mean().unwrap_or(0.0)
    }

    /// Number of trainable parameters (burn's `num_params` also counts batch norm's running
    /// statistics, which are not trained).
    pub fn n_params(&self) -> usize {
        self.config.n_params()
    }

    /// The configuration it was built from.
    ///
    /// # Examples
    /// ```
    /// use course::nn::{DeepMlp, MlpConfig};
    /// assert_eq!(DeepMlp::init(&MlpConfig::new(2, 4, 1, 1), 0).config().width, 4);
    /// ```
    pub fn config(&self) -> MlpConfig {
        self.config
    }
}

/// The gradients of one forward–backward pass at initialization, layer by layer (see
/// [`gradient_profile`]).
///
/// # Examples
/// ```
/// use course::nn::{gradient_profile, MlpConfig};
/// let x = ndarray::Array2::from_shape_fn((16, 4), |(i, j)| ((i + 2 * j) as f64).cos());
/// let y = ndarray::Array2::zeros((16, 1));
/// let p = gradient_profile(&MlpConfig::new(4, 8, 3, 1), &x, &y, 1);
/// assert_eq!((p.weight_grad_norms.len(), p.signal_norms.len(), p.activation_ms.len()), (4, 3, 3));
/// assert!(p.loss > 0.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GradientProfile {
    /// The loss (mean squared error) at initialization.
    pub loss: f64,
    /// $\lVert\nabla_{W_l}\mathcal L\rVert_F$ for $l = 1,\dots,L+1$ (input side first).
    pub weight_grad_norms: Vec<f64>,
    /// $\lVert\partial\mathcal L/\partial h_l\rVert_F$ (over the whole batch) for the hidden layers
    /// $l = 1,\dots,L$: the backward signal reaching the output of layer $l$.
    pub signal_norms: Vec<f64>,
    /// The mean square of the hidden activations $h_l$, $l = 1,\dots,L$: the forward signal.
    pub activation_ms: Vec<f64>,
}

/// One forward and backward pass of the network `cfg` (initialized with `seed`) on the batch
/// `(x, y)`, with the mean squared error: gradient norms of every layer and the backward and
/// forward signals. Batch norm, if on, uses the batch's statistics; dropout is off.
///
/// # Panics
/// If the configuration is invalid or the shapes of `x`, `y` do not match it.
///
/// # Examples
/// ```
/// use course::nn::{gradient_profile, MlpConfig, Init};
/// let x = ndarray::Array2::from_shape_fn((32, 8), |(i, j)| ((i * 8 + j) as f64).sin());
/// let y = ndarray::Array2::from_shape_fn((32, 1), |(i, _)| (i as f64).cos());
/// let small = gradient_profile(&MlpConfig::new(8, 32, 10, 1).with_init(Init::TooSmall), &x, &y, 0);
/// // The backward signal halves at every layer on its way down: 2⁻⁹ over 10 layers.
/// let ratio = small.signal_norms[0] / small.signal_norms[9];
/// assert!(ratio < 0.02 && ratio > 1e-4, "{ratio}");
/// ```
pub fn gradient_profile(cfg: &MlpConfig, x: &Array2<f64>, y: &Array2<f64>, seed: u64) -> GradientProfile {
    call_profile(cfg, x, y, seed)
}

/// Trains the network `cfg` on `(x, y)` (mean squared error) as `tc` says, with dropout masks
/// redrawn at every step if `cfg.dropout > 0`. Returns the trained network (in inference mode)
/// and the report: minibatch loss before each step and per-layer gradient norms.
///
/// # Panics
/// If the configuration is invalid, the shapes do not match it, or `tc.lr <= 0`.
///
/// # Examples
/// ```
/// use course::nn::{train_mlp, MlpConfig, TrainConfig};
/// let x = ndarray::Array2::from_shape_fn((64, 1), |(i, _)| -1.0 + 2.0 * i as f64 / 63.0);
/// let y = x.mapv(|t| t * t);
/// let (net, report) = train_mlp(&MlpConfig::new(1, 32, 2, 1), &x, &y, &TrainConfig::adam(300, 1e-2));
/// assert!(net.mse(&x, &y) < 0.01 * report.losses[0]);
/// assert_eq!(report.grad_norms[0].len(), 3); // three weight matrices
/// ```
pub fn train_mlp(cfg: &MlpConfig, x: &Array2<f64>, y: &Array2<f64>, tc: &TrainConfig) -> (DeepMlp, TrainReport) {
    let out = call("train_mlp", Value::List(vec![cfg.to_wire(), x.to_wire(), y.to_wire(), tc.to_wire()]));
    let r = out.items(2).expect("[handle, report]");
    (DeepMlp { handle: r[0].u64().expect("handle"), config: *cfg }, decode("train_mlp", &r[1]))
}

fn call_profile(cfg: &MlpConfig, x: &Array2<f64>, y: &Array2<f64>, seed: u64) -> GradientProfile {
    let out = call("gradient_profile", Value::List(vec![cfg.to_wire(), x.to_wire(), y.to_wire(), seed.into()]));
    decode("gradient_profile", &out)
}

impl Drop for DeepMlp {
    fn drop(&mut self) {
        call("drop", Value::U64(self.handle));
    }
}
