//! Exact log-likelihood through the probability-flow ODE and the instantaneous change of variables.
//!
//! Along $\dot x = v(x, t) = f(t)x - \tfrac12 g(t)^2 s(x, t)$ the density obeys $\frac{d}{dt}\log q_t(x(t)) = -\nabla\!\cdot v$, so
//! $$\log q_{\varepsilon}(x_\varepsilon) = \log q_1(x(1)) + \int_\varepsilon^1 \nabla\!\cdot v\big(x(t), t\big)\,dt,\qquad
//! \nabla\!\cdot v = d\,f(t) - \tfrac12 g(t)^2\,\mathrm{tr}\,\nabla_x s(x, t).$$
//! The trace is computed exactly for small $d$ (central differences of the score along each coordinate,
//! $2d$ score calls) or estimated without bias by Hutchinson's $\mathbb E[z^\top (\nabla_x s)\,z]$ with Rademacher $z$.
//! The augmented state $(x, \ell)$ is integrated from $\varepsilon$ to 1 with Heun's method; $q_1$ is the SDE's prior.
//!
//! ## Reference
//! R. T. Q. Chen et al., *Neural Ordinary Differential Equations* (2018), Theorem 1; W. Grathwohl et al.,
//! *FFJORD* (2019) for Hutchinson's estimator; Y. Song et al. (2021), §4.3 and Appendix D.2.
//!
//! Used in notebooks/32-score-sdes-and-edm.ipynb and 34-flows-and-flow-matching.ipynb.

use super::{pf_ode_drift, ScoreFn, Sde};
use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};

/// Relative step of the central differences of the score.
const FD_STEP: f64 = 1e-4;

/// The exact divergence $\nabla\!\cdot v$ of a batch vector field by central differences, one value per row.
fn divergence_fd(field: &dyn Fn(&Array2<f64>) -> Array2<f64>, x: &Array2<f64>) -> Array1<f64> {
    let (n, d) = x.dim();
    let mut div = Array1::zeros(n);
    for j in 0..d {
        let (mut xp, mut xm) = (x.clone(), x.clone());
        let h: Vec<f64> = (0..n).map(|i| FD_STEP * (1.0 + x[[i, j]].abs())).collect();
        for i in 0..n {
            xp[[i, j]] += h[i];
            xm[[i, j]] -= h[i];
        }
        let (fp, fm) = (field(&xp), field(&xm));
        for i in 0..n {
            div[i] += (fp[[i, j]] - fm[[i, j]]) / (2.0 * h[i]);
        }
    }
    div
}

/// Hutchinson's estimate $z^\top(\nabla v)z$ per row, with directional central differences.
fn divergence_hutchinson(field: &dyn Fn(&Array2<f64>) -> Array2<f64>, x: &Array2<f64>, z: &Array2<f64>) -> Array1<f64> {
    let h = FD_STEP;
    let (fp, fm) = (field(&(x + &(z * h))), field(&(x - &(z * h))));
    ((fp - fm) / (2.0 * h) * z).sum_axis(ndarray::Axis(1))
}

/// The divergence of the probability-flow drift at time `t`, exactly (central differences, $2d$ score calls).
///
/// # Panics
/// If `t` is not in $[0, 1]$ or the score has the wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::sde::{pf_ode_divergence, Sde};
/// // VE, score -x/v: ∇·v = ½ g² d / v
/// let sde = Sde::ve(0.1, 10.0);
/// let div = pf_ode_divergence(&sde, &|x: &Array2<f64>, _t: f64| -x / 2.0, &array![[0.3, -1.0]], 0.5);
/// assert!((div[0] - 0.5 * sde.diffusion(0.5).powi(2)).abs() < 1e-6);
/// ```
pub fn pf_ode_divergence(sde: &Sde, score: ScoreFn, x: &Array2<f64>, t: f64) -> Array1<f64> {
    divergence_fd(&|y: &Array2<f64>| pf_ode_drift(sde, score, y, t), x)
}

fn check_args(t_eps: f64, n_steps: usize) {
    assert!(t_eps > 0.0 && t_eps < 1.0, "t_eps must be in (0, 1), got {t_eps}");
    assert!(n_steps > 0, "n_steps must be > 0");
}

/// Heun on the augmented ODE $(x, \ell)$ from `t_eps` to 1; `div` gives $\nabla\cdot v$ at (x, t).
fn integrate(
    sde: &Sde,
    score: ScoreFn,
    x0: &Array2<f64>,
    t_eps: f64,
    n_steps: usize,
    div: &dyn Fn(&Array2<f64>, f64) -> Array1<f64>,
) -> (Array2<f64>, Array1<f64>) {
    let h = (1.0 - t_eps) / n_steps as f64;
    let mut x = x0.clone();
    let mut ell = Array1::<f64>::zeros(x.nrows());
    for k in 0..n_steps {
        let t = t_eps + k as f64 * h;
        let t_next = if k + 1 == n_steps { 1.0 } else { t + h };
        let (v1, l1) = (pf_ode_drift(sde, score, &x, t), div(&x, t));
        let pred = &x + &(&v1 * h);
        let (v2, l2) = (pf_ode_drift(sde, score, &pred, t_next), div(&pred, t_next));
        x = x + (v1 + v2) * (0.5 * h);
        ell = ell + (l1 + l2) * (0.5 * h);
    }
    (x, ell)
}

/// $\log q_{t_\varepsilon}(x)$ for each row of `x0` through the probability-flow ODE (Heun, `n_steps` steps from
/// `t_eps` to 1) with the exact trace; the density at $t = 1$ is taken to be the SDE's Gaussian prior.
///
/// # Panics
/// If `t_eps` is not in $(0, 1)$, `n_steps == 0` or the score has the wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::sde::{pf_ode_log_likelihood, Sde};
/// // VP with N(0, I) data: every q_t is N(0, I), and the log-likelihood is the standard normal's
/// let sde = Sde::vp(0.1, 20.0);
/// let l = pf_ode_log_likelihood(&sde, &|x: &Array2<f64>, _t: f64| -x, &array![[0.5]], 1e-3, 50);
/// assert!((l[0] - (-0.125 - 0.5 * (2.0 * std::f64::consts::PI).ln())).abs() < 1e-6);
/// ```
pub fn pf_ode_log_likelihood(sde: &Sde, score: ScoreFn, x0: &Array2<f64>, t_eps: f64, n_steps: usize) -> Array1<f64> {
    check_args(t_eps, n_steps);
    let (x1, ell) = integrate(sde, score, x0, t_eps, n_steps, &|x, t| pf_ode_divergence(sde, score, x, t));
    sde.prior_log_density(&x1) + ell
}

/// As [`pf_ode_log_likelihood`] with a given log-density `log_q1` at $t = 1$ instead of the SDE's prior
/// (e.g. the exact $q_1$ of a mixture, to see the integration error alone).
///
/// # Panics
/// As [`pf_ode_log_likelihood`], or if `log_q1` returns the wrong length.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::{diffusion::GaussianMixture, sde::{pf_ode_log_likelihood_with_prior, Sde}};
/// let g = GaussianMixture::isotropic(vec![1.0], array![[2.0]], 0.5);
/// let sde = Sde::ve(0.01, 10.0);
/// let score = |x: &Array2<f64>, t: f64| sde.mixture_score(&g, x, t);
/// let q1 = sde.mixture_marginal(&g, 1.0);
/// let x = array![[1.5]];
/// let l = pf_ode_log_likelihood_with_prior(&sde, &score, &|y: &Array2<f64>| q1.log_density(y), &x, 1e-3, 200);
/// assert!((l[0] - sde.mixture_marginal(&g, 1e-3).log_density(&x)[0]).abs() < 1e-3);
/// ```
pub fn pf_ode_log_likelihood_with_prior(
    sde: &Sde,
    score: ScoreFn,
    log_q1: &dyn Fn(&Array2<f64>) -> Array1<f64>,
    x0: &Array2<f64>,
    t_eps: f64,
    n_steps: usize,
) -> Array1<f64> {
    check_args(t_eps, n_steps);
    let (x1, ell) = integrate(sde, score, x0, t_eps, n_steps, &|x, t| pf_ode_divergence(sde, score, x, t));
    let l1 = log_q1(&x1);
    assert_eq!(l1.len(), x1.nrows(), "log_q1 must return one value per row");
    l1 + ell
}

/// As [`pf_ode_log_likelihood`] with Hutchinson's trace estimator: one Rademacher vector per row, held fixed
/// along the trajectory (2 score calls per divergence instead of $2d$); unbiased, with variance.
///
/// # Panics
/// As [`pf_ode_log_likelihood`].
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::sde::{pf_ode_log_likelihood_hutchinson, Sde};
/// // isotropic score -x: zᵀ(-I)z = -d for every Rademacher z, so the estimate is exact
/// let sde = Sde::vp(0.1, 20.0);
/// let l = pf_ode_log_likelihood_hutchinson(&sde, &|x: &Array2<f64>, _t: f64| -x, &array![[0.5, 0.0]], 1e-3, 50, &mut course::rng::seeded(0));
/// assert!((l[0] - (-0.125 - (2.0 * std::f64::consts::PI).ln())).abs() < 1e-6);
/// ```
pub fn pf_ode_log_likelihood_hutchinson(
    sde: &Sde,
    score: ScoreFn,
    x0: &Array2<f64>,
    t_eps: f64,
    n_steps: usize,
    rng: &mut impl Rng,
) -> Array1<f64> {
    check_args(t_eps, n_steps);
    let z = Array2::from_shape_simple_fn(x0.dim(), || if rng.random::<bool>() { 1.0 } else { -1.0 });
    let (x1, ell) = integrate(sde, score, x0, t_eps, n_steps, &|x, t| {
        divergence_hutchinson(&|y: &Array2<f64>| pf_ode_drift(sde, score, y, t), x, &z)
    });
    sde.prior_log_density(&x1) + ell
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::diffusion::GaussianMixture;
    use ndarray::array;

    #[test]
    fn divergence_matches_the_closed_form_trace() {
        // Gaussian N(m, diag v) noised: score -(x - a m)/(a² v + s²), trace -Σ 1/(a² v + s²)
        let g = GaussianMixture::new(vec![1.0], array![[1.0, -2.0]], array![[0.5, 2.0]]);
        let sde = Sde::vp(0.1, 20.0);
        let t = 0.3;
        let score = |x: &Array2<f64>, t: f64| sde.mixture_score(&g, x, t);
        let div = pf_ode_divergence(&sde, &score, &array![[0.2, 0.4], [3.0, -1.0]], t);
        let (a, s) = (sde.marginal_scale(t), sde.marginal_std(t));
        let tr: f64 = [0.5, 2.0].iter().map(|v| -1.0 / (a * a * v + s * s)).sum();
        let want = 2.0 * sde.drift_coefficient(t) - 0.5 * sde.diffusion(t).powi(2) * tr;
        for d in div.iter() {
            assert!((d - want).abs() < 1e-6 * want.abs(), "{d} vs {want}");
        }
    }

    #[test]
    fn log_likelihood_of_gaussian_data_is_exact_and_converges() {
        // data N(m, diag v); q_{t_eps} is N(a m, a² v + s²) in closed form. With the exact q_1 at t = 1 the
        // error is the integration error alone: it must decrease with the steps at Heun's order 2.
        let g = GaussianMixture::new(vec![1.0], array![[1.0, -0.5]], array![[0.5, 0.2]]);
        let x = array![[0.8, -0.3], [2.0, 0.1], [-0.5, -1.0]];
        for sde in [Sde::ve(0.01, 100.0), Sde::vp(0.1, 20.0)] {
            let score = |y: &Array2<f64>, t: f64| sde.mixture_score(&g, y, t);
            let q1 = sde.mixture_marginal(&g, 1.0);
            let t_eps = 1e-3;
            let exact = sde.mixture_marginal(&g, t_eps).log_density(&x);
            let errs: Vec<f64> = [20, 40, 80, 160, 320]
                .iter()
                .map(|&n| {
                    let l = pf_ode_log_likelihood_with_prior(&sde, &score, &|y: &Array2<f64>| q1.log_density(y), &x, t_eps, n);
                    (l - &exact).iter().map(|e| e.abs()).fold(0.0, f64::max)
                })
                .collect();
            assert!(errs.windows(2).all(|w| w[1] < w[0]), "{sde:?}: {errs:?}");
            // Heun is 2nd order: the error falls ≈ 4× per doubling (fitted over 40..320 steps)
            let order = (errs[1] / errs[4]).log2() / 3.0;
            assert!((order - 2.0).abs() < 0.3, "{sde:?}: order {order}, {errs:?}");
            assert!(errs[4] < 5e-3, "{sde:?}: {errs:?}");
        }
    }

    #[test]
    fn with_the_default_prior_the_mismatch_is_small_for_vp() {
        // VP with β_max = 20: q_1 = N(a₁m, 1 - a₁²(1 - v)) with a₁ = e^{-5.025} ≈ 0.0066, so the N(0, I)
        // prior moves log p by about a₁|m||x(1)| ≲ 0.02
        let g = GaussianMixture::new(vec![1.0], array![[1.0, -0.5]], array![[0.5, 0.2]]);
        let sde = Sde::vp(0.1, 20.0);
        let score = |y: &Array2<f64>, t: f64| sde.mixture_score(&g, y, t);
        let x = array![[0.8, -0.3], [2.0, 0.1]];
        let l = pf_ode_log_likelihood(&sde, &score, &x, 1e-3, 200);
        let exact = sde.mixture_marginal(&g, 1e-3).log_density(&x);
        assert!((l - exact).iter().all(|e| e.abs() < 0.02));
    }

    #[test]
    fn hutchinson_is_unbiased_for_a_mixture() {
        let g = GaussianMixture::new(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.5]], array![[0.3, 0.6], [0.5, 0.2]]);
        let sde = Sde::vp(0.1, 20.0);
        let score = |y: &Array2<f64>, t: f64| sde.mixture_score(&g, y, t);
        let n = 2000;
        let x = Array2::from_shape_fn((n, 2), |(_, j)| if j == 0 { 0.4 } else { 0.2 });
        let exact = pf_ode_log_likelihood(&sde, &score, &x.slice(ndarray::s![0..1, ..]).to_owned(), 1e-3, 40)[0];
        for seed in 0..5 {
            let h = pf_ode_log_likelihood_hutchinson(&sde, &score, &x, 1e-3, 40, &mut crate::rng::seeded(seed));
            let (m, se) = (h.mean().unwrap(), h.std(1.0) / (n as f64).sqrt());
            assert!((m - exact).abs() < 4.0 * se, "seed {seed}: {m} vs {exact} (se {se})");
        }
    }
}
