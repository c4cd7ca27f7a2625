//! Deep learning for differential equations: PINNs, neural ODEs, finite-difference references, Black–Scholes.
//!
//! (Being written: issue 5.)
