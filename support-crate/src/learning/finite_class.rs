//! Generalization of a finite hypothesis class: Hoeffding's inequality plus the union bound.
//!
//! For a loss in $[0,1]$ and one fixed $h$, Hoeffding gives
//! $\Pr\big[|L_S(h) - L_{\mathcal D}(h)| > \varepsilon\big] \le 2e^{-2n\varepsilon^2}$. A union bound over the
//! $|\mathcal H|$ hypotheses makes it uniform: with probability at least $1-\delta$ over the sample,
//! $$\sup_{h\in\mathcal H}|L_S(h) - L_{\mathcal D}(h)| \le \varepsilon(n) = \sqrt{\frac{\ln(2|\mathcal H|/\delta)}{2n}} .$$
//! The test bed is the class of **threshold classifiers** $h_t(x) = \mathbb 1[x > t]$ with $t$ on a
//! grid of $[0,1]$, data $x\sim U[0,1]$ labelled by $\mathbb 1[x>\theta]$ and flipped with probability
//! $\eta$, for which the true risk is exact: $L_{\mathcal D}(h_t) = \eta + (1-2\eta)|t-\theta|$.
//!
//! ## Reference
//! S. Shalev-Shwartz & S. Ben-David, *Understanding Machine Learning* (2014), ch. 2–4
//! (Corollary 4.6); M. Mohri, A. Rostamizadeh, A. Talwalkar, *Foundations of Machine Learning*
//! (2nd ed., 2018), §2.3.
//!
//! Used in notebooks/13-generalization-and-implicit-bias.ipynb.

use crate::rng::Rng;
use rand::RngExt;

/// The uniform deviation bound $\varepsilon = \sqrt{\ln(2|\mathcal H|/\delta)/(2n)}$.
///
/// # Panics
/// If `n_hypotheses == 0`, `n == 0` or `delta` is not in $(0, 1)$.
///
/// # Examples
/// ```
/// // |H| = 1, δ = 2/e: ε = √(1/(2n)).
/// let eps = course::learning::hoeffding_union_bound(1, 50, 2.0 / std::f64::consts::E);
/// assert!((eps - 0.1).abs() < 1e-12);
/// ```
pub fn hoeffding_union_bound(n_hypotheses: usize, n: usize, delta: f64) -> f64 {
    assert!(n_hypotheses > 0, "hoeffding_union_bound: n_hypotheses must be > 0, got 0");
    assert!(n > 0, "hoeffding_union_bound: n must be > 0, got 0");
    assert!(delta > 0.0 && delta < 1.0, "hoeffding_union_bound: delta must be in (0, 1), got {delta}");
    ((2.0 * n_hypotheses as f64 / delta).ln() / (2.0 * n as f64)).sqrt()
}

/// Thresholds on a grid of $[0,1]$, target $\theta$, label noise $\eta$ (see the module docs).
///
/// # Examples
/// ```
/// let p = course::learning::ThresholdProblem::new(0.3, 0.1, 11);
/// assert_eq!(p.thresholds().len(), 11);
/// assert!((p.true_risk(0.5) - (0.1 + 0.8 * 0.2)).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThresholdProblem {
    /// The target threshold $\theta\in[0,1]$.
    pub theta: f64,
    /// Label-flip probability $\eta\in[0,\frac12)$.
    pub noise: f64,
    /// Number of grid thresholds $|\mathcal H|$ (the grid is $k/(|\mathcal H|-1)$).
    pub n_grid: usize,
}

impl ThresholdProblem {
    /// A threshold problem.
    ///
    /// # Panics
    /// If `theta` is not in $[0,1]$, `noise` not in $[0, \frac12)$, or `n_grid < 2`.
    pub fn new(theta: f64, noise: f64, n_grid: usize) -> Self {
        assert!((0.0..=1.0).contains(&theta), "ThresholdProblem: theta must be in [0, 1], got {theta}");
        assert!((0.0..0.5).contains(&noise), "ThresholdProblem: noise must be in [0, 0.5), got {noise}");
        assert!(n_grid >= 2, "ThresholdProblem: n_grid must be >= 2, got {n_grid}");
        ThresholdProblem { theta, noise, n_grid }
    }

    /// The grid $t_k = k/(|\mathcal H|-1)$.
    pub fn thresholds(&self) -> Vec<f64> {
        crate::linspace(0.0, 1.0, self.n_grid)
    }

    /// $L_{\mathcal D}(h_t) = \eta + (1-2\eta)|t-\theta|$.
    pub fn true_risk(&self, t: f64) -> f64 {
        self.noise + (1.0 - 2.0 * self.noise) * (t - self.theta).abs()
    }

    /// `n` labelled points: $x\sim U[0,1]$, $y = \mathbb 1[x>\theta]$ flipped with probability $\eta$.
    ///
    /// # Examples
    /// ```
    /// let p = course::learning::ThresholdProblem::new(0.5, 0.0, 3);
    /// let (x, y) = p.sample(&mut course::rng::seeded(1), 100);
    /// assert!(x.iter().zip(&y).all(|(xi, &yi)| (*xi > 0.5) == yi));
    /// ```
    pub fn sample(&self, rng: &mut impl Rng, n: usize) -> (Vec<f64>, Vec<bool>) {
        let x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let y = x.iter().map(|&xi| (xi > self.theta) != (rng.random::<f64>() < self.noise)).collect();
        (x, y)
    }

    /// The empirical risks $L_S(h_t)$ of every grid threshold, in grid order
    /// (one sort and one sweep: $O(n\log n + |\mathcal H|)$).
    ///
    /// # Panics
    /// If `x` and `y` differ in length or are empty.
    ///
    /// # Examples
    /// ```
    /// let p = course::learning::ThresholdProblem::new(0.5, 0.0, 3); // t = 0, 0.5, 1
    /// let r = p.empirical_risks(&[0.2, 0.7], &[false, true]);
    /// assert_eq!(r, vec![0.5, 0.0, 0.5]);
    /// ```
    pub fn empirical_risks(&self, x: &[f64], y: &[bool]) -> Vec<f64> {
        assert_eq!(x.len(), y.len(), "empirical_risks: x and y must have the same length");
        assert!(!x.is_empty(), "empirical_risks: the sample must not be empty");
        let mut pts: Vec<(f64, bool)> = x.iter().copied().zip(y.iter().copied()).collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        // errors(t) = #{x ≤ t, y = 1} + #{x > t, y = 0}
        let mut errors = pts.iter().filter(|p| !p.1).count();
        let mut i = 0;
        self.thresholds()
            .into_iter()
            .map(|t| {
                while i < pts.len() && pts[i].0 <= t {
                    errors = if pts[i].1 { errors + 1 } else { errors - 1 };
                    i += 1;
                }
                errors as f64 / x.len() as f64
            })
            .collect()
    }

    /// The largest deviation $\sup_{h}|L_S(h) - L_{\mathcal D}(h)|$ on one fresh sample of size `n`.
    ///
    /// # Examples
    /// ```
    /// let p = course::learning::ThresholdProblem::new(0.3, 0.1, 21);
    /// let gap = p.max_gap(&mut course::rng::seeded(2), 10_000);
    /// assert!(gap < 0.03); // ≈ 1/√n
    /// ```
    pub fn max_gap(&self, rng: &mut impl Rng, n: usize) -> f64 {
        let (x, y) = self.sample(rng, n);
        let risks = self.empirical_risks(&x, &y);
        self.thresholds().iter().zip(&risks).map(|(&t, r)| (r - self.true_risk(t)).abs()).fold(0.0, f64::max)
    }

    /// Empirical risk minimization: the first grid threshold of smallest empirical risk.
    ///
    /// # Examples
    /// ```
    /// let p = course::learning::ThresholdProblem::new(0.5, 0.0, 11);
    /// assert_eq!(p.erm(&[0.1, 0.45, 0.55, 0.9], &[false, false, true, true]), 0.5);
    /// ```
    pub fn erm(&self, x: &[f64], y: &[bool]) -> f64 {
        let risks = self.empirical_risks(x, y);
        let k = (0..risks.len()).fold(0, |best, k| if risks[k] < risks[best] { k } else { best });
        self.thresholds()[k]
    }
}

/// `n_draws` independent samples of size `n`: the sup-deviation of each (seeded by `seed`).
///
/// # Examples
/// ```
/// let p = course::learning::ThresholdProblem::new(0.3, 0.1, 11);
/// let gaps = course::learning::gap_draws(&p, 200, 100, 7);
/// let eps = course::learning::hoeffding_union_bound(11, 200, 0.05);
/// assert!(gaps.iter().filter(|&&g| g > eps).count() <= 5); // at most δ of the draws
/// ```
pub fn gap_draws(problem: &ThresholdProblem, n: usize, n_draws: usize, seed: u64) -> Vec<f64> {
    let mut rng = crate::rng::seeded(seed);
    (0..n_draws).map(|_| problem.max_gap(&mut rng, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_matches_direct_count() {
        let p = ThresholdProblem::new(0.4, 0.2, 37);
        let (x, y) = p.sample(&mut crate::rng::seeded(3), 101);
        let fast = p.empirical_risks(&x, &y);
        for (t, r) in p.thresholds().iter().zip(&fast) {
            let direct = x.iter().zip(&y).filter(|(xi, yi)| (**xi > *t) != **yi).count() as f64 / 101.0;
            assert!((r - direct).abs() < 1e-15);
        }
    }

    #[test]
    fn true_risk_matches_a_large_sample() {
        let p = ThresholdProblem::new(0.3, 0.15, 11);
        let (x, y) = p.sample(&mut crate::rng::seeded(4), 400_000);
        for (t, r) in p.thresholds().iter().zip(p.empirical_risks(&x, &y)) {
            assert!((r - p.true_risk(*t)).abs() < 4.0 * (0.25f64 / 400_000.0).sqrt(), "t = {t}");
        }
    }

    #[test]
    fn single_hypothesis_hoeffding_holds() {
        // |H| = 2 (t = 0 and 1); the bound must hold in at least 1 − δ of the draws.
        let p = ThresholdProblem::new(0.5, 0.1, 2);
        let gaps = gap_draws(&p, 50, 2000, 5);
        let eps = hoeffding_union_bound(2, 50, 0.1);
        assert!(gaps.iter().filter(|&&g| g > eps).count() as f64 / 2000.0 <= 0.1);
    }

    #[test]
    #[should_panic(expected = "delta must be in (0, 1)")]
    fn bad_delta_panics() {
        hoeffding_union_bound(3, 10, 1.5);
    }
}
