//! Exercises of notebooks/25-reinforcement-learning-with-networks.ipynb.

use super::Feedback;
use crate::rl::{Episode, LinearTd, SoftmaxPolicy, reinforce_gradient, tanh_ntk_limit, wide_td};
use crate::rng::RngExt;
use ndarray::Array2;

/// Hidden inputs of exercise 25.1: (policy, episodes, γ, baseline) of several shapes.
fn hidden_cases() -> Vec<(SoftmaxPolicy, Vec<Episode>, f64, Vec<f64>)> {
    let mut rng = crate::rng::seeded(3501);
    let mut cases = Vec::new();
    for &(n_s, n_a, gamma, n_eps, with_baseline) in &[(3usize, 2usize, 0.9, 4usize, false), (5, 3, 0.5, 6, true), (11, 4, 0.95, 3, true), (2, 4, 0.8, 1, true)] {
        let theta = Array2::from_shape_vec((n_s, n_a), crate::rng::normal_vec(&mut rng, n_s * n_a)).unwrap();
        let mut eps = Vec::new();
        for k in 0..n_eps {
            let len = if k == 0 { 1 } else { rng.random_range(2..9) };
            let states: Vec<usize> = (0..len).map(|_| rng.random_range(0..n_s)).collect();
            let actions: Vec<usize> = (0..len).map(|_| rng.random_range(0..n_a)).collect();
            let rewards = crate::rng::normal_vec(&mut rng, len);
            eps.push(Episode { states, actions, rewards });
        }
        let baseline = if with_baseline { crate::rng::normal_vec(&mut rng, n_s) } else { vec![0.0; n_s] };
        cases.push((SoftmaxPolicy::new(theta), eps, gamma, baseline));
    }
    cases
}

/// A variant of REINFORCE: `discount_score` multiplies the score by γ^t, `total` uses G₀ for every
/// t, `start_baseline` subtracts b(S₀), `baseline_sign` ±1, `one_hot` drops the −π term,
/// `gamma_to_go` the discount inside G_t.
#[allow(clippy::too_many_arguments)]
fn variant(policy: &SoftmaxPolicy, episodes: &[Episode], gamma: f64, baseline: &[f64], discount_score: bool, total: bool, start_baseline: bool, baseline_sign: f64, one_hot: bool, gamma_to_go: f64) -> Array2<f64> {
    let mut g = Array2::zeros(policy.theta.dim());
    for ep in episodes {
        let n = ep.states.len();
        let mut ret = vec![0.0; n];
        let mut acc = 0.0;
        for t in (0..n).rev() {
            acc = ep.rewards[t] + gamma_to_go * acc;
            ret[t] = acc;
        }
        for t in 0..n {
            let s = ep.states[t];
            let b = if start_baseline { baseline[ep.states[0]] } else { baseline[s] };
            let gt = if total { ret[0] } else { ret[t] };
            let w = if discount_score { gamma.powi(t as i32) } else { 1.0 } * (gt - baseline_sign * b);
            if one_hot {
                g[[s, ep.actions[t]]] += w;
            } else {
                policy.add_score(s, ep.actions[t], w, &mut g);
            }
        }
    }
    g / episodes.len() as f64
}

/// Exercise 25.1 (implement): the REINFORCE gradient of a batch of episodes with a state
/// baseline, $\frac1M\sum_{\rm episodes}\sum_t\gamma^t\nabla\log\pi(A_t\mid S_t)\,(G_t - b(S_t))$.
/// Runs `reinforce` on hidden policies, episodes, discounts and baselines and names the usual
/// slips.
///
/// # Examples
/// ```
/// let f = course::exercises::nb25::check_q1(course::rl::reinforce_gradient);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(reinforce: impl Fn(&SoftmaxPolicy, &[Episode], f64, &[f64]) -> Array2<f64>) -> Feedback {
    let ex = "25.1";
    let cases = hidden_cases();
    let outputs: Vec<Array2<f64>> = cases.iter().map(|(p, e, g, b)| reinforce(p, e, *g, b)).collect();
    for ((p, ..), out) in cases.iter().zip(&outputs) {
        if out.dim() != p.theta.dim() {
            return Feedback::wrong(ex, format!("the gradient has the shape of θ, n_states × n_actions = {:?}; got {:?}.", p.theta.dim(), out.dim()));
        }
    }
    let matches = |f: &dyn Fn(&SoftmaxPolicy, &[Episode], f64, &[f64]) -> Array2<f64>| {
        cases.iter().zip(&outputs).all(|((p, e, g, b), out)| out.iter().zip(f(p, e, *g, b).iter()).all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + y.abs())))
    };
    if matches(&|p, e, g, b| reinforce_gradient(p, e, g, b)) {
        return Feedback::correct(ex, "REINFORCE with a baseline: γ^t ∇log π(A_t|S_t)(G_t − b(S_t)) summed over the episode and averaged over the batch. The next cell trains a policy with it.");
    }
    let slips: [(&str, Box<dyn Fn(&SoftmaxPolicy, &[Episode], f64, &[f64]) -> Array2<f64>>); 9] = [
        ("sign: you return −∇J. REINFORCE ascends J, so the estimate is +Σ γ^t ∇log π (G_t − b).", Box::new(|p, e, g, b| -reinforce_gradient(p, e, g, b))),
        ("you sum over the episodes instead of averaging: divide by the number of episodes (the step size should not depend on the batch size).", Box::new(|p, e, g, b| reinforce_gradient(p, e, g, b) * e.len() as f64)),
        ("the factor γ^t in front of ∇log π(A_t|S_t) is missing: the occupancy in the policy-gradient theorem is discounted (section 2), so the score at time t carries γ^t.", Box::new(|p, e, g, b| variant(p, e, g, b, false, false, false, 1.0, false, g))),
        ("you use the total return G_0 at every step instead of the reward-to-go G_t = Σ_{k≥t} γ^{k−t} R_{k+1}. (G_0 is also unbiased, but it adds the rewards received before A_t, which the action cannot affect: more variance.)", Box::new(|p, e, g, b| variant(p, e, g, b, true, true, false, 1.0, false, g))),
        ("the reward-to-go is not discounted: G_t = R_{t+1} + γ R_{t+2} + γ² R_{t+3} + … (compute it backwards, G_t = R_{t+1} + γ G_{t+1}).", Box::new(|p, e, g, b| variant(p, e, g, b, true, false, false, 1.0, false, 1.0))),
        ("the baseline is added: subtract it, G_t − b(S_t).", Box::new(|p, e, g, b| variant(p, e, g, b, true, false, false, -1.0, false, g))),
        ("the baseline is b(S_0) at every step; it is the baseline of the current state, b(S_t).", Box::new(|p, e, g, b| variant(p, e, g, b, true, false, true, 1.0, false, g))),
        ("the score ∇log π(a|s) of the softmax is e_{s,a} − π(·|s) in row s: you dropped the −π(·|s) term.", Box::new(|p, e, g, b| variant(p, e, g, b, true, false, false, 1.0, true, g))),
        ("the baseline is not subtracted at all: use G_t − b(S_t).", Box::new(|p, e, g, _| reinforce_gradient(p, e, g, &vec![0.0; p.theta.nrows()]))),
    ];
    for (msg, f) in &slips {
        if matches(f.as_ref()) {
            return Feedback::wrong(ex, *msg);
        }
    }
    let (p, e, g, b) = &cases[1];
    let want = reinforce_gradient(p, e, *g, b);
    Feedback::wrong(ex, format!(
        "on a hidden batch ({} states, {} actions, γ = {g}, {} episodes) entry [0, 0] should be {:.6}, got {:.6}. Compute G_t backwards, then add γ^t (G_t − b(S_t)) ∇log π(A_t|S_t) with SoftmaxPolicy::add_score, and average over episodes.",
        p.theta.nrows(), p.theta.ncols(), e.len(), want[[0, 0]], outputs[1][[0, 0]]
    ))
}

/// The tolerance ε of exercise 25.2.
pub const Q2_EPSILON: f64 = 0.003;

/// The mean over network seeds 0, 1, 2 of the largest distance between the network and its
/// linearization, on the chain of section 6 (`LinearTd::random(6, 2, 0.9, 0)`, lr 1, 200 steps).
pub fn q2_gap(width: usize) -> f64 {
    let chain = LinearTd::random(6, 2, 0.9, 0);
    let k_inf = tanh_ntk_limit(&chain.phi, 10, 0); // not used by max_gap
    (0..3).map(|s| wide_td(&chain, &k_inf, width, 1.0, 200, 10, s).max_gap()).sum::<f64>() / 3.0
}

/// Exercise 25.2 (explore): the smallest width $N = 2^k$ at which the network stays within
/// $\varepsilon$ = [`Q2_EPSILON`] of its linearization (the seed-averaged [`q2_gap`]).
///
/// # Examples
/// ```
/// assert!(!course::exercises::nb25::check_q2(100).is_correct()); // not a power of 2
/// ```
pub fn check_q2(width: usize) -> Feedback {
    let ex = "25.2";
    if !width.is_power_of_two() || width < 2 {
        return Feedback::wrong(ex, format!("answer a power of two N = 2^k ≥ 2 (the widths you scan), got {width}."));
    }
    let gap = q2_gap(width);
    if gap > Q2_EPSILON {
        return Feedback::wrong(ex, format!("at N = {width} the seed-averaged gap is {gap:.4} > ε = {Q2_EPSILON}: go wider."));
    }
    let half = q2_gap(width / 2);
    if half <= Q2_EPSILON {
        return Feedback::wrong(ex, format!("N = {width} works, but so does N = {} (gap {half:.4}): find the smallest width. If you measured the distance to the infinite-width limit (limit_gap), that is a different quantity: use max_gap.", width / 2));
    }
    Feedback::correct(ex, format!("N = {width}: gap {gap:.4} ≤ ε = {Q2_EPSILON} < {half:.4} at N = {}. With a gap ∝ N^(−1), halving ε doubles the width; the distance to the infinite-width limit (∝ N^(−1/2)) would need four times more.", width / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_accepts_the_reference_and_names_every_slip() {
        assert!(check_q1(reinforce_gradient).is_correct());
        let cases: Vec<(Box<dyn Fn(&SoftmaxPolicy, &[Episode], f64, &[f64]) -> Array2<f64>>, &str)> = vec![
            (Box::new(|p, e, g, b| -reinforce_gradient(p, e, g, b)), "sign"),
            (Box::new(|p, e, g, b| reinforce_gradient(p, e, g, b) * e.len() as f64), "averaging"),
            (Box::new(|p, e, g, b| variant(p, e, g, b, false, false, false, 1.0, false, g)), "γ^t"),
            (Box::new(|p, e, g, b| variant(p, e, g, b, true, true, false, 1.0, false, g)), "total return"),
            (Box::new(|p, e, g, b| variant(p, e, g, b, true, false, false, 1.0, false, 1.0)), "not discounted"),
            (Box::new(|p, e, g, b| variant(p, e, g, b, true, false, false, -1.0, false, g)), "added"),
            (Box::new(|p, e, g, b| variant(p, e, g, b, true, false, true, 1.0, false, g)), "b(S_0)"),
            (Box::new(|p, e, g, b| variant(p, e, g, b, true, false, false, 1.0, true, g)), "−π"),
            (Box::new(|p, e, g, _| reinforce_gradient(p, e, g, &vec![0.0; p.theta.nrows()])), "not subtracted"),
            (Box::new(|p, _, _, _| Array2::zeros((p.theta.nrows() + 1, 1))), "shape"),
            (Box::new(|p, e, g, b| reinforce_gradient(p, e, g, b) * 1.5), "entry [0, 0]"),
        ];
        for (f, key) in cases {
            let fb = check_q1(move |p: &SoftmaxPolicy, e: &[Episode], g: f64, b: &[f64]| f(p, e, g, b));
            assert!(!fb.is_correct() && fb.message.contains(key), "{key}: {}", fb.message);
        }
    }

    #[test]
    fn q2_accepts_the_smallest_width_and_rejects_others() {
        let widths: Vec<usize> = (4..14).map(|k| 1usize << k).collect();
        let best = *widths.iter().find(|&&n| q2_gap(n) <= Q2_EPSILON).expect("some width works");
        assert!(check_q2(best).is_correct());
        assert!(check_q2(best / 2).message.contains("go wider"));
        assert!(check_q2(best * 2).message.contains("smallest"));
        assert!(check_q2(best + 1).message.contains("power of two"));
    }
}
