//! Importance sampling: estimate $\mathbb E_p f$ with draws from another density $q$.
//!
//! With $x_i\sim q$ and weights $w_i = p(x_i)/q(x_i)$,
//! $$\hat\mu_{\text{IS}} = \frac1n\sum_i w_if(x_i),\qquad
//! \operatorname{Var}\hat\mu_{\text{IS}} = \frac1n\Big(\int\frac{p^2f^2}{q}-\mu^2\Big),$$
//! unbiased, with a variance that is small when $q\propto p|f|$ and huge (or infinite) when $q$
//! misses where $pf$ lives. If $p$ is known only up to a constant, the **self-normalized**
//! estimator $\sum_iw_if(x_i)/\sum_iw_i$ is consistent (biased at $O(1/n)$), and the
//! **effective sample size** of the weights, $(\sum w_i)^2/\sum w_i^2\in[1,n]$, says how many
//! draws effectively count.
//!
//! ## Reference
//! A. Owen, *Monte Carlo theory, methods and examples* (2013), ch. 9; Robert & Casella,
//! *Monte Carlo Statistical Methods*, §3.3.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Draws $x_i\sim\mathcal N(\mu,\sigma^2)$ and their log weights $\log p(x_i)-\log q(x_i)$.
#[derive(Clone, Debug)]
pub struct ImportanceSample {
    /// The draws from the proposal.
    pub xs: Vec<f64>,
    /// $\log w_i$ ($p$ may be unnormalized: the weights are then known up to a constant).
    pub log_w: Vec<f64>,
}

/// `n_samples` draws from the Gaussian proposal $\mathcal N(\mu,\sigma^2)$ (`mu`, `sigma`) with
/// weights for the target `log_target`.
///
/// # Panics
/// If `sigma <= 0` or `n_samples == 0`.
///
/// # Examples
/// ```
/// fn log_std_normal(x: f64) -> f64 { -0.5 * x * x - 0.5 * (2.0 * std::f64::consts::PI).ln() }
/// let s = course::sampling::importance_sample(log_std_normal, 0.0, 1.0, 10, &mut course::rng::seeded(0));
/// assert!(s.log_w.iter().all(|w| w.abs() < 1e-12)); // q = p: every weight is 1
/// ```
pub fn importance_sample(log_target: impl Fn(f64) -> f64, mu: f64, sigma: f64, n_samples: usize, rng: &mut impl Rng) -> ImportanceSample {
    assert!(sigma > 0.0 && sigma.is_finite(), "sigma must be > 0, got {sigma}");
    assert!(n_samples > 0, "n_samples must be > 0, got 0");
    let log_norm = -sigma.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
    let mut xs = Vec::with_capacity(n_samples);
    let mut log_w = Vec::with_capacity(n_samples);
    for _ in 0..n_samples {
        let z: f64 = StandardNormal.sample(rng);
        let x = mu + sigma * z;
        xs.push(x);
        log_w.push(log_target(x) - (log_norm - 0.5 * z * z));
    }
    ImportanceSample { xs, log_w }
}

impl ImportanceSample {
    /// The terms $w_if(x_i)$ whose mean is the plain estimator (and whose sample variance
    /// estimates $n\operatorname{Var}\hat\mu_{\text{IS}}$).
    ///
    /// # Examples
    /// ```
    /// use course::sampling::ImportanceSample;
    /// let s = ImportanceSample { xs: vec![1.0, 2.0], log_w: vec![0.0, 2f64.ln()] };
    /// assert_eq!(s.weighted_values(|x| x), vec![1.0, 4.0]);
    /// ```
    pub fn weighted_values(&self, f: impl Fn(f64) -> f64) -> Vec<f64> {
        self.xs.iter().zip(&self.log_w).map(|(&x, &lw)| lw.exp() * f(x)).collect()
    }

    /// The plain estimator $\frac1n\sum_iw_if(x_i)$ (needs a normalized target).
    ///
    /// # Examples
    /// ```
    /// use course::sampling::ImportanceSample;
    /// let s = ImportanceSample { xs: vec![1.0, 2.0], log_w: vec![0.0, 2f64.ln()] };
    /// assert_eq!(s.plain_estimate(|x| x), 2.5);
    /// ```
    pub fn plain_estimate(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.weighted_values(f).iter().sum::<f64>() / self.xs.len() as f64
    }

    /// The self-normalized estimator $\sum_iw_if(x_i)/\sum_iw_i$ (any normalizing constant of the
    /// target cancels; computed with the largest log weight factored out).
    ///
    /// # Examples
    /// ```
    /// use course::sampling::ImportanceSample;
    /// let s = ImportanceSample { xs: vec![1.0, 2.0], log_w: vec![1000.0, 1000.0 + 3f64.ln()] };
    /// assert!((s.self_normalized_estimate(|x| x) - 1.75).abs() < 1e-12); // (1 + 3·2)/4
    /// ```
    pub fn self_normalized_estimate(&self, f: impl Fn(f64) -> f64) -> f64 {
        let m = self.log_w.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let (mut num, mut den) = (0.0, 0.0);
        for (&x, &lw) in self.xs.iter().zip(&self.log_w) {
            let w = (lw - m).exp();
            num += w * f(x);
            den += w;
        }
        num / den
    }

    /// The effective sample size of the weights, $(\sum_iw_i)^2/\sum_iw_i^2$.
    ///
    /// # Examples
    /// ```
    /// use course::sampling::ImportanceSample;
    /// let even = ImportanceSample { xs: vec![0.0; 4], log_w: vec![0.5; 4] };
    /// assert!((even.weight_ess() - 4.0).abs() < 1e-12);
    /// let one = ImportanceSample { xs: vec![0.0; 4], log_w: vec![0.0, -800.0, -800.0, -800.0] };
    /// assert!((one.weight_ess() - 1.0).abs() < 1e-12);
    /// ```
    pub fn weight_ess(&self) -> f64 {
        weight_ess(&self.log_w)
    }
}

/// $(\sum_iw_i)^2/\sum_iw_i^2$ from log weights (scale-free: a constant in $\log w$ cancels).
///
/// # Panics
/// If `log_w` is empty or holds no finite value.
///
/// # Examples
/// ```
/// assert!((course::sampling::weight_ess(&[0.0, 0.0, 2f64.ln()]) - 16.0 / 6.0).abs() < 1e-12);
/// ```
pub fn weight_ess(log_w: &[f64]) -> f64 {
    assert!(!log_w.is_empty(), "log_w must not be empty");
    let m = log_w.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    assert!(m.is_finite(), "log_w must hold a finite value");
    let (s1, s2) = log_w.iter().fold((0.0, 0.0), |(a, b), &lw| {
        let w = (lw - m).exp();
        (a + w, b + w * w)
    });
    s1 * s1 / s2
}

/// The standard normal upper tail $\bar\Phi(x)=P(Z>x)$, to relative accuracy about 1e-12 for
/// $x\in[-8, 30]$ (composite Simpson on the density, far enough into the tail).
///
/// # Examples
/// ```
/// use course::sampling::normal_tail;
/// assert!((normal_tail(0.0) - 0.5).abs() < 1e-14);
/// assert!((normal_tail(3.0) / 1.3498980316300946e-3 - 1.0).abs() < 1e-11);
/// ```
pub fn normal_tail(x: f64) -> f64 {
    if x < 0.0 {
        return 1.0 - normal_tail(-x);
    }
    // ∫_x^{x+L} φ, with L large enough that the rest is below 1e-16 relative.
    let len = 40.0 / (1.0 + x).min(40.0) + 2.0;
    let n = 20_000usize;
    let h = len / n as f64;
    let phi = |t: f64| (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut s = phi(x) + phi(x + len);
    for k in 1..n {
        s += if k % 2 == 1 { 4.0 } else { 2.0 } * phi(x + k as f64 * h);
    }
    s * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn normal_tail_matches_tabulated_values() {
        // Values of erfc(x/√2)/2 from Abramowitz & Stegun / mpmath.
        for (x, v) in [(1.0, 0.15865525393145707), (1.959963984540054, 0.025), (6.0, 9.865876450376946e-10), (-2.0, 0.9772498680518208)] {
            assert!((normal_tail(x) / v - 1.0).abs() < 1e-11, "x = {x}: {} vs {v}", normal_tail(x));
        }
        // Mills ratio: Φ̄(x) ~ φ(x)/x (1 − 1/x² + 3/x⁴) at x = 20.
        let x: f64 = 20.0;
        let mills = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() / x * (1.0 - 1.0 / (x * x) + 3.0 / x.powi(4));
        assert!((normal_tail(x) / mills - 1.0).abs() < 1e-6);
    }

    /// Tail probability P(Z > 3) with proposal N(μ, 1): E_q[w²f] = e^{μ²} Φ̄(3 + μ).
    #[test]
    fn variance_formula_matches_empirical_variance_over_seeds() {
        fn lp(x: f64) -> f64 {
            -0.5 * x * x - 0.5 * (2.0 * std::f64::consts::PI).ln()
        }
        let p = normal_tail(3.0);
        for &mu in &[3.0f64, -0.5] {
            let exact = (mu * mu).exp() * normal_tail(3.0 + mu) - p * p;
            for seed in 0..6 {
                let s = importance_sample(lp, mu, 1.0, 1_000_000, &mut seeded(seed));
                let v = s.weighted_values(|x| if x > 3.0 { 1.0 } else { 0.0 });
                let n = v.len() as f64;
                let m = v.iter().sum::<f64>() / n;
                let var = v.iter().map(|t| (t - m).powi(2)).sum::<f64>() / (n - 1.0);
                let m4 = v.iter().map(|t| (t - m).powi(4)).sum::<f64>() / n;
                let se_var = ((m4 - var * var) / n).sqrt();
                assert!((var - exact).abs() < 4.0 * se_var, "mu {mu} seed {seed}: {var} ± {se_var} vs {exact}");
                assert!((m - p).abs() < 4.0 * (exact / n).sqrt(), "mu {mu}: mean {m} vs {p}");
            }
        }
    }

    #[test]
    fn self_normalized_estimator_ignores_the_constant() {
        fn unnormalized(x: f64) -> f64 {
            -0.5 * (x - 1.0) * (x - 1.0) + 123.0
        }
        let s = importance_sample(unnormalized, 0.0, 2.0, 200_000, &mut seeded(3));
        let est = s.self_normalized_estimate(|x| x);
        assert!((est - 1.0).abs() < 0.02, "{est}"); // E x = 1 under N(1, 1)
        assert!(s.weight_ess() > 0.4 * 200_000.0);
    }
}
