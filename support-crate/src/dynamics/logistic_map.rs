//! The logistic map: period doubling and chaos in one line.
//!
//! $$x_{n+1} = r\,x_n(1 - x_n),\qquad x_n\in[0, 1],\ r\in[0, 4].$$
//! The fixed point $x^\* = 1 - 1/r$ has multiplier $f'(x^\*) = 2 - r$: it is stable for
//! $1 < r < 3$ and loses stability at $r = 3$, where a stable 2-cycle is born (the first
//! period doubling). Further doublings at $r_2 = 1 + \sqrt6 \approx 3.4495$, $r_3 \approx 3.5441$,
//! … accumulate at $r_\infty\approx 3.5699$ with ratios tending to Feigenbaum's $\delta\approx 4.669$;
//! beyond lies chaos with periodic windows (period 3 near $r = 3.83$). The Lyapunov exponent of
//! the map, $\lambda = \lim \frac1n\sum_k \ln|f'(x_k)| = \lim\frac1n\sum_k\ln|r(1-2x_k)|$, is
//! negative on stable cycles and positive in chaos; at $r = 4$ it equals $\ln 2$ exactly.
//!
//! ## Reference
//! R. May (1976), *Simple mathematical models with very complicated dynamics*, Nature 261;
//! S. Strogatz, *Nonlinear Dynamics and Chaos* (2015), §10.2–10.5; M. Feigenbaum (1978).
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

/// One step $r x(1 - x)$.
///
/// # Examples
/// ```
/// assert_eq!(course::dynamics::logistic(4.0, 0.5), 1.0);
/// ```
pub fn logistic(r: f64, x: f64) -> f64 {
    r * x * (1.0 - x)
}

fn check_r_x0(what: &str, r: f64, x0: f64) {
    assert!((0.0..=4.0).contains(&r), "{what}: r must be in [0, 4] (so that [0, 1] maps into itself), got {r}");
    assert!((0.0..=1.0).contains(&x0), "{what}: x0 must be in [0, 1], got {x0}");
}

/// The orbit $x_0, x_1, \dots, x_{n}$ ($n + 1$ values).
///
/// # Panics
/// Unless `r` is in [0, 4] and `x0` in [0, 1].
///
/// # Examples
/// ```
/// let orbit = course::dynamics::logistic_orbit(2.0, 0.25, 2);
/// assert_eq!(orbit, vec![0.25, 0.375, 0.46875]);
/// ```
pub fn logistic_orbit(r: f64, x0: f64, n: usize) -> Vec<f64> {
    check_r_x0("logistic_orbit", r, x0);
    let mut orbit = Vec::with_capacity(n + 1);
    let mut x = x0;
    orbit.push(x);
    for _ in 0..n {
        x = logistic(r, x);
        orbit.push(x);
    }
    orbit
}

/// The points of the bifurcation diagram: for each `r` in `r_values`, iterate from `x0`,
/// discard `n_transient` iterates and keep the next `n_keep`, merging values closer than
/// $10^{-3}$ (a periodic orbit of period $p$ then contributes $p$ points, not `n_keep`).
/// Returns the scatter coordinates `(rs, xs)`.
///
/// # Panics
/// Unless every `r` is in [0, 4] and `x0` in [0, 1].
///
/// # Examples
/// ```
/// // r = 2.5: one stable fixed point 1 − 1/r = 0.6; r = 3.2: a 2-cycle.
/// let (rs, xs) = course::dynamics::bifurcation_diagram(&[2.5, 3.2], 0.3, 1000, 50);
/// assert_eq!(rs, vec![2.5, 3.2, 3.2]);
/// assert!((xs[0] - 0.6).abs() < 1e-9);
/// ```
pub fn bifurcation_diagram(r_values: &[f64], x0: f64, n_transient: usize, n_keep: usize) -> (Vec<f64>, Vec<f64>) {
    let (mut rs, mut xs) = (Vec::new(), Vec::new());
    for &r in r_values {
        check_r_x0("bifurcation_diagram", r, x0);
        let mut x = x0;
        for _ in 0..n_transient {
            x = logistic(r, x);
        }
        let mut kept = Vec::with_capacity(n_keep);
        for _ in 0..n_keep {
            x = logistic(r, x);
            kept.push(x);
        }
        kept.sort_by(f64::total_cmp);
        kept.dedup_by(|a, b| (*a - *b).abs() < 1e-3);
        rs.extend(std::iter::repeat_n(r, kept.len()));
        xs.extend(kept);
    }
    (rs, xs)
}

/// The period of the attracting cycle at `r`: after `n_transient` iterates from `x0`, the
/// smallest $p \le$ `max_period` with $|f^p(x) - x| <$ `tol` at the current iterate and at the
/// `2 * max_period` iterates after it; `None` if there is none (chaos, or a longer period, or
/// not yet converged).
///
/// # Panics
/// Unless `r` is in [0, 4], `x0` in [0, 1], `max_period >= 1` and `tol > 0`.
///
/// # Examples
/// ```
/// use course::dynamics::attractor_period;
/// assert_eq!(attractor_period(2.8, 0.3, 10_000, 64, 1e-9), Some(1));
/// assert_eq!(attractor_period(3.2, 0.3, 10_000, 64, 1e-9), Some(2));
/// assert_eq!(attractor_period(3.5, 0.3, 10_000, 64, 1e-9), Some(4));
/// assert_eq!(attractor_period(3.83, 0.3, 10_000, 64, 1e-9), Some(3)); // the period-3 window
/// assert_eq!(attractor_period(3.9, 0.3, 10_000, 64, 1e-9), None);     // chaos
/// ```
pub fn attractor_period(r: f64, x0: f64, n_transient: usize, max_period: usize, tol: f64) -> Option<usize> {
    check_r_x0("attractor_period", r, x0);
    assert!(max_period >= 1, "attractor_period: max_period must be >= 1, got 0");
    assert!(tol > 0.0, "attractor_period: tol must be > 0, got {tol}");
    let mut x = x0;
    for _ in 0..n_transient {
        x = logistic(r, x);
    }
    let orbit = logistic_orbit(r, x, 3 * max_period);
    (1..=max_period).find(|&p| (0..=2 * max_period).all(|k| (orbit[k + p] - orbit[k]).abs() < tol))
}

/// The Lyapunov exponent of the map, $\frac1n\sum_{k}\ln|r(1 - 2x_k)|$ over `n` iterates
/// after `n_transient`.
///
/// # Panics
/// Unless `r` is in [0, 4], `x0` in [0, 1] and `n >= 1`.
///
/// # Examples
/// ```
/// // r = 2.5: the orbit settles at x* = 0.6 and λ = ln|2 − r| = ln 0.5.
/// let lam = course::dynamics::logistic_lyapunov(2.5, 0.3, 1000, 1000);
/// assert!((lam - 0.5f64.ln()).abs() < 1e-9);
/// ```
pub fn logistic_lyapunov(r: f64, x0: f64, n_transient: usize, n: usize) -> f64 {
    check_r_x0("logistic_lyapunov", r, x0);
    assert!(n >= 1, "logistic_lyapunov: n must be >= 1, got 0");
    let mut x = x0;
    for _ in 0..n_transient {
        x = logistic(r, x);
    }
    let mut sum = 0.0;
    for _ in 0..n {
        sum += (r * (1.0 - 2.0 * x)).abs().max(f64::MIN_POSITIVE).ln();
        x = logistic(r, x);
    }
    sum / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lyapunov_at_r_4_is_ln_2() {
        // Oracle: conjugacy to the tent map x = sin²(πθ/2) gives λ = ln 2 exactly. The average over
        // 10⁶ iterates has a standard error of about π/√(12 n) ≈ 1e-3.
        let lam = logistic_lyapunov(4.0, 0.1234, 100, 1_000_000);
        assert!((lam - 2f64.ln()).abs() < 5e-3, "{lam}");
    }

    #[test]
    fn fixed_point_multiplier_oracle_below_the_first_doubling() {
        // λ = ln|2 − r| on the stable fixed point (1 < r < 3).
        for r in [1.5f64, 2.2, 2.9] {
            let lam = logistic_lyapunov(r, 0.4, 20_000, 1000);
            assert!((lam - (2.0 - r).abs().ln()).abs() < 1e-6, "r = {r}: {lam}");
        }
    }

    #[test]
    fn two_cycle_matches_its_closed_form() {
        // The 2-cycle solves r²x² − r(r+1)x + (r+1) = 0: x± = ((r+1) ± √((r+1)(r−3)))/(2r).
        let r: f64 = 3.3;
        let x_plus = ((r + 1.0) + ((r + 1.0) * (r - 3.0)).sqrt()) / (2.0 * r);
        let (_, xs) = bifurcation_diagram(&[r], 0.3, 5000, 20);
        assert_eq!(xs.len(), 2);
        assert!((xs[1] - x_plus).abs() < 1e-9);
        // Its multiplier r²(1 − 2x₊)(1 − 2x₋) = −r² + 2r + 4 gives λ = ½ ln|·|.
        let lam = logistic_lyapunov(r, 0.3, 5000, 10_000);
        assert!((lam - 0.5 * (-r * r + 2.0 * r + 4.0).abs().ln()).abs() < 1e-6);
    }

    #[test]
    fn second_doubling_is_at_one_plus_root_six() {
        let r2 = 1.0 + 6f64.sqrt();
        assert_eq!(attractor_period(r2 - 0.01, 0.3, 200_000, 16, 1e-7), Some(2));
        assert_eq!(attractor_period(r2 + 0.01, 0.3, 200_000, 16, 1e-7), Some(4));
    }

    #[test]
    #[should_panic(expected = "r must be in [0, 4]")]
    fn r_outside_range_is_rejected() {
        logistic_orbit(4.5, 0.2, 3);
    }
}
