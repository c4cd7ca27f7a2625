//! Random-walk Metropolis: propose $y = x + s\,Z$, $Z\sim\mathcal N(0, I)$, accept with
//! probability $\min\{1, \pi(y)/\pi(x)\}$; the chain is reversible with respect to $\pi$.
//!
//! ## Reference
//! N. Metropolis, A. Rosenbluth, M. Rosenbluth, A. Teller & E. Teller (1953), *Equation of state
//! calculations by fast computing machines*; C. Robert & G. Casella, *Monte Carlo Statistical
//! Methods* (2004), ch. 7.
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use super::LogDensity;
use ndarray::{Array1, Array2};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// A Markov chain: the states (one row per step, after the initial state) and how often a
/// proposal was accepted.
#[derive(Clone, Debug)]
pub struct Chain {
    /// `n_steps × dim`.
    pub states: Array2<f64>,
    /// Fraction of accepted proposals.
    pub acceptance: f64,
}

impl Chain {
    /// Coordinate `j` of every state, as a `Vec` (for diagnostics and plots).
    ///
    /// # Panics
    /// If `j >= dim`.
    ///
    /// # Examples
    /// ```
    /// use course::sampling::Chain;
    /// let c = Chain { states: course::ndarray::array![[1.0, 2.0], [3.0, 4.0]], acceptance: 1.0 };
    /// assert_eq!(c.column(1), vec![2.0, 4.0]);
    /// ```
    pub fn column(&self, j: usize) -> Vec<f64> {
        assert!(j < self.states.ncols(), "j must be < dim = {}, got {j}", self.states.ncols());
        self.states.column(j).to_vec()
    }
}

/// Random-walk Metropolis on a [`LogDensity`]: the same chain as [`random_walk_metropolis`]
/// (same random stream), for targets that are structs rather than closures.
///
/// # Panics
/// As [`random_walk_metropolis`], and if `x0.len() != target.dim()`.
///
/// # Examples
/// ```
/// use course::sampling::{metropolis, StandardGaussian};
/// let c = metropolis(&StandardGaussian { dim: 2 }, &[0.0, 0.0], 1.7, 20_000, &mut course::rng::seeded(1));
/// let x2: f64 = c.states.iter().map(|v| v * v).sum::<f64>() / 40_000.0;
/// assert!((x2 - 1.0).abs() < 0.1);  // E x_i² = 1
/// ```
pub fn metropolis(target: &dyn LogDensity, x0: &[f64], step: f64, n_steps: usize, rng: &mut impl Rng) -> Chain {
    assert_eq!(x0.len(), target.dim(), "x0 must have target.dim() = {} coordinates, got {}", target.dim(), x0.len());
    random_walk_metropolis(|x: &[f64]| target.log_prob(x), x0, step, n_steps, rng)
}

/// `n_steps` steps of random-walk Metropolis with proposal scale `step` for the (unnormalized)
/// log density `log_density`, from `x0`.
///
/// # Panics
/// If `x0` is empty, `step <= 0`, or `log_density(x0)` is not finite.
///
/// # Examples
/// ```
/// use course::sampling::random_walk_metropolis;
/// fn log_normal(x: &[f64]) -> f64 { -0.5 * x[0] * x[0] }
/// let c = random_walk_metropolis(log_normal, &[3.0], 2.4, 50_000, &mut course::rng::seeded(0));
/// let tail = c.states.column(0).slice(course::ndarray::s![1000..]).to_owned();
/// assert!(tail.mean().unwrap().abs() < 0.05);            // E X = 0
/// assert!((tail.var(0.0) - 1.0).abs() < 0.08);           // Var X = 1
/// assert!(c.acceptance > 0.3 && c.acceptance < 0.6);
/// ```
pub fn random_walk_metropolis(log_density: impl Fn(&[f64]) -> f64, x0: &[f64], step: f64, n_steps: usize, rng: &mut impl Rng) -> Chain {
    assert!(!x0.is_empty(), "x0 must have at least one coordinate");
    assert!(step > 0.0 && step.is_finite(), "step must be > 0, got {step}");
    let dim = x0.len();
    let mut x = Array1::from(x0.to_vec());
    let mut lx = log_density(x.as_slice().expect("contiguous"));
    assert!(lx.is_finite(), "log_density(x0) must be finite, got {lx}");
    let mut y = x.clone();
    let mut states = Array2::zeros((n_steps, dim));
    let mut accepted = 0usize;
    for mut row in states.rows_mut() {
        for (yi, xi) in y.iter_mut().zip(x.iter()) {
            let z: f64 = StandardNormal.sample(rng);
            *yi = xi + step * z;
        }
        let ly = log_density(y.as_slice().expect("contiguous"));
        let u: f64 = rng.random();
        if u.ln() < ly - lx {
            x.assign(&y);
            lx = ly;
            accepted += 1;
        }
        row.assign(&x);
    }
    Chain { states, acceptance: if n_steps == 0 { 0.0 } else { accepted as f64 / n_steps as f64 } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;

    #[test]
    fn acceptance_matches_the_closed_form_for_a_gaussian_target() {
        // Stationary acceptance of RW Metropolis with N(0, s²) proposals on a N(0,1) target:
        // E min(1, π(y)/π(x)) = (2/π) arctan(2/s)  (Gelman, Roberts & Gilks 1996, d = 1).
        let s = 2.4;
        fn ld(x: &[f64]) -> f64 {
            -0.5 * x[0] * x[0]
        }
        let c = random_walk_metropolis(ld, &[0.0], s, 400_000, &mut seeded(1));
        let exact = 2.0 / std::f64::consts::PI * (2.0f64 / s).atan();
        assert!((c.acceptance - exact).abs() < 0.005, "{} vs {exact}", c.acceptance);
    }

    #[test]
    fn two_dimensional_correlated_gaussian_moments() {
        // Target N(0, Σ) with Σ = [[1, .8], [.8, 1]]: sample covariance within 0.1.
        fn ld(x: &[f64]) -> f64 {
            let det = 1.0 - 0.64;
            -0.5 * (x[0] * x[0] - 1.6 * x[0] * x[1] + x[1] * x[1]) / det
        }
        let c = random_walk_metropolis(ld, &[0.0, 0.0], 1.0, 200_000, &mut seeded(2));
        let s = c.states.slice(ndarray::s![2000.., ..]);
        let n = s.nrows() as f64;
        let cov01 = s.column(0).dot(&s.column(1)) / n;
        assert!((cov01 - 0.8).abs() < 0.1, "cov {cov01}");
        assert!((s.column(0).dot(&s.column(0)) / n - 1.0).abs() < 0.1);
    }

    #[test]
    #[should_panic(expected = "step must be > 0, got 0")]
    fn rejects_zero_step() {
        random_walk_metropolis(|x: &[f64]| -x[0] * x[0], &[0.0], 0.0, 10, &mut seeded(0));
    }
}
