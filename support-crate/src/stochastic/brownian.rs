//! Brownian motion on a grid, its quadratic variation, and the Itô integral $\int_0^T W\,dW$.
//!
//! $W_0 = 0$, independent increments $W_{t_{k+1}} - W_{t_k}\sim\mathcal N(0,\Delta t)$. The
//! left-point (Itô) sum telescopes:
//! $$\sum_k W_{t_k}(W_{t_{k+1}} - W_{t_k}) = \tfrac12 W_T^2 - \tfrac12\sum_k (\Delta W_k)^2
//! \xrightarrow{L^2} \tfrac12(W_T^2 - T),$$
//! because the quadratic variation $\sum_k(\Delta W_k)^2$ has mean $T$ and variance $2T\Delta t$:
//! the mean-square error is exactly $T\Delta t/2$. The midpoint-average (Stratonovich) sum gives
//! $\tfrac12 W_T^2$, larger by $T/2$ in the limit.
//!
//! Donsker: the rescaled simple random walk $S_{\lfloor t/\Delta t\rfloor}\sqrt{\Delta t}$ converges in
//! law to $W$. The Brownian bridge refines a path: given $W_s, W_u$, the midpoint is
//! $\mathcal N\big(\tfrac12(W_s+W_u), (u-s)/4\big)$.
//!
//! ## Reference
//! I. Karatzas & S. Shreve, *Brownian Motion and Stochastic Calculus* (1991), §1.5, §2.4, §3.2;
//! B. Øksendal, *Stochastic Differential Equations* (2003), ch. 3; D. J. Higham (2001), SIAM
//! Review 43(3), §4.
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

fn check(t_end: f64, n_steps: usize) {
    assert!(t_end > 0.0 && t_end.is_finite(), "t_end must be > 0, got {t_end}");
    assert!(n_steps > 0, "n_steps must be > 0");
}

/// Brownian increments $\Delta W \sim \mathcal N(0, \Delta t)$, `n_paths × n_steps`,
/// $\Delta t$ = `t_end / n_steps`.
///
/// # Panics
/// If `t_end <= 0` or `n_steps == 0`.
///
/// # Examples
/// ```
/// let dw = course::stochastic::brownian_increments(2_000, 100, 1.0, &mut course::rng::seeded(0));
/// let qv: f64 = dw.row(0).iter().map(|d| d * d).sum(); // quadratic variation ≈ T = 1
/// assert!((qv - 1.0).abs() < 0.6); // sd sqrt(2 T Δt) = 0.14
/// ```
pub fn brownian_increments(n_paths: usize, n_steps: usize, t_end: f64, rng: &mut impl Rng) -> Array2<f64> {
    check(t_end, n_steps);
    let sq = (t_end / n_steps as f64).sqrt();
    Array2::from_shape_simple_fn((n_paths, n_steps), || sq * Distribution::<f64>::sample(&StandardNormal, rng))
}

/// Paths from increments: `n_paths × (n_steps + 1)`, column 0 is $W_0 = 0$.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let w = course::stochastic::paths_from_increments(&array![[1.0, -2.0, 0.5]]);
/// assert_eq!(w.row(0).to_vec(), vec![0.0, 1.0, -1.0, -0.5]);
/// ```
pub fn paths_from_increments(dw: &Array2<f64>) -> Array2<f64> {
    let mut w = Array2::zeros((dw.nrows(), dw.ncols() + 1));
    for (i, row) in dw.rows().into_iter().enumerate() {
        let mut s = 0.0;
        for (k, d) in row.iter().enumerate() {
            s += d;
            w[[i, k + 1]] = s;
        }
    }
    w
}

/// Brownian paths on the grid $t_k = k\,\Delta t$, `n_paths × (n_steps + 1)`.
///
/// # Panics
/// If `t_end <= 0` or `n_steps == 0`.
///
/// # Examples
/// ```
/// let w = course::stochastic::brownian_paths(10_000, 50, 2.0, &mut course::rng::seeded(1));
/// let var_t = w.column(50).mapv(|v| v * v).mean().unwrap(); // Var W_2 = 2
/// assert!((var_t - 2.0).abs() < 4.0 * 2.0 * (2.0f64 / 10_000.0).sqrt());
/// ```
pub fn brownian_paths(n_paths: usize, n_steps: usize, t_end: f64, rng: &mut impl Rng) -> Array2<f64> {
    paths_from_increments(&brownian_increments(n_paths, n_steps, t_end, rng))
}

/// Donsker's rescaled random walk: steps $\pm\sqrt{\Delta t}$ with probability ½ each,
/// `n_paths × (n_steps + 1)`, starting at 0.
///
/// # Panics
/// If `t_end <= 0` or `n_steps == 0`.
///
/// # Examples
/// ```
/// let s = course::stochastic::scaled_random_walk(3, 4, 1.0, &mut course::rng::seeded(2));
/// assert!(s.iter().all(|v| (v * 2.0).fract() == 0.0)); // multiples of √(1/4) = 1/2
/// ```
pub fn scaled_random_walk(n_paths: usize, n_steps: usize, t_end: f64, rng: &mut impl Rng) -> Array2<f64> {
    check(t_end, n_steps);
    let sq = (t_end / n_steps as f64).sqrt();
    let dw = Array2::from_shape_simple_fn((n_paths, n_steps), || if rng.random::<bool>() { sq } else { -sq });
    paths_from_increments(&dw)
}

/// The left-point (Itô) sum $\sum_k W_{t_k}(W_{t_{k+1}} - W_{t_k})$ along one path.
///
/// # Examples
/// ```
/// // W = 0, 1, 3: 0·1 + 1·2 = 2
/// assert_eq!(course::stochastic::ito_integral_w_dw(&[0.0, 1.0, 3.0]), 2.0);
/// ```
pub fn ito_integral_w_dw(w: &[f64]) -> f64 {
    w.windows(2).map(|p| p[0] * (p[1] - p[0])).sum()
}

/// The midpoint-average (Stratonovich) sum $\sum_k \tfrac12(W_{t_k} + W_{t_{k+1}})(W_{t_{k+1}} - W_{t_k})
/// = \tfrac12(W_T^2 - W_0^2)$.
///
/// # Examples
/// ```
/// assert_eq!(course::stochastic::stratonovich_integral_w_dw(&[0.0, 1.0, 3.0]), 4.5);
/// ```
pub fn stratonovich_integral_w_dw(w: &[f64]) -> f64 {
    w.windows(2).map(|p| 0.5 * (p[0] + p[1]) * (p[1] - p[0])).sum()
}

/// The quadratic variation $\sum_k (W_{t_{k+1}} - W_{t_k})^2$ along one path.
///
/// # Examples
/// ```
/// assert_eq!(course::stochastic::quadratic_variation(&[0.0, 1.0, 3.0]), 5.0);
/// ```
pub fn quadratic_variation(w: &[f64]) -> f64 {
    w.windows(2).map(|p| (p[1] - p[0]).powi(2)).sum()
}

/// The mean over `n_paths` Brownian paths of $\big(I_{\Delta t} - \tfrac12(W_T^2 - T)\big)^2$ for
/// each `n_steps` in the list, where $I_{\Delta t}$ is the Itô sum on the grid of `n_steps`
/// steps (coarse grids reuse the fine path's values); returns (Δt, mean-square error, its
/// standard error). Exact value: $T\Delta t/2$.
///
/// # Panics
/// If `t_end <= 0`, the list is empty, or some entry does not divide the largest one.
///
/// # Examples
/// ```
/// let r = course::stochastic::ito_l2_errors(&[10, 100], 4_000, 1.0, &mut course::rng::seeded(3));
/// assert!((r[1].1 - 0.005).abs() < 4.0 * r[1].2); // T Δt / 2 = 0.005
/// ```
pub fn ito_l2_errors(n_steps_list: &[usize], n_paths: usize, t_end: f64, rng: &mut impl Rng) -> Vec<(f64, f64, f64)> {
    let n_fine = *n_steps_list.iter().max().expect("ito_l2_errors: n_steps_list must not be empty");
    check(t_end, n_fine);
    assert!(n_steps_list.iter().all(|&m| m > 0 && n_fine % m == 0), "ito_l2_errors: every n_steps must divide the largest, got {n_steps_list:?}");
    assert!(n_paths >= 2, "ito_l2_errors: n_paths must be >= 2");
    let mut sq = vec![Vec::with_capacity(n_paths); n_steps_list.len()];
    let w = brownian_paths(n_paths, n_fine, t_end, rng);
    let mut coarse = Vec::with_capacity(n_fine + 1);
    for row in w.rows() {
        let wt = row[n_fine];
        let exact = 0.5 * (wt * wt - t_end);
        for (l, &m) in n_steps_list.iter().enumerate() {
            coarse.clear();
            coarse.extend(row.iter().step_by(n_fine / m));
            sq[l].push((ito_integral_w_dw(&coarse) - exact).powi(2));
        }
    }
    n_steps_list
        .iter()
        .zip(&sq)
        .map(|(&m, e)| {
            let mean = e.iter().sum::<f64>() / n_paths as f64;
            let var = e.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n_paths - 1) as f64;
            (t_end / m as f64, mean, (var / n_paths as f64).sqrt())
        })
        .collect()
}

/// One Brownian-bridge refinement: from a path on a grid of step $\Delta t$ (length $n + 1$)
/// to one on step $\Delta t/2$ (length $2n + 1$), inserting each midpoint
/// $\mathcal N\big(\tfrac12(W_k + W_{k+1}), \Delta t/4\big)$. Old values are kept.
///
/// # Panics
/// If the path has fewer than 2 points or `t_end <= 0`.
///
/// # Examples
/// ```
/// let w = course::stochastic::brownian_bridge_refine(&[0.0, 1.0], 1.0, &mut course::rng::seeded(0));
/// assert_eq!(w.len(), 3);
/// assert_eq!((w[0], w[2]), (0.0, 1.0));
/// ```
pub fn brownian_bridge_refine(w: &[f64], t_end: f64, rng: &mut impl Rng) -> Vec<f64> {
    assert!(w.len() >= 2, "brownian_bridge_refine: the path needs at least 2 points, got {}", w.len());
    check(t_end, w.len() - 1);
    let half_sd = (t_end / (w.len() - 1) as f64 / 4.0).sqrt();
    let mut out = Vec::with_capacity(2 * w.len() - 1);
    for p in w.windows(2) {
        out.push(p[0]);
        let z: f64 = StandardNormal.sample(rng);
        out.push(0.5 * (p[0] + p[1]) + half_sd * z);
    }
    out.push(w[w.len() - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn ito_sum_is_half_w_squared_minus_half_quadratic_variation() {
        // The telescoping identity holds path by path, to rounding.
        let w = brownian_paths(20, 300, 1.5, &mut seeded(1));
        for row in w.rows() {
            let r = row.to_vec();
            let lhs = ito_integral_w_dw(&r);
            let rhs = 0.5 * r[300] * r[300] - 0.5 * quadratic_variation(&r);
            assert!((lhs - rhs).abs() < 1e-12);
            assert!((stratonovich_integral_w_dw(&r) - 0.5 * r[300] * r[300]).abs() < 1e-12);
        }
    }

    #[test]
    fn ito_mean_square_error_is_t_dt_over_two_on_several_seeds() {
        for seed in 0..5 {
            let r = ito_l2_errors(&[8, 32, 128], 5_000, 2.0, &mut seeded(seed));
            for &(dt, mse, se) in &r {
                assert!((mse - 2.0 * dt / 2.0).abs() < 4.0 * se, "seed {seed} dt {dt}: {mse} ± {se}");
            }
        }
    }

    #[test]
    fn random_walk_and_bridge_have_brownian_covariance() {
        // Cov(W_s, W_t) = min(s, t): check at s = 0.25, t = 1 for the walk and for a refined path.
        let n = 40_000usize;
        let s = scaled_random_walk(n, 16, 1.0, &mut seeded(4));
        let cov = (0..n).map(|i| s[[i, 4]] * s[[i, 16]]).sum::<f64>() / n as f64;
        // sd of W_s W_t ≈ sqrt(s t + s²) = 0.56: 4 s.e. ≈ 0.011
        assert!((cov - 0.25).abs() < 0.012, "walk: {cov}");
        let mut rng = seeded(5);
        let mut acc = (0.0, 0.0);
        for _ in 0..n {
            let w = brownian_paths(1, 2, 1.0, &mut rng).row(0).to_vec(); // t = 0, 1/2, 1
            let f = brownian_bridge_refine(&w, 1.0, &mut rng); // t = 0, 1/4, …, 1
            acc.0 += f[1] * f[4];
            acc.1 += f[1] * f[1];
        }
        assert!((acc.0 / n as f64 - 0.25).abs() < 0.012, "bridge cov: {}", acc.0 / n as f64);
        assert!((acc.1 / n as f64 - 0.25).abs() < 0.01, "bridge var: {}", acc.1 / n as f64);
    }
}
