//! Concentration inequalities for the sample mean, against empirical tail frequencies.
//!
//! For $\bar X_n$ of $n$ i.i.d. draws with mean $\mu$ and variance $\sigma^2$, and $t > 0$:
//! $$\begin{aligned}
//! \text{Markov } (X\ge 0):&\quad \Pr(\bar X_n \ge \mu + t) \le \frac{\mu}{\mu+t},\\
//! \text{Chebyshev}:&\quad \Pr(|\bar X_n - \mu| \ge t) \le \frac{\sigma^2}{n t^2},\\
//! \text{Hoeffding } (a\le X\le b):&\quad \Pr(\bar X_n - \mu \ge t) \le e^{-2nt^2/(b-a)^2},\\
//! \text{Bernstein } (|X-\mu|\le c):&\quad \Pr(\bar X_n - \mu \ge t) \le \exp\Big(-\frac{nt^2}{2\sigma^2 + 2ct/3}\Big).
//! \end{aligned}$$
//! Each bound is clamped at 1 (a probability never exceeds 1; the clamped value is still a bound).
//!
//! ## Reference
//! S. Boucheron, G. Lugosi & P. Massart, *Concentration Inequalities* (2013), §2.1–2.8;
//! R. Vershynin, *High-Dimensional Probability* (2018), §2.2, §2.8.
//!
//! Used in notebooks/12-probability-and-concentration.ipynb.

use super::{Population, sample_means};
use rand::Rng;

fn positive(what: &str, name: &str, v: f64) {
    assert!(v > 0.0 && v.is_finite(), "{what}: {name} must be > 0, got {v}");
}

/// Markov: $\Pr(Y \ge a) \le \mathbb E Y / a$ for $Y \ge 0$, $a > 0$ (clamped at 1).
///
/// # Panics
/// If `a <= 0` or `mean < 0`.
///
/// # Examples
/// ```
/// assert_eq!(course::probability::markov_bound(0.5, 2.0), 0.25);
/// ```
pub fn markov_bound(mean: f64, a: f64) -> f64 {
    positive("markov_bound", "a", a);
    assert!(mean >= 0.0, "markov_bound: mean must be >= 0 (Markov needs Y >= 0), got {mean}");
    (mean / a).min(1.0)
}

/// Chebyshev for the mean of `n` draws: $\sigma^2/(n t^2)$ (clamped at 1).
///
/// # Panics
/// If `t <= 0`, `n == 0` or `variance < 0`.
///
/// # Examples
/// ```
/// assert_eq!(course::probability::chebyshev_bound(0.25, 100, 0.1), 0.25);
/// ```
pub fn chebyshev_bound(variance: f64, n: usize, t: f64) -> f64 {
    positive("chebyshev_bound", "t", t);
    assert!(n > 0, "chebyshev_bound: n must be > 0");
    assert!(variance >= 0.0, "chebyshev_bound: variance must be >= 0, got {variance}");
    (variance / (n as f64 * t * t)).min(1.0)
}

/// Hoeffding for the mean of `n` draws in $[a, b]$: $e^{-2nt^2/(b-a)^2}$.
///
/// # Panics
/// If `t <= 0`, `n == 0` or `low >= high`.
///
/// # Examples
/// ```
/// let b = course::probability::hoeffding_bound(100, 0.1, 0.0, 1.0);
/// assert!((b - (-2.0f64).exp()).abs() < 1e-15);
/// ```
pub fn hoeffding_bound(n: usize, t: f64, low: f64, high: f64) -> f64 {
    positive("hoeffding_bound", "t", t);
    assert!(n > 0, "hoeffding_bound: n must be > 0");
    assert!(low < high, "hoeffding_bound: need low < high, got ({low}, {high})");
    (-2.0 * n as f64 * t * t / (high - low).powi(2)).exp().min(1.0)
}

/// Bernstein for the mean of `n` draws with variance $\sigma^2$ and $|X-\mu| \le c$:
/// $\exp(-nt^2/(2\sigma^2 + 2ct/3))$.
///
/// # Panics
/// If `t <= 0`, `n == 0`, `variance < 0` or `c <= 0`.
///
/// # Examples
/// ```
/// // σ² = 0.01, c = 1, n = 100, t = 0.1: exponent −1/(0.02 + 0.0667) = −11.54
/// let b = course::probability::bernstein_bound(100, 0.1, 0.01, 1.0);
/// assert!((b - (-1.0f64 / (0.02 + 0.2 / 3.0)).exp()).abs() < 1e-15);
/// ```
pub fn bernstein_bound(n: usize, t: f64, variance: f64, c: f64) -> f64 {
    positive("bernstein_bound", "t", t);
    positive("bernstein_bound", "c", c);
    assert!(n > 0, "bernstein_bound: n must be > 0");
    assert!(variance >= 0.0, "bernstein_bound: variance must be >= 0, got {variance}");
    (-(n as f64) * t * t / (2.0 * variance + 2.0 * c * t / 3.0)).exp().min(1.0)
}

/// The fraction of `samples` that are $\ge$ `threshold`.
///
/// # Panics
/// If `samples` is empty.
///
/// # Examples
/// ```
/// assert_eq!(course::probability::tail_frequency(&[0.1, 0.5, 0.9, 1.0], 0.5), 0.75);
/// ```
pub fn tail_frequency(samples: &[f64], threshold: f64) -> f64 {
    assert!(!samples.is_empty(), "tail_frequency: samples must not be empty");
    samples.iter().filter(|&&s| s >= threshold).count() as f64 / samples.len() as f64
}

/// $\Pr(\text{Bin}(n, p) \ge k)$, summed exactly in log space.
///
/// # Panics
/// If `p` is outside `[0, 1]`.
///
/// # Examples
/// ```
/// // P(at least 2 heads in 3 fair tosses) = 4/8
/// assert!((course::probability::binomial_upper_tail(3, 0.5, 2) - 0.5).abs() < 1e-14);
/// ```
pub fn binomial_upper_tail(n: usize, p: f64, k: usize) -> f64 {
    assert!((0.0..=1.0).contains(&p), "binomial_upper_tail: p must be in [0, 1], got {p}");
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return 1.0;
    }
    let ln_fact = |m: usize| (1..=m).map(|i| (i as f64).ln()).sum::<f64>();
    let (lp, lq, lnn) = (p.ln(), (1.0 - p).ln(), ln_fact(n));
    let mut lf_j = ln_fact(k);
    let mut lf_nj = ln_fact(n - k);
    let mut total = 0.0;
    for j in k..=n {
        total += (lnn - lf_j - lf_nj + j as f64 * lp + (n - j) as f64 * lq).exp();
        if j < n {
            lf_j += ((j + 1) as f64).ln();
            lf_nj -= ((n - j) as f64).ln();
        }
    }
    total.min(1.0)
}

/// Empirical tail frequencies of $\bar X_n - \mu \ge t$ next to the four bounds, for a list of $t$.
#[derive(Clone, Debug)]
pub struct TailComparison {
    /// The deviations $t$.
    pub ts: Vec<f64>,
    /// Fraction of the `n_reps` sample means with $\bar X_n \ge \mu + t$.
    pub empirical: Vec<f64>,
    /// Standard errors $\sqrt{\hat q(1-\hat q)/\text{n\_reps}}$, floored at $1/\text{n\_reps}$.
    pub std_errors: Vec<f64>,
    /// $\mu/(\mu+t)$ (Markov; needs $X\ge0$).
    pub markov: Vec<f64>,
    /// $\sigma^2/(nt^2)$.
    pub chebyshev: Vec<f64>,
    /// $e^{-2nt^2/(b-a)^2}$.
    pub hoeffding: Vec<f64>,
    /// $\exp(-nt^2/(2\sigma^2+2ct/3))$ with $c = \max(\mu - a, b - \mu)$.
    pub bernstein: Vec<f64>,
}

/// Draws `n_reps` sample means of `n` draws from a bounded, non-negative `pop` and tabulates
/// the empirical tail $\Pr(\bar X_n - \mu \ge t)$ next to the Markov, Chebyshev, Hoeffding and
/// Bernstein bounds, for each `t` in `ts`.
///
/// # Panics
/// If `pop` is unbounded or can be negative, `n == 0`, `n_reps == 0`, or some `t <= 0`.
///
/// # Examples
/// ```
/// use course::probability::{Population, compare_bounds};
/// let c = compare_bounds(Population::Bernoulli { p: 0.5 }, 100, 10_000, &[0.1], &mut course::rng::seeded(0));
/// // exact P(Bin(100, 1/2) ≥ 60) = 0.0284; Hoeffding e^{-2} = 0.135
/// assert!((c.empirical[0] - 0.0284).abs() < 4.0 * c.std_errors[0]);
/// assert!(c.empirical[0] <= c.hoeffding[0]);
/// ```
pub fn compare_bounds(pop: Population, n: usize, n_reps: usize, ts: &[f64], rng: &mut impl Rng) -> TailComparison {
    let (a, b) = pop.range().unwrap_or_else(|| panic!("compare_bounds: the population must be bounded (Hoeffding), got {pop:?}"));
    assert!(a >= 0.0, "compare_bounds: the population must be >= 0 (Markov), got support [{a}, {b}]");
    assert!(n_reps > 0, "compare_bounds: n_reps must be > 0");
    let means = sample_means(pop, n, n_reps, rng);
    tabulate(pop, n, &means, ts)
}

fn tabulate(pop: Population, n: usize, means: &[f64], ts: &[f64]) -> TailComparison {
    let (a, b) = pop.range().expect("bounded");
    let (mu, var) = (pop.mean(), pop.variance());
    let c = (mu - a).max(b - mu);
    let m = means.len() as f64;
    // Sample means of a lattice population sit exactly on multiples of 1/n: compare with a
    // tiny slack so that "≥ μ + t" is not lost to rounding of μ + t.
    let slack = 1e-9;
    let empirical: Vec<f64> = ts.iter().map(|&t| tail_frequency(means, mu + t - slack)).collect();
    TailComparison {
        ts: ts.to_vec(),
        std_errors: empirical.iter().map(|&q| (q * (1.0 - q) / m).sqrt().max(1.0 / m)).collect(),
        empirical,
        markov: ts.iter().map(|&t| markov_bound(mu, mu + t)).collect(),
        chebyshev: ts.iter().map(|&t| chebyshev_bound(var, n, t)).collect(),
        hoeffding: ts.iter().map(|&t| hoeffding_bound(n, t, a, b)).collect(),
        bernstein: ts.iter().map(|&t| bernstein_bound(n, t, var, c)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn binomial_tail_matches_brute_force_enumeration() {
        // Sum over all 2^12 outcomes of 12 biased coins.
        let (n, p) = (12usize, 0.3f64);
        for k in 0..=13 {
            let brute: f64 = (0u32..1 << n)
                .filter(|m| m.count_ones() as usize >= k)
                .map(|m| p.powi(m.count_ones() as i32) * (1.0 - p).powi((n as u32 - m.count_ones()) as i32))
                .sum();
            assert!((binomial_upper_tail(n, p, k) - brute).abs() < 1e-13, "k = {k}");
        }
    }

    #[test]
    fn every_bound_dominates_the_exact_binomial_tail() {
        // Exact tails, no Monte Carlo: the four inequalities are theorems.
        let (n, p) = (200usize, 0.3);
        let pop = Population::Bernoulli { p };
        for i in 1..=60 {
            let t = i as f64 * 0.005;
            let k = ((p + t) * n as f64 - 1e-9).ceil() as usize;
            let exact = binomial_upper_tail(n, p, k);
            assert!(exact <= markov_bound(p, p + t) + 1e-15);
            assert!(exact <= chebyshev_bound(pop.variance(), n, t) + 1e-15);
            assert!(exact <= hoeffding_bound(n, t, 0.0, 1.0) + 1e-15);
            assert!(exact <= bernstein_bound(n, t, pop.variance(), 0.7) + 1e-15, "t = {t}");
        }
    }

    #[test]
    fn empirical_tails_match_the_exact_binomial_within_four_se_on_several_seeds() {
        let (n, p) = (50usize, 0.2);
        let ts = [0.04, 0.08, 0.12, 0.16];
        for seed in 0..6 {
            let c = compare_bounds(Population::Bernoulli { p }, n, 20_000, &ts, &mut seeded(seed));
            for (i, &t) in ts.iter().enumerate() {
                let k = ((p + t) * n as f64 - 1e-9).ceil() as usize;
                let exact = binomial_upper_tail(n, p, k);
                let se = (exact * (1.0 - exact) / 20_000.0).sqrt();
                assert!((c.empirical[i] - exact).abs() < 4.0 * se + 1e-4, "seed {seed} t {t}: {} vs {exact}", c.empirical[i]);
            }
        }
    }

    #[test]
    #[should_panic(expected = "must be bounded")]
    fn unbounded_population_is_rejected() {
        compare_bounds(Population::Exponential { rate: 1.0 }, 10, 10, &[0.1], &mut seeded(0));
    }
}
