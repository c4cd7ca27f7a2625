//! The time-conditioned MLP of Part V: a network $f_\theta(x, t)$ trained by regression on
//! fresh batches.
//!
//! Diffusion (ε-prediction), denoising score matching, EDM denoisers, flow matching and the
//! drifts of a Schrödinger bridge all train a network the same way: draw inputs $(x_i, t_i)$
//! and regression targets $y_i$ from the model's mathematics, then take Adam steps on
//! $$\hat L(\theta) = \frac1{|B|}\sum_{i\in B} w_i\,\lVert f_\theta(x_i, t_i) - y_i\rVert^2 .$$
//! The time enters through a **sinusoidal embedding** (Vaswani et al. 2017; Ho et al. 2020)
//! $$\gamma(t) = \big(\sin\omega_1 t, \cos\omega_1 t, \dots, \sin\omega_K t, \cos\omega_K t\big),
//! \qquad \omega_k = \omega_{\max}^{(k-1)/(K-1)},$$
//! frequencies spaced geometrically from 1 to $\omega_{\max}$: a plain input $t$ would make the
//! network's dependence on time almost linear at initialization, while $\gamma(t)$ lets it
//! resolve both slow and fast changes along $t\in[0,1]$. The network sees $(x, \gamma(t))$ and
//! has SiLU hidden layers (smooth, so the learned fields can be integrated by ODE solvers).
//!
//! The network and Adam's moment estimates live in the nn engine (burn); [`TimeMlp::fit`] can
//! be called again and again with fresh data and continues where it stopped.
//!
//! ## Reference
//! Vaswani et al. (2017), *Attention is all you need*, §3.5; Ho, Jain & Abbeel (2020), *DDPM*,
//! App. B; Kingma & Ba (2015), *Adam*.
//!
//! Used in notebooks/30-score-matching.ipynb to notebooks/37-capstone-and-journal-club.ipynb.

use crate::nn::codec::Wire;
use crate::nn::engine::call;
use crate::nn::wire::Value;
use ndarray::{Array2, s};

/// Number of frequencies $K$ of the default embedding.
pub const N_FREQS: usize = 8;
/// Highest frequency $\omega_{\max}$ of the default embedding (for $t\in[0,1]$).
pub const MAX_FREQ: f64 = 100.0;

/// The sinusoidal embedding $\gamma(t)\in\mathbb R^{2K}$ with $K$ = `n_freqs` frequencies from 1
/// to `max_freq` (geometric), ordered $(\sin\omega_1t,\cos\omega_1t,\dots)$.
///
/// # Panics
/// If `n_freqs == 0` or `max_freq < 1`.
///
/// # Examples
/// ```
/// use course::generative::net::sinusoidal_embedding;
/// let g = sinusoidal_embedding(0.3, 4, 1000.0);
/// assert_eq!(g.len(), 8);
/// assert!((g[0] - 0.3f64.sin()).abs() < 1e-15 && (g[7] - 300.0f64.cos()).abs() < 1e-12);
/// // every (sin, cos) pair lies on the unit circle
/// assert!((g[2] * g[2] + g[3] * g[3] - 1.0).abs() < 1e-15);
/// ```
pub fn sinusoidal_embedding(t: f64, n_freqs: usize, max_freq: f64) -> Vec<f64> {
    assert!(n_freqs >= 1, "sinusoidal_embedding: n_freqs must be >= 1, got 0");
    assert!(max_freq >= 1.0, "sinusoidal_embedding: max_freq must be >= 1, got {max_freq}");
    let mut out = Vec::with_capacity(2 * n_freqs);
    for w in frequencies(n_freqs, max_freq) {
        out.push((w * t).sin());
        out.push((w * t).cos());
    }
    out
}

/// The embedding's frequencies $\omega_1,\dots,\omega_K$.
fn frequencies(n_freqs: usize, max_freq: f64) -> Vec<f64> {
    (0..n_freqs).map(|k| if n_freqs == 1 { 1.0 } else { max_freq.powf(k as f64 / (n_freqs - 1) as f64) }).collect()
}

/// A time-conditioned MLP $f_\theta:\mathbb R^{\text{dim\_in}}\times\mathbb R\to\mathbb R^{\text{dim\_out}}$
/// with SiLU hidden layers, held in the nn engine together with its Adam state.
#[derive(Debug)]
pub struct TimeMlp {
    handle: u64,
    dim_in: usize,
    dim_out: usize,
    n_freqs: usize,
    max_freq: f64,
    steps: usize,
}

impl TimeMlp {
    /// A fresh network with hidden widths `hidden` and the default embedding
    /// ([`N_FREQS`] frequencies up to [`MAX_FREQ`]), initialized from `seed`.
    ///
    /// # Panics
    /// If `dim_in` or `dim_out` is 0, or `hidden` is empty or contains 0.
    ///
    /// # Examples
    /// ```
    /// use course::generative::net::TimeMlp;
    /// let net = TimeMlp::new(2, 2, &[32, 32], 0);
    /// // (2 + 16) inputs → 32 → 32 → 2
    /// assert_eq!(net.n_params(), 18 * 32 + 32 + 32 * 32 + 32 + 32 * 2 + 2);
    /// ```
    pub fn new(dim_in: usize, dim_out: usize, hidden: &[usize], seed: u64) -> Self {
        Self::with_embedding(dim_in, dim_out, hidden, N_FREQS, MAX_FREQ, seed)
    }

    /// As [`TimeMlp::new`] with `n_freqs` frequencies up to `max_freq` (`n_freqs = 0`: no time
    /// input at all, a plain MLP of $x$).
    ///
    /// # Panics
    /// As [`TimeMlp::new`], and if `max_freq < 1` when `n_freqs > 0`.
    pub fn with_embedding(dim_in: usize, dim_out: usize, hidden: &[usize], n_freqs: usize, max_freq: f64, seed: u64) -> Self {
        assert!(dim_in >= 1, "TimeMlp: dim_in must be >= 1, got 0");
        assert!(dim_out >= 1, "TimeMlp: dim_out must be >= 1, got 0");
        assert!(!hidden.is_empty() && !hidden.contains(&0), "TimeMlp: hidden must list positive widths, got {hidden:?}");
        assert!(n_freqs == 0 || max_freq >= 1.0, "TimeMlp: max_freq must be >= 1, got {max_freq}");
        let dims: Vec<usize> = std::iter::once(dim_in + 2 * n_freqs).chain(hidden.iter().copied()).chain(std::iter::once(dim_out)).collect();
        let handle = call("net_new", Value::List(vec![dims.as_slice().into(), Value::U64(0), Value::U64(seed)])).u64().expect("a handle");
        TimeMlp { handle, dim_in, dim_out, n_freqs, max_freq, steps: 0 }
    }

    /// The network's input rows $(x_i, \gamma(t_i))$.
    ///
    /// # Panics
    /// If `x` does not have `dim_in` columns or `t` is not one time per row.
    pub fn features(&self, x: &Array2<f64>, t: &[f64]) -> Array2<f64> {
        assert_eq!(x.ncols(), self.dim_in, "TimeMlp: x must have dim_in = {} columns, got {}", self.dim_in, x.ncols());
        assert_eq!(t.len(), x.nrows(), "TimeMlp: t must hold one time per row of x ({}), got {}", x.nrows(), t.len());
        let mut u = Array2::zeros((x.nrows(), self.dim_in + 2 * self.n_freqs));
        u.slice_mut(s![.., ..self.dim_in]).assign(x);
        if self.n_freqs > 0 {
            // the frequencies once, not once per row (training tables have ~10⁵ rows)
            let freqs = frequencies(self.n_freqs, self.max_freq);
            for (i, &ti) in t.iter().enumerate() {
                for (k, &w) in freqs.iter().enumerate() {
                    u[[i, self.dim_in + 2 * k]] = (w * ti).sin();
                    u[[i, self.dim_in + 2 * k + 1]] = (w * ti).cos();
                }
            }
        }
        u
    }

    /// `n_steps` Adam steps at learning rate `lr` on minibatches of `batch_size` rows of
    /// $(x, t) \mapsto y$ (all rows if `batch_size` is 0 or ≥ n), continuing from the previous
    /// call's parameters and moment estimates; the minibatch loss before each step.
    ///
    /// # Panics
    /// If the shapes do not match the network or `lr` is not positive and finite.
    ///
    /// # Examples
    /// ```
    /// use course::generative::net::TimeMlp;
    /// use course::ndarray::Array2;
    /// // learn f(x, t) = sin(2πt) · x in 1-D
    /// let mut net = TimeMlp::new(1, 1, &[32, 32], 1);
    /// let n = 512;
    /// let x = Array2::from_shape_fn((n, 1), |(i, _)| ((i * 37) % n) as f64 / n as f64 * 2.0 - 1.0);
    /// let t: Vec<f64> = (0..n).map(|i| i as f64 / n as f64).collect();
    /// let y = Array2::from_shape_fn((n, 1), |(i, _)| (std::f64::consts::TAU * t[i]).sin() * x[[i, 0]]);
    /// let losses = net.fit(&x, &t, &y, 1500, 128, 3e-3);
    /// let last: f64 = losses[1400..].iter().sum::<f64>() / 100.0;
    /// assert!(last < 0.02 * losses[0].max(0.1), "{} → {last}", losses[0]);
    /// ```
    pub fn fit(&mut self, x: &Array2<f64>, t: &[f64], y: &Array2<f64>, n_steps: usize, batch_size: usize, lr: f64) -> Vec<f64> {
        self.fit_weighted(x, t, y, &[], n_steps, batch_size, lr)
    }

    /// As [`TimeMlp::fit`] with one weight $w_i \ge 0$ per row (empty: all 1).
    ///
    /// # Panics
    /// As [`TimeMlp::fit`], and if `weights` is neither empty nor one non-negative weight per row.
    #[allow(clippy::too_many_arguments)]
    pub fn fit_weighted(
        &mut self,
        x: &Array2<f64>,
        t: &[f64],
        y: &Array2<f64>,
        weights: &[f64],
        n_steps: usize,
        batch_size: usize,
        lr: f64,
    ) -> Vec<f64> {
        assert!(lr > 0.0 && lr.is_finite(), "TimeMlp::fit: lr must be > 0 and finite, got {lr}");
        assert_eq!(y.dim(), (x.nrows(), self.dim_out), "TimeMlp::fit: y must be n × dim_out = {:?}, got {:?}", (x.nrows(), self.dim_out), y.dim());
        assert!(x.nrows() >= 1, "TimeMlp::fit: x must have at least one row");
        assert!(
            weights.is_empty() || (weights.len() == x.nrows() && weights.iter().all(|w| *w >= 0.0 && w.is_finite())),
            "TimeMlp::fit: weights must be empty or one finite weight >= 0 per row ({}), got {} weights",
            x.nrows(),
            weights.len()
        );
        let u = self.features(x, t);
        let args = Value::List(vec![
            Value::U64(self.handle),
            u.to_wire(),
            y.to_wire(),
            weights.into(),
            Value::U64(n_steps as u64),
            Value::U64(batch_size as u64),
            Value::F64(lr),
        ]);
        let losses = call("net_fit", args).f64s().expect("losses").to_vec();
        self.steps += n_steps;
        losses
    }

    /// $f_\theta(x_i, t_i)$ for each row.
    ///
    /// # Panics
    /// If `x` does not have `dim_in` columns or `t` is not one time per row.
    pub fn predict(&self, x: &Array2<f64>, t: &[f64]) -> Array2<f64> {
        let u = self.features(x, t);
        Array2::from_wire(&call("net_predict", Value::List(vec![Value::U64(self.handle), u.to_wire()]))).expect("a matrix")
    }

    /// $f_\theta(x_i, t)$ at one time $t$ for every row.
    ///
    /// # Examples
    /// ```
    /// use course::generative::net::TimeMlp;
    /// let net = TimeMlp::new(2, 3, &[8], 5);
    /// let x = course::ndarray::Array2::zeros((4, 2));
    /// let y = net.predict_at(&x, 0.5);
    /// assert_eq!(y.dim(), (4, 3));
    /// assert_eq!(y.row(0), y.row(3)); // same input, same output
    /// ```
    pub fn predict_at(&self, x: &Array2<f64>, t: f64) -> Array2<f64> {
        self.predict(x, &vec![t; x.nrows()])
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        call("net_n_params", Value::U64(self.handle)).usize().expect("a count")
    }

    /// Adam steps taken so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Input dimension (without the time features).
    pub fn dim_in(&self) -> usize {
        self.dim_in
    }

    /// Output dimension.
    pub fn dim_out(&self) -> usize {
        self.dim_out
    }
}

impl Drop for TimeMlp {
    fn drop(&mut self) {
        call("drop", Value::U64(self.handle));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use rand::RngExt;

    #[test]
    fn embedding_frequencies_are_geometric_from_one_to_max() {
        // sin(ω t) for small t is ≈ ω t: read the frequencies back
        let t = 1e-7;
        let g = sinusoidal_embedding(t, 5, 16.0);
        let w: Vec<f64> = (0..5).map(|k| g[2 * k] / t).collect();
        for (k, wk) in w.iter().enumerate() {
            assert!((wk - 2f64.powi(k as i32)).abs() < 1e-6, "{w:?}");
        }
    }

    #[test]
    fn feature_rows_are_x_then_the_embedding_bit_for_bit() {
        let net = TimeMlp::with_embedding(2, 1, &[4], 6, 50.0, 0);
        let x = ndarray::array![[0.5, -1.0], [2.0, 0.25], [0.0, 0.0]];
        let t = [0.0, 0.37, 1.0];
        let u = net.features(&x, &t);
        for i in 0..3 {
            let want: Vec<f64> = x.row(i).iter().copied().chain(sinusoidal_embedding(t[i], 6, 50.0)).collect();
            assert_eq!(u.row(i).to_vec(), want);
        }
    }

    #[test]
    fn fit_continues_from_where_it_stopped_and_learns_a_time_dependent_map() {
        // target y = x · cos(3t) + t in 2-D (a map no time-blind network can fit)
        let mut rng = seeded(11);
        let mut net = TimeMlp::new(2, 2, &[48, 48], 3);
        let draw = |rng: &mut crate::rng::ChaCha8Rng| {
            let n = 1024;
            let x = Array2::from_shape_fn((n, 2), |_| rng.random_range(-1.0..1.0));
            let t: Vec<f64> = (0..n).map(|_| rng.random_range(0.0..1.0)).collect();
            let y = Array2::from_shape_fn((n, 2), |(i, j)| x[[i, j]] * (3.0 * t[i]).cos() + t[i]);
            (x, t, y)
        };
        let mut first = 0.0;
        for chunk in 0..6 {
            let (x, t, y) = draw(&mut rng);
            let l = net.fit(&x, &t, &y, 300, 128, 3e-3);
            if chunk == 0 {
                first = l[0];
            }
        }
        assert_eq!(net.steps(), 1800);
        let (x, t, y) = draw(&mut rng);
        let p = net.predict(&x, &t);
        let mse = (&p - &y).mapv(|v| v * v).sum() / x.nrows() as f64;
        // the target's variance per point is ≈ 2·(1/3·E cos² + Var t) ≈ 0.5; the initial loss is
        // of that order; a learned map must be 50× better
        assert!(mse < first / 50.0, "held-out mse {mse} vs initial loss {first}");
    }

    #[test]
    fn weights_zero_rows_out() {
        // rows with weight 0 do not pull the fit: y = 0 on weighted rows, y = 100 on ignored ones
        let n = 256;
        let x = Array2::from_shape_fn((n, 1), |(i, _)| i as f64 / n as f64);
        let t = vec![0.0; n];
        let y = Array2::from_shape_fn((n, 1), |(i, _)| if i % 2 == 0 { 0.0 } else { 100.0 });
        let w: Vec<f64> = (0..n).map(|i| if i % 2 == 0 { 1.0 } else { 0.0 }).collect();
        let mut net = TimeMlp::with_embedding(1, 1, &[16], 0, 1.0, 2);
        net.fit_weighted(&x, &t, &y, &w, 800, 0, 1e-2);
        let p = net.predict_at(&x, 0.0);
        assert!(p.iter().all(|v| v.abs() < 0.5), "max |f| = {}", p.iter().fold(0.0f64, |m, v| m.max(v.abs())));
    }

    #[test]
    #[should_panic(expected = "weights must be empty or one finite weight >= 0 per row")]
    fn bad_weights_are_refused() {
        let mut net = TimeMlp::new(1, 1, &[4], 0);
        let x = Array2::zeros((3, 1));
        net.fit_weighted(&x, &[0.0; 3], &x.clone(), &[1.0, -1.0, 1.0], 1, 0, 1e-3);
    }
}
