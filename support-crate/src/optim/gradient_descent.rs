//! Gradient descent: the explicit Euler step of the gradient flow.
//!
//! $$x_{k+1} = x_k - \alpha\,\nabla f(x_k),$$
//! which is Euler's method with time step $\alpha$ for $\dot x = -\nabla f(x)$. On an
//! $L$-smooth convex $f$ with $\alpha = 1/L$: $f(x_k) - f^\star \le L\lVert x_0-x^\star\rVert^2/(2k)$;
//! if $f$ is also $\mu$-strongly convex, $\lVert x_k - x^\star\rVert \le (1-\mu/L)^k\lVert x_0-x^\star\rVert$.
//! On a quadratic the iteration is stable exactly when $0 < \alpha < 2/L$.
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), Theorem 2.1.14 and 2.1.15; Bubeck,
//! *Convex Optimization: Algorithms and Complexity* (2015), §3.1–3.4.
//!
//! Used in notebooks/04-gradient-descent.ipynb.

use super::objective::{check_lr, check_x0, checked_gradient, iterate};
use super::{History, Objective};
use ndarray::Array1;

/// `n_steps` steps of gradient descent with constant step `lr` from `x0`.
///
/// The run stops early if the loss stops being finite (see [`History::diverged`]).
///
/// # Panics
/// If `lr <= 0`, `x0` is empty or not finite, or the gradient has the wrong length.
///
/// # Examples
/// ```
/// use course::optim::{gradient_descent, Quadratic};
/// use ndarray::array;
/// // f = x²/2 + 2y², L = 4: with lr = 1/L the y-coordinate is solved in one step.
/// let q = Quadratic::diagonal(&[1.0, 4.0]);
/// let h = gradient_descent(&q, &array![1.0, 1.0], 0.25, 1);
/// assert_eq!(h.last(), &array![0.75, 0.0]);
/// ```
pub fn gradient_descent(objective: &dyn Objective, x0: &Array1<f64>, lr: f64, n_steps: usize) -> History {
    check_x0("gradient_descent", x0);
    check_lr("gradient_descent", lr);
    iterate(|x| objective.value(x), x0, n_steps, |_, x| x - &(checked_gradient("gradient_descent", objective, x) * lr))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Quadratic, Rosenbrock};
    use ndarray::array;

    #[test]
    fn matches_the_closed_form_on_a_quadratic() {
        let q = Quadratic::with_spectrum(&[0.1, 0.5, 2.0], 4);
        let x0 = array![1.0, -1.0, 0.5];
        let h = gradient_descent(&q, &x0, 0.4, 30);
        for (k, x) in h.iterates.iter().enumerate() {
            let closed = q.gd_iterate(&x0, 0.4, k);
            assert!((x - &closed).iter().all(|e| e.abs() < 1e-12), "k = {k}");
        }
    }

    #[test]
    fn sublinear_bound_holds_on_a_convex_quadratic() {
        // Nesterov's Theorem 2.1.14 with lr = 1/L: f(x_k) ≤ L‖x0‖²/(2k) (here μ = 0).
        let q = Quadratic::with_spectrum(&[0.0, 1e-4, 1e-2, 1.0], 8);
        let x0 = array![1.0, 1.0, 1.0, 1.0];
        let h = gradient_descent(&q, &x0, 1.0, 500);
        for k in 1..h.len() {
            assert!(h.losses[k] <= x0.dot(&x0) / (2.0 * k as f64) + 1e-15);
        }
    }

    #[test]
    fn diverges_just_above_two_over_l_and_stops_when_not_finite() {
        let q = Quadratic::diagonal(&[1.0]);
        let below = gradient_descent(&q, &array![1.0], 1.99, 2000);
        assert!(below.final_loss() < 1e-6);
        let above = gradient_descent(&q, &array![1.0], 2.01, 2000);
        assert!(above.final_loss() > 1e6);
        let wild = gradient_descent(&q, &array![1.0], 1e150, 10);
        assert!(wild.diverged() && wild.len() < 11);
    }

    #[test]
    fn finds_the_rosenbrock_minimum_eventually() {
        let h = gradient_descent(&Rosenbrock::default(), &array![0.0, 0.0], 1e-3, 50_000);
        assert!((h.last() - &array![1.0, 1.0]).iter().all(|e| e.abs() < 1e-2), "{}", h.last());
    }

    #[test]
    #[should_panic(expected = "lr must be > 0, got -0.1")]
    fn rejects_a_negative_step() {
        gradient_descent(&Quadratic::diagonal(&[1.0]), &array![1.0], -0.1, 1);
    }
}
