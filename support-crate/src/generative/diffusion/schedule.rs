//! Noise schedules: $\beta_t$, $\alpha_t = 1-\beta_t$, $\bar\alpha_t = \prod_{s\le t}\alpha_s$ and the SNR.
//!
//! Linear (Ho et al. 2020): $\beta_t$ equally spaced from $\beta_1$ to $\beta_T$.
//! Cosine (Nichol & Dhariwal 2021):
//! $$\bar\alpha_t = \frac{f(t)}{f(0)},\qquad f(t) = \cos^2\Big(\frac{t/T + s}{1+s}\cdot\frac{\pi}{2}\Big),\qquad
//! \beta_t = \min\Big(1 - \frac{\bar\alpha_t}{\bar\alpha_{t-1}},\ 0.999\Big).$$
//! The signal-to-noise ratio of $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$ is
//! $\mathrm{SNR}(t) = \bar\alpha_t / (1-\bar\alpha_t)$.
//!
//! ## Reference
//! J. Ho, A. Jain, P. Abbeel, *Denoising Diffusion Probabilistic Models* (2020), §2, §4;
//! A. Nichol, P. Dhariwal, *Improved DDPM* (2021), §3.2.
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb.

/// A discrete noise schedule with `n_steps` $= T$ steps; indices are the paper's, $t = 1, \dots, T$
/// for $\beta_t$ and $t = 0, \dots, T$ for $\bar\alpha_t$ ($\bar\alpha_0 = 1$).
#[derive(Clone, Debug, PartialEq)]
pub struct NoiseSchedule {
    /// `betas[t - 1]` $= \beta_t$.
    pub betas: Vec<f64>,
    /// `alpha_bars[t]` $= \bar\alpha_t$, with `alpha_bars[0] = 1`.
    pub alpha_bars: Vec<f64>,
}

impl NoiseSchedule {
    /// A schedule from its betas, each in $(0, 1)$.
    ///
    /// # Panics
    /// If `betas` is empty or some $\beta_t \notin (0, 1)$.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::from_betas(vec![0.5, 0.5]);
    /// assert!((s.alpha_bar(2) - 0.25).abs() < 1e-15);
    /// ```
    pub fn from_betas(betas: Vec<f64>) -> Self {
        assert!(!betas.is_empty(), "betas must not be empty");
        for (i, &b) in betas.iter().enumerate() {
            assert!(b > 0.0 && b < 1.0, "betas must lie in (0, 1), got beta_{} = {b}", i + 1);
        }
        let mut alpha_bars = Vec::with_capacity(betas.len() + 1);
        alpha_bars.push(1.0);
        for &b in &betas {
            let last = *alpha_bars.last().unwrap();
            alpha_bars.push(last * (1.0 - b));
        }
        Self { betas, alpha_bars }
    }

    /// Ho et al.'s linear schedule, $\beta_t$ from `beta_1` to `beta_t_end` (their 1e-4 and 0.02 for $T = 1000$).
    ///
    /// # Panics
    /// If `n_steps < 2` or the betas are not in $(0, 1)$.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::linear(1000, 1e-4, 0.02);
    /// assert!((s.beta(1) - 1e-4).abs() < 1e-15 && (s.beta(1000) - 0.02).abs() < 1e-15);
    /// assert!(s.alpha_bar(1000) < 1e-4); // x_T is nearly pure noise
    /// ```
    pub fn linear(n_steps: usize, beta_1: f64, beta_t_end: f64) -> Self {
        assert!(n_steps >= 2, "n_steps must be >= 2, got {n_steps}");
        let betas = crate::linspace(beta_1, beta_t_end, n_steps);
        Self::from_betas(betas)
    }

    /// Nichol & Dhariwal's cosine schedule with offset `s` (their 0.008), betas clipped at 0.999.
    ///
    /// # Panics
    /// If `n_steps == 0` or `s < 0`.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::cosine(100, 0.008);
    /// // halfway, ᾱ = cos²((0.5 + s)/(1 + s)·π/2) / cos²(s/(1 + s)·π/2) ≈ 0.494
    /// let f = |u: f64| ((u + 0.008) / 1.008 * std::f64::consts::FRAC_PI_2).cos().powi(2);
    /// assert!((s.alpha_bar(50) - f(0.5) / f(0.0)).abs() < 1e-12);
    /// ```
    pub fn cosine(n_steps: usize, s: f64) -> Self {
        assert!(n_steps > 0, "n_steps must be > 0, got {n_steps}");
        assert!(s >= 0.0 && s.is_finite(), "s must be >= 0, got {s}");
        let f = |t: usize| {
            ((t as f64 / n_steps as f64 + s) / (1.0 + s) * std::f64::consts::FRAC_PI_2).cos().powi(2)
        };
        let betas = (1..=n_steps).map(|t| (1.0 - f(t) / f(t - 1)).clamp(1e-12, 0.999)).collect();
        Self::from_betas(betas)
    }

    /// The number of steps $T$.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::generative::diffusion::NoiseSchedule::cosine(50, 0.008).n_steps(), 50);
    /// ```
    pub fn n_steps(&self) -> usize {
        self.betas.len()
    }

    /// $\beta_t$ for $t \in \{1, \dots, T\}$.
    ///
    /// # Panics
    /// If `t == 0` or `t > T`.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::linear(3, 0.1, 0.3);
    /// assert!((s.beta(2) - 0.2).abs() < 1e-15);
    /// ```
    pub fn beta(&self, t: usize) -> f64 {
        assert!(t >= 1 && t <= self.n_steps(), "t must be in 1..={}, got {t}", self.n_steps());
        self.betas[t - 1]
    }

    /// $\alpha_t = 1 - \beta_t$ for $t \in \{1, \dots, T\}$.
    ///
    /// # Panics
    /// If `t == 0` or `t > T`.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::linear(3, 0.1, 0.3);
    /// assert!((s.alpha(3) - 0.7).abs() < 1e-15);
    /// ```
    pub fn alpha(&self, t: usize) -> f64 {
        1.0 - self.beta(t)
    }

    /// $\bar\alpha_t = \prod_{s=1}^t (1-\beta_s)$ for $t \in \{0, \dots, T\}$.
    ///
    /// # Panics
    /// If `t > T`.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::linear(3, 0.1, 0.3);
    /// assert!((s.alpha_bar(3) - 0.9 * 0.8 * 0.7).abs() < 1e-15);
    /// assert_eq!(s.alpha_bar(0), 1.0);
    /// ```
    pub fn alpha_bar(&self, t: usize) -> f64 {
        assert!(t <= self.n_steps(), "t must be in 0..={}, got {t}", self.n_steps());
        self.alpha_bars[t]
    }

    /// The signal-to-noise ratio $\bar\alpha_t / (1 - \bar\alpha_t)$ for $t \in \{1, \dots, T\}$.
    ///
    /// # Panics
    /// If `t == 0` (infinite SNR) or `t > T`.
    ///
    /// # Examples
    /// ```
    /// let s = course::generative::diffusion::NoiseSchedule::from_betas(vec![0.5]);
    /// assert!((s.snr(1) - 1.0).abs() < 1e-15); // half signal, half noise
    /// ```
    pub fn snr(&self, t: usize) -> f64 {
        assert!(t >= 1, "t must be >= 1 for a finite SNR, got {t}");
        let a = self.alpha_bar(t);
        a / (1.0 - a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_bar_is_decreasing_and_in_unit_interval() {
        for s in [NoiseSchedule::linear(1000, 1e-4, 0.02), NoiseSchedule::cosine(1000, 0.008)] {
            assert!(s.alpha_bars.windows(2).all(|w| w[1] < w[0]));
            assert!(s.alpha_bars.iter().all(|&a| (0.0..=1.0).contains(&a)));
            // the SNR is decreasing too
            assert!((1..1000).all(|t| s.snr(t + 1) < s.snr(t)));
        }
    }

    #[test]
    fn cosine_alpha_bar_matches_the_closed_form_away_from_the_clip() {
        let n = 1000;
        let s = NoiseSchedule::cosine(n, 0.008);
        let f = |u: f64| ((u + 0.008) / 1.008 * std::f64::consts::FRAC_PI_2).cos().powi(2);
        for t in [1, 10, 250, 500, 900, 990] {
            let want = f(t as f64 / n as f64) / f(0.0);
            assert!((s.alpha_bar(t) - want).abs() < 1e-12 * want.max(1e-3), "t = {t}");
        }
        // the clip makes the last beta 0.999
        assert!((s.beta(n) - 0.999).abs() < 1e-12);
    }

    #[test]
    fn linear_alpha_bar_matches_log_sum_and_snr_definition() {
        let s = NoiseSchedule::linear(200, 1e-3, 0.05);
        let t = 137;
        let log_sum: f64 = (1..=t).map(|k| (1.0 - s.beta(k)).ln()).sum();
        assert!((s.alpha_bar(t).ln() - log_sum).abs() < 1e-12);
        let a = log_sum.exp();
        assert!((s.snr(t) - a / (1.0 - a)).abs() < 1e-10 * s.snr(t));
    }

    #[test]
    #[should_panic(expected = "betas must lie in (0, 1)")]
    fn bad_beta_panics() {
        NoiseSchedule::from_betas(vec![0.1, 1.2]);
    }
}
