//! A Boltzmann distribution of a molecule-like toy: a two-state system along one reaction
//! coordinate, and why samplers that follow the noised scores cross barriers that MCMC cannot.
//!
//! A molecule switching between two conformations (e.g. the *gauche* and *trans* states of a
//! torsion) is modelled by a tilted double well along its reaction coordinate $x$,
//! $$U(x) = b\,(x^2-1)^2 + c\,x,\qquad p(x) = \frac{e^{-U(x)/kT}}{Z},\quad Z = \int e^{-U/kT}\,dx .$$
//! The population of the left state is $P_L = \int_{x < x^\ddagger} p$, with $x^\ddagger$ the top of
//! the barrier. At low temperature Laplace's method gives the harmonic estimate
//! $$\frac{P_L}{P_R} \approx e^{-(U_L - U_R)/kT}\sqrt{\frac{U''(x_R)}{U''(x_L)}}.$$
//! A local MCMC sampler crosses the barrier at Kramers' rate $\propto e^{-\Delta U^\ddagger/kT}$:
//! with $\Delta U^\ddagger = 10\,kT$ a chain started in one well estimates $P_L \approx 0$ or $1$.
//! A diffusion sampler instead starts from $\mathcal N(0, 1)$ and follows the scores of the
//! noised densities $p_t = p * \mathcal N(0, 1-\bar\alpha_t)$ (after scaling), which are
//! unimodal at large $t$: it distributes mass between the wells *before* they separate. Here
//! the noised scores are exact: on a grid of spacing $h$, $p$ is a mixture of narrow Gaussians
//! ([`TwoState::grid_mixture`]), and every noised mixture is again a mixture.
//!
//! ## Reference
//! H. A. Kramers (1940), *Brownian motion in a field of force*; Noé et al. (2019), *Boltzmann
//! generators*; Song et al. (2021), *Score-based generative modeling through SDEs*.
//!
//! Used in notebooks/37-capstone-and-journal-club.ipynb.

use crate::generative::diffusion::GaussianMixture;
use crate::sampling::LogDensity;
use ndarray::Array2;

/// $U(x) = b(x^2-1)^2 + cx$ at temperature $kT$.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TwoState {
    /// Barrier height $b$ (the barrier at $c = 0$).
    pub barrier: f64,
    /// Tilt $c$: $c > 0$ favours the left state.
    pub tilt: f64,
    /// Temperature $kT$.
    pub kt: f64,
}

/// The quadrature grid: 20001 points on $[-3, 3]$ (the density is below $e^{-40}$ outside for
/// the parameters of the course).
const GRID: (f64, f64, usize) = (-3.0, 3.0, 20_001);

impl TwoState {
    /// The two-state system.
    ///
    /// # Panics
    /// If `barrier <= 0`, `kt <= 0`, or the tilt is so large that there is a single well
    /// ($|c| \ge 8b/(3\sqrt3)$).
    ///
    /// # Examples
    /// ```
    /// let m = course::generative::applications::TwoState::new(1.0, 0.0, 0.1);
    /// assert!((m.potential(1.0)).abs() < 1e-15 && (m.potential(0.0) - 1.0).abs() < 1e-15);
    /// ```
    pub fn new(barrier: f64, tilt: f64, kt: f64) -> Self {
        assert!(barrier > 0.0 && barrier.is_finite(), "TwoState: barrier must be > 0, got {barrier}");
        assert!(kt > 0.0 && kt.is_finite(), "TwoState: kt must be > 0, got {kt}");
        let limit = 8.0 * barrier / (3.0 * 3f64.sqrt());
        assert!(tilt.abs() < limit, "TwoState: |tilt| must be < 8·barrier/(3√3) = {limit:.4} for two wells, got {tilt}");
        TwoState { barrier, tilt, kt }
    }

    /// $U(x)$.
    pub fn potential(&self, x: f64) -> f64 {
        self.barrier * (x * x - 1.0).powi(2) + self.tilt * x
    }

    /// $U'(x)$.
    ///
    /// # Examples
    /// ```
    /// let m = course::generative::applications::TwoState::new(1.3, 0.2, 0.1);
    /// let h = 1e-6;
    /// assert!((m.potential_derivative(0.4) - (m.potential(0.4 + h) - m.potential(0.4 - h)) / (2.0 * h)).abs() < 1e-8);
    /// ```
    pub fn potential_derivative(&self, x: f64) -> f64 {
        4.0 * self.barrier * x * (x * x - 1.0) + self.tilt
    }

    /// $U''(x)$.
    pub fn curvature(&self, x: f64) -> f64 {
        self.barrier * (12.0 * x * x - 4.0)
    }

    /// The three critical points $x_L < x^\ddagger < x_R$ (left minimum, barrier top, right
    /// minimum), by bisection on $U'$.
    ///
    /// # Examples
    /// ```
    /// let [l, top, r] = course::generative::applications::TwoState::new(1.0, 0.0, 0.1).critical_points();
    /// assert!((l + 1.0).abs() < 1e-12 && top.abs() < 1e-12 && (r - 1.0).abs() < 1e-12);
    /// ```
    pub fn critical_points(&self) -> [f64; 3] {
        // U' is a cubic with roots separated by its own critical points ±1/√3
        let s = 1.0 / 3f64.sqrt();
        let root = |mut a: f64, mut b: f64| {
            let fa = self.potential_derivative(a);
            for _ in 0..200 {
                let m = 0.5 * (a + b);
                if (self.potential_derivative(m) > 0.0) == (fa > 0.0) {
                    a = m;
                } else {
                    b = m;
                }
            }
            0.5 * (a + b)
        };
        [root(-3.0, -s), root(-s, s), root(s, 3.0)]
    }

    fn grid(&self) -> (Vec<f64>, f64) {
        let (lo, hi, n) = GRID;
        let h = (hi - lo) / (n - 1) as f64;
        ((0..n).map(|i| lo + i as f64 * h).collect(), h)
    }

    /// $\log Z$ by the trapezoidal rule on a fine grid (relative error far below $10^{-10}$).
    ///
    /// # Examples
    /// ```
    /// // b → small, c = 0 is not Gaussian; check instead the harmonic limit at low kT:
    /// // Z ≈ Σ_wells e^{-U_i/kT} √(2π kT / U''_i)
    /// let m = course::generative::applications::TwoState::new(1.0, 0.1, 0.01);
    /// let [l, _, r] = m.critical_points();
    /// let lap = |x: f64| (-m.potential(x) / m.kt).exp() * (std::f64::consts::TAU * m.kt / m.curvature(x)).sqrt();
    /// assert!((m.log_z() - (lap(l) + lap(r)).ln()).abs() < 0.01);
    /// ```
    pub fn log_z(&self) -> f64 {
        let (xs, h) = self.grid();
        let shift = xs.iter().map(|&x| -self.potential(x) / self.kt).fold(f64::NEG_INFINITY, f64::max);
        let n = xs.len();
        let s: f64 = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let w = if i == 0 || i == n - 1 { 0.5 } else { 1.0 };
                w * (-self.potential(x) / self.kt - shift).exp()
            })
            .sum();
        shift + (s * h).ln()
    }

    /// $p(x)$, normalized.
    pub fn density(&self, x: f64) -> f64 {
        (-self.potential(x) / self.kt - self.log_z()).exp()
    }

    /// The population of the left state, $P_L = \int_{-\infty}^{x^\ddagger} p(x)\,dx$, by quadrature.
    ///
    /// # Examples
    /// ```
    /// // no tilt: both states equally populated
    /// let m = course::generative::applications::TwoState::new(1.0, 0.0, 0.1);
    /// assert!((m.left_population() - 0.5).abs() < 1e-9);
    /// ```
    pub fn left_population(&self) -> f64 {
        let [_, top, _] = self.critical_points();
        let (xs, h) = self.grid();
        let log_z = self.log_z();
        let f = |x: f64| (-self.potential(x) / self.kt - log_z).exp();
        // trapezoid up to the last grid point below the top, then the partial cell
        let k = xs.iter().position(|&x| x > top).expect("the top is inside the grid") - 1;
        let mut s: f64 = (0..k).map(|i| 0.5 * h * (f(xs[i]) + f(xs[i + 1]))).sum();
        s += 0.5 * (top - xs[k]) * (f(xs[k]) + f(top));
        s
    }

    /// Laplace's (harmonic) estimate of $P_L$ from the ratio
    /// $P_L/P_R \approx e^{-(U_L-U_R)/kT}\sqrt{U''(x_R)/U''(x_L)}$; exact as $kT\to 0$.
    ///
    /// # Examples
    /// ```
    /// let m = course::generative::applications::TwoState::new(1.0, 0.1, 0.02);
    /// assert!((m.harmonic_left_population() - m.left_population()).abs() < 0.01);
    /// ```
    pub fn harmonic_left_population(&self) -> f64 {
        let [l, _, r] = self.critical_points();
        let ratio = (-(self.potential(l) - self.potential(r)) / self.kt).exp() * (self.curvature(r) / self.curvature(l)).sqrt();
        ratio / (1.0 + ratio)
    }

    /// The barrier seen from the more populated well, in units of $kT$: $(U(x^\ddagger) - \min U)/kT$.
    pub fn barrier_over_kt(&self) -> f64 {
        let [l, top, r] = self.critical_points();
        (self.potential(top) - self.potential(l).min(self.potential(r))) / self.kt
    }

    /// $p$ as a mixture of `n_grid` narrow Gaussians centred on an even grid over $[-2.5, 2.5]$,
    /// weights $\propto e^{-U(x_i)/kT}$, variance $(h/2)^2$: a density within $O(h^2)$ of $p$ whose
    /// noised versions (and their scores) are exact mixtures.
    ///
    /// # Panics
    /// If `n_grid < 10`.
    ///
    /// # Examples
    /// ```
    /// let m = course::generative::applications::TwoState::new(1.0, 0.05, 0.1);
    /// let g = m.grid_mixture(400);
    /// let left: f64 = (0..400).filter(|&i| g.means[[i, 0]] < m.critical_points()[1]).map(|i| g.weights[i]).sum();
    /// assert!((left - m.left_population()).abs() < 0.01);
    /// ```
    pub fn grid_mixture(&self, n_grid: usize) -> GaussianMixture {
        assert!(n_grid >= 10, "grid_mixture: n_grid must be >= 10, got {n_grid}");
        let (lo, hi) = (-2.5, 2.5);
        let h = (hi - lo) / (n_grid - 1) as f64;
        let xs: Vec<f64> = (0..n_grid).map(|i| lo + i as f64 * h).collect();
        let lw: Vec<f64> = xs.iter().map(|&x| -self.potential(x) / self.kt).collect();
        let top = lw.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let w: Vec<f64> = lw.iter().map(|l| (l - top).exp()).collect();
        let total: f64 = w.iter().sum();
        GaussianMixture::isotropic(
            w.iter().map(|v| v / total).collect(),
            Array2::from_shape_vec((n_grid, 1), xs).expect("n × 1"),
            (0.5 * h).powi(2),
        )
    }

    /// Fraction of the points of `x` (n × 1) left of the barrier top: the estimate of $P_L$.
    ///
    /// # Panics
    /// If `x` does not have exactly one column.
    pub fn left_fraction(&self, x: &Array2<f64>) -> f64 {
        assert_eq!(x.ncols(), 1, "left_fraction: x must be n × 1, got {:?}", x.dim());
        let top = self.critical_points()[1];
        x.iter().filter(|&&v| v < top).count() as f64 / x.nrows().max(1) as f64
    }
}

impl LogDensity for TwoState {
    fn dim(&self) -> usize {
        1
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        -self.potential(x[0]) / self.kt
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        vec![-self.potential_derivative(x[0]) / self.kt]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::sde::{Sde, reverse_sde};
    use crate::rng::seeded;
    use crate::sampling::mala;

    #[test]
    fn population_agrees_with_an_independent_simpson_quadrature() {
        let m = TwoState::new(1.0, 0.05, 0.1);
        let [_, top, _] = m.critical_points();
        let simpson = |a: f64, b: f64, n: usize| {
            let h = (b - a) / n as f64;
            let f = |x: f64| (-m.potential(x) / m.kt).exp();
            (0..=n).map(|i| f(a + i as f64 * h) * if i == 0 || i == n { 1.0 } else if i % 2 == 1 { 4.0 } else { 2.0 }).sum::<f64>() * h / 3.0
        };
        let (left, right) = (simpson(-4.0, top, 4000), simpson(top, 4.0, 4000));
        assert!((m.left_population() - left / (left + right)).abs() < 1e-8);
        assert!((m.log_z() - (left + right).ln()).abs() < 1e-8);
    }

    #[test]
    fn mala_stays_in_its_well_while_reverse_diffusion_finds_the_populations() {
        let m = TwoState::new(1.0, 0.04, 0.08);
        assert!(m.barrier_over_kt() > 11.0);
        let truth = m.left_population();
        let mix = m.grid_mixture(400);
        let sde = Sde::vp(0.1, 12.0);
        for seed in 0..3 {
            let chain = mala(&m, &[1.0], 0.04, 10_000, &mut seeded(seed));
            let mala_left = m.left_fraction(&chain.states);
            assert!(mala_left < 0.05, "seed {seed}: MALA crossed ({mala_left})");
            let mut rng = seeded(100 + seed);
            let x = crate::generative::diffusion::standard_normal(&mut rng, 2000, 1);
            let score = |x: &Array2<f64>, t: f64| {
                let a = sde.marginal_scale(t);
                mix.score_vp(x, a * a)
            };
            let x = reverse_sde(&sde, &score, x, 1.0, 1e-3, 300, &mut rng);
            let got = m.left_fraction(&x);
            let se = (truth * (1.0 - truth) / 2000.0).sqrt();
            assert!((got - truth).abs() < 4.0 * se + 0.01, "seed {seed}: diffusion {got} vs {truth}");
        }
    }
}
