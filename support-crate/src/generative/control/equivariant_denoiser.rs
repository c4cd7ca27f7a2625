//! An E(2)-equivariant denoiser for 2-D point clouds: pairwise messages with radial weights.
//!
//! A cloud is $N$ points $x_1,\dots,x_N\in\mathbb R^2$ (one row $[x_{1}, y_{1}, \dots, x_N, y_N]$,
//! centred: $\sum_i x_i = 0$). The noise predictor
//! $$\hat\varepsilon_i(x, t) = \sum_{j\ne i}(x_i - x_j)\,\varphi_t\big(\lvert x_i - x_j\rvert\big),\qquad
//! \varphi_t(r) = \theta_{t,0} + \sum_{b=1}^{B}\theta_{t,b}\,e^{-(r-c_b)^2/(2h^2)}$$
//! is equivariant by construction: rotating or reflecting the cloud ($x_i\mapsto Qx_i$) rotates
//! every $\hat\varepsilon_i$ by $Q$, translations cancel in $x_i - x_j$, relabelling the points
//! relabels the outputs, and $\sum_i\hat\varepsilon_i = 0$ (the pair terms are antisymmetric), so
//! the centred subspace is preserved. Being linear in $\theta_t$, it is fitted to the DDPM noise
//! $\varepsilon$ at each step $t$ by least squares (the $\varepsilon$-prediction loss in closed form).
//! Sampling starts from isotropic centred noise; since every reverse step commutes with
//! rotations, the law of the samples is rotation invariant (GeoDiff, Prop. 1).
//!
//! ## Reference
//! M. Xu, L. Yu, Y. Song, C. Shi, S. Ermon & J. Tang (2022), *GeoDiff: a geometric diffusion model
//! for molecular conformation generation*, ICLR, §4; V. G. Satorras, E. Hoogeboom & M. Welling
//! (2021), *E(n) equivariant graph neural networks*.
//!
//! Used in notebooks/35-stochastic-control-and-sampling.ipynb.

use crate::generative::diffusion::{NoiseSchedule, reverse_mean};
use nalgebra::{DMatrix, DVector};
use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};
use std::f64::consts::PI;

fn n_points_of(who: &str, x: &Array2<f64>) -> usize {
    assert!(x.ncols() >= 4 && x.ncols() % 2 == 0, "{who}: rows must hold N ≥ 2 points as [x1, y1, …], got {} columns", x.ncols());
    x.ncols() / 2
}

/// `n_samples` noisy regular `n_points`-gons of circumradius `radius`, each rotated by a uniform
/// random angle, with independent $\mathcal N(0, \text{noise}^2)$ jitter on every coordinate, then
/// centred.
///
/// # Panics
/// If `n_points < 2`, `radius <= 0` or `noise < 0`.
///
/// # Examples
/// ```
/// use course::generative::control::{polygon_clouds, pairwise_distances};
/// let x = polygon_clouds(10, 3, 1.0, 0.0, &mut course::rng::seeded(0));
/// // an equilateral triangle of circumradius 1 has sides √3
/// assert!(pairwise_distances(&x).iter().all(|d| (d - 3f64.sqrt()).abs() < 1e-12));
/// ```
pub fn polygon_clouds(n_samples: usize, n_points: usize, radius: f64, noise: f64, rng: &mut impl Rng) -> Array2<f64> {
    assert!(n_points >= 2, "polygon_clouds: n_points must be ≥ 2, got {n_points}");
    assert!(radius > 0.0, "polygon_clouds: radius must be > 0, got {radius}");
    assert!(noise >= 0.0, "polygon_clouds: noise must be ≥ 0, got {noise}");
    let mut x = Array2::<f64>::zeros((n_samples, 2 * n_points));
    for mut row in x.rows_mut() {
        let phase = rng.random::<f64>() * 2.0 * PI;
        let jitter = crate::rng::normal_vec(rng, 2 * n_points);
        for i in 0..n_points {
            let a = phase + 2.0 * PI * i as f64 / n_points as f64;
            row[2 * i] = radius * a.cos() + noise * jitter[2 * i];
            row[2 * i + 1] = radius * a.sin() + noise * jitter[2 * i + 1];
        }
    }
    center_clouds(&x)
}

/// Each cloud translated so that its centre of mass is the origin.
///
/// # Panics
/// If the rows do not hold ≥ 2 points.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let c = course::generative::control::center_clouds(&array![[1.0, 2.0, 3.0, 2.0]]);
/// assert_eq!(c, array![[-1.0, 0.0, 1.0, 0.0]]);
/// ```
pub fn center_clouds(x: &Array2<f64>) -> Array2<f64> {
    let n = n_points_of("center_clouds", x);
    let mut out = x.clone();
    for mut row in out.rows_mut() {
        for d in 0..2 {
            let m = (0..n).map(|i| row[2 * i + d]).sum::<f64>() / n as f64;
            (0..n).for_each(|i| row[2 * i + d] -= m);
        }
    }
    out
}

/// Standard Gaussian noise projected on the centred subspace (the diffusion's noise for clouds).
///
/// # Examples
/// ```
/// let z = course::generative::control::centered_noise(&mut course::rng::seeded(1), 5, 3);
/// assert_eq!(z.dim(), (5, 6));
/// assert!((z[[0, 0]] + z[[0, 2]] + z[[0, 4]]).abs() < 1e-12); // centred
/// ```
pub fn centered_noise(rng: &mut impl Rng, n_samples: usize, n_points: usize) -> Array2<f64> {
    let z = Array2::from_shape_vec((n_samples, 2 * n_points), crate::rng::normal_vec(rng, n_samples * 2 * n_points)).expect("shape");
    center_clouds(&z)
}

/// Every cloud rotated by `angle` (radians) about the origin.
///
/// # Panics
/// If the rows do not hold ≥ 2 points.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let r = course::generative::control::rotate_clouds(&array![[1.0, 0.0, -1.0, 0.0]], std::f64::consts::FRAC_PI_2);
/// assert!((r[[0, 1]] - 1.0).abs() < 1e-15 && r[[0, 0]].abs() < 1e-15);
/// ```
pub fn rotate_clouds(x: &Array2<f64>, angle: f64) -> Array2<f64> {
    let n = n_points_of("rotate_clouds", x);
    let (c, s) = (angle.cos(), angle.sin());
    let mut out = x.clone();
    for mut row in out.rows_mut() {
        for i in 0..n {
            let (a, b) = (row[2 * i], row[2 * i + 1]);
            row[2 * i] = c * a - s * b;
            row[2 * i + 1] = s * a + c * b;
        }
    }
    out
}

/// All $N(N-1)/2$ pairwise distances of every cloud, cloud after cloud.
///
/// # Panics
/// If the rows do not hold ≥ 2 points.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let d = course::generative::control::pairwise_distances(&array![[0.0, 0.0, 3.0, 4.0]]);
/// assert_eq!(d, vec![5.0]);
/// ```
pub fn pairwise_distances(x: &Array2<f64>) -> Vec<f64> {
    let n = n_points_of("pairwise_distances", x);
    let mut out = Vec::with_capacity(x.nrows() * n * (n - 1) / 2);
    for row in x.rows() {
        for i in 0..n {
            for j in i + 1..n {
                out.push((row[2 * i] - row[2 * j]).hypot(row[2 * i + 1] - row[2 * j + 1]));
            }
        }
    }
    out
}

/// The equivariant noise predictor $\hat\varepsilon_i = \sum_j (x_i - x_j)\varphi_t(\lvert x_i - x_j\rvert)$
/// with one weight vector $\theta_t$ per diffusion step.
#[derive(Clone, Debug)]
pub struct PairwiseDenoiser {
    /// The RBF centres $c_b$ on $[0, r_{\max}]$.
    pub centers: Vec<f64>,
    /// The RBF width $h$ (the spacing of the centres).
    pub width: f64,
    /// `theta[t - 1]` $= \theta_t$ ($1 + B$ numbers: the constant, then the RBF weights).
    pub theta: Vec<Vec<f64>>,
}

impl PairwiseDenoiser {
    /// The radial features $(1, \rho_1(r), \dots, \rho_B(r))$.
    fn radial(&self, r: f64) -> Vec<f64> {
        let mut f = Vec::with_capacity(1 + self.centers.len());
        f.push(1.0);
        f.extend(self.centers.iter().map(|c| (-(r - c).powi(2) / (2.0 * self.width * self.width)).exp()));
        f
    }

    /// The design matrix of one cloud: row $2i + d$, column $b$ holds
    /// $\sum_j (x_i - x_j)_d\,\rho_b(\lvert x_i - x_j\rvert)$, so that $\hat\varepsilon = F\theta_t$.
    fn design(&self, cloud: &[f64]) -> DMatrix<f64> {
        let n = cloud.len() / 2;
        let p = 1 + self.centers.len();
        let mut f = DMatrix::<f64>::zeros(2 * n, p);
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (dx, dy) = (cloud[2 * i] - cloud[2 * j], cloud[2 * i + 1] - cloud[2 * j + 1]);
                for (b, rho) in self.radial(dx.hypot(dy)).into_iter().enumerate() {
                    f[(2 * i, b)] += dx * rho;
                    f[(2 * i + 1, b)] += dy * rho;
                }
            }
        }
        f
    }

    /// Fits $\theta_t$ for every step $t = 1..T$ of `schedule` by least squares on
    /// `n_per_step` noised clouds $x_t = \sqrt{\bar\alpha_t}x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$
    /// ($x_0$ drawn from the rows of `data`, $\varepsilon$ centred), with `n_rbf` radial functions
    /// on $[0, r_{\max}]$; a ridge of $10^{-8}$ times the trace keeps the normal equations regular.
    ///
    /// # Panics
    /// If `data` is empty or its rows do not hold ≥ 2 points, `n_rbf < 2` or `r_max <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{polygon_clouds, PairwiseDenoiser};
    /// use course::generative::diffusion::NoiseSchedule;
    /// let mut rng = course::rng::seeded(0);
    /// let data = polygon_clouds(200, 3, 1.0, 0.05, &mut rng);
    /// let sched = NoiseSchedule::linear(20, 1e-3, 0.3);
    /// let model = PairwiseDenoiser::fit(&data, &sched, 50, 6, 4.0, &mut rng);
    /// assert_eq!((model.theta.len(), model.theta[0].len()), (20, 7));
    /// ```
    pub fn fit(data: &Array2<f64>, schedule: &NoiseSchedule, n_per_step: usize, n_rbf: usize, r_max: f64, rng: &mut impl Rng) -> Self {
        let n = n_points_of("PairwiseDenoiser::fit", data);
        assert!(data.nrows() > 0, "PairwiseDenoiser::fit: data must be non-empty");
        assert!(n_rbf >= 2, "PairwiseDenoiser::fit: n_rbf must be ≥ 2, got {n_rbf}");
        assert!(r_max > 0.0, "PairwiseDenoiser::fit: r_max must be > 0, got {r_max}");
        let centers: Vec<f64> = (0..n_rbf).map(|b| r_max * b as f64 / (n_rbf - 1) as f64).collect();
        let width = r_max / (n_rbf - 1) as f64;
        let mut model = PairwiseDenoiser { centers, width, theta: Vec::new() };
        let p = 1 + n_rbf;
        for t in 1..=schedule.n_steps() {
            let (a, b) = (schedule.alpha_bar(t).sqrt(), (1.0 - schedule.alpha_bar(t)).sqrt());
            let eps = centered_noise(rng, n_per_step, n);
            let mut ata = DMatrix::<f64>::zeros(p, p);
            let mut atb = DVector::<f64>::zeros(p);
            for s in 0..n_per_step {
                let x0 = data.row(rng.random_range(0..data.nrows()));
                let xt: Vec<f64> = (0..2 * n).map(|k| a * x0[k] + b * eps[[s, k]]).collect();
                let f = model.design(&xt);
                ata += f.transpose() * &f;
                atb += f.transpose() * DVector::from_iterator(2 * n, eps.row(s).iter().copied());
            }
            let ridge = 1e-8 * ata.trace().max(1e-300);
            for k in 0..p {
                ata[(k, k)] += ridge;
            }
            let theta = ata.cholesky().expect("ridge-regularized normal equations are positive definite").solve(&atb);
            model.theta.push(theta.iter().copied().collect());
        }
        model
    }

    /// $\hat\varepsilon(x, t)$ for a batch of clouds.
    ///
    /// # Panics
    /// If `t` is not in $1..=T$ or the rows do not hold ≥ 2 points.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::PairwiseDenoiser;
    /// use course::ndarray::array;
    /// // φ ≡ 1: ε̂_i = Σ_j (x_i − x_j) = N x_i for a centred cloud
    /// let m = PairwiseDenoiser { centers: vec![0.0, 1.0], width: 1.0, theta: vec![vec![1.0, 0.0, 0.0]] };
    /// let e = m.predict(&array![[1.0, 0.0, -1.0, 0.0]], 1);
    /// assert_eq!(e, array![[2.0, 0.0, -2.0, 0.0]]);
    /// ```
    pub fn predict(&self, x: &Array2<f64>, t: usize) -> Array2<f64> {
        n_points_of("PairwiseDenoiser::predict", x);
        assert!(t >= 1 && t <= self.theta.len(), "PairwiseDenoiser::predict: t must be in 1..={}, got {t}", self.theta.len());
        let theta = DVector::from_column_slice(&self.theta[t - 1]);
        let mut out = Array2::<f64>::zeros(x.dim());
        for (row, mut o) in x.rows().into_iter().zip(out.rows_mut()) {
            let e = self.design(&row.to_vec()) * &theta;
            o.assign(&Array1::from_iter(e.iter().copied()));
        }
        out
    }

    /// Ancestral DDPM sampling of `n_samples` clouds of `n_points` from centred isotropic noise,
    /// with reverse variance $\beta_t$ and centred noise at every step.
    ///
    /// # Panics
    /// If the schedule's length differs from the fitted model's.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{polygon_clouds, PairwiseDenoiser};
    /// use course::generative::diffusion::NoiseSchedule;
    /// let mut rng = course::rng::seeded(0);
    /// let data = polygon_clouds(100, 3, 1.0, 0.05, &mut rng);
    /// let sched = NoiseSchedule::linear(10, 1e-3, 0.5);
    /// let model = PairwiseDenoiser::fit(&data, &sched, 30, 5, 4.0, &mut rng);
    /// let x = model.sample(&sched, 4, 3, &mut rng);
    /// assert!((x[[0, 1]] + x[[0, 3]] + x[[0, 5]]).abs() < 1e-9); // samples stay centred
    /// ```
    pub fn sample(&self, schedule: &NoiseSchedule, n_samples: usize, n_points: usize, rng: &mut impl Rng) -> Array2<f64> {
        assert_eq!(schedule.n_steps(), self.theta.len(), "PairwiseDenoiser::sample: the schedule must have the fitted number of steps");
        let mut x = centered_noise(rng, n_samples, n_points);
        for t in (1..=schedule.n_steps()).rev() {
            let e = self.predict(&x, t);
            x = reverse_mean(schedule, &x, &e, t);
            if t > 1 {
                x = x + centered_noise(rng, n_samples, n_points) * schedule.beta(t).sqrt();
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    fn fitted(seed: u64) -> (Array2<f64>, NoiseSchedule, PairwiseDenoiser) {
        let mut rng = seeded(seed);
        let data = polygon_clouds(2000, 3, 1.0, 0.1, &mut rng);
        let sched = NoiseSchedule::linear(100, 1e-4, 0.1);
        let model = PairwiseDenoiser::fit(&data, &sched, 400, 24, 4.0, &mut rng);
        (data, sched, model)
    }

    #[test]
    fn the_denoiser_is_equivariant() {
        let (data, _, model) = fitted(0);
        let x = data.slice(ndarray::s![..5, ..]).to_owned() * 0.8;
        for t in [1, 50, 100] {
            let rotated_out = rotate_clouds(&model.predict(&x, t), 0.7);
            let out_of_rotated = model.predict(&rotate_clouds(&x, 0.7), t);
            assert!((&rotated_out - &out_of_rotated).iter().all(|v| v.abs() < 1e-12));
            // translations: the shifted cloud gives the same output
            let shifted = &x + 3.0;
            assert!((&model.predict(&shifted, t) - &model.predict(&x, t)).iter().all(|v| v.abs() < 1e-12));
        }
    }

    #[test]
    fn generated_triangles_have_the_data_side_lengths_and_no_preferred_angle() {
        for seed in 0..3 {
            let (data, sched, model) = fitted(seed);
            let mut rng = seeded(100 + seed);
            let x = model.sample(&sched, 2000, 3, &mut rng);
            let (dg, dd) = (pairwise_distances(&x), pairwise_distances(&data));
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let w = crate::generative::metrics::wasserstein_1d(&dg, &dd, 1.0);
            // the baseline: isotropic centred noise of the data's scale
            let scale = (data.iter().map(|v| v * v).sum::<f64>() / data.len() as f64).sqrt();
            let base = centered_noise(&mut rng, 2000, 3) * (scale * (3.0f64 / 2.0).sqrt());
            let wb = crate::generative::metrics::wasserstein_1d(&pairwise_distances(&base), &dd, 1.0);
            println!("seed {seed}: mean side {:.4} vs {:.4}, W1 {w:.4} baseline {wb:.4}", mean(&dg), mean(&dd));
            assert!(w < 0.3 * wb, "seed {seed}: W1 {w} vs baseline {wb}");
            // angle of point 1: uniform ⇒ |mean cos kθ|, |mean sin kθ| < 4/√(2n)
            let n = x.nrows() as f64;
            for k in 1..=3 {
                let (c, s) = x.rows().into_iter().fold((0.0, 0.0), |(c, s), r| {
                    let th = r[1].atan2(r[0]) * k as f64;
                    (c + th.cos() / n, s + th.sin() / n)
                });
                assert!(c.abs() < 4.0 / (2.0 * n).sqrt() && s.abs() < 4.0 / (2.0 * n).sqrt(), "seed {seed} k {k}: {c} {s}");
            }
        }
    }
}
