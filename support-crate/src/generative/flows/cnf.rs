//! Continuous normalizing flows: the log-density along an ODE is the integral of the divergence.
//!
//! If $\dot x_t = v(x_t, t)$ transports $p_0$ to $p_t$, the continuity equation
//! $\partial_t p_t + \nabla\cdot(p_t v) = 0$ gives, along a trajectory,
//! $$\frac{d}{dt}\log p_t(x_t) = -\operatorname{tr}\frac{\partial v}{\partial x}(x_t, t)
//!   = -\nabla\cdot v(x_t, t),
//! \qquad \log p_1(x_1) = \log p_0(x_0) - \int_0^1 \nabla\cdot v(x_t, t)\,dt,$$
//! the instantaneous change of variables (Chen et al. 2018, Thm 1): the log-determinant of a
//! discrete flow becomes the integral of a trace. To evaluate $\log p_1(x)$, solve the ODE
//! backwards from $x_1 = x$ to $x_0$ while accumulating the divergence. Here the divergence is
//! the exact trace of the $d\times d$ Jacobian computed by central differences
//! ($2d$ extra evaluations, fine in 2-D; FFJORD uses Hutchinson's estimator in high dimension).
//!
//! ## Reference
//! R. T. Q. Chen, Y. Rubanova, J. Bettencourt & D. Duvenaud (2018), *Neural ordinary
//! differential equations*, NeurIPS, §4; W. Grathwohl et al. (2019), *FFJORD*, ICLR.
//!
//! Used in notebooks/34-flows-and-flow-matching.ipynb.

use ndarray::Array2;

/// A velocity field $v(x, t)$ evaluated on every row of `x`.
pub type VelocityFn<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;

/// $\nabla\cdot v(x_i, t) = \sum_j \partial v_j/\partial x_j$ for every row, by central differences
/// with step `h`.
///
/// # Panics
/// If `h` is not > 0.
///
/// # Examples
/// ```
/// use course::generative::flows::divergence_fd;
/// use course::ndarray::{array, Array2};
/// // v(x) = (x₀², 3x₁): div = 2x₀ + 3
/// let v = |x: &Array2<f64>, _t: f64| Array2::from_shape_fn(x.dim(), |(i, j)| if j == 0 { x[[i, 0]] * x[[i, 0]] } else { 3.0 * x[[i, 1]] });
/// let d = divergence_fd(&v, &array![[1.5, -2.0]], 0.0, 1e-4);
/// assert!((d[0] - 6.0).abs() < 1e-8);
/// ```
pub fn divergence_fd(velocity: VelocityFn, x: &Array2<f64>, t: f64, h: f64) -> Vec<f64> {
    assert!(h > 0.0, "divergence_fd: h must be > 0, got {h}");
    let (n, dim) = x.dim();
    // stack the 2·dim shifted copies into one batch: one call of the field
    let mut shifted = Array2::zeros((2 * dim * n, dim));
    for j in 0..dim {
        for (s, sign) in [(0, 1.0), (1, -1.0)] {
            let block = (2 * j + s) * n;
            for i in 0..n {
                for k in 0..dim {
                    shifted[[block + i, k]] = x[[i, k]] + if k == j { sign * h } else { 0.0 };
                }
            }
        }
    }
    let v = velocity(&shifted, t);
    (0..n)
        .map(|i| (0..dim).map(|j| (v[[(2 * j) * n + i, j]] - v[[(2 * j + 1) * n + i, j]]) / (2.0 * h)).sum())
        .collect()
}

/// $\log p_{t_{\rm end}}(x)$ for every row of `x` under the flow of `velocity` started from
/// $p_0 = \mathcal N(0, I)$: RK4 backwards from $t_{\rm end}$ to 0 on the augmented state
/// $(x_t, \int_t^{t_{\rm end}}\nabla\cdot v)$ with `n_steps` steps, divergence by [`divergence_fd`].
///
/// # Panics
/// If `n_steps` is 0 or `t_end` is not > 0.
///
/// # Examples
/// ```
/// use course::generative::flows::cnf_log_density;
/// use course::ndarray::{array, Array2};
/// // v(x) = x: x_t = e^t x_0, so p_1 = N(0, e² I) and log p_1(0) = -ln(2π) - 2
/// let v = |x: &Array2<f64>, _t: f64| x.clone();
/// let lp = cnf_log_density(&v, &array![[0.0, 0.0]], 1.0, 20);
/// assert!((lp[0] + (2.0 * std::f64::consts::PI).ln() + 2.0).abs() < 1e-6);
/// ```
pub fn cnf_log_density(velocity: VelocityFn, x: &Array2<f64>, t_end: f64, n_steps: usize) -> Vec<f64> {
    assert!(n_steps >= 1, "cnf_log_density: n_steps must be >= 1, got 0");
    assert!(t_end > 0.0, "cnf_log_density: t_end must be > 0, got {t_end}");
    let (n, dim) = x.dim();
    let h_fd = 1e-4;
    let dt = t_end / n_steps as f64;
    let mut y = x.clone();
    let mut int_div = vec![0.0; n];
    // backwards in time: dy/ds = -v(y, t_end - s), d(int)/ds = div v(y, t_end - s)
    let f = |y: &Array2<f64>, t: f64| -> (Array2<f64>, Vec<f64>) { (velocity(y, t).mapv(|v| -v), divergence_fd(velocity, y, t, h_fd)) };
    for k in 0..n_steps {
        let t = t_end - k as f64 * dt;
        let (k1, d1) = f(&y, t);
        let (k2, d2) = f(&(&y + &(&k1 * (0.5 * dt))), t - 0.5 * dt);
        let (k3, d3) = f(&(&y + &(&k2 * (0.5 * dt))), t - 0.5 * dt);
        let (k4, d4) = f(&(&y + &(&k3 * dt)), t - dt);
        y = &y + &((&k1 + &(&k2 * 2.0) + &(&k3 * 2.0) + &k4) * (dt / 6.0));
        for i in 0..n {
            int_div[i] += dt / 6.0 * (d1[i] + 2.0 * d2[i] + 2.0 * d3[i] + d4[i]);
        }
    }
    let c = -0.5 * dim as f64 * (2.0 * std::f64::consts::PI).ln();
    (0..n).map(|i| c - 0.5 * y.row(i).dot(&y.row(i)) - int_div[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::flows::ProbabilityPath;
    use crate::rng::seeded;
    use rand_distr::{Distribution, StandardNormal};

    /// The OT path carries N(0, I) to N(m, S²I) with S² = σ_min² + s²·(1)... at t = 1:
    /// a = σ_min, b = 1, so p_1 = N(m, (σ_min² + s²) I): the CNF log-density must match it.
    #[test]
    fn cnf_log_density_of_the_gaussian_flow_matches_the_closed_form() {
        let (m, s, sigma_min) = ([1.0, -0.5], 0.6, 0.05);
        let path = ProbabilityPath::ot(sigma_min);
        let v = |x: &Array2<f64>, t: f64| path.gaussian_marginal_velocity(x, &m, s, t);
        let mut rng = seeded(1);
        let x = Array2::from_shape_fn((50, 2), |(_, j)| m[j] + 0.8 * Distribution::<f64>::sample(&StandardNormal, &mut rng));
        let lp = cnf_log_density(&v, &x, 1.0, 100);
        let var = sigma_min * sigma_min + s * s;
        for i in 0..50 {
            let r2 = (x[[i, 0]] - m[0]).powi(2) + (x[[i, 1]] - m[1]).powi(2);
            let exact = -(2.0 * std::f64::consts::PI * var).ln() - 0.5 * r2 / var;
            assert!((lp[i] - exact).abs() < 1e-5, "{} vs {exact}", lp[i]);
        }
    }

    #[test]
    fn rk4_error_falls_like_h4() {
        // v(x, t) = -t x (div = -2t): exact log p_1 in closed form: x_1 = e^{-1/2} x_0
        let v = |x: &Array2<f64>, t: f64| x.mapv(|xi| -t * xi);
        let x = ndarray::array![[0.7, -1.1]];
        let r2 = 0.7f64.powi(2) + 1.1f64.powi(2);
        let exact = -(2.0 * std::f64::consts::PI).ln() - 0.5 * r2 * 1f64.exp() + 1.0;
        let e1 = (cnf_log_density(&v, &x, 1.0, 4)[0] - exact).abs();
        let e2 = (cnf_log_density(&v, &x, 1.0, 8)[0] - exact).abs();
        assert!(e1 / e2 > 10.0, "{e1} {e2}");
    }
}
