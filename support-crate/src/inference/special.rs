//! Special functions for conjugate inference: $\ln\Gamma$ and the digamma function $\psi$.
//!
//! $$\ln\Gamma(x)\ \text{(Lanczos, } g = 7\text{)},\qquad
//!   \psi(x) = \frac{d}{dx}\ln\Gamma(x) = \psi(x+1) - \frac1x
//!   \approx \ln x - \frac1{2x} - \sum_{k\ge1}\frac{B_{2k}}{2k\,x^{2k}}\quad(x\to\infty).$$
//!
//! The Gamma distribution's normalizer and its expected logarithm
//! $\mathbb E[\ln\tau] = \psi(a) - \ln b$ need them (the standard library has neither on
//! stable Rust).
//!
//! ## Reference
//! C. Lanczos (1964), *A precision approximation of the gamma function*; Abramowitz & Stegun,
//! *Handbook of Mathematical Functions*, 6.1 and 6.3.
//!
//! Used in notebooks/18-variational-inference.ipynb.

const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// $\ln\Gamma(x)$ for $x > 0$ (relative error about $10^{-14}$).
///
/// # Panics
/// If `x <= 0` or `x` is not finite.
///
/// # Examples
/// ```
/// use course::inference::ln_gamma;
/// assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);            // Γ(5) = 4!
/// assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13); // Γ(½) = √π
/// ```
pub fn ln_gamma(x: f64) -> f64 {
    assert!(x.is_finite() && x > 0.0, "ln_gamma: x must be finite and > 0, got {x}");
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let series = LANCZOS[0] + (1..9).map(|k| LANCZOS[k] / (x + k as f64)).sum::<f64>();
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

/// The digamma function $\psi(x) = \Gamma'(x)/\Gamma(x)$ for $x > 0$ (absolute error below $10^{-13}$).
///
/// # Panics
/// If `x <= 0` or `x` is not finite.
///
/// # Examples
/// ```
/// use course::inference::digamma;
/// let euler_gamma = 0.577_215_664_901_532_9;
/// assert!((digamma(1.0) + euler_gamma).abs() < 1e-13);               // ψ(1) = −γ
/// assert!((digamma(0.5) + euler_gamma + 2.0 * 2f64.ln()).abs() < 1e-13); // ψ(½) = −γ − 2 ln 2
/// ```
pub fn digamma(x: f64) -> f64 {
    assert!(x.is_finite() && x > 0.0, "digamma: x must be finite and > 0, got {x}");
    let mut x = x;
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x; // ψ(x) = ψ(x + 1) − 1/x
        x += 1.0;
    }
    let x2 = 1.0 / (x * x);
    // Bernoulli numbers B₂ … B₁₀ divided by 2k.
    let tail = x2 * (1.0 / 12.0 - x2 * (1.0 / 120.0 - x2 * (1.0 / 252.0 - x2 * (1.0 / 240.0 - x2 / 132.0))));
    acc + x.ln() - 0.5 / x - tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials_and_recurrence() {
        let mut fact = 1.0f64;
        for n in 1..30 {
            // Γ(n + 1) = n!
            fact *= n as f64;
            assert!((ln_gamma(n as f64 + 1.0) - fact.ln()).abs() < 1e-12 * fact.ln().max(1.0), "n = {n}");
        }
        for &x in &[0.1, 0.3, 0.7, 1.5, 3.3, 12.7, 100.1] {
            // Γ(x + 1) = x Γ(x)
            assert!((ln_gamma(x + 1.0) - ln_gamma(x) - f64::ln(x)).abs() < 1e-12, "x = {x}");
        }
    }

    #[test]
    fn digamma_is_the_derivative_of_ln_gamma() {
        for &x in &[0.2, 0.9, 1.7, 4.2, 25.0] {
            let h = 1e-5;
            let fd = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!((digamma(x) - fd).abs() < 1e-8, "x = {x}: {} vs {fd}", digamma(x));
            assert!((digamma(x + 1.0) - digamma(x) - 1.0 / x).abs() < 1e-12);
        }
    }
}
