//! A small convolutional network for `size × size` grey images:
//! $$\text{conv}_{3\times3}\to\text{ReLU}\to\text{maxpool}_2\to\text{conv}_{3\times3}\to\text{ReLU}
//!   \to\text{maxpool}_2\to\text{linear}\to\text{softmax},$$
//! trained by minimizing the cross-entropy $-\log p_\theta(y\mid x)$. Convolutions ("same"
//! padding) are equivariant to translations; pooling makes the features locally invariant.
//! Each convolution is computed as a matrix product of stacked shifted copies of its input
//! (im2col) with the kernel matrix, and checked against burn's `Conv2d`.
//!
//! ## Reference
//! LeCun, Bottou, Bengio & Haffner (1998), *Gradient-based learning applied to document
//! recognition*; Goodfellow, Bengio & Courville, *Deep Learning* (2016), ch. 9.
//!
//! Used in notebooks/10-architectures.ipynb.

use super::convert::norm;
use super::training::{Layered, TrainConfig, TrainReport, train_loop};
use super::{Inner, Init, Train};
use crate::rng::seeded;
use burn::module::{AutodiffModule, Module, Param};
use burn::nn::Linear;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::ops::PadMode;
use burn::tensor::backend::{AutodiffBackend, Backend};
use burn::tensor::{Int, Tensor, TensorData, activation};
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

    fn validate(&self, who: &str) {
        assert!(self.size >= 4 && self.size % 4 == 0, "{who}: size must be a positive multiple of 4 (two 2×2 poolings), got {}", self.size);
        assert!(self.n_classes >= 2, "{who}: n_classes must be >= 2, got {}", self.n_classes);
        assert!(self.channels.iter().all(|&c| c > 0), "{who}: channels must be > 0, got {:?}", self.channels);
    }
}

/// A 3 × 3 "same" convolution on `[batch, height, width, channels]` tensors, computed as one
/// matrix product: the 3 × 3 neighbourhood of every pixel of the zero-padded input is gathered
/// into a row (im2col) and multiplied by the `[9·c_in, c_out]` weight matrix. This is the
/// structured linear map of the module `conv`, and its backward pass is two more matrix
/// products (burn's ndarray backend differentiates its own convolution much more slowly).
#[derive(Module, Debug)]
pub(crate) struct Conv3x3<B: Backend> {
    /// Row `(3p + q)·c_in + c` holds kernel entry `(p, q)` of input channel `c`.
    weight: Param<Tensor<B, 2>>,
    bias: Param<Tensor<B, 1>>,
}

impl<B: Backend> Conv3x3<B> {
    fn new(c_in: usize, c_out: usize, rng: &mut crate::rng::ChaCha8Rng, device: &B::Device) -> Self {
        // He initialization (fan-in 9·c_in) from the course's seeded generator.
        let w = Init::He.sample(rng, 9 * c_in, c_out);
        Conv3x3 { weight: Param::from_tensor(super::convert::matrix(&w, device)), bias: Param::from_tensor(Tensor::zeros([c_out], device)) }
    }

    /// # Shapes
    /// - input `[batch, h, w, c_in]`, output `[batch, h, w, c_out]`.
    fn forward(&self, x: Tensor<B, 4>) -> Tensor<B, 4> {
        let [b, h, w, c] = x.dims();
        let device = x.device();
        let padded = x.pad([(0, 0), (1, 1), (1, 1), (0, 0)], PadMode::Constant(0.0)).reshape([b, (h + 2) * (w + 2), c]);
        // Patch k of pixel (r, col) is padded pixel (r + k/3, col + k%3): one gather (im2col).
        let idx: Vec<i64> = (0..h * w * 9).map(|j| ((j / 9 / w + j % 9 / 3) * (w + 2) + j / 9 % w + j % 3) as i64).collect();
        let idx = Tensor::<B, 1, Int>::from_data(TensorData::new(idx, [h * w * 9]), &device);
        let patches = padded.select(1, idx).reshape([b * h * w, 9 * c]); // [b·h·w, 9·c_in]
        let out = patches.matmul(self.weight.val()) + self.bias.val().unsqueeze::<2>();
        let c_out = out.dims()[1];
        out.reshape([b, h, w, c_out])
    }

    /// The kernel of output channel `o`, input channel `c`, as a 3 × 3 matrix.
    fn kernel(&self, c: usize, o: usize) -> Array2<f64> {
        let w = super::convert::to_array2(self.weight.val());
        let c_in = w.nrows() / 9;
        Array2::from_shape_fn((3, 3), |(p, q)| w[[(3 * p + q) * c_in + c, o]])
    }
}

/// 2 × 2 max pooling of `[batch, h, w, c]` (h, w even).
fn max_pool<B: Backend>(x: Tensor<B, 4>) -> Tensor<B, 4> {
    let [b, h, w, c] = x.dims();
    x.reshape([b, h / 2, 2, w / 2, 2, c]).max_dim(4).max_dim(2).reshape([b, h / 2, w / 2, c])
}

#[derive(Module, Debug)]
pub(crate) struct CnnNet<B: Backend> {
    conv1: Conv3x3<B>,
    conv2: Conv3x3<B>,
    fc: Linear<B>,
}

impl<B: Backend> CnnNet<B> {
    fn new(cfg: &CnnConfig, seed: u64, device: &B::Device) -> Self {
        let mut rng = seeded(seed);
        let [c1, c2] = cfg.channels;
        let conv1 = Conv3x3::new(1, c1, &mut rng, device);
        let conv2 = Conv3x3::new(c1, c2, &mut rng, device);
        let flat = c2 * (cfg.size / 4) * (cfg.size / 4);
        let fc = super::convert::linear(&Init::Xavier.sample(&mut rng, flat, cfg.n_classes), device);
        CnnNet { conv1, conv2, fc }
    }

    /// # Shapes
    /// - input `[batch, size, size, 1]`, output (logits) `[batch, n_classes]`.
    fn forward(&self, x: Tensor<B, 4>) -> Tensor<B, 2> {
        let x = max_pool(activation::relu(self.conv1.forward(x)));
        let x = max_pool(activation::relu(self.conv2.forward(x)));
        let [b, h, w, c] = x.dims();
        self.fc.forward(x.reshape([b, h * w * c]))
    }
}

impl Layered for CnnNet<Train> {
    fn layer_grad_norms(&self, grads: &<Train as AutodiffBackend>::Gradients) -> Vec<f64> {
        [&self.conv1.weight, &self.conv2.weight, &self.fc.weight].iter().map(|p| p.val().grad(grads).map_or(0.0, norm)).collect()
    }
}

fn images<B: Backend>(x: &Array2<f64>, idx: &[usize], size: usize, device: &B::Device) -> Tensor<B, 4> {
    let rows = super::convert::rows::<B>(x, idx, device);
    rows.reshape([idx.len(), size, size, 1])
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

    /// The first layer's 3 × 3 filters, one per output channel (`[p, q]` multiplies the pixel
    /// `p` rows below and `q` columns right of the window's top-left corner).
    pub fn filters(&self) -> Vec<Array2<f64>> {
        (0..self.config.channels[0]).map(|o| self.net.conv1.kernel(0, o)).collect()
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
    fn im2col_convolution_equals_burns_conv2d() {
        // Oracle: burn's Conv2d layer ("same" padding) with the same kernels and biases.
        use burn::nn::PaddingConfig2d;
        use burn::nn::conv::Conv2dConfig;
        let device = Default::default();
        let conv = Conv3x3::<Inner>::new(3, 5, &mut seeded(4), &device);
        let x = Array2::from_shape_vec((2, 7 * 6 * 3), crate::rng::normal_vec(&mut seeded(5), 2 * 126)).unwrap();
        let xt = super::super::convert::matrix::<Inner>(&x, &device).reshape([2, 7, 6, 3]); // NHWC
        let ours = super::super::convert::values(conv.forward(xt.clone()).permute([0, 3, 1, 2])); // → NCHW
        let mut theirs = Conv2dConfig::new([3, 5], [3, 3]).with_padding(PaddingConfig2d::Same).init::<Inner>(&device);
        let w: Vec<f32> = (0..5).flat_map(|o| (0..3).flat_map(move |c| (0..9).map(move |k| (o, c, k)))).map(|(o, c, k)| conv.kernel(c, o)[[k / 3, k % 3]] as f32).collect();
        theirs.weight = Param::from_tensor(Tensor::from_data(TensorData::new(w, [5, 3, 3, 3]), &device));
        theirs.bias = Some(conv.bias.clone());
        let theirs = super::super::convert::values(theirs.forward(xt.permute([0, 3, 1, 2])));
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(&theirs) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }

    #[test]
    fn max_pool_takes_the_largest_of_each_two_by_two_block() {
        let x = Tensor::<Inner, 4>::from_data(TensorData::new((0..16).map(|v| ((v * 7) % 16) as f32).collect::<Vec<_>>(), [1, 4, 4, 1]), &Default::default());
        let got = super::super::convert::values(max_pool(x));
        // Oracle: the maximum of each 2 × 2 block of the row-major 4 × 4 grid, computed directly.
        let grid: Vec<f64> = (0..16).map(|v| ((v * 7) % 16) as f64).collect();
        let expected: Vec<f64> = [(0, 0), (0, 2), (2, 0), (2, 2)]
            .iter()
            .map(|&(r, c)| [grid[r * 4 + c], grid[r * 4 + c + 1], grid[(r + 1) * 4 + c], grid[(r + 1) * 4 + c + 1]].into_iter().fold(f64::MIN, f64::max))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn the_convolution_layers_are_translation_equivariant() {
        // Oracle: shifting the input image shifts conv1's output (away from the borders).
        let cfg = CnnConfig::new(8, 4);
        let net = CnnNet::<Inner>::new(&cfg, 0, &Default::default());
        let img = Array2::from_shape_fn((1, 64), |(_, k)| if (k / 8, k % 8) == (3, 2) { 1.0 } else { 0.0 });
        let shifted = Array2::from_shape_fn((1, 64), |(_, k)| if (k / 8, k % 8) == (4, 4) { 1.0 } else { 0.0 });
        let out = |x: &Array2<f64>| super::super::convert::values(net.conv1.forward(images::<Inner>(x, &[0], 8, &Default::default())));
        let (a, b) = (out(&img), out(&shifted));
        // NHWC: entry (r, c, ch) at (r·8 + c)·8 + ch.
        for ch in 0..8 {
            for r in 1..6 {
                for col in 0..4 {
                    let (i, j) = ((r * 8 + col) * 8 + ch, ((r + 1) * 8 + col + 2) * 8 + ch);
                    assert!((a[i] - b[j]).abs() < 1e-6);
                }
            }
        }
    }
}
