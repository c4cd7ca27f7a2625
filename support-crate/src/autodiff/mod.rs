//! Automatic differentiation: forward mode with dual numbers, reverse mode with a tape.
//!
//! A program is a composition of elementary operations $v_i = \phi_i(v_{p_1}, v_{p_2})$; the
//! chain rule propagates derivatives through it either forwards (tangents
//! $\dot v_i = \sum_p \partial_p\phi_i\,\dot v_p$, one input direction per pass) or backwards
//! (adjoints $\bar v_p = \sum_i \partial_p\phi_i\,\bar v_i$, the whole gradient of one output per
//! sweep):
//! $$\dot v_i = \sum_{p}\frac{\partial v_i}{\partial v_p}\dot v_p,\qquad
//!   \bar v_p = \sum_{i}\frac{\partial v_i}{\partial v_p}\bar v_i .$$
//!
//! | item | what |
//! |---|---|
//! | [`Scalar`] | numbers a function can be written for once: `f64`, [`Dual`], [`Var`] |
//! | [`Dual`], [`derivative`], [`gradient_forward`] | forward mode |
//! | [`Tape`], [`Var`], [`gradient_reverse`] | reverse mode (backpropagation) |
//! | [`central_difference`], [`forward_difference`] | the finite-difference baseline |
//! | [`example`], [`example_gradient`] | the running example and its closed-form gradient |
//! | [`burn_gradient_of_example`] (in the nn engine) | the same gradient from burn's autodiff |
//! | [`gradient_cost`] | operation counts and times of both modes |
//!
//! ## Reference
//! A. Griewank & A. Walther, *Evaluating Derivatives* (2008); A. G. Baydin, B. A. Pearlmutter,
//! A. A. Radul & J. M. Siskind (2018), *Automatic differentiation in machine learning: a survey*.
//!
//! Used in notebooks/06-automatic-differentiation.ipynb.

mod cost;
mod dual;
mod example;
mod finite_diff;
mod scalar;
mod tape;

pub use cost::{GradientCost, gradient_cost};
pub use dual::{Dual, derivative, gradient_forward};
pub use example::burn_gradient_of_example;
pub use example::{example, example_gradient};
pub use finite_diff::{central_difference, forward_difference};
pub use scalar::Scalar;
pub use tape::{Gradients, Tape, Var, gradient_reverse};
