//! A nonlinear E(2)-equivariant noise predictor: one EGNN message-passing layer with an MLP edge function.
//!
//! The EGNN coordinate update (Satorras et al. 2021, eq. 4) moves every point along its
//! differences to the others, with weights that see only invariants:
//! $$x_i \leftarrow x_i + \sum_{j\ne i}(x_i - x_j)\,\varphi\big(\lvert x_i - x_j\rvert^2, h_i, h_j\big).$$
//! Here the noise predictor is the displacement of one such layer,
//! $$\hat\varepsilon_i(x, t) = \sum_{j\ne i}(x_i - x_j)\,\varphi_\theta\big(\rho(r_{ij}),\,h_i + h_j,\,\sigma_t,\,\log\sigma_t\big),
//! \qquad h_i = \sum_{k\ne i}e^{-r_{ik}^2/2},\quad \sigma_t = \sqrt{1-\bar\alpha_t},$$
//! with $r_{ij} = \lvert x_i - x_j\rvert$ expanded in 8 Gaussian radial functions $\rho(r)$ (centres
//! $0, 0.4, \dots, 2.8$, width 0.3, as in SchNet), node features $h_i$ (a smooth count of
//! neighbours: they make the messages many-body, unlike a pair potential) and $\varphi_\theta$ an
//! 11→H→H→1 MLP with SiLU activations. Every input of $\varphi_\theta$ is invariant under rotations, reflections,
//! translations and relabellings, and $\varphi_{ij} = \varphi_{ji}$, so $\hat\varepsilon$ is equivariant and
//! $\sum_i\hat\varepsilon_i = 0$ (the centred subspace is kept), whatever $\theta$. It is trained by
//! denoising score matching (the $\varepsilon$-prediction loss of DDPM) with gradients written out by
//! hand: $\partial L/\partial\varphi_{ij} = (\delta_i - \delta_j)\cdot(x_i - x_j)$ for
//! $\delta = \partial L/\partial\hat\varepsilon$, then backpropagation through the MLP; Adam steps.
//!
//! ## Reference
//! V. G. Satorras, E. Hoogeboom & M. Welling (2021), *E(n) equivariant graph neural networks*, ICML;
//! M. Xu et al. (2022), *GeoDiff*, ICLR, §4 (equivariant denoising networks).
//!
//! Used in notebooks/35-stochastic-control-and-sampling.ipynb.

use crate::generative::control::centered_noise;
use crate::generative::diffusion::{NoiseSchedule, reverse_mean};
use crate::optim::AdamState;
use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};

/// One EGNN coordinate update $x_i + \sum_{j\ne i}(x_i - x_j)\,\varphi(\lvert x_i - x_j\rvert^2)$ of a
/// single cloud $[x_1, y_1, \dots, x_N, y_N]$, with an edge weight `phi` of the squared distance.
///
/// # Panics
/// If `x` does not hold ≥ 2 points.
///
/// # Examples
/// ```
/// // φ ≡ −1/4 on two points pulls each half-way towards the other: both land on the midpoint
/// let y = course::generative::control::egnn_update(&[0.0, 0.0, 2.0, 0.0], &|_s| -0.25);
/// assert_eq!(y, vec![0.5, 0.0, 1.5, 0.0]);
/// ```
pub fn egnn_update(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
    assert!(x.len() >= 4 && x.len() % 2 == 0, "egnn_update: x must hold N ≥ 2 points as [x1, y1, …], got {} numbers", x.len());
    let n = x.len() / 2;
    let mut out = x.to_vec();
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let (dx, dy) = (x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
                let w = phi(dx * dx + dy * dy);
                out[2 * i] += dx * w;
                out[2 * i + 1] += dy * w;
            }
        }
    }
    out
}

/// The radial basis: Gaussians of the distance $r$ centred at $0, 0.4, \dots, 2.8$, width 0.3.
/// The clouds (rows of `x`) with their points relabelled: point `i` of the result is point
/// `perm[i]` of the input.
///
/// # Panics
/// If `perm` is not a permutation of `0..N`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let y = course::generative::control::permute_points(&array![[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]], &[2, 0, 1]);
/// assert_eq!(y, array![[5.0, 6.0, 1.0, 2.0, 3.0, 4.0]]);
/// ```
pub fn permute_points(x: &Array2<f64>, perm: &[usize]) -> Array2<f64> {
    let n = x.ncols() / 2;
    let mut seen = vec![false; n];
    assert!(x.ncols() == 2 * perm.len() && perm.iter().all(|&p| p < n && !std::mem::replace(&mut seen[p], true)), "permute_points: perm must be a permutation of 0..{n}, got {perm:?}");
    let mut out = x.clone();
    for (new, &old) in perm.iter().enumerate() {
        out.column_mut(2 * new).assign(&x.column(2 * old));
        out.column_mut(2 * new + 1).assign(&x.column(2 * old + 1));
    }
    out
}

const N_RBF: usize = 8;
const N_IN: usize = N_RBF + 3;

fn silu(a: f64) -> (f64, f64) {
    let sg = 1.0 / (1.0 + (-a).exp());
    (a * sg, sg * (1.0 + a * (1.0 - sg)))
}

/// The EGNN noise predictor: the edge MLP's weights, flat, in the order
/// $W_1$ (H×11), $b_1$, $W_2$ (H×H), $b_2$, $w_3$ (H), $b_3$.
#[derive(Clone, Debug)]
pub struct EgnnDenoiser {
    /// $H$, the width of the two hidden layers.
    pub hidden: usize,
    /// $\theta$, all the MLP's weights.
    pub params: Vec<f64>,
    /// The training loss after each Adam step (empty before training).
    pub losses: Vec<f64>,
}

/// One pair's inputs, activations and output (kept for the backward pass).
struct EdgeCache {
    z: [f64; N_IN],
    a1: Vec<f64>,
    h1: Vec<f64>,
    a2: Vec<f64>,
    h2: Vec<f64>,
}

impl EgnnDenoiser {
    /// An untrained network of width `hidden` with Glorot-scaled Gaussian weights, zero biases
    /// and a small last layer (so $\hat\varepsilon\approx 0$ at the start).
    ///
    /// # Panics
    /// If `hidden == 0`.
    ///
    /// # Examples
    /// ```
    /// let m = course::generative::control::EgnnDenoiser::new(8, &mut course::rng::seeded(0));
    /// assert_eq!(m.params.len(), 8 * 11 + 8 + 8 * 8 + 8 + 8 + 1);
    /// ```
    pub fn new(hidden: usize, rng: &mut impl Rng) -> Self {
        assert!(hidden > 0, "EgnnDenoiser::new: hidden must be > 0");
        let h = hidden;
        let mut p = Vec::with_capacity(Self::n_params(h));
        let g1 = crate::rng::normal_vec(rng, h * N_IN);
        p.extend(g1.iter().map(|v| v * (2.0 / (h + N_IN) as f64).sqrt()));
        p.extend(std::iter::repeat_n(0.0, h));
        let g2 = crate::rng::normal_vec(rng, h * h);
        p.extend(g2.iter().map(|v| v * (1.0 / h as f64).sqrt()));
        p.extend(std::iter::repeat_n(0.0, h));
        let g3 = crate::rng::normal_vec(rng, h);
        p.extend(g3.iter().map(|v| v * 0.1 / (h as f64).sqrt()));
        p.push(0.0);
        EgnnDenoiser { hidden, params: p, losses: Vec::new() }
    }

    fn n_params(h: usize) -> usize {
        h * N_IN + h + h * h + h + h + 1
    }

    /// The edge MLP's output and cache for the inputs `z`.
    fn edge_forward(&self, z: [f64; N_IN]) -> (f64, EdgeCache) {
        let h = self.hidden;
        let p = &self.params;
        let (w1, rest) = p.split_at(h * N_IN);
        let (b1, rest) = rest.split_at(h);
        let (w2, rest) = rest.split_at(h * h);
        let (b2, rest) = rest.split_at(h);
        let (w3, b3) = rest.split_at(h);
        let mut a1 = vec![0.0; h];
        let mut h1 = vec![0.0; h];
        for k in 0..h {
            a1[k] = b1[k] + (0..N_IN).map(|m| w1[k * N_IN + m] * z[m]).sum::<f64>();
            h1[k] = silu(a1[k]).0;
        }
        let mut a2 = vec![0.0; h];
        let mut h2 = vec![0.0; h];
        for k in 0..h {
            let row = &w2[k * h..(k + 1) * h];
            a2[k] = b2[k] + row.iter().zip(&h1).map(|(w, v)| w * v).sum::<f64>();
            h2[k] = silu(a2[k]).0;
        }
        let out = b3[0] + w3.iter().zip(&h2).map(|(w, v)| w * v).sum::<f64>();
        (out, EdgeCache { z, a1, h1, a2, h2 })
    }

    /// Adds $g\,\partial\varphi/\partial\theta$ at the cached pair to `grad`.
    fn edge_backward(&self, g: f64, c: &EdgeCache, grad: &mut [f64]) {
        let h = self.hidden;
        let (o_b1, o_w2) = (h * N_IN, h * N_IN + h);
        let (o_b2, o_w3) = (o_w2 + h * h, o_w2 + h * h + h);
        let o_b3 = o_w3 + h;
        grad[o_b3] += g;
        let mut g_a2 = vec![0.0; h];
        for k in 0..h {
            grad[o_w3 + k] += g * c.h2[k];
            g_a2[k] = g * self.params[o_w3 + k] * silu(c.a2[k]).1;
            grad[o_b2 + k] += g_a2[k];
        }
        let mut g_h1 = vec![0.0; h];
        for k in 0..h {
            if g_a2[k] == 0.0 {
                continue;
            }
            let row = o_w2 + k * h;
            for m in 0..h {
                grad[row + m] += g_a2[k] * c.h1[m];
                g_h1[m] += g_a2[k] * self.params[row + m];
            }
        }
        for k in 0..h {
            let g_a1 = g_h1[k] * silu(c.a1[k]).1;
            grad[o_b1 + k] += g_a1;
            for m in 0..N_IN {
                grad[k * N_IN + m] += g_a1 * c.z[m];
            }
        }
    }

    /// The invariant inputs of every pair $i<j$ of one cloud: $(\rho(r_{ij}), h_i + h_j, \sigma_t, \log\sigma_t)$.
    fn pair_inputs(cloud: &[f64], sigma_t: f64) -> Vec<(usize, usize, [f64; N_IN])> {
        let n = cloud.len() / 2;
        let mut s = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let (dx, dy) = (cloud[2 * i] - cloud[2 * j], cloud[2 * i + 1] - cloud[2 * j + 1]);
                s[i * n + j] = dx * dx + dy * dy;
            }
        }
        let hn: Vec<f64> = (0..n).map(|i| (0..n).filter(|&k| k != i).map(|k| (-0.5 * s[i * n + k]).exp()).sum()).collect();
        let mut out = Vec::with_capacity(n * (n - 1) / 2);
        for i in 0..n {
            for j in i + 1..n {
                let sij = s[i * n + j];
                let r = sij.sqrt();
                let mut z = [0.0; N_IN];
                for (b, zb) in z.iter_mut().take(N_RBF).enumerate() {
                    *zb = (-(r - 0.4 * b as f64).powi(2) / (2.0 * 0.09)).exp();
                }
                z[N_RBF] = hn[i] + hn[j];
                z[N_RBF + 1] = sigma_t;
                z[N_RBF + 2] = sigma_t.ln();
                out.push((i, j, z));
            }
        }
        out
    }

    /// $\hat\varepsilon$ for one cloud at noise level `sigma_t`; with `cache`, also the pairs' caches.
    fn predict_cloud(&self, cloud: &[f64], sigma_t: f64, mut cache: Option<&mut Vec<(usize, usize, EdgeCache)>>) -> Vec<f64> {
        let mut e = vec![0.0; cloud.len()];
        for (i, j, z) in Self::pair_inputs(cloud, sigma_t) {
            let (mlp, c) = self.edge_forward(z);
            let phi = mlp;
            let (dx, dy) = (cloud[2 * i] - cloud[2 * j], cloud[2 * i + 1] - cloud[2 * j + 1]);
            e[2 * i] += dx * phi;
            e[2 * i + 1] += dy * phi;
            e[2 * j] -= dx * phi;
            e[2 * j + 1] -= dy * phi;
            if let Some(v) = cache.as_deref_mut() {
                v.push((i, j, c));
            }
        }
        e
    }

    /// $\hat\varepsilon(x, t)$ for a batch of clouds at noise level $\sigma_t$ = `sigma_t`.
    ///
    /// # Panics
    /// If the rows do not hold ≥ 2 points.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::EgnnDenoiser;
    /// use course::ndarray::array;
    /// let m = EgnnDenoiser::new(4, &mut course::rng::seeded(0));
    /// let e = m.predict(&array![[1.0, 0.0, -1.0, 0.0]], 0.5);
    /// assert!((e[[0, 0]] + e[[0, 2]]).abs() < 1e-15 && e[[0, 1]] == 0.0); // antisymmetric, along x₁ − x₂
    /// ```
    pub fn predict(&self, x: &Array2<f64>, sigma_t: f64) -> Array2<f64> {
        assert!(x.ncols() >= 4 && x.ncols() % 2 == 0, "EgnnDenoiser::predict: rows must hold N ≥ 2 points as [x1, y1, …], got {} columns", x.ncols());
        let mut out = Array2::<f64>::zeros(x.dim());
        for (row, mut o) in x.rows().into_iter().zip(out.rows_mut()) {
            o.assign(&Array1::from(self.predict_cloud(&row.to_vec(), sigma_t, None)));
        }
        out
    }

    /// The loss $\frac{1}{B\cdot 2N}\sum_b\lvert\hat\varepsilon(x_b, \sigma_b) - \varepsilon_b\rvert^2$ of a batch
    /// and its gradient in `params` (by hand-written backpropagation).
    ///
    /// # Panics
    /// If the shapes of `x_t`, `eps` and `sigmas` disagree.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::EgnnDenoiser;
    /// use course::ndarray::array;
    /// let m = EgnnDenoiser::new(4, &mut course::rng::seeded(0));
    /// let (x, eps) = (array![[1.0, 0.0, -1.0, 0.0]], array![[0.3, 0.1, -0.3, -0.1]]);
    /// let (loss, grad) = m.loss_and_gradient(&x, &eps, &[0.5]);
    /// let e = m.predict(&x, 0.5);
    /// assert!((loss - (&e - &eps).mapv(|v| v * v).sum() / 4.0).abs() < 1e-15);
    /// assert_eq!(grad.len(), m.params.len());
    /// ```
    pub fn loss_and_gradient(&self, x_t: &Array2<f64>, eps: &Array2<f64>, sigmas: &[f64]) -> (f64, Vec<f64>) {
        assert_eq!(x_t.dim(), eps.dim(), "EgnnDenoiser::loss_and_gradient: x_t and eps must have the same shape");
        assert_eq!(x_t.nrows(), sigmas.len(), "EgnnDenoiser::loss_and_gradient: one sigma per row of x_t");
        let norm = (x_t.nrows() * x_t.ncols()) as f64;
        let mut grad = vec![0.0; self.params.len()];
        let mut loss = 0.0;
        let mut cache = Vec::new();
        for ((row, e_row), &sg) in x_t.rows().into_iter().zip(eps.rows()).zip(sigmas) {
            let cloud = row.to_vec();
            cache.clear();
            let e_hat = self.predict_cloud(&cloud, sg, Some(&mut cache));
            let r: Vec<f64> = e_hat.iter().zip(e_row).map(|(a, b)| a - b).collect();
            loss += r.iter().map(|v| v * v).sum::<f64>() / norm;
            for (i, j, c) in &cache {
                let (dx, dy) = (cloud[2 * i] - cloud[2 * j], cloud[2 * i + 1] - cloud[2 * j + 1]);
                let g = 2.0 / norm * ((r[2 * i] - r[2 * j]) * dx + (r[2 * i + 1] - r[2 * j + 1]) * dy);
                self.edge_backward(g, c, &mut grad);
            }
        }
        (loss, grad)
    }

    /// Trains a width-`hidden` network by denoising score matching for `n_steps` Adam steps
    /// (learning rate `lr`, decayed linearly to `lr/10`) on batches of `batch` noised clouds
    /// $x_t = \sqrt{\bar\alpha_t}x_0 + \sigma_t\varepsilon$ with centred $\varepsilon$ and $t = \lceil T u^2\rceil$, $u$ uniform
    /// (the low noise levels, where the structure forms, are drawn more often: $P(t\le T/4) = 1/2$).
    ///
    /// # Panics
    /// If `data` is empty or its rows do not hold ≥ 2 points, or `batch == 0`, or `lr <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{polygon_clouds, EgnnDenoiser};
    /// use course::generative::diffusion::NoiseSchedule;
    /// let mut rng = course::rng::seeded(0);
    /// let data = polygon_clouds(200, 3, 1.0, 0.05, &mut rng);
    /// let m = EgnnDenoiser::fit(&data, &NoiseSchedule::linear(20, 1e-3, 0.3), 8, 200, 16, 3e-3, &mut rng);
    /// let early = m.losses[..20].iter().sum::<f64>() / 20.0;
    /// let late = m.losses[180..].iter().sum::<f64>() / 20.0;
    /// assert!(late < early); // it learns
    /// ```
    pub fn fit(data: &Array2<f64>, schedule: &NoiseSchedule, hidden: usize, n_steps: usize, batch: usize, lr: f64, rng: &mut impl Rng) -> Self {
        assert!(data.nrows() > 0, "EgnnDenoiser::fit: data must be non-empty");
        assert!(data.ncols() >= 4 && data.ncols() % 2 == 0, "EgnnDenoiser::fit: rows must hold N ≥ 2 points, got {} columns", data.ncols());
        assert!(batch > 0, "EgnnDenoiser::fit: batch must be > 0");
        assert!(lr > 0.0, "EgnnDenoiser::fit: lr must be > 0, got {lr}");
        let n = data.ncols() / 2;
        let mut model = EgnnDenoiser::new(hidden, rng);
        let mut adam = AdamState::new(model.params.len(), 0.9, 0.999);
        let big_t = schedule.n_steps();
        for step in 0..n_steps {
            let eps = centered_noise(rng, batch, n);
            let mut x_t = Array2::<f64>::zeros((batch, 2 * n));
            let mut sigmas = Vec::with_capacity(batch);
            for b in 0..batch {
                // t = ⌈T u²⌉: more training on the low noise levels, where the clusters take shape
                let u: f64 = rng.random();
                let t = ((big_t as f64 * u * u).ceil() as usize).clamp(1, big_t);
                let (a, s) = (schedule.alpha_bar(t).sqrt(), (1.0 - schedule.alpha_bar(t)).sqrt());
                let x0 = data.row(rng.random_range(0..data.nrows()));
                for k in 0..2 * n {
                    x_t[[b, k]] = a * x0[k] + s * eps[[b, k]];
                }
                sigmas.push(s);
            }
            let (loss, grad) = model.loss_and_gradient(&x_t, &eps, &sigmas);
            let dir = adam.update(&Array1::from(grad));
            let lr_k = lr * (1.0 - 0.9 * step as f64 / n_steps.max(1) as f64);
            model.params.iter_mut().zip(dir.iter()).for_each(|(p, d)| *p -= lr_k * d);
            model.losses.push(loss);
        }
        model
    }

    /// Ancestral DDPM sampling of `n_samples` clouds of `n_points` from centred isotropic noise
    /// (reverse variance $\beta_t$, centred noise at every step).
    ///
    /// # Panics
    /// If `n_points < 2`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::EgnnDenoiser;
    /// use course::generative::diffusion::NoiseSchedule;
    /// let m = EgnnDenoiser::new(4, &mut course::rng::seeded(0));
    /// let x = m.sample(&NoiseSchedule::linear(10, 1e-3, 0.3), 3, 4, &mut course::rng::seeded(1));
    /// assert!((x[[1, 0]] + x[[1, 2]] + x[[1, 4]] + x[[1, 6]]).abs() < 1e-12); // centred
    /// ```
    pub fn sample(&self, schedule: &NoiseSchedule, n_samples: usize, n_points: usize, rng: &mut impl Rng) -> Array2<f64> {
        assert!(n_points >= 2, "EgnnDenoiser::sample: n_points must be ≥ 2, got {n_points}");
        let mut x = centered_noise(rng, n_samples, n_points);
        for t in (1..=schedule.n_steps()).rev() {
            let e = self.predict(&x, (1.0 - schedule.alpha_bar(t)).sqrt());
            x = reverse_mean(schedule, &x, &e, t);
            if t > 1 {
                x = x + centered_noise(rng, n_samples, n_points) * schedule.beta(t).sqrt();
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::control::{center_clouds, rotate_clouds};
    use crate::rng::seeded;

    #[test]
    fn the_hand_written_gradient_matches_finite_differences() {
        let mut rng = seeded(2);
        let m = EgnnDenoiser::new(5, &mut rng);
        // give the biases and the last layer non-trivial values
        let mut m = EgnnDenoiser { params: m.params.iter().map(|p| p + 0.1).collect(), ..m };
        let x = center_clouds(&Array2::from_shape_vec((3, 8), crate::rng::normal_vec(&mut rng, 24)).unwrap());
        let eps = center_clouds(&Array2::from_shape_vec((3, 8), crate::rng::normal_vec(&mut rng, 24)).unwrap());
        let sig = [0.2, 0.7, 1.0];
        let (_, g) = m.loss_and_gradient(&x, &eps, &sig);
        let h = 1e-6;
        for k in 0..m.params.len() {
            let p0 = m.params[k];
            m.params[k] = p0 + h;
            let lp = m.loss_and_gradient(&x, &eps, &sig).0;
            m.params[k] = p0 - h;
            let lm = m.loss_and_gradient(&x, &eps, &sig).0;
            m.params[k] = p0;
            let fd = (lp - lm) / (2.0 * h);
            assert!((g[k] - fd).abs() < 1e-6 * (1.0 + fd.abs()), "param {k}: {} vs {fd}", g[k]);
        }
    }

    #[test]
    fn the_network_is_equivariant_for_any_weights() {
        let mut rng = seeded(4);
        let m = EgnnDenoiser::new(6, &mut rng);
        let x = Array2::from_shape_vec((4, 10), crate::rng::normal_vec(&mut rng, 40)).unwrap();
        let e = m.predict(&x, 0.4);
        let rot = m.predict(&rotate_clouds(&(&x + 0.8), -1.1), 0.4);
        assert!((&rotate_clouds(&e, -1.1) - &rot).iter().all(|v| v.abs() < 1e-12));
        // a permutation of the points permutes the outputs
        let perm = [3, 0, 4, 1, 2];
        let mut xp = x.clone();
        for r in 0..4 {
            for (new, &old) in perm.iter().enumerate() {
                xp[[r, 2 * new]] = x[[r, 2 * old]];
                xp[[r, 2 * new + 1]] = x[[r, 2 * old + 1]];
            }
        }
        let ep = m.predict(&xp, 0.4);
        for r in 0..4 {
            for (new, &old) in perm.iter().enumerate() {
                assert!((ep[[r, 2 * new]] - e[[r, 2 * old]]).abs() < 1e-12);
            }
            assert!(ep.row(r).iter().step_by(2).sum::<f64>().abs() < 1e-12); // centred
        }
    }

    #[test]
    fn egnn_update_with_the_lj_force_is_a_gradient_step() {
        let c = crate::generative::control::LjCluster::new(4, 1.0);
        let x = crate::rng::normal_vec(&mut seeded(8), 8).iter().map(|v| 1.5 * v).collect::<Vec<f64>>();
        let eta = 1e-3;
        let y = egnn_update(&x, &|s| -2.0 * eta * c.pair_energy_derivative(s));
        let f = c.forces(&x);
        for k in 0..8 {
            assert!((y[k] - x[k] - eta * f[k]).abs() < 1e-12);
        }
    }
}
