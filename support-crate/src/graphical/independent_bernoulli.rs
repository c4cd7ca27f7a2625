//! Independent Bernoulli units: the baseline every binary model of images must beat.
//!
//! Each pixel is on with its own probability, ignoring all the others:
//! $$p(v)=\prod_{i=1}^{n_v}p_i^{v_i}(1-p_i)^{1-v_i},\qquad
//! \hat p_i=\frac{\sum_kv_{ki}+1}{n+2}\ \text{(the MLE with Laplace's add-one smoothing).}$$
//! Without the smoothing a pixel that is never on in the training set gets $\hat p_i=0$ and any
//! held-out image with that pixel on gets probability 0. It is exactly an RBM with $W=0$ and
//! $b_i=\log\frac{p_i}{1-p_i}$: the hidden units then decouple and cancel between $e^{-F(v)}$
//! and $Z$.
//!
//! ## Reference
//! C. Bishop, *Pattern Recognition and Machine Learning* (2006), §2.1 (Bernoulli MLE and the
//! beta prior behind add-one smoothing).
//!
//! Used in notebooks/20-boltzmann-machines-and-energy-models.ipynb.

use ndarray::{Array1, Array2, Axis};

/// Independent Bernoulli units with probabilities `p`.
#[derive(Clone, Debug, PartialEq)]
pub struct IndependentBernoulli {
    /// $p_i = P(v_i = 1)$, each in (0, 1).
    pub p: Array1<f64>,
}

impl IndependentBernoulli {
    /// The add-one smoothed fit $p_i=(\sum_kv_{ki}+1)/(n+2)$ to the rows of `data`.
    ///
    /// # Panics
    /// If `data` has no rows or an entry that is not 0 or 1.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let m = course::graphical::IndependentBernoulli::fit(&array![[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]);
    /// assert_eq!(m.p.to_vec(), vec![3.0 / 5.0, 1.0 / 5.0]); // (2+1)/(3+2), (0+1)/(3+2)
    /// ```
    pub fn fit(data: &Array2<f64>) -> Self {
        assert!(data.nrows() > 0, "data must have at least one row");
        assert!(data.iter().all(|&x| x == 0.0 || x == 1.0), "data must hold 0/1 entries");
        let n = data.nrows() as f64;
        IndependentBernoulli { p: data.sum_axis(Axis(0)).mapv(|s| (s + 1.0) / (n + 2.0)) }
    }

    /// The average log-likelihood $\frac1n\sum_k\sum_i\big(v_{ki}\log p_i+(1-v_{ki})\log(1-p_i)\big)$
    /// of the rows of `data`.
    ///
    /// # Panics
    /// If `data` has no rows or the wrong number of columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let m = course::graphical::IndependentBernoulli { p: array![0.5, 0.25] };
    /// let ll = m.log_likelihood(&array![[1.0, 1.0]]);
    /// assert!((ll - (0.5f64.ln() + 0.25f64.ln())).abs() < 1e-15);
    /// ```
    pub fn log_likelihood(&self, data: &Array2<f64>) -> f64 {
        assert!(data.nrows() > 0, "data must have at least one row");
        assert_eq!(data.ncols(), self.p.len(), "data must have {} columns, got {}", self.p.len(), data.ncols());
        let (lp, lq) = (self.p.mapv(f64::ln), self.p.mapv(|p| (1.0 - p).ln()));
        data.rows().into_iter().map(|v| v.iter().zip(lp.iter().zip(&lq)).map(|(&x, (a, b))| x * a + (1.0 - x) * b).sum::<f64>()).sum::<f64>()
            / data.nrows() as f64
    }

    /// The log-odds $\log\frac{p_i}{1-p_i}$: the visible biases of the equivalent RBM.
    ///
    /// # Examples
    /// ```
    /// let m = course::graphical::IndependentBernoulli { p: course::ndarray::array![0.5, 0.75] };
    /// assert_eq!(m.logits().to_vec(), vec![0.0, 3f64.ln()]);
    /// ```
    pub fn logits(&self) -> Array1<f64> {
        self.p.mapv(|p| (p / (1.0 - p)).ln())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphical::Rbm;

    #[test]
    fn an_rbm_with_zero_weights_is_the_independent_model() {
        let data = crate::graphical::bars_and_stripes(3);
        let m = IndependentBernoulli::fit(&data);
        let mut r = Rbm::new(9, 5, &mut crate::rng::seeded(0));
        r.w.fill(0.0);
        r.b = m.logits();
        r.c = ndarray::array![0.3, -1.0, 2.0, 0.0, 0.5]; // hidden biases cancel out of p(v)
        assert!((r.log_likelihood(&data) - m.log_likelihood(&data)).abs() < 1e-12);
    }

    #[test]
    fn the_unsmoothed_mle_maximizes_the_training_likelihood() {
        // With p = the empirical frequency the log-likelihood is stationary: nudging any p_i lowers it.
        let data = crate::graphical::bars_and_stripes(3);
        let freq = IndependentBernoulli { p: data.mean_axis(Axis(0)).unwrap() };
        let best = freq.log_likelihood(&data);
        for i in 0..9 {
            for eps in [1e-3, -1e-3] {
                let mut q = freq.clone();
                q.p[i] += eps;
                assert!(q.log_likelihood(&data) < best);
            }
        }
    }
}
