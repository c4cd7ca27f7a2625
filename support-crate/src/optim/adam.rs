//! Adam: momentum on the gradient, RMSprop on its square, both bias-corrected.
//!
//! $$m_k = \beta_1 m_{k-1} + (1-\beta_1)g_k,\quad v_k = \beta_2 v_{k-1} + (1-\beta_2)g_k^2,\quad
//!   \hat m_k = \frac{m_k}{1-\beta_1^k},\quad \hat v_k = \frac{v_k}{1-\beta_2^k},\quad
//!   x_{k+1} = x_k - \alpha\frac{\hat m_k}{\sqrt{\hat v_k}+\varepsilon}.$$
//! From $m_0 = 0$, $m_k = (1-\beta_1)\sum_{j=1}^k\beta_1^{k-j}g_j$, so if the $g_j$ share the
//! mean $\bar g$, $\mathbb E\,m_k = (1-\beta_1^k)\,\bar g$: the raw average is biased towards 0
//! during the first $\sim 1/(1-\beta_1)$ steps, and dividing by $1-\beta_1^k$ removes the bias
//! exactly (the same for $v_k$ with $\beta_2$).
//!
//! ## Reference
//! D. P. Kingma & J. Ba (2015), *Adam: a method for stochastic optimization*, §2–3.
//!
//! Used in notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::objective::{check_lr, check_x0, checked_gradient, iterate};
use super::rmsprop::EPS;
use super::{History, Objective};
use ndarray::Array1;

/// The state of Adam: the two moment estimates and the step count.
///
/// # Examples
/// ```
/// use course::optim::AdamState;
/// use ndarray::array;
/// let mut s = AdamState::new(1, 0.9, 0.999);
/// for _ in 0..3 { s.update(&array![2.0]); }
/// assert!((s.m[0] - 2.0 * (1.0 - 0.9f64.powi(3))).abs() < 1e-15); // biased towards 0
/// assert!((s.m_hat()[0] - 2.0).abs() < 1e-14);                      // corrected: exact
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AdamState {
    /// $\beta_1$, the decay of the first moment.
    pub beta1: f64,
    /// $\beta_2$, the decay of the second moment.
    pub beta2: f64,
    /// $m_k$, the running average of the gradients.
    pub m: Array1<f64>,
    /// $v_k$, the running average of the squared gradients.
    pub v: Array1<f64>,
    /// $k$, the number of updates so far.
    pub k: usize,
}

impl AdamState {
    /// Zero moments in dimension `dim`.
    ///
    /// # Panics
    /// If a decay is outside `[0, 1)`.
    pub fn new(dim: usize, beta1: f64, beta2: f64) -> Self {
        assert!((0.0..1.0).contains(&beta1), "AdamState::new: beta1 must lie in [0, 1), got {beta1}");
        assert!((0.0..1.0).contains(&beta2), "AdamState::new: beta2 must lie in [0, 1), got {beta2}");
        AdamState { beta1, beta2, m: Array1::zeros(dim), v: Array1::zeros(dim), k: 0 }
    }

    /// Folds in the gradient `g` and returns the step direction $\hat m_k/(\sqrt{\hat v_k}+\varepsilon)$.
    ///
    /// # Panics
    /// If `g` has the wrong length.
    pub fn update(&mut self, g: &Array1<f64>) -> Array1<f64> {
        assert_eq!(g.len(), self.m.len(), "AdamState::update: g must have {} entries, got {}", self.m.len(), g.len());
        self.k += 1;
        self.m = &self.m * self.beta1 + &(g * (1.0 - self.beta1));
        self.v = &self.v * self.beta2 + &(g.mapv(|gi| gi * gi) * (1.0 - self.beta2));
        let (m_hat, v_hat) = (self.m_hat(), self.v_hat());
        Array1::from_shape_fn(g.len(), |i| m_hat[i] / (v_hat[i].sqrt() + EPS))
    }

    /// The bias-corrected first moment $\hat m_k = m_k/(1-\beta_1^k)$.
    ///
    /// # Panics
    /// Before the first update.
    pub fn m_hat(&self) -> Array1<f64> {
        assert!(self.k > 0, "AdamState::m_hat: no update yet");
        &self.m / (1.0 - self.beta1.powi(self.k as i32))
    }

    /// The bias-corrected second moment $\hat v_k = v_k/(1-\beta_2^k)$.
    ///
    /// # Panics
    /// Before the first update.
    pub fn v_hat(&self) -> Array1<f64> {
        assert!(self.k > 0, "AdamState::v_hat: no update yet");
        &self.v / (1.0 - self.beta2.powi(self.k as i32))
    }
}

/// `n_steps` Adam steps with step `lr` and decays `beta1`, `beta2` (typically 0.9 and 0.999)
/// from `x0`.
///
/// # Panics
/// If `lr <= 0`, a decay is outside `[0, 1)`, or `x0` is empty or not finite.
///
/// # Examples
/// ```
/// use course::optim::{adam, Quadratic};
/// use ndarray::array;
/// // Thanks to the bias correction, the first step has length lr in every coordinate.
/// let q = Quadratic::diagonal(&[1.0, 1000.0]);
/// let h = adam(&q, &array![1.0, 1.0], 0.01, 0.9, 0.999, 1);
/// let step = &h.iterates[0] - &h.iterates[1];
/// assert!((step[0] - 0.01).abs() < 1e-9 && (step[1] - 0.01).abs() < 1e-9);
/// ```
pub fn adam(objective: &dyn Objective, x0: &Array1<f64>, lr: f64, beta1: f64, beta2: f64, n_steps: usize) -> History {
    check_x0("adam", x0);
    check_lr("adam", lr);
    let mut state = AdamState::new(x0.len(), beta1, beta2);
    iterate(|x| objective.value(x), x0, n_steps, |_, x| x - &(state.update(&checked_gradient("adam", objective, x)) * lr))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::Rosenbrock;
    use ndarray::array;

    #[test]
    fn corrected_moments_are_unbiased_for_noisy_constant_mean_gradients() {
        // Oracle: E m_k = (1 − β1^k) ḡ. Average the moments over many independent streams.
        let (g_bar, n_runs, k) = (1.5, 20_000, 5);
        let mut rng = crate::rng::seeded(12);
        let (mut raw, mut corrected) = (0.0, 0.0);
        for _ in 0..n_runs {
            let mut s = AdamState::new(1, 0.9, 0.999);
            for _ in 0..k {
                let z = crate::rng::normal_vec(&mut rng, 1)[0];
                s.update(&array![g_bar + z]);
            }
            raw += s.m[0];
            corrected += s.m_hat()[0];
        }
        let (raw, corrected) = (raw / n_runs as f64, corrected / n_runs as f64);
        // Standard error of m_k: (1 − β1)·sqrt(Σ β1^{2j}) / sqrt(n_runs) < 0.003.
        assert!((raw - (1.0 - 0.9f64.powi(k)) * g_bar).abs() < 0.01, "raw {raw}");
        assert!((corrected - g_bar).abs() < 0.03, "corrected {corrected}");
    }

    #[test]
    fn second_moment_of_a_constant_gradient_is_exact_after_correction() {
        let mut s = AdamState::new(2, 0.9, 0.999);
        for _ in 0..7 {
            s.update(&array![3.0, -0.5]);
        }
        assert!((s.v_hat()[0] - 9.0).abs() < 1e-12 && (s.v_hat()[1] - 0.25).abs() < 1e-12);
    }

    #[test]
    fn reaches_the_rosenbrock_valley_floor() {
        let h = adam(&Rosenbrock::default(), &array![-1.2, 1.0], 0.02, 0.9, 0.999, 5000);
        assert!(h.final_loss() < 1e-3, "{}", h.final_loss());
    }
}
