//! Exercises of notebooks/21-bayesian-networks.ipynb.

use super::{Feedback, vec_close};
use crate::graphical::{BayesNet, cpt_counts};

/// Exercise 21.1: the posterior $p(x_{\text{target}}\mid\text{evidence})$, computed by hand from
/// the joint (`p` has one entry per value of `target`).
///
/// # Examples
/// ```
/// let net = course::graphical::sprinkler();
/// let p = net.query_enumeration(1, &[(3, 1)]);
/// assert!(course::exercises::nb21::check_q1(&net, 1, &[(3, 1)], &p).is_correct());
/// ```
pub fn check_q1(net: &BayesNet, target: usize, evidence: &[(usize, usize)], p: &[f64]) -> Feedback {
    let ex = "21.1";
    let expected = net.query_enumeration(target, evidence);
    if p.len() != expected.len() {
        return Feedback::wrong(ex, format!("one probability per value of '{}': expected {}, got {}.", net.names[target], expected.len(), p.len()));
    }
    if vec_close(p, &expected, 1e-9) {
        return Feedback::correct(ex, format!("p({} | evidence) = {expected:.4?}: Bayes' rule is the joint divided by p(evidence).", net.names[target]));
    }
    // the unnormalized joint p(x_target, evidence)
    let mut joint = vec![0.0; expected.len()];
    for x in net.assignments() {
        if evidence.iter().all(|&(v, val)| x[v] == val) {
            joint[x[target]] += net.prob(&x);
        }
    }
    if vec_close(p, &joint, 1e-9) {
        return Feedback::wrong(ex, "this is the joint p(x, evidence): divide by p(evidence) (the sum over x) to condition.");
    }
    if vec_close(p, &net.query_enumeration(target, &[]), 1e-9) {
        return Feedback::wrong(ex, "this is the prior marginal: keep only the joint assignments that agree with the evidence.");
    }
    let s: f64 = p.iter().sum();
    if (s - 1.0).abs() > 1e-6 {
        return Feedback::wrong(ex, format!("a conditional distribution sums to 1, yours sums to {s:.6}."));
    }
    Feedback::wrong(ex, format!("expected {expected:.6?}, got {p:.6?}."))
}

/// Exercise 21.2: the add-`alpha` estimate $(N_{ijk}+\alpha)/(N_{ij}+\alpha r_i)$ of the CPT of
/// `node` from `samples`, laid out like `net.cpts[node]`.
///
/// # Examples
/// ```
/// use course::graphical::{learn_cpts, sprinkler};
/// let net = sprinkler();
/// let s = net.sample(50, &mut course::rng::seeded(0));
/// let cpt = learn_cpts(&net, &s, 1.0).cpts[2].clone();
/// assert!(course::exercises::nb21::check_q2(&net, &s, 2, 1.0, &cpt).is_correct());
/// ```
pub fn check_q2(net: &BayesNet, samples: &[Vec<usize>], node: usize, alpha: f64, cpt: &[f64]) -> Feedback {
    let ex = "21.2";
    let r = net.card[node];
    let counts = cpt_counts(net, samples, node);
    if cpt.len() != counts.len() {
        return Feedback::wrong(ex, format!("the CPT of '{}' has {} entries (rows × values), got {}.", net.names[node], counts.len(), cpt.len()));
    }
    let estimate = |num_alpha: f64, den_alpha: f64, per_row: bool| -> Vec<f64> {
        let n = samples.len() as f64;
        counts
            .chunks(r)
            .flat_map(|row| {
                let total = if per_row { row.iter().sum::<usize>() as f64 } else { n };
                row.iter().map(move |&c| (c as f64 + num_alpha) / (total + den_alpha)).collect::<Vec<_>>()
            })
            .collect()
    };
    let expected = estimate(alpha, alpha * r as f64, true);
    if vec_close(cpt, &expected, 1e-9) {
        return Feedback::correct(ex, "each row is (counts + α)/(row total + α·r): a distribution, pulled toward uniform when data are scarce.");
    }
    if alpha > 0.0 && vec_close(cpt, &estimate(0.0, 0.0, true), 1e-9) {
        return Feedback::wrong(ex, "this is the maximum-likelihood estimate: add α to every count.");
    }
    if alpha > 0.0 && vec_close(cpt, &estimate(alpha, 0.0, true), 1e-9) {
        return Feedback::wrong(ex, "α was added to the counts but not to the denominator: divide by N_ij + α·r so each row sums to 1.");
    }
    if vec_close(cpt, &estimate(alpha, alpha * r as f64, false), 1e-9) || vec_close(cpt, &estimate(alpha, alpha * counts.len() as f64, false), 1e-9) {
        return Feedback::wrong(ex, "divide by the count of the parent configuration N_ij (the row total), not by the number of samples.");
    }
    Feedback::wrong(ex, format!("expected {expected:.4?}, got {cpt:.4?}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphical::{learn_cpts, sprinkler, student};

    #[test]
    fn q1_spots_unnormalized_and_prior() {
        let net = student();
        let ev = [(2, 2), (3, 1)];
        let p = net.query_enumeration(1, &ev);
        assert!(check_q1(&net, 1, &ev, &p).is_correct());
        let prior = net.query_enumeration(1, &[]);
        assert!(check_q1(&net, 1, &ev, &prior).message.contains("prior"));
        let pe: f64 = net.assignments().iter().filter(|x| x[2] == 2 && x[3] == 1).map(|x| net.prob(x)).sum();
        let joint: Vec<f64> = p.iter().map(|v| v * pe).collect();
        assert!(check_q1(&net, 1, &ev, &joint).message.contains("joint"));
    }

    #[test]
    fn q2_spots_missing_smoothing_and_wrong_denominator() {
        let net = sprinkler();
        let s = net.sample(40, &mut crate::rng::seeded(2));
        let good = learn_cpts(&net, &s, 1.0).cpts[3].clone();
        assert!(check_q2(&net, &s, 3, 1.0, &good).is_correct());
        let mle = learn_cpts(&net, &s, 0.0).cpts[3].clone();
        assert!(check_q2(&net, &s, 3, 1.0, &mle).message.contains("maximum-likelihood"));
        let c = cpt_counts(&net, &s, 3);
        let by_n: Vec<f64> = c.iter().map(|&k| (k as f64 + 1.0) / (40.0 + 2.0)).collect();
        assert!(check_q2(&net, &s, 3, 1.0, &by_n).message.contains("row total"));
    }
}
