//! The exact Wasserstein-1 distance between a 1-D sample and a 1-D Gaussian mixture.
//!
//! In one dimension $W_1(\mu, \nu) = \int_{\mathbb R}|F_\mu(x) - F_\nu(x)|\,dx$. For the empirical law of sorted
//! $x_{(1)}\le\dots\le x_{(n)}$, $F_n = i/n$ on $[x_{(i)}, x_{(i+1)})$, and for the mixture
//! $F(x) = \sum_k w_k\Phi(z_k)$, $z_k = (x - \mu_k)/s_k$, the antiderivative is closed-form:
//! $$G(x) = \int_{-\infty}^x F = \sum_k w_k\,s_k\,\big(z_k\Phi(z_k) + \varphi(z_k)\big).$$
//! On each interval $|i/n - F|$ changes sign at most once (at the quantile $F^{-1}(i/n)$, found by bisection),
//! so the integral is a sum of differences of $G$: no sampling of the reference, no grid. For exact samples
//! $W_1 = O(n^{-1/2})$, the metric's noise floor.
//!
//! ## Reference
//! C. Villani, *Optimal Transport: Old and New* (2009), Remark 2.19 (the 1-D formula).
//!
//! Used in notebooks/32-score-sdes-and-edm.ipynb.

use crate::generative::diffusion::GaussianMixture;
use crate::probability::{normal_cdf, normal_pdf};

fn cdf(g: &GaussianMixture, x: f64) -> f64 {
    (0..g.weights.len()).map(|k| g.weights[k] * normal_cdf((x - g.means[[k, 0]]) / g.variances[[k, 0]].sqrt())).sum()
}

/// $\int_{-\infty}^x F$.
fn cdf_integral(g: &GaussianMixture, x: f64) -> f64 {
    (0..g.weights.len())
        .map(|k| {
            let s = g.variances[[k, 0]].sqrt();
            let z = (x - g.means[[k, 0]]) / s;
            g.weights[k] * s * (z * normal_cdf(z) + normal_pdf(z))
        })
        .sum()
}

/// $\int_a^b |c - F(x)|\,dx$ for $a \le b$ ($F$ increasing: one sign change at most).
fn abs_gap(g: &GaussianMixture, a: f64, b: f64, c: f64) -> f64 {
    let (fa, fb) = (cdf(g, a), cdf(g, b));
    let above = |a: f64, b: f64| cdf_integral(g, b) - cdf_integral(g, a) - c * (b - a); // ∫(F − c)
    if fa >= c {
        above(a, b).max(0.0)
    } else if fb <= c {
        (-above(a, b)).max(0.0)
    } else {
        let (mut lo, mut hi) = (a, b);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if cdf(g, mid) < c { lo = mid } else { hi = mid }
        }
        let q = 0.5 * (lo + hi);
        (-above(a, q)).max(0.0) + above(q, b).max(0.0)
    }
}

/// $W_1$ between the empirical law of `samples` and the 1-D mixture `mixture`, exactly (up to rounding).
///
/// # Panics
/// If `samples` is empty or not finite, or `mixture` is not 1-D.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, sde::mixture_w1};
/// let g = GaussianMixture::new(vec![1.0], array![[0.0]], array![[1.0]]);
/// // one point at 0 against N(0, 1): E|Z| = √(2/π)
/// assert!((mixture_w1(&[0.0], &g) - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-12);
/// ```
pub fn mixture_w1(samples: &[f64], mixture: &GaussianMixture) -> f64 {
    assert!(!samples.is_empty(), "samples must be non-empty");
    assert!(samples.iter().all(|v| v.is_finite()), "samples must be finite");
    assert_eq!(mixture.dim(), 1, "mixture must be 1-D, got dim {}", mixture.dim());
    let mut xs = samples.to_vec();
    xs.sort_unstable_by(f64::total_cmp);
    let n = xs.len() as f64;
    // left tail: ∫_{-∞}^{x_(1)} F = G(x_(1)); right tail: ∫_{x_(n)}^∞ (1 − F) = Σ w s (φ(z) − z(1 − Φ(z)))
    let mut total = cdf_integral(mixture, xs[0]);
    for i in 0..xs.len() - 1 {
        total += abs_gap(mixture, xs[i], xs[i + 1], (i + 1) as f64 / n);
    }
    let last = xs[xs.len() - 1];
    total += (0..mixture.weights.len())
        .map(|k| {
            let s = mixture.variances[[k, 0]].sqrt();
            let z = (last - mixture.means[[k, 0]]) / s;
            mixture.weights[k] * s * (normal_pdf(z) - z * normal_cdf(-z))
        })
        .sum::<f64>();
    total
}

/// The quantiles $F^{-1}\big((i - \tfrac12)/n\big)$, $i = 1..n$, of a 1-D mixture (bisection to machine precision), as an
/// $n\times1$ column: a *stratified* sample whose empirical law is within $O(1/n)$ of the mixture in $W_1$.
/// Pushed through a deterministic 1-D sampler (an increasing map) it measures the sampler's own error without
/// the $O(n^{-1/2})$ noise of a random sample.
///
/// # Panics
/// If `n_samples == 0` or `mixture` is not 1-D.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, sde::mixture_quantiles};
/// let g = GaussianMixture::new(vec![1.0], array![[1.0]], array![[4.0]]);
/// let q = mixture_quantiles(&g, 2);
/// // N(1, 4) at 1/4 and 3/4: 1 ∓ 2·0.6744897501960817
/// assert!((q[[0, 0]] - (1.0 - 2.0 * 0.6744897501960817)).abs() < 1e-9 && (q[[1, 0]] + q[[0, 0]] - 2.0).abs() < 1e-9);
/// ```
pub fn mixture_quantiles(mixture: &GaussianMixture, n_samples: usize) -> ndarray::Array2<f64> {
    assert!(n_samples > 0, "n_samples must be > 0");
    assert_eq!(mixture.dim(), 1, "mixture must be 1-D, got dim {}", mixture.dim());
    let spread = (0..mixture.weights.len()).map(|k| mixture.means[[k, 0]].abs() + 40.0 * mixture.variances[[k, 0]].sqrt()).fold(0.0, f64::max);
    ndarray::Array2::from_shape_fn((n_samples, 1), |(i, _)| {
        let u = (i as f64 + 0.5) / n_samples as f64;
        let (mut lo, mut hi) = (-spread, spread);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if cdf(mixture, mid) < u { lo = mid } else { hi = mid }
            if hi - lo <= 1e-14 * (1.0 + mid.abs()) { break; }
        }
        0.5 * (lo + hi)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn matches_brute_force_integration() {
        let g = GaussianMixture::new(vec![0.3, 0.7], array![[-2.0], [1.5]], array![[0.09], [0.25]]);
        let xs = [-2.5, -1.0, 0.3, 1.1, 1.4, 3.0];
        // the integral of |F_n − F| by the midpoint rule on a fine grid
        let (a, b, m) = (-8.0, 8.0, 400_000);
        let h = (b - a) / m as f64;
        let brute: f64 = (0..m)
            .map(|j| {
                let x = a + (j as f64 + 0.5) * h;
                let fnx = xs.iter().filter(|&&v| v <= x).count() as f64 / xs.len() as f64;
                (fnx - cdf(&g, x)).abs() * h
            })
            .sum();
        let exact = mixture_w1(&xs, &g);
        assert!((exact - brute).abs() < 1e-6, "{exact} vs {brute}");
    }

    #[test]
    fn a_shifted_exact_quantile_sample_is_about_the_shift_away() {
        // the quantiles (i − ½)/n of N(0, 1) shifted by 0.2: W1 → 0.2 as n grows
        let g = GaussianMixture::new(vec![1.0], array![[0.0]], array![[1.0]]);
        let q: Vec<f64> = mixture_quantiles(&g, 4000).iter().copied().collect();
        // independent: Φ at the quantiles gives back (i − ½)/n
        for (i, v) in q.iter().enumerate().step_by(397) {
            assert!((normal_cdf(*v) - (i as f64 + 0.5) / 4000.0).abs() < 1e-12);
        }
        let at_quantiles = mixture_w1(&q, &g);
        assert!(at_quantiles < 1e-3, "{at_quantiles}");
        let shifted: Vec<f64> = q.iter().map(|v| v + 0.2).collect();
        assert!((mixture_w1(&shifted, &g) - 0.2).abs() < 1e-3);
    }

    #[test]
    #[should_panic(expected = "mixture must be 1-D")]
    fn two_dimensional_mixture_panics() {
        let g = GaussianMixture::isotropic(vec![1.0], array![[0.0, 0.0]], 1.0);
        mixture_w1(&[0.0], &g);
    }
}
