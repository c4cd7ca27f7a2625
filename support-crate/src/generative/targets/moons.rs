//! Two interleaving half circles ("moons").
//!
//! The upper moon is $(\cos t, \sin t)$, the lower $(1-\cos t,\ \tfrac12-\sin t)$, with
//! $t \sim \mathcal U[0,\pi]$ drawn independently for each point, plus isotropic Gaussian noise of
//! standard deviation `noise`. Half of the points (rounded down) are on the upper moon.
//! Exact mean: $\mathbb E\cos t = 0$, $\mathbb E\sin t = 2/\pi$, so the upper moon has mean
//! $(0, 2/\pi)$, the lower $(1, \tfrac12 - 2/\pi)$, and a balanced sample $(\tfrac12, \tfrac14)$.
//!
//! ## Reference
//! F. Pedregosa et al. (2011), *Scikit-learn: Machine Learning in Python*, JMLR 12 (`make_moons`).
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/34-flows-and-flow-matching.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// The two moons with Gaussian noise of standard deviation `noise` (0.05–0.1 is usual).
///
/// # Examples
/// ```
/// use course::generative::targets::Moons;
/// let x = Moons { noise: 0.0 }.sample(4, &mut course::rng::seeded(0));
/// // Without noise the first half lies on the unit circle, the rest on the shifted one.
/// assert!(((x[[0, 0]].powi(2) + x[[0, 1]].powi(2)).sqrt() - 1.0).abs() < 1e-12);
/// assert!((((x[[3, 0]] - 1.0).powi(2) + (x[[3, 1]] - 0.5).powi(2)).sqrt() - 1.0).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moons {
    /// Standard deviation of the isotropic Gaussian noise, `>= 0`.
    pub noise: f64,
}

impl Moons {
    /// `n_samples` points (n × 2) and their moon (0 = upper, 1 = lower); the first `n_samples / 2`
    /// rows are the upper moon.
    ///
    /// # Panics
    /// If `noise < 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::Moons;
    /// let (x, y) = Moons { noise: 0.05 }.sample_with_labels(5, &mut course::rng::seeded(1));
    /// assert_eq!(y, vec![0, 0, 1, 1, 1]);
    /// assert_eq!(x.nrows(), 5);
    /// ```
    pub fn sample_with_labels(&self, n_samples: usize, rng: &mut impl Rng) -> (Array2<f64>, Vec<usize>) {
        assert!(self.noise.is_finite() && self.noise >= 0.0, "Moons: noise must be >= 0, got {}", self.noise);
        let n_upper = n_samples / 2;
        let mut x = Array2::zeros((n_samples, 2));
        let mut labels = Vec::with_capacity(n_samples);
        for (i, mut row) in x.rows_mut().into_iter().enumerate() {
            let t = rng.random::<f64>() * PI;
            let (a, b) = if i < n_upper { (t.cos(), t.sin()) } else { (1.0 - t.cos(), 0.5 - t.sin()) };
            let z0: f64 = StandardNormal.sample(rng);
            let z1: f64 = StandardNormal.sample(rng);
            row[0] = a + self.noise * z0;
            row[1] = b + self.noise * z1;
            labels.push(usize::from(i >= n_upper));
        }
        (x, labels)
    }

    /// `n_samples` points (n × 2).
    ///
    /// # Panics
    /// If `noise < 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::Moons;
    /// let x = Moons { noise: 0.1 }.sample(20_000, &mut course::rng::seeded(2));
    /// // E x₁ = 1/2; Var x₁ = 1/2 · (1/2) + 1/4 + 0.01 < 1, so 4 s.e. < 4/√20000.
    /// assert!((x.column(0).mean().unwrap() - 0.5).abs() < 4.0 / (20_000f64).sqrt());
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Array2<f64> {
        self.sample_with_labels(n_samples, rng).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn noiseless_points_lie_on_their_half_circles() {
        let (x, y) = Moons { noise: 0.0 }.sample_with_labels(1001, &mut seeded(0));
        for (r, l) in x.rows().into_iter().zip(&y) {
            let (cx, cy, up) = if *l == 0 { (0.0, 0.0, 1.0) } else { (1.0, 0.5, -1.0) };
            assert!((((r[0] - cx).powi(2) + (r[1] - cy).powi(2)).sqrt() - 1.0).abs() < 1e-12);
            assert!(up * (r[1] - cy) >= -1e-12);
        }
        assert_eq!(y.iter().filter(|&&l| l == 0).count(), 500);
    }

    #[test]
    fn moon_means_match_the_exact_ones_within_four_standard_errors() {
        // Upper moon: E = (0, 2/π), Var cos t = 1/2, Var sin t = 1/2 − 4/π²; noise adds σ².
        let (n, s) = (40_000, 0.1);
        for seed in 0..5 {
            let (x, y) = Moons { noise: s }.sample_with_labels(n, &mut seeded(seed));
            for (label, mean, var) in [
                (0, [0.0, 2.0 / PI], [0.5 + s * s, 0.5 - 4.0 / (PI * PI) + s * s]),
                (1, [1.0, 0.5 - 2.0 / PI], [0.5 + s * s, 0.5 - 4.0 / (PI * PI) + s * s]),
            ] {
                let idx: Vec<usize> = (0..n).filter(|&i| y[i] == label).collect();
                let k = idx.len() as f64;
                for a in 0..2 {
                    let m = idx.iter().map(|&i| x[[i, a]]).sum::<f64>() / k;
                    assert!((m - mean[a]).abs() < 4.0 * (var[a] / k).sqrt(), "seed {seed}, moon {label}, coord {a}: {m}");
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "noise must be >= 0, got -0.1")]
    fn negative_noise_panics() {
        Moons { noise: -0.1 }.sample(3, &mut seeded(0));
    }
}
