//! The reverse-time SDE of EDM's noising process $\sigma(t) = t$, simulated by Euler–Maruyama.
//!
//! The forward process $dx = \sqrt{2\sigma}\,dW_\sigma$ has marginals $q_\sigma = q_0 * \mathcal N(0, \sigma^2 I)$;
//! run backwards in $\sigma$ (Anderson 1982) it is
//! $$dx = -2\sigma\,\nabla\log q_\sigma(x)\,d\sigma + \sqrt{2\sigma}\,d\bar W_\sigma
//!      = \frac{2\,(x - D(x;\sigma))}{\sigma}\,d\sigma + \sqrt{2\sigma}\,d\bar W_\sigma ,$$
//! twice the drift of the probability-flow ODE plus noise. One Euler–Maruyama step from $\sigma_i$ to
//! $\sigma_{i+1} < \sigma_i$ is
//! $x \leftarrow x + \tfrac{2(x - D(x;\sigma_i))}{\sigma_i}(\sigma_{i+1} - \sigma_i) + \sqrt{2\sigma_i(\sigma_i - \sigma_{i+1})}\,z$:
//! one denoiser evaluation per step, weak order 1 (Karras et al.'s "stochastic sampler" without churn is a
//! different, 2nd-order scheme; this is the plain one that EDM's Heun is compared with).
//!
//! ## Reference
//! Y. Song et al. (ICLR 2021), eq. (6); T. Karras et al. (NeurIPS 2022), eq. (6) with $\beta(t) = \dot\sigma/\sigma$.
//!
//! Used in notebooks/32-score-sdes-and-edm.ipynb.

use super::DenoiserFn;
use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Euler–Maruyama on the reverse SDE $dx = 2(x - D)/\sigma\,d\sigma + \sqrt{2\sigma}\,d\bar W$ along `sigmas`
/// (strictly decreasing, the last may be 0); one denoiser evaluation per step.
///
/// # Panics
/// If `sigmas` is not strictly decreasing to a level $\ge 0$, or the denoiser returns a wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// use course::generative::sde::{edm_euler_maruyama, karras_sigmas};
/// // data N(0, 1): D = x/(1 + σ²); start from the exact q_80 = N(0, 1 + 80²)
/// let mut rng = course::rng::seeded(0);
/// let x = course::generative::diffusion::standard_normal(&mut rng, 20_000, 1) * (1.0f64 + 6400.0).sqrt();
/// let y = edm_euler_maruyama(&|x: &Array2<f64>, s: f64| x / (1.0 + s * s), x, &karras_sigmas(256, 0.002, 80.0, 7.0), &mut rng);
/// // variance 1 within 4 s.e. (√(2/n) = 0.01) plus the O(step) bias
/// assert!((y.var(1.0) - 1.0).abs() < 0.06);
/// ```
pub fn edm_euler_maruyama(denoiser: DenoiserFn, x: Array2<f64>, sigmas: &[f64], rng: &mut impl Rng) -> Array2<f64> {
    assert!(sigmas.len() >= 2, "sigmas must have at least 2 levels, got {}", sigmas.len());
    assert!(sigmas.windows(2).all(|w| w[1] < w[0]) && *sigmas.last().unwrap() >= 0.0, "sigmas must decrease strictly to a level >= 0");
    let mut x = x;
    for w in sigmas.windows(2) {
        let (s, s_next) = (w[0], w[1]);
        let d = denoiser(&x, s);
        assert_eq!(d.dim(), x.dim(), "denoiser must return an array of the input's shape (at sigma = {s})");
        let noise_sd = (2.0 * s * (s - s_next)).sqrt();
        let z = Array2::from_shape_simple_fn(x.dim(), || Distribution::<f64>::sample(&StandardNormal, rng));
        x = &x + &((&x - &d) * (2.0 * (s_next - s) / s)) + z * noise_sd;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::diffusion::{standard_normal, GaussianMixture};
    use crate::generative::sde::karras_sigmas;
    use crate::rng::seeded;
    use ndarray::array;

    #[test]
    fn reproduces_a_mixture_with_the_exact_denoiser_and_is_first_order() {
        // exact start q_σmax; the sample variance's bias must fall about 2× per doubling of the steps
        let g = GaussianMixture::new(vec![0.4, 0.6], array![[-1.0, 1.0], [1.5, 0.0]], array![[0.3, 0.2], [0.2, 0.5]]);
        let var0: f64 = g.covariance().diag().sum();
        let den = |x: &Array2<f64>, s: f64| g.denoiser(x, s);
        let n = 40_000;
        let mut bias = Vec::new();
        for (k, n_steps) in [16usize, 32, 64].into_iter().enumerate() {
            let mut rng = seeded(k as u64);
            let x1 = g.noised(1.0, 20.0).sample(n, &mut rng);
            let y = edm_euler_maruyama(&den, x1, &karras_sigmas(n_steps, 0.002, 20.0, 7.0), &mut rng);
            let v: f64 = (0..2).map(|j| y.column(j).var(1.0)).sum();
            bias.push(v - var0);
        }
        // s.e. of the summed variance ≈ √(2/n)·tr Σ ≈ 0.015; the biases are 10× that at 16 steps
        assert!(bias[0].abs() > 0.1, "{bias:?}");
        let ratio = bias[0] / bias[2];
        assert!((2.5..6.0).contains(&ratio), "bias should fall ≈ 4× over two doublings: {bias:?}");
        let _ = standard_normal(&mut seeded(0), 1, 1);
    }

    #[test]
    #[should_panic(expected = "sigmas must decrease strictly")]
    fn increasing_sigmas_panic() {
        edm_euler_maruyama(&|x: &Array2<f64>, _s: f64| x.clone(), array![[0.0]], &[1.0, 2.0], &mut seeded(0));
    }
}
