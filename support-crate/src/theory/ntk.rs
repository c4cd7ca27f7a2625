//! The neural tangent kernel of a two-layer network: empirical $JJ^\top$ and its infinite-width limit.
//!
//! For a model $f_\theta$ trained by gradient flow on $L(\theta)=\frac1{2n}\sum_k (f_\theta(x_k)-y_k)^2$,
//! the chain rule gives $\dot f_t(x) = \nabla_\theta f(x)\cdot\dot\theta = -\frac1n\sum_k
//! \Theta(x, x_k)\,(f_t(x_k) - y_k)$ with the **neural tangent kernel**
//! $$\Theta(x, x') = \sum_p \partial_{\theta_p} f(x)\,\partial_{\theta_p} f(x') = \big(JJ^\top\big)_{xx'} .$$
//!
//! **The limit for ReLU.** For $f(x) = \frac1{\sqrt m}\sum_i a_i\,\sigma(u_i\cdot\tilde x)$ with the
//! augmented input $\tilde x = (x, 1)$, $u_i = (w_i, b_i)\sim\mathcal N(0, I_{d+1})$ and
//! $a_i\sim\mathcal N(0,1)$, the kernel is an average over the $m$ independent units,
//! $$\Theta_m(x,x') = \frac1m\sum_{i=1}^m \Big[\sigma(u_i\cdot\tilde x)\,\sigma(u_i\cdot\tilde x') +
//!   a_i^2\,\sigma'(u_i\cdot\tilde x)\,\sigma'(u_i\cdot\tilde x')\,\tilde x\cdot\tilde x'\Big],$$
//! so by the law of large numbers it tends to its expectation, with fluctuations of order
//! $1/\sqrt m$ (central limit theorem). With the angle $\varphi$ between $\tilde x$ and
//! $\tilde x'$, the **arc-cosine kernels** (Cho & Saul) are
//! $$\kappa_0 = \mathbb E[\mathbb 1_{u\cdot\tilde x>0}\mathbb 1_{u\cdot\tilde x'>0}] = \frac{\pi-\varphi}{2\pi},\qquad
//!   \kappa_1 = \mathbb E[\sigma(u\cdot\tilde x)\sigma(u\cdot\tilde x')]
//!   = \frac{\lVert\tilde x\rVert\lVert\tilde x'\rVert}{2\pi}\big(\sin\varphi + (\pi-\varphi)\cos\varphi\big)$$
//! (the first: $u$ must fall in the intersection of two half-spaces, a wedge of angle
//! $\pi - \varphi$; the second: integrate in the plane of $\tilde x, \tilde x'$ in polar
//! coordinates). Since $\mathbb E a^2 = 1$,
//! $$\Theta_\infty(x, x') = \kappa_1(\tilde x, \tilde x') + (\tilde x\cdot\tilde x')\,\kappa_0(\tilde x, \tilde x') .$$
//!
//! ## Reference
//! A. Jacot, F. Gabriel, C. Hongler (2018), *Neural tangent kernel: convergence and generalization
//! in neural networks*, NeurIPS; Y. Cho, L. Saul (2009), *Kernel methods for deep learning*, NIPS;
//! S. Arora et al. (2019), *On exact computation with an infinitely wide neural net*, NeurIPS.
//!
//! Used in notebooks/22-neural-tangent-kernel.ipynb.

use crate::learning::TwoLayer;
use ndarray::{Array1, Array2};
use std::f64::consts::PI;

/// The empirical NTK $\Theta(x_k, x'_l) = \nabla_\theta f(x_k)\cdot\nabla_\theta f(x'_l)$ between the
/// rows of `x` and of `x2` (`x.nrows() × x2.nrows()`), i.e. $J(x)J(x')^\top$.
///
/// # Panics
/// If `x` or `x2` does not have `net.dim()` columns.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net = TwoLayer::new(1, 50, Activation::Relu, Scaling::Ntk, &mut course::rng::seeded(0));
/// let x = array![[0.5], [-1.0]];
/// let k = course::theory::empirical_ntk(&net, &x, &x);
/// let g = net.grad_params(&[0.5]);
/// assert!((k[[0, 0]] - g.dot(&g)).abs() < 1e-12);
/// assert!((k[[0, 1]] - k[[1, 0]]).abs() < 1e-12);
/// ```
pub fn empirical_ntk(net: &TwoLayer, x: &Array2<f64>, x2: &Array2<f64>) -> Array2<f64> {
    assert_eq!(x.ncols(), net.dim(), "empirical_ntk: x must have dim = {} columns, got {}", net.dim(), x.ncols());
    assert_eq!(x2.ncols(), net.dim(), "empirical_ntk: x2 must have dim = {} columns, got {}", net.dim(), x2.ncols());
    let j1 = net.jacobian(x);
    let j2 = net.jacobian(x2);
    j1.dot(&j2.t())
}

/// The $m$ per-unit terms of the empirical NTK at one pair $(x, x')$: term $i$ is
/// $m s^2\big[\sigma(z_i)\sigma(z_i') + a_i^2\sigma'(z_i)\sigma'(z_i')\,\tilde x\cdot\tilde x'\big]$,
/// so that their mean is $\Theta_m(x, x')$ and their standard deviation over $\sqrt m$ is the
/// Monte Carlo standard error of $\Theta_m$ around its limit.
///
/// # Panics
/// If `x` or `x2` does not have `net.dim()` entries.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net = TwoLayer::new(2, 40, Activation::Tanh, Scaling::Ntk, &mut course::rng::seeded(1));
/// let t = course::theory::ntk_unit_terms(&net, &[0.3, 0.1], &[-0.2, 0.7]);
/// let k = course::theory::empirical_ntk(&net, &array![[0.3, 0.1]], &array![[-0.2, 0.7]]);
/// assert!((t.mean().unwrap() - k[[0, 0]]).abs() < 1e-12);
/// ```
pub fn ntk_unit_terms(net: &TwoLayer, x: &[f64], x2: &[f64]) -> Array1<f64> {
    let d = net.dim();
    assert_eq!(x.len(), d, "ntk_unit_terms: x must have dim = {d} entries, got {}", x.len());
    assert_eq!(x2.len(), d, "ntk_unit_terms: x2 must have dim = {d} entries, got {}", x2.len());
    let m = net.width();
    let dot_aug: f64 = x.iter().zip(x2).map(|(u, v)| u * v).sum::<f64>() + 1.0;
    let factor = m as f64 * net.scale * net.scale;
    let act = net.activation;
    Array1::from_shape_fn(m, |i| {
        let z1: f64 = net.w.row(i).iter().zip(x).map(|(w, v)| w * v).sum::<f64>() + net.b[i];
        let z2: f64 = net.w.row(i).iter().zip(x2).map(|(w, v)| w * v).sum::<f64>() + net.b[i];
        let ai = net.a[i];
        factor * (act.eval(z1, 0) * act.eval(z2, 0) + ai * ai * act.eval(z1, 1) * act.eval(z2, 1) * dot_aug)
    })
}

/// The arc-cosine kernel of degree 0 or 1: $\mathbb E_{u\sim\mathcal N(0,I)}[\sigma_n(u\cdot p)\,
/// \sigma_n(u\cdot q)]$ with $\sigma_0 = \mathbb 1_{>0}$, $\sigma_1 = \max(\cdot, 0)$, equal to
/// $\frac{1}{2\pi}\lVert p\rVert^n\lVert q\rVert^n J_n(\varphi)$ with $J_0 = \pi - \varphi$,
/// $J_1 = \sin\varphi + (\pi - \varphi)\cos\varphi$ and $\varphi$ the angle between $p$ and $q$.
///
/// # Panics
/// If `degree > 1` or the lengths differ. A zero vector gives 0 (its $\sigma_n(u\cdot 0) = 0$).
///
/// # Examples
/// ```
/// use course::theory::arccos_kernel;
/// // Same vector: E[1{u·p>0}] = 1/2 and E[relu(u·p)²] = |p|²/2.
/// assert!((arccos_kernel(0, &[3.0, 4.0], &[3.0, 4.0]) - 0.5).abs() < 1e-12);
/// assert!((arccos_kernel(1, &[3.0, 4.0], &[3.0, 4.0]) - 12.5).abs() < 1e-12);
/// // Opposite vectors never fire together.
/// assert!(arccos_kernel(1, &[1.0, 0.0], &[-2.0, 0.0]).abs() < 1e-12);
/// ```
pub fn arccos_kernel(degree: usize, p: &[f64], q: &[f64]) -> f64 {
    assert!(degree <= 1, "arccos_kernel: degree must be 0 or 1, got {degree}");
    assert_eq!(p.len(), q.len(), "arccos_kernel: p and q must have the same length, got {} and {}", p.len(), q.len());
    let np = p.iter().map(|v| v * v).sum::<f64>().sqrt();
    let nq = q.iter().map(|v| v * v).sum::<f64>().sqrt();
    if np == 0.0 || nq == 0.0 {
        return 0.0;
    }
    // φ = 2 atan2(|p̂ − q̂|, |p̂ + q̂|): accurate also for nearly (anti)parallel vectors, where acos is not.
    let (mut dm, mut dp) = (0.0, 0.0);
    for (u, v) in p.iter().zip(q) {
        dm += (u / np - v / nq).powi(2);
        dp += (u / np + v / nq).powi(2);
    }
    let phi = 2.0 * dm.sqrt().atan2(dp.sqrt());
    let cos = phi.cos();
    match degree {
        0 => (PI - phi) / (2.0 * PI),
        _ => np * nq * (phi.sin() + (PI - phi) * cos) / (2.0 * PI),
    }
}

/// The infinite-width NTK of the ReLU network of [`TwoLayer`] with [`Scaling::Ntk`](crate::learning::Scaling::Ntk)
/// (all weights and biases $\mathcal N(0,1)$, output scale $1/\sqrt m$):
/// $\Theta_\infty(x,x') = \kappa_1(\tilde x,\tilde x') + (\tilde x\cdot\tilde x')\,\kappa_0(\tilde x,\tilde x')$
/// with $\tilde x = (x, 1)$; see the module docs.
///
/// # Panics
/// If the lengths differ.
///
/// # Examples
/// ```
/// // On the diagonal φ = 0: Θ∞(x, x) = |x̃|²/2 + |x̃|²/2 = |x|² + 1.
/// assert!((course::theory::relu_ntk_limit(&[2.0], &[2.0]) - 5.0).abs() < 1e-12);
/// ```
pub fn relu_ntk_limit(x: &[f64], x2: &[f64]) -> f64 {
    assert_eq!(x.len(), x2.len(), "relu_ntk_limit: x and x2 must have the same length, got {} and {}", x.len(), x2.len());
    let p: Vec<f64> = x.iter().copied().chain(std::iter::once(1.0)).collect();
    let q: Vec<f64> = x2.iter().copied().chain(std::iter::once(1.0)).collect();
    let dot: f64 = p.iter().zip(&q).map(|(u, v)| u * v).sum();
    arccos_kernel(1, &p, &q) + dot * arccos_kernel(0, &p, &q)
}

/// [`relu_ntk_limit`] between every row of `x` and every row of `x2`.
///
/// # Panics
/// If `x` and `x2` have different numbers of columns.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let k = course::theory::relu_ntk_limit_matrix(&array![[0.0], [1.0]], &array![[0.0]]);
/// assert_eq!(k.dim(), (2, 1));
/// assert!((k[[0, 0]] - 1.0).abs() < 1e-12); // |0|² + 1
/// ```
pub fn relu_ntk_limit_matrix(x: &Array2<f64>, x2: &Array2<f64>) -> Array2<f64> {
    assert_eq!(x.ncols(), x2.ncols(), "relu_ntk_limit_matrix: x and x2 must have the same number of columns, got {} and {}", x.ncols(), x2.ncols());
    Array2::from_shape_fn((x.nrows(), x2.nrows()), |(k, l)| {
        relu_ntk_limit(&x.row(k).to_vec(), &x2.row(l).to_vec())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::{Activation, Scaling};
    use crate::rng::seeded;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn arccos_kernels_match_polar_quadrature() {
        // Independent oracle: in the plane spanned by p and q, u = r(cos t, sin t) with
        // r ~ Rayleigh; E[r^{2n}] = 2^n n!, so E = (2^n n!/2π) ∫ σ_n(cos(t - α)|p|) σ_n(...) dt.
        let cases = [([1.0, 0.0], [0.3, 0.8]), ([2.0, -1.0], [-0.5, 1.5]), ([1.0, 1.0], [1.0, 1.0001]), ([0.2, 1.0], [-3.0, -0.1])];
        for (p, q) in cases {
            for n in 0..2 {
                let steps = 200_000;
                let mut sum = 0.0;
                for k in 0..steps {
                    let t = 2.0 * PI * (k as f64 + 0.5) / steps as f64;
                    let (c, s) = (t.cos(), t.sin());
                    let up = c * p[0] + s * p[1];
                    let uq = c * q[0] + s * q[1];
                    let f = |v: f64| if n == 0 { f64::from(u8::from(v > 0.0)) } else { v.max(0.0) };
                    sum += f(up) * f(uq);
                }
                let radial = if n == 0 { 1.0 } else { 2.0 };
                let quad = radial * sum / steps as f64;
                let exact = arccos_kernel(n, &p, &q);
                assert!((quad - exact).abs() < 1e-4 * (1.0 + exact.abs()), "n={n}, {p:?}, {q:?}: {quad} vs {exact}");
            }
        }
    }

    #[test]
    fn unit_terms_average_to_the_jacobian_kernel_for_every_scaling() {
        for (scaling, act) in [(Scaling::Ntk, Activation::Relu), (Scaling::MeanField, Activation::Tanh), (Scaling::Standard, Activation::Softplus)] {
            let net = TwoLayer::new(2, 33, act, scaling, &mut seeded(3));
            let x = ndarray::array![[0.4, -0.3], [1.1, 0.2], [-0.7, 0.9]];
            let k = empirical_ntk(&net, &x, &x);
            for i in 0..3 {
                for j in 0..3 {
                    let t = ntk_unit_terms(&net, &x.row(i).to_vec(), &x.row(j).to_vec());
                    assert!((t.mean().unwrap() - k[[i, j]]).abs() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn wide_relu_kernel_is_within_four_standard_errors_of_the_limit() {
        // Θ_m is a mean of m iid terms; |Θ_m − Θ∞| ≤ 4·sd/√m should fail with prob. ≈ 6e-5 per
        // entry. Checked on 8 seeds × 6 pairs at m = 20 000.
        let pts = [[-1.5], [-0.2], [0.0], [0.7], [2.0]];
        for seed in 0..8 {
            let net = TwoLayer::new(1, 20_000, Activation::Relu, Scaling::Ntk, &mut seeded(100 + seed));
            for (i, j) in [(0, 0), (0, 1), (1, 2), (2, 3), (3, 4), (0, 4)] {
                let t = ntk_unit_terms(&net, &pts[i], &pts[j]);
                let m = t.len() as f64;
                let mean = t.mean().unwrap();
                let sd = t.std(1.0);
                let limit = relu_ntk_limit(&pts[i], &pts[j]);
                assert!((mean - limit).abs() < 4.0 * sd / m.sqrt(), "seed {seed} pair ({i},{j}): {mean} vs {limit} (se {})", sd / m.sqrt());
            }
        }
    }

    #[test]
    fn limit_matches_direct_monte_carlo_over_weights() {
        // Independent of TwoLayer: sample (w, b, a) directly, 400 000 units.
        let mut rng = seeded(7);
        let (x, y) = (0.8, -1.3);
        let n = 400_000;
        let mut terms = Vec::with_capacity(n);
        for _ in 0..n {
            let w: f64 = StandardNormal.sample(&mut rng);
            let b: f64 = StandardNormal.sample(&mut rng);
            let a: f64 = StandardNormal.sample(&mut rng);
            let (z1, z2) = (w * x + b, w * y + b);
            let step = f64::from(u8::from(z1 > 0.0 && z2 > 0.0));
            terms.push(z1.max(0.0) * z2.max(0.0) + a * a * step * (x * y + 1.0));
        }
        let mean = terms.iter().sum::<f64>() / n as f64;
        let var = terms.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let se = (var / n as f64).sqrt();
        assert!((mean - relu_ntk_limit(&[x], &[y])).abs() < 4.0 * se);
    }

    #[test]
    fn error_at_init_decays_like_one_over_root_width() {
        // Relative Frobenius error on a grid, averaged over 6 seeds, at m = 100 … 6400:
        // fitted log-log slope within 0.15 of −1/2.
        let x = Array2::from_shape_fn((9, 1), |(k, _)| -2.0 + 0.5 * k as f64);
        let limit = relu_ntk_limit_matrix(&x, &x);
        let widths = [100usize, 400, 1600, 6400];
        let mut errs = Vec::new();
        for &m in &widths {
            let mut e = 0.0;
            for seed in 0..6 {
                let net = TwoLayer::new(1, m, Activation::Relu, Scaling::Ntk, &mut seeded(seed));
                let k = empirical_ntk(&net, &x, &x);
                e += crate::theory::relative_change(&k, &limit) / 6.0;
            }
            errs.push(e);
        }
        let ws: Vec<f64> = widths.iter().map(|&m| m as f64).collect();
        let slope = crate::optim::loglog_slope(&ws, &errs, (1.0, 1e9));
        assert!((slope + 0.5).abs() < 0.15, "slope {slope}, errors {errs:?}");
    }

    #[test]
    #[should_panic(expected = "degree must be 0 or 1, got 2")]
    fn bad_degree_is_named() {
        arccos_kernel(2, &[1.0], &[1.0]);
    }
}
