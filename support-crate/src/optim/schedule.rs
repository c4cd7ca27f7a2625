//! Step-size schedules for stochastic gradient descent, and the Robbins–Monro conditions.
//!
//! With noisy gradients, a constant step $\alpha$ makes SGD hover at a noise floor of order
//! $\alpha\sigma^2$; to converge, the steps must shrink, but not too fast:
//! $$\sum_k\alpha_k = \infty\quad(\text{travel arbitrarily far}),\qquad
//!   \sum_k\alpha_k^2 < \infty\quad(\text{the accumulated noise stays finite}).$$
//! The schedule $\alpha_k = \alpha_0\,(1 + k/k_0)^{-a}$ meets both exactly when $\tfrac12 < a \le 1$.
//!
//! ## Reference
//! H. Robbins & S. Monro (1951), *A stochastic approximation method*; Bottou, Curtis &
//! Nocedal (2018), *Optimization methods for large-scale machine learning*, §4.2–4.3.
//!
//! Used in notebooks/04-gradient-descent.ipynb.

/// A step-size schedule $k\mapsto\alpha_k$ ($k = 0, 1, \dots$).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepSchedule {
    /// $\alpha_k = \alpha$.
    Constant(f64),
    /// $\alpha_k = \alpha_0\,(1 + k/k_0)^{-a}$, with `lr` $=\alpha_0$ and `power` $= a$.
    RobbinsMonro { lr: f64, k0: f64, power: f64 },
}

impl StepSchedule {
    /// The constant schedule.
    ///
    /// # Panics
    /// If `lr <= 0`.
    ///
    /// # Examples
    /// ```
    /// let s = course::optim::StepSchedule::constant(0.1);
    /// assert_eq!(s.lr_at(1000), 0.1);
    /// assert!(!s.satisfies_robbins_monro()); // Σα² = ∞
    /// ```
    pub fn constant(lr: f64) -> Self {
        assert!(lr > 0.0 && lr.is_finite(), "StepSchedule::constant: lr must be > 0, got {lr}");
        StepSchedule::Constant(lr)
    }

    /// The decaying schedule $\alpha_0(1 + k/k_0)^{-a}$.
    ///
    /// # Panics
    /// If `lr <= 0`, `k0 <= 0` or `power < 0`.
    ///
    /// # Examples
    /// ```
    /// let s = course::optim::StepSchedule::robbins_monro(0.5, 10.0, 1.0);
    /// assert_eq!(s.lr_at(0), 0.5);
    /// assert_eq!(s.lr_at(10), 0.25);
    /// assert!(s.satisfies_robbins_monro());
    /// ```
    pub fn robbins_monro(lr: f64, k0: f64, power: f64) -> Self {
        assert!(lr > 0.0 && lr.is_finite(), "StepSchedule::robbins_monro: lr must be > 0, got {lr}");
        assert!(k0 > 0.0 && k0.is_finite(), "StepSchedule::robbins_monro: k0 must be > 0, got {k0}");
        assert!(power >= 0.0 && power.is_finite(), "StepSchedule::robbins_monro: power must be >= 0, got {power}");
        StepSchedule::RobbinsMonro { lr, k0, power }
    }

    /// The step $\alpha_k$.
    pub fn lr_at(&self, k: usize) -> f64 {
        match *self {
            StepSchedule::Constant(lr) => lr,
            StepSchedule::RobbinsMonro { lr, k0, power } => lr * (1.0 + k as f64 / k0).powf(-power),
        }
    }

    /// Whether $\sum\alpha_k = \infty$ and $\sum\alpha_k^2 < \infty$ (for the power schedule:
    /// $\frac12 < a \le 1$).
    pub fn satisfies_robbins_monro(&self) -> bool {
        match *self {
            StepSchedule::Constant(_) => false,
            StepSchedule::RobbinsMonro { power, .. } => power > 0.5 && power <= 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_sums_behave_as_the_conditions_say() {
        // Oracle: the integral test. For a = 1 the partial sums grow like k0·ln(k/k0) (diverge),
        // the sums of squares converge to about k0·α0²; for a = 0.4 the squares diverge too.
        let s = StepSchedule::robbins_monro(1.0, 1.0, 1.0);
        let sum = |n: usize, p: i32| (0..n).map(|k| s.lr_at(k).powi(p)).sum::<f64>();
        assert!((sum(1_000_000, 1) - (1_000_000f64.ln() + 0.5772)).abs() < 1e-3);
        assert!((sum(1_000_000, 2) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-5);
        let slow = StepSchedule::robbins_monro(1.0, 1.0, 0.4);
        assert!(!slow.satisfies_robbins_monro());
        let sq = |n: usize| (0..n).map(|k| slow.lr_at(k).powi(2)).sum::<f64>();
        assert!(sq(100_000) > 2.0 * sq(1_000)); // Σ k^{-0.8} keeps growing like k^{0.2}/0.2
    }
}
