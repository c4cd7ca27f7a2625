//! A multilayer perceptron $x \mapsto W_L\sigma(\cdots\sigma(W_1x+b_1)\cdots)+b_L$ and a
//! full-batch Adam fit of a 1-D regression target.
//!
//! ## Reference
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), ch. 6; Kingma & Ba (2015), *Adam*.
//!
//! Used in notebooks/00-welcome.ipynb (bench) and Part II.

use super::engine::call;
use super::wire::Value;

/// The nonlinearity between layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Relu,
    Tanh,
}

impl Activation {
    fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
        }
    }
}

/// A trained 1-D regressor $\hat f:\mathbb R\to\mathbb R$ (a handle to the network in the
/// engine; dropping it frees the network).
#[derive(Debug)]
pub struct Regressor {
    handle: u64,
}

impl Regressor {
    /// $\hat f$ at each point of `x`.
    ///
    /// # Examples
    /// ```
    /// use course::nn::{fit_regressor_1d, Activation};
    /// let x = course::linspace(-1.0, 1.0, 64);
    /// let y: Vec<f64> = x.iter().map(|t| t * t).collect();
    /// let (model, _) = fit_regressor_1d(&x, &y, &[32, 32], Activation::Tanh, 300, 1e-2, 0);
    /// assert!((model.predict(&[0.5])[0] - 0.25).abs() < 0.05);
    /// ```
    pub fn predict(&self, x: &[f64]) -> Vec<f64> {
        call("regressor_predict", Value::List(vec![self.handle.into(), x.into()])).f64s().expect("predictions").to_vec()
    }

    /// Number of trainable parameters.
    pub fn n_params(&self) -> usize {
        call("regressor_n_params", Value::U64(self.handle)).usize().expect("a count")
    }
}

impl Drop for Regressor {
    fn drop(&mut self) {
        call("drop", Value::U64(self.handle));
    }
}

/// What a fit did: the loss after each step and the wall-clock time.
#[derive(Clone, Debug, PartialEq)]
pub struct FitReport {
    /// Mean squared error on the training data before each Adam step.
    pub losses: Vec<f64>,
    /// Seconds spent training.
    pub seconds: f64,
}

/// Fits an MLP with hidden widths `hidden` to `(x, y)` by full-batch Adam on the mean squared
/// error, for `n_steps` steps at learning rate `lr`, from a seeded initialization.
///
/// # Panics
/// If `x` and `y` differ in length or are empty, `hidden` is empty, or `lr <= 0`.
///
/// # Examples
/// ```
/// use course::nn::{fit_regressor_1d, Activation};
/// let x = course::linspace(-1.0, 1.0, 64);
/// let y: Vec<f64> = x.iter().map(|t| t * t).collect();
/// let (model, report) = fit_regressor_1d(&x, &y, &[32, 32], Activation::Tanh, 300, 1e-2, 0);
/// assert!(report.losses[299] < 0.01 * report.losses[0]);
/// assert!((model.predict(&[0.5])[0] - 0.25).abs() < 0.05);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn fit_regressor_1d(
    x: &[f64],
    y: &[f64],
    hidden: &[usize],
    activation: Activation,
    n_steps: usize,
    lr: f64,
    seed: u64,
) -> (Regressor, FitReport) {
    let args = vec![x.into(), y.into(), hidden.into(), activation.name().into(), n_steps.into(), lr.into(), seed.into()];
    let out = call("fit_regressor_1d", Value::List(args));
    let r = out.items(3).expect("[handle, losses, seconds]");
    let model = Regressor { handle: r[0].u64().expect("handle") };
    (model, FitReport { losses: r[1].f64s().expect("losses").to_vec(), seconds: r[2].f64().expect("seconds") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_loss_is_the_mse_of_the_initial_network() {
        // Oracle: the reported loss before the first step equals the MSE computed from the
        // predictions of the same seeded, untrained network.
        let x = crate::linspace(-1.0, 1.0, 20);
        let y: Vec<f64> = x.iter().map(|t| (3.0 * t).sin()).collect();
        let (untrained, r0) = fit_regressor_1d(&x, &y, &[8], Activation::Tanh, 1, 1e-9, 5);
        // One step at lr 1e-9 barely moves the weights: predictions are the initial ones.
        let mse = crate::stats::mse(&untrained.predict(&x), &y);
        assert!((r0.losses[0] - mse).abs() < 1e-5 * mse.max(1.0), "{} vs {mse}", r0.losses[0]);
        assert_eq!(untrained.n_params(), 8 + 8 + 8 + 1);
    }

    #[test]
    fn fits_a_sine_and_is_reproducible() {
        let x = crate::linspace(-1.0, 1.0, 100);
        let y: Vec<f64> = x.iter().map(|t| (3.0 * t).sin()).collect();
        let (m, r) = fit_regressor_1d(&x, &y, &[32, 32], Activation::Tanh, 500, 1e-2, 1);
        let (_, r2) = fit_regressor_1d(&x, &y, &[32, 32], Activation::Tanh, 500, 1e-2, 1);
        assert_eq!(r.losses, r2.losses, "same seed, same run");
        assert!(*r.losses.last().unwrap() < 1e-3, "final loss {}", r.losses.last().unwrap());
        let p = m.predict(&[0.3]);
        assert!((p[0] - (0.9f64).sin()).abs() < 0.05, "{p:?}");
    }

    #[test]
    fn engine_errors_name_the_argument_and_models_are_freed() {
        let before = crate::nn::live_models();
        let err = std::panic::catch_unwind(|| fit_regressor_1d(&[0.0], &[0.0], &[4], Activation::Relu, 1, -1.0, 0)).unwrap_err();
        let msg = err.downcast_ref::<String>().unwrap();
        assert!(msg.contains("lr must be > 0, got -1"), "{msg}");
        {
            let (_m, _) = fit_regressor_1d(&[0.0, 1.0], &[0.0, 1.0], &[4], Activation::Relu, 1, 1e-3, 0);
        }
        // Other tests run in parallel threads and hold models of their own: the count returns
        // to at most what it was plus theirs, and this test's model is gone.
        assert!(crate::nn::live_models() <= before + 2);
    }
}
