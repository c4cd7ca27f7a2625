//! LU factorization with partial pivoting, $PA = LU$.
//!
//! Gaussian elimination on column $k$ first swaps into the pivot position the row with the
//! largest $|a_{ik}|$ ($i\ge k$), then subtracts multiples $\ell_{ik} = a_{ik}/a_{kk}$
//! (all $|\ell_{ik}|\le 1$) of the pivot row from the rows below:
//! $$PA = LU,\qquad \det A = \det P^{-1}\,\prod_k u_{kk} = (-1)^{\#\text{swaps}}\prod_k u_{kk}.$$
//! Solving $Ax=b$ is then two triangular solves, $Ly = Pb$ and $Ux = y$, in $O(n^2)$ after the
//! $\tfrac23 n^3$ of the factorization. The computed $\hat x$ solves a nearby system
//! $(A+\delta A)\hat x = b$ with $\lVert\delta A\rVert/\lVert A\rVert = O(\varepsilon)$ in practice, so its
//! relative error is about $\kappa(A)\,\varepsilon$ (see [`cond`](super::cond)).
//!
//! ## Reference
//! Trefethen & Bau, *Numerical Linear Algebra*, Lectures 20–22; Strang, *Introduction to
//! Linear Algebra*, ch. 2.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb.

use super::LinalgError;
use ndarray::{Array1, Array2};

/// The factors of $PA = LU$, stored compactly: unit lower-triangular $L$ below the diagonal,
/// $U$ on and above it, and the row permutation.
///
/// # Examples
/// ```
/// use ndarray::array;
/// use course::linalg::Lu;
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let lu = Lu::new(&a);
/// assert_eq!(lu.perm(), &[1, 0]);                     // |3| > |1|: rows swapped
/// assert_eq!(lu.p().dot(&a), lu.l().dot(&lu.u()));     // PA = LU
/// assert!((lu.det() - (-2.0)).abs() < 1e-12);         // 1·4 − 2·3
/// let x = lu.solve(&array![5.0, 11.0]).unwrap();
/// assert!((x[0] - 1.0).abs() < 1e-12 && (x[1] - 2.0).abs() < 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct Lu {
    lu: Array2<f64>,
    perm: Vec<usize>,
    swaps: usize,
}

impl Lu {
    /// Factors the square matrix `a` by Gaussian elimination with partial pivoting. A column
    /// with no nonzero pivot is skipped (its $u_{kk} = 0$), so singular matrices factor too;
    /// [`solve`](Self::solve) then reports them.
    ///
    /// # Panics
    /// If `a` is not square, is empty, or has a non-finite entry.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// // A singular matrix still factors: its second pivot is 0.
    /// let lu = course::linalg::Lu::new(&array![[1.0, 2.0], [2.0, 4.0]]);
    /// assert_eq!(lu.u()[[1, 1]], 0.0);
    /// assert_eq!(lu.det(), 0.0);
    /// ```
    pub fn new(a: &Array2<f64>) -> Self {
        let (n, m) = a.dim();
        assert!(n == m && n >= 1, "Lu::new: a must be square and non-empty, got {n} x {m}");
        if let Some(((i, j), v)) = a.indexed_iter().find(|(_, v)| !v.is_finite()) {
            panic!("Lu::new: a must have finite entries, but a[{i},{j}] = {v}");
        }
        let mut lu = a.to_owned();
        let mut perm: Vec<usize> = (0..n).collect();
        let mut swaps = 0;
        for k in 0..n {
            // Partial pivoting: the largest |entry| of column k on or below the diagonal.
            let p = (k..n).fold(k, |best, i| if lu[[i, k]].abs() > lu[[best, k]].abs() { i } else { best });
            if p != k {
                for j in 0..n {
                    lu.swap([k, j], [p, j]);
                }
                perm.swap(k, p);
                swaps += 1;
            }
            let pivot = lu[[k, k]];
            if pivot == 0.0 {
                continue; // the whole column below is zero: nothing to eliminate
            }
            for i in k + 1..n {
                let l = lu[[i, k]] / pivot;
                lu[[i, k]] = l;
                for j in k + 1..n {
                    lu[[i, j]] -= l * lu[[k, j]];
                }
            }
        }
        Lu { lu, perm, swaps }
    }

    /// The unit lower-triangular factor $L$ (all $|\ell_{ij}|\le 1$).
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// // Pivot 4 (row 2 first), then ℓ = 2/4 for the other row.
    /// let l = course::linalg::Lu::new(&array![[2.0, 1.0], [4.0, 3.0]]).l();
    /// assert_eq!(l, array![[1.0, 0.0], [0.5, 1.0]]);
    /// ```
    pub fn l(&self) -> Array2<f64> {
        let n = self.lu.nrows();
        Array2::from_shape_fn((n, n), |(i, j)| match i.cmp(&j) {
            std::cmp::Ordering::Greater => self.lu[[i, j]],
            std::cmp::Ordering::Equal => 1.0,
            std::cmp::Ordering::Less => 0.0,
        })
    }

    /// The upper-triangular factor $U$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let u = course::linalg::Lu::new(&array![[2.0, 1.0], [4.0, 3.0]]).u();
    /// assert_eq!(u, array![[4.0, 3.0], [0.0, -0.5]]); // 1 − 0.5·3 = −0.5
    /// ```
    pub fn u(&self) -> Array2<f64> {
        let n = self.lu.nrows();
        Array2::from_shape_fn((n, n), |(i, j)| if j >= i { self.lu[[i, j]] } else { 0.0 })
    }

    /// The row order: row `i` of $PA$ is row `perm()[i]` of $A$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let a = array![[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]];
    /// assert_eq!(course::linalg::Lu::new(&a).perm(), &[2, 0, 1]);
    /// ```
    pub fn perm(&self) -> &[usize] {
        &self.perm
    }

    /// The permutation matrix $P$ with $PA = LU$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let a = array![[0.0, 1.0], [1.0, 0.0]];
    /// let lu = course::linalg::Lu::new(&a);
    /// assert_eq!(lu.p().dot(&a), ndarray::Array2::<f64>::eye(2)); // already LU with L = U = I
    /// ```
    pub fn p(&self) -> Array2<f64> {
        let n = self.perm.len();
        Array2::from_shape_fn((n, n), |(i, j)| if self.perm[i] == j { 1.0 } else { 0.0 })
    }

    /// $\det A = (-1)^{\#\text{swaps}}\prod_k u_{kk}$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let a = array![[2.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 2.0]];
    /// assert!((course::linalg::Lu::new(&a).det() - 4.0).abs() < 1e-12);
    /// ```
    pub fn det(&self) -> f64 {
        let sign = if self.swaps % 2 == 0 { 1.0 } else { -1.0 };
        sign * self.lu.diag().iter().product::<f64>()
    }

    /// Solves $Ax = b$: $Ly = Pb$ forward, then $Ux = y$ backward.
    ///
    /// Only an exactly zero pivot is refused: a nearly singular system is solved, and
    /// [`cond`](super::cond) says how many digits of the answer to trust.
    ///
    /// # Errors
    /// [`LinalgError::Singular`] if some $u_{kk} = 0$.
    ///
    /// # Panics
    /// If `b` does not have one entry per row of `a`.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// // Hilbert H₃ x = H₃·1 recovers 1 to about κ(H₃)·ε ≈ 1e-13.
    /// let h = course::linalg::hilbert(3);
    /// let x = course::linalg::Lu::new(&h).solve(&h.dot(&array![1.0, 1.0, 1.0])).unwrap();
    /// assert!(x.iter().all(|v| (v - 1.0).abs() < 1e-12));
    /// ```
    pub fn solve(&self, b: &Array1<f64>) -> Result<Array1<f64>, LinalgError> {
        let n = self.perm.len();
        assert_eq!(b.len(), n, "Lu::solve: b must have {n} entries (one per row of a), got {}", b.len());
        if let Some(k) = (0..n).find(|&k| self.lu[[k, k]] == 0.0) {
            return Err(LinalgError::Singular { index: k, pivot: 0.0 });
        }
        let mut x: Array1<f64> = self.perm.iter().map(|&p| b[p]).collect(); // Pb
        for i in 0..n {
            let s: f64 = (0..i).map(|j| self.lu[[i, j]] * x[j]).sum();
            x[i] -= s; // L has a unit diagonal
        }
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|j| self.lu[[i, j]] * x[j]).sum();
            x[i] = (x[i] - s) / self.lu[[i, i]];
        }
        Ok(x)
    }

    /// $A^{-1}$, column by column ($A x_j = e_j$). Prefer [`solve`](Self::solve) for systems.
    ///
    /// # Errors
    /// [`LinalgError::Singular`] if some $u_{kk} = 0$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let inv = course::linalg::Lu::new(&array![[4.0, 7.0], [2.0, 6.0]]).inverse().unwrap();
    /// assert!((&inv - &array![[0.6, -0.7], [-0.2, 0.4]]).iter().all(|e| e.abs() < 1e-12));
    /// ```
    pub fn inverse(&self) -> Result<Array2<f64>, LinalgError> {
        let n = self.perm.len();
        let mut inv = Array2::zeros((n, n));
        for j in 0..n {
            let mut e = Array1::zeros(n);
            e[j] = 1.0;
            inv.column_mut(j).assign(&self.solve(&e)?);
        }
        Ok(inv)
    }
}

/// Solves the square system $Ax = b$ by LU with partial pivoting (`Lu::new(a).solve(b)`).
///
/// # Errors
/// [`LinalgError::Singular`] if elimination meets an exactly zero pivot.
///
/// # Panics
/// If `a` is not square or has a non-finite entry, or `b` does not match it.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = course::linalg::solve(&array![[0.0, 1.0], [2.0, 0.0]], &array![3.0, 4.0]).unwrap();
/// assert_eq!(x, array![2.0, 3.0]); // needs a row swap: a₁₁ = 0
/// ```
pub fn solve(a: &Array2<f64>, b: &Array1<f64>) -> Result<Array1<f64>, LinalgError> {
    Lu::new(a).solve(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn random(n: usize, seed: u64) -> Array2<f64> {
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(seed), n * n);
        Array2::from_shape_vec((n, n), z).unwrap()
    }

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    }

    #[test]
    fn pa_equals_lu_with_bounded_multipliers() {
        for n in [1, 2, 5, 20] {
            let a = random(n, n as u64);
            let lu = Lu::new(&a);
            assert!(max_abs(&(lu.p().dot(&a) - lu.l().dot(&lu.u()))) < 1e-13 * n as f64);
            assert!(lu.l().iter().all(|v| v.abs() <= 1.0), "partial pivoting keeps |l_ij| <= 1");
            let mut sorted = lu.perm().to_vec();
            sorted.sort();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn determinant_matches_closed_forms_and_the_product_of_eigenvalues() {
        // Tridiagonal (2, −1): det = n + 1.
        let n = 9;
        let t = Array2::from_shape_fn((n, n), |(i, j)| if i == j { 2.0 } else if i.abs_diff(j) == 1 { -1.0 } else { 0.0 });
        assert!((Lu::new(&t).det() - (n as f64 + 1.0)).abs() < 1e-11);
        // Vandermonde: det = ∏_{i<j} (x_j − x_i).
        let x = [0.5f64, 1.0, 2.0, 3.5, -1.0];
        let v = Array2::from_shape_fn((5, 5), |(i, j)| x[i].powi(j as i32));
        let expected: f64 = (0..5).flat_map(|i| (i + 1..5).map(move |j| (i, j))).map(|(i, j)| x[j] - x[i]).product();
        assert!((Lu::new(&v).det() - expected).abs() < 1e-10 * expected.abs());
        // A symmetric matrix: det = product of its eigenvalues (independent algorithm).
        let b = random(6, 7);
        let s = &b + &b.t();
        let eig = super::super::symmetric_eigen(&s);
        let prod: f64 = eig.values.iter().product();
        assert!((Lu::new(&s).det() - prod).abs() < 1e-10 * prod.abs());
        // A permutation swaps the sign.
        assert_eq!(Lu::new(&array![[0.0, 1.0], [1.0, 0.0]]).det(), -1.0);
    }

    #[test]
    fn solve_and_inverse_reproduce_the_data() {
        let a = random(12, 3);
        let x_true = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(4), 12));
        let x = solve(&a, &a.dot(&x_true)).unwrap();
        assert!((&x - &x_true).iter().all(|e| e.abs() < 1e-11));
        let inv = Lu::new(&a).inverse().unwrap();
        assert!(max_abs(&(inv.dot(&a) - Array2::<f64>::eye(12))) < 1e-11);
    }

    #[test]
    fn singular_matrix_factors_but_does_not_solve() {
        let a = array![[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]];
        let lu = Lu::new(&a);
        assert_eq!(lu.det(), 0.0);
        assert!(max_abs(&(lu.p().dot(&a) - lu.l().dot(&lu.u()))) < 1e-14);
        assert!(matches!(lu.solve(&array![1.0, 1.0, 1.0]), Err(LinalgError::Singular { .. })));
    }

    #[test]
    #[should_panic(expected = "must be square")]
    fn rectangular_matrix_is_rejected() {
        let _ = Lu::new(&Array2::zeros((2, 3)));
    }

    #[test]
    #[should_panic(expected = "b must have 2 entries")]
    fn mismatched_rhs_is_rejected() {
        let _ = solve(&Array2::eye(2), &array![1.0]);
    }
}
