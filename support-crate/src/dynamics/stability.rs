//! Linear stability: eigenvalues of the Jacobian and the classification of fixed points.
//!
//! Near a fixed point $x^\*$ ($f(x^\*) = 0$), $u = x - x^\*$ obeys $\dot u \approx Ju$ with
//! $J = Df(x^\*)$. If no eigenvalue of $J$ has zero real part (a *hyperbolic* point), the
//! Hartman–Grobman theorem says the flow near $x^\*$ looks like the linear one:
//! $$\operatorname{Re}\lambda_i < 0\ \forall i \Rightarrow \text{stable},\qquad
//!   \exists i: \operatorname{Re}\lambda_i > 0 \Rightarrow \text{unstable}.$$
//! In the plane the eigenvalues are the roots of $\lambda^2 - \tau\lambda + \Delta$ with
//! $\tau = \operatorname{tr}J$, $\Delta = \det J$: $\Delta < 0$ saddle; $\Delta > 0$ and
//! $\tau^2 \ge 4\Delta$ node; $\tau^2 < 4\Delta$ focus (spiral); the sign of $\tau$ decides
//! stability; $\tau = 0 < \Delta$ is a linear centre.
//!
//! ## Reference
//! S. Strogatz, *Nonlinear Dynamics and Chaos* (2nd ed., 2015), §5.2 (the τ–Δ plane) and §6.3.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

use ndarray::Array2;
use std::fmt;

/// The kind of a fixed point, read off the eigenvalues of its Jacobian.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stability {
    /// All eigenvalues real and negative.
    StableNode,
    /// All eigenvalues with negative real part, some complex: trajectories spiral in.
    StableFocus,
    /// All eigenvalues real and positive.
    UnstableNode,
    /// All eigenvalues with positive real part, some complex: trajectories spiral out.
    UnstableFocus,
    /// Real eigenvalues of both signs.
    Saddle,
    /// Real parts of both signs, some eigenvalues complex (e.g. the Lorenz points C±).
    SaddleFocus,
    /// Purely imaginary eigenvalues: closed orbits of the linearization (nonlinear terms decide).
    Center,
    /// Some eigenvalue with zero real part (and not a centre): linearization cannot decide.
    NonHyperbolic,
}

impl Stability {
    /// True for stable nodes and foci (asymptotically stable fixed points).
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::Stability;
    /// assert!(Stability::StableFocus.is_stable());
    /// assert!(!Stability::Saddle.is_stable());
    /// ```
    pub fn is_stable(self) -> bool {
        matches!(self, Stability::StableNode | Stability::StableFocus)
    }
}

impl fmt::Display for Stability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stability::StableNode => "stable node",
            Stability::StableFocus => "stable focus",
            Stability::UnstableNode => "unstable node",
            Stability::UnstableFocus => "unstable focus",
            Stability::Saddle => "saddle",
            Stability::SaddleFocus => "saddle-focus",
            Stability::Center => "centre",
            Stability::NonHyperbolic => "non-hyperbolic",
        })
    }
}

/// The eigenvalues of a square real matrix as pairs `(re, im)`, sorted by decreasing real part
/// (then decreasing imaginary part). Computed by nalgebra's real Schur decomposition.
///
/// # Panics
/// If `a` is not square, is empty, or holds a non-finite value.
///
/// # Examples
/// ```
/// // The rotation generator has eigenvalues ±i.
/// let ev = course::dynamics::eigenvalues(&ndarray::array![[0.0, -1.0], [1.0, 0.0]]);
/// assert!((ev[0].0).abs() < 1e-12 && (ev[0].1 - 1.0).abs() < 1e-12);
/// assert!((ev[1].1 + 1.0).abs() < 1e-12);
/// ```
pub fn eigenvalues(a: &Array2<f64>) -> Vec<(f64, f64)> {
    assert!(a.is_square() && a.nrows() > 0, "eigenvalues: a must be square and non-empty, got {:?}", a.dim());
    assert!(a.iter().all(|v| v.is_finite()), "eigenvalues: a must be finite");
    let n = a.nrows();
    let m = nalgebra::DMatrix::from_fn(n, n, |i, j| a[[i, j]]);
    let mut ev: Vec<(f64, f64)> = m.complex_eigenvalues().iter().map(|z| (z.re, z.im)).collect();
    ev.sort_by(|p, q| q.0.total_cmp(&p.0).then(q.1.total_cmp(&p.1)));
    ev
}

/// Classifies the fixed point whose Jacobian is `jac`, from its eigenvalues. A real part
/// counts as zero when it is below $10^{-9}$ times the largest eigenvalue modulus (or $10^{-12}$).
///
/// # Panics
/// As [`eigenvalues`].
///
/// # Examples
/// ```
/// use course::dynamics::{classify, Stability};
/// use ndarray::array;
/// assert_eq!(classify(&array![[-1.0, 0.0], [0.0, -3.0]]), Stability::StableNode);
/// assert_eq!(classify(&array![[-0.1, -1.0], [1.0, -0.1]]), Stability::StableFocus);
/// assert_eq!(classify(&array![[2.0, 0.0], [0.0, -1.0]]), Stability::Saddle);
/// ```
pub fn classify(jac: &Array2<f64>) -> Stability {
    classify_eigenvalues(&eigenvalues(jac))
}

/// Classifies from eigenvalues `(re, im)` (see [`classify`]).
///
/// # Panics
/// If `eigenvalues` is empty.
///
/// # Examples
/// ```
/// use course::dynamics::{classify_eigenvalues, Stability};
/// assert_eq!(classify_eigenvalues(&[(0.0, 2.0), (0.0, -2.0)]), Stability::Center);
/// assert_eq!(classify_eigenvalues(&[(1.0, 0.0), (-0.5, 3.0), (-0.5, -3.0)]), Stability::SaddleFocus);
/// ```
pub fn classify_eigenvalues(eigenvalues: &[(f64, f64)]) -> Stability {
    assert!(!eigenvalues.is_empty(), "classify_eigenvalues: need at least one eigenvalue");
    let scale = eigenvalues.iter().map(|(re, im)| re.hypot(*im)).fold(0.0, f64::max);
    let tol = (1e-9 * scale).max(1e-12);
    let zero = |v: f64| v.abs() <= tol;
    let complex = eigenvalues.iter().any(|&(_, im)| !zero(im));
    let n_neg = eigenvalues.iter().filter(|&&(re, _)| re < -tol).count();
    let n_pos = eigenvalues.iter().filter(|&&(re, _)| re > tol).count();
    let n = eigenvalues.len();
    if n_neg + n_pos < n {
        return if n_neg + n_pos == 0 && eigenvalues.iter().all(|&(_, im)| !zero(im)) {
            Stability::Center
        } else {
            Stability::NonHyperbolic
        };
    }
    match (n_neg == n, n_pos == n, complex) {
        (true, _, false) => Stability::StableNode,
        (true, _, true) => Stability::StableFocus,
        (_, true, false) => Stability::UnstableNode,
        (_, true, true) => Stability::UnstableFocus,
        (_, _, false) => Stability::Saddle,
        (_, _, true) => Stability::SaddleFocus,
    }
}

/// The planar classification from the trace $\tau$ and determinant $\Delta$ alone (the
/// closed form; no eigenvalue solver). Repeated eigenvalues ($\tau^2 = 4\Delta$) count as nodes.
///
/// # Examples
/// ```
/// use course::dynamics::{classify_trace_det, Stability};
/// assert_eq!(classify_trace_det(-3.0, 2.0), Stability::StableNode); // λ = −1, −2
/// assert_eq!(classify_trace_det(0.2, 1.0), Stability::UnstableFocus);
/// assert_eq!(classify_trace_det(1.0, -1.0), Stability::Saddle);
/// ```
pub fn classify_trace_det(trace: f64, det: f64) -> Stability {
    let disc = trace * trace - 4.0 * det;
    if det < 0.0 {
        Stability::Saddle
    } else if det == 0.0 {
        Stability::NonHyperbolic
    } else if trace == 0.0 {
        Stability::Center
    } else {
        match (trace < 0.0, disc >= 0.0) {
            (true, true) => Stability::StableNode,
            (true, false) => Stability::StableFocus,
            (false, true) => Stability::UnstableNode,
            (false, false) => Stability::UnstableFocus,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn eigenvalues_of_a_triangular_matrix_are_its_diagonal() {
        let ev = eigenvalues(&array![[3.0, 1.0, 7.0], [0.0, -2.0, 5.0], [0.0, 0.0, 0.5]]);
        let re: Vec<f64> = ev.iter().map(|e| e.0).collect();
        assert!((re[0] - 3.0).abs() < 1e-12 && (re[1] - 0.5).abs() < 1e-12 && (re[2] + 2.0).abs() < 1e-12);
        assert!(ev.iter().all(|e| e.1 == 0.0));
    }

    #[test]
    fn eigenvalues_satisfy_trace_and_determinant() {
        // Oracle: Σλ = tr A and Πλ = det A (a 2×2 with a complex pair).
        let a = array![[1.0, -4.0], [2.0, -0.5]];
        let ev = eigenvalues(&a);
        assert!((ev[0].0 + ev[1].0 - 0.5).abs() < 1e-12);
        let prod_re = ev[0].0 * ev[1].0 - ev[0].1 * ev[1].1;
        assert!((prod_re - 7.5).abs() < 1e-12);
    }

    #[test]
    fn trace_det_and_eigenvalue_classifications_agree_on_a_grid_of_matrices() {
        // Independent implementations: the τ–Δ closed form against the Schur eigenvalues.
        let vals: [f64; 6] = [-2.0, -1.0, -0.3, 0.4, 1.5, 3.0];
        let mut seen = std::collections::HashSet::new();
        for &a in &vals {
            for &b in &vals {
                for &c in &vals {
                    for &d in &[-1.5f64, -0.2, 0.7, 2.5] {
                        let m = array![[a, b], [c, d]];
                        let (tr, det) = (a + d, a * d - b * c);
                        if det.abs() < 1e-9 || tr.abs() < 1e-9 || (tr * tr - 4.0 * det).abs() < 1e-9 {
                            continue; // borderline cases depend on rounding
                        }
                        let k = classify(&m);
                        assert_eq!(k, classify_trace_det(tr, det), "{m}");
                        seen.insert(k);
                    }
                }
            }
        }
        assert_eq!(seen.len(), 5, "the grid should produce nodes, foci and saddles: {seen:?}");
    }

    #[test]
    fn centres_and_zero_eigenvalues() {
        assert_eq!(classify(&array![[0.0, 2.0], [-3.0, 0.0]]), Stability::Center);
        assert_eq!(classify(&array![[0.0, 1.0], [0.0, -1.0]]), Stability::NonHyperbolic);
        assert_eq!(classify_trace_det(0.0, 4.0), Stability::Center);
    }
}
