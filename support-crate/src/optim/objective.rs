//! Objectives: what an optimizer minimizes, $f:\mathbb R^d\to\mathbb R$ with its gradient.
//!
//! $$x_{k+1} = x_k - \alpha\,\nabla f(x_k)$$
//! needs nothing but $f$ and $\nabla f$ at a point: that is the whole [`Objective`] trait. A
//! [`StochasticObjective`] can also return a random, unbiased estimate $g$ of the gradient,
//! $\mathbb E[g] = \nabla f(x)$, as stochastic gradient descent uses.
//!
//! Notebook code defines objectives as `fn` items (closures cannot outlive a cell) and wraps
//! them in an [`FnObjective`].
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), §1.2; Bottou, Curtis & Nocedal (2018),
//! *Optimization methods for large-scale machine learning*, §4.
//!
//! Used in notebooks/04-gradient-descent.ipynb and notebooks/05-momentum-and-adaptive-methods.ipynb.

use ndarray::Array1;
use rand::Rng;

/// A differentiable function $f:\mathbb R^d\to\mathbb R$.
///
/// # Examples
/// ```
/// use course::optim::Objective;
/// use ndarray::{array, Array1};
/// struct Bowl;
/// impl Objective for Bowl {
///     fn value(&self, x: &Array1<f64>) -> f64 { 0.5 * x.dot(x) }
///     fn gradient(&self, x: &Array1<f64>) -> Array1<f64> { x.clone() }
/// }
/// assert_eq!(Bowl.value(&array![3.0, 4.0]), 12.5);
/// ```
pub trait Objective {
    /// $f(x)$.
    fn value(&self, x: &Array1<f64>) -> f64;
    /// $\nabla f(x)$, with the length of `x`.
    fn gradient(&self, x: &Array1<f64>) -> Array1<f64>;
}

/// An objective whose gradient can also be estimated at random: $\mathbb E[g(x)] = \nabla f(x)$.
///
/// The generator is passed as `&mut dyn Rng` so that the optimizers stay non-generic (they
/// compile once, in the crate, not in every notebook cell).
///
/// # Examples
/// ```
/// use course::optim::{NoisyGradient, Quadratic, StochasticObjective};
/// use ndarray::array;
/// let noisy = NoisyGradient::new(Quadratic::diagonal(&[1.0, 2.0]), 0.0);
/// let g = noisy.stochastic_gradient(&array![1.0, 1.0], &mut course::rng::seeded(0));
/// assert_eq!(g, array![1.0, 2.0]); // no noise: the exact gradient
/// ```
pub trait StochasticObjective: Objective {
    /// One random, unbiased estimate of $\nabla f(x)$.
    fn stochastic_gradient(&self, x: &Array1<f64>, rng: &mut dyn Rng) -> Array1<f64>;
}

/// An objective made of two plain functions: the value and the gradient.
///
/// # Examples
/// ```
/// use course::optim::{FnObjective, Objective};
/// use ndarray::{array, Array1};
/// fn f(x: &Array1<f64>) -> f64 { (x[0] - 1.0).powi(2) }
/// fn grad(x: &Array1<f64>) -> Array1<f64> { array![2.0 * (x[0] - 1.0)] }
/// let obj = FnObjective::new(f, grad);
/// assert_eq!(obj.value(&array![3.0]), 4.0);
/// assert_eq!(obj.gradient(&array![3.0]), array![4.0]);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FnObjective {
    /// $x\mapsto f(x)$.
    pub value: fn(&Array1<f64>) -> f64,
    /// $x\mapsto\nabla f(x)$.
    pub gradient: fn(&Array1<f64>) -> Array1<f64>,
}

impl FnObjective {
    /// Wraps `value` and `gradient` (plain `fn` items or closures that capture nothing).
    pub fn new(value: fn(&Array1<f64>) -> f64, gradient: fn(&Array1<f64>) -> Array1<f64>) -> Self {
        FnObjective { value, gradient }
    }
}

impl Objective for FnObjective {
    fn value(&self, x: &Array1<f64>) -> f64 {
        (self.value)(x)
    }
    fn gradient(&self, x: &Array1<f64>) -> Array1<f64> {
        (self.gradient)(x)
    }
}

/// Checks the arguments every optimizer shares; `what` names the caller.
pub(crate) fn check_x0(what: &str, x0: &Array1<f64>) {
    assert!(!x0.is_empty(), "{what}: x0 must not be empty");
    assert!(x0.iter().all(|v| v.is_finite()), "{what}: x0 must have finite entries");
}

/// The loop every first-order method shares: $x_{k+1} = \mathrm{step}(k, x_k)$ for
/// $k = 0, \dots, n_{\text{steps}} - 1$, each iterate recorded in a [`History`](super::History) with
/// its objective value; stops early once the value is not finite (the method diverged).
pub(crate) fn iterate(value: impl Fn(&Array1<f64>) -> f64, x0: &Array1<f64>, n_steps: usize, mut step: impl FnMut(usize, &Array1<f64>) -> Array1<f64>) -> super::History {
    let mut x = x0.clone();
    let mut history = super::History::new();
    history.push(x.clone(), value(&x));
    for k in 0..n_steps {
        x = step(k, &x);
        let loss = value(&x);
        history.push(x.clone(), loss);
        if !loss.is_finite() {
            break;
        }
    }
    history
}

/// Checks a learning rate: finite and > 0.
pub(crate) fn check_lr(what: &str, lr: f64) {
    assert!(lr > 0.0 && lr.is_finite(), "{what}: lr must be > 0, got {lr}");
}

/// Checks that the gradient has the length of `x`.
pub(crate) fn checked_gradient(what: &str, objective: &dyn Objective, x: &Array1<f64>) -> Array1<f64> {
    let g = objective.gradient(x);
    assert_eq!(g.len(), x.len(), "{what}: the gradient has {} entries but x has {}", g.len(), x.len());
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn f(x: &Array1<f64>) -> f64 {
        x[0].sin() + x[1] * x[1]
    }
    fn grad(x: &Array1<f64>) -> Array1<f64> {
        array![x[0].cos(), 2.0 * x[1]]
    }

    #[test]
    fn fn_objective_gradient_matches_central_differences() {
        let obj = FnObjective::new(f, grad);
        let x = array![0.3, -0.7];
        let h = 1e-5;
        for i in 0..2 {
            let mut xp = x.clone();
            let mut xm = x.clone();
            xp[i] += h;
            xm[i] -= h;
            let fd = (obj.value(&xp) - obj.value(&xm)) / (2.0 * h);
            assert!((fd - obj.gradient(&x)[i]).abs() < 1e-9);
        }
    }
}
