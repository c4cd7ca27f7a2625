//! Populations to sample from, and the sample mean $\bar X_n = \frac1n\sum_{i=1}^n X_i$
//! replicated many times.
//!
//! $$\mathbb E\bar X_n = \mu,\qquad \operatorname{Var}\bar X_n = \frac{\sigma^2}{n}$$
//!
//! ## Reference
//! R. Vershynin, *High-Dimensional Probability* (2018), ch. 1–2; W. Feller, *An Introduction to
//! Probability Theory*, vol. I, ch. IX.
//!
//! Used in notebooks/12-probability-and-concentration.ipynb.

use rand::{Rng, RngExt};

/// A distribution on $\mathbb R$ with known moments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Population {
    /// $\Pr(X = 1) = p$, $\Pr(X = 0) = 1 - p$.
    Bernoulli { p: f64 },
    /// Uniform on $[\text{low}, \text{high})$.
    Uniform { low: f64, high: f64 },
    /// Exponential with density $\lambda e^{-\lambda x}$ on $x \ge 0$.
    Exponential { rate: f64 },
}

impl Population {
    fn validate(&self) {
        match *self {
            Population::Bernoulli { p } => assert!((0.0..=1.0).contains(&p), "Bernoulli: p must be in [0, 1], got {p}"),
            Population::Uniform { low, high } => {
                assert!(low.is_finite() && high.is_finite() && low < high, "Uniform: need finite low < high, got ({low}, {high})")
            }
            Population::Exponential { rate } => assert!(rate > 0.0 && rate.is_finite(), "Exponential: rate must be > 0, got {rate}"),
        }
    }

    /// $\mu = \mathbb E X$.
    ///
    /// # Examples
    /// ```
    /// use course::probability::Population;
    /// assert_eq!(Population::Uniform { low: 0.0, high: 2.0 }.mean(), 1.0);
    /// ```
    pub fn mean(&self) -> f64 {
        match *self {
            Population::Bernoulli { p } => p,
            Population::Uniform { low, high } => 0.5 * (low + high),
            Population::Exponential { rate } => 1.0 / rate,
        }
    }

    /// $\sigma^2 = \operatorname{Var} X$.
    ///
    /// # Examples
    /// ```
    /// use course::probability::Population;
    /// assert_eq!(Population::Bernoulli { p: 0.5 }.variance(), 0.25);
    /// ```
    pub fn variance(&self) -> f64 {
        match *self {
            Population::Bernoulli { p } => p * (1.0 - p),
            Population::Uniform { low, high } => (high - low).powi(2) / 12.0,
            Population::Exponential { rate } => 1.0 / (rate * rate),
        }
    }

    /// $\rho = \mathbb E|X - \mu|^3$ (Berry–Esseen's constant needs it).
    ///
    /// # Examples
    /// ```
    /// use course::probability::Population;
    /// // Bernoulli(1/2): |X − 1/2| = 1/2 always.
    /// assert_eq!(Population::Bernoulli { p: 0.5 }.third_abs_moment(), 0.125);
    /// ```
    pub fn third_abs_moment(&self) -> f64 {
        match *self {
            Population::Bernoulli { p } => p * (1.0 - p) * (p * p + (1.0 - p) * (1.0 - p)),
            Population::Uniform { low, high } => (high - low).powi(3) / 32.0,
            Population::Exponential { rate } => (12.0 / std::f64::consts::E - 2.0) / rate.powi(3),
        }
    }

    /// The support's end points $[a, b]$ if bounded (Hoeffding needs them).
    ///
    /// # Examples
    /// ```
    /// use course::probability::Population;
    /// assert_eq!(Population::Bernoulli { p: 0.3 }.range(), Some((0.0, 1.0)));
    /// assert_eq!(Population::Exponential { rate: 1.0 }.range(), None);
    /// ```
    pub fn range(&self) -> Option<(f64, f64)> {
        match *self {
            Population::Bernoulli { .. } => Some((0.0, 1.0)),
            Population::Uniform { low, high } => Some((low, high)),
            Population::Exponential { .. } => None,
        }
    }

    /// One draw.
    ///
    /// # Panics
    /// If the parameters are invalid (`p` outside `[0, 1]`, `low >= high`, `rate <= 0`).
    ///
    /// # Examples
    /// ```
    /// use course::probability::Population;
    /// let x = Population::Exponential { rate: 2.0 }.sample(&mut course::rng::seeded(0));
    /// assert!(x >= 0.0);
    /// ```
    pub fn sample(&self, rng: &mut impl Rng) -> f64 {
        self.validate();
        self.draw(rng)
    }

    fn draw(&self, rng: &mut impl Rng) -> f64 {
        let u: f64 = rng.random();
        match *self {
            Population::Bernoulli { p } => {
                if u < p {
                    1.0
                } else {
                    0.0
                }
            }
            Population::Uniform { low, high } => low + (high - low) * u,
            Population::Exponential { rate } => -(1.0 - u).ln() / rate,
        }
    }

    /// `n_samples` independent draws.
    ///
    /// # Examples
    /// ```
    /// use course::probability::Population;
    /// let xs = Population::Uniform { low: -1.0, high: 1.0 }.samples(10, &mut course::rng::seeded(1));
    /// assert_eq!(xs.len(), 10);
    /// ```
    pub fn samples(&self, n_samples: usize, rng: &mut impl Rng) -> Vec<f64> {
        self.validate();
        (0..n_samples).map(|_| self.draw(rng)).collect()
    }
}

/// `n_reps` independent sample means $\bar X_n$, each of `n` draws from `pop`.
///
/// # Panics
/// If `n == 0` or the population's parameters are invalid.
///
/// # Examples
/// ```
/// use course::probability::{Population, sample_means};
/// let pop = Population::Bernoulli { p: 0.3 };
/// let m = sample_means(pop, 50, 10_000, &mut course::rng::seeded(2));
/// let grand = m.iter().sum::<f64>() / m.len() as f64;
/// // standard error of the grand mean: sqrt(0.21 / 500 000) ≈ 6.5e-4
/// assert!((grand - 0.3).abs() < 4.0 * 6.5e-4);
/// ```
pub fn sample_means(pop: Population, n: usize, n_reps: usize, rng: &mut impl Rng) -> Vec<f64> {
    assert!(n > 0, "sample_means: n must be > 0");
    pop.validate();
    (0..n_reps).map(|_| (0..n).map(|_| pop.draw(rng)).sum::<f64>() / n as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn moments_match_the_closed_forms_by_simulation() {
        // 4 standard errors on the mean and on the variance (se of s² ≈ sqrt((μ4 − σ⁴)/n)).
        let n = 200_000;
        for pop in [Population::Bernoulli { p: 0.2 }, Population::Uniform { low: -1.0, high: 3.0 }, Population::Exponential { rate: 2.0 }] {
            let xs = pop.samples(n, &mut seeded(7));
            let m = crate::stats::mean(&xs);
            let v = crate::stats::variance(&xs);
            let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n as f64;
            assert!((m - pop.mean()).abs() < 4.0 * (pop.variance() / n as f64).sqrt(), "{pop:?} mean {m}");
            assert!((v - pop.variance()).abs() < 4.0 * ((m4 - v * v) / n as f64).sqrt(), "{pop:?} var {v}");
        }
    }

    #[test]
    fn third_absolute_moments_match_quadrature() {
        // Midpoint rule with 10⁶ cells on the density (exponential truncated at 40/rate).
        let quad = |f: &dyn Fn(f64) -> f64, a: f64, b: f64| {
            let n = 1_000_000;
            let h = (b - a) / n as f64;
            (0..n).map(|i| f(a + (i as f64 + 0.5) * h)).sum::<f64>() * h
        };
        let e = Population::Exponential { rate: 1.5 };
        let rho = quad(&|x| (x - e.mean()).abs().powi(3) * 1.5 * (-1.5 * x).exp(), 0.0, 40.0);
        assert!((rho - e.third_abs_moment()).abs() < 1e-6, "{rho} vs {}", e.third_abs_moment());
        let u = Population::Uniform { low: -1.0, high: 2.0 };
        let rho = quad(&|x| (x - 0.5f64).abs().powi(3) / 3.0, -1.0, 2.0);
        assert!((rho - u.third_abs_moment()).abs() < 1e-9);
        let b = Population::Bernoulli { p: 0.3 };
        let direct = 0.3 * 0.7f64.powi(3) + 0.7 * 0.3f64.powi(3);
        assert!((direct - b.third_abs_moment()).abs() < 1e-15);
    }

    #[test]
    #[should_panic(expected = "p must be in [0, 1], got 1.5")]
    fn rejects_bad_p() {
        sample_means(Population::Bernoulli { p: 1.5 }, 3, 3, &mut seeded(0));
    }
}
