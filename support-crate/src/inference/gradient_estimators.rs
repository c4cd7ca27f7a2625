//! Two unbiased estimators of $\nabla_{m,s}\,\mathbb E_{z\sim\mathcal N(m,s^2)}[f(z)]$.
//!
//! **Reparameterization (pathwise).** $z = m + s\varepsilon$, $\varepsilon\sim\mathcal N(0,1)$:
//! $$\nabla_m\mathbb E[f] = \mathbb E[f'(m+s\varepsilon)],\qquad \nabla_s\mathbb E[f] = \mathbb E[f'(m+s\varepsilon)\,\varepsilon].$$
//! **Score function (REINFORCE).** $\nabla\mathbb E_q[f] = \mathbb E_q[f(z)\nabla\ln q(z)]$:
//! $$\nabla_m = \mathbb E\Big[f(z)\frac{z-m}{s^2}\Big],\qquad \nabla_s = \mathbb E\Big[f(z)\Big(\frac{(z-m)^2}{s^3}-\frac1s\Big)\Big].$$
//! Both are unbiased; the first needs $f'$ and usually has far smaller variance, the second
//! needs only $f$ (discrete or black-box models).
//!
//! ## Reference
//! D. P. Kingma & M. Welling (2014), *Auto-encoding variational Bayes*; R. J. Williams (1992),
//! *Simple statistical gradient-following algorithms*; S. Mohamed, M. Rosca, M. Figurnov &
//! A. Mnih (2020), *Monte Carlo gradient estimation in machine learning*, §4–5.
//!
//! Used in notebooks/18-variational-inference.ipynb.

/// Per-sample reparameterization estimates $(f'(z_i), f'(z_i)\varepsilon_i)$ of
/// $(\nabla_m, \nabla_s)\,\mathbb E[f]$, with $z_i = m + s\varepsilon_i$ for the given standard normals `eps`.
///
/// # Panics
/// If `s <= 0`.
///
/// # Examples
/// ```
/// // f(z) = z²: ∇_m E = 2m, and the pathwise sample is 2z.
/// let (gm, gs) = course::inference::reparam_gradient_samples(|z| 2.0 * z, 1.0, 0.5, &[0.0, 2.0]);
/// assert_eq!(gm, vec![2.0, 4.0]);
/// assert_eq!(gs, vec![0.0, 8.0]);
/// ```
pub fn reparam_gradient_samples(df: impl Fn(f64) -> f64, m: f64, s: f64, eps: &[f64]) -> (Vec<f64>, Vec<f64>) {
    assert!(s > 0.0, "reparam_gradient_samples: s must be > 0, got {s}");
    eps.iter().map(|&e| {
        let d = df(m + s * e);
        (d, d * e)
    }).unzip()
}

/// Per-sample score-function estimates $\big(f(z_i)\varepsilon_i/s,\ f(z_i)(\varepsilon_i^2-1)/s\big)$ of
/// $(\nabla_m, \nabla_s)\,\mathbb E[f]$, with $z_i = m + s\varepsilon_i$.
///
/// # Panics
/// If `s <= 0`.
///
/// # Examples
/// ```
/// let (gm, gs) = course::inference::score_gradient_samples(|z| z * z, 1.0, 0.5, &[2.0]);
/// assert_eq!(gm, vec![4.0 * 2.0 / 0.5]); // f(2) · (z − m)/s²
/// assert_eq!(gs, vec![4.0 * 3.0 / 0.5]); // f(2) · (ε² − 1)/s
/// ```
pub fn score_gradient_samples(f: impl Fn(f64) -> f64, m: f64, s: f64, eps: &[f64]) -> (Vec<f64>, Vec<f64>) {
    assert!(s > 0.0, "score_gradient_samples: s must be > 0, got {s}");
    eps.iter().map(|&e| {
        let v = f(m + s * e);
        (v * e / s, v * (e * e - 1.0) / s)
    }).unzip()
}

/// The exact per-sample variances of the two $\nabla_m$ estimators for $f(z) = z^2$:
/// reparameterization $\operatorname{Var}[2z] = 4s^2$, score function
/// $\operatorname{Var}[z^2\varepsilon/s] = m^4/s^2 + 14m^2 + 15s^2$ (Gaussian moments
/// $\mathbb E\varepsilon^2 = 1$, $\mathbb E\varepsilon^4 = 3$, $\mathbb E\varepsilon^6 = 15$). Returns `(reparam, score)`.
///
/// # Panics
/// If `s <= 0`.
///
/// # Examples
/// ```
/// assert_eq!(course::inference::square_gradient_variances(1.0, 1.0), (4.0, 30.0));
/// ```
pub fn square_gradient_variances(m: f64, s: f64) -> (f64, f64) {
    assert!(s > 0.0, "square_gradient_variances: s must be > 0, got {s}");
    (4.0 * s * s, m.powi(4) / (s * s) + 14.0 * m * m + 15.0 * s * s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{mean, variance};

    #[test]
    fn both_estimators_are_unbiased_for_a_smooth_f() {
        // E[sin z] = sin(m) e^{−s²/2}: ∇_m = cos(m) e^{−s²/2}, ∇_s = −s sin(m) e^{−s²/2}.
        let (m, s) = (0.7, 0.9);
        let eps = crate::rng::normal_vec(&mut crate::rng::seeded(1), 400_000);
        let (rm, rs) = reparam_gradient_samples(f64::cos, m, s, &eps);
        let (sm, ss) = score_gradient_samples(f64::sin, m, s, &eps);
        let damp = (-0.5 * s * s).exp();
        let exact = [m.cos() * damp, -s * m.sin() * damp];
        for (xs, e) in [(&rm, exact[0]), (&rs, exact[1]), (&sm, exact[0]), (&ss, exact[1])] {
            let se = (variance(xs) / xs.len() as f64).sqrt();
            assert!((mean(xs) - e).abs() < 4.0 * se, "{} vs {e} (se {se})", mean(xs));
        }
    }

    #[test]
    fn variances_for_the_square_match_the_closed_forms() {
        let eps = crate::rng::normal_vec(&mut crate::rng::seeded(2), 400_000);
        for &(m, s) in &[(1.0, 1.0), (2.0, 0.5)] {
            let (rm, _) = reparam_gradient_samples(|z| 2.0 * z, m, s, &eps);
            let (sm, _) = score_gradient_samples(|z| z * z, m, s, &eps);
            let (vr, vs) = square_gradient_variances(m, s);
            assert!((variance(&rm) / vr - 1.0).abs() < 0.02);
            assert!((variance(&sm) / vs - 1.0).abs() < 0.1);
        }
    }
}
