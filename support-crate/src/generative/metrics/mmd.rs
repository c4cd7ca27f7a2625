//! Maximum mean discrepancy with a Gaussian kernel.
//!
//! With the kernel $k(a,b) = \exp\!\big(-|a-b|^2/(2h^2)\big)$ of bandwidth $h > 0$,
//! $$\mathrm{MMD}^2(P,Q) = \mathbb E\,k(X,X') + \mathbb E\,k(Y,Y') - 2\,\mathbb E\,k(X,Y),$$
//! the squared distance between the kernel mean embeddings of $P$ and $Q$; the Gaussian kernel
//! is characteristic, so $\mathrm{MMD}^2 = 0$ iff $P = Q$. The **biased** (V-statistic) estimator
//! averages over all pairs, diagonal included, and is $\ge 0$; the **unbiased** (U-statistic)
//! estimator drops the diagonal $k(x_i,x_i)=1$ terms.
//!
//! For $P=\mathcal N(\mu_1,\sigma_1^2 I_d)$, $Q=\mathcal N(\mu_2,\sigma_2^2 I_d)$ every term is a
//! Gaussian integral: if $Z\sim\mathcal N(\delta, s^2 I_d)$ then
//! $\mathbb E\,e^{-|Z|^2/(2h^2)} = \big(\tfrac{h^2}{h^2+s^2}\big)^{d/2} e^{-|\delta|^2/(2(h^2+s^2))}$,
//! which the tests use as the oracle.
//!
//! The bandwidth matters: the **median heuristic** takes $h$ = the median distance between
//! points of the pooled sample.
//!
//! ## Reference
//! A. Gretton, K. Borgwardt, M. Rasch, B. Schölkopf & A. Smola (2012), *A kernel two-sample test*,
//! JMLR 13, 723–773.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/37-capstone-and-journal-club.ipynb.

use super::{check_samples, pair_sums};
use ndarray::Array2;

fn check_bandwidth(who: &str, bandwidth: f64) {
    assert!(
        bandwidth.is_finite() && bandwidth > 0.0,
        "{who}: bandwidth must be finite and > 0, got {bandwidth}"
    );
}

/// The Gaussian kernel $k(a,b) = \exp(-|a-b|^2/(2h^2))$ with $h$ = `bandwidth`.
///
/// # Panics
/// If `bandwidth <= 0` (or not finite) or `a` and `b` have different lengths.
///
/// # Examples
/// ```
/// use course::generative::metrics::gaussian_kernel;
/// assert_eq!(gaussian_kernel(&[1.0, 2.0], &[1.0, 2.0], 0.5), 1.0);
/// // |a − b|² = 1, h = 1: e^{−1/2}.
/// assert!((gaussian_kernel(&[0.0, 0.0], &[1.0, 0.0], 1.0) - (-0.5f64).exp()).abs() < 1e-15);
/// ```
pub fn gaussian_kernel(a: &[f64], b: &[f64], bandwidth: f64) -> f64 {
    check_bandwidth("gaussian_kernel", bandwidth);
    assert!(a.len() == b.len(), "gaussian_kernel: a and b must have the same length, got {} and {}", a.len(), b.len());
    let d2: f64 = a.iter().zip(b).map(|(u, v)| (u - v) * (u - v)).sum();
    (-d2 / (2.0 * bandwidth * bandwidth)).exp()
}

/// Biased (V-statistic) estimate of MMD² with the Gaussian kernel of the given `bandwidth`:
/// $\frac1{n^2}\sum_{i,i'}k(x_i,x_{i'}) + \frac1{m^2}\sum_{j,j'}k(y_j,y_{j'}) - \frac2{nm}\sum_{i,j}k(x_i,y_j) \ge 0$.
///
/// # Panics
/// If either sample is empty, the numbers of columns differ, or `bandwidth <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::metrics::mmd2_biased;
/// // One point each at distance 1, h = 1: 1 + 1 − 2e^{−1/2}.
/// let v = mmd2_biased(&array![[0.0]], &array![[1.0]], 1.0);
/// assert!((v - (2.0 - 2.0 * (-0.5f64).exp())).abs() < 1e-12);
/// let x = array![[0.0, 1.0], [2.0, 3.0]];
/// assert!(mmd2_biased(&x, &x, 0.7).abs() < 1e-12);
/// ```
pub fn mmd2_biased(x: &Array2<f64>, y: &Array2<f64>, bandwidth: f64) -> f64 {
    check_samples("mmd2_biased", x, y, 1);
    check_bandwidth("mmd2_biased", bandwidth);
    let (n, m) = (x.nrows() as f64, y.nrows() as f64);
    let c = -1.0 / (2.0 * bandwidth * bandwidth);
    let (sxy, sxx, syy) = pair_sums(x, y, move |d2| (c * d2).exp());
    (n + 2.0 * sxx) / (n * n) + (m + 2.0 * syy) / (m * m) - 2.0 * sxy / (n * m)
}

/// Unbiased (U-statistic) estimate of MMD² with the Gaussian kernel of the given `bandwidth`:
/// the within-sample averages run over distinct pairs only. Its expectation is MMD² exactly;
/// it can be negative when $P = Q$.
///
/// # Panics
/// If either sample has fewer than 2 rows, the numbers of columns differ, or `bandwidth <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::metrics::mmd2_unbiased;
/// // x = {0, 1}, y = {0, 1}, h = 1: k(0,1) = e^{−1/2} =: a.
/// // within x: a, within y: a, cross: (1 + a + a + 1)/4, so MMD²_u = 2a − (1 + a) = a − 1 < 0.
/// let a = (-0.5f64).exp();
/// let x = array![[0.0], [1.0]];
/// assert!((mmd2_unbiased(&x, &x, 1.0) - (a - 1.0)).abs() < 1e-12);
/// ```
pub fn mmd2_unbiased(x: &Array2<f64>, y: &Array2<f64>, bandwidth: f64) -> f64 {
    check_samples("mmd2_unbiased", x, y, 2);
    check_bandwidth("mmd2_unbiased", bandwidth);
    let (n, m) = (x.nrows() as f64, y.nrows() as f64);
    let c = -1.0 / (2.0 * bandwidth * bandwidth);
    let (sxy, sxx, syy) = pair_sums(x, y, move |d2| (c * d2).exp());
    2.0 * sxx / (n * (n - 1.0)) + 2.0 * syy / (m * (m - 1.0)) - 2.0 * sxy / (n * m)
}

/// The median heuristic for the bandwidth: the median Euclidean distance between distinct
/// points of the pooled sample $x \cup y$. To bound the cost, at most 500 rows of each sample
/// are used (evenly strided, so the result is deterministic).
///
/// # Panics
/// If either sample is empty, the numbers of columns differ, or all pooled points coincide
/// (the median distance would be 0, not a valid bandwidth).
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::metrics::median_heuristic;
/// // Pooled points 0, 1, 3: distances 1, 2, 3, median 2.
/// assert_eq!(median_heuristic(&array![[0.0], [1.0]], &array![[3.0]]), 2.0);
/// ```
pub fn median_heuristic(x: &Array2<f64>, y: &Array2<f64>) -> f64 {
    check_samples("median_heuristic", x, y, 1);
    let pick = |z: &Array2<f64>| -> Vec<Vec<f64>> {
        let step = z.nrows().div_ceil(500);
        (0..z.nrows()).step_by(step).map(|i| z.row(i).to_vec()).collect()
    };
    let mut pts = pick(x);
    pts.extend(pick(y));
    let mut d = Vec::with_capacity(pts.len() * (pts.len() - 1) / 2);
    for i in 0..pts.len() {
        for j in (i + 1)..pts.len() {
            d.push(pts[i].iter().zip(&pts[j]).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt());
        }
    }
    assert!(!d.is_empty(), "median_heuristic: need at least 2 points in the pooled sample, got 1");
    let k = d.len() / 2;
    let med = if d.len() % 2 == 1 {
        *d.select_nth_unstable_by(k, f64::total_cmp).1
    } else {
        let hi = *d.select_nth_unstable_by(k, f64::total_cmp).1;
        let lo = d[..k].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        0.5 * (lo + hi)
    };
    assert!(med > 0.0, "median_heuristic: the median pairwise distance is 0 (points coincide); bandwidth must be > 0");
    med
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};

    fn gaussian(seed: u64, n: usize, dim: usize, mu: &[f64], sigma: f64) -> Array2<f64> {
        let z = normal_vec(&mut seeded(seed), n * dim);
        Array2::from_shape_fn((n, dim), |(i, k)| mu[k] + sigma * z[i * dim + k])
    }

    /// E exp(−|Z|²/(2h²)), Z ~ N(δ, s² I_d).
    fn gauss_expect(delta2: f64, s2: f64, h: f64, d: usize) -> f64 {
        let h2 = h * h;
        (h2 / (h2 + s2)).powf(d as f64 / 2.0) * (-delta2 / (2.0 * (h2 + s2))).exp()
    }

    fn brute(x: &Array2<f64>, y: &Array2<f64>, h: f64, unbiased: bool) -> f64 {
        let mean = |a: &Array2<f64>, b: &Array2<f64>, skip: bool| {
            let (mut s, mut c) = (0.0, 0.0);
            for i in 0..a.nrows() {
                for j in 0..b.nrows() {
                    if skip && i == j {
                        continue;
                    }
                    s += gaussian_kernel(a.row(i).as_slice().unwrap(), b.row(j).as_slice().unwrap(), h);
                    c += 1.0;
                }
            }
            s / c
        };
        mean(x, x, unbiased) + mean(y, y, unbiased) - 2.0 * mean(x, y, false)
    }

    #[test]
    fn matches_brute_force() {
        let x = gaussian(1, 9, 3, &[0.0, 0.0, 0.0], 1.0);
        let y = gaussian(2, 6, 3, &[1.0, 0.0, -1.0], 1.5);
        for h in [0.3, 1.0, 4.0] {
            assert!((mmd2_biased(&x, &y, h) - brute(&x, &y, h, false)).abs() < 1e-12);
            assert!((mmd2_unbiased(&x, &y, h) - brute(&x, &y, h, true)).abs() < 1e-12);
        }
    }

    #[test]
    fn invariances_and_zero_for_identical_samples() {
        let x = gaussian(3, 40, 2, &[0.0, 0.0], 1.0);
        let y = gaussian(4, 30, 2, &[1.0, 1.0], 1.0);
        let v = mmd2_biased(&x, &y, 1.0);
        assert!(v > 0.0);
        assert!((v - mmd2_biased(&y, &x, 1.0)).abs() < 1e-12);
        let rev = x.slice(ndarray::s![..;-1, ..]).to_owned();
        assert!((v - mmd2_biased(&rev, &y, 1.0)).abs() < 1e-12);
        // Scaling the data and the bandwidth together leaves MMD² unchanged.
        assert!((v - mmd2_biased(&x.mapv(|t| 3.0 * t), &y.mapv(|t| 3.0 * t), 3.0)).abs() < 1e-12);
        assert!(mmd2_biased(&x, &x, 0.5).abs() < 1e-12);
    }

    #[test]
    fn unbiased_estimator_matches_the_gaussian_closed_form_within_four_standard_errors() {
        // P = N(0, I_2), Q = N((1, 0.5), 1.5² I_2), h = 1. Replicates of the U-statistic are i.i.d.
        // with mean MMD² exactly; 4 standard errors (from the replicates) fail with prob. < 1e-4.
        let (h, d) = (1.0, 2);
        let (s1, s2, delta2) = (1.0f64, 1.5f64, 1.25);
        let truth = gauss_expect(0.0, 2.0 * s1 * s1, h, d) + gauss_expect(0.0, 2.0 * s2 * s2, h, d)
            - 2.0 * gauss_expect(delta2, s1 * s1 + s2 * s2, h, d);
        let (reps, n) = (100, 100);
        for base in 0..5u64 {
            let vals: Vec<f64> = (0..reps)
                .map(|r| {
                    let s = 1000 * base + 2 * r;
                    mmd2_unbiased(&gaussian(s, n, d, &[0.0, 0.0], s1), &gaussian(s + 1, n, d, &[1.0, 0.5], s2), h)
                })
                .collect();
            let mean = vals.iter().sum::<f64>() / reps as f64;
            let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
            let se = sd / (reps as f64).sqrt();
            assert!((mean - truth).abs() < 4.0 * se, "base {base}: mean {mean}, truth {truth}, se {se}");
            // and the test has power: the truth is many standard errors away from 0
            assert!(truth > 10.0 * se);
        }
    }

    #[test]
    fn median_heuristic_of_a_standard_gaussian() {
        // |X − X'| for X, X' ~ N(0, I_2) is √2 · Rayleigh(1), median √2 · √(2 ln 2) = 2√(ln 2).
        // 20 independent replicates (1000 pooled points each); their mean is within 4 standard
        // errors (from the replicates) plus 0.01 for the O(1/n) bias of a sample median.
        let truth = 2.0 * 2f64.ln().sqrt();
        for base in 0..3u64 {
            let vals: Vec<f64> = (0..20u64)
                .map(|r| {
                    let s = 1000 * base + 2 * r;
                    median_heuristic(&gaussian(s, 500, 2, &[0.0, 0.0], 1.0), &gaussian(s + 1, 500, 2, &[0.0, 0.0], 1.0))
                })
                .collect();
            let mean = vals.iter().sum::<f64>() / 20.0;
            let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 19.0).sqrt();
            assert!((mean - truth).abs() < 4.0 * sd / 20f64.sqrt() + 0.01, "base {base}: {mean} vs {truth}, sd {sd}");
        }
    }

    #[test]
    #[should_panic(expected = "bandwidth must be finite and > 0, got 0")]
    fn zero_bandwidth_panics() {
        mmd2_biased(&Array2::zeros((2, 1)), &Array2::ones((2, 1)), 0.0);
    }

    #[test]
    #[should_panic(expected = "x must have at least 2 row")]
    fn unbiased_needs_two_rows() {
        mmd2_unbiased(&Array2::zeros((1, 1)), &Array2::ones((2, 1)), 1.0);
    }
}
