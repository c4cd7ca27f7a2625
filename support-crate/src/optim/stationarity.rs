//! Gradient descent on a smooth non-convex function finds an $\varepsilon$-stationary point in $O(1/\varepsilon^2)$ steps.
//!
//! If $\nabla f$ is $L$-Lipschitz, the **descent lemma** $f(y)\le f(x) + \nabla f(x)^\top(y-x) + \frac L2\lVert y-x\rVert^2$
//! at $y = x - \alpha\nabla f(x)$ gives
//! $$f(x_{k+1})\le f(x_k) - \alpha\Big(1-\frac{L\alpha}2\Big)\lVert\nabla f(x_k)\rVert^2\le f(x_k) - \frac\alpha2\lVert\nabla f(x_k)\rVert^2\quad(\alpha\le 1/L).$$
//! Summing over $k<K$ telescopes: $\frac\alpha2\sum_{k<K}\lVert\nabla f(x_k)\rVert^2\le f(x_0) - f(x_K)\le f(x_0) - f_{\rm low}$, so
//! $$\min_{k<K}\lVert\nabla f(x_k)\rVert^2\;\le\;\frac1K\sum_{k<K}\lVert\nabla f(x_k)\rVert^2\;\le\;\frac{2(f(x_0)-f_{\rm low})}{\alpha K}$$
//! for any lower bound $f_{\rm low}\le f^\star$. Nothing says the point is a minimum.
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), §1.2.3, (1.2.19)–(1.2.22).
//!
//! Used in notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use super::{History, Objective};

/// $\min_{j<k}\lVert\nabla f(x_j)\rVert^2$ for $k = 1, \dots, n$ (entry $k-1$), $n$ = the number
/// of iterates in `history`.
///
/// # Panics
/// If `history` is empty.
///
/// # Examples
/// ```
/// use course::optim::{gradient_descent, running_min_grad_sq, Quadratic};
/// let q = Quadratic::diagonal(&[1.0]);
/// let h = gradient_descent(&q, &ndarray::array![2.0], 0.5, 2); // x = 2, 1, 0.5
/// assert_eq!(running_min_grad_sq(&q, &h), vec![4.0, 1.0, 0.25]);
/// ```
pub fn running_min_grad_sq(objective: &dyn Objective, history: &History) -> Vec<f64> {
    assert!(!history.is_empty(), "running_min_grad_sq: history must not be empty");
    let mut best = f64::INFINITY;
    history.iterates.iter().map(|x| {
        let g = objective.gradient(x);
        best = best.min(g.dot(&g));
        best
    }).collect()
}

/// The bound $2(f(x_0) - f_{\rm low})/(\alpha K)$ on $\min_{k<K}\lVert\nabla f(x_k)\rVert^2$.
///
/// # Panics
/// If `lr <= 0`, `n_steps == 0` or `f0 < f_low`.
///
/// # Examples
/// ```
/// assert_eq!(course::optim::stationarity_bound(3.0, 1.0, 0.5, 8), 1.0);
/// ```
pub fn stationarity_bound(f0: f64, f_low: f64, lr: f64, n_steps: usize) -> f64 {
    assert!(lr > 0.0, "stationarity_bound: lr must be > 0, got {lr}");
    assert!(n_steps > 0, "stationarity_bound: n_steps must be > 0");
    assert!(f0 >= f_low, "stationarity_bound: f0 must be >= f_low, got {f0} < {f_low}");
    2.0 * (f0 - f_low) / (lr * n_steps as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{gradient_descent, CosineSum};

    #[test]
    fn bound_holds_and_is_attained_on_a_linear_function_up_to_the_factor() {
        // Oracle 1: the bound on random cosine sums, every K, several step sizes ≤ 1/L.
        for seed in 0..5 {
            let f = CosineSum::random(2, 6, seed);
            let l = f.smoothness();
            for frac in [0.25, 0.5, 1.0] {
                let lr = frac / l;
                let x0 = ndarray::Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(seed + 10), 2)) * 3.0;
                let h = gradient_descent(&f, &x0, lr, 300);
                let m = running_min_grad_sq(&f, &h);
                for k in 1..m.len() {
                    assert!(m[k - 1] <= stationarity_bound(h.losses[0], f.lower_bound(), lr, k));
                }
            }
        }
        // Oracle 2: on f(x) = x (no minimum) every step has ‖∇f‖² = 1 and f drops α per step:
        // the telescoped sum is an equality, 1 = (f(x0) − f(x_K))/(αK), half the bound.
        let f0 = 0.0;
        let (lr, k) = (0.1, 10);
        let f_k = f0 - lr * k as f64;
        assert!((stationarity_bound(f0, f_k, lr, k) - 2.0).abs() < 1e-12);
    }
}
