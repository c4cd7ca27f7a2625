//! Guided diffusion: classifier guidance and classifier-free guidance (CFG), with an exact oracle.
//!
//! To sample a class $y$ with more fidelity than $p(x\mid y)$ itself, replace the score by
//! $$s_w(x;\sigma) = (1+w)\,\nabla\log p_\sigma(x\mid y) - w\,\nabla\log p_\sigma(x)
//! = \nabla\log p_\sigma(x) + (1+w)\,\nabla\log p_\sigma(y\mid x),$$
//! classifier-free (a conditional and an unconditional denoiser) or with a noisy classifier. On a
//! labelled Gaussian mixture every term is exact ([`LabelledMixture`]); on Gaussians the tilted law
//! and the law the guided sampler actually produces are closed forms ([`tilted_gaussian`],
//! [`guided_flow_gaussian`]); [`train_cfg`] trains one network for both denoisers by dropping the
//! label with probability `p_uncond`.
//!
//! | item | what |
//! |---|---|
//! | [`LabelledMixture`] | exact class scores, marginal score, noisy classifier $p_\sigma(y\mid x)$, guided score and sampler |
//! | [`tilted_gaussian`], [`guided_flow_gaussian`] | the tilt $p(x\mid y)^{1+w}/p(x)^w$ of Gaussians vs the guided flow's output |
//! | [`CfgModel`], [`train_cfg`] | a label-conditional EDM denoiser with a null label, guided sampling |
//!
//! ## Reference
//! Dhariwal & Nichol (2021); Ho & Salimans (2022); Chen, Mei, Fan & Wang (2024), §4.
//!
//! Used in notebooks/33-guided-diffusion-and-statistical-rates.ipynb.

mod cfg_training;
mod labelled_mixture;
mod tilted_gaussian;

pub use cfg_training::{train_cfg, CfgModel};
pub use labelled_mixture::LabelledMixture;
pub use tilted_gaussian::{guided_flow_gaussian, tilted_gaussian};
