//! Exercises of notebooks/07-odes-and-dynamical-systems.ipynb.

use super::{Feedback, vec_close};
use crate::dynamics::{Field, Stability, Stepper, VectorField, classify_trace_det, fixed_point, jacobian, loglog_slope};
use ndarray::Array2;

/// The signature of a one-step method written in the notebook: `step(field, t, x, dt)`.
pub type StepFn = fn(&dyn VectorField, f64, &[f64], f64) -> Vec<f64>;

/// A non-autonomous planar test field: ẋ = y cos t, ẏ = −x + t/2 (so that slips in the time
/// argument show).
fn test_field(t: f64, x: &[f64], dx: &mut [f64]) {
    dx[0] = x[1] * t.cos();
    dx[1] = -x[0] + 0.5 * t;
}

/// Heun's method (explicit trapezoid), the reference.
fn heun(f: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
    let k1 = f.at(t, x);
    let pred: Vec<f64> = x.iter().zip(&k1).map(|(a, k)| a + dt * k).collect();
    let k2 = f.at(t + dt, &pred);
    x.iter().zip(k1.iter().zip(&k2)).map(|(a, (p, q))| a + 0.5 * dt * (p + q)).collect()
}

/// The usual slips, each a function with the same signature.
fn euler(f: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
    crate::dynamics::Euler.step(f, t, x, dt)
}
fn midpoint(f: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
    let k1 = f.at(t, x);
    let mid: Vec<f64> = x.iter().zip(&k1).map(|(a, k)| a + 0.5 * dt * k).collect();
    let k2 = f.at(t + 0.5 * dt, &mid);
    x.iter().zip(&k2).map(|(a, k)| a + dt * k).collect()
}
fn heun_wrong_time(f: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
    let k1 = f.at(t, x);
    let pred: Vec<f64> = x.iter().zip(&k1).map(|(a, k)| a + dt * k).collect();
    let k2 = f.at(t, &pred);
    x.iter().zip(k1.iter().zip(&k2)).map(|(a, (p, q))| a + 0.5 * dt * (p + q)).collect()
}
fn end_slope_only(f: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
    let k1 = f.at(t, x);
    let pred: Vec<f64> = x.iter().zip(&k1).map(|(a, k)| a + dt * k).collect();
    let k2 = f.at(t + dt, &pred);
    x.iter().zip(&k2).map(|(a, k)| a + dt * k).collect()
}

/// Measured order of `step` on ẋ = x cos t (exact solution exp(sin t)) over [0, 2].
fn measured_order(step: StepFn) -> f64 {
    fn growth(t: f64, x: &[f64], dx: &mut [f64]) {
        dx[0] = x[0] * t.cos();
    }
    let field = Field::new(1, growth);
    let ns = [20usize, 40, 80, 160];
    let errors: Vec<f64> = ns
        .iter()
        .map(|&n| {
            let dt = 2.0 / n as f64;
            let mut x = vec![1.0];
            for k in 0..n {
                x = step(&field, k as f64 * dt, &x, dt);
            }
            (x.first().copied().unwrap_or(f64::NAN) - 2f64.sin().exp()).abs().max(1e-300)
        })
        .collect();
    let dts: Vec<f64> = ns.iter().map(|&n| 2.0 / n as f64).collect();
    if errors.iter().all(|e| e.is_finite()) { loglog_slope(&dts, &errors) } else { f64::NAN }
}

/// Exercise 07.1: one step of Heun's method (the explicit trapezoidal rule),
/// $\tilde x = x + \Delta t\,f(t, x)$, $x_{\text{new}} = x + \frac{\Delta t}2\big(f(t, x) + f(t + \Delta t, \tilde x)\big)$,
/// written as a `fn(&dyn VectorField, f64, &[f64], f64) -> Vec<f64>`. The check compares it
/// with the reference on a non-autonomous field, then measures its order (2).
///
/// # Examples
/// ```
/// use course::dynamics::VectorField;
/// fn heun_step(f: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
///     let k1 = f.at(t, x);
///     let pred: Vec<f64> = x.iter().zip(&k1).map(|(a, k)| a + dt * k).collect();
///     let k2 = f.at(t + dt, &pred);
///     x.iter().zip(k1.iter().zip(&k2)).map(|(a, (p, q))| a + 0.5 * dt * (p + q)).collect()
/// }
/// assert!(course::exercises::nb07::check_q1(heun_step).is_correct());
/// ```
pub fn check_q1(step: StepFn) -> Feedback {
    let ex = "07.1";
    let field = Field::new(2, test_field);
    let cases = [(0.0, [1.0, 0.5], 0.1), (0.7, [-0.3, 2.0], 0.25), (2.0, [0.4, -1.2], 0.05)];
    let run = |s: StepFn| -> Vec<Vec<f64>> { cases.iter().map(|(t, x, dt)| s(&field, *t, x, *dt)).collect() };
    let answer = run(step);
    if let Some(a) = answer.iter().find(|a| a.len() != 2) {
        return Feedback::wrong(ex, format!("the step must return a state of the same length as x (2 here), got {} entries.", a.len()));
    }
    let same = |s: StepFn| answer.iter().zip(run(s)).all(|(a, b)| vec_close(a, &b, 1e-12));
    if same(heun) {
        let p = measured_order(step);
        return Feedback::correct(ex, format!("Heun's step matches, and its measured order is {p:.2} (theory: 2)."));
    }
    if same(euler) {
        return Feedback::wrong(ex, "this is Euler's step (order 1): average the slope at the start with the slope at the Euler predictor x + Δt·f(t, x).");
    }
    if same(midpoint) {
        return Feedback::wrong(ex, "this is the explicit midpoint method (also order 2, but a different formula): Heun takes the slope at the full Euler predictor, at time t + Δt, and averages it with f(t, x).");
    }
    if same(heun_wrong_time) {
        return Feedback::wrong(ex, "the second slope must be evaluated at time t + Δt, not t (the field here depends on t).");
    }
    if same(end_slope_only) {
        return Feedback::wrong(ex, "you used only the slope at the predicted point: the new state is x + Δt/2 · (f(t, x) + f(t + Δt, x̃)).");
    }
    let p = measured_order(step);
    Feedback::wrong(ex, format!(
        "the step differs from Heun's (expected {:?} from t = 0, x = (1, 0.5), Δt = 0.1, got {:?}); its measured order is {p:.2}, Heun's is 2.",
        heun(&field, 0.0, &[1.0, 0.5], 0.1),
        answer[0]
    ))
}

/// The competition model of the exercise: $\dot x = x(3 - x - 2y)$, $\dot y = y(2 - x - y)$.
///
/// # Examples
/// ```
/// let mut dx = [0.0; 2];
/// course::exercises::nb07::rabbits_and_sheep(0.0, &[1.0, 1.0], &mut dx);
/// assert_eq!(dx, [0.0, 0.0]);
/// ```
pub fn rabbits_and_sheep(_t: f64, x: &[f64], dx: &mut [f64]) {
    dx[0] = x[0] * (3.0 - x[0] - 2.0 * x[1]);
    dx[1] = x[1] * (2.0 - x[0] - x[1]);
}

/// Exercise 07.2: the coexistence fixed point of [`rabbits_and_sheep`] (both populations
/// positive), its Jacobian (computed by hand) and its classification.
///
/// # Panics
/// If `x_star` does not have 2 entries or `jac` is not 2 × 2.
///
/// # Examples
/// ```
/// use course::dynamics::Stability;
/// let f = course::exercises::nb07::check_q2(&[1.0, 1.0], &ndarray::array![[-1.0, -2.0], [-1.0, -1.0]], Stability::Saddle);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(x_star: &[f64], jac: &Array2<f64>, kind: Stability) -> Feedback {
    let ex = "07.2";
    assert_eq!(x_star.len(), 2, "check_q2: x_star must have 2 entries, got {}", x_star.len());
    assert_eq!(jac.dim(), (2, 2), "check_q2: jac must be 2 × 2, got {:?}", jac.dim());
    let field = Field::new(2, rabbits_and_sheep);
    let truth = fixed_point(&field, &[0.8, 1.2]).expect("the coexistence point is a simple root");
    let residual = field.at(0.0, x_star).iter().map(|v| v.abs()).fold(0.0, f64::max);
    if residual > 1e-9 {
        return Feedback::wrong(ex, format!("({}, {}) is not a fixed point: f there is {:?}. Solve 3 − x − 2y = 0 and 2 − x − y = 0.", x_star[0], x_star[1], field.at(0.0, x_star)));
    }
    if !vec_close(x_star, &truth.x, 1e-9) {
        return Feedback::wrong(ex, "that is a fixed point, but one species is extinct there: the coexistence point has x > 0 and y > 0 (both brackets vanish).");
    }
    let exact = jacobian(&field, 0.0, x_star);
    let jv: Vec<f64> = jac.iter().copied().collect();
    if !vec_close(&jv, &exact.iter().copied().collect::<Vec<_>>(), 1e-6) {
        if vec_close(&jv, &exact.t().iter().copied().collect::<Vec<_>>(), 1e-6) {
            return Feedback::wrong(ex, "your Jacobian is transposed: row i holds the partial derivatives of the i-th equation, J_ij = ∂f_i/∂x_j.");
        }
        let naive = ndarray::array![[3.0 - x_star[0] - 2.0 * x_star[1], 0.0], [0.0, 2.0 - x_star[0] - x_star[1]]];
        if vec_close(&jv, &naive.iter().copied().collect::<Vec<_>>(), 1e-6) {
            return Feedback::wrong(ex, "differentiate the products x(3 − x − 2y) with the product rule: ∂/∂x = 3 − 2x − 2y, ∂/∂y = −2x.");
        }
        return Feedback::wrong(ex, format!("the Jacobian at (1, 1) is not right: check each partial derivative of x(3 − x − 2y) and y(2 − x − y) (you gave {jac})."));
    }
    let (tr, det) = (exact[[0, 0]] + exact[[1, 1]], exact[[0, 0]] * exact[[1, 1]] - exact[[0, 1]] * exact[[1, 0]]);
    let expected = classify_trace_det(tr, det);
    if kind != expected {
        return Feedback::wrong(ex, format!("τ = {tr:.3} and Δ = {det:.3}: what does the sign of Δ say? (you answered {kind})."));
    }
    Feedback::correct(ex, format!(
        "coexistence at (1, 1) is a {expected} (Δ = {det:.0} < 0): the populations are pushed away from it and one species wins, depending on the start (Strogatz §6.4)."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_accepts_heun_and_names_the_usual_slips() {
        assert!(check_q1(heun).is_correct());
        assert!(check_q1(euler).message.contains("Euler"));
        assert!(check_q1(midpoint).message.contains("midpoint"));
        assert!(check_q1(heun_wrong_time).message.contains("t + Δt"));
        assert!(check_q1(end_slope_only).message.contains("only the slope"));
        fn rk4(f: &dyn VectorField, t: f64, x: &[f64], dt: f64) -> Vec<f64> {
            crate::dynamics::Rk4.step(f, t, x, dt)
        }
        let fb = check_q1(rk4);
        assert!(!fb.is_correct() && fb.message.contains("measured order is 4"), "{}", fb.message);
    }

    #[test]
    fn heun_has_order_two() {
        assert!((measured_order(heun) - 2.0).abs() < 0.1);
    }

    #[test]
    fn q2_accepts_the_saddle_and_spots_the_slips() {
        let j = ndarray::array![[-1.0, -2.0], [-1.0, -1.0]];
        assert!(check_q2(&[1.0, 1.0], &j, Stability::Saddle).is_correct());
        assert!(check_q2(&[3.0, 0.0], &j, Stability::Saddle).message.contains("extinct"));
        assert!(check_q2(&[1.0, 2.0], &j, Stability::Saddle).message.contains("not a fixed point"));
        assert!(check_q2(&[1.0, 1.0], &j.t().to_owned(), Stability::Saddle).message.contains("transposed"));
        assert!(check_q2(&[1.0, 1.0], &ndarray::array![[0.0, 0.0], [0.0, 0.0]], Stability::Saddle).message.contains("product rule"));
        assert!(check_q2(&[1.0, 1.0], &j, Stability::StableNode).message.contains("sign of Δ"));
    }
}
