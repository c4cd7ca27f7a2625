//! Conditional expectation as an orthogonal projection in $L^2$.
//!
//! $\mathbb E[Y\mid X] = m(X)$ is the function of $X$ closest to $Y$ in mean square, and is
//! characterized by orthogonality of the residual to every function of $X$:
//! $$\mathbb E\big[(Y - m(X))\,g(X)\big] = 0\quad\forall g,\qquad
//! \mathbb E[Y^2] = \mathbb E[m(X)^2] + \mathbb E[(Y - m(X))^2].$$
//! On a sample, projecting onto a finite-dimensional space of functions of $X$ gives computable
//! approximations: functions constant on bins (the projection is the bin average) or
//! polynomials of degree $\le d$ (the projection is least squares). On the sample, the
//! residual is orthogonal to that space *exactly* (up to rounding).
//!
//! ## Reference
//! D. Williams, *Probability with Martingales* (1991), ch. 9; R. Durrett, *Probability: Theory
//! and Examples* (2019), §4.1.
//!
//! Used in notebooks/12-probability-and-concentration.ipynb.

use ndarray::Array1;

/// $\mathbb E[Y\mid X]$ projected onto functions constant on equal bins of $[\text{low}, \text{high})$.
#[derive(Clone, Debug, PartialEq)]
pub struct BinnedConditional {
    /// `n_bins + 1` edges.
    pub edges: Vec<f64>,
    /// Mean of the $y_i$ whose $x_i$ falls in each bin (NaN for an empty bin).
    pub values: Vec<f64>,
    /// How many $x_i$ fall in each bin.
    pub counts: Vec<usize>,
}

impl BinnedConditional {
    /// The bin of `x` (points outside `[low, high)` go to the first or last bin).
    pub fn bin(&self, x: f64) -> usize {
        let k = self.values.len();
        let (lo, hi) = (self.edges[0], self.edges[k]);
        (((x - lo) / (hi - lo) * k as f64).floor().max(0.0) as usize).min(k - 1)
    }

    /// The projection evaluated at `x`: the mean of $y$ over the bin of `x`.
    ///
    /// # Examples
    /// ```
    /// use course::probability::conditional_mean_binned;
    /// let c = conditional_mean_binned(&[0.1, 0.2, 0.7], &[1.0, 3.0, 5.0], 2, 0.0, 1.0);
    /// assert_eq!(c.predict(0.15), 2.0);
    /// assert_eq!(c.predict(0.9), 5.0);
    /// ```
    pub fn predict(&self, x: f64) -> f64 {
        self.values[self.bin(x)]
    }

    /// [`predict`](Self::predict) at every point of `xs`.
    pub fn predict_all(&self, xs: &[f64]) -> Vec<f64> {
        xs.iter().map(|&x| self.predict(x)).collect()
    }
}

/// The bin averages of `y` given `x` on `n_bins` equal bins of `[low, high)`: the $L^2$
/// projection of $y$ onto functions of $x$ constant on the bins.
///
/// # Panics
/// If lengths differ, `x` is empty, `n_bins == 0` or `low >= high`.
///
/// # Examples
/// ```
/// use course::probability::conditional_mean_binned;
/// let c = conditional_mean_binned(&[0.1, 0.2, 0.7], &[1.0, 3.0, 5.0], 2, 0.0, 1.0);
/// assert_eq!(c.values, vec![2.0, 5.0]);
/// assert_eq!(c.counts, vec![2, 1]);
/// ```
pub fn conditional_mean_binned(x: &[f64], y: &[f64], n_bins: usize, low: f64, high: f64) -> BinnedConditional {
    assert_eq!(x.len(), y.len(), "conditional_mean_binned: x and y must have the same length, got {} and {}", x.len(), y.len());
    assert!(!x.is_empty(), "conditional_mean_binned: x must not be empty");
    assert!(n_bins > 0, "conditional_mean_binned: n_bins must be > 0");
    assert!(low < high, "conditional_mean_binned: need low < high, got ({low}, {high})");
    let mut c = BinnedConditional { edges: crate::linspace(low, high, n_bins + 1), values: vec![0.0; n_bins], counts: vec![0; n_bins] };
    for (&xi, &yi) in x.iter().zip(y) {
        let k = c.bin(xi);
        c.values[k] += yi;
        c.counts[k] += 1;
    }
    for (v, &n) in c.values.iter_mut().zip(&c.counts) {
        *v = if n > 0 { *v / n as f64 } else { f64::NAN };
    }
    c
}

/// The coefficients $w_0, \dots, w_d$ of the least-squares polynomial $\sum_k w_k x^k$ fitted
/// to `(x, y)`: the $L^2$ projection of $y$ onto polynomials of $x$ of degree $\le d$.
///
/// # Panics
/// If lengths differ or there are fewer points than coefficients (or the columns are dependent).
///
/// # Examples
/// ```
/// use course::probability::{conditional_mean_poly, poly_eval};
/// let x = [0.0, 1.0, 2.0, 3.0];
/// let y: Vec<f64> = x.iter().map(|v| 1.0 + 2.0 * v).collect();
/// let w = conditional_mean_poly(&x, &y, 1);
/// assert!((w[0] - 1.0).abs() < 1e-12 && (w[1] - 2.0).abs() < 1e-12);
/// assert!((poly_eval(&w, 5.0) - 11.0).abs() < 1e-11);
/// ```
pub fn conditional_mean_poly(x: &[f64], y: &[f64], degree: usize) -> Vec<f64> {
    assert_eq!(x.len(), y.len(), "conditional_mean_poly: x and y must have the same length, got {} and {}", x.len(), y.len());
    assert!(x.len() > degree, "conditional_mean_poly: need more points ({}) than the degree ({degree})", x.len());
    let v = crate::learning::vandermonde(x, degree);
    crate::learning::lstsq_qr(&v, &Array1::from(y.to_vec()))
        .unwrap_or_else(|e| panic!("conditional_mean_poly: least squares failed: {e:?}"))
        .to_vec()
}

/// $\sum_k w_k x^k$ (Horner).
///
/// # Examples
/// ```
/// assert_eq!(course::probability::poly_eval(&[1.0, 0.0, 2.0], 3.0), 19.0);
/// ```
pub fn poly_eval(w: &[f64], x: f64) -> f64 {
    w.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

/// The empirical inner product $\frac1n\sum_i (y_i - h_i)\,g_i$ of the residual $y - h$ with a
/// test function's values $g_i = g(x_i)$: zero when $h$ is the projection and $g$ lies in the
/// space projected on.
///
/// # Panics
/// If the three lengths differ or are zero.
///
/// # Examples
/// ```
/// use course::probability::{conditional_mean_binned, orthogonality_gap};
/// let (x, y) = ([0.1, 0.2, 0.7], [1.0, 3.0, 5.0]);
/// let h = conditional_mean_binned(&x, &y, 2, 0.0, 1.0).predict_all(&x);
/// assert!(orthogonality_gap(&y, &h, &[4.0, 4.0, -1.0]).abs() < 1e-15); // g constant on bins
/// ```
pub fn orthogonality_gap(y: &[f64], h: &[f64], g: &[f64]) -> f64 {
    assert!(!y.is_empty(), "orthogonality_gap: y must not be empty");
    assert!(y.len() == h.len() && y.len() == g.len(), "orthogonality_gap: y, h and g must have the same length, got {}, {} and {}", y.len(), h.len(), g.len());
    y.iter().zip(h).zip(g).map(|((yi, hi), gi)| (yi - hi) * gi).sum::<f64>() / y.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded, uniform_vec};

    fn data(seed: u64, n: usize) -> (Vec<f64>, Vec<f64>) {
        // Y = sin(2πX) + X·Z, E[Y|X] = sin(2πX)
        let mut rng = seeded(seed);
        let x = uniform_vec(&mut rng, n, 0.0, 1.0);
        let z = normal_vec(&mut rng, n);
        let y = x.iter().zip(&z).map(|(x, z)| (2.0 * std::f64::consts::PI * x).sin() + x * z).collect();
        (x, y)
    }

    #[test]
    fn binned_projection_is_orthogonal_to_bin_indicators_and_is_the_best_step_function() {
        let (x, y) = data(1, 5000);
        let c = conditional_mean_binned(&x, &y, 20, 0.0, 1.0);
        let h = c.predict_all(&x);
        for k in 0..20 {
            let g: Vec<f64> = x.iter().map(|&xi| if c.bin(xi) == k { 1.0 } else { 0.0 }).collect();
            assert!(orthogonality_gap(&y, &h, &g).abs() < 1e-14);
        }
        // Any other step function does worse (Pythagoras): perturb one bin value.
        let mse = |h: &[f64]| y.iter().zip(h).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / y.len() as f64;
        let mut other = c.clone();
        other.values[3] += 0.1;
        let gap = mse(&other.predict_all(&x)) - mse(&h);
        let expected = 0.01 * c.counts[3] as f64 / x.len() as f64;
        assert!((gap - expected).abs() < 1e-12, "{gap} vs {expected}");
    }

    #[test]
    fn polynomial_projection_matches_brute_force_normal_equations() {
        // Independent oracle: solve VᵀV w = Vᵀy with nalgebra's LU.
        let (x, y) = data(2, 400);
        let w = conditional_mean_poly(&x, &y, 3);
        let v = nalgebra::DMatrix::from_fn(400, 4, |i, k| x[i].powi(k as i32));
        let rhs = v.transpose() * nalgebra::DVector::from_vec(y.clone());
        let sol = (v.transpose() * &v).lu().solve(&rhs).unwrap();
        for k in 0..4 {
            assert!((w[k] - sol[k]).abs() < 1e-8, "{k}: {} vs {}", w[k], sol[k]);
        }
        let h: Vec<f64> = x.iter().map(|&t| poly_eval(&w, t)).collect();
        for k in 0..4 {
            let g: Vec<f64> = x.iter().map(|t| t.powi(k)).collect();
            assert!(orthogonality_gap(&y, &h, &g).abs() < 1e-12);
        }
    }

    #[test]
    fn binned_estimate_approaches_the_true_conditional_mean() {
        // With 2·10⁵ points and 50 bins: bin bias ≤ max|m'|·width/2·… ≈ 0.13 at worst but the
        // L² error is ≈ 2π·0.02/√12 ≈ 0.036; the sampling error per bin ≈ 0.58/√4000 ≈ 0.009.
        for seed in 0..4 {
            let (x, y) = data(seed, 200_000);
            let c = conditional_mean_binned(&x, &y, 50, 0.0, 1.0);
            let l2 = (x.iter().map(|&t| (c.predict(t) - (2.0 * std::f64::consts::PI * t).sin()).powi(2)).sum::<f64>() / x.len() as f64).sqrt();
            assert!(l2 < 0.05, "seed {seed}: {l2}");
        }
    }
}
