//! Explicit, implicit and denoising score matching for a score model linear in fixed features,
//! each with its closed-form minimizer.
//!
//! For $s_\Theta(x) = \Theta^\top\varphi(x)$ ([`RbfFeatures`]) and data $x\sim p$:
//! $$J_{\rm ESM}(\Theta) = \tfrac12\,\mathbb E\,|s_\Theta(x) - \nabla\log p(x)|^2,\qquad
//! J_{\rm ISM}(\Theta) = \mathbb E\big[\tfrac12|s_\Theta(x)|^2 + \nabla\cdot s_\Theta(x)\big],$$
//! $$J_{\rm DSM}(\Theta) = \tfrac12\,\mathbb E_{x\sim p,\ \tilde x = x+\sigma z}\,
//! \Big|s_\Theta(\tilde x) + \frac{\tilde x - x}{\sigma^2}\Big|^2 .$$
//! Integration by parts (Hyvärinen 2005) gives $J_{\rm ISM} = J_{\rm ESM} - \frac12\mathbb E|\nabla\log p|^2$;
//! Vincent (2011) shows $J_{\rm DSM} = J_{\rm ESM}[p_\sigma] + \frac{d}{2\sigma^2} - \frac12\mathbb E_{p_\sigma}|\nabla\log p_\sigma|^2$
//! with $p_\sigma = p * \mathcal N(0,\sigma^2 I)$. All three are quadratic in $\Theta$:
//! $$J(\Theta) = \tfrac12\operatorname{tr}(\Theta^\top A\Theta) + \operatorname{tr}(\Theta^\top B) + c,
//! \qquad A = \mathbb E[\varphi\varphi^\top],$$
//! with $B_{\rm ESM} = -\mathbb E[\varphi\,\nabla\log p^\top]$, $B_{\rm ISM} = \mathbb E[\nabla\varphi]$ (row $j$ is
//! $\nabla\varphi_j$), $B_{\rm DSM} = \mathbb E[\varphi(\tilde x)(\tilde x - x)^\top]/\sigma^2$, so each minimizer
//! solves $(A + \lambda I)\Theta = -B$ (a small ridge $\lambda$ keeps $A$ invertible where the data are thin).
//!
//! Expectations are weighted sums $\sum_i w_i f(x_i)$: Monte Carlo ($w_i = 1/n$) or a quadrature
//! grid ($w_i = p(x_i)\,\Delta x^2$, [`grid_quadrature`]), on which the integration by parts holds
//! to rounding.
//!
//! ## Reference
//! A. Hyvärinen (2005), *Estimation of non-normalized statistical models by score matching*, JMLR 6;
//! P. Vincent (2011), *A connection between score matching and denoising autoencoders*, Neural
//! Computation 23(7), §§3–4.
//!
//! Used in notebooks/30-score-matching.ipynb.

use super::RbfFeatures;
use crate::generative::targets::GaussianMixture2d;
use ndarray::{Array1, Array2, Axis};

/// A score model $s_\Theta(x) = \Theta^\top\varphi(x)$ linear in RBF features ($\Theta$ is m × 2).
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::score::{LinearScore, RbfFeatures};
/// let f = RbfFeatures::new(vec![[0.0, 0.0]], 1.0);
/// let model = LinearScore::new(f, array![[2.0, -1.0]]);
/// let s = model.score(&array![[0.0, 0.0]]);
/// assert_eq!((s[[0, 0]], s[[0, 1]]), (2.0, -1.0));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LinearScore {
    /// The feature map $\varphi$.
    pub features: RbfFeatures,
    /// The parameters $\Theta$, one row per feature, one column per coordinate.
    pub theta: Array2<f64>,
}

impl LinearScore {
    /// The model with parameters `theta` (m × 2).
    ///
    /// # Panics
    /// If `theta` is not `features.n_features()` × 2.
    pub fn new(features: RbfFeatures, theta: Array2<f64>) -> LinearScore {
        assert_eq!(theta.dim(), (features.n_features(), 2), "LinearScore: theta must be n_features × 2");
        LinearScore { features, theta }
    }

    /// $s_\Theta(x_i)$ for each row (n × 2).
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::{array, Array2};
    /// use course::generative::score::{LinearScore, RbfFeatures};
    /// let model = LinearScore::new(RbfFeatures::grid(2, 1.0, 1.0), Array2::zeros((4, 2)));
    /// assert_eq!(model.score(&array![[0.3, 0.1]]).sum(), 0.0);
    /// ```
    pub fn score(&self, x: &Array2<f64>) -> Array2<f64> {
        self.features.eval(x).dot(&self.theta)
    }

    /// $\nabla\cdot s_\Theta(x_i) = \sum_{j,d}\Theta_{jd}\,\partial_d\varphi_j(x_i)$ for each row.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::score::{LinearScore, RbfFeatures};
    /// // s(x) = (φ(x), 0) with φ = e^{−|x|²/2}: div s = ∂₁φ = −x₁ φ
    /// let model = LinearScore::new(RbfFeatures::new(vec![[0.0, 0.0]], 1.0), array![[1.0, 0.0]]);
    /// assert!((model.divergence(&array![[1.0, 0.0]])[0] + (-0.5f64).exp()).abs() < 1e-15);
    /// ```
    pub fn divergence(&self, x: &Array2<f64>) -> Vec<f64> {
        let (d1, d2) = self.features.grad(x);
        (d1.dot(&self.theta.column(0)) + d2.dot(&self.theta.column(1))).to_vec()
    }
}

/// Weights summing to one: `weights` as given, or $1/n$ each when empty.
fn resolve_weights(what: &str, n: usize, weights: &[f64]) -> Vec<f64> {
    assert!(n >= 1, "{what}: x must have at least one row");
    if weights.is_empty() {
        return vec![1.0 / n as f64; n];
    }
    assert!(
        weights.len() == n && weights.iter().all(|w| w.is_finite() && *w >= 0.0),
        "{what}: weights must be empty or one finite weight >= 0 per row ({n}), got {}",
        weights.len()
    );
    weights.to_vec()
}

/// The explicit score-matching objective $\frac12\sum_i w_i|s_\Theta(x_i) - g_i|^2$ with
/// $g_i$ = `true_score` row $i$ (empty `weights`: $1/n$ each).
///
/// # Panics
/// If the shapes differ or a weight is negative.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::score::{esm_objective, LinearScore, RbfFeatures};
/// let model = LinearScore::new(RbfFeatures::new(vec![[0.0, 0.0]], 1.0), Array2::zeros((1, 2)));
/// // s = 0, so the objective is half the mean squared true score
/// let j = esm_objective(&model, &array![[0.0, 0.0], [1.0, 1.0]], &[], &array![[2.0, 0.0], [0.0, 0.0]]);
/// assert!((j - 1.0).abs() < 1e-15);
/// ```
pub fn esm_objective(model: &LinearScore, x: &Array2<f64>, weights: &[f64], true_score: &Array2<f64>) -> f64 {
    assert_eq!(true_score.dim(), (x.nrows(), 2), "esm_objective: true_score must be n × 2 like x");
    let w = resolve_weights("esm_objective", x.nrows(), weights);
    let r = model.score(x) - true_score;
    r.rows().into_iter().zip(&w).map(|(ri, wi)| 0.5 * wi * ri.dot(&ri)).sum()
}

/// The implicit (Hyvärinen) objective $\sum_i w_i\big[\frac12|s_\Theta(x_i)|^2 + \nabla\cdot s_\Theta(x_i)\big]$:
/// no true score needed, only samples (or quadrature points and weights).
///
/// # Panics
/// If `x` does not have 2 columns or a weight is negative.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::score::{ism_objective, LinearScore, RbfFeatures};
/// // s = (φ, 0), φ = e^{−|x|²/2}; at x = 0: ½φ² + ∂₁φ = ½ + 0
/// let model = LinearScore::new(RbfFeatures::new(vec![[0.0, 0.0]], 1.0), array![[1.0, 0.0]]);
/// assert!((ism_objective(&model, &array![[0.0, 0.0]], &[]) - 0.5).abs() < 1e-15);
/// ```
pub fn ism_objective(model: &LinearScore, x: &Array2<f64>, weights: &[f64]) -> f64 {
    let w = resolve_weights("ism_objective", x.nrows(), weights);
    let s = model.score(x);
    let div = model.divergence(x);
    s.rows().into_iter().zip(&div).zip(&w).map(|((si, di), wi)| wi * (0.5 * si.dot(&si) + di)).sum()
}

/// The denoising objective $\frac1n\sum_i\frac12\big|s_\Theta(\tilde x_i) + (\tilde x_i - x_i)/\sigma^2\big|^2$
/// on pairs of clean rows `x_clean` and noisy rows `x_noisy` $= x + \sigma z$.
///
/// # Panics
/// If the shapes differ or `sigma <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::score::{dsm_objective, LinearScore, RbfFeatures};
/// let model = LinearScore::new(RbfFeatures::new(vec![[0.0, 0.0]], 1.0), Array2::zeros((1, 2)));
/// // s = 0: ½ |x̃ − x|²/σ⁴ = ½ · 0.25 / 0.0625
/// let j = dsm_objective(&model, &array![[0.0, 0.0]], &array![[0.5, 0.0]], 0.5);
/// assert!((j - 2.0).abs() < 1e-15);
/// ```
pub fn dsm_objective(model: &LinearScore, x_clean: &Array2<f64>, x_noisy: &Array2<f64>, sigma: f64) -> f64 {
    let target = dsm_target(x_clean, x_noisy, sigma);
    let r = model.score(x_noisy) - &target;
    0.5 * r.mapv(|v| v * v).sum() / x_clean.nrows() as f64
}

/// The regression target of denoising score matching, $\nabla_{\tilde x}\log q_\sigma(\tilde x\mid x) = -(\tilde x - x)/\sigma^2$, row by row.
///
/// # Panics
/// If the shapes differ, there are no rows, or `sigma <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::score::dsm_target;
/// let t = dsm_target(&array![[1.0, 1.0]], &array![[1.5, 0.0]], 0.5);
/// assert_eq!((t[[0, 0]], t[[0, 1]]), (-2.0, 4.0));
/// ```
pub fn dsm_target(x_clean: &Array2<f64>, x_noisy: &Array2<f64>, sigma: f64) -> Array2<f64> {
    assert!(sigma.is_finite() && sigma > 0.0, "dsm_target: sigma must be > 0, got {sigma}");
    assert_eq!(x_clean.dim(), x_noisy.dim(), "dsm_target: x_clean and x_noisy must have the same shape");
    assert!(x_clean.nrows() >= 1, "dsm_target: x_clean must have at least one row");
    (x_clean - x_noisy) / (sigma * sigma)
}

/// Solves $(A + \lambda I)\Theta = -B$ with $A = \sum_i w_i\varphi_i\varphi_i^\top$.
fn solve(features: &RbfFeatures, phi: &Array2<f64>, w: &[f64], b: &Array2<f64>, ridge: f64) -> LinearScore {
    assert!(ridge.is_finite() && ridge >= 0.0, "ridge must be >= 0, got {ridge}");
    let m = features.n_features();
    let wphi = phi * &Array1::from(w.to_vec()).insert_axis(Axis(1));
    let a = phi.t().dot(&wphi) + Array2::<f64>::eye(m) * ridge;
    let a_na = nalgebra::DMatrix::from_fn(m, m, |i, j| a[[i, j]]);
    let chol = a_na.cholesky().expect("score matching: A + ridge·I is not positive definite; increase ridge");
    let rhs = nalgebra::DMatrix::from_fn(m, 2, |i, j| -b[[i, j]]);
    let sol = chol.solve(&rhs);
    LinearScore::new(features.clone(), Array2::from_shape_fn((m, 2), |(i, j)| sol[(i, j)]))
}

/// The minimizer of [`esm_objective`] $+\frac\lambda2|\Theta|^2$ ($\lambda$ = `ridge`): needs the true score.
///
/// # Panics
/// If the shapes differ, a weight is negative, or $A+\lambda I$ is singular.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// use course::generative::score::{fit_esm, RbfFeatures};
/// // the true score is itself Θᵀφ: ESM recovers Θ
/// let f = RbfFeatures::grid(3, 1.0, 0.7);
/// let x = Array2::from_shape_vec((50, 2), course::rng::normal_vec(&mut course::rng::seeded(0), 100)).unwrap();
/// let theta = Array2::from_shape_fn((9, 2), |(j, d)| (j as f64 - 4.0) * (d as f64 + 1.0));
/// let g = f.eval(&x).dot(&theta);
/// let fit = fit_esm(&f, &x, &[], &g, 0.0);
/// assert!((&fit.theta - &theta).iter().all(|v| v.abs() < 1e-6));
/// ```
pub fn fit_esm(features: &RbfFeatures, x: &Array2<f64>, weights: &[f64], true_score: &Array2<f64>, ridge: f64) -> LinearScore {
    assert_eq!(true_score.dim(), (x.nrows(), 2), "fit_esm: true_score must be n × 2 like x");
    let w = resolve_weights("fit_esm", x.nrows(), weights);
    let phi = features.eval(x);
    let wg = true_score * &Array1::from(w.clone()).insert_axis(Axis(1));
    let b = -phi.t().dot(&wg);
    solve(features, &phi, &w, &b, ridge)
}

/// The minimizer of [`ism_objective`] $+\frac\lambda2|\Theta|^2$: $B = \sum_i w_i\nabla\varphi(x_i)$, no true score.
///
/// # Panics
/// If a weight is negative or $A+\lambda I$ is singular.
///
/// # Examples
/// ```
/// use course::generative::score::{fit_ism, ism_objective, RbfFeatures};
/// let x = course::generative::targets::GaussianMixture2d::ring(4, 1.0, 0.5).sample(500, &mut course::rng::seeded(0));
/// let f = RbfFeatures::grid(3, 1.5, 1.0);
/// let best = fit_ism(&f, &x, &[], 1e-6);
/// // a perturbation can only increase the (quadratic) objective
/// let mut other = best.clone();
/// other.theta[[4, 0]] += 0.1;
/// assert!(ism_objective(&other, &x, &[]) > ism_objective(&best, &x, &[]));
/// ```
pub fn fit_ism(features: &RbfFeatures, x: &Array2<f64>, weights: &[f64], ridge: f64) -> LinearScore {
    let w = resolve_weights("fit_ism", x.nrows(), weights);
    let phi = features.eval(x);
    let (d1, d2) = features.grad(x);
    let wv = Array1::from(w.clone());
    let mut b = Array2::zeros((features.n_features(), 2));
    b.column_mut(0).assign(&d1.t().dot(&wv));
    b.column_mut(1).assign(&d2.t().dot(&wv));
    solve(features, &phi, &w, &b, ridge)
}

/// The minimizer of [`dsm_objective`] $+\frac\lambda2|\Theta|^2$: a regression of the target
/// $-(\tilde x - x)/\sigma^2$ on $\varphi(\tilde x)$.
///
/// # Panics
/// If the shapes differ, `sigma <= 0`, or $A+\lambda I$ is singular.
///
/// # Examples
/// ```
/// use course::generative::score::{dsm_objective, fit_dsm, RbfFeatures};
/// let mut rng = course::rng::seeded(1);
/// let x = course::generative::targets::GaussianMixture2d::ring(4, 1.0, 0.5).sample(500, &mut rng);
/// let z = course::ndarray::Array2::from_shape_vec((500, 2), course::rng::normal_vec(&mut rng, 1000)).unwrap();
/// let noisy = &x + &(z * 0.3);
/// let f = RbfFeatures::grid(3, 1.5, 1.0);
/// let best = fit_dsm(&f, &x, &noisy, 0.3, 1e-6);
/// let mut other = best.clone();
/// other.theta[[0, 1]] -= 0.1;
/// assert!(dsm_objective(&other, &x, &noisy, 0.3) > dsm_objective(&best, &x, &noisy, 0.3));
/// ```
pub fn fit_dsm(features: &RbfFeatures, x_clean: &Array2<f64>, x_noisy: &Array2<f64>, sigma: f64, ridge: f64) -> LinearScore {
    let target = dsm_target(x_clean, x_noisy, sigma);
    fit_esm(features, x_noisy, &[], &target, ridge)
}

/// A tensor-product trapezoid grid on $[-L, L]^2$ ($L$ = `half_width`, `n_grid` points a side)
/// with weights $w_i = p(x_i)\,\Delta x^2$ for the mixture `target`: $\sum_i w_i f(x_i)\approx\mathbb E_p f$,
/// with an error exponentially small in $(\sigma/\Delta x)^2$ for smooth $f$ (the trapezoid rule on a
/// rapidly decaying integrand) once $[-L, L]^2$ holds the mass.
///
/// # Panics
/// If `n_grid < 2` or `half_width <= 0`.
///
/// # Examples
/// ```
/// use course::generative::score::grid_quadrature;
/// use course::generative::targets::GaussianMixture2d;
/// let g = GaussianMixture2d::new(vec![[1.0, 0.0], [-1.0, 0.5]], vec![1.0, 3.0], 0.5);
/// let (x, w) = grid_quadrature(&g, 5.0, 101);
/// assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// let mean_x: f64 = x.column(0).iter().zip(&w).map(|(a, b)| a * b).sum();
/// assert!((mean_x - (0.25 - 0.75)).abs() < 1e-12);
/// ```
pub fn grid_quadrature(target: &GaussianMixture2d, half_width: f64, n_grid: usize) -> (Array2<f64>, Vec<f64>) {
    assert!(n_grid >= 2, "grid_quadrature: n_grid must be >= 2, got {n_grid}");
    assert!(half_width.is_finite() && half_width > 0.0, "grid_quadrature: half_width must be > 0, got {half_width}");
    let dx = 2.0 * half_width / (n_grid - 1) as f64;
    let x = Array2::from_shape_fn((n_grid * n_grid, 2), |(k, d)| {
        let i = if d == 0 { k / n_grid } else { k % n_grid };
        -half_width + i as f64 * dx
    });
    let w = target.log_density_batch(&x).into_iter().map(|l| l.exp() * dx * dx).collect();
    (x, w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::targets::GaussianMixture2d;
    use crate::rng::{normal_vec, seeded};

    fn target() -> GaussianMixture2d {
        GaussianMixture2d::new(vec![[-1.5, 0.0], [1.5, 0.5]], vec![0.3, 0.7], 0.6)
    }

    fn random_theta(m: usize, seed: u64) -> Array2<f64> {
        Array2::from_shape_vec((m, 2), normal_vec(&mut seeded(seed), 2 * m)).unwrap()
    }

    #[test]
    fn ism_equals_esm_minus_half_the_fisher_information_on_quadrature() {
        let p = target();
        let f = RbfFeatures::grid(5, 3.0, 1.0);
        let (x, w) = grid_quadrature(&p, 7.0, 161);
        let g = p.score_batch(&x);
        let fisher: f64 = g.rows().into_iter().zip(&w).map(|(gi, wi)| 0.5 * wi * gi.dot(&gi)).sum();
        for seed in 0..5 {
            let model = LinearScore::new(f.clone(), random_theta(25, seed));
            let gap = esm_objective(&model, &x, &w, &g) - ism_objective(&model, &x, &w);
            assert!((gap - fisher).abs() < 1e-9, "seed {seed}: {gap} vs {fisher}");
        }
        // and the minimizers coincide
        let a = fit_esm(&f, &x, &w, &g, 1e-8);
        let b = fit_ism(&f, &x, &w, 1e-8);
        let err = (&a.theta - &b.theta).iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(err < 1e-5, "{err}");
    }

    #[test]
    fn sample_ism_approaches_the_best_model_in_the_family() {
        // the notebook's setting: 7 × 7 RBFs of width 0.8 on [−3, 3]², n = 4000, ridge 1e-3
        let p = target();
        let f = RbfFeatures::grid(7, 3.0, 0.8);
        let (xq, wq) = grid_quadrature(&p, 7.0, 161);
        let gq = p.score_batch(&xq);
        let half_fisher: f64 = gq.rows().into_iter().zip(&wq).map(|(g, w)| 0.5 * w * g.dot(&g)).sum();
        let best = esm_objective(&fit_esm(&f, &xq, &wq, &gq, 1e-8), &xq, &wq, &gq) / half_fisher;
        assert!(best < 0.05, "{best}");
        for seed in 1..6 {
            let x = p.sample(4000, &mut seeded(seed));
            let rel = esm_objective(&fit_ism(&f, &x, &[], 1e-3), &xq, &wq, &gq) / half_fisher;
            eprintln!("seed {seed}: best {best:.4}, sample ISM {rel:.4}");
            assert!(rel - best < 0.05, "seed {seed}: {rel} vs best {best}");
        }
    }

    #[test]
    fn divergence_matches_finite_differences() {
        let model = LinearScore::new(RbfFeatures::grid(3, 1.0, 0.9), random_theta(9, 3));
        let x = Array2::from_shape_vec((8, 2), normal_vec(&mut seeded(4), 16)).unwrap();
        let div = model.divergence(&x);
        let h = 1e-5;
        for i in 0..8 {
            let mut fd = 0.0;
            for d in 0..2 {
                let mut xp = x.row(i).to_owned().insert_axis(Axis(0));
                let mut xm = xp.clone();
                xp[[0, d]] += h;
                xm[[0, d]] -= h;
                fd += (model.score(&xp)[[0, d]] - model.score(&xm)[[0, d]]) / (2.0 * h);
            }
            assert!((fd - div[i]).abs() < 1e-8, "{fd} vs {}", div[i]);
        }
    }

    #[test]
    fn dsm_minus_esm_of_the_smoothed_density_is_the_same_constant_for_every_theta() {
        let p = target();
        let sigma = 0.5;
        let n = 40_000;
        let mut rng = seeded(7);
        let x = p.sample(n, &mut rng);
        let z = Array2::from_shape_vec((n, 2), normal_vec(&mut rng, 2 * n)).unwrap();
        let noisy = &x + &(&z * sigma);
        let ps = p.convolved(sigma * sigma);
        let g = ps.score_batch(&noisy);
        let (xq, wq) = grid_quadrature(&ps, 8.0, 161);
        let gq = ps.score_batch(&xq);
        let constant = 1.0 / (sigma * sigma) - gq.rows().into_iter().zip(&wq).map(|(gi, wi)| 0.5 * wi * gi.dot(&gi)).sum::<f64>();
        let f = RbfFeatures::grid(5, 3.0, 1.0);
        for seed in 0..4 {
            let model = LinearScore::new(f.clone(), random_theta(25, 10 + seed));
            let s = model.score(&noisy);
            let u = dsm_target(&x, &noisy, sigma);
            // per-sample difference of the two integrands, its mean and standard error
            let terms: Vec<f64> = (0..n)
                .map(|i| {
                    let a = (&s.row(i) - &u.row(i)).mapv(|v| v * v).sum();
                    let b = (&s.row(i) - &g.row(i)).mapv(|v| v * v).sum();
                    0.5 * (a - b)
                })
                .collect();
            let mean = terms.iter().sum::<f64>() / n as f64;
            let var = terms.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (var / n as f64).sqrt();
            let direct = dsm_objective(&model, &x, &noisy, sigma) - esm_objective(&model, &noisy, &[], &g);
            assert!((direct - mean).abs() < 1e-9);
            assert!((mean - constant).abs() < 4.0 * se, "seed {seed}: {mean} vs {constant} ± {se}");
        }
    }
}
