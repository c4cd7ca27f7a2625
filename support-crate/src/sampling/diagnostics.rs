//! Autocorrelation, integrated autocorrelation time and effective sample size of a chain.
//!
//! For a stationary chain $f(X_t)$ with autocorrelations $\rho_k$, the variance of the sample
//! mean of $n$ steps is $\operatorname{Var}f\cdot\tau/n$ with
//! $$\tau = 1 + 2\sum_{k\ge1}\rho_k,\qquad \text{ESS} = n/\tau .$$
//! The sum is estimated with Geyer's initial monotone sequence: pair sums
//! $\Gamma_j=\hat\rho_{2j}+\hat\rho_{2j+1}$ are positive and decreasing for a reversible chain,
//! so the sum stops at the first $\Gamma_j\le 0$ and each $\Gamma_j$ is capped by the previous one.
//! For an AR(1) chain $X_{t+1}=\phi X_t+\varepsilon_t$: $\rho_k=\phi^k$ and $\tau=(1+\phi)/(1-\phi)$.
//!
//! ## Reference
//! C. Geyer (1992), *Practical Markov chain Monte Carlo*, Statistical Science 7; A. Sokal (1997),
//! *Monte Carlo methods in statistical mechanics*.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

/// Sample autocorrelations $\hat\rho_0=1,\hat\rho_1,\dots,\hat\rho_{\text{max\_lag}}$ (direct sums,
/// normalized by $n$ — the usual biased estimator, which keeps the sequence positive definite).
///
/// # Panics
/// If `xs` has fewer than 2 values, is constant, or `max_lag >= xs.len()`.
///
/// # Examples
/// ```
/// let xs = [1.0, -1.0, 1.0, -1.0];
/// let r = course::sampling::autocorrelation(&xs, 1);
/// assert_eq!(r[0], 1.0);
/// assert!((r[1] + 0.75).abs() < 1e-15); // (−3)/4
/// ```
pub fn autocorrelation(xs: &[f64], max_lag: usize) -> Vec<f64> {
    assert!(xs.len() >= 2, "xs must hold at least 2 values, got {}", xs.len());
    assert!(max_lag < xs.len(), "max_lag must be < xs.len() = {}, got {max_lag}", xs.len());
    let c = centered(xs);
    let c0 = c.iter().map(|v| v * v).sum::<f64>();
    assert!(c0 > 0.0, "xs must not be constant");
    (0..=max_lag).map(|k| lag_sum(&c, k) / c0).collect()
}

/// Integrated autocorrelation time $\hat\tau$ by Geyer's initial monotone sequence (≥ 1 for
/// positively correlated chains; may be < 1 for antithetic ones).
///
/// # Panics
/// If `xs` has fewer than 4 values or is constant.
///
/// # Examples
/// ```
/// use course::rng::{seeded, normal_vec};
/// // AR(1) with φ = 0.5: τ = (1 + φ)/(1 − φ) = 3.
/// let z = normal_vec(&mut seeded(0), 200_000);
/// let mut x = vec![0.0; z.len()];
/// for t in 1..z.len() { x[t] = 0.5 * x[t - 1] + z[t]; }
/// let tau = course::sampling::integrated_autocorr_time(&x);
/// assert!((tau - 3.0).abs() < 0.15);
/// ```
pub fn integrated_autocorr_time(xs: &[f64]) -> f64 {
    let n = xs.len();
    assert!(n >= 4, "xs must hold at least 4 values, got {n}");
    let c = centered(xs);
    let c0 = c.iter().map(|v| v * v).sum::<f64>();
    assert!(c0 > 0.0, "xs must not be constant");
    let rho = |k: usize| lag_sum(&c, k) / c0;
    let mut sum = 0.0; // Σ Γ_j
    let mut prev = f64::INFINITY;
    let mut j = 0;
    while 2 * j + 1 < n {
        let gamma = rho(2 * j) + rho(2 * j + 1);
        if gamma <= 0.0 {
            break;
        }
        let g = gamma.min(prev);
        sum += g;
        prev = g;
        j += 1;
    }
    (2.0 * sum - 1.0).max(1.0 / n as f64)
}

/// Effective sample size $n/\hat\tau$.
///
/// # Panics
/// As [`integrated_autocorr_time`].
///
/// # Examples
/// ```
/// // Independent draws: ESS ≈ n.
/// let z = course::rng::normal_vec(&mut course::rng::seeded(3), 20_000);
/// let ess = course::sampling::effective_sample_size(&z);
/// assert!((ess / 20_000.0 - 1.0).abs() < 0.1);
/// ```
pub fn effective_sample_size(xs: &[f64]) -> f64 {
    xs.len() as f64 / integrated_autocorr_time(xs)
}

/// A Monte Carlo estimate of $\mathbb E f$ from correlated draws: the mean, its standard error
/// $\sqrt{\widehat{\operatorname{Var}} f/\text{ESS}}$ and the ESS.
#[derive(Clone, Copy, Debug)]
pub struct McEstimate {
    /// Sample mean.
    pub mean: f64,
    /// Standard error of the mean, from the ESS.
    pub se: f64,
    /// Effective sample size.
    pub ess: f64,
}

/// The mean of `xs` with its ESS-based standard error.
///
/// # Panics
/// As [`integrated_autocorr_time`].
///
/// # Examples
/// ```
/// let z = course::rng::normal_vec(&mut course::rng::seeded(4), 10_000);
/// let e = course::sampling::mcmc_estimate(&z);
/// assert!(e.mean.abs() < 4.0 * e.se);          // the true mean 0, within 4 s.e.
/// assert!((e.se - 0.01).abs() < 0.001);        // ≈ 1/√n for independent draws
/// ```
pub fn mcmc_estimate(xs: &[f64]) -> McEstimate {
    let n = xs.len() as f64;
    let ess = effective_sample_size(xs);
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    McEstimate { mean, se: (var / ess).sqrt(), ess }
}

fn centered(xs: &[f64]) -> Vec<f64> {
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    xs.iter().map(|v| v - m).collect()
}

fn lag_sum(c: &[f64], k: usize) -> f64 {
    c[..c.len() - k].iter().zip(&c[k..]).map(|(a, b)| a * b).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};

    fn ar1(phi: f64, n: usize, seed: u64) -> Vec<f64> {
        let z = normal_vec(&mut seeded(seed), n);
        let mut x = vec![0.0; n];
        x[0] = z[0] / (1.0 - phi * phi).sqrt(); // start in stationarity
        for t in 1..n {
            x[t] = phi * x[t - 1] + z[t];
        }
        x
    }

    #[test]
    fn ar1_autocorrelation_is_geometric() {
        let x = ar1(0.8, 400_000, 1);
        let r = autocorrelation(&x, 10);
        for (k, rk) in r.iter().enumerate() {
            assert!((rk - 0.8f64.powi(k as i32)).abs() < 0.01, "lag {k}: {rk}");
        }
    }

    #[test]
    fn ar1_integrated_time_matches_the_closed_form_over_seeds() {
        for &phi in &[0.0, 0.5, 0.9] {
            let exact = (1.0 + phi) / (1.0 - phi);
            for seed in 0..6 {
                let tau = integrated_autocorr_time(&ar1(phi, 200_000, 10 + seed));
                // Relative s.e. of τ̂ is about √(2(2K+1)/n) with K ≈ a few τ lags: < 3% here.
                assert!((tau / exact - 1.0).abs() < 0.1, "phi {phi} seed {seed}: {tau} vs {exact}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "max_lag must be < xs.len() = 3, got 3")]
    fn rejects_long_lags() {
        autocorrelation(&[1.0, 2.0, 3.0], 3);
    }
}
