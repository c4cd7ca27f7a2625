//! A residual network is the forward Euler scheme of an ODE.
//!
//! $L$ residual blocks with step $h = T/L$ and shared weights,
//! $$x_{k+1} = x_k + h\,\tanh(x_kW + b),\qquad k = 0,\dots,L-1,$$
//! are exactly forward Euler for $\dot x = f(x) = \tanh(xW+b)$ on $[0, T]$. Euler's global error is
//! $O(h)$: as the network gets deeper the output converges to the flow $\varphi_T(x_0)$ of the
//! ODE, with error $\approx C/L$. (A network whose blocks have their own weights $W_k$ is Euler for a
//! time-dependent field $f(t, x)$; the "neural ODE" takes this limit as the model.)
//!
//! ## Reference
//! He, Zhang, Ren & Sun (2016), *Deep residual learning for image recognition*; E (2017), *A
//! proposal on machine learning via dynamical systems*; Haber & Ruthotto (2017), *Stable
//! architectures for deep neural networks*; Chen, Rubanova, Bettencourt & Duvenaud (2018),
//! *Neural ordinary differential equations*.
//!
//! Used in notebooks/10-architectures.ipynb (and see notebooks/07-odes-and-dynamical-systems.ipynb).

use super::Inner;
use super::convert::{linear, matrix, to_array2};
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::backend::Backend;
use burn::tensor::{Tensor, TensorData, activation};
use ndarray::Array2;

/// One residual block $x \mapsto x + h\tanh(xW + b)$.
#[derive(Module, Debug)]
pub(crate) struct ResidualBlock<B: Backend> {
    linear: Linear<B>,
    step: f64,
}

impl<B: Backend> ResidualBlock<B> {
    /// # Shapes
    /// - input `[batch, dim]`, output `[batch, dim]`.
    pub(crate) fn forward(&self, x: Tensor<B, 2>) -> Tensor<B, 2> {
        x.clone() + activation::tanh(self.linear.forward(x)).mul_scalar(self.step)
    }
}

/// The output of a ResNet of `n_layers` blocks $x\mapsto x + h\tanh(xW+b)$, $h$ = `t_end / n_layers`,
/// all sharing `w` (`dim × dim`) and `b`, applied to each row of `x0` (burn, `f32`).
///
/// # Panics
/// If the shapes disagree, `n_layers == 0` or `t_end` is not finite and > 0.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // f(x) = tanh(0·x + b): constant speed tanh(b), so x(T) = x0 + T tanh(b) at any depth.
/// let y = course::nn::resnet_flow(&array![[0.0]], &[0.5], &array![[1.0]], 2.0, 7);
/// assert!((y[[0, 0]] - (1.0 + 2.0 * 0.5f64.tanh())).abs() < 1e-6);
/// ```
pub fn resnet_flow(w: &Array2<f64>, b: &[f64], x0: &Array2<f64>, t_end: f64, n_layers: usize) -> Array2<f64> {
    let dim = w.nrows();
    assert_eq!(w.ncols(), dim, "resnet_flow: w must be square (dim × dim), got {:?}", w.dim());
    assert_eq!(b.len(), dim, "resnet_flow: b must have dim = {dim} entries, got {}", b.len());
    assert_eq!(x0.ncols(), dim, "resnet_flow: x0 must have dim = {dim} columns, got {}", x0.ncols());
    assert!(n_layers > 0, "resnet_flow: n_layers must be > 0, got 0");
    assert!(t_end > 0.0 && t_end.is_finite(), "resnet_flow: t_end must be > 0, got {t_end}");
    let device = Default::default();
    let mut layer: Linear<Inner> = linear(w, &device);
    let bias: Vec<f32> = b.iter().map(|&v| v as f32).collect();
    layer.bias = Some(Param::from_tensor(Tensor::from_data(TensorData::new(bias, [dim]), &device)));
    let block = ResidualBlock { linear: layer, step: t_end / n_layers as f64 };
    let blocks: Vec<ResidualBlock<Inner>> = vec![block; n_layers]; // shared weights
    let mut x = matrix::<Inner>(x0, &device);
    for blk in &blocks {
        x = blk.forward(x);
    }
    to_array2(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Classic RK4 on ẋ = tanh(xW + b), in f64.
    fn rk4(w: &Array2<f64>, b: &ndarray::Array1<f64>, x0: &Array2<f64>, t_end: f64, n_steps: usize) -> Array2<f64> {
        let f = |x: &Array2<f64>| (x.dot(w) + b).mapv(f64::tanh);
        let h = t_end / n_steps as f64;
        let mut x = x0.clone();
        for _ in 0..n_steps {
            let k1 = f(&x);
            let k2 = f(&(&x + &(&k1 * (h / 2.0))));
            let k3 = f(&(&x + &(&k2 * (h / 2.0))));
            let k4 = f(&(&x + &(&k3 * h)));
            x = &x + &((k1 + k2 * 2.0 + k3 * 2.0 + k4) * (h / 6.0));
        }
        x
    }

    #[test]
    fn one_block_is_one_euler_step() {
        let w = ndarray::array![[0.3, -1.0], [0.8, 0.2]];
        let b = [0.1, -0.2];
        let x0 = ndarray::array![[1.0, 2.0], [-0.5, 0.0]];
        let y = resnet_flow(&w, &b, &x0, 0.4, 1);
        let euler = &x0 + &((x0.dot(&w) + &ndarray::Array1::from(b.to_vec())).mapv(f64::tanh) * 0.4);
        for (a, e) in y.iter().zip(euler.iter()) {
            assert!((a - e).abs() < 1e-6);
        }
    }

    #[test]
    fn error_to_the_flow_decays_like_one_over_depth() {
        // Oracle: the RK4 solution with 2000 steps (error ~1e-13) and Euler's order 1: the
        // error ratio between L and 2L tends to 2 (within 15 % here, from L = 16 on).
        let mut rng = crate::rng::seeded(3);
        let w = Array2::from_shape_vec((3, 3), crate::rng::normal_vec(&mut rng, 9)).unwrap();
        let b = ndarray::Array1::from(crate::rng::normal_vec(&mut rng, 3)) * 0.3;
        let x0 = Array2::from_shape_vec((4, 3), crate::rng::normal_vec(&mut rng, 12)).unwrap();
        let exact = rk4(&w, &b, &x0, 1.0, 2000);
        let err = |l: usize| (resnet_flow(&w, &b.to_vec(), &x0, 1.0, l) - &exact).iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let errs: Vec<f64> = [16, 32, 64, 128].iter().map(|&l| err(l)).collect();
        for k in 0..3 {
            let ratio = errs[k] / errs[k + 1];
            assert!((ratio - 2.0).abs() < 0.3, "{errs:?}");
        }
    }
}
