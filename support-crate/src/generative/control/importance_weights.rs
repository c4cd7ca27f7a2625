//! Importance weights: the normalizing-constant estimate, its standard error, the effective
//! sample size.
//!
//! With paths drawn from a proposal $Q$ and weights $w_i = d\tilde P/dQ$ (an unnormalized
//! target measure $\tilde P$ of total mass $Z$),
//! $$\hat Z = \frac1n\sum_{i=1}^n w_i,\qquad \mathbb E_Q\hat Z = Z,\qquad
//! \operatorname{se}(\log\hat Z) \approx \frac{\operatorname{sd}(w)}{\sqrt n\,\bar w},\qquad
//! \mathrm{ESS} = \frac{(\sum_i w_i)^2}{\sum_i w_i^2}\in[1, n].$$
//! Everything is computed from $\log w_i$ with the largest one factored out (weights of paths
//! span many orders of magnitude). The standard error is the delta method applied to $\hat Z$.
//!
//! ## Reference
//! A. B. Owen, *Monte Carlo theory, methods and examples* (2013), ch. 9 (importance sampling,
//! §9.3 effective sample size).
//!
//! Used in notebooks/35-stochastic-control-and-sampling.ipynb.

fn check_log_weights(who: &str, log_weights: &[f64]) {
    assert!(!log_weights.is_empty(), "{who}: log_weights must be non-empty");
    assert!(
        log_weights.iter().all(|v| !v.is_nan() && *v < f64::INFINITY),
        "{who}: log_weights must be finite or -inf (a zero weight), got a NaN or +inf"
    );
}

/// $\log\big(\frac1n\sum_i e^{\ell_i}\big)$, computed stably.
///
/// # Panics
/// If `log_weights` is empty or holds a NaN or $+\infty$.
///
/// # Examples
/// ```
/// use course::generative::control::log_mean_exp;
/// // weights 1 and 3 (in the log domain, shifted by 1000): mean 2
/// let l = log_mean_exp(&[1000.0, 1000.0 + 3f64.ln()]);
/// assert!((l - 1000.0 - 2f64.ln()).abs() < 1e-12);
/// ```
pub fn log_mean_exp(log_weights: &[f64]) -> f64 {
    check_log_weights("log_mean_exp", log_weights);
    let m = log_weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    let s: f64 = log_weights.iter().map(|l| (l - m).exp()).sum();
    m + (s / log_weights.len() as f64).ln()
}

/// The estimate $\log\hat Z$ and its delta-method standard error
/// $\operatorname{sd}(w)/(\sqrt n\,\bar w)$ (sample standard deviation with $n-1$).
///
/// # Panics
/// If fewer than 2 weights, a NaN or $+\infty$, or all weights are zero.
///
/// # Examples
/// ```
/// use course::generative::control::log_z_estimate;
/// // weights 1, 2, 3: mean 2, sd 1, se(log Ẑ) = 1/(√3·2)
/// let (log_z, se) = log_z_estimate(&[0.0, 2f64.ln(), 3f64.ln()]);
/// assert!((log_z - 2f64.ln()).abs() < 1e-12);
/// assert!((se - 1.0 / (2.0 * 3f64.sqrt())).abs() < 1e-12);
/// ```
pub fn log_z_estimate(log_weights: &[f64]) -> (f64, f64) {
    check_log_weights("log_z_estimate", log_weights);
    let n = log_weights.len();
    assert!(n >= 2, "log_z_estimate: needs at least 2 weights for a standard error, got {n}");
    let m = log_weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(m > f64::NEG_INFINITY, "log_z_estimate: all weights are zero");
    let w: Vec<f64> = log_weights.iter().map(|l| (l - m).exp()).collect();
    let mean = w.iter().sum::<f64>() / n as f64;
    let var = w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (m + mean.ln(), var.sqrt() / (mean * (n as f64).sqrt()))
}

/// Kish's effective sample size $(\sum w_i)^2/\sum w_i^2$ of the weights $e^{\ell_i}$.
///
/// # Panics
/// If `log_weights` is empty, holds a NaN or $+\infty$, or all weights are zero.
///
/// # Examples
/// ```
/// use course::generative::control::effective_sample_size;
/// assert!((effective_sample_size(&[5.0; 10]) - 10.0).abs() < 1e-9); // equal weights: n
/// // one weight dominates: ESS → 1
/// assert!(effective_sample_size(&[0.0, -50.0, -50.0]) < 1.0 + 1e-9);
/// ```
pub fn effective_sample_size(log_weights: &[f64]) -> f64 {
    check_log_weights("effective_sample_size", log_weights);
    let m = log_weights.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert!(m > f64::NEG_INFINITY, "effective_sample_size: all weights are zero");
    let (s1, s2) = log_weights.iter().fold((0.0, 0.0), |(a, b), l| {
        let w = (l - m).exp();
        (a + w, b + w * w)
    });
    s1 * s1 / s2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn estimates_the_constant_of_a_gaussian_by_importance_sampling() {
        // Target exp(-x²/2) (Z = √(2π)), proposal N(0, 2²): w = exp(-x²/2) / q(x).
        let mut rng = seeded(3);
        let n = 20_000;
        let lw: Vec<f64> = (0..n)
            .map(|_| {
                let x = 2.0 * crate::rng::normal_vec(&mut rng, 1)[0];
                -0.5 * x * x - (-(x * x) / 8.0 - (2.0 * (2.0 * std::f64::consts::PI).sqrt()).ln())
            })
            .collect();
        let (lz, se) = log_z_estimate(&lw);
        let truth = (2.0 * std::f64::consts::PI).sqrt().ln();
        assert!((lz - truth).abs() < 4.0 * se, "{lz} vs {truth} ± {se}");
        // Closed form: E_q w² / (E_q w)² = 4/√7 here (the proposal is 2× wider), so ESS ≈ n √7/4.
        let ess = effective_sample_size(&lw);
        assert!((ess / n as f64 - 7f64.sqrt() / 4.0).abs() < 0.02, "{ess}");
    }

    #[test]
    fn log_mean_exp_matches_the_direct_sum() {
        let lw = [0.1, -2.0, 1.5, 0.7];
        let direct = (lw.iter().map(|l: &f64| l.exp()).sum::<f64>() / 4.0).ln();
        assert!((log_mean_exp(&lw) - direct).abs() < 1e-14);
        assert!((log_z_estimate(&lw).0 - direct).abs() < 1e-14);
    }

    #[test]
    #[should_panic(expected = "log_weights must be non-empty")]
    fn empty_weights_are_refused() {
        log_mean_exp(&[]);
    }
}
