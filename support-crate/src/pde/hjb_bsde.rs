//! The deep BSDE method in high dimension: the Hamilton–Jacobi–Bellman equation of Han, Jentzen
//! & E (2018), with a Cole–Hopf Monte Carlo oracle.
//!
//! The PDE on $[0,T]\times\mathbb R^d$,
//! $$u_t + \Delta u - \lambda\lVert\nabla u\rVert^2 = 0,\qquad u(T, x) = g(x) = \ln\frac{1 + \lVert x\rVert^2}{2},$$
//! is linearized by $w = e^{-\lambda u}$ ($w_t + \Delta w = 0$), so
//! $$u(t, x) = -\frac1\lambda\ln\mathbb E\Big[\exp\big(-\lambda g(x + \sqrt2\,W_{T-t})\big)\Big],$$
//! an **oracle** computed by plain Monte Carlo ([`HjbBsde::oracle`]). Along
//! $X_t = x_0 + \sqrt2\,W_t$, Itô's formula gives for $Y_t = u(t, X_t)$ and $Z_t = \sqrt2\,\nabla u(t, X_t)$
//! the backward SDE $dY = -f(Z)\,dt + Z\cdot dW$ with $f(z) = -\tfrac\lambda2\lVert z\rVert^2$, and
//! the deep BSDE method discretizes it forward in time,
//! $$X_{n+1} = X_n + \sqrt2\,\Delta W_n,\qquad Y_{n+1} = Y_n - f(Z_n)\,\Delta t + Z_n\cdot\Delta W_n,
//! \qquad \Delta W_n = \sqrt{\Delta t}\,\xi_n,$$
//! with $Y_0$ a trainable number and $Z_n = N_\theta(t_n, X_n)$; the loss is $\mathbb E|Y_N - g(X_N)|^2$
//! on fresh Brownian paths (Han, Jentzen & E 2018; E, Han & Jentzen 2017).
//!
//! **The $Z$-parametrization.** The paper uses one network per time step with two hidden layers of
//! $d + 10$ units ($\approx 7\cdot10^5$ parameters at $d = 100$, $N = 20$). To fit a notebook budget we use
//! **one shared small network** of $(t, x)$ plus a **per-step diagonal linear** part,
//! $Z_n = D_n\odot X_n + A\tanh(W[t_n/T;\,X_n/\sqrt{2T}] + b) + c$ (a narrow shared layer alone has
//! rank ≤ width, while $\nabla u\propto x$ here needs rank $d$; $D_n$ supplies it at $d$ numbers per step),
//! and the gradient of the loss is written out by hand: with $e = Y_N - g(X_N)$,
//! $\partial L/\partial Y_0 = 2\mathbb E[e]$ and $\partial L/\partial Z_n = 2e\,(\lambda Z_n\Delta t + \Delta W_n)$
//! per path, pulled back through the network.
//!
//! ## Reference
//! J. Han, A. Jentzen, W. E (2018), *Solving high-dimensional partial differential equations using
//! deep learning*, PNAS 115(34), §"HJB equation"; W. E, J. Han, A. Jentzen (2017), *Deep
//! learning-based numerical methods for high-dimensional parabolic PDEs and BSDEs*, Commun. Math.
//! Stat. 5.
//!
//! Used in notebooks/27-deep-learning-for-pdes.ipynb.

use crate::optim::AdamState;
use crate::rng::Rng;
use ndarray::{Array1, Array2, Axis, s};
use rand_distr::{Distribution, StandardNormal};

/// One forward Euler step of the pair $(X, Y)$ (see the module docs): given $X_n$, $Y_n$, $Z_n$, the
/// standard normal draw $\xi_n$, $\Delta t$ and $\lambda$, returns $(X_{n+1}, Y_{n+1})$ with
/// $\Delta W = \sqrt{\Delta t}\,\xi$, $X_{n+1} = X_n + \sqrt2\,\Delta W$,
/// $Y_{n+1} = Y_n + \tfrac\lambda2\lVert Z_n\rVert^2\Delta t + Z_n\cdot\Delta W$.
///
/// # Panics
/// If the lengths of `x`, `z` and `xi` differ.
///
/// # Examples
/// ```
/// use course::pde::hjb_euler_step;
/// let (x1, y1) = hjb_euler_step(&[0.0, 0.0], 1.0, &[1.0, 2.0], &[1.0, -1.0], 0.25, 2.0);
/// // ΔW = (0.5, −0.5); X = √2 ΔW; Y = 1 + (2/2)·5·0.25 + (0.5 − 1.0)
/// assert!((x1[0] - 0.5 * 2f64.sqrt()).abs() < 1e-15);
/// assert!((y1 - 1.75).abs() < 1e-15);
/// ```
pub fn hjb_euler_step(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, lambda: f64) -> (Vec<f64>, f64) {
    assert!(x.len() == z.len() && z.len() == xi.len(), "hjb_euler_step: x, z and xi must have the same length, got {}, {}, {}", x.len(), z.len(), xi.len());
    let sq = dt.sqrt();
    let x1 = x.iter().zip(xi).map(|(a, b)| a + std::f64::consts::SQRT_2 * sq * b).collect();
    let z2: f64 = z.iter().map(|v| v * v).sum();
    let zdw: f64 = z.iter().zip(xi).map(|(a, b)| a * sq * b).sum();
    (x1, y + 0.5 * lambda * z2 * dt + zdw)
}

/// What [`HjbBsde::train`] records, before each step and after the last.
#[derive(Clone, Debug, PartialEq)]
pub struct HjbHistory {
    /// The batch loss $\frac1M\sum_p|Y_N^p - g(X_N^p)|^2$.
    pub loss: Vec<f64>,
    /// $Y_0$.
    pub y0: Vec<f64>,
}

/// The deep BSDE solver for the HJB equation of the module docs, started at $x_0 = 0$.
///
/// # Examples
/// ```
/// use course::pde::HjbBsde;
/// let b = HjbBsde::new(100, 1.0, 1.0, 20, 16, 0);
/// assert_eq!(b.n_params(), 1 + 16 * 101 + 16 + 100 * 16 + 100 + 20 * 100);
/// assert!((b.terminal(&vec![0.0; 100]) - 0.5f64.ln()).abs() < 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct HjbBsde {
    /// $d$.
    pub dim: usize,
    /// $\lambda$.
    pub lambda: f64,
    /// $T$.
    pub t_end: f64,
    /// $N$.
    pub n_steps: usize,
    /// The trainable $Y_0\approx u(0, x_0)$.
    pub y0: f64,
    /// Hidden weights $W$ (`width × (d + 1)`).
    pub w: Array2<f64>,
    /// Hidden biases $b$.
    pub b: Array1<f64>,
    /// Output weights $A$ (`d × width`).
    pub a: Array2<f64>,
    /// Output bias $c$.
    pub c: Array1<f64>,
    /// Per-step diagonal linear part $D_n$ (`n_steps × d`): $Z_n$ gets $D_n\odot X_n$ added.
    pub diag: Array2<f64>,
}

impl HjbBsde {
    /// $Y_0 = 0$, a `width`-unit shared $Z$-network (Glorot-scaled, output weights × 0.01, $D = 0$), seed `seed`.
    ///
    /// # Panics
    /// If `dim`, `n_steps` or `width` is 0, or `lambda`, `t_end` is not positive.
    pub fn new(dim: usize, lambda: f64, t_end: f64, n_steps: usize, width: usize, seed: u64) -> Self {
        assert!(dim > 0 && n_steps > 0 && width > 0, "HjbBsde::new: dim, n_steps and width must be > 0, got {dim}, {n_steps}, {width}");
        assert!(lambda.is_finite() && lambda > 0.0, "HjbBsde::new: lambda must be > 0, got {lambda}");
        assert!(t_end.is_finite() && t_end > 0.0, "HjbBsde::new: t_end must be > 0, got {t_end}");
        let mut rng = crate::rng::seeded(seed);
        let mut normal = |n: usize, m: usize, sd: f64| Array2::from_shape_simple_fn((n, m), || sd * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, &mut rng));
        let w = normal(width, dim + 1, 1.0 / ((dim + 1) as f64).sqrt());
        let a = normal(dim, width, 0.01 / (width as f64).sqrt());
        HjbBsde { dim, lambda, t_end, n_steps, y0: 0.0, w, b: Array1::zeros(width), a, c: Array1::zeros(dim), diag: Array2::zeros((n_steps, dim)) }
    }

    /// Number of trainable numbers ($Y_0$ and the network).
    pub fn n_params(&self) -> usize {
        1 + self.w.len() + self.b.len() + self.a.len() + self.c.len() + self.diag.len()
    }

    /// $g(x) = \ln\frac{1 + \lVert x\rVert^2}2$.
    pub fn terminal(&self, x: &[f64]) -> f64 {
        ((1.0 + x.iter().map(|v| v * v).sum::<f64>()) / 2.0).ln()
    }

    fn features(&self, t: f64, x: &Array2<f64>) -> Array2<f64> {
        let mut f = Array2::from_elem((x.nrows(), self.dim + 1), t / self.t_end);
        f.slice_mut(s![.., 1..]).assign(&(x / (2.0 * self.t_end).sqrt()));
        f
    }

    /// $Z_n = D_n\odot x + A\tanh(W[t_n/T; x/\sqrt{2T}] + b) + c$ at the rows of `x` (`batch × d`),
    /// with the hidden layer and the features.
    fn z_and_hidden(&self, n: usize, x: &Array2<f64>) -> (Array2<f64>, Array2<f64>, Array2<f64>) {
        let f = self.features(n as f64 * self.t_end / self.n_steps as f64, x);
        let h = (f.dot(&self.w.t()) + &self.b).mapv(f64::tanh);
        let z = h.dot(&self.a.t()) + &self.c + x * &self.diag.row(n);
        (z, h, f)
    }

    /// The learned $Z_n(x)\approx\sqrt2\,\nabla u(t_n, x)$ at one point, step `n`.
    ///
    /// # Panics
    /// If `n >= n_steps` or `x.len() != d`.
    pub fn z(&self, n: usize, x: &[f64]) -> Vec<f64> {
        assert!(n < self.n_steps, "HjbBsde::z: n must be < n_steps = {}, got {n}", self.n_steps);
        let xm = Array2::from_shape_vec((1, self.dim), x.to_vec()).expect("x must have dim entries");
        self.z_and_hidden(n, &xm).0.row(0).to_vec()
    }

    /// Runs the forward recursion on the standard normal draws `xi` (`n_steps` matrices
    /// `batch × d`) with the step function `step` (same signature as [`hjb_euler_step`]) and returns
    /// the mismatches $Y_N - g(X_N)$ per path.
    ///
    /// # Panics
    /// If `xi` does not have `n_steps` matrices of `d` columns.
    ///
    /// # Examples
    /// ```
    /// use course::pde::{hjb_euler_step, HjbBsde};
    /// let b = HjbBsde::new(5, 1.0, 1.0, 4, 3, 0);
    /// let xi: Vec<ndarray::Array2<f64>> = (0..4).map(|n| ndarray::Array2::from_shape_fn((6, 5), |(p, i)| ((p + 2 * i + 3 * n) as f64).sin())).collect();
    /// let e = b.mismatch_with(&xi, hjb_euler_step);
    /// assert!((b.mismatch_with(&xi, hjb_euler_step)[2] - e[2]).abs() == 0.0);
    /// assert_eq!(e.len(), 6);
    /// ```
    pub fn mismatch_with(&self, xi: &[Array2<f64>], step: impl Fn(&[f64], f64, &[f64], &[f64], f64, f64) -> (Vec<f64>, f64)) -> Vec<f64> {
        assert_eq!(xi.len(), self.n_steps, "HjbBsde::mismatch_with: xi must have n_steps = {} matrices, got {}", self.n_steps, xi.len());
        let batch = xi[0].nrows();
        let dt = self.t_end / self.n_steps as f64;
        let mut x = Array2::<f64>::zeros((batch, self.dim));
        let mut y = vec![self.y0; batch];
        for (n, xin) in xi.iter().enumerate() {
            assert_eq!(xin.dim(), (batch, self.dim), "HjbBsde::mismatch_with: xi[{n}] must be {batch} × {}", self.dim);
            let (z, _, _) = self.z_and_hidden(n, &x);
            for p in 0..batch {
                let (x1, y1) = step(&x.row(p).to_vec(), y[p], &z.row(p).to_vec(), &xin.row(p).to_vec(), dt, self.lambda);
                x.row_mut(p).assign(&Array1::from(x1));
                y[p] = y1;
            }
        }
        (0..batch).map(|p| y[p] - self.terminal(&x.row(p).to_vec())).collect()
    }

    /// The batch loss and its gradient: entry 0 is $\partial L/\partial Y_0$, then $W$, $b$, $A$, $c$
    /// (row-major), then $D$, on the draws `xi` (`n_steps` matrices `batch × d`).
    ///
    /// # Examples
    /// ```
    /// use course::pde::HjbBsde;
    /// let mut b = HjbBsde::new(4, 2.0, 1.0, 3, 3, 1);
    /// let xi: Vec<ndarray::Array2<f64>> = (0..3).map(|n| ndarray::Array2::from_shape_fn((8, 4), |(p, i)| ((p * 4 + i + 7 * n) as f64).cos())).collect();
    /// let (l, g) = b.loss_grad(&xi);
    /// b.y0 += 1e-6;
    /// assert!(((b.loss_grad(&xi).0 - l) / 1e-6 - g[0]).abs() < 1e-4);
    /// ```
    pub fn loss_grad(&self, xi: &[Array2<f64>]) -> (f64, Array1<f64>) {
        assert_eq!(xi.len(), self.n_steps, "HjbBsde::loss_grad: xi must have n_steps = {} matrices, got {}", self.n_steps, xi.len());
        let batch = xi[0].nrows();
        let dt = self.t_end / self.n_steps as f64;
        let sq = dt.sqrt();
        let mut x = Array2::<f64>::zeros((batch, self.dim));
        let mut y = Array1::from_elem(batch, self.y0);
        let mut tape = Vec::with_capacity(self.n_steps);
        for (n, xin) in xi.iter().enumerate() {
            let (z, h, f) = self.z_and_hidden(n, &x);
            let dw = xin * sq;
            y = y + (&z * &z).sum_axis(Axis(1)) * (0.5 * self.lambda * dt) + (&z * &dw).sum_axis(Axis(1));
            let x_next = &x + &(&dw * std::f64::consts::SQRT_2);
            tape.push((z, h, f, dw, x));
            x = x_next;
        }
        let e = Array1::from_shape_fn(batch, |p| y[p] - self.terminal(&x.row(p).to_vec()));
        let loss = e.dot(&e) / batch as f64;
        let (mut gw, mut gb, mut ga, mut gc) = (Array2::zeros(self.w.dim()), Array1::zeros(self.b.len()), Array2::zeros(self.a.dim()), Array1::zeros(self.c.len()));
        let coef = e.mapv(|v| 2.0 * v / batch as f64).insert_axis(Axis(1));
        let mut gd = Array2::zeros(self.diag.dim());
        for (n, (z, h, f, dw, xn)) in tape.iter().enumerate() {
            let gz = (z * (self.lambda * dt) + dw) * &coef; // ∂L/∂Z_n (batch × d)
            gd.row_mut(n).assign(&(&gz * xn).sum_axis(Axis(0)));
            ga += &gz.t().dot(h);
            gc += &gz.sum_axis(Axis(0));
            let gpre = gz.dot(&self.a) * &h.mapv(|v| 1.0 - v * v);
            gw += &gpre.t().dot(f);
            gb += &gpre.sum_axis(Axis(0));
        }
        let mut g = Array1::zeros(self.n_params());
        g[0] = 2.0 * e.sum() / batch as f64;
        for (slot, v) in g.iter_mut().skip(1).zip(gw.iter().chain(gb.iter()).chain(ga.iter()).chain(gc.iter()).chain(gd.iter())) {
            *slot = *v;
        }
        (loss, g)
    }

    fn set_params(&mut self, theta: &Array1<f64>) {
        self.y0 = theta[0];
        let mut off = 1;
        for v in self.w.iter_mut().chain(self.b.iter_mut()).chain(self.a.iter_mut()).chain(self.c.iter_mut()).chain(self.diag.iter_mut()) {
            *v = theta[off];
            off += 1;
        }
    }

    fn params(&self) -> Array1<f64> {
        std::iter::once(self.y0).chain(self.w.iter().copied()).chain(self.b.iter().copied()).chain(self.a.iter().copied()).chain(self.c.iter().copied()).chain(self.diag.iter().copied()).collect()
    }

    /// `n_iter` Adam steps on fresh batches of `batch` paths from `rng`; the step decays
    /// geometrically from `lr` to `lr/100`.
    ///
    /// # Panics
    /// If `lr <= 0` or `batch == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::HjbBsde;
    /// let mut b = HjbBsde::new(10, 1.0, 1.0, 10, 8, 0);
    /// b.warm_start(256, &mut course::rng::seeded(0));
    /// let h = b.train(64, 0.005, 200, &mut course::rng::seeded(1));
    /// let (u, _, _) = b.oracle(20_000, &mut course::rng::seeded(2));
    /// assert!((h.y0[200] - u).abs() < 0.05 * u);
    /// ```
    pub fn train(&mut self, batch: usize, lr: f64, n_iter: usize, rng: &mut impl Rng) -> HjbHistory {
        assert!(lr.is_finite() && lr > 0.0, "HjbBsde::train: lr must be > 0, got {lr}");
        assert!(batch > 0, "HjbBsde::train: batch must be > 0, got 0");
        let mut state = AdamState::new(self.n_params(), 0.9, 0.999);
        let mut theta = self.params();
        let mut history = HjbHistory { loss: Vec::with_capacity(n_iter + 1), y0: Vec::with_capacity(n_iter + 1) };
        for k in 0..=n_iter {
            let xi = self.draw(batch, rng);
            let (loss, g) = self.loss_grad(&xi);
            history.loss.push(loss);
            history.y0.push(self.y0);
            if k == n_iter {
                break;
            }
            let step = lr * 0.01f64.powf(k as f64 / n_iter as f64);
            theta.scaled_add(-step, &state.update(&g));
            self.set_params(&theta);
        }
        history
    }

    /// Sets $Y_0$ to the mean of $g(X_T)$ over `batch` paths: the minimizer of the loss in $Y_0$ when
    /// $Z\equiv0$ (the $\lambda = 0$ answer), a start within a few per cent of $u(0, x_0)$ instead of 0.
    ///
    /// # Examples
    /// ```
    /// use course::pde::HjbBsde;
    /// let mut b = HjbBsde::new(100, 1.0, 1.0, 20, 4, 0);
    /// b.warm_start(1000, &mut course::rng::seeded(0));
    /// assert!((b.y0 - 4.60).abs() < 0.02); // E ln((1 + 2χ²₁₀₀)/2) ≈ 4.600
    /// ```
    pub fn warm_start(&mut self, batch: usize, rng: &mut impl Rng) {
        assert!(batch > 0, "HjbBsde::warm_start: batch must be > 0, got 0");
        let scale = 2.0 * self.t_end;
        let total: f64 = (0..batch)
            .map(|_| {
                let r2: f64 = (0..self.dim).map(|_| <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng).powi(2)).sum();
                ((1.0 + scale * r2) / 2.0).ln()
            })
            .sum();
        self.y0 = total / batch as f64;
    }

    /// `n_steps` matrices of standard normal draws, `batch × d`.
    pub fn draw(&self, batch: usize, rng: &mut impl Rng) -> Vec<Array2<f64>> {
        (0..self.n_steps).map(|_| Array2::from_shape_simple_fn((batch, self.dim), || <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng))).collect()
    }

    /// The Cole–Hopf oracle $u(0, 0) = -\frac1\lambda\ln\mathbb E\exp(-\lambda g(\sqrt{2T}\,\xi))$ by Monte
    /// Carlo over `n_samples` draws $\xi\sim\mathcal N(0, I_d)$, with its standard error (delta
    /// method), and $\mathbb E\,g$ (the $\lambda\to0$ value, i.e. the answer with $Z\equiv0$ in the loss).
    ///
    /// # Panics
    /// If `n_samples < 2`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::HjbBsde;
    /// // d = 1, small λ: u ≈ E g − (λ/2) Var g.
    /// let b = HjbBsde::new(1, 0.01, 1.0, 1, 1, 0);
    /// let (u, se, eg) = b.oracle(200_000, &mut course::rng::seeded(0));
    /// assert!(u < eg && eg - u < 0.01 && se < 0.01);
    /// ```
    pub fn oracle(&self, n_samples: usize, rng: &mut impl Rng) -> (f64, f64, f64) {
        assert!(n_samples >= 2, "HjbBsde::oracle: n_samples must be >= 2, got {n_samples}");
        let scale = 2.0 * self.t_end;
        let gs: Vec<f64> = (0..n_samples)
            .map(|_| {
                let r2: f64 = (0..self.dim).map(|_| <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng).powi(2)).sum();
                ((1.0 + scale * r2) / 2.0).ln()
            })
            .collect();
        let eg = crate::stats::mean(&gs);
        // Shift by E g for stability: E e^{-λ g} = e^{-λ E g} E e^{-λ (g - E g)}.
        let ws: Vec<f64> = gs.iter().map(|g| (-self.lambda * (g - eg)).exp()).collect();
        let (mw, vw) = (crate::stats::mean(&ws), crate::stats::variance(&ws));
        let u = eg - mw.ln() / self.lambda;
        let se = (vw / n_samples as f64).sqrt() / (mw * self.lambda);
        (u, se, eg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_central_differences() {
        let b = HjbBsde::new(3, 1.5, 1.0, 4, 3, 2);
        let xi = b.draw(7, &mut crate::rng::seeded(5));
        let (_, g) = b.loss_grad(&xi);
        let theta = b.params();
        let h = 1e-6;
        for i in 0..theta.len() {
            let (mut p, mut m) = (b.clone(), b.clone());
            let (mut tp, mut tm) = (theta.clone(), theta.clone());
            tp[i] += h;
            tm[i] -= h;
            p.set_params(&tp);
            m.set_params(&tm);
            let fd = (p.loss_grad(&xi).0 - m.loss_grad(&xi).0) / (2.0 * h);
            assert!((g[i] - fd).abs() < 1e-6 * (1.0 + fd.abs()), "param {i}: {} vs {fd}", g[i]);
        }
    }

    #[test]
    fn euler_step_recursion_gives_the_same_mismatch_as_the_batched_loss() {
        let b = HjbBsde::new(6, 1.0, 1.0, 5, 4, 3);
        let xi = b.draw(9, &mut crate::rng::seeded(8));
        let e = b.mismatch_with(&xi, hjb_euler_step);
        let loss: f64 = e.iter().map(|v| v * v).sum::<f64>() / 9.0;
        assert!((loss - b.loss_grad(&xi).0).abs() < 1e-12);
    }

    #[test]
    fn oracle_in_one_dimension_matches_quadrature() {
        // d = 1, T = 1: E h(√2 ξ) by the trapezoid rule on [−10, 10].
        let b = HjbBsde::new(1, 2.0, 1.0, 1, 1, 0);
        let n = 20_000;
        let mut acc = 0.0;
        for k in 0..=n {
            let z = -10.0 + 20.0 * k as f64 / n as f64;
            let wgt = if k == 0 || k == n { 0.5 } else { 1.0 };
            let g = ((1.0 + 2.0 * z * z) / 2.0).ln();
            acc += wgt * (-2.0 * g).exp() * (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() * 20.0 / n as f64;
        }
        let exact = -acc.ln() / 2.0;
        let (u, se, _) = b.oracle(400_000, &mut crate::rng::seeded(1));
        assert!((u - exact).abs() < 4.0 * se, "{u} vs {exact} (se {se})");
    }

    #[test]
    fn oracle_at_lambda_one_in_dimension_100_matches_the_paper() {
        // Han, Jentzen & E (2018) report u(0, 0) ≈ 4.5901 for λ = 1, d = 100, T = 1.
        let b = HjbBsde::new(100, 1.0, 1.0, 1, 1, 0);
        let (u, se, _) = b.oracle(50_000, &mut crate::rng::seeded(2));
        assert!((u - 4.5901).abs() < 4.0 * se + 1e-3, "{u} ± {se}");
    }
}
