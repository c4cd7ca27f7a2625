//! Polynomial regression: least squares on the features $1, t, t^2, \dots, t^d$.
//!
//! $$\hat f(t) = \sum_{k=0}^{d} w_k t^k,\qquad w = \arg\min_w \lVert V w - y\rVert^2 + \lambda\lVert w\rVert^2,$$
//! with the Vandermonde matrix $V_{ik} = t_i^k$. The training error can only fall as $d$ grows
//! (the models are nested); the test error falls, then rises: overfitting.
//!
//! ## Reference
//! Bishop, *Pattern Recognition and Machine Learning*, §1.1; Prince, *Understanding Deep
//! Learning*, ch. 8.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb.

use crate::linalg::LinalgError;
use ndarray::{Array1, Array2};

/// The Vandermonde matrix $V_{ik} = t_i^k$, $k = 0..=d$ (n × (d + 1)).
///
/// # Examples
/// ```
/// let v = course::learning::vandermonde(&[2.0, 3.0], 2);
/// assert_eq!(v, ndarray::array![[1.0, 2.0, 4.0], [1.0, 3.0, 9.0]]);
/// ```
pub fn vandermonde(t: &[f64], degree: usize) -> Array2<f64> {
    Array2::from_shape_fn((t.len(), degree + 1), |(i, k)| t[i].powi(k as i32))
}

/// A fitted polynomial $\hat f(t) = \sum_k w_k t^k$.
///
/// # Examples
/// ```
/// use course::learning::PolynomialFit;
/// // Three points determine the parabola 1 − t + t² exactly.
/// let p = PolynomialFit::fit(&[0.0, 1.0, 2.0], &[1.0, 1.0, 3.0], 2, 0.0).unwrap();
/// assert!((p.predict_one(3.0) - 7.0).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PolynomialFit {
    /// Coefficients $w_0, \dots, w_d$ (constant first).
    pub coefs: Array1<f64>,
}

impl PolynomialFit {
    /// Fits degree `degree` by least squares (QR) when `lambda == 0`, by ridge otherwise.
    ///
    /// # Errors
    /// If the features are numerically dependent (e.g. fewer distinct points than
    /// `degree + 1` with `lambda == 0`).
    ///
    /// # Panics
    /// If `t` and `y` differ in length, `lambda < 0`, or there are fewer points than
    /// coefficients with `lambda == 0`.
    pub fn fit(t: &[f64], y: &[f64], degree: usize, lambda: f64) -> Result<Self, LinalgError> {
        assert_eq!(t.len(), y.len(), "PolynomialFit::fit: t and y differ in length, {} and {}", t.len(), y.len());
        assert!(lambda >= 0.0, "PolynomialFit::fit: lambda must be >= 0, got {lambda}");
        assert!(
            lambda > 0.0 || t.len() > degree,
            "PolynomialFit::fit: degree {degree} needs at least {} points without regularization, got {}",
            degree + 1,
            t.len()
        );
        let v = vandermonde(t, degree);
        let y = Array1::from(y.to_vec());
        let coefs = if lambda == 0.0 {
            super::lstsq_qr(&v, &y)?
        } else {
            super::ridge(&v, &y, lambda)?
        };
        Ok(PolynomialFit { coefs })
    }

    /// The degree $d$.
    pub fn degree(&self) -> usize {
        self.coefs.len() - 1
    }

    /// $\hat f(t)$ by Horner's rule.
    pub fn predict_one(&self, t: f64) -> f64 {
        self.coefs.iter().rev().fold(0.0, |acc, &c| acc * t + c)
    }

    /// $\hat f$ at every point of `t`.
    pub fn predict(&self, t: &[f64]) -> Vec<f64> {
        t.iter().map(|&s| self.predict_one(s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_cubic_from_noiseless_samples() {
        let t = crate::linspace(-1.0, 1.0, 15);
        let y: Vec<f64> = t.iter().map(|s| 2.0 - s + 0.5 * s.powi(3)).collect();
        let p = PolynomialFit::fit(&t, &y, 3, 0.0).unwrap();
        let expected = [2.0, -1.0, 0.0, 0.5];
        assert!(p.coefs.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-12), "{}", p.coefs);
    }

    #[test]
    fn training_error_never_increases_with_degree() {
        let mut rng = crate::rng::seeded(31);
        let (t, y) = crate::data::regression_1d(&mut rng, 30, 0.3, |s| (3.0 * s).sin());
        let errs: Vec<f64> = (0..=12)
            .map(|d| crate::stats::mse(&PolynomialFit::fit(&t, &y, d, 0.0).unwrap().predict(&t), &y))
            .collect();
        for w in errs.windows(2) {
            assert!(w[1] <= w[0] + 1e-12, "{errs:?}");
        }
    }

    #[test]
    fn interpolates_when_points_equal_coefficients() {
        let t = [-1.0, -0.3, 0.2, 0.9];
        let y = [0.5, -1.0, 2.0, 0.0];
        let p = PolynomialFit::fit(&t, &y, 3, 0.0).unwrap();
        assert!(p.predict(&t).iter().zip(y).all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    #[should_panic(expected = "needs at least 4 points")]
    fn too_few_points_is_rejected() {
        let _ = PolynomialFit::fit(&[0.0, 1.0], &[0.0, 1.0], 3, 0.0);
    }
}
