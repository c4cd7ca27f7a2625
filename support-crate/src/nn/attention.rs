//! Attention: scaled dot-product attention, multi-head self-attention and sinusoidal
//! positional encodings, in plain `f64` ndarray (the reference the engine is checked against).
//!
//! For queries $Q\in\mathbb R^{T_q\times d}$, keys $K\in\mathbb R^{T\times d}$, values
//! $V\in\mathbb R^{T\times d_v}$,
//! $$\operatorname{Attn}(Q,K,V) = \operatorname{softmax}_{\text{rows}}\Big(\frac{QK^\top}{\sqrt d} + M\Big)V,$$
//! with $M_{ij} = -\infty$ for $j > i$ under a causal mask, $0$ otherwise. Row $i$ of the output
//! is a convex combination of the rows of $V$: the Nadaraya–Watson estimator with the kernel
//! $\kappa(q,k) = \exp(q\cdot k/\sqrt d)$. Sinusoidal encodings
//! $\mathrm{PE}(p)_{2i} = \sin(\omega_i p)$, $\mathrm{PE}(p)_{2i+1} = \cos(\omega_i p)$,
//! $\omega_i = 10000^{-2i/d}$, satisfy $\mathrm{PE}(p+k) = R_k\,\mathrm{PE}(p)$ with $R_k$ block
//! diagonal of $2\times2$ rotations by $\omega_i k$.
//!
//! ## Reference
//! Vaswani et al. (2017), *Attention is all you need*; Bahdanau, Cho & Bengio (2015);
//! Tsai et al. (2019), *Transformer dissection: a unified understanding of transformer's
//! attention via the lens of kernel*; Phuong & Hutter (2022), *Formal algorithms for transformers*.
//!
//! Used in notebooks/11-attention-and-transformers.ipynb.

use crate::nn::Init;
use ndarray::{Array1, Array2, Axis, s};
use rand::Rng;

/// The $\varepsilon$ of [`layer_norm`] (burn's default).
pub const LAYER_NORM_EPSILON: f64 = 1e-5;

/// Row-wise softmax, computed stably (the row maximum subtracted first); a row of $-\infty$
/// entries except at least one finite entry is fine.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let p = course::nn::softmax_rows(&array![[0.0, 2f64.ln()], [1.0, f64::NEG_INFINITY]]);
/// assert!((p[[0, 1]] - 2.0 / 3.0).abs() < 1e-15 && p[[1, 0]] == 1.0 && p[[1, 1]] == 0.0);
/// ```
pub fn softmax_rows(scores: &Array2<f64>) -> Array2<f64> {
    let mut p = scores.clone();
    for mut row in p.rows_mut() {
        let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        assert!(m.is_finite(), "softmax_rows: every row needs a finite entry, got max {m}");
        row.mapv_inplace(|v| (v - m).exp());
        let z = row.sum();
        row.mapv_inplace(|v| v / z);
    }
    p
}

/// The attention weights $A = \operatorname{softmax}(QK^\top/\sqrt d + M)$, one row per query.
///
/// # Panics
/// If `q` and `k` have different widths, or `causal` with more queries than keys.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let q = array![[1.0, 0.0], [0.0, 1.0]];
/// let a = course::nn::attention_weights(&q, &q, true);
/// assert_eq!(a[[0, 1]], 0.0); // the first query sees only the first key
/// let e = (1.0 / 2f64.sqrt()).exp();
/// assert!((a[[1, 1]] - e / (1.0 + e)).abs() < 1e-15);
/// ```
pub fn attention_weights(q: &Array2<f64>, k: &Array2<f64>, causal: bool) -> Array2<f64> {
    assert_eq!(q.ncols(), k.ncols(), "attention_weights: q and k must have the same width d, got {} and {}", q.ncols(), k.ncols());
    assert!(!causal || q.nrows() <= k.nrows(), "attention_weights: a causal mask needs no more queries than keys, got {} > {}", q.nrows(), k.nrows());
    let mut scores = q.dot(&k.t()) / (q.ncols() as f64).sqrt();
    if causal {
        for ((i, j), v) in scores.indexed_iter_mut() {
            if j > i {
                *v = f64::NEG_INFINITY;
            }
        }
    }
    softmax_rows(&scores)
}

/// Scaled dot-product attention $\operatorname{softmax}(QK^\top/\sqrt d + M)\,V$.
///
/// # Panics
/// As [`attention_weights`], or if `v` has not one row per key.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // One query equally similar to both keys: the output is the mean of the values.
/// let out = course::nn::scaled_dot_product_attention(&array![[0.0, 0.0]], &array![[1.0, 0.0], [0.0, 1.0]], &array![[2.0], [4.0]], false);
/// assert_eq!(out[[0, 0]], 3.0);
/// ```
pub fn scaled_dot_product_attention(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, causal: bool) -> Array2<f64> {
    assert_eq!(v.nrows(), k.nrows(), "scaled_dot_product_attention: v must have one row per key ({}), got {}", k.nrows(), v.nrows());
    attention_weights(q, k, causal).dot(v)
}

/// Sinusoidal positional encodings: row $p$ is $\mathrm{PE}(p)$, with
/// $\mathrm{PE}(p)_{2i} = \sin(\omega_i p)$, $\mathrm{PE}(p)_{2i+1} = \cos(\omega_i p)$,
/// $\omega_i = 10000^{-2i/d}$.
///
/// # Panics
/// If `d_model` is odd or zero.
///
/// # Examples
/// ```
/// let pe = course::nn::sinusoidal_encoding(5, 4);
/// assert_eq!((pe[[0, 0]], pe[[0, 1]]), (0.0, 1.0));
/// assert!((pe[[3, 2]] - (3.0f64 / 100.0).sin()).abs() < 1e-15); // ω_1 = 10000^{-1/2}
/// ```
pub fn sinusoidal_encoding(seq_len: usize, d_model: usize) -> Array2<f64> {
    assert!(d_model > 0 && d_model % 2 == 0, "sinusoidal_encoding: d_model must be even and > 0, got {d_model}");
    Array2::from_shape_fn((seq_len, d_model), |(p, j)| {
        let w = frequency(j / 2, d_model);
        if j % 2 == 0 { (w * p as f64).sin() } else { (w * p as f64).cos() }
    })
}

fn frequency(i: usize, d_model: usize) -> f64 {
    10000f64.powf(-2.0 * i as f64 / d_model as f64)
}

/// The rotation $R_k$ with $\mathrm{PE}(p+k) = R_k\,\mathrm{PE}(p)$ for every $p$: block diagonal,
/// block $i$ the rotation $\begin{pmatrix}\cos\omega_i k & \sin\omega_i k\\ -\sin\omega_i k & \cos\omega_i k\end{pmatrix}$
/// acting on $(\sin\omega_i p, \cos\omega_i p)$.
///
/// # Panics
/// If `d_model` is odd or zero.
///
/// # Examples
/// ```
/// let (pe, r) = (course::nn::sinusoidal_encoding(10, 6), course::nn::relative_rotation(6, 3.0));
/// let shifted = r.dot(&pe.row(2));
/// assert!((&shifted - &pe.row(5)).iter().all(|e| e.abs() < 1e-14));
/// ```
pub fn relative_rotation(d_model: usize, shift: f64) -> Array2<f64> {
    assert!(d_model > 0 && d_model % 2 == 0, "relative_rotation: d_model must be even and > 0, got {d_model}");
    let mut r = Array2::zeros((d_model, d_model));
    for i in 0..d_model / 2 {
        let (sn, cs) = (frequency(i, d_model) * shift).sin_cos();
        // sin(a+b) = sin a cos b + cos a sin b; cos(a+b) = cos a cos b − sin a sin b.
        r[[2 * i, 2 * i]] = cs;
        r[[2 * i, 2 * i + 1]] = sn;
        r[[2 * i + 1, 2 * i]] = -sn;
        r[[2 * i + 1, 2 * i + 1]] = cs;
    }
    r
}

/// Layer normalization of every row: $(x - \bar x)/\sqrt{\operatorname{var}(x) + \varepsilon}\odot\gamma + \beta$
/// (biased variance, $\varepsilon$ = [`LAYER_NORM_EPSILON`]).
///
/// # Panics
/// If `gamma` or `beta` does not have one entry per column.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let y = course::nn::layer_norm(&array![[1.0, 3.0]], &array![1.0, 1.0], &array![0.0, 0.5]);
/// assert!((y[[0, 0]] + 1.0).abs() < 1e-5 && (y[[0, 1]] - 1.5).abs() < 1e-5);
/// ```
pub fn layer_norm(x: &Array2<f64>, gamma: &Array1<f64>, beta: &Array1<f64>) -> Array2<f64> {
    assert!(gamma.len() == x.ncols() && beta.len() == x.ncols(), "layer_norm: gamma and beta need {} entries, got {} and {}", x.ncols(), gamma.len(), beta.len());
    let mut y = x.clone();
    for mut row in y.rows_mut() {
        let m = row.mean().unwrap_or(0.0);
        let var = row.iter().map(|v| (v - m).powi(2)).sum::<f64>() / row.len() as f64;
        let s = (var + LAYER_NORM_EPSILON).sqrt();
        for (j, v) in row.iter_mut().enumerate() {
            *v = (*v - m) / s * gamma[j] + beta[j];
        }
    }
    y
}

/// Multi-head self-attention: $Q = XW_Q + b_Q$ (likewise $K$, $V$), split into `n_heads`
/// column blocks of width $d_h = d/h$, attention per head, heads concatenated, then $\cdot W_O + b_O$.
/// Weights are `d_model × d_model` and act on rows (`x · W`).
///
/// # Examples
/// ```
/// let mha = course::nn::MultiHeadAttention::random(&mut course::rng::seeded(0), 8, 2);
/// let x = ndarray::Array2::from_shape_fn((5, 8), |(i, j)| (i * j) as f64 / 10.0);
/// assert_eq!(mha.forward(&x, false).dim(), (5, 8));
/// assert_eq!(mha.attention_maps(&x, true)[1][[0, 0]], 1.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MultiHeadAttention {
    /// Query, key, value and output weights, `d_model × d_model`.
    pub w_q: Array2<f64>,
    #[allow(missing_docs)]
    pub w_k: Array2<f64>,
    #[allow(missing_docs)]
    pub w_v: Array2<f64>,
    #[allow(missing_docs)]
    pub w_o: Array2<f64>,
    /// Biases, `d_model` each.
    pub b_q: Array1<f64>,
    #[allow(missing_docs)]
    pub b_k: Array1<f64>,
    #[allow(missing_docs)]
    pub b_v: Array1<f64>,
    #[allow(missing_docs)]
    pub b_o: Array1<f64>,
    /// Number of heads; divides `d_model`.
    pub n_heads: usize,
}

impl MultiHeadAttention {
    /// Xavier-uniform weights, zero biases.
    ///
    /// # Panics
    /// If `n_heads` is zero or does not divide `d_model`.
    pub fn random(rng: &mut impl Rng, d_model: usize, n_heads: usize) -> Self {
        assert!(n_heads > 0 && d_model % n_heads == 0, "MultiHeadAttention: n_heads must divide d_model = {d_model}, got {n_heads}");
        let mut w = || Init::Xavier.sample(rng, d_model, d_model);
        let z = Array1::zeros(d_model);
        MultiHeadAttention { w_q: w(), w_k: w(), w_v: w(), w_o: w(), b_q: z.clone(), b_k: z.clone(), b_v: z.clone(), b_o: z, n_heads }
    }

    /// The per-head $(Q_h, K_h, V_h)$ of the rows of `x` (`T × d_model`).
    ///
    /// # Examples
    /// ```
    /// let mha = course::nn::MultiHeadAttention::random(&mut course::rng::seeded(1), 6, 3);
    /// let qkv = mha.heads(&ndarray::Array2::ones((4, 6)));
    /// assert_eq!((qkv.len(), qkv[0].0.dim()), (3, (4, 2)));
    /// ```
    pub fn heads(&self, x: &Array2<f64>) -> Vec<(Array2<f64>, Array2<f64>, Array2<f64>)> {
        let d = self.w_q.nrows();
        assert_eq!(x.ncols(), d, "MultiHeadAttention: x must have d_model = {d} columns, got {}", x.ncols());
        let (q, k, v) = (x.dot(&self.w_q) + &self.b_q, x.dot(&self.w_k) + &self.b_k, x.dot(&self.w_v) + &self.b_v);
        let dh = d / self.n_heads;
        (0..self.n_heads)
            .map(|h| {
                let c = s![.., h * dh..(h + 1) * dh];
                (q.slice(c).to_owned(), k.slice(c).to_owned(), v.slice(c).to_owned())
            })
            .collect()
    }

    /// The attention weights of every head (`T × T` each).
    pub fn attention_maps(&self, x: &Array2<f64>, causal: bool) -> Vec<Array2<f64>> {
        self.heads(x).iter().map(|(q, k, _)| attention_weights(q, k, causal)).collect()
    }

    /// The layer's output, `T × d_model`.
    pub fn forward(&self, x: &Array2<f64>, causal: bool) -> Array2<f64> {
        let heads: Vec<Array2<f64>> = self.heads(x).iter().map(|(q, k, v)| scaled_dot_product_attention(q, k, v, causal)).collect();
        let views: Vec<_> = heads.iter().map(|h| h.view()).collect();
        ndarray::concatenate(Axis(1), &views).expect("heads have equal rows").dot(&self.w_o) + &self.b_o
    }
}

/// The weights of a one-block pre-norm transformer classifier, as the engine trains it:
/// $$h_0 = XE + b_E\,(+\,\mathrm{PE}),\quad h_1 = h_0 + \operatorname{MHA}(\operatorname{LN}_1 h_0),\quad h_2 = h_1 + W_2\,\mathrm{relu}(W_1\operatorname{LN}_2 h_1 + b_1) + b_2,$$
/// and the logits $\operatorname{LN}_f(h_2)_{T}\,W_{\text{out}} + b_{\text{out}}$ read from the last token.
///
/// # Examples
/// ```
/// let w = course::nn::TransformerWeights::random(&mut course::rng::seeded(0), 5, 8, 2, 16, 3, false);
/// let x = ndarray::Array2::from_shape_fn((4, 5), |(i, j)| ((i + j) % 2) as f64);
/// assert_eq!(w.logits(&x).len(), 3);
/// let a = &w.attention_maps(&x)[0];
/// assert!((a.row(2).sum() - 1.0).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TransformerWeights {
    /// Token embedding, `dim_in × d_model`, and its bias.
    pub embed: Array2<f64>,
    #[allow(missing_docs)]
    pub embed_b: Array1<f64>,
    /// Layer norm before attention ($\gamma$, $\beta$).
    pub ln1: (Array1<f64>, Array1<f64>),
    /// The attention layer.
    pub attn: MultiHeadAttention,
    /// Layer norm before the MLP.
    pub ln2: (Array1<f64>, Array1<f64>),
    /// MLP: `d_model × d_ff`, `d_ff`, `d_ff × d_model`, `d_model`.
    pub ff_w1: Array2<f64>,
    #[allow(missing_docs)]
    pub ff_b1: Array1<f64>,
    #[allow(missing_docs)]
    pub ff_w2: Array2<f64>,
    #[allow(missing_docs)]
    pub ff_b2: Array1<f64>,
    /// Final layer norm.
    pub ln_f: (Array1<f64>, Array1<f64>),
    /// Readout, `d_model × n_classes`, and its bias.
    pub out: Array2<f64>,
    #[allow(missing_docs)]
    pub out_b: Array1<f64>,
    /// Whether sinusoidal encodings are added to the embeddings.
    pub positional: bool,
}

impl TransformerWeights {
    /// Xavier weights, zero biases, unit layer-norm gains (a model to test against).
    pub fn random(rng: &mut impl Rng, dim_in: usize, d_model: usize, n_heads: usize, d_ff: usize, n_classes: usize, positional: bool) -> Self {
        let ln = || (Array1::ones(d_model), Array1::zeros(d_model));
        let embed = Init::Xavier.sample(rng, dim_in, d_model);
        let attn = MultiHeadAttention::random(rng, d_model, n_heads);
        TransformerWeights {
            embed,
            embed_b: Array1::zeros(d_model),
            ln1: ln(),
            attn,
            ln2: ln(),
            ff_w1: Init::Xavier.sample(rng, d_model, d_ff),
            ff_b1: Array1::zeros(d_ff),
            ff_w2: Init::Xavier.sample(rng, d_ff, d_model),
            ff_b2: Array1::zeros(d_model),
            ln_f: ln(),
            out: Init::Xavier.sample(rng, d_model, n_classes),
            out_b: Array1::zeros(n_classes),
            positional,
        }
    }

    /// $h_0$, the embedded tokens (`T × d_model`) of one sequence `x` (`T × dim_in`).
    pub fn embed(&self, x: &Array2<f64>) -> Array2<f64> {
        assert_eq!(x.ncols(), self.embed.nrows(), "TransformerWeights: x must have dim_in = {} columns, got {}", self.embed.nrows(), x.ncols());
        let h = x.dot(&self.embed) + &self.embed_b;
        if self.positional { h + sinusoidal_encoding(x.nrows(), self.embed.ncols()) } else { h }
    }

    /// The attention layer's input $\operatorname{LN}_1(h_0)$.
    pub fn attention_input(&self, x: &Array2<f64>) -> Array2<f64> {
        layer_norm(&self.embed(x), &self.ln1.0, &self.ln1.1)
    }

    /// The attention weights of every head on sequence `x`.
    pub fn attention_maps(&self, x: &Array2<f64>) -> Vec<Array2<f64>> {
        self.attn.attention_maps(&self.attention_input(x), false)
    }

    /// The class logits of sequence `x`, read at its last token.
    pub fn logits(&self, x: &Array2<f64>) -> Array1<f64> {
        let h0 = self.embed(x);
        let h1 = &h0 + &self.attn.forward(&layer_norm(&h0, &self.ln1.0, &self.ln1.1), false);
        let hidden = (layer_norm(&h1, &self.ln2.0, &self.ln2.1).dot(&self.ff_w1) + &self.ff_b1).mapv(|v| v.max(0.0));
        let h2 = &h1 + &(hidden.dot(&self.ff_w2) + &self.ff_b2);
        let last = layer_norm(&h2.slice(s![h2.nrows() - 1.., ..]).to_owned(), &self.ln_f.0, &self.ln_f.1);
        last.row(0).dot(&self.out) + &self.out_b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use rand_distr::{Distribution, StandardNormal};

    fn gauss(rng: &mut impl Rng, r: usize, c: usize) -> Array2<f64> {
        Array2::from_shape_fn((r, c), |_| StandardNormal.sample(rng))
    }

    #[test]
    fn attention_equals_brute_force_nadaraya_watson() {
        let mut rng = seeded(0);
        let (q, k, v) = (gauss(&mut rng, 3, 4), gauss(&mut rng, 5, 4), gauss(&mut rng, 5, 2));
        let out = scaled_dot_product_attention(&q, &k, &v, false);
        for i in 0..3 {
            let w: Vec<f64> = (0..5).map(|j| (q.row(i).dot(&k.row(j)) / 2.0).exp()).collect();
            let z: f64 = w.iter().sum();
            for c in 0..2 {
                let nw: f64 = (0..5).map(|j| w[j] * v[[j, c]]).sum::<f64>() / z;
                assert!((out[[i, c]] - nw).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn causal_output_ignores_the_future() {
        let mut rng = seeded(1);
        let (q, k, mut v) = (gauss(&mut rng, 6, 3), gauss(&mut rng, 6, 3), gauss(&mut rng, 6, 2));
        let mut k2 = k.clone();
        let a = scaled_dot_product_attention(&q, &k, &v, true);
        k2.row_mut(5).fill(7.0);
        v.row_mut(5).fill(-3.0);
        let b = scaled_dot_product_attention(&q, &k2, &v, true);
        assert!((&a.slice(s![..5, ..]) - &b.slice(s![..5, ..])).iter().all(|e| e.abs() < 1e-14));
    }

    #[test]
    fn multi_head_is_permutation_equivariant() {
        let mut rng = seeded(2);
        let mha = MultiHeadAttention::random(&mut rng, 8, 2);
        let x = gauss(&mut rng, 5, 8);
        let perm = [3, 0, 4, 1, 2];
        let px = x.select(Axis(0), &perm);
        let (y, py) = (mha.forward(&x, false), mha.forward(&px, false));
        assert!((&y.select(Axis(0), &perm) - &py).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    fn rotation_shifts_every_position() {
        let pe = sinusoidal_encoding(40, 16);
        for k in 0..10 {
            let r = relative_rotation(16, k as f64);
            for p in 0..30 {
                assert!((&r.dot(&pe.row(p)) - &pe.row(p + k)).iter().all(|e| e.abs() < 1e-12));
            }
        }
    }

    #[test]
    fn one_head_of_full_width_is_plain_attention() {
        let mut rng = seeded(3);
        let mut mha = MultiHeadAttention::random(&mut rng, 4, 1);
        mha.w_o = Array2::eye(4);
        let x = gauss(&mut rng, 3, 4);
        let (q, k, v) = (x.dot(&mha.w_q), x.dot(&mha.w_k), x.dot(&mha.w_v));
        assert!((&mha.forward(&x, true) - &scaled_dot_product_attention(&q, &k, &v, true)).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    #[should_panic(expected = "n_heads must divide d_model = 6, got 4")]
    fn heads_must_divide_the_width() {
        MultiHeadAttention::random(&mut seeded(0), 6, 4);
    }
}
