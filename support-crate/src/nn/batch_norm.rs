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

use ndarray::Array2;

/// Batch normalization of `[batch, features]` tensors (the 2-D case of burn's `BatchNorm`,
/// written with the few tensor operations of the formula).
/// The $\epsilon$ under the square root.
pub const EPSILON: f64 = 1e-5;

/// The training-mode batch normalization of `z` (rows = batch) with $\gamma = 1$, $\beta = 0$
/// and $\epsilon = 10^{-5}$, computed with ndarray in `f64`: the formula of the module docs.
///
/// # Panics
/// If `z` has no rows.
///
/// # Examples
/// ```
/// let z = ndarray::array![[1.0, 10.0], [3.0, 10.0]];
/// let n = course::nn::batch_norm(&z);
/// assert!((n[[0, 0]] + 1.0).abs() < 1e-5 && (n[[1, 0]] - 1.0).abs() < 1e-5);
/// assert_eq!(n[[0, 1]], 0.0); // a constant unit is centred, not blown up: ε guards the division
/// ```
pub fn batch_norm(z: &Array2<f64>) -> Array2<f64> {
    assert!(z.nrows() > 0, "batch_norm: z must have at least one row (one sample)");
    let mean = z.mean_axis(ndarray::Axis(0)).expect("non-empty batch");
    let centred = z - &mean;
    let var = centred.mapv(|v| v * v).mean_axis(ndarray::Axis(0)).expect("non-empty batch");
    centred / &var.mapv(|v| (v + EPSILON).sqrt())
}
