//! Sum-product belief propagation on a factor graph: exact on trees, approximate ("loopy") on
//! graphs with cycles.
//!
//! Messages between variables $v$ and factors $f$, updated in parallel (flooding schedule):
//! $$\mu_{v\to f}(x_v) = \prod_{g\ni v,\,g\ne f}\mu_{g\to v}(x_v),\qquad
//! \mu_{f\to v}(x_v) = \sum_{x_{f\setminus v}} f(x_f)\prod_{u\in f,\,u\ne v}\mu_{u\to f}(x_u),$$
//! beliefs $b_v(x_v)\propto\prod_{f\ni v}\mu_{f\to v}(x_v)$. On a tree the beliefs equal the
//! exact marginals once messages have crossed the tree (iterations ≥ diameter). On a loop the
//! fixed point is a stationary point of the Bethe free energy; damping
//! $\mu\leftarrow(1-\delta)\,\mu_{\text{new}} + \delta\,\mu_{\text{old}}$ helps it converge.
//! Evidence reduces the factors; observed variables get a point-mass belief.
//!
//! ## Reference
//! J. Pearl (1988), *Probabilistic Reasoning in Intelligent Systems*, ch. 4; F. Kschischang,
//! B. Frey & H.-A. Loeliger (2001), *Factor graphs and the sum-product algorithm*;
//! J. Yedidia, W. Freeman & Y. Weiss (2003), *Understanding belief propagation and its generalizations*.
//!
//! Used in notebooks/21-bayesian-networks.ipynb.

use super::Factor;

/// The outcome of [`belief_propagation`].
#[derive(Clone, Debug, PartialEq)]
pub struct BpResult {
    /// The beliefs (approximate marginals) of every variable `0..card.len()`.
    pub marginals: Vec<Vec<f64>>,
    /// `history[t]`: the beliefs after iteration `t + 1`.
    pub history: Vec<Vec<Vec<f64>>>,
    /// Iterations run.
    pub n_iters: usize,
    /// Whether the largest message change fell below `tol`.
    pub converged: bool,
}

fn normalize(m: &mut [f64]) {
    let z: f64 = m.iter().sum();
    if z > 0.0 {
        m.iter_mut().for_each(|v| *v /= z);
    }
}

/// Sum-product BP on the factor graph of `factors` over variables `0..card.len()` with
/// cardinalities `card`, after reducing by the `(variable, value)` `evidence`. Runs flooding
/// iterations with `damping` δ ∈ [0, 1) until the largest change of a factor-to-variable message
/// is below `tol`, or `max_iters`.
///
/// # Panics
/// If `damping` is not in [0, 1), `max_iters == 0`, or a factor names a variable `>= card.len()`.
///
/// # Examples
/// ```
/// use course::graphical::{belief_propagation, student};
/// let net = student();
/// let bp = belief_propagation(&net.factors(), &net.card, &[], 0.0, 50, 1e-14);
/// let exact = net.query_enumeration(4, &[]);
/// assert!(bp.converged && (bp.marginals[4][1] - exact[1]).abs() < 1e-12); // a tree: exact
/// ```
pub fn belief_propagation(
    factors: &[Factor],
    card: &[usize],
    evidence: &[(usize, usize)],
    damping: f64,
    max_iters: usize,
    tol: f64,
) -> BpResult {
    assert!((0.0..1.0).contains(&damping), "damping must be in [0, 1), got {damping}");
    assert!(max_iters > 0, "max_iters must be > 0, got 0");
    let n = card.len();
    for f in factors {
        for (&v, &c) in f.vars.iter().zip(&f.card) {
            assert!(v < n, "a factor names variable {v}, but card has only {n} entries");
            assert_eq!(c, card[v], "variable {v} has cardinality {} but a factor says {c}", card[v]);
        }
    }
    let observed: Vec<Option<usize>> = (0..n).map(|v| evidence.iter().find(|e| e.0 == v).map(|e| e.1)).collect();
    let fs: Vec<Factor> = factors
        .iter()
        .map(|f| evidence.iter().fold(f.clone(), |g, &(v, x)| g.reduce(v, x)))
        .filter(|f| !f.vars.is_empty())
        .collect();
    // Messages, indexed by (factor, position of the variable in the factor).
    let uniform = |v: usize| vec![1.0 / card[v] as f64; card[v]];
    let mut to_var: Vec<Vec<Vec<f64>>> = fs.iter().map(|f| f.vars.iter().map(|&v| uniform(v)).collect()).collect();
    let mut to_fac = to_var.clone();
    let beliefs = |to_var: &Vec<Vec<Vec<f64>>>| -> Vec<Vec<f64>> {
        (0..n)
            .map(|v| {
                if let Some(x) = observed[v] {
                    return (0..card[v]).map(|k| if k == x { 1.0 } else { 0.0 }).collect();
                }
                let mut b = vec![1.0; card[v]];
                for (fi, f) in fs.iter().enumerate() {
                    if let Some(p) = f.vars.iter().position(|&u| u == v) {
                        b.iter_mut().zip(&to_var[fi][p]).for_each(|(a, m)| *a *= m);
                    }
                }
                normalize(&mut b);
                b
            })
            .collect()
    };
    let mut history = Vec::new();
    let mut converged = false;
    let mut n_iters = 0;
    for _ in 0..max_iters {
        n_iters += 1;
        // variable → factor: product of the other factors' messages into the variable
        for (fi, f) in fs.iter().enumerate() {
            for (p, &v) in f.vars.iter().enumerate() {
                let mut m = vec![1.0; card[v]];
                for (gi, g) in fs.iter().enumerate() {
                    if gi == fi {
                        continue;
                    }
                    if let Some(q) = g.vars.iter().position(|&u| u == v) {
                        m.iter_mut().zip(&to_var[gi][q]).for_each(|(a, b)| *a *= b);
                    }
                }
                normalize(&mut m);
                to_fac[fi][p] = m;
            }
        }
        // factor → variable: multiply in the incoming messages of the others, sum them out
        let mut change: f64 = 0.0;
        for (fi, f) in fs.iter().enumerate() {
            for (p, &v) in f.vars.iter().enumerate() {
                let mut prod = f.clone();
                for (q, &u) in f.vars.iter().enumerate() {
                    if q != p {
                        prod = prod.product(&Factor::new(vec![u], vec![card[u]], to_fac[fi][q].clone()));
                    }
                }
                for &u in &f.vars {
                    if u != v {
                        prod = prod.sum_out(u);
                    }
                }
                let mut m = prod.values;
                normalize(&mut m);
                for (k, mk) in m.iter_mut().enumerate() {
                    *mk = (1.0 - damping) * *mk + damping * to_var[fi][p][k];
                    change = change.max((*mk - to_var[fi][p][k]).abs());
                }
                to_var[fi][p] = m;
            }
        }
        history.push(beliefs(&to_var));
        if change < tol {
            converged = true;
            break;
        }
    }
    BpResult { marginals: beliefs(&to_var), history, n_iters, converged }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphical::{sprinkler, student};

    #[test]
    fn exact_on_the_student_tree_for_every_evidence_pattern() {
        let net = student();
        for mask in 0..1usize << 5 {
            let ev: Vec<(usize, usize)> = (0..5).filter(|v| mask >> v & 1 == 1).map(|v| (v, net.card[v] - 1)).collect();
            let bp = belief_propagation(&net.factors(), &net.card, &ev, 0.0, 100, 1e-15);
            for q in (0..5).filter(|v| mask >> v & 1 == 0) {
                let bf = net.query_enumeration(q, &ev);
                for (a, b) in bp.marginals[q].iter().zip(&bf) {
                    assert!((a - b).abs() < 1e-12, "ev {ev:?} q {q}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn loopy_on_the_sprinkler_converges_close_but_not_equal() {
        let net = sprinkler();
        let bp = belief_propagation(&net.factors(), &net.card, &[(3, 1)], 0.5, 500, 1e-12);
        assert!(bp.converged);
        let err = (0..3).map(|q| (bp.marginals[q][1] - net.query_enumeration(q, &[(3, 1)])[1]).abs()).fold(0.0, f64::max);
        eprintln!("loopy error {err}, iters {}", bp.n_iters);
        assert!(err > 1e-4 && err < 0.1, "{err}");
    }

    #[test]
    fn a_chain_needs_diameter_iterations() {
        // On a chain of m binary variables, beliefs are exact after the messages cross it.
        let mut net = crate::graphical::BayesNet::new();
        net.add("x0", 2, &[], vec![0.3, 0.7]);
        for i in 1..6 {
            net.add(&format!("x{i}"), 2, &[i - 1], vec![0.9, 0.1, 0.2, 0.8]);
        }
        let bp = belief_propagation(&net.factors(), &net.card, &[(5, 0)], 0.0, 100, 1e-15);
        let exact = net.query_enumeration(0, &[(5, 0)]);
        assert!((bp.marginals[0][0] - exact[0]).abs() < 1e-12);
        assert!(bp.n_iters <= 8, "{}", bp.n_iters);
    }
}
