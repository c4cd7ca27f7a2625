//! Positive-definite kernels on the real line and their Gram matrices.
//!
//! $$k_{\rm RBF}(x,x') = \sigma^2 e^{-r^2/2\ell^2},\quad
//!   k_{3/2} = \sigma^2\Big(1+\tfrac{\sqrt3 r}{\ell}\Big)e^{-\sqrt3 r/\ell},\quad
//!   k_{5/2} = \sigma^2\Big(1+\tfrac{\sqrt5 r}{\ell}+\tfrac{5r^2}{3\ell^2}\Big)e^{-\sqrt5 r/\ell},\quad
//!   k_{\rm poly} = (xx' + c)^p,$$
//! with $r = |x - x'|$. A kernel is positive semi-definite when every Gram matrix
//! $K_{ij} = k(x_i, x_j)$ is: $\sum_{ij}a_ia_jK_{ij}\ge 0$. Then (Moore–Aronszajn) it is the
//! reproducing kernel of a unique Hilbert space of functions $\mathcal H_k$ with
//! $f(x) = \langle f, k(x,\cdot)\rangle_{\mathcal H}$.
//!
//! ## Reference
//! Rasmussen & Williams, *Gaussian Processes for Machine Learning* (2006), §4.2;
//! B. Schölkopf & A. Smola, *Learning with Kernels* (2002), ch. 2.
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use ndarray::Array2;

/// A kernel on $\mathbb R$.
///
/// # Examples
/// ```
/// use course::inference::Kernel;
/// let k = Kernel::Rbf { length_scale: 2.0, variance: 3.0 };
/// assert!((k.eval(1.0, 3.0) - 3.0 * (-0.5f64).exp()).abs() < 1e-15); // r = ℓ: σ² e^{−1/2}
/// assert_eq!(Kernel::Polynomial { degree: 2, offset: 1.0 }.eval(2.0, 3.0), 49.0); // (6 + 1)²
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kernel {
    /// Squared exponential: smooth (infinitely differentiable) sample paths.
    Rbf { length_scale: f64, variance: f64 },
    /// Matérn ν = 3/2: once-differentiable sample paths.
    Matern32 { length_scale: f64, variance: f64 },
    /// Matérn ν = 5/2: twice-differentiable sample paths.
    Matern52 { length_scale: f64, variance: f64 },
    /// $(xx' + c)^p$: a finite-dimensional feature space (polynomials of degree $\le p$).
    Polynomial { degree: u32, offset: f64 },
}

impl Kernel {
    /// $k(a, b)$.
    ///
    /// # Panics
    /// If a length-scale or variance is not > 0, or a polynomial offset is < 0.
    ///
    /// # Examples
    /// ```
    /// let k = course::inference::Kernel::Matern52 { length_scale: 1.0, variance: 2.0 };
    /// assert_eq!(k.eval(0.3, 0.3), 2.0);
    /// ```
    pub fn eval(&self, a: f64, b: f64) -> f64 {
        self.validate();
        match *self {
            Kernel::Rbf { length_scale, variance } => variance * (-0.5 * ((a - b) / length_scale).powi(2)).exp(),
            Kernel::Matern32 { length_scale, variance } => {
                let u = 3f64.sqrt() * (a - b).abs() / length_scale;
                variance * (1.0 + u) * (-u).exp()
            }
            Kernel::Matern52 { length_scale, variance } => {
                let u = 5f64.sqrt() * (a - b).abs() / length_scale;
                variance * (1.0 + u + u * u / 3.0) * (-u).exp()
            }
            Kernel::Polynomial { degree, offset } => (a * b + offset).powi(degree as i32),
        }
    }

    fn validate(&self) {
        match *self {
            Kernel::Rbf { length_scale, variance } | Kernel::Matern32 { length_scale, variance } | Kernel::Matern52 { length_scale, variance } => {
                assert!(length_scale > 0.0, "kernel: length_scale must be > 0, got {length_scale}");
                assert!(variance > 0.0, "kernel: variance must be > 0, got {variance}");
            }
            Kernel::Polynomial { offset, .. } => assert!(offset >= 0.0, "kernel: polynomial offset must be >= 0, got {offset}"),
        }
    }

    /// The Gram matrix $K_{ij} = k(x_i, y_j)$ (`x.len()` × `y.len()`).
    ///
    /// # Examples
    /// ```
    /// use course::inference::Kernel;
    /// let g = Kernel::Matern32 { length_scale: 1.0, variance: 1.0 }.gram(&[0.0, 1.0], &[0.0, 1.0]);
    /// assert_eq!(g[[0, 0]], 1.0);
    /// assert!((g[[0, 1]] - (1.0 + 3f64.sqrt()) * (-3f64.sqrt()).exp()).abs() < 1e-15);
    /// ```
    pub fn gram(&self, x: &[f64], y: &[f64]) -> Array2<f64> {
        self.validate();
        Array2::from_shape_fn((x.len(), y.len()), |(i, j)| self.eval(x[i], y[j]))
    }
}

/// The smallest eigenvalue of a symmetric matrix (via [`crate::linalg::symmetric_eigen`]).
///
/// # Panics
/// If `k` is not square or is empty.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// assert!((course::inference::min_eigenvalue(&array![[2.0, 1.0], [1.0, 2.0]]) - 1.0).abs() < 1e-12);
/// ```
pub fn min_eigenvalue(k: &Array2<f64>) -> f64 {
    assert!(k.nrows() == k.ncols() && k.nrows() > 0, "min_eigenvalue: k must be square and non-empty, got {:?}", k.dim());
    let e = crate::linalg::symmetric_eigen(k);
    e.values[e.values.len() - 1]
}

/// Whether a symmetric matrix is positive semi-definite up to rounding: its smallest
/// eigenvalue is $\ge -\text{rel\_tol}\cdot\max_i|\lambda_i|$.
///
/// # Panics
/// If `k` is not square or is empty, or `rel_tol < 0`.
///
/// # Examples
/// ```
/// use course::inference::{Kernel, is_psd};
/// let x: Vec<f64> = (0..30).map(|i| i as f64 * 0.1).collect();
/// assert!(is_psd(&Kernel::Rbf { length_scale: 0.5, variance: 1.0 }.gram(&x, &x), 1e-10));
/// assert!(!is_psd(&course::ndarray::array![[1.0, 2.0], [2.0, 1.0]], 1e-10)); // eigenvalues 3, −1
/// ```
pub fn is_psd(k: &Array2<f64>, rel_tol: f64) -> bool {
    assert!(rel_tol >= 0.0, "is_psd: rel_tol must be >= 0, got {rel_tol}");
    assert!(k.nrows() == k.ncols() && k.nrows() > 0, "is_psd: k must be square and non-empty, got {:?}", k.dim());
    let e = crate::linalg::symmetric_eigen(k);
    let scale = e.values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    e.values[e.values.len() - 1] >= -rel_tol * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kernels() -> [Kernel; 4] {
        [
            Kernel::Rbf { length_scale: 0.7, variance: 2.0 },
            Kernel::Matern32 { length_scale: 0.7, variance: 2.0 },
            Kernel::Matern52 { length_scale: 0.7, variance: 2.0 },
            Kernel::Polynomial { degree: 3, offset: 1.0 },
        ]
    }

    #[test]
    fn gram_matrices_of_random_points_are_psd_and_symmetric() {
        let x = crate::rng::uniform_vec(&mut crate::rng::seeded(6), 40, -2.0, 2.0);
        for k in kernels() {
            let g = k.gram(&x, &x);
            assert!(is_psd(&g, 1e-10), "{k:?}");
            assert!((&g - &g.t()).iter().all(|v| *v == 0.0));
        }
        // Not a kernel: −|x − x'| has zero trace and is non-zero, so it has a negative eigenvalue.
        let bad = Array2::from_shape_fn((40, 40), |(i, j)| -(x[i] - x[j]).abs());
        assert!(!is_psd(&bad, 1e-10));
    }

    #[test]
    fn second_order_taylor_coefficients_at_zero() {
        // k(0, r)/σ² = 1 + c r² + O(r³) with c = −1/(2ℓ²) (RBF), −3/(2ℓ²) (Matérn 3/2),
        // −5/(6ℓ²) (Matérn 5/2), from expanding the closed forms.
        let (l, r) = (1.0, 1e-3);
        let c = |k: Kernel| (k.eval(0.0, r) - 1.0) / (r * r);
        assert!((c(Kernel::Rbf { length_scale: l, variance: 1.0 }) + 0.5).abs() < 1e-5);
        assert!((c(Kernel::Matern32 { length_scale: l, variance: 1.0 }) + 1.5).abs() < 1e-2);
        assert!((c(Kernel::Matern52 { length_scale: l, variance: 1.0 }) + 5.0 / 6.0).abs() < 1e-2);
    }

    #[test]
    fn polynomial_kernel_is_an_inner_product_of_features() {
        let (p, c) = (4u32, 0.5);
        let phi = crate::inference::polynomial_features(&[0.3, -1.2], p, c);
        let k = Kernel::Polynomial { degree: p, offset: c }.eval(0.3, -1.2);
        assert!((phi.row(0).dot(&phi.row(1)) - k).abs() < 1e-12);
    }
}
