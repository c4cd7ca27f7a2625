//! Variational autoencoders: latent-variable density models trained on the evidence lower bound.
//!
//! A latent-variable model $p_\theta(x) = \int p_\theta(x\mid z)\,p(z)\,dz$ has an intractable
//! evidence; any encoder $q_\phi(z\mid x)$ gives the bound
//! $$\log p_\theta(x) = \underbrace{\mathbb E_{q_\phi}[\log p_\theta(x\mid z)] - \mathrm{KL}(q_\phi(z\mid x)\,\|\,p(z))}_{\mathrm{ELBO}}
//!   {}+ \mathrm{KL}\big(q_\phi(z\mid x)\,\|\,p_\theta(z\mid x)\big),$$
//! and the VAE maximizes the ELBO in $\theta$ and $\phi$ together.
//!
//! | file | what |
//! |---|---|
//! | `gaussian_kl.rs` | [`kl_to_standard_normal`]: the closed-form rate term |
//! | `linear_gaussian.rs` | [`LinearGaussian`] (probabilistic PCA): exact evidence, posterior, ELBO; [`kl_gaussians`]; [`beta_vae_rates`], the collapse threshold |
//! | `autoencoder.rs` | [`Vae`]: the trained model (networks in the nn engine), ELBO estimates, samples, latents |
//!
//! ## Reference
//! D. P. Kingma & M. Welling (2014), *Auto-encoding variational Bayes*; Kingma & Welling (2019),
//! *An introduction to variational autoencoders*.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb.

mod autoencoder;
mod gaussian_kl;
mod linear_gaussian;

pub use autoencoder::{Decoder, Vae, VaeConfig, VaeHistory};
pub use gaussian_kl::{kl_to_standard_normal, kl_to_standard_normal_rows};
pub use linear_gaussian::{LinearGaussian, beta_vae_rates, kl_gaussians};
