//! Stochastic control and sampling: the Path Integral Sampler and its importance weights, a
//! score learned through a physics simulator, an equivariant diffusion for point clouds.
//!
//! Sampling an unnormalized density $\tilde\mu$ becomes a control problem: steer a Brownian
//! motion started at 0 so that it ends distributed as $\mu = \tilde\mu/Z$, at the least control
//! energy. The Girsanov weight of the controlled paths gives an unbiased estimate of $Z$ for any
//! control, exact (zero variance) for the optimal one.
//!
//! | file | what |
//! |---|---|
//! | [`importance_weights`] | $\log\hat Z$ and its standard error, the effective sample size |
//! | [`path_integral_sampler`] | controlled paths with Girsanov weights; the PIS network trained in the engine |
//! | [`simulator_score`] | a trapped particle's simulator, a score fitted through its reverse step, rollout gradients |
//! | [`nonlinear_simulator_score`] | quadratic drag: 1-step and multi-step (sliding-window) training through the simulator, a grid oracle |
//! | [`equivariant_denoiser`] | point clouds, a pairwise E(2)-equivariant noise predictor, its DDPM sampler |
//! | [`lj_clusters`] | soft-cored Lennard-Jones clusters in the plane: energy, forces, MALA samples |
//! | [`egnn_denoiser`] | the EGNN update; a nonlinear equivariant noise predictor trained by hand-written backprop |
//!
//! Used in notebooks/35-stochastic-control-and-sampling.ipynb.

pub mod egnn_denoiser;
pub mod equivariant_denoiser;
pub mod importance_weights;
pub mod lj_clusters;
pub mod path_integral_sampler;
pub mod simulator_score;
pub mod nonlinear_simulator_score;

pub use equivariant_denoiser::{PairwiseDenoiser, center_clouds, centered_noise, pairwise_distances, polygon_clouds, rotate_clouds};
pub use importance_weights::{effective_sample_size, log_mean_exp, log_z_estimate};
pub use path_integral_sampler::{PathIntegralSampler, PisPaths, PisTarget, reference_importance_sampling, simulate_controlled};
pub use simulator_score::{SimulatorScore, TrappedParticle};
pub use nonlinear_simulator_score::{AdjointStep, Drift, GridLaw, NonlinearSimulator, PhysicsScore, adjoint_step};
pub use egnn_denoiser::{EgnnDenoiser, egnn_update, permute_points};
pub use lj_clusters::LjCluster;
