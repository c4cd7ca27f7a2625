//! Exercises of notebooks/37-capstone-and-journal-club.ipynb.

use super::{Feedback, close};

/// Exercise 37.1: Laplace's estimate of the left population $P_L$ of a two-state system from
/// the well energies `u_left`, `u_right`, the curvatures `k_left`, `k_right` ($U''$ at the
/// minima) and the temperature `kt`:
/// $P_L/P_R = e^{-(U_L-U_R)/kT}\sqrt{k_R/k_L}$, $P_L = r/(1+r)$.
///
/// # Examples
/// ```
/// let r = (-(-0.04f64 - 0.04) / 0.08).exp() * (8.16f64 / 7.84).sqrt();
/// assert!(course::exercises::nb37::check_q1(-0.04, 0.04, 7.84, 8.16, 0.08, r / (1.0 + r)).is_correct());
/// ```
pub fn check_q1(u_left: f64, u_right: f64, k_left: f64, k_right: f64, kt: f64, p_left: f64) -> Feedback {
    let ex = "37.1";
    assert!(kt > 0.0 && k_left > 0.0 && k_right > 0.0, "check_q1: kt and the curvatures must be > 0");
    let boltz = (-(u_left - u_right) / kt).exp();
    let ratio = boltz * (k_right / k_left).sqrt();
    let expected = ratio / (1.0 + ratio);
    if close(p_left, expected, 1e-9) {
        return Feedback::correct(ex, format!("P_L = {expected:.4}: each well holds e^(−U/kT)·√(2πkT/U''), the Gaussian integral of its harmonic approximation."));
    }
    if close(p_left, ratio, 1e-9) {
        return Feedback::wrong(ex, "that is the ratio P_L/P_R; the population is r/(1 + r).");
    }
    if close(p_left, boltz / (1.0 + boltz), 1e-9) {
        return Feedback::wrong(ex, "the Boltzmann factor alone ignores the widths of the wells: multiply by √(U''_R/U''_L) (a flatter well holds more).");
    }
    let flipped = boltz * (k_left / k_right).sqrt();
    if close(p_left, flipped / (1.0 + flipped), 1e-9) {
        return Feedback::wrong(ex, "the curvature ratio is upside down: the width of a well is ∝ 1/√U'', so the left well gains √(U''_R/U''_L).");
    }
    if close(p_left, 1.0 - expected, 1e-9) {
        return Feedback::wrong(ex, "that is P_R: the sign of U_L − U_R is flipped.");
    }
    Feedback::wrong(ex, format!("expected P_L = {expected:.4}, got {p_left:.4}."))
}

/// Exercise 37.2: the posterior weight of component 1 of the prior
/// $w_0\,\mathcal N(m_0, v_0) + w_1\,\mathcal N(m_1, v_1)$ after observing $y = x + \sigma\eta$:
/// $w'_1 \propto w_1\,\mathcal N(y; m_1, v_1 + \sigma^2)$.
///
/// # Examples
/// ```
/// let npdf = |y: f64, m: f64, v: f64| (-(y - m).powi(2) / (2.0 * v)).exp() / (std::f64::consts::TAU * v).sqrt();
/// let (a, b) = (0.3 * npdf(0.5, -1.0, 0.25 + 0.36), 0.7 * npdf(0.5, 2.0, 0.5 + 0.36));
/// let ok = course::exercises::nb37::check_q2([0.3, 0.7], [-1.0, 2.0], [0.25, 0.5], 0.6, 0.5, b / (a + b));
/// assert!(ok.is_correct());
/// ```
pub fn check_q2(weights: [f64; 2], means: [f64; 2], variances: [f64; 2], noise_std: f64, y: f64, w1: f64) -> Feedback {
    let ex = "37.2";
    let npdf = |m: f64, v: f64| (-(y - m).powi(2) / (2.0 * v)).exp() / (std::f64::consts::TAU * v).sqrt();
    let s2 = noise_std * noise_std;
    let post = |v_add: f64, use_w: bool| {
        let a = if use_w { weights[0] } else { 1.0 } * npdf(means[0], variances[0] + v_add);
        let b = if use_w { weights[1] } else { 1.0 } * npdf(means[1], variances[1] + v_add);
        (a, b)
    };
    let (a, b) = post(s2, true);
    let expected = b / (a + b);
    if close(w1, expected, 1e-9) {
        return Feedback::correct(ex, format!("w'₁ = {expected:.4}: the evidence of each component is N(y; m_k, v_k + σ²), prior spread plus noise."));
    }
    let (a0, b0) = post(0.0, true);
    if close(w1, b0 / (a0 + b0), 1e-9) {
        return Feedback::wrong(ex, "y = x + noise, so under component k it has variance v_k + σ², not v_k: add the noise variance.");
    }
    let (a1, b1) = post(s2, false);
    if close(w1, b1 / (a1 + b1), 1e-9) {
        return Feedback::wrong(ex, "the prior weights are missing: w'_k ∝ w_k × evidence_k.");
    }
    if close(w1, b, 1e-9) {
        return Feedback::wrong(ex, "normalize: divide by the sum over both components.");
    }
    let (an, bn) = post(noise_std, true);
    if close(w1, bn / (an + bn), 1e-9) {
        return Feedback::wrong(ex, "add the noise *variance* σ², not the standard deviation σ.");
    }
    Feedback::wrong(ex, format!("expected w'₁ = {expected:.4}, got {w1:.4}."))
}
