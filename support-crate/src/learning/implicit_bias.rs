//! Implicit bias of gradient descent: the minimum-norm solution of under-determined least
//! squares, and the max-margin direction on separable logistic regression.
//!
//! **Least squares.** GD on $\frac1{2n}\lVert Xw-y\rVert^2$ moves along $X^\top(\cdot)$, so from $w_0$ it never leaves
//! $w_0 + \operatorname{row}(X)$; among the interpolants there the limit is
//! $w_\infty = X^+y + (I - X^+X)w_0$ — from $w_0 = 0$, the minimum-norm solution $X^+y$.
//! **Logistic regression** on separable data, $\mathcal L(w) = \frac1n\sum_i\ln(1+e^{-y_iw\cdot x_i})$,
//! has no minimizer: $\lVert w_t\rVert\to\infty$. Soudry et al. (2018) prove that GD with a small
//! enough step satisfies
//! $$w_t = \hat w\ln t + \rho_t,\quad \rho_t \text{ bounded},\qquad \Big\lVert\frac{w_t}{\lVert w_t\rVert} - \frac{\hat w}{\lVert\hat w\rVert}\Big\rVert = O\Big(\frac1{\ln t}\Big),$$
//! where $\hat w = \arg\min\{\lVert w\rVert : y_iw\cdot x_i\ge1\ \forall i\}$ is the hard-margin SVM (no bias),
//! margin $\gamma = 1/\lVert\hat w\rVert$. Here $\hat w$ is computed independently by coordinate ascent on
//! the SVM dual $\max_{\alpha\ge0}\sum_i\alpha_i - \frac12\lVert\sum_i\alpha_iy_ix_i\rVert^2$.
//!
//! ## Reference
//! D. Soudry, E. Hoffer, M. S. Nacson, S. Gunasekar, N. Srebro (2018), *The implicit bias of
//! gradient descent on separable data*, JMLR 19 (Theorem 3); S. Gunasekar et al. (2018),
//! *Characterizing implicit bias in terms of optimization geometry*, ICML; C.-J. Hsieh et al.
//! (2008), *A dual coordinate descent method for large-scale linear SVM*, ICML.
//!
//! Used in notebooks/13-generalization-and-implicit-bias.ipynb.

use ndarray::{Array1, Array2};

/// GD on $\frac1{2n}\lVert Xw-y\rVert^2$ from `w0`: `n_steps` steps of size `lr`.
///
/// # Panics
/// If the shapes disagree or `lr` is not finite and > 0.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // one equation w₁ + w₂ = 2 from 0: GD lands on the shortest solution (1, 1)
/// let w = course::learning::gd_least_squares(&array![[1.0, 1.0]], &array![2.0], &array![0.0, 0.0], 0.25, 200);
/// assert!((w[0] - 1.0).abs() < 1e-12 && (w[1] - 1.0).abs() < 1e-12);
/// ```
pub fn gd_least_squares(x: &Array2<f64>, y: &Array1<f64>, w0: &Array1<f64>, lr: f64, n_steps: usize) -> Array1<f64> {
    assert_eq!(y.len(), x.nrows(), "gd_least_squares: y must have one entry per row of x ({}), got {}", x.nrows(), y.len());
    assert_eq!(w0.len(), x.ncols(), "gd_least_squares: w0 must have one entry per column of x ({}), got {}", x.ncols(), w0.len());
    assert!(lr.is_finite() && lr > 0.0, "gd_least_squares: lr must be finite and > 0, got {lr}");
    let n = x.nrows() as f64;
    let mut w = w0.clone();
    for _ in 0..n_steps {
        let r = x.dot(&w) - y;
        w = w - x.t().dot(&r) * (lr / n);
    }
    w
}

/// The gradient of the mean logistic loss, $\nabla\mathcal L(w) = -\frac1n\sum_i \frac{y_ix_i}{1+e^{y_iw\cdot x_i}}$.
///
/// # Panics
/// If the shapes disagree.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // at w = 0 every sigmoid is ½: the gradient is −(1/2n) Σ yᵢ xᵢ
/// let g = course::learning::logistic_grad(&array![0.0, 0.0], &array![[1.0, 2.0], [3.0, 0.0]], &[1.0, -1.0]);
/// assert!((g[0] - 0.5).abs() < 1e-15 && (g[1] + 0.5).abs() < 1e-15);
/// ```
pub fn logistic_grad(w: &Array1<f64>, x: &Array2<f64>, y: &[f64]) -> Array1<f64> {
    assert_eq!(y.len(), x.nrows(), "logistic_grad: y must have one label per row of x ({}), got {}", x.nrows(), y.len());
    assert_eq!(w.len(), x.ncols(), "logistic_grad: w must have one entry per column of x ({}), got {}", x.ncols(), w.len());
    let n = x.nrows();
    let mut g = Array1::zeros(x.ncols());
    for i in 0..n {
        let m = y[i] * x.row(i).dot(w);
        let c = -y[i] / (1.0 + m.exp()) / n as f64; // −y σ(−m)/n
        g.scaled_add(c, &x.row(i));
    }
    g
}

/// The mean logistic loss $\frac1n\sum_i\ln(1+e^{-y_iw\cdot x_i})$ (computed stably).
///
/// # Examples
/// ```
/// use ndarray::array;
/// let l = course::learning::logistic_loss(&array![0.0], &array![[1.0]], &[1.0]);
/// assert!((l - 2f64.ln()).abs() < 1e-15);
/// ```
pub fn logistic_loss(w: &Array1<f64>, x: &Array2<f64>, y: &[f64]) -> f64 {
    let n = x.nrows();
    (0..n)
        .map(|i| {
            let m = y[i] * x.row(i).dot(w);
            if m > 0.0 { (-m).exp().ln_1p() } else { -m + m.exp().ln_1p() }
        })
        .sum::<f64>()
        / n as f64
}

/// GD on the logistic loss from $w = 0$ with step `lr`; returns $w_t$ at each step count in
/// `record` (increasing).
///
/// # Panics
/// If `record` is not increasing or `lr` is not finite and > 0.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let (x, y) = (array![[1.0, 0.5], [-1.0, 0.2]], [1.0, -1.0]);
/// let ws = course::learning::logistic_gd(&x, &y, 1.0, &[10, 1000]);
/// assert!(course::learning::logistic_loss(&ws[1], &x, &y) < course::learning::logistic_loss(&ws[0], &x, &y));
/// ```
pub fn logistic_gd(x: &Array2<f64>, y: &[f64], lr: f64, record: &[usize]) -> Vec<Array1<f64>> {
    assert!(lr.is_finite() && lr > 0.0, "logistic_gd: lr must be finite and > 0, got {lr}");
    assert!(record.windows(2).all(|w| w[0] < w[1]), "logistic_gd: record must be increasing");
    let mut w = Array1::zeros(x.ncols());
    let mut out = Vec::with_capacity(record.len());
    let mut t = 0;
    for &r in record {
        while t < r {
            w = &w - &(logistic_grad(&w, x, y) * lr);
            t += 1;
        }
        out.push(w.clone());
    }
    out
}

/// The hard-margin SVM through the origin, $\hat w = \arg\min\{\lVert w\rVert: y_iw\cdot x_i\ge1\}$, by `n_sweeps`
/// sweeps of exact coordinate ascent on the dual: $\alpha_i\leftarrow\max\big(0, \alpha_i + (1 - y_i\hat w\cdot x_i)/\lVert x_i\rVert^2\big)$.
/// Returns $(\hat w, \alpha)$; the support vectors are the $i$ with $\alpha_i > 0$.
///
/// # Panics
/// If a row of `x` is zero or the shapes disagree.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // two points ±(1, 1): ŵ = (½, ½), margin 1/‖ŵ‖ = √2
/// let (w, _) = course::learning::max_margin(&array![[1.0, 1.0], [-1.0, -1.0]], &[1.0, -1.0], 100);
/// assert!((w[0] - 0.5).abs() < 1e-12 && (w[1] - 0.5).abs() < 1e-12);
/// ```
pub fn max_margin(x: &Array2<f64>, y: &[f64], n_sweeps: usize) -> (Array1<f64>, Array1<f64>) {
    assert_eq!(y.len(), x.nrows(), "max_margin: y must have one label per row of x ({}), got {}", x.nrows(), y.len());
    let sq: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    assert!(sq.iter().all(|&s| s > 0.0), "max_margin: every x_i must be non-zero");
    let mut alpha = Array1::<f64>::zeros(x.nrows());
    let mut w = Array1::zeros(x.ncols());
    for _ in 0..n_sweeps {
        for i in 0..x.nrows() {
            let new = (alpha[i] + (1.0 - y[i] * x.row(i).dot(&w)) / sq[i]).max(0.0);
            w.scaled_add((new - alpha[i]) * y[i], &x.row(i));
            alpha[i] = new;
        }
    }
    (w, alpha)
}

/// The angle (radians) between two non-zero vectors.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let a = course::learning::angle_between(&array![1.0, 0.0], &array![1.0, 1.0]);
/// assert!((a - std::f64::consts::FRAC_PI_4).abs() < 1e-15);
/// ```
pub fn angle_between(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    let (na, nb) = (a.dot(a).sqrt(), b.dot(b).sqrt());
    assert!(na > 0.0 && nb > 0.0, "angle_between: both vectors must be non-zero");
    // atan2 of |a×b| and a·b is accurate for tiny angles (acos is not)
    let cos = a.dot(b) / (na * nb);
    let sin = ((a / na) - &(b * (cos / nb))).dot(&((a / na) - &(b * (cos / nb)))).sqrt();
    sin.atan2(cos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::margin;
    use std::f64::consts::PI;

    #[test]
    fn gd_reaches_pinv_plus_null_space_part() {
        let x = Array2::from_shape_vec((5, 9), crate::rng::normal_vec(&mut crate::rng::seeded(1), 45)).unwrap();
        let y = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(2), 5));
        let w0 = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(3), 9));
        let p = crate::linalg::pinv(&x, 1e-12);
        let want = p.dot(&y) + &w0 - &p.dot(&x.dot(&w0));
        let lr = 5.0 / crate::linalg::spectral_norm(&x).powi(2);
        let w = gd_least_squares(&x, &y, &w0, lr, 20_000);
        assert!((&w - &want).iter().all(|d| d.abs() < 1e-9));
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = Array2::from_shape_vec((6, 3), crate::rng::normal_vec(&mut crate::rng::seeded(4), 18)).unwrap();
        let y = [1.0, -1.0, 1.0, 1.0, -1.0, -1.0];
        let w = Array1::from(vec![0.3, -0.7, 1.1]);
        let g = logistic_grad(&w, &x, &y);
        for k in 0..3 {
            let mut e = Array1::zeros(3);
            e[k] = 1e-6;
            let fd = (logistic_loss(&(&w + &e), &x, &y) - logistic_loss(&(&w - &e), &x, &y)) / 2e-6;
            assert!((fd - g[k]).abs() < 1e-8);
        }
    }

    #[test]
    fn max_margin_matches_brute_force_over_angles() {
        let (x, y, _) = crate::data::separable_2d(&mut crate::rng::seeded(5), 30, 0.1);
        let (w, alpha) = max_margin(&x, &y, 5000);
        // brute force: the margin of the unit direction θ, maximized on a fine grid
        let (mut best, mut best_th) = (f64::NEG_INFINITY, 0.0);
        for k in 0..200_000 {
            let th = 2.0 * PI * k as f64 / 200_000.0;
            let m = margin(&x, &y, Array1::from(vec![th.cos(), th.sin()]).view());
            if m > best {
                (best, best_th) = (m, th);
            }
        }
        // the grid step 3·10⁻⁵ rad moves a margin by at most 3·10⁻⁵·max‖x‖ < 5·10⁻⁵
        let m = margin(&x, &y, w.view());
        assert!(m >= best && m - best < 5e-5, "{m} vs {best}");
        assert!((1.0 / w.dot(&w).sqrt() - m).abs() < 1e-10);
        assert!(angle_between(&w, &Array1::from(vec![best_th.cos(), best_th.sin()])) < 1e-4);
        // KKT: support vectors sit on the margin
        for i in 0..30 {
            if alpha[i] > 1e-9 {
                assert!((y[i] * x.row(i).dot(&w) - 1.0).abs() < 1e-8);
            }
        }
    }

    #[test]
    fn logistic_direction_approaches_max_margin() {
        let (x, y, _) = crate::data::separable_2d(&mut crate::rng::seeded(6), 20, 0.1);
        let (w_hat, _) = max_margin(&x, &y, 5000);
        let ws = logistic_gd(&x, &y, 1.0, &[1000, 10_000, 100_000, 1_000_000]);
        let gaps: Vec<f64> = ws.iter().map(|w| angle_between(w, &w_hat)).collect();
        assert!(gaps.windows(2).all(|g| g[1] < g[0]), "{gaps:?}");
    }

    #[test]
    fn tiny_angles_are_accurate() {
        let a = Array1::from(vec![1.0, 1e-9]);
        assert!((angle_between(&a, &Array1::from(vec![1.0, 0.0])) - 1e-9).abs() < 1e-20);
    }
}
