//! The restricted Boltzmann machine (binary units) and contrastive divergence.
//!
//! Visible $v\in\{0,1\}^{n_v}$, hidden $h\in\{0,1\}^{n_h}$, energy and free energy
//! $$E(v,h) = -b^\top v - c^\top h - v^\top W h,\qquad
//! F(v) = -\log\sum_h e^{-E(v,h)} = -b^\top v - \sum_j \operatorname{softplus}\big(c_j + (W^\top v)_j\big),$$
//! $p(v) = e^{-F(v)}/Z$. The layers are conditionally independent:
//! $p(h_j=1\mid v) = \sigma(c_j + (W^\top v)_j)$, $p(v_i=1\mid h) = \sigma(b_i + (Wh)_i)$.
//! The log-likelihood gradient is a difference of correlations,
//! $\partial_{W}\,\mathbb E_{\text{data}}\log p(v) = \mathbb E_{\text{data}}[v\,\sigma(c+W^\top v)^\top] - \mathbb E_{\text{model}}[v h^\top]$;
//! CD-$k$ replaces the model term by $k$ Gibbs steps started at the data.
//! For a tiny RBM, $\log Z$ is exact by summing over the smaller layer ($2^{\min(n_v,n_h)}$ terms).
//!
//! ## Reference
//! G. Hinton (2002), *Training products of experts by minimizing contrastive divergence*;
//! A. Fischer & C. Igel (2012), *An introduction to restricted Boltzmann machines*;
//! I. Goodfellow, Y. Bengio & A. Courville, *Deep Learning* (2016), §16.7, §18.2, §20.2.
//!
//! Used in notebooks/17-boltzmann-machines-and-energy-models.ipynb.

use ndarray::{Array1, Array2, ArrayView1};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Normal};

/// The logistic function $\sigma(x) = 1/(1+e^{-x})$.
fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// $\log(1 + e^x)$, computed without overflow.
///
/// # Examples
/// ```
/// assert!((course::graphical::softplus(0.0) - 2f64.ln()).abs() < 1e-15);
/// assert_eq!(course::graphical::softplus(1000.0), 1000.0);
/// ```
pub fn softplus(x: f64) -> f64 {
    if x > 0.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() }
}

/// $\log\sum_i e^{x_i}$, stable.
fn log_sum_exp(xs: &[f64]) -> f64 {
    let m = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    m + xs.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

/// The bits of `code` as a 0/1 vector of length `n`.
fn bits(code: usize, n: usize) -> Array1<f64> {
    Array1::from_shape_fn(n, |i| (code >> i & 1) as f64)
}

/// A binary RBM: `w` is `n_visible × n_hidden`, `b` the visible and `c` the hidden biases.
#[derive(Clone, Debug, PartialEq)]
pub struct Rbm {
    /// Couplings, `n_visible × n_hidden`.
    pub w: Array2<f64>,
    /// Visible biases, length `n_visible`.
    pub b: Array1<f64>,
    /// Hidden biases, length `n_hidden`.
    pub c: Array1<f64>,
}

/// The gradient of the average log-likelihood (or its CD estimate) with respect to `w`, `b`, `c`.
#[derive(Clone, Debug, PartialEq)]
pub struct RbmGradient {
    /// $\partial/\partial W$.
    pub w: Array2<f64>,
    /// $\partial/\partial b$.
    pub b: Array1<f64>,
    /// $\partial/\partial c$.
    pub c: Array1<f64>,
}

impl Rbm {
    /// Weights $\mathcal N(0, 0.1^2)$, zero biases.
    ///
    /// # Panics
    /// If either layer is empty.
    ///
    /// # Examples
    /// ```
    /// let r = course::graphical::Rbm::new(9, 4, &mut course::rng::seeded(0));
    /// assert_eq!(r.w.dim(), (9, 4));
    /// assert!(r.w.iter().all(|w| w.abs() < 0.5)); // 5 standard deviations
    /// ```
    pub fn new(n_visible: usize, n_hidden: usize, rng: &mut impl Rng) -> Self {
        assert!(n_visible > 0 && n_hidden > 0, "need n_visible > 0 and n_hidden > 0, got {n_visible} and {n_hidden}");
        let normal = Normal::new(0.0, 0.1).expect("valid");
        let w = Array2::from_shape_fn((n_visible, n_hidden), |_| normal.sample(rng));
        Rbm { w, b: Array1::zeros(n_visible), c: Array1::zeros(n_hidden) }
    }

    /// Number of visible units.
    pub fn n_visible(&self) -> usize {
        self.b.len()
    }

    /// Number of hidden units.
    pub fn n_hidden(&self) -> usize {
        self.c.len()
    }

    /// $E(v, h) = -b^\top v - c^\top h - v^\top W h$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let r = course::graphical::Rbm { w: array![[2.0]], b: array![1.0], c: array![-1.0] };
    /// assert_eq!(r.energy(&[1.0], &[1.0]), -2.0);
    /// ```
    pub fn energy(&self, v: &[f64], h: &[f64]) -> f64 {
        let (v, h) = (ArrayView1::from(v), ArrayView1::from(h));
        -self.b.dot(&v) - self.c.dot(&h) - v.dot(&self.w.dot(&h))
    }

    /// The free energy $F(v) = -b^\top v - \sum_j\operatorname{softplus}(c_j + (W^\top v)_j)$.
    ///
    /// # Panics
    /// If `v.len() != n_visible`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let r = course::graphical::Rbm { w: array![[2.0]], b: array![1.0], c: array![-1.0] };
    /// // F(1) = −log(e^{−E(1,0)} + e^{−E(1,1)}) = −log(e + e²)
    /// let f = r.free_energy(&[1.0]);
    /// assert!((f + (1f64.exp() + 2f64.exp()).ln()).abs() < 1e-12);
    /// ```
    pub fn free_energy(&self, v: &[f64]) -> f64 {
        assert_eq!(v.len(), self.n_visible(), "v must have n_visible = {} entries, got {}", self.n_visible(), v.len());
        let v = ArrayView1::from(v);
        let act = &self.c + &self.w.t().dot(&v);
        -self.b.dot(&v) - act.iter().map(|&a| softplus(a)).sum::<f64>()
    }

    /// The hidden free energy $F_h(h) = -c^\top h - \sum_i\operatorname{softplus}(b_i + (Wh)_i)$,
    /// so that $p(h) = e^{-F_h(h)}/Z$.
    fn hidden_free_energy(&self, h: ArrayView1<f64>) -> f64 {
        let act = &self.b + &self.w.dot(&h);
        -self.c.dot(&h) - act.iter().map(|&a| softplus(a)).sum::<f64>()
    }

    /// $\log Z$ exactly, summing $e^{-F}$ over all states of the smaller layer.
    ///
    /// # Panics
    /// If the smaller layer has more than 24 units.
    ///
    /// # Examples
    /// ```
    /// // Zero parameters: every (v, h) has energy 0, Z = 2^(n_v + n_h).
    /// let mut r = course::graphical::Rbm::new(5, 3, &mut course::rng::seeded(0));
    /// r.w.fill(0.0);
    /// assert!((r.log_partition() - 8.0 * 2f64.ln()).abs() < 1e-12);
    /// ```
    pub fn log_partition(&self) -> f64 {
        let (nv, nh) = (self.n_visible(), self.n_hidden());
        let small = nv.min(nh);
        assert!(small <= 24, "log_partition enumerates 2^{small} states: the smaller layer must have <= 24 units");
        let terms: Vec<f64> = if nh <= nv {
            (0..1usize << nh).map(|code| -self.hidden_free_energy(bits(code, nh).view())).collect()
        } else {
            (0..1usize << nv).map(|code| -self.free_energy(bits(code, nv).as_slice().expect("contiguous"))).collect()
        };
        log_sum_exp(&terms)
    }

    /// The exact average log-likelihood $\frac1n\sum_k \log p(v_k) = -\frac1n\sum_k F(v_k) - \log Z$
    /// of the rows of `data`.
    ///
    /// # Panics
    /// If `data` has no rows or the wrong number of columns.
    ///
    /// # Examples
    /// ```
    /// // Zero parameters: the uniform distribution over the visible states, log p = −n_v log 2.
    /// let mut r = course::graphical::Rbm::new(9, 4, &mut course::rng::seeded(0));
    /// r.w.fill(0.0);
    /// let data = course::graphical::bars_and_stripes(3);
    /// assert!((r.log_likelihood(&data) + 9.0 * 2f64.ln()).abs() < 1e-12);
    /// ```
    pub fn log_likelihood(&self, data: &Array2<f64>) -> f64 {
        assert!(data.nrows() > 0, "data must have at least one row");
        assert_eq!(data.ncols(), self.n_visible(), "data must have n_visible = {} columns, got {}", self.n_visible(), data.ncols());
        let mean_f = data.rows().into_iter().map(|v| self.free_energy(v.to_vec().as_slice())).sum::<f64>() / data.nrows() as f64;
        -mean_f - self.log_partition()
    }

    /// $p(h_j = 1\mid v) = \sigma(c_j + (W^\top v)_j)$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let r = course::graphical::Rbm { w: array![[2.0]], b: array![1.0], c: array![-1.0] };
    /// assert!((r.hidden_probs(&[1.0])[0] - 1.0 / (1.0 + (-1f64).exp())).abs() < 1e-15);
    /// ```
    pub fn hidden_probs(&self, v: &[f64]) -> Array1<f64> {
        (&self.c + &self.w.t().dot(&ArrayView1::from(v))).mapv(sigmoid)
    }

    /// $p(v_i = 1\mid h) = \sigma(b_i + (Wh)_i)$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let r = course::graphical::Rbm { w: array![[2.0]], b: array![1.0], c: array![-1.0] };
    /// assert!((r.visible_probs(&[0.0])[0] - 1.0 / (1.0 + (-1f64).exp())).abs() < 1e-15);
    /// ```
    pub fn visible_probs(&self, h: &[f64]) -> Array1<f64> {
        (&self.b + &self.w.dot(&ArrayView1::from(h))).mapv(sigmoid)
    }

    /// The exact gradient of [`log_likelihood`](Self::log_likelihood), the model expectation
    /// computed by enumerating the hidden layer.
    ///
    /// # Panics
    /// If `n_hidden > 24`, or `data` is empty or has the wrong number of columns.
    ///
    /// # Examples
    /// ```
    /// // Gradient ascent on the exact log-likelihood improves it.
    /// let data = course::graphical::bars_and_stripes(2);
    /// let mut r = course::graphical::Rbm::new(4, 3, &mut course::rng::seeded(1));
    /// let before = r.log_likelihood(&data);
    /// let g = r.exact_gradient(&data);
    /// r.w = &r.w + &(&g.w * 0.1); r.b = &r.b + &(&g.b * 0.1); r.c = &r.c + &(&g.c * 0.1);
    /// assert!(r.log_likelihood(&data) > before);
    /// ```
    pub fn exact_gradient(&self, data: &Array2<f64>) -> RbmGradient {
        let (nv, nh) = (self.n_visible(), self.n_hidden());
        assert!(nh <= 24, "exact_gradient enumerates 2^n_hidden states: n_hidden must be <= 24, got {nh}");
        assert!(data.nrows() > 0 && data.ncols() == nv, "data must be n × {nv} with n > 0, got {:?}", data.dim());
        let mut g = self.data_term(data);
        let log_z = self.log_partition();
        for code in 0..1usize << nh {
            let h = bits(code, nh);
            let p = (-self.hidden_free_energy(h.view()) - log_z).exp();
            let pv = self.visible_probs(h.as_slice().expect("contiguous"));
            for i in 0..nv {
                for j in 0..nh {
                    g.w[[i, j]] -= p * pv[i] * h[j];
                }
            }
            g.b.scaled_add(-p, &pv);
            g.c.scaled_add(-p, &h);
        }
        g
    }

    /// $\mathbb E_{\text{data}}[v\,p(h{=}1\mid v)^\top]$ and friends: the positive phase.
    fn data_term(&self, data: &Array2<f64>) -> RbmGradient {
        let (nv, nh) = (self.n_visible(), self.n_hidden());
        let mut g = RbmGradient { w: Array2::zeros((nv, nh)), b: Array1::zeros(nv), c: Array1::zeros(nh) };
        let n = data.nrows() as f64;
        for v in data.rows() {
            let ph = self.hidden_probs(v.to_vec().as_slice());
            for i in 0..nv {
                for j in 0..nh {
                    g.w[[i, j]] += v[i] * ph[j] / n;
                }
            }
            g.b.scaled_add(1.0 / n, &v);
            g.c.scaled_add(1.0 / n, &ph);
        }
        g
    }

    /// The CD-`k` estimate of the log-likelihood gradient on `batch`: for each row $v^{(0)}$,
    /// sample $h\sim p(h\mid v^{(0)})$, alternate $k$ times $v\sim p(v\mid h)$, $h\sim p(h\mid v)$,
    /// and subtract the statistics at $v^{(k)}$ (with $p(h{=}1\mid v^{(k)})$) from those at $v^{(0)}$.
    ///
    /// # Panics
    /// If `k == 0`, or `batch` is empty or has the wrong number of columns.
    ///
    /// # Examples
    /// ```
    /// // A model that always shows the data pattern: data and model statistics cancel.
    /// let mut r = course::graphical::Rbm::new(4, 3, &mut course::rng::seeded(2));
    /// r.b.fill(40.0); // every visible unit is on, whatever h
    /// let data = course::ndarray::Array2::ones((5, 4));
    /// let g = r.cd_gradient(&data, 1, &mut course::rng::seeded(3));
    /// assert!(g.w.iter().chain(g.b.iter()).chain(g.c.iter()).all(|x| x.abs() < 1e-12));
    /// ```
    pub fn cd_gradient(&self, batch: &Array2<f64>, k: usize, rng: &mut impl Rng) -> RbmGradient {
        assert!(k > 0, "k must be >= 1 Gibbs steps, got 0");
        let (nv, nh) = (self.n_visible(), self.n_hidden());
        assert!(batch.nrows() > 0 && batch.ncols() == nv, "batch must be n × {nv} with n > 0, got {:?}", batch.dim());
        let mut g = self.data_term(batch);
        let n = batch.nrows() as f64;
        for v0 in batch.rows() {
            let mut v = v0.to_vec();
            let mut h = bernoulli(&self.hidden_probs(&v), rng);
            for step in 0..k {
                v = bernoulli(&self.visible_probs(&h), rng);
                if step + 1 < k {
                    h = bernoulli(&self.hidden_probs(&v), rng);
                }
            }
            let ph = self.hidden_probs(&v);
            for (i, &vi) in v.iter().enumerate() {
                for j in 0..nh {
                    g.w[[i, j]] -= vi * ph[j] / n;
                }
                g.b[i] -= vi / n;
            }
            g.c.scaled_add(-1.0 / n, &ph);
        }
        g
    }

    /// `n_samples` visible vectors, each after `n_steps` block-Gibbs steps from a uniform random start.
    ///
    /// # Examples
    /// ```
    /// let mut r = course::graphical::Rbm::new(3, 2, &mut course::rng::seeded(0));
    /// r.w.fill(0.0);
    /// r.b.fill(20.0); // every visible unit on, almost surely
    /// let s = r.sample(5, 3, &mut course::rng::seeded(1));
    /// assert_eq!(s.sum(), 15.0);
    /// ```
    pub fn sample(&self, n_samples: usize, n_steps: usize, rng: &mut impl Rng) -> Array2<f64> {
        let nv = self.n_visible();
        let mut out = Array2::zeros((n_samples, nv));
        for mut row in out.rows_mut() {
            let mut v: Vec<f64> = (0..nv).map(|_| if rng.random::<bool>() { 1.0 } else { 0.0 }).collect();
            for _ in 0..n_steps {
                let h = bernoulli(&self.hidden_probs(&v), rng);
                v = bernoulli(&self.visible_probs(&h), rng);
            }
            row.assign(&Array1::from(v));
        }
        out
    }

    /// Adds `lr · g` to the parameters (gradient *ascent* on the log-likelihood).
    ///
    /// # Examples
    /// ```
    /// let mut r = course::graphical::Rbm::new(2, 2, &mut course::rng::seeded(0));
    /// let g = course::graphical::RbmGradient { w: course::ndarray::Array2::ones((2, 2)), b: course::ndarray::Array1::ones(2), c: course::ndarray::Array1::ones(2) };
    /// r.ascend(&g, 0.5);
    /// assert_eq!(r.b[0], 0.5);
    /// ```
    pub fn ascend(&mut self, g: &RbmGradient, lr: f64) {
        self.w.scaled_add(lr, &g.w);
        self.b.scaled_add(lr, &g.b);
        self.c.scaled_add(lr, &g.c);
    }
}

/// Independent Bernoulli draws with probabilities `p`.
fn bernoulli(p: &Array1<f64>, rng: &mut impl Rng) -> Vec<f64> {
    p.iter().map(|&pi| if rng.random::<f64>() < pi { 1.0 } else { 0.0 }).collect()
}

/// Trains `rbm` by CD-`k` with full-batch steps of size `lr` on `data` for `n_epochs` epochs, and
/// returns the exact average log-likelihood before training and after each epoch
/// (`n_epochs + 1` values).
///
/// # Panics
/// If `lr <= 0`, `k == 0`, or `data` does not match the RBM.
///
/// # Examples
/// ```
/// let data = course::graphical::bars_and_stripes(3);
/// let mut r = course::graphical::Rbm::new(9, 8, &mut course::rng::seeded(0));
/// let ll = course::graphical::train_cd(&mut r, &data, 1, 0.5, 300, 1);
/// assert!(ll[300] > ll[0] + 1.0); // nats; 1000 epochs give > 2
/// assert!(ll[300] < -(14f64).ln()); // never above the empirical distribution's −ln 14
/// ```
pub fn train_cd(rbm: &mut Rbm, data: &Array2<f64>, k: usize, lr: f64, n_epochs: usize, seed: u64) -> Vec<f64> {
    assert!(lr > 0.0 && lr.is_finite(), "lr must be > 0, got {lr}");
    let mut rng = crate::rng::seeded(seed);
    let mut ll = Vec::with_capacity(n_epochs + 1);
    ll.push(rbm.log_likelihood(data));
    for _ in 0..n_epochs {
        let g = rbm.cd_gradient(data, k, &mut rng);
        rbm.ascend(&g, lr);
        ll.push(rbm.log_likelihood(data));
    }
    ll
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphical::bars_and_stripes;

    fn random_rbm(nv: usize, nh: usize, seed: u64) -> Rbm {
        let mut rng = crate::rng::seeded(seed);
        let mut r = Rbm::new(nv, nh, &mut rng);
        r.w.mapv_inplace(|w| 10.0 * w);
        r.b = Array1::from(crate::rng::normal_vec(&mut rng, nv));
        r.c = Array1::from(crate::rng::normal_vec(&mut rng, nh));
        r
    }

    /// log Z by brute force over every joint (v, h).
    fn brute_log_z(r: &Rbm) -> f64 {
        let (nv, nh) = (r.n_visible(), r.n_hidden());
        let mut terms = Vec::new();
        for cv in 0..1usize << nv {
            for ch in 0..1usize << nh {
                terms.push(-r.energy(bits(cv, nv).as_slice().unwrap(), bits(ch, nh).as_slice().unwrap()));
            }
        }
        log_sum_exp(&terms)
    }

    #[test]
    fn log_partition_matches_joint_enumeration_both_ways() {
        for (nv, nh) in [(5, 3), (3, 5), (4, 4)] {
            let r = random_rbm(nv, nh, 7);
            assert!((r.log_partition() - brute_log_z(&r)).abs() < 1e-10);
        }
    }

    #[test]
    fn free_energy_is_minus_log_sum_over_hidden() {
        let r = random_rbm(4, 3, 8);
        for cv in 0..16 {
            let v = bits(cv, 4);
            let terms: Vec<f64> = (0..8).map(|ch| -r.energy(v.as_slice().unwrap(), bits(ch, 3).as_slice().unwrap())).collect();
            assert!((r.free_energy(v.as_slice().unwrap()) + log_sum_exp(&terms)).abs() < 1e-12);
        }
    }

    #[test]
    fn exact_gradient_matches_finite_differences() {
        let data = bars_and_stripes(2);
        let r = random_rbm(4, 3, 9);
        let g = r.exact_gradient(&data);
        let h = 1e-6;
        for (i, j) in [(0, 0), (2, 1), (3, 2)] {
            let (mut p, mut m) = (r.clone(), r.clone());
            p.w[[i, j]] += h;
            m.w[[i, j]] -= h;
            let fd = (p.log_likelihood(&data) - m.log_likelihood(&data)) / (2.0 * h);
            assert!((fd - g.w[[i, j]]).abs() < 1e-7, "w {fd} vs {}", g.w[[i, j]]);
        }
        for i in 0..4 {
            let (mut p, mut m) = (r.clone(), r.clone());
            p.b[i] += h;
            m.b[i] -= h;
            let fd = (p.log_likelihood(&data) - m.log_likelihood(&data)) / (2.0 * h);
            assert!((fd - g.b[i]).abs() < 1e-7);
        }
        for j in 0..3 {
            let (mut p, mut m) = (r.clone(), r.clone());
            p.c[j] += h;
            m.c[j] -= h;
            let fd = (p.log_likelihood(&data) - m.log_likelihood(&data)) / (2.0 * h);
            assert!((fd - g.c[j]).abs() < 1e-7);
        }
    }

    #[test]
    fn cd_with_many_steps_averages_to_the_exact_gradient() {
        // CD-k with k large samples the model: its average over many draws → exact gradient.
        let data = bars_and_stripes(2);
        let r = random_rbm(4, 3, 10);
        let e = r.exact_gradient(&data);
        let mut rng = crate::rng::seeded(11);
        let reps = 4000;
        let mut acc = Array1::<f64>::zeros(4);
        for _ in 0..reps {
            acc += &r.cd_gradient(&data, 50, &mut rng).b;
        }
        let mean = acc / reps as f64;
        for i in 0..4 {
            // each CD-b estimate is a mean of 6 Bernoulli differences: sd ≤ 0.5/√6 per draw
            assert!((mean[i] - e.b[i]).abs() < 4.0 * 0.5 / (6.0f64 * reps as f64).sqrt(), "{} vs {}", mean[i], e.b[i]);
        }
    }

    #[test]
    fn cd_training_on_bars_and_stripes_improves_over_seeds() {
        let data = bars_and_stripes(3);
        for seed in 0..6 {
            let mut r = Rbm::new(9, 8, &mut crate::rng::seeded(seed));
            let ll = train_cd(&mut r, &data, 1, 0.5, 1000, seed + 100);
            eprintln!("seed {seed}: {:.3} → {:.3}", ll[0], ll[1000]);
            assert!(ll[1000] > -4.0 && ll[1000] > ll[0] + 2.0);
        }
    }
}
