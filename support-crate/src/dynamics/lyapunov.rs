//! The largest Lyapunov exponent of a flow, by Benettin's tangent-space method.
//!
//! A perturbation $v$ of a trajectory evolves by the linearized flow $\dot v = Df(x(t))\,v$.
//! For almost every $v(0)$,
//! $$\lambda_{\max} = \lim_{T\to\infty}\frac1T\ln\frac{\lVert v(T)\rVert}{\lVert v(0)\rVert}.$$
//! $\lVert v\rVert$ grows like $e^{\lambda_{\max}t}$, so it is renormalized to 1 after every step
//! and the logarithms of the growth factors are summed (Benettin et al.). The pair $(x, v)$ is
//! integrated with RK4; $Df(x)\,v$ is a central difference of $f$ along $v$, exact up to rounding
//! for fields that are polynomials of degree ≤ 2 (Lorenz) and for linear fields.
//! $\lambda_{\max} > 0$ means sensitive dependence on initial conditions: chaos.
//!
//! ## Reference
//! G. Benettin, L. Galgani, A. Giorgilli & J.-M. Strelcyn (1980), *Lyapunov characteristic
//! exponents for smooth dynamical systems*, Meccanica 15; S. Strogatz, *Nonlinear Dynamics and
//! Chaos* (2015), §9.3 and §10.5; the classic Lorenz value $\lambda_{\max}\approx 0.9056$ is from
//! J. C. Sprott, *Chaos and Time-Series Analysis* (2003), table A.1.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

use super::vector_field::{check_positive, check_state};
use super::{Rk4, Stepper, VectorField};

/// The estimate $\lambda_{\max}$ and its running value $\frac1{t}\sum\ln(\text{growth})$ over time.
#[derive(Clone, Debug, PartialEq)]
pub struct LyapunovEstimate {
    /// The estimate at `t_end`.
    pub exponent: f64,
    /// Times (measured from the end of the transient) at which the running estimate is recorded.
    pub t: Vec<f64>,
    /// The running estimate at those times (about 500 values).
    pub running: Vec<f64>,
}

/// The state $x$ and a tangent vector $v$: $\dot x = f(x)$, $\dot v = Df(x)v$.
struct Tangent<'a> {
    field: &'a dyn VectorField,
}

impl VectorField for Tangent<'_> {
    fn dim(&self) -> usize {
        2 * self.field.dim()
    }
    fn eval(&self, t: f64, xv: &[f64], out: &mut [f64]) {
        let n = self.field.dim();
        let (x, v) = xv.split_at(n);
        let (fx, jv) = out.split_at_mut(n);
        self.field.eval(t, x, fx);
        let vnorm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if vnorm == 0.0 {
            jv.fill(0.0);
            return;
        }
        let xnorm = x.iter().map(|a| a * a).sum::<f64>().sqrt();
        let eps = 1e-6 * (1.0 + xnorm) / vnorm;
        let plus: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + eps * b).collect();
        let minus: Vec<f64> = x.iter().zip(v).map(|(a, b)| a - eps * b).collect();
        let (mut fp, mut fm) = (vec![0.0; n], vec![0.0; n]);
        self.field.eval(t, &plus, &mut fp);
        self.field.eval(t, &minus, &mut fm);
        for i in 0..n {
            jv[i] = (fp[i] - fm[i]) / (2.0 * eps);
        }
    }
}

/// Estimates $\lambda_{\max}$ of `field` along the orbit from `x0`: RK4 with step `dt`, a
/// transient $[0, t_{\text{transient}}]$ that is discarded, then the average growth rate of a
/// renormalized tangent vector over $(t_{\text{transient}}, t_{\text{end}}]$.
///
/// # Panics
/// If `x0` does not have `field.dim()` finite entries, `dt <= 0`, `t_transient < 0` or
/// `t_end <= t_transient`.
///
/// # Examples
/// ```
/// use course::dynamics::{largest_lyapunov, LinearSystem};
/// // ẋ = Ax with eigenvalues 0.3 and −1: λmax = 0.3.
/// let sys = LinearSystem::new(ndarray::array![[0.3, 2.0], [0.0, -1.0]]);
/// let est = largest_lyapunov(&sys, &[1.0, 1.0], 0.01, 5.0, 105.0);
/// assert!((est.exponent - 0.3).abs() < 0.01);
/// ```
pub fn largest_lyapunov(field: &dyn VectorField, x0: &[f64], dt: f64, t_transient: f64, t_end: f64) -> LyapunovEstimate {
    let what = "largest_lyapunov";
    let n = field.dim();
    check_state(what, "x0", n, x0);
    check_positive(what, "dt", dt);
    assert!(t_transient >= 0.0 && t_transient.is_finite(), "{what}: t_transient must be finite and >= 0, got {t_transient}");
    assert!(t_end > t_transient && t_end.is_finite(), "{what}: t_end must be finite and > t_transient = {t_transient}, got {t_end}");
    // Transient: the orbit settles on the attractor.
    let mut x = x0.to_vec();
    let n_transient = (t_transient / dt).round() as usize;
    let mut next = vec![0.0; n];
    for k in 0..n_transient {
        Rk4.step_into(field, k as f64 * dt, &x, dt, &mut next);
        x.copy_from_slice(&next);
    }
    // Tangent dynamics from v = (1, 1, …)/√n.
    let tangent = Tangent { field };
    let mut xv = x.clone();
    xv.extend(std::iter::repeat_n(1.0 / (n as f64).sqrt(), n));
    let mut out = vec![0.0; 2 * n];
    let n_steps = ((t_end - t_transient) / dt).round().max(1.0) as usize;
    let record_every = (n_steps / 500).max(1);
    let (mut ts, mut running) = (Vec::new(), Vec::new());
    let mut sum = 0.0;
    let t0 = n_transient as f64 * dt;
    for k in 0..n_steps {
        Rk4.step_into(&tangent, t0 + k as f64 * dt, &xv, dt, &mut out);
        let g = out[n..].iter().map(|a| a * a).sum::<f64>().sqrt();
        sum += g.ln();
        for i in 0..n {
            xv[i] = out[i];
            xv[n + i] = out[n + i] / g;
        }
        if (k + 1) % record_every == 0 || k + 1 == n_steps {
            let elapsed = (k + 1) as f64 * dt;
            ts.push(elapsed);
            running.push(sum / elapsed);
        }
    }
    LyapunovEstimate { exponent: sum / (n_steps as f64 * dt), t: ts, running }
}

#[cfg(test)]
mod tests {
    use super::super::{DampedPendulum, Lorenz, LinearSystem};
    use super::*;

    #[test]
    fn linear_system_with_a_complex_pair_has_exponent_equal_to_the_real_part() {
        // Eigenvalues 0.2 ± 3i: growth e^{0.2t} with rotation.
        let sys = LinearSystem::new(ndarray::array![[0.2, -3.0], [3.0, 0.2]]);
        let est = largest_lyapunov(&sys, &[1.0, 0.0], 0.01, 0.0, 50.0);
        assert!((est.exponent - 0.2).abs() < 1e-6, "{}", est.exponent);
    }

    #[test]
    fn a_stable_focus_has_a_negative_exponent() {
        // Damped pendulum near the bottom: λmax = Re λ = −γ/2.
        let est = largest_lyapunov(&DampedPendulum { damping: 0.4 }, &[0.5, 0.0], 0.01, 0.0, 200.0);
        assert!((est.exponent + 0.2).abs() < 0.02, "{}", est.exponent);
    }

    /// Two nearby orbits, renormalized every `dt` (the other half of Benettin's paper).
    fn two_trajectories(field: &dyn VectorField, x0: &[f64], dt: f64, t_transient: f64, t_end: f64) -> f64 {
        let d0 = 1e-8;
        let mut x = x0.to_vec();
        let n_tr = (t_transient / dt).round() as usize;
        for k in 0..n_tr {
            x = Rk4.step(field, k as f64 * dt, &x, dt);
        }
        let mut y: Vec<f64> = x.iter().enumerate().map(|(i, a)| if i == 0 { a + d0 } else { *a }).collect();
        let n = ((t_end - t_transient) / dt).round() as usize;
        let mut sum = 0.0;
        for k in 0..n {
            let t = (n_tr + k) as f64 * dt;
            x = Rk4.step(field, t, &x, dt);
            y = Rk4.step(field, t, &y, dt);
            let d = x.iter().zip(&y).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
            sum += (d / d0).ln();
            y = x.iter().zip(&y).map(|(a, b)| a + (b - a) * d0 / d).collect();
        }
        sum / (n as f64 * dt)
    }

    #[test]
    fn lorenz_exponent_is_about_0_9_by_two_independent_methods() {
        let l = Lorenz::classic();
        let tangent = largest_lyapunov(&l, &[1.0, 1.0, 1.0], 0.01, 20.0, 520.0).exponent;
        let pair = two_trajectories(&l, &[1.0, 1.0, 1.0], 0.01, 20.0, 520.0);
        assert!((tangent - 0.9056).abs() < 0.05, "tangent {tangent}");
        assert!((pair - 0.9056).abs() < 0.05, "two trajectories {pair}");
    }

    #[test]
    #[should_panic(expected = "t_end must be finite and > t_transient")]
    fn t_end_before_transient_is_rejected() {
        largest_lyapunov(&Lorenz::classic(), &[1.0, 1.0, 1.0], 0.01, 10.0, 5.0);
    }
}
