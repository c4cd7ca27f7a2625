//! Dormand–Prince 5(4): an embedded Runge–Kutta pair with automatic step-size control.
//!
//! Seven stages give two solutions from the same evaluations, $x^{(5)}_{k+1}$ of order 5 and
//! $x^{(4)}_{k+1}$ of order 4; their difference estimates the local error of the step. With the
//! scale $s_i = \text{atol} + \text{rtol}\,\max(|x_{k,i}|, |x_{k+1,i}|)$,
//! $$\text{err} = \Big(\frac1{\text{dim}}\sum_i \Big(\frac{x^{(5)}_{k+1,i} - x^{(4)}_{k+1,i}}{s_i}\Big)^2\Big)^{1/2},$$
//! the step is accepted when $\text{err}\le 1$ and the next step is
//! $\Delta t_{\text{new}} = \Delta t\cdot\min\big(5, \max(0.2,\ 0.9\,\text{err}^{-1/5})\big)$.
//! The method continues with the order-5 solution (local extrapolation), and its last stage is
//! the first stage of the next step (FSAL): six new evaluations per attempted step.
//!
//! ## Reference
//! J. R. Dormand & P. J. Prince (1980), *A family of embedded Runge–Kutta formulae*,
//! J. Comput. Appl. Math. 6; E. Hairer, S. P. Nørsett & G. Wanner, *Solving Ordinary
//! Differential Equations I* (1993), §II.4–II.5.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

use super::vector_field::{check_positive, check_state};
use super::{Trajectory, VectorField};

const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0, 0.0, 0.0],
    [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0, 0.0],
    [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
];
/// Weights of the order-5 solution (= the last row of `A`: FSAL).
const B5: [f64; 7] = [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0, 0.0];
/// Weights of the embedded order-4 solution.
const B4: [f64; 7] = [
    5179.0 / 57600.0,
    0.0,
    7571.0 / 16695.0,
    393.0 / 640.0,
    -92097.0 / 339200.0,
    187.0 / 2100.0,
    1.0 / 40.0,
];

/// The Dormand–Prince 5(4) integrator with relative and absolute tolerances.
///
/// # Examples
/// ```
/// use course::dynamics::{DormandPrince, Field};
/// fn decay(_t: f64, x: &[f64], dx: &mut [f64]) { dx[0] = -x[0]; }
/// let traj = DormandPrince::new(1e-8, 1e-10).integrate(&Field::new(1, decay), &[1.0], 5.0);
/// assert!((traj.last()[0] - (-5.0f64).exp()).abs() < 1e-8);
/// assert!(traj.n_steps() < 100);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DormandPrince {
    /// Relative tolerance per step.
    pub rtol: f64,
    /// Absolute tolerance per step.
    pub atol: f64,
    /// Budget of step attempts (accepted + rejected); default 1 000 000.
    pub max_steps: usize,
}

impl DormandPrince {
    /// The integrator with tolerances `rtol` and `atol`.
    ///
    /// # Panics
    /// Unless both tolerances are finite and > 0.
    pub fn new(rtol: f64, atol: f64) -> Self {
        check_positive("DormandPrince::new", "rtol", rtol);
        check_positive("DormandPrince::new", "atol", atol);
        DormandPrince { rtol, atol, max_steps: 1_000_000 }
    }

    /// Integrates from $x(0) = x_0$ to `t_end`; the trajectory holds the accepted steps.
    ///
    /// # Panics
    /// If `x0` does not have `field.dim()` finite entries, `t_end <= 0`, the step size
    /// underflows (a singularity of the solution) or `max_steps` attempts are exhausted.
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::{DormandPrince, Kepler};
    /// // The circular orbit has period 2π: the solution returns to its start.
    /// let x0 = Kepler::initial_state(0.0);
    /// let traj = DormandPrince::new(1e-10, 1e-10).integrate(&Kepler, &x0, 2.0 * std::f64::consts::PI);
    /// assert!(traj.last().iter().zip(&x0).all(|(a, b)| (a - b).abs() < 1e-8));
    /// assert_eq!(traj.n_evals, 2 + 6 * (traj.n_steps() + traj.n_rejected));
    /// ```
    pub fn integrate(&self, field: &dyn VectorField, x0: &[f64], t_end: f64) -> Trajectory {
        let what = "DormandPrince::integrate";
        check_state(what, "x0", field.dim(), x0);
        check_positive(what, "t_end", t_end);
        let n = x0.len();
        let mut k: Vec<Vec<f64>> = vec![vec![0.0; n]; 7];
        let mut y = vec![0.0; n];
        let mut x_new = vec![0.0; n];
        let (mut ts, mut xs) = (vec![0.0], vec![x0.to_vec()]);
        let mut x = x0.to_vec();
        let mut t = 0.0;
        field.eval(t, &x, &mut k[0]);
        let mut n_evals = 1;
        let (mut dt, evals) = self.initial_step(field, &x, &k[0], t_end);
        n_evals += evals;
        let (mut n_rejected, mut attempts) = (0, 0);
        while t < t_end {
            attempts += 1;
            assert!(
                attempts <= self.max_steps,
                "{what}: max_steps = {} attempts exhausted at t = {t} (is the problem stiff, or the tolerance too small?)",
                self.max_steps
            );
            let last = t + 1.01 * dt >= t_end; // no sliver of a last step
            if last {
                dt = t_end - t;
            }
            assert!(dt > 1e-14 * t.abs().max(1.0), "{what}: step size underflow at t = {t} (dt = {dt:e}): the solution may blow up");
            for s in 1..7 {
                for i in 0..n {
                    y[i] = x[i] + dt * (0..s).map(|j| A[s][j] * k[j][i]).sum::<f64>();
                }
                field.eval(t + C[s] * dt, &y, &mut k[s]);
            }
            n_evals += 6;
            // y now holds the order-5 solution (stage 7 is evaluated at it: FSAL).
            x_new.copy_from_slice(&y);
            let mut sum = 0.0;
            for i in 0..n {
                let e = dt * (0..7).map(|j| (B5[j] - B4[j]) * k[j][i]).sum::<f64>();
                let scale = self.atol + self.rtol * x[i].abs().max(x_new[i].abs());
                sum += (e / scale).powi(2);
            }
            let err = (sum / n as f64).sqrt();
            if err <= 1.0 {
                t = if last { t_end } else { t + dt };
                x.copy_from_slice(&x_new);
                ts.push(t);
                xs.push(x.clone());
                k.swap(0, 6);
                let factor = if err == 0.0 { 5.0 } else { (0.9 * err.powf(-0.2)).clamp(0.2, 5.0) };
                dt *= factor;
            } else {
                n_rejected += 1;
                dt *= (0.9 * err.powf(-0.2)).clamp(0.2, 1.0);
            }
        }
        Trajectory { t: ts, x: xs, n_evals, n_rejected }
    }

    /// Hairer's starting step: a step whose Euler and second-order terms are about the
    /// tolerance. Returns the step and the number of evaluations it cost.
    fn initial_step(&self, field: &dyn VectorField, x0: &[f64], f0: &[f64], t_end: f64) -> (f64, usize) {
        let n = x0.len() as f64;
        let scale: Vec<f64> = x0.iter().map(|v| self.atol + self.rtol * v.abs()).collect();
        let norm = |v: &[f64]| (v.iter().zip(&scale).map(|(a, s)| (a / s).powi(2)).sum::<f64>() / n).sqrt();
        let (d0, d1) = (norm(x0), norm(f0));
        let h0 = if d0 < 1e-5 || d1 < 1e-5 { 1e-6 } else { 0.01 * d0 / d1 };
        let h0 = h0.min(t_end);
        let x1: Vec<f64> = x0.iter().zip(f0).map(|(x, f)| x + h0 * f).collect();
        let f1 = field.at(h0, &x1);
        let diff: Vec<f64> = f1.iter().zip(f0).map(|(a, b)| a - b).collect();
        let d2 = norm(&diff) / h0;
        let h1 = if d1.max(d2) <= 1e-15 { (h0 * 1e-3).max(1e-6) } else { (0.01 / d1.max(d2)).powf(0.2) };
        ((100.0 * h0).min(h1).min(t_end), 1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Field, Kepler, Rk4, Stepper};
    use super::*;

    fn periodic_growth(t: f64, x: &[f64], dx: &mut [f64]) {
        dx[0] = x[0] * t.cos();
    }

    #[test]
    fn the_tableau_is_consistent() {
        // Row sums of A equal the nodes c; both weight vectors sum to 1; order-5 conditions
        // Σ b c^{q-1} = 1/q for q = 1..5 hold for B5, and for q = 1..4 for B4.
        for s in 0..7 {
            assert!((A[s].iter().sum::<f64>() - C[s]).abs() < 1e-14, "row {s}");
        }
        for q in 1..=5 {
            let m5: f64 = (0..7).map(|j| B5[j] * C[j].powi(q - 1)).sum();
            assert!((m5 - 1.0 / q as f64).abs() < 1e-14, "B5 moment {q}");
            if q <= 4 {
                let m4: f64 = (0..7).map(|j| B4[j] * C[j].powi(q - 1)).sum();
                assert!((m4 - 1.0 / q as f64).abs() < 1e-14, "B4 moment {q}");
            }
        }
    }

    #[test]
    fn global_error_follows_the_tolerance() {
        // Oracle x(t) = exp(sin t). The error is controlled per step, so the global error is
        // proportional to the tolerance, within a modest factor.
        let field = Field::new(1, periodic_growth);
        let mut prev = f64::INFINITY;
        for tol in [1e-4, 1e-6, 1e-8, 1e-10] {
            let traj = DormandPrince::new(tol, tol).integrate(&field, &[1.0], 10.0);
            let err = (traj.last()[0] - 10f64.sin().exp()).abs();
            assert!(err < 10.0 * tol, "tol {tol}: error {err}");
            assert!(err < prev, "error must shrink with the tolerance");
            prev = err;
            assert_eq!(traj.t_end(), 10.0);
        }
    }

    #[test]
    fn every_accepted_step_meets_the_tolerance() {
        // Oracle: the exact flow of ẋ = x cos t from (t_k, x_k) is x_k exp(sin t_{k+1} − sin t_k),
        // so the true local error of each accepted step is known; it must be below
        // atol + rtol·|x| (the estimate bounds the order-4 solution, the order-5 one is better).
        // The estimate is asymptotic (small steps): at loose tolerances like 1e-3 it can be off.
        let field = Field::new(1, periodic_growth);
        for tol in [1e-5, 1e-7, 1e-9] {
            let traj = DormandPrince::new(tol, tol).integrate(&field, &[1.0], 10.0);
            for k in 0..traj.n_steps() {
                let (t0, t1, x0) = (traj.t[k], traj.t[k + 1], traj.x[k][0]);
                let exact = x0 * (t1.sin() - t0.sin()).exp();
                let local = (traj.x[k + 1][0] - exact).abs();
                assert!(local <= tol + tol * exact.abs(), "tol {tol}, step {k}: local error {local}");
            }
        }
    }

    #[test]
    fn steps_scale_like_tol_to_the_minus_one_fifth() {
        // Local error ~ C dt⁵ = tol gives n_steps ~ tol^(−1/5): 100× smaller tol, 2.5× more steps.
        let field = Field::new(1, periodic_growth);
        let n = |tol: f64| DormandPrince::new(tol, tol).integrate(&field, &[1.0], 10.0).n_steps() as f64;
        let ratio = n(1e-10) / n(1e-8);
        assert!((ratio - 100f64.powf(0.2)).abs() < 0.5, "ratio {ratio}");
    }

    #[test]
    fn eccentric_kepler_orbit_closes_with_fewer_evaluations_than_rk4() {
        // After one period the orbit returns to its start. Adaptive steps concentrate at
        // perihelion, where fixed steps must be small everywhere.
        let e = 0.9;
        let kepler = Kepler;
        let x0 = Kepler::initial_state(e);
        let period = 2.0 * std::f64::consts::PI;
        let dp = DormandPrince::new(1e-10, 1e-10).integrate(&kepler, &x0, period);
        let err_dp = dist(dp.last(), &x0);
        assert!(err_dp < 1e-5, "DP error {err_dp}");
        let rk = Rk4.integrate(&kepler, &x0, period, dp.n_evals / 4);
        let err_rk = dist(rk.last(), &x0);
        assert!(err_rk > 100.0 * err_dp, "RK4 at equal cost: {err_rk} vs DP {err_dp}");
        let sizes = dp.step_sizes();
        let (lo, hi) = sizes.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &s| (a.min(s), b.max(s)));
        assert!(hi > 20.0 * lo, "step sizes should vary along the orbit: {lo} .. {hi}");
    }

    fn dist(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt()
    }

    #[test]
    #[should_panic(expected = "rtol must be finite and > 0, got 0")]
    fn zero_tolerance_is_rejected() {
        DormandPrince::new(0.0, 1e-6);
    }

    #[test]
    #[should_panic(expected = "step size underflow")]
    fn blow_up_is_reported() {
        // ẋ = x², x(0) = 1 blows up at t = 1.
        fn square(_t: f64, x: &[f64], dx: &mut [f64]) {
            dx[0] = x[0] * x[0];
        }
        DormandPrince::new(1e-8, 1e-8).integrate(&Field::new(1, square), &[1.0], 2.0);
    }
}
