//! Finite-state Markov chains: simulation, the stationary distribution, and the long-run
//! frequencies that estimate it.
//!
//! A row-stochastic matrix $P$ ($P_{ij} = \Pr(X_{n+1} = j\mid X_n = i)$) moves distributions by
//! $\pi_{n+1} = \pi_n P$. A stationary $\pi$ solves $\pi P = \pi$: it is a left eigenvector of
//! $P$ for the eigenvalue 1, i.e. an eigenvector of $P^\top$. For an irreducible chain it is
//! unique and the ergodic theorem and the Markov-chain CLT give
//! $$\frac1n\sum_{k<n}\mathbf 1\{X_k = i\}\xrightarrow{\text{a.s.}}\pi_i,\qquad
//! \sqrt n\Big(\frac1n\sum_{k<n} f(X_k) - \pi f\Big)\Rightarrow\mathcal N(0,\sigma_f^2),$$
//! $$\sigma_f^2 = 2\langle \bar f, Z\bar f\rangle_\pi - \langle\bar f,\bar f\rangle_\pi,\quad
//! \bar f = f - \pi f,\quad Z = (I - P + \mathbf 1\pi)^{-1}\ \text{(the fundamental matrix)}.$$
//!
//! ## Reference
//! J. R. Norris, *Markov Chains* (1997), §1.7–1.10; D. Levin, Y. Peres & E. Wilmer, *Markov
//! Chains and Mixing Times* (2017), ch. 1–4; J. Kemeny & J. L. Snell, *Finite Markov Chains*
//! (1960), §4.3 (fundamental matrix).
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};

/// A finite Markov chain given by its transition matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkovChain {
    p: Array2<f64>,
}

impl MarkovChain {
    /// The chain with transition matrix `p` (rows sum to 1).
    ///
    /// # Panics
    /// If `p` is not square, is empty, has a negative entry, or a row whose sum differs from 1 by
    /// more than 1e-9.
    ///
    /// # Examples
    /// ```
    /// use course::{ndarray::array, stochastic::MarkovChain};
    /// let c = MarkovChain::new(array![[0.9, 0.1], [0.5, 0.5]]);
    /// assert_eq!(c.n_states(), 2);
    /// ```
    pub fn new(p: Array2<f64>) -> Self {
        assert!(p.nrows() > 0 && p.is_square(), "MarkovChain::new: p must be a non-empty square matrix, got {:?}", p.dim());
        for (i, row) in p.rows().into_iter().enumerate() {
            assert!(row.iter().all(|&v| v >= 0.0 && v.is_finite()), "MarkovChain::new: row {i} has a negative or non-finite entry");
            let s = row.sum();
            assert!((s - 1.0).abs() < 1e-9, "MarkovChain::new: row {i} must sum to 1, got {s}");
        }
        MarkovChain { p }
    }

    /// Number of states.
    pub fn n_states(&self) -> usize {
        self.p.nrows()
    }

    /// The transition matrix.
    pub fn transition(&self) -> &Array2<f64> {
        &self.p
    }

    /// A path $X_0 = $ `x0`, $X_1, \dots, X_{\text{n\_steps}}$ (length `n_steps + 1`).
    ///
    /// # Panics
    /// If `x0` is not a state.
    ///
    /// # Examples
    /// ```
    /// use course::{ndarray::array, stochastic::MarkovChain};
    /// let flip = MarkovChain::new(array![[0.0, 1.0], [1.0, 0.0]]);
    /// assert_eq!(flip.simulate(0, 3, &mut course::rng::seeded(0)), vec![0, 1, 0, 1]);
    /// ```
    pub fn simulate(&self, x0: usize, n_steps: usize, rng: &mut impl Rng) -> Vec<usize> {
        let n = self.n_states();
        assert!(x0 < n, "simulate: x0 must be a state (< {n}), got {x0}");
        let mut path = Vec::with_capacity(n_steps + 1);
        let mut x = x0;
        path.push(x);
        for _ in 0..n_steps {
            let u: f64 = rng.random();
            let row = self.p.row(x);
            let mut acc = 0.0;
            let mut next = n - 1;
            for (j, &pj) in row.iter().enumerate() {
                acc += pj;
                if u < acc {
                    next = j;
                    break;
                }
            }
            // guard against rounding in the last partial sum: never move to a zero-probability state
            while row[next] == 0.0 {
                next -= 1;
            }
            x = next;
            path.push(x);
        }
        path
    }

    /// $\pi_0 P^{\text{n\_steps}}$.
    ///
    /// # Panics
    /// If `pi0` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// use course::{ndarray::array, stochastic::MarkovChain};
    /// let c = MarkovChain::new(array![[0.0, 1.0], [1.0, 0.0]]);
    /// assert_eq!(c.distribution_after(&[1.0, 0.0], 3), vec![0.0, 1.0]);
    /// ```
    pub fn distribution_after(&self, pi0: &[f64], n_steps: usize) -> Vec<f64> {
        assert_eq!(pi0.len(), self.n_states(), "distribution_after: pi0 must have {} entries, got {}", self.n_states(), pi0.len());
        let mut pi = ndarray::Array1::from(pi0.to_vec());
        for _ in 0..n_steps {
            pi = pi.dot(&self.p);
        }
        pi.to_vec()
    }

    /// The stationary distribution as the eigenvector of $P^\top$ for the eigenvalue 1, by
    /// power iteration on the lazy chain $\tfrac12(I + P)$ (same $\pi$, no periodicity), from
    /// the uniform distribution until successive iterates differ by < 1e-15 in $\ell^1$.
    ///
    /// # Panics
    /// If 10⁷ iterations do not converge (a chain that mixes extremely slowly).
    ///
    /// # Examples
    /// ```
    /// use course::{ndarray::array, stochastic::MarkovChain};
    /// // two states: π = (b, a)/(a + b) with a = P₀₁, b = P₁₀
    /// let pi = MarkovChain::new(array![[0.9, 0.1], [0.3, 0.7]]).stationary();
    /// assert!((pi[0] - 0.75).abs() < 1e-12 && (pi[1] - 0.25).abs() < 1e-12);
    /// ```
    pub fn stationary(&self) -> Vec<f64> {
        let n = self.n_states();
        let lazy = (&self.p + &Array2::<f64>::eye(n)) * 0.5;
        let mut pi = ndarray::Array1::from_elem(n, 1.0 / n as f64);
        for _ in 0..10_000_000 {
            let mut next = pi.dot(&lazy);
            next /= next.sum();
            let change: f64 = (&next - &pi).mapv(f64::abs).sum();
            pi = next;
            if change < 1e-15 {
                return pi.to_vec();
            }
        }
        panic!("stationary: power iteration did not converge in 10^7 iterations");
    }

    /// The stationary distribution by a direct solve: $(P^\top - I)\pi = 0$ with the last
    /// equation replaced by $\sum_i\pi_i = 1$ (nalgebra LU). An independent check of
    /// [`stationary`](Self::stationary).
    ///
    /// # Panics
    /// If the system is singular (the chain is not irreducible: π is not unique).
    ///
    /// # Examples
    /// ```
    /// use course::{ndarray::array, stochastic::MarkovChain};
    /// let pi = MarkovChain::new(array![[0.9, 0.1], [0.3, 0.7]]).stationary_lu();
    /// assert!((pi[0] - 0.75).abs() < 1e-12);
    /// ```
    pub fn stationary_lu(&self) -> Vec<f64> {
        let n = self.n_states();
        let mut a = nalgebra::DMatrix::from_fn(n, n, |i, j| self.p[[j, i]] - if i == j { 1.0 } else { 0.0 });
        let mut b = nalgebra::DVector::zeros(n);
        for j in 0..n {
            a[(n - 1, j)] = 1.0;
        }
        b[n - 1] = 1.0;
        let x = a.lu().solve(&b).expect("stationary_lu: singular system, the chain is not irreducible");
        x.iter().copied().collect()
    }

    /// The asymptotic variance $\sigma_f^2$ of the Markov-chain CLT for $\frac1n\sum_k f(X_k)$,
    /// through the fundamental matrix (see the module docs). For i.i.d. draws from $\pi$
    /// (all rows equal) it is $\operatorname{Var}_\pi f$.
    ///
    /// # Panics
    /// If `f` has the wrong length, or the chain is not irreducible.
    ///
    /// # Examples
    /// ```
    /// use course::{ndarray::array, stochastic::MarkovChain};
    /// let iid = MarkovChain::new(array![[0.75, 0.25], [0.75, 0.25]]);
    /// let v = iid.asymptotic_variance(&[1.0, 0.0]); // Var of a Bernoulli(0.75)
    /// assert!((v - 0.1875).abs() < 1e-12);
    /// ```
    pub fn asymptotic_variance(&self, f: &[f64]) -> f64 {
        let n = self.n_states();
        assert_eq!(f.len(), n, "asymptotic_variance: f must have {n} entries, got {}", f.len());
        let pi = self.stationary_lu();
        let pf: f64 = pi.iter().zip(f).map(|(p, v)| p * v).sum();
        let fbar: Vec<f64> = f.iter().map(|v| v - pf).collect();
        let m = nalgebra::DMatrix::from_fn(n, n, |i, j| (if i == j { 1.0 } else { 0.0 }) - self.p[[i, j]] + pi[j]);
        let zf = m.lu().solve(&nalgebra::DVector::from_vec(fbar.clone())).expect("asymptotic_variance: singular fundamental matrix");
        let inner = |a: &[f64], b: &[f64]| pi.iter().zip(a).zip(b).map(|((p, x), y)| p * x * y).sum::<f64>();
        2.0 * inner(&fbar, zf.as_slice()) - inner(&fbar, &fbar)
    }
}

/// The fraction of time `path` spends in each of `n_states` states.
///
/// # Panics
/// If `path` is empty or visits a state `>= n_states`.
///
/// # Examples
/// ```
/// assert_eq!(course::stochastic::empirical_frequencies(&[0, 1, 1, 2], 3), vec![0.25, 0.5, 0.25]);
/// ```
pub fn empirical_frequencies(path: &[usize], n_states: usize) -> Vec<f64> {
    assert!(!path.is_empty(), "empirical_frequencies: path must not be empty");
    let mut c = vec![0.0; n_states];
    for &x in path {
        assert!(x < n_states, "empirical_frequencies: state {x} is not < n_states = {n_states}");
        c[x] += 1.0;
    }
    c.iter().map(|v| v / path.len() as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::array;

    fn three() -> MarkovChain {
        MarkovChain::new(array![[0.5, 0.4, 0.1], [0.2, 0.5, 0.3], [0.3, 0.0, 0.7]])
    }

    #[test]
    fn power_iteration_and_lu_agree_and_pi_is_invariant() {
        let c = three();
        let (a, b) = (c.stationary(), c.stationary_lu());
        for i in 0..3 {
            assert!((a[i] - b[i]).abs() < 1e-13);
        }
        let next = c.distribution_after(&a, 1);
        for i in 0..3 {
            assert!((next[i] - a[i]).abs() < 1e-14);
        }
        // periodic chain: plain power iteration would oscillate, the lazy one converges
        let cyc = MarkovChain::new(array![[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
        assert!(cyc.stationary().iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-13));
    }

    #[test]
    fn asymptotic_variance_matches_the_two_state_closed_form() {
        // Two states, a = P01, b = P10, f = 1{state 0}: σ² = π0 π1 (2 − a − b)/(a + b).
        let (a, b) = (0.1, 0.3);
        let c = MarkovChain::new(array![[1.0 - a, a], [b, 1.0 - b]]);
        let (p0, p1) = (b / (a + b), a / (a + b));
        let closed = p0 * p1 * (2.0 - a - b) / (a + b);
        assert!((c.asymptotic_variance(&[1.0, 0.0]) - closed).abs() < 1e-12);
    }

    #[test]
    fn frequencies_scatter_as_the_markov_clt_says_across_replications() {
        // 400 independent chains of 5 000 steps: the spread of the frequency of state 2 is
        // sqrt(σ²/n), and each chain is within 4 of those of π₂ (Bonferroni-safe: 400 × 6e-5).
        let c = three();
        let pi = c.stationary();
        let n = 5_000;
        let sigma2 = c.asymptotic_variance(&[0.0, 0.0, 1.0]);
        let mut rng = seeded(11);
        let freqs: Vec<f64> = (0..400).map(|_| empirical_frequencies(&c.simulate(0, n - 1, &mut rng), 3)[2]).collect();
        let m = crate::stats::mean(&freqs);
        let v = crate::stats::variance(&freqs);
        let sd = (sigma2 / n as f64).sqrt();
        assert!(freqs.iter().all(|f| (f - pi[2]).abs() < 4.5 * sd));
        // the sample variance of 400 values is within ±30 % of the truth with high probability
        assert!((v / (sd * sd) - 1.0).abs() < 0.3, "variance ratio {}", v / (sd * sd));
        assert!((m - pi[2]).abs() < 4.0 * sd / 20.0 + 2e-4, "mean {m} vs {}", pi[2]);
    }

    #[test]
    #[should_panic(expected = "row 1 must sum to 1, got 0.9")]
    fn rejects_a_non_stochastic_row() {
        MarkovChain::new(array![[1.0, 0.0], [0.5, 0.4]]);
    }
}
