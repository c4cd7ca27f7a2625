//! REINFORCE: the Monte Carlo policy gradient, with and without a baseline.
//!
//! From an episode $S_0, A_0, R_1, S_1, \dots$ of $\pi_\theta$ started at $S_0\sim\mu_0$, with the
//! reward-to-go $G_t = \sum_{k\ge t}\gamma^{k-t}R_{k+1}$, the estimator
//! $$\hat g = \sum_{t\ge0}\gamma^t\,\nabla\log\pi_\theta(A_t\mid S_t)\,\big(G_t - b(S_t)\big)$$
//! is unbiased for $\nabla J(\theta)$ for every baseline $b$ that does not depend on the action:
//! $\mathbb E[\nabla\log\pi(A_t\mid S_t)\,b(S_t)\mid S_t] = b(S_t)\sum_a\nabla\pi(a\mid S_t) = 0$.
//! The baseline changes only the variance; $b = V^\pi$ removes the part of $G_t$ that the
//! action does not explain. Episodes stop on entering a terminal state or after `horizon`
//! steps (the truncation bias is at most $\gamma^{\rm horizon}\max|r|/(1-\gamma)$ per entry).
//!
//! ## Reference
//! R. J. Williams (1992), *Simple statistical gradient-following algorithms for connectionist
//! reinforcement learning*, Machine Learning 8; Sutton & Barto (2018), §13.3–13.4;
//! E. Greensmith, P. Bartlett & J. Baxter (2004), *Variance reduction techniques for gradient
//! estimates in reinforcement learning*, JMLR 5.
//!
//! Used in notebooks/25-reinforcement-learning-with-networks.ipynb.

use super::{Mdp, SoftmaxPolicy, objective};
use crate::rng::{Rng, RngExt};
use ndarray::{Array1, Array2};

/// One episode: `states[t]`, `actions[t]` and the reward `rewards[t]` $= r(S_t, A_t)$ received
/// after step $t$ (all the same length).
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    /// $S_0, S_1, \dots$
    pub states: Vec<usize>,
    /// $A_0, A_1, \dots$
    pub actions: Vec<usize>,
    /// $R_1, R_2, \dots$ (expected rewards $r(S_t, A_t)$).
    pub rewards: Vec<f64>,
}

/// Samples $S_0$ from a distribution.
fn sample_index(p: &Array1<f64>, rng: &mut impl Rng) -> usize {
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for (i, &w) in p.iter().enumerate() {
        acc += w;
        if u < acc {
            return i;
        }
    }
    p.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

/// Runs `policy` from $S_0\sim\mu_0$ until a terminal state or `horizon` steps.
///
/// # Panics
/// If `mu0` has the wrong length or `policy` the wrong shape.
///
/// # Examples
/// ```
/// use course::rl::{sample_episode, Gridworld, SoftmaxPolicy};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let ep = sample_episode(&mdp, &SoftmaxPolicy::uniform(11, 4), &course::rl::uniform_start(&mdp), 200, &mut course::rng::seeded(0));
/// assert_eq!(ep.states.len(), ep.rewards.len());
/// assert!(ep.states.len() <= 200);
/// ```
pub fn sample_episode(mdp: &Mdp, policy: &SoftmaxPolicy, mu0: &Array1<f64>, horizon: usize, rng: &mut impl Rng) -> Episode {
    assert_eq!(mu0.len(), mdp.n_states(), "sample_episode: mu0 must have n_states = {} entries, got {}", mdp.n_states(), mu0.len());
    assert_eq!(policy.theta.dim(), (mdp.n_states(), mdp.n_actions()), "sample_episode: the policy must be n_states × n_actions");
    let mut s = sample_index(mu0, rng);
    let mut ep = Episode { states: Vec::new(), actions: Vec::new(), rewards: Vec::new() };
    for _ in 0..horizon {
        if mdp.terminal[s] {
            break;
        }
        let a = policy.sample(s, rng);
        ep.states.push(s);
        ep.actions.push(a);
        ep.rewards.push(mdp.r[[s, a]]);
        s = mdp.sample_next(s, a, rng);
    }
    ep
}

/// `n_episodes` episodes from the generator `seeded(seed)`.
///
/// # Examples
/// ```
/// use course::rl::{sample_episodes, Gridworld, SoftmaxPolicy};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let eps = sample_episodes(&mdp, &SoftmaxPolicy::uniform(11, 4), &course::rl::uniform_start(&mdp), 200, 50, 1);
/// assert_eq!(eps.len(), 50);
/// ```
pub fn sample_episodes(mdp: &Mdp, policy: &SoftmaxPolicy, mu0: &Array1<f64>, horizon: usize, n_episodes: usize, seed: u64) -> Vec<Episode> {
    let mut rng = crate::rng::seeded(seed);
    (0..n_episodes).map(|_| sample_episode(mdp, policy, mu0, horizon, &mut rng)).collect()
}

/// The REINFORCE estimate $\hat g$ of one episode with the state baseline `baseline[s]`
/// (all zeros: no baseline).
///
/// # Panics
/// If `baseline.len()` differs from the number of states.
///
/// # Examples
/// ```
/// use course::rl::{reinforce_episode, Episode, SoftmaxPolicy};
/// // One step, reward 1 for action 0 of two: ĝ = ∇log π(0|0)·1 = (½, −½).
/// let ep = Episode { states: vec![0], actions: vec![0], rewards: vec![1.0] };
/// let g = reinforce_episode(&SoftmaxPolicy::uniform(1, 2), &ep, 0.9, &[0.0]);
/// assert_eq!(g, ndarray::array![[0.5, -0.5]]);
/// ```
pub fn reinforce_episode(policy: &SoftmaxPolicy, episode: &Episode, gamma: f64, baseline: &[f64]) -> Array2<f64> {
    assert_eq!(baseline.len(), policy.theta.nrows(), "reinforce_episode: baseline must have one entry per state ({}), got {}", policy.theta.nrows(), baseline.len());
    let n = episode.states.len();
    let mut g = Array2::zeros(policy.theta.dim());
    let mut to_go = 0.0;
    let mut returns = vec![0.0; n];
    for t in (0..n).rev() {
        to_go = episode.rewards[t] + gamma * to_go;
        returns[t] = to_go;
    }
    let mut discount = 1.0;
    for t in 0..n {
        let s = episode.states[t];
        policy.add_score(s, episode.actions[t], discount * (returns[t] - baseline[s]), &mut g);
        discount *= gamma;
    }
    g
}

/// The batch REINFORCE gradient: the mean of [`reinforce_episode`] over `episodes`.
///
/// # Panics
/// If `episodes` is empty, or as [`reinforce_episode`].
///
/// # Examples
/// ```
/// use course::rl::{reinforce_gradient, Episode, SoftmaxPolicy};
/// let a = Episode { states: vec![0], actions: vec![0], rewards: vec![1.0] };
/// let b = Episode { states: vec![0], actions: vec![1], rewards: vec![1.0] };
/// // The same reward whichever action: the two estimates cancel.
/// assert_eq!(reinforce_gradient(&SoftmaxPolicy::uniform(1, 2), &[a, b], 0.9, &[0.0]).sum(), 0.0);
/// ```
pub fn reinforce_gradient(policy: &SoftmaxPolicy, episodes: &[Episode], gamma: f64, baseline: &[f64]) -> Array2<f64> {
    assert!(!episodes.is_empty(), "reinforce_gradient: episodes must not be empty");
    let mut g = Array2::zeros(policy.theta.dim());
    for ep in episodes {
        g += &reinforce_episode(policy, ep, gamma, baseline);
    }
    g / episodes.len() as f64
}

/// Mean, standard error and total variance $\mathbb E\lVert\hat g - \mathbb E\hat g\rVert^2$ of a
/// sample of gradient estimates.
#[derive(Clone, Debug, PartialEq)]
pub struct EstimatorStats {
    /// Sample mean of the estimates.
    pub mean: Array2<f64>,
    /// Standard error of the mean, entry by entry.
    pub se: Array2<f64>,
    /// Trace of the sample covariance (sum of the entries' variances).
    pub total_variance: f64,
    /// Number of estimates.
    pub n: usize,
}

impl EstimatorStats {
    /// Statistics of `samples` (at least 2, all the same shape).
    ///
    /// # Panics
    /// If fewer than 2 samples or the shapes differ.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let st = course::rl::EstimatorStats::of(&[array![[1.0, 0.0]], array![[3.0, 0.0]]]);
    /// assert_eq!((st.mean[[0, 0]], st.total_variance), (2.0, 2.0));
    /// ```
    pub fn of(samples: &[Array2<f64>]) -> Self {
        let n = samples.len();
        assert!(n >= 2, "EstimatorStats::of: need at least 2 samples, got {n}");
        let dim = samples[0].dim();
        assert!(samples.iter().all(|g| g.dim() == dim), "EstimatorStats::of: all samples must have the same shape");
        let mut mean = Array2::zeros(dim);
        for g in samples {
            mean += g;
        }
        mean /= n as f64;
        let mut var = Array2::<f64>::zeros(dim);
        for g in samples {
            var += &(g - &mean).mapv(|d| d * d);
        }
        var /= (n - 1) as f64;
        let total_variance = var.sum();
        let se = var.mapv(|v| (v / n as f64).sqrt());
        EstimatorStats { mean, se, total_variance, n }
    }

    /// The largest $|\bar g - g| / \mathrm{se}$ over the entries with $\mathrm{se} > 0$ (entries
    /// with $\mathrm{se} = 0$ must match exactly, else $\infty$): how many standard errors the
    /// mean is from `expected`.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let st = course::rl::EstimatorStats::of(&[array![[1.0]], array![[3.0]]]);
    /// assert_eq!(st.max_z(&array![[1.0]]), 1.0); // se = 1
    /// ```
    pub fn max_z(&self, expected: &Array2<f64>) -> f64 {
        self.mean.indexed_iter().fold(0.0f64, |m, (i, &x)| {
            let d = (x - expected[i]).abs();
            let z = if self.se[i] > 0.0 { d / self.se[i] } else if d < 1e-12 { 0.0 } else { f64::INFINITY };
            m.max(z)
        })
    }
}

/// The estimator a training loop calls: `(policy, episodes, gamma, baseline) -> gradient`.
pub type GradientEstimator<'a> = &'a dyn Fn(&SoftmaxPolicy, &[Episode], f64, &[f64]) -> Array2<f64>;

/// Trains a softmax policy by stochastic gradient ascent with `estimator` on batches of
/// `batch` episodes (no baseline), `n_iters` updates with step `lr`, generator `seeded(seed)`.
/// Returns the policy and the exact $J(\theta_k)$ after every update ($k = 0..=n_{\rm iters}$).
///
/// # Panics
/// If `lr <= 0` or `batch == 0`.
///
/// # Examples
/// ```
/// use course::rl::{reinforce_gradient, reinforce_train, Gridworld, SoftmaxPolicy};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let mu0 = course::rl::uniform_start(&mdp);
/// let (_, js) = reinforce_train(&mdp, &mu0, &reinforce_gradient, 1.0, 20, 100, 200, 0);
/// assert!(js[100] > js[0] + 0.3);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn reinforce_train(mdp: &Mdp, mu0: &Array1<f64>, estimator: GradientEstimator, lr: f64, batch: usize, n_iters: usize, horizon: usize, seed: u64) -> (SoftmaxPolicy, Vec<f64>) {
    assert!(lr > 0.0, "reinforce_train: lr must be > 0, got {lr}");
    assert!(batch > 0, "reinforce_train: batch must be > 0, got 0");
    let mut rng = crate::rng::seeded(seed);
    let mut policy = SoftmaxPolicy::uniform(mdp.n_states(), mdp.n_actions());
    let zero = vec![0.0; mdp.n_states()];
    let mut js = vec![objective(mdp, &policy, mu0)];
    for _ in 0..n_iters {
        let eps: Vec<Episode> = (0..batch).map(|_| sample_episode(mdp, &policy, mu0, horizon, &mut rng)).collect();
        let g = estimator(&policy, &eps, mdp.gamma, &zero);
        assert!(g.dim() == policy.theta.dim() && g.iter().all(|x| x.is_finite()), "reinforce_train: the estimator must return a finite n_states × n_actions gradient");
        policy.theta.scaled_add(lr, &g);
        js.push(objective(mdp, &policy, mu0));
    }
    (policy, js)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rl::{Gridworld, evaluate_policy, exact_policy_gradient, uniform_start};

    #[test]
    fn reinforce_is_unbiased_with_and_without_baseline() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let mu0 = uniform_start(&mdp);
        let mut rng = crate::rng::seeded(3);
        let theta = Array2::from_shape_vec((11, 4), crate::rng::normal_vec(&mut rng, 44)).unwrap() * 0.5;
        let pi = SoftmaxPolicy::new(theta);
        let exact = exact_policy_gradient(&mdp, &pi, &mu0);
        let v = evaluate_policy(&mdp, &pi.probs(), &mu0).v.to_vec();
        let eps = sample_episodes(&mdp, &pi, &mu0, 400, 20_000, 4);
        for b in [vec![0.0; 11], v] {
            let gs: Vec<_> = eps.iter().map(|e| reinforce_episode(&pi, e, 0.9, &b)).collect();
            let st = EstimatorStats::of(&gs);
            assert!(st.max_z(&exact) < 4.5, "max z = {}", st.max_z(&exact));
        }
    }

    #[test]
    fn reward_to_go_is_computed_backwards() {
        // Two steps, rewards 1 then 2, γ = 0.5: G_0 = 2, G_1 = 2; ĝ = ψ_0·2 + 0.5·ψ_1·2.
        let pi = SoftmaxPolicy::uniform(2, 2);
        let ep = Episode { states: vec![0, 1], actions: vec![0, 1], rewards: vec![1.0, 2.0] };
        let g = reinforce_episode(&pi, &ep, 0.5, &[0.0, 0.0]);
        assert_eq!(g, ndarray::array![[1.0, -1.0], [-0.5, 0.5]]);
    }
}
