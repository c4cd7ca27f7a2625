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
//! Training runs in `f32` passes written out below (one product for the inputs of all steps,
//! one per step for the recurrence, backpropagation through time by hand, one Adam pass), with
//! burn's autodiff as the tests' oracle of its gradients: through burn a step of notebook 10's
//! LSTM took 1.7 ms against PyTorch's 1.1 ms (`make bench`), mostly small tensors allocated and
//! recorded per gate and per step. Inference and the gradient-through-time probes stay in burn.
//!
//! Used in notebooks/10-architectures.ipynb.

use super::convert::{norm, to_array2};
use super::convert::{f32_rows, gather};
use super::dense::{gemm, linear_forward, linear_grads};
use super::training::fused_loop;
use super::{Cell, Inner, Init, RecurrentConfig, Train};
use super::{TrainConfig, TrainReport};
use crate::data::sequences::SequenceTask;
use crate::rng::seeded;
use burn::module::{AutodiffModule, Module, Param};
use burn::nn::Linear;
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData, activation};
use ndarray::{Array2, Array3};

#[derive(Module, Debug)]
pub(crate) struct RecurrentNet<B: Backend> {
    input: Linear<B>,
    recurrent: Linear<B>,
    readout: Linear<B>,
    lstm: bool,
    hidden: usize,
}

impl<B: Backend> RecurrentNet<B> {
    fn new(cfg: &RecurrentConfig, seed: u64, device: &B::Device) -> Self {
        let mut rng = seeded(seed);
        let (n, g) = (cfg.hidden, cfg.gates());
        // Each gate's input weights Xavier; recurrent weights gain × orthogonal (Saxe et al. 2014).
        let mut w_in = Array2::zeros((cfg.dim_in, g * n));
        let mut w_h = Array2::zeros((n, g * n));
        for k in 0..g {
            w_in.slice_mut(ndarray::s![.., k * n..(k + 1) * n]).assign(&Init::Xavier.sample(&mut rng, cfg.dim_in, n));
            w_h.slice_mut(ndarray::s![.., k * n..(k + 1) * n]).assign(&(super::orthogonal(&mut rng, n) * cfg.recurrent_gain));
        }
        let mut input = super::convert::linear(&w_in, device);
        if cfg.cell == Cell::Lstm {
            // Gate order i, f, g, o: the forget gate's bias is the second block.
            let b: Vec<f32> = (0..g * n).map(|j| if (n..2 * n).contains(&j) { cfg.forget_bias as f32 } else { 0.0 }).collect();
            input.bias = Some(Param::from_tensor(Tensor::from_data(TensorData::new(b, [g * n]), device)));
        }
        let mut recurrent = super::convert::linear(&w_h, device);
        recurrent.bias = None;
        let readout = super::convert::linear(&Init::Xavier.sample(&mut rng, n, cfg.dim_out), device);
        RecurrentNet { input, recurrent, readout, lstm: cfg.cell == Cell::Lstm, hidden: n }
    }

    /// `probes[t]` (if given) is added to $h_t$, so that its gradient is $\partial\mathcal L/\partial h_t$.
    ///
    /// # Shapes
    /// - input `[batch, T, dim_in]`, output `[batch, dim_out]`.
    fn forward(&self, x: Tensor<B, 3>, probes: &[Tensor<B, 2>]) -> Tensor<B, 2> {
        let [b, t_len, _] = x.dims();
        let n = self.hidden;
        let gn = if self.lstm { 4 * n } else { n };
        let xin = self.input.forward(x); // [B, T, G·n], all steps at once
        let device = xin.device();
        let mut h = Tensor::<B, 2>::zeros([b, n], &device);
        let mut c = Tensor::<B, 2>::zeros([b, n], &device);
        for t in 0..t_len {
            let pre = xin.clone().slice([0..b, t..t + 1, 0..gn]).reshape([b, gn]) + self.recurrent.forward(h);
            h = if self.lstm {
                let gate = |k: usize| pre.clone().slice([0..b, k * n..(k + 1) * n]);
                let (i, f, g, o) = (activation::sigmoid(gate(0)), activation::sigmoid(gate(1)), activation::tanh(gate(2)), activation::sigmoid(gate(3)));
                c = f * c + i * g;
                o * activation::tanh(c.clone())
            } else {
                activation::tanh(pre)
            };
            if let Some(p) = probes.get(t) {
                h = h + p.clone();
            }
        }
        self.readout.forward(h)
    }
}

fn sequences<B: Backend>(x: &Array3<f64>, idx: &[usize], device: &B::Device) -> Tensor<B, 3> {
    let (_, t, d) = x.dim();
    let mut data = Vec::with_capacity(idx.len() * t * d);
    for &i in idx {
        data.extend(x.slice(ndarray::s![i, .., ..]).iter().map(|&v| v as f32));
    }
    Tensor::from_data(TensorData::new(data, [idx.len(), t, d]), device)
}

/// A recurrent network (initialized or trained).
#[derive(Debug)]
pub struct RecurrentModel {
    net: RecurrentNet<Train>,
    config: RecurrentConfig,
}

impl RecurrentModel {
    /// The untrained network drawn with `seed`.
    ///
    /// # Panics
    /// If a dimension is zero.
    pub fn init(cfg: &RecurrentConfig, seed: u64) -> Self {
        cfg.validate("RecurrentModel::init");
        RecurrentModel { net: RecurrentNet::new(cfg, seed, &Default::default()), config: *cfg }
    }

    /// The readout after the last step of each sequence.
    ///
    /// # Panics
    /// If the task's feature count differs from `dim_in`.
    pub fn predict(&self, task: &SequenceTask) -> Array2<f64> {
        self.check(task, "predict");
        let idx: Vec<usize> = (0..task.n_samples()).collect();
        let net: RecurrentNet<Inner> = self.net.valid();
        to_array2(net.forward(sequences(&task.inputs, &idx, &Default::default()), &[]))
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
        let device = Default::default();
        let (n, t_len) = (task.n_samples(), task.seq_len());
        let probes: Vec<Tensor<Train, 2>> = (0..t_len).map(|_| Tensor::zeros([n, self.config.hidden], &device).require_grad()).collect();
        let idx: Vec<usize> = (0..n).collect();
        let pred = self.net.forward(sequences(&task.inputs, &idx, &device), &probes);
        let y = super::convert::matrix::<Train>(&task.targets, &device);
        let grads = (pred - y).square().mean().backward();
        probes.iter().map(|p| p.grad(&grads).map_or(0.0, norm)).collect()
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
    cfg.validate("train_recurrent");
    tc.validate("train_recurrent");
    assert_eq!(task.dim(), cfg.dim_in, "train_recurrent: the task has {} features per step, dim_in = {}", task.dim(), cfg.dim_in);
    assert_eq!(task.targets.ncols(), cfg.dim_out, "train_recurrent: the targets have {} columns, dim_out = {}", task.targets.ncols(), cfg.dim_out);
    let net = RecurrentNet::<Train>::new(cfg, tc.seed, &Default::default());
    let mut params = Unrolled::from_net(&net, cfg);
    let (d, t_len, dout) = (cfg.dim_in, task.seq_len(), cfg.dim_out);
    let (xs, ys) = (f32_rows(&task.inputs), f32_rows(&task.targets));
    let weights = params.weight_ranges();
    let (mut tape, mut xb, mut yb) = (UnrolledTape::default(), Vec::new(), Vec::new());
    let report = fused_loop(&mut params, |p| &mut p.theta, &weights, tc, task.n_samples(), |p, batch, grad| {
        gather(&xs, t_len * d, batch, &mut xb);
        gather(&ys, dout, batch, &mut yb);
        p.forward(&xb, batch.len(), t_len, &mut tape);
        p.backward(&tape, &yb, grad)
    });
    (RecurrentModel { net: params.into_net(net), config: *cfg }, report)
}

/// The parameters of a recurrent network in one buffer, for training: $W_x$ (`dim_in × G·n`),
/// $b$ (`G·n`), $W_h$ (`n × G·n`), the readout $W_o$ (`n × dim_out`) and $b_o$; $G$ = 4 gates
/// (i, f, g, o) for the LSTM, 1 for the RNN.
struct Unrolled {
    cfg: RecurrentConfig,
    theta: Vec<f32>,
}

/// What backpropagation through time needs from the forward pass.
#[derive(Default)]
struct UnrolledTape {
    b: usize,
    t_len: usize,
    /// The batch's inputs `[b, T, dim_in]`.
    x: Vec<f32>,
    /// Per step `[b, G·n]`: the gates after their nonlinearity (RNN: $h_t$).
    gates: Vec<Vec<f32>>,
    /// Per step: $c_t$ and $h_t$ `[b, n]` (index 0 is the zero initial state).
    c: Vec<Vec<f32>>,
    h: Vec<Vec<f32>>,
    /// The readout `[b, dim_out]`.
    out: Vec<f32>,
}

impl Unrolled {
    fn gn(&self) -> usize {
        self.cfg.gates() * self.cfg.hidden
    }

    /// Offsets of $W_x$, $b$, $W_h$, $W_o$, $b_o$ and the end.
    fn offsets(&self) -> [usize; 6] {
        let (d, n, gn, o) = (self.cfg.dim_in, self.cfg.hidden, self.gn(), self.cfg.dim_out);
        let w_x = 0;
        let b = w_x + d * gn;
        let w_h = b + gn;
        let w_o = w_h + n * gn;
        let b_o = w_o + n * o;
        [w_x, b, w_h, w_o, b_o, b_o + o]
    }

    /// The index ranges of the three weight matrices (for the report's gradient norms).
    fn weight_ranges(&self) -> [std::ops::Range<usize>; 3] {
        let [w_x, b, w_h, w_o, b_o, _] = self.offsets();
        [w_x..b, w_h..w_o, w_o..b_o]
    }

    fn from_net(net: &RecurrentNet<Train>, cfg: &RecurrentConfig) -> Unrolled {
        let f32s = |t: Tensor<Train, 2>| t.into_data().to_vec::<f32>().expect("f32 weights");
        let f32s1 = |t: Tensor<Train, 1>| t.into_data().to_vec::<f32>().expect("f32 biases");
        let mut theta = f32s(net.input.weight.val());
        theta.extend(f32s1(net.input.bias.as_ref().expect("input bias").val()));
        theta.extend(f32s(net.recurrent.weight.val()));
        theta.extend(f32s(net.readout.weight.val()));
        theta.extend(f32s1(net.readout.bias.as_ref().expect("readout bias").val()));
        Unrolled { cfg: *cfg, theta }
    }

    /// The burn network with these parameters.
    fn into_net(self, mut net: RecurrentNet<Train>) -> RecurrentNet<Train> {
        let [w_x, b, w_h, w_o, b_o, end] = self.offsets();
        let (d, n, gn, o) = (self.cfg.dim_in, self.cfg.hidden, self.gn(), self.cfg.dim_out);
        let device = Default::default();
        let t2 = |r: std::ops::Range<usize>, shape: [usize; 2]| Param::from_tensor(Tensor::<Train, 2>::from_data(TensorData::new(self.theta[r].to_vec(), shape), &device));
        let t1 = |r: std::ops::Range<usize>| Param::from_tensor(Tensor::<Train, 1>::from_data(TensorData::new(self.theta[r.clone()].to_vec(), [r.len()]), &device));
        net.input.weight = t2(w_x..b, [d, gn]);
        net.input.bias = Some(t1(b..w_h));
        net.recurrent.weight = t2(w_h..w_o, [n, gn]);
        net.readout.weight = t2(w_o..b_o, [n, o]);
        net.readout.bias = Some(t1(b_o..end));
        net
    }

    /// The forward pass on `b` sequences `x` (`[b, T, dim_in]` row-major).
    fn forward(&self, x: &[f32], b: usize, t_len: usize, tape: &mut UnrolledTape) {
        let [w_x, bias, w_h, w_o, b_o, end] = self.offsets();
        let (d, n, gn) = (self.cfg.dim_in, self.cfg.hidden, self.gn());
        let lstm = self.cfg.cell == Cell::Lstm;
        tape.b = b;
        tape.t_len = t_len;
        tape.x.clear();
        tape.x.extend_from_slice(x);
        // The input part of every step at once: [b·T, G·n].
        let mut xin = vec![0.0f32; b * t_len * gn];
        unsafe { gemm(b * t_len, d, gn, x.as_ptr(), (d as isize, 1), self.theta[w_x..].as_ptr(), (gn as isize, 1), 0.0, xin.as_mut_ptr(), gn as isize) };
        tape.gates.resize_with(t_len, Vec::new);
        tape.c.resize_with(t_len + 1, Vec::new);
        tape.h.resize_with(t_len + 1, Vec::new);
        tape.c[0] = vec![0.0; b * n];
        tape.h[0] = vec![0.0; b * n];
        let sig = |v: f32| 1.0 / (1.0 + (-v).exp());
        for t in 0..t_len {
            let mut pre = vec![0.0f32; b * gn];
            for r in 0..b {
                let src = &xin[(r * t_len + t) * gn..][..gn];
                pre[r * gn..][..gn].iter_mut().zip(src).zip(&self.theta[bias..w_h]).for_each(|((p, x), c)| *p = x + c);
            }
            unsafe { gemm(b, n, gn, tape.h[t].as_ptr(), (n as isize, 1), self.theta[w_h..].as_ptr(), (gn as isize, 1), 1.0, pre.as_mut_ptr(), gn as isize) };
            let (mut c, mut h) = (vec![0.0f32; b * n], vec![0.0f32; b * n]);
            if lstm {
                for r in 0..b {
                    let g = &mut pre[r * gn..][..gn];
                    for j in 0..n {
                        let (i, f, gg, o) = (sig(g[j]), sig(g[n + j]), g[2 * n + j].tanh(), sig(g[3 * n + j]));
                        (g[j], g[n + j], g[2 * n + j], g[3 * n + j]) = (i, f, gg, o);
                        let ct = f * tape.c[t][r * n + j] + i * gg;
                        c[r * n + j] = ct;
                        h[r * n + j] = o * ct.tanh();
                    }
                }
            } else {
                pre.iter_mut().for_each(|v| *v = v.tanh());
                h.copy_from_slice(&pre);
            }
            tape.gates[t] = pre;
            tape.c[t + 1] = c;
            tape.h[t + 1] = h;
        }
        linear_forward(&tape.h[t_len], b, &self.theta[w_o..b_o], &self.theta[b_o..end], &mut tape.out);
    }

    /// The mean squared error of the last forward pass against `y` (`[b, dim_out]`, the mean
    /// over all entries, as burn's `.square().mean()`) and its gradient (`grad`, same layout),
    /// by backpropagation through time.
    fn backward(&self, tape: &UnrolledTape, y: &[f32], grad: &mut [f32]) -> f64 {
        let [w_x, _, w_h, w_o, _, end] = self.offsets();
        let (d, n, gn, dout) = (self.cfg.dim_in, self.cfg.hidden, self.gn(), self.cfg.dim_out);
        let (b, t_len) = (tape.b, tape.t_len);
        let lstm = self.cfg.cell == Cell::Lstm;
        let m = (b * dout) as f64;
        let mut loss = 0.0f64;
        let dy: Vec<f32> = tape
            .out
            .iter()
            .zip(y)
            .map(|(o, t)| {
                let e = f64::from(o - t);
                loss += e * e;
                (2.0 * e / m) as f32
            })
            .collect();
        // ∇W_h accumulates over the steps below.
        grad[w_h..w_o].fill(0.0);
        // Readout: ∇W_o = h_Tᵀ dy, ∇b_o = dyᵀ1, ∂h_T = dy W_oᵀ.
        let (gw, gb) = grad[w_o..end].split_at_mut(n * dout);
        linear_grads(&tape.h[t_len], &dy, b, n, dout, gw, gb);
        let mut dh = vec![0.0f32; b * n];
        unsafe { gemm(b, dout, n, dy.as_ptr(), (dout as isize, 1), self.theta[w_o..].as_ptr(), (1, dout as isize), 0.0, dh.as_mut_ptr(), n as isize) };
        let mut dc = vec![0.0f32; b * n];
        let mut dpre_all = vec![0.0f32; b * t_len * gn];
        let mut dpre = vec![0.0f32; b * gn];
        for t in (0..t_len).rev() {
            let gates = &tape.gates[t];
            if lstm {
                for r in 0..b {
                    let g = &gates[r * gn..][..gn];
                    let dp = &mut dpre[r * gn..][..gn];
                    for j in 0..n {
                        let k = r * n + j;
                        let (i, f, gg, o) = (g[j], g[n + j], g[2 * n + j], g[3 * n + j]);
                        let tc = tape.c[t + 1][k].tanh();
                        let dct = dc[k] + dh[k] * o * (1.0 - tc * tc);
                        dp[j] = dct * gg * i * (1.0 - i);
                        dp[n + j] = dct * tape.c[t][k] * f * (1.0 - f);
                        dp[2 * n + j] = dct * i * (1.0 - gg * gg);
                        dp[3 * n + j] = dh[k] * tc * o * (1.0 - o);
                        dc[k] = dct * f;
                    }
                }
            } else {
                dpre.iter_mut().zip(gates).zip(&dh).for_each(|((p, h), g)| *p = g * (1.0 - h * h));
            }
            // ∇W_h += h_{t−1}ᵀ dpre, ∂h_{t−1} = dpre W_hᵀ; the inputs' share is kept per step.
            unsafe { gemm(n, b, gn, tape.h[t].as_ptr(), (1, n as isize), dpre.as_ptr(), (gn as isize, 1), 1.0, grad[w_h..].as_mut_ptr(), gn as isize) };
            unsafe { gemm(b, gn, n, dpre.as_ptr(), (gn as isize, 1), self.theta[w_h..].as_ptr(), (1, gn as isize), 0.0, dh.as_mut_ptr(), n as isize) };
            for r in 0..b {
                dpre_all[(r * t_len + t) * gn..][..gn].copy_from_slice(&dpre[r * gn..][..gn]);
            }
        }
        // ∇W_x = Xᵀ dpre (all steps), ∇b = dpreᵀ1.
        let (gw, gb) = grad[w_x..w_h].split_at_mut(d * gn);
        linear_grads(&tape.x, &dpre_all, b * t_len, d, gn, gw, gb);
        loss / m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::sequences::{adding_problem, recall_first};
    use super::super::convert::values;

    /// An independent f64 implementation of the forward pass from the network's weights.
    fn reference_forward(m: &RecurrentModel, task: &SequenceTask) -> Array2<f64> {
        let net: RecurrentNet<Inner> = m.net.valid();
        let w_in = to_array2(net.input.weight.val());
        let b_in = ndarray::Array1::from(values(net.input.bias.as_ref().unwrap().val()));
        let w_h = to_array2(net.recurrent.weight.val());
        let w_o = to_array2(net.readout.weight.val());
        let b_o = ndarray::Array1::from(values(net.readout.bias.as_ref().unwrap().val()));
        let n = m.config.hidden;
        let sig = |v: f64| 1.0 / (1.0 + (-v).exp());
        let mut out = Array2::zeros((task.n_samples(), m.config.dim_out));
        for i in 0..task.n_samples() {
            let (mut h, mut c) = (ndarray::Array1::<f64>::zeros(n), ndarray::Array1::<f64>::zeros(n));
            for t in 0..task.seq_len() {
                let pre = task.inputs.slice(ndarray::s![i, t, ..]).dot(&w_in) + &b_in + h.dot(&w_h);
                if m.config.cell == Cell::Lstm {
                    let g = |k: usize| pre.slice(ndarray::s![k * n..(k + 1) * n]).to_owned();
                    c = g(1).mapv(sig) * &c + g(0).mapv(sig) * g(2).mapv(f64::tanh);
                    h = g(3).mapv(sig) * c.mapv(f64::tanh);
                } else {
                    h = pre.mapv(f64::tanh);
                }
            }
            out.row_mut(i).assign(&(h.dot(&w_o) + &b_o));
        }
        out
    }

    #[test]
    fn forward_matches_an_independent_f64_implementation() {
        let task = adding_problem(&mut seeded(1), 5, 12);
        for cfg in [RecurrentConfig::rnn(2, 6, 1), RecurrentConfig::lstm(2, 6, 1)] {
            let m = RecurrentModel::init(&cfg, 2);
            let (a, b) = (m.predict(&task), reference_forward(&m, &task));
            for (x, y) in a.iter().zip(b.iter()) {
                assert!((x - y).abs() < 1e-5, "{:?}: {x} vs {y}", cfg.cell);
            }
            assert_eq!(m.net.num_params(), cfg.n_params());
        }
    }

    #[test]
    fn unrolled_loss_and_gradients_are_burns_autodiff() {
        // Oracle: burn's autodiff through the burn network with the same weights and batch.
        let task = adding_problem(&mut seeded(4), 7, 9);
        for cfg in [RecurrentConfig::rnn(2, 5, 1), RecurrentConfig::lstm(2, 5, 1).with_forget_bias(2.0)] {
            let device = Default::default();
            let net = RecurrentNet::<Train>::new(&cfg, 3, &device);
            let idx: Vec<usize> = (0..7).collect();
            let pred = net.forward(sequences(&task.inputs, &idx, &device), &[]);
            let loss = (pred - super::super::convert::matrix::<Train>(&task.targets, &device)).square().mean();
            let burn_loss = f64::from(loss.clone().into_scalar());
            let g = loss.backward();
            let mut burn_grad = Vec::new();
            for l in [&net.input, &net.recurrent, &net.readout] {
                burn_grad.extend(values(l.weight.val().grad(&g).unwrap()));
                if let Some(bias) = &l.bias {
                    burn_grad.extend(values(bias.val().grad(&g).unwrap()));
                }
            }
            let params = Unrolled::from_net(&net, &cfg);
            let mut tape = UnrolledTape::default();
            let x: Vec<f32> = task.inputs.iter().map(|&v| v as f32).collect();
            let y: Vec<f32> = task.targets.iter().map(|&v| v as f32).collect();
            params.forward(&x, 7, 9, &mut tape);
            let mut grad = vec![0.0f32; params.theta.len()];
            let ours = params.backward(&tape, &y, &mut grad);
            assert!((ours - burn_loss).abs() < 1e-5 * (1.0 + burn_loss), "{:?}: loss {ours} vs burn {burn_loss}", cfg.cell);
            assert_eq!(grad.len(), burn_grad.len());
            let scale = burn_grad.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            for (i, (a, b)) in grad.iter().zip(&burn_grad).enumerate() {
                assert!((f64::from(*a) - b).abs() <= 1e-4 * scale, "{:?} parameter {i}: {a} vs burn {b}", cfg.cell);
            }
            // Written back, the burn network predicts what the unrolled one does.
            let back = RecurrentModel { net: params.into_net(net), config: cfg }.predict(&task);
            for (a, b) in back.iter().zip(&tape.out) {
                assert!((a - f64::from(*b)).abs() < 1e-5);
            }
        }
    }

    #[test]
    fn gradient_at_the_last_step_is_the_readout_back_projection() {
        // Oracle: the readout is linear in h_T, so ∂L/∂h_T = (2/N)(ŷ − y)W_oᵀ exactly.
        let task = recall_first(&mut seeded(2), 8, 6, 0.1);
        let m = RecurrentModel::init(&RecurrentConfig::lstm(1, 5, 1), 4);
        let g = m.gradient_through_time(&task);
        let net: RecurrentNet<Inner> = m.net.valid();
        let w_o = to_array2(net.readout.weight.val()); // [5, 1]
        let resid = m.predict(&task) - &task.targets; // [8, 1]
        let d_ht = resid.dot(&w_o.t()) * (2.0 / 8.0); // [8, 5]
        let expected = d_ht.mapv(|v| v * v).sum().sqrt();
        assert!((g[5] - expected).abs() < 1e-5 * (1.0 + expected), "{} vs {expected}", g[5]);
    }

    #[test]
    fn recurrent_weight_gradient_matches_central_finite_differences() {
        // Oracle: (L(W_h + εE) − L(W_h − εE)) / 2ε with L from the independent f64 forward pass.
        let task = adding_problem(&mut seeded(6), 6, 8);
        for cfg in [RecurrentConfig::rnn(2, 4, 1), RecurrentConfig::lstm(2, 4, 1)] {
            let m = RecurrentModel::init(&cfg, 7);
            let device = Default::default();
            let idx: Vec<usize> = (0..6).collect();
            let pred = m.net.forward(sequences(&task.inputs, &idx, &device), &[]);
            let y = super::super::convert::matrix::<Train>(&task.targets, &device);
            let grads = (pred - y).square().mean().backward();
            let g = to_array2(m.net.recurrent.weight.val().grad(&grads).unwrap());
            let w = to_array2(m.net.recurrent.weight.val());
            let loss_with = |w: &Array2<f64>| {
                let mut net = m.net.clone();
                net.recurrent.weight = Param::from_tensor(super::super::convert::matrix(w, &device));
                let mm = RecurrentModel { net, config: cfg };
                (mm.predict(&task) - &task.targets).mapv(|v| v * v).mean().unwrap()
            };
            let eps = 1e-3;
            for (i, j) in [(0, 0), (1, 2), (3, cfg.gates() * 4 - 1)] {
                let (mut plus, mut minus) = (w.clone(), w.clone());
                plus[[i, j]] += eps;
                minus[[i, j]] -= eps;
                let fd = (loss_with(&plus) - loss_with(&minus)) / (2.0 * eps);
                // f32 forward passes: the difference quotient carries ~1e-7/1e-3 = 1e-4 of rounding.
                assert!((g[[i, j]] - fd).abs() < 1e-3 * (1.0 + fd.abs()), "{:?} ({i},{j}): {} vs {fd}", cfg.cell, g[[i, j]]);
            }
        }
    }

    #[test]
    fn rnn_gradient_obeys_the_jacobian_bound() {
        // Oracle: with W_h = g·Q (Q orthogonal), ‖∂h_s/∂h_{s-1}‖ = ‖W_hᵀ diag(tanh')‖ ≤ g, so
        // ‖∂L/∂h_t‖ ≤ g^(T−1−t) ‖∂L/∂h_{T−1}‖ for every t (Pascanu et al. 2013).
        let task = adding_problem(&mut seeded(3), 32, 25);
        for gain in [0.6, 1.0] {
            let g = gradient_through_time(&RecurrentConfig::rnn(2, 16, 1).with_recurrent_gain(gain), &task, 5);
            for t in 0..25 {
                let bound = gain.powi(24 - t as i32) * g[24];
                assert!(g[t] <= bound * (1.0 + 1e-4), "gain {gain}, t {t}: {} > {bound}", g[t]);
            }
        }
    }

    #[test]
    fn lstm_with_open_forget_gates_keeps_the_gradient() {
        let task = recall_first(&mut seeded(3), 64, 40, 1.0);
        let ratio = |cfg: RecurrentConfig| {
            let g = gradient_through_time(&cfg, &task, 5);
            g[0] / g[39]
        };
        let rnn = ratio(RecurrentConfig::rnn(1, 32, 1));
        let lstm = ratio(RecurrentConfig::lstm(1, 32, 1).with_forget_bias(3.0));
        // Measured: the RNN keeps about 1e-2 of its gradient over 40 steps, the LSTM with
        // σ(3) ≈ 0.95 forget gates about 1 (seeds 0–3 give 6e-4..4e-3 and 2..4 at T = 50).
        assert!(rnn < 5e-2, "rnn {rnn}");
        assert!(lstm > 0.2 && lstm > 30.0 * rnn, "lstm {lstm} vs rnn {rnn}");
    }
}
