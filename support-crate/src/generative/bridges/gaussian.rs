//! Entropic optimal transport and the Schrödinger bridge between two Gaussians, in closed form.
//!
//! For $\mu_0 = \mathcal N(m_0, A)$, $\mu_1 = \mathcal N(m_1, B)$ and
//! $\mathrm{OT}_\varepsilon = \min_\pi \mathbb E_\pi\lVert x-y\rVert^2 + \varepsilon\,\mathrm{KL}(\pi\|\mu_0\otimes\mu_1)$,
//! the optimal plan is Gaussian with cross-covariance (with $\sigma^2 = \varepsilon/2$)
//! $$C_\varepsilon = \tfrac12 A^{1/2} D_\varepsilon A^{-1/2} - \tfrac{\sigma^2}{2} I,\qquad
//!   D_\varepsilon = \big(4A^{1/2}BA^{1/2} + \sigma^4 I\big)^{1/2};$$
//! in 1-D, $c = \tfrac14\big(\sqrt{16 s_0^2 s_1^2 + \varepsilon^2} - \varepsilon\big)$.
//! Its characterization: the joint precision's off-diagonal block is $-\tfrac2\varepsilon I$
//! (the density of $\pi$ relative to $\mu_0\otimes\mu_1$ is $e^{(f(x)+g(y)-\lVert x-y\rVert^2)/\varepsilon}$).
//!
//! The Schrödinger bridge with reference $\sigma W$ on $[0, T]$ has this plan with
//! $\varepsilon = 2\sigma^2 T$ as its end-point coupling, and Brownian bridges in between, so
//! $$X_t = (1-s)X_0 + sX_1 + \sigma\sqrt{t(T-t)/T}\,Z,\quad s = t/T,$$
//! $$\operatorname{Cov}X_t = (1-s)^2A + s^2B + s(1-s)(C+C^\top) + \sigma^2\tfrac{t(T-t)}{T}I.$$
//!
//! ## Reference
//! H. Janati, B. Muzellec, G. Peyré & M. Cuturi (2020), *Entropic optimal transport between
//! unbalanced Gaussian measures has a closed form*, NeurIPS, Thm. 1; A. Mallasto et al. (2022),
//! *Entropy-regularized 2-Wasserstein distance between Gaussian measures*; C. Bunne et al.
//! (2023), *The Schrödinger bridge between Gaussian measures has a closed form*, AISTATS.
//!
//! Used in notebooks/36-schrodinger-bridges.ipynb.

use nalgebra::{DMatrix, SymmetricEigen};
use ndarray::Array2;

/// The closed-form entropic OT between two Gaussians.
#[derive(Clone, Debug)]
pub struct GaussianEot {
    /// $C_\varepsilon = \operatorname{Cov}(X, Y)$ under the optimal plan.
    pub cross_cov: Array2<f64>,
    /// $\mathbb E_\pi\lVert X - Y\rVert^2 = \lVert m_0 - m_1\rVert^2 + \operatorname{tr}A + \operatorname{tr}B - 2\operatorname{tr}C_\varepsilon$.
    pub transport_cost: f64,
    /// $\mathrm{KL}(\pi\|\mu_0\otimes\mu_1) = \tfrac12\log\frac{\det A\,\det B}{\det\Sigma}$, $\Sigma$ the joint covariance.
    pub kl: f64,
    /// $\mathrm{OT}_\varepsilon$ = transport cost + ε · KL.
    pub cost: f64,
}

fn to_na(m: &Array2<f64>) -> DMatrix<f64> {
    DMatrix::from_fn(m.nrows(), m.ncols(), |i, j| m[[i, j]])
}

fn to_nd(m: &DMatrix<f64>) -> Array2<f64> {
    Array2::from_shape_fn((m.nrows(), m.ncols()), |(i, j)| m[(i, j)])
}

fn sym_pow(m: &DMatrix<f64>, p: f64) -> DMatrix<f64> {
    let e = SymmetricEigen::new(m.clone());
    let d = DMatrix::from_diagonal(&e.eigenvalues.map(|l| l.max(0.0).powf(p)));
    &e.eigenvectors * d * e.eigenvectors.transpose()
}

fn check_gaussian(who: &str, name: &str, m: &[f64], cov: &Array2<f64>) {
    let d = m.len();
    assert!(d >= 1, "{who}: {name} mean must be non-empty");
    assert_eq!(cov.dim(), (d, d), "{who}: {name} covariance must be {d} × {d}, got {:?}", cov.dim());
    let c = to_na(cov);
    assert!((&c - c.transpose()).amax() < 1e-12, "{who}: {name} covariance must be symmetric");
    let min_eig = SymmetricEigen::new(c).eigenvalues.min();
    assert!(min_eig > 0.0, "{who}: {name} covariance must be positive definite, smallest eigenvalue {min_eig}");
}

/// $\mathrm{OT}_\varepsilon$ between $\mathcal N(m_0, A)$ (`m0`, `cov0`) and $\mathcal N(m_1, B)$
/// (`m1`, `cov1`) in closed form.
///
/// # Panics
/// If the dimensions differ, a covariance is not symmetric positive definite, or `eps <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::bridges::gaussian_entropic_ot;
/// // 1-D, s0 = 1, s1 = 2, ε = 1: c = (√(16·4 + 1) − 1)/4
/// let g = gaussian_entropic_ot(&[0.0], &array![[1.0]], &[3.0], &array![[4.0]], 1.0);
/// let c = ((65f64).sqrt() - 1.0) / 4.0;
/// assert!((g.cross_cov[[0, 0]] - c).abs() < 1e-12);
/// assert!((g.transport_cost - (9.0 + 1.0 + 4.0 - 2.0 * c)).abs() < 1e-12);
/// ```
pub fn gaussian_entropic_ot(m0: &[f64], cov0: &Array2<f64>, m1: &[f64], cov1: &Array2<f64>, eps: f64) -> GaussianEot {
    let who = "gaussian_entropic_ot";
    check_gaussian(who, "cov0", m0, cov0);
    check_gaussian(who, "cov1", m1, cov1);
    assert_eq!(m0.len(), m1.len(), "{who}: m0 and m1 must have the same dim, got {} and {}", m0.len(), m1.len());
    assert!(eps > 0.0 && eps.is_finite(), "{who}: eps must be > 0, got {eps}");
    let d = m0.len();
    let (a, b) = (to_na(cov0), to_na(cov1));
    let s2 = eps / 2.0;
    let ah = sym_pow(&a, 0.5);
    let ahi = sym_pow(&a, -0.5);
    let inner = &ah * &b * &ah * 4.0 + DMatrix::identity(d, d) * (s2 * s2);
    let dm = sym_pow(&((&inner + inner.transpose()) * 0.5), 0.5);
    let c = &ah * dm * ahi * 0.5 - DMatrix::identity(d, d) * (s2 / 2.0);
    let mean_gap: f64 = m0.iter().zip(m1).map(|(p, q)| (p - q) * (p - q)).sum();
    let transport_cost = mean_gap + a.trace() + b.trace() - 2.0 * c.trace();
    let mut joint = DMatrix::zeros(2 * d, 2 * d);
    joint.view_mut((0, 0), (d, d)).copy_from(&a);
    joint.view_mut((d, d), (d, d)).copy_from(&b);
    joint.view_mut((0, d), (d, d)).copy_from(&c);
    joint.view_mut((d, 0), (d, d)).copy_from(&c.transpose());
    let kl = 0.5 * (a.determinant().ln() + b.determinant().ln() - joint.determinant().ln());
    GaussianEot { cross_cov: to_nd(&c), transport_cost, kl, cost: transport_cost + eps * kl }
}

/// Mean and covariance of the Schrödinger bridge between $\mathcal N(m_0, A)$ and
/// $\mathcal N(m_1, B)$ with reference $\sigma W$ on $[0, T]$ (`sigma`, `t_end`) at time `t`.
///
/// # Panics
/// As [`gaussian_entropic_ot`], and if `sigma <= 0`, `t_end <= 0` or `t` is outside $[0, T]$.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::bridges::gaussian_sb_marginal;
/// // the end marginals are the two Gaussians
/// let (m, c) = gaussian_sb_marginal(&[0.0], &array![[1.0]], &[2.0], &array![[0.25]], 1.0, 1.0, 1.0);
/// assert!((m[0] - 2.0).abs() < 1e-12 && (c[[0, 0]] - 0.25).abs() < 1e-12);
/// ```
pub fn gaussian_sb_marginal(
    m0: &[f64],
    cov0: &Array2<f64>,
    m1: &[f64],
    cov1: &Array2<f64>,
    sigma: f64,
    t_end: f64,
    t: f64,
) -> (Vec<f64>, Array2<f64>) {
    let who = "gaussian_sb_marginal";
    assert!(sigma > 0.0 && sigma.is_finite(), "{who}: sigma must be > 0, got {sigma}");
    assert!(t_end > 0.0 && t_end.is_finite(), "{who}: t_end must be > 0, got {t_end}");
    assert!((0.0..=t_end).contains(&t), "{who}: t must be in [0, t_end = {t_end}], got {t}");
    let eot = gaussian_entropic_ot(m0, cov0, m1, cov1, 2.0 * sigma * sigma * t_end);
    let s = t / t_end;
    let mean = m0.iter().zip(m1).map(|(p, q)| (1.0 - s) * p + s * q).collect();
    let c = &eot.cross_cov;
    let d = m0.len();
    let cov = cov0 * (1.0 - s).powi(2) + cov1 * s * s + (c + &c.t()) * (s * (1.0 - s))
        + Array2::<f64>::eye(d) * (sigma * sigma * t * (t_end - t) / t_end);
    (mean, cov)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn joint_precision_off_diagonal_block_is_minus_two_over_eps() {
        // The Schrödinger system: dπ/d(μ0⊗μ1) ∝ exp((f(x)+g(y)−|x−y|²)/ε) has cross term 2xᵀy/ε.
        let a = array![[2.0, 0.6], [0.6, 0.5]];
        let b = array![[0.7, -0.3], [-0.3, 1.4]];
        for eps in [0.1, 1.0, 5.0] {
            let g = gaussian_entropic_ot(&[0.0, 1.0], &a, &[2.0, -1.0], &b, eps);
            let mut joint = DMatrix::zeros(4, 4);
            joint.view_mut((0, 0), (2, 2)).copy_from(&to_na(&a));
            joint.view_mut((2, 2), (2, 2)).copy_from(&to_na(&b));
            let c = to_na(&g.cross_cov);
            joint.view_mut((0, 2), (2, 2)).copy_from(&c);
            joint.view_mut((2, 0), (2, 2)).copy_from(&c.transpose());
            let p = joint.try_inverse().unwrap();
            for i in 0..2 {
                for j in 0..2 {
                    let want = if i == j { -2.0 / eps } else { 0.0 };
                    assert!((p[(i, 2 + j)] - want).abs() < 1e-8 * (1.0 + want.abs()), "eps {eps}: {}", p[(i, 2 + j)]);
                }
            }
        }
    }

    #[test]
    fn small_eps_gives_the_bures_wasserstein_distance() {
        // W₂² between Gaussians: |m0−m1|² + tr A + tr B − 2 tr (A^½ B A^½)^½
        let a = array![[1.0, 0.3], [0.3, 0.8]];
        let b = array![[2.0, -0.5], [-0.5, 0.6]];
        let (an, bn) = (to_na(&a), to_na(&b));
        let ah = sym_pow(&an, 0.5);
        let w2 = 1.0 + an.trace() + bn.trace() - 2.0 * sym_pow(&(&ah * &bn * &ah), 0.5).trace();
        let g = gaussian_entropic_ot(&[0.0, 0.0], &a, &[1.0, 0.0], &b, 1e-6);
        assert!((g.transport_cost - w2).abs() < 1e-5, "{} vs {w2}", g.transport_cost);
    }

    #[test]
    fn matches_sinkhorn_on_a_fine_1d_grid() {
        // Discretize N(0,1) and N(1, 0.5²) on a grid: the discrete OT_ε converges to the closed form.
        let n = 300;
        let xs: Vec<f64> = (0..n).map(|i| -6.0 + 12.0 * (i as f64 + 0.5) / n as f64).collect();
        let dens = |m: f64, s: f64| {
            let w: Vec<f64> = xs.iter().map(|x| (-(x - m) * (x - m) / (2.0 * s * s)).exp()).collect();
            let z: f64 = w.iter().sum();
            w.into_iter().map(|v| v / z).collect::<Vec<f64>>()
        };
        let (a, b) = (dens(0.0, 1.0), dens(1.0, 0.5));
        let grid = Array2::from_shape_vec((n, 1), xs.clone()).unwrap();
        let cost = super::super::sq_cost_matrix(&grid, &grid);
        for eps in [0.2, 1.0] {
            let ot = super::super::sinkhorn_log(&a, &b, &cost, eps, 5000, 1e-10);
            let g = gaussian_entropic_ot(&[0.0], &array![[1.0]], &[1.0], &array![[0.25]], eps);
            assert!((ot.cost - g.cost).abs() < 2e-3, "eps {eps}: {} vs {}", ot.cost, g.cost);
            assert!((ot.kl - g.kl).abs() < 2e-3, "eps {eps}: kl {} vs {}", ot.kl, g.kl);
        }
    }

    #[test]
    fn sb_marginal_is_brownian_bridge_for_dirac_like_ends_and_interpolates() {
        // t = 0 gives μ0; independent ends (huge σ) give the sum of variances plus the bridge's.
        let (m, c) = gaussian_sb_marginal(&[1.0], &array![[0.5]], &[3.0], &array![[2.0]], 0.7, 2.0, 0.0);
        assert!((m[0] - 1.0).abs() < 1e-12 && (c[[0, 0]] - 0.5).abs() < 1e-12);
        let (_, c) = gaussian_sb_marginal(&[0.0], &array![[1e-6]], &[0.0], &array![[1e-6]], 1.0, 1.0, 0.5);
        assert!((c[[0, 0]] - 0.25).abs() < 1e-5);
    }
}
