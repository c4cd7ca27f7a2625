//! Two concentric circles.
//!
//! Radius 1 for the outer circle and `factor` $\in (0, 1)$ for the inner one, angles
//! $\phi \sim \mathcal U[0, 2\pi)$ drawn independently, plus isotropic Gaussian noise of standard
//! deviation `noise`; the first half of the points (rounded down) are on the outer circle.
//! Exact moments of a balanced sample: $\mathbb E X = 0$ and
//! $\mathbb E|X|^2 = \tfrac12(1 + \text{factor}^2) + 2\,\text{noise}^2$.
//! No continuous map of the plane pulls a single Gaussian blob apart into a ring around a disc
//! without stretching it, which makes the circles a hard target for flows.
//!
//! ## Reference
//! F. Pedregosa et al. (2011), *Scikit-learn: Machine Learning in Python*, JMLR 12 (`make_circles`).
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/34-flows-and-flow-matching.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// Two concentric circles of radii 1 and `factor`, with Gaussian noise of standard deviation `noise`.
///
/// # Examples
/// ```
/// use course::generative::targets::Circles;
/// let x = Circles { factor: 0.5, noise: 0.0 }.sample(2, &mut course::rng::seeded(0));
/// assert!(((x[[0, 0]].powi(2) + x[[0, 1]].powi(2)).sqrt() - 1.0).abs() < 1e-12);
/// assert!(((x[[1, 0]].powi(2) + x[[1, 1]].powi(2)).sqrt() - 0.5).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Circles {
    /// Radius of the inner circle, in (0, 1).
    pub factor: f64,
    /// Standard deviation of the isotropic Gaussian noise, `>= 0`.
    pub noise: f64,
}

impl Circles {
    /// `n_samples` points (n × 2) and their circle (0 = outer, 1 = inner).
    ///
    /// # Panics
    /// If `factor` is not in (0, 1) or `noise < 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::Circles;
    /// let (_, y) = Circles { factor: 0.3, noise: 0.05 }.sample_with_labels(3, &mut course::rng::seeded(1));
    /// assert_eq!(y, vec![0, 1, 1]);
    /// ```
    pub fn sample_with_labels(&self, n_samples: usize, rng: &mut impl Rng) -> (Array2<f64>, Vec<usize>) {
        assert!(self.factor > 0.0 && self.factor < 1.0, "Circles: factor must be in (0, 1), got {}", self.factor);
        assert!(self.noise.is_finite() && self.noise >= 0.0, "Circles: noise must be >= 0, got {}", self.noise);
        let n_outer = n_samples / 2;
        let mut x = Array2::zeros((n_samples, 2));
        let mut labels = Vec::with_capacity(n_samples);
        for (i, mut row) in x.rows_mut().into_iter().enumerate() {
            let phi = rng.random::<f64>() * 2.0 * PI;
            let r = if i < n_outer { 1.0 } else { self.factor };
            let z0: f64 = StandardNormal.sample(rng);
            let z1: f64 = StandardNormal.sample(rng);
            row[0] = r * phi.cos() + self.noise * z0;
            row[1] = r * phi.sin() + self.noise * z1;
            labels.push(usize::from(i >= n_outer));
        }
        (x, labels)
    }

    /// `n_samples` points (n × 2).
    ///
    /// # Panics
    /// If `factor` is not in (0, 1) or `noise < 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::Circles;
    /// let x = Circles { factor: 0.5, noise: 0.0 }.sample(10_000, &mut course::rng::seeded(2));
    /// let m2 = x.mapv(|v| v * v).sum() / 10_000.0;
    /// assert!((m2 - 0.625).abs() < 1e-12 + 4.0 * 0.375 / 100.0); // |X|² ∈ {1, 1/4}: exact up to the split
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
    fn noiseless_radii_are_exact() {
        let (x, y) = Circles { factor: 0.4, noise: 0.0 }.sample_with_labels(101, &mut seeded(0));
        for (r, l) in x.rows().into_iter().zip(&y) {
            let want = if *l == 0 { 1.0 } else { 0.4 };
            assert!(((r[0] * r[0] + r[1] * r[1]).sqrt() - want).abs() < 1e-12);
        }
    }

    #[test]
    fn moments_match_within_four_standard_errors() {
        let (n, f, s) = (40_000, 0.5, 0.08);
        let m2 = 0.5 * (1.0 + f * f) + 2.0 * s * s;
        for seed in 0..5 {
            let x = Circles { factor: f, noise: s }.sample(n, &mut seeded(seed));
            for a in 0..2 {
                // Var x_a = m2 / 2.
                assert!(x.column(a).mean().unwrap().abs() < 4.0 * (m2 / 2.0 / n as f64).sqrt(), "seed {seed}");
            }
            let r2: Vec<f64> = x.rows().into_iter().map(|r| r[0] * r[0] + r[1] * r[1]).collect();
            let mean = r2.iter().sum::<f64>() / n as f64;
            let sd = (r2.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
            assert!((mean - m2).abs() < 4.0 * sd / (n as f64).sqrt(), "seed {seed}: {mean} vs {m2}");
        }
    }

    #[test]
    #[should_panic(expected = "factor must be in (0, 1), got 1.5")]
    fn bad_factor_panics() {
        Circles { factor: 1.5, noise: 0.0 }.sample(3, &mut seeded(0));
    }
}
