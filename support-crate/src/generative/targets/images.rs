//! A small generated image set: seven-segment digit glyphs, seeded.
//!
//! Each image is `size` × `size` grey pixels in $[0, 1]$: the digit $0,\dots,9$ drawn as the
//! union of its lit segments of a seven-segment display (top `a`, upper right `b`, lower right
//! `c`, bottom `d`, lower left `e`, upper left `f`, middle `g`). A segment is a thick line with a
//! soft one-pixel edge: a pixel whose centre is at distance $\rho$ from the segment gets
//! $$I = \operatorname{clamp}\big(w + \tfrac12 - \rho,\ 0,\ 1\big)$$
//! ($w$ the half width), and overlapping segments combine by the maximum. The style of each
//! sample is random — shift, italic shear, stroke width, size — and Gaussian pixel noise is added
//! before clipping to $[0, 1]$. Labels are balanced (`i % 10`).
//!
//! The images live on a low-dimensional manifold (ten classes × four style parameters) in
//! $\mathbb R^{\text{size}^2}$: the image-scale test for VAEs and diffusion models, without downloads.
//!
//! ## Reference
//! S. Greydanus (2020), *Scaling down deep learning* (small procedurally generated data sets);
//! Y. LeCun et al. (1998), MNIST, which this set imitates in miniature.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb and notebooks/31-diffusion-models-ddpm.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// The lit segments of each digit (a b c d e f g).
const DIGIT_SEGMENTS: [&str; 10] = ["abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"];

/// The style of one glyph, in units of the image side `size`.
///
/// # Examples
/// ```
/// use course::generative::targets::GlyphStyle;
/// let s = GlyphStyle::default();
/// assert_eq!((s.shift, s.shear, s.half_width, s.scale), ([0.0, 0.0], 0.0, 0.07, 1.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlyphStyle {
    /// Translation (right, down) of the glyph's centre, as a fraction of `size`.
    pub shift: [f64; 2],
    /// Italic shear: a point at height $v$ above the centre moves right by `shear` × $v$.
    pub shear: f64,
    /// Half width of the strokes, as a fraction of `size`.
    pub half_width: f64,
    /// Size of the glyph relative to the default box (0.4 `size` wide, 0.6 `size` high).
    pub scale: f64,
}

impl Default for GlyphStyle {
    /// Centred, upright, half width 0.07 `size`, scale 1.
    fn default() -> Self {
        GlyphStyle { shift: [0.0, 0.0], shear: 0.0, half_width: 0.07, scale: 1.0 }
    }
}

/// Distance from the point p to the segment [a, b].
fn dist_to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    (qx * qx + qy * qy).sqrt()
}

/// The noiseless image (`size` × `size`, row 0 at the top) of `digit` drawn in the given `style`.
///
/// # Panics
/// If `digit > 9` or `size < 8`.
///
/// # Examples
/// ```
/// use course::generative::targets::{render_glyph, GlyphStyle};
/// let one = render_glyph(1, 12, GlyphStyle::default());
/// let eight = render_glyph(8, 12, GlyphStyle::default());
/// assert_eq!(one.dim(), (12, 12));
/// // 8 lights every segment, so it is at least as bright as 1 at every pixel.
/// assert!(eight.iter().zip(one.iter()).all(|(e, o)| e >= o));
/// assert!(one.sum() > 5.0 && one.sum() < eight.sum());
/// ```
pub fn render_glyph(digit: usize, size: usize, style: GlyphStyle) -> Array2<f64> {
    assert!(digit <= 9, "render_glyph: digit must be in 0..=9, got {digit}");
    assert!(size >= 8, "render_glyph: size must be >= 8 pixels, got {size}");
    let s = size as f64;
    let (hw, hh) = (0.2 * s * style.scale, 0.3 * s * style.scale);
    let (cx, cy) = (0.5 * s + style.shift[0] * s, 0.5 * s + style.shift[1] * s);
    // Box coordinates (u right, v down) to pixels, with the shear moving the top (v < 0) right.
    let at = |u: f64, v: f64| [cx + u - style.shear * v, cy + v];
    let seg = |c: char| -> ([f64; 2], [f64; 2]) {
        match c {
            'a' => (at(-hw, -hh), at(hw, -hh)),
            'b' => (at(hw, -hh), at(hw, 0.0)),
            'c' => (at(hw, 0.0), at(hw, hh)),
            'd' => (at(-hw, hh), at(hw, hh)),
            'e' => (at(-hw, 0.0), at(-hw, hh)),
            'f' => (at(-hw, -hh), at(-hw, 0.0)),
            _ => (at(-hw, 0.0), at(hw, 0.0)),
        }
    };
    let segments: Vec<([f64; 2], [f64; 2])> = DIGIT_SEGMENTS[digit].chars().map(seg).collect();
    let w = style.half_width * s;
    Array2::from_shape_fn((size, size), |(r, c)| {
        let p = [c as f64 + 0.5, r as f64 + 0.5];
        segments.iter().map(|&(a, b)| (w + 0.5 - dist_to_segment(p, a, b)).clamp(0.0, 1.0)).fold(0.0, f64::max)
    })
}

/// A labelled set of glyph images.
///
/// # Examples
/// ```
/// let g = course::generative::targets::glyphs(20, 12, 0.05, &mut course::rng::seeded(0));
/// assert_eq!(g.images.dim(), (20, 144));
/// assert_eq!(g.labels[13], 3);
/// assert_eq!(g.image(13).dim(), (12, 12));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Glyphs {
    /// One image per row, flattened row by row (row 0 of the image is its top), values in [0, 1].
    pub images: Array2<f64>,
    /// The digit of each image.
    pub labels: Vec<usize>,
    /// Side of the images in pixels.
    pub size: usize,
}

impl Glyphs {
    /// Number of images.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::generative::targets::glyphs(7, 8, 0.0, &mut course::rng::seeded(1)).len(), 7);
    /// ```
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True if there are no images.
    ///
    /// # Examples
    /// ```
    /// assert!(course::generative::targets::glyphs(0, 8, 0.0, &mut course::rng::seeded(1)).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i` as a `size` × `size` matrix (row 0 at the top).
    ///
    /// # Panics
    /// If `i >= self.len()`.
    ///
    /// # Examples
    /// ```
    /// let g = course::generative::targets::glyphs(3, 10, 0.0, &mut course::rng::seeded(2));
    /// assert_eq!(g.image(2).row(0).len(), 10);
    /// ```
    pub fn image(&self, i: usize) -> Array2<f64> {
        assert!(i < self.len(), "Glyphs::image: i must be < {} (the number of images), got {i}", self.len());
        self.images.row(i).to_owned().into_shape_with_order((self.size, self.size)).expect("size² pixels per row")
    }
}

/// `n_samples` glyph images of side `size` with random style and Gaussian pixel noise of standard
/// deviation `noise` (clipped to [0, 1]); image `i` shows the digit `i % 10`. The style is drawn
/// uniformly: shift in ±0.05 `size` per axis, shear in ±0.25, half width in [0.05, 0.09] `size`,
/// scale in [0.85, 1.05]. The glyph stays within 0.43 `size` + ½ pixel of the centre horizontally
/// and 0.46 `size` + ½ pixel vertically.
///
/// # Panics
/// If `size < 8` or `noise < 0`.
///
/// # Examples
/// ```
/// let g = course::generative::targets::glyphs(100, 12, 0.1, &mut course::rng::seeded(3));
/// assert!(g.images.iter().all(|&v| (0.0..=1.0).contains(&v)));
/// assert_eq!(g.labels.iter().filter(|&&l| l == 7).count(), 10);
/// ```
pub fn glyphs(n_samples: usize, size: usize, noise: f64, rng: &mut impl Rng) -> Glyphs {
    assert!(size >= 8, "glyphs: size must be >= 8 pixels, got {size}");
    assert!(noise.is_finite() && noise >= 0.0, "glyphs: noise must be finite and >= 0, got {noise}");
    let mut images = Array2::zeros((n_samples, size * size));
    let mut labels = Vec::with_capacity(n_samples);
    for i in 0..n_samples {
        let digit = i % 10;
        let style = GlyphStyle {
            shift: [rng.random_range(-0.05..0.05), rng.random_range(-0.05..0.05)],
            shear: rng.random_range(-0.25..0.25),
            half_width: rng.random_range(0.05..0.09),
            scale: rng.random_range(0.85..1.05),
        };
        let img = render_glyph(digit, size, style);
        for (dst, src) in images.row_mut(i).iter_mut().zip(img.iter()) {
            let z: f64 = if noise > 0.0 { StandardNormal.sample(rng) } else { 0.0 };
            *dst = (src + noise * z).clamp(0.0, 1.0);
        }
        labels.push(digit);
    }
    Glyphs { images, labels, size }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn eight_dominates_every_digit_pixelwise_in_any_style() {
        // 8 lights all seven segments and segments combine by max: an exact inclusion.
        let mut r = seeded(0);
        for _ in 0..20 {
            let style = GlyphStyle {
                shift: [r.random_range(-0.05..0.05), r.random_range(-0.05..0.05)],
                shear: r.random_range(-0.25..0.25),
                half_width: r.random_range(0.05..0.09),
                scale: r.random_range(0.85..1.05),
            };
            let eight = render_glyph(8, 12, style);
            for d in 0..10 {
                let g = render_glyph(d, 12, style);
                assert!(eight.iter().zip(g.iter()).all(|(e, v)| e >= v), "digit {d}");
            }
        }
    }

    #[test]
    fn upright_centred_zero_and_eight_are_mirror_symmetric() {
        // The segment layout of 0 and 8 is symmetric about the vertical axis through the centre,
        // and pixel centres c + ½ and size − (c + ½) are mirror images.
        for d in [0, 8] {
            for size in [8, 12, 15] {
                let g = render_glyph(d, size, GlyphStyle::default());
                for r in 0..size {
                    for c in 0..size {
                        assert!((g[[r, c]] - g[[r, size - 1 - c]]).abs() < 1e-12, "digit {d}, size {size}");
                    }
                }
            }
        }
        // 1 (segments b, c on the right) is not.
        let one = render_glyph(1, 12, GlyphStyle::default());
        assert!((0..12).any(|c| (one[[6, c]] - one[[6, 11 - c]]).abs() > 0.5));
    }

    #[test]
    fn nearest_template_classifies_noiseless_styled_glyphs() {
        // The ten classes stay distinct under the style jitter: the nearest default template
        // (Euclidean) recovers the label of at least 90 % of 500 styled glyphs on each seed.
        let templates: Vec<Array2<f64>> = (0..10).map(|d| render_glyph(d, 12, GlyphStyle::default())).collect();
        for seed in 0..5 {
            let g = glyphs(500, 12, 0.0, &mut seeded(seed));
            let correct = (0..g.len())
                .filter(|&i| {
                    let img = g.image(i);
                    let best = (0..10)
                        .min_by(|&a, &b| {
                            let da = (&img - &templates[a]).mapv(|v| v * v).sum();
                            let db = (&img - &templates[b]).mapv(|v| v * v).sum();
                            da.total_cmp(&db)
                        })
                        .unwrap();
                    best == g.labels[i]
                })
                .count();
            assert!(correct >= 450, "seed {seed}: {correct}/500");
        }
    }

    #[test]
    fn clipped_noise_on_the_background_column_has_the_half_normal_mean() {
        // At size 16 the glyph stays within 0.43·16 + ½ = 7.4 pixels of the centre horizontally, so
        // column 0 (centre 7.5 away) is background: clean value 0, and with noise max(0, σZ),
        // of mean σ/√(2π) and sd σ√(1/2 − 1/(2π)). 6400 pixels: 4 s.e. = 4·0.0584/80 ≈ 0.003.
        let clean = glyphs(400, 16, 0.0, &mut seeded(9));
        assert!((0..400).all(|i| clean.image(i).column(0).iter().all(|&v| v == 0.0)));
        let s = 0.1;
        let pi = std::f64::consts::PI;
        for seed in 0..5 {
            let noisy = glyphs(400, 16, s, &mut seeded(seed));
            let bg: Vec<f64> = (0..400).flat_map(|i| noisy.image(i).column(0).to_vec()).collect();
            let mean = bg.iter().sum::<f64>() / bg.len() as f64;
            let se = s * (0.5 - 1.0 / (2.0 * pi)).sqrt() / (bg.len() as f64).sqrt();
            assert!((mean - s / (2.0 * pi).sqrt()).abs() < 4.0 * se, "seed {seed}: {mean}");
        }
    }

    #[test]
    #[should_panic(expected = "digit must be in 0..=9, got 10")]
    fn bad_digit_panics() {
        render_glyph(10, 12, GlyphStyle::default());
    }
}
