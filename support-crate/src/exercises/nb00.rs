//! Exercises of notebooks/00-welcome.ipynb.

use super::{Feedback, close, vec_close};
use ndarray::Array1;

/// Exercise 00.1: the row sums $A\mathbf 1$ of the 4 × 3 matrix $a_{ij} = i + 2j$ (indices from 0).
///
/// # Examples
/// ```
/// let f = course::exercises::nb00::check_q1(&ndarray::array![6.0, 9.0, 12.0, 15.0]);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(row_sums: &Array1<f64>) -> Feedback {
    let ex = "00.1";
    let expected: Vec<f64> = (0..4).map(|i| (0..3).map(|j| (i + 2 * j) as f64).sum()).collect();
    let answer = row_sums.to_vec();
    if vec_close(&answer, &expected, 1e-12) {
        return Feedback::correct(ex, "A·1 adds up each row: 3i + 6 for row i.");
    }
    let column_sums: Vec<f64> = (0..3).map(|j| (0..4).map(|i| (i + 2 * j) as f64).sum()).collect();
    if vec_close(&answer, &column_sums, 1e-12) {
        return Feedback::wrong(ex, "these are the column sums Aᵀ·1; multiply A (4 × 3) by a vector of three ones.");
    }
    let one_based: Vec<f64> = (1..=4).map(|i| (1..=3).map(|j| (i + 2 * j) as f64).sum()).collect();
    if vec_close(&answer, &one_based, 1e-12) {
        return Feedback::wrong(ex, "these are the sums for indices starting at 1; ndarray (like NumPy) counts from 0.");
    }
    if answer.len() != 4 {
        return Feedback::wrong(ex, format!("A·1 has one entry per row of A, so 4 entries; got {}.", answer.len()));
    }
    Feedback::wrong(ex, format!("expected {expected:?}, got {answer:?}. Print A first and check a few entries by hand."))
}

/// Exercise 00.2: the least-squares line $y \approx a + bx$ through `(x, y)` from the
/// closed form $b = \operatorname{cov}(x,y)/\operatorname{var}(x)$, $a = \bar y - b\bar x$.
///
/// # Panics
/// If `x` and `y` differ in length or have fewer than two points.
///
/// # Examples
/// ```
/// let f = course::exercises::nb00::check_q2(&[0.0, 1.0, 2.0], &[1.0, 3.0, 5.0], 1.0, 2.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(x: &[f64], y: &[f64], intercept: f64, slope: f64) -> Feedback {
    let ex = "00.2";
    assert_eq!(x.len(), y.len(), "check_q2: x and y differ in length, {} and {}", x.len(), y.len());
    assert!(x.len() >= 2, "check_q2: need at least two points");
    let (xm, ym) = (crate::stats::mean(x), crate::stats::mean(y));
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - xm) * (b - ym)).sum();
    let sxx: f64 = x.iter().map(|a| (a - xm).powi(2)).sum();
    let (b, a) = (sxy / sxx, ym - sxy / sxx * xm);
    let ok = |u: f64, v: f64| close(u, v, 1e-9) || (u - v).abs() < 1e-12;
    if ok(intercept, a) && ok(slope, b) {
        return Feedback::correct(ex, format!("intercept {a:.4}, slope {b:.4}: the residuals sum to zero and are uncorrelated with x."));
    }
    if ok(intercept, b) && ok(slope, a) {
        return Feedback::wrong(ex, "intercept and slope are swapped: the call is check_q2(&x, &y, intercept, slope).");
    }
    if ok(slope, b) {
        return Feedback::wrong(ex, format!("the slope is right; the intercept should be ȳ − b·x̄ = {a:.4}, got {intercept:.4}."));
    }
    Feedback::wrong(ex, format!("expected slope cov(x,y)/var(x) = {b:.4}, got {slope:.4}. Did you centre both x and y?"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_recognizes_the_usual_slips() {
        assert!(check_q1(&array![6.0, 9.0, 12.0, 15.0]).is_correct());
        assert!(check_q1(&array![6.0, 14.0, 22.0]).message.contains("column sums"));
        assert!(check_q1(&array![15.0, 18.0, 21.0, 24.0]).message.contains("start"));
        assert!(check_q1(&array![1.0, 2.0]).message.contains("4 entries"));
    }

    #[test]
    fn q2_agrees_with_least_squares_and_spots_swaps() {
        let (x, y) = crate::data::noisy_line(&mut crate::rng::seeded(9), 30, 1.0, -2.0, 0.5);
        let xm = ndarray::Array2::from_shape_fn((30, 2), |(i, j)| if j == 0 { 1.0 } else { x[i] });
        let w = crate::learning::lstsq_qr(&xm, &Array1::from(y.clone())).unwrap();
        assert!(check_q2(&x, &y, w[0], w[1]).is_correct());
        assert!(check_q2(&x, &y, w[1], w[0]).message.contains("swapped"));
        assert!(!check_q2(&x, &y, w[0] + 0.1, w[1]).is_correct());
    }
}
