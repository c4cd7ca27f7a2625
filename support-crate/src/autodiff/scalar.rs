//! Numbers that a differentiable function can be evaluated on: `f64`, dual numbers, tape variables.
//!
//! Automatic differentiation evaluates the *same* program on richer numbers. Write the
//! function once, generic over [`Scalar`],
//! $$f(x) = \ln\big(1+\textstyle\sum_i x_i^2\big) + \sum_i \sin(x_i)\,x_{i+1},$$
//! and evaluate it on `f64` (its value), on [`Dual`](super::Dual) (value and one directional
//! derivative: forward mode) or on [`Var`](super::Var) (value, and a tape from which
//! [`Var::backward`](super::Var::backward) computes the whole gradient: reverse mode).
//!
//! ## Reference
//! A. Griewank & A. Walther, *Evaluating Derivatives* (2008), ch. 1–3.
//!
//! Used in notebooks/06-automatic-differentiation.ipynb.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// A number type closed under arithmetic and the elementary functions, with a value.
///
/// Arithmetic with an `f64` constant on the right (`x * 2.0`, `x + 1.0`) is part of the trait;
/// to start a sum from a constant use [`constant`](Scalar::constant).
///
/// # Examples
/// ```
/// use course::autodiff::{Scalar, Dual};
/// fn f<S: Scalar>(x: S) -> S { x * x.sin() + 1.0 }
/// assert_eq!(f(2.0), 2.0 * 2f64.sin() + 1.0);          // on f64: the value
/// let d = f(Dual::variable(2.0));                        // on a dual number:
/// assert!((d.eps - (2f64.sin() + 2.0 * 2f64.cos())).abs() < 1e-15); // the derivative too
/// ```
pub trait Scalar:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// The plain value.
    fn value(&self) -> f64;
    /// The constant `c`, as a number of the same kind (on the same tape for [`Var`](super::Var)).
    fn constant(&self, c: f64) -> Self;
    /// $\sin x$.
    fn sin(self) -> Self;
    /// $\cos x$.
    fn cos(self) -> Self;
    /// $e^x$.
    fn exp(self) -> Self;
    /// $\ln x$.
    fn ln(self) -> Self;
    /// $\tanh x$.
    fn tanh(self) -> Self;
    /// $\sqrt x$.
    fn sqrt(self) -> Self;
    /// $x^n$.
    fn powi(self, n: i32) -> Self;
    /// The logistic sigmoid $1/(1+e^{-x})$.
    fn sigmoid(self) -> Self {
        self.constant(1.0) / ((-self).exp() + 1.0)
    }
    /// $\max(x, 0)$, with derivative 0 at 0.
    fn relu(self) -> Self {
        if self.value() > 0.0 { self } else { self * 0.0 }
    }
}

impl Scalar for f64 {
    fn value(&self) -> f64 {
        *self
    }
    fn constant(&self, c: f64) -> Self {
        c
    }
    fn sin(self) -> Self {
        f64::sin(self)
    }
    fn cos(self) -> Self {
        f64::cos(self)
    }
    fn exp(self) -> Self {
        f64::exp(self)
    }
    fn ln(self) -> Self {
        f64::ln(self)
    }
    fn tanh(self) -> Self {
        f64::tanh(self)
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn powi(self, n: i32) -> Self {
        f64::powi(self, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_methods_on_f64() {
        assert_eq!(Scalar::sigmoid(0.0), 0.5);
        assert_eq!(Scalar::relu(-2.0), -0.0);
        assert_eq!(Scalar::relu(3.0), 3.0);
        assert!((Scalar::sigmoid(2.0f64) - 1.0 / (1.0 + (-2.0f64).exp())).abs() < 1e-16);
    }
}
