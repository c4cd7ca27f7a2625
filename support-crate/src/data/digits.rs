//! The UCI optical-recognition handwritten digits: 1 797 images of 8 × 8 pixels, 17 grey levels
//! (0–16), ten classes, shipped with the course (`support-crate/data/digits/`, source and licence
//! in `support-crate/data/README.md`): real data that nobody designed for a method.
//!
//! Each image is the count of "on" pixels in the 4 × 4 blocks of a 32 × 32 bitmap written by
//! one of 13 people (the test half of the UCI set, as scikit-learn's `load_digits`).
//!
//! Used in notebooks/03-compression-and-low-rank.ipynb, notebooks/10-architectures.ipynb,
//! notebooks/20-boltzmann-machines-and-energy-models.ipynb, notebooks/28-variational-autoencoders.ipynb
//! and the digit generators of notebooks/31-diffusion-models-ddpm.ipynb, 32-score-sdes-and-edm.ipynb
//! and 34-flows-and-flow-matching.ipynb.

use crate::rng::seeded;
use ndarray::Array2;
use rand::seq::SliceRandom;

/// The file: 64 pixels (row by row) then the label, one image per line.
const CSV: &str = include_str!("../../data/digits/digits.csv");

/// Images (one row of 64 pixels each, row-major 8 × 8, values 0–16) and their labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Digits {
    /// `n × 64`, pixel `(r, c)` of image `i` at `[i, 8r + c]`.
    pub images: Array2<f64>,
    /// The digit each image shows, `0..=9`.
    pub labels: Vec<usize>,
}

/// Side of an image.
pub const SIDE: usize = 8;
/// The largest grey level.
pub const MAX_LEVEL: f64 = 16.0;

/// All 1 797 digits, in the file's order.
///
/// # Examples
/// ```
/// let d = course::data::digits::load();
/// assert_eq!(d.images.dim(), (1797, 64));
/// let counts: Vec<usize> = (0..10).map(|k| d.labels.iter().filter(|&&l| l == k).count()).collect();
/// assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
/// // The first image is a 0; its top row is 0 0 5 13 9 1 0 0.
/// assert_eq!(d.labels[0], 0);
/// assert_eq!(d.images.row(0).iter().take(8).copied().collect::<Vec<f64>>(), [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]);
/// assert_eq!(d.images.fold(0.0f64, |a, &v| a.max(v)), 16.0);
/// ```
pub fn load() -> Digits {
    let mut pixels = Vec::with_capacity(1797 * 64);
    let mut labels = Vec::with_capacity(1797);
    for (i, line) in CSV.lines().enumerate() {
        let values: Vec<usize> = line.split(',').map(|v| v.trim().parse().unwrap_or_else(|_| panic!("digits.csv line {}: {v:?} is not a count", i + 1))).collect();
        assert_eq!(values.len(), 65, "digits.csv line {}: 64 pixels and a label expected", i + 1);
        pixels.extend(values[..64].iter().map(|&v| v as f64));
        labels.push(values[64]);
    }
    let images = Array2::from_shape_vec((labels.len(), 64), pixels).expect("64 pixels per line");
    Digits { images, labels }
}

/// Images on the centred scale of [`Digits::centered`] back to [0, 1] (as [`Digits::scaled`]),
/// clipped: a generated image may overshoot the range.
///
/// # Examples
/// ```
/// let x = course::ndarray::array![[-1.0, 0.0, 1.0, 1.4, -3.0]];
/// assert_eq!(course::data::digits::from_centered(&x), course::ndarray::array![[0.0, 0.5, 1.0, 1.0, 0.0]]);
/// ```
pub fn from_centered(x: &Array2<f64>) -> Array2<f64> {
    x.mapv(|v| ((v + 1.0) / 2.0).clamp(0.0, 1.0))
}

impl Digits {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i` as an 8 × 8 matrix.
    ///
    /// # Panics
    /// If `i >= len()`.
    pub fn image(&self, i: usize) -> Array2<f64> {
        assert!(i < self.len(), "Digits::image: index {i} out of range (len {})", self.len());
        Array2::from_shape_fn((SIDE, SIDE), |(r, c)| self.images[[i, SIDE * r + c]])
    }

    /// The images scaled to [0, 1] (grey level / 16).
    pub fn scaled(&self) -> Array2<f64> {
        &self.images / MAX_LEVEL
    }

    /// The images on [−1, 1] (grey level / 8 − 1): the scale the generative models of Part V
    /// train on, centred like their Gaussian noise. [`from_centered`] maps back.
    ///
    /// # Examples
    /// ```
    /// let d = course::data::digits::load();
    /// let c = d.centered();
    /// assert_eq!((c[[0, 0]], c[[0, 3]]), (-1.0, 13.0 / 8.0 - 1.0));
    /// assert_eq!(course::data::digits::from_centered(&c), d.scaled());
    /// ```
    pub fn centered(&self) -> Array2<f64> {
        self.images.mapv(|v| v / (MAX_LEVEL / 2.0) - 1.0)
    }

    /// Black and white: 1 where the grey level is at least `level`, else 0 (`n × 64`).
    ///
    /// # Panics
    /// If `level` is not in (0, 16].
    ///
    /// # Examples
    /// ```
    /// let d = course::data::digits::load();
    /// let bw = d.binarized(8.0);
    /// // The first image's top row 0 0 5 13 9 1 0 0 becomes 0 0 0 1 1 0 0 0.
    /// assert_eq!(bw.row(0).iter().take(8).copied().collect::<Vec<f64>>(), [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0]);
    /// ```
    pub fn binarized(&self, level: f64) -> Array2<f64> {
        assert!(level > 0.0 && level <= MAX_LEVEL, "Digits::binarized: level must be in (0, 16], got {level}");
        self.images.mapv(|v| if v >= level { 1.0 } else { 0.0 })
    }

    /// The rows `idx`, in that order.
    pub fn select(&self, idx: &[usize]) -> Digits {
        Digits { images: self.images.select(ndarray::Axis(0), idx), labels: idx.iter().map(|&i| self.labels[i]).collect() }
    }

    /// A seeded split into a training part and a held-out part with `test_fraction` of each
    /// class (stratified, so that both parts have the classes in the same proportions).
    ///
    /// # Panics
    /// If `test_fraction` is not in (0, 1).
    ///
    /// # Examples
    /// ```
    /// let (train, test) = course::data::digits::load().split(0.2, 0);
    /// assert_eq!(train.len() + test.len(), 1797);
    /// assert_eq!(test.labels.iter().filter(|&&l| l == 0).count(), 36); // round(0.2 · 178)
    /// ```
    pub fn split(&self, test_fraction: f64, seed: u64) -> (Digits, Digits) {
        assert!(test_fraction > 0.0 && test_fraction < 1.0, "Digits::split: test_fraction must be in (0, 1), got {test_fraction}");
        let mut rng = seeded(seed);
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for k in 0..10 {
            let mut idx: Vec<usize> = (0..self.len()).filter(|&i| self.labels[i] == k).collect();
            idx.shuffle(&mut rng);
            let n_test = (test_fraction * idx.len() as f64).round() as usize;
            test.extend_from_slice(&idx[..n_test]);
            train.extend_from_slice(&idx[n_test..]);
        }
        // Interleave the classes: a seeded shuffle of each part.
        train.shuffle(&mut rng);
        test.shuffle(&mut rng);
        (self.select(&train), self.select(&test))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_stratified_disjoint_and_complete() {
        let d = load();
        let (train, test) = d.split(0.25, 3);
        for k in 0..10 {
            let (a, b) = (train.labels.iter().filter(|&&l| l == k).count(), test.labels.iter().filter(|&&l| l == k).count());
            let n = d.labels.iter().filter(|&&l| l == k).count();
            assert_eq!(a + b, n);
            assert_eq!(b, (0.25 * n as f64).round() as usize);
        }
        // Every image lands in exactly one part: compare the multisets of rows.
        let key = |x: &Digits| {
            let mut rows: Vec<Vec<u8>> = x.images.rows().into_iter().zip(&x.labels).map(|(r, &l)| r.iter().map(|&v| v as u8).chain([l as u8]).collect()).collect();
            rows.sort();
            rows
        };
        let mut both = key(&train);
        both.extend(key(&test));
        both.sort();
        assert_eq!(both, key(&d));
        assert_eq!(d.split(0.25, 3), (train, test), "the same seed, the same split");
    }

    #[test]
    fn image_is_the_row_reshaped() {
        let d = load();
        let im = d.image(5);
        assert_eq!(im[[2, 3]], d.images[[5, 19]]);
        assert!(d.scaled().iter().all(|&v| (0.0..=1.0).contains(&v)));
    }
}
