//! Ridge regression (Tikhonov regularization).
//!
//! $$w_\lambda = \arg\min_w \lVert Xw - y\rVert^2 + \lambda\lVert w\rVert^2
//!   = (X^\top X + \lambda I)^{-1}X^\top y,$$
//! computed stably as the least-squares solution of the stacked system
//! $\begin{bmatrix} X \\ \sqrt\lambda I\end{bmatrix} w \approx \begin{bmatrix} y \\ 0\end{bmatrix}$.
//! In the SVD $X = U\Sigma V^\top$, ridge shrinks each component by
//! $\sigma_i^2/(\sigma_i^2+\lambda)$. All coefficients are penalized (centre the data first if
//! the intercept should not be).
//!
//! ## Reference
//! Hoerl & Kennard (1970); Strang, *Linear Algebra and Learning from Data*, II.4.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb.

use crate::linalg::{LinalgError, Qr};
use ndarray::{Array1, Array2, s};

/// The ridge solution $w_\lambda$.
///
/// # Errors
/// Only if `lambda == 0` and `x` is rank deficient.
///
/// # Panics
/// If `lambda < 0` or `y` does not have one entry per row of `x`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // One feature: w = Σxy / (Σx² + λ) = 4 / (2 + 2) = 1.
/// let w = course::learning::ridge(&array![[1.0], [1.0]], &array![2.0, 2.0], 2.0).unwrap();
/// assert!((w[0] - 1.0).abs() < 1e-12);
/// ```
pub fn ridge(x: &Array2<f64>, y: &Array1<f64>, lambda: f64) -> Result<Array1<f64>, LinalgError> {
    super::least_squares::check_shapes("ridge", x, y);
    assert!(lambda >= 0.0 && lambda.is_finite(), "ridge: lambda must be finite and >= 0, got {lambda}");
    let (m, n) = x.dim();
    let mut stacked = Array2::zeros((m + n, n));
    stacked.slice_mut(s![..m, ..]).assign(x);
    for j in 0..n {
        stacked[[m + j, j]] = lambda.sqrt();
    }
    let mut rhs = Array1::zeros(m + n);
    rhs.slice_mut(s![..m]).assign(y);
    Qr::new(&stacked).solve_least_squares(&rhs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::cholesky;

    fn problem(seed: u64) -> (Array2<f64>, Array1<f64>) {
        let mut rng = crate::rng::seeded(seed);
        let x = Array2::from_shape_vec((25, 5), crate::rng::normal_vec(&mut rng, 125)).unwrap();
        let y = Array1::from(crate::rng::normal_vec(&mut rng, 25));
        (x, y)
    }

    #[test]
    fn gradient_of_the_ridge_objective_vanishes() {
        // Optimality: Xᵀ(Xw − y) + λw = 0.
        let (x, y) = problem(41);
        let w = ridge(&x, &y, 0.7).unwrap();
        let g = x.t().dot(&(x.dot(&w) - &y)) + &w * 0.7;
        assert!(g.iter().all(|v| v.abs() < 1e-12), "{g}");
    }

    #[test]
    fn agrees_with_the_regularized_normal_equations() {
        let (x, y) = problem(42);
        let lambda = 3.0;
        let a = x.t().dot(&x) + Array2::<f64>::eye(5) * lambda;
        let l = cholesky(&a).unwrap();
        let z = crate::linalg::solve_lower(&l, &x.t().dot(&y)).unwrap();
        let w_ne = crate::linalg::solve_upper(&l.t().to_owned(), &z).unwrap();
        let w = ridge(&x, &y, lambda).unwrap();
        assert!((&w - &w_ne).iter().all(|v| v.abs() < 1e-12));
    }

    #[test]
    fn norm_shrinks_as_lambda_grows_and_lambda_zero_is_least_squares() {
        let (x, y) = problem(43);
        let norms: Vec<f64> = [0.0, 0.1, 1.0, 10.0, 100.0]
            .iter()
            .map(|&l| ridge(&x, &y, l).unwrap().dot(&ridge(&x, &y, l).unwrap()).sqrt())
            .collect();
        assert!(norms.windows(2).all(|w| w[1] < w[0]), "{norms:?}");
        let w0 = ridge(&x, &y, 0.0).unwrap();
        let ls = crate::learning::lstsq_qr(&x, &y).unwrap();
        assert!((&w0 - &ls).iter().all(|v| v.abs() < 1e-12));
    }

    #[test]
    #[should_panic(expected = "lambda must be finite and >= 0, got -1")]
    fn negative_lambda_is_rejected() {
        let (x, y) = problem(44);
        let _ = ridge(&x, &y, -1.0);
    }
}
