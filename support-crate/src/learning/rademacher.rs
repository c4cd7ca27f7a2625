//! Empirical Rademacher complexity by Monte Carlo: norm-bounded linear classes and two-layer
//! ReLU networks with a path-norm bound, and the margin bound it gives.
//!
//! $$\hat{\mathfrak R}_S(\mathcal F) = \mathbb E_\sigma\sup_{f\in\mathcal F}\frac1n\sum_{i=1}^n\sigma_i f(x_i),\qquad \sigma_i = \pm1 \text{ fair coins}.$$
//! **Linear**, $\mathcal F = \{x\mapsto w\cdot x : \lVert w\rVert\le B\}$: Cauchy–Schwarz makes the sup exact,
//! $\sup = B\lVert\sum_i\sigma_ix_i\rVert/n$, and Jensen gives
//! $\hat{\mathfrak R}_S \le B\sqrt{\sum_i\lVert x_i\rVert^2}/n \le B\max_i\lVert x_i\rVert/\sqrt n$.
//! **Two-layer**, $f(x) = \sum_j a_j\,\mathrm{ReLU}(w_j\cdot x)$ with path norm $\sum_j|a_j|\lVert w_j\rVert\le B$:
//! the ReLU is positively homogeneous, so $f = \sum_j (|a_j|\lVert w_j\rVert)\,\mathrm{sign}(a_j)\,\mathrm{ReLU}(u_j\cdot x)$ with unit
//! $u_j$, a combination with total weight $\le B$ — and a linear function of the weights is largest
//! at a vertex: the sup puts all of $B$ on **one neuron**,
//! $\sup = B\max_{\lVert u\rVert = 1}\big|\frac1n\sum_i\sigma_i\mathrm{ReLU}(u\cdot x_i)\big|$. Ledoux–Talagrand
//! contraction ($\mathrm{ReLU}$ is 1-Lipschitz with $\mathrm{ReLU}(0)=0$) bounds it by twice the linear one:
//! $\hat{\mathfrak R}_S \le 2B\sqrt{\sum_i\lVert x_i\rVert^2}/n$.
//! **Margin bound**: with probability $\ge1-\delta$, every $\lVert w\rVert\le B$ has
//! $\Pr[yw\cdot x\le0] \le \frac1n\sum_i\phi_\gamma(y_iw\cdot x_i) + \frac2\gamma\hat{\mathfrak R}_S + 3\sqrt{\ln(2/\delta)/(2n)}$,
//! $\phi_\gamma(m) = \min(1,\max(0,1-m/\gamma))$ the ramp loss.
//!
//! ## Reference
//! P. L. Bartlett & S. Mendelson (2002), *Rademacher and Gaussian complexities: risk bounds and
//! structural results*, JMLR 3; S. Shalev-Shwartz & S. Ben-David, *Understanding Machine
//! Learning* (2014), ch. 26 (Lemma 26.10, Theorem 26.5); M. Mohri et al., *Foundations of Machine
//! Learning* (2nd ed.), §3.1 and Theorem 5.8; B. Neyshabur, R. Tomioka, N. Srebro (2015),
//! *Norm-based capacity control in neural networks*, COLT; M. Ledoux & M. Talagrand,
//! *Probability in Banach Spaces* (1991), Theorem 4.12.
//!
//! Used in notebooks/13-generalization-and-implicit-bias.ipynb.

use crate::rng::Rng;
use ndarray::{Array1, Array2};
use rand::RngExt;
use std::f64::consts::PI;

/// `n` Rademacher signs $\sigma_i\in\{-1,+1\}$.
///
/// # Examples
/// ```
/// let s = course::learning::rademacher_signs(&mut course::rng::seeded(1), 1000);
/// assert!(s.iter().all(|v| v.abs() == 1.0));
/// assert!(s.iter().sum::<f64>().abs() < 4.0 * 1000f64.sqrt());
/// ```
pub fn rademacher_signs(rng: &mut impl Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 }).collect()
}

/// $\sup_{\lVert w\rVert\le B}\frac1n\sum_i\sigma_i w\cdot x_i = B\lVert\sum_i\sigma_ix_i\rVert/n$.
///
/// # Panics
/// If `sigma` does not have one entry per row of `x`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[3.0, 0.0], [0.0, 4.0]];
/// assert!((course::learning::linear_sup(&x, &[1.0, -1.0], 2.0) - 5.0).abs() < 1e-12); // 2·5/2
/// ```
pub fn linear_sup(x: &Array2<f64>, sigma: &[f64], b: f64) -> f64 {
    assert_eq!(sigma.len(), x.nrows(), "linear_sup: sigma must have one sign per row of x ({}), got {}", x.nrows(), sigma.len());
    let v = x.t().dot(&Array1::from(sigma.to_vec()));
    b * v.dot(&v).sqrt() / x.nrows() as f64
}

/// The one-neuron sup $B\max_{\lVert u\rVert=1}\big|\frac1n\sum_i\sigma_i\mathrm{ReLU}(u\cdot x_i)\big|$ for 2-D
/// inputs, computed exactly: between the $2n$ directions where some $u\cdot x_i$ changes sign the
/// active set is fixed and the sum is $u\cdot v$, so its extremes on each arc are at the ends or at
/// $\pm v/\lVert v\rVert$; one sweep around the circle updates $v$ point by point ($O(n\log n)$).
///
/// # Panics
/// If `x` does not have 2 columns or `sigma` has the wrong length.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // one point: the best neuron points at it, ReLU(‖x‖) = 5, divided by n = 1
/// assert!((course::learning::two_layer_sup(&array![[3.0, 4.0]], &[-1.0], 1.0) - 5.0).abs() < 1e-12);
/// ```
pub fn two_layer_sup(x: &Array2<f64>, sigma: &[f64], b: f64) -> f64 {
    assert_eq!(x.ncols(), 2, "two_layer_sup: inputs must be 2-D, got {} columns", x.ncols());
    assert_eq!(sigma.len(), x.nrows(), "two_layer_sup: sigma must have one sign per row of x ({}), got {}", x.nrows(), sigma.len());
    let n = x.nrows();
    // the cut directions u ⟂ x_i, where point i enters or leaves the active set {u·x_i > 0}
    let mut cuts: Vec<(f64, usize)> = (0..n)
        .filter(|&i| x[[i, 0]] != 0.0 || x[[i, 1]] != 0.0)
        .flat_map(|i| {
            let phi = x[[i, 1]].atan2(x[[i, 0]]);
            [((phi + 0.5 * PI).rem_euclid(2.0 * PI), i), ((phi - 0.5 * PI).rem_euclid(2.0 * PI), i)]
        })
        .collect();
    if cuts.is_empty() {
        return 0.0;
    }
    cuts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let m = cuts.len();
    // sweep the arcs once: v = Σ_active σ_i x_i changes by one point at each cut (O(n log n) overall)
    let (mut active, mut v) = (vec![false; n], [0.0f64; 2]);
    let mut pending: Vec<usize> = (0..n).collect();
    let mut best = 0.0f64;
    for k in 0..m {
        let lo = cuts[k].0;
        let hi = if k + 1 < m { cuts[k + 1].0 } else { cuts[0].0 + 2.0 * PI };
        if k > 0 {
            pending.push(cuts[k].1);
        }
        if hi - lo < 1e-12 {
            continue; // a degenerate arc: decide its points on the next proper one
        }
        let mid = 0.5 * (lo + hi);
        let (c, s) = (mid.cos(), mid.sin());
        for i in pending.drain(..) {
            let now = c * x[[i, 0]] + s * x[[i, 1]] > 0.0;
            if now != active[i] {
                let sign = if now { sigma[i] } else { -sigma[i] };
                v[0] += sign * x[[i, 0]];
                v[1] += sign * x[[i, 1]];
                active[i] = now;
            }
        }
        // on this arc the sum is u·v/n (continuous at the ends, where the crossing point gives 0)
        let g = |th: f64| (th.cos() * v[0] + th.sin() * v[1]) / n as f64;
        best = best.max(g(lo).abs()).max(g(hi).abs());
        let a = v[1].atan2(v[0]);
        for cand in [a, a + PI] {
            let shifted = lo + (cand - lo).rem_euclid(2.0 * PI);
            if shifted < hi {
                best = best.max(g(shifted).abs());
            }
        }
    }
    b * best
}

/// A Monte Carlo estimate of $\hat{\mathfrak R}_S$: the mean of `sup(σ)` over `n_mc` sign vectors,
/// and its standard error.
///
/// # Panics
/// If `n_mc < 2`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[1.0, 0.0], [1.0, 0.0]]; // ‖σ₁x₁ + σ₂x₂‖/2 is 1 or 0, each with probability ½
/// let (r, se) = course::learning::empirical_rademacher(&mut course::rng::seeded(3), &x, 4000, |s| course::learning::linear_sup(&x, s, 1.0));
/// assert!((r - 0.5).abs() < 4.0 * se);
/// ```
pub fn empirical_rademacher(rng: &mut impl Rng, x: &Array2<f64>, n_mc: usize, sup: impl Fn(&[f64]) -> f64) -> (f64, f64) {
    assert!(n_mc >= 2, "empirical_rademacher: n_mc must be >= 2, got {n_mc}");
    let vals: Vec<f64> = (0..n_mc).map(|_| sup(&rademacher_signs(rng, x.nrows()))).collect();
    let m = crate::stats::mean(&vals);
    (m, (crate::stats::variance(&vals) / n_mc as f64).sqrt())
}

/// The two upper bounds on the linear class: $\big(B\sqrt{\sum_i\lVert x_i\rVert^2}/n,\ B\max_i\lVert x_i\rVert/\sqrt n\big)$.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let (tr, mx) = course::learning::linear_rademacher_bounds(&array![[3.0, 4.0], [0.0, 0.0]], 1.0);
/// assert!((tr - 2.5).abs() < 1e-12 && (mx - 5.0 / 2f64.sqrt()).abs() < 1e-12);
/// ```
pub fn linear_rademacher_bounds(x: &Array2<f64>, b: f64) -> (f64, f64) {
    let n = x.nrows() as f64;
    let sq: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let max = sq.iter().fold(0.0f64, |m, &v| m.max(v));
    (b * sq.iter().sum::<f64>().sqrt() / n, b * max.sqrt() / n.sqrt())
}

/// The ramp loss $\phi_\gamma(m) = \min(1, \max(0, 1 - m/\gamma))$, $1/\gamma$-Lipschitz, above the 0–1 loss.
///
/// # Examples
/// ```
/// use course::learning::ramp_loss;
/// assert_eq!((ramp_loss(-1.0, 0.5), ramp_loss(0.25, 0.5), ramp_loss(2.0, 0.5)), (1.0, 0.5, 0.0));
/// ```
pub fn ramp_loss(margin: f64, gamma: f64) -> f64 {
    assert!(gamma > 0.0, "ramp_loss: gamma must be > 0, got {gamma}");
    (1.0 - margin / gamma).clamp(0.0, 1.0)
}

/// The margin bound $\frac1n\sum_i\phi_\gamma(m_i) + \frac2\gamma\,\text{rademacher} + 3\sqrt{\ln(2/\delta)/(2n)}$ for the
/// margins $m_i = y_i w\cdot x_i$.
///
/// # Panics
/// If `margins` is empty, `gamma <= 0` or `delta` not in $(0,1)$.
///
/// # Examples
/// ```
/// // all margins ≥ γ: only the complexity and confidence terms remain
/// let b = course::learning::margin_bound(&[2.0; 100], 1.0, 0.05, 0.1);
/// assert!((b - (0.1 + 3.0 * (20f64.ln() / 200.0).sqrt())).abs() < 1e-12);
/// ```
pub fn margin_bound(margins: &[f64], gamma: f64, rademacher: f64, delta: f64) -> f64 {
    assert!(!margins.is_empty(), "margin_bound: margins must not be empty");
    assert!(delta > 0.0 && delta < 1.0, "margin_bound: delta must be in (0, 1), got {delta}");
    let n = margins.len() as f64;
    let ramp = margins.iter().map(|&m| ramp_loss(m, gamma)).sum::<f64>() / n;
    ramp + 2.0 * rademacher / gamma + 3.0 * ((2.0 / delta).ln() / (2.0 * n)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{RngExt, seeded};

    fn random_x(seed: u64, n: usize) -> Array2<f64> {
        let z = crate::rng::normal_vec(&mut seeded(seed), 2 * n);
        Array2::from_shape_vec((n, 2), z).unwrap()
    }

    #[test]
    fn linear_sup_beats_random_directions_and_is_attained() {
        let x = random_x(1, 15);
        let s = rademacher_signs(&mut seeded(2), 15);
        let sup = linear_sup(&x, &s, 2.0);
        let v = x.t().dot(&Array1::from(s.clone()));
        let w = &v * (2.0 / v.dot(&v).sqrt()); // the maximizer B v/‖v‖
        assert!((x.dot(&w).dot(&Array1::from(s.clone())) / 15.0 - sup).abs() < 1e-12);
        for k in 0..360 {
            let th = k as f64 * PI / 180.0;
            let val: f64 = (0..15).map(|i| s[i] * 2.0 * (th.cos() * x[[i, 0]] + th.sin() * x[[i, 1]])).sum::<f64>() / 15.0;
            assert!(val <= sup + 1e-12);
        }
    }

    #[test]
    fn two_layer_sup_matches_a_dense_angle_grid() {
        let x = random_x(3, 25);
        for seed in 0..5 {
            let s = rademacher_signs(&mut seeded(seed), 25);
            let exact = two_layer_sup(&x, &s, 1.0);
            let grid = (0..200_000)
                .map(|k| {
                    let th = 2.0 * PI * k as f64 / 200_000.0;
                    ((0..25).map(|i| s[i] * (th.cos() * x[[i, 0]] + th.sin() * x[[i, 1]]).max(0.0)).sum::<f64>() / 25.0).abs()
                })
                .fold(0.0f64, f64::max);
            assert!(exact >= grid - 1e-12 && exact - grid < 1e-6, "{exact} vs {grid}");
        }
    }

    #[test]
    fn degenerate_inputs_match_the_grid_too() {
        // duplicated points, points on one line through 0, and the origin itself
        let x = ndarray::array![[1.0, 2.0], [1.0, 2.0], [-2.0, -4.0], [0.5, 1.0], [0.0, 0.0], [3.0, -1.0]];
        for seed in 0..8 {
            let s = rademacher_signs(&mut seeded(seed), 6);
            let grid = (0..100_000)
                .map(|k| {
                    let th = 2.0 * PI * k as f64 / 100_000.0;
                    ((0..6).map(|i| s[i] * (th.cos() * x[[i, 0]] + th.sin() * x[[i, 1]]).max(0.0)).sum::<f64>() / 6.0).abs()
                })
                .fold(0.0f64, f64::max);
            let exact = two_layer_sup(&x, &s, 1.0);
            // a max at a kink is missed by up to (half a grid step) × Σ‖xᵢ‖/n ≈ 3·10⁻⁵ · 2.2
            assert!(exact >= grid - 1e-12 && exact - grid < 1e-4, "seed {seed}: {exact} vs {grid}");
        }
    }

    #[test]
    fn a_wide_network_does_not_beat_the_single_neuron() {
        // random networks of path norm 1: never above the one-neuron sup
        let x = random_x(4, 12);
        let s = rademacher_signs(&mut seeded(5), 12);
        let sup = two_layer_sup(&x, &s, 1.0);
        let mut rng = seeded(6);
        for _ in 0..200 {
            let w = random_x(rng.random::<u64>(), 8);
            let a = crate::rng::normal_vec(&mut rng, 8);
            let path: f64 = (0..8).map(|j| a[j].abs() * (w[[j, 0]].powi(2) + w[[j, 1]].powi(2)).sqrt()).sum();
            let val: f64 = (0..12)
                .map(|i| s[i] * (0..8).map(|j| a[j] * (w[[j, 0]] * x[[i, 0]] + w[[j, 1]] * x[[i, 1]]).max(0.0)).sum::<f64>())
                .sum::<f64>()
                / 12.0
                / path;
            assert!(val.abs() <= sup + 1e-12);
        }
    }

    #[test]
    fn monte_carlo_is_below_the_bounds() {
        let x = random_x(7, 40);
        let (r, se) = empirical_rademacher(&mut seeded(8), &x, 2000, |s| linear_sup(&x, s, 1.0));
        let (tr, mx) = linear_rademacher_bounds(&x, 1.0);
        assert!(r <= tr && tr <= mx + 1e-12 && se < 0.02 * r, "{r} {se} {tr} {mx}");
        let (r2, _) = empirical_rademacher(&mut seeded(8), &x, 500, |s| two_layer_sup(&x, s, 1.0));
        assert!(r2 <= 2.0 * tr);
    }
}
