//! Recurrent networks: the simple (Elman) RNN cell and the LSTM cell, unrolled through time,
//! and the size of the gradient that reaches step $t$ from a loss at the end.
//!
//! RNN: $h_t = \tanh(W_x x_t + W_h h_{t-1} + b)$. Backpropagation through time multiplies
//! $$\frac{\partial\mathcal L}{\partial h_t} = \Big(\prod_{s=t+1}^{T} W_h^\top\operatorname{diag}\tanh'(a_s)\Big)\frac{\partial\mathcal L}{\partial h_T},$$
//! a product of $T-t$ matrices whose norm shrinks (or grows) geometrically with $T-t$.
//!
//! LSTM: gates $i, f, o = \sigma(\cdot)$ and candidate $g = \tanh(\cdot)$ of $(x_t, h_{t-1})$,
//! $$c_t = f_t\odot c_{t-1} + i_t\odot g_t,\qquad h_t = o_t\odot\tanh(c_t).$$
//! Along the cell state, $\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)$: no weight
//! matrix, no squashing derivative. With forget gates near 1 the gradient is carried across
//! many steps (the "constant error carousel").
//!
//! ## Reference
//! Hochreiter & Schmidhuber (1997), *Long short-term memory*; Bengio, Simard & Frasconi (1994);
//! Pascanu, Mikolov & Bengio (2013), *On the difficulty of training recurrent neural networks*;
//! Jozefowicz, Zaremba & Sutskever (2015) (forget-gate bias 1).
//!
//! Used in notebooks/10-architectures.ipynb.

use super::codec::{Wire, decode};
use super::engine::call;
use super::wire::Value;
use super::{TrainConfig, TrainReport};
use crate::data::sequences::SequenceTask;
use ndarray::Array2;

/// Which recurrent cell.
///
/// # Examples
/// ```
/// use course::nn::{Cell, RecurrentConfig};
/// assert_eq!(RecurrentConfig::rnn(1, 4, 1).cell, Cell::Rnn);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// $h_t = \tanh(W_x x_t + W_h h_{t-1} + b)$.
    Rnn,
    /// Long short-term memory (input, forget, output gates and a cell state).
    Lstm,
}

/// A recurrent network: one cell of `hidden` units unrolled over the sequence, then a linear
/// readout of the last hidden state.
///
/// # Examples
/// ```
/// use course::nn::{RecurrentConfig, Cell};
/// let lstm = RecurrentConfig::lstm(2, 16, 1);
/// assert_eq!((lstm.cell, lstm.forget_bias), (Cell::Lstm, 1.0));
/// // 4 gates × (2 inputs + 16 recurrent + 1 bias) × 16 units, plus the readout.
/// assert_eq!(lstm.n_params(), 4 * 16 * (2 + 16 + 1) + 16 + 1);
/// assert_eq!(RecurrentConfig::rnn(2, 16, 1).n_params(), 16 * (2 + 16 + 1) + 16 + 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecurrentConfig {
    /// RNN or LSTM.
    pub cell: Cell,
    /// Input features per step.
    pub dim_in: usize,
    /// Hidden units.
    pub hidden: usize,
    /// Outputs of the readout.
    pub dim_out: usize,
    /// Initial bias of the LSTM's forget gate (ignored by the RNN).
    pub forget_bias: f64,
    /// Recurrent weights start as `recurrent_gain` times a random orthogonal matrix (per gate),
    /// so that every singular value of $W_h$ equals the gain. Default 1.
    pub recurrent_gain: f64,
}

impl RecurrentConfig {
    /// A simple RNN.
    pub fn rnn(dim_in: usize, hidden: usize, dim_out: usize) -> Self {
        RecurrentConfig { cell: Cell::Rnn, dim_in, hidden, dim_out, forget_bias: 0.0, recurrent_gain: 1.0 }
    }

    /// An LSTM with forget-gate bias 1 (Jozefowicz et al. 2015).
    pub fn lstm(dim_in: usize, hidden: usize, dim_out: usize) -> Self {
        RecurrentConfig { cell: Cell::Lstm, dim_in, hidden, dim_out, forget_bias: 1.0, recurrent_gain: 1.0 }
    }

    /// The same with another forget-gate bias.
    pub fn with_forget_bias(self, forget_bias: f64) -> Self {
        RecurrentConfig { forget_bias, ..self }
    }

    /// The same with another recurrent gain.
    pub fn with_recurrent_gain(self, recurrent_gain: f64) -> Self {
        RecurrentConfig { recurrent_gain, ..self }
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.gates() * self.hidden * (self.dim_in + self.hidden + 1) + self.hidden * self.dim_out + self.dim_out
    }

    #[doc(hidden)]
    pub fn gates(&self) -> usize {
        if self.cell == Cell::Lstm { 4 } else { 1 }
    }

    #[doc(hidden)]
    pub fn validate(&self, who: &str) {
        assert!(self.dim_in > 0 && self.hidden > 0 && self.dim_out > 0, "{who}: dim_in, hidden and dim_out must be > 0, got {}, {}, {}", self.dim_in, self.hidden, self.dim_out);
        assert!(self.forget_bias.is_finite(), "{who}: forget_bias must be finite, got {}", self.forget_bias);
        assert!(self.recurrent_gain >= 0.0 && self.recurrent_gain.is_finite(), "{who}: recurrent_gain must be finite and >= 0, got {}", self.recurrent_gain);
    }
}

/// A recurrent network (initialized or trained).
///
/// # Examples
/// ```
/// use course::nn::{RecurrentConfig, RecurrentModel};
/// let task = course::data::sequences::adding_problem(&mut course::rng::seeded(0), 5, 6);
/// let m = RecurrentModel::init(&RecurrentConfig::lstm(2, 4, 1), 0);
/// assert_eq!(m.predict(&task).dim(), (5, 1));
/// assert_eq!(m.config().hidden, 4);
/// assert!(m.mse(&task) > 0.0);
/// ```
#[derive(Debug)]
pub struct RecurrentModel {
    handle: u64,
    config: RecurrentConfig,
}

impl RecurrentModel {
    /// The untrained network drawn with `seed`.
    ///
    /// # Panics
    /// If a dimension is zero.
    pub fn init(cfg: &RecurrentConfig, seed: u64) -> Self {
        cfg.validate("RecurrentModel::init");
        let handle = call("recurrent_init", Value::List(vec![cfg.to_wire(), seed.into()])).u64().expect("handle");
        RecurrentModel { handle, config: *cfg }
    }

    /// The readout after the last step of each sequence.
    ///
    /// # Panics
    /// If the task's feature count differs from `dim_in`.
    pub fn predict(&self, task: &SequenceTask) -> Array2<f64> {
        self.check(task, "predict");
        decode("recurrent_predict", &call("recurrent_predict", Value::List(vec![self.handle.into(), task.to_wire()])))
    }

    /// Mean squared error of the predictions on `task`.
    pub fn mse(&self, task: &SequenceTask) -> f64 {
        let p = self.predict(task);
        assert_eq!(p.ncols(), task.targets.ncols(), "mse: the targets must have dim_out = {} columns, got {}", p.ncols(), task.targets.ncols());
        (&p - &task.targets).mapv(|v| v * v).mean().unwrap_or(0.0)
    }

    /// $\lVert\partial\mathcal L/\partial h_t\rVert_F$ for $t = 1,\dots,T$ (over the whole task as
    /// one batch, $\mathcal L$ the mean squared error of the final readout).
    ///
    /// # Examples
    /// ```
    /// use course::nn::{RecurrentModel, RecurrentConfig};
    /// let task = course::data::sequences::recall_first(&mut course::rng::seeded(0), 32, 30, 0.1);
    /// let rnn = RecurrentConfig::rnn(1, 32, 1).with_recurrent_gain(0.5);
    /// let g = RecurrentModel::init(&rnn, 0).gradient_through_time(&task);
    /// assert_eq!(g.len(), 30);
    /// // ‖W_h‖ = 0.5 and |tanh'| ≤ 1: each step back multiplies the gradient by at most 0.5.
    /// assert!(g[0] <= 0.5f64.powi(29) * g[29] * 1.0001);
    /// ```
    pub fn gradient_through_time(&self, task: &SequenceTask) -> Vec<f64> {
        self.check(task, "gradient_through_time");
        let out = call("recurrent_gradient_through_time", Value::List(vec![self.handle.into(), task.to_wire()]));
        out.f64s().expect("norms").to_vec()
    }

    /// The configuration it was built from.
    pub fn config(&self) -> RecurrentConfig {
        self.config
    }

    fn check(&self, task: &SequenceTask, who: &str) {
        assert_eq!(task.dim(), self.config.dim_in, "{who}: the task has {} features per step, the network dim_in = {}", task.dim(), self.config.dim_in);
        assert!(task.n_samples() > 0, "{who}: the task has no sequences");
    }
}

/// $\lVert\partial\mathcal L/\partial h_t\rVert$ for $t = 1,\dots,T$ at initialization: see
/// [`RecurrentModel::gradient_through_time`].
///
/// # Panics
/// If the configuration is invalid or the task's features differ from `dim_in`.
///
/// # Examples
/// ```
/// use course::nn::{gradient_through_time, RecurrentConfig};
/// let task = course::data::sequences::recall_first(&mut course::rng::seeded(1), 16, 20, 0.5);
/// // A recurrent matrix of norm 0: nothing flows back beyond the last step.
/// let g = gradient_through_time(&RecurrentConfig::rnn(1, 8, 1).with_recurrent_gain(0.0), &task, 0);
/// assert!(g[18] == 0.0 && g[19] > 0.0);
/// ```
pub fn gradient_through_time(cfg: &RecurrentConfig, task: &SequenceTask, seed: u64) -> Vec<f64> {
    RecurrentModel::init(cfg, seed).gradient_through_time(task)
}

/// Trains the recurrent network `cfg` on `task` (mean squared error of the final readout)
/// as `tc` says. The report's per-layer gradient norms are those of $W_x$, $W_h$ and the readout.
///
/// # Panics
/// If the configuration or `tc` is invalid, or the task's shapes disagree with `cfg`.
///
/// # Examples
/// ```
/// use course::nn::{train_recurrent, RecurrentConfig, TrainConfig};
/// let task = course::data::sequences::recall_first(&mut course::rng::seeded(1), 64, 5, 0.1);
/// let (model, report) = train_recurrent(&RecurrentConfig::lstm(1, 8, 1), &task, &TrainConfig::adam(100, 2e-2));
/// assert!(model.mse(&task) < 0.1 * report.losses[0]);
/// ```
pub fn train_recurrent(cfg: &RecurrentConfig, task: &SequenceTask, tc: &TrainConfig) -> (RecurrentModel, TrainReport) {
    let out = call("train_recurrent", Value::List(vec![cfg.to_wire(), task.to_wire(), tc.to_wire()]));
    let r = out.items(2).expect("[handle, report]");
    (RecurrentModel { handle: r[0].u64().expect("handle"), config: *cfg }, decode("train_recurrent", &r[1]))
}

impl Drop for RecurrentModel {
    fn drop(&mut self) {
        call("drop", Value::U64(self.handle));
    }
}

