//! Grayscale test images generated in code: a landscape with smooth shading, straight and
//! curved edges, disks and stripes, at any resolution, plus seeded noise.
//!
//! An image is an `Array2<f64>` of intensities in $[0, 1]$, row 0 at the top. The scene is a
//! function $f(x, y)$ on the unit square ($x$ to the right, $y$ down), averaged over a 3 × 3
//! grid inside each pixel (anti-aliasing), so the same picture comes out at every size:
//! $$I_{ij} = \frac19\sum_{a,b=0}^{2} f\Big(\frac{j + (2a+1)/6}{\text{cols}},\ \frac{i + (2b+1)/6}{\text{rows}}\Big).$$
//! Its ingredients have very different ranks: axis-aligned rectangles and vertical stripes are
//! rank one or two, a disk or a slanted edge needs many singular values. That is what makes
//! it a good subject for low-rank compression.
//!
//! ## Reference
//! Strang, *Linear Algebra and Learning from Data*, I.9 (compressing images by the SVD).
//!
//! Used in notebooks/03-compression-and-low-rank.ipynb.

use ndarray::Array2;
use rand::Rng;

/// The test scene at `rows` × `cols` pixels: sky, sun, hills, a house with a window, a tree
/// and a striped fence. Intensities in $[0, 1]$, row 0 at the top.
///
/// # Panics
/// If `rows` or `cols` is 0.
///
/// # Examples
/// ```
/// let img = course::data::images::test_image(48, 64);
/// assert_eq!(img.dim(), (48, 64));
/// assert!(img.iter().all(|&v| (0.0..=1.0).contains(&v)));
/// assert!(img[[10, 50]] > 0.95); // the sun, upper right (centre at x = 0.78, y = 0.2)
/// ```
pub fn test_image(rows: usize, cols: usize) -> Array2<f64> {
    assert!(rows >= 1 && cols >= 1, "test_image: rows and cols must be >= 1, got {rows} x {cols}");
    const SUB: [f64; 3] = [1.0 / 6.0, 0.5, 5.0 / 6.0];
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let mut sum = 0.0;
        for a in SUB {
            for b in SUB {
                sum += scene((j as f64 + a) / cols as f64, (i as f64 + b) / rows as f64);
            }
        }
        sum / 9.0
    })
}

/// The scene's intensity at $(x, y)\in[0,1]^2$, $y$ pointing down. Later layers cover earlier.
fn scene(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let inside_disk = |cx: f64, cy: f64, r: f64| (x - cx).powi(2) + (y - cy).powi(2) <= r * r;
    // Sky: brighter towards the horizon.
    let mut v = 0.45 + 0.4 * y;
    // Sun with a soft halo.
    let d_sun = ((x - 0.78).powi(2) + (y - 0.2).powi(2)).sqrt();
    if d_sun < 0.09 {
        v = 1.0;
    } else if d_sun < 0.16 {
        v += (1.0 - v) * 0.5 * (1.0 - (d_sun - 0.09) / 0.07);
    }
    // Hills: a smooth ridge, shaded.
    let ridge = 0.56 - 0.07 * (2.0 * PI * 1.3 * x + 0.5).sin() - 0.03 * (2.0 * PI * 3.1 * x).sin();
    if y > ridge {
        v = 0.5 - 0.25 * (y - ridge);
    }
    // Meadow below a slanted horizon.
    let horizon = 0.7 + 0.06 * (x - 0.5);
    if y > horizon {
        v = 0.32 + 0.25 * (y - horizon);
    }
    // Striped fence: vertical bars between two rails.
    if (0.5..0.95).contains(&x) && (0.74..0.86).contains(&y) {
        let bar = ((x - 0.5) / 0.03).floor() as i64 % 2 == 0;
        let rail = (0.76..0.78).contains(&y) || (0.82..0.84).contains(&y);
        if bar || rail {
            v = 0.9;
        }
    }
    // A tree: trunk and a round crown.
    if (0.655..0.685).contains(&x) && (0.5..0.74).contains(&y) {
        v = 0.12;
    }
    if inside_disk(0.67, 0.44, 0.1) {
        v = 0.2 + 0.15 * (1.0 - ((x - 0.64).powi(2) + (y - 0.4).powi(2)).sqrt() / 0.14).max(0.0);
    }
    // A house: walls, a triangular roof, a window with a cross bar, a door.
    if (0.12..0.38).contains(&x) && (0.5..0.82).contains(&y) {
        v = 0.7;
        if (0.17..0.27).contains(&x) && (0.56..0.68).contains(&y) {
            let cross = (0.215..0.225).contains(&x) || (0.615..0.625).contains(&y);
            v = if cross { 0.7 } else { 0.08 };
        }
        if (0.3..0.35).contains(&x) && (0.64..0.82).contains(&y) {
            v = 0.3;
        }
    }
    let roof_half_width = 0.15 * (y - 0.34) / 0.16; // apex (0.25, 0.34), base y = 0.5
    if (0.34..0.5).contains(&y) && (x - 0.25).abs() <= roof_half_width {
        v = 0.18;
    }
    v.clamp(0.0, 1.0)
}

/// `image` plus independent $\mathcal N(0, \text{sd}^2)$ noise on every pixel (not clipped), drawn
/// row by row from `rng`.
///
/// # Panics
/// If `sd` is negative or not finite.
///
/// # Examples
/// ```
/// use course::data::images::{add_noise, test_image};
/// let clean = test_image(32, 32);
/// let noisy = add_noise(&mut course::rng::seeded(1), &clean, 0.1);
/// let rms = ((&noisy - &clean).mapv(|v| v * v).sum() / 1024.0).sqrt();
/// assert!((rms - 0.1).abs() < 0.01); // 1024 draws: relative s.e. of the rms ≈ 2 %
/// ```
pub fn add_noise(rng: &mut impl Rng, image: &Array2<f64>, sd: f64) -> Array2<f64> {
    assert!(sd >= 0.0 && sd.is_finite(), "add_noise: sd must be finite and >= 0, got {sd}");
    let z = crate::rng::normal_vec(rng, image.len());
    let noise = Array2::from_shape_vec(image.dim(), z).expect("one draw per pixel");
    image + &(noise * sd)
}

/// Images side by side, separated by `gap` columns of NaN (drawn white), with their rows
/// flipped, ready for [`Plot::heatmap`](crate::plot::Plot::heatmap) (whose row 0 is at the
/// bottom): the pictures appear upright. Shorter images are padded with NaN below.
///
/// # Panics
/// If `images` is empty.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let m = course::data::images::montage(&[&a, &a], 1);
/// assert_eq!(m.dim(), (2, 5));
/// assert_eq!(m[[1, 0]], 1.0); // the top row of the picture is the last row of the heatmap
/// assert!(m[[0, 2]].is_nan());
/// ```
pub fn montage(images: &[&Array2<f64>], gap: usize) -> Array2<f64> {
    assert!(!images.is_empty(), "montage: images must not be empty");
    let rows = images.iter().map(|im| im.nrows()).max().expect("non-empty");
    let cols = images.iter().map(|im| im.ncols()).sum::<usize>() + gap * (images.len() - 1);
    let mut out = Array2::from_elem((rows, cols), f64::NAN);
    let mut left = 0;
    for im in images {
        let (r, c) = im.dim();
        for i in 0..r {
            for j in 0..c {
                out[[rows - 1 - i, left + j]] = im[[i, j]];
            }
        }
        left += c + gap;
    }
    out
}

/// Images stored one per row (each a flattened `side × side` picture, row by row), tiled
/// `cols` to a row of the grid with a one-pixel gap (NaN, drawn blank), flipped for
/// [`Plot::heatmap`](crate::plot::Plot::heatmap) like [`montage`]: the pictures appear upright.
///
/// # Panics
/// If `rows` is empty, `cols` is 0 or a row does not have `side²` entries.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // Three 2 × 2 pictures, two to a row.
/// let m = course::data::images::grid(&array![[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [0.0; 4]], 2, 2);
/// assert_eq!(m.dim(), (5, 5));
/// assert_eq!(m[[4, 0]], 1.0); // top-left pixel of the first picture
/// assert_eq!(m[[3, 4]], 8.0); // bottom-right pixel of the second
/// assert!(m[[2, 0]].is_nan() && m[[0, 3]].is_nan()); // the gap; no fourth picture
/// ```
pub fn grid(rows: &Array2<f64>, side: usize, cols: usize) -> Array2<f64> {
    assert!(cols > 0, "grid: cols must be > 0, got 0");
    assert!(rows.nrows() > 0, "grid: rows must hold at least one image");
    assert_eq!(rows.ncols(), side * side, "grid: each row must be a side × side image ({} entries), got {}", side * side, rows.ncols());
    let n_rows = rows.nrows().div_ceil(cols);
    let (h, w) = (n_rows * (side + 1) - 1, cols * (side + 1) - 1);
    let mut m = Array2::from_elem((h, w), f64::NAN);
    for (k, img) in rows.rows().into_iter().enumerate() {
        let (r0, c0) = ((k / cols) * (side + 1), (k % cols) * (side + 1));
        for r in 0..side {
            for c in 0..side {
                m[[h - 1 - (r0 + r), c0 + c]] = img[side * r + c];
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_scene_at_two_resolutions() {
        // Averaging 2 × 2 blocks of the fine image approximates the coarse one: only pixels on
        // edges differ (the scene is piecewise smooth).
        let (coarse, fine) = (test_image(40, 60), test_image(80, 120));
        let pooled = Array2::from_shape_fn((40, 60), |(i, j)| {
            (fine[[2 * i, 2 * j]] + fine[[2 * i + 1, 2 * j]] + fine[[2 * i, 2 * j + 1]] + fine[[2 * i + 1, 2 * j + 1]]) / 4.0
        });
        let mean_abs = (&pooled - &coarse).mapv(f64::abs).sum() / 2400.0;
        assert!(mean_abs < 0.02, "{mean_abs}");
    }

    #[test]
    fn energy_concentrates_in_few_singular_values_but_the_rank_is_high() {
        let img = test_image(96, 128);
        let s = crate::linalg::singular_values(&img);
        let total: f64 = s.iter().map(|v| v * v).sum();
        let top10: f64 = s.iter().take(10).map(|v| v * v).sum();
        assert!(top10 / total > 0.99, "{}", top10 / total);
        let rank = s.iter().filter(|&&v| v > 1e-8 * s[0]).count();
        assert!(rank > 50, "edges and disks need many singular values, numerical rank {rank}");
    }

    #[test]
    fn noise_has_the_requested_moments() {
        let clean = Array2::zeros((100, 100));
        let noisy = add_noise(&mut crate::rng::seeded(5), &clean, 0.3);
        let mean = noisy.sum() / 1e4;
        let var = noisy.mapv(|v| (v - mean).powi(2)).sum() / (1e4 - 1.0);
        assert!(mean.abs() < 4.0 * 0.3 / 100.0);
        assert!((var / 0.09 - 1.0).abs() < 4.0 * (2.0f64 / 1e4).sqrt());
    }

    #[test]
    fn montage_pads_shorter_images_and_flips_rows() {
        let a = Array2::from_elem((3, 2), 1.0);
        let b = Array2::from_elem((1, 1), 2.0);
        let m = montage(&[&a, &b], 2);
        assert_eq!(m.dim(), (3, 5));
        assert_eq!(m[[2, 4]], 2.0); // b's only row is at the top of the picture
        assert!(m[[0, 4]].is_nan() && m[[1, 2]].is_nan());
    }

    #[test]
    #[should_panic(expected = "sd must be finite and >= 0")]
    fn negative_noise_is_rejected() {
        let _ = add_noise(&mut crate::rng::seeded(0), &Array2::zeros((2, 2)), -1.0);
    }
}
