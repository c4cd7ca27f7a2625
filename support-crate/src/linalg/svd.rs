//! The singular value decomposition $A = U\Sigma V^\top$.
//!
//! Every real m × n matrix factors as
//! $$A = U\Sigma V^\top = \sum_{i=1}^{r}\sigma_i\,u_i v_i^\top,\qquad
//!   U^\top U = V^\top V = I_r,\quad \sigma_1\ge\sigma_2\ge\dots\ge\sigma_r\ge 0,$$
//! with $r = \min(m, n)$ here (the *thin* SVD). $Av_i = \sigma_i u_i$ and
//! $A^\top u_i = \sigma_i v_i$: the right singular vectors are eigenvectors of $A^\top A$ with
//! eigenvalues $\sigma_i^2$.
//!
//! The work is done by nalgebra's Golub–Kahan bidiagonalization with implicit-shift QR
//! iterations, on the transposed view of the row-major buffer (see `convert.rs`): no element is
//! reordered on the way in or out. For an even $r\ge 64$ one zero row/column is added to dodge a
//! cache pathology of power-of-two strides (see `svd_padded`): 512 × 512 takes ≈ 0.3 s instead
//! of ≈ 3 s.
//!
//! ## Reference
//! Strang, *Linear Algebra and Learning from Data*, I.8; Trefethen & Bau, *Numerical Linear
//! Algebra*, Lectures 4–5 and 31.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb and notebooks/03-compression-and-low-rank.ipynb.

use super::convert::{transpose_from_nalgebra, transpose_to_nalgebra};
use ndarray::{Array1, Array2, s};

/// A thin SVD: `u` is m × r, `s` has r entries in descending order, `vt` is r × n.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let a = array![[3.0, 0.0], [4.0, 5.0]];
/// let d = course::linalg::svd(&a);
/// // σ₁² + σ₂² = ‖A‖_F² = 50 and σ₁σ₂ = |det A| = 15, so σ = (√45, √5).
/// assert!((d.s[0] - 45f64.sqrt()).abs() < 1e-12 && (d.s[1] - 5f64.sqrt()).abs() < 1e-12);
/// assert!((&d.reconstruct() - &a).iter().all(|e| e.abs() < 1e-12));
/// ```
#[derive(Clone, Debug)]
pub struct Svd {
    /// Left singular vectors as columns (m × r), orthonormal.
    pub u: Array2<f64>,
    /// Singular values σ₁ ≥ σ₂ ≥ … ≥ 0 (r of them).
    pub s: Array1<f64>,
    /// Right singular vectors as rows (r × n), orthonormal.
    pub vt: Array2<f64>,
}

/// The thin SVD of `a` (m × n), singular values in descending order.
///
/// # Panics
/// If `a` is empty or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let d = course::linalg::svd(&array![[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]]);
/// assert_eq!((d.u.dim(), d.s.len(), d.vt.dim()), ((2, 2), 2, (2, 3)));
/// assert!((d.s[0] - 2.0).abs() < 1e-12 && (d.s[1] - 2f64.sqrt()).abs() < 1e-12);
/// ```
pub fn svd(a: &Array2<f64>) -> Svd {
    check_input("svd", a);
    let (m, n) = a.dim();
    let r = m.min(n);
    if r < 64 || r % 2 == 1 {
        // Aᵀ = U' Σ V'ᵀ (nalgebra, column-major)  ⇒  A = V' Σ U'ᵀ.
        let d = nalgebra::SVD::new(transpose_to_nalgebra(a), true, true);
        let u = transpose_from_nalgebra(d.v_t.expect("V was requested")); // (V'ᵀ)ᵀ = V'
        let vt = transpose_from_nalgebra(d.u.expect("U was requested")); // U'ᵀ
        let s = Array1::from(d.singular_values.data.as_vec().clone());
        return Svd { u, s, vt };
    }
    svd_padded(a)
}

/// nalgebra accumulates V'ᵀ by rotating pairs of its rows, which in column-major storage are
/// strided by r = min(m, n). When r is a multiple of a large power of two (512 × 512!) every
/// element of a row falls into the same cache set and the SVD runs 10–20 times slower. So
/// for even r we add a zero row and/or column to make r odd: the extra singular triplet is
/// (0, e_last, ·), exactly decoupled, and is dropped afterwards.
fn svd_padded(a: &Array2<f64>) -> Svd {
    let (m, n) = a.dim();
    // nalgebra factors M = Aᵀ (n × m); pad its rows if n <= m, its columns if m <= n.
    let (pad_rows, pad_cols) = (usize::from(n <= m), usize::from(m <= n));
    let (rows, cols) = (n + pad_rows, m + pad_cols);
    let mut data = vec![0.0; rows * cols];
    for (j, row) in a.rows().into_iter().enumerate() {
        // Column j of M is row j of A.
        for (slot, &v) in data[j * rows..j * rows + n].iter_mut().zip(row.iter()) {
            *slot = v;
        }
    }
    let d = nalgebra::SVD::new(nalgebra::DMatrix::from_vec(rows, cols, data), true, true);
    let (u_m, v_t_m) = (d.u.expect("U was requested"), d.v_t.expect("V was requested"));
    let r = rows.min(cols);
    // The padding triplet: the left vector e_n when rows were padded, else the right vector e_m.
    let weight = |i: usize| if pad_rows == 1 { u_m[(n, i)].abs() } else { v_t_m[(i, m)].abs() };
    let pad = (0..r).max_by(|&i, &j| weight(i).total_cmp(&weight(j))).expect("r >= 1");
    assert!(
        weight(pad) > 1.0 - 1e-12,
        "svd: internal error, the padding singular vector mixed with others (weight {})",
        weight(pad)
    );
    let keep: Vec<usize> = (0..r).filter(|&i| i != pad).collect();
    // A = V' Σ U'ᵀ: u(A) = V' (m × r'), vt(A) = U'ᵀ (r' × n), without the padding entries.
    let u = Array2::from_shape_fn((m, keep.len()), |(i, c)| v_t_m[(keep[c], i)]);
    let vt = Array2::from_shape_fn((keep.len(), n), |(c, j)| u_m[(j, keep[c])]);
    let s = keep.iter().map(|&i| d.singular_values[i]).collect();
    Svd { u, s, vt }
}

/// Only the singular values of `a`, descending (cheaper than [`svd`]: no vectors).
///
/// # Panics
/// If `a` is empty or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let s = course::linalg::singular_values(&array![[0.0, 2.0], [-3.0, 0.0]]);
/// assert!((s[0] - 3.0).abs() < 1e-12 && (s[1] - 2.0).abs() < 1e-12);
/// ```
pub fn singular_values(a: &Array2<f64>) -> Array1<f64> {
    check_input("singular_values", a);
    let d = nalgebra::SVD::new(transpose_to_nalgebra(a), false, false);
    Array1::from(d.singular_values.data.as_vec().clone())
}

fn check_input(what: &str, a: &Array2<f64>) {
    assert!(!a.is_empty(), "{what}: a must not be empty, got {} x {}", a.nrows(), a.ncols());
    if let Some(((i, j), v)) = a.indexed_iter().find(|(_, v)| !v.is_finite()) {
        panic!("{what}: a must have finite entries, but a[{i},{j}] = {v}");
    }
}

impl Svd {
    /// $U\Sigma V^\top$, the matrix this decomposition represents.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let a = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
    /// let back = course::linalg::svd(&a).reconstruct();
    /// assert!((&back - &a).iter().all(|e| e.abs() < 1e-12));
    /// ```
    pub fn reconstruct(&self) -> Array2<f64> {
        let us = &self.u * &self.s.view().insert_axis(ndarray::Axis(0)); // scale column i by σᵢ
        us.dot(&self.vt)
    }

    /// The leading `k` singular triplets: $A_k = \sum_{i\le k}\sigma_i u_i v_i^\top$ is the best
    /// rank-`k` approximation (Eckart–Young; see [`low_rank_approx`](super::low_rank_approx)).
    ///
    /// # Panics
    /// If `k` exceeds the number of singular values.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let d = course::linalg::svd(&array![[2.0, 0.0], [0.0, 1.0]]).truncate(1);
    /// assert_eq!(d.reconstruct(), array![[2.0, 0.0], [0.0, 0.0]]);
    /// ```
    pub fn truncate(&self, k: usize) -> Svd {
        let r = self.s.len();
        assert!(k <= r, "Svd::truncate: k must be <= the number of singular values {r}, got {k}");
        Svd {
            u: self.u.slice(s![.., ..k]).to_owned(),
            s: self.s.slice(s![..k]).to_owned(),
            vt: self.vt.slice(s![..k, ..]).to_owned(),
        }
    }

    /// The numerical rank: how many $\sigma_i > \text{rel\_tol}\cdot\sigma_1$.
    ///
    /// # Panics
    /// If `rel_tol` is negative or not finite.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let d = course::linalg::svd(&array![[1.0, 2.0], [2.0, 4.0]]); // second row = 2 × first
    /// assert_eq!(d.rank(1e-12), 1);
    /// ```
    pub fn rank(&self, rel_tol: f64) -> usize {
        assert!(rel_tol >= 0.0 && rel_tol.is_finite(), "Svd::rank: rel_tol must be finite and >= 0, got {rel_tol}");
        let cutoff = rel_tol * self.s.first().copied().unwrap_or(0.0);
        self.s.iter().filter(|&&v| v > cutoff).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(seed), rows * cols);
        Array2::from_shape_vec((rows, cols), z).unwrap()
    }

    fn max_abs(a: &Array2<f64>) -> f64 {
        a.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    }

    #[test]
    fn reconstructs_with_orthonormal_factors_and_sorted_values() {
        for &(m, n) in &[(1, 1), (1, 5), (6, 1), (7, 7), (30, 12), (12, 30)] {
            let a = random(m, n, (m * 31 + n) as u64);
            let d = svd(&a);
            let r = m.min(n);
            assert_eq!((d.u.dim(), d.s.len(), d.vt.dim()), ((m, r), r, (r, n)));
            assert!(max_abs(&(d.reconstruct() - &a)) < 1e-12 * max_abs(&a).max(1.0) * 10.0);
            assert!(max_abs(&(d.u.t().dot(&d.u) - Array2::<f64>::eye(r))) < 1e-12);
            assert!(max_abs(&(d.vt.dot(&d.vt.t()) - Array2::<f64>::eye(r))) < 1e-12);
            assert!(d.s.windows(2).into_iter().all(|w| w[0] >= w[1]) && d.s[r - 1] >= 0.0);
            assert!((singular_values(&a) - &d.s).iter().all(|e| e.abs() < 1e-12));
        }
    }

    #[test]
    fn padded_path_handles_square_tall_wide_and_rank_deficient_matrices() {
        // Even r >= 64 goes through svd_padded; check the same identities there.
        for &(m, n, rank) in &[(64, 64, 64), (96, 64, 64), (64, 130, 64), (80, 80, 10)] {
            let x = random(m, rank, 7 * m as u64 + n as u64);
            let y = random(rank, n, 3 * m as u64 + n as u64);
            let a = x.dot(&y);
            let d = svd(&a);
            let r = m.min(n);
            assert_eq!((d.u.dim(), d.s.len(), d.vt.dim()), ((m, r), r, (r, n)));
            let scale = max_abs(&a);
            assert!(max_abs(&(d.reconstruct() - &a)) < 1e-12 * scale * r as f64);
            assert!(max_abs(&(d.u.t().dot(&d.u) - Array2::<f64>::eye(r))) < 1e-12 * r as f64);
            assert!(max_abs(&(d.vt.dot(&d.vt.t()) - Array2::<f64>::eye(r))) < 1e-12 * r as f64);
            assert!(d.s.windows(2).into_iter().all(|w| w[0] >= w[1]));
            assert_eq!(d.rank(1e-10), rank);
            let s = singular_values(&a);
            assert!((&s - &d.s).iter().all(|e| e.abs() < 1e-10 * s[0]));
        }
        // The identity: all σ = 1, the zero padding must still be told apart.
        let d = svd(&Array2::<f64>::eye(64));
        assert!(d.s.iter().all(|&v| (v - 1.0).abs() < 1e-14));
        assert!(max_abs(&(d.reconstruct() - Array2::<f64>::eye(64))) < 1e-14);
        // The zero matrix: σ = 0 everywhere, vectors still orthonormal.
        let d = svd(&Array2::<f64>::zeros((64, 70)));
        assert!(d.s.iter().all(|&v| v == 0.0));
        assert!(max_abs(&(d.u.t().dot(&d.u) - Array2::<f64>::eye(64))) < 1e-14);
    }

    #[test]
    fn right_vectors_are_eigenvectors_of_the_gram_matrix() {
        // Independent oracle: AᵀA vᵢ = σᵢ² vᵢ and Avᵢ = σᵢuᵢ.
        let a = random(15, 6, 9);
        let d = svd(&a);
        let g = a.t().dot(&a);
        for i in 0..6 {
            let v = d.vt.row(i);
            let lhs = g.dot(&v);
            assert!((&lhs - &(&v * d.s[i].powi(2))).iter().all(|e| e.abs() < 1e-10));
            let av = a.dot(&v);
            assert!((&av - &(&d.u.column(i) * d.s[i])).iter().all(|e| e.abs() < 1e-12));
        }
    }

    #[test]
    fn frobenius_norm_is_the_root_sum_of_squared_singular_values() {
        let a = random(9, 13, 10);
        let s = singular_values(&a);
        let fro2: f64 = a.iter().map(|v| v * v).sum();
        assert!((s.dot(&s) - fro2).abs() < 1e-11 * fro2);
    }

    #[test]
    fn rank_one_matrix_has_one_nonzero_singular_value() {
        let x = ndarray::array![1.0, 2.0, 3.0];
        let y = ndarray::array![4.0, 5.0];
        let a = x.view().insert_axis(ndarray::Axis(1)).dot(&y.view().insert_axis(ndarray::Axis(0)));
        let d = svd(&a);
        // σ₁ = ‖x‖‖y‖ for xyᵀ.
        assert!((d.s[0] - 14f64.sqrt() * 41f64.sqrt()).abs() < 1e-12);
        assert_eq!(d.rank(1e-12), 1);
        assert!((d.truncate(1).reconstruct() - &a).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    fn works_on_a_transposed_view_layout() {
        let a = random(5, 8, 11);
        let f = a.clone().reversed_axes(); // 8 × 5, Fortran layout
        let d = svd(&f);
        assert!(max_abs(&(d.reconstruct() - &f)) < 1e-12);
        assert!((&d.s - &singular_values(&a)).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    #[should_panic(expected = "a[1,0] = NaN")]
    fn nan_entries_are_rejected() {
        let _ = svd(&ndarray::array![[1.0, 2.0], [f64::NAN, 0.0]]);
    }

    /// `cargo test -p course --release svd_512_timing -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn svd_512_timing() {
        let a = random(512, 512, 512);
        let _ = svd(&random(64, 64, 1)); // warm up
        let mut times = Vec::new();
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let d = svd(&a);
            times.push(t.elapsed().as_secs_f64());
            assert!(max_abs(&(d.reconstruct() - &a)) < 1e-10);
        }
        let t = std::time::Instant::now();
        let _ = singular_values(&a);
        let values_only = t.elapsed().as_secs_f64();
        println!("svd 512 x 512 (U, Σ, Vᵀ): {times:.3?} s; singular values only: {values_only:.3} s");
    }
}

