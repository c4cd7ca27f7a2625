//! The law of large numbers and the central limit theorem, measured.
//!
//! $$\bar X_n \xrightarrow{\text{a.s.}} \mu,\qquad
//! \sup_x\Big|\Pr\Big(\tfrac{\sqrt n(\bar X_n-\mu)}{\sigma}\le x\Big)-\Phi(x)\Big| \le \frac{C\rho}{\sigma^3\sqrt n}\quad(\text{Berry–Esseen}, C \le 0.4748)$$
//!
//! ## Reference
//! R. Durrett, *Probability: Theory and Examples* (5th ed., 2019), §2.4 (SLLN), §3.4 (CLT),
//! §3.4.4 (Berry–Esseen); I. Shevtsova (2011), *On the absolute constants in the Berry–Esseen
//! type inequalities* (C ≤ 0.4748).
//!
//! Used in notebooks/12-probability-and-concentration.ipynb.

use super::{Population, normal_cdf};

/// The running means $\bar x_k = \frac1k\sum_{i\le k} x_i$, $k = 1, \dots, n$.
///
/// # Examples
/// ```
/// assert_eq!(course::probability::running_means(&[1.0, 3.0, 2.0]), vec![1.0, 2.0, 2.0]);
/// ```
pub fn running_means(xs: &[f64]) -> Vec<f64> {
    let mut s = 0.0;
    xs.iter().enumerate().map(|(k, x)| {
        s += x;
        s / (k + 1) as f64
    }).collect()
}

/// $z = \sqrt n(\bar x - \mu)/\sigma$ for each sample mean in `means`.
///
/// # Panics
/// If `sigma <= 0` or `n == 0`.
///
/// # Examples
/// ```
/// let z = course::probability::standardize(&[0.6], 0.5, 0.5, 100);
/// assert!((z[0] - 2.0).abs() < 1e-12);
/// ```
pub fn standardize(means: &[f64], mu: f64, sigma: f64, n: usize) -> Vec<f64> {
    assert!(sigma > 0.0, "standardize: sigma must be > 0, got {sigma}");
    assert!(n > 0, "standardize: n must be > 0");
    let s = (n as f64).sqrt() / sigma;
    means.iter().map(|m| (m - mu) * s).collect()
}

/// The Kolmogorov distance $\sup_x |F_m(x) - \Phi(x)|$ between the empirical distribution
/// function of `z` and the standard normal one.
///
/// # Panics
/// If `z` is empty or holds a NaN.
///
/// # Examples
/// ```
/// // One point at 0: F jumps from 0 to 1 where Φ = 1/2.
/// assert_eq!(course::probability::ks_distance_normal(&[0.0]), 0.5);
/// ```
pub fn ks_distance_normal(z: &[f64]) -> f64 {
    assert!(!z.is_empty(), "ks_distance_normal: z must not be empty");
    assert!(z.iter().all(|v| !v.is_nan()), "ks_distance_normal: z must not hold NaN");
    let mut s = z.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() as f64;
    let mut d: f64 = 0.0;
    let mut i = 0;
    while i < s.len() {
        // Ties (lattice variables such as Bernoulli means): F jumps once over the whole tie.
        let mut j = i;
        while j + 1 < s.len() && s[j + 1] == s[i] {
            j += 1;
        }
        let f = normal_cdf(s[i]);
        d = d.max((f - i as f64 / m).abs()).max(((j + 1) as f64 / m - f).abs());
        i = j + 1;
    }
    d
}

/// Berry–Esseen's bound $0.4748\,\rho/(\sigma^3\sqrt n)$ on the Kolmogorov distance between the
/// law of the standardized mean of `n` draws and $\mathcal N(0, 1)$.
///
/// # Panics
/// If `n == 0`.
///
/// # Examples
/// ```
/// use course::probability::{Population, berry_esseen_bound};
/// // Bernoulli(1/2): ρ/σ³ = 1, so the bound is 0.4748/√n.
/// let b = berry_esseen_bound(Population::Bernoulli { p: 0.5 }, 100);
/// assert!((b - 0.04748).abs() < 1e-12);
/// ```
pub fn berry_esseen_bound(pop: Population, n: usize) -> f64 {
    assert!(n > 0, "berry_esseen_bound: n must be > 0");
    0.4748 * pop.third_abs_moment() / (pop.variance().powf(1.5) * (n as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probability::sample_means;
    use crate::rng::{normal_vec, seeded};

    #[test]
    fn ks_of_normal_samples_is_of_order_one_over_root_m() {
        // For m exact N(0,1) draws, √m·D_m is Kolmogorov-distributed: P(√m D > 1.95) ≈ 0.001.
        for seed in 0..8 {
            let z = normal_vec(&mut seeded(seed), 20_000);
            let d = ks_distance_normal(&z);
            assert!(d * (20_000f64).sqrt() < 1.95, "seed {seed}: D = {d}");
        }
    }

    #[test]
    fn ks_agrees_with_a_brute_force_sup_on_a_fine_grid() {
        let z = normal_vec(&mut seeded(3), 300);
        let brute = (0..=20_000)
            .map(|i| {
                let x = -5.0 + i as f64 * 5e-4;
                let f = z.iter().filter(|&&v| v <= x).count() as f64 / 300.0;
                (f - normal_cdf(x)).abs()
            })
            .fold(0.0, f64::max);
        let d = ks_distance_normal(&z);
        // the grid may miss the sup by at most a grid step times φ(0) < 2e-4 … and jumps
        assert!(d >= brute - 1e-12 && d - brute < 1.0 / 300.0 + 1e-3, "{d} vs {brute}");
    }

    #[test]
    fn clt_distance_is_below_berry_esseen_plus_sampling() {
        // Kolmogorov distance of 20 000 standardized means vs Φ ≤ Berry–Esseen + 1.95/√m,
        // on several seeds and populations.
        for (seed, pop) in [(1, Population::Exponential { rate: 1.0 }), (2, Population::Bernoulli { p: 0.2 }), (3, Population::Uniform { low: 0.0, high: 1.0 })] {
            for n in [5, 30] {
                let m = sample_means(pop, n, 20_000, &mut seeded(seed));
                let z = standardize(&m, pop.mean(), pop.variance().sqrt(), n);
                let d = ks_distance_normal(&z);
                assert!(d <= berry_esseen_bound(pop, n) + 1.95 / (20_000f64).sqrt(), "{pop:?} n = {n}: {d}");
            }
        }
    }

    #[test]
    fn running_mean_of_a_constant_is_constant() {
        assert!(running_means(&[2.5; 10]).iter().all(|&m| m == 2.5));
    }
}
