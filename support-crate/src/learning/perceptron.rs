//! The perceptron (Rosenblatt 1958) and Novikoff's mistake bound.
//!
//! On a mistake, $y_i\langle w, x_i\rangle \le 0$, update $w \leftarrow w + y_i x_i$.
//! If some unit vector $w^\*$ separates the data with margin
//! $\gamma = \min_i y_i\langle w^\*, x_i\rangle > 0$ and $R = \max_i\lVert x_i\rVert$, then the
//! perceptron makes at most $(R/\gamma)^2$ mistakes, in any order of presentation:
//! $\langle w_k, w^\*\rangle \ge k\gamma$ and $\lVert w_k\rVert^2 \le kR^2$ after $k$ mistakes, so
//! $k\gamma \le \sqrt k R$.
//!
//! ## Reference
//! Novikoff (1962), *On convergence proofs for perceptrons*; Shalev-Shwartz & Ben-David,
//! *Understanding Machine Learning*, §9.1.2.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb.

use ndarray::{Array1, Array2, ArrayView1};

/// A trained perceptron (through the origin: append a constant feature for a bias).
///
/// # Examples
/// ```
/// use ndarray::array;
/// use course::learning::Perceptron;
/// let x = array![[1.0, 1.0], [2.0, 0.5], [-1.0, -1.0], [-0.5, -2.0]];
/// let y = [1.0, 1.0, -1.0, -1.0];
/// let p = Perceptron::fit(&x, &y, 100);
/// assert!(p.converged);
/// assert_eq!(p.predict(&x), y.to_vec());
/// assert_eq!(p.mistakes, 1); // the first point is a mistake (w = 0), then all are right
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Perceptron {
    /// The weight vector.
    pub w: Array1<f64>,
    /// Total number of updates (mistakes) made.
    pub mistakes: usize,
    /// Passes over the data made.
    pub epochs: usize,
    /// True if the last pass made no mistake (the data are separated).
    pub converged: bool,
    /// Cumulative mistakes after each pass.
    pub mistakes_per_epoch: Vec<usize>,
}

impl Perceptron {
    /// Runs the perceptron over the rows of `x` in order, pass after pass, until a pass makes
    /// no mistake or `max_epochs` passes are done.
    ///
    /// # Panics
    /// If `y` does not have one label per row, a label is not ±1, or `max_epochs == 0`.
    pub fn fit(x: &Array2<f64>, y: &[f64], max_epochs: usize) -> Self {
        check_labels("Perceptron::fit", x, y);
        assert!(max_epochs > 0, "Perceptron::fit: max_epochs must be > 0");
        let mut w = Array1::zeros(x.ncols());
        let (mut mistakes, mut epochs, mut converged) = (0, 0, false);
        let mut mistakes_per_epoch = Vec::new();
        while epochs < max_epochs && !converged {
            let before = mistakes;
            for (xi, &yi) in x.rows().into_iter().zip(y) {
                if yi * w.dot(&xi) <= 0.0 {
                    w.scaled_add(yi, &xi);
                    mistakes += 1;
                }
            }
            epochs += 1;
            converged = mistakes == before;
            mistakes_per_epoch.push(mistakes);
        }
        Perceptron { w, mistakes, epochs, converged, mistakes_per_epoch }
    }

    /// Predicted labels $\operatorname{sign}\langle w, x_i\rangle$ (0 maps to −1).
    ///
    /// # Panics
    /// If `x` has the wrong number of columns.
    pub fn predict(&self, x: &Array2<f64>) -> Vec<f64> {
        assert_eq!(
            x.ncols(),
            self.w.len(),
            "Perceptron::predict: x must have {} columns, got {}",
            self.w.len(),
            x.ncols()
        );
        x.rows().into_iter().map(|r| if self.w.dot(&r) > 0.0 { 1.0 } else { -1.0 }).collect()
    }
}

/// The margin $\min_i y_i\langle w, x_i\rangle/\lVert w\rVert$ of the separator `w` (negative if
/// it misclassifies a point).
///
/// # Panics
/// If `w` is zero or its length differs from the number of columns.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[3.0, 0.0], [-1.0, 5.0]];
/// assert_eq!(course::learning::margin(&x, &[1.0, -1.0], array![2.0, 0.0].view()), 1.0);
/// ```
pub fn margin(x: &Array2<f64>, y: &[f64], w: ArrayView1<f64>) -> f64 {
    check_labels("margin", x, y);
    assert_eq!(w.len(), x.ncols(), "margin: w must have {} entries, got {}", x.ncols(), w.len());
    let norm = w.dot(&w).sqrt();
    assert!(norm > 0.0, "margin: w must be non-zero");
    x.rows().into_iter().zip(y).map(|(r, &yi)| yi * w.dot(&r) / norm).fold(f64::INFINITY, f64::min)
}

/// The radius $R = \max_i\lVert x_i\rVert$ of the data.
///
/// # Examples
/// ```
/// assert_eq!(course::learning::radius(&ndarray::array![[3.0, 4.0], [1.0, 0.0]]), 5.0);
/// ```
pub fn radius(x: &Array2<f64>) -> f64 {
    x.rows().into_iter().map(|r| r.dot(&r).sqrt()).fold(0.0, f64::max)
}

/// Novikoff's bound $(R/\gamma)^2$ on the number of perceptron mistakes, for the separator `w`.
///
/// # Panics
/// If `w` does not separate the data (margin <= 0), is zero, or has the wrong length.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[3.0, 0.0], [-1.0, 5.0]];
/// // R = √26, γ = 1 for w = (1, 0): at most 26 mistakes.
/// assert!((course::learning::novikoff_bound(&x, &[1.0, -1.0], array![1.0, 0.0].view()) - 26.0).abs() < 1e-12);
/// ```
pub fn novikoff_bound(x: &Array2<f64>, y: &[f64], w: ArrayView1<f64>) -> f64 {
    let gamma = margin(x, y, w);
    assert!(gamma > 0.0, "novikoff_bound: w must separate the data (margin > 0), got margin {gamma}");
    (radius(x) / gamma).powi(2)
}

fn check_labels(what: &str, x: &Array2<f64>, y: &[f64]) {
    assert_eq!(y.len(), x.nrows(), "{what}: need one label per row of x ({}), got {}", x.nrows(), y.len());
    if let Some((i, v)) = y.iter().enumerate().find(|(_, v)| **v != 1.0 && **v != -1.0) {
        panic!("{what}: labels must be +1 or -1, got y[{i}] = {v}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistakes_never_exceed_the_novikoff_bound_over_many_data_sets() {
        for seed in 0..40 {
            let mut rng = crate::rng::seeded(seed);
            let (x, y, w_star) = crate::data::separable_2d(&mut rng, 200, 0.05 + 0.005 * seed as f64);
            let p = Perceptron::fit(&x, &y, 10_000);
            assert!(p.converged);
            assert_eq!(p.predict(&x), y);
            let bound = novikoff_bound(&x, &y, w_star.view());
            assert!(p.mistakes as f64 <= bound, "seed {seed}: {} > {bound}", p.mistakes);
        }
    }

    #[test]
    fn non_separable_data_does_not_converge() {
        // XOR is not linearly separable (with or without bias).
        let x = ndarray::array![[1.0, 1.0, 1.0], [-1.0, -1.0, 1.0], [1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]];
        let p = Perceptron::fit(&x, &[1.0, 1.0, -1.0, -1.0], 50);
        assert!(!p.converged);
        assert_eq!(p.epochs, 50);
    }

    #[test]
    #[should_panic(expected = "labels must be +1 or -1, got y[1] = 0")]
    fn zero_label_is_rejected() {
        let _ = Perceptron::fit(&ndarray::array![[1.0], [2.0]], &[1.0, 0.0], 1);
    }
}
