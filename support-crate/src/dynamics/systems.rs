//! The classic systems of the course, each a [`VectorField`].
//!
//! $$\text{van der Pol: } \ddot x - \mu(1-x^2)\dot x + x = 0,\qquad
//!   \text{Lorenz: } \dot x = \sigma(y-x),\ \dot y = x(\rho-z)-y,\ \dot z = xy-\beta z,$$
//! $$\text{damped pendulum: } \ddot\theta + \gamma\dot\theta + \sin\theta = 0,\qquad
//!   \text{linear: } \dot x = Ax,\qquad \text{Kepler: } \ddot q = -q/\lVert q\rVert^3 .$$
//!
//! ## Reference
//! S. Strogatz, *Nonlinear Dynamics and Chaos* (2nd ed., 2015): §5 (linear systems), §6.7
//! (pendulum), §7.5 (van der Pol), §9 (Lorenz); E. N. Lorenz (1963), *Deterministic
//! nonperiodic flow*; N. Gershenfeld, *The Nature of Mathematical Modeling* (1999), ch. 6–7.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

use super::VectorField;
use ndarray::Array2;

/// The van der Pol oscillator as a first-order system in $(x, v)$:
/// $\dot x = v,\ \dot v = \mu(1 - x^2)v - x$. For $\mu > 0$ every orbit except the origin
/// tends to one limit cycle, of amplitude close to 2.
///
/// # Examples
/// ```
/// use course::dynamics::{VanDerPol, VectorField};
/// assert_eq!(VanDerPol { mu: 1.0 }.at(0.0, &[2.0, 1.0]), vec![1.0, -5.0]); // (1 − 4)·1 − 2
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VanDerPol {
    /// The nonlinear damping $\mu$.
    pub mu: f64,
}

impl VectorField for VanDerPol {
    fn dim(&self) -> usize {
        2
    }
    fn eval(&self, _t: f64, x: &[f64], dx: &mut [f64]) {
        dx[0] = x[1];
        dx[1] = self.mu * (1.0 - x[0] * x[0]) * x[1] - x[0];
    }
}

/// The Lorenz system; [`Lorenz::classic`] is $\sigma = 10,\ \rho = 28,\ \beta = 8/3$.
///
/// # Examples
/// ```
/// use course::dynamics::{Lorenz, VectorField};
/// let l = Lorenz::classic();
/// // The fixed points C± = (±√(β(ρ−1)), ±√(β(ρ−1)), ρ − 1).
/// let c = (8.0 / 3.0 * 27.0f64).sqrt();
/// assert!(l.at(0.0, &[c, c, 27.0]).iter().all(|v| v.abs() < 1e-12));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lorenz {
    /// Prandtl number $\sigma$.
    pub sigma: f64,
    /// Rayleigh number $\rho$.
    pub rho: f64,
    /// Geometric factor $\beta$.
    pub beta: f64,
}

impl Lorenz {
    /// Lorenz's parameters of 1963: $\sigma = 10$, $\rho = 28$, $\beta = 8/3$ (chaotic).
    ///
    /// # Examples
    /// ```
    /// let l = course::dynamics::Lorenz::classic();
    /// assert_eq!((l.sigma, l.rho), (10.0, 28.0));
    /// ```
    pub fn classic() -> Self {
        Lorenz { sigma: 10.0, rho: 28.0, beta: 8.0 / 3.0 }
    }
}

impl VectorField for Lorenz {
    fn dim(&self) -> usize {
        3
    }
    fn eval(&self, _t: f64, x: &[f64], dx: &mut [f64]) {
        dx[0] = self.sigma * (x[1] - x[0]);
        dx[1] = x[0] * (self.rho - x[2]) - x[1];
        dx[2] = x[0] * x[1] - self.beta * x[2];
    }
}

/// The damped pendulum in $(\theta, \omega)$: $\dot\theta = \omega,\ \dot\omega = -\gamma\omega - \sin\theta$.
/// Fixed points at $(k\pi, 0)$: stable at even $k$ (hanging), saddles at odd $k$ (upright).
///
/// # Examples
/// ```
/// use course::dynamics::{DampedPendulum, VectorField};
/// let p = DampedPendulum { damping: 0.5 };
/// assert_eq!(p.at(0.0, &[0.0, 2.0]), vec![2.0, -1.0]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DampedPendulum {
    /// The friction coefficient $\gamma \ge 0$.
    pub damping: f64,
}

impl DampedPendulum {
    /// The energy $E = \omega^2/2 + 1 - \cos\theta$ (it decreases at rate $\gamma\omega^2$).
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::DampedPendulum;
    /// // Upright and at rest: E = 2, the energy of the separatrix.
    /// assert_eq!(DampedPendulum { damping: 0.1 }.energy(&[std::f64::consts::PI, 0.0]), 2.0);
    /// ```
    pub fn energy(&self, x: &[f64]) -> f64 {
        0.5 * x[1] * x[1] + 1.0 - x[0].cos()
    }
}

impl VectorField for DampedPendulum {
    fn dim(&self) -> usize {
        2
    }
    fn eval(&self, _t: f64, x: &[f64], dx: &mut [f64]) {
        dx[0] = x[1];
        dx[1] = -self.damping * x[1] - x[0].sin();
    }
}

/// The linear system $\dot x = Ax$: its solution is $e^{tA}x_0$, its only fixed point (for
/// invertible $A$) the origin, classified by the eigenvalues of $A$.
///
/// # Examples
/// ```
/// use course::dynamics::{LinearSystem, VectorField};
/// let sys = LinearSystem::new(ndarray::array![[0.0, 1.0], [-2.0, -3.0]]);
/// assert_eq!(sys.at(0.0, &[1.0, 1.0]), vec![1.0, -5.0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LinearSystem {
    /// The matrix $A$ (square).
    pub a: Array2<f64>,
}

impl LinearSystem {
    /// The system $\dot x = Ax$.
    ///
    /// # Panics
    /// If `a` is not square or is empty.
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::{LinearSystem, VectorField};
    /// assert_eq!(LinearSystem::new(ndarray::Array2::eye(3)).dim(), 3);
    /// ```
    pub fn new(a: Array2<f64>) -> Self {
        assert!(a.is_square() && a.nrows() > 0, "LinearSystem::new: a must be square and non-empty, got {:?}", a.dim());
        LinearSystem { a }
    }
}

impl VectorField for LinearSystem {
    fn dim(&self) -> usize {
        self.a.nrows()
    }
    fn eval(&self, _t: f64, x: &[f64], dx: &mut [f64]) {
        for (i, row) in self.a.rows().into_iter().enumerate() {
            dx[i] = row.iter().zip(x).map(|(a, b)| a * b).sum();
        }
    }
}

/// The Kepler problem (one body around a fixed centre, $GM = 1$) in $(q_1, q_2, p_1, p_2)$:
/// $\dot q = p,\ \dot p = -q/\lVert q\rVert^3$. Every bound orbit with semi-major axis 1 has
/// period $2\pi$, so the exact solution returns to its start: a closed-form test problem with
/// very different time scales at perihelion and aphelion.
///
/// # Examples
/// ```
/// use course::dynamics::{Kepler, VectorField};
/// let x0 = Kepler::initial_state(0.0); // the circular orbit
/// assert_eq!(x0, [1.0, 0.0, 0.0, 1.0]);
/// assert_eq!(Kepler.at(0.0, &x0), vec![0.0, 1.0, -1.0, 0.0]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Kepler;

impl Kepler {
    /// The state at perihelion of the orbit with eccentricity `e` and semi-major axis 1:
    /// $q = (1-e, 0)$, $p = (0, \sqrt{(1+e)/(1-e)})$.
    ///
    /// # Panics
    /// Unless `0 <= e < 1`.
    pub fn initial_state(e: f64) -> [f64; 4] {
        assert!((0.0..1.0).contains(&e), "Kepler::initial_state: e must be in [0, 1), got {e}");
        [1.0 - e, 0.0, 0.0, ((1.0 + e) / (1.0 - e)).sqrt()]
    }

    /// The energy $\lVert p\rVert^2/2 - 1/\lVert q\rVert$ (equal to $-1/2$ on these orbits).
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::Kepler;
    /// assert!((Kepler::energy(&Kepler::initial_state(0.7)) + 0.5).abs() < 1e-14);
    /// ```
    pub fn energy(x: &[f64]) -> f64 {
        0.5 * (x[2] * x[2] + x[3] * x[3]) - 1.0 / x[0].hypot(x[1])
    }
}

impl VectorField for Kepler {
    fn dim(&self) -> usize {
        4
    }
    fn eval(&self, _t: f64, x: &[f64], dx: &mut [f64]) {
        let r = x[0].hypot(x[1]);
        let r3 = r * r * r;
        dx[0] = x[2];
        dx[1] = x[3];
        dx[2] = -x[0] / r3;
        dx[3] = -x[1] / r3;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DormandPrince, Rk4, Stepper};
    use super::*;

    #[test]
    fn van_der_pol_with_mu_zero_is_the_harmonic_oscillator() {
        let traj = Rk4.integrate(&VanDerPol { mu: 0.0 }, &[1.0, 0.0], 2.0, 400);
        assert!((traj.last()[0] - 2f64.cos()).abs() < 1e-10);
        assert!((traj.last()[1] + 2f64.sin()).abs() < 1e-10);
    }

    #[test]
    fn linear_system_matches_the_matrix_exponential_of_a_diagonal_matrix() {
        let sys = LinearSystem::new(ndarray::array![[-1.0, 0.0], [0.0, 0.5]]);
        let traj = Rk4.integrate(&sys, &[2.0, 1.0], 1.0, 200);
        assert!((traj.last()[0] - 2.0 * (-1f64).exp()).abs() < 1e-10);
        assert!((traj.last()[1] - 0.5f64.exp()).abs() < 1e-10);
    }

    #[test]
    fn pendulum_energy_decays_and_is_conserved_without_friction() {
        let x0 = [1.0, 0.0];
        let free = DampedPendulum { damping: 0.0 };
        let traj = DormandPrince::new(1e-10, 1e-10).integrate(&free, &x0, 20.0);
        assert!((free.energy(traj.last()) - free.energy(&x0)).abs() < 1e-8);
        let damped = DampedPendulum { damping: 0.3 };
        let traj = DormandPrince::new(1e-10, 1e-10).integrate(&damped, &x0, 20.0);
        let energies: Vec<f64> = traj.x.iter().map(|x| damped.energy(x)).collect();
        assert!(energies.windows(2).all(|w| w[1] <= w[0] + 1e-12));
    }

    #[test]
    fn kepler_conserves_energy_and_angular_momentum() {
        let x0 = Kepler::initial_state(0.6);
        assert!((Kepler::energy(&x0) + 0.5).abs() < 1e-14);
        let traj = DormandPrince::new(1e-10, 1e-10).integrate(&Kepler, &x0, 3.0);
        let x = traj.last();
        let l = |x: &[f64]| x[0] * x[3] - x[1] * x[2];
        assert!((Kepler::energy(x) + 0.5).abs() < 1e-8);
        assert!((l(x) - l(&x0)).abs() < 1e-8);
    }

    #[test]
    #[should_panic(expected = "a must be square")]
    fn non_square_linear_system_is_rejected() {
        LinearSystem::new(Array2::zeros((2, 3)));
    }
}
