//! The evidence lower bound (ELBO) and its gap, for the conjugate normal-mean model.
//!
//! For any density $q(z)$:
//! $$\ln p(x) = \underbrace{\mathbb E_q[\ln p(x,z) - \ln q(z)]}_{\mathrm{ELBO}(q)} + \mathrm{KL}\big(q\,\|\,p(\cdot\mid x)\big)
//!   \ \ge\ \mathrm{ELBO}(q).$$
//! Model: $\mu\sim\mathcal N(\mu_0, v_0)$, $x_i\mid\mu\sim\mathcal N(\mu,\sigma^2)$; with
//! $q = \mathcal N(m, s^2)$ every term is closed form:
//! $$\mathrm{ELBO} = -\tfrac n2\ln2\pi\sigma^2 - \frac{\sum_i(x_i-m)^2 + ns^2}{2\sigma^2}
//!   - \tfrac12\ln2\pi v_0 - \frac{(m-\mu_0)^2+s^2}{2v_0} + \tfrac12\ln(2\pi e s^2).$$
//!
//! ## Reference
//! D. Blei, A. Kucukelbir & J. McAuliffe (2017), *Variational inference: a review for
//! statisticians*, §2; Bishop, *PRML* §10.1.
//!
//! Used in notebooks/18-variational-inference.ipynb.

use super::normal_normal_posterior;

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// The conjugate model $\mu\sim\mathcal N(\mu_0,v_0)$, $x_i\mid\mu\sim\mathcal N(\mu,\sigma^2)$.
///
/// # Examples
/// ```
/// let model = course::inference::NormalMeanModel::new(0.0, 1.0, 1.0);
/// let (m, v) = model.posterior(&[2.0]);
/// assert_eq!((m, v), (1.0, 0.5));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NormalMeanModel {
    /// Prior mean $\mu_0$.
    pub mu0: f64,
    /// Prior variance $v_0$.
    pub var0: f64,
    /// Noise variance $\sigma^2$.
    pub noise_var: f64,
}

impl NormalMeanModel {
    /// # Panics
    /// If `var0 <= 0` or `noise_var <= 0`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::inference::NormalMeanModel::new(1.0, 2.0, 3.0).var0, 2.0);
    /// ```
    pub fn new(mu0: f64, var0: f64, noise_var: f64) -> Self {
        assert!(var0 > 0.0, "NormalMeanModel: var0 must be > 0, got {var0}");
        assert!(noise_var > 0.0, "NormalMeanModel: noise_var must be > 0, got {noise_var}");
        NormalMeanModel { mu0, var0, noise_var }
    }

    /// The exact posterior $(\mu_n, v_n)$ ([`normal_normal_posterior`]).
    ///
    /// # Examples
    /// ```
    /// let (m, v) = course::inference::NormalMeanModel::new(0.0, 1.0, 1.0).posterior(&[1.0, 3.0]);
    /// assert!((m - 4.0 / 3.0).abs() < 1e-15 && (v - 1.0 / 3.0).abs() < 1e-15);
    /// ```
    pub fn posterior(&self, data: &[f64]) -> (f64, f64) {
        normal_normal_posterior(self.mu0, self.var0, self.noise_var, data)
    }

    /// $\ln p(x,\mu)$.
    ///
    /// # Examples
    /// ```
    /// // No data: the prior log-density N(0; 0, 1) = −½ ln 2π.
    /// let lp = course::inference::NormalMeanModel::new(0.0, 1.0, 1.0).log_joint(&[], 0.0);
    /// assert!((lp + 0.5 * (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
    /// ```
    pub fn log_joint(&self, data: &[f64], mu: f64) -> f64 {
        let n = data.len() as f64;
        -0.5 * n * (LN_2PI + self.noise_var.ln()) - data.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (2.0 * self.noise_var)
            - 0.5 * (LN_2PI + self.var0.ln())
            - (mu - self.mu0).powi(2) / (2.0 * self.var0)
    }

    /// The evidence $\ln p(x) = \ln p(x,\mu) - \ln p(\mu\mid x)$, at $\mu = \mu_n$ (exact for every $\mu$).
    ///
    /// # Examples
    /// ```
    /// // One point, prior N(0, 1), noise 1: x ~ N(0, 2).
    /// let lp = course::inference::NormalMeanModel::new(0.0, 1.0, 1.0).log_evidence(&[1.0]);
    /// assert!((lp - (-0.25 - 0.5 * (4.0 * std::f64::consts::PI).ln())).abs() < 1e-14);
    /// ```
    pub fn log_evidence(&self, data: &[f64]) -> f64 {
        let (mn, vn) = self.posterior(data);
        self.log_joint(data, mn) + 0.5 * (LN_2PI + vn.ln()) // −ln p(μ_n | x) = ½ ln 2π v_n
    }

    /// $\mathrm{ELBO}(q)$ for $q = \mathcal N(m, s^2)$, in closed form.
    ///
    /// # Panics
    /// If `s <= 0`.
    ///
    /// # Examples
    /// ```
    /// let model = course::inference::NormalMeanModel::new(0.0, 1.0, 1.0);
    /// let (m, v) = model.posterior(&[2.0]);
    /// // At the exact posterior the bound is tight.
    /// assert!((model.elbo(&[2.0], m, v.sqrt()) - model.log_evidence(&[2.0])).abs() < 1e-14);
    /// ```
    pub fn elbo(&self, data: &[f64], m: f64, s: f64) -> f64 {
        assert!(s > 0.0, "elbo: s must be > 0, got {s}");
        let n = data.len() as f64;
        let e_loglik = -0.5 * n * (LN_2PI + self.noise_var.ln()) - (data.iter().map(|x| (x - m).powi(2)).sum::<f64>() + n * s * s) / (2.0 * self.noise_var);
        let e_logprior = -0.5 * (LN_2PI + self.var0.ln()) - ((m - self.mu0).powi(2) + s * s) / (2.0 * self.var0);
        let entropy = 0.5 * (LN_2PI + 1.0 + 2.0 * s.ln());
        e_loglik + e_logprior + entropy
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2};

    #[test]
    fn evidence_equals_the_marginal_gaussian() {
        // x ~ N(μ₀ 1, σ² I + v₀ 11ᵀ)
        let data = [0.4, 1.9, 1.1, 0.7];
        let model = NormalMeanModel::new(0.5, 2.0, 0.8);
        let cov = Array2::<f64>::eye(4) * 0.8 + Array2::from_elem((4, 4), 2.0);
        let lp = crate::inference::mvn_log_density(&Array1::from(data.to_vec()), &Array1::from_elem(4, 0.5), &cov);
        assert!((model.log_evidence(&data) - lp).abs() < 1e-12);
    }

    #[test]
    fn elbo_matches_monte_carlo_and_the_gap_is_the_kl() {
        let data = [0.4, 1.9, 1.1, 0.7];
        let model = NormalMeanModel::new(0.5, 2.0, 0.8);
        let (m, s) = (0.3, 0.9);
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(4), 200_000);
        let vals: Vec<f64> = z.iter().map(|e| {
            let mu = m + s * e;
            model.log_joint(&data, mu) - (-0.5 * e * e - s.ln() - 0.5 * LN_2PI)
        }).collect();
        let mc = crate::stats::mean(&vals);
        let se = (crate::stats::variance(&vals) / vals.len() as f64).sqrt();
        assert!((mc - model.elbo(&data, m, s)).abs() < 4.0 * se);
        let (mn, vn) = model.posterior(&data);
        let gap = model.log_evidence(&data) - model.elbo(&data, m, s);
        assert!((gap - crate::inference::kl_gaussian(m, s, mn, vn.sqrt())).abs() < 1e-12);
    }
}
