//! Descriptive statistics: mean, variance, mean squared error, density histograms.
//!
//! Used in notebooks/00-welcome.ipynb and notebooks/01-perceptron-and-regression.ipynb.

/// The sample mean $\bar x = \frac1n\sum_i x_i$.
///
/// # Panics
/// If `xs` is empty.
///
/// # Examples
/// ```
/// assert_eq!(course::stats::mean(&[1.0, 2.0, 6.0]), 3.0);
/// ```
pub fn mean(xs: &[f64]) -> f64 {
    assert!(!xs.is_empty(), "mean: xs must not be empty");
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// The unbiased sample variance $\frac1{n-1}\sum_i (x_i-\bar x)^2$.
///
/// # Panics
/// If `xs` has fewer than two values.
///
/// # Examples
/// ```
/// assert_eq!(course::stats::variance(&[1.0, 2.0, 6.0]), 7.0);
/// ```
pub fn variance(xs: &[f64]) -> f64 {
    assert!(xs.len() >= 2, "variance: need at least 2 values, got {}", xs.len());
    let m = mean(xs);
    xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64
}

/// Mean squared error $\frac1n\sum_i (a_i - b_i)^2$.
///
/// # Panics
/// If the lengths differ or are zero.
///
/// # Examples
/// ```
/// assert_eq!(course::stats::mse(&[1.0, 2.0], &[1.0, 4.0]), 2.0);
/// ```
pub fn mse(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "mse: lengths differ, {} and {}", a.len(), b.len());
    assert!(!a.is_empty(), "mse: inputs must not be empty");
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64
}

/// A histogram normalized to a density: `n_bins` equal bins spanning `[min, max]` of the
/// samples; returns the `n_bins + 1` edges and the `n_bins` heights, with
/// $\sum_k h_k\,\Delta = 1$.
///
/// # Panics
/// If `samples` is empty or holds a non-finite value, or `n_bins == 0`.
///
/// # Examples
/// ```
/// let (edges, h) = course::stats::density_histogram(&[0.0, 0.5, 1.0, 1.0], 2);
/// assert_eq!(edges, vec![0.0, 0.5, 1.0]);
/// assert_eq!(h, vec![0.5, 1.5]); // 1 of 4 samples in [0, .5), 3 in [.5, 1]; width .5
/// ```
pub fn density_histogram(samples: &[f64], n_bins: usize) -> (Vec<f64>, Vec<f64>) {
    assert!(n_bins > 0, "density_histogram: n_bins must be > 0");
    assert!(!samples.is_empty(), "density_histogram: samples must not be empty");
    if let Some(v) = samples.iter().find(|v| !v.is_finite()) {
        panic!("density_histogram: samples must be finite, found {v}");
    }
    let lo = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if hi == lo {
        hi = lo + 1.0;
    }
    let width = (hi - lo) / n_bins as f64;
    let mut counts = vec![0usize; n_bins];
    for &s in samples {
        let k = (((s - lo) / width) as usize).min(n_bins - 1);
        counts[k] += 1;
    }
    let n = samples.len() as f64;
    let edges = (0..=n_bins).map(|k| lo + k as f64 * width).collect();
    let heights = counts.iter().map(|&c| c as f64 / (n * width)).collect();
    (edges, heights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_integrates_to_one() {
        let xs = crate::rng::normal_vec(&mut crate::rng::seeded(5), 10_000);
        let (edges, h) = density_histogram(&xs, 37);
        let area: f64 = h.iter().zip(edges.windows(2)).map(|(h, e)| h * (e[1] - e[0])).sum();
        assert!((area - 1.0).abs() < 1e-12);
    }

    #[test]
    fn histogram_of_normal_matches_density_at_zero() {
        // Bin [−0.1, 0.1) holds probability ≈ 0.0797; its height ≈ φ(0) ≈ 0.3989. With n = 10⁵,
        // the standard error of the height is sqrt(p(1−p)/n)/0.2 ≈ 0.0043: 4 s.e. ≈ 0.017.
        let xs = crate::rng::normal_vec(&mut crate::rng::seeded(6), 100_000);
        let inside = xs.iter().filter(|x| x.abs() < 0.1).count() as f64;
        let height = inside / (xs.len() as f64 * 0.2);
        assert!((height - 0.3989).abs() < 0.017, "{height}");
    }
}
