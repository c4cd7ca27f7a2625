//! Exercises of notebooks/04-gradient-descent.ipynb.

use super::{Feedback, close};

/// Exercise 04.1: the best constant step $\alpha^\star = 2/(\mu+L)$ for a quadratic with
/// spectrum in $[\mu, L]$, and its contraction factor $(\kappa-1)/(\kappa+1)$ per step
/// (for the distance to the minimizer).
///
/// # Panics
/// Unless `0 < mu < l`.
///
/// # Examples
/// ```
/// let f = course::exercises::nb04::check_q1(1.0, 3.0, 0.5, 0.5);
/// assert!(f.is_correct()); // α* = 2/4, rate (3 − 1)/(3 + 1)
/// ```
pub fn check_q1(mu: f64, l: f64, lr: f64, rate: f64) -> Feedback {
    let ex = "04.1";
    assert!(mu > 0.0 && mu < l, "check_q1: need 0 < mu < l, got mu = {mu}, l = {l}");
    let kappa = l / mu;
    let (lr_star, rate_star) = (2.0 / (mu + l), (kappa - 1.0) / (kappa + 1.0));
    let lr_ok = close(lr, lr_star, 1e-9);
    let rate_ok = close(rate, rate_star, 1e-9);
    if lr_ok && rate_ok {
        return Feedback::correct(ex, format!(
            "α* = 2/(μ+L) = {lr_star:.6} makes |1 − α*μ| = |1 − α*L| = (κ−1)/(κ+1) = {rate_star:.6}: the slowest and the fastest mode contract alike."
        ));
    }
    if !lr_ok {
        if close(lr, 1.0 / l, 1e-9) {
            return Feedback::wrong(ex, "1/L is the safe step of the convergence theorem, not the best one: choose α so that the extreme modes contract equally, |1 − αμ| = |1 − αL|.");
        }
        if close(lr, 2.0 / l, 1e-9) {
            return Feedback::wrong(ex, "2/L is the stability threshold: there the mode λ = L is multiplied by |1 − 2| = 1 and does not contract at all.");
        }
        if close(lr, 1.0 / (mu + l), 1e-9) {
            return Feedback::wrong(ex, "almost: solving 1 − αμ = αL − 1 gives α = 2/(μ + L), with a 2.");
        }
        return Feedback::wrong(ex, format!("the step should balance |1 − αμ| and |1 − αL|; expected α* = {lr_star:.6}, got {lr:.6}."));
    }
    if close(rate, 1.0 - mu / l, 1e-9) {
        return Feedback::wrong(ex, "1 − μ/L is the contraction of the step 1/L; with α* the factor is |1 − α*μ| = (κ − 1)/(κ + 1).");
    }
    if close(rate, rate_star * rate_star, 1e-9) {
        return Feedback::wrong(ex, "that is the factor for f − f* (a square); the distance ‖x − x*‖ contracts by (κ − 1)/(κ + 1).");
    }
    Feedback::wrong(ex, format!("the contraction is max over the spectrum of |1 − α*λ|; expected {rate_star:.6}, got {rate:.6}."))
}

/// Exercise 04.2: the early-stopping filter $\varphi(\sigma) = 1-(1-\alpha\sigma^2)^k$ written
/// as a function `filter(sigma, lr, n_steps)`.
///
/// # Examples
/// ```
/// fn filter(sigma: f64, lr: f64, n_steps: usize) -> f64 { 1.0 - (1.0 - lr * sigma * sigma).powi(n_steps as i32) }
/// assert!(course::exercises::nb04::check_q2(filter).is_correct());
/// ```
pub fn check_q2(filter: fn(f64, f64, usize) -> f64) -> Feedback {
    let ex = "04.2";
    let cases: Vec<(f64, f64, usize)> = vec![(1.0, 0.5, 1), (0.3, 0.5, 10), (0.05, 0.9, 200), (0.8, 1.0, 3), (0.01, 0.5, 5000)];
    let expected = |s: f64, a: f64, k: usize| crate::optim::early_stopping_filter(s, a, k);
    let matches = |g: &dyn Fn(f64, f64, usize) -> f64| cases.iter().all(|&(s, a, k)| close(filter(s, a, k), g(s, a, k), 1e-9));
    if matches(&expected) {
        return Feedback::correct(ex, "φ = 1 − (1 − ασ²)^k: components with ασ²k ≫ 1 are fitted, the others are damped like ασ²k — ridge with λ ≈ 1/(αk).");
    }
    if matches(&|s, a, k| 1.0 - (1.0 - a * s).powi(k as i32)) {
        return Feedback::wrong(ex, "the Hessian XᵀX/n has eigenvalues σ², not σ: each step multiplies the component by 1 − ασ².");
    }
    if matches(&|s, a, k| (1.0 - a * s * s).powi(k as i32)) {
        return Feedback::wrong(ex, "this is the part that is still missing after k steps (starting from w = 0); the filter is 1 minus it.");
    }
    if matches(&|s, a, k| expected(s, a, k + 1)) || matches(&|s, a, k| expected(s, a, k.saturating_sub(1))) {
        return Feedback::wrong(ex, "off by one step: after k steps from w₀ = 0 the exponent is exactly k (k = 0 gives φ = 0).");
    }
    if matches(&|s, a, k| s * s / (s * s + 1.0 / (a * k as f64))) {
        return Feedback::wrong(ex, "that is the ridge filter with λ = 1/(αk), the approximation; the exact early-stopping filter is 1 − (1 − ασ²)^k.");
    }
    let (s, a, k) = cases[1];
    Feedback::wrong(ex, format!(
        "at σ = {s}, α = {a}, k = {k} expected φ = {:.6}, got {:.6}. Follow one SVD component through k steps of w ← w − α∇f from w = 0.",
        expected(s, a, k), filter(s, a, k)
    ))
}

/// Exercise 04.3: for each power $a$ in `powers`, whether $\alpha_k = \alpha_0(1+k)^{-a}$
/// satisfies the Robbins–Monro conditions $\sum\alpha_k = \infty$, $\sum\alpha_k^2 < \infty$.
///
/// # Panics
/// If the two slices differ in length.
///
/// # Examples
/// ```
/// let f = course::exercises::nb04::check_q3(&[0.4, 0.8, 1.0, 1.2], &[false, true, true, false]);
/// assert!(f.is_correct());
/// ```
pub fn check_q3(powers: &[f64], satisfies: &[bool]) -> Feedback {
    let ex = "04.3";
    assert_eq!(powers.len(), satisfies.len(), "check_q3: one answer per power, got {} powers and {} answers", powers.len(), satisfies.len());
    if powers.is_empty() {
        return Feedback::wrong(ex, "answer for at least one power.");
    }
    let truth = |a: f64| a > 0.5 && a <= 1.0;
    let wrong: Vec<f64> = powers.iter().zip(satisfies).filter(|(a, s)| truth(**a) != **s).map(|(a, _)| *a).collect();
    if wrong.is_empty() {
        return Feedback::correct(ex, "Σ(1+k)^(−a) diverges iff a ≤ 1 and Σ(1+k)^(−2a) converges iff a > 1/2: both hold exactly for 1/2 < a ≤ 1.");
    }
    let first = wrong[0];
    let hint = if first <= 0.5 {
        format!("for a = {first}, Σα_k² = Σ(1+k)^(−{}) diverges (exponent ≤ 1): the noise never averages out", 2.0 * first)
    } else if first > 1.0 {
        format!("for a = {first}, Σα_k converges: the iterates can travel only a bounded distance and may stop short of the minimum")
    } else {
        format!("for a = {first}, Σα_k = ∞ (exponent ≤ 1) and Σα_k² < ∞ (exponent {} > 1): both conditions hold", 2.0 * first)
    };
    Feedback::wrong(ex, format!("{} answer(s) wrong: {hint}.", wrong.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        let (mu, l) = (0.01, 1.0);
        assert!(check_q1(mu, l, 2.0 / 1.01, 0.99 / 1.01).is_correct());
        assert!(check_q1(mu, l, 1.0, 0.99 / 1.01).message.contains("safe step"));
        assert!(check_q1(mu, l, 2.0, 0.99 / 1.01).message.contains("threshold"));
        assert!(check_q1(mu, l, 2.0 / 1.01, 0.99).message.contains("1 − μ/L"));
        assert!(check_q1(mu, l, 2.0 / 1.01, (0.99f64 / 1.01).powi(2)).message.contains("square"));
    }

    #[test]
    fn q1_rate_agrees_with_a_run_of_gradient_descent() {
        // Oracle: the measured contraction of GD with the optimal step.
        let q = crate::optim::Quadratic::with_spectrum(&crate::linspace(0.1, 1.0, 6), 1);
        let h = crate::optim::gradient_descent(&q, &ndarray::Array1::from_elem(6, 1.0), 2.0 / 1.1, 300);
        let d = h.distances(&q.minimizer());
        let measured = crate::optim::semilog_slope(&h.steps(), &d, (100.0, 300.0)).exp();
        assert!(check_q1(0.1, 1.0, 2.0 / 1.1, measured).is_correct(), "{measured}");
    }

    #[test]
    fn q2_names_the_usual_slips() {
        fn right(s: f64, a: f64, k: usize) -> f64 {
            1.0 - (1.0 - a * s * s).powi(k as i32)
        }
        fn no_square(s: f64, a: f64, k: usize) -> f64 {
            1.0 - (1.0 - a * s).powi(k as i32)
        }
        fn complement(s: f64, a: f64, k: usize) -> f64 {
            (1.0 - a * s * s).powi(k as i32)
        }
        fn off_by_one(s: f64, a: f64, k: usize) -> f64 {
            1.0 - (1.0 - a * s * s).powi(k as i32 + 1)
        }
        assert!(check_q2(right).is_correct());
        assert!(check_q2(no_square).message.contains("σ², not σ"));
        assert!(check_q2(complement).message.contains("1 minus it"));
        assert!(check_q2(off_by_one).message.contains("off by one"));
    }

    #[test]
    fn q3_explains_each_side() {
        assert!(check_q3(&[0.5, 0.75, 1.0], &[false, true, true]).is_correct());
        assert!(check_q3(&[0.5], &[true]).message.contains("diverges"));
        assert!(check_q3(&[2.0], &[true]).message.contains("converges"));
        assert!(check_q3(&[0.6], &[false]).message.contains("both conditions hold"));
    }
}
