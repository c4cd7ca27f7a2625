//! Inverted dropout: during training, each hidden unit is kept with probability $1-p$ and
//! rescaled,
//! $$\tilde h = m\odot h,\qquad m_i = \frac{\xi_i}{1-p},\ \ \xi_i\sim\text{Bernoulli}(1-p),$$
//! so that $\mathbb E[\tilde h] = h$ and the network is used unchanged (no mask) at test time.
//! Training averages over an exponential number of thinned sub-networks, which discourages
//! units from co-adapting and acts as a regularizer.
//!
//! ## Reference
//! Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov (2014), *Dropout: a simple way to
//! prevent neural networks from overfitting*, JMLR 15.
//!
//! Used in notebooks/09-training-deep-networks.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};

/// An `n_rows × n_cols` inverted-dropout mask: each entry is $1/(1-p)$ with probability
/// $1-p$ and $0$ otherwise. The masks come from the course's seeded generator, so a training
/// run with dropout reproduces exactly.
///
/// # Panics
/// Unless `0 <= p < 1`.
///
/// # Examples
/// ```
/// let m = course::nn::dropout_mask(&mut course::rng::seeded(1), 200, 100, 0.5);
/// assert!(m.iter().all(|&v| v == 0.0 || v == 2.0));
/// let mean = m.mean().unwrap();
/// assert!((mean - 1.0).abs() < 0.03); // E m = 1; 20 000 draws, s.e. 0.007
/// ```
pub fn dropout_mask(rng: &mut impl Rng, n_rows: usize, n_cols: usize, p: f64) -> Array2<f64> {
    assert!((0.0..1.0).contains(&p), "dropout_mask: p must be in [0, 1), got {p}");
    let keep = 1.0 / (1.0 - p);
    Array2::from_shape_simple_fn((n_rows, n_cols), || if rng.random::<f64>() < p { 0.0 } else { keep })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_keeps_the_right_fraction_and_is_unbiased() {
        // Oracle: the kept fraction is Binomial(n, 1 − p)/n, s.e. sqrt(p(1−p)/n).
        let p = 0.3;
        let m = dropout_mask(&mut crate::rng::seeded(5), 300, 300, p);
        let n = m.len() as f64;
        let kept = m.iter().filter(|&&v| v > 0.0).count() as f64 / n;
        assert!((kept - (1.0 - p)).abs() < 4.0 * (p * (1.0 - p) / n).sqrt(), "kept {kept}");
        assert!(m.iter().all(|&v| v == 0.0 || (v - 1.0 / 0.7).abs() < 1e-15));
        assert_eq!(dropout_mask(&mut crate::rng::seeded(5), 3, 3, 0.0), Array2::<f64>::ones((3, 3)));
    }

    #[test]
    #[should_panic(expected = "p must be in [0, 1), got 1")]
    fn p_one_is_rejected() {
        dropout_mask(&mut crate::rng::seeded(0), 2, 2, 1.0);
    }
}
