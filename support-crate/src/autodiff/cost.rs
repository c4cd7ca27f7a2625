//! The cost of a gradient: forward mode needs $n$ passes, reverse mode one pass and one sweep.
//!
//! If one evaluation of $f:\mathbb R^n\to\mathbb R$ performs $m$ elementary operations, forward
//! mode performs $n\cdot m$ dual-number operations for the gradient and reverse mode $m$
//! recorded operations plus $m$ backward chain-rule steps:
//! $$\frac{\text{cost}_{\rm forward}}{\text{cost}_{\rm reverse}} \propto n .$$
//! (For $f:\mathbb R^n\to\mathbb R^p$ the roles swap at $p > n$: forward mode gives a Jacobian
//! column per pass, reverse mode a row.) [`gradient_cost`] counts the operations on the tape and
//! times both modes on [`example`](super::example).
//!
//! ## Reference
//! Griewank & Walther, *Evaluating Derivatives* (2008), §3.3 (the cheap gradient principle);
//! Baydin et al. (2018), *Automatic differentiation in machine learning: a survey*, §3.
//!
//! Used in notebooks/06-automatic-differentiation.ipynb.

use super::{Dual, Tape, example, gradient_forward, gradient_reverse};
use std::time::Instant;

/// Operation counts and wall-clock times of one gradient of [`example`](super::example) in
/// dimension `dim`.
///
/// # Examples
/// ```
/// let c = course::autodiff::gradient_cost(4, 1);
/// assert_eq!((c.dim, c.ops_per_evaluation), (4, 20)); // 5 operations per input
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GradientCost {
    /// The input dimension $n$.
    pub dim: usize,
    /// Elementary operations in one evaluation of $f$ (tape nodes that are not inputs), $m$.
    pub ops_per_evaluation: usize,
    /// Dual-number operations of forward mode, $n\cdot m$.
    pub forward_ops: usize,
    /// Recorded operations plus backward steps of reverse mode, $2m$.
    pub reverse_ops: usize,
    /// Seconds for one forward-mode gradient (the fastest of the repeats).
    pub forward_seconds: f64,
    /// Seconds for one reverse-mode gradient (the fastest of the repeats).
    pub reverse_seconds: f64,
}

/// Counts and times both modes on [`example`](super::example) at a seeded point of dimension
/// `dim`, keeping the fastest of `repeats` runs of each (the least disturbed by other load).
///
/// # Panics
/// If `dim == 0` or `repeats == 0`.
///
/// # Examples
/// ```
/// let c = course::autodiff::gradient_cost(100, 3);
/// assert_eq!(c.forward_ops, 100 * c.ops_per_evaluation);
/// assert_eq!(c.reverse_ops, 2 * c.ops_per_evaluation);
/// ```
pub fn gradient_cost(dim: usize, repeats: usize) -> GradientCost {
    assert!(dim > 0, "gradient_cost: dim must be > 0");
    assert!(repeats > 0, "gradient_cost: repeats must be > 0");
    let x = crate::rng::normal_vec(&mut crate::rng::seeded(dim as u64), dim);
    let tape = Tape::new();
    let vars = tape.vars(&x);
    let _ = example(&vars);
    let m = tape.len() - dim;
    let time = |run: &dyn Fn() -> Vec<f64>| {
        (0..repeats)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(run());
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let forward_seconds = time(&|| gradient_forward(|d: &[Dual]| example(d), &x));
    let reverse_seconds = time(&|| gradient_reverse(|v| example(v), &x));
    GradientCost { dim, ops_per_evaluation: m, forward_ops: dim * m, reverse_ops: 2 * m, forward_seconds, reverse_seconds }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_count_is_linear_in_the_dimension() {
        // By hand: n squares, n − 1 additions, +1, ln; n − 1 sines, products and additions
        // (plus the constant 0 the sum starts from): m = 5n − 1 operations.
        for n in [2, 10, 50] {
            assert_eq!(gradient_cost(n, 1).ops_per_evaluation, 5 * n - 1 + 1, "n = {n}");
        }
    }

    #[test]
    fn forward_mode_is_much_slower_in_high_dimension() {
        let c = gradient_cost(400, 3);
        assert!(c.forward_seconds > 10.0 * c.reverse_seconds, "{c:?}");
    }
}
