//! A 2-D double well: a bimodal unnormalized density with a tunable barrier.
//!
//! $$\tilde p(x) = \exp\!\Big(-a\,(x_1^2-1)^2 - \frac{x_2^2}{2\sigma_y^2}\Big),\qquad
//! \nabla\log p(x) = \Big(-4a\,x_1(x_1^2-1),\ -\frac{x_2}{\sigma_y^2}\Big),$$
//! with wells at $(\pm1, 0)$ separated by a barrier of height $a$ (in units of $\log p$) at the
//! origin. The normalizing constant factorizes, $Z = Z_1\sqrt{2\pi}\,\sigma_y$ with
//! $Z_1 = \int e^{-a(x^2-1)^2}dx$, which we compute by composite Simpson quadrature on
//! $[-L, L]$ where $a(L^2-1)^2 = 40$ (the neglected tails are below $e^{-40}$). Exact samples
//! come from rejection sampling of $x_1$ (uniform proposal on $[-L, L]$, envelope $1 \ge \tilde p_1$)
//! and $x_2 \sim \mathcal N(0, \sigma_y^2)$. For large $a$, Laplace's method gives
//! $Z_1 \approx 2\sqrt{\pi/(4a)}$.
//!
//! A sampler or a control-based method (notebook 35) must put half the mass in each well.
//!
//! ## Reference
//! Q. Zhang & Y. Chen (2022), *Path Integral Sampler: a stochastic control approach for
//! sampling*, ICLR (the double-well benchmark); C. Robert & G. Casella, *Monte Carlo
//! Statistical Methods* (2004), §2.3 (rejection sampling).
//!
//! Used in notebooks/35-stochastic-control-and-sampling.ipynb.

use crate::sampling::LogDensity;
use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// The double well $\tilde p(x) = \exp(-a(x_1^2-1)^2 - x_2^2/(2\sigma_y^2))$ with $a$ = `barrier`.
///
/// # Examples
/// ```
/// use course::generative::targets::DoubleWell;
/// let w = DoubleWell::new(3.0, 1.0);
/// // The wells are the maxima: the unnormalized log-density is 0 there and −a at the barrier.
/// assert_eq!(w.log_density_unnormalized(&[1.0, 0.0]), 0.0);
/// assert_eq!(w.log_density_unnormalized(&[0.0, 0.0]), -3.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DoubleWell {
    /// $a > 0$, the barrier height in units of $\log p$.
    pub barrier: f64,
    /// $\sigma_y > 0$, the standard deviation along $x_2$.
    pub sigma_y: f64,
}

impl DoubleWell {
    /// # Panics
    /// If `barrier <= 0` or `sigma_y <= 0`.
    ///
    /// # Examples
    /// ```
    /// let w = course::generative::targets::DoubleWell::new(2.0, 0.5);
    /// assert_eq!(w.barrier, 2.0);
    /// ```
    pub fn new(barrier: f64, sigma_y: f64) -> DoubleWell {
        assert!(barrier.is_finite() && barrier > 0.0, "DoubleWell: barrier must be finite and > 0, got {barrier}");
        assert!(sigma_y.is_finite() && sigma_y > 0.0, "DoubleWell: sigma_y must be finite and > 0, got {sigma_y}");
        DoubleWell { barrier, sigma_y }
    }

    /// The half-width $L$ of the interval outside which $\tilde p_1 < e^{-40}$.
    fn half_width(&self) -> f64 {
        (1.0 + (40.0 / self.barrier).sqrt()).sqrt()
    }

    /// Composite Simpson of $f(x)\,e^{-a(x^2-1)^2}$ over $[-L, L]$ with 4000 intervals.
    fn quad(&self, f: impl Fn(f64) -> f64) -> f64 {
        let l = self.half_width();
        let n = 4000;
        let h = 2.0 * l / n as f64;
        let g = |x: f64| f(x) * (-self.barrier * (x * x - 1.0).powi(2)).exp();
        let mut s = g(-l) + g(l);
        for i in 1..n {
            s += if i % 2 == 1 { 4.0 } else { 2.0 } * g(-l + i as f64 * h);
        }
        s * h / 3.0
    }

    /// $\log\tilde p(x) = -a(x_1^2-1)^2 - x_2^2/(2\sigma_y^2)$.
    ///
    /// # Panics
    /// If `point` does not have length 2.
    ///
    /// # Examples
    /// ```
    /// let w = course::generative::targets::DoubleWell::new(1.0, 2.0);
    /// assert_eq!(w.log_density_unnormalized(&[-1.0, 2.0]), -0.5);
    /// ```
    pub fn log_density_unnormalized(&self, point: &[f64]) -> f64 {
        assert!(point.len() == 2, "DoubleWell: point must have length 2, got {}", point.len());
        -self.barrier * (point[0] * point[0] - 1.0).powi(2) - point[1] * point[1] / (2.0 * self.sigma_y * self.sigma_y)
    }

    /// $Z = \int\tilde p = Z_1\sqrt{2\pi}\,\sigma_y$, with $Z_1$ by Simpson quadrature (relative error < 1e-12).
    ///
    /// # Examples
    /// ```
    /// let w = course::generative::targets::DoubleWell::new(50.0, 1.0);
    /// // Laplace: Z₁ ≈ 2√(π/(4a)) for a large barrier (relative error O(1/a)).
    /// let laplace = 2.0 * (std::f64::consts::PI / 200.0).sqrt() * (2.0 * std::f64::consts::PI).sqrt();
    /// assert!((w.normalizing_constant() / laplace - 1.0).abs() < 0.01);
    /// ```
    pub fn normalizing_constant(&self) -> f64 {
        self.quad(|_| 1.0) * (2.0 * PI).sqrt() * self.sigma_y
    }

    /// The normalized $\log p(x) = \log\tilde p(x) - \log Z$.
    ///
    /// # Panics
    /// If `point` does not have length 2.
    ///
    /// # Examples
    /// ```
    /// let w = course::generative::targets::DoubleWell::new(2.0, 1.0);
    /// let z = w.normalizing_constant();
    /// assert!((w.log_density(&[1.0, 0.0]) + z.ln()).abs() < 1e-12);
    /// ```
    pub fn log_density(&self, point: &[f64]) -> f64 {
        self.log_density_unnormalized(point) - self.normalizing_constant().ln()
    }

    /// The score $\nabla\log p(x) = (-4a\,x_1(x_1^2-1),\ -x_2/\sigma_y^2)$.
    ///
    /// # Panics
    /// If `point` does not have length 2.
    ///
    /// # Examples
    /// ```
    /// let w = course::generative::targets::DoubleWell::new(1.0, 1.0);
    /// assert_eq!(w.score(&[1.0, 0.0]), [0.0, 0.0]); // a well is a critical point
    /// assert_eq!(w.score(&[2.0, 1.0]), [-24.0, -1.0]);
    /// ```
    pub fn score(&self, point: &[f64]) -> [f64; 2] {
        assert!(point.len() == 2, "DoubleWell: point must have length 2, got {}", point.len());
        let x = point[0];
        [-4.0 * self.barrier * x * (x * x - 1.0), -point[1] / (self.sigma_y * self.sigma_y)]
    }

    /// [`score`](Self::score) of every row of `x` (n × 2).
    ///
    /// # Panics
    /// If `x` does not have 2 columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let w = course::generative::targets::DoubleWell::new(1.0, 1.0);
    /// assert_eq!(w.score_batch(&array![[2.0, 1.0]]), array![[-24.0, -1.0]]);
    /// ```
    pub fn score_batch(&self, x: &Array2<f64>) -> Array2<f64> {
        super::rowwise_2d("DoubleWell::score_batch", x, |p| self.score(p))
    }

    /// The exact second moments $(\mathbb E x_1^2, \mathbb E x_2^2)$; $\mathbb E x_1^2$ by quadrature,
    /// $\mathbb E x_2^2 = \sigma_y^2$ (both means are 0 by symmetry).
    ///
    /// # Examples
    /// ```
    /// let m = course::generative::targets::DoubleWell::new(50.0, 0.5).second_moments();
    /// assert!((m[0] - 1.0).abs() < 0.02); // a deep well: x₁ ≈ ±1
    /// assert_eq!(m[1], 0.25);
    /// ```
    pub fn second_moments(&self) -> [f64; 2] {
        [self.quad(|x| x * x) / self.quad(|_| 1.0), self.sigma_y * self.sigma_y]
    }

    /// `n_samples` exact draws (n × 2), by rejection sampling of $x_1$.
    ///
    /// # Examples
    /// ```
    /// let w = course::generative::targets::DoubleWell::new(3.0, 1.0);
    /// let x = w.sample(10_000, &mut course::rng::seeded(0));
    /// let right = x.column(0).iter().filter(|&&v| v > 0.0).count() as f64 / 10_000.0;
    /// assert!((right - 0.5).abs() < 4.0 * 0.005); // half in each well, 4 binomial s.e.
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Array2<f64> {
        let l = self.half_width();
        let mut out = Array2::zeros((n_samples, 2));
        for mut row in out.rows_mut() {
            loop {
                let x = rng.random_range(-l..l);
                let u: f64 = rng.random();
                if u < (-self.barrier * (x * x - 1.0).powi(2)).exp() {
                    row[0] = x;
                    break;
                }
            }
            let z: f64 = StandardNormal.sample(rng);
            row[1] = self.sigma_y * z;
        }
        out
    }
}

impl LogDensity for DoubleWell {
    fn dim(&self) -> usize {
        2
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        self.log_density_unnormalized(x)
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        self.score(x).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn score_is_the_finite_difference_gradient() {
        let w = DoubleWell::new(2.5, 0.7);
        let h = 1e-5;
        for p in [[0.3, -0.7], [1.2, 0.4], [-1.7, 1.0]] {
            let s = w.score(&p);
            let f = |a: f64, b: f64| w.log_density_unnormalized(&[a, b]);
            let fd = [(f(p[0] + h, p[1]) - f(p[0] - h, p[1])) / (2.0 * h), (f(p[0], p[1] + h) - f(p[0], p[1] - h)) / (2.0 * h)];
            assert!((s[0] - fd[0]).abs() < 1e-6 && (s[1] - fd[1]).abs() < 1e-6, "{p:?}");
        }
    }

    #[test]
    fn normalized_density_integrates_to_one_on_a_2d_grid() {
        // An independent midpoint rule in 2-D, on [−3, 3] × [−6σ_y·1.2, …].
        for (a, sy) in [(0.5, 1.0), (2.0, 0.5), (8.0, 1.5)] {
            let w = DoubleWell::new(a, sy);
            let (nx, ny) = (600, 600);
            let (lx, ly) = (3.0, 9.0 * sy);
            let (hx, hy) = (2.0 * lx / nx as f64, 2.0 * ly / ny as f64);
            let logz = w.normalizing_constant().ln();
            let mut s = 0.0;
            for i in 0..nx {
                for j in 0..ny {
                    let p = [-lx + (i as f64 + 0.5) * hx, -ly + (j as f64 + 0.5) * hy];
                    s += (w.log_density_unnormalized(&p) - logz).exp();
                }
            }
            assert!((s * hx * hy - 1.0).abs() < 1e-6, "a = {a}: {}", s * hx * hy);
        }
    }

    #[test]
    fn laplace_asymptotics_for_a_deep_well() {
        // Z₁ = 2√(π/(4a)) (1 + 3/(16a) + O(a⁻²)): expand a(x²−1)² = a(4u² + 4u³ + u⁴) at x = 1 + u;
        // with s² = 1/(8a), −a E u⁴ + 8a² E u⁶ = −3/(64a) + 15/(64a). Checked with 10/a² slack,
        // smaller than the 1/a term (so a wrong coefficient would fail).
        for a in [200.0, 800.0] {
            let w = DoubleWell::new(a, 1.0);
            let z1 = w.normalizing_constant() / (2.0 * PI).sqrt();
            let laplace = 2.0 * (PI / (4.0 * a)).sqrt() * (1.0 + 3.0 / (16.0 * a));
            assert!((z1 / laplace - 1.0).abs() < 10.0 / (a * a), "a = {a}: {z1} vs {laplace}");
        }
    }

    #[test]
    fn sample_moments_match_the_quadrature_within_four_standard_errors() {
        let n = 40_000;
        for (a, sy) in [(0.5, 1.0), (3.0, 0.5)] {
            let w = DoubleWell::new(a, sy);
            let m2 = w.second_moments();
            let m4 = w.quad(|x| x.powi(4)) / w.quad(|_| 1.0);
            for seed in 0..5 {
                let x = w.sample(n, &mut seeded(seed));
                let mean0 = x.column(0).mean().unwrap();
                assert!(mean0.abs() < 4.0 * (m2[0] / n as f64).sqrt(), "a = {a}, seed {seed}: mean {mean0}");
                let v0 = x.column(0).mapv(|t| t * t).mean().unwrap();
                assert!((v0 - m2[0]).abs() < 4.0 * ((m4 - m2[0] * m2[0]) / n as f64).sqrt(), "a = {a}, seed {seed}: {v0}");
                let v1 = x.column(1).mapv(|t| t * t).mean().unwrap();
                assert!((v1 - m2[1]).abs() < 4.0 * (2.0f64).sqrt() * m2[1] / (n as f64).sqrt(), "seed {seed}: {v1}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "barrier must be finite and > 0, got 0")]
    fn zero_barrier_panics() {
        DoubleWell::new(0.0, 1.0);
    }
}
