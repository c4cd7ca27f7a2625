//! Exercises of notebooks/34-flows-and-flow-matching.ipynb.

use super::{Feedback, close, vec_close};
use crate::generative::flows::ProbabilityPath;
use ndarray::Array2;
use std::f64::consts::PI;

/// $\log\mathcal N(z; 0, I_2)$.
fn log_std_normal(z: [f64; 2]) -> f64 {
    -(2.0 * PI).ln() - 0.5 * (z[0] * z[0] + z[1] * z[1])
}

/// Exercise 34.1: the change of variables for the affine flow $z = f(x) = Ax + b$ in 2-D:
/// $\log p(x) = \log\mathcal N(Ax + b; 0, I) + \log|\det A|$.
///
/// # Panics
/// If `a` is not 2 × 2 or `b`, `x` do not have 2 entries.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// // A = 2I, b = 0, x = 0: log N(0) + ln 4
/// let lp = -(2.0 * std::f64::consts::PI).ln() + 4f64.ln();
/// assert!(course::exercises::nb34::check_q1(&array![[2.0, 0.0], [0.0, 2.0]], &[0.0, 0.0], &[0.0, 0.0], lp).is_correct());
/// ```
pub fn check_q1(a: &Array2<f64>, b: &[f64], x: &[f64], log_p: f64) -> Feedback {
    let ex = "34.1";
    assert_eq!(a.dim(), (2, 2), "check_q1: a must be 2 × 2, got {:?}", a.dim());
    assert!(b.len() == 2 && x.len() == 2, "check_q1: b and x must have 2 entries");
    let z = [a[[0, 0]] * x[0] + a[[0, 1]] * x[1] + b[0], a[[1, 0]] * x[0] + a[[1, 1]] * x[1] + b[1]];
    let det = a[[0, 0]] * a[[1, 1]] - a[[0, 1]] * a[[1, 0]];
    let base = log_std_normal(z);
    let expected = base + det.abs().ln();
    if close(log_p, expected, 1e-9) {
        return Feedback::correct(ex, format!("log p(x) = {expected:.6}: the base density at z = f(x), plus log|det A| = {:.4} for the volume change.", det.abs().ln()));
    }
    if close(log_p, base, 1e-9) {
        return Feedback::wrong(ex, "that is log N(f(x)) alone: add log|det A|, the change of volume.");
    }
    if close(log_p, base - det.abs().ln(), 1e-9) {
        return Feedback::wrong(ex, "the sign of the log-determinant is flipped: z = f(x) maps data to noise, so log p(x) = log N(f(x)) + log|det J_f(x)|.");
    }
    if close(log_p, base + det.abs(), 1e-9) {
        return Feedback::wrong(ex, "you added |det A|; the formula adds its logarithm.");
    }
    if close(log_p, expected + (2.0 * PI).ln(), 1e-9) || close(log_p, expected + 0.5 * (2.0 * PI).ln(), 1e-9) {
        return Feedback::wrong(ex, "the normalizing constant of N(0, I₂) is missing: log N(z) = −ln(2π) − ‖z‖²/2 in 2-D.");
    }
    let base_x = log_std_normal([x[0], x[1]]) + det.abs().ln();
    if close(log_p, base_x, 1e-9) {
        return Feedback::wrong(ex, "evaluate the base density at z = Ax + b, not at x.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {log_p:.6}: z = {z:?}, log N(z) = {base:.6}, det A = {det:.6}."))
}

/// Exercise 34.2: the marginal velocity $v_t(x)$ of the OT path with `sigma_min` for
/// one-dimensional Gaussian data $\mathcal N(m, s^2)$, at the point `x` and time `t`.
///
/// # Panics
/// If `s <= 0`, `sigma_min` is not in `[0, 1)` or `t` not in `[0, 1]`.
///
/// # Examples
/// ```
/// // at the mean x = t m of p_t the OT field is m
/// assert!(course::exercises::nb34::check_q2(0.0, 2.0, 1.0, 0.3, 0.6, 2.0).is_correct());
/// ```
pub fn check_q2(sigma_min: f64, m: f64, s: f64, t: f64, x: f64, v: f64) -> Feedback {
    let ex = "34.2";
    assert!(s > 0.0, "check_q2: s must be > 0, got {s}");
    let path = ProbabilityPath::ot(sigma_min);
    let expected = path.gaussian_marginal_velocity(&Array2::from_elem((1, 1), x), &[m], s, t)[[0, 0]];
    if close(v, expected, 1e-9) {
        return Feedback::correct(ex, format!("v_t(x) = {expected:.6}: the regression of u_t on x_t, which is what flow matching learns."));
    }
    // the conditional velocity towards the mean instead of the marginal one
    let a = 1.0 - (1.0 - sigma_min) * t;
    let cond = (m - (1.0 - sigma_min) * x) / a;
    if close(v, cond, 1e-9) {
        return Feedback::wrong(ex, "that is the conditional velocity u_t(x | x₁ = m), as if every data point were at the mean; the marginal field averages over x₁ given x_t = x, so the spread s enters.");
    }
    let no_sigma = ProbabilityPath::ot(0.0).gaussian_marginal_velocity(&Array2::from_elem((1, 1), x), &[m], s, t)[[0, 0]];
    if sigma_min > 0.0 && close(v, no_sigma, 1e-9) {
        return Feedback::wrong(ex, "you used σ_min = 0: with σ_min > 0, a_t = 1 − (1 − σ_min)t and ȧ_t = −(1 − σ_min).");
    }
    if vec_close(&[v], &[m - x], 1e-9) {
        return Feedback::wrong(ex, "m − x is the straight line to the mean at unit speed, not the marginal field.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {v:.6}. With a_t, b_t = t and their derivatives: v = ḃ m + (a ȧ + b ḃ s²)/(a² + b² s²)·(x − b m)."))
}

/// The student's flow sampler: `(velocity, x0, n_steps) → x at t = 1`.
pub type FlowSampler = fn(&dyn Fn(&Array2<f64>, f64) -> Array2<f64>, &Array2<f64>, usize) -> Array2<f64>;

/// The reference: Heun's method on $t\in[0, 1]$ with `n` equal steps (as `FlowModel::sample_heun`).
fn heun_reference(v: &dyn Fn(&Array2<f64>, f64) -> Array2<f64>, x0: &Array2<f64>, n: usize) -> Array2<f64> {
    let dt = 1.0 / n as f64;
    let mut x = x0.clone();
    for k in 0..n {
        let v1 = v(&x, k as f64 * dt);
        let pred = &x + &(&v1 * dt);
        let v2 = v(&pred, ((k + 1) as f64 * dt).min(1.0));
        x = &x + &((v1 + v2) * (0.5 * dt));
    }
    x
}

/// Exercise 34.3 (implement): Heun's method for $dx/dt = v(x, t)$ from $t = 0$ to $1$ in `n_steps`
/// equal steps. The check runs the student's sampler on hidden fields (linear in $x$, time-dependent)
/// and step counts, and names the usual slip.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// fn heun_flow(v: &dyn Fn(&Array2<f64>, f64) -> Array2<f64>, x0: &Array2<f64>, n_steps: usize) -> Array2<f64> {
///     let dt = 1.0 / n_steps as f64;
///     let mut x = x0.clone();
///     for k in 0..n_steps {
///         let v1 = v(&x, k as f64 * dt);
///         let v2 = v(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt);
///         x = &x + &((v1 + v2) * (0.5 * dt));
///     }
///     x
/// }
/// assert!(course::exercises::nb34::check_q3(heun_flow).is_correct());
/// ```
pub fn check_q3(sampler: FlowSampler) -> Feedback {
    let ex = "34.3";
    let a = ndarray::array![[-0.5, 1.0], [-1.0, -0.2]];
    let field = |x: &Array2<f64>, t: f64| x.dot(&a.t()) + (3.0 * t).sin();
    let x0 = ndarray::array![[1.0, 0.0], [0.5, -2.0], [0.0, 0.3]];
    let steps = [1usize, 3, 10];
    let outputs: Vec<Array2<f64>> = steps.iter().map(|&n| sampler(&field, &x0, n)).collect();
    for out in &outputs {
        if out.dim() != x0.dim() {
            return Feedback::wrong(ex, format!("the sampler returns the points at t = 1, shaped like x0: expected {:?}, got {:?}.", x0.dim(), out.dim()));
        }
    }
    let all = |g: &dyn Fn(usize) -> Array2<f64>| steps.iter().zip(&outputs).all(|(&n, out)| out.iter().zip(g(n).iter()).all(|(p, q)| close(*p, *q, 1e-9)));
    if all(&|n| heun_reference(&field, &x0, n)) {
        return Feedback::correct(ex, "Heun: predict with Euler, correct with the mean of the velocities at both ends — second order, two evaluations per step. The next cell samples digits with your sampler.");
    }
    let euler = |n: usize| {
        let dt = 1.0 / n as f64;
        (0..n).fold(x0.clone(), |x, k| &x + &(field(&x, k as f64 * dt) * dt))
    };
    if all(&euler) {
        return Feedback::wrong(ex, "that is Euler's method: evaluate the velocity again at the predicted point and time t + Δt, and step with the average.");
    }
    let same_time = |n: usize| {
        let dt = 1.0 / n as f64;
        (0..n).fold(x0.clone(), |x, k| {
            let t = k as f64 * dt;
            let v1 = field(&x, t);
            let v2 = field(&(&x + &(&v1 * dt)), t);
            &x + &((v1 + v2) * (0.5 * dt))
        })
    };
    if all(&same_time) {
        return Feedback::wrong(ex, "the second velocity is taken at the end of the step: time t + Δt, not t (the field depends on time).");
    }
    if all(&|n| heun_reference(&field, &x0, n + 1)) || (steps[1..].iter().zip(&outputs[1..]).all(|(&n, out)| out.iter().zip(heun_reference(&field, &x0, n - 1).iter()).all(|(p, q)| close(*p, *q, 1e-9)))) {
        return Feedback::wrong(ex, "off by one step: n_steps steps of Δt = 1/n_steps take t from 0 exactly to 1.");
    }
    let end_only = |n: usize| {
        let dt = 1.0 / n as f64;
        (0..n).fold(x0.clone(), |x, k| {
            let v1 = field(&x, k as f64 * dt);
            &x + &(field(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt) * dt)
        })
    };
    if all(&end_only) {
        return Feedback::wrong(ex, "you step with the velocity at the predicted point only; use the average ½(v₁ + v₂).");
    }
    Feedback::wrong(ex, format!(
        "with 3 steps the first point should reach {:.6}, got {:.6}. Per step: v₁ = v(x, t), x̃ = x + Δt v₁, v₂ = v(x̃, t + Δt), x ← x + Δt (v₁ + v₂)/2.",
        heun_reference(&field, &x0, 3)[[0, 0]], outputs[1][[0, 0]]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        let a = array![[1.5, 0.3], [-0.2, 0.8]];
        let (b, x) = ([0.1, -0.4], [0.7, 1.2]);
        let z = [1.5 * 0.7 + 0.3 * 1.2 + 0.1, -0.2 * 0.7 + 0.8 * 1.2 - 0.4];
        let det: f64 = 1.5 * 0.8 + 0.3 * 0.2;
        let base = -(2.0 * PI).ln() - 0.5 * (z[0] * z[0] + z[1] * z[1]);
        assert!(check_q1(&a, &b, &x, base + det.ln()).is_correct());
        assert!(check_q1(&a, &b, &x, base).message.contains("add log|det A|"));
        assert!(check_q1(&a, &b, &x, base - det.ln()).message.contains("sign"));
        assert!(check_q1(&a, &b, &x, base + det.ln() + (2.0 * PI).ln()).message.contains("normalizing constant"));
    }

    #[test]
    fn q2_agrees_with_an_independent_formula_and_spots_the_conditional_field() {
        // independent: with a = 1 − (1−σ)t, b = t, the regression slope of u on x_t
        let (sig, m, s, t, x) = (0.1, 1.0, 0.5, 0.4, 0.8);
        let (a, b, da) = (1.0 - 0.9 * t, t, -0.9);
        let v = m + (a * da + b * s * s) / (a * a + b * b * s * s) * (x - b * m);
        assert!(check_q2(sig, m, s, t, x, v).is_correct());
        let cond = (m - 0.9 * x) / a;
        assert!(check_q2(sig, m, s, t, x, cond).message.contains("conditional velocity"));
        let v0 = ProbabilityPath::ot(0.0).gaussian_marginal_velocity(&Array2::from_elem((1, 1), x), &[m], s, t)[[0, 0]];
        assert!(check_q2(sig, m, s, t, x, v0).message.contains("σ_min = 0"));
    }

    #[test]
    fn q3_runs_the_students_sampler_and_names_the_slips() {
        type V<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;
        fn heun(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            let mut x = x0.clone();
            for k in 0..n {
                let v1 = v(&x, k as f64 * dt);
                let v2 = v(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt);
                x = &x + &((v1 + v2) * (0.5 * dt));
            }
            x
        }
        fn euler(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            (0..n).fold(x0.clone(), |x, k| &x + &(v(&x, k as f64 * dt) * dt))
        }
        fn same_time(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            (0..n).fold(x0.clone(), |x, k| {
                let v1 = v(&x, k as f64 * dt);
                let v2 = v(&(&x + &(&v1 * dt)), k as f64 * dt);
                &x + &((v1 + v2) * (0.5 * dt))
            })
        }
        fn one_more(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> { heun(v, x0, n + 1) }
        fn end_only(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            (0..n).fold(x0.clone(), |x, k| {
                let v1 = v(&x, k as f64 * dt);
                &x + &(v(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt) * dt)
            })
        }
        fn transposed(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> { heun(v, x0, n).t().to_owned() }
        fn other(_: V, x0: &Array2<f64>, _: usize) -> Array2<f64> { x0 * 2.0 }
        // the oracle: dx/dt = x has x(1) = e·x0; Heun's error is second order (doubling n divides it by ~4)
        let grow = |x: &Array2<f64>, _: f64| x.clone();
        let err = |n: usize| (heun(&grow, &ndarray::array![[1.0]], n)[[0, 0]] - std::f64::consts::E).abs();
        let ratio = err(10) / err(20);
        assert!(ratio > 3.5 && ratio < 4.5, "{ratio}");
        assert!(check_q3(heun).is_correct());
        assert!(check_q3(euler).message.contains("Euler's method"));
        assert!(check_q3(same_time).message.contains("t + Δt"));
        assert!(check_q3(one_more).message.contains("off by one"));
        assert!(check_q3(end_only).message.contains("average"));
        assert!(check_q3(transposed).message.contains("shaped like x0"));
        assert!(check_q3(other).message.contains("should reach"));
    }
}
