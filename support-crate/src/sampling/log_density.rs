//! Targets for samplers: a log density $\log\pi(x)$ and its gradient (the score).
//!
//! MCMC needs $\pi$ only up to a constant: Metropolis uses $\log\pi(y)-\log\pi(x)$, Langevin and
//! Hamiltonian samplers the score $\nabla\log\pi$. The course's targets:
//! $$\begin{aligned}
//! \text{correlated Gaussian:}\quad &\log\pi(x) = -\tfrac{x_1^2 - 2\rho x_1x_2 + x_2^2}{2(1-\rho^2)} + c,\\
//! \text{banana:}\quad &x_1\sim\mathcal N(0,a^2),\quad x_2\mid x_1\sim\mathcal N\big(b(x_1^2-a^2),\,1\big),\\
//! \text{bimodal:}\quad &\tfrac12\mathcal N\big((-m,0),\sigma^2 I\big)+\tfrac12\mathcal N\big((m,0),\sigma^2 I\big),
//! \end{aligned}$$
//! all with known first and second moments (`second_moments`), so that sampler output can be
//! checked against the truth.
//!
//! ## Reference
//! H. Haario, E. Saksman & J. Tamminen (1999), *Adaptive proposal distribution for random walk
//! Metropolis* (the "banana"); C. Robert & G. Casella, *Monte Carlo Statistical Methods* (2004).
//!
//! Used in notebooks/17-monte-carlo-and-mcmc.ipynb.

use std::f64::consts::PI;

/// A (possibly unnormalized) log density on $\mathbb R^{\text{dim}}$ with its gradient.
///
/// # Examples
/// ```
/// use course::sampling::{LogDensity, StandardGaussian};
/// let t = StandardGaussian { dim: 2 };
/// assert_eq!(t.dim(), 2);
/// assert!((t.log_prob(&[0.0, 0.0]) + (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
/// assert_eq!(t.grad_log_prob(&[1.0, -2.0]), vec![-1.0, 2.0]);
/// ```
pub trait LogDensity {
    /// The dimension of the state.
    fn dim(&self) -> usize;
    /// $\log\pi(x)$ (up to an additive constant for unnormalized targets).
    fn log_prob(&self, x: &[f64]) -> f64;
    /// $\nabla\log\pi(x)$, the score.
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64>;
}

/// $\mathcal N(0, I_{\text{dim}})$.
///
/// # Examples
/// ```
/// use course::sampling::{LogDensity, StandardGaussian};
/// assert!((StandardGaussian { dim: 1 }.log_prob(&[1.0]) + 0.5 + 0.5 * (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct StandardGaussian {
    /// Dimension.
    pub dim: usize,
}

impl LogDensity for StandardGaussian {
    fn dim(&self) -> usize {
        self.dim
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        -0.5 * x.iter().map(|v| v * v).sum::<f64>() - 0.5 * self.dim as f64 * (2.0 * PI).ln()
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        x.iter().map(|v| -v).collect()
    }
}

/// The 2-D Gaussian with unit variances and correlation `rho`.
///
/// # Panics
/// [`CorrelatedGaussian::new`] panics unless $|\rho| < 1$.
///
/// # Examples
/// ```
/// use course::sampling::{CorrelatedGaussian, LogDensity};
/// let t = CorrelatedGaussian::new(0.9);
/// // The score at (1, 1) points back along the diagonal: −(1, 1)/(1 + ρ).
/// let g = t.grad_log_prob(&[1.0, 1.0]);
/// assert!((g[0] + 1.0 / 1.9).abs() < 1e-12 && (g[1] + 1.0 / 1.9).abs() < 1e-12);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct CorrelatedGaussian {
    /// The correlation $\rho$ of $x_1$ and $x_2$.
    pub rho: f64,
}

impl CorrelatedGaussian {
    /// The target with correlation `rho`.
    pub fn new(rho: f64) -> Self {
        assert!(rho.abs() < 1.0, "rho must satisfy |rho| < 1, got {rho}");
        CorrelatedGaussian { rho }
    }
}

impl LogDensity for CorrelatedGaussian {
    fn dim(&self) -> usize {
        2
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        let d = 1.0 - self.rho * self.rho;
        -0.5 * (x[0] * x[0] - 2.0 * self.rho * x[0] * x[1] + x[1] * x[1]) / d - (2.0 * PI).ln() - 0.5 * d.ln()
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        let d = 1.0 - self.rho * self.rho;
        vec![-(x[0] - self.rho * x[1]) / d, -(x[1] - self.rho * x[0]) / d]
    }
}

/// The banana: $x_1\sim\mathcal N(0,a^2)$, $x_2\mid x_1\sim\mathcal N(b(x_1^2-a^2), 1)$ — a
/// Gaussian bent along a parabola.
///
/// Moments: $\mathbb E x = 0$, $\mathbb E x_1^2 = a^2$, $\mathbb E x_2^2 = 1 + 2a^4b^2$.
///
/// # Examples
/// ```
/// use course::sampling::{Banana, LogDensity};
/// let t = Banana { a: 1.0, b: 0.5 };
/// assert_eq!(t.second_moments(), [1.0, 1.5]);
/// // The ridge x₂ = b(x₁² − a²) is where the density is largest for each x₁.
/// assert!(t.log_prob(&[2.0, 1.5]) > t.log_prob(&[2.0, 0.0]));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Banana {
    /// Standard deviation of $x_1$.
    pub a: f64,
    /// Curvature of the ridge.
    pub b: f64,
}

impl Banana {
    /// $(\mathbb E x_1^2, \mathbb E x_2^2) = (a^2, 1 + 2a^4b^2)$.
    pub fn second_moments(&self) -> [f64; 2] {
        [self.a * self.a, 1.0 + 2.0 * self.a.powi(4) * self.b * self.b]
    }
}

impl LogDensity for Banana {
    fn dim(&self) -> usize {
        2
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        let r = x[1] - self.b * (x[0] * x[0] - self.a * self.a);
        -0.5 * x[0] * x[0] / (self.a * self.a) - 0.5 * r * r - (2.0 * PI * self.a).ln()
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        let r = x[1] - self.b * (x[0] * x[0] - self.a * self.a);
        vec![-x[0] / (self.a * self.a) + 2.0 * self.b * x[0] * r, -r]
    }
}

/// Two equal Gaussian bumps: $\tfrac12\mathcal N((-m,0),\sigma^2I)+\tfrac12\mathcal N((m,0),\sigma^2I)$.
///
/// Moments: $\mathbb E x = 0$, $\mathbb E x_1^2 = m^2+\sigma^2$, $\mathbb E x_2^2 = \sigma^2$.
///
/// # Examples
/// ```
/// use course::sampling::{Bimodal, LogDensity};
/// let t = Bimodal { m: 1.5, sigma: 0.6 };
/// assert!((t.second_moments()[0] - 2.61).abs() < 1e-12);
/// // By symmetry the score vanishes at the origin (a saddle between the modes).
/// assert!(t.grad_log_prob(&[0.0, 0.0]).iter().all(|g| g.abs() < 1e-15));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Bimodal {
    /// The modes sit at $(\pm m, 0)$.
    pub m: f64,
    /// Standard deviation of each bump.
    pub sigma: f64,
}

impl Bimodal {
    /// $(\mathbb E x_1^2, \mathbb E x_2^2) = (m^2+\sigma^2, \sigma^2)$.
    pub fn second_moments(&self) -> [f64; 2] {
        let s2 = self.sigma * self.sigma;
        [self.m * self.m + s2, s2]
    }

    /// Probability that $x$ came from the right bump: $1/(1+e^{-2mx_1/\sigma^2})$.
    pub fn right_responsibility(&self, x: &[f64]) -> f64 {
        1.0 / (1.0 + (-2.0 * self.m * x[0] / (self.sigma * self.sigma)).exp())
    }
}

impl LogDensity for Bimodal {
    fn dim(&self) -> usize {
        2
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        let s2 = self.sigma * self.sigma;
        let a = -0.5 * ((x[0] + self.m).powi(2) + x[1] * x[1]) / s2;
        let b = -0.5 * ((x[0] - self.m).powi(2) + x[1] * x[1]) / s2;
        let mx = a.max(b);
        mx + ((a - mx).exp() + (b - mx).exp()).ln() + 0.5f64.ln() - (2.0 * PI * s2).ln()
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        let s2 = self.sigma * self.sigma;
        let r = self.right_responsibility(x);
        let mean1 = r * self.m - (1.0 - r) * self.m; // the responsibility-weighted mode
        vec![-(x[0] - mean1) / s2, -x[1] / s2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fd_gradient_error(t: &dyn LogDensity, x: &[f64]) -> f64 {
        let g = t.grad_log_prob(x);
        let h = 1e-5;
        (0..x.len())
            .map(|i| {
                let (mut a, mut b) = (x.to_vec(), x.to_vec());
                a[i] += h;
                b[i] -= h;
                ((t.log_prob(&a) - t.log_prob(&b)) / (2.0 * h) - g[i]).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn gradients_match_central_differences() {
        let targets: Vec<Box<dyn LogDensity>> = vec![
            Box::new(StandardGaussian { dim: 3 }),
            Box::new(CorrelatedGaussian::new(0.8)),
            Box::new(Banana { a: 1.0, b: 0.5 }),
            Box::new(Bimodal { m: 1.5, sigma: 0.6 }),
        ];
        for t in &targets {
            for x in [[0.3, -1.2, 0.7], [2.1, 1.4, -0.2], [-1.0, 0.1, 0.0]] {
                let e = fd_gradient_error(t.as_ref(), &x[..t.dim()]);
                assert!(e < 1e-6, "finite-difference error {e}");
            }
        }
    }

    /// Riemann sum of exp(log_prob) and of x² on a grid: total mass 1 and the stated moments.
    #[test]
    fn densities_are_normalized_with_the_stated_moments() {
        let h = 0.02;
        let grid: Vec<f64> = (0..1500).map(|i| -12.0 + h * (i as f64 + 0.5)).collect();
        let grid2: Vec<f64> = (0..2500).map(|i| -15.0 + h * (i as f64 + 0.5)).collect();
        let ban = Banana { a: 1.0, b: 0.5 };
        let bim = Bimodal { m: 1.5, sigma: 0.6 };
        let cg = CorrelatedGaussian::new(0.6);
        for (t, m2) in [(&ban as &dyn LogDensity, ban.second_moments()), (&bim, bim.second_moments()), (&cg, [1.0, 1.0])] {
            let (mut z, mut s1, mut s2) = (0.0, 0.0, 0.0);
            for &x1 in &grid {
                for &x2 in &grid2 {
                    let p = t.log_prob(&[x1, x2]).exp() * h * h;
                    z += p;
                    s1 += p * x1 * x1;
                    s2 += p * x2 * x2;
                }
            }
            assert!((z - 1.0).abs() < 1e-6, "mass {z}");
            assert!((s1 - m2[0]).abs() < 1e-4 && (s2 - m2[1]).abs() < 1e-4, "{s1} {s2} vs {m2:?}");
        }
    }

    #[test]
    #[should_panic(expected = "|rho| < 1, got 1")]
    fn rejects_degenerate_correlation() {
        CorrelatedGaussian::new(1.0);
    }
}
