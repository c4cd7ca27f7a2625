//! Guidance on Gaussians: the tilted law $p(x\mid y)^{1+w}/p(x)^w$ in closed form, and what the guided
//! sampler really produces.
//!
//! If $p(x\mid y) = \mathcal N(\mu_c, a)$ and $p(x) = \mathcal N(\mu_u, b)$ (1-D), the tilt is Gaussian with
//! $$\frac1{v} = \frac{1+w}{a} - \frac{w}{b},\qquad m = v\Big(\frac{(1+w)\mu_c}{a} - \frac{w\mu_u}{b}\Big).$$
//! At noise level $\sigma$ the guided score $s_w = (1+w)s(x\mid y) - w\,s(x)$ is the score of the tilt of the
//! *noised* laws ($a, b \to a+\sigma^2, b+\sigma^2$), with moments $(m_\sigma, v_\sigma)$, which is not the tilt at 0
//! noised ($v_0 + \sigma^2$). The probability-flow ODE $dx/d\sigma = \sigma(x - m_\sigma)/v_\sigma$ is linear, so it
//! carries a Gaussian to a Gaussian whose mean and variance solve
//! $$\frac{dM}{d\sigma} = \frac{\sigma\,(M - m_\sigma)}{v_\sigma},\qquad \frac{dV}{d\sigma} = \frac{2\sigma V}{v_\sigma};$$
//! started at the tilt at $\sigma_{\max}$, it ends at $V(0)\ne v_0$: guided sampling does not sample the tilted
//! data law.
//!
//! ## Reference
//! M. Chen, S. Mei, J. Fan, M. Wang, *An Overview of Diffusion Models* (arXiv:2404.07771, 2024), §4;
//! Y. Wu, M. Chen, Z. Li, M. Wang, Y. Wei, *Theoretical Insights for Diffusion Guidance: A Case Study for
//! Gaussian Mixture Models* (ICML 2024).
//!
//! Used in notebooks/33-guided-diffusion-and-statistical-rates.ipynb.

/// Mean and variance of the 1-D tilt $\mathcal N(\mu_c, a)^{1+w}/\mathcal N(\mu_u, b)^w$ (normalized).
///
/// # Panics
/// If `var_c` or `var_u` is not > 0, `w < 0`, or the tilt's precision $(1+w)/a - w/b$ is not > 0 (then the
/// tilt is not normalizable).
///
/// # Examples
/// ```
/// use course::generative::guidance::tilted_gaussian;
/// // a = 1, b = 2, w = 1: precision 2 − ½ = 1.5, mean (2·1 − 0)/1.5
/// let (m, v) = tilted_gaussian(1.0, 1.0, 0.0, 2.0, 1.0);
/// assert!((v - 1.0 / 1.5).abs() < 1e-15 && (m - 2.0 / 1.5).abs() < 1e-15);
/// ```
pub fn tilted_gaussian(mu_c: f64, var_c: f64, mu_u: f64, var_u: f64, w: f64) -> (f64, f64) {
    assert!(var_c > 0.0 && var_u > 0.0, "tilted_gaussian: var_c and var_u must be > 0, got {var_c}, {var_u}");
    assert!(w >= 0.0 && w.is_finite(), "tilted_gaussian: w must be >= 0, got {w}");
    let prec = (1.0 + w) / var_c - w / var_u;
    assert!(prec > 0.0, "tilted_gaussian: the tilt's precision (1+w)/var_c − w/var_u must be > 0, got {prec}");
    let v = 1.0 / prec;
    (v * ((1.0 + w) * mu_c / var_c - w * mu_u / var_u), v)
}

/// Mean and variance of the law the guided probability-flow ODE produces at $\sigma = 0$ when started from
/// the guided law at `sigma_max` (the tilt of the noised Gaussians there), by RK4 on `n_steps` steps of the
/// moment ODEs above.
///
/// # Panics
/// As [`tilted_gaussian`] at any level, or if `sigma_max <= 0` or `n_steps == 0`.
///
/// # Examples
/// ```
/// use course::generative::guidance::{guided_flow_gaussian, tilted_gaussian};
/// // w = 0: the flow is the exact conditional flow and returns N(μ_c, a)
/// let (m, v) = guided_flow_gaussian(1.0, 0.25, 0.0, 1.25, 0.0, 20.0, 2000);
/// assert!((m - 1.0).abs() < 1e-6 && (v - 0.25).abs() < 1e-6);
/// // w = 3: the variance differs from the tilt's
/// let (_, v3) = guided_flow_gaussian(1.0, 0.25, 0.0, 1.25, 3.0, 20.0, 2000);
/// assert!((v3 - tilted_gaussian(1.0, 0.25, 0.0, 1.25, 3.0).1).abs() > 0.01);
/// ```
pub fn guided_flow_gaussian(mu_c: f64, var_c: f64, mu_u: f64, var_u: f64, w: f64, sigma_max: f64, n_steps: usize) -> (f64, f64) {
    assert!(sigma_max > 0.0 && sigma_max.is_finite(), "guided_flow_gaussian: sigma_max must be > 0, got {sigma_max}");
    assert!(n_steps > 0, "guided_flow_gaussian: n_steps must be > 0");
    let at = |s: f64| tilted_gaussian(mu_c, var_c + s * s, mu_u, var_u + s * s, w);
    let rhs = |s: f64, m: f64, v: f64| {
        let (ms, vs) = at(s);
        (s * (m - ms) / vs, 2.0 * s * v / vs)
    };
    let (mut m, mut v) = at(sigma_max);
    // integrate in u = ln(1 + σ) so that the steps are fine near 0 and coarse at large σ
    let (u0, u1) = ((1.0 + sigma_max).ln(), 0.0);
    let h = (u1 - u0) / n_steps as f64;
    let f = |u: f64, m: f64, v: f64| {
        let s = u.exp() - 1.0;
        let (dm, dv) = rhs(s, m, v);
        (dm * (s + 1.0), dv * (s + 1.0)) // dσ/du = e^u
    };
    for k in 0..n_steps {
        let u = u0 + k as f64 * h;
        let k1 = f(u, m, v);
        let k2 = f(u + h / 2.0, m + h / 2.0 * k1.0, v + h / 2.0 * k1.1);
        let k3 = f(u + h / 2.0, m + h / 2.0 * k2.0, v + h / 2.0 * k2.1);
        let k4 = f(u + h, m + h * k3.0, v + h * k3.1);
        m += h / 6.0 * (k1.0 + 2.0 * k2.0 + 2.0 * k3.0 + k4.0);
        v += h / 6.0 * (k1.1 + 2.0 * k2.1 + 2.0 * k3.1 + k4.1);
    }
    (m, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilt_matches_quadrature() {
        // normalize exp((1+w) log N(μc, a) − w log N(μu, b)) on a fine grid
        let (mc, a, mu, b, w) = (0.7, 0.3, -0.2, 1.1, 2.0);
        let (m, v) = tilted_gaussian(mc, a, mu, b, w);
        let (lo, hi, n) = (-8.0, 8.0, 40_001);
        let h = (hi - lo) / (n - 1) as f64;
        let (mut z, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let x: f64 = lo + i as f64 * h;
            let l = -(1.0 + w) * (x - mc).powi(2) / (2.0 * a) + w * (x - mu).powi(2) / (2.0 * b);
            let p = l.exp();
            z += p;
            s1 += p * x;
            s2 += p * x * x;
        }
        let (qm, qv) = (s1 / z, s2 / z - (s1 / z).powi(2));
        assert!((qm - m).abs() < 1e-9 && (qv - v).abs() < 1e-9, "{qm} {qv} vs {m} {v}");
    }

    #[test]
    fn flow_with_the_true_noised_score_would_keep_the_tilt() {
        // if v_σ were v_0 + σ², dV/dσ = 2σ V/v_σ keeps V = v_σ: check the ODE solver on w = 0 for several laws
        for (mc, a, mu, b) in [(1.0, 0.25, 0.0, 1.25), (-2.0, 2.0, 1.0, 0.5)] {
            let (m, v) = guided_flow_gaussian(mc, a, mu, b, 0.0, 30.0, 4000);
            assert!((m - mc).abs() < 1e-7 && (v - a).abs() < 1e-7);
        }
    }

    #[test]
    fn guided_flow_variance_has_a_closed_form() {
        // d ln V/dσ = 2σ(1+w)/(a+σ²) − 2σw/(b+σ²): V(0) = V(σ_max) (a/(a+σ_max²))^{1+w} ((b+σ_max²)/b)^w
        let (a, b, sm) = (0.25, 1.25, 20.0);
        for w in [0.5, 1.0, 3.0] {
            let v_start = tilted_gaussian(1.0, a + sm * sm, 0.0, b + sm * sm, w).1;
            let closed = v_start * (a / (a + sm * sm)).powf(1.0 + w) * ((b + sm * sm) / b).powf(w);
            let v = guided_flow_gaussian(1.0, a, 0.0, b, w, sm, 2000).1;
            assert!((v / closed - 1.0).abs() < 1e-8, "w {w}: {v} vs {closed}");
        }
    }

    #[test]
    fn guided_flow_converges_at_fourth_order() {
        let ref_v = guided_flow_gaussian(1.0, 0.25, 0.0, 1.25, 3.0, 20.0, 8000).1;
        let e1 = (guided_flow_gaussian(1.0, 0.25, 0.0, 1.25, 3.0, 20.0, 50).1 - ref_v).abs();
        let e2 = (guided_flow_gaussian(1.0, 0.25, 0.0, 1.25, 3.0, 20.0, 100).1 - ref_v).abs();
        assert!(e1 / e2 > 12.0, "ratio {}", e1 / e2);
    }

    #[test]
    #[should_panic(expected = "precision")]
    fn improper_tilt_panics() {
        tilted_gaussian(0.0, 1.0, 0.0, 0.5, 1.0); // 2 − 2 = 0
    }
}
