//! Why a factorization or solve could not proceed.

use std::fmt;

/// A matrix that a method cannot handle, with the place where it broke down.
#[derive(Clone, Debug, PartialEq)]
pub enum LinalgError {
    /// A zero (or negligible) pivot on the diagonal of a triangular factor.
    Singular { index: usize, pivot: f64 },
    /// Cholesky met a non-positive pivot: the matrix is not positive definite.
    NotPositiveDefinite { index: usize, pivot: f64 },
}

impl fmt::Display for LinalgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinalgError::Singular { index, pivot } => write!(
                f,
                "matrix is singular to working precision: pivot {index} is {pivot:e} \
                 (columns are linearly dependent; add regularization or drop a column)"
            ),
            LinalgError::NotPositiveDefinite { index, pivot } => write!(
                f,
                "matrix is not positive definite: Cholesky pivot {index} is {pivot:e} (must be > 0)"
            ),
        }
    }
}

impl std::error::Error for LinalgError {}
