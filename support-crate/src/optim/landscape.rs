//! Loss landscapes: slices of a high-dimensional loss along one or two directions, and the
//! Hessian spectrum at a point.
//!
//! $$\alpha\mapsto L(\theta + \alpha\,d),\qquad (\alpha,\beta)\mapsto L(\theta+\alpha\,d_1+\beta\,d_2).$$
//! With $d = \theta_1 - \theta_0$ and $\alpha\in[0,1]$ the first is the straight path between
//! two parameter vectors (from initialization to a solution, or between two solutions). Random
//! directions are scaled to the norm of $\theta$, so that $\alpha = 1$ is a perturbation as
//! large as the parameters themselves. The Hessian $\nabla^2L(\theta)$ is obtained by central
//! differences of the gradient and symmetrized; its eigenvalues measure the curvature along
//! every direction at once.
//!
//! ## Reference
//! I. Goodfellow, O. Vinyals & A. Saxe (2015), *Qualitatively characterizing neural network
//! optimization problems*; H. Li et al. (2018), *Visualizing the loss landscape of neural nets*.
//!
//! Used in notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::Objective;
use ndarray::{Array1, Array2};
use rand::Rng;

/// A Gaussian direction rescaled to the length of `center` (to length 1 if `center` is 0).
///
/// # Examples
/// ```
/// let c = ndarray::array![3.0, 4.0];
/// let d = course::optim::random_direction(&c, &mut course::rng::seeded(1));
/// assert!((d.dot(&d).sqrt() - 5.0).abs() < 1e-12);
/// ```
pub fn random_direction(center: &Array1<f64>, rng: &mut impl Rng) -> Array1<f64> {
    let z = Array1::from(crate::rng::normal_vec(rng, center.len()));
    let scale = center.dot(center).sqrt();
    let scale = if scale > 0.0 { scale } else { 1.0 };
    &z * (scale / z.dot(&z).sqrt())
}

/// $L(\theta + \alpha\,d)$ for each $\alpha$ in `alphas`.
///
/// # Panics
/// If `center` and `direction` differ in length.
///
/// # Examples
/// ```
/// use course::optim::{slice_1d, Quadratic};
/// use ndarray::array;
/// let q = Quadratic::diagonal(&[2.0]);
/// assert_eq!(slice_1d(&q, &array![0.0], &array![1.0], &[-1.0, 0.0, 2.0]), vec![1.0, 0.0, 4.0]);
/// ```
pub fn slice_1d(objective: &dyn Objective, center: &Array1<f64>, direction: &Array1<f64>, alphas: &[f64]) -> Vec<f64> {
    assert_eq!(center.len(), direction.len(), "slice_1d: center and direction must have the same length, got {} and {}", center.len(), direction.len());
    alphas.iter().map(|&a| objective.value(&(center + &(direction * a)))).collect()
}

/// $L(\theta+\alpha\,d_1+\beta\,d_2)$ on an `n` × `n` grid of cell centres over
/// `range` × `range`: entry `[i, j]` has $\beta$ from row `i` (bottom to top) and $\alpha$ from
/// column `j` (left to right), as [`Plot::heatmap`](crate::plot::Plot::heatmap) expects.
///
/// # Panics
/// If the lengths differ, `n == 0` or the range is empty.
///
/// # Examples
/// ```
/// use course::optim::{slice_2d, Quadratic};
/// use ndarray::array;
/// let q = Quadratic::diagonal(&[1.0, 1.0]);
/// let z = slice_2d(&q, &array![0.0, 0.0], &array![1.0, 0.0], &array![0.0, 1.0], (-1.0, 1.0), 2);
/// assert_eq!(z[[0, 0]], 0.25); // α = β = −0.5: f = (0.25 + 0.25)/2
/// ```
pub fn slice_2d(
    objective: &dyn Objective,
    center: &Array1<f64>,
    d1: &Array1<f64>,
    d2: &Array1<f64>,
    range: (f64, f64),
    n: usize,
) -> Array2<f64> {
    assert!(center.len() == d1.len() && center.len() == d2.len(), "slice_2d: center, d1 and d2 must have the same length, got {}, {} and {}", center.len(), d1.len(), d2.len());
    assert!(n > 0, "slice_2d: n must be > 0");
    assert!(range.0 < range.1, "slice_2d: range must have low < high, got {range:?}");
    let step = (range.1 - range.0) / n as f64;
    let at = |k: usize| range.0 + (k as f64 + 0.5) * step;
    Array2::from_shape_fn((n, n), |(i, j)| objective.value(&(center + &(d1 * at(j)) + &(d2 * at(i)))))
}

/// The Hessian $\nabla^2 L(\theta)$ by central differences of the gradient with step `h`,
/// symmetrized. Error $O(h^2)$.
///
/// # Panics
/// If `h <= 0`.
///
/// # Examples
/// ```
/// use course::optim::{hessian_fd, Quadratic};
/// let q = Quadratic::with_spectrum(&[1.0, 3.0], 2);
/// let h = hessian_fd(&q, &ndarray::array![0.5, 0.5], 1e-4);
/// assert!((&h - &q.matrix()).iter().all(|e| e.abs() < 1e-10));
/// ```
pub fn hessian_fd(objective: &dyn Objective, center: &Array1<f64>, h: f64) -> Array2<f64> {
    assert!(h > 0.0 && h.is_finite(), "hessian_fd: h must be > 0, got {h}");
    let d = center.len();
    let mut hess = Array2::zeros((d, d));
    for j in 0..d {
        let mut e = Array1::zeros(d);
        e[j] = h;
        let col = (objective.gradient(&(center + &e)) - objective.gradient(&(center - &e))) / (2.0 * h);
        hess.column_mut(j).assign(&col);
    }
    (&hess + &hess.t()) * 0.5
}

/// The eigenvalues of a symmetric matrix, in decreasing order (nalgebra's symmetric eigensolver).
///
/// # Panics
/// If `a` is not square.
///
/// # Examples
/// ```
/// let ev = course::optim::symmetric_eigenvalues(&ndarray::array![[2.0, 1.0], [1.0, 2.0]]);
/// assert!((ev[0] - 3.0).abs() < 1e-12 && (ev[1] - 1.0).abs() < 1e-12);
/// ```
pub fn symmetric_eigenvalues(a: &Array2<f64>) -> Vec<f64> {
    let (r, c) = a.dim();
    assert_eq!(r, c, "symmetric_eigenvalues: a must be square, got {r} x {c}");
    let m = nalgebra::DMatrix::from_fn(r, c, |i, j| a[[i, j]]);
    let mut ev: Vec<f64> = m.symmetric_eigen().eigenvalues.iter().copied().collect();
    ev.sort_by(|x, y| y.total_cmp(x));
    ev
}

/// Eigenvalues (decreasing) and orthonormal eigenvectors (the columns, in the same order) of a
/// symmetric matrix.
///
/// # Panics
/// If `a` is not square.
///
/// # Examples
/// ```
/// let (values, vectors) = course::optim::symmetric_eigen(&ndarray::array![[2.0, 1.0], [1.0, 2.0]]);
/// assert!((values[0] - 3.0).abs() < 1e-12);
/// assert!((vectors[[0, 0]].abs() - 0.5f64.sqrt()).abs() < 1e-12); // (1, 1)/√2
/// ```
pub fn symmetric_eigen(a: &Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let (r, c) = a.dim();
    assert_eq!(r, c, "symmetric_eigen: a must be square, got {r} x {c}");
    let m = nalgebra::DMatrix::from_fn(r, c, |i, j| a[[i, j]]);
    let eig = m.symmetric_eigen();
    let mut order: Vec<usize> = (0..r).collect();
    order.sort_by(|&i, &j| eig.eigenvalues[j].total_cmp(&eig.eigenvalues[i]));
    let values = order.iter().map(|&i| eig.eigenvalues[i]).collect();
    let vectors = Array2::from_shape_fn((r, r), |(i, k)| eig.eigenvectors[(i, order[k])]);
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Rosenbrock, TwoLayerNet, adam, gradient_descent};
    use ndarray::array;

    #[test]
    fn rosenbrock_hessian_by_differences_matches_the_closed_form() {
        // ∇²f(1, 1) = [[2 + 800, −400], [−400, 200]] for a = 1, b = 100.
        let h = hessian_fd(&Rosenbrock::default(), &array![1.0, 1.0], 1e-5);
        let exact = array![[802.0, -400.0], [-400.0, 200.0]];
        assert!((&h - &exact).iter().all(|e| e.abs() < 1e-4), "{h}");
    }

    #[test]
    fn interpolating_minimum_has_hessian_rank_at_most_n() {
        // Oracle: at a zero-loss minimum the Hessian is JᵀJ/n, rank ≤ n (here n = 4, 16 params).
        let x = [-0.9, -0.3, 0.4, 0.8];
        let net = TwoLayerNet::new(&x, &[0.5, -0.2, 0.1, 0.7], 5);
        let h = adam(&net, &net.init(2), 0.02, 0.9, 0.999, 4000);
        let h = gradient_descent(&net, h.last(), 0.5, 4000);
        assert!(h.final_loss() < 1e-14, "{}", h.final_loss());
        let ev = symmetric_eigenvalues(&hessian_fd(&net, h.last(), 1e-5));
        assert!(ev[3] > 1e-4 * ev[0], "{ev:?}");
        assert!(ev[4..].iter().all(|e| e.abs() < 1e-6 * ev[0]), "{ev:?}");
    }

    #[test]
    fn eigenvectors_satisfy_the_eigen_equation() {
        let a = crate::optim::Quadratic::with_spectrum(&[0.5, 4.0, 2.0], 3).matrix();
        let (values, vectors) = symmetric_eigen(&a);
        assert!((values[0] - 4.0).abs() < 1e-12 && (values[2] - 0.5).abs() < 1e-12);
        for (k, value) in values.iter().enumerate() {
            let v = vectors.column(k).to_owned();
            assert!((a.dot(&v) - &v * *value).iter().all(|e| e.abs() < 1e-12));
        }
        assert_eq!(symmetric_eigenvalues(&a), values);
    }

    #[test]
    fn slice_2d_centre_is_the_centre_value() {
        let r = Rosenbrock::default();
        let z = slice_2d(&r, &array![0.5, 0.5], &array![1.0, 0.0], &array![0.0, 1.0], (-1.0, 1.0), 3);
        assert_eq!(z[[1, 1]], r.at(0.5, 0.5));
        assert!((z[[2, 0]] - r.at(0.5 - 2.0 / 3.0, 0.5 + 2.0 / 3.0)).abs() < 1e-12);
    }
}
