//! The Milstein scheme: Euler–Maruyama plus the Itô correction of the diffusion term.
//!
//! $$X_{k+1} = X_k + \mu\,\Delta t + \sigma\,\Delta W_k + \tfrac12\,\sigma\,\partial_x\sigma\,
//! \big((\Delta W_k)^2 - \Delta t\big),$$
//! coefficients at $(t_k, X_k)$. The extra term comes from Itô-expanding $\sigma(X_s)$ over the
//! step, $\int\!\!\int dW\,dW = \tfrac12(\Delta W^2 - \Delta t)$; it raises the strong order from ½
//! to 1 for scalar SDEs. It has mean zero, so the weak order stays 1.
//!
//! ## Reference
//! G. N. Milstein (1974); P. E. Kloeden & E. Platen (1992), §10.3; D. J. Higham (2001), SIAM
//! Review 43(3), §7.
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb.

use super::ScalarSde;
use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// One Milstein step from `x` at time `t` with step `dt` and Brownian increment `dw`.
///
/// # Examples
/// ```
/// use course::stochastic::{GeometricBrownianMotion, milstein_step};
/// let g = GeometricBrownianMotion { mu: 0.0, sigma: 1.0 };
/// // x + σ x dW + ½ σ² x (dW² − dt) = 1 + 0.5 + ½ (0.25 − 0.01)
/// assert!((milstein_step(&g, 0.0, 1.0, 0.01, 0.5) - 1.62).abs() < 1e-12);
/// ```
pub fn milstein_step(sde: &dyn ScalarSde, t: f64, x: f64, dt: f64, dw: f64) -> f64 {
    let s = sde.diffusion(t, x);
    x + sde.drift(t, x) * dt + s * dw + 0.5 * s * sde.diffusion_dx(t, x) * (dw * dw - dt)
}

/// $X_T$ by Milstein driven by given Brownian increments (`n_paths × n_steps`, entries
/// $\sim\mathcal N(0,\Delta t)$, $\Delta t$ = `t_end / n_steps`).
///
/// # Panics
/// If `t_end <= 0` or `dw` has no column.
///
/// # Examples
/// ```
/// use course::stochastic::{OrnsteinUhlenbeck, euler_maruyama_from_increments, milstein_from_increments};
/// // additive noise (σ' = 0): Milstein is Euler–Maruyama
/// let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 0.5 };
/// let dw = course::stochastic::brownian_increments(3, 20, 1.0, &mut course::rng::seeded(0));
/// let (a, b) = (milstein_from_increments(&ou, 1.0, 1.0, &dw), euler_maruyama_from_increments(&ou, 1.0, 1.0, &dw));
/// assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-14)); // equal up to rounding
/// ```
pub fn milstein_from_increments(sde: &dyn ScalarSde, x0: f64, t_end: f64, dw: &Array2<f64>) -> Vec<f64> {
    assert!(t_end > 0.0 && t_end.is_finite(), "t_end must be > 0, got {t_end}");
    assert!(dw.ncols() > 0, "n_steps must be > 0");
    let dt = t_end / dw.ncols() as f64;
    dw.rows()
        .into_iter()
        .map(|row| {
            let mut x = x0;
            for (k, &d) in row.iter().enumerate() {
                x = milstein_step(sde, k as f64 * dt, x, dt, d);
            }
            x
        })
        .collect()
}

/// $X_T$ on `n_paths` independent Milstein paths of `n_steps` steps.
///
/// # Panics
/// If `t_end <= 0`, `n_steps == 0` or `n_paths == 0`.
///
/// # Examples
/// ```
/// use course::stochastic::{GeometricBrownianMotion, milstein_terminal};
/// let g = GeometricBrownianMotion { mu: 0.5, sigma: 0.4 };
/// let x = milstein_terminal(&g, 1.0, 1.0, 50, 20_000, &mut course::rng::seeded(4));
/// let m = x.iter().sum::<f64>() / x.len() as f64;
/// // E X_1 = e^{0.5} = 1.6487 (up to the O(Δt) bias ≈ 0.008); sd ≈ 0.69, se ≈ 0.005
/// assert!((m - 0.5f64.exp()).abs() < 0.03);
/// ```
pub fn milstein_terminal(sde: &dyn ScalarSde, x0: f64, t_end: f64, n_steps: usize, n_paths: usize, rng: &mut impl Rng) -> Vec<f64> {
    assert!(n_paths > 0, "n_paths must be > 0");
    let dw = super::brownian_increments(n_paths, n_steps, t_end, rng);
    milstein_from_increments(sde, x0, t_end, &dw)
}

/// Whole Milstein paths, `n_paths × (n_steps + 1)`, column 0 = `x0`.
///
/// # Panics
/// If `t_end <= 0`, `n_steps == 0` or `n_paths == 0`.
///
/// # Examples
/// ```
/// use course::stochastic::{GeometricBrownianMotion, milstein_paths};
/// let p = milstein_paths(&GeometricBrownianMotion { mu: 0.1, sigma: 0.2 }, 1.0, 1.0, 10, 3, &mut course::rng::seeded(0));
/// assert_eq!(p.dim(), (3, 11));
/// assert_eq!(p[[2, 0]], 1.0);
/// ```
pub fn milstein_paths(sde: &dyn ScalarSde, x0: f64, t_end: f64, n_steps: usize, n_paths: usize, rng: &mut impl Rng) -> Array2<f64> {
    assert!(t_end > 0.0 && t_end.is_finite(), "t_end must be > 0, got {t_end}");
    assert!(n_steps > 0 && n_paths > 0, "n_steps and n_paths must be > 0");
    let dt = t_end / n_steps as f64;
    let sq = dt.sqrt();
    let mut out = Array2::zeros((n_paths, n_steps + 1));
    for mut row in out.rows_mut() {
        let mut x = x0;
        row[0] = x;
        for k in 0..n_steps {
            let z: f64 = StandardNormal.sample(rng);
            x = milstein_step(sde, k as f64 * dt, x, dt, sq * z);
            row[k + 1] = x;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use crate::stochastic::{FnSde, GeometricBrownianMotion};

    #[test]
    fn finite_difference_derivative_matches_the_exact_one() {
        fn mu(_t: f64, x: f64) -> f64 { 0.3 * x }
        fn sig(_t: f64, x: f64) -> f64 { 0.7 * x }
        let f = FnSde { drift: mu, diffusion: sig };
        let g = GeometricBrownianMotion { mu: 0.3, sigma: 0.7 };
        let dw = crate::stochastic::brownian_increments(50, 64, 1.0, &mut seeded(2));
        let (a, b) = (milstein_from_increments(&f, 1.0, 1.0, &dw), milstein_from_increments(&g, 1.0, 1.0, &dw));
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-8 * y.abs().max(1.0));
        }
    }

    #[test]
    fn milstein_on_gbm_is_much_closer_to_the_exact_path_than_euler() {
        let g = GeometricBrownianMotion { mu: 1.0, sigma: 1.0 };
        let dw = crate::stochastic::brownian_increments(2000, 256, 1.0, &mut seeded(3));
        let exact: Vec<f64> = dw.rows().into_iter().map(|r| g.exact(1.0, 1.0, r.sum())).collect();
        let err = |x: &[f64]| x.iter().zip(&exact).map(|(a, b)| (a - b).abs()).sum::<f64>() / x.len() as f64;
        let em = err(&crate::stochastic::euler_maruyama_from_increments(&g, 1.0, 1.0, &dw));
        let mil = err(&milstein_from_increments(&g, 1.0, 1.0, &dw));
        assert!(mil * 5.0 < em, "Milstein {mil}, EM {em}");
    }
}
