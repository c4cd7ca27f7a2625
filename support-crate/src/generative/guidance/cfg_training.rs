//! Classifier-free guidance (Ho & Salimans 2022): one EDM denoiser for the conditional and the
//! unconditional law, trained by dropping the label.
//!
//! The network sees $[c_{\rm in}x,\ e(y)]$ with $e(y)$ the one-hot code of $y\in\{0,\dots,K-1\}$ or of the
//! null label $K$ (probability `p_uncond` during training), so the minimizer of the EDM loss is
//! $D^*(x;\sigma, y) = \mathbb E[x_0\mid x, y]$ for real labels and $\mathbb E[x_0\mid x]$ for the null one.
//! By Tweedie's formula scores and denoisers are affine in each other, so the guided denoiser is
//! $$D_w(x;\sigma,y) = (1+w)\,D(x;\sigma,y) - w\,D(x;\sigma,\varnothing),$$
//! and sampling is EDM's Heun on $dx/d\sigma = (x - D_w)/\sigma$.
//!
//! ## Reference
//! J. Ho, T. Salimans, *Classifier-Free Diffusion Guidance* (NeurIPS workshop 2021 / arXiv:2207.12598),
//! Algorithms 1–2; Karras et al. (2022) for the preconditioning.
//!
//! Used in notebooks/33-guided-diffusion-and-statistical-rates.ipynb.

use crate::generative::diffusion::standard_normal;
use crate::generative::net::TimeMlp;
use crate::generative::sde::{edm_heun, karras_sigmas, EdmPreconditioning, EdmTraining};
use ndarray::{s, Array2, Axis};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// As in `sde::training`: sinusoidal embedding of $c_{\rm noise}$, 6 frequencies up to 16.
const EMBED_FREQS: usize = 6;
const EMBED_MAX_FREQ: f64 = 16.0;
/// Adam steps per chunk of fresh noise (as in `sde::training`).
const CHUNK_STEPS: usize = 250;

/// A label-conditional EDM denoiser with a null label ([`train_cfg`]).
#[derive(Debug)]
pub struct CfgModel {
    /// $F_\theta([c_{\rm in}x, e(y)], c_{\rm noise})$.
    pub net: TimeMlp,
    /// EDM's scalings for the data's $\sigma_d$.
    pub precond: EdmPreconditioning,
    /// $K$, the number of real labels (the null label is $K$).
    pub n_classes: usize,
    /// Smallest positive noise level of the sampler.
    pub sigma_min: f64,
    /// Largest noise level: sampling starts from $\mathcal N(0,\sigma_{\max}^2 I)$.
    pub sigma_max: f64,
}

fn one_hot_inputs(x: &Array2<f64>, c_in: f64, labels: &[usize], n_codes: usize) -> Array2<f64> {
    let (n, d) = x.dim();
    let mut u = Array2::zeros((n, d + n_codes));
    u.slice_mut(s![.., ..d]).assign(&(x * c_in));
    for (i, &y) in labels.iter().enumerate() {
        u[[i, d + y]] = 1.0;
    }
    u
}

/// Train a [`CfgModel`] on `data` (n × dim) with `labels` in $0..K$: EDM's recipe (`cfg`: widths, steps,
/// batch, learning rate, noise range and seed) with the label replaced by the null label with probability
/// `p_uncond`. Returns the model and the minibatch losses.
///
/// # Panics
/// If `labels` does not have one entry per row, a label is `>= n_classes`, `p_uncond` is not in $(0, 1)$,
/// or `cfg` is invalid (as `sde::train_edm`).
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{guidance::train_cfg, sde::EdmTraining};
/// // two classes, the points −1 and +1: the conditional denoiser knows x₀ from the label
/// let data = array![[-1.0], [1.0], [-1.0], [1.0]];
/// let cfg = EdmTraining { hidden: vec![32, 32], n_steps: 1000, ..EdmTraining::default() };
/// let (model, _) = train_cfg(&data, &[0, 1, 0, 1], 2, 0.2, &cfg);
/// let d = model.denoise(&array![[0.5]], Some(0), 2.0);
/// assert!((d[[0, 0]] + 1.0).abs() < 0.2, "{d}");
/// ```
pub fn train_cfg(data: &Array2<f64>, labels: &[usize], n_classes: usize, p_uncond: f64, cfg: &EdmTraining) -> (CfgModel, Vec<f64>) {
    assert_eq!(labels.len(), data.nrows(), "train_cfg: labels must have one entry per row of data");
    assert!(labels.iter().all(|&y| y < n_classes), "train_cfg: labels must be < n_classes = {n_classes}");
    assert!(p_uncond > 0.0 && p_uncond < 1.0, "train_cfg: p_uncond must be in (0, 1), got {p_uncond}");
    assert!(data.nrows() >= 2, "train_cfg: data must have at least 2 rows");
    assert!(cfg.n_steps >= 1 && cfg.batch_size >= 1, "train_cfg: n_steps and batch_size must be >= 1");
    assert!(cfg.lr > 0.0 && cfg.p_std > 0.0, "train_cfg: lr and p_std must be > 0");
    assert!(cfg.sigma_min > 0.0 && cfg.sigma_min < cfg.sigma_max, "train_cfg: need 0 < sigma_min < sigma_max");
    let sd = data.var_axis(Axis(0), 0.0).mean().unwrap_or(0.0).sqrt();
    assert!(sd > 0.0 && sd.is_finite(), "train_cfg: data must have a positive spread");
    let precond = EdmPreconditioning::new(sd);
    let (n, dim) = data.dim();
    let n_codes = n_classes + 1;
    let mut net = TimeMlp::with_embedding(dim + n_codes, dim, &cfg.hidden, EMBED_FREQS, EMBED_MAX_FREQ, cfg.seed);
    let mut rng = crate::rng::seeded(cfg.seed ^ 0xc0f6_9a1d);
    let n_chunks = cfg.n_steps.div_ceil(CHUNK_STEPS);
    let rows = (cfg.batch_size * CHUNK_STEPS / 4).max(4 * cfg.batch_size).min(16_384);
    let mut losses = Vec::with_capacity(cfg.n_steps);
    for k in 0..n_chunks {
        let steps = CHUNK_STEPS.min(cfg.n_steps - k * CHUNK_STEPS);
        let mut input = Array2::zeros((rows, dim + n_codes));
        let mut target = Array2::zeros((rows, dim));
        let mut c_noise = Vec::with_capacity(rows);
        for i in 0..rows {
            let r = rng.random_range(0..n);
            let z: f64 = StandardNormal.sample(&mut rng);
            let sigma = (cfg.p_mean + cfg.p_std * z).exp();
            let (c_skip, c_out, c_in) = (precond.c_skip(sigma), precond.c_out(sigma), precond.c_in(sigma));
            for j in 0..dim {
                let e: f64 = StandardNormal.sample(&mut rng);
                let x = data[[r, j]] + sigma * e;
                input[[i, j]] = c_in * x;
                target[[i, j]] = (data[[r, j]] - c_skip * x) / c_out;
            }
            let u: f64 = rng.random();
            let code = if u < p_uncond { n_classes } else { labels[r] };
            input[[i, dim + code]] = 1.0;
            c_noise.push(precond.c_noise(sigma));
        }
        let lr = cfg.lr * (0.1 + 0.45 * (1.0 + (std::f64::consts::PI * k as f64 / n_chunks as f64).cos()));
        losses.extend(net.fit(&input, &c_noise, &target, steps, cfg.batch_size, lr));
    }
    (CfgModel { net, precond, n_classes, sigma_min: cfg.sigma_min, sigma_max: cfg.sigma_max }, losses)
}

impl CfgModel {
    fn check(&self, x: &Array2<f64>, sigma: f64) {
        assert_eq!(x.ncols() + self.n_classes + 1, self.net.dim_in(), "CfgModel: x has the wrong number of columns");
        assert!(sigma > 0.0 && sigma.is_finite(), "CfgModel: sigma must be > 0, got {sigma}");
    }

    fn denoise_codes(&self, x: &Array2<f64>, codes: &[usize], sigma: f64) -> Array2<f64> {
        let p = &self.precond;
        let u = one_hot_inputs(x, p.c_in(sigma), codes, self.n_classes + 1);
        let f = self.net.predict_at(&u, p.c_noise(sigma));
        x * p.c_skip(sigma) + f * p.c_out(sigma)
    }

    /// $D_\theta(x;\sigma, y)$ for `Some(y)`, the unconditional $D_\theta(x;\sigma,\varnothing)$ for `None`.
    ///
    /// # Panics
    /// If `sigma <= 0`, `x` has the wrong width or the label is `>= n_classes`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::{guidance::train_cfg, sde::EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![8], n_steps: 10, ..EdmTraining::default() };
    /// let (model, _) = train_cfg(&array![[-1.0], [1.0]], &[0, 1], 2, 0.2, &cfg);
    /// assert_eq!(model.denoise(&array![[0.0], [1.0]], None, 1.0).dim(), (2, 1));
    /// ```
    pub fn denoise(&self, x: &Array2<f64>, label: Option<usize>, sigma: f64) -> Array2<f64> {
        self.check(x, sigma);
        let code = match label {
            Some(y) => {
                assert!(y < self.n_classes, "CfgModel: label must be < n_classes = {}, got {y}", self.n_classes);
                y
            }
            None => self.n_classes,
        };
        self.denoise_codes(x, &vec![code; x.nrows()], sigma)
    }

    /// The guided denoiser $(1+w)D_\theta(x;\sigma,y) - wD_\theta(x;\sigma,\varnothing)$, both halves in one network call.
    ///
    /// # Panics
    /// As [`CfgModel::denoise`], or if `w` is not finite.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::{guidance::train_cfg, sde::EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![8], n_steps: 10, ..EdmTraining::default() };
    /// let (model, _) = train_cfg(&array![[-1.0], [1.0]], &[0, 1], 2, 0.2, &cfg);
    /// let x = array![[0.3]];
    /// let want = model.denoise(&x, Some(1), 0.5) * 3.0 - model.denoise(&x, None, 0.5) * 2.0;
    /// assert!((model.guided_denoise(&x, 1, 2.0, 0.5)[[0, 0]] - want[[0, 0]]).abs() < 1e-12);
    /// ```
    pub fn guided_denoise(&self, x: &Array2<f64>, y: usize, w: f64, sigma: f64) -> Array2<f64> {
        self.check(x, sigma);
        assert!(y < self.n_classes, "CfgModel: label must be < n_classes = {}, got {y}", self.n_classes);
        assert!(w.is_finite(), "CfgModel: w must be finite, got {w}");
        let n = x.nrows();
        let both = ndarray::concatenate(Axis(0), &[x.view(), x.view()]).expect("same widths");
        let codes: Vec<usize> = (0..2 * n).map(|i| if i < n { y } else { self.n_classes }).collect();
        let d = self.denoise_codes(&both, &codes, sigma);
        d.slice(s![..n, ..]).to_owned() * (1.0 + w) - d.slice(s![n.., ..]).to_owned() * w
    }

    /// The score $(D - x)/\sigma^2$ of [`CfgModel::denoise`].
    ///
    /// # Panics
    /// As [`CfgModel::denoise`].
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::{guidance::train_cfg, sde::EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![8], n_steps: 10, ..EdmTraining::default() };
    /// let (model, _) = train_cfg(&array![[-1.0], [1.0]], &[0, 1], 2, 0.2, &cfg);
    /// let x = array![[0.3]];
    /// assert!((model.score(&x, Some(0), 2.0)[[0, 0]] - (model.denoise(&x, Some(0), 2.0)[[0, 0]] - 0.3) / 4.0).abs() < 1e-12);
    /// ```
    pub fn score(&self, x: &Array2<f64>, label: Option<usize>, sigma: f64) -> Array2<f64> {
        (self.denoise(x, label, sigma) - x) / (sigma * sigma)
    }

    /// Karras levels ($\rho = 7$) from `sigma_max` to `sigma_min`, then 0.
    ///
    /// # Panics
    /// If `n_levels < 2`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::{guidance::train_cfg, sde::EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![8], n_steps: 10, ..EdmTraining::default() };
    /// let (model, _) = train_cfg(&array![[-1.0], [1.0]], &[0, 1], 2, 0.2, &cfg);
    /// assert_eq!(model.sigmas(5).len(), 6);
    /// ```
    pub fn sigmas(&self, n_levels: usize) -> Vec<f64> {
        karras_sigmas(n_levels, self.sigma_min, self.sigma_max, 7.0)
    }

    /// `n_samples` guided draws of class `y` with weight `w`: Heun on `n_levels` levels from
    /// $\mathcal N(0, \sigma_{\max}^2 I)$ drawn with `seed`.
    ///
    /// # Panics
    /// As [`CfgModel::guided_denoise`], or if `n_levels < 2`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::{guidance::train_cfg, sde::EdmTraining};
    /// let cfg = EdmTraining { hidden: vec![8], n_steps: 10, ..EdmTraining::default() };
    /// let (model, _) = train_cfg(&array![[-1.0], [1.0]], &[0, 1], 2, 0.2, &cfg);
    /// assert_eq!(model.sample_guided(7, 1, 1.0, 5, 0).dim(), (7, 1));
    /// ```
    pub fn sample_guided(&self, n_samples: usize, y: usize, w: f64, n_levels: usize, seed: u64) -> Array2<f64> {
        let dim = self.net.dim_in() - self.n_classes - 1;
        let x = standard_normal(&mut crate::rng::seeded(seed), n_samples, dim) * self.sigma_max;
        let den = |x: &Array2<f64>, s: f64| self.guided_denoise(x, y, w, s);
        edm_heun(&den, x, &self.sigmas(n_levels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::guidance::LabelledMixture;
    use crate::rng::seeded;
    use ndarray::array;

    #[test]
    fn trained_cfg_denoiser_approaches_the_exact_guided_denoiser() {
        let lm = LabelledMixture::gaussian_classes(array![[-1.5, 0.0], [1.5, 0.5], [0.0, -1.5]], 0.15);
        let (data, labels) = lm.sample(6000, &mut seeded(0));
        let cfg = EdmTraining { hidden: vec![64, 64], n_steps: 1500, sigma_max: 20.0, seed: 1, ..EdmTraining::default() };
        let (model, _) = train_cfg(&data, &labels, 3, 0.2, &cfg);
        let mut rng = seeded(2);
        for sigma in [0.3, 1.0] {
            let (x0, _) = lm.sample(1000, &mut rng);
            let x = &x0 + &(standard_normal(&mut rng, 1000, 2) * sigma);
            let exact = lm.denoiser(&x, Some(1), sigma) * 3.0 - lm.denoiser(&x, None, sigma) * 2.0;
            let got = model.guided_denoise(&x, 1, 2.0, sigma);
            let err = (&got - &exact).mapv(|v| v * v).sum() / (&exact - &x).mapv(|v| v * v).sum();
            assert!(err < 0.1, "σ {sigma}: relative error {err}");
        }
    }
}
