//! The linear-Gaussian latent model (probabilistic PCA): the one VAE whose evidence, posterior and
//! optimum are all closed form.
//!
//! $z\sim\mathcal N(0, I_k)$, $x\mid z\sim\mathcal N(m + Wz, \sigma^2 I_d)$. Integrating $z$ out,
//! $$p(x) = \mathcal N(x;\ m,\ C),\quad C = WW^\top+\sigma^2I_d,\qquad
//!   p(z\mid x) = \mathcal N\big(M^{-1}W^\top(x-m),\ \sigma^2M^{-1}\big),\quad M = W^\top W+\sigma^2I_k .$$
//! For any Gaussian $q = \mathcal N(a, S)$ the ELBO is explicit,
//! $$\mathrm{ELBO}(q) = -\tfrac d2\ln(2\pi\sigma^2) - \frac{\lVert x-m-Wa\rVert^2+\operatorname{tr}(W^\top WS)}{2\sigma^2}
//!   {}- \tfrac12\big(\operatorname{tr}S + a^\top a - k - \ln\det S\big),$$
//! and $\ln p(x) - \mathrm{ELBO}(q) = \mathrm{KL}(q\,\|\,p(z\mid x))$ exactly. The maximum-likelihood fit
//! (Tipping & Bishop) keeps the top $k$ eigenpairs $(\lambda_i, u_i)$ of the data covariance:
//! $\sigma^2$ = the mean of the other eigenvalues, $W = U_k(\Lambda_k - \sigma^2 I)^{1/2}$.
//!
//! With a fixed decoder variance $\sigma^2$ and the KL weighted by $\beta$, the best linear VAE is
//! the same fit with $\sigma^2$ replaced by $\beta\sigma^2$: direction $i$ keeps
//! $\lVert w_i\rVert^2 = (\lambda_i - \beta\sigma^2)_+$ and costs, on average over the data,
//! $$R_i = \mathbb E_x\,\mathrm{KL}\big(q(z_i\mid x)\,\|\,\mathcal N(0,1)\big) = \tfrac12\ln\frac{\lambda_i}{\beta\sigma^2}\ \text{ if } \lambda_i > \beta\sigma^2,\ \text{else } 0 :$$
//! the directions whose variance is below $\beta\sigma^2$ **collapse** (posterior = prior, no
//! information carried), the reverse water-filling of Gaussian rate–distortion theory.
//!
//! ## Reference
//! M. E. Tipping & C. M. Bishop (1999), *Probabilistic principal component analysis*;
//! J. Lucas, G. Tucker, R. Grosse & M. Norouzi (2019), *Don't blame the ELBO! A linear VAE
//! perspective on posterior collapse*; Bishop, *Pattern Recognition and Machine Learning*, §12.2.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb.

use nalgebra::{DMatrix, DVector};
use ndarray::{Array1, Array2, Axis};
use rand::Rng;

fn dm(a: &Array2<f64>) -> DMatrix<f64> {
    DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]])
}

fn back(a: &DMatrix<f64>) -> Array2<f64> {
    Array2::from_shape_fn((a.nrows(), a.ncols()), |(i, j)| a[(i, j)])
}

fn spd_inverse_and_logdet(a: &DMatrix<f64>, who: &str) -> (DMatrix<f64>, f64) {
    let ch = a.clone().cholesky().unwrap_or_else(|| panic!("{who}: the covariance must be symmetric positive definite"));
    let logdet = 2.0 * ch.l().diagonal().iter().map(|v| v.ln()).sum::<f64>();
    (ch.inverse(), logdet)
}

/// $\mathrm{KL}(\mathcal N(m_0, S_0)\,\|\,\mathcal N(m_1, S_1))
/// = \tfrac12\big(\operatorname{tr}(S_1^{-1}S_0) + (m_1-m_0)^\top S_1^{-1}(m_1-m_0) - k + \ln\frac{\det S_1}{\det S_0}\big)$.
///
/// # Panics
/// If the dimensions differ or a covariance is not positive definite.
///
/// # Examples
/// ```
/// use ndarray::array;
/// use course::generative::vae::kl_gaussians;
/// let eye = array![[1.0, 0.0], [0.0, 1.0]];
/// // Shifting the mean by (1, 1) under identity covariances costs ½‖Δm‖² = 1.
/// let kl = kl_gaussians(&array![1.0, 1.0], &eye, &array![0.0, 0.0], &eye);
/// assert!((kl - 1.0).abs() < 1e-12);
/// ```
pub fn kl_gaussians(m0: &Array1<f64>, s0: &Array2<f64>, m1: &Array1<f64>, s1: &Array2<f64>) -> f64 {
    let k = m0.len();
    assert!(m1.len() == k && s0.dim() == (k, k) && s1.dim() == (k, k), "kl_gaussians: means must have length k and covariances be k × k, k = {k}");
    let (s1_inv, ld1) = spd_inverse_and_logdet(&dm(s1), "kl_gaussians (s1)");
    let (_, ld0) = spd_inverse_and_logdet(&dm(s0), "kl_gaussians (s0)");
    let d = DVector::from_iterator(k, m1.iter().zip(m0).map(|(a, b)| a - b));
    let tr = (&s1_inv * dm(s0)).trace();
    0.5 * (tr + d.dot(&(&s1_inv * &d)) - k as f64 + ld1 - ld0)
}

/// The average KL per latent direction of the best linear β-VAE:
/// $R_i = \tfrac12\ln(\lambda_i/\beta\sigma^2)$ if $\lambda_i > \beta\sigma^2$, else 0 (collapsed).
/// `eigenvalues` are the data covariance's (any order); the result follows their order.
///
/// # Panics
/// If `sigma2 <= 0`, `beta <= 0` or an eigenvalue is negative.
///
/// # Examples
/// ```
/// use course::generative::vae::beta_vae_rates;
/// let r = beta_vae_rates(&[4.0, 1.0], 0.25, 1.0);
/// assert!((r[0] - 0.5 * 16f64.ln()).abs() < 1e-12 && (r[1] - 0.5 * 4f64.ln()).abs() < 1e-12);
/// // β = 8: βσ² = 2 > 1, the second direction collapses.
/// assert_eq!(beta_vae_rates(&[4.0, 1.0], 0.25, 8.0)[1], 0.0);
/// ```
pub fn beta_vae_rates(eigenvalues: &[f64], sigma2: f64, beta: f64) -> Vec<f64> {
    assert!(sigma2 > 0.0, "beta_vae_rates: sigma2 must be > 0, got {sigma2}");
    assert!(beta > 0.0, "beta_vae_rates: beta must be > 0, got {beta}");
    eigenvalues
        .iter()
        .map(|&l| {
            assert!(l >= 0.0, "beta_vae_rates: eigenvalues must be >= 0, got {l}");
            if l > beta * sigma2 { 0.5 * (l / (beta * sigma2)).ln() } else { 0.0 }
        })
        .collect()
}

/// $z\sim\mathcal N(0, I_k)$, $x\mid z\sim\mathcal N(\text{mean} + Wz, \sigma^2 I_d)$.
///
/// # Examples
/// ```
/// use ndarray::array;
/// use course::generative::vae::LinearGaussian;
/// let m = LinearGaussian::new(array![0.0, 0.0], array![[1.0], [0.0]], 1.0);
/// // C = diag(2, 1): ln p(0) = −ln 2π − ½ ln 2.
/// let lp = m.log_evidence(&[0.0, 0.0]);
/// assert!((lp + (2.0 * std::f64::consts::PI).ln() + 0.5 * 2f64.ln()).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LinearGaussian {
    /// $m\in\mathbb R^d$.
    pub mean: Array1<f64>,
    /// $W$, $d\times k$.
    pub w: Array2<f64>,
    /// The decoder variance $\sigma^2$.
    pub sigma2: f64,
}

impl LinearGaussian {
    /// The model with these parameters.
    ///
    /// # Panics
    /// If `w` does not have `mean.len()` rows or `sigma2 <= 0`.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let m = course::generative::vae::LinearGaussian::new(array![1.0, 2.0], array![[1.0], [1.0]], 0.5);
    /// assert_eq!(m.latent(), 1);
    /// ```
    pub fn new(mean: Array1<f64>, w: Array2<f64>, sigma2: f64) -> Self {
        assert_eq!(w.nrows(), mean.len(), "LinearGaussian: w must have one row per coordinate ({}), got {}", mean.len(), w.nrows());
        assert!(w.ncols() >= 1, "LinearGaussian: w must have at least one column");
        assert!(sigma2.is_finite() && sigma2 > 0.0, "LinearGaussian: sigma2 must be > 0, got {sigma2}");
        LinearGaussian { mean, w, sigma2 }
    }

    /// The latent dimension $k$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let m = course::generative::vae::LinearGaussian::new(array![0.0], array![[1.0, 2.0]], 1.0);
    /// assert_eq!(m.latent(), 2);
    /// ```
    pub fn latent(&self) -> usize {
        self.w.ncols()
    }

    /// The maximum-likelihood fit with `latent` directions (Tipping & Bishop's closed form;
    /// the data covariance with divisor $n$).
    ///
    /// # Panics
    /// If `latent` is 0 or not below the data dimension, or there are fewer than 2 rows.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let x = array![[2.0, 0.1], [-2.0, -0.1], [2.0, -0.1], [-2.0, 0.1]];
    /// let m = course::generative::vae::LinearGaussian::fit_ppca(&x, 1);
    /// // Covariance diag(4, 0.01): σ² = 0.01, ‖w‖² = 4 − 0.01.
    /// assert!((m.sigma2 - 0.01).abs() < 1e-12);
    /// assert!((m.w.column(0).dot(&m.w.column(0)) - 3.99).abs() < 1e-12);
    /// ```
    pub fn fit_ppca(x: &Array2<f64>, latent: usize) -> Self {
        let (n, d) = x.dim();
        assert!(latent >= 1 && latent < d, "fit_ppca: latent must be in 1..{d} (the data dimension), got {latent}");
        assert!(n >= 2, "fit_ppca: need at least 2 rows, got {n}");
        let mean = x.mean_axis(Axis(0)).expect("n >= 2");
        let xc = x - &mean;
        let cov = xc.t().dot(&xc) / n as f64;
        let cov = (&cov + &cov.t()) / 2.0;
        let e = crate::linalg::symmetric_eigen(&cov);
        let sigma2 = e.values.iter().skip(latent).sum::<f64>() / (d - latent) as f64;
        let w = Array2::from_shape_fn((d, latent), |(i, j)| e.vectors[[i, j]] * (e.values[j] - sigma2).max(0.0).sqrt());
        LinearGaussian::new(mean, w, sigma2.max(1e-300))
    }

    /// The marginal covariance $C = WW^\top + \sigma^2 I$.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let m = course::generative::vae::LinearGaussian::new(array![0.0, 0.0], array![[1.0], [2.0]], 0.5);
    /// assert_eq!(m.covariance(), array![[1.5, 2.0], [2.0, 4.5]]);
    /// ```
    pub fn covariance(&self) -> Array2<f64> {
        let d = self.mean.len();
        self.w.dot(&self.w.t()) + Array2::<f64>::eye(d) * self.sigma2
    }

    fn check_x(&self, x: &[f64], who: &str) {
        assert_eq!(x.len(), self.mean.len(), "{who}: x must have length {} (the data dimension), got {}", self.mean.len(), x.len());
    }

    /// The exact log-evidence $\ln p(x) = \ln\mathcal N(x; m, C)$.
    ///
    /// # Panics
    /// If `x` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let m = course::generative::vae::LinearGaussian::new(array![0.0], array![[1.0]], 1.0);
    /// // p(x) = N(0, 2) at x = 0.
    /// assert!((m.log_evidence(&[0.0]) + 0.5 * (4.0 * std::f64::consts::PI).ln()).abs() < 1e-12);
    /// ```
    pub fn log_evidence(&self, x: &[f64]) -> f64 {
        self.check_x(x, "log_evidence");
        let d = x.len();
        let (c_inv, logdet) = spd_inverse_and_logdet(&dm(&self.covariance()), "log_evidence");
        let r = DVector::from_iterator(d, x.iter().zip(&self.mean).map(|(a, b)| a - b));
        -0.5 * (d as f64 * (2.0 * std::f64::consts::PI).ln() + logdet + r.dot(&(&c_inv * &r)))
    }

    /// The exact posterior $p(z\mid x) = \mathcal N(M^{-1}W^\top(x-m), \sigma^2M^{-1})$: (mean, covariance).
    ///
    /// # Panics
    /// If `x` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let m = course::generative::vae::LinearGaussian::new(array![0.0], array![[1.0]], 1.0);
    /// // Prior N(0,1), one observation of z with noise variance 1: mean x/2, variance 1/2.
    /// let (mean, cov) = m.posterior(&[3.0]);
    /// assert!((mean[0] - 1.5).abs() < 1e-12 && (cov[[0, 0]] - 0.5).abs() < 1e-12);
    /// ```
    pub fn posterior(&self, x: &[f64]) -> (Array1<f64>, Array2<f64>) {
        self.check_x(x, "posterior");
        let k = self.latent();
        let w = dm(&self.w);
        let m = w.transpose() * &w + DMatrix::identity(k, k) * self.sigma2;
        let (m_inv, _) = spd_inverse_and_logdet(&m, "posterior");
        let r = DVector::from_iterator(x.len(), x.iter().zip(&self.mean).map(|(a, b)| a - b));
        let mean = &m_inv * (w.transpose() * r);
        (mean.iter().copied().collect(), back(&(m_inv * self.sigma2)))
    }

    /// The ELBO of $q = \mathcal N(a, S)$ at `x` (closed form, see the module docs).
    ///
    /// # Panics
    /// If the shapes are wrong or `q_cov` is not positive definite.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let m = course::generative::vae::LinearGaussian::new(array![0.0], array![[1.0]], 1.0);
    /// // At the exact posterior the bound is tight.
    /// let (a, s) = m.posterior(&[3.0]);
    /// assert!((m.elbo(&[3.0], &a, &s) - m.log_evidence(&[3.0])).abs() < 1e-12);
    /// ```
    pub fn elbo(&self, x: &[f64], q_mean: &Array1<f64>, q_cov: &Array2<f64>) -> f64 {
        self.check_x(x, "elbo");
        let (d, k) = (x.len(), self.latent());
        assert!(q_mean.len() == k && q_cov.dim() == (k, k), "elbo: q_mean must have length {k} and q_cov be {k} × {k}");
        let wa = self.w.dot(q_mean);
        let res: f64 = (0..d).map(|i| (x[i] - self.mean[i] - wa[i]).powi(2)).sum();
        let trace_term = (self.w.t().dot(&self.w) * q_cov).sum(); // tr(WᵀW S), S symmetric
        let expected_loglik = -0.5 * d as f64 * (2.0 * std::f64::consts::PI * self.sigma2).ln() - (res + trace_term) / (2.0 * self.sigma2);
        let kl = kl_gaussians(q_mean, q_cov, &Array1::zeros(k), &Array2::eye(k));
        expected_loglik - kl
    }

    /// `n_samples` draws of $x$ (one per row).
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let m = course::generative::vae::LinearGaussian::new(array![5.0, 0.0], array![[1.0], [0.0]], 0.01);
    /// let x = m.sample(2000, &mut course::rng::seeded(0));
    /// assert!((x.column(0).mean().unwrap() - 5.0).abs() < 0.1);
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Array2<f64> {
        let (d, k) = (self.mean.len(), self.latent());
        let z = crate::rng::normal_vec(rng, n_samples * k);
        let e = crate::rng::normal_vec(rng, n_samples * d);
        let s = self.sigma2.sqrt();
        Array2::from_shape_fn((n_samples, d), |(r, i)| {
            self.mean[i] + (0..k).map(|j| self.w[[i, j]] * z[r * k + j]).sum::<f64>() + s * e[r * d + i]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};
    use ndarray::array;

    fn ln_normal(x: f64, m: f64, v: f64) -> f64 {
        -0.5 * ((x - m).powi(2) / v + (2.0 * std::f64::consts::PI * v).ln())
    }

    fn model_k1() -> LinearGaussian {
        LinearGaussian::new(array![0.5, -1.0, 2.0], array![[1.2], [-0.7], [0.4]], 0.3)
    }

    /// p(x, z) on a fine z grid (k = 1): evidence by quadrature, posterior moments by Bayes.
    fn grid(m: &LinearGaussian, x: &[f64]) -> (f64, f64, f64) {
        let n = 40001;
        let h = 24.0 / (n - 1) as f64;
        let mut ws = Vec::with_capacity(n);
        for i in 0..n {
            let z = -12.0 + i as f64 * h;
            let mut l = ln_normal(z, 0.0, 1.0);
            for (j, &xj) in x.iter().enumerate() {
                l += ln_normal(xj, m.mean[j] + m.w[[j, 0]] * z, m.sigma2);
            }
            ws.push((z, l.exp()));
        }
        let p: f64 = ws.iter().map(|w| w.1).sum::<f64>() * h;
        let mean = ws.iter().map(|w| w.0 * w.1).sum::<f64>() * h / p;
        let var = ws.iter().map(|w| (w.0 - mean).powi(2) * w.1).sum::<f64>() * h / p;
        (p.ln(), mean, var)
    }

    #[test]
    fn evidence_and_posterior_match_brute_force_integration() {
        let m = model_k1();
        for x in [[0.0, 0.0, 0.0], [2.0, -2.0, 2.5], [-1.0, 0.3, 1.0]] {
            let (lp, mean, var) = grid(&m, &x);
            assert!((m.log_evidence(&x) - lp).abs() < 1e-9, "{} vs {lp}", m.log_evidence(&x));
            let (pm, pc) = m.posterior(&x);
            assert!((pm[0] - mean).abs() < 1e-9 && (pc[[0, 0]] - var).abs() < 1e-9);
        }
    }

    #[test]
    fn evidence_minus_elbo_is_the_kl_to_the_posterior() {
        let m = LinearGaussian::new(array![0.0, 1.0, 0.0, -1.0], array![[1.0, 0.2], [0.5, -1.0], [0.0, 0.7], [0.3, 0.3]], 0.2);
        let mut r = seeded(5);
        for _ in 0..10 {
            let x = normal_vec(&mut r, 4);
            let v = normal_vec(&mut r, 6);
            let a = array![v[0], v[1]];
            let l = array![[v[2].exp(), 0.0], [v[3], v[4].exp()]];
            let s = l.dot(&l.t());
            let (pm, pc) = m.posterior(&x);
            let gap = m.log_evidence(&x) - m.elbo(&x, &a, &s);
            assert!((gap - kl_gaussians(&a, &s, &pm, &pc)).abs() < 1e-10);
            assert!(gap > 0.0);
        }
    }

    #[test]
    fn ppca_fit_is_a_stationary_point_of_the_likelihood() {
        let truth = LinearGaussian::new(array![1.0, 0.0, -1.0], array![[2.0], [1.0], [0.5]], 0.1);
        let x = truth.sample(400, &mut seeded(2));
        let fit = LinearGaussian::fit_ppca(&x, 1);
        let ll = |m: &LinearGaussian| x.rows().into_iter().map(|r| m.log_evidence(&r.to_vec())).sum::<f64>();
        let base = ll(&fit);
        let h = 1e-5;
        for i in 0..3 {
            let (mut up, mut dn) = (fit.clone(), fit.clone());
            up.w[[i, 0]] += h;
            dn.w[[i, 0]] -= h;
            assert!(((ll(&up) - ll(&dn)) / (2.0 * h)).abs() < 1e-4 * x.nrows() as f64);
            assert!(ll(&up) <= base + 1e-9 && ll(&dn) <= base + 1e-9);
        }
        let (mut up, mut dn) = (fit.clone(), fit.clone());
        up.sigma2 += h;
        dn.sigma2 -= h;
        assert!(((ll(&up) - ll(&dn)) / (2.0 * h)).abs() < 1e-3 * x.nrows() as f64);
    }

    /// Expected 1-D β-ELBO (up to constants) of the linear VAE x̂ = w z, q(z|x) = N(a x, v), for data
    /// variance λ: −E[(x − w z)²]/(2σ²) − β KL; the encoder optimum is closed form given w.
    fn best_rate_1d(lambda: f64, sigma2: f64, beta: f64) -> f64 {
        let obj = |w: f64| {
            let v = beta * sigma2 / (w * w + beta * sigma2);
            let a = w / (w * w + beta * sigma2);
            let sq = lambda - 2.0 * w * a * lambda + w * w * (a * a * lambda + v);
            let kl = 0.5 * (a * a * lambda + v - 1.0 - v.ln());
            (-sq / (2.0 * sigma2) - beta * kl, kl)
        };
        // Golden-section search on w ∈ [0, 3√λ] (the objective is unimodal in w ≥ 0).
        let (mut lo, mut hi) = (0.0, 3.0 * lambda.sqrt());
        let g = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..200 {
            let (c, d) = (hi - g * (hi - lo), lo + g * (hi - lo));
            if obj(c).0 > obj(d).0 { hi = d } else { lo = c }
        }
        obj(0.5 * (lo + hi)).1
    }

    #[test]
    fn beta_vae_rates_match_numerical_optimization() {
        for &(lambda, sigma2) in &[(4.0, 0.25), (1.0, 0.1), (0.5, 0.5)] {
            for &beta in &[0.3, 1.0, 2.0, 5.0, 20.0] {
                let r = beta_vae_rates(&[lambda], sigma2, beta)[0];
                let num = best_rate_1d(lambda, sigma2, beta);
                assert!((r - num).abs() < 1e-6, "λ {lambda}, σ² {sigma2}, β {beta}: {r} vs {num}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "latent must be in 1..2")]
    fn ppca_rejects_full_latent() {
        LinearGaussian::fit_ppca(&array![[1.0, 2.0], [3.0, 1.0], [0.0, 0.0]], 2);
    }
}
