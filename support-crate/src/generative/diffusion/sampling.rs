//! Sampling a DDPM: ancestral sampling, and DDIM (deterministic for η = 0) on a subsequence of steps.
//!
//! With an ε-predictor $\hat\varepsilon(x_t, t)$, the reverse mean is the posterior mean with $x_0$ replaced by its estimate:
//! $$\mu_\theta(x_t, t) = \frac{1}{\sqrt{\alpha_t}}\Big(x_t - \frac{\beta_t}{\sqrt{1-\bar\alpha_t}}\hat\varepsilon(x_t, t)\Big),\qquad
//! x_{t-1} = \mu_\theta(x_t, t) + \sigma_t z .$$
//! DDIM jumps from $\tau$ to $\tau' < \tau$ with $\hat x_0 = (x_\tau - \sqrt{1-\bar\alpha_\tau}\hat\varepsilon)/\sqrt{\bar\alpha_\tau}$:
//! $$x_{\tau'} = \sqrt{\bar\alpha_{\tau'}}\,\hat x_0 + \sqrt{1-\bar\alpha_{\tau'}-\sigma^2}\,\hat\varepsilon + \sigma z,\qquad
//! \sigma = \eta\sqrt{\tfrac{1-\bar\alpha_{\tau'}}{1-\bar\alpha_\tau}}\sqrt{1-\tfrac{\bar\alpha_\tau}{\bar\alpha_{\tau'}}} .$$
//! Any ε-predictor plugs in as `&dyn Fn(&Array2<f64>, usize) -> Array2<f64>` (batch × dim, step $t$);
//! with the exact $\varepsilon^*$ of a [`GaussianMixture`] the samplers reproduce the data law.
//!
//! ## Reference
//! J. Ho, A. Jain, P. Abbeel (2020), Algorithm 2; J. Song, C. Meng, S. Ermon, *Denoising Diffusion
//! Implicit Models* (2021), eq. (12).
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb.

use super::forward::normal_array;
use super::{GaussianMixture, NoiseSchedule};
use ndarray::Array2;
use rand::Rng;

/// An ε-predictor: batch × dim in, batch × dim out, at step $t \in \{1, \dots, T\}$.
pub type EpsModel<'a> = &'a dyn Fn(&Array2<f64>, usize) -> Array2<f64>;

/// The variance $\sigma_t^2$ of the reverse step $p_\theta(x_{t-1}\mid x_t)$ (Ho et al.'s two choices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReverseVariance {
    /// $\sigma_t^2 = \beta_t$ (optimal for $x_0 \sim \mathcal N(0, I)$).
    Beta,
    /// $\sigma_t^2 = \tilde\beta_t$ (optimal for a point mass), with $\beta_1$ at $t = 1$ where $\tilde\beta_1 = 0$.
    Posterior,
}

impl ReverseVariance {
    /// $\sigma_t^2$ for $t \in \{1, \dots, T\}$.
    ///
    /// # Panics
    /// If `t == 0` or `t > T`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::diffusion::{NoiseSchedule, ReverseVariance};
    /// let s = NoiseSchedule::from_betas(vec![0.5, 0.5]);
    /// assert_eq!(ReverseVariance::Beta.sigma2(&s, 2), 0.5);
    /// assert!((ReverseVariance::Posterior.sigma2(&s, 2) - 1.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn sigma2(&self, schedule: &NoiseSchedule, t: usize) -> f64 {
        match self {
            ReverseVariance::Beta => schedule.beta(t),
            ReverseVariance::Posterior if t == 1 => schedule.beta(1),
            ReverseVariance::Posterior => schedule.posterior_variance(t),
        }
    }
}

/// The reverse mean $\mu_\theta(x_t, t)$ from a predicted noise `eps_hat`.
///
/// # Panics
/// If `t == 0`, `t > T` or the shapes differ.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::diffusion::{reverse_mean, NoiseSchedule};
/// let s = NoiseSchedule::linear(10, 0.01, 0.2);
/// // with the true noise, μ_θ is the posterior mean given the true x0
/// let (x0, eps) = (array![[1.0]], array![[-0.5]]);
/// let xt = s.q_sample_with_noise(&x0, 6, &eps);
/// let m = reverse_mean(&s, &xt, &eps, 6);
/// assert!((m[[0, 0]] - s.posterior_mean(&xt, &x0, 6)[[0, 0]]).abs() < 1e-12);
/// ```
pub fn reverse_mean(schedule: &NoiseSchedule, x_t: &Array2<f64>, eps_hat: &Array2<f64>, t: usize) -> Array2<f64> {
    assert_eq!(x_t.dim(), eps_hat.dim(), "x_t and eps_hat must have the same shape");
    let b = schedule.beta(t);
    let c = b / (1.0 - schedule.alpha_bar(t)).sqrt();
    (x_t - &(eps_hat * c)) / (1.0 - b).sqrt()
}

fn check_eps_shape(e: &Array2<f64>, x: &Array2<f64>, t: usize) {
    assert_eq!(e.dim(), x.dim(), "eps_model must return an array of the input's shape (at t = {t})");
}

/// Ancestral DDPM sampling from `x_t_end` ($x_T$, batch × dim) down to $x_0$; no noise is added at $t = 1$.
///
/// # Panics
/// If the ε-predictor returns a wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// use course::generative::diffusion::{ddpm_sample, NoiseSchedule, ReverseVariance};
/// let s = NoiseSchedule::linear(200, 1e-3, 0.05);
/// // data N(0, 1): the exact ε* is √(1-ᾱ_t)·x, and sampling returns N(0, 1)
/// let eps = |x: &Array2<f64>, t: usize| x * (1.0 - s.alpha_bar(t)).sqrt();
/// let mut rng = course::rng::seeded(0);
/// let xt = course::generative::diffusion::standard_normal(&mut rng, 20_000, 1);
/// let x0 = ddpm_sample(&s, &eps, xt, ReverseVariance::Beta, &mut rng);
/// // variance 1 within 4 s.e. (√(2/n) ≈ 0.01) plus the discretization bias of 200 steps
/// assert!((x0.var(1.0) - 1.0).abs() < 0.06);
/// ```
pub fn ddpm_sample(
    schedule: &NoiseSchedule,
    eps_model: EpsModel,
    x_t_end: Array2<f64>,
    variance: ReverseVariance,
    rng: &mut impl Rng,
) -> Array2<f64> {
    let mut x = x_t_end;
    for t in (1..=schedule.n_steps()).rev() {
        let e = eps_model(&x, t);
        check_eps_shape(&e, &x, t);
        x = reverse_mean(schedule, &x, &e, t);
        if t > 1 {
            let z = normal_array(rng, x.nrows(), x.ncols());
            x = x + z * variance.sigma2(schedule, t).sqrt();
        }
    }
    x
}

/// Ancestral DDPM sampling as [`ddpm_sample`], returning snapshots $x_t$ for each `t` in `save_at`
/// (in the order given; $t = T$ is the start, $t = 0$ the result) — pictures of the reverse process.
///
/// # Panics
/// If some `t` in `save_at` exceeds $T$, or the ε-predictor returns a wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// use course::generative::diffusion::{ddpm_sample_path, standard_normal, NoiseSchedule, ReverseVariance};
/// let s = NoiseSchedule::linear(100, 1e-3, 0.1);
/// let eps = |x: &Array2<f64>, t: usize| x * (1.0 - s.alpha_bar(t)).sqrt(); // data N(0, 1)
/// let mut rng = course::rng::seeded(1);
/// let x_t_end = standard_normal(&mut rng, 5, 1);
/// let path = ddpm_sample_path(&s, &eps, x_t_end.clone(), ReverseVariance::Beta, &[100, 50, 0], &mut rng);
/// assert_eq!(path.len(), 3);
/// assert_eq!(path[0], x_t_end); // t = T is the starting point
/// ```
pub fn ddpm_sample_path(
    schedule: &NoiseSchedule,
    eps_model: EpsModel,
    x_t_end: Array2<f64>,
    variance: ReverseVariance,
    save_at: &[usize],
    rng: &mut impl Rng,
) -> Vec<Array2<f64>> {
    let big_t = schedule.n_steps();
    for &t in save_at {
        assert!(t <= big_t, "save_at entries must be in 0..={big_t}, got {t}");
    }
    let mut saved: Vec<Option<Array2<f64>>> = vec![None; save_at.len()];
    let mut store = |x: &Array2<f64>, t: usize| {
        for (i, &ts) in save_at.iter().enumerate() {
            if ts == t {
                saved[i] = Some(x.clone());
            }
        }
    };
    let mut x = x_t_end;
    store(&x, big_t);
    for t in (1..=big_t).rev() {
        let e = eps_model(&x, t);
        check_eps_shape(&e, &x, t);
        x = reverse_mean(schedule, &x, &e, t);
        if t > 1 {
            let z = normal_array(rng, x.nrows(), x.ncols());
            x = x + z * variance.sigma2(schedule, t).sqrt();
        }
        store(&x, t - 1);
    }
    saved.into_iter().map(|s| s.expect("every save_at step is visited")).collect()
}

/// `n_samples × dim` standard normal draws (the starting $x_T$ of the samplers).
///
/// # Examples
/// ```
/// let z = course::generative::diffusion::standard_normal(&mut course::rng::seeded(3), 10_000, 2);
/// assert!(z.mean().unwrap().abs() < 4.0 / (20_000f64).sqrt());
/// ```
pub fn standard_normal(rng: &mut impl Rng, n_samples: usize, dim: usize) -> Array2<f64> {
    normal_array(rng, n_samples, dim)
}

/// DDIM's time subsequence: `n_steps` increasing steps $\tau_i = \lceil iT/n\rceil$, ending at $T$.
///
/// # Panics
/// If `n_steps == 0` or `n_steps > t_total`.
///
/// # Examples
/// ```
/// assert_eq!(course::generative::diffusion::ddim_timesteps(1000, 4), vec![250, 500, 750, 1000]);
/// ```
pub fn ddim_timesteps(t_total: usize, n_steps: usize) -> Vec<usize> {
    assert!(n_steps > 0 && n_steps <= t_total, "n_steps must be in 1..={t_total}, got {n_steps}");
    (1..=n_steps).map(|i| (i * t_total).div_ceil(n_steps)).collect()
}

/// DDIM sampling from `x_t_end` on `n_steps` steps of [`ddim_timesteps`]; `eta = 0` is deterministic,
/// `eta = 1` has the DDPM posterior variance.
///
/// # Panics
/// If `eta < 0`, `n_steps` is not in $1..=T$, or the ε-predictor returns a wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::diffusion::{ddim_sample, NoiseSchedule};
/// let s = NoiseSchedule::linear(1000, 1e-4, 0.02);
/// // data N(0, 1), ε* = √(1-ᾱ)x: writing ᾱ = cos²θ, each η = 0 step multiplies x by cos(θ - θ'),
/// // so x_0 = x_T ∏ cos Δθ → x_T as the steps get finer (the flow of N(0, 1) data stands still)
/// let eps = |x: &Array2<f64>, t: usize| x * (1.0 - s.alpha_bar(t)).sqrt();
/// let x0 = ddim_sample(&s, &eps, array![[0.8]], 10, 0.0, &mut course::rng::seeded(0));
/// let taus = course::generative::diffusion::ddim_timesteps(1000, 10);
/// let theta = |t: usize| s.alpha_bar(t).sqrt().acos();
/// let mut want = 0.8 * theta(taus[0]).cos(); // the last jump goes to θ = 0
/// for w in taus.windows(2) { want *= (theta(w[1]) - theta(w[0])).cos(); }
/// assert!((x0[[0, 0]] - want).abs() < 1e-12);
/// ```
pub fn ddim_sample(
    schedule: &NoiseSchedule,
    eps_model: EpsModel,
    x_t_end: Array2<f64>,
    n_steps: usize,
    eta: f64,
    rng: &mut impl Rng,
) -> Array2<f64> {
    assert!(eta >= 0.0 && eta.is_finite(), "eta must be >= 0, got {eta}");
    let taus = ddim_timesteps(schedule.n_steps(), n_steps);
    let mut x = x_t_end;
    for i in (0..taus.len()).rev() {
        let t = taus[i];
        let t_prev = if i == 0 { 0 } else { taus[i - 1] };
        let (a, a_prev) = (schedule.alpha_bar(t), schedule.alpha_bar(t_prev));
        let e = eps_model(&x, t);
        check_eps_shape(&e, &x, t);
        let x0_hat = (&x - &(&e * (1.0 - a).sqrt())) / a.sqrt();
        let sigma = eta * ((1.0 - a_prev) / (1.0 - a)).sqrt() * (1.0 - a / a_prev).sqrt();
        let dir = (1.0 - a_prev - sigma * sigma).max(0.0).sqrt();
        x = x0_hat * a_prev.sqrt() + e * dir;
        if sigma > 0.0 {
            let z = normal_array(rng, x.nrows(), x.ncols());
            x = x + z * sigma;
        }
    }
    x
}

/// DDPM samples of a mixture with its exact ε*: `n_samples` draws starting from $x_T\sim\mathcal N(0, I)$, seeded.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::diffusion::{ddpm_sample_mixture, GaussianMixture, NoiseSchedule, ReverseVariance};
/// let g = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-2.0], [2.0]], 0.25);
/// let s = NoiseSchedule::linear(200, 1e-3, 0.05);
/// let x = ddpm_sample_mixture(&s, &g, 4000, ReverseVariance::Beta, 0);
/// // most samples land near ±2
/// let near = x.iter().filter(|v| (v.abs() - 2.0).abs() < 1.0).count();
/// assert!(near > 3600);
/// ```
pub fn ddpm_sample_mixture(
    schedule: &NoiseSchedule,
    mixture: &GaussianMixture,
    n_samples: usize,
    variance: ReverseVariance,
    seed: u64,
) -> Array2<f64> {
    let mut rng = crate::rng::seeded(seed);
    let x = normal_array(&mut rng, n_samples, mixture.dim());
    let eps = |x: &Array2<f64>, t: usize| mixture.eps_star(schedule, x, t);
    ddpm_sample(schedule, &eps, x, variance, &mut rng)
}

/// DDIM samples of a mixture with its exact ε*, from $x_T\sim\mathcal N(0, I)$, seeded.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::diffusion::{ddim_sample_mixture, GaussianMixture, NoiseSchedule};
/// let g = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-2.0], [2.0]], 0.25);
/// let s = NoiseSchedule::linear(1000, 1e-4, 0.02);
/// let x = ddim_sample_mixture(&s, &g, 4000, 50, 0.0, 0);
/// let near = x.iter().filter(|v| (v.abs() - 2.0).abs() < 1.0).count();
/// assert!(near > 3600);
/// ```
pub fn ddim_sample_mixture(
    schedule: &NoiseSchedule,
    mixture: &GaussianMixture,
    n_samples: usize,
    n_steps: usize,
    eta: f64,
    seed: u64,
) -> Array2<f64> {
    let mut rng = crate::rng::seeded(seed);
    let x = normal_array(&mut rng, n_samples, mixture.dim());
    let eps = |x: &Array2<f64>, t: usize| mixture.eps_star(schedule, x, t);
    ddim_sample(schedule, &eps, x, n_steps, eta, &mut rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn data() -> GaussianMixture {
        GaussianMixture::new(vec![0.4, 0.6], array![[-1.0, 1.0], [1.5, 0.0]], array![[0.3, 0.2], [0.2, 0.5]])
    }

    #[test]
    fn ddpm_with_exact_eps_reproduces_mean_and_covariance() {
        let s = NoiseSchedule::linear(1000, 1e-4, 0.02);
        let g = data();
        for seed in 0..3 {
            for v in [ReverseVariance::Beta, ReverseVariance::Posterior] {
                let x = ddpm_sample_mixture(&s, &g, 20_000, v, seed);
                let z = g.moment_z_score(&x);
                assert!(z < 4.0, "seed {seed}, {v:?}: worst z-score {z}");
            }
        }
    }

    #[test]
    fn ddim_with_exact_eps_matches_with_half_of_the_steps() {
        let s = NoiseSchedule::linear(1000, 1e-4, 0.02);
        let g = data();
        for seed in 0..3 {
            // DDIM's bias at 20/50/100/200 deterministic steps is about 20/7/3.4/2–4.5 s.e. here (the next
            // test shows its decay); at 500 steps its worst z-scores over 8 other seeds
            // (10..18) were 3.3 for η = 0 and 3.1 for η = 1.
            for (n_steps, eta) in [(500, 0.0), (500, 1.0)] {
                let x = ddim_sample_mixture(&s, &g, 20_000, n_steps, eta, seed);
                let z = g.moment_z_score(&x);
                assert!(z < 4.0, "seed {seed}, {n_steps} steps, eta {eta}: worst z-score {z}");
            }
        }
    }

    #[test]
    fn ddim_error_decreases_with_the_number_of_steps() {
        // 1-D Gaussian data N(m, v): deterministic DDIM is an affine map x_T ↦ A x_T + B, so its output
        // law is exactly N(B, A²); pushing x_T = 0 and 1 through it measures the error without Monte Carlo.
        let (m, v) = (1.0, 0.09);
        let g = GaussianMixture::new(vec![1.0], array![[m]], array![[v]]);
        let s = NoiseSchedule::linear(1000, 1e-4, 0.02);
        let eps = |x: &Array2<f64>, t: usize| g.eps_star(&s, x, t);
        let err = |n: usize| {
            let y = ddim_sample(&s, &eps, array![[0.0], [1.0]], n, 0.0, &mut crate::rng::seeded(0));
            let (b, a) = (y[[0, 0]], y[[1, 0]] - y[[0, 0]]);
            (b - m).abs() + (a * a - v).abs()
        };
        let errs: Vec<f64> = [5, 10, 20, 50, 100].iter().map(|&n| err(n)).collect();
        assert!(errs.windows(2).all(|w| w[1] < w[0]), "{errs:?}");
        assert!(errs[4] < 0.01, "{errs:?}");
    }

    #[test]
    fn the_path_ends_where_ddpm_sample_ends() {
        let s = NoiseSchedule::linear(50, 1e-3, 0.1);
        let g = data();
        let eps = |x: &Array2<f64>, t: usize| g.eps_star(&s, x, t);
        let x_t_end = standard_normal(&mut crate::rng::seeded(0), 100, 2);
        let a = ddpm_sample(&s, &eps, x_t_end.clone(), ReverseVariance::Beta, &mut crate::rng::seeded(1));
        let p = ddpm_sample_path(&s, &eps, x_t_end, ReverseVariance::Beta, &[25, 0], &mut crate::rng::seeded(1));
        assert_eq!(p[1], a);
    }

    #[test]
    #[should_panic(expected = "eps_model must return an array of the input's shape")]
    fn wrong_shape_eps_panics() {
        let s = NoiseSchedule::linear(10, 0.01, 0.2);
        let eps = |x: &Array2<f64>, _t: usize| Array2::zeros((x.nrows(), 3));
        ddpm_sample(&s, &eps, array![[0.0, 0.0]], ReverseVariance::Beta, &mut crate::rng::seeded(0));
    }
}
