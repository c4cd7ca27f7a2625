//! Nesterov's accelerated gradient: a gradient step from an extrapolated point.
//!
//! $$y_k = x_k + \beta_k\,(x_k - x_{k-1}),\qquad x_{k+1} = y_k - \alpha\,\nabla f(y_k).$$
//! With $\beta_k = \frac{k-1}{k+2}$ and $\alpha\le 1/L$ on an $L$-smooth convex $f$,
//! $$f(x_k)-f^\star\le\frac{2\lVert x_0-x^\star\rVert^2}{\alpha(k+1)^2},$$
//! $O(1/k^2)$ against $O(1/k)$ for gradient descent, which is optimal for first-order methods.
//! On a $\mu$-strongly convex $f$ the constant $\beta = (\sqrt\kappa-1)/(\sqrt\kappa+1)$ with
//! $\alpha = 1/L$ gives $f(x_k)-f^\star\le\big(f(x_0)-f^\star+\tfrac\mu2\lVert x_0-x^\star\rVert^2\big)(1-1/\sqrt\kappa)^k$:
//! about $\sqrt\kappa$ iterations per digit where gradient descent needs $\kappa$.
//!
//! ## Reference
//! Y. Nesterov (1983), *A method for solving the convex programming problem with convergence
//! rate O(1/k²)*; W. Su, S. Boyd & E. Candès (2016), *A differential equation for modeling
//! Nesterov's accelerated gradient method*, Theorem 6; Nesterov, *Lectures on Convex
//! Optimization* (2018), §2.2.
//!
//! Used in notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::objective::{check_lr, check_x0, checked_gradient, iterate};
use super::{History, Objective};
use ndarray::Array1;

/// Nesterov's method for convex objectives, momentum $\beta_k = (k-1)/(k+2)$, step `lr`
/// (take `lr = 1/L`). The history records $f(x_k)$.
///
/// # Panics
/// If `lr <= 0` or `x0` is empty or not finite.
///
/// # Examples
/// ```
/// use course::optim::{nesterov, Quadratic};
/// use ndarray::array;
/// let q = Quadratic::diagonal(&[1e-3, 1.0]);
/// let h = nesterov(&q, &array![1.0, 1.0], 1.0, 100);
/// // Su–Boyd–Candès: f(x_k) ≤ 2‖x0 − x*‖²/(lr (k + 1)²).
/// assert!(h.losses.iter().enumerate().all(|(k, f)| *f <= 4.0 / ((k + 1) as f64).powi(2)));
/// ```
pub fn nesterov(objective: &dyn Objective, x0: &Array1<f64>, lr: f64, n_steps: usize) -> History {
    run("nesterov", objective, x0, lr, n_steps, |k| (k as f64 - 1.0) / (k as f64 + 2.0))
}

/// Nesterov's method with a constant momentum `momentum` (for strongly convex objectives take
/// `lr = 1/L` and `momentum` $= (\sqrt\kappa-1)/(\sqrt\kappa+1)$).
///
/// # Panics
/// If `lr <= 0`, `momentum` is outside `[0, 1)`, or `x0` is empty or not finite.
///
/// # Examples
/// ```
/// use course::optim::{nesterov_constant, Quadratic};
/// use ndarray::array;
/// let q = Quadratic::diagonal(&[0.01, 1.0]); // κ = 100, β = 9/11
/// let h = nesterov_constant(&q, &array![1.0, 1.0], 1.0, 9.0 / 11.0, 200);
/// let bound = (h.losses[0] + 0.005 * 2.0) * (1.0f64 - 0.1).powi(200);
/// assert!(h.final_loss() <= bound);
/// ```
pub fn nesterov_constant(objective: &dyn Objective, x0: &Array1<f64>, lr: f64, momentum: f64, n_steps: usize) -> History {
    assert!((0.0..1.0).contains(&momentum), "nesterov_constant: momentum must lie in [0, 1), got {momentum}");
    run("nesterov_constant", objective, x0, lr, n_steps, |_| momentum)
}

fn run(
    what: &str,
    objective: &dyn Objective,
    x0: &Array1<f64>,
    lr: f64,
    n_steps: usize,
    momentum: impl Fn(usize) -> f64,
) -> History {
    check_x0(what, x0);
    check_lr(what, lr);
    let mut y = x0.clone();
    iterate(|x| objective.value(x), x0, n_steps, |k, x| {
        // x_k = y_{k−1} − α∇f(y_{k−1});  y_k = x_k + β_k (x_k − x_{k−1}),  k = 1, 2, …
        let next = &y - &(checked_gradient(what, objective, &y) * lr);
        y = &next + &((&next - x) * momentum(k + 1));
        next
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Quadratic, gradient_descent, loglog_slope};
    use ndarray::array;

    /// Eigenvalues 1 … 1e-8, five per decade, and x0 with all eigen-coordinates equal to 1:
    /// the weighted spectral measure Σ λ_i c_i² δ(λ_i) is then ∝ λ per unit of ln λ, which makes
    /// GD's gap ∝ 1/k and Nesterov's ∝ 1/k² for 1 ≪ k ≪ 1/λ_min.
    fn geometric_quadratic() -> Quadratic {
        let lams: Vec<f64> = crate::linspace(0.0, -8.0, 41).iter().map(|e| 10f64.powf(*e)).collect();
        Quadratic::diagonal(&lams)
    }

    #[test]
    fn first_steps_by_hand() {
        // f = x²/2, lr = 0.5: x1 = 0.5 (β_1 = 0, y1 = x1), x2 = 0.25, y2 = x2 + ¼(x2 − x1) = 0.1875.
        let q = Quadratic::diagonal(&[1.0]);
        let h = nesterov(&q, &array![1.0], 0.5, 3);
        assert_eq!(h.iterates[1][0], 0.5);
        assert_eq!(h.iterates[2][0], 0.25);
        assert_eq!(h.iterates[3][0], 0.09375);
    }

    #[test]
    fn accelerated_bound_holds_and_slope_is_minus_two() {
        // Oracles: the Su–Boyd–Candès bound at every k, and the measured log-log slope ≈ −2
        // on a quadratic whose spectrum spreads over eight decades (GD gives ≈ −1 there).
        let q = geometric_quadratic();
        let x0 = Array1::from_elem(41, 1.0);
        let h = nesterov(&q, &x0, 1.0, 3000);
        for (k, f) in h.losses.iter().enumerate() {
            assert!(*f <= 2.0 * 41.0 / ((k + 1) as f64).powi(2));
        }
        let s_nag = loglog_slope(&h.steps(), &h.losses, (30.0, 3000.0));
        let g = gradient_descent(&q, &x0, 1.0, 3000);
        let s_gd = loglog_slope(&g.steps(), &g.losses, (30.0, 3000.0));
        assert!((s_nag + 2.0).abs() < 0.05, "Nesterov slope {s_nag}");
        assert!((s_gd + 1.0).abs() < 0.02, "GD slope {s_gd}");
    }

    #[test]
    fn strongly_convex_bound_holds() {
        let (mu, l) = (1e-3, 1.0);
        let q = Quadratic::with_spectrum(&crate::linspace(mu, l, 10), 9);
        let x0 = Array1::from_elem(10, 1.0);
        let beta = (1.0 - mu.sqrt()) / (1.0 + mu.sqrt());
        let h = nesterov_constant(&q, &x0, 1.0, beta, 800);
        let c = h.losses[0] + 0.5 * mu * x0.dot(&x0);
        for (k, f) in h.losses.iter().enumerate() {
            assert!(*f <= c * (1.0 - mu.sqrt()).powi(k as i32) + 1e-300, "k = {k}");
        }
    }
}
