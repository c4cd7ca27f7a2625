//! The bias–variance decomposition, estimated by resampling training sets.
//!
//! For $y = f(x) + \varepsilon$ with $\operatorname{Var}\varepsilon = \sigma^2$ and a fit
//! $\hat f_D$ on a random training set $D$, at each test point
//! $$\mathbb E_{D,\varepsilon}\big[(\hat f_D(x) - y)^2\big]
//!   = \underbrace{(\mathbb E_D\hat f_D(x) - f(x))^2}_{\text{bias}^2} +
//!   \underbrace{\operatorname{Var}_D \hat f_D(x)}_{\text{variance}} + \sigma^2 .$$
//! With $R$ resampled sets, the empirical versions satisfy
//! $\frac1R\sum_r(\hat f_r - f)^2 = \text{bias}^2 + \text{variance}$ *exactly* (population
//! variance), which the tests check to rounding error.
//!
//! ## Reference
//! Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, §7.3; Prince,
//! *Understanding Deep Learning*, §8.2.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb.

use super::PolynomialFit;
use rand::Rng;

/// Bias², variance and noise of polynomial regression at one degree, averaged over test points.
#[derive(Clone, Debug, PartialEq)]
pub struct BiasVariance {
    pub degree: usize,
    /// $\frac1{|T|}\sum_{x\in T}(\bar f(x) - f(x))^2$ with $\bar f$ the mean fit.
    pub bias2: f64,
    /// $\frac1{|T|}\sum_{x\in T}\frac1R\sum_r(\hat f_r(x) - \bar f(x))^2$.
    pub variance: f64,
    /// $\sigma^2$.
    pub noise: f64,
    /// $\frac1{|T|R}\sum_{x,r}(\hat f_r(x) - f(x))^2$ (equals bias² + variance).
    pub error_to_truth: f64,
    /// Monte Carlo test MSE against fresh noisy labels (estimates bias² + variance + σ²).
    pub test_mse: f64,
    /// Standard error of `test_mse` (over the R repetitions).
    pub test_mse_se: f64,
}

/// Estimates the decomposition for polynomial fits of degree `degree` (ridge `lambda`) to
/// `n_train` points $x\sim U[-1,1]$, $y = f(x) + \sigma z$, over `n_repeats` training sets,
/// at the points `x_test`.
///
/// # Panics
/// If `n_repeats < 2`, `x_test` is empty, `noise_std < 0`, or a fit fails (too few points for
/// the degree without ridge).
///
/// # Examples
/// ```
/// let mut rng = course::rng::seeded(0);
/// let xt = course::linspace(-1.0, 1.0, 50);
/// let bv = course::learning::bias_variance(&mut rng, |x| x * x, 2, 20, 0.1, 0.0, 50, &xt);
/// assert!(bv.bias2 < 1e-4); // a quadratic model has no bias for a quadratic target
/// assert!((bv.error_to_truth - bv.bias2 - bv.variance).abs() < 1e-12);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn bias_variance(
    rng: &mut impl Rng,
    target: impl Fn(f64) -> f64,
    degree: usize,
    n_train: usize,
    noise_std: f64,
    lambda: f64,
    n_repeats: usize,
    x_test: &[f64],
) -> BiasVariance {
    assert!(n_repeats >= 2, "bias_variance: n_repeats must be >= 2, got {n_repeats}");
    assert!(!x_test.is_empty(), "bias_variance: x_test must not be empty");
    assert!(noise_std >= 0.0, "bias_variance: noise_std must be >= 0, got {noise_std}");
    let truth: Vec<f64> = x_test.iter().map(|&x| target(x)).collect();
    let mut preds = Vec::with_capacity(n_repeats);
    let mut test_errs = Vec::with_capacity(n_repeats);
    for r in 0..n_repeats {
        let (t, y) = crate::data::regression_1d(rng, n_train, noise_std, &target);
        let fit = PolynomialFit::fit(&t, &y, degree, lambda)
            .unwrap_or_else(|e| panic!("bias_variance: fit {r} of degree {degree} failed: {e}"));
        let p = fit.predict(x_test);
        let fresh = crate::rng::normal_vec(rng, x_test.len());
        let labels: Vec<f64> = truth.iter().zip(&fresh).map(|(f, z)| f + noise_std * z).collect();
        test_errs.push(crate::stats::mse(&p, &labels));
        preds.push(p);
    }
    let (nt, nr) = (x_test.len() as f64, n_repeats as f64);
    let (mut bias2, mut variance, mut error_to_truth) = (0.0, 0.0, 0.0);
    for (j, &f) in truth.iter().enumerate() {
        let mean = preds.iter().map(|p| p[j]).sum::<f64>() / nr;
        bias2 += (mean - f).powi(2) / nt;
        variance += preds.iter().map(|p| (p[j] - mean).powi(2)).sum::<f64>() / (nr * nt);
        error_to_truth += preds.iter().map(|p| (p[j] - f).powi(2)).sum::<f64>() / (nr * nt);
    }
    let test_mse = crate::stats::mean(&test_errs);
    let test_mse_se = (crate::stats::variance(&test_errs) / nr).sqrt();
    BiasVariance { degree, bias2, variance, noise: noise_std * noise_std, error_to_truth, test_mse, test_mse_se }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposition_identity_and_monte_carlo_agreement() {
        let mut rng = crate::rng::seeded(51);
        let xt = crate::linspace(-1.0, 1.0, 40);
        for degree in [1, 3, 7] {
            let bv = bias_variance(&mut rng, |x| (3.0 * x).sin(), degree, 25, 0.3, 0.0, 400, &xt);
            assert!((bv.error_to_truth - bv.bias2 - bv.variance).abs() < 1e-12);
            let predicted = bv.bias2 + bv.variance + bv.noise;
            // 4 standard errors of the Monte Carlo mean.
            assert!((bv.test_mse - predicted).abs() < 4.0 * bv.test_mse_se, "{bv:?}");
        }
    }

    #[test]
    fn low_degree_is_biased_high_degree_is_variable() {
        // Interior test points: near ±1 a degree-7 fit to 30 random points occasionally
        // extrapolates wildly, and those rare sets dominate both averages.
        let xt = crate::linspace(-0.8, 0.8, 40);
        let lo = bias_variance(&mut crate::rng::seeded(52), |x| (3.0 * x).sin(), 1, 30, 0.3, 0.0, 200, &xt);
        let hi = bias_variance(&mut crate::rng::seeded(53), |x| (3.0 * x).sin(), 7, 30, 0.3, 0.0, 200, &xt);
        assert!(lo.bias2 > 10.0 * hi.bias2, "{lo:?} {hi:?}");
        assert!(hi.variance > 3.0 * lo.variance, "{lo:?} {hi:?}");
    }
}
