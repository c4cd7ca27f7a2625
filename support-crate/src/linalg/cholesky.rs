//! Cholesky factorization $A = LL^\top$ of a symmetric positive definite matrix.
//!
//! $$\ell_{jj} = \sqrt{a_{jj} - \textstyle\sum_{k<j}\ell_{jk}^2},\qquad
//!   \ell_{ij} = \big(a_{ij} - \textstyle\sum_{k<j}\ell_{ik}\ell_{jk}\big)/\ell_{jj}\quad(i>j).$$
//!
//! ## Reference
//! Trefethen & Bau, *Numerical Linear Algebra*, Lecture 23; Strang, *Linear Algebra and
//! Learning from Data*, I.7.

use super::LinalgError;
use ndarray::Array2;

/// The lower-triangular Cholesky factor `L` with $LL^\top = A$.
///
/// # Errors
/// [`LinalgError::NotPositiveDefinite`] at the first pivot that is not positive.
///
/// # Panics
/// If `a` is not square or not symmetric (to $10^{-10}$ relative to its largest entry).
///
/// # Examples
/// ```
/// use ndarray::array;
/// let l = course::linalg::cholesky(&array![[4.0, 2.0], [2.0, 5.0]]).unwrap();
/// assert_eq!(l, array![[2.0, 0.0], [1.0, 2.0]]);
/// ```
#[allow(clippy::neg_cmp_op_on_partial_ord)] // `!(a <= b)` is also true for NaN, which must fail
pub fn cholesky(a: &Array2<f64>) -> Result<Array2<f64>, LinalgError> {
    let (n, m) = a.dim();
    assert_eq!(n, m, "cholesky: a must be square, got {n} x {m}");
    let scale = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    for i in 0..n {
        for j in 0..i {
            assert!(
                (a[[i, j]] - a[[j, i]]).abs() <= 1e-10 * scale,
                "cholesky: a must be symmetric, but a[{i},{j}] = {} and a[{j},{i}] = {}",
                a[[i, j]],
                a[[j, i]]
            );
        }
    }
    let mut l = Array2::<f64>::zeros((n, n));
    for j in 0..n {
        let d = a[[j, j]] - (0..j).map(|k| l[[j, k]].powi(2)).sum::<f64>();
        if !(d > 0.0) {
            return Err(LinalgError::NotPositiveDefinite { index: j, pivot: d });
        }
        let ljj = d.sqrt();
        l[[j, j]] = ljj;
        for i in j + 1..n {
            let s: f64 = (0..j).map(|k| l[[i, k]] * l[[j, k]]).sum();
            l[[i, j]] = (a[[i, j]] - s) / ljj;
        }
    }
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn reconstructs_a_random_gram_matrix() {
        let n = 7;
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(12), 2 * n * n);
        let b = Array2::from_shape_vec((2 * n, n), z).unwrap();
        let a = b.t().dot(&b);
        let l = cholesky(&a).unwrap();
        let err = (&l.dot(&l.t()) - &a).iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(err < 1e-12 * a.iter().fold(0.0f64, |m, v| m.max(v.abs())), "{err}");
        for i in 0..n {
            assert!(l[[i, i]] > 0.0);
            for j in i + 1..n {
                assert_eq!(l[[i, j]], 0.0);
            }
        }
    }

    #[test]
    fn indefinite_matrix_is_reported() {
        let e = cholesky(&array![[1.0, 2.0], [2.0, 1.0]]).unwrap_err();
        assert_eq!(e, LinalgError::NotPositiveDefinite { index: 1, pivot: -3.0 });
    }

    #[test]
    #[should_panic(expected = "must be symmetric")]
    fn asymmetric_matrix_is_rejected() {
        let _ = cholesky(&array![[1.0, 2.0], [0.0, 1.0]]);
    }
}
