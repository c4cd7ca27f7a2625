//! The standard normal law: density $\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}$ and distribution
//! function $\Phi(x) = \tfrac12\operatorname{erfc}(-x/\sqrt2)$.
//!
//! $$\Phi(x) = \int_{-\infty}^x \frac{e^{-s^2/2}}{\sqrt{2\pi}}\,ds$$
//!
//! `erfc` is W. J. Cody's rational Chebyshev approximation (relative error below $10^{-14}$ on
//! the ranges used here; we test against high-precision reference values).
//!
//! ## Reference
//! W. J. Cody (1969), *Rational Chebyshev approximations for the error function*, Math. Comp. 23;
//! W. Feller, *An Introduction to Probability Theory*, vol. I, ch. VII.
//!
//! Used in notebooks/12-probability-and-concentration.ipynb.

use std::f64::consts::PI;

/// The standard normal density $\varphi(x)$.
///
/// # Examples
/// ```
/// let phi0 = course::probability::normal_pdf(0.0);
/// assert!((phi0 - 0.3989422804014327).abs() < 1e-15);
/// ```
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

/// The standard normal distribution function $\Phi(x) = \Pr(Z \le x)$.
///
/// # Examples
/// ```
/// use course::probability::normal_cdf;
/// assert!((normal_cdf(1.0) - 0.8413447460685429).abs() < 1e-13);
/// assert!((normal_cdf(0.0) - 0.5).abs() < 1e-15);
/// ```
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Complementary error function (Cody 1969, as in the public-domain SPECFUN `CALERF`). The
/// coefficients are kept exactly as published, hence the allowed excess precision.
#[allow(clippy::excessive_precision)]
fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let ax = x.abs();
    let r = if ax < 0.5 {
        // erf on |x| < 0.5
        const A: [f64; 5] = [3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1];
        const B: [f64; 4] = [2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03];
        let z = x * x;
        let mut num = A[4] * z;
        let mut den = z;
        for i in 0..3 {
            num = (num + A[i]) * z;
            den = (den + B[i]) * z;
        }
        let erf = x * (num + A[3]) / (den + B[3]);
        return 1.0 - erf;
    } else if ax < 4.0 {
        const C: [f64; 9] = [
            5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
            8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
            2.15311535474403846e-8,
        ];
        const D: [f64; 8] = [
            1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
            3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03,
        ];
        let mut num = C[8] * ax;
        let mut den = ax;
        for i in 0..7 {
            num = (num + C[i]) * ax;
            den = (den + D[i]) * ax;
        }
        let r = (num + C[7]) / (den + D[7]);
        r * (-ax * ax).exp()
    } else {
        if ax > 27.0 {
            0.0
        } else {
            const P: [f64; 6] = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
            const Q: [f64; 5] = [2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
            let z = 1.0 / (ax * ax);
            let mut num = P[5] * z;
            let mut den = z;
            for i in 0..4 {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            let r = z * (num + P[4]) / (den + Q[4]);
            let r = (1.0 / PI.sqrt() - r) / ax;
            r * (-ax * ax).exp()
        }
    };
    if x < 0.0 { 2.0 - r } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_matches_reference_values() {
        // Reference values of Φ from high-precision tables (mpmath, 30 digits).
        let cases = [
            (-5.0, 2.866515718791939e-7),
            (-2.0, 0.022750131948179195),
            (-0.3, 0.3820885778110474),
            (0.4, 0.6554217416103242),
            (1.96, 0.9750021048517795),
            (3.0, 0.9986501019683699),
        ];
        for (x, p) in cases {
            let rel = (normal_cdf(x) - p).abs() / p;
            assert!(rel < 1e-12, "Φ({x}) = {} vs {p}", normal_cdf(x));
        }
    }

    #[test]
    fn cdf_is_the_integral_of_the_pdf() {
        // Simpson's rule on [-8, x] (error ≪ 1e-10 with 4000 intervals).
        for x in [-1.5, 0.2, 2.5] {
            let (a, n) = (-8.0, 4000);
            let h = (x - a) / n as f64;
            let s: f64 = (0..=n)
                .map(|i| {
                    let w = if i == 0 || i == n { 1.0 } else if i % 2 == 1 { 4.0 } else { 2.0 };
                    w * normal_pdf(a + i as f64 * h)
                })
                .sum::<f64>()
                * h
                / 3.0;
            assert!((s - normal_cdf(x)).abs() < 1e-10, "{x}: {s} vs {}", normal_cdf(x));
        }
    }
}
