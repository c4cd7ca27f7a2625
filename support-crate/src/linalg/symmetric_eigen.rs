//! The eigendecomposition of a symmetric matrix, $A = Q\Lambda Q^\top$.
//!
//! By the spectral theorem a real symmetric $A$ has real eigenvalues and an orthonormal basis
//! of eigenvectors:
//! $$A = Q\Lambda Q^\top = \sum_i \lambda_i\, q_i q_i^\top,\qquad Q^\top Q = I .$$
//! For $A = X^\top X$ (a Gram or covariance matrix) the $\lambda_i = \sigma_i(X)^2 \ge 0$ and
//! the $q_i$ are the right singular vectors of $X$: the principal directions of PCA.
//!
//! The work is done by nalgebra (tridiagonalization + implicit symmetric QR with Wilkinson
//! shifts); here the eigenvalues are sorted in descending order.
//!
//! ## Reference
//! Strang, *Linear Algebra and Learning from Data*, I.6; Trefethen & Bau, *Numerical Linear
//! Algebra*, Lectures 24–30.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb.

use super::convert::transpose_to_nalgebra;
use ndarray::{Array1, Array2};

/// Eigenvalues (descending) and orthonormal eigenvectors (the columns of `vectors`).
///
/// # Examples
/// ```
/// use ndarray::array;
/// let e = course::linalg::symmetric_eigen(&array![[2.0, 1.0], [1.0, 2.0]]);
/// assert!((e.values[0] - 3.0).abs() < 1e-12 && (e.values[1] - 1.0).abs() < 1e-12);
/// // The eigenvector of 3 is ±(1, 1)/√2.
/// assert!((e.vectors[[0, 0]].abs() - 0.5f64.sqrt()).abs() < 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct SymmetricEigen {
    /// λ₁ ≥ λ₂ ≥ … ≥ λₙ.
    pub values: Array1<f64>,
    /// n × n orthogonal: column i is the unit eigenvector of λᵢ.
    pub vectors: Array2<f64>,
}

/// The eigendecomposition of the symmetric matrix `a`, eigenvalues in descending order.
///
/// # Panics
/// If `a` is not square, is empty, has a non-finite entry, or is not symmetric (to $10^{-10}$
/// relative to its largest entry).
///
/// # Examples
/// ```
/// use ndarray::array;
/// let a = array![[4.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 9.0]];
/// let e = course::linalg::symmetric_eigen(&a);
/// assert_eq!(e.values.to_vec(), vec![9.0, 4.0, -1.0]);
/// ```
pub fn symmetric_eigen(a: &Array2<f64>) -> SymmetricEigen {
    let (n, m) = a.dim();
    assert!(n == m && n >= 1, "symmetric_eigen: a must be square and non-empty, got {n} x {m}");
    if let Some(((i, j), v)) = a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        panic!("symmetric_eigen: a must have finite entries, but a[{i},{j}] = {v}");
    }
    let scale = a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    for i in 0..n {
        for j in 0..i {
            assert!(
                (a[[i, j]] - a[[j, i]]).abs() <= 1e-10 * scale,
                "symmetric_eigen: a must be symmetric, but a[{i},{j}] = {} and a[{j},{i}] = {}",
                a[[i, j]],
                a[[j, i]]
            );
        }
    }
    // For a symmetric matrix the transposed buffer is the matrix itself.
    let e = nalgebra::SymmetricEigen::new(transpose_to_nalgebra(a));
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&p, &q| e.eigenvalues[q].total_cmp(&e.eigenvalues[p]));
    let values: Array1<f64> = order.iter().map(|&k| e.eigenvalues[k]).collect();
    let vectors = Array2::from_shape_fn((n, n), |(i, c)| e.eigenvectors[(i, order[c])]);
    SymmetricEigen { values, vectors }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    }

    #[test]
    fn reconstructs_with_orthonormal_eigenvectors() {
        let n = 10;
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(21), n * n);
        let b = Array2::from_shape_vec((n, n), z).unwrap();
        let a = &b + &b.t();
        let e = symmetric_eigen(&a);
        let q = &e.vectors;
        assert!(max_abs(&(q.t().dot(q) - Array2::<f64>::eye(n))) < 1e-12);
        let lam = Array2::from_diag(&e.values);
        assert!(max_abs(&(q.dot(&lam).dot(&q.t()) - &a)) < 1e-11);
        assert!(e.values.windows(2).into_iter().all(|w| w[0] >= w[1]));
        // Trace = sum of eigenvalues (an identity independent of the algorithm).
        assert!((e.values.sum() - a.diag().sum()).abs() < 1e-11);
    }

    #[test]
    fn second_difference_matrix_has_known_eigenvalues() {
        // T = tridiag(−1, 2, −1) of size n: λ_k = 2 − 2cos(kπ/(n+1)).
        let n = 12;
        let t = Array2::from_shape_fn((n, n), |(i, j)| if i == j { 2.0 } else if i.abs_diff(j) == 1 { -1.0 } else { 0.0 });
        let e = symmetric_eigen(&t);
        for (i, lam) in e.values.iter().enumerate() {
            let k = (n - i) as f64;
            let exact = 2.0 - 2.0 * (k * std::f64::consts::PI / (n as f64 + 1.0)).cos();
            assert!((lam - exact).abs() < 1e-12, "λ_{k} = {lam}, exact {exact}");
        }
    }

    #[test]
    fn gram_matrix_eigenvalues_are_squared_singular_values() {
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(22), 20 * 5);
        let x = Array2::from_shape_vec((20, 5), z).unwrap();
        let e = symmetric_eigen(&x.t().dot(&x));
        let s = super::super::singular_values(&x);
        for i in 0..5 {
            assert!((e.values[i] - s[i] * s[i]).abs() < 1e-10 * e.values[0]);
        }
    }

    #[test]
    #[should_panic(expected = "must be symmetric")]
    fn asymmetric_matrix_is_rejected() {
        let _ = symmetric_eigen(&ndarray::array![[1.0, 2.0], [0.0, 1.0]]);
    }
}
