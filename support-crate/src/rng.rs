//! Seeded, portable randomness.
//!
//! Every random number in the course comes from a [`ChaCha8Rng`] built with [`seeded`]: the
//! same seed gives the same stream on every machine and every platform, so a notebook prints
//! the same numbers each time it runs. There is no `thread_rng` anywhere in the course.
//!
//! Functions that need randomness take `rng: &mut impl Rng` (the core trait of `rand` 0.10),
//! so a caller can pass one generator through a whole experiment.
//!
//! Used in every notebook, first in notebooks/00-welcome.ipynb.

pub use rand::rngs::ChaCha8Rng;
pub use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

/// The course's generator: ChaCha8 seeded from a `u64`.
///
/// # Examples
/// ```
/// use course::rng::{seeded, RngExt};
/// let a: f64 = seeded(7).random();
/// let b: f64 = seeded(7).random();
/// assert_eq!(a, b); // same seed, same number, on every machine
/// assert!((0.0..1.0).contains(&a));
/// ```
pub fn seeded(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// `n` independent standard normal draws, $\mathcal N(0, 1)$.
///
/// # Examples
/// ```
/// let z = course::rng::normal_vec(&mut course::rng::seeded(1), 20_000);
/// let mean = z.iter().sum::<f64>() / z.len() as f64;
/// assert!(mean.abs() < 4.0 / (20_000f64).sqrt()); // 4 standard errors
/// ```
pub fn normal_vec(rng: &mut impl Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| StandardNormal.sample(rng)).collect()
}

/// `n` independent uniform draws on `[low, high)`.
///
/// # Panics
/// If `low >= high` or either bound is not finite.
///
/// # Examples
/// ```
/// let u = course::rng::uniform_vec(&mut course::rng::seeded(2), 1000, -1.0, 1.0);
/// assert!(u.iter().all(|&v| (-1.0..1.0).contains(&v)));
/// ```
pub fn uniform_vec(rng: &mut impl Rng, n: usize, low: f64, high: f64) -> Vec<f64> {
    assert!(
        low.is_finite() && high.is_finite() && low < high,
        "uniform_vec: need finite low < high, got low = {low}, high = {high}"
    );
    (0..n).map(|_| rng.random_range(low..high)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_different_seed_different_stream() {
        let a = normal_vec(&mut seeded(42), 5);
        let b = normal_vec(&mut seeded(42), 5);
        let c = normal_vec(&mut seeded(43), 5);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn normal_moments_within_four_standard_errors() {
        let n = 100_000;
        let z = normal_vec(&mut seeded(3), n);
        let mean = z.iter().sum::<f64>() / n as f64;
        let var = z.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        // se(mean) = 1/sqrt(n); se(var) = sqrt(2/n) for a normal sample.
        assert!(mean.abs() < 4.0 / (n as f64).sqrt(), "mean {mean}");
        assert!((var - 1.0).abs() < 4.0 * (2.0 / n as f64).sqrt(), "var {var}");
    }

    #[test]
    #[should_panic(expected = "low < high")]
    fn uniform_rejects_empty_interval() {
        uniform_vec(&mut seeded(0), 3, 1.0, 1.0);
    }
}
