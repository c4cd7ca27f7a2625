//! Gaussian conditioning: the posterior of a linear-Gaussian model in closed form.
//!
//! For a joint Gaussian $\begin{pmatrix}a\\ b\end{pmatrix}\sim\mathcal N\Big(\begin{pmatrix}\mu_a\\ \mu_b\end{pmatrix},
//! \begin{pmatrix}\Sigma_{aa}&\Sigma_{ab}\\ \Sigma_{ba}&\Sigma_{bb}\end{pmatrix}\Big)$,
//! $$a\mid b \sim \mathcal N\big(\mu_a + \Sigma_{ab}\Sigma_{bb}^{-1}(b-\mu_b),\ 
//!   \Sigma_{aa} - \Sigma_{ab}\Sigma_{bb}^{-1}\Sigma_{ba}\big).$$
//! With a prior $x\sim\mathcal N(m_0,P_0)$ and an observation $y = Hx + v$, $v\sim\mathcal N(0,R)$,
//! the joint of $(x, y)$ is Gaussian, and conditioning gives the posterior. In one dimension
//! (normal–normal) precisions add: $1/v_n = 1/v_0 + n/\sigma^2$.
//!
//! ## Reference
//! C. M. Bishop, *Pattern Recognition and Machine Learning* (2006), §2.3.1–2.3.3;
//! K. P. Murphy, *Probabilistic Machine Learning: An Introduction* (2022), §3.2.
//!
//! Used in notebooks/16-inference-kernels-and-gaussian-processes.ipynb.

use super::SpdFactor;
use ndarray::{Array1, Array2};

/// The conditional law of the entries not in `observed` given `x[observed] = values`:
/// returns (mean, covariance) of the remaining entries, in their original order.
///
/// # Panics
/// If the shapes disagree, an index is out of range or repeated, or $\Sigma_{bb}$ is not
/// positive definite.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// // (a, b) standard with correlation 0.8: a | b = 1 ~ N(0.8, 1 − 0.64).
/// let (m, c) = course::inference::condition(&array![0.0, 0.0], &array![[1.0, 0.8], [0.8, 1.0]], &[1], &array![1.0]);
/// assert!((m[0] - 0.8).abs() < 1e-15 && (c[[0, 0]] - 0.36).abs() < 1e-15);
/// ```
pub fn condition(
    mean: &Array1<f64>,
    cov: &Array2<f64>,
    observed: &[usize],
    values: &Array1<f64>,
) -> (Array1<f64>, Array2<f64>) {
    let n = mean.len();
    assert_eq!(cov.dim(), (n, n), "condition: cov must be {n} x {n} like mean, got {:?}", cov.dim());
    assert_eq!(values.len(), observed.len(), "condition: values must have one entry per observed index");
    let mut is_obs = vec![false; n];
    for &i in observed {
        assert!(i < n, "condition: observed index {i} out of range (dimension {n})");
        assert!(!is_obs[i], "condition: observed index {i} repeated");
        is_obs[i] = true;
    }
    let free: Vec<usize> = (0..n).filter(|&i| !is_obs[i]).collect();
    let pick = |rows: &[usize], cols: &[usize]| Array2::from_shape_fn((rows.len(), cols.len()), |(i, j)| cov[[rows[i], cols[j]]]);
    let s_aa = pick(&free, &free);
    let s_ab = pick(&free, observed);
    let s_bb = pick(observed, observed);
    let f = SpdFactor::new(&s_bb).unwrap_or_else(|e| panic!("condition: the observed block is not positive definite: {e}"));
    let resid: Array1<f64> = values - &Array1::from_shape_fn(observed.len(), |i| mean[observed[i]]);
    let mu_a = Array1::from_shape_fn(free.len(), |i| mean[free[i]]);
    let m = mu_a + s_ab.dot(&f.solve(&resid));
    let c = &s_aa - &s_ab.dot(&f.solve_mat(&s_ab.t().to_owned()));
    (m, symmetrize(c))
}

/// The posterior $x\mid y$ for the prior $x\sim\mathcal N(m_0, P_0)$ and the observation
/// $y = Hx + v$, $v\sim\mathcal N(0, R)$, by conditioning the joint of $(x, y)$.
///
/// # Panics
/// If the shapes disagree or a covariance is not positive definite.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// // Prior N(0, 1), one observation y = x + v with var(v) = 1, y = 2: posterior N(1, 1/2).
/// let (m, p) = course::inference::linear_gaussian_posterior(&array![0.0], &array![[1.0]], &array![[1.0]], &array![[1.0]], &array![2.0]);
/// assert!((m[0] - 1.0).abs() < 1e-15 && (p[[0, 0]] - 0.5).abs() < 1e-15);
/// ```
pub fn linear_gaussian_posterior(
    m0: &Array1<f64>,
    p0: &Array2<f64>,
    h: &Array2<f64>,
    r: &Array2<f64>,
    y: &Array1<f64>,
) -> (Array1<f64>, Array2<f64>) {
    let (joint_mean, joint_cov) = joint_of_linear_gaussian(m0, p0, h, r);
    let d = m0.len();
    let obs: Vec<usize> = (d..d + y.len()).collect();
    condition(&joint_mean, &joint_cov, &obs, y)
}

/// The joint law of $(x, y)$ with $x\sim\mathcal N(m_0,P_0)$, $y = Hx+v$:
/// mean $(m_0, Hm_0)$, covariance $\begin{pmatrix}P_0 & P_0H^\top\\ HP_0 & HP_0H^\top + R\end{pmatrix}$.
///
/// # Panics
/// If the shapes disagree.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let (m, c) = course::inference::joint_of_linear_gaussian(&array![1.0], &array![[2.0]], &array![[3.0]], &array![[1.0]]);
/// assert_eq!(m, array![1.0, 3.0]);
/// assert_eq!(c, array![[2.0, 6.0], [6.0, 19.0]]);
/// ```
pub fn joint_of_linear_gaussian(
    m0: &Array1<f64>,
    p0: &Array2<f64>,
    h: &Array2<f64>,
    r: &Array2<f64>,
) -> (Array1<f64>, Array2<f64>) {
    let d = m0.len();
    let k = h.nrows();
    assert_eq!(p0.dim(), (d, d), "p0 must be {d} x {d}, got {:?}", p0.dim());
    assert_eq!(h.ncols(), d, "h must have {d} columns (the state dimension), got {}", h.ncols());
    assert_eq!(r.dim(), (k, k), "r must be {k} x {k} (one row per observation), got {:?}", r.dim());
    let mut mean = Array1::zeros(d + k);
    mean.slice_mut(ndarray::s![..d]).assign(m0);
    mean.slice_mut(ndarray::s![d..]).assign(&h.dot(m0));
    let ph = p0.dot(&h.t());
    let mut cov = Array2::zeros((d + k, d + k));
    cov.slice_mut(ndarray::s![..d, ..d]).assign(p0);
    cov.slice_mut(ndarray::s![..d, d..]).assign(&ph);
    cov.slice_mut(ndarray::s![d.., ..d]).assign(&ph.t());
    cov.slice_mut(ndarray::s![d.., d..]).assign(&(h.dot(&ph) + r));
    (mean, symmetrize(cov))
}

/// The normal–normal posterior of a mean: prior $\mu\sim\mathcal N(\mu_0, v_0)$, data
/// $x_i\sim\mathcal N(\mu, \sigma^2)$ i.i.d. Returns (posterior mean, posterior variance):
/// $$\frac1{v_n} = \frac1{v_0} + \frac{n}{\sigma^2},\qquad \mu_n = v_n\Big(\frac{\mu_0}{v_0} + \frac{\sum_i x_i}{\sigma^2}\Big).$$
///
/// # Panics
/// If `var0 <= 0` or `noise_var <= 0`.
///
/// # Examples
/// ```
/// // Prior N(0, 1), two observations 1 and 3 with noise variance 1: precision 3, mean 4/3.
/// let (m, v) = course::inference::normal_normal_posterior(0.0, 1.0, 1.0, &[1.0, 3.0]);
/// assert!((m - 4.0 / 3.0).abs() < 1e-15 && (v - 1.0 / 3.0).abs() < 1e-15);
/// ```
pub fn normal_normal_posterior(mu0: f64, var0: f64, noise_var: f64, data: &[f64]) -> (f64, f64) {
    assert!(var0 > 0.0, "normal_normal_posterior: var0 must be > 0, got {var0}");
    assert!(noise_var > 0.0, "normal_normal_posterior: noise_var must be > 0, got {noise_var}");
    let precision = 1.0 / var0 + data.len() as f64 / noise_var;
    let vn = 1.0 / precision;
    (vn * (mu0 / var0 + data.iter().sum::<f64>() / noise_var), vn)
}

/// The log-density of $\mathcal N(\mu, \Sigma)$ at `x`:
/// $-\tfrac12 (x-\mu)^\top\Sigma^{-1}(x-\mu) - \tfrac12\ln\det\Sigma - \tfrac n2\ln 2\pi$.
///
/// # Panics
/// If the shapes disagree or `cov` is not positive definite.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let lp = course::inference::mvn_log_density(&array![0.0, 0.0], &array![0.0, 0.0], &array![[1.0, 0.0], [0.0, 1.0]]);
/// assert!((lp + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
/// ```
pub fn mvn_log_density(x: &Array1<f64>, mean: &Array1<f64>, cov: &Array2<f64>) -> f64 {
    let n = x.len();
    assert_eq!(mean.len(), n, "mvn_log_density: mean must have {n} entries like x, got {}", mean.len());
    let f = SpdFactor::new(cov).unwrap_or_else(|e| panic!("mvn_log_density: cov is not positive definite: {e}"));
    let w = f.solve_lower(&(x - mean));
    -0.5 * w.dot(&w) - 0.5 * f.log_det() - 0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln()
}

/// (C + Cᵀ)/2: removes the rounding asymmetry of a computed covariance.
pub(crate) fn symmetrize(c: Array2<f64>) -> Array2<f64> {
    let t = c.t().to_owned();
    (c + t) * 0.5
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn conditioning_agrees_with_the_precision_matrix_form() {
        // Oracle: for a Gaussian with precision Λ = Σ⁻¹, a | b has covariance Λ_aa⁻¹ and mean
        // μ_a − Λ_aa⁻¹ Λ_ab (b − μ_b) (Bishop 2.73–2.75).
        let n = 5;
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(8), 3 * n * n);
        let b = Array2::from_shape_vec((3 * n, n), z).unwrap();
        let cov = b.t().dot(&b) / 3.0;
        let mean = array![0.5, -1.0, 2.0, 0.0, 1.0];
        let vals = array![0.3, -0.2];
        let (m, c) = condition(&mean, &cov, &[1, 3], &vals);
        let lam = SpdFactor::new(&cov).unwrap().inverse();
        let a = [0usize, 2, 4];
        let laa = Array2::from_shape_fn((3, 3), |(i, j)| lam[[a[i], a[j]]]);
        let lab = Array2::from_shape_fn((3, 2), |(i, j)| lam[[a[i], [1, 3][j]]]);
        let caa = SpdFactor::new(&laa).unwrap().inverse();
        let db = array![0.3 - (-1.0), -0.2 - 0.0];
        let m2 = array![0.5, 2.0, 1.0] - caa.dot(&lab.dot(&db));
        assert!((&m - &m2).iter().all(|v| v.abs() < 1e-10));
        assert!((&c - &caa).iter().all(|v| v.abs() < 1e-10));
    }

    #[test]
    fn normal_normal_is_the_one_dimensional_linear_gaussian_posterior() {
        let data = [0.3, 1.2, -0.4, 2.2];
        let (m, v) = normal_normal_posterior(1.0, 2.0, 0.5, &data);
        let h = Array2::from_elem((4, 1), 1.0);
        let (mm, pp) = linear_gaussian_posterior(&array![1.0], &array![[2.0]], &h, &(Array2::eye(4) * 0.5), &Array1::from(data.to_vec()));
        assert!((m - mm[0]).abs() < 1e-12 && (v - pp[[0, 0]]).abs() < 1e-12);
    }

    #[test]
    fn mvn_log_density_of_a_diagonal_is_a_sum_of_univariate_ones() {
        let x = array![1.0, -2.0];
        let lp = mvn_log_density(&x, &array![0.0, 1.0], &array![[4.0, 0.0], [0.0, 0.25]]);
        let uni = |x: f64, m: f64, v: f64| -0.5 * (x - m).powi(2) / v - 0.5 * (2.0 * std::f64::consts::PI * v).ln();
        assert!((lp - uni(1.0, 0.0, 4.0) - uni(-2.0, 1.0, 0.25)).abs() < 1e-13);
    }
}
