//! Linear least squares $\min_w \lVert Xw - y\rVert_2^2$, two ways.
//!
//! Setting the gradient $2X^\top(Xw-y)$ to zero gives the **normal equations**
//! $X^\top X w = X^\top y$, solved here by Cholesky. With $X = QR$ they become $Rw = Q^\top y$,
//! which avoids forming $X^\top X$ (whose condition number is $\kappa(X)^2$).
//!
//! ## Reference
//! Strang, *Linear Algebra and Learning from Data*, II.2; Trefethen & Bau, Lecture 11.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb.

use crate::linalg::{LinalgError, Qr, cholesky, solve_lower, solve_upper};
use ndarray::{Array1, Array2};

/// Least squares by the normal equations $X^\top X w = X^\top y$ (Cholesky).
///
/// # Errors
/// If $X^\top X$ is not numerically positive definite (dependent columns).
///
/// # Panics
/// If `y` does not have one entry per row of `x`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]];
/// let w = course::learning::lstsq_normal(&x, &array![1.0, 2.0, 4.0]).unwrap();
/// assert!((w[0] - 5.0 / 6.0).abs() < 1e-12 && (w[1] - 1.5).abs() < 1e-12);
/// ```
pub fn lstsq_normal(x: &Array2<f64>, y: &Array1<f64>) -> Result<Array1<f64>, LinalgError> {
    check_shapes("lstsq_normal", x, y);
    let l = cholesky(&x.t().dot(x))?;
    let z = solve_lower(&l, &x.t().dot(y))?;
    solve_upper(&l.t().to_owned(), &z)
}

/// Least squares by Householder QR: $Rw = Q^\top y$.
///
/// # Errors
/// If `x` is numerically rank deficient.
///
/// # Panics
/// If `y` does not have one entry per row of `x`, or `x` has more columns than rows.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]];
/// let w = course::learning::lstsq_qr(&x, &array![1.0, 2.0, 4.0]).unwrap();
/// assert!((w[0] - 5.0 / 6.0).abs() < 1e-12 && (w[1] - 1.5).abs() < 1e-12);
/// ```
pub fn lstsq_qr(x: &Array2<f64>, y: &Array1<f64>) -> Result<Array1<f64>, LinalgError> {
    check_shapes("lstsq_qr", x, y);
    Qr::new(x).solve_least_squares(y)
}

pub(crate) fn check_shapes(what: &str, x: &Array2<f64>, y: &Array1<f64>) {
    assert_eq!(
        y.len(),
        x.nrows(),
        "{what}: y must have one entry per row of x ({} rows), got {}",
        x.nrows(),
        y.len()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_regression_matches_the_covariance_formula() {
        // Oracle: slope = cov(t, y)/var(t), intercept = ȳ − slope·t̄.
        let mut rng = crate::rng::seeded(21);
        let t = crate::rng::uniform_vec(&mut rng, 50, -2.0, 3.0);
        let noise = crate::rng::normal_vec(&mut rng, 50);
        let y: Vec<f64> = t.iter().zip(&noise).map(|(t, e)| 0.7 - 1.3 * t + 0.2 * e).collect();
        let (tm, ym) = (crate::stats::mean(&t), crate::stats::mean(&y));
        let cov: f64 = t.iter().zip(&y).map(|(a, b)| (a - tm) * (b - ym)).sum();
        let var: f64 = t.iter().map(|a| (a - tm).powi(2)).sum();
        let slope = cov / var;
        let intercept = ym - slope * tm;
        let x = Array2::from_shape_fn((50, 2), |(i, j)| if j == 0 { 1.0 } else { t[i] });
        let y = Array1::from(y);
        for w in [lstsq_normal(&x, &y).unwrap(), lstsq_qr(&x, &y).unwrap()] {
            assert!((w[0] - intercept).abs() < 1e-12 && (w[1] - slope).abs() < 1e-12, "{w}");
        }
    }

    #[test]
    fn qr_beats_normal_equations_on_an_ill_conditioned_vandermonde() {
        // κ(X) ≈ 1e7 for monomials of degree 11 on [0, 1]: the normal equations see κ² ≈ 1e14.
        let t = crate::linspace(0.0, 1.0, 40);
        let x = crate::learning::vandermonde(&t, 11);
        let w_true = Array1::from_shape_fn(12, |k| 1.0 / (k as f64 + 1.0));
        let y = x.dot(&w_true);
        let err = |w: Array1<f64>| (&w - &w_true).iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let e_qr = err(lstsq_qr(&x, &y).unwrap());
        let e_ne = lstsq_normal(&x, &y).map(err).unwrap_or(f64::INFINITY);
        assert!(e_qr < 1e-6, "QR error {e_qr}");
        assert!(e_ne > 100.0 * e_qr, "normal equations {e_ne} vs QR {e_qr}");
    }
}
