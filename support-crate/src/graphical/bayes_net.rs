//! Discrete Bayesian networks: a DAG whose nodes carry conditional probability tables (CPTs), and
//! the joint distribution as their product,
//! $$p(x_1,\dots,x_n) = \prod_{i=1}^n p\big(x_i\mid x_{\mathrm{pa}(i)}\big).$$
//! Brute-force enumeration of this product over all joint states is the oracle every inference
//! algorithm of the course is checked against; ancestral sampling draws from it exactly.
//!
//! ## Reference
//! J. Pearl, *Probabilistic Reasoning in Intelligent Systems* (1988); D. Koller & N. Friedman,
//! *Probabilistic Graphical Models* (2009), ch. 3 (the student network, Fig. 3.4);
//! S. Russell & P. Norvig, *Artificial Intelligence: A Modern Approach*, ch. 13 (the sprinkler).
//!
//! Used in notebooks/21-bayesian-networks.ipynb.

use super::Factor;
use rand::{Rng, RngExt};

/// A Bayesian network with nodes in topological order (parents before children).
///
/// The CPT of node `i` with parents $(p_1,\dots,p_k)$ is stored row-major over
/// $(x_{p_1},\dots,x_{p_k}, x_i)$: one row per parent configuration (first parent slowest),
/// each row a distribution over the node's `card[i]` values.
#[derive(Clone, Debug, PartialEq)]
pub struct BayesNet {
    /// Node names.
    pub names: Vec<String>,
    /// Number of values of each node.
    pub card: Vec<usize>,
    /// Parents of each node (indices of earlier nodes).
    pub parents: Vec<Vec<usize>>,
    /// CPT of each node, row-major as described above.
    pub cpts: Vec<Vec<f64>>,
}

impl Default for BayesNet {
    fn default() -> Self {
        Self::new()
    }
}

impl BayesNet {
    /// An empty network.
    pub fn new() -> Self {
        BayesNet { names: Vec::new(), card: Vec::new(), parents: Vec::new(), cpts: Vec::new() }
    }

    /// Adds a node and returns its index.
    ///
    /// # Panics
    /// If a parent is not an earlier node, `card < 2`, the CPT has the wrong size, or a row is
    /// not a probability distribution (entries in [0, 1] summing to 1 within 1e-9).
    ///
    /// # Examples
    /// ```
    /// let mut net = course::graphical::BayesNet::new();
    /// let rain = net.add("rain", 2, &[], vec![0.8, 0.2]);
    /// let wet = net.add("wet", 2, &[rain], vec![0.9, 0.1, 0.1, 0.9]);
    /// assert!((net.prob(&[1, 1]) - 0.18).abs() < 1e-15);
    /// assert_eq!(wet, 1);
    /// ```
    pub fn add(&mut self, name: &str, card: usize, parents: &[usize], cpt: Vec<f64>) -> usize {
        let i = self.names.len();
        assert!(card >= 2, "node '{name}': card must be >= 2, got {card}");
        for &p in parents {
            assert!(p < i, "node '{name}': parent {p} must be an earlier node (< {i})");
        }
        let rows: usize = parents.iter().map(|&p| self.card[p]).product();
        assert_eq!(cpt.len(), rows * card, "node '{name}': the CPT needs {rows} rows × {card} values = {}, got {}", rows * card, cpt.len());
        for (r, row) in cpt.chunks(card).enumerate() {
            let s: f64 = row.iter().sum();
            assert!(
                row.iter().all(|p| (0.0..=1.0).contains(p)) && (s - 1.0).abs() < 1e-9,
                "node '{name}': CPT row {r} must be a distribution, got {row:?} (sum {s})"
            );
        }
        self.names.push(name.to_owned());
        self.card.push(card);
        self.parents.push(parents.to_vec());
        self.cpts.push(cpt);
        i
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True if the network has no node.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The index of the CPT row of node `i` for the parents' values in `x`.
    pub fn cpt_row(&self, i: usize, x: &[usize]) -> usize {
        self.parents[i].iter().fold(0, |acc, &p| acc * self.card[p] + x[p])
    }

    /// $p(x) = \prod_i p(x_i\mid x_{\mathrm{pa}(i)})$ for a full assignment.
    ///
    /// # Panics
    /// If `x` has the wrong length or a value out of range.
    ///
    /// # Examples
    /// ```
    /// let net = course::graphical::sprinkler();
    /// // cloudy, no sprinkler, rain, wet grass: 0.5 · 0.9 · 0.8 · 0.9
    /// assert!((net.prob(&[1, 0, 1, 1]) - 0.324).abs() < 1e-15);
    /// ```
    pub fn prob(&self, x: &[usize]) -> f64 {
        assert_eq!(x.len(), self.len(), "need one value per node ({}), got {}", self.len(), x.len());
        (0..self.len())
            .map(|i| {
                assert!(x[i] < self.card[i], "node '{}' has {} values, got {}", self.names[i], self.card[i], x[i]);
                self.cpts[i][self.cpt_row(i, x) * self.card[i] + x[i]]
            })
            .product()
    }

    /// Every joint assignment (first node slowest), as a list.
    pub fn assignments(&self) -> Vec<Vec<usize>> {
        let total: usize = self.card.iter().product();
        (0..total)
            .map(|mut idx| {
                let mut x = vec![0; self.len()];
                for i in (0..self.len()).rev() {
                    x[i] = idx % self.card[i];
                    idx /= self.card[i];
                }
                x
            })
            .collect()
    }

    /// $p(x_{\text{target}}\mid \text{evidence})$ by brute force: sum $p(x)$ over every joint
    /// assignment that agrees with the evidence `(node, value)` pairs, then normalize.
    ///
    /// # Panics
    /// If the evidence has probability 0 or names a node/value out of range.
    ///
    /// # Examples
    /// ```
    /// let net = course::graphical::sprinkler();
    /// let p = net.query_enumeration(2, &[(3, 1)]); // P(rain | wet grass)
    /// assert!((p[1] - 0.7079).abs() < 1e-4);
    /// ```
    pub fn query_enumeration(&self, target: usize, evidence: &[(usize, usize)]) -> Vec<f64> {
        assert!(target < self.len(), "target must be a node index < {}, got {target}", self.len());
        for &(v, x) in evidence {
            assert!(v < self.len() && x < self.card[v], "evidence ({v}, {x}) is out of range");
        }
        let mut p = vec![0.0; self.card[target]];
        for x in self.assignments() {
            if evidence.iter().all(|&(v, val)| x[v] == val) {
                p[x[target]] += self.prob(&x);
            }
        }
        let z: f64 = p.iter().sum();
        assert!(z > 0.0, "the evidence {evidence:?} has probability 0");
        p.iter().map(|v| v / z).collect()
    }

    /// The CPTs as factors $\phi_i(x_{\mathrm{pa}(i)}, x_i)$ (variables = node indices).
    ///
    /// # Examples
    /// ```
    /// let net = course::graphical::sprinkler();
    /// let f = net.factors();
    /// assert_eq!(f[3].vars, vec![1, 2, 3]); // p(wet | sprinkler, rain)
    /// ```
    pub fn factors(&self) -> Vec<Factor> {
        (0..self.len())
            .map(|i| {
                let mut vars = self.parents[i].clone();
                vars.push(i);
                let card = vars.iter().map(|&v| self.card[v]).collect();
                Factor::new(vars, card, self.cpts[i].clone())
            })
            .collect()
    }

    /// `n_samples` joint samples by ancestral sampling (each node drawn given its sampled parents).
    ///
    /// # Examples
    /// ```
    /// let net = course::graphical::sprinkler();
    /// let s = net.sample(20_000, &mut course::rng::seeded(0));
    /// let frac = s.iter().filter(|x| x[0] == 1).count() as f64 / 20_000.0;
    /// assert!((frac - 0.5).abs() < 4.0 * 0.5 / 20_000f64.sqrt()); // 4 standard errors
    /// ```
    pub fn sample(&self, n_samples: usize, rng: &mut impl Rng) -> Vec<Vec<usize>> {
        (0..n_samples)
            .map(|_| {
                let mut x = vec![0; self.len()];
                for i in 0..self.len() {
                    let row = self.cpt_row(i, &x) * self.card[i];
                    let u: f64 = rng.random();
                    let mut acc = 0.0;
                    x[i] = self.card[i] - 1;
                    for k in 0..self.card[i] {
                        acc += self.cpts[i][row + k];
                        if u < acc {
                            x[i] = k;
                            break;
                        }
                    }
                }
                x
            })
            .collect()
    }
}

/// The sprinkler network: cloudy → sprinkler, cloudy → rain, (sprinkler, rain) → wet grass,
/// all binary (0 = false, 1 = true). Its factor graph has a loop.
///
/// # Examples
/// ```
/// let net = course::graphical::sprinkler();
/// assert_eq!(net.names, ["cloudy", "sprinkler", "rain", "wet"]);
/// ```
pub fn sprinkler() -> BayesNet {
    let mut net = BayesNet::new();
    let c = net.add("cloudy", 2, &[], vec![0.5, 0.5]);
    let s = net.add("sprinkler", 2, &[c], vec![0.5, 0.5, 0.9, 0.1]);
    let r = net.add("rain", 2, &[c], vec![0.8, 0.2, 0.2, 0.8]);
    net.add("wet", 2, &[s, r], vec![1.0, 0.0, 0.1, 0.9, 0.1, 0.9, 0.01, 0.99]);
    net
}

/// The student network of Koller & Friedman (Fig. 3.4): difficulty (2) → grade (3) ←
/// intelligence (2), intelligence → SAT (2), grade → letter (2). Its factor graph is a tree.
///
/// # Examples
/// ```
/// let net = course::graphical::student();
/// // p(d⁰, i¹, g¹, s¹, l¹) = 0.6 · 0.3 · 0.9 · 0.8 · 0.9 (grade index 0 = A)
/// assert!((net.prob(&[0, 1, 0, 1, 1]) - 0.6 * 0.3 * 0.9 * 0.8 * 0.9).abs() < 1e-15);
/// ```
pub fn student() -> BayesNet {
    let mut net = BayesNet::new();
    let d = net.add("difficulty", 2, &[], vec![0.6, 0.4]);
    let i = net.add("intelligence", 2, &[], vec![0.7, 0.3]);
    // rows (d, i) = (0,0), (0,1), (1,0), (1,1); values grade A, B, C
    let g = net.add(
        "grade",
        3,
        &[d, i],
        vec![0.3, 0.4, 0.3, 0.9, 0.08, 0.02, 0.05, 0.25, 0.7, 0.5, 0.3, 0.2],
    );
    net.add("sat", 2, &[i], vec![0.95, 0.05, 0.2, 0.8]);
    net.add("letter", 2, &[g], vec![0.1, 0.9, 0.4, 0.6, 0.99, 0.01]);
    net
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joint_sums_to_one_and_marginals_match_the_roots() {
        for net in [sprinkler(), student()] {
            let total: f64 = net.assignments().iter().map(|x| net.prob(x)).sum();
            assert!((total - 1.0).abs() < 1e-12);
        }
        let s = student();
        let p = s.query_enumeration(1, &[]);
        assert!((p[1] - 0.3).abs() < 1e-12); // a root keeps its prior
    }

    #[test]
    fn koller_friedman_numbers() {
        // K&F §3.2.1.2: P(l¹) ≈ 0.502, P(i¹ | g³) ≈ 0.079, P(i¹ | g³, s¹) ≈ 0.578
        let s = student();
        assert!((s.query_enumeration(4, &[])[1] - 0.502).abs() < 1e-3);
        assert!((s.query_enumeration(1, &[(2, 2)])[1] - 0.079).abs() < 1e-3);
        assert!((s.query_enumeration(1, &[(2, 2), (3, 1)])[1] - 0.578).abs() < 1e-3);
    }

    #[test]
    fn ancestral_samples_have_the_joint_frequencies() {
        let net = sprinkler();
        let n = 200_000;
        let samples = net.sample(n, &mut crate::rng::seeded(5));
        for x in net.assignments() {
            let p = net.prob(&x);
            let f = samples.iter().filter(|s| **s == x).count() as f64 / n as f64;
            assert!((f - p).abs() <= 4.5 * (p * (1.0 - p) / n as f64).sqrt() + 1e-12, "{x:?}: {f} vs {p}");
        }
    }

    #[test]
    #[should_panic(expected = "must be a distribution")]
    fn bad_cpt_row_is_rejected() {
        BayesNet::new().add("x", 2, &[], vec![0.5, 0.6]);
    }
}
