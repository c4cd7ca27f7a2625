//! The Fréchet distance between Gaussians fitted to two samples: the distance behind FID.
//!
//! For $\mathcal N(\mu_1,\Sigma_1)$ and $\mathcal N(\mu_2,\Sigma_2)$ the 2-Wasserstein distance is
//! $$d^2 = \lVert\mu_1-\mu_2\rVert^2 + \operatorname{tr}\Big(\Sigma_1+\Sigma_2-2\big(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2}\big)^{1/2}\Big)$$
//! (Dowson & Landau 1982). Heusel et al. (2017) compute it between the sample means and
//! covariances of real and generated images in the feature space of a trained classifier and
//! call it FID; the course does the same for digits with its own classifier. The square roots
//! are taken by the symmetric eigensolver, negative rounding eigenvalues set to 0.
//!
//! Used in notebooks/31-diffusion-models-ddpm.ipynb.

use super::check_samples;
use crate::linalg::symmetric_eigen;
use ndarray::{Array1, Array2, Axis};

/// The sample mean and covariance (divisor $n - 1$) of the rows of `x`.
fn moments(x: &Array2<f64>) -> (Array1<f64>, Array2<f64>) {
    let mean = x.mean_axis(Axis(0)).expect("at least one row");
    let c = x - &mean;
    let cov = c.t().dot(&c) / (x.nrows() as f64 - 1.0);
    (mean, cov)
}

/// $A^{1/2}$ of a symmetric positive semi-definite matrix.
fn sqrt_psd(a: &Array2<f64>) -> Array2<f64> {
    // Symmetrize first: products of symmetric matrices carry rounding asymmetry.
    let sym = (a + &a.t()) / 2.0;
    let e = symmetric_eigen(&sym);
    let roots = e.values.mapv(|l| l.max(0.0).sqrt());
    (&e.vectors * &roots).dot(&e.vectors.t())
}

/// $d^2$ above between Gaussians fitted to the rows of `x` and of `y` (same number of
/// columns, at least 2 rows each).
///
/// # Panics
/// If a sample has fewer than 2 rows or the column counts differ.
///
/// # Examples
/// ```
/// use course::generative::metrics::frechet_distance;
/// use ndarray::array;
/// // 1-D: (m₁ − m₂)² + (s₁ − s₂)² with the sample standard deviations.
/// let (x, y) = (array![[0.0], [2.0]], array![[3.0], [7.0]]); // means 1 and 5, sds √2 and √8
/// let exact = 16.0 + (2f64.sqrt() - 8f64.sqrt()).powi(2);
/// assert!((frechet_distance(&x, &y) - exact).abs() < 1e-12);
/// // A sample against itself: 0.
/// let z = array![[1.0, 2.0], [0.5, -1.0], [3.0, 0.0], [2.0, 2.5]];
/// assert!(frechet_distance(&z, &z).abs() < 1e-12);
/// ```
pub fn frechet_distance(x: &Array2<f64>, y: &Array2<f64>) -> f64 {
    check_samples("frechet_distance", x, y, 2);
    let ((m1, s1), (m2, s2)) = (moments(x), moments(y));
    let r1 = sqrt_psd(&s1);
    let cross = sqrt_psd(&r1.dot(&s2).dot(&r1));
    let diff = &m1 - &m2;
    (diff.dot(&diff) + s1.diag().sum() + s2.diag().sum() - 2.0 * cross.diag().sum()).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal_vec, seeded};

    #[test]
    fn commuting_covariances_give_the_closed_form() {
        // Oracle: for diagonal Σ₁, Σ₂ the cross term is Σᵢ σ₁ᵢσ₂ᵢ, so d² = ‖Δμ‖² + Σᵢ(σ₁ᵢ − σ₂ᵢ)²,
        // computed from the samples' own means and (diagonal) covariances. The samples are
        // built with exactly diagonal covariance: ± pairs on the axes.
        let axes = |scales: [f64; 3], shift: [f64; 3]| {
            Array2::from_shape_fn((6, 3), |(r, j)| shift[j] + if r / 2 == j { if r % 2 == 0 { scales[j] } else { -scales[j] } } else { 0.0 })
        };
        let (x, y) = (axes([1.0, 2.0, 0.5], [0.0, 1.0, -1.0]), axes([3.0, 0.5, 0.5], [2.0, 1.0, 0.0]));
        // Sample variance of {±s, 0, 0, 0, 0} with divisor 5: 2s²/5.
        let sd = |s: f64| (2.0 * s * s / 5.0).sqrt();
        let exact: f64 = 4.0 + 1.0 + [(1.0, 3.0), (2.0, 0.5), (0.5, 0.5)].iter().map(|&(a, b)| (sd(a) - sd(b)).powi(2)).sum::<f64>();
        assert!((frechet_distance(&x, &y) - exact).abs() < 1e-10, "{} vs {exact}", frechet_distance(&x, &y));
    }

    #[test]
    fn it_is_symmetric_and_invariant_under_a_rotation_of_both_samples() {
        let x = Array2::from_shape_vec((50, 4), normal_vec(&mut seeded(1), 200)).unwrap();
        let y = Array2::from_shape_vec((40, 4), normal_vec(&mut seeded(2), 160)).unwrap() * 1.5 + 0.3;
        let q = crate::linalg::random_orthogonal(&mut seeded(3), 4);
        let d = frechet_distance(&x, &y);
        assert!((d - frechet_distance(&y, &x)).abs() < 1e-10 * d);
        assert!((d - frechet_distance(&x.dot(&q), &y.dot(&q))).abs() < 1e-10 * d);
    }
}
