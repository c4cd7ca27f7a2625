//! The Jacobian of a vector field by central finite differences.
//!
//! $$J_{ij}(x) = \frac{\partial f_i}{\partial x_j}(x) \approx \frac{f_i(x + h_j e_j) - f_i(x - h_j e_j)}{2h_j},
//!   \qquad h_j = \varepsilon^{1/3}\max(1, |x_j|),$$
//! with error $O(h^2)$ from truncation and $O(\varepsilon/h)$ from rounding: about $10^{-10}$
//! relative to the size of $f$ and its derivatives.
//!
//! ## Reference
//! J. Nocedal & S. Wright, *Numerical Optimization* (2006), §8.1; S. Strogatz, *Nonlinear
//! Dynamics and Chaos* (2015), §6.3 (linearization).
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

use super::VectorField;
use super::vector_field::check_state;
use ndarray::Array2;

/// The Jacobian $\partial f/\partial x$ at $(t, x)$, by central differences.
///
/// # Panics
/// If `x` does not have `field.dim()` finite entries.
///
/// # Examples
/// ```
/// use course::dynamics::{jacobian, VanDerPol};
/// // ∂(μ(1 − x²)v − x)/∂x = −2μxv − 1 = −5 at (x, v) = (1, 2), μ = 1.
/// let j = jacobian(&VanDerPol { mu: 1.0 }, 0.0, &[1.0, 2.0]);
/// assert!((j[[1, 0]] + 5.0).abs() < 1e-8);
/// assert!((j[[0, 1]] - 1.0).abs() < 1e-8);
/// ```
pub fn jacobian(field: &dyn VectorField, t: f64, x: &[f64]) -> Array2<f64> {
    let n = field.dim();
    check_state("jacobian", "x", n, x);
    let mut jac = Array2::zeros((n, n));
    let (mut plus, mut minus) = (vec![0.0; n], vec![0.0; n]);
    let mut y = x.to_vec();
    for j in 0..n {
        let h = f64::EPSILON.cbrt() * x[j].abs().max(1.0);
        y[j] = x[j] + h;
        field.eval(t, &y, &mut plus);
        y[j] = x[j] - h;
        field.eval(t, &y, &mut minus);
        let width = (x[j] + h) - (x[j] - h); // the step actually represented in floating point
        y[j] = x[j];
        for i in 0..n {
            jac[[i, j]] = (plus[i] - minus[i]) / width;
        }
    }
    jac
}

#[cfg(test)]
mod tests {
    use super::super::{LinearSystem, Lorenz};
    use super::*;

    #[test]
    fn jacobian_of_a_linear_system_is_its_matrix() {
        let a = ndarray::array![[1.0, -2.0, 0.5], [3.0, 0.0, -1.0], [0.25, 4.0, 2.0]];
        let j = jacobian(&LinearSystem::new(a.clone()), 0.0, &[10.0, -3.0, 0.1]);
        assert!((&j - &a).iter().all(|v| v.abs() < 1e-9), "{j}");
    }

    #[test]
    fn jacobian_of_lorenz_matches_the_analytic_one() {
        let l = Lorenz::classic();
        let x = [1.5, -2.0, 20.0];
        let exact = ndarray::array![
            [-l.sigma, l.sigma, 0.0],
            [l.rho - x[2], -1.0, -x[0]],
            [x[1], x[0], -l.beta]
        ];
        let j = jacobian(&l, 0.0, &x);
        assert!((&j - &exact).iter().all(|v| v.abs() < 1e-8), "{j}");
    }
}
