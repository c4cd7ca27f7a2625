//! The 2-D Swiss roll: a spiral with growing radius.
//!
//! $$x = \text{scale}\cdot(t\cos t,\ t\sin t) + \text{noise}\cdot z,\qquad
//! t = \tfrac{3\pi}{2}(1 + 2u),\ u \sim \mathcal U[0,1],\ z \sim \mathcal N(0, I_2),$$
//! so $t \in [1.5\pi, 4.5\pi]$ (one and a half turns) and, without noise, $|x| = \text{scale}\cdot t$
//! with $\mathbb E|x| = 3\pi\cdot\text{scale}$. With the default `scale = 0.1` the points fill
//! roughly $[-1.4, 1.4]^2$. A thin one-dimensional manifold in the plane: the test case for how
//! well a model resolves low-dimensional structure.
//!
//! ## Reference
//! F. Pedregosa et al. (2011), *Scikit-learn* (`make_swiss_roll`, its $(x, z)$ coordinates);
//! J. Sohl-Dickstein et al. (2015), *Deep unsupervised learning using nonequilibrium thermodynamics*
//! (the Swiss roll as the first diffusion-model target).
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb to notebooks/34-flows-and-flow-matching.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// The Swiss roll $\text{scale}\cdot(t\cos t, t\sin t)$ plus Gaussian noise of standard deviation `noise`.
///
/// # Examples
/// ```
/// use course::generative::targets::SwissRoll;
/// let s = SwissRoll::default();
/// assert_eq!((s.scale, s.noise), (0.1, 0.0));
/// let x = s.sample(1, &mut course::rng::seeded(0));
/// let r = (x[[0, 0]].powi(2) + x[[0, 1]].powi(2)).sqrt() / 0.1; // = t
/// assert!(r >= 1.5 * std::f64::consts::PI && r <= 4.5 * std::f64::consts::PI);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SwissRoll {
    /// Standard deviation of the isotropic Gaussian noise (in output units), `>= 0`.
    pub noise: f64,
    /// The factor applied to $(t\cos t, t\sin t)$, `> 0`.
    pub scale: f64,
}

impl Default for SwissRoll {
    /// `noise = 0.0`, `scale = 0.1`.
    fn default() -> Self {
        SwissRoll { noise: 0.0, scale: 0.1 }
    }
}

impl SwissRoll {
    /// `n_samples` points (n × 2) and their spiral parameter $t$.
    ///
    /// # Panics
    /// If `noise < 0` or `scale <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::SwissRoll;
    /// let (x, t) = SwissRoll { noise: 0.0, scale: 1.0 }.sample_with_t(3, &mut course::rng::seeded(1));
    /// assert!((x[[2, 0]] - t[2] * t[2].cos()).abs() < 1e-12);
    /// ```
    pub fn sample_with_t(&self, n_samples: usize, rng: &mut impl Rng) -> (Array2<f64>, Vec<f64>) {
        assert!(self.noise.is_finite() && self.noise >= 0.0, "SwissRoll: noise must be >= 0, got {}", self.noise);
        assert!(self.scale.is_finite() && self.scale > 0.0, "SwissRoll: scale must be > 0, got {}", self.scale);
        let mut x = Array2::zeros((n_samples, 2));
        let mut ts = Vec::with_capacity(n_samples);
        for mut row in x.rows_mut() {
            let t = 1.5 * PI * (1.0 + 2.0 * rng.random::<f64>());
            let z0: f64 = StandardNormal.sample(rng);
            let z1: f64 = StandardNormal.sample(rng);
            row[0] = self.scale * t * t.cos() + self.noise * z0;
            row[1] = self.scale * t * t.sin() + self.noise * z1;
            ts.push(t);
        }
        (x, ts)
    }

    /// `n_samples` points (n × 2).
    ///
    /// # Panics
    /// If `noise < 0` or `scale <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::SwissRoll;
    /// let x = SwissRoll { noise: 0.0, scale: 1.0 }.sample(20_000, &mut course::rng::seeded(2));
    /// let mean_r = x.rows().into_iter().map(|r| r.dot(&r).sqrt()).sum::<f64>() / 20_000.0;
    /// // t ~ U[1.5π, 4.5π]: mean 3π, sd 3π/√12 ≈ 2.72, so 4 s.e. ≈ 0.077.
    /// assert!((mean_r - 3.0 * std::f64::consts::PI).abs() < 0.077);
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Array2<f64> {
        self.sample_with_t(n_samples, rng).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn noiseless_points_lie_on_the_spiral() {
        let s = SwissRoll { noise: 0.0, scale: 0.2 };
        let (x, t) = s.sample_with_t(500, &mut seeded(0));
        for (r, &ti) in x.rows().into_iter().zip(&t) {
            assert!(((r[0] * r[0] + r[1] * r[1]).sqrt() - 0.2 * ti).abs() < 1e-12);
            // the polar angle agrees with t modulo 2π
            let d = (r[1].atan2(r[0]) - ti).rem_euclid(2.0 * PI);
            assert!(d < 1e-9 || 2.0 * PI - d < 1e-9);
            assert!((1.5 * PI..=4.5 * PI).contains(&ti));
        }
    }

    #[test]
    fn radius_moments_match_the_uniform_law_within_four_standard_errors() {
        // Without noise |x|/scale = t ~ U[1.5π, 4.5π]: E t = 3π, Var t = (3π)²/12.
        let n = 40_000;
        for seed in 0..5 {
            let x = SwissRoll { noise: 0.0, scale: 0.1 }.sample(n, &mut seeded(seed));
            let m = x.rows().into_iter().map(|r| (r[0] * r[0] + r[1] * r[1]).sqrt() / 0.1).sum::<f64>() / n as f64;
            assert!((m - 3.0 * PI).abs() < 4.0 * 3.0 * PI / 12f64.sqrt() / (n as f64).sqrt(), "seed {seed}: {m}");
        }
    }

    #[test]
    fn noise_adds_its_variance() {
        // E|x|² = scale² E t² + 2 noise², E t² = Var t + (E t)² = 9π²/12 + 9π².
        let (n, sc, s) = (40_000, 0.1, 0.05);
        let want = sc * sc * (9.0 * PI * PI / 12.0 + 9.0 * PI * PI) + 2.0 * s * s;
        for seed in 0..5 {
            let x = SwissRoll { noise: s, scale: sc }.sample(n, &mut seeded(seed));
            let r2: Vec<f64> = x.rows().into_iter().map(|r| r[0] * r[0] + r[1] * r[1]).collect();
            let mean = r2.iter().sum::<f64>() / n as f64;
            let sd = (r2.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
            assert!((mean - want).abs() < 4.0 * sd / (n as f64).sqrt(), "seed {seed}: {mean} vs {want}");
        }
    }

    #[test]
    #[should_panic(expected = "scale must be > 0, got 0")]
    fn zero_scale_panics() {
        SwissRoll { noise: 0.0, scale: 0.0 }.sample(1, &mut seeded(0));
    }
}
