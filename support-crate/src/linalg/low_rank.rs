//! Best low-rank approximation and the Eckart–Young theorem.
//!
//! Truncating the SVD after $k$ terms, $A_k = \sum_{i\le k}\sigma_i u_i v_i^\top$, gives the best
//! rank-$k$ approximation in both the spectral and the Frobenius norm:
//! $$\min_{\operatorname{rank}B\le k}\lVert A-B\rVert_2 = \lVert A-A_k\rVert_2 = \sigma_{k+1},\qquad
//!   \min_{\operatorname{rank}B\le k}\lVert A-B\rVert_F = \lVert A-A_k\rVert_F = \Big(\sum_{j>k}\sigma_j^2\Big)^{1/2}.$$
//! Storing $A_k$ takes $k(m+n+1)$ numbers instead of $mn$.
//!
//! ## Reference
//! C. Eckart & G. Young (1936), *The approximation of one matrix by another of lower rank*;
//! Strang, *Linear Algebra and Learning from Data*, I.9.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb and notebooks/03-compression-and-low-rank.ipynb.

use ndarray::{Array1, Array2};

/// The best rank-`k` approximation $A_k$ of `a` (truncated SVD).
///
/// # Panics
/// If `k > min(m, n)`, or `a` is empty or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let a = array![[3.0, 0.0], [0.0, 1.0]];
/// assert_eq!(course::linalg::low_rank_approx(&a, 1), array![[3.0, 0.0], [0.0, 0.0]]);
/// ```
pub fn low_rank_approx(a: &Array2<f64>, k: usize) -> Array2<f64> {
    let r = a.nrows().min(a.ncols());
    assert!(k <= r, "low_rank_approx: k must be <= min(m, n) = {r}, got {k}");
    super::svd(a).truncate(k).reconstruct()
}

/// The Eckart–Young spectral error $\lVert A - A_k\rVert_2 = \sigma_{k+1}$ from the singular values
/// `s` (descending); 0 when `k >= s.len()`.
///
/// # Examples
/// ```
/// let s = ndarray::array![4.0, 2.0, 1.0];
/// assert_eq!(course::linalg::eckart_young_spectral(&s, 1), 2.0);
/// assert_eq!(course::linalg::eckart_young_spectral(&s, 3), 0.0);
/// ```
pub fn eckart_young_spectral(s: &Array1<f64>, k: usize) -> f64 {
    s.get(k).copied().unwrap_or(0.0)
}

/// The Eckart–Young Frobenius error $\lVert A - A_k\rVert_F = (\sum_{j>k}\sigma_j^2)^{1/2}$ from the
/// singular values `s`; 0 when `k >= s.len()`.
///
/// # Examples
/// ```
/// let s = ndarray::array![4.0, 2.0, 1.0];
/// assert_eq!(course::linalg::eckart_young_frobenius(&s, 1), 5f64.sqrt());
/// ```
pub fn eckart_young_frobenius(s: &Array1<f64>, k: usize) -> f64 {
    s.iter().skip(k).map(|v| v * v).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{frobenius_norm, spectral_norm, with_singular_values};

    #[test]
    fn truncation_errors_equal_the_tail_singular_values() {
        let s: Vec<f64> = (0..8).map(|i| 0.6f64.powi(i)).collect();
        let a = with_singular_values(&mut crate::rng::seeded(71), 12, 8, &s);
        let sv = Array1::from(s);
        for k in 0..=8 {
            let e = &a - &low_rank_approx(&a, k);
            assert!((spectral_norm(&e) - eckart_young_spectral(&sv, k)).abs() < 1e-12);
            assert!((frobenius_norm(&e) - eckart_young_frobenius(&sv, k)).abs() < 1e-12);
        }
    }

    #[test]
    fn no_random_rank_k_matrix_does_better() {
        // Brute-force competitors: projections of A onto random k-dimensional column spaces
        // (the best approximation with that column space) never beat A_k.
        let mut rng = crate::rng::seeded(72);
        let a = Array2::from_shape_vec((10, 7), crate::rng::normal_vec(&mut rng, 70)).unwrap();
        let s = crate::linalg::singular_values(&a);
        let k = 3;
        for _ in 0..200 {
            let g = Array2::from_shape_vec((10, k), crate::rng::normal_vec(&mut rng, 10 * k)).unwrap();
            let q = crate::linalg::Qr::new(&g).q();
            let b = q.dot(&q.t().dot(&a));
            assert!(spectral_norm(&(&a - &b)) >= eckart_young_spectral(&s, k) - 1e-12);
            assert!(frobenius_norm(&(&a - &b)) >= eckart_young_frobenius(&s, k) - 1e-12);
        }
    }

    #[test]
    #[should_panic(expected = "k must be <= min(m, n) = 2, got 3")]
    fn too_large_rank_is_rejected() {
        let _ = low_rank_approx(&Array2::eye(2), 3);
    }
}
