//! The forward (noising) process in closed form, and the posterior that the reverse process imitates.
//!
//! One step: $q(x_t\mid x_{t-1}) = \mathcal N(\sqrt{\alpha_t}\,x_{t-1},\ \beta_t I)$. Composed, $t$ steps are one Gaussian:
//! $$q(x_t\mid x_0) = \mathcal N\big(\sqrt{\bar\alpha_t}\,x_0,\ (1-\bar\alpha_t) I\big),\qquad
//! x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon .$$
//! Bayes' rule between the two gives the posterior
//! $$q(x_{t-1}\mid x_t, x_0) = \mathcal N\Big(\frac{\sqrt{\bar\alpha_{t-1}}\beta_t}{1-\bar\alpha_t}x_0 +
//! \frac{\sqrt{\alpha_t}(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}x_t,\ \ \tilde\beta_t I\Big),\qquad
//! \tilde\beta_t = \frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t .$$
//!
//! ## Reference
//! J. Ho, A. Jain, P. Abbeel (2020), eqs. (4), (6), (7); C. Luo, *Understanding Diffusion Models:
//! A Unified Perspective* (2022), §2.
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb.

use super::NoiseSchedule;
use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// A batch of standard normal draws with the given shape.
pub(crate) fn normal_array(rng: &mut impl Rng, n_samples: usize, dim: usize) -> Array2<f64> {
    Array2::from_shape_simple_fn((n_samples, dim), || StandardNormal.sample(rng))
}

impl NoiseSchedule {
    /// $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$ for a given noise `eps` (batch × dim).
    ///
    /// # Panics
    /// If `t > T` or the shapes of `x0` and `eps` differ.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let s = course::generative::diffusion::NoiseSchedule::from_betas(vec![0.75]);
    /// let xt = s.q_sample_with_noise(&array![[2.0]], 1, &array![[1.0]]);
    /// assert!((xt[[0, 0]] - (0.5 * 2.0 + 0.75f64.sqrt())).abs() < 1e-15);
    /// ```
    pub fn q_sample_with_noise(&self, x0: &Array2<f64>, t: usize, eps: &Array2<f64>) -> Array2<f64> {
        assert_eq!(x0.dim(), eps.dim(), "x0 and eps must have the same shape");
        let a = self.alpha_bar(t);
        x0 * a.sqrt() + eps * (1.0 - a).sqrt()
    }

    /// A draw of $x_t \sim q(x_t\mid x_0)$ for each row of `x0`, returned with the noise used: `(x_t, eps)`.
    ///
    /// # Panics
    /// If `t > T`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::Array2;
    /// let s = course::generative::diffusion::NoiseSchedule::linear(100, 1e-3, 0.05);
    /// let x0 = Array2::from_elem((20_000, 1), 1.0);
    /// let (xt, _) = s.q_sample(&x0, 50, &mut course::rng::seeded(0));
    /// let (m, sd) = (s.alpha_bar(50).sqrt(), (1.0 - s.alpha_bar(50)).sqrt());
    /// // 4 standard errors of the mean
    /// assert!((xt.mean().unwrap() - m).abs() < 4.0 * sd / (20_000f64).sqrt());
    /// ```
    pub fn q_sample(&self, x0: &Array2<f64>, t: usize, rng: &mut impl Rng) -> (Array2<f64>, Array2<f64>) {
        let eps = normal_array(rng, x0.nrows(), x0.ncols());
        (self.q_sample_with_noise(x0, t, &eps), eps)
    }

    /// One step of the forward chain, $x_t \sim \mathcal N(\sqrt{\alpha_t}\,x_{t-1}, \beta_t I)$.
    ///
    /// # Panics
    /// If `t == 0` or `t > T`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::Array2;
    /// let s = course::generative::diffusion::NoiseSchedule::from_betas(vec![0.19]);
    /// let x = s.q_step(&Array2::from_elem((10_000, 1), 1.0), 1, &mut course::rng::seeded(1));
    /// // mean √0.81 = 0.9, sd √0.19 ≈ 0.436: 4 s.e. ≈ 0.0175
    /// assert!((x.mean().unwrap() - 0.9).abs() < 0.0175);
    /// ```
    pub fn q_step(&self, x_prev: &Array2<f64>, t: usize, rng: &mut impl Rng) -> Array2<f64> {
        let b = self.beta(t);
        let z = normal_array(rng, x_prev.nrows(), x_prev.ncols());
        x_prev * (1.0 - b).sqrt() + z * b.sqrt()
    }

    /// The posterior coefficients $(c_0, c_t)$ of $\tilde\mu_t = c_0 x_0 + c_t x_t$, for $t \in \{1, \dots, T\}$.
    ///
    /// # Panics
    /// If `t == 0` or `t > T`.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::linear(10, 0.01, 0.2);
    /// let (c0, ct) = s.posterior_coefficients(1);
/// assert!((c0 - 1.0).abs() < 1e-12 && ct == 0.0); // x_0 is known at t = 1
    /// ```
    pub fn posterior_coefficients(&self, t: usize) -> (f64, f64) {
        let b = self.beta(t);
        let (a_prev, a) = (self.alpha_bar(t - 1), self.alpha_bar(t));
        (a_prev.sqrt() * b / (1.0 - a), (1.0 - b).sqrt() * (1.0 - a_prev) / (1.0 - a))
    }

    /// The posterior mean $\tilde\mu_t(x_t, x_0)$ of $q(x_{t-1}\mid x_t, x_0)$, row by row.
    ///
    /// # Panics
    /// If `t == 0`, `t > T` or the shapes differ.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let s = course::generative::diffusion::NoiseSchedule::linear(10, 0.01, 0.2);
    /// let (c0, ct) = s.posterior_coefficients(5);
    /// let m = s.posterior_mean(&array![[1.0]], &array![[2.0]], 5);
    /// assert!((m[[0, 0]] - (2.0 * c0 + ct)).abs() < 1e-15);
    /// ```
    pub fn posterior_mean(&self, x_t: &Array2<f64>, x0: &Array2<f64>, t: usize) -> Array2<f64> {
        assert_eq!(x_t.dim(), x0.dim(), "x_t and x0 must have the same shape");
        let (c0, ct) = self.posterior_coefficients(t);
        x0 * c0 + x_t * ct
    }

    /// The posterior variance $\tilde\beta_t = \frac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t$ (0 at $t = 1$).
    ///
    /// # Panics
    /// If `t == 0` or `t > T`.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::from_betas(vec![0.5, 0.5]);
    /// // (1 - 0.5)/(1 - 0.25)·0.5 = 1/3
    /// assert!((s.posterior_variance(2) - 1.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn posterior_variance(&self, t: usize) -> f64 {
        let b = self.beta(t);
        (1.0 - self.alpha_bar(t - 1)) / (1.0 - self.alpha_bar(t)) * b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn iterated_one_step_kernel_has_the_closed_form_moments() {
        let s = NoiseSchedule::linear(100, 1e-3, 0.05);
        let n = 40_000;
        let x0 = Array2::from_shape_fn((n, 2), |(_, j)| if j == 0 { 1.5 } else { -0.5 });
        for seed in 0..5 {
            let mut rng = seeded(seed);
            let mut x = x0.clone();
            let t = 60;
            for k in 1..=t {
                x = s.q_step(&x, k, &mut rng);
            }
            let a = s.alpha_bar(t);
            let sd = (1.0 - a).sqrt();
            for (j, &m0) in [1.5, -0.5].iter().enumerate() {
                let col = x.column(j);
                let m = col.mean().unwrap();
                let v = col.var(1.0);
                // s.e. of the mean sd/√n, of the variance sd²√(2/n)
                assert!((m - a.sqrt() * m0).abs() < 4.0 * sd / (n as f64).sqrt(), "seed {seed}: mean {m}");
                assert!((v - sd * sd).abs() < 4.0 * sd * sd * (2.0 / n as f64).sqrt(), "seed {seed}: var {v}");
            }
        }
    }

    #[test]
    fn posterior_matches_gaussian_conditioning() {
        // independently: (x_{t-1}, x_t) | x_0 is jointly Gaussian with
        // x_{t-1} ~ N(√ᾱ_{t-1} x0, 1-ᾱ_{t-1}), x_t = √α_t x_{t-1} + √β_t z; condition on x_t.
        for s in [NoiseSchedule::linear(50, 1e-3, 0.1), NoiseSchedule::cosine(50, 0.008)] {
            for t in [2, 17, 50] {
                let (x0, xt) = (0.7, -1.3);
                let ap = s.alpha_bar(t - 1);
                let (b, al) = (s.beta(t), 1.0 - s.beta(t));
                let (m1, c11) = (ap.sqrt() * x0, 1.0 - ap);
                let (m2, c12) = (al.sqrt() * m1, al.sqrt() * c11);
                let c22 = al * c11 + b;
                let mean = m1 + c12 / c22 * (xt - m2);
                let var = c11 - c12 * c12 / c22;
                let got = s.posterior_mean(&ndarray::array![[xt]], &ndarray::array![[x0]], t)[[0, 0]];
                assert!((got - mean).abs() < 1e-12, "t = {t}: {got} vs {mean}");
                assert!((s.posterior_variance(t) - var).abs() < 1e-12, "t = {t}");
            }
        }
    }
}
