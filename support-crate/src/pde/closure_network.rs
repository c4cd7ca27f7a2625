//! A Lorenz-96 closure learned by a deep network, and the long-run statistics ("climate") that
//! compare coarse models with the truth.
//!
//! The closure $U_k\approx P_\theta(X_k)$ is an MLP (the engine's [`train_mlp`]) fitted by mean
//! squared error to the pairs $(X_k, U_k)$ of a fine simulation, inputs and targets standardized.
//! Inside a coarse RK4 step the network is evaluated millions of times, so it is **tabulated**
//! once on a fine grid and interpolated linearly ([`TabulatedClosure`]; with 4 001 nodes the
//! interpolation error is $O(h^2\max|P''|)\sim10^{-5}$, far below the closure's own error).
//! Outside the tabulated range the end values are held.
//!
//! Climate statistics of a run $X_k(t_n)$, pooled over $k$ (the system is symmetric under
//! $k\mapsto k+1$): mean, variance and the autocorrelation
//! $\rho(\ell) = \overline{(X(t+\ell) - m)(X(t) - m)}/\sigma^2$.
//!
//! ## Reference
//! S. Rasp, M. Pritchard, P. Gentine (2018), *Deep learning to represent subgrid processes in
//! climate models*, PNAS 115(39); D. J. Gagne, H. M. Christensen, A. C. Subramanian, A. H. Monahan
//! (2020), *Machine learning for stochastic parameterization: generative adversarial networks in
//! the Lorenz '96 model*, JAMES 12.
//!
//! Used in notebooks/27-deep-learning-for-pdes.ipynb.

use crate::nn::{MlpConfig, TrainConfig, train_mlp};
use ndarray::Array2;

/// A function of one variable tabulated on a uniform grid of $[lo, hi]$, interpolated linearly
/// and held constant outside.
///
/// # Examples
/// ```
/// use course::pde::TabulatedClosure;
/// let p = TabulatedClosure::from_fn(|x| x * x, -1.0, 1.0, 2001);
/// assert!((p.eval(0.3) - 0.09).abs() < 1e-6);
/// assert_eq!(p.eval(5.0), 1.0); // held at the end value
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TabulatedClosure {
    /// Left end of the grid.
    pub lo: f64,
    /// Right end of the grid.
    pub hi: f64,
    /// Values at the `n` nodes.
    pub values: Vec<f64>,
}

impl TabulatedClosure {
    /// Tabulates `f` at `n` equally spaced nodes of $[lo, hi]$.
    ///
    /// # Panics
    /// If `n < 2` or `lo >= hi`.
    pub fn from_fn(f: impl Fn(f64) -> f64, lo: f64, hi: f64, n: usize) -> Self {
        assert!(n >= 2, "TabulatedClosure::from_fn: n must be >= 2, got {n}");
        assert!(lo < hi, "TabulatedClosure::from_fn: need lo < hi, got {lo} and {hi}");
        let values = (0..n).map(|i| f(lo + (hi - lo) * i as f64 / (n - 1) as f64)).collect();
        TabulatedClosure { lo, hi, values }
    }

    /// The interpolated value at `x`.
    pub fn eval(&self, x: f64) -> f64 {
        let n = self.values.len();
        let s = ((x - self.lo) / (self.hi - self.lo) * (n - 1) as f64).clamp(0.0, (n - 1) as f64);
        let i = (s.floor() as usize).min(n - 2);
        let w = s - i as f64;
        (1.0 - w) * self.values[i] + w * self.values[i + 1]
    }
}

/// Trains an MLP closure $U\approx P_\theta(X)$ (`depth` ReLU layers of `width` units, the
/// engine's default activation; full-batch Adam, `n_steps` steps of `lr`, seed `seed`) on the
/// pairs `(x, u)`, standardized, and tabulates it on $[\min x - 2, \max x + 2]$ (4 001 nodes).
/// Returns the tabulated closure and its mean squared error on the training pairs.
///
/// # Panics
/// If `x` and `u` differ in length or have fewer than 2 entries.
///
/// # Examples
/// ```
/// use course::pde::train_network_closure;
/// let x: Vec<f64> = (0..200).map(|i| -2.0 + i as f64 / 50.0).collect();
/// let u: Vec<f64> = x.iter().map(|v| v.sin()).collect();
/// let (p, mse) = train_network_closure(&x, &u, 16, 2, 500, 0.01, 0);
/// assert!(mse < 1e-3 && (p.eval(1.0) - 1f64.sin()).abs() < 0.05);
/// ```
pub fn train_network_closure(x: &[f64], u: &[f64], width: usize, depth: usize, n_steps: usize, lr: f64, seed: u64) -> (TabulatedClosure, f64) {
    assert_eq!(x.len(), u.len(), "train_network_closure: x and u must have the same length, got {} and {}", x.len(), u.len());
    assert!(x.len() >= 2, "train_network_closure: need at least 2 pairs, got {}", x.len());
    let (mx, sx) = mean_sd(x);
    let (mu, su) = mean_sd(u);
    let xs = Array2::from_shape_fn((x.len(), 1), |(i, _)| (x[i] - mx) / sx);
    let us = Array2::from_shape_fn((u.len(), 1), |(i, _)| (u[i] - mu) / su);
    let (net, _) = train_mlp(&MlpConfig::new(1, width, depth, 1), &xs, &us, &TrainConfig::adam(n_steps, lr).with_seed(seed));
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min) - 2.0;
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 2.0;
    let n = 4001;
    let grid = Array2::from_shape_fn((n, 1), |(i, _)| (lo + (hi - lo) * i as f64 / (n - 1) as f64 - mx) / sx);
    let pred = net.predict(&grid);
    let table = TabulatedClosure { lo, hi, values: pred.column(0).iter().map(|v| mu + su * v).collect() };
    let mse = x.iter().zip(u).map(|(a, b)| (table.eval(*a) - b).powi(2)).sum::<f64>() / x.len() as f64;
    (table, mse)
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    let var = v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / v.len() as f64;
    (m, var.sqrt().max(1e-12))
}

/// Climate statistics of a run (rows = times, columns = the $K$ variables), pooled over columns.
#[derive(Clone, Debug, PartialEq)]
pub struct ClimateStats {
    /// Mean of $X$.
    pub mean: f64,
    /// Variance of $X$.
    pub variance: f64,
    /// Autocorrelation at lags $0, 1, \dots$ (in rows), $\rho(0) = 1$.
    pub acf: Vec<f64>,
}

/// Mean, variance and autocorrelation up to `max_lag` rows of the run `xs`, pooled over columns.
///
/// # Panics
/// If `xs` has no more than `max_lag` rows.
///
/// # Examples
/// ```
/// use course::pde::climate_stats;
/// // A period-4 signal 1, 0, −1, 0: mean 0, variance ½, ρ(1) = 0, ρ(2) = −1.
/// let xs = ndarray::Array2::from_shape_fn((400, 2), |(t, _)| [1.0, 0.0, -1.0, 0.0][t % 4]);
/// let c = climate_stats(&xs, 2);
/// assert!(c.mean.abs() < 1e-12 && (c.variance - 0.5).abs() < 1e-12);
/// assert!(c.acf[1].abs() < 1e-12 && (c.acf[2] + 1.0).abs() < 1e-2);
/// ```
pub fn climate_stats(xs: &Array2<f64>, max_lag: usize) -> ClimateStats {
    let (n, k) = xs.dim();
    assert!(n > max_lag, "climate_stats: xs needs more than max_lag = {max_lag} rows, got {n}");
    let mean = xs.mean().unwrap_or(0.0);
    let variance = xs.mapv(|v| (v - mean).powi(2)).mean().unwrap_or(0.0);
    let acf = (0..=max_lag)
        .map(|lag| {
            let mut acc = 0.0;
            for t in 0..n - lag {
                for c in 0..k {
                    acc += (xs[[t + lag, c]] - mean) * (xs[[t, c]] - mean);
                }
            }
            acc / ((n - lag) * k) as f64 / variance
        })
        .collect();
    ClimateStats { mean, variance, acf }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_is_exact_on_lines_and_second_order_on_curves() {
        let line = TabulatedClosure::from_fn(|x| 3.0 * x - 1.0, -2.0, 2.0, 11);
        assert!((line.eval(0.123) - (3.0 * 0.123 - 1.0)).abs() < 1e-12);
        let err = |n: usize| {
            let t = TabulatedClosure::from_fn(f64::exp, 0.0, 1.0, n);
            (0..1000).map(|i| (t.eval(i as f64 / 999.5) - (i as f64 / 999.5).exp()).abs()).fold(0.0, f64::max)
        };
        let ratio = err(11) / err(21);
        assert!(ratio > 3.5 && ratio < 4.5, "ratio {ratio}");
    }

    #[test]
    fn autocorrelation_of_an_ar1_process_is_geometric() {
        let mut rng = crate::rng::seeded(3);
        let z = crate::rng::normal_vec(&mut rng, 200_000);
        let mut x = vec![0.0; z.len()];
        for t in 1..z.len() {
            x[t] = 0.8 * x[t - 1] + z[t];
        }
        let xs = Array2::from_shape_vec((x.len(), 1), x).unwrap();
        let c = climate_stats(&xs, 3);
        assert!((c.variance - 1.0 / (1.0 - 0.64)).abs() < 0.05, "{}", c.variance);
        for lag in 1..=3 {
            assert!((c.acf[lag] - 0.8f64.powi(lag as i32)).abs() < 0.01, "lag {lag}: {}", c.acf[lag]);
        }
    }
}
