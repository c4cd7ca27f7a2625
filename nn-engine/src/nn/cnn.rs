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

use super::convert::{norm, values};
use super::training::{Layered, train_loop};
use super::{TrainConfig, TrainReport};
use super::{CnnConfig, Inner, Init, Train};
use crate::rng::seeded;
use burn::module::{AutodiffModule, Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, PaddingConfig2d};
use burn::tensor::backend::{AutodiffBackend, Backend};
use burn::tensor::{Int, Tensor, TensorData, activation};
use ndarray::Array2;

#[derive(Module, Debug)]
pub(crate) struct CnnNet<B: Backend> {
    conv1: Conv2d<B>,
    conv2: Conv2d<B>,
    pool: MaxPool2d,
    fc: Linear<B>,
}

impl<B: Backend> CnnNet<B> {
    fn new(cfg: &CnnConfig, seed: u64, device: &B::Device) -> Self {
        let mut rng = seeded(seed);
        let [c1, c2] = cfg.channels;
        let mut conv = |c_in: usize, c_out: usize| {
            let mut layer = Conv2dConfig::new([c_in, c_out], [3, 3]).with_padding(PaddingConfig2d::Same).init::<B>(device);
            // He initialization from the course's seeded generator (fan-in c_in·3·3).
            let w = Init::He.sample(&mut rng, c_in * 9, c_out);
            let data: Vec<f32> = w.t().iter().map(|&v| v as f32).collect();
            layer.weight = Param::from_tensor(Tensor::from_data(TensorData::new(data, [c_out, c_in, 3, 3]), device));
            layer.bias = Some(Param::from_tensor(Tensor::zeros([c_out], device)));
            layer
        };
        let (conv1, conv2) = (conv(1, c1), conv(c1, c2));
        let flat = c2 * (cfg.size / 4) * (cfg.size / 4);
        let fc = super::convert::linear(&Init::Xavier.sample(&mut rng, flat, cfg.n_classes), device);
        CnnNet { conv1, conv2, pool: MaxPool2dConfig::new([2, 2]).init(), fc }
    }

    /// # Shapes
    /// - input `[batch, 1, size, size]`, output (logits) `[batch, n_classes]`.
    fn forward(&self, x: Tensor<B, 4>) -> Tensor<B, 2> {
        let x = self.pool.forward(activation::relu(self.conv1.forward(x)));
        let x = self.pool.forward(activation::relu(self.conv2.forward(x)));
        let [b, c, h, w] = x.dims();
        self.fc.forward(x.reshape([b, c * h * w]))
    }
}

impl Layered for CnnNet<Train> {
    fn layer_grad_norms(&self, grads: &<Train as AutodiffBackend>::Gradients) -> Vec<f64> {
        let g4 = |p: &Param<Tensor<Train, 4>>| p.val().grad(grads).map_or(0.0, norm);
        vec![g4(&self.conv1.weight), g4(&self.conv2.weight), self.fc.weight.val().grad(grads).map_or(0.0, norm)]
    }
}

fn images<B: Backend>(x: &Array2<f64>, idx: &[usize], size: usize, device: &B::Device) -> Tensor<B, 4> {
    let rows = super::convert::rows::<B>(x, idx, device);
    rows.reshape([idx.len(), 1, size, size])
}

/// A trained small CNN (inference mode).
#[derive(Debug)]
pub struct Cnn {
    net: CnnNet<Inner>,
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
        let idx: Vec<usize> = (0..images.nrows()).collect();
        super::convert::to_array2(self.net.forward(self::images::<Inner>(images, &idx, s, &Default::default())))
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
        let w = values(self.net.conv1.weight.val());
        w.chunks(9).map(|c| Array2::from_shape_vec((3, 3), c.to_vec()).expect("3×3")).collect()
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.net.num_params()
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
    cfg.validate("train_cnn");
    tc.validate("train_cnn");
    let s = cfg.size;
    assert_eq!(images.ncols(), s * s, "train_cnn: images must have size² = {} columns, got {}", s * s, images.ncols());
    assert_eq!(labels.len(), images.nrows(), "train_cnn: need one label per image, got {} labels for {} images", labels.len(), images.nrows());
    if let Some(&l) = labels.iter().find(|&&l| l >= cfg.n_classes) {
        panic!("train_cnn: labels must be < n_classes = {}, got {l}", cfg.n_classes);
    }
    let device = Default::default();
    let net = CnnNet::<Train>::new(cfg, tc.seed, &device);
    let ce = CrossEntropyLossConfig::new().init::<Train>(&device);
    let (net, report) = train_loop(net, tc, images.nrows(), |net: &CnnNet<Train>, batch, _| {
        let y: Vec<i64> = batch.iter().map(|&i| labels[i] as i64).collect();
        let y = Tensor::<Train, 1, Int>::from_data(TensorData::new(y, [batch.len()]), &device);
        ce.forward(net.forward(self::images::<Train>(images, batch, s, &device)), y)
    });
    (Cnn { net: net.valid(), config: *cfg }, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_loss_is_the_cross_entropy_of_the_initial_logits() {
        // Oracle: −mean log softmax(logits)[label], computed in f64 from the untrained
        // network's logits (one SGD step at a tiny lr leaves them unchanged).
        let data = crate::data::shapes::shapes(&mut seeded(1), 12, 8, 0.1);
        let cfg = CnnConfig::new(8, 4);
        let (cnn, r) = train_cnn(&data.images, &data.labels, &cfg, &TrainConfig::sgd(1, 1e-12).with_seed(3));
        let logits = cnn.logits(&data.images);
        let ce: f64 = logits
            .rows()
            .into_iter()
            .zip(&data.labels)
            .map(|(row, &l)| {
                let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
                let lse = m + row.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
                lse - row[l]
            })
            .sum::<f64>()
            / 12.0;
        assert!((r.losses[0] - ce).abs() < 1e-4, "{} vs {ce}", r.losses[0]);
        assert_eq!(cnn.n_params(), cfg.n_params());
        assert_eq!(cnn.filters().len(), 8);
    }

    #[test]
    fn the_convolution_layers_are_translation_equivariant() {
        // Oracle: shifting the input image shifts conv1's output (away from the borders).
        let cfg = CnnConfig::new(8, 4);
        let net = CnnNet::<Inner>::new(&cfg, 0, &Default::default());
        let img = Array2::from_shape_fn((1, 64), |(_, k)| if (k / 8, k % 8) == (3, 2) { 1.0 } else { 0.0 });
        let shifted = Array2::from_shape_fn((1, 64), |(_, k)| if (k / 8, k % 8) == (4, 4) { 1.0 } else { 0.0 });
        let out = |x: &Array2<f64>| values(net.conv1.forward(images::<Inner>(x, &[0], 8, &Default::default())));
        let (a, b) = (out(&img), out(&shifted));
        for c in 0..8 {
            for r in 1..6 {
                for col in 0..4 {
                    let (i, j) = (c * 64 + r * 8 + col, c * 64 + (r + 1) * 8 + col + 2);
                    assert!((a[i] - b[j]).abs() < 1e-6);
                }
            }
        }
    }
}
