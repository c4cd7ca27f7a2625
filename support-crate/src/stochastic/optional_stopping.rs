//! Martingales and optional stopping: the simple random walk stopped at the exit of an
//! interval (gambler's ruin).
//!
//! $S_n = x_0 + \sum_{k\le n}\xi_k$, $\xi_k = \pm1$ with probability ½, is a martingale. For a
//! *bounded* stopping time $\tau$, $\mathbb E S_\tau = x_0$ (optional stopping). With
//! $\tau = \min\{n: S_n \in\{a, b\}\}\wedge N$ and $N\to\infty$ this gives the ruin probabilities
//! and, with the martingale $S_n^2 - n$, the mean duration:
//! $$\Pr(S_\tau = b) = \frac{x_0 - a}{b - a},\qquad \mathbb E\tau = (x_0 - a)(b - x_0).$$
//! For the unbounded $\tau_1 = \min\{n: S_n = 1\}$ (finite a.s.) the theorem fails:
//! $S_{\tau_1} = 1 \ne 0$, although $\mathbb E S_{\tau_1\wedge N} = 0$ for every $N$.
//!
//! ## Reference
//! D. Williams, *Probability with Martingales* (1991), ch. 10 (optional stopping, E10.7); R.
//! Durrett, *Probability: Theory and Examples* (2019), §4.8.
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb.

use rand::{Rng, RngExt};

/// Random walks stopped at $\tau\wedge N$.
#[derive(Clone, Debug, PartialEq)]
pub struct StoppedWalks {
    /// $S_{\tau\wedge N}$ for each walk.
    pub final_values: Vec<i64>,
    /// $\tau\wedge N$ for each walk.
    pub stopping_times: Vec<usize>,
    /// The upper barrier $b$.
    pub upper: i64,
}

impl StoppedWalks {
    /// The sample mean of $S_{\tau\wedge N}$.
    pub fn mean_final(&self) -> f64 {
        self.final_values.iter().map(|&v| v as f64).sum::<f64>() / self.final_values.len() as f64
    }
    /// The sample standard deviation of $S_{\tau\wedge N}$.
    pub fn sd_final(&self) -> f64 {
        let v: Vec<f64> = self.final_values.iter().map(|&v| v as f64).collect();
        crate::stats::variance(&v).sqrt()
    }
    /// The fraction of walks that reached the upper barrier.
    pub fn hit_upper_frequency(&self) -> f64 {
        self.final_values.iter().filter(|&&v| v == self.upper).count() as f64 / self.final_values.len() as f64
    }
    /// The sample mean of $\tau\wedge N$.
    pub fn mean_stopping_time(&self) -> f64 {
        self.stopping_times.iter().sum::<usize>() as f64 / self.stopping_times.len() as f64
    }
}

/// `n_paths` simple symmetric random walks from `x0`, each stopped when it hits `lower` or
/// `upper`, or after `max_steps` steps (a bounded stopping time).
///
/// # Panics
/// If not `lower < x0 < upper`, or `n_paths < 2`.
///
/// # Examples
/// ```
/// use course::stochastic::gamblers_ruin;
/// let r = gamblers_ruin(2, 0, 5, 10_000, 20_000, &mut course::rng::seeded(0));
/// // P(hit 5 before 0 from 2) = 2/5; the standard error is sqrt(0.24/20 000) ≈ 0.0035
/// assert!((r.hit_upper_frequency() - 0.4).abs() < 4.0 * 0.0035);
/// ```
pub fn gamblers_ruin(x0: i64, lower: i64, upper: i64, max_steps: usize, n_paths: usize, rng: &mut impl Rng) -> StoppedWalks {
    assert!(lower < x0 && x0 < upper, "gamblers_ruin: need lower < x0 < upper, got {lower}, {x0}, {upper}");
    assert!(n_paths >= 2, "gamblers_ruin: n_paths must be >= 2, got {n_paths}");
    let mut final_values = Vec::with_capacity(n_paths);
    let mut stopping_times = Vec::with_capacity(n_paths);
    for _ in 0..n_paths {
        let mut s = x0;
        let mut n = 0;
        while n < max_steps && s != lower && s != upper {
            // 64 fair coin flips at a time
            let mut bits: u64 = rng.random();
            let mut left = 64;
            while left > 0 && n < max_steps && s != lower && s != upper {
                s += if bits & 1 == 1 { 1 } else { -1 };
                bits >>= 1;
                left -= 1;
                n += 1;
            }
        }
        final_values.push(s);
        stopping_times.push(n);
    }
    StoppedWalks { final_values, stopping_times, upper }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn ruin_probability_and_duration_match_the_closed_forms_on_several_seeds() {
        // a = 0, b = 10, x0 = 3: P(b) = 0.3, E τ = 21 (sd of τ ≈ 20); N = 10⁵ is never reached in practice.
        for seed in 0..6 {
            let r = gamblers_ruin(3, 0, 10, 100_000, 10_000, &mut seeded(seed));
            let se_p = (0.3f64 * 0.7 / 10_000.0).sqrt();
            assert!((r.hit_upper_frequency() - 0.3).abs() < 4.0 * se_p, "seed {seed}");
            let taus: Vec<f64> = r.stopping_times.iter().map(|&t| t as f64).collect();
            let se_t = (crate::stats::variance(&taus) / 10_000.0).sqrt();
            assert!((r.mean_stopping_time() - 21.0).abs() < 4.0 * se_t, "seed {seed}: {}", r.mean_stopping_time());
            assert!((r.mean_final() - 3.0).abs() < 4.0 * r.sd_final() / 100.0);
        }
    }

    #[test]
    fn truncated_first_passage_keeps_mean_zero_exactly_in_expectation() {
        // τ₁ ∧ N with N = 100: E S = 0 (bounded stopping time), yet most walks end at 1.
        let r = gamblers_ruin(0, -1_000, 1, 100, 50_000, &mut seeded(9));
        assert!(r.mean_final().abs() < 4.0 * r.sd_final() / (50_000f64).sqrt());
        // P(τ₁ ≤ 100) = 1 − P(S₁₀₀ ∈ {0, −1}) ... ≈ 0.92
        assert!(r.hit_upper_frequency() > 0.9);
    }
}
