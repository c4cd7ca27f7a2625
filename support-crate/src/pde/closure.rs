//! A closure model learned from data: the two-scale Lorenz-96 system, coarse-grained.
//!
//! $K$ slow variables $X_k$, each coupled to $J$ fast ones $Y_{j,k}$ (indices cyclic):
//! $$\dot X_k = -X_{k-1}(X_{k-2} - X_{k+1}) - X_k + F - U_k,\qquad U_k = \frac{hc}{b}\sum_{j}Y_{j,k},$$
//! $$\dot Y_{j,k} = -cb\,Y_{j+1,k}(Y_{j+2,k} - Y_{j-1,k}) - cY_{j,k} + \frac{hc}{b}X_k .$$
//! A coarse model keeps only $X$ and must replace the unresolved term $U_k$ by a function of the
//! resolved state: the **closure** $U_k\approx P(X_k)$. Here $P$ is a cubic fitted by least
//! squares to pairs $(X_k, U_k)$ recorded from a fine simulation (Wilks 2005); the **truncated**
//! model drops $U_k$ altogether. Forecasts from the same true states measure which coarse model
//! is better.
//!
//! ## Reference
//! E. N. Lorenz (1996), *Predictability: a problem partly solved*; D. S. Wilks (2005), *Effects of
//! stochastic parametrizations in the Lorenz '96 system*, Q. J. R. Meteorol. Soc. 131;
//! H. M. Arnold, I. M. Moroz, T. N. Palmer (2013), Phil. Trans. R. Soc. A 371.
//!
//! Used in notebooks/26-deep-learning-for-dynamical-systems.ipynb (and, with a network closure,
//! notebooks/27-deep-learning-for-pdes.ipynb).

use ndarray::{Array1, Array2};

/// The two-scale Lorenz-96 system; see the module docs. The full state is
/// $(X_1..X_K, Y_{1,1}..Y_{J,1}, Y_{1,2}, \dots)$.
///
/// # Examples
/// ```
/// use course::pde::Lorenz96;
/// let l96 = Lorenz96::standard();
/// assert_eq!(l96.full_dim(), 8 + 8 * 32);
/// // X_k = F, Y = 0 is a fixed point of the slow equation without coupling.
/// let mut state = vec![0.0; l96.full_dim()];
/// state[..8].fill(l96.forcing);
/// let mut dx = vec![0.0; l96.full_dim()];
/// l96.full_field(&state, &mut dx);
/// assert!(dx[..8].iter().all(|v| v.abs() < 1e-12));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lorenz96 {
    /// $K$, the number of slow variables.
    pub k: usize,
    /// $J$, fast variables per slow one.
    pub j: usize,
    /// The forcing $F$.
    pub forcing: f64,
    /// The coupling $h$.
    pub h: f64,
    /// The time-scale ratio $c$.
    pub c: f64,
    /// The amplitude ratio $b$.
    pub b: f64,
}

/// A fine simulation: the slow variables, the coupling terms and the final full state.
#[derive(Clone, Debug, PartialEq)]
pub struct FineRun {
    /// $X$ at the recorded times, one row per time (`n_records × K`).
    pub x: Array2<f64>,
    /// $U$ at the same times.
    pub u: Array2<f64>,
    /// The full state at the end.
    pub last: Vec<f64>,
}

impl Lorenz96 {
    /// $K = 8$, $J = 32$, $F = 20$, $h = 1$, $c = b = 10$ (Arnold et al. 2013).
    pub fn standard() -> Self {
        Lorenz96 { k: 8, j: 32, forcing: 20.0, h: 1.0, c: 10.0, b: 10.0 }
    }

    /// $K(1 + J)$.
    pub fn full_dim(&self) -> usize {
        self.k * (1 + self.j)
    }

    /// The resolved tendency $-X_{k-1}(X_{k-2} - X_{k+1}) - X_k + F$ of every slow variable.
    fn slow_tendency(&self, x: &[f64], out: &mut [f64]) {
        let k = self.k;
        for i in 0..k {
            let (m1, m2, p1) = (x[(i + k - 1) % k], x[(i + k - 2) % k], x[(i + 1) % k]);
            out[i] = -m1 * (m2 - p1) - x[i] + self.forcing;
        }
    }

    /// The coupling terms $U_k = \frac{hc}{b}\sum_jY_{j,k}$ of a full state.
    pub fn coupling(&self, state: &[f64]) -> Vec<f64> {
        let coef = self.h * self.c / self.b;
        (0..self.k).map(|i| coef * state[self.k + i * self.j..self.k + (i + 1) * self.j].iter().sum::<f64>()).collect()
    }

    /// The full vector field.
    ///
    /// # Panics
    /// If `state` or `out` do not have `full_dim()` entries.
    pub fn full_field(&self, state: &[f64], out: &mut [f64]) {
        let (k, n) = (self.k, self.k * self.j);
        assert_eq!(state.len(), self.full_dim(), "Lorenz96::full_field: state must have {} entries, got {}", self.full_dim(), state.len());
        assert_eq!(out.len(), self.full_dim(), "Lorenz96::full_field: out must have {} entries, got {}", self.full_dim(), out.len());
        self.slow_tendency(&state[..k], &mut out[..k]);
        let u = self.coupling(state);
        for i in 0..k {
            out[i] -= u[i];
        }
        let y = &state[k..];
        let coef = self.h * self.c / self.b;
        let cb = self.c * self.b;
        for m in 0..n {
            let (p1, p2, m1) = (y[(m + 1) % n], y[(m + 2) % n], y[(m + n - 1) % n]);
            out[k + m] = -cb * p1 * (p2 - m1) - self.c * y[m] + coef * state[m / self.j];
        }
    }

    fn rk4(&self, state: &mut [f64], dt: f64, field: &dyn Fn(&[f64], &mut [f64])) {
        let n = state.len();
        let (mut k1, mut k2, mut k3, mut k4) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let mut tmp = vec![0.0; n];
        field(state, &mut k1);
        for i in 0..n {
            tmp[i] = state[i] + 0.5 * dt * k1[i];
        }
        field(&tmp, &mut k2);
        for i in 0..n {
            tmp[i] = state[i] + 0.5 * dt * k2[i];
        }
        field(&tmp, &mut k3);
        for i in 0..n {
            tmp[i] = state[i] + dt * k3[i];
        }
        field(&tmp, &mut k4);
        for i in 0..n {
            state[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }

    /// A state on the attractor: $X$ and $Y$ drawn at random (seed `seed`) and integrated for 10
    /// time units with RK4 step `dt`.
    ///
    /// # Panics
    /// If `dt` is not in $(0, 0.01]$ (the fast scale needs small steps).
    pub fn attractor_state(&self, seed: u64, dt: f64) -> Vec<f64> {
        check_dt("attractor_state", dt);
        let mut rng = crate::rng::seeded(seed);
        let mut state = crate::rng::uniform_vec(&mut rng, self.full_dim(), -1.0, 1.0);
        for v in state.iter_mut().take(self.k) {
            *v *= 10.0;
        }
        for v in state.iter_mut().skip(self.k) {
            *v *= 0.5;
        }
        let n = (10.0 / dt).round() as usize;
        self.integrate_full(&state, dt, n, n).last
    }

    /// Integrates the full system with RK4 for `n_steps` steps of `dt`, recording $X$ and $U$ every
    /// `every` steps (including the start).
    ///
    /// # Panics
    /// If `dt` is not in $(0, 0.01]$, `every == 0` or `state0` has the wrong length.
    ///
    /// # Examples
    /// ```
    /// use course::pde::Lorenz96;
    /// let l96 = Lorenz96 { j: 4, ..Lorenz96::standard() };
    /// let s = vec![0.1; l96.full_dim()];
    /// let run = l96.integrate_full(&s, 0.005, 100, 10);
    /// assert_eq!(run.x.nrows(), 11);
    /// assert!((run.u[[0, 0]] - 1.0 * 10.0 / 10.0 * 0.4).abs() < 1e-12); // (hc/b) Σ_j Y
    /// ```
    pub fn integrate_full(&self, state0: &[f64], dt: f64, n_steps: usize, every: usize) -> FineRun {
        check_dt("integrate_full", dt);
        assert!(every > 0, "Lorenz96::integrate_full: every must be > 0, got 0");
        assert_eq!(state0.len(), self.full_dim(), "Lorenz96::integrate_full: state0 must have {} entries, got {}", self.full_dim(), state0.len());
        let n_rec = n_steps / every + 1;
        let (mut xs, mut us) = (Array2::zeros((n_rec, self.k)), Array2::zeros((n_rec, self.k)));
        let mut state = state0.to_vec();
        let field = |s: &[f64], out: &mut [f64]| self.full_field(s, out);
        for step in 0..=n_steps {
            if step % every == 0 && step / every < n_rec {
                let r = step / every;
                xs.row_mut(r).assign(&Array1::from(state[..self.k].to_vec()));
                us.row_mut(r).assign(&Array1::from(self.coupling(&state)));
            }
            if step < n_steps {
                self.rk4(&mut state, dt, &field);
            }
        }
        FineRun { x: xs, u: us, last: state }
    }

    /// Integrates the coarse model $\dot X_k = -X_{k-1}(X_{k-2} - X_{k+1}) - X_k + F - P(X_k)$ with the
    /// polynomial `closure` ($P(x) = \sum_p c_px^p$; empty = truncated model, $P = 0$); returns
    /// `(n_steps + 1) × K`.
    ///
    /// # Panics
    /// If `x0.len() != K` or `dt <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::Lorenz96;
    /// let l96 = Lorenz96::standard();
    /// // With the closure P ≡ F the coarse model has the fixed point X = 0.
    /// let xs = l96.integrate_coarse(&[0.0; 8], &[20.0], 0.01, 50);
    /// assert!(xs.row(50).iter().all(|v| v.abs() < 1e-12));
    /// ```
    pub fn integrate_coarse(&self, x0: &[f64], closure: &[f64], dt: f64, n_steps: usize) -> Array2<f64> {
        self.integrate_coarse_with(x0, &|x| polynomial(closure, x), dt, n_steps)
    }

    /// As [`integrate_coarse`](Self::integrate_coarse) with any closure $P$ (e.g. a network).
    ///
    /// # Panics
    /// If `x0.len() != K` or `dt <= 0`.
    ///
    /// # Examples
    /// ```
    /// use course::pde::Lorenz96;
    /// let l96 = Lorenz96::standard();
    /// let a = l96.integrate_coarse(&[1.0; 8], &[0.5, 0.1], 0.01, 20);
    /// let b = l96.integrate_coarse_with(&[1.0; 8], &|x| 0.5 + 0.1 * x, 0.01, 20);
    /// assert!((&a - &b).iter().all(|v| v.abs() < 1e-12));
    /// ```
    pub fn integrate_coarse_with(&self, x0: &[f64], closure: &dyn Fn(f64) -> f64, dt: f64, n_steps: usize) -> Array2<f64> {
        assert_eq!(x0.len(), self.k, "Lorenz96::integrate_coarse: x0 must have K = {} entries, got {}", self.k, x0.len());
        assert!(dt.is_finite() && dt > 0.0, "Lorenz96::integrate_coarse: dt must be > 0, got {dt}");
        let field = |x: &[f64], out: &mut [f64]| {
            self.slow_tendency(x, out);
            for i in 0..self.k {
                out[i] -= closure(x[i]);
            }
        };
        let mut out = Array2::zeros((n_steps + 1, self.k));
        let mut x = x0.to_vec();
        out.row_mut(0).assign(&Array1::from(x.clone()));
        for s in 1..=n_steps {
            self.rk4(&mut x, dt, &field);
            out.row_mut(s).assign(&Array1::from(x.clone()));
        }
        out
    }

    /// Root-mean-square error of the coarse model's $X$ after `lead_time`, against the full system,
    /// averaged over `n_forecasts` true states taken 1 time unit apart along an attractor run from
    /// seed `seed` (fine step `dt`, the coarse model uses the same step).
    ///
    /// # Panics
    /// As [`integrate_full`](Self::integrate_full), or if `lead_time <= 0` or `n_forecasts == 0`.
    pub fn forecast_rmse(&self, closure: &[f64], lead_time: f64, n_forecasts: usize, dt: f64, seed: u64) -> f64 {
        self.forecast_rmse_with(&|x| polynomial(closure, x), lead_time, n_forecasts, dt, seed)
    }

    /// As [`forecast_rmse`](Self::forecast_rmse) with any closure $P$.
    ///
    /// # Panics
    /// As [`forecast_rmse`](Self::forecast_rmse).
    ///
    /// # Examples
    /// ```
    /// use course::pde::Lorenz96;
    /// let l96 = Lorenz96 { j: 4, ..Lorenz96::standard() };
    /// let a = l96.forecast_rmse(&[0.3, 0.2], 0.05, 2, 0.005, 1);
    /// let b = l96.forecast_rmse_with(&|x| 0.3 + 0.2 * x, 0.05, 2, 0.005, 1);
    /// assert!((a - b).abs() < 1e-12);
    /// ```
    pub fn forecast_rmse_with(&self, closure: &dyn Fn(f64) -> f64, lead_time: f64, n_forecasts: usize, dt: f64, seed: u64) -> f64 {
        assert!(lead_time > 0.0, "Lorenz96::forecast_rmse: lead_time must be > 0, got {lead_time}");
        assert!(n_forecasts > 0, "Lorenz96::forecast_rmse: n_forecasts must be > 0, got 0");
        let mut state = self.attractor_state(seed, dt);
        let n_lead = (lead_time / dt).round() as usize;
        let n_gap = (1.0 / dt).round() as usize;
        let mut sq = 0.0;
        for _ in 0..n_forecasts {
            let truth = self.integrate_full(&state, dt, n_lead, n_lead);
            let coarse = self.integrate_coarse_with(&state[..self.k], closure, dt, n_lead);
            sq += (0..self.k).map(|i| (truth.x[[1, i]] - coarse[[n_lead, i]]).powi(2)).sum::<f64>() / self.k as f64;
            state = self.integrate_full(&state, dt, n_gap, n_gap).last;
        }
        (sq / n_forecasts as f64).sqrt()
    }
}

fn check_dt(who: &str, dt: f64) {
    assert!(dt.is_finite() && dt > 0.0 && dt <= 0.01, "Lorenz96::{who}: dt must lie in (0, 0.01] (the fast variables are stiff), got {dt}");
}

/// $P(x) = \sum_p c_px^p$ (Horner).
///
/// # Examples
/// ```
/// assert_eq!(course::pde::polynomial(&[1.0, 2.0, 3.0], 2.0), 17.0);
/// ```
pub fn polynomial(coeffs: &[f64], x: f64) -> f64 {
    coeffs.iter().rev().fold(0.0, |acc, c| acc * x + c)
}

/// Least-squares polynomial of degree `degree` through the pairs $(x_i, u_i)$: the closure
/// $P(x)\approx\mathbb E[U\mid X = x]$. Returns the coefficients $c_0..c_{\rm degree}$.
///
/// # Panics
/// If the lengths differ or there are not more points than coefficients.
///
/// # Examples
/// ```
/// use course::pde::fit_closure;
/// let x: Vec<f64> = (0..20).map(|i| i as f64 / 4.0 - 2.0).collect();
/// let u: Vec<f64> = x.iter().map(|v| 1.0 - 0.5 * v + 0.25 * v * v * v).collect();
/// let c = fit_closure(&x, &u, 3);
/// assert!((c[0] - 1.0).abs() < 1e-9 && (c[3] - 0.25).abs() < 1e-9);
/// ```
pub fn fit_closure(x: &[f64], u: &[f64], degree: usize) -> Vec<f64> {
    assert_eq!(x.len(), u.len(), "fit_closure: x and u must have the same length, got {} and {}", x.len(), u.len());
    assert!(x.len() > degree + 1, "fit_closure: need more than degree + 1 = {} points, got {}", degree + 1, x.len());
    // Scale x to [-1, 1]-ish for conditioning, fit, then expand back.
    let s = x.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-12);
    let v = Array2::from_shape_fn((x.len(), degree + 1), |(i, p)| (x[i] / s).powi(p as i32));
    let coef = crate::learning::lstsq_qr(&v, &Array1::from(u.to_vec())).expect("Vandermonde matrix of distinct points has full rank");
    (0..=degree).map(|p| coef[p] / s.powi(p as i32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rk4_step_converges_at_fourth_order_on_the_full_system() {
        let l96 = Lorenz96 { j: 8, ..Lorenz96::standard() };
        let s0 = l96.attractor_state(1, 0.005);
        let end = |dt: f64| l96.integrate_full(&s0, dt, (0.2 / dt).round() as usize, 1_000_000).last;
        let (a, b, c) = (end(0.004), end(0.002), end(0.001));
        let err = |p: &[f64], q: &[f64]| p.iter().zip(q).map(|(u, v)| (u - v).abs()).fold(0.0, f64::max);
        let ratio = err(&a, &c) / err(&b, &c);
        // (h^4 - (h/4)^4) / ((h/2)^4 - (h/4)^4) = 17 for a fourth-order method.
        assert!(ratio > 10.0 && ratio < 25.0, "ratio {ratio}");
    }

    #[test]
    fn learned_closure_beats_truncation_on_three_seeds() {
        let l96 = Lorenz96::standard();
        let dt = 0.005;
        let run = l96.integrate_full(&l96.attractor_state(0, dt), dt, 4000, 10);
        let c = fit_closure(&run.x.iter().copied().collect::<Vec<_>>(), &run.u.iter().copied().collect::<Vec<_>>(), 3);
        for seed in 1..4 {
            let closed = l96.forecast_rmse(&c, 0.5, 10, dt, seed);
            let truncated = l96.forecast_rmse(&[], 0.5, 10, dt, seed);
            assert!(truncated > 3.0 * closed, "seed {seed}: {closed} vs {truncated}");
        }
    }
}
