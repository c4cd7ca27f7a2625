//! A computed solution of an ODE: the times $t_0 < t_1 < \dots < t_N$ and the states
//! $x_k \approx x(t_k)$, with the cost it took.
//!
//! $$x_k \approx x(t_k),\qquad k = 0, \dots, N,\qquad \text{cost} = \#\{\text{evaluations of } f\}.$$
//!
//! ## Reference
//! E. Hairer, S. P. Nørsett & G. Wanner, *Solving Ordinary Differential Equations I* (1993), §II.1.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

/// Times, states and cost of a numerical solution.
///
/// # Examples
/// ```
/// use course::dynamics::{Rk4, Stepper, VanDerPol};
/// let traj = Rk4.integrate(&VanDerPol { mu: 1.0 }, &[2.0, 0.0], 1.0, 10);
/// assert_eq!(traj.n_steps(), 10);
/// assert_eq!(traj.n_evals, 40); // four evaluations per RK4 step
/// assert_eq!(traj.t_end(), 1.0);
/// assert_eq!(traj.component(0).len(), 11);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The times $t_0, \dots, t_N$ (increasing).
    pub t: Vec<f64>,
    /// The states $x_0, \dots, x_N$, one `Vec` of length `dim` per time.
    pub x: Vec<Vec<f64>>,
    /// How many times the vector field was evaluated.
    pub n_evals: usize,
    /// Rejected step attempts (adaptive methods only; 0 for fixed steps).
    pub n_rejected: usize,
}

impl Trajectory {
    /// The number of (accepted) steps $N$.
    pub fn n_steps(&self) -> usize {
        self.t.len() - 1
    }

    /// The final time $t_N$.
    pub fn t_end(&self) -> f64 {
        *self.t.last().expect("a trajectory holds at least its initial state")
    }

    /// The final state $x_N$.
    pub fn last(&self) -> &[f64] {
        self.x.last().expect("a trajectory holds at least its initial state")
    }

    /// Coordinate `i` of every state: $(x_k)_i$ for $k = 0..=N$.
    ///
    /// # Panics
    /// If `i` is not below the dimension.
    pub fn component(&self, i: usize) -> Vec<f64> {
        let dim = self.x[0].len();
        assert!(i < dim, "Trajectory::component: i must be < dim = {dim}, got {i}");
        self.x.iter().map(|x| x[i]).collect()
    }

    /// The planar projection $((x_k)_i, (x_k)_j)$, ready for `Plot::trajectory`.
    ///
    /// # Panics
    /// If `i` or `j` is not below the dimension.
    pub fn xy(&self, i: usize, j: usize) -> Vec<(f64, f64)> {
        self.component(i).into_iter().zip(self.component(j)).collect()
    }

    /// The step sizes $t_{k+1} - t_k$ (constant for fixed-step methods).
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::{DormandPrince, Kepler};
    /// // On an eccentric orbit the adaptive steps vary by orders of magnitude.
    /// let traj = DormandPrince::new(1e-8, 1e-8).integrate(&Kepler, &Kepler::initial_state(0.9), 6.0);
    /// let h = traj.step_sizes();
    /// let (lo, hi) = h.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &s| (a.min(s), b.max(s)));
    /// assert!(hi > 50.0 * lo);
    /// ```
    pub fn step_sizes(&self) -> Vec<f64> {
        self.t.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// The largest $|(x_k)_i|$ over the states with $t_k \ge$ `t_from` (the amplitude of an
    /// oscillation once transients have died out).
    ///
    /// # Panics
    /// If `i` is not below the dimension or no time is `>= t_from`.
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::{Rk4, Stepper, VanDerPol};
    /// // The harmonic oscillator (μ = 0) keeps the amplitude it starts with.
    /// let traj = Rk4.integrate(&VanDerPol { mu: 0.0 }, &[1.5, 0.0], 20.0, 2000);
    /// assert!((traj.amplitude(0, 10.0) - 1.5).abs() < 1e-3);
    /// ```
    pub fn amplitude(&self, i: usize, t_from: f64) -> f64 {
        let xs = self.component(i);
        let tail: Vec<f64> = self.t.iter().zip(&xs).filter(|(t, _)| **t >= t_from).map(|(_, x)| x.abs()).collect();
        assert!(!tail.is_empty(), "Trajectory::amplitude: no time >= t_from = {t_from} (t_end = {})", self.t_end());
        tail.into_iter().fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_agree_with_the_stored_states() {
        let traj = Trajectory {
            t: vec![0.0, 0.5, 1.5],
            x: vec![vec![1.0, -1.0], vec![2.0, -3.0], vec![0.5, 4.0]],
            n_evals: 3,
            n_rejected: 0,
        };
        assert_eq!(traj.step_sizes(), vec![0.5, 1.0]);
        assert_eq!(traj.xy(1, 0), vec![(-1.0, 1.0), (-3.0, 2.0), (4.0, 0.5)]);
        assert_eq!(traj.amplitude(1, 0.5), 4.0);
        assert_eq!(traj.amplitude(0, 0.0), 2.0);
        assert_eq!(traj.last(), &[0.5, 4.0]);
    }
}
