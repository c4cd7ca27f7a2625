//! Dense linear algebra, small and readable: triangular solves, Cholesky, Householder QR.
//!
//! These are the algorithms notebook 01 teaches (least squares by the normal equations and by
//! QR); the larger decompositions of Part I (SVD, symmetric eigen) come from a pure-Rust crate.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb.

mod cholesky;
mod error;
mod qr;
mod triangular;

pub use cholesky::cholesky;
pub use error::LinalgError;
pub use qr::Qr;
pub use triangular::{solve_lower, solve_upper};
