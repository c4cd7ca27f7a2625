//! Forward mode: dual numbers $a + b\varepsilon$ with $\varepsilon^2 = 0$.
//!
//! For a smooth $f$, Taylor's formula stops after one term:
//! $$f(a + b\varepsilon) = f(a) + f'(a)\,b\,\varepsilon .$$
//! So evaluating a program on $x + 1\varepsilon$ carries the derivative along with the value,
//! one elementary operation at a time: $(a+b\varepsilon)(c+d\varepsilon) = ac + (ad+bc)\varepsilon$,
//! $\sin(a+b\varepsilon) = \sin a + b\cos a\,\varepsilon$, and so on. With $n$ inputs, one pass
//! seeded with $\dot x = e_i$ gives $\partial f/\partial x_i$: the full gradient costs $n$ passes.
//!
//! ## Reference
//! A. Griewank & A. Walther, *Evaluating Derivatives* (2008), §3.1; A. G. Baydin, B. A.
//! Pearlmutter, A. A. Radul & J. M. Siskind (2018), *Automatic differentiation in machine
//! learning: a survey*, §3.1.
//!
//! Used in notebooks/06-automatic-differentiation.ipynb.

use super::Scalar;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// The dual number `re + eps·ε`: a value and a directional derivative.
///
/// # Examples
/// ```
/// use course::autodiff::Dual;
/// let x = Dual::variable(3.0);       // 3 + 1ε
/// let y = x * x + x * 2.0;           // x² + 2x at 3: value 15, derivative 2·3 + 2 = 8
/// assert_eq!((y.re, y.eps), (15.0, 8.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual {
    /// The value $a$.
    pub re: f64,
    /// The derivative part $b$ (the coefficient of $\varepsilon$).
    pub eps: f64,
}

impl Dual {
    /// $a + b\varepsilon$.
    pub fn new(re: f64, eps: f64) -> Self {
        Dual { re, eps }
    }

    /// The independent variable $x + 1\varepsilon$ (seed $\dot x = 1$).
    pub fn variable(x: f64) -> Self {
        Dual { re: x, eps: 1.0 }
    }

    /// A constant $c + 0\varepsilon$.
    pub fn constant(c: f64) -> Self {
        Dual { re: c, eps: 0.0 }
    }

    /// The chain rule for an elementary function with value `f` and derivative `df` at `re`.
    fn chain(self, f: f64, df: f64) -> Self {
        Dual { re: f, eps: df * self.eps }
    }
}

impl Add for Dual {
    type Output = Dual;
    fn add(self, o: Dual) -> Dual {
        Dual { re: self.re + o.re, eps: self.eps + o.eps }
    }
}

impl Sub for Dual {
    type Output = Dual;
    fn sub(self, o: Dual) -> Dual {
        Dual { re: self.re - o.re, eps: self.eps - o.eps }
    }
}

impl Mul for Dual {
    type Output = Dual;
    fn mul(self, o: Dual) -> Dual {
        Dual { re: self.re * o.re, eps: self.re * o.eps + self.eps * o.re }
    }
}

impl Div for Dual {
    type Output = Dual;
    fn div(self, o: Dual) -> Dual {
        Dual { re: self.re / o.re, eps: (self.eps * o.re - self.re * o.eps) / (o.re * o.re) }
    }
}

impl Neg for Dual {
    type Output = Dual;
    fn neg(self) -> Dual {
        Dual { re: -self.re, eps: -self.eps }
    }
}

impl Add<f64> for Dual {
    type Output = Dual;
    fn add(self, c: f64) -> Dual {
        Dual { re: self.re + c, eps: self.eps }
    }
}

impl Sub<f64> for Dual {
    type Output = Dual;
    fn sub(self, c: f64) -> Dual {
        Dual { re: self.re - c, eps: self.eps }
    }
}

impl Mul<f64> for Dual {
    type Output = Dual;
    fn mul(self, c: f64) -> Dual {
        Dual { re: self.re * c, eps: self.eps * c }
    }
}

impl Div<f64> for Dual {
    type Output = Dual;
    fn div(self, c: f64) -> Dual {
        Dual { re: self.re / c, eps: self.eps / c }
    }
}

impl Add<Dual> for f64 {
    type Output = Dual;
    fn add(self, x: Dual) -> Dual {
        x + self
    }
}

impl Sub<Dual> for f64 {
    type Output = Dual;
    fn sub(self, x: Dual) -> Dual {
        -x + self
    }
}

impl Mul<Dual> for f64 {
    type Output = Dual;
    fn mul(self, x: Dual) -> Dual {
        x * self
    }
}

impl Div<Dual> for f64 {
    type Output = Dual;
    fn div(self, x: Dual) -> Dual {
        Dual::constant(self) / x
    }
}

impl Scalar for Dual {
    fn value(&self) -> f64 {
        self.re
    }
    fn constant(&self, c: f64) -> Self {
        Dual::constant(c)
    }
    fn sin(self) -> Self {
        self.chain(self.re.sin(), self.re.cos())
    }
    fn cos(self) -> Self {
        self.chain(self.re.cos(), -self.re.sin())
    }
    fn exp(self) -> Self {
        let e = self.re.exp();
        self.chain(e, e)
    }
    fn ln(self) -> Self {
        self.chain(self.re.ln(), 1.0 / self.re)
    }
    fn tanh(self) -> Self {
        let t = self.re.tanh();
        self.chain(t, 1.0 - t * t)
    }
    fn sqrt(self) -> Self {
        let s = self.re.sqrt();
        self.chain(s, 0.5 / s)
    }
    fn powi(self, n: i32) -> Self {
        self.chain(self.re.powi(n), f64::from(n) * self.re.powi(n - 1))
    }
}

/// $f'(x)$ by one forward pass on $x + 1\varepsilon$.
///
/// # Examples
/// ```
/// use course::autodiff::{derivative, Scalar};
/// let d = derivative(|x| x.exp() * x, 1.0); // (x eˣ)' = (1 + x) eˣ
/// assert!((d - 2.0 * 1f64.exp()).abs() < 1e-15);
/// ```
pub fn derivative(f: impl Fn(Dual) -> Dual, x: f64) -> f64 {
    f(Dual::variable(x)).eps
}

/// The gradient $\nabla f(x)$ by forward mode: $n$ passes, pass $i$ seeded with $\dot x = e_i$.
///
/// # Examples
/// ```
/// use course::autodiff::{gradient_forward, Dual};
/// let g = gradient_forward(|x: &[Dual]| x[0] * x[1] * x[1], &[2.0, 3.0]);
/// assert_eq!(g, vec![9.0, 12.0]); // (y², 2xy)
/// ```
pub fn gradient_forward(f: impl Fn(&[Dual]) -> Dual, x: &[f64]) -> Vec<f64> {
    let mut seeded: Vec<Dual> = x.iter().map(|&v| Dual::constant(v)).collect();
    (0..x.len())
        .map(|i| {
            seeded[i].eps = 1.0;
            let d = f(&seeded).eps;
            seeded[i].eps = 0.0;
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central difference of a scalar function, the oracle of these tests.
    fn fd(f: impl Fn(f64) -> f64, x: f64) -> f64 {
        let h = 1e-5;
        (f(x + h) - f(x - h)) / (2.0 * h)
    }

    #[test]
    fn elementary_functions_match_closed_forms() {
        let x = 0.7;
        type Case = (fn(Dual) -> Dual, f64);
        let cases: [Case; 8] = [
            (|d| d.sin(), x.cos()),
            (|d| d.cos(), -x.sin()),
            (|d| d.exp(), x.exp()),
            (|d| d.ln(), 1.0 / x),
            (|d| d.tanh(), 1.0 - x.tanh().powi(2)),
            (|d| d.sqrt(), 0.5 / x.sqrt()),
            (|d| d.powi(3), 3.0 * x * x),
            (|d| d.sigmoid(), (-x).exp() / (1.0 + (-x).exp()).powi(2)),
        ];
        for (i, (f, exact)) in cases.iter().enumerate() {
            assert!((derivative(f, x) - exact).abs() < 1e-14, "case {i}");
        }
    }

    #[test]
    fn arithmetic_matches_finite_differences() {
        let f = |x: Dual| (x * 3.0 - 1.0) / (x * x + 2.0) + 1.0 / x - (2.0 - x) * (0.5 * x) + (x + 1.0).relu();
        let g = |x: f64| (x * 3.0 - 1.0) / (x * x + 2.0) + 1.0 / x - (2.0 - x) * (0.5 * x) + (x + 1.0).max(0.0);
        for x in [0.3, 1.7, -0.4] {
            assert!((derivative(f, x) - fd(g, x)).abs() < 1e-7, "x = {x}"); // h²f'''/6 ≈ 1e-8 at x = 0.3
        }
    }

    #[test]
    fn gradient_forward_matches_each_partial() {
        let f = |x: &[Dual]| (x[0] * x[1]).sin() + x[2].exp() * x[0];
        let x = [0.5, -1.0, 0.2];
        let g = gradient_forward(f, &x);
        let exact = [
            -(-0.5f64).cos() + 0.2f64.exp(), // x1 cos(x0 x1) + e^x2
            0.5 * (-0.5f64).cos(),
            0.2f64.exp() * 0.5,
        ];
        for i in 0..3 {
            assert!((g[i] - exact[i]).abs() < 1e-15);
        }
    }
}
