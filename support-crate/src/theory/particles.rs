//! A two-layer network as a cloud of particles, and its mean-field limit as a Wasserstein gradient flow.
//!
//! Under mean-field scaling $f(x) = \frac1m\sum_i \phi(x; u_i)$ with $u_i = (w_i, b_i, a_i)$ and
//! $\phi(x;u) = a\,\sigma(w\cdot x + b)$, the network is an average over the empirical measure
//! $\rho_m = \frac1m\sum_i\delta_{u_i}$: $f_\rho(x) = \int\phi(x;u)\,d\rho(u)$. The loss
//! $F(\rho) = \frac1{2n}\sum_k (f_\rho(x_k) - y_k)^2$ has first variation
//! $$V(u;\rho) = \frac{\delta F}{\delta\rho}(u) = \frac1n\sum_k \big(f_\rho(x_k) - y_k\big)\,\phi(x_k; u),$$
//! and since $\partial L/\partial u_i = \frac1m\nabla_u V(u_i;\rho_m)$, gradient descent with
//! $\mathrm{lr} = \eta m$ moves every particle along the **same** velocity field,
//! $u_i \leftarrow u_i - \eta\,\nabla_u V(u_i;\rho_m)$. As $m\to\infty$ and $\eta\to0$ the measure follows
//! the continuity equation
//! $$\partial_t\rho_t = \nabla_u\cdot\big(\rho_t\,\nabla_u V(\cdot;\rho_t)\big),$$
//! the Wasserstein-2 gradient flow of $F$, along which $\frac{d}{dt}F(\rho_t) = -\int\lVert\nabla_u V\rVert^2\,d\rho_t$.
//!
//! In one dimension a ReLU unit is a hinge with its kink at the **breakpoint** $\beta_i = -b_i/w_i$,
//! and $f'' = s\sum_i a_i\lvert w_i\rvert\,\delta(x - \beta_i)$: the measure of breakpoints weighted by
//! $\lvert a_i w_i\rvert$ says where the network bends.
//!
//! ## Reference
//! S. Mei, A. Montanari, P.-M. Nguyen (2018), *A mean field view of the landscape of two-layer
//! neural networks*, PNAS; L. Chizat, F. Bach (2018), *On the global convergence of gradient
//! descent for over-parameterized models using optimal transport*, NeurIPS; G. Rotskoff,
//! E. Vanden-Eijnden (2018), *Parameters as interacting particles*, CPAM (2022).
//!
//! Used in notebooks/23-mean-field-regime.ipynb.

use crate::learning::TwoLayer;
use ndarray::{Array1, Array2};

/// The particles $(w_i, b_i, a_i)$ of a network at one training step.
#[derive(Clone, Debug, PartialEq)]
pub struct ParticleSnapshot {
    /// The gradient-descent step at which the snapshot was taken.
    pub step: usize,
    /// Inner weights, `width × dim`.
    pub w: Array2<f64>,
    /// Biases.
    pub b: Array1<f64>,
    /// Outer weights.
    pub a: Array1<f64>,
}

impl ParticleSnapshot {
    /// The particles of `net`, labelled with `step`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// let net = TwoLayer::new(1, 3, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(0));
    /// let s = course::theory::ParticleSnapshot::of(&net, 0);
    /// assert_eq!(s.a, net.a);
    /// ```
    pub fn of(net: &TwoLayer, step: usize) -> Self {
        ParticleSnapshot { step, w: net.w.clone(), b: net.b.clone(), a: net.a.clone() }
    }

    /// The first input weight of every unit, $w_{i1}$.
    pub fn w1(&self) -> Vec<f64> {
        self.w.column(0).to_vec()
    }

    /// The outer weights $a_i$.
    pub fn a_vec(&self) -> Vec<f64> {
        self.a.to_vec()
    }

    /// Breakpoints $\beta_i = -b_i/w_i$ of 1-D units (where the ReLU hinge sits).
    ///
    /// # Panics
    /// If the input dimension is not 1.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, TwoLayer};
    /// use course::theory::ParticleSnapshot;
    /// use ndarray::array;
    /// let net = TwoLayer::from_parts(array![[2.0], [-1.0]], array![1.0, 0.5], array![1.0, 1.0], 0.5, Activation::Relu);
    /// assert_eq!(ParticleSnapshot::of(&net, 0).breakpoints(), vec![-0.5, 0.5]);
    /// ```
    pub fn breakpoints(&self) -> Vec<f64> {
        assert_eq!(self.w.ncols(), 1, "ParticleSnapshot::breakpoints: needs dim = 1, got {}", self.w.ncols());
        self.w.column(0).iter().zip(&self.b).map(|(w, b)| -b / w).collect()
    }

    /// The weights $\lvert a_i w_i\rvert$ of 1-D units: how much each hinge bends the function.
    ///
    /// # Panics
    /// If the input dimension is not 1.
    pub fn bend(&self) -> Vec<f64> {
        assert_eq!(self.w.ncols(), 1, "ParticleSnapshot::bend: needs dim = 1, got {}", self.w.ncols());
        self.w.column(0).iter().zip(&self.a).map(|(w, a)| (w * a).abs()).collect()
    }
}

/// Full-batch GD for `at.last()` steps, with a snapshot of the particles at every step listed in
/// `at` (increasing, may start with 0). Returns the snapshots and the losses (`at.last() + 1` values).
///
/// # Panics
/// If `at` is empty or not strictly increasing, or as [`TwoLayer::train_gd`].
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let mut net = TwoLayer::new(1, 50, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(1));
/// let (snaps, losses) = course::theory::train_with_snapshots(&mut net, &array![[0.0], [1.0]], &array![0.5, -0.5], 25.0, &[0, 10, 40]);
/// assert_eq!((snaps.len(), losses.len()), (3, 41));
/// assert_eq!(snaps[2].a, net.a);
/// assert!(losses[40] < losses[0]);
/// ```
pub fn train_with_snapshots(net: &mut TwoLayer, x: &Array2<f64>, y: &Array1<f64>, lr: f64, at: &[usize]) -> (Vec<ParticleSnapshot>, Vec<f64>) {
    assert!(!at.is_empty(), "train_with_snapshots: at must not be empty");
    assert!(at.windows(2).all(|p| p[0] < p[1]), "train_with_snapshots: at must be strictly increasing, got {at:?}");
    let mut snaps = Vec::with_capacity(at.len());
    let mut losses = Vec::new();
    let mut done = 0;
    for &step in at {
        if step > done {
            let l = net.train_gd(x, y, lr, step - done);
            losses.extend_from_slice(&l[..l.len() - 1]);
            done = step;
        }
        snaps.push(ParticleSnapshot::of(net, step));
    }
    losses.push(net.mse_loss_grad(x, y).0);
    (snaps, losses)
}

/// The mean-field velocity $v_i = -\nabla_u V(u_i;\rho_m)$ of every particle, `width × (dim + 2)`
/// with columns $(w, b, a)$, where $V(u;\rho) = \frac1n\sum_k (f(x_k) - y_k)\,a\,\sigma(w\cdot x_k + b)$
/// is the first variation of the loss (module docs). Computed unit by unit from its definition;
/// it equals $-\frac1s\,\partial L/\partial u_i$.
///
/// # Panics
/// If the shapes disagree.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net = TwoLayer::new(1, 4, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(2));
/// let (x, y) = (array![[0.3], [-0.6]], array![1.0, 0.0]);
/// let v = course::theory::mean_field_velocity(&net, &x, &y);
/// let (_, g) = net.mse_loss_grad(&x, &y);
/// // ∂L/∂a_i is the last block of the gradient: v_a = −m ∂L/∂a.
/// assert!((v[[1, 2]] + 4.0 * g[4 * 2 + 1]).abs() < 1e-12);
/// ```
pub fn mean_field_velocity(net: &TwoLayer, x: &Array2<f64>, y: &Array1<f64>) -> Array2<f64> {
    assert_eq!(x.nrows(), y.len(), "mean_field_velocity: x and y must have the same number of rows, got {} and {}", x.nrows(), y.len());
    assert_eq!(x.ncols(), net.dim(), "mean_field_velocity: x must have dim = {} columns, got {}", net.dim(), x.ncols());
    let (m, d) = net.w.dim();
    let n = y.len();
    let r = net.predict(x) - y;
    let act = net.activation;
    let mut v = Array2::zeros((m, d + 2));
    for i in 0..m {
        for k in 0..n {
            let z: f64 = (0..d).map(|j| net.w[[i, j]] * x[[k, j]]).sum::<f64>() + net.b[i];
            let c = r[k] / n as f64;
            let s1 = act.eval(z, 1) * net.a[i];
            for j in 0..d {
                v[[i, j]] -= c * s1 * x[[k, j]];
            }
            v[[i, d]] -= c * s1;
            v[[i, d + 1]] -= c * act.eval(z, 0);
        }
    }
    v
}

/// A density of breakpoints over training: entry `[bin, snapshot]` is the share of the total bend
/// $\sum_i\lvert a_i w_i\rvert$ whose breakpoint falls in `bin` of `n_bins` equal bins of `range`,
/// divided by the bin width (rows bottom to top = `range.0` to `range.1`, columns = snapshots),
/// ready for [`Plot::heatmap`](crate::plot::Plot::heatmap). Breakpoints outside the range are left out.
///
/// # Panics
/// If `snaps` is empty, `n_bins == 0`, the range is empty, or the inputs are not 1-D.
///
/// # Examples
/// ```
/// use course::learning::{Activation, TwoLayer};
/// use course::theory::{ParticleSnapshot, breakpoint_density};
/// use ndarray::array;
/// let net = TwoLayer::from_parts(array![[1.0], [1.0]], array![0.5, -0.5], array![1.0, 3.0], 1.0, Activation::Relu);
/// let d = breakpoint_density(&[ParticleSnapshot::of(&net, 0)], (-1.0, 1.0), 2);
/// // Breakpoints −0.5 (bend 1) and 0.5 (bend 3); bins of width 1.
/// assert_eq!((d[[0, 0]], d[[1, 0]]), (0.25, 0.75));
/// ```
pub fn breakpoint_density(snaps: &[ParticleSnapshot], range: (f64, f64), n_bins: usize) -> Array2<f64> {
    assert!(!snaps.is_empty(), "breakpoint_density: snaps must not be empty");
    assert!(n_bins > 0, "breakpoint_density: n_bins must be > 0, got 0");
    let (lo, hi) = range;
    assert!(lo < hi, "breakpoint_density: range must have low < high, got ({lo}, {hi})");
    let width = (hi - lo) / n_bins as f64;
    let mut out = Array2::zeros((n_bins, snaps.len()));
    for (c, s) in snaps.iter().enumerate() {
        let (bp, bend) = (s.breakpoints(), s.bend());
        let total: f64 = bend.iter().sum();
        for (&p, &w) in bp.iter().zip(&bend) {
            if p >= lo && p < hi {
                let k = (((p - lo) / width) as usize).min(n_bins - 1);
                out[[k, c]] += w / total / width;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::{Activation, Scaling};
    use crate::rng::seeded;

    #[test]
    fn velocity_is_minus_gradient_over_scale_for_every_activation() {
        for act in [Activation::Relu, Activation::Tanh] {
            let net = TwoLayer::new(2, 7, act, Scaling::MeanField, &mut seeded(4));
            let x = Array2::from_shape_fn((6, 2), |(k, j)| ((k * 3 + j) as f64 * 0.7).sin());
            let y = Array1::from_shape_fn(6, |k| (k as f64).cos());
            let v = mean_field_velocity(&net, &x, &y);
            let (_, g) = net.mse_loss_grad(&x, &y);
            let (m, d) = (7, 2);
            for i in 0..m {
                for j in 0..d {
                    assert!((v[[i, j]] + g[i * d + j] / net.scale).abs() < 1e-12);
                }
                assert!((v[[i, d]] + g[m * d + i] / net.scale).abs() < 1e-12);
                assert!((v[[i, d + 1]] + g[m * d + m + i] / net.scale).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn loss_decreases_at_the_rate_of_the_mean_squared_velocity() {
        // dF/dt = −∫|∇V|² dρ: one small GD step with lr = η m changes the loss by
        // −η · mean_i |v_i|² to first order in η (error O(η²)).
        let x = Array2::from_shape_fn((12, 1), |(k, _)| -1.0 + k as f64 / 5.5);
        let y = x.column(0).mapv(|v| v.abs() - 0.5);
        let mut net = TwoLayer::new(1, 500, Activation::Tanh, Scaling::MeanField, &mut seeded(5));
        let v = mean_field_velocity(&net, &x, &y);
        let rate = v.iter().map(|c| c * c).sum::<f64>() / 500.0;
        let eta = 1e-4;
        let l = net.train_gd(&x, &y, eta * 500.0, 1);
        let predicted = -eta * rate;
        assert!(((l[1] - l[0]) - predicted).abs() < 1e-3 * predicted.abs(), "{} vs {predicted}", l[1] - l[0]);
    }

    #[test]
    fn density_integrates_to_one_when_all_breakpoints_are_inside() {
        let net = TwoLayer::new(1, 300, Activation::Relu, Scaling::MeanField, &mut seeded(6));
        let s = ParticleSnapshot::of(&net, 0);
        let bp = s.breakpoints();
        let (lo, hi) = (bp.iter().cloned().fold(f64::INFINITY, f64::min), bp.iter().cloned().fold(f64::NEG_INFINITY, f64::max) + 1e-9);
        let d = breakpoint_density(&[s], (lo, hi), 17);
        assert!((d.sum() * (hi - lo) / 17.0 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn snapshots_equal_a_plain_training_run() {
        let x = ndarray::array![[0.0], [0.5], [1.0]];
        let y = ndarray::array![0.0, 1.0, 0.0];
        let mut a = TwoLayer::new(1, 20, Activation::Relu, Scaling::MeanField, &mut seeded(7));
        let mut b = a.clone();
        let (snaps, la) = train_with_snapshots(&mut a, &x, &y, 10.0, &[3, 9, 30]);
        let lb = b.train_gd(&x, &y, 10.0, 30);
        assert_eq!(la.len(), lb.len());
        assert!(la.iter().zip(&lb).all(|(p, q)| (p - q).abs() < 1e-14));
        assert_eq!(snaps[2].w, b.w);
    }

    #[test]
    #[should_panic(expected = "at must be strictly increasing")]
    fn unsorted_snapshot_steps_are_named() {
        let mut net = TwoLayer::new(1, 2, Activation::Relu, Scaling::MeanField, &mut seeded(0));
        train_with_snapshots(&mut net, &ndarray::array![[0.0]], &ndarray::array![0.0], 1.0, &[5, 2]);
    }
}

