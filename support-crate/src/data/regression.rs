//! One-dimensional regression data $y = f(x) + \sigma z$.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// `n` points $x_i \sim U[-1, 1]$ with labels $y_i = f(x_i) + \sigma z_i$, $z_i\sim\mathcal N(0,1)$.
///
/// # Panics
/// If `noise_std < 0` or is not finite.
///
/// # Examples
/// ```
/// let (x, y) = course::data::regression_1d(&mut course::rng::seeded(1), 100, 0.0, |x| 2.0 * x);
/// assert!(x.iter().zip(&y).all(|(x, y)| *y == 2.0 * x));
/// assert!(x.iter().all(|x| (-1.0..1.0).contains(x)));
/// ```
pub fn regression_1d(
    rng: &mut impl Rng,
    n: usize,
    noise_std: f64,
    target: impl Fn(f64) -> f64,
) -> (Vec<f64>, Vec<f64>) {
    assert!(
        noise_std >= 0.0 && noise_std.is_finite(),
        "regression_1d: noise_std must be finite and >= 0, got {noise_std}"
    );
    let mut xs = Vec::with_capacity(n);
    let mut ys = Vec::with_capacity(n);
    for _ in 0..n {
        let x: f64 = rng.random_range(-1.0..1.0);
        let z: f64 = StandardNormal.sample(rng);
        xs.push(x);
        ys.push(target(x) + noise_std * z);
    }
    (xs, ys)
}

/// `n` points on the line $y = a + bx$ plus noise, $x$ equally spaced on $[0, 1]$: the
/// welcome notebook's first fit.
///
/// # Examples
/// ```
/// let (x, y) = course::data::noisy_line(&mut course::rng::seeded(2), 5, 1.0, 2.0, 0.0);
/// assert_eq!(x, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
/// assert_eq!(y, vec![1.0, 1.5, 2.0, 2.5, 3.0]);
/// ```
pub fn noisy_line(rng: &mut impl Rng, n: usize, intercept: f64, slope: f64, noise_std: f64) -> (Vec<f64>, Vec<f64>) {
    assert!(
        noise_std >= 0.0 && noise_std.is_finite(),
        "noisy_line: noise_std must be finite and >= 0, got {noise_std}"
    );
    let xs = crate::linspace(0.0, 1.0, n);
    let ys = xs
        .iter()
        .map(|&x| {
            let z: f64 = StandardNormal.sample(rng);
            intercept + slope * x + noise_std * z
        })
        .collect();
    (xs, ys)
}
