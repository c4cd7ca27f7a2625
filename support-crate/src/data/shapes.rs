//! Small grey images of four shapes — disk, square, triangle, cross — drawn in code.
//!
//! Each image is `size × size` pixels in $[0,1]$ plus Gaussian noise: one upright shape of
//! random centre and radius, anti-aliased by $3\times 3$ supersampling. The class is the
//! shape. A convolutional network must recognize the shape wherever it is: the translation
//! equivariance of convolution is the right prior.
//!
//! ## Reference
//! LeCun, Bottou, Bengio & Haffner (1998), *Gradient-based learning applied to document
//! recognition* (the convolutional network on small images); Greydanus (2020), *Scaling down
//! deep learning* (MNIST-1D: small procedurally generated data sets).
//!
//! Used in notebooks/10-architectures.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// The class names, by label.
pub const SHAPE_NAMES: [&str; 4] = ["disk", "square", "triangle", "cross"];

/// A labelled set of shape images.
///
/// # Examples
/// ```
/// let s = course::data::shapes::shapes(&mut course::rng::seeded(5), 4, 10, 0.0);
/// assert_eq!((s.len(), s.image(2).dim()), (4, (10, 10)));
/// assert!(!s.is_empty());
/// assert!(s.image(0).sum() > 10.0); // a disk of radius ≥ 2.2 pixels covers more than 10 pixels
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Shapes {
    /// One image per row, flattened row by row (row 0 of the image is its top).
    pub images: Array2<f64>,
    /// The class of each image, an index into [`SHAPE_NAMES`].
    pub labels: Vec<usize>,
    /// Side of the images in pixels.
    pub size: usize,
}

impl Shapes {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True if there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i` as a `size × size` matrix (row 0 at the top).
    ///
    /// # Panics
    /// If `i >= self.len()`.
    pub fn image(&self, i: usize) -> Array2<f64> {
        assert!(i < self.len(), "Shapes::image: i must be < {} (the number of images), got {i}", self.len());
        self.images.row(i).to_owned().into_shape_with_order((self.size, self.size)).expect("size² pixels per row")
    }

    /// The images `idx` tiled `cols` per row with a one-pixel gap, oriented for
    /// [`Plot::heatmap`](crate::plot::Plot::heatmap) (whose row 0 is at the bottom).
    ///
    /// # Panics
    /// If `cols == 0`, `idx` is empty or an index is out of range.
    ///
    /// # Examples
    /// ```
    /// let s = course::data::shapes::shapes(&mut course::rng::seeded(0), 8, 12, 0.0);
    /// let m = s.montage(&[0, 1, 2, 3, 4, 5], 3);
    /// assert_eq!(m.dim(), (2 * 13 - 1, 3 * 13 - 1));
    /// assert_eq!(m[[m.nrows() - 1, 0]], s.image(0)[[0, 0]]); // top-left pixel of image 0
    /// ```
    pub fn montage(&self, idx: &[usize], cols: usize) -> Array2<f64> {
        assert!(!idx.is_empty(), "montage: idx must not be empty");
        super::images::grid(&self.images.select(ndarray::Axis(0), idx), self.size, cols)
    }
}

/// `n_samples` images of side `size`, labels cycling through the four classes (balanced),
/// pixel noise of standard deviation `noise`.
///
/// # Panics
/// If `size < 8` or `noise` is negative or not finite.
///
/// # Examples
/// ```
/// use course::data::shapes::{shapes, SHAPE_NAMES};
/// let s = shapes(&mut course::rng::seeded(1), 40, 16, 0.1);
/// assert_eq!((s.images.dim(), s.labels.len()), ((40, 256), 40));
/// assert_eq!(s.labels.iter().filter(|&&l| l == 2).count(), 10); // balanced
/// assert_eq!(SHAPE_NAMES[s.labels[3]], "cross");
/// ```
pub fn shapes(rng: &mut impl Rng, n_samples: usize, size: usize, noise: f64) -> Shapes {
    assert!(size >= 8, "shapes: size must be >= 8 pixels, got {size}");
    assert!(noise >= 0.0 && noise.is_finite(), "shapes: noise must be finite and >= 0, got {noise}");
    let mut images = Array2::zeros((n_samples, size * size));
    let mut labels = Vec::with_capacity(n_samples);
    let s = size as f64;
    for i in 0..n_samples {
        let label = i % SHAPE_NAMES.len();
        let radius = rng.random_range(0.22..0.34) * s;
        let (cx, cy) = (rng.random_range(radius..s - radius), rng.random_range(radius..s - radius));
        for r in 0..size {
            for c in 0..size {
                let z: f64 = StandardNormal.sample(rng);
                images[[i, r * size + c]] = subsamples_inside(label, radius, (cx, cy), r, c) as f64 / 9.0 + noise * z;
            }
        }
        labels.push(label);
    }
    Shapes { images, labels, size }
}

/// How many of the 3 × 3 subsamples of pixel `(r, c)` (row `r` from the top) lie inside shape
/// `label` of the given `radius` centred at `(cx, cy)` (in pixels, `x` along a row): nine times
/// the pixel's anti-aliased grey level.
pub fn subsamples_inside(label: usize, radius: f64, (cx, cy): (f64, f64), r: usize, c: usize) -> usize {
    let mut hits = 0;
    for sr in 0..3 {
        for sc in 0..3 {
            let (x, y) = (c as f64 + (sc as f64 + 0.5) / 3.0 - cx, r as f64 + (sr as f64 + 0.5) / 3.0 - cy);
            // Coordinates relative to the centre, in units of the radius (b points down).
            hits += usize::from(inside(label, x / radius, y / radius));
        }
    }
    hits
}

/// Is the point `(a, b)` (in radii from the centre, `b` pointing down) inside shape `label`
/// (0 disk, 1 square, 2 triangle, 3 cross)?
fn inside(label: usize, a: f64, b: f64) -> bool {
    match label {
        0 => a * a + b * b <= 1.0,
        1 => a.abs() <= 0.8 && b.abs() <= 0.8,
        2 => (0..3).all(|k| {
            // Equilateral triangle of circumradius 1, apex up: three half-planes at distance 1/2.
            let t = PI / 2.0 + 2.0 * PI * k as f64 / 3.0;
            a * t.cos() + b * t.sin() <= 0.5
        }),
        _ => (a.abs() <= 0.3 && b.abs() <= 1.0) || (b.abs() <= 0.3 && a.abs() <= 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_shapes_have_the_right_areas() {
        // Oracle: the area of each shape in radii² — disk π, square 1.6² = 2.56, triangle
        // 3√3/4 ≈ 1.299, cross 2·(0.6·2) − 0.6² = 2.04 — against the mean pixel mass / r².
        // Radii vary, so compare mass ratios over 1000 images per class (mass ∝ area·r², and the
        // class means of r² agree to about 1 %).
        let s = shapes(&mut crate::rng::seeded(2), 4000, 16, 0.0);
        let mut mass = [0.0; 4];
        for i in 0..s.len() {
            mass[s.labels[i]] += s.images.row(i).sum();
        }
        let area = [PI, 2.56, 3.0 * 3f64.sqrt() / 4.0, 2.04];
        for k in 1..4 {
            let (measured, expected) = (mass[k] / mass[0], area[k] / area[0]);
            assert!((measured / expected - 1.0).abs() < 0.04, "class {k}: {measured} vs {expected}");
        }
    }

    #[test]
    fn pixels_are_coverage_fractions_and_noise_has_the_given_std() {
        let clean = shapes(&mut crate::rng::seeded(3), 20, 16, 0.0);
        assert!(clean.images.iter().all(|&v| (0.0..=1.0 + 1e-12).contains(&v)));
        assert_eq!(clean, shapes(&mut crate::rng::seeded(3), 20, 16, 0.0), "same seed, same images");
        // Oracle: a corner pixel is (almost always) background, so across images it carries
        // the pure noise N(0, 0.2²); 400 images give its std to about ±0.007.
        let n = shapes(&mut crate::rng::seeded(4), 400, 16, 0.2);
        let corner: Vec<f64> = (0..n.len()).map(|i| n.images[[i, 0]]).collect();
        let std = crate::stats::variance(&corner).sqrt();
        assert!((std - 0.2).abs() < 0.03, "corner std {std}");
    }
}
