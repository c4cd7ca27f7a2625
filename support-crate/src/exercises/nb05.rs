//! Exercises of notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::{Feedback, close};

/// Exercise 05.1: Polyak's tuned heavy-ball parameters for a spectrum in $[\mu, L]$:
/// $\alpha = 4/(\sqrt L+\sqrt\mu)^2$ and $\beta = \big((\sqrt\kappa-1)/(\sqrt\kappa+1)\big)^2$.
///
/// # Panics
/// Unless `0 < mu < l`.
///
/// # Examples
/// ```
/// let f = course::exercises::nb05::check_q1(1.0, 9.0, 0.25, 0.25);
/// assert!(f.is_correct()); // α = 4/(3 + 1)², β = ((3 − 1)/(3 + 1))²
/// ```
pub fn check_q1(mu: f64, l: f64, lr: f64, momentum: f64) -> Feedback {
    let ex = "05.1";
    assert!(mu > 0.0 && mu < l, "check_q1: need 0 < mu < l, got mu = {mu}, l = {l}");
    let (lr_star, beta_star) = crate::optim::heavy_ball_parameters(mu, l);
    let sk = (l / mu).sqrt();
    let rate = (sk - 1.0) / (sk + 1.0);
    let lr_ok = close(lr, lr_star, 1e-9);
    let beta_ok = close(momentum, beta_star, 1e-9);
    if lr_ok && beta_ok {
        return Feedback::correct(ex, format!(
            "α = {lr_star:.6}, β = {beta_star:.6}: every eigenvalue of the iteration has modulus √β = (√κ−1)/(√κ+1) = {rate:.6}."
        ));
    }
    if !beta_ok {
        if close(momentum, rate, 1e-9) {
            return Feedback::wrong(ex, "(√κ − 1)/(√κ + 1) is the rate; the momentum is its square, because the complex eigenvalues of the iteration have modulus √β.");
        }
        let k = l / mu;
        if close(momentum, ((k - 1.0) / (k + 1.0)).powi(2), 1e-9) || close(momentum, (k - 1.0) / (k + 1.0), 1e-9) {
            return Feedback::wrong(ex, "use √κ, not κ: the whole point of momentum is the square root.");
        }
        return Feedback::wrong(ex, format!("expected β = ((√κ − 1)/(√κ + 1))² = {beta_star:.6}, got {momentum:.6}."));
    }
    if close(lr, 1.0 / l, 1e-9) || close(lr, 2.0 / (mu + l), 1e-9) {
        return Feedback::wrong(ex, "that is a step for plain gradient descent; with momentum the tuned step is 4/(√L + √μ)², larger.");
    }
    if close(lr, 2.0 / (l.sqrt() + mu.sqrt()).powi(2), 1e-9) {
        return Feedback::wrong(ex, "almost: the step is 4/(√L + √μ)², with a 4.");
    }
    Feedback::wrong(ex, format!("expected α = 4/(√L + √μ)² = {lr_star:.6}, got {lr:.6}."))
}

/// Exercise 05.2: Adam's bias-corrected moments $\hat m_k$ and $\hat v_k$ after the scalar
/// gradients `grads` (in order), from $m_0 = v_0 = 0$.
///
/// # Panics
/// If `grads` is empty or a decay is outside `[0, 1)`.
///
/// # Examples
/// ```
/// let f = course::exercises::nb05::check_q2(&[2.0, 2.0], 0.9, 0.999, 2.0, 4.0);
/// assert!(f.is_correct()); // a constant gradient: the corrected moments are g and g²
/// ```
pub fn check_q2(grads: &[f64], beta1: f64, beta2: f64, m_hat: f64, v_hat: f64) -> Feedback {
    let ex = "05.2";
    assert!(!grads.is_empty(), "check_q2: grads must not be empty");
    let mut state = crate::optim::AdamState::new(1, beta1, beta2);
    for g in grads {
        state.update(&ndarray::array![*g]);
    }
    let (m, v) = (state.m[0], state.v[0]);
    let (mh, vh) = (state.m_hat()[0], state.v_hat()[0]);
    let k = grads.len() as i32;
    let m_ok = close(m_hat, mh, 1e-9);
    let v_ok = close(v_hat, vh, 1e-9);
    if m_ok && v_ok {
        return Feedback::correct(ex, format!(
            "m̂ = m/(1 − β₁^k) = {mh:.6} and v̂ = v/(1 − β₂^k) = {vh:.6} (raw m = {m:.6}, v = {v:.6}: biased towards 0)."
        ));
    }
    let which = if !m_ok { ("m̂", m_hat, m, beta1) } else { ("v̂", v_hat, v, beta2) };
    let (name, answer, raw, beta) = which;
    if close(answer, raw, 1e-9) {
        return Feedback::wrong(ex, format!("{name} = {answer:.6} is the raw moment: divide by 1 − β^k to remove the bias of starting from 0."));
    }
    if close(answer, raw / (1.0 - beta.powi(k - 1)), 1e-9) || close(answer, raw / (1.0 - beta.powi(k + 1)), 1e-9) {
        return Feedback::wrong(ex, format!("{name}: the correction uses β^k with k = {k}, the number of gradients folded in."));
    }
    if !m_ok {
        let swapped: f64 = grads.iter().fold(0.0, |m, g| beta1 * g + (1.0 - beta1) * m);
        if close(m_hat, swapped / (1.0 - beta1.powi(k)), 1e-9) || close(m_hat, swapped, 1e-9) {
            return Feedback::wrong(ex, "the weights are swapped: m ← β₁ m + (1 − β₁) g keeps most of the old average.");
        }
        return Feedback::wrong(ex, format!("expected m̂ = {mh:.6}, got {m_hat:.6}."));
    }
    let of_g: f64 = grads.iter().fold(0.0, |v, g| beta2 * v + (1.0 - beta2) * g);
    if close(v_hat, of_g / (1.0 - beta2.powi(k)), 1e-9) {
        return Feedback::wrong(ex, "v averages the squared gradients g², not g.");
    }
    Feedback::wrong(ex, format!("expected v̂ = {vh:.6}, got {v_hat:.6}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        let (mu, l) = (0.01, 1.0);
        let (a, b) = crate::optim::heavy_ball_parameters(mu, l);
        assert!(check_q1(mu, l, a, b).is_correct());
        assert!(check_q1(mu, l, a, 9.0 / 11.0).message.contains("square"));
        assert!(check_q1(mu, l, a, (99.0f64 / 101.0).powi(2)).message.contains("√κ"));
        assert!(check_q1(mu, l, 1.0, b).message.contains("plain gradient descent"));
    }

    #[test]
    fn q1_parameters_give_the_predicted_rate() {
        // Oracle: the spectral radius of the 2 × 2 heavy-ball matrix [[1 + β − αλ, −β], [1, 0]]
        // at both ends of the spectrum, from nalgebra's eigenvalues.
        let (mu, l) = (0.04, 1.0);
        let (a, b) = crate::optim::heavy_ball_parameters(mu, l);
        for lam in [mu, 0.3, l] {
            let m = nalgebra::Matrix2::new(1.0 + b - a * lam, -b, 1.0, 0.0);
            let r = m.complex_eigenvalues().iter().map(|z| z.norm()).fold(0.0, f64::max);
            assert!((r - 4.0 / 6.0).abs() < 1e-6, "λ = {lam}: {r}");
        }
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let g = [1.0, -0.5, 2.0, 0.25];
        let (b1, b2) = (0.9, 0.99);
        let mut s = crate::optim::AdamState::new(1, b1, b2);
        for x in g {
            s.update(&ndarray::array![x]);
        }
        let (mh, vh) = (s.m_hat()[0], s.v_hat()[0]);
        assert!(check_q2(&g, b1, b2, mh, vh).is_correct());
        assert!(check_q2(&g, b1, b2, s.m[0], vh).message.contains("raw moment"));
        assert!(check_q2(&g, b1, b2, s.m[0] / (1.0 - b1.powi(3)), vh).message.contains("β^k"));
        assert!(check_q2(&g, b1, b2, mh, s.v[0]).message.contains("raw moment"));
    }

    #[test]
    fn q2_by_hand_on_two_gradients() {
        // m₂ = 0.9·0.1·1 + 0.1·3 = 0.39, 1 − 0.9² = 0.19 → m̂ = 0.39/0.19.
        // v₂ = 0.999·0.001·1 + 0.001·9 = 0.009999, 1 − 0.999² = 0.001999 → v̂ = 0.009999/0.001999.
        assert!(check_q2(&[1.0, 3.0], 0.9, 0.999, 0.39 / 0.19, 0.009999 / 0.001999).is_correct());
    }
}
