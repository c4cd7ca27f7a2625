//! Fixed points by Newton's method, with their linearization.
//!
//! A fixed point solves $f(x^\*) = 0$. Newton's method linearizes $f$ at the current guess and
//! solves for the zero of the linear model:
//! $$J(x_k)\,\delta_k = -f(x_k),\qquad x_{k+1} = x_k + \alpha_k\delta_k,$$
//! with $\alpha_k = 1, \tfrac12, \tfrac14, \dots$ the first step that decreases $\lVert f\rVert$
//! (a backtracking safeguard). Near a simple root the convergence is quadratic. The Jacobian is
//! taken by central differences ([`jacobian`](super::jacobian)) and, at the end, classified
//! ([`classify`](super::classify)). Autonomous fields are assumed: $f$ is evaluated at $t = 0$.
//!
//! ## Reference
//! S. Strogatz, *Nonlinear Dynamics and Chaos* (2nd ed., 2015), §6.3–6.4; J. Nocedal &
//! S. Wright, *Numerical Optimization* (2006), §11.1.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

use super::vector_field::check_state;
use super::{Stability, VectorField, classify_eigenvalues, eigenvalues, jacobian};
use ndarray::Array2;
use std::fmt;

/// A fixed point with its linearization.
#[derive(Clone, Debug, PartialEq)]
pub struct FixedPoint {
    /// The point $x^\*$.
    pub x: Vec<f64>,
    /// $\lVert f(x^\*)\rVert_2$ (zero up to rounding for a converged Newton solve).
    pub residual: f64,
    /// The Jacobian $Df(x^\*)$ (central differences).
    pub jacobian: Array2<f64>,
    /// Its eigenvalues `(re, im)`, by decreasing real part.
    pub eigenvalues: Vec<(f64, f64)>,
    /// The classification.
    pub kind: Stability,
    /// Newton iterations used (0 for [`FixedPoint::at`]).
    pub iterations: usize,
}

impl FixedPoint {
    /// Linearizes and classifies `field` at a known point `x` (no Newton solve).
    ///
    /// # Panics
    /// If `x` does not have `field.dim()` finite entries.
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::{DampedPendulum, FixedPoint, Stability};
    /// let down = FixedPoint::at(&DampedPendulum { damping: 0.5 }, &[0.0, 0.0]);
    /// assert_eq!(down.kind, Stability::StableFocus); // τ = −0.5, Δ = 1, τ² < 4Δ
    /// ```
    pub fn at(field: &dyn VectorField, x: &[f64]) -> FixedPoint {
        check_state("FixedPoint::at", "x", field.dim(), x);
        let residual = norm(&field.at(0.0, x));
        let jac = jacobian(field, 0.0, x);
        let ev = eigenvalues(&jac);
        FixedPoint { x: x.to_vec(), residual, kind: classify_eigenvalues(&ev), jacobian: jac, eigenvalues: ev, iterations: 0 }
    }
}

/// Why Newton's method did not return a fixed point.
#[derive(Clone, Debug, PartialEq)]
pub enum FixedPointError {
    /// The Jacobian was singular at iterate `iteration` (a non-hyperbolic point, or a bad guess).
    SingularJacobian {
        /// The iteration.
        iteration: usize,
    },
    /// No convergence within the iteration budget.
    NotConverged {
        /// Iterations done.
        iterations: usize,
        /// $\lVert f\rVert$ at the last iterate.
        residual: f64,
    },
}

impl fmt::Display for FixedPointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixedPointError::SingularJacobian { iteration } => {
                write!(f, "Newton: singular Jacobian at iteration {iteration}; try another guess")
            }
            FixedPointError::NotConverged { iterations, residual } => {
                write!(f, "Newton: no convergence in {iterations} iterations (‖f‖ = {residual:e}); try a guess closer to the fixed point")
            }
        }
    }
}

impl std::error::Error for FixedPointError {}

/// Finds a fixed point $f(x^\*) = 0$ by safeguarded Newton from `guess`, and classifies it.
///
/// # Errors
/// [`FixedPointError`] if the Jacobian is singular on the way or 100 iterations do not
/// converge.
///
/// # Panics
/// If `guess` does not have `field.dim()` finite entries.
///
/// # Examples
/// ```
/// use course::dynamics::{fixed_point, Lorenz, Stability};
/// let l = Lorenz::classic();
/// let c = fixed_point(&l, &[8.0, 8.0, 25.0]).unwrap();
/// assert!((c.x[2] - 27.0).abs() < 1e-10);          // z* = ρ − 1
/// assert_eq!(c.kind, Stability::SaddleFocus);      // unstable for ρ > 24.74
/// ```
pub fn fixed_point(field: &dyn VectorField, guess: &[f64]) -> Result<FixedPoint, FixedPointError> {
    check_state("fixed_point", "guess", field.dim(), guess);
    let n = guess.len();
    let mut x = guess.to_vec();
    let mut fx = field.at(0.0, &x);
    for iteration in 0..100 {
        let r = norm(&fx);
        let scale = 1.0 + norm(&x);
        if r <= 1e-13 * scale {
            let mut p = FixedPoint::at(field, &x);
            p.iterations = iteration;
            return Ok(p);
        }
        let jac = jacobian(field, 0.0, &x);
        let lu = nalgebra::DMatrix::from_fn(n, n, |i, j| jac[[i, j]]).lu();
        let rhs = nalgebra::DVector::from_iterator(n, fx.iter().map(|v| -v));
        let delta = lu.solve(&rhs).ok_or(FixedPointError::SingularJacobian { iteration })?;
        if !delta.iter().all(|v| v.is_finite()) {
            return Err(FixedPointError::SingularJacobian { iteration });
        }
        // Backtracking: halve the step until ‖f‖ decreases (at most 30 halvings).
        let mut alpha = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            let trial: Vec<f64> = x.iter().zip(delta.iter()).map(|(a, d)| a + alpha * d).collect();
            let ft = field.at(0.0, &trial);
            if norm(&ft) < r {
                x = trial;
                fx = ft;
                accepted = true;
                break;
            }
            alpha *= 0.5;
        }
        let step = alpha * delta.norm();
        if !accepted || step <= 1e-15 * scale {
            // No decrease possible at working precision: converged if the residual is small.
            if r <= 1e-9 * scale {
                let mut p = FixedPoint::at(field, &x);
                p.iterations = iteration + 1;
                return Ok(p);
            }
            return Err(FixedPointError::NotConverged { iterations: iteration + 1, residual: r });
        }
    }
    Err(FixedPointError::NotConverged { iterations: 100, residual: norm(&fx) })
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::super::{DampedPendulum, Field, Lorenz, VanDerPol};
    use super::*;

    #[test]
    fn pendulum_fixed_points_are_found_and_classified() {
        // Oracle: J = [[0, 1], [−cos θ*, −γ]]: at θ* = 0, τ = −γ, Δ = 1 (focus for γ < 2);
        // at θ* = π, Δ = −1 (saddle).
        let p = DampedPendulum { damping: 0.3 };
        let down = fixed_point(&p, &[0.4, -0.2]).unwrap();
        assert!(down.x[0].abs() < 1e-12 && down.x[1].abs() < 1e-12);
        assert_eq!(down.kind, Stability::StableFocus);
        let up = fixed_point(&p, &[2.8, 0.1]).unwrap();
        assert!((up.x[0] - std::f64::consts::PI).abs() < 1e-12);
        assert_eq!(up.kind, Stability::Saddle);
        assert!((up.eigenvalues[0].0 * up.eigenvalues[1].0 + 1.0).abs() < 1e-8); // λ₁λ₂ = Δ = −1
        let overdamped = fixed_point(&DampedPendulum { damping: 3.0 }, &[0.1, 0.0]).unwrap();
        assert_eq!(overdamped.kind, Stability::StableNode);
    }

    #[test]
    fn lorenz_origin_is_a_saddle_with_known_eigenvalues() {
        // Oracle: at the origin, λ = −β and the roots of λ² + (σ+1)λ + σ(1−ρ) = 0.
        let l = Lorenz::classic();
        let o = FixedPoint::at(&l, &[0.0, 0.0, 0.0]);
        assert_eq!(o.kind, Stability::Saddle);
        let disc = ((l.sigma + 1.0).powi(2) - 4.0 * l.sigma * (1.0 - l.rho)).sqrt();
        let lam1 = (-(l.sigma + 1.0) + disc) / 2.0;
        assert!((o.eigenvalues[0].0 - lam1).abs() < 1e-7, "{:?}", o.eigenvalues);
    }

    #[test]
    fn van_der_pol_origin_is_an_unstable_focus() {
        let o = fixed_point(&VanDerPol { mu: 1.0 }, &[0.2, 0.1]).unwrap();
        assert_eq!(o.kind, Stability::UnstableFocus); // τ = μ = 1, Δ = 1
    }

    #[test]
    fn newton_converges_quadratically() {
        // x² − 2 = 0 from x = 1: errors square each step, so 6 iterations suffice.
        fn sqrt2(_t: f64, x: &[f64], dx: &mut [f64]) {
            dx[0] = x[0] * x[0] - 2.0;
        }
        let p = fixed_point(&Field::new(1, sqrt2), &[1.0]).unwrap();
        assert!((p.x[0] - 2f64.sqrt()).abs() < 1e-15);
        assert!(p.iterations <= 6, "{} iterations", p.iterations);
    }

    #[test]
    fn a_field_without_zeros_is_reported() {
        fn no_zero(_t: f64, x: &[f64], dx: &mut [f64]) {
            dx[0] = x[0] * x[0] + 1.0;
        }
        let err = fixed_point(&Field::new(1, no_zero), &[0.5]).unwrap_err();
        assert!(matches!(err, FixedPointError::NotConverged { .. } | FixedPointError::SingularJacobian { .. }), "{err}");
    }
}
