//! Modes of convergence, and the classical counter-examples that separate them.
//!
//! On $\Omega = [0, 1)$ with the uniform measure, $\omega = u$:
//! $$\text{spike: } X_n(u) = n\,\mathbf 1\{u < 1/n\},\qquad
//! \text{typewriter: } X_n(u) = \mathbf 1\{j2^{-k} \le u < (j+1)2^{-k}\},\ n = 2^k + j,\ 0\le j<2^k .$$
//! The spike converges to 0 almost surely (for each $u > 0$, $X_n(u) = 0$ once $n > 1/u$) and in
//! probability, but not in $L^1$: $\mathbb E X_n = 1$. The typewriter converges to 0 in $L^1$
//! ($\mathbb E X_n = 2^{-k}$) and in probability, but at no $u$ at all: every $u$ is hit once in
//! each block $2^k \le n < 2^{k+1}$, so $\Pr(\sup_{m\ge n} X_m = 1) = 1$ for every $n$.
//!
//! Expectations over $\Omega$ are computed by the midpoint rule on a uniform grid of `n_grid`
//! points, exact up to $O(1/\text{n\_grid})$ for these step functions.
//!
//! ## Reference
//! R. Durrett, *Probability: Theory and Examples* (2019), §2.3 and Exercise 2.3.x; G. Grimmett &
//! D. Stirzaker, *Probability and Random Processes* (2001), §7.2.
//!
//! Used in notebooks/12-probability-and-concentration.ipynb.

/// The spike $X_n(u) = n\,\mathbf 1\{u < 1/n\}$.
///
/// # Panics
/// If `n == 0`.
///
/// # Examples
/// ```
/// use course::probability::spike;
/// assert_eq!(spike(4, 0.2), 4.0);
/// assert_eq!(spike(5, 0.2), 0.0);
/// ```
pub fn spike(n: usize, u: f64) -> f64 {
    assert!(n > 0, "spike: n must be >= 1");
    if u < 1.0 / n as f64 { n as f64 } else { 0.0 }
}

/// The typewriter $X_n(u) = \mathbf 1\{j2^{-k} \le u < (j+1)2^{-k}\}$ for $n = 2^k + j$.
///
/// # Panics
/// If `n == 0`.
///
/// # Examples
/// ```
/// use course::probability::typewriter;
/// // n = 5 = 4 + 1: the indicator of [1/4, 1/2)
/// assert_eq!(typewriter(5, 0.3), 1.0);
/// assert_eq!(typewriter(5, 0.6), 0.0);
/// ```
pub fn typewriter(n: usize, u: f64) -> f64 {
    assert!(n > 0, "typewriter: n must be >= 1");
    let k = usize::BITS - 1 - n.leading_zeros();
    let j = n - (1usize << k);
    let w = 1.0 / (1u64 << k) as f64;
    if u >= j as f64 * w && u < (j + 1) as f64 * w { 1.0 } else { 0.0 }
}

fn grid(n_grid: usize) -> impl Iterator<Item = f64> {
    assert!(n_grid > 0, "n_grid must be > 0");
    (0..n_grid).map(move |i| (i as f64 + 0.5) / n_grid as f64)
}

/// $\mathbb E|X_n| = \int_0^1 |X_n(u)|\,du$ by the midpoint rule.
///
/// # Panics
/// If `n_grid == 0`.
///
/// # Examples
/// ```
/// use course::probability::{mean_abs_on_grid, spike};
/// assert!((mean_abs_on_grid(spike, 100, 100_000) - 1.0).abs() < 1e-9);
/// ```
pub fn mean_abs_on_grid(seq: fn(usize, f64) -> f64, n: usize, n_grid: usize) -> f64 {
    grid(n_grid).map(|u| seq(n, u).abs()).sum::<f64>() / n_grid as f64
}

/// $\Pr(|X_n| > \varepsilon)$ by the midpoint rule.
///
/// # Panics
/// If `n_grid == 0`.
///
/// # Examples
/// ```
/// use course::probability::{prob_exceeds_on_grid, typewriter};
/// assert_eq!(prob_exceeds_on_grid(typewriter, 9, 0.5, 1024), 0.125); // k = 3
/// ```
pub fn prob_exceeds_on_grid(seq: fn(usize, f64) -> f64, n: usize, eps: f64, n_grid: usize) -> f64 {
    grid(n_grid).filter(|&u| seq(n, u).abs() > eps).count() as f64 / n_grid as f64
}

/// $\Pr\big(\max_{n\le m\le n_{\max}} |X_m| > \varepsilon\big)$ by the midpoint rule: as
/// $n_{\max}\to\infty$ this is $\Pr(\sup_{m\ge n}|X_m| > \varepsilon)$, which tends to 0 as
/// $n\to\infty$ for every $\varepsilon > 0$ exactly when $X_n \to 0$ almost surely.
///
/// # Panics
/// If `n_grid == 0` or `n > n_max`.
///
/// # Examples
/// ```
/// use course::probability::{prob_sup_exceeds_on_grid, spike, typewriter};
/// // spike: sup_{m ≥ n} X_m(u) > 0 iff u < 1/n
/// assert!((prob_sup_exceeds_on_grid(spike, 10, 0.5, 1000, 10_000) - 0.1).abs() < 1e-9);
/// // typewriter: every u is hit in the block 16 ≤ m < 32
/// assert_eq!(prob_sup_exceeds_on_grid(typewriter, 10, 0.5, 31, 1000), 1.0);
/// ```
pub fn prob_sup_exceeds_on_grid(seq: fn(usize, f64) -> f64, n: usize, eps: f64, n_max: usize, n_grid: usize) -> f64 {
    assert!(n <= n_max, "prob_sup_exceeds_on_grid: need n <= n_max, got {n} > {n_max}");
    grid(n_grid).filter(|&u| (n..=n_max).any(|m| seq(m, u).abs() > eps)).count() as f64 / n_grid as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typewriter_means_and_probabilities_are_powers_of_two() {
        for n in 1..200usize {
            let k = (n as f64).log2().floor() as i32;
            let w = 2f64.powi(-k);
            assert!((mean_abs_on_grid(typewriter, n, 1 << 12) - w).abs() < 1e-12, "n = {n}");
            assert!((prob_exceeds_on_grid(typewriter, n, 0.5, 1 << 12) - w).abs() < 1e-12);
        }
    }

    #[test]
    fn typewriter_blocks_cover_the_interval_exactly_once() {
        // In each block the indicators partition [0, 1): their sum is 1 everywhere.
        for k in 0..8 {
            for i in 0..997 {
                let u = (i as f64 + 0.37) / 997.0;
                let s: f64 = ((1usize << k)..(1usize << (k + 1))).map(|n| typewriter(n, u)).sum();
                assert_eq!(s, 1.0);
            }
        }
    }

    #[test]
    fn spike_converges_pointwise_but_keeps_mean_one() {
        for n in [1usize, 7, 50, 1000] {
            assert!((mean_abs_on_grid(spike, n, 1_000_000) - 1.0).abs() < 1e-3);
            assert!((prob_exceeds_on_grid(spike, n, 0.5, 1_000_000) - 1.0 / n as f64).abs() < 1e-6);
        }
        // pointwise: at u = 0.013 the sequence is 0 from n = 77 on
        assert!((77..10_000).all(|n| spike(n, 0.013) == 0.0));
    }
}
