//! Least-squares regression as a finite-sum objective.
//!
//! $$f(w) = \frac{1}{2n}\lVert Xw-y\rVert^2 = \frac1n\sum_{i=1}^n \tfrac12(x_i^\top w-y_i)^2,\qquad
//!   \nabla f(w) = \tfrac1n X^\top(Xw-y).$$
//! Its Hessian is $H = X^\top X/n$, so $L = \lambda_{\max}(H)$ and $\mu = \lambda_{\min}(H)$. The
//! stochastic gradient samples one row $i$ uniformly: $g = (x_i^\top w - y_i)\,x_i$, unbiased
//! for $\nabla f(w)$; at the minimizer it is not zero unless the data are fit exactly, which is
//! why constant-step SGD cannot settle there.
//!
//! ## Reference
//! Bottou, Curtis & Nocedal (2018), *Optimization methods for large-scale machine learning*, §2–4.
//!
//! Used in notebooks/04-gradient-descent.ipynb.

use super::{Objective, StochasticObjective};
use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};

/// $\frac{1}{2n}\lVert Xw-y\rVert^2$ for data `x` ($n\times d$) and `y` ($n$).
///
/// # Examples
/// ```
/// use course::optim::{LeastSquares, Objective};
/// use ndarray::array;
/// let ls = LeastSquares::new(array![[1.0, 0.0], [0.0, 2.0]], array![1.0, 2.0]);
/// assert_eq!(ls.value(&array![0.0, 0.0]), 1.25); // (1 + 4)/4
/// assert_eq!(ls.solution(), array![1.0, 1.0]);
/// ```
#[derive(Clone, Debug)]
pub struct LeastSquares {
    /// The design matrix, one sample per row.
    pub x: Array2<f64>,
    /// The targets.
    pub y: Array1<f64>,
}

impl LeastSquares {
    /// The objective for data `(x, y)`.
    ///
    /// # Panics
    /// If `y` does not have one entry per row of `x`, or `x` is empty.
    pub fn new(x: Array2<f64>, y: Array1<f64>) -> Self {
        assert!(x.nrows() > 0 && x.ncols() > 0, "LeastSquares::new: x must not be empty, got {} x {}", x.nrows(), x.ncols());
        assert_eq!(x.nrows(), y.len(), "LeastSquares::new: y must have one entry per row of x ({}), got {}", x.nrows(), y.len());
        LeastSquares { x, y }
    }

    /// Number of samples $n$.
    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    /// Number of parameters $d$.
    pub fn dim(&self) -> usize {
        self.x.ncols()
    }

    /// The Hessian $H = X^\top X / n$.
    pub fn hessian(&self) -> Array2<f64> {
        self.x.t().dot(&self.x) / self.n_samples() as f64
    }

    /// The eigenvalues of $H$, ascending ($\mu$ first, $L$ last).
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let ls = course::optim::LeastSquares::new(array![[2.0, 0.0], [0.0, 4.0]], array![0.0, 0.0]);
    /// assert_eq!(ls.hessian_eigenvalues(), vec![2.0, 8.0]); // diag(4, 16)/2
    /// ```
    pub fn hessian_eigenvalues(&self) -> Vec<f64> {
        let h = self.hessian();
        let d = self.dim();
        let m = nalgebra::DMatrix::from_fn(d, d, |i, j| h[[i, j]]);
        let mut ev: Vec<f64> = m.symmetric_eigen().eigenvalues.iter().copied().collect();
        ev.sort_by(f64::total_cmp);
        ev
    }

    /// The minimizer $w^\star$ (least squares by Householder QR).
    ///
    /// # Panics
    /// If $X$ is rank deficient.
    pub fn solution(&self) -> Array1<f64> {
        crate::learning::lstsq_qr(&self.x, &self.y).expect("LeastSquares::solution: X must have full column rank")
    }

    /// The residuals $Xw - y$.
    fn residuals(&self, w: &Array1<f64>) -> Array1<f64> {
        assert_eq!(w.len(), self.dim(), "LeastSquares: w must have {} entries, got {}", self.dim(), w.len());
        self.x.dot(w) - &self.y
    }
}

impl Objective for LeastSquares {
    fn value(&self, w: &Array1<f64>) -> f64 {
        let r = self.residuals(w);
        0.5 * r.dot(&r) / self.n_samples() as f64
    }

    fn gradient(&self, w: &Array1<f64>) -> Array1<f64> {
        self.x.t().dot(&self.residuals(w)) / self.n_samples() as f64
    }
}

impl StochasticObjective for LeastSquares {
    fn stochastic_gradient(&self, w: &Array1<f64>, rng: &mut dyn Rng) -> Array1<f64> {
        assert_eq!(w.len(), self.dim(), "LeastSquares: w must have {} entries, got {}", self.dim(), w.len());
        let i = rng.random_range(0..self.n_samples());
        let row = self.x.row(i);
        &row * (row.dot(w) - self.y[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn data() -> LeastSquares {
        let mut rng = crate::rng::seeded(6);
        let x = Array2::from_shape_vec((30, 3), crate::rng::normal_vec(&mut rng, 90)).unwrap();
        let y = Array1::from(crate::rng::normal_vec(&mut rng, 30));
        LeastSquares::new(x, y)
    }

    #[test]
    fn gradient_vanishes_at_the_solution_and_matches_differences() {
        let ls = data();
        let w = ls.solution();
        assert!(ls.gradient(&w).iter().all(|g| g.abs() < 1e-12));
        let p = array![0.3, -0.2, 0.1];
        for i in 0..3 {
            let mut e = Array1::zeros(3);
            e[i] = 1e-6;
            let fd = (ls.value(&(&p + &e)) - ls.value(&(&p - &e))) / 2e-6;
            assert!((fd - ls.gradient(&p)[i]).abs() < 1e-8);
        }
    }

    #[test]
    fn stochastic_gradient_averages_to_the_gradient() {
        // Oracle: the exact expectation, the mean over every row (sampled uniformly).
        let ls = data();
        let w = array![0.5, 0.5, -1.0];
        let mut rng = crate::rng::seeded(1);
        let n = 60_000;
        let mut mean = Array1::<f64>::zeros(3);
        for _ in 0..n {
            mean += &ls.stochastic_gradient(&w, &mut rng);
        }
        mean /= n as f64;
        let exact = ls.gradient(&w);
        assert!((&mean - &exact).iter().all(|e| e.abs() < 0.05), "{mean} vs {exact}");
    }

    #[test]
    fn hessian_eigenvalues_bound_the_quadratic_form() {
        let ls = data();
        let ev = ls.hessian_eigenvalues();
        let h = ls.hessian();
        let v = array![1.0, 2.0, -1.0];
        let q = v.dot(&h.dot(&v)) / v.dot(&v);
        assert!(ev[0] <= q && q <= ev[2]);
        assert!((ev.iter().sum::<f64>() - (h[[0, 0]] + h[[1, 1]] + h[[2, 2]])).abs() < 1e-12);
    }
}
