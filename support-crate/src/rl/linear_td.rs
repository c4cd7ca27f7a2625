//! TD(0) with linear features on a Markov reward process, and its fixed point.
//!
//! Under a fixed policy the states form a Markov chain $P$ with rewards $r$ and stationary
//! distribution $d$ ($d^\top P = d^\top$, $D = \operatorname{diag}d$). TD(0) on $V_\theta = \Phi\theta$
//! along one trajectory,
//! $$\theta_{t+1} = \theta_t + \alpha_t\big(r(S_t) + \gamma\phi(S_{t+1})^\top\theta_t - \phi(S_t)^\top\theta_t\big)\phi(S_t),$$
//! follows on average the linear ODE $\dot\theta = b - A\theta$ with
//! $$A = \Phi^\top D(I - \gamma P)\Phi,\qquad b = \Phi^\top D r .$$
//! On-policy, $A$ is positive definite ($\lVert P\rVert_D\le1$), so under Robbins–Monro steps
//! $\theta_t\to\theta_{\rm TD} = A^{-1}b$ (Tsitsiklis & Van Roy 1997): the fixed point of the
//! *projected* Bellman equation $\Phi\theta = \Pi_D(r + \gamma P\Phi\theta)$, **not** the
//! least-squares fit $\theta_{\rm LS} = (\Phi^\top D\Phi)^{-1}\Phi^\top DV^\pi$ of the true value. The two are
//! related by $\lVert\Phi\theta_{\rm TD} - V^\pi\rVert_D\le\frac1{\sqrt{1-\gamma^2}}\lVert\Phi\theta_{\rm LS} - V^\pi\rVert_D$.
//!
//! ## Reference
//! J. N. Tsitsiklis & B. Van Roy (1997), *An analysis of temporal-difference learning with
//! function approximation*, IEEE Trans. Automatic Control 42; Sutton & Barto (2018), §9.4.
//!
//! Used in notebooks/25-reinforcement-learning-with-networks.ipynb.

use crate::rng::{Rng, RngExt};
use ndarray::{Array1, Array2};

/// A Markov reward process with linear features: $P$, $r$, $\gamma$ and $\Phi$.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearTd {
    /// Transition matrix, `n_states × n_states`, rows sum to 1.
    pub p: Array2<f64>,
    /// Reward $r(s)$ received on leaving $s$.
    pub r: Array1<f64>,
    /// Discount.
    pub gamma: f64,
    /// Features $\Phi$, `n_states × n_features`.
    pub phi: Array2<f64>,
}

impl LinearTd {
    /// Builds and validates the process.
    ///
    /// # Panics
    /// If shapes disagree, a row of `p` is not a distribution, or `gamma` is outside `[0, 1)`.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let td = course::rl::LinearTd::new(array![[0.0, 1.0], [1.0, 0.0]], array![1.0, 0.0], 0.5, array![[1.0], [1.0]]);
    /// assert_eq!(td.stationary(), array![0.5, 0.5]);
    /// ```
    pub fn new(p: Array2<f64>, r: Array1<f64>, gamma: f64, phi: Array2<f64>) -> Self {
        let n = p.nrows();
        assert!(n > 0 && p.ncols() == n, "LinearTd::new: p must be square and non-empty, got {:?}", p.dim());
        assert_eq!(r.len(), n, "LinearTd::new: r must have n_states = {n} entries, got {}", r.len());
        assert_eq!(phi.nrows(), n, "LinearTd::new: phi must have n_states = {n} rows, got {}", phi.nrows());
        assert!((0.0..1.0).contains(&gamma), "LinearTd::new: gamma must be in [0, 1), got {gamma}");
        for (s, row) in p.rows().into_iter().enumerate() {
            assert!(row.iter().all(|&x| x >= 0.0) && (row.sum() - 1.0).abs() < 1e-9, "LinearTd::new: p row {s} must be a probability vector");
        }
        LinearTd { p, r, gamma, phi }
    }

    /// A random process: rows of $P$ uniform on the simplex (dense, hence ergodic), rewards and
    /// features standard normal; generator `seeded(seed)`.
    ///
    /// # Examples
    /// ```
    /// let td = course::rl::LinearTd::random(6, 2, 0.9, 0);
    /// assert_eq!(td.phi.dim(), (6, 2));
    /// assert!((td.stationary().sum() - 1.0).abs() < 1e-12);
    /// ```
    pub fn random(n_states: usize, n_features: usize, gamma: f64, seed: u64) -> Self {
        assert!(n_states > 0 && n_features > 0, "LinearTd::random: n_states and n_features must be > 0");
        let mut rng = crate::rng::seeded(seed);
        let mut p = Array2::from_shape_fn((n_states, n_states), |_| -(1.0 - rng.random::<f64>()).ln());
        for mut row in p.rows_mut() {
            let z = row.sum();
            row /= z;
        }
        let r = Array1::from(crate::rng::normal_vec(&mut rng, n_states));
        let phi = Array2::from_shape_vec((n_states, n_features), crate::rng::normal_vec(&mut rng, n_states * n_features)).unwrap();
        LinearTd::new(p, r, gamma, phi)
    }

    /// Number of states.
    pub fn n_states(&self) -> usize {
        self.p.nrows()
    }

    /// The stationary distribution $d$ ($d^\top P = d^\top$, by power iteration to 1e-14).
    ///
    /// # Panics
    /// If the power iteration has not converged in 100 000 steps (a periodic chain).
    ///
    /// # Examples
    /// ```
    /// let td = course::rl::LinearTd::random(5, 2, 0.9, 1);
    /// let d = td.stationary();
    /// assert!((&d.dot(&td.p) - &d).iter().all(|x| x.abs() < 1e-12));
    /// ```
    pub fn stationary(&self) -> Array1<f64> {
        let n = self.n_states();
        let mut d = Array1::from_elem(n, 1.0 / n as f64);
        for _ in 0..100_000 {
            // Lazy chain (I + P)/2: same stationary law, aperiodic.
            let next = (&d + &d.dot(&self.p)) * 0.5;
            let diff = (&next - &d).iter().fold(0.0f64, |m, x| m.max(x.abs()));
            d = next;
            if diff < 1e-15 {
                return d;
            }
        }
        panic!("LinearTd::stationary: power iteration did not converge");
    }

    /// The true value $V = (I - \gamma P)^{-1}r$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let td = course::rl::LinearTd::new(array![[1.0]], array![1.0], 0.5, array![[1.0]]);
    /// assert_eq!(td.value()[0], 2.0);
    /// ```
    pub fn value(&self) -> Array1<f64> {
        let n = self.n_states();
        let m = Array2::<f64>::eye(n) - &(&self.p * self.gamma);
        crate::linalg::solve(&m, &self.r).expect("I − γP is invertible for γ < 1")
    }

    /// $A = \Phi^\top D(I - \gamma P)\Phi$ and $b = \Phi^\top Dr$.
    ///
    /// # Examples
    /// ```
    /// let td = course::rl::LinearTd::random(6, 2, 0.9, 0);
    /// let (a, _) = td.td_system();
    /// // On-policy A is positive definite: xᵀAx > 0.
    /// assert!(a[[0, 0]] > 0.0 && a[[1, 1]] > 0.0);
    /// ```
    pub fn td_system(&self) -> (Array2<f64>, Array1<f64>) {
        let d = self.stationary();
        let n = self.n_states();
        let dphi = &self.phi * &d.view().insert_axis(ndarray::Axis(1)); // D Φ
        let m = Array2::<f64>::eye(n) - &(&self.p * self.gamma);
        (dphi.t().dot(&m.dot(&self.phi)), dphi.t().dot(&self.r))
    }

    /// The TD fixed point $\theta_{\rm TD} = A^{-1}b$.
    ///
    /// # Examples
    /// ```
    /// let td = course::rl::LinearTd::random(6, 2, 0.9, 0);
    /// let (a, b) = td.td_system();
    /// let th = td.td_fixed_point();
    /// assert!((&a.dot(&th) - &b).iter().all(|x| x.abs() < 1e-12));
    /// ```
    pub fn td_fixed_point(&self) -> Array1<f64> {
        let (a, b) = self.td_system();
        crate::linalg::solve(&a, &b).expect("on-policy A is positive definite when Φ has full column rank")
    }

    /// The $D$-weighted least-squares fit $\theta_{\rm LS} = (\Phi^\top D\Phi)^{-1}\Phi^\top DV$.
    ///
    /// # Examples
    /// ```
    /// // With one-hot (tabular) features both fits are exact: θ_LS = θ_TD = V.
    /// let mut td = course::rl::LinearTd::random(4, 4, 0.9, 0);
    /// td.phi = ndarray::Array2::eye(4);
    /// let d = &td.least_squares_fit() - &td.td_fixed_point();
    /// assert!(d.iter().all(|x| x.abs() < 1e-10));
    /// ```
    pub fn least_squares_fit(&self) -> Array1<f64> {
        let d = self.stationary();
        let dphi = &self.phi * &d.view().insert_axis(ndarray::Axis(1));
        crate::linalg::solve(&dphi.t().dot(&self.phi), &dphi.t().dot(&self.value())).expect("Φ has full column rank")
    }

    /// The $D$-norm $\lVert v\rVert_D = \sqrt{\sum_s d(s)v(s)^2}$.
    ///
    /// # Examples
    /// ```
    /// let td = course::rl::LinearTd::new(ndarray::array![[1.0]], ndarray::array![0.0], 0.5, ndarray::array![[1.0]]);
    /// assert_eq!(td.d_norm(&ndarray::array![3.0]), 3.0);
    /// ```
    pub fn d_norm(&self, v: &Array1<f64>) -> f64 {
        let d = self.stationary();
        d.iter().zip(v).map(|(w, x)| w * x * x).sum::<f64>().sqrt()
    }

    fn next_state(&self, s: usize, rng: &mut impl Rng) -> usize {
        let u: f64 = rng.random();
        let mut acc = 0.0;
        for (t, &w) in self.p.row(s).iter().enumerate() {
            acc += w;
            if u < acc {
                return t;
            }
        }
        self.n_states() - 1
    }

    /// TD(0) along one trajectory from $S_0 = 0$, $\theta_0 = 0$, with steps
    /// $\alpha_t = \mathrm{lr}/(1 + t/t_0)^{0.75}$, $t_0 = 1000$ (Robbins–Monro); returns
    /// $\theta_t$ at $t = 0, \text{record\_every}, 2\,\text{record\_every}, \dots, n_{\rm steps}$.
    ///
    /// # Panics
    /// If `lr <= 0` or `record_every == 0`.
    ///
    /// # Examples
    /// ```
    /// let td = course::rl::LinearTd::random(6, 2, 0.9, 0);
    /// let path = td.run_td(0.05, 200_000, 200_000, 0);
    /// let err = &path[1] - &td.td_fixed_point();
    /// assert!(err.iter().all(|x| x.abs() < 0.1));
    /// ```
    pub fn run_td(&self, lr: f64, n_steps: usize, record_every: usize, seed: u64) -> Vec<Array1<f64>> {
        assert!(lr > 0.0, "LinearTd::run_td: lr must be > 0, got {lr}");
        assert!(record_every > 0, "LinearTd::run_td: record_every must be > 0, got 0");
        let mut rng = crate::rng::seeded(seed);
        let k = self.phi.ncols();
        let mut theta = Array1::<f64>::zeros(k);
        let mut path = vec![theta.clone()];
        let mut s = 0;
        for t in 0..n_steps {
            let s_next = self.next_state(s, &mut rng);
            let phi_s = self.phi.row(s);
            let delta = self.r[s] + self.gamma * self.phi.row(s_next).dot(&theta) - phi_s.dot(&theta);
            let alpha = lr / (1.0 + t as f64 / 1000.0).powf(0.75);
            theta.scaled_add(alpha * delta, &phi_s);
            s = s_next;
            if (t + 1) % record_every == 0 {
                path.push(theta.clone());
            }
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn td_fixed_point_solves_the_projected_bellman_equation() {
        for seed in 0..5 {
            let td = LinearTd::random(7, 3, 0.9, seed);
            let th = td.td_fixed_point();
            let v = td.phi.dot(&th);
            let target = &td.r + &(td.p.dot(&v) * td.gamma);
            // Π_D(target) = Φ θ' with θ' the D-weighted least squares of the target.
            let d = td.stationary();
            let dphi = &td.phi * &d.view().insert_axis(ndarray::Axis(1));
            let th2 = crate::linalg::solve(&dphi.t().dot(&td.phi), &dphi.t().dot(&target)).unwrap();
            assert!((&th2 - &th).iter().all(|x| x.abs() < 1e-10));
        }
    }

    #[test]
    fn tsitsiklis_van_roy_bound_holds_and_is_not_trivial() {
        for seed in 0..5 {
            let td = LinearTd::random(8, 2, 0.9, seed);
            let v = td.value();
            let e_td = td.d_norm(&(&td.phi.dot(&td.td_fixed_point()) - &v));
            let e_ls = td.d_norm(&(&td.phi.dot(&td.least_squares_fit()) - &v));
            assert!(e_ls <= e_td + 1e-12 && e_td <= e_ls / (1.0f64 - 0.81).sqrt() + 1e-12, "seed {seed}: {e_td} {e_ls}");
        }
    }

    #[test]
    fn stationary_distribution_matches_a_long_run() {
        let td = LinearTd::random(4, 1, 0.5, 3);
        let d = td.stationary();
        let mut rng = crate::rng::seeded(9);
        let mut counts = [0usize; 4];
        let mut s = 0;
        let n = 200_000;
        for _ in 0..n {
            s = td.next_state(s, &mut rng);
            counts[s] += 1;
        }
        for i in 0..4 {
            assert!((counts[i] as f64 / n as f64 - d[i]).abs() < 0.01);
        }
    }
}
