//! Generative models (Part V): sample-quality metrics, 2-D targets generated in code, the
//! mathematics of each family of models, and their training through the nn engine.
//!
//! A generative model is judged by how far its samples are from the target distribution. Part V
//! measures that distance on targets whose density is known or easy to sample, generated in
//! code (no downloads), and compares each model with the simplest baseline: a Gaussian fitted
//! to the data. For a Gaussian-mixture target every noised marginal is again a Gaussian
//! mixture, so its score is exact: the samplers below are tested with that exact score, and a
//! trained network is then one more score function plugged into the same code.
//!
//! | module | what |
//! |---|---|
//! | [`metrics`] | energy distance, MMD² with a Gaussian kernel, sliced Wasserstein, the fitted-Gaussian baseline |
//! | [`targets`] | Swiss roll, moons, circles, rings and grids of Gaussians (exact density and score), a double well, generated glyph images |
//! | [`diffusion`] | noise schedules, the forward process in closed form, the exact mixture oracle, DDPM and DDIM samplers, the ELBO decomposition, ε-prediction training |
//! | [`sde`] | VP/VE SDEs, reverse SDE, probability-flow ODE and its likelihood, EDM preconditioning and the Heun sampler, EDM training |
//! | [`guidance`] | classifier and classifier-free guidance: a labelled mixture with exact guided scores, the tilt of Gaussians, CFG training |
//! | [`net`] | [`net::TimeMlp`]: the time-conditioned MLP (sinusoidal embedding) every regression-trained model uses |
//! | [`vae`] | variational autoencoders: ELBO, reparameterization, posterior collapse |
//! | [`gan`] | GANs and Wasserstein GANs: the optimal discriminator, mode collapse, mode coverage |
//! | [`score`] | explicit, implicit and denoising score matching; Langevin and annealed Langevin sampling |
//! | [`flows`] | normalizing flows, continuous flows, (conditional) flow matching, rectified flow |
//! | [`control`] | sampling as stochastic control: the path integral sampler and its estimate of Z |
//! | [`bridges`] | entropic OT (Sinkhorn), Schrödinger bridges, iterative proportional fitting |
//! | [`applications`] | the capstone: a Boltzmann toy, inpainting with an exact posterior, the journal-club map |
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/37-capstone-and-journal-club.ipynb.

pub mod applications;
pub mod bridges;
pub mod control;
pub mod diffusion;
pub mod flows;
pub mod gan;
pub mod metrics;
pub mod net;
pub mod score;
pub mod sde;
pub mod targets;
pub mod vae;
pub mod guidance;
