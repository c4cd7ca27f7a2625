//! A one-block pre-norm transformer classifier and a flat MLP baseline, trained by burn's
//! autodiff with the shared minibatch loop (cross-entropy of the logits at the last token).
//!
//! $$h_0 = XE + b_E\,(+\,\mathrm{PE}),\quad h_1 = h_0 + \operatorname{MHA}(\operatorname{LN}_1 h_0),\quad h_2 = h_1 + W_2\,\mathrm{relu}(W_1\operatorname{LN}_2 h_1 + b_1) + b_2,$$
//! logits $= \operatorname{LN}_f(h_2)_T W_{\text{out}} + b_{\text{out}}$; attention per head
//! $\operatorname{softmax}(Q_hK_h^\top/\sqrt{d_h})V_h$. The network is built from, and exported as,
//! `course::nn::TransformerWeights`, whose `f64` forward pass is the tests' oracle.
//!
//! ## Reference
//! Vaswani et al. (2017), *Attention is all you need*; Phuong & Hutter (2022), *Formal
//! algorithms for transformers*.
//!
//! Used in notebooks/11-attention-and-transformers.ipynb.

use super::convert::{f32_rows, gather, norm, to_array2, values};
use super::training::{Layered, train_loop};
use super::{Inner, Init, Train, TrainConfig, TrainReport, TransformerConfig};
use crate::rng::seeded;
use burn::module::{AutodiffModule, Module, Param};
use burn::nn::Linear;
use burn::tensor::backend::{AutodiffBackend, Backend};
use burn::tensor::{Tensor, TensorData, activation};
use course::nn::{LAYER_NORM_EPSILON, TransformerWeights, sinusoidal_encoding};
use ndarray::{Array1, Array2, Array3};

fn vector<B: Backend>(v: &Array1<f64>, device: &B::Device) -> Tensor<B, 1> {
    Tensor::from_data(TensorData::new(v.iter().map(|&x| x as f32).collect::<Vec<f32>>(), [v.len()]), device)
}

fn dense<B: Backend>(w: &Array2<f64>, b: &Array1<f64>, device: &B::Device) -> Linear<B> {
    Linear { weight: Param::from_tensor(super::convert::matrix(w, device)), bias: Some(Param::from_tensor(vector(b, device))) }
}

fn row(t: Tensor<Inner, 1>) -> Array2<f64> {
    let v = values(t);
    Array2::from_shape_vec((1, v.len()), v).expect("a row")
}

fn export(l: &Linear<Inner>) -> [Array2<f64>; 2] {
    [to_array2(l.weight.val()), row(l.bias.as_ref().expect("bias").val())]
}

#[derive(Module, Debug)]
/// Layer normalization with learned gain and shift.
pub struct LayerNorm<B: Backend> {
    gamma: Param<Tensor<B, 1>>,
    beta: Param<Tensor<B, 1>>,
}

impl<B: Backend> LayerNorm<B> {
    fn new(p: &(Array1<f64>, Array1<f64>), device: &B::Device) -> Self {
        LayerNorm { gamma: Param::from_tensor(vector(&p.0, device)), beta: Param::from_tensor(vector(&p.1, device)) }
    }

    /// # Shapes
    /// `[batch, T, d]` → `[batch, T, d]`, each token normalized over its `d` features.
    fn forward(&self, x: Tensor<B, 3>) -> Tensor<B, 3> {
        let d = x.dims()[2];
        let c = x.clone() - x.mean_dim(2);
        let var = c.clone().powi_scalar(2).mean_dim(2);
        c / var.add_scalar(LAYER_NORM_EPSILON).sqrt() * self.gamma.val().reshape([1, 1, d]) + self.beta.val().reshape([1, 1, d])
    }
}

#[derive(Module, Debug)]
/// The one-block transformer.
pub struct TransformerNet<B: Backend> {
    embed: Linear<B>,
    ln1: LayerNorm<B>,
    q: Linear<B>,
    k: Linear<B>,
    v: Linear<B>,
    o: Linear<B>,
    ln2: LayerNorm<B>,
    ff1: Linear<B>,
    ff2: Linear<B>,
    ln_f: LayerNorm<B>,
    out: Linear<B>,
    n_heads: usize,
    positional: bool,
}

impl<B: Backend> TransformerNet<B> {
    fn from_weights(w: &TransformerWeights, device: &B::Device) -> Self {
        let a = &w.attn;
        TransformerNet {
            embed: dense(&w.embed, &w.embed_b, device),
            ln1: LayerNorm::new(&w.ln1, device),
            q: dense(&a.w_q, &a.b_q, device),
            k: dense(&a.w_k, &a.b_k, device),
            v: dense(&a.w_v, &a.b_v, device),
            o: dense(&a.w_o, &a.b_o, device),
            ln2: LayerNorm::new(&w.ln2, device),
            ff1: dense(&w.ff_w1, &w.ff_b1, device),
            ff2: dense(&w.ff_w2, &w.ff_b2, device),
            ln_f: LayerNorm::new(&w.ln_f, device),
            out: dense(&w.out, &w.out_b, device),
            n_heads: a.n_heads,
            positional: w.positional,
        }
    }

    /// # Shapes
    /// - input `[batch, T, dim_in]`
    /// - output: logits `[batch, n_classes]`, attention weights `[batch, heads, T, T]`.
    fn forward(&self, x: Tensor<B, 3>) -> (Tensor<B, 2>, Tensor<B, 4>) {
        let [b, t, _] = x.dims();
        let mut h0 = self.embed.forward(x); // [B, T, d]
        let d = h0.dims()[2];
        if self.positional {
            let pe = super::convert::matrix::<B>(&sinusoidal_encoding(t, d), &h0.device());
            h0 = h0 + pe.reshape([1, t, d]);
        }
        let a = self.ln1.forward(h0.clone());
        let (nh, dh) = (self.n_heads, d / self.n_heads);
        let split = |y: Tensor<B, 3>| y.reshape([b, t, nh, dh]).swap_dims(1, 2); // [B, H, T, dh]
        let (q, k, v) = (split(self.q.forward(a.clone())), split(self.k.forward(a.clone())), split(self.v.forward(a)));
        let scores = q.matmul(k.swap_dims(2, 3)).div_scalar((dh as f64).sqrt()); // [B, H, T, T]
        let w = activation::softmax(scores, 3);
        let ctx = w.clone().matmul(v).swap_dims(1, 2).reshape([b, t, d]);
        let h1 = h0 + self.o.forward(ctx);
        let h2 = h1.clone() + self.ff2.forward(activation::relu(self.ff1.forward(self.ln2.forward(h1))));
        let last = self.ln_f.forward(h2).slice([0..b, t - 1..t, 0..d]).reshape([b, d]);
        (self.out.forward(last), w)
    }
}

impl Layered for TransformerNet<Train> {
    fn layer_grad_norms(&self, grads: &<Train as AutodiffBackend>::Gradients) -> Vec<f64> {
        [&self.embed, &self.q, &self.k, &self.v, &self.o, &self.ff1, &self.ff2, &self.out].iter().map(|l| l.weight.val().grad(grads).map_or(0.0, norm)).collect()
    }
}

#[derive(Module, Debug)]
/// The flat MLP baseline.
pub struct FlatMlp<B: Backend> {
    l1: Linear<B>,
    l2: Linear<B>,
    l3: Linear<B>,
}

impl<B: Backend> FlatMlp<B> {
    fn new(dim_in: usize, hidden: usize, n_classes: usize, seed: u64, device: &B::Device) -> Self {
        let mut rng = seeded(seed);
        let mut layer = |a: usize, b: usize, init: Init| super::convert::linear(&init.sample(&mut rng, a, b), device);
        FlatMlp { l1: layer(dim_in, hidden, Init::He), l2: layer(hidden, hidden, Init::He), l3: layer(hidden, n_classes, Init::Xavier) }
    }

    /// # Shapes
    /// `[batch, T, dim]` (flattened to `[batch, T·dim]`) → logits `[batch, n_classes]`.
    fn forward(&self, x: Tensor<B, 3>) -> Tensor<B, 2> {
        let [b, t, f] = x.dims();
        let x = x.reshape([b, t * f]);
        self.l3.forward(activation::relu(self.l2.forward(activation::relu(self.l1.forward(x)))))
    }
}

impl Layered for FlatMlp<Train> {
    fn layer_grad_norms(&self, grads: &<Train as AutodiffBackend>::Gradients) -> Vec<f64> {
        [&self.l1, &self.l2, &self.l3].iter().map(|l| l.weight.val().grad(grads).map_or(0.0, norm)).collect()
    }
}

/// A trained model, in inference mode.
#[derive(Debug)]
pub enum SequenceNet {
    /// The transformer.
    Transformer(TransformerNet<Inner>),
    /// The flat MLP.
    Mlp(FlatMlp<Inner>),
}

/// Sequences of `src` (row-major `n × T × f` in `f32`) as a tensor `[idx.len(), T, f]`.
fn batch<B: Backend>(src: &[f32], t: usize, f: usize, idx: &[usize], buf: &mut Vec<f32>, device: &B::Device) -> Tensor<B, 3> {
    gather(src, t * f, idx, buf);
    Tensor::from_data(TensorData::new(buf.clone(), [idx.len(), t, f]), device)
}

fn cross_entropy<B: Backend>(logits: Tensor<B, 2>, labels: &[usize], idx: &[usize], device: &B::Device) -> Tensor<B, 1> {
    let c = logits.dims()[1];
    let mut onehot = vec![0.0f32; idx.len() * c];
    for (r, &i) in idx.iter().enumerate() {
        onehot[r * c + labels[i]] = 1.0;
    }
    let y = Tensor::<B, 2>::from_data(TensorData::new(onehot, [idx.len(), c]), device);
    (activation::log_softmax(logits, 1) * y).sum_dim(1).mean().neg()
}

fn check(who: &str, x: &Array3<f64>, labels: &[usize], n_classes: usize) {
    assert_eq!(x.dim().0, labels.len(), "{who}: one label per sequence: {} sequences, {} labels", x.dim().0, labels.len());
    assert!(labels.iter().all(|&l| l < n_classes), "{who}: labels must be < n_classes = {n_classes}");
}

/// Trains the transformer `cfg` (initialized as `TransformerWeights::random` with `tc.seed`).
pub fn train_transformer(cfg: &TransformerConfig, x: &Array3<f64>, labels: &[usize], tc: &TrainConfig) -> (SequenceNet, TrainReport) {
    cfg.validate("train_transformer");
    tc.validate("train_transformer");
    check("train_transformer", x, labels, cfg.n_classes);
    let (_, t, f) = x.dim();
    assert_eq!(f, cfg.dim_in, "train_transformer: the sequences have {f} features, dim_in = {}", cfg.dim_in);
    let device = Default::default();
    let w = TransformerWeights::random(&mut seeded(tc.seed), cfg.dim_in, cfg.d_model, cfg.n_heads, cfg.d_ff, cfg.n_classes, cfg.positional);
    let (src, mut buf) = (f32_rows(x), Vec::new());
    let (net, report) = train_loop(TransformerNet::<Train>::from_weights(&w, &device), tc, labels.len(), |net: &TransformerNet<Train>, idx, _| {
        cross_entropy(net.forward(batch(&src, t, f, idx, &mut buf, &device)).0, labels, idx, &device)
    });
    (SequenceNet::Transformer(net.valid()), report)
}

/// Trains the flat MLP baseline.
pub fn train_flat_mlp(hidden: usize, n_classes: usize, x: &Array3<f64>, labels: &[usize], tc: &TrainConfig) -> (SequenceNet, TrainReport) {
    assert!(hidden > 0 && n_classes > 0, "train_flat_mlp: hidden and n_classes must be > 0, got {hidden}, {n_classes}");
    tc.validate("train_flat_mlp");
    check("train_flat_mlp", x, labels, n_classes);
    let (_, t, f) = x.dim();
    let device = Default::default();
    let (src, mut buf) = (f32_rows(x), Vec::new());
    let net = FlatMlp::<Train>::new(t * f, hidden, n_classes, tc.seed, &device);
    let (net, report) = train_loop(net, tc, labels.len(), |net: &FlatMlp<Train>, idx, _| cross_entropy(net.forward(batch(&src, t, f, idx, &mut buf, &device)), labels, idx, &device));
    (SequenceNet::Mlp(net.valid()), report)
}

impl SequenceNet {
    fn input(x: &Array3<f64>) -> Tensor<Inner, 3> {
        let (n, t, f) = x.dim();
        Tensor::from_data(TensorData::new(f32_rows(x), [n, t, f]), &Default::default())
    }

    /// Logits `n × n_classes`.
    pub fn logits(&self, x: &Array3<f64>) -> Array2<f64> {
        match self {
            SequenceNet::Transformer(net) => to_array2(net.forward(Self::input(x)).0),
            SequenceNet::Mlp(net) => to_array2(net.forward(Self::input(x))),
        }
    }

    /// Attention maps, sequence-major then head.
    pub fn attention_maps(&self, x: &Array3<f64>) -> Vec<Array2<f64>> {
        let SequenceNet::Transformer(net) = self else { panic!("attention_maps: the model is not a transformer") };
        let w = net.forward(Self::input(x)).1;
        let [n, h, t, _] = w.dims();
        let v = values(w);
        (0..n * h).map(|i| Array2::from_shape_vec((t, t), v[i * t * t..(i + 1) * t * t].to_vec()).expect("t × t")).collect()
    }

    /// The transformer's weights (see `course::nn::SequenceClassifier::weights` for the order).
    pub fn weights(&self) -> Vec<Array2<f64>> {
        let SequenceNet::Transformer(net) = self else { panic!("weights: the model is not a transformer") };
        let ln = |l: &LayerNorm<Inner>| [row(l.gamma.val()), row(l.beta.val())];
        let [qw, qb] = export(&net.q);
        let [kw, kb] = export(&net.k);
        let [vw, vb] = export(&net.v);
        let [ow, ob] = export(&net.o);
        let mut m = Vec::with_capacity(22);
        m.extend(export(&net.embed));
        m.extend(ln(&net.ln1));
        m.extend([qw, kw, vw, ow, qb, kb, vb, ob]);
        m.extend(ln(&net.ln2));
        m.extend(export(&net.ff1));
        m.extend(export(&net.ff2));
        m.extend(ln(&net.ln_f));
        m.extend(export(&net.out));
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use course::nn::{KeyValueRecall, TransformerConfig};

    fn random_model(positional: bool, n_heads: usize) -> (TransformerWeights, SequenceNet, KeyValueRecall) {
        let task = KeyValueRecall::sample(&mut seeded(5), 6, 4, 6, 3);
        let mut w = TransformerWeights::random(&mut seeded(9), task.dim(), 8, n_heads, 12, 3, positional);
        // Non-trivial biases and gains, so that every parameter is exercised.
        let mut rng = seeded(11);
        for b in [&mut w.embed_b, &mut w.attn.b_q, &mut w.attn.b_k, &mut w.attn.b_v, &mut w.attn.b_o, &mut w.ff_b1, &mut w.ff_b2, &mut w.out_b, &mut w.ln1.0, &mut w.ln2.1] {
            let r = Init::Std(0.3).sample(&mut rng, 1, b.len());
            *b = &*b + &r.row(0);
        }
        let net = SequenceNet::Transformer(TransformerNet::from_weights(&w, &Default::default()));
        (w, net, task)
    }

    #[test]
    fn forward_agrees_with_the_f64_reference() {
        for (positional, heads) in [(false, 1), (true, 2)] {
            let (w, net, task) = random_model(positional, heads);
            let (logits, maps) = (net.logits(&task.inputs), net.attention_maps(&task.inputs));
            for i in 0..task.n_samples() {
                let x = task.sequence(i);
                let diff = (&logits.row(i) - &w.logits(&x)).iter().fold(0.0f64, |m, e| m.max(e.abs()));
                assert!(diff < 1e-5, "logits differ by {diff}");
                for (h, a) in w.attention_maps(&x).iter().enumerate() {
                    let diff = (a - &maps[i * heads + h]).iter().fold(0.0f64, |m, e| m.max(e.abs()));
                    assert!(diff < 1e-6, "attention differs by {diff}");
                }
            }
        }
    }

    #[test]
    fn exported_weights_round_trip() {
        let (w, net, _) = random_model(true, 2);
        let back = TransformerWeights::from_matrices(&net.weights(), 2, true);
        assert!((&back.attn.w_k - &w.attn.w_k).iter().all(|e| e.abs() < 1e-6));
        assert!((&back.ff_b1 - &w.ff_b1).iter().all(|e| e.abs() < 1e-6));
        assert!((&back.ln1.0 - &w.ln1.0).iter().all(|e| e.abs() < 1e-6));
    }

    #[test]
    fn first_loss_is_the_cross_entropy_of_the_initial_logits() {
        let task = KeyValueRecall::sample(&mut seeded(2), 20, 3, 5, 4);
        let cfg = TransformerConfig::new(task.dim(), 8, 2, 8, 4);
        let tc = TrainConfig::sgd(1, 1e-3).with_seed(3);
        let (_, report) = train_transformer(&cfg, &task.inputs, &task.labels, &tc);
        let w = TransformerWeights::random(&mut seeded(3), task.dim(), 8, 2, 8, 4, false);
        let ce: f64 = (0..20)
            .map(|i| {
                let l = w.logits(&task.sequence(i));
                let m = l.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                m + l.iter().map(|v| (v - m).exp()).sum::<f64>().ln() - l[task.labels[i]]
            })
            .sum::<f64>()
            / 20.0;
        assert!((report.losses[0] - ce).abs() < 1e-5, "{} vs {ce}", report.losses[0]);
    }

    #[test]
    fn the_transformer_learns_recall() {
        let task = KeyValueRecall::sample(&mut seeded(1), 512, 3, 6, 3);
        let cfg = TransformerConfig::new(task.dim(), 16, 1, 16, 3);
        let (net, _) = train_transformer(&cfg, &task.inputs, &task.labels, &TrainConfig::adam(300, 1e-2).with_batch_size(64));
        let test = KeyValueRecall::sample(&mut seeded(2), 200, 3, 6, 3);
        let logits = net.logits(&test.inputs);
        let hits = (0..200).filter(|&i| (0..3).all(|c| logits[[i, c]] <= logits[[i, test.labels[i]]])).count();
        assert!(hits > 180, "{hits}/200");
    }
}
