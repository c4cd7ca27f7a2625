//! Polyak's heavy-ball method: gradient descent with momentum.
//!
//! $$x_{k+1} = x_k - \alpha\,\nabla f(x_k) + \beta\,(x_k - x_{k-1}),\qquad x_{-1} = x_0 .$$
//! It discretizes the damped oscillator $\ddot x + a\dot x + \nabla f(x) = 0$. On a quadratic
//! with spectrum in $[\mu, L]$ and $\kappa = L/\mu$, the choice
//! $\alpha = 4/(\sqrt L+\sqrt\mu)^2$, $\beta = \big((\sqrt\kappa-1)/(\sqrt\kappa+1)\big)^2$
//! converges at the rate $(\sqrt\kappa-1)/(\sqrt\kappa+1)$ per step, against
//! $(\kappa-1)/(\kappa+1)$ for the best constant-step gradient descent.
//!
//! ## Reference
//! B. T. Polyak (1964), *Some methods of speeding up the convergence of iteration methods*;
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), §8.3.2.
//!
//! Used in notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::objective::{check_lr, check_x0, checked_gradient, iterate};
use super::{History, Objective};
use ndarray::Array1;

/// The tuned heavy-ball parameters `(lr, momentum)` for a spectrum in `[mu, l]`.
///
/// # Panics
/// Unless `0 < mu <= l`.
///
/// # Examples
/// ```
/// let (lr, momentum) = course::optim::heavy_ball_parameters(1.0, 100.0);
/// assert!((lr - 4.0 / 121.0).abs() < 1e-15);         // 4/(√L + √μ)² = 4/11²
/// assert!((momentum - (9.0f64 / 11.0).powi(2)).abs() < 1e-15); // ((√κ − 1)/(√κ + 1))²
/// ```
pub fn heavy_ball_parameters(mu: f64, l: f64) -> (f64, f64) {
    assert!(mu > 0.0 && mu <= l && l.is_finite(), "heavy_ball_parameters: need 0 < mu <= l, got mu = {mu}, l = {l}");
    let (sm, sl) = (mu.sqrt(), l.sqrt());
    (4.0 / (sl + sm).powi(2), ((sl - sm) / (sl + sm)).powi(2))
}

/// `n_steps` heavy-ball steps with step `lr` and momentum `momentum` from `x0`.
///
/// The run stops early if the loss stops being finite.
///
/// # Panics
/// If `lr <= 0`, `momentum` is outside `[0, 1)`, or `x0` is empty or not finite.
///
/// # Examples
/// ```
/// use course::optim::{heavy_ball, Quadratic};
/// use ndarray::array;
/// // Momentum 0 is gradient descent.
/// let q = Quadratic::diagonal(&[1.0]);
/// let h = heavy_ball(&q, &array![1.0], 0.5, 0.0, 2);
/// assert_eq!(h.last(), &array![0.25]);
/// ```
pub fn heavy_ball(objective: &dyn Objective, x0: &Array1<f64>, lr: f64, momentum: f64, n_steps: usize) -> History {
    check_x0("heavy_ball", x0);
    check_lr("heavy_ball", lr);
    assert!((0.0..1.0).contains(&momentum), "heavy_ball: momentum must lie in [0, 1), got {momentum}");
    let mut previous = x0.clone();
    iterate(|x| objective.value(x), x0, n_steps, |_, x| {
        let g = checked_gradient("heavy_ball", objective, x);
        let next = x - &(g * lr) + (x - &previous) * momentum;
        previous = x.clone();
        next
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Quadratic, semilog_slope};
    use ndarray::array;

    #[test]
    fn tuned_rate_is_the_polyak_rate() {
        // Oracle: the spectral radius (√κ − 1)/(√κ + 1) of the heavy-ball iteration matrix.
        // ‖x_k‖ decays like k·ρ^k (a double eigenvalue), so the semilog slope over a late window
        // is ln ρ up to the slowly varying ln k term.
        let (mu, l) = (1.0, 400.0);
        let q = Quadratic::with_spectrum(&crate::linspace(mu, l, 12), 3);
        let (lr, m) = heavy_ball_parameters(mu, l);
        let h = heavy_ball(&q, &Array1::from_elem(12, 1.0), lr, m, 1500);
        let d = h.distances(&q.minimizer());
        let measured = semilog_slope(&h.steps(), &d, (1000.0, 1500.0)).exp();
        let rho = (20.0 - 1.0) / (20.0 + 1.0);
        assert!((measured - rho).abs() < 2e-3, "measured {measured}, theory {rho}");
    }

    #[test]
    fn one_step_by_hand() {
        let q = Quadratic::diagonal(&[2.0]);
        let h = heavy_ball(&q, &array![1.0], 0.1, 0.5, 2);
        // x1 = 1 − 0.2 = 0.8; x2 = 0.8 − 0.16 + 0.5·(0.8 − 1) = 0.54
        assert!((h.iterates[2][0] - 0.54).abs() < 1e-15);
    }
}
