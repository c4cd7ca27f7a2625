//! Reinforcement learning: MDPs, value iteration, Q-learning.
//!
//! (Being written: issue 5.)
