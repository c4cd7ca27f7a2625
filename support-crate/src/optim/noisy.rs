//! Additive gradient noise: the simplest model of a stochastic gradient.
//!
//! $$g(x) = \nabla f(x) + \sigma\,\xi,\qquad \xi\sim\mathcal N(0, I),$$
//! unbiased with covariance $\sigma^2 I$. On a quadratic it makes SGD a linear recursion whose
//! stationary loss is known in closed form
//! ([`Quadratic::stationary_sgd_loss`](super::Quadratic::stationary_sgd_loss)).
//!
//! ## Reference
//! Bottou, Curtis & Nocedal (2018), *Optimization methods for large-scale machine learning*,
//! Assumption 4.3.
//!
//! Used in notebooks/04-gradient-descent.ipynb.

use super::{Objective, StochasticObjective};
use ndarray::Array1;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// An objective whose stochastic gradient is the exact one plus $\mathcal N(0, \sigma^2 I)$ noise.
///
/// # Examples
/// ```
/// use course::optim::{NoisyGradient, Objective, Quadratic};
/// let noisy = NoisyGradient::new(Quadratic::diagonal(&[2.0]), 0.5);
/// assert_eq!(noisy.value(&ndarray::array![1.0]), 1.0); // the value is exact
/// ```
#[derive(Clone, Debug)]
pub struct NoisyGradient<O: Objective> {
    /// The underlying objective.
    pub objective: O,
    /// The noise level $\sigma$ per coordinate.
    pub noise_std: f64,
}

impl<O: Objective> NoisyGradient<O> {
    /// Wraps `objective` with gradient noise of standard deviation `noise_std`.
    ///
    /// # Panics
    /// If `noise_std < 0` or is not finite.
    pub fn new(objective: O, noise_std: f64) -> Self {
        assert!(noise_std >= 0.0 && noise_std.is_finite(), "NoisyGradient::new: noise_std must be >= 0, got {noise_std}");
        NoisyGradient { objective, noise_std }
    }
}

impl<O: Objective> Objective for NoisyGradient<O> {
    fn value(&self, x: &Array1<f64>) -> f64 {
        self.objective.value(x)
    }
    fn gradient(&self, x: &Array1<f64>) -> Array1<f64> {
        self.objective.gradient(x)
    }
}

impl<O: Objective> StochasticObjective for NoisyGradient<O> {
    fn stochastic_gradient(&self, x: &Array1<f64>, rng: &mut dyn Rng) -> Array1<f64> {
        let mut g = self.objective.gradient(x);
        for gi in g.iter_mut() {
            let z: f64 = StandardNormal.sample(rng);
            *gi += self.noise_std * z;
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::Quadratic;
    use ndarray::array;

    #[test]
    fn noise_is_unbiased_with_the_right_variance() {
        let noisy = NoisyGradient::new(Quadratic::diagonal(&[1.0, 3.0]), 2.0);
        let x = array![1.0, 1.0];
        let mut rng = crate::rng::seeded(8);
        let n = 40_000;
        let draws: Vec<Array1<f64>> = (0..n).map(|_| noisy.stochastic_gradient(&x, &mut rng)).collect();
        for (i, exact) in [1.0, 3.0].iter().enumerate() {
            let m = draws.iter().map(|g| g[i]).sum::<f64>() / n as f64;
            let v = draws.iter().map(|g| (g[i] - m).powi(2)).sum::<f64>() / (n - 1) as f64;
            assert!((m - exact).abs() < 4.0 * 2.0 / (n as f64).sqrt(), "mean {m}");
            assert!((v - 4.0).abs() < 4.0 * 4.0 * (2.0 / n as f64).sqrt(), "var {v}");
        }
    }
}
