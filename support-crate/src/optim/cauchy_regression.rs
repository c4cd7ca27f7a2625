//! Robust regression with the Cauchy loss: a non-convex least-squares variant.
//!
//! $$f(w) = \frac1m\sum_{i=1}^m \rho(a_i^\top w - y_i),\qquad \rho(r) = \tfrac12\log(1 + r^2),\qquad
//!   \rho'(r) = \frac{r}{1+r^2},\quad \rho''(r) = \frac{1-r^2}{(1+r^2)^2}\in[-\tfrac18, 1].$$
//! Large residuals (outliers) have a bounded pull $|\rho'|\le\frac12$, at the price of
//! convexity: $\rho'' < 0$ for $|r| > 1$. Since $\rho''\le1$, $f$ is $L$-smooth with
//! $L = \lambda_{\max}(A^\top A)/m$, and $f\ge 0$.
//!
//! ## Reference
//! P. J. Huber & E. M. Ronchetti, *Robust Statistics* (2009), §4; Nesterov, *Lectures on
//! Convex Optimization* (2018), §1.2.3.
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use super::Objective;
use ndarray::{Array1, Array2};

/// The Cauchy-loss regression of `y` on the rows of `a`.
#[derive(Clone, Debug, PartialEq)]
pub struct CauchyRegression {
    /// The design matrix $A$, one example per row.
    pub a: Array2<f64>,
    /// The targets $y$.
    pub y: Array1<f64>,
}

impl CauchyRegression {
    /// The problem for design `a` and targets `y`.
    ///
    /// # Panics
    /// If `a` has no rows or `y` does not have one entry per row.
    ///
    /// # Examples
    /// ```
    /// use course::optim::{CauchyRegression, Objective};
    /// use ndarray::array;
    /// let p = CauchyRegression::new(array![[1.0], [1.0]], array![0.0, 2.0]);
    /// // at w = 1 both residuals are ±1: ½ log 2
    /// assert!((p.value(&array![1.0]) - 0.5 * 2f64.ln()).abs() < 1e-15);
    /// assert_eq!(p.gradient(&array![1.0])[0], 0.0);
    /// ```
    pub fn new(a: Array2<f64>, y: Array1<f64>) -> Self {
        assert!(a.nrows() > 0, "CauchyRegression::new: a must have at least one row");
        assert_eq!(a.nrows(), y.len(), "CauchyRegression::new: y must have one entry per row of a ({}), got {}", a.nrows(), y.len());
        CauchyRegression { a, y }
    }

    /// A line $y = 2 + 3t$ with noise 0.3 at `m` points $t\sim U[-1, 1]$, where a fraction
    /// `outliers` of the targets is replaced by $U[-15, 15]$; features $(1, t)$.
    ///
    /// # Panics
    /// If `m == 0` or `outliers` is outside $[0, 1]$.
    ///
    /// # Examples
    /// ```
    /// let p = course::optim::CauchyRegression::line_with_outliers(40, 0.25, 0);
    /// assert_eq!(p.a.dim(), (40, 2));
    /// ```
    pub fn line_with_outliers(m: usize, outliers: f64, seed: u64) -> Self {
        assert!(m > 0, "CauchyRegression::line_with_outliers: m must be > 0");
        assert!((0.0..=1.0).contains(&outliers), "CauchyRegression::line_with_outliers: outliers must lie in [0, 1], got {outliers}");
        let mut rng = crate::rng::seeded(seed);
        let t = crate::rng::uniform_vec(&mut rng, m, -1.0, 1.0);
        let noise = crate::rng::normal_vec(&mut rng, m);
        let u = crate::rng::uniform_vec(&mut rng, m, 0.0, 1.0);
        let junk = crate::rng::uniform_vec(&mut rng, m, -15.0, 15.0);
        let a = Array2::from_shape_fn((m, 2), |(i, j)| if j == 0 { 1.0 } else { t[i] });
        let y = Array1::from_shape_fn(m, |i| if u[i] < outliers { junk[i] } else { 2.0 + 3.0 * t[i] + 0.3 * noise[i] });
        CauchyRegression::new(a, y)
    }

    /// $L = \lambda_{\max}(A^\top A)/m$.
    ///
    /// # Examples
    /// ```
    /// use course::optim::CauchyRegression;
    /// let p = CauchyRegression::new(ndarray::array![[1.0, 0.0], [0.0, 2.0]], ndarray::array![0.0, 0.0]);
    /// assert!((p.smoothness() - 2.0).abs() < 1e-12); // AᵀA = diag(1, 4), m = 2
    /// ```
    pub fn smoothness(&self) -> f64 {
        let ata = self.a.t().dot(&self.a);
        super::symmetric_eigenvalues(&ata).into_iter().fold(f64::MIN, f64::max) / self.a.nrows() as f64
    }

    fn residuals(&self, w: &Array1<f64>) -> Array1<f64> {
        assert_eq!(w.len(), self.a.ncols(), "CauchyRegression: w must have {} entries, got {}", self.a.ncols(), w.len());
        self.a.dot(w) - &self.y
    }
}

impl Objective for CauchyRegression {
    fn value(&self, w: &Array1<f64>) -> f64 {
        self.residuals(w).mapv(|r| 0.5 * (r * r).ln_1p()).mean().unwrap()
    }
    fn gradient(&self, w: &Array1<f64>) -> Array1<f64> {
        let psi = self.residuals(w).mapv(|r| r / (1.0 + r * r));
        self.a.t().dot(&psi) / self.a.nrows() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{hessian_fd, symmetric_eigenvalues};

    #[test]
    fn gradient_and_curvature_against_finite_differences() {
        let p = CauchyRegression::line_with_outliers(30, 0.3, 2);
        let l = p.smoothness();
        let mut saw_negative = false;
        for w in [ndarray::array![0.0, 0.0], ndarray::array![2.0, 3.0], ndarray::array![-5.0, 8.0], ndarray::array![10.0, -10.0]] {
            let g = p.gradient(&w);
            for i in 0..2 {
                let mut e = Array1::zeros(2);
                e[i] = 1e-6;
                assert!(((p.value(&(&w + &e)) - p.value(&(&w - &e))) / 2e-6 - g[i]).abs() < 1e-8);
            }
            let ev = symmetric_eigenvalues(&hessian_fd(&p, &w, 1e-4));
            assert!(ev[0] <= l + 1e-6); // decreasing order
            saw_negative |= ev[1] < 0.0;
        }
        assert!(saw_negative, "the Cauchy loss is not convex far from the fit");
    }
}
