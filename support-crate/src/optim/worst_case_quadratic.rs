//! Nesterov's worst function in the world: no first-order method beats $O(1/k^2)$ on smooth convex problems.
//!
//! On $\mathbb R^n$ let $A$ be tridiagonal with 2 on the diagonal and $-1$ beside it, and
//! $$f_n(x) = \frac L4\Big(\frac12x^\top Ax - x_1\Big),\qquad \nabla f_n(x) = \frac L4(Ax - e_1),\qquad 0\preceq\nabla^2f_n\preceq L.$$
//! Its minimizer is $x^\star_i = 1 - \frac i{n+1}$ with $f_n^\star = \frac L8\big(-1+\frac1{n+1}\big)$. A method whose
//! $x_k$ lies in $x_0 + \operatorname{span}\{\nabla f(x_0),\dots,\nabla f(x_{k-1})\}$ (gradient descent,
//! momentum, Nesterov, conjugate gradients…) started at $x_0 = 0$ has $x_k\in\operatorname{span}\{e_1,\dots,e_k\}$,
//! because each gradient $\frac L4(Ax-e_1)$ reaches one coordinate further than $x$. So $f_n(x_k)$ is at least
//! the minimum of $f_k$ over the first $k$ coordinates, $f_k^\star$. Taking $n = 2k+1$,
//! $$f(x_k) - f^\star\;\ge\;f_k^\star - f_{2k+1}^\star = \frac{L}{16(k+1)}\;\ge\;\frac{3L\lVert x_0-x^\star\rVert^2}{32(k+1)^2}
//! \quad\text{since }\lVert x^\star\rVert^2\le\frac{2k+2}{3}.$$
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), §2.1.2, Theorem 2.1.7.
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use super::Objective;
use ndarray::Array1;

/// $f_n(x) = \frac L4(\frac12x^\top Ax - x_1)$ with $A = \operatorname{tridiag}(-1, 2, -1)$ of size `n`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorstCaseQuadratic {
    /// The dimension $n$.
    pub n: usize,
    /// The smoothness constant $L$.
    pub l: f64,
}

impl WorstCaseQuadratic {
    /// The function of size `n` and smoothness `l`.
    ///
    /// # Panics
    /// If `n == 0` or `l <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::optim::{Objective, WorstCaseQuadratic};
    /// let f = WorstCaseQuadratic::new(3, 4.0);
    /// let g = f.gradient(&f.minimizer());
    /// assert!(g.iter().all(|v| v.abs() < 1e-15));
    /// assert!((f.value(&f.minimizer()) - f.minimum()).abs() < 1e-15);
    /// ```
    pub fn new(n: usize, l: f64) -> Self {
        assert!(n > 0, "WorstCaseQuadratic::new: n must be > 0");
        assert!(l > 0.0, "WorstCaseQuadratic::new: l must be > 0, got {l}");
        WorstCaseQuadratic { n, l }
    }

    /// $x^\star_i = 1 - i/(n+1)$, $i = 1,\dots,n$.
    pub fn minimizer(&self) -> Array1<f64> {
        Array1::from_shape_fn(self.n, |i| 1.0 - (i + 1) as f64 / (self.n + 1) as f64)
    }

    /// $f^\star = \frac L8(-1 + \frac1{n+1})$.
    pub fn minimum(&self) -> f64 {
        self.l / 8.0 * (-1.0 + 1.0 / (self.n + 1) as f64)
    }

    /// Nesterov's lower bound $3L\lVert x_0-x^\star\rVert^2/(32(k+1)^2)$ on $f(x_k) - f^\star$ (valid for $k\le(n-1)/2$), at $x_0 = 0$.
    ///
    /// # Panics
    /// If `k > (n − 1)/2`.
    ///
    /// # Examples
    /// ```
    /// let f = course::optim::WorstCaseQuadratic::new(3, 1.0); // ‖x*‖² = 9/16 + 1/4 + 1/16 = 7/8
    /// assert!((f.lower_bound(1) - 3.0 * 0.875 / 128.0).abs() < 1e-15);
    /// ```
    pub fn lower_bound(&self, k: usize) -> f64 {
        assert!(2 * k < self.n, "WorstCaseQuadratic::lower_bound: k must be <= (n − 1)/2 = {}, got {k}", (self.n - 1) / 2);
        let xs = self.minimizer();
        3.0 * self.l * xs.dot(&xs) / (32.0 * ((k + 1) * (k + 1)) as f64)
    }

    /// The Krylov floor $f_k^\star - f_n^\star$: the best gap any point of $\operatorname{span}\{e_1,\dots,e_k\}$ reaches.
    ///
    /// # Examples
    /// ```
    /// let f = course::optim::WorstCaseQuadratic::new(5, 8.0);
    /// assert!((f.krylov_floor(2) - (1.0 / 3.0 - 1.0 / 6.0)).abs() < 1e-15);
    /// ```
    pub fn krylov_floor(&self, k: usize) -> f64 {
        assert!(k <= self.n, "WorstCaseQuadratic::krylov_floor: k must be <= n = {}, got {k}", self.n);
        self.l / 8.0 * (1.0 / (k + 1) as f64 - 1.0 / (self.n + 1) as f64)
    }
}

impl Objective for WorstCaseQuadratic {
    fn value(&self, x: &Array1<f64>) -> f64 {
        assert_eq!(x.len(), self.n, "WorstCaseQuadratic: x must have {} entries, got {}", self.n, x.len());
        let n = self.n;
        let quad: f64 = (0..n).map(|i| x[i] * x[i]).sum::<f64>() * 2.0 - 2.0 * (0..n - 1).map(|i| x[i] * x[i + 1]).sum::<f64>();
        self.l / 4.0 * (0.5 * quad - x[0])
    }
    fn gradient(&self, x: &Array1<f64>) -> Array1<f64> {
        assert_eq!(x.len(), self.n, "WorstCaseQuadratic: x must have {} entries, got {}", self.n, x.len());
        let n = self.n;
        Array1::from_shape_fn(n, |i| {
            let left = if i > 0 { x[i - 1] } else { 0.0 };
            let right = if i + 1 < n { x[i + 1] } else { 0.0 };
            self.l / 4.0 * (2.0 * x[i] - left - right - if i == 0 { 1.0 } else { 0.0 })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{gradient_descent, nesterov, symmetric_eigenvalues, hessian_fd};

    #[test]
    fn spectrum_floor_and_krylov_property() {
        let f = WorstCaseQuadratic::new(9, 2.0);
        // Oracle: eigenvalues of A are 2 − 2cos(jπ/(n+1)) ∈ (0, 4): the Hessian L/4·A lies in (0, L)
        let mut ev = symmetric_eigenvalues(&hessian_fd(&f, &Array1::zeros(9), 1e-3));
        ev.reverse(); // increasing
        for (j, e) in ev.iter().enumerate() {
            let exact = 0.5 * (2.0 - 2.0 * ((j + 1) as f64 * std::f64::consts::PI / 10.0).cos());
            assert!((e - exact).abs() < 1e-8);
        }
        // Oracle: brute-force minimum over the first k coordinates (solve the k×k system by GD)
        let k = 3;
        let small = WorstCaseQuadratic::new(k, 2.0);
        let h = gradient_descent(&small, &Array1::zeros(k), 1.0, 20_000);
        assert!((h.final_loss() - f.minimum() - f.krylov_floor(k)).abs() < 1e-12);
        // Krylov: x_k has zeros beyond coordinate k, and the gap stays above the floor
        for run in [gradient_descent(&f, &Array1::zeros(9), 0.5, 4), nesterov(&f, &Array1::zeros(9), 0.5, 4)] {
            for (k, x) in run.iterates.iter().enumerate() {
                assert!(x.iter().skip(k).all(|&v| v == 0.0));
                assert!(run.losses[k] - f.minimum() >= f.krylov_floor(k) - 1e-15);
            }
        }
        assert!(f.krylov_floor(4) >= f.lower_bound(4));
    }
}
