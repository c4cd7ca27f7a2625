//! A Gaussian process with a composite kernel — trend + seasonal + irregular + noise — and its
//! hyper-parameters fitted by maximizing the evidence with analytic gradients.
//!
//! With $r = x - x'$,
//! $$k(x,x') = \underbrace{\sigma_1^2e^{-r^2/2\ell_1^2}}_{\text{trend}}
//!   + \underbrace{\sigma_2^2e^{-r^2/2\ell_2^2 - 2\sin^2(\pi r/p)/\ell_p^2}}_{\text{seasonal}}
//!   + \underbrace{\sigma_3^2\Big(1+\frac{r^2}{2\alpha\ell_3^2}\Big)^{-\alpha}}_{\text{irregular}}
//!   + \underbrace{\sigma_n^2\,\delta_{xx'}}_{\text{noise}} .$$
//! Sums and products of kernels are kernels (a sum of PSD Gram matrices is PSD; the Gram matrix
//! of a product is the Hadamard product, PSD by Schur's theorem), so $k$ is one: the covariance
//! of a sum of independent GPs, one per term. The seasonal term is a periodic kernel (exactly
//! periodic functions of period $p$) damped by an RBF so that the yearly shape can drift; the
//! rational quadratic is a scale mixture of RBFs, for irregularities on many time scales.
//!
//! The ten hyper-parameters are fitted on the log scale $\theta = \ln(\sigma_1^2,\ell_1,\sigma_2^2,
//! \ell_2,\ell_p,p,\sigma_3^2,\ell_3,\alpha,\sigma_n^2)$ by L-BFGS ([`crate::optim::lbfgs`]) on
//! $-\ln p(y\mid\theta)$, with the gradient of R&W eq. 5.9,
//! $$\frac{\partial\ln p}{\partial\theta_j} = \tfrac12\operatorname{tr}\Big((\alpha\alpha^\top - K_y^{-1})\frac{\partial K_y}{\partial\theta_j}\Big),\qquad \alpha = K_y^{-1}y,$$
//! and $\partial K/\partial\theta_j$ in closed form ([`CompositeHyper::eval_with_log_gradient`]).
//! Each evaluation is a Cholesky factorization and an inverse, $O(n^3)$ (nalgebra).
//!
//! ## Reference
//! Rasmussen & Williams, *Gaussian Processes for Machine Learning* (2006), §4.2 (periodic and
//! rational quadratic kernels), §5.4.1 (eq. 5.9), §5.4.3 (the Mauna Loa CO₂ model).
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use crate::optim::{Objective, lbfgs};
use crate::rng::{Rng, normal_vec};
use nalgebra::{Cholesky, DMatrix, DVector, Dyn};
use ndarray::Array1;
use std::cell::RefCell;
use std::f64::consts::PI;

/// The number of hyper-parameters.
pub const N_HYPER: usize = 10;

/// The hyper-parameters of the composite kernel, in the order of [`CompositeHyper::NAMES`].
///
/// # Examples
/// ```
/// use course::inference::CompositeHyper;
/// let h = CompositeHyper { trend_var: 2.0, seasonal_var: 1.0, irregular_var: 0.5, ..CompositeHyper::default() };
/// assert_eq!(h.eval(0.0, 0.0), 3.5); // the variances add at r = 0
/// // Seasonal only, barely damped: one period later the covariance is back to k(0, 0).
/// let s = CompositeHyper { trend_var: 1e-9, irregular_var: 1e-9, seasonal_decay: 1e6, period: 0.5, ..h };
/// assert!((s.eval(0.0, 0.5) - s.eval(0.0, 0.0)).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompositeHyper {
    /// $\sigma_1^2$, variance of the smooth trend.
    pub trend_var: f64,
    /// $\ell_1$, length-scale of the trend.
    pub trend_length: f64,
    /// $\sigma_2^2$, variance of the seasonal term.
    pub seasonal_var: f64,
    /// $\ell_2$, how long the seasonal shape persists (the RBF decay).
    pub seasonal_decay: f64,
    /// $\ell_p$, smoothness of the shape within a period (the periodic length-scale).
    pub seasonal_smoothness: f64,
    /// $p$, the period.
    pub period: f64,
    /// $\sigma_3^2$, variance of the irregular (rational quadratic) term.
    pub irregular_var: f64,
    /// $\ell_3$, its length-scale.
    pub irregular_length: f64,
    /// $\alpha$, its shape (large $\alpha$: an RBF; small: many time scales).
    pub irregular_shape: f64,
    /// $\sigma_n^2$, the noise variance.
    pub noise_var: f64,
}

impl Default for CompositeHyper {
    /// All ones: a neutral value to override with `..CompositeHyper::default()`.
    fn default() -> Self {
        CompositeHyper::from_log([0.0; N_HYPER])
    }
}

impl CompositeHyper {
    /// The names of the fields, in the order of [`to_log`](Self::to_log).
    pub const NAMES: [&'static str; N_HYPER] = [
        "trend_var",
        "trend_length",
        "seasonal_var",
        "seasonal_decay",
        "seasonal_smoothness",
        "period",
        "irregular_var",
        "irregular_length",
        "irregular_shape",
        "noise_var",
    ];

    /// The index of `period` in $\theta$.
    pub const PERIOD: usize = 5;

    /// $\theta$: the logarithms of the fields, in the order of [`NAMES`](Self::NAMES).
    ///
    /// # Examples
    /// ```
    /// let h = course::inference::CompositeHyper { period: std::f64::consts::E, ..Default::default() };
    /// assert_eq!(h.to_log()[course::inference::CompositeHyper::PERIOD], 1.0);
    /// ```
    pub fn to_log(&self) -> [f64; N_HYPER] {
        self.values().map(f64::ln)
    }

    /// The inverse of [`to_log`](Self::to_log).
    ///
    /// # Examples
    /// ```
    /// use course::inference::CompositeHyper;
    /// let h = CompositeHyper { noise_var: 0.04, ..Default::default() };
    /// assert!((CompositeHyper::from_log(h.to_log()).noise_var - 0.04).abs() < 1e-16);
    /// ```
    pub fn from_log(theta: [f64; N_HYPER]) -> Self {
        let v = theta.map(f64::exp);
        CompositeHyper {
            trend_var: v[0],
            trend_length: v[1],
            seasonal_var: v[2],
            seasonal_decay: v[3],
            seasonal_smoothness: v[4],
            period: v[5],
            irregular_var: v[6],
            irregular_length: v[7],
            irregular_shape: v[8],
            noise_var: v[9],
        }
    }

    /// The fields as an array, in the order of [`NAMES`](Self::NAMES).
    pub fn values(&self) -> [f64; N_HYPER] {
        [
            self.trend_var,
            self.trend_length,
            self.seasonal_var,
            self.seasonal_decay,
            self.seasonal_smoothness,
            self.period,
            self.irregular_var,
            self.irregular_length,
            self.irregular_shape,
            self.noise_var,
        ]
    }

    /// Panics with the name of the first field that is not finite and > 0.
    fn validate(&self, who: &str) {
        for (name, v) in Self::NAMES.iter().zip(self.values()) {
            assert!(v > 0.0 && v.is_finite(), "{who}: {name} must be finite and > 0, got {v}");
        }
    }

    /// The three terms of $k(a, b)$ (trend, seasonal, irregular), without the noise.
    ///
    /// # Panics
    /// If a hyper-parameter is not finite and > 0.
    ///
    /// # Examples
    /// ```
    /// let h = course::inference::CompositeHyper { trend_var: 5.0, seasonal_var: 2.0, irregular_var: 0.3, ..Default::default() };
    /// assert_eq!(h.terms(1.0, 1.0), [5.0, 2.0, 0.3]);
    /// ```
    pub fn terms(&self, a: f64, b: f64) -> [f64; 3] {
        self.validate("CompositeHyper::terms");
        let r = a - b;
        let r2 = r * r;
        let s = (PI * r / self.period).sin();
        let trend = self.trend_var * (-0.5 * r2 / self.trend_length.powi(2)).exp();
        let seasonal = self.seasonal_var * (-0.5 * r2 / self.seasonal_decay.powi(2) - 2.0 * s * s / self.seasonal_smoothness.powi(2)).exp();
        let base = 1.0 + r2 / (2.0 * self.irregular_shape * self.irregular_length.powi(2));
        let irregular = self.irregular_var * base.powf(-self.irregular_shape);
        [trend, seasonal, irregular]
    }

    /// $k(a, b)$ without the noise term: the sum of [`terms`](Self::terms).
    ///
    /// # Panics
    /// If a hyper-parameter is not finite and > 0.
    ///
    /// # Examples
    /// ```
    /// let h = course::inference::CompositeHyper { seasonal_decay: 1e9, ..Default::default() };
    /// // Far apart by whole periods, only the (undamped) seasonal term is left.
    /// assert!((h.eval(0.0, 1000.0) - 1.0).abs() < 1e-4);
    /// ```
    pub fn eval(&self, a: f64, b: f64) -> f64 {
        self.terms(a, b).iter().sum()
    }

    /// $k(a, b)$ (no noise) and its partial derivatives in the first nine entries of $\theta$
    /// (the tenth, $\ln\sigma_n^2$, does not enter $k$). With $u = \pi r/p$ and
    /// $B = 1 + r^2/2\alpha\ell_3^2$:
    /// $\partial k_1/\partial\ln\ell_1 = k_1r^2/\ell_1^2$,
    /// $\partial k_2/\partial\ln\ell_2 = k_2r^2/\ell_2^2$,
    /// $\partial k_2/\partial\ln\ell_p = 4k_2\sin^2u/\ell_p^2$,
    /// $\partial k_2/\partial\ln p = 2k_2u\sin 2u/\ell_p^2$,
    /// $\partial k_3/\partial\ln\ell_3 = k_3r^2/(\ell_3^2B)$,
    /// $\partial k_3/\partial\ln\alpha = \alpha k_3\big(\tfrac{B-1}{B}-\ln B\big)$,
    /// and $\partial k_i/\partial\ln\sigma_i^2 = k_i$.
    ///
    /// # Panics
    /// If a hyper-parameter is not finite and > 0.
    ///
    /// # Examples
    /// ```
    /// use course::inference::CompositeHyper;
    /// let h = CompositeHyper { trend_length: 3.0, period: 1.2, irregular_shape: 0.7, ..Default::default() };
    /// let (k, g) = h.eval_with_log_gradient(0.3, 1.1);
    /// assert_eq!(k, h.eval(0.3, 1.1));
    /// let (eps, mut t) = (1e-6, h.to_log());
    /// t[5] += eps; // ln p
    /// let fd = (CompositeHyper::from_log(t).eval(0.3, 1.1) - k) / eps;
    /// assert!((g[5] - fd).abs() < 1e-5);
    /// ```
    pub fn eval_with_log_gradient(&self, a: f64, b: f64) -> (f64, [f64; N_HYPER - 1]) {
        let [k1, k2, k3] = self.terms(a, b);
        let r = a - b;
        let r2 = r * r;
        let u = PI * r / self.period;
        let lp2 = self.seasonal_smoothness.powi(2);
        let alpha = self.irregular_shape;
        let q = r2 / (2.0 * alpha * self.irregular_length.powi(2));
        let base = 1.0 + q;
        let g = [
            k1,
            k1 * r2 / self.trend_length.powi(2),
            k2,
            k2 * r2 / self.seasonal_decay.powi(2),
            k2 * 4.0 * u.sin().powi(2) / lp2,
            k2 * 2.0 * u * (2.0 * u).sin() / lp2,
            k3,
            k3 * r2 / (self.irregular_length.powi(2) * base),
            alpha * k3 * (q / base - base.ln()),
        ];
        (k1 + k2 + k3, g)
    }

    /// The Gram matrix $K_{ij} = k(x_i, y_j)$ (no noise), `x.len()` × `y.len()`.
    ///
    /// # Panics
    /// If a hyper-parameter is not finite and > 0.
    ///
    /// # Examples
    /// ```
    /// let h = course::inference::CompositeHyper::default();
    /// let g = h.gram(&[0.0, 0.5], &[0.0]);
    /// assert_eq!(g.dim(), (2, 1));
    /// assert_eq!(g[[0, 0]], 3.0);
    /// ```
    pub fn gram(&self, x: &[f64], y: &[f64]) -> ndarray::Array2<f64> {
        self.validate("CompositeHyper::gram");
        ndarray::Array2::from_shape_fn((x.len(), y.len()), |(i, j)| self.eval(x[i], y[j]))
    }
}

/// Checks that `x` and `y` are non-empty, of one length and finite.
fn check_data(who: &str, x: &[f64], y: &[f64]) {
    assert!(!x.is_empty(), "{who}: x must not be empty");
    assert_eq!(x.len(), y.len(), "{who}: x and y must have the same length, got {} and {}", x.len(), y.len());
    assert!(x.iter().chain(y).all(|v| v.is_finite()), "{who}: x and y must be finite");
}

/// $K_y = K + \sigma_n^2I$ as an nalgebra matrix, and its Cholesky factor (`None` if it is not
/// numerically positive definite).
fn factor(x: &[f64], hyper: &CompositeHyper) -> Option<Cholesky<f64, Dyn>> {
    let n = x.len();
    let ky = DMatrix::from_fn(n, n, |i, j| hyper.eval(x[i], x[j]) + if i == j { hyper.noise_var } else { 0.0 });
    Cholesky::new(ky)
}

/// $\ln p(y\mid x,\theta)$ and its gradient in $\theta$ (`None` if $K_y$ is not numerically
/// positive definite).
fn evidence_and_gradient(x: &[f64], y: &[f64], hyper: &CompositeHyper) -> Option<(f64, [f64; N_HYPER])> {
    let n = x.len();
    let chol = factor(x, hyper)?;
    let yv = DVector::from_column_slice(y);
    let alpha = chol.solve(&yv);
    let log_det: f64 = 2.0 * chol.l_dirty().diagonal().iter().map(|d| d.ln()).sum::<f64>();
    let lml = -0.5 * yv.dot(&alpha) - 0.5 * log_det - 0.5 * n as f64 * (2.0 * PI).ln();
    let kinv = chol.inverse();
    // ½ tr(W ∂K) = ½ Σ_ij W_ij ∂K_ij with W = ααᵀ − K_y⁻¹, over i ≥ j (W and ∂K are symmetric).
    let mut g = [0.0; N_HYPER];
    for j in 0..n {
        for i in j..n {
            let w = alpha[i] * alpha[j] - kinv[(i, j)];
            let weight = if i == j { 0.5 * w } else { w };
            let (_, dk) = hyper.eval_with_log_gradient(x[i], x[j]);
            for (gk, d) in g.iter_mut().zip(dk) {
                *gk += weight * d;
            }
        }
        g[N_HYPER - 1] += 0.5 * (alpha[j] * alpha[j] - kinv[(j, j)]) * hyper.noise_var;
    }
    Some((lml, g))
}

/// $\ln p(y\mid x,\theta)$ for the composite GP with zero mean (subtract the data's mean first).
///
/// # Panics
/// If `x` and `y` are empty, differ in length or are not finite; if a hyper-parameter is not
/// finite and > 0; if $K_y$ is not numerically positive definite.
///
/// # Examples
/// ```
/// use course::inference::{CompositeHyper, composite_log_marginal_likelihood};
/// let h = CompositeHyper::default();
/// // One point: y ~ N(0, σ₁² + σ₂² + σ₃² + σ_n²) = N(0, 4).
/// let lml = composite_log_marginal_likelihood(&[0.0], &[2.0], h);
/// assert!((lml - (-0.5 - 0.5 * (8.0 * std::f64::consts::PI).ln())).abs() < 1e-14);
/// ```
pub fn composite_log_marginal_likelihood(x: &[f64], y: &[f64], hyper: CompositeHyper) -> f64 {
    composite_lml_and_gradient(x, y, hyper).0
}

/// $\ln p(y\mid x,\theta)$ and its gradient in $\theta$ = [`CompositeHyper::to_log`] (R&W eq. 5.9).
///
/// # Panics
/// As [`composite_log_marginal_likelihood`].
///
/// # Examples
/// ```
/// use course::inference::{CompositeHyper, composite_lml_and_gradient, composite_log_marginal_likelihood};
/// let (x, y) = ([0.0, 0.3, 1.1, 2.0], [0.5, -0.2, 0.4, 1.0]);
/// let h = CompositeHyper { noise_var: 0.1, ..Default::default() };
/// let (lml, g) = composite_lml_and_gradient(&x, &y, h);
/// let (eps, mut t) = (1e-6, h.to_log());
/// t[9] += eps; // ln σ_n²
/// let fd = (composite_log_marginal_likelihood(&x, &y, CompositeHyper::from_log(t)) - lml) / eps;
/// assert!((g[9] - fd).abs() < 1e-5);
/// ```
pub fn composite_lml_and_gradient(x: &[f64], y: &[f64], hyper: CompositeHyper) -> (f64, [f64; N_HYPER]) {
    let who = "composite_lml_and_gradient";
    check_data(who, x, y);
    hyper.validate(who);
    evidence_and_gradient(x, y, &hyper).unwrap_or_else(|| panic!("{who}: K + σ_n²I is not numerically positive definite at {hyper:?}"))
}

/// $-\ln p(y\mid\theta)$ as an [`Objective`] in $\theta$, for the optimizers of [`crate::optim`];
/// entries of $\theta$ not in `free` get a zero gradient (they stay where they start). The
/// value and the gradient come from one factorization, cached for the last $\theta$.
struct NegLogEvidence<'a> {
    x: &'a [f64],
    y: &'a [f64],
    free: [bool; N_HYPER],
    cache: RefCell<Option<(Array1<f64>, f64, Array1<f64>)>>,
}

impl NegLogEvidence<'_> {
    fn eval(&self, theta: &Array1<f64>) -> (f64, Array1<f64>) {
        if let Some((t, v, g)) = self.cache.borrow().as_ref()
            && t == theta
        {
            return (*v, g.clone());
        }
        let t: [f64; N_HYPER] = std::array::from_fn(|i| theta[i]);
        // Outside exp(±30) a hyper-parameter is meaningless; treat it, and a failed
        // factorization, as an infinitely bad point (the line search then steps back).
        let out = if t.iter().all(|v| v.abs() < 30.0) { evidence_and_gradient(self.x, self.y, &CompositeHyper::from_log(t)) } else { None };
        let (v, g) = match out {
            Some((lml, g)) => (-lml, Array1::from_shape_fn(N_HYPER, |i| if self.free[i] { -g[i] } else { 0.0 })),
            None => (f64::INFINITY, Array1::zeros(N_HYPER)),
        };
        *self.cache.borrow_mut() = Some((theta.clone(), v, g.clone()));
        (v, g)
    }
}

impl Objective for NegLogEvidence<'_> {
    fn value(&self, theta: &Array1<f64>) -> f64 {
        self.eval(theta).0
    }
    fn gradient(&self, theta: &Array1<f64>) -> Array1<f64> {
        self.eval(theta).1
    }
}

/// The result of [`composite_fit_hyper`].
#[derive(Clone, Debug)]
pub struct CompositeFit {
    /// The fitted hyper-parameters.
    pub hyper: CompositeHyper,
    /// $\ln p(y\mid\theta_k)$ after each L-BFGS step (increasing).
    pub history: Vec<f64>,
    /// The norm of the gradient (free entries) at the returned hyper-parameters.
    pub grad_norm: f64,
}

impl CompositeFit {
    /// The log evidence at the fitted hyper-parameters.
    pub fn log_evidence(&self) -> f64 {
        *self.history.last().expect("a fit records its start")
    }
}

/// Maximizes $\ln p(y\mid x,\theta)$ from `init` by at most `n_steps` L-BFGS steps (memory 10)
/// on $\theta$ = [`CompositeHyper::to_log`], moving only the hyper-parameters named in `free`
/// (the others stay at their `init` values; pass [`CompositeHyper::NAMES`] to fit all ten).
/// Stops early when $\lVert\nabla_\theta\ln p\rVert\le10^{-3}$.
///
/// # Panics
/// If `free` names no hyper-parameter or one that does not exist, or as
/// [`composite_lml_and_gradient`] at `init`.
///
/// # Examples
/// ```
/// use course::inference::{CompositeHyper, composite_fit_hyper};
/// let x: Vec<f64> = (0..40).map(|i| i as f64 / 4.0).collect();
/// let y: Vec<f64> = x.iter().map(|t| 0.2 * t + (2.0 * std::f64::consts::PI * t).sin()).collect();
/// let init = CompositeHyper { noise_var: 0.1, ..Default::default() };
/// let free = ["trend_var", "seasonal_var", "seasonal_smoothness", "noise_var"];
/// let fit = composite_fit_hyper(&x, &y, init, &free, 50);
/// assert!(fit.log_evidence() > fit.history[0] + 10.0);
/// assert_eq!(fit.hyper.period, 1.0); // not in `free`: held fixed
/// ```
pub fn composite_fit_hyper(x: &[f64], y: &[f64], init: CompositeHyper, free: &[&str], n_steps: usize) -> CompositeFit {
    let who = "composite_fit_hyper";
    check_data(who, x, y);
    init.validate(who);
    assert!(!free.is_empty(), "{who}: free must name at least one hyper-parameter");
    let mut mask = [false; N_HYPER];
    for name in free {
        let j = CompositeHyper::NAMES.iter().position(|n| n == name).unwrap_or_else(|| panic!("{who}: free names {name:?}, which is not one of {:?}", CompositeHyper::NAMES));
        mask[j] = true;
    }
    let objective = NegLogEvidence { x, y, free: mask, cache: RefCell::new(None) };
    let theta0 = Array1::from(init.to_log().to_vec());
    assert!(objective.value(&theta0).is_finite(), "{who}: K + σ_n²I is not numerically positive definite at init = {init:?}");
    let run = lbfgs(&objective, &theta0, 10, 1e-3, n_steps);
    let history: Vec<f64> = run.losses.iter().map(|v| -v).collect();
    let theta = run.last();
    let grad_norm = objective.gradient(theta).iter().map(|g| g * g).sum::<f64>().sqrt();
    CompositeFit { hyper: CompositeHyper::from_log(std::array::from_fn(|i| theta[i])), history, grad_norm }
}

/// The composite GP conditioned on data: posterior mean and variance of the latent $f$.
///
/// # Examples
/// ```
/// use course::inference::{CompositeHyper, CompositePosterior};
/// let h = CompositeHyper { noise_var: 1.0, ..Default::default() };
/// let (m, v) = CompositePosterior::fit(&[0.0], &[4.0], h).predict(&[0.0]);
/// // One point, k(0, 0) = 3, σ_n² = 1: mean 4·3/4, variance 3 − 9/4.
/// assert!((m[0] - 3.0).abs() < 1e-12 && (v[0] - 0.75).abs() < 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct CompositePosterior {
    /// The hyper-parameters.
    pub hyper: CompositeHyper,
    /// Training inputs.
    pub x: Vec<f64>,
    /// $\alpha = K_y^{-1}y$.
    pub alpha: Vec<f64>,
    chol: Cholesky<f64, Dyn>,
}

impl CompositePosterior {
    /// Conditions the zero-mean GP on $(x_i, y_i)$.
    ///
    /// # Panics
    /// As [`composite_lml_and_gradient`].
    pub fn fit(x: &[f64], y: &[f64], hyper: CompositeHyper) -> Self {
        let who = "CompositePosterior::fit";
        check_data(who, x, y);
        hyper.validate(who);
        let chol = factor(x, &hyper).unwrap_or_else(|| panic!("{who}: K + σ_n²I is not numerically positive definite at {hyper:?}"));
        let alpha = chol.solve(&DVector::from_column_slice(y)).as_slice().to_vec();
        CompositePosterior { hyper, x: x.to_vec(), alpha, chol }
    }

    /// Posterior mean and variance of the latent $f(x_*)$ at each point of `x_new` (add
    /// `hyper.noise_var` for a new observation).
    ///
    /// # Examples
    /// ```
    /// use course::inference::{CompositeHyper, CompositePosterior};
    /// let h = CompositeHyper { noise_var: 1e-6, ..Default::default() };
    /// let (_, v) = CompositePosterior::fit(&[0.0], &[1.0], h).predict(&[0.0]);
    /// assert!(v[0] < 1e-5); // pinned at the data
    /// ```
    pub fn predict(&self, x_new: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let (n, m) = (self.x.len(), x_new.len());
        let ks = DMatrix::from_fn(n, m, |i, j| self.hyper.eval(self.x[i], x_new[j]));
        let alpha = DVector::from_column_slice(&self.alpha);
        let mean = ks.tr_mul(&alpha).as_slice().to_vec();
        let v = self.chol.l().solve_lower_triangular(&ks).expect("a Cholesky factor has a positive diagonal");
        let var = (0..m).map(|j| (self.hyper.eval(x_new[j], x_new[j]) - v.column(j).norm_squared()).max(0.0)).collect();
        (mean, var)
    }

    /// The posterior means of the three terms (trend, seasonal, irregular) at `x_new`: each is
    /// $k_i(x_*, X)\,\alpha$, and they add up to the mean of [`predict`](Self::predict).
    ///
    /// # Examples
    /// ```
    /// use course::inference::{CompositeHyper, CompositePosterior};
    /// let gp = CompositePosterior::fit(&[0.0, 0.4, 1.3], &[1.0, -0.5, 0.2], CompositeHyper { noise_var: 0.1, ..Default::default() });
    /// let parts = gp.predict_terms(&[0.7]);
    /// let (m, _) = gp.predict(&[0.7]);
    /// assert!((parts[0][0] + parts[1][0] + parts[2][0] - m[0]).abs() < 1e-12);
    /// ```
    pub fn predict_terms(&self, x_new: &[f64]) -> [Vec<f64>; 3] {
        std::array::from_fn(|t| x_new.iter().map(|&xs| self.x.iter().zip(&self.alpha).map(|(&xi, a)| self.hyper.terms(xi, xs)[t] * a).sum()).collect())
    }
}

/// Draws $y = f(x) + \varepsilon$ with $f$ from the composite GP prior at the points `x`
/// (a Cholesky factor of $K + 10^{-10}k(0,0)I$ times standard normals, plus noise).
///
/// # Panics
/// If `x` is empty or not finite, or a hyper-parameter is not finite and > 0.
///
/// # Examples
/// ```
/// use course::inference::{CompositeHyper, composite_sample_prior};
/// let h = CompositeHyper { noise_var: 1e-4, ..Default::default() };
/// let (f, y) = composite_sample_prior(&mut course::rng::seeded(0), &[0.0, 1e-3], h);
/// assert!((f[0] - f[1]).abs() < 0.05 && (y[0] - f[0]).abs() < 0.05);
/// ```
pub fn composite_sample_prior(rng: &mut impl Rng, x: &[f64], hyper: CompositeHyper) -> (Vec<f64>, Vec<f64>) {
    let who = "composite_sample_prior";
    check_data(who, x, x);
    hyper.validate(who);
    let n = x.len();
    let jitter = 1e-10 * hyper.eval(0.0, 0.0);
    let k = DMatrix::from_fn(n, n, |i, j| hyper.eval(x[i], x[j]) + if i == j { jitter } else { 0.0 });
    let l = Cholesky::new(k).unwrap_or_else(|| panic!("{who}: K + jitter is not numerically positive definite")).unpack();
    let f = l * DVector::from_vec(normal_vec(rng, n));
    let noise = normal_vec(rng, n);
    let y = f.iter().zip(noise).map(|(fi, e)| fi + hyper.noise_var.sqrt() * e).collect();
    (f.as_slice().to_vec(), y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some_hyper() -> CompositeHyper {
        CompositeHyper {
            trend_var: 2.0,
            trend_length: 4.0,
            seasonal_var: 0.8,
            seasonal_decay: 6.0,
            seasonal_smoothness: 0.9,
            period: 1.1,
            irregular_var: 0.3,
            irregular_length: 0.7,
            irregular_shape: 1.5,
            noise_var: 0.05,
        }
    }

    #[test]
    fn kernel_gradient_matches_central_differences() {
        let h = some_hyper();
        for (a, b) in [(0.0, 0.37), (1.2, -2.9), (3.0, 3.0), (0.1, 5.6)] {
            let (_, g) = h.eval_with_log_gradient(a, b);
            for j in 0..N_HYPER - 1 {
                let eps = 1e-5;
                let (mut tp, mut tm) = (h.to_log(), h.to_log());
                tp[j] += eps;
                tm[j] -= eps;
                let fd = (CompositeHyper::from_log(tp).eval(a, b) - CompositeHyper::from_log(tm).eval(a, b)) / (2.0 * eps);
                assert!((g[j] - fd).abs() < 1e-6 * fd.abs().max(1.0), "{}, r = {}: {} vs {fd}", CompositeHyper::NAMES[j], a - b, g[j]);
            }
        }
    }

    #[test]
    fn evidence_gradient_matches_central_differences() {
        let mut rng = crate::rng::seeded(5);
        let x = crate::rng::uniform_vec(&mut rng, 40, 0.0, 8.0);
        let (_, y) = composite_sample_prior(&mut rng, &x, some_hyper());
        for h in [some_hyper(), CompositeHyper { noise_var: 0.3, period: 0.9, irregular_shape: 0.4, ..some_hyper() }] {
            let (_, g) = composite_lml_and_gradient(&x, &y, h);
            for j in 0..N_HYPER {
                let eps = 1e-5;
                let (mut tp, mut tm) = (h.to_log(), h.to_log());
                tp[j] += eps;
                tm[j] -= eps;
                let fd = (composite_log_marginal_likelihood(&x, &y, CompositeHyper::from_log(tp))
                    - composite_log_marginal_likelihood(&x, &y, CompositeHyper::from_log(tm)))
                    / (2.0 * eps);
                assert!((g[j] - fd).abs() < 1e-5 * fd.abs().max(1.0), "{}: {} vs {fd}", CompositeHyper::NAMES[j], g[j]);
            }
        }
    }

    #[test]
    fn evidence_equals_the_multivariate_normal_density() {
        let (x, y) = ([0.0, 0.4, 1.1, 2.5], [0.3, -0.1, 0.8, 0.0]);
        let h = some_hyper();
        let cov = h.gram(&x, &x) + ndarray::Array2::<f64>::eye(4) * h.noise_var;
        let lp = crate::inference::mvn_log_density(&Array1::from(y.to_vec()), &Array1::zeros(4), &cov);
        assert!((composite_log_marginal_likelihood(&x, &y, h) - lp).abs() < 1e-12);
    }

    #[test]
    fn gram_matrix_is_psd_and_each_term_too() {
        let x = crate::rng::uniform_vec(&mut crate::rng::seeded(8), 60, 0.0, 10.0);
        let h = some_hyper();
        assert!(crate::inference::is_psd(&h.gram(&x, &x), 1e-10));
        for t in 0..3 {
            let g = ndarray::Array2::from_shape_fn((60, 60), |(i, j)| h.terms(x[i], x[j])[t]);
            assert!(crate::inference::is_psd(&g, 1e-10), "term {t}");
        }
        // The periodic factor alone, exp(−2 sin²(πr/p)/ℓ²), is a kernel: the RBF of (cos, sin)(2πx/p).
        let z = |t: f64| ((2.0 * PI * t / h.period).cos(), (2.0 * PI * t / h.period).sin());
        let (a, b) = (z(0.3), z(1.7));
        let d2 = (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2);
        let s = (PI * (0.3 - 1.7) / h.period).sin();
        assert!(((-0.5 * d2 / h.seasonal_smoothness.powi(2)).exp() - (-2.0 * s * s / h.seasonal_smoothness.powi(2)).exp()).abs() < 1e-14);
    }

    #[test]
    fn posterior_equals_gaussian_conditioning_of_the_joint() {
        let (x, y, xs) = ([0.0, 0.4, 1.1], [0.3, -0.1, 0.8], [0.2, 3.0]);
        let h = some_hyper();
        let all = [xs[0], xs[1], x[0], x[1], x[2]];
        let mut cov = h.gram(&all, &all);
        for i in 2..5 {
            cov[[i, i]] += h.noise_var;
        }
        let (m, c) = crate::inference::condition(&Array1::zeros(5), &cov, &[2, 3, 4], &Array1::from(y.to_vec()));
        let (pm, pv) = CompositePosterior::fit(&x, &y, h).predict(&xs);
        for j in 0..2 {
            assert!((pm[j] - m[j]).abs() < 1e-12 && (pv[j] - c[[j, j]]).abs() < 1e-12);
        }
    }

    #[test]
    fn fit_recovers_the_identifiable_hyper_parameters_over_seeds() {
        // 200 points on 15 "years" from a known composite GP, all ten hyper-parameters free,
        // the period started 2 % off. The trend's variance and length-scale (three cycles of
        // it at most) and the rational-quadratic shape are not identifiable from one such
        // sample; the others are. Over seeds 0–7 (at most 200 steps) the ratios fitted/true
        // were: period 0.99–1.00, noise 0.78–1.16, seasonal decay 0.76–1.18, periodic
        // length-scale 0.80–1.55, irregular length-scale 0.76–1.39; the fitted evidence beat
        // the evidence at the truth by 0.7–9 nats. Tolerances are these ranges widened.
        let truth = CompositeHyper {
            trend_var: 4.0,
            trend_length: 5.0,
            seasonal_var: 1.0,
            seasonal_decay: 10.0,
            seasonal_smoothness: 1.0,
            period: 1.0,
            irregular_var: 0.25,
            irregular_length: 0.5,
            irregular_shape: 1.0,
            noise_var: 0.01,
        };
        let init = CompositeHyper {
            trend_var: 2.0,
            trend_length: 3.0,
            seasonal_var: 0.5,
            seasonal_decay: 5.0,
            seasonal_smoothness: 1.5,
            period: 1.02,
            irregular_var: 0.1,
            irregular_length: 1.0,
            irregular_shape: 2.0,
            noise_var: 0.05,
        };
        for seed in 0..4 {
            let mut rng = crate::rng::seeded(seed);
            let x = crate::rng::uniform_vec(&mut rng, 200, 0.0, 15.0);
            let (_, y) = composite_sample_prior(&mut rng, &x, truth);
            let fit = composite_fit_hyper(&x, &y, init, &CompositeHyper::NAMES, 150);
            assert!(fit.history.windows(2).all(|w| w[1] > w[0]), "seed {seed}: the evidence must increase at every step");
            assert!(fit.log_evidence() > composite_log_marginal_likelihood(&x, &y, truth), "seed {seed}: the fit must beat the truth's evidence");
            let h = fit.hyper;
            let ratio = |a: f64, b: f64| a / b;
            assert!((ratio(h.period, truth.period) - 1.0).abs() < 0.02, "seed {seed}: period {}", h.period);
            for (name, r, lo, hi) in [
                ("noise_var", ratio(h.noise_var, truth.noise_var), 0.6, 1.6),
                ("seasonal_decay", ratio(h.seasonal_decay, truth.seasonal_decay), 0.6, 1.6),
                ("seasonal_smoothness", ratio(h.seasonal_smoothness, truth.seasonal_smoothness), 0.6, 2.0),
                ("irregular_length", ratio(h.irregular_length, truth.irregular_length), 0.5, 2.0),
            ] {
                assert!((lo..hi).contains(&r), "seed {seed}: {name} fitted/true = {r}, expected in [{lo}, {hi})");
            }
        }
    }

    #[test]
    #[should_panic(expected = "seasonal_decay must be finite and > 0, got -1")]
    fn a_negative_hyper_parameter_is_named() {
        CompositePosterior::fit(&[0.0], &[1.0], CompositeHyper { seasonal_decay: -1.0, ..some_hyper() });
    }

    #[test]
    #[should_panic(expected = "x and y must have the same length, got 2 and 1")]
    fn mismatched_lengths_are_named() {
        composite_log_marginal_likelihood(&[0.0, 1.0], &[1.0], some_hyper());
    }

    #[test]
    #[should_panic(expected = "x must not be empty")]
    fn empty_data_is_refused() {
        composite_fit_hyper(&[], &[], some_hyper(), &CompositeHyper::NAMES, 10);
    }

    #[test]
    #[should_panic(expected = "free names \"periode\", which is not one of")]
    fn an_unknown_free_name_is_named() {
        composite_fit_hyper(&[0.0], &[1.0], some_hyper(), &["periode"], 10);
    }

}
