//! The course's running example of a differentiable function, in every mode.
//!
//! $$f(x) = \ln\Big(1+\sum_{i=1}^n x_i^2\Big) + \sum_{i=1}^{n-1}\sin(x_i)\,x_{i+1},\qquad
//!   \frac{\partial f}{\partial x_j} = \frac{2x_j}{1+\lVert x\rVert^2} + \cos(x_j)\,x_{j+1} + \sin(x_{j-1})$$
//! (the last two terms only where $x_{j+1}$, resp. $x_{j-1}$, exist). It is written once,
//! generic over [`Scalar`], so the same code gives values (`f64`), forward-mode derivatives
//! ([`Dual`](super::Dual)) and reverse-mode gradients ([`Var`](super::Var)); with the `nn`
//! feature, `burn_gradient_of_example` computes the gradient with burn's autodiff (in `f32`).
//!
//! ## Reference
//! Baydin et al. (2018), *Automatic differentiation in machine learning: a survey*, §2.
//!
//! Used in notebooks/06-automatic-differentiation.ipynb.

use super::Scalar;

/// $f(x) = \ln(1+\lVert x\rVert^2) + \sum_i\sin(x_i)\,x_{i+1}$ on any [`Scalar`].
///
/// # Panics
/// If `x` is empty.
///
/// # Examples
/// ```
/// let f = course::autodiff::example(&[0.0, 2.0]);
/// assert_eq!(f, 5f64.ln()); // ln(1 + 4) + sin(0)·2
/// ```
pub fn example<S: Scalar>(x: &[S]) -> S {
    assert!(!x.is_empty(), "example: x must not be empty");
    let norm2 = x.iter().skip(1).fold(x[0] * x[0], |s, &v| s + v * v);
    let coupling = x.windows(2).fold(x[0].constant(0.0), |s, w| s + w[0].sin() * w[1]);
    (norm2 + 1.0).ln() + coupling
}

/// The gradient of [`example`] in closed form.
///
/// # Examples
/// ```
/// let g = course::autodiff::example_gradient(&[0.0, 2.0]);
/// assert_eq!(g, vec![2.0, 0.8]); // (0 + cos 0·2, 4/5 + sin 0)
/// ```
pub fn example_gradient(x: &[f64]) -> Vec<f64> {
    assert!(!x.is_empty(), "example_gradient: x must not be empty");
    let n = x.len();
    let denom = 1.0 + x.iter().map(|v| v * v).sum::<f64>();
    (0..n)
        .map(|j| {
            let mut g = 2.0 * x[j] / denom;
            if j + 1 < n {
                g += x[j].cos() * x[j + 1];
            }
            if j > 0 {
                g += x[j - 1].sin();
            }
            g
        })
        .collect()
}

/// The gradient of [`example`] computed by burn's reverse-mode autodiff: the same function
/// written with burn tensors, `require_grad`, `backward`, `grad`.
///
/// It runs on the backend of [`crate::nn`], burn's ndarray backend in `f32` (burn keeps one
/// default float type per device for the whole process, so the course never mixes `f32` and
/// `f64` burn backends): expect agreement with exact gradients to about $10^{-7}$ relative.
///
/// # Panics
/// If `x` has fewer than 2 entries.
///
/// # Examples
/// ```
/// let x = [0.3, -1.0, 2.0];
/// let burn = course::autodiff::burn_gradient_of_example(&x);
/// let exact = course::autodiff::example_gradient(&x);
/// assert!(burn.iter().zip(&exact).all(|(a, b)| (a - b).abs() < 1e-5 * (1.0 + b.abs())));
/// ```
pub fn burn_gradient_of_example(x: &[f64]) -> Vec<f64> {
    // burn runs in the nn engine (nn-engine/src/autodiff_example.rs), on its f32 backend.
    let out = crate::nn::engine::call("autodiff_example_gradient", x.into());
    out.f64s().expect("gradient").to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autodiff::{Dual, central_difference, gradient_forward, gradient_reverse};

    #[test]
    fn every_mode_agrees_with_the_closed_form() {
        let x: Vec<f64> = crate::rng::normal_vec(&mut crate::rng::seeded(4), 7);
        let exact = example_gradient(&x);
        let fwd = gradient_forward(|d: &[Dual]| example(d), &x);
        let rev = gradient_reverse(|v| example(v), &x);
        let fd = central_difference(&|p: &[f64]| example(p), &x, 1e-5);
        for i in 0..7 {
            assert!((fwd[i] - exact[i]).abs() < 1e-14);
            assert!((rev[i] - exact[i]).abs() < 1e-14);
            assert!((fd[i] - exact[i]).abs() < 1e-9);
        }
    }

    #[test]
    fn burn_agrees_with_the_closed_form() {
        let x: Vec<f64> = crate::rng::normal_vec(&mut crate::rng::seeded(5), 12);
        let burn = burn_gradient_of_example(&x);
        let exact = example_gradient(&x);
        assert_eq!(burn.len(), 12);
        for i in 0..12 {
            // f32 arithmetic: about 1e-7 relative, a few ulps more through ln and the sums.
            assert!((burn[i] - exact[i]).abs() < 1e-5 * (1.0 + exact[i].abs()), "{i}: {} vs {}", burn[i], exact[i]);
        }
    }
}
