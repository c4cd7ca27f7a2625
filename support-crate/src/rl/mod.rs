//! Reinforcement learning: finite MDPs, the Bellman equations, dynamic programming,
//! Q-learning (tabular and with a small network) and the deadly triad.
//!
//! | file | concept |
//! |---|---|
//! | [`mdp`] | a finite MDP $P[s][a][s']$, $r(s, a)$, $\gamma$; the Bellman operators |
//! | [`gridworld`] | walls, goal and trap cells, slippery moves |
//! | [`value_iteration`] | value iteration, exact policy evaluation, policy iteration |
//! | [`q_learning`] | tabular Q-learning, ε-greedy, Robbins–Monro steps $n^{-\omega}$ |
//! | [`q_network`] | Q-learning with a two-layer network: fitted Q-iteration with a target network |
//! | [`baird`] | Baird's counterexample: off-policy + bootstrapping + function approximation diverge |
//!
//! ## Reference
//! R. S. Sutton & A. G. Barto, *Reinforcement Learning: An Introduction* (2nd ed., 2018),
//! ch. 3–6 and 11.
//!
//! Used in notebooks/21-reinforcement-learning.ipynb.

pub mod baird;
pub mod gridworld;
pub mod mdp;
pub mod q_learning;
pub mod q_network;
pub mod value_iteration;

pub use baird::{Baird, TdVariant};
pub use gridworld::{ACTION_NAMES, Arrows, Gridworld, MOVES};
pub use mdp::{Mdp, greedy, max_over_actions, sup_distance};
pub use q_learning::{QLearning, QLearningRun};
pub use q_network::{QNetwork, collect_transitions};
pub use value_iteration::{PolicyIteration, action_gap, policy_evaluation, policy_iteration, value_iteration};
