//! A Gaussian-mixture data law whose noised densities, scores and optimal ε-predictor are exact.
//!
//! If $x_0 \sim \sum_k w_k\,\mathcal N(\mu_k, \mathrm{diag}\,v_k)$ and $x = a\,x_0 + s\,\varepsilon$ with
//! $\varepsilon\sim\mathcal N(0, I)$ independent, then $x$ is again a mixture,
//! $$x \sim \sum_k w_k\,\mathcal N\big(a\mu_k,\ \mathrm{diag}(a^2 v_k + s^2)\big),$$
//! so its score $\nabla\log q(x) = \sum_k r_k(x)\,\big(-(x - a\mu_k)/(a^2v_k+s^2)\big)$ (responsibilities $r_k$) is known
//! in closed form. DDPM/VP noise is $a = \sqrt{\bar\alpha_t}$, $s^2 = 1-\bar\alpha_t$; VE noise is $a = 1$, $s = \sigma$.
//! The optimal ε-predictor and denoiser follow by Tweedie's formula:
//! $$\varepsilon^*(x_t, t) = -\sqrt{1-\bar\alpha_t}\,\nabla\log q_t(x_t),\qquad D(x;\sigma) = x + \sigma^2\nabla\log q_\sigma(x).$$
//!
//! ## Reference
//! P. Vincent (2011); B. Efron, *Tweedie's formula and selection bias* (2011); Karras et al. (2022), eq. (3).
//!
//! Used in notebooks/30-score-matching.ipynb, 31-diffusion-models-ddpm.ipynb and 32-score-sdes-and-edm.ipynb.

use super::NoiseSchedule;
use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// $\sum_k w_k\,\mathcal N(\mu_k, \mathrm{diag}\,v_k)$ in `dim` dimensions: `means` and `variances` are
/// `n_components × dim`.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianMixture {
    /// Mixing weights, positive, summing to 1.
    pub weights: Vec<f64>,
    /// Component means, one row per component.
    pub means: Array2<f64>,
    /// Component variances (diagonal covariances), one row per component.
    pub variances: Array2<f64>,
}

impl GaussianMixture {
    /// A mixture with diagonal covariances; the weights are normalized to sum to 1.
    ///
    /// # Panics
    /// If the shapes disagree, a weight is not > 0, or a variance is not > 0.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::diffusion::GaussianMixture;
    /// let g = GaussianMixture::new(vec![1.0, 3.0], array![[0.0], [4.0]], array![[1.0], [1.0]]);
    /// assert!((g.weights[1] - 0.75).abs() < 1e-15);
    /// ```
    pub fn new(weights: Vec<f64>, means: Array2<f64>, variances: Array2<f64>) -> Self {
        assert!(!weights.is_empty(), "weights must not be empty");
        assert_eq!(weights.len(), means.nrows(), "means must have one row per weight");
        assert_eq!(means.dim(), variances.dim(), "variances must have the shape of means");
        assert!(means.ncols() > 0, "dim must be > 0");
        assert!(weights.iter().all(|&w| w > 0.0 && w.is_finite()), "weights must be > 0, got {weights:?}");
        assert!(variances.iter().all(|&v| v > 0.0 && v.is_finite()), "variances must be > 0");
        let total: f64 = weights.iter().sum();
        let weights = weights.iter().map(|w| w / total).collect();
        Self { weights, means, variances }
    }

    /// A mixture whose components all have covariance `variance`·I.
    ///
    /// # Panics
    /// As [`GaussianMixture::new`].
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.0]], 0.25);
    /// assert_eq!(g.dim(), 2);
    /// assert!((g.covariance()[[0, 0]] - 1.25).abs() < 1e-15); // 0.25 + spread of the means 1
    /// ```
    pub fn isotropic(weights: Vec<f64>, means: Array2<f64>, variance: f64) -> Self {
        let variances = Array2::from_elem(means.dim(), variance);
        Self::new(weights, means, variances)
    }

    /// The dimension $d$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![1.0], array![[0.0, 0.0, 0.0]], 1.0);
    /// assert_eq!(g.dim(), 3);
    /// ```
    pub fn dim(&self) -> usize {
        self.means.ncols()
    }

    /// The mean $\sum_k w_k\mu_k$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![0.25, 0.75], array![[0.0], [4.0]], 1.0);
    /// assert!((g.mean()[0] - 3.0).abs() < 1e-15);
    /// ```
    pub fn mean(&self) -> Array1<f64> {
        let w = Array1::from(self.weights.clone());
        w.dot(&self.means)
    }

    /// The covariance $\sum_k w_k(\mathrm{diag}\,v_k + \mu_k\mu_k^\top) - \bar\mu\bar\mu^\top$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![0.5, 0.5], array![[-2.0], [2.0]], 1.0);
    /// assert!((g.covariance()[[0, 0]] - 5.0).abs() < 1e-15); // 1 + 4
    /// ```
    pub fn covariance(&self) -> Array2<f64> {
        let d = self.dim();
        let m = self.mean();
        let mut c = Array2::zeros((d, d));
        for (k, &w) in self.weights.iter().enumerate() {
            for i in 0..d {
                c[[i, i]] += w * self.variances[[k, i]];
                for j in 0..d {
                    c[[i, j]] += w * self.means[[k, i]] * self.means[[k, j]];
                }
            }
        }
        for i in 0..d {
            for j in 0..d {
                c[[i, j]] -= m[i] * m[j];
            }
        }
        c
    }

    /// `n_samples` independent draws, `n_samples × dim`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![0.5, 0.5], array![[-2.0], [2.0]], 1.0);
    /// let x = g.sample(20_000, &mut course::rng::seeded(0));
    /// // sd √5: 4 standard errors of the mean ≈ 0.063
    /// assert!(x.mean().unwrap().abs() < 0.063);
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Array2<f64> {
        let d = self.dim();
        let mut cum = self.weights.clone();
        for k in 1..cum.len() {
            cum[k] += cum[k - 1];
        }
        let mut x = Array2::zeros((n_samples, d));
        for mut row in x.rows_mut() {
            let u: f64 = rng.random();
            let k = cum.iter().position(|&c| u < c).unwrap_or(cum.len() - 1);
            for j in 0..d {
                let z: f64 = StandardNormal.sample(rng);
                row[j] = self.means[[k, j]] + self.variances[[k, j]].sqrt() * z;
            }
        }
        x
    }

    /// The law of $a\,X + s\,\varepsilon$: means $a\mu_k$, variances $a^2v_k + s^2$ (`scale` $= a$, `noise_std` $= s$).
    ///
    /// # Panics
    /// If `noise_std < 0` or either is not finite.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![1.0], array![[2.0]], 1.0);
    /// let h = g.noised(0.5, 0.5);
    /// assert_eq!((h.means[[0, 0]], h.variances[[0, 0]]), (1.0, 0.5));
    /// ```
    pub fn noised(&self, scale: f64, noise_std: f64) -> GaussianMixture {
        assert!(scale.is_finite(), "scale must be finite, got {scale}");
        assert!(noise_std >= 0.0 && noise_std.is_finite(), "noise_std must be >= 0, got {noise_std}");
        GaussianMixture {
            weights: self.weights.clone(),
            means: &self.means * scale,
            variances: self.variances.mapv(|v| scale * scale * v + noise_std * noise_std),
        }
    }

    /// Per row: the log-densities of the components plus log-weights, then their log-sum-exp,
    /// and the score. Returns (log q, score).
    fn log_density_and_score(&self, x: &Array2<f64>) -> (Array1<f64>, Array2<f64>) {
        let (n, d) = x.dim();
        assert_eq!(d, self.dim(), "x must have {} columns (the mixture's dim), got {d}", self.dim());
        let k_n = self.weights.len();
        // constants log w_k - ½ Σ_j ln(2π v_kj)
        let consts: Vec<f64> = (0..k_n)
            .map(|k| {
                self.weights[k].ln()
                    - 0.5 * (0..d).map(|j| (2.0 * std::f64::consts::PI * self.variances[[k, j]]).ln()).sum::<f64>()
            })
            .collect();
        let mut logq = Array1::zeros(n);
        let mut score = Array2::zeros((n, d));
        let mut lk = vec![0.0; k_n];
        // contiguous copies: the inner loops run over plain slices
        let means: Vec<f64> = self.means.iter().copied().collect();
        let inv_var: Vec<f64> = self.variances.iter().map(|v| 1.0 / v).collect();
        let mut xi = vec![0.0; d];
        let mut si = vec![0.0; d];
        for i in 0..n {
            for (j, v) in x.row(i).iter().enumerate() {
                xi[j] = *v;
            }
            for k in 0..k_n {
                let (m, iv) = (&means[k * d..(k + 1) * d], &inv_var[k * d..(k + 1) * d]);
                let mut q = 0.0;
                for j in 0..d {
                    let r = xi[j] - m[j];
                    q += r * r * iv[j];
                }
                lk[k] = consts[k] - 0.5 * q;
            }
            let mx = lk.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = lk.iter().map(|l| (l - mx).exp()).sum();
            logq[i] = mx + sum.ln();
            si.iter_mut().for_each(|v| *v = 0.0);
            for (k, &l) in lk.iter().enumerate() {
                let r = (l - mx).exp() / sum;
                // responsibilities below 1e-17 change no digit of the score
                if r < 1e-17 {
                    continue;
                }
                let (m, iv) = (&means[k * d..(k + 1) * d], &inv_var[k * d..(k + 1) * d]);
                for j in 0..d {
                    si[j] -= r * (xi[j] - m[j]) * iv[j];
                }
            }
            for (j, v) in score.row_mut(i).iter_mut().enumerate() {
                *v = si[j];
            }
        }
        (logq, score)
    }

    /// $\log q(x)$ for each row of `x` (log-sum-exp over components).
    ///
    /// # Panics
    /// If `x` does not have `dim` columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
    /// assert!((g.log_density(&array![[0.0]])[0] + 0.5 * (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
    /// ```
    pub fn log_density(&self, x: &Array2<f64>) -> Array1<f64> {
        self.log_density_and_score(x).0
    }

    /// The score $\nabla_x\log q(x)$ for each row of `x`.
    ///
    /// # Panics
    /// If `x` does not have `dim` columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![1.0], array![[1.0]], 2.0);
    /// assert!((g.score(&array![[3.0]])[[0, 0]] + 1.0).abs() < 1e-15); // -(3 - 1)/2
    /// ```
    pub fn score(&self, x: &Array2<f64>) -> Array2<f64> {
        self.log_density_and_score(x).1
    }

    /// The exact score of the VP/DDPM marginal $q_t$ with $\bar\alpha_t$ = `alpha_bar`.
    ///
    /// # Panics
    /// If `alpha_bar` is not in $(0, 1]$ or `x` has the wrong width.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
    /// // N(0, 1) stays N(0, 1) under VP noise: the score is -x
    /// assert!((g.score_vp(&array![[0.7]], 0.3)[[0, 0]] + 0.7).abs() < 1e-14);
    /// ```
    pub fn score_vp(&self, x: &Array2<f64>, alpha_bar: f64) -> Array2<f64> {
        assert!(alpha_bar > 0.0 && alpha_bar <= 1.0, "alpha_bar must be in (0, 1], got {alpha_bar}");
        self.noised(alpha_bar.sqrt(), (1.0 - alpha_bar).sqrt()).score(x)
    }

    /// The exact score of the VE marginal $q_\sigma$ = data $+\ \sigma\varepsilon$.
    ///
    /// # Panics
    /// If `sigma < 0` or `x` has the wrong width.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
    /// assert!((g.score_ve(&array![[2.0]], 1.0)[[0, 0]] + 1.0).abs() < 1e-15); // -2/(1 + 1)
    /// ```
    pub fn score_ve(&self, x: &Array2<f64>, sigma: f64) -> Array2<f64> {
        self.noised(1.0, sigma).score(x)
    }

    /// The optimal ε-predictor $\varepsilon^*(x_t, t) = -\sqrt{1-\bar\alpha_t}\,\nabla\log q_t(x_t)$, $t\in\{1,\dots,T\}$.
    ///
    /// # Panics
    /// If `t == 0` or `t > T`.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::diffusion::{GaussianMixture, NoiseSchedule};
    /// let s = NoiseSchedule::linear(100, 1e-3, 0.05);
    /// let g = GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
    /// // for N(0, 1) data, x_t ~ N(0, 1) and E[ε | x_t] = √(1-ᾱ_t) x_t
    /// let e = g.eps_star(&s, &array![[1.0]], 40);
    /// assert!((e[[0, 0]] - (1.0 - s.alpha_bar(40)).sqrt()).abs() < 1e-14);
    /// ```
    pub fn eps_star(&self, schedule: &NoiseSchedule, x: &Array2<f64>, t: usize) -> Array2<f64> {
        assert!(t >= 1, "t must be in 1..={}, got {t}", schedule.n_steps());
        let a = schedule.alpha_bar(t);
        self.score_vp(x, a) * (-(1.0 - a).sqrt())
    }

    /// The optimal denoiser $D(x;\sigma) = E[x_0\mid x_0 + \sigma\varepsilon = x] = x + \sigma^2\nabla\log q_\sigma(x)$.
    ///
    /// # Panics
    /// If `sigma < 0` or `x` has the wrong width.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let g = course::generative::diffusion::GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
    /// // shrinkage x/(1 + σ²)
    /// assert!((g.denoiser(&array![[2.0]], 1.0)[[0, 0]] - 1.0).abs() < 1e-15);
    /// ```
    pub fn denoiser(&self, x: &Array2<f64>, sigma: f64) -> Array2<f64> {
        x + &(self.score_ve(x, sigma) * (sigma * sigma))
    }
}

/// Test helper shared by the samplers' tests: the worst |sample − exact| / standard error over
/// the means and the (central) second moments of `x` against this mixture.
#[cfg(test)]
impl GaussianMixture {
    pub(crate) fn moment_z_score(&self, x: &Array2<f64>) -> f64 {
        let n = x.nrows() as f64;
        let m = x.mean_axis(ndarray::Axis(0)).unwrap();
        let (tm, tc) = (self.mean(), self.covariance());
        let mut worst: f64 = 0.0;
        for i in 0..self.dim() {
            worst = worst.max((m[i] - tm[i]).abs() / (x.column(i).var(1.0) / n).sqrt());
            for j in 0..self.dim() {
                // s.e. of the mean of the products (x_i − m_i)(x_j − m_j)
                let p: Vec<f64> = x.rows().into_iter().map(|r| (r[i] - m[i]) * (r[j] - m[j])).collect();
                let pm = p.iter().sum::<f64>() / n;
                let pse = (p.iter().map(|v| (v - pm).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
                worst = worst.max((pm - tc[[i, j]]).abs() / pse);
            }
        }
        worst
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::array;

    fn two_d() -> GaussianMixture {
        GaussianMixture::new(
            vec![0.3, 0.7],
            array![[-1.5, 0.5], [1.0, -0.5]],
            array![[0.2, 0.5], [0.4, 0.1]],
        )
    }

    #[test]
    fn score_is_the_gradient_of_the_log_density() {
        let g = two_d();
        let x = array![[0.3, -0.2], [-2.0, 1.0], [1.1, -0.4]];
        for (a, s) in [(1.0, 0.0), (0.8, 0.6), (1.0, 2.0)] {
            let h = g.noised(a, s);
            let score = h.score(&x);
            let eps = 1e-5;
            for i in 0..x.nrows() {
                for j in 0..2 {
                    let (mut xp, mut xm) = (x.clone(), x.clone());
                    xp[[i, j]] += eps;
                    xm[[i, j]] -= eps;
                    let fd = (h.log_density(&xp)[i] - h.log_density(&xm)[i]) / (2.0 * eps);
                    assert!((fd - score[[i, j]]).abs() < 1e-6 * (1.0 + fd.abs()), "{fd} vs {}", score[[i, j]]);
                }
            }
        }
    }

    #[test]
    fn noised_mixture_matches_simulated_noising() {
        // the law of √ᾱ x0 + √(1-ᾱ) ε: compare moments of a simulation with the noised mixture's
        let g = two_d();
        let s = NoiseSchedule::linear(100, 1e-3, 0.05);
        let t = 30;
        let n = 50_000;
        let x0 = g.sample(n, &mut seeded(4));
        let (xt, _) = s.q_sample(&x0, t, &mut seeded(5));
        let a = s.alpha_bar(t);
        let h = g.noised(a.sqrt(), (1.0 - a).sqrt());
        let (m, c) = (h.mean(), h.covariance());
        for j in 0..2 {
            let col = xt.column(j);
            let se = (c[[j, j]] / n as f64).sqrt();
            assert!((col.mean().unwrap() - m[j]).abs() < 4.0 * se);
            // variance s.e. ≤ √(kurtosis-ish): use a generous bound √(3/n)·var (mixture tails are light)
            assert!((col.var(1.0) - c[[j, j]]).abs() < 4.0 * c[[j, j]] * (3.0 / n as f64).sqrt());
        }
    }

    #[test]
    fn eps_star_is_the_conditional_mean_of_the_noise() {
        // 1-D Gaussian data N(m, v): E[ε | x_t] = √(1-ᾱ)(x_t - √ᾱ m)/(ᾱ v + 1 - ᾱ), by Gaussian conditioning
        let (m, v) = (2.0, 0.3);
        let g = GaussianMixture::new(vec![1.0], array![[m]], array![[v]]);
        let s = NoiseSchedule::cosine(100, 0.008);
        for t in [1, 50, 100] {
            let a = s.alpha_bar(t);
            let x = 0.4;
            let want = (1.0 - a).sqrt() * (x - a.sqrt() * m) / (a * v + 1.0 - a);
            assert!((g.eps_star(&s, &array![[x]], t)[[0, 0]] - want).abs() < 1e-12);
        }
        // and the denoiser is E[x0 | x]: m + v/(v + σ²)(x - m)
        let sigma = 0.7;
        let want = m + v / (v + sigma * sigma) * (0.4 - m);
        assert!((g.denoiser(&array![[0.4]], sigma)[[0, 0]] - want).abs() < 1e-12);
    }

    #[test]
    fn far_from_all_components_the_log_density_does_not_underflow() {
        let g = two_d();
        let l = g.log_density(&array![[100.0, 100.0]]);
        assert!(l[0].is_finite() && l[0] < -1000.0);
        assert!(g.score(&array![[100.0, 100.0]]).iter().all(|v| v.is_finite()));
    }

    #[test]
    #[should_panic(expected = "weights must be > 0")]
    fn negative_weight_panics() {
        GaussianMixture::isotropic(vec![1.0, -0.5], array![[0.0], [1.0]], 1.0);
    }
}
