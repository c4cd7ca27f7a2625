//! A one-block transformer classifier trained in the nn engine, the key–value recall task it
//! is trained on, and the flat MLP it is compared with.
//!
//! The block is pre-norm (Phuong & Hutter 2022, Algorithm 10 with one layer):
//! $$h_1 = h_0 + \operatorname{MHA}(\operatorname{LN}_1 h_0),\qquad h_2 = h_1 + \operatorname{MLP}(\operatorname{LN}_2 h_1),$$
//! trained with the cross-entropy of the logits read at the last token. Its weights come back
//! as [`TransformerWeights`], whose `f64` forward pass (`course::nn::attention`) must reproduce
//! the engine's logits and attention maps.
//!
//! **Key–value recall**: a sequence of `n_pairs` tokens, each a (key, value) pair with distinct
//! keys, then a query token carrying one of the keys; the label is the value paired with it.
//! A token's features are `[one-hot key | one-hot value | query flag]`. One attention head
//! solves it by matching the query's key against every token's key (a lookup in a soft
//! dictionary); an MLP on the flattened sequence must learn every (position, key, value)
//! combination separately.
//!
//! ## Reference
//! Vaswani et al. (2017), *Attention is all you need*; Phuong & Hutter (2022), *Formal
//! algorithms for transformers*; Ba, Hinton et al. (2016) (associative recall with fast weights).
//!
//! Used in notebooks/11-attention-and-transformers.ipynb.

use super::TransformerWeights;
use super::attention::MultiHeadAttention;
use super::codec::{Wire, decode};
use super::engine::call;
use super::wire::Value;
use super::{TrainConfig, TrainReport};
use ndarray::{Array1, Array2, Array3, Axis};
use rand::{Rng, RngExt};
use rand::seq::index::sample;

/// The key–value recall task: `inputs` (`n_samples × (n_pairs + 1) × (n_keys + n_values + 1)`),
/// `labels` (the value to recall) and `answer_position` (the pair whose key the query asks for).
///
/// # Examples
/// ```
/// let task = course::nn::KeyValueRecall::sample(&mut course::rng::seeded(0), 10, 4, 8, 5);
/// assert_eq!(task.inputs.dim(), (10, 5, 14));
/// let (i, p) = (3, task.answer_position[3]);
/// assert_eq!(task.inputs[[i, p, 8 + task.labels[i]]], 1.0); // the answer's value one-hot
/// assert_eq!(task.chance(), 0.2);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct KeyValueRecall {
    /// One-hot features of every token; the query is the last token.
    pub inputs: Array3<f64>,
    /// The value to recall, in `0..n_values`.
    pub labels: Vec<usize>,
    /// The position (in `0..n_pairs`) of the pair whose key the query carries.
    pub answer_position: Vec<usize>,
    /// Number of distinct keys.
    pub n_keys: usize,
    /// Number of distinct values (the classes).
    pub n_values: usize,
}

impl KeyValueRecall {
    /// `n_samples` sequences of `n_pairs` pairs with distinct keys drawn from `0..n_keys`,
    /// values uniform in `0..n_values`, the queried pair uniform.
    ///
    /// # Panics
    /// If `n_pairs` is 0 or exceeds `n_keys`, or `n_values < 2`.
    pub fn sample(rng: &mut impl Rng, n_samples: usize, n_pairs: usize, n_keys: usize, n_values: usize) -> Self {
        assert!(n_pairs > 0 && n_pairs <= n_keys, "KeyValueRecall: n_pairs must be in 1..=n_keys = {n_keys}, got {n_pairs}");
        assert!(n_values >= 2, "KeyValueRecall: n_values must be >= 2, got {n_values}");
        let f = n_keys + n_values + 1;
        let mut inputs = Array3::zeros((n_samples, n_pairs + 1, f));
        let (mut labels, mut answer_position) = (Vec::with_capacity(n_samples), Vec::with_capacity(n_samples));
        for i in 0..n_samples {
            let keys = sample(rng, n_keys, n_pairs).into_vec();
            let mut values = Vec::with_capacity(n_pairs);
            for (p, &k) in keys.iter().enumerate() {
                let v = rng.random_range(0..n_values);
                inputs[[i, p, k]] = 1.0;
                inputs[[i, p, n_keys + v]] = 1.0;
                values.push(v);
            }
            let a = rng.random_range(0..n_pairs);
            inputs[[i, n_pairs, keys[a]]] = 1.0;
            inputs[[i, n_pairs, f - 1]] = 1.0;
            labels.push(values[a]);
            answer_position.push(a);
        }
        KeyValueRecall { inputs, labels, answer_position, n_keys, n_values }
    }

    /// Number of sequences.
    pub fn n_samples(&self) -> usize {
        self.labels.len()
    }

    /// Tokens per sequence (pairs and the query).
    pub fn seq_len(&self) -> usize {
        self.inputs.dim().1
    }

    /// Features per token.
    pub fn dim(&self) -> usize {
        self.inputs.dim().2
    }

    /// The accuracy of guessing: $1/n_{\text{values}}$.
    pub fn chance(&self) -> f64 {
        1.0 / self.n_values as f64
    }

    /// Sequence `i` as a `seq_len × dim` matrix.
    pub fn sequence(&self, i: usize) -> Array2<f64> {
        self.inputs.index_axis(Axis(0), i).to_owned()
    }
}

/// A one-block transformer classifier: `dim_in` features per token, width `d_model`,
/// `n_heads` heads, an MLP of `d_ff` hidden units, `n_classes` logits read at the last token.
///
/// # Examples
/// ```
/// let cfg = course::nn::TransformerConfig::new(5, 8, 2, 16, 3);
/// // embed, 4 attention maps, 2 MLP layers, readout, 3 layer norms
/// assert_eq!(cfg.n_params(), (5 * 8 + 8) + 4 * (8 * 8 + 8) + (8 * 16 + 16) + (16 * 8 + 8) + (8 * 3 + 3) + 3 * 16);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransformerConfig {
    /// Features per token.
    pub dim_in: usize,
    /// Width of the residual stream.
    pub d_model: usize,
    /// Attention heads (divide `d_model`).
    pub n_heads: usize,
    /// Hidden units of the block's MLP.
    pub d_ff: usize,
    /// Number of classes.
    pub n_classes: usize,
    /// Add sinusoidal positional encodings to the embeddings (default no).
    pub positional: bool,
}

impl TransformerConfig {
    /// A configuration without positional encodings.
    pub fn new(dim_in: usize, d_model: usize, n_heads: usize, d_ff: usize, n_classes: usize) -> Self {
        TransformerConfig { dim_in, d_model, n_heads, d_ff, n_classes, positional: false }
    }

    /// The same with (or without) sinusoidal positional encodings.
    pub fn with_positional(self, positional: bool) -> Self {
        TransformerConfig { positional, ..self }
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        let d = self.d_model;
        (self.dim_in + 1) * d + 4 * (d + 1) * d + (d + 1) * self.d_ff + (self.d_ff + 1) * d + (d + 1) * self.n_classes + 6 * d
    }

    #[doc(hidden)]
    pub fn validate(&self, who: &str) {
        assert!(self.dim_in > 0 && self.d_model > 0 && self.d_ff > 0 && self.n_classes > 0, "{who}: dim_in, d_model, d_ff and n_classes must be > 0, got {self:?}");
        assert!(self.n_heads > 0 && self.d_model % self.n_heads == 0, "{who}: n_heads must divide d_model = {}, got {}", self.d_model, self.n_heads);
        assert!(!self.positional || self.d_model % 2 == 0, "{who}: positional encodings need an even d_model, got {}", self.d_model);
    }
}

impl Wire for TransformerConfig {
    fn to_wire(&self) -> Value {
        Value::List(vec![self.dim_in.into(), self.d_model.into(), self.n_heads.into(), self.d_ff.into(), self.n_classes.into(), self.positional.into()])
    }
    fn from_wire(v: &Value) -> Result<Self, super::wire::WireError> {
        let a = v.items(6)?;
        Ok(TransformerConfig { dim_in: a[0].usize()?, d_model: a[1].usize()?, n_heads: a[2].usize()?, d_ff: a[3].usize()?, n_classes: a[4].usize()?, positional: a[5].bool()? })
    }
}

/// What a [`SequenceClassifier`] is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SequenceModel {
    /// The one-block transformer.
    Transformer(TransformerConfig),
    /// An MLP on the flattened sequence: `seq_len · dim_in → hidden → hidden → n_classes`, ReLU.
    FlatMlp {
        /// Tokens × features of the input.
        dim_in: usize,
        /// Hidden units per layer.
        hidden: usize,
        /// Number of classes.
        n_classes: usize,
    },
}

impl SequenceModel {
    /// Number of trainable parameters.
    ///
    /// # Examples
    /// ```
    /// let m = course::nn::SequenceModel::FlatMlp { dim_in: 10, hidden: 4, n_classes: 3 };
    /// assert_eq!(m.n_params(), 11 * 4 + 5 * 4 + 5 * 3);
    /// ```
    pub fn n_params(&self) -> usize {
        match *self {
            SequenceModel::Transformer(c) => c.n_params(),
            SequenceModel::FlatMlp { dim_in, hidden, n_classes } => (dim_in + 1) * hidden + (hidden + 1) * hidden + (hidden + 1) * n_classes,
        }
    }
}

/// A trained sequence classifier held by the engine.
///
/// # Examples
/// ```
/// use course::nn::{KeyValueRecall, TransformerConfig, TrainConfig, train_transformer};
/// let task = KeyValueRecall::sample(&mut course::rng::seeded(0), 32, 3, 4, 3);
/// let (m, r) = train_transformer(&TransformerConfig::new(task.dim(), 8, 1, 8, 3), &task, &TrainConfig::adam(5, 1e-2));
/// assert_eq!((m.logits(&task.inputs).dim(), r.losses.len()), ((32, 3), 5));
/// assert!(m.accuracy(&task) >= 0.0 && m.attention_maps(&task.inputs).len() == 32);
/// ```
#[derive(Debug)]
pub struct SequenceClassifier {
    handle: u64,
    model: SequenceModel,
}

impl SequenceClassifier {
    /// The logits of every sequence (`n_samples × n_classes`).
    pub fn logits(&self, inputs: &Array3<f64>) -> Array2<f64> {
        decode("sequence_logits", &call("sequence_logits", Value::List(vec![self.handle.into(), inputs.to_wire()])))
    }

    /// The fraction of sequences whose largest logit is the label.
    pub fn accuracy(&self, task: &KeyValueRecall) -> f64 {
        let logits = self.logits(&task.inputs);
        let hits = logits.rows().into_iter().zip(&task.labels).filter(|(row, l)| argmax(row.iter().copied()) == **l).count();
        hits as f64 / task.n_samples().max(1) as f64
    }

    /// The attention map of every sequence, head after head: entry `n_heads · i + h` is head
    /// `h` on sequence `i` (`seq_len × seq_len`, rows sum to 1).
    ///
    /// # Panics
    /// If the model is not a transformer.
    pub fn attention_maps(&self, inputs: &Array3<f64>) -> Vec<Array2<f64>> {
        self.transformer("attention_maps");
        decode("transformer_attention", &call("transformer_attention", Value::List(vec![self.handle.into(), inputs.to_wire()])))
    }

    /// The trained weights, for the `f64` reference forward pass.
    ///
    /// # Panics
    /// If the model is not a transformer.
    pub fn weights(&self) -> TransformerWeights {
        let cfg = self.transformer("weights");
        let m: Vec<Array2<f64>> = decode("transformer_weights", &call("transformer_weights", Value::U64(self.handle)));
        TransformerWeights::from_matrices(&m, cfg.n_heads, cfg.positional)
    }

    /// What it is.
    pub fn model(&self) -> SequenceModel {
        self.model
    }

    fn transformer(&self, who: &str) -> TransformerConfig {
        match self.model {
            SequenceModel::Transformer(c) => c,
            _ => panic!("{who}: only a transformer has attention weights, this is {:?}", self.model),
        }
    }
}

fn argmax(it: impl Iterator<Item = f64>) -> usize {
    it.enumerate().fold((0, f64::NEG_INFINITY), |(bi, bv), (i, v)| if v > bv { (i, v) } else { (bi, bv) }).0
}

fn check_task(who: &str, task: &KeyValueRecall, dim_in: usize, n_classes: usize) {
    assert!(task.n_samples() > 0, "{who}: the task has no sequences");
    assert_eq!(task.dim(), dim_in, "{who}: the task has {} features per token, the model dim_in = {dim_in}", task.dim());
    assert_eq!(task.n_values, n_classes, "{who}: the task has {} values, the model n_classes = {n_classes}", task.n_values);
}

/// Trains the transformer `cfg` on `task` (cross-entropy at the last token) as `tc` says. The
/// report's gradient norms are those of $E$, $W_Q$, $W_K$, $W_V$, $W_O$, $W_1$, $W_2$, $W_{\text{out}}$.
///
/// # Panics
/// If `cfg` or `tc` is invalid or the task's shapes disagree with `cfg`.
///
/// # Examples
/// ```
/// use course::nn::{KeyValueRecall, TransformerConfig, TrainConfig, train_transformer};
/// let task = KeyValueRecall::sample(&mut course::rng::seeded(1), 256, 2, 3, 2);
/// let cfg = TransformerConfig::new(task.dim(), 16, 1, 16, 2);
/// let (m, r) = train_transformer(&cfg, &task, &TrainConfig::adam(150, 1e-2).with_batch_size(64));
/// assert!(m.accuracy(&task) > 0.9 && r.grad_norms[0].len() == 8);
/// ```
pub fn train_transformer(cfg: &TransformerConfig, task: &KeyValueRecall, tc: &TrainConfig) -> (SequenceClassifier, TrainReport) {
    cfg.validate("train_transformer");
    tc.validate("train_transformer");
    check_task("train_transformer", task, cfg.dim_in, cfg.n_classes);
    let out = call("train_transformer", Value::List(vec![cfg.to_wire(), task.inputs.to_wire(), (&task.labels[..]).into(), tc.to_wire()]));
    let r = out.items(2).expect("[handle, report]");
    (SequenceClassifier { handle: r[0].u64().expect("handle"), model: SequenceModel::Transformer(*cfg) }, decode("train_transformer", &r[1]))
}

/// Trains the flat MLP baseline (`seq_len · dim` inputs, two hidden ReLU layers of `hidden`
/// units) on `task` with the same loss and loop as [`train_transformer`].
///
/// # Panics
/// If `hidden` is 0, `tc` is invalid or the task is empty.
///
/// # Examples
/// ```
/// use course::nn::{KeyValueRecall, TrainConfig, train_flat_mlp};
/// let task = KeyValueRecall::sample(&mut course::rng::seeded(1), 64, 2, 3, 2);
/// let (m, r) = train_flat_mlp(16, &task, &TrainConfig::adam(100, 1e-2));
/// assert!(m.accuracy(&task) > 0.9 && r.losses[99] < r.losses[0]);
/// ```
pub fn train_flat_mlp(hidden: usize, task: &KeyValueRecall, tc: &TrainConfig) -> (SequenceClassifier, TrainReport) {
    assert!(hidden > 0, "train_flat_mlp: hidden must be > 0, got 0");
    tc.validate("train_flat_mlp");
    let model = SequenceModel::FlatMlp { dim_in: task.seq_len() * task.dim(), hidden, n_classes: task.n_values };
    check_task("train_flat_mlp", task, task.dim(), task.n_values);
    let out = call("train_flat_mlp", Value::List(vec![hidden.into(), task.n_values.into(), task.inputs.to_wire(), (&task.labels[..]).into(), tc.to_wire()]));
    let r = out.items(2).expect("[handle, report]");
    (SequenceClassifier { handle: r[0].u64().expect("handle"), model }, decode("train_flat_mlp", &r[1]))
}

impl Drop for SequenceClassifier {
    fn drop(&mut self) {
        call("drop", Value::U64(self.handle));
    }
}

impl TransformerWeights {
    /// The weights from the engine's exported matrices (vectors as `1 × n` rows), in the order of
    /// [`SequenceNet::weights`]: embedding, layer norm 1, attention (Q, K, V, O and their biases),
    /// layer norm 2, feed-forward, final layer norm, output layer.
    ///
    /// # Panics
    /// If `m` holds fewer than 22 matrices.
    ///
    /// # Examples
    /// ```
    /// use course::nn::TransformerWeights;
    /// use ndarray::Array2;
    /// // Matrix i filled with i: the feed-forward bias b₁ is the 16th, the final norm's shift the 20th.
    /// let m: Vec<Array2<f64>> = (0..22).map(|i| Array2::from_elem((1, 3), i as f64)).collect();
    /// let w = TransformerWeights::from_matrices(&m, 1, false);
    /// assert_eq!((w.ff_b1[0], w.ln_f.1[2], w.attn.n_heads), (15.0, 19.0, 1));
    /// ```
    pub fn from_matrices(m: &[Array2<f64>], n_heads: usize, positional: bool) -> Self {
        assert!(m.len() >= 22, "TransformerWeights::from_matrices: m must hold the 22 exported matrices, got {}", m.len());
        let v = |i: usize| -> Array1<f64> { m[i].row(0).to_owned() };
        TransformerWeights {
            embed: m[0].clone(),
            embed_b: v(1),
            ln1: (v(2), v(3)),
            attn: MultiHeadAttention { w_q: m[4].clone(), w_k: m[5].clone(), w_v: m[6].clone(), w_o: m[7].clone(), b_q: v(8), b_k: v(9), b_v: v(10), b_o: v(11), n_heads },
            ln2: (v(12), v(13)),
            ff_w1: m[14].clone(),
            ff_b1: v(15),
            ff_w2: m[16].clone(),
            ff_b2: v(17),
            ln_f: (v(18), v(19)),
            out: m[20].clone(),
            out_b: v(21),
            positional,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn every_sequence_has_distinct_keys_and_a_query_that_matches() {
        let t = KeyValueRecall::sample(&mut seeded(4), 50, 5, 7, 3);
        for i in 0..50 {
            let x = t.sequence(i);
            let keys: Vec<usize> = (0..5).map(|p| argmax(x.row(p).iter().take(7).copied())).collect();
            let mut s = keys.clone();
            s.sort_unstable();
            s.dedup();
            assert_eq!(s.len(), 5);
            let q = argmax(x.row(5).iter().take(7).copied());
            assert_eq!(keys[t.answer_position[i]], q);
            assert_eq!(x[[5, 10]], 1.0);
            assert_eq!(x.row(5).iter().skip(7).take(3).sum::<f64>(), 0.0);
        }
    }

    #[test]
    #[should_panic(expected = "n_pairs must be in 1..=n_keys = 3, got 4")]
    fn more_pairs_than_keys_is_rejected() {
        KeyValueRecall::sample(&mut seeded(0), 1, 4, 3, 2);
    }
}
