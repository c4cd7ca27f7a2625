//! Hamiltonian Monte Carlo: leapfrog trajectories of $H(q,p) = -\log\pi(q) + \tfrac12|p|^2$.
//!
//! Draw a momentum $p\sim\mathcal N(0,I)$, follow Hamilton's equations $\dot q = p$,
//! $\dot p = \nabla\log\pi(q)$ for $L$ leapfrog steps of size $\varepsilon$,
//! $$p_{1/2}=p+\tfrac\varepsilon2\nabla\log\pi(q),\quad q' = q+\varepsilon p_{1/2},\quad
//! p' = p_{1/2}+\tfrac\varepsilon2\nabla\log\pi(q'),$$
//! and accept with probability $\min\{1, e^{-(H(q',p')-H(q,p))}\}$. Leapfrog is volume-preserving
//! and time-reversible, so this Metropolis step is exact; it is second order, so the energy error
//! over a fixed time is $O(\varepsilon^2)$ and acceptance stays high even for long moves.
//!
//! ## Reference
//! S. Duane, A. Kennedy, B. Pendleton & D. Roweth (1987), *Hybrid Monte Carlo*; R. Neal (2011),
//! *MCMC using Hamiltonian dynamics*, Handbook of MCMC ch. 5.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use super::{Chain, LogDensity};
use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// $H(q,p) = -\log\pi(q)+\tfrac12|p|^2$.
///
/// # Examples
/// ```
/// use course::sampling::{hamiltonian, StandardGaussian};
/// let h = hamiltonian(&StandardGaussian { dim: 1 }, &[0.0], &[2.0]);
/// assert!((h - (2.0 + 0.5 * (2.0 * std::f64::consts::PI).ln())).abs() < 1e-15);
/// ```
pub fn hamiltonian(target: &dyn LogDensity, q: &[f64], p: &[f64]) -> f64 {
    -target.log_prob(q) + 0.5 * p.iter().map(|v| v * v).sum::<f64>()
}

/// `n_leapfrog` leapfrog steps of size `step` from `(q, p)`; returns the end point `(q', p')`.
///
/// # Panics
/// If `q` and `p` differ in length from `target.dim()`, or `step` is not finite.
///
/// # Examples
/// ```
/// use course::sampling::{leapfrog, StandardGaussian};
/// // Harmonic oscillator: after time π the exact flow maps (1, 0) to (−1, 0).
/// let (q, p) = leapfrog(&StandardGaussian { dim: 1 }, &[1.0], &[0.0], std::f64::consts::PI / 1000.0, 1000);
/// assert!((q[0] + 1.0).abs() < 1e-5 && p[0].abs() < 1e-5);
/// ```
pub fn leapfrog(target: &dyn LogDensity, q: &[f64], p: &[f64], step: f64, n_leapfrog: usize) -> (Vec<f64>, Vec<f64>) {
    leapfrog_path(target, q, p, step, n_leapfrog, &mut |_, _| {})
}

fn leapfrog_path(
    target: &dyn LogDensity,
    q: &[f64],
    p: &[f64],
    step: f64,
    n_leapfrog: usize,
    visit: &mut dyn FnMut(&[f64], &[f64]),
) -> (Vec<f64>, Vec<f64>) {
    let dim = target.dim();
    assert!(q.len() == dim && p.len() == dim, "q and p must have target.dim() = {dim} coordinates, got {} and {}", q.len(), p.len());
    assert!(step.is_finite(), "step must be finite, got {step}");
    let (mut q, mut p) = (q.to_vec(), p.to_vec());
    let mut g = target.grad_log_prob(&q);
    for _ in 0..n_leapfrog {
        p.iter_mut().zip(&g).for_each(|(pi, gi)| *pi += 0.5 * step * gi);
        q.iter_mut().zip(&p).for_each(|(qi, pi)| *qi += step * pi);
        g = target.grad_log_prob(&q);
        p.iter_mut().zip(&g).for_each(|(pi, gi)| *pi += 0.5 * step * gi);
        visit(&q, &p);
    }
    (q, p)
}

/// The largest $|H(q_k,p_k)-H(q_0,p_0)|$ along a leapfrog trajectory of total time `t_end`
/// with step `step` (`round(t_end/step)` steps).
///
/// # Panics
/// Unless `step > 0` and `t_end >= step`.
///
/// # Examples
/// ```
/// use course::sampling::{leapfrog_energy_error, StandardGaussian};
/// let t = StandardGaussian { dim: 1 };
/// let e1 = leapfrog_energy_error(&t, &[1.0], &[0.5], 0.1, 5.0);
/// let e2 = leapfrog_energy_error(&t, &[1.0], &[0.5], 0.05, 5.0);
/// assert!((e1 / e2 - 4.0).abs() < 0.2); // halving ε divides the error by 4
/// ```
pub fn leapfrog_energy_error(target: &dyn LogDensity, q: &[f64], p: &[f64], step: f64, t_end: f64) -> f64 {
    assert!(step > 0.0, "step must be > 0, got {step}");
    assert!(t_end >= step, "t_end must be >= step = {step}, got {t_end}");
    let h0 = hamiltonian(target, q, p);
    let n = (t_end / step).round() as usize;
    let mut worst = 0.0f64;
    leapfrog_path(target, q, p, step, n, &mut |qk, pk| worst = worst.max((hamiltonian(target, qk, pk) - h0).abs()));
    worst
}

/// `n_steps` HMC transitions from `x0`, each a leapfrog trajectory of size-`step` steps whose
/// number is drawn uniformly from `1..=n_leapfrog` (this jitter keeps a fixed trajectory length
/// from resonating with a periodic orbit, e.g. half a period of a Gaussian, where $x\to-x$
/// and $x^2$ would never move).
///
/// # Panics
/// If `step <= 0`, `n_leapfrog == 0`, `x0.len() != target.dim()`, or `log_prob(x0)` is not finite.
///
/// # Examples
/// ```
/// use course::sampling::{hmc, StandardGaussian};
/// let c = hmc(&StandardGaussian { dim: 2 }, &[3.0, 3.0], 0.2, 10, 20_000, &mut course::rng::seeded(0));
/// let x2: f64 = c.states.iter().map(|v| v * v).sum::<f64>() / 40_000.0;
/// assert!((x2 - 1.0).abs() < 0.06);
/// assert!(c.acceptance > 0.95);  // ε = 0.2: tiny energy errors
/// ```
pub fn hmc(target: &dyn LogDensity, x0: &[f64], step: f64, n_leapfrog: usize, n_steps: usize, rng: &mut impl Rng) -> Chain {
    assert_eq!(x0.len(), target.dim(), "x0 must have target.dim() = {} coordinates, got {}", target.dim(), x0.len());
    assert!(step > 0.0 && step.is_finite(), "step must be > 0, got {step}");
    assert!(n_leapfrog > 0, "n_leapfrog must be > 0, got 0");
    let mut q = x0.to_vec();
    assert!(target.log_prob(&q).is_finite(), "log_prob(x0) must be finite");
    let mut states = Array2::zeros((n_steps, q.len()));
    let mut accepted = 0usize;
    for mut row in states.rows_mut() {
        let p: Vec<f64> = (0..q.len()).map(|_| StandardNormal.sample(rng)).collect();
        let n_lf = rng.random_range(1..=n_leapfrog);
        let (q_new, p_new) = leapfrog(target, &q, &p, step, n_lf);
        let dh = hamiltonian(target, &q_new, &p_new) - hamiltonian(target, &q, &p);
        let u: f64 = rng.random();
        if dh.is_finite() && u.ln() < -dh {
            q = q_new;
            accepted += 1;
        }
        row.iter_mut().zip(&q).for_each(|(r, v)| *r = *v);
    }
    Chain { states, acceptance: if n_steps == 0 { 0.0 } else { accepted as f64 / n_steps as f64 } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use crate::sampling::{Banana, Bimodal, mcmc_estimate};

    #[test]
    fn leapfrog_is_reversible_and_second_order() {
        let t = Banana { a: 1.0, b: 0.5 };
        let (q1, p1) = leapfrog(&t, &[1.0, 0.5], &[0.3, -0.7], 0.01, 200);
        let back: Vec<f64> = p1.iter().map(|v| -v).collect();
        let (q0, p0) = leapfrog(&t, &q1, &back, 0.01, 200);
        assert!((q0[0] - 1.0).abs() < 1e-10 && (q0[1] - 0.5).abs() < 1e-10);
        assert!((p0[0] + 0.3).abs() < 1e-10 && (p0[1] - 0.7).abs() < 1e-10);
        let steps = [0.04, 0.02, 0.01, 0.005];
        let errs: Vec<f64> = steps.iter().map(|&e| leapfrog_energy_error(&t, &[1.0, 0.5], &[0.3, -0.7], e, 2.0)).collect();
        let slope = crate::optim::loglog_slope(&steps, &errs, (0.0, 1.0));
        assert!((slope - 2.0).abs() < 0.1, "order {slope}");
    }

    #[test]
    fn hmc_matches_second_moments_over_seeds() {
        let ban = Banana { a: 1.0, b: 0.5 };
        let bim = Bimodal { m: 1.5, sigma: 0.6 };
        for seed in 0..5 {
            for (c, m2) in [
                (hmc(&ban, &[0.0, 0.0], 0.1, 20, 20_000, &mut seeded(seed)), ban.second_moments()),
                (hmc(&bim, &[0.0, 0.0], 0.2, 20, 20_000, &mut seeded(seed)), bim.second_moments()),
            ] {
                for j in 0..2 {
                    let sq: Vec<f64> = c.column(j).iter().map(|x| x * x).collect();
                    let e = mcmc_estimate(&sq[200..]);
                    assert!((e.mean - m2[j]).abs() < 4.0 * e.se, "seed {seed} coord {j}: {} ± {} vs {}", e.mean, e.se, m2[j]);
                }
            }
        }
    }
}
