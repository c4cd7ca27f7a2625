//! Gaussian-process regression: posterior mean and variance, the log marginal likelihood and
//! its gradient in the hyper-parameters.
//!
//! Prior $f\sim\mathcal{GP}(0, k)$ with $k(x,x') = \sigma_f^2e^{-(x-x')^2/2\ell^2}$, data
//! $y_i = f(x_i) + \varepsilon_i$, $\varepsilon_i\sim\mathcal N(0,\sigma_n^2)$. With
//! $K_y = K + \sigma_n^2I = LL^\top$ and $\alpha = K_y^{-1}y$:
//! $$\bar f_* = k_*^\top\alpha,\qquad \mathbb V[f_*] = k(x_*,x_*) - k_*^\top K_y^{-1}k_*,$$
//! $$\ln p(y\mid\theta) = -\tfrac12 y^\top\alpha - \textstyle\sum_i\ln L_{ii} - \tfrac n2\ln 2\pi,\qquad
//!   \frac{\partial\ln p}{\partial\theta_j} = \tfrac12\operatorname{tr}\Big((\alpha\alpha^\top - K_y^{-1})\frac{\partial K_y}{\partial\theta_j}\Big).$$
//! The hyper-parameters are fitted on the log scale $\theta = (\ln\ell, \ln\sigma_f^2, \ln\sigma_n^2)$
//! (they stay positive), by gradient ascent with a step that grows on success and halves on
//! failure, so the marginal likelihood never decreases.
//!
//! ## Reference
//! Rasmussen & Williams, *Gaussian Processes for Machine Learning* (2006), Algorithm 2.1 and
//! §5.4.1 (eq. 5.9).
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use super::{Kernel, SpdFactor};
use crate::rng::{Rng, normal_vec};
use ndarray::{Array1, Array2};

/// The hyper-parameters of an RBF Gaussian process with Gaussian noise.
///
/// # Examples
/// ```
/// let h = course::inference::GpHyper { length_scale: 1.0, signal_var: 2.0, noise_var: 0.1 };
/// assert_eq!(h.kernel().eval(0.0, 0.0), 2.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GpHyper {
    /// $\ell$.
    pub length_scale: f64,
    /// $\sigma_f^2$.
    pub signal_var: f64,
    /// $\sigma_n^2$.
    pub noise_var: f64,
}

impl GpHyper {
    /// The RBF kernel with $\ell$ and $\sigma_f^2$.
    ///
    /// # Examples
    /// ```
    /// let h = course::inference::GpHyper { length_scale: 2.0, signal_var: 3.0, noise_var: 0.1 };
    /// assert!((h.kernel().eval(0.0, 2.0) - 3.0 * (-0.5f64).exp()).abs() < 1e-15);
    /// ```
    pub fn kernel(&self) -> Kernel {
        Kernel::Rbf { length_scale: self.length_scale, variance: self.signal_var }
    }

    /// $\theta = (\ln\ell, \ln\sigma_f^2, \ln\sigma_n^2)$.
    ///
    /// # Examples
    /// ```
    /// let h = course::inference::GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 1.0 };
    /// assert_eq!(h.to_log(), [0.0, 0.0, 0.0]);
    /// ```
    pub fn to_log(&self) -> [f64; 3] {
        [self.length_scale.ln(), self.signal_var.ln(), self.noise_var.ln()]
    }

    /// The inverse of [`to_log`](Self::to_log).
    ///
    /// # Examples
    /// ```
    /// let h = course::inference::GpHyper::from_log([0.0, 2f64.ln(), 0.0]);
    /// assert!((h.signal_var - 2.0).abs() < 1e-15);
    /// ```
    pub fn from_log(theta: [f64; 3]) -> Self {
        GpHyper { length_scale: theta[0].exp(), signal_var: theta[1].exp(), noise_var: theta[2].exp() }
    }

    fn validate(&self, who: &str) {
        assert!(self.length_scale > 0.0, "{who}: length_scale must be > 0, got {}", self.length_scale);
        assert!(self.signal_var > 0.0, "{who}: signal_var must be > 0, got {}", self.signal_var);
        assert!(self.noise_var > 0.0, "{who}: noise_var must be > 0, got {}", self.noise_var);
    }
}

/// A GP conditioned on data.
///
/// # Examples
/// ```
/// use course::inference::{GpHyper, GpPosterior};
/// let h = GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 1.0 };
/// let gp = GpPosterior::fit(&[0.0], &[2.0], h);
/// let (m, v) = gp.predict(&[0.0]);
/// // One point, K = 1, σ² = 1: mean 2·1/2 = 1, variance 1 − 1/2.
/// assert!((m[0] - 1.0).abs() < 1e-15 && (v[0] - 0.5).abs() < 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct GpPosterior {
    /// The hyper-parameters.
    pub hyper: GpHyper,
    /// Training inputs.
    pub x: Vec<f64>,
    /// $\alpha = K_y^{-1}y$.
    pub alpha: Array1<f64>,
    factor: SpdFactor,
}

impl GpPosterior {
    /// Conditions the GP on $(x_i, y_i)$.
    ///
    /// # Panics
    /// If `x` and `y` differ in length or are empty, or a hyper-parameter is not > 0.
    pub fn fit(x: &[f64], y: &[f64], hyper: GpHyper) -> Self {
        hyper.validate("GpPosterior::fit");
        assert!(!x.is_empty() && x.len() == y.len(), "GpPosterior::fit: x and y must have the same non-zero length, got {} and {}", x.len(), y.len());
        let ky = hyper.kernel().gram(x, x) + Array2::<f64>::eye(x.len()) * hyper.noise_var;
        let factor = SpdFactor::new(&ky).unwrap_or_else(|e| panic!("GpPosterior::fit: K + σ²I not positive definite: {e}"));
        let alpha = factor.solve(&Array1::from(y.to_vec()));
        GpPosterior { hyper, x: x.to_vec(), alpha, factor }
    }

    /// Posterior mean and variance of the latent $f(x_*)$ at each point of `x_new` (add
    /// `noise_var` for the predictive variance of a new observation).
    ///
    /// # Examples
    /// ```
    /// use course::inference::{GpHyper, GpPosterior};
    /// let h = GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 1e-6 };
    /// let (_, v) = GpPosterior::fit(&[0.0], &[1.0], h).predict(&[0.0, 100.0]);
    /// assert!(v[0] < 1e-5 && (v[1] - 1.0).abs() < 1e-12); // pinned at the data, prior far away
    /// ```
    pub fn predict(&self, x_new: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let k = self.hyper.kernel();
        let ks = k.gram(&self.x, x_new); // n × m
        let mean = ks.t().dot(&self.alpha).to_vec();
        let var = (0..x_new.len())
            .map(|j| {
                let v = self.factor.solve_lower(&ks.column(j).to_owned());
                (k.eval(x_new[j], x_new[j]) - v.dot(&v)).max(0.0)
            })
            .collect();
        (mean, var)
    }
}

/// $\ln p(y\mid x,\theta)$ for the RBF GP with Gaussian noise.
///
/// # Panics
/// As [`GpPosterior::fit`].
///
/// # Examples
/// ```
/// use course::inference::{GpHyper, gp_log_marginal_likelihood};
/// let h = GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 1.0 };
/// // One point: y ~ N(0, 2).
/// let lml = gp_log_marginal_likelihood(&[0.0], &[1.0], h);
/// assert!((lml - (-0.25 - 0.5 * (4.0 * std::f64::consts::PI).ln())).abs() < 1e-14);
/// ```
pub fn gp_log_marginal_likelihood(x: &[f64], y: &[f64], hyper: GpHyper) -> f64 {
    let gp = GpPosterior::fit(x, y, hyper);
    let ya = Array1::from(y.to_vec());
    -0.5 * ya.dot(&gp.alpha) - 0.5 * gp.factor.log_det() - 0.5 * x.len() as f64 * (2.0 * std::f64::consts::PI).ln()
}

/// The gradient of [`gp_log_marginal_likelihood`] in $\theta = (\ln\ell, \ln\sigma_f^2, \ln\sigma_n^2)$
/// (Rasmussen & Williams eq. 5.9). With $K_{ij} = \sigma_f^2e^{-r_{ij}^2/2\ell^2}$:
/// $\partial K/\partial\ln\ell = K\odot r^2/\ell^2$, $\partial K/\partial\ln\sigma_f^2 = K$,
/// $\partial K_y/\partial\ln\sigma_n^2 = \sigma_n^2I$.
///
/// # Panics
/// As [`GpPosterior::fit`].
///
/// # Examples
/// ```
/// use course::inference::{GpHyper, gp_log_marginal_likelihood, gp_lml_gradient};
/// let (x, y) = ([0.0, 0.5, 1.3], [0.2, 0.9, -0.4]);
/// let h = GpHyper { length_scale: 0.8, signal_var: 1.2, noise_var: 0.1 };
/// let g = gp_lml_gradient(&x, &y, h);
/// let eps = 1e-6;
/// let mut t = h.to_log(); t[0] += eps;
/// let fd = (gp_log_marginal_likelihood(&x, &y, GpHyper::from_log(t)) - gp_log_marginal_likelihood(&x, &y, h)) / eps;
/// assert!((g[0] - fd).abs() < 1e-4);
/// ```
pub fn gp_lml_gradient(x: &[f64], y: &[f64], hyper: GpHyper) -> [f64; 3] {
    let gp = GpPosterior::fit(x, y, hyper);
    let n = x.len();
    let kinv = gp.factor.inverse();
    let k = hyper.kernel().gram(x, x);
    let a = &gp.alpha;
    // W = ααᵀ − K_y⁻¹; ∂ = ½ tr(W ∂K) = ½ Σ_ij W_ij ∂K_ij.
    let mut g = [0.0; 3];
    for i in 0..n {
        for j in 0..n {
            let w = a[i] * a[j] - kinv[[i, j]];
            let r2 = (x[i] - x[j]).powi(2) / hyper.length_scale.powi(2);
            g[0] += 0.5 * w * k[[i, j]] * r2;
            g[1] += 0.5 * w * k[[i, j]];
        }
        g[2] += 0.5 * (a[i] * a[i] - kinv[[i, i]]) * hyper.noise_var;
    }
    g
}

/// The result of [`gp_fit_hyper`].
#[derive(Clone, Debug)]
pub struct GpFit {
    /// The fitted hyper-parameters.
    pub hyper: GpHyper,
    /// The log marginal likelihood after each accepted or rejected step (non-decreasing).
    pub history: Vec<f64>,
    /// The gradient norm at the end.
    pub grad_norm: f64,
}

/// Maximizes the log marginal likelihood over $\theta = (\ln\ell,\ln\sigma_f^2,\ln\sigma_n^2)$
/// by gradient ascent from `init`, `n_steps` steps at most, starting with step `lr`; a step
/// that does not increase the objective is rejected and `lr` halved, an accepted one grows
/// `lr` by 1.2. Stops early when the gradient norm falls below $10^{-5}$.
///
/// # Panics
/// If `lr <= 0`, or as [`GpPosterior::fit`].
///
/// # Examples
/// ```
/// use course::inference::{GpHyper, gp_fit_hyper};
/// let x: Vec<f64> = (0..20).map(|i| i as f64 * 0.3).collect();
/// let y: Vec<f64> = x.iter().map(|t| t.sin()).collect();
/// let init = GpHyper { length_scale: 0.3, signal_var: 1.0, noise_var: 0.1 };
/// let fit = gp_fit_hyper(&x, &y, init, 0.05, 200);
/// assert!(fit.history.last().unwrap() > &fit.history[0]);
/// ```
pub fn gp_fit_hyper(x: &[f64], y: &[f64], init: GpHyper, lr: f64, n_steps: usize) -> GpFit {
    assert!(lr > 0.0, "gp_fit_hyper: lr must be > 0, got {lr}");
    let mut theta = init.to_log();
    let mut best = gp_log_marginal_likelihood(x, y, init);
    let mut g = gp_lml_gradient(x, y, init);
    let mut step = lr;
    let mut history = vec![best];
    for _ in 0..n_steps {
        let gn = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        if gn < 1e-5 {
            break;
        }
        let trial = [theta[0] + step * g[0], theta[1] + step * g[1], theta[2] + step * g[2]];
        let h = GpHyper::from_log(trial);
        let ok = trial.iter().all(|t| t.abs() < 30.0);
        let value = if ok { gp_log_marginal_likelihood(x, y, h) } else { f64::NEG_INFINITY };
        if value > best {
            theta = trial;
            best = value;
            g = gp_lml_gradient(x, y, h);
            step *= 1.2;
        } else {
            step *= 0.5;
        }
        history.push(best);
    }
    let grad_norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
    GpFit { hyper: GpHyper::from_log(theta), history, grad_norm }
}

/// Laplace (observed-information) standard errors of the fitted log-hyper-parameters
/// $\theta = (\ln\ell,\ln\sigma_f^2,\ln\sigma_n^2)$: the square roots of the diagonal of
/// $(-\nabla^2\ln p(y\mid\theta))^{-1}$ at `hyper`, with the Hessian from central differences
/// (step $10^{-4}$) of the analytic gradient. Meaningful at a maximum of the marginal likelihood.
///
/// # Panics
/// If the Hessian is not negative definite (not at a maximum), or as [`GpPosterior::fit`].
///
/// # Examples
/// ```
/// use course::inference::{GpHyper, gp_fit_hyper, gp_sample_prior, gp_log_hyper_standard_errors};
/// let truth = GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 0.04 };
/// let mut rng = course::rng::seeded(1);
/// let x = course::rng::uniform_vec(&mut rng, 60, 0.0, 6.0);
/// let (_, y) = gp_sample_prior(&mut rng, &x, truth);
/// let fit = gp_fit_hyper(&x, &y, truth, 0.01, 300);
/// let se = gp_log_hyper_standard_errors(&x, &y, fit.hyper);
/// assert!(se[0] > 0.0 && se[0] < 0.5);
/// ```
pub fn gp_log_hyper_standard_errors(x: &[f64], y: &[f64], hyper: GpHyper) -> [f64; 3] {
    let eps = 1e-4;
    let theta = hyper.to_log();
    let mut h = Array2::<f64>::zeros((3, 3));
    for j in 0..3 {
        let (mut tp, mut tm) = (theta, theta);
        tp[j] += eps;
        tm[j] -= eps;
        let (gp, gm) = (gp_lml_gradient(x, y, GpHyper::from_log(tp)), gp_lml_gradient(x, y, GpHyper::from_log(tm)));
        for i in 0..3 {
            h[[i, j]] = -(gp[i] - gm[i]) / (2.0 * eps);
        }
    }
    let h = super::gaussian::symmetrize(h);
    let cov = SpdFactor::new(&h)
        .unwrap_or_else(|e| panic!("gp_log_hyper_standard_errors: −Hessian not positive definite (not at a maximum): {e}"))
        .inverse();
    [cov[[0, 0]].sqrt(), cov[[1, 1]].sqrt(), cov[[2, 2]].sqrt()]
}

/// Draws $y = f(x) + \varepsilon$ with $f$ from the GP prior at the points `x` (a Cholesky
/// factor of $K + 10^{-10}\sigma_f^2 I$ times standard normals, plus independent noise).
///
/// # Panics
/// If a hyper-parameter is not > 0.
///
/// # Examples
/// ```
/// use course::inference::{GpHyper, gp_sample_prior};
/// let h = GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 0.01 };
/// let (f, y) = gp_sample_prior(&mut course::rng::seeded(0), &[0.0, 0.01, 5.0], h);
/// assert!((f[0] - f[1]).abs() < 0.1 && (y[2] - f[2]).abs() < 0.5); // nearby points agree; noise σ = 0.1
/// ```
pub fn gp_sample_prior(rng: &mut impl Rng, x: &[f64], hyper: GpHyper) -> (Vec<f64>, Vec<f64>) {
    hyper.validate("gp_sample_prior");
    let k = hyper.kernel().gram(x, x) + Array2::<f64>::eye(x.len()) * (1e-10 * hyper.signal_var);
    let l = SpdFactor::new(&k).expect("gp_sample_prior: K + jitter must be positive definite").l;
    let f = l.dot(&Array1::from(normal_vec(rng, x.len())));
    let noise = normal_vec(rng, x.len());
    let y = f.iter().zip(noise).map(|(fi, e)| fi + hyper.noise_var.sqrt() * e).collect();
    (f.to_vec(), y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_central_differences() {
        let mut rng = crate::rng::seeded(3);
        let x = crate::rng::uniform_vec(&mut rng, 25, 0.0, 5.0);
        let y = crate::rng::normal_vec(&mut rng, 25);
        for h in [GpHyper { length_scale: 0.7, signal_var: 1.3, noise_var: 0.2 }, GpHyper { length_scale: 2.0, signal_var: 0.5, noise_var: 1.0 }] {
            let g = gp_lml_gradient(&x, &y, h);
            for j in 0..3 {
                let eps = 1e-5;
                let (mut tp, mut tm) = (h.to_log(), h.to_log());
                tp[j] += eps;
                tm[j] -= eps;
                let fd = (gp_log_marginal_likelihood(&x, &y, GpHyper::from_log(tp)) - gp_log_marginal_likelihood(&x, &y, GpHyper::from_log(tm))) / (2.0 * eps);
                assert!((g[j] - fd).abs() < 1e-6 * fd.abs().max(1.0), "j = {j}: {} vs {fd}", g[j]);
            }
        }
    }

    #[test]
    fn lml_equals_the_multivariate_normal_density() {
        let x = [0.0, 0.4, 1.1, 2.5];
        let y = [0.3, -0.1, 0.8, 0.0];
        let h = GpHyper { length_scale: 0.9, signal_var: 1.5, noise_var: 0.3 };
        let cov = h.kernel().gram(&x, &x) + Array2::<f64>::eye(4) * 0.3;
        let lp = crate::inference::mvn_log_density(&Array1::from(y.to_vec()), &Array1::zeros(4), &cov);
        assert!((gp_log_marginal_likelihood(&x, &y, h) - lp).abs() < 1e-12);
    }

    #[test]
    fn posterior_equals_gaussian_conditioning_of_the_joint() {
        let x = [0.0, 0.4, 1.1];
        let y = [0.3, -0.1, 0.8];
        let xs = [0.2, 3.0];
        let h = GpHyper { length_scale: 0.9, signal_var: 1.5, noise_var: 0.3 };
        // Joint of (f(xs), y): conditioning on the y block.
        let all = [xs[0], xs[1], x[0], x[1], x[2]];
        let mut cov = h.kernel().gram(&all, &all);
        for i in 2..5 {
            cov[[i, i]] += 0.3;
        }
        let (m, c) = crate::inference::condition(&Array1::zeros(5), &cov, &[2, 3, 4], &Array1::from(y.to_vec()));
        let (pm, pv) = GpPosterior::fit(&x, &y, h).predict(&xs);
        for j in 0..2 {
            assert!((pm[j] - m[j]).abs() < 1e-12 && (pv[j] - c[[j, j]]).abs() < 1e-12);
        }
    }

    #[test]
    fn fit_recovers_the_length_scale_within_three_standard_errors_over_seeds() {
        // The notebook's setting: 100 points on [0, 20], ℓ = 1, σ_f² = 1, σ_n² = 0.04. The
        // notebook asserts 4 Laplace standard errors; over 30 seeds the largest |z| was 2.6.
        let truth = GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 0.04 };
        for seed in 0..12 {
            let mut rng = crate::rng::seeded(seed);
            let x = crate::rng::uniform_vec(&mut rng, 100, 0.0, 20.0);
            let (_, y) = gp_sample_prior(&mut rng, &x, truth);
            let init = GpHyper { length_scale: 3.0, signal_var: 0.5, noise_var: 0.5 };
            let fit = gp_fit_hyper(&x, &y, init, 0.01, 500);
            let se = gp_log_hyper_standard_errors(&x, &y, fit.hyper);
            let z = fit.hyper.length_scale.ln() / se[0];
            assert!(z.abs() < 4.0, "seed {seed}: ℓ = {}, se(ln ℓ) = {}, z = {z}", fit.hyper.length_scale, se[0]);
            assert!(fit.grad_norm < 1e-3, "seed {seed}: not converged, grad {}", fit.grad_norm);
        }
    }
}
