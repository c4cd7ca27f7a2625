//! Exercises of notebooks/18-variational-inference.ipynb.

use super::{Feedback, close};
use crate::inference::{NormalGammaPrior, kl_gaussian};

/// Exercise 18.1: $\mathrm{KL}(\mathcal N(m_q,s_q^2)\,\|\,\mathcal N(m_p,s_p^2))$ by hand
/// (`s_q`, `s_p` are standard deviations).
///
/// # Panics
/// If `s_q <= 0` or `s_p <= 0`.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb18::check_q1(1.0, 1.0, 0.0, 1.0, 0.5).is_correct());
/// ```
pub fn check_q1(m_q: f64, s_q: f64, m_p: f64, s_p: f64, kl: f64) -> Feedback {
    let ex = "18.1";
    let expected = kl_gaussian(m_q, s_q, m_p, s_p);
    if close(kl, expected, 1e-9) {
        return Feedback::correct(ex, format!("KL(q‖p) = {expected:.6} = ln(s_p/s_q) + (s_q² + (m_q − m_p)²)/(2s_p²) − ½."));
    }
    if close(kl, kl_gaussian(m_p, s_p, m_q, s_q), 1e-9) {
        return Feedback::wrong(ex, "that is KL(p‖q): the arguments are swapped. KL is not symmetric; the expectation is under q, the first argument.");
    }
    if close(kl, expected + 0.5, 1e-9) {
        return Feedback::wrong(ex, "the −½ is missing (check: KL(q‖q) must be 0).");
    }
    if close(kl, expected + (s_p / s_q).ln(), 1e-9) {
        return Feedback::wrong(ex, "the log term is ln(s_p/s_q) = ½ ln(s_p²/s_q²): you used the log of the variance ratio without the ½.");
    }
    if close(kl, expected + (s_q * s_q - s_q) / (2.0 * s_p * s_p), 1e-9) || close(kl, (s_p / s_q).ln() + (s_q + (m_q - m_p).powi(2)) / (2.0 * s_p * s_p) - 0.5, 1e-9) {
        return Feedback::wrong(ex, "s_q is a standard deviation: the numerator has the variance s_q².");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {kl:.6}."))
}

/// Exercise 18.2: one CAVI update of $q(\tau) = \mathrm{Gam}(a_N, b_N)$ given $q(\mu) = \mathcal N(\mu_N, \lambda_N^{-1})$.
///
/// # Panics
/// If `lambda_n <= 0`.
///
/// # Examples
/// ```
/// let prior = course::inference::NormalGammaPrior::new(0.0, 1.0, 1.0, 1.0);
/// assert!(course::exercises::nb18::check_q2(prior, &[1.0], 1.0, 2.0, 2.0, 2.0).is_correct());
/// ```
pub fn check_q2(prior: NormalGammaPrior, data: &[f64], mu_n: f64, lambda_n: f64, a_n: f64, b_n: f64) -> Feedback {
    let ex = "18.2";
    let (a, b) = prior.update_tau(data, mu_n, lambda_n);
    let n = data.len() as f64;
    let a_ok = close(a_n, a, 1e-9);
    let b_ok = close(b_n, b, 1e-9);
    if a_ok && b_ok {
        return Feedback::correct(ex, format!("q(τ) = Gam({a:.4}, {b:.4}); E_q[τ] = {:.4}.", a / b));
    }
    if !a_ok {
        if close(a_n, prior.a0 + 0.5 * n, 1e-9) {
            return Feedback::wrong(ex, "a_N = a₀ + (N + 1)/2: the prior p(μ | τ) also contributes ½ ln τ (its precision is λ₀τ).");
        }
        return Feedback::wrong(ex, format!("a_N should be a₀ + (N + 1)/2 = {a:.6}, got {a_n:.6}."));
    }
    // b_N without the variance terms 1/λ_N (plugging in μ = μ_N).
    let plug = prior.b0 + 0.5 * (data.iter().map(|x| (x - mu_n).powi(2)).sum::<f64>() + prior.lambda0 * (mu_n - prior.mu0).powi(2));
    if close(b_n, plug, 1e-9) {
        return Feedback::wrong(ex, "E_μ[(xᵢ − μ)²] = (xᵢ − μ_N)² + 1/λ_N: the variance of q(μ) is missing (you plugged in μ = μ_N).");
    }
    let no_prior = b - 0.5 * prior.lambda0 * ((mu_n - prior.mu0).powi(2) + 1.0 / lambda_n);
    if close(b_n, no_prior, 1e-9) {
        return Feedback::wrong(ex, "the prior term ½ λ₀ E[(μ − μ₀)²] is missing from b_N.");
    }
    if close(b_n, 2.0 * b - prior.b0, 1e-9) {
        return Feedback::wrong(ex, "the expected squares enter b_N with a factor ½.");
    }
    Feedback::wrong(ex, format!("a_N is right; b_N should be {b:.6}, got {b_n:.6}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_spots_swaps_and_missing_terms() {
        let (mq, sq, mp, sp) = (0.5, 0.6, -1.0, 1.5);
        let kl = kl_gaussian(mq, sq, mp, sp);
        assert!(check_q1(mq, sq, mp, sp, kl).is_correct());
        assert!(check_q1(mq, sq, mp, sp, kl_gaussian(mp, sp, mq, sq)).message.contains("swapped"));
        assert!(check_q1(mq, sq, mp, sp, kl + 0.5).message.contains("−½"));
        assert!(check_q1(mq, sq, mp, sp, kl + (sp / sq).ln()).message.contains("variance ratio"));
        let std_slip = (sp / sq).ln() + (sq + (mq - mp).powi(2)) / (2.0 * sp * sp) - 0.5;
        assert!(check_q1(mq, sq, mp, sp, std_slip).message.contains("standard deviation"));
    }

    #[test]
    fn q2_spots_a_plug_in_and_a_missing_prior() {
        let prior = NormalGammaPrior::new(0.5, 2.0, 2.0, 1.0);
        let data = [1.0, 1.4, 0.7, 1.9];
        let (mu_n, lambda_n) = prior.update_mu(&data, 3.0);
        let (a, b) = prior.update_tau(&data, mu_n, lambda_n);
        assert!(check_q2(prior, &data, mu_n, lambda_n, a, b).is_correct());
        assert!(check_q2(prior, &data, mu_n, lambda_n, a - 0.5, b).message.contains("(N + 1)/2"));
        let plug = prior.b0 + 0.5 * (data.iter().map(|x| (x - mu_n).powi(2)).sum::<f64>() + 2.0 * (mu_n - 0.5).powi(2));
        assert!(check_q2(prior, &data, mu_n, lambda_n, a, plug).message.contains("variance of q(μ)"));
        let no_prior = b - 0.5 * 2.0 * ((mu_n - 0.5).powi(2) + 1.0 / lambda_n);
        assert!(check_q2(prior, &data, mu_n, lambda_n, a, no_prior).message.contains("prior term"));
    }
}
