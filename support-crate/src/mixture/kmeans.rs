//! k-means: Lloyd's algorithm with k-means++ initialization.
//!
//! Minimize the within-cluster sum of squares
//! $$J(c,z)=\sum_{i=1}^n\lVert x_i-c_{z_i}\rVert^2$$
//! by alternating the two exact coordinate minimizations: assign each point to its nearest centre,
//! move each centre to the mean of its points. $J$ never increases. k-means++ seeds the centres
//! one at a time, each drawn with probability proportional to $D(x)^2$, the squared distance to
//! the nearest centre already chosen. It is EM for a mixture with equal weights and shared
//! covariance $\sigma^2I$ in the limit $\sigma^2\to0$ (notebook 19).
//!
//! ## Reference
//! S. Lloyd (1982), *Least squares quantization in PCM*; D. Arthur & S. Vassilvitskii (2007),
//! *k-means++: the advantages of careful seeding*; Bishop, *PRML*, §9.1 and §9.3.2.
//!
//! Used in notebooks/19-hidden-variables-and-em.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};

/// The result of [`lloyd`] or [`kmeans`].
#[derive(Clone, Debug)]
pub struct KMeans {
    /// `k × dim` centres.
    pub centers: Array2<f64>,
    /// The cluster of each point.
    pub labels: Vec<usize>,
    /// $J$ after each assignment step (non-increasing).
    pub inertia: Vec<f64>,
}

fn sq_dist(x: &Array2<f64>, i: usize, c: &Array2<f64>, k: usize) -> f64 {
    x.row(i).iter().zip(c.row(k)).map(|(a, b)| (a - b).powi(2)).sum()
}

/// The index of the nearest centre to each row of `x`, and the total squared distance $J$.
///
/// # Panics
/// If the column counts differ or `centers` is empty.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let (labels, j) = course::mixture::assign(&array![[0.0, 0.0], [5.0, 1.0]], &array![[0.0, 1.0], [4.0, 1.0]]);
/// assert_eq!(labels, vec![0, 1]);
/// assert_eq!(j, 2.0);
/// ```
pub fn assign(x: &Array2<f64>, centers: &Array2<f64>) -> (Vec<usize>, f64) {
    assert!(centers.nrows() > 0, "centers must not be empty");
    assert!(x.ncols() == centers.ncols(), "x and centers must have the same number of columns, got {} and {}", x.ncols(), centers.ncols());
    let mut total = 0.0;
    let labels = (0..x.nrows())
        .map(|i| {
            let (mut best, mut bd) = (0, f64::INFINITY);
            for k in 0..centers.nrows() {
                let d = sq_dist(x, i, centers, k);
                if d < bd {
                    best = k;
                    bd = d;
                }
            }
            total += bd;
            best
        })
        .collect();
    (labels, total)
}

/// k-means++ seeding: `k` rows of `x` chosen with probability $\propto D(x)^2$.
///
/// # Panics
/// If `k == 0` or `k > x.nrows()`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let x = array![[0.0, 0.0], [0.0, 0.1], [10.0, 0.0]];
/// let c = course::mixture::kmeans_plus_plus(&x, 2, &mut course::rng::seeded(0));
/// // The far point is always one of the two centres, whichever comes first.
/// assert!(c.rows().into_iter().any(|r| r[0] == 10.0));
/// ```
pub fn kmeans_plus_plus(x: &Array2<f64>, k: usize, rng: &mut impl Rng) -> Array2<f64> {
    let n = x.nrows();
    assert!(k > 0 && k <= n, "k must be in 1..={n} (the number of points), got {k}");
    let mut centers = Array2::zeros((k, x.ncols()));
    let first = rng.random_range(0..n);
    centers.row_mut(0).assign(&x.row(first));
    let mut d2: Vec<f64> = (0..n).map(|i| sq_dist(x, i, &centers, 0)).collect();
    for j in 1..k {
        let total: f64 = d2.iter().sum();
        let pick = if total > 0.0 {
            let u: f64 = rng.random::<f64>() * total;
            let mut acc = 0.0;
            let mut idx = n - 1;
            for (i, &d) in d2.iter().enumerate() {
                acc += d;
                if u < acc {
                    idx = i;
                    break;
                }
            }
            idx
        } else {
            rng.random_range(0..n)
        };
        centers.row_mut(j).assign(&x.row(pick));
        for (i, d) in d2.iter_mut().enumerate() {
            *d = d.min(sq_dist(x, i, &centers, j));
        }
    }
    centers
}

/// Lloyd's iterations from `centers` until the labels stop changing (at most `n_iter`). A centre
/// that loses all its points stays where it is.
///
/// # Panics
/// As [`assign`].
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let x = array![[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 2.0]];
/// let km = course::mixture::lloyd(&x, &array![[1.0, 0.0], [9.0, 0.0]], 10);
/// assert_eq!(km.centers, array![[0.0, 1.0], [10.0, 1.0]]);
/// assert_eq!(*km.inertia.last().unwrap(), 4.0);
/// ```
pub fn lloyd(x: &Array2<f64>, centers: &Array2<f64>, n_iter: usize) -> KMeans {
    let mut centers = centers.clone();
    let (mut labels, j) = assign(x, &centers);
    let mut inertia = vec![j];
    for _ in 0..n_iter {
        let k = centers.nrows();
        let mut sums = Array2::<f64>::zeros(centers.dim());
        let mut counts = vec![0usize; k];
        for (i, &l) in labels.iter().enumerate() {
            counts[l] += 1;
            let mut row = sums.row_mut(l);
            row += &x.row(i);
        }
        for (c, &count) in counts.iter().enumerate() {
            if count > 0 {
                let mean = &sums.row(c) / count as f64;
                centers.row_mut(c).assign(&mean);
            }
        }
        let (new_labels, j) = assign(x, &centers);
        inertia.push(j);
        let done = new_labels == labels;
        labels = new_labels;
        if done {
            break;
        }
    }
    KMeans { centers, labels, inertia }
}

/// k-means++ seeding followed by [`lloyd`].
///
/// # Panics
/// As [`kmeans_plus_plus`].
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let x = array![[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]];
/// let km = course::mixture::kmeans(&x, 2, 20, &mut course::rng::seeded(1));
/// assert_eq!(km.labels[0], km.labels[1]);
/// assert_ne!(km.labels[0], km.labels[2]);
/// ```
pub fn kmeans(x: &Array2<f64>, k: usize, n_iter: usize, rng: &mut impl Rng) -> KMeans {
    let init = kmeans_plus_plus(x, k, rng);
    lloyd(x, &init, n_iter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};

    #[test]
    fn inertia_never_increases_and_reaches_a_fixed_point() {
        let x = Array2::from_shape_vec((300, 2), normal_vec(&mut seeded(2), 600)).unwrap();
        let km = kmeans(&x, 5, 100, &mut seeded(3));
        assert!(km.inertia.windows(2).all(|w| w[1] <= w[0] + 1e-12));
        // At the fixed point every centre is the mean of its points and every point is nearest its centre.
        let (labels, _) = assign(&x, &km.centers);
        assert_eq!(labels, km.labels);
    }

    #[test]
    fn lloyd_beats_brute_force_never() {
        // Brute force over all 2^(n-1) two-cluster partitions of 10 points: Lloyd cannot go below the optimum.
        let x = Array2::from_shape_vec((10, 2), normal_vec(&mut seeded(5), 20)).unwrap();
        let mut best = f64::INFINITY;
        for mask in 0u32..(1 << 9) {
            let lab: Vec<usize> = (0..10).map(|i| if i < 9 && mask >> i & 1 == 1 { 1 } else { 0 }).collect();
            let mut j = 0.0;
            for c in 0..2 {
                let idx: Vec<usize> = (0..10).filter(|&i| lab[i] == c).collect();
                if idx.is_empty() {
                    continue;
                }
                let m: Vec<f64> = (0..2).map(|d| idx.iter().map(|&i| x[[i, d]]).sum::<f64>() / idx.len() as f64).collect();
                j += idx.iter().map(|&i| (x[[i, 0]] - m[0]).powi(2) + (x[[i, 1]] - m[1]).powi(2)).sum::<f64>();
            }
            best = best.min(j);
        }
        for seed in 0..10 {
            let km = kmeans(&x, 2, 100, &mut seeded(seed));
            assert!(*km.inertia.last().unwrap() >= best - 1e-12);
        }
    }

    #[test]
    #[should_panic(expected = "k must be in 1..=3 (the number of points), got 4")]
    fn rejects_too_many_clusters() {
        kmeans_plus_plus(&Array2::zeros((3, 2)), 4, &mut seeded(0));
    }
}
