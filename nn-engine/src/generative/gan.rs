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
//! burn 0.21's autodiff has no double backward (tracel-ai/burn#1942), so $\nabla_x f(\hat x)$
//! cannot be differentiated once more by the tape. The penalty uses central differences
//! instead, $\partial_i f \approx (f(\hat x + h e_i) - f(\hat x - h e_i))/2h$: in 2-D that is four
//! extra critic evaluations, exact up to $O(h^2)$, and an ordinary function of $\phi$ that the
//! tape differentiates.
//!
//! ## Reference
//! Goodfellow et al. (2014), *Generative adversarial nets*; Arjovsky, Chintala & Bottou (2017),
//! *Wasserstein GAN*; Gulrajani et al. (2017), *Improved training of Wasserstein GANs*.
//!
//! Used in notebooks/24-gans-and-wasserstein-gans.ipynb (through `course::generative::gan`).

use super::net::{Mlp, new_mlp};
use crate::nn::convert::{matrix, rows, to_array2, values};
use crate::registry;
use crate::rng::{ChaCha8Rng, seeded};
use crate::wire::{Value, WireError};
use crate::{Inner, Train};
use burn::module::AutodiffModule;
use burn::optim::adaptor::OptimizerAdaptor;
use burn::optim::{Adam, AdamConfig, GradientsParams, Optimizer};
use burn::tensor::{Tensor, TensorData};
use course::nn::codec::Wire;
use ndarray::Array2;
use rand::RngExt;
use std::time::Instant;

/// Step of the central differences in the gradient penalty.
const FD_STEP: f64 = 1e-2;

/// A trained pair (or a lone discriminator, `generator == None`).
pub struct GanModel {
    generator: Option<Mlp<Train>>,
    critic: Mlp<Train>,
    z_dim: usize,
    x_dim: usize,
}

type Opt = OptimizerAdaptor<Adam, Mlp<Train>, Train>;

fn adam() -> Opt {
    // β₁ = 0.5, β₂ = 0.9: the usual GAN settings (Radford et al. 2016; Gulrajani et al. 2017).
    AdamConfig::new().with_beta_1(0.5).with_beta_2(0.9).init()
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
fn softplus(a: Tensor<Train, 2>) -> Tensor<Train, 2> {
    a.clone().clamp_min(0.0) + a.abs().neg().exp().log1p()
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

/// The discriminator's loss on logits of real and generated points: $-\hat V(D, G)$.
fn bce(a_real: Tensor<Train, 2>, a_fake: Tensor<Train, 2>) -> Tensor<Train, 1> {
    softplus(a_real.neg()).mean() + softplus(a_fake).mean()
}

/// Central-difference input gradient norms of `critic` at the rows of `x` (`[b, d]` → `[b, 1]`).
fn fd_grad_norm(critic: &Mlp<Train>, x: Tensor<Train, 2>, d: usize) -> Tensor<Train, 2> {
    let [b, _] = x.dims();
    let device = Default::default();
    let mut sq: Option<Tensor<Train, 2>> = None;
    for i in 0..d {
        let mut e = vec![0f32; b * d];
        for r in 0..b {
            e[r * d + i] = FD_STEP as f32;
        }
        let e = Tensor::<Train, 2>::from_data(TensorData::new(e, [b, d]), &device);
        let gi = (critic.forward(x.clone() + e.clone()) - critic.forward(x.clone() - e)).div_scalar(2.0 * FD_STEP);
        let g2 = gi.square();
        sq = Some(match sq {
            None => g2,
            Some(s) => s + g2,
        });
    }
    (sq.expect("d >= 1") + 1e-12).sqrt()
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

fn generate(generator: &Mlp<Train>, z: &Array2<f64>) -> Array2<f64> {
    let g: Mlp<Inner> = generator.valid();
    to_array2(g.forward(matrix(z, &Default::default())))
}

fn train(data: &Array2<f64>, c: &Config) -> (GanModel, Report) {
    let device = Default::default();
    let (n, d) = data.dim();
    let mut generator = new_mlp::<Train>(&c.gen_dims, c.activation, c.seed, &device);
    let mut critic = new_mlp::<Train>(&c.critic_dims, c.activation, c.seed.wrapping_add(0x5EED), &device);
    let (mut opt_g, mut opt_c) = (adam(), adam());
    let mut rng = seeded(c.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1));
    let z_fixed = normals(&mut seeded(c.seed ^ 0xF1CED), c.n_snapshot, c.z_dim);
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
    for step in 0..=c.n_steps {
        if c.n_snapshot > 0 && (step == c.n_steps || (c.snapshot_every > 0 && step % c.snapshot_every == 0)) {
            rep.snapshot_steps.push(step);
            rep.snapshots.push(generate(&generator, &z_fixed));
        }
        if step == c.n_steps {
            break;
        }
        let (mut c_loss, mut dist) = (0.0, 0.0);
        for _ in 0..c.n_critic {
            let idx = crate::nn::training::minibatch(&mut rng, n, b);
            let xr = rows::<Train>(data, &idx, &device);
            let z = matrix::<Train>(&normals(&mut rng, b, c.z_dim), &device);
            let xf = generator.forward(z).detach();
            let (fr, ff) = (critic.forward(xr.clone()), critic.forward(xf.clone()));
            let loss = match c.kind {
                Kind::WganGp => {
                    let w = fr.mean() - ff.mean();
                    let eps: Vec<f32> = (0..b).map(|_| rng.random::<f64>() as f32).collect();
                    let eps = Tensor::<Train, 2>::from_data(TensorData::new(eps, [b, 1]), &device);
                    let xh = xr * eps.clone() + xf * (eps.neg() + 1.0);
                    let pen = (fd_grad_norm(&critic, xh, d) - 1.0).square().mean();
                    dist = f64::from(w.clone().into_scalar());
                    pen.mul_scalar(c.gp_weight) - w
                }
                _ => {
                    let l = bce(fr, ff);
                    // −V̂ = log 4 − 2 JS at the optimal discriminator: JS ≈ (log 4 − loss)/2.
                    dist = (4f64.ln() - f64::from(l.clone().into_scalar())) / 2.0;
                    l
                }
            };
            c_loss = f64::from(loss.clone().into_scalar());
            let grads = GradientsParams::from_grads(loss.backward(), &critic);
            critic = opt_c.step(c.lr, critic, grads);
        }
        rep.critic_losses.push(c_loss);
        rep.distances.push(dist);
        let z = matrix::<Train>(&normals(&mut rng, b, c.z_dim), &device);
        let ff = critic.forward(generator.forward(z));
        let loss = match c.kind {
            Kind::Minimax => softplus(ff).mean().neg(),
            Kind::NonSaturating => softplus(ff.neg()).mean(),
            Kind::WganGp => ff.mean().neg(),
        };
        rep.gen_losses.push(f64::from(loss.clone().into_scalar()));
        let grads = GradientsParams::from_grads(loss.backward(), &generator);
        generator = opt_g.step(c.lr, generator, grads);
    }
    rep.seconds = start.elapsed().as_secs_f64();
    (GanModel { generator: Some(generator), critic, z_dim: c.z_dim, x_dim: d }, rep)
}

/// A discriminator trained by logistic regression of `real` (label 1) against `fake` (label 0).
#[allow(clippy::too_many_arguments)]
fn fit_discriminator(real: &Array2<f64>, fake: &Array2<f64>, dims: &[usize], activation: u8, n_steps: usize, batch_size: usize, lr: f64, seed: u64) -> (GanModel, Vec<f64>) {
    let device = Default::default();
    let mut critic = new_mlp::<Train>(dims, activation, seed, &device);
    let mut opt = AdamConfig::new().init();
    let mut rng = seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1));
    let mut losses = Vec::with_capacity(n_steps);
    for _ in 0..n_steps {
        let ir = crate::nn::training::minibatch(&mut rng, real.nrows(), batch_size);
        let jf = crate::nn::training::minibatch(&mut rng, fake.nrows(), batch_size);
        let loss = bce(critic.forward(rows::<Train>(real, &ir, &device)), critic.forward(rows::<Train>(fake, &jf, &device)));
        losses.push(f64::from(loss.clone().into_scalar()));
        let grads = GradientsParams::from_grads(loss.backward(), &critic);
        critic = opt.step(lr, critic, grads);
    }
    (GanModel { generator: None, critic, z_dim: 0, x_dim: real.ncols() }, losses)
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
                Ok(generate(generator, &normals(&mut seeded(seed), n, m.z_dim)).to_wire())
            })?
        })(),
        "gan_critic" => (|| {
            let a = args.items(2)?;
            let x = Array2::from_wire(&a[1])?;
            registry::with(a[0].u64()?, |m: &GanModel| {
                if x.ncols() != m.x_dim {
                    return Err(WireError(format!("gan_critic: x must have {} columns, got {}", m.x_dim, x.ncols())));
                }
                let net: Mlp<Inner> = m.critic.valid();
                Ok(values(net.forward(matrix(&x, &Default::default()))).into())
            })?
        })(),
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_difference_gradient_of_a_linear_critic_is_its_weight_norm() {
        // A critic with no hidden layer is f(x) = w·x + b: ‖∇f‖ = ‖w‖ everywhere.
        let device = Default::default();
        let critic = new_mlp::<Train>(&[2, 1], 0, 3, &device);
        let x = matrix::<Train>(&Array2::from_shape_fn((5, 2), |(i, j)| i as f64 - j as f64), &device);
        let g = values(fd_grad_norm(&critic, x, 2));
        let w = values(critic.forward(matrix(&ndarray::array![[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], &device)));
        let norm = ((w[0] - w[2]).powi(2) + (w[1] - w[2]).powi(2)).sqrt();
        for gi in g {
            assert!((gi - norm).abs() < 1e-3 * (1.0 + norm), "{gi} vs {norm}");
        }
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
