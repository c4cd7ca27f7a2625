//! Dynamic programming: value iteration, exact policy evaluation, policy iteration.
//!
//! **Value iteration** repeats the Bellman optimality sweep $V_{k+1} = TV_k$,
//! $(TV)(s) = \max_a\big[r(s, a) + \gamma\sum_{s'}P[s][a][s']V(s')\big]$. Because $T$ is a
//! $\gamma$-contraction in $\lVert\cdot\rVert_\infty$ and $V^\star = TV^\star$,
//! $$\lVert V_{k+1} - V^\star\rVert_\infty\le\gamma\,\lVert V_k - V^\star\rVert_\infty .$$
//! **Policy evaluation** solves the linear Bellman equation $V^\pi = r^\pi + \gamma P^\pi V^\pi$
//! exactly, $V^\pi = (I - \gamma P^\pi)^{-1}r^\pi$ (invertible: $\lVert\gamma P^\pi\rVert_\infty = \gamma < 1$).
//! **Policy iteration** alternates evaluation and greedy improvement; each policy is at least
//! as good as the last, and it stops at an optimal policy after finitely many steps.
//!
//! ## Reference
//! R. Bellman, *Dynamic Programming* (1957); R. Howard, *Dynamic Programming and Markov
//! Processes* (1960); Sutton & Barto (2018), §4.1–4.4; Puterman (1994), §6.2–6.4.
//!
//! Used in notebooks/24-reinforcement-learning.ipynb.

use super::{Mdp, greedy};
use ndarray::{Array1, Array2};

/// `n_sweeps` sweeps of value iteration from `v0`; returns all iterates $V_0, \dots, V_{n}$.
///
/// # Panics
/// If `v0.len() != mdp.n_states()`.
///
/// # Examples
/// ```
/// use course::rl::{policy_iteration, sup_distance, value_iteration, Gridworld};
/// use ndarray::Array1;
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let vs = value_iteration(&mdp, &Array1::zeros(11), 200);
/// let v_star = policy_iteration(&mdp).v;
/// assert!(sup_distance(&vs[200], &v_star) < 1e-8); // 0.9^200 ≈ 7e-10
/// ```
pub fn value_iteration(mdp: &Mdp, v0: &Array1<f64>, n_sweeps: usize) -> Vec<Array1<f64>> {
    assert_eq!(v0.len(), mdp.n_states(), "value_iteration: v0 must have n_states = {} entries, got {}", mdp.n_states(), v0.len());
    let mut vs = Vec::with_capacity(n_sweeps + 1);
    vs.push(v0.clone());
    for _ in 0..n_sweeps {
        let next = mdp.bellman_optimality(vs.last().expect("non-empty"));
        vs.push(next);
    }
    vs
}

/// The value of a deterministic policy, $V^\pi = (I - \gamma P^\pi)^{-1}r^\pi$, by an LU solve
/// ([`crate::linalg::solve`]).
///
/// # Panics
/// If `policy.len() != n_states` or an action is out of range.
///
/// # Examples
/// ```
/// use course::rl::{policy_evaluation, Gridworld};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let policy = vec![1; 11]; // always right
/// let v = policy_evaluation(&mdp, &policy);
/// // V^π is the fixed point of T^π: V = r^π + γ P^π V.
/// let (p_pi, r_pi) = mdp.policy_matrices(&policy);
/// let residual = &v - &(&r_pi + &(p_pi.dot(&v) * 0.9));
/// assert!(residual.iter().all(|x| x.abs() < 1e-12));
/// ```
pub fn policy_evaluation(mdp: &Mdp, policy: &[usize]) -> Array1<f64> {
    mdp.check_policy(policy, "policy_evaluation");
    let (p_pi, r_pi) = mdp.policy_matrices(policy);
    let n = mdp.n_states();
    let a = Array2::<f64>::eye(n) - &(p_pi * mdp.gamma);
    crate::linalg::solve(&a, &r_pi).expect("I − γP^π is invertible for γ < 1")
}

/// The result of [`policy_iteration`].
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyIteration {
    /// An optimal policy $\pi^\star$ (ties broken towards the lowest action index).
    pub policy: Vec<usize>,
    /// Its value $V^\star = V^{\pi^\star}$, from the exact linear solve.
    pub v: Array1<f64>,
    /// The value of every policy visited, the first being "always action 0".
    pub values: Vec<Array1<f64>>,
}

/// Howard's policy iteration from the policy "always action 0": evaluate exactly, improve
/// greedily, stop when the policy no longer changes (at most 1000 rounds).
///
/// # Panics
/// If it has not converged after 1000 rounds (it converges in a handful on small MDPs).
///
/// # Examples
/// ```
/// use course::rl::{policy_iteration, Gridworld};
/// let grid = Gridworld::classic();
/// let pi = policy_iteration(&grid.to_mdp(0.99));
/// assert_eq!(pi.policy[grid.state(0, 0)], 0);           // from the start: go up, around the wall
/// assert!(pi.values.len() <= 10);                        // a few rounds suffice
/// ```
pub fn policy_iteration(mdp: &Mdp) -> PolicyIteration {
    let mut policy = vec![0; mdp.n_states()];
    let mut values = Vec::new();
    for _ in 0..1000 {
        let v = policy_evaluation(mdp, &policy);
        values.push(v.clone());
        // Improve, but keep the current action on (numerical) ties so that the loop stops.
        let q = mdp.q_from_v(&v);
        let mut improved = greedy(&q);
        for s in 0..mdp.n_states() {
            if q[[s, improved[s]]] <= q[[s, policy[s]]] + 1e-12 {
                improved[s] = policy[s];
            }
        }
        if improved == policy {
            let policy = greedy(&q); // canonical tie-breaking for the reported optimal policy
            return PolicyIteration { policy, v, values };
        }
        policy = improved;
    }
    panic!("policy_iteration: no convergence after 1000 rounds");
}

/// The smallest gap $\min_s\big(\max_a Q(s, a) - \max_{a\ne\pi(s)} Q(s, a)\big)$ between the best and
/// the second-best action over non-terminal states, with $\pi$ greedy for $Q$. If
/// $\lVert\hat Q - Q\rVert_\infty$ is below half of it, $\hat Q$ has the same greedy policy.
///
/// # Examples
/// ```
/// use ndarray::array;
/// use course::rl::{action_gap, Mdp};
/// let q = array![[1.0, 0.7, 0.2], [0.0, 0.5, 0.45]];
/// let mdp = Mdp::new(ndarray::Array3::from_shape_fn((2, 3, 2), |(_, _, t)| if t == 0 { 1.0 } else { 0.0 }),
///                    ndarray::Array2::zeros((2, 3)), 0.5, vec![false, false]);
/// assert!((action_gap(&mdp, &q) - 0.05).abs() < 1e-12);
/// ```
pub fn action_gap(mdp: &Mdp, q: &Array2<f64>) -> f64 {
    assert_eq!(q.dim(), (mdp.n_states(), mdp.n_actions()), "action_gap: q must be n_states × n_actions");
    mdp.nonterminal_states()
        .into_iter()
        .map(|s| {
            let mut row: Vec<f64> = q.row(s).to_vec();
            row.sort_by(|a, b| b.total_cmp(a));
            if row.len() > 1 { row[0] - row[1] } else { f64::INFINITY }
        })
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rl::{Gridworld, sup_distance};

    fn all_policies(n_states: usize, n_actions: usize) -> Vec<Vec<usize>> {
        let mut out = vec![vec![]];
        for _ in 0..n_states {
            out = out.into_iter().flat_map(|p: Vec<usize>| (0..n_actions).map(move |a| { let mut q = p.clone(); q.push(a); q })).collect();
        }
        out
    }

    #[test]
    fn policy_iteration_beats_every_policy_brute_force() {
        // A small world (5 states, 2 of them terminal → 4^5 = 1024 policies): V* ≥ V^π everywhere.
        let grid = Gridworld::new(3, 2).wall(1, 0).goal(2, 1, 1.0).trap(2, 0, -1.0).slip(0.2).step_reward(-0.05);
        let mdp = grid.to_mdp(0.9);
        let pi = policy_iteration(&mdp);
        let mut best = Array1::from_elem(mdp.n_states(), f64::NEG_INFINITY);
        for policy in all_policies(mdp.n_states(), 4) {
            let v = policy_evaluation(&mdp, &policy);
            assert!(v.iter().zip(pi.v.iter()).all(|(a, b)| *a <= *b + 1e-12));
            best.zip_mut_with(&v, |b, x| *b = b.max(*x));
        }
        assert!(sup_distance(&best, &pi.v) < 1e-12);
    }

    #[test]
    fn policy_evaluation_equals_iterating_t_pi() {
        let mdp = Gridworld::classic().to_mdp(0.8);
        let policy = vec![2, 1, 0, 3, 0, 1, 2, 3, 0, 1, 2];
        let (p_pi, r_pi) = mdp.policy_matrices(&policy);
        let mut v = Array1::zeros(11);
        for _ in 0..300 {
            v = &r_pi + &(p_pi.dot(&v) * 0.8);
        }
        assert!(sup_distance(&v, &policy_evaluation(&mdp, &policy)) < 1e-12);
    }

    #[test]
    fn value_iteration_contracts_by_gamma_every_sweep() {
        for gamma in [0.5, 0.9, 0.99] {
            let mdp = Gridworld::classic().to_mdp(gamma);
            let v_star = policy_iteration(&mdp).v;
            let vs = value_iteration(&mdp, &Array1::zeros(11), 100);
            for k in 0..100 {
                assert!(sup_distance(&vs[k + 1], &v_star) <= gamma * sup_distance(&vs[k], &v_star) + 1e-13);
            }
        }
    }

    #[test]
    fn policy_values_improve_monotonically() {
        let mdp = Gridworld::classic().to_mdp(0.95);
        let pi = policy_iteration(&mdp);
        for w in pi.values.windows(2) {
            assert!(w[1].iter().zip(w[0].iter()).all(|(b, a)| *b >= *a - 1e-12));
        }
    }
}
