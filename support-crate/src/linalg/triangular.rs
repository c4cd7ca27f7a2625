//! Forward and back substitution for triangular systems, $O(n^2)$.

use super::LinalgError;
use ndarray::{Array1, Array2};

/// Solves $Ux = b$ for upper-triangular `u` by back substitution (entries below the diagonal
/// are ignored).
///
/// # Errors
/// [`LinalgError::Singular`] if a diagonal entry is zero or negligible
/// (below $n\,\varepsilon\,\max_i|u_{ii}|$).
///
/// # Panics
/// If `u` is not square or `b` does not match it.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = course::linalg::solve_upper(&array![[2.0, 1.0], [0.0, 4.0]], &array![4.0, 8.0]).unwrap();
/// assert_eq!(x, array![1.0, 2.0]);
/// ```
pub fn solve_upper(u: &Array2<f64>, b: &Array1<f64>) -> Result<Array1<f64>, LinalgError> {
    let n = check_system("solve_upper", u, b);
    let tiny = tiny_pivot(u);
    let mut x = Array1::zeros(n);
    for i in (0..n).rev() {
        let pivot = u[[i, i]];
        if pivot.abs() <= tiny {
            return Err(LinalgError::Singular { index: i, pivot });
        }
        let s: f64 = (i + 1..n).map(|j| u[[i, j]] * x[j]).sum();
        x[i] = (b[i] - s) / pivot;
    }
    Ok(x)
}

/// Solves $Lx = b$ for lower-triangular `l` by forward substitution (entries above the
/// diagonal are ignored).
///
/// # Errors
/// [`LinalgError::Singular`] if a diagonal entry is zero or negligible.
///
/// # Panics
/// If `l` is not square or `b` does not match it.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let x = course::linalg::solve_lower(&array![[2.0, 0.0], [1.0, 4.0]], &array![4.0, 10.0]).unwrap();
/// assert_eq!(x, array![2.0, 2.0]);
/// ```
pub fn solve_lower(l: &Array2<f64>, b: &Array1<f64>) -> Result<Array1<f64>, LinalgError> {
    let n = check_system("solve_lower", l, b);
    let tiny = tiny_pivot(l);
    let mut x = Array1::zeros(n);
    for i in 0..n {
        let pivot = l[[i, i]];
        if pivot.abs() <= tiny {
            return Err(LinalgError::Singular { index: i, pivot });
        }
        let s: f64 = (0..i).map(|j| l[[i, j]] * x[j]).sum();
        x[i] = (b[i] - s) / pivot;
    }
    Ok(x)
}

fn check_system(what: &str, a: &Array2<f64>, b: &Array1<f64>) -> usize {
    let (n, m) = a.dim();
    assert_eq!(n, m, "{what}: the matrix must be square, got {n} x {m}");
    assert_eq!(b.len(), n, "{what}: b must have {n} entries (one per row), got {}", b.len());
    n
}

fn tiny_pivot(a: &Array2<f64>) -> f64 {
    let n = a.nrows();
    let max = a.diag().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    n as f64 * f64::EPSILON * max
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn back_substitution_inverts_a_random_upper_triangle() {
        let mut rng = crate::rng::seeded(11);
        let n = 8;
        let z = crate::rng::normal_vec(&mut rng, n * n);
        let u = Array2::from_shape_fn((n, n), |(i, j)| if j < i { 0.0 } else if i == j { 3.0 + z[i * n + j].abs() } else { z[i * n + j] });
        let x_true = Array1::from(crate::rng::normal_vec(&mut rng, n));
        let b = u.dot(&x_true);
        let x = solve_upper(&u, &b).unwrap();
        assert!((&x - &x_true).iter().all(|e| e.abs() < 1e-12));
        let l = u.t().to_owned();
        let x = solve_lower(&l, &l.dot(&x_true)).unwrap();
        assert!((&x - &x_true).iter().all(|e| e.abs() < 1e-12));
    }

    #[test]
    fn zero_pivot_is_reported_with_its_index() {
        let e = solve_upper(&array![[1.0, 2.0], [0.0, 0.0]], &array![1.0, 1.0]).unwrap_err();
        assert_eq!(e, LinalgError::Singular { index: 1, pivot: 0.0 });
    }

    #[test]
    #[should_panic(expected = "b must have 2 entries")]
    fn mismatched_rhs_is_rejected() {
        let _ = solve_lower(&array![[1.0, 0.0], [0.0, 1.0]], &array![1.0]);
    }
}
