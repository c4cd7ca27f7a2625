//! A small convolutional network for `size × size` grey images:
//! $$\text{conv}_{3\times3}\to\text{ReLU}\to\text{maxpool}_2\to\text{conv}_{3\times3}\to\text{ReLU}
//!   \to\text{maxpool}_2\to\text{linear}\to\text{softmax},$$
//! trained by minimizing the cross-entropy $-\log p_\theta(y\mid x)$. Convolutions ("same"
//! padding) are equivariant to translations; pooling makes the features locally invariant.
//! Each convolution is computed as a matrix product of stacked shifted copies of its input
//! (im2col) with the kernel matrix, and checked against burn's `Conv2d`.
//!
//! Training runs in `f32` passes written out here (im2col and `sgemm`, ReLU, pooling with the
//! position of each maximum kept for the backward pass, softmax cross-entropy), with the same
//! initialization and the same steps as the burn network it replaced; that network (below,
//! compiled for the tests) is the oracle of its gradients. Through burn's autodiff a step of
//! the notebook's network took 16.5 ms against PyTorch's 1.9 ms (`make bench`): gathers,
//! reshapes and pooling each allocate and record on the tape, for about 10⁶ multiply–adds.
//!
//! ## Reference
//! LeCun, Bottou, Bengio & Haffner (1998), *Gradient-based learning applied to document
//! recognition*; Goodfellow, Bengio & Courville, *Deep Learning* (2016), ch. 9.
//!
//! Used in notebooks/10-architectures.ipynb.

use super::convert::{f32_rows, gather};
use super::dense::{gemm, linear_forward, linear_grads};
use super::training::fused_loop;
use super::{CnnConfig, Init, TrainConfig, TrainReport};
use crate::rng::seeded;
use ndarray::Array2;
#[cfg(test)]
use {
    super::{Inner, Train},
    burn::module::{Module, Param},
    burn::nn::Linear,
    burn::tensor::backend::Backend,
    burn::tensor::ops::PadMode,
    burn::tensor::{Int, Tensor, TensorData, activation},
};

/// (burn, the tests' oracle) A 3 × 3 "same" convolution on `[batch, height, width, channels]`
/// tensors, computed as one matrix product: the 3 × 3 neighbourhood of every pixel of the zero-padded input is gathered
/// into a row (im2col) and multiplied by the `[9·c_in, c_out]` weight matrix. This is the
/// structured linear map of the module `conv`, and its backward pass is two more matrix
/// products (burn's ndarray backend differentiates its own convolution much more slowly).
#[cfg(test)]
#[derive(Module, Debug)]
pub(crate) struct Conv3x3<B: Backend> {
    /// Row `(3p + q)·c_in + c` holds kernel entry `(p, q)` of input channel `c`.
    weight: Param<Tensor<B, 2>>,
    bias: Param<Tensor<B, 1>>,
}

#[cfg(test)]
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

#[cfg(test)]
/// 2 × 2 max pooling of `[batch, h, w, c]` (h, w even).
fn max_pool<B: Backend>(x: Tensor<B, 4>) -> Tensor<B, 4> {
    let [b, h, w, c] = x.dims();
    x.reshape([b, h / 2, 2, w / 2, 2, c]).max_dim(4).max_dim(2).reshape([b, h / 2, w / 2, c])
}

#[cfg(test)]
#[derive(Module, Debug)]
pub(crate) struct CnnNet<B: Backend> {
    conv1: Conv3x3<B>,
    conv2: Conv3x3<B>,
    fc: Linear<B>,
}

#[cfg(test)]
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

#[cfg(test)]
fn images<B: Backend>(x: &Array2<f64>, idx: &[usize], size: usize, device: &B::Device) -> Tensor<B, 4> {
    let rows = super::convert::rows::<B>(x, idx, device);
    rows.reshape([idx.len(), size, size, 1])
}

/// The parameters of a [`CnnConfig`] network in one buffer: conv1 (`[9, c1]` then bias), conv2
/// (`[9·c1, c2]`, bias), the linear layer (`[flat, n_classes]`, bias); row `(3p + q)·c_in + c`
/// of a kernel matrix holds kernel entry `(p, q)` of input channel `c`.
#[derive(Clone, Debug)]
struct CnnParams {
    cfg: CnnConfig,
    theta: Vec<f32>,
}

/// The activations a backward pass needs.
#[derive(Default)]
struct CnnTape {
    b: usize,
    /// im2col of the input and of the first pooled map.
    patches: [Vec<f32>; 2],
    /// ReLU outputs of the two convolutions, NHWC.
    relu: [Vec<f32>; 2],
    /// For each pooled value, the index of its maximum in `relu`.
    arg: [Vec<u32>; 2],
    /// The flattened second pooled map `[b, flat]`, then the logits `[b, n_classes]`.
    flat: Vec<f32>,
    logits: Vec<f32>,
}

impl CnnParams {
    /// The layout: `(offset, rows, cols)` of each weight matrix; its bias follows it.
    fn layout(cfg: &CnnConfig) -> [(usize, usize, usize); 3] {
        let [c1, c2] = cfg.channels;
        let flat = c2 * (cfg.size / 4) * (cfg.size / 4);
        let o2 = 9 * c1 + c1;
        let o3 = o2 + 9 * c1 * c2 + c2;
        [(0, 9, c1), (o2, 9 * c1, c2), (o3, flat, cfg.n_classes)]
    }

    /// He kernels, a Xavier linear layer and zero biases, drawn from `seed` in that order.
    fn new(cfg: &CnnConfig, seed: u64) -> CnnParams {
        let mut rng = seeded(seed);
        let mut theta = Vec::with_capacity(cfg.n_params());
        for (l, (_, rows, cols)) in Self::layout(cfg).into_iter().enumerate() {
            let init = if l < 2 { Init::He } else { Init::Xavier };
            theta.extend(init.sample(&mut rng, rows, cols).iter().map(|&v| v as f32));
            theta.extend(std::iter::repeat_n(0.0, cols));
        }
        CnnParams { cfg: *cfg, theta }
    }

    fn weights(&self, l: usize) -> (&[f32], &[f32]) {
        let (o, r, c) = Self::layout(&self.cfg)[l];
        (&self.theta[o..o + r * c], &self.theta[o + r * c..o + r * c + c])
    }

    /// The forward pass on `b` images (`b × size²`, row-major); logits in `tape.logits`.
    fn forward(&self, x: &[f32], b: usize, tape: &mut CnnTape) {
        let s = self.cfg.size;
        let [c1, c2] = self.cfg.channels;
        tape.b = b;
        let (w1, b1) = self.weights(0);
        conv_relu(x, b, s, 1, w1, b1, &mut tape.patches[0], &mut tape.relu[0]);
        let mut pooled = Vec::new();
        max_pool_f32(&tape.relu[0], b, s, c1, &mut pooled, &mut tape.arg[0]);
        let (w2, b2) = self.weights(1);
        conv_relu(&pooled, b, s / 2, c1, w2, b2, &mut tape.patches[1], &mut tape.relu[1]);
        max_pool_f32(&tape.relu[1], b, s / 2, c2, &mut tape.flat, &mut tape.arg[1]);
        let (wf, bf) = self.weights(2);
        linear_forward(&tape.flat, b, wf, bf, &mut tape.logits);
    }

    /// The mean cross-entropy of the last forward pass against `labels`, and its gradient in
    /// the parameters (`grad`, same layout).
    fn backward(&self, tape: &CnnTape, labels: &[usize], grad: &mut [f32]) -> f64 {
        let (s, b, k) = (self.cfg.size, tape.b, self.cfg.n_classes);
        let [c1, c2] = self.cfg.channels;
        // ∂/∂logits of −(1/b) Σ log softmax(ℓ)_y = (softmax(ℓ) − e_y)/b.
        let mut dl = vec![0.0f32; b * k];
        let mut loss = 0.0f64;
        for ((row, d), &y) in tape.logits.chunks_exact(k).zip(dl.chunks_exact_mut(k)).zip(labels) {
            let m = row.iter().fold(f32::NEG_INFINITY, |a, &v| a.max(v));
            let z: f64 = row.iter().map(|&v| f64::from(v - m).exp()).sum();
            loss += z.ln() + f64::from(m) - f64::from(row[y]);
            for (j, (dj, &v)) in d.iter_mut().zip(row).enumerate() {
                *dj = ((f64::from(v - m).exp() / z - if j == y { 1.0 } else { 0.0 }) / b as f64) as f32;
            }
        }
        let layout = Self::layout(&self.cfg);
        let (wf, _) = self.weights(2);
        let flat = wf.len() / k;
        // Linear layer: ∇W = flatᵀ Δ, ∇b = Δᵀ1, ∂flat = Δ Wᵀ.
        let (of, _, _) = layout[2];
        let (gw, gb) = grad[of..of + flat * k + k].split_at_mut(flat * k);
        linear_grads(&tape.flat, &dl, b, flat, k, gw, gb);
        let mut dflat = vec![0.0f32; b * flat];
        unsafe { gemm(b, k, flat, dl.as_ptr(), (k as isize, 1), wf.as_ptr(), (1, k as isize), 0.0, dflat.as_mut_ptr(), flat as isize) };
        // Second block: unpool, ReLU mask, convolution gradients, ∂ of its input (col2im).
        let dz2 = unpool_relu(&dflat, &tape.arg[1], &tape.relu[1]);
        let (o2, r2, _) = layout[1];
        let (gw, gb) = grad[o2..o2 + r2 * c2 + c2].split_at_mut(r2 * c2);
        let rows2 = b * (s / 2) * (s / 2);
        linear_grads(&tape.patches[1], &dz2, rows2, r2, c2, gw, gb);
        let (w2, _) = self.weights(1);
        let mut dpatch = vec![0.0f32; rows2 * r2];
        unsafe { gemm(rows2, c2, r2, dz2.as_ptr(), (c2 as isize, 1), w2.as_ptr(), (1, c2 as isize), 0.0, dpatch.as_mut_ptr(), r2 as isize) };
        let dpool1 = col2im(&dpatch, b, s / 2, c1);
        // First block.
        let dz1 = unpool_relu(&dpool1, &tape.arg[0], &tape.relu[0]);
        let (o1, r1, _) = layout[0];
        let (gw, gb) = grad[o1..o1 + r1 * c1 + c1].split_at_mut(r1 * c1);
        linear_grads(&tape.patches[0], &dz1, b * s * s, r1, c1, gw, gb);
        loss / b as f64
    }
}

/// A 3 × 3 "same" convolution of `b` NHWC maps `h × h × c_in`, plus bias, ReLU: the patches
/// (im2col, `[b·h·h, 9·c_in]`) into `patches`, the result (`[b·h·h, c_out]`) into `out`.
#[allow(clippy::too_many_arguments)]
fn conv_relu(x: &[f32], b: usize, h: usize, c_in: usize, w: &[f32], bias: &[f32], patches: &mut Vec<f32>, out: &mut Vec<f32>) {
    let (k, c_out) = (9 * c_in, bias.len());
    patches.clear();
    patches.resize(b * h * h * k, 0.0);
    for n in 0..b {
        for r in 0..h {
            for c in 0..h {
                let row = &mut patches[((n * h + r) * h + c) * k..][..k];
                for p in 0..3 {
                    for q in 0..3 {
                        let (rr, cc) = ((r + p).wrapping_sub(1), (c + q).wrapping_sub(1));
                        if rr < h && cc < h {
                            let src = &x[((n * h + rr) * h + cc) * c_in..][..c_in];
                            row[(3 * p + q) * c_in..][..c_in].copy_from_slice(src);
                        }
                    }
                }
            }
        }
    }
    let rows = b * h * h;
    out.resize(rows * c_out, 0.0);
    unsafe { gemm(rows, k, c_out, patches.as_ptr(), (k as isize, 1), w.as_ptr(), (c_out as isize, 1), 0.0, out.as_mut_ptr(), c_out as isize) };
    out.chunks_exact_mut(c_out).for_each(|r| r.iter_mut().zip(bias).for_each(|(v, c)| *v = (*v + c).max(0.0)));
}

/// 2 × 2 max pooling of `b` NHWC maps `h × h × c` into `out`, with the index of each maximum
/// (the first of equal values) in `arg`.
fn max_pool_f32(x: &[f32], b: usize, h: usize, c: usize, out: &mut Vec<f32>, arg: &mut Vec<u32>) {
    let g = h / 2;
    out.clear();
    arg.clear();
    for n in 0..b {
        for r in 0..g {
            for col in 0..g {
                for ch in 0..c {
                    let at = |dr: usize, dc: usize| ((n * h + 2 * r + dr) * h + 2 * col + dc) * c + ch;
                    let mut best = at(0, 0);
                    for i in [at(0, 1), at(1, 0), at(1, 1)] {
                        if x[i] > x[best] {
                            best = i;
                        }
                    }
                    out.push(x[best]);
                    arg.push(best as u32);
                }
            }
        }
    }
}

/// The gradient of a ReLU-then-pool block's pre-activation: each pooled gradient goes to its
/// maximum, where the ReLU was active.
fn unpool_relu(d_pooled: &[f32], arg: &[u32], relu: &[f32]) -> Vec<f32> {
    let mut dz = vec![0.0f32; relu.len()];
    for (&g, &i) in d_pooled.iter().zip(arg) {
        if relu[i as usize] > 0.0 {
            dz[i as usize] += g;
        }
    }
    dz
}

/// The adjoint of im2col: patch gradients (`[b·h·h, 9·c]`) summed back onto the NHWC maps.
fn col2im(dpatch: &[f32], b: usize, h: usize, c: usize) -> Vec<f32> {
    let k = 9 * c;
    let mut dx = vec![0.0f32; b * h * h * c];
    for n in 0..b {
        for r in 0..h {
            for col in 0..h {
                let row = &dpatch[((n * h + r) * h + col) * k..][..k];
                for p in 0..3 {
                    for q in 0..3 {
                        let (rr, cc) = ((r + p).wrapping_sub(1), (col + q).wrapping_sub(1));
                        if rr < h && cc < h {
                            let dst = &mut dx[((n * h + rr) * h + cc) * c..][..c];
                            dst.iter_mut().zip(&row[(3 * p + q) * c..][..c]).for_each(|(d, v)| *d += v);
                        }
                    }
                }
            }
        }
    }
    dx
}

/// A trained small CNN (inference mode).
#[derive(Debug)]
pub struct Cnn {
    params: CnnParams,
}

impl Cnn {
    /// The class scores (logits), one row per image (rows of `images` are flattened
    /// `size × size` images).
    ///
    /// # Panics
    /// If `images` does not have `size²` columns.
    pub fn logits(&self, images: &Array2<f64>) -> Array2<f64> {
        let s = self.params.cfg.size;
        assert_eq!(images.ncols(), s * s, "Cnn: images must have size² = {} columns, got {}", s * s, images.ncols());
        let mut tape = CnnTape::default();
        self.params.forward(&f32_rows(images), images.nrows(), &mut tape);
        let k = self.params.cfg.n_classes;
        Array2::from_shape_fn((images.nrows(), k), |(i, j)| f64::from(tape.logits[i * k + j]))
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
        let k = self.params.cfg.n_classes;
        let mut m = Array2::zeros((k, k));
        for (p, &l) in self.predict(images).iter().zip(labels) {
            m[[l, *p]] += 1.0;
        }
        m
    }

    /// The first layer's 3 × 3 filters, one per output channel (`[p, q]` multiplies the pixel
    /// `p` rows below and `q` columns right of the window's top-left corner).
    pub fn filters(&self) -> Vec<Array2<f64>> {
        let (w, _) = self.params.weights(0);
        let c1 = self.params.cfg.channels[0];
        (0..c1).map(|o| Array2::from_shape_fn((3, 3), |(p, q)| f64::from(w[(3 * p + q) * c1 + o]))).collect()
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.params.theta.len()
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
    let mut params = CnnParams::new(cfg, tc.seed);
    let xf = f32_rows(images);
    let weights: Vec<std::ops::Range<usize>> = CnnParams::layout(cfg).iter().map(|&(o, r, c)| o..o + r * c).collect();
    let (mut tape, mut xb, mut yb) = (CnnTape::default(), Vec::new(), Vec::new());
    let report = fused_loop(&mut params, |p| &mut p.theta, &weights, tc, images.nrows(), |p, batch, grad| {
        gather(&xf, s * s, batch, &mut xb);
        yb.clear();
        yb.extend(batch.iter().map(|&i| labels[i]));
        p.forward(&xb, batch.len(), &mut tape);
        p.backward(&tape, &yb, grad)
    });
    (Cnn { params }, report)
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
    fn fused_logits_loss_and_gradients_are_burns() {
        // Oracle: the burn network with the same initialization (same seed, same draws),
        // differentiated by burn's autodiff; the loss is burn's cross-entropy.
        use burn::nn::loss::CrossEntropyLossConfig;
        let data = crate::data::shapes::shapes(&mut seeded(2), 10, 8, 0.1);
        let cfg = CnnConfig::new(8, 4).with_channels([3, 5]);
        let device = Default::default();
        let net = CnnNet::<Train>::new(&cfg, 7, &device);
        let idx: Vec<usize> = (0..10).collect();
        let y = Tensor::<Train, 1, Int>::from_data(TensorData::new(data.labels.iter().map(|&l| l as i64).collect::<Vec<_>>(), [10]), &device);
        let loss = CrossEntropyLossConfig::new().init::<Train>(&device).forward(net.forward(images::<Train>(&data.images, &idx, 8, &device)), y);
        let burn_loss = f64::from(loss.clone().into_scalar());
        let g = loss.backward();
        let burn_grads: Vec<Vec<f64>> = [&net.conv1.weight, &net.conv2.weight, &net.fc.weight]
            .iter()
            .map(|p| super::super::convert::values(p.val().grad(&g).expect("gradient")))
            .collect();
        let burn_bias: Vec<f64> = super::super::convert::values(net.conv2.bias.val().grad(&g).expect("gradient"));
        let params = CnnParams::new(&cfg, 7);
        let mut tape = CnnTape::default();
        let x: Vec<f32> = data.images.iter().map(|&v| v as f32).collect();
        params.forward(&x, 10, &mut tape);
        let mut grad = vec![0.0f32; params.theta.len()];
        let ours = params.backward(&tape, &data.labels, &mut grad);
        assert!((ours - burn_loss).abs() < 1e-5 * (1.0 + burn_loss), "loss {ours} vs burn {burn_loss}");
        for (l, (o, r, c)) in CnnParams::layout(&cfg).into_iter().enumerate() {
            let scale = burn_grads[l].iter().fold(0.0f64, |a, v| a.max(v.abs()));
            for (i, (a, b)) in grad[o..o + r * c].iter().zip(&burn_grads[l]).enumerate() {
                assert!((f64::from(*a) - b).abs() <= 1e-4 * scale, "layer {l} weight {i}: {a} vs burn {b}");
            }
            if l == 1 {
                for (a, b) in grad[o + r * c..o + r * c + c].iter().zip(&burn_bias) {
                    assert!((f64::from(*a) - b).abs() <= 1e-4 * scale.max(1e-3), "conv2 bias: {a} vs burn {b}");
                }
            }
        }
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
        let x: Vec<f32> = (0..16).map(|v| ((v * 7) % 16) as f32).collect();
        let (mut pooled, mut arg) = (Vec::new(), Vec::new());
        max_pool_f32(&x, 1, 4, 1, &mut pooled, &mut arg);
        let got: Vec<f64> = pooled.iter().map(|&v| f64::from(v)).collect();
        assert!(arg.iter().zip(&pooled).all(|(&i, &v)| x[i as usize] == v));
        // burn's pooling agrees.
        let xt = Tensor::<Inner, 4>::from_data(TensorData::new(x.clone(), [1, 4, 4, 1]), &Default::default());
        assert_eq!(super::super::convert::values(max_pool(xt)), got);
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
        // Oracle: shifting the input image shifts conv1's output (ReLU included; away from the borders).
        let cfg = CnnConfig::new(8, 4);
        let params = CnnParams::new(&cfg, 0);
        let (w1, b1) = params.weights(0);
        let img = Array2::from_shape_fn((1, 64), |(_, k)| if (k / 8, k % 8) == (3, 2) { 1.0 } else { 0.0 });
        let shifted = Array2::from_shape_fn((1, 64), |(_, k)| if (k / 8, k % 8) == (4, 4) { 1.0 } else { 0.0 });
        let out = |x: &Array2<f64>| {
            let xs: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            let (mut patches, mut o) = (Vec::new(), Vec::new());
            conv_relu(&xs, 1, 8, 1, w1, b1, &mut patches, &mut o);
            o.into_iter().map(f64::from).collect::<Vec<f64>>()
        };
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
