//! The variational autoencoder of notebook 28: a Gaussian encoder, a Gaussian or Bernoulli
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

use super::net::new_mlp;
use crate::nn::convert::{f32_rows, gather};
use crate::Inner;
use crate::nn::dense::{AdamState, DenseNet, Tape};
use crate::registry;
use crate::rng::{normal_vec, seeded};
use crate::wire::{Value, WireError};
use course::nn::codec::Wire;
use ndarray::Array2;

/// Decoder kinds on the wire.
const GAUSSIAN_FIXED: u8 = 0;
const GAUSSIAN_LEARNED: u8 = 1;
const BERNOULLI: u8 = 2;

/// A VAE in training: encoder `dim → hidden… → 2·latent` (means, then log-variances) and
/// decoder `latent → hidden (reversed)… → dim`, SiLU in between, the decoder's log scales, and
/// Adam's state for each. burn initializes both networks (the same weights from the same seed
/// as ever); the steps run in the fused trainer of `crate::nn::dense`, with the gradients of
/// the loss below written out.
pub struct Vae {
    encoder: DenseNet,
    decoder: DenseNet,
    log_scale: Vec<f32>,
    adam: [AdamState; 3],
    tapes: [Tape; 2],
    dim: usize,
    latent: usize,
    kind: u8,
    steps: u64,
    seed: u64,
}

impl Vae {
    fn new(dim: usize, latent: usize, hidden: &[usize], kind: u8, scale: f64, seed: u64) -> Self {
        let device = Default::default();
        let mut enc_dims = vec![dim];
        enc_dims.extend(hidden);
        enc_dims.push(2 * latent);
        let mut dec_dims = vec![latent];
        dec_dims.extend(hidden.iter().rev());
        dec_dims.push(dim);
        let encoder = new_mlp::<Inner>(&enc_dims, 0, seed, &device).to_dense();
        let decoder = new_mlp::<Inner>(&dec_dims, 0, seed.wrapping_add(1), &device).to_dense();
        let adam = [AdamState::new(encoder.params().len()), AdamState::new(decoder.params().len()), AdamState::new(dim)];
        let log_scale = vec![scale.ln() as f32; dim];
        Vae { encoder, decoder, log_scale, adam, tapes: Default::default(), dim, latent, kind, steps: 0, seed }
    }

    /// `n_steps` Adam steps on the β-weighted negative ELBO; per step the minibatch means of
    /// the loss, of $-\log p(x\mid z)$ and of the KL term.
    ///
    /// With $h = (\mu, \ell)$ the encoder's output ($\ell = \log\sigma^2$), $s = e^{\ell/2}$,
    /// $z = \mu + s\odot\varepsilon$ and $o$ the decoder's output, the gradients are
    /// $\partial r/\partial o = \sigma(o) - x$ (Bernoulli) or $(o - x)e^{-2\lambda}$ (Gaussian,
    /// log scales $\lambda$, with $\partial r/\partial\lambda_j = 1 - (x_j - o_j)^2e^{-2\lambda_j}$),
    /// then, with $g_z$ the decoder's input gradient,
    /// $\partial/\partial\mu = g_z + \beta\mu/|B|$ and
    /// $\partial/\partial\ell = \tfrac12 g_z\odot\varepsilon\odot s + \tfrac\beta2(e^{\ell} - 1)/|B|$.
    fn fit(&mut self, x: &Array2<f64>, beta: f64, n_steps: usize, batch_size: usize, lr: f64) -> [Vec<f64>; 3] {
        let (n, d, k) = (x.nrows(), self.dim, self.latent);
        let xf = f32_rows(x);
        let mut rng = seeded(self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(self.steps + 1));
        let mut hist = [Vec::with_capacity(n_steps), Vec::with_capacity(n_steps), Vec::with_capacity(n_steps)];
        let (mut xb, mut eps) = (Vec::new(), Vec::new());
        let mut grads = [vec![0.0f32; self.encoder.params().len()], vec![0.0f32; self.decoder.params().len()], vec![0.0f32; d]];
        for _ in 0..n_steps {
            let idx = crate::nn::training::minibatch(&mut rng, n, batch_size);
            gather(&xf, d, &idx, &mut xb);
            eps.clear();
            eps.extend(normal_vec(&mut rng, idx.len() * k).into_iter().map(|v| v as f32));
            let (recon, kl) = self.loss(&xb, &eps, beta, Some(&mut grads));
            hist[0].push(recon + beta * kl);
            hist[1].push(recon);
            hist[2].push(kl);
            self.adam[0].step(self.encoder.params_mut(), &grads[0], lr);
            self.adam[1].step(self.decoder.params_mut(), &grads[1], lr);
            if self.kind == GAUSSIAN_LEARNED {
                self.adam[2].step(&mut self.log_scale, &grads[2], lr);
            }
            self.steps += 1;
        }
        hist
    }

    /// The minibatch means of $-\log p(x\mid z)$ and of the KL term on the rows of `xb` with
    /// noise `eps` (`rows × latent`), and, if `grads` is given, the gradients of
    /// recon + β·KL (encoder, decoder, log scales).
    fn loss(&mut self, xb: &[f32], eps: &[f32], beta: f64, grads: Option<&mut [Vec<f32>; 3]>) -> (f64, f64) {
        let (d, k) = (self.dim, self.latent);
        let b = xb.len() / d;
        let inv_b = 1.0 / b as f64;
        let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        let [enc_tape, dec_tape] = &mut self.tapes;
        self.encoder.forward(xb, b, enc_tape);
        let h = self.encoder.output(enc_tape);
        let mut z = Vec::with_capacity(b * k);
        let mut kl = 0.0f64;
        for (row, e) in h.chunks_exact(2 * k).zip(eps.chunks_exact(k)) {
            let (mu, lv) = row.split_at(k);
            for j in 0..k {
                z.push(mu[j] + (0.5 * lv[j]).exp() * e[j]);
                let (m, l) = (f64::from(mu[j]), f64::from(lv[j]));
                kl += 0.5 * (m * m + l.exp() - 1.0 - l);
            }
        }
        self.decoder.forward(&z, b, dec_tape);
        let out = self.decoder.output(dec_tape);
        let mut g_out = vec![0.0f32; b * d];
        let mut g_scale = vec![0.0f32; d];
        let mut recon = 0.0f64;
        for ((o, t), g) in out.chunks_exact(d).zip(xb.chunks_exact(d)).zip(g_out.chunks_exact_mut(d)) {
            for j in 0..d {
                let (oj, tj) = (f64::from(o[j]), f64::from(t[j]));
                if self.kind == BERNOULLI {
                    // −log Bernoulli(x; σ(o)) = softplus(o) − x·o, written stably.
                    recon += oj.max(0.0) + (-oj.abs()).exp().ln_1p() - tj * oj;
                    g[j] = ((1.0 / (1.0 + (-oj).exp()) - tj) * inv_b) as f32;
                } else {
                    let ls = f64::from(self.log_scale[j]);
                    let u = (tj - oj) * (-ls).exp();
                    recon += 0.5 * u * u + ls + half_ln_2pi;
                    g[j] = ((oj - tj) * (-2.0 * ls).exp() * inv_b) as f32;
                    g_scale[j] += ((1.0 - u * u) * inv_b) as f32;
                }
            }
        }
        let Some([g_enc, g_dec, g_ls]) = grads else {
            return (recon * inv_b, kl * inv_b);
        };
        g_ls.copy_from_slice(&g_scale);
        let mut g_z = vec![0.0f32; b * k];
        self.decoder.backward(dec_tape, &g_out, g_dec, Some(&mut g_z));
        let mut g_h = vec![0.0f32; b * 2 * k];
        let h = self.encoder.output(enc_tape);
        for (((row, gh), gz), e) in h.chunks_exact(2 * k).zip(g_h.chunks_exact_mut(2 * k)).zip(g_z.chunks_exact(k)).zip(eps.chunks_exact(k)) {
            for j in 0..k {
                let (mu, lv) = (f64::from(row[j]), f64::from(row[k + j]));
                let s = (0.5 * lv).exp();
                gh[j] = (f64::from(gz[j]) + beta * mu * inv_b) as f32;
                gh[k + j] = (0.5 * f64::from(gz[j]) * f64::from(e[j]) * s + 0.5 * beta * (lv.exp() - 1.0) * inv_b) as f32;
            }
        }
        self.encoder.backward(enc_tape, &g_h, g_enc, None);
        (recon * inv_b, kl * inv_b)
    }

    fn encode(&self, x: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
        let h = self.encoder.predict_rows(x);
        let k = self.latent;
        (h.slice(ndarray::s![.., ..k]).to_owned(), h.slice(ndarray::s![.., k..]).to_owned())
    }

    fn decode(&self, z: &Array2<f64>) -> Array2<f64> {
        let out = self.decoder.predict_rows(z);
        if self.kind == BERNOULLI { out.mapv_into(|o| 1.0 / (1.0 + (-o).exp())) } else { out }
    }

    fn scales(&self) -> Vec<f64> {
        self.log_scale.iter().map(|&l| f64::from(l).exp()).collect()
    }

    fn n_params(&self) -> usize {
        self.encoder.params().len() + self.decoder.params().len() + self.dim
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
        "vae_n_params" => (|| registry::with(args.u64()?, |m: &Vae| Value::U64(m.n_params() as u64)))(),
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(v: &mut Vae, block: usize, i: usize) -> &mut f32 {
        match block {
            0 => &mut v.encoder.params_mut()[i],
            1 => &mut v.decoder.params_mut()[i],
            _ => &mut v.log_scale[i],
        }
    }

    #[test]
    fn gradients_are_finite_differences_of_the_loss() {
        // Oracle: central differences of recon + β·KL in each parameter block, every decoder.
        for kind in [GAUSSIAN_FIXED, GAUSSIAN_LEARNED, BERNOULLI] {
            let mut vae = Vae::new(3, 2, &[6], kind, 0.7, 4);
            let mut rng = seeded(9);
            let xb: Vec<f32> = normal_vec(&mut rng, 5 * 3).iter().map(|v| if kind == BERNOULLI { f32::from(*v > 0.0) } else { *v as f32 }).collect();
            let eps: Vec<f32> = normal_vec(&mut rng, 5 * 2).iter().map(|&v| v as f32).collect();
            let beta = 1.7;
            let mut grads = [vec![0.0; vae.encoder.params().len()], vec![0.0; vae.decoder.params().len()], vec![0.0; 3]];
            vae.loss(&xb, &eps, beta, Some(&mut grads));
            let total = |v: &mut Vae| {
                let (r, q) = v.loss(&xb, &eps, beta, None);
                r + beta * q
            };
            for (block, g) in grads.iter().enumerate() {
                for i in (0..g.len()).step_by(5) {
                    let h = 1e-2f32;
                    let p0 = *param(&mut vae, block, i);
                    *param(&mut vae, block, i) = p0 + h;
                    let up = total(&mut vae);
                    *param(&mut vae, block, i) = p0 - h;
                    let down = total(&mut vae);
                    *param(&mut vae, block, i) = p0;
                    let fd = (up - down) / (2.0 * f64::from(h));
                    // f32 forward passes: differences carry ~1e-6/h of rounding, O(h²) of truncation.
                    assert!((fd - f64::from(g[i])).abs() <= 2e-3 + 1e-2 * fd.abs(), "decoder {kind}, block {block}, parameter {i}: {} vs finite difference {fd}", g[i]);
                }
            }
        }
    }
}
