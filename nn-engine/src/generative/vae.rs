//! The variational autoencoder of notebook 23: a Gaussian encoder, a Gaussian or Bernoulli
//! decoder, trained by Adam on the negative β-ELBO with the reparameterization trick.
//!
//! For a minibatch $B$, with $(\mu, \log\sigma^2) = e_\phi(x)$ and $z = \mu + \sigma\odot\varepsilon$,
//! $\varepsilon\sim\mathcal N(0, I)$ (one draw per example),
//! $$\hat L = \frac1{|B|}\sum_{x\in B}\Big[-\log p_\theta(x\mid z)
//!   {}+ \beta\,\tfrac12\sum_j\big(\mu_j^2 + \sigma_j^2 - 1 - \log\sigma_j^2\big)\Big].$$
//! The decoder's output is the mean of $\mathcal N(\cdot, \operatorname{diag} s^2)$ (the scales
//! $s$ fixed or learned, one per coordinate) or the logits of independent Bernoullis. The
//! mathematics (ELBO estimates, sampling, the closed forms) lives in `course::generative::vae`
//! in `f64`; this file owns the networks and the optimizer, and keeps Adam's state between calls.

use super::net::{Mlp, new_mlp};
use crate::nn::convert::{matrix, rows, to_array2, values};
use crate::registry;
use crate::rng::{normal_vec, seeded};
use crate::wire::{Value, WireError};
use crate::{Inner, Train};
use burn::module::{AutodiffModule, Module, Param};
use burn::optim::adaptor::OptimizerAdaptor;
use burn::optim::{Adam, AdamConfig, GradientsParams, Optimizer};
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData, activation};
use course::nn::codec::Wire;
use ndarray::Array2;

/// Decoder kinds on the wire.
const GAUSSIAN_FIXED: u8 = 0;
const GAUSSIAN_LEARNED: u8 = 1;
const BERNOULLI: u8 = 2;

/// Encoder `dim → hidden… → 2·latent` (means, then log-variances) and decoder
/// `latent → hidden (reversed)… → dim`, SiLU in between; the decoder's log scales.
#[derive(Module, Debug)]
pub struct VaeNet<B: Backend> {
    encoder: Mlp<B>,
    decoder: Mlp<B>,
    log_scale: Param<Tensor<B, 1>>,
}

impl<B: Backend> VaeNet<B> {
    /// # Shapes
    /// - `x` `[n, dim]` → means and log-variances, each `[n, latent]`.
    fn encode(&self, x: Tensor<B, 2>, latent: usize) -> (Tensor<B, 2>, Tensor<B, 2>) {
        let h = self.encoder.forward(x);
        let n = h.dims()[0];
        (h.clone().slice([0..n, 0..latent]), h.slice([0..n, latent..2 * latent]))
    }
}

/// A VAE in training, with its optimizer state.
pub struct Vae {
    model: Option<VaeNet<Train>>,
    optim: OptimizerAdaptor<Adam, VaeNet<Train>, Train>,
    dim: usize,
    latent: usize,
    decoder: u8,
    steps: u64,
    seed: u64,
}

impl Vae {
    fn new(dim: usize, latent: usize, hidden: &[usize], decoder: u8, scale: f64, seed: u64) -> Self {
        let device = Default::default();
        let mut enc_dims = vec![dim];
        enc_dims.extend(hidden);
        enc_dims.push(2 * latent);
        let mut dec_dims = vec![latent];
        dec_dims.extend(hidden.iter().rev());
        dec_dims.push(dim);
        let net = VaeNet {
            encoder: new_mlp(&enc_dims, 0, seed, &device),
            decoder: new_mlp(&dec_dims, 0, seed.wrapping_add(1), &device),
            log_scale: Param::from_tensor(Tensor::full([dim], scale.ln(), &device)),
        };
        Vae { model: Some(net), optim: AdamConfig::new().init(), dim, latent, decoder, steps: 0, seed }
    }

    fn model(&self) -> &VaeNet<Train> {
        self.model.as_ref().expect("the model is present between calls")
    }

    /// `n_steps` Adam steps on the β-weighted negative ELBO; per step the minibatch means of
    /// the loss, of $-\log p(x\mid z)$ and of the KL term.
    fn fit(&mut self, x: &Array2<f64>, beta: f64, n_steps: usize, batch_size: usize, lr: f64) -> [Vec<f64>; 3] {
        let device = Default::default();
        let n = x.nrows();
        let k = self.latent;
        let mut rng = seeded(self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(self.steps + 1));
        let mut hist = [Vec::with_capacity(n_steps), Vec::with_capacity(n_steps), Vec::with_capacity(n_steps)];
        let mut model = self.model.take().expect("model present");
        let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        for _ in 0..n_steps {
            let idx = crate::nn::training::minibatch(&mut rng, n, batch_size);
            let b = idx.len();
            let xb = rows::<Train>(x, &idx, &device);
            let (mu, logvar) = model.encode(xb.clone(), k);
            let eps: Vec<f32> = normal_vec(&mut rng, b * k).into_iter().map(|v| v as f32).collect();
            let eps = Tensor::<Train, 2>::from_data(TensorData::new(eps, [b, k]), &device);
            let z = mu.clone() + logvar.clone().mul_scalar(0.5).exp() * eps;
            let out = model.decoder.forward(z);
            let recon = if self.decoder == BERNOULLI {
                // −log Bernoulli(x; σ(l)) = softplus(l) − x·l, written stably.
                let sp = out.clone().clamp_min(0.0) + out.clone().abs().neg().exp().add_scalar(1.0).log();
                (sp - xb * out).sum_dim(1)
            } else {
                let ls = if self.decoder == GAUSSIAN_LEARNED { model.log_scale.val() } else { model.log_scale.val().detach() };
                let ls = ls.unsqueeze_dim::<2>(0); // [1, dim]
                let r = ((xb - out) / ls.clone().exp()).square().mul_scalar(0.5) + ls.add_scalar(half_ln_2pi);
                r.sum_dim(1)
            };
            let kl = (mu.square() + logvar.clone().exp() - logvar).sub_scalar(1.0).mul_scalar(0.5).sum_dim(1);
            let recon_mean = recon.mean();
            let kl_mean = kl.mean();
            let loss = recon_mean.clone() + kl_mean.clone().mul_scalar(beta);
            let (l, r, q) = (values(loss.clone().detach()), values(recon_mean.detach()), values(kl_mean.detach()));
            hist[0].push(l[0]);
            hist[1].push(r[0]);
            hist[2].push(q[0]);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = self.optim.step(lr, model, grads);
            self.steps += 1;
        }
        self.model = Some(model);
        hist
    }

    fn encode(&self, x: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
        let net: VaeNet<Inner> = self.model().valid();
        let (mu, logvar) = net.encode(matrix(x, &Default::default()), self.latent);
        (to_array2(mu), to_array2(logvar))
    }

    fn decode(&self, z: &Array2<f64>) -> Array2<f64> {
        let net: VaeNet<Inner> = self.model().valid();
        let out = net.decoder.forward(matrix(z, &Default::default()));
        to_array2(if self.decoder == BERNOULLI { activation::sigmoid(out) } else { out })
    }

    fn scales(&self) -> Vec<f64> {
        let net: VaeNet<Inner> = self.model().valid();
        values(net.log_scale.val().exp())
    }
}

fn cols(who: &str, a: &Array2<f64>, want: usize, what: &str) -> Result<(), WireError> {
    if a.ncols() != want || a.nrows() == 0 {
        return Err(WireError(format!("{who}: {what} must be n × {want} with n ≥ 1, got {:?}", a.dim())));
    }
    Ok(())
}

/// The operations of this file:
/// - `vae_new(dim, latent, hidden, decoder, scale, seed)` → handle (`decoder` 0 Gaussian with
///   fixed scale, 1 Gaussian with learned scales, 2 Bernoulli)
/// - `vae_fit(handle, x, beta, n_steps, batch_size, lr)` → [losses, reconstruction terms, KL terms]
/// - `vae_encode(handle, x)` → [means, log-variances]
/// - `vae_decode(handle, z)` → decoder means (probabilities for Bernoulli)
/// - `vae_scales(handle)` → the decoder's Gaussian scales
/// - `vae_n_params(handle)` → count
pub fn dispatch(op: &str, args: &Value) -> Option<Result<Value, WireError>> {
    let r = match op {
        "vae_new" => (|| {
            let a = args.items(6)?;
            let (dim, latent, hidden) = (a[0].usize()?, a[1].usize()?, a[2].usizes()?);
            let (decoder, scale) = (a[3].u64()? as u8, a[4].f64()?);
            if dim == 0 || latent == 0 || hidden.contains(&0) {
                return Err(WireError(format!("vae_new: dim, latent and hidden widths must be ≥ 1, got {dim}, {latent}, {hidden:?}")));
            }
            if ![GAUSSIAN_FIXED, GAUSSIAN_LEARNED, BERNOULLI].contains(&decoder) {
                return Err(WireError(format!("vae_new: decoder must be 0, 1 or 2, got {decoder}")));
            }
            if !(scale.is_finite() && scale > 0.0) {
                return Err(WireError(format!("vae_new: scale must be > 0, got {scale}")));
            }
            Ok(registry::insert(Vae::new(dim, latent, &hidden, decoder, scale, a[5].u64()?)).into())
        })(),
        "vae_fit" => (|| {
            let a = args.items(6)?;
            let x = Array2::from_wire(&a[1])?;
            let (beta, n_steps, batch_size, lr) = (a[2].f64()?, a[3].usize()?, a[4].usize()?, a[5].f64()?);
            registry::with_mut(a[0].u64()?, |m: &mut Vae| {
                cols("vae_fit", &x, m.dim, "x")?;
                let [l, r, k] = m.fit(&x, beta, n_steps, batch_size, lr);
                Ok(Value::List(vec![l.into(), r.into(), k.into()]))
            })?
        })(),
        "vae_encode" => (|| {
            let a = args.items(2)?;
            let x = Array2::from_wire(&a[1])?;
            registry::with(a[0].u64()?, |m: &Vae| {
                cols("vae_encode", &x, m.dim, "x")?;
                let (mu, logvar) = m.encode(&x);
                Ok(Value::List(vec![mu.to_wire(), logvar.to_wire()]))
            })?
        })(),
        "vae_decode" => (|| {
            let a = args.items(2)?;
            let z = Array2::from_wire(&a[1])?;
            registry::with(a[0].u64()?, |m: &Vae| {
                cols("vae_decode", &z, m.latent, "z")?;
                Ok(m.decode(&z).to_wire())
            })?
        })(),
        "vae_scales" => (|| registry::with(args.u64()?, |m: &Vae| Value::from(m.scales())))(),
        "vae_n_params" => (|| registry::with(args.u64()?, |m: &Vae| Value::U64(m.model().num_params() as u64)))(),
        _ => return None,
    };
    Some(r)
}
