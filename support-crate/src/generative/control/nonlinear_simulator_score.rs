//! Score matching through a *nonlinear* differentiable simulator (SMDP, Holzschuh et al. 2023).
//!
//! The simulator is one Euler–Maruyama step of $dX = \mathcal P(X)\,dt + g\,dW$ with a nonlinear
//! physics $\mathcal P$, here quadratic drag $\mathcal P(x) = -\lambda\,x\lvert x\rvert$ (the
//! velocity of a body in a fluid, kicked at random; the toy of the paper's §4):
//! $$x_k = F(x_{k-1}) + g\sqrt{\Delta t}\,\xi_k,\qquad F(x) = x + \Delta t\,\mathcal P(x).$$
//! The reverse step runs the physics backwards, $\tilde{\mathcal P}^{-1}(x) = x - \Delta t\,\mathcal P(x)$,
//! and adds a learned correction:
//! $$R_\theta(x_k) = x_k - \Delta t\,\mathcal P(x_k) + g^2\Delta t\,s_\theta(x_k, k).$$
//! **1-step loss.** $\mathbb E\lvert x_{k-1} - R_\theta(x_k)\rvert^2$ is linear least squares in
//! $\theta$ for a score linear in features. By Tweedie's formula for $x_k = F(x_{k-1}) + \sigma\xi$,
//! $\mathbb E[F(x_{k-1})\mid x_k] = x_k + g^2\Delta t\,\nabla\log p_k(x_k)$ exactly, so the
//! minimizer is $\nabla\log p_k + \big(\mathcal P(x_k) - \mathbb E[\mathcal P(x_{k-1})\mid x_k]\big)/g^2$:
//! the score up to an $O(\Delta t)$ bias from evaluating the physics at the wrong end of the step.
//! **Multi-step loss.** Roll $m$ reverse steps out from every $x_k$ of a training trajectory and
//! compare all of them with the simulated states (a sliding window of size $m$); its gradient
//! flows *through the simulator*: the adjoint of one step is
//! $$\bar x_{\text{in}} = \bar x_{\text{out}}\,\big(1 - \Delta t\,\mathcal P'(x) + g^2\Delta t\,\partial_x s_\theta(x, k)\big),\qquad
//! \bar\theta_k \mathrel{+}= \bar x_{\text{out}}\,g^2\Delta t\,\phi(x).$$
//!
//! **The oracle.** In 1-D the law $p_k$ of the simulated state is computable to quadrature
//! accuracy on a grid by Chapman–Kolmogorov, $p_k(y) = \int p_{k-1}(x)\,\mathcal N(y; F(x), g^2\Delta t)\,dx$,
//! and with it the exact score and the Bayes posterior mean $\mathbb E[x_0\mid x_k]$ ([`GridLaw`]).
//!
//! ## Reference
//! B. Holzschuh, S. Vegetti & N. Thuerey (2023), *Solving inverse physics problems with score
//! matching*, NeurIPS, §3 (1-step and multi-step losses), §4.1 (the quadratic-drift toy SDE).
//!
//! Used in notebooks/35-stochastic-control-and-sampling.ipynb.

use crate::optim::AdamState;
use ndarray::{Array1, Array2};
use rand::Rng;

/// The physics $\mathcal P$ of the simulator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Drift {
    /// $\mathcal P(x) = -\lambda x$ (the harmonic trap of [`super::TrappedParticle`]).
    Linear { lambda: f64 },
    /// $\mathcal P(x) = -\lambda x\lvert x\rvert$, quadratic drag.
    Quadratic { lambda: f64 },
}

/// The simulator $x_k = x_{k-1} + \Delta t\,\mathcal P(x_{k-1}) + g\sqrt{\Delta t}\,\xi_k$.
///
/// # Examples
/// ```
/// use course::generative::control::{Drift, NonlinearSimulator};
/// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 2.0 }, 0.5, 0.1);
/// assert_eq!(sim.drift(-1.5), 4.5);          // −2·(−1.5)·1.5
/// assert_eq!(sim.step_mean(1.0), 0.8);       // 1 + 0.1·(−2)
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NonlinearSimulator {
    /// The physics.
    pub physics: Drift,
    /// The noise amplitude $g > 0$.
    pub g: f64,
    /// The time step $\Delta t > 0$.
    pub dt: f64,
}

impl NonlinearSimulator {
    /// # Panics
    /// If `g <= 0`, `dt <= 0` or $\lambda \le 0$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator};
    /// let sim = NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.05);
    /// assert_eq!(sim.g, 1.0);
    /// ```
    pub fn new(physics: Drift, g: f64, dt: f64) -> Self {
        let lambda = match physics {
            Drift::Linear { lambda } | Drift::Quadratic { lambda } => lambda,
        };
        assert!(lambda > 0.0, "NonlinearSimulator: lambda must be > 0, got {lambda}");
        assert!(g > 0.0, "NonlinearSimulator: g must be > 0, got {g}");
        assert!(dt > 0.0, "NonlinearSimulator: dt must be > 0, got {dt}");
        NonlinearSimulator { physics, g, dt }
    }

    /// $\mathcal P(x)$.
    ///
    /// # Examples
    /// See [`NonlinearSimulator`].
    pub fn drift(&self, x: f64) -> f64 {
        match self.physics {
            Drift::Linear { lambda } => -lambda * x,
            Drift::Quadratic { lambda } => -lambda * x * x.abs(),
        }
    }

    /// $\mathcal P'(x)$, the Jacobian of the physics (what makes the simulator differentiable).
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator};
    /// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 2.0 }, 0.5, 0.1);
    /// assert_eq!(sim.drift_dx(-1.5), -6.0); // −2λ|x|
    /// ```
    pub fn drift_dx(&self, x: f64) -> f64 {
        match self.physics {
            Drift::Linear { lambda } => -lambda,
            Drift::Quadratic { lambda } => -2.0 * lambda * x.abs(),
        }
    }

    /// The noiseless forward step $F(x) = x + \Delta t\,\mathcal P(x)$.
    ///
    /// # Examples
    /// See [`NonlinearSimulator`].
    pub fn step_mean(&self, x: f64) -> f64 {
        x + self.dt * self.drift(x)
    }

    /// The backward physics step $\tilde{\mathcal P}^{-1}(x) = x - \Delta t\,\mathcal P(x)$ (the
    /// simulator run with step $-\Delta t$; it inverts $F$ up to $O(\Delta t^2)$).
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator};
    /// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 1.0 }, 0.5, 0.01);
    /// let x = 0.7;
    /// assert!((sim.backward_physics(sim.step_mean(x)) - x).abs() < 1e-4); // O(Δt²)
    /// ```
    pub fn backward_physics(&self, x: f64) -> f64 {
        x - self.dt * self.drift(x)
    }

    /// Trajectories from the starting points `x0`: row $k$ holds $x_k$ for every particle,
    /// `(n_steps + 1) × x0.len()`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator};
    /// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 1.0 }, 0.01, 0.01);
    /// let traj = sim.simulate(&[1.0], 100, &mut course::rng::seeded(0));
    /// // almost noiseless: x(t) = 1/(1 + t) at t = 1, up to the Euler error and 0.01 of noise
    /// assert!((traj[[100, 0]] - 0.5).abs() < 0.05);
    /// ```
    pub fn simulate(&self, x0: &[f64], n_steps: usize, rng: &mut impl Rng) -> Array2<f64> {
        let sd = self.g * self.dt.sqrt();
        let mut traj = Array2::<f64>::zeros((n_steps + 1, x0.len()));
        traj.row_mut(0).assign(&ndarray::ArrayView1::from(x0));
        for k in 1..=n_steps {
            let xi = crate::rng::normal_vec(rng, x0.len());
            for i in 0..x0.len() {
                traj[[k, i]] = self.step_mean(traj[[k - 1, i]]) + sd * xi[i];
            }
        }
        traj
    }

    /// The law of $x_0, \dots, x_K$ ($K$ = `n_steps`) on a grid of `n_grid` points over
    /// `[lo, hi]`, when $x_0 \sim \sum_c w_c\,\mathcal N(m_c, s^2)$: the oracle for the score and
    /// for the posterior mean of $x_0$.
    ///
    /// # Panics
    /// If `weights` and `means` differ in length or are empty, `s <= 0`, `lo >= hi` or
    /// `n_grid < 10`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator};
    /// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 1.0 }, 0.5, 0.05);
    /// let law = sim.grid_law(&[1.0, 1.0], &[-1.0, 1.0], 0.1, 4, (-3.0, 3.0), 400);
    /// // the density integrates to 1 at every step
    /// let mass: f64 = law.density[4].iter().sum::<f64>() * law.h;
    /// assert!((mass - 1.0).abs() < 1e-6);
    /// ```
    pub fn grid_law(&self, weights: &[f64], means: &[f64], s: f64, n_steps: usize, (lo, hi): (f64, f64), n_grid: usize) -> GridLaw {
        assert!(!weights.is_empty() && weights.len() == means.len(), "grid_law: weights and means must be non-empty and of equal length");
        assert!(s > 0.0, "grid_law: s must be > 0, got {s}");
        assert!(lo < hi, "grid_law: need lo < hi, got [{lo}, {hi}]");
        assert!(n_grid >= 10, "grid_law: n_grid must be ≥ 10, got {n_grid}");
        let h = (hi - lo) / (n_grid - 1) as f64;
        let grid: Vec<f64> = (0..n_grid).map(|i| lo + h * i as f64).collect();
        let wsum: f64 = weights.iter().sum();
        let p0: Vec<f64> = grid.iter().map(|&x| {
            weights.iter().zip(means).map(|(w, m)| w / wsum * (-(x - m).powi(2) / (2.0 * s * s)).exp()).sum::<f64>()
                / (s * (2.0 * std::f64::consts::PI).sqrt())
        }).collect();
        let var = self.g * self.g * self.dt;
        let norm = 1.0 / (2.0 * std::f64::consts::PI * var).sqrt();
        // kernel[j][i] = h·N(x_j; F(x_i), σ²)
        let means_f: Vec<f64> = grid.iter().map(|&x| self.step_mean(x)).collect();
        let kernel: Vec<Vec<f64>> = grid.iter().map(|&y| {
            means_f.iter().map(|&f| h * norm * (-(y - f).powi(2) / (2.0 * var)).exp()).collect()
        }).collect();
        let push = |v: &[f64]| -> Vec<f64> { kernel.iter().map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum()).collect() };
        let mut density = vec![p0.clone()];
        let mut x0_moment = vec![p0.iter().zip(&grid).map(|(p, x)| p * x).collect::<Vec<f64>>()];
        for k in 1..=n_steps {
            density.push(push(&density[k - 1]));
            x0_moment.push(push(&x0_moment[k - 1]));
        }
        GridLaw { sim: *self, grid, h, density, x0_moment, weights: weights.iter().map(|w| w / wsum).collect(), means: means.to_vec(), s }
    }
}

/// The law of the simulated states on a grid (from [`NonlinearSimulator::grid_law`]).
#[derive(Clone, Debug)]
pub struct GridLaw {
    /// The simulator.
    pub sim: NonlinearSimulator,
    /// The grid points $x_i$.
    pub grid: Vec<f64>,
    /// The grid spacing.
    pub h: f64,
    /// `density[k][i]` $= p_k(x_i)$.
    pub density: Vec<Vec<f64>>,
    /// `x0_moment[k][i]` $= \int x_0\,p(x_0, x_k = x_i)\,dx_0$.
    pub x0_moment: Vec<Vec<f64>>,
    weights: Vec<f64>,
    means: Vec<f64>,
    s: f64,
}

impl GridLaw {
    /// $\sum_i v_{k-1}(x_i)\,\mathcal N(y; F(x_i), \sigma^2)\,u(x_i)$ over $\sum_i p_{k-1}(x_i)\,\mathcal N(y; F(x_i), \sigma^2)$
    /// in the log domain: a conditional expectation of $u$ (with $v = p$) given $x_k = y$.
    fn ratio(&self, k: usize, y: f64, numer: &[f64], u: impl Fn(f64) -> f64) -> f64 {
        let var = self.sim.g * self.sim.g * self.sim.dt;
        let prev = &self.density[k - 1];
        let expo: Vec<f64> = self.grid.iter().map(|&x| -(y - self.sim.step_mean(x)).powi(2) / (2.0 * var)).collect();
        let mx = expo.iter().zip(prev).filter(|(_, p)| **p > 0.0).map(|(e, p)| e + p.ln()).fold(f64::NEG_INFINITY, f64::max);
        let (mut num, mut den) = (0.0, 0.0);
        for ((e, (p, n)), &x) in expo.iter().zip(prev.iter().zip(numer)).zip(&self.grid) {
            if *p > 0.0 {
                let w = (e + p.ln() - mx).exp();
                num += w * (n / p) * u(x);
                den += w;
            }
        }
        num / den
    }

    /// The exact score $\partial_y\log p_k(y)$ ($k = 0$: the mixture's own score).
    ///
    /// # Panics
    /// If `k` exceeds the number of steps.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator};
    /// let sim = NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.1);
    /// // x_0 ~ N(0, 1) → x_1 ~ N(0, 0.81 + 0.1): score −y/0.91
    /// let law = sim.grid_law(&[1.0], &[0.0], 1.0, 1, (-8.0, 8.0), 800);
    /// assert!((law.score(1, 2.0) + 2.0 / 0.91).abs() < 1e-6);
    /// ```
    pub fn score(&self, k: usize, y: f64) -> f64 {
        assert!(k < self.density.len(), "GridLaw::score: k must be ≤ {}, got {k}", self.density.len() - 1);
        if k == 0 {
            let logs: Vec<f64> = self.weights.iter().zip(&self.means).map(|(w, m)| w.ln() - (y - m).powi(2) / (2.0 * self.s * self.s)).collect();
            let mx = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let r: Vec<f64> = logs.iter().map(|l| (l - mx).exp()).collect();
            let z: f64 = r.iter().sum();
            return r.iter().zip(&self.means).map(|(ri, m)| ri / z * (m - y) / (self.s * self.s)).sum();
        }
        let var = self.sim.g * self.sim.g * self.sim.dt;
        let sim = self.sim;
        self.ratio(k, y, &self.density[k - 1], |x| (sim.step_mean(x) - y) / var)
    }

    /// The posterior mean $\mathbb E[x_0\mid x_k = y]$, the best point estimate of the initial
    /// state in mean square.
    ///
    /// # Panics
    /// If `k` is 0 or exceeds the number of steps.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator};
    /// let sim = NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.1);
    /// // Gaussian: E[x_0 | x_1 = y] = a·y/(a² + σ²) with a = 0.9, σ² = 0.1
    /// let law = sim.grid_law(&[1.0], &[0.0], 1.0, 1, (-8.0, 8.0), 800);
    /// assert!((law.posterior_mean_x0(1, 1.0) - 0.9 / 0.91).abs() < 1e-6);
    /// ```
    pub fn posterior_mean_x0(&self, k: usize, y: f64) -> f64 {
        assert!(k >= 1 && k < self.density.len(), "GridLaw::posterior_mean_x0: k must be in 1..={}, got {k}", self.density.len() - 1);
        self.ratio(k, y, &self.x0_moment[k - 1], |_| 1.0)
    }
}

/// The adjoint of one reverse step, the signature the multi-step training accepts:
/// `(model, x, k, bar_out) -> bar_in`.
pub type AdjointStep = fn(&PhysicsScore, f64, usize, f64) -> f64;

/// A score $s_\theta(x, k) = \theta_k\cdot\phi(x)$ trained through the simulator, one weight vector
/// per step; features $\phi = (1, x, \rho_1(x), \dots, \rho_B(x))$ with Gaussian bumps of width $h$
/// centred on $[-L, L]$.
#[derive(Clone, Debug)]
pub struct PhysicsScore {
    /// The simulator.
    pub sim: NonlinearSimulator,
    /// The bump centres.
    pub centers: Vec<f64>,
    /// The bump width $h$.
    pub width: f64,
    /// `theta[k - 1]` $= \theta_k$, for $k = 1..K$.
    pub theta: Vec<Vec<f64>>,
}

impl PhysicsScore {
    /// A model with `n_bumps` bumps on `[-half_width, half_width]` and all weights zero: the
    /// reverse step is the backward physics alone.
    ///
    /// # Panics
    /// If `n_steps == 0`, `n_bumps < 2` or `half_width <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator, PhysicsScore};
    /// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 1.0 }, 0.5, 0.1);
    /// let m = PhysicsScore::zeros(sim, 3, 5, 2.0);
    /// assert_eq!(m.theta.len(), 3);
    /// assert_eq!(m.reverse_step(1.0, 2), 1.1); // 1 − 0.1·(−1)
    /// ```
    pub fn zeros(sim: NonlinearSimulator, n_steps: usize, n_bumps: usize, half_width: f64) -> Self {
        assert!(n_steps >= 1, "PhysicsScore::zeros: n_steps must be ≥ 1, got {n_steps}");
        assert!(n_bumps >= 2, "PhysicsScore::zeros: n_bumps must be ≥ 2, got {n_bumps}");
        assert!(half_width > 0.0, "PhysicsScore::zeros: half_width must be > 0, got {half_width}");
        let (centers, width) = super::simulator_score::bump_grid(n_bumps, half_width);
        PhysicsScore { sim, centers, width, theta: vec![vec![0.0; 2 + n_bumps]; n_steps] }
    }

    /// The features $\phi(x)$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator, PhysicsScore};
    /// let m = PhysicsScore::zeros(NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.1), 1, 2, 1.0);
    /// assert_eq!(m.features(1.0), vec![1.0, 1.0, (-0.5f64).exp(), 1.0]); // width h = 2L/(B − 1) = 2
    /// ```
    pub fn features(&self, x: f64) -> Vec<f64> {
        super::simulator_score::bump_features(&self.centers, self.width, x)
    }

    /// $(s_\theta(x, k), \partial_x s_\theta(x, k))$ in one pass, without allocating.
    fn eval(&self, x: f64, k: usize) -> (f64, f64) {
        let th = &self.theta[k - 1];
        let h2 = self.width * self.width;
        let (mut s, mut ds) = (th[0] + th[1] * x, th[1]);
        for (c, t) in self.centers.iter().zip(&th[2..]) {
            let rho = (-(x - c) * (x - c) / (2.0 * h2)).exp();
            s += t * rho;
            ds -= t * (x - c) / h2 * rho;
        }
        (s, ds)
    }

    fn check_k(&self, k: usize, what: &str) {
        assert!(k >= 1 && k <= self.theta.len(), "PhysicsScore::{what}: k must be in 1..={}, got {k}", self.theta.len());
    }

    /// $s_\theta(x, k)$.
    ///
    /// # Panics
    /// If `k` is not in $1..=K$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator, PhysicsScore};
    /// let mut m = PhysicsScore::zeros(NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.1), 1, 2, 1.0);
    /// m.theta[0][1] = -2.0;
    /// assert_eq!(m.score(1.5, 1), -3.0);
    /// ```
    pub fn score(&self, x: f64, k: usize) -> f64 {
        self.check_k(k, "score");
        self.eval(x, k).0
    }

    /// $\partial_x s_\theta(x, k)$.
    ///
    /// # Panics
    /// If `k` is not in $1..=K$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator, PhysicsScore};
    /// let mut m = PhysicsScore::zeros(NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.1), 1, 2, 1.0);
    /// m.theta[0][1] = -2.0;
    /// assert_eq!(m.score_dx(0.3, 1), -2.0);
    /// ```
    pub fn score_dx(&self, x: f64, k: usize) -> f64 {
        self.check_k(k, "score_dx");
        self.eval(x, k).1
    }

    /// The reverse step $R_\theta(x) = x - \Delta t\,\mathcal P(x) + g^2\Delta t\,s_\theta(x, k)$ (no noise).
    ///
    /// # Examples
    /// See [`PhysicsScore::zeros`].
    pub fn reverse_step(&self, x: f64, k: usize) -> f64 {
        let s = self.sim;
        s.backward_physics(x) + s.g * s.g * s.dt * self.score(x, k)
    }

    /// Fits every $\theta_k$ by the 1-step loss $\sum_i (x_{k-1,i} - R_\theta(x_{k,i}))^2$ on the
    /// simulated `trajectories` (rows $x_0..x_K$, one column per particle), in closed form (linear
    /// least squares, ridge $10^{-8}$ times the trace).
    ///
    /// # Panics
    /// If there are fewer than 2 rows, `n_bumps < 2` or `half_width <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator, PhysicsScore};
    /// let sim = NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.05);
    /// let mut rng = course::rng::seeded(0);
    /// // x_0 ~ N(0, 1), linear physics: p_4 = N(0, v) with v = 0.95⁸ + 0.05·Σ_{j<4} 0.95^{2j}
    /// let x0 = course::rng::normal_vec(&mut rng, 20_000);
    /// let m = PhysicsScore::fit_one_step(sim, &sim.simulate(&x0, 4, &mut rng), 5, 3.0);
    /// let v = 0.95f64.powi(8) + 0.05 * (0..4).map(|j| 0.95f64.powi(2 * j)).sum::<f64>();
    /// assert!((m.score(1.0, 4) + 1.0 / v).abs() < 0.15);
    /// ```
    pub fn fit_one_step(sim: NonlinearSimulator, trajectories: &Array2<f64>, n_bumps: usize, half_width: f64) -> Self {
        assert!(trajectories.nrows() >= 2, "PhysicsScore::fit_one_step: trajectories must have ≥ 2 rows, got {}", trajectories.nrows());
        let mut model = PhysicsScore::zeros(sim, trajectories.nrows() - 1, n_bumps, half_width);
        let c = sim.g * sim.g * sim.dt;
        // the score's noisy target from the pair (x_{k-1}, x_k)
        model.theta = super::simulator_score::fit_per_step(trajectories, &model.centers, model.width, |xp, xk| (xp - sim.backward_physics(xk)) / c);
        model
    }

    /// The multi-step (sliding-window) loss: from every $x_k$, $k = m..K$, roll `m` reverse steps
    /// out and sum the squared gaps to the simulated $x_{k-1}, \dots, x_{k-m}$, averaged over
    /// particles and windows; and its gradient with respect to all weights (flattened,
    /// $\theta_1$ first), by reverse-mode differentiation through the rollout with the one-step
    /// adjoint `adjoint` (see [`adjoint_step`]).
    ///
    /// # Panics
    /// If `m == 0`, or `m` exceeds the number of steps, or `trajectories` does not have $K + 1$ rows.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{adjoint_step, Drift, NonlinearSimulator, PhysicsScore};
    /// use course::ndarray::array;
    /// let sim = NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.5);
    /// let m = PhysicsScore::zeros(sim, 1, 2, 1.0);
    /// // R(x) = 1.5x: from x_1 = 1 to x_0 = 1 the gap is 0.5; ∂R/∂θ_{1,0} = g²Δt = 0.5
    /// let (loss, grad) = m.rollout_loss_grad(&array![[1.0], [1.0]], 1, adjoint_step);
    /// assert_eq!(loss, 0.25);
    /// assert_eq!(grad[0], 0.5);
    /// ```
    pub fn rollout_loss_grad(&self, trajectories: &Array2<f64>, m: usize, adjoint: AdjointStep) -> (f64, Vec<f64>) {
        let n_steps = self.theta.len();
        assert!(m >= 1 && m <= n_steps, "rollout_loss_grad: m must be in 1..={n_steps}, got {m}");
        assert_eq!(trajectories.nrows(), n_steps + 1, "rollout_loss_grad: trajectories must have K + 1 = {} rows", n_steps + 1);
        let q = self.theta[0].len();
        let c = self.sim.g * self.sim.g * self.sim.dt;
        let n = trajectories.ncols();
        let scale = 1.0 / (n * (n_steps - m + 1)) as f64;
        let h2 = self.width * self.width;
        let mut loss = 0.0;
        let mut grad = vec![0.0; q * n_steps];
        let mut xs = vec![0.0; m + 1];
        for k in m..=n_steps {
            for i in 0..n {
                xs[0] = trajectories[[k, i]];
                for j in 1..=m {
                    xs[j] = self.reverse_step(xs[j - 1], k - j + 1);
                }
                let mut bar = 0.0; // ∂loss/∂x̂_{k−j}
                for j in (1..=m).rev() {
                    let r = xs[j] - trajectories[[k - j, i]];
                    loss += r * r * scale;
                    bar += 2.0 * r * scale;
                    let step = k - j + 1; // the step that maps xs[j−1] to xs[j]
                    let (x, gs) = (xs[j - 1], &mut grad[(step - 1) * q..step * q]);
                    gs[0] += bar * c;
                    gs[1] += bar * c * x;
                    for (g, ctr) in gs[2..].iter_mut().zip(&self.centers) {
                        *g += bar * c * (-(x - ctr) * (x - ctr) / (2.0 * h2)).exp();
                    }
                    bar = adjoint(self, xs[j - 1], step, bar);
                }
            }
        }
        (loss, grad)
    }

    /// [`PhysicsScore::rollout_loss_grad`] with the reference [`adjoint_step`].
    ///
    /// # Examples
    /// See [`PhysicsScore::rollout_loss_grad`].
    pub fn rollout_gradient(&self, trajectories: &Array2<f64>, m: usize) -> (f64, Vec<f64>) {
        self.rollout_loss_grad(trajectories, m, adjoint_step)
    }

    /// `n_iters` full-batch Adam steps (rate `lr`) on the multi-step loss with window `m`,
    /// starting from `self`; returns the trained model and the loss before each step.
    ///
    /// # Panics
    /// As [`PhysicsScore::rollout_loss_grad`], or if `lr <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{adjoint_step, Drift, NonlinearSimulator, PhysicsScore};
    /// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 1.0 }, 0.5, 0.05);
    /// let mut rng = course::rng::seeded(0);
    /// let traj = sim.simulate(&course::rng::normal_vec(&mut rng, 200), 4, &mut rng);
    /// let (_, losses) = PhysicsScore::zeros(sim, 4, 4, 2.0).train_multistep(&traj, 2, 30, 0.05, adjoint_step);
    /// assert!(losses[29] < losses[0]);
    /// ```
    pub fn train_multistep(&self, trajectories: &Array2<f64>, m: usize, n_iters: usize, lr: f64, adjoint: AdjointStep) -> (PhysicsScore, Vec<f64>) {
        assert!(lr > 0.0, "train_multistep: lr must be > 0, got {lr}");
        let mut model = self.clone();
        let q = model.theta[0].len();
        let mut adam = AdamState::new(q * model.theta.len(), 0.9, 0.999);
        let mut losses = Vec::with_capacity(n_iters);
        for _ in 0..n_iters {
            let (loss, grad) = model.rollout_loss_grad(trajectories, m, adjoint);
            losses.push(loss);
            let dir = adam.update(&Array1::from(grad));
            for (idx, d) in dir.iter().enumerate() {
                model.theta[idx / q][idx % q] -= lr * d;
            }
        }
        (model, losses)
    }

    /// The reverse SDE from the end states `x_end` to $x_0$: $x_{k-1} = R_\theta(x_k) + g\sqrt{\Delta t}\,z$
    /// (`rng = None`: the deterministic rollout $R_\theta\circ\cdots\circ R_\theta$). Returns all
    /// states, row $k$ holding $x_k$ as in [`NonlinearSimulator::simulate`].
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::{Drift, NonlinearSimulator, PhysicsScore};
    /// let sim = NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.1);
    /// let paths = PhysicsScore::zeros(sim, 2, 2, 1.0).reverse_paths(&[1.0], None);
    /// assert!((paths[[0, 0]] - 1.21).abs() < 1e-12); // backward physics twice: 1.1²
    /// ```
    pub fn reverse_paths(&self, x_end: &[f64], mut rng: Option<&mut dyn Rng>) -> Array2<f64> {
        let n_steps = self.theta.len();
        let sd = self.sim.g * self.sim.dt.sqrt();
        let mut paths = Array2::<f64>::zeros((n_steps + 1, x_end.len()));
        paths.row_mut(n_steps).assign(&ndarray::ArrayView1::from(x_end));
        for k in (1..=n_steps).rev() {
            let z = match rng.as_mut() {
                Some(r) => crate::rng::normal_vec(r, x_end.len()),
                None => vec![0.0; x_end.len()],
            };
            for i in 0..x_end.len() {
                paths[[k - 1, i]] = self.reverse_step(paths[[k, i]], k) + sd * z[i];
            }
        }
        paths
    }
}

/// The adjoint of one reverse step (Exercise 35.3): given $\bar x_{\text{out}} = \partial\ell/\partial R_\theta(x)$,
/// returns $\partial\ell/\partial x = \bar x_{\text{out}}\,\big(1 - \Delta t\,\mathcal P'(x) + g^2\Delta t\,\partial_x s_\theta(x, k)\big)$,
/// the chain rule through the backward physics *and* the score.
///
/// # Examples
/// ```
/// use course::generative::control::{adjoint_step, Drift, NonlinearSimulator, PhysicsScore};
/// let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 1.0 }, 1.0, 0.1);
/// let m = PhysicsScore::zeros(sim, 1, 2, 1.0);
/// // s = 0: ∂R/∂x = 1 − Δt·P'(x) = 1 + 0.1·2·0.5 at x = 0.5
/// assert!((adjoint_step(&m, 0.5, 1, 2.0) - 2.2).abs() < 1e-12);
/// ```
pub fn adjoint_step(model: &PhysicsScore, x: f64, k: usize, bar_out: f64) -> f64 {
    let s = model.sim;
    bar_out * (1.0 - s.dt * s.drift_dx(x) + s.g * s.g * s.dt * model.score_dx(x, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::control::TrappedParticle;
    use crate::rng::seeded;

    fn bimodal(n: usize, s: f64, rng: &mut impl Rng) -> Vec<f64> {
        let z = crate::rng::normal_vec(rng, n);
        z.iter().enumerate().map(|(i, zi)| if i % 2 == 0 { -1.0 } else { 1.0 } + s * zi).collect()
    }

    #[test]
    fn the_grid_oracle_matches_the_closed_form_for_linear_physics() {
        // Linear physics is the trapped particle, whose mixture law is known in closed form.
        let sim = NonlinearSimulator::new(Drift::Linear { lambda: 1.0 }, 1.0, 0.05);
        let trap = TrappedParticle::new(1.0, 1.0, 0.05);
        let law = sim.grid_law(&[1.0, 1.0], &[-1.0, 1.0], 0.2, 10, (-4.0, 4.0), 600);
        for k in [1, 5, 10] {
            for y in [-1.7, -0.3, 0.0, 0.4, 1.2] {
                let (a, b) = (law.score(k, y), trap.exact_score(&[1.0, 1.0], &[-1.0, 1.0], 0.2, k, y));
                assert!((a - b).abs() < 1e-6, "k {k} y {y}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn the_grid_oracle_agrees_with_a_histogram_of_the_simulation() {
        let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 2.0 }, 0.6, 0.05);
        let law = sim.grid_law(&[1.0, 1.0], &[-1.0, 1.0], 0.1, 20, (-3.0, 3.0), 600);
        let mut rng = seeded(3);
        let traj = sim.simulate(&bimodal(200_000, 0.1, &mut rng), 20, &mut rng);
        // P(x_20 < 0.2) by simulation vs by the grid
        let emp = traj.row(20).iter().filter(|x| **x < 0.2).count() as f64 / 200_000.0;
        let grid: f64 = law.grid.iter().zip(&law.density[20]).filter(|(x, _)| **x < 0.2).map(|(_, p)| p * law.h).sum();
        assert!((emp - grid).abs() < 0.005, "{emp} vs {grid}"); // s.e. 0.0011, plus half a cell
    }

    #[test]
    fn the_rollout_gradient_matches_finite_differences() {
        let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 2.0 }, 0.6, 0.05);
        let mut rng = seeded(1);
        let traj = sim.simulate(&bimodal(100, 0.1, &mut rng), 6, &mut rng);
        let mut model = PhysicsScore::fit_one_step(sim, &traj, 6, 2.0);
        model.theta[3][2] += 0.3; // away from the 1-step optimum
        let q = model.theta[0].len();
        for m in [1, 3, 6] {
            let (_, grad) = model.rollout_gradient(&traj, m);
            for idx in [1, 2 * q + 1, 3 * q + 4, 5 * q, 4 * q + 7] {
                let h = 1e-6;
                let (mut plus, mut minus) = (model.clone(), model.clone());
                plus.theta[idx / q][idx % q] += h;
                minus.theta[idx / q][idx % q] -= h;
                let fd = (plus.rollout_gradient(&traj, m).0 - minus.rollout_gradient(&traj, m).0) / (2.0 * h);
                assert!((fd - grad[idx]).abs() < 1e-7 * (1.0 + fd.abs()), "m {m} idx {idx}: {fd} vs {}", grad[idx]);
            }
        }
    }

    #[test]
    fn dropping_the_physics_jacobian_gives_a_wrong_gradient() {
        fn black_box(model: &PhysicsScore, x: f64, k: usize, bar: f64) -> f64 {
            let s = model.sim;
            bar * (1.0 + s.g * s.g * s.dt * model.score_dx(x, k))
        }
        let sim = NonlinearSimulator::new(Drift::Quadratic { lambda: 2.0 }, 0.6, 0.05);
        let mut rng = seeded(2);
        let traj = sim.simulate(&bimodal(100, 0.1, &mut rng), 6, &mut rng);
        let model = PhysicsScore::fit_one_step(sim, &traj, 6, 2.0);
        let (_, good) = model.rollout_gradient(&traj, 6);
        let (_, bad) = model.rollout_loss_grad(&traj, 6, black_box);
        let gap: f64 = good.iter().zip(&bad).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        assert!(gap > 1e-4, "{gap}");
        // the last step's weights see no Jacobian at all: their gradients agree
        let q = model.theta[0].len();
        for idx in 0..q {
            assert!((good[idx] - bad[idx]).abs() < 1e-15);
        }
    }

    /// The notebook's pipeline (notebooks/35, §3b) for one seed set; `s = 0` is the notebook's.
    fn notebook_pipeline(s: u64) -> [f64; 12] {
        let two_clusters = |n: usize, seed: u64| -> Vec<f64> {
            crate::rng::normal_vec(&mut seeded(seed), n).iter().enumerate().map(|(i, z)| if i % 2 == 0 { -1.0 } else { 1.0 } + 0.1 * z).collect()
        };
        let drag = NonlinearSimulator::new(Drift::Quadratic { lambda: 1.0 }, 0.5, 0.05);
        let traj = drag.simulate(&two_clusters(10_000, s + 11), 20, &mut seeded(s + 12));
        let x0_test = two_clusters(2_000, s + 13);
        let test = drag.simulate(&x0_test, 20, &mut seeded(s + 14));
        let law = drag.grid_law(&[1.0, 1.0], &[-1.0, 1.0], 0.1, 20, (-3.0, 3.0), 600);
        let one = PhysicsScore::fit_one_step(drag, &traj, 10, 2.0);
        let score_error = |m: &PhysicsScore, k: usize| {
            let (n, d) = test.row(k).iter().fold((0.0, 0.0), |(n, d), &x| { let e = law.score(k, x); (n + (m.score(x, k) - e).powi(2), d + e * e) });
            (n / d).sqrt()
        };
        let worst_one = [1, 5, 10, 20].iter().map(|&k| score_error(&one, k)).fold(0.0, f64::max);
        let clamp = |v: Vec<f64>| -> Vec<f64> { v.iter().map(|x| if x.is_nan() { 4.0 } else { x.clamp(-4.0, 4.0) }).collect() };
        let x_end = test.row(20).to_vec();
        let phys = PhysicsScore::zeros(drag, 20, 10, 2.0);
        let w = |m: &PhysicsScore| crate::generative::metrics::wasserstein_1d(&clamp(m.reverse_paths(&x_end, Some(&mut seeded(s + 15))).row(0).to_vec()), &x0_test, 1.0);
        let sub = traj.slice(ndarray::s![.., ..1000]).to_owned();
        let (multi, losses) = one.train_multistep(&sub, 20, 100, 0.03, adjoint_step);
        let mse = |m: &PhysicsScore| clamp(m.reverse_paths(&x_end, None).row(0).to_vec()).iter().zip(&x0_test).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / 2000.0;
        let bayes = x_end.iter().zip(&x0_test).map(|(y, x)| (law.posterior_mean_x0(20, *y) - x).powi(2)).sum::<f64>() / 2000.0;
        [worst_one, w(&one), w(&phys), losses[99] / losses[0],
         multi.rollout_gradient(&test, 20).0 / one.rollout_gradient(&test, 20).0,
         mse(&multi) / mse(&one), mse(&multi) / bayes, mse(&one) / bayes,
         score_error(&multi, 1), w(&multi) / w(&one), mse(&phys), bayes]
    }

    #[test]
    fn the_notebook_claims_hold_over_seed_sets() {
        for s in [0, 100, 200, 300] {
            let r = notebook_pipeline(s);
            println!("seeds {s}+: score err {:.3} W1 one {:.4} phys {:.4} train ratio {:.3} held-out ratio {:.3} mse ratio {:.3} mse/bayes multi {:.3} one {:.3} multi score err {:.3} W1 multi/one {:.2} mse phys {:.3} bayes {:.4}",
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]);
            assert!(r[0] < 0.25 && r[1] < 0.08 && r[1] < 0.1 * r[2], "seed set {s}: {r:?}");
            assert!(r[3] < 0.98 && r[4] < 0.98 && r[5] < 0.95 && r[6] > 0.9, "seed set {s}: {r:?}");
            assert!(r[8] > 0.5 && r[9] > 2.0, "seed set {s}: {r:?}");
        }
    }
}
