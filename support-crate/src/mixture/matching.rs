//! Scoring a clustering against known classes: the accuracy under the best relabelling.
//!
//! Cluster numbers are arbitrary, so a clustering $z$ is compared with classes $y$ after the
//! relabelling $\sigma$ (a permutation of the $K$ labels) that agrees most often:
//! $$\mathrm{acc}(z,y)=\max_{\sigma\in S_K}\frac1n\sum_{i=1}^n\mathbf 1\{\sigma(z_i)=y_i\},$$
//! found here by trying all $K!$ permutations (fine for $K\le8$; the Hungarian algorithm does it
//! in $O(K^3)$).
//!
//! ## Reference
//! C. Bishop, *Pattern Recognition and Machine Learning* (2006), §9.1; H. Kuhn (1955), *The
//! Hungarian method for the assignment problem*.
//!
//! Used in notebooks/19-hidden-variables-and-em.ipynb.

/// The best relabelling of a clustering and its accuracy (see [`cluster_accuracy`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterMatch {
    /// The fraction of points whose relabelled cluster equals their class.
    pub accuracy: f64,
    /// `mapping[c]` is the class that cluster `c` is relabelled to.
    pub mapping: Vec<usize>,
}

/// The accuracy of the clustering `labels` against the classes `truth` under the best of the
/// $K!$ relabellings, $K$ = the larger number of labels used on either side.
///
/// # Panics
/// If the lengths differ, they are empty, or $K > 8$.
///
/// # Examples
/// ```
/// // The clusters are the classes with the names 0 ↔ 2 swapped, and one point is wrong.
/// let m = course::mixture::cluster_accuracy(&[2, 2, 1, 0, 0, 1], &[0, 0, 1, 2, 2, 2]);
/// assert_eq!(m.mapping, vec![2, 1, 0]);
/// assert!((m.accuracy - 5.0 / 6.0).abs() < 1e-15);
/// ```
pub fn cluster_accuracy(labels: &[usize], truth: &[usize]) -> ClusterMatch {
    assert_eq!(labels.len(), truth.len(), "labels and truth must have the same length, got {} and {}", labels.len(), truth.len());
    assert!(!labels.is_empty(), "labels must not be empty");
    let k = labels.iter().chain(truth).max().expect("non-empty") + 1;
    assert!(k <= 8, "cluster_accuracy tries all K! relabellings: K must be <= 8, got {k}");
    // counts[c][y]: points in cluster c of class y.
    let mut counts = vec![vec![0usize; k]; k];
    for (&c, &y) in labels.iter().zip(truth) {
        counts[c][y] += 1;
    }
    let mut perm: Vec<usize> = (0..k).collect();
    let mut best = (0usize, perm.clone());
    permute(&mut perm, 0, &mut |p| {
        let agree: usize = (0..k).map(|c| counts[c][p[c]]).sum();
        if agree > best.0 {
            best = (agree, p.to_vec());
        }
    });
    ClusterMatch { accuracy: best.0 as f64 / labels.len() as f64, mapping: best.1 }
}

/// Calls `visit` on every permutation of `p[start..]` (by recursive swaps).
fn permute(p: &mut Vec<usize>, start: usize, visit: &mut impl FnMut(&[usize])) {
    if start == p.len() {
        visit(p);
        return;
    }
    for i in start..p.len() {
        p.swap(start, i);
        permute(p, start + 1, visit);
        p.swap(start, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn visits_every_permutation_once() {
        let mut seen = Vec::new();
        permute(&mut (0..4).collect(), 0, &mut |p| seen.push(p.to_vec()));
        assert_eq!(seen.len(), 24);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 24);
    }

    #[test]
    fn a_relabelled_truth_scores_one_and_the_mapping_undoes_it() {
        let truth: Vec<usize> = (0..60).map(|i| i % 4).collect();
        let relabel = [3, 0, 2, 1];
        let labels: Vec<usize> = truth.iter().map(|&y| relabel[y]).collect();
        let m = cluster_accuracy(&labels, &truth);
        assert_eq!(m.accuracy, 1.0);
        for (y, &c) in relabel.iter().enumerate() {
            assert_eq!(m.mapping[c], y);
        }
    }

    #[test]
    fn never_below_the_identity_and_finds_a_planted_shift() {
        let mut rng = crate::rng::seeded(5);
        for _ in 0..20 {
            let truth: Vec<usize> = (0..50).map(|_| rng.random_range(0..3)).collect();
            let labels: Vec<usize> = truth.iter().map(|&y| if rng.random::<f64>() < 0.8 { (y + 1) % 3 } else { rng.random_range(0..3) }).collect();
            let m = cluster_accuracy(&labels, &truth);
            let identity = labels.iter().zip(&truth).filter(|(a, b)| a == b).count() as f64 / 50.0;
            assert!(m.accuracy >= identity);
            // With 80 % of points shifted by one, the shift is the best relabelling.
            let shifted = labels.iter().zip(&truth).filter(|&(&a, &b)| (a + 2) % 3 == b).count() as f64 / 50.0;
            assert_eq!(m.accuracy, shifted);
        }
    }

    #[test]
    #[should_panic(expected = "labels and truth must have the same length, got 2 and 3")]
    fn rejects_mismatched_lengths() {
        cluster_accuracy(&[0, 1], &[0, 1, 1]);
    }
}
