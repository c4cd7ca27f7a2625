//! Schrödinger bridges and entropic optimal transport.
//!
//! The Schrödinger bridge problem asks for the path measure $P$ closest in KL to a reference
//! Brownian motion $R = \sigma W$ on $[0, T]$ among those with marginals $\mu_0$ at $t=0$ and
//! $\mu_1$ at $t=T$:
//! $$\min_{P:\,P_0=\mu_0,\,P_T=\mu_1}\mathrm{KL}(P\,\|\,R).$$
//! Disintegrating along the end points, $\mathrm{KL}(P\|R) = \mathrm{KL}(P_{0T}\|R_{0T}) + \mathbb E\,\mathrm{KL}(P^{xy}\|R^{xy})$:
//! the optimal $P$ uses Brownian bridges $R^{xy}$ between the end points (dynamic SB), and its
//! end-point coupling solves the static problem, which is entropic OT with $\varepsilon = 2\sigma^2T$:
//! $$\mathrm{KL}(\pi\|R_{0T}) = \frac{1}{2\sigma^2T}\Big(\mathbb E_\pi\lVert x-y\rVert^2 + 2\sigma^2T\,\mathrm{KL}(\pi\|\mu_0\otimes\mu_1)\Big) + \text{const}.$$
//!
//! | file | what |
//! |---|---|
//! | [`sinkhorn`] | entropic OT between discrete measures, log-domain Sinkhorn, sampling a plan |
//! | [`gaussian`] | closed-form entropic OT and Schrödinger bridge between Gaussians |
//! | [`brownian_bridge`] | the pinned reference process: mean, variance, sampling |
//! | [`dsb`] | IPF in path space with drift networks (diffusion Schrödinger bridge) |
//! | [`sb_fbsde`] | likelihood training (SB-FBSDE): alternating implicit-score fits of linear-in-feature policies, the likelihood bound |
//!
//! ## Reference
//! C. Léonard (2014), *A survey of the Schrödinger problem*; T. Chen, G.-H. Liu & E. Theodorou
//! (2022), *Likelihood training of Schrödinger bridge using forward-backward SDEs theory*;
//! G. Peyré & M. Cuturi (2019), *Computational Optimal Transport*, ch. 4.
//!
//! Used in notebooks/36-schrodinger-bridges.ipynb.

pub mod brownian_bridge;
pub mod dsb;
pub mod gaussian;
pub mod sb_fbsde;
pub mod sinkhorn;

pub use brownian_bridge::{brownian_bridge_mean_var, sample_brownian_bridges};
pub use dsb::{Dsb, DsbConfig};
pub use gaussian::{GaussianEot, gaussian_entropic_ot, gaussian_sb_marginal};
pub use sb_fbsde::{PolicyFeatures, SbFbsde, SbFbsdeConfig, gaussian_sb_policies};
pub use sinkhorn::{EntropicOt, sample_plan, sinkhorn_log, sq_cost_matrix};
