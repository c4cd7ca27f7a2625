//! Strong and weak errors of SDE schemes, measured against an exact solution driven by the
//! same Brownian path, and the fitted orders.
//!
//! $$e^{\rm strong}(\Delta t) = \mathbb E\,|X^{\Delta t}_T - X_T| \le C\,\Delta t^{\gamma},\qquad
//! e^{\rm weak}(\Delta t) = |\mathbb E f(X^{\Delta t}_T) - \mathbb E f(X_T)| \le C_f\,\Delta t^{\beta}.$$
//! Euler–Maruyama: $\gamma = \tfrac12$, $\beta = 1$; Milstein: $\gamma = 1$, $\beta = 1$. One
//! fine Brownian path per sample is drawn at the finest step; coarser schemes sum its
//! increments in groups, so every step size sees the same path and the exact $X_T$ (a function
//! of $W_T$) is shared. The weak error is estimated as the mean of
//! $f(X^{\Delta t}_T) - f(X_T)$ over the shared paths, whose variance is small (it is a
//! difference of coupled values). The order is the least-squares slope of $\log e$ against
//! $\log\Delta t$ ([`crate::dynamics::loglog_slope`]).
//!
//! ## Reference
//! P. E. Kloeden & E. Platen (1992), §9.6–9.7; D. J. Higham (2001), SIAM Review 43(3), §5–6.
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb.

use super::{ScalarSde, milstein_step};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Which scheme to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// $X + \mu\Delta t + \sigma\Delta W$.
    EulerMaruyama,
    /// Euler–Maruyama $+ \tfrac12\sigma\sigma'(\Delta W^2 - \Delta t)$.
    Milstein,
}

/// Errors at several step sizes with their Monte Carlo standard errors.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorCurve {
    /// The step sizes $\Delta t$, in the order of `n_steps_list`.
    pub dts: Vec<f64>,
    /// The estimated errors.
    pub errors: Vec<f64>,
    /// Their standard errors (sample sd / √n_paths).
    pub std_errors: Vec<f64>,
}

impl ErrorCurve {
    /// The fitted order: the slope of $\log e$ against $\log\Delta t$.
    ///
    /// # Panics
    /// If an error is 0 (no logarithm) or fewer than two step sizes were used.
    ///
    /// # Examples
    /// ```
    /// let c = course::stochastic::ErrorCurve { dts: vec![0.1, 0.2], errors: vec![1.0, 2.0], std_errors: vec![0.0; 2] };
    /// assert!((c.order() - 1.0).abs() < 1e-12);
    /// ```
    pub fn order(&self) -> f64 {
        crate::dynamics::loglog_slope(&self.dts, &self.errors)
    }

    /// The largest relative standard error $\max_i \text{se}_i / e_i$.
    ///
    /// # Examples
    /// ```
    /// let c = course::stochastic::ErrorCurve { dts: vec![0.1, 0.2], errors: vec![1.0, 2.0], std_errors: vec![0.01, 0.01] };
    /// assert_eq!(c.max_relative_se(), 0.01);
    /// ```
    pub fn max_relative_se(&self) -> f64 {
        self.errors.iter().zip(&self.std_errors).map(|(e, s)| s / e).fold(0.0, f64::max)
    }
}

fn check_list(n_steps_list: &[usize], t_end: f64, n_paths: usize) -> usize {
    assert!(t_end > 0.0 && t_end.is_finite(), "t_end must be > 0, got {t_end}");
    assert!(n_paths >= 2, "n_paths must be >= 2, got {n_paths}");
    let n_fine = *n_steps_list.iter().max().expect("n_steps_list must not be empty");
    assert!(
        n_steps_list.iter().all(|&m| m > 0 && n_fine % m == 0),
        "every n_steps must be > 0 and divide the largest, got {n_steps_list:?}"
    );
    n_fine
}

/// Runs `scheme` on every level for one fine path of increments; writes $X_T$ per level.
fn levels(sde: &dyn ScalarSde, scheme: Scheme, x0: f64, t_end: f64, fine: &[f64], n_steps_list: &[usize], out: &mut [f64]) {
    let n_fine = fine.len();
    for (l, &m) in n_steps_list.iter().enumerate() {
        let group = n_fine / m;
        let dt = t_end / m as f64;
        let mut x = x0;
        for k in 0..m {
            let dw: f64 = fine[k * group..(k + 1) * group].iter().sum();
            let t = k as f64 * dt;
            x = match scheme {
                Scheme::EulerMaruyama => x + sde.drift(t, x) * dt + sde.diffusion(t, x) * dw,
                Scheme::Milstein => milstein_step(sde, t, x, dt, dw),
            };
        }
        out[l] = x;
    }
}

/// Accumulates per-level samples of `g(X^h, X)` and returns (|mean|, se) per level.
#[allow(clippy::too_many_arguments)]
fn study(
    sde: &dyn ScalarSde,
    scheme: Scheme,
    x0: f64,
    t_end: f64,
    n_steps_list: &[usize],
    n_paths: usize,
    exact: &dyn Fn(f64) -> f64,
    g: &dyn Fn(f64, f64) -> f64,
    normals: &mut dyn FnMut(&mut [f64]),
) -> ErrorCurve {
    let n_fine = check_list(n_steps_list, t_end, n_paths);
    let sq = (t_end / n_fine as f64).sqrt();
    let n_l = n_steps_list.len();
    let (mut s1, mut s2) = (vec![0.0; n_l], vec![0.0; n_l]);
    let mut fine = vec![0.0; n_fine];
    let mut xs = vec![0.0; n_l];
    for _ in 0..n_paths {
        normals(&mut fine);
        fine.iter_mut().for_each(|z| *z *= sq);
        let xt = exact(fine.iter().sum());
        levels(sde, scheme, x0, t_end, &fine, n_steps_list, &mut xs);
        for l in 0..n_l {
            let v = g(xs[l], xt);
            s1[l] += v;
            s2[l] += v * v;
        }
    }
    let n = n_paths as f64;
    let mut curve = ErrorCurve { dts: Vec::new(), errors: Vec::new(), std_errors: Vec::new() };
    for l in 0..n_l {
        let mean = s1[l] / n;
        let var = ((s2[l] - n * mean * mean) / (n - 1.0)).max(0.0);
        curve.dts.push(t_end / n_steps_list[l] as f64);
        curve.errors.push(mean.abs());
        curve.std_errors.push((var / n).sqrt());
    }
    curve
}

/// Strong errors $\mathbb E|X^{\Delta t}_T - X_T|$ of `scheme` for each `n_steps` in the list
/// (each must divide the largest), over `n_paths` shared Brownian paths; `exact(w_t)` is the
/// exact $X_T$ as a function of $W_T$ (e.g. `|w| gbm.exact(x0, t_end, w)`).
///
/// # Panics
/// If `t_end <= 0`, `n_paths < 2`, the list is empty, or an entry does not divide the largest.
///
/// # Examples
/// ```
/// use course::stochastic::{GeometricBrownianMotion, Scheme, strong_errors};
/// let g = GeometricBrownianMotion { mu: 1.0, sigma: 1.0 };
/// let exact = |w: f64| g.exact(1.0, 1.0, w);
/// let c = strong_errors(&g, Scheme::Milstein, 1.0, 1.0, &[16, 32, 64, 128], 2_000, &exact, &mut course::rng::seeded(0));
/// assert!((c.order() - 1.0).abs() < 0.2);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn strong_errors(sde: &dyn ScalarSde, scheme: Scheme, x0: f64, t_end: f64, n_steps_list: &[usize], n_paths: usize, exact: &dyn Fn(f64) -> f64, rng: &mut impl Rng) -> ErrorCurve {
    let mut normals = |buf: &mut [f64]| buf.iter_mut().for_each(|z| *z = StandardNormal.sample(rng));
    study(sde, scheme, x0, t_end, n_steps_list, n_paths, exact, &|a, b| (a - b).abs(), &mut normals)
}

/// Weak errors $|\mathbb E f(X^{\Delta t}_T) - \mathbb E f(X_T)|$, estimated by the mean of
/// $f(X^{\Delta t}_T) - f(X_T)$ over `n_paths` shared Brownian paths (see the module docs).
///
/// # Panics
/// As [`strong_errors`].
///
/// # Examples
/// ```
/// use course::stochastic::{GeometricBrownianMotion, Scheme, weak_errors};
/// let g = GeometricBrownianMotion { mu: 1.0, sigma: 0.5 };
/// let exact = |w: f64| g.exact(1.0, 1.0, w);
/// let c = weak_errors(&g, Scheme::EulerMaruyama, 1.0, 1.0, &[4, 8, 16, 32], 20_000, &exact, &|x| x, &mut course::rng::seeded(1));
/// // closed form of the EM mean: |(1 + Δt)^N − e| = 0.27 at Δt = 1/4
/// assert!((c.errors[0] - (1f64.exp() - 1.25f64.powi(4))).abs() < 4.0 * c.std_errors[0]);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn weak_errors(
    sde: &dyn ScalarSde,
    scheme: Scheme,
    x0: f64,
    t_end: f64,
    n_steps_list: &[usize],
    n_paths: usize,
    exact: &dyn Fn(f64) -> f64,
    f: &dyn Fn(f64) -> f64,
    rng: &mut impl Rng,
) -> ErrorCurve {
    let mut normals = |buf: &mut [f64]| buf.iter_mut().for_each(|z| *z = StandardNormal.sample(rng));
    study(sde, scheme, x0, t_end, n_steps_list, n_paths, exact, &|a, b| f(a) - f(b), &mut normals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use crate::stochastic::GeometricBrownianMotion;

    const LEVELS: [usize; 5] = [16, 32, 64, 128, 256];

    #[test]
    fn strong_orders_on_gbm_are_one_half_and_one_on_several_seeds() {
        let g = GeometricBrownianMotion { mu: 0.5, sigma: 1.0 };
        let exact = |w: f64| g.exact(1.0, 1.0, w);
        for seed in 0..5 {
            let em = strong_errors(&g, Scheme::EulerMaruyama, 1.0, 1.0, &LEVELS, 4_000, &exact, &mut seeded(seed));
            let mil = strong_errors(&g, Scheme::Milstein, 1.0, 1.0, &LEVELS, 4_000, &exact, &mut seeded(seed));
            assert!((em.order() - 0.5).abs() < 0.1, "seed {seed}: EM order {}", em.order());
            assert!((mil.order() - 1.0).abs() < 0.1, "seed {seed}: Milstein order {}", mil.order());
        }
    }

    #[test]
    fn weak_error_of_the_mean_matches_the_closed_form() {
        // E X^h_N = x0 (1 + μΔt)^N for both schemes (the noise terms have mean 0).
        let g = GeometricBrownianMotion { mu: 1.0, sigma: 0.5 };
        let exact = |w: f64| g.exact(1.0, 1.0, w);
        for scheme in [Scheme::EulerMaruyama, Scheme::Milstein] {
            let c = weak_errors(&g, scheme, 1.0, 1.0, &[4, 8, 16, 32], 40_000, &exact, &|x| x, &mut seeded(5));
            for (i, &dt) in c.dts.iter().enumerate() {
                let closed = (1f64.exp() - (1.0 + dt).powf(1.0 / dt)).abs();
                assert!((c.errors[i] - closed).abs() < 4.0 * c.std_errors[i], "{scheme:?} dt {dt}: {} vs {closed}", c.errors[i]);
            }
        }
    }

    #[test]
    #[should_panic(expected = "divide the largest")]
    fn rejects_levels_that_do_not_nest() {
        let g = GeometricBrownianMotion { mu: 1.0, sigma: 1.0 };
        strong_errors(&g, Scheme::EulerMaruyama, 1.0, 1.0, &[3, 8], 10, &|w| w, &mut seeded(0));
    }
}
