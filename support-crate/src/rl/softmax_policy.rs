//! The tabular softmax policy and its score function $\nabla_\theta\log\pi$.
//!
//! One logit per state–action pair, $\theta\in\mathbb R^{S\times A}$, and
//! $$\pi_\theta(a\mid s) = \frac{e^{\theta_{s,a}}}{\sum_b e^{\theta_{s,b}}},\qquad
//!   \frac{\partial\log\pi_\theta(a\mid s)}{\partial\theta_{s',b}} = \mathbb 1[s' = s]\big(\mathbb 1[b = a] - \pi_\theta(b\mid s)\big).$$
//! The score has mean zero under the policy, $\sum_a\pi(a\mid s)\nabla\log\pi(a\mid s) = \nabla\sum_a\pi(a\mid s) = 0$,
//! the identity behind every baseline.
//!
//! ## Reference
//! R. S. Sutton & A. G. Barto, *Reinforcement Learning: An Introduction* (2nd ed., 2018), §13.1–13.2.
//!
//! Used in notebooks/25-reinforcement-learning-with-networks.ipynb.

use crate::rng::{Rng, RngExt};
use ndarray::Array2;

/// A softmax policy with one logit per state–action pair.
///
/// # Examples
/// ```
/// use course::rl::SoftmaxPolicy;
/// let pi = SoftmaxPolicy::uniform(3, 4);
/// assert_eq!(pi.probs()[[1, 2]], 0.25);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SoftmaxPolicy {
    /// Logits, `n_states × n_actions`.
    pub theta: Array2<f64>,
}

impl SoftmaxPolicy {
    /// The policy with the given logits.
    ///
    /// # Panics
    /// If `theta` is empty or has a non-finite entry.
    ///
    /// # Examples
    /// ```
    /// use course::rl::SoftmaxPolicy;
    /// let pi = SoftmaxPolicy::new(ndarray::array![[0.0, 2f64.ln()]]);
    /// assert!((pi.probs()[[0, 1]] - 2.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn new(theta: Array2<f64>) -> Self {
        assert!(theta.nrows() > 0 && theta.ncols() > 0, "SoftmaxPolicy::new: theta must be n_states × n_actions with both > 0, got {:?}", theta.dim());
        assert!(theta.iter().all(|x| x.is_finite()), "SoftmaxPolicy::new: theta must be finite");
        SoftmaxPolicy { theta }
    }

    /// All logits zero: the uniformly random policy.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::rl::SoftmaxPolicy::uniform(2, 4).theta.sum(), 0.0);
    /// ```
    pub fn uniform(n_states: usize, n_actions: usize) -> Self {
        SoftmaxPolicy::new(Array2::zeros((n_states, n_actions)))
    }

    /// $\pi(a\mid s)$ as an `n_states × n_actions` matrix (rows sum to 1; computed stably).
    ///
    /// # Examples
    /// ```
    /// let pi = course::rl::SoftmaxPolicy::new(ndarray::array![[1000.0, 0.0]]);
    /// assert_eq!(pi.probs()[[0, 0]], 1.0); // no overflow
    /// ```
    pub fn probs(&self) -> Array2<f64> {
        crate::nn::softmax_rows(&self.theta)
    }

    /// The score $\nabla_\theta\log\pi(a\mid s)$, an `n_states × n_actions` matrix that is zero
    /// outside row `s`.
    ///
    /// # Panics
    /// If `s` or `a` is out of range.
    ///
    /// # Examples
    /// ```
    /// let pi = course::rl::SoftmaxPolicy::uniform(2, 4);
    /// let g = pi.score(1, 3);
    /// assert_eq!(g.row(1).to_vec(), vec![-0.25, -0.25, -0.25, 0.75]);
    /// assert_eq!(g.row(0).sum(), 0.0);
    /// ```
    pub fn score(&self, s: usize, a: usize) -> Array2<f64> {
        let mut g = Array2::zeros(self.theta.dim());
        self.add_score(s, a, 1.0, &mut g);
        g
    }

    /// `g += weight · ∇log π(a|s)` without allocating (the inner loop of every estimator).
    ///
    /// # Panics
    /// If `s` or `a` is out of range or `g` has the wrong shape.
    ///
    /// # Examples
    /// ```
    /// let pi = course::rl::SoftmaxPolicy::uniform(1, 2);
    /// let mut g = ndarray::Array2::zeros((1, 2));
    /// pi.add_score(0, 0, 2.0, &mut g);
    /// assert_eq!(g, ndarray::array![[1.0, -1.0]]);
    /// ```
    pub fn add_score(&self, s: usize, a: usize, weight: f64, g: &mut Array2<f64>) {
        let (n_s, n_a) = self.theta.dim();
        assert!(s < n_s && a < n_a, "SoftmaxPolicy::score: need s < {n_s} and a < {n_a}, got s = {s}, a = {a}");
        assert_eq!(g.dim(), (n_s, n_a), "SoftmaxPolicy::add_score: g must be {n_s}×{n_a}, got {:?}", g.dim());
        let w = self.exp_weights(s);
        let z: f64 = w.iter().sum();
        for b in 0..n_a {
            let p = w[b] / z;
            g[[s, b]] += weight * (if b == a { 1.0 } else { 0.0 } - p);
        }
    }

    /// $e^{\theta_{s,a} - \max_b\theta_{s,b}}$ for every action: $\pi(\cdot\mid s)$ up to its normalizer.
    fn exp_weights(&self, s: usize) -> Vec<f64> {
        let row = self.theta.row(s);
        let m = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        row.iter().map(|t| (t - m).exp()).collect()
    }

    /// Samples $A\sim\pi(\cdot\mid s)$.
    ///
    /// # Panics
    /// If `s` is out of range.
    ///
    /// # Examples
    /// ```
    /// let pi = course::rl::SoftmaxPolicy::new(ndarray::array![[0.0, 3f64.ln()]]);
    /// let mut rng = course::rng::seeded(0);
    /// let ones = (0..10_000).filter(|_| pi.sample(0, &mut rng) == 1).count();
    /// assert!((ones as f64 / 1e4 - 0.75).abs() < 4.0 * (0.1875f64 / 1e4).sqrt());
    /// ```
    pub fn sample(&self, s: usize, rng: &mut impl Rng) -> usize {
        let (n_s, n_a) = self.theta.dim();
        assert!(s < n_s, "SoftmaxPolicy::sample: need s < {n_s}, got {s}");
        let w = self.exp_weights(s);
        let u: f64 = rng.random::<f64>() * w.iter().sum::<f64>();
        let mut acc = 0.0;
        for (a, wa) in w.iter().enumerate() {
            acc += wa;
            if u < acc {
                return a;
            }
        }
        n_a - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_matches_finite_differences_of_log_pi() {
        let mut rng = crate::rng::seeded(5);
        let theta = Array2::from_shape_vec((3, 4), crate::rng::normal_vec(&mut rng, 12)).unwrap();
        let pi = SoftmaxPolicy::new(theta.clone());
        let h = 1e-6;
        for (s, a) in [(0, 0), (1, 3), (2, 1)] {
            let g = pi.score(s, a);
            for i in 0..3 {
                for b in 0..4 {
                    let mut tp = theta.clone();
                    tp[[i, b]] += h;
                    let mut tm = theta.clone();
                    tm[[i, b]] -= h;
                    let fd = (SoftmaxPolicy::new(tp).probs()[[s, a]].ln() - SoftmaxPolicy::new(tm).probs()[[s, a]].ln()) / (2.0 * h);
                    assert!((fd - g[[i, b]]).abs() < 1e-8, "({s},{a}) wrt ({i},{b}): {fd} vs {}", g[[i, b]]);
                }
            }
        }
    }

    #[test]
    fn score_has_mean_zero() {
        let pi = SoftmaxPolicy::new(ndarray::array![[0.3, -1.0, 2.0]]);
        let p = pi.probs();
        let mut m = Array2::zeros((1, 3));
        for a in 0..3 {
            pi.add_score(0, a, p[[0, a]], &mut m);
        }
        assert!(m.iter().all(|x| x.abs() < 1e-15));
    }

    #[test]
    #[should_panic(expected = "theta must be finite")]
    fn rejects_nan_logits() {
        SoftmaxPolicy::new(ndarray::array![[f64::NAN]]);
    }
}
