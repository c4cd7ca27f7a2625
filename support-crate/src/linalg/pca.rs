//! Principal component analysis: the SVD of the centred data matrix.
//!
//! For samples $x_1,\dots,x_n\in\mathbb R^d$ (the rows of $X$) with mean $\bar x$, centre
//! $X_c = X - \mathbf 1\bar x^\top$ and take its SVD $X_c = U\Sigma V^\top$. Then the sample covariance
//! $$S = \frac{1}{n-1}X_c^\top X_c = V\,\frac{\Sigma^2}{n-1}\,V^\top :$$
//! the principal directions are the right singular vectors $v_i$, the variance along $v_i$ is
//! $\lambda_i = \sigma_i^2/(n-1)$, and the first $k$ directions span the $k$-dimensional
//! subspace that keeps the most variance (Eckart–Young applied to $X_c$).
//!
//! ## Reference
//! Strang, *Linear Algebra and Learning from Data*, I.9; Bishop, *Pattern Recognition and
//! Machine Learning*, §12.1.
//!
//! Used in notebooks/02-linear-systems-and-svd.ipynb.

use ndarray::{Array1, Array2, Axis, s};

/// A fitted PCA: the mean, the leading principal directions and their variances.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // Points on the line y = x: one direction carries all the variance.
/// let x = array![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]];
/// let pca = course::linalg::Pca::fit(&x, 2);
/// assert!((pca.components[[0, 0]] - 0.5f64.sqrt()).abs() < 1e-12);
/// assert!((pca.explained_variance_ratio[0] - 1.0).abs() < 1e-12);
/// assert!((pca.explained_variance[0] - 10.0 / 3.0).abs() < 1e-12); // var(x) + var(y)
/// ```
#[derive(Clone, Debug)]
pub struct Pca {
    /// The sample mean $\bar x$ (length `dim`).
    pub mean: Array1<f64>,
    /// Principal directions as rows (`n_components` × `dim`), orthonormal; each is signed so
    /// that its entry of largest magnitude is positive.
    pub components: Array2<f64>,
    /// Variance along each direction, $\sigma_i^2/(n-1)$, descending.
    pub explained_variance: Array1<f64>,
    /// Fraction of the total variance along each direction.
    pub explained_variance_ratio: Array1<f64>,
    /// The singular values $\sigma_i$ of the centred data.
    pub singular_values: Array1<f64>,
}

impl Pca {
    /// Fits `n_components` principal directions to the rows of `x` (n_samples × dim).
    ///
    /// # Panics
    /// If `x` has fewer than 2 rows, a non-finite entry, or
    /// `n_components` is 0 or exceeds `min(n_samples, dim)`.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// // Four corners of a 4 × 2 rectangle: variances 16/3 along x and 4/3 along y.
    /// let x = array![[2.0, 1.0], [-2.0, 1.0], [2.0, -1.0], [-2.0, -1.0]];
    /// let pca = course::linalg::Pca::fit(&x, 2);
    /// assert!((pca.explained_variance[0] - 16.0 / 3.0).abs() < 1e-12);
    /// assert!((pca.components[[0, 0]] - 1.0).abs() < 1e-12); // the x axis, signed positive
    /// assert!((pca.explained_variance_ratio[1] - 0.2).abs() < 1e-12);
    /// ```
    pub fn fit(x: &Array2<f64>, n_components: usize) -> Pca {
        let (n_samples, dim) = x.dim();
        assert!(n_samples >= 2, "Pca::fit: need at least 2 samples (rows), got {n_samples}");
        let r = n_samples.min(dim);
        assert!(
            n_components >= 1 && n_components <= r,
            "Pca::fit: n_components must be in 1..=min(n_samples, dim) = {r}, got {n_components}"
        );
        let mean = x.mean_axis(Axis(0)).expect("n_samples >= 2");
        let centred = x - &mean.view().insert_axis(Axis(0));
        let d = super::svd(&centred);
        let total: f64 = d.s.iter().map(|v| v * v).sum();
        let mut components = d.vt.slice(s![..n_components, ..]).to_owned();
        for mut row in components.rows_mut() {
            let big = row.iter().fold(0.0f64, |b, &v| if v.abs() > b.abs() { v } else { b });
            if big < 0.0 {
                row.mapv_inplace(|v| -v);
            }
        }
        let sv = d.s.slice(s![..n_components]).to_owned();
        let explained_variance = sv.mapv(|v| v * v / (n_samples - 1) as f64);
        let explained_variance_ratio = if total > 0.0 { sv.mapv(|v| v * v / total) } else { Array1::zeros(n_components) };
        Pca { mean, components, explained_variance, explained_variance_ratio, singular_values: sv }
    }

    /// Coordinates of the rows of `x` along the principal directions, $(x-\bar x)V_k$
    /// (n × n_components).
    ///
    /// # Panics
    /// If `x` does not have `dim` columns.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let x = array![[0.0, 0.0], [2.0, 2.0]];
    /// let z = course::linalg::Pca::fit(&x, 1).transform(&x);
    /// assert!((z[[1, 0]] - 2f64.sqrt()).abs() < 1e-12); // distance from the mean (1, 1)
    /// ```
    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        let dim = self.mean.len();
        assert_eq!(x.ncols(), dim, "Pca::transform: x must have dim = {dim} columns, got {}", x.ncols());
        (x - &self.mean.view().insert_axis(Axis(0))).dot(&self.components.t())
    }

    /// Back from coordinates `z` (n × n_components) to points $\bar x + zV_k^\top$ in the
    /// original space: the projection of the data onto the principal subspace.
    ///
    /// # Panics
    /// If `z` does not have `n_components` columns.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let x = array![[1.0, 0.0], [3.0, 0.1], [5.0, -0.1]];
    /// let pca = course::linalg::Pca::fit(&x, 2);
    /// let back = pca.inverse_transform(&pca.transform(&x)); // all components: lossless
    /// assert!((&back - &x).iter().all(|e| e.abs() < 1e-12));
    /// ```
    pub fn inverse_transform(&self, z: &Array2<f64>) -> Array2<f64> {
        let k = self.components.nrows();
        assert_eq!(z.ncols(), k, "Pca::inverse_transform: z must have n_components = {k} columns, got {}", z.ncols());
        z.dot(&self.components) + self.mean.view().insert_axis(Axis(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planted(seed: u64, n: usize) -> (Array2<f64>, Array2<f64>) {
        // x = W diag(3, 2) z + 0.1 ε + offset, W: two orthonormal directions in R⁵.
        let mut rng = crate::rng::seeded(seed);
        let w = crate::linalg::random_orthogonal(&mut rng, 5).slice(s![.., ..2]).to_owned();
        let z = Array2::from_shape_vec((n, 2), crate::rng::normal_vec(&mut rng, 2 * n)).unwrap() * &ndarray::array![3.0, 2.0];
        let eps = Array2::from_shape_vec((n, 5), crate::rng::normal_vec(&mut rng, 5 * n)).unwrap();
        (z.dot(&w.t()) + eps * 0.1 + &ndarray::array![1.0, -2.0, 0.0, 5.0, 3.0], w)
    }

    #[test]
    fn components_are_eigenvectors_of_the_sample_covariance() {
        // Independent oracle: eigendecomposition of S = X_cᵀX_c/(n−1).
        let (x, _) = planted(91, 300);
        let pca = Pca::fit(&x, 5);
        let xc = &x - &x.mean_axis(Axis(0)).unwrap().insert_axis(Axis(0));
        let cov = xc.t().dot(&xc) / 299.0;
        let e = crate::linalg::symmetric_eigen(&cov);
        for i in 0..5 {
            assert!((pca.explained_variance[i] - e.values[i]).abs() < 1e-10 * e.values[0]);
            let dot = pca.components.row(i).dot(&e.vectors.column(i));
            assert!((dot.abs() - 1.0).abs() < 1e-8, "direction {i}: |cos| = {}", dot.abs());
        }
        assert!((pca.explained_variance_ratio.sum() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn planted_directions_and_variances_are_recovered() {
        let (x, w) = planted(92, 4000);
        let pca = Pca::fit(&x, 2);
        for i in 0..2 {
            let cos = pca.components.row(i).dot(&w.column(i)).abs();
            assert!(cos > 0.999, "direction {i}: |cos| = {cos}");
        }
        // Variances 9 + 0.01 and 4 + 0.01, within 4 standard errors √(2/n)·λ.
        let se = (2.0 / 4000f64).sqrt();
        assert!((pca.explained_variance[0] / 9.01 - 1.0).abs() < 4.0 * se);
        assert!((pca.explained_variance[1] / 4.01 - 1.0).abs() < 4.0 * se);
    }

    #[test]
    fn scores_are_uncorrelated_with_the_explained_variances() {
        let (x, _) = planted(93, 200);
        let pca = Pca::fit(&x, 3);
        let z = pca.transform(&x);
        let cov = z.t().dot(&z) / 199.0;
        for i in 0..3 {
            for j in 0..3 {
                let expected = if i == j { pca.explained_variance[i] } else { 0.0 };
                assert!((cov[[i, j]] - expected).abs() < 1e-10);
            }
        }
    }

    #[test]
    #[should_panic(expected = "n_components must be in 1..=min(n_samples, dim) = 2")]
    fn too_many_components_are_rejected() {
        let _ = Pca::fit(&Array2::zeros((5, 2)), 3);
    }
}
