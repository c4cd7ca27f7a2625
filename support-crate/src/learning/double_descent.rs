//! Double descent: the test error of minimum-norm least squares on random features, against the
//! number of features $p$.
//!
//! With $n$ training points and a random feature matrix $\Phi\in\mathbb R^{n\times p}$, the fit
//! $$\hat a = \Phi^+y = \arg\min\{\lVert a\rVert : a \text{ minimizes } \lVert\Phi a - y\rVert\}$$
//! is least squares for $p<n$ and the minimum-norm **interpolant** for $p>n$. At $p = n$ the square
//! $\Phi$ has a tiny smallest singular value $s_{\min}$ and $\lVert\hat a\rVert\sim\lVert\text{noise}\rVert/s_{\min}$ explodes: the
//! test error peaks at the **interpolation threshold** $p = n$. Beyond it the minimum-norm choice
//! among ever more interpolants has a smaller norm and the error descends again, often below
//! the best under-parametrized model (Belkin et al. 2019; Hastie et al. 2022 for the asymptotics).
//!
//! ## Reference
//! M. Belkin, D. Hsu, S. Ma, S. Mandal (2019), *Reconciling modern machine-learning practice and
//! the classical bias–variance trade-off*, PNAS 116; T. Hastie, A. Montanari, S. Rosset,
//! R. Tibshirani (2022), *Surprises in high-dimensional ridgeless least squares interpolation*,
//! Ann. Statist. 50.
//!
//! Used in notebooks/13-generalization-and-implicit-bias.ipynb.

use super::RandomFeatures;
use ndarray::{Array1, Array2};
use rand_distr::{Distribution, StandardNormal};

/// The minimum-norm least-squares solution $\Phi^+y$ (singular values below $10^{-12}\sigma_1$ dropped).
///
/// # Panics
/// If `y` does not have one entry per row of `phi`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// // one equation a₁ + a₂ = 2: the shortest solution is (1, 1)
/// let a = course::learning::min_norm_fit(&array![[1.0, 1.0]], &array![2.0]);
/// assert!((a[0] - 1.0).abs() < 1e-12 && (a[1] - 1.0).abs() < 1e-12);
/// ```
pub fn min_norm_fit(phi: &Array2<f64>, y: &Array1<f64>) -> Array1<f64> {
    assert_eq!(y.len(), phi.nrows(), "min_norm_fit: y must have one entry per row of phi ({}), got {}", phi.nrows(), y.len());
    crate::linalg::pinv(phi, 1e-12).dot(y)
}

/// A double-descent curve: for each width, the mean over repeats of the test MSE, train MSE and
/// $\lVert\hat a\rVert$.
#[derive(Clone, Debug, PartialEq)]
pub struct DoubleDescent {
    /// The numbers of features $p$.
    pub widths: Vec<usize>,
    /// Test mean squared error (against the noiseless target).
    pub test_mse: Vec<f64>,
    /// Training mean squared error (0 once $p\ge n$).
    pub train_mse: Vec<f64>,
    /// Norm of the outer weights $\lVert\hat a\rVert$.
    pub norm: Vec<f64>,
}

impl DoubleDescent {
    /// The width of largest test error.
    ///
    /// # Examples
    /// ```
    /// let dd = course::learning::DoubleDescent { widths: vec![10, 20, 40], test_mse: vec![1.0, 5.0, 2.0], train_mse: vec![0.0; 3], norm: vec![1.0; 3] };
    /// assert_eq!(dd.peak_width(), 20);
    /// ```
    pub fn peak_width(&self) -> usize {
        let k = (0..self.widths.len()).fold(0, |b, k| if self.test_mse[k] > self.test_mse[b] { k } else { b });
        self.widths[k]
    }
}

/// The target of the experiment: $f(x) = \sin(2x_1) + x_2^2 - \tfrac12 x_3$ on inputs in $\mathbb R^d$, $d\ge3$.
///
/// # Examples
/// ```
/// let y = course::learning::dd_target(&ndarray::array![[0.0, 1.0, 2.0]]);
/// assert!((y[0] - 0.0).abs() < 1e-15);
/// ```
pub fn dd_target(x: &Array2<f64>) -> Array1<f64> {
    assert!(x.ncols() >= 3, "dd_target: inputs must have dim >= 3, got {}", x.ncols());
    Array1::from_shape_fn(x.nrows(), |i| (2.0 * x[[i, 0]]).sin() + x[[i, 1]].powi(2) - 0.5 * x[[i, 2]])
}

/// Runs the experiment: inputs $x\sim\mathcal N(0, I_d)$, labels `dd_target(x)` + $\mathcal N(0,\text{noise}^2)$,
/// ReLU random features $\mathrm{ReLU}(w\cdot x + b)$ with $w$ uniform on the sphere and $b\sim U[-1,1]$,
/// the min-norm fit for every width, `n_repeats` independent draws of data and features.
///
/// # Panics
/// If `dim < 3`, `n_train`, `n_test` or `n_repeats` is 0, or a width is 0.
///
/// # Examples
/// ```
/// let dd = course::learning::double_descent(40, 500, 5, &[10, 40, 400], 3, 0.5, 1);
/// assert!(dd.test_mse[1] > dd.test_mse[0] && dd.test_mse[1] > dd.test_mse[2]); // the peak at p = n
/// assert!(dd.train_mse[2] < 1e-12);                                             // interpolation
/// ```
pub fn double_descent(n_train: usize, n_test: usize, dim: usize, widths: &[usize], n_repeats: usize, noise: f64, seed: u64) -> DoubleDescent {
    assert!(n_train > 0 && n_test > 0 && n_repeats > 0, "double_descent: n_train, n_test and n_repeats must be > 0");
    assert!(widths.iter().all(|&p| p > 0), "double_descent: widths must be > 0");
    let mut rng = crate::rng::seeded(seed);
    let k = widths.len();
    let (mut test, mut train, mut norm) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
    for _ in 0..n_repeats {
        let mut gauss = |r: usize| Array2::from_shape_fn((r, dim), |_| <StandardNormal as Distribution<f64>>::sample(&StandardNormal, &mut rng));
        let (x, x_test) = (gauss(n_train), gauss(n_test));
        let f = dd_target(&x);
        let y = &f + &Array1::from(crate::rng::normal_vec(&mut rng, n_train)).mapv(|e| noise * e);
        let f_test = dd_target(&x_test);
        let p_max = *widths.iter().max().unwrap();
        // nested features: width p uses the first p of one large draw
        let rf = RandomFeatures::relu(&mut rng, dim, p_max, 1.0);
        let (phi_all, phi_test_all) = (rf.features(&x), rf.features(&x_test));
        for (j, &p) in widths.iter().enumerate() {
            let phi = phi_all.slice(ndarray::s![.., ..p]).to_owned();
            let a = min_norm_fit(&phi, &y);
            test[j] += crate::stats::mse(phi_test_all.slice(ndarray::s![.., ..p]).dot(&a).as_slice().unwrap(), f_test.as_slice().unwrap());
            train[j] += crate::stats::mse(phi.dot(&a).as_slice().unwrap(), y.as_slice().unwrap());
            norm[j] += a.dot(&a).sqrt();
        }
    }
    let r = n_repeats as f64;
    DoubleDescent {
        widths: widths.to_vec(),
        test_mse: test.into_iter().map(|v| v / r).collect(),
        train_mse: train.into_iter().map(|v| v / r).collect(),
        norm: norm.into_iter().map(|v| v / r).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_norm_fit_is_orthogonal_to_the_null_space() {
        let phi = Array2::from_shape_vec((3, 5), crate::rng::normal_vec(&mut crate::rng::seeded(1), 15)).unwrap();
        let y = Array1::from(vec![1.0, -2.0, 0.5]);
        let a = min_norm_fit(&phi, &y);
        assert!((phi.dot(&a) - &y).iter().all(|r| r.abs() < 1e-10)); // interpolates
        // a = Φᵀ(ΦΦᵀ)⁻¹y: in the row space
        let g = phi.dot(&phi.t());
        let c = crate::linalg::solve(&g, &y).unwrap();
        assert!((phi.t().dot(&c) - &a).iter().all(|d| d.abs() < 1e-10));
    }

    #[test]
    fn overdetermined_fit_is_least_squares() {
        let phi = Array2::from_shape_vec((8, 3), crate::rng::normal_vec(&mut crate::rng::seeded(2), 24)).unwrap();
        let y = Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(3), 8));
        let a = min_norm_fit(&phi, &y);
        let qr = crate::learning::lstsq_qr(&phi, &y).unwrap();
        assert!((&a - &qr).iter().all(|d| d.abs() < 1e-10));
    }

    #[test]
    fn the_norm_peaks_at_the_threshold() {
        let dd = double_descent(30, 100, 4, &[10, 20, 30, 60, 300], 3, 0.3, 4);
        assert_eq!(dd.peak_width(), 30);
        assert!(dd.norm[2] > dd.norm[1] && dd.norm[2] > dd.norm[3] && dd.norm[3] > dd.norm[4]);
    }
}
