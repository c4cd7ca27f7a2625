//! Reinforcement learning: finite MDPs, the Bellman equations, dynamic programming,
//! Q-learning (tabular and with a small network) and the deadly triad; policy gradients,
//! REINFORCE, actor–critic, linear TD's fixed point and TD with wide networks.
//!
//! | file | concept |
//! |---|---|
//! | [`mdp`] | a finite MDP $P[s][a][s']$, $r(s, a)$, $\gamma$; the Bellman operators |
//! | [`gridworld`] | walls, goal and trap cells, slippery moves |
//! | [`value_iteration`] | value iteration, exact policy evaluation, policy iteration |
//! | [`q_learning`] | tabular Q-learning, ε-greedy, Robbins–Monro steps $n^{-\omega}$ |
//! | [`q_network`] | Q-learning with a two-layer network: fitted Q-iteration with a target network |
//! | [`softmax_policy`] | the tabular softmax policy and its score $\nabla\log\pi$ |
//! | [`policy_gradient`] | the policy-gradient theorem in closed form: $V^\pi$, $Q^\pi$, occupancy, $\nabla J$ |
//! | [`reinforce`] | REINFORCE: episodes, the Monte Carlo gradient, baselines, training |
//! | [`actor_critic`] | one-step actor–critic: softmax actor, TD(0) critic |
//! | [`linear_td`] | TD(0) with linear features and its fixed point $A^{-1}b$ (Tsitsiklis–Van Roy) |
//! | [`wide_td`] | TD with a wide two-layer network vs its linearization (kernel TD with the NTK) |
//! | [`baird`] | Baird's counterexample: off-policy + bootstrapping + function approximation diverge |
//!
//! ## Reference
//! R. S. Sutton & A. G. Barto, *Reinforcement Learning: An Introduction* (2nd ed., 2018),
//! ch. 3–6 and 11.
//!
//! Used in notebooks/24-reinforcement-learning.ipynb and
//! notebooks/25-reinforcement-learning-with-networks.ipynb.

pub mod actor_critic;
pub mod baird;
pub mod gridworld;
pub mod linear_td;
pub mod mdp;
pub mod q_learning;
pub mod policy_gradient;
pub mod q_network;
pub mod reinforce;
pub mod softmax_policy;
pub mod value_iteration;
pub mod wide_td;

pub use actor_critic::{ActorCriticRun, actor_critic};
pub use baird::{Baird, TdVariant};
pub use gridworld::{ACTION_NAMES, Arrows, Gridworld, MOVES};
pub use linear_td::LinearTd;
pub use mdp::{Mdp, greedy, max_over_actions, sup_distance};
pub use policy_gradient::{PolicyValues, evaluate_policy, exact_policy_gradient, objective, policy_gradient_ascent, uniform_start};
pub use q_learning::{QLearning, QLearningRun};
pub use q_network::{QNetwork, collect_transitions};
pub use reinforce::{Episode, EstimatorStats, GradientEstimator, reinforce_episode, reinforce_gradient, reinforce_train, sample_episode, sample_episodes};
pub use softmax_policy::SoftmaxPolicy;
pub use value_iteration::{PolicyIteration, action_gap, policy_evaluation, policy_iteration, value_iteration};
pub use wide_td::{WideTdRun, tanh_ntk_limit, wide_td};
