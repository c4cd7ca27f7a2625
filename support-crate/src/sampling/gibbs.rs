//! Gibbs sampling: update one block at a time from its exact conditional distribution.
//!
//! A systematic-scan sweep draws $x_1\sim\pi(x_1\mid x_2)$, then $x_2\sim\pi(x_2\mid x_1)$; each
//! update leaves $\pi$ invariant, so the sweep does too, and nothing is ever rejected. For the
//! 2-D Gaussian with correlation $\rho$,
//! $$x_1\mid x_2\sim\mathcal N(\rho x_2, 1-\rho^2),$$
//! and the $x_1$-chain is AR(1) with coefficient $\rho^2$: $\tau=(1+\rho^2)/(1-\rho^2)$, which
//! blows up as $|\rho|\to1$. For the bimodal mixture, Gibbs runs on the *augmented* pair
//! (component label $z$, point $x$): $z\mid x$ is a coin with the responsibilities as odds,
//! $x\mid z$ a Gaussian — the latent-variable view of notebook 19.
//!
//! ## Reference
//! S. Geman & D. Geman (1984), *Stochastic relaxation, Gibbs distributions, and the Bayesian
//! restoration of images*; Robert & Casella, *Monte Carlo Statistical Methods*, ch. 9–10.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use super::{Banana, Bimodal, Chain};
use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

fn check_x0(x0: &[f64]) {
    assert!(x0.len() == 2, "x0 must have 2 coordinates, got {}", x0.len());
}

/// `n_steps` systematic-scan sweeps for the 2-D Gaussian with unit variances and correlation
/// `rho`, from `x0`; one row of `states` per sweep.
///
/// # Panics
/// Unless `|rho| < 1` and `x0` has 2 coordinates.
///
/// # Examples
/// ```
/// let c = course::sampling::gibbs_gaussian_2d(0.5, &[0.0, 0.0], 50_000, &mut course::rng::seeded(0));
/// let s = &c.states;
/// let cov: f64 = s.column(0).dot(&s.column(1)) / 50_000.0;
/// assert!((cov - 0.5).abs() < 0.03);
/// assert_eq!(c.acceptance, 1.0); // Gibbs never rejects
/// ```
pub fn gibbs_gaussian_2d(rho: f64, x0: &[f64], n_steps: usize, rng: &mut impl Rng) -> Chain {
    assert!(rho.abs() < 1.0, "rho must satisfy |rho| < 1, got {rho}");
    check_x0(x0);
    let sd = (1.0 - rho * rho).sqrt();
    let mut x2 = x0[1]; // x₁ is drawn first, from x₂ alone
    let mut states = Array2::zeros((n_steps, 2));
    for mut row in states.rows_mut() {
        let z: f64 = StandardNormal.sample(rng);
        let x1 = rho * x2 + sd * z;
        let z: f64 = StandardNormal.sample(rng);
        x2 = rho * x1 + sd * z;
        row[0] = x1;
        row[1] = x2;
    }
    Chain { states, acceptance: 1.0 }
}

/// Gibbs on the bimodal target augmented with the component label: $z\mid x$ with
/// $P(z=+)=$ [`Bimodal::right_responsibility`], then $x\mid z\sim\mathcal N((\pm m,0),\sigma^2I)$.
/// The recorded states are the $x$'s, distributed as the mixture.
///
/// # Panics
/// If `x0` does not have 2 coordinates.
///
/// # Examples
/// ```
/// use course::sampling::{gibbs_bimodal, Bimodal};
/// let t = Bimodal { m: 1.5, sigma: 0.6 };
/// let c = gibbs_bimodal(&t, &[0.0, 0.0], 40_000, &mut course::rng::seeded(0));
/// let right = c.column(0).iter().filter(|&&v| v > 0.0).count() as f64 / 40_000.0;
/// assert!((right - 0.5).abs() < 0.05); // both modes visited equally often
/// ```
pub fn gibbs_bimodal(target: &Bimodal, x0: &[f64], n_steps: usize, rng: &mut impl Rng) -> Chain {
    check_x0(x0);
    let mut x = [x0[0], x0[1]];
    let mut states = Array2::zeros((n_steps, 2));
    for mut row in states.rows_mut() {
        let u: f64 = rng.random();
        let mu = if u < target.right_responsibility(&x) { target.m } else { -target.m };
        let (z1, z2): (f64, f64) = (StandardNormal.sample(rng), StandardNormal.sample(rng));
        x = [mu + target.sigma * z1, target.sigma * z2];
        row[0] = x[0];
        row[1] = x[1];
    }
    Chain { states, acceptance: 1.0 }
}

/// Gibbs on the banana: $x_2\mid x_1\sim\mathcal N(b(x_1^2-a^2),1)$ exactly, and
/// $x_1\mid x_2\propto e^{-x_1^2/2a^2}\,e^{-(c-bx_1^2)^2/2}$ ($c=x_2+ba^2$) by rejection from
/// $\mathcal N(0,a^2)$ — still an exact draw from the conditional.
///
/// # Panics
/// If `x0` does not have 2 coordinates.
///
/// # Examples
/// ```
/// use course::sampling::{gibbs_banana, Banana};
/// let t = Banana { a: 1.0, b: 0.5 };
/// let c = gibbs_banana(&t, &[0.0, 0.0], 40_000, &mut course::rng::seeded(2));
/// let m1: f64 = c.column(0).iter().map(|v| v * v).sum::<f64>() / 40_000.0;
/// assert!((m1 - 1.0).abs() < 0.1); // E x₁² = a²
/// ```
pub fn gibbs_banana(target: &Banana, x0: &[f64], n_steps: usize, rng: &mut impl Rng) -> Chain {
    check_x0(x0);
    let (a, b) = (target.a, target.b);
    let mut x2 = x0[1]; // x₁ is drawn first, from x₂ alone
    let mut states = Array2::zeros((n_steps, 2));
    for mut row in states.rows_mut() {
        let c = x2 + b * a * a;
        // log of the largest value of e^{-(c - b s)²/2} over s = x₁² ≥ 0.
        let log_max = if b != 0.0 && c / b >= 0.0 { 0.0 } else { -0.5 * c * c };
        let x1 = loop {
            let z: f64 = StandardNormal.sample(rng);
            let cand = a * z;
            let u: f64 = rng.random();
            if u.ln() < -0.5 * (c - b * cand * cand).powi(2) - log_max {
                break cand;
            }
        };
        let z: f64 = StandardNormal.sample(rng);
        x2 = b * (x1 * x1 - a * a) + z;
        row[0] = x1;
        row[1] = x2;
    }
    Chain { states, acceptance: 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use crate::sampling::{integrated_autocorr_time, mcmc_estimate};

    #[test]
    fn gaussian_gibbs_is_ar1_with_rho_squared() {
        let rho: f64 = 0.9;
        let exact = (1.0 + rho * rho) / (1.0 - rho * rho);
        for seed in 0..5 {
            let c = gibbs_gaussian_2d(rho, &[0.0, 0.0], 200_000, &mut seeded(seed));
            let tau = integrated_autocorr_time(&c.column(0));
            assert!((tau / exact - 1.0).abs() < 0.1, "seed {seed}: {tau} vs {exact}");
        }
    }

    #[test]
    fn banana_and_bimodal_gibbs_match_second_moments_over_seeds() {
        let ban = Banana { a: 1.0, b: 0.5 };
        let bim = Bimodal { m: 1.5, sigma: 0.6 };
        for seed in 0..8 {
            let cb = gibbs_banana(&ban, &[0.0, 0.0], 40_000, &mut seeded(seed));
            let cm = gibbs_bimodal(&bim, &[0.0, 0.0], 40_000, &mut seeded(100 + seed));
            for (c, m2) in [(&cb, ban.second_moments()), (&cm, bim.second_moments())] {
                for j in 0..2 {
                    let sq: Vec<f64> = c.column(j).iter().map(|v| v * v).collect();
                    let e = mcmc_estimate(&sq);
                    assert!((e.mean - m2[j]).abs() < 4.0 * e.se, "seed {seed} coord {j}: {} ± {} vs {}", e.mean, e.se, m2[j]);
                }
            }
        }
    }
}
