//! The policy-gradient theorem, computed exactly on a finite MDP.
//!
//! For a stochastic policy $\pi$, $P^\pi[s][s'] = \sum_a\pi(a\mid s)P[s][a][s']$ and
//! $r^\pi(s) = \sum_a\pi(a\mid s)r(s, a)$; the values solve the linear Bellman equation
//! $V^\pi = (I - \gamma P^\pi)^{-1}r^\pi$ and $Q^\pi = r + \gamma PV^\pi$. From a start
//! distribution $\mu_0$, the objective is $J(\theta) = \mu_0^\top V^{\pi_\theta}$ and the
//! (unnormalized) discounted occupancy is
//! $$\eta^\pi(s) = \sum_{t\ge0}\gamma^t\Pr(S_t = s) = \big[\mu_0^\top(I - \gamma P^\pi)^{-1}\big]_s,\qquad
//!   d^\pi = (1 - \gamma)\,\eta^\pi\ \text{(a distribution)}.$$
//! **Theorem** (Sutton, McAllester, Singh & Mansour 2000):
//! $$\nabla J(\theta) = \sum_s\eta^\pi(s)\sum_a\pi(a\mid s)\,\nabla\log\pi(a\mid s)\,Q^\pi(s, a)
//!   = \frac1{1-\gamma}\,\mathbb E_{s\sim d^\pi,\,a\sim\pi}\big[\nabla\log\pi(a\mid s)\,Q^\pi(s, a)\big],$$
//! which for the tabular softmax is $\partial J/\partial\theta_{s,a} = \eta^\pi(s)\,\pi(a\mid s)\,A^\pi(s, a)$
//! with the advantage $A^\pi = Q^\pi - V^\pi$.
//!
//! ## Reference
//! R. S. Sutton, D. McAllester, S. Singh & Y. Mansour (2000), *Policy gradient methods for
//! reinforcement learning with function approximation*, NIPS 12; Sutton & Barto (2018), §13.2;
//! A. Agarwal, S. Kakade, J. Lee & G. Mahajan (2021), *On the theory of policy gradient
//! methods*, JMLR 22.
//!
//! Used in notebooks/25-reinforcement-learning-with-networks.ipynb.

use super::{Mdp, SoftmaxPolicy};
use ndarray::{Array1, Array2};

/// $V^\pi$, $Q^\pi$ and the discounted occupancy $\eta^\pi$ of a stochastic policy.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyValues {
    /// $V^\pi(s)$.
    pub v: Array1<f64>,
    /// $Q^\pi(s, a)$.
    pub q: Array2<f64>,
    /// $\eta^\pi(s) = \sum_t\gamma^t\Pr(S_t = s)$ from $\mu_0$ (sums to $1/(1-\gamma)$).
    pub occupancy: Array1<f64>,
    /// $J = \mu_0^\top V^\pi$.
    pub j: f64,
}

fn check_mu0(mdp: &Mdp, mu0: &Array1<f64>, who: &str) {
    assert_eq!(mu0.len(), mdp.n_states(), "{who}: mu0 must have n_states = {} entries, got {}", mdp.n_states(), mu0.len());
    assert!(mu0.iter().all(|&x| x >= 0.0) && (mu0.sum() - 1.0).abs() < 1e-9, "{who}: mu0 must be a probability vector (≥ 0, sum 1), sums to {}", mu0.sum());
}

/// Exact policy evaluation of the stochastic policy with probabilities `probs`
/// (`n_states × n_actions`) by two linear solves.
///
/// # Panics
/// If the shapes disagree with `mdp` or `mu0` is not a distribution.
///
/// # Examples
/// ```
/// use course::rl::{evaluate_policy, Gridworld, SoftmaxPolicy};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let mu0 = course::rl::uniform_start(&mdp);
/// let pv = evaluate_policy(&mdp, &SoftmaxPolicy::uniform(11, 4).probs(), &mu0);
/// assert!((pv.occupancy.sum() - 10.0).abs() < 1e-9); // Σ_s η(s) = 1/(1 − γ)
/// ```
pub fn evaluate_policy(mdp: &Mdp, probs: &Array2<f64>, mu0: &Array1<f64>) -> PolicyValues {
    let (n_s, n_a) = (mdp.n_states(), mdp.n_actions());
    assert_eq!(probs.dim(), (n_s, n_a), "evaluate_policy: probs must be n_states × n_actions = {n_s}×{n_a}, got {:?}", probs.dim());
    check_mu0(mdp, mu0, "evaluate_policy");
    let mut p_pi = Array2::<f64>::zeros((n_s, n_s));
    let mut r_pi = Array1::<f64>::zeros(n_s);
    for s in 0..n_s {
        for a in 0..n_a {
            let w = probs[[s, a]];
            r_pi[s] += w * mdp.r[[s, a]];
            for t in 0..n_s {
                p_pi[[s, t]] += w * mdp.p[[s, a, t]];
            }
        }
    }
    let m = Array2::<f64>::eye(n_s) - &(p_pi * mdp.gamma);
    let v = crate::linalg::solve(&m, &r_pi).expect("I − γP^π is invertible for γ < 1");
    let occupancy = crate::linalg::solve(&m.t().to_owned(), mu0).expect("I − γP^π is invertible for γ < 1");
    let q = mdp.q_from_v(&v);
    let j = mu0.dot(&v);
    PolicyValues { v, q, occupancy, j }
}

/// The uniform start distribution over the non-terminal states.
///
/// # Examples
/// ```
/// let mdp = course::rl::Gridworld::classic().to_mdp(0.9);
/// let mu0 = course::rl::uniform_start(&mdp);
/// assert_eq!((mu0[0], mu0.sum()), (1.0 / 9.0, 1.0));
/// ```
pub fn uniform_start(mdp: &Mdp) -> Array1<f64> {
    let live = mdp.nonterminal_states();
    assert!(!live.is_empty(), "uniform_start: the MDP has no non-terminal state");
    let mut mu0 = Array1::zeros(mdp.n_states());
    for s in &live {
        mu0[*s] = 1.0 / live.len() as f64;
    }
    mu0
}

/// $J(\theta) = \mu_0^\top V^{\pi_\theta}$.
///
/// # Examples
/// ```
/// use course::rl::{objective, Gridworld, SoftmaxPolicy};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let j = objective(&mdp, &SoftmaxPolicy::uniform(11, 4), &course::rl::uniform_start(&mdp));
/// assert!(j > -0.4 && j < 0.0); // the random walk loses a little on average
/// ```
pub fn objective(mdp: &Mdp, policy: &SoftmaxPolicy, mu0: &Array1<f64>) -> f64 {
    evaluate_policy(mdp, &policy.probs(), mu0).j
}

/// The exact policy gradient of the tabular softmax,
/// $\partial J/\partial\theta_{s,a} = \eta^\pi(s)\,\pi(a\mid s)\,\big(Q^\pi(s, a) - V^\pi(s)\big)$.
///
/// # Panics
/// As [`evaluate_policy`].
///
/// # Examples
/// ```
/// use course::rl::{exact_policy_gradient, Gridworld, SoftmaxPolicy};
/// let grid = Gridworld::classic();
/// let mdp = grid.to_mdp(0.9);
/// let g = exact_policy_gradient(&mdp, &SoftmaxPolicy::uniform(11, 4), &course::rl::uniform_start(&mdp));
/// // Next to the goal, "right" is the most promising action to push up.
/// let s = grid.state(2, 2);
/// assert!(g[[s, 1]] > 0.0 && g[[s, 1]] > g[[s, 0]]);
/// assert!(g.rows().into_iter().all(|row| row.sum().abs() < 1e-12)); // Σ_a π A = 0
/// ```
pub fn exact_policy_gradient(mdp: &Mdp, policy: &SoftmaxPolicy, mu0: &Array1<f64>) -> Array2<f64> {
    let probs = policy.probs();
    let pv = evaluate_policy(mdp, &probs, mu0);
    Array2::from_shape_fn(probs.dim(), |(s, a)| pv.occupancy[s] * probs[[s, a]] * (pv.q[[s, a]] - pv.v[s]))
}

/// Exact policy-gradient ascent $\theta_{k+1} = \theta_k + \mathrm{lr}\,\nabla J(\theta_k)$ from
/// `theta0`; returns the final policy and $J(\theta_k)$ for $k = 0..=n_{\rm steps}$.
///
/// # Panics
/// If `lr` is not positive, or as [`evaluate_policy`].
///
/// # Examples
/// ```
/// use course::rl::{policy_gradient_ascent, Gridworld, SoftmaxPolicy};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let (_, js) = policy_gradient_ascent(&mdp, &SoftmaxPolicy::uniform(11, 4), &course::rl::uniform_start(&mdp), 1.0, 50);
/// assert!(js.windows(2).all(|w| w[1] >= w[0] - 1e-12)); // small steps: J never decreases
/// ```
pub fn policy_gradient_ascent(mdp: &Mdp, theta0: &SoftmaxPolicy, mu0: &Array1<f64>, lr: f64, n_steps: usize) -> (SoftmaxPolicy, Vec<f64>) {
    assert!(lr > 0.0, "policy_gradient_ascent: lr must be > 0, got {lr}");
    let mut policy = theta0.clone();
    let mut js = Vec::with_capacity(n_steps + 1);
    for _ in 0..n_steps {
        let probs = policy.probs();
        let pv = evaluate_policy(mdp, &probs, mu0);
        js.push(pv.j);
        for ((s, a), t) in policy.theta.indexed_iter_mut() {
            *t += lr * pv.occupancy[s] * probs[[s, a]] * (pv.q[[s, a]] - pv.v[s]);
        }
    }
    js.push(objective(mdp, &policy, mu0));
    (policy, js)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rl::{Gridworld, policy_iteration};

    #[test]
    fn gradient_matches_central_differences_of_j() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let mu0 = uniform_start(&mdp);
        let mut rng = crate::rng::seeded(7);
        let theta = Array2::from_shape_vec((11, 4), crate::rng::normal_vec(&mut rng, 44)).unwrap();
        let g = exact_policy_gradient(&mdp, &SoftmaxPolicy::new(theta.clone()), &mu0);
        let h = 1e-5;
        for ((s, a), &gi) in g.indexed_iter() {
            let mut tp = theta.clone();
            tp[[s, a]] += h;
            let mut tm = theta.clone();
            tm[[s, a]] -= h;
            let fd = (objective(&mdp, &SoftmaxPolicy::new(tp), &mu0) - objective(&mdp, &SoftmaxPolicy::new(tm), &mu0)) / (2.0 * h);
            assert!((fd - gi).abs() < 1e-8, "({s},{a}): fd {fd} vs {gi}");
        }
    }

    #[test]
    fn deterministic_limit_recovers_policy_evaluation() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let opt = policy_iteration(&mdp);
        let probs = Array2::from_shape_fn((11, 4), |(s, a)| if opt.policy[s] == a { 1.0 } else { 0.0 });
        let pv = evaluate_policy(&mdp, &probs, &uniform_start(&mdp));
        assert!(crate::rl::sup_distance(&pv.v, &opt.v) < 1e-12);
    }
}
