//! Kernel ridge regression and the representer theorem.
//!
//! $$\hat f = \arg\min_{f\in\mathcal H_k}\ \sum_{i=1}^n\big(y_i - f(x_i)\big)^2 + \lambda\lVert f\rVert_{\mathcal H_k}^2
//!   = \sum_{i=1}^n \alpha_i\,k(x_i,\cdot),\qquad (K + \lambda I)\alpha = y .$$
//! The representer theorem says the minimizer lies in the span of the $n$ functions
//! $k(x_i,\cdot)$, so an infinite-dimensional problem becomes an $n\times n$ linear system. With
//! an explicit feature map $k(x,x') = \langle\varphi(x),\varphi(x')\rangle$ it is ordinary ridge
//! regression on $\Phi$: $w = (\Phi^\top\Phi+\lambda I)^{-1}\Phi^\top y = \Phi^\top(\Phi\Phi^\top+\lambda I)^{-1}y = \Phi^\top\alpha$.
//!
//! ## Reference
//! G. Kimeldorf & G. Wahba (1971), *Some results on Tchebycheffian spline functions*;
//! B. Schölkopf, R. Herbrich & A. Smola (2001), *A generalized representer theorem*;
//! Shawe-Taylor & Cristianini, *Kernel Methods for Pattern Analysis* (2004), §2.2.
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use super::{Kernel, SpdFactor};
use ndarray::{Array1, Array2};

/// A fitted kernel ridge regression: $\hat f(x) = \sum_i\alpha_i k(x_i, x)$.
///
/// # Examples
/// ```
/// use course::inference::{Kernel, KernelRidge};
/// let x = [0.0, 1.0, 2.0];
/// let y = [1.0, 3.0, 5.0];
/// let fit = KernelRidge::fit(Kernel::Polynomial { degree: 1, offset: 1.0 }, &x, &y, 1e-9);
/// assert!((fit.predict(&[3.0])[0] - 7.0).abs() < 1e-6); // the line y = 2x + 1
/// ```
#[derive(Clone, Debug)]
pub struct KernelRidge {
    /// The kernel.
    pub kernel: Kernel,
    /// Training inputs $x_i$.
    pub x: Vec<f64>,
    /// Representer coefficients $\alpha = (K+\lambda I)^{-1}y$.
    pub alpha: Array1<f64>,
    /// The regularization $\lambda$.
    pub lambda: f64,
}

impl KernelRidge {
    /// Solves $(K+\lambda I)\alpha = y$ by Cholesky.
    ///
    /// # Panics
    /// If `x` and `y` differ in length or are empty, `lambda <= 0`, or $K+\lambda I$ is not
    /// positive definite to working precision.
    ///
    /// # Examples
    /// ```
    /// use course::inference::{Kernel, KernelRidge};
    /// let fit = KernelRidge::fit(Kernel::Rbf { length_scale: 1.0, variance: 1.0 }, &[0.0], &[3.0], 2.0);
    /// assert!((fit.alpha[0] - 1.0).abs() < 1e-15); // 3/(1 + 2)
    /// ```
    pub fn fit(kernel: Kernel, x: &[f64], y: &[f64], lambda: f64) -> Self {
        assert!(!x.is_empty() && x.len() == y.len(), "KernelRidge::fit: x and y must have the same non-zero length, got {} and {}", x.len(), y.len());
        assert!(lambda > 0.0, "KernelRidge::fit: lambda must be > 0, got {lambda}");
        let k = kernel.gram(x, x) + Array2::<f64>::eye(x.len()) * lambda;
        let f = SpdFactor::new(&k).unwrap_or_else(|e| panic!("KernelRidge::fit: K + λI is not positive definite ({e}); increase lambda"));
        KernelRidge { kernel, x: x.to_vec(), alpha: f.solve(&Array1::from(y.to_vec())), lambda }
    }

    /// $\hat f(x) = \sum_i\alpha_ik(x_i,x)$ at each point of `x_new`.
    ///
    /// # Examples
    /// ```
    /// use course::inference::{Kernel, KernelRidge};
    /// let fit = KernelRidge::fit(Kernel::Rbf { length_scale: 1.0, variance: 1.0 }, &[0.0], &[3.0], 2.0);
    /// assert!((fit.predict(&[1.0])[0] - (-0.5f64).exp()).abs() < 1e-15); // α k(0, 1)
    /// ```
    pub fn predict(&self, x_new: &[f64]) -> Vec<f64> {
        self.kernel.gram(x_new, &self.x).dot(&self.alpha).to_vec()
    }

    /// The RKHS norm $\lVert\hat f\rVert_{\mathcal H}^2 = \alpha^\top K\alpha$.
    ///
    /// # Examples
    /// ```
    /// use course::inference::{Kernel, KernelRidge};
    /// let fit = KernelRidge::fit(Kernel::Rbf { length_scale: 1.0, variance: 1.0 }, &[0.0], &[2.0], 1.0);
    /// assert!((fit.rkhs_norm_sq() - 1.0).abs() < 1e-15); // α = 2/(1 + 1) = 1, K = 1
    /// ```
    pub fn rkhs_norm_sq(&self) -> f64 {
        self.alpha.dot(&self.kernel.gram(&self.x, &self.x).dot(&self.alpha))
    }
}

/// The explicit feature map of the polynomial kernel $(xx'+c)^p$ in one dimension:
/// $\varphi_j(x) = \sqrt{\binom pj c^{\,p-j}}\,x^j$, $j = 0,\dots,p$ (binomial theorem), one
/// row per point.
///
/// # Panics
/// If `offset < 0`.
///
/// # Examples
/// ```
/// let phi = course::inference::polynomial_features(&[2.0], 2, 1.0);
/// // (1, √2·x, x²) at x = 2
/// assert!((phi[[0, 1]] - 2.0 * 2f64.sqrt()).abs() < 1e-15 && phi[[0, 2]] == 4.0);
/// ```
pub fn polynomial_features(x: &[f64], degree: u32, offset: f64) -> Array2<f64> {
    assert!(offset >= 0.0, "polynomial_features: offset must be >= 0, got {offset}");
    let p = degree as usize;
    let binom = |n: usize, k: usize| (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64);
    Array2::from_shape_fn((x.len(), p + 1), |(i, j)| (binom(p, j) * offset.powi((p - j) as i32)).sqrt() * x[i].powi(j as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krr_equals_ridge_on_explicit_features() {
        let mut rng = crate::rng::seeded(9);
        let x = crate::rng::uniform_vec(&mut rng, 30, -1.5, 1.5);
        let y: Vec<f64> = x.iter().zip(crate::rng::normal_vec(&mut rng, 30)).map(|(t, e)| t.sin() + 0.1 * e).collect();
        let x_new = crate::linspace(-2.0, 2.0, 17);
        for &lambda in &[1e-3, 0.1, 10.0] {
            let fit = KernelRidge::fit(Kernel::Polynomial { degree: 5, offset: 1.0 }, &x, &y, lambda);
            let phi = polynomial_features(&x, 5, 1.0);
            let w = crate::learning::ridge(&phi, &Array1::from(y.clone()), lambda).unwrap();
            let pred = polynomial_features(&x_new, 5, 1.0).dot(&w);
            let krr = fit.predict(&x_new);
            for (a, b) in krr.iter().zip(pred.iter()) {
                assert!((a - b).abs() < 1e-8, "λ = {lambda}: {a} vs {b}");
            }
            // w = Φᵀα (the representer theorem in feature space).
            assert!((&phi.t().dot(&fit.alpha) - &w).iter().all(|v| v.abs() < 1e-8));
        }
    }

    #[test]
    fn the_representer_solution_beats_perturbations() {
        // Objective J(α) = ‖y − Kα‖² + λ αᵀKα is minimized at the fitted α.
        let x = crate::linspace(0.0, 3.0, 12);
        let y: Vec<f64> = x.iter().map(|t| (2.0 * t).cos()).collect();
        let k = Kernel::Matern52 { length_scale: 0.5, variance: 1.0 };
        let fit = KernelRidge::fit(k, &x, &y, 0.05);
        let g = k.gram(&x, &x);
        let ya = Array1::from(y);
        let j = |a: &Array1<f64>| {
            let r = &ya - &g.dot(a);
            r.dot(&r) + 0.05 * a.dot(&g.dot(a))
        };
        let best = j(&fit.alpha);
        let noise = crate::rng::normal_vec(&mut crate::rng::seeded(1), 12 * 5);
        for c in noise.chunks(12) {
            let a2 = &fit.alpha + &(Array1::from(c.to_vec()) * 1e-3);
            assert!(j(&a2) > best);
        }
    }
}
