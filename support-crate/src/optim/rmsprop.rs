//! RMSprop: gradient steps divided by a running root-mean-square of the gradient.
//!
//! $$v_k = \rho\,v_{k-1} + (1-\rho)\,g_k^2,\qquad x_{k+1} = x_k - \alpha\,\frac{g_k}{\sqrt{v_k}+\varepsilon}$$
//! (squares, roots and the division coordinatewise, $v_0 = 0$, $\varepsilon = 10^{-8}$). Each
//! coordinate gets its own step size $\alpha/\sqrt{v}$: multiplying all gradients of one
//! coordinate by a constant changes nothing, so on $\frac12\sum_i\lambda_ix_i^2$ the iterates do not
//! depend on the $\lambda_i$. A diagonal preconditioner: it undoes badly scaled *axes*, not badly
//! scaled directions in general. With a constant $\alpha$ the steps have length about $\alpha$
//! per coordinate even near the minimum, so the iterates end in a small cycle of size
//! $O(\alpha)$ around it.
//!
//! ## Reference
//! T. Tieleman & G. Hinton (2012), *Lecture 6.5 — RMSprop*, COURSERA: Neural Networks for
//! Machine Learning; Goodfellow, Bengio & Courville, *Deep Learning* (2016), §8.5.2.
//!
//! Used in notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::objective::{check_lr, check_x0, checked_gradient, iterate};
use super::{History, Objective};
use ndarray::Array1;

/// The $\varepsilon$ of RMSprop and Adam, guarding the division.
///
/// # Examples
/// ```
/// assert_eq!(course::optim::EPS, 1e-8);
/// ```
pub const EPS: f64 = 1e-8;

/// `n_steps` RMSprop steps with step `lr` and decay `decay` ($\rho$, typically 0.9) from `x0`.
///
/// # Panics
/// If `lr <= 0`, `decay` is outside `[0, 1)`, or `x0` is empty or not finite.
///
/// # Examples
/// ```
/// use course::optim::{rmsprop, Quadratic};
/// use ndarray::array;
/// // First step: v = (1 − ρ) g², so the step is α g/|g|/√(1 − ρ) per coordinate, whatever the scale of g.
/// let q = Quadratic::diagonal(&[1.0, 1000.0]);
/// let h = rmsprop(&q, &array![1.0, 1.0], 0.01, 0.99, 1);
/// let step = &h.iterates[0] - &h.iterates[1];
/// assert!((step[0] - 0.1).abs() < 1e-6 && (step[1] - 0.1).abs() < 1e-6);
/// ```
pub fn rmsprop(objective: &dyn Objective, x0: &Array1<f64>, lr: f64, decay: f64, n_steps: usize) -> History {
    check_x0("rmsprop", x0);
    check_lr("rmsprop", lr);
    assert!((0.0..1.0).contains(&decay), "rmsprop: decay must lie in [0, 1), got {decay}");
    let mut v = Array1::<f64>::zeros(x0.len());
    iterate(|x| objective.value(x), x0, n_steps, |_, x| {
        let g = checked_gradient("rmsprop", objective, x);
        v = &v * decay + &(g.mapv(|gi| gi * gi) * (1.0 - decay));
        Array1::from_shape_fn(x.len(), |i| x[i] - lr * g[i] / (v[i].sqrt() + EPS))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::Quadratic;
    use ndarray::array;

    #[test]
    fn blind_to_the_curvature_of_each_axis() {
        // Oracle: on ½Σλᵢxᵢ² the gradient is gᵢ = λᵢxᵢ, and gᵢ/√vᵢ does not change when every gᵢ
        // of coordinate i is multiplied by the same constant: the iterates do not depend on the
        // λᵢ, up to the ε in the denominator, which matters only once |gᵢ| is tiny: we ask for
        // agreement to 1e-4, a hundredth of the step α.
        let a = Quadratic::diagonal(&[1.0, 1.0]);
        let b = Quadratic::diagonal(&[1.0, 10_000.0]);
        let ha = rmsprop(&a, &array![1.0, -0.5], 0.01, 0.9, 200);
        let hb = rmsprop(&b, &array![1.0, -0.5], 0.01, 0.9, 200);
        for (xa, xb) in ha.iterates.iter().zip(&hb.iterates) {
            assert!((xa - xb).iter().all(|e| e.abs() < 1e-4), "{xa} vs {xb}");
        }
    }

    #[test]
    fn ends_in_a_small_cycle_of_size_lr() {
        let q = Quadratic::diagonal(&[1.0, 100.0]);
        let h = rmsprop(&q, &array![1.0, 1.0], 1e-3, 0.9, 20_000);
        let d = h.last().iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(d < 1e-2, "distance {d}");
    }
}
