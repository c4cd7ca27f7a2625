//! Barron's theorem made concrete: the Barron norm of a sum of Gaussian bumps, and the network of
//! step units that the proof builds.
//!
//! For $f(x) = \int \hat f(\omega)e^{i\omega\cdot x}d\omega$ the **Barron norm** is
//! $$C_f = \int\lVert\omega\rVert\,\lvert\hat f(\omega)\rvert\,d\omega .$$
//! A Gaussian bump is an average of plane waves, $e^{-\sigma^2\lVert x - c\rVert^2/2} =
//! \mathbb E_{\omega\sim\mathcal N(0,\sigma^2 I)}[e^{i\omega\cdot(x - c)}]$, so for
//! $f = \sum_i\alpha_i e^{-\sigma^2\lVert x - c_i\rVert^2/2}$ the transform is the Gaussian density times
//! $A(\omega) = \sum_i\alpha_ie^{-i\omega\cdot c_i}$, and
//! $$C_f = \mathbb E_{\omega\sim\mathcal N(0,\sigma^2I)}\big[\lVert\omega\rVert\,\lvert A(\omega)\rvert\big]
//!   \le \sum_i\lvert\alpha_i\rvert\,\sigma\,\mathbb E\lVert Z_d\rVert,\qquad
//!   \mathbb E\lVert Z_d\rVert = \sqrt2\,\Gamma(\tfrac{d+1}2)/\Gamma(\tfrac d2),$$
//! with equality for a single bump.
//!
//! **The proof's network.** On the ball $\lVert x\rVert\le r$, write $\omega = \rho\hat\omega$ and
//! $A = \lvert A\rvert e^{i\varphi}$; then $f(x) - f(0) = \int\lvert\hat f\rvert\,[\cos(\rho z + \varphi) - \cos\varphi]\,d\omega$
//! with $z = \hat\omega\cdot x\in[-r, r]$, and each bracket is an integral of steps,
//! $g(z) = \int_0^r g'(t)\,\mathbb 1[z > t]\,dt - \int_{-r}^0 g'(t)\,\mathbb 1[z < t]\,dt$ with $\lvert g'\rvert\le\rho$.
//! Drawing $\omega\propto\lVert\omega\rVert\lvert\hat f(\omega)\rvert$ and $t\sim U[-r, r]$ makes $f - f(0)$ the
//! expectation of one step unit of height $-2rC_f\sin(\rho t + \varphi)$, bounded by $\gamma = 2rC_f$.
//! The average $f_n$ of $n$ independent units (Maurey's empirical method) satisfies
//! $$\mathbb E\lVert f - f_n\rVert^2_{L^2(\mu)} \le \frac{\gamma^2 - \lVert f - f(0)\rVert^2_{L^2(\mu)}}{n}\le\frac{(2rC_f)^2}{n}$$
//! for every probability measure $\mu$ on the ball: Barron's bound, in any dimension.
//!
//! ## Reference
//! A. R. Barron (1993), *Universal approximation bounds for superpositions of a sigmoidal
//! function*, IEEE Trans. Inf. Theory 39(3) (Theorem 1 and its proof, §III–IV).
//!
//! Used in notebooks/08-universal-approximation.ipynb.

use super::GaussianBumps;
use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};
use crate::rng::normal_vec;

/// $\mathbb E\lVert Z\rVert$ for $Z\sim\mathcal N(0, I_d)$: $\sqrt2\,\Gamma(\frac{d+1}2)/\Gamma(\frac d2)$, by the recursion
/// $r_{d+1} = \frac d2 / r_d$, $r_1 = 1/\sqrt\pi$ for $r_d = \Gamma(\frac{d+1}2)/\Gamma(\frac d2)$.
///
/// # Panics
/// If `dim == 0`.
///
/// # Examples
/// ```
/// // d = 1: E|Z| = √(2/π); d = 2: the Rayleigh mean √(π/2).
/// assert!((course::learning::mean_norm_gaussian(1) - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-15);
/// assert!((course::learning::mean_norm_gaussian(2) - (std::f64::consts::PI / 2.0).sqrt()).abs() < 1e-15);
/// ```
pub fn mean_norm_gaussian(dim: usize) -> f64 {
    assert!(dim > 0, "mean_norm_gaussian: dim must be > 0, got 0");
    let mut r = 1.0 / std::f64::consts::PI.sqrt();
    for d in 1..dim {
        r = 0.5 * d as f64 / r;
    }
    std::f64::consts::SQRT_2 * r
}

/// $A(\omega) = \sum_i\alpha_ie^{-i\omega\cdot c_i}$ as (real, imaginary).
fn amplitude(f: &GaussianBumps, omega: &[f64]) -> (f64, f64) {
    let (mut re, mut im) = (0.0, 0.0);
    for (c, a) in f.centers.rows().into_iter().zip(&f.alphas) {
        let phase: f64 = c.iter().zip(omega).map(|(ci, wi)| ci * wi).sum();
        re += a * phase.cos();
        im -= a * phase.sin();
    }
    (re, im)
}

/// The Barron norm $C_f = \mathbb E_{\omega\sim\mathcal N(0,\sigma^2I)}[\lVert\omega\rVert\lvert A(\omega)\rvert]$ of a sum of
/// bumps, by Monte Carlo with `n_samples` draws: (estimate, standard error).
///
/// # Panics
/// If `n_samples < 2`.
///
/// # Examples
/// ```
/// use course::learning::{barron_norm, barron_norm_upper, GaussianBumps};
/// // One bump: C_f = |α| σ E‖Z‖ exactly.
/// let f = GaussianBumps::new(ndarray::array![[0.5, -1.0, 2.0]], vec![-2.0], 0.7);
/// let (c, se) = barron_norm(&f, 20_000, &mut course::rng::seeded(0));
/// assert!((c - barron_norm_upper(&f)).abs() < 4.0 * se);
/// ```
pub fn barron_norm(f: &GaussianBumps, n_samples: usize, rng: &mut impl Rng) -> (f64, f64) {
    assert!(n_samples >= 2, "barron_norm: n_samples must be >= 2, got {n_samples}");
    let (mut s1, mut s2) = (0.0, 0.0);
    for _ in 0..n_samples {
        let omega: Vec<f64> = normal_vec(rng, f.dim()).into_iter().map(|z| f.scale * z).collect();
        let (re, im) = amplitude(f, &omega);
        let v = omega.iter().map(|w| w * w).sum::<f64>().sqrt() * re.hypot(im);
        s1 += v;
        s2 += v * v;
    }
    let n = n_samples as f64;
    let mean = s1 / n;
    let var = (s2 / n - mean * mean).max(0.0) * n / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// The triangle-inequality bound $C_f\le\sum_i\lvert\alpha_i\rvert\,\sigma\,\mathbb E\lVert Z_d\rVert$ (equality for one bump).
///
/// # Examples
/// ```
/// use course::learning::{barron_norm_upper, GaussianBumps};
/// let f = GaussianBumps::new(ndarray::array![[0.0], [1.0]], vec![1.0, -3.0], 2.0);
/// assert!((barron_norm_upper(&f) - 4.0 * 2.0 * (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-14);
/// ```
pub fn barron_norm_upper(f: &GaussianBumps) -> f64 {
    f.alphas.iter().map(|a| a.abs()).sum::<f64>() * f.scale * mean_norm_gaussian(f.dim())
}

/// $n$ points uniform in the ball $\lVert x\rVert\le$ `radius` of dimension `dim`, one per row.
///
/// # Panics
/// If `dim == 0` or `radius` is not finite and > 0.
///
/// # Examples
/// ```
/// let x = course::learning::uniform_ball(&mut course::rng::seeded(1), 500, 3, 2.0);
/// assert!(x.rows().into_iter().all(|r| r.dot(&r) <= 4.0));
/// ```
pub fn uniform_ball(rng: &mut impl Rng, n: usize, dim: usize, radius: f64) -> Array2<f64> {
    assert!(dim > 0, "uniform_ball: dim must be > 0, got 0");
    assert!(radius.is_finite() && radius > 0.0, "uniform_ball: radius must be finite and > 0, got {radius}");
    let mut x = Array2::zeros((n, dim));
    for mut row in x.rows_mut() {
        let z = normal_vec(rng, dim);
        let norm = z.iter().map(|v| v * v).sum::<f64>().sqrt();
        let u: f64 = rng.random::<f64>();
        let s = radius * u.powf(1.0 / dim as f64) / norm;
        for (r, v) in row.iter_mut().zip(&z) {
            *r = v * s;
        }
    }
    x
}

/// A network of step units, $f_n(x) = c + \frac1n\sum_j h_j\,s_j(x)$ with $s_j(x) = \mathbb 1[\hat\omega_j\cdot x > t_j]$
/// for $t_j\ge0$ and $-\mathbb 1[\hat\omega_j\cdot x < t_j]$ for $t_j < 0$: the network of Barron's proof.
#[derive(Clone, Debug, PartialEq)]
pub struct StepNetwork {
    /// The constant $c = f(0)$.
    pub offset: f64,
    /// Unit directions $\hat\omega_j$, one per row.
    pub directions: Array2<f64>,
    /// Thresholds $t_j\in[-r, r]$.
    pub thresholds: Vec<f64>,
    /// Heights $h_j$, each at most $2rC_f$ in absolute value.
    pub heights: Vec<f64>,
}

impl StepNetwork {
    /// The number of step units.
    pub fn width(&self) -> usize {
        self.heights.len()
    }

    /// $f_n$ at every row of `x`.
    ///
    /// # Panics
    /// If `x` does not have as many columns as the directions.
    pub fn eval(&self, x: &Array2<f64>) -> Array1<f64> {
        assert_eq!(x.ncols(), self.directions.ncols(), "StepNetwork::eval: x must have {} columns, got {}", self.directions.ncols(), x.ncols());
        let z = x.dot(&self.directions.t()); // (points, units)
        let n = self.width() as f64;
        Array1::from_shape_fn(x.nrows(), |i| {
            let mut s = 0.0;
            for (j, (&t, &h)) in self.thresholds.iter().zip(&self.heights).enumerate() {
                let zij = z[[i, j]];
                if t >= 0.0 && zij > t {
                    s += h;
                } else if t < 0.0 && zij < t {
                    s -= h;
                }
            }
            self.offset + s / n
        })
    }
}

/// Draws the width-`width` step network of Barron's proof for `f` on the ball of radius `radius`:
/// $\omega\propto\lVert\omega\rVert\lvert\hat f(\omega)\rvert$ (by rejection from $\lVert\omega\rVert\,\mathcal N(0,\sigma^2I)$),
/// $t\sim U[-r, r]$, height $-2rC_f\sin(\lVert\omega\rVert t + \arg A(\omega))$. `c_f` is the Barron norm
/// ([`barron_norm`]); $\mathbb E f_n = f$ on the ball.
///
/// # Panics
/// If `width == 0`, or `c_f` or `radius` is not finite and > 0.
///
/// # Examples
/// ```
/// use course::learning::{barron_network, barron_norm, GaussianBumps};
/// use ndarray::array;
/// let f = GaussianBumps::new(array![[0.3, 0.0], [-0.5, 0.4]], vec![1.0, -1.0], 1.5);
/// let (c_f, _) = barron_norm(&f, 50_000, &mut course::rng::seeded(0));
/// let net = barron_network(&f, c_f, 1.0, 4000, &mut course::rng::seeded(1));
/// assert!(net.heights.iter().all(|h| h.abs() <= 2.0 * c_f));
/// let x = array![[0.2, -0.3], [0.0, 0.7]];
/// let err = (&net.eval(&x) - &f.eval(&x)).mapv(f64::abs);
/// assert!(err.iter().all(|e| *e < 0.15)); // ≈ 2rC_f/√n = 0.07 per point
/// ```
pub fn barron_network(f: &GaussianBumps, c_f: f64, radius: f64, width: usize, rng: &mut impl Rng) -> StepNetwork {
    assert!(width > 0, "barron_network: width must be > 0, got 0");
    assert!(c_f.is_finite() && c_f > 0.0, "barron_network: c_f must be finite and > 0, got {c_f}");
    assert!(radius.is_finite() && radius > 0.0, "barron_network: radius must be finite and > 0, got {radius}");
    let d = f.dim();
    let total: f64 = f.alphas.iter().map(|a| a.abs()).sum();
    assert!(total > 0.0, "barron_network: f must have a non-zero amplitude");
    let offset = f.eval(&Array2::zeros((1, d)))[0];
    let mut directions = Array2::zeros((width, d));
    let (mut thresholds, mut heights) = (Vec::with_capacity(width), Vec::with_capacity(width));
    for j in 0..width {
        let (rho, dir, phi) = loop {
            // ‖ω‖ = σ·χ_{d+1} has density ∝ ρ·ρ^{d−1}e^{−ρ²/2σ²}: the Gaussian radius tilted by ρ.
            let rho = f.scale * normal_vec(rng, d + 1).iter().map(|v| v * v).sum::<f64>().sqrt();
            let z = normal_vec(rng, d);
            let norm = z.iter().map(|v| v * v).sum::<f64>().sqrt();
            let dir: Vec<f64> = z.iter().map(|v| v / norm).collect();
            let omega: Vec<f64> = dir.iter().map(|v| v * rho).collect();
            let (re, im) = amplitude(f, &omega);
            if rng.random::<f64>() * total < re.hypot(im) {
                break (rho, dir, im.atan2(re));
            }
        };
        let t = radius * (2.0 * rng.random::<f64>() - 1.0);
        for (k, v) in dir.iter().enumerate() {
            directions[[j, k]] = *v;
        }
        thresholds.push(t);
        heights.push(-2.0 * radius * c_f * (rho * t + phi).sin());
    }
    StepNetwork { offset, directions, thresholds, heights }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::array;

    #[test]
    fn mean_norm_matches_monte_carlo() {
        let mut rng = seeded(5);
        for d in [1usize, 3, 7] {
            let n = 200_000;
            let m: f64 = (0..n).map(|_| normal_vec(&mut rng, d).iter().map(|v| v * v).sum::<f64>().sqrt()).sum::<f64>() / n as f64;
            assert!((m - mean_norm_gaussian(d)).abs() < 0.01, "d = {d}: {m} vs {}", mean_norm_gaussian(d));
        }
    }

    #[test]
    fn barron_norm_of_two_bumps_by_quadrature_in_1d() {
        // 1-D: C_f = ∫|ω| N(ω; 0, σ²) |α₁e^{−iωc₁} + α₂e^{−iωc₂}| dω by the midpoint rule.
        let f = GaussianBumps::new(array![[0.0], [1.5]], vec![1.0, -0.5], 1.3);
        let (s, h) = (1.3f64, 1e-3);
        let quad: f64 = (0..40_000)
            .map(|k| {
                let w = -20.0 + (k as f64 + 0.5) * h;
                let dens = (-0.5 * w * w / (s * s)).exp() / (s * (2.0 * std::f64::consts::PI).sqrt());
                let (re, im) = amplitude(&f, &[w]);
                w.abs() * dens * re.hypot(im) * h
            })
            .sum();
        let (c, se) = barron_norm(&f, 100_000, &mut seeded(2));
        assert!((c - quad).abs() < 4.0 * se, "MC {c} ± {se} vs quadrature {quad}");
        assert!(c < barron_norm_upper(&f));
    }

    #[test]
    fn the_step_network_is_unbiased_and_meets_barrons_bound() {
        let f = GaussianBumps::new(array![[0.5, 0.0, -0.5], [-0.3, 0.8, 0.1]], vec![1.0, -1.0], 1.0);
        let (c_f, _) = barron_norm(&f, 100_000, &mut seeded(3));
        let x = uniform_ball(&mut seeded(4), 200, 3, 1.0);
        let target = f.eval(&x);
        let (n, draws) = (64usize, 300usize);
        let mut mean: Array1<f64> = Array1::zeros(x.nrows());
        let mut mse = 0.0;
        for s in 0..draws {
            let out = barron_network(&f, c_f, 1.0, n, &mut seeded(100 + s as u64)).eval(&x);
            mse += (&out - &target).mapv(|v| v * v).mean().unwrap() / draws as f64;
            mean = mean + out / draws as f64;
        }
        // Unbiased: the average of 300 networks is √300 times closer than one.
        let bias = (&mean - &target).mapv(|v| v * v).mean().unwrap().sqrt();
        assert!(bias < 3.0 * (mse / draws as f64).sqrt(), "bias {bias} vs {}", (mse / draws as f64).sqrt());
        assert!(mse <= (2.0 * c_f).powi(2) / n as f64, "E‖f − f_n‖² = {mse} above (2rC_f)²/n");
    }
}
