//! Conversions between the notebooks' plain data (`f64`, ndarray) and burn tensors (`f32`).

use super::Inner;
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData};
use ndarray::{Array2, ArrayBase, Data, Dimension};

/// An array's entries in `f32`, in row-major order (the fused trainers' input).
pub(crate) fn f32_rows<S: Data<Elem = f64>, D: Dimension>(a: &ArrayBase<S, D>) -> Vec<f32> {
    a.iter().map(|&v| v as f32).collect()
}

/// Rows `idx` of the row-major `? × d` matrix `src`, into `out` (a minibatch).
pub(crate) fn gather(src: &[f32], d: usize, idx: &[usize], out: &mut Vec<f32>) {
    out.clear();
    for &i in idx {
        out.extend_from_slice(&src[i * d..(i + 1) * d]);
    }
}

/// An `n × d` matrix as a burn tensor `[n, d]` in `f32`.
pub(crate) fn matrix<B: Backend>(a: &Array2<f64>, device: &B::Device) -> Tensor<B, 2> {
    Tensor::from_data(TensorData::new(f32_rows(a), [a.nrows(), a.ncols()]), device)
}

/// Selected rows of a matrix as a burn tensor `[idx.len(), d]`.
pub(crate) fn rows<B: Backend>(a: &Array2<f64>, idx: &[usize], device: &B::Device) -> Tensor<B, 2> {
    let d = a.ncols();
    let mut data = Vec::with_capacity(idx.len() * d);
    for &i in idx {
        data.extend(a.row(i).iter().map(|&v| v as f32));
    }
    Tensor::from_data(TensorData::new(data, [idx.len(), d]), device)
}

/// Any tensor's entries as `f64`, in row-major order.
pub(crate) fn values<B: Backend, const D: usize>(t: Tensor<B, D>) -> Vec<f64> {
    t.into_data().convert::<f32>().to_vec::<f32>().expect("f32 tensor").into_iter().map(f64::from).collect()
}

/// A 2-D tensor as an ndarray matrix.
pub(crate) fn to_array2<B: Backend>(t: Tensor<B, 2>) -> Array2<f64> {
    let [n, d] = t.dims();
    Array2::from_shape_vec((n, d), values(t)).expect("shape of a 2-D tensor")
}

/// The Frobenius norm $\lVert t\rVert = (\sum t_i^2)^{1/2}$, accumulated in `f64`.
pub(crate) fn norm<const D: usize>(t: Tensor<Inner, D>) -> f64 {
    values(t).iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// A `Linear` layer with the given `fan_in × fan_out` weights and zero bias.
pub(crate) fn linear<B: Backend>(w: &Array2<f64>, device: &B::Device) -> burn::nn::Linear<B> {
    use burn::module::Param;
    burn::nn::Linear {
        weight: Param::from_tensor(matrix(w, device)),
        bias: Some(Param::from_tensor(Tensor::zeros([w.ncols()], device))),
    }
}
