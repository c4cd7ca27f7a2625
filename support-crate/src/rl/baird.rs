//! Baird's counterexample: the deadly triad of function approximation, bootstrapping and
//! off-policy training makes semi-gradient TD diverge.
//!
//! Seven states, linear values $\hat v(s) = \phi(s)^\top\theta$ with $\theta\in\mathbb R^8$:
//! $\phi(s) = 2e_s + e_7$ for the six upper states $s = 0, \dots, 5$ and $\phi(6) = e_6 + 2e_7$.
//! Every reward is 0, so $v_\pi\equiv 0$ for every policy and $\theta = 0$ represents it exactly.
//! The behaviour policy $b$ takes the *dashed* action with probability 6/7 (to a uniformly random
//! upper state) and the *solid* one with probability 1/7 (to state 6); the target policy $\pi$
//! always takes *solid*. Off-policy semi-gradient TD(0) with importance ratio
//! $\rho = \pi(a\mid s)/b(a\mid s)\in\{0, 7\}$,
//! $$\theta\leftarrow\theta + \alpha\,\rho\,\big(r + \gamma\,\phi(s')^\top\theta - \phi(s)^\top\theta\big)\,\phi(s),$$
//! diverges for every $\alpha > 0$ (with $\gamma = 0.99$): its expected update $\theta\leftarrow(I + \alpha A)\theta$,
//! $A = \Phi^\top D(\gamma P_\pi - I)\Phi$ with $D$ the behaviour's state distribution, has an
//! eigenvalue with positive real part. Remove one leg of the triad and it is stable:
//! **on-policy** TD (evaluate $b$ itself, $\rho = 1$: $A$ is negative semi-definite, Tsitsiklis &
//! Van Roy) or **Monte Carlo** targets (the return $G = 0$ replaces the bootstrap: plain SGD on
//! $\frac12(\phi^\top\theta - G)^2$).
//!
//! ## Reference
//! L. Baird (1995), *Residual algorithms: reinforcement learning with function approximation*,
//! ICML; Sutton & Barto (2018), §11.2–11.3 (Example 11.1, Figure 11.2); J. Tsitsiklis & B. Van
//! Roy (1997), *An analysis of temporal-difference learning with function approximation*.
//!
//! Used in notebooks/24-reinforcement-learning.ipynb.

use crate::rng::RngExt;
use ndarray::{Array1, Array2};

/// Baird's seven-state counterexample with discount `gamma` (see the module docs).
///
/// # Examples
/// ```
/// use course::rl::Baird;
/// let baird = Baird::new(0.99);
/// assert_eq!(baird.features.dim(), (7, 8));
/// assert_eq!(baird.features.dot(&Baird::theta0())[6], 12.0); // θ₆ + 2θ₇ = 10 + 2
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Baird {
    /// Feature matrix $\Phi$, `7 × 8` (row $s$ is $\phi(s)$).
    pub features: Array2<f64>,
    /// Discount $\gamma$.
    pub gamma: f64,
}

/// How the TD update is formed in [`Baird::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TdVariant {
    /// Off-policy semi-gradient TD(0), importance ratio $\rho\in\{0, 7\}$: the deadly triad.
    OffPolicy,
    /// On-policy semi-gradient TD(0), evaluating the behaviour policy ($\rho = 1$).
    OnPolicy,
    /// Monte Carlo target: the return $G = 0$ instead of the bootstrap $r + \gamma\hat v(s')$.
    MonteCarlo,
}

impl Baird {
    /// The counterexample with discount `gamma`.
    ///
    /// # Panics
    /// Unless `0 <= gamma < 1`.
    pub fn new(gamma: f64) -> Self {
        assert!((0.0..1.0).contains(&gamma), "Baird::new: gamma must be in [0, 1), got {gamma}");
        let features = Array2::from_shape_fn((7, 8), |(s, k)| match (s, k) {
            (s, k) if s < 6 && k == s => 2.0,
            (s, 7) if s < 6 => 1.0,
            (6, 6) => 1.0,
            (6, 7) => 2.0,
            _ => 0.0,
        });
        Baird { features, gamma }
    }

    /// Sutton and Barto's initial weights $\theta_0 = (1, 1, 1, 1, 1, 1, 10, 1)$.
    pub fn theta0() -> Array1<f64> {
        ndarray::array![1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 10.0, 1.0]
    }

    /// The matrix $A$ of the expected update $\mathbb E[\Delta\theta] = \alpha A\theta$ with states
    /// drawn from the behaviour's stationary distribution (uniform, $D = I/7$):
    /// $A = \Phi^\top D(\gamma P - I)\Phi$, with $P$ the target policy's transitions (all to state 6)
    /// when `off_policy`, else the behaviour's (rows $(1, \dots, 1)/7$).
    ///
    /// # Examples
    /// ```
    /// use course::rl::Baird;
    /// let a = Baird::new(0.99).expected_td_matrix(true);
    /// let spectral_abscissa = course::dynamics::eigenvalues(&a).iter().map(|e| e.0).fold(f64::MIN, f64::max);
    /// assert!(spectral_abscissa > 0.0); // an unstable direction: off-policy TD diverges
    /// ```
    pub fn expected_td_matrix(&self, off_policy: bool) -> Array2<f64> {
        let p = if off_policy {
            Array2::from_shape_fn((7, 7), |(_, t)| if t == 6 { 1.0 } else { 0.0 })
        } else {
            Array2::from_elem((7, 7), 1.0 / 7.0)
        };
        let m = (p * self.gamma - Array2::<f64>::eye(7)) / 7.0;
        self.features.t().dot(&m.dot(&self.features))
    }

    /// `n_steps` sampled updates with step `lr` from `theta0`, following the behaviour policy
    /// from a uniform random state, generator `seeded(seed)`; returns $\lVert\theta_k\rVert_2$ for
    /// $k = 0, \dots, n$ (`n_steps + 1` values).
    ///
    /// # Panics
    /// If `lr` is not finite and positive or `theta0.len() != 8`.
    ///
    /// # Examples
    /// ```
    /// use course::rl::{Baird, TdVariant};
    /// let baird = Baird::new(0.99);
    /// let off = baird.run(TdVariant::OffPolicy, &Baird::theta0(), 0.01, 5000, 0);
    /// let mc = baird.run(TdVariant::MonteCarlo, &Baird::theta0(), 0.01, 5000, 0);
    /// assert!(off[5000] > 100.0 * off[0]);  // diverges
    /// assert!(mc[5000] <= mc[0]);           // converges
    /// ```
    pub fn run(&self, variant: TdVariant, theta0: &Array1<f64>, lr: f64, n_steps: usize, seed: u64) -> Vec<f64> {
        assert!(lr.is_finite() && lr > 0.0, "Baird::run: lr must be finite and > 0, got {lr}");
        assert_eq!(theta0.len(), 8, "Baird::run: theta0 must have 8 entries, got {}", theta0.len());
        let mut rng = crate::rng::seeded(seed);
        let mut theta = theta0.clone();
        let mut norms = Vec::with_capacity(n_steps + 1);
        norms.push(theta.dot(&theta).sqrt());
        let mut s: usize = rng.random_range(0..7);
        for _ in 0..n_steps {
            let solid = rng.random_range(0..7) == 0; // b(solid) = 1/7
            let s_next = if solid { 6 } else { rng.random_range(0..6) };
            let phi = self.features.row(s);
            let v = phi.dot(&theta);
            let (rho, target) = match variant {
                TdVariant::OffPolicy => (if solid { 7.0 } else { 0.0 }, self.gamma * self.features.row(s_next).dot(&theta)),
                TdVariant::OnPolicy => (1.0, self.gamma * self.features.row(s_next).dot(&theta)),
                TdVariant::MonteCarlo => (1.0, 0.0), // every reward is 0, so every return is 0
            };
            theta.scaled_add(lr * rho * (target - v), &phi);
            norms.push(theta.dot(&theta).sqrt());
            s = s_next;
        }
        norms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abscissa(a: &Array2<f64>) -> f64 {
        crate::dynamics::eigenvalues(a).iter().map(|e| e.0).fold(f64::MIN, f64::max)
    }

    #[test]
    fn expected_matrices_match_sampled_update_averages() {
        // Brute force: average the update over the 7 states × their next-state distribution.
        let baird = Baird::new(0.99);
        let theta = Baird::theta0();
        for off in [true, false] {
            let mut mean = Array1::<f64>::zeros(8);
            for s in 0..7 {
                let phi = baird.features.row(s);
                for t in 0..7 {
                    let (prob, rho) = if off { (if t == 6 { 1.0 / 7.0 } else { 0.0 }, 7.0) } else { (1.0 / 7.0, 1.0) };
                    let delta = 0.99 * baird.features.row(t).dot(&theta) - phi.dot(&theta);
                    mean.scaled_add(prob * rho * delta / 7.0, &phi);
                }
            }
            let a_theta = baird.expected_td_matrix(off).dot(&theta);
            assert!((&mean - &a_theta).iter().all(|d| d.abs() < 1e-12), "off = {off}");
        }
    }

    #[test]
    fn off_policy_is_unstable_on_policy_is_not() {
        let baird = Baird::new(0.99);
        assert!(abscissa(&baird.expected_td_matrix(true)) > 1e-3);
        assert!(abscissa(&baird.expected_td_matrix(false)) < 1e-12);
    }

    #[test]
    fn divergence_and_stability_hold_on_ten_seeds() {
        let baird = Baird::new(0.99);
        for seed in 0..10 {
            let off = baird.run(TdVariant::OffPolicy, &Baird::theta0(), 0.01, 10_000, seed);
            let on = baird.run(TdVariant::OnPolicy, &Baird::theta0(), 0.01, 10_000, seed);
            let mc = baird.run(TdVariant::MonteCarlo, &Baird::theta0(), 0.01, 10_000, seed);
            println!("seed {seed}: off {:.3e} on max {:.3} mc max {:.3}", off[10_000], on.iter().cloned().fold(0.0, f64::max), mc.iter().cloned().fold(0.0, f64::max));
            assert!(off[10_000] > 1e3 * off[0], "seed {seed}: off-policy ‖θ‖ = {}", off[10_000]);
            assert!(on.iter().all(|&n| n <= 2.0 * on[0]), "seed {seed}: on-policy grew");
            assert!(mc.iter().all(|&n| n <= mc[0] + 1e-12), "seed {seed}: Monte Carlo grew");
        }
    }
}
