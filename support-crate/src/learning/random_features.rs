//! Random features and Barron's $1/\sqrt n$: Monte Carlo approximation by a width-$n$ layer.
//!
//! If a target is an average of features, $f(x) = \mathbb E_{\theta\sim p}\big[a(\theta)\,\varphi(x;\theta)\big]$,
//! then $n$ independent draws $\theta_j\sim p$ give the width-$n$ network
//! $f_n(x) = \frac1n\sum_{j=1}^n a(\theta_j)\,\varphi(x;\theta_j)$ with
//! $$\mathbb E\,\lVert f - f_n\rVert_{L^2(\mu)}^2 = \frac{\mathbb E_\theta\lVert a(\theta)\varphi(\cdot;\theta)\rVert^2_{L^2(\mu)} - \lVert f\rVert^2_{L^2(\mu)}}{n}
//!   \le \frac{C_f^2}{n},$$
//! a rate $n^{-1/2}$ **independent of the dimension** (Maurey; Barron 1993, whose $C_f$ is
//! $\int|\omega|\,|\hat f(\omega)|\,d\omega$ for sigmoidal units). Here the features are random
//! Fourier features $\varphi(x; w, b) = \cos(w\cdot x + b)$, $w\sim\mathcal N(0,\sigma^2 I)$,
//! $b\sim U[0, 2\pi)$, for which $\mathbb E[2\cos(w\cdot x+b)\cos(w\cdot c+b)] = e^{-\sigma^2\lVert x-c\rVert^2/2}$:
//! a sum of Gaussian bumps $f(x) = \sum_i \alpha_i e^{-\sigma^2\lVert x - c_i\rVert^2/2}$ is such an
//! average, with $a(w, b) = 2\sum_i\alpha_i\cos(w\cdot c_i + b)$. Fitting the outer weights by least
//! squares instead (the same random inner layer) can only do better on the training points,
//! since the Monte Carlo weights are one candidate. ReLU features
//! $\mathrm{ReLU}(w\cdot x + b)$ with $w$ uniform on the sphere are also provided.
//!
//! ## Reference
//! A. R. Barron (1993), *Universal approximation bounds for superpositions of a sigmoidal
//! function*, IEEE Trans. Inf. Theory 39; A. Rahimi & B. Recht (2007), *Random features for
//! large-scale kernel machines*, NeurIPS; G. Pisier (1981) for Maurey's lemma.
//!
//! Used in notebooks/08-universal-approximation.ipynb.

use crate::rng::Rng;
use ndarray::{Array1, Array2, Axis};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::PI;

/// Which nonlinearity the random layer uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureKind {
    /// $\cos(w\cdot x + b)$.
    Cosine,
    /// $\mathrm{ReLU}(w\cdot x + b)$.
    Relu,
}

/// A random (untrained) hidden layer: rows of `w` are the inner weights $w_j$, `b` the biases.
///
/// # Examples
/// ```
/// use course::learning::RandomFeatures;
/// let rf = RandomFeatures::cosine(&mut course::rng::seeded(1), 3, 50, 1.0);
/// let phi = rf.features(&ndarray::Array2::zeros((4, 3)));
/// assert_eq!(phi.dim(), (4, 50));
/// assert!((phi[[0, 7]] - rf.b[7].cos()).abs() < 1e-15); // at x = 0: cos b_j
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RandomFeatures {
    /// The nonlinearity.
    pub kind: FeatureKind,
    /// Inner weights, `n_features × dim`.
    pub w: Array2<f64>,
    /// Biases, `n_features`.
    pub b: Array1<f64>,
}

impl RandomFeatures {
    /// Random Fourier features: $w_j\sim\mathcal N(0, \text{scale}^2 I)$, $b_j\sim U[0, 2\pi)$.
    ///
    /// # Panics
    /// If `dim == 0`, `n_features == 0` or `scale` is not finite and > 0.
    pub fn cosine(rng: &mut impl Rng, dim: usize, n_features: usize, scale: f64) -> Self {
        check_sizes("RandomFeatures::cosine", dim, n_features);
        assert!(scale.is_finite() && scale > 0.0, "RandomFeatures::cosine: scale must be finite and > 0, got {scale}");
        let w = Array2::from_shape_fn((n_features, dim), |_| scale * <StandardNormal as Distribution<f64>>::sample(&StandardNormal, rng));
        let b = Array1::from_shape_fn(n_features, |_| rng.random_range(0.0..2.0 * PI));
        RandomFeatures { kind: FeatureKind::Cosine, w, b }
    }

    /// Random ReLU features: $w_j$ uniform on the unit sphere, $b_j\sim U[-\text{b_max}, \text{b_max}]$.
    ///
    /// # Panics
    /// If `dim == 0`, `n_features == 0` or `b_max` is not finite and > 0.
    ///
    /// # Examples
    /// ```
    /// use course::learning::RandomFeatures;
    /// let rf = RandomFeatures::relu(&mut course::rng::seeded(4), 2, 30, 1.0);
    /// assert_eq!((rf.dim(), rf.n_features()), (2, 30));
    /// assert!(rf.b.iter().all(|b| b.abs() <= 1.0));
    /// ```
    pub fn relu(rng: &mut impl Rng, dim: usize, n_features: usize, b_max: f64) -> Self {
        check_sizes("RandomFeatures::relu", dim, n_features);
        assert!(b_max.is_finite() && b_max > 0.0, "RandomFeatures::relu: b_max must be finite and > 0, got {b_max}");
        let mut w: Array2<f64> = Array2::from_shape_fn((n_features, dim), |_| StandardNormal.sample(rng));
        for mut row in w.rows_mut() {
            let norm = row.dot(&row).sqrt();
            row /= norm;
        }
        let b = Array1::from_shape_fn(n_features, |_| rng.random_range(-b_max..b_max));
        RandomFeatures { kind: FeatureKind::Relu, w, b }
    }

    /// The width $n$.
    pub fn n_features(&self) -> usize {
        self.w.nrows()
    }

    /// The input dimension.
    pub fn dim(&self) -> usize {
        self.w.ncols()
    }

    /// The feature matrix $\Phi_{ij} = \varphi(x_i; w_j, b_j)$, `n_samples × n_features`.
    ///
    /// # Panics
    /// If `x` does not have `dim` columns.
    pub fn features(&self, x: &Array2<f64>) -> Array2<f64> {
        assert_eq!(x.ncols(), self.dim(), "RandomFeatures::features: x must have dim = {} columns, got {}", self.dim(), x.ncols());
        let mut z = x.dot(&self.w.t()) + self.b.view().insert_axis(Axis(0));
        match self.kind {
            FeatureKind::Cosine => z.mapv_inplace(f64::cos),
            FeatureKind::Relu => z.mapv_inplace(|v| v.max(0.0)),
        }
        z
    }

    /// Outer weights by least squares, $\arg\min_a\lVert\Phi a - y\rVert^2$ (Householder QR).
    ///
    /// # Errors
    /// If $\Phi$ is numerically rank deficient (more features than samples, or duplicates).
    ///
    /// # Panics
    /// If `y` does not have one entry per row of `x`, or `x` does not have `dim` columns.
    ///
    /// # Examples
    /// ```
    /// use course::learning::RandomFeatures;
    /// use ndarray::{Array1, Array2};
    /// // A target in the span of the features is fitted exactly.
    /// let rf = RandomFeatures::cosine(&mut course::rng::seeded(5), 1, 5, 1.0);
    /// let x = Array2::from_shape_fn((40, 1), |(i, _)| i as f64 / 10.0 - 2.0);
    /// let a_true = Array1::from(vec![1.0, -2.0, 0.5, 0.0, 3.0]);
    /// let a = rf.fit(&x, &rf.predict(&x, &a_true)).unwrap();
    /// assert!((&a - &a_true).iter().all(|d| d.abs() < 1e-8));
    /// ```
    pub fn fit(&self, x: &Array2<f64>, y: &Array1<f64>) -> Result<Array1<f64>, crate::linalg::LinalgError> {
        super::lstsq_qr(&self.features(x), y)
    }

    /// The network's output $\sum_j a_j\varphi(x_i; w_j, b_j)$ at every row of `x`.
    ///
    /// # Panics
    /// If `outer` does not have one entry per feature, or `x` does not have `dim` columns.
    pub fn predict(&self, x: &Array2<f64>, outer: &Array1<f64>) -> Array1<f64> {
        assert_eq!(outer.len(), self.n_features(), "RandomFeatures::predict: outer must have one weight per feature ({}), got {}", self.n_features(), outer.len());
        self.features(x).dot(outer)
    }
}

fn check_sizes(what: &str, dim: usize, n_features: usize) {
    assert!(dim > 0, "{what}: dim must be > 0, got 0");
    assert!(n_features > 0, "{what}: n_features must be > 0, got 0");
}

/// A target in Barron space: $f(x) = \sum_i\alpha_i\exp(-\sigma^2\lVert x - c_i\rVert^2/2)$, an
/// exact average of cosine features of scale $\sigma$ (see the module docs).
///
/// # Examples
/// ```
/// use course::learning::GaussianBumps;
/// let f = GaussianBumps::new(ndarray::array![[0.0, 0.0]], vec![2.0], 1.0);
/// let v = f.eval(&ndarray::array![[0.0, 0.0], [1.0, 1.0]]);
/// assert!((v[0] - 2.0).abs() < 1e-15 && (v[1] - 2.0 * (-1.0f64).exp()).abs() < 1e-15);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianBumps {
    /// Centres $c_i$, one per row.
    pub centers: Array2<f64>,
    /// Amplitudes $\alpha_i$.
    pub alphas: Vec<f64>,
    /// The inverse width $\sigma$ (= the scale of the matching cosine features).
    pub scale: f64,
}

impl GaussianBumps {
    /// The target with the given centres, amplitudes and scale.
    ///
    /// # Panics
    /// If there is not one amplitude per centre, or `scale` is not finite and > 0.
    pub fn new(centers: Array2<f64>, alphas: Vec<f64>, scale: f64) -> Self {
        assert_eq!(centers.nrows(), alphas.len(), "GaussianBumps::new: need one alpha per centre, got {} centres and {} alphas", centers.nrows(), alphas.len());
        assert!(scale.is_finite() && scale > 0.0, "GaussianBumps::new: scale must be finite and > 0, got {scale}");
        GaussianBumps { centers, alphas, scale }
    }

    /// The input dimension.
    pub fn dim(&self) -> usize {
        self.centers.ncols()
    }

    /// $f$ at every row of `x`.
    ///
    /// # Panics
    /// If `x` does not have `dim` columns.
    pub fn eval(&self, x: &Array2<f64>) -> Array1<f64> {
        assert_eq!(x.ncols(), self.dim(), "GaussianBumps::eval: x must have dim = {} columns, got {}", self.dim(), x.ncols());
        let s2 = self.scale * self.scale;
        Array1::from_shape_fn(x.nrows(), |i| {
            self.centers
                .rows()
                .into_iter()
                .zip(&self.alphas)
                .map(|(c, a)| {
                    let d2: f64 = c.iter().zip(x.row(i)).map(|(ci, xi)| (ci - xi).powi(2)).sum();
                    a * (-0.5 * s2 * d2).exp()
                })
                .sum()
        })
    }

    /// The Monte Carlo outer weights $a_j = \frac2n\sum_i\alpha_i\cos(w_j\cdot c_i + b_j)$, so
    /// that `rf.predict(x, &weights)` is the unbiased estimate $f_n$ of $f$.
    ///
    /// The estimate is unbiased only if `rf` was drawn with this target's `scale` (a layer does
    /// not store its scale, so a mismatch cannot be detected).
    ///
    /// # Panics
    /// Unless `rf` is a cosine layer of dimension `dim`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::{GaussianBumps, RandomFeatures};
    /// let f = GaussianBumps::new(ndarray::array![[0.0]], vec![1.0], 1.0);
    /// let rf = RandomFeatures::cosine(&mut course::rng::seeded(6), 1, 20_000, 1.0);
    /// let a = f.monte_carlo_weights(&rf);
    /// // f(0) = 1 is estimated to within a few standard errors (about 0.007 each).
    /// let f0 = rf.predict(&ndarray::array![[0.0]], &a)[0];
    /// assert!((f0 - 1.0).abs() < 0.03);
    /// ```
    pub fn monte_carlo_weights(&self, rf: &RandomFeatures) -> Array1<f64> {
        assert_eq!(rf.kind, FeatureKind::Cosine, "GaussianBumps::monte_carlo_weights: rf must be a cosine layer");
        assert_eq!(rf.dim(), self.dim(), "GaussianBumps::monte_carlo_weights: rf.dim() = {} must equal dim = {}", rf.dim(), self.dim());
        let n = rf.n_features() as f64;
        let phases = self.centers.dot(&rf.w.t()) + rf.b.view().insert_axis(Axis(0)); // (m, n)
        Array1::from_shape_fn(rf.n_features(), |j| {
            2.0 / n * self.alphas.iter().enumerate().map(|(i, a)| a * phases[[i, j]].cos()).sum::<f64>()
        })
    }
}

impl GaussianBumps {
    /// `n_bumps` bumps with centres $c_i\sim\mathcal N(0, I_{\text{dim}})$, amplitudes
    /// $\alpha_i = \pm 1$ alternating, and scale $\sigma = 1/\sqrt{\text{dim}}$ (widths matched
    /// to inputs $x\sim\mathcal N(0, I)$, so the target stays of order one in every dimension).
    ///
    /// # Panics
    /// If `dim == 0` or `n_bumps == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::learning::GaussianBumps;
    /// let f = GaussianBumps::random(&mut course::rng::seeded(1), 10, 3);
    /// assert_eq!((f.dim(), f.alphas.len()), (10, 3));
    /// assert!((f.scale - 10f64.sqrt().recip()).abs() < 1e-15);
    /// ```
    pub fn random(rng: &mut impl Rng, dim: usize, n_bumps: usize) -> Self {
        assert!(dim > 0 && n_bumps > 0, "GaussianBumps::random: dim and n_bumps must be > 0, got {dim} and {n_bumps}");
        let centers: Array2<f64> = Array2::from_shape_fn((n_bumps, dim), |_| StandardNormal.sample(rng));
        let alphas = (0..n_bumps).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 }).collect();
        GaussianBumps::new(centers, alphas, 1.0 / (dim as f64).sqrt())
    }
}

/// Relative errors $\lVert f - f_n\rVert/\lVert f\rVert$ (empirical $L^2$ on `n_test` points
/// $x\sim\mathcal N(0, I)$) of the Monte Carlo networks $f_n$ (cosine features of the target's
/// scale, [`GaussianBumps::monte_carlo_weights`]) for each width in `widths`, as
/// $\big(\text{mean}_{\text{seeds}}\lVert f-f_n\rVert^2 / \text{mean}_{\text{seeds}}\lVert f\rVert^2\big)^{1/2}$
/// over `n_seeds` seeds `seed, seed + 1, …`. No least squares: cheap in any dimension.
///
/// # Panics
/// If `n_seeds == 0`, `n_test == 0` or some width is 0.
///
/// # Examples
/// ```
/// use course::learning::{monte_carlo_rates, GaussianBumps};
/// let f = GaussianBumps::random(&mut course::rng::seeded(3), 4, 2);
/// let e = monte_carlo_rates(&f, &[10, 1000], 10, 300, 5);
/// assert!(e[1] < 0.2 * e[0]); // 100× the width: about 10× smaller
/// ```
pub fn monte_carlo_rates(target: &GaussianBumps, widths: &[usize], n_seeds: usize, n_test: usize, seed: u64) -> Vec<f64> {
    assert!(n_seeds > 0 && n_test > 0, "monte_carlo_rates: n_seeds and n_test must be > 0, got {n_seeds} and {n_test}");
    assert!(widths.iter().all(|&n| n > 0), "monte_carlo_rates: widths must be > 0");
    let dim = target.dim();
    let (mut err2, mut norm2) = (vec![0.0; widths.len()], 0.0);
    for s in 0..n_seeds {
        let mut rng = crate::rng::seeded(seed + s as u64);
        let x_test: Array2<f64> = Array2::from_shape_fn((n_test, dim), |_| StandardNormal.sample(&mut rng));
        let y = target.eval(&x_test);
        norm2 += y.dot(&y) / n_test as f64;
        for (i, &n) in widths.iter().enumerate() {
            let rf = RandomFeatures::cosine(&mut rng, dim, n, target.scale);
            err2[i] += mse(&rf.predict(&x_test, &target.monte_carlo_weights(&rf)), &y);
        }
    }
    err2.into_iter().map(|e| (e / norm2).sqrt()).collect()
}

/// Root-mean-square errors of width-`n` random-feature approximations of `target`, for each
/// `n` in `widths`, averaged over `n_seeds` random layers: $\big(\text{mean}_{\text{seeds}}\,
/// \text{MSE}\big)^{1/2}$ on `n_test` fresh points $x\sim\mathcal N(0, I)$, for the Monte Carlo
/// weights and for least-squares weights fitted on `n_train` points. Seeds are `seed`,
/// `seed + 1`, ….
#[derive(Clone, Debug, PartialEq)]
pub struct RandomFeatureRates {
    /// The widths $n$.
    pub widths: Vec<usize>,
    /// Test RMSE of the Monte Carlo network $f_n$.
    pub monte_carlo: Vec<f64>,
    /// Test RMSE of the least-squares network.
    pub least_squares: Vec<f64>,
    /// Train RMSE of the Monte Carlo network.
    pub monte_carlo_train: Vec<f64>,
    /// Train RMSE of the least-squares network (never above `monte_carlo_train`).
    pub least_squares_train: Vec<f64>,
}

/// Runs the experiment described at [`RandomFeatureRates`] with cosine features of the target's
/// scale.
///
/// # Panics
/// If some width is not below `n_train` (least squares needs more samples than features),
/// `n_seeds == 0` or `n_test == 0`.
///
/// # Examples
/// ```
/// use course::learning::{random_feature_rates, GaussianBumps};
/// let f = GaussianBumps::new(ndarray::array![[0.5, 0.0], [-0.5, 0.5]], vec![1.0, -1.0], 1.0);
/// let r = random_feature_rates(&f, &[10, 40], 4, 200, 500, 7);
/// assert!(r.monte_carlo[1] < r.monte_carlo[0]);
/// assert!(r.least_squares_train[0] <= r.monte_carlo_train[0]);
/// ```
pub fn random_feature_rates(
    target: &GaussianBumps,
    widths: &[usize],
    n_seeds: usize,
    n_train: usize,
    n_test: usize,
    seed: u64,
) -> RandomFeatureRates {
    let what = "random_feature_rates";
    assert!(n_seeds > 0 && n_test > 0, "{what}: n_seeds and n_test must be > 0, got {n_seeds} and {n_test}");
    if let Some(n) = widths.iter().find(|&&n| n == 0 || n >= n_train) {
        panic!("{what}: every width must be in 1..n_train = {n_train} (least squares needs more samples than features), got {n}");
    }
    let dim = target.dim();
    let k = widths.len();
    let (mut mc, mut ls, mut mc_tr, mut ls_tr) = (vec![0.0; k], vec![0.0; k], vec![0.0; k], vec![0.0; k]);
    for s in 0..n_seeds {
        let mut rng = crate::rng::seeded(seed + s as u64);
        let x_train: Array2<f64> = Array2::from_shape_fn((n_train, dim), |_| StandardNormal.sample(&mut rng));
        let x_test: Array2<f64> = Array2::from_shape_fn((n_test, dim), |_| StandardNormal.sample(&mut rng));
        let (y_train, y_test) = (target.eval(&x_train), target.eval(&x_test));
        for (i, &n) in widths.iter().enumerate() {
            let rf = RandomFeatures::cosine(&mut rng, dim, n, target.scale);
            let a_mc = target.monte_carlo_weights(&rf);
            let (phi_train, phi_test) = (rf.features(&x_train), rf.features(&x_test));
            mc[i] += mse(&phi_test.dot(&a_mc), &y_test);
            mc_tr[i] += mse(&phi_train.dot(&a_mc), &y_train);
            let a_ls = super::lstsq_qr(&phi_train, &y_train).unwrap_or_else(|e| panic!("{what}: least squares failed at width {n}: {e}"));
            ls[i] += mse(&phi_test.dot(&a_ls), &y_test);
            ls_tr[i] += mse(&phi_train.dot(&a_ls), &y_train);
        }
    }
    let root = |v: Vec<f64>| v.into_iter().map(|m| (m / n_seeds as f64).sqrt()).collect();
    RandomFeatureRates { widths: widths.to_vec(), monte_carlo: root(mc), least_squares: root(ls), monte_carlo_train: root(mc_tr), least_squares_train: root(ls_tr) }
}

fn mse(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_features_reproduce_the_gaussian_kernel_on_average() {
        // Oracle: E[2 cos(w·x + b) cos(w·c + b)] = exp(−σ²|x − c|²/2); 200 000 draws give a
        // standard error below 0.003.
        let rf = RandomFeatures::cosine(&mut crate::rng::seeded(2), 3, 200_000, 0.8);
        let x = ndarray::array![[0.3, -0.2, 1.0], [0.0, 0.5, 0.0]];
        let phi = rf.features(&x);
        let k: f64 = phi.row(0).iter().zip(phi.row(1)).map(|(a, b)| 2.0 * a * b).sum::<f64>() / 200_000.0;
        let d2: f64 = 0.09 + 0.49 + 1.0;
        assert!((k - (-0.5 * 0.64 * d2).exp()).abs() < 0.012, "{k}");
    }

    #[test]
    fn monte_carlo_error_decays_like_one_over_root_n() {
        let f = GaussianBumps::new(ndarray::array![[1.0, 0.0, 0.0, 0.0, 0.0], [0.0, -1.0, 0.5, 0.0, 0.0]], vec![1.5, -1.0], 1.0);
        let widths = [16, 32, 64, 128, 256];
        let r = random_feature_rates(&f, &widths, 20, 300, 500, 11);
        let ws: Vec<f64> = widths.iter().map(|&n| n as f64).collect();
        let p = crate::dynamics::loglog_slope(&ws, &r.monte_carlo);
        assert!((p + 0.5).abs() < 0.1, "exponent {p}");
        for i in 0..widths.len() {
            assert!(r.least_squares_train[i] <= r.monte_carlo_train[i] + 1e-12);
        }
    }

    #[test]
    fn monte_carlo_rate_is_the_same_in_every_dimension() {
        // Maurey: the exponent −1/2 does not depend on the dimension.
        let widths = [8, 32, 128, 512];
        let ws: Vec<f64> = widths.iter().map(|&n| n as f64).collect();
        for dim in [1, 8, 64] {
            let f = GaussianBumps::random(&mut crate::rng::seeded(dim as u64), dim, 3);
            let e = monte_carlo_rates(&f, &widths, 20, 300, 40);
            let p = crate::dynamics::loglog_slope(&ws, &e);
            assert!((p + 0.5).abs() < 0.1, "dim {dim}: exponent {p}");
        }
    }

    #[test]
    fn relu_features_have_unit_inner_weights() {
        let rf = RandomFeatures::relu(&mut crate::rng::seeded(3), 4, 10, 1.0);
        for row in rf.w.rows() {
            assert!((row.dot(&row) - 1.0).abs() < 1e-12);
        }
        assert!(rf.features(&Array2::zeros((1, 4))).iter().all(|&v| v >= 0.0));
    }
}
