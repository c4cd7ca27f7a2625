//! Exercises of notebooks/01-perceptron-and-regression.ipynb.

use super::{Feedback, close, vec_close};
use ndarray::{Array1, Array2};

/// Exercise 01.1: Novikoff's bound $(R/\gamma)^2$ for the data `(x, y)` and the separator `w`
/// (not necessarily of unit length).
///
/// # Panics
/// If `w` does not separate the data (the bound is then undefined).
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[3.0, 0.0], [-1.0, 5.0]];
/// let f = course::exercises::nb01::check_q1(&x, &[1.0, -1.0], &array![2.0, 0.0], 26.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(x: &Array2<f64>, y: &[f64], w: &Array1<f64>, bound: f64) -> Feedback {
    let ex = "01.1";
    let expected = crate::learning::novikoff_bound(x, y, w.view());
    if close(bound, expected, 1e-9) {
        return Feedback::correct(ex, format!("(R/γ)² = {expected:.4}: the perceptron makes at most this many mistakes."));
    }
    let r = crate::learning::radius(x);
    let raw_margin = x.rows().into_iter().zip(y).map(|(row, yi)| yi * w.dot(&row)).fold(f64::INFINITY, f64::min);
    if close(bound, (r / raw_margin).powi(2), 1e-9) {
        return Feedback::wrong(ex, "γ must be measured with a unit vector: divide min yᵢ⟨w, xᵢ⟩ by ‖w‖.");
    }
    if close(bound, expected.sqrt(), 1e-9) {
        return Feedback::wrong(ex, "that is R/γ; the bound is its square.");
    }
    Feedback::wrong(ex, format!(
        "expected (R/γ)² = {expected:.4}, got {bound:.4}. R is the largest ‖xᵢ‖ ({r:.4}); γ the smallest yᵢ⟨w, xᵢ⟩/‖w‖."
    ))
}

/// Exercise 01.2: the ridge solution $(X^\top X + \lambda I)^{-1}X^\top y$ written by hand.
///
/// # Panics
/// If the shapes do not match or `lambda < 0`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let f = course::exercises::nb01::check_q2(&array![[1.0], [1.0]], &array![2.0, 2.0], 2.0, &array![1.0]);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(x: &Array2<f64>, y: &Array1<f64>, lambda: f64, w: &Array1<f64>) -> Feedback {
    let ex = "01.2";
    let expected = crate::learning::ridge(x, y, lambda).expect("ridge with lambda > 0 always has a solution");
    if w.len() != expected.len() {
        return Feedback::wrong(ex, format!("w has one entry per column of X: expected {}, got {}.", expected.len(), w.len()));
    }
    if vec_close(&w.to_vec(), &expected.to_vec(), 1e-8) {
        return Feedback::correct(ex, "w solves (XᵀX + λI) w = Xᵀy; its gradient Xᵀ(Xw − y) + λw vanishes.");
    }
    if let Ok(ls) = crate::learning::lstsq_qr(x, y) {
        if vec_close(&w.to_vec(), &ls.to_vec(), 1e-8) {
            return Feedback::wrong(ex, "this is plain least squares: add λ to the diagonal of XᵀX.");
        }
    }
    let grad = x.t().dot(&(x.dot(w) - y)) + w * lambda;
    let gnorm = grad.dot(&grad).sqrt();
    Feedback::wrong(ex, format!(
        "the gradient Xᵀ(Xw − y) + λw should vanish but has norm {gnorm:.3e}; expected w = {expected:.6}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_spots_unnormalized_and_unsquared_answers() {
        let (x, y, w) = crate::data::separable_2d(&mut crate::rng::seeded(4), 50, 0.1);
        let w3 = &w * 3.0;
        let truth = crate::learning::novikoff_bound(&x, &y, w.view());
        assert!(check_q1(&x, &y, &w3, truth).is_correct());
        assert!(check_q1(&x, &y, &w3, truth.sqrt()).message.contains("square"));
        let raw = x.rows().into_iter().zip(&y).map(|(r, yi)| yi * w3.dot(&r)).fold(f64::INFINITY, f64::min);
        let r = crate::learning::radius(&x);
        assert!(check_q1(&x, &y, &w3, (r / raw).powi(2)).message.contains("unit vector"));
    }

    #[test]
    fn q2_spots_a_missing_lambda() {
        let mut rng = crate::rng::seeded(5);
        let x = Array2::from_shape_vec((20, 3), crate::rng::normal_vec(&mut rng, 60)).unwrap();
        let y = Array1::from(crate::rng::normal_vec(&mut rng, 20));
        let w = crate::learning::ridge(&x, &y, 0.5).unwrap();
        assert!(check_q2(&x, &y, 0.5, &w).is_correct());
        let ls = crate::learning::lstsq_qr(&x, &y).unwrap();
        assert!(check_q2(&x, &y, 0.5, &ls).message.contains("plain least squares"));
    }
}
