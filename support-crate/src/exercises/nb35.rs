//! Exercises of notebooks/35-stochastic-control-and-sampling.ipynb.

use super::{Feedback, close};

/// Exercise 35.1: the Girsanov log-weight $\log\frac{dQ_u}{dP_0}$ of a path with end point
/// `x1` under the constant drift `u = m` and diffusion `sigma`:
/// $(m\cdot x_1 - \tfrac12\lvert m\rvert^2)/\sigma^2$ (it depends on the path only through $X_1$).
///
/// # Panics
/// If `m` and `x1` differ in length or `sigma <= 0`.
///
/// # Examples
/// ```
/// // m = (1, 0), σ = 1, X_1 = (2, 5): 2 − 1/2
/// let f = course::exercises::nb35::check_q1(&[1.0, 0.0], 1.0, &[2.0, 5.0], 1.5);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(m: &[f64], sigma: f64, x1: &[f64], answer: f64) -> Feedback {
    let ex = "35.1";
    assert_eq!(m.len(), x1.len(), "check_q1: m and x1 must have the same length");
    assert!(sigma > 0.0, "check_q1: sigma must be > 0, got {sigma}");
    let dot: f64 = m.iter().zip(x1).map(|(a, b)| a * b).sum();
    let m2: f64 = m.iter().map(|a| a * a).sum();
    let expected = (dot - 0.5 * m2) / (sigma * sigma);
    if close(answer, expected, 1e-9) {
        return Feedback::correct(ex, format!(
            "log dQ/dP = (m·X₁ − |m|²/2)/σ² = {expected:.6}: the ratio of the end laws N(m, σ²I) and N(0, σ²I), the only place a constant drift shows."
        ));
    }
    if close(answer, (dot + 0.5 * m2) / (sigma * sigma), 1e-9) {
        return Feedback::wrong(ex, "the sign of |m|²/2: in terms of X₁ = m + σW₁ it is subtracted (it is added when written with W₁).");
    }
    if close(answer, -expected, 1e-9) {
        return Feedback::wrong(ex, "that is log dP/dQ: the weight that turns Q-samples into P-samples is its exponential, the ratio the other way round.");
    }
    if close(answer, dot - 0.5 * m2, 1e-9) || close(answer, (dot - 0.5 * m2) / sigma, 1e-9) {
        return Feedback::wrong(ex, "divide by σ² (the variance of X₁ under both laws).");
    }
    Feedback::wrong(ex, format!("expected (m·X₁ − |m|²/2)/σ² = {expected:.6}, got {answer:.6}."))
}

/// Exercise 35.2: Kish's effective sample size $(\sum w_i)^2/\sum w_i^2$ of the weights
/// $w_i = e^{\ell_i}$ given by their logarithms.
///
/// # Panics
/// If `log_weights` is empty.
///
/// # Examples
/// ```
/// let f = course::exercises::nb35::check_q2(&[0.0, 0.0, 0.0, 0.0], 4.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(log_weights: &[f64], ess: f64) -> Feedback {
    let ex = "35.2";
    assert!(!log_weights.is_empty(), "check_q2: log_weights must be non-empty");
    let n = log_weights.len() as f64;
    let expected = crate::generative::control::effective_sample_size(log_weights);
    if close(ess, expected, 1e-8) {
        return Feedback::correct(ex, format!(
            "ESS = (Σw)²/Σw² = {expected:.2} of n = {n}: the variance of a weighted mean is about that of a plain mean of ESS samples."
        ));
    }
    if close(ess, expected / n, 1e-8) {
        return Feedback::wrong(ex, "that is the ESS fraction ESS/n; the exercise asks for the ESS itself.");
    }
    if close(ess, 1.0 / expected, 1e-8) {
        return Feedback::wrong(ex, "upside down: (Σw)² goes in the numerator, Σw² in the denominator.");
    }
    let s1: f64 = log_weights.iter().sum();
    let s2: f64 = log_weights.iter().map(|l| l * l).sum();
    if s2 > 0.0 && close(ess, s1 * s1 / s2, 1e-8) {
        return Feedback::wrong(ex, "the formula takes the weights wᵢ = exp(ℓᵢ), not their logarithms.");
    }
    Feedback::wrong(ex, format!("expected (Σw)²/Σw² = {expected:.4}, got {ess:.4}; subtract max ℓ before exponentiating to avoid overflow."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_matches_the_ratio_of_gaussian_densities_and_spots_slips() {
        // Oracle: log N(x; m, σ²I) − log N(x; 0, σ²I) computed directly.
        let (m, sigma, x) = ([0.3, -1.2], 0.7, [1.1, 0.4]);
        let logn = |mu: [f64; 2]| -((x[0] - mu[0]).powi(2) + (x[1] - mu[1]).powi(2)) / (2.0 * sigma * sigma);
        let truth = logn(m) - logn([0.0, 0.0]);
        assert!(check_q1(&m, sigma, &x, truth).is_correct());
        assert!(check_q1(&m, sigma, &x, -truth).message.contains("log dP/dQ"));
        let plus = (m[0] * x[0] + m[1] * x[1] + 0.5 * (m[0] * m[0] + m[1] * m[1])) / (sigma * sigma);
        assert!(check_q1(&m, sigma, &x, plus).message.contains("sign"));
        assert!(check_q1(&m, sigma, &x, truth * sigma * sigma).message.contains("σ²"));
    }

    #[test]
    fn q2_spots_the_fraction_and_the_inverse() {
        let lw = [0.0, 1.0, -2.0, 0.5];
        let w: Vec<f64> = lw.iter().map(|l: &f64| l.exp()).collect();
        let ess = w.iter().sum::<f64>().powi(2) / w.iter().map(|v| v * v).sum::<f64>();
        assert!(check_q2(&lw, ess).is_correct());
        assert!(check_q2(&lw, ess / 4.0).message.contains("fraction"));
        assert!(check_q2(&lw, 1.0 / ess).message.contains("upside down"));
        assert!(check_q2(&lw, 12.0).message.contains("expected"));
    }
}
