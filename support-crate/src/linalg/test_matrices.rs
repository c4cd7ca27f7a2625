//! Matrices with known properties, for experiments: Hilbert, random orthogonal (Haar), and
//! random matrices with prescribed singular values.
//!
//! $$H_{ij} = \frac{1}{i+j+1}\ (0\text{-based}),\qquad A = U\operatorname{diag}(s)V^\top,\ U, V\ \text{Haar-orthogonal}.$$
//! A Haar-distributed orthogonal $Q$ is the $Q$ factor of a Gaussian matrix $G = QR$ with the
//! signs fixed so that $\operatorname{diag}R > 0$ (Mezzadri 2007).
//!
//! ## Reference
//! Higham, *Accuracy and Stability of Numerical Algorithms* (2002), §28.1 (Hilbert);
//! F. Mezzadri (2007), *How to generate random matrices from the classical compact groups*.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb and notebooks/03-compression-and-low-rank.ipynb.

use super::Qr;
use ndarray::{Array1, Array2, Axis};
use rand::Rng;

/// The n × n Hilbert matrix $H_{ij} = 1/(i+j+1)$: symmetric positive definite and famously
/// ill-conditioned ($\kappa_2(H_n)$ grows like $e^{3.5n}$).
///
/// # Panics
/// If `n == 0`.
///
/// # Examples
/// ```
/// let h = course::linalg::hilbert(3);
/// assert_eq!(h[[1, 2]], 0.25);
/// ```
pub fn hilbert(n: usize) -> Array2<f64> {
    assert!(n >= 1, "hilbert: n must be >= 1, got {n}");
    Array2::from_shape_fn((n, n), |(i, j)| 1.0 / (i + j + 1) as f64)
}

/// A random `dim` × `dim` orthogonal matrix, uniformly (Haar) distributed. Draws `dim²`
/// standard normals from `rng`, row by row.
///
/// # Panics
/// If `dim == 0`.
///
/// # Examples
/// ```
/// let q = course::linalg::random_orthogonal(&mut course::rng::seeded(0), 4);
/// let qtq = q.t().dot(&q);
/// assert!((&qtq - &ndarray::Array2::<f64>::eye(4)).iter().all(|e| e.abs() < 1e-12));
/// ```
pub fn random_orthogonal(rng: &mut impl Rng, dim: usize) -> Array2<f64> {
    assert!(dim >= 1, "random_orthogonal: dim must be >= 1, got {dim}");
    let g = Array2::from_shape_vec((dim, dim), crate::rng::normal_vec(rng, dim * dim)).expect("dim² draws");
    let qr = Qr::new(&g);
    let signs: Array1<f64> = qr.r().diag().mapv(|d| if d < 0.0 { -1.0 } else { 1.0 });
    qr.q() * &signs.insert_axis(Axis(0)) // flip column j when r_jj < 0
}

/// A random m × n matrix $U\operatorname{diag}(s)V^\top$ with the given singular values
/// (in any order; `s.len()` must be $\min(m, n)$) and Haar-random singular vectors.
/// Draws $m^2$ then $n^2$ normals from `rng`.
///
/// # Panics
/// If `s.len() != min(m, n)` or some $s_i$ is negative or not finite.
///
/// # Examples
/// ```
/// let a = course::linalg::with_singular_values(&mut course::rng::seeded(1), 5, 3, &[4.0, 2.0, 1.0]);
/// let s = course::linalg::singular_values(&a);
/// assert!((s[0] - 4.0).abs() < 1e-12 && (s[2] - 1.0).abs() < 1e-12);
/// ```
pub fn with_singular_values(rng: &mut impl Rng, m: usize, n: usize, s: &[f64]) -> Array2<f64> {
    let r = m.min(n);
    assert_eq!(s.len(), r, "with_singular_values: s must have min(m, n) = {r} entries, got {}", s.len());
    if let Some((i, v)) = s.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v >= 0.0)) {
        panic!("with_singular_values: singular values must be finite and >= 0, but s[{i}] = {v}");
    }
    let u = random_orthogonal(rng, m);
    let v = random_orthogonal(rng, n);
    let mut us = Array2::<f64>::zeros((m, r));
    for (j, &sj) in s.iter().enumerate() {
        us.column_mut(j).assign(&(&u.column(j) * sj));
    }
    us.dot(&v.slice(ndarray::s![.., ..r]).t())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_inverse_has_integer_entries() {
        // (H₃)⁻¹ = [[9, −36, 30], [−36, 192, −180], [30, −180, 180]] (exact).
        let inv = super::super::Lu::new(&hilbert(3)).inverse().unwrap();
        let exact = ndarray::array![[9.0, -36.0, 30.0], [-36.0, 192.0, -180.0], [30.0, -180.0, 180.0]];
        assert!((&inv - &exact).iter().all(|e| e.abs() < 1e-10));
    }

    #[test]
    fn haar_orthogonal_has_uniform_first_column_moments() {
        // For Haar Q in dimension d, E[q₁₁²] = 1/d and E[q₁₁⁴] = 3/(d(d+2)).
        let (d, n) = (5, 4000);
        let mut rng = crate::rng::seeded(51);
        let (mut m2, mut m4) = (0.0, 0.0);
        for _ in 0..n {
            let q = random_orthogonal(&mut rng, d);
            assert!((q.t().dot(&q) - Array2::<f64>::eye(d)).iter().all(|e| e.abs() < 1e-12));
            m2 += q[[0, 0]].powi(2) / n as f64;
            m4 += q[[0, 0]].powi(4) / n as f64;
        }
        // Standard errors: sd(q²) ≈ 0.16 → se ≈ 0.0025; use 4 se.
        assert!((m2 - 0.2).abs() < 0.01, "{m2}");
        assert!((m4 - 3.0 / 35.0).abs() < 0.01, "{m4}");
    }

    #[test]
    fn prescribed_singular_values_are_recovered_for_wide_matrices() {
        let a = with_singular_values(&mut crate::rng::seeded(52), 3, 7, &[1.0, 5.0, 0.0]);
        let s = super::super::singular_values(&a);
        assert!((s[0] - 5.0).abs() < 1e-12 && (s[1] - 1.0).abs() < 1e-12 && s[2].abs() < 1e-12);
    }

    #[test]
    #[should_panic(expected = "s must have min(m, n) = 2 entries, got 3")]
    fn wrong_number_of_singular_values_is_rejected() {
        let _ = with_singular_values(&mut crate::rng::seeded(0), 2, 4, &[1.0, 1.0, 1.0]);
    }
}
