//! Exercises of notebooks/02-linear-systems-and-svd.ipynb.

use super::{Feedback, close, vec_close};
use crate::linalg::{Pca, low_rank_approx, pinv, svd};
use ndarray::{Array1, Array2, Axis, s};

/// The relative cutoff below which the exercises treat a singular value as zero.
///
/// # Examples
/// ```
/// // σ = (2, 1e-14): the second is rounding noise at this cutoff, so the rank is 1.
/// let d = course::linalg::svd(&ndarray::array![[2.0, 0.0], [0.0, 1e-14]]);
/// assert_eq!(d.rank(course::exercises::nb02::RCOND), 1);
/// ```
pub const RCOND: f64 = 1e-10;

/// Exercise 02.1: the minimum-norm least-squares solution $x^+ = \sum_{\sigma_i>10^{-10}\sigma_1}
/// \frac{u_i^\top b}{\sigma_i}v_i$ of a rank-deficient system, built from the SVD.
///
/// # Panics
/// If `b` does not have one entry per row of `a`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // A = [1 1] (rank one): the solutions of x₁ + x₂ = 2 form a line; the shortest is (1, 1).
/// let f = course::exercises::nb02::check_q1(&array![[1.0, 1.0]], &array![2.0], &array![1.0, 1.0]);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(a: &Array2<f64>, b: &Array1<f64>, x: &Array1<f64>) -> Feedback {
    let ex = "02.1";
    assert_eq!(b.len(), a.nrows(), "check_q1: b must have one entry per row of a ({}), got {}", a.nrows(), b.len());
    if x.len() != a.ncols() {
        return Feedback::wrong(ex, format!("x has one entry per column of A: expected {}, got {}.", a.ncols(), x.len()));
    }
    let expected = pinv(a, RCOND).dot(b);
    if vec_close(&x.to_vec(), &expected.to_vec(), 1e-8) {
        return Feedback::correct(ex, format!(
            "x⁺ has norm {:.4}; every other least-squares solution adds a null-space vector and is longer.",
            norm(&expected)
        ));
    }
    let d = svd(a);
    let rank = d.rank(RCOND);
    let coef: Vec<f64> = (0..rank).map(|i| d.u.column(i).dot(b)).collect();
    let combo = |scale: &dyn Fn(usize) -> f64| -> Vec<f64> {
        (0..rank).fold(Array1::<f64>::zeros(a.ncols()), |acc, i| acc + &d.vt.row(i) * (coef[i] * scale(i))).to_vec()
    };
    if vec_close(&x.to_vec(), &combo(&|_| 1.0), 1e-8) {
        return Feedback::wrong(ex, "you summed (uᵢᵀb) vᵢ: each term must be divided by σᵢ.");
    }
    if vec_close(&x.to_vec(), &combo(&|i| 1.0 / (d.s[i] * d.s[i])), 1e-8) {
        return Feedback::wrong(ex, "you divided by σᵢ²: the pseudo-inverse divides by σᵢ once.");
    }
    let (r_x, r_best) = (norm(&(a.dot(x) - b)), norm(&(a.dot(&expected) - b)));
    if norm(x) > 1e6 * norm(&expected).max(1e-300) {
        return Feedback::wrong(ex, format!(
            "‖x‖ = {:.3e} is huge: you divided by singular values that are rounding noise. Keep only σᵢ > 1e-10·σ₁ (the rank is {rank}).",
            norm(x)
        ));
    }
    if close(r_x, r_best, 1e-8) || (r_x - r_best).abs() <= 1e-10 * norm(b) {
        let null_part = x - &expected;
        return Feedback::wrong(ex, format!(
            "x is a least-squares solution (same residual {r_best:.4}) but not the shortest: it carries a null-space component of norm {:.4}. Use only the first {rank} singular triplets.",
            norm(&null_part)
        ));
    }
    Feedback::wrong(ex, format!(
        "the residual ‖Ax − b‖ = {r_x:.4} should be the least possible, {r_best:.4}; expected x⁺ = {expected:.4}."
    ))
}

/// Exercise 02.2: the best rank-`k` approximation $A_k = U_k\Sigma_kV_k^\top$ built from the SVD.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let a = array![[3.0, 0.0], [0.0, 1.0]];
/// let f = course::exercises::nb02::check_q2(&a, 1, &array![[3.0, 0.0], [0.0, 0.0]]);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(a: &Array2<f64>, k: usize, a_k: &Array2<f64>) -> Feedback {
    let ex = "02.2";
    let r = a.nrows().min(a.ncols());
    assert!(k >= 1 && k <= r, "check_q2: k must be in 1..={r}, got {k}");
    if a_k.dim() != a.dim() {
        return Feedback::wrong(ex, format!("A_k has the shape of A, {:?}; got {:?}.", a.dim(), a_k.dim()));
    }
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    let same = |b: &Array2<f64>| (b - a_k).iter().all(|e| e.abs() <= 1e-9 * scale);
    let d = svd(a);
    if same(&low_rank_approx(a, k)) {
        return Feedback::correct(ex, format!(
            "‖A − A_k‖₂ = σ_{} = {:.4e}, and no matrix of rank {k} is closer (Eckart–Young).",
            k + 1,
            d.s.get(k).copied().unwrap_or(0.0)
        ));
    }
    if k < r && same(&low_rank_approx(a, k + 1)) {
        return Feedback::wrong(ex, format!("this is A_{}: you kept one term too many (indices start at 0: the first k are 0..k).", k + 1));
    }
    if same(&low_rank_approx(a, k - 1)) {
        return Feedback::wrong(ex, format!("this is A_{}: you kept one term too few.", k - 1));
    }
    let t = d.truncate(k);
    if same(&t.u.dot(&t.vt)) {
        return Feedback::wrong(ex, "this is U_k V_kᵀ: scale column i of U_k by σᵢ (or the rows of V_kᵀ).");
    }
    let err = crate::linalg::spectral_norm(&(a - a_k));
    let rank = svd(a_k).rank(1e-10);
    if rank > k {
        return Feedback::wrong(ex, format!("your matrix has rank {rank}, more than k = {k}."));
    }
    Feedback::wrong(ex, format!(
        "a matrix of rank {rank} but not the best: ‖A − answer‖₂ = {err:.4e} > σ_{} = {:.4e}. Keep the k largest singular triplets.",
        k + 1,
        d.s.get(k).copied().unwrap_or(0.0)
    ))
}

/// Exercise 02.3: the fraction of the variance of the rows of `x` explained by its first `k`
/// principal components, $\sum_{i\le k}\sigma_i^2/\sum_i\sigma_i^2$ for the centred data.
///
/// # Panics
/// If `k` is 0 or exceeds `min(n_samples, dim)`, or `x` has fewer than two rows.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = array![[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [0.0, -0.5]];
/// // Variances 2/3 and 1/6 along the axes: the first explains 0.8.
/// assert!(course::exercises::nb02::check_q3(&x, 1, 0.8).is_correct());
/// ```
pub fn check_q3(x: &Array2<f64>, k: usize, ratio: f64) -> Feedback {
    let ex = "02.3";
    let pca = Pca::fit(x, k);
    let expected = pca.explained_variance_ratio.sum();
    if close(ratio, expected, 1e-9) {
        return Feedback::correct(ex, format!("the first {k} components explain {:.2} % of the variance.", 100.0 * expected));
    }
    let uncentred = crate::linalg::singular_values(x);
    let frac = |s: &Array1<f64>, p: i32| s.slice(s![..k]).mapv(|v| v.powi(p)).sum() / s.mapv(|v| v.powi(p)).sum();
    if close(ratio, frac(&uncentred, 2), 1e-9) {
        return Feedback::wrong(ex, "the data were not centred: subtract the mean of each column (x.mean_axis(Axis(0))) before the SVD.");
    }
    let centred = x - &x.mean_axis(Axis(0)).expect("two rows").insert_axis(Axis(0));
    let s_c = crate::linalg::singular_values(&centred);
    if close(ratio, frac(&s_c, 1), 1e-9) {
        return Feedback::wrong(ex, "variances are the squares σᵢ² (divided by n − 1), not the σᵢ themselves.");
    }
    if close(ratio, 1.0 - expected, 1e-9) {
        return Feedback::wrong(ex, "that is the fraction left out by the first k components; take 1 minus it.");
    }
    if close(ratio, pca.explained_variance_ratio[k - 1], 1e-9) {
        return Feedback::wrong(ex, format!("that is the share of component {k} alone; sum the first {k}."));
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {ratio:.6}: centre, take the SVD, and compare Σ_(i≤k) σᵢ² with Σ σᵢ²."))
}

fn norm(v: &Array1<f64>) -> f64 {
    v.dot(v).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::with_singular_values;

    fn deficient() -> (Array2<f64>, Array1<f64>) {
        let mut rng = crate::rng::seeded(201);
        let a = with_singular_values(&mut rng, 8, 5, &[4.0, 2.0, 1.0, 0.0, 0.0]);
        let b = Array1::from(crate::rng::normal_vec(&mut rng, 8));
        (a, b)
    }

    #[test]
    fn q1_names_the_usual_slips() {
        let (a, b) = deficient();
        let x = pinv(&a, RCOND).dot(&b);
        assert!(check_q1(&a, &b, &x).is_correct());
        // A null-space component: same residual, longer.
        let d = svd(&a);
        let longer = &x + &(&d.vt.row(4) * 0.7);
        assert!(check_q1(&a, &b, &longer).message.contains("not the shortest"), "{}", check_q1(&a, &b, &longer));
        // No division by σ.
        let no_div = (0..3).fold(Array1::<f64>::zeros(5), |acc, i| acc + &d.vt.row(i) * d.u.column(i).dot(&b));
        assert!(check_q1(&a, &b, &no_div).message.contains("divided by σᵢ"));
        // No cutoff: divide by the rounding-level σ's too.
        let no_cut = (0..5).fold(Array1::<f64>::zeros(5), |acc, i| acc + &d.vt.row(i) * (d.u.column(i).dot(&b) / d.s[i].max(1e-300)));
        assert!(check_q1(&a, &b, &no_cut).message.contains("rounding noise"), "{}", check_q1(&a, &b, &no_cut));
        assert!(check_q1(&a, &b, &Array1::zeros(3)).message.contains("one entry per column"));
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let a = Array2::from_shape_fn((12, 9), |(i, j)| 1.0 / (1.0 + (i as f64 / 11.0 - j as f64 / 8.0).powi(2)));
        let k = 3;
        assert!(check_q2(&a, k, &low_rank_approx(&a, k)).is_correct());
        assert!(check_q2(&a, k, &low_rank_approx(&a, k + 1)).message.contains("too many"));
        assert!(check_q2(&a, k, &low_rank_approx(&a, k - 1)).message.contains("too few"));
        let t = svd(&a).truncate(k);
        assert!(check_q2(&a, k, &t.u.dot(&t.vt)).message.contains("scale column"));
        // A rank-k matrix that is not the best: drop σ₁'s term, keep 2..=k+1.
        let d = svd(&a);
        let other = (1..=k).fold(Array2::<f64>::zeros(a.dim()), |acc, i| {
            acc + &(d.u.column(i).insert_axis(Axis(1)).dot(&d.vt.row(i).insert_axis(Axis(0))) * d.s[i])
        });
        assert!(check_q2(&a, k, &other).message.contains("not the best"));
    }

    #[test]
    fn q3_names_the_usual_slips() {
        let mut rng = crate::rng::seeded(202);
        let z = Array2::from_shape_vec((50, 4), crate::rng::normal_vec(&mut rng, 200)).unwrap();
        let x = z * &ndarray::array![3.0, 2.0, 1.0, 0.5] + &ndarray::array![5.0, -1.0, 2.0, 0.0];
        let right = Pca::fit(&x, 2).explained_variance_ratio.sum();
        assert!(check_q3(&x, 2, right).is_correct());
        let sv = crate::linalg::singular_values(&x);
        let unc = (sv[0].powi(2) + sv[1].powi(2)) / sv.mapv(|v| v * v).sum();
        assert!(check_q3(&x, 2, unc).message.contains("not centred"));
        let xc = &x - &x.mean_axis(Axis(0)).unwrap().insert_axis(Axis(0));
        let sc = crate::linalg::singular_values(&xc);
        assert!(check_q3(&x, 2, (sc[0] + sc[1]) / sc.sum()).message.contains("squares"));
        assert!(check_q3(&x, 2, 1.0 - right).message.contains("left out"));
    }
}
