//! The Brownian bridge: Brownian motion $\sigma W$ pinned at $x_0$ at time 0 and $x_1$ at time $T$.
//!
//! Given $X_0 = x_0$ and $X_T = x_1$, the reference process at time $t$ is Gaussian with
//! $$\mathbb E X_t = x_0 + \tfrac tT(x_1 - x_0),\qquad \operatorname{Var} X_t = \sigma^2\tfrac{t(T-t)}{T}$$
//! per coordinate, and it is sampled step by step: from $X_t$, the remaining bridge to $x_1$ gives
//! $$X_{t+h} \mid X_t \sim \mathcal N\Big(X_t + \tfrac{h}{T-t}(x_1 - X_t),\ \sigma^2\tfrac{h(T-t-h)}{T-t}\Big).$$
//! The dynamic Schrödinger bridge is the static plan with these bridges glued in between.
//!
//! ## Reference
//! I. Karatzas & S. Shreve (1991), *Brownian Motion and Stochastic Calculus*, §5.6.B; C. Léonard
//! (2014), *A survey of the Schrödinger problem and some of its connections with optimal transport*, Prop. 2.3.
//!
//! Used in notebooks/36-schrodinger-bridges.ipynb.

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Mean and variance (per coordinate) of the Brownian bridge from `x0` to `x1` with diffusion
/// `sigma` on $[0, T]$ (`t_end`) at time `t`.
///
/// # Panics
/// If `sigma <= 0`, `t_end <= 0` or `t` is outside $[0, T]$.
///
/// # Examples
/// ```
/// use course::generative::bridges::brownian_bridge_mean_var;
/// let (m, v) = brownian_bridge_mean_var(0.0, 4.0, 2.0, 1.0, 0.25);
/// assert!((m - 1.0).abs() < 1e-15 && (v - 4.0 * 0.25 * 0.75).abs() < 1e-15);
/// ```
pub fn brownian_bridge_mean_var(x0: f64, x1: f64, sigma: f64, t_end: f64, t: f64) -> (f64, f64) {
    check("brownian_bridge_mean_var", sigma, t_end);
    assert!((0.0..=t_end).contains(&t), "brownian_bridge_mean_var: t must be in [0, t_end = {t_end}], got {t}");
    (x0 + t / t_end * (x1 - x0), sigma * sigma * t * (t_end - t) / t_end)
}

fn check(who: &str, sigma: f64, t_end: f64) {
    assert!(sigma > 0.0 && sigma.is_finite(), "{who}: sigma must be > 0, got {sigma}");
    assert!(t_end > 0.0 && t_end.is_finite(), "{who}: t_end must be > 0, got {t_end}");
}

/// Brownian bridges from each row of `x0` to the same row of `x1` (n × dim), with diffusion
/// `sigma` on $[0, T]$ in `n_steps` equal steps: the `n_steps + 1` snapshots $X_{t_k}$
/// (the first is `x0`, the last is `x1` exactly).
///
/// # Panics
/// If the shapes differ, `sigma <= 0`, `t_end <= 0` or `n_steps == 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::bridges::sample_brownian_bridges;
/// let path = sample_brownian_bridges(&array![[0.0, 0.0]], &array![[1.0, 2.0]], 0.5, 1.0, 10, &mut course::rng::seeded(0));
/// assert_eq!(path.len(), 11);
/// assert_eq!(path[10], array![[1.0, 2.0]]);
/// ```
pub fn sample_brownian_bridges(x0: &Array2<f64>, x1: &Array2<f64>, sigma: f64, t_end: f64, n_steps: usize, rng: &mut impl Rng) -> Vec<Array2<f64>> {
    let who = "sample_brownian_bridges";
    check(who, sigma, t_end);
    assert_eq!(x0.dim(), x1.dim(), "{who}: x0 and x1 must have the same shape, got {:?} and {:?}", x0.dim(), x1.dim());
    assert!(n_steps >= 1, "{who}: n_steps must be >= 1, got 0");
    let h = t_end / n_steps as f64;
    let mut x = x0.clone();
    let mut path = vec![x.clone()];
    for k in 0..n_steps {
        let left = t_end - k as f64 * h;
        if k + 1 == n_steps {
            x = x1.clone();
        } else {
            let sd = sigma * (h * (left - h) / left).sqrt();
            for (xi, &yi) in x.iter_mut().zip(x1.iter()) {
                let z: f64 = StandardNormal.sample(rng);
                *xi += h / left * (yi - *xi) + sd * z;
            }
        }
        path.push(x.clone());
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampled_bridge_has_the_closed_form_mean_and_variance() {
        let n = 20_000;
        let x0 = Array2::from_elem((n, 1), 1.0);
        let x1 = Array2::from_elem((n, 1), -1.0);
        let path = sample_brownian_bridges(&x0, &x1, 0.8, 2.0, 8, &mut crate::rng::seeded(5));
        for (k, snap) in path.iter().enumerate() {
            let t = 2.0 * k as f64 / 8.0;
            let (m, v) = brownian_bridge_mean_var(1.0, -1.0, 0.8, 2.0, t);
            let mean = snap.mean().unwrap();
            let var = snap.mapv(|x| (x - mean).powi(2)).mean().unwrap();
            // 5 standard errors of the mean and of the variance
            assert!((mean - m).abs() <= 5.0 * (v / n as f64).sqrt() + 1e-12, "t {t}: mean {mean} vs {m}");
            assert!((var - v).abs() <= 5.0 * v * (2.0 / n as f64).sqrt() + 1e-12, "t {t}: var {var} vs {v}");
        }
    }

    #[test]
    fn increments_are_those_of_brownian_motion_in_the_middle() {
        // Cov(X_s, X_t) = σ² s (T − t)/T for s ≤ t: check s = T/4, t = T/2.
        let n = 40_000;
        let z = Array2::zeros((n, 1));
        let path = sample_brownian_bridges(&z, &z, 1.0, 1.0, 4, &mut crate::rng::seeded(6));
        let cov = (&path[1] * &path[2]).mean().unwrap();
        // sd of the product X_s X_t is √(σ_s²σ_t² + c²) = 1/4: five standard errors
        assert!((cov - 0.25 * 0.5).abs() < 5.0 * 0.25 / (n as f64).sqrt(), "{cov}");
    }
}
