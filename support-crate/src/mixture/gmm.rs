//! Gaussian mixture models in 2-D, fitted by expectation–maximization (EM).
//!
//! $$p(x)=\sum_{k=1}^K\pi_k\,\mathcal N(x;\mu_k,\Sigma_k),\qquad
//! \ell(\theta)=\sum_{i=1}^n\log\sum_k\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)\ \text{(by log-sum-exp)}.$$
//! **E-step**: responsibilities $r_{ik}=\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)/p(x_i)$, the posterior
//! of the hidden label. **M-step**: with $N_k=\sum_ir_{ik}$,
//! $\pi_k=N_k/n$, $\mu_k=\frac1{N_k}\sum_ir_{ik}x_i$, $\Sigma_k=\frac1{N_k}\sum_ir_{ik}(x_i-\mu_k)(x_i-\mu_k)^\top$.
//! Both steps maximize the ELBO $\mathcal L(q,\theta)=\sum_{i,k}q_{ik}\log\frac{\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)}{q_{ik}}\le\ell(\theta)$,
//! with equality after the E-step — so $\ell$ never decreases.
//!
//! ## Reference
//! A. Dempster, N. Laird & D. Rubin (1977), *Maximum likelihood from incomplete data via the EM
//! algorithm*; C. Bishop, *Pattern Recognition and Machine Learning* (2006), §9.2–9.4.
//!
//! Used in notebooks/16-hidden-variables-and-em.ipynb.

use ndarray::{Array1, Array2, Axis};
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

/// A 2-D Gaussian mixture: `weights` (K, summing to 1), `means` (K × 2), `covariances` (K of 2 × 2).
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

fn log_gauss(x: [f64; 2], mu: [f64; 2], c: &Array2<f64>) -> f64 {
    let det = c[[0, 0]] * c[[1, 1]] - c[[0, 1]] * c[[1, 0]];
    let (d0, d1) = (x[0] - mu[0], x[1] - mu[1]);
    let quad = (c[[1, 1]] * d0 * d0 - (c[[0, 1]] + c[[1, 0]]) * d0 * d1 + c[[0, 0]] * d1 * d1) / det;
    -0.5 * quad - 0.5 * det.ln() - (2.0 * PI).ln()
}

fn check_data(x: &Array2<f64>) {
    assert!(x.ncols() == 2, "x must have 2 columns (2-D data), got {}", x.ncols());
    assert!(x.nrows() > 0, "x must have at least one row");
}

impl Gmm {
    /// A mixture from its parameters.
    ///
    /// # Panics
    /// If the sizes disagree, `means` does not have 2 columns, a weight is negative or they do
    /// not sum to 1 (to 1e-9), or a covariance is not symmetric positive definite.
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
        assert!(means.dim() == (k, 2), "means must be {k} × 2, got {:?}", means.dim());
        assert!(covariances.len() == k, "covariances must hold {k} matrices, got {}", covariances.len());
        assert!(weights.iter().all(|&w| w >= 0.0), "weights must be >= 0");
        let s: f64 = weights.iter().sum();
        assert!((s - 1.0).abs() < 1e-9, "weights must sum to 1, got {s}");
        for (j, c) in covariances.iter().enumerate() {
            assert!(c.dim() == (2, 2), "covariance {j} must be 2 × 2, got {:?}", c.dim());
            let det = c[[0, 0]] * c[[1, 1]] - c[[0, 1]] * c[[1, 0]];
            assert!(
                (c[[0, 1]] - c[[1, 0]]).abs() <= 1e-12 * c[[0, 1]].abs().max(1.0) && c[[0, 0]] > 0.0 && det > 0.0,
                "covariance {j} must be symmetric positive definite, got {c}"
            );
        }
        Gmm { weights, means, covariances }
    }

    /// Number of components $K$.
    pub fn k(&self) -> usize {
        self.weights.len()
    }

    /// The $n\times K$ matrix of $\log\pi_k+\log\mathcal N(x_i;\mu_k,\Sigma_k)$ (log joint of point and label).
    ///
    /// # Panics
    /// If `x` is not `n × 2`.
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
        check_data(x);
        Array2::from_shape_fn((x.nrows(), self.k()), |(i, k)| {
            self.weights[k].ln() + log_gauss([x[[i, 0]], x[[i, 1]]], [self.means[[k, 0]], self.means[[k, 1]]], &self.covariances[k])
        })
    }

    /// The log-likelihood $\sum_i\log\sum_k\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)$.
    ///
    /// # Panics
    /// If `x` is not `n × 2`.
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
    /// If `x` is not `n × 2`.
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
        let mut x = Array2::zeros((n_samples, 2));
        let mut z = Vec::with_capacity(n_samples);
        for mut row in x.rows_mut() {
            let u: f64 = rng.random();
            let mut k = 0;
            let mut acc = self.weights[0];
            while u >= acc && k + 1 < self.k() {
                k += 1;
                acc += self.weights[k];
            }
            let c = &self.covariances[k];
            // Cholesky of the 2 × 2 covariance.
            let l00 = c[[0, 0]].sqrt();
            let l10 = c[[1, 0]] / l00;
            let l11 = (c[[1, 1]] - l10 * l10).sqrt();
            let (e0, e1): (f64, f64) = (StandardNormal.sample(rng), StandardNormal.sample(rng));
            row[0] = self.means[[k, 0]] + l00 * e0;
            row[1] = self.means[[k, 1]] + l10 * e0 + l11 * e1;
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
        check_data(x);
        let k = self.k();
        assert!(resp.dim() == (x.nrows(), k), "resp must be {} × {k}, got {:?}", x.nrows(), resp.dim());
        let nk: Array1<f64> = resp.sum_axis(Axis(0));
        assert!(nk.iter().all(|&v| v > 0.0), "every component needs a positive total responsibility, got {nk}");
        let means = Array2::from_shape_fn((k, 2), |(j, d)| resp.column(j).dot(&x.column(d)) / nk[j]);
        if mode == EmMode::MeansOnly {
            return Gmm { weights: self.weights.clone(), means, covariances: self.covariances.clone() };
        }
        let weights: Vec<f64> = nk.iter().map(|v| v / x.nrows() as f64).collect();
        let covariances = (0..k)
            .map(|j| {
                let mut c = Array2::<f64>::zeros((2, 2));
                for (row, &r) in x.rows().into_iter().zip(resp.column(j)) {
                    let d = [row[0] - means[[j, 0]], row[1] - means[[j, 1]]];
                    for a in 0..2 {
                        for b in 0..2 {
                            c[[a, b]] += r * d[a] * d[b];
                        }
                    }
                }
                c /= nk[j];
                if mode == EmMode::Diagonal {
                    c[[0, 1]] = 0.0;
                    c[[1, 0]] = 0.0;
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
    /// assert_eq!(grad.row(0).to_vec(), vec![2.0, 1.0]); // Σ⁻¹ Σᵢ (xᵢ − μ) = (4, 2)/2
    /// ```
    pub fn mean_gradient(&self, x: &Array2<f64>) -> Array2<f64> {
        let resp = self.responsibilities(x);
        let mut g = Array2::zeros((self.k(), 2));
        for j in 0..self.k() {
            let mut s = [0.0; 2];
            for (row, &r) in x.rows().into_iter().zip(resp.column(j)) {
                s[0] += r * (row[0] - self.means[[j, 0]]);
                s[1] += r * (row[1] - self.means[[j, 1]]);
            }
            let c = &self.covariances[j];
            let det = c[[0, 0]] * c[[1, 1]] - c[[0, 1]] * c[[1, 0]];
            g[[j, 0]] = (c[[1, 1]] * s[0] - c[[0, 1]] * s[1]) / det;
            g[[j, 1]] = (-c[[1, 0]] * s[0] + c[[0, 0]] * s[1]) / det;
        }
        g
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
/// If `x` is not `n × 2`, or a component loses all its responsibility.
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
    check_data(x);
    let mut model = init.clone();
    let mut lls = vec![model.log_likelihood(x)];
    let mut elbos = Vec::with_capacity(n_iter);
    for _ in 0..n_iter {
        let resp = model.responsibilities(x);
        elbos.push(model.elbo(x, &resp));
        model = model.m_step(x, &resp, mode);
        lls.push(model.log_likelihood(x));
    }
    EmFit { model, log_likelihoods: lls, elbo_after_e_step: elbos }
}

/// `n_iter` steps of gradient ascent $\mu_k\leftarrow\mu_k+\text{lr}\,\partial\ell/\partial\mu_k$ on
/// the means (weights and covariances fixed at `init`'s).
///
/// # Panics
/// If `lr <= 0` or `x` is not `n × 2`.
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
    check_data(x);
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

    #[test]
    fn mean_gradient_matches_finite_differences() {
        let g = planted();
        let (x, _) = g.sample(50, &mut seeded(3));
        let shifted = Gmm { means: &g.means + 0.3, ..g.clone() };
        let grad = shifted.mean_gradient(&x);
        let h = 1e-6;
        for k in 0..3 {
            for d in 0..2 {
                let (mut a, mut b) = (shifted.clone(), shifted.clone());
                a.means[[k, d]] += h;
                b.means[[k, d]] -= h;
                let fd = (a.log_likelihood(&x) - b.log_likelihood(&x)) / (2.0 * h);
                assert!((fd - grad[[k, d]]).abs() < 1e-5 * fd.abs().max(1.0), "{fd} vs {}", grad[[k, d]]);
            }
        }
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
}
