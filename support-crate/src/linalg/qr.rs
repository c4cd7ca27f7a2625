//! Householder QR factorization $A = QR$ of a tall matrix ($m \ge n$).
//!
//! Column $k$ is reflected onto a multiple of $e_k$ by $H_k = I - 2vv^\top/v^\top v$ with
//! $v = x + \operatorname{sign}(x_1)\lVert x\rVert e_1$; then $Q = H_1\cdots H_n$ and
//! $R = H_n\cdots H_1 A$. Least squares $\min_x\lVert Ax-b\rVert$ becomes $Rx = Q^\top b$, which
//! works with $\kappa(A)$ where the normal equations work with $\kappa(A)^2$.
//!
//! ## Reference
//! Trefethen & Bau, *Numerical Linear Algebra*, Lectures 10–11 and 19; Strang, *Linear
//! Algebra and Learning from Data*, II.2.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb.

use super::{LinalgError, solve_upper};
use ndarray::{Array1, Array2, s};

/// A Householder QR factorization, kept as its reflectors.
///
/// # Examples
/// ```
/// use ndarray::array;
/// use course::linalg::Qr;
/// let a = array![[3.0, 1.0], [4.0, 2.0], [0.0, 2.0]];
/// let qr = Qr::new(&a);
/// assert!((qr.r()[[0, 0]].abs() - 5.0).abs() < 1e-12); // |R₁₁| = ‖first column‖ = 5
/// let back = qr.q().dot(&qr.r());
/// assert!((&back - &a).iter().all(|e| e.abs() < 1e-12));
/// ```
#[derive(Clone, Debug)]
pub struct Qr {
    /// Householder vectors, one per column, each of length m (zeros above its row).
    reflectors: Vec<Array1<f64>>,
    /// The n × n upper-triangular factor.
    r: Array2<f64>,
    m: usize,
}

impl Qr {
    /// Factors `a` (m × n with m >= n).
    ///
    /// # Panics
    /// If `a` has more columns than rows, no columns, or a non-finite entry.
    pub fn new(a: &Array2<f64>) -> Self {
        let (m, n) = a.dim();
        assert!(n >= 1 && m >= n, "Qr::new: need an m x n matrix with m >= n >= 1, got {m} x {n}");
        assert!(a.iter().all(|v| v.is_finite()), "Qr::new: a must have finite entries");
        let mut w = a.clone();
        let mut reflectors = Vec::with_capacity(n);
        for k in 0..n {
            let x = w.slice(s![k.., k]).to_owned();
            let norm = x.dot(&x).sqrt();
            let mut v = Array1::zeros(m);
            if norm > 0.0 {
                let sign = if x[0] >= 0.0 { 1.0 } else { -1.0 };
                v.slice_mut(s![k..]).assign(&x);
                v[k] += sign * norm;
                let vv = v.dot(&v);
                // w ← (I − 2vvᵀ/vᵀv) w on the trailing columns.
                for j in k..n {
                    let col = w.column(j).to_owned();
                    let f = 2.0 * v.dot(&col) / vv;
                    w.column_mut(j).scaled_add(-f, &v);
                }
            }
            reflectors.push(v);
        }
        let r = Array2::from_shape_fn((n, n), |(i, j)| if j >= i { w[[i, j]] } else { 0.0 });
        Qr { reflectors, r, m }
    }

    /// The upper-triangular factor `R` (n × n).
    pub fn r(&self) -> Array2<f64> {
        self.r.clone()
    }

    /// The thin orthonormal factor `Q` (m × n), with $Q^\top Q = I$.
    pub fn q(&self) -> Array2<f64> {
        let n = self.reflectors.len();
        let mut q = Array2::zeros((self.m, n));
        for j in 0..n {
            let mut e = Array1::zeros(self.m);
            e[j] = 1.0;
            q.column_mut(j).assign(&self.apply_q(e));
        }
        q
    }

    /// $Q^\top b$ for the full m × m orthogonal $Q$ (length m).
    ///
    /// # Panics
    /// If `b` does not have m entries.
    pub fn apply_qt(&self, b: &Array1<f64>) -> Array1<f64> {
        assert_eq!(b.len(), self.m, "Qr::apply_qt: b must have {} entries, got {}", self.m, b.len());
        let mut y = b.clone();
        for v in &self.reflectors {
            reflect(v, &mut y);
        }
        y
    }

    fn apply_q(&self, mut y: Array1<f64>) -> Array1<f64> {
        for v in self.reflectors.iter().rev() {
            reflect(v, &mut y);
        }
        y
    }

    /// The least-squares solution $\arg\min_x \lVert Ax - b\rVert_2$ from $Rx = (Q^\top b)_{1:n}$.
    ///
    /// # Errors
    /// [`LinalgError::Singular`] if `A` is rank deficient (a negligible diagonal entry of `R`).
    ///
    /// # Panics
    /// If `b` does not have m entries.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// // Fit y = c0 + c1 t through (0, 1), (1, 2), (2, 4): c = (5/6, 3/2).
    /// let a = array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]];
    /// let c = course::linalg::Qr::new(&a).solve_least_squares(&array![1.0, 2.0, 4.0]).unwrap();
    /// assert!((c[0] - 5.0 / 6.0).abs() < 1e-12 && (c[1] - 1.5).abs() < 1e-12);
    /// ```
    pub fn solve_least_squares(&self, b: &Array1<f64>) -> Result<Array1<f64>, LinalgError> {
        let n = self.reflectors.len();
        // Numerical rank test as in NumPy's matrix_rank: |r_ii| <= max(m, n) ε max_j |r_jj|.
        let max_diag = self.r.diag().iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let tol = self.m.max(n) as f64 * f64::EPSILON * max_diag;
        if let Some(i) = (0..n).find(|&i| self.r[[i, i]].abs() <= tol) {
            return Err(LinalgError::Singular { index: i, pivot: self.r[[i, i]] });
        }
        let y = self.apply_qt(b);
        solve_upper(&self.r, &y.slice(s![..n]).to_owned())
    }
}

fn reflect(v: &Array1<f64>, y: &mut Array1<f64>) {
    let vv = v.dot(v);
    if vv > 0.0 {
        let f = 2.0 * v.dot(y) / vv;
        y.scaled_add(-f, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(seed), rows * cols);
        Array2::from_shape_vec((rows, cols), z).unwrap()
    }

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    }

    #[test]
    fn q_is_orthonormal_r_is_upper_and_qr_is_a() {
        for &(m, n) in &[(5, 5), (12, 4), (30, 7)] {
            let a = random(m, n, (m * 100 + n) as u64);
            let qr = Qr::new(&a);
            let (q, r) = (qr.q(), qr.r());
            assert!(max_abs(&(q.t().dot(&q) - Array2::<f64>::eye(n))) < 1e-13);
            assert!(max_abs(&(q.dot(&r) - &a)) < 1e-13);
            for i in 0..n {
                for j in 0..i {
                    assert_eq!(r[[i, j]], 0.0);
                }
            }
        }
    }

    #[test]
    fn least_squares_residual_is_orthogonal_to_the_columns() {
        // The defining identity Aᵀ(Ax − b) = 0, an oracle independent of the method.
        let a = random(40, 6, 3);
        let b = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(4), 40));
        let x = Qr::new(&a).solve_least_squares(&b).unwrap();
        let g = a.t().dot(&(a.dot(&x) - &b));
        assert!(g.iter().all(|v| v.abs() < 1e-12), "{g}");
    }

    #[test]
    fn apply_qt_preserves_the_norm() {
        let qr = Qr::new(&random(9, 3, 5));
        let b = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(6), 9));
        assert!((qr.apply_qt(&b).dot(&qr.apply_qt(&b)) - b.dot(&b)).abs() < 1e-12);
    }

    #[test]
    fn rank_deficient_matrix_is_reported() {
        let mut a = random(10, 3, 7);
        let c0 = a.column(0).to_owned();
        a.column_mut(2).assign(&(&c0 * 2.0));
        let e = Qr::new(&a).solve_least_squares(&Array1::ones(10)).unwrap_err();
        assert!(matches!(e, LinalgError::Singular { index: 2, .. }), "{e:?}");
    }

    #[test]
    #[should_panic(expected = "m >= n")]
    fn wide_matrix_is_rejected() {
        let _ = Qr::new(&random(2, 3, 8));
    }
}
