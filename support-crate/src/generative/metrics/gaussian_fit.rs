//! The baseline: a Gaussian fitted to 2-D data.
//!
//! A generative model is only interesting if its samples are closer to the target than those of
//! the moment-matched Gaussian
//! $$\hat\mu = \frac1n\sum_i x_i,\qquad \hat\Sigma = \frac1{n-1}\sum_i (x_i-\hat\mu)(x_i-\hat\mu)^\top,$$
//! the maximum-likelihood Gaussian up to the $n-1$. Sampling uses the Cholesky factor
//! $\hat\Sigma = LL^\top$: $x = \hat\mu + Lz$, $z \sim \mathcal N(0, I_2)$.
//!
//! ## Reference
//! C. M. Bishop, *Pattern Recognition and Machine Learning* (2006), §2.3.4.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/37-capstone-and-journal-club.ipynb.

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// A Gaussian on $\mathbb R^2$ with `mean` and covariance `cov` (symmetric positive definite).
///
/// # Examples
/// ```
/// use course::generative::metrics::Gaussian2d;
/// let g = Gaussian2d { mean: [1.0, -1.0], cov: [[1.0, 0.0], [0.0, 1.0]] };
/// // At the mean the density is 1/(2π).
/// assert!((g.log_density(&[1.0, -1.0]) + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gaussian2d {
    /// $\mu$.
    pub mean: [f64; 2],
    /// $\Sigma$, symmetric positive definite.
    pub cov: [[f64; 2]; 2],
}

impl Gaussian2d {
    /// Fit by the sample mean and the unbiased sample covariance of the rows of `x` (n × 2).
    ///
    /// # Panics
    /// If `x` does not have 2 columns or has fewer than 2 rows.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::metrics::Gaussian2d;
    /// let g = Gaussian2d::fit(&array![[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]]);
    /// assert_eq!(g.mean, [1.0, 1.0]);
    /// assert!((g.cov[0][0] - 4.0 / 3.0).abs() < 1e-12 && g.cov[0][1].abs() < 1e-12);
    /// ```
    pub fn fit(x: &Array2<f64>) -> Gaussian2d {
        assert!(x.ncols() == 2, "Gaussian2d::fit: x must have 2 columns (dim = 2), got {}", x.ncols());
        assert!(x.nrows() >= 2, "Gaussian2d::fit: x must have at least 2 rows (samples), got {}", x.nrows());
        let n = x.nrows() as f64;
        let mut mean = [0.0; 2];
        for r in x.rows() {
            mean[0] += r[0] / n;
            mean[1] += r[1] / n;
        }
        let mut cov = [[0.0; 2]; 2];
        for r in x.rows() {
            let d = [r[0] - mean[0], r[1] - mean[1]];
            for a in 0..2 {
                for b in 0..2 {
                    cov[a][b] += d[a] * d[b] / (n - 1.0);
                }
            }
        }
        Gaussian2d { mean, cov }
    }

    /// The lower Cholesky factor $L$ with $LL^\top = \Sigma$.
    ///
    /// # Panics
    /// If `cov` is not symmetric positive definite.
    ///
    /// # Examples
    /// ```
    /// use course::generative::metrics::Gaussian2d;
    /// let g = Gaussian2d { mean: [0.0, 0.0], cov: [[4.0, 2.0], [2.0, 2.0]] };
    /// assert_eq!(g.cholesky(), [[2.0, 0.0], [1.0, 1.0]]);
    /// ```
    pub fn cholesky(&self) -> [[f64; 2]; 2] {
        let c = self.cov;
        assert!(
            (c[0][1] - c[1][0]).abs() <= 1e-12 * (c[0][0].abs() + c[1][1].abs()),
            "Gaussian2d: cov must be symmetric, got {c:?}"
        );
        assert!(c[0][0] > 0.0, "Gaussian2d: cov must be positive definite, got {c:?}");
        let l00 = c[0][0].sqrt();
        let l10 = c[1][0] / l00;
        let r = c[1][1] - l10 * l10;
        assert!(r > 0.0, "Gaussian2d: cov must be positive definite, got {c:?}");
        [[l00, 0.0], [l10, r.sqrt()]]
    }

    /// `n_samples` draws, as an n × 2 array.
    ///
    /// # Panics
    /// If `cov` is not symmetric positive definite.
    ///
    /// # Examples
    /// ```
    /// use course::generative::metrics::Gaussian2d;
    /// let g = Gaussian2d { mean: [3.0, 0.0], cov: [[1.0, 0.5], [0.5, 1.0]] };
    /// let x = g.sample(20_000, &mut course::rng::seeded(0));
    /// assert_eq!(x.dim(), (20_000, 2));
    /// let m = x.column(0).mean().unwrap();
    /// assert!((m - 3.0).abs() < 4.0 / (20_000f64).sqrt()); // 4 standard errors
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Array2<f64> {
        let l = self.cholesky();
        let mut out = Array2::zeros((n_samples, 2));
        for mut r in out.rows_mut() {
            let z0: f64 = StandardNormal.sample(rng);
            let z1: f64 = StandardNormal.sample(rng);
            r[0] = self.mean[0] + l[0][0] * z0;
            r[1] = self.mean[1] + l[1][0] * z0 + l[1][1] * z1;
        }
        out
    }

    /// $\log \mathcal N(x; \mu, \Sigma) = -\log(2\pi) - \tfrac12\log\det\Sigma - \tfrac12 (x-\mu)^\top\Sigma^{-1}(x-\mu)$.
    ///
    /// # Panics
    /// If `point` does not have length 2 or `cov` is not positive definite.
    ///
    /// # Examples
    /// ```
    /// use course::generative::metrics::Gaussian2d;
    /// let g = Gaussian2d { mean: [0.0, 0.0], cov: [[4.0, 0.0], [0.0, 1.0]] };
    /// let want = -(2.0 * std::f64::consts::PI).ln() - 0.5 * 4f64.ln() - 0.5 * (4.0 / 4.0 + 1.0);
    /// assert!((g.log_density(&[2.0, 1.0]) - want).abs() < 1e-12);
    /// ```
    pub fn log_density(&self, point: &[f64]) -> f64 {
        assert!(point.len() == 2, "Gaussian2d::log_density: point must have length 2, got {}", point.len());
        let c = self.cov;
        let det = c[0][0] * c[1][1] - c[0][1] * c[1][0];
        assert!(c[0][0] > 0.0 && det > 0.0, "Gaussian2d: cov must be positive definite, got {c:?}");
        let d = [point[0] - self.mean[0], point[1] - self.mean[1]];
        let q = (c[1][1] * d[0] * d[0] - (c[0][1] + c[1][0]) * d[0] * d[1] + c[0][0] * d[1] * d[1]) / det;
        -(2.0 * PI).ln() - 0.5 * det.ln() - 0.5 * q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn sample_then_fit_recovers_the_moments_within_four_standard_errors() {
        // Var of a sample covariance entry Σ̂_ab ≈ (Σ_aa Σ_bb + Σ_ab²)/n for a Gaussian.
        let g = Gaussian2d { mean: [1.0, -2.0], cov: [[2.0, 0.8], [0.8, 1.0]] };
        let n = 50_000;
        for seed in 0..5 {
            let f = Gaussian2d::fit(&g.sample(n, &mut seeded(seed)));
            for a in 0..2 {
                assert!((f.mean[a] - g.mean[a]).abs() < 4.0 * (g.cov[a][a] / n as f64).sqrt());
                for b in 0..2 {
                    let se = ((g.cov[a][a] * g.cov[b][b] + g.cov[a][b].powi(2)) / n as f64).sqrt();
                    assert!((f.cov[a][b] - g.cov[a][b]).abs() < 4.0 * se, "seed {seed} cov[{a}][{b}]");
                }
            }
        }
    }

    #[test]
    fn density_integrates_to_one_and_cholesky_reproduces_cov() {
        let g = Gaussian2d { mean: [0.5, 0.0], cov: [[1.5, -0.6], [-0.6, 0.8]] };
        let l = g.cholesky();
        for a in 0..2 {
            for b in 0..2 {
                let s: f64 = (0..2).map(|k| l[a][k] * l[b][k]).sum();
                assert!((s - g.cov[a][b]).abs() < 1e-14);
            }
        }
        // Midpoint rule on [-9, 9]² with h = 0.05: the error is far below 1e-6 for a smooth density.
        let h = 0.05;
        let mut s = 0.0;
        for i in 0..360 {
            for j in 0..360 {
                let p = [-9.0 + (i as f64 + 0.5) * h, -9.0 + (j as f64 + 0.5) * h];
                s += g.log_density(&p).exp() * h * h;
            }
        }
        assert!((s - 1.0).abs() < 1e-6, "{s}");
    }

    #[test]
    fn all_three_distances_tell_the_ring_from_its_fitted_gaussian() {
        // The baseline the notebooks use: a fresh sample of the target is much closer to the target
        // than the moment-matched Gaussian is, in every metric and on every seed. (Empirical sliced W₂
        // between two samples of 1000 points is biased upward, ≈ 0.15 here against ≈ 0.46, hence 0.65.)
        use crate::generative::metrics::{energy_distance_unbiased, mmd2_unbiased, sliced_wasserstein};
        use crate::generative::targets::GaussianMixture2d;
        let ring = GaussianMixture2d::ring(8, 2.0, 0.1);
        let n = 1000;
        for seed in 0..5u64 {
            let mut r = seeded(seed);
            let (a, b) = (ring.sample(n, &mut r), ring.sample(n, &mut r));
            let g = Gaussian2d::fit(&a).sample(n, &mut r);
            let (e_same, e_gauss) = (energy_distance_unbiased(&a, &b), energy_distance_unbiased(&a, &g));
            let (m_same, m_gauss) = (mmd2_unbiased(&a, &b, 0.5), mmd2_unbiased(&a, &g, 0.5));
            let (s_same, s_gauss) = (sliced_wasserstein(&a, &b, 2.0, 100, seed), sliced_wasserstein(&a, &g, 2.0, 100, seed));
            assert!(e_gauss > 0.02 && e_same.abs() < 0.25 * e_gauss, "seed {seed}: energy {e_same} vs {e_gauss}");
            assert!(m_gauss > 0.01 && m_same.abs() < 0.25 * m_gauss, "seed {seed}: mmd {m_same} vs {m_gauss}");
            assert!(s_same < 0.65 * s_gauss, "seed {seed}: sliced {s_same} vs {s_gauss}");
        }
    }

    #[test]
    #[should_panic(expected = "positive definite")]
    fn indefinite_cov_panics() {
        Gaussian2d { mean: [0.0, 0.0], cov: [[1.0, 2.0], [2.0, 1.0]] }.cholesky();
    }
}
