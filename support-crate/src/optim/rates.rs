//! Measured rates: the slope of a convergence curve on log-log or semilog axes.
//!
//! If $e_k \approx C k^{-p}$ then $\ln e_k \approx \ln C - p\ln k$: the least-squares slope of
//! $\ln e_k$ against $\ln k$ is $-p$ ([`loglog_slope`]). If $e_k\approx C\rho^k$ then
//! $\ln e_k \approx \ln C + k\ln\rho$: the slope against $k$ is $\ln\rho$ ([`semilog_slope`]),
//! and $\rho$ = `semilog_slope(..).exp()` is the contraction per step. Both fit only the points
//! whose abscissa lies in a chosen window, where the asymptotic regime holds (before
//! round-off, after the transient).
//!
//! ## Reference
//! Any numerical-analysis text on measured orders, e.g. LeVeque, *Finite Difference Methods for
//! Ordinary and Partial Differential Equations* (2007), §A.6.
//!
//! Used in notebooks/04-gradient-descent.ipynb, notebooks/05-momentum-and-adaptive-methods.ipynb
//! and notebooks/06-automatic-differentiation.ipynb.

/// About `n_points` distinct integers from 1 to `n_max`, spaced evenly on a log scale (for
/// plotting a long convergence curve on log axes without drawing every step).
///
/// # Panics
/// If `n_max == 0` or `n_points < 2`.
///
/// # Examples
/// ```
/// let k = course::optim::log_spaced(1000, 4);
/// assert_eq!(k, vec![1, 10, 100, 1000]);
/// ```
pub fn log_spaced(n_max: usize, n_points: usize) -> Vec<usize> {
    assert!(n_max > 0, "log_spaced: n_max must be > 0");
    assert!(n_points >= 2, "log_spaced: n_points must be >= 2, got {n_points}");
    let top = (n_max as f64).ln();
    let mut out: Vec<usize> = (0..n_points)
        .map(|i| ((top * i as f64 / (n_points - 1) as f64).exp().round() as usize).clamp(1, n_max))
        .collect();
    out.dedup();
    out
}

/// Least-squares slope of $\ln y$ against $\ln x$ over the points with $x$ in `x_range`
/// (inclusive).
///
/// # Panics
/// If the lengths differ, fewer than two points fall in the window, or a point in the window
/// has $x\le 0$ or $y\le 0$.
///
/// # Examples
/// ```
/// let k: Vec<f64> = (1..=100).map(|k| k as f64).collect();
/// let e: Vec<f64> = k.iter().map(|k| 3.0 / (k * k)).collect();
/// assert!((course::optim::loglog_slope(&k, &e, (10.0, 100.0)) + 2.0).abs() < 1e-12);
/// ```
pub fn loglog_slope(x: &[f64], y: &[f64], x_range: (f64, f64)) -> f64 {
    let (lx, ly) = window("loglog_slope", x, y, x_range, true);
    slope(&lx, &ly)
}

/// Least-squares slope of $\ln y$ against $x$ over the points with $x$ in `x_range`
/// (inclusive); `.exp()` of it is the contraction factor per unit of $x$.
///
/// # Panics
/// If the lengths differ, fewer than two points fall in the window, or a point in the window
/// has $y\le 0$.
///
/// # Examples
/// ```
/// let k: Vec<f64> = (0..50).map(|k| k as f64).collect();
/// let e: Vec<f64> = k.iter().map(|k| 0.9f64.powf(*k)).collect();
/// assert!((course::optim::semilog_slope(&k, &e, (0.0, 49.0)).exp() - 0.9).abs() < 1e-12);
/// ```
pub fn semilog_slope(x: &[f64], y: &[f64], x_range: (f64, f64)) -> f64 {
    let (lx, ly) = window("semilog_slope", x, y, x_range, false);
    slope(&lx, &ly)
}

fn window(what: &str, x: &[f64], y: &[f64], (lo, hi): (f64, f64), log_x: bool) -> (Vec<f64>, Vec<f64>) {
    assert_eq!(x.len(), y.len(), "{what}: x and y must have the same length, got {} and {}", x.len(), y.len());
    assert!(lo <= hi, "{what}: x_range must have low <= high, got ({lo}, {hi})");
    let (mut lx, mut ly) = (Vec::new(), Vec::new());
    for (&xi, &yi) in x.iter().zip(y) {
        if xi < lo || xi > hi {
            continue;
        }
        assert!(yi > 0.0 && yi.is_finite(), "{what}: y must be finite and > 0 in the window, got {yi} at x = {xi}");
        if log_x {
            assert!(xi > 0.0, "{what}: x must be > 0 in the window for a log axis, got {xi}");
        }
        lx.push(if log_x { xi.ln() } else { xi });
        ly.push(yi.ln());
    }
    assert!(lx.len() >= 2, "{what}: need at least 2 points with x in [{lo}, {hi}], got {}", lx.len());
    (lx, ly)
}

/// Ordinary least-squares slope of `y` on `x`.
fn slope(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    assert!(sxx > 0.0, "slope: the x values in the window are all equal");
    sxy / sxx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_agrees_with_the_normal_equations_of_a_line_fit() {
        // Oracle: QR least squares on [1, x] from the linear-algebra module.
        let x: Vec<f64> = (0..20).map(|i| i as f64 * 0.3).collect();
        let y: Vec<f64> = x.iter().enumerate().map(|(i, v)| 2.0 - 0.7 * v + 0.01 * ((i * 7 % 5) as f64 - 2.0)).collect();
        let design = ndarray::Array2::from_shape_fn((20, 2), |(i, j)| if j == 0 { 1.0 } else { x[i] });
        let coef = crate::learning::lstsq_qr(&design, &ndarray::Array1::from(y.clone())).unwrap();
        assert!((slope(&x, &y) - coef[1]).abs() < 1e-12);
    }

    #[test]
    fn window_keeps_only_the_asymptotic_part() {
        // e_k = 1/k + 1e-12 flattens at round-off; a window before that still gives −1.
        let k: Vec<f64> = (1..=10_000).map(|k| k as f64).collect();
        let e: Vec<f64> = k.iter().map(|k| 1.0 / k + 1e-12).collect();
        assert!((loglog_slope(&k, &e, (10.0, 1000.0)) + 1.0).abs() < 1e-6);
    }

    #[test]
    #[should_panic(expected = "need at least 2 points")]
    fn empty_window_is_an_error() {
        loglog_slope(&[1.0, 2.0], &[1.0, 0.5], (5.0, 6.0));
    }
}
