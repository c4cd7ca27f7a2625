//! Linearly separable points in the plane, with a guaranteed margin.

use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};

/// `n` points uniform in $[-1,1]^2$, labelled by a random unit normal $w^\*$ through the origin,
/// keeping only points with $|\langle w^\*, x\rangle| \ge$ `margin`. Returns `(x, y, w_star)`;
/// $w^\*$ separates the data with margin at least `margin`.
///
/// # Panics
/// If `margin` is not in `[0, 0.5]` (larger margins leave too little of the square).
///
/// # Examples
/// ```
/// let (x, y, w) = course::data::separable_2d(&mut course::rng::seeded(3), 100, 0.1);
/// assert_eq!((x.nrows(), y.len()), (100, 100));
/// assert!(course::learning::margin(&x, &y, w.view()) >= 0.1);
/// ```
pub fn separable_2d(rng: &mut impl Rng, n: usize, margin: f64) -> (Array2<f64>, Vec<f64>, Array1<f64>) {
    assert!((0.0..=0.5).contains(&margin), "separable_2d: margin must be in [0, 0.5], got {margin}");
    let angle: f64 = rng.random_range(0.0..std::f64::consts::TAU);
    let w = Array1::from(vec![angle.cos(), angle.sin()]);
    let mut x = Array2::zeros((n, 2));
    let mut y = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let p = [rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
        let s = w[0] * p[0] + w[1] * p[1];
        if s.abs() >= margin && s != 0.0 {
            x[[i, 0]] = p[0];
            x[[i, 1]] = p[1];
            y.push(s.signum());
            i += 1;
        }
    }
    (x, y, w)
}
