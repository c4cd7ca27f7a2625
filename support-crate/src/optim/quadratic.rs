//! Quadratics with a prescribed spectrum, the model problem of first-order optimization.
//!
//! $$f(x) = \tfrac12 x^\top A x,\qquad A = Q\,\operatorname{diag}(\lambda_1,\dots,\lambda_d)\,Q^\top,\qquad
//!   \nabla f(x) = Ax,\qquad x^\star = 0,\ f^\star = 0 .$$
//! $f$ is $L$-smooth with $L = \max_i\lambda_i$ and $\mu$-strongly convex with
//! $\mu = \min_i\lambda_i$ (merely convex when $\mu = 0$). Everything is explicit in the
//! eigenbasis: gradient flow $\dot x = -Ax$ is $x(t) = e^{-tA}x_0$, gradient descent is
//! $x_k = (I-\alpha A)^k x_0$, and with additive gradient noise of variance $\sigma^2$ per
//! coordinate, constant-step SGD settles at
//! $$\lim_{k\to\infty}\mathbb E f(x_k) = \frac{\alpha\sigma^2}{2}\sum_i\frac{1}{2-\alpha\lambda_i}.$$
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), §2.1; Bubeck, *Convex Optimization:
//! Algorithms and Complexity* (2015), §3.
//!
//! Used in notebooks/04-gradient-descent.ipynb and notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::Objective;
use crate::linalg::Qr;
use ndarray::{Array1, Array2};

/// $f(x) = \frac12 x^\top A x$ with eigenvalues chosen by the caller.
///
/// # Examples
/// ```
/// use course::optim::{Objective, Quadratic};
/// use ndarray::array;
/// let q = Quadratic::with_spectrum(&[1.0, 100.0], 7); // randomly rotated, κ = 100
/// assert_eq!(q.condition_number(), 100.0);
/// let x = array![0.3, -0.4];
/// // ⟨x, Ax⟩ lies between μ‖x‖² and L‖x‖².
/// assert!(2.0 * q.value(&x) >= 1.0 * 0.25 - 1e-12 && 2.0 * q.value(&x) <= 100.0 * 0.25 + 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct Quadratic {
    eigenvalues: Vec<f64>,
    /// Orthonormal eigenvectors, one per column.
    q: Array2<f64>,
    a: Array2<f64>,
}

impl Quadratic {
    /// The axis-aligned quadratic $\frac12\sum_i\lambda_i x_i^2$.
    ///
    /// # Panics
    /// If `eigenvalues` is empty or holds a negative or non-finite value.
    ///
    /// # Examples
    /// ```
    /// use course::optim::{Objective, Quadratic};
    /// let q = Quadratic::diagonal(&[1.0, 4.0]);
    /// assert_eq!(q.value(&ndarray::array![1.0, 1.0]), 2.5);
    /// ```
    pub fn diagonal(eigenvalues: &[f64]) -> Self {
        Self::from_eigen(eigenvalues, Array2::eye(eigenvalues.len()), "Quadratic::diagonal")
    }

    /// A quadratic with eigenvalues `eigenvalues` and eigenvectors from the QR factorization of a
    /// seeded Gaussian matrix (a random rotation).
    ///
    /// # Panics
    /// If `eigenvalues` is empty or holds a negative or non-finite value.
    ///
    /// # Examples
    /// ```
    /// let q = course::optim::Quadratic::with_spectrum(&[0.5, 2.0, 3.0], 1);
    /// let a = q.matrix();
    /// assert!((a[[0, 0]] + a[[1, 1]] + a[[2, 2]] - 5.5).abs() < 1e-12); // trace = Σλ
    /// ```
    pub fn with_spectrum(eigenvalues: &[f64], seed: u64) -> Self {
        let d = eigenvalues.len();
        assert!(d > 0, "Quadratic::with_spectrum: eigenvalues must not be empty");
        let g = Array2::from_shape_vec((d, d), crate::rng::normal_vec(&mut crate::rng::seeded(seed), d * d))
            .expect("d × d entries");
        Self::from_eigen(eigenvalues, Qr::new(&g).q(), "Quadratic::with_spectrum")
    }

    fn from_eigen(eigenvalues: &[f64], q: Array2<f64>, what: &str) -> Self {
        assert!(!eigenvalues.is_empty(), "{what}: eigenvalues must not be empty");
        if let Some(l) = eigenvalues.iter().find(|l| !(l.is_finite() && **l >= 0.0)) {
            panic!("{what}: eigenvalues must be finite and >= 0 (a convex quadratic), got {l}");
        }
        let lam = Array2::from_diag(&Array1::from(eigenvalues.to_vec()));
        let a = q.dot(&lam).dot(&q.t());
        Quadratic { eigenvalues: eigenvalues.to_vec(), q, a }
    }

    /// Dimension $d$.
    pub fn dim(&self) -> usize {
        self.eigenvalues.len()
    }

    /// The eigenvalues $\lambda_i$, in the order given.
    pub fn eigenvalues(&self) -> &[f64] {
        &self.eigenvalues
    }

    /// The orthonormal eigenvectors (columns), $A = Q\Lambda Q^\top$.
    pub fn eigenvectors(&self) -> &Array2<f64> {
        &self.q
    }

    /// The Hessian $A$.
    pub fn matrix(&self) -> Array2<f64> {
        self.a.clone()
    }

    /// The smoothness constant $L = \max_i\lambda_i$.
    pub fn smoothness(&self) -> f64 {
        self.eigenvalues.iter().copied().fold(0.0, f64::max)
    }

    /// The strong-convexity constant $\mu = \min_i\lambda_i$ (0 if merely convex).
    pub fn strong_convexity(&self) -> f64 {
        self.eigenvalues.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// The condition number $\kappa = L/\mu$ (infinite when $\mu = 0$).
    pub fn condition_number(&self) -> f64 {
        self.smoothness() / self.strong_convexity()
    }

    /// The minimizer $x^\star = 0$.
    pub fn minimizer(&self) -> Array1<f64> {
        Array1::zeros(self.dim())
    }

    /// $x$ in the eigenbasis: $Q^\top x$.
    fn coords(&self, x: &Array1<f64>, what: &str) -> Array1<f64> {
        assert_eq!(x.len(), self.dim(), "{what}: x must have {} entries, got {}", self.dim(), x.len());
        self.q.t().dot(x)
    }

    /// The exact gradient flow $x(t) = e^{-tA}x_0$, solution of $\dot x = -\nabla f(x)$.
    ///
    /// # Panics
    /// If `x0` has the wrong length or `t < 0`.
    ///
    /// # Examples
    /// ```
    /// let q = course::optim::Quadratic::diagonal(&[2.0]);
    /// let x = q.flow(&ndarray::array![1.0], 0.5);
    /// assert!((x[0] - (-1.0f64).exp()).abs() < 1e-15);
    /// ```
    pub fn flow(&self, x0: &Array1<f64>, t: f64) -> Array1<f64> {
        assert!(t >= 0.0 && t.is_finite(), "Quadratic::flow: t must be finite and >= 0, got {t}");
        let c = self.coords(x0, "Quadratic::flow");
        let decayed = Array1::from_shape_fn(self.dim(), |i| (-t * self.eigenvalues[i]).exp() * c[i]);
        self.q.dot(&decayed)
    }

    /// The gradient-descent iterate in closed form, $x_k = (I-\alpha A)^k x_0$.
    ///
    /// # Panics
    /// If `x0` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// let q = course::optim::Quadratic::diagonal(&[1.0, 3.0]);
    /// let x = q.gd_iterate(&ndarray::array![1.0, 1.0], 0.5, 2);
    /// assert_eq!(x, ndarray::array![0.25, 0.25]); // (1 − 0.5)² and (1 − 1.5)²
    /// ```
    pub fn gd_iterate(&self, x0: &Array1<f64>, lr: f64, k: usize) -> Array1<f64> {
        let c = self.coords(x0, "Quadratic::gd_iterate");
        let power = i32::try_from(k).expect("Quadratic::gd_iterate: k fits in an i32");
        let contracted = Array1::from_shape_fn(self.dim(), |i| (1.0 - lr * self.eigenvalues[i]).powi(power) * c[i]);
        self.q.dot(&contracted)
    }

    /// The stationary mean loss of SGD with constant step `lr` and gradients
    /// $Ax + \sigma\xi$, $\xi\sim\mathcal N(0, I)$: $\frac{\alpha\sigma^2}{2}\sum_i\frac{1}{2-\alpha\lambda_i}$
    /// (the noise floor).
    ///
    /// # Panics
    /// Unless $0 < \alpha < 2/L$ (otherwise there is no stationary distribution), or if
    /// `noise_std < 0`.
    ///
    /// # Examples
    /// ```
    /// let q = course::optim::Quadratic::diagonal(&[1.0, 1.0]);
    /// // Each coordinate: Var = ασ²/(λ(2 − αλ)) = 0.1/1.9; E f = Σ λ Var / 2.
    /// assert!((q.stationary_sgd_loss(0.1, 1.0) - 0.1 / 1.9).abs() < 1e-15);
    /// ```
    pub fn stationary_sgd_loss(&self, lr: f64, noise_std: f64) -> f64 {
        let l = self.smoothness();
        assert!(
            lr > 0.0 && lr * l < 2.0,
            "Quadratic::stationary_sgd_loss: lr must lie in (0, 2/L) = (0, {}), got {lr}",
            2.0 / l
        );
        assert!(noise_std >= 0.0 && noise_std.is_finite(), "Quadratic::stationary_sgd_loss: noise_std must be >= 0, got {noise_std}");
        0.5 * lr * noise_std * noise_std * self.eigenvalues.iter().map(|l| 1.0 / (2.0 - lr * l)).sum::<f64>()
    }
}

impl Objective for Quadratic {
    fn value(&self, x: &Array1<f64>) -> f64 {
        assert_eq!(x.len(), self.dim(), "Quadratic::value: x must have {} entries, got {}", self.dim(), x.len());
        0.5 * x.dot(&self.a.dot(x))
    }

    fn gradient(&self, x: &Array1<f64>) -> Array1<f64> {
        assert_eq!(x.len(), self.dim(), "Quadratic::gradient: x must have {} entries, got {}", self.dim(), x.len());
        self.a.dot(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn rotated_matrix_has_the_prescribed_eigenvalues() {
        // Oracle: nalgebra's symmetric eigensolver, an independent implementation.
        let lams = [0.1, 1.0, 2.5, 7.0];
        let q = Quadratic::with_spectrum(&lams, 3);
        let a = q.matrix();
        let m = nalgebra::DMatrix::from_fn(4, 4, |i, j| a[[i, j]]);
        let mut ev: Vec<f64> = m.symmetric_eigen().eigenvalues.iter().copied().collect();
        ev.sort_by(f64::total_cmp);
        for (e, l) in ev.iter().zip(&lams) {
            assert!((e - l).abs() < 1e-12, "{ev:?}");
        }
        // Q is orthogonal.
        let qtq = q.eigenvectors().t().dot(q.eigenvectors());
        assert!((&qtq - &Array2::<f64>::eye(4)).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    fn flow_solves_the_ode() {
        // Oracle: the ODE itself, x'(t) = −Ax(t), by a central difference in t.
        let q = Quadratic::with_spectrum(&[0.5, 3.0], 11);
        let x0 = array![1.0, -2.0];
        let (t, h) = (0.7, 1e-5);
        let dx = (q.flow(&x0, t + h) - q.flow(&x0, t - h)) / (2.0 * h);
        let rhs = -q.gradient(&q.flow(&x0, t));
        assert!((&dx - &rhs).iter().all(|e| e.abs() < 1e-8), "{dx} vs {rhs}");
        assert_eq!(q.flow(&x0, 0.0).mapv(|v| (v * 1e12).round()), x0.mapv(|v| (v * 1e12).round()));
    }

    #[test]
    fn gd_iterate_matches_repeated_gradient_steps() {
        let q = Quadratic::with_spectrum(&[0.2, 1.0, 4.0], 5);
        let mut x = array![1.0, 0.5, -1.0];
        let x0 = x.clone();
        for _ in 0..25 {
            x = &x - &(q.gradient(&x) * 0.3);
        }
        let closed = q.gd_iterate(&x0, 0.3, 25);
        assert!((&x - &closed).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    fn value_and_gradient_agree_with_finite_differences() {
        let q = Quadratic::with_spectrum(&[1.0, 2.0, 9.0], 2);
        let x = array![0.3, -0.1, 0.8];
        let g = q.gradient(&x);
        for i in 0..3 {
            let mut e = Array1::zeros(3);
            e[i] = 1e-6;
            let fd = (q.value(&(&x + &e)) - q.value(&(&x - &e))) / 2e-6;
            assert!((fd - g[i]).abs() < 1e-8);
        }
    }

    #[test]
    #[should_panic(expected = "eigenvalues must be finite and >= 0")]
    fn rejects_negative_eigenvalues() {
        Quadratic::diagonal(&[1.0, -1.0]);
    }
}
