//! Diffusion normalizing flow: a learned forward drift, trained jointly with the backward score on
//! the KL divergence between the forward and backward path measures.
//!
//! On the grid $t_k = k\,\Delta t$, $k = 0,\dots,N$, $\Delta t = T/N$, the **forward** chain
//! (Euler–Maruyama for $dx = f_\theta(x, t)\,dt + g(t)\,dW$) and the **backward** chain (for
//! $dx = [f_\theta - g^2 s_\phi]\,dt + g\,d\bar W$, run from $t_N$ down to $t_0$) are
//! $$x_{k+1} = x_k + f_\theta(x_k, t_k)\Delta t + g_k\sqrt{\Delta t}\,\varepsilon_k,\qquad
//!   x_k = x_{k+1} - \big[f_\theta - g_{k+1}^2 s_\phi\big](x_{k+1}, t_{k+1})\,\Delta t + g_{k+1}\sqrt{\Delta t}\,\eta_k,$$
//! with Gaussian kernels $p_F(x_{k+1}\mid x_k)$, $p_B(x_k\mid x_{k+1})$ and the prior
//! $p_B(x_N) = \mathcal N(0, I)$. The loss along one forward path $\tau = (x_0,\dots,x_N)$ is
//! $$L(\tau) = -\log\mathcal N(x_N; 0, I) + \sum_{k=0}^{N-1}\Big[\log p_F(x_{k+1}\mid x_k) - \log p_B(x_k\mid x_{k+1})\Big]
//!   = -\log\mathcal N(x_N; 0, I) + \sum_{k}\Big[\tfrac12\lVert\delta^B_k\rVert^2 - \tfrac12\lVert\varepsilon_k\rVert^2 + d\log\tfrac{g_{k+1}}{g_k}\Big],$$
//! where $\delta^B_k = \big(x_k - x_{k+1} + [f_\theta - g_{k+1}^2 s_\phi](x_{k+1}, t_{k+1})\Delta t\big)/(g_{k+1}\sqrt{\Delta t})$
//! is the backward noise that would have produced the same step. Its mean over paths is
//! $\mathrm{KL}(p_F\,\|\,p_B) + H(p_0)$, the KL between the two path measures up to the data
//! entropy, and an upper bound on $\mathbb E[-\log p_B(x_0)]$. The path is **reparametrized**
//! (the $\varepsilon_k$ are drawn once, $x_{k+1}$ is a function of $x_k$ and $\theta$), so the
//! gradient flows through the whole trajectory to $\theta$ and $\phi$ at once: here by a
//! hand-written backward pass through time, checked against finite differences in the tests.
//!
//! The drift is $f_\theta(x, t) = -\tfrac12\beta(t)\,x + \mathrm{MLP}_\theta(x, t)$ with
//! $g(t) = \sqrt{\beta(t)}$, $\beta$ linear: with the network's last layer at zero it *is* the
//! VP SDE of notebooks 31–32, and [`DnfConfig::learn_drift`]` = false` keeps it there (only
//! $s_\phi$ is trained, on the same loss): the baseline. $f_\theta$ and $s_\phi$ are small tanh
//! MLPs of $(x, \gamma(t))$ with the sinusoidal embedding of [`sinusoidal_embedding`].
//!
//! ## Reference
//! Q. Zhang & Y. Chen (2021), *Diffusion normalizing flow*, NeurIPS, §3 (Eqs. 9–13); reference
//! implementation github.com/qsh-zh/DiffFlow (`networks/base_model.py`).
//!
//! Used in notebooks/34-flows-and-flow-matching.ipynb.

use crate::generative::net::sinusoidal_embedding;
use crate::linalg::{Lu, cholesky};
use crate::optim::AdamState;
use crate::rng::{RngExt, normal_vec, seeded};
use ndarray::{Array1, Array2, Axis, s};

/// Frequencies of the time embedding of both networks.
const N_FREQS: usize = 3;
/// Highest frequency of the time embedding ($t\in[0, 1]$).
const MAX_FREQ: f64 = 10.0;
/// Gradients are clipped to this global norm (a few early steps through the trajectory can be large).
const CLIP: f64 = 10.0;

/// Per row, $\log p_F(x_{k+1}\mid x_k) - \log p_B(x_k\mid x_{k+1})$ for Gaussian kernels
/// $p_F = \mathcal N(x_k + f_k\Delta t,\ g_k^2\Delta t\,I)$ and
/// $p_B = \mathcal N(x_{k+1} - (f_{k+1} - g_{k+1}^2 s_{k+1})\Delta t,\ g_{k+1}^2\Delta t\,I)$:
/// one term of the DNF loss. `f_prev` $= f(x_k, t_k)$, `f_next` $= f(x_{k+1}, t_{k+1})$,
/// `s_next` $= s(x_{k+1}, t_{k+1})$.
///
/// # Panics
/// If the arrays differ in shape, or `g_prev`, `g_next` or `dt` is not > 0.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::flows::dnf_step_term;
/// // f = s = 0, g = 1, Δt = 1: p_F and p_B are the same N(x, I) kernel read both ways → 0
/// let (a, b) = (array![[0.3, -1.0]], array![[1.0, 0.5]]);
/// let z = array![[0.0, 0.0]];
/// assert!(dnf_step_term(&a, &b, &z, &z, &z, 1.0, 1.0, 1.0)[0].abs() < 1e-15);
/// // a score pointing back along the step makes the backward kernel likelier: the term drops
/// let s = array![[-0.7, -1.5]];
/// assert!((dnf_step_term(&a, &b, &z, &z, &s, 1.0, 1.0, 1.0)[0] - (-0.5 * (0.7f64.powi(2) + 1.5f64.powi(2)))).abs() < 1e-12);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn dnf_step_term(
    x_prev: &Array2<f64>,
    x_next: &Array2<f64>,
    f_prev: &Array2<f64>,
    f_next: &Array2<f64>,
    s_next: &Array2<f64>,
    g_prev: f64,
    g_next: f64,
    dt: f64,
) -> Vec<f64> {
    let shape = x_prev.dim();
    for (name, a) in [("x_next", x_next), ("f_prev", f_prev), ("f_next", f_next), ("s_next", s_next)] {
        assert_eq!(a.dim(), shape, "dnf_step_term: {name} must have the shape of x_prev {shape:?}, got {:?}", a.dim());
    }
    assert!(g_prev > 0.0 && g_next > 0.0, "dnf_step_term: g_prev and g_next must be > 0, got {g_prev}, {g_next}");
    assert!(dt > 0.0, "dnf_step_term: dt must be > 0, got {dt}");
    let d = shape.1 as f64;
    (0..shape.0)
        .map(|i| {
            let (mut fwd, mut bwd) = (0.0, 0.0);
            for j in 0..shape.1 {
                let e_f = (x_next[[i, j]] - x_prev[[i, j]] - f_prev[[i, j]] * dt) / (g_prev * dt.sqrt());
                let e_b = (x_prev[[i, j]] - x_next[[i, j]] + (f_next[[i, j]] - g_next * g_next * s_next[[i, j]]) * dt) / (g_next * dt.sqrt());
                fwd += e_f * e_f;
                bwd += e_b * e_b;
            }
            0.5 * bwd - 0.5 * fwd + d * (g_next / g_prev).ln()
        })
        .collect()
}

/// A time-dependent field $(x, t)\mapsto$ one row per row of `x`.
pub type Field<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;

/// Simulates `x0.nrows()` forward paths $x_{k+1} = x_k + f(x_k, t_k)\Delta t + g(t_k)\sqrt{\Delta t}\,\varepsilon_k$
/// on $t_k = k\,t_{\rm end}/N$ (noise $\varepsilon_0, \varepsilon_1, \dots$ drawn in that order from
/// `seeded(seed)`) and returns them with each path's DNF loss
/// $L(\tau) = -\log\mathcal N(x_N; 0, I) + \sum_k [\log p_F(x_{k+1}\mid x_k) - \log p_B(x_k\mid x_{k+1})]$.
/// Any `f`, `s`, `g`: the oracle for the trained model's loss, and the tool for the closed-form
/// checks.
///
/// # Panics
/// If `n_steps == 0`, `t_end <= 0`, or `g` is not > 0 on the grid.
///
/// # Examples
/// ```
/// use course::ndarray::{Array2, array};
/// use course::generative::flows::dnf_path_loss;
/// // f = 0, g = 1, s(x) = −x/(1 + t): the exact score of N(0, (1 + t) I) started at N(0, I)…
/// let x0 = Array2::from_shape_vec((4000, 2), course::rng::normal_vec(&mut course::rng::seeded(0), 8000)).unwrap();
/// let zero = |x: &Array2<f64>, _t: f64| Array2::zeros(x.dim());
/// let s = |x: &Array2<f64>, t: f64| x.mapv(|v| -v / (1.0 + t));
/// let (paths, loss) = dnf_path_loss(&zero, &s, &|_t| 1.0, &x0, 1.0, 20, 1);
/// assert_eq!(paths.len(), 21);
/// // …so the backward chain is the exact time reversal up to discretization, and the path KL is
/// // only the prior mismatch KL(N(0, 2I) ‖ N(0, I)) = 1 − ln 2; mean loss = KL + entropy of N(0, I)
/// let m = loss.iter().sum::<f64>() / 4000.0;
/// let expected = (1.0 - 2f64.ln()) + (2.0 * std::f64::consts::PI).ln() + 1.0;
/// assert!((m - expected).abs() < 0.1, "{m} vs {expected}");
/// ```
pub fn dnf_path_loss(f: Field, s: Field, g: &dyn Fn(f64) -> f64, x0: &Array2<f64>, t_end: f64, n_steps: usize, seed: u64) -> (Vec<Array2<f64>>, Vec<f64>) {
    assert!(n_steps >= 1, "dnf_path_loss: n_steps must be >= 1, got 0");
    assert!(t_end > 0.0, "dnf_path_loss: t_end must be > 0, got {t_end}");
    let dt = t_end / n_steps as f64;
    let (n, d) = x0.dim();
    let mut rng = seeded(seed);
    let mut paths = vec![x0.clone()];
    let mut f_cur = f(x0, 0.0);
    let mut loss = vec![0.0; n];
    for k in 0..n_steps {
        let (t, t1) = (k as f64 * dt, (k + 1) as f64 * dt);
        let (gk, gk1) = (g(t), g(t1));
        assert!(gk > 0.0 && gk1 > 0.0, "dnf_path_loss: g must be > 0 on the grid, got g({t}) = {gk}, g({t1}) = {gk1}");
        let eps = Array2::from_shape_vec((n, d), normal_vec(&mut rng, n * d)).expect("n × d draws");
        let x_next = &paths[k] + &(&f_cur * dt) + &(eps * (gk * dt.sqrt()));
        let f_next = f(&x_next, t1);
        let term = dnf_step_term(&paths[k], &x_next, &f_cur, &f_next, &s(&x_next, t1), gk, gk1, dt);
        for (l, v) in loss.iter_mut().zip(term) {
            *l += v;
        }
        paths.push(x_next);
        f_cur = f_next;
    }
    let x_n = &paths[n_steps];
    for (i, l) in loss.iter_mut().enumerate() {
        let r2: f64 = x_n.row(i).iter().map(|v| v * v).sum();
        *l += 0.5 * r2 + 0.5 * d as f64 * (2.0 * std::f64::consts::PI).ln();
    }
    (paths, loss)
}

/// The exact $\mathrm{KL}(p_F\,\|\,p_B)$ between the forward and backward path measures of a
/// **linear-Gaussian** 1-D chain: $x_0\sim\mathcal N(m_0, s_0^2)$, $f(x, t_k) = a_k x + b_k$,
/// $s(x, t_k) = c_k x + d_k$, noise scales $g_k$, prior $\mathcal N(0, 1)$ (slices of length
/// $N+1$; $c_0, d_0$ unused). Both path measures are Gaussians on $\mathbb R^{N+1}$; their means
/// and covariances follow from the recursions, and
/// $\mathrm{KL} = \tfrac12[\operatorname{tr}\Sigma_B^{-1}\Sigma_F + (\mu_B-\mu_F)^\top\Sigma_B^{-1}(\mu_B-\mu_F) - (N+1) + \log\tfrac{\det\Sigma_B}{\det\Sigma_F}]$.
/// In $d$ dimensions with isotropic coefficients the KL is the sum over coordinates.
///
/// # Panics
/// If the slices differ in length or are shorter than 2, `s0`, `dt` or a `g` is not > 0.
///
/// # Examples
/// ```
/// use course::generative::flows::linear_gaussian_path_kl;
/// // one step of Δt = 1 from x₀ ~ N(0, 1) with f = −x/2, g₀² = 3/4: x₁ ~ N(0, 1), the prior;
/// // a backward kernel equal to the exact posterior N(x₁/2, 3/4) gives KL = 0 …
/// let g = [0.75f64.sqrt(); 2];
/// let kl = linear_gaussian_path_kl(0.0, 1.0, &[-0.5, 0.0], &[0.0; 2], &[0.0, -0.5 / 0.75], &[0.0; 2], &g, 1.0);
/// assert!(kl.abs() < 1e-12);
/// // … and a backward mean that ignores x₁ (s = 0, f₁ = x₁ ⇒ mean 0) costs KL(N(x₁/2, ·)‖N(0, ·)) = E(x₁/2)²/(2·3/4) = 1/6
/// let kl0 = linear_gaussian_path_kl(0.0, 1.0, &[-0.5, 1.0], &[0.0; 2], &[0.0; 2], &[0.0; 2], &g, 1.0);
/// assert!((kl0 - 1.0 / 6.0).abs() < 1e-12, "{kl0}");
/// ```
#[allow(clippy::too_many_arguments)]
pub fn linear_gaussian_path_kl(m0: f64, s0: f64, a: &[f64], b: &[f64], c: &[f64], d: &[f64], g: &[f64], dt: f64) -> f64 {
    let n1 = a.len();
    assert!(n1 >= 2, "linear_gaussian_path_kl: the slices must have N + 1 >= 2 entries, got {n1}");
    for (name, v) in [("b", b), ("c", c), ("d", d), ("g", g)] {
        assert_eq!(v.len(), n1, "linear_gaussian_path_kl: {name} must have {n1} entries like a, got {}", v.len());
    }
    assert!(s0 > 0.0 && dt > 0.0, "linear_gaussian_path_kl: s0 and dt must be > 0, got {s0}, {dt}");
    assert!(g.iter().all(|&v| v > 0.0), "linear_gaussian_path_kl: every g must be > 0, got {g:?}");
    let n = n1 - 1;
    // forward: x_{k+1} = A_k x_k + b_k Δt + g_k √Δt ε
    let (mut mu_f, mut cov_f) = (Array1::zeros(n1), Array2::zeros((n1, n1)));
    mu_f[0] = m0;
    cov_f[[0, 0]] = s0 * s0;
    for k in 0..n {
        let ak = 1.0 + a[k] * dt;
        mu_f[k + 1] = ak * mu_f[k] + b[k] * dt;
        for j in 0..=k {
            let v = ak * cov_f[[k, j]];
            cov_f[[k + 1, j]] = v;
            cov_f[[j, k + 1]] = v;
        }
        cov_f[[k + 1, k + 1]] = ak * ak * cov_f[[k, k]] + g[k] * g[k] * dt;
    }
    // backward: x_N ~ N(0, 1), x_k = B_{k+1} x_{k+1} + e_{k+1} + g_{k+1} √Δt η
    let (mut mu_b, mut cov_b) = (Array1::zeros(n1), Array2::zeros((n1, n1)));
    cov_b[[n, n]] = 1.0;
    for k in (0..n).rev() {
        let g2 = g[k + 1] * g[k + 1];
        let bk = 1.0 - (a[k + 1] - g2 * c[k + 1]) * dt;
        mu_b[k] = bk * mu_b[k + 1] - (b[k + 1] - g2 * d[k + 1]) * dt;
        for j in (k + 1)..n1 {
            let v = bk * cov_b[[k + 1, j]];
            cov_b[[k, j]] = v;
            cov_b[[j, k]] = v;
        }
        cov_b[[k, k]] = bk * bk * cov_b[[k + 1, k + 1]] + g2 * dt;
    }
    let logdet = |m: &Array2<f64>| -> f64 {
        let l = cholesky(m).expect("linear_gaussian_path_kl: a path covariance is not positive definite");
        2.0 * (0..m.nrows()).map(|i| l[[i, i]].ln()).sum::<f64>()
    };
    let inv_b = Lu::new(&cov_b).inverse().expect("linear_gaussian_path_kl: backward covariance is singular");
    let diff = &mu_b - &mu_f;
    let trace: f64 = (0..n1).map(|i| inv_b.row(i).dot(&cov_f.column(i))).sum();
    0.5 * (trace + diff.dot(&inv_b.dot(&diff)) - n1 as f64 + logdet(&cov_b) - logdet(&cov_f))
}

/// A tanh MLP $\mathbb R^{2+2K}\to\mathbb R^2$ of $(x, \gamma(t))$ with a hand-written backward pass.
#[derive(Clone, Debug)]
struct TanhMlp {
    w: Vec<Array2<f64>>, // (fan_in, fan_out)
    b: Vec<Array1<f64>>,
}

impl TanhMlp {
    fn new(dims: &[usize], zero_last: bool, seed: u64) -> Self {
        let mut rng = seeded(seed);
        let n_layers = dims.len() - 1;
        let mut w = Vec::new();
        let mut b = Vec::new();
        for l in 0..n_layers {
            let scale = if zero_last && l == n_layers - 1 { 0.0 } else { (1.0 / dims[l] as f64).sqrt() };
            w.push(Array2::from_shape_vec((dims[l], dims[l + 1]), normal_vec(&mut rng, dims[l] * dims[l + 1])).expect("shape").mapv(|v| v * scale));
            b.push(Array1::zeros(dims[l + 1]));
        }
        TanhMlp { w, b }
    }

    fn n_params(&self) -> usize {
        self.w.iter().map(|w| w.len()).sum::<usize>() + self.b.iter().map(|b| b.len()).sum::<usize>()
    }

    fn inputs(x: &Array2<f64>, t: f64) -> Array2<f64> {
        let gamma = sinusoidal_embedding(t, N_FREQS, MAX_FREQ);
        let mut u = Array2::zeros((x.nrows(), 2 + gamma.len()));
        u.slice_mut(s![.., ..2]).assign(x);
        for (j, gj) in gamma.iter().enumerate() {
            u.column_mut(2 + j).fill(*gj);
        }
        u
    }

    /// The output and the activations (the input first, then every hidden layer's).
    fn forward(&self, x: &Array2<f64>, t: f64) -> (Array2<f64>, Vec<Array2<f64>>) {
        let mut acts = vec![Self::inputs(x, t)];
        let last = self.w.len() - 1;
        for l in 0..last {
            let h = (acts[l].dot(&self.w[l]) + &self.b[l]).mapv(f64::tanh);
            acts.push(h);
        }
        let out = acts[last].dot(&self.w[last]) + &self.b[last];
        (out, acts)
    }

    /// Adds $\partial L/\partial$params to `grad` (same order as [`TanhMlp::params`]) and returns $\partial L/\partial x$.
    fn backward(&self, acts: &[Array2<f64>], g_out: &Array2<f64>, grad: &mut [f64]) -> Array2<f64> {
        let n_layers = self.w.len();
        let offsets = self.offsets();
        let mut g = g_out.clone();
        for l in (0..n_layers).rev() {
            let gw = acts[l].t().dot(&g);
            let gb = g.sum_axis(Axis(0));
            let o = offsets[l];
            for (dst, v) in grad[o..o + gw.len()].iter_mut().zip(gw.iter()) {
                *dst += v;
            }
            let ob = o + gw.len();
            for (dst, v) in grad[ob..ob + gb.len()].iter_mut().zip(gb.iter()) {
                *dst += v;
            }
            let g_in = g.dot(&self.w[l].t());
            g = if l > 0 { g_in * &acts[l].mapv(|h| 1.0 - h * h) } else { g_in };
        }
        g.slice(s![.., ..2]).to_owned()
    }

    fn offsets(&self) -> Vec<usize> {
        let mut o = vec![0];
        for l in 0..self.w.len() {
            o.push(o[l] + self.w[l].len() + self.b[l].len());
        }
        o
    }

    fn params(&self) -> Vec<f64> {
        let mut p = Vec::with_capacity(self.n_params());
        for l in 0..self.w.len() {
            p.extend(self.w[l].iter());
            p.extend(self.b[l].iter());
        }
        p
    }

    fn set_params(&mut self, p: &[f64]) {
        let mut o = 0;
        for l in 0..self.w.len() {
            for v in self.w[l].iter_mut() {
                *v = p[o];
                o += 1;
            }
            for v in self.b[l].iter_mut() {
                *v = p[o];
                o += 1;
            }
        }
    }
}

/// Settings of a [`DiffusionNormalizingFlow`] and its training.
#[derive(Clone, Debug, PartialEq)]
pub struct DnfConfig {
    /// $N$, the number of steps of both chains (= network evaluations per sample).
    pub n_steps: usize,
    /// $\beta(0)$; $g(t) = \sqrt{\beta(t)}$ with $\beta$ linear on $[0, 1]$.
    pub beta_min: f64,
    /// $\beta(1)$.
    pub beta_max: f64,
    /// Hidden widths of both tanh MLPs.
    pub hidden: Vec<usize>,
    /// Learn the drift (DNF) or keep the VP drift $-\frac12\beta x$ (the baseline).
    pub learn_drift: bool,
    /// Adam steps.
    pub train_steps: usize,
    /// Paths per minibatch.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub lr: f64,
    /// Seed of the initialization and of the minibatches and noise.
    pub seed: u64,
}

impl Default for DnfConfig {
    fn default() -> Self {
        DnfConfig { n_steps: 10, beta_min: 0.1, beta_max: 6.0, hidden: vec![32, 32], learn_drift: true, train_steps: 600, batch_size: 128, lr: 3e-3, seed: 0 }
    }
}

/// A diffusion normalizing flow: forward drift $f_\theta$ and backward score $s_\phi$ on an
/// $N$-step grid of $[0, 1]$ (see the module docs).
#[derive(Clone, Debug)]
pub struct DiffusionNormalizingFlow {
    /// The settings it was built with.
    pub cfg: DnfConfig,
    drift_net: TanhMlp,
    score_net: TanhMlp,
}

impl DiffusionNormalizingFlow {
    /// An untrained model: the drift network's last layer is zero, so $f_\theta$ starts as the VP
    /// drift $-\frac12\beta(t)x$.
    ///
    /// # Panics
    /// If `n_steps == 0`, `beta_min <= 0`, `beta_max < beta_min`, `hidden` is empty or holds a 0,
    /// `batch_size == 0` or `lr <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::flows::{DiffusionNormalizingFlow, DnfConfig};
    /// let m = DiffusionNormalizingFlow::new(DnfConfig::default());
    /// // at initialization the drift is the VP drift −β(t)x/2: β(0.5) = 0.1 + 0.5·5.9
    /// let f = m.drift(&array![[2.0, -1.0]], 5);
    /// assert!((f[[0, 0]] + 0.5 * 3.05 * 2.0).abs() < 1e-12 && (f[[0, 1]] - 0.5 * 3.05).abs() < 1e-12);
    /// ```
    pub fn new(cfg: DnfConfig) -> Self {
        assert!(cfg.n_steps >= 1, "DnfConfig: n_steps must be >= 1, got 0");
        assert!(cfg.beta_min > 0.0, "DnfConfig: beta_min must be > 0, got {}", cfg.beta_min);
        assert!(cfg.beta_max >= cfg.beta_min, "DnfConfig: beta_max must be >= beta_min = {}, got {}", cfg.beta_min, cfg.beta_max);
        assert!(!cfg.hidden.is_empty() && !cfg.hidden.contains(&0), "DnfConfig: hidden must list positive widths, got {:?}", cfg.hidden);
        assert!(cfg.batch_size >= 1, "DnfConfig: batch_size must be >= 1, got 0");
        assert!(cfg.lr > 0.0, "DnfConfig: lr must be > 0, got {}", cfg.lr);
        let dims: Vec<usize> = std::iter::once(2 + 2 * N_FREQS).chain(cfg.hidden.iter().copied()).chain(std::iter::once(2)).collect();
        let drift_net = TanhMlp::new(&dims, true, cfg.seed.wrapping_mul(2).wrapping_add(1));
        let score_net = TanhMlp::new(&dims, false, cfg.seed.wrapping_mul(2).wrapping_add(2));
        DiffusionNormalizingFlow { cfg, drift_net, score_net }
    }

    /// $\Delta t = 1/N$.
    pub fn dt(&self) -> f64 {
        1.0 / self.cfg.n_steps as f64
    }

    /// $t_k = k/N$.
    pub fn time(&self, k: usize) -> f64 {
        k as f64 * self.dt()
    }

    /// $\beta(t) = \beta_{\min} + t(\beta_{\max} - \beta_{\min})$.
    pub fn beta(&self, t: f64) -> f64 {
        self.cfg.beta_min + t * (self.cfg.beta_max - self.cfg.beta_min)
    }

    /// $g(t) = \sqrt{\beta(t)}$.
    pub fn g(&self, t: f64) -> f64 {
        self.beta(t).sqrt()
    }

    /// Number of trained parameters (drift, if learned, and score).
    pub fn n_params(&self) -> usize {
        self.score_net.n_params() + if self.cfg.learn_drift { self.drift_net.n_params() } else { 0 }
    }

    /// The forward drift $f_\theta(x, t_k)$ at grid point `k`.
    pub fn drift(&self, x: &Array2<f64>, k: usize) -> Array2<f64> {
        self.drift_at(x, self.time(k))
    }

    /// The backward score $s_\phi(x, t_k)$ at grid point `k`.
    pub fn score(&self, x: &Array2<f64>, k: usize) -> Array2<f64> {
        self.score_net.forward(x, self.time(k)).0
    }

    fn drift_at(&self, x: &Array2<f64>, t: f64) -> Array2<f64> {
        let vp = x * (-0.5 * self.beta(t));
        if self.cfg.learn_drift { vp + self.drift_net.forward(x, t).0 } else { vp }
    }

    /// Forward paths $x_0,\dots,x_N$ from the rows of `x0` and their DNF losses $L(\tau)$ (noise
    /// from `seeded(seed)`), by [`dnf_path_loss`].
    pub fn forward_paths(&self, x0: &Array2<f64>, seed: u64) -> (Vec<Array2<f64>>, Vec<f64>) {
        let f = |x: &Array2<f64>, t: f64| self.drift_at(x, t);
        let s = |x: &Array2<f64>, t: f64| self.score_net.forward(x, t).0;
        dnf_path_loss(&f, &s, &|t| self.g(t), x0, 1.0, self.cfg.n_steps, seed)
    }

    /// `n_samples` draws of the backward chain from $x_N\sim\mathcal N(0, I)$; the last step
    /// returns the mean of $p_B(x_0\mid x_1)$ (no noise), as DDPM's sampler does.
    pub fn sample(&self, n_samples: usize, seed: u64) -> Array2<f64> {
        let mut rng = seeded(seed);
        let dt = self.dt();
        let mut x = Array2::from_shape_vec((n_samples, 2), normal_vec(&mut rng, 2 * n_samples)).expect("n × 2");
        for k in (1..=self.cfg.n_steps).rev() {
            let t = self.time(k);
            let g2 = self.beta(t);
            let drift = self.drift_at(&x, t) - self.score_net.forward(&x, t).0 * g2;
            x = &x - &(drift * dt);
            if k > 1 {
                let z = Array2::from_shape_vec((n_samples, 2), normal_vec(&mut rng, 2 * n_samples)).expect("n × 2");
                x = x + z * (g2 * dt).sqrt();
            }
        }
        x
    }

    /// The trained parameters, drift first (if learned), then score.
    pub fn params(&self) -> Vec<f64> {
        let mut p = if self.cfg.learn_drift { self.drift_net.params() } else { Vec::new() };
        p.extend(self.score_net.params());
        p
    }

    /// Sets the parameters (order of [`DiffusionNormalizingFlow::params`]).
    ///
    /// # Panics
    /// If `p` has the wrong length.
    pub fn set_params(&mut self, p: &[f64]) {
        assert_eq!(p.len(), self.n_params(), "DiffusionNormalizingFlow::set_params: p must have {} entries, got {}", self.n_params(), p.len());
        let nf = if self.cfg.learn_drift { self.drift_net.n_params() } else { 0 };
        if self.cfg.learn_drift {
            self.drift_net.set_params(&p[..nf]);
        }
        self.score_net.set_params(&p[nf..]);
    }

    /// The mean loss $\frac1B\sum_b L(\tau_b)$ over the paths from the rows of `x0` driven by the
    /// noises `eps[k]` ($k < N$, each shaped like `x0`), and its gradient with respect to
    /// [`DiffusionNormalizingFlow::params`] by back-propagation through the trajectory.
    ///
    /// # Panics
    /// If `x0` does not have 2 columns or `eps` is not $N$ arrays shaped like `x0`.
    pub fn loss_and_grad(&self, x0: &Array2<f64>, eps: &[Array2<f64>]) -> (f64, Vec<f64>) {
        let n = self.cfg.n_steps;
        assert_eq!(x0.ncols(), 2, "loss_and_grad: x0 must have 2 columns, got {}", x0.ncols());
        assert_eq!(eps.len(), n, "loss_and_grad: eps must hold n_steps = {n} arrays, got {}", eps.len());
        assert!(eps.iter().all(|e| e.dim() == x0.dim()), "loss_and_grad: every eps[k] must be shaped like x0");
        let (bsz, dt) = (x0.nrows() as f64, self.dt());
        let sq = dt.sqrt();
        let g: Vec<f64> = (0..=n).map(|k| self.g(self.time(k))).collect();
        // forward pass, storing the activations of both networks at every x_k
        let mut xs = vec![x0.clone()];
        let mut fs = Vec::with_capacity(n + 1);
        let mut acts_f = Vec::with_capacity(n + 1);
        let mut ss = vec![Array2::zeros((0, 0))];
        let mut acts_s = vec![Vec::new()];
        for k in 0..=n {
            let t = self.time(k);
            let mut fk = &xs[k] * (-0.5 * g[k] * g[k]);
            if self.cfg.learn_drift {
                let (o, a) = self.drift_net.forward(&xs[k], t);
                fk = fk + o;
                acts_f.push(a);
            }
            if k >= 1 {
                let (o, a) = self.score_net.forward(&xs[k], t);
                ss.push(o);
                acts_s.push(a);
            }
            if k < n {
                let next = &xs[k] + &(&fk * dt) + &(&eps[k] * (g[k] * sq));
                xs.push(next);
            }
            fs.push(fk);
        }
        // δ_k, the backward noise of step k, and the loss
        let deltas: Vec<Array2<f64>> = (0..n)
            .map(|k| (&xs[k] - &xs[k + 1] + &((&fs[k + 1] - &(&ss[k + 1] * (g[k + 1] * g[k + 1]))) * dt)) / (g[k + 1] * sq))
            .collect();
        let mut loss = 0.5 * xs[n].mapv(|v| v * v).sum() + bsz * (2.0 * std::f64::consts::PI).ln();
        for k in 0..n {
            loss += 0.5 * deltas[k].mapv(|v| v * v).sum() - 0.5 * eps[k].mapv(|v| v * v).sum() + bsz * 2.0 * (g[k + 1] / g[k]).ln();
        }
        // backward pass through time
        let nf = if self.cfg.learn_drift { self.drift_net.n_params() } else { 0 };
        let mut grad = vec![0.0; self.n_params()];
        let mut gx_next: Option<Array2<f64>> = None;
        for k in (0..=n).rev() {
            let mut gx = Array2::<f64>::zeros(x0.dim());
            let mut gf = Array2::<f64>::zeros(x0.dim());
            if k == n {
                gx = gx + &xs[n];
            }
            if let Some(gn) = &gx_next {
                let c = 1.0 / (g[k + 1] * sq);
                gx = gx + &(&deltas[k] * c) + gn;
                gf = gf + &(gn * dt);
            }
            if k >= 1 {
                let c = 1.0 / (g[k] * sq);
                gx = gx - &(&deltas[k - 1] * c);
                gf = gf + &(&deltas[k - 1] * (c * dt));
                let gs = &deltas[k - 1] * (-c * g[k] * g[k] * dt);
                gx = gx + self.score_net.backward(&acts_s[k], &gs, &mut grad[nf..]);
            }
            gx = gx + &(&gf * (-0.5 * g[k] * g[k]));
            if self.cfg.learn_drift {
                gx = gx + self.drift_net.backward(&acts_f[k], &gf, &mut grad[..nf]);
            }
            gx_next = Some(gx);
        }
        for v in grad.iter_mut() {
            *v /= bsz;
        }
        (loss / bsz, grad)
    }

    /// Trains by Adam on the mean DNF loss of minibatches of paths started at rows of `data`
    /// (fresh noise every step, gradients clipped to norm 10); returns the loss per step.
    ///
    /// # Panics
    /// If `data` does not have 2 columns or is empty.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::Array2;
    /// use course::generative::flows::{DiffusionNormalizingFlow, DnfConfig};
    /// // data N((1, 1), 0.25 I): 200 steps lower the loss (its mean over 20 steps)
    /// let data = Array2::from_shape_vec((500, 2), course::rng::normal_vec(&mut course::rng::seeded(0), 1000)).unwrap().mapv(|v| 1.0 + 0.5 * v);
    /// let mut m = DiffusionNormalizingFlow::new(DnfConfig { train_steps: 200, hidden: vec![16], ..DnfConfig::default() });
    /// let l = m.fit(&data);
    /// let (a, b) = (l[..20].iter().sum::<f64>() / 20.0, l[180..].iter().sum::<f64>() / 20.0);
    /// assert!(b < a - 0.3, "{a} → {b}");
    /// ```
    pub fn fit(&mut self, data: &Array2<f64>) -> Vec<f64> {
        assert_eq!(data.ncols(), 2, "DiffusionNormalizingFlow::fit: data must have 2 columns, got {}", data.ncols());
        assert!(data.nrows() >= 1, "DiffusionNormalizingFlow::fit: data must have at least one row");
        let mut rng = seeded(self.cfg.seed.wrapping_add(1000));
        let mut adam = AdamState::new(self.n_params(), 0.9, 0.999);
        let mut params = self.params();
        let bsz = self.cfg.batch_size;
        let mut losses = Vec::with_capacity(self.cfg.train_steps);
        for _ in 0..self.cfg.train_steps {
            let idx: Vec<usize> = (0..bsz).map(|_| rng.random_range(0..data.nrows())).collect();
            let x0 = data.select(Axis(0), &idx);
            let eps: Vec<Array2<f64>> = (0..self.cfg.n_steps).map(|_| Array2::from_shape_vec((bsz, 2), normal_vec(&mut rng, 2 * bsz)).expect("bsz × 2")).collect();
            let (loss, mut grad) = self.loss_and_grad(&x0, &eps);
            losses.push(loss);
            let norm = grad.iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm > CLIP {
                grad.iter_mut().for_each(|v| *v *= CLIP / norm);
            }
            let step = adam.update(&Array1::from(grad));
            for (p, d) in params.iter_mut().zip(step.iter()) {
                *p -= self.cfg.lr * d;
            }
            self.set_params(&params);
        }
        losses
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(n: usize, seed: u64) -> Array2<f64> {
        Array2::from_shape_vec((n, 2), normal_vec(&mut seeded(seed), 2 * n)).unwrap()
    }

    fn jittered(learn_drift: bool) -> DiffusionNormalizingFlow {
        let mut m = DiffusionNormalizingFlow::new(DnfConfig { n_steps: 4, hidden: vec![5, 4], learn_drift, ..DnfConfig::default() });
        let p: Vec<f64> = m.params().iter().zip(normal_vec(&mut seeded(9), m.n_params())).map(|(p, e)| p + 0.3 * e).collect();
        m.set_params(&p);
        m
    }

    #[test]
    fn gradient_matches_finite_differences() {
        for learn in [true, false] {
            let mut m = jittered(learn);
            let x0 = batch(6, 1).mapv(|v| 1.5 * v);
            let eps: Vec<Array2<f64>> = (0..4).map(|k| batch(6, 10 + k)).collect();
            let (_, grad) = m.loss_and_grad(&x0, &eps);
            let p0 = m.params();
            let h = 1e-6;
            let mut worst: f64 = 0.0;
            for i in 0..p0.len() {
                let mut p = p0.clone();
                p[i] += h;
                m.set_params(&p);
                let lp = m.loss_and_grad(&x0, &eps).0;
                p[i] -= 2.0 * h;
                m.set_params(&p);
                let lm = m.loss_and_grad(&x0, &eps).0;
                let fd = (lp - lm) / (2.0 * h);
                worst = worst.max((fd - grad[i]).abs() / (1.0 + fd.abs()));
            }
            m.set_params(&p0);
            assert!(worst < 1e-6, "learn_drift = {learn}: worst relative error {worst}");
        }
    }

    #[test]
    fn loss_equals_the_path_loss_of_the_same_paths() {
        let m = jittered(true);
        let x0 = batch(50, 3);
        let (paths, per_path) = m.forward_paths(&x0, 7);
        // the same noise, recovered from the paths: ε_k = (x_{k+1} − x_k − f Δt)/(g √Δt)
        let dt = m.dt();
        let eps: Vec<Array2<f64>> = (0..4).map(|k| (&paths[k + 1] - &paths[k] - &(m.drift(&paths[k], k) * dt)) / (m.g(m.time(k)) * dt.sqrt())).collect();
        let (loss, _) = m.loss_and_grad(&x0, &eps);
        let mean = per_path.iter().sum::<f64>() / 50.0;
        assert!((loss - mean).abs() < 1e-10, "{loss} vs {mean}");
    }

    #[test]
    fn monte_carlo_loss_matches_the_closed_form_path_kl() {
        // 2-D isotropic linear case: f = a(t) x + b(t), s = c(t) x + d(t), g = √β
        let (n, m0, s0) = (8usize, 0.7, 0.5);
        let dt = 1.0 / n as f64;
        let beta = |t: f64| 0.5 + 3.0 * t;
        let a: Vec<f64> = (0..=n).map(|k| -0.5 * beta(k as f64 * dt) - 0.3).collect();
        let b: Vec<f64> = (0..=n).map(|k| 0.2 * (k as f64 * dt)).collect();
        let c: Vec<f64> = (0..=n).map(|k| -1.0 / (0.3 + k as f64 * dt)).collect();
        let d: Vec<f64> = (0..=n).map(|k| 0.1 - 0.2 * k as f64 * dt).collect();
        let g: Vec<f64> = (0..=n).map(|k| beta(k as f64 * dt).sqrt()).collect();
        let kl = 2.0 * linear_gaussian_path_kl(m0, s0, &a, &b, &c, &d, &g, dt);
        let idx = |t: f64| (t / dt).round() as usize;
        let f = |x: &Array2<f64>, t: f64| x.mapv(|v| a[idx(t)] * v + b[idx(t)]);
        let s = |x: &Array2<f64>, t: f64| x.mapv(|v| c[idx(t)] * v + d[idx(t)]);
        let m = 40_000;
        let x0 = batch(m, 5).mapv(|v| m0 + s0 * v);
        let (_, loss) = dnf_path_loss(&f, &s, &|t| beta(t).sqrt(), &x0, 1.0, n, 6);
        // + E log p₀(x₀), exact for the Gaussian start
        let log_p0: Vec<f64> = (0..m).map(|i| -(2.0 * std::f64::consts::PI * s0 * s0).ln() - 0.5 * x0.row(i).iter().map(|v| (v - m0).powi(2)).sum::<f64>() / (s0 * s0)).collect();
        let vals: Vec<f64> = loss.iter().zip(&log_p0).map(|(l, p)| l + p).collect();
        let mean = vals.iter().sum::<f64>() / m as f64;
        let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / m as f64).sqrt();
        let se = sd / (m as f64).sqrt();
        assert!((mean - kl).abs() < 4.0 * se, "MC {mean} ± {se} vs closed form {kl}");
        assert!(kl > 0.1, "{kl}");
    }

    #[test]
    fn closed_form_kl_is_zero_for_the_exact_reversal_of_one_step() {
        // x₀ ~ N(0, 1), one step of Δt = 1 with f = −x/2 and g₀² = 3/4: x₁ = x₀/2 + ε ~ N(0, 1),
        // the prior. The exact posterior is x₀ | x₁ ~ N(x₁/2, 3/4); a backward kernel equal to it
        // (g₁² = 3/4, mean x₁ − (f₁ − g₁² s₁) = x₁/2) makes the two path measures identical.
        let g0 = 0.75f64.sqrt();
        let g1 = 0.75f64.sqrt();
        // f₁ = a₁x, s₁ = c₁x: backward mean (1 − a₁ + g₁²c₁) x₁ = x₁/2
        let (a1, c1) = (0.0, -0.5 / 0.75);
        let kl = linear_gaussian_path_kl(0.0, 1.0, &[-0.5, a1], &[0.0, 0.0], &[0.0, c1], &[0.0, 0.0], &[g0, g1], 1.0);
        assert!(kl.abs() < 1e-12, "{kl}");
    }

    #[test]
    fn the_untrained_drift_is_the_vp_drift_and_the_baseline_has_no_drift_parameters() {
        let m = DiffusionNormalizingFlow::new(DnfConfig::default());
        let vp = DiffusionNormalizingFlow::new(DnfConfig { learn_drift: false, ..DnfConfig::default() });
        let x = batch(5, 2);
        assert!((&m.drift(&x, 3) - &vp.drift(&x, 3)).iter().all(|v| v.abs() < 1e-15));
        assert_eq!(m.n_params(), 2 * vp.n_params());
    }

    #[test]
    #[should_panic(expected = "beta_min must be > 0")]
    fn rejects_zero_beta_min() {
        DiffusionNormalizingFlow::new(DnfConfig { beta_min: 0.0, ..DnfConfig::default() });
    }
}
