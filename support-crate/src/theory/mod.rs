//! Theory of wide networks: the neural tangent kernel, linearized dynamics, lazy vs rich
//! (NTK vs mean-field scaling) and the particle picture of a two-layer network.
//!
//! | file | concept | notebook |
//! |---|---|---|
//! | `ntk.rs` | empirical NTK $JJ^\top$; the ReLU infinite-width limit via arc-cosine kernels | 19 |
//! | `linearized.rs` | linearized model, GD on it in closed form, kernel regression | 19 |
//! | `scaling.rs` | relative movement of features and kernel under $1/\sqrt m$ and $1/m$ | 19, 20 |
//! | `particles.rs` | hidden units as particles, snapshots, the mean-field velocity field | 20 |
//! | `chaos.rs` | propagation of chaos: units coupled to ghosts driven by the limit residuals | 20 |
//!
//! All of it works on [`crate::learning::TwoLayer`].

mod chaos;
mod linearized;
mod ntk;
mod particles;
mod scaling;

pub use chaos::{Coupling, coupling, residual_path};
pub use linearized::{KernelDynamics, gd_predictions, linearized_predict, train_linearized};
pub use ntk::{arccos_kernel, empirical_ntk, ntk_unit_terms, relu_ntk_limit, relu_ntk_limit_matrix};
pub use particles::{ParticleSnapshot, breakpoint_density, mean_field_velocity, train_with_snapshots};
pub use scaling::{LazinessReport, first_layer, laziness, relative_change, scaled_lr};
