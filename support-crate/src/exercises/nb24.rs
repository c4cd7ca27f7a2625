//! Exercises of notebooks/24-reinforcement-learning.ipynb.

use super::{Feedback, vec_close};
use crate::rl::{Mdp, max_over_actions, policy_evaluation, policy_iteration};
use ndarray::{Array1, Array2};

fn same_matrix(a: &Array2<f64>, b: &Array2<f64>) -> bool {
    a.dim() == b.dim() && vec_close(&a.iter().copied().collect::<Vec<_>>(), &b.iter().copied().collect::<Vec<_>>(), 1e-9)
}

/// Exercise 24.1: one sweep of the Bellman optimality operator on action values,
/// $(TQ)(s, a) = r(s, a) + \gamma\sum_{s'}P[s][a][s']\max_{a'}Q(s', a')$, applied to `q`.
///
/// # Panics
/// If `q` is not `n_states × n_actions`.
///
/// # Examples
/// ```
/// use course::rl::Gridworld;
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let q = ndarray::Array2::from_shape_fn((11, 4), |(s, a)| (s * a) as f64 * 0.01);
/// let f = course::exercises::nb24::check_q1(&mdp, &q, &mdp.bellman_q(&q));
/// assert!(f.is_correct());
/// ```
pub fn check_q1(mdp: &Mdp, q: &Array2<f64>, tq: &Array2<f64>) -> Feedback {
    let ex = "24.1";
    let expected = mdp.bellman_q(q);
    if tq.dim() != expected.dim() {
        return Feedback::wrong(ex, format!("TQ has one row per state and one column per action: expected {:?}, got {:?}.", expected.dim(), tq.dim()));
    }
    if same_matrix(tq, &expected) {
        return Feedback::correct(ex, "TQ = r + γ P max_a' Q: one sweep of Q-value iteration, a γ-contraction whose fixed point is Q*.");
    }
    let v_mean: Array1<f64> = q.rows().into_iter().map(|row| row.mean().unwrap_or(0.0)).collect();
    if same_matrix(tq, &mdp.q_from_v(&v_mean)) {
        return Feedback::wrong(ex, "you averaged Q(s', a') over a': that evaluates the uniformly random policy. The optimality operator takes the max over a'.");
    }
    let v_max = max_over_actions(q);
    let no_gamma = Array2::from_shape_fn(expected.dim(), |(s, a)| mdp.r[[s, a]] + mdp.p.slice(ndarray::s![s, a, ..]).dot(&v_max));
    if same_matrix(tq, &no_gamma) {
        return Feedback::wrong(ex, "the discount γ is missing in front of the expected next value.");
    }
    if same_matrix(tq, &(&expected - &mdp.r)) {
        return Feedback::wrong(ex, "the reward r(s, a) is missing.");
    }
    let same_action = Array2::from_shape_fn(expected.dim(), |(s, a)| {
        mdp.r[[s, a]] + mdp.gamma * mdp.p.slice(ndarray::s![s, a, ..]).iter().enumerate().map(|(t, p)| p * q[[t, a]]).sum::<f64>()
    });
    if same_matrix(tq, &same_action) {
        return Feedback::wrong(ex, "you bootstrapped with the same action a in s'; the target uses the best action there, max_a' Q(s', a').");
    }
    let d = (tq - &expected).iter().fold(0.0f64, |m, x| m.max(x.abs()));
    Feedback::wrong(ex, format!("‖your TQ − TQ‖∞ = {d:.3e}. Check the sum over s' of P[s][a][s'] · max_a' Q(s', a')."))
}

/// Exercise 24.2: the exact value $V^\pi = (I - \gamma P^\pi)^{-1}r^\pi$ of `policy`.
///
/// # Panics
/// If `policy` does not fit the MDP.
///
/// # Examples
/// ```
/// use course::rl::{policy_evaluation, Gridworld};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let policy = vec![3; 11];
/// let f = course::exercises::nb24::check_q2(&mdp, &policy, &policy_evaluation(&mdp, &policy));
/// assert!(f.is_correct());
/// ```
pub fn check_q2(mdp: &Mdp, policy: &[usize], v: &Array1<f64>) -> Feedback {
    let ex = "24.2";
    let expected = policy_evaluation(mdp, policy);
    if v.len() != expected.len() {
        return Feedback::wrong(ex, format!("V^π has one entry per state: expected {}, got {}.", expected.len(), v.len()));
    }
    if vec_close(&v.to_vec(), &expected.to_vec(), 1e-9) {
        return Feedback::correct(ex, "V^π solves the linear Bellman equation V = r^π + γP^πV exactly.");
    }
    let (p_pi, r_pi) = mdp.policy_matrices(policy);
    if vec_close(&v.to_vec(), &r_pi.to_vec(), 1e-9) {
        return Feedback::wrong(ex, "that is r^π, one sweep of T^π from V = 0; solve (I − γP^π) V = r^π instead.");
    }
    let v_star = policy_iteration(mdp).v;
    if vec_close(&v.to_vec(), &v_star.to_vec(), 1e-9) {
        return Feedback::wrong(ex, "that is V*, the value of an optimal policy; evaluate the given policy π.");
    }
    let n = mdp.n_states();
    let transposed = Array2::<f64>::eye(n) - &(p_pi.t().to_owned() * mdp.gamma);
    if let Ok(vt) = crate::linalg::solve(&transposed, &r_pi) {
        if vec_close(&v.to_vec(), &vt.to_vec(), 1e-9) {
            return Feedback::wrong(ex, "you used the transpose of P^π: row s of P^π holds the probabilities of the next states from s.");
        }
    }
    let residual = v - &(&r_pi + &(p_pi.dot(v) * mdp.gamma));
    let res = residual.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    Feedback::wrong(ex, format!("the Bellman residual ‖V − r^π − γP^πV‖∞ = {res:.3e} should be 0; expected V^π = {expected:.4}."))
}

/// Exercise 24.3: the smallest number of value-iteration sweeps $k$ that *guarantees*
/// $\lVert V_k - V^\star\rVert_\infty\le$ `eps` from an initial error `err0`, by contraction alone:
/// the least $k$ with $\gamma^k\,\mathrm{err0}\le\mathrm{eps}$.
///
/// # Panics
/// Unless `0 < gamma < 1` and `0 < eps < err0`.
///
/// # Examples
/// ```
/// let f = course::exercises::nb24::check_q3(0.5, 1.0, 0.1, 4);
/// assert!(f.is_correct()); // 0.5³ = 0.125 > 0.1 ≥ 0.5⁴
/// ```
pub fn check_q3(gamma: f64, err0: f64, eps: f64, k: usize) -> Feedback {
    let ex = "24.3";
    assert!(gamma > 0.0 && gamma < 1.0, "check_q3: gamma must be in (0, 1), got {gamma}");
    assert!(eps > 0.0 && eps < err0, "check_q3: need 0 < eps < err0, got eps = {eps}, err0 = {err0}");
    let mut expected = 0usize;
    while gamma.powi(expected as i32) * err0 > eps {
        expected += 1;
    }
    if k == expected {
        return Feedback::correct(ex, format!("k = {expected}: γ^k · err0 = {:.3e} ≤ {eps:e}, and one sweep fewer is not enough.", gamma.powi(k as i32) * err0));
    }
    if k + 1 == expected {
        return Feedback::wrong(ex, format!("one short: γ^{k} · err0 = {:.3e} > eps. Round ln(eps/err0)/ln γ up, not down.", gamma.powi(k as i32) * err0));
    }
    let mut without_err0 = 0usize;
    while gamma.powi(without_err0 as i32) > eps {
        without_err0 += 1;
    }
    if k == without_err0 && without_err0 != expected {
        return Feedback::wrong(ex, "the guarantee is γ^k times the initial error err0, not γ^k alone.");
    }
    let crude = ((err0 / eps).ln() / (1.0 - gamma)).ceil() as usize;
    if k == crude && crude != expected {
        return Feedback::wrong(ex, "ln(err0/eps)/(1 − γ) is a sufficient number (ln(1/γ) ≥ 1 − γ) but not the smallest: use ln γ itself.");
    }
    Feedback::wrong(ex, format!("expected the least k with γ^k · err0 ≤ eps, i.e. k = ⌈ln(eps/err0)/ln γ⌉ = {expected}; got {k}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rl::Gridworld;

    #[test]
    fn q1_names_the_usual_slips() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let q = Array2::from_shape_fn((11, 4), |(s, a)| ((s + 2 * a) % 5) as f64 * 0.1);
        assert!(check_q1(&mdp, &q, &mdp.bellman_q(&q)).is_correct());
        let v_mean: Array1<f64> = q.rows().into_iter().map(|r| r.mean().unwrap()).collect();
        assert!(check_q1(&mdp, &q, &mdp.q_from_v(&v_mean)).message.contains("averaged"));
        assert!(check_q1(&mdp, &q, &(mdp.bellman_q(&q) - &mdp.r)).message.contains("reward"));
        let no_gamma = &mdp.bellman_q(&q) - &mdp.r;
        let no_gamma = no_gamma / 0.9 + &mdp.r;
        assert!(check_q1(&mdp, &q, &no_gamma).message.contains("discount"));
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let policy = vec![3; 11];
        let (_, r_pi) = mdp.policy_matrices(&policy);
        assert!(check_q2(&mdp, &policy, &r_pi).message.contains("one sweep"));
        let v_star = policy_iteration(&mdp).v;
        assert!(check_q2(&mdp, &policy, &v_star).message.contains("V*"));
        assert!(!check_q2(&mdp, &policy, &(policy_evaluation(&mdp, &policy) + 0.01)).is_correct());
    }

    #[test]
    fn q3_counts_sweeps_like_brute_force() {
        // γ = 0.9, from 10 to 1e-6: 0.9^k ≤ 1e-7 ⇔ k ≥ 152.98.
        assert!(check_q3(0.9, 10.0, 1e-6, 153).is_correct());
        assert!(check_q3(0.9, 10.0, 1e-6, 152).message.contains("one short"));
        assert!(check_q3(0.9, 10.0, 1e-6, 132).message.contains("initial error"));
        assert!(check_q3(0.9, 10.0, 1e-6, 162).message.contains("sufficient"));
    }
}
