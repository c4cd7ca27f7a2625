//! Lazy vs rich: the same two-layer network under NTK scaling $1/\sqrt m$ and mean-field scaling $1/m$.
//!
//! With $f(x) = s\sum_{i=1}^m a_i\sigma(w_i\cdot x + b_i)$ and $\mathcal O(1)$ weights, the gradient of the
//! loss with respect to one unit's parameters is of order $s$. Gradient descent with step $\mathrm{lr}$
//! moves each unit by $\mathcal O(\mathrm{lr}\cdot s)$ per step and the output by
//! $\mathcal O(\mathrm{lr}\cdot m s^2)$:
//!
//! * **NTK scaling** $s = 1/\sqrt m$, $\mathrm{lr} = \eta$: the output moves at rate $\mathcal O(\eta)$ while
//!   each unit moves by $\mathcal O(1/\sqrt m)$, so the relative movement of the first layer
//!   $$\frac{\lVert W_t - W_0\rVert_F}{\lVert W_0\rVert_F} = \mathcal O\big(m^{-1/2}\big)$$
//!   ($\lVert W_0\rVert_F\sim\sqrt m$, $\lVert W_t - W_0\rVert_F = \mathcal O(1)$), and so does the relative
//!   change of the kernel: **lazy training**, the features are frozen at their random values.
//! * **Mean-field scaling** $s = 1/m$, $\mathrm{lr} = \eta m$: each unit moves by $\mathcal O(\eta)$ per step,
//!   independently of $m$, and so does the output: the features *move* (**rich** or feature
//!   learning regime) and the relative movement stays $\mathcal O(1)$ as $m\to\infty$.
//!
//! Here $W = [\,w\mid b\,]$ is the first layer with its biases, `m × (d + 1)`.
//!
//! ## Reference
//! L. Chizat, E. Oyallon, F. Bach (2019), *On lazy training in differentiable programming*, NeurIPS;
//! S. Mei, A. Montanari, P.-M. Nguyen (2018), *A mean field view of the landscape of two-layer
//! neural networks*, PNAS; G. Yang, E. Hu (2021), *Feature learning in infinite-width neural
//! networks* (μP), ICML.
//!
//! Used in notebooks/22-neural-tangent-kernel.ipynb and notebooks/23-mean-field-regime.ipynb.

use crate::learning::{Scaling, TwoLayer};
use ndarray::{Array2, Axis, concatenate};

/// $\lVert A - B\rVert_F / \lVert B\rVert_F$: how far `after` moved from `before`, relative to `before`.
///
/// # Panics
/// If the shapes differ or $\lVert B\rVert_F = 0$.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let before = array![[3.0, 0.0], [0.0, 4.0]];
/// let after = array![[3.0, 0.0], [0.0, 4.5]];
/// assert!((course::theory::relative_change(&after, &before) - 0.1).abs() < 1e-12);
/// ```
pub fn relative_change(after: &Array2<f64>, before: &Array2<f64>) -> f64 {
    assert_eq!(after.dim(), before.dim(), "relative_change: after and before must have the same shape, got {:?} and {:?}", after.dim(), before.dim());
    let nb = before.iter().map(|v| v * v).sum::<f64>().sqrt();
    assert!(nb > 0.0, "relative_change: before must be nonzero");
    let diff = after.iter().zip(before).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
    diff / nb
}

/// The first layer with its biases, $W = [\,w\mid b\,]$ (`width × (dim + 1)`): row $i$ is unit $i$'s
/// feature direction in augmented coordinates.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// let net = TwoLayer::new(2, 5, Activation::Relu, Scaling::Ntk, &mut course::rng::seeded(0));
/// let w = course::theory::first_layer(&net);
/// assert_eq!(w.dim(), (5, 3));
/// assert_eq!(w[[4, 2]], net.b[4]);
/// ```
pub fn first_layer(net: &TwoLayer) -> Array2<f64> {
    concatenate(Axis(1), &[net.w.view(), net.b.view().insert_axis(Axis(1))]).expect("same number of rows")
}

/// The learning rate that makes gradient descent's time scale width-independent:
/// $\eta$ for [`Scaling::Ntk`] and [`Scaling::Standard`], $\eta m$ for [`Scaling::MeanField`]
/// (each unit then moves by $\mathcal O(\eta)$ per step).
///
/// # Panics
/// If `eta` is not finite and positive or `width == 0`.
///
/// # Examples
/// ```
/// use course::learning::Scaling;
/// assert_eq!(course::theory::scaled_lr(Scaling::MeanField, 1000, 0.5), 500.0);
/// assert_eq!(course::theory::scaled_lr(Scaling::Ntk, 1000, 0.5), 0.5);
/// ```
pub fn scaled_lr(scaling: Scaling, width: usize, eta: f64) -> f64 {
    assert!(eta.is_finite() && eta > 0.0, "scaled_lr: eta must be finite and > 0, got {eta}");
    assert!(width > 0, "scaled_lr: width must be > 0, got 0");
    match scaling {
        Scaling::MeanField => eta * width as f64,
        Scaling::Ntk | Scaling::Standard => eta,
    }
}

/// What one training run did to the network: losses and how far the features and the kernel moved.
#[derive(Clone, Debug, PartialEq)]
pub struct LazinessReport {
    /// Hidden width $m$.
    pub width: usize,
    /// The half MSE before each step and after the last (`n_steps + 1` values).
    pub losses: Vec<f64>,
    /// $\lVert W_t - W_0\rVert_F / \lVert W_0\rVert_F$ for the first layer $W = [w\mid b]$.
    pub feature_movement: f64,
    /// $\lVert a_t - a_0\rVert / \lVert a_0\rVert$ for the output weights.
    pub output_movement: f64,
    /// $\lVert\Theta_t - \Theta_0\rVert_F / \lVert\Theta_0\rVert_F$ for the empirical NTK on the training inputs.
    pub kernel_change: f64,
}

/// Trains `net` by full-batch GD (`n_steps` steps of size `lr` on the half MSE) and reports how
/// lazily it trained.
///
/// # Panics
/// As [`TwoLayer::train_gd`].
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::{Array1, Array2};
/// let x = Array2::from_shape_fn((10, 1), |(k, _)| -1.0 + k as f64 / 4.5);
/// let y: Array1<f64> = x.column(0).mapv(|v| v.abs());
/// let mut net = TwoLayer::new(1, 2000, Activation::Relu, Scaling::Ntk, &mut course::rng::seeded(1));
/// let r = course::theory::laziness(&mut net, &x, &y, 0.5, 100);
/// assert!(r.losses[100] < 0.1 * r.losses[0]);
/// assert!(r.feature_movement < 0.05 && r.kernel_change < 0.1); // wide and lazy
/// ```
pub fn laziness(net: &mut TwoLayer, x: &ndarray::Array2<f64>, y: &ndarray::Array1<f64>, lr: f64, n_steps: usize) -> LazinessReport {
    let w0 = first_layer(net);
    let a0 = net.a.clone().insert_axis(Axis(1));
    let k0 = crate::theory::empirical_ntk(net, x, x);
    let losses = net.train_gd(x, y, lr, n_steps);
    let k1 = crate::theory::empirical_ntk(net, x, x);
    LazinessReport {
        width: net.width(),
        losses,
        feature_movement: relative_change(&first_layer(net), &w0),
        output_movement: relative_change(&net.a.clone().insert_axis(Axis(1)), &a0),
        kernel_change: relative_change(&k1, &k0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::Activation;
    use crate::rng::seeded;
    use ndarray::Array1;

    fn task() -> (Array2<f64>, Array1<f64>) {
        let x = Array2::from_shape_fn((16, 1), |(k, _)| -1.0 + 2.0 * k as f64 / 15.0);
        let y = x.column(0).mapv(|v| (1.0 - 2.0 * v.abs()).max(0.0) - 0.3);
        (x, y)
    }

    fn slope(widths: &[usize], values: &[f64]) -> f64 {
        let ws: Vec<f64> = widths.iter().map(|&m| m as f64).collect();
        crate::optim::loglog_slope(&ws, values, (0.0, f64::INFINITY))
    }

    #[test]
    fn relative_change_is_scale_invariant_and_zero_on_equal() {
        let b = Array2::from_shape_fn((3, 2), |(i, j)| (i + 2 * j) as f64 - 1.5);
        assert_eq!(relative_change(&b, &b), 0.0);
        let a = &b * 1.3;
        assert!((relative_change(&a, &b) - 0.3).abs() < 1e-12);
        assert!((relative_change(&(&a * 7.0), &(&b * 7.0)) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn ntk_scaling_movement_falls_like_one_over_root_width_and_the_kernel_at_least_as_fast() {
        // Averaged over 4 seeds, on 3 disjoint seed blocks: the feature movement's slope is within
        // 0.15 of −1/2 (measured −0.46 … −0.51). The kernel's relative change falls at least as
        // fast as 1/√m and no faster than 1/m: first-order changes carry the random sign of a_i and
        // cancel in the average over units (measured −0.55 … −0.72 for ReLU, ≈ −0.9 for tanh).
        let (x, y) = task();
        let widths = [250usize, 500, 1000, 2000, 4000];
        for block in 0..3u64 {
            let (mut mv, mut kc) = (Vec::new(), Vec::new());
            for &m in &widths {
                let (mut a, mut b) = (0.0, 0.0);
                for seed in 0..4 {
                    let mut net = TwoLayer::new(1, m, Activation::Relu, Scaling::Ntk, &mut seeded(10 * block + seed));
                    let r = laziness(&mut net, &x, &y, scaled_lr(Scaling::Ntk, m, 0.5), 200);
                    a += r.feature_movement / 4.0;
                    b += r.kernel_change / 4.0;
                }
                mv.push(a);
                kc.push(b);
            }
            let (s1, s2) = (slope(&widths, &mv), slope(&widths, &kc));
            assert!((s1 + 0.5).abs() < 0.15, "block {block}: movement slope {s1} {mv:?}");
            assert!((-1.15..=-0.35).contains(&s2), "block {block}: kernel slope {s2} {kc:?}");
        }
    }

    #[test]
    fn mean_field_movement_is_width_independent() {
        let (x, y) = task();
        let widths = [250usize, 1000, 4000];
        let mut mv = Vec::new();
        for &m in &widths {
            let mut net = TwoLayer::new(1, m, Activation::Relu, Scaling::MeanField, &mut seeded(3));
            let r = laziness(&mut net, &x, &y, scaled_lr(Scaling::MeanField, m, 0.5), 200);
            mv.push(r.feature_movement);
        }
        assert!(slope(&widths, &mv).abs() < 0.1, "{mv:?}");
        assert!(mv.iter().all(|&v| v > 0.05), "{mv:?}");
    }

    #[test]
    #[should_panic(expected = "eta must be finite and > 0")]
    fn bad_eta_is_named() {
        scaled_lr(Scaling::Ntk, 3, 0.0);
    }
}

