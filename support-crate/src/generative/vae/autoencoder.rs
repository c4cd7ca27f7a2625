//! The variational autoencoder: an encoder $q_\phi(z\mid x)$ and a decoder $p_\theta(x\mid z)$ trained
//! together on the evidence lower bound.
//!
//! With the prior $p(z) = \mathcal N(0, I_k)$, a Gaussian encoder
//! $q_\phi(z\mid x) = \mathcal N(\mu_\phi(x), \operatorname{diag}\sigma^2_\phi(x))$ and a decoder
//! $p_\theta(x\mid z)$ (Gaussian with mean $f_\theta(z)$ and scales $s$, or Bernoulli with means
//! $f_\theta(z)$), the training objective per example is the (β-weighted) ELBO
//! $$\mathrm{ELBO}_\beta(x) = \mathbb E_{q_\phi(z\mid x)}\big[\log p_\theta(x\mid z)\big]
//!   {}- \beta\,\mathrm{KL}\big(q_\phi(z\mid x)\,\|\,p(z)\big)\ \le\ \log p_\theta(x)\quad(\beta = 1),$$
//! whose first term (the negative *distortion*) is estimated with one reparameterized draw
//! $z = \mu + \sigma\odot\varepsilon$ and whose second (the *rate*) is closed form
//! ([`kl_to_standard_normal`](super::kl_to_standard_normal)). Training runs in the nn engine
//! (burn, `f32`, Adam); everything measured here — ELBO estimates, samples, reconstructions —
//! is computed in `f64` from the networks' outputs.
//!
//! ## Reference
//! D. P. Kingma & M. Welling (2014), *Auto-encoding variational Bayes*; D. J. Rezende,
//! S. Mohamed & D. Wierstra (2014), *Stochastic backpropagation and approximate inference in deep
//! generative models*; I. Higgins et al. (2017), *β-VAE*; Prince, *Understanding Deep
//! Learning* (2023), ch. 17.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb.

use super::gaussian_kl::kl_to_standard_normal_rows;
use crate::nn::codec::{Wire, decode};
use crate::nn::engine::call;
use crate::nn::wire::Value;
use ndarray::{Array2, Axis};

/// The decoder's likelihood $p_\theta(x\mid z)$.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decoder {
    /// $\mathcal N(f_\theta(z), s^2 I)$ with the scale $s$ fixed.
    Gaussian {
        /// The fixed scale $s$.
        scale: f64,
    },
    /// $\mathcal N(f_\theta(z), \operatorname{diag}s^2)$ with one learned scale per coordinate,
    /// starting at `scale`.
    GaussianLearned {
        /// The initial scale.
        scale: f64,
    },
    /// Independent Bernoullis with means $\operatorname{sigmoid}(f_\theta(z))$ (pixels in $[0,1]$).
    Bernoulli,
}

/// The shape of a [`Vae`].
///
/// # Examples
/// ```
/// use course::generative::vae::{Decoder, VaeConfig};
/// let cfg = VaeConfig::new(2, 2, &[64, 64], Decoder::Bernoulli);
/// assert_eq!(cfg.hidden, vec![64, 64]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct VaeConfig {
    /// Data dimension $d$.
    pub dim: usize,
    /// Latent dimension $k$.
    pub latent: usize,
    /// Hidden widths of the encoder (the decoder uses them in reverse), SiLU activations.
    pub hidden: Vec<usize>,
    /// The decoder's likelihood.
    pub decoder: Decoder,
}

impl VaeConfig {
    /// The configuration with these fields.
    ///
    /// # Panics
    /// If a dimension or width is 0 or a Gaussian scale is not > 0.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, VaeConfig};
    /// assert_eq!(VaeConfig::new(144, 2, &[128], Decoder::Bernoulli).latent, 2);
    /// ```
    pub fn new(dim: usize, latent: usize, hidden: &[usize], decoder: Decoder) -> Self {
        assert!(dim >= 1 && latent >= 1, "VaeConfig: dim and latent must be >= 1, got {dim} and {latent}");
        assert!(hidden.iter().all(|&h| h >= 1), "VaeConfig: hidden widths must be >= 1, got {hidden:?}");
        if let Decoder::Gaussian { scale } | Decoder::GaussianLearned { scale } = decoder {
            assert!(scale.is_finite() && scale > 0.0, "VaeConfig: the decoder scale must be > 0, got {scale}");
        }
        VaeConfig { dim, latent, hidden: hidden.to_vec(), decoder }
    }
}

/// What a call to [`Vae::fit`] did, one entry per Adam step (minibatch means).
#[derive(Clone, Debug, PartialEq)]
pub struct VaeHistory {
    /// The loss $-\mathrm{ELBO}_\beta$ = reconstruction + β·KL.
    pub loss: Vec<f64>,
    /// The distortion $-\log p_\theta(x\mid z)$ at the sampled $z$.
    pub reconstruction: Vec<f64>,
    /// The rate $\mathrm{KL}(q_\phi(z\mid x)\,\|\,p(z))$.
    pub kl: Vec<f64>,
}

impl VaeHistory {
    /// The mean of the last `n` entries of `values` (a smoothed end-of-training value).
    ///
    /// # Panics
    /// If `values` is empty or `n` is 0.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::generative::vae::VaeHistory::tail_mean(&[9.0, 1.0, 3.0], 2), 2.0);
    /// ```
    pub fn tail_mean(values: &[f64], n: usize) -> f64 {
        assert!(!values.is_empty() && n >= 1, "tail_mean: values must be non-empty and n >= 1");
        let n = n.min(values.len());
        values[values.len() - n..].iter().sum::<f64>() / n as f64
    }
}

/// A variational autoencoder living in the nn engine (its networks and Adam state).
///
/// # Examples
/// ```
/// use course::generative::vae::{Decoder, Vae, VaeConfig};
/// use ndarray::Array2;
/// let x = Array2::from_shape_fn((64, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f64 / 5.0 - 1.0);
/// let mut vae = Vae::new(&VaeConfig::new(2, 1, &[16], Decoder::Gaussian { scale: 0.5 }), 0);
/// let h = vae.fit(&x, 1.0, 100, 32, 1e-2);
/// assert_eq!(h.loss.len(), 100);
/// assert!(h.loss[99] < h.loss[0]);
/// assert_eq!(vae.encode(&x).0.dim(), (64, 1));
/// assert_eq!(vae.decode(&Array2::zeros((3, 1))).dim(), (3, 2));
/// ```
#[derive(Debug)]
pub struct Vae {
    handle: u64,
    config: VaeConfig,
}

impl Drop for Vae {
    fn drop(&mut self) {
        call("drop", Value::U64(self.handle));
    }
}

impl Vae {
    /// A fresh, untrained VAE; network weights from `seed` (burn's default initialization).
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(3, 2, &[8], Decoder::Bernoulli), 1);
    /// // encoder 3·8+8 + 8·4+4, decoder 2·8+8 + 8·3+3, three decoder scales.
    /// assert_eq!(vae.n_params(), 32 + 36 + 24 + 27 + 3);
    /// ```
    pub fn new(config: &VaeConfig, seed: u64) -> Vae {
        let (kind, scale) = match config.decoder {
            Decoder::Gaussian { scale } => (0u64, scale),
            Decoder::GaussianLearned { scale } => (1, scale),
            Decoder::Bernoulli => (2, 1.0),
        };
        let args = vec![config.dim.into(), config.latent.into(), config.hidden.as_slice().into(), kind.into(), scale.into(), seed.into()];
        let handle = call("vae_new", Value::List(args)).u64().expect("vae_new returns a handle");
        Vae { handle, config: config.clone() }
    }

    /// The configuration.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// assert_eq!(Vae::new(&VaeConfig::new(2, 1, &[4], Decoder::Bernoulli), 0).config().dim, 2);
    /// ```
    pub fn config(&self) -> &VaeConfig {
        &self.config
    }

    /// Number of trainable parameters.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// assert!(Vae::new(&VaeConfig::new(2, 1, &[4], Decoder::Bernoulli), 0).n_params() > 0);
    /// ```
    pub fn n_params(&self) -> usize {
        call("vae_n_params", Value::U64(self.handle)).u64().expect("a count") as usize
    }

    fn check_rows(&self, a: &Array2<f64>, want: usize, who: &str, what: &str) {
        assert!(a.ncols() == want && a.nrows() >= 1, "Vae::{who}: {what} must be n × {want} with n >= 1, got {:?}", a.dim());
    }

    /// `n_steps` Adam steps (learning rate `lr`, minibatches of `batch_size` rows of `x`) on
    /// the loss $-\mathrm{ELBO}_\beta$; Adam's state carries over to the next call.
    ///
    /// # Panics
    /// If `x` does not have `dim` columns, `beta < 0` or `lr <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// use ndarray::Array2;
    /// let x = Array2::from_shape_fn((32, 1), |(i, _)| i as f64 / 32.0);
    /// let mut vae = Vae::new(&VaeConfig::new(1, 1, &[8], Decoder::Gaussian { scale: 0.3 }), 2);
    /// let h = vae.fit(&x, 1.0, 5, 16, 1e-3);
    /// // The loss is distortion + β · rate.
    /// assert!((h.loss[0] - h.reconstruction[0] - h.kl[0]).abs() < 1e-5);
    /// ```
    pub fn fit(&mut self, x: &Array2<f64>, beta: f64, n_steps: usize, batch_size: usize, lr: f64) -> VaeHistory {
        self.check_rows(x, self.config.dim, "fit", "x");
        assert!(beta.is_finite() && beta >= 0.0, "Vae::fit: beta must be >= 0, got {beta}");
        assert!(lr.is_finite() && lr > 0.0, "Vae::fit: lr must be > 0, got {lr}");
        let r = call("vae_fit", Value::List(vec![self.handle.into(), x.to_wire(), beta.into(), n_steps.into(), batch_size.into(), lr.into()]));
        let parts = r.items(3).expect("vae_fit returns three histories");
        let v = |i: usize| parts[i].f64s().expect("a history").to_vec();
        VaeHistory { loss: v(0), reconstruction: v(1), kl: v(2) }
    }

    /// The encoder's means and log-variances, one row per row of `x`.
    ///
    /// # Panics
    /// If `x` does not have `dim` columns.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(3, 2, &[8], Decoder::Bernoulli), 0);
    /// let (mu, logvar) = vae.encode(&ndarray::Array2::zeros((5, 3)));
    /// assert_eq!((mu.dim(), logvar.dim()), ((5, 2), (5, 2)));
    /// ```
    pub fn encode(&self, x: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
        self.check_rows(x, self.config.dim, "encode", "x");
        let r = call("vae_encode", Value::List(vec![self.handle.into(), x.to_wire()]));
        let parts = r.items(2).expect("vae_encode returns means and log-variances");
        (decode("vae_encode", &parts[0]), decode("vae_encode", &parts[1]))
    }

    /// The decoder's means $f_\theta(z)$ (probabilities for a Bernoulli decoder), one row per
    /// row of `z`.
    ///
    /// # Panics
    /// If `z` does not have `latent` columns.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(3, 2, &[8], Decoder::Bernoulli), 0);
    /// let p = vae.decode(&ndarray::Array2::zeros((4, 2)));
    /// assert!(p.iter().all(|&v| v > 0.0 && v < 1.0));
    /// ```
    pub fn decode(&self, z: &Array2<f64>) -> Array2<f64> {
        self.check_rows(z, self.config.latent, "decode", "z");
        decode("vae_decode", &call("vae_decode", Value::List(vec![self.handle.into(), z.to_wire()])))
    }

    /// The decoder's Gaussian scales $s$ (learned or fixed); all ones for a Bernoulli decoder.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(2, 1, &[4], Decoder::Gaussian { scale: 0.25 }), 0);
    /// assert!(vae.decoder_scales().iter().all(|s| (s - 0.25).abs() < 1e-6));
    /// ```
    pub fn decoder_scales(&self) -> Vec<f64> {
        if self.config.decoder == Decoder::Bernoulli {
            return vec![1.0; self.config.dim];
        }
        call("vae_scales", Value::U64(self.handle)).f64s().expect("scales").to_vec()
    }

    /// The reconstruction of each row: the decoder's mean at the encoder's mean, $f_\theta(\mu_\phi(x))$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(3, 2, &[8], Decoder::Bernoulli), 0);
    /// assert_eq!(vae.reconstruct(&ndarray::Array2::zeros((4, 3))).dim(), (4, 3));
    /// ```
    pub fn reconstruct(&self, x: &Array2<f64>) -> Array2<f64> {
        self.decode(&self.encode(x).0)
    }

    /// The rate $\mathrm{KL}(q_\phi(z\mid x)\,\|\,\mathcal N(0,I))$ of each row, in nats.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(3, 2, &[8], Decoder::Bernoulli), 0);
    /// assert!(vae.kl(&ndarray::Array2::ones((4, 3))).iter().all(|&k| k >= 0.0));
    /// ```
    pub fn kl(&self, x: &Array2<f64>) -> Vec<f64> {
        let (mu, logvar) = self.encode(x);
        kl_to_standard_normal_rows(&mu, &logvar)
    }

    /// $\log p_\theta(x\mid z)$ for each pair of rows of `x` and `z`.
    ///
    /// # Panics
    /// If the shapes do not match.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// use ndarray::Array2;
    /// let vae = Vae::new(&VaeConfig::new(2, 1, &[4], Decoder::Gaussian { scale: 1.0 }), 0);
    /// let z = Array2::zeros((1, 1));
    /// let x = vae.decode(&z); // at the mean: −ln 2π for s = 1 in 2-D
    /// assert!((vae.log_likelihood(&x, &z)[0] + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-5);
    /// ```
    pub fn log_likelihood(&self, x: &Array2<f64>, z: &Array2<f64>) -> Vec<f64> {
        self.check_rows(x, self.config.dim, "log_likelihood", "x");
        assert_eq!(x.nrows(), z.nrows(), "Vae::log_likelihood: x and z must have the same number of rows");
        let means = self.decode(z);
        match self.config.decoder {
            Decoder::Bernoulli => means
                .rows()
                .into_iter()
                .zip(x.rows())
                .map(|(p, xr)| {
                    p.iter()
                        .zip(xr)
                        .map(|(&p, &v)| {
                            let p = p.clamp(1e-7, 1.0 - 1e-7);
                            v * p.ln() + (1.0 - v) * (1.0 - p).ln()
                        })
                        .sum()
                })
                .collect(),
            _ => {
                let s = self.decoder_scales();
                let c = 0.5 * (2.0 * std::f64::consts::PI).ln();
                means
                    .rows()
                    .into_iter()
                    .zip(x.rows())
                    .map(|(m, xr)| m.iter().zip(xr).zip(&s).map(|((&m, &v), &s)| -0.5 * ((v - m) / s).powi(2) - s.ln() - c).sum())
                    .collect()
            }
        }
    }

    /// A Monte-Carlo estimate of $\mathrm{ELBO}(x)$ (β = 1) for each row: the reconstruction
    /// term averaged over `n_mc` reparameterized draws $z = \mu + \sigma\varepsilon$ (seeded), the KL
    /// term in closed form.
    ///
    /// # Panics
    /// If `x` does not have `dim` columns or `n_mc` is 0.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(3, 2, &[8], Decoder::Bernoulli), 0);
    /// let x = ndarray::Array2::from_elem((4, 3), 0.5);
    /// // Bernoulli log-likelihoods are ≤ 0 and the KL ≥ 0.
    /// assert!(vae.elbo(&x, 4, 0).iter().all(|&e| e < 0.0));
    /// ```
    pub fn elbo(&self, x: &Array2<f64>, n_mc: usize, seed: u64) -> Vec<f64> {
        assert!(n_mc >= 1, "Vae::elbo: n_mc must be >= 1, got {n_mc}");
        let (mu, logvar) = self.encode(x);
        let (n, k) = mu.dim();
        let mut rng = crate::rng::seeded(seed);
        let mut rec = vec![0.0; n];
        for _ in 0..n_mc {
            let eps = crate::rng::normal_vec(&mut rng, n * k);
            let z = Array2::from_shape_fn((n, k), |(i, j)| mu[[i, j]] + (0.5 * logvar[[i, j]]).exp() * eps[i * k + j]);
            for (r, l) in rec.iter_mut().zip(self.log_likelihood(x, &z)) {
                *r += l / n_mc as f64;
            }
        }
        rec.iter().zip(kl_to_standard_normal_rows(&mu, &logvar)).map(|(r, k)| r - k).collect()
    }

    /// `n_samples` draws from the model: $z\sim\mathcal N(0,I)$, then $x\sim p_\theta(x\mid z)$ for a
    /// Gaussian decoder (mean plus scaled noise); for a Bernoulli decoder the means (grey images).
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(2, 1, &[4], Decoder::Gaussian { scale: 0.1 }), 0);
    /// assert_eq!(vae.sample(10, 3).dim(), (10, 2));
    /// assert_eq!(vae.sample(10, 3), vae.sample(10, 3)); // seeded
    /// ```
    pub fn sample(&self, n_samples: usize, seed: u64) -> Array2<f64> {
        let mut rng = crate::rng::seeded(seed);
        let (k, d) = (self.config.latent, self.config.dim);
        let z = Array2::from_shape_vec((n_samples, k), crate::rng::normal_vec(&mut rng, n_samples * k)).expect("shape");
        let mut x = self.decode(&z);
        if self.config.decoder != Decoder::Bernoulli {
            let s = self.decoder_scales();
            let e = crate::rng::normal_vec(&mut rng, n_samples * d);
            for ((i, j), v) in x.indexed_iter_mut() {
                *v += s[j] * e[i * d + j];
            }
        }
        x
    }

    /// The number of *active* latent units (Burda et al. 2016): coordinates $j$ whose encoder
    /// mean varies across the data, $\operatorname{Var}_x\,\mu_j(x) >$ `threshold` (0.01 is usual).
    /// A collapsed coordinate has $\mu_j(x)\approx 0$ for every $x$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::vae::{Decoder, Vae, VaeConfig};
    /// let vae = Vae::new(&VaeConfig::new(3, 2, &[8], Decoder::Bernoulli), 0);
    /// // All inputs equal: no variation, no active unit.
    /// assert_eq!(vae.active_units(&ndarray::Array2::ones((10, 3)), 0.01), 0);
    /// ```
    pub fn active_units(&self, x: &Array2<f64>, threshold: f64) -> usize {
        let (mu, _) = self.encode(x);
        mu.var_axis(Axis(0), 0.0).iter().filter(|&&v| v > threshold).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::vae::{LinearGaussian, beta_vae_rates};
    use crate::rng::seeded;
    use ndarray::array;

    #[test]
    fn the_f64_elbo_agrees_with_the_engine_loss() {
        // Two independent implementations of the same objective: the engine's f32 minibatch loss
        // (one draw of z) and the f64 estimate here (64 draws). Evaluated on the same batch with
        // lr tiny, the means agree within the Monte-Carlo error of the engine's single draw.
        let x = LinearGaussian::new(array![0.0, 0.0], array![[1.0], [0.5]], 0.05).sample(512, &mut seeded(1));
        let mut vae = Vae::new(&VaeConfig::new(2, 1, &[16], Decoder::Gaussian { scale: 0.3 }), 4);
        vae.fit(&x, 1.0, 300, 128, 1e-2);
        let h = vae.fit(&x, 1.0, 20, 0, 1e-9); // full batch, weights frozen in effect
        let engine = VaeHistory::tail_mean(&h.loss, 20);
        let ours = -vae.elbo(&x, 64, 7).iter().sum::<f64>() / 512.0;
        assert!((engine - ours).abs() < 0.02 * ours.abs().max(1.0), "{engine} vs {ours}");
    }

    #[test]
    fn linear_data_rates_follow_reverse_water_filling_and_collapse() {
        // x ~ N(0, diag(4, 1)), decoder scale 0.5 (σ² = 0.25): the best β-VAE's rate is
        // Σ ½ ln(λᵢ/βσ²)₊. β = 2: ½ln 8 + ½ln 2 = 1.386; β = 8: ½ ln 2 = 0.347; β = 20 (βσ² = 5 > 4):
        // 0, full collapse. The trained nonlinear VAE must land within 0.1 nat of each.
        let data = LinearGaussian::new(array![0.0, 0.0], array![[2.0, 0.0], [0.0, 1.0]], 1e-6).sample(4096, &mut seeded(2));
        for &(beta, seed) in &[(2.0, 0u64), (8.0, 1), (20.0, 2)] {
            let mut vae = Vae::new(&VaeConfig::new(2, 2, &[32], Decoder::Gaussian { scale: 0.5 }), seed);
            vae.fit(&data, beta, 1500, 256, 3e-3);
            let rate = vae.kl(&data).iter().sum::<f64>() / data.nrows() as f64;
            let want: f64 = beta_vae_rates(&[4.0, 1.0], 0.25, beta).iter().sum();
            eprintln!("β {beta}: rate {rate:.4}, closed form {want:.4}");
            assert!((rate - want).abs() < 0.1, "β {beta}: rate {rate} vs {want}");
        }
    }

    #[test]
    fn moons_vae_beats_the_fitted_gaussian() {
        // The configuration of notebook 28 (1500 Adam steps, batch 128, two hidden layers of 64).
        // (1) Its test ELBO, a lower bound on its log-likelihood, exceeds the fitted Gaussian's
        // test log-likelihood by ≥ 0.15 nats (> 5 standard errors at 1000 test points).
        // (2) Energy distance to 1000 fresh target points below the Gaussian's. Measured on data
        // seeds 100–107: ELBO margins 0.31–0.73 nats; ED ratios 0.25–0.85.
        use crate::generative::metrics::{Gaussian2d, energy_distance};
        use crate::generative::targets::Moons;
        for seed in 0..2u64 {
            let x = Moons { noise: 0.05 }.sample(2048, &mut seeded(100 + seed));
            let test = Moons { noise: 0.05 }.sample(1000, &mut seeded(200 + seed));
            let mut vae = Vae::new(&VaeConfig::new(2, 2, &[64, 64], Decoder::GaussianLearned { scale: 0.1 }), seed);
            vae.fit(&x, 1.0, 1500, 128, 5e-3);
            let g = Gaussian2d::fit(&x);
            let elbo = vae.elbo(&test, 16, 77).iter().sum::<f64>() / 1000.0;
            let ll = test.rows().into_iter().map(|r| g.log_density(&[r[0], r[1]])).sum::<f64>() / 1000.0;
            assert!(elbo > ll + 0.15, "seed {seed}: ELBO {elbo} vs Gaussian {ll}");
            let ed_vae = energy_distance(&vae.sample(1000, 5 + seed), &test);
            let ed_gauss = energy_distance(&g.sample(1000, &mut seeded(9 + seed)), &test);
            assert!(ed_vae < ed_gauss, "seed {seed}: {ed_vae} vs Gaussian {ed_gauss}");
        }
    }

    #[test]
    fn glyph_vae_reconstructs_and_large_beta_collapses_to_the_mean_image() {
        use crate::generative::targets::glyphs;
        let g = glyphs(2000, 12, 0.05, &mut seeded(1));
        let test = glyphs(500, 12, 0.05, &mut seeded(2));
        let mean = g.images.mean_axis(Axis(0)).expect("rows");
        let mse = |a: &Array2<f64>| (&test.images - a).mapv(|v| v * v).mean().expect("pixels");
        let baseline = (&test.images - &mean).mapv(|v| v * v).mean().expect("pixels");
        let mut vae = Vae::new(&VaeConfig::new(144, 2, &[128], Decoder::Bernoulli), 3);
        vae.fit(&g.images, 1.0, 1500, 128, 3e-3);
        // Measured 0.48 of the mean-image baseline on seeds 3 and 4.
        assert!(mse(&vae.reconstruct(&test.images)) < 0.6 * baseline);
        assert_eq!(vae.active_units(&test.images, 0.01), 2);
        // β = 30: the rate costs more than any distortion it saves; the posterior is the prior.
        let mut collapsed = Vae::new(&VaeConfig::new(144, 2, &[128], Decoder::Bernoulli), 3);
        collapsed.fit(&g.images, 30.0, 500, 128, 3e-3);
        let kl = collapsed.kl(&test.images).iter().sum::<f64>() / 500.0;
        assert!(kl < 0.01, "rate {kl}");
        assert_eq!(collapsed.active_units(&test.images, 0.01), 0);
        let rec = collapsed.reconstruct(&test.images);
        let worst = rec.rows().into_iter().flat_map(|r| (&r - &mean).to_vec()).fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(worst < 0.05, "reconstructions differ from the mean image by {worst}");
    }
}
