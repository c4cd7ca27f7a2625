//! The Path Integral Sampler's control network and its training by backpropagation through
//! the Euler–Maruyama path.
//!
//! The controlled SDE $dX = u_\theta(X, t)\,dt + \sigma\,dW$, $X_0 = 0$ on $[0, 1]$, discretized
//! with $K$ steps $X_{k+1} = X_k + u_\theta(X_k, t_k)\,\Delta t + \sigma\sqrt{\Delta t}\,\xi_k$, is
//! trained on the PIS objective
//! $$L(\theta) = \mathbb E\Big[\sum_k \frac{\lvert u_\theta(X_k, t_k)\rvert^2}{2\sigma^2}\Delta t +
//!   \log\nu(X_K) - \log\tilde\mu(X_K)\Big],$$
//! whose minimum $-\log Z$ is reached by the control that makes $X_1 \sim \mu = \tilde\mu/Z$.
//! The noises $\xi_k$ are fixed draws, so $L$ is a differentiable function of $\theta$ through
//! every step of the path (the reparametrization trick). The target's unnormalized
//! $\log\tilde\mu$ is written here in burn tensor ops; the course crate evaluates the same
//! densities in `f64` (`course::generative::targets`) for the importance weights.
//!
//! The control is PIS-Grad's: $u(x, t) = \mathrm{NN}_1(x, t) + \mathrm{NN}_2(t)\,\sigma^2\nabla\log(\tilde\mu/\nu)(x)$,
//! where $\sigma^2\nabla\log(\tilde\mu/\nu)$ is the optimal control at $t = 1$; both networks see
//! the time through $(t, \cos\pi t, \sin\pi t)$ and have SiLU hidden layers.

use super::net::{Mlp, new_mlp};
use crate::nn::convert::{matrix, to_array2};
use crate::registry;
use crate::rng::seeded;
use crate::wire::{Value, WireError};
use crate::{Inner, Train};
use burn::module::{AutodiffModule, Module};
use burn::optim::adaptor::OptimizerAdaptor;
use burn::optim::{Adam, AdamConfig, GradientsParams, Optimizer};
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData};
use course::nn::codec::Wire;
use ndarray::Array2;
use course::rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// The unnormalized target: 0 = double well `[a, sigma_y]`, 1 = isotropic mixture
/// `[s, w_1, mx_1, my_1, w_2, …]` (weights need not sum to 1).
#[derive(Clone, Debug)]
enum Target {
    DoubleWell { a: f64, sigma_y: f64 },
    Mixture { s: f64, comps: Vec<(f64, f64, f64)> },
}

impl Target {
    fn parse(kind: u64, p: &[f64]) -> Result<Target, WireError> {
        match kind {
            0 if p.len() == 2 && p[0] > 0.0 && p[1] > 0.0 => Ok(Target::DoubleWell { a: p[0], sigma_y: p[1] }),
            1 if p.len() >= 4 && (p.len() - 1) % 3 == 0 && p[0] > 0.0 => {
                let comps: Vec<(f64, f64, f64)> = p[1..].chunks(3).map(|c| (c[0], c[1], c[2])).collect();
                if comps.iter().any(|c| c.0 <= 0.0) {
                    return Err(WireError("pis_new: mixture weights must be > 0".into()));
                }
                Ok(Target::Mixture { s: p[0], comps })
            }
            _ => Err(WireError(format!(
                "pis_new: target must be 0 (double well, params [a > 0, sigma_y > 0]) or 1 (mixture, params [s > 0, w, mx, my, …]), got kind {kind} with {} params",
                p.len()
            ))),
        }
    }

    /// The score $\nabla\log\tilde\mu(x)$ row by row, `[n, 2]` → `[n, 2]`.
    fn score<B: Backend>(&self, x: Tensor<B, 2>) -> Tensor<B, 2> {
        let [n, _] = x.dims();
        let x1 = x.clone().slice([0..n, 0..1]);
        let x2 = x.clone().slice([0..n, 1..2]);
        match self {
            Target::DoubleWell { a, sigma_y } => {
                let s1 = x1.clone() * (x1.clone() * x1 - 1.0) * (-4.0 * a) as f32;
                let s2 = x2 * (-1.0 / (sigma_y * sigma_y)) as f32;
                Tensor::cat(vec![s1, s2], 1)
            }
            Target::Mixture { s, comps } => {
                // Σ_k r_k(x) (m_k − x)/s², r = softmax of the component log-densities
                let terms: Vec<Tensor<B, 2>> = comps
                    .iter()
                    .map(|&(w, mx, my)| {
                        let d2 = (x1.clone() - mx as f32).square() + (x2.clone() - my as f32).square();
                        d2 * (-0.5 / (s * s)) as f32 + w.ln() as f32
                    })
                    .collect();
                let r = burn::tensor::activation::softmax(Tensor::cat(terms, 1), 1); // [n, K]
                let k = comps.len();
                let mx: Vec<f32> = comps.iter().map(|c| c.1 as f32).collect();
                let my: Vec<f32> = comps.iter().map(|c| c.2 as f32).collect();
                let device = x.device();
                let mxt = Tensor::<B, 1>::from_data(TensorData::new(mx, [k]), &device).reshape([k, 1]);
                let myt = Tensor::<B, 1>::from_data(TensorData::new(my, [k]), &device).reshape([k, 1]);
                let mean = Tensor::cat(vec![r.clone().matmul(mxt), r.matmul(myt)], 1); // [n, 2]
                (mean - x) * (1.0 / (s * s)) as f32
            }
        }
    }

    /// $\log\tilde\mu(x)$ row by row, `[n, 2]` → `[n, 1]`.
    fn log_density<B: Backend>(&self, x: Tensor<B, 2>) -> Tensor<B, 2> {
        let [n, _] = x.dims();
        let x1 = x.clone().slice([0..n, 0..1]);
        let x2 = x.slice([0..n, 1..2]);
        match self {
            Target::DoubleWell { a, sigma_y } => {
                let well = (x1.clone() * x1 - 1.0).square() * (-*a as f32);
                well - x2.square() * (0.5 / (sigma_y * sigma_y)) as f32
            }
            Target::Mixture { s, comps } => {
                let total: f64 = comps.iter().map(|c| c.0).sum();
                // log w_k − |x − m_k|²/(2s²) − log(2πs²), then a stable log-sum-exp over k.
                let terms: Vec<Tensor<B, 2>> = comps
                    .iter()
                    .map(|&(w, mx, my)| {
                        let d2 = (x1.clone() - mx as f32).square() + (x2.clone() - my as f32).square();
                        d2 * (-0.5 / (s * s)) as f32 + ((w / total).ln() - (2.0 * PI * s * s).ln()) as f32
                    })
                    .collect();
                let all = Tensor::cat(terms, 1); // [n, K]
                let m = all.clone().max_dim(1).detach(); // [n, 1]
                (all - m.clone()).exp().sum_dim(1).log() + m
            }
        }
    }
}

/// The network's input $(x, t, \cos\pi t, \sin\pi t)$ for a batch at one time.
fn features<B: Backend>(x: Tensor<B, 2>, t: f64, device: &B::Device) -> Tensor<B, 2> {
    let [n, _] = x.dims();
    Tensor::cat(vec![x, time_features(t, device).repeat_dim(0, n)], 1)
}

/// $(t, \cos\pi t, \sin\pi t)$ as a `[1, 3]` tensor.
fn time_features<B: Backend>(t: f64, device: &B::Device) -> Tensor<B, 2> {
    let tf = [t as f32, (PI * t).cos() as f32, (PI * t).sin() as f32];
    Tensor::<B, 1>::from_data(TensorData::new(tf.to_vec(), [3]), device).reshape([1, 3])
}

/// The bound on each component of the guide $\sigma^2\nabla\log(\tilde\mu/\nu)$.
const GUIDE_MAX: f32 = 5.0;

/// The control $u(x, t) = \mathrm{NN}_1(x, t) + \mathrm{NN}_2(t)\,\sigma^2\nabla\log(\tilde\mu/\nu)(x)$
/// (PIS-Grad: the second term, clamped to ±5 per component, is the optimal control at $t = 1$,
/// gated by a learned function of time).
#[derive(Module, Debug)]
pub struct PisNet<B: Backend> {
    drift: Mlp<B>,
    gate: Mlp<B>,
}

impl<B: Backend> PisNet<B> {
    fn forward(&self, x: Tensor<B, 2>, t: f64, target: &Target, sigma: f64) -> Tensor<B, 2> {
        let device = x.device();
        // Clamped: the raw score of a steep target makes explicit Euler steps unstable far out.
        let guide = (target.score(x.clone()) * (sigma * sigma) as f32 + x.clone()).clamp(-GUIDE_MAX, GUIDE_MAX);
        let gate = self.gate.forward(time_features::<B>(t, &device)); // [1, 1]
        self.drift.forward(features(x, t, &device)) + guide * gate
    }
}

/// A control network in training with its Adam state.
pub struct Pis {
    model: Option<PisNet<Train>>,
    optim: OptimizerAdaptor<Adam, PisNet<Train>, Train>,
    target: Target,
    sigma: f64,
    n_time_steps: usize,
    steps: u64,
    seed: u64,
}

impl Pis {
    /// `n_steps` Adam steps on fresh batches of paths; the loss (mean path cost) before each.
    fn fit(&mut self, n_steps: usize, batch_size: usize, lr: f64) -> Vec<f64> {
        let device = Default::default();
        let k = self.n_time_steps;
        let dt = 1.0 / k as f64;
        let sig = self.sigma;
        let mut rng = seeded(self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(self.steps + 1));
        let mut model = self.model.take().expect("model present");
        let mut losses = Vec::with_capacity(n_steps);
        for _ in 0..n_steps {
            let mut x = Tensor::<Train, 2>::zeros([batch_size, 2], &device);
            let mut energy = Tensor::<Train, 2>::zeros([batch_size, 1], &device);
            for step in 0..k {
                let u = model.forward(x.clone(), step as f64 * dt, &self.target, sig);
                energy = energy + u.clone().square().sum_dim(1) * (0.5 * dt / (sig * sig)) as f32;
                let xi: Vec<f32> = (0..2 * batch_size).map(|_| StandardNormal.sample(&mut rng)).map(|v: f64| v as f32).collect();
                let noise = Tensor::<Train, 2>::from_data(TensorData::new(xi, [batch_size, 2]), &device);
                x = x + u * dt as f32 + noise * (sig * dt.sqrt()) as f32;
            }
            let log_nu = x.clone().square().sum_dim(1) * (-0.5 / (sig * sig)) as f32 - (2.0 * PI * sig * sig).ln() as f32;
            let cost = energy + log_nu - self.target.log_density(x);
            let loss = cost.mean();
            losses.push(f64::from(loss.clone().into_scalar()));
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = self.optim.step(lr, model, grads);
            self.steps += 1;
        }
        self.model = Some(model);
        losses
    }

    /// The control $u_\theta(x, t)$ at one time for a batch of points.
    fn control(&self, x: &Array2<f64>, t: f64) -> Array2<f64> {
        let device = Default::default();
        let net: PisNet<Inner> = self.model.as_ref().expect("model present").valid();
        to_array2(net.forward(matrix::<Inner>(x, &device), t, &self.target, self.sigma))
    }
}

/// The operations of this file:
/// - `pis_new(kind, params, sigma, hidden, n_time_steps, seed)` → handle
/// - `pis_fit(handle, n_steps, batch_size, lr)` → losses
/// - `pis_control(handle, x, t)` → matrix $u_\theta(x, t)$
pub fn dispatch(op: &str, args: &Value) -> Option<Result<Value, WireError>> {
    let r = match op {
        "pis_new" => (|| {
            let a = args.items(6)?;
            let target = Target::parse(a[0].u64()?, a[1].f64s()?)?;
            let sigma = a[2].f64()?;
            let hidden = a[3].usizes()?;
            let n_time_steps = a[4].usize()?;
            if !(sigma.is_finite() && sigma > 0.0) {
                return Err(WireError(format!("pis_new: sigma must be finite and > 0, got {sigma}")));
            }
            if n_time_steps == 0 || hidden.is_empty() || hidden.contains(&0) {
                return Err(WireError(format!(
                    "pis_new: n_time_steps must be ≥ 1 and hidden non-empty positive widths, got {n_time_steps} and {hidden:?}"
                )));
            }
            let seed = a[5].u64()?;
            let mut dims = vec![5];
            dims.extend(&hidden);
            dims.push(2);
            let device = Default::default();
            let mut gate_dims = vec![3];
            gate_dims.extend(&hidden);
            gate_dims.push(1);
            let net = PisNet { drift: new_mlp(&dims, 0, seed, &device), gate: new_mlp(&gate_dims, 0, seed.wrapping_add(1), &device) };
            let pis = Pis {
                model: Some(net),
                optim: AdamConfig::new().init(),
                target,
                sigma,
                n_time_steps,
                steps: 0,
                seed,
            };
            Ok(registry::insert(pis).into())
        })(),
        "pis_fit" => (|| {
            let a = args.items(4)?;
            let (n_steps, batch_size, lr) = (a[1].usize()?, a[2].usize()?, a[3].f64()?);
            if batch_size == 0 || !(lr > 0.0) {
                return Err(WireError(format!("pis_fit: batch_size must be ≥ 1 and lr > 0, got {batch_size} and {lr}")));
            }
            registry::with_mut(a[0].u64()?, |m: &mut Pis| Ok(m.fit(n_steps, batch_size, lr).into()))?
        })(),
        "pis_control" => (|| {
            let a = args.items(3)?;
            let x = Array2::from_wire(&a[1])?;
            if x.ncols() != 2 {
                return Err(WireError(format!("pis_control: x must have 2 columns, got {}", x.ncols())));
            }
            let t = a[2].f64()?;
            registry::with(a[0].u64()?, |m: &Pis| Ok(m.control(&x, t).to_wire()))?
        })(),
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensor_log_densities_match_the_course_targets() {
        let device = Default::default();
        let pts = ndarray::array![[0.3, -0.7], [1.1, 0.2], [-1.6, 1.4]];
        let w = course::generative::targets::DoubleWell::new(2.5, 0.8);
        let t = Target::parse(0, &[2.5, 0.8]).unwrap();
        let got = to_array2(t.log_density(matrix::<Inner>(&pts, &device)));
        for (i, row) in pts.rows().into_iter().enumerate() {
            assert!((got[[i, 0]] - w.log_density_unnormalized(&[row[0], row[1]])).abs() < 1e-4);
        }
        let g = course::generative::targets::GaussianMixture2d::ring(4, 2.0, 0.5);
        let mut p = vec![0.5];
        for (m, wk) in g.means.iter().zip(&g.weights) {
            p.extend([*wk, m[0], m[1]]);
        }
        let t = Target::parse(1, &p).unwrap();
        let got = to_array2(t.log_density(matrix::<Inner>(&pts, &device)));
        let sc = to_array2(t.score(matrix::<Inner>(&pts, &device)));
        for (i, row) in pts.rows().into_iter().enumerate() {
            assert!((got[[i, 0]] - g.log_density(&[row[0], row[1]])).abs() < 1e-4);
            let exact = g.score(&[row[0], row[1]]);
            assert!((sc[[i, 0]] - exact[0]).abs() < 1e-3 && (sc[[i, 1]] - exact[1]).abs() < 1e-3);
        }
        let t = Target::parse(0, &[2.5, 0.8]).unwrap();
        let sc = to_array2(t.score(matrix::<Inner>(&pts, &device)));
        for (i, row) in pts.rows().into_iter().enumerate() {
            let exact = w.score(&[row[0], row[1]]);
            assert!((sc[[i, 0]] - exact[0]).abs() < 1e-3 && (sc[[i, 1]] - exact[1]).abs() < 1e-3);
        }
    }
}
