//! Black–Scholes: the closed-form price of a European option, its delta, Monte Carlo and the PDE.
//!
//! Under the risk-neutral measure the stock is a geometric Brownian motion
//! $dS = rS\,dt + \sigma S\,dW$, and the price of the payoff $g(S_T)$ is $V = e^{-rT}\,\mathbb E\,g(S_T)$.
//! For the call $g = (S - K)^+$,
//! $$C = S_0\,\Phi(d_1) - Ke^{-rT}\Phi(d_2),\qquad d_{1,2} = \frac{\ln(S_0/K) + (r\pm\sigma^2/2)T}{\sigma\sqrt T},$$
//! the put follows from **put–call parity** $C - P = S_0 - Ke^{-rT}$ and the delta is
//! $\partial C/\partial S_0 = \Phi(d_1)$. The price $V(t, S)$ also solves the Black–Scholes PDE
//! $$V_t + \tfrac12\sigma^2S^2V_{SS} + rSV_S - rV = 0,\qquad V(T, S) = g(S),$$
//! solved here by Crank–Nicolson in time-to-maturity on a truncated grid $[0, S_{\max}]$.
//!
//! ## Reference
//! F. Black & M. Scholes (1973), *The pricing of options and corporate liabilities*, J. Political
//! Economy; J. C. Hull, *Options, Futures, and Other Derivatives*, ch. 15; P. Glasserman, *Monte
//! Carlo Methods in Financial Engineering* (2003), §1.1.
//!
//! Used in notebooks/26-deep-learning-for-dynamical-systems.ipynb.

use crate::rng::Rng;
use rand_distr::{Distribution, StandardNormal};

/// The standard normal distribution function $\Phi(x)$ (via a Chebyshev fit of erfc, relative
/// error below $1.2\cdot10^{-7}$; Numerical Recipes §6.2).
///
/// # Examples
/// ```
/// use course::pde::norm_cdf;
/// assert!((norm_cdf(0.0) - 0.5).abs() < 1e-7);
/// assert!((norm_cdf(1.959964) - 0.975).abs() < 1e-7);
/// assert!((norm_cdf(-1.0) + norm_cdf(1.0) - 1.0).abs() < 1e-12);
/// ```
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06 + t * (0.278_868_07 + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let ans = t * poly.exp();
    if x >= 0.0 { ans } else { 2.0 - ans }
}

fn d1_d2(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64) -> (f64, f64) {
    assert!(s0.is_finite() && s0 > 0.0, "Black–Scholes: s0 must be > 0, got {s0}");
    assert!(strike.is_finite() && strike > 0.0, "Black–Scholes: strike must be > 0, got {strike}");
    assert!(sigma.is_finite() && sigma > 0.0, "Black–Scholes: sigma must be > 0, got {sigma}");
    assert!(t_end.is_finite() && t_end > 0.0, "Black–Scholes: t_end must be > 0, got {t_end}");
    assert!(r.is_finite(), "Black–Scholes: r must be finite, got {r}");
    let sd = sigma * t_end.sqrt();
    let d1 = ((s0 / strike).ln() + (r + 0.5 * sigma * sigma) * t_end) / sd;
    (d1, d1 - sd)
}

/// The Black–Scholes price of a European call, $S_0\Phi(d_1) - Ke^{-rT}\Phi(d_2)$.
///
/// # Panics
/// If `s0`, `strike`, `sigma` or `t_end` is not positive.
///
/// # Examples
/// ```
/// // Hull's textbook case: S = K = 100, r = 5 %, σ = 20 %, one year.
/// let c = course::pde::call_price(100.0, 100.0, 0.05, 0.2, 1.0);
/// assert!((c - 10.4506).abs() < 1e-4);
/// ```
pub fn call_price(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64) -> f64 {
    let (d1, d2) = d1_d2(s0, strike, r, sigma, t_end);
    s0 * norm_cdf(d1) - strike * (-r * t_end).exp() * norm_cdf(d2)
}

/// The Black–Scholes price of a European put, $Ke^{-rT}\Phi(-d_2) - S_0\Phi(-d_1)$.
///
/// # Panics
/// As [`call_price`].
///
/// # Examples
/// ```
/// use course::pde::{call_price, put_price};
/// let (c, p) = (call_price(100.0, 90.0, 0.03, 0.3, 0.5), put_price(100.0, 90.0, 0.03, 0.3, 0.5));
/// assert!((c - p - (100.0 - 90.0 * (-0.03f64 * 0.5).exp())).abs() < 1e-6); // put–call parity
/// ```
pub fn put_price(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64) -> f64 {
    let (d1, d2) = d1_d2(s0, strike, r, sigma, t_end);
    strike * (-r * t_end).exp() * norm_cdf(-d2) - s0 * norm_cdf(-d1)
}

/// The delta of the call, $\partial C/\partial S_0 = \Phi(d_1)$.
///
/// # Panics
/// As [`call_price`].
///
/// # Examples
/// ```
/// use course::pde::{call_delta, call_price};
/// let h = 1e-3;
/// let fd = (call_price(100.0 + h, 100.0, 0.05, 0.2, 1.0) - call_price(100.0 - h, 100.0, 0.05, 0.2, 1.0)) / (2.0 * h);
/// assert!((call_delta(100.0, 100.0, 0.05, 0.2, 1.0) - fd).abs() < 1e-4);
/// ```
pub fn call_delta(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64) -> f64 {
    norm_cdf(d1_d2(s0, strike, r, sigma, t_end).0)
}

/// Monte Carlo price of the call from `n_samples` exact draws
/// $S_T = S_0e^{(r-\sigma^2/2)T + \sigma\sqrt T Z}$: returns (estimate, standard error).
///
/// # Panics
/// As [`call_price`], or if `n_samples < 2`.
///
/// # Examples
/// ```
/// use course::pde::{call_price, call_price_monte_carlo};
/// let (est, se) = call_price_monte_carlo(100.0, 100.0, 0.05, 0.2, 1.0, 20_000, &mut course::rng::seeded(1));
/// assert!((est - call_price(100.0, 100.0, 0.05, 0.2, 1.0)).abs() < 4.0 * se);
/// ```
pub fn call_price_monte_carlo(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64, n_samples: usize, rng: &mut impl Rng) -> (f64, f64) {
    d1_d2(s0, strike, r, sigma, t_end);
    assert!(n_samples >= 2, "call_price_monte_carlo: n_samples must be >= 2, got {n_samples}");
    let disc = (-r * t_end).exp();
    let (drift, sd) = ((r - 0.5 * sigma * sigma) * t_end, sigma * t_end.sqrt());
    let payoffs: Vec<f64> = (0..n_samples)
        .map(|_| {
            let z: f64 = StandardNormal.sample(rng);
            disc * (s0 * (drift + sd * z).exp() - strike).max(0.0)
        })
        .collect();
    let mean = crate::stats::mean(&payoffs);
    (mean, (crate::stats::variance(&payoffs) / n_samples as f64).sqrt())
}

/// The call price from the Black–Scholes PDE, Crank–Nicolson on `n_s` intervals of $[0, S_{\max}]$
/// and `n_steps` time steps, interpolated linearly at `s0`. Boundary values $V(0) = 0$,
/// $V(S_{\max}) = S_{\max} - Ke^{-r\tau}$.
///
/// # Panics
/// As [`call_price`], or if `s_max <= s0`, `n_s < 3` or `n_steps == 0`.
///
/// # Examples
/// ```
/// use course::pde::{call_price, call_price_fd};
/// let fd = call_price_fd(100.0, 100.0, 0.05, 0.2, 1.0, 400.0, 400, 200);
/// assert!((fd - call_price(100.0, 100.0, 0.05, 0.2, 1.0)).abs() < 5e-3);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn call_price_fd(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64, s_max: f64, n_s: usize, n_steps: usize) -> f64 {
    d1_d2(s0, strike, r, sigma, t_end);
    assert!(s_max > s0, "call_price_fd: s_max must be > s0 = {s0}, got {s_max}");
    assert!(n_s >= 3, "call_price_fd: n_s must be >= 3, got {n_s}");
    assert!(n_steps > 0, "call_price_fd: n_steps must be > 0, got 0");
    let ds = s_max / n_s as f64;
    let dt = t_end / n_steps as f64;
    let mut v: Vec<f64> = (0..=n_s).map(|i| (i as f64 * ds - strike).max(0.0)).collect();
    // L V_i = α_i V_{i-1} + β_i V_i + γ_i V_{i+1}, with S_i = i ds.
    let coeffs: Vec<(f64, f64, f64)> = (0..=n_s)
        .map(|i| {
            let (s2, s1) = (0.5 * sigma * sigma * (i * i) as f64, 0.5 * r * i as f64);
            (s2 - s1, -2.0 * s2 - r, s2 + s1)
        })
        .collect();
    for step in 1..=n_steps {
        let tau = step as f64 * dt;
        let right = s_max - strike * (-r * tau).exp();
        let m = n_s - 1;
        let (mut lo, mut di, mut up, mut rhs) = (vec![0.0; m], vec![0.0; m], vec![0.0; m], vec![0.0; m]);
        for k in 0..m {
            let i = k + 1;
            let (a, b, c) = coeffs[i];
            rhs[k] = v[i] + 0.5 * dt * (a * v[i - 1] + b * v[i] + c * v[i + 1]);
            lo[k] = -0.5 * dt * a;
            di[k] = 1.0 - 0.5 * dt * b;
            up[k] = -0.5 * dt * c;
        }
        rhs[m - 1] -= up[m - 1] * right; // V(0) = 0 contributes nothing
        let interior = thomas(&lo, &di, &up, &rhs);
        v[1..n_s].copy_from_slice(&interior);
        v[0] = 0.0;
        v[n_s] = right;
    }
    let pos = s0 / ds;
    let i = (pos.floor() as usize).min(n_s - 1);
    let w = pos - i as f64;
    (1.0 - w) * v[i] + w * v[i + 1]
}

fn thomas(lo: &[f64], di: &[f64], up: &[f64], rhs: &[f64]) -> Vec<f64> {
    let n = rhs.len();
    let (mut c, mut d) = (vec![0.0; n], vec![0.0; n]);
    c[0] = up[0] / di[0];
    d[0] = rhs[0] / di[0];
    for i in 1..n {
        let m = di[i] - lo[i] * c[i - 1];
        c[i] = up[i] / m;
        d[i] = (rhs[i] - lo[i] * d[i - 1]) / m;
    }
    let mut x = vec![0.0; n];
    x[n - 1] = d[n - 1];
    for i in (0..n - 1).rev() {
        x[i] = d[i] - c[i] * x[i + 1];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_cdf_matches_known_quantiles_and_symmetry() {
        for (x, p) in [(1.0, 0.841_344_746), (2.0, 0.977_249_868), (-0.5, 0.308_537_539), (3.0, 0.998_650_102)] {
            assert!((norm_cdf(x) - p).abs() < 1e-7, "Φ({x}): {} vs {p}", norm_cdf(x));
        }
        for &x in &[0.1, 0.7, 1.9, 4.2] {
            assert!((norm_cdf(x) + norm_cdf(-x) - 1.0).abs() < 1e-14);
        }
    }

    #[test]
    fn parity_delta_and_limits() {
        let (s, k, r, sig, t) = (110.0, 100.0, 0.02, 0.25, 2.0);
        let parity = call_price(s, k, r, sig, t) - put_price(s, k, r, sig, t) - (s - k * (-r * t).exp());
        assert!(parity.abs() < 1e-10);
        // Deep in the money the call is the forward, S - K e^{-rT}; far out of it, 0.
        assert!((call_price(1000.0, 100.0, r, sig, t) - (1000.0 - 100.0 * (-r * t).exp())).abs() < 1e-6);
        assert!(call_price(10.0, 100.0, r, sig, t) < 1e-8);
        let h = 1e-4;
        let fd = (call_price(s + h, k, r, sig, t) - call_price(s - h, k, r, sig, t)) / (2.0 * h);
        assert!((call_delta(s, k, r, sig, t) - fd).abs() < 1e-6);
    }

    #[test]
    fn monte_carlo_agrees_within_four_standard_errors_on_ten_seeds() {
        let exact = call_price(100.0, 105.0, 0.03, 0.3, 1.0);
        for seed in 0..10 {
            let (est, se) = call_price_monte_carlo(100.0, 105.0, 0.03, 0.3, 1.0, 20_000, &mut crate::rng::seeded(seed));
            assert!((est - exact).abs() < 4.0 * se, "seed {seed}: {est} ± {se} vs {exact}");
        }
    }

    #[test]
    fn pde_agrees_with_the_closed_form_and_converges() {
        let exact = call_price(100.0, 100.0, 0.05, 0.2, 1.0);
        let e1 = (call_price_fd(100.0, 100.0, 0.05, 0.2, 1.0, 400.0, 100, 100) - exact).abs();
        let e2 = (call_price_fd(100.0, 100.0, 0.05, 0.2, 1.0, 400.0, 200, 200) - exact).abs();
        assert!(e2 < 0.01 && e2 < e1 / 2.5, "{e1} {e2}");
    }
}
