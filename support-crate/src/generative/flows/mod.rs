//! Normalizing flows, continuous normalizing flows and flow matching.
//!
//! A flow generates by transporting noise $x_0\sim\mathcal N(0, I)$ through an invertible map.
//! A **discrete** flow is a composition of layers with tractable Jacobians, trained by maximum
//! likelihood through the change of variables $\log p(x) = \log\mathcal N(f(x)) + \log|\det J_f(x)|$
//! ([`CouplingFlow`]). A **continuous** flow is the solution map of an ODE
//! $\dot x = v(x, t)$, whose log-density changes by the divergence
//! $\frac{d}{dt}\log p_t(x_t) = -\nabla\cdot v$ ([`cnf_log_density`]). **Flow matching** trains
//! $v$ without simulating it, by regressing on the velocities of a chosen probability path
//! ([`ProbabilityPath`], [`train_flow_matching`]); **rectified flow** re-trains on the
//! flow's own couplings to straighten the paths ([`FlowModel::reflow`]).
//!
//! | file | what |
//! |---|---|
//! | `coupling` | affine coupling layers in 2-D, exact log-det, hand-derived gradients, Adam |
//! | `cnf` | instantaneous change of variables, divergence by central differences, RK4 |
//! | `paths` | OT and VP Gaussian paths, the closed-form marginal velocity of Gaussian data |
//! | `diffusion_normalizing_flow` | learned forward drift + backward score trained on the path KL, backprop through time |
//! | `matching` | conditional flow matching with [`TimeMlp`](crate::generative::net::TimeMlp), Euler/Heun samplers, straightness, reflow |
//!
//! ## Reference
//! Y. Lipman et al. (2023), *Flow matching for generative modeling*; X. Liu et al. (2023),
//! *Flow straight and fast*; Q. Zhang & Y. Chen (2021), *Diffusion normalizing flow*;
//! G. Papamakarios et al. (2021), *Normalizing flows for probabilistic modeling and inference*.
//!
//! Used in notebooks/34-flows-and-flow-matching.ipynb.

mod cnf;
mod coupling;
mod diffusion_normalizing_flow;
mod matching;
mod paths;

pub use cnf::{VelocityFn, cnf_log_density, divergence_fd};
pub use coupling::{CouplingFlow, LAYER_ANGLE, log_abs_det_fd};
pub use diffusion_normalizing_flow::{DiffusionNormalizingFlow, DnfConfig, Field, dnf_path_loss, dnf_step_term, linear_gaussian_path_kl};
pub use matching::{FlowMatchingConfig, FlowModel, OdeMethod, train_flow_matching, train_on_pairs};
pub use paths::ProbabilityPath;
