//! Convolution is a structured linear map: a Toeplitz matrix in 1-D, a doubly block Toeplitz
//! matrix in 2-D.
//!
//! Deep-learning "convolution" is cross-correlation. In 1-D, with kernel $k_0,\dots,k_{K-1}$
//! and stride $s$,
//! $$y_i = \sum_{j=0}^{K-1} k_j\,x_{si+j},\qquad y = Tx,\quad T_{i,\,si+j} = k_j,$$
//! a matrix with $K$ nonzero entries per row, constant along (shifted) diagonals. In 2-D, with an
//! $h\times w$ image flattened row by row and a $k_h\times k_w$ kernel,
//! $$Y_{ab} = \sum_{p,q} K_{pq}\,X_{a+p,\,b+q},\qquad \operatorname{vec}Y = T\operatorname{vec}X,$$
//! where $T$ is block Toeplitz (block $(a, a+p)$ is the 1-D Toeplitz matrix of kernel row $p$).
//! A dense layer from $\mathbb R^{hw}$ to $\mathbb R^{h'w'}$ has $hw\cdot h'w'$ free weights; the
//! convolution ties them to $k_hk_w$: weight sharing and locality.
//!
//! ## Reference
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), §9.1–9.2; Dumoulin & Visin (2016),
//! *A guide to convolution arithmetic for deep learning*.
//!
//! Used in notebooks/10-architectures.ipynb.

use super::Inner;
use super::convert::{to_array2, values};
use burn::module::Param;
use burn::nn::PaddingConfig1d;
use burn::nn::conv::{Conv1dConfig, Conv2dConfig};
use burn::tensor::{Tensor, TensorData};
use course::nn::conv_output_len;
use ndarray::Array2;

/// burn's `Conv1d` layer (one channel in and out, no bias, no padding) with weights `kernel`
/// and `stride`, applied to the signal `x`, in `f32`.
///
/// # Panics
/// As [`conv_output_len`].
///
/// # Examples
/// ```
/// let y = course::nn::conv1d_burn(&[1.0, 2.0, 3.0, 4.0], &[1.0, -1.0], 1);
/// assert_eq!(y, vec![-1.0, -1.0, -1.0]);
/// ```
pub fn conv1d_burn(x: &[f64], kernel: &[f64], stride: usize) -> Vec<f64> {
    conv_output_len(x.len(), kernel.len(), stride);
    let device = Default::default();
    let mut conv = Conv1dConfig::new(1, 1, kernel.len())
        .with_stride(stride)
        .with_padding(PaddingConfig1d::Valid)
        .with_bias(false)
        .init::<Inner>(&device);
    conv.weight = Param::from_tensor(tensor3(kernel, [1, 1, kernel.len()]));
    values(conv.forward(tensor3(x, [1, 1, x.len()])))
}

/// burn's `Conv2d` layer (one channel in and out, no bias, valid padding) with weights
/// `kernel`, applied to `image`, in `f32`.
///
/// # Panics
/// If the kernel is larger than the image.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let y = course::nn::conv2d_burn(&array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], &array![[1.0], [-1.0]]);
/// assert_eq!(y, array![[-3.0, -3.0, -3.0]]);
/// ```
pub fn conv2d_burn(image: &Array2<f64>, kernel: &Array2<f64>) -> Array2<f64> {
    let ((h, w), (kh, kw)) = (image.dim(), kernel.dim());
    let (oh, ow) = (conv_output_len(h, kh, 1), conv_output_len(w, kw, 1));
    let device = Default::default();
    let mut conv = Conv2dConfig::new([1, 1], [kh, kw]).with_bias(false).init::<Inner>(&device);
    conv.weight = Param::from_tensor(tensor4(kernel.iter().copied().collect(), [1, 1, kh, kw]));
    let y = conv.forward(tensor4(image.iter().copied().collect(), [1, 1, h, w]));
    to_array2(y.reshape([oh, ow]))
}

fn tensor3(v: &[f64], shape: [usize; 3]) -> Tensor<Inner, 3> {
    let data: Vec<f32> = v.iter().map(|&a| a as f32).collect();
    Tensor::from_data(TensorData::new(data, shape), &Default::default())
}

fn tensor4(v: Vec<f64>, shape: [usize; 4]) -> Tensor<Inner, 4> {
    let data: Vec<f32> = v.into_iter().map(|a| a as f32).collect();
    Tensor::from_data(TensorData::new(data, shape), &Default::default())
}

// Tested end to end through the course crate (support-crate/src/nn/conv.rs): burn's layers
// against the Toeplitz matrices and the defining sums.
