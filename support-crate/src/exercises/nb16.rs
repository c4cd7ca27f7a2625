//! Exercises of notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use super::{Feedback, close};
use crate::inference::{GpHyper, gp_log_marginal_likelihood, normal_normal_posterior};

/// Exercise 16.1: the normal–normal posterior (mean, variance) of $\mu$ for the prior
/// $\mathcal N(\mu_0, v_0)$ and data $x_i\sim\mathcal N(\mu,\sigma^2)$.
///
/// # Panics
/// If `var0 <= 0` or `noise_var <= 0`.
///
/// # Examples
/// ```
/// let f = course::exercises::nb16::check_q1(0.0, 1.0, 1.0, &[1.0, 3.0], 4.0 / 3.0, 1.0 / 3.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(mu0: f64, var0: f64, noise_var: f64, data: &[f64], post_mean: f64, post_var: f64) -> Feedback {
    let ex = "16.1";
    let (m, v) = normal_normal_posterior(mu0, var0, noise_var, data);
    let ok_m = close(post_mean, m, 1e-9);
    let ok_v = close(post_var, v, 1e-9);
    if ok_m && ok_v {
        return Feedback::correct(ex, format!("posterior N({m:.4}, {v:.4}): precisions add, and the mean is the precision-weighted average of μ₀ and the data."));
    }
    let n = data.len() as f64;
    let xbar = data.iter().sum::<f64>() / n.max(1.0);
    if close(post_mean, xbar, 1e-9) && close(post_var, noise_var / n, 1e-9) {
        return Feedback::wrong(ex, "this is the maximum-likelihood answer (x̄, σ²/n): the prior is missing. Add its precision 1/v₀ and its weighted mean μ₀/v₀.");
    }
    if close(post_var, var0 + noise_var / n, 1e-9) || close(post_var, 1.0 / (var0 + noise_var / n), 1e-9) {
        return Feedback::wrong(ex, "variances do not add under conditioning: precisions do, 1/v_n = 1/v₀ + n/σ².");
    }
    if ok_m && close(post_var, v.sqrt(), 1e-9) {
        return Feedback::wrong(ex, "that is the posterior standard deviation; the exercise asks for the variance.");
    }
    if ok_v {
        return Feedback::wrong(ex, format!("the variance {v:.6} is right; the mean should be v_n (μ₀/v₀ + Σxᵢ/σ²) = {m:.6}, got {post_mean:.6}."));
    }
    Feedback::wrong(ex, format!("expected N({m:.6}, {v:.6}), got N({post_mean:.6}, {post_var:.6}). Start from 1/v_n = 1/v₀ + n/σ²."))
}

/// Exercise 16.2: the GP log marginal likelihood $-\tfrac12y^\top K_y^{-1}y - \tfrac12\ln\det K_y - \tfrac n2\ln2\pi$
/// computed by hand.
///
/// # Panics
/// As [`crate::inference::gp_log_marginal_likelihood`].
///
/// # Examples
/// ```
/// use course::inference::GpHyper;
/// let h = GpHyper { length_scale: 1.0, signal_var: 1.0, noise_var: 1.0 };
/// let lml = -0.25 - 0.5 * (4.0 * std::f64::consts::PI).ln(); // y = 1 ~ N(0, 2)
/// assert!(course::exercises::nb16::check_q2(&[0.0], &[1.0], h, lml).is_correct());
/// ```
pub fn check_q2(x: &[f64], y: &[f64], hyper: GpHyper, lml: f64) -> Feedback {
    let ex = "16.2";
    let expected = gp_log_marginal_likelihood(x, y, hyper);
    if close(lml, expected, 1e-9) {
        return Feedback::correct(ex, format!("ln p(y | θ) = {expected:.6}: data fit −½yᵀK⁻¹y, complexity penalty −½ ln det K, and the constant."));
    }
    let n = x.len() as f64;
    let c = 0.5 * n * (2.0 * std::f64::consts::PI).ln();
    if close(lml, expected + c, 1e-9) {
        return Feedback::wrong(ex, "the constant −(n/2) ln 2π is missing.");
    }
    // The same formula without σ_n² (a tiny jitter keeps K factorable), without panicking.
    let k = hyper.kernel().gram(x, x) + ndarray::Array2::<f64>::eye(x.len()) * (1e-12 * hyper.signal_var);
    let no_noise = crate::inference::SpdFactor::new(&k).ok().map(|f| {
        let ya = ndarray::Array1::from(y.to_vec());
        -0.5 * ya.dot(&f.solve(&ya)) - 0.5 * f.log_det() - c
    });
    if no_noise.is_some_and(|v| close(lml, v, 1e-6)) {
        return Feedback::wrong(ex, "K_y = K + σ_n² I: the noise variance is missing from the diagonal.");
    }
    let gp = crate::inference::GpPosterior::fit(x, y, hyper);
    let quad: f64 = y.iter().zip(gp.alpha.iter()).map(|(a, b)| a * b).sum();
    let logdet = -2.0 * (expected + c + 0.5 * quad);
    if close(lml, expected + 0.25 * logdet, 1e-9) {
        return Feedback::wrong(ex, "ln det K_y = 2 Σ ln Lᵢᵢ: with L the Cholesky factor, the term is −Σ ln Lᵢᵢ, not −½ Σ ln Lᵢᵢ.");
    }
    if close(lml, expected + quad, 1e-9) {
        return Feedback::wrong(ex, "the sign of the data-fit term: it is −½ yᵀK_y⁻¹y.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {lml:.6}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_spots_the_usual_slips() {
        let data = [0.5, 1.5, 2.0];
        let (m, v) = normal_normal_posterior(0.0, 2.0, 0.5, &data);
        assert!(check_q1(0.0, 2.0, 0.5, &data, m, v).is_correct());
        let xbar = 4.0 / 3.0;
        assert!(check_q1(0.0, 2.0, 0.5, &data, xbar, 0.5 / 3.0).message.contains("prior is missing"));
        assert!(check_q1(0.0, 2.0, 0.5, &data, m, 2.0 + 0.5 / 3.0).message.contains("precisions"));
        assert!(check_q1(0.0, 2.0, 0.5, &data, m, v.sqrt()).message.contains("standard deviation"));
    }

    #[test]
    fn q2_spots_the_usual_slips() {
        let x = [0.0, 0.5, 1.7, 2.2];
        let y = [0.3, 0.1, -0.6, 0.4];
        let h = GpHyper { length_scale: 0.8, signal_var: 1.0, noise_var: 0.1 };
        let lml = gp_log_marginal_likelihood(&x, &y, h);
        assert!(check_q2(&x, &y, h, lml).is_correct());
        let c = 2.0 * (2.0 * std::f64::consts::PI).ln();
        assert!(check_q2(&x, &y, h, lml + c).message.contains("constant"));
        let no_noise = gp_log_marginal_likelihood(&x, &y, GpHyper { noise_var: 1e-12, ..h });
        assert!(check_q2(&x, &y, h, no_noise).message.contains("noise variance"));
        let cov = h.kernel().gram(&x, &x) + ndarray::Array2::<f64>::eye(4) * 0.1;
        let half = crate::inference::SpdFactor::new(&cov).unwrap().log_det() * 0.25;
        assert!(check_q2(&x, &y, h, lml + half).message.contains("Σ ln Lᵢᵢ"));
    }
}
