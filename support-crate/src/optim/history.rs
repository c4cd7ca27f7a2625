//! The record of a run: iterates $x_0, x_1, \dots$ and losses $f(x_0), f(x_1), \dots$
//!
//! Every optimizer in [`crate::optim`] returns a [`History`] holding $x_k$ and $f(x_k)$ for
//! $k = 0, \dots, n$ (entry 0 is the starting point), ready for a semilog or log-log plot of
//! $f(x_k) - f^\star$ and for [`loglog_slope`](super::loglog_slope) /
//! [`semilog_slope`](super::semilog_slope). A run stops early, and the history is shorter,
//! when the loss stops being finite (a diverging step size).
//!
//! Used in notebooks/04-gradient-descent.ipynb and notebooks/05-momentum-and-adaptive-methods.ipynb.

use ndarray::Array1;

/// Iterates and losses of one optimization run.
///
/// # Examples
/// ```
/// use course::optim::{gradient_descent, Quadratic};
/// use ndarray::array;
/// let q = Quadratic::diagonal(&[1.0]);
/// let h = gradient_descent(&q, &array![2.0], 0.5, 3);
/// assert_eq!(h.len(), 4); // x0 and three steps
/// assert_eq!(h.losses, vec![2.0, 0.5, 0.125, 0.03125]); // f = x²/2, x halves each step
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// $x_0, x_1, \dots$
    pub iterates: Vec<Array1<f64>>,
    /// $f(x_0), f(x_1), \dots$ (one per iterate).
    pub losses: Vec<f64>,
}

impl History {
    /// An empty history.
    pub fn new() -> Self {
        History::default()
    }

    /// Appends an iterate and its loss.
    pub fn push(&mut self, x: Array1<f64>, loss: f64) {
        self.iterates.push(x);
        self.losses.push(loss);
    }

    /// Number of recorded iterates (steps taken + 1).
    pub fn len(&self) -> usize {
        self.losses.len()
    }

    /// True if nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.losses.is_empty()
    }

    /// True if the run stopped early because the loss stopped being finite.
    pub fn diverged(&self) -> bool {
        self.losses.last().is_some_and(|l| !l.is_finite())
    }

    /// The last iterate.
    ///
    /// # Panics
    /// If the history is empty.
    pub fn last(&self) -> &Array1<f64> {
        self.iterates.last().expect("History::last: the history is empty")
    }

    /// The last loss.
    ///
    /// # Panics
    /// If the history is empty.
    pub fn final_loss(&self) -> f64 {
        *self.losses.last().expect("History::final_loss: the history is empty")
    }

    /// The step numbers $0, 1, \dots$ as `f64`, for the horizontal axis of a plot.
    pub fn steps(&self) -> Vec<f64> {
        (0..self.len()).map(|k| k as f64).collect()
    }

    /// The optimality gaps $f(x_k) - f^\star$.
    ///
    /// # Examples
    /// ```
    /// let mut h = course::optim::History::new();
    /// h.push(ndarray::array![0.0], 3.0);
    /// assert_eq!(h.gaps(1.0), vec![2.0]);
    /// ```
    pub fn gaps(&self, f_star: f64) -> Vec<f64> {
        self.losses.iter().map(|l| l - f_star).collect()
    }

    /// The distances $\lVert x_k - x^\star\rVert$.
    ///
    /// # Panics
    /// If `x_star` does not have the length of the iterates.
    ///
    /// # Examples
    /// ```
    /// let mut h = course::optim::History::new();
    /// h.push(ndarray::array![3.0, 4.0], 0.0);
    /// assert_eq!(h.distances(&ndarray::array![0.0, 0.0]), vec![5.0]);
    /// ```
    pub fn distances(&self, x_star: &Array1<f64>) -> Vec<f64> {
        self.iterates
            .iter()
            .map(|x| {
                assert_eq!(x.len(), x_star.len(), "History::distances: x_star must have {} entries, got {}", x.len(), x_star.len());
                (x - x_star).dot(&(x - x_star)).sqrt()
            })
            .collect()
    }

    /// The iterates of a two-dimensional run as points, for [`Plot::trajectory`](crate::plot::Plot::trajectory).
    ///
    /// # Panics
    /// If the iterates are not two-dimensional.
    ///
    /// # Examples
    /// ```
    /// let mut h = course::optim::History::new();
    /// h.push(ndarray::array![1.0, 2.0], 0.0);
    /// assert_eq!(h.points_2d(), vec![(1.0, 2.0)]);
    /// ```
    pub fn points_2d(&self) -> Vec<(f64, f64)> {
        self.iterates
            .iter()
            .map(|x| {
                assert_eq!(x.len(), 2, "History::points_2d: the iterates must have 2 entries, got {}", x.len());
                (x[0], x[1])
            })
            .collect()
    }

    /// The first step $k$ with $f(x_k) - f^\star \le$ `tol`, if any.
    ///
    /// # Examples
    /// ```
    /// let mut h = course::optim::History::new();
    /// for l in [1.0, 0.1, 0.01] { h.push(ndarray::array![0.0], l); }
    /// assert_eq!(h.steps_to(0.0, 0.05), Some(2));
    /// assert_eq!(h.steps_to(0.0, 1e-9), None);
    /// ```
    pub fn steps_to(&self, f_star: f64, tol: f64) -> Option<usize> {
        self.losses.iter().position(|l| l - f_star <= tol)
    }
}
