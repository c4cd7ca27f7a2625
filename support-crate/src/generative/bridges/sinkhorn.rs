//! Entropic optimal transport between discrete measures, solved by Sinkhorn in the log domain.
//!
//! For weights $a\in\Delta_n$, $b\in\Delta_m$ and a cost matrix $C$, the entropic problem is
//! $$\mathrm{OT}_\varepsilon(a,b) = \min_{\pi\in\Pi(a,b)} \langle C,\pi\rangle +
//!   \varepsilon\,\mathrm{KL}(\pi\,\|\,a\otimes b).$$
//! Its solution has the form $\pi_{ij} = a_i b_j\, e^{(f_i + g_j - C_{ij})/\varepsilon}$, and
//! Sinkhorn alternately makes the rows and the columns right:
//! $$f_i \leftarrow -\varepsilon\log\sum_j b_j e^{(g_j - C_{ij})/\varepsilon},\qquad
//!   g_j \leftarrow -\varepsilon\log\sum_i a_i e^{(f_i - C_{ij})/\varepsilon}.$$
//! In the scaling form $u = e^{f/\varepsilon}$, $v = e^{g/\varepsilon}$, $K = e^{-C/\varepsilon}$
//! the same updates read $u \leftarrow 1/(K(b\odot v))$: for small $\varepsilon$ the kernel
//! $K$ underflows to 0, which is why the potentials are kept in the log domain (log-sum-exp).
//! Each update is a KL projection onto one marginal constraint: Sinkhorn is iterative
//! proportional fitting (IPF), and the dual value $\langle f, a\rangle + \langle g, b\rangle$
//! increases to $\mathrm{OT}_\varepsilon$.
//!
//! ## Reference
//! M. Cuturi (2013), *Sinkhorn distances*; G. Peyré & M. Cuturi (2019), *Computational Optimal
//! Transport*, ch. 4 (§4.2 Sinkhorn, §4.4 log-domain stabilization).
//!
//! Used in notebooks/36-schrodinger-bridges.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};

/// The squared-distance cost $C_{ij} = \lVert x_i - y_j\rVert^2$ between the rows of `x` (n × dim)
/// and of `y` (m × dim).
///
/// # Panics
/// If the numbers of columns differ.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::bridges::sq_cost_matrix;
/// let c = sq_cost_matrix(&array![[0.0, 0.0], [1.0, 0.0]], &array![[0.0, 2.0]]);
/// assert_eq!(c, array![[4.0], [5.0]]);
/// ```
pub fn sq_cost_matrix(x: &Array2<f64>, y: &Array2<f64>) -> Array2<f64> {
    assert_eq!(x.ncols(), y.ncols(), "sq_cost_matrix: x and y must have the same dim, got {} and {}", x.ncols(), y.ncols());
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        x.row(i).iter().zip(y.row(j)).map(|(p, q)| (p - q) * (p - q)).sum()
    })
}

/// The solution of an entropic OT problem, with the history of the iterations.
#[derive(Clone, Debug)]
pub struct EntropicOt {
    /// The optimal plan $\pi$ (n × m), rows summing to $a$ (up to `tol`), columns to $b$.
    pub plan: Array2<f64>,
    /// Potential $f$ (one per row).
    pub f: Vec<f64>,
    /// Potential $g$ (one per column).
    pub g: Vec<f64>,
    /// The regularization $\varepsilon$.
    pub eps: f64,
    /// Transport cost $\langle C, \pi\rangle$.
    pub transport_cost: f64,
    /// $\mathrm{KL}(\pi\,\|\,a\otimes b)$ (the mutual information of the plan).
    pub kl: f64,
    /// $\langle C,\pi\rangle + \varepsilon\,\mathrm{KL}(\pi\|a\otimes b)$, the entropic cost $\mathrm{OT}_\varepsilon$.
    pub cost: f64,
    /// After each iteration: $\sum_i |(\pi\mathbf 1)_i - a_i|$ (the columns are exact after a $g$-update).
    pub marginal_errors: Vec<f64>,
    /// After each iteration: the dual value $\langle f,a\rangle + \langle g,b\rangle$ (non-decreasing).
    pub dual_values: Vec<f64>,
}

impl EntropicOt {
    /// Number of Sinkhorn iterations done.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// use course::generative::bridges::sinkhorn_log;
    /// let ot = sinkhorn_log(&[0.5, 0.5], &[1.0], &array![[0.0], [1.0]], 0.1, 100, 1e-12);
    /// assert_eq!(ot.n_iter(), 1); // one column: exact after one sweep
    /// ```
    pub fn n_iter(&self) -> usize {
        self.marginal_errors.len()
    }
}

fn log_sum_exp(vals: impl Iterator<Item = f64> + Clone) -> f64 {
    let m = vals.clone().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + vals.map(|v| (v - m).exp()).sum::<f64>().ln()
}

fn check_weights(who: &str, name: &str, w: &[f64]) {
    assert!(!w.is_empty(), "{who}: {name} must be non-empty");
    assert!(w.iter().all(|&v| v > 0.0 && v.is_finite()), "{who}: {name} must be positive weights");
    let s: f64 = w.iter().sum();
    assert!((s - 1.0).abs() < 1e-9, "{who}: {name} must sum to 1, got {s}");
}

/// Log-domain Sinkhorn for $\mathrm{OT}_\varepsilon(a, b)$ with cost `cost` (n × m): at most
/// `max_iter` iterations, stopping when the row-marginal error $\sum_i|(\pi\mathbf 1)_i - a_i|$
/// falls below `tol`.
///
/// # Panics
/// If `a` or `b` is not a vector of positive weights summing to 1, the cost matrix is not
/// n × m, `eps <= 0`, or `max_iter == 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::bridges::sinkhorn_log;
/// // Two points to two points, ε → 0: the plan is the identity matching (cost 0).
/// let c = array![[0.0, 1.0], [1.0, 0.0]];
/// let ot = sinkhorn_log(&[0.5, 0.5], &[0.5, 0.5], &c, 0.01, 1000, 1e-12);
/// assert!(ot.transport_cost < 1e-20 && (ot.plan[[0, 0]] - 0.5).abs() < 1e-12);
/// ```
pub fn sinkhorn_log(a: &[f64], b: &[f64], cost: &Array2<f64>, eps: f64, max_iter: usize, tol: f64) -> EntropicOt {
    let who = "sinkhorn_log";
    check_weights(who, "a", a);
    check_weights(who, "b", b);
    let (n, m) = (a.len(), b.len());
    assert_eq!(cost.dim(), (n, m), "{who}: cost must be n × m = {n} × {m}, got {:?}", cost.dim());
    assert!(eps > 0.0 && eps.is_finite(), "{who}: eps must be > 0, got {eps}");
    assert!(max_iter >= 1, "{who}: max_iter must be >= 1, got 0");
    let (la, lb): (Vec<f64>, Vec<f64>) = (a.iter().map(|v| v.ln()).collect(), b.iter().map(|v| v.ln()).collect());
    let mut f = vec![0.0; n];
    let mut g = vec![0.0; m];
    let mut marginal_errors = Vec::new();
    let mut dual_values = Vec::new();
    for _ in 0..max_iter {
        for i in 0..n {
            f[i] = -eps * log_sum_exp((0..m).map(|j| lb[j] + (g[j] - cost[[i, j]]) / eps));
        }
        for j in 0..m {
            g[j] = -eps * log_sum_exp((0..n).map(|i| la[i] + (f[i] - cost[[i, j]]) / eps));
        }
        let err: f64 = (0..n)
            .map(|i| {
                let row: f64 = (0..m).map(|j| (la[i] + lb[j] + (f[i] + g[j] - cost[[i, j]]) / eps).exp()).sum();
                (row - a[i]).abs()
            })
            .sum();
        marginal_errors.push(err);
        dual_values.push(f.iter().zip(a).map(|(x, y)| x * y).sum::<f64>() + g.iter().zip(b).map(|(x, y)| x * y).sum::<f64>());
        if err < tol {
            break;
        }
    }
    let log_ratio = Array2::from_shape_fn((n, m), |(i, j)| (f[i] + g[j] - cost[[i, j]]) / eps);
    let plan = Array2::from_shape_fn((n, m), |(i, j)| a[i] * b[j] * log_ratio[[i, j]].exp());
    let transport_cost = (&plan * cost).sum();
    let kl: f64 = plan.iter().zip(log_ratio.iter()).map(|(p, l)| if *p > 0.0 { p * l } else { 0.0 }).sum();
    EntropicOt { plan, f, g, eps, transport_cost, kl, cost: transport_cost + eps * kl, marginal_errors, dual_values }
}

/// `n_samples` index pairs $(i, j)$ drawn independently from the plan (any non-negative matrix,
/// normalized here): the static coupling as samples.
///
/// # Panics
/// If the plan has a negative or non-finite entry, or sums to 0.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::bridges::sample_plan;
/// let pairs = sample_plan(&array![[0.0, 0.5], [0.5, 0.0]], 100, &mut course::rng::seeded(0));
/// assert!(pairs.iter().all(|&(i, j)| i != j));
/// ```
pub fn sample_plan(plan: &Array2<f64>, n_samples: usize, rng: &mut impl Rng) -> Vec<(usize, usize)> {
    assert!(plan.iter().all(|p| *p >= 0.0 && p.is_finite()), "sample_plan: plan entries must be finite and >= 0");
    let total = plan.sum();
    assert!(total > 0.0, "sample_plan: plan must have positive mass, got 0");
    let m = plan.ncols();
    let mut cdf = Vec::with_capacity(plan.len());
    let mut acc = 0.0;
    for p in plan.iter() {
        acc += p / total;
        cdf.push(acc);
    }
    (0..n_samples)
        .map(|_| {
            let u: f64 = rng.random::<f64>() * acc;
            let k = cdf.partition_point(|c| *c <= u).min(cdf.len() - 1);
            (k / m, k % m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute-force minimizer of ⟨C,π⟩ + ε KL over 2 × 2 plans with uniform marginals (one free parameter).
    fn brute_two_point(c: &Array2<f64>, eps: f64) -> f64 {
        let obj = |p: f64| {
            let pl = [[p, 0.5 - p], [0.5 - p, p]];
            let mut v = 0.0;
            for i in 0..2 {
                for j in 0..2 {
                    v += pl[i][j] * c[[i, j]] + eps * pl[i][j] * (pl[i][j] / 0.25).ln();
                }
            }
            v
        };
        (1..200_000).map(|k| obj(0.5 * k as f64 / 200_000.0)).fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn two_point_cost_matches_brute_force() {
        let c = ndarray::array![[0.3, 1.7], [2.0, 0.1]];
        for eps in [0.3, 1.0, 3.0] {
            let ot = sinkhorn_log(&[0.5, 0.5], &[0.5, 0.5], &c, eps, 5000, 1e-13);
            assert!((ot.cost - brute_two_point(&c, eps)).abs() < 1e-7, "eps {eps}: {}", ot.cost);
            // strong duality at convergence
            assert!((ot.cost - ot.dual_values.last().unwrap()).abs() < 1e-9);
        }
    }

    #[test]
    fn marginals_are_matched_and_dual_increases() {
        let mut rng = crate::rng::seeded(3);
        let x = Array2::from_shape_vec((30, 2), crate::rng::normal_vec(&mut rng, 60)).unwrap();
        let y = Array2::from_shape_vec((20, 2), crate::rng::normal_vec(&mut rng, 40)).unwrap() + 1.0;
        let a = vec![1.0 / 30.0; 30];
        let b: Vec<f64> = (0..20).map(|j| (j + 1) as f64 / 210.0).collect();
        let ot = sinkhorn_log(&a, &b, &sq_cost_matrix(&x, &y), 0.3, 2000, 1e-12);
        for i in 0..30 {
            assert!((ot.plan.row(i).sum() - a[i]).abs() < 1e-11);
        }
        for j in 0..20 {
            assert!((ot.plan.column(j).sum() - b[j]).abs() < 1e-12);
        }
        assert!(ot.dual_values.windows(2).all(|w| w[1] >= w[0] - 1e-12));
    }

    #[test]
    fn small_eps_approaches_sorting_in_1d_within_eps_log_n() {
        // 0 ≤ ⟨C, π_ε⟩ − W₂² ≤ ε log n for uniform weights (entropy of a permutation plan is log n).
        let mut rng = crate::rng::seeded(9);
        let n = 60;
        let x = Array2::from_shape_vec((n, 1), crate::rng::normal_vec(&mut rng, n)).unwrap();
        let y = Array2::from_shape_vec((n, 1), crate::rng::normal_vec(&mut rng, n)).unwrap() * 2.0 + 1.0;
        let w2 = crate::generative::metrics::wasserstein_1d(x.as_slice().unwrap(), y.as_slice().unwrap(), 2.0).powi(2);
        let w = vec![1.0 / n as f64; n];
        for eps in [0.3, 0.1, 0.03] {
            let ot = sinkhorn_log(&w, &w, &sq_cost_matrix(&x, &y), eps, 20_000, 1e-10);
            let gap = ot.transport_cost - w2;
            assert!(gap > -1e-6 && gap <= eps * (n as f64).ln(), "eps {eps}: gap {gap}");
        }
    }

    #[test]
    fn sample_plan_frequencies() {
        let p = ndarray::array![[0.1, 0.2], [0.3, 0.4]];
        let pairs = sample_plan(&p, 40_000, &mut crate::rng::seeded(2));
        let frac = pairs.iter().filter(|&&(i, j)| i == 1 && j == 1).count() as f64 / 40_000.0;
        assert!((frac - 0.4).abs() < 4.0 * (0.24f64 / 40_000.0).sqrt());
    }
}
