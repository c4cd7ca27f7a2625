//! Training an EDM denoiser (Karras et al. 2022): a preconditioned network fitted by denoising on
//! log-normal noise levels.
//!
//! Draw $x_0$ from the data, $\ln\sigma \sim \mathcal N(P_{\rm mean}, P_{\rm std}^2)$ and
//! $x = x_0 + \sigma n$, $n \sim \mathcal N(0, I)$. EDM's loss is
//! $$\mathcal L = \mathbb E\,\lambda(\sigma)\,\lVert D_\theta(x;\sigma) - x_0\rVert^2,\qquad
//! \lambda(\sigma) = \frac{1}{c_{\rm out}(\sigma)^2},\qquad
//! D_\theta = c_{\rm skip}\,x + c_{\rm out}\,F_\theta\big(c_{\rm in}\,x,\ c_{\rm noise}\big),$$
//! and since $D_\theta - x_0 = c_{\rm out}\,\big(F_\theta - (x_0 - c_{\rm skip}x)/c_{\rm out}\big)$ the weight
//! cancels: $\mathcal L = \mathbb E\,\lVert F_\theta(c_{\rm in}x, c_{\rm noise}) - T\rVert^2$ with the unit-variance
//! target $T$ = [`EdmPreconditioning::network_target`]. So $F_\theta$ is a plain [`TimeMlp`] fitted with
//! weight 1 on inputs $c_{\rm in}x$, "time" $c_{\rm noise}(\sigma) = \tfrac14\ln\sigma$ and targets $T$, in
//! chunks of fresh noise with Adam's state kept. The minimizer is the optimal denoiser
//! $D^*(x;\sigma) = \mathbb E[x_0\mid x]$, and the score is $(D - x)/\sigma^2$ (Tweedie).
//!
//! ## Reference
//! T. Karras, M. Aittala, T. Aila, S. Laine, *Elucidating the Design Space of Diffusion-Based Generative
//! Models* (NeurIPS 2022), §5 and Table 1 (training: $P_{\rm mean} = -1.2$, $P_{\rm std} = 1.2$).
//!
//! Used in notebooks/32-score-sdes-and-edm.ipynb and 34-flows-and-flow-matching.ipynb.

use super::{edm_euler, edm_euler_maruyama, edm_heun, karras_sigmas, EdmPreconditioning};
use crate::generative::diffusion::standard_normal;
use crate::generative::net::TimeMlp;
use ndarray::{Array2, Axis};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Frequencies of the embedding of $c_{\rm noise}\in[-1.6, 1.1]$ (for $\sigma\in[0.002, 80]$).
const EMBED_FREQS: usize = 6;
/// Highest embedding frequency: a period of 0.4 in $c_{\rm noise}$, a factor 5 in $\sigma$.
const EMBED_MAX_FREQ: f64 = 16.0;
/// Adam steps per chunk of fresh noise.
const CHUNK_STEPS: usize = 250;
/// $\rho$ of Karras et al.'s step schedule.
const RHO: f64 = 7.0;

/// A trained EDM denoiser: the network $F_\theta$, its preconditioning and the noise range it samples over.
#[derive(Debug)]
pub struct EdmModel {
    /// $F_\theta(c_{\rm in}x, c_{\rm noise})$.
    pub net: TimeMlp,
    /// $c_{\rm skip}, c_{\rm out}, c_{\rm in}, c_{\rm noise}$ for the data's $\sigma_d$.
    pub precond: EdmPreconditioning,
    /// Smallest noise level of the samplers (the last before 0).
    pub sigma_min: f64,
    /// Largest noise level: the samplers start from $\mathcal N(0, \sigma_{\max}^2 I)$.
    pub sigma_max: f64,
}

/// How to train an [`EdmModel`] with [`train_edm`].
#[derive(Clone, Debug, PartialEq)]
pub struct EdmTraining {
    /// Hidden widths of $F_\theta$.
    pub hidden: Vec<usize>,
    /// Adam steps in all.
    pub n_steps: usize,
    /// Rows per Adam step.
    pub batch_size: usize,
    /// Adam's learning rate at the start (cosine-decayed to a tenth over the chunks).
    pub lr: f64,
    /// $\sigma_{\min}$ of the samplers.
    pub sigma_min: f64,
    /// $\sigma_{\max}$ of the samplers.
    pub sigma_max: f64,
    /// Mean of $\ln\sigma$ during training.
    pub p_mean: f64,
    /// Standard deviation of $\ln\sigma$ during training.
    pub p_std: f64,
    /// Seed of the network's initialization and of all training noise.
    pub seed: u64,
}

impl Default for EdmTraining {
    /// Three hidden layers of 64, 2000 steps of 256 rows at lr 3e-3 (≈ 3–5 s): enough for a 2-D mixture;
    /// EDM's $\sigma\in[0.002, 80]$ and $\ln\sigma\sim\mathcal N(-1.2, 1.2^2)$; seed 0.
    ///
    /// # Examples
    /// ```
    /// let cfg = course::generative::sde::EdmTraining::default();
    /// assert_eq!((cfg.sigma_min, cfg.sigma_max, cfg.p_mean, cfg.p_std), (0.002, 80.0, -1.2, 1.2));
    /// ```
    fn default() -> Self {
        EdmTraining { hidden: vec![64, 64, 64], n_steps: 2000, batch_size: 256, lr: 3e-3, sigma_min: 0.002, sigma_max: 80.0, p_mean: -1.2, p_std: 1.2, seed: 0 }
    }
}

/// The data's $\sigma_d$: the root mean of the per-coordinate variances.
fn data_std(data: &Array2<f64>) -> f64 {
    let v = data.var_axis(Axis(0), 0.0);
    v.mean().unwrap_or(0.0).sqrt()
}

/// Train an EDM denoiser on the rows of `data` (n × dim); returns the model and the minibatch loss before each
/// Adam step (the loss is $\lambda(\sigma)\lVert D - x_0\rVert^2$ summed over coordinates, about `dim` at the start).
///
/// $\sigma_d$ is measured on the data. Each chunk of 250 steps draws fresh rows of `data` (with replacement),
/// fresh $\sigma$'s and fresh noise from `cfg.seed`; the learning rate follows a cosine from `lr` to `lr/10`.
///
/// # Panics
/// If `data` has fewer than 2 rows or no spread, `n_steps == 0`, `batch_size == 0`, `lr <= 0`, `p_std <= 0`
/// or not `0 < sigma_min < sigma_max`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::sde::{train_edm, EdmTraining};
/// // data: the two points ±1 in 1-D; the optimal denoiser is D*(x; σ) = tanh(x/σ²)
/// let data = array![[-1.0], [1.0]];
/// let cfg = EdmTraining { hidden: vec![32, 32], n_steps: 1000, ..EdmTraining::default() };
/// let (model, losses) = train_edm(&data, &cfg);
/// assert_eq!(losses.len(), 1000);
/// let x = array![[0.6], [-1.3]];
/// let d = model.denoise(&x, 0.5);
/// // within 0.05 of tanh(x/0.25) on four seeds; c_skip·x alone would be 0.3 off
/// for i in 0..2 {
///     assert!((d[[i, 0]] - (x[[i, 0]] / 0.25).tanh()).abs() < 0.1, "{d}");
/// }
/// ```
pub fn train_edm(data: &Array2<f64>, cfg: &EdmTraining) -> (EdmModel, Vec<f64>) {
    assert!(data.nrows() >= 2, "train_edm: data must have at least 2 rows, got {}", data.nrows());
    assert!(cfg.n_steps >= 1, "train_edm: n_steps must be >= 1, got 0");
    assert!(cfg.batch_size >= 1, "train_edm: batch_size must be >= 1, got 0");
    assert!(cfg.lr > 0.0 && cfg.lr.is_finite(), "train_edm: lr must be > 0, got {}", cfg.lr);
    assert!(cfg.p_std > 0.0 && cfg.p_std.is_finite(), "train_edm: p_std must be > 0, got {}", cfg.p_std);
    assert!(
        cfg.sigma_min > 0.0 && cfg.sigma_min < cfg.sigma_max && cfg.sigma_max.is_finite(),
        "train_edm: need 0 < sigma_min < sigma_max, got {}, {}",
        cfg.sigma_min,
        cfg.sigma_max
    );
    let sd = data_std(data);
    assert!(sd > 0.0 && sd.is_finite(), "train_edm: data must have a positive, finite spread, got sigma_data = {sd}");
    let precond = EdmPreconditioning::new(sd);
    let (n, dim) = data.dim();
    let mut net = TimeMlp::with_embedding(dim, dim, &cfg.hidden, EMBED_FREQS, EMBED_MAX_FREQ, cfg.seed);
    let mut rng = crate::rng::seeded(cfg.seed ^ 0x5eed_ed11);
    let n_chunks = cfg.n_steps.div_ceil(CHUNK_STEPS);
    let rows = (cfg.batch_size * CHUNK_STEPS / 4).max(4 * cfg.batch_size).min(16_384);
    let mut losses = Vec::with_capacity(cfg.n_steps);
    for k in 0..n_chunks {
        let steps = CHUNK_STEPS.min(cfg.n_steps - k * CHUNK_STEPS);
        let mut input = Array2::zeros((rows, dim));
        let mut target = Array2::zeros((rows, dim));
        let mut c_noise = Vec::with_capacity(rows);
        for i in 0..rows {
            let x0 = data.row(rng.random_range(0..n));
            let z: f64 = StandardNormal.sample(&mut rng);
            let sigma = (cfg.p_mean + cfg.p_std * z).exp();
            let (c_skip, c_out, c_in) = (precond.c_skip(sigma), precond.c_out(sigma), precond.c_in(sigma));
            for j in 0..dim {
                let e: f64 = StandardNormal.sample(&mut rng);
                let x = x0[j] + sigma * e;
                input[[i, j]] = c_in * x;
                target[[i, j]] = (x0[j] - c_skip * x) / c_out;
            }
            c_noise.push(precond.c_noise(sigma));
        }
        let lr = cfg.lr * (0.1 + 0.45 * (1.0 + (std::f64::consts::PI * k as f64 / n_chunks as f64).cos()));
        losses.extend(net.fit(&input, &c_noise, &target, steps, cfg.batch_size, lr));
    }
    (EdmModel { net, precond, sigma_min: cfg.sigma_min, sigma_max: cfg.sigma_max }, losses)
}

impl EdmModel {
    /// $D_\theta(x;\sigma) = c_{\rm skip}x + c_{\rm out}F_\theta(c_{\rm in}x, c_{\rm noise}(\sigma))$ for each row.
    ///
    /// # Panics
    /// If `sigma <= 0` or `x` has the wrong width.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::sde::{train_edm, EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![16], n_steps: 10, ..EdmTraining::default() };
    /// let (model, _) = train_edm(&array![[-1.0], [1.0]], &cfg);
    /// // at huge σ the skip connection vanishes and D is c_out·F, a bounded guess of the data
    /// assert!(model.denoise(&array![[1e4]], 1e4)[[0, 0]].abs() < 10.0);
    /// ```
    pub fn denoise(&self, x: &Array2<f64>, sigma: f64) -> Array2<f64> {
        self.precond.denoise(&|xin: &Array2<f64>, c: f64| self.net.predict_at(xin, c), x, sigma)
    }

    /// The score $\nabla\log q_\sigma(x) \approx (D_\theta(x;\sigma) - x)/\sigma^2$ for each row.
    ///
    /// # Panics
    /// As [`EdmModel::denoise`].
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::sde::{train_edm, EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![16], n_steps: 10, ..EdmTraining::default() };
    /// let (model, _) = train_edm(&array![[-1.0], [1.0]], &cfg);
    /// let x = array![[0.3]];
    /// let s = model.score(&x, 2.0);
    /// assert!((s[[0, 0]] - (model.denoise(&x, 2.0)[[0, 0]] - 0.3) / 4.0).abs() < 1e-12);
    /// ```
    pub fn score(&self, x: &Array2<f64>, sigma: f64) -> Array2<f64> {
        (self.denoise(x, sigma) - x) / (sigma * sigma)
    }

    /// Karras et al.'s noise levels of the model: `n_steps` levels from `sigma_max` to `sigma_min`, then 0.
    ///
    /// # Panics
    /// If `n_steps < 2`.
    pub fn sigmas(&self, n_steps: usize) -> Vec<f64> {
        karras_sigmas(n_steps, self.sigma_min, self.sigma_max, RHO)
    }

    fn prior(&self, n_samples: usize, seed: u64) -> (Array2<f64>, crate::rng::ChaCha8Rng) {
        let mut rng = crate::rng::seeded(seed);
        let x = standard_normal(&mut rng, n_samples, self.net.dim_in()) * self.sigma_max;
        (x, rng)
    }

    /// `n_samples` samples by Heun's method on the probability-flow ODE along [`EdmModel::sigmas`]`(n_steps)`
    /// ($2\,n_{\rm steps} - 1$ network evaluations), from $\mathcal N(0, \sigma_{\max}^2I)$ drawn with `seed`.
    ///
    /// # Panics
    /// If `n_steps < 2`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::sde::{train_edm, EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![32, 32], n_steps: 1000, ..EdmTraining::default() };
    /// let (model, _) = train_edm(&array![[-1.0], [1.0]], &cfg);
    /// let x = model.sample_heun(1000, 18, 0);
    /// // 983–997 of 1000 on four training seeds
    /// let near = x.iter().filter(|v| (v.abs() - 1.0).abs() < 0.25).count();
    /// assert!(near > 900, "{near} of 1000 near ±1");
    /// ```
    pub fn sample_heun(&self, n_samples: usize, n_steps: usize, seed: u64) -> Array2<f64> {
        let sig = self.sigmas(n_steps);
        let (x, _) = self.prior(n_samples, seed);
        edm_heun(&|x: &Array2<f64>, s: f64| self.denoise(x, s), x, &sig)
    }

    /// As [`EdmModel::sample_heun`] with Euler's method (`n_steps` network evaluations).
    ///
    /// # Panics
    /// If `n_steps < 2`.
    pub fn sample_euler(&self, n_samples: usize, n_steps: usize, seed: u64) -> Array2<f64> {
        let sig = self.sigmas(n_steps);
        let (x, _) = self.prior(n_samples, seed);
        edm_euler(&|x: &Array2<f64>, s: f64| self.denoise(x, s), x, &sig)
    }

    /// As [`EdmModel::sample_heun`] with Euler–Maruyama on the reverse SDE ([`edm_euler_maruyama`],
    /// `n_steps` network evaluations); the prior and the SDE's noise both come from `seed`.
    ///
    /// # Panics
    /// If `n_steps < 2`.
    pub fn sample_euler_maruyama(&self, n_samples: usize, n_steps: usize, seed: u64) -> Array2<f64> {
        let sig = self.sigmas(n_steps);
        let (x, mut rng) = self.prior(n_samples, seed);
        edm_euler_maruyama(&|x: &Array2<f64>, s: f64| self.denoise(x, s), x, &sig, &mut rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::diffusion::GaussianMixture;
    use crate::generative::metrics::{sliced_wasserstein, Gaussian2d};
    use crate::rng::seeded;
    use ndarray::array;

    fn ring() -> GaussianMixture {
        let k = 6;
        let means = Array2::from_shape_fn((k, 2), |(i, j)| {
            let a = std::f64::consts::TAU * i as f64 / k as f64;
            2.0 * if j == 0 { a.cos() } else { a.sin() }
        });
        GaussianMixture::isotropic(vec![1.0 / k as f64; k], means, 0.04)
    }

    #[test]
    fn the_loss_is_edm_weighted_denoising_error() {
        // with F ≡ 0 the network's loss E‖T‖² must equal E λ(σ)‖c_skip x − x0‖² at each σ: both are `dim`
        // for data of variance σ_d² (the target has unit variance), checked by Monte Carlo at fixed σ
        let g = ring();
        let mut rng = seeded(3);
        let x0 = g.sample(20_000, &mut rng);
        let p = EdmPreconditioning::new(data_std(&x0));
        for sigma in [0.05, 0.5, 5.0] {
            let x = &x0 + &(standard_normal(&mut rng, x0.nrows(), 2) * sigma);
            let t = p.network_target(&x, &x0, sigma);
            let lhs = t.mapv(|v| v * v).sum() / x0.nrows() as f64;
            let rhs = p.loss_weight(sigma) * (&x * p.c_skip(sigma) - &x0).mapv(|v| v * v).sum() / x0.nrows() as f64;
            assert!((lhs - rhs).abs() < 1e-9 * rhs, "σ {sigma}: {lhs} vs {rhs}");
            assert!((lhs - 2.0).abs() < 0.1, "σ {sigma}: E‖T‖² = {lhs}, expected dim = 2");
        }
    }

    #[test]
    fn learns_the_exact_denoiser_and_samples_of_a_ring() {
        // quality: (1) the learned denoiser against the oracle's D*(x;σ) on noised data: its excess error
        // E‖D − D*‖² must be below 15 % of the optimum's own error E‖D* − x0‖² (the irreducible
        // posterior variance), at four noise levels; (2) sliced W2 of Heun samples vs the mixture, against
        // the fitted-Gaussian baseline at the same n
        let g = ring();
        for seed in [0, 1] {
            let data = g.sample(8000, &mut seeded(100 + seed));
            let cfg = EdmTraining { seed, ..EdmTraining::default() };
            let t0 = std::time::Instant::now();
            let (model, losses) = train_edm(&data, &cfg);
            let secs = t0.elapsed().as_secs_f64();
            let first: f64 = losses[..50].iter().sum::<f64>() / 50.0;
            let last: f64 = losses[losses.len() - 200..].iter().sum::<f64>() / 200.0;
            let mut rng = seeded(200 + seed);
            let x0 = g.sample(4000, &mut rng);
            for sigma in [0.05, 0.3, 1.0, 3.0] {
                let x = &x0 + &(standard_normal(&mut rng, 4000, 2) * sigma);
                let want = g.denoiser(&x, sigma);
                let err = (&model.denoise(&x, sigma) - &want).mapv(|v| v * v).mean().unwrap();
                let mmse = (&want - &x0).mapv(|v| v * v).mean().unwrap();
                eprintln!("seed {seed} σ {sigma}: excess mse {err:.5} vs optimal mse {mmse:.5}");
                assert!(err < 0.15 * mmse, "seed {seed} σ {sigma}: excess {err} vs optimal {mmse}");
            }
            let n = 3000;
            let x = model.sample_heun(n, 24, seed);
            let truth = g.sample(n, &mut seeded(300 + seed));
            let gauss = Gaussian2d::fit(&data).sample(n, &mut seeded(400 + seed));
            let (sw_model, sw_gauss) = (sliced_wasserstein(&x, &truth, 2.0, 200, 0), sliced_wasserstein(&gauss, &truth, 2.0, 200, 0));
            eprintln!("seed {seed}: {secs:.1} s, loss {first:.3} → {last:.3}, SW2 model {sw_model:.3} vs Gaussian {sw_gauss:.3}");
            // the loss does not go to 0: its floor is the optimal denoiser's own (weighted) error
            assert!(last < 0.8 * first, "seed {seed}: loss {first} → {last}");
            assert!(sw_model < 0.6 * sw_gauss, "seed {seed}: SW2 {sw_model} vs Gaussian {sw_gauss}");
        }
    }

    #[test]
    #[should_panic(expected = "train_edm: need 0 < sigma_min < sigma_max")]
    fn bad_sigmas_are_refused() {
        let cfg = EdmTraining { sigma_min: 1.0, sigma_max: 0.5, ..EdmTraining::default() };
        train_edm(&array![[0.0], [1.0]], &cfg);
    }
}
