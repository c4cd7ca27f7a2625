//! Isotropic Gaussian mixtures in 2-D: the ring and the grid of Gaussians.
//!
//! $$p(x) = \sum_{k=1}^K w_k\,\mathcal N(x;\ \mu_k,\ \sigma^2 I_2),\qquad
//! \nabla\log p(x) = \sum_{k=1}^K r_k(x)\,\frac{\mu_k - x}{\sigma^2},\qquad
//! r_k(x) = \frac{w_k\,\mathcal N(x;\mu_k,\sigma^2 I)}{p(x)} .$$
//! The **ring** puts $K$ equal-weight modes at $R(\cos\frac{2\pi k}{K}, \sin\frac{2\pi k}{K})$; the
//! **grid** puts $K = s^2$ modes on an $s\times s$ lattice of spacing $d$ centred at the origin.
//! Both are the standard mode-collapse tests for GANs: a sample *covers* a mode when it lies
//! within radius $r$ of its centre (typically $r = 3\sigma$), and a mode counts as covered when it
//! receives at least a given fraction of the samples ([`GaussianMixture2d::mode_coverage`]).
//!
//! Adding independent noise $\mathcal N(0, t I)$ to a mixture gives the same mixture with
//! $\sigma^2 + t$ ([`GaussianMixture2d::convolved`]): the exact noised scores a diffusion model learns.
//! Exact moments: $\mathbb E X = \sum w_k\mu_k$, $\operatorname{Cov}X = \sigma^2 I + \sum w_k\mu_k\mu_k^\top - \mathbb E X\,\mathbb E X^\top$.
//!
//! ## Reference
//! L. Metz, B. Poole, D. Pfau & J. Sohl-Dickstein (2017), *Unrolled generative adversarial
//! networks* (the ring of 8 and grid of 25 Gaussians, "high-quality samples within 3σ").
//!
//! Used in notebooks/29-gans-and-wasserstein-gans.ipynb to notebooks/34-flows-and-flow-matching.ipynb.

use crate::sampling::LogDensity;
use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// A mixture of isotropic 2-D Gaussians with common standard deviation `sigma`.
///
/// # Examples
/// ```
/// use course::generative::targets::GaussianMixture2d;
/// let g = GaussianMixture2d::ring(8, 2.0, 0.05);
/// assert_eq!(g.n_modes(), 8);
/// assert!((g.means[2][1] - 2.0).abs() < 1e-12); // the third mode sits at (0, 2)
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianMixture2d {
    /// The centres $\mu_k$.
    pub means: Vec<[f64; 2]>,
    /// The weights $w_k$ (positive, summing to 1).
    pub weights: Vec<f64>,
    /// The common standard deviation $\sigma$ of every component.
    pub sigma: f64,
}

impl GaussianMixture2d {
    /// A mixture with the given centres, weights (normalized here to sum to 1) and `sigma`.
    ///
    /// # Panics
    /// If `means` is empty, the lengths differ, a weight is not > 0, or `sigma <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::new(vec![[0.0, 0.0], [3.0, 0.0]], vec![1.0, 3.0], 0.5);
    /// assert_eq!(g.weights, vec![0.25, 0.75]);
    /// ```
    pub fn new(means: Vec<[f64; 2]>, weights: Vec<f64>, sigma: f64) -> GaussianMixture2d {
        assert!(!means.is_empty(), "GaussianMixture2d: means must be non-empty");
        assert!(
            means.len() == weights.len(),
            "GaussianMixture2d: means and weights must have the same length, got {} and {}",
            means.len(),
            weights.len()
        );
        assert!(
            weights.iter().all(|w| w.is_finite() && *w > 0.0),
            "GaussianMixture2d: weights must be finite and > 0, got {weights:?}"
        );
        assert!(sigma.is_finite() && sigma > 0.0, "GaussianMixture2d: sigma must be finite and > 0, got {sigma}");
        let total: f64 = weights.iter().sum();
        GaussianMixture2d { means, weights: weights.iter().map(|w| w / total).collect(), sigma }
    }

    /// `k` equal-weight modes evenly spaced on the circle of the given `radius`, the first at $(R, 0)$.
    ///
    /// # Panics
    /// If `k == 0`, `radius` is not finite, or `sigma <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(4, 1.0, 0.1);
    /// assert!((g.means[1][0]).abs() < 1e-12 && (g.means[1][1] - 1.0).abs() < 1e-12);
    /// assert_eq!(g.weights, vec![0.25; 4]);
    /// ```
    pub fn ring(k: usize, radius: f64, sigma: f64) -> GaussianMixture2d {
        assert!(k >= 1, "GaussianMixture2d::ring: k must be >= 1, got 0");
        assert!(radius.is_finite(), "GaussianMixture2d::ring: radius must be finite, got {radius}");
        let means = (0..k)
            .map(|i| {
                let a = 2.0 * PI * i as f64 / k as f64;
                [radius * a.cos(), radius * a.sin()]
            })
            .collect();
        GaussianMixture2d::new(means, vec![1.0; k], sigma)
    }

    /// `side`² equal-weight modes on a `side` × `side` lattice with the given `spacing`,
    /// centred at the origin (the grid of 25 Gaussians is `grid(5, 2.0, 0.05)`).
    ///
    /// # Panics
    /// If `side == 0`, `spacing` is not finite, or `sigma <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::grid(5, 2.0, 0.05);
    /// assert_eq!(g.n_modes(), 25);
    /// assert_eq!(g.means[0], [-4.0, -4.0]);
    /// assert_eq!(g.means[24], [4.0, 4.0]);
    /// ```
    pub fn grid(side: usize, spacing: f64, sigma: f64) -> GaussianMixture2d {
        assert!(side >= 1, "GaussianMixture2d::grid: side must be >= 1, got 0");
        assert!(spacing.is_finite(), "GaussianMixture2d::grid: spacing must be finite, got {spacing}");
        let c = (side as f64 - 1.0) / 2.0;
        let mut means = Vec::with_capacity(side * side);
        for i in 0..side {
            for j in 0..side {
                means.push([(i as f64 - c) * spacing, (j as f64 - c) * spacing]);
            }
        }
        GaussianMixture2d::new(means, vec![1.0; side * side], sigma)
    }

    /// The number of components $K$.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::generative::targets::GaussianMixture2d::grid(3, 1.0, 0.1).n_modes(), 9);
    /// ```
    pub fn n_modes(&self) -> usize {
        self.means.len()
    }

    /// The same mixture convolved with $\mathcal N(0, \text{extra\_var}\,I)$: every component's
    /// variance becomes $\sigma^2 + \text{extra\_var}$ (the law of $X + \sqrt{t}Z$ with $t$ = `extra_var`).
    ///
    /// # Panics
    /// If `extra_var < 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(8, 2.0, 0.3).convolved(0.16);
    /// assert!((g.sigma - 0.5).abs() < 1e-12);
    /// ```
    pub fn convolved(&self, extra_var: f64) -> GaussianMixture2d {
        assert!(extra_var.is_finite() && extra_var >= 0.0, "GaussianMixture2d::convolved: extra_var must be >= 0, got {extra_var}");
        GaussianMixture2d { sigma: (self.sigma * self.sigma + extra_var).sqrt(), ..self.clone() }
    }

    /// `n_samples` draws (n × 2) together with the component each came from.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(8, 2.0, 0.02);
    /// let (x, labels) = g.sample_with_labels(100, &mut course::rng::seeded(0));
    /// let mu = g.means[labels[0]];
    /// assert!(((x[[0, 0]] - mu[0]).powi(2) + (x[[0, 1]] - mu[1]).powi(2)).sqrt() < 0.2); // 10 σ
    /// ```
    pub fn sample_with_labels(&self, n_samples: usize, rng: &mut impl Rng) -> (Array2<f64>, Vec<usize>) {
        let mut cum = Vec::with_capacity(self.weights.len());
        let mut acc = 0.0;
        for w in &self.weights {
            acc += w;
            cum.push(acc);
        }
        let mut x = Array2::zeros((n_samples, 2));
        let mut labels = Vec::with_capacity(n_samples);
        for mut row in x.rows_mut() {
            let u: f64 = rng.random::<f64>() * acc;
            let k = cum.iter().position(|&c| u < c).unwrap_or(cum.len() - 1);
            let z0: f64 = StandardNormal.sample(rng);
            let z1: f64 = StandardNormal.sample(rng);
            row[0] = self.means[k][0] + self.sigma * z0;
            row[1] = self.means[k][1] + self.sigma * z1;
            labels.push(k);
        }
        (x, labels)
    }

    /// `n_samples` draws, as an n × 2 array.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let x = GaussianMixture2d::grid(5, 2.0, 0.05).sample(10_000, &mut course::rng::seeded(1));
    /// // E X = 0 and Var X₁ = σ² + 8 = 8.0025: the mean is within 4 standard errors.
    /// assert!(x.column(0).mean().unwrap().abs() < 4.0 * (8.0025f64 / 10_000.0).sqrt());
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Array2<f64> {
        self.sample_with_labels(n_samples, rng).0
    }

    /// The component log-terms $\log w_k + \log\mathcal N(x;\mu_k,\sigma^2 I)$ and their log-sum-exp.
    fn log_terms(&self, point: &[f64]) -> (Vec<f64>, f64) {
        assert!(point.len() == 2, "GaussianMixture2d: point must have length 2, got {}", point.len());
        let s2 = self.sigma * self.sigma;
        let c = -(2.0 * PI * s2).ln();
        let terms: Vec<f64> = self
            .means
            .iter()
            .zip(&self.weights)
            .map(|(m, w)| w.ln() + c - ((point[0] - m[0]).powi(2) + (point[1] - m[1]).powi(2)) / (2.0 * s2))
            .collect();
        let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lse = top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln();
        (terms, lse)
    }

    /// The exact log-density $\log p(x)$ (normalized), by log-sum-exp.
    ///
    /// # Panics
    /// If `point` does not have length 2.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(1, 0.0, 1.0); // a single standard Gaussian
    /// assert!((g.log_density(&[0.0, 0.0]) + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-12);
    /// ```
    pub fn log_density(&self, point: &[f64]) -> f64 {
        self.log_terms(point).1
    }

    /// The posterior probabilities $r_k(x)$ of the components (the responsibilities).
    ///
    /// # Panics
    /// If `point` does not have length 2.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(2, 1.0, 0.5);
    /// let r = g.responsibilities(&[0.0, 0.3]); // equidistant from (1, 0) and (−1, 0)
    /// assert!((r[0] - 0.5).abs() < 1e-12);
    /// ```
    pub fn responsibilities(&self, point: &[f64]) -> Vec<f64> {
        let (terms, lse) = self.log_terms(point);
        terms.iter().map(|t| (t - lse).exp()).collect()
    }

    /// The exact score $\nabla\log p(x) = \sum_k r_k(x)(\mu_k - x)/\sigma^2$.
    ///
    /// # Panics
    /// If `point` does not have length 2.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(1, 0.0, 2.0); // N(0, 4 I): score −x/4
    /// assert_eq!(g.score(&[1.0, -2.0]), [-0.25, 0.5]);
    /// ```
    pub fn score(&self, point: &[f64]) -> [f64; 2] {
        let r = self.responsibilities(point);
        let s2 = self.sigma * self.sigma;
        let mut g = [0.0; 2];
        for (rk, m) in r.iter().zip(&self.means) {
            g[0] += rk * (m[0] - point[0]) / s2;
            g[1] += rk * (m[1] - point[1]) / s2;
        }
        g
    }

    /// [`log_density`](Self::log_density) of every row of `x` (n × 2).
    ///
    /// # Panics
    /// If `x` does not have 2 columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(8, 2.0, 0.1);
    /// let v = g.log_density_batch(&array![[2.0, 0.0], [0.0, 0.0]]);
    /// assert!(v[0] > v[1]); // a mode is likelier than the empty centre
    /// ```
    pub fn log_density_batch(&self, x: &Array2<f64>) -> Vec<f64> {
        assert!(x.ncols() == 2, "GaussianMixture2d::log_density_batch: x must have 2 columns, got {}", x.ncols());
        x.rows().into_iter().map(|r| self.log_density(&[r[0], r[1]])).collect()
    }

    /// [`score`](Self::score) of every row of `x` (n × 2), as an n × 2 array.
    ///
    /// # Panics
    /// If `x` does not have 2 columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(1, 0.0, 1.0);
    /// assert_eq!(g.score_batch(&array![[1.0, 2.0]]), array![[-1.0, -2.0]]);
    /// ```
    pub fn score_batch(&self, x: &Array2<f64>) -> Array2<f64> {
        super::rowwise_2d("GaussianMixture2d::score_batch", x, |p| self.score(p))
    }

    /// The exact mean $\sum_k w_k\mu_k$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let m = GaussianMixture2d::ring(8, 2.0, 0.1).mean();
    /// assert!(m[0].abs() < 1e-12 && m[1].abs() < 1e-12);
    /// ```
    pub fn mean(&self) -> [f64; 2] {
        let mut m = [0.0; 2];
        for (w, mu) in self.weights.iter().zip(&self.means) {
            m[0] += w * mu[0];
            m[1] += w * mu[1];
        }
        m
    }

    /// The exact covariance $\sigma^2 I + \sum_k w_k\mu_k\mu_k^\top - \mathbb E X\,\mathbb E X^\top$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let c = GaussianMixture2d::ring(8, 2.0, 0.1).covariance();
    /// // A ring of radius R: R²/2 per axis, plus σ².
    /// assert!((c[0][0] - (2.0 + 0.01)).abs() < 1e-12 && c[0][1].abs() < 1e-12);
    /// ```
    pub fn covariance(&self) -> [[f64; 2]; 2] {
        let m = self.mean();
        let s2 = self.sigma * self.sigma;
        let mut c = [[s2, 0.0], [0.0, s2]];
        for (w, mu) in self.weights.iter().zip(&self.means) {
            for a in 0..2 {
                for b in 0..2 {
                    c[a][b] += w * mu[a] * mu[b];
                }
            }
        }
        for a in 0..2 {
            for b in 0..2 {
                c[a][b] -= m[a] * m[b];
            }
        }
        c
    }

    /// For each mode, how many rows of `samples` lie within `radius` of its centre.
    ///
    /// # Panics
    /// If `samples` does not have 2 columns or `radius <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(4, 1.0, 0.05);
    /// let x = array![[1.0, 0.0], [0.98, 0.01], [-1.0, 0.0], [0.0, 0.0]];
    /// assert_eq!(g.mode_counts(&x, 0.15), vec![2, 0, 1, 0]);
    /// ```
    pub fn mode_counts(&self, samples: &Array2<f64>, radius: f64) -> Vec<usize> {
        assert!(samples.ncols() == 2, "GaussianMixture2d::mode_counts: samples must have 2 columns, got {}", samples.ncols());
        assert!(radius.is_finite() && radius > 0.0, "GaussianMixture2d::mode_counts: radius must be > 0, got {radius}");
        let r2 = radius * radius;
        self.means
            .iter()
            .map(|m| samples.rows().into_iter().filter(|x| (x[0] - m[0]).powi(2) + (x[1] - m[1]).powi(2) <= r2).count())
            .collect()
    }

    /// The number of modes *covered* by `samples`: modes with at least `min_fraction` of all
    /// samples within `radius` of their centre. With $K$ equal modes a perfect sampler puts
    /// $\approx \frac1K(1 - e^{-r^2/2\sigma^2})$ of its samples near each, so `min_fraction` is
    /// usually a fraction of $1/K$ (e.g. $0.2/K$); a collapsed GAN covers few modes.
    ///
    /// # Panics
    /// If `samples` is empty or does not have 2 columns, `radius <= 0`, or `min_fraction` is not in (0, 1].
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::ring(8, 2.0, 0.05);
    /// let x = g.sample(2000, &mut course::rng::seeded(3));
    /// assert_eq!(g.mode_coverage(&x, 0.15, 0.2 / 8.0), 8);
    /// // A "collapsed" sampler that only produces the first mode:
    /// let one = course::generative::targets::GaussianMixture2d::ring(8, 2.0, 0.05);
    /// let collapsed = course::generative::targets::GaussianMixture2d::new(vec![one.means[0]], vec![1.0], 0.05);
    /// assert_eq!(g.mode_coverage(&collapsed.sample(2000, &mut course::rng::seeded(4)), 0.15, 0.025), 1);
    /// ```
    pub fn mode_coverage(&self, samples: &Array2<f64>, radius: f64, min_fraction: f64) -> usize {
        assert!(samples.nrows() >= 1, "GaussianMixture2d::mode_coverage: samples must be non-empty, got 0 rows");
        assert!(
            min_fraction > 0.0 && min_fraction <= 1.0,
            "GaussianMixture2d::mode_coverage: min_fraction must be in (0, 1], got {min_fraction}"
        );
        let need = min_fraction * samples.nrows() as f64;
        self.mode_counts(samples, radius).iter().filter(|&&c| c as f64 >= need).count()
    }

    /// The fraction of `samples` within `radius` of some mode ("high-quality samples"; with
    /// `radius` = 3σ a perfect sampler scores $1 - e^{-9/2} \approx 0.989$).
    ///
    /// # Panics
    /// If `samples` is empty or does not have 2 columns, or `radius <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::targets::GaussianMixture2d;
    /// let g = GaussianMixture2d::grid(5, 2.0, 0.05);
    /// let q = g.high_quality_fraction(&g.sample(4000, &mut course::rng::seeded(5)), 0.15);
    /// // 1 − e^{−4.5} = 0.9889, binomial s.e. 0.0017: within 4 s.e.
    /// assert!((q - (1.0 - (-4.5f64).exp())).abs() < 4.0 * 0.0017);
    /// ```
    pub fn high_quality_fraction(&self, samples: &Array2<f64>, radius: f64) -> f64 {
        assert!(samples.nrows() >= 1, "GaussianMixture2d::high_quality_fraction: samples must be non-empty, got 0 rows");
        assert!(samples.ncols() == 2, "GaussianMixture2d::high_quality_fraction: samples must have 2 columns, got {}", samples.ncols());
        assert!(radius.is_finite() && radius > 0.0, "GaussianMixture2d::high_quality_fraction: radius must be > 0, got {radius}");
        let r2 = radius * radius;
        let good = samples
            .rows()
            .into_iter()
            .filter(|x| self.means.iter().any(|m| (x[0] - m[0]).powi(2) + (x[1] - m[1]).powi(2) <= r2))
            .count();
        good as f64 / samples.nrows() as f64
    }
}

impl LogDensity for GaussianMixture2d {
    fn dim(&self) -> usize {
        2
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        self.log_density(x)
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        self.score(x).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    fn targets() -> Vec<GaussianMixture2d> {
        vec![
            GaussianMixture2d::ring(8, 2.0, 0.3),
            GaussianMixture2d::grid(3, 1.5, 0.4),
            GaussianMixture2d::new(vec![[-1.0, 0.5], [2.0, 1.0], [0.0, -2.0]], vec![0.2, 0.5, 0.3], 0.7),
        ]
    }

    #[test]
    fn score_is_the_finite_difference_gradient_of_the_log_density() {
        let h = 1e-5;
        for g in targets() {
            for p in [[0.3, -0.7], [1.9, 0.1], [-2.5, 2.0], [0.0, 0.0]] {
                let s = g.score(&p);
                let fd0 = (g.log_density(&[p[0] + h, p[1]]) - g.log_density(&[p[0] - h, p[1]])) / (2.0 * h);
                let fd1 = (g.log_density(&[p[0], p[1] + h]) - g.log_density(&[p[0], p[1] - h])) / (2.0 * h);
                // central differences: error O(h²) ≈ 1e-10 times third derivatives, plus rounding 1e-11/h
                assert!((s[0] - fd0).abs() < 1e-5 && (s[1] - fd1).abs() < 1e-5, "{p:?}: {s:?} vs {fd0}, {fd1}");
            }
        }
    }

    #[test]
    fn density_integrates_to_one_on_a_grid() {
        // Midpoint rule on [−8, 8]² with h = 0.04 (tails beyond are < e^{−(8−3)²/(2·0.7²)}).
        for g in targets() {
            let h = 0.04;
            let n = 400;
            let mut s = 0.0;
            for i in 0..n {
                for j in 0..n {
                    s += g.log_density(&[-8.0 + (i as f64 + 0.5) * h, -8.0 + (j as f64 + 0.5) * h]).exp();
                }
            }
            assert!((s * h * h - 1.0).abs() < 1e-6, "{}", s * h * h);
        }
    }

    #[test]
    fn sample_moments_match_the_exact_ones_within_four_standard_errors() {
        let n = 40_000;
        for g in targets() {
            let (m, c) = (g.mean(), g.covariance());
            for seed in 0..5 {
                let x = g.sample(n, &mut seeded(seed));
                for a in 0..2 {
                    let col = x.column(a);
                    let mean = col.mean().unwrap();
                    assert!((mean - m[a]).abs() < 4.0 * (c[a][a] / n as f64).sqrt(), "mean[{a}] seed {seed}");
                    // se of the sample second moment E(X−m)²: sqrt(Var((X−m)²)/n), estimated from the data.
                    let d2: Vec<f64> = col.iter().map(|v| (v - m[a]).powi(2)).collect();
                    let v = d2.iter().sum::<f64>() / n as f64;
                    let var_d2 = d2.iter().map(|t| (t - v).powi(2)).sum::<f64>() / (n - 1) as f64;
                    assert!((v - c[a][a]).abs() < 4.0 * (var_d2 / n as f64).sqrt(), "var[{a}] seed {seed}: {v} vs {}", c[a][a]);
                }
            }
        }
    }

    #[test]
    fn mode_counts_match_the_rayleigh_probability() {
        // P(|X − μ_k| ≤ r, label k) = w_k (1 − e^{−r²/2σ²}) for well separated modes.
        let g = GaussianMixture2d::ring(8, 3.0, 0.1);
        let n = 40_000;
        let r = 0.15;
        let p = (1.0 - (-r * r / (2.0 * 0.01f64)).exp()) / 8.0;
        let se = (p * (1.0 - p) / n as f64).sqrt();
        for seed in 0..5 {
            let counts = g.mode_counts(&g.sample(n, &mut seeded(seed)), r);
            for c in counts {
                assert!((c as f64 / n as f64 - p).abs() < 4.0 * se, "seed {seed}: {c}");
            }
        }
    }

    #[test]
    fn convolved_mixture_is_the_law_of_the_noised_samples() {
        let g = GaussianMixture2d::ring(4, 1.0, 0.2);
        let t = 0.5f64;
        let noised = g.convolved(t);
        let n = 40_000;
        for seed in 0..3 {
            let mut r = seeded(seed);
            let x = g.sample(n, &mut r) + &Array2::from_shape_vec((n, 2), crate::rng::normal_vec(&mut r, 2 * n)).unwrap().mapv(|z| t.sqrt() * z);
            let v = x.column(0).mapv(|a| a * a).mean().unwrap();
            // se of a second moment ≈ sqrt(2)·Var/√n for near-Gaussian data; use 3·Var/√n to be safe.
            let c = noised.covariance()[0][0];
            assert!((v - c).abs() < 4.0 * 3.0 * c / (n as f64).sqrt(), "seed {seed}: {v} vs {c}");
        }
    }

    #[test]
    #[should_panic(expected = "sigma must be finite and > 0, got -1")]
    fn negative_sigma_panics() {
        GaussianMixture2d::ring(3, 1.0, -1.0);
    }

    #[test]
    #[should_panic(expected = "point must have length 2, got 3")]
    fn wrong_point_length_panics() {
        GaussianMixture2d::ring(3, 1.0, 1.0).log_density(&[0.0, 0.0, 0.0]);
    }
}
