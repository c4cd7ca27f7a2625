//! Scoring generated handwritten digits with a digit classifier: what FID does for photographs,
//! at the scale of the 8 × 8 UCI digits.
//!
//! Looking at a grid of samples is not a measurement. A classifier trained once on real digits
//! (the CNN of notebook 10, on the stratified 80 % training part of
//! [`crate::data::digits::load`], split seed 0) judges a sample of generated images in three ways:
//! - **confident**: the fraction it classifies with probability at least 0.9 — a digit that is
//!   clearly *some* digit (real held-out digits: about 0.93);
//! - **class histogram**: how many samples fall in each class, and the largest share — a model
//!   that collapses onto a few digits shows it here (uniform: 0.1);
//! - **Fréchet distance** between Gaussians fitted to the classifier's logits of the samples and
//!   of the real training digits ([`super::frechet_distance`]; Heusel et al. 2017 use a network's
//!   features the same way and call it FID).
//!
//! Two baselines frame every score: the **real held-out digits** (the best a generator can hope
//! for; the Fréchet distance is not 0 because they are a different, finite sample) and the
//! **fitted Gaussian** (the mean and covariance of the training images, sampled and clipped to
//! [0, 1]: every second-order statistic right, no shape). A generative model is worth its name when
//! it beats the Gaussian on all three.
//!
//! The classifier is trained once per process (about a second) and kept.
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb, 32-score-sdes-and-edm.ipynb and
//! 34-flows-and-flow-matching.ipynb.

use super::frechet_distance;
use crate::data::digits::{self, Digits};
use crate::generative::vae::LinearGaussian;
use crate::nn::{self, Cnn, CnnConfig, TrainConfig};
use crate::rng::seeded;
use ndarray::Array2;
use std::sync::OnceLock;

/// Probability above which a classification counts as confident.
pub const CONFIDENT: f64 = 0.9;

/// The judge: the classifier, the data split and the logits of the real training digits.
struct Judge {
    cnn: Cnn,
    train: Digits,
    test: Digits,
    train_logits: Array2<f64>,
}

fn judge() -> &'static Judge {
    static JUDGE: OnceLock<Judge> = OnceLock::new();
    JUDGE.get_or_init(|| {
        let (train, test) = digit_split();
        let (cnn, _) = nn::train_cnn(&train.scaled(), &train.labels, &CnnConfig::new(digits::SIDE, 10), &TrainConfig::adam(400, 0.01).with_batch_size(32).with_seed(1));
        let train_logits = cnn.logits(&train.scaled());
        Judge { cnn, train, test, train_logits }
    })
}

/// The split every digit generator trains on and is judged against: `load().split(0.2, 0)`
/// (1 438 training digits, 359 held out).
pub fn digit_split() -> (Digits, Digits) {
    digits::load().split(0.2, 0)
}

/// The scores of one sample of images.
#[derive(Clone, Debug, PartialEq)]
pub struct DigitScores {
    /// Number of images scored.
    pub n: usize,
    /// Fraction classified with probability ≥ [`CONFIDENT`].
    pub confident: f64,
    /// Images assigned to each digit 0–9.
    pub counts: [usize; 10],
    /// The largest class share, `max(counts) / n`.
    pub max_share: f64,
    /// Fréchet distance between the classifier logits of these images and of the real training
    /// digits.
    pub frechet: f64,
}

impl DigitScores {
    /// Number of digits that received at least one image.
    pub fn classes_present(&self) -> usize {
        self.counts.iter().filter(|&&c| c > 0).count()
    }

    /// A table row: `name`, confident %, largest class share %, digits present, Fréchet distance.
    pub fn table_row(&self, name: &str) -> Vec<String> {
        vec![
            name.to_string(),
            format!("{:.1} %", 100.0 * self.confident),
            format!("{:.1} %", 100.0 * self.max_share),
            format!("{}", self.classes_present()),
            format!("{:.2}", self.frechet),
        ]
    }
}

/// The header matching [`DigitScores::table_row`].
pub const TABLE_HEADER: [&str; 5] = ["sample", "confident (p ≥ 0.9)", "largest class", "digits present", "Fréchet distance (logits)"];

/// Scores `images`: one 8 × 8 image per row, pixels on the [0, 1] scale of
/// [`Digits::scaled`] (values outside are clipped to [0, 1] first, as a picture would be).
///
/// # Panics
/// If `images` does not have 64 columns or has fewer than 2 rows, or holds a NaN.
pub fn digit_scores(images: &Array2<f64>) -> DigitScores {
    let side2 = digits::SIDE * digits::SIDE;
    assert_eq!(images.ncols(), side2, "digit_scores: images must have 64 columns (8 × 8 pixels), got {}", images.ncols());
    assert!(images.nrows() >= 2, "digit_scores: need at least 2 images, got {}", images.nrows());
    assert!(images.iter().all(|v| !v.is_nan()), "digit_scores: images must not contain NaN");
    let j = judge();
    let logits = j.cnn.logits(&images.mapv(|v| v.clamp(0.0, 1.0)));
    let mut counts = [0usize; 10];
    let mut confident = 0usize;
    for row in logits.rows() {
        let (k, top) = row.iter().enumerate().fold((0, f64::NEG_INFINITY), |a, (i, &v)| if v > a.1 { (i, v) } else { a });
        // softmax probability of the top class: 1 / Σ exp(l_i − l_top)
        let z: f64 = row.iter().map(|&v| (v - top).exp()).sum();
        counts[k] += 1;
        if 1.0 / z >= CONFIDENT {
            confident += 1;
        }
    }
    let n = images.nrows();
    DigitScores {
        n,
        confident: confident as f64 / n as f64,
        counts,
        max_share: *counts.iter().max().expect("ten classes") as f64 / n as f64,
        frechet: frechet_distance(&logits, &j.train_logits),
    }
}

/// The two baselines: the scores of the 359 real held-out digits, and of `n_samples` draws from
/// the Gaussian fitted to the training digits (clipped to [0, 1]), seeded.
///
/// # Panics
/// If `n_samples < 2`.
pub fn digit_baselines(n_samples: usize, seed: u64) -> (DigitScores, DigitScores) {
    assert!(n_samples >= 2, "digit_baselines: n_samples must be >= 2, got {n_samples}");
    let j = judge();
    (digit_scores(&j.test.scaled()), digit_scores(&fitted_gaussian_samples(&j.train, n_samples, seed)))
}

/// `n` draws from the Gaussian with the training images' mean and covariance (pixels in [0, 1]).
fn fitted_gaussian_samples(train: &Digits, n: usize, seed: u64) -> Array2<f64> {
    // Probabilistic PCA with 63 of 64 directions has exactly the sample covariance.
    LinearGaussian::fit_ppca(&train.scaled(), 63).sample(n, &mut seeded(seed)).mapv(|v| v.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_judge_tells_real_digits_from_a_gaussian() {
        let (train, test) = digit_split();
        // The classifier is a good one: held-out accuracy (notebook 10 measures 97–99 %).
        assert!(judge().cnn.accuracy(&test.scaled(), &test.labels) >= 0.95);
        let (real, gauss) = digit_baselines(500, 3);
        // Measured over Gaussian seeds 0–4: real confident 0.93, Fréchet 1.3; Gaussian confident
        // 0.33–0.40, Fréchet 24–27.
        assert!(real.confident >= 0.85, "{real:?}");
        assert!(real.frechet <= 3.0, "{real:?}");
        assert_eq!(real.classes_present(), 10);
        assert!(real.max_share <= 0.13, "{real:?}"); // the split is stratified: 36 of 359 per class
        assert!(gauss.confident <= 0.5 && gauss.frechet >= 10.0, "{gauss:?}");
        // Scoring the training digits themselves: Fréchet distance 0 up to rounding.
        let same = digit_scores(&train.scaled());
        assert!(same.frechet < 1e-8, "{}", same.frechet);
        assert_eq!(same.counts.iter().sum::<usize>(), train.len());
    }

    #[test]
    fn one_digit_repeated_is_all_in_one_class() {
        let (train, _) = digit_split();
        let idx = vec![0usize; 50];
        let s = digit_scores(&train.select(&idx).scaled());
        assert_eq!((s.classes_present(), s.max_share), (1, 1.0));
        assert_eq!(s.counts[train.labels[0]], 50);
    }

    #[test]
    #[should_panic(expected = "images must have 64 columns")]
    fn wrong_width_is_named() {
        digit_scores(&Array2::zeros((5, 63)));
    }
}
