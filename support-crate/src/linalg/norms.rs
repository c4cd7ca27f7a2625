//! Matrix norms: spectral, Frobenius, nuclear, 1 and ∞.
//!
//! $$\lVert A\rVert_2 = \max_{\lVert x\rVert_2=1}\lVert Ax\rVert_2 = \sigma_1,\qquad
//!   \lVert A\rVert_F = \Big(\sum_{ij}a_{ij}^2\Big)^{1/2} = \Big(\sum_i\sigma_i^2\Big)^{1/2},\qquad
//!   \lVert A\rVert_* = \sum_i\sigma_i,$$
//! $$\lVert A\rVert_1 = \max_j\sum_i|a_{ij}|\ \text{(largest column sum)},\qquad
//!   \lVert A\rVert_\infty = \max_i\sum_j|a_{ij}|\ \text{(largest row sum)}.$$
//! Always $\lVert A\rVert_2\le\lVert A\rVert_F\le\sqrt{\operatorname{rank}A}\,\lVert A\rVert_2$ and
//! $\lVert A\rVert_2^2\le\lVert A\rVert_1\lVert A\rVert_\infty$.
//!
//! ## Reference
//! Trefethen & Bau, *Numerical Linear Algebra*, Lecture 3; Strang, *Linear Algebra and
//! Learning from Data*, I.11.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb and notebooks/03-compression-and-low-rank.ipynb.

use ndarray::Array2;

/// $\lVert A\rVert_2 = \sigma_1(A)$, the largest singular value (0 for an empty matrix).
///
/// # Panics
/// If `a` has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // A rotation by 90° scaled by 3 stretches every vector by exactly 3.
/// assert!((course::linalg::spectral_norm(&array![[0.0, -3.0], [3.0, 0.0]]) - 3.0).abs() < 1e-12);
/// ```
pub fn spectral_norm(a: &Array2<f64>) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    super::singular_values(a)[0]
}

/// $\lVert A\rVert_F$, the root of the sum of squared entries.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert_eq!(course::linalg::frobenius_norm(&array![[3.0, 0.0], [0.0, 4.0]]), 5.0);
/// ```
pub fn frobenius_norm(a: &Array2<f64>) -> f64 {
    a.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// $\lVert A\rVert_* = \sum_i\sigma_i$, the nuclear norm (the convex surrogate of the rank used by
/// [`svt`](super::svt)); 0 for an empty matrix.
///
/// # Panics
/// If `a` has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert!((course::linalg::nuclear_norm(&array![[0.0, 2.0], [-3.0, 0.0]]) - 5.0).abs() < 1e-12);
/// ```
pub fn nuclear_norm(a: &Array2<f64>) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    super::singular_values(a).sum()
}

/// $\lVert A\rVert_1$, the largest absolute column sum.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert_eq!(course::linalg::norm_1(&array![[1.0, -2.0], [3.0, 4.0]]), 6.0);
/// ```
pub fn norm_1(a: &Array2<f64>) -> f64 {
    a.columns().into_iter().map(|c| c.iter().map(|v| v.abs()).sum::<f64>()).fold(0.0, f64::max)
}

/// $\lVert A\rVert_\infty$, the largest absolute row sum.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert_eq!(course::linalg::norm_inf(&array![[1.0, -2.0], [3.0, 4.0]]), 7.0);
/// ```
pub fn norm_inf(a: &Array2<f64>) -> f64 {
    a.rows().into_iter().map(|r| r.iter().map(|v| v.abs()).sum::<f64>()).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spectral_norm_is_the_largest_stretch() {
        // Oracle: power iteration on AᵀA, independent of the SVD.
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(31), 8 * 5);
        let a = Array2::from_shape_vec((8, 5), z).unwrap();
        let g = a.t().dot(&a);
        let mut v = ndarray::Array1::<f64>::ones(5);
        for _ in 0..2000 {
            v = g.dot(&v);
            v /= v.dot(&v).sqrt();
        }
        let stretch = a.dot(&v).dot(&a.dot(&v)).sqrt();
        assert!((spectral_norm(&a) - stretch).abs() < 1e-10);
    }

    #[test]
    fn norm_inequalities_hold() {
        for seed in 0..10 {
            let z = crate::rng::normal_vec(&mut crate::rng::seeded(seed), 6 * 9);
            let a = Array2::from_shape_vec((6, 9), z).unwrap();
            let (two, fro) = (spectral_norm(&a), frobenius_norm(&a));
            assert!(two <= fro + 1e-12 && fro <= 6f64.sqrt() * two + 1e-12);
            assert!(two * two <= norm_1(&a) * norm_inf(&a) + 1e-10);
            assert_eq!(norm_1(&a), norm_inf(&a.t().to_owned()));
            // ‖A‖_F² <= ‖A‖₂‖A‖_* (Hölder for the singular values) and ‖A‖_* <= √rank ‖A‖_F.
            let nuc = nuclear_norm(&a);
            assert!(fro * fro <= two * nuc + 1e-10 && nuc <= 6f64.sqrt() * fro + 1e-10);
        }
    }
}
