//! Graphical models: Ising model, restricted Boltzmann machines, Bayesian networks and belief propagation.
//!
//! (Being written: issue 5.)
