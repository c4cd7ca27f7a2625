//! The condition number $\kappa(A)$: how much a linear system amplifies relative errors.
//!
//! For $Ax = b$ and a perturbed right-hand side $A(x+\delta x) = b+\delta b$,
//! $$\frac{\lVert\delta x\rVert}{\lVert x\rVert}\ \le\ \kappa(A)\,\frac{\lVert\delta b\rVert}{\lVert b\rVert},
//!   \qquad \kappa(A) = \lVert A\rVert\,\lVert A^{-1}\rVert,$$
//! with equality for $b$ along the top left singular vector and $\delta b$ along the bottom
//! one. In the 2-norm $\kappa_2(A) = \sigma_1/\sigma_n$; for a rectangular matrix of full
//! column rank the same ratio governs least squares.
//!
//! ## Reference
//! Trefethen & Bau, *Numerical Linear Algebra*, Lecture 12; Strang, *Linear Algebra and
//! Learning from Data*, II.3.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb.

use super::{Lu, norm_1, norm_inf};
use ndarray::Array2;

/// $\kappa_2(A) = \sigma_{\max}/\sigma_{\min}$ (over the $\min(m,n)$ singular values), as NumPy's
/// `np.linalg.cond(a)`: `f64::INFINITY` if $\sigma_{\min} = 0$ exactly. For a numerically
/// singular matrix the computed $\sigma_{\min}$ is rounding noise of size $\approx\varepsilon\sigma_{\max}$,
/// so any value beyond about $10^{16}$ only says "singular to working precision".
///
/// # Panics
/// If `a` is empty or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert!((course::linalg::cond(&array![[10.0, 0.0], [0.0, 0.1]]) - 100.0).abs() < 1e-10);
/// assert_eq!(course::linalg::cond(&array![[1.0, 0.0], [0.0, 0.0]]), f64::INFINITY);
/// assert!(course::linalg::cond(&array![[1.0, 2.0], [2.0, 4.0 + 1e-15]]) > 1e14); // nearly singular
/// ```
pub fn cond(a: &Array2<f64>) -> f64 {
    let s = super::singular_values(a);
    let (max, min) = (s[0], s[s.len() - 1]);
    if min == 0.0 { f64::INFINITY } else { max / min }
}

/// $\kappa_1(A) = \lVert A\rVert_1\lVert A^{-1}\rVert_1$ of a square matrix (through an explicit
/// inverse by LU), `f64::INFINITY` if a pivot is exactly zero.
///
/// # Panics
/// If `a` is not square or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // A = [[1, 1], [0, 1]], A⁻¹ = [[1, −1], [0, 1]]: both have ‖·‖₁ = 2.
/// assert_eq!(course::linalg::cond_1(&array![[1.0, 1.0], [0.0, 1.0]]), 4.0);
/// ```
pub fn cond_1(a: &Array2<f64>) -> f64 {
    match Lu::new(a).inverse() {
        Ok(inv) => norm_1(a) * norm_1(&inv),
        Err(_) => f64::INFINITY,
    }
}

/// $\kappa_\infty(A) = \lVert A\rVert_\infty\lVert A^{-1}\rVert_\infty$ of a square matrix,
/// `f64::INFINITY` if a pivot is exactly zero.
///
/// # Panics
/// If `a` is not square or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert_eq!(course::linalg::cond_inf(&array![[1.0, 1.0], [0.0, 1.0]]), 4.0);
/// ```
pub fn cond_inf(a: &Array2<f64>) -> f64 {
    match Lu::new(a).inverse() {
        Ok(inv) => norm_inf(a) * norm_inf(&inv),
        Err(_) => f64::INFINITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{hilbert, with_singular_values};

    #[test]
    fn prescribed_singular_values_give_the_prescribed_condition_number() {
        let mut rng = crate::rng::seeded(41);
        for kappa in [1.0f64, 10.0, 1e4, 1e8] {
            let s: Vec<f64> = crate::linspace(0.0, 1.0, 6).iter().map(|t| kappa.powf(-t)).collect();
            let a = with_singular_values(&mut rng, 6, 6, &s);
            assert!((cond(&a) / kappa - 1.0).abs() < 1e-6 * kappa.max(10.0), "{} vs {kappa}", cond(&a));
        }
    }

    #[test]
    fn hilbert_condition_numbers_match_published_values() {
        // κ₂(H₄) = 1.5514e4, κ₂(H₈) = 1.5258e10 (e.g. Higham, Accuracy and Stability, §28.1).
        assert!((cond(&hilbert(4)) / 1.5514e4 - 1.0).abs() < 1e-4);
        assert!((cond(&hilbert(8)) / 1.5258e10 - 1.0).abs() < 1e-3);
        // κ₁(H₃) = κ∞(H₃) = 748 exactly: ‖H₃‖₁ = 11/6, ‖H₃⁻¹‖₁ = 408.
        assert!((cond_1(&hilbert(3)) - 748.0).abs() < 1e-9);
        assert!((cond_inf(&hilbert(3)) - 748.0).abs() < 1e-9);
    }

    #[test]
    fn norms_are_equivalent_within_a_factor_n() {
        // κ₁/n <= κ₂ <= n κ₁ for n × n matrices.
        let n = 7;
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(42), n * n);
        let a = Array2::from_shape_vec((n, n), z).unwrap();
        let (k1, k2) = (cond_1(&a), cond(&a));
        assert!(k1 / n as f64 <= k2 && k2 <= n as f64 * k1);
    }

    #[test]
    fn singular_matrices_have_infinite_condition() {
        assert_eq!(cond(&Array2::zeros((3, 2))), f64::INFINITY);
        assert!(cond(&ndarray::array![[1.0, 2.0], [2.0, 4.0]]) > 1e15);
        assert_eq!(cond_1(&Array2::zeros((2, 2))), f64::INFINITY);
    }
}
