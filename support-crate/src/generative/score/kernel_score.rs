//! The kernel (empirical-Bayes) score estimator and its statistical rate.
//!
//! From $n$ samples $x_1,\dots,x_n$ of $p$, the Gaussian-smoothed empirical measure
//! $\hat p_{n,h} = \frac1n\sum_i\mathcal N(x_i, h^2I)$ has the score
//! $$\hat s_{n,h}(x) = \nabla\log\hat p_{n,h}(x) = \sum_i r_i(x)\,\frac{x_i - x}{h^2},\qquad
//! r_i(x) = \frac{e^{-|x - x_i|^2/2h^2}}{\sum_j e^{-|x - x_j|^2/2h^2}},$$
//! Tweedie's formula with the empirical posterior: the optimal denoiser of the training set. At a fixed
//! noise level it estimates the score of $p_h = p * \mathcal N(0, h^2I)$ with error
//! $\mathbb E_{p_h}|\hat s_{n,h} - \nabla\log p_h|^2 \asymp C(h, d)/n$ (a ratio of two empirical means; the constant
//! grows like $h^{-(d+2)}$ as $h\to0$). As an estimator of the score $s = \nabla\log p$ of the data itself,
//! with the bandwidth $h\asymp n^{-1/(d+4)}$ it attains the minimax rate $\tilde\Theta(n^{-2/(d+4)})$ under
//! $L^2(p)$ (Wibisono, Wu & Yang 2024): the curse of dimensionality in the exponent.
//!
//! Errors propagate to the samples: the reverse process run with $\hat s_{n,\sigma}$ at every level is the
//! exact reversal of the noising of $\hat p_n$, and along the heat flow
//! $$\mathrm{KL}(p_{\sigma_{\min}}\,\|\,\hat p_{n,\sigma_{\min}}) = \mathrm{KL}(p_{\sigma_{\max}}\,\|\,\hat p_{n,\sigma_{\max}})
//! + \int_{\sigma_{\min}}^{\sigma_{\max}}\sigma\,\mathbb E_{p_\sigma}|\hat s_{n,\sigma} - \nabla\log p_\sigma|^2\,d\sigma,$$
//! the Girsanov bound $\mathrm{KL}\le\mathrm{KL}_{\rm init} + \tfrac12\int g^2\,\mathbb E|\hat s - s|^2\,dt$ (here $g^2dt = 2\sigma\,d\sigma$)
//! holding with equality (de Bruijn's identity for the relative entropy).
//!
//! ## Reference
//! A. Wibisono, Y. Wu, K. Y. Yang, *Optimal score estimation via empirical Bayes smoothing* (COLT 2024);
//! K. Oko, S. Akiyama, T. Suzuki, *Diffusion models are minimax optimal distribution estimators* (ICML 2023);
//! M. Chen, S. Mei, J. Fan, M. Wang, *An Overview of Diffusion Models* (arXiv:2404.07771, 2024), §5.
//!
//! Used in notebooks/33-guided-diffusion-and-statistical-rates.ipynb.

use crate::generative::diffusion::GaussianMixture;
use ndarray::{Array1, Array2};

fn check(data: &Array2<f64>, x: &Array2<f64>, h: f64) {
    assert!(data.nrows() >= 1, "data must have at least one row");
    assert_eq!(data.ncols(), x.ncols(), "x must have the data's {} columns, got {}", data.ncols(), x.ncols());
    assert!(h > 0.0 && h.is_finite(), "bandwidth h must be > 0, got {h}");
}

/// Per row of `x`: $\log\hat p_{n,h}(x)$ and $\hat s_{n,h}(x)$.
fn log_density_and_score(data: &Array2<f64>, x: &Array2<f64>, h: f64) -> (Array1<f64>, Array2<f64>) {
    check(data, x, h);
    let (n, d) = data.dim();
    let pts: Vec<f64> = data.iter().copied().collect();
    let inv = 1.0 / (2.0 * h * h);
    let c = -(n as f64).ln() - 0.5 * d as f64 * (2.0 * std::f64::consts::PI * h * h).ln();
    let mut logq = Array1::zeros(x.nrows());
    let mut score = Array2::zeros(x.dim());
    let mut e = vec![0.0; n];
    let mut xi = vec![0.0; d];
    let mut acc = vec![0.0; d];
    for (r, row) in x.rows().into_iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            xi[j] = *v;
        }
        let mut mx = f64::NEG_INFINITY;
        for i in 0..n {
            let p = &pts[i * d..(i + 1) * d];
            let mut q = 0.0;
            for j in 0..d {
                let t = xi[j] - p[j];
                q += t * t;
            }
            e[i] = -q * inv;
            mx = mx.max(e[i]);
        }
        let mut z = 0.0;
        acc.iter_mut().for_each(|a| *a = 0.0);
        for i in 0..n {
            let wgt = (e[i] - mx).exp();
            z += wgt;
            let p = &pts[i * d..(i + 1) * d];
            for j in 0..d {
                acc[j] += wgt * p[j];
            }
        }
        logq[r] = c + mx + z.ln();
        for j in 0..d {
            score[[r, j]] = (acc[j] / z - xi[j]) / (h * h);
        }
    }
    (logq, score)
}

/// The kernel score estimator $\hat s_{n,h}$ at every row of `x`, from the rows of `data`.
///
/// # Panics
/// If `h <= 0`, `data` is empty or the widths differ.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::score::kernel_score;
/// // one data point: the score of N(x₁, h²) is (x₁ − x)/h²
/// let s = kernel_score(&array![[1.0, 0.0]], &array![[0.0, 0.0]], 0.5);
/// assert!((s[[0, 0]] - 4.0).abs() < 1e-12 && s[[0, 1]].abs() < 1e-12);
/// ```
pub fn kernel_score(data: &Array2<f64>, x: &Array2<f64>, h: f64) -> Array2<f64> {
    log_density_and_score(data, x, h).1
}

/// The log-density of the smoothed empirical measure, $\log\hat p_{n,h}(x)$, at every row of `x`.
///
/// # Panics
/// As [`kernel_score`].
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::score::kernel_log_density;
/// // two points ±1, h = 1, at 0: log N(0; 1, 1)
/// let l = kernel_log_density(&array![[-1.0], [1.0]], &array![[0.0]], 1.0);
/// assert!((l[0] - (-0.5 - 0.5 * (2.0 * std::f64::consts::PI).ln())).abs() < 1e-12);
/// ```
pub fn kernel_log_density(data: &Array2<f64>, x: &Array2<f64>, h: f64) -> Array1<f64> {
    log_density_and_score(data, x, h).0
}

/// $\frac1m\sum_k|\hat s_{n,h}(x_k) - \nabla\log p_\sigma(x_k)|^2$ over the rows $x_k$ of `x_eval`: the estimator from
/// `data` with bandwidth `h` against the exact score of `target` noised at `sigma` (0 for the data law itself).
///
/// # Panics
/// As [`kernel_score`], or if `sigma < 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, score::kernel_score_error_on};
/// // target N(0, 1) noised at h = 1 is N(0, 2); one data point at 0 gives the same score −x/1 … vs −x/2
/// let g = GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
/// let e = kernel_score_error_on(&array![[0.0]], &g, 1.0, 1.0, &array![[2.0]]);
/// assert!((e - 1.0).abs() < 1e-12); // (−2 + 1)²
/// ```
pub fn kernel_score_error_on(data: &Array2<f64>, target: &GaussianMixture, h: f64, sigma: f64, x_eval: &Array2<f64>) -> f64 {
    assert!(sigma >= 0.0, "sigma must be >= 0, got {sigma}");
    let d = kernel_score(data, x_eval, h) - target.noised(1.0, sigma).score(x_eval);
    d.mapv(|v| v * v).sum() / x_eval.nrows() as f64
}

/// The mean squared error $\mathbb E_{p_\sigma}|\hat s_{n,h} - \nabla\log p_\sigma|^2$ of the kernel score from `n` fresh
/// samples of `target`, averaged over `n_reps` data sets (each with `n_eval` fresh evaluation points of
/// $p_\sigma$), where $\sigma = h$ if `smoothed` (the estimator's own target, the score of $p_h$) and $\sigma = 0$
/// otherwise (the score of the data law). Seeded by `seed`.
///
/// # Panics
/// If `n`, `n_eval` or `n_reps` is 0, or `h <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, score::kernel_score_error};
/// let g = GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
/// // more data, smaller error (at fixed h)
/// let (e1, e2) = (kernel_score_error(&g, 50, 0.5, true, 500, 4, 0), kernel_score_error(&g, 800, 0.5, true, 500, 4, 0));
/// assert!(e2 < e1 / 4.0);
/// ```
pub fn kernel_score_error(target: &GaussianMixture, n: usize, h: f64, smoothed: bool, n_eval: usize, n_reps: usize, seed: u64) -> f64 {
    assert!(n > 0 && n_eval > 0 && n_reps > 0, "n, n_eval and n_reps must be > 0");
    let sigma = if smoothed { h } else { 0.0 };
    let mut rng = crate::rng::seeded(seed);
    let mut total = 0.0;
    for _ in 0..n_reps {
        let data = target.sample(n, &mut rng);
        let x_eval = target.noised(1.0, sigma).sample(n_eval, &mut rng);
        total += kernel_score_error_on(&data, target, h, sigma, &x_eval);
    }
    total / n_reps as f64
}

/// Monte Carlo $\mathrm{KL}(p_\sigma\,\|\,\hat p_{n,\sigma}) = \mathbb E_{p_\sigma}[\log p_\sigma - \log\hat p_{n,\sigma}]$ on `n_eval` points drawn
/// with `seed`: the law of `target` noised at `sigma` against the smoothed empirical measure of `data`.
///
/// # Panics
/// As [`kernel_score`], or if `n_eval == 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, score::kl_to_kernel_density};
/// // target N(0, 1) at σ = 1 is N(0, 2); a single data point at 0 gives N(0, 1): KL = ½(2 − 1 − ln 2)
/// let g = GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
/// let kl = kl_to_kernel_density(&g, &array![[0.0]], 1.0, 200_000, 0);
/// assert!((kl - 0.5 * (1.0 - 2f64.ln())).abs() < 0.01);
/// ```
pub fn kl_to_kernel_density(target: &GaussianMixture, data: &Array2<f64>, sigma: f64, n_eval: usize, seed: u64) -> f64 {
    assert!(n_eval > 0, "n_eval must be > 0");
    let p = target.noised(1.0, sigma);
    let x = p.sample(n_eval, &mut crate::rng::seeded(seed));
    (p.log_density(&x) - kernel_log_density(data, &x, sigma)).mean().unwrap()
}

/// The right-hand side of the Girsanov/de Bruijn relation above: $\mathrm{KL}(p_{\sigma_{\max}}\|\hat p_{n,\sigma_{\max}})$
/// plus $\int_{\sigma_{\min}}^{\sigma_{\max}}\sigma\,\mathbb E_{p_\sigma}|\hat s_{n,\sigma} - \nabla\log p_\sigma|^2\,d\sigma$, the integral by
/// the trapezoid rule in $\ln\sigma$ on `n_levels` levels, each expectation on `n_eval` points (seeded).
///
/// # Panics
/// If not `0 < sigma_min < sigma_max`, `n_levels < 2`, or as [`kernel_score`].
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, score::{girsanov_kl_bound, kl_to_kernel_density}};
/// let g = GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
/// let data = g.sample(200, &mut course::rng::seeded(1));
/// let lhs = kl_to_kernel_density(&g, &data, 0.3, 20_000, 2);
/// let rhs = girsanov_kl_bound(&g, &data, 0.3, 5.0, 40, 20_000, 3);
/// assert!((lhs - rhs).abs() < 0.1 * rhs); // an equality, up to Monte Carlo and quadrature error
/// ```
pub fn girsanov_kl_bound(target: &GaussianMixture, data: &Array2<f64>, sigma_min: f64, sigma_max: f64, n_levels: usize, n_eval: usize, seed: u64) -> f64 {
    assert!(sigma_min > 0.0 && sigma_min < sigma_max, "need 0 < sigma_min < sigma_max, got {sigma_min}, {sigma_max}");
    assert!(n_levels >= 2, "n_levels must be >= 2, got {n_levels}");
    let (a, b) = (sigma_min.ln(), sigma_max.ln());
    let du = (b - a) / (n_levels - 1) as f64;
    let mut integral = 0.0;
    for k in 0..n_levels {
        let sigma = (a + k as f64 * du).exp();
        let x = target.noised(1.0, sigma).sample(n_eval, &mut crate::rng::seeded(seed.wrapping_add(k as u64)));
        // σ dσ = σ² d(ln σ)
        let f = sigma * sigma * kernel_score_error_on(data, target, sigma, sigma, &x);
        integral += if k == 0 || k + 1 == n_levels { 0.5 * f } else { f } * du;
    }
    kl_to_kernel_density(target, data, sigma_max, n_eval, seed ^ 0x9e37) + integral
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::array;

    #[test]
    fn kernel_score_is_the_gradient_of_the_kernel_log_density() {
        let data = GaussianMixture::isotropic(vec![1.0], array![[0.0, 1.0]], 1.0).sample(30, &mut seeded(0));
        let x = array![[0.3, -0.4], [2.0, 1.0]];
        let s = kernel_score(&data, &x, 0.4);
        let h = 1e-6;
        for i in 0..2 {
            for j in 0..2 {
                let (mut xp, mut xm) = (x.clone(), x.clone());
                xp[[i, j]] += h;
                xm[[i, j]] -= h;
                let fd = (kernel_log_density(&data, &xp, 0.4)[i] - kernel_log_density(&data, &xm, 0.4)[i]) / (2.0 * h);
                assert!((fd - s[[i, j]]).abs() < 1e-6 * (1.0 + fd.abs()), "{fd} vs {}", s[[i, j]]);
            }
        }
    }

    #[test]
    fn far_points_do_not_overflow() {
        let s = kernel_score(&array![[0.0], [1.0]], &array![[1e3]], 0.01);
        assert!((s[[0, 0]] - (1.0 - 1e3) / 1e-4).abs() < 1e-3 * 1e7);
    }

    #[test]
    fn error_at_fixed_bandwidth_decays_like_one_over_n() {
        let g = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-1.0], [1.0]], 0.25);
        let e: Vec<f64> = [200, 3200].iter().map(|&n| kernel_score_error(&g, n, 0.3, true, 1000, 6, 5)).collect();
        let slope = (e[1] / e[0]).ln() / 16f64.ln();
        assert!((slope + 1.0).abs() < 0.15, "slope {slope}");
    }

    #[test]
    fn kl_identity_holds() {
        let g = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-1.0], [1.0]], 0.25);
        let data = g.sample(100, &mut seeded(3));
        let lhs = kl_to_kernel_density(&g, &data, 0.2, 40_000, 4);
        let rhs = girsanov_kl_bound(&g, &data, 0.2, 8.0, 60, 40_000, 5);
        // Monte Carlo (40 000 points per expectation) and trapezoid error: within 10 % on seeds 3–5
        assert!((lhs - rhs).abs() < 0.1 * lhs, "{lhs} vs {rhs}");
    }
}
