//! Coordinate-ascent variational inference (CAVI) for a Normal with unknown mean and precision.
//!
//! Model (Bishop §10.1.3): $\tau\sim\mathrm{Gam}(a_0,b_0)$, $\mu\mid\tau\sim\mathcal N(\mu_0,(\lambda_0\tau)^{-1})$,
//! $x_i\mid\mu,\tau\sim\mathcal N(\mu,\tau^{-1})$. Mean field $q(\mu,\tau) = q(\mu)q(\tau)$; each factor
//! in turn is set to $\ln q_j^\star = \mathbb E_{-j}[\ln p(x,\mu,\tau)] + \text{const}$:
//! $$q(\mu) = \mathcal N\Big(\mu_N = \frac{\lambda_0\mu_0+N\bar x}{\lambda_0+N},\ \lambda_N^{-1}\Big),\quad \lambda_N = (\lambda_0+N)\,\mathbb E[\tau],$$
//! $$q(\tau) = \mathrm{Gam}(a_N, b_N),\quad a_N = a_0+\tfrac{N+1}2,\quad
//!   b_N = b_0+\tfrac12\mathbb E_\mu\Big[\sum_i(x_i-\mu)^2+\lambda_0(\mu-\mu_0)^2\Big].$$
//! Each update maximizes the ELBO in one factor, so the ELBO never decreases. The exact
//! posterior is Normal–Gamma, $\mu\mid\tau\sim\mathcal N(\mu_n,(\kappa_n\tau)^{-1})$, $\tau\sim\mathrm{Gam}(\alpha_n,\beta_n)$.
//!
//! ## Reference
//! Bishop, *PRML* §10.1.3; Blei, Kucukelbir & McAuliffe (2017), §2.4; K. P. Murphy (2007),
//! *Conjugate Bayesian analysis of the Gaussian distribution*, §3.
//!
//! Used in notebooks/18-variational-inference.ipynb.

use super::{digamma, ln_gamma};

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// The Normal–Gamma prior $(\mu_0, \lambda_0, a_0, b_0)$.
///
/// # Examples
/// ```
/// let prior = course::inference::NormalGammaPrior::new(0.0, 1.0, 2.0, 2.0);
/// assert_eq!(prior.a0, 2.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NormalGammaPrior {
    /// $\mu_0$.
    pub mu0: f64,
    /// $\lambda_0$ (prior precision of $\mu$, in units of $\tau$).
    pub lambda0: f64,
    /// Gamma shape $a_0$.
    pub a0: f64,
    /// Gamma rate $b_0$.
    pub b0: f64,
}

/// The exact Normal–Gamma posterior $(\mu_n, \kappa_n, \alpha_n, \beta_n)$.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NormalGammaPosterior {
    /// $\mu_n = (\lambda_0\mu_0 + N\bar x)/\kappa_n$.
    pub mu: f64,
    /// $\kappa_n = \lambda_0 + N$.
    pub kappa: f64,
    /// $\alpha_n = a_0 + N/2$.
    pub alpha: f64,
    /// $\beta_n = b_0 + \tfrac12\sum(x_i-\bar x)^2 + \lambda_0N(\bar x-\mu_0)^2/2\kappa_n$.
    pub beta: f64,
}

impl NormalGammaPosterior {
    /// $\mathbb E[\mu\mid x] = \mu_n$.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::NormalGammaPosterior { mu: 1.5, kappa: 4.0, alpha: 3.0, beta: 2.0 };
    /// assert_eq!((p.mean_mu(), p.var_mu(), p.mean_tau()), (1.5, 0.25, 1.5)); // 2/(4·2), 3/2
    /// ```
    pub fn mean_mu(&self) -> f64 {
        self.mu
    }
    /// $\operatorname{Var}[\mu\mid x] = \beta_n/(\kappa_n(\alpha_n-1))$ (the marginal is a Student $t$).
    pub fn var_mu(&self) -> f64 {
        self.beta / (self.kappa * (self.alpha - 1.0))
    }
    /// $\mathbb E[\tau\mid x] = \alpha_n/\beta_n$.
    pub fn mean_tau(&self) -> f64 {
        self.alpha / self.beta
    }
}

/// The mean-field factors $q(\mu) = \mathcal N(\mu_N, \lambda_N^{-1})$, $q(\tau) = \mathrm{Gam}(a_N, b_N)$.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CaviState {
    /// $\mu_N$.
    pub mu_n: f64,
    /// $\lambda_N$ (precision of $q(\mu)$).
    pub lambda_n: f64,
    /// $a_N$.
    pub a_n: f64,
    /// $b_N$.
    pub b_n: f64,
}

impl CaviState {
    /// $\mathbb E_q[\tau] = a_N/b_N$.
    ///
    /// # Examples
    /// ```
    /// let q = course::inference::CaviState { mu_n: 0.0, lambda_n: 4.0, a_n: 3.0, b_n: 2.0 };
    /// assert_eq!((q.mean_tau(), q.var_mu()), (1.5, 0.25));
    /// ```
    pub fn mean_tau(&self) -> f64 {
        self.a_n / self.b_n
    }
    /// $\operatorname{Var}_q[\mu] = 1/\lambda_N$.
    pub fn var_mu(&self) -> f64 {
        1.0 / self.lambda_n
    }
}

/// The history of a CAVI run.
#[derive(Clone, Debug)]
pub struct CaviResult {
    /// The state after each full sweep (first: after the first sweep).
    pub states: Vec<CaviState>,
    /// The ELBO after each full sweep.
    pub elbos: Vec<f64>,
}

impl NormalGammaPrior {
    /// # Panics
    /// If `lambda0`, `a0` or `b0` is not > 0.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::NormalGammaPrior::new(0.0, 2.0, 1.0, 1.0);
    /// assert_eq!(p.lambda0, 2.0);
    /// ```
    pub fn new(mu0: f64, lambda0: f64, a0: f64, b0: f64) -> Self {
        assert!(lambda0 > 0.0, "NormalGammaPrior: lambda0 must be > 0, got {lambda0}");
        assert!(a0 > 0.0, "NormalGammaPrior: a0 must be > 0, got {a0}");
        assert!(b0 > 0.0, "NormalGammaPrior: b0 must be > 0, got {b0}");
        NormalGammaPrior { mu0, lambda0, a0, b0 }
    }

    /// The exact posterior.
    ///
    /// # Panics
    /// If `data` is empty.
    ///
    /// # Examples
    /// ```
    /// let prior = course::inference::NormalGammaPrior::new(0.0, 1.0, 1.0, 1.0);
    /// let post = prior.posterior(&[1.0, 3.0]);
    /// assert_eq!((post.mu, post.kappa, post.alpha), (4.0 / 3.0, 3.0, 2.0));
    /// assert!((post.beta - (1.0 + 1.0 + 4.0 / 3.0)).abs() < 1e-15); // b₀ + ½·2 + 1·2·4/(2·3)
    /// ```
    pub fn posterior(&self, data: &[f64]) -> NormalGammaPosterior {
        assert!(!data.is_empty(), "NormalGammaPrior::posterior: data must not be empty");
        let n = data.len() as f64;
        let xbar = data.iter().sum::<f64>() / n;
        let ss: f64 = data.iter().map(|x| (x - xbar).powi(2)).sum();
        let kappa = self.lambda0 + n;
        NormalGammaPosterior {
            mu: (self.lambda0 * self.mu0 + n * xbar) / kappa,
            kappa,
            alpha: self.a0 + 0.5 * n,
            beta: self.b0 + 0.5 * ss + self.lambda0 * n * (xbar - self.mu0).powi(2) / (2.0 * kappa),
        }
    }

    /// $\ln p(x) = \ln\Gamma(\alpha_n) - \ln\Gamma(a_0) + a_0\ln b_0 - \alpha_n\ln\beta_n + \tfrac12\ln(\lambda_0/\kappa_n) - \tfrac N2\ln2\pi$.
    ///
    /// # Panics
    /// If `data` is empty.
    ///
    /// # Examples
    /// ```
    /// let prior = course::inference::NormalGammaPrior::new(0.0, 1.0, 2.0, 1.0);
    /// assert!(prior.log_evidence(&[0.5, -0.2]).is_finite());
    /// ```
    pub fn log_evidence(&self, data: &[f64]) -> f64 {
        let p = self.posterior(data);
        let n = data.len() as f64;
        ln_gamma(p.alpha) - ln_gamma(self.a0) + self.a0 * self.b0.ln() - p.alpha * p.beta.ln() + 0.5 * (self.lambda0 / p.kappa).ln() - 0.5 * n * LN_2PI
    }

    /// $\ln p(x,\mu,\tau)$.
    ///
    /// # Examples
    /// ```
    /// use course::inference::NormalGammaPrior;
    /// // No data: ln p(μ, τ) = ln N(μ; 0, 1/τ) + ln Gam(τ; 1, 1) at (0, 1) = −½ ln 2π − 1.
    /// let lp = NormalGammaPrior::new(0.0, 1.0, 1.0, 1.0).log_joint(&[], 0.0, 1.0);
    /// assert!((lp + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0).abs() < 1e-14);
    /// ```
    pub fn log_joint(&self, data: &[f64], mu: f64, tau: f64) -> f64 {
        let n = data.len() as f64;
        let lik = 0.5 * n * (tau.ln() - LN_2PI) - 0.5 * tau * data.iter().map(|x| (x - mu).powi(2)).sum::<f64>();
        let pmu = 0.5 * ((self.lambda0 * tau).ln() - LN_2PI) - 0.5 * self.lambda0 * tau * (mu - self.mu0).powi(2);
        let ptau = self.a0 * self.b0.ln() - ln_gamma(self.a0) + (self.a0 - 1.0) * tau.ln() - self.b0 * tau;
        lik + pmu + ptau
    }

    /// The $q(\mu)$ update given $\mathbb E_q[\tau]$: returns $(\mu_N, \lambda_N)$.
    ///
    /// # Panics
    /// If `data` is empty or `e_tau <= 0`.
    ///
    /// # Examples
    /// ```
    /// let prior = course::inference::NormalGammaPrior::new(0.0, 1.0, 1.0, 1.0);
    /// assert_eq!(prior.update_mu(&[3.0, 3.0], 2.0), (2.0, 6.0)); // (0 + 6)/3, 3·2
    /// ```
    pub fn update_mu(&self, data: &[f64], e_tau: f64) -> (f64, f64) {
        assert!(!data.is_empty(), "update_mu: data must not be empty");
        assert!(e_tau > 0.0, "update_mu: e_tau must be > 0, got {e_tau}");
        let n = data.len() as f64;
        let xbar = data.iter().sum::<f64>() / n;
        ((self.lambda0 * self.mu0 + n * xbar) / (self.lambda0 + n), (self.lambda0 + n) * e_tau)
    }

    /// The $q(\tau)$ update given $q(\mu) = \mathcal N(\mu_N,\lambda_N^{-1})$: returns $(a_N, b_N)$,
    /// using $\mathbb E[(x_i-\mu)^2] = (x_i-\mu_N)^2 + 1/\lambda_N$.
    ///
    /// # Panics
    /// If `lambda_n <= 0`.
    ///
    /// # Examples
    /// ```
    /// let prior = course::inference::NormalGammaPrior::new(0.0, 1.0, 1.0, 1.0);
    /// let (a, b) = prior.update_tau(&[1.0], 1.0, 2.0);
    /// // a = 1 + 1, b = 1 + ½[(0 + ½) + 1·(1 + ½)] = 2
    /// assert_eq!((a, b), (2.0, 2.0));
    /// ```
    pub fn update_tau(&self, data: &[f64], mu_n: f64, lambda_n: f64) -> (f64, f64) {
        assert!(lambda_n > 0.0, "update_tau: lambda_n must be > 0, got {lambda_n}");
        let n = data.len() as f64;
        let v = 1.0 / lambda_n;
        let e_sq: f64 = data.iter().map(|x| (x - mu_n).powi(2) + v).sum();
        let e_prior = self.lambda0 * ((mu_n - self.mu0).powi(2) + v);
        (self.a0 + 0.5 * (n + 1.0), self.b0 + 0.5 * (e_sq + e_prior))
    }

    /// The ELBO $\mathbb E_q[\ln p(x,\mu,\tau)] + H(q(\mu)) + H(q(\tau))$ in closed form, with
    /// $\mathbb E[\tau] = a_N/b_N$, $\mathbb E[\ln\tau] = \psi(a_N) - \ln b_N$.
    ///
    /// # Examples
    /// ```
    /// use course::inference::{NormalGammaPrior, CaviState};
    /// let prior = NormalGammaPrior::new(0.0, 1.0, 2.0, 2.0);
    /// let q = CaviState { mu_n: 0.5, lambda_n: 3.0, a_n: 3.5, b_n: 3.0 };
    /// assert!(prior.elbo(&[0.4, 1.1], &q) <= prior.log_evidence(&[0.4, 1.1]));
    /// ```
    pub fn elbo(&self, data: &[f64], q: &CaviState) -> f64 {
        let n = data.len() as f64;
        let e_tau = q.mean_tau();
        let e_ln_tau = digamma(q.a_n) - q.b_n.ln();
        let v = q.var_mu();
        let e_sq: f64 = data.iter().map(|x| (x - q.mu_n).powi(2) + v).sum();
        let lik = 0.5 * n * (e_ln_tau - LN_2PI) - 0.5 * e_tau * e_sq;
        let pmu = 0.5 * (self.lambda0.ln() + e_ln_tau - LN_2PI) - 0.5 * self.lambda0 * e_tau * ((q.mu_n - self.mu0).powi(2) + v);
        let ptau = self.a0 * self.b0.ln() - ln_gamma(self.a0) + (self.a0 - 1.0) * e_ln_tau - self.b0 * e_tau;
        let h_mu = 0.5 * (1.0 + LN_2PI - q.lambda_n.ln());
        let h_tau = q.a_n - q.b_n.ln() + ln_gamma(q.a_n) + (1.0 - q.a_n) * digamma(q.a_n);
        lik + pmu + ptau + h_mu + h_tau
    }

    /// Runs `n_iter` CAVI sweeps ($q(\mu)$ then $q(\tau)$) from the guess `e_tau0` for $\mathbb E[\tau]$.
    ///
    /// # Panics
    /// If `data` is empty or `e_tau0 <= 0`.
    ///
    /// # Examples
    /// ```
    /// let prior = course::inference::NormalGammaPrior::new(0.0, 1.0, 1.0, 1.0);
    /// let data = [1.2, 0.8, 1.5, 0.9];
    /// let run = prior.cavi(&data, 1.0, 20);
    /// // q(μ)'s mean is exact: μ_N = μ_n.
    /// assert!((run.states[19].mu_n - prior.posterior(&data).mu).abs() < 1e-14);
    /// assert!(run.elbos.windows(2).all(|w| w[1] >= w[0] - 1e-12));
    /// ```
    pub fn cavi(&self, data: &[f64], e_tau0: f64, n_iter: usize) -> CaviResult {
        let mut e_tau = e_tau0;
        let mut out = CaviResult { states: Vec::new(), elbos: Vec::new() };
        for _ in 0..n_iter {
            let (mu_n, lambda_n) = self.update_mu(data, e_tau);
            let (a_n, b_n) = self.update_tau(data, mu_n, lambda_n);
            let q = CaviState { mu_n, lambda_n, a_n, b_n };
            e_tau = q.mean_tau();
            out.elbos.push(self.elbo(data, &q));
            out.states.push(q);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_distr::{Distribution, Gamma};

    fn data() -> Vec<f64> {
        crate::rng::normal_vec(&mut crate::rng::seeded(7), 15).iter().map(|e| 2.0 + 0.5 * e).collect()
    }

    #[test]
    fn evidence_is_joint_over_posterior_at_any_point() {
        // ln p(x) = ln p(x, μ, τ) − ln p(μ, τ | x), the Normal–Gamma posterior density.
        let prior = NormalGammaPrior::new(0.5, 2.0, 3.0, 1.5);
        let x = data();
        let p = prior.posterior(&x);
        for &(mu, tau) in &[(1.9, 3.0), (2.3, 5.0), (0.0, 0.5)] {
            let post = 0.5 * ((p.kappa * tau).ln() - LN_2PI) - 0.5 * p.kappa * tau * (mu - p.mu).powi(2)
                + p.alpha * p.beta.ln() - ln_gamma(p.alpha) + (p.alpha - 1.0) * tau.ln() - p.beta * tau;
            assert!((prior.log_joint(&x, mu, tau) - post - prior.log_evidence(&x)).abs() < 1e-10);
        }
    }

    #[test]
    fn closed_form_elbo_matches_monte_carlo() {
        let prior = NormalGammaPrior::new(0.5, 2.0, 3.0, 1.5);
        let x = data();
        let q = CaviState { mu_n: 1.8, lambda_n: 40.0, a_n: 10.0, b_n: 3.0 };
        let mut rng = crate::rng::seeded(9);
        let gamma = Gamma::new(q.a_n, 1.0 / q.b_n).unwrap();
        let z = crate::rng::normal_vec(&mut rng, 100_000);
        let vals: Vec<f64> = z.iter().map(|e| {
            let mu = q.mu_n + e / q.lambda_n.sqrt();
            let tau: f64 = gamma.sample(&mut rng);
            let ln_qmu = 0.5 * (q.lambda_n.ln() - LN_2PI) - 0.5 * e * e;
            let ln_qtau = q.a_n * q.b_n.ln() - ln_gamma(q.a_n) + (q.a_n - 1.0) * tau.ln() - q.b_n * tau;
            prior.log_joint(&x, mu, tau) - ln_qmu - ln_qtau
        }).collect();
        let mc = crate::stats::mean(&vals);
        let se = (crate::stats::variance(&vals) / vals.len() as f64).sqrt();
        assert!((mc - prior.elbo(&x, &q)).abs() < 4.0 * se, "{mc} ± {se} vs {}", prior.elbo(&x, &q));
    }

    #[test]
    fn cavi_climbs_to_below_the_evidence_and_underestimates_var_mu() {
        let prior = NormalGammaPrior::new(0.0, 1.0, 1.0, 1.0);
        let x = data();
        let run = prior.cavi(&x, 0.01, 50);
        assert!(run.elbos.windows(2).all(|w| w[1] >= w[0] - 1e-12));
        let last = run.states[49];
        let exact = prior.posterior(&x);
        assert!(run.elbos[49] < prior.log_evidence(&x));
        assert!((last.mu_n - exact.mu).abs() < 1e-12);
        assert!(last.var_mu() < exact.var_mu());
        // Each coordinate update is a maximizer: perturbing b_N lowers the ELBO.
        for db in [-0.01, 0.01] {
            assert!(prior.elbo(&x, &CaviState { b_n: last.b_n + db, ..last }) < run.elbos[49]);
        }
    }
}
