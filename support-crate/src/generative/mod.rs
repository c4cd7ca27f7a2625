//! Generative models (Part V).
pub mod diffusion;
pub mod sde;
