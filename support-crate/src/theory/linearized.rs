//! Linearized training dynamics: a wide network trains like its first-order Taylor model, i.e. kernel regression.
//!
//! The linearization of $f$ around the initialization $\theta_0$ is
//! $$f^{\text{lin}}(x;\theta) = f(x;\theta_0) + \nabla_\theta f(x;\theta_0)\cdot(\theta-\theta_0),$$
//! a model *linear in* $\theta$ with the fixed feature map $\nabla_\theta f(\cdot;\theta_0)$ and hence
//! the fixed kernel $\Theta = \Theta_0$. Gradient descent with step $\eta$ on the half MSE
//! $\frac1{2n}\lVert f^{\text{lin}}(X) - y\rVert^2$ moves $\theta$ by $-\frac\eta n J^\top(f_t - y)$, so the
//! training predictions obey the linear recursion
//! $$f_{t+1}(X) - y = \big(I - \tfrac\eta n\Theta\big)\big(f_t(X) - y\big)
//!   \quad\Longrightarrow\quad f_t(X) = y + \big(I - \tfrac\eta n\Theta\big)^t\big(f_0(X) - y\big),$$
//! and at test points $x_\ast$, with $\Theta = V\Lambda V^\top$,
//! $$f_t(x_\ast) = f_0(x_\ast) + \Theta(x_\ast, X)\,V\operatorname{diag}\Big(\frac{1 - (1 - \eta\lambda_j/n)^t}{\lambda_j}\Big)V^\top\big(y - f_0(X)\big)
//!   \xrightarrow{t\to\infty} f_0(x_\ast) + \Theta(x_\ast, X)\,\Theta^{-1}\big(y - f_0(X)\big),$$
//! kernel (ridgeless) regression with the NTK, started from $f_0$. Each eigen-direction of $\Theta$
//! converges at its own rate $1 - \eta\lambda_j/n$ (stable for $\eta < 2n/\lambda_{\max}$).
//!
//! ## Reference
//! J. Lee, L. Xiao, S. Schoenholz, Y. Bahri, R. Novak, J. Sohl-Dickstein, J. Pennington (2019),
//! *Wide neural networks of any depth evolve as linear models under gradient descent*, NeurIPS;
//! Jacot, Gabriel, Hongler (2018), *Neural tangent kernel*, NeurIPS.
//!
//! Used in notebooks/22-neural-tangent-kernel.ipynb.

use crate::learning::TwoLayer;
use crate::linalg::{SymmetricEigen, symmetric_eigen};
use ndarray::{Array1, Array2};

/// $f^{\text{lin}}(x;\theta) = f(x;\theta_0) + J(x)(\theta - \theta_0)$ at every row of `x`, where
/// `net0` holds $\theta_0$.
///
/// # Panics
/// If `theta.len() != net0.n_params()` or `x` does not have `net0.dim()` columns.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net0 = TwoLayer::new(1, 20, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(0));
/// let x = array![[0.3], [-0.4]];
/// // At θ = θ0 the linear model is the network.
/// let f = course::theory::linearized_predict(&net0, &net0.params(), &x);
/// assert!((&f - &net0.predict(&x)).iter().all(|v| v.abs() < 1e-14));
/// ```
pub fn linearized_predict(net0: &TwoLayer, theta: &Array1<f64>, x: &Array2<f64>) -> Array1<f64> {
    assert_eq!(theta.len(), net0.n_params(), "linearized_predict: theta must have n_params = {} entries, got {}", net0.n_params(), theta.len());
    let delta = theta - &net0.params();
    net0.predict(x) + net0.jacobian(x).dot(&delta)
}

/// Gradient descent on the *linearized* model, run in parameter space: returns $\theta_t$ after
/// `n_steps` steps of $\theta \leftarrow \theta - \frac{\mathrm{lr}}n J^\top(f^{\text{lin}}(X;\theta) - y)$.
/// (An independent route to the closed form of [`KernelDynamics`].)
///
/// # Panics
/// If `lr` is not finite and positive, or the shapes disagree.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net0 = TwoLayer::new(1, 30, Activation::Relu, Scaling::Ntk, &mut course::rng::seeded(1));
/// let (x, y) = (array![[-0.5], [0.5]], array![1.0, -1.0]);
/// let theta = course::theory::train_linearized(&net0, &x, &y, 0.5, 2000);
/// let f = course::theory::linearized_predict(&net0, &theta, &x);
/// assert!((&f - &y).iter().all(|v| v.abs() < 1e-8)); // interpolates
/// ```
pub fn train_linearized(net0: &TwoLayer, x: &Array2<f64>, y: &Array1<f64>, lr: f64, n_steps: usize) -> Array1<f64> {
    assert!(lr.is_finite() && lr > 0.0, "train_linearized: lr must be finite and > 0, got {lr}");
    assert_eq!(x.nrows(), y.len(), "train_linearized: x and y must have the same number of rows, got {} and {}", x.nrows(), y.len());
    let j = net0.jacobian(x);
    let f0 = net0.predict(x);
    let theta0 = net0.params();
    let n = y.len() as f64;
    let mut delta = Array1::<f64>::zeros(theta0.len());
    for _ in 0..n_steps {
        let r = &f0 + &j.dot(&delta) - y;
        delta.scaled_add(-lr / n, &j.t().dot(&r));
    }
    theta0 + delta
}

/// The function-space solution of linearized gradient descent: training and test predictions at
/// any step $t$ in closed form, from the kernel at initialization (see the module docs).
#[derive(Clone, Debug)]
pub struct KernelDynamics {
    /// $\Theta(X, X)$, `n × n`.
    pub k_train: Array2<f64>,
    /// $\Theta(X_\ast, X)$, `n_test × n`.
    pub k_test: Array2<f64>,
    /// $f_0(X)$.
    pub f0_train: Array1<f64>,
    /// $f_0(X_\ast)$.
    pub f0_test: Array1<f64>,
    /// The targets $y$.
    pub y: Array1<f64>,
    eigen: SymmetricEigen,
}

impl KernelDynamics {
    /// From a kernel and initial predictions.
    ///
    /// # Panics
    /// If the shapes disagree or `k_train` is not symmetric.
    ///
    /// # Examples
    /// ```
    /// use course::theory::KernelDynamics;
    /// use ndarray::array;
    /// // One point, kernel 2, lr 0.25: the residual shrinks by 1 − 0.25·2 = 1/2 per step.
    /// let kd = KernelDynamics::new(array![[2.0]], array![[1.0]], array![0.0], array![0.0], array![1.0]);
    /// assert!((kd.train_predictions(0.25, 3)[0] - (1.0 - 0.125)).abs() < 1e-12);
    /// // Test point: f_t = Θ(x*, x)/Θ(x, x) · f_t(x) here.
    /// assert!((kd.test_predictions(0.25, 3)[0] - 0.4375).abs() < 1e-12);
    /// ```
    pub fn new(k_train: Array2<f64>, k_test: Array2<f64>, f0_train: Array1<f64>, f0_test: Array1<f64>, y: Array1<f64>) -> Self {
        let n = y.len();
        assert!(n > 0, "KernelDynamics::new: y must not be empty");
        assert_eq!(k_train.dim(), (n, n), "KernelDynamics::new: k_train must be n × n = {n} × {n}, got {:?}", k_train.dim());
        assert_eq!(k_test.ncols(), n, "KernelDynamics::new: k_test must have n = {n} columns, got {}", k_test.ncols());
        assert_eq!(f0_train.len(), n, "KernelDynamics::new: f0_train must have n = {n} entries, got {}", f0_train.len());
        assert_eq!(f0_test.len(), k_test.nrows(), "KernelDynamics::new: f0_test must have k_test.nrows() = {} entries, got {}", k_test.nrows(), f0_test.len());
        let sym = (&k_train + &k_train.t()) * 0.5;
        let eigen = symmetric_eigen(&sym);
        KernelDynamics { k_train: sym, k_test, f0_train, f0_test, y, eigen }
    }

    /// The empirical NTK of `net` (at its current parameters, the initialization) on the training
    /// inputs `x` and test inputs `x_test`, with the network's initial predictions.
    ///
    /// # Panics
    /// As [`new`](Self::new), or if the inputs do not have `net.dim()` columns.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{Activation, Scaling, TwoLayer};
    /// use course::theory::KernelDynamics;
    /// use ndarray::array;
    /// let net = TwoLayer::new(1, 64, Activation::Relu, Scaling::Ntk, &mut course::rng::seeded(2));
    /// let kd = KernelDynamics::from_net(&net, &array![[-0.5], [0.5]], &array![1.0, 0.0], &array![[0.0]]);
    /// // At t = 0 nothing has moved.
    /// assert!((kd.test_predictions(1.0, 0)[0] - net.forward(&[0.0])).abs() < 1e-14);
    /// ```
    pub fn from_net(net: &TwoLayer, x: &Array2<f64>, y: &Array1<f64>, x_test: &Array2<f64>) -> Self {
        let j = net.jacobian(x);
        let j_test = net.jacobian(x_test);
        KernelDynamics::new(j.dot(&j.t()), j_test.dot(&j.t()), net.predict(x), net.predict(x_test), y.clone())
    }

    fn filtered(&self, lr: f64, gain: impl Fn(f64, f64) -> f64) -> Array1<f64> {
        assert!(lr.is_finite() && lr > 0.0, "KernelDynamics: lr must be finite and > 0, got {lr}");
        let v = &self.eigen.vectors;
        let coef = v.t().dot(&(&self.y - &self.f0_train));
        let n = self.y.len() as f64;
        let scaled = Array1::from_shape_fn(coef.len(), |j| {
            let lam = self.eigen.values[j];
            let q = lr * lam / n;
            coef[j] * gain(lam, q)
        });
        v.dot(&scaled)
    }

    /// $f_t(X) = y + (I - \frac{\mathrm{lr}}n\Theta)^t (f_0(X) - y)$.
    ///
    /// # Panics
    /// If `lr` is not finite and positive.
    pub fn train_predictions(&self, lr: f64, t: usize) -> Array1<f64> {
        let ti = i32::try_from(t).expect("KernelDynamics: t must fit in i32");
        // y − f_t = (I − qΘ)^t (y − f_0), so f_t = f_0 + (I − (I − qΘ)^t)(y − f_0).
        let moved = self.filtered(lr, |_, q| 1.0 - (1.0 - q).powi(ti));
        &self.f0_train + &moved
    }

    /// $f_t(X_\ast) = f_0(X_\ast) + \Theta(X_\ast, X)\,V\operatorname{diag}\big((1-(1-\mathrm{lr}\,\lambda_j/n)^t)/\lambda_j\big)V^\top(y - f_0(X))$.
    ///
    /// # Panics
    /// If `lr` is not finite and positive.
    pub fn test_predictions(&self, lr: f64, t: usize) -> Array1<f64> {
        let ti = i32::try_from(t).expect("KernelDynamics: t must fit in i32");
        let n = self.y.len() as f64;
        let tf = t as f64;
        let c = self.filtered(lr, |lam, q| {
            if q.abs() < 1e-6 {
                // (1 − (1 − q)^t)/λ accurately for tiny q (and its limit t·lr/n at λ = 0).
                let x = tf * (-q).ln_1p();
                if lam == 0.0 { tf * lr / n } else { -x.exp_m1() / lam }
            } else {
                (1.0 - (1.0 - q).powi(ti)) / lam
            }
        });
        &self.f0_test + &self.k_test.dot(&c)
    }

    /// The $t\to\infty$ limit at the test points: $f_0(X_\ast) + \Theta(X_\ast, X)\Theta^{-1}(y - f_0(X))$
    /// (kernel regression with the NTK).
    ///
    /// # Panics
    /// If $\Theta(X, X)$ is numerically singular ($\lambda_{\min} \le 10^{-12}\lambda_{\max}$).
    ///
    /// # Examples
    /// ```
    /// use course::theory::KernelDynamics;
    /// use ndarray::array;
    /// let kd = KernelDynamics::new(array![[2.0, 1.0], [1.0, 2.0]], array![[1.0, 1.0]], array![0.0, 0.0], array![0.0], array![3.0, 3.0]);
    /// // Θ⁻¹y = (1, 1), so f∞(x*) = 1 + 1.
    /// assert!((kd.kernel_regression()[0] - 2.0).abs() < 1e-12);
    /// ```
    pub fn kernel_regression(&self) -> Array1<f64> {
        let lmax = self.eigen.values[0];
        let lmin = self.eigen.values[self.eigen.values.len() - 1];
        assert!(lmin > 1e-12 * lmax.abs(), "KernelDynamics::kernel_regression: the kernel matrix must be positive definite, got λmin = {lmin:e}, λmax = {lmax:e}");
        let c = self.filtered(1.0, |lam, _| 1.0 / lam);
        &self.f0_test + &self.k_test.dot(&c)
    }

    /// The eigenvalues of $\Theta(X, X)$, descending.
    pub fn eigenvalues(&self) -> &Array1<f64> {
        &self.eigen.values
    }
}

/// Full-batch gradient descent on the network itself, recording the predictions at `x_test` every
/// `every` steps: returns `n_steps / every + 1` vectors, at steps $0, \text{every}, 2\,\text{every}, …$.
///
/// # Panics
/// If `every == 0`, `n_steps` is not a multiple of `every`, or as [`TwoLayer::train_gd`].
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let mut net = TwoLayer::new(1, 100, Activation::Relu, Scaling::Ntk, &mut course::rng::seeded(3));
/// let (x, y) = (array![[-0.5], [0.5]], array![1.0, -1.0]);
/// let preds = course::theory::gd_predictions(&mut net, &x, &y, &x, 0.5, 400, 100);
/// assert_eq!(preds.len(), 5);
/// assert!((&preds[4] - &y).iter().all(|v| v.abs() < 1e-3));
/// ```
pub fn gd_predictions(net: &mut TwoLayer, x: &Array2<f64>, y: &Array1<f64>, x_test: &Array2<f64>, lr: f64, n_steps: usize, every: usize) -> Vec<Array1<f64>> {
    assert!(every > 0, "gd_predictions: every must be > 0, got 0");
    assert!(n_steps % every == 0, "gd_predictions: n_steps must be a multiple of every = {every}, got {n_steps}");
    let mut out = vec![net.predict(x_test)];
    for _ in 0..n_steps / every {
        net.train_gd(x, y, lr, every);
        out.push(net.predict(x_test));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::{Activation, Scaling};
    use crate::rng::seeded;

    fn problem() -> (Array2<f64>, Array1<f64>, Array2<f64>) {
        let x = Array2::from_shape_fn((8, 1), |(k, _)| -1.0 + k as f64 * 2.0 / 7.0);
        let y = x.column(0).mapv(|v| (2.0 * v).sin());
        let xt = Array2::from_shape_fn((5, 1), |(k, _)| -0.9 + k as f64 * 0.45);
        (x, y, xt)
    }

    #[test]
    fn closed_form_equals_gd_on_the_linear_model() {
        // Independent routes: iterate θ in parameter space vs the eigen closed form.
        let (x, y, xt) = problem();
        for act in [Activation::Relu, Activation::Tanh] {
            let net0 = TwoLayer::new(1, 40, act, Scaling::Ntk, &mut seeded(5));
            let kd = KernelDynamics::from_net(&net0, &x, &y, &xt);
            for t in [0, 1, 7, 50, 300] {
                let theta = train_linearized(&net0, &x, &y, 0.7, t);
                let ft = linearized_predict(&net0, &theta, &xt);
                let ftr = linearized_predict(&net0, &theta, &x);
                assert!((&ft - &kd.test_predictions(0.7, t)).iter().all(|v| v.abs() < 1e-10), "{act:?} t={t}");
                assert!((&ftr - &kd.train_predictions(0.7, t)).iter().all(|v| v.abs() < 1e-10), "{act:?} t={t}");
            }
        }
    }

    #[test]
    fn long_time_limit_is_kernel_regression_by_a_linear_solve() {
        let (x, y, xt) = problem();
        let net0 = TwoLayer::new(1, 60, Activation::Relu, Scaling::Ntk, &mut seeded(6));
        let kd = KernelDynamics::from_net(&net0, &x, &y, &xt);
        let alpha = crate::linalg::solve(&kd.k_train, &(&y - &kd.f0_train)).unwrap();
        let direct = &kd.f0_test + &kd.k_test.dot(&alpha);
        assert!((&direct - &kd.kernel_regression()).iter().all(|v| v.abs() < 1e-8));
        let lr = 1.0 / kd.eigenvalues()[0] * y.len() as f64; // q_max = 1
        let late = kd.test_predictions(lr, 200_000);
        assert!((&late - &direct).iter().all(|v| v.abs() < 1e-6));
    }

    #[test]
    fn wide_networks_follow_the_linearization_more_closely() {
        // max |f_net − f_lin| at test points after the same training decreases with width.
        let (x, y, xt) = problem();
        let mut gaps = Vec::new();
        for m in [100, 1000, 10_000] {
            let mut g = 0.0;
            for seed in 0..3 {
                let mut net = TwoLayer::new(1, m, Activation::Relu, Scaling::Ntk, &mut seeded(seed));
                let kd = KernelDynamics::from_net(&net, &x, &y, &xt);
                net.train_gd(&x, &y, 0.5, 200);
                let gap = (&net.predict(&xt) - &kd.test_predictions(0.5, 200)).iter().fold(0.0f64, |a, v| a.max(v.abs()));
                g += gap / 3.0;
            }
            gaps.push(g);
        }
        assert!(gaps[1] < 0.6 * gaps[0] && gaps[2] < 0.6 * gaps[1], "{gaps:?}");
    }

    #[test]
    #[should_panic(expected = "every must be > 0")]
    fn zero_every_is_named() {
        let mut net = TwoLayer::new(1, 3, Activation::Relu, Scaling::Ntk, &mut seeded(0));
        gd_predictions(&mut net, &ndarray::array![[0.0]], &ndarray::array![0.0], &ndarray::array![[0.0]], 0.1, 10, 0);
    }
}
