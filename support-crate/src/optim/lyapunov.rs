//! Lyapunov equations: the stationary covariances of linear noisy dynamics.
//!
//! The Ornstein–Uhlenbeck process $dX = -HX\,dt + B\,dW$ has stationary covariance $\Sigma$ solving the
//! **continuous** Lyapunov equation, and the linear recursion $x_{k+1} = Ax_k + \xi_k$, $\operatorname{Cov}\xi = Q$,
//! the **discrete** one:
//! $$H\Sigma + \Sigma H^\top = BB^\top,\qquad\qquad \Sigma = A\Sigma A^\top + Q.$$
//! For symmetric $H$ (or $A$) $= U\operatorname{diag}(\lambda)U^\top$ both decouple in the eigenbasis:
//! $\tilde\Sigma_{ij} = \tilde Q_{ij}/(\lambda_i+\lambda_j)$ and $\tilde\Sigma_{ij} = \tilde Q_{ij}/(1-\lambda_i\lambda_j)$, with
//! $\tilde Q = U^\top QU$ and $\Sigma = U\tilde\Sigma U^\top$.
//!
//! ## Reference
//! C. W. Gardiner, *Stochastic Methods* (2009), §4.5.6; G. A. Pavliotis, *Stochastic Processes and
//! Applications* (2014), §3.7.
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use super::symmetric_eigen;
use ndarray::Array2;

fn check_square_symmetric(what: &str, name: &str, a: &Array2<f64>) {
    let (r, c) = a.dim();
    assert!(r == c && r > 0, "{what}: {name} must be square and non-empty, got {r} x {c}");
    let asym = (a - &a.t()).iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    assert!(asym <= 1e-10 * scale, "{what}: {name} must be symmetric (largest |a − aᵀ| = {asym:e})");
}

fn in_eigenbasis(what: &str, a: &Array2<f64>, q: &Array2<f64>, denom: impl Fn(f64, f64) -> f64) -> Array2<f64> {
    check_square_symmetric(what, "the matrix", a);
    check_square_symmetric(what, "q", q);
    assert_eq!(a.dim(), q.dim(), "{what}: q must be {:?} like the matrix, got {:?}", a.dim(), q.dim());
    let (lam, u) = symmetric_eigen(a);
    let qt = u.t().dot(q).dot(&u);
    let st = Array2::from_shape_fn(qt.dim(), |(i, j)| {
        let d = denom(lam[i], lam[j]);
        assert!(d > 0.0, "{what}: no stationary solution (eigenvalues {} and {} give denominator {d})", lam[i], lam[j]);
        qt[[i, j]] / d
    });
    u.dot(&st).dot(&u.t())
}

/// $\Sigma$ with $H\Sigma + \Sigma H = Q$, for symmetric positive definite `h` and symmetric `q`.
///
/// # Panics
/// If `h` or `q` is not square and symmetric, their shapes differ, or `h` is not positive definite.
///
/// # Examples
/// ```
/// use course::optim::lyapunov_continuous;
/// use ndarray::array;
/// // 1-D: 2hΣ = q
/// assert!((lyapunov_continuous(&array![[4.0]], &array![[2.0]])[[0, 0]] - 0.25).abs() < 1e-15);
/// ```
pub fn lyapunov_continuous(h: &Array2<f64>, q: &Array2<f64>) -> Array2<f64> {
    in_eigenbasis("lyapunov_continuous", h, q, |a, b| a + b)
}

/// $\Sigma$ with $\Sigma = A\Sigma A + Q$, for symmetric `a` with spectral radius < 1 and symmetric `q`.
///
/// # Panics
/// If `a` or `q` is not square and symmetric, their shapes differ, or an eigenvalue of `a` has modulus ≥ 1.
///
/// # Examples
/// ```
/// use course::optim::lyapunov_discrete;
/// use ndarray::array;
/// // 1-D AR(1): Σ = q/(1 − a²)
/// assert!((lyapunov_discrete(&array![[0.5]], &array![[3.0]])[[0, 0]] - 4.0).abs() < 1e-14);
/// ```
pub fn lyapunov_discrete(a: &Array2<f64>, q: &Array2<f64>) -> Array2<f64> {
    in_eigenbasis("lyapunov_discrete", a, q, |x, y| 1.0 - x * y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn solutions_satisfy_the_equations_and_match_the_series() {
        let h = array![[2.0, 0.7, 0.0], [0.7, 1.0, 0.3], [0.0, 0.3, 0.5]];
        let q = array![[1.0, 0.2, 0.1], [0.2, 2.0, 0.0], [0.1, 0.0, 0.5]];
        let s = lyapunov_continuous(&h, &q);
        let resid = &h.dot(&s) + &s.dot(&h) - &q;
        assert!(resid.iter().all(|v| v.abs() < 1e-12));
        // Oracle for the discrete equation: the series Σ = Σ_k A^k Q A^k
        let a = Array2::<f64>::eye(3) - &h * 0.3;
        let mut series = Array2::<f64>::zeros((3, 3));
        let mut term = q.clone();
        for _ in 0..3000 {
            series = series + &term;
            term = a.dot(&term).dot(&a);
        }
        let sd = lyapunov_discrete(&a, &q);
        assert!((&sd - &series).iter().all(|v| v.abs() < 1e-10));
    }

    #[test]
    #[should_panic(expected = "must be symmetric")]
    fn rejects_asymmetric() {
        lyapunov_continuous(&array![[1.0, 1.0], [0.0, 1.0]], &array![[1.0, 0.0], [0.0, 1.0]]);
    }
}
