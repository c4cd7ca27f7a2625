//! The deep BSDE method (Han–Jentzen–E): price an option by learning the initial value $Y_0$
//! and the hedge $Z_t$ so that a simulated portfolio replicates the payoff.
//!
//! The price $u(t, x)$ of a European option solves the Black–Scholes PDE; along the risk-neutral
//! stock $dX = rX\,dt + \sigma X\,dW$ the process $Y_t = u(t, X_t)$ satisfies the backward SDE
//! $dY = rY\,dt + Z\,dW$ with $Z_t = \sigma X_t\,\partial_xu(t, X_t)$ and $Y_T = g(X_T)$. Discretized by
//! forward Euler on $N$ steps,
//! $$X_{n+1} = X_n(1 + r\Delta t + \sigma\Delta W_n),\qquad Y_{n+1} = (1 + r\Delta t)Y_n + Z_n\Delta W_n,$$
//! with $Y_0$ a trainable number and $Z_n = \sigma X_n\,N_\theta(t_n/T, \ln(X_n/S_0)/(\sigma\sqrt T))$ (the
//! network learns the hedge ratio $\partial_xu$), and the loss is $L = \mathbb E\,|Y_N - g(X_N)|^2$
//! over a batch of fresh paths. The gradient by hand: with $e = Y_N - g(X_N)$,
//! $$\frac{\partial L}{\partial Y_0} = 2\,\mathbb E[e](1 + r\Delta t)^N,\qquad
//!   \nabla_\theta L = 2\,\mathbb E\Big[e\sum_n (1 + r\Delta t)^{N-1-n}\Delta W_n\,\sigma X_n\nabla_\theta N_\theta(\cdot_n)\Big]$$
//! (the $X$ path does not depend on the parameters). Since $\mathbb E[Z_n\Delta W_n] = 0$, the loss is
//! minimized in $Y_0$ exactly at $Y_0^* = (1 + r\Delta t)^{-N}\,\mathbb E\,g(X_N)$ — the Euler price,
//! whatever the network: the network only shrinks the variance (perfect hedging as $\Delta t\to0$).
//!
//! ## Reference
//! J. Han, A. Jentzen, W. E (2018), *Solving high-dimensional partial differential equations using
//! deep learning*, PNAS 115(34); W. E, J. Han, A. Jentzen (2017), *Deep learning-based numerical
//! methods for high-dimensional parabolic PDEs and BSDEs*, Commun. Math. Stat.
//!
//! Used in notebooks/26-deep-learning-for-dynamical-systems.ipynb.

use crate::learning::{Activation, Scaling, TwoLayer};
use crate::optim::AdamState;
use crate::rng::Rng;
use ndarray::{Array1, Array2, Axis};
use rand_distr::{Distribution, StandardNormal};

/// The hidden features $h = \sigma(z)$ and $\sigma'(z)$ at the rows of `x`, $z = xW^\top + b$ (`n × width` each).
fn hidden_and_slope(net: &TwoLayer, x: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    let act = net.activation;
    let z = x.dot(&net.w.t()) + &net.b;
    let h = z.mapv(|v| act.eval(v, 0));
    let hp = if act == Activation::Tanh { h.mapv(|v| 1.0 - v * v) } else { z.mapv(|v| act.eval(v, 1)) };
    (h, hp)
}

/// $J^\top c$ for the network at the rows of `x` (with `h`, `hp` from [`hidden_and_slope`]): the
/// parameter gradient of $\sum_k c_k f(x_k)$.
fn batch_vjp(net: &TwoLayer, x: &Array2<f64>, h: &Array2<f64>, hp: &Array2<f64>, c: &Array1<f64>) -> Array1<f64> {
    let (m, d) = net.w.dim();
    let mut dz = hp.clone();
    for (mut row, ck) in dz.axis_iter_mut(Axis(0)).zip(c.iter()) {
        row.zip_mut_with(&net.a, |v, ai| *v *= ck * ai * net.scale);
    }
    let mut g = Array1::zeros(net.n_params());
    g.slice_mut(ndarray::s![..m * d]).assign(&Array1::from_iter(dz.t().dot(x).iter().copied()));
    g.slice_mut(ndarray::s![m * d..m * d + m]).assign(&dz.sum_axis(Axis(0)));
    g.slice_mut(ndarray::s![m * d + m..]).assign(&(h.t().dot(c) * net.scale));
    g
}

/// What [`DeepBsde::train`] records: the loss and $Y_0$ before each step and after the last.
#[derive(Clone, Debug, PartialEq)]
pub struct BsdeHistory {
    /// The batch loss $\frac1M\sum_p|Y_N^p - g(X_N^p)|^2$.
    pub loss: Vec<f64>,
    /// $Y_0$.
    pub y0: Vec<f64>,
}

/// The deep BSDE solver for a European call under Black–Scholes; see the module docs.
///
/// # Examples
/// ```
/// use course::pde::DeepBsde;
/// let bsde = DeepBsde::new(100.0, 100.0, 0.05, 0.2, 1.0, 20, 16, 0);
/// assert_eq!(bsde.y0, 0.0);
/// // At S0 the network's input is (t/T, 0); Z = σ S0 N(0, 0).
/// assert!((bsde.z(0.0, 100.0) - 0.2 * 100.0 * bsde.net.forward(&[0.0, 0.0])).abs() < 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct DeepBsde {
    /// $S_0$.
    pub s0: f64,
    /// $K$.
    pub strike: f64,
    /// The interest rate $r$.
    pub r: f64,
    /// The volatility $\sigma$.
    pub sigma: f64,
    /// $T$.
    pub t_end: f64,
    /// $N$, the number of Euler steps.
    pub n_steps: usize,
    /// The trainable initial value $Y_0$ (the price).
    pub y0: f64,
    /// The hedge-ratio network $N_\theta(s, \xi)$.
    pub net: TwoLayer,
}

impl DeepBsde {
    /// A solver with $Y_0 = 0$ and a tanh network of `width` units (seed `seed`).
    ///
    /// # Panics
    /// If a price parameter is not positive or `n_steps == 0`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64, n_steps: usize, width: usize, seed: u64) -> Self {
        for (name, v) in [("s0", s0), ("strike", strike), ("sigma", sigma), ("t_end", t_end)] {
            assert!(v.is_finite() && v > 0.0, "DeepBsde::new: {name} must be > 0, got {v}");
        }
        assert!(n_steps > 0, "DeepBsde::new: n_steps must be > 0, got 0");
        let net = TwoLayer::new(2, width, Activation::Tanh, Scaling::Standard, &mut crate::rng::seeded(seed));
        DeepBsde { s0, strike, r, sigma, t_end, n_steps, y0: 0.0, net }
    }

    fn features(&self, t: f64, x: f64) -> [f64; 2] {
        [t / self.t_end, (x / self.s0).ln() / (self.sigma * self.t_end.sqrt())]
    }

    /// The learned hedge $Z = \sigma x\,N_\theta(t/T, \ln(x/S_0)/(\sigma\sqrt T))$.
    pub fn z(&self, t: f64, x: f64) -> f64 {
        self.sigma * x * self.net.forward(&self.features(t, x))
    }

    /// The learned hedge ratio $N_\theta$, an approximation of the delta $\partial_xu(t, x)$.
    pub fn hedge_ratio(&self, t: f64, x: f64) -> f64 {
        self.net.forward(&self.features(t, x))
    }

    fn payoff(&self, x: f64) -> f64 {
        (x - self.strike).max(0.0)
    }

    /// The loss on the Brownian increments `dw` (`batch × n_steps`) and its gradient in
    /// $(Y_0, \theta)$ (entry 0 is $\partial L/\partial Y_0$, then `net.params()` order).
    ///
    /// # Panics
    /// If `dw` has the wrong number of columns or no rows.
    ///
    /// # Examples
    /// ```
    /// use course::pde::DeepBsde;
    /// use ndarray::Array2;
    /// let mut bsde = DeepBsde::new(100.0, 100.0, 0.05, 0.2, 1.0, 4, 3, 1);
    /// let dw = Array2::from_shape_fn((8, 4), |(p, n)| 0.1 * ((p * 4 + n) as f64).sin());
    /// let (l, g) = bsde.loss_grad(&dw);
    /// bsde.y0 += 1e-6;
    /// assert!(((bsde.loss_grad(&dw).0 - l) / 1e-6 - g[0]).abs() < 1e-4);
    /// ```
    pub fn loss_grad(&self, dw: &Array2<f64>) -> (f64, Array1<f64>) {
        let (batch, n) = dw.dim();
        assert!(batch > 0, "DeepBsde::loss_grad: dw needs at least one path");
        assert_eq!(n, self.n_steps, "DeepBsde::loss_grad: dw must have n_steps = {} columns, got {n}", self.n_steps);
        let dt = self.t_end / n as f64;
        let growth = 1.0 + self.r * dt;
        // Forward: X paths, features and Z at every step.
        let mut x = Array2::zeros((batch, n + 1));
        x.column_mut(0).fill(self.s0);
        let mut y = Array1::from_elem(batch, self.y0);
        let mut feats = Vec::with_capacity(n);
        let xi_scale = 1.0 / (self.sigma * self.t_end.sqrt());
        for k in 0..n {
            let s = k as f64 / n as f64;
            let mut f = Array2::from_elem((batch, 2), s);
            for p in 0..batch {
                f[[p, 1]] = (x[[p, k]] / self.s0).ln() * xi_scale;
            }
            let (h, hp) = hidden_and_slope(&self.net, &f);
            let ratio = h.dot(&self.net.a) * self.net.scale;
            for p in 0..batch {
                let xk = x[[p, k]];
                y[p] = growth * y[p] + self.sigma * xk * ratio[p] * dw[[p, k]];
                x[[p, k + 1]] = xk * (growth + self.sigma * dw[[p, k]]);
            }
            feats.push((f, h, hp));
        }
        let e = Array1::from_shape_fn(batch, |p| y[p] - self.payoff(x[[p, n]]));
        let loss = e.dot(&e) / batch as f64;
        // Backward: ∂L/∂Y_{k+1} = (2e/M) growth^{N-1-k}; ∂Y_{k+1}/∂N = σ X_k ΔW_k.
        let mut g = Array1::zeros(1 + self.net.n_params());
        g[0] = 2.0 * e.sum() / batch as f64 * growth.powi(n as i32);
        let mut gt = g.slice_mut(ndarray::s![1..]);
        for (k, (f, h, hp)) in feats.iter().enumerate() {
            let factor = 2.0 / batch as f64 * growth.powi((n - 1 - k) as i32);
            let c = Array1::from_shape_fn(batch, |p| factor * e[p] * self.sigma * x[[p, k]] * dw[[p, k]]);
            gt += &batch_vjp(&self.net, f, h, hp, &c);
        }
        (loss, g)
    }

    /// `n_iter` Adam steps, each on a fresh batch of `batch` paths drawn from `rng`; the step
    /// decays geometrically from `lr` to `lr/100`, and Adam acts on $(Y_0/S_0, \theta)$ so that one
    /// step size suits both.
    ///
    /// # Panics
    /// If `lr <= 0` or `batch == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::{call_price, DeepBsde};
    /// let mut bsde = DeepBsde::new(100.0, 100.0, 0.05, 0.2, 1.0, 10, 8, 2);
    /// let h = bsde.train(64, 0.02, 300, &mut course::rng::seeded(2));
    /// assert!((h.y0[300] - call_price(100.0, 100.0, 0.05, 0.2, 1.0)).abs() < 1.0);
    /// ```
    pub fn train(&mut self, batch: usize, lr: f64, n_iter: usize, rng: &mut impl Rng) -> BsdeHistory {
        assert!(lr.is_finite() && lr > 0.0, "DeepBsde::train: lr must be > 0, got {lr}");
        assert!(batch > 0, "DeepBsde::train: batch must be > 0, got 0");
        let sd = (self.t_end / self.n_steps as f64).sqrt();
        let draw = |rng: &mut _| Array2::from_shape_fn((batch, self.n_steps), |_| sd * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng));
        let mut state = AdamState::new(1 + self.net.n_params(), 0.9, 0.999);
        let mut theta = self.net.params();
        let mut history = BsdeHistory { loss: Vec::with_capacity(n_iter + 1), y0: Vec::with_capacity(n_iter + 1) };
        for k in 0..n_iter {
            let dw = draw(rng);
            let (loss, mut g) = self.loss_grad(&dw);
            history.loss.push(loss);
            history.y0.push(self.y0);
            g[0] *= self.s0; // d/d(Y0/S0)
            let step = lr * 0.01f64.powf(k as f64 / n_iter as f64);
            let d = state.update(&g);
            self.y0 -= step * d[0] * self.s0;
            theta.scaled_add(-step, &d.slice(ndarray::s![1..]));
            self.net.set_params(&theta);
        }
        let dw = draw(rng);
        history.loss.push(self.loss_grad(&dw).0);
        history.y0.push(self.y0);
        history
    }

    /// Monte Carlo estimate of the exact minimizer $Y_0^* = (1 + r\Delta t)^{-N}\mathbb E\,g(X_N)$ over
    /// Euler paths (the price the method converges to at this $N$): (estimate, standard error).
    ///
    /// # Panics
    /// If `n_samples < 2`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::{call_price, DeepBsde};
    /// let bsde = DeepBsde::new(100.0, 100.0, 0.05, 0.2, 1.0, 50, 4, 0);
    /// let (est, se) = bsde.euler_price(50_000, &mut course::rng::seeded(3));
    /// assert!((est - call_price(100.0, 100.0, 0.05, 0.2, 1.0)).abs() < 4.0 * se + 0.05);
    /// ```
    pub fn euler_price(&self, n_samples: usize, rng: &mut impl Rng) -> (f64, f64) {
        assert!(n_samples >= 2, "DeepBsde::euler_price: n_samples must be >= 2, got {n_samples}");
        let dt = self.t_end / self.n_steps as f64;
        let growth = 1.0 + self.r * dt;
        let sd = dt.sqrt();
        let disc = growth.powi(-(self.n_steps as i32));
        let payoffs: Vec<f64> = (0..n_samples)
            .map(|_| {
                let mut x = self.s0;
                for _ in 0..self.n_steps {
                    let z: f64 = StandardNormal.sample(rng);
                    x *= growth + self.sigma * sd * z;
                }
                disc * self.payoff(x)
            })
            .collect();
        (crate::stats::mean(&payoffs), (crate::stats::variance(&payoffs) / n_samples as f64).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_vjp_matches_the_per_point_gradient() {
        let net = TwoLayer::new(2, 5, Activation::Tanh, Scaling::Standard, &mut crate::rng::seeded(1));
        let x = ndarray::array![[0.1, 0.5], [-0.3, 1.2], [0.9, -0.4]];
        let c = ndarray::array![0.7, -1.1, 0.4];
        let (h, hp) = hidden_and_slope(&net, &x);
        let g = batch_vjp(&net, &x, &h, &hp, &c);
        let mut expect = Array1::zeros(net.n_params());
        for k in 0..3 {
            expect.scaled_add(c[k], &net.grad_params(&x.row(k).to_vec()));
        }
        assert!((&g - &expect).mapv(f64::abs).sum() < 1e-12);
    }

    #[test]
    fn gradient_matches_central_differences() {
        let bsde = DeepBsde::new(100.0, 95.0, 0.03, 0.3, 1.0, 5, 4, 2);
        let dw = Array2::from_shape_fn((16, 5), |(p, n)| 0.3 * ((7 * p + 3 * n) as f64).sin());
        let (_, g) = bsde.loss_grad(&dw);
        let h = 1e-6;
        let theta = bsde.net.params();
        for i in 0..theta.len() {
            let (mut plus, mut minus) = (bsde.clone(), bsde.clone());
            let (mut tp, mut tm) = (theta.clone(), theta.clone());
            tp[i] += h;
            tm[i] -= h;
            plus.net.set_params(&tp);
            minus.net.set_params(&tm);
            let fd = (plus.loss_grad(&dw).0 - minus.loss_grad(&dw).0) / (2.0 * h);
            assert!((g[i + 1] - fd).abs() < 1e-6 * (1.0 + fd.abs()), "param {i}: {} vs {fd}", g[i + 1]);
        }
    }

    #[test]
    fn trained_y0_is_within_two_percent_of_black_scholes_on_five_seeds() {
        let exact = super::super::call_price(100.0, 100.0, 0.05, 0.2, 1.0);
        for seed in 0..5 {
            let mut bsde = DeepBsde::new(100.0, 100.0, 0.05, 0.2, 1.0, 20, 16, seed);
            let h = bsde.train(256, 0.02, 600, &mut crate::rng::seeded(100 + seed));
            let rel = (h.y0[600] - exact).abs() / exact;
            assert!(rel < 0.02, "seed {seed}: Y0 = {} vs {exact} ({rel})", h.y0[600]);
        }
    }
}
