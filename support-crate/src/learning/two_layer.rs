//! A two-layer network with hand-derived gradients: the workhorse of the theory notebooks.
//!
//! $$f_\theta(x) = s\sum_{i=1}^{m} a_i\,\sigma(w_i\cdot x + b_i),\qquad \theta = (w, b, a),$$
//!
//! with an explicit output scale $s$: $s = 1/\sqrt m$ is the **NTK** (lazy) parametrization,
//! $s = 1/m$ the **mean-field** one, $s = 1$ the standard one (with the $1/\sqrt{\text{fan-in}}$
//! initialization instead). Everything a theory notebook needs is written out by hand, so the
//! formulas are visible and cheap:
//!
//! * the parameter gradient $\nabla_\theta f(x)$ (one row of the Jacobian, the NTK's feature map):
//!   $\partial f/\partial a_i = s\,\sigma(z_i)$, $\partial f/\partial b_i = s\,a_i\sigma'(z_i)$,
//!   $\partial f/\partial w_{ik} = s\,a_i\sigma'(z_i)\,x_k$ with $z_i = w_i\cdot x + b_i$;
//! * input derivatives up to second order, $\partial_{x_j} f = s\sum_i a_i w_{ij}\sigma'(z_i)$ and
//!   $\partial^2_{x_j} f = s\sum_i a_i w_{ij}^2\sigma''(z_i)$, and **their** parameter gradients
//!   (what a physics-informed loss such as $\lVert u_t - u_{xx}\rVert^2$ differentiates);
//! * the half mean squared error $L(\theta) = \frac1{2n}\sum_k (f_\theta(x_k) - y_k)^2$, its gradient
//!   $\frac1n\sum_k (f_\theta(x_k) - y_k)\nabla_\theta f(x_k)$ and full-batch gradient descent.
//!
//! The parameters flatten as $\theta = (\operatorname{vec} w\ \text{(row-major)}, b, a)$, so
//! $p = m(d + 2)$.
//!
//! ## Reference
//! A. Jacot, F. Gabriel, C. Hongler (2018), *Neural tangent kernel*, NeurIPS;
//! S. Mei, A. Montanari, P.-M. Nguyen (2018), *A mean field view of the landscape of two-layer
//! neural networks*, PNAS; M. Raissi, P. Perdikaris, G. Karniadakis (2019), *Physics-informed
//! neural networks*, J. Comput. Phys.
//!
//! Used in notebooks 22–26 (NTK, mean field, Q-networks, PINNs and neural ODEs).

use crate::rng::Rng;
use ndarray::{Array1, Array2, ArrayView1, Axis};
use rand_distr::{Distribution, StandardNormal};

/// The hidden nonlinearity $\sigma$.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// $\tanh z$ (smooth: use it when input derivatives enter a loss).
    Tanh,
    /// $\max(z, 0)$, with $\sigma'(0) = 0$ and $\sigma'' = 0$.
    Relu,
    /// $\log(1 + e^z)$, a smooth ReLU.
    Softplus,
}

impl Activation {
    /// $\sigma^{(k)}(z)$ for $k = 0, 1, 2, 3$.
    ///
    /// # Panics
    /// If `order > 3`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::Activation;
    /// let z: f64 = 0.3;
    /// assert!((Activation::Tanh.eval(z, 1) - (1.0 - z.tanh().powi(2))).abs() < 1e-15);
    /// assert_eq!(Activation::Relu.eval(-1.0, 0), 0.0);
    /// assert!((Activation::Softplus.eval(0.0, 1) - 0.5).abs() < 1e-15); // σ' = logistic
    /// ```
    pub fn eval(self, z: f64, order: usize) -> f64 {
        assert!(order <= 3, "Activation::eval: order must be 0..=3, got {order}");
        match self {
            Activation::Tanh => {
                let t = z.tanh();
                let d1 = 1.0 - t * t;
                match order {
                    0 => t,
                    1 => d1,
                    2 => -2.0 * t * d1,
                    _ => -2.0 * d1 * (1.0 - 3.0 * t * t),
                }
            }
            Activation::Relu => match order {
                0 => z.max(0.0),
                1 => f64::from(u8::from(z > 0.0)),
                _ => 0.0,
            },
            Activation::Softplus => {
                let s = 1.0 / (1.0 + (-z).exp());
                match order {
                    0 => {
                        if z > 30.0 {
                            z
                        } else {
                            z.exp().ln_1p()
                        }
                    }
                    1 => s,
                    2 => s * (1.0 - s),
                    _ => s * (1.0 - s) * (1.0 - 2.0 * s),
                }
            }
        }
    }
}

/// How the output is scaled with the width $m$ and how the weights are initialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scaling {
    /// $s = 1/\sqrt m$, all weights $\mathcal N(0, 1)$ (Jacot et al.: the lazy regime).
    Ntk,
    /// $s = 1/m$, all weights $\mathcal N(0, 1)$ (Mei–Montanari–Nguyen: features move).
    MeanField,
    /// $s = 1$, $w\sim\mathcal N(0, 1/d)$, $b = 0$, $a\sim\mathcal N(0, 1/m)$ (LeCun/Xavier-style).
    Standard,
}

/// The two-layer network $f(x) = s\sum_i a_i\sigma(w_i\cdot x + b_i)$; see the module docs.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// let net = TwoLayer::new(2, 100, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(0));
/// assert_eq!(net.n_params(), 100 * (2 + 2));
/// // f is linear in a: doubling a doubles f.
/// let mut twice = net.clone();
/// twice.a *= 2.0;
/// let x = [0.3, -0.7];
/// assert!((twice.forward(&x) - 2.0 * net.forward(&x)).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TwoLayer {
    /// Inner weights, `width × dim` (row $i$ is $w_i$).
    pub w: Array2<f64>,
    /// Biases, `width`.
    pub b: Array1<f64>,
    /// Outer weights, `width`.
    pub a: Array1<f64>,
    /// Output scale $s$.
    pub scale: f64,
    /// The nonlinearity.
    pub activation: Activation,
}

impl TwoLayer {
    /// A random network of input dimension `dim` and `width` hidden units.
    ///
    /// # Panics
    /// If `dim == 0` or `width == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// let net = TwoLayer::new(1, 400, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(3));
    /// assert_eq!(net.scale, 1.0 / 400.0);
    /// assert_eq!(net.width(), 400);
    /// ```
    pub fn new(dim: usize, width: usize, activation: Activation, scaling: Scaling, rng: &mut impl Rng) -> Self {
        assert!(dim > 0, "TwoLayer::new: dim must be > 0, got 0");
        assert!(width > 0, "TwoLayer::new: width must be > 0, got 0");
        let mut normal = |n: usize, sd: f64| -> Vec<f64> {
            (0..n).map(|_| sd * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng)).collect()
        };
        let m = width as f64;
        let (w_sd, b_sd, a_sd, scale) = match scaling {
            Scaling::Ntk => (1.0, 1.0, 1.0, 1.0 / m.sqrt()),
            Scaling::MeanField => (1.0, 1.0, 1.0, 1.0 / m),
            Scaling::Standard => (1.0 / (dim as f64).sqrt(), 0.0, 1.0 / m.sqrt(), 1.0),
        };
        let w = Array2::from_shape_vec((width, dim), normal(width * dim, w_sd)).expect("shape");
        let b = Array1::from(normal(width, b_sd));
        let a = Array1::from(normal(width, a_sd));
        TwoLayer { w, b, a, scale, activation }
    }

    /// A network from given weights.
    ///
    /// # Panics
    /// If the shapes disagree (`b` and `a` must have `w.nrows()` entries) or `w` is empty.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, TwoLayer};
    /// use ndarray::array;
    /// // f(x) = relu(x) - relu(x - 1): a ramp from 0 to 1.
    /// let net = TwoLayer::from_parts(array![[1.0], [1.0]], array![0.0, -1.0], array![1.0, -1.0], 1.0, Activation::Relu);
    /// assert_eq!(net.forward(&[0.5]), 0.5);
    /// assert_eq!(net.forward(&[3.0]), 1.0);
    /// ```
    pub fn from_parts(w: Array2<f64>, b: Array1<f64>, a: Array1<f64>, scale: f64, activation: Activation) -> Self {
        let (m, d) = w.dim();
        assert!(m > 0 && d > 0, "TwoLayer::from_parts: w must be non-empty, got {m}×{d}");
        assert_eq!(b.len(), m, "TwoLayer::from_parts: b must have w.nrows() = {m} entries, got {}", b.len());
        assert_eq!(a.len(), m, "TwoLayer::from_parts: a must have w.nrows() = {m} entries, got {}", a.len());
        TwoLayer { w, b, a, scale, activation }
    }

    /// Input dimension $d$.
    pub fn dim(&self) -> usize {
        self.w.ncols()
    }

    /// Number of hidden units $m$.
    pub fn width(&self) -> usize {
        self.w.nrows()
    }

    /// Number of parameters $p = m(d + 2)$.
    pub fn n_params(&self) -> usize {
        self.width() * (self.dim() + 2)
    }

    /// The flattened parameters $\theta = (\operatorname{vec} w, b, a)$.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// let mut net = TwoLayer::new(3, 5, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(1));
    /// let theta = net.params();
    /// net.set_params(&(&theta * 0.0));
    /// assert_eq!(net.forward(&[1.0, 2.0, 3.0]), 0.0);
    /// net.set_params(&theta);
    /// assert_eq!(net.params(), theta);
    /// ```
    pub fn params(&self) -> Array1<f64> {
        let mut theta = Vec::with_capacity(self.n_params());
        theta.extend(self.w.iter());
        theta.extend(self.b.iter());
        theta.extend(self.a.iter());
        Array1::from(theta)
    }

    /// Sets the parameters from a flat vector laid out as [`params`](Self::params).
    ///
    /// # Panics
    /// If `theta.len() != self.n_params()`.
    pub fn set_params(&mut self, theta: &Array1<f64>) {
        let (m, d) = self.w.dim();
        assert_eq!(theta.len(), self.n_params(), "TwoLayer::set_params: theta must have m(d+2) = {} entries, got {}", self.n_params(), theta.len());
        for (dst, src) in self.w.iter_mut().zip(theta.iter()) {
            *dst = *src;
        }
        self.b.assign(&theta.slice(ndarray::s![m * d..m * d + m]));
        self.a.assign(&theta.slice(ndarray::s![m * d + m..]));
    }

    fn check_x(&self, x: &[f64], who: &str) {
        assert_eq!(x.len(), self.dim(), "TwoLayer::{who}: x must have dim = {} entries, got {}", self.dim(), x.len());
    }

    fn pre_activations(&self, x: &[f64]) -> Array1<f64> {
        let xv = ArrayView1::from(x);
        self.w.dot(&xv) + &self.b
    }

    /// $f(x)$.
    ///
    /// # Panics
    /// If `x.len() != self.dim()`.
    pub fn forward(&self, x: &[f64]) -> f64 {
        self.derivative(x, 0, 0)
    }

    /// $f$ at every row of `x` (`n × dim`).
    ///
    /// # Panics
    /// If `x.ncols() != self.dim()`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// use ndarray::array;
    /// let net = TwoLayer::new(2, 8, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(2));
    /// let x = array![[0.1, 0.2], [-1.0, 0.5]];
    /// let y = net.predict(&x);
    /// assert!((y[1] - net.forward(&[-1.0, 0.5])).abs() < 1e-14);
    /// ```
    pub fn predict(&self, x: &Array2<f64>) -> Array1<f64> {
        assert_eq!(x.ncols(), self.dim(), "TwoLayer::predict: x must have dim = {} columns, got {}", self.dim(), x.ncols());
        let z = x.dot(&self.w.t()) + &self.b;
        let act = self.activation;
        z.mapv(|v| act.eval(v, 0)).dot(&self.a) * self.scale
    }

    /// The hidden features $\sigma(w_i\cdot x + b_i)$ at every row of `x` (`n × width`).
    pub fn hidden(&self, x: &Array2<f64>) -> Array2<f64> {
        assert_eq!(x.ncols(), self.dim(), "TwoLayer::hidden: x must have dim = {} columns, got {}", self.dim(), x.ncols());
        let act = self.activation;
        (x.dot(&self.w.t()) + &self.b).mapv(|v| act.eval(v, 0))
    }

    /// $\partial^k f/\partial x_j^k$ at `x`, for `order` $k\in\{0, 1, 2\}$ (order 0 is $f$ itself).
    ///
    /// # Panics
    /// If `order > 2`, `j >= dim` or `x.len() != dim`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// let net = TwoLayer::new(2, 30, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(4));
    /// let (x, h) = ([0.2, -0.4], 1e-4);
    /// let fd = (net.forward(&[0.2 + h, -0.4]) - net.forward(&[0.2 - h, -0.4])) / (2.0 * h);
    /// assert!((net.derivative(&x, 0, 1) - fd).abs() < 1e-7);
    /// ```
    pub fn derivative(&self, x: &[f64], j: usize, order: usize) -> f64 {
        self.check_x(x, "derivative");
        assert!(order <= 2, "TwoLayer::derivative: order must be 0, 1 or 2, got {order}");
        assert!(j < self.dim(), "TwoLayer::derivative: j must be < dim = {}, got {j}", self.dim());
        let z = self.pre_activations(x);
        let mut total = 0.0;
        for i in 0..self.width() {
            let wij = self.w[[i, j]];
            total += self.a[i] * wij.powi(order as i32) * self.activation.eval(z[i], order);
        }
        self.scale * total
    }

    /// $\nabla_\theta\,\partial^k f/\partial x_j^k$ at `x` (order 0: the parameter gradient of $f$),
    /// laid out as [`params`](Self::params).
    ///
    /// # Panics
    /// As [`derivative`](Self::derivative).
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// let net = TwoLayer::new(1, 4, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(5));
    /// let g = net.grad_params_derivative(&[0.7], 0, 0);
    /// // ∂f/∂a_i = s σ(w_i x + b_i): the last `width` entries.
    /// let z0 = net.w[[0, 0]] * 0.7 + net.b[0];
    /// assert!((g[net.n_params() - 4] - net.scale * z0.tanh()).abs() < 1e-15);
    /// ```
    pub fn grad_params_derivative(&self, x: &[f64], j: usize, order: usize) -> Array1<f64> {
        self.check_x(x, "grad_params_derivative");
        assert!(order <= 2, "TwoLayer::grad_params_derivative: order must be 0, 1 or 2, got {order}");
        assert!(j < self.dim(), "TwoLayer::grad_params_derivative: j must be < dim = {}, got {j}", self.dim());
        let (m, d) = self.w.dim();
        let z = self.pre_activations(x);
        let s = self.scale;
        let act = self.activation;
        let mut g = Array1::zeros(self.n_params());
        for i in 0..m {
            let (ai, wij) = (self.a[i], self.w[[i, j]]);
            let (s0, s1, s2, s3) = (act.eval(z[i], 0), act.eval(z[i], 1), act.eval(z[i], 2), act.eval(z[i], 3));
            // d/da_i, d/db_i, and the coefficients of d/dw_ik = c_x * x_k + c_delta * [k == j].
            let (da, db, c_x, c_delta) = match order {
                0 => (s0, ai * s1, ai * s1, 0.0),
                1 => (wij * s1, ai * wij * s2, ai * wij * s2, ai * s1),
                _ => (wij * wij * s2, ai * wij * wij * s3, ai * wij * wij * s3, 2.0 * ai * wij * s2),
            };
            for k in 0..d {
                let delta = if k == j { c_delta } else { 0.0 };
                g[i * d + k] = s * (c_x * x[k] + delta);
            }
            g[m * d + i] = s * db;
            g[m * d + m + i] = s * da;
        }
        g
    }

    /// The parameter gradient $\nabla_\theta f(x)$.
    pub fn grad_params(&self, x: &[f64]) -> Array1<f64> {
        self.grad_params_derivative(x, 0, 0)
    }

    /// The Jacobian $J_{k\cdot} = \nabla_\theta f(x_k)^\top$ at every row of `x` (`n × n_params`).
    /// $JJ^\top$ is the empirical neural tangent kernel on these points.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// use ndarray::array;
    /// let net = TwoLayer::new(1, 10, Activation::Relu, Scaling::Ntk, &mut course::rng::seeded(6));
    /// let j = net.jacobian(&array![[0.5], [-0.5]]);
    /// assert_eq!(j.dim(), (2, 30));
    /// assert_eq!(j.row(0), net.grad_params(&[0.5]));
    /// ```
    pub fn jacobian(&self, x: &Array2<f64>) -> Array2<f64> {
        assert_eq!(x.ncols(), self.dim(), "TwoLayer::jacobian: x must have dim = {} columns, got {}", self.dim(), x.ncols());
        let mut jac = Array2::zeros((x.nrows(), self.n_params()));
        for (k, row) in x.axis_iter(Axis(0)).enumerate() {
            let xk = row.to_vec();
            jac.row_mut(k).assign(&self.grad_params(&xk));
        }
        jac
    }

    /// The half mean squared error $L = \frac1{2n}\sum_k (f(x_k) - y_k)^2$ and its gradient in $\theta$.
    ///
    /// # Panics
    /// If `x.nrows() != y.len()`, `y` is empty, or `x.ncols() != dim`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// use ndarray::array;
    /// let net = TwoLayer::new(1, 6, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(7));
    /// let (x, y) = (array![[0.0], [1.0]], array![1.0, -1.0]);
    /// let (loss, grad) = net.mse_loss_grad(&x, &y);
    /// let r = net.predict(&x) - &y;
    /// assert!((loss - 0.25 * r.dot(&r)).abs() < 1e-14);
    /// assert_eq!(grad.len(), net.n_params());
    /// ```
    pub fn mse_loss_grad(&self, x: &Array2<f64>, y: &Array1<f64>) -> (f64, Array1<f64>) {
        assert_eq!(x.nrows(), y.len(), "TwoLayer::mse_loss_grad: x and y must have the same number of rows, got {} and {}", x.nrows(), y.len());
        assert!(!y.is_empty(), "TwoLayer::mse_loss_grad: need at least one data point");
        assert_eq!(x.ncols(), self.dim(), "TwoLayer::mse_loss_grad: x must have dim = {} columns, got {}", self.dim(), x.ncols());
        let n = y.len() as f64;
        let (m, d) = self.w.dim();
        let act = self.activation;
        let z = x.dot(&self.w.t()) + &self.b; // n × m
        let h = z.mapv(|v| act.eval(v, 0));
        let hp = z.mapv(|v| act.eval(v, 1));
        let r = h.dot(&self.a) * self.scale - y; // residuals
        let loss = 0.5 * r.dot(&r) / n;
        // dL/da = s/n Hᵀ r; dL/dz_ki = s/n r_k a_i σ'(z_ki); dL/db = Σ_k dL/dz; dL/dw = (dL/dz)ᵀ x.
        let ga = h.t().dot(&r) * (self.scale / n);
        let mut dz = hp;
        for (mut row, rk) in dz.axis_iter_mut(Axis(0)).zip(r.iter()) {
            row.zip_mut_with(&self.a, |v, ai| *v *= rk * ai * self.scale / n);
        }
        let gb = dz.sum_axis(Axis(0));
        let gw = dz.t().dot(x);
        let mut g = Array1::zeros(self.n_params());
        g.slice_mut(ndarray::s![..m * d]).assign(&Array1::from_iter(gw.iter().copied()));
        g.slice_mut(ndarray::s![m * d..m * d + m]).assign(&gb);
        g.slice_mut(ndarray::s![m * d + m..]).assign(&ga);
        (loss, g)
    }

    /// Full-batch gradient descent $\theta \leftarrow \theta - \mathrm{lr}\,\nabla L$ on the half MSE for
    /// `n_steps` steps; returns the loss before each step and after the last (`n_steps + 1` values).
    ///
    /// # Panics
    /// If `lr` is not finite and positive, or as [`mse_loss_grad`](Self::mse_loss_grad).
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// use ndarray::{Array1, Array2};
    /// let mut net = TwoLayer::new(1, 200, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(8));
    /// let x = Array2::from_shape_fn((20, 1), |(k, _)| -1.0 + 0.1 * k as f64);
    /// let y: Array1<f64> = x.column(0).mapv(|v| (3.0 * v).sin());
    /// let losses = net.train_gd(&x, &y, 2.0, 500);
    /// assert!(losses[500] < 1e-2 * losses[0]); // 0.50 → 0.0014
    /// ```
    pub fn train_gd(&mut self, x: &Array2<f64>, y: &Array1<f64>, lr: f64, n_steps: usize) -> Vec<f64> {
        assert!(lr.is_finite() && lr > 0.0, "TwoLayer::train_gd: lr must be finite and > 0, got {lr}");
        let mut losses = Vec::with_capacity(n_steps + 1);
        let mut theta = self.params();
        for _ in 0..n_steps {
            let (loss, g) = self.mse_loss_grad(x, y);
            losses.push(loss);
            theta.scaled_add(-lr, &g);
            self.set_params(&theta);
        }
        losses.push(self.mse_loss_grad(x, y).0);
        losses
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::array;

    fn nets() -> Vec<TwoLayer> {
        let mut rng = seeded(11);
        vec![
            TwoLayer::new(2, 7, Activation::Tanh, Scaling::Ntk, &mut rng),
            TwoLayer::new(3, 5, Activation::Softplus, Scaling::MeanField, &mut rng),
            TwoLayer::new(2, 6, Activation::Tanh, Scaling::Standard, &mut rng),
        ]
    }

    /// The network with parameter `p` moved by `h`.
    fn nudged(net: &TwoLayer, theta: &Array1<f64>, p: usize, h: f64) -> TwoLayer {
        let mut moved = theta.clone();
        moved[p] += h;
        let mut out = net.clone();
        out.set_params(&moved);
        out
    }

    #[test]
    fn activation_derivatives_match_finite_differences() {
        let h = 1e-5;
        for act in [Activation::Tanh, Activation::Softplus, Activation::Relu] {
            for &z in &[-2.3, -0.4, 0.35, 1.7] {
                for k in 0..3 {
                    let fd = (act.eval(z + h, k) - act.eval(z - h, k)) / (2.0 * h);
                    assert!((act.eval(z, k + 1) - fd).abs() < 1e-8, "{act:?} order {} at {z}", k + 1);
                }
            }
        }
        // softplus is log(1 + e^z), also for large z.
        assert!((Activation::Softplus.eval(40.0, 0) - 40.0).abs() < 1e-15);
        assert!((Activation::Softplus.eval(-1.0, 0) - (1.0 + (-1.0f64).exp()).ln()).abs() < 1e-15);
    }

    #[test]
    fn input_derivatives_match_finite_differences() {
        let h = 1e-4;
        for net in nets() {
            let x: Vec<f64> = (0..net.dim()).map(|k| 0.3 - 0.4 * k as f64).collect();
            for j in 0..net.dim() {
                let mut xp = x.clone();
                xp[j] += h;
                let mut xm = x.clone();
                xm[j] -= h;
                let d1 = (net.forward(&xp) - net.forward(&xm)) / (2.0 * h);
                let d2 = (net.forward(&xp) - 2.0 * net.forward(&x) + net.forward(&xm)) / (h * h);
                assert!((net.derivative(&x, j, 1) - d1).abs() < 1e-7);
                assert!((net.derivative(&x, j, 2) - d2).abs() < 1e-5);
            }
        }
    }

    #[test]
    fn parameter_gradients_of_all_orders_match_finite_differences() {
        let h = 1e-6;
        for net in nets() {
            let x: Vec<f64> = (0..net.dim()).map(|k| -0.2 + 0.5 * k as f64).collect();
            let theta = net.params();
            for j in 0..net.dim() {
                for order in 0..3 {
                    let g = net.grad_params_derivative(&x, j, order);
                    for p in 0..net.n_params() {
                        let (plus, minus) = (nudged(&net, &theta, p, h), nudged(&net, &theta, p, -h));
                        let fd = (plus.derivative(&x, j, order) - minus.derivative(&x, j, order)) / (2.0 * h);
                        assert!((g[p] - fd).abs() < 1e-7 * (1.0 + fd.abs()), "order {order}, j {j}, param {p}: {} vs {fd}", g[p]);
                    }
                }
            }
        }
    }

    #[test]
    fn mse_gradient_equals_jacobian_formula_and_finite_differences() {
        for net in nets() {
            let n = 9;
            let x = Array2::from_shape_fn((n, net.dim()), |(k, j)| ((k * 7 + j * 3) as f64 * 0.37).sin());
            let y = Array1::from_shape_fn(n, |k| (k as f64 * 0.5).cos());
            let (loss, g) = net.mse_loss_grad(&x, &y);
            // Jacobian route: ∇L = Jᵀ r / n.
            let r = net.predict(&x) - &y;
            let g_jac = net.jacobian(&x).t().dot(&r) / n as f64;
            assert!((&g - &g_jac).iter().all(|v| v.abs() < 1e-13));
            // Finite differences on the loss.
            let theta = net.params();
            let h = 1e-6;
            for p in 0..net.n_params() {
                let (plus, minus) = (nudged(&net, &theta, p, h), nudged(&net, &theta, p, -h));
                let fd = (plus.mse_loss_grad(&x, &y).0 - minus.mse_loss_grad(&x, &y).0) / (2.0 * h);
                assert!((g[p] - fd).abs() < 1e-8, "param {p}");
            }
            assert!((loss - 0.5 * r.dot(&r) / n as f64).abs() < 1e-14);
        }
    }

    #[test]
    fn initialization_statistics() {
        // NTK scaling at init: Var f(x) = E[a²] E[σ(z)²] ≈ E tanh(z)² for z ~ N(0, |x|² + 1),
        // independent of the width; with 2000 units the empirical second moment of σ(z_i) over
        // units is within a few percent.
        let net = TwoLayer::new(1, 2000, Activation::Tanh, Scaling::Ntk, &mut seeded(12));
        let z = net.w.column(0).mapv(|w| w * 0.0) + &net.b;
        let m2 = z.mapv(|v| v.tanh().powi(2)).mean().unwrap();
        // E tanh(Z)², Z ~ N(0,1), by quadrature on a fine grid.
        let mut quad = 0.0;
        let dz = 1e-3;
        let mut v: f64 = -10.0;
        while v < 10.0 {
            quad += v.tanh().powi(2) * (-v * v / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * dz;
            v += dz;
        }
        assert!((m2 - quad).abs() < 0.03, "{m2} vs {quad}");
        let std = TwoLayer::new(4, 50, Activation::Relu, Scaling::Standard, &mut seeded(13));
        assert!(std.b.iter().all(|&b| b == 0.0));
        assert_eq!(std.scale, 1.0);
    }

    #[test]
    fn train_gd_decreases_a_convex_problem_like_least_squares() {
        // Only the outer layer matters for small lr on a linear-in-a problem: with w, b frozen
        // the loss in a is a convex quadratic; GD with lr below 2/L must not increase it.
        let mut net = TwoLayer::new(1, 50, Activation::Tanh, Scaling::Ntk, &mut seeded(14));
        let x = Array2::from_shape_fn((15, 1), |(k, _)| -1.0 + k as f64 / 7.0);
        let y = x.column(0).mapv(|v| v * v);
        let losses = net.train_gd(&x, &y, 0.1, 200);
        assert_eq!(losses.len(), 201);
        assert!(losses.windows(2).all(|w| w[1] <= w[0] + 1e-12));
    }

    #[test]
    #[should_panic(expected = "lr must be finite and > 0")]
    fn bad_learning_rate_is_named() {
        let mut net = TwoLayer::new(1, 3, Activation::Tanh, Scaling::Ntk, &mut seeded(0));
        net.train_gd(&array![[0.0]], &array![1.0], -1.0, 1);
    }

    #[test]
    #[should_panic(expected = "x must have dim = 2 entries, got 3")]
    fn wrong_input_length_is_named() {
        let net = TwoLayer::new(2, 3, Activation::Tanh, Scaling::Ntk, &mut seeded(0));
        net.forward(&[1.0, 2.0, 3.0]);
    }
}
