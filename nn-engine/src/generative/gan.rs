//! Adversarial training: the GAN of Goodfellow et al. and the Wasserstein GAN with a gradient
//! penalty, on 2-D (or 1-D) point clouds.
//!
//! A generator $G_\theta$ pushes latent noise $z\sim\mathcal N(0, I)$ to the data space; a
//! critic $f_\phi$ scores points. One generator step follows `n_critic` critic steps:
//!
//! | kind | critic minimizes | generator minimizes |
//! |---|---|---|
//! | `gan` (minimax) | $\mathbb E\,\mathrm{sp}(-f(x)) + \mathbb E\,\mathrm{sp}(f(G(z)))$ | $-\mathbb E\,\mathrm{sp}(f(G(z))) = \mathbb E\log(1-D(G(z)))$ |
//! | `nsgan` (non-saturating) | the same | $\mathbb E\,\mathrm{sp}(-f(G(z))) = -\mathbb E\log D(G(z))$ |
//! | `wgan_gp` | $\mathbb E f(G(z)) - \mathbb E f(x) + \lambda\,\mathbb E(\lVert\nabla f(\hat x)\rVert - 1)^2$ | $-\mathbb E f(G(z))$ |
//!
//! with $\mathrm{sp}(a) = \log(1+e^a)$ (so $-\log\sigma(a) = \mathrm{sp}(-a)$) and $\hat x$ a
//! uniform random point on the segment between a real and a generated point.
//!
//! The penalty uses central differences, $\partial_i f \approx (f(\hat x + h e_i) - f(\hat x - h e_i))/2h$
//! (burn 0.21's autodiff has no double backward, tracel-ai/burn#1942): in 2-D that is four
//! extra critic evaluations, exact up to $O(h^2)$, and an ordinary function of $\phi$. All the
//! critic's evaluations of a step go through it as one stacked batch
//! $[x_{\rm real}; x_{\rm fake}; \hat x \pm h e_i]$, forward and backward once, in the fused
//! trainer of `crate::nn::dense` (burn initializes both networks, from the same seeds as ever).
//!
//! ## Reference
//! Goodfellow et al. (2014), *Generative adversarial nets*; Arjovsky, Chintala & Bottou (2017),
//! *Wasserstein GAN*; Gulrajani et al. (2017), *Improved training of Wasserstein GANs*.
//!
//! Used in notebooks/29-gans-and-wasserstein-gans.ipynb (through `course::generative::gan`).

use super::net::new_mlp;
use crate::nn::convert::{f32_rows, gather};
use crate::Inner;
use crate::nn::dense::{AdamState, DenseNet, Tape};
use crate::registry;
use crate::rng::{ChaCha8Rng, seeded};
use crate::wire::{Value, WireError};
use course::nn::codec::Wire;
use ndarray::Array2;
use rand::RngExt;
use std::time::Instant;

/// Step of the central differences in the gradient penalty.
const FD_STEP: f64 = 1e-2;

/// A trained pair (or a lone discriminator, `generator == None`).
pub struct GanModel {
    generator: Option<DenseNet>,
    critic: DenseNet,
    z_dim: usize,
    x_dim: usize,
}

fn adam(n: usize) -> AdamState {
    // β₁ = 0.5, β₂ = 0.9: the usual GAN settings (Radford et al. 2016; Gulrajani et al. 2017).
    AdamState::with_betas(n, 0.5, 0.9)
}

/// Standard normal `n × d` matrix (Box–Muller on the seeded stream).
fn normals(rng: &mut ChaCha8Rng, n: usize, d: usize) -> Array2<f64> {
    Array2::from_shape_simple_fn((n, d), || {
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    })
}

/// The numerically stable softplus $\log(1+e^a) = \max(a,0) + \log(1+e^{-|a|})$.
fn softplus(a: f64) -> f64 {
    a.max(0.0) + (-a.abs()).exp().ln_1p()
}

/// $\sigma(a) = 1/(1+e^{-a}) = \mathrm{sp}'(a)$.
fn sigmoid(a: f64) -> f64 {
    1.0 / (1.0 + (-a).exp())
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Minimax,
    NonSaturating,
    WganGp,
}

fn kind_of(s: &str) -> Result<Kind, WireError> {
    match s {
        "gan" => Ok(Kind::Minimax),
        "nsgan" => Ok(Kind::NonSaturating),
        "wgan_gp" => Ok(Kind::WganGp),
        _ => Err(WireError(format!("train_gan: kind must be \"gan\", \"nsgan\" or \"wgan_gp\", got {s:?}"))),
    }
}

/// The critic's loss on `b` real rows `xr` and `b` generated rows `xf` (row-major, `d`
/// columns), and its distance estimate (W₁ for WGAN-GP, JS at the optimal discriminator
/// otherwise); with `grad`, its gradient in the critic's parameters. `mix` holds the
/// interpolation weights of $\hat x$ (WGAN-GP only).
///
/// Discriminator ($a$ = logits): $L = \overline{\mathrm{sp}(-a_r)} + \overline{\mathrm{sp}(a_f)}$,
/// $\partial L/\partial a_r = -\sigma(-a_r)/b$, $\partial L/\partial a_f = \sigma(a_f)/b$.
/// WGAN-GP: $L = \lambda\,\overline{(\lVert g\rVert - 1)^2} - (\bar a_r - \bar a_f)$ with
/// $g_i = (a^+_i - a^-_i)/2h$, so $\partial L/\partial a^\pm_i = \pm\frac{\lambda}{b}\,
/// 2(\lVert g\rVert - 1)\frac{g_i}{\lVert g\rVert}\frac1{2h}$.
#[allow(clippy::too_many_arguments)]
fn critic_loss(critic: &DenseNet, tape: &mut Tape, xr: &[f32], xf: &[f32], mix: &[f32], d: usize, kind: Kind, gp_weight: f64, grad: Option<&mut [f32]>) -> (f64, f64) {
    let b = xr.len() / d;
    let mut input = Vec::with_capacity(if kind == Kind::WganGp { (2 + 2 * d) * b * d } else { 2 * b * d });
    input.extend_from_slice(xr);
    input.extend_from_slice(xf);
    if kind == Kind::WganGp {
        for i in 0..d {
            for sign in [1.0f32, -1.0] {
                for r in 0..b {
                    for j in 0..d {
                        let xh = xr[r * d + j] * mix[r] + xf[r * d + j] * (1.0 - mix[r]);
                        input.push(if i == j { xh + sign * FD_STEP as f32 } else { xh });
                    }
                }
            }
        }
    }
    let rows = input.len() / d;
    critic.forward(&input, rows, tape);
    let a: Vec<f64> = critic.output(tape).iter().map(|&v| f64::from(v)).collect();
    let inv_b = 1.0 / b as f64;
    let mut g = vec![0.0f32; rows];
    let (loss, dist) = if kind == Kind::WganGp {
        let w = (a[..b].iter().sum::<f64>() - a[b..2 * b].iter().sum::<f64>()) * inv_b;
        g[..b].fill(-inv_b as f32);
        g[b..2 * b].fill(inv_b as f32);
        let mut pen = 0.0;
        for r in 0..b {
            // ∂_i f at x̂_r from the rows 2b + (2i)b + r (+h) and 2b + (2i+1)b + r (−h).
            let gi: Vec<f64> = (0..d).map(|i| (a[(2 + 2 * i) * b + r] - a[(3 + 2 * i) * b + r]) / (2.0 * FD_STEP)).collect();
            let norm = (gi.iter().map(|v| v * v).sum::<f64>() + 1e-12).sqrt();
            pen += (norm - 1.0).powi(2);
            for (i, gv) in gi.iter().enumerate() {
                let c = gp_weight * inv_b * 2.0 * (norm - 1.0) * gv / norm / (2.0 * FD_STEP);
                g[(2 + 2 * i) * b + r] = c as f32;
                g[(3 + 2 * i) * b + r] = -c as f32;
            }
        }
        (gp_weight * pen * inv_b - w, w)
    } else {
        let mut l = 0.0;
        for r in 0..b {
            l += softplus(-a[r]) + softplus(a[b + r]);
            g[r] = (-sigmoid(-a[r]) * inv_b) as f32;
            g[b + r] = (sigmoid(a[b + r]) * inv_b) as f32;
        }
        let l = l * inv_b;
        // −V̂ = log 4 − 2 JS at the optimal discriminator: JS ≈ (log 4 − loss)/2.
        (l, (4f64.ln() - l) / 2.0)
    };
    if let Some(grad) = grad {
        critic.backward(tape, &g, grad, None);
    }
    (loss, dist)
}

/// The generator's loss on latent rows `z` and, with `grad`, its gradient in the generator's
/// parameters (through the critic, whose own gradient lands in `scratch` and is not used):
/// minimax $-\overline{\mathrm{sp}(a)}$, non-saturating $\overline{\mathrm{sp}(-a)}$, WGAN $-\bar a$.
#[allow(clippy::too_many_arguments)]
fn generator_loss(generator: &DenseNet, critic: &DenseNet, tapes: &mut [Tape; 2], z: &[f32], kind: Kind, grad: Option<(&mut [f32], &mut [f32])>) -> f64 {
    let (zd, d) = (generator.dims()[0], critic.dims()[0]);
    let b = z.len() / zd;
    let [tg, tc] = tapes;
    generator.forward(z, b, tg);
    critic.forward(generator.output(tg), b, tc);
    let inv_b = 1.0 / b as f64;
    let mut g = vec![0.0f32; b];
    let mut loss = 0.0;
    for (gr, &a) in g.iter_mut().zip(critic.output(tc)) {
        let a = f64::from(a);
        let (l, dl) = match kind {
            Kind::Minimax => (-softplus(a), -sigmoid(a)),
            Kind::NonSaturating => (softplus(-a), -sigmoid(-a)),
            Kind::WganGp => (-a, -1.0),
        };
        loss += l;
        *gr = (dl * inv_b) as f32;
    }
    if let Some((grad, scratch)) = grad {
        let mut g_x = vec![0.0f32; b * d];
        critic.backward(tc, &g, scratch, Some(&mut g_x));
        generator.backward(tg, &g_x, grad, None);
    }
    loss * inv_b
}

struct Config {
    kind: Kind,
    z_dim: usize,
    gen_dims: Vec<usize>,
    critic_dims: Vec<usize>,
    activation: u8,
    n_steps: usize,
    n_critic: usize,
    batch_size: usize,
    lr: f64,
    gp_weight: f64,
    snapshot_every: usize,
    n_snapshot: usize,
    seed: u64,
}

struct Report {
    gen_losses: Vec<f64>,
    critic_losses: Vec<f64>,
    distances: Vec<f64>,
    snapshot_steps: Vec<usize>,
    snapshots: Vec<Array2<f64>>,
    seconds: f64,
}

fn train(data: &Array2<f64>, c: &Config) -> (GanModel, Report) {
    let device = Default::default();
    let (n, d) = data.dim();
    let mut generator = new_mlp::<Inner>(&c.gen_dims, c.activation, c.seed, &device).to_dense();
    let mut critic = new_mlp::<Inner>(&c.critic_dims, c.activation, c.seed.wrapping_add(0x5EED), &device).to_dense();
    let (mut opt_g, mut opt_c) = (adam(generator.params().len()), adam(critic.params().len()));
    let (mut grad_g, mut grad_c) = (vec![0.0f32; generator.params().len()], vec![0.0f32; critic.params().len()]);
    let mut tapes: [Tape; 2] = Default::default();
    let mut rng = seeded(c.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1));
    let z_fixed = normals(&mut seeded(c.seed ^ 0xF1CED), c.n_snapshot, c.z_dim);
    let data_f = f32_rows(data);
    let start = Instant::now();
    let mut rep = Report {
        gen_losses: Vec::with_capacity(c.n_steps),
        critic_losses: Vec::with_capacity(c.n_steps),
        distances: Vec::with_capacity(c.n_steps),
        snapshot_steps: vec![],
        snapshots: vec![],
        seconds: 0.0,
    };
    let b = c.batch_size.min(n);
    let mut xr = Vec::new();
    for step in 0..=c.n_steps {
        if c.n_snapshot > 0 && (step == c.n_steps || (c.snapshot_every > 0 && step % c.snapshot_every == 0)) {
            rep.snapshot_steps.push(step);
            rep.snapshots.push(generator.predict_rows(&z_fixed));
        }
        if step == c.n_steps {
            break;
        }
        let (mut c_loss, mut dist) = (0.0, 0.0);
        for _ in 0..c.n_critic {
            let idx = crate::nn::training::minibatch(&mut rng, n, b);
            gather(&data_f, d, &idx, &mut xr);
            let xf = generator.predict(&f32_rows(&normals(&mut rng, b, c.z_dim)), b);
            let mix: Vec<f32> = if c.kind == Kind::WganGp { (0..b).map(|_| rng.random::<f64>() as f32).collect() } else { vec![] };
            (c_loss, dist) = critic_loss(&critic, &mut tapes[1], &xr, &xf, &mix, d, c.kind, c.gp_weight, Some(&mut grad_c));
            opt_c.step(critic.params_mut(), &grad_c, c.lr);
        }
        rep.critic_losses.push(c_loss);
        rep.distances.push(dist);
        let z = f32_rows(&normals(&mut rng, b, c.z_dim));
        rep.gen_losses.push(generator_loss(&generator, &critic, &mut tapes, &z, c.kind, Some((&mut grad_g, &mut grad_c))));
        opt_g.step(generator.params_mut(), &grad_g, c.lr);
    }
    rep.seconds = start.elapsed().as_secs_f64();
    (GanModel { generator: Some(generator), critic, z_dim: c.z_dim, x_dim: d }, rep)
}

/// A discriminator trained by logistic regression of `real` (label 1) against `fake` (label 0).
#[allow(clippy::too_many_arguments)]
fn fit_discriminator(real: &Array2<f64>, fake: &Array2<f64>, dims: &[usize], activation: u8, n_steps: usize, batch_size: usize, lr: f64, seed: u64) -> (GanModel, Vec<f64>) {
    let mut critic = new_mlp::<Inner>(dims, activation, seed, &Default::default()).to_dense();
    let mut opt = AdamState::new(critic.params().len());
    let mut grad = vec![0.0f32; critic.params().len()];
    let mut tape = Tape::default();
    let mut rng = seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1));
    let d = real.ncols();
    let (real_f, fake_f) = (f32_rows(real), f32_rows(fake));
    let (mut xr, mut xf) = (Vec::new(), Vec::new());
    let mut losses = Vec::with_capacity(n_steps);
    for _ in 0..n_steps {
        let ir = crate::nn::training::minibatch(&mut rng, real.nrows(), batch_size);
        let jf = crate::nn::training::minibatch(&mut rng, fake.nrows(), batch_size);
        gather(&real_f, d, &ir, &mut xr);
        gather(&fake_f, d, &jf, &mut xf);
        losses.push(bce_unequal(&critic, &mut tape, &xr, &xf, d, &mut grad));
        opt.step(critic.params_mut(), &grad, lr);
    }
    (GanModel { generator: None, critic, z_dim: 0, x_dim: real.ncols() }, losses)
}

/// The discriminator loss $\overline{\mathrm{sp}(-a_r)} + \overline{\mathrm{sp}(a_f)}$ when the
/// real and fake batches may differ in size; its gradient into `grad`.
fn bce_unequal(critic: &DenseNet, tape: &mut Tape, xr: &[f32], xf: &[f32], d: usize, grad: &mut [f32]) -> f64 {
    let (br, bf) = (xr.len() / d, xf.len() / d);
    let input: Vec<f32> = xr.iter().chain(xf).copied().collect();
    critic.forward(&input, br + bf, tape);
    let a = critic.output(tape);
    let mut g = vec![0.0f32; br + bf];
    let (mut lr_, mut lf) = (0.0, 0.0);
    for r in 0..br {
        let v = f64::from(a[r]);
        lr_ += softplus(-v);
        g[r] = (-sigmoid(-v) / br as f64) as f32;
    }
    for r in 0..bf {
        let v = f64::from(a[br + r]);
        lf += softplus(v);
        g[br + r] = (sigmoid(v) / bf as f64) as f32;
    }
    critic.backward(tape, &g, grad, None);
    lr_ / br as f64 + lf / bf as f64
}

fn dims_ok(name: &str, dims: &[usize], first: usize, last: usize) -> Result<(), WireError> {
    if dims.len() < 2 || dims.contains(&0) || dims[0] != first || *dims.last().expect("len ≥ 2") != last {
        return Err(WireError(format!("{name} must list ≥ 2 positive widths from {first} to {last}, got {dims:?}")));
    }
    Ok(())
}

/// The operations of this file:
/// - `train_gan(kind, data, z_dim, gen_dims, critic_dims, activation, n_steps, n_critic,
///   batch_size, lr, gp_weight, snapshot_every, n_snapshot, seed)` → `[handle, gen_losses,
///   critic_losses, distances, snapshot_steps, snapshots, seconds]`
/// - `gan_discriminator_fit(real, fake, dims, activation, n_steps, batch_size, lr, seed)` →
///   `[handle, losses]`
/// - `gan_sample(handle, n, seed)` → matrix; `gan_critic(handle, x)` → critic values (logits)
pub fn dispatch(op: &str, args: &Value) -> Option<Result<Value, WireError>> {
    let r = match op {
        "train_gan" => (|| {
            let a = args.items(14)?;
            let kind = kind_of(a[0].str()?)?;
            let data = Array2::from_wire(&a[1])?;
            let c = Config {
                kind,
                z_dim: a[2].usize()?,
                gen_dims: a[3].usizes()?,
                critic_dims: a[4].usizes()?,
                activation: a[5].u64()? as u8,
                n_steps: a[6].usize()?,
                n_critic: a[7].usize()?,
                batch_size: a[8].usize()?,
                lr: a[9].f64()?,
                gp_weight: a[10].f64()?,
                snapshot_every: a[11].usize()?,
                n_snapshot: a[12].usize()?,
                seed: a[13].u64()?,
            };
            if data.nrows() == 0 || data.ncols() == 0 {
                return Err(WireError(format!("train_gan: data must be non-empty, got {:?}", data.dim())));
            }
            dims_ok("train_gan: gen_dims", &c.gen_dims, c.z_dim, data.ncols())?;
            dims_ok("train_gan: critic_dims", &c.critic_dims, data.ncols(), 1)?;
            if c.activation > 2 || c.n_critic == 0 || c.batch_size == 0 || !(c.lr > 0.0) || c.gp_weight < 0.0 {
                return Err(WireError(format!(
                    "train_gan: need activation in 0..=2, n_critic ≥ 1, batch_size ≥ 1, lr > 0, gp_weight ≥ 0; got {}, {}, {}, {}, {}",
                    c.activation, c.n_critic, c.batch_size, c.lr, c.gp_weight
                )));
            }
            let (model, rep) = train(&data, &c);
            Ok(Value::List(vec![
                registry::insert(model).into(),
                rep.gen_losses.into(),
                rep.critic_losses.into(),
                rep.distances.into(),
                rep.snapshot_steps.as_slice().into(),
                rep.snapshots.to_wire(),
                rep.seconds.into(),
            ]))
        })(),
        "gan_discriminator_fit" => (|| {
            let a = args.items(8)?;
            let (real, fake) = (Array2::from_wire(&a[0])?, Array2::from_wire(&a[1])?);
            let dims = a[2].usizes()?;
            if real.nrows() == 0 || fake.nrows() == 0 || real.ncols() != fake.ncols() {
                return Err(WireError(format!("gan_discriminator_fit: real and fake must be non-empty with equal columns, got {:?} and {:?}", real.dim(), fake.dim())));
            }
            dims_ok("gan_discriminator_fit: dims", &dims, real.ncols(), 1)?;
            let (m, losses) = fit_discriminator(&real, &fake, &dims, a[3].u64()? as u8, a[4].usize()?, a[5].usize()?, a[6].f64()?, a[7].u64()?);
            Ok(Value::List(vec![registry::insert(m).into(), losses.into()]))
        })(),
        "gan_sample" => (|| {
            let a = args.items(3)?;
            let (n, seed) = (a[1].usize()?, a[2].u64()?);
            registry::with(a[0].u64()?, |m: &GanModel| {
                let generator = m.generator.as_ref().ok_or_else(|| WireError("gan_sample: this model has no generator (a lone discriminator)".into()))?;
                Ok(generator.predict_rows(&normals(&mut seeded(seed), n, m.z_dim)).to_wire())
            })?
        })(),
        "gan_critic" => (|| {
            let a = args.items(2)?;
            let x = Array2::from_wire(&a[1])?;
            registry::with(a[0].u64()?, |m: &GanModel| {
                if x.ncols() != m.x_dim {
                    return Err(WireError(format!("gan_critic: x must have {} columns, got {}", m.x_dim, x.ncols())));
                }
                Ok(m.critic.predict_rows(&x).into_raw_vec_and_offset().0.into())
            })?
        })(),
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(v: &mut (DenseNet, DenseNet), which: usize) -> &mut [f32] {
        if which == 0 { v.0.params_mut() } else { v.1.params_mut() }
    }

    /// Central differences of `loss` in every third parameter of network `which` against `grad`.
    fn check(nets: &mut (DenseNet, DenseNet), which: usize, grad: &[f32], loss: &mut dyn FnMut(&(DenseNet, DenseNet)) -> f64, what: &str) {
        for i in (0..grad.len()).step_by(3) {
            let h = 1e-2f32;
            let p0 = params(nets, which)[i];
            params(nets, which)[i] = p0 + h;
            let up = loss(nets);
            params(nets, which)[i] = p0 - h;
            let down = loss(nets);
            params(nets, which)[i] = p0;
            let fd = (up - down) / (2.0 * f64::from(h));
            // f32 forward passes: ~1e-6/h of rounding, O(h²) of truncation.
            assert!((fd - f64::from(grad[i])).abs() <= 3e-3 + 2e-2 * fd.abs(), "{what}, parameter {i}: {} vs finite difference {fd}", grad[i]);
        }
    }

    #[test]
    fn critic_and_generator_gradients_are_finite_differences_of_their_losses() {
        // Oracle: central differences of each loss in the parameters, for every kind.
        let dev = Default::default();
        let mut nets = (new_mlp::<Inner>(&[2, 8, 2], 0, 1, &dev).to_dense(), new_mlp::<Inner>(&[2, 8, 1], 0, 2, &dev).to_dense());
        let mut rng = seeded(5);
        let f = |v: Array2<f64>| f32_rows(&v);
        let (xr, xf, z) = (f(normals(&mut rng, 6, 2)), f(normals(&mut rng, 6, 2)), f(normals(&mut rng, 6, 2)));
        let mix: Vec<f32> = (0..6).map(|_| rng.random::<f64>() as f32).collect();
        for kind in [Kind::Minimax, Kind::NonSaturating, Kind::WganGp] {
            let mut tape = Tape::default();
            let mut grad = vec![0.0; nets.1.params().len()];
            critic_loss(&nets.1, &mut tape, &xr, &xf, &mix, 2, kind, 10.0, Some(&mut grad));
            check(&mut nets, 1, &grad, &mut |n| critic_loss(&n.1, &mut Tape::default(), &xr, &xf, &mix, 2, kind, 10.0, None).0, &format!("critic, {kind:?}"));
            let mut tapes: [Tape; 2] = Default::default();
            let (mut gg, mut scratch) = (vec![0.0; nets.0.params().len()], vec![0.0; nets.1.params().len()]);
            generator_loss(&nets.0, &nets.1, &mut tapes, &z, kind, Some((&mut gg, &mut scratch)));
            check(&mut nets, 0, &gg, &mut |n| generator_loss(&n.0, &n.1, &mut Default::default(), &z, kind, None), &format!("generator, {kind:?}"));
        }
    }

    #[test]
    fn the_penalty_of_a_linear_critic_sees_its_weight_norm() {
        // A critic with no hidden layer is f(x) = w·x + b, ‖∇f‖ = ‖w‖ everywhere: the WGAN-GP
        // loss with real = fake is λ(‖w‖ − 1)² exactly (the differences are exact for a line).
        let critic = new_mlp::<Inner>(&[2, 1], 0, 3, &Default::default()).to_dense();
        let w = &critic.params()[..2];
        let norm = f64::from(w[0]).hypot(f64::from(w[1]));
        let x: Vec<f32> = (0..10).map(|i| i as f32 * 0.3 - 1.0).collect();
        let (loss, dist) = critic_loss(&critic, &mut Tape::default(), &x, &x, &[0.5; 5], 2, Kind::WganGp, 10.0, None);
        assert!(dist.abs() < 1e-6 && (loss - 10.0 * (norm - 1.0).powi(2)).abs() < 1e-3 * (1.0 + loss), "{loss} vs {}", 10.0 * (norm - 1.0).powi(2));
    }

    #[test]
    fn normals_have_unit_moments() {
        let z = normals(&mut seeded(1), 20_000, 2);
        let m = z.mean().unwrap();
        let v = z.mapv(|a| a * a).mean().unwrap();
        assert!(m.abs() < 4.0 * (1.0 / 40_000f64).sqrt(), "{m}");
        assert!((v - 1.0).abs() < 4.0 * (2.0 / 40_000f64).sqrt(), "{v}");
    }
}
