//! (to be written) stochastic control and sampling.
//!
//! Used in notebooks/29-stochastic-control-and-sampling.ipynb.
