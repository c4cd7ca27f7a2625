//! 2-D targets generated in code, seeded, with exact densities and scores where they exist.
//!
//! | file | target | density |
//! |---|---|---|
//! | `gaussian_mixtures` | ring and grid of Gaussians, [`GaussianMixture2d`]; mode coverage for mode collapse | exact log-density and score |
//! | `double_well` | [`DoubleWell`], $e^{-a(x_1^2-1)^2 - x_2^2/2\sigma_y^2}$ | unnormalized; score; $Z$ by quadrature |
//! | `moons` | two interleaving half circles, [`Moons`] | — (exact means) |
//! | `circles` | two concentric circles, [`Circles`] | — (exact moments) |
//! | `swiss_roll` | the 2-D Swiss roll, [`SwissRoll`] | — (exact radius law) |
//! | `images` | seven-segment digit glyphs, [`glyphs`], [`render_glyph`] (`size` × `size` grey images) | — |
//!
//! Every 2-D target has `sample(n_samples, rng) -> Array2<f64>` (n × 2); the mixtures and the double
//! well also implement [`crate::sampling::LogDensity`], so the MCMC samplers of notebook 17 run on them.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/37-capstone-and-journal-club.ipynb.

mod circles;
mod double_well;
mod gaussian_mixtures;
mod images;
mod moons;
mod swiss_roll;

pub use circles::Circles;
pub use double_well::DoubleWell;
pub use gaussian_mixtures::GaussianMixture2d;
pub use images::{GlyphStyle, Glyphs, glyphs, render_glyph};
pub use moons::Moons;
pub use swiss_roll::SwissRoll;

/// Applies a per-point map $\mathbb R^2\to\mathbb R^2$ (a score) to every row of `x` (n × 2).
fn rowwise_2d(who: &str, x: &ndarray::Array2<f64>, f: impl Fn(&[f64; 2]) -> [f64; 2]) -> ndarray::Array2<f64> {
    assert!(x.ncols() == 2, "{who}: x must have 2 columns, got {}", x.ncols());
    let mut out = ndarray::Array2::zeros((x.nrows(), 2));
    for (mut o, r) in out.rows_mut().into_iter().zip(x.rows()) {
        let v = f(&[r[0], r[1]]);
        o[0] = v[0];
        o[1] = v[1];
    }
    out
}
