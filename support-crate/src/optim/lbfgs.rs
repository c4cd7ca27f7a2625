//! L-BFGS: a quasi-Newton method that estimates the inverse Hessian from the last few steps.
//!
//! $$x_{k+1} = x_k - t_kH_k\nabla f(x_k),\qquad s_i = x_{i+1}-x_i,\quad y_i = \nabla f(x_{i+1})-\nabla f(x_i),$$
//! where $H_k$ is the BFGS update of $\gamma_kI$, $\gamma_k = s^\top y/y^\top y$ from the latest
//! pair, by the last `memory` pairs $(s_i, y_i)$ — applied to a vector by the two-loop recursion
//! in $O(\text{memory}\cdot d)$, never formed. The step $t_k$ starts at 1 and is halved until
//! the Armijo condition $f(x_k + t_kd_k)\le f(x_k)+10^{-4}\,t_k\nabla f(x_k)^\top d_k$ holds,
//! so $f$ decreases at every step. On a quadratic in $d$ dimensions with exact steps it would
//! end in $d$ steps; on smooth problems it converges superlinearly, where gradient methods need
//! hundreds of steps on ill-conditioned ones.
//!
//! ## Reference
//! J. Nocedal & S. J. Wright, *Numerical Optimization* (2nd ed., 2006), Algorithms 7.4 and 7.5
//! (two-loop recursion, L-BFGS) and 3.1 (backtracking line search).
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb (fitting a Gaussian
//! process's hyper-parameters).

use super::objective::{check_x0, checked_gradient};
use super::{History, Objective};
use ndarray::Array1;
use std::collections::VecDeque;

/// The Armijo constant $c_1$.
const ARMIJO: f64 = 1e-4;
/// The most halvings of the step in one line search.
const MAX_HALVINGS: usize = 40;

/// At most `n_steps` L-BFGS steps from `x0` with the last `memory` pairs, stopping early when
/// $\lVert\nabla f\rVert\le$ `grad_tol` or when the line search finds no decrease (at a
/// minimum to rounding). Every recorded step decreases $f$.
///
/// # Panics
/// If `memory == 0`, `grad_tol < 0`, `x0` is empty or not finite, $f(x_0)$ is not finite, or
/// the gradient has the wrong length.
///
/// # Examples
/// ```
/// use course::optim::{lbfgs, Rosenbrock};
/// use ndarray::array;
/// let h = lbfgs(&Rosenbrock::default(), &array![-1.2, 1.0], 5, 1e-8, 200);
/// assert!(h.final_loss() < 1e-12 && h.len() < 60); // Adam needs thousands of steps here
/// ```
pub fn lbfgs(objective: &dyn Objective, x0: &Array1<f64>, memory: usize, grad_tol: f64, n_steps: usize) -> History {
    let who = "lbfgs";
    check_x0(who, x0);
    assert!(memory > 0, "{who}: memory must be > 0, got 0");
    assert!(grad_tol >= 0.0, "{who}: grad_tol must be >= 0, got {grad_tol}");
    let mut x = x0.clone();
    let mut f = objective.value(&x);
    assert!(f.is_finite(), "{who}: f(x0) must be finite, got {f}");
    let mut g = checked_gradient(who, objective, &x);
    let mut pairs: VecDeque<(Array1<f64>, Array1<f64>, f64)> = VecDeque::new(); // (s, y, 1/sᵀy)
    let mut history = History::new();
    history.push(x.clone(), f);
    for _ in 0..n_steps {
        if g.dot(&g).sqrt() <= grad_tol {
            break;
        }
        let mut d = -two_loop(&pairs, &g);
        if g.dot(&d) >= 0.0 {
            // Not a descent direction (rounding): restart from steepest descent.
            pairs.clear();
            d = -&g;
        }
        if pairs.is_empty() {
            d *= 1.0 / d.dot(&d).sqrt().max(1.0); // first step: length at most 1
        }
        let slope = g.dot(&d);
        let mut t = 1.0;
        let mut accepted = None;
        for _ in 0..MAX_HALVINGS {
            let trial = &x + &(&d * t);
            let ft = objective.value(&trial);
            if ft.is_finite() && ft <= f + ARMIJO * t * slope {
                accepted = Some((trial, ft));
                break;
            }
            t *= 0.5;
        }
        let Some((x_new, f_new)) = accepted else { break };
        let g_new = checked_gradient(who, objective, &x_new);
        let (s, y) = (&x_new - &x, &g_new - &g);
        let sy = s.dot(&y);
        if sy > 1e-12 * s.dot(&s).sqrt() * y.dot(&y).sqrt() {
            // Keep only pairs with positive curvature, so that H stays positive definite.
            if pairs.len() == memory {
                pairs.pop_front();
            }
            pairs.push_back((s, y, 1.0 / sy));
        }
        (x, f, g) = (x_new, f_new, g_new);
        history.push(x.clone(), f);
    }
    history
}

/// $H\,q$ by the two-loop recursion (Nocedal & Wright, Algorithm 7.4), $H_0 = \gamma I$.
fn two_loop(pairs: &VecDeque<(Array1<f64>, Array1<f64>, f64)>, q: &Array1<f64>) -> Array1<f64> {
    let mut q = q.clone();
    let mut a = vec![0.0; pairs.len()];
    for (i, (s, y, rho)) in pairs.iter().enumerate().rev() {
        a[i] = rho * s.dot(&q);
        q = &q - &(y * a[i]);
    }
    if let Some((s, y, _)) = pairs.back() {
        q *= s.dot(y) / y.dot(y);
    }
    for (i, (s, y, rho)) in pairs.iter().enumerate() {
        let b = rho * y.dot(&q);
        q = &q + &(s * (a[i] - b));
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Quadratic, Rosenbrock, adam};
    use ndarray::array;

    #[test]
    fn solves_an_ill_conditioned_quadratic_in_few_steps() {
        // κ = 10⁴ in 6 dimensions: gradient descent would need ~10⁴ steps per digit.
        let q = Quadratic::with_spectrum(&[1e-2, 0.1, 0.5, 1.0, 10.0, 100.0], 3);
        let x0 = array![1.0, -1.0, 0.5, 2.0, -0.3, 0.7];
        let h = lbfgs(&q, &x0, 10, 1e-10, 100);
        assert!(h.final_loss() < 1e-16, "{}", h.final_loss());
        assert!(h.len() < 80, "{} steps", h.len()); // 50 measured; gradient descent: > 10⁴
    }

    #[test]
    fn every_step_decreases_the_objective() {
        let h = lbfgs(&Rosenbrock::default(), &array![-1.2, 1.0], 3, 0.0, 100);
        assert!(h.losses.windows(2).all(|w| w[1] < w[0]));
        // The minimum (1, 1), far faster than Adam from the same start.
        assert!((h.last() - &array![1.0, 1.0]).iter().all(|e| e.abs() < 1e-6));
        let a = adam(&Rosenbrock::default(), &array![-1.2, 1.0], 0.02, 0.9, 0.999, 100);
        assert!(h.final_loss() < 1e-6 * a.final_loss());
    }

    #[test]
    #[should_panic(expected = "lbfgs: memory must be > 0, got 0")]
    fn zero_memory_is_refused() {
        lbfgs(&Rosenbrock::default(), &array![0.0, 0.0], 0, 1e-8, 10);
    }
}
