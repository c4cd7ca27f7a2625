//! Exercises of notebooks/17-monte-carlo-and-mcmc.ipynb.

use super::{Feedback, close};
use ndarray::Array2;

fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
}

/// Exercise 17.1: the Metropolis–Hastings transition matrix `p` for target `pi` and proposal
/// matrix `proposal`, written by hand.
///
/// # Panics
/// If `pi` and `proposal` do not fit (see [`crate::sampling::metropolis_matrix`]).
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let q = array![[0.0, 1.0], [1.0, 0.0]];
/// let p = array![[0.0, 1.0], [0.5, 0.5]]; // π = (1, 2): 0 → 1 always, 1 → 0 w.p. 1/2
/// assert!(course::exercises::nb17::check_q1(&[1.0, 2.0], &q, &p).is_correct());
/// ```
pub fn check_q1(pi: &[f64], proposal: &Array2<f64>, p: &Array2<f64>) -> Feedback {
    let ex = "17.1";
    let expected = crate::sampling::metropolis_matrix(pi, proposal);
    if p.dim() != expected.dim() {
        return Feedback::wrong(ex, format!("P must be {:?} like the proposal, got {:?}.", expected.dim(), p.dim()));
    }
    if max_abs_diff(p, &expected) < 1e-12 {
        let gap = crate::sampling::detailed_balance_gap(pi, p);
        return Feedback::correct(ex, format!("πᵢPᵢⱼ = πⱼPⱼᵢ holds to {gap:.1e}: the chain is reversible with respect to π."));
    }
    let n = pi.len();
    let worst_row = (0..n).map(|i| (p.row(i).sum() - 1.0).abs()).fold(0.0, f64::max);
    let off_diag_ok = (0..n).all(|i| (0..n).all(|j| i == j || (p[[i, j]] - expected[[i, j]]).abs() < 1e-12));
    if off_diag_ok && worst_row > 1e-12 {
        return Feedback::wrong(ex, "the moves are right but a row does not sum to 1: a rejected proposal keeps the chain where it is, so Pᵢᵢ = 1 − Σⱼ≠ᵢ Pᵢⱼ.");
    }
    // The usual slips: the ratio upside down, or the Hastings correction Qⱼᵢ/Qᵢⱼ left out.
    let swapped = crate::sampling::metropolis_matrix(&pi.iter().map(|v| 1.0 / v).collect::<Vec<_>>(), proposal);
    if max_abs_diff(p, &swapped) < 1e-12 {
        return Feedback::wrong(ex, "the acceptance ratio is upside down: accept i → j with min(1, πⱼQⱼᵢ / (πᵢQᵢⱼ)), so moves towards larger π are always accepted.");
    }
    let mut no_hastings = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            if i != j {
                no_hastings[[i, j]] = proposal[[i, j]] * (pi[j] / pi[i]).min(1.0);
            }
        }
        no_hastings[[i, i]] = 1.0 - no_hastings.row(i).sum();
    }
    if max_abs_diff(p, &no_hastings) < 1e-12 {
        return Feedback::wrong(ex, "this is Metropolis without the Hastings correction: the proposal is not symmetric, so the ratio needs Qⱼᵢ/Qᵢⱼ too.");
    }
    let gap = crate::sampling::detailed_balance_gap(pi, p);
    Feedback::wrong(ex, format!("P differs from the MH matrix by up to {:.3e}; detailed balance fails by {gap:.3e}.", max_abs_diff(p, &expected)))
}

/// Exercise 17.2: the effective sample size $(\sum w)^2/\sum w^2$ of importance weights given by
/// their logarithms `log_w`.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb17::check_q2(&[0.0, 0.0, 0.0, 0.0], 4.0).is_correct());
/// ```
pub fn check_q2(log_w: &[f64], ess: f64) -> Feedback {
    let ex = "17.2";
    let expected = crate::sampling::weight_ess(log_w);
    if close(ess, expected, 1e-8) {
        return Feedback::correct(ex, format!(
            "ESS = {expected:.1} of {} draws ({:.1}%): that many independent draws from p would give the same precision.",
            log_w.len(),
            100.0 * expected / log_w.len() as f64
        ));
    }
    if close(ess, 1.0 / expected, 1e-8) {
        return Feedback::wrong(ex, "that is Σw²/(Σw)², the reciprocal: the ESS is (Σw)²/Σw², between 1 and n.");
    }
    if close(ess, log_w.len() as f64, 1e-12) {
        return Feedback::wrong(ex, "n is the ESS only when all weights are equal; use (Σw)²/Σw².");
    }
    let (s1, s2) = log_w.iter().fold((0.0, 0.0), |(a, b), v| (a + v, b + v * v));
    if s2 > 0.0 && close(ess, s1 * s1 / s2, 1e-8) {
        return Feedback::wrong(ex, "the formula is applied to the log weights: exponentiate first (subtract the largest log weight to avoid overflow).");
    }
    if ess.is_nan() || ess.is_infinite() {
        return Feedback::wrong(ex, "the answer is not finite: exp of large log weights overflows — subtract max log w first; the ESS does not change.");
    }
    Feedback::wrong(ex, format!("expected (Σw)²/Σw² = {expected:.4}, got {ess:.4}."))
}

/// Exercise 17.3: the stationary variance of ULA with step `step` on the target
/// $\mathcal N(0, \sigma^2)$ (`sigma2` = $\sigma^2$), in closed form.
///
/// # Panics
/// Unless `sigma2 > 0` and `0 < step < 2 sigma2`.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb17::check_q3(2.0, 1.0, 2.0 / (1.0 - 0.25)).is_correct());
/// ```
pub fn check_q3(sigma2: f64, step: f64, variance: f64) -> Feedback {
    let ex = "17.3";
    assert!(sigma2 > 0.0, "sigma2 must be > 0, got {sigma2}");
    assert!(step > 0.0 && step < 2.0 * sigma2, "step must be in (0, 2 sigma2), got {step}");
    let expected = sigma2 / (1.0 - step / (2.0 * sigma2));
    if close(variance, expected, 1e-9) {
        return Feedback::correct(ex, format!("v = σ²/(1 − h/2σ²) = {expected:.6}: a bias of about h/2 whatever σ²."));
    }
    if close(variance, sigma2, 1e-9) {
        return Feedback::wrong(ex, "σ² is the target's variance; ULA is biased. Solve v = (1 − h/σ²)² v + 2h.");
    }
    if close(variance, 1.0 / (1.0 - step / 2.0), 1e-9) {
        return Feedback::wrong(ex, "that is the answer for σ² = 1: here ∇log π(x) = −x/σ², so the step is x(1 − h/σ²) + √(2h) ξ.");
    }
    if close(variance, sigma2 / (1.0 - step / (4.0 * sigma2)), 1e-9) {
        return Feedback::wrong(ex, "that is the variance for the step x + (h/2)∇log π + √h ξ; the notebook's step is x + h∇log π + √(2h) ξ.");
    }
    if close(variance, sigma2 + step / 2.0, 1e-9) {
        return Feedback::wrong(ex, "σ² + h/2 is only the first-order expansion; give the exact stationary variance.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {variance:.6}. Take variances on both sides of x' = (1 − h/σ²)x + √(2h)ξ."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_slips() {
        let pi = [1.0, 2.0, 4.0];
        let q = array![[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]];
        let right = crate::sampling::metropolis_matrix(&pi, &q);
        assert!(check_q1(&pi, &q, &right).is_correct());
        let mut no_diag = right.clone();
        for i in 0..3 {
            no_diag[[i, i]] = 0.0;
        }
        assert!(check_q1(&pi, &q, &no_diag).message.contains("sum to 1"));
        let swapped = crate::sampling::metropolis_matrix(&[1.0, 0.5, 0.25], &q);
        assert!(check_q1(&pi, &q, &swapped).message.contains("upside down"));
        let mut nh = Array2::zeros((3, 3));
        for i in 0..3 {
            for j in 0..3 {
                if i != j {
                    nh[[i, j]] = q[[i, j]] * (pi[j] / pi[i]).min(1.0);
                }
            }
            nh[[i, i]] = 1.0 - nh.row(i).sum();
        }
        assert!(check_q1(&pi, &q, &nh).message.contains("Hastings"));
    }

    #[test]
    fn q2_names_the_slips() {
        let lw = [0.0, -1.0, 0.5, -2.0, 0.3];
        let e = crate::sampling::weight_ess(&lw);
        assert!(check_q2(&lw, e).is_correct());
        assert!(check_q2(&lw, 1.0 / e).message.contains("reciprocal"));
        assert!(check_q2(&lw, 5.0).message.contains("equal"));
        let (s1, s2) = lw.iter().fold((0.0, 0.0), |(a, b), v| (a + v, b + v * v));
        assert!(check_q2(&lw, s1 * s1 / s2).message.contains("log weights"));
    }

    #[test]
    fn q3_names_the_slips() {
        assert!(check_q3(2.0, 0.5, 2.0 / (1.0 - 0.125)).is_correct());
        assert!(check_q3(2.0, 0.5, 2.0).message.contains("biased"));
        assert!(check_q3(2.0, 0.5, 1.0 / (1.0 - 0.25)).message.contains("σ² = 1"));
        assert!(check_q3(2.0, 0.5, 2.0 / (1.0 - 0.0625)).message.contains("(h/2)"));
    }
}
