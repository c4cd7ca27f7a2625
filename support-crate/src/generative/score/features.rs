//! Gaussian radial-basis features in 2-D and their gradients: the feature map of a score model
//! linear in its parameters.
//!
//! With centres $c_1,\dots,c_m\in\mathbb R^2$ and a width $h$,
//! $$\varphi_j(x) = \exp\Big(-\frac{|x-c_j|^2}{2h^2}\Big),\qquad
//! \nabla\varphi_j(x) = -\frac{x-c_j}{h^2}\,\varphi_j(x),$$
//! and a score model $s_\Theta(x) = \Theta^\top\varphi(x)$ with $\Theta\in\mathbb R^{m\times 2}$ has
//! divergence $\nabla\cdot s_\Theta(x) = \sum_{j,d}\Theta_{jd}\,\partial_d\varphi_j(x)$: implicit score
//! matching needs exactly the gradients of the features.
//!
//! ## Reference
//! A. Hyvärinen (2005), *Estimation of non-normalized statistical models by score matching*,
//! JMLR 6, §2; C. M. Bishop, *Pattern Recognition and Machine Learning* (2006), §3.1 (basis functions).
//!
//! Used in notebooks/30-score-matching.ipynb.

use ndarray::Array2;

/// Gaussian RBF features $\varphi_j(x) = e^{-|x-c_j|^2/2h^2}$ on $\mathbb R^2$.
///
/// # Examples
/// ```
/// use course::generative::score::RbfFeatures;
/// let f = RbfFeatures::grid(3, 2.0, 1.0); // 3 × 3 centres on [−2, 2]², width 1
/// assert_eq!(f.n_features(), 9);
/// assert_eq!(f.centres[4], [0.0, 0.0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RbfFeatures {
    /// The centres $c_j$.
    pub centres: Vec<[f64; 2]>,
    /// The common width $h$.
    pub width: f64,
}

impl RbfFeatures {
    /// Features with the given centres and `width`.
    ///
    /// # Panics
    /// If `centres` is empty or `width <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::score::RbfFeatures;
    /// let f = RbfFeatures::new(vec![[1.0, 0.0]], 0.5);
    /// assert_eq!(f.n_features(), 1);
    /// ```
    pub fn new(centres: Vec<[f64; 2]>, width: f64) -> RbfFeatures {
        assert!(!centres.is_empty(), "RbfFeatures: centres must be non-empty");
        assert!(width.is_finite() && width > 0.0, "RbfFeatures: width must be > 0, got {width}");
        RbfFeatures { centres, width }
    }

    /// `side` × `side` centres evenly spaced on $[-L, L]^2$ with $L$ = `half_width`.
    ///
    /// # Panics
    /// If `side < 2`, `half_width <= 0` or `width <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::score::RbfFeatures;
    /// let f = RbfFeatures::grid(5, 4.0, 1.5);
    /// assert_eq!(f.centres[0], [-4.0, -4.0]);
    /// assert_eq!(f.centres[24], [4.0, 4.0]);
    /// ```
    pub fn grid(side: usize, half_width: f64, width: f64) -> RbfFeatures {
        assert!(side >= 2, "RbfFeatures::grid: side must be >= 2, got {side}");
        assert!(half_width.is_finite() && half_width > 0.0, "RbfFeatures::grid: half_width must be > 0, got {half_width}");
        let step = 2.0 * half_width / (side - 1) as f64;
        let mut centres = Vec::with_capacity(side * side);
        for i in 0..side {
            for j in 0..side {
                centres.push([-half_width + i as f64 * step, -half_width + j as f64 * step]);
            }
        }
        RbfFeatures::new(centres, width)
    }

    /// The number of features $m$.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::generative::score::RbfFeatures::grid(4, 1.0, 1.0).n_features(), 16);
    /// ```
    pub fn n_features(&self) -> usize {
        self.centres.len()
    }

    /// $\Phi_{ij} = \varphi_j(x_i)$ for the rows $x_i$ of `x` (n × 2): an n × m matrix.
    ///
    /// # Panics
    /// If `x` does not have 2 columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::score::RbfFeatures;
    /// let f = RbfFeatures::new(vec![[0.0, 0.0], [1.0, 0.0]], 1.0);
    /// let phi = f.eval(&array![[0.0, 0.0]]);
    /// assert_eq!(phi[[0, 0]], 1.0);
    /// assert!((phi[[0, 1]] - (-0.5f64).exp()).abs() < 1e-15);
    /// ```
    pub fn eval(&self, x: &Array2<f64>) -> Array2<f64> {
        assert!(x.ncols() == 2, "RbfFeatures::eval: x must have 2 columns, got {}", x.ncols());
        let inv = 1.0 / (2.0 * self.width * self.width);
        Array2::from_shape_fn((x.nrows(), self.n_features()), |(i, j)| {
            let c = self.centres[j];
            (-((x[[i, 0]] - c[0]).powi(2) + (x[[i, 1]] - c[1]).powi(2)) * inv).exp()
        })
    }

    /// The gradients $(\partial_1\varphi_j(x_i), \partial_2\varphi_j(x_i))$ as two n × m matrices.
    ///
    /// # Panics
    /// If `x` does not have 2 columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::score::RbfFeatures;
    /// let f = RbfFeatures::new(vec![[0.0, 0.0]], 1.0);
    /// let (d1, d2) = f.grad(&array![[1.0, 0.0]]);
    /// // ∂₁ e^{−x²/2} at x = 1 is −e^{−1/2}; nothing along the second coordinate
    /// assert!((d1[[0, 0]] + (-0.5f64).exp()).abs() < 1e-15 && d2[[0, 0]] == 0.0);
    /// ```
    pub fn grad(&self, x: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
        let phi = self.eval(x);
        let h2 = self.width * self.width;
        let d1 = Array2::from_shape_fn(phi.dim(), |(i, j)| -(x[[i, 0]] - self.centres[j][0]) / h2 * phi[[i, j]]);
        let d2 = Array2::from_shape_fn(phi.dim(), |(i, j)| -(x[[i, 1]] - self.centres[j][1]) / h2 * phi[[i, j]]);
        (d1, d2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};

    #[test]
    fn gradient_matches_central_differences() {
        let f = RbfFeatures::grid(3, 1.5, 0.8);
        let x = Array2::from_shape_vec((10, 2), normal_vec(&mut seeded(1), 20)).unwrap();
        let (d1, d2) = f.grad(&x);
        let h = 1e-5;
        for (d, g) in [(0, &d1), (1, &d2)] {
            let mut xp = x.clone();
            let mut xm = x.clone();
            xp.column_mut(d).mapv_inplace(|v| v + h);
            xm.column_mut(d).mapv_inplace(|v| v - h);
            let fd = (f.eval(&xp) - f.eval(&xm)) / (2.0 * h);
            let err = (&fd - g).iter().fold(0.0f64, |m, v| m.max(v.abs()));
            // central differences: error ~ h² |φ'''| ≈ 1e-10
            assert!(err < 1e-8, "direction {d}: {err}");
        }
    }

    #[test]
    #[should_panic(expected = "width must be > 0")]
    fn zero_width_is_refused() {
        RbfFeatures::new(vec![[0.0, 0.0]], 0.0);
    }
}
