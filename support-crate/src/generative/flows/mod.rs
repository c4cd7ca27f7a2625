//! (to be written) normalizing flows and flow matching.
//!
//! Used in notebooks/28-flows-and-flow-matching.ipynb.
