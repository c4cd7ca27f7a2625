//! An inverse problem with a diffusion prior: inpainting, where the exact posterior is known.
//!
//! Observe some coordinates $O$ of $x_0$ with Gaussian noise, $y = x_{0,O} + \sigma_y\eta$. If
//! the prior is a Gaussian mixture with diagonal covariances,
//! $p(x_0) = \sum_k w_k\,\mathcal N(\mu_k, \operatorname{diag} v_k)$, the posterior is again one:
//! each component is updated coordinate by coordinate,
//! $$v'_{k,j} = \Big(\frac1{v_{k,j}}+\frac1{\sigma_y^2}\Big)^{-1},\qquad
//! \mu'_{k,j} = v'_{k,j}\Big(\frac{\mu_{k,j}}{v_{k,j}}+\frac{y_j}{\sigma_y^2}\Big)\quad (j\in O),$$
//! unobserved coordinates unchanged, and the weights are reweighted by the evidence of each
//! component, $w'_k \propto w_k\prod_{j\in O}\mathcal N(y_j;\mu_{k,j}, v_{k,j}+\sigma_y^2)$.
//!
//! Since $x_t$ depends on $y$ only through $x_0$, the noised posterior $p(x_t\mid y)$ is the
//! posterior pushed through the forward process, so the **exact conditional score** at every
//! $t$ is that of a Gaussian mixture: reverse diffusion with it samples the posterior exactly.
//! In practice that score is unknown and is approximated; the simplest approximation,
//! **replacement** (Song et al. 2021, App. I; Lugmayr et al. 2022), runs the prior's reverse
//! process and overwrites the observed coordinates with a freshly noised copy of $y$ after
//! each step. It never conditions the unobserved coordinates on $y$ directly, only through the
//! prior's denoiser, and it is biased; [`inpaint_by_replacement`] lets the notebook measure how
//! much.
//!
//! ## Reference
//! Song et al. (2021), *Score-based generative modeling through SDEs*, §5 and App. I; Chung et
//! al. (2023), *Diffusion posterior sampling*; Lugmayr et al. (2022), *RePaint*.
//!
//! Used in notebooks/37-capstone-and-journal-club.ipynb.

use crate::generative::diffusion::{GaussianMixture, NoiseSchedule, ReverseVariance, ddpm_sample, reverse_mean, standard_normal};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

fn check_observation(who: &str, dim: usize, observed: &[usize], y: &[f64]) {
    assert_eq!(observed.len(), y.len(), "{who}: y must hold one value per observed coordinate ({}), got {}", observed.len(), y.len());
    assert!(!observed.is_empty(), "{who}: observed must list at least one coordinate");
    for (i, &j) in observed.iter().enumerate() {
        assert!(j < dim, "{who}: observed coordinates must be < dim = {dim}, got {j}");
        assert!(!observed[..i].contains(&j), "{who}: observed coordinates must be distinct, {j} appears twice");
    }
}

/// The exact posterior of the prior mixture given noisy observations `y` of the coordinates
/// `observed` with noise standard deviation `noise_std` (0 allowed: exact observation).
///
/// # Panics
/// If `observed` is empty, has repeats or indices ≥ dim, `y` has another length, or `noise_std < 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::diffusion::GaussianMixture;
/// use course::generative::applications::inpainting_posterior;
/// // one N(0, 1) coordinate observed with unit noise: posterior N(y/2, 1/2)
/// let prior = GaussianMixture::isotropic(vec![1.0], array![[0.0, 5.0]], 1.0);
/// let post = inpainting_posterior(&prior, &[0], &[3.0], 1.0);
/// assert!((post.means[[0, 0]] - 1.5).abs() < 1e-15 && (post.variances[[0, 0]] - 0.5).abs() < 1e-15);
/// assert_eq!((post.means[[0, 1]], post.variances[[0, 1]]), (5.0, 1.0)); // unobserved: unchanged
/// ```
pub fn inpainting_posterior(prior: &GaussianMixture, observed: &[usize], y: &[f64], noise_std: f64) -> GaussianMixture {
    check_observation("inpainting_posterior", prior.dim(), observed, y);
    assert!(noise_std >= 0.0 && noise_std.is_finite(), "inpainting_posterior: noise_std must be >= 0, got {noise_std}");
    let s2 = noise_std * noise_std;
    let k = prior.weights.len();
    let (mut means, mut variances) = (prior.means.clone(), prior.variances.clone());
    let mut log_w: Vec<f64> = prior.weights.iter().map(|w| w.ln()).collect();
    for c in 0..k {
        for (&j, &yj) in observed.iter().zip(y) {
            let (m, v) = (prior.means[[c, j]], prior.variances[[c, j]]);
            let s = v + s2;
            log_w[c] += -0.5 * ((yj - m).powi(2) / s + (std::f64::consts::TAU * s).ln());
            let v_post = if s2 == 0.0 { 0.0 } else { 1.0 / (1.0 / v + 1.0 / s2) };
            means[[c, j]] = if s2 == 0.0 { yj } else { v_post * (m / v + yj / s2) };
            // a variance of exactly 0 is not a density; keep the observed coordinate pinned
            // within 1e-12 when the observation is noise-free
            variances[[c, j]] = v_post.max(1e-12);
        }
    }
    let top = log_w.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = log_w.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = w.iter().sum();
    GaussianMixture::new(w.iter().map(|v| v / total).collect(), means, variances)
}

/// Posterior samples by the **replacement** heuristic: the prior's ancestral DDPM (exact prior
/// ε* of the mixture), with the observed coordinates overwritten after every step $t\to t-1$ by
/// $\sqrt{\bar\alpha_{t-1}}\,y + \sqrt{1-\bar\alpha_{t-1}}\,z$, $z\sim\mathcal N(0, 1)$ (at the end:
/// by $y$ itself).
///
/// # Panics
/// As [`inpainting_posterior`] (without noise), and if `n_samples == 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::diffusion::{GaussianMixture, NoiseSchedule};
/// use course::generative::applications::inpaint_by_replacement;
/// // independent coordinates: replacement is exact, the unobserved one keeps its prior N(5, 1)
/// let prior = GaussianMixture::isotropic(vec![1.0], array![[0.0, 5.0]], 1.0);
/// let s = NoiseSchedule::linear(200, 1e-4, 0.05);
/// let x = inpaint_by_replacement(&prior, &s, &[0], &[3.0], 4000, 1);
/// assert!(x.column(0).iter().all(|v| *v == 3.0));
/// let m = x.column(1).mean().unwrap();
/// assert!((m - 5.0).abs() < 4.0 * (1.0f64 / 4000.0).sqrt() + 0.02, "{m}");
/// ```
pub fn inpaint_by_replacement(
    prior: &GaussianMixture,
    schedule: &NoiseSchedule,
    observed: &[usize],
    y: &[f64],
    n_samples: usize,
    seed: u64,
) -> Array2<f64> {
    check_observation("inpaint_by_replacement", prior.dim(), observed, y);
    assert!(n_samples >= 1, "inpaint_by_replacement: n_samples must be >= 1, got 0");
    let mut rng = crate::rng::seeded(seed);
    let mut x = standard_normal(&mut rng, n_samples, prior.dim());
    for t in (1..=schedule.n_steps()).rev() {
        let e = prior.eps_star(schedule, &x, t);
        x = reverse_mean(schedule, &x, &e, t);
        let a_prev = if t > 1 { schedule.alpha_bar(t - 1) } else { 1.0 };
        if t > 1 {
            let sd = ReverseVariance::Beta.sigma2(schedule, t).sqrt();
            x.mapv_inplace(|v| {
                let z: f64 = StandardNormal.sample(&mut rng);
                v + sd * z
            });
        }
        for mut row in x.rows_mut() {
            for (&j, &yj) in observed.iter().zip(y) {
                let z: f64 = StandardNormal.sample(&mut rng);
                row[j] = a_prev.sqrt() * yj + (1.0 - a_prev).sqrt() * z;
            }
        }
    }
    x
}

/// Exact posterior samples by reverse diffusion with the exact noised-posterior score (the
/// ε* of [`inpainting_posterior`]'s mixture), all $T$ ancestral steps.
///
/// # Panics
/// As [`inpainting_posterior`], and if `n_samples == 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::diffusion::{GaussianMixture, NoiseSchedule};
/// use course::generative::applications::inpaint_exact;
/// let prior = GaussianMixture::isotropic(vec![1.0], array![[0.0, 5.0]], 1.0);
/// let s = NoiseSchedule::linear(200, 1e-4, 0.05);
/// let x = inpaint_exact(&prior, &s, &[0], &[3.0], 1.0, 4000, 2);
/// // posterior N(1.5, 1/2) in the observed coordinate: 4 s.e. plus 200-step bias
/// assert!((x.column(0).mean().unwrap() - 1.5).abs() < 4.0 * (0.5f64 / 4000.0).sqrt() + 0.02);
/// ```
pub fn inpaint_exact(
    prior: &GaussianMixture,
    schedule: &NoiseSchedule,
    observed: &[usize],
    y: &[f64],
    noise_std: f64,
    n_samples: usize,
    seed: u64,
) -> Array2<f64> {
    assert!(n_samples >= 1, "inpaint_exact: n_samples must be >= 1, got 0");
    let post = inpainting_posterior(prior, observed, y, noise_std);
    let mut rng = crate::rng::seeded(seed);
    let x = standard_normal(&mut rng, n_samples, prior.dim());
    let eps = |x: &Array2<f64>, t: usize| post.eps_star(schedule, x, t);
    ddpm_sample(schedule, &eps, x, ReverseVariance::Beta, &mut rng)
}

/// Index of the nearest row of `centres` (Euclidean) for every row of `x`: the "class" of a
/// generated sample.
///
/// # Panics
/// If the column counts differ or `centres` is empty.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let c = array![[0.0, 0.0], [10.0, 0.0]];
/// assert_eq!(course::generative::applications::nearest_centre(&array![[1.0, 1.0], [7.0, 0.0]], &c), vec![0, 1]);
/// ```
pub fn nearest_centre(x: &Array2<f64>, centres: &Array2<f64>) -> Vec<usize> {
    assert!(centres.nrows() >= 1, "nearest_centre: centres must have at least one row");
    assert_eq!(x.ncols(), centres.ncols(), "nearest_centre: x and centres must have the same number of columns");
    x.rows()
        .into_iter()
        .map(|r| {
            let d = |c: usize| centres.row(c).iter().zip(r.iter()).map(|(a, b)| (a - b).powi(2)).sum::<f64>();
            (0..centres.nrows()).min_by(|&a, &b| d(a).total_cmp(&d(b))).expect("at least one centre")
        })
        .collect()
}

/// Fraction of labels equal to each class `0..n_classes`.
///
/// # Examples
/// ```
/// assert_eq!(course::generative::applications::class_frequencies(&[0, 2, 2, 2], 3), vec![0.25, 0.0, 0.75]);
/// ```
pub fn class_frequencies(labels: &[usize], n_classes: usize) -> Vec<f64> {
    let mut f = vec![0.0; n_classes];
    for &l in labels {
        assert!(l < n_classes, "class_frequencies: labels must be < n_classes = {n_classes}, got {l}");
        f[l] += 1.0;
    }
    let n = labels.len().max(1) as f64;
    f.iter().map(|c| c / n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn posterior_matches_bayes_rule_by_brute_force_quadrature_in_1d() {
        // prior: two 1-D components; posterior density ∝ prior × likelihood on a grid
        let prior = GaussianMixture::new(vec![0.3, 0.7], array![[-1.0], [2.0]], array![[0.5], [0.8]]);
        let (y, s) = (0.4, 0.6);
        let post = inpainting_posterior(&prior, &[0], &[y], s);
        let npdf = |x: f64, m: f64, v: f64| (-(x - m).powi(2) / (2.0 * v)).exp() / (std::f64::consts::TAU * v).sqrt();
        let xs: Vec<f64> = (0..20001).map(|i| -8.0 + 16.0 * i as f64 / 20000.0).collect();
        let h = 16.0 / 20000.0;
        let unnorm: Vec<f64> = xs.iter().map(|&x| (0.3 * npdf(x, -1.0, 0.5) + 0.7 * npdf(x, 2.0, 0.8)) * npdf(y, x, s * s)).collect();
        let z: f64 = unnorm.iter().sum::<f64>() * h;
        for &x in &[-2.0, -0.5, 0.0, 1.0, 2.5] {
            let i = ((x + 8.0) / h).round() as usize;
            let want = unnorm[i] / z;
            let got = post.log_density(&array![[x]])[0].exp();
            assert!((got - want).abs() < 1e-6, "x = {x}: {got} vs {want}");
        }
    }

    #[test]
    fn exact_sampler_reproduces_the_posterior_weights_and_replacement_is_biased() {
        // 2-D prior with correlated structure across components: observing x0 says which
        // component, and the exact sampler's component frequencies match the posterior weights
        let prior = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-1.0, -2.0], [1.0, 2.0]], 0.3);
        let s = NoiseSchedule::linear(300, 1e-4, 0.04);
        let (obs, y, sy) = ([0usize], [0.3], 0.5);
        let post = inpainting_posterior(&prior, &obs, &y, sy);
        let n = 6000;
        for seed in 0..3 {
            let x = inpaint_exact(&prior, &s, &obs, &y, sy, n, seed);
            let f = class_frequencies(&nearest_centre(&x.column(1).to_owned().insert_axis(ndarray::Axis(1)), &array![[-2.0], [2.0]]), 2);
            let se = (post.weights[1] * (1.0 - post.weights[1]) / n as f64).sqrt();
            assert!((f[1] - post.weights[1]).abs() < 4.0 * se + 0.01, "seed {seed}: {f:?} vs {:?}", post.weights);
        }
    }

    #[test]
    fn replacement_generates_glyphs_the_observation_rules_out_on_every_seed() {
        // notebook 37's set-up: 10 × 10 glyphs, top half observed with noise 0.1
        use crate::generative::targets::{GlyphStyle, render_glyph};
        let size = 10;
        let centres = Array2::from_shape_fn((10, size * size), |(d, j)| render_glyph(d, size, GlyphStyle::default())[[j / size, j % size]]);
        let prior = GaussianMixture::isotropic(vec![0.1; 10], centres.clone(), 0.02);
        let schedule = NoiseSchedule::linear(100, 1e-4, 0.2);
        let observed: Vec<usize> = (0..size * size / 2).collect();
        for seed in 0..4u64 {
            let mut rng = crate::rng::seeded(50 + seed);
            let digit = [8, 3, 0, 6][seed as usize];
            let noise = standard_normal(&mut rng, 1, size * size);
            let y: Vec<f64> = observed.iter().map(|&j| centres[[digit, j]] + 0.02f64.sqrt() * noise[[0, j]] + 0.1 * noise[[0, (j + 50) % 100]]).collect();
            let post = inpainting_posterior(&prior, &observed, &y, 0.1);
            let out = |f: &[f64]| (0..10).filter(|&d| post.weights[d] < 1e-3).map(|d| f[d]).sum::<f64>();
            let f_exact = class_frequencies(&nearest_centre(&inpaint_exact(&prior, &schedule, &observed, &y, 0.1, 1000, seed), &centres), 10);
            let f_repl = class_frequencies(&nearest_centre(&inpaint_by_replacement(&prior, &schedule, &observed, &y, 1000, seed), &centres), 10);
            assert!(out(&f_exact) < 0.005, "seed {seed}: exact sampler on ruled-out digits {}", out(&f_exact));
            assert!(out(&f_repl) > 0.01, "seed {seed} (digit {digit}): replacement on ruled-out digits only {}", out(&f_repl));
        }
    }

    #[test]
    #[should_panic(expected = "observed coordinates must be distinct")]
    fn repeated_observations_are_refused() {
        let prior = GaussianMixture::isotropic(vec![1.0], array![[0.0, 0.0]], 1.0);
        inpainting_posterior(&prior, &[1, 1], &[0.0, 0.0], 0.1);
    }
}
