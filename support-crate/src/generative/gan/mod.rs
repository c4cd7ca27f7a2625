//! GANs and Wasserstein GANs: the optimal discriminator, the Jensen–Shannon value of the
//! minimax game, and adversarial training of small networks on 2-D targets.
//!
//! The GAN game between a generator with law $q$ and a discriminator $D$,
//! $$V(D, q) = \mathbb E_{x\sim p}\log D(x) + \mathbb E_{x\sim q}\log(1 - D(x)),$$
//! is maximized pointwise by $D^*(x) = p(x)/(p(x)+q(x))$, where
//! $V(D^*, q) = 2\,\mathrm{JS}(p\,\Vert\, q) - \log 4$ ([`optimal_discriminator`]). The
//! Wasserstein GAN replaces the discriminator by a 1-Lipschitz critic $f$ and the value by
//! $\mathbb E_p f - \mathbb E_q f$, whose supremum is $W_1(p, q)$ (Kantorovich–Rubinstein).
//!
//! | file | what |
//! |---|---|
//! | [`optimal_discriminator`] | $D^*$, the value $V(D, q)$ and JS/KL by quadrature in 1-D, JS of Bernoullis |
//! | [`adversarial`] | [`Gan::train`] (minimax, non-saturating, WGAN-GP) and [`Discriminator::fit`], networks in the nn engine |
//!
//! ## Reference
//! Goodfellow et al. (2014), *Generative adversarial nets*; Arjovsky, Chintala & Bottou (2017),
//! *Wasserstein GAN*; Gulrajani et al. (2017), *Improved training of Wasserstein GANs*;
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), §20.10.4.
//!
//! Used in notebooks/29-gans-and-wasserstein-gans.ipynb.

pub mod adversarial;
pub mod optimal_discriminator;

pub use adversarial::{Discriminator, Gan, GanConfig, GanKind};
pub use optimal_discriminator::{gan_value_1d, js_bernoulli, js_divergence_1d, kl_divergence_1d, optimal_discriminator, simpson};
