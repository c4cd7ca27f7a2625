//! The Kullback–Leibler divergence between Gaussians, in closed form.
//!
//! $$\mathrm{KL}(q\,\|\,p) = \int q\ln\frac qp
//!   = \ln\frac{s_p}{s_q} + \frac{s_q^2 + (m_q-m_p)^2}{2s_p^2} - \frac12 \quad(\text{univariate}),$$
//! $$\mathrm{KL}\big(\mathcal N(m_q,\Sigma_q)\,\|\,\mathcal N(m_p,\Sigma_p)\big) = \tfrac12\Big(\operatorname{tr}(\Sigma_p^{-1}\Sigma_q) +
//!   (m_p-m_q)^\top\Sigma_p^{-1}(m_p-m_q) - d + \ln\frac{\det\Sigma_p}{\det\Sigma_q}\Big).$$
//!
//! It is $\ge 0$, zero only when $q = p$, and not symmetric.
//!
//! ## Reference
//! Bishop, *PRML* §1.6.1; Murphy, *Probabilistic Machine Learning: An Introduction* (2022), §6.2.
//!
//! Used in notebooks/18-variational-inference.ipynb.

use super::SpdFactor;
use ndarray::{Array1, Array2};

/// $\mathrm{KL}(\mathcal N(m_q, s_q^2)\,\|\,\mathcal N(m_p, s_p^2))$ with standard deviations `s_q`, `s_p`.
///
/// # Panics
/// If `s_q <= 0` or `s_p <= 0`.
///
/// # Examples
/// ```
/// use course::inference::kl_gaussian;
/// assert_eq!(kl_gaussian(0.0, 1.0, 0.0, 1.0), 0.0);
/// assert!((kl_gaussian(1.0, 1.0, 0.0, 1.0) - 0.5).abs() < 1e-15); // mean shift 1: ½
/// assert!(kl_gaussian(0.0, 1.0, 0.0, 2.0) != kl_gaussian(0.0, 2.0, 0.0, 1.0)); // not symmetric
/// ```
pub fn kl_gaussian(m_q: f64, s_q: f64, m_p: f64, s_p: f64) -> f64 {
    assert!(s_q > 0.0, "kl_gaussian: s_q must be > 0, got {s_q}");
    assert!(s_p > 0.0, "kl_gaussian: s_p must be > 0, got {s_p}");
    (s_p / s_q).ln() + (s_q * s_q + (m_q - m_p).powi(2)) / (2.0 * s_p * s_p) - 0.5
}

/// $\mathrm{KL}(\mathcal N(m_q,\Sigma_q)\,\|\,\mathcal N(m_p,\Sigma_p))$.
///
/// # Panics
/// If the shapes disagree or a covariance is not positive definite.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let kl = course::inference::kl_mvn(&array![1.0, 0.0], &array![[1.0, 0.0], [0.0, 1.0]], &array![0.0, 0.0], &array![[1.0, 0.0], [0.0, 1.0]]);
/// assert!((kl - 0.5).abs() < 1e-15);
/// ```
pub fn kl_mvn(m_q: &Array1<f64>, cov_q: &Array2<f64>, m_p: &Array1<f64>, cov_p: &Array2<f64>) -> f64 {
    let d = m_q.len();
    assert!(m_p.len() == d && cov_q.dim() == (d, d) && cov_p.dim() == (d, d), "kl_mvn: shapes must agree (dimension {d})");
    let fp = SpdFactor::new(cov_p).unwrap_or_else(|e| panic!("kl_mvn: cov_p not positive definite: {e}"));
    let fq = SpdFactor::new(cov_q).unwrap_or_else(|e| panic!("kl_mvn: cov_q not positive definite: {e}"));
    let tr = fp.solve_mat(cov_q).diag().sum();
    let dm = m_p - m_q;
    0.5 * (tr + dm.dot(&fp.solve(&dm)) - d as f64 + fp.log_det() - fq.log_det())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn univariate_closed_form_matches_quadrature_and_the_mvn_formula() {
        for &(mq, sq, mp, sp) in &[(0.3, 0.7, -1.0, 1.5), (2.0, 2.0, 0.0, 0.5)] {
            // Trapezoid rule on ±14 s_q: the integrand is smooth and Gaussian-tailed.
            let n = 20_001;
            let h = 28.0 * sq / (n - 1) as f64;
            let lq = |x: f64| -0.5 * ((x - mq) / sq).powi(2) - sq.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
            let lp = |x: f64| -0.5 * ((x - mp) / sp).powi(2) - sp.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
            let quad: f64 = (0..n).map(|i| {
                let x = mq - 14.0 * sq + i as f64 * h;
                let w = if i == 0 || i == n - 1 { 0.5 } else { 1.0 };
                w * lq(x).exp() * (lq(x) - lp(x))
            }).sum::<f64>() * h;
            let kl = kl_gaussian(mq, sq, mp, sp);
            assert!((kl - quad).abs() < 1e-10, "{kl} vs {quad}");
            let kl2 = kl_mvn(&ndarray::array![mq], &ndarray::array![[sq * sq]], &ndarray::array![mp], &ndarray::array![[sp * sp]]);
            assert!((kl - kl2).abs() < 1e-12);
        }
    }

    #[test]
    fn mvn_kl_of_independent_blocks_adds() {
        let kl = kl_mvn(&ndarray::array![0.5, -1.0], &ndarray::array![[2.0, 0.0], [0.0, 0.3]], &ndarray::array![0.0, 0.0], &ndarray::array![[1.0, 0.0], [0.0, 1.0]]);
        let sum = kl_gaussian(0.5, 2f64.sqrt(), 0.0, 1.0) + kl_gaussian(-1.0, 0.3f64.sqrt(), 0.0, 1.0);
        assert!((kl - sum).abs() < 1e-12);
    }
}
