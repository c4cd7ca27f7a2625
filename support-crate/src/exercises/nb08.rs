//! Exercises of notebooks/08-universal-approximation.ipynb.

use super::{Feedback, vec_close};
use crate::learning::{ShallowRelu, count_linear_pieces, sawtooth};

/// Exercise 08.1: the outer weights $a_0, \dots, a_{n-1}$ of the width-$n$ network
/// $y_0 + \sum_k a_k\,\mathrm{ReLU}(x - x_k)$ that interpolates `(knots, values)`.
///
/// # Panics
/// As [`ShallowRelu::interpolant`] (at least two strictly increasing knots, one value each).
///
/// # Examples
/// ```
/// // Slopes 2 then −0.5: a = (2, −2.5).
/// let f = course::exercises::nb08::check_q1(&[0.0, 1.0, 3.0], &[1.0, 3.0, 2.0], &[2.0, -2.5]);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(knots: &[f64], values: &[f64], a: &[f64]) -> Feedback {
    let ex = "08.1";
    let net = ShallowRelu::interpolant(knots, values);
    let n = net.width();
    let slopes: Vec<f64> = knots.windows(2).zip(values.windows(2)).map(|(x, y)| (y[1] - y[0]) / (x[1] - x[0])).collect();
    if a.len() == n && vec_close(a, &net.a, 1e-9) {
        return Feedback::correct(ex, format!("{n} units, one per interval: unit k switches on at x_k and changes the slope by a_k."));
    }
    if a.len() == n - 1 && vec_close(a, &net.a[1..], 1e-9) {
        return Feedback::wrong(ex, "the slope changes are right, but the first unit ReLU(x − x₀) must carry the initial slope s₀: prepend it.");
    }
    if a.len() != n {
        return Feedback::wrong(ex, format!("expected one weight per interval: {n} weights for {} knots, got {}.", knots.len(), a.len()));
    }
    if vec_close(a, &slopes, 1e-9) {
        return Feedback::wrong(ex, "these are the slopes s_k; unit k adds to the slope already there, so a_k = s_k − s_{k−1} (and a₀ = s₀).");
    }
    let neg: Vec<f64> = (0..n).map(|k| if k == 0 { slopes[0] } else { slopes[k - 1] - slopes[k] }).collect();
    if vec_close(a, &neg, 1e-9) {
        return Feedback::wrong(ex, "the differences have the wrong sign: a_k = s_k − s_{k−1} (new slope minus old).");
    }
    let dy: Vec<f64> = values.windows(2).map(|y| y[1] - y[0]).collect();
    let undivided: Vec<f64> = (0..n).map(|k| if k == 0 { dy[0] } else { dy[k] - dy[k - 1] }).collect();
    if vec_close(a, &undivided, 1e-9) {
        return Feedback::wrong(ex, "divide the differences of values by the knot spacing: s_k = (y_{k+1} − y_k)/(x_{k+1} − x_k).");
    }
    Feedback::wrong(ex, format!("expected a = {:?}, got {a:?}. Slopes are {slopes:?}.", net.a))
}

/// Exercise 08.2: the depth-`k` sawtooth written in the notebook as a function
/// `fn(usize, f64) -> f64` made of the tent layer $2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \frac12)$
/// composed `k` times. The check compares it with the library on a dyadic grid for
/// $k = 0..=8$ and counts its linear pieces ($2^k$).
///
/// # Examples
/// ```
/// fn saw(k: usize, x: f64) -> f64 {
///     let mut y = x;
///     for _ in 0..k { y = 2.0 * y.max(0.0) - 4.0 * (y - 0.5).max(0.0); }
///     y
/// }
/// assert!(course::exercises::nb08::check_q2(saw).is_correct());
/// ```
pub fn check_q2(saw: fn(usize, f64) -> f64) -> Feedback {
    let ex = "08.2";
    let m = 1usize << 11;
    let xs: Vec<f64> = (0..=m).map(|j| j as f64 / m as f64).collect();
    for k in 0..=8 {
        let ys: Vec<f64> = xs.iter().map(|&x| saw(k, x)).collect();
        let truth: Vec<f64> = xs.iter().map(|&x| sawtooth(k, x)).collect();
        if vec_close(&ys, &truth, 1e-12) {
            continue;
        }
        if let Some(y) = ys.iter().find(|y| !y.is_finite()) {
            return Feedback::wrong(ex, format!("depth {k}: your function returns {y}."));
        }
        let pieces = count_linear_pieces(&xs, &ys, 1e-9);
        if k >= 1 && pieces == 1 << (k - 1) && vec_close(&ys, &xs.iter().map(|&x| sawtooth(k - 1, x)).collect::<Vec<_>>(), 1e-12) {
            return Feedback::wrong(ex, format!("depth {k}: you composed the tent {} times; it must be applied exactly k times (k = 0 is the identity).", k - 1));
        }
        if vec_close(&ys, &xs.iter().map(|&x| sawtooth(k + 1, x)).collect::<Vec<_>>(), 1e-12) {
            return Feedback::wrong(ex, format!("depth {k}: you composed the tent {} times; it must be applied exactly k times (k = 0 is the identity).", k + 1));
        }
        let (lo, hi) = ys.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| (a.min(y), b.max(y)));
        if lo < -1e-12 || hi > 1.0 + 1e-12 {
            return Feedback::wrong(ex, format!(
                "depth {k}: values leave [0, 1] (range {lo:.3} .. {hi:.3}); the tent layer is 2·ReLU(x) − 4·ReLU(x − 1/2): it maps [0, 1] onto [0, 1], with slope 2 then −2."
            ));
        }
        return Feedback::wrong(ex, format!(
            "depth {k}: your function has {pieces} linear pieces on [0, 1] and differs from T^{k} (which has {}); check the tent layer 2·ReLU(x) − 4·ReLU(x − 1/2).",
            1usize << k
        ));
    }
    Feedback::correct(ex, "T^k matches for k = 0..8: 2k ReLUs in k layers, 2^k linear pieces (256 at depth 8, where a shallow net needs ≥ 255 units).")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_spots_slopes_signs_and_the_missing_first_unit() {
        let (knots, values) = ([0.0, 0.5, 2.0, 3.0], [1.0, 2.0, -1.0, 0.0]);
        let net = ShallowRelu::interpolant(&knots, &values);
        assert!(check_q1(&knots, &values, &net.a).is_correct());
        assert!(check_q1(&knots, &values, &net.a[1..]).message.contains("initial slope"));
        assert!(check_q1(&knots, &values, &[2.0, -2.0, 1.0]).message.contains("these are the slopes"));
        assert!(check_q1(&knots, &values, &[2.0, 4.0, -3.0]).message.contains("wrong sign"));
        assert!(check_q1(&knots, &values, &[1.0, -4.0, 4.0]).message.contains("divide"));
    }

    #[test]
    fn q2_accepts_the_composition_and_counts_off_by_one_depths() {
        fn right(k: usize, x: f64) -> f64 {
            sawtooth(k, x)
        }
        fn one_short(k: usize, x: f64) -> f64 {
            sawtooth(k.saturating_sub(1), x)
        }
        fn one_long(k: usize, x: f64) -> f64 {
            sawtooth(k + 1, x)
        }
        fn wrong_layer(k: usize, x: f64) -> f64 {
            (0..k).fold(x, |y, _| 2.0 * y.max(0.0) - 2.0 * (y - 0.5).max(0.0))
        }
        assert!(check_q2(right).is_correct());
        assert!(check_q2(one_short).message.contains("composed the tent 0 times"), "{}", check_q2(one_short).message);
        assert!(check_q2(one_long).message.contains("composed the tent 1 times"));
        assert!(check_q2(wrong_layer).message.contains("[0, 1]") || check_q2(wrong_layer).message.contains("tent layer"));
    }
}
