//! Propagation of chaos for a mean-field two-layer network, measured by synchronous coupling.
//!
//! Under mean-field scaling with lr $=\eta m$ every unit moves along one velocity field,
//! $u_i \leftarrow u_i - \eta\,\nabla_u V(u_i; r)$ with $V(u; r) = \frac1n\sum_k r_k\,\phi(x_k; u)$: the field depends
//! on the measure $\rho$ only through the $n$ residuals $r_k = f_\rho(x_k) - y_k$. The mean-field limit
//! is therefore pinned down by one residual path $t\mapsto r_\infty(t)$, and the limit dynamics of a
//! single unit (the McKean–Vlasov process) is the same update with $r_\infty(t)$ in place of the
//! network's own residual.
//!
//! **Coupling** (Sznitman 1991): start a *ghost* unit $\bar u_i$ at the same initial point as each unit
//! $u_i$ of a width-$m$ network and move it with the limit field. The ghosts are $m$ independent
//! samples of the limit law $\rho_t$, so
//! $$D_m(t) = \Big(\frac1m\sum_{i=1}^m\lVert u_i(t) - \bar u_i(t)\rVert^2\Big)^{1/2}$$
//! bounds the Wasserstein-2 distance between the network's empirical measure and an i.i.d. sample
//! of $\rho_t$. Propagation of chaos says $D_m(t)\le C(t)/\sqrt m$ on bounded time intervals.
//! The limit residual path is not known in closed form; a much wider network stands in for it,
//! with its own error of order $m_{\text{ref}}^{-1/2}$.
//!
//! ## Reference
//! A.-S. Sznitman (1991), *Topics in propagation of chaos*, École d'été de Saint-Flour XIX;
//! S. Mei, A. Montanari, P.-M. Nguyen (2018), *A mean field view of the landscape of two-layer
//! neural networks*, PNAS (Theorem 3: the $m^{-1/2}$ bound); J. Sirignano, K. Spiliopoulos
//! (2020), *Mean field analysis of neural networks: a law of large numbers*, SIAM J. Appl. Math.
//!
//! Used in notebooks/23-mean-field-regime.ipynb.

use crate::learning::TwoLayer;
use ndarray::{Array1, Array2};

/// Trains a copy of `net` (mean-field scaling) by full-batch GD with lr $=\eta m$ for `n_steps`
/// steps and returns the residuals $r(t) = f_t(X) - y$ at $t = 0, \dots,$ `n_steps`.
///
/// # Panics
/// If `net` does not have mean-field scaling (`scale` = 1/width), `eta` is not finite and
/// positive, or as [`TwoLayer::mse_loss_grad`].
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net = TwoLayer::new(1, 50, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(1));
/// let (x, y) = (array![[-0.5], [0.5]], array![1.0, 0.0]);
/// let path = course::theory::residual_path(&net, &x, &y, 0.5, 20);
/// assert_eq!(path.len(), 21);
/// assert!((path[0][1] - (net.forward(&[0.5]) - 0.0)).abs() < 1e-15);
/// ```
pub fn residual_path(net: &TwoLayer, x: &Array2<f64>, y: &Array1<f64>, eta: f64, n_steps: usize) -> Vec<Array1<f64>> {
    let lr = mean_field_lr(net, eta, "residual_path");
    let mut net = net.clone();
    let mut theta = net.params();
    let mut path = Vec::with_capacity(n_steps + 1);
    for _ in 0..n_steps {
        path.push(net.predict(x) - y);
        let (_, g) = net.mse_loss_grad(x, y);
        theta.scaled_add(-lr, &g);
        net.set_params(&theta);
    }
    path.push(net.predict(x) - y);
    path
}

/// Distances along a coupled run ([`coupling`]), at $t = 0, \dots, T$.
#[derive(Clone, Debug, PartialEq)]
pub struct Coupling {
    /// $D_m(t)$: root-mean-square distance between the units and their ghosts.
    pub distance: Vec<f64>,
    /// Root-mean-square gap between the network's residuals and the reference path.
    pub residual_gap: Vec<f64>,
}

/// Runs `net` (mean-field scaling, lr $=\eta m$) and, from the same initial units, ghosts driven by
/// the `reference` residual path ([`residual_path`] of a much wider network), for
/// `reference.len() − 1` steps, and measures how far apart they drift.
///
/// # Panics
/// If `reference` is empty or its vectors do not have `y.len()` entries, or as [`residual_path`].
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net = TwoLayer::new(1, 40, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(4));
/// let (x, y) = (array![[-0.5], [0.0], [0.5]], array![0.0, 1.0, 0.0]);
/// // Driven by the network's own residuals, the ghosts are the units themselves.
/// let own = course::theory::residual_path(&net, &x, &y, 0.5, 30);
/// let c = course::theory::coupling(&net, &x, &y, 0.5, &own);
/// assert!(c.distance.iter().all(|d| *d < 1e-12));
/// ```
pub fn coupling(net: &TwoLayer, x: &Array2<f64>, y: &Array1<f64>, eta: f64, reference: &[Array1<f64>]) -> Coupling {
    let lr = mean_field_lr(net, eta, "coupling");
    assert!(!reference.is_empty(), "coupling: reference must hold at least r(0)");
    for (t, r) in reference.iter().enumerate() {
        assert_eq!(r.len(), y.len(), "coupling: reference[{t}] must have y.len() = {} entries, got {}", y.len(), r.len());
    }
    let (mut units, mut ghosts) = (net.clone(), net.clone());
    let (mut theta, mut theta_ghost) = (units.params(), ghosts.params());
    let n = y.len() as f64;
    let m = net.width() as f64;
    let mut out = Coupling { distance: Vec::with_capacity(reference.len()), residual_gap: Vec::with_capacity(reference.len()) };
    for (t, r_ref) in reference.iter().enumerate() {
        let gap = &(units.predict(x) - y) - r_ref;
        out.residual_gap.push((gap.dot(&gap) / n).sqrt());
        let d = &theta - &theta_ghost;
        out.distance.push((d.dot(&d) / m).sqrt());
        if t + 1 == reference.len() {
            break;
        }
        let (_, g) = units.mse_loss_grad(x, y);
        theta.scaled_add(-lr, &g);
        units.set_params(&theta);
        // The ghosts see the reference residual: a target y' with f_ghost(X) − y' = r_ref(t).
        let y_ghost = ghosts.predict(x) - r_ref;
        let (_, g) = ghosts.mse_loss_grad(x, &y_ghost);
        theta_ghost.scaled_add(-lr, &g);
        ghosts.set_params(&theta_ghost);
    }
    out
}

fn mean_field_lr(net: &TwoLayer, eta: f64, who: &str) -> f64 {
    assert!(eta.is_finite() && eta > 0.0, "{who}: eta must be finite and > 0, got {eta}");
    let m = net.width() as f64;
    assert!((net.scale * m - 1.0).abs() < 1e-12, "{who}: the network must have mean-field scaling (scale = 1/width = {}), got scale {}", 1.0 / m, net.scale);
    eta * m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::{Activation, Scaling};
    use crate::rng::seeded;

    fn tent() -> (Array2<f64>, Array1<f64>) {
        let x = Array2::from_shape_fn((8, 1), |(k, _)| -1.0 + 2.0 * k as f64 / 7.0);
        let y = x.column(0).mapv(|v| (1.0 - 2.0 * v.abs()).max(0.0));
        (x, y)
    }

    #[test]
    fn residual_path_follows_train_gd() {
        let (x, y) = tent();
        let net = TwoLayer::new(1, 30, Activation::Relu, Scaling::MeanField, &mut seeded(3));
        let path = residual_path(&net, &x, &y, 0.5, 10);
        let mut trained = net.clone();
        let losses = trained.train_gd(&x, &y, 0.5 * 30.0, 10);
        for (r, l) in path.iter().zip(&losses) {
            assert!((0.5 * r.dot(r) / 8.0 - l).abs() < 1e-13);
        }
    }

    #[test]
    fn coupling_distance_shrinks_like_one_over_root_width() {
        // Oracle: the m^{-1/2} law of propagation of chaos; a reference 16× wider than the widest.
        let (x, y) = tent();
        let steps = 60;
        let reference = residual_path(&TwoLayer::new(1, 4096, Activation::Softplus, Scaling::MeanField, &mut seeded(99)), &x, &y, 0.5, steps);
        let mean_sq = |m: usize| -> f64 {
            (0..6).map(|s| coupling(&TwoLayer::new(1, m, Activation::Softplus, Scaling::MeanField, &mut seeded(s)), &x, &y, 0.5, &reference).distance[steps].powi(2)).sum::<f64>() / 6.0
        };
        let ratio = (mean_sq(16) / mean_sq(256)).sqrt(); // √16 = 4 expected
        assert!((2.5..6.5).contains(&ratio), "D(16)/D(256) = {ratio}, expected ≈ 4");
    }

    #[test]
    #[should_panic(expected = "mean-field scaling")]
    fn ntk_scaling_is_refused() {
        let (x, y) = tent();
        let net = TwoLayer::new(1, 10, Activation::Relu, Scaling::Ntk, &mut seeded(0));
        residual_path(&net, &x, &y, 0.5, 1);
    }
}
