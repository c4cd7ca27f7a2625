//! The Moore–Penrose pseudo-inverse $A^+ = V\Sigma^+U^\top$.
//!
//! $$A^+ = \sum_{\sigma_i > \text{rcond}\,\sigma_1}\frac{1}{\sigma_i}\,v_i u_i^\top .$$
//! $A^+$ is the unique matrix with $AA^+A = A$, $A^+AA^+ = A^+$, $(AA^+)^\top = AA^+$ and
//! $(A^+A)^\top = A^+A$. For any $b$, $x^+ = A^+b$ is the least-squares solution of
//! $\min\lVert Ax-b\rVert$ of smallest norm: it has no component in the null space of $A$.
//! Singular values at or below $\text{rcond}\cdot\sigma_1$ are treated as zero, which is what
//! makes $A^+$ a stable operation on noisy, numerically rank-deficient matrices.
//!
//! ## Reference
//! Strang, *Linear Algebra and Learning from Data*, II.2; Golub & Van Loan, *Matrix
//! Computations* (4th ed.), §5.5.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb.

use ndarray::{Array2, Axis};

/// The pseudo-inverse (n × m) of `a` (m × n), dropping singular values
/// $\sigma_i\le\text{rcond}\cdot\sigma_1$ (NumPy's `pinv(a, rcond)`; `1e-15` is its default).
///
/// # Panics
/// If `rcond` is negative or not finite, or `a` is empty or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // A rank-one matrix: A = [1, 1]ᵀ[1, 1], A⁺ = A/4.
/// let a = array![[1.0, 1.0], [1.0, 1.0]];
/// let p = course::linalg::pinv(&a, 1e-12);
/// assert!((&p - &(&a / 4.0)).iter().all(|e| e.abs() < 1e-12));
/// ```
pub fn pinv(a: &Array2<f64>, rcond: f64) -> Array2<f64> {
    assert!(rcond >= 0.0 && rcond.is_finite(), "pinv: rcond must be finite and >= 0, got {rcond}");
    let d = super::svd(a);
    let cutoff = rcond * d.s[0];
    let inv_s = d.s.mapv(|v| if v > cutoff && v > 0.0 { 1.0 / v } else { 0.0 });
    // V Σ⁺ Uᵀ = (Vᵀ)ᵀ · diag(1/σ) · Uᵀ.
    let v_scaled = d.vt.t().to_owned() * &inv_s.insert_axis(Axis(0));
    v_scaled.dot(&d.u.t())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{Qr, with_singular_values};

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    }

    fn assert_moore_penrose(a: &Array2<f64>, p: &Array2<f64>, tol: f64) {
        assert!(max_abs(&(a.dot(p).dot(a) - a)) < tol, "A A⁺ A = A");
        assert!(max_abs(&(p.dot(a).dot(p) - p)) < tol, "A⁺ A A⁺ = A⁺");
        let ap = a.dot(p);
        let pa = p.dot(a);
        assert!(max_abs(&(&ap - &ap.t())) < tol, "A A⁺ symmetric");
        assert!(max_abs(&(&pa - &pa.t())) < tol, "A⁺ A symmetric");
    }

    #[test]
    fn four_moore_penrose_conditions_hold_full_rank_and_rank_deficient() {
        let mut rng = crate::rng::seeded(61);
        let full = with_singular_values(&mut rng, 8, 5, &[3.0, 2.0, 1.0, 0.5, 0.25]);
        assert_moore_penrose(&full, &pinv(&full, 1e-12), 1e-11);
        let deficient = with_singular_values(&mut rng, 6, 9, &[3.0, 2.0, 1.0, 0.0, 0.0, 0.0]);
        let p = pinv(&deficient, 1e-12);
        assert_moore_penrose(&deficient, &p, 1e-11);
        // Without the cutoff, the rounding-level σ's would be inverted into huge entries.
        assert!(max_abs(&p) < 10.0);
    }

    #[test]
    fn full_column_rank_pinv_equals_the_qr_least_squares_solution() {
        let mut rng = crate::rng::seeded(62);
        let a = with_singular_values(&mut rng, 12, 4, &[5.0, 3.0, 1.0, 0.1]);
        let b = ndarray::Array1::from(crate::rng::normal_vec(&mut rng, 12));
        let x_qr = Qr::new(&a).solve_least_squares(&b).unwrap();
        let x_p = pinv(&a, 1e-15).dot(&b);
        assert!((&x_qr - &x_p).iter().all(|e| e.abs() < 1e-11));
        // And (AᵀA)⁻¹Aᵀ = A⁺ for full column rank.
        let normal = super::super::Lu::new(&a.t().dot(&a)).inverse().unwrap().dot(&a.t());
        assert!(max_abs(&(normal - pinv(&a, 1e-15))) < 1e-10);
    }

    #[test]
    fn pinv_solution_is_orthogonal_to_the_null_space() {
        // Minimum norm ⇔ x⁺ ⟂ null(A): adding a null vector keeps the residual, grows the norm.
        let mut rng = crate::rng::seeded(63);
        let a = with_singular_values(&mut rng, 4, 7, &[2.0, 1.0, 0.5, 0.0]);
        let b = ndarray::Array1::from(crate::rng::normal_vec(&mut rng, 4));
        let x = pinv(&a, 1e-12).dot(&b);
        let d = super::super::svd(&a);
        for k in 3..4 {
            assert!(d.vt.row(k).dot(&x).abs() < 1e-12);
        }
        // null space of a 4 × 7 matrix of rank 3 has dimension 4; take a vector from it.
        let n = &ndarray::Array2::<f64>::eye(7) - &pinv(&a, 1e-12).dot(&a);
        let z = n.column(0).to_owned();
        assert!(max_abs(&a.dot(&z).insert_axis(Axis(1))) < 1e-12);
        let r0 = (a.dot(&x) - &b).mapv(|v| v * v).sum();
        let r1 = (a.dot(&(&x + &z)) - &b).mapv(|v| v * v).sum();
        assert!((r0 - r1).abs() < 1e-12 && (&x + &z).mapv(|v| v * v).sum() > x.mapv(|v| v * v).sum());
    }

    #[test]
    #[should_panic(expected = "rcond must be finite and >= 0")]
    fn negative_rcond_is_rejected() {
        let _ = pinv(&Array2::eye(2), -1.0);
    }
}
