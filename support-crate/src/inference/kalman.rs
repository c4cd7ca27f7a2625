//! The Kalman filter: exact sequential inference in a linear-Gaussian state-space model.
//!
//! $$x_1\sim\mathcal N(m_0,P_0),\quad x_{t+1} = Ax_t + w_t,\ w_t\sim\mathcal N(0,Q),\quad
//!   y_t = Hx_t + v_t,\ v_t\sim\mathcal N(0,R).$$
//! Predict: $m^-_{t} = Am_{t-1}$, $P^-_t = AP_{t-1}A^\top + Q$. Update with the innovation
//! $e_t = y_t - Hm^-_t$, $S_t = HP^-_tH^\top + R$, gain $K_t = P^-_tH^\top S_t^{-1}$:
//! $$m_t = m^-_t + K_te_t,\qquad P_t = (I - K_tH)P^-_t,\qquad
//!   \ln p(y_{1:T}) = \sum_t \ln\mathcal N(e_t; 0, S_t).$$
//! $(m_t, P_t)$ is the exact law of $x_t\mid y_{1:t}$: the same as conditioning the stacked
//! Gaussian vector $(x_{1:T}, y_{1:T})$ in one batch ([`LinearGaussianSsm::batch_posterior`]),
//! at cost $O(T)$ instead of $O(T^3)$.
//!
//! ## Reference
//! R. E. Kalman (1960), *A new approach to linear filtering and prediction problems*;
//! S. Särkkä, *Bayesian Filtering and Smoothing* (2013), ch. 4; Bishop, *PRML* §13.3.
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use super::gaussian::{linear_gaussian_posterior, symmetrize};
use super::{SpdFactor, mvn_log_density};
use crate::rng::{Rng, normal_vec};
use ndarray::{Array1, Array2, s};

/// A linear-Gaussian state-space model (state dimension `dim`, observation dimension `k`).
///
/// # Examples
/// ```
/// let ssm = course::inference::LinearGaussianSsm::constant_velocity(0.1, 1.0, 0.25);
/// assert_eq!(ssm.a[[0, 1]], 0.1);           // position += dt · velocity
/// assert!((ssm.q[[1, 1]] - 0.1).abs() < 1e-15); // velocity noise q · dt
/// ```
#[derive(Clone, Debug)]
pub struct LinearGaussianSsm {
    /// Transition matrix `A` (dim × dim).
    pub a: Array2<f64>,
    /// Process noise covariance `Q` (dim × dim).
    pub q: Array2<f64>,
    /// Observation matrix `H` (k × dim).
    pub h: Array2<f64>,
    /// Observation noise covariance `R` (k × k).
    pub r: Array2<f64>,
    /// Prior mean of the first state.
    pub m0: Array1<f64>,
    /// Prior covariance of the first state.
    pub p0: Array2<f64>,
}

/// What the filter returns: the filtered means and covariances and the log-likelihood.
#[derive(Clone, Debug)]
pub struct KalmanOutput {
    /// $m_t = \mathbb E[x_t\mid y_{1:t}]$, one per time step.
    pub means: Vec<Array1<f64>>,
    /// $P_t = \operatorname{Cov}[x_t\mid y_{1:t}]$.
    pub covs: Vec<Array2<f64>>,
    /// $\ln p(y_{1:T})$ by the prediction-error decomposition.
    pub log_likelihood: f64,
}

impl LinearGaussianSsm {
    /// Builds a model, checking the shapes.
    ///
    /// # Panics
    /// If a shape disagrees with `m0`'s dimension or `h`'s number of rows.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let ssm = course::inference::LinearGaussianSsm::new(array![[1.0]], array![[0.1]], array![[1.0]], array![[0.5]], array![0.0], array![[1.0]]);
    /// assert_eq!(ssm.dim(), 1);
    /// ```
    pub fn new(a: Array2<f64>, q: Array2<f64>, h: Array2<f64>, r: Array2<f64>, m0: Array1<f64>, p0: Array2<f64>) -> Self {
        let d = m0.len();
        let k = h.nrows();
        for (name, m, want) in [("a", &a, (d, d)), ("q", &q, (d, d)), ("p0", &p0, (d, d)), ("h", &h, (k, d)), ("r", &r, (k, k))] {
            assert_eq!(m.dim(), want, "LinearGaussianSsm: {name} must be {} x {}, got {:?}", want.0, want.1, m.dim());
        }
        LinearGaussianSsm { a, q, h, r, m0, p0 }
    }

    /// The constant-velocity (white-noise acceleration) model in one dimension: state
    /// (position, velocity), observed position. With spectral density `q_acc` of the
    /// acceleration, $Q = q\begin{pmatrix}dt^3/3 & dt^2/2\\ dt^2/2 & dt\end{pmatrix}$; `r_obs`
    /// is the variance of a position measurement. Prior: $\mathcal N(0, \operatorname{diag}(1, 1))$.
    ///
    /// # Panics
    /// If `dt <= 0`, `q_acc <= 0` or `r_obs <= 0`.
    ///
    /// # Examples
    /// ```
    /// let ssm = course::inference::LinearGaussianSsm::constant_velocity(0.5, 2.0, 0.1);
    /// assert!((ssm.q[[0, 1]] - 2.0 * 0.125).abs() < 1e-15 && ssm.r[[0, 0]] == 0.1);
    /// ```
    pub fn constant_velocity(dt: f64, q_acc: f64, r_obs: f64) -> Self {
        assert!(dt > 0.0, "constant_velocity: dt must be > 0, got {dt}");
        assert!(q_acc > 0.0, "constant_velocity: q_acc must be > 0, got {q_acc}");
        assert!(r_obs > 0.0, "constant_velocity: r_obs must be > 0, got {r_obs}");
        let a = ndarray::array![[1.0, dt], [0.0, 1.0]];
        let q = ndarray::array![[dt.powi(3) / 3.0, dt.powi(2) / 2.0], [dt.powi(2) / 2.0, dt]] * q_acc;
        LinearGaussianSsm::new(a, q, ndarray::array![[1.0, 0.0]], ndarray::array![[r_obs]], Array1::zeros(2), Array2::eye(2))
    }

    /// The state dimension.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::inference::LinearGaussianSsm::constant_velocity(0.1, 1.0, 1.0).dim(), 2);
    /// ```
    pub fn dim(&self) -> usize {
        self.m0.len()
    }

    /// Draws states $x_{1:n}$ and observations $y_{1:n}$ from the model.
    ///
    /// # Panics
    /// If a covariance is not positive definite.
    ///
    /// # Examples
    /// ```
    /// let ssm = course::inference::LinearGaussianSsm::constant_velocity(0.1, 1.0, 0.25);
    /// let (xs, ys) = ssm.simulate(&mut course::rng::seeded(0), 50);
    /// assert_eq!((xs.len(), ys.len(), ys[0].len()), (50, 50, 1));
    /// ```
    pub fn simulate(&self, rng: &mut impl Rng, n_steps: usize) -> (Vec<Array1<f64>>, Vec<Array1<f64>>) {
        let chol = |cov: &Array2<f64>| SpdFactor::new(cov).expect("simulate: covariances must be positive definite").l;
        let (lp, lq, lr) = (chol(&self.p0), chol(&self.q), chol(&self.r));
        let mut draw = |l: &Array2<f64>| l.dot(&Array1::from(normal_vec(rng, l.nrows())));
        let mut xs = Vec::with_capacity(n_steps);
        let mut ys = Vec::with_capacity(n_steps);
        let mut x = &self.m0 + &draw(&lp);
        for t in 0..n_steps {
            if t > 0 {
                x = self.a.dot(&x) + draw(&lq);
            }
            ys.push(self.h.dot(&x) + draw(&lr));
            xs.push(x.clone());
        }
        (xs, ys)
    }

    /// Runs the Kalman filter on `ys` (one observation vector per step).
    ///
    /// # Panics
    /// If an observation has the wrong length or an innovation covariance is not positive definite.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// // A static scalar state observed twice: the filter equals the normal–normal posterior.
    /// let ssm = course::inference::LinearGaussianSsm::new(array![[1.0]], array![[1e-300]], array![[1.0]], array![[1.0]], array![0.0], array![[1.0]]);
    /// let out = ssm.filter(&[array![1.0], array![3.0]]);
    /// let (m, v) = course::inference::normal_normal_posterior(0.0, 1.0, 1.0, &[1.0, 3.0]);
    /// assert!((out.means[1][0] - m).abs() < 1e-12 && (out.covs[1][[0, 0]] - v).abs() < 1e-12);
    /// ```
    pub fn filter(&self, ys: &[Array1<f64>]) -> KalmanOutput {
        let k = self.h.nrows();
        let mut m = self.m0.clone();
        let mut p = self.p0.clone();
        let mut out = KalmanOutput { means: Vec::new(), covs: Vec::new(), log_likelihood: 0.0 };
        for (t, y) in ys.iter().enumerate() {
            assert_eq!(y.len(), k, "filter: observation {t} must have {k} entries, got {}", y.len());
            if t > 0 {
                m = self.a.dot(&m); // predict
                p = symmetrize(self.a.dot(&p).dot(&self.a.t()) + &self.q);
            }
            let e = y - &self.h.dot(&m); // innovation
            let ph = p.dot(&self.h.t());
            let s_mat = symmetrize(self.h.dot(&ph) + &self.r);
            out.log_likelihood += mvn_log_density(&e, &Array1::zeros(k), &s_mat);
            let f = SpdFactor::new(&s_mat).unwrap_or_else(|e| panic!("filter: innovation covariance at step {t} not positive definite: {e}"));
            let gain = f.solve_mat(&ph.t().to_owned()).t().to_owned(); // K = P Hᵀ S⁻¹
            m = &m + &gain.dot(&e);
            p = symmetrize(&p - &gain.dot(&ph.t()));
            out.means.push(m.clone());
            out.covs.push(p.clone());
        }
        out
    }

    /// The prior mean and covariance of the stacked states $(x_1,\dots,x_T)$.
    fn stacked_prior(&self, n_steps: usize) -> (Array1<f64>, Array2<f64>) {
        let d = self.dim();
        let mut means = vec![self.m0.clone()];
        let mut marg = vec![self.p0.clone()];
        for t in 1..n_steps {
            means.push(self.a.dot(&means[t - 1]));
            marg.push(self.a.dot(&marg[t - 1]).dot(&self.a.t()) + &self.q);
        }
        let mut mean = Array1::zeros(d * n_steps);
        let mut cov = Array2::zeros((d * n_steps, d * n_steps));
        for t in 0..n_steps {
            mean.slice_mut(s![t * d..(t + 1) * d]).assign(&means[t]);
            // Cov(x_s, x_t) = A^{s−t} P_t for s ≥ t.
            let mut block = marg[t].clone();
            for u in t..n_steps {
                cov.slice_mut(s![u * d..(u + 1) * d, t * d..(t + 1) * d]).assign(&block);
                cov.slice_mut(s![t * d..(t + 1) * d, u * d..(u + 1) * d]).assign(&block.t());
                block = self.a.dot(&block);
            }
        }
        (mean, cov)
    }

    /// The exact posterior of all states given all observations, by Gaussian conditioning of
    /// the stacked system $Y = \mathbf H X + V$ (dimension $T\cdot$`dim`; $O(T^3)$ work), and
    /// the exact $\ln p(y_{1:T})$ as the log-density of $Y\sim\mathcal N(\mathbf H\mu_X, \mathbf H\Sigma_X\mathbf H^\top + \mathbf R)$.
    /// Returns (mean of the stacked states, their covariance, log-likelihood).
    ///
    /// # Panics
    /// If `ys` is empty or an observation has the wrong length.
    ///
    /// # Examples
    /// ```
    /// let ssm = course::inference::LinearGaussianSsm::constant_velocity(0.1, 1.0, 0.25);
    /// let (_, ys) = ssm.simulate(&mut course::rng::seeded(1), 10);
    /// let (mean, _, ll) = ssm.batch_posterior(&ys);
    /// let out = ssm.filter(&ys);
    /// assert!((mean[18] - out.means[9][0]).abs() < 1e-10 && (ll - out.log_likelihood).abs() < 1e-10);
    /// ```
    pub fn batch_posterior(&self, ys: &[Array1<f64>]) -> (Array1<f64>, Array2<f64>, f64) {
        let n_steps = ys.len();
        assert!(n_steps > 0, "batch_posterior: ys must not be empty");
        let (d, k) = (self.dim(), self.h.nrows());
        let (mx, cx) = self.stacked_prior(n_steps);
        let mut hb = Array2::zeros((k * n_steps, d * n_steps));
        let mut rb = Array2::zeros((k * n_steps, k * n_steps));
        let mut yb = Array1::zeros(k * n_steps);
        for (t, y) in ys.iter().enumerate() {
            assert_eq!(y.len(), k, "batch_posterior: observation {t} must have {k} entries, got {}", y.len());
            hb.slice_mut(s![t * k..(t + 1) * k, t * d..(t + 1) * d]).assign(&self.h);
            rb.slice_mut(s![t * k..(t + 1) * k, t * k..(t + 1) * k]).assign(&self.r);
            yb.slice_mut(s![t * k..(t + 1) * k]).assign(y);
        }
        let y_cov = symmetrize(hb.dot(&cx).dot(&hb.t()) + &rb);
        let ll = mvn_log_density(&yb, &hb.dot(&mx), &y_cov);
        let (m, c) = linear_gaussian_posterior(&mx, &cx, &hb, &rb, &yb);
        (m, c, ll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn filter_equals_batch_conditioning_at_every_step() {
        let ssm = LinearGaussianSsm::constant_velocity(0.2, 0.5, 0.3);
        let (_, ys) = ssm.simulate(&mut crate::rng::seeded(11), 25);
        let out = ssm.filter(&ys);
        for t in [0usize, 4, 12, 24] {
            // The filtered law at t is the batch posterior given y_{1:t}, read at block t.
            let (m, c, ll) = ssm.batch_posterior(&ys[..=t]);
            let (mb, cb) = (m.slice(s![2 * t..2 * t + 2]).to_owned(), c.slice(s![2 * t..2 * t + 2, 2 * t..2 * t + 2]).to_owned());
            assert!((&mb - &out.means[t]).iter().all(|v| v.abs() < 1e-10), "mean at {t}");
            assert!((&cb - &out.covs[t]).iter().all(|v| v.abs() < 1e-10), "cov at {t}");
            if t == 24 {
                assert!((ll - out.log_likelihood).abs() < 1e-10 * ll.abs().max(1.0));
            }
        }
    }

    #[test]
    fn two_dimensional_observations_and_a_rotation() {
        let th: f64 = 0.3;
        let a = array![[th.cos(), -th.sin()], [th.sin(), th.cos()]] * 0.95;
        let ssm = LinearGaussianSsm::new(a, Array2::eye(2) * 0.1, array![[1.0, 0.5], [0.0, 1.0]], array![[0.2, 0.05], [0.05, 0.3]], array![1.0, -1.0], Array2::eye(2));
        let (_, ys) = ssm.simulate(&mut crate::rng::seeded(2), 8);
        let out = ssm.filter(&ys);
        let (m, c, ll) = ssm.batch_posterior(&ys);
        assert!((&m.slice(s![14..16]) - &out.means[7]).iter().all(|v| v.abs() < 1e-10));
        assert!((&c.slice(s![14..16, 14..16]) - &out.covs[7]).iter().all(|v| v.abs() < 1e-10));
        assert!((ll - out.log_likelihood).abs() < 1e-10);
    }

    #[test]
    fn filter_errors_are_calibrated() {
        // Over many simulated tracks, (x_T − m_T)ᵀ P_T⁻¹ (x_T − m_T) has mean dim = 2.
        let ssm = LinearGaussianSsm::constant_velocity(0.1, 1.0, 0.25);
        let mut rng = crate::rng::seeded(5);
        let n = 2000;
        let mut acc = Vec::new();
        for _ in 0..n {
            let (xs, ys) = ssm.simulate(&mut rng, 20);
            let out = ssm.filter(&ys);
            let e = &xs[19] - &out.means[19];
            acc.push(e.dot(&SpdFactor::new(&out.covs[19]).unwrap().solve(&e)));
        }
        let mean = acc.iter().sum::<f64>() / n as f64;
        // χ²₂ has variance 4: standard error 2/√n; allow 4 s.e.
        assert!((mean - 2.0).abs() < 4.0 * 2.0 / (n as f64).sqrt(), "{mean}");
    }
}
