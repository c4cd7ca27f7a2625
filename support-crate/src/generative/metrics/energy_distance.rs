//! Energy distance between two samples.
//!
//! For independent $X, X' \sim P$ and $Y, Y' \sim Q$ with finite first moments,
//! $$\mathcal E(P, Q) = 2\,\mathbb E|X-Y| - \mathbb E|X-X'| - \mathbb E|Y-Y'| \;\ge\; 0,$$
//! with equality iff $P = Q$ ($|\cdot|$ the Euclidean norm). Replacing the expectations by
//! averages over all pairs gives the **V-statistic** (diagonal pairs included, always $\ge 0$:
//! it is the energy distance between the two empirical measures); averaging the within-sample
//! terms over distinct pairs only gives the **U-statistic**, an unbiased estimator of
//! $\mathcal E(P,Q)$ that can be slightly negative when $P = Q$.
//!
//! In one dimension $\mathcal E(P,Q) = 2\int (F_P - F_Q)^2$, the Cramér distance; for
//! $P = \mathcal N(\mu_1, 1)$, $Q = \mathcal N(\mu_2, 1)$ the folded normal gives the closed form
//! $2\,\mathbb E|\mathcal N(\delta, 2)| - 4/\sqrt\pi$ with $\delta = \mu_1 - \mu_2$, which the tests use.
//!
//! ## Reference
//! G. J. Székely & M. L. Rizzo (2013), *Energy statistics: A class of statistics based on
//! distances*, J. Statist. Plann. Inference 143, 1249–1272.
//!
//! Used in notebooks/28-variational-autoencoders.ipynb to notebooks/37-capstone-and-journal-club.ipynb.

use super::{check_samples, pair_sums};
use ndarray::Array2;

/// Energy distance, V-statistic, always $\ge 0$:
/// $$\frac{2}{nm}\sum_{i,j}|x_i-y_j| - \frac1{n^2}\sum_{i,i'}|x_i-x_{i'}| - \frac1{m^2}\sum_{j,j'}|y_j-y_{j'}|.$$
///
/// `x` is n × dim, `y` is m × dim (one sample per row).
///
/// # Panics
/// If either sample is empty or the numbers of columns differ.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::metrics::energy_distance;
/// // Two one-point samples at distance 3: 2·3 − 0 − 0.
/// assert!((energy_distance(&array![[0.0, 0.0]], &array![[3.0, 0.0]]) - 6.0).abs() < 1e-12);
/// // Identical samples: exactly zero.
/// let x = array![[0.0], [1.0], [5.0]];
/// assert!(energy_distance(&x, &x).abs() < 1e-12);
/// ```
pub fn energy_distance(x: &Array2<f64>, y: &Array2<f64>) -> f64 {
    check_samples("energy_distance", x, y, 1);
    let (n, m) = (x.nrows() as f64, y.nrows() as f64);
    let (sxy, sxx, syy) = pair_sums(x, y, f64::sqrt);
    2.0 * sxy / (n * m) - 2.0 * sxx / (n * n) - 2.0 * syy / (m * m)
}

/// Energy distance, unbiased U-statistic: the within-sample means run over the
/// $n(n-1)$ and $m(m-1)$ ordered pairs of distinct points.
///
/// $\mathbb E[\text{estimate}] = \mathcal E(P, Q)$ exactly; it may be slightly negative when $P = Q$.
///
/// # Panics
/// If either sample has fewer than 2 rows or the numbers of columns differ.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::metrics::{energy_distance, energy_distance_unbiased};
/// let x = array![[0.0], [2.0]];
/// let y = array![[1.0], [3.0]];
/// // E|X−Y| = (1+3+1+1)/4 = 1.5, E|X−X'| = E|Y−Y'| = 2 over distinct pairs.
/// assert!((energy_distance_unbiased(&x, &y) - (3.0 - 2.0 - 2.0)).abs() < 1e-12);
/// // The V-statistic averages in the zero diagonal: 3 − 1 − 1.
/// assert!((energy_distance(&x, &y) - 1.0).abs() < 1e-12);
/// ```
pub fn energy_distance_unbiased(x: &Array2<f64>, y: &Array2<f64>) -> f64 {
    check_samples("energy_distance_unbiased", x, y, 2);
    let (n, m) = (x.nrows() as f64, y.nrows() as f64);
    let (sxy, sxx, syy) = pair_sums(x, y, f64::sqrt);
    2.0 * sxy / (n * m) - 2.0 * sxx / (n * (n - 1.0)) - 2.0 * syy / (m * (m - 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probability::normal_cdf;
    use crate::rng::{normal_vec, seeded};
    use std::f64::consts::PI;

    fn gaussian_1d(seed: u64, n: usize, mu: f64) -> Array2<f64> {
        let z = normal_vec(&mut seeded(seed), n);
        Array2::from_shape_fn((n, 1), |(i, _)| mu + z[i])
    }

    /// E|N(δ, s²)| (folded normal mean).
    fn folded_mean(delta: f64, s: f64) -> f64 {
        s * (2.0 / PI).sqrt() * (-delta * delta / (2.0 * s * s)).exp() + delta * (1.0 - 2.0 * normal_cdf(-delta / s))
    }

    fn brute(x: &Array2<f64>, y: &Array2<f64>, unbiased: bool) -> f64 {
        let d = |a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>| (&a - &b).mapv(|v| v * v).sum().sqrt();
        let mean_pairs = |a: &Array2<f64>, b: &Array2<f64>, skip_diag: bool| {
            let mut s = 0.0;
            let mut c = 0.0;
            for i in 0..a.nrows() {
                for j in 0..b.nrows() {
                    if skip_diag && i == j {
                        continue;
                    }
                    s += d(a.row(i), b.row(j));
                    c += 1.0;
                }
            }
            s / c
        };
        2.0 * mean_pairs(x, y, false) - mean_pairs(x, x, unbiased) - mean_pairs(y, y, unbiased)
    }

    #[test]
    fn matches_a_brute_force_implementation() {
        let mut r = seeded(1);
        let x = Array2::from_shape_vec((7, 3), normal_vec(&mut r, 21)).unwrap();
        let y = Array2::from_shape_vec((5, 3), normal_vec(&mut r, 15)).unwrap().mapv(|v| 2.0 * v + 1.0);
        assert!((energy_distance(&x, &y) - brute(&x, &y, false)).abs() < 1e-12);
        assert!((energy_distance_unbiased(&x, &y) - brute(&x, &y, true)).abs() < 1e-12);
    }

    #[test]
    fn symmetry_permutation_translation_and_scaling() {
        let mut r = seeded(2);
        let x = Array2::from_shape_vec((30, 2), normal_vec(&mut r, 60)).unwrap();
        let y = Array2::from_shape_vec((20, 2), normal_vec(&mut r, 40)).unwrap().mapv(|v| v + 0.5);
        let e = energy_distance(&x, &y);
        assert!((e - energy_distance(&y, &x)).abs() < 1e-12);
        let rev = x.slice(ndarray::s![..;-1, ..]).to_owned();
        assert!((e - energy_distance(&rev, &y)).abs() < 1e-12);
        assert!((e - energy_distance(&x.mapv(|v| v - 3.0), &y.mapv(|v| v - 3.0))).abs() < 1e-12);
        // Homogeneous of degree 1: E(cX, cY) = |c| E(X, Y).
        assert!((energy_distance(&x.mapv(|v| -2.5 * v), &y.mapv(|v| -2.5 * v)) - 2.5 * e).abs() < 1e-11);
        assert!(e > 0.0);
        assert!(energy_distance(&x, &x).abs() < 1e-12);
    }

    #[test]
    fn unbiased_estimator_matches_the_folded_normal_closed_form_on_several_seeds() {
        // P = N(0,1), Q = N(1,1): E = 2 E|N(1, 2)| − 2 E|N(0, 2)| = 2 E|N(1, 2)| − 4/√π. R independent replicates of the
        // U-statistic are i.i.d. with mean E exactly, so their average is within 4 standard errors
        // (estimated from the replicates) with probability > 0.9999.
        let truth = 2.0 * folded_mean(1.0, 2f64.sqrt()) - 4.0 / PI.sqrt();
        assert!((2.0 * folded_mean(0.0, 2f64.sqrt()) - 4.0 / PI.sqrt()).abs() < 1e-15);
        let (reps, n) = (100, 150);
        for base in 0..5u64 {
            let vals: Vec<f64> = (0..reps)
                .map(|r| {
                    let s = 1000 * base + 2 * r;
                    energy_distance_unbiased(&gaussian_1d(s, n, 0.0), &gaussian_1d(s + 1, n, 1.0))
                })
                .collect();
            let mean = vals.iter().sum::<f64>() / reps as f64;
            let sd = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
            let se = sd / (reps as f64).sqrt();
            assert!((mean - truth).abs() < 4.0 * se, "base {base}: mean {mean}, truth {truth}, se {se}");
        }
    }

    #[test]
    fn v_statistic_is_nonnegative_and_biased_upward_by_the_diagonal() {
        for seed in 0..5 {
            let x = gaussian_1d(seed, 50, 0.0);
            let y = gaussian_1d(seed + 100, 50, 0.0);
            let v = energy_distance(&x, &y);
            let u = energy_distance_unbiased(&x, &y);
            assert!(v >= 0.0);
            assert!(v > u);
        }
    }

    #[test]
    #[should_panic(expected = "same dim")]
    fn mismatched_dims_panic() {
        energy_distance(&Array2::zeros((3, 2)), &Array2::zeros((3, 1)));
    }

    #[test]
    #[should_panic(expected = "y must have at least 1 row")]
    fn empty_sample_panics() {
        energy_distance(&Array2::zeros((3, 2)), &Array2::zeros((0, 2)));
    }
}
