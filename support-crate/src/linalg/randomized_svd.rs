//! Randomized SVD (Halko–Martinsson–Tropp): a rank-$k$ SVD from a random sketch of the range.
//!
//! Stage A (range finder): draw a Gaussian $\Omega\in\mathbb R^{n\times\ell}$, $\ell = k+p$
//! ($p$ = oversampling), form $Y = (AA^\top)^qA\Omega$ with re-orthonormalization between the
//! $q$ power iterations, and $Q = \operatorname{orth}(Y)$. Stage B: the small SVD
//! $Q^\top A = \tilde U\Sigma V^\top$ gives $A\approx QQ^\top A = (Q\tilde U)\Sigma V^\top$, truncated
//! to rank $k$. Cost $O(mn\ell(2q+1))$ instead of $O(mn\min(m,n))$. The expected range error obeys
//! (HMT Corollary 10.10, for $p\ge 2$)
//! $$\mathbb E\lVert A - QQ^\top A\rVert_2 \le \Big[\Big(1+\sqrt{\tfrac{k}{p-1}}\Big)\sigma_{k+1}^{2q+1} +
//!   \frac{e\sqrt{k+p}}{p}\Big(\sum_{j>k}\sigma_j^{2(2q+1)}\Big)^{1/2}\Big]^{1/(2q+1)},$$
//! and the rank-$k$ result $\hat A_k$ satisfies
//! $$\sigma_{k+1}\le\lVert A-\hat A_k\rVert_2\le\sigma_{k+1}+\lVert A-QQ^\top A\rVert_2 .$$
//!
//! ## Reference
//! N. Halko, P.-G. Martinsson & J. A. Tropp (2011), *Finding structure with randomness:
//! probabilistic algorithms for constructing approximate matrix decompositions*, SIAM Review
//! 53(2), Algorithms 4.1, 4.4, 5.1 and §10.
//!
//! Used in notebooks/03-compression-and-low-rank.ipynb.

use super::{Qr, Svd};
use ndarray::{Array1, Array2};
use rand::Rng;

/// An m × `l` matrix $Q$ with orthonormal columns whose span approximates the range of `a`:
/// $Q = \operatorname{orth}\big((AA^\top)^q A\Omega\big)$ with $q$ = `n_power_iter`.
///
/// $\Omega$ (n × l) is filled row by row with `n·l` standard normals drawn from `rng`
/// (`course::rng::normal_vec(rng, n * l)`), so an inline implementation can reproduce it.
/// Orthonormalization is Householder QR ([`Qr`]) after every product with $A$ or $A^\top$.
///
/// # Panics
/// Unless `1 <= l <= min(m, n)`, or if `a` has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // A rank-one matrix: one sample recovers its range exactly.
/// let a = array![[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]];
/// let q = course::linalg::randomized_range_finder(&mut course::rng::seeded(0), &a, 1, 0);
/// let residual = &a - &q.dot(&q.t().dot(&a));
/// assert!(residual.iter().all(|e| e.abs() < 1e-12));
/// ```
pub fn randomized_range_finder(rng: &mut impl Rng, a: &Array2<f64>, l: usize, n_power_iter: usize) -> Array2<f64> {
    let (m, n) = a.dim();
    assert!(
        l >= 1 && l <= m.min(n),
        "randomized_range_finder: need 1 <= l <= min(m, n) = {}, got l = {l}",
        m.min(n)
    );
    if let Some(((i, j), v)) = a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        panic!("randomized_range_finder: a must have finite entries, but a[{i},{j}] = {v}");
    }
    let omega = Array2::from_shape_vec((n, l), crate::rng::normal_vec(rng, n * l)).expect("n·l draws");
    let mut q = orth(&a.dot(&omega));
    for _ in 0..n_power_iter {
        let z = orth(&a.t().dot(&q)); // n × l
        q = orth(&a.dot(&z)); // m × l
    }
    q
}

/// A rank-`k` approximate SVD of `a` by the randomized range finder with `k + oversampling`
/// samples and `n_power_iter` power iterations, then an exact SVD of the small matrix $Q^\top A$.
/// The random draws are those of [`randomized_range_finder`].
///
/// # Panics
/// Unless `1 <= k` and `k + oversampling <= min(m, n)`, or if `a` has a non-finite entry.
///
/// # Examples
/// ```
/// use course::linalg::{randomized_svd, svd, with_singular_values};
/// let mut rng = course::rng::seeded(3);
/// let s: Vec<f64> = (0..40).map(|i| 0.5f64.powi(i)).collect();
/// let a = with_singular_values(&mut rng, 60, 40, &s);
/// let r = randomized_svd(&mut rng, &a, 5, 5, 1);
/// // Fast decay: the leading singular values come out to nearly full precision.
/// assert!((r.s[0] - 1.0).abs() < 1e-10 && (r.s[4] - 0.0625).abs() < 1e-10);
/// ```
pub fn randomized_svd(rng: &mut impl Rng, a: &Array2<f64>, k: usize, oversampling: usize, n_power_iter: usize) -> Svd {
    let r = a.nrows().min(a.ncols());
    assert!(
        k >= 1 && k + oversampling <= r,
        "randomized_svd: need k >= 1 and k + oversampling <= min(m, n) = {r}, got k = {k}, oversampling = {oversampling}"
    );
    let q = randomized_range_finder(rng, a, k + oversampling, n_power_iter);
    let b = q.t().dot(a); // ℓ × n
    let small = super::svd(&b);
    Svd { u: q.dot(&small.u), s: small.s, vt: small.vt }.truncate(k)
}

/// The Halko–Martinsson–Tropp bound on $\mathbb E\lVert A-QQ^\top A\rVert_2$ for the range finder
/// with $\ell = k + p$ samples ($p$ = `oversampling` ≥ 2) and $q$ = `n_power_iter`, from the
/// singular values `s` of $A$ (descending).
///
/// # Panics
/// If `oversampling < 2` or `k >= s.len()`.
///
/// # Examples
/// ```
/// // A spectrum that stops after k: the range is found exactly, the bound is 0.
/// let s = ndarray::array![3.0, 2.0, 0.0, 0.0];
/// assert_eq!(course::linalg::hmt_error_bound(&s, 2, 2, 0), 0.0);
/// // Otherwise the bound is at least σ_{k+1} (times 1 + √(k/(p−1))).
/// let s = ndarray::array![1.0, 0.5, 0.25, 0.125];
/// assert!(course::linalg::hmt_error_bound(&s, 1, 2, 0) > 0.5 * 2.0);
/// ```
pub fn hmt_error_bound(s: &Array1<f64>, k: usize, oversampling: usize, n_power_iter: usize) -> f64 {
    assert!(oversampling >= 2, "hmt_error_bound: the bound needs oversampling >= 2, got {oversampling}");
    assert!(k < s.len(), "hmt_error_bound: k must be < the number of singular values {}, got {k}", s.len());
    let e = (2 * n_power_iter + 1) as f64;
    let (kf, p) = (k as f64, oversampling as f64);
    let head = (1.0 + (kf / (p - 1.0)).sqrt()) * s[k].powf(e);
    let tail = std::f64::consts::E * (kf + p).sqrt() / p * s.iter().skip(k).map(|v| v.powf(2.0 * e)).sum::<f64>().sqrt();
    (head + tail).powf(1.0 / e)
}

/// Orthonormal basis of the columns of `y` (m × l, m ≥ l): the thin Q of Householder QR.
fn orth(y: &Array2<f64>) -> Array2<f64> {
    Qr::new(y).q()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{singular_values, spectral_norm, with_singular_values};

    fn range_error(a: &Array2<f64>, q: &Array2<f64>) -> f64 {
        spectral_norm(&(a - &q.dot(&q.t().dot(a))))
    }

    #[test]
    fn exact_low_rank_matrix_is_recovered() {
        let mut rng = crate::rng::seeded(81);
        let s = [5.0, 4.0, 3.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let a = with_singular_values(&mut rng, 30, 10, &s);
        let r = randomized_svd(&mut rng, &a, 5, 2, 0);
        assert!((r.reconstruct() - &a).iter().all(|e| e.abs() < 1e-12));
        for (computed, exact) in r.s.iter().zip(&s) {
            assert!((computed - exact).abs() < 1e-12);
        }
        let u = &r.u;
        assert!((u.t().dot(u) - Array2::<f64>::eye(5)).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    fn mean_range_error_respects_the_hmt_bound_and_eckart_young() {
        // Slowly decaying spectrum σ_j = 1/j: the hard case for q = 0.
        let (m, n) = (80, 60);
        let s: Vec<f64> = (1..=n).map(|j| 1.0 / j as f64).collect();
        let sv = Array1::from(s.clone());
        let a = with_singular_values(&mut crate::rng::seeded(82), m, n, &s);
        let (k, p) = (5, 5);
        for q in [0, 1, 2] {
            let mut rng = crate::rng::seeded(83 + q as u64);
            let trials = 30;
            let errors: Vec<f64> =
                (0..trials).map(|_| range_error(&a, &randomized_range_finder(&mut rng, &a, k + p, q))).collect();
            let mean = errors.iter().sum::<f64>() / trials as f64;
            let bound = hmt_error_bound(&sv, k, p, q);
            assert!(mean <= bound, "q = {q}: mean range error {mean} > HMT bound {bound}");
            // Eckart–Young: a rank-ℓ projection cannot beat σ_{ℓ+1}.
            assert!(errors.iter().all(|&e| e >= sv[k + p] - 1e-12));
        }
    }

    #[test]
    fn rank_k_error_lies_between_sigma_k_plus_1_and_sigma_plus_range_error() {
        let (m, n) = (70, 50);
        let s: Vec<f64> = (1..=n).map(|j| (j as f64).powf(-1.5)).collect();
        let a = with_singular_values(&mut crate::rng::seeded(84), m, n, &s);
        let (k, p, q) = (8, 4, 1);
        let q_basis = randomized_range_finder(&mut crate::rng::seeded(85), &a, k + p, q);
        let r = randomized_svd(&mut crate::rng::seeded(85), &a, k, p, q);
        let err = spectral_norm(&(&a - &r.reconstruct()));
        assert!(err >= s[k] - 1e-12 && err <= s[k] + range_error(&a, &q_basis) + 1e-12);
    }

    #[test]
    fn power_iterations_sharpen_a_flat_spectrum() {
        let (m, n) = (100, 80);
        let s: Vec<f64> = (1..=n).map(|j| 1.0 / (j as f64).sqrt()).collect();
        let a = with_singular_values(&mut crate::rng::seeded(86), m, n, &s);
        let err = |q: usize| spectral_norm(&(&a - &randomized_svd(&mut crate::rng::seeded(87), &a, 10, 5, q).reconstruct()));
        let (e0, e2) = (err(0), err(2));
        assert!(e2 < e0 && e2 < 1.2 * s[10], "q = 0: {e0}, q = 2: {e2}, σ₁₁ = {}", s[10]);
    }

    #[test]
    fn same_seed_same_result() {
        let a = Array2::from_shape_fn((20, 15), |(i, j)| ((i * j) as f64 / 7.0).sin());
        let r1 = randomized_svd(&mut crate::rng::seeded(9), &a, 3, 2, 1);
        let r2 = randomized_svd(&mut crate::rng::seeded(9), &a, 3, 2, 1);
        assert_eq!(r1.s, r2.s);
        assert_eq!(r1.u, r2.u);
        // Interlacing: the singular values of QᵀA never exceed those of A.
        let exact = singular_values(&a);
        for i in 0..3 {
            assert!(r1.s[i] <= exact[i] + 1e-12 && r1.s[i] > 0.5 * exact[i]);
        }
    }

    #[test]
    #[should_panic(expected = "k + oversampling <= min(m, n) = 4")]
    fn too_many_samples_are_rejected() {
        let _ = randomized_svd(&mut crate::rng::seeded(0), &Array2::eye(4), 3, 2, 0);
    }
}
