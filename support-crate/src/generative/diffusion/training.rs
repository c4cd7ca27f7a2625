//! Training a DDPM by ε-prediction: regress the added noise from the noised point.
//!
//! Ho et al.'s simplified objective drops the ELBO's weights and keeps the noise regression
//! $$L_{\text{simple}}(\theta) = \mathbb E_{t\sim\mathcal U\{1..T\},\;x_0\sim q,\;\varepsilon\sim\mathcal N(0,I)}
//! \Big\lVert \varepsilon - \hat\varepsilon_\theta\big(\sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon,\; t/T\big)\Big\rVert^2 ,$$
//! whose minimizer is the conditional mean $\varepsilon^*(x_t, t) = \mathbb E[\varepsilon\mid x_t]
//! = -\sqrt{1-\bar\alpha_t}\,\nabla\log q_t(x_t)$ (a regression's optimum is the conditional
//! expectation). The network is a [`TimeMlp`] that sees $(x_t, \gamma(t/T))$; each chunk of
//! Adam steps gets fresh triples $(x_0, t, \varepsilon)$, so the net never sees the same noised
//! point twice and cannot overfit the noise. The learning rate decays linearly to a tenth of
//! its start over the run (the last steps average the minibatch noise out).
//!
//! A trained [`DdpmModel`] plugs into the samplers of this module: ancestral DDPM with all $T$
//! steps ([`DdpmModel::sample`]) or deterministic DDIM on a subsequence ([`DdpmModel::sample_ddim`]).
//!
//! ## Reference
//! J. Ho, A. Jain, P. Abbeel (2020), *Denoising Diffusion Probabilistic Models*, §3.4 and
//! Algorithm 1; C. Luo (2022) / S. Chan (2024), tutorials on diffusion models.
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb (and 28 for the quality-vs-NFE comparison).

use super::forward::normal_array;
use super::{ddim_sample, ddpm_sample, NoiseSchedule, ReverseVariance};
use crate::generative::net::TimeMlp;
use crate::rng::seeded;
use ndarray::Array2;
use rand::RngExt;

/// A DDPM: an ε-network and the schedule it was trained on.
#[derive(Debug)]
pub struct DdpmModel {
    /// The network at $(x_t, \tau)$ with $\tau = t/T \in (0, 1]$: $\hat\varepsilon_\theta$ or $\hat v_\theta$ (see `prediction`).
    pub net: TimeMlp,
    /// The noise schedule ($T$ = `schedule.n_steps()`).
    pub schedule: NoiseSchedule,
    /// What the network predicts.
    pub prediction: Prediction,
}

/// What the network of a [`DdpmModel`] is trained to output. The two are equivalent: each is an
/// invertible affine function of the other given $x_t$, so every sampler runs on
/// $\hat\varepsilon$ either way; they differ in which errors the loss weighs.
///
/// With $x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$ and the **velocity**
/// $v = \sqrt{\bar\alpha_t}\,\varepsilon - \sqrt{1-\bar\alpha_t}\,x_0$ (Salimans & Ho 2022, §4),
/// $$\varepsilon = \sqrt{1-\bar\alpha_t}\,x_t + \sqrt{\bar\alpha_t}\,v,\qquad x_0 = \sqrt{\bar\alpha_t}\,x_t - \sqrt{1-\bar\alpha_t}\,v .$$
/// At high noise ($\bar\alpha_t\to0$) an ε-network must output almost exactly $x_t$, and
/// $\hat x_0 = (x_t - \sqrt{1-\bar\alpha_t}\,\hat\varepsilon)/\sqrt{\bar\alpha_t}$ multiplies its error by
/// $1/\sqrt{\bar\alpha_t}$; a v-network outputs about $-\mathbb E[x_0]$ there. In losses,
/// $\lVert\hat v - v\rVert^2 = \lVert\hat\varepsilon-\varepsilon\rVert^2/\bar\alpha_t = \lVert\hat x_0 - x_0\rVert^2/(1-\bar\alpha_t)$: compared with
/// $L_{\text{simple}}$ the v-loss weighs step $t$ by $1 + 1/\mathrm{SNR}_t$, more at high noise, where
/// the shape of the sample is decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Prediction {
    /// The noise $\varepsilon$ (Ho et al. 2020, $L_{\text{simple}}$).
    #[default]
    Epsilon,
    /// The velocity $v$ (Salimans & Ho 2022).
    Velocity,
}

impl DdpmModel {
    /// An untrained model (the baseline a trained one must beat): a fresh [`TimeMlp`] of widths
    /// `hidden` on `dim`-dimensional data, initialized from `seed`.
    ///
    /// # Panics
    /// If `dim == 0` or `hidden` is empty or contains 0.
    ///
    /// # Examples
    /// ```
    /// use course::generative::diffusion::{DdpmModel, NoiseSchedule};
    /// let m = DdpmModel::untrained(2, &[16], NoiseSchedule::linear(50, 1e-3, 0.1), 0);
    /// assert_eq!(m.net.steps(), 0);
    /// assert_eq!(m.eps(&course::ndarray::Array2::zeros((3, 2)), 7).dim(), (3, 2));
    /// ```
    pub fn untrained(dim: usize, hidden: &[usize], schedule: NoiseSchedule, seed: u64) -> Self {
        DdpmModel { net: TimeMlp::new(dim, dim, hidden, seed), schedule, prediction: Prediction::Epsilon }
    }

    /// $T$, the number of diffusion steps.
    pub fn n_steps(&self) -> usize {
        self.schedule.n_steps()
    }

    /// The predicted noise $\hat\varepsilon_\theta(x_t, t)$ at step $t\in\{1..T\}$ for every row
    /// of `x` (the network's time input is $t/T$).
    ///
    /// # Panics
    /// If `t` is not in $1..=T$ or `x` has the wrong width.
    ///
    /// # Examples
    /// ```
    /// use course::generative::diffusion::{DdpmModel, NoiseSchedule};
    /// let m = DdpmModel::untrained(2, &[16], NoiseSchedule::linear(50, 1e-3, 0.1), 0);
    /// let x = course::ndarray::array![[0.5, -1.0]];
    /// // same as asking the network at τ = t/T directly
    /// assert_eq!(m.eps(&x, 25), m.net.predict_at(&x, 0.5));
    /// ```
    pub fn eps(&self, x: &Array2<f64>, t: usize) -> Array2<f64> {
        let big_t = self.n_steps();
        assert!(t >= 1 && t <= big_t, "DdpmModel::eps: t must be in 1..={big_t}, got {t}");
        let out = self.net.predict_at(x, t as f64 / big_t as f64);
        match self.prediction {
            Prediction::Epsilon => out,
            Prediction::Velocity => {
                let a = self.schedule.alpha_bar(t);
                x * (1.0 - a).sqrt() + out * a.sqrt()
            }
        }
    }

    /// $\hat x_0 = (x_t - \sqrt{1-\bar\alpha_t}\,\hat\varepsilon_\theta(x_t,t))/\sqrt{\bar\alpha_t}$,
    /// the model's one-shot guess of the clean point.
    ///
    /// # Panics
    /// As [`DdpmModel::eps`].
    ///
    /// # Examples
    /// ```
    /// use course::generative::diffusion::{DdpmModel, NoiseSchedule};
    /// let s = NoiseSchedule::linear(50, 1e-3, 0.1);
    /// let m = DdpmModel::untrained(1, &[8], s.clone(), 3);
    /// let x = course::ndarray::array![[0.3]];
    /// let e = m.eps(&x, 10)[[0, 0]];
    /// let want = (0.3 - (1.0 - s.alpha_bar(10)).sqrt() * e) / s.alpha_bar(10).sqrt();
    /// assert!((m.x0_hat(&x, 10)[[0, 0]] - want).abs() < 1e-12);
    /// ```
    pub fn x0_hat(&self, x: &Array2<f64>, t: usize) -> Array2<f64> {
        let a = self.schedule.alpha_bar(t);
        (x - &(self.eps(x, t) * (1.0 - a).sqrt())) / a.sqrt()
    }

    /// `n_samples` ancestral samples (Ho et al.'s Algorithm 2, all $T$ steps, $\sigma_t^2 = \beta_t$)
    /// from $x_T\sim\mathcal N(0, I)$, seeded.
    ///
    /// # Examples
    /// ```
    /// use course::generative::diffusion::{DdpmModel, NoiseSchedule};
    /// let m = DdpmModel::untrained(2, &[8], NoiseSchedule::linear(20, 1e-3, 0.2), 0);
    /// let x = m.sample(100, 1);
    /// assert_eq!(x.dim(), (100, 2));
    /// assert_eq!(x, m.sample(100, 1)); // same seed, same samples
    /// ```
    pub fn sample(&self, n_samples: usize, seed: u64) -> Array2<f64> {
        self.sample_with(n_samples, ReverseVariance::Beta, seed)
    }

    /// As [`DdpmModel::sample`] with the reverse variance of your choice
    /// ($\beta_t$ or the posterior's $\tilde\beta_t$).
    pub fn sample_with(&self, n_samples: usize, variance: ReverseVariance, seed: u64) -> Array2<f64> {
        let mut rng = seeded(seed);
        let x_t_end = normal_array(&mut rng, n_samples, self.net.dim_in());
        let eps = |x: &Array2<f64>, t: usize| self.eps(x, t);
        ddpm_sample(&self.schedule, &eps, x_t_end, variance, &mut rng)
    }

    /// `n_samples` deterministic DDIM samples ($\eta = 0$) on `n_steps` steps of
    /// [`super::ddim_timesteps`], from $x_T\sim\mathcal N(0, I)$ seeded: `n_steps` network
    /// evaluations instead of $T$.
    ///
    /// # Panics
    /// If `n_steps` is not in $1..=T$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::diffusion::{DdpmModel, NoiseSchedule};
    /// let m = DdpmModel::untrained(2, &[8], NoiseSchedule::linear(20, 1e-3, 0.2), 0);
    /// assert_eq!(m.sample_ddim(50, 5, 2).dim(), (50, 2));
    /// ```
    pub fn sample_ddim(&self, n_samples: usize, n_steps: usize, seed: u64) -> Array2<f64> {
        let mut rng = seeded(seed);
        let x_t_end = normal_array(&mut rng, n_samples, self.net.dim_in());
        let eps = |x: &Array2<f64>, t: usize| self.eps(x, t);
        ddim_sample(&self.schedule, &eps, x_t_end, n_steps, 0.0, &mut rng)
    }
}

/// The training configuration of [`train_ddpm`].
#[derive(Clone, Debug, PartialEq)]
pub struct DenoiserTraining {
    /// Hidden widths of the ε-network.
    pub hidden: Vec<usize>,
    /// Total number of Adam steps.
    pub n_steps: usize,
    /// Minibatch size.
    pub batch_size: usize,
    /// Initial learning rate (decays linearly to `lr / 10`).
    pub lr: f64,
    /// Seed of the network's initialization and of the training data $(x_0, t, \varepsilon)$.
    pub seed: u64,
    /// The network's target: $\varepsilon$ (the default) or $v$.
    pub prediction: Prediction,
}

impl Default for DenoiserTraining {
    /// Three hidden layers of 128, 4000 steps of batch 256 at `lr = 5e-3`, seed 0: learns a
    /// 2-D target (Swiss roll, mixture) in a few seconds.
    fn default() -> Self {
        DenoiserTraining { hidden: vec![128, 128, 128], n_steps: 4000, batch_size: 256, lr: 5e-3, seed: 0, prediction: Prediction::Epsilon }
    }
}

/// Adam steps per chunk of fresh training data.
const STEPS_PER_CHUNK: usize = 100;

/// Rows of the training table $(x_t, t/T)\mapsto\varepsilon$ drawn from `data`: `n_rows`
/// independent draws of $x_0$ (a row of `data`, uniformly), $t\sim\mathcal U\{1..T\}$ and
/// $\varepsilon\sim\mathcal N(0, I)$, with $x_t = \sqrt{\bar\alpha_t}x_0 + \sqrt{1-\bar\alpha_t}\varepsilon$.
///
/// # Panics
/// If `data` has no rows.
///
/// # Examples
/// ```
/// use course::generative::diffusion::{ddpm_training_batch, NoiseSchedule};
/// let s = NoiseSchedule::linear(10, 0.01, 0.2);
/// let data = course::ndarray::array![[1.0, 2.0]];
/// let (x_t, tau, eps) = ddpm_training_batch(&data, &s, 5, &mut course::rng::seeded(0));
/// let t = (tau[0] * 10.0).round() as usize;
/// let a = s.alpha_bar(t);
/// assert!((x_t[[0, 1]] - (a.sqrt() * 2.0 + (1.0 - a).sqrt() * eps[[0, 1]])).abs() < 1e-12);
/// ```
pub fn ddpm_training_batch(
    data: &Array2<f64>,
    schedule: &NoiseSchedule,
    n_rows: usize,
    rng: &mut impl rand::Rng,
) -> (Array2<f64>, Vec<f64>, Array2<f64>) {
    let (x_t, tau, eps, _) = training_rows(data, schedule, n_rows, rng);
    (x_t, tau, eps)
}

/// As [`ddpm_training_batch`], also returning the row of `data` behind each draw.
fn training_rows(data: &Array2<f64>, schedule: &NoiseSchedule, n_rows: usize, rng: &mut impl rand::Rng) -> (Array2<f64>, Vec<f64>, Array2<f64>, Vec<usize>) {
    assert!(data.nrows() >= 1, "ddpm_training_batch: data must have at least one row");
    let big_t = schedule.n_steps();
    let dim = data.ncols();
    let eps = normal_array(rng, n_rows, dim);
    let mut x_t = Array2::zeros((n_rows, dim));
    let mut tau = Vec::with_capacity(n_rows);
    let mut rows = Vec::with_capacity(n_rows);
    for i in 0..n_rows {
        let row = rng.random_range(0..data.nrows());
        rows.push(row);
        let t = rng.random_range(1..=big_t);
        let a = schedule.alpha_bar(t);
        let (sa, sb) = (a.sqrt(), (1.0 - a).sqrt());
        for j in 0..dim {
            x_t[[i, j]] = sa * data[[row, j]] + sb * eps[[i, j]];
        }
        tau.push(t as f64 / big_t as f64);
    }
    (x_t, tau, eps, rows)
}

/// Trains an ε-predictor on `data` (n × dim, one sample per row) with $L_{\text{simple}}$:
/// `cfg.n_steps` Adam steps in chunks of 100, each chunk on fresh rows from
/// [`ddpm_training_batch`], the learning rate decaying linearly from `cfg.lr` to `cfg.lr / 10`.
/// Returns the model and the minibatch loss before every step.
///
/// # Panics
/// If `data` is empty, or `cfg` has `n_steps == 0`, `batch_size == 0` or a bad `lr`/`hidden`.
///
/// # Examples
/// ```
/// use course::generative::diffusion::{train_ddpm, DenoiserTraining, NoiseSchedule};
/// let data = course::generative::targets::SwissRoll::default().sample(2000, &mut course::rng::seeded(1));
/// let cfg = DenoiserTraining { n_steps: 300, ..Default::default() };
/// let (model, losses) = train_ddpm(&data, NoiseSchedule::linear(100, 1e-4, 0.05), &cfg);
/// assert_eq!((losses.len(), model.net.steps()), (300, 300));
/// // the loss starts near E|ε|² = dim = 2 and falls as the net learns to denoise
/// let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
/// assert!(mean(&losses[250..]) < 0.8 * mean(&losses[..20]));
/// ```
pub fn train_ddpm(data: &Array2<f64>, schedule: NoiseSchedule, cfg: &DenoiserTraining) -> (DdpmModel, Vec<f64>) {
    assert!(data.nrows() >= 1 && data.ncols() >= 1, "train_ddpm: data must be non-empty, got {:?}", data.dim());
    assert!(cfg.n_steps >= 1, "train_ddpm: cfg.n_steps must be >= 1, got 0");
    assert!(cfg.batch_size >= 1, "train_ddpm: cfg.batch_size must be >= 1, got 0");
    assert!(cfg.lr > 0.0 && cfg.lr.is_finite(), "train_ddpm: cfg.lr must be > 0 and finite, got {}", cfg.lr);
    let mut model = DdpmModel::untrained(data.ncols(), &cfg.hidden, schedule, cfg.seed);
    model.prediction = cfg.prediction;
    let mut rng = seeded(cfg.seed.wrapping_add(0xD1FF_0510));
    let mut losses = Vec::with_capacity(cfg.n_steps);
    let mut done = 0;
    while done < cfg.n_steps {
        let steps = STEPS_PER_CHUNK.min(cfg.n_steps - done);
        let (x_t, tau, eps, rows) = training_rows(data, &model.schedule, steps * cfg.batch_size, &mut rng);
        let target = match cfg.prediction {
            Prediction::Epsilon => eps,
            Prediction::Velocity => velocity_targets(data, &model.schedule, &tau, &eps, &rows),
        };
        let progress = (done as f64 + 0.5 * steps as f64) / cfg.n_steps as f64;
        let lr = cfg.lr * (1.0 - 0.9 * progress);
        losses.extend(model.net.fit(&x_t, &tau, &target, steps, cfg.batch_size, lr));
        done += steps;
    }
    (model, losses)
}

/// $v_i = \sqrt{\bar\alpha_{t_i}}\,\varepsilon_i - \sqrt{1-\bar\alpha_{t_i}}\,x_0$ for the rows of a training table.
fn velocity_targets(data: &Array2<f64>, schedule: &NoiseSchedule, tau: &[f64], eps: &Array2<f64>, rows: &[usize]) -> Array2<f64> {
    let big_t = schedule.n_steps() as f64;
    let mut v = Array2::zeros(eps.dim());
    for (i, (&u, &row)) in tau.iter().zip(rows).enumerate() {
        let a = schedule.alpha_bar((u * big_t).round() as usize);
        for j in 0..eps.ncols() {
            v[[i, j]] = a.sqrt() * eps[[i, j]] - (1.0 - a).sqrt() * data[[row, j]];
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::diffusion::GaussianMixture;
    use crate::generative::metrics::{energy_distance_unbiased, Gaussian2d};
    use crate::generative::targets::SwissRoll;
    use ndarray::array;

    fn ring() -> GaussianMixture {
        let r = 1.5;
        let means = Array2::from_shape_fn((6, 2), |(k, j)| {
            let a = std::f64::consts::TAU * k as f64 / 6.0;
            r * if j == 0 { a.cos() } else { a.sin() }
        });
        GaussianMixture::isotropic(vec![1.0 / 6.0; 6], means, 0.1 * 0.1)
    }

    #[test]
    fn training_batch_has_the_closed_form_moments() {
        // x0 = the single point c: x_t | t ~ N(√ᾱ c, 1-ᾱ); average over t uniform
        let s = NoiseSchedule::linear(20, 0.01, 0.3);
        let data = array![[2.0]];
        let n = 200_000;
        let (x_t, tau, eps) = ddpm_training_batch(&data, &s, n, &mut seeded(4));
        let mean_want: f64 = (1..=20).map(|t| s.alpha_bar(t).sqrt() * 2.0).sum::<f64>() / 20.0;
        let mean = x_t.mean().unwrap();
        // E[x_t] within 4 standard errors (per-row sd ≤ 2)
        assert!((mean - mean_want).abs() < 4.0 * 2.0 / (n as f64).sqrt(), "{mean} vs {mean_want}");
        // t uniform on 1..=20
        let ones = tau.iter().filter(|&&u| (u - 0.05).abs() < 1e-12).count() as f64 / n as f64;
        assert!((ones - 0.05).abs() < 4.0 * (0.05f64 * 0.95 / n as f64).sqrt());
        // eps exactly recovers x_t
        for i in 0..5 {
            let t = (tau[i] * 20.0).round() as usize;
            let a = s.alpha_bar(t);
            assert!((x_t[[i, 0]] - a.sqrt() * 2.0 - (1.0 - a).sqrt() * eps[[i, 0]]).abs() < 1e-12);
        }
    }

    #[test]
    fn trained_eps_approaches_the_oracle_and_samples_the_mixture() {
        // oracle: the exact ε* of a 6-mode ring; trained vs untrained
        let g = ring();
        let s = NoiseSchedule::linear(100, 1e-4, 0.1);
        let data = g.sample(4000, &mut seeded(10));
        for prediction in [Prediction::Epsilon, Prediction::Velocity] {
        let cfg = DenoiserTraining { hidden: vec![64, 64, 64], n_steps: 2000, prediction, ..Default::default() };
        let t0 = std::time::Instant::now();
        let (model, _) = train_ddpm(&data, s.clone(), &cfg);
        eprintln!("train: {:.2} s", t0.elapsed().as_secs_f64());
        let untrained = DdpmModel::untrained(2, &cfg.hidden, s.clone(), cfg.seed);
        // mean squared gap to ε* over x_t ~ q_t at a few t
        let gap = |m: &DdpmModel| {
            let mut total = 0.0;
            for &t in &[10, 30, 60, 90] {
                let (x_t, _) = s.q_sample(&g.sample(2000, &mut seeded(t as u64)), t, &mut seeded(99 + t as u64));
                let d = m.eps(&x_t, t) - g.eps_star(&s, &x_t, t);
                total += d.mapv(|v| v * v).mean().unwrap();
            }
            total / 4.0
        };
        let (g_tr, g_un) = (gap(&model), gap(&untrained));
        eprintln!("gap trained {g_tr:.4} untrained {g_un:.4}");
        assert!(g_tr < 0.1 * g_un, "trained gap {g_tr} vs untrained {g_un}");
        let t0 = std::time::Instant::now();
        let x = model.sample(2000, 5);
        eprintln!("sample: {:.2} s", t0.elapsed().as_secs_f64());
        let truth = g.sample(2000, &mut seeded(6));
        let e_model = energy_distance_unbiased(&x, &truth);
        let gauss = Gaussian2d::fit(&data).sample(2000, &mut seeded(7));
        let e_gauss = energy_distance_unbiased(&gauss, &truth);
        eprintln!("energy: model {e_model:.4} gaussian {e_gauss:.4}");
        // seeds 0-4 of a scratch run gave ratios 0.03-0.07 (energy) and 0.03-0.05 (gap)
        assert!(e_model < 0.2 * e_gauss, "{prediction:?}: energy {e_model} vs Gaussian {e_gauss}");
        }
    }

    #[test]
    fn velocity_targets_give_back_the_noise_and_the_data() {
        let s = NoiseSchedule::linear(50, 1e-3, 0.3);
        let data = array![[1.0, -2.0], [0.5, 3.0], [-1.5, 0.25]];
        let (x_t, tau, eps, rows) = training_rows(&data, &s, 300, &mut seeded(2));
        let v = velocity_targets(&data, &s, &tau, &eps, &rows);
        for i in 0..300 {
            let a = s.alpha_bar((tau[i] * 50.0).round() as usize);
            for j in 0..2 {
                // ε = √(1−ᾱ) x_t + √ᾱ v and x₀ = √ᾱ x_t − √(1−ᾱ) v
                assert!((eps[[i, j]] - ((1.0 - a).sqrt() * x_t[[i, j]] + a.sqrt() * v[[i, j]])).abs() < 1e-12);
                assert!((data[[rows[i], j]] - (a.sqrt() * x_t[[i, j]] - (1.0 - a).sqrt() * v[[i, j]])).abs() < 1e-12);
            }
        }
        // the public batch draws the same numbers
        let (x_b, tau_b, eps_b) = ddpm_training_batch(&data, &s, 300, &mut seeded(2));
        assert_eq!((x_b, tau_b, eps_b), (x_t, tau, eps));
    }

    #[test]
    fn a_velocity_network_is_read_as_noise() {
        let s = NoiseSchedule::linear(40, 1e-3, 0.2);
        let mut m = DdpmModel::untrained(2, &[8], s.clone(), 4);
        m.prediction = Prediction::Velocity;
        let x = array![[0.3, -1.2], [2.0, 0.1]];
        let v = m.net.predict_at(&x, 10.0 / 40.0);
        let a = s.alpha_bar(10);
        let want = &x * (1.0 - a).sqrt() + &v * a.sqrt();
        assert!((m.eps(&x, 10) - want).iter().all(|d| d.abs() < 1e-12));
    }

    #[test]
    fn ddpm_beats_the_fitted_gaussian_on_the_swiss_roll() {
        let roll = SwissRoll { noise: 0.02, scale: 0.1 };
        let data = roll.sample(4000, &mut seeded(1));
        let s = NoiseSchedule::linear(100, 1e-4, 0.1);
        // one seed here (a training run takes seconds); seeds 0-4 of the notebook's setting gave
        // ratios 0.10, 0.53, 0.05, 0.10, 0.16: the bound 2/3 holds for all of them
        for seed in [0u64] {
            let cfg = DenoiserTraining { seed, ..Default::default() };
            let (model, _) = train_ddpm(&data, s.clone(), &cfg);
            let truth = roll.sample(2000, &mut seeded(100 + seed));
            let x = model.sample(2000, 200 + seed);
            let e_model = energy_distance_unbiased(&x, &truth);
            let e_gauss = energy_distance_unbiased(&Gaussian2d::fit(&data).sample(2000, &mut seeded(300 + seed)), &truth);
            let x5 = model.sample_ddim(2000, 10, 400 + seed);
            let e_ddim = energy_distance_unbiased(&x5, &truth);
            eprintln!("seed {seed}: model {e_model:.4} ddim10 {e_ddim:.4} gaussian {e_gauss:.4}");
            assert!(e_model < 2.0 / 3.0 * e_gauss, "ratio {}", e_model / e_gauss);
        }
    }
}
