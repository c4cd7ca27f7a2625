//! Euler–Maruyama: $X_{k+1} = X_k + \mu(t_k, X_k)\,\Delta t + \sigma(t_k, X_k)\,\sqrt{\Delta t}\,Z_k$,
//! $Z_k \sim \mathcal N(0,1)$ independent; strong order 1/2, weak order 1.
//!
//! ## Reference
//! P. E. Kloeden & E. Platen, *Numerical Solution of Stochastic Differential Equations* (1992),
//! §9.1 and §10.2; D. J. Higham (2001), *An algorithmic introduction to numerical simulation of
//! stochastic differential equations*, SIAM Review 43(3).
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb.

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// A scalar SDE $dX = \mu(t,X)\,dt + \sigma(t,X)\,dW$.
pub trait ScalarSde {
    /// The drift $\mu(t, x)$.
    fn drift(&self, t: f64, x: f64) -> f64;
    /// The diffusion coefficient $\sigma(t, x)$.
    fn diffusion(&self, t: f64, x: f64) -> f64;
    /// $\partial_x\sigma(t, x)$, needed by Milstein. The default is a central difference with
    /// step $10^{-6}\max(1, |x|)$ (error $\approx 10^{-12}$ for smooth $\sigma$); override it
    /// when the derivative is known.
    fn diffusion_dx(&self, t: f64, x: f64) -> f64 {
        let h = 1e-6 * x.abs().max(1.0);
        (self.diffusion(t, x + h) - self.diffusion(t, x - h)) / (2.0 * h)
    }
}

/// An SDE from two plain functions (notebook `fn` items work; closures do not persist between
/// kernel cells).
#[derive(Clone, Copy, Debug)]
pub struct FnSde {
    pub drift: fn(f64, f64) -> f64,
    pub diffusion: fn(f64, f64) -> f64,
}

impl ScalarSde for FnSde {
    fn drift(&self, t: f64, x: f64) -> f64 {
        (self.drift)(t, x)
    }
    fn diffusion(&self, t: f64, x: f64) -> f64 {
        (self.diffusion)(t, x)
    }
}

/// Geometric Brownian motion $dX = \mu X\,dt + \sigma X\,dW$: $X_t = X_0 e^{(\mu-\sigma^2/2)t+\sigma W_t}$,
/// $\mathbb E X_t = X_0 e^{\mu t}$.
#[derive(Clone, Copy, Debug)]
pub struct GeometricBrownianMotion {
    pub mu: f64,
    pub sigma: f64,
}

impl ScalarSde for GeometricBrownianMotion {
    fn drift(&self, _t: f64, x: f64) -> f64 {
        self.mu * x
    }
    fn diffusion(&self, _t: f64, x: f64) -> f64 {
        self.sigma * x
    }
    fn diffusion_dx(&self, _t: f64, _x: f64) -> f64 {
        self.sigma
    }
}

impl GeometricBrownianMotion {
    /// $\mathbb E X_t = x_0 e^{\mu t}$.
    pub fn mean(&self, x0: f64, t: f64) -> f64 {
        x0 * (self.mu * t).exp()
    }
    /// $\operatorname{Var} X_t = x_0^2 e^{2\mu t}(e^{\sigma^2 t} - 1)$.
    pub fn variance(&self, x0: f64, t: f64) -> f64 {
        x0 * x0 * (2.0 * self.mu * t).exp() * ((self.sigma * self.sigma * t).exp() - 1.0)
    }
    /// The exact solution driven by the Brownian value $W_t$ = `w_t`:
    /// $X_t = x_0\exp\big((\mu - \sigma^2/2)t + \sigma W_t\big)$ (Itô's formula on $\log X$).
    ///
    /// # Examples
    /// ```
    /// use course::stochastic::GeometricBrownianMotion;
    /// let g = GeometricBrownianMotion { mu: 0.5, sigma: 1.0 };
    /// assert_eq!(g.exact(2.0, 1.0, 0.0), 2.0); // (μ − σ²/2) t = 0
    /// ```
    pub fn exact(&self, x0: f64, t: f64, w_t: f64) -> f64 {
        x0 * ((self.mu - 0.5 * self.sigma * self.sigma) * t + self.sigma * w_t).exp()
    }
}

/// Ornstein–Uhlenbeck $dX = -\theta X\,dt + \sigma\,dW$: Gaussian with mean $x_0e^{-\theta t}$ and
/// variance $\frac{\sigma^2}{2\theta}(1-e^{-2\theta t})$.
#[derive(Clone, Copy, Debug)]
pub struct OrnsteinUhlenbeck {
    pub theta: f64,
    pub sigma: f64,
}

impl ScalarSde for OrnsteinUhlenbeck {
    fn drift(&self, _t: f64, x: f64) -> f64 {
        -self.theta * x
    }
    fn diffusion(&self, _t: f64, _x: f64) -> f64 {
        self.sigma
    }
    fn diffusion_dx(&self, _t: f64, _x: f64) -> f64 {
        0.0
    }
}

impl OrnsteinUhlenbeck {
    /// $\mathbb E X_t = x_0 e^{-\theta t}$.
    pub fn mean(&self, x0: f64, t: f64) -> f64 {
        x0 * (-self.theta * t).exp()
    }
    /// $\operatorname{Var} X_t = \frac{\sigma^2}{2\theta}(1 - e^{-2\theta t})$.
    pub fn variance(&self, t: f64) -> f64 {
        self.sigma * self.sigma / (2.0 * self.theta) * (1.0 - (-2.0 * self.theta * t).exp())
    }
}

fn check_args(t_end: f64, n_steps: usize, n_paths: usize) {
    assert!(t_end > 0.0 && t_end.is_finite(), "t_end must be > 0, got {t_end}");
    assert!(n_steps > 0, "n_steps must be > 0");
    assert!(n_paths > 0, "n_paths must be > 0");
}

/// $X_{T}$ on `n_paths` independent paths of `n_steps` Euler–Maruyama steps from `x0` to
/// `t_end` (memory: one number per path).
///
/// # Panics
/// If `t_end <= 0`, `n_steps == 0` or `n_paths == 0`.
///
/// # Examples
/// ```
/// use course::stochastic::{OrnsteinUhlenbeck, euler_maruyama_terminal};
/// let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 };
/// let x = euler_maruyama_terminal(&ou, 2.0, 1.0, 200, 20_000, &mut course::rng::seeded(0));
/// let mean = x.iter().sum::<f64>() / x.len() as f64;
/// // exact mean 2e^{-1} = 0.7358; standard error ≈ 0.0066
/// assert!((mean - 2.0 * (-1.0f64).exp()).abs() < 0.03);
/// ```
pub fn euler_maruyama_terminal(sde: &impl ScalarSde, x0: f64, t_end: f64, n_steps: usize, n_paths: usize, rng: &mut impl Rng) -> Vec<f64> {
    check_args(t_end, n_steps, n_paths);
    let dt = t_end / n_steps as f64;
    let sqdt = dt.sqrt();
    let mut x = vec![x0; n_paths];
    for k in 0..n_steps {
        let t = k as f64 * dt;
        for xi in x.iter_mut() {
            let z: f64 = StandardNormal.sample(rng);
            *xi += sde.drift(t, *xi) * dt + sde.diffusion(t, *xi) * sqdt * z;
        }
    }
    x
}

/// $X_T$ by Euler–Maruyama driven by given Brownian increments: row $i$ of `dw`
/// (`n_paths × n_steps`, each entry $\sim\mathcal N(0, \Delta t)$) drives path $i$, with
/// $\Delta t$ = `t_end / n_steps`. Sharing `dw` with an exact solution or another scheme gives
/// a strong (pathwise) comparison.
///
/// # Panics
/// If `t_end <= 0` or `dw` has no column.
///
/// # Examples
/// ```
/// use course::stochastic::{GeometricBrownianMotion, euler_maruyama_from_increments};
/// let g = GeometricBrownianMotion { mu: 1.0, sigma: 0.0 };
/// let dw = course::ndarray::Array2::zeros((1, 10));
/// let x = euler_maruyama_from_increments(&g, 1.0, 1.0, &dw);
/// assert!((x[0] - 1.1f64.powi(10)).abs() < 1e-12); // σ = 0: Euler's method for x' = x
/// ```
pub fn euler_maruyama_from_increments(sde: &dyn ScalarSde, x0: f64, t_end: f64, dw: &Array2<f64>) -> Vec<f64> {
    check_args(t_end, dw.ncols(), dw.nrows().max(1));
    let dt = t_end / dw.ncols() as f64;
    dw.rows()
        .into_iter()
        .map(|row| {
            let mut x = x0;
            for (k, d) in row.iter().enumerate() {
                let t = k as f64 * dt;
                x += sde.drift(t, x) * dt + sde.diffusion(t, x) * d;
            }
            x
        })
        .collect()
}

/// Whole paths: row $i$ is path $i$ at $t_0 = 0, t_1, \dots, t_{n} = $ `t_end`
/// (`n_paths × (n_steps + 1)`).
///
/// # Panics
/// As [`euler_maruyama_terminal`].
///
/// # Examples
/// ```
/// use course::stochastic::{FnSde, euler_maruyama_paths};
/// fn zero(_t: f64, _x: f64) -> f64 { 0.0 }
/// fn one(_t: f64, _x: f64) -> f64 { 1.0 }
/// let bm = FnSde { drift: zero, diffusion: one }; // Brownian motion
/// let w = euler_maruyama_paths(&bm, 0.0, 1.0, 100, 5_000, &mut course::rng::seeded(1));
/// assert_eq!(w.dim(), (5_000, 101));
/// let var = w.column(100).mapv(|v| v * v).mean().unwrap(); // Var W_1 = 1
/// assert!((var - 1.0).abs() < 0.06);
/// ```
pub fn euler_maruyama_paths(sde: &impl ScalarSde, x0: f64, t_end: f64, n_steps: usize, n_paths: usize, rng: &mut impl Rng) -> Array2<f64> {
    check_args(t_end, n_steps, n_paths);
    let dt = t_end / n_steps as f64;
    let sqdt = dt.sqrt();
    let mut paths = Array2::zeros((n_paths, n_steps + 1));
    for mut row in paths.rows_mut() {
        let mut x = x0;
        row[0] = x;
        for k in 0..n_steps {
            let z: f64 = StandardNormal.sample(rng);
            x += sde.drift(k as f64 * dt, x) * dt + sde.diffusion(k as f64 * dt, x) * sqdt * z;
            row[k + 1] = x;
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    fn mean_var(x: &[f64]) -> (f64, f64) {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        (m, x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64)
    }

    #[test]
    fn ou_matches_its_exact_gaussian_moments() {
        // EM on OU with small dt: mean and variance within 4 standard errors of the exact values
        // (plus the O(dt) weak bias, ≈ 1e-3 here).
        let ou = OrnsteinUhlenbeck { theta: 2.0, sigma: 0.5 };
        let n = 40_000;
        let x = euler_maruyama_terminal(&ou, 1.0, 1.0, 400, n, &mut seeded(3));
        let (m, v) = mean_var(&x);
        let (m0, v0) = (ou.mean(1.0, 1.0), ou.variance(1.0));
        assert!((m - m0).abs() < 4.0 * (v0 / n as f64).sqrt() + 2e-3, "mean {m} vs {m0}");
        assert!((v - v0).abs() < 4.0 * v0 * (2.0 / n as f64).sqrt() + 2e-3, "variance {v} vs {v0}");
    }

    #[test]
    fn weak_error_of_gbm_mean_is_first_order() {
        // For GBM, E[X_N] under EM is exactly x0 (1 + mu dt)^N (the noise has mean zero), so the
        // weak error of the mean is x0 |e^{mu T} - (1+mu dt)^N| = O(dt): halving dt halves it.
        // Check the identity by simulation with the same driving noise, then the order in closed form.
        let g = GeometricBrownianMotion { mu: 1.0, sigma: 0.3 };
        let n = 200_000;
        let x = euler_maruyama_terminal(&g, 1.0, 1.0, 10, n, &mut seeded(4));
        let (m, v) = mean_var(&x);
        let em_mean = (1.0f64 + 0.1).powi(10);
        assert!((m - em_mean).abs() < 4.0 * (v / n as f64).sqrt(), "{m} vs {em_mean}");
        let err = |steps: i32| (g.mean(1.0, 1.0) - (1.0 + 1.0 / steps as f64).powi(steps)).abs();
        let order = (err(100) / err(200)).log2();
        assert!((order - 1.0).abs() < 0.02, "weak order {order}");
    }

    #[test]
    fn paths_and_terminal_agree_on_the_same_stream() {
        // Same seed, one path: the last column of the path equals the terminal value.
        let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 };
        let p = euler_maruyama_paths(&ou, 0.5, 2.0, 50, 1, &mut seeded(9));
        let t = euler_maruyama_terminal(&ou, 0.5, 2.0, 50, 1, &mut seeded(9));
        assert_eq!(p[[0, 50]], t[0]);
        assert_eq!(p[[0, 0]], 0.5);
    }

    #[test]
    #[should_panic(expected = "t_end must be > 0, got -1")]
    fn rejects_negative_horizon() {
        euler_maruyama_terminal(&OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 }, 0.0, -1.0, 10, 10, &mut seeded(0));
    }
}
