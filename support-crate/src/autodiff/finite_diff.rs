//! Finite differences: the derivative-free baseline that automatic differentiation is checked
//! against.
//!
//! $$\frac{f(x+he_i)-f(x)}{h} = \partial_if(x) + O(h),\qquad
//!   \frac{f(x+he_i)-f(x-he_i)}{2h} = \partial_if(x) + \frac{h^2}{6}\,\partial_i^3f(x) + O(h^4).$$
//! Round-off adds an error of about $\epsilon_{\rm mach}|f|/h$, so the total error of the central
//! difference is smallest near $h\approx\epsilon_{\rm mach}^{1/3}\approx 6\cdot 10^{-6}$, where it is
//! about $10^{-11}$: finite differences never reach the machine precision that automatic
//! differentiation gives, and cost $n$ (forward) or $2n$ (central) evaluations of $f$.
//!
//! ## Reference
//! Nocedal & Wright, *Numerical Optimization* (2006), §8.1; Griewank & Walther, *Evaluating
//! Derivatives* (2008), §1.
//!
//! Used in notebooks/06-automatic-differentiation.ipynb.

/// The central-difference gradient $\big(f(x+he_i)-f(x-he_i)\big)/2h$, $i = 1..n$.
///
/// # Panics
/// If `h <= 0`.
///
/// # Examples
/// ```
/// use course::autodiff::central_difference;
/// let g = central_difference(&|x: &[f64]| x[0].powi(3) + x[1], &[1.0, 5.0], 1e-3);
/// assert!((g[0] - (3.0 + 1e-6)).abs() < 1e-12); // 3x² + h²: the O(h²) error, exactly
/// assert!((g[1] - 1.0).abs() < 1e-12);
/// ```
pub fn central_difference(f: &dyn Fn(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    assert!(h > 0.0 && h.is_finite(), "central_difference: h must be > 0, got {h}");
    let mut p = x.to_vec();
    (0..x.len())
        .map(|i| {
            p[i] = x[i] + h;
            let up = f(&p);
            p[i] = x[i] - h;
            let down = f(&p);
            p[i] = x[i];
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// The forward-difference gradient $\big(f(x+he_i)-f(x)\big)/h$, $i = 1..n$.
///
/// # Panics
/// If `h <= 0`.
///
/// # Examples
/// ```
/// use course::autodiff::forward_difference;
/// let g = forward_difference(&|x: &[f64]| x[0] * x[0], &[1.0], 1e-3);
/// assert!((g[0] - (2.0 + 1e-3)).abs() < 1e-10); // 2x + h: the O(h) error
/// ```
pub fn forward_difference(f: &dyn Fn(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    assert!(h > 0.0 && h.is_finite(), "forward_difference: h must be > 0, got {h}");
    let f0 = f(x);
    let mut p = x.to_vec();
    (0..x.len())
        .map(|i| {
            p[i] = x[i] + h;
            let up = f(&p);
            p[i] = x[i];
            (up - f0) / h
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::loglog_slope;

    #[test]
    fn measured_orders_are_two_and_one() {
        // Oracle: the closed-form derivative of sin; measured orders of the two formulas.
        let f = |x: &[f64]| x[0].sin();
        let x = [0.9];
        let hs: Vec<f64> = (1..=8).map(|k| 0.2 / 2f64.powi(k)).collect();
        let central: Vec<f64> = hs.iter().map(|&h| (central_difference(&f, &x, h)[0] - 0.9f64.cos()).abs()).collect();
        let forward: Vec<f64> = hs.iter().map(|&h| (forward_difference(&f, &x, h)[0] - 0.9f64.cos()).abs()).collect();
        let p2 = loglog_slope(&hs, &central, (1e-4, 1.0));
        let p1 = loglog_slope(&hs, &forward, (1e-4, 1.0));
        assert!((p2 - 2.0).abs() < 0.05, "central order {p2}");
        assert!((p1 - 1.0).abs() < 0.05, "forward order {p1}");
    }
}
