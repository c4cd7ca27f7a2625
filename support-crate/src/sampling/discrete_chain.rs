//! Metropolis–Hastings on a finite state space: the transition matrix, detailed balance, and
//! convergence of $\mu_0P^k$ to $\pi$.
//!
//! With a proposal matrix $Q$ and target $\pi$, MH moves $i\to j\ne i$ with probability
//! $$P_{ij} = Q_{ij}\min\Big\{1,\frac{\pi_jQ_{ji}}{\pi_iQ_{ij}}\Big\},\qquad P_{ii}=1-\sum_{j\ne i}P_{ij}.$$
//! Then $\pi_iP_{ij}=\min\{\pi_iQ_{ij},\pi_jQ_{ji}\}$ is symmetric in $i,j$: **detailed balance**,
//! which implies $\pi P=\pi$. If $P$ is irreducible and aperiodic,
//! $\lVert\mu_0P^k-\pi\rVert_{TV}\to0$ geometrically, at the rate of the second largest
//! eigenvalue modulus of $P$.
//!
//! ## Reference
//! W. K. Hastings (1970), *Monte Carlo sampling methods using Markov chains and their
//! applications*; D. Levin, Y. Peres & E. Wilmer, *Markov Chains and Mixing Times* (2nd ed.,
//! 2017), ch. 1, 4 and 12.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use ndarray::Array2;

/// The Metropolis–Hastings transition matrix for target `pi` (positive, normalized or not) and
/// proposal matrix `proposal` (rows sum to 1).
///
/// # Panics
/// If `proposal` is not `n × n` with `n = pi.len()`, a row of it does not sum to 1 (to 1e-12),
/// an entry is negative, or some `pi[i] <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let q = array![[0.5, 0.5], [0.5, 0.5]];
/// let p = course::sampling::metropolis_matrix(&[1.0, 3.0], &q);
/// // From state 1 (π = 3) to state 0 (π = 1): accepted with probability 1/3.
/// assert!((p[[1, 0]] - 0.5 / 3.0).abs() < 1e-15 && (p[[0, 1]] - 0.5).abs() < 1e-15);
/// ```
pub fn metropolis_matrix(pi: &[f64], proposal: &Array2<f64>) -> Array2<f64> {
    let n = pi.len();
    assert!(proposal.dim() == (n, n), "proposal must be {n} × {n} (pi.len() = {n}), got {:?}", proposal.dim());
    assert!(pi.iter().all(|&v| v > 0.0 && v.is_finite()), "pi must be positive and finite");
    for (i, row) in proposal.rows().into_iter().enumerate() {
        assert!(row.iter().all(|&v| v >= 0.0), "proposal row {i} has a negative entry");
        let s: f64 = row.sum();
        assert!((s - 1.0).abs() < 1e-12, "proposal row {i} must sum to 1, got {s}");
    }
    let mut p = Array2::zeros((n, n));
    for i in 0..n {
        let mut off = 0.0;
        for j in 0..n {
            if i != j && proposal[[i, j]] > 0.0 {
                let ratio = pi[j] * proposal[[j, i]] / (pi[i] * proposal[[i, j]]);
                p[[i, j]] = proposal[[i, j]] * ratio.min(1.0);
                off += p[[i, j]];
            }
        }
        p[[i, i]] = 1.0 - off;
    }
    p
}

/// $\max_{i,j}|\pi_iP_{ij}-\pi_jP_{ji}|$ with $\pi$ normalized: zero iff detailed balance holds.
///
/// # Panics
/// If `p` is not `n × n` with `n = pi.len()`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// // A cycle 0 → 1 → 2 → 0 keeps the uniform law but is not reversible.
/// let p = array![[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]];
/// assert!((course::sampling::detailed_balance_gap(&[1.0, 1.0, 1.0], &p) - 1.0 / 3.0).abs() < 1e-15);
/// ```
pub fn detailed_balance_gap(pi: &[f64], p: &Array2<f64>) -> f64 {
    let n = pi.len();
    assert!(p.dim() == (n, n), "p must be {n} × {n} (pi.len() = {n}), got {:?}", p.dim());
    let z: f64 = pi.iter().sum();
    let mut gap = 0.0f64;
    for i in 0..n {
        for j in 0..n {
            gap = gap.max((pi[i] * p[[i, j]] - pi[j] * p[[j, i]]).abs() / z);
        }
    }
    gap
}

/// The laws $\mu_0, \mu_0P, \dots, \mu_0P^{n\_steps}$ of the chain.
///
/// # Panics
/// If `p` is not `n × n` with `n = mu0.len()`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let laws = course::sampling::evolve(&[1.0, 0.0], &array![[0.0, 1.0], [1.0, 0.0]], 2);
/// assert_eq!(laws, vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 0.0]]);
/// ```
pub fn evolve(mu0: &[f64], p: &Array2<f64>, n_steps: usize) -> Vec<Vec<f64>> {
    let n = mu0.len();
    assert!(p.dim() == (n, n), "p must be {n} × {n} (mu0.len() = {n}), got {:?}", p.dim());
    let mut laws = vec![mu0.to_vec()];
    for _ in 0..n_steps {
        let mu = laws.last().expect("non-empty");
        let next: Vec<f64> = (0..n).map(|j| (0..n).map(|i| mu[i] * p[[i, j]]).sum()).collect();
        laws.push(next);
    }
    laws
}

/// Total variation distance $\tfrac12\sum_i|a_i-b_i|$.
///
/// # Panics
/// If the lengths differ.
///
/// # Examples
/// ```
/// assert_eq!(course::sampling::total_variation(&[1.0, 0.0], &[0.5, 0.5]), 0.5);
/// ```
pub fn total_variation(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "a and b must have the same length, got {} and {}", a.len(), b.len());
    0.5 * a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nearest_neighbour_proposal(n: usize) -> Array2<f64> {
        let mut q = Array2::zeros((n, n));
        for i in 0..n {
            q[[i, (i + 1) % n]] = 0.5;
            q[[i, (i + n - 1) % n]] = 0.5;
        }
        q
    }

    #[test]
    fn detailed_balance_and_stationarity() {
        let pi = [1.0, 4.0, 2.0, 0.5, 3.0, 1.5];
        let p = metropolis_matrix(&pi, &nearest_neighbour_proposal(6));
        assert!(detailed_balance_gap(&pi, &p) < 1e-15);
        let z: f64 = pi.iter().sum();
        let pin: Vec<f64> = pi.iter().map(|v| v / z).collect();
        let after = evolve(&pin, &p, 1);
        assert!(total_variation(&after[1], &pin) < 1e-15); // πP = π
        assert!(p.rows().into_iter().all(|r| (r.sum() - 1.0).abs() < 1e-15 && r.iter().all(|&v| v >= 0.0)));
    }

    #[test]
    fn convergence_rate_is_the_second_eigenvalue() {
        // Brute force: the TV distance decays like |λ₂|^k, λ from the symmetrized matrix.
        let pi = [1.0, 4.0, 2.0, 0.5, 3.0, 1.5];
        let z: f64 = pi.iter().sum();
        let p = metropolis_matrix(&pi, &nearest_neighbour_proposal(6));
        let s = Array2::from_shape_fn((6, 6), |(i, j)| (pi[i] / pi[j]).sqrt() * p[[i, j]]);
        let ev = crate::linalg::symmetric_eigen(&s).values;
        let lam2 = ev.iter().skip(1).map(|v| v.abs()).fold(0.0, f64::max);
        let laws = evolve(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0], &p, 80);
        let tv: Vec<f64> = laws.iter().map(|m| total_variation(m, &pi.map(|v| v / z))).collect();
        // Far enough for λ₂ to dominate, not so far that TV meets round-off (0.86⁸⁰ ≈ 7e-6).
        let rate = (tv[80] / tv[50]).powf(1.0 / 30.0);
        assert!((rate - lam2).abs() < 1e-6, "{rate} vs {lam2}");
    }

    #[test]
    #[should_panic(expected = "proposal row 0 must sum to 1")]
    fn rejects_a_non_stochastic_proposal() {
        metropolis_matrix(&[1.0, 1.0], &ndarray::array![[0.5, 0.6], [0.5, 0.5]]);
    }
}
