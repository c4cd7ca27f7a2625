//! A finite Markov decision process: states, actions, transition tensor, rewards, discount.
//!
//! $$P[s][a][s'] = \Pr(S_{t+1} = s'\mid S_t = s, A_t = a),\qquad r(s, a) = \mathbb E[R_{t+1}\mid S_t = s, A_t = a],$$
//! and the two Bellman operators on action values,
//! $$(T^\pi Q)(s, a) = r(s, a) + \gamma\sum_{s'}P[s][a][s']\,Q(s', \pi(s')),\qquad
//!   (TQ)(s, a) = r(s, a) + \gamma\sum_{s'}P[s][a][s']\max_{a'}Q(s', a'),$$
//! both $\gamma$-contractions in the sup norm. Terminal states are absorbing with reward 0, so an
//! episode that ends there simply earns nothing more and every formula stays the same.
//!
//! ## Reference
//! R. S. Sutton & A. G. Barto, *Reinforcement Learning: An Introduction* (2nd ed., 2018), ch. 3;
//! M. L. Puterman, *Markov Decision Processes* (1994), ch. 6.
//!
//! Used in notebooks/24-reinforcement-learning.ipynb.

use crate::rng::{Rng, RngExt};
use ndarray::{Array1, Array2, Array3};

/// A finite MDP with expected rewards $r(s, a)$ and discount $\gamma\in[0, 1)$.
///
/// # Examples
/// ```
/// use course::rl::Mdp;
/// use ndarray::{array, Array3};
/// // One state, one action, reward 1 forever: V = 1/(1 − γ).
/// let mdp = Mdp::new(Array3::from_elem((1, 1, 1), 1.0), array![[1.0]], 0.9, vec![false]);
/// let v = mdp.bellman_optimality(&array![0.0]);
/// assert_eq!(v[0], 1.0);
/// assert_eq!(mdp.n_states(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Mdp {
    /// Transition tensor `n_states × n_actions × n_states`; each `p[[s, a, ..]]` sums to 1.
    pub p: Array3<f64>,
    /// Expected reward `n_states × n_actions`.
    pub r: Array2<f64>,
    /// Discount factor $\gamma\in[0, 1)$.
    pub gamma: f64,
    /// `terminal[s]`: the episode ends on entering `s` (absorbing, reward 0).
    pub terminal: Vec<bool>,
}

impl Mdp {
    /// Builds and validates an MDP.
    ///
    /// # Panics
    /// If the shapes disagree, a probability is negative or a row `p[[s, a, ..]]` does not sum
    /// to 1 (within 1e-9), `gamma` is outside `[0, 1)`, or a terminal state is not absorbing
    /// with reward 0.
    ///
    /// # Examples
    /// ```
    /// use course::rl::Mdp;
    /// use ndarray::{array, Array3};
    /// let p = Array3::from_shape_vec((2, 1, 2), vec![0.0, 1.0, 0.0, 1.0]).unwrap(); // 0 → 1, 1 absorbing
    /// let mdp = Mdp::new(p, array![[2.0], [0.0]], 0.5, vec![false, true]);
    /// assert_eq!(mdp.nonterminal_states(), vec![0]);
    /// ```
    pub fn new(p: Array3<f64>, r: Array2<f64>, gamma: f64, terminal: Vec<bool>) -> Self {
        let (n_s, n_a, n_s2) = p.dim();
        assert!(n_s > 0 && n_a > 0, "Mdp::new: need at least one state and one action, got p of shape {n_s}×{n_a}×{n_s2}");
        assert_eq!(n_s, n_s2, "Mdp::new: p must be n_states × n_actions × n_states, got {n_s}×{n_a}×{n_s2}");
        assert_eq!(r.dim(), (n_s, n_a), "Mdp::new: r must be n_states × n_actions = {n_s}×{n_a}, got {:?}", r.dim());
        assert_eq!(terminal.len(), n_s, "Mdp::new: terminal must have n_states = {n_s} entries, got {}", terminal.len());
        assert!((0.0..1.0).contains(&gamma), "Mdp::new: gamma must be in [0, 1), got {gamma}");
        for s in 0..n_s {
            for a in 0..n_a {
                let row = p.slice(ndarray::s![s, a, ..]);
                assert!(row.iter().all(|&x| x >= 0.0 && x.is_finite()), "Mdp::new: p[{s}][{a}] must be a probability vector, has a negative or non-finite entry");
                let total: f64 = row.sum();
                assert!((total - 1.0).abs() < 1e-9, "Mdp::new: p[{s}][{a}] must sum to 1, sums to {total}");
                assert!(r[[s, a]].is_finite(), "Mdp::new: r[{s}][{a}] must be finite");
                if terminal[s] {
                    assert!(row[s] == 1.0 && r[[s, a]] == 0.0, "Mdp::new: terminal state {s} must be absorbing with reward 0");
                }
            }
        }
        Mdp { p, r, gamma, terminal }
    }

    /// Number of states.
    pub fn n_states(&self) -> usize {
        self.p.dim().0
    }

    /// Number of actions.
    pub fn n_actions(&self) -> usize {
        self.p.dim().1
    }

    /// The states that are not terminal, in order.
    pub fn nonterminal_states(&self) -> Vec<usize> {
        (0..self.n_states()).filter(|&s| !self.terminal[s]).collect()
    }

    fn check_v(&self, v: &Array1<f64>, who: &str) {
        assert_eq!(v.len(), self.n_states(), "Mdp::{who}: v must have n_states = {} entries, got {}", self.n_states(), v.len());
    }

    fn check_q(&self, q: &Array2<f64>, who: &str) {
        assert_eq!(q.dim(), (self.n_states(), self.n_actions()), "Mdp::{who}: q must be n_states × n_actions = {}×{}, got {:?}", self.n_states(), self.n_actions(), q.dim());
    }

    /// The one-step look-ahead $Q(s, a) = r(s, a) + \gamma\sum_{s'}P[s][a][s']\,V(s')$.
    ///
    /// # Panics
    /// If `v.len() != n_states`.
    ///
    /// # Examples
    /// ```
    /// use course::rl::Gridworld;
    /// use ndarray::Array1;
    /// let mdp = Gridworld::classic().to_mdp(0.9);
    /// let q = mdp.q_from_v(&Array1::zeros(mdp.n_states()));
    /// assert_eq!(q, mdp.r); // with V = 0 only the reward is left
    /// ```
    pub fn q_from_v(&self, v: &Array1<f64>) -> Array2<f64> {
        self.check_v(v, "q_from_v");
        let (n_s, n_a) = (self.n_states(), self.n_actions());
        Array2::from_shape_fn((n_s, n_a), |(s, a)| self.r[[s, a]] + self.gamma * self.p.slice(ndarray::s![s, a, ..]).dot(v))
    }

    /// The Bellman optimality operator on state values, $(TV)(s) = \max_a Q(s, a)$ with
    /// $Q$ = [`q_from_v`](Self::q_from_v)$(V)$: one sweep of value iteration.
    ///
    /// # Panics
    /// If `v.len() != n_states`.
    ///
    /// # Examples
    /// ```
    /// use course::rl::Gridworld;
    /// use ndarray::Array1;
    /// let mdp = Gridworld::classic().to_mdp(0.9);
    /// let (v, w) = (Array1::zeros(11), Array1::from_elem(11, 1.0));
    /// // Contraction: ‖TV − TW‖∞ ≤ γ‖V − W‖∞ (here the maximum is reached).
    /// let d = (&mdp.bellman_optimality(&v) - &mdp.bellman_optimality(&w)).iter().fold(0.0f64, |m, x| m.max(x.abs()));
    /// assert!(d <= 0.9 + 1e-12);
    /// ```
    pub fn bellman_optimality(&self, v: &Array1<f64>) -> Array1<f64> {
        let q = self.q_from_v(v);
        q.rows().into_iter().map(|row| row.iter().cloned().fold(f64::NEG_INFINITY, f64::max)).collect()
    }

    /// The Bellman optimality operator on action values, $(TQ)(s, a) = r(s, a) + \gamma\sum_{s'}P[s][a][s']\max_{a'}Q(s', a')$.
    ///
    /// # Panics
    /// If `q` is not `n_states × n_actions`.
    ///
    /// # Examples
    /// ```
    /// use course::rl::{policy_iteration, Gridworld};
    /// let mdp = Gridworld::classic().to_mdp(0.9);
    /// let q_star = mdp.q_from_v(&policy_iteration(&mdp).v);
    /// let tq = mdp.bellman_q(&q_star); // Q* is the fixed point of T
    /// assert!((&tq - &q_star).iter().all(|d| d.abs() < 1e-12));
    /// ```
    pub fn bellman_q(&self, q: &Array2<f64>) -> Array2<f64> {
        self.check_q(q, "bellman_q");
        self.q_from_v(&max_over_actions(q))
    }

    /// The transition matrix and reward vector of a deterministic policy,
    /// $P^\pi[s][s'] = P[s][\pi(s)][s']$ and $r^\pi(s) = r(s, \pi(s))$.
    ///
    /// # Panics
    /// If `policy.len() != n_states` or an action is out of range.
    ///
    /// # Examples
    /// ```
    /// use course::rl::Gridworld;
    /// let mdp = Gridworld::classic().to_mdp(0.9);
    /// let (p_pi, r_pi) = mdp.policy_matrices(&vec![0; 11]);
    /// assert!(p_pi.rows().into_iter().all(|row| (row.sum() - 1.0).abs() < 1e-12)); // stochastic matrix
    /// assert_eq!(r_pi.len(), 11);
    /// ```
    pub fn policy_matrices(&self, policy: &[usize]) -> (Array2<f64>, Array1<f64>) {
        self.check_policy(policy, "policy_matrices");
        let n_s = self.n_states();
        let p_pi = Array2::from_shape_fn((n_s, n_s), |(s, t)| self.p[[s, policy[s], t]]);
        let r_pi = Array1::from_shape_fn(n_s, |s| self.r[[s, policy[s]]]);
        (p_pi, r_pi)
    }

    pub(crate) fn check_policy(&self, policy: &[usize], who: &str) {
        assert_eq!(policy.len(), self.n_states(), "{who}: policy must have one action per state ({}), got {}", self.n_states(), policy.len());
        if let Some(s) = (0..policy.len()).find(|&s| policy[s] >= self.n_actions()) {
            panic!("{who}: policy[{s}] = {} is not an action (there are {})", policy[s], self.n_actions());
        }
    }

    /// Samples $S_{t+1}\sim P[s][a][\cdot]$.
    ///
    /// # Panics
    /// If `s` or `a` is out of range.
    ///
    /// # Examples
    /// ```
    /// use course::rl::Gridworld;
    /// let grid = Gridworld::classic();
    /// let mdp = grid.to_mdp(0.9);
    /// let mut rng = course::rng::seeded(0);
    /// // From the start (0, 0), "up" (action 0) lands on (0, 1) with probability 0.8.
    /// let (start, up) = (grid.state(0, 0), grid.state(0, 1));
    /// let hits = (0..10_000).filter(|_| mdp.sample_next(start, 0, &mut rng) == up).count();
    /// assert!((hits as f64 / 1e4 - 0.8).abs() < 4.0 * (0.16f64 / 1e4).sqrt()); // 4 standard errors
    /// ```
    pub fn sample_next(&self, s: usize, a: usize, rng: &mut impl Rng) -> usize {
        assert!(s < self.n_states() && a < self.n_actions(), "Mdp::sample_next: need s < {} and a < {}, got s = {s}, a = {a}", self.n_states(), self.n_actions());
        let u: f64 = rng.random();
        let row = self.p.slice(ndarray::s![s, a, ..]);
        let mut acc = 0.0;
        let mut last = s;
        for (t, &prob) in row.iter().enumerate() {
            if prob > 0.0 {
                acc += prob;
                last = t;
                if u < acc {
                    return t;
                }
            }
        }
        last // round-off: u ≥ the computed total
    }
}

/// $\max_a Q(s, a)$ for every state.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert_eq!(course::rl::max_over_actions(&array![[1.0, 3.0], [-1.0, -2.0]]), array![3.0, -1.0]);
/// ```
pub fn max_over_actions(q: &Array2<f64>) -> Array1<f64> {
    q.rows().into_iter().map(|row| row.iter().cloned().fold(f64::NEG_INFINITY, f64::max)).collect()
}

/// The greedy policy $\pi(s) = \arg\max_a Q(s, a)$ (ties go to the lowest action index).
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert_eq!(course::rl::greedy(&array![[1.0, 3.0], [0.0, 0.0]]), vec![1, 0]);
/// ```
pub fn greedy(q: &Array2<f64>) -> Vec<usize> {
    q.rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            for (a, &x) in row.iter().enumerate() {
                if x > row[best] {
                    best = a;
                }
            }
            best
        })
        .collect()
}

/// The sup-norm distance $\lVert a - b\rVert_\infty$ of two arrays of the same shape (NaN if
/// an entry is NaN, so that a diverged run cannot look converged).
///
/// # Panics
/// If the shapes differ.
///
/// # Examples
/// ```
/// use ndarray::array;
/// assert_eq!(course::rl::sup_distance(&array![1.0, -2.0], &array![0.5, 1.0]), 3.0);
/// ```
pub fn sup_distance<D: ndarray::Dimension>(a: &ndarray::Array<f64, D>, b: &ndarray::Array<f64, D>) -> f64 {
    assert_eq!(a.shape(), b.shape(), "sup_distance: a and b must have the same shape, got {:?} and {:?}", a.shape(), b.shape());
    a.iter().zip(b.iter()).fold(0.0f64, |m, (x, y)| {
        let d = (x - y).abs();
        if d.is_nan() || m.is_nan() { f64::NAN } else { m.max(d) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rl::Gridworld;

    #[test]
    fn bellman_q_is_a_gamma_contraction_on_random_pairs() {
        let mdp = Gridworld::classic().to_mdp(0.8);
        let mut rng = crate::rng::seeded(1);
        for _ in 0..20 {
            let q1 = Array2::from_shape_vec((11, 4), crate::rng::normal_vec(&mut rng, 44)).unwrap();
            let q2 = Array2::from_shape_vec((11, 4), crate::rng::normal_vec(&mut rng, 44)).unwrap();
            let lhs = sup_distance(&mdp.bellman_q(&q1), &mdp.bellman_q(&q2));
            assert!(lhs <= 0.8 * sup_distance(&q1, &q2) + 1e-12);
        }
    }

    #[test]
    fn sampling_matches_the_transition_row() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let mut rng = crate::rng::seeded(2);
        let n = 40_000;
        for (s, a) in [(0, 1), (5, 2), (8, 3)] {
            let mut counts = vec![0usize; mdp.n_states()];
            for _ in 0..n {
                counts[mdp.sample_next(s, a, &mut rng)] += 1;
            }
            for t in 0..mdp.n_states() {
                let p = mdp.p[[s, a, t]];
                let se = (p * (1.0 - p) / n as f64).sqrt();
                assert!((counts[t] as f64 / n as f64 - p).abs() <= 5.0 * se + 1e-12, "s={s} a={a} t={t}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "must sum to 1")]
    fn rejects_a_row_that_is_not_a_distribution() {
        Mdp::new(Array3::from_elem((1, 1, 1), 0.5), Array2::zeros((1, 1)), 0.9, vec![false]);
    }

    #[test]
    #[should_panic(expected = "gamma must be in [0, 1)")]
    fn rejects_gamma_one() {
        Mdp::new(Array3::from_elem((1, 1, 1), 1.0), Array2::zeros((1, 1)), 1.0, vec![false]);
    }
}
