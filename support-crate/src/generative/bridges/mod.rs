//! (to be written) Schrödinger bridges and entropic optimal transport.
//!
//! Used in notebooks/30-schrodinger-bridges.ipynb.
