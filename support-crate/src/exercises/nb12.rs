//! Exercises of notebooks/12-probability-and-concentration.ipynb.

use super::{Feedback, close, vec_close};

/// Exercise 12.1: Hoeffding's bound $e^{-2nt^2/(b-a)^2}$ on $\Pr(\bar X_n - \mu \ge t)$ for
/// `n` draws in `[low, high]`.
///
/// # Panics
/// If `n == 0`, `t <= 0` or `low >= high`.
///
/// # Examples
/// ```
/// let f = course::exercises::nb12::check_q1(100, 0.1, 0.0, 1.0, (-2.0f64).exp());
/// assert!(f.is_correct());
/// ```
pub fn check_q1(n: usize, t: f64, low: f64, high: f64, bound: f64) -> Feedback {
    let ex = "12.1";
    let expected = crate::probability::hoeffding_bound(n, t, low, high);
    if close(bound, expected, 1e-9) {
        return Feedback::correct(ex, format!("e^(−2nt²/(b−a)²) = {expected:.4e}: the tail of the mean decays like a Gaussian's, with variance proxy (b−a)²/4n."));
    }
    let (nf, r) = (n as f64, high - low);
    let slips = [
        ((-nf * t * t / (r * r)).exp(), "the exponent has a factor 2: −2nt²/(b−a)²."),
        ((-2.0 * nf * t * t / r).exp(), "the range enters squared: (b−a)², not (b−a)."),
        (2.0 * expected, "this is the two-sided bound P(|X̄ − μ| ≥ t) ≤ 2e^(…); the question asks for one side."),
        ((-2.0 * nf * t / (r * r)).exp(), "the deviation enters squared: t², not t."),
        ((-2.0 * t * t / (r * r)).exp(), "the bound improves with n: the exponent is −2·n·t²/(b−a)²."),
    ];
    for (value, why) in slips {
        if close(bound, value, 1e-9) {
            return Feedback::wrong(ex, why);
        }
    }
    Feedback::wrong(ex, format!("expected e^(−2nt²/(b−a)²) = {expected:.6e}, got {bound:.6e}."))
}

fn enumerate(f: impl Fn(usize, usize) -> f64, given: impl Fn(usize, usize) -> usize) -> Vec<f64> {
    // E[f(D1, D2) | G = k] for k = 1..6 by enumerating the 36 equally likely outcomes.
    let (mut s, mut c) = (vec![0.0; 6], vec![0.0; 6]);
    for a in 1..=6 {
        for b in 1..=6 {
            let k = given(a, b) - 1;
            s[k] += f(a, b);
            c[k] += 1.0;
        }
    }
    s.iter().zip(&c).map(|(s, c)| s / c).collect()
}

/// Exercise 12.2: the vector $\big(\mathbb E[\max(D_1, D_2)\mid D_1 = k]\big)_{k=1}^6$ for two
/// fair dice.
///
/// # Examples
/// ```
/// let truth: Vec<f64> = (1..=6).map(|k| ((k * k) as f64 + ((k + 1)..=6).sum::<usize>() as f64) / 6.0).collect();
/// assert!(course::exercises::nb12::check_q2(&truth).is_correct());
/// ```
pub fn check_q2(cond: &[f64]) -> Feedback {
    let ex = "12.2";
    if cond.len() != 6 {
        return Feedback::wrong(ex, format!("one value per face k = 1, …, 6: expected 6 entries, got {}.", cond.len()));
    }
    let expected = enumerate(|a, b| a.max(b) as f64, |a, _| a);
    if vec_close(cond, &expected, 1e-9) {
        return Feedback::correct(ex, "E[max | D₁ = k] = (k·k + (k+1) + … + 6)/6; averaging it over k gives E[max] = 161/36 (the tower property).");
    }
    let joint: Vec<f64> = expected.iter().map(|v| v / 6.0).collect();
    let swapped = enumerate(|a, _| a as f64, |a, b| a.max(b));
    let minimum = enumerate(|a, b| a.min(b) as f64, |a, _| a);
    if cond.iter().all(|&v| close(v, 3.5, 1e-9)) {
        return Feedback::wrong(ex, "3.5 is E[D₂]: knowing D₁ = k changes the maximum, which is k whenever D₂ ≤ k.");
    }
    if vec_close(cond, &joint, 1e-9) {
        return Feedback::wrong(ex, "these are E[max · 1{D₁ = k}]: divide by P(D₁ = k) = 1/6 to condition.");
    }
    if vec_close(cond, &swapped, 1e-9) {
        return Feedback::wrong(ex, "this is E[D₁ | max = k]: the conditioning goes the other way.");
    }
    if vec_close(cond, &minimum, 1e-9) {
        return Feedback::wrong(ex, "this is the conditional mean of the minimum, not the maximum.");
    }
    Feedback::wrong(ex, format!(
        "expected {:?}: for D₁ = k the maximum is k when D₂ ≤ k (k of 6 cases) and D₂ otherwise.",
        expected.iter().map(|v| format!("{v:.4}")).collect::<Vec<_>>()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        let (n, t) = (50, 0.2);
        let good = (-2.0f64 * 50.0 * 0.04 / 4.0).exp();
        assert!(check_q1(n, t, -1.0, 1.0, good).is_correct());
        assert!(check_q1(n, t, -1.0, 1.0, (-50.0f64 * 0.04 / 4.0).exp()).message.contains("factor 2"));
        assert!(check_q1(n, t, -1.0, 1.0, (-2.0f64 * 50.0 * 0.04 / 2.0).exp()).message.contains("squared"));
        assert!(check_q1(n, t, -1.0, 1.0, 2.0 * good).message.contains("two-sided"));
    }

    #[test]
    fn q2_closed_form_and_slips() {
        // closed form against the enumeration
        let truth: Vec<f64> = (1..=6).map(|k| ((k * k) as f64 + ((k + 1)..=6).sum::<usize>() as f64) / 6.0).collect();
        assert!(check_q2(&truth).is_correct());
        // tower property: the mean of E[max | D1] is E[max] = 161/36
        assert!((truth.iter().sum::<f64>() / 6.0 - 161.0 / 36.0).abs() < 1e-12);
        assert!(check_q2(&[3.5; 6]).message.contains("E[D₂]"));
        let joint: Vec<f64> = truth.iter().map(|v| v / 6.0).collect();
        assert!(check_q2(&joint).message.contains("divide by"));
        assert!(check_q2(&truth[..5]).message.contains("6 entries"));
    }
}
