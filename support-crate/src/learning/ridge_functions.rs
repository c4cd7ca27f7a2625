//! Universal approximation in several dimensions through ridge functions: each plane wave
//! $c\cos(\omega\cdot x + \varphi)$ is a function of one variable $z = \omega\cdot x$, and a shallow ReLU network
//! interpolates it along $z$.
//!
//! On the ball $\lVert x\rVert\le r$, $z$ stays in $[-\lVert\omega\rVert r, \lVert\omega\rVert r]$. The ReLU interpolant of
//! $g(z) = c\cos(z + \varphi)$ at $m + 1$ equally spaced knots (spacing $h = 2\lVert\omega\rVert r/m$) is a
//! width-$m$ network in $z$, hence in $x$ (units $\mathrm{ReLU}(\omega\cdot x - z_j)$), with sup error
//! $\le h^2\max\lvert g''\rvert/8 = \lvert c\rvert\,h^2/8$. A trigonometric polynomial $\sum_k c_k\cos(\omega_k\cdot x + \varphi_k)$
//! is therefore a width-$(Km + 1)$ network within
//! $$\varepsilon_m = \sum_k \frac{\lvert c_k\rvert\,(2\lVert\omega_k\rVert r)^2}{8m^2},$$
//! and since trigonometric polynomials are dense in $C(K)$ (Stone–Weierstrass), shallow ReLU networks
//! are dense too, in every dimension.
//!
//! ## Reference
//! A. Pinkus (1999), *Approximation theory of the MLP model in neural networks*, Acta Numerica 8,
//! §3–4 (density through ridge functions); G. Cybenko (1989); K. Hornik (1991).
//!
//! Used in notebooks/08-universal-approximation.ipynb.

use super::{Activation, ShallowRelu, TwoLayer};
use ndarray::{Array1, Array2};

/// One plane wave $c\cos(\omega\cdot x + \varphi)$.
#[derive(Clone, Debug, PartialEq)]
pub struct CosineRidge {
    /// The amplitude $c$.
    pub amplitude: f64,
    /// The frequency vector $\omega$.
    pub omega: Vec<f64>,
    /// The phase $\varphi$.
    pub phase: f64,
}

impl CosineRidge {
    /// The wave at every row of `x`.
    ///
    /// # Panics
    /// If `x` does not have `omega.len()` columns.
    ///
    /// # Examples
    /// ```
    /// use course::learning::CosineRidge;
    /// let g = CosineRidge { amplitude: 2.0, omega: vec![1.0, -1.0], phase: 0.0 };
    /// assert_eq!(g.eval(&ndarray::array![[0.5, 0.5]])[0], 2.0);
    /// ```
    pub fn eval(&self, x: &Array2<f64>) -> Array1<f64> {
        assert_eq!(x.ncols(), self.omega.len(), "CosineRidge::eval: x must have {} columns, got {}", self.omega.len(), x.ncols());
        x.dot(&Array1::from(self.omega.clone())).mapv(|z| self.amplitude * (z + self.phase).cos())
    }

    fn norm(&self) -> f64 {
        self.omega.iter().map(|w| w * w).sum::<f64>().sqrt()
    }
}

/// The shallow ReLU network (scale 1, one extra unit ReLU(1) = 1 carrying the constant) made of the
/// ReLU interpolants of every wave in `terms`, each at `knots` intervals over
/// $[-\lVert\omega\rVert r, \lVert\omega\rVert r]$, $r$ = `radius`; width `terms.len() · knots + 1`.
///
/// # Panics
/// If `terms` is empty, the waves differ in dimension, `knots == 0`, a frequency is zero, or
/// `radius` is not finite and > 0.
///
/// # Examples
/// ```
/// use course::learning::{CosineRidge, ridge_error_bound, ridge_network};
/// let terms = vec![CosineRidge { amplitude: 1.0, omega: vec![3.0, 2.0], phase: 0.5 }];
/// let net = ridge_network(&terms, 40, 1.5);
/// assert_eq!(net.width(), 41);
/// let x = ndarray::array![[0.3, -0.8], [1.0, 0.2]];
/// let err = (&net.predict(&x) - &terms[0].eval(&x)).mapv(f64::abs);
/// assert!(err.iter().all(|e| *e <= ridge_error_bound(&terms, 40, 1.5)));
/// ```
pub fn ridge_network(terms: &[CosineRidge], knots: usize, radius: f64) -> TwoLayer {
    check("ridge_network", terms, knots, radius);
    let d = terms[0].omega.len();
    let width = terms.len() * knots + 1;
    let mut w = Array2::zeros((width, d));
    let mut b = Array1::zeros(width);
    let mut a = Array1::zeros(width);
    let mut constant = 0.0;
    for (k, term) in terms.iter().enumerate() {
        let half = term.norm() * radius;
        let zs: Vec<f64> = (0..=knots).map(|j| -half + 2.0 * half * j as f64 / knots as f64).collect();
        let gs: Vec<f64> = zs.iter().map(|z| term.amplitude * (z + term.phase).cos()).collect();
        let line = ShallowRelu::interpolant(&zs, &gs); // c + Σ_j a_j ReLU(z − z_j)
        constant += line.c;
        for j in 0..knots {
            let unit = k * knots + j;
            for (i, om) in term.omega.iter().enumerate() {
                w[[unit, i]] = om * line.w[j];
            }
            b[unit] = line.b[j];
            a[unit] = line.a[j];
        }
    }
    // The constant as one more unit: ReLU(0·x + 1) = 1.
    b[width - 1] = 1.0;
    a[width - 1] = constant;
    TwoLayer::from_parts(w, b, a, 1.0, Activation::Relu)
}

/// The sup-norm guarantee $\sum_k\lvert c_k\rvert(2\lVert\omega_k\rVert r)^2/(8\,\text{knots}^2)$ of [`ridge_network`] on the
/// ball of radius `radius`.
///
/// # Panics
/// As [`ridge_network`].
///
/// # Examples
/// ```
/// use course::learning::{CosineRidge, ridge_error_bound};
/// let terms = vec![CosineRidge { amplitude: 2.0, omega: vec![3.0, 4.0], phase: 0.0 }];
/// // h = 2·5·1/10 = 1, so 2·1²/8.
/// assert_eq!(ridge_error_bound(&terms, 10, 1.0), 0.25);
/// ```
pub fn ridge_error_bound(terms: &[CosineRidge], knots: usize, radius: f64) -> f64 {
    check("ridge_error_bound", terms, knots, radius);
    terms.iter().map(|t| t.amplitude.abs() * (2.0 * t.norm() * radius / knots as f64).powi(2) / 8.0).sum()
}

fn check(who: &str, terms: &[CosineRidge], knots: usize, radius: f64) {
    assert!(!terms.is_empty(), "{who}: terms must not be empty");
    assert!(knots > 0, "{who}: knots must be > 0, got 0");
    assert!(radius.is_finite() && radius > 0.0, "{who}: radius must be finite and > 0, got {radius}");
    let d = terms[0].omega.len();
    for (k, t) in terms.iter().enumerate() {
        assert_eq!(t.omega.len(), d, "{who}: every omega must have {d} entries, terms[{k}] has {}", t.omega.len());
        assert!(t.norm() > 0.0, "{who}: terms[{k}].omega must not be zero (a constant needs no ridge)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waves() -> Vec<CosineRidge> {
        vec![
            CosineRidge { amplitude: 0.5, omega: vec![3.0, 2.0], phase: -std::f64::consts::FRAC_PI_2 },
            CosineRidge { amplitude: 0.5, omega: vec![3.0, -2.0], phase: -std::f64::consts::FRAC_PI_2 },
            CosineRidge { amplitude: 0.5, omega: vec![1.0, -3.0], phase: 1.0 },
        ]
    }

    fn grid(n: usize) -> Array2<f64> {
        Array2::from_shape_fn((n * n, 2), |(i, j)| -1.0 + 2.0 * (if j == 0 { i / n } else { i % n }) as f64 / (n - 1) as f64)
    }

    #[test]
    fn the_waves_are_sin_cos_products() {
        // sin(3x)cos(2y) = ½ sin(3x + 2y) + ½ sin(3x − 2y), and sin u = cos(u − π/2).
        let x = grid(7);
        let sum = waves()[..2].iter().fold(Array1::<f64>::zeros(x.nrows()), |acc, t| acc + t.eval(&x));
        for (i, r) in x.rows().into_iter().enumerate() {
            assert!((sum[i] - (3.0 * r[0]).sin() * (2.0 * r[1]).cos()).abs() < 1e-14);
        }
    }

    #[test]
    fn error_meets_the_bound_and_falls_like_width_squared() {
        let (x, terms) = (grid(61), waves());
        let exact = terms.iter().fold(Array1::<f64>::zeros(x.nrows()), |acc, t| acc + t.eval(&x));
        let r = std::f64::consts::SQRT_2;
        let err = |m: usize| (&ridge_network(&terms, m, r).predict(&x) - &exact).iter().fold(0.0f64, |a, v| a.max(v.abs()));
        for m in [4usize, 16, 64] {
            assert!(err(m) <= ridge_error_bound(&terms, m, r) * (1.0 + 1e-12), "m = {m}");
        }
        let ratio = err(16) / err(64); // 16 expected for O(m⁻²)
        assert!((10.0..24.0).contains(&ratio), "err(16)/err(64) = {ratio}");
    }
}
