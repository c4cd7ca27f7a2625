//! Wasserstein distances in one dimension, and the sliced Wasserstein distance.
//!
//! In one dimension optimal transport is monotone: with quantile functions $F^{-1}, G^{-1}$,
//! $$W_p(P,Q)^p = \int_0^1 \big|F^{-1}(u) - G^{-1}(u)\big|^p\,du .$$
//! For two samples of the same size this is the mean of $|a_{(i)} - b_{(i)}|^p$ over the sorted
//! values; for sizes $n \ne m$ the empirical quantile functions are step functions with jumps at
//! $i/n$ and $j/m$, and the integral is a finite sum over the merged breakpoints. For Gaussians
//! $W_2^2\big(\mathcal N(\mu_1,\sigma_1^2), \mathcal N(\mu_2,\sigma_2^2)\big) = (\mu_1-\mu_2)^2 + (\sigma_1-\sigma_2)^2$.
//!
//! In $\mathbb R^{\text{dim}}$ the **sliced** distance averages the 1-D distance of the projections
//! on directions $\theta$ uniform on the sphere,
//! $$SW_p(P,Q)^p = \mathbb E_\theta\, W_p^p\big(\theta_\#P,\ \theta_\#Q\big),$$
//! estimated with `n_projections` directions drawn from a seeded generator. For isotropic
//! Gaussians $\mathcal N(\mu_i, \sigma_i^2 I_d)$, $\theta\cdot X \sim \mathcal N(\theta\cdot\mu_i, \sigma_i^2)$
//! and $\mathbb E(\theta\cdot\delta)^2 = |\delta|^2/d$, so $SW_2^2 = |\mu_1-\mu_2|^2/d + (\sigma_1-\sigma_2)^2$.
//!
//! ## Reference
//! G. Peyré & M. Cuturi (2019), *Computational Optimal Transport*, §2.6 and §9.3 (sliced);
//! N. Bonneel, J. Rabin, G. Peyré & H. Pfister (2015), *Sliced and Radon Wasserstein barycenters of measures*.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/37-capstone-and-journal-club.ipynb.

use super::check_samples;
use crate::rng::seeded;
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

fn check_p(who: &str, p: f64) {
    assert!(p.is_finite() && p >= 1.0, "{who}: p must be finite and >= 1, got {p}");
}

/// $W_p^p$ between two already sorted samples, by merging the breakpoints of the quantile functions.
fn wp_pow_sorted(a: &[f64], b: &[f64], p: f64) -> f64 {
    let (n, m) = (a.len(), b.len());
    let cost = |d: f64| {
        let d = d.abs();
        if p == 1.0 {
            d
        } else if p == 2.0 {
            d * d
        } else {
            d.powf(p)
        }
    };
    if n == m {
        return a.iter().zip(b).map(|(u, v)| cost(u - v)).sum::<f64>() / n as f64;
    }
    // Breakpoints in units of 1/(n m): a's i-th step ends at (i+1) m, b's j-th at (j+1) n.
    let (mut i, mut j, mut cur, mut sum) = (0usize, 0usize, 0usize, 0.0);
    while i < n && j < m {
        let (ea, eb) = ((i + 1) * m, (j + 1) * n);
        let next = ea.min(eb);
        sum += (next - cur) as f64 * cost(a[i] - b[j]);
        cur = next;
        if ea == next {
            i += 1;
        }
        if eb == next {
            j += 1;
        }
    }
    sum / (n as f64 * m as f64)
}

/// The exact 1-D Wasserstein distance $W_p$ between the empirical measures of `a` and `b`
/// (any sizes), through their quantile functions.
///
/// # Panics
/// If either sample is empty, or `p < 1`.
///
/// # Examples
/// ```
/// use course::generative::metrics::wasserstein_1d;
/// // Shifting a sample by 2 moves it by exactly 2 in every W_p.
/// assert!((wasserstein_1d(&[0.0, 1.0, 5.0], &[7.0, 2.0, 3.0], 2.0) - 2.0).abs() < 1e-12);
/// // Unequal sizes: {0, 1} vs {0}: half the mass moves by 1, W_1 = 1/2.
/// assert!((wasserstein_1d(&[0.0, 1.0], &[0.0], 1.0) - 0.5).abs() < 1e-12);
/// ```
pub fn wasserstein_1d(a: &[f64], b: &[f64], p: f64) -> f64 {
    assert!(!a.is_empty(), "wasserstein_1d: a must be non-empty, got 0 samples");
    assert!(!b.is_empty(), "wasserstein_1d: b must be non-empty, got 0 samples");
    check_p("wasserstein_1d", p);
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_unstable_by(f64::total_cmp);
    b.sort_unstable_by(f64::total_cmp);
    wp_pow_sorted(&a, &b, p).powf(1.0 / p)
}

/// Sliced Wasserstein-$p$ distance between the rows of `x` (n × dim) and `y` (m × dim):
/// $\big(\frac1K\sum_{k=1}^K W_p^p(\theta_k\cdot x, \theta_k\cdot y)\big)^{1/p}$ with
/// $K$ = `n_projections` directions uniform on the unit sphere, drawn from `seeded(seed)`
/// (so the same seed gives the same directions, and two calls compare like with like).
///
/// # Panics
/// If either sample is empty, the numbers of columns differ, `p < 1`, or `n_projections == 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::metrics::sliced_wasserstein;
/// // A translation by c moves every projection by θ·c; in 2-D E(θ·c)² = |c|²/2.
/// let x = array![[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5]];
/// let y = x.mapv(|v| v) + &array![3.0, 4.0];
/// let sw = sliced_wasserstein(&x, &y, 2.0, 2000, 7);
/// assert!((sw * sw - 25.0 / 2.0).abs() < 1.0); // 2000 random directions: within 8 %
/// assert_eq!(sliced_wasserstein(&x, &x, 1.0, 10, 7), 0.0);
/// ```
pub fn sliced_wasserstein(x: &Array2<f64>, y: &Array2<f64>, p: f64, n_projections: usize, seed: u64) -> f64 {
    check_samples("sliced_wasserstein", x, y, 1);
    check_p("sliced_wasserstein", p);
    assert!(n_projections >= 1, "sliced_wasserstein: n_projections must be >= 1, got 0");
    let dim = x.ncols();
    let xs: Vec<f64> = x.iter().copied().collect();
    let ys: Vec<f64> = y.iter().copied().collect();
    let mut rng = seeded(seed);
    let mut theta = vec![0.0; dim];
    let mut px = vec![0.0; x.nrows()];
    let mut py = vec![0.0; y.nrows()];
    let mut total = 0.0;
    for _ in 0..n_projections {
        let mut norm2: f64 = 0.0;
        while norm2 < 1e-24 {
            for t in theta.iter_mut() {
                *t = StandardNormal.sample(&mut rng);
            }
            norm2 = theta.iter().map(|t| t * t).sum();
        }
        let norm = norm2.sqrt();
        theta.iter_mut().for_each(|t| *t /= norm);
        let project = |zs: &[f64], out: &mut [f64]| {
            for (i, o) in out.iter_mut().enumerate() {
                *o = zs[i * dim..(i + 1) * dim].iter().zip(&theta).map(|(a, b)| a * b).sum();
            }
            out.sort_unstable_by(f64::total_cmp);
        };
        project(&xs, &mut px);
        project(&ys, &mut py);
        total += wp_pow_sorted(&px, &py, p);
    }
    (total / n_projections as f64).powf(1.0 / p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::normal_vec;

    fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut out = vec![];
        for perm in permutations(n - 1) {
            for pos in 0..=perm.len() {
                let mut q = perm.clone();
                q.insert(pos, n - 1);
                out.push(q);
            }
        }
        out
    }

    #[test]
    fn equal_sizes_match_the_best_assignment_by_brute_force() {
        // Between two uniform empirical measures of equal size, optimal transport is an assignment.
        let mut r = seeded(1);
        let a = normal_vec(&mut r, 6);
        let b: Vec<f64> = normal_vec(&mut r, 6).iter().map(|v| 2.0 * v + 0.3).collect();
        for p in [1.0, 1.5, 2.0, 3.0] {
            let best = permutations(6)
                .iter()
                .map(|s| (0..6).map(|i| (a[i] - b[s[i]]).abs().powf(p)).sum::<f64>() / 6.0)
                .fold(f64::INFINITY, f64::min);
            assert!((wasserstein_1d(&a, &b, p) - best.powf(1.0 / p)).abs() < 1e-12, "p = {p}");
        }
    }

    #[test]
    fn unequal_sizes_match_replicated_samples() {
        // The empirical measure of a (size n) equals that of a with each point repeated m times.
        let mut r = seeded(2);
        let a = normal_vec(&mut r, 5);
        let b: Vec<f64> = normal_vec(&mut r, 3).iter().map(|v| v + 1.0).collect();
        let rep = |v: &[f64], k: usize| v.iter().flat_map(|&t| std::iter::repeat_n(t, k)).collect::<Vec<f64>>();
        for p in [1.0, 2.0, 2.5] {
            let direct = wasserstein_1d(&a, &b, p);
            let equal = wasserstein_1d(&rep(&a, 3), &rep(&b, 5), p);
            assert!((direct - equal).abs() < 1e-12, "p = {p}: {direct} vs {equal}");
        }
    }

    #[test]
    fn symmetry_and_zero_and_scaling() {
        let mut r = seeded(3);
        let a = normal_vec(&mut r, 40);
        let b = normal_vec(&mut r, 25);
        let w = wasserstein_1d(&a, &b, 2.0);
        assert!((w - wasserstein_1d(&b, &a, 2.0)).abs() < 1e-12);
        assert_eq!(wasserstein_1d(&a, &a, 2.0), 0.0);
        let sa: Vec<f64> = a.iter().map(|v| -3.0 * v).collect();
        let sb: Vec<f64> = b.iter().map(|v| -3.0 * v).collect();
        assert!((wasserstein_1d(&sa, &sb, 2.0) - 3.0 * w).abs() < 1e-12);
    }

    #[test]
    fn gaussian_w2_closed_form_on_several_seeds() {
        // N(0,1) vs N(1, 2²): W₂² = 1 + 1 = 2. With n = 20 000 the empirical W₂² has a standard
        // deviation ≈ 0.02 and a positive bias of order 1/n·log n; the tolerance 0.1 is > 4 of both.
        let n = 20_000;
        for seed in 0..5u64 {
            let a = normal_vec(&mut seeded(seed), n);
            let b: Vec<f64> = normal_vec(&mut seeded(seed + 100), n).iter().map(|v| 1.0 + 2.0 * v).collect();
            let w2 = wasserstein_1d(&a, &b, 2.0).powi(2);
            assert!((w2 - 2.0).abs() < 0.1, "seed {seed}: {w2}");
        }
    }

    #[test]
    fn sliced_w2_of_isotropic_gaussians_matches_closed_form() {
        // N(0, I₂) vs N((2, 0), 2² I₂): SW₂² = |δ|²/2 + (σ₁ − σ₂)² = 2 + 1 = 3. Each replicate
        // draws new samples and new directions; the mean of 20 replicates is within 4 standard
        // errors (from the replicates) plus 0.02 for the positive O(log n / n) bias of empirical W₂².
        let (n, reps) = (2000, 20);
        for base in 0..3u64 {
            let vals: Vec<f64> = (0..reps)
                .map(|r| {
                    let s = 1000 * base + 2 * r;
                    let z1 = normal_vec(&mut seeded(s), 2 * n as usize);
                    let z2 = normal_vec(&mut seeded(s + 1), 2 * n as usize);
                    let x = Array2::from_shape_vec((n as usize, 2), z1).unwrap();
                    let y = Array2::from_shape_fn((n as usize, 2), |(i, k)| if k == 0 { 2.0 } else { 0.0 } + 2.0 * z2[2 * i + k]);
                    sliced_wasserstein(&x, &y, 2.0, 200, s).powi(2)
                })
                .collect();
            let mean = vals.iter().sum::<f64>() / reps as f64;
            let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
            let se = sd / (reps as f64).sqrt();
            assert!((mean - 3.0).abs() < 4.0 * se + 0.02, "base {base}: {mean}, se {se}");
            assert!(se < 0.05, "the test must be sharp: se {se}");
        }
    }

    #[test]
    fn gaussian_w1_is_the_folded_normal_mean() {
        // F⁻¹(u) − G⁻¹(u) = δ + (σ₁ − σ₂)Φ⁻¹(u), so W₁ = E|N(δ, (σ₁ − σ₂)²)|. For N(0,1) vs N(1, 2²):
        // E|N(−1, 1)| = √(2/π) e^{−1/2} + 1 − 2Φ(−1). Mean of 20 replicates within 4 s.e.
        // (from the replicates) plus 0.01 for the O(n^{-1/2}) positive bias of empirical W₁ at n = 5000.
        let truth = (2.0 / std::f64::consts::PI).sqrt() * (-0.5f64).exp() + 1.0 - 2.0 * crate::probability::normal_cdf(-1.0);
        let (n, reps) = (5000, 20);
        for base in 0..3u64 {
            let vals: Vec<f64> = (0..reps)
                .map(|r| {
                    let s = 1000 * base + 2 * r;
                    let a = normal_vec(&mut seeded(s), n);
                    let b: Vec<f64> = normal_vec(&mut seeded(s + 1), n).iter().map(|v| 1.0 + 2.0 * v).collect();
                    wasserstein_1d(&a, &b, 1.0)
                })
                .collect();
            let mean = vals.iter().sum::<f64>() / reps as f64;
            let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
            assert!((mean - truth).abs() < 4.0 * sd / (reps as f64).sqrt() + 0.01, "base {base}: {mean} vs {truth}");
        }
    }

    #[test]
    fn sliced_is_symmetric_permutation_invariant_and_homogeneous() {
        let mut r = seeded(5);
        let x = Array2::from_shape_vec((50, 3), normal_vec(&mut r, 150)).unwrap();
        let y = Array2::from_shape_vec((40, 3), normal_vec(&mut r, 120)).unwrap().mapv(|v| 1.5 * v + 0.2);
        let sw = sliced_wasserstein(&x, &y, 2.0, 50, 11);
        assert!((sw - sliced_wasserstein(&y, &x, 2.0, 50, 11)).abs() < 1e-12);
        let rev = x.slice(ndarray::s![..;-1, ..]).to_owned();
        assert!((sw - sliced_wasserstein(&rev, &y, 2.0, 50, 11)).abs() < 1e-12);
        assert!((sliced_wasserstein(&x.mapv(|v| -2.0 * v), &y.mapv(|v| -2.0 * v), 2.0, 50, 11) - 2.0 * sw).abs() < 1e-12);
        assert!(sw > 0.0);
    }

    #[test]
    fn in_one_dimension_sliced_is_exact() {
        let mut r = seeded(4);
        let a = normal_vec(&mut r, 30);
        let b = normal_vec(&mut r, 20);
        let x = Array2::from_shape_vec((30, 1), a.clone()).unwrap();
        let y = Array2::from_shape_vec((20, 1), b.clone()).unwrap();
        assert!((sliced_wasserstein(&x, &y, 1.0, 3, 0) - wasserstein_1d(&a, &b, 1.0)).abs() < 1e-12);
    }

    #[test]
    #[should_panic(expected = "p must be finite and >= 1, got 0.5")]
    fn small_p_panics() {
        wasserstein_1d(&[0.0], &[1.0], 0.5);
    }
}
