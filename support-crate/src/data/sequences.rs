//! Sequence tasks with a long-range dependency, generated in code.
//!
//! - **Recall the first input**: $x_1 = \pm 1$, then $T-1$ steps of small noise; the target
//!   is $x_1$. The answer sits $T$ steps before the end: a recurrent network must carry one
//!   bit through all of them, and its gradient must travel back just as far.
//! - **The adding problem** (Hochreiter & Schmidhuber 1997): at each step a value
//!   $u_t\sim U[0,1]$ and a marker $m_t\in\{0,1\}$; exactly two markers are on, one in each
//!   half of the sequence; the target is $\sum_t m_t u_t$. Predicting the constant 1 gives a
//!   mean squared error of $1/6$, the baseline a network has to beat.
//!
//! ## Reference
//! Hochreiter & Schmidhuber (1997), *Long short-term memory*, §5.4; Bengio, Simard & Frasconi
//! (1994), *Learning long-term dependencies with gradient descent is difficult*.
//!
//! Used in notebooks/10-architectures.ipynb.

use ndarray::{Array2, Array3};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// Input sequences and their targets.
///
/// # Examples
/// ```
/// let task = course::data::sequences::adding_problem(&mut course::rng::seeded(2), 3, 8);
/// assert_eq!((task.n_samples(), task.seq_len(), task.dim()), (3, 8, 2));
/// assert_eq!(task.targets.dim(), (3, 1));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SequenceTask {
    /// `inputs[[i, t, k]]`: feature `k` of sample `i` at time `t`.
    pub inputs: Array3<f64>,
    /// `targets[[i, 0]]`: the value to predict for sample `i` after its last step.
    pub targets: Array2<f64>,
}

impl SequenceTask {
    /// Number of sequences.
    pub fn n_samples(&self) -> usize {
        self.inputs.dim().0
    }

    /// Length $T$ of every sequence.
    pub fn seq_len(&self) -> usize {
        self.inputs.dim().1
    }

    /// Number of input features per step.
    pub fn dim(&self) -> usize {
        self.inputs.dim().2
    }
}

/// `n_samples` sequences of length `seq_len` whose target is their first input $\pm1$; the
/// other steps carry $\mathcal N(0, \text{noise}^2)$.
///
/// # Panics
/// If `seq_len == 0` or `noise` is negative or not finite.
///
/// # Examples
/// ```
/// let task = course::data::sequences::recall_first(&mut course::rng::seeded(0), 50, 20, 0.1);
/// assert_eq!((task.n_samples(), task.seq_len(), task.dim()), (50, 20, 1));
/// assert!((0..50).all(|i| task.targets[[i, 0]] == task.inputs[[i, 0, 0]]));
/// ```
pub fn recall_first(rng: &mut impl Rng, n_samples: usize, seq_len: usize, noise: f64) -> SequenceTask {
    assert!(seq_len > 0, "recall_first: seq_len must be > 0, got 0");
    assert!(noise >= 0.0 && noise.is_finite(), "recall_first: noise must be finite and >= 0, got {noise}");
    let mut inputs = Array3::zeros((n_samples, seq_len, 1));
    let mut targets = Array2::zeros((n_samples, 1));
    for i in 0..n_samples {
        let bit = if rng.random::<bool>() { 1.0 } else { -1.0 };
        inputs[[i, 0, 0]] = bit;
        targets[[i, 0]] = bit;
        for t in 1..seq_len {
            let z: f64 = StandardNormal.sample(rng);
            inputs[[i, t, 0]] = noise * z;
        }
    }
    SequenceTask { inputs, targets }
}

/// `n_samples` instances of the adding problem of length `seq_len`: feature 0 is the value
/// $u_t\sim U[0,1]$, feature 1 the marker; the target is the sum of the two marked values.
///
/// # Panics
/// If `seq_len < 2`.
///
/// # Examples
/// ```
/// let task = course::data::sequences::adding_problem(&mut course::rng::seeded(1), 10, 30);
/// for i in 0..10 {
///     let marked: f64 = (0..30).map(|t| task.inputs[[i, t, 0]] * task.inputs[[i, t, 1]]).sum();
///     assert_eq!(marked, task.targets[[i, 0]]);
///     assert_eq!((0..30).map(|t| task.inputs[[i, t, 1]]).sum::<f64>(), 2.0);
/// }
/// ```
pub fn adding_problem(rng: &mut impl Rng, n_samples: usize, seq_len: usize) -> SequenceTask {
    assert!(seq_len >= 2, "adding_problem: seq_len must be >= 2 (one marker in each half), got {seq_len}");
    let mut inputs = Array3::zeros((n_samples, seq_len, 2));
    let mut targets = Array2::zeros((n_samples, 1));
    let half = seq_len / 2;
    for i in 0..n_samples {
        for t in 0..seq_len {
            inputs[[i, t, 0]] = rng.random::<f64>();
        }
        let (a, b) = (rng.random_range(0..half), rng.random_range(half..seq_len));
        inputs[[i, a, 1]] = 1.0;
        inputs[[i, b, 1]] = 1.0;
        targets[[i, 0]] = inputs[[i, a, 0]] + inputs[[i, b, 0]];
    }
    SequenceTask { inputs, targets }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_problem_baseline_is_one_sixth() {
        // Oracle: the target is a sum of two independent U[0,1]: mean 1, variance 2/12 = 1/6,
        // so the constant predictor 1 has mean squared error 1/6 (s.e. ≈ 0.0025 at n = 4000).
        let task = adding_problem(&mut crate::rng::seeded(2), 4000, 10);
        let y: Vec<f64> = task.targets.column(0).to_vec();
        let mse1 = y.iter().map(|v| (v - 1.0).powi(2)).sum::<f64>() / y.len() as f64;
        assert!((mse1 - 1.0 / 6.0).abs() < 0.01, "{mse1}");
    }

    #[test]
    fn recall_first_bits_are_balanced_and_the_rest_is_noise() {
        let task = recall_first(&mut crate::rng::seeded(3), 2000, 5, 0.5);
        let ones = task.targets.iter().filter(|&&v| v == 1.0).count() as f64;
        assert!((ones / 2000.0 - 0.5).abs() < 4.0 * (0.25f64 / 2000.0).sqrt(), "{ones}");
        let rest: Vec<f64> = task.inputs.slice(ndarray::s![.., 1.., 0]).iter().copied().collect();
        assert!((crate::stats::variance(&rest).sqrt() - 0.5).abs() < 0.02);
    }
}
