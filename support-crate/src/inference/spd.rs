//! Solving with a symmetric positive definite matrix through its Cholesky factor.
//!
//! $$A = LL^\top:\quad A^{-1}b = L^{-\top}(L^{-1}b),\qquad \ln\det A = 2\sum_i \ln \ell_{ii}.$$
//!
//! Every Gaussian computation in this module (conditioning, the Kalman filter, kernel ridge and
//! GP regression) goes through this factor: two triangular solves instead of an inverse, and
//! the log-determinant for free.
//!
//! ## Reference
//! C. E. Rasmussen & C. K. I. Williams, *Gaussian Processes for Machine Learning* (2006),
//! Appendix A.4; Trefethen & Bau, *Numerical Linear Algebra*, Lecture 23.
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use crate::linalg::{LinalgError, cholesky, solve_lower, solve_upper};
use ndarray::{Array1, Array2, Axis};

/// The Cholesky factor of an SPD matrix, kept for repeated solves.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let f = course::inference::SpdFactor::new(&array![[4.0, 2.0], [2.0, 5.0]]).unwrap();
/// assert_eq!(f.solve(&array![6.0, 7.0]), array![1.0, 1.0]);
/// assert!((f.log_det() - 16f64.ln()).abs() < 1e-14); // det = 20 − 4
/// ```
#[derive(Clone, Debug)]
pub struct SpdFactor {
    /// Lower-triangular $L$ with $LL^\top = A$.
    pub l: Array2<f64>,
    lt: Array2<f64>,
}

impl SpdFactor {
    /// Factors `a` with [`crate::linalg::cholesky`].
    ///
    /// # Errors
    /// [`LinalgError::NotPositiveDefinite`] if `a` is not positive definite.
    ///
    /// # Panics
    /// If `a` is not square and symmetric.
    ///
    /// # Examples
    /// ```
    /// let f = course::inference::SpdFactor::new(&course::ndarray::array![[9.0]]).unwrap();
    /// assert_eq!(f.l[[0, 0]], 3.0);
    /// assert!(course::inference::SpdFactor::new(&course::ndarray::array![[-1.0]]).is_err());
    /// ```
    pub fn new(a: &Array2<f64>) -> Result<Self, LinalgError> {
        let l = cholesky(a)?;
        let lt = l.t().to_owned();
        Ok(SpdFactor { l, lt })
    }

    /// The dimension $n$.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::inference::SpdFactor::new(&course::ndarray::Array2::eye(3)).unwrap().dim(), 3);
    /// ```
    pub fn dim(&self) -> usize {
        self.l.nrows()
    }

    /// $A^{-1}b$.
    ///
    /// # Panics
    /// If `b` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let f = course::inference::SpdFactor::new(&array![[2.0, 0.0], [0.0, 4.0]]).unwrap();
    /// let x = f.solve(&array![2.0, 2.0]);
    /// assert!((x[0] - 1.0).abs() < 1e-15 && (x[1] - 0.5).abs() < 1e-15);
    /// ```
    pub fn solve(&self, b: &Array1<f64>) -> Array1<f64> {
        let z = solve_lower(&self.l, b).expect("a Cholesky factor has a positive diagonal");
        solve_upper(&self.lt, &z).expect("a Cholesky factor has a positive diagonal")
    }

    /// $A^{-1}B$, column by column.
    ///
    /// # Panics
    /// If `b` has the wrong number of rows.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let f = course::inference::SpdFactor::new(&array![[4.0]]).unwrap();
    /// assert_eq!(f.solve_mat(&array![[4.0, 8.0]]), array![[1.0, 2.0]]);
    /// ```
    pub fn solve_mat(&self, b: &Array2<f64>) -> Array2<f64> {
        let mut out = Array2::zeros(b.raw_dim());
        for (j, col) in b.axis_iter(Axis(1)).enumerate() {
            out.column_mut(j).assign(&self.solve(&col.to_owned()));
        }
        out
    }

    /// $L^{-1}b$ (whitening: $\lVert L^{-1}b\rVert^2 = b^\top A^{-1}b$).
    ///
    /// # Panics
    /// If `b` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let f = course::inference::SpdFactor::new(&array![[4.0]]).unwrap();
    /// assert_eq!(f.solve_lower(&array![6.0]), array![3.0]); // L = 2
    /// ```
    pub fn solve_lower(&self, b: &Array1<f64>) -> Array1<f64> {
        solve_lower(&self.l, b).expect("a Cholesky factor has a positive diagonal")
    }

    /// $A^{-1}$ (only where the whole inverse is needed, e.g. a gradient's trace).
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let f = course::inference::SpdFactor::new(&array![[2.0, 1.0], [1.0, 2.0]]).unwrap();
    /// let inv = f.inverse(); // (1/3) [[2, −1], [−1, 2]]
    /// assert!((inv[[0, 1]] + 1.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn inverse(&self) -> Array2<f64> {
        self.solve_mat(&Array2::eye(self.dim()))
    }

    /// $\ln\det A = 2\sum_i\ln\ell_{ii}$.
    ///
    /// # Examples
    /// ```
    /// let f = course::inference::SpdFactor::new(&(course::ndarray::Array2::<f64>::eye(3) * 2.0)).unwrap();
    /// assert!((f.log_det() - 3.0 * 2f64.ln()).abs() < 1e-15);
    /// ```
    pub fn log_det(&self) -> f64 {
        2.0 * self.l.diag().iter().map(|d| d.ln()).sum::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_inverse_and_log_det_against_lu() {
        let n = 6;
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(3), 2 * n * n);
        let b = Array2::from_shape_vec((2 * n, n), z).unwrap();
        let a = b.t().dot(&b);
        let f = SpdFactor::new(&a).unwrap();
        let inv = f.inverse();
        let err = (&a.dot(&inv) - &Array2::<f64>::eye(n)).iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(err < 1e-10, "{err}");
        // log det from the LU factorization (an independent route): product of U's pivots.
        let lu = crate::linalg::Lu::new(&a);
        assert!((f.log_det() - lu.det().abs().ln()).abs() < 1e-10);
        let rhs = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(4), n));
        let x = f.solve(&rhs);
        assert!((&a.dot(&x) - &rhs).iter().all(|v| v.abs() < 1e-10));
        let w = f.solve_lower(&rhs);
        assert!((w.dot(&w) - rhs.dot(&x)).abs() < 1e-10);
    }
}
