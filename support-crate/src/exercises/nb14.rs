//! Exercises of notebooks/14-stochastic-processes-and-sdes.ipynb.

use super::{Feedback, vec_close};
use ndarray::Array2;

/// Exercise 14.1: the stationary distribution $\pi$ ($\pi P = \pi$, $\sum_i\pi_i = 1$) of the
/// chain with transition matrix `p`.
///
/// # Panics
/// If `p` is not a transition matrix of an irreducible chain.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let f = course::exercises::nb14::check_q1(&array![[0.9, 0.1], [0.3, 0.7]], &[0.75, 0.25]);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(p: &Array2<f64>, pi: &[f64]) -> Feedback {
    let ex = "14.1";
    let chain = crate::stochastic::MarkovChain::new(p.clone());
    let expected = chain.stationary_lu();
    let n = expected.len();
    if pi.len() != n {
        return Feedback::wrong(ex, format!("one probability per state: expected {n} entries, got {}.", pi.len()));
    }
    if vec_close(pi, &expected, 1e-8) {
        return Feedback::correct(ex, "πP = π and Σπ = 1: the left eigenvector of P for the eigenvalue 1 (an eigenvector of Pᵀ).");
    }
    let s: f64 = pi.iter().sum();
    if s.abs() > 1e-12 {
        let scaled: Vec<f64> = pi.iter().map(|v| v / s).collect();
        if vec_close(&scaled, &expected, 1e-8) {
            return Feedback::wrong(ex, format!("the direction is right but the entries sum to {s:.4}: divide by the sum."));
        }
        if pi.iter().all(|&v| (v - pi[0]).abs() < 1e-9 * v.abs().max(1.0)) {
            return Feedback::wrong(ex, "a constant vector is the right eigenvector (P1 = 1, rows sum to 1); π is a left eigenvector: use Pᵀ, or iterate π ← πP.");
        }
    }
    let residual: f64 = (0..n).map(|j| ((0..n).map(|i| pi[i] * p[[i, j]]).sum::<f64>() - pi[j]).abs()).sum();
    Feedback::wrong(ex, format!("‖πP − π‖₁ = {residual:.3e}, Σπ = {s:.4}; expected π = {:?}.", expected.iter().map(|v| format!("{v:.4}")).collect::<Vec<_>>()))
}

/// Exercise 14.2: the left-point (Itô) sum $\sum_k W_{t_k}(W_{t_{k+1}} - W_{t_k})$ along the path
/// `w` (values on an equally spaced grid of $[0, T]$, $T$ = `t_end`).
///
/// # Panics
/// If `w` has fewer than 2 points.
///
/// # Examples
/// ```
/// let f = course::exercises::nb14::check_q2(&[0.0, 1.0, 3.0], 1.0, 2.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(w: &[f64], t_end: f64, answer: f64) -> Feedback {
    let ex = "14.2";
    assert!(w.len() >= 2, "check_q2: the path needs at least 2 points");
    let expected = crate::stochastic::ito_integral_w_dw(w);
    let scale = w.iter().map(|v| v * v).sum::<f64>().max(1.0);
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * scale;
    if same(answer, expected) {
        let wt = w[w.len() - 1];
        return Feedback::correct(ex, format!(
            "the Itô sum is {expected:.5} = ½W_T² − ½·(quadratic variation); its limit ½(W_T² − T) = {:.5}.",
            0.5 * (wt * wt - t_end)
        ));
    }
    let right: f64 = w.windows(2).map(|p| p[1] * (p[1] - p[0])).sum();
    let strat = crate::stochastic::stratonovich_integral_w_dw(w);
    let wt = w[w.len() - 1];
    if same(answer, right) {
        return Feedback::wrong(ex, "you evaluated W at the right end of each step; Itô uses the left end W_{t_k} (the integrand must not see the increment).");
    }
    if same(answer, strat) {
        return Feedback::wrong(ex, "this is the midpoint (Stratonovich) sum, which is exactly ½W_T²; Itô uses the left end.");
    }
    if same(answer, 0.5 * (wt * wt - t_end)) {
        return Feedback::wrong(ex, "that is the limit ½(W_T² − T); compute the finite sum on this grid (it differs by ½(T − Σ ΔW²)).");
    }
    Feedback::wrong(ex, format!("expected Σ W_k (W_(k+1) − W_k) = {expected:.6}, got {answer:.6}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_spots_unnormalized_and_right_eigenvectors() {
        let p = array![[0.5, 0.4, 0.1], [0.2, 0.5, 0.3], [0.3, 0.0, 0.7]];
        let pi = crate::stochastic::MarkovChain::new(p.clone()).stationary();
        assert!(check_q1(&p, &pi).is_correct());
        let twice: Vec<f64> = pi.iter().map(|v| 2.0 * v).collect();
        assert!(check_q1(&p, &twice).message.contains("divide by the sum"));
        assert!(check_q1(&p, &[1.0 / 3.0; 3]).message.contains("left eigenvector"));
    }

    #[test]
    fn q2_spots_right_endpoint_midpoint_and_limit() {
        let w = crate::stochastic::brownian_paths(1, 100, 1.0, &mut crate::rng::seeded(1)).row(0).to_vec();
        let ito = crate::stochastic::ito_integral_w_dw(&w);
        assert!(check_q2(&w, 1.0, ito).is_correct());
        let right: f64 = w.windows(2).map(|p| p[1] * (p[1] - p[0])).sum();
        assert!(check_q2(&w, 1.0, right).message.contains("right end"));
        assert!(check_q2(&w, 1.0, 0.5 * w[100] * w[100]).message.contains("Stratonovich"));
        assert!(check_q2(&w, 1.0, 0.5 * (w[100] * w[100] - 1.0)).message.contains("limit"));
    }
}
