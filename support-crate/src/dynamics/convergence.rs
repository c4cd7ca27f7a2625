//! Measured order of convergence: the slope of a log–log fit.
//!
//! If $\text{err}(\Delta t)\approx C\,\Delta t^{p}$ then
//! $\log\text{err} = \log C + p\log\Delta t$: the least-squares slope of the points
//! $(\log\Delta t_i, \log\text{err}_i)$ estimates the order $p$,
//! $$\hat p = \frac{\sum_i (u_i-\bar u)(v_i-\bar v)}{\sum_i (u_i-\bar u)^2},\qquad u_i=\log\Delta t_i,\ v_i = \log\text{err}_i .$$
//! The same fit measures any power law: $n^{-2}$ for piecewise-linear interpolation,
//! $n^{-1/2}$ for Monte Carlo.
//!
//! ## Reference
//! E. Hairer, S. P. Nørsett & G. Wanner, *Solving Ordinary Differential Equations I* (1993), §II.1.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb and notebooks/08-universal-approximation.ipynb.

/// The least-squares slope of $\log y$ against $\log x$ (natural logs; the base cancels).
///
/// # Panics
/// If the lengths differ, fewer than two points are given, a value is not finite and > 0, or
/// all `xs` are equal.
///
/// # Examples
/// ```
/// // y = 3 x⁻²: the slope is exactly −2.
/// let xs = [1.0, 2.0, 4.0, 8.0];
/// let ys: Vec<f64> = xs.iter().map(|x| 3.0 / (x * x)).collect();
/// assert!((course::dynamics::loglog_slope(&xs, &ys) + 2.0).abs() < 1e-12);
/// ```
pub fn loglog_slope(xs: &[f64], ys: &[f64]) -> f64 {
    assert_eq!(xs.len(), ys.len(), "loglog_slope: xs and ys must have the same length, got {} and {}", xs.len(), ys.len());
    assert!(xs.len() >= 2, "loglog_slope: need at least 2 points, got {}", xs.len());
    for (name, vs) in [("xs", xs), ("ys", ys)] {
        if let Some(v) = vs.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
            panic!("loglog_slope: {name} must be finite and > 0 (they go through a logarithm), found {v}");
        }
    }
    let u: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let v: Vec<f64> = ys.iter().map(|y| y.ln()).collect();
    let n = u.len() as f64;
    let (ub, vb) = (u.iter().sum::<f64>() / n, v.iter().sum::<f64>() / n);
    let sxx: f64 = u.iter().map(|a| (a - ub).powi(2)).sum();
    assert!(sxx > 0.0, "loglog_slope: xs must not all be equal");
    u.iter().zip(&v).map(|(a, b)| (a - ub) * (b - vb)).sum::<f64>() / sxx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_noisy_power_law_is_close_to_the_exponent() {
        // y = x^1.5 · (1 + small multiplicative noise): slope within 0.05 of 1.5.
        let xs: Vec<f64> = (1..=30).map(|k| k as f64).collect();
        let noise = crate::rng::normal_vec(&mut crate::rng::seeded(3), 30);
        let ys: Vec<f64> = xs.iter().zip(&noise).map(|(x, e)| x.powf(1.5) * (0.02 * e).exp()).collect();
        assert!((loglog_slope(&xs, &ys) - 1.5).abs() < 0.05);
    }

    #[test]
    fn slope_is_invariant_under_scaling() {
        let xs = [0.1, 0.2, 0.5];
        let ys = [1.0, 3.0, 2.0];
        let scaled: Vec<f64> = ys.iter().map(|y| 7.0 * y).collect();
        assert!((loglog_slope(&xs, &ys) - loglog_slope(&xs, &scaled)).abs() < 1e-12);
    }

    #[test]
    #[should_panic(expected = "ys must be finite and > 0")]
    fn zero_error_is_rejected_with_a_reason() {
        loglog_slope(&[1.0, 2.0], &[1.0, 0.0]);
    }
}
