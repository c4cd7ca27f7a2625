//! The Fokker–Planck equation in one dimension, by a mass-conserving finite-volume scheme.
//!
//! The density $p(t, x)$ of $dX = \mu(t,X)\,dt + \sigma(t,X)\,dW$ solves
//! $$\partial_t p = -\partial_x\big(\mu p\big) + \tfrac12\partial_x^2\big(\sigma^2 p\big)
//! = -\partial_x J,\qquad J = \mu p - \partial_x(D p),\ D = \tfrac12\sigma^2 .$$
//! Cells of width $h$ on $[\text{lo}, \text{hi}]$ hold cell averages $p_i$; the flux through
//! the face between cells $i$ and $i+1$ is $J_{i+1/2} = \mu_{i+1/2}\frac{p_i + p_{i+1}}2 - \frac{D_{i+1}p_{i+1} - D_ip_i}{h}$
//! (central, second order), zero at both ends (no mass leaves), and
//! $p_i \leftarrow p_i - \frac{\Delta t}{h}(J_{i+1/2} - J_{i-1/2})$ (forward Euler, with
//! $\Delta t \le 0.4\,h^2/\max 2D$ and $\le 0.4\,h/\max|\mu|$ for stability). The total mass
//! $h\sum_i p_i$ is conserved exactly, up to rounding.
//!
//! ## Reference
//! H. Risken, *The Fokker–Planck Equation* (1989), ch. 4; R. J. LeVeque, *Finite Volume Methods
//! for Hyperbolic Problems* (2002), ch. 4; G. A. Pavliotis (2014), §4.1.
//!
//! Used in notebooks/14-stochastic-processes-and-sdes.ipynb.

use super::ScalarSde;

/// A density on a grid of cells.
#[derive(Clone, Debug, PartialEq)]
pub struct FokkerPlanckSolution {
    /// Cell centres.
    pub x: Vec<f64>,
    /// Cell averages of the density.
    pub density: Vec<f64>,
    /// Cell width.
    pub h: f64,
    /// Number of time steps taken.
    pub n_steps: usize,
}

impl FokkerPlanckSolution {
    /// $h\sum_i p_i$.
    pub fn mass(&self) -> f64 {
        self.h * self.density.iter().sum::<f64>()
    }

    /// $h\sum_i |p_i - q(x_i)|$: the $L^1$ distance to a density `q` (midpoint rule).
    pub fn l1_distance(&self, q: &dyn Fn(f64) -> f64) -> f64 {
        self.h * self.x.iter().zip(&self.density).map(|(&x, p)| (p - q(x)).abs()).sum::<f64>()
    }

    /// Probabilities of bins made of `cells_per_bin` consecutive cells: `(edges, probs)`.
    ///
    /// # Panics
    /// If `cells_per_bin` is 0 or does not divide the number of cells.
    pub fn bin_probabilities(&self, cells_per_bin: usize) -> (Vec<f64>, Vec<f64>) {
        let n = self.x.len();
        assert!(cells_per_bin > 0 && n % cells_per_bin == 0, "bin_probabilities: cells_per_bin must divide the {n} cells, got {cells_per_bin}");
        let lo = self.x[0] - 0.5 * self.h;
        let edges = (0..=n / cells_per_bin).map(|b| lo + (b * cells_per_bin) as f64 * self.h).collect();
        let probs = self.density.chunks(cells_per_bin).map(|c| c.iter().sum::<f64>() * self.h).collect();
        (edges, probs)
    }
}

/// Solves the Fokker–Planck equation of `sde` on `[lo, hi]` with `n_cells` cells from the
/// initial density `p0` (sampled at cell centres, then scaled to mass 1) up to `t_end`.
///
/// # Panics
/// If `lo >= hi`, `n_cells < 3`, `t_end <= 0`, or `p0` has no positive mass on the grid.
///
/// # Examples
/// ```
/// use course::stochastic::{OrnsteinUhlenbeck, fokker_planck_1d};
/// let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 };
/// let p0 = |x: f64| ou.density(1.5, 0.05, 0.0, x);
/// let sol = fokker_planck_1d(&ou, -5.0, 5.0, 200, &p0, 1.0);
/// assert!((sol.mass() - 1.0).abs() < 1e-12);
/// assert!(sol.l1_distance(&|x| ou.density(1.5, 0.05, 1.0, x)) < 5e-3);
/// ```
pub fn fokker_planck_1d(sde: &dyn ScalarSde, lo: f64, hi: f64, n_cells: usize, p0: &dyn Fn(f64) -> f64, t_end: f64) -> FokkerPlanckSolution {
    assert!(lo < hi && lo.is_finite() && hi.is_finite(), "fokker_planck_1d: need finite lo < hi, got ({lo}, {hi})");
    assert!(n_cells >= 3, "fokker_planck_1d: n_cells must be >= 3, got {n_cells}");
    assert!(t_end > 0.0 && t_end.is_finite(), "t_end must be > 0, got {t_end}");
    let h = (hi - lo) / n_cells as f64;
    let x: Vec<f64> = (0..n_cells).map(|i| lo + (i as f64 + 0.5) * h).collect();
    let faces: Vec<f64> = (1..n_cells).map(|i| lo + i as f64 * h).collect();
    let mut p: Vec<f64> = x.iter().map(|&xi| p0(xi)).collect();
    let m0 = h * p.iter().sum::<f64>();
    assert!(m0 > 0.0 && m0.is_finite(), "fokker_planck_1d: p0 must have positive finite mass on the grid, got {m0}");
    p.iter_mut().for_each(|v| *v /= m0);

    // time step from the coefficients at t = 0 (with a margin: they are re-checked each step)
    let d_max = x.iter().map(|&xi| 0.5 * sde.diffusion(0.0, xi).powi(2)).fold(0.0, f64::max);
    let mu_max = faces.iter().map(|&f| sde.drift(0.0, f).abs()).fold(0.0, f64::max);
    let mut dt = t_end;
    if d_max > 0.0 {
        dt = dt.min(0.4 * h * h / (2.0 * d_max));
    }
    if mu_max > 0.0 {
        dt = dt.min(0.4 * h / mu_max);
    }
    let n_steps = (t_end / dt).ceil() as usize;
    let dt = t_end / n_steps as f64;

    let mut flux = vec![0.0; n_cells + 1];
    let mut d = vec![0.0; n_cells];
    for k in 0..n_steps {
        let t = k as f64 * dt;
        for (di, &xi) in d.iter_mut().zip(&x) {
            *di = 0.5 * sde.diffusion(t, xi).powi(2);
        }
        for i in 0..n_cells - 1 {
            let mu = sde.drift(t, faces[i]);
            flux[i + 1] = mu * 0.5 * (p[i] + p[i + 1]) - (d[i + 1] * p[i + 1] - d[i] * p[i]) / h;
        }
        for i in 0..n_cells {
            p[i] -= dt / h * (flux[i + 1] - flux[i]);
        }
    }
    FokkerPlanckSolution { x, density: p, h, n_steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stochastic::{FnSde, OrnsteinUhlenbeck};

    #[test]
    fn ou_density_converges_at_second_order_and_mass_is_conserved() {
        let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 0.8 };
        let p0 = |x: f64| ou.density(1.0, 0.1, 0.0, x);
        let exact = |x: f64| ou.density(1.0, 0.1, 0.7, x);
        let errs: Vec<f64> = [50, 100, 200]
            .iter()
            .map(|&n| {
                let s = fokker_planck_1d(&ou, -4.0, 4.0, n, &p0, 0.7);
                assert!((s.mass() - 1.0).abs() < 1e-12);
                s.l1_distance(&exact)
            })
            .collect();
        let order = (errs[1] / errs[2]).log2();
        assert!((order - 2.0).abs() < 0.3, "errors {errs:?}, order {order}");
    }

    #[test]
    fn pure_diffusion_spreads_a_gaussian_as_the_heat_kernel() {
        // dX = dW: N(0, v0) → N(0, v0 + t).
        fn zero(_t: f64, _x: f64) -> f64 { 0.0 }
        fn one(_t: f64, _x: f64) -> f64 { 1.0 }
        let bm = FnSde { drift: zero, diffusion: one };
        let g = |v: f64| move |x: f64| (-x * x / (2.0 * v)).exp() / (2.0 * std::f64::consts::PI * v).sqrt();
        let s = fokker_planck_1d(&bm, -8.0, 8.0, 320, &g(0.2), 0.5);
        assert!(s.l1_distance(&g(0.7)) < 1e-3, "{}", s.l1_distance(&g(0.7)));
    }
}
