//! Shattering, VC dimension and the Sauer–Shelah lemma, by brute-force enumeration.
//!
//! A class $\mathcal H$ **shatters** $C = \{x_1,\dots,x_n\}$ if it realises all $2^n$ labelings of $C$;
//! the **VC dimension** is the largest $n$ for which some $C$ is shattered. The growth function
//! $\tau_{\mathcal H}(n)$ is the largest number of labelings realised on $n$ points, and the
//! **Sauer–Shelah lemma** says that a class of VC dimension $d$ has
//! $$\tau_{\mathcal H}(n) \le \sum_{i=0}^{d}\binom ni .$$
//! Here: intervals $\mathbb 1[a\le x\le b]$ on the line ($d=2$; on $n$ distinct points exactly
//! $1 + n + \binom n2$ labelings, equality in the lemma) and half-planes
//! $\mathbb 1[w\cdot x > c]$ in $\mathbb R^2$ ($d = 3$; on $n$ points in general position exactly
//! $n^2 - n + 2$ labelings, Cover 1965). A labeling is a bit mask: bit $i$ is the label of point $i$.
//!
//! ## Reference
//! S. Shalev-Shwartz & S. Ben-David, *Understanding Machine Learning* (2014), ch. 6
//! (Lemma 6.10); T. M. Cover (1965), *Geometrical and statistical properties of systems of linear
//! inequalities*, IEEE Trans. Electron. Comput. 14.
//!
//! Used in notebooks/13-generalization-and-implicit-bias.ipynb.

use std::collections::BTreeSet;
use std::f64::consts::PI;

/// Every labeling of `xs` realised by an interval $\mathbb 1[a\le x\le b]$ (the empty one included),
/// found by trying every pair of cut points between and around the sorted points.
///
/// # Panics
/// If there are more than 63 points, or a point is not finite.
///
/// # Examples
/// ```
/// let l = course::learning::interval_labelings(&[0.0, 1.0, 2.0]);
/// assert_eq!(l.len(), 7);           // all but (1, 0, 1)
/// assert!(!l.contains(&0b101));
/// ```
pub fn interval_labelings(xs: &[f64]) -> BTreeSet<u64> {
    check_size("interval_labelings", xs.len());
    assert!(xs.iter().all(|x| x.is_finite()), "interval_labelings: points must be finite");
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    // cut points: below all, between neighbours, above all
    let mut cuts = vec![sorted.first().map_or(0.0, |v| v - 1.0)];
    cuts.extend(sorted.windows(2).map(|w| 0.5 * (w[0] + w[1])));
    cuts.push(sorted.last().map_or(0.0, |v| v + 1.0));
    let mut out = BTreeSet::new();
    for &a in &cuts {
        for &b in &cuts {
            out.insert(mask(xs.iter().map(|&x| a <= x && x <= b)));
        }
    }
    out
}

/// Every labeling of the points realised by a half-plane $\mathbb 1[w\cdot x > c]$ (both constant
/// labelings included). The order of the projections $w\cdot x_i$ changes only at the finitely many
/// directions where two projections tie, so one direction inside each arc between those and every
/// threshold $c$ between consecutive projections give *all* the labelings: the count is exact.
///
/// # Panics
/// If there are more than 63 points, a point is not finite, or two points coincide.
///
/// # Examples
/// ```
/// let square = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
/// let l = course::learning::halfplane_labelings(&square);
/// assert_eq!(l.len(), 14);                             // 16 minus the two "XOR" labelings
/// assert!(!l.contains(&0b0101) && !l.contains(&0b1010));
/// ```
pub fn halfplane_labelings(points: &[[f64; 2]]) -> BTreeSet<u64> {
    let n = points.len();
    check_size("halfplane_labelings", n);
    assert!(points.iter().all(|p| p[0].is_finite() && p[1].is_finite()), "halfplane_labelings: points must be finite");
    let mut critical = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let (dx, dy) = (points[j][0] - points[i][0], points[j][1] - points[i][1]);
            assert!(dx != 0.0 || dy != 0.0, "halfplane_labelings: points must be distinct, points {i} and {j} coincide");
            let a = dy.atan2(dx) + 0.5 * PI; // w ⟂ (x_j − x_i)
            critical.push(a.rem_euclid(2.0 * PI));
            critical.push((a + PI).rem_euclid(2.0 * PI));
        }
    }
    critical.sort_by(f64::total_cmp);
    let mut angles: Vec<f64> = critical.windows(2).filter(|w| w[1] > w[0]).map(|w| 0.5 * (w[0] + w[1])).collect();
    match (critical.first(), critical.last()) {
        (Some(&lo), Some(&hi)) => angles.push(0.5 * (hi + lo + 2.0 * PI)),
        _ => angles.push(0.0),
    }
    let mut out = BTreeSet::new();
    for theta in angles {
        let (c, s) = (theta.cos(), theta.sin());
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&i, &j| (c * points[j][0] + s * points[j][1]).total_cmp(&(c * points[i][0] + s * points[i][1])));
        // the top k projections get label 1, k = 0..n
        let mut m = 0u64;
        out.insert(m);
        for &i in &order {
            m |= 1 << i;
            out.insert(m);
        }
    }
    out
}

/// A labeling of `n` points that is *not* in `labelings`, if any (the smallest mask).
///
/// # Examples
/// ```
/// let l = course::learning::interval_labelings(&[0.0, 1.0, 2.0]);
/// assert_eq!(course::learning::missing_labeling(&l, 3), Some(0b101));
/// ```
pub fn missing_labeling(labelings: &BTreeSet<u64>, n: usize) -> Option<u64> {
    check_size("missing_labeling", n);
    (0..1u64 << n).find(|m| !labelings.contains(m))
}

/// True if `labelings` contains all $2^n$ labelings of `n` points.
///
/// # Examples
/// ```
/// let l = course::learning::interval_labelings(&[0.0, 1.0]);
/// assert!(course::learning::is_shattered(&l, 2));
/// ```
pub fn is_shattered(labelings: &BTreeSet<u64>, n: usize) -> bool {
    missing_labeling(labelings, n).is_none()
}

/// The binomial coefficient $\binom nk$ (exact in `u64` for the sizes used here).
///
/// # Examples
/// ```
/// assert_eq!(course::learning::binomial(10, 3), 120);
/// assert_eq!(course::learning::binomial(3, 5), 0);
/// ```
pub fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    (0..k).fold(1u64, |acc, i| acc * (n - i) / (i + 1))
}

/// The Sauer–Shelah bound $\sum_{i=0}^{d}\binom ni$ on the number of labelings of `n` points by a
/// class of VC dimension `d`.
///
/// # Examples
/// ```
/// assert_eq!(course::learning::sauer_shelah(4, 3), 15);
/// assert_eq!(course::learning::sauer_shelah(3, 5), 8); // n ≤ d: all 2ⁿ
/// ```
pub fn sauer_shelah(n: u64, d: u64) -> u64 {
    (0..=d).map(|i| binomial(n, i)).sum()
}

fn mask(labels: impl Iterator<Item = bool>) -> u64 {
    labels.enumerate().fold(0, |m, (i, l)| if l { m | 1 << i } else { m })
}

fn check_size(what: &str, n: usize) {
    assert!(n <= 63, "{what}: at most 63 points (labelings are u64 bit masks), got {n}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{RngExt, seeded};

    #[test]
    fn intervals_count_equals_sauer_shelah_with_d_2() {
        let mut rng = seeded(1);
        for n in 0..12u64 {
            let xs: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            assert_eq!(interval_labelings(&xs).len() as u64, sauer_shelah(n, 2), "n = {n}");
        }
    }

    #[test]
    fn halfplanes_match_cover_in_general_position() {
        let mut rng = seeded(2);
        for n in 1..12usize {
            let pts: Vec<[f64; 2]> = (0..n).map(|_| [rng.random::<f64>(), rng.random::<f64>()]).collect();
            let count = halfplane_labelings(&pts).len();
            assert_eq!(count, n * n - n + 2, "n = {n}");
            assert!(count as u64 <= sauer_shelah(n as u64, 3));
        }
    }

    #[test]
    fn halfplanes_agree_with_a_dense_angle_grid() {
        // independent brute force: 20 000 directions, every threshold
        let pts = [[0.1, 0.3], [0.8, 0.2], [0.5, 0.9], [0.4, 0.45], [0.9, 0.7]];
        let mut dense = BTreeSet::new();
        for k in 0..20_000 {
            let th = 2.0 * PI * k as f64 / 20_000.0;
            let proj: Vec<f64> = pts.iter().map(|p| th.cos() * p[0] + th.sin() * p[1]).collect();
            for &c in proj.iter().chain([f64::NEG_INFINITY, f64::INFINITY].iter()) {
                dense.insert(mask(proj.iter().map(|&v| v > c)));
                dense.insert(mask(proj.iter().map(|&v| v >= c)));
            }
        }
        assert_eq!(halfplane_labelings(&pts), dense);
    }

    #[test]
    fn three_collinear_points_are_not_shattered() {
        let l = halfplane_labelings(&[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]);
        assert_eq!(missing_labeling(&l, 3), Some(0b010)); // the middle point alone
        assert_eq!(l.len(), 6);
    }

    #[test]
    #[should_panic(expected = "points must be distinct")]
    fn duplicate_points_panic() {
        halfplane_labelings(&[[0.0, 0.0], [0.0, 0.0]]);
    }
}
