//! One-step methods with a fixed step: $x_{k+1} = x_k + \Delta t\,\Phi(t_k, x_k, \Delta t)$.
//!
//! $$x_{k+1} = x_k + \Delta t\,\Phi(t_k, x_k, \Delta t),\qquad t_k = k\,\Delta t,\qquad
//!   \Delta t = t_{\text{end}}/n_{\text{steps}} .$$
//!
//! A method of order $p$ has local error $O(\Delta t^{p+1})$ per step and global error
//! $\max_k\lVert x_k - x(t_k)\rVert = O(\Delta t^{p})$ on $[0, t_{\text{end}}]$.
//!
//! ## Reference
//! E. Hairer, S. P. Nørsett & G. Wanner, *Solving Ordinary Differential Equations I* (1993),
//! §II.1–II.3.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

use super::vector_field::{check_positive, check_state};
use super::{Trajectory, VectorField};

/// A fixed-step one-step method (Euler, RK4, …).
///
/// # Examples
/// ```
/// use course::dynamics::{Euler, Field, Stepper};
/// fn decay(_t: f64, x: &[f64], dx: &mut [f64]) { dx[0] = -x[0]; }
/// let traj = Euler.integrate(&Field::new(1, decay), &[1.0], 1.0, 4);
/// assert!((traj.last()[0] - 0.75f64.powi(4)).abs() < 1e-15); // (1 − Δt)^n
/// ```
pub trait Stepper {
    /// The method's name, for tables and legends.
    fn name(&self) -> &'static str;

    /// The order $p$ of the global error $O(\Delta t^p)$.
    fn order(&self) -> usize;

    /// How many evaluations of $f$ one step costs.
    fn evals_per_step(&self) -> usize;

    /// One step from $(t, x)$ of size `dt`, written into `out`.
    fn step_into(&self, field: &dyn VectorField, t: f64, x: &[f64], dt: f64, out: &mut [f64]);

    /// One step from $(t, x)$ of size `dt`, as a new vector.
    ///
    /// # Panics
    /// If `x` does not have `field.dim()` finite entries.
    fn step(&self, field: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
        check_state(self.name(), "x", field.dim(), x);
        let mut out = vec![0.0; x.len()];
        self.step_into(field, t, x, dt, &mut out);
        out
    }

    /// `n_steps` steps of size $\Delta t = t_{\text{end}}/n_{\text{steps}}$ from $x(0) = x_0$.
    ///
    /// # Panics
    /// If `x0` does not have `field.dim()` finite entries, `t_end <= 0` or `n_steps == 0`.
    fn integrate(&self, field: &dyn VectorField, x0: &[f64], t_end: f64, n_steps: usize) -> Trajectory {
        integrate_fixed(self, field, x0, t_end, n_steps)
    }
}

fn integrate_fixed<S: Stepper + ?Sized>(
    method: &S,
    field: &dyn VectorField,
    x0: &[f64],
    t_end: f64,
    n_steps: usize,
) -> Trajectory {
    let what = method.name();
    check_state(what, "x0", field.dim(), x0);
    check_positive(what, "t_end", t_end);
    assert!(n_steps > 0, "{what}: n_steps must be > 0, got 0");
    let dt = t_end / n_steps as f64;
    let mut t = Vec::with_capacity(n_steps + 1);
    let mut x = Vec::with_capacity(n_steps + 1);
    t.push(0.0);
    x.push(x0.to_vec());
    let mut next = vec![0.0; x0.len()];
    for k in 0..n_steps {
        method.step_into(field, k as f64 * dt, &x[k], dt, &mut next);
        t.push(if k + 1 == n_steps { t_end } else { (k + 1) as f64 * dt });
        x.push(next.clone());
    }
    Trajectory { t, x, n_evals: n_steps * method.evals_per_step(), n_rejected: 0 }
}

/// The explicit Euler method, order 1: $x_{k+1} = x_k + \Delta t\, f(t_k, x_k)$.
///
/// # Examples
/// ```
/// use course::dynamics::{Euler, Field, Stepper};
/// fn growth(_t: f64, x: &[f64], dx: &mut [f64]) { dx[0] = x[0]; }
/// // One step of size 0.1 from x = 2: 2 + 0.1 · 2.
/// assert_eq!(Euler.step(&Field::new(1, growth), 0.0, &[2.0], 0.1), vec![2.2]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Euler;

impl Stepper for Euler {
    fn name(&self) -> &'static str {
        "Euler"
    }
    fn order(&self) -> usize {
        1
    }
    fn evals_per_step(&self) -> usize {
        1
    }
    fn step_into(&self, field: &dyn VectorField, t: f64, x: &[f64], dt: f64, out: &mut [f64]) {
        field.eval(t, x, out);
        for (o, xi) in out.iter_mut().zip(x) {
            *o = xi + dt * *o;
        }
    }
}

/// The classical Runge–Kutta method, order 4:
/// $$k_1 = f(t, x),\ k_2 = f(t + \tfrac{\Delta t}2, x + \tfrac{\Delta t}2 k_1),\
///   k_3 = f(t + \tfrac{\Delta t}2, x + \tfrac{\Delta t}2 k_2),\ k_4 = f(t + \Delta t, x + \Delta t\,k_3),$$
/// $$x_{k+1} = x_k + \tfrac{\Delta t}6 (k_1 + 2k_2 + 2k_3 + k_4).$$
///
/// # Examples
/// ```
/// use course::dynamics::{Field, Rk4, Stepper};
/// fn growth(_t: f64, x: &[f64], dx: &mut [f64]) { dx[0] = x[0]; }
/// // On ẋ = x one RK4 step multiplies by the Taylor polynomial 1 + h + h²/2 + h³/6 + h⁴/24.
/// let h: f64 = 0.1;
/// let x1 = Rk4.step(&Field::new(1, growth), 0.0, &[1.0], h)[0];
/// assert!((x1 - (1.0 + h + h * h / 2.0 + h.powi(3) / 6.0 + h.powi(4) / 24.0)).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rk4;

impl Stepper for Rk4 {
    fn name(&self) -> &'static str {
        "RK4"
    }
    fn order(&self) -> usize {
        4
    }
    fn evals_per_step(&self) -> usize {
        4
    }
    fn step_into(&self, field: &dyn VectorField, t: f64, x: &[f64], dt: f64, out: &mut [f64]) {
        let n = x.len();
        let (mut k1, mut k2, mut k3, mut k4) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let mut y = vec![0.0; n];
        field.eval(t, x, &mut k1);
        for i in 0..n {
            y[i] = x[i] + 0.5 * dt * k1[i];
        }
        field.eval(t + 0.5 * dt, &y, &mut k2);
        for i in 0..n {
            y[i] = x[i] + 0.5 * dt * k2[i];
        }
        field.eval(t + 0.5 * dt, &y, &mut k3);
        for i in 0..n {
            y[i] = x[i] + dt * k3[i];
        }
        field.eval(t + dt, &y, &mut k4);
        for i in 0..n {
            out[i] = x[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Field, loglog_slope};
    use super::*;

    /// ẋ = x cos t, x(0) = 1: x(t) = exp(sin t).
    fn periodic_growth(t: f64, x: &[f64], dx: &mut [f64]) {
        dx[0] = x[0] * t.cos();
    }

    fn measured_order(method: &dyn Stepper) -> f64 {
        let field = Field::new(1, periodic_growth);
        let t_end = 3.0;
        let ns = [40usize, 80, 160, 320, 640];
        let errors: Vec<f64> =
            ns.iter().map(|&n| (method.integrate(&field, &[1.0], t_end, n).last()[0] - t_end.sin().exp()).abs()).collect();
        let dts: Vec<f64> = ns.iter().map(|&n| t_end / n as f64).collect();
        loglog_slope(&dts, &errors)
    }

    #[test]
    fn euler_has_order_one() {
        let p = measured_order(&Euler);
        assert!((p - 1.0).abs() < 0.1, "Euler order {p}");
    }

    #[test]
    fn rk4_has_order_four() {
        let p = measured_order(&Rk4);
        assert!((p - 4.0).abs() < 0.1, "RK4 order {p}");
    }

    #[test]
    fn rk4_is_exact_on_cubics_in_time() {
        // ẋ = 4t³: RK4 is Simpson's rule here, exact for polynomials of degree ≤ 3 per step,
        // and x = t⁴ is integrated with error O(Δt⁴) — check Simpson exactness on ẋ = 3t².
        fn cubic_rate(t: f64, _x: &[f64], dx: &mut [f64]) {
            dx[0] = 3.0 * t * t;
        }
        let traj = Rk4.integrate(&Field::new(1, cubic_rate), &[0.0], 2.0, 3);
        assert!((traj.last()[0] - 8.0).abs() < 1e-13);
    }

    #[test]
    fn the_last_time_is_exactly_t_end() {
        let traj = Euler.integrate(&Field::new(1, periodic_growth), &[1.0], 0.3, 7);
        assert_eq!(traj.t_end(), 0.3);
        assert_eq!(traj.n_evals, 7);
    }

    #[test]
    #[should_panic(expected = "t_end must be finite and > 0, got -1")]
    fn negative_t_end_is_rejected() {
        Euler.integrate(&Field::new(1, periodic_growth), &[1.0], -1.0, 7);
    }
}
