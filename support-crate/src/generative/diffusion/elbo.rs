//! The DDPM evidence lower bound and its decomposition into Gaussian KL divergences.
//!
//! $$-\log p_\theta(x_0) \le L = \underbrace{D_{KL}\big(q(x_T\mid x_0)\,\|\,p(x_T)\big)}_{L_T} +
//! \sum_{t=2}^T \underbrace{\mathbb E_q\, D_{KL}\big(q(x_{t-1}\mid x_t,x_0)\,\|\,p_\theta(x_{t-1}\mid x_t)\big)}_{L_{t-1}}
//! \ \underbrace{-\ \mathbb E_q\log p_\theta(x_0\mid x_1)}_{L_0},$$
//! every KL between Gaussians in closed form,
//! $D_{KL}(\mathcal N(\mu_1,v_1)\|\mathcal N(\mu_2,v_2)) = \tfrac12\big(\ln\tfrac{v_2}{v_1} + \tfrac{v_1 + (\mu_1-\mu_2)^2}{v_2} - 1\big)$ per coordinate.
//! For 1-D Gaussian data and the exact ε*, the reverse means are affine in $x_t$, the whole model is a
//! linear-Gaussian chain, and both $L$ and $\log p_\theta(x_0)$ are exact: the bound can be seen to hold.
//!
//! ## Reference
//! J. Sohl-Dickstein et al. (2015), §2.4; J. Ho, A. Jain, P. Abbeel (2020), eq. (5);
//! C. Luo (2022), eqs. (45)–(58).
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb.

use super::forward::normal_array;
use super::{reverse_mean, EpsModel, NoiseSchedule, ReverseVariance};
use ndarray::Array2;
use rand::Rng;

/// $D_{KL}\big(\mathcal N(\mu_q, v_q)\,\|\,\mathcal N(\mu_p, v_p)\big)$ in nats (one coordinate).
///
/// # Panics
/// If a variance is not > 0.
///
/// # Examples
/// ```
/// use course::generative::diffusion::gaussian_kl;
/// assert_eq!(gaussian_kl(0.3, 2.0, 0.3, 2.0), 0.0);
/// assert!((gaussian_kl(1.0, 1.0, 0.0, 1.0) - 0.5).abs() < 1e-15);
/// ```
pub fn gaussian_kl(mean_q: f64, var_q: f64, mean_p: f64, var_p: f64) -> f64 {
    assert!(var_q > 0.0 && var_p > 0.0, "variances must be > 0, got var_q = {var_q}, var_p = {var_p}");
    0.5 * ((var_p / var_q).ln() + (var_q + (mean_q - mean_p).powi(2)) / var_p - 1.0)
}

/// The terms of $L = -\mathrm{ELBO}$ (nats): `prior` $= L_T$, `denoising[t - 2]` $= L_{t-1}$ for $t = 2..=T$,
/// `reconstruction` $= L_0$.
#[derive(Clone, Debug, PartialEq)]
pub struct ElboTerms {
    /// $L_T = D_{KL}(q(x_T\mid x_0)\,\|\,\mathcal N(0, I))$.
    pub prior: f64,
    /// $L_{t-1}$ for $t = 2, \dots, T$ (index $t - 2$).
    pub denoising: Vec<f64>,
    /// $L_0 = -\mathbb E_q\log p_\theta(x_0\mid x_1)$.
    pub reconstruction: f64,
}

impl ElboTerms {
    /// $L = L_T + \sum_t L_{t-1} + L_0$, the negative ELBO: an upper bound on $-\log p_\theta(x_0)$.
    ///
    /// # Examples
    /// ```
    /// let l = course::generative::diffusion::ElboTerms { prior: 0.5, denoising: vec![1.0, 2.0], reconstruction: -1.0 };
    /// assert_eq!(l.total(), 2.5);
    /// ```
    pub fn total(&self) -> f64 {
        self.prior + self.denoising.iter().sum::<f64>() + self.reconstruction
    }

    /// The term-by-term average of several (e.g. per-sample) decompositions.
    ///
    /// # Panics
    /// If `terms` is empty or their lengths differ.
    ///
    /// # Examples
    /// ```
    /// use course::generative::diffusion::ElboTerms;
    /// let a = ElboTerms { prior: 1.0, denoising: vec![1.0], reconstruction: 0.0 };
    /// let b = ElboTerms { prior: 3.0, denoising: vec![3.0], reconstruction: 2.0 };
    /// assert_eq!(ElboTerms::mean(&[a, b]).total(), 5.0);
    /// ```
    pub fn mean(terms: &[ElboTerms]) -> ElboTerms {
        assert!(!terms.is_empty(), "terms must not be empty");
        let n = terms.len() as f64;
        let k = terms[0].denoising.len();
        assert!(terms.iter().all(|t| t.denoising.len() == k), "all terms must have the same number of steps");
        ElboTerms {
            prior: terms.iter().map(|t| t.prior).sum::<f64>() / n,
            denoising: (0..k).map(|i| terms.iter().map(|t| t.denoising[i]).sum::<f64>() / n).collect(),
            reconstruction: terms.iter().map(|t| t.reconstruction).sum::<f64>() / n,
        }
    }
}

/// The affine reverse mean $\mu_\theta(x) = a_t x + b_t$ of the exact ε* for data $\mathcal N(m, v)$.
fn gaussian_reverse_affine(s: &NoiseSchedule, m: f64, v: f64, t: usize) -> (f64, f64) {
    let (ab, b) = (s.alpha_bar(t), s.beta(t));
    let var_t = ab * v + 1.0 - ab; // variance of q_t
    ((1.0 - b / var_t) / (1.0 - b).sqrt(), b * ab.sqrt() * m / (var_t * (1.0 - b).sqrt()))
}

fn check_gaussian(data_var: f64) {
    assert!(data_var > 0.0 && data_var.is_finite(), "data_var must be > 0, got {data_var}");
}

/// The exact ELBO terms at `x0` of the DDPM whose ε-predictor is the exact ε* of 1-D data
/// $\mathcal N$(`data_mean`, `data_var`), with reverse variances `variance`.
///
/// # Panics
/// If `data_var <= 0`.
///
/// # Examples
/// ```
/// use course::generative::diffusion::{ddpm_elbo_gaussian, ddpm_log_likelihood_gaussian, NoiseSchedule, ReverseVariance};
/// let s = NoiseSchedule::linear(100, 1e-3, 0.05);
/// let l = ddpm_elbo_gaussian(&s, 0.0, 1.0, 0.5, ReverseVariance::Beta);
/// let log_p = ddpm_log_likelihood_gaussian(&s, 0.0, 1.0, 0.5, ReverseVariance::Beta);
/// assert!(-l.total() <= log_p); // the ELBO is a lower bound
/// ```
pub fn ddpm_elbo_gaussian(
    schedule: &NoiseSchedule,
    data_mean: f64,
    data_var: f64,
    x0: f64,
    variance: ReverseVariance,
) -> ElboTerms {
    check_gaussian(data_var);
    let s = schedule;
    let big_t = s.n_steps();
    let ab_t = s.alpha_bar(big_t);
    let prior = gaussian_kl(ab_t.sqrt() * x0, 1.0 - ab_t, 0.0, 1.0);
    let denoising = (2..=big_t)
        .map(|t| {
            let (c0, ct) = s.posterior_coefficients(t);
            let (a, b) = gaussian_reverse_affine(s, data_mean, data_var, t);
            let (bt, sig2) = (s.posterior_variance(t), variance.sigma2(s, t));
            let ab = s.alpha_bar(t);
            // E over x_t ~ N(√ᾱ x0, 1-ᾱ) of (c0 x0 + (ct - a) x_t - b)²
            let k = ct - a;
            let sq = (c0 * x0 + k * ab.sqrt() * x0 - b).powi(2) + k * k * (1.0 - ab);
            0.5 * ((sig2 / bt).ln() + bt / sig2 - 1.0) + sq / (2.0 * sig2)
        })
        .collect();
    let (a, b) = gaussian_reverse_affine(s, data_mean, data_var, 1);
    let sig2 = variance.sigma2(s, 1);
    let ab = s.alpha_bar(1);
    let sq = (x0 - a * ab.sqrt() * x0 - b).powi(2) + a * a * (1.0 - ab);
    let reconstruction = 0.5 * (2.0 * std::f64::consts::PI * sig2).ln() + sq / (2.0 * sig2);
    ElboTerms { prior, denoising, reconstruction }
}

/// The exact $\log p_\theta(x_0)$ of the same model (a linear-Gaussian chain from $x_T\sim\mathcal N(0,1)$).
///
/// # Panics
/// If `data_var <= 0`.
///
/// # Examples
/// ```
/// use course::generative::diffusion::{ddpm_log_likelihood_gaussian, NoiseSchedule, ReverseVariance};
/// let s = NoiseSchedule::linear(1000, 1e-4, 0.02);
/// // with many steps the model is close to its data law N(0, 1)
/// let lp = ddpm_log_likelihood_gaussian(&s, 0.0, 1.0, 0.0, ReverseVariance::Beta);
/// assert!((lp + 0.5 * (2.0 * std::f64::consts::PI).ln()).abs() < 0.01);
/// ```
pub fn ddpm_log_likelihood_gaussian(
    schedule: &NoiseSchedule,
    data_mean: f64,
    data_var: f64,
    x0: f64,
    variance: ReverseVariance,
) -> f64 {
    check_gaussian(data_var);
    let (mut m, mut v) = (0.0, 1.0);
    for t in (1..=schedule.n_steps()).rev() {
        let (a, b) = gaussian_reverse_affine(schedule, data_mean, data_var, t);
        m = a * m + b;
        v = a * a * v + variance.sigma2(schedule, t);
    }
    -0.5 * ((2.0 * std::f64::consts::PI * v).ln() + (x0 - m).powi(2) / v)
}

/// Monte Carlo ELBO terms for any ε-predictor, one [`ElboTerms`] per row of `x0` (batch × dim):
/// $L_T$ exact, each $L_{t-1}$ and $L_0$ with one draw $x_t\sim q(x_t\mid x_0)$ per row and step.
/// Costs $T$ calls of the ε-predictor on the batch.
///
/// # Panics
/// If the ε-predictor returns a wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::diffusion::{ddpm_elbo_mc, ElboTerms, NoiseSchedule, ReverseVariance};
/// let s = NoiseSchedule::linear(50, 1e-3, 0.1);
/// // the perfect predictor for a point mass at 0: ε̂ = x_t/√(1-ᾱ_t) makes every L_{t-1} vanish
/// // with the posterior variances
/// let eps = |x: &Array2<f64>, t: usize| x / (1.0 - s.alpha_bar(t)).sqrt();
/// let terms = ddpm_elbo_mc(&s, &eps, &Array2::zeros((10, 1)), ReverseVariance::Posterior, &mut course::rng::seeded(0));
/// assert!(ElboTerms::mean(&terms).denoising.iter().all(|l| l.abs() < 1e-10));
/// ```
pub fn ddpm_elbo_mc(
    schedule: &NoiseSchedule,
    eps_model: EpsModel,
    x0: &Array2<f64>,
    variance: ReverseVariance,
    rng: &mut impl Rng,
) -> Vec<ElboTerms> {
    let s = schedule;
    let (n, d) = x0.dim();
    let big_t = s.n_steps();
    let ab_t = s.alpha_bar(big_t);
    let mut out: Vec<ElboTerms> = x0
        .rows()
        .into_iter()
        .map(|r| ElboTerms {
            prior: r.iter().map(|&v| gaussian_kl(ab_t.sqrt() * v, 1.0 - ab_t, 0.0, 1.0)).sum(),
            denoising: vec![0.0; big_t - 1],
            reconstruction: 0.0,
        })
        .collect();
    for t in 1..=big_t {
        let eps = normal_array(rng, n, d);
        let xt = s.q_sample_with_noise(x0, t, &eps);
        let e = eps_model(&xt, t);
        assert_eq!(e.dim(), xt.dim(), "eps_model must return an array of the input's shape (at t = {t})");
        let mu = reverse_mean(s, &xt, &e, t);
        let sig2 = variance.sigma2(s, t);
        if t == 1 {
            for i in 0..n {
                out[i].reconstruction = (0..d)
                    .map(|j| 0.5 * (2.0 * std::f64::consts::PI * sig2).ln() + (x0[[i, j]] - mu[[i, j]]).powi(2) / (2.0 * sig2))
                    .sum();
            }
        } else {
            let post = s.posterior_mean(&xt, x0, t);
            let bt = s.posterior_variance(t);
            for i in 0..n {
                out[i].denoising[t - 2] = (0..d).map(|j| gaussian_kl(post[[i, j]], bt, mu[[i, j]], sig2)).sum();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::diffusion::GaussianMixture;
    use ndarray::array;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn elbo_is_below_the_exact_log_likelihood() {
        for s in [NoiseSchedule::linear(100, 1e-3, 0.05), NoiseSchedule::cosine(50, 0.008), NoiseSchedule::linear(10, 0.05, 0.5)] {
            for v in [ReverseVariance::Beta, ReverseVariance::Posterior] {
                for x0 in [-2.0, 0.3, 1.0, 3.5] {
                    let l = ddpm_elbo_gaussian(&s, 1.0, 0.25, x0, v);
                    let lp = ddpm_log_likelihood_gaussian(&s, 1.0, 0.25, x0, v);
                    assert!(-l.total() <= lp + 1e-12, "x0 {x0}: elbo {} > log p {lp}", -l.total());
                }
            }
        }
    }

    #[test]
    fn log_likelihood_approaches_the_data_density_with_many_steps() {
        // the continuous-time limit of the exact-score DDPM is the data law N(m, v)
        let (m, v) = (1.0, 0.25);
        let exact = |x: f64| -0.5 * ((2.0 * std::f64::consts::PI * v).ln() + (x - m).powi(2) / v);
        let errs: Vec<f64> = [50, 200, 1000]
            .iter()
            .map(|&n| {
                let s = NoiseSchedule::linear(n, 0.1 / n as f64, 20.0 / n as f64);
                (ddpm_log_likelihood_gaussian(&s, m, v, 1.3, ReverseVariance::Beta) - exact(1.3)).abs()
            })
            .collect();
        assert!(errs[1] < errs[0] && errs[2] < errs[1] && errs[2] < 0.02, "{errs:?}");
    }

    #[test]
    fn monte_carlo_terms_match_the_closed_form() {
        // independent implementation: the batch machinery with the mixture oracle's ε*
        let (m, v) = (1.0, 0.25);
        let g = GaussianMixture::new(vec![1.0], array![[m]], array![[v]]);
        let s = NoiseSchedule::linear(20, 0.01, 0.3);
        let eps = |x: &Array2<f64>, t: usize| g.eps_star(&s, x, t);
        let x0 = 1.7;
        for seed in 0..5 {
            let terms = ddpm_elbo_mc(&s, &eps, &Array2::from_elem((4000, 1), x0), ReverseVariance::Beta, &mut crate::rng::seeded(seed));
            let totals: Vec<f64> = terms.iter().map(|t| t.total()).collect();
            let n = totals.len() as f64;
            let mean = totals.iter().sum::<f64>() / n;
            let se = (totals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
            let exact = ddpm_elbo_gaussian(&s, m, v, x0, ReverseVariance::Beta).total();
            assert!((mean - exact).abs() < 4.0 * se, "seed {seed}: {mean} vs {exact} (se {se})");
        }
    }

    #[test]
    fn decomposition_equals_the_trajectory_estimate() {
        // L = E_q[log q(x_{1:T}|x0) - log p(x_{0:T})] estimated along forward trajectories, no decomposition
        let (m, v) = (-0.5, 0.5);
        let g = GaussianMixture::new(vec![1.0], array![[m]], array![[v]]);
        let s = NoiseSchedule::linear(10, 0.02, 0.4);
        let x0 = 0.2;
        let lnn = |x: f64, mu: f64, var: f64| -0.5 * ((2.0 * std::f64::consts::PI * var).ln() + (x - mu).powi(2) / var);
        let exact = ddpm_elbo_gaussian(&s, m, v, x0, ReverseVariance::Posterior).total();
        for seed in 0..5 {
            let mut rng = crate::rng::seeded(100 + seed);
            let n = 20_000;
            let vals: Vec<f64> = (0..n)
                .map(|_| {
                    let mut xs = vec![x0];
                    for t in 1..=10 {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        xs.push((1.0 - s.beta(t)).sqrt() * xs[t - 1] + s.beta(t).sqrt() * z);
                    }
                    let mut val = -lnn(xs[10], 0.0, 1.0);
                    for t in 1..=10 {
                        val += lnn(xs[t], (1.0 - s.beta(t)).sqrt() * xs[t - 1], s.beta(t));
                        let e = g.eps_star(&s, &array![[xs[t]]], t)[[0, 0]];
                        let mu = (xs[t] - s.beta(t) / (1.0 - s.alpha_bar(t)).sqrt() * e) / (1.0 - s.beta(t)).sqrt();
                        val -= lnn(xs[t - 1], mu, ReverseVariance::Posterior.sigma2(&s, t));
                    }
                    val
                })
                .collect();
            let mean = vals.iter().sum::<f64>() / n as f64;
            let se = (vals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0) / n as f64).sqrt();
            assert!((mean - exact).abs() < 4.0 * se, "seed {seed}: {mean} vs {exact} (se {se})");
        }
    }
}
