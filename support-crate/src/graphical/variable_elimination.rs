//! Variable elimination: exact marginals by pushing sums inside the product of factors,
//! $$p(x_q, e) = \sum_{x_{v_m}}\cdots\sum_{x_{v_1}}\prod_k\phi_k ,$$
//! eliminating one variable at a time: multiply the factors that mention it, sum it out, put the
//! result back. The cost is exponential only in the largest intermediate factor, not in the
//! number of variables. The order is chosen greedily (the variable whose product is smallest).
//!
//! ## Reference
//! D. Koller & N. Friedman, *Probabilistic Graphical Models* (2009), ch. 9;
//! N. L. Zhang & D. Poole (1994), *A simple approach to Bayesian network computations*.
//!
//! Used in notebooks/21-bayesian-networks.ipynb.

use super::Factor;

/// The result of [`variable_elimination`]: the posterior, the order used and the size of the
/// largest intermediate factor.
#[derive(Clone, Debug, PartialEq)]
pub struct Elimination {
    /// $p(x_{\text{query}}\mid\text{evidence})$.
    pub marginal: Vec<f64>,
    /// The variables in the order they were summed out.
    pub order: Vec<usize>,
    /// Entries of the largest factor formed.
    pub max_factor_size: usize,
}

/// $p(x_{\text{query}}\mid\text{evidence})$ from `factors` whose product is an unnormalized joint:
/// reduce every factor by the `(variable, value)` evidence, eliminate all other variables
/// greedily, multiply what is left and normalize.
///
/// # Panics
/// If `query` appears in no factor, is itself observed, or the evidence has probability 0.
///
/// # Examples
/// ```
/// use course::graphical::{sprinkler, variable_elimination};
/// let net = sprinkler();
/// let ve = variable_elimination(&net.factors(), 2, &[(3, 1)]);
/// let bf = net.query_enumeration(2, &[(3, 1)]);
/// assert!((ve.marginal[1] - bf[1]).abs() < 1e-12);
/// ```
pub fn variable_elimination(factors: &[Factor], query: usize, evidence: &[(usize, usize)]) -> Elimination {
    assert!(factors.iter().any(|f| f.vars.contains(&query)), "query variable {query} appears in no factor");
    assert!(!evidence.iter().any(|&(v, _)| v == query), "query variable {query} is also observed");
    let mut pool: Vec<Factor> = factors
        .iter()
        .map(|f| evidence.iter().fold(f.clone(), |g, &(v, x)| g.reduce(v, x)))
        .collect();
    let mut order = Vec::new();
    let mut max_factor_size = pool.iter().map(|f| f.values.len()).max().unwrap_or(1);
    loop {
        let mut candidates: Vec<usize> = pool.iter().flat_map(|f| f.vars.iter().copied()).filter(|&v| v != query).collect();
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.is_empty() {
            break;
        }
        // Greedy: the variable whose product of neighbouring factors has the fewest entries.
        let size_of = |v: usize| -> usize {
            let mut vars: Vec<(usize, usize)> = Vec::new();
            for f in pool.iter().filter(|f| f.vars.contains(&v)) {
                for (&u, &c) in f.vars.iter().zip(&f.card) {
                    if !vars.iter().any(|p| p.0 == u) {
                        vars.push((u, c));
                    }
                }
            }
            vars.iter().map(|p| p.1).product()
        };
        let v = *candidates.iter().min_by_key(|&&v| (size_of(v), v)).expect("non-empty");
        let (with, without): (Vec<Factor>, Vec<Factor>) = pool.into_iter().partition(|f| f.vars.contains(&v));
        let product = with.iter().skip(1).fold(with[0].clone(), |acc, f| acc.product(f));
        max_factor_size = max_factor_size.max(product.values.len());
        pool = without;
        pool.push(product.sum_out(v));
        order.push(v);
    }
    let joint = pool.iter().fold(Factor::scalar(1.0), |acc, f| acc.product(f));
    let z: f64 = joint.values.iter().sum();
    assert!(z > 0.0, "the evidence {evidence:?} has probability 0");
    Elimination { marginal: joint.values.iter().map(|v| v / z).collect(), order, max_factor_size }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphical::{student, sprinkler};

    #[test]
    fn equals_enumeration_for_every_query_and_evidence_pattern() {
        for net in [student(), sprinkler()] {
            let n = net.len();
            for q in 0..n {
                // every evidence set on the other nodes, with value 1 (or the last value)
                for mask in 0..1usize << n {
                    if mask >> q & 1 == 1 {
                        continue;
                    }
                    let ev: Vec<(usize, usize)> = (0..n).filter(|v| mask >> v & 1 == 1).map(|v| (v, net.card[v] - 1)).collect();
                    let bf = net.query_enumeration(q, &ev);
                    let ve = variable_elimination(&net.factors(), q, &ev);
                    for (a, b) in ve.marginal.iter().zip(&bf) {
                        assert!((a - b).abs() < 1e-12, "q {q} ev {ev:?}: {a} vs {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn chain_elimination_keeps_factors_small() {
        // A chain of 12 binary nodes: 4096 joint states, but no factor larger than 4 entries.
        let mut net = crate::graphical::BayesNet::new();
        net.add("x0", 2, &[], vec![0.3, 0.7]);
        for i in 1..12 {
            net.add(&format!("x{i}"), 2, &[i - 1], vec![0.9, 0.1, 0.2, 0.8]);
        }
        let ve = variable_elimination(&net.factors(), 11, &[]);
        assert!(ve.max_factor_size <= 4);
        assert!((ve.marginal[1] - net.query_enumeration(11, &[])[1]).abs() < 1e-12);
    }
}
