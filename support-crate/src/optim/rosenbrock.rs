//! The Rosenbrock function, a curved narrow valley.
//!
//! $$f(x, y) = (a - x)^2 + b\,(y - x^2)^2,\qquad x^\star = (a, a^2),\ f^\star = 0 .$$
//! With the classic $a = 1$, $b = 100$ the valley floor $y = x^2$ is easy to find and hard to
//! follow: the Hessian at the minimum has condition number about 2500, and its eigenvectors
//! turn along the valley, so no fixed diagonal rescaling fits everywhere.
//!
//! ## Reference
//! H. H. Rosenbrock (1960), *An automatic method for finding the greatest or least value of a
//! function*; Nocedal & Wright, *Numerical Optimization* (2006), Exercise 2.1.
//!
//! Used in notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::Objective;
use ndarray::{Array1, array};

/// $f(x, y) = (a-x)^2 + b(y-x^2)^2$.
///
/// # Examples
/// ```
/// use course::optim::{Objective, Rosenbrock};
/// use ndarray::array;
/// let r = Rosenbrock::default(); // a = 1, b = 100
/// assert_eq!(r.value(&array![1.0, 1.0]), 0.0);
/// assert_eq!(r.value(&array![0.0, 0.0]), 1.0);
/// assert_eq!(r.gradient(&array![1.0, 1.0]), array![0.0, 0.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rosenbrock {
    /// Position of the minimum, $x^\star = (a, a^2)$.
    pub a: f64,
    /// Steepness of the valley walls.
    pub b: f64,
}

impl Default for Rosenbrock {
    fn default() -> Self {
        Rosenbrock { a: 1.0, b: 100.0 }
    }
}

impl Rosenbrock {
    /// The function with parameters `a` and `b`.
    ///
    /// # Panics
    /// If `b <= 0` or a parameter is not finite.
    pub fn new(a: f64, b: f64) -> Self {
        assert!(a.is_finite() && b.is_finite() && b > 0.0, "Rosenbrock::new: need finite a and b > 0, got a = {a}, b = {b}");
        Rosenbrock { a, b }
    }

    /// $f$ at the point $(x, y)$ (for heatmaps).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::optim::Rosenbrock::default().at(-1.0, 1.0), 4.0); // (1 − (−1))², on the valley floor
    /// ```
    pub fn at(&self, x: f64, y: f64) -> f64 {
        (self.a - x).powi(2) + self.b * (y - x * x).powi(2)
    }

    /// The minimizer $(a, a^2)$.
    pub fn minimizer(&self) -> Array1<f64> {
        array![self.a, self.a * self.a]
    }
}

impl Objective for Rosenbrock {
    fn value(&self, p: &Array1<f64>) -> f64 {
        assert_eq!(p.len(), 2, "Rosenbrock::value: the point must have 2 entries, got {}", p.len());
        self.at(p[0], p[1])
    }

    fn gradient(&self, p: &Array1<f64>) -> Array1<f64> {
        assert_eq!(p.len(), 2, "Rosenbrock::gradient: the point must have 2 entries, got {}", p.len());
        let (x, y) = (p[0], p[1]);
        array![-2.0 * (self.a - x) - 4.0 * self.b * x * (y - x * x), 2.0 * self.b * (y - x * x)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_central_differences() {
        let r = Rosenbrock::new(1.5, 20.0);
        for p in [array![-1.2, 1.0], array![0.3, 0.7], array![2.0, -1.0]] {
            let g = r.gradient(&p);
            for i in 0..2 {
                let mut e = Array1::zeros(2);
                e[i] = 1e-6;
                let fd = (r.value(&(&p + &e)) - r.value(&(&p - &e))) / 2e-6;
                assert!((fd - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()), "{fd} vs {}", g[i]);
            }
        }
        assert_eq!(r.gradient(&r.minimizer()), array![0.0, 0.0]);
    }
}
