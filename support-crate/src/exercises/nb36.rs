//! Exercises of notebooks/36-schrodinger-bridges.ipynb.

use super::{Feedback, close, vec_close};
use ndarray::Array2;

/// Exercise 36.1: one Sinkhorn scaling update $u = a \oslash (Kv)$ with $K = e^{-C/\varepsilon}$.
///
/// # Panics
/// If the shapes do not match (`cost` is n × m, `a` has n entries, `v` m) or `eps <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let c = array![[0.0, 1.0], [1.0, 0.0]];
/// let k01 = (-1.0f64).exp();
/// let u = vec![0.5 / (1.0 + 2.0 * k01), 0.5 / (k01 + 2.0)];
/// let f = course::exercises::nb36::check_q1(&[0.5, 0.5], &c, 1.0, &[1.0, 2.0], &u);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(a: &[f64], cost: &Array2<f64>, eps: f64, v: &[f64], u: &[f64]) -> Feedback {
    let ex = "36.1";
    let (n, m) = cost.dim();
    assert!(a.len() == n && v.len() == m, "check_q1: a must have {n} entries and v {m}, got {} and {}", a.len(), v.len());
    assert!(eps > 0.0, "check_q1: eps must be > 0, got {eps}");
    if u.len() != n {
        return Feedback::wrong(ex, format!("u has one entry per row of C (per point of the first measure): expected {n}, got {}.", u.len()));
    }
    let kv = |sign: f64| -> Vec<f64> { (0..n).map(|i| (0..m).map(|j| (sign * cost[[i, j]] / eps).exp() * v[j]).sum()).collect() };
    let kv_right = kv(-1.0);
    let expected: Vec<f64> = (0..n).map(|i| a[i] / kv_right[i]).collect();
    if vec_close(u, &expected, 1e-9) {
        return Feedback::correct(ex, "u = a ⊘ Kv: after this update the rows of diag(u) K diag(v) sum to a.");
    }
    if vec_close(u, &kv_right.iter().map(|k| 1.0 / k).collect::<Vec<_>>(), 1e-9) {
        return Feedback::wrong(ex, "the row marginal a is missing: u = a ⊘ (Kv), not 1 ⊘ (Kv).");
    }
    if vec_close(u, &(0..n).map(|i| a[i] * kv_right[i]).collect::<Vec<_>>(), 1e-9) {
        return Feedback::wrong(ex, "you multiplied by Kv: the update divides, u = a ⊘ (Kv), so that uᵢ(Kv)ᵢ = aᵢ.");
    }
    if vec_close(u, &(0..n).map(|i| a[i] / kv(1.0)[i]).collect::<Vec<_>>(), 1e-9) {
        return Feedback::wrong(ex, "the Gibbs kernel is K = exp(−C/ε), with a minus sign: cheap pairs get large weights.");
    }
    if n == m {
        let kt: Vec<f64> = (0..n).map(|i| (0..m).map(|j| (-cost[[j, i]] / eps).exp() * v[j]).sum()).collect();
        if vec_close(u, &(0..n).map(|i| a[i] / kt[i]).collect::<Vec<_>>(), 1e-9) {
            return Feedback::wrong(ex, "that is Kᵀv: u scales the rows, so it divides by (Kv)ᵢ = Σⱼ K_ij vⱼ.");
        }
    }
    Feedback::wrong(ex, format!("expected u = {:?}, got {u:?}: uᵢ = aᵢ / Σⱼ exp(−C_ij/ε) vⱼ.", expected.iter().map(|x| (x * 1e6).round() / 1e6).collect::<Vec<_>>()))
}

/// Exercise 36.2: $\mathrm{OT}_\varepsilon$ between two uniform two-point measures with cost
/// matrix `cost` (2 × 2), regularized by $\varepsilon\,\mathrm{KL}(\pi\|a\otimes b)$.
///
/// By symmetry $\pi = \begin{pmatrix}p & \frac12-p\\ \frac12-p & p\end{pmatrix}$ and the Gibbs form
/// gives $\frac{p^2}{(1/2-p)^2} = e^{-\Delta/\varepsilon}$ with $\Delta = C_{11}+C_{22}-C_{12}-C_{21}$.
///
/// # Panics
/// If `cost` is not 2 × 2 or `eps <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// // Δ = 0: the independent coupling is optimal, KL = 0, cost = mean of C.
/// let f = course::exercises::nb36::check_q2(&array![[1.0, 2.0], [3.0, 4.0]], 0.5, 2.5);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(cost: &Array2<f64>, eps: f64, answer: f64) -> Feedback {
    let ex = "36.2";
    assert_eq!(cost.dim(), (2, 2), "check_q2: cost must be 2 × 2, got {:?}", cost.dim());
    assert!(eps > 0.0, "check_q2: eps must be > 0, got {eps}");
    let delta = cost[[0, 0]] + cost[[1, 1]] - cost[[0, 1]] - cost[[1, 0]];
    let r = (-delta / (2.0 * eps)).exp();
    let p = 0.5 * r / (1.0 + r);
    let plan = [[p, 0.5 - p], [0.5 - p, p]];
    let mut transport = 0.0;
    let mut kl = 0.0;
    for i in 0..2 {
        for j in 0..2 {
            transport += plan[i][j] * cost[[i, j]];
            if plan[i][j] > 0.0 {
                kl += plan[i][j] * (plan[i][j] / 0.25).ln();
            }
        }
    }
    let expected = transport + eps * kl;
    if close(answer, expected, 1e-7) {
        return Feedback::correct(ex, format!("OT_ε = {expected:.6}: transport {transport:.6} + ε·KL {:.6}, with p = π₁₁ = {p:.6}.", eps * kl));
    }
    if close(answer, transport, 1e-7) {
        return Feedback::wrong(ex, "that is the transport cost ⟨C, π⟩ alone: add ε·KL(π‖a⊗b).");
    }
    if close(answer, expected - eps * 4f64.ln(), 1e-7) {
        return Feedback::wrong(ex, "you used −ε·H(π) (negative entropy) instead of ε·KL(π‖a⊗b): they differ by ε·log 4 here.");
    }
    let exact = 0.5 * (cost[[0, 0]] + cost[[1, 1]]).min(cost[[0, 1]] + cost[[1, 0]]);
    if close(answer, exact, 1e-7) {
        return Feedback::wrong(ex, "that is the unregularized OT cost (ε = 0); with ε > 0 the plan spreads and pays ε·KL.");
    }
    if close(answer, cost.sum() / 4.0, 1e-7) {
        return Feedback::wrong(ex, "that is the cost of the independent coupling a⊗b, optimal only when ε → ∞ or Δ = 0.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {answer:.6}. Solve p/(1/2 − p) = exp(−Δ/(2ε)) with Δ = C₁₁ + C₂₂ − C₁₂ − C₂₁."))
}

/// Exercise 36.3: mean and variance of the Brownian bridge $\sigma W$ pinned at `x0` (time 0)
/// and `x1` (time `t_end`), at time `t`.
///
/// # Panics
/// If `sigma <= 0`, `t_end <= 0` or `t` is outside $[0, T]$.
///
/// # Examples
/// ```
/// let f = course::exercises::nb36::check_q3(0.0, 2.0, 1.0, 2.0, 1.0, 1.0, 0.5);
/// assert!(f.is_correct());
/// ```
pub fn check_q3(x0: f64, x1: f64, sigma: f64, t_end: f64, t: f64, mean: f64, var: f64) -> Feedback {
    let ex = "36.3";
    let (m, v) = crate::generative::bridges::brownian_bridge_mean_var(x0, x1, sigma, t_end, t);
    let mean_ok = close(mean, m, 1e-9);
    let var_ok = close(var, v, 1e-9);
    if mean_ok && var_ok {
        return Feedback::correct(ex, format!("mean {m:.4}, variance σ²t(T−t)/T = {v:.4}: zero at both pinned ends, largest at T/2."));
    }
    if !mean_ok {
        if close(mean, x0 + t * (x1 - x0), 1e-9) && t_end != 1.0 {
            return Feedback::wrong(ex, "the mean interpolates with s = t/T: x0 + (t/T)(x1 − x0).");
        }
        return Feedback::wrong(ex, format!("the mean should be x0 + (t/T)(x1 − x0) = {m:.4}, got {mean:.4}."));
    }
    if close(var, sigma * sigma * t, 1e-9) {
        return Feedback::wrong(ex, "σ²t is the variance of free Brownian motion; pinning at T removes σ²t²/T.");
    }
    if close(var, sigma * t * (t_end - t) / t_end, 1e-9) && sigma != 1.0 {
        return Feedback::wrong(ex, "the variance scales with σ², not σ.");
    }
    if close(var, sigma * sigma * t * (t_end - t), 1e-9) && t_end != 1.0 {
        return Feedback::wrong(ex, "divide by T: the variance is σ² t(T − t)/T.");
    }
    Feedback::wrong(ex, format!("the variance should be σ²t(T−t)/T = {v:.4}, got {var:.4}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        let c = array![[0.0, 1.0, 4.0], [1.0, 0.5, 2.0]];
        let (a, v, eps): ([f64; 2], [f64; 3], f64) = ([0.3, 0.7], [1.0, 0.5, 2.0], 0.7);
        let kv: Vec<f64> = (0..2).map(|i| (0..3).map(|j| (-c[[i, j]] / eps).exp() * v[j]).sum()).collect();
        let u: Vec<f64> = (0..2).map(|i| a[i] / kv[i]).collect();
        assert!(check_q1(&a, &c, eps, &v, &u).is_correct());
        // the update makes the rows right: Σⱼ uᵢ K_ij vⱼ = aᵢ (an identity, the oracle)
        for i in 0..2 {
            assert!((u[i] * kv[i] - a[i]).abs() < 1e-12);
        }
        let no_a: Vec<f64> = kv.iter().map(|k| 1.0 / k).collect();
        assert!(check_q1(&a, &c, eps, &v, &no_a).message.contains("missing"));
        let times: Vec<f64> = (0..2).map(|i| a[i] * kv[i]).collect();
        assert!(check_q1(&a, &c, eps, &v, &times).message.contains("multiplied"));
    }

    #[test]
    fn q2_agrees_with_sinkhorn_and_spots_slips() {
        let c = array![[0.2, 1.5], [2.0, 0.4]];
        let eps = 0.8;
        let ot = crate::generative::bridges::sinkhorn_log(&[0.5, 0.5], &[0.5, 0.5], &c, eps, 10_000, 1e-14);
        assert!(check_q2(&c, eps, ot.cost).is_correct());
        assert!(check_q2(&c, eps, ot.transport_cost).message.contains("transport cost"));
        assert!(check_q2(&c, eps, ot.cost - eps * 4f64.ln()).message.contains("entropy"));
        assert!(check_q2(&c, eps, 0.3).message.contains("unregularized"));
    }

    #[test]
    fn q3_spots_free_brownian_motion_and_sigma() {
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 1.5, 0.25 * 0.5 * 1.5 / 2.0).is_correct());
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 1.5, 0.25 * 0.5).message.contains("free Brownian"));
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 1.5, 0.5 * 0.5 * 1.5 / 2.0).message.contains("σ²"));
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 2.0, 0.1).message.contains("t/T"));
    }
}
