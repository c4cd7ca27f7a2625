//! Finite differences for the heat equation (FTCS and Crank–Nicolson) and Burgers' equation (Lax–Friedrichs).
//!
//! On the grid $x_i = i\,\Delta x$, $t_n = n\,\Delta t$, with $r = \kappa\Delta t/\Delta x^2$, the heat
//! equation $u_t = \kappa u_{xx}$ on $[0, 1]$ with $u(0, t) = u(1, t) = 0$ becomes
//! $$\text{FTCS: } u^{n+1}_i = u^n_i + r\,(u^n_{i+1} - 2u^n_i + u^n_{i-1}),\qquad
//!   \text{CN: } \big(I - \tfrac r2 D\big)u^{n+1} = \big(I + \tfrac r2 D\big)u^n,$$
//! with $D$ the second-difference matrix. FTCS is explicit, first order in time and second in
//! space, and stable only under the CFL-type condition $r\le 1/2$; Crank–Nicolson is implicit (one
//! tridiagonal solve per step), second order in both, and stable for every $r$. For
//! $u(x, 0) = \sin\pi x$ the exact solution is $e^{-\kappa\pi^2 t}\sin\pi x$.
//!
//! Burgers' equation $u_t + (u^2/2)_x = 0$ in conservation form, Lax–Friedrichs flux
//! $F_{i+1/2} = \tfrac12(f(u_i) + f(u_{i+1})) - \tfrac{\Delta x}{2\Delta t}(u_{i+1} - u_i)$, stable
//! for $\max|u|\,\Delta t/\Delta x \le 1$.
//!
//! ## Reference
//! R. J. LeVeque, *Finite Difference Methods for Ordinary and Partial Differential Equations*
//! (SIAM 2007), ch. 9; R. J. LeVeque, *Numerical Methods for Conservation Laws* (1992), ch. 12.
//!
//! Used in notebooks/26-deep-learning-for-dynamical-systems.ipynb.

use ndarray::{Array1, Array2};

/// The exact heat solution $e^{-\kappa\pi^2 t}\sin\pi x$ for the initial data $\sin\pi x$.
///
/// # Examples
/// ```
/// use course::pde::heat_exact_sine;
/// let u = heat_exact_sine(0.5, 1.0, 1.0 / std::f64::consts::PI.powi(2));
/// assert!((u - (-1.0f64).exp()).abs() < 1e-15);
/// ```
pub fn heat_exact_sine(x: f64, t: f64, kappa: f64) -> f64 {
    (-kappa * std::f64::consts::PI.powi(2) * t).exp() * (std::f64::consts::PI * x).sin()
}

fn check_heat(who: &str, u0: &[f64], kappa: f64, t_end: f64, n_steps: usize) {
    assert!(u0.len() >= 3, "{who}: u0 must have at least 3 grid values (x_0 = 0, …, x_N = 1), got {}", u0.len());
    assert!(kappa.is_finite() && kappa > 0.0, "{who}: kappa must be > 0, got {kappa}");
    assert!(t_end.is_finite() && t_end > 0.0, "{who}: t_end must be > 0, got {t_end}");
    assert!(n_steps > 0, "{who}: n_steps must be > 0, got 0");
}

/// FTCS for $u_t = \kappa u_{xx}$ on $[0, 1]$, zero Dirichlet boundary values, from the grid values
/// `u0` (at $x_i = i/N$, $i = 0..N$); returns all time levels, `(n_steps + 1) × (N + 1)`.
///
/// # Panics
/// If $r = \kappa\Delta t/\Delta x^2 > 1/2$ (unstable), or `kappa`, `t_end`, `n_steps` are not positive,
/// or `u0` has fewer than 3 values.
///
/// # Examples
/// ```
/// use course::pde::{heat_ftcs, heat_exact_sine};
/// let n = 20;
/// let u0: Vec<f64> = (0..=n).map(|i| heat_exact_sine(i as f64 / n as f64, 0.0, 1.0)).collect();
/// let u = heat_ftcs(&u0, 1.0, 0.1, 100); // r = 0.4
/// assert!((u[[100, 10]] - heat_exact_sine(0.5, 0.1, 1.0)).abs() < 2e-3); // O(dx²) = 1.1e-3 here
/// ```
pub fn heat_ftcs(u0: &[f64], kappa: f64, t_end: f64, n_steps: usize) -> Array2<f64> {
    check_heat("heat_ftcs", u0, kappa, t_end, n_steps);
    let n = u0.len() - 1;
    let (dx, dt) = (1.0 / n as f64, t_end / n_steps as f64);
    let r = kappa * dt / (dx * dx);
    assert!(r <= 0.5 + 1e-12, "heat_ftcs: r = kappa dt/dx² must be <= 1/2 for stability (CFL), got {r:.4}; take more steps");
    let mut out = Array2::zeros((n_steps + 1, n + 1));
    let mut u = Array1::from(u0.to_vec());
    u[0] = 0.0;
    u[n] = 0.0;
    out.row_mut(0).assign(&u);
    for step in 1..=n_steps {
        let prev = u.clone();
        for i in 1..n {
            u[i] = prev[i] + r * (prev[i + 1] - 2.0 * prev[i] + prev[i - 1]);
        }
        out.row_mut(step).assign(&u);
    }
    out
}

/// Solves the tridiagonal system with constant diagonals `(lower, diag, upper)` and right-hand
/// side `rhs` (Thomas algorithm, no pivoting: the matrix must be diagonally dominant).
fn thomas_constant(lower: f64, diag: f64, upper: f64, rhs: &[f64]) -> Vec<f64> {
    let n = rhs.len();
    let mut c = vec![0.0; n];
    let mut d = vec![0.0; n];
    c[0] = upper / diag;
    d[0] = rhs[0] / diag;
    for i in 1..n {
        let m = diag - lower * c[i - 1];
        c[i] = upper / m;
        d[i] = (rhs[i] - lower * d[i - 1]) / m;
    }
    let mut x = vec![0.0; n];
    x[n - 1] = d[n - 1];
    for i in (0..n - 1).rev() {
        x[i] = d[i] - c[i] * x[i + 1];
    }
    x
}

/// Crank–Nicolson for $u_t = \kappa u_{xx}$ on $[0, 1]$, zero Dirichlet boundary values; same
/// layout as [`heat_ftcs`]. Unconditionally stable.
///
/// # Panics
/// If `kappa`, `t_end`, `n_steps` are not positive or `u0` has fewer than 3 values.
///
/// # Examples
/// ```
/// use course::pde::{heat_crank_nicolson, heat_exact_sine};
/// let n = 20;
/// let u0: Vec<f64> = (0..=n).map(|i| heat_exact_sine(i as f64 / n as f64, 0.0, 1.0)).collect();
/// let u = heat_crank_nicolson(&u0, 1.0, 0.1, 10); // r = 4: FTCS would blow up
/// assert!((u[[10, 10]] - heat_exact_sine(0.5, 0.1, 1.0)).abs() < 2e-3);
/// ```
pub fn heat_crank_nicolson(u0: &[f64], kappa: f64, t_end: f64, n_steps: usize) -> Array2<f64> {
    check_heat("heat_crank_nicolson", u0, kappa, t_end, n_steps);
    let n = u0.len() - 1;
    let (dx, dt) = (1.0 / n as f64, t_end / n_steps as f64);
    let r = kappa * dt / (dx * dx);
    let mut out = Array2::zeros((n_steps + 1, n + 1));
    let mut u = u0.to_vec();
    u[0] = 0.0;
    u[n] = 0.0;
    out.row_mut(0).assign(&Array1::from(u.clone()));
    for step in 1..=n_steps {
        let rhs: Vec<f64> = (1..n).map(|i| u[i] + 0.5 * r * (u[i + 1] - 2.0 * u[i] + u[i - 1])).collect();
        let interior = thomas_constant(-0.5 * r, 1.0 + r, -0.5 * r, &rhs);
        u[1..n].copy_from_slice(&interior);
        out.row_mut(step).assign(&Array1::from(u.clone()));
    }
    out
}

/// Lax–Friedrichs for Burgers' equation $u_t + (u^2/2)_x = 0$ on $[0, 1]$ with periodic boundary
/// conditions, from the cell values `u0`; returns the values at `t_end`.
///
/// # Panics
/// If the CFL number $\max|u_0|\,\Delta t/\Delta x$ exceeds 1, or `t_end`/`n_steps` are not positive.
///
/// # Examples
/// ```
/// use course::pde::burgers_lax_friedrichs;
/// // The scheme is conservative: the total mass Σ u_i Δx is kept exactly (periodic boundary).
/// let n = 100;
/// let u0: Vec<f64> = (0..n).map(|i| 0.5 + (2.0 * std::f64::consts::PI * i as f64 / n as f64).sin()).collect();
/// let u = burgers_lax_friedrichs(&u0, 0.5, 200);
/// assert!((u.iter().sum::<f64>() - u0.iter().sum::<f64>()).abs() < 1e-10);
/// ```
pub fn burgers_lax_friedrichs(u0: &[f64], t_end: f64, n_steps: usize) -> Vec<f64> {
    assert!(u0.len() >= 3, "burgers_lax_friedrichs: u0 must have at least 3 cells, got {}", u0.len());
    assert!(t_end.is_finite() && t_end > 0.0, "burgers_lax_friedrichs: t_end must be > 0, got {t_end}");
    assert!(n_steps > 0, "burgers_lax_friedrichs: n_steps must be > 0, got 0");
    let n = u0.len();
    let (dx, dt) = (1.0 / n as f64, t_end / n_steps as f64);
    let umax = u0.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let cfl = umax * dt / dx;
    assert!(cfl <= 1.0 + 1e-12, "burgers_lax_friedrichs: CFL number max|u| dt/dx must be <= 1, got {cfl:.4}; take more steps");
    let flux = |v: f64| 0.5 * v * v;
    let mut u = u0.to_vec();
    let mut f = vec![0.0; n]; // f[i] = F_{i+1/2}
    for _ in 0..n_steps {
        for i in 0..n {
            let j = (i + 1) % n;
            f[i] = 0.5 * (flux(u[i]) + flux(u[j])) - 0.5 * dx / dt * (u[j] - u[i]);
        }
        for i in 0..n {
            let left = f[(i + n - 1) % n];
            u[i] -= dt / dx * (f[i] - left);
        }
    }
    u
}

/// Maximum error of a heat solver against $e^{-\kappa\pi^2 t}\sin\pi x$ at `t_end`, on `n_x`
/// intervals; `crank_nicolson` picks the scheme. A helper for convergence studies.
///
/// # Panics
/// As the solvers.
///
/// # Examples
/// ```
/// use course::pde::heat_error_sine;
/// let coarse = heat_error_sine(true, 10, 10, 1.0, 0.1);
/// let fine = heat_error_sine(true, 20, 20, 1.0, 0.1);
/// assert!((coarse / fine).log2() > 1.8); // second order
/// ```
pub fn heat_error_sine(crank_nicolson: bool, n_x: usize, n_steps: usize, kappa: f64, t_end: f64) -> f64 {
    let u0: Vec<f64> = (0..=n_x).map(|i| heat_exact_sine(i as f64 / n_x as f64, 0.0, kappa)).collect();
    let u = if crank_nicolson { heat_crank_nicolson(&u0, kappa, t_end, n_steps) } else { heat_ftcs(&u0, kappa, t_end, n_steps) };
    (0..=n_x).map(|i| (u[[n_steps, i]] - heat_exact_sine(i as f64 / n_x as f64, t_end, kappa)).abs()).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slope(errors: &[f64], hs: &[f64]) -> f64 {
        crate::optim::loglog_slope(hs, errors, (0.0, f64::INFINITY))
    }

    #[test]
    fn ftcs_is_second_order_in_space_at_fixed_r() {
        // r = 0.4 fixed, so dt = 0.4 dx²: the error is O(dx²) + O(dt) = O(dx²).
        let ns = [10usize, 20, 40, 80];
        let errs: Vec<f64> = ns.iter().map(|&n| heat_error_sine(false, n, (0.1 * (n * n) as f64 / 0.4).round() as usize, 1.0, 0.1)).collect();
        let hs: Vec<f64> = ns.iter().map(|&n| 1.0 / n as f64).collect();
        let p = slope(&errs, &hs);
        assert!((p - 2.0).abs() < 0.1, "FTCS order {p}");
    }

    #[test]
    fn crank_nicolson_is_second_order_with_dt_proportional_to_dx() {
        let ns = [10usize, 20, 40, 80, 160];
        let errs: Vec<f64> = ns.iter().map(|&n| heat_error_sine(true, n, n, 1.0, 0.1)).collect();
        let hs: Vec<f64> = ns.iter().map(|&n| 1.0 / n as f64).collect();
        let p = slope(&errs, &hs);
        assert!((p - 2.0).abs() < 0.1, "CN order {p}");
    }

    #[test]
    #[should_panic(expected = "r = kappa dt/dx² must be <= 1/2")]
    fn ftcs_refuses_an_unstable_step() {
        heat_ftcs(&[0.0, 1.0, 0.0], 1.0, 1.0, 1);
    }

    #[test]
    fn thomas_matches_dense_solve() {
        let rhs = [1.0, -2.0, 0.5, 3.0];
        let x = thomas_constant(-1.0, 3.0, -0.5, &rhs);
        for i in 0..4 {
            let left = if i > 0 { -x[i - 1] } else { 0.0 };
            let right = if i < 3 { -0.5 * x[i + 1] } else { 0.0 };
            assert!((left + 3.0 * x[i] + right - rhs[i]).abs() < 1e-14);
        }
    }

    #[test]
    fn burgers_keeps_a_constant_state_and_matches_the_smooth_solution_before_the_shock() {
        let c = vec![0.7; 50];
        let out = burgers_lax_friedrichs(&c, 0.3, 30);
        assert!(out.iter().all(|v| (v - 0.7).abs() < 1e-14));
        // Before the shock time 1/(2π·0.2) ≈ 0.8 the solution is u0(x − u t) (characteristics):
        // solve u = u0(x − u t) by fixed-point iteration at the cell centres.
        let n = 400;
        let u0f = |x: f64| 0.5 + 0.2 * (2.0 * std::f64::consts::PI * x).sin();
        let u0: Vec<f64> = (0..n).map(|i| u0f((i as f64 + 0.5) / n as f64)).collect();
        let t = 0.3;
        let u = burgers_lax_friedrichs(&u0, t, 400);
        let mut max_err: f64 = 0.0;
        for (i, ui) in u.iter().enumerate() {
            let x = (i as f64 + 0.5) / n as f64;
            let mut v = u0f(x);
            for _ in 0..200 {
                v = u0f(x - v * t);
            }
            max_err = max_err.max((ui - v).abs());
        }
        assert!(max_err < 0.02, "LF error {max_err}");
    }
}
