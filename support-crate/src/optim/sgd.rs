//! Stochastic gradient descent with a step schedule.
//!
//! $$x_{k+1} = x_k - \alpha_k\,g_k,\qquad \mathbb E[g_k\mid x_k] = \nabla f(x_k).$$
//! With a constant step the iterates reach a stationary cloud whose mean loss (the *noise
//! floor*) is proportional to $\alpha$; a Robbins–Monro schedule ($\sum\alpha_k=\infty$,
//! $\sum\alpha_k^2<\infty$) drives $\mathbb E f(x_k)-f^\star\to 0$, at the rate $O(1/k)$ for
//! $\alpha_k\propto 1/k$ on strongly convex problems.
//!
//! ## Reference
//! H. Robbins & S. Monro (1951); Bottou, Curtis & Nocedal (2018), *Optimization methods for
//! large-scale machine learning*, Theorems 4.6 and 4.7.
//!
//! Used in notebooks/04-gradient-descent.ipynb.

use super::objective::{check_x0, iterate};
use super::{History, StepSchedule, StochasticObjective};
use ndarray::Array1;
use rand::Rng;

/// `n_steps` SGD steps from `x0` with steps from `schedule`; the history records the full
/// objective $f(x_k)$ at every iterate.
///
/// The run stops early if the loss stops being finite.
///
/// # Panics
/// If `x0` is empty or not finite, or a stochastic gradient has the wrong length.
///
/// # Examples
/// ```
/// use course::optim::{sgd, NoisyGradient, Quadratic, StepSchedule};
/// use ndarray::array;
/// let noisy = NoisyGradient::new(Quadratic::diagonal(&[1.0, 1.0]), 0.1);
/// let h = sgd(&noisy, &array![5.0, 5.0], &StepSchedule::robbins_monro(0.5, 10.0, 1.0), 5000, &mut course::rng::seeded(0));
/// assert!(h.final_loss() < 1e-3);
/// ```
pub fn sgd(
    objective: &dyn StochasticObjective,
    x0: &Array1<f64>,
    schedule: &StepSchedule,
    n_steps: usize,
    rng: &mut impl Rng,
) -> History {
    run(objective, x0, schedule, n_steps, rng)
}

fn run(objective: &dyn StochasticObjective, x0: &Array1<f64>, schedule: &StepSchedule, n_steps: usize, rng: &mut dyn Rng) -> History {
    check_x0("sgd", x0);
    iterate(|x| objective.value(x), x0, n_steps, |k, x| {
        let g = objective.stochastic_gradient(x, rng);
        assert_eq!(g.len(), x.len(), "sgd: the stochastic gradient has {} entries but x has {}", g.len(), x.len());
        x - &(g * schedule.lr_at(k))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{LeastSquares, NoisyGradient, Quadratic};
    use ndarray::array;

    #[test]
    fn constant_step_plateaus_at_the_predicted_noise_floor() {
        // Oracle: the stationary mean loss ασ²/2 Σ 1/(2 − αλ_i) of the linear recursion.
        let q = Quadratic::with_spectrum(&[0.5, 1.0, 2.0, 4.0], 2);
        let (lr, sigma) = (0.1, 1.0);
        let floor = q.stationary_sgd_loss(lr, sigma);
        let noisy = NoisyGradient::new(q, sigma);
        let h = sgd(&noisy, &Array1::zeros(4), &StepSchedule::constant(lr), 200_000, &mut crate::rng::seeded(1));
        let tail = &h.losses[1000..];
        let avg = tail.iter().sum::<f64>() / tail.len() as f64;
        assert!((avg / floor - 1.0).abs() < 0.03, "average {avg}, predicted {floor}");
    }

    #[test]
    fn robbins_monro_beats_the_floor_on_least_squares() {
        let mut rng = crate::rng::seeded(3);
        let x = ndarray::Array2::from_shape_vec((100, 3), crate::rng::normal_vec(&mut rng, 300)).unwrap();
        let y = x.dot(&array![1.0, -1.0, 2.0]) + Array1::from(crate::rng::normal_vec(&mut rng, 100));
        let ls = LeastSquares::new(x, y);
        let f_star = ls.value(&ls.solution());
        let x0 = Array1::zeros(3);
        let c = sgd(&ls, &x0, &StepSchedule::constant(0.05), 20_000, &mut crate::rng::seeded(4));
        let d = sgd(&ls, &x0, &StepSchedule::robbins_monro(0.05, 100.0, 1.0), 20_000, &mut crate::rng::seeded(4));
        let mean_gap = |h: &History| h.losses[15_000..].iter().map(|l| l - f_star).sum::<f64>() / 5001.0;
        assert!(mean_gap(&d) < 0.2 * mean_gap(&c), "{} vs {}", mean_gap(&d), mean_gap(&c));
    }

    use crate::optim::Objective;
}
