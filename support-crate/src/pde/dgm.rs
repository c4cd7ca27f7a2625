//! The Deep Galerkin Method: a deep network trained by stochastic gradient descent on the
//! integral of the squared PDE residual, sampled at fresh random points every step.
//!
//! For the heat equation $u_t = \kappa\Delta u$ on $[0,T]\times[0,1]^d$ with initial data $u_0$ and
//! boundary data $g$, DGM minimizes
//! $$J(\theta) = \big\lVert\partial_tu_\theta - \kappa\Delta u_\theta\big\rVert^2_{[0,T]\times\Omega}
//!  + \lVert u_\theta - g\rVert^2_{[0,T]\times\partial\Omega} + \lVert u_\theta(0,\cdot) - u_0\rVert^2_{\Omega},$$
//! each norm a mean over uniform random points, **redrawn at every step**: the step is an
//! unbiased stochastic gradient of the integral loss, with no mesh anywhere (Sirignano &
//! Spiliopoulos 2018, Algorithm 1).
//!
//! The network is a tanh MLP $u_\theta(t, x)$ with `depth` hidden layers of `width` units
//! ([`JetMlp`]). The residual needs $\partial_tu$ and $\Delta u$: they are propagated **forward**
//! layer by layer with the value (a second-order "jet"): for $h = \tanh(z)$, $z = Wa + b$,
//! $$\nabla h = \tanh'(z)\odot W\nabla a,\qquad
//!   \Delta h = \tanh'(z)\odot W\Delta a + \tanh''(z)\odot\textstyle\sum_k (W\partial_ka)^2,$$
//! and the parameter gradient of the residual is the reverse pass through that computation,
//! written out by hand in [`JetMlp::jet_vjp`] (checked against finite differences).
//!
//! The test problem ([`DgmHeat`]) has a closed-form solution, a spreading Gaussian bump:
//! $$u(t,x) = \Big(\frac{s_0}{s_0 + 2\kappa t}\Big)^{d/2}\exp\Big(-\frac{\lVert x - c\rVert^2}{2(s_0 + 2\kappa t)}\Big),
//!  \qquad c = (\tfrac12,\dots,\tfrac12),$$
//! whose restriction to the cube's faces is the boundary data $g$.
//!
//! ## Reference
//! J. Sirignano, K. Spiliopoulos (2018), *DGM: a deep learning algorithm for solving partial
//! differential equations*, J. Comput. Phys. 375; M. Raissi, P. Perdikaris, G. Karniadakis (2019),
//! *Physics-informed neural networks*, J. Comput. Phys. 378.
//!
//! Used in notebooks/27-deep-learning-for-pdes.ipynb.

use crate::optim::AdamState;
use crate::rng::{Rng, RngExt};
use ndarray::{Array1, Array2};
use rand_distr::{Distribution, StandardNormal};

/// A tanh MLP $\mathbb R^p\to\mathbb R$ whose input gradient and (partial) Laplacian are exact,
/// and so are their parameter gradients. Parameters are one flat vector, layer by layer:
/// $W_l$ (row-major, `width × n_in`), $b_l$, then the output weights $a$ and bias $c$.
///
/// # Examples
/// ```
/// use course::pde::JetMlp;
/// let net = JetMlp::new(3, 8, 2, 0);
/// assert_eq!(net.n_params(), (3 * 8 + 8) + (8 * 8 + 8) + 8 + 1);
/// // Value from the jet equals the plain forward pass.
/// let (u, _, _) = net.jet(&[0.1, 0.2, 0.3], 1);
/// assert!((u - net.forward(&[0.1, 0.2, 0.3])).abs() < 1e-14);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct JetMlp {
    /// Number of inputs $p$.
    pub n_in: usize,
    /// Units per hidden layer.
    pub width: usize,
    /// Number of hidden layers.
    pub depth: usize,
    /// All parameters, laid out as in the type's docs.
    pub params: Vec<f64>,
}

/// What the forward jet pass keeps for the reverse pass, per hidden layer.
struct LayerTape {
    a: Vec<f64>,  // input value (n)
    ja: Vec<f64>, // input gradient (n × p)
    la: Vec<f64>, // input Laplacian (n)
    jz: Vec<f64>, // pre-activation gradient (w × p)
    lz: Vec<f64>, // (w)
    s: Vec<f64>,  // Σ_{k ≥ lap_from} (∂_k z)² (w)
    h: Vec<f64>,  // tanh(z) (w)
}

impl JetMlp {
    /// Glorot-scaled normal initialization ($W\sim\mathcal N(0, 1/n_{\rm in})$, biases 0, output
    /// weights $\mathcal N(0, 1/{\rm width})$), seed `seed`.
    ///
    /// # Panics
    /// If `n_in`, `width` or `depth` is 0.
    pub fn new(n_in: usize, width: usize, depth: usize, seed: u64) -> Self {
        assert!(n_in > 0, "JetMlp::new: n_in must be > 0, got 0");
        assert!(width > 0, "JetMlp::new: width must be > 0, got 0");
        assert!(depth > 0, "JetMlp::new: depth must be > 0, got 0");
        let mut rng = crate::rng::seeded(seed);
        let mut params = Vec::new();
        for l in 0..depth {
            let fan_in = if l == 0 { n_in } else { width };
            let sd = 1.0 / (fan_in as f64).sqrt();
            for _ in 0..width * fan_in {
                let z: f64 = StandardNormal.sample(&mut rng);
                params.push(sd * z);
            }
            params.extend(std::iter::repeat_n(0.0, width));
        }
        let sd = 1.0 / (width as f64).sqrt();
        for _ in 0..width {
            let z: f64 = StandardNormal.sample(&mut rng);
            params.push(sd * z);
        }
        params.push(0.0);
        JetMlp { n_in, width, depth, params }
    }

    /// Number of parameters.
    pub fn n_params(&self) -> usize {
        self.n_in * self.width + self.width + (self.depth - 1) * (self.width * self.width + self.width) + self.width + 1
    }

    fn layer_offset(&self, l: usize) -> usize {
        if l == 0 { 0 } else { self.n_in * self.width + self.width + (l - 1) * (self.width * self.width + self.width) }
    }

    /// $u_\theta(x)$.
    ///
    /// # Panics
    /// If `x.len() != n_in`.
    pub fn forward(&self, x: &[f64]) -> f64 {
        assert_eq!(x.len(), self.n_in, "JetMlp::forward: x must have n_in = {} entries, got {}", self.n_in, x.len());
        let w = self.width;
        let mut a = x.to_vec();
        for l in 0..self.depth {
            let off = self.layer_offset(l);
            let n = a.len();
            let (wm, b) = (&self.params[off..off + w * n], &self.params[off + w * n..off + w * n + w]);
            a = (0..w).map(|i| (b[i] + (0..n).map(|j| wm[i * n + j] * a[j]).sum::<f64>()).tanh()).collect();
        }
        let off = self.layer_offset(self.depth);
        (0..w).map(|i| self.params[off + i] * a[i]).sum::<f64>() + self.params[off + w]
    }

    fn forward_tape(&self, x: &[f64], lap_from: usize) -> (Vec<LayerTape>, f64, Vec<f64>, f64) {
        assert_eq!(x.len(), self.n_in, "JetMlp::jet: x must have n_in = {} entries, got {}", self.n_in, x.len());
        assert!(lap_from <= self.n_in, "JetMlp::jet: lap_from must be <= n_in = {}, got {lap_from}", self.n_in);
        let (p, w) = (self.n_in, self.width);
        let mut a = x.to_vec();
        let mut ja = vec![0.0; p * p];
        for k in 0..p {
            ja[k * p + k] = 1.0;
        }
        let mut la = vec![0.0; p];
        let mut tapes = Vec::with_capacity(self.depth);
        for l in 0..self.depth {
            let off = self.layer_offset(l);
            let n = a.len();
            let (wm, b) = (&self.params[off..off + w * n], &self.params[off + w * n..off + w * n + w]);
            let (mut h, mut jz, mut lz, mut s) = (vec![0.0; w], vec![0.0; w * p], vec![0.0; w], vec![0.0; w]);
            let (mut jh, mut lh) = (vec![0.0; w * p], vec![0.0; w]);
            for i in 0..w {
                let row = &wm[i * n..(i + 1) * n];
                let mut z = b[i];
                let mut lzi = 0.0;
                for j in 0..n {
                    z += row[j] * a[j];
                    lzi += row[j] * la[j];
                    let wij = row[j];
                    if wij != 0.0 {
                        for k in 0..p {
                            jz[i * p + k] += wij * ja[j * p + k];
                        }
                    }
                }
                let hi = z.tanh();
                let s1 = 1.0 - hi * hi;
                let s2 = -2.0 * hi * s1;
                let si: f64 = (lap_from..p).map(|k| jz[i * p + k].powi(2)).sum();
                for k in 0..p {
                    jh[i * p + k] = s1 * jz[i * p + k];
                }
                lh[i] = s1 * lzi + s2 * si;
                h[i] = hi;
                lz[i] = lzi;
                s[i] = si;
            }
            tapes.push(LayerTape { a: std::mem::take(&mut a), ja: std::mem::take(&mut ja), la: std::mem::take(&mut la), jz, lz, s, h: h.clone() });
            a = h;
            ja = jh;
            la = lh;
        }
        let off = self.layer_offset(self.depth);
        let out = &self.params[off..off + w];
        let u = (0..w).map(|i| out[i] * a[i]).sum::<f64>() + self.params[off + w];
        let grad = (0..p).map(|k| (0..w).map(|i| out[i] * ja[i * p + k]).sum()).collect();
        let lap = (0..w).map(|i| out[i] * la[i]).sum();
        tapes.push(LayerTape { a, ja, la, jz: vec![], lz: vec![], s: vec![], h: vec![] });
        (tapes, u, grad, lap)
    }

    /// The value $u$, the gradient $\nabla u$ over all inputs, and the partial Laplacian
    /// $\sum_{k\ge\text{lap\_from}}\partial_{kk}u$ (inputs before `lap_from`, e.g. time, are left out).
    ///
    /// # Panics
    /// If `x.len() != n_in` or `lap_from > n_in`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::JetMlp;
    /// let net = JetMlp::new(2, 6, 2, 4);
    /// let (x, h) = ([0.3, -0.2], 1e-4);
    /// let (u, g, lap) = net.jet(&x, 0);
    /// let f = |a: f64, b: f64| net.forward(&[a, b]);
    /// let fd_lap = (f(x[0] + h, x[1]) + f(x[0] - h, x[1]) + f(x[0], x[1] + h) + f(x[0], x[1] - h) - 4.0 * u) / (h * h);
    /// assert!((lap - fd_lap).abs() < 1e-5);
    /// assert!((g[1] - (f(x[0], x[1] + h) - f(x[0], x[1] - h)) / (2.0 * h)).abs() < 1e-7);
    /// ```
    pub fn jet(&self, x: &[f64], lap_from: usize) -> (f64, Vec<f64>, f64) {
        let (_, u, g, l) = self.forward_tape(x, lap_from);
        (u, g, l)
    }

    /// The parameter gradient of $c_u\,u + c_g\cdot\nabla u + c_\Delta\,\Delta u$ at `x` (Laplacian over
    /// inputs `lap_from..`), **added** to `grad` (length `n_params()`). Returns the jet $(u, \nabla u, \Delta u)$.
    ///
    /// # Panics
    /// If the lengths do not match the network.
    ///
    /// # Examples
    /// ```
    /// use course::pde::JetMlp;
    /// let mut net = JetMlp::new(2, 5, 2, 1);
    /// let x = [0.4, 0.7];
    /// let mut g = vec![0.0; net.n_params()];
    /// let (_, _, lap) = net.jet_vjp(&x, 1, 0.0, &[0.0, 0.0], 1.0, &mut g);
    /// net.params[3] += 1e-6;
    /// assert!(((net.jet(&x, 1).2 - lap) / 1e-6 - g[3]).abs() < 1e-4);
    /// ```
    pub fn jet_vjp(&self, x: &[f64], lap_from: usize, c_u: f64, c_g: &[f64], c_lap: f64, grad: &mut [f64]) -> (f64, Vec<f64>, f64) {
        assert_eq!(c_g.len(), self.n_in, "JetMlp::jet_vjp: c_g must have n_in = {} entries, got {}", self.n_in, c_g.len());
        assert_eq!(grad.len(), self.n_params(), "JetMlp::jet_vjp: grad must have n_params = {} entries, got {}", self.n_params(), grad.len());
        let (tapes, u, gu, lap) = self.forward_tape(x, lap_from);
        let (p, w) = (self.n_in, self.width);
        let off = self.layer_offset(self.depth);
        let last = &tapes[self.depth];
        // Output layer: u = a·h + c, ∇u = Σ a_i ∇h_i, Δu = Σ a_i Δh_i.
        let mut abar = vec![0.0; w];
        let mut jbar = vec![0.0; w * p];
        let mut lbar = vec![0.0; w];
        for i in 0..w {
            let ai = self.params[off + i];
            let mut g = c_u * last.a[i] + c_lap * last.la[i];
            for k in 0..p {
                g += c_g[k] * last.ja[i * p + k];
                jbar[i * p + k] = ai * c_g[k];
            }
            grad[off + i] += g;
            abar[i] = ai * c_u;
            lbar[i] = ai * c_lap;
        }
        grad[off + w] += c_u;
        for l in (0..self.depth).rev() {
            let t = &tapes[l];
            let n = t.a.len();
            let loff = self.layer_offset(l);
            let mut zbar = vec![0.0; w];
            let mut jzbar = vec![0.0; w * p];
            let mut lzbar = vec![0.0; w];
            for i in 0..w {
                let hi = t.h[i];
                let s1 = 1.0 - hi * hi;
                let s2 = -2.0 * hi * s1;
                let s3 = -2.0 * s1 * s1 + 4.0 * hi * hi * s1;
                lzbar[i] = s1 * lbar[i];
                let mut cross = 0.0;
                for k in 0..p {
                    let jzik = t.jz[i * p + k];
                    cross += jbar[i * p + k] * jzik;
                    jzbar[i * p + k] = s1 * jbar[i * p + k] + if k >= lap_from { 2.0 * s2 * lbar[i] * jzik } else { 0.0 };
                }
                zbar[i] = s1 * abar[i] + s2 * cross + (s2 * t.lz[i] + s3 * t.s[i]) * lbar[i];
            }
            // Parameter gradients of this layer.
            for i in 0..w {
                for j in 0..n {
                    let mut g = zbar[i] * t.a[j] + lzbar[i] * t.la[j];
                    for k in 0..p {
                        g += jzbar[i * p + k] * t.ja[j * p + k];
                    }
                    grad[loff + i * n + j] += g;
                }
                grad[loff + w * n + i] += zbar[i];
            }
            if l == 0 {
                break;
            }
            // Adjoints of the layer's input (the previous hidden layer).
            let wm = &self.params[loff..loff + w * n];
            let (mut na, mut nj, mut nl) = (vec![0.0; n], vec![0.0; n * p], vec![0.0; n]);
            for i in 0..w {
                for j in 0..n {
                    let wij = wm[i * n + j];
                    na[j] += wij * zbar[i];
                    nl[j] += wij * lzbar[i];
                    for k in 0..p {
                        nj[j * p + k] += wij * jzbar[i * p + k];
                    }
                }
            }
            abar = na;
            jbar = nj;
            lbar = nl;
        }
        (u, gu, lap)
    }
}

/// The DGM solver for the heat equation $u_t = \kappa\Delta u$ on $[0,T]\times[0,1]^d$ with the
/// spreading-Gaussian solution of the module docs as initial and boundary data. The network reads
/// $(t/T, x)$.
///
/// # Examples
/// ```
/// use course::pde::DgmHeat;
/// let dgm = DgmHeat::new(3, 16, 2, 0);
/// // The exact solution satisfies the PDE: its residual by central differences is ~0.
/// let (t, x, h) = (0.3, [0.2, 0.6, 0.9], 1e-4);
/// let ut = (dgm.exact(t + h, &x) - dgm.exact(t - h, &x)) / (2.0 * h);
/// let lap: f64 = (0..3).map(|i| {
///     let (mut p, mut m) = (x, x);
///     p[i] += h; m[i] -= h;
///     (dgm.exact(t, &p) - 2.0 * dgm.exact(t, &x) + dgm.exact(t, &m)) / (h * h)
/// }).sum();
/// assert!((ut - dgm.kappa * lap).abs() < 1e-6);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DgmHeat {
    /// The space dimension $d$.
    pub dim: usize,
    /// The diffusivity $\kappa$ (0.05).
    pub kappa: f64,
    /// $T$ (1).
    pub t_end: f64,
    /// The initial variance $s_0$ of the bump (0.1).
    pub s0: f64,
    /// $u_\theta(t, x) = N_\theta(t/T, x)$.
    pub net: JetMlp,
    /// Random points per step: interior, boundary, initial.
    pub batch: (usize, usize, usize),
}

/// What [`DgmHeat::train`] records.
#[derive(Clone, Debug, PartialEq)]
pub struct DgmHistory {
    /// The sampled loss before each step.
    pub loss: Vec<f64>,
    /// Relative $L^2$ error on the test set, every `n_steps / 20` steps (and at the end).
    pub rel_error: Vec<(usize, f64)>,
}

impl DgmHeat {
    /// $\kappa = 0.05$, $T = 1$, $s_0 = 0.1$, a `depth × width` tanh network (seed `seed`), batches
    /// of 64 interior, 32 boundary and 32 initial points.
    ///
    /// # Panics
    /// If `dim`, `width` or `depth` is 0.
    pub fn new(dim: usize, width: usize, depth: usize, seed: u64) -> Self {
        assert!(dim > 0, "DgmHeat::new: dim must be > 0, got 0");
        DgmHeat { dim, kappa: 0.05, t_end: 1.0, s0: 0.1, net: JetMlp::new(dim + 1, width, depth, seed), batch: (64, 32, 32) }
    }

    /// The exact solution $u(t, x)$.
    pub fn exact(&self, t: f64, x: &[f64]) -> f64 {
        let v = self.s0 + 2.0 * self.kappa * t;
        let r2: f64 = x.iter().map(|xi| (xi - 0.5).powi(2)).sum();
        (self.s0 / v).powf(self.dim as f64 / 2.0) * (-r2 / (2.0 * v)).exp()
    }

    /// $u_\theta(t, x)$.
    pub fn u(&self, t: f64, x: &[f64]) -> f64 {
        self.net.forward(&self.input(t, x))
    }

    fn input(&self, t: f64, x: &[f64]) -> Vec<f64> {
        assert_eq!(x.len(), self.dim, "DgmHeat: x must have dim = {} entries, got {}", self.dim, x.len());
        let mut v = Vec::with_capacity(self.dim + 1);
        v.push(t / self.t_end);
        v.extend_from_slice(x);
        v
    }

    /// The residual $\partial_tu_\theta - \kappa\Delta u_\theta$ at $(t, x)$.
    pub fn residual(&self, t: f64, x: &[f64]) -> f64 {
        let (_, g, lap) = self.net.jet(&self.input(t, x), 1);
        g[0] / self.t_end - self.kappa * lap
    }

    /// Draws one batch of points and returns the sampled loss and its gradient (the DGM step
    /// direction). Interior points are uniform in $[0,T]\times[0,1]^d$; boundary points uniform in
    /// time and on a face chosen uniformly; initial points uniform at $t = 0$.
    pub fn loss_grad(&self, rng: &mut impl Rng) -> (f64, Vec<f64>) {
        let (n_int, n_bd, n_init) = self.batch;
        let d = self.dim;
        let mut grad = vec![0.0; self.net.n_params()];
        let mut loss = 0.0;
        let mut c_g = vec![0.0; d + 1];
        let mut x = vec![0.0; d];
        for _ in 0..n_int {
            let t = rng.random::<f64>() * self.t_end;
            x.iter_mut().for_each(|v| *v = rng.random::<f64>());
            let inp = self.input(t, &x);
            let (_, g, lap) = self.net.jet(&inp, 1);
            let r = g[0] / self.t_end - self.kappa * lap;
            loss += r * r / n_int as f64;
            c_g[0] = 2.0 * r / n_int as f64 / self.t_end;
            self.net.jet_vjp(&inp, 1, 0.0, &c_g, -2.0 * r / n_int as f64 * self.kappa, &mut grad);
        }
        let zeros = vec![0.0; d + 1];
        for k in 0..n_bd + n_init {
            let boundary = k < n_bd;
            let t = if boundary { rng.random::<f64>() * self.t_end } else { 0.0 };
            x.iter_mut().for_each(|v| *v = rng.random::<f64>());
            if boundary {
                let face = rng.random_range(0..d);
                x[face] = if rng.random::<bool>() { 1.0 } else { 0.0 };
            }
            let m = if boundary { n_bd } else { n_init } as f64;
            let inp = self.input(t, &x);
            let e = self.net.forward(&inp) - self.exact(t, &x);
            loss += e * e / m;
            self.net.jet_vjp(&inp, d + 1, 2.0 * e / m, &zeros, 0.0, &mut grad);
        }
        (loss, grad)
    }

    /// Relative $L^2$ error $\lVert u_\theta - u\rVert/\lVert u\rVert$ over `n_test` uniform random points
    /// of $[0,T]\times[0,1]^d$ (seed `seed`): a Monte Carlo estimate of the $L^2$ norms.
    ///
    /// # Examples
    /// ```
    /// use course::pde::DgmHeat;
    /// let dgm = DgmHeat::new(2, 8, 1, 0);
    /// let e = dgm.relative_l2_error(500, 1);
    /// assert!(e > 0.1 && e.is_finite()); // untrained: no better than a guess
    /// ```
    pub fn relative_l2_error(&self, n_test: usize, seed: u64) -> f64 {
        let mut rng = crate::rng::seeded(seed);
        let (mut num, mut den) = (0.0, 0.0);
        let mut x = vec![0.0; self.dim];
        for _ in 0..n_test {
            let t = rng.random::<f64>() * self.t_end;
            x.iter_mut().for_each(|v| *v = rng.random::<f64>());
            let exact = self.exact(t, &x);
            num += (self.u(t, &x) - exact).powi(2);
            den += exact * exact;
        }
        (num / den).sqrt()
    }

    /// `n_steps` Adam steps on fresh random points (step decaying geometrically from `lr` to
    /// `lr/10`), drawing from `seed`; the test error uses 2 000 points of seed `seed + 1`.
    ///
    /// # Panics
    /// If `lr <= 0` or `n_steps == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::DgmHeat;
    /// let mut dgm = DgmHeat::new(2, 16, 1, 0);
    /// let h = dgm.train(0.02, 200, 3);
    /// assert_eq!(h.loss.len(), 200);
    /// assert!(h.rel_error.last().unwrap().1 < h.rel_error[0].1);
    /// ```
    pub fn train(&mut self, lr: f64, n_steps: usize, seed: u64) -> DgmHistory {
        assert!(lr.is_finite() && lr > 0.0, "DgmHeat::train: lr must be > 0, got {lr}");
        assert!(n_steps > 0, "DgmHeat::train: n_steps must be > 0, got 0");
        let mut rng = crate::rng::seeded(seed);
        let mut state = AdamState::new(self.net.n_params(), 0.9, 0.999);
        let every = (n_steps / 20).max(1);
        let mut history = DgmHistory { loss: Vec::with_capacity(n_steps), rel_error: Vec::new() };
        for k in 0..n_steps {
            if k % every == 0 {
                history.rel_error.push((k, self.relative_l2_error(2000, seed + 1)));
            }
            let (loss, g) = self.loss_grad(&mut rng);
            history.loss.push(loss);
            let step = lr * 0.1f64.powf(k as f64 / n_steps as f64);
            let d = state.update(&Array1::from(g));
            for (p, dp) in self.net.params.iter_mut().zip(d.iter()) {
                *p -= step * dp;
            }
        }
        history.rel_error.push((n_steps, self.relative_l2_error(2000, seed + 1)));
        history
    }
}

/// The results of [`dgm_architecture_grid`]: errors and training histories, row $i$ = `depths[i]`,
/// column $j$ = `widths[j]`.
#[derive(Clone, Debug, PartialEq)]
pub struct DgmGrid {
    /// Final relative $L^2$ errors (`depths × widths`).
    pub errors: Array2<f64>,
    /// The histories, row-major (depth $i$, width $j$ at `i * widths.len() + j`).
    pub histories: Vec<DgmHistory>,
}

/// Trains one [`DgmHeat`] for every (depth, width) pair, `n_steps` steps of learning rate `lr`;
/// network seed `seed`, points seed `seed + 100`. The runs are spread over two threads (each run is
/// sequential and seeded, so the result does not depend on the threads).
///
/// # Examples
/// ```
/// use course::pde::dgm_architecture_grid;
/// let g = dgm_architecture_grid(2, &[4, 8], &[1], 0.01, 30, 0);
/// assert_eq!(g.errors.dim(), (1, 2));
/// assert!(g.errors.iter().all(|v| v.is_finite() && *v > 0.0));
/// assert_eq!(g.histories[1].rel_error.last().unwrap().1, g.errors[[0, 1]]);
/// ```
pub fn dgm_architecture_grid(dim: usize, widths: &[usize], depths: &[usize], lr: f64, n_steps: usize, seed: u64) -> DgmGrid {
    let jobs: Vec<(usize, usize)> = (0..depths.len()).flat_map(|i| (0..widths.len()).map(move |j| (i, j))).collect();
    // Largest networks first, alternating between the two workers, to balance the load.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(widths[jobs[k].1] * widths[jobs[k].1] * depths[jobs[k].0]));
    let mut results: Vec<(usize, DgmHistory)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|worker| {
                let (jobs, order) = (&jobs, &order);
                scope.spawn(move || {
                    order
                        .iter()
                        .enumerate()
                        .filter(|(r, _)| r % 2 == worker)
                        .map(|(_, &k)| {
                            let (i, j) = jobs[k];
                            let mut dgm = DgmHeat::new(dim, widths[j], depths[i], seed);
                            (k, dgm.train(lr, n_steps, seed + 100))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("DGM worker thread")).collect()
    });
    results.sort_by_key(|r| r.0);
    let mut errors = Array2::zeros((depths.len(), widths.len()));
    for (k, h) in &results {
        let (i, j) = jobs[*k];
        errors[[i, j]] = h.rel_error.last().expect("final error").1;
    }
    DgmGrid { errors, histories: results.into_iter().map(|r| r.1).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jet_matches_finite_differences_for_every_depth() {
        for depth in 1..=3 {
            let net = JetMlp::new(3, 5, depth, depth as u64);
            let x = [0.2, -0.4, 0.7];
            let (u, g, lap) = net.jet(&x, 1);
            let h = 1e-4;
            let mut fd_lap = 0.0;
            for k in 0..3 {
                let (mut p, mut m) = (x, x);
                p[k] += h;
                m[k] -= h;
                let (fp, fm) = (net.forward(&p), net.forward(&m));
                assert!((g[k] - (fp - fm) / (2.0 * h)).abs() < 1e-7, "depth {depth}, ∂{k}");
                if k >= 1 {
                    fd_lap += (fp - 2.0 * u + fm) / (h * h);
                }
            }
            assert!((lap - fd_lap).abs() < 1e-5, "depth {depth}: {lap} vs {fd_lap}");
        }
    }

    #[test]
    fn jet_vjp_matches_finite_differences_of_a_combination() {
        for depth in 1..=3 {
            let net = JetMlp::new(3, 4, depth, 10 + depth as u64);
            let x = [0.5, 0.1, -0.3];
            let (cu, cg, cl) = (0.7, [1.3, -0.4, 0.2], -0.9);
            let combo = |n: &JetMlp| {
                let (u, g, l) = n.jet(&x, 1);
                cu * u + cg.iter().zip(&g).map(|(a, b)| a * b).sum::<f64>() + cl * l
            };
            let mut grad = vec![0.0; net.n_params()];
            net.jet_vjp(&x, 1, cu, &cg, cl, &mut grad);
            let h = 1e-6;
            for p in 0..net.n_params() {
                let (mut np, mut nm) = (net.clone(), net.clone());
                np.params[p] += h;
                nm.params[p] -= h;
                let fd = (combo(&np) - combo(&nm)) / (2.0 * h);
                assert!((grad[p] - fd).abs() < 1e-6 * (1.0 + fd.abs()), "depth {depth}, param {p}: {} vs {fd}", grad[p]);
            }
        }
    }

    #[test]
    fn dgm_loss_gradient_is_the_gradient_of_the_sampled_loss() {
        let dgm = DgmHeat { batch: (5, 3, 3), ..DgmHeat::new(2, 4, 2, 3) };
        let (_, g) = dgm.loss_grad(&mut crate::rng::seeded(9));
        let h = 1e-6;
        for p in (0..dgm.net.n_params()).step_by(4) {
            let (mut a, mut b) = (dgm.clone(), dgm.clone());
            a.net.params[p] += h;
            b.net.params[p] -= h;
            let fd = (a.loss_grad(&mut crate::rng::seeded(9)).0 - b.loss_grad(&mut crate::rng::seeded(9)).0) / (2.0 * h);
            assert!((g[p] - fd).abs() < 1e-6 * (1.0 + fd.abs()), "param {p}: {} vs {fd}", g[p]);
        }
    }

    #[test]
    fn exact_solution_has_the_initial_bump() {
        let dgm = DgmHeat::new(4, 4, 1, 0);
        assert!((dgm.exact(0.0, &[0.5; 4]) - 1.0).abs() < 1e-15);
        let v = 0.1 + 2.0 * 0.05 * 1.0;
        assert!((dgm.exact(1.0, &[0.5; 4]) - (0.1f64 / v).powi(2)).abs() < 1e-15);
    }
}
