//! The variance-preserving and variance-exploding SDEs, the reverse-time SDE and the probability-flow ODE.
//!
//! Forward: $dx = f(t)\,x\,dt + g(t)\,dW$, with
//! VP: $f = -\tfrac12\beta(t)$, $g = \sqrt{\beta(t)}$, $\beta(t) = \beta_{\min} + t(\beta_{\max}-\beta_{\min})$;
//! VE: $f = 0$, $g = \sigma(t)\sqrt{2\ln(\sigma_{\max}/\sigma_{\min})}$, $\sigma(t) = \sigma_{\min}(\sigma_{\max}/\sigma_{\min})^t$.
//! The marginals are $x_t = a(t)\,x_0 + s(t)\,\varepsilon$ with
//! $a = e^{-\frac12\int_0^t\beta}$, $s^2 = 1 - a^2$ (VP) and $a = 1$, $s^2 = \sigma(t)^2 - \sigma_{\min}^2$ (VE).
//! With the score $\nabla\log q_t$, time runs backwards along
//! $$dx = \big[f x - g^2\nabla\log q_t(x)\big]dt + g\,d\bar W\quad\text{(reverse SDE)},\qquad
//! \frac{dx}{dt} = f x - \tfrac12 g^2\nabla\log q_t(x)\quad\text{(probability-flow ODE)},$$
//! and both carry $q_1$ back to $q_0$ with the same marginals $q_t$ at every $t$.
//!
//! ## Reference
//! Y. Song et al., *Score-Based Generative Modeling through Stochastic Differential Equations* (ICLR 2021),
//! §3, §4.3 and Appendix B; B. D. O. Anderson, *Reverse-time diffusion equation models* (1982).
//!
//! Used in notebooks/32-score-sdes-and-edm.ipynb.

use crate::generative::diffusion::GaussianMixture;
use ndarray::{Array1, Array2};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// A score model $s(x, t) \approx \nabla\log q_t(x)$: batch × dim in, batch × dim out.
pub type ScoreFn<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;

/// A forward noising SDE on $t \in [0, 1]$ with linear drift $f(t)\,x$.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sde {
    /// Variance preserving (DDPM in continuous time): Song et al. use $\beta_{\min} = 0.1$, $\beta_{\max} = 20$.
    Vp {
        /// $\beta(0)$.
        beta_min: f64,
        /// $\beta(1)$.
        beta_max: f64,
    },
    /// Variance exploding (NCSN in continuous time): e.g. $\sigma_{\min} = 0.01$, $\sigma_{\max} = 50$.
    Ve {
        /// $\sigma(0)$.
        sigma_min: f64,
        /// $\sigma(1)$.
        sigma_max: f64,
    },
}

fn check_t(t: f64) {
    assert!((0.0..=1.0).contains(&t), "t must be in [0, 1], got {t}");
}

impl Sde {
    /// The VP SDE.
    ///
    /// # Panics
    /// Unless `0 < beta_min <= beta_max`.
    ///
    /// # Examples
    /// ```
    /// let sde = course::generative::sde::Sde::vp(0.1, 20.0);
    /// assert!((sde.diffusion(0.5) - 10.05f64.sqrt()).abs() < 1e-14);
    /// ```
    pub fn vp(beta_min: f64, beta_max: f64) -> Self {
        assert!(beta_min > 0.0 && beta_min <= beta_max && beta_max.is_finite(), "need 0 < beta_min <= beta_max, got {beta_min}, {beta_max}");
        Sde::Vp { beta_min, beta_max }
    }

    /// The VE SDE.
    ///
    /// # Panics
    /// Unless `0 < sigma_min < sigma_max`.
    ///
    /// # Examples
    /// ```
    /// let sde = course::generative::sde::Sde::ve(0.01, 10.0);
    /// assert!((sde.marginal_std(1.0) - (100.0f64 - 1e-4).sqrt()).abs() < 1e-12);
    /// ```
    pub fn ve(sigma_min: f64, sigma_max: f64) -> Self {
        assert!(sigma_min > 0.0 && sigma_min < sigma_max && sigma_max.is_finite(), "need 0 < sigma_min < sigma_max, got {sigma_min}, {sigma_max}");
        Sde::Ve { sigma_min, sigma_max }
    }

    /// The drift coefficient $f(t)$ (the drift is $f(t)\,x$).
    ///
    /// # Panics
    /// If `t` is not in $[0, 1]$.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::generative::sde::Sde::vp(0.1, 20.0).drift_coefficient(0.0), -0.05);
    /// ```
    pub fn drift_coefficient(&self, t: f64) -> f64 {
        check_t(t);
        match *self {
            Sde::Vp { beta_min, beta_max } => -0.5 * (beta_min + t * (beta_max - beta_min)),
            Sde::Ve { .. } => 0.0,
        }
    }

    /// The drift $f(t)\,x$ for a batch.
    ///
    /// # Panics
    /// If `t` is not in $[0, 1]$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let f = course::generative::sde::Sde::vp(1.0, 1.0).drift(&array![[2.0, -4.0]], 0.3);
    /// assert_eq!(f, array![[-1.0, 2.0]]);
    /// ```
    pub fn drift(&self, x: &Array2<f64>, t: f64) -> Array2<f64> {
        x * self.drift_coefficient(t)
    }

    /// The diffusion coefficient $g(t)$.
    ///
    /// # Panics
    /// If `t` is not in $[0, 1]$.
    ///
    /// # Examples
    /// ```
    /// let sde = course::generative::sde::Sde::ve(1.0, std::f64::consts::E);
    /// assert!((sde.diffusion(0.0) - 2f64.sqrt()).abs() < 1e-15); // σ(0)·√(2 ln e)
    /// ```
    pub fn diffusion(&self, t: f64) -> f64 {
        check_t(t);
        match *self {
            Sde::Vp { beta_min, beta_max } => (beta_min + t * (beta_max - beta_min)).sqrt(),
            Sde::Ve { sigma_min, sigma_max } => {
                let r = sigma_max / sigma_min;
                sigma_min * r.powf(t) * (2.0 * r.ln()).sqrt()
            }
        }
    }

    /// The signal scale $a(t)$ of $x_t = a(t)\,x_0 + s(t)\,\varepsilon$.
    ///
    /// # Panics
    /// If `t` is not in $[0, 1]$.
    ///
    /// # Examples
    /// ```
    /// let sde = course::generative::sde::Sde::vp(2.0, 2.0);
    /// assert!((sde.marginal_scale(1.0) - (-1.0f64).exp()).abs() < 1e-15);
    /// ```
    pub fn marginal_scale(&self, t: f64) -> f64 {
        check_t(t);
        match *self {
            Sde::Vp { beta_min, beta_max } => (-0.5 * (beta_min * t + 0.5 * t * t * (beta_max - beta_min))).exp(),
            Sde::Ve { .. } => 1.0,
        }
    }

    /// The noise level $s(t)$ of $x_t = a(t)\,x_0 + s(t)\,\varepsilon$.
    ///
    /// # Panics
    /// If `t` is not in $[0, 1]$.
    ///
    /// # Examples
    /// ```
    /// let sde = course::generative::sde::Sde::vp(0.1, 20.0);
    /// let (a, s) = (sde.marginal_scale(0.4), sde.marginal_std(0.4));
    /// assert!((a * a + s * s - 1.0).abs() < 1e-15); // variance preserving
    /// ```
    pub fn marginal_std(&self, t: f64) -> f64 {
        match *self {
            Sde::Vp { .. } => {
                let a = self.marginal_scale(t);
                (1.0 - a * a).max(0.0).sqrt()
            }
            Sde::Ve { sigma_min, sigma_max } => {
                check_t(t);
                let s = sigma_min * (sigma_max / sigma_min).powf(t);
                (s * s - sigma_min * sigma_min).max(0.0).sqrt()
            }
        }
    }

    /// The standard deviation of the Gaussian prior the samplers start from: 1 (VP), $\sigma_{\max}$ (VE).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::generative::sde::Sde::ve(0.01, 50.0).prior_std(), 50.0);
    /// ```
    pub fn prior_std(&self) -> f64 {
        match *self {
            Sde::Vp { .. } => 1.0,
            Sde::Ve { sigma_max, .. } => sigma_max,
        }
    }

    /// `n_samples × dim` draws of the prior $\mathcal N(0, \text{prior\_std}^2 I)$.
    ///
    /// # Examples
    /// ```
    /// let sde = course::generative::sde::Sde::ve(0.01, 10.0);
    /// let x = sde.sample_prior(10_000, 1, &mut course::rng::seeded(0));
    /// assert!((x.std(1.0) - 10.0).abs() < 4.0 * 10.0 / (2.0f64 * 10_000.0).sqrt());
    /// ```
    pub fn sample_prior(&self, n_samples: usize, dim: usize, rng: &mut impl Rng) -> Array2<f64> {
        let sd = self.prior_std();
        Array2::from_shape_simple_fn((n_samples, dim), || sd * Distribution::<f64>::sample(&StandardNormal, rng))
    }

    /// $\log\mathcal N(x; 0, \text{prior\_std}^2 I)$ for each row.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let l = course::generative::sde::Sde::vp(0.1, 20.0).prior_log_density(&array![[0.0, 0.0]]);
    /// assert!((l[0] + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
    /// ```
    pub fn prior_log_density(&self, x: &Array2<f64>) -> Array1<f64> {
        let v = self.prior_std().powi(2);
        let d = x.ncols() as f64;
        x.rows()
            .into_iter()
            .map(|r| -0.5 * (d * (2.0 * std::f64::consts::PI * v).ln() + r.dot(&r) / v))
            .collect()
    }

    /// The marginal $q_t$ of a mixture data law: again a mixture (means $\times a(t)$, variances $a^2v + s^2$).
    ///
    /// # Panics
    /// If `t` is not in $[0, 1]$.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::{diffusion::GaussianMixture, sde::Sde};
    /// let g = GaussianMixture::isotropic(vec![1.0], array![[3.0]], 1.0);
    /// // VP keeps unit variance for unit-variance data
    /// assert!((Sde::vp(0.1, 20.0).mixture_marginal(&g, 0.5).variances[[0, 0]] - 1.0).abs() < 1e-14);
    /// ```
    pub fn mixture_marginal(&self, mixture: &GaussianMixture, t: f64) -> GaussianMixture {
        mixture.noised(self.marginal_scale(t), self.marginal_std(t))
    }

    /// The exact score $\nabla\log q_t(x)$ of a mixture data law, for each row of `x`.
    ///
    /// # Panics
    /// If `t` is not in $[0, 1]$ or `x` has the wrong width.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::{diffusion::GaussianMixture, sde::Sde};
    /// let g = GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
    /// let s = Sde::ve(0.01, 10.0).mixture_score(&g, &array![[2.0]], 0.0);
    /// assert!((s[[0, 0]] + 2.0).abs() < 1e-14);
    /// ```
    pub fn mixture_score(&self, mixture: &GaussianMixture, x: &Array2<f64>, t: f64) -> Array2<f64> {
        self.mixture_marginal(mixture, t).score(x)
    }
}

/// The probability-flow drift $f(t)\,x - \tfrac12 g(t)^2 s(x, t)$.
///
/// # Panics
/// If `t` is not in $[0, 1]$ or the score has the wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::sde::{pf_ode_drift, Sde};
/// // VP with N(0, I) data: score -x, so the flow stands still
/// let v = pf_ode_drift(&Sde::vp(0.1, 20.0), &|x: &Array2<f64>, _t: f64| -x, &array![[1.5]], 0.7);
/// assert!(v[[0, 0]].abs() < 1e-14);
/// ```
pub fn pf_ode_drift(sde: &Sde, score: ScoreFn, x: &Array2<f64>, t: f64) -> Array2<f64> {
    let s = score(x, t);
    assert_eq!(s.dim(), x.dim(), "score must return an array of the input's shape (at t = {t})");
    let g = sde.diffusion(t);
    sde.drift(x, t) - s * (0.5 * g * g)
}

fn check_times(t_from: f64, t_to: f64, n_steps: usize) {
    check_t(t_from);
    check_t(t_to);
    assert!(n_steps > 0, "n_steps must be > 0");
}

/// The probability-flow ODE integrated from `t_from` to `t_to` (either direction) with Heun's method
/// (2nd order) on `n_steps` equal steps.
///
/// # Panics
/// If a time is not in $[0, 1]$, `n_steps == 0` or the score has the wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::{array, Array2};
/// use course::generative::sde::{probability_flow, Sde};
/// // VE with N(0, 1) data: q_t = N(0, 1 + s(t)²) and the flow is x·√(var_t/var_1)
/// let sde = Sde::ve(0.01, 5.0);
/// let score = |x: &Array2<f64>, t: f64| -x / (1.0 + sde.marginal_std(t).powi(2));
/// let y = probability_flow(&sde, &score, array![[1.0]], 1.0, 0.0, 200);
/// assert!((y[[0, 0]] - (1.0 / (1.0 + sde.marginal_std(1.0).powi(2))).sqrt()).abs() < 1e-4);
/// ```
pub fn probability_flow(sde: &Sde, score: ScoreFn, x: Array2<f64>, t_from: f64, t_to: f64, n_steps: usize) -> Array2<f64> {
    check_times(t_from, t_to, n_steps);
    let h = (t_to - t_from) / n_steps as f64;
    let mut x = x;
    for k in 0..n_steps {
        let t = t_from + k as f64 * h;
        let t_next = if k + 1 == n_steps { t_to } else { t + h };
        let d1 = pf_ode_drift(sde, score, &x, t);
        let pred = &x + &(&d1 * h);
        let d2 = pf_ode_drift(sde, score, &pred, t_next);
        x = x + (d1 + d2) * (0.5 * h);
    }
    x
}

/// The reverse-time SDE simulated by Euler–Maruyama from `t_from` down to `t_to < t_from` on `n_steps` steps.
///
/// # Panics
/// If a time is not in $[0, 1]$, `t_to >= t_from`, `n_steps == 0` or the score has the wrong shape.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// use course::generative::sde::{reverse_sde, Sde};
/// // VP with N(0, 1) data: every q_t is N(0, 1), and so is the reverse process
/// let sde = Sde::vp(0.1, 20.0);
/// let mut rng = course::rng::seeded(0);
/// let x1 = sde.sample_prior(10_000, 1, &mut rng);
/// let x0 = reverse_sde(&sde, &|x: &Array2<f64>, _t: f64| -x, x1, 1.0, 1e-3, 200, &mut rng);
/// // var 1 ± 4 s.e. (√(2/n) ≈ 0.014) + Euler–Maruyama bias
/// assert!((x0.var(1.0) - 1.0).abs() < 0.08);
/// ```
pub fn reverse_sde(
    sde: &Sde,
    score: ScoreFn,
    x: Array2<f64>,
    t_from: f64,
    t_to: f64,
    n_steps: usize,
    rng: &mut impl Rng,
) -> Array2<f64> {
    check_times(t_from, t_to, n_steps);
    assert!(t_to < t_from, "reverse_sde runs backwards: need t_to < t_from, got {t_to} >= {t_from}");
    let dt = (t_from - t_to) / n_steps as f64;
    let mut x = x;
    for k in 0..n_steps {
        let t = t_from - k as f64 * dt;
        let s = score(&x, t);
        assert_eq!(s.dim(), x.dim(), "score must return an array of the input's shape (at t = {t})");
        let g = sde.diffusion(t);
        let z = Array2::from_shape_simple_fn(x.dim(), || Distribution::<f64>::sample(&StandardNormal, rng));
        // x_{t-dt} = x_t - [f x - g² s] dt + g √dt z
        x = &x - &((sde.drift(&x, t) - s * (g * g)) * dt) + z * (g * dt.sqrt());
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::array;

    fn data() -> GaussianMixture {
        GaussianMixture::new(vec![0.4, 0.6], array![[-1.0, 1.0], [1.5, 0.0]], array![[0.3, 0.2], [0.2, 0.5]])
    }

    #[test]
    fn marginal_moments_solve_the_moment_odes() {
        // m' = f m, v' = 2 f v + g², integrated by RK4 independently of the closed forms
        for sde in [Sde::vp(0.1, 20.0), Sde::ve(0.01, 10.0)] {
            let n = 2000;
            let h = 1.0 / n as f64;
            let (mut m, mut v) = (1.0f64, 0.0f64);
            let rhs = |t: f64, m: f64, v: f64| {
                let (f, g) = (sde.drift_coefficient(t), sde.diffusion(t));
                (f * m, 2.0 * f * v + g * g)
            };
            for k in 0..n {
                let t = k as f64 * h;
                let k1 = rhs(t, m, v);
                let k2 = rhs(t + h / 2.0, m + h / 2.0 * k1.0, v + h / 2.0 * k1.1);
                let k3 = rhs(t + h / 2.0, m + h / 2.0 * k2.0, v + h / 2.0 * k2.1);
                let k4 = rhs((t + h).min(1.0), m + h * k3.0, v + h * k3.1);
                m += h / 6.0 * (k1.0 + 2.0 * k2.0 + 2.0 * k3.0 + k4.0);
                v += h / 6.0 * (k1.1 + 2.0 * k2.1 + 2.0 * k3.1 + k4.1);
                let t1 = ((k + 1) as f64 * h).min(1.0);
                assert!((m - sde.marginal_scale(t1)).abs() < 1e-9, "{sde:?} t {t1}");
                assert!((v - sde.marginal_std(t1).powi(2)).abs() < 1e-8 * (1.0 + v), "{sde:?} t {t1}");
            }
        }
    }

    #[test]
    fn probability_flow_pushes_the_prior_to_the_data() {
        let g = data();
        let sde = Sde::vp(0.1, 20.0);
        let score = |x: &Array2<f64>, t: f64| sde.mixture_score(&g, x, t);
        let t_eps = 1e-3;
        for seed in 0..3 {
            let x1 = sde.sample_prior(20_000, 2, &mut seeded(seed));
            let x = probability_flow(&sde, &score, x1, 1.0, t_eps, 200);
            let z = sde.mixture_marginal(&g, t_eps).moment_z_score(&x);
            assert!(z < 4.0, "seed {seed}: worst z-score {z}");
        }
    }

    #[test]
    fn probability_flow_preserves_intermediate_marginals() {
        let g = data();
        for sde in [Sde::vp(0.1, 20.0), Sde::ve(0.01, 10.0)] {
            let score = |x: &Array2<f64>, t: f64| sde.mixture_score(&g, x, t);
            let x1 = sde.mixture_marginal(&g, 1.0).sample(20_000, &mut seeded(7));
            let mut x = x1;
            let mut t = 1.0;
            for t_next in [0.7, 0.4, 0.1] {
                x = probability_flow(&sde, &score, x, t, t_next, 100);
                t = t_next;
                let z = sde.mixture_marginal(&g, t).moment_z_score(&x);
                assert!(z < 4.0, "{sde:?} at t = {t}: worst z-score {z}");
            }
        }
    }

    #[test]
    fn reverse_sde_reproduces_the_data() {
        let g = data();
        for (sde, seed) in [(Sde::vp(0.1, 20.0), 0), (Sde::vp(0.1, 20.0), 1), (Sde::ve(0.01, 10.0), 2)] {
            let score = |x: &Array2<f64>, t: f64| sde.mixture_score(&g, x, t);
            let mut rng = seeded(seed);
            let x1 = sde.mixture_marginal(&g, 1.0).sample(20_000, &mut rng);
            let t_eps = 1e-3;
            let x = reverse_sde(&sde, &score, x1, 1.0, t_eps, 1000, &mut rng);
            let z = sde.mixture_marginal(&g, t_eps).moment_z_score(&x);
            assert!(z < 4.0, "{sde:?} seed {seed}: worst z-score {z}");
        }
    }

    #[test]
    #[should_panic(expected = "t must be in [0, 1]")]
    fn time_out_of_range_panics() {
        Sde::vp(0.1, 20.0).diffusion(1.5);
    }
}
