//! Tabular Q-learning with ε-greedy exploration and Robbins–Monro step sizes.
//!
//! After each transition $(s, a, r(s, a), s')$ sampled from the MDP,
//! $$Q(s, a)\leftarrow Q(s, a) + \alpha_n(s, a)\Big[r(s, a) + \gamma\max_{a'}Q(s', a') - Q(s, a)\Big],
//!   \qquad \alpha_n(s, a) = \frac{1}{n(s, a)^{\omega}},$$
//! where $n(s, a)$ counts the visits of the pair. The bracket is a noisy sample of
//! $(TQ)(s, a) - Q(s, a)$: Q-learning is stochastic approximation of the fixed point of the
//! Bellman optimality operator. With $\omega\in(1/2, 1]$ the steps satisfy Robbins–Monro,
//! $\sum_n\alpha_n = \infty$ and $\sum_n\alpha_n^2 < \infty$, and if every pair is visited
//! infinitely often $Q\to Q^\star$ almost surely (Watkins & Dayan; Tsitsiklis). $\omega = 1$ is the
//! sample mean but forgets the initial error only like $n^{-(1-\gamma)}$; $\omega < 1$ forgets it
//! polynomially faster (Even-Dar & Mansour).
//!
//! Behaviour: each episode starts in a uniformly random non-terminal state ("exploring
//! starts"), then acts ε-greedily — a uniformly random action with probability ε, else the
//! greedy one — until a terminal state or `max_episode_len` steps. Q-learning is off-policy: it
//! learns $Q^\star$ whatever the behaviour, as long as it keeps visiting every pair.
//!
//! ## Reference
//! C. Watkins & P. Dayan (1992), *Q-learning*, Machine Learning 8; J. Tsitsiklis (1994),
//! *Asynchronous stochastic approximation and Q-learning*; E. Even-Dar & Y. Mansour (2003),
//! *Learning rates for Q-learning*, JMLR 5; Sutton & Barto (2018), §6.5.
//!
//! Used in notebooks/24-reinforcement-learning.ipynb.

use super::{Mdp, sup_distance};
use crate::rng::RngExt;
use ndarray::Array2;

/// Settings of a Q-learning run; [`QLearning::new`] gives the course's defaults.
///
/// # Examples
/// ```
/// use course::rl::{policy_iteration, Gridworld, QLearning};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let q_star = mdp.q_from_v(&policy_iteration(&mdp).v);
/// let run = QLearning::new(200_000).run(&mdp, &q_star, 1);
/// assert!(run.errors[run.errors.len() - 1] < 0.1 * run.errors[0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct QLearning {
    /// Number of updates (transitions).
    pub n_steps: usize,
    /// Exploration probability ε of the ε-greedy behaviour.
    pub epsilon: f64,
    /// Exponent ω of the step sizes $\alpha_n = n^{-\omega}$, in $(1/2, 1]$.
    pub omega: f64,
    /// Episodes are cut after this many steps (then restart).
    pub max_episode_len: usize,
    /// Number of log-spaced steps at which the error is recorded.
    pub n_checkpoints: usize,
}

/// What [`QLearning::run`] returns.
#[derive(Clone, Debug, PartialEq)]
pub struct QLearningRun {
    /// The learned table, `n_states × n_actions`.
    pub q: Array2<f64>,
    /// Steps at which the error was recorded (log-spaced, from 1 to `n_steps`).
    pub steps: Vec<usize>,
    /// $\lVert Q_k - Q^\star\rVert_\infty$ at those steps.
    pub errors: Vec<f64>,
    /// Visit counts $n(s, a)$ at the end.
    pub visits: Array2<f64>,
}

impl QLearning {
    /// `n_steps` updates with ε = 0.5, ω = 0.9, episodes of at most 100 steps, 60 checkpoints.
    ///
    /// # Panics
    /// If `n_steps == 0`.
    pub fn new(n_steps: usize) -> Self {
        assert!(n_steps > 0, "QLearning::new: n_steps must be > 0, got 0");
        QLearning { n_steps, epsilon: 0.5, omega: 0.9, max_episode_len: 100, n_checkpoints: 60 }
    }

    /// Sets ε.
    ///
    /// # Panics
    /// Unless `0 <= epsilon <= 1`.
    pub fn epsilon(mut self, epsilon: f64) -> Self {
        assert!((0.0..=1.0).contains(&epsilon), "QLearning::epsilon: epsilon must be in [0, 1], got {epsilon}");
        self.epsilon = epsilon;
        self
    }

    /// Sets ω.
    ///
    /// # Panics
    /// Unless `1/2 < omega <= 1` (the Robbins–Monro range).
    pub fn omega(mut self, omega: f64) -> Self {
        assert!(omega > 0.5 && omega <= 1.0, "QLearning::omega: omega must be in (1/2, 1] for Σα = ∞ and Σα² < ∞, got {omega}");
        self.omega = omega;
        self
    }

    /// Runs Q-learning from $Q_0 = 0$ with the generator `seeded(seed)`, recording
    /// $\lVert Q_k - Q^\star\rVert_\infty$ against the given `q_star`.
    ///
    /// # Panics
    /// If `q_star` is not `n_states × n_actions` or every state is terminal.
    ///
    /// # Examples
    /// ```
    /// use course::rl::{Gridworld, QLearning};
    /// let mdp = Gridworld::classic().to_mdp(0.9);
    /// let zero = ndarray::Array2::zeros((11, 4));
    /// let run = QLearning::new(1000).run(&mdp, &zero, 3);
    /// assert_eq!(run.visits.sum(), 1000.0);            // one update per step
    /// assert_eq!(*run.steps.last().unwrap(), 1000);
    /// ```
    pub fn run(&self, mdp: &Mdp, q_star: &Array2<f64>, seed: u64) -> QLearningRun {
        let (n_s, n_a) = (mdp.n_states(), mdp.n_actions());
        assert_eq!(q_star.dim(), (n_s, n_a), "QLearning::run: q_star must be n_states × n_actions = {n_s}×{n_a}, got {:?}", q_star.dim());
        let starts = mdp.nonterminal_states();
        assert!(!starts.is_empty(), "QLearning::run: the MDP has no non-terminal state");
        let mut rng = crate::rng::seeded(seed);
        let mut q = Array2::<f64>::zeros((n_s, n_a));
        let mut visits = Array2::<f64>::zeros((n_s, n_a));
        let checkpoints = crate::optim::log_spaced(self.n_steps, self.n_checkpoints);
        let (mut steps, mut errors) = (Vec::new(), Vec::new());
        let mut next_checkpoint = 0;
        let mut s = starts[rng.random_range(0..starts.len())];
        let mut t_in_episode = 0;
        for step in 1..=self.n_steps {
            let a = if rng.random::<f64>() < self.epsilon {
                rng.random_range(0..n_a)
            } else {
                argmax_row(&q, s)
            };
            let s_next = mdp.sample_next(s, a, &mut rng);
            let bootstrap = if mdp.terminal[s_next] { 0.0 } else { (0..n_a).map(|b| q[[s_next, b]]).fold(f64::NEG_INFINITY, f64::max) };
            visits[[s, a]] += 1.0;
            let alpha = visits[[s, a]].powf(-self.omega);
            q[[s, a]] += alpha * (mdp.r[[s, a]] + mdp.gamma * bootstrap - q[[s, a]]);
            t_in_episode += 1;
            if mdp.terminal[s_next] || t_in_episode >= self.max_episode_len {
                s = starts[rng.random_range(0..starts.len())];
                t_in_episode = 0;
            } else {
                s = s_next;
            }
            while next_checkpoint < checkpoints.len() && checkpoints[next_checkpoint] <= step {
                if checkpoints[next_checkpoint] == step {
                    steps.push(step);
                    errors.push(sup_distance(&q, q_star));
                }
                next_checkpoint += 1;
            }
        }
        QLearningRun { q, steps, errors, visits }
    }
}

/// The greedy action in state `s` (ties to the lowest index).
fn argmax_row(q: &Array2<f64>, s: usize) -> usize {
    let mut best = 0;
    for a in 1..q.ncols() {
        if q[[s, a]] > q[[s, best]] {
            best = a;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rl::{Gridworld, greedy, policy_iteration};

    /// The notebook's setting: the classic world, γ = 0.9, 2·10⁶ steps, ε = 0.5, ω = 0.9 (max error over 10 seeds ≈ 4e-3).
    #[test]
    fn reaches_q_star_within_1e_2_on_five_seeds() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let pi = policy_iteration(&mdp);
        let q_star = mdp.q_from_v(&pi.v);
        for seed in 0..5 {
            let run = QLearning::new(2_000_000).run(&mdp, &q_star, seed);
            let err = *run.errors.last().unwrap();
            assert!(err < 1e-2, "seed {seed}: ‖Q − Q*‖∞ = {err}");
            assert_eq!(greedy(&run.q), pi.policy, "seed {seed}");
        }
    }

    #[test]
    fn with_no_noise_and_omega_one_the_first_visit_copies_the_target() {
        // Deterministic world: α₁ = 1 so Q(s, a) after one visit is exactly r + γ max Q(s', ·).
        let grid = Gridworld::new(2, 1).goal(1, 0, 1.0);
        let mdp = grid.to_mdp(0.5);
        let run = QLearning::new(1).omega(1.0).epsilon(1.0).run(&mdp, &Array2::zeros((2, 4)), 0);
        let (s, a) = (0..4).map(|a| (0, a)).find(|&(s, a)| run.visits[[s, a]] == 1.0).unwrap();
        assert_eq!(run.q[[s, a]], mdp.r[[s, a]]);
    }
}
