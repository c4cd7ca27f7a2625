//! Learning CPTs by counting: the maximum-likelihood estimate of $p(x_i = k\mid \mathrm{pa} = j)$
//! from complete data is the conditional frequency, and Laplace (add-$\alpha$) smoothing is the
//! posterior mean under a symmetric Dirichlet($\alpha$) prior:
//! $$\hat\theta_{ijk} = \frac{N_{ijk} + \alpha}{N_{ij} + \alpha\,r_i},\qquad
//! \operatorname{se}(\hat\theta_{ijk}) \approx \sqrt{\frac{\theta_{ijk}(1-\theta_{ijk})}{N_{ij}}},$$
//! ($r_i$ = number of values of node $i$), so the error shrinks like $n^{-1/2}$.
//!
//! ## Reference
//! D. Koller & N. Friedman, *Probabilistic Graphical Models* (2009), §17.2 (MLE) and §17.4 (Bayesian
//! estimation); K. Murphy, *Machine Learning: a Probabilistic Perspective* (2012), §10.4.
//!
//! Used in notebooks/21-bayesian-networks.ipynb.

use super::BayesNet;

/// The counts $N_{ijk}$ of node `node`, laid out like its CPT (one row per parent configuration).
///
/// # Panics
/// If a sample has the wrong length or a value out of range.
///
/// # Examples
/// ```
/// let net = course::graphical::sprinkler();
/// let c = course::graphical::cpt_counts(&net, &[vec![1, 0, 1, 1], vec![1, 1, 0, 1]], 2);
/// assert_eq!(c, vec![0, 0, 1, 1]); // rain given cloudy = 1: one 0, one 1
/// ```
pub fn cpt_counts(net: &BayesNet, samples: &[Vec<usize>], node: usize) -> Vec<usize> {
    assert!(node < net.len(), "node must be < {}, got {node}", net.len());
    let mut counts = vec![0usize; net.cpts[node].len()];
    for x in samples {
        assert_eq!(x.len(), net.len(), "each sample needs {} values, got {}", net.len(), x.len());
        assert!(x[node] < net.card[node], "node {node} has {} values, got {}", net.card[node], x[node]);
        counts[net.cpt_row(node, x) * net.card[node] + x[node]] += 1;
    }
    counts
}

/// The network `net` (its structure) with every CPT re-estimated from `samples` by counting,
/// with add-`alpha` smoothing. With `alpha = 0`, a parent configuration never seen gets the
/// uniform row.
///
/// # Panics
/// If `alpha < 0`.
///
/// # Examples
/// ```
/// use course::graphical::{learn_cpts, sprinkler};
/// let net = sprinkler();
/// let samples = net.sample(100_000, &mut course::rng::seeded(0));
/// let fit = learn_cpts(&net, &samples, 0.0);
/// assert!((fit.cpts[2][3] - 0.8).abs() < 4.0 * (0.8f64 * 0.2 / 50_000.0).sqrt()); // 4 s.e.
/// ```
pub fn learn_cpts(net: &BayesNet, samples: &[Vec<usize>], alpha: f64) -> BayesNet {
    assert!(alpha >= 0.0 && alpha.is_finite(), "alpha must be >= 0, got {alpha}");
    let mut out = net.clone();
    for i in 0..net.len() {
        let r = net.card[i];
        let counts = cpt_counts(net, samples, i);
        out.cpts[i] = counts
            .chunks(r)
            .flat_map(|row| {
                let total: usize = row.iter().sum();
                let denom = total as f64 + alpha * r as f64;
                row.iter()
                    .map(|&c| if denom > 0.0 { (c as f64 + alpha) / denom } else { 1.0 / r as f64 })
                    .collect::<Vec<f64>>()
            })
            .collect();
    }
    out
}

/// The mean absolute difference between the CPT entries of two networks with the same structure.
///
/// # Panics
/// If the structures differ.
///
/// # Examples
/// ```
/// let net = course::graphical::sprinkler();
/// assert_eq!(course::graphical::cpt_error(&net, &net), 0.0);
/// ```
pub fn cpt_error(estimate: &BayesNet, truth: &BayesNet) -> f64 {
    assert!(estimate.parents == truth.parents && estimate.card == truth.card, "cpt_error: the two networks must have the same structure");
    let (mut s, mut n) = (0.0, 0usize);
    for (a, b) in estimate.cpts.iter().zip(&truth.cpts) {
        for (x, y) in a.iter().zip(b) {
            s += (x - y).abs();
            n += 1;
        }
    }
    s / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphical::{student, sprinkler};

    #[test]
    fn mle_maximizes_the_likelihood() {
        // Perturbing any CPT row of the MLE lowers the data log-likelihood.
        let net = student();
        let samples = net.sample(2000, &mut crate::rng::seeded(1));
        let fit = learn_cpts(&net, &samples, 0.0);
        let ll = |m: &BayesNet| samples.iter().map(|x| m.prob(x).ln()).sum::<f64>();
        let best = ll(&fit);
        for i in 0..net.len() {
            let mut p = fit.clone();
            p.cpts[i][0] += 0.01;
            p.cpts[i][1] -= 0.01;
            assert!(ll(&p) < best);
        }
    }

    #[test]
    fn laplace_with_no_data_is_uniform_and_shrinks_toward_it() {
        let net = student();
        let fit = learn_cpts(&net, &[], 1.0);
        assert!(fit.cpts[2].iter().all(|&p| (p - 1.0 / 3.0).abs() < 1e-15));
        let one = vec![vec![0, 0, 0, 0, 0]];
        let f1 = learn_cpts(&net, &one, 1.0);
        assert!((f1.cpts[0][0] - 2.0 / 3.0).abs() < 1e-15); // (1 + 1)/(1 + 2)
    }

    #[test]
    fn error_decays_like_inverse_sqrt_n_over_seeds() {
        // The fitted log-log slope of the mean error over n = 10², …, 10⁵ is −½ within 0.1.
        let net = sprinkler();
        let ns = [100usize, 300, 1000, 3000, 10_000, 30_000, 100_000];
        for seed in 0..5u64 {
            let mut rng = crate::rng::seeded(seed);
            let errs: Vec<f64> = ns
                .iter()
                .map(|&n| (0..20).map(|_| cpt_error(&learn_cpts(&net, &net.sample(n, &mut rng), 0.0), &net)).sum::<f64>() / 20.0)
                .collect();
            let lx: Vec<f64> = ns.iter().map(|&n| (n as f64).ln()).collect();
            let ly: Vec<f64> = errs.iter().map(|e| e.ln()).collect();
            let (mx, my) = (lx.iter().sum::<f64>() / 7.0, ly.iter().sum::<f64>() / 7.0);
            let slope = lx.iter().zip(&ly).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / lx.iter().map(|x| (x - mx).powi(2)).sum::<f64>();
            eprintln!("seed {seed}: slope {slope}");
            assert!((slope + 0.5).abs() < 0.1, "seed {seed}: slope {slope}");
        }
    }
}
