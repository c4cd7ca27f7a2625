//! Minibatch training: the loop every model of notebooks 09–10 shares.
//!
//! One step draws a minibatch $B$ of the training set, computes the loss
//! $\hat L(\theta) = \frac1{|B|}\sum_{i\in B}\ell(f_\theta(x_i), y_i)$, its gradient by
//! backpropagation, records $\lVert\nabla_{W_l}\hat L\rVert$ for every layer $l$, and updates
//! $$\theta \leftarrow \theta - \text{lr}\,\nabla\hat L(\theta)\quad\text{(SGD)}$$
//! or by Adam. The report keeps the loss before each step and the per-layer gradient norms.
//!
//! ## Reference
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), §8.1–8.5; Kingma & Ba (2015), *Adam*.
//!
//! Used in notebooks/09-training-deep-networks.ipynb and notebooks/10-architectures.ipynb.


/// Which update rule a training loop uses.
///
/// # Examples
/// ```
/// use course::nn::{OptimizerKind, TrainConfig};
/// assert_eq!(TrainConfig::adam(10, 1e-3).optimizer, OptimizerKind::Adam);
/// assert_eq!(TrainConfig::sgd(10, 1e-3).batch_size, 0); // full batch
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    /// Plain stochastic gradient descent, $\theta \leftarrow \theta - \text{lr}\,g$.
    Sgd,
    /// Adam with burn's defaults ($\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-5}$).
    Adam,
}

/// How to train: number of steps, learning rate, minibatch size (0 = the full training set),
/// update rule and the seed of the initialization, the minibatches and the dropout masks.
///
/// # Examples
/// ```
/// use course::nn::{TrainConfig, OptimizerKind};
/// let tc = TrainConfig::sgd(200, 0.05).with_batch_size(32).with_seed(7);
/// assert_eq!((tc.n_steps, tc.batch_size, tc.seed, tc.optimizer), (200, 32, 7, OptimizerKind::Sgd));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainConfig {
    /// Number of parameter updates.
    pub n_steps: usize,
    /// Learning rate.
    pub lr: f64,
    /// Minibatch size; 0 or anything ≥ the training-set size means full batch.
    pub batch_size: usize,
    /// SGD or Adam.
    pub optimizer: OptimizerKind,
    /// Seed of everything random in the run.
    pub seed: u64,
}

impl TrainConfig {
    /// Full-batch SGD, seed 0.
    pub fn sgd(n_steps: usize, lr: f64) -> Self {
        TrainConfig { n_steps, lr, batch_size: 0, optimizer: OptimizerKind::Sgd, seed: 0 }
    }

    /// Full-batch Adam, seed 0.
    pub fn adam(n_steps: usize, lr: f64) -> Self {
        TrainConfig { n_steps, lr, batch_size: 0, optimizer: OptimizerKind::Adam, seed: 0 }
    }

    /// The same with minibatches of `batch_size`.
    pub fn with_batch_size(self, batch_size: usize) -> Self {
        TrainConfig { batch_size, ..self }
    }

    /// The same with another seed.
    pub fn with_seed(self, seed: u64) -> Self {
        TrainConfig { seed, ..self }
    }

    #[doc(hidden)]
    pub fn validate(&self, who: &str) {
        assert!(self.n_steps > 0, "{who}: n_steps must be > 0, got 0");
        assert!(self.lr > 0.0 && self.lr.is_finite(), "{who}: lr must be > 0, got {}", self.lr);
    }
}

/// What a training run did.
///
/// # Examples
/// ```
/// use course::nn::{train_mlp, MlpConfig, TrainConfig};
/// let x = ndarray::Array2::from_shape_fn((8, 1), |(i, _)| i as f64 / 8.0);
/// let (_, r) = train_mlp(&MlpConfig::new(1, 4, 2, 1), &x, &x, &TrainConfig::sgd(5, 0.01));
/// assert_eq!((r.losses.len(), r.grad_norms.len(), r.grad_norms[0].len()), (5, 5, 3));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TrainReport {
    /// The minibatch loss before each step (training mode: dropout on, batch statistics).
    pub losses: Vec<f64>,
    /// `grad_norms[step][l]`: the Frobenius norm of the loss gradient with respect to the
    /// weights of layer `l` (input side first) at that step.
    pub grad_norms: Vec<Vec<f64>>,
    /// Seconds spent in the loop.
    pub seconds: f64,
}

impl TrainReport {
    /// The gradient norm of layer `layer` at every step.
    ///
    /// # Panics
    /// If the model has no layer `layer`.
    ///
    /// # Examples
    /// ```
    /// let r = course::nn::TrainReport { losses: vec![1.0, 0.5], grad_norms: vec![vec![3.0, 4.0], vec![1.0, 2.0]], seconds: 0.0 };
    /// assert_eq!(r.layer_grad_norms(1), vec![4.0, 2.0]);
    /// ```
    pub fn layer_grad_norms(&self, layer: usize) -> Vec<f64> {
        let n_layers = self.grad_norms.first().map_or(0, Vec::len);
        assert!(layer < n_layers, "layer_grad_norms: layer must be < {n_layers} (the number of layers), got {layer}");
        self.grad_norms.iter().map(|g| g[layer]).collect()
    }

    /// The mean of the last `k` recorded losses (minibatch losses are noisy).
    ///
    /// # Panics
    /// If `k` is 0 or more than the number of steps.
    ///
    /// # Examples
    /// ```
    /// let r = course::nn::TrainReport { losses: vec![4.0, 2.0, 1.0], grad_norms: vec![], seconds: 0.0 };
    /// assert_eq!(r.tail_loss(2), 1.5);
    /// ```
    pub fn tail_loss(&self, k: usize) -> f64 {
        assert!(k > 0 && k <= self.losses.len(), "tail_loss: k must be in 1..={}, got {k}", self.losses.len());
        self.losses[self.losses.len() - k..].iter().sum::<f64>() / k as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "lr must be > 0, got -0.1")]
    fn negative_lr_is_rejected() {
        TrainConfig::sgd(10, -0.1).validate("test");
    }
}
