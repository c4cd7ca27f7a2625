//! Plain Monte Carlo and its error: $\hat\mu_n=\frac1n\sum_{i\le n}f(U_i)$ has RMSE $\sigma_f/\sqrt n$.
//!
//! For i.i.d. $U_i$ and $\sigma_f^2=\operatorname{Var}f(U)<\infty$,
//! $$\sqrt{\mathbb E(\hat\mu_n-\mu)^2}=\frac{\sigma_f}{\sqrt n},$$
//! whatever the dimension: on a log–log plot the error against $n$ is a line of slope $-1/2$.
//!
//! ## Reference
//! A. Owen, *Monte Carlo theory, methods and examples* (2013), ch. 2.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use rand::{Rng, RngExt};

/// The root-mean-square error of the plain Monte Carlo estimate of $\int_0^1 f$ (with exact value
/// `exact`), for each sample size in `n_samples`, over `n_reps` independent replications.
///
/// # Panics
/// If `n_reps < 2`, `n_samples` is empty or holds a 0.
///
/// # Examples
/// ```
/// // ∫₀¹ u du = 1/2 with σ_f² = 1/12: RMSE ≈ 1/√(12 n).
/// fn f(u: f64) -> f64 { u }
/// let r = course::sampling::mc_rmse(f, 0.5, &[100], 2000, &mut course::rng::seeded(0));
/// assert!((r[0] / (1.0 / 1200f64.sqrt()) - 1.0).abs() < 0.1);
/// ```
pub fn mc_rmse(f: impl Fn(f64) -> f64, exact: f64, n_samples: &[usize], n_reps: usize, rng: &mut impl Rng) -> Vec<f64> {
    assert!(n_reps >= 2, "n_reps must be >= 2, got {n_reps}");
    assert!(!n_samples.is_empty() && n_samples.iter().all(|&n| n > 0), "n_samples must be non-empty with entries > 0");
    n_samples
        .iter()
        .map(|&n| {
            let mse = (0..n_reps)
                .map(|_| {
                    let est = (0..n).map(|_| f(rng.random::<f64>())).sum::<f64>() / n as f64;
                    (est - exact).powi(2)
                })
                .sum::<f64>()
                / n_reps as f64;
            mse.sqrt()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn slope_is_minus_one_half_over_seeds() {
        fn quarter_circle(u: f64) -> f64 {
            4.0 * (1.0 - u * u).sqrt()
        }
        let ns = [100, 1000, 10_000];
        let nf: Vec<f64> = ns.iter().map(|&n| n as f64).collect();
        // σ_f² = 8 − π² + ... : Var 4√(1−U²) = 16·(2/3) − π² = 0.797.
        let sigma = (32.0 / 3.0 - std::f64::consts::PI.powi(2)).sqrt();
        for seed in 0..5 {
            let r = mc_rmse(quarter_circle, std::f64::consts::PI, &ns, 300, &mut seeded(seed));
            let slope = crate::optim::loglog_slope(&nf, &r, (1.0, 1e9));
            assert!((slope + 0.5).abs() < 0.05, "seed {seed}: slope {slope}");
            // Relative s.e. of an RMSE from 300 replications ≈ 1/√600 ≈ 4%.
            assert!((r[0] / (sigma / 10.0) - 1.0).abs() < 0.16);
        }
    }
}
