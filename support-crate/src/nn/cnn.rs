//! A small convolutional network for `size × size` grey images:
//! $$\text{conv}_{3\times3}\to\text{ReLU}\to\text{maxpool}_2\to\text{conv}_{3\times3}\to\text{ReLU}
//!   \to\text{maxpool}_2\to\text{linear}\to\text{softmax},$$
//! trained by minimizing the cross-entropy $-\log p_\theta(y\mid x)$. Convolutions ("same"
//! padding) are equivariant to translations; pooling makes the features locally invariant.
//!
//! ## Reference
//! LeCun, Bottou, Bengio & Haffner (1998), *Gradient-based learning applied to document
//! recognition*; Goodfellow, Bengio & Courville, *Deep Learning* (2016), ch. 9.
//!
//! Used in notebooks/10-architectures.ipynb.

use super::codec::{Wire, decode};
use super::engine::call;
use super::wire::Value;
use super::{TrainConfig, TrainReport};
use ndarray::Array2;

/// The shape of a [`Cnn`]: image side, number of classes and the channels of its two
/// convolutions.
///
/// # Examples
/// ```
/// let cfg = course::nn::CnnConfig::new(16, 4);
/// assert_eq!(cfg.channels, [8, 16]);
/// // conv 1→8 (3·3 weights + bias each), conv 8→16, linear 16·4·4 → 4.
/// assert_eq!(cfg.n_params(), 8 * 10 + 16 * (8 * 9 + 1) + (256 * 4 + 4));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CnnConfig {
    /// Side of the square input images (a multiple of 4).
    pub size: usize,
    /// Number of classes.
    pub n_classes: usize,
    /// Output channels of the two convolutions.
    pub channels: [usize; 2],
}

impl CnnConfig {
    /// Channels 8 and 16.
    pub fn new(size: usize, n_classes: usize) -> Self {
        CnnConfig { size, n_classes, channels: [8, 16] }
    }

    /// The same with other channel counts.
    pub fn with_channels(self, channels: [usize; 2]) -> Self {
        CnnConfig { channels, ..self }
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        let [c1, c2] = self.channels;
        let flat = c2 * (self.size / 4) * (self.size / 4);
        c1 * (9 + 1) + c2 * (c1 * 9 + 1) + flat * self.n_classes + self.n_classes
    }

    #[doc(hidden)]
    pub fn validate(&self, who: &str) {
        assert!(self.size >= 4 && self.size % 4 == 0, "{who}: size must be a positive multiple of 4 (two 2×2 poolings), got {}", self.size);
        assert!(self.n_classes >= 2, "{who}: n_classes must be >= 2, got {}", self.n_classes);
        assert!(self.channels.iter().all(|&c| c > 0), "{who}: channels must be > 0, got {:?}", self.channels);
    }
}

/// A trained small CNN (inference mode).
///
/// # Examples
/// ```
/// use course::nn::{train_cnn, CnnConfig, TrainConfig};
/// let data = course::data::shapes::shapes(&mut course::rng::seeded(3), 16, 8, 0.0);
/// let (cnn, _) = train_cnn(&data.images, &data.labels, &CnnConfig::new(8, 4), &TrainConfig::adam(2, 1e-3));
/// assert_eq!(cnn.predict(&data.images).len(), 16);
/// assert_eq!(cnn.logits(&data.images).dim(), (16, 4));
/// assert_eq!(cnn.confusion(&data.images, &data.labels).sum(), 16.0); // every image counted once
/// assert_eq!(cnn.filters()[0].dim(), (3, 3));
/// ```
#[derive(Debug)]
pub struct Cnn {
    handle: u64,
    config: CnnConfig,
}

impl Cnn {
    /// The class scores (logits), one row per image (rows of `images` are flattened
    /// `size × size` images).
    ///
    /// # Panics
    /// If `images` does not have `size²` columns.
    pub fn logits(&self, images: &Array2<f64>) -> Array2<f64> {
        let s = self.config.size;
        assert_eq!(images.ncols(), s * s, "Cnn: images must have size² = {} columns, got {}", s * s, images.ncols());
        decode("cnn_logits", &call("cnn_logits", Value::List(vec![self.handle.into(), images.to_wire()])))
    }

    /// The predicted class of each image (the largest logit).
    pub fn predict(&self, images: &Array2<f64>) -> Vec<usize> {
        self.logits(images)
            .rows()
            .into_iter()
            .map(|r| (0..r.len()).max_by(|&a, &b| r[a].total_cmp(&r[b])).expect("n_classes >= 2"))
            .collect()
    }

    /// The fraction of images whose predicted class is the label.
    ///
    /// # Panics
    /// If `labels` does not have one entry per image.
    pub fn accuracy(&self, images: &Array2<f64>, labels: &[usize]) -> f64 {
        assert_eq!(labels.len(), images.nrows(), "accuracy: need one label per image, got {} labels for {} images", labels.len(), images.nrows());
        let p = self.predict(images);
        p.iter().zip(labels).filter(|(a, b)| a == b).count() as f64 / labels.len().max(1) as f64
    }

    /// The confusion matrix: entry `[true, predicted]` counts images.
    pub fn confusion(&self, images: &Array2<f64>, labels: &[usize]) -> Array2<f64> {
        let k = self.config.n_classes;
        let mut m = Array2::zeros((k, k));
        for (p, &l) in self.predict(images).iter().zip(labels) {
            m[[l, *p]] += 1.0;
        }
        m
    }

    /// The first layer's 3 × 3 filters, one per channel.
    pub fn filters(&self) -> Vec<Array2<f64>> {
        decode("cnn_filters", &call("cnn_filters", Value::U64(self.handle)))
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.config.n_params()
    }
}

/// Trains a [`CnnConfig`] network on the labelled images (rows of `images` are flattened
/// `size × size` images, `labels` in `0..n_classes`) by minimizing the cross-entropy as `tc`
/// says. Returns the trained network and the report (loss before each step, gradient norms of
/// conv1, conv2 and the linear layer).
///
/// # Panics
/// If the configuration is invalid, the shapes disagree, a label is out of range or `lr <= 0`.
///
/// # Examples
/// ```
/// use course::nn::{train_cnn, CnnConfig, TrainConfig};
/// let data = course::data::shapes::shapes(&mut course::rng::seeded(0), 64, 8, 0.05);
/// let (cnn, report) = train_cnn(&data.images, &data.labels, &CnnConfig::new(8, 4), &TrainConfig::adam(60, 1e-2));
/// assert!(report.losses[59] < 0.5 * report.losses[0]);
/// assert!(cnn.accuracy(&data.images, &data.labels) > 0.7);
/// ```
pub fn train_cnn(images: &Array2<f64>, labels: &[usize], cfg: &CnnConfig, tc: &TrainConfig) -> (Cnn, TrainReport) {
    let labels = Value::U64s(labels.iter().map(|&l| l as u64).collect());
    let out = call("train_cnn", Value::List(vec![images.to_wire(), labels, cfg.to_wire(), tc.to_wire()]));
    let r = out.items(2).expect("[handle, report]");
    (Cnn { handle: r[0].u64().expect("handle"), config: *cfg }, decode("train_cnn", &r[1]))
}

impl Drop for Cnn {
    fn drop(&mut self) {
        call("drop", Value::U64(self.handle));
    }
}

