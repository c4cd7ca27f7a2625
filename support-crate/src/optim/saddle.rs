//! Strict saddle points: gradient descent stalls near one, a random kick lets it escape.
//!
//! [`StrictSaddle`] is $f(x, y) = \frac12\sum_i h_ix_i^2 - \frac\lambda2 y^2 + \frac14y^4$ with $h_i>0$: a saddle at
//! the origin whose Hessian has the single negative eigenvalue $-\lambda$, and minima at
//! $y = \pm\sqrt\lambda$. Its **stable manifold** is $\{y = 0\}$: gradient descent started there
//! converges to the saddle. Started at distance $\delta$ from it, the unstable coordinate grows
//! like $y_k\approx(1+\alpha\lambda)^k\delta$ while $y$ is small, so reaching $|y| = y_{\rm esc}$ takes
//! $$k_{\rm esc}\approx\frac{\log(y_{\rm esc}/\delta)}{\log(1+\alpha\lambda)}\approx\frac{\log(1/\delta)}{\alpha\lambda}+O(1)\ \text{steps}.$$
//! **Perturbed gradient descent** (Jin et al. 2017, Algorithm 2, simplified) adds a point drawn
//! uniformly from a ball of radius $r$ whenever $\lVert\nabla f\rVert\le g_{\rm thres}$ and no kick came in the
//! last $t_{\rm thres}$ steps; the kick's component along the negative eigenvector is then the $\delta$.
//!
//! ## Reference
//! C. Jin, R. Ge, P. Netrapalli, S. M. Kakade & M. I. Jordan (2017), *How to escape saddle points
//! efficiently*, ICML, Algorithm 2; J. D. Lee, M. Simchowitz, M. I. Jordan & B. Recht (2016),
//! *Gradient descent only converges to minimizers*.
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use super::objective::{check_lr, check_x0};
use super::{History, Objective};
use ndarray::Array1;
use rand::RngExt;

/// $f(x, y) = \frac12\sum_i h_ix_i^2 - \frac\lambda2y^2 + \frac14y^4$; the last coordinate is $y$.
#[derive(Clone, Debug, PartialEq)]
pub struct StrictSaddle {
    /// The positive curvatures $h_i$ of the stable directions.
    pub curvatures: Vec<f64>,
    /// $\lambda > 0$: the Hessian at the saddle has eigenvalue $-\lambda$ along $y$.
    pub lambda: f64,
}

impl StrictSaddle {
    /// The saddle with stable curvatures `curvatures` and negative curvature `-lambda`.
    ///
    /// # Panics
    /// If a curvature or `lambda` is not > 0.
    ///
    /// # Examples
    /// ```
    /// use course::optim::{Objective, StrictSaddle};
    /// let f = StrictSaddle::new(&[1.0], 0.5);
    /// assert_eq!(f.value(&ndarray::array![0.0, 0.0]), 0.0);
    /// assert!((f.minimum() + 0.0625).abs() < 1e-15); // −λ²/4 at y = ±√λ
    /// ```
    pub fn new(curvatures: &[f64], lambda: f64) -> Self {
        assert!(curvatures.iter().all(|&h| h > 0.0), "StrictSaddle::new: curvatures must be > 0, got {curvatures:?}");
        assert!(lambda > 0.0, "StrictSaddle::new: lambda must be > 0, got {lambda}");
        StrictSaddle { curvatures: curvatures.to_vec(), lambda }
    }

    /// The dimension (stable coordinates and $y$).
    pub fn dim(&self) -> usize {
        self.curvatures.len() + 1
    }

    /// $f^\star = -\lambda^2/4$.
    pub fn minimum(&self) -> f64 {
        -0.25 * self.lambda * self.lambda
    }

    /// The escape level $y_{\rm esc} = \frac12\sqrt\lambda$, half way to a minimum.
    pub fn escape_level(&self) -> f64 {
        0.5 * self.lambda.sqrt()
    }

    /// The first step $k$ with $|y_k|\ge y_{\rm esc}$, if any.
    ///
    /// # Examples
    /// ```
    /// use course::optim::{gradient_descent, StrictSaddle};
    /// let f = StrictSaddle::new(&[1.0], 1.0);
    /// let on = gradient_descent(&f, &ndarray::array![1.0, 0.0], 0.1, 500);
    /// assert_eq!(f.escape_step(&on), None); // on the stable manifold: never
    /// let near = gradient_descent(&f, &ndarray::array![1.0, 1e-6], 0.1, 500);
    /// assert!(f.escape_step(&near).unwrap() > 100);
    /// ```
    pub fn escape_step(&self, history: &History) -> Option<usize> {
        let y_esc = self.escape_level();
        history.iterates.iter().position(|x| x[x.len() - 1].abs() >= y_esc)
    }

    /// The linearized prediction $\log(y_{\rm esc}/\delta)/\log(1+\alpha\lambda)$ of the steps needed from
    /// $|y| = \delta$.
    ///
    /// # Panics
    /// If `delta` is not in $(0, y_{\rm esc})$ or `lr <= 0`.
    ///
    /// # Examples
    /// ```
    /// let f = course::optim::StrictSaddle::new(&[1.0], 1.0);
    /// let k = f.predicted_escape_steps(0.5e-6, 0.1); // log(10⁶)/log(1.1)
    /// assert!((k - 144.95).abs() < 0.01);
    /// ```
    pub fn predicted_escape_steps(&self, delta: f64, lr: f64) -> f64 {
        assert!(lr > 0.0, "StrictSaddle::predicted_escape_steps: lr must be > 0, got {lr}");
        assert!(delta > 0.0 && delta < self.escape_level(), "StrictSaddle::predicted_escape_steps: delta must lie in (0, {}), got {delta}", self.escape_level());
        (self.escape_level() / delta).ln() / (lr * self.lambda).ln_1p()
    }
}

impl Objective for StrictSaddle {
    fn value(&self, x: &Array1<f64>) -> f64 {
        assert_eq!(x.len(), self.dim(), "StrictSaddle: x must have {} entries, got {}", self.dim(), x.len());
        let y = x[x.len() - 1];
        self.curvatures.iter().zip(x.iter()).map(|(h, t)| 0.5 * h * t * t).sum::<f64>() - 0.5 * self.lambda * y * y + 0.25 * y.powi(4)
    }
    fn gradient(&self, x: &Array1<f64>) -> Array1<f64> {
        assert_eq!(x.len(), self.dim(), "StrictSaddle: x must have {} entries, got {}", self.dim(), x.len());
        let n = self.curvatures.len();
        Array1::from_shape_fn(n + 1, |i| if i < n { self.curvatures[i] * x[i] } else { -self.lambda * x[n] + x[n].powi(3) })
    }
}

/// A run of perturbed gradient descent: the iterates and the kicks.
#[derive(Clone, Debug, PartialEq)]
pub struct PerturbedRun {
    /// $x_0, x_1, \dots$ (the kick is added to $x_k$ before its gradient step).
    pub history: History,
    /// The steps $k$ at which a kick was added.
    pub kicked_at: Vec<usize>,
    /// The kicks $\xi$, uniform in the ball of radius $r$.
    pub kicks: Vec<Array1<f64>>,
}

/// Perturbed gradient descent: before the step from $x_k$, if $\lVert\nabla f(x_k)\rVert\le$ `g_thres` and
/// no kick was added in the last `t_thres` steps, add $\xi$ uniform in the ball of radius `radius`;
/// then $x_{k+1} = x_k - \alpha\nabla f(x_k)$. The kicks come from `seed` (a seed, not a generator:
/// the loop compiles once, optimized, in the crate).
///
/// # Panics
/// If `lr <= 0`, `radius <= 0`, `g_thres < 0` or `x0` is empty or not finite.
///
/// # Examples
/// ```
/// use course::optim::{perturbed_gradient_descent, StrictSaddle};
/// let f = StrictSaddle::new(&[1.0, 2.0], 1.0);
/// let run = perturbed_gradient_descent(&f, &ndarray::array![1.0, 1.0, 0.0], 0.1, 1e-2, 1e-3, 50, 1000, 0);
/// assert_eq!(run.kicked_at.len() >= 1, true);
/// assert!(f.escape_step(&run.history).is_some()); // plain GD from here never escapes
/// ```
#[allow(clippy::too_many_arguments)]
pub fn perturbed_gradient_descent(
    objective: &dyn Objective,
    x0: &Array1<f64>,
    lr: f64,
    radius: f64,
    g_thres: f64,
    t_thres: usize,
    n_steps: usize,
    seed: u64,
) -> PerturbedRun {
    let rng = &mut crate::rng::seeded(seed);
    check_x0("perturbed_gradient_descent", x0);
    check_lr("perturbed_gradient_descent", lr);
    assert!(radius > 0.0, "perturbed_gradient_descent: radius must be > 0, got {radius}");
    assert!(g_thres >= 0.0, "perturbed_gradient_descent: g_thres must be >= 0, got {g_thres}");
    let d = x0.len();
    let mut x = x0.clone();
    let mut run = PerturbedRun { history: History::new(), kicked_at: Vec::new(), kicks: Vec::new() };
    run.history.push(x.clone(), objective.value(&x));
    for k in 0..n_steps {
        let g = objective.gradient(&x);
        let quiet = run.kicked_at.last().is_none_or(|&j| k > j + t_thres);
        let g = if g.dot(&g).sqrt() <= g_thres && quiet {
            let dir = Array1::from(crate::rng::normal_vec(rng, d));
            let u: f64 = rng.random();
            let xi = &dir * (radius * u.powf(1.0 / d as f64) / dir.dot(&dir).sqrt());
            x = &x + &xi;
            run.kicked_at.push(k);
            run.kicks.push(xi);
            objective.gradient(&x)
        } else {
            g
        };
        x = &x - &(g * lr);
        run.history.push(x.clone(), objective.value(&x));
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{gradient_descent, hessian_fd, symmetric_eigenvalues};

    #[test]
    fn saddle_geometry_and_escape_time_slope() {
        let f = StrictSaddle::new(&[1.0, 3.0], 0.8);
        // Oracle: the Hessian at 0 by finite differences has eigenvalues −λ, h₁, h₂
        let ev = symmetric_eigenvalues(&hessian_fd(&f, &Array1::zeros(3), 1e-4));
        assert!((ev[2] + 0.8).abs() < 1e-6 && (ev[1] - 1.0).abs() < 1e-6 && (ev[0] - 3.0).abs() < 1e-6); // decreasing
        // escape steps grow like log(1/δ)/log(1 + αλ): measured slope within 1 %
        let lr = 0.1;
        let ks: Vec<f64> = [1e-3, 1e-6, 1e-9, 1e-12].iter().map(|&d| f.escape_step(&gradient_descent(&f, &ndarray::array![1.0, 1.0, d], lr, 2000)).unwrap() as f64).collect();
        let slope = (ks[3] - ks[0]) / (1e9f64).ln();
        assert!((slope * (lr * 0.8f64).ln_1p() - 1.0).abs() < 0.01, "{slope}");
        // and each escape time is the linear prediction up to a few steps (the quartic term)
        for (k, d) in ks.iter().zip([1e-3, 1e-6, 1e-9, 1e-12]) {
            assert!((k - f.predicted_escape_steps(d, lr)).abs() < 4.0, "{k} vs {}", f.predicted_escape_steps(d, lr));
        }
    }

    #[test]
    fn kicks_are_uniform_in_the_ball() {
        // Oracle: for ξ uniform in the d-ball of radius r, E|ξ|² = r² d/(d + 2).
        let f = StrictSaddle::new(&[1.0, 1.0], 1.0);
        let mut s = 0.0;
        let n = 4000;
        for seed in 0..n {
            // start at the saddle: the first step kicks
            let run = perturbed_gradient_descent(&f, &Array1::zeros(3), 0.1, 2.0, 1e-3, 10, 1, seed);
            let xi = &run.kicks[0];
            assert!(xi.dot(xi) <= 4.0 + 1e-12);
            s += xi.dot(xi);
        }
        assert!((s / n as f64 - 4.0 * 3.0 / 5.0).abs() < 0.06);
    }
}
