//! One-step actor–critic: a softmax actor driven by the TD error of a tabular critic.
//!
//! The critic learns $V_w\approx V^{\pi_\theta}$ by TD(0); its TD error
//! $\delta_t = R_{t+1} + \gamma V_w(S_{t+1}) - V_w(S_t)$ replaces $G_t - b(S_t)$ in REINFORCE
//! ($\mathbb E[\delta_t\mid S_t, A_t] = A^\pi(S_t, A_t)$ when $V_w = V^\pi$):
//! $$w_{S_t} \leftarrow w_{S_t} + \alpha_w\,\delta_t,\qquad
//!   \theta \leftarrow \theta + \alpha_\theta\,\gamma^t\,\delta_t\,\nabla\log\pi_\theta(A_t\mid S_t).$$
//! Both use the same (one-hot) state features, the case of Konda & Tsitsiklis's compatible
//! features; the critic runs on the faster time scale ($\alpha_w > \alpha_\theta$).
//!
//! ## Reference
//! V. R. Konda & J. N. Tsitsiklis (2000), *Actor–critic algorithms*, NIPS 12; Sutton & Barto
//! (2018), §13.5.
//!
//! Used in notebooks/25-reinforcement-learning-with-networks.ipynb.

use super::{Mdp, SoftmaxPolicy, objective};
use ndarray::Array1;

/// The result of [`actor_critic`].
#[derive(Clone, Debug, PartialEq)]
pub struct ActorCriticRun {
    /// The final policy.
    pub policy: SoftmaxPolicy,
    /// The final critic $V_w$.
    pub critic: Array1<f64>,
    /// Exact $J(\theta)$ after every `eval_every` episodes, starting with the initial policy.
    pub js: Vec<f64>,
}

/// Runs one-step actor–critic from the uniform policy and $V_w = 0$ for `n_episodes` episodes
/// (each from $S_0\sim\mu_0$, at most `horizon` steps), generator `seeded(seed)`.
///
/// # Panics
/// If a step size is not positive or `eval_every == 0`.
///
/// # Examples
/// ```
/// use course::rl::{actor_critic, Gridworld};
/// let mdp = Gridworld::classic().to_mdp(0.9);
/// let run = actor_critic(&mdp, &course::rl::uniform_start(&mdp), 0.5, 0.2, 2000, 200, 100, 0);
/// assert!(*run.js.last().unwrap() > run.js[0] + 0.3);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn actor_critic(mdp: &Mdp, mu0: &Array1<f64>, lr_actor: f64, lr_critic: f64, n_episodes: usize, horizon: usize, eval_every: usize, seed: u64) -> ActorCriticRun {
    assert!(lr_actor > 0.0 && lr_critic > 0.0, "actor_critic: lr_actor and lr_critic must be > 0, got {lr_actor} and {lr_critic}");
    assert!(eval_every > 0, "actor_critic: eval_every must be > 0, got 0");
    let mut rng = crate::rng::seeded(seed);
    let mut policy = SoftmaxPolicy::uniform(mdp.n_states(), mdp.n_actions());
    let mut w = Array1::<f64>::zeros(mdp.n_states());
    let mut js = vec![objective(mdp, &policy, mu0)];
    for k in 1..=n_episodes {
        let mut s = start(mu0, &mut rng);
        let mut discount = 1.0;
        for _ in 0..horizon {
            if mdp.terminal[s] {
                break;
            }
            let a = policy.sample(s, &mut rng);
            let s_next = mdp.sample_next(s, a, &mut rng);
            let v_next = if mdp.terminal[s_next] { 0.0 } else { w[s_next] };
            let delta = mdp.r[[s, a]] + mdp.gamma * v_next - w[s];
            w[s] += lr_critic * delta;
            let mut step = ndarray::Array2::zeros(policy.theta.dim());
            policy.add_score(s, a, lr_actor * discount * delta, &mut step);
            policy.theta += &step;
            discount *= mdp.gamma;
            s = s_next;
        }
        if k % eval_every == 0 {
            js.push(objective(mdp, &policy, mu0));
        }
    }
    ActorCriticRun { policy, critic: w, js }
}

fn start(mu0: &Array1<f64>, rng: &mut impl crate::rng::Rng) -> usize {
    use crate::rng::RngExt;
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for (i, &p) in mu0.iter().enumerate() {
        acc += p;
        if u < acc {
            return i;
        }
    }
    mu0.iter().rposition(|&p| p > 0.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rl::{Gridworld, policy_iteration, uniform_start};

    #[test]
    fn approaches_the_optimal_value_on_three_seeds() {
        let mdp = Gridworld::classic().to_mdp(0.9);
        let mu0 = uniform_start(&mdp);
        let j_star = mu0.dot(&policy_iteration(&mdp).v);
        for seed in 0..3 {
            let run = actor_critic(&mdp, &mu0, 0.5, 0.2, 4000, 200, 4000, seed);
            assert!(j_star - run.js.last().unwrap() < 0.1, "seed {seed}: {} vs {j_star}", run.js.last().unwrap());
        }
    }
}
