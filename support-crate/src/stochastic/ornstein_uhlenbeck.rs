//! The Ornstein–Uhlenbeck process solved exactly: Gaussian transitions, densities and paths.
//!
//! $dX = -\theta X\,dt + \sigma\,dW$ has $X_t = e^{-\theta t}X_0 + \sigma\int_0^t e^{-\theta(t-s)}dW_s$, so
//! $$X_{t+\Delta t}\mid X_t = x \;\sim\; \mathcal N\Big(x e^{-\theta\Delta t},\ \frac{\sigma^2}{2\theta}\big(1 - e^{-2\theta\Delta t}\big)\Big).$$
//! From $X_0\sim\mathcal N(m_0, v_0)$, $X_t\sim\mathcal N\big(m_0e^{-\theta t},\ v_0e^{-2\theta t} + \frac{\sigma^2}{2\theta}(1-e^{-2\theta t})\big)$,
//! and the stationary law is $\mathcal N(0, \sigma^2/2\theta)$.
//!
//! ## Reference
//! G. E. Uhlenbeck & L. S. Ornstein (1930); B. Øksendal (2003), Example 5.1.3; G. A. Pavliotis,
//! *Stochastic Processes and Applications* (2014), §3.7.
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb and Part V (the VP diffusion).

use super::OrnsteinUhlenbeck;
use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

impl OrnsteinUhlenbeck {
    /// One exact transition over `dt` from `x`, driven by a standard normal `z`.
    ///
    /// # Examples
    /// ```
    /// use course::stochastic::OrnsteinUhlenbeck;
    /// let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 };
    /// assert!((ou.exact_step(2.0, 1.0, 0.0) - 2.0 * (-1.0f64).exp()).abs() < 1e-15);
    /// ```
    pub fn exact_step(&self, x: f64, dt: f64, z: f64) -> f64 {
        let a = (-self.theta * dt).exp();
        x * a + (self.sigma * self.sigma / (2.0 * self.theta) * (1.0 - a * a)).sqrt() * z
    }

    /// Exact paths on the grid $t_k = k\,\Delta t$, `n_paths × (n_steps + 1)`; row $i$ starts at
    /// `x0[i % x0.len()]` (one start for all, or one per path).
    ///
    /// # Panics
    /// If `t_end <= 0`, `n_steps == 0`, `x0` is empty or `theta <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::stochastic::OrnsteinUhlenbeck;
    /// let ou = OrnsteinUhlenbeck { theta: 2.0, sigma: 1.0 };
    /// let p = ou.exact_paths(&[1.0], 1.0, 4, 20_000, &mut course::rng::seeded(0));
    /// let m = p.column(4).mean().unwrap();
    /// // exact mean e^{-2} = 0.135, sd of X_1 ≈ 0.49: 4 s.e. = 0.014
    /// assert!((m - (-2.0f64).exp()).abs() < 0.014);
    /// ```
    pub fn exact_paths(&self, x0: &[f64], t_end: f64, n_steps: usize, n_paths: usize, rng: &mut impl Rng) -> Array2<f64> {
        assert!(t_end > 0.0 && t_end.is_finite(), "t_end must be > 0, got {t_end}");
        assert!(n_steps > 0, "n_steps must be > 0");
        assert!(!x0.is_empty(), "x0 must not be empty");
        assert!(self.theta > 0.0, "theta must be > 0, got {}", self.theta);
        let dt = t_end / n_steps as f64;
        let mut out = Array2::zeros((n_paths, n_steps + 1));
        for (i, mut row) in out.rows_mut().into_iter().enumerate() {
            let mut x = x0[i % x0.len()];
            row[0] = x;
            for k in 0..n_steps {
                x = self.exact_step(x, dt, Distribution::<f64>::sample(&StandardNormal, rng));
                row[k + 1] = x;
            }
        }
        out
    }

    /// The density of $X_t$ at `x` when $X_0\sim\mathcal N(m_0, v_0)$ (`v0 = 0`: a point mass),
    /// for $t > 0$ or $v_0 > 0$.
    ///
    /// # Panics
    /// If the variance at time `t` is not > 0.
    ///
    /// # Examples
    /// ```
    /// use course::stochastic::OrnsteinUhlenbeck;
    /// let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 2.0f64.sqrt() };
    /// // stationary N(0, 1): density at 0 is 1/√(2π); starting there, it stays
    /// assert!((ou.density(0.0, 1.0, 0.7, 0.0) - 0.3989422804014327).abs() < 1e-15);
    /// ```
    pub fn density(&self, m0: f64, v0: f64, t: f64, x: f64) -> f64 {
        let e = (-self.theta * t).exp();
        let mean = m0 * e;
        let var = v0 * e * e + self.variance(t);
        assert!(var > 0.0, "density: the variance at t = {t} must be > 0, got {var}");
        (-(x - mean).powi(2) / (2.0 * var)).exp() / (2.0 * std::f64::consts::PI * var).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn exact_paths_have_the_ou_covariance_on_several_seeds() {
        // Cov(X_s, X_t) = e^{-θ(t-s)} Var X_s from X_0 = 0; s = 0.5, t = 1.5, θ = 1, σ = 1.
        let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 };
        for seed in 0..5 {
            let p = ou.exact_paths(&[0.0], 1.5, 3, 40_000, &mut seeded(seed));
            let cov = (0..40_000).map(|i| p[[i, 1]] * p[[i, 3]]).sum::<f64>() / 40_000.0;
            let truth = (-1.0f64).exp() * ou.variance(0.5);
            // sd of X_s X_t ≤ sqrt(Var X_s Var X_t + Cov²) ≈ 0.2: 4 s.e. ≈ 0.004
            assert!((cov - truth).abs() < 0.004, "seed {seed}: {cov} vs {truth}");
        }
    }

    #[test]
    fn density_integrates_to_one_and_has_the_right_mean() {
        let ou = OrnsteinUhlenbeck { theta: 0.7, sigma: 0.9 };
        let h = 1e-3;
        let xs: Vec<f64> = (0..20_000).map(|i| -10.0 + (i as f64 + 0.5) * h).collect();
        let mass: f64 = xs.iter().map(|&x| ou.density(2.0, 0.3, 0.8, x)).sum::<f64>() * h;
        let mean: f64 = xs.iter().map(|&x| x * ou.density(2.0, 0.3, 0.8, x)).sum::<f64>() * h;
        assert!((mass - 1.0).abs() < 1e-10);
        assert!((mean - ou.mean(2.0, 0.8)).abs() < 1e-10);
    }
}
