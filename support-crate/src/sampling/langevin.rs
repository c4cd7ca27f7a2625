//! Langevin samplers: the unadjusted (ULA) and the Metropolis-adjusted (MALA) Langevin algorithm.
//!
//! The Langevin diffusion $dX_t=\nabla\log\pi(X_t)\,dt+\sqrt2\,dW_t$ has $\pi$ as its stationary
//! law. Its Euler–Maruyama step with step $h$,
//! $$x_{k+1} = x_k + h\,\nabla\log\pi(x_k) + \sqrt{2h}\,\xi_k,\qquad \xi_k\sim\mathcal N(0,I),$$
//! is ULA: cheap, but its stationary law is $\pi_h\ne\pi$, with a bias of order $h$. For
//! $\pi=\mathcal N(0,1)$ the step is $x_{k+1}=(1-h)x_k+\sqrt{2h}\,\xi_k$, whose stationary
//! variance solves $v=(1-h)^2v+2h$:
//! $$v_h=\frac{1}{1-h/2}=1+\frac h2+O(h^2).$$
//! MALA uses the ULA step as a proposal and accepts it with the Metropolis–Hastings ratio
//! $\min\{1, \pi(y)q(x\mid y)/(\pi(x)q(y\mid x))\}$, $q(y\mid x)\propto e^{-|y-x-h\nabla\log\pi(x)|^2/4h}$:
//! the chain is then exactly $\pi$-reversible and the bias is gone.
//!
//! ## Reference
//! G. Roberts & R. Tweedie (1996), *Exponential convergence of Langevin distributions and their
//! discrete approximations*, Bernoulli 2; A. Durmus & É. Moulines (2017), *Nonasymptotic
//! convergence analysis for the unadjusted Langevin algorithm*.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use super::{Chain, LogDensity, mcmc_estimate};
use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

fn check_args(target: &dyn LogDensity, x0: &[f64], step: f64) {
    assert_eq!(x0.len(), target.dim(), "x0 must have target.dim() = {} coordinates, got {}", target.dim(), x0.len());
    assert!(step > 0.0 && step.is_finite(), "step must be > 0, got {step}");
}

/// `n_steps` steps of ULA with step `step` from `x0` (`acceptance` is 1: nothing is rejected).
///
/// # Panics
/// If `step <= 0` or `x0.len() != target.dim()`.
///
/// # Examples
/// ```
/// use course::sampling::{ula, StandardGaussian};
/// let c = ula(&StandardGaussian { dim: 1 }, &[0.0], 0.5, 200_000, &mut course::rng::seeded(0));
/// let v: f64 = c.column(0).iter().map(|x| x * x).sum::<f64>() / 200_000.0;
/// assert!((v - 1.0 / (1.0 - 0.25)).abs() < 0.03); // the biased variance 4/3, not 1
/// ```
pub fn ula(target: &dyn LogDensity, x0: &[f64], step: f64, n_steps: usize, rng: &mut impl Rng) -> Chain {
    check_args(target, x0, step);
    let noise = (2.0 * step).sqrt();
    let mut x = x0.to_vec();
    let mut states = Array2::zeros((n_steps, x.len()));
    for mut row in states.rows_mut() {
        let g = target.grad_log_prob(&x);
        for (xi, gi) in x.iter_mut().zip(&g) {
            let z: f64 = StandardNormal.sample(rng);
            *xi += step * gi + noise * z;
        }
        row.iter_mut().zip(&x).for_each(|(r, v)| *r = *v);
    }
    Chain { states, acceptance: 1.0 }
}

/// `n_steps` steps of MALA with step `step` from `x0`.
///
/// # Panics
/// If `step <= 0`, `x0.len() != target.dim()`, or `log_prob(x0)` is not finite.
///
/// # Examples
/// ```
/// use course::sampling::{mala, StandardGaussian};
/// let c = mala(&StandardGaussian { dim: 1 }, &[0.0], 0.5, 200_000, &mut course::rng::seeded(0));
/// let v: f64 = c.column(0).iter().map(|x| x * x).sum::<f64>() / 200_000.0;
/// assert!((v - 1.0).abs() < 0.03); // unbiased
/// ```
pub fn mala(target: &dyn LogDensity, x0: &[f64], step: f64, n_steps: usize, rng: &mut impl Rng) -> Chain {
    check_args(target, x0, step);
    let noise = (2.0 * step).sqrt();
    let mut x = x0.to_vec();
    let mut lx = target.log_prob(&x);
    assert!(lx.is_finite(), "log_prob(x0) must be finite, got {lx}");
    let mut gx = target.grad_log_prob(&x);
    // log q(to | from) up to a constant.
    let log_q = |to: &[f64], from: &[f64], g_from: &[f64]| -> f64 {
        -to.iter().zip(from).zip(g_from).map(|((t, f), g)| (t - f - step * g).powi(2)).sum::<f64>() / (4.0 * step)
    };
    let mut states = Array2::zeros((n_steps, x.len()));
    let mut accepted = 0usize;
    for mut row in states.rows_mut() {
        let y: Vec<f64> = x
            .iter()
            .zip(&gx)
            .map(|(xi, gi)| {
                let z: f64 = StandardNormal.sample(rng);
                xi + step * gi + noise * z
            })
            .collect();
        let ly = target.log_prob(&y);
        let gy = target.grad_log_prob(&y);
        let log_alpha = ly - lx + log_q(&x, &y, &gy) - log_q(&y, &x, &gx);
        let u: f64 = rng.random();
        if u.ln() < log_alpha {
            x = y;
            lx = ly;
            gx = gy;
            accepted += 1;
        }
        row.iter_mut().zip(&x).for_each(|(r, v)| *r = *v);
    }
    Chain { states, acceptance: if n_steps == 0 { 0.0 } else { accepted as f64 / n_steps as f64 } }
}

/// The stationary variance of ULA with step `step` on $\mathcal N(0,1)$: $1/(1-h/2)$.
///
/// # Panics
/// Unless `0 < step < 2` (for $h\ge2$ the chain diverges).
///
/// # Examples
/// ```
/// assert_eq!(course::sampling::ula_gaussian_variance(1.0), 2.0);
/// ```
pub fn ula_gaussian_variance(step: f64) -> f64 {
    assert!(step > 0.0 && step < 2.0, "step must be in (0, 2), got {step}");
    1.0 / (1.0 - step / 2.0)
}

/// A measured bias $\mathbb E_{\pi_h}x^2 - 1$ of ULA on $\mathcal N(0,1)$, with its standard error.
#[derive(Clone, Copy, Debug)]
pub struct UlaBias {
    /// Estimated $v_h - 1$.
    pub bias: f64,
    /// Its ESS-based standard error.
    pub se: f64,
}

/// Measures ULA's variance bias on $\mathcal N(0,1)$ with a control variate: ULA
/// $x_{k+1}=(1-h)x_k+\sqrt{2h}\xi_k$ and the *exact* Ornstein–Uhlenbeck step
/// $y_{k+1}=e^{-h}y_k+\sqrt{1-e^{-2h}}\,\xi_k$ are driven by the same $\xi_k$ from the same
/// $x_0=y_0\sim\mathcal N(0,1)$. The OU chain is exactly stationary ($\mathbb E y^2=1$), so
/// $\mathbb E(x^2-y^2)$ is the bias, and the coupled difference has a far smaller variance than
/// $x^2$ alone. The first `10/step` steps are discarded as burn-in.
///
/// # Panics
/// Unless `0 < step < 2` and `n_steps >= 100`.
///
/// # Examples
/// ```
/// let b = course::sampling::ula_variance_bias(0.2, 200_000, &mut course::rng::seeded(0));
/// let exact = course::sampling::ula_gaussian_variance(0.2) - 1.0;   // 1/9
/// assert!((b.bias - exact).abs() < 4.0 * b.se && b.se < 0.01 * exact);
/// ```
pub fn ula_variance_bias(step: f64, n_steps: usize, rng: &mut impl Rng) -> UlaBias {
    assert!(step > 0.0 && step < 2.0, "step must be in (0, 2), got {step}");
    assert!(n_steps >= 100, "n_steps must be >= 100, got {n_steps}");
    let burn = (10.0 / step).ceil() as usize;
    let (a_ula, s_ula) = (1.0 - step, (2.0 * step).sqrt());
    let (a_ou, s_ou) = ((-step).exp(), (1.0 - (-2.0 * step).exp()).sqrt());
    let mut x: f64 = StandardNormal.sample(rng);
    let mut y = x;
    let mut d = Vec::with_capacity(n_steps);
    for k in 0..burn + n_steps {
        let z: f64 = StandardNormal.sample(rng);
        x = a_ula * x + s_ula * z;
        y = a_ou * y + s_ou * z;
        if k >= burn {
            d.push(x * x - y * y);
        }
    }
    let e = mcmc_estimate(&d);
    UlaBias { bias: e.mean, se: e.se }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use crate::sampling::{Banana, Bimodal, StandardGaussian};

    #[test]
    fn ula_variance_matches_the_closed_form_and_mala_is_unbiased() {
        let t = StandardGaussian { dim: 1 };
        for (seed, &h) in [0.1, 0.4, 0.8].iter().enumerate() {
            for (chain, expected) in [
                (ula(&t, &[0.0], h, 300_000, &mut seeded(seed as u64)), ula_gaussian_variance(h)),
                (mala(&t, &[0.0], h, 300_000, &mut seeded(50 + seed as u64)), 1.0),
            ] {
                let sq: Vec<f64> = chain.column(0).iter().map(|x| x * x).collect();
                let e = mcmc_estimate(&sq);
                assert!((e.mean - expected).abs() < 4.0 * e.se, "h {h}: {} ± {} vs {expected}", e.mean, e.se);
            }
        }
    }

    #[test]
    fn coupled_bias_estimate_is_accurate_over_seeds() {
        for &h in &[0.05, 0.1, 0.2, 0.4] {
            let exact = ula_gaussian_variance(h) - 1.0;
            for seed in 0..6 {
                let b = ula_variance_bias(h, 100_000, &mut seeded(seed));
                assert!((b.bias - exact).abs() < 4.0 * b.se, "h {h} seed {seed}: {} ± {} vs {exact}", b.bias, b.se);
                assert!(b.se < 0.05 * exact, "h {h}: s.e. {} too large", b.se);
            }
        }
    }

    #[test]
    fn mala_matches_banana_and_bimodal_moments() {
        let ban = Banana { a: 1.0, b: 0.5 };
        let bim = Bimodal { m: 1.5, sigma: 0.6 };
        for seed in 0..5 {
            for (c, m2) in [
                (mala(&ban, &[0.0, 0.0], 0.05, 60_000, &mut seeded(seed)), ban.second_moments()),
                (mala(&bim, &[0.0, 0.0], 0.3, 60_000, &mut seeded(seed)), bim.second_moments()),
            ] {
                let sq: Vec<f64> = c.column(0).iter().map(|x| x * x).collect();
                let e = mcmc_estimate(&sq[1000..]);
                assert!((e.mean - m2[0]).abs() < 4.0 * e.se, "seed {seed}: {} ± {} vs {}", e.mean, e.se, m2[0]);
            }
        }
    }

    #[test]
    #[should_panic(expected = "step must be > 0, got -0.1")]
    fn rejects_negative_step() {
        ula(&StandardGaussian { dim: 1 }, &[0.0], -0.1, 10, &mut seeded(0));
    }
}
