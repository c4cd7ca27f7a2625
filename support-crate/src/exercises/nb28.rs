//! Exercises of notebooks/28-flows-and-flow-matching.ipynb.

use super::{Feedback, close, vec_close};
use crate::generative::flows::ProbabilityPath;
use ndarray::Array2;
use std::f64::consts::PI;

/// $\log\mathcal N(z; 0, I_2)$.
fn log_std_normal(z: [f64; 2]) -> f64 {
    -(2.0 * PI).ln() - 0.5 * (z[0] * z[0] + z[1] * z[1])
}

/// Exercise 28.1: the change of variables for the affine flow $z = f(x) = Ax + b$ in 2-D:
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
/// assert!(course::exercises::nb28::check_q1(&array![[2.0, 0.0], [0.0, 2.0]], &[0.0, 0.0], &[0.0, 0.0], lp).is_correct());
/// ```
pub fn check_q1(a: &Array2<f64>, b: &[f64], x: &[f64], log_p: f64) -> Feedback {
    let ex = "28.1";
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

/// Exercise 28.2: the marginal velocity $v_t(x)$ of the OT path with `sigma_min` for
/// one-dimensional Gaussian data $\mathcal N(m, s^2)$, at the point `x` and time `t`.
///
/// # Panics
/// If `s <= 0`, `sigma_min` is not in `[0, 1)` or `t` not in `[0, 1]`.
///
/// # Examples
/// ```
/// // at the mean x = t m of p_t the OT field is m
/// assert!(course::exercises::nb28::check_q2(0.0, 2.0, 1.0, 0.3, 0.6, 2.0).is_correct());
/// ```
pub fn check_q2(sigma_min: f64, m: f64, s: f64, t: f64, x: f64, v: f64) -> Feedback {
    let ex = "28.2";
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
}
