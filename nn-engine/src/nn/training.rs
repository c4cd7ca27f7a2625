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

use super::{OptimizerKind, Train, TrainConfig, TrainReport};
use crate::rng::{ChaCha8Rng, seeded};
use burn::module::AutodiffModule;
use burn::optim::{AdamConfig, GradientsParams, Optimizer, SgdConfig};
use burn::tensor::Tensor;
use burn::tensor::backend::AutodiffBackend;
use super::dense::AdamState;
use std::ops::Range;
use std::time::Instant;

/// A model the loop can train: it knows which of its tensors are "the weights of layer l".
pub(crate) trait Layered: AutodiffModule<Train> {
    fn layer_grad_norms(&self, grads: &<Train as AutodiffBackend>::Gradients) -> Vec<f64>;
}

/// The minibatch indices of one step: `batch_size` distinct indices of `0..n`.
pub(crate) fn minibatch(rng: &mut ChaCha8Rng, n: usize, batch_size: usize) -> Vec<usize> {
    if batch_size == 0 || batch_size >= n {
        (0..n).collect()
    } else {
        rand::seq::index::sample(rng, n, batch_size).into_vec()
    }
}

/// Trains `model` for `tc.n_steps` steps; `loss(model, batch, rng)` returns the scalar loss of
/// a minibatch (the rng is for dropout masks).
pub(crate) fn train_loop<M, F>(model: M, tc: &TrainConfig, n_train: usize, loss: F) -> (M, TrainReport)
where
    M: Layered,
    F: FnMut(&M, &[usize], &mut ChaCha8Rng) -> Tensor<Train, 1>,
{
    match tc.optimizer {
        OptimizerKind::Sgd => run(model, SgdConfig::new().init(), tc, n_train, loss),
        OptimizerKind::Adam => run(model, AdamConfig::new().init(), tc, n_train, loss),
    }
}

fn run<M, O, F>(mut model: M, mut optim: O, tc: &TrainConfig, n_train: usize, mut loss: F) -> (M, TrainReport)
where
    M: Layered,
    O: Optimizer<M, Train>,
    F: FnMut(&M, &[usize], &mut ChaCha8Rng) -> Tensor<Train, 1>,
{
    // Batches and masks have their own stream, distinct from the initialization's.
    let mut rng = seeded(tc.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1));
    let start = Instant::now();
    let (mut losses, mut grad_norms) = (Vec::with_capacity(tc.n_steps), Vec::with_capacity(tc.n_steps));
    for _ in 0..tc.n_steps {
        let batch = minibatch(&mut rng, n_train, tc.batch_size);
        let l = loss(&model, &batch, &mut rng);
        losses.push(f64::from(l.clone().into_scalar()));
        let grads = l.backward();
        grad_norms.push(model.layer_grad_norms(&grads));
        let grads = GradientsParams::from_grads(grads, &model);
        model = optim.step(tc.lr, model, grads);
    }
    let seconds = start.elapsed().as_secs_f64();
    (model, TrainReport { losses, grad_norms, seconds })
}

/// The loop of [`train_loop`] for a model trained in fused `f32` passes (`cnn.rs`,
/// `recurrent.rs`): the same minibatch stream, the loss before each step, the norms of the
/// gradient over the index ranges `weights` of the parameters, then an SGD or Adam step
/// (burn's `Sgd` and `Adam` defaults). `loss_grad(model, batch, grad)` returns the minibatch
/// loss and writes its gradient; `theta(model)` is the parameter buffer, in the same layout.
pub(crate) fn fused_loop<M>(
    model: &mut M,
    theta: fn(&mut M) -> &mut [f32],
    weights: &[Range<usize>],
    tc: &TrainConfig,
    n_train: usize,
    mut loss_grad: impl FnMut(&M, &[usize], &mut [f32]) -> f64,
) -> TrainReport {
    let n_params = theta(model).len();
    let (mut adam, mut grad) = (AdamState::new(n_params), vec![0.0f32; n_params]);
    // Batches have their own stream, distinct from the initialization's (as in `run`).
    let mut rng = seeded(tc.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1));
    let start = Instant::now();
    let (mut losses, mut grad_norms) = (Vec::with_capacity(tc.n_steps), Vec::with_capacity(tc.n_steps));
    for _ in 0..tc.n_steps {
        let batch = minibatch(&mut rng, n_train, tc.batch_size);
        losses.push(loss_grad(model, &batch, &mut grad));
        grad_norms.push(weights.iter().map(|r| grad[r.clone()].iter().map(|&g| f64::from(g).powi(2)).sum::<f64>().sqrt()).collect());
        let theta = theta(model);
        match tc.optimizer {
            OptimizerKind::Sgd => theta.iter_mut().zip(&grad).for_each(|(p, g)| *p -= tc.lr as f32 * g),
            OptimizerKind::Adam => adam.step(theta, &grad, tc.lr),
        }
    }
    TrainReport { losses, grad_norms, seconds: start.elapsed().as_secs_f64() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minibatches_are_distinct_indices_in_range() {
        let mut rng = seeded(3);
        let b = minibatch(&mut rng, 50, 20);
        let mut s = b.clone();
        s.sort_unstable();
        s.dedup();
        assert_eq!(s.len(), 20);
        assert!(b.iter().all(|&i| i < 50));
        assert_eq!(minibatch(&mut rng, 5, 0), vec![0, 1, 2, 3, 4]);
    }

}
