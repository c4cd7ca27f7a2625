//! The optimal discriminator and the Jensen–Shannon value of the GAN game.
//!
//! For fixed densities $p$ (data) and $q$ (generator) the value
//! $$V(D, q) = \int p\log D + q\log(1 - D)\,dx$$
//! is maximized pointwise: $a\log y + b\log(1-y)$ is concave in $y\in(0,1)$ with maximum at
//! $y = a/(a+b)$, so $D^*(x) = \dfrac{p(x)}{p(x)+q(x)}$. Substituting, with $m = (p+q)/2$,
//! $$V(D^*, q) = \mathrm{KL}(p\,\Vert\,m) + \mathrm{KL}(q\,\Vert\,m) - \log 4 = 2\,\mathrm{JS}(p\,\Vert\,q) - \log 4 ,$$
//! and $0\le \mathrm{JS}\le\log 2$: the generator's best reply $q = p$ gives $V = -\log 4$.
//! Here the integrals are computed by composite Simpson quadrature on $[lo, hi]$.
//!
//! ## Reference
//! Goodfellow et al. (2014), *Generative adversarial nets*, Proposition 1 and Theorem 1.
//!
//! Used in notebooks/29-gans-and-wasserstein-gans.ipynb.

/// $D^*(x) = p/(p+q)$ from the two density values at a point (½ where both vanish).
///
/// # Panics
/// If a density value is negative or not finite.
///
/// # Examples
/// ```
/// use course::generative::gan::optimal_discriminator;
/// assert_eq!(optimal_discriminator(3.0, 1.0), 0.75);
/// assert_eq!(optimal_discriminator(0.0, 0.0), 0.5);
/// ```
pub fn optimal_discriminator(p: f64, q: f64) -> f64 {
    assert!(p.is_finite() && p >= 0.0, "optimal_discriminator: p must be finite and >= 0, got {p}");
    assert!(q.is_finite() && q >= 0.0, "optimal_discriminator: q must be finite and >= 0, got {q}");
    if p + q == 0.0 { 0.5 } else { p / (p + q) }
}

/// Composite Simpson rule $\int_{lo}^{hi} f$ with `n` (even, ≥ 2) sub-intervals; error $O(n^{-4})$.
///
/// # Panics
/// If `n` is odd or < 2, or `hi <= lo`.
///
/// # Examples
/// ```
/// use course::generative::gan::simpson;
/// // Simpson is exact on cubics.
/// assert!((simpson(&|x| x * x * x + x, 0.0, 2.0, 2) - 6.0).abs() < 1e-12);
/// ```
pub fn simpson(f: &dyn Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> f64 {
    assert!(n >= 2 && n % 2 == 0, "simpson: n must be even and >= 2, got {n}");
    assert!(hi > lo, "simpson: need hi > lo, got lo = {lo}, hi = {hi}");
    let h = (hi - lo) / n as f64;
    let mut s = f(lo) + f(hi);
    for i in 1..n {
        s += if i % 2 == 1 { 4.0 } else { 2.0 } * f(lo + i as f64 * h);
    }
    s * h / 3.0
}

/// $x\log(x/y)$ with the conventions $0\log(0/y) = 0$.
fn xlog(x: f64, y: f64) -> f64 {
    if x <= 0.0 { 0.0 } else { x * (x / y).ln() }
}

/// $\mathrm{KL}(p\,\Vert\,q) = \int p\log(p/q)$ by Simpson on `[lo, hi]` with `n` sub-intervals.
///
/// # Panics
/// As [`simpson`].
///
/// # Examples
/// ```
/// use course::generative::gan::kl_divergence_1d;
/// use std::f64::consts::PI;
/// let n = |m: f64, s: f64| move |x: f64| (-(x - m).powi(2) / (2.0 * s * s)).exp() / (s * (2.0 * PI).sqrt());
/// // KL(N(0,1) ‖ N(1,1)) = 1/2.
/// assert!((kl_divergence_1d(&n(0.0, 1.0), &n(1.0, 1.0), -12.0, 12.0, 2000) - 0.5).abs() < 1e-9);
/// ```
pub fn kl_divergence_1d(p: &dyn Fn(f64) -> f64, q: &dyn Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> f64 {
    simpson(&|x| xlog(p(x), q(x)), lo, hi, n)
}

/// $\mathrm{JS}(p\,\Vert\,q) = \frac12\mathrm{KL}(p\,\Vert\,m) + \frac12\mathrm{KL}(q\,\Vert\,m)$, $m = \frac{p+q}2$, by Simpson.
///
/// # Panics
/// As [`simpson`].
///
/// # Examples
/// ```
/// use course::generative::gan::js_divergence_1d;
/// // Disjoint supports: JS = log 2 (the GAN value saturates at 0).
/// let p = |x: f64| if (0.0..1.0).contains(&x) { 1.0 } else { 0.0 };
/// let q = |x: f64| if (2.0..3.0).contains(&x) { 1.0 } else { 0.0 };
/// assert!((js_divergence_1d(&p, &q, 0.0, 3.0, 3000) - 2f64.ln()).abs() < 1e-3);
/// ```
pub fn js_divergence_1d(p: &dyn Fn(f64) -> f64, q: &dyn Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> f64 {
    simpson(
        &|x| {
            let (a, b) = (p(x), q(x));
            let m = 0.5 * (a + b);
            0.5 * (xlog(a, m) + xlog(b, m))
        },
        lo,
        hi,
        n,
    )
}

/// The GAN value $V(D, q) = \int p\log D + q\log(1-D)$ of a discriminator `d` (values in [0,1]), by Simpson.
/// A logarithm of 0 (a discriminator that is exactly 0 or 1 in floating point) counts as
/// $\log$ `f64::MIN_POSITIVE` $\approx -708$, times a density weight that is then negligible.
///
/// # Panics
/// As [`simpson`].
///
/// # Examples
/// ```
/// use course::generative::gan::gan_value_1d;
/// // The useless discriminator D = 1/2 scores −log 4 whatever p and q are.
/// let p = |_x: f64| 1.0; // U[0, 1] on [0, 1]
/// let v = gan_value_1d(&p, &p, &|_| 0.5, 0.0, 1.0, 100);
/// assert!((v + 4f64.ln()).abs() < 1e-12);
/// ```
pub fn gan_value_1d(p: &dyn Fn(f64) -> f64, q: &dyn Fn(f64) -> f64, d: &dyn Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> f64 {
    simpson(
        &|x| {
            let (a, b, dx) = (p(x), q(x), d(x));
            // D = 1 in floating point where q ≪ p (and D = 0 where p ≪ q): the weight of the
            // infinite logarithm is then negligible, so clamp instead of returning −∞.
            let t1 = if a > 0.0 { a * dx.max(f64::MIN_POSITIVE).ln() } else { 0.0 };
            let t2 = if b > 0.0 { b * (1.0 - dx).max(f64::MIN_POSITIVE).ln() } else { 0.0 };
            t1 + t2
        },
        lo,
        hi,
        n,
    )
}

/// $\mathrm{JS}(\mathrm{Bern}(a)\,\Vert\,\mathrm{Bern}(b))$ in nats, in closed form.
///
/// # Panics
/// If `a` or `b` is outside [0, 1].
///
/// # Examples
/// ```
/// use course::generative::gan::js_bernoulli;
/// assert!((js_bernoulli(0.0, 1.0) - 2f64.ln()).abs() < 1e-15);
/// assert_eq!(js_bernoulli(0.3, 0.3), 0.0);
/// ```
pub fn js_bernoulli(a: f64, b: f64) -> f64 {
    assert!((0.0..=1.0).contains(&a), "js_bernoulli: a must be in [0, 1], got {a}");
    assert!((0.0..=1.0).contains(&b), "js_bernoulli: b must be in [0, 1], got {b}");
    let (m1, m0) = (0.5 * (a + b), 1.0 - 0.5 * (a + b));
    0.5 * (xlog(a, m1) + xlog(1.0 - a, m0)) + 0.5 * (xlog(b, m1) + xlog(1.0 - b, m0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn normal(m: f64, s: f64) -> impl Fn(f64) -> f64 {
        move |x| (-(x - m).powi(2) / (2.0 * s * s)).exp() / (s * (2.0 * PI).sqrt())
    }

    #[test]
    fn value_at_the_optimum_is_twice_js_minus_log4() {
        let (p, q) = (normal(0.0, 1.0), normal(1.5, 0.7));
        let d = |x: f64| optimal_discriminator(p(x), q(x));
        let v = gan_value_1d(&p, &q, &d, -12.0, 12.0, 4000);
        let js = js_divergence_1d(&p, &q, -12.0, 12.0, 4000);
        assert!((v - (2.0 * js - 4f64.ln())).abs() < 1e-10);
        // Independent route: JS = H(m) − (H(p) + H(q))/2 with the Gaussian entropies ½log(2πeσ²).
        let m = |x: f64| 0.5 * (p(x) + q(x));
        let h_m = simpson(&|x| -xlog(m(x), 1.0), -12.0, 12.0, 4000);
        let h = |s: f64| 0.5 * (2.0 * PI * std::f64::consts::E * s * s).ln();
        assert!((js - (h_m - 0.5 * (h(1.0) + h(0.7)))).abs() < 1e-9);
    }

    #[test]
    fn optimum_beats_every_perturbation() {
        let (p, q) = (normal(0.0, 1.0), normal(2.0, 1.0));
        let d = |x: f64| optimal_discriminator(p(x), q(x));
        let best = gan_value_1d(&p, &q, &d, -12.0, 14.0, 4000);
        for eps in [0.2, 0.05, -0.05, -0.2] {
            let dp = |x: f64| (d(x) + eps * (x.sin() * 0.5) * d(x) * (1.0 - d(x))).clamp(1e-12, 1.0 - 1e-12);
            assert!(gan_value_1d(&p, &q, &dp, -12.0, 14.0, 4000) < best);
        }
    }

    #[test]
    fn simpson_converges_at_fourth_order() {
        let e = |n| (simpson(&|x: f64| x.exp(), 0.0, 1.0, n) - (1f64.exp() - 1.0)).abs();
        let slope = (e(8) / e(64)).ln() / 8f64.ln();
        assert!((slope - 4.0).abs() < 0.1, "{slope}");
    }

    #[test]
    fn js_of_uniforms_matches_closed_form_and_bernoulli_limit() {
        // p = U[0,1], q = U[0,2]: JS = ½ log(4/3) + ¼ log(2/3) + ¼ log 2.
        let p = |x: f64| if (0.0..1.0).contains(&x) { 1.0 } else { 0.0 };
        let q = |x: f64| if (0.0..2.0).contains(&x) { 0.5 } else { 0.0 };
        let exact = 0.5 * (4.0f64 / 3.0).ln() + 0.25 * (2.0f64 / 3.0).ln() + 0.25 * 2f64.ln();
        assert!((js_divergence_1d(&p, &q, 0.0, 2.0, 20_000) - exact).abs() < 1e-3);
        // The same as JS of the Bernoullis "x < 1": p puts 1, q puts ½ there (the densities are
        // constant on [0,1) and [1,2), so the JS reduces to that of the two cells' masses).
        assert!((js_bernoulli(1.0, 0.5) - exact).abs() < 1e-14);
        assert!((js_bernoulli(0.2, 0.7) - js_bernoulli(0.7, 0.2)).abs() < 1e-15);
    }
}
