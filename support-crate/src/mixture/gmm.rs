//! Gaussian mixture models in $\mathbb R^d$, fitted by expectation–maximization (EM).
//!
//! $$p(x)=\sum_{k=1}^K\pi_k\,\mathcal N(x;\mu_k,\Sigma_k),\qquad
//! \ell(\theta)=\sum_{i=1}^n\log\sum_k\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)\ \text{(by log-sum-exp)}.$$
//! **E-step**: responsibilities $r_{ik}=\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)/p(x_i)$, the posterior
//! of the hidden label. **M-step**: with $N_k=\sum_ir_{ik}$,
//! $\pi_k=N_k/n$, $\mu_k=\frac1{N_k}\sum_ir_{ik}x_i$, $\Sigma_k=\frac1{N_k}\sum_ir_{ik}(x_i-\mu_k)(x_i-\mu_k)^\top$.
//! Both steps maximize the ELBO $\mathcal L(q,\theta)=\sum_{i,k}q_{ik}\log\frac{\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)}{q_{ik}}\le\ell(\theta)$,
//! with equality after the E-step — so $\ell$ never decreases.
//! Each density is evaluated through the Cholesky factor $\Sigma_k=L_kL_k^\top$:
//! $\log\mathcal N(x;\mu,\Sigma)=-\tfrac12\lVert L^{-1}(x-\mu)\rVert^2-\sum_j\log L_{jj}-\tfrac d2\log2\pi$.
//! The likelihood is unbounded (a component can shrink onto a few points), so a run whose
//! covariance stops being positive definite is reported, not silently continued
//! ([`fit_em_restarts`] discards it).
//!
//! ## Reference
//! A. Dempster, N. Laird & D. Rubin (1977), *Maximum likelihood from incomplete data via the EM
//! algorithm*; C. Bishop, *Pattern Recognition and Machine Learning* (2006), §9.2–9.4.
//!
//! Used in notebooks/19-hidden-variables-and-em.ipynb.

use super::kmeans;
use crate::linalg::{cholesky, solve_lower, solve_upper, symmetric_eigen};
use ndarray::{Array1, Array2, ArrayView1, Axis};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// What the M-step updates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EmMode {
    /// Weights, means and full covariances.
    Full,
    /// Weights, means and diagonal covariances.
    Diagonal,
    /// Only the means; weights and covariances stay as in the initial model.
    MeansOnly,
}

/// A Gaussian mixture in $\mathbb R^d$: `weights` (K, summing to 1), `means` (K × d),
/// `covariances` (K of d × d).
#[derive(Clone, Debug)]
pub struct Gmm {
    /// Mixing weights $\pi_k$.
    pub weights: Vec<f64>,
    /// Row $k$ is $\mu_k$.
    pub means: Array2<f64>,
    /// $\Sigma_k$, symmetric positive definite.
    pub covariances: Vec<Array2<f64>>,
}

/// $\log\sum_ie^{v_i}$, computed as $m+\log\sum_ie^{v_i-m}$ with $m=\max_iv_i$.
///
/// # Panics
/// If `v` is empty.
///
/// # Examples
/// ```
/// let v = [1000.0, 1000.0];
/// assert!((course::mixture::log_sum_exp(&v) - (1000.0 + 2f64.ln())).abs() < 1e-12); // no overflow
/// ```
pub fn log_sum_exp(v: &[f64]) -> f64 {
    assert!(!v.is_empty(), "log_sum_exp: v must not be empty");
    let m = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

/// The lower Cholesky factor of covariance `j`, or why there is none.
fn cholesky_of(c: &Array2<f64>, j: usize) -> Result<Array2<f64>, String> {
    let d = c.nrows();
    if c.dim() != (d, d) {
        return Err(format!("covariance {j} must be square, got {:?}", c.dim()));
    }
    let scale = c.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for a in 0..d {
        for b in 0..a {
            if (c[[a, b]] - c[[b, a]]).abs() > 1e-12 * scale.max(1.0) {
                return Err(format!("covariance {j} must be symmetric positive definite, but entries ({a}, {b}) and ({b}, {a}) differ: {c}"));
            }
        }
    }
    cholesky(c).map_err(|e| format!("covariance {j} must be symmetric positive definite ({e}): {c}"))
}

/// $\log\mathcal N(x;\mu,LL^\top)$ by forward substitution $Ly=x-\mu$.
fn log_gauss(x: ArrayView1<f64>, mu: ArrayView1<f64>, l: &Array2<f64>) -> f64 {
    let d = mu.len();
    let mut y = vec![0.0; d];
    let mut quad = 0.0;
    let mut log_det_half = 0.0;
    for a in 0..d {
        let s: f64 = (0..a).map(|b| l[[a, b]] * y[b]).sum();
        y[a] = (x[a] - mu[a] - s) / l[[a, a]];
        quad += y[a] * y[a];
        log_det_half += l[[a, a]].ln();
    }
    -0.5 * quad - log_det_half - 0.5 * d as f64 * (2.0 * PI).ln()
}

fn check_data(x: &Array2<f64>, d: usize) {
    assert!(x.ncols() == d, "x must have {d} columns (the mixture's dimension), got {}", x.ncols());
    assert!(x.nrows() > 0, "x must have at least one row");
}

impl Gmm {
    /// A mixture from its parameters (the dimension $d$ is the number of columns of `means`).
    ///
    /// # Panics
    /// If the sizes disagree, `means` has no columns, a weight is negative or they do not sum
    /// to 1 (to 1e-9), or a covariance is not `d × d` symmetric positive definite.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
    /// assert_eq!(g.k(), 2);
    /// ```
    pub fn new(weights: Vec<f64>, means: Array2<f64>, covariances: Vec<Array2<f64>>) -> Self {
        let k = weights.len();
        assert!(k > 0, "weights must not be empty");
        let d = means.ncols();
        assert!(d > 0 && means.nrows() == k, "means must be {k} × d with d >= 1 (one row per weight), got {:?}", means.dim());
        assert!(covariances.len() == k, "covariances must hold {k} matrices, got {}", covariances.len());
        assert!(weights.iter().all(|&w| w >= 0.0), "weights must be >= 0");
        let s: f64 = weights.iter().sum();
        assert!((s - 1.0).abs() < 1e-9, "weights must sum to 1, got {s}");
        for (j, c) in covariances.iter().enumerate() {
            assert!(c.dim() == (d, d), "covariance {j} must be {d} × {d}, got {:?}", c.dim());
            if let Err(msg) = cholesky_of(c, j) {
                panic!("{msg}");
            }
        }
        Gmm { weights, means, covariances }
    }

    /// The dimension $d$ of the data.
    pub fn dim(&self) -> usize {
        self.means.ncols()
    }

    /// Number of components $K$.
    pub fn k(&self) -> usize {
        self.weights.len()
    }

    /// The $n\times K$ matrix of $\log\pi_k+\log\mathcal N(x_i;\mu_k,\Sigma_k)$ (log joint of point and label).
    ///
    /// # Panics
    /// If `x` is not `n × d`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![1.0], array![[0.0, 0.0]], vec![Array2::eye(2)]);
    /// let lj = g.log_joint(&array![[0.0, 0.0]]);
    /// assert!((lj[[0, 0]] + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
    /// ```
    pub fn log_joint(&self, x: &Array2<f64>) -> Array2<f64> {
        self.try_log_joint(x).unwrap_or_else(|msg| panic!("{msg}"))
    }

    /// [`log_joint`](Self::log_joint), or the reason a covariance has no Cholesky factor.
    fn try_log_joint(&self, x: &Array2<f64>) -> Result<Array2<f64>, String> {
        check_data(x, self.dim());
        let mut lj = Array2::zeros((x.nrows(), self.k()));
        for k in 0..self.k() {
            let l = cholesky_of(&self.covariances[k], k)?;
            let log_w = self.weights[k].ln();
            for (i, row) in x.rows().into_iter().enumerate() {
                lj[[i, k]] = log_w + log_gauss(row, self.means.row(k), &l);
            }
        }
        Ok(lj)
    }

    /// The log-likelihood $\sum_i\log\sum_k\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)$.
    ///
    /// # Panics
    /// If `x` is not `n × d`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// // Two identical components = one Gaussian.
    /// let g = Gmm::new(vec![0.3, 0.7], array![[0.0, 0.0], [0.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
    /// let ll = g.log_likelihood(&array![[1.0, 0.0]]);
    /// assert!((ll - (-0.5 - (2.0 * std::f64::consts::PI).ln())).abs() < 1e-14);
    /// ```
    pub fn log_likelihood(&self, x: &Array2<f64>) -> f64 {
        self.log_joint(x).rows().into_iter().map(|r| log_sum_exp(r.as_slice().expect("contiguous"))).sum()
    }

    /// The responsibilities $r_{ik}=P(z_i=k\mid x_i)$, an $n\times K$ matrix with rows summing to 1.
    ///
    /// # Panics
    /// If `x` is not `n × d`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
    /// let r = g.responsibilities(&array![[0.0, 3.0], [1.0, 0.0]]);
    /// assert!((r[[0, 0]] - 0.5).abs() < 1e-15);                     // halfway: a tie
    /// assert!((r[[1, 1]] - 1.0 / (1.0 + (-2.0f64).exp())).abs() < 1e-15); // odds e^{2}
    /// ```
    pub fn responsibilities(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut lj = self.log_joint(x);
        for mut row in lj.rows_mut() {
            let l = log_sum_exp(row.as_slice().expect("contiguous"));
            row.mapv_inplace(|v| (v - l).exp());
        }
        lj
    }

    /// The ELBO $\sum_{i,k}q_{ik}\big(\log\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)-\log q_{ik}\big)$ for
    /// any responsibilities `q` ($0\log0=0$). Equals the log-likelihood when `q` is the posterior.
    ///
    /// # Panics
    /// If `q` is not `n × K`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
    /// let x = array![[0.3, 0.1], [2.0, -1.0]];
    /// assert!((g.elbo(&x, &g.responsibilities(&x)) - g.log_likelihood(&x)).abs() < 1e-12);
    /// assert!(g.elbo(&x, &array![[1.0, 0.0], [1.0, 0.0]]) < g.log_likelihood(&x));
    /// ```
    pub fn elbo(&self, x: &Array2<f64>, q: &Array2<f64>) -> f64 {
        let lj = self.log_joint(x);
        assert!(q.dim() == lj.dim(), "q must be {:?} (n × K), got {:?}", lj.dim(), q.dim());
        lj.iter().zip(q.iter()).map(|(l, &r)| if r > 0.0 { r * (l - r.ln()) } else { 0.0 }).sum()
    }

    /// The component with the largest responsibility, for each row of `x`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
    /// assert_eq!(g.predict(&array![[-3.0, 0.0], [0.5, 2.0]]), vec![0, 1]);
    /// ```
    pub fn predict(&self, x: &Array2<f64>) -> Vec<usize> {
        self.log_joint(x).rows().into_iter().map(|r| argmax(r.as_slice().expect("contiguous"))).collect()
    }

    /// `n_samples` draws and their labels.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![0.25, 0.75], array![[-5.0, 0.0], [5.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
    /// let (x, z) = g.sample(4000, &mut course::rng::seeded(0));
    /// let frac = z.iter().filter(|&&k| k == 1).count() as f64 / 4000.0;
    /// assert!((frac - 0.75).abs() < 4.0 * (0.75f64 * 0.25 / 4000.0).sqrt());
    /// assert_eq!(x.dim(), (4000, 2));
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> (Array2<f64>, Vec<usize>) {
        let d = self.dim();
        let chol: Vec<Array2<f64>> = self.covariances.iter().enumerate().map(|(j, c)| cholesky_of(c, j).unwrap_or_else(|m| panic!("{m}"))).collect();
        let mut x = Array2::zeros((n_samples, d));
        let mut z = Vec::with_capacity(n_samples);
        for mut row in x.rows_mut() {
            let u: f64 = rng.random();
            let mut k = 0;
            let mut acc = self.weights[0];
            while u >= acc && k + 1 < self.k() {
                k += 1;
                acc += self.weights[k];
            }
            let e: Vec<f64> = (0..d).map(|_| StandardNormal.sample(rng)).collect();
            for a in 0..d {
                row[a] = self.means[[k, a]] + (0..=a).map(|b| chol[k][[a, b]] * e[b]).sum::<f64>(); // μ + L e
            }
            z.push(k);
        }
        (x, z)
    }

    /// The M-step: the parameters maximizing the ELBO for responsibilities `resp` (in `mode`;
    /// for `MeansOnly` the weights and covariances are copied from `self`).
    ///
    /// # Panics
    /// If `resp` is not `n × K` or a component has zero total responsibility.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::{EmMode, Gmm};
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![0.5, 0.5], array![[0.0, 0.0], [0.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
    /// let x = array![[0.0, 0.0], [2.0, 0.0], [10.0, 10.0]];
    /// let hard = array![[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
    /// let m = g.m_step(&x, &hard, EmMode::Full);
    /// assert_eq!(m.means.row(0).to_vec(), vec![1.0, 0.0]);
    /// assert!((m.weights[0] - 2.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn m_step(&self, x: &Array2<f64>, resp: &Array2<f64>, mode: EmMode) -> Gmm {
        check_data(x, self.dim());
        let (k, d) = (self.k(), self.dim());
        assert!(resp.dim() == (x.nrows(), k), "resp must be {} × {k}, got {:?}", x.nrows(), resp.dim());
        let nk: Array1<f64> = resp.sum_axis(Axis(0));
        assert!(nk.iter().all(|&v| v > 0.0), "every component needs a positive total responsibility, got {nk}");
        let means = Array2::from_shape_fn((k, d), |(j, a)| resp.column(j).dot(&x.column(a)) / nk[j]);
        if mode == EmMode::MeansOnly {
            return Gmm { weights: self.weights.clone(), means, covariances: self.covariances.clone() };
        }
        let weights: Vec<f64> = nk.iter().map(|v| v / x.nrows() as f64).collect();
        let covariances = (0..k)
            .map(|j| {
                let mut c = Array2::<f64>::zeros((d, d));
                let mut dev = vec![0.0; d];
                for (row, &r) in x.rows().into_iter().zip(resp.column(j)) {
                    for a in 0..d {
                        dev[a] = row[a] - means[[j, a]];
                    }
                    for a in 0..d {
                        for b in 0..=a {
                            c[[a, b]] += r * dev[a] * dev[b];
                        }
                    }
                }
                for a in 0..d {
                    for b in 0..a {
                        c[[b, a]] = c[[a, b]]; // exactly symmetric
                    }
                }
                c /= nk[j];
                if mode == EmMode::Diagonal {
                    c = Array2::from_diag(&c.diag());
                }
                c
            })
            .collect();
        Gmm { weights, means, covariances }
    }

    /// The gradient of the log-likelihood with respect to the means:
    /// $\partial\ell/\partial\mu_k=\Sigma_k^{-1}\sum_ir_{ik}(x_i-\mu_k)$, a $K\times2$ matrix.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::{array, Array2};
    /// let g = Gmm::new(vec![1.0], array![[0.0, 0.0]], vec![Array2::eye(2) * 2.0]);
    /// let grad = g.mean_gradient(&array![[1.0, 2.0], [3.0, 0.0]]);
    /// // Σ⁻¹ Σᵢ (xᵢ − μ) = (4, 2)/2, up to rounding in the Cholesky solve
    /// assert!((grad[[0, 0]] - 2.0).abs() < 1e-12 && (grad[[0, 1]] - 1.0).abs() < 1e-12);
    /// ```
    pub fn mean_gradient(&self, x: &Array2<f64>) -> Array2<f64> {
        let resp = self.responsibilities(x);
        let (k, d) = (self.k(), self.dim());
        let mut g = Array2::zeros((k, d));
        for j in 0..k {
            let mut s = Array1::<f64>::zeros(d);
            for (row, &r) in x.rows().into_iter().zip(resp.column(j)) {
                s.scaled_add(r, &(&row - &self.means.row(j)));
            }
            // Σ⁻¹ s = L⁻ᵀ L⁻¹ s
            let l = cholesky_of(&self.covariances[j], j).unwrap_or_else(|m| panic!("{m}"));
            let y = solve_lower(&l, &s).expect("positive diagonal");
            let sol = solve_upper(&l.t().to_owned(), &y).expect("positive diagonal");
            g.row_mut(j).assign(&sol);
        }
        g
    }

    /// The mixture of the marginals on the coordinates `dims` (in that order): the same weights,
    /// the means' entries and the covariances' sub-blocks — marginalizing a Gaussian keeps
    /// those, and a mixture marginalizes component by component.
    ///
    /// # Panics
    /// If `dims` is empty, repeats a coordinate or names one `>= d`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::array;
    /// let g = Gmm::new(vec![1.0], array![[1.0, 2.0, 3.0]], vec![array![[1.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 3.0]]]);
    /// let m = g.marginal(&[2, 0]);
    /// assert_eq!(m.means, array![[3.0, 1.0]]);
    /// assert_eq!(m.covariances[0], array![[3.0, 0.0], [0.0, 1.0]]);
    /// ```
    pub fn marginal(&self, dims: &[usize]) -> Gmm {
        let d = self.dim();
        assert!(!dims.is_empty(), "dims must name at least one coordinate");
        for (i, &a) in dims.iter().enumerate() {
            assert!(a < d, "dims must be coordinates < d = {d}, got {a}");
            assert!(!dims[..i].contains(&a), "dims must not repeat a coordinate, got {dims:?}");
        }
        let means = self.means.select(Axis(1), dims);
        let covariances = self.covariances.iter().map(|c| Array2::from_shape_fn((dims.len(), dims.len()), |(a, b)| c[[dims[a], dims[b]]])).collect();
        Gmm { weights: self.weights.clone(), means, covariances }
    }

    /// The number of free parameters of a `k`-component mixture in dimension `d` with
    /// covariances of the kind `mode` fits ([`EmMode::MeansOnly`] counts only the means):
    /// $K-1$ weights (they sum to 1), $Kd$ mean entries and, for full covariances,
    /// $Kd(d+1)/2$ entries (symmetric), for diagonal ones $Kd$.
    ///
    /// # Panics
    /// If `k == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::{EmMode, Gmm};
    /// assert_eq!(Gmm::n_parameters(3, 4, EmMode::Full), 2 + 12 + 30);
    /// assert_eq!(Gmm::n_parameters(1, 1, EmMode::Full), 2); // a mean and a variance
    /// ```
    pub fn n_parameters(k: usize, d: usize, mode: EmMode) -> usize {
        assert!(k > 0, "k must be >= 1 component, got 0");
        match mode {
            EmMode::Full => k - 1 + k * d + k * d * (d + 1) / 2,
            EmMode::Diagonal => k - 1 + 2 * k * d,
            EmMode::MeansOnly => k * d,
        }
    }

    /// The Bayesian information criterion $\mathrm{BIC}=-2\ell(\theta)+p\log n$ of this mixture
    /// on the rows of `x`, with $p$ = [`n_parameters`](Self::n_parameters) for full
    /// covariances: smaller is better.
    ///
    /// # Panics
    /// If `x` is not `n × d`.
    ///
    /// # Examples
    /// ```
    /// use course::mixture::Gmm;
    /// use course::ndarray::array;
    /// // One standard normal in 1-D at x = 0: ℓ = −½ log 2π, p = 2, n = 1.
    /// let g = Gmm::new(vec![1.0], array![[0.0]], vec![array![[1.0]]]);
    /// assert!((g.bic(&array![[0.0]]) - (2.0 * std::f64::consts::PI).ln()).abs() < 1e-12);
    /// ```
    pub fn bic(&self, x: &Array2<f64>) -> f64 {
        let p = Gmm::n_parameters(self.k(), self.dim(), EmMode::Full) as f64;
        -2.0 * self.log_likelihood(x) + p * (x.nrows() as f64).ln()
    }
}

fn argmax(v: &[f64]) -> usize {
    (0..v.len()).fold(0, |b, i| if v[i] > v[b] { i } else { b })
}

/// The result of [`fit_em`] or [`gradient_ascent_means`].
#[derive(Clone, Debug)]
pub struct EmFit {
    /// The fitted mixture.
    pub model: Gmm,
    /// `log_likelihoods[t]` is $\ell$ after `t` iterations (`[0]` is the initial model).
    pub log_likelihoods: Vec<f64>,
    /// `elbo_after_e_step[t]`: the ELBO at the E-step of iteration `t` (empty for gradient ascent).
    pub elbo_after_e_step: Vec<f64>,
}

/// `n_iter` EM iterations from `init` in `mode`.
///
/// # Panics
/// If `x` is not `n × d`, a component loses all its responsibility, or a covariance stops being
/// positive definite (a component collapsed onto too few points: see [`fit_em_restarts`]).
///
/// # Examples
/// ```
/// use course::mixture::{fit_em, EmMode, Gmm};
/// use course::ndarray::{array, Array2};
/// let truth = Gmm::new(vec![0.5, 0.5], array![[-3.0, 0.0], [3.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
/// let (x, _) = truth.sample(1000, &mut course::rng::seeded(1));
/// let init = Gmm::new(vec![0.5, 0.5], array![[-1.0, 1.0], [1.0, -1.0]], vec![Array2::eye(2), Array2::eye(2)]);
/// let fit = fit_em(&x, &init, EmMode::Full, 50);
/// assert!(fit.log_likelihoods.windows(2).all(|w| w[1] >= w[0] - 1e-9)); // monotone
/// assert!((fit.model.means[[1, 0]].abs() - 3.0).abs() < 0.2);
/// ```
pub fn fit_em(x: &Array2<f64>, init: &Gmm, mode: EmMode, n_iter: usize) -> EmFit {
    try_fit_em(x, init, mode, n_iter).unwrap_or_else(|msg| panic!("fit_em: {msg}"))
}

/// [`fit_em`], or why it had to stop.
fn try_fit_em(x: &Array2<f64>, init: &Gmm, mode: EmMode, n_iter: usize) -> Result<EmFit, String> {
    check_data(x, init.dim());
    let log_lik = |m: &Gmm| -> Result<f64, String> {
        Ok(m.try_log_joint(x)?.rows().into_iter().map(|r| log_sum_exp(r.as_slice().expect("contiguous"))).sum())
    };
    let mut model = init.clone();
    let mut lls = vec![log_lik(&model)?];
    let mut elbos = Vec::with_capacity(n_iter);
    for t in 0..n_iter {
        let resp = model.responsibilities(x);
        elbos.push(model.elbo(x, &resp));
        if let Some(j) = resp.sum_axis(Axis(0)).iter().position(|&v| v <= 0.0) {
            return Err(format!("component {j} lost all its responsibility at iteration {t}"));
        }
        model = model.m_step(x, &resp, mode);
        lls.push(log_lik(&model).map_err(|msg| format!("after iteration {}: {msg}", t + 1))?);
    }
    Ok(EmFit { model, log_likelihoods: lls, elbo_after_e_step: elbos })
}

/// The result of [`fit_em_restarts`].
#[derive(Clone, Debug)]
pub struct EmRestarts {
    /// The restart with the highest final log-likelihood.
    pub best: EmFit,
    /// Which restart that was.
    pub best_restart: usize,
    /// The final log-likelihood of each restart, `None` for one that degenerated.
    pub final_log_likelihoods: Vec<Option<f64>>,
}

/// The smallest eigenvalue a fitted covariance may have, relative to the data's largest
/// variance, before the component counts as collapsed.
const COLLAPSE: f64 = 1e-6;

/// `n_restarts` runs of `n_iter` full-covariance EM iterations with `k` components. Restart `r`
/// starts where k-means (k-means++ seeding from `seeded(seed + r)`, then Lloyd's iterations)
/// ends: the M-step for the hard k-means labels (each cluster's fraction, mean and covariance).
/// The best run is the one with the highest final log-likelihood among those that did not
/// degenerate. The likelihood is unbounded — a component that shrinks onto a few points (or a
/// flat set: measured data repeat values) sends it to $+\infty$ — so a run degenerates when a
/// covariance stops being positive definite or its smallest eigenvalue falls below $10^{-6}$
/// times the data's largest variance; such runs are reported as `None`.
///
/// # Panics
/// If `k == 0` or `k > n`, `n_restarts == 0`, or every restart degenerates.
///
/// # Examples
/// ```
/// use course::mixture::{fit_em_restarts, Gmm};
/// use course::ndarray::{array, Array2};
/// let truth = Gmm::new(vec![0.5, 0.5], array![[-3.0, 0.0], [3.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
/// let (x, _) = truth.sample(400, &mut course::rng::seeded(2));
/// let fit = fit_em_restarts(&x, 2, 5, 100, 0);
/// assert_eq!(fit.final_log_likelihoods.len(), 5);
/// let best = fit.final_log_likelihoods.iter().flatten().cloned().fold(f64::NEG_INFINITY, f64::max);
/// assert_eq!(*fit.best.log_likelihoods.last().unwrap(), best);
/// ```
pub fn fit_em_restarts(x: &Array2<f64>, k: usize, n_restarts: usize, n_iter: usize, seed: u64) -> EmRestarts {
    let (n, d) = x.dim();
    assert!(k > 0 && k <= n, "k must be in 1..={n} (the number of points), got {k}");
    assert!(n_restarts > 0, "n_restarts must be >= 1, got 0");
    let mean = x.mean_axis(Axis(0)).expect("n > 0");
    let max_var = (0..d).map(|a| x.column(a).iter().map(|v| (v - mean[a]).powi(2)).sum::<f64>() / n as f64).fold(0.0, f64::max);
    let collapsed = |g: &Gmm| g.covariances.iter().any(|c| *symmetric_eigen(c).values.last().expect("d >= 1") < COLLAPSE * max_var);
    let mut best: Option<(EmFit, usize)> = None;
    let mut finals = Vec::with_capacity(n_restarts);
    for r in 0..n_restarts {
        let km = kmeans(x, k, 300, &mut crate::rng::seeded(seed + r as u64));
        let mut hard = Array2::zeros((n, k));
        for (i, &l) in km.labels.iter().enumerate() {
            hard[[i, l]] = 1.0;
        }
        let counts = hard.sum_axis(Axis(0));
        let run = if counts.iter().any(|&c| c == 0.0) {
            Err("an empty k-means cluster".to_string())
        } else {
            // m_step needs a model only for its shape (and, in MeansOnly mode, its weights).
            let shape = Gmm { weights: vec![1.0 / k as f64; k], means: km.centers.clone(), covariances: vec![Array2::eye(d); k] };
            let init = shape.m_step(x, &hard, EmMode::Full);
            try_fit_em(x, &init, EmMode::Full, n_iter)
        };
        match run {
            Ok(fit) if !collapsed(&fit.model) => {
                let ll = *fit.log_likelihoods.last().expect("at least the initial value");
                finals.push(Some(ll));
                if best.as_ref().is_none_or(|(b, _)| ll > *b.log_likelihoods.last().expect("non-empty")) {
                    best = Some((fit, r));
                }
            }
            _ => finals.push(None),
        }
    }
    let (best, best_restart) = best.unwrap_or_else(|| panic!("fit_em_restarts: all {n_restarts} restarts degenerated (a component collapsed onto too few points); try fewer components"));
    EmRestarts { best, best_restart, final_log_likelihoods: finals }
}

/// `n_iter` steps of gradient ascent $\mu_k\leftarrow\mu_k+\text{lr}\,\partial\ell/\partial\mu_k$ on
/// the means (weights and covariances fixed at `init`'s).
///
/// # Panics
/// If `lr <= 0` or `x` is not `n × d`.
///
/// # Examples
/// ```
/// use course::mixture::{gradient_ascent_means, Gmm};
/// use course::ndarray::{array, Array2};
/// let x = array![[1.0, 1.0], [3.0, 1.0]];
/// let init = Gmm::new(vec![1.0], array![[0.0, 0.0]], vec![Array2::eye(2)]);
/// let fit = gradient_ascent_means(&x, &init, 0.25, 40);
/// assert!((fit.model.means[[0, 0]] - 2.0).abs() < 1e-9); // the MLE of one mean is the average
/// ```
pub fn gradient_ascent_means(x: &Array2<f64>, init: &Gmm, lr: f64, n_iter: usize) -> EmFit {
    check_data(x, init.dim());
    assert!(lr > 0.0 && lr.is_finite(), "lr must be > 0, got {lr}");
    let mut model = init.clone();
    let mut lls = vec![model.log_likelihood(x)];
    for _ in 0..n_iter {
        let g = model.mean_gradient(x);
        model.means = &model.means + &(g * lr);
        lls.push(model.log_likelihood(x));
    }
    EmFit { model, log_likelihoods: lls, elbo_after_e_step: Vec::new() }
}

/// Points of the ellipse $\{\mu+r\,Lu:|u|=1\}$ ($\Sigma=LL^\top$), the contour at `n_sd`
/// Mahalanobis radius, as `(xs, ys)` with `n_points` points (closed: the last equals the first).
///
/// # Panics
/// If `n_points < 3` or `cov` is not 2 × 2 positive definite.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let (xs, ys) = course::mixture::covariance_ellipse(&[1.0, 0.0], &array![[4.0, 0.0], [0.0, 1.0]], 1.0, 5);
/// assert!((xs[0] - 3.0).abs() < 1e-12 && ys[0].abs() < 1e-12); // semi-axis 2 along x
/// ```
pub fn covariance_ellipse(mean: &[f64], cov: &Array2<f64>, n_sd: f64, n_points: usize) -> (Vec<f64>, Vec<f64>) {
    assert!(n_points >= 3, "n_points must be >= 3, got {n_points}");
    assert!(cov.dim() == (2, 2) && cov[[0, 0]] > 0.0, "cov must be 2 × 2 positive definite, got {cov}");
    let l00 = cov[[0, 0]].sqrt();
    let l10 = cov[[1, 0]] / l00;
    let d = cov[[1, 1]] - l10 * l10;
    assert!(d > 0.0, "cov must be 2 × 2 positive definite, got {cov}");
    let l11 = d.sqrt();
    let (mut xs, mut ys) = (Vec::with_capacity(n_points), Vec::with_capacity(n_points));
    for i in 0..n_points {
        let t = 2.0 * PI * i as f64 / (n_points - 1) as f64;
        let (u0, u1) = (t.cos(), t.sin());
        xs.push(mean[0] + n_sd * l00 * u0);
        ys.push(mean[1] + n_sd * (l10 * u0 + l11 * u1));
    }
    (xs, ys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::array;

    fn planted() -> Gmm {
        Gmm::new(
            vec![0.3, 0.5, 0.2],
            array![[-2.0, 0.0], [2.0, 1.0], [0.0, 3.5]],
            vec![array![[0.6, 0.2], [0.2, 0.4]], array![[0.8, -0.3], [-0.3, 0.5]], array![[0.3, 0.0], [0.0, 0.3]]],
        )
    }

    #[test]
    fn log_density_integrates_to_one() {
        let g = planted();
        let h = 0.05;
        let mut z = 0.0;
        for i in 0..400 {
            for j in 0..400 {
                let p = array![[-10.0 + h * (i as f64 + 0.5), -8.0 + h * (j as f64 + 0.5)]];
                z += g.log_likelihood(&p).exp() * h * h;
            }
        }
        assert!((z - 1.0).abs() < 1e-6, "{z}");
    }

    /// ∂ log-likelihood / ∂ means of `g` with its means shifted by `shift`, against central
    /// differences on `n` of its own samples.
    fn assert_mean_gradient_matches_finite_differences(g: &Gmm, n: usize, seed: u64, shift: f64) {
        let (x, _) = g.sample(n, &mut seeded(seed));
        let shifted = Gmm { means: &g.means + shift, ..g.clone() };
        let grad = shifted.mean_gradient(&x);
        let h = 1e-6;
        for k in 0..g.means.nrows() {
            for d in 0..g.means.ncols() {
                let (mut a, mut b) = (shifted.clone(), shifted.clone());
                a.means[[k, d]] += h;
                b.means[[k, d]] -= h;
                let fd = (a.log_likelihood(&x) - b.log_likelihood(&x)) / (2.0 * h);
                assert!((fd - grad[[k, d]]).abs() < 1e-5 * fd.abs().max(1.0), "{fd} vs {}", grad[[k, d]]);
            }
        }
    }

    #[test]
    fn mean_gradient_matches_finite_differences() {
        assert_mean_gradient_matches_finite_differences(&planted(), 50, 3, 0.3);
    }

    #[test]
    fn m_step_is_a_stationary_point_of_the_elbo() {
        // Perturbing the M-step's means, weights or covariances can only lower the ELBO.
        let g = planted();
        let (x, _) = g.sample(300, &mut seeded(4));
        let resp = g.responsibilities(&x);
        let m = g.m_step(&x, &resp, EmMode::Full);
        let best = m.elbo(&x, &resp);
        for eps in [1e-3, -1e-3] {
            let mut a = m.clone();
            a.means[[1, 0]] += eps;
            let mut b = m.clone();
            b.covariances[2][[0, 0]] += eps;
            let mut c = m.clone();
            c.weights[0] += eps;
            c.weights[1] -= eps;
            for other in [a, b, c] {
                assert!(other.elbo(&x, &resp) < best);
            }
        }
    }

    #[test]
    fn em_recovers_planted_means_over_seeds() {
        let truth = planted();
        for seed in 0..5 {
            let (x, _) = truth.sample(1500, &mut seeded(seed));
            let init = Gmm::new(vec![1.0 / 3.0; 3], array![[-1.0, -1.0], [1.0, 0.0], [0.0, 2.0]], vec![Array2::eye(2); 3]);
            let fit = fit_em(&x, &init, EmMode::Full, 200);
            for k in 0..3 {
                // s.e. of a component mean ≈ √(λ_max(Σ)/n_k) ≤ √(0.9/300) ≈ 0.055: allow 4 of them.
                let d = ((fit.model.means[[k, 0]] - truth.means[[k, 0]]).powi(2) + (fit.model.means[[k, 1]] - truth.means[[k, 1]]).powi(2)).sqrt();
                assert!(d < 0.22, "seed {seed} component {k}: off by {d}");
            }
            assert!(fit.log_likelihoods.windows(2).all(|w| w[1] >= w[0] - 1e-9));
        }
    }

    fn planted_3d() -> Gmm {
        Gmm::new(
            vec![0.5, 0.5],
            array![[0.0, 1.0, -1.0], [2.0, -1.0, 0.5]],
            vec![array![[1.0, 0.3, 0.1], [0.3, 0.8, -0.2], [0.1, -0.2, 0.5]], array![[0.4, 0.0, 0.1], [0.0, 1.2, 0.3], [0.1, 0.3, 0.9]]],
        )
    }

    #[test]
    fn two_d_log_density_matches_the_closed_form() {
        // N(x; μ, Σ) = exp(−½ (x−μ)ᵀ Σ⁻¹ (x−μ)) / (2π √det Σ), with the 2 × 2 inverse written out.
        let g = planted();
        let x = array![[0.3, -0.7], [2.5, 1.0], [-4.0, 3.0]];
        let lj = g.log_joint(&x);
        for k in 0..3 {
            let c = &g.covariances[k];
            let det = c[[0, 0]] * c[[1, 1]] - c[[0, 1]] * c[[1, 0]];
            for i in 0..3 {
                let (d0, d1) = (x[[i, 0]] - g.means[[k, 0]], x[[i, 1]] - g.means[[k, 1]]);
                let quad = (c[[1, 1]] * d0 * d0 - 2.0 * c[[0, 1]] * d0 * d1 + c[[0, 0]] * d1 * d1) / det;
                let want = g.weights[k].ln() - 0.5 * quad - 0.5 * det.ln() - (2.0 * PI).ln();
                assert!((lj[[i, k]] - want).abs() < 1e-12, "{} vs {want}", lj[[i, k]]);
            }
        }
    }

    #[test]
    fn log_density_in_4d_matches_the_eigendecomposition() {
        // Independent oracle: Σ = QΛQᵀ gives (x−μ)ᵀΣ⁻¹(x−μ) = Σ_j (q_jᵀ(x−μ))²/λ_j and log det Σ = Σ_j log λ_j.
        let iris = crate::data::iris::load();
        let x = iris.features.slice(ndarray::s![0..150;7, ..]).to_owned();
        let c0 = array![[0.7, 0.3, 0.5, 0.2], [0.3, 0.2, 0.1, 0.05], [0.5, 0.1, 3.1, 1.3], [0.2, 0.05, 1.3, 0.6]];
        let g = Gmm::new(vec![0.4, 0.6], array![[5.0, 3.4, 1.5, 0.2], [6.3, 2.9, 5.0, 1.7]], vec![c0.clone(), Array2::eye(4) * 0.3]);
        let lj = g.log_joint(&x);
        for k in 0..2 {
            let e = symmetric_eigen(&g.covariances[k]);
            for i in 0..x.nrows() {
                let dev = &x.row(i) - &g.means.row(k);
                let quad: f64 = (0..4).map(|j| e.vectors.column(j).dot(&dev).powi(2) / e.values[j]).sum();
                let log_det: f64 = e.values.iter().map(|v| v.ln()).sum();
                let want = g.weights[k].ln() - 0.5 * quad - 0.5 * log_det - 2.0 * (2.0 * PI).ln();
                assert!((lj[[i, k]] - want).abs() < 1e-10 * want.abs().max(1.0), "{} vs {want}", lj[[i, k]]);
            }
        }
    }

    #[test]
    fn marginal_is_the_integral_over_the_other_coordinate() {
        let g = planted();
        let m = g.marginal(&[1]);
        let h = 0.01;
        for &y in &[-1.0, 0.5, 3.0] {
            let integral: f64 = (0..2000).map(|j| g.log_likelihood(&array![[-10.0 + h * (j as f64 + 0.5), y]]).exp() * h).sum();
            let marginal = m.log_likelihood(&array![[y]]).exp();
            assert!((integral - marginal).abs() < 1e-8, "{integral} vs {marginal}");
        }
    }

    #[test]
    fn em_in_3d_is_monotone_and_its_m_step_stationary() {
        let truth = planted_3d();
        let (x, _) = truth.sample(600, &mut seeded(6));
        let init = Gmm::new(vec![0.5, 0.5], array![[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]], vec![Array2::eye(3); 2]);
        let fit = fit_em(&x, &init, EmMode::Full, 100);
        assert!(fit.log_likelihoods.windows(2).all(|w| w[1] >= w[0] - 1e-9));
        for (e, l) in fit.elbo_after_e_step.iter().zip(&fit.log_likelihoods) {
            assert!((e - l).abs() < 1e-9 * l.abs());
        }
        let resp = fit.model.responsibilities(&x);
        let m = fit.model.m_step(&x, &resp, EmMode::Full);
        let best = m.elbo(&x, &resp);
        for eps in [1e-3, -1e-3] {
            let mut a = m.clone();
            a.means[[1, 2]] += eps;
            let mut b = m.clone();
            b.covariances[0][[1, 2]] += eps;
            b.covariances[0][[2, 1]] += eps;
            assert!(a.elbo(&x, &resp) < best && b.elbo(&x, &resp) < best);
        }
        // The means land within 4 standard errors (λ_max(Σ) ≤ 1.5, n_k ≈ 300: s.e. ≤ 0.071).
        for k in 0..2 {
            let j = if (fit.model.means[[0, 0]] - truth.means[[k, 0]]).abs() < 1.0 { 0 } else { 1 };
            let d: f64 = (0..3).map(|a| (fit.model.means[[j, a]] - truth.means[[k, a]]).powi(2)).sum::<f64>().sqrt();
            assert!(d < 4.0 * 0.071, "component {k}: off by {d}");
        }
    }

    #[test]
    fn mean_gradient_in_3d_matches_finite_differences() {
        assert_mean_gradient_matches_finite_differences(&planted_3d(), 40, 8, 0.2);
    }

    #[test]
    fn sampling_reproduces_the_covariance_in_3d() {
        let g = Gmm { weights: vec![1.0], means: planted_3d().means.slice(ndarray::s![0..1, ..]).to_owned(), covariances: vec![planted_3d().covariances[0].clone()] };
        let n = 20_000;
        let (x, _) = g.sample(n, &mut seeded(9));
        let mean = x.mean_axis(Axis(0)).unwrap();
        let c = (&x - &mean).t().dot(&(&x - &mean)) / n as f64;
        // s.e. of a sample covariance entry ≤ √((σ_aa σ_bb + σ_ab²)/n) ≤ √(2/n) = 0.01: allow 5.
        for a in 0..3 {
            for b in 0..3 {
                assert!((c[[a, b]] - g.covariances[0][[a, b]]).abs() < 0.05, "({a}, {b}): {} vs {}", c[[a, b]], g.covariances[0][[a, b]]);
            }
        }
    }

    #[test]
    fn iris_full_covariance_em_over_seeds() {
        // Best of 5 restarts from k-means: the same optimum (ℓ = −180.19, 145 of 150 plants
        // matched to their species) for every seed; k-means alone matches 134 (0.893).
        let iris = crate::data::iris::load();
        let x = &iris.features;
        for seed in 0..6 {
            let fit = fit_em_restarts(x, 3, 5, 100, 10 * seed);
            let ll = *fit.best.log_likelihoods.last().unwrap();
            assert!(fit.best.log_likelihoods.windows(2).all(|w| w[1] >= w[0] - 1e-9));
            let acc = crate::mixture::cluster_accuracy(&fit.best.model.predict(x), &iris.labels).accuracy;
            eprintln!("seed {seed}: ℓ = {ll:.4}, accuracy {acc:.4}, restarts {:?}", fit.final_log_likelihoods);
            assert!((ll + 180.1855).abs() < 1e-3 && acc > 0.96);
            let km = kmeans(x, 3, 300, &mut seeded(seed));
            assert!(crate::mixture::cluster_accuracy(&km.labels, &iris.labels).accuracy < 0.9);
        }
    }

    #[test]
    #[should_panic(expected = "all 3 restarts degenerated")]
    fn a_cluster_of_two_points_in_2d_degenerates() {
        // Two far points become their own k-means cluster; their covariance has rank 1.
        let mut x = Array2::from_shape_vec((100, 2), crate::rng::normal_vec(&mut seeded(1), 200)).unwrap();
        x.row_mut(0).assign(&array![100.0, 100.0]);
        x.row_mut(1).assign(&array![100.0, 101.0]);
        fit_em_restarts(&x, 2, 3, 10, 0);
    }

    #[test]
    #[should_panic(expected = "covariance 1 must be 2 × 2, got (3, 3)")]
    fn rejects_a_covariance_of_the_wrong_size() {
        Gmm::new(vec![0.5, 0.5], array![[0.0, 0.0], [1.0, 1.0]], vec![Array2::eye(2), Array2::eye(3)]);
    }

    #[test]
    #[should_panic(expected = "x must have 2 columns (the mixture's dimension), got 3")]
    fn rejects_data_of_the_wrong_dimension() {
        planted().log_likelihood(&Array2::zeros((4, 3)));
    }
}
