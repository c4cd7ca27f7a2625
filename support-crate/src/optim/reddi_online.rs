//! Reddi, Kale & Kumar's online problem, on which Adam converges to the worst point.
//!
//! On $\mathcal F = [-1, 1]$ the losses are linear,
//! $$f_t(x) = \begin{cases} C x & t \equiv 1 \pmod 3,\\ -x & \text{otherwise,}\end{cases}\qquad C > 2,$$
//! so every three rounds add $(C-2)x$ and the best fixed point is $x^\star = -1$. An online method
//! plays $x_t$, sees $g_t = f_t'(x_t)$ and moves, projected back onto $[-1, 1]$, with step
//! $\alpha_t = \alpha/\sqrt t$. Its **regret** is $R_T = \sum_{t\le T} f_t(x_t) - \min_x\sum_{t\le T}f_t(x)$;
//! a method converges when $R_T/T\to0$. With $\beta_1 = 0$ and $\beta_2 = 1/(1+C^2)$, Adam's
//! $v_t$ forgets the large gradient $C$ within a step or two: the step towards $-1$ has size
//! $\approx\alpha_t C/\sqrt{(1-\beta_2)C^2}$, the two steps towards $+1$ have size
//! $\approx\alpha_t/\sqrt{\beta_2C^2 + 1-\beta_2}$ each, and for large $C$ the two win, so Adam ends at $x = +1$
//! with $R_T/T\to 2(C-2)/3 > 0$ (Theorem 1 of the paper: at $x=+1$ every three rounds
//! cost $C-2$ where $x^\star$ earns $-(C-2)$).
//!
//! ## Reference
//! S. J. Reddi, S. Kale & S. Kumar (2018), *On the convergence of Adam and beyond*, ICLR, §3.
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

/// The problem, with its large gradient `c` ($C$).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReddiProblem {
    /// $C > 2$: the gradient every third round.
    pub c: f64,
}

/// One online run: the points played and the regret.
#[derive(Clone, Debug, PartialEq)]
pub struct OnlineRun {
    /// $x_1, \dots, x_T$.
    pub positions: Vec<f64>,
    /// $R_1, \dots, R_T$.
    pub regret: Vec<f64>,
}

impl OnlineRun {
    /// $R_T / T$ at the end of the run.
    pub fn average_regret(&self) -> f64 {
        self.regret[self.regret.len() - 1] / self.regret.len() as f64
    }

    /// The mean of the last `n` positions.
    ///
    /// # Panics
    /// If `n` is 0 or longer than the run.
    pub fn mean_last(&self, n: usize) -> f64 {
        assert!(n > 0 && n <= self.positions.len(), "OnlineRun::mean_last: n must lie in 1..={}, got {n}", self.positions.len());
        self.positions[self.positions.len() - n..].iter().sum::<f64>() / n as f64
    }
}

impl ReddiProblem {
    /// The problem with large gradient `c`.
    ///
    /// # Panics
    /// If `c <= 2` (then $x = -1$ is no longer the unique best point).
    pub fn new(c: f64) -> Self {
        assert!(c > 2.0, "ReddiProblem::new: c must be > 2, got {c}");
        ReddiProblem { c }
    }

    /// $f_t'(x)$ (independent of $x$), rounds counted from $t = 1$.
    ///
    /// # Examples
    /// ```
    /// let p = course::optim::ReddiProblem::new(3.0);
    /// assert_eq!((1..=4).map(|t| p.gradient(t)).collect::<Vec<_>>(), vec![3.0, -1.0, -1.0, 3.0]);
    /// ```
    pub fn gradient(&self, t: usize) -> f64 {
        assert!(t >= 1, "ReddiProblem::gradient: rounds start at t = 1");
        if t % 3 == 1 { self.c } else { -1.0 }
    }

    /// Plays `n_steps` rounds from `x0` with `step(x, g, lr_t) -> x'` and $\alpha_t = $ `lr`$/\sqrt t$,
    /// projecting onto $[-1, 1]$ after each step.
    ///
    /// # Panics
    /// If `lr <= 0`, `n_steps == 0` or `x0` is outside $[-1, 1]$.
    ///
    /// # Examples
    /// ```
    /// // Online gradient descent, x ← x − α_t g_t, has vanishing regret and settles at −1.
    /// let p = course::optim::ReddiProblem::new(3.0);
    /// let run = p.run(&mut |x, g, lr| x - lr * g, 1.0, 0.5, 30_000);
    /// assert!(run.mean_last(3000) < -0.95);
    /// assert!(run.average_regret() < 0.02);
    /// ```
    pub fn run(&self, step: &mut dyn FnMut(f64, f64, f64) -> f64, x0: f64, lr: f64, n_steps: usize) -> OnlineRun {
        assert!(lr > 0.0, "ReddiProblem::run: lr must be > 0, got {lr}");
        assert!(n_steps > 0, "ReddiProblem::run: n_steps must be > 0");
        assert!((-1.0..=1.0).contains(&x0), "ReddiProblem::run: x0 must lie in [-1, 1], got {x0}");
        let (mut x, mut cum_loss, mut cum_grad) = (x0, 0.0, 0.0);
        let mut run = OnlineRun { positions: Vec::with_capacity(n_steps), regret: Vec::with_capacity(n_steps) };
        for t in 1..=n_steps {
            let g = self.gradient(t);
            run.positions.push(x);
            cum_loss += g * x;
            cum_grad += g;
            // min over [−1, 1] of (Σ g) x is −|Σ g|
            run.regret.push(cum_loss + cum_grad.abs());
            x = step(x, g, lr / (t as f64).sqrt()).clamp(-1.0, 1.0);
        }
        run
    }

    /// Adam with bias correction ([`AdamState`](super::AdamState)) on this problem.
    ///
    /// # Examples
    /// ```
    /// // Reddi et al.'s setting: β1 = 0, β2 = 1/(1 + C²). Adam ends at the worst point x = +1.
    /// let p = course::optim::ReddiProblem::new(3.0);
    /// let run = p.adam(1.0, 0.5, 0.0, 0.1, 30_000);
    /// assert!(run.mean_last(3000) > 0.95);
    /// ```
    pub fn adam(&self, x0: f64, lr: f64, beta1: f64, beta2: f64, n_steps: usize) -> OnlineRun {
        let mut s = super::AdamState::new(1, beta1, beta2);
        self.run(&mut |x, g, lr_t| x - lr_t * s.update(&ndarray::array![g])[0], x0, lr, n_steps)
    }

    /// AMSGrad ([`amsgrad_step`](super::amsgrad_step)) on this problem.
    ///
    /// # Examples
    /// ```
    /// let p = course::optim::ReddiProblem::new(3.0);
    /// let run = p.amsgrad(1.0, 0.5, 0.0, 0.1, 30_000);
    /// assert!(run.mean_last(3000) < -0.95);
    /// ```
    pub fn amsgrad(&self, x0: f64, lr: f64, beta1: f64, beta2: f64, n_steps: usize) -> OnlineRun {
        let mut s = super::AmsGradState::new(1, beta1, beta2);
        self.run(&mut |x, g, lr_t| super::amsgrad_step(&ndarray::array![x], &ndarray::array![g], lr_t, &mut s)[0], x0, lr, n_steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regret_matches_brute_force_and_adam_fails_where_amsgrad_converges() {
        let p = ReddiProblem::new(3.0);
        // Oracle: regret by brute force over a grid of fixed comparators.
        let run = p.run(&mut |x, g, lr| x - lr * g, 0.3, 0.2, 100);
        let played: f64 = run.positions.iter().enumerate().map(|(i, x)| p.gradient(i + 1) * x).sum();
        let best = (0..=200).map(|j| -1.0 + j as f64 / 100.0).map(|u| (1..=100).map(|t| p.gradient(t) * u).sum::<f64>()).fold(f64::INFINITY, f64::min);
        assert!((run.regret[99] - (played - best)).abs() < 1e-12);
        // Theorem 1: Adam's average regret stays bounded away from 0 (≈ (C − 2)/3·2 = 2/3 at x = +1)
        let adam = p.adam(1.0, 0.5, 0.0, 1.0 / 10.0, 60_000);
        assert!(adam.average_regret() > 0.5, "{}", adam.average_regret());
        let ams = p.amsgrad(1.0, 0.5, 0.0, 1.0 / 10.0, 60_000);
        assert!(ams.average_regret() < 0.05, "{}", ams.average_regret());
    }
}
