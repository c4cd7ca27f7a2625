//! EDM (Karras et al. 2022): $\sigma(t) = t$, preconditioning, the $\rho$-schedule and Heun's 2nd-order sampler.
//!
//! With $\sigma(t) = t$ and no scaling, the probability-flow ODE is $\dfrac{dx}{d\sigma} = \dfrac{x - D(x;\sigma)}{\sigma}$,
//! $D(x;\sigma) = x + \sigma^2\nabla\log q_\sigma(x)$ the optimal denoiser. A network $F$ is wrapped as
//! $$D(x;\sigma) = c_{\rm skip}(\sigma)\,x + c_{\rm out}(\sigma)\,F\big(c_{\rm in}(\sigma)\,x,\ c_{\rm noise}(\sigma)\big),\quad
//! c_{\rm skip} = \frac{\sigma_d^2}{\sigma^2+\sigma_d^2},\ c_{\rm out} = \frac{\sigma\sigma_d}{\sqrt{\sigma^2+\sigma_d^2}},\
//! c_{\rm in} = \frac{1}{\sqrt{\sigma^2+\sigma_d^2}},\ c_{\rm noise} = \tfrac14\ln\sigma,$$
//! so that input and training target of $F$ have unit variance. The steps are
//! $\sigma_i = \big(\sigma_{\max}^{1/\rho} + \tfrac{i}{N-1}(\sigma_{\min}^{1/\rho} - \sigma_{\max}^{1/\rho})\big)^\rho$, $\sigma_N = 0$, $\rho = 7$;
//! Heun's method corrects each Euler step with the slope at its end (except the last step, to $\sigma = 0$),
//! $2N - 1$ denoiser evaluations for $N$ steps.
//!
//! ## Reference
//! T. Karras, M. Aittala, T. Aila, S. Laine, *Elucidating the Design Space of Diffusion-Based Generative
//! Models* (NeurIPS 2022), Table 1, eq. (5), Algorithm 1.
//!
//! Used in notebooks/32-score-sdes-and-edm.ipynb.

use crate::generative::diffusion::GaussianMixture;
use ndarray::Array2;

/// A denoiser $D(x;\sigma)$: batch × dim in, batch × dim out.
pub type DenoiserFn<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;

/// EDM's preconditioning for data of standard deviation `sigma_data` (0.5 for images in $[-1, 1]$).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdmPreconditioning {
    /// $\sigma_d$, the data's standard deviation.
    pub sigma_data: f64,
}

fn check_sigma(sigma: f64) {
    assert!(sigma > 0.0 && sigma.is_finite(), "sigma must be > 0, got {sigma}");
}

impl EdmPreconditioning {
    /// Preconditioning for data of standard deviation `sigma_data`.
    ///
    /// # Panics
    /// If `sigma_data <= 0`.
    ///
    /// # Examples
    /// ```
    /// let p = course::generative::sde::EdmPreconditioning::new(0.5);
    /// assert_eq!(p.c_skip(0.5), 0.5); // equal signal and noise: half skip
    /// ```
    pub fn new(sigma_data: f64) -> Self {
        assert!(sigma_data > 0.0 && sigma_data.is_finite(), "sigma_data must be > 0, got {sigma_data}");
        Self { sigma_data }
    }

    /// $c_{\rm skip}(\sigma) = \sigma_d^2/(\sigma^2+\sigma_d^2)$.
    ///
    /// # Examples
    /// ```
    /// let p = course::generative::sde::EdmPreconditioning::new(1.0);
    /// assert!((p.c_skip(2.0) - 0.2).abs() < 1e-15);
    /// ```
    pub fn c_skip(&self, sigma: f64) -> f64 {
        let sd2 = self.sigma_data * self.sigma_data;
        sd2 / (sigma * sigma + sd2)
    }

    /// $c_{\rm out}(\sigma) = \sigma\sigma_d/\sqrt{\sigma^2+\sigma_d^2}$.
    ///
    /// # Examples
    /// ```
    /// let p = course::generative::sde::EdmPreconditioning::new(1.0);
    /// assert!((p.c_out(1.0) - 0.5f64.sqrt()).abs() < 1e-15);
    /// ```
    pub fn c_out(&self, sigma: f64) -> f64 {
        sigma * self.sigma_data / (sigma * sigma + self.sigma_data * self.sigma_data).sqrt()
    }

    /// $c_{\rm in}(\sigma) = 1/\sqrt{\sigma^2+\sigma_d^2}$.
    ///
    /// # Examples
    /// ```
    /// let p = course::generative::sde::EdmPreconditioning::new(3.0);
    /// assert!((p.c_in(4.0) - 0.2).abs() < 1e-15);
    /// ```
    pub fn c_in(&self, sigma: f64) -> f64 {
        1.0 / (sigma * sigma + self.sigma_data * self.sigma_data).sqrt()
    }

    /// $c_{\rm noise}(\sigma) = \tfrac14\ln\sigma$.
    ///
    /// # Panics
    /// If `sigma <= 0`.
    ///
    /// # Examples
    /// ```
    /// let p = course::generative::sde::EdmPreconditioning::new(0.5);
    /// assert!((p.c_noise(std::f64::consts::E.powi(4)) - 1.0).abs() < 1e-15);
    /// ```
    pub fn c_noise(&self, sigma: f64) -> f64 {
        check_sigma(sigma);
        0.25 * sigma.ln()
    }

    /// The loss weight $\lambda(\sigma) = 1/c_{\rm out}^2 = (\sigma^2+\sigma_d^2)/(\sigma\sigma_d)^2$.
    ///
    /// # Panics
    /// If `sigma <= 0`.
    ///
    /// # Examples
    /// ```
    /// let p = course::generative::sde::EdmPreconditioning::new(1.0);
    /// assert!((p.loss_weight(1.0) - 2.0).abs() < 1e-15);
    /// ```
    pub fn loss_weight(&self, sigma: f64) -> f64 {
        check_sigma(sigma);
        1.0 / self.c_out(sigma).powi(2)
    }

    /// The denoiser built from a raw network $F(\cdot, c_{\rm noise})$:
    /// $D(x;\sigma) = c_{\rm skip}x + c_{\rm out}F(c_{\rm in}x, c_{\rm noise})$.
    ///
    /// # Panics
    /// If `sigma <= 0` or the network returns a wrong shape.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::{array, Array2};
    /// let p = course::generative::sde::EdmPreconditioning::new(1.0);
    /// // F = 0 leaves the skip connection: for N(0, 1) data that is already the optimal denoiser x/(1 + σ²)
    /// let d = p.denoise(&|x: &Array2<f64>, _c: f64| Array2::zeros(x.dim()), &array![[2.0]], 1.0);
    /// assert!((d[[0, 0]] - 1.0).abs() < 1e-15);
    /// ```
    pub fn denoise(&self, network: DenoiserFn, x: &Array2<f64>, sigma: f64) -> Array2<f64> {
        let f = network(&(x * self.c_in(sigma)), self.c_noise(sigma));
        assert_eq!(f.dim(), x.dim(), "network must return an array of the input's shape");
        x * self.c_skip(sigma) + f * self.c_out(sigma)
    }

    /// The training target of $F$: $(x_0 - c_{\rm skip}\,x)/c_{\rm out}$ for the noisy $x = x_0 + \sigma n$.
    ///
    /// # Panics
    /// If `sigma <= 0` or the shapes differ.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let p = course::generative::sde::EdmPreconditioning::new(1.0);
    /// let target = p.network_target(&array![[1.0]], &array![[1.0]], 1.0);
    /// assert!((target[[0, 0]] - 0.5 / 0.5f64.sqrt()).abs() < 1e-15);
    /// ```
    pub fn network_target(&self, x: &Array2<f64>, x0: &Array2<f64>, sigma: f64) -> Array2<f64> {
        check_sigma(sigma);
        assert_eq!(x.dim(), x0.dim(), "x and x0 must have the same shape");
        (x0 - &(x * self.c_skip(sigma))) / self.c_out(sigma)
    }
}

/// Karras et al.'s noise levels: `n_steps` values from `sigma_max` down to `sigma_min` spaced uniformly in
/// $\sigma^{1/\rho}$, then a final 0 (length `n_steps + 1`).
///
/// # Panics
/// If `n_steps < 2`, `rho <= 0`, or not `0 < sigma_min < sigma_max`.
///
/// # Examples
/// ```
/// let s = course::generative::sde::karras_sigmas(18, 0.002, 80.0, 7.0);
/// assert_eq!(s.len(), 19);
/// assert!((s[0] - 80.0).abs() < 1e-12 && (s[17] - 0.002).abs() < 1e-15 && s[18] == 0.0);
/// ```
pub fn karras_sigmas(n_steps: usize, sigma_min: f64, sigma_max: f64, rho: f64) -> Vec<f64> {
    assert!(n_steps >= 2, "n_steps must be >= 2, got {n_steps}");
    assert!(rho > 0.0 && rho.is_finite(), "rho must be > 0, got {rho}");
    assert!(sigma_min > 0.0 && sigma_min < sigma_max && sigma_max.is_finite(), "need 0 < sigma_min < sigma_max, got {sigma_min}, {sigma_max}");
    let (a, b) = (sigma_max.powf(1.0 / rho), sigma_min.powf(1.0 / rho));
    let mut s: Vec<f64> = (0..n_steps).map(|i| (a + i as f64 / (n_steps - 1) as f64 * (b - a)).powf(rho)).collect();
    s.push(0.0);
    s
}

fn check_sigmas(sigmas: &[f64]) {
    assert!(sigmas.len() >= 2, "sigmas must have at least 2 levels, got {}", sigmas.len());
    assert!(sigmas.windows(2).all(|w| w[1] < w[0]) && *sigmas.last().unwrap() >= 0.0, "sigmas must decrease strictly to a level >= 0");
}

fn slope(denoiser: DenoiserFn, x: &Array2<f64>, sigma: f64) -> Array2<f64> {
    let d = denoiser(x, sigma);
    assert_eq!(d.dim(), x.dim(), "denoiser must return an array of the input's shape (at sigma = {sigma})");
    (x - &d) / sigma
}

/// Euler's method for $dx/d\sigma = (x - D(x;\sigma))/\sigma$ along `sigmas` (decreasing; the last may be 0).
/// One denoiser evaluation per step.
///
/// # Panics
/// If `sigmas` is not strictly decreasing to a level $\ge 0$, or the denoiser returns a wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::sde::edm_euler;
/// // data = point mass at 1: D ≡ 1 and the ODE is a straight line to 1, exact for Euler
/// let x = edm_euler(&|x: &Array2<f64>, _s: f64| Array2::ones(x.dim()), array![[5.0]], &[4.0, 1.0, 0.0]);
/// assert!((x[[0, 0]] - 1.0).abs() < 1e-15);
/// ```
pub fn edm_euler(denoiser: DenoiserFn, x: Array2<f64>, sigmas: &[f64]) -> Array2<f64> {
    check_sigmas(sigmas);
    let mut x = x;
    for w in sigmas.windows(2) {
        let d = slope(denoiser, &x, w[0]);
        x = x + d * (w[1] - w[0]);
    }
    x
}

/// Heun's method (EDM Algorithm 1, deterministic): an Euler step, then the average of the slopes at its
/// two ends, except for a final step to $\sigma = 0$. $2N - 1$ evaluations for $N$ steps ending at 0.
///
/// # Panics
/// If `sigmas` is not strictly decreasing to a level $\ge 0$, or the denoiser returns a wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::sde::{edm_heun, karras_sigmas};
/// // data N(0, 1): D = x/(1 + σ²), exact flow x(σ) = x(σ_max)·√((1 + σ²)/(1 + σ_max²))
/// let sig = karras_sigmas(32, 0.002, 80.0, 7.0);
/// let x = edm_heun(&|x: &Array2<f64>, s: f64| x / (1.0 + s * s), array![[80.0]], &sig[..32]);
/// let exact = 80.0 * ((1.0 + 0.002f64.powi(2)) / (1.0 + 6400.0)).sqrt();
/// // the error is 0.013 here and falls 4× when the steps double (2nd order): 0.003 at 64 steps
/// assert!((x[[0, 0]] - exact).abs() < 0.015);
/// ```
pub fn edm_heun(denoiser: DenoiserFn, x: Array2<f64>, sigmas: &[f64]) -> Array2<f64> {
    check_sigmas(sigmas);
    let mut x = x;
    for w in sigmas.windows(2) {
        let (s, s_next) = (w[0], w[1]);
        let d = slope(denoiser, &x, s);
        let euler = &x + &(&d * (s_next - s));
        x = if s_next > 0.0 {
            let d2 = slope(denoiser, &euler, s_next);
            x + (d + d2) * (0.5 * (s_next - s))
        } else {
            euler
        };
    }
    x
}

/// The number of denoiser evaluations of [`edm_heun`] (`second_order = true`) or [`edm_euler`] along `sigmas`.
///
/// # Examples
/// ```
/// let s = course::generative::sde::karras_sigmas(18, 0.002, 80.0, 7.0);
/// assert_eq!(course::generative::sde::edm_nfe(&s, true), 35); // EDM's 35 NFE on CIFAR-10
/// ```
pub fn edm_nfe(sigmas: &[f64], second_order: bool) -> usize {
    let n = sigmas.len().saturating_sub(1);
    if !second_order || n == 0 {
        n
    } else {
        2 * n - usize::from(*sigmas.last().unwrap() == 0.0)
    }
}

/// EDM samples of a mixture with its exact denoiser: $x \sim \mathcal N(0, \sigma_0^2 I)$ at `sigmas[0]`, then Heun
/// (`second_order`) or Euler along `sigmas`; seeded.
///
/// # Panics
/// As [`edm_heun`].
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, sde::{edm_sample_mixture, karras_sigmas}};
/// let g = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-2.0], [2.0]], 0.25);
/// let x = edm_sample_mixture(&g, 4000, &karras_sigmas(18, 0.002, 80.0, 7.0), true, 0);
/// let near = x.iter().filter(|v| (v.abs() - 2.0).abs() < 1.0).count();
/// assert!(near > 3600);
/// ```
pub fn edm_sample_mixture(mixture: &GaussianMixture, n_samples: usize, sigmas: &[f64], second_order: bool, seed: u64) -> Array2<f64> {
    check_sigmas(sigmas);
    let mut rng = crate::rng::seeded(seed);
    let x = crate::generative::diffusion::standard_normal(&mut rng, n_samples, mixture.dim()) * sigmas[0];
    let den = |x: &Array2<f64>, s: f64| mixture.denoiser(x, s);
    if second_order { edm_heun(&den, x, sigmas) } else { edm_euler(&den, x, sigmas) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn preconditioning_gives_unit_variance_input_and_target() {
        // x0 with variance σ_d², x = x0 + σ n: Var[c_in x] = 1 and Var[(x0 - c_skip x)/c_out] = 1
        for sd in [0.5, 1.0, 2.0] {
            let p = EdmPreconditioning::new(sd);
            for s in [0.01, 0.3, 1.0, 10.0, 80.0] {
                let var_x = sd * sd + s * s;
                assert!((p.c_in(s).powi(2) * var_x - 1.0).abs() < 1e-12);
                let cs = p.c_skip(s);
                let var_target = ((1.0 - cs).powi(2) * sd * sd + cs * cs * s * s) / p.c_out(s).powi(2);
                assert!((var_target - 1.0).abs() < 1e-12, "sd {sd} sigma {s}: {var_target}");
            }
        }
    }

    #[test]
    fn ideal_network_reproduces_the_exact_denoiser() {
        // F* = (D* - c_skip x)/c_out, fed through denoise with its scaled input, gives D* back
        let g = GaussianMixture::isotropic(vec![0.3, 0.7], array![[-1.0, 0.5], [1.0, -0.5]], 0.2);
        let p = EdmPreconditioning::new(1.0);
        let x = array![[0.3, 0.1], [2.0, -1.0]];
        for s in [0.05, 1.0, 20.0] {
            let net = |xin: &Array2<f64>, c: f64| {
                let sig = (4.0 * c).exp();
                let xr = xin / p.c_in(sig);
                (g.denoiser(&xr, sig) - &xr * p.c_skip(sig)) / p.c_out(sig)
            };
            let d = p.denoise(&net, &x, s);
            let want = g.denoiser(&x, s);
            assert!((&d - &want).iter().all(|e| e.abs() < 1e-10));
        }
    }

    /// error at σ_min on 1-D Gaussian data, where the flow is exact
    fn gaussian_error(n_steps: usize, second_order: bool) -> (usize, f64) {
        let (m, v) = (0.5, 0.25);
        let den = |x: &Array2<f64>, s: f64| x.mapv(|xi| m + v / (v + s * s) * (xi - m));
        let sig = karras_sigmas(n_steps, 0.002, 80.0, 7.0);
        let sig = &sig[..n_steps]; // stop at σ_min where the exact solution is known
        let x_start = array![[-60.0], [30.0], [100.0]];
        let x = if second_order { edm_heun(&den, x_start.clone(), sig) } else { edm_euler(&den, x_start.clone(), sig) };
        let s_end = sig[n_steps - 1];
        let err = x
            .iter()
            .zip(x_start.iter())
            .map(|(xi, x0)| (xi - (m + (x0 - m) * ((v + s_end * s_end) / (v + 6400.0)).sqrt())).abs())
            .fold(0.0, f64::max);
        (edm_nfe(sig, second_order), err)
    }

    fn fitted_slope(points: &[(usize, f64)]) -> f64 {
        let xs: Vec<f64> = points.iter().map(|p| (p.0 as f64).ln()).collect();
        let ys: Vec<f64> = points.iter().map(|p| p.1.ln()).collect();
        let (mx, my) = (xs.iter().sum::<f64>() / xs.len() as f64, ys.iter().sum::<f64>() / ys.len() as f64);
        let num: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let den: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        num / den
    }

    #[test]
    fn heun_is_second_order_and_beats_euler_at_equal_nfe() {
        let heun: Vec<(usize, f64)> = [16, 32, 64, 128].iter().map(|&n| gaussian_error(n, true)).collect();
        let euler: Vec<(usize, f64)> = [31, 63, 127, 255].iter().map(|&n| gaussian_error(n, false)).collect();
        let (ph, pe) = (fitted_slope(&heun), fitted_slope(&euler));
        assert!((ph + 2.0).abs() < 0.3, "Heun order {ph}, errors {heun:?}");
        assert!((pe + 1.0).abs() < 0.3, "Euler order {pe}, errors {euler:?}");
        for (h, e) in heun.iter().zip(&euler) {
            assert_eq!(h.0, e.0);
            assert!(h.1 < e.1, "at NFE {}: Heun {} vs Euler {}", h.0, h.1, e.1);
        }
    }

    #[test]
    fn heun_with_the_exact_denoiser_reproduces_a_mixture() {
        let g = GaussianMixture::new(vec![0.4, 0.6], array![[-1.0, 1.0], [1.5, 0.0]], array![[0.3, 0.2], [0.2, 0.5]]);
        let sig = karras_sigmas(64, 0.002, 80.0, 7.0);
        for seed in 0..3 {
            let x = edm_sample_mixture(&g, 20_000, &sig, true, seed);
            let n = x.nrows() as f64;
            let m = x.mean_axis(ndarray::Axis(0)).unwrap();
            let (tm, tc) = (g.mean(), g.covariance());
            for j in 0..2 {
                let se = (tc[[j, j]] / n).sqrt();
                assert!((m[j] - tm[j]).abs() < 4.0 * se, "seed {seed}: mean {m}");
                // s.e. of a sample variance, with the mixture's fourth moment bounded by 3·var² + spread
                let v = x.column(j).var(1.0);
                assert!((v - tc[[j, j]]).abs() < 4.0 * tc[[j, j]] * (3.0 / n).sqrt(), "seed {seed}: var {v}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "sigmas must decrease strictly")]
    fn increasing_sigmas_panic() {
        edm_euler(&|x: &Array2<f64>, _s: f64| x.clone(), array![[0.0]], &[1.0, 2.0]);
    }
}
