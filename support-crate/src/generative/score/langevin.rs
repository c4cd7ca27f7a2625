//! Langevin sampling driven by a score, single-scale and annealed across noise levels.
//!
//! The unadjusted Langevin algorithm with step $h$ moves every particle by
//! $$x \leftarrow x + h\,s(x) + \sqrt{2h}\,z,\qquad z\sim\mathcal N(0, I),$$
//! the Euler–Maruyama step of $dX = \nabla\log p(X)\,dt + \sqrt2\,dW$, whose stationary law is $p$
//! when $s = \nabla\log p$ (for a Gaussian $\mathcal N(0, v)$ the chain's own stationary variance is
//! $v/(1 - h/2v)$: a bias of order $h$). On a multimodal $p$ the chain hardly ever crosses between
//! modes, so it keeps the mode weights of its *initialization*, not of $p$.
//!
//! **Annealed Langevin** (Song & Ermon 2019) runs `n_steps_each` such steps at each level of a
//! decreasing ladder $\sigma_1 > \dots > \sigma_L$ with the score of the smoothed density
//! $p_{\sigma_i} = p * \mathcal N(0, \sigma_i^2 I)$ and the step
//! $$h_i = \varepsilon\,\sigma_i^2/\sigma_L^2$$
//! (their $\alpha_i = 2h_i$). At large $\sigma$ the modes merge and particles move freely, so the
//! weights are set while the density is still connected; each smaller level then refines.
//!
//! ## Reference
//! G. Roberts & R. Tweedie (1996), *Exponential convergence of Langevin distributions*;
//! Y. Song & S. Ermon (2019), *Generative modeling by estimating gradients of the data
//! distribution* (NCSN), Algorithm 1.
//!
//! Used in notebooks/30-score-matching.ipynb.

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// One Langevin step $x + h\,s + \sqrt{2h}\,z$ for every row, given the score `score` $= s(x)$ and
/// the standard normal draws `noise` $= z$ (all n × dim).
///
/// # Panics
/// If the shapes differ or `step <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::score::langevin_step;
/// let x = langevin_step(&array![[1.0]], &array![[-1.0]], 0.5, &array![[2.0]]);
/// assert!((x[[0, 0]] - (1.0 - 0.5 + 2.0)).abs() < 1e-15); // √(2·0.5) = 1
/// ```
pub fn langevin_step(x: &Array2<f64>, score: &Array2<f64>, step: f64, noise: &Array2<f64>) -> Array2<f64> {
    assert!(step.is_finite() && step > 0.0, "langevin_step: step must be > 0, got {step}");
    assert_eq!(x.dim(), score.dim(), "langevin_step: score must have the shape of x");
    assert_eq!(x.dim(), noise.dim(), "langevin_step: noise must have the shape of x");
    x + &(score * step) + &(noise * (2.0 * step).sqrt())
}

fn normal_like(x: &Array2<f64>, rng: &mut impl Rng) -> Array2<f64> {
    Array2::from_shape_simple_fn(x.dim(), || StandardNormal.sample(&mut *rng))
}

/// `n_steps` unadjusted Langevin steps of size `step` from the particles `x0` (one per row), with
/// `score` evaluated on all particles at once; returns the final particles.
///
/// # Panics
/// If `step <= 0` or `score` returns a matrix of another shape.
///
/// # Examples
/// ```
/// use course::generative::score::langevin;
/// use course::ndarray::Array2;
/// // N(0, 1): s(x) = −x. The chain's stationary variance is 1/(1 − h/2).
/// let x0 = Array2::zeros((20_000, 1));
/// let x = langevin(|x: &Array2<f64>| -x, &x0, 0.1, 200, &mut course::rng::seeded(0));
/// let var = x.mapv(|v| v * v).mean().unwrap();
/// // s.e. of a variance estimate: v·√(2/n) ≈ 0.01
/// assert!((var - 1.0 / 0.95).abs() < 0.04, "{var}");
/// ```
pub fn langevin(score: impl Fn(&Array2<f64>) -> Array2<f64>, x0: &Array2<f64>, step: f64, n_steps: usize, rng: &mut impl Rng) -> Array2<f64> {
    assert!(step.is_finite() && step > 0.0, "langevin: step must be > 0, got {step}");
    let mut x = x0.clone();
    for _ in 0..n_steps {
        let s = score(&x);
        assert_eq!(s.dim(), x.dim(), "langevin: score must return one row per particle, of the particles' dimension");
        let z = normal_like(&x, rng);
        x = langevin_step(&x, &s, step, &z);
    }
    x
}

/// The geometric ladder $\sigma_i = \sigma_{\max}(\sigma_{\min}/\sigma_{\max})^{(i-1)/(L-1)}$, $i = 1..L$ (decreasing).
///
/// # Panics
/// If `n_levels < 2` or not $0 < \sigma_{\min} < \sigma_{\max}$.
///
/// # Examples
/// ```
/// use course::generative::score::geometric_sigmas;
/// let s = geometric_sigmas(10.0, 0.1, 5);
/// assert!((s[0] - 10.0).abs() < 1e-12 && (s[2] - 1.0).abs() < 1e-12 && (s[4] - 0.1).abs() < 1e-12);
/// ```
pub fn geometric_sigmas(sigma_max: f64, sigma_min: f64, n_levels: usize) -> Vec<f64> {
    assert!(n_levels >= 2, "geometric_sigmas: n_levels must be >= 2, got {n_levels}");
    assert!(
        sigma_min > 0.0 && sigma_min < sigma_max && sigma_max.is_finite(),
        "geometric_sigmas: need 0 < sigma_min < sigma_max, got sigma_min = {sigma_min}, sigma_max = {sigma_max}"
    );
    let r = (sigma_min / sigma_max).ln();
    (0..n_levels).map(|i| sigma_max * (r * i as f64 / (n_levels - 1) as f64).exp()).collect()
}

/// Annealed Langevin dynamics: for each $\sigma_i$ of `sigmas` (decreasing), `n_steps_each`
/// Langevin steps with `score(x, σ_i)` and step $h_i = \varepsilon\,\sigma_i^2/\sigma_L^2$ ($\varepsilon$ = `eps`).
///
/// # Panics
/// If `sigmas` is empty, not positive or not decreasing, or `eps <= 0`.
///
/// # Examples
/// ```
/// use course::generative::score::{annealed_langevin, geometric_sigmas};
/// use course::generative::targets::GaussianMixture2d;
/// use course::ndarray::Array2;
/// // two modes, weights 0.2 / 0.8, far apart: annealing finds the weights
/// let p = GaussianMixture2d::new(vec![[-3.0, 0.0], [3.0, 0.0]], vec![0.2, 0.8], 0.5);
/// let sigmas = geometric_sigmas(6.0, 0.05, 10);
/// let x0 = Array2::from_shape_fn((2000, 2), |(i, j)| if j == 0 { (i as f64 / 1000.0 - 1.0) * 6.0 } else { 0.0 });
/// // h_L = ε = 0.1 σ_L²: the step is a tenth of the variance added at each level
/// let x = annealed_langevin(|x: &Array2<f64>, s: f64| p.convolved(s * s).score_batch(x), &x0, &sigmas, 100, 2.5e-4, &mut course::rng::seeded(1));
/// let left = x.column(0).iter().filter(|v| **v < 0.0).count() as f64 / 2000.0;
/// // binomial s.e. 0.009; finitely many steps per level leave a bias ≈ +0.02
/// assert!((left - 0.2).abs() < 0.05, "{left}");
/// ```
pub fn annealed_langevin(
    score: impl Fn(&Array2<f64>, f64) -> Array2<f64>,
    x0: &Array2<f64>,
    sigmas: &[f64],
    n_steps_each: usize,
    eps: f64,
    rng: &mut impl Rng,
) -> Array2<f64> {
    assert!(!sigmas.is_empty(), "annealed_langevin: sigmas must be non-empty");
    assert!(sigmas.iter().all(|s| s.is_finite() && *s > 0.0), "annealed_langevin: sigmas must be > 0, got {sigmas:?}");
    assert!(sigmas.windows(2).all(|w| w[1] < w[0]), "annealed_langevin: sigmas must be decreasing, got {sigmas:?}");
    assert!(eps.is_finite() && eps > 0.0, "annealed_langevin: eps must be > 0, got {eps}");
    let last = sigmas[sigmas.len() - 1];
    let mut x = x0.clone();
    for &sigma in sigmas {
        let step = eps * (sigma / last).powi(2);
        x = langevin(|x: &Array2<f64>| score(x, sigma), &x, step, n_steps_each, rng);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::targets::GaussianMixture2d;
    use crate::rng::seeded;

    fn left_fraction(x: &Array2<f64>) -> f64 {
        x.column(0).iter().filter(|v| **v < 0.0).count() as f64 / x.nrows() as f64
    }

    #[test]
    fn ula_stationary_moments_match_the_discrete_chain_closed_form() {
        // N(m, v) in 2-D with m = (1, −2), v = 0.5: stationary mean m, variance v/(1 − h/2v)
        let (m, v, h) = ([1.0, -2.0], 0.5, 0.2);
        let n = 20_000;
        for seed in 0..5 {
            let x = langevin(
                |x: &Array2<f64>| Array2::from_shape_fn(x.dim(), |(i, j)| -(x[[i, j]] - m[j]) / v),
                &Array2::zeros((n, 2)),
                h,
                150,
                &mut seeded(seed),
            );
            let vh = v / (1.0 - h / (2.0 * v));
            for j in 0..2 {
                let c = x.column(j);
                let mean = c.mean().unwrap();
                let var = c.mapv(|a| (a - mean).powi(2)).mean().unwrap();
                // 4 s.e.: √(vh/n) for the mean, vh √(2/n) for the variance
                assert!((mean - m[j]).abs() < 4.0 * (vh / n as f64).sqrt(), "seed {seed}: mean {mean}");
                assert!((var - vh).abs() < 4.0 * vh * (2.0 / n as f64).sqrt(), "seed {seed}: var {var} vs {vh}");
                // and the chain's bias is visible: vh differs from v by 25 %
            }
        }
    }

    #[test]
    fn plain_langevin_keeps_the_initial_weights_and_annealing_finds_the_true_ones() {
        let p = GaussianMixture2d::new(vec![[-3.0, 0.0], [3.0, 0.0]], vec![0.2, 0.8], 0.5);
        let n = 2000;
        let sigmas = geometric_sigmas(6.0, 0.05, 10);
        for seed in 0..4 {
            let mut rng = seeded(seed);
            let x0 = Array2::from_shape_simple_fn((n, 2), || rand::RngExt::random_range(&mut rng, -6.0..6.0));
            let init_left = left_fraction(&x0);
            let plain = langevin(|x: &Array2<f64>| p.score_batch(x), &x0, 0.0125, 1000, &mut rng);
            let annealed = annealed_langevin(|x: &Array2<f64>, s: f64| p.convolved(s * s).score_batch(x), &x0, &sigmas, 100, 2.5e-4, &mut rng);
            // binomial s.e. 0.009, and a bias of ≈ +0.02 from finitely many steps per level
            // (0.22, 0.22, 0.19, 0.23 on seeds 0–3): 0.05 covers both
            // plain: stuck where it started (±a few crossings), nowhere near 0.2
            assert!((left_fraction(&plain) - init_left).abs() < 0.01, "seed {seed}: {} vs {init_left}", left_fraction(&plain));
            assert!((left_fraction(&annealed) - 0.2).abs() < 0.05, "seed {seed}: {}", left_fraction(&annealed));
        }
    }

    #[test]
    #[should_panic(expected = "sigmas must be decreasing")]
    fn increasing_sigmas_are_refused() {
        annealed_langevin(|x: &Array2<f64>, _s: f64| x.clone(), &Array2::zeros((1, 1)), &[0.1, 1.0], 1, 0.1, &mut seeded(0));
    }
}

