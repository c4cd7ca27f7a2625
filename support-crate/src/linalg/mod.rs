//! Dense linear algebra for Part I: solving $Ax=b$, conditioning, the SVD and what it gives.
//!
//! | concept | items | file |
//! |---|---|---|
//! | triangular solves | [`solve_lower`], [`solve_upper`] | `triangular.rs` |
//! | LU with partial pivoting, $PA = LU$ | [`Lu`], [`solve`] | `lu.rs` |
//! | Cholesky $A = LL^\top$ | [`cholesky`] | `cholesky.rs` |
//! | Householder QR | [`Qr`] | `qr.rs` |
//! | SVD $A = U\Sigma V^\top$ | [`svd`], [`singular_values`], [`Svd`] | `svd.rs` |
//! | symmetric eigendecomposition | [`symmetric_eigen`], [`SymmetricEigen`] | `symmetric_eigen.rs` |
//! | matrix norms | [`spectral_norm`], [`frobenius_norm`], [`nuclear_norm`], [`norm_1`], [`norm_inf`] | `norms.rs` |
//! | condition numbers | [`cond`], [`cond_1`], [`cond_inf`] | `condition.rs` |
//! | pseudo-inverse | [`pinv`] | `pinv.rs` |
//! | Eckart–Young, rank-$k$ truncation | [`low_rank_approx`], [`eckart_young_spectral`], [`eckart_young_frobenius`] | `low_rank.rs` |
//! | randomized SVD (HMT) | [`randomized_svd`], [`randomized_range_finder`], [`hmt_error_bound`] | `randomized_svd.rs` |
//! | PCA | [`Pca`] | `pca.rs` |
//! | singular value thresholding | [`svt`], [`soft_impute`] | `svt.rs` |
//! | test matrices | [`hilbert`], [`random_orthogonal`], [`with_singular_values`] | `test_matrices.rs` |
//!
//! The small factorizations (triangular, LU, Cholesky, QR) are written out here because the
//! notebooks teach them; the SVD and the symmetric eigendecomposition come from nalgebra,
//! behind helpers that take and return ndarray matrices (`convert.rs` moves the buffers
//! without reordering them).
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb, notebooks/02-linear-systems-and-svd.ipynb
//! and notebooks/03-compression-and-low-rank.ipynb.

mod cholesky;
mod condition;
mod convert;
mod error;
mod low_rank;
mod lu;
mod norms;
mod pca;
mod pinv;
mod qr;
mod randomized_svd;
mod svd;
mod svt;
mod symmetric_eigen;
mod test_matrices;
mod triangular;

pub use cholesky::cholesky;
pub use condition::{cond, cond_1, cond_inf};
pub use error::LinalgError;
pub use low_rank::{eckart_young_frobenius, eckart_young_spectral, low_rank_approx};
pub use lu::{Lu, solve};
pub use norms::{frobenius_norm, norm_1, norm_inf, nuclear_norm, spectral_norm};
pub use pca::Pca;
pub use pinv::pinv;
pub use qr::Qr;
pub use randomized_svd::{hmt_error_bound, randomized_range_finder, randomized_svd};
pub use svd::{Svd, singular_values, svd};
pub use svt::{soft_impute, svt};
pub use symmetric_eigen::{SymmetricEigen, symmetric_eigen};
pub use test_matrices::{hilbert, random_orthogonal, with_singular_values};
pub use triangular::{solve_lower, solve_upper};
