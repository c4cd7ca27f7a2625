//! The KL divergence from a diagonal Gaussian to the standard normal: the VAE's regularizer.
//!
//! For $q = \mathcal N(\mu, \operatorname{diag}\sigma^2)$ in $\mathbb R^k$ and $p = \mathcal N(0, I)$,
//! the divergence splits over coordinates and each term is a Gaussian integral:
//! $$\mathrm{KL}(q\,\|\,p) = \frac12\sum_{j=1}^k\big(\mu_j^2 + \sigma_j^2 - 1 - \log\sigma_j^2\big).$$
//! It is $\ge 0$, zero only at $\mu = 0$, $\sigma = 1$; the encoder outputs $\log\sigma^2$ so that
//! the variance stays positive without a constraint.
//!
//! ## Reference
//! D. P. Kingma & M. Welling (2014), *Auto-encoding variational Bayes*, Appendix B.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb.

use ndarray::Array2;

/// $\mathrm{KL}(\mathcal N(\mu, \operatorname{diag} e^{\text{logvar}})\,\|\,\mathcal N(0, I))$ in nats.
///
/// # Panics
/// If `mu` and `logvar` have different lengths.
///
/// # Examples
/// ```
/// use course::generative::vae::kl_to_standard_normal;
/// assert_eq!(kl_to_standard_normal(&[0.0, 0.0], &[0.0, 0.0]), 0.0);
/// // μ = 1, σ² = 1: ½ μ² = 0.5.
/// assert!((kl_to_standard_normal(&[1.0], &[0.0]) - 0.5).abs() < 1e-15);
/// ```
pub fn kl_to_standard_normal(mu: &[f64], logvar: &[f64]) -> f64 {
    assert_eq!(mu.len(), logvar.len(), "kl_to_standard_normal: mu and logvar must have the same length, got {} and {}", mu.len(), logvar.len());
    0.5 * mu.iter().zip(logvar).map(|(m, lv)| m * m + lv.exp() - 1.0 - lv).sum::<f64>()
}

/// [`kl_to_standard_normal`] for every row of `mu` and `logvar` (one encoded example per row).
///
/// # Panics
/// If the shapes differ.
///
/// # Examples
/// ```
/// use course::generative::vae::kl_to_standard_normal_rows;
/// use ndarray::array;
/// let kl = kl_to_standard_normal_rows(&array![[0.0], [2.0]], &array![[0.0], [0.0]]);
/// assert_eq!(kl, vec![0.0, 2.0]);
/// ```
pub fn kl_to_standard_normal_rows(mu: &Array2<f64>, logvar: &Array2<f64>) -> Vec<f64> {
    assert_eq!(mu.dim(), logvar.dim(), "kl_to_standard_normal_rows: mu and logvar must have the same shape");
    mu.rows()
        .into_iter()
        .zip(logvar.rows())
        .map(|(m, lv)| kl_to_standard_normal(&m.to_vec(), &lv.to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};

    /// ∫ q ln(q/p) by the trapezoid rule on μ ± 14σ (an independent route to the closed form).
    fn kl_quadrature_1d(mu: f64, sigma: f64) -> f64 {
        let ln_n = |x: f64, m: f64, s: f64| -0.5 * ((x - m) / s).powi(2) - s.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
        let n = 20001;
        let (a, b) = (mu - 14.0 * sigma, mu + 14.0 * sigma);
        let h = (b - a) / (n - 1) as f64;
        (0..n)
            .map(|i| {
                let x = a + i as f64 * h;
                let w = if i == 0 || i == n - 1 { 0.5 } else { 1.0 };
                w * ln_n(x, mu, sigma).exp() * (ln_n(x, mu, sigma) - ln_n(x, 0.0, 1.0))
            })
            .sum::<f64>()
            * h
    }

    #[test]
    fn closed_form_matches_quadrature_coordinatewise() {
        let mus = [0.3, -1.7, 2.5];
        let sigmas = [0.2, 1.0, 3.0];
        let logvar: Vec<f64> = sigmas.iter().map(|s: &f64| (s * s).ln()).collect();
        let quad: f64 = mus.iter().zip(&sigmas).map(|(&m, &s)| kl_quadrature_1d(m, s)).sum();
        assert!((kl_to_standard_normal(&mus, &logvar) - quad).abs() < 1e-9);
    }

    #[test]
    fn closed_form_matches_monte_carlo_within_4_standard_errors() {
        let (mu, sigma) = ([0.5, -1.0], [0.7, 1.5]);
        let logvar = [(0.49f64).ln(), (2.25f64).ln()];
        let mut r = seeded(3);
        let n = 200_000;
        let e = normal_vec(&mut r, 2 * n);
        let vals: Vec<f64> = (0..n)
            .map(|i| {
                (0..2)
                    .map(|j| {
                        let z = mu[j] + sigma[j] * e[2 * i + j];
                        // ln q − ln p for one coordinate.
                        -0.5 * e[2 * i + j].powi(2) - sigma[j].ln() + 0.5 * z * z
                    })
                    .sum::<f64>()
            })
            .collect();
        let m = vals.iter().sum::<f64>() / n as f64;
        let sd = (vals.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        assert!((m - kl_to_standard_normal(&mu, &logvar)).abs() < 4.0 * sd / (n as f64).sqrt());
    }

    #[test]
    fn is_nonnegative_and_zero_only_at_the_prior() {
        let mut r = seeded(1);
        for _ in 0..100 {
            let v = normal_vec(&mut r, 6);
            assert!(kl_to_standard_normal(&v[..3], &v[3..]) > 0.0);
        }
        assert_eq!(kl_to_standard_normal(&[0.0; 4], &[0.0; 4]), 0.0);
    }

    #[test]
    #[should_panic(expected = "same length")]
    fn mismatched_lengths_panic() {
        kl_to_standard_normal(&[0.0], &[0.0, 1.0]);
    }
}
