//! Exercises of notebooks/28-variational-autoencoders.ipynb.

use super::{Feedback, close};
use crate::generative::vae::{LinearGaussian, beta_vae_rates, kl_gaussians, kl_to_standard_normal};
use ndarray::{Array1, Array2};

/// Exercise 28.1: the rate term $\mathrm{KL}(\mathcal N(\mu, \operatorname{diag}e^{\text{logvar}})\,\|\,\mathcal N(0, I))$
/// written by hand.
///
/// # Panics
/// If `mu` and `logvar` have different lengths.
///
/// # Examples
/// ```
/// let f = course::exercises::nb28::check_q1(&[1.0, 0.0], &[0.0, 0.0], 0.5);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(mu: &[f64], logvar: &[f64], kl: f64) -> Feedback {
    let ex = "28.1";
    let expected = kl_to_standard_normal(mu, logvar);
    if close(kl, expected, 1e-9) {
        return Feedback::correct(ex, format!("KL = {expected:.6} nats: ½Σ(μ² + σ² − 1 − ln σ²), zero only at the prior."));
    }
    let k = mu.len() as f64;
    let sum_with = |f: &dyn Fn(f64, f64) -> f64| mu.iter().zip(logvar).map(|(&m, &lv)| f(m, lv)).sum::<f64>();
    if close(kl, 2.0 * expected, 1e-9) {
        return Feedback::wrong(ex, "this is twice the KL: the sum carries a factor ½.");
    }
    if close(kl, expected + 0.5 * k, 1e-9) {
        return Feedback::wrong(ex, "the −1 per coordinate is missing (it makes the KL vanish at μ = 0, σ = 1).");
    }
    if close(kl, 0.5 * sum_with(&|m, lv| m * m + (0.5 * lv).exp() - 1.0 - lv), 1e-9) {
        return Feedback::wrong(ex, "you used σ where σ² belongs: logvar is ln σ², so σ² = exp(logvar), not exp(logvar/2).");
    }
    if logvar.iter().all(|&lv| lv > 0.0) && close(kl, 0.5 * sum_with(&|m, lv| m * m + lv - 1.0 - lv.ln()), 1e-9) {
        return Feedback::wrong(ex, "logvar is ln σ², not σ²: exponentiate it.");
    }
    if close(kl, 0.5 * sum_with(&|m, lv| m * m + lv.exp() - 1.0 + lv), 1e-9) {
        return Feedback::wrong(ex, "sign slip: the term is − ln σ² (the entropy of q enters with a minus sign).");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {kl:.6}. Per coordinate: ½(μ² + σ² − 1 − ln σ²), σ² = exp(logvar)."))
}

/// Exercise 28.2: the total rate $\sum_i \tfrac12\ln(\lambda_i/\beta\sigma^2)_+$ of the best linear β-VAE.
///
/// # Panics
/// If `sigma2 <= 0`, `beta <= 0` or an eigenvalue is negative.
///
/// # Examples
/// ```
/// // λ = (4, 1), σ² = 0.25, β = 8: only the first direction survives, ½ ln 2.
/// let f = course::exercises::nb28::check_q2(&[4.0, 1.0], 0.25, 8.0, 0.5 * 2f64.ln());
/// assert!(f.is_correct());
/// ```
pub fn check_q2(eigenvalues: &[f64], sigma2: f64, beta: f64, rate: f64) -> Feedback {
    let ex = "28.2";
    let expected: f64 = beta_vae_rates(eigenvalues, sigma2, beta).iter().sum();
    if close(rate, expected, 1e-9) {
        let n_active = eigenvalues.iter().filter(|&&l| l > beta * sigma2).count();
        return Feedback::correct(ex, format!("rate = {expected:.6} nats, carried by {n_active} of {} directions; the others have collapsed.", eigenvalues.len()));
    }
    let no_clip: f64 = eigenvalues.iter().map(|l| 0.5 * (l / (beta * sigma2)).ln()).sum();
    if close(rate, no_clip, 1e-9) {
        return Feedback::wrong(ex, "a direction with λᵢ ≤ βσ² contributes 0, not a negative rate: take the positive part.");
    }
    if close(rate, 2.0 * expected, 1e-9) {
        return Feedback::wrong(ex, "each direction costs ½ ln(λᵢ/βσ²): the factor ½ is missing.");
    }
    let no_beta: f64 = beta_vae_rates(eigenvalues, sigma2, 1.0).iter().sum();
    if close(rate, no_beta, 1e-9) {
        return Feedback::wrong(ex, "β is missing: the KL weight acts like a decoder variance βσ².");
    }
    let sd: f64 = beta_vae_rates(eigenvalues, sigma2.sqrt(), beta).iter().sum();
    if close(rate, sd, 1e-9) {
        return Feedback::wrong(ex, "σ² is a variance: compare λᵢ with βσ², not βσ.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {rate:.6}. Sum ½ ln(λᵢ/(βσ²)) over the λᵢ > βσ²."))
}

/// Exercise 28.3: the ELBO of a Gaussian $q = \mathcal N(a, S)$ in the linear-Gaussian model,
/// written by hand.
///
/// # Panics
/// If the shapes do not match the model.
///
/// # Examples
/// ```
/// use ndarray::array;
/// use course::generative::vae::LinearGaussian;
/// let m = LinearGaussian::new(array![0.0], array![[1.0]], 1.0);
/// let (a, s) = m.posterior(&[3.0]);
/// let f = course::exercises::nb28::check_q3(&m, &[3.0], &a, &s, m.log_evidence(&[3.0]));
/// assert!(f.is_correct());
/// ```
pub fn check_q3(model: &LinearGaussian, x: &[f64], q_mean: &Array1<f64>, q_cov: &Array2<f64>, elbo: f64) -> Feedback {
    let ex = "28.3";
    let expected = model.elbo(x, q_mean, q_cov);
    if close(elbo, expected, 1e-9) {
        let (pm, pc) = model.posterior(x);
        let gap = model.log_evidence(x) - expected;
        return Feedback::correct(ex, format!(
            "ELBO = {expected:.6}; ln p(x) − ELBO = {gap:.6} = KL(q ‖ p(z|x)) = {:.6}.",
            kl_gaussians(q_mean, q_cov, &pm, &pc)
        ));
    }
    let k = model.latent();
    let kl = kl_gaussians(q_mean, q_cov, &Array1::zeros(k), &Array2::eye(k));
    let trace_term = (model.w.t().dot(&model.w) * q_cov).sum() / (2.0 * model.sigma2);
    if close(elbo, expected + kl, 1e-9) {
        return Feedback::wrong(ex, "the KL(q ‖ p(z)) term is missing: the ELBO is E_q[ln p(x|z)] − KL(q ‖ N(0, I)).");
    }
    if close(elbo, expected - kl - kl, 1e-9) || close(elbo, expected + 2.0 * kl, 1e-9) {
        return Feedback::wrong(ex, "sign slip on the KL: it is subtracted once.");
    }
    if close(elbo, expected + trace_term, 1e-9) {
        return Feedback::wrong(ex, "E_q‖x − m − Wz‖² is ‖x − m − Wa‖² + tr(WᵀW S): the spread of q costs the trace term.");
    }
    if close(elbo, model.log_evidence(x), 1e-9) {
        return Feedback::wrong(ex, "that is ln p(x), which the ELBO only reaches when q is the exact posterior.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {elbo:.6}. The expected log-likelihood under q minus KL(q ‖ N(0, I))."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        let (mu, lv) = ([0.5, -1.0], [0.3, -0.7]);
        let e = kl_to_standard_normal(&mu, &lv);
        assert!(check_q1(&mu, &lv, e).is_correct());
        assert!(check_q1(&mu, &lv, 2.0 * e).message.contains("½"));
        assert!(check_q1(&mu, &lv, e + 1.0).message.contains("−1"));
        let sigma_slip = 0.5 * mu.iter().zip(&lv).map(|(m, l): (&f64, &f64)| m * m + (0.5 * l).exp() - 1.0 - l).sum::<f64>();
        assert!(check_q1(&mu, &lv, sigma_slip).message.contains("σ²"));
        let sign_slip = 0.5 * mu.iter().zip(&lv).map(|(m, l): (&f64, &f64)| m * m + l.exp() - 1.0 + l).sum::<f64>();
        assert!(check_q1(&mu, &lv, sign_slip).message.contains("sign"));
        assert!(!check_q1(&mu, &lv, 42.0).is_correct());
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let (l, s2, b) = ([4.0, 1.0, 0.2], 0.25, 2.0);
        let e: f64 = beta_vae_rates(&l, s2, b).iter().sum();
        assert!(check_q2(&l, s2, b, e).is_correct());
        let no_clip: f64 = l.iter().map(|v| 0.5 * (v / (b * s2)).ln()).sum();
        assert!(check_q2(&l, s2, b, no_clip).message.contains("positive part"));
        assert!(check_q2(&l, s2, b, 2.0 * e).message.contains("½"));
        let no_beta: f64 = beta_vae_rates(&l, s2, 1.0).iter().sum();
        assert!(check_q2(&l, s2, b, no_beta).message.contains("β is missing"));
    }

    #[test]
    fn q3_names_the_usual_slips() {
        let m = LinearGaussian::new(array![0.0, 1.0], array![[1.0], [0.5]], 0.3);
        let x = [1.0, 0.2];
        let (a, s) = (array![0.4], array![[0.2]]);
        let e = m.elbo(&x, &a, &s);
        assert!(check_q3(&m, &x, &a, &s, e).is_correct());
        let kl = kl_gaussians(&a, &s, &array![0.0], &array![[1.0]]);
        assert!(check_q3(&m, &x, &a, &s, e + kl).message.contains("KL"));
        let tr = (m.w.t().dot(&m.w) * &s).sum() / (2.0 * m.sigma2);
        assert!(check_q3(&m, &x, &a, &s, e + tr).message.contains("trace"));
        assert!(!check_q3(&m, &x, &a, &s, e + 1.0).is_correct());
    }
}
