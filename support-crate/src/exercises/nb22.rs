//! Exercises of notebooks/22-neural-tangent-kernel.ipynb.

use super::{Feedback, close, vec_close};
use crate::theory::{KernelDynamics, arccos_kernel, relu_ntk_limit};
use ndarray::Array1;

/// Exercise 22.1: the infinite-width ReLU NTK $\Theta_\infty(x, x')$ of two scalar inputs, from the
/// arc-cosine formulas applied to the augmented inputs $(x, 1)$ and $(x', 1)$.
///
/// # Examples
/// ```
/// let f = course::exercises::nb22::check_q1(0.5, -1.0, course::theory::relu_ntk_limit(&[0.5], &[-1.0]));
/// assert!(f.is_correct());
/// ```
pub fn check_q1(x: f64, x2: f64, answer: f64) -> Feedback {
    let ex = "22.1";
    let expected = relu_ntk_limit(&[x], &[x2]);
    if close(answer, expected, 1e-9) {
        return Feedback::correct(ex, format!("Θ∞({x}, {x2}) = {expected:.6} = κ₁ + (x̃·x̃′) κ₀: the w, b part and the a part of the gradient."));
    }
    let (p, q) = ([x, 1.0], [x2, 1.0]);
    let k0 = arccos_kernel(0, &p, &q);
    let k1 = arccos_kernel(1, &p, &q);
    let dot = x * x2 + 1.0;
    let no_bias = arccos_kernel(1, &[x], &[x2]) + x * x2 * arccos_kernel(0, &[x], &[x2]);
    if close(answer, no_bias, 1e-9) {
        return Feedback::wrong(ex, "the bias is a weight on a constant input: use the augmented inputs x̃ = (x, 1), x̃′ = (x′, 1).");
    }
    if close(answer, k1, 1e-9) {
        return Feedback::wrong(ex, "that is κ₁ alone, the gradient with respect to a (the NNGP kernel); add (x̃·x̃′) κ₀ from the gradient with respect to (w, b).");
    }
    if close(answer, dot * k0, 1e-9) {
        return Feedback::wrong(ex, "that is the (w, b) part only; add κ₁ from the gradient with respect to a.");
    }
    if close(answer, 2.0 * expected, 1e-9) {
        return Feedback::wrong(ex, "twice the answer: Cho & Saul's kernels carry a factor 2 (1/π); the expectations here are (π − φ)/(2π) and |x̃||x̃′|(sin φ + (π − φ) cos φ)/(2π).");
    }
    if close(answer, k1 + k0, 1e-9) {
        return Feedback::wrong(ex, "the κ₀ term is multiplied by x̃·x̃′ = x x′ + 1 (∂f/∂(w, b) carries the input).");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {answer:.6}. Angle φ between (x, 1) and (x′, 1); κ₀ = (π − φ)/(2π) = {k0:.4}, κ₁ = {k1:.4}."))
}

/// Exercise 22.2: the kernel-regression prediction $f_\infty(X_\ast) = f_0(X_\ast) +
/// \Theta(X_\ast, X)\,\Theta(X, X)^{-1}(y - f_0(X))$, the end point of linearized training.
///
/// # Examples
/// ```
/// use course::theory::KernelDynamics;
/// use ndarray::array;
/// let kd = KernelDynamics::new(array![[2.0, 1.0], [1.0, 2.0]], array![[1.0, 1.0]], array![0.0, 0.0], array![0.0], array![3.0, 3.0]);
/// assert!(course::exercises::nb22::check_q2(&kd, &array![2.0]).is_correct());
/// ```
pub fn check_q2(kd: &KernelDynamics, answer: &Array1<f64>) -> Feedback {
    let ex = "22.2";
    let expected = kd.kernel_regression();
    if answer.len() != expected.len() {
        return Feedback::wrong(ex, format!("one prediction per test point: expected {} entries, got {}.", expected.len(), answer.len()));
    }
    if vec_close(&answer.to_vec(), &expected.to_vec(), 1e-6) {
        return Feedback::correct(ex, "f∞(x*) = f₀(x*) + Θ(x*, X) Θ⁻¹ (y − f₀(X)): ridgeless kernel regression on the residual, started from the random f₀.");
    }
    let zero_f0 = KernelDynamics::new(kd.k_train.clone(), kd.k_test.clone(), kd.f0_train.clone() * 0.0, kd.f0_test.clone() * 0.0, kd.y.clone()).kernel_regression();
    if vec_close(&answer.to_vec(), &zero_f0.to_vec(), 1e-6) {
        return Feedback::wrong(ex, "this is Θ(x*, X) Θ⁻¹ y, kernel regression from f = 0; the network starts at f₀: fit y − f₀(X) and add f₀(x*).");
    }
    let no_test_f0 = &expected - &kd.f0_test;
    if vec_close(&answer.to_vec(), &no_test_f0.to_vec(), 1e-6) {
        return Feedback::wrong(ex, "you fitted the residual y − f₀(X) but forgot to add f₀(x*) back at the test points.");
    }
    let err = (answer - &expected).iter().fold(0.0f64, |m, v| m.max(v.abs()));
    Feedback::wrong(ex, format!("off by up to {err:.3e}. Solve Θ(X, X) α = y − f₀(X) (course::linalg::solve), then f₀(x*) + Θ(x*, X) α."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        let (x, x2) = (0.7, -0.4);
        assert!(check_q1(x, x2, relu_ntk_limit(&[x], &[x2])).is_correct());
        let p = [x, 1.0];
        let q = [x2, 1.0];
        assert!(check_q1(x, x2, arccos_kernel(1, &p, &q)).message.contains("NNGP"));
        assert!(check_q1(x, x2, 2.0 * relu_ntk_limit(&[x], &[x2])).message.contains("factor 2"));
        let nb = arccos_kernel(1, &[x], &[x2]) + x * x2 * arccos_kernel(0, &[x], &[x2]);
        assert!(check_q1(x, x2, nb).message.contains("augmented"));
    }

    #[test]
    fn q2_names_a_forgotten_initial_function() {
        let kd = KernelDynamics::new(array![[2.0, 1.0], [1.0, 2.0]], array![[1.0, 0.5]], array![0.3, -0.2], array![0.1], array![1.0, 2.0]);
        let right = kd.kernel_regression();
        assert!(check_q2(&kd, &right).is_correct());
        let alpha = crate::linalg::solve(&kd.k_train, &kd.y).unwrap();
        assert!(check_q2(&kd, &kd.k_test.dot(&alpha)).message.contains("from f = 0"));
        assert!(check_q2(&kd, &(&right - &kd.f0_test)).message.contains("add f₀(x*) back"));
    }
}
