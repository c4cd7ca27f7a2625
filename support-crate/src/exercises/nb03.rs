//! Exercises of notebooks/03-compression-and-low-rank.ipynb.

use super::{Feedback, close};
use crate::linalg::{eckart_young_frobenius, svd, svt};
use ndarray::{Array1, Array2};

/// Exercise 03.1: the smallest rank `k` whose best approximation has relative Frobenius error
/// $\lVert A-A_k\rVert_F/\lVert A\rVert_F\le$ `tol`, from the singular values `s` (descending).
///
/// # Panics
/// If `s` is empty or all zero, or `tol` is not in $(0, 1)$.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // ‖A‖_F² = 16 + 4 + 1 = 21; keeping 2 terms leaves √(1/21) ≈ 0.22.
/// let s = array![4.0, 2.0, 1.0];
/// assert!(course::exercises::nb03::check_q1(&s, 0.25, 2).is_correct());
/// ```
pub fn check_q1(s: &Array1<f64>, tol: f64, k: usize) -> Feedback {
    let ex = "03.1";
    assert!(tol > 0.0 && tol < 1.0, "check_q1: tol must be in (0, 1), got {tol}");
    let total = eckart_young_frobenius(s, 0);
    assert!(total > 0.0, "check_q1: s must have a nonzero singular value");
    let smallest = |err: &dyn Fn(usize) -> f64| (0..=s.len()).find(|&j| err(j) <= tol).expect("k = len has error 0");
    let expected = smallest(&|j| eckart_young_frobenius(s, j) / total);
    if k == expected {
        return Feedback::correct(ex, format!(
            "rank {k} keeps the relative error at {:.4} <= {tol} (rank {} gives {:.4}).",
            eckart_young_frobenius(s, k) / total,
            k.saturating_sub(1),
            eckart_young_frobenius(s, k.saturating_sub(1)) / total
        ));
    }
    let spectral = smallest(&|j| s.get(j).copied().unwrap_or(0.0) / s[0]);
    let squared = smallest(&|j| (eckart_young_frobenius(s, j) / total).powi(2));
    let l1 = smallest(&|j| s.iter().skip(j).sum::<f64>() / s.sum());
    if k == squared {
        return Feedback::wrong(ex, "you compared the squared error (the energy left out) with tol: the Frobenius error is its square root.");
    }
    if k == spectral {
        return Feedback::wrong(ex, "that is the spectral-norm criterion σ_(k+1)/σ₁ ≤ tol; the Frobenius error is √(Σ_(j>k) σⱼ²)/‖A‖_F.");
    }
    if k == l1 {
        return Feedback::wrong(ex, "the Frobenius norm sums the squares σⱼ², not the σⱼ.");
    }
    if k + 1 == expected || k == expected + 1 {
        return Feedback::wrong(ex, format!(
            "off by one: with k terms kept the error is √(Σ_(j>k) σⱼ²), i.e. s[k..] in 0-based indexing. Rank {k} gives {:.4}.",
            eckart_young_frobenius(s, k) / total
        ));
    }
    Feedback::wrong(ex, format!("rank {k} gives relative error {:.4}; the smallest rank with error <= {tol} is different.", eckart_young_frobenius(s, k) / total))
}

/// Exercise 03.2: singular value thresholding $\operatorname{SVT}_\tau(Y) = U(\Sigma-\tau)_+V^\top$.
///
/// # Panics
/// If `tau` is negative.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let y = array![[3.0, 0.0], [0.0, 0.5]];
/// assert!(course::exercises::nb03::check_q2(&y, 1.0, &array![[2.0, 0.0], [0.0, 0.0]]).is_correct());
/// ```
pub fn check_q2(y: &Array2<f64>, tau: f64, answer: &Array2<f64>) -> Feedback {
    let ex = "03.2";
    assert!(tau >= 0.0, "check_q2: tau must be >= 0, got {tau}");
    if answer.dim() != y.dim() {
        return Feedback::wrong(ex, format!("SVT_τ(Y) has the shape of Y, {:?}; got {:?}.", y.dim(), answer.dim()));
    }
    let scale = y.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    let same = |b: &Array2<f64>| (b - answer).iter().all(|e| e.abs() <= 1e-9 * scale);
    if same(&svt(y, tau)) {
        return Feedback::correct(ex, "each σᵢ shrank by τ and the ones below τ vanished: the prox of τ‖·‖_*.");
    }
    let d = svd(y);
    let rebuild = |f: &dyn Fn(f64) -> f64| {
        let s = d.s.mapv(f);
        (&d.u * &s.view().insert_axis(ndarray::Axis(0))).dot(&d.vt)
    };
    if same(&rebuild(&|v| if v > tau { v } else { 0.0 })) {
        return Feedback::wrong(ex, "that is hard thresholding (keep σᵢ > τ unchanged); SVT also shrinks the kept ones: σᵢ − τ.");
    }
    if same(&rebuild(&|v| v - tau)) {
        return Feedback::wrong(ex, "σᵢ − τ goes negative for σᵢ < τ: clamp it, max(σᵢ − τ, 0).");
    }
    if same(&y.mapv(|v| v.signum() * (v.abs() - tau).max(0.0))) {
        return Feedback::wrong(ex, "you soft-thresholded the entries of Y; SVT thresholds its singular values (take the SVD first).");
    }
    Feedback::wrong(ex, "expected U · diag(max(σᵢ − τ, 0)) · Vᵀ from the SVD of Y.")
}

/// Exercise 03.3: the compression ratio $mn / (k(m+n+1))$ of storing a rank-`k` SVD of an
/// m × n image instead of its pixels.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb03::check_q3(100, 200, 10, 20000.0 / 3010.0).is_correct());
/// ```
pub fn check_q3(m: usize, n: usize, k: usize, ratio: f64) -> Feedback {
    let ex = "03.3";
    let (mf, nf, kf) = (m as f64, n as f64, k as f64);
    let expected = mf * nf / (kf * (mf + nf + 1.0));
    if close(ratio, expected, 1e-9) {
        return Feedback::correct(ex, format!("{k} triplets cost {} numbers instead of {}: {expected:.2} times less.", k * (m + n + 1), m * n));
    }
    if close(ratio, mf * nf / (kf * (mf + nf)), 1e-9) {
        return Feedback::wrong(ex, "you forgot to store the k singular values: each triplet is uᵢ (m), vᵢ (n) and σᵢ (1).");
    }
    if close(ratio, 1.0 / expected, 1e-9) {
        return Feedback::wrong(ex, "that is the stored fraction k(m + n + 1)/(mn); the ratio is pixels / stored numbers.");
    }
    Feedback::wrong(ex, format!("expected mn / (k(m + n + 1)) = {expected:.4}, got {ratio:.4}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        // σⱼ = 1/j decays slowly, so the criteria give clearly different ranks.
        let n = 200;
        let s: Array1<f64> = (1..=n).map(|j| 1.0 / j as f64).collect();
        let tol = 0.05;
        let total = eckart_young_frobenius(&s, 0);
        let right = (0..=n).find(|&j| eckart_young_frobenius(&s, j) / total <= tol).unwrap();
        assert!(check_q1(&s, tol, right).is_correct());
        let squared = (0..=n).find(|&j| (eckart_young_frobenius(&s, j) / total).powi(2) <= tol).unwrap();
        assert!(check_q1(&s, tol, squared).message.contains("square root"));
        let spectral = (0..=n).find(|&j| s.get(j).copied().unwrap_or(0.0) <= tol).unwrap();
        assert!(check_q1(&s, tol, spectral).message.contains("spectral"));
        assert!(check_q1(&s, tol, right + 1).message.contains("off by one"));
        assert!(check_q1(&s, tol, right - 1).message.contains("off by one"));
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let mut rng = crate::rng::seeded(301);
        let y = Array2::from_shape_vec((6, 4), crate::rng::normal_vec(&mut rng, 24)).unwrap();
        let tau = 1.0;
        assert!(check_q2(&y, tau, &svt(&y, tau)).is_correct());
        let d = svd(&y);
        let hard = (&d.u * &d.s.mapv(|v| if v > tau { v } else { 0.0 }).insert_axis(ndarray::Axis(0))).dot(&d.vt);
        assert!(check_q2(&y, tau, &hard).message.contains("hard thresholding"));
        assert!(d.s.iter().any(|&v| v < tau), "the test needs a σ below τ");
        let unclamped = (&d.u * &d.s.mapv(|v| v - tau).insert_axis(ndarray::Axis(0))).dot(&d.vt);
        assert!(check_q2(&y, tau, &unclamped).message.contains("clamp"));
        let entrywise = y.mapv(|v| v.signum() * (v.abs() - tau).max(0.0));
        assert!(check_q2(&y, tau, &entrywise).message.contains("entries"));
    }

    #[test]
    fn q3_names_the_usual_slips() {
        assert!(check_q3(60, 80, 5, 4800.0 / 705.0).is_correct());
        assert!(check_q3(60, 80, 5, 4800.0 / 700.0).message.contains("singular values"));
        assert!(check_q3(60, 80, 5, 705.0 / 4800.0).message.contains("stored fraction"));
    }
}
