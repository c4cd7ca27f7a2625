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

use super::codec::{Wire, decode};
use super::engine::call;
use super::wire::Value;
use ndarray::Array2;

/// Length of a valid 1-D convolution's output: $\lfloor (n-K)/s\rfloor + 1$.
///
/// # Panics
/// If the kernel is longer than the input or `stride == 0`.
///
/// # Examples
/// ```
/// assert_eq!(course::nn::conv_output_len(10, 3, 1), 8);
/// assert_eq!(course::nn::conv_output_len(10, 3, 2), 4);
/// ```
pub fn conv_output_len(n: usize, kernel_len: usize, stride: usize) -> usize {
    assert!(stride > 0, "conv_output_len: stride must be > 0, got 0");
    assert!(
        kernel_len > 0 && kernel_len <= n,
        "conv_output_len: the kernel length must be in 1..={n} (the input length), got {kernel_len}"
    );
    (n - kernel_len) / stride + 1
}

/// The Toeplitz matrix $T$ of a valid 1-D cross-correlation with `kernel` and `stride` on
/// inputs of length `n`: `conv_output_len(n, K, stride) × n`, $T_{i, si+j} = k_j$.
///
/// # Panics
/// As [`conv_output_len`].
///
/// # Examples
/// ```
/// let t = course::nn::conv1d_matrix(&[1.0, 2.0], 3, 1);
/// assert_eq!(t, ndarray::array![[1.0, 2.0, 0.0], [0.0, 1.0, 2.0]]);
/// ```
pub fn conv1d_matrix(kernel: &[f64], n: usize, stride: usize) -> Array2<f64> {
    let m = conv_output_len(n, kernel.len(), stride);
    let mut t = Array2::zeros((m, n));
    for i in 0..m {
        for (j, &k) in kernel.iter().enumerate() {
            t[[i, stride * i + j]] = k;
        }
    }
    t
}

/// The doubly block Toeplitz matrix of a valid 2-D cross-correlation (stride 1) with `kernel`
/// on `h × w` images flattened row by row: `(h − kh + 1)(w − kw + 1) × hw`.
///
/// # Panics
/// If the kernel is larger than the image in either direction, or empty.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let t = course::nn::conv2d_matrix(&array![[1.0, 2.0], [3.0, 4.0]], 2, 3);
/// // Two outputs; the first sees pixels (0,0), (0,1), (1,0), (1,1) = flat 0, 1, 3, 4.
/// assert_eq!(t.row(0).to_vec(), vec![1.0, 2.0, 0.0, 3.0, 4.0, 0.0]);
/// assert_eq!(t.row(1).to_vec(), vec![0.0, 1.0, 2.0, 0.0, 3.0, 4.0]);
/// ```
pub fn conv2d_matrix(kernel: &Array2<f64>, h: usize, w: usize) -> Array2<f64> {
    let (kh, kw) = kernel.dim();
    let (oh, ow) = (conv_output_len(h, kh, 1), conv_output_len(w, kw, 1));
    let mut t = Array2::zeros((oh * ow, h * w));
    for a in 0..oh {
        for b in 0..ow {
            for p in 0..kh {
                for q in 0..kw {
                    t[[a * ow + b, (a + p) * w + (b + q)]] = kernel[[p, q]];
                }
            }
        }
    }
    t
}

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
    let out = call("conv1d_burn", Value::List(vec![Value::F64s(x.to_vec()), Value::F64s(kernel.to_vec()), stride.into()]));
    out.f64s().expect("values").to_vec()
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
    decode("conv2d_burn", &call("conv2d_burn", Value::List(vec![image.to_wire(), kernel.to_wire()])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};

    #[test]
    fn toeplitz_1d_equals_the_direct_sum_and_burn() {
        // Oracles: the defining sum y_i = Σ_j k_j x_{si+j}, and burn's Conv1d layer (f32).
        let mut rng = seeded(1);
        let x = normal_vec(&mut rng, 23);
        let k = normal_vec(&mut rng, 4);
        for stride in [1, 2, 3] {
            let y = conv1d_matrix(&k, x.len(), stride).dot(&ndarray::Array1::from(x.clone()));
            let direct: Vec<f64> = (0..y.len()).map(|i| (0..4).map(|j| k[j] * x[stride * i + j]).sum()).collect();
            let burn = conv1d_burn(&x, &k, stride);
            for i in 0..y.len() {
                assert!((y[i] - direct[i]).abs() < 1e-12);
                assert!((y[i] - burn[i]).abs() < 1e-5, "stride {stride}, i {i}: {} vs {}", y[i], burn[i]);
            }
        }
    }

    #[test]
    fn doubly_block_toeplitz_equals_the_direct_sum_and_burn() {
        let mut rng = seeded(2);
        let img = Array2::from_shape_vec((7, 9), normal_vec(&mut rng, 63)).unwrap();
        let k = Array2::from_shape_vec((3, 2), normal_vec(&mut rng, 6)).unwrap();
        let flat = ndarray::Array1::from(img.iter().copied().collect::<Vec<_>>());
        let y = conv2d_matrix(&k, 7, 9).dot(&flat);
        let burn = conv2d_burn(&img, &k);
        assert_eq!(burn.dim(), (5, 8));
        for a in 0..5 {
            for b in 0..8 {
                let direct: f64 = (0..3).flat_map(|p| (0..2).map(move |q| (p, q))).map(|(p, q)| k[[p, q]] * img[[a + p, b + q]]).sum();
                assert!((y[a * 8 + b] - direct).abs() < 1e-12);
                assert!((burn[[a, b]] - direct).abs() < 1e-5);
            }
        }
        // Weight sharing: only kh·kw distinct nonzero values in the whole matrix.
        let t = conv2d_matrix(&k, 7, 9);
        assert_eq!(t.iter().filter(|&&v| v != 0.0).count(), 40 * 6);
    }

    #[test]
    #[should_panic(expected = "kernel length must be in 1..=3")]
    fn kernel_longer_than_input_is_rejected() {
        conv1d_matrix(&[1.0; 4], 3, 1);
    }
}
