//! AMSGrad: Adam's second moment replaced by its running maximum, so the effective step never grows.
//!
//! $$m_k = \beta_1 m_{k-1} + (1-\beta_1)g_k,\quad v_k = \beta_2 v_{k-1} + (1-\beta_2)g_k^2,\quad
//!   \hat v_k = \max(\hat v_{k-1}, v_k),\quad x_{k+1} = x_k - \alpha_k\frac{m_k}{\sqrt{\hat v_k}}.$$
//! Adam's $v_k$ forgets a rare large gradient after $\sim 1/(1-\beta_2)$ steps, and its step
//! $\alpha_k/\sqrt{v_k}$ grows back: in Reddi, Kale & Kumar's online problem the rare large
//! gradient points to the minimum, and Adam ends at the wrong end of the interval. With the
//! maximum, $\alpha_k/\sqrt{\hat v_k}$ is non-increasing whenever $\alpha_k$ is, which is what the
//! regret proof needs. As in the paper's Algorithm 2, there is no bias correction (all moments
//! start at 0; the first gradient must be non-zero in every coordinate).
//!
//! ## Reference
//! S. J. Reddi, S. Kale & S. Kumar (2018), *On the convergence of Adam and beyond*, ICLR,
//! Algorithm 2.
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use ndarray::Array1;

/// AMSGrad's state: the two moving averages and the running maximum of the second.
///
/// # Examples
/// ```
/// use course::optim::AmsGradState;
/// let s = AmsGradState::new(3, 0.9, 0.99);
/// assert_eq!(s.v_hat.sum(), 0.0);
/// assert_eq!(s.m.len(), 3);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AmsGradState {
    /// $\beta_1$, the decay of the first moment.
    pub beta1: f64,
    /// $\beta_2$, the decay of the second moment.
    pub beta2: f64,
    /// $m_k$, the running average of the gradients.
    pub m: Array1<f64>,
    /// $v_k$, the running average of the squared gradients (as in Adam).
    pub v: Array1<f64>,
    /// $\hat v_k = \max_{j\le k} v_j$, the running maximum (coordinate-wise).
    pub v_hat: Array1<f64>,
}

impl AmsGradState {
    /// Zero moments in dimension `dim`.
    ///
    /// # Panics
    /// If a decay is outside `[0, 1)` or `dim == 0`.
    pub fn new(dim: usize, beta1: f64, beta2: f64) -> Self {
        assert!(dim > 0, "AmsGradState::new: dim must be > 0");
        assert!((0.0..1.0).contains(&beta1), "AmsGradState::new: beta1 must lie in [0, 1), got {beta1}");
        assert!((0.0..1.0).contains(&beta2), "AmsGradState::new: beta2 must lie in [0, 1), got {beta2}");
        let z = Array1::zeros(dim);
        AmsGradState { beta1, beta2, m: z.clone(), v: z.clone(), v_hat: z }
    }
}

/// A function with the signature of [`amsgrad_step`] (what exercise 15.1 asks for).
pub type AmsGradStep = fn(&Array1<f64>, &Array1<f64>, f64, &mut AmsGradState) -> Array1<f64>;

/// One AMSGrad step from `x` with gradient `g` and step size `lr` ($\alpha_k$): updates the
/// state and returns $x - \alpha_k m_k/\sqrt{\hat v_k}$ (no projection).
///
/// # Panics
/// If `x`, `g` and the state differ in length, or a coordinate of $\hat v_k$ is 0 (a zero first gradient).
///
/// # Examples
/// ```
/// use course::optim::{amsgrad_step, AmsGradState};
/// use ndarray::array;
/// let mut s = AmsGradState::new(1, 0.0, 0.5);
/// let x = amsgrad_step(&array![0.0], &array![2.0], 1.0, &mut s); // v = 2, v̂ = 2, step 2/√2
/// assert!((x[0] + 2f64.sqrt()).abs() < 1e-15);
/// let x = amsgrad_step(&x, &array![0.1], 1.0, &mut s);           // v = 1.005 < v̂ = 2: the max keeps 2
/// assert!((s.v_hat[0] - 2.0).abs() < 1e-15);
/// assert!((x[0] - (-(2f64.sqrt()) - 0.1 / 2f64.sqrt())).abs() < 1e-15);
/// ```
pub fn amsgrad_step(x: &Array1<f64>, g: &Array1<f64>, lr: f64, state: &mut AmsGradState) -> Array1<f64> {
    let d = state.m.len();
    assert!(x.len() == d && g.len() == d, "amsgrad_step: x and g must have {d} entries (the state's), got {} and {}", x.len(), g.len());
    state.m = &state.m * state.beta1 + &(g * (1.0 - state.beta1));
    state.v = &state.v * state.beta2 + &(g.mapv(|gi| gi * gi) * (1.0 - state.beta2));
    state.v_hat = Array1::from_shape_fn(d, |i| state.v_hat[i].max(state.v[i]));
    assert!(state.v_hat.iter().all(|&v| v > 0.0), "amsgrad_step: v̂ has a zero coordinate (the gradients so far are 0 there)");
    Array1::from_shape_fn(d, |i| x[i] - lr * state.m[i] / state.v_hat[i].sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn effective_step_never_grows_and_beta1_zero_is_sign_like() {
        // Oracle 1: v̂ is the running maximum, so lr/√v̂ is non-increasing for a constant lr.
        let mut s = AmsGradState::new(2, 0.9, 0.99);
        let mut x = array![0.0, 0.0];
        let mut last = f64::INFINITY;
        let mut rng = crate::rng::seeded(3);
        for _ in 0..200 {
            let g = Array1::from(crate::rng::normal_vec(&mut rng, 2)) + 0.1;
            x = amsgrad_step(&x, &g, 0.1, &mut s);
            let eff = 1.0 / s.v_hat[0].sqrt();
            assert!(eff <= last + 1e-15);
            last = eff;
        }
        // Oracle 2: with β1 = 0 and β2 = 0 and a constant gradient, each step is lr·sign(g).
        let mut s = AmsGradState::new(2, 0.0, 0.0);
        let x = amsgrad_step(&array![1.0, 1.0], &array![3.0, -0.5], 0.1, &mut s);
        assert!((x[0] - 0.9).abs() < 1e-15 && (x[1] - 1.1).abs() < 1e-15);
    }

    #[test]
    #[should_panic(expected = "beta2 must lie in [0, 1)")]
    fn rejects_bad_decay() {
        AmsGradState::new(1, 0.9, 1.0);
    }
}
