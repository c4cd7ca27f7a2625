//! Neural ODE: a vector field given by a network, fitted so that its RK4 trajectory follows data.
//!
//! $$\dot x = f_\theta(x) = A\tanh(Wx + b),\qquad x_{k+1} = \Phi_{\Delta t}(x_k;\theta)\ \text{(one RK4 step)},\qquad
//!   L(\theta) = \frac1n\sum_{k=1}^n\lVert x_k - y_k\rVert^2 .$$
//! The gradient is **backpropagation through the solver** (discretize-then-optimize): with the
//! adjoint $\lambda_k = \partial L/\partial x_k$, going backwards,
//! $\lambda_k = \frac2n(x_k - y_k) + (\partial\Phi/\partial x_k)^\top\lambda_{k+1}$ and
//! $\nabla_\theta L = \sum_k (\partial\Phi/\partial\theta)^\top\lambda_{k+1}$, where the products with the
//! transposed Jacobians of an RK4 step are taken stage by stage from the vector–Jacobian products
//! of $f_\theta$: $(\partial f/\partial x)^\top c = W^\top\delta$, $\delta = (A^\top c)\odot(1 - h^2)$,
//! $\partial_A = c\,h^\top$, $\partial_b = \delta$, $\partial_W = \delta x^\top$ with $h = \tanh(Wx + b)$.
//! (The continuous adjoint method of Chen et al. solves the same adjoint equation backwards in
//! time; discretely it is this recursion.)
//!
//! ## Reference
//! R. T. Q. Chen, Y. Rubanova, J. Bettencourt, D. Duvenaud (2018), *Neural ordinary differential
//! equations*, NeurIPS; E. Hairer, S. Nørsett, G. Wanner, *Solving ODEs I*, §II.1 (RK4).
//!
//! Used in notebooks/26-deep-learning-for-dynamical-systems.ipynb.

use crate::optim::AdamState;
use crate::rng::Rng;
use ndarray::{Array1, Array2};
use rand_distr::{Distribution, StandardNormal};

/// The vector-field network $f_\theta(x) = A\tanh(Wx + b)$; parameters flatten as
/// $(\operatorname{vec}W, b, \operatorname{vec}A)$, row-major.
///
/// # Examples
/// ```
/// use course::pde::NeuralOde;
/// let node = NeuralOde::new(2, 16, &mut course::rng::seeded(0));
/// assert_eq!(node.n_params(), 16 * 2 + 16 + 2 * 16);
/// assert_eq!(node.integrate(&[1.0, 0.0], 0.1, 10).dim(), (11, 2));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct NeuralOde {
    /// $W$, `width × dim`.
    pub w: Array2<f64>,
    /// $b$, `width`.
    pub b: Array1<f64>,
    /// $A$, `dim × width`.
    pub a: Array2<f64>,
}

impl NeuralOde {
    /// A random field: $W\sim\mathcal N(0, 1/d)$, $b\sim\mathcal N(0, 1)$, $A\sim\mathcal N(0, 0.1/m)$
    /// (a weak initial field).
    ///
    /// # Panics
    /// If `dim` or `width` is 0.
    pub fn new(dim: usize, width: usize, rng: &mut impl Rng) -> Self {
        assert!(dim > 0 && width > 0, "NeuralOde::new: dim and width must be > 0, got {dim} and {width}");
        let mut normal = |sd: f64| -> f64 { sd * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng) };
        let w = Array2::from_shape_fn((width, dim), |_| normal(1.0 / (dim as f64).sqrt()));
        let b = Array1::from_shape_fn(width, |_| normal(1.0));
        let a = Array2::from_shape_fn((dim, width), |_| normal((0.1 / width as f64).sqrt()));
        NeuralOde { w, b, a }
    }

    /// State dimension.
    pub fn dim(&self) -> usize {
        self.w.ncols()
    }

    /// Number of parameters, $m(2d + 1)$.
    pub fn n_params(&self) -> usize {
        self.w.len() + self.b.len() + self.a.len()
    }

    /// The flat parameter vector.
    pub fn params(&self) -> Array1<f64> {
        self.w.iter().chain(self.b.iter()).chain(self.a.iter()).copied().collect()
    }

    /// Sets the parameters from a flat vector.
    ///
    /// # Panics
    /// If `theta.len() != n_params()`.
    pub fn set_params(&mut self, theta: &Array1<f64>) {
        assert_eq!(theta.len(), self.n_params(), "NeuralOde::set_params: theta must have {} entries, got {}", self.n_params(), theta.len());
        let (nw, nb) = (self.w.len(), self.b.len());
        for (d, s) in self.w.iter_mut().chain(self.b.iter_mut()).chain(self.a.iter_mut()).zip(theta.iter()) {
            *d = *s;
        }
        debug_assert_eq!(nw + nb + self.a.len(), theta.len());
    }

    /// $f_\theta(x)$.
    ///
    /// # Examples
    /// ```
    /// use course::pde::NeuralOde;
    /// let mut node = NeuralOde::new(2, 3, &mut course::rng::seeded(1));
    /// node.a.fill(0.0);
    /// assert_eq!(node.field(&[0.3, 0.4]), vec![0.0, 0.0]);
    /// ```
    pub fn field(&self, x: &[f64]) -> Vec<f64> {
        let h = (self.w.dot(&ndarray::ArrayView1::from(x)) + &self.b).mapv(f64::tanh);
        self.a.dot(&h).to_vec()
    }

    /// Vector–Jacobian product at `y` with cotangent `c`: returns $(\partial f/\partial x)^\top c$ and adds
    /// $(\partial f/\partial\theta)^\top c$ to `g_theta`.
    fn vjp(&self, y: &[f64], c: &[f64], g_theta: &mut [f64]) -> Vec<f64> {
        let (m, d) = self.w.dim();
        let h = (self.w.dot(&ndarray::ArrayView1::from(y)) + &self.b).mapv(f64::tanh);
        let mut gy = vec![0.0; d];
        let off_b = m * d;
        let off_a = off_b + m;
        for j in 0..m {
            let mut atc = 0.0;
            for i in 0..d {
                atc += self.a[[i, j]] * c[i];
                g_theta[off_a + i * m + j] += c[i] * h[j];
            }
            let delta = atc * (1.0 - h[j] * h[j]);
            g_theta[off_b + j] += delta;
            for k in 0..d {
                g_theta[j * d + k] += delta * y[k];
                gy[k] += self.w[[j, k]] * delta;
            }
        }
        gy
    }

    fn rk4_stages(&self, x: &[f64], dt: f64) -> [Vec<f64>; 4] {
        let axpy = |a: &[f64], s: f64, b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(p, q)| p + s * q).collect() };
        let y1 = x.to_vec();
        let k1 = self.field(&y1);
        let y2 = axpy(x, 0.5 * dt, &k1);
        let k2 = self.field(&y2);
        let y3 = axpy(x, 0.5 * dt, &k2);
        let k3 = self.field(&y3);
        let y4 = axpy(x, dt, &k3);
        [y1, y2, y3, y4]
    }

    fn rk4_step(&self, x: &[f64], dt: f64) -> Vec<f64> {
        let ys = self.rk4_stages(x, dt);
        let k: Vec<Vec<f64>> = ys.iter().map(|y| self.field(y)).collect();
        (0..x.len()).map(|i| x[i] + dt / 6.0 * (k[0][i] + 2.0 * k[1][i] + 2.0 * k[2][i] + k[3][i])).collect()
    }

    /// The RK4 trajectory from `x0`: `(n_steps + 1) × dim`, row $k$ at time $k\,\Delta t$.
    ///
    /// # Panics
    /// If `x0.len() != dim` or `dt <= 0`.
    pub fn integrate(&self, x0: &[f64], dt: f64, n_steps: usize) -> Array2<f64> {
        assert_eq!(x0.len(), self.dim(), "NeuralOde::integrate: x0 must have dim = {} entries, got {}", self.dim(), x0.len());
        assert!(dt.is_finite() && dt > 0.0, "NeuralOde::integrate: dt must be > 0, got {dt}");
        let mut out = Array2::zeros((n_steps + 1, self.dim()));
        let mut x = x0.to_vec();
        out.row_mut(0).assign(&Array1::from(x.clone()));
        for k in 1..=n_steps {
            x = self.rk4_step(&x, dt);
            out.row_mut(k).assign(&Array1::from(x.clone()));
        }
        out
    }

    /// $L(\theta)$ for the data `y` (`(n + 1) × dim`, row 0 is the start $x_0$, rows $1..n$ the targets).
    ///
    /// # Panics
    /// If `y` has fewer than 2 rows or the wrong width, or `dt <= 0`.
    pub fn loss(&self, y: &Array2<f64>, dt: f64) -> f64 {
        self.check_data(y, "loss");
        let n = y.nrows() - 1;
        let x = self.integrate(&y.row(0).to_vec(), dt, n);
        (&x - y).mapv(|v| v * v).sum() / n as f64
    }

    fn check_data(&self, y: &Array2<f64>, who: &str) {
        assert!(y.nrows() >= 2, "NeuralOde::{who}: y needs at least 2 rows (start and one target), got {}", y.nrows());
        assert_eq!(y.ncols(), self.dim(), "NeuralOde::{who}: y must have dim = {} columns, got {}", self.dim(), y.ncols());
    }

    /// $L(\theta)$ and its gradient by backpropagation through the RK4 steps (module docs).
    ///
    /// # Panics
    /// As [`loss`](Self::loss).
    ///
    /// # Examples
    /// ```
    /// use course::pde::NeuralOde;
    /// use ndarray::array;
    /// let mut node = NeuralOde::new(2, 4, &mut course::rng::seeded(2));
    /// let y = array![[1.0, 0.0], [0.9, 0.2], [0.7, 0.35]];
    /// let (l, g) = node.loss_grad(&y, 0.1);
    /// let (theta, h) = (node.params(), 1e-6);
    /// let mut tp = theta.clone();
    /// tp[7] += h;
    /// node.set_params(&tp);
    /// assert!(((node.loss(&y, 0.1) - l) / h - g[7]).abs() < 1e-5);
    /// ```
    pub fn loss_grad(&self, y: &Array2<f64>, dt: f64) -> (f64, Array1<f64>) {
        self.check_data(y, "loss_grad");
        let n = y.nrows() - 1;
        let d = self.dim();
        let xs = self.integrate(&y.row(0).to_vec(), dt, n);
        let diff = &xs - y;
        let loss = diff.mapv(|v| v * v).sum() / n as f64;
        let mut g = vec![0.0; self.n_params()];
        let mut lam = vec![0.0; d];
        for k in (1..=n).rev() {
            for i in 0..d {
                lam[i] += 2.0 * diff[[k, i]] / n as f64;
            }
            // Backward through x_k = x_{k-1} + dt/6 (k1 + 2k2 + 2k3 + k4).
            let ys = self.rk4_stages(&xs.row(k - 1).to_vec(), dt);
            let c4: Vec<f64> = lam.iter().map(|l| dt / 6.0 * l).collect();
            let g4 = self.vjp(&ys[3], &c4, &mut g);
            let c3: Vec<f64> = (0..d).map(|i| dt / 3.0 * lam[i] + dt * g4[i]).collect();
            let g3 = self.vjp(&ys[2], &c3, &mut g);
            let c2: Vec<f64> = (0..d).map(|i| dt / 3.0 * lam[i] + 0.5 * dt * g3[i]).collect();
            let g2 = self.vjp(&ys[1], &c2, &mut g);
            let c1: Vec<f64> = (0..d).map(|i| dt / 6.0 * lam[i] + 0.5 * dt * g2[i]).collect();
            let g1 = self.vjp(&ys[0], &c1, &mut g);
            for i in 0..d {
                lam[i] += g1[i] + g2[i] + g3[i] + g4[i];
            }
        }
        (loss, Array1::from(g))
    }

    /// `n_steps` Adam steps on $L$ (step decaying from `lr` to `lr/10`); returns the `n_steps + 1`
    /// losses.
    ///
    /// # Panics
    /// If `lr <= 0`, or as [`loss`](Self::loss).
    ///
    /// # Examples
    /// ```
    /// use course::pde::NeuralOde;
    /// use ndarray::array;
    /// let mut node = NeuralOde::new(2, 8, &mut course::rng::seeded(3));
    /// let y = array![[1.0, 0.0], [0.9, 0.2], [0.7, 0.35]];
    /// let losses = node.train(&y, 0.1, 0.01, 200);
    /// assert!(losses[200] < 0.1 * losses[0]);
    /// ```
    pub fn train(&mut self, y: &Array2<f64>, dt: f64, lr: f64, n_steps: usize) -> Vec<f64> {
        assert!(lr.is_finite() && lr > 0.0, "NeuralOde::train: lr must be > 0, got {lr}");
        let mut state = AdamState::new(self.n_params(), 0.9, 0.999);
        let mut theta = self.params();
        let mut losses = Vec::with_capacity(n_steps + 1);
        for k in 0..n_steps {
            let (loss, g) = self.loss_grad(y, dt);
            losses.push(loss);
            let d = state.update(&g);
            theta.scaled_add(-lr * 0.1f64.powf(k as f64 / n_steps as f64), &d);
            self.set_params(&theta);
        }
        losses.push(self.loss(y, dt));
        losses
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::{Rk4, Stepper, VectorField};

    struct AsField<'a>(&'a NeuralOde);
    impl VectorField for AsField<'_> {
        fn dim(&self) -> usize {
            self.0.dim()
        }
        fn eval(&self, _t: f64, x: &[f64], dx: &mut [f64]) {
            dx.copy_from_slice(&self.0.field(x));
        }
    }

    #[test]
    fn integrate_agrees_with_the_dynamics_module_rk4() {
        let node = NeuralOde::new(3, 6, &mut crate::rng::seeded(7));
        let ours = node.integrate(&[0.5, -0.2, 1.0], 0.05, 40);
        let theirs = Rk4.integrate(&AsField(&node), &[0.5, -0.2, 1.0], 2.0, 40);
        for i in 0..3 {
            assert!((ours[[40, i]] - theirs.last()[i]).abs() < 1e-12);
        }
    }

    #[test]
    fn fitted_spiral_tracks_the_data_within_three_percent_on_four_seeds() {
        let sys = crate::dynamics::LinearSystem::new(ndarray::array![[-0.1, 2.0], [-2.0, -0.1]]);
        let traj = Rk4.integrate(&sys, &[2.0, 0.0], 6.0, 60);
        let y = Array2::from_shape_fn((61, 2), |(k, i)| traj.x[k][i]);
        for seed in 0..4 {
            let mut node = NeuralOde::new(2, 32, &mut crate::rng::seeded(seed));
            node.train(&y, 0.1, 0.03, 2000);
            let fit = node.integrate(&[2.0, 0.0], 0.1, 60);
            let rel = ((&fit - &y).mapv(|v| v * v).sum() / y.mapv(|v| v * v).sum()).sqrt();
            assert!(rel < 0.015, "seed {seed}: relative error {rel}");
        }
    }

    #[test]
    fn backprop_through_rk4_matches_central_differences_for_every_parameter() {
        let node = NeuralOde::new(2, 5, &mut crate::rng::seeded(8));
        let y = Array2::from_shape_fn((16, 2), |(k, i)| if i == 0 { (0.3 * k as f64).cos() } else { (0.3 * k as f64).sin() });
        let (_, g) = node.loss_grad(&y, 0.2);
        let theta = node.params();
        let mut work = node.clone();
        let h = 1e-6;
        for p in 0..theta.len() {
            let (mut tp, mut tm) = (theta.clone(), theta.clone());
            tp[p] += h;
            tm[p] -= h;
            work.set_params(&tp);
            let lp = work.loss(&y, 0.2);
            work.set_params(&tm);
            let lm = work.loss(&y, 0.2);
            let fd = (lp - lm) / (2.0 * h);
            assert!((g[p] - fd).abs() < 1e-7 * (1.0 + fd.abs()), "param {p}: {} vs {fd}", g[p]);
        }
    }
}
