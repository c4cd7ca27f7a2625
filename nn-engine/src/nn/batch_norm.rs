//! Batch normalization of a layer's pre-activations over the minibatch.
//!
//! For a minibatch $z_1,\dots,z_B\in\mathbb R^n$, each unit $j$ is standardized with the batch's
//! own mean and (biased) variance, then rescaled by learned $\gamma_j, \beta_j$:
//! $$\mu_j = \frac1B\sum_i z_{ij},\quad \sigma_j^2 = \frac1B\sum_i (z_{ij}-\mu_j)^2,\quad
//!   \mathrm{BN}(z)_{ij} = \gamma_j\,\frac{z_{ij}-\mu_j}{\sqrt{\sigma_j^2+\epsilon}} + \beta_j .$$
//! The output does not change when the layer's weights are scaled, $\mathrm{BN}(cWh) = \mathrm{BN}(Wh)$
//! for $c>0$ (up to $\epsilon$): whatever the initialization, the forward signal has unit scale at
//! every layer. At inference, $\mu$ and $\sigma^2$ are replaced by running averages collected
//! during training (momentum 0.1).
//!
//! ## Reference
//! Ioffe & Szegedy (2015), *Batch normalization: accelerating deep network training by reducing
//! internal covariate shift*, Algorithm 1; Yang, Pennington, Rao, Sohl-Dickstein & Schoenholz
//! (2019), *A mean field theory of batch normalization*.
//!
//! Used in notebooks/09-training-deep-networks.ipynb.

use burn::module::{Module, Param, RunningState};
use burn::tensor::Tensor;
use burn::tensor::backend::Backend;

/// Batch normalization of `[batch, features]` tensors (the 2-D case of burn's `BatchNorm`,
/// written with the few tensor operations of the formula).
#[derive(Module, Debug)]
pub(crate) struct BatchNorm1d<B: Backend> {
    gamma: Param<Tensor<B, 1>>,
    beta: Param<Tensor<B, 1>>,
    running_mean: RunningState<Tensor<B, 2>>,
    running_var: RunningState<Tensor<B, 2>>,
}

use course::nn::BATCH_NORM_EPSILON as EPSILON;
const MOMENTUM: f64 = 0.1;

impl<B: Backend> BatchNorm1d<B> {
    pub(crate) fn new(n_features: usize, device: &B::Device) -> Self {
        BatchNorm1d {
            gamma: Param::from_tensor(Tensor::ones([n_features], device)),
            beta: Param::from_tensor(Tensor::zeros([n_features], device)),
            running_mean: RunningState::new(Tensor::zeros([1, n_features], device)),
            running_var: RunningState::new(Tensor::ones([1, n_features], device)),
        }
    }

    /// # Shapes
    /// - input `[batch, features]`, output `[batch, features]`.
    pub(crate) fn forward(&self, z: Tensor<B, 2>) -> Tensor<B, 2> {
        let (mean, var) = if B::ad_enabled(&z.device()) {
            let mean = z.clone().mean_dim(0); // [1, n]
            let var = (z.clone() - mean.clone()).square().mean_dim(0);
            let m = MOMENTUM;
            self.running_mean.update(self.running_mean.value().mul_scalar(1.0 - m) + mean.clone().detach().mul_scalar(m));
            self.running_var.update(self.running_var.value().mul_scalar(1.0 - m) + var.clone().detach().mul_scalar(m));
            (mean, var)
        } else {
            (self.running_mean.value(), self.running_var.value())
        };
        let zhat = (z - mean) / var.add_scalar(EPSILON).sqrt();
        zhat * self.gamma.val().unsqueeze::<2>() + self.beta.val().unsqueeze::<2>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use course::nn::batch_norm;
    use ndarray::Array2;
    use crate::nn::convert::{matrix, to_array2};
    use crate::nn::{Inner, Train};

    #[test]
    fn forward_matches_the_formula_and_burns_batch_norm() {
        // Oracles: the f64 formula (batch_norm) and burn's own BatchNorm layer in training mode.
        let z = Array2::from_shape_fn((16, 5), |(i, j)| ((i * 7 + j * 3) as f64).sin() * (j + 1) as f64 + j as f64);
        let device = Default::default();
        let ours = to_array2(BatchNorm1d::<Train>::new(5, &device).forward(matrix(&z, &device)));
        let theirs = burn::nn::BatchNormConfig::new(5).init::<Train>(&device).forward(matrix::<Train>(&z, &device));
        let formula = batch_norm(&z);
        let theirs = to_array2(theirs);
        for ((a, b), c) in ours.iter().zip(theirs.iter()).zip(formula.iter()) {
            assert!((a - c).abs() < 1e-5 && (b - c).abs() < 1e-5, "{a} {b} {c}");
        }
    }

    #[test]
    fn running_statistics_converge_to_the_batch_statistics() {
        // Oracle: after k updates with the same batch, the running mean is (1 − 0.9^k)·μ, and
        // the inference output then matches the training output (0.9^200 ≈ 7e-10; the f32
        // running averages carry about 1e-4 of rounding after 200 updates).
        let z = Array2::from_shape_fn((32, 3), |(i, j)| (i as f64 * 0.3 + j as f64).cos() + 2.0 * j as f64);
        let device = Default::default();
        let bn = BatchNorm1d::<Train>::new(3, &device);
        let train_out = to_array2(bn.forward(matrix(&z, &device)));
        for _ in 1..200 {
            bn.forward(matrix(&z, &device));
        }
        use burn::module::AutodiffModule;
        let eval: BatchNorm1d<Inner> = bn.valid();
        let eval_out = to_array2(eval.forward(matrix(&z, &device)));
        for (a, b) in train_out.iter().zip(eval_out.iter()) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
    }
}
