//! Pearson's chi-square statistic: do samples follow given bin probabilities?
//!
//! $$X^2 = \sum_{k=1}^K \frac{(O_k - m p_k)^2}{m p_k},\qquad X^2 \approx \chi^2_{K-1},\
//! \mathbb E X^2 = K-1,\ \operatorname{sd} X^2 = \sqrt{2(K-1)} .$$
//!
//! Samples outside the edges fall in one extra bin with probability $1-\sum_k p_k$ (when that is
//! positive), so a histogram check cannot hide mass in the tails.
//!
//! ## Reference
//! K. Pearson (1900); A. W. van der Vaart, *Asymptotic Statistics* (1998), §17.1.
//!
//! Used in notebooks/12-probability-and-concentration.ipynb and
//! notebooks/14-stochastic-processes-and-sdes.ipynb.

/// A chi-square statistic with its degrees of freedom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChiSquare {
    /// $X^2$.
    pub statistic: f64,
    /// $K - 1$.
    pub dof: usize,
}

impl ChiSquare {
    /// The threshold $K-1 + 4\sqrt{2(K-1)}$: four standard deviations above the mean of
    /// $\chi^2_{K-1}$ (exceeded with probability below 0.5 % for 10 ≤ K ≤ 100).
    ///
    /// # Examples
    /// ```
    /// let c = course::probability::ChiSquare { statistic: 30.0, dof: 32 };
    /// assert_eq!(c.four_sd_threshold(), 64.0);
    /// ```
    pub fn four_sd_threshold(&self) -> f64 {
        self.dof as f64 + 4.0 * (2.0 * self.dof as f64).sqrt()
    }
}

/// $X^2$ of `samples` against the bins `[edges[k], edges[k+1])` with probabilities `probs[k]`.
///
/// # Panics
/// If `edges.len() != probs.len() + 1`, edges are not increasing, a probability is not > 0,
/// the probabilities sum to more than 1 + 1e-9, or `samples` is empty.
///
/// # Examples
/// ```
/// use course::probability::chi_square;
/// // 4 samples, 2 equally likely bins, 2 in each: a perfect fit.
/// let c = chi_square(&[0.1, 0.2, 0.6, 0.7], &[0.0, 0.5, 1.0], &[0.5, 0.5]);
/// assert_eq!((c.statistic, c.dof), (0.0, 1));
/// ```
pub fn chi_square(samples: &[f64], edges: &[f64], probs: &[f64]) -> ChiSquare {
    assert_eq!(edges.len(), probs.len() + 1, "chi_square: need one more edge than probabilities, got {} edges and {} probabilities", edges.len(), probs.len());
    assert!(edges.windows(2).all(|w| w[0] < w[1]), "chi_square: edges must be increasing");
    assert!(probs.iter().all(|&p| p > 0.0), "chi_square: every probability must be > 0");
    let total: f64 = probs.iter().sum();
    assert!(total <= 1.0 + 1e-9, "chi_square: probabilities must sum to <= 1, got {total}");
    assert!(!samples.is_empty(), "chi_square: samples must not be empty");
    let k = probs.len();
    let mut counts = vec![0usize; k + 1];
    let (lo, hi) = (edges[0], edges[k]);
    let width_guess = (hi - lo) / k as f64;
    for &s in samples {
        if !(s >= lo && s < hi) {
            counts[k] += 1;
            continue;
        }
        // a first guess for equal widths, then correct by scanning
        let mut j = (((s - lo) / width_guess) as usize).min(k - 1);
        while s < edges[j] {
            j -= 1;
        }
        while s >= edges[j + 1] {
            j += 1;
        }
        counts[j] += 1;
    }
    let m = samples.len() as f64;
    let mut stat: f64 = probs.iter().zip(&counts).map(|(p, &c)| (c as f64 - m * p).powi(2) / (m * p)).sum();
    let rest = 1.0 - total;
    let mut dof = k - 1;
    if rest > 1e-12 {
        stat += (counts[k] as f64 - m * rest).powi(2) / (m * rest);
        dof += 1;
    } else if counts[k] > 0 {
        stat = f64::INFINITY; // mass where the model puts none
    }
    ChiSquare { statistic: stat, dof }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probability::normal_cdf;
    use crate::rng::{normal_vec, seeded};

    #[test]
    fn normal_samples_pass_against_normal_bins_on_many_seeds() {
        let edges = crate::linspace(-3.0, 3.0, 31);
        let probs: Vec<f64> = edges.windows(2).map(|w| normal_cdf(w[1]) - normal_cdf(w[0])).collect();
        for seed in 0..10 {
            let z = normal_vec(&mut seeded(seed), 50_000);
            let c = chi_square(&z, &edges, &probs);
            assert_eq!(c.dof, 30);
            assert!(c.statistic < c.four_sd_threshold(), "seed {seed}: {c:?}");
        }
    }

    #[test]
    fn a_shifted_sample_fails() {
        let edges = crate::linspace(-3.0, 3.0, 31);
        let probs: Vec<f64> = edges.windows(2).map(|w| normal_cdf(w[1]) - normal_cdf(w[0])).collect();
        let z: Vec<f64> = normal_vec(&mut seeded(1), 50_000).iter().map(|v| v + 0.1).collect();
        let c = chi_square(&z, &edges, &probs);
        assert!(c.statistic > 3.0 * c.four_sd_threshold(), "{c:?}");
    }
}
