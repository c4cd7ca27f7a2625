//! Regularization as a filter on the singular values: ridge and early stopping.
//!
//! Take a design $X = \sqrt n\,U\Sigma V^\top$ (so that the Hessian of
//! $f(w) = \frac1{2n}\lVert Xw-y\rVert^2$ is $X^\top X/n = V\Sigma^2V^\top$). The least-squares
//! solution is $w^\star = \sum_i \frac{u_i^\top y}{\sqrt n\,\sigma_i}v_i$: small $\sigma_i$
//! amplify the noise in $u_i^\top y$. Both classic regularizers multiply term $i$ by a filter
//! factor $\varphi_i\in[0,1]$:
//! $$\text{ridge } \big(\min f + \tfrac\lambda2\lVert w\rVert^2\big):\ \varphi_i = \frac{\sigma_i^2}{\sigma_i^2+\lambda},
//!   \qquad \text{gradient descent from } 0,\ k \text{ steps of size } \alpha:\ \varphi_i = 1-(1-\alpha\sigma_i^2)^k .$$
//! Both are $\approx 1$ for $\sigma_i^2 \gg \lambda$ (resp. $\gg 1/(\alpha k)$) and
//! $\approx\sigma_i^2/\lambda$ (resp. $\alpha k\sigma_i^2$) below: early stopping after $k$ steps
//! acts like ridge with $\lambda \approx 1/(\alpha k)$.
//!
//! ## Reference
//! P. C. Hansen, *Rank-Deficient and Discrete Ill-Posed Problems* (1998), §4.2 and §6.3;
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), §7.8.
//!
//! Used in notebooks/04-gradient-descent.ipynb.

use crate::linalg::Qr;
use ndarray::{Array1, Array2};

/// The ridge filter factor $\sigma^2/(\sigma^2+\lambda)$.
///
/// # Panics
/// If `lambda < 0`.
///
/// # Examples
/// ```
/// assert_eq!(course::optim::ridge_filter(1.0, 1.0), 0.5); // σ² = λ: half the component survives
/// ```
pub fn ridge_filter(sigma: f64, lambda: f64) -> f64 {
    assert!(lambda >= 0.0, "ridge_filter: lambda must be >= 0, got {lambda}");
    sigma * sigma / (sigma * sigma + lambda)
}

/// The early-stopping filter factor $1-(1-\alpha\sigma^2)^k$ of `n_steps` gradient steps of size
/// `lr` from $w_0 = 0$.
///
/// # Panics
/// If `lr <= 0`.
///
/// # Examples
/// ```
/// assert_eq!(course::optim::early_stopping_filter(1.0, 0.5, 1), 0.5);
/// assert_eq!(course::optim::early_stopping_filter(1.0, 0.5, 2), 0.75);
/// ```
pub fn early_stopping_filter(sigma: f64, lr: f64, n_steps: usize) -> f64 {
    assert!(lr > 0.0 && lr.is_finite(), "early_stopping_filter: lr must be > 0, got {lr}");
    1.0 - (1.0 - lr * sigma * sigma).powi(i32::try_from(n_steps).expect("n_steps fits in an i32"))
}

/// A design matrix with prescribed singular values: $X = \sqrt n\,U\operatorname{diag}(\sigma)V^\top$
/// with $U$ ($n\times d$) and $V$ ($d\times d$) orthonormal from the QR factorizations of seeded
/// Gaussian matrices.
///
/// # Examples
/// ```
/// use course::optim::SpectralDesign;
/// let d = SpectralDesign::new(50, &[2.0, 1.0, 0.1], 3);
/// let h = d.x.t().dot(&d.x) / 50.0;
/// // tr(XᵀX/n) = Σσ² = 4 + 1 + 0.01
/// assert!((h[[0, 0]] + h[[1, 1]] + h[[2, 2]] - 5.01).abs() < 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct SpectralDesign {
    /// The design matrix $X$ ($n\times d$).
    pub x: Array2<f64>,
    /// Left singular vectors ($n\times d$, orthonormal columns).
    pub u: Array2<f64>,
    /// The singular values of $X/\sqrt n$.
    pub sigmas: Vec<f64>,
    /// Right singular vectors ($d\times d$, orthogonal).
    pub v: Array2<f64>,
}

impl SpectralDesign {
    /// Builds $X$ with `n_samples` rows and the singular values `sigmas` (of $X/\sqrt n$).
    ///
    /// # Panics
    /// If `sigmas` is empty or holds a value <= 0, or `n_samples < sigmas.len()`.
    pub fn new(n_samples: usize, sigmas: &[f64], seed: u64) -> Self {
        let d = sigmas.len();
        assert!(d > 0, "SpectralDesign::new: sigmas must not be empty");
        assert!(sigmas.iter().all(|s| *s > 0.0 && s.is_finite()), "SpectralDesign::new: sigmas must be finite and > 0, got {sigmas:?}");
        assert!(n_samples >= d, "SpectralDesign::new: n_samples must be >= the number of sigmas ({d}), got {n_samples}");
        let mut rng = crate::rng::seeded(seed);
        let gu = Array2::from_shape_vec((n_samples, d), crate::rng::normal_vec(&mut rng, n_samples * d)).expect("n × d");
        let gv = Array2::from_shape_vec((d, d), crate::rng::normal_vec(&mut rng, d * d)).expect("d × d");
        let (u, v) = (Qr::new(&gu).q(), Qr::new(&gv).q());
        let scaled = Array2::from_shape_fn((n_samples, d), |(i, j)| u[[i, j]] * sigmas[j] * (n_samples as f64).sqrt());
        SpectralDesign { x: scaled.dot(&v.t()), u, sigmas: sigmas.to_vec(), v }
    }

    /// $\sum_i \varphi_i\,\frac{u_i^\top y}{\sqrt n\,\sigma_i}\,v_i$ for filter factors `filter`
    /// (all ones: least squares).
    ///
    /// # Panics
    /// If `y` or `filter` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// use course::optim::SpectralDesign;
    /// use ndarray::Array1;
    /// let d = SpectralDesign::new(20, &[1.0, 0.5], 1);
    /// let w = ndarray::array![1.0, -2.0];
    /// let y = d.x.dot(&w);
    /// let back = d.filtered(&y, &[1.0, 1.0]); // exact data, no filtering: w itself
    /// assert!((&back - &w).iter().all(|e| e.abs() < 1e-12));
    /// ```
    pub fn filtered(&self, y: &Array1<f64>, filter: &[f64]) -> Array1<f64> {
        let (n, d) = self.u.dim();
        assert_eq!(y.len(), n, "SpectralDesign::filtered: y must have {n} entries, got {}", y.len());
        assert_eq!(filter.len(), d, "SpectralDesign::filtered: filter must have {d} entries, got {}", filter.len());
        let uty = self.u.t().dot(y);
        let coef = Array1::from_shape_fn(d, |i| filter[i] * uty[i] / ((n as f64).sqrt() * self.sigmas[i]));
        self.v.dot(&coef)
    }

    /// The ridge solution $\arg\min \frac1{2n}\lVert Xw-y\rVert^2 + \frac\lambda2\lVert w\rVert^2$.
    ///
    /// # Examples
    /// ```
    /// use course::optim::SpectralDesign;
    /// let d = SpectralDesign::new(10, &[1.0], 2);
    /// let y = d.x.dot(&ndarray::array![3.0]);
    /// // One direction, σ = 1, λ = 1: the filter halves the exact coefficient 3.
    /// assert!((d.ridge_solution(&y, 1.0)[0] - 1.5).abs() < 1e-12);
    /// ```
    pub fn ridge_solution(&self, y: &Array1<f64>, lambda: f64) -> Array1<f64> {
        let phi: Vec<f64> = self.sigmas.iter().map(|s| ridge_filter(*s, lambda)).collect();
        self.filtered(y, &phi)
    }

    /// The iterate after `n_steps` gradient steps of size `lr` on $\frac1{2n}\lVert Xw-y\rVert^2$ from $w_0 = 0$.
    ///
    /// # Examples
    /// ```
    /// use course::optim::SpectralDesign;
    /// let d = SpectralDesign::new(10, &[1.0], 2);
    /// let y = d.x.dot(&ndarray::array![3.0]);
    /// // σ = 1, α = 0.5: one step recovers half of the coefficient 3, two steps three quarters.
    /// assert!((d.early_stopping_solution(&y, 0.5, 2)[0] - 2.25).abs() < 1e-12);
    /// ```
    pub fn early_stopping_solution(&self, y: &Array1<f64>, lr: f64, n_steps: usize) -> Array1<f64> {
        let phi: Vec<f64> = self.sigmas.iter().map(|s| early_stopping_filter(*s, lr, n_steps)).collect();
        self.filtered(y, &phi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{LeastSquares, gradient_descent};

    fn problem() -> (SpectralDesign, Array1<f64>) {
        let sigmas: Vec<f64> = (0..6).map(|i| 10f64.powf(-0.5 * i as f64)).collect();
        let d = SpectralDesign::new(40, &sigmas, 9);
        let y = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(10), 40));
        (d, y)
    }

    #[test]
    fn singular_values_are_the_prescribed_ones() {
        // Oracle: nalgebra's SVD, an independent implementation.
        let (d, _) = problem();
        let m = nalgebra::DMatrix::from_fn(40, 6, |i, j| d.x[[i, j]] / 40f64.sqrt());
        let mut sv: Vec<f64> = m.svd(false, false).singular_values.iter().copied().collect();
        sv.sort_by(|a, b| b.total_cmp(a));
        for (a, b) in sv.iter().zip(&d.sigmas) {
            assert!((a - b).abs() < 1e-12 * a.max(1.0), "{sv:?}");
        }
    }

    #[test]
    fn ridge_filter_gives_the_ridge_solution() {
        // Oracle: the stacked-QR ridge of the learning module, with penalty nλ for ‖Xw − y‖².
        let (d, y) = problem();
        let lambda = 0.01;
        let w = d.ridge_solution(&y, lambda);
        let oracle = crate::learning::ridge(&d.x, &y, 40.0 * lambda).unwrap();
        assert!((&w - &oracle).iter().all(|e| e.abs() < 1e-10), "{w} vs {oracle}");
    }

    #[test]
    fn early_stopping_filter_gives_the_gradient_descent_iterate() {
        // Oracle: gradient descent itself.
        let (d, y) = problem();
        let ls = LeastSquares::new(d.x.clone(), y.clone());
        let h = gradient_descent(&ls, &Array1::zeros(6), 0.5, 40);
        for k in [0, 1, 7, 40] {
            let w = d.early_stopping_solution(&y, 0.5, k);
            assert!((&w - &h.iterates[k]).iter().all(|e| e.abs() < 1e-10), "k = {k}");
        }
    }

    #[test]
    fn filters_agree_in_their_limits() {
        // σ² ≫ λ: both ≈ 1; σ² ≪ λ: ridge ≈ σ²/λ and early stopping ≈ αkσ², equal when λ = 1/(αk).
        assert!((ridge_filter(10.0, 1e-2) - 1.0).abs() < 1e-3);
        let (lr, k) = (0.1, 1000);
        let lambda = 1.0 / (lr * k as f64);
        let s = 1e-3;
        assert!((early_stopping_filter(s, lr, k) / ridge_filter(s, lambda) - 1.0).abs() < 1e-3);
    }
}
