//! A sum of cosines: a smooth, bounded, non-convex test function with many stationary points.
//!
//! $$f(x) = \sum_{j=1}^{J} a_j\cos(w_j^\top x + b_j),\qquad
//!   \nabla^2 f(x) = -\sum_j a_j\cos(w_j^\top x + b_j)\,w_jw_j^\top,$$
//! so $f$ is $L$-smooth with $L\le\sum_j|a_j|\,\lVert w_j\rVert^2$ and bounded below by
//! $-\sum_j|a_j|$ — the two constants the non-convex rate of gradient descent needs.
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), §1.2.3 (gradient method on smooth
//! non-convex functions).
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use super::Objective;
use ndarray::{Array1, Array2};

/// $f(x) = \sum_j a_j\cos(w_j^\top x + b_j)$.
#[derive(Clone, Debug, PartialEq)]
pub struct CosineSum {
    /// Amplitudes $a_j$.
    pub amplitudes: Vec<f64>,
    /// Frequencies $w_j$, one per row.
    pub frequencies: Array2<f64>,
    /// Phases $b_j$.
    pub phases: Vec<f64>,
}

impl CosineSum {
    /// `n_terms` random terms in dimension `dim`: $a_j\sim U[0.5, 1.5]$, $w_j\sim\mathcal N(0, I)$,
    /// $b_j\sim U[0, 2\pi]$, from `seed`.
    ///
    /// # Panics
    /// If `dim == 0` or `n_terms == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::optim::{CosineSum, Objective};
    /// let f = CosineSum::random(2, 5, 0);
    /// let x = ndarray::array![0.3, -0.2];
    /// assert!(f.value(&x).abs() <= f.lower_bound().abs());
    /// ```
    pub fn random(dim: usize, n_terms: usize, seed: u64) -> Self {
        assert!(dim > 0 && n_terms > 0, "CosineSum::random: dim and n_terms must be > 0, got {dim} and {n_terms}");
        let mut rng = crate::rng::seeded(seed);
        let amplitudes = crate::rng::uniform_vec(&mut rng, n_terms, 0.5, 1.5);
        let frequencies = Array2::from_shape_vec((n_terms, dim), crate::rng::normal_vec(&mut rng, n_terms * dim)).unwrap();
        let phases = crate::rng::uniform_vec(&mut rng, n_terms, 0.0, std::f64::consts::TAU);
        CosineSum { amplitudes, frequencies, phases }
    }

    /// The smoothness bound $L = \sum_j|a_j|\lVert w_j\rVert^2$.
    ///
    /// # Examples
    /// ```
    /// use course::optim::CosineSum;
    /// let f = CosineSum { amplitudes: vec![2.0], frequencies: ndarray::array![[3.0, 4.0]], phases: vec![0.0] };
    /// assert_eq!(f.smoothness(), 50.0);
    /// ```
    pub fn smoothness(&self) -> f64 {
        self.amplitudes.iter().zip(self.frequencies.rows()).map(|(a, w)| a.abs() * w.dot(&w)).sum()
    }

    /// The lower bound $-\sum_j|a_j|\le f^\star$.
    ///
    /// # Examples
    /// ```
    /// use course::optim::CosineSum;
    /// let f = CosineSum { amplitudes: vec![2.0, -1.0], frequencies: ndarray::array![[1.0], [2.0]], phases: vec![0.0, 0.0] };
    /// assert_eq!(f.lower_bound(), -3.0);
    /// ```
    pub fn lower_bound(&self) -> f64 {
        -self.amplitudes.iter().map(|a| a.abs()).sum::<f64>()
    }

    fn phase(&self, j: usize, x: &Array1<f64>) -> f64 {
        assert_eq!(x.len(), self.frequencies.ncols(), "CosineSum: x must have {} entries, got {}", self.frequencies.ncols(), x.len());
        self.frequencies.row(j).dot(x) + self.phases[j]
    }
}

impl Objective for CosineSum {
    fn value(&self, x: &Array1<f64>) -> f64 {
        (0..self.amplitudes.len()).map(|j| self.amplitudes[j] * self.phase(j, x).cos()).sum()
    }
    fn gradient(&self, x: &Array1<f64>) -> Array1<f64> {
        let mut g = Array1::zeros(x.len());
        for j in 0..self.amplitudes.len() {
            g.scaled_add(-self.amplitudes[j] * self.phase(j, x).sin(), &self.frequencies.row(j));
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{hessian_fd, symmetric_eigenvalues};

    #[test]
    fn gradient_matches_finite_differences_and_hessian_respects_l() {
        let f = CosineSum::random(3, 7, 4);
        let mut rng = crate::rng::seeded(9);
        let mut min_eig = f64::INFINITY;
        for _ in 0..50 {
            let x = Array1::from(crate::rng::normal_vec(&mut rng, 3)) * 2.0;
            let g = f.gradient(&x);
            for i in 0..3 {
                let mut e = Array1::zeros(3);
                e[i] = 1e-6;
                let fd = (f.value(&(&x + &e)) - f.value(&(&x - &e))) / 2e-6;
                assert!((fd - g[i]).abs() < 1e-7);
            }
            let ev = symmetric_eigenvalues(&hessian_fd(&f, &x, 1e-4));
            assert!(ev.iter().all(|e| e.abs() <= f.smoothness()));
            min_eig = min_eig.min(ev[ev.len() - 1]); // eigenvalues come in decreasing order
        }
        assert!(min_eig < 0.0, "non-convex: some Hessian has a negative eigenvalue");
    }
}
