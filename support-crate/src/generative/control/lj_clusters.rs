//! Small Lennard-Jones-like clusters in the plane: a nonlinear pair potential and its Boltzmann law.
//!
//! $N$ particles $x_1,\dots,x_N\in\mathbb R^2$ interact through a soft-cored Lennard-Jones pair
//! energy, written as a function of the squared distance $s = \lvert x_i - x_j\rvert^2$, plus a weak
//! harmonic trap about the centre of mass (which keeps the cluster from evaporating):
//! $$U(x) = \sum_{i<j} w(s_{ij}),\qquad w(s) = 4\epsilon\big(q^6 - q^3\big) + \frac{\kappa}{2N}\,s,\qquad
//! q = \frac{\sigma^2}{s + a^2}.$$
//! (The trap term is $\tfrac\kappa2\sum_i\lvert x_i - \bar x\rvert^2 = \tfrac{\kappa}{2N}\sum_{i<j}s_{ij}$.)
//! The softening $a$ makes $w(0)$ finite so that Langevin proposals that overlap two particles are
//! rejected rather than overflow. $U$ depends only on distances, so it is invariant under rotations,
//! reflections, translations and relabellings, and so is the Boltzmann law $\pi \propto e^{-U/kT}$.
//! The force is a sum of pairwise messages,
//! $$-\nabla_{x_i}U = \sum_{j\ne i}(x_i - x_j)\,\big(-2\,w'(s_{ij})\big),$$
//! exactly the form of an E(n)-equivariant message-passing update. Samples of $\pi$ come from MALA
//! (`course::sampling::mala`); $U$ is flat along the centre of mass, which the chain leaves alone
//! (its drift there is 0 and the proposal is symmetric), and the samples are centred afterwards.
//!
//! ## Reference
//! M. Xu et al. (2022), *GeoDiff*, ICLR (equivariant diffusion of conformations);
//! D. J. Wales (2003), *Energy Landscapes*, ch. 6 (Lennard-Jones clusters);
//! J. Köhler, L. Klein & F. Noé (2020), *Equivariant flows*, ICML (the LJ cluster benchmark).
//!
//! Used in notebooks/35-stochastic-control-and-sampling.ipynb.

use crate::generative::control::center_clouds;
use crate::sampling::{LogDensity, mala};
use ndarray::Array2;
use rand::Rng;

/// A soft-cored Lennard-Jones cluster of `n_points` particles in the plane at temperature `kt`.
#[derive(Clone, Debug, PartialEq)]
pub struct LjCluster {
    /// $N$, the number of particles.
    pub n_points: usize,
    /// $\epsilon$, the well depth.
    pub epsilon: f64,
    /// $\sigma$, the length scale.
    pub sigma: f64,
    /// $a$, the softening length.
    pub softening: f64,
    /// $\kappa$, the stiffness of the trap about the centre of mass.
    pub kappa: f64,
    /// $kT$, the temperature.
    pub kt: f64,
}

impl LjCluster {
    /// $\epsilon = \sigma = 1$, softening $a = 0.7$, trap $\kappa = 0.5$, at temperature `kt`.
    ///
    /// # Panics
    /// If `n_points < 2` or `kt <= 0`.
    ///
    /// # Examples
    /// ```
    /// let c = course::generative::control::LjCluster::new(5, 0.3);
    /// assert_eq!((c.n_points, c.epsilon, c.softening), (5, 1.0, 0.7));
    /// ```
    pub fn new(n_points: usize, kt: f64) -> Self {
        assert!(n_points >= 2, "LjCluster::new: n_points must be ≥ 2, got {n_points}");
        assert!(kt > 0.0, "LjCluster::new: kt must be > 0, got {kt}");
        LjCluster { n_points, epsilon: 1.0, sigma: 1.0, softening: 0.7, kappa: 0.5, kt }
    }

    /// The pair energy $w(s)$ of two particles at squared distance `s`.
    ///
    /// # Examples
    /// ```
    /// let c = course::generative::control::LjCluster { n_points: 2, epsilon: 1.0, sigma: 1.0, softening: 0.0, kappa: 0.0, kt: 1.0 };
    /// // plain LJ: w = 0 at r = σ and w = −ε at r = 2^{1/6}σ
    /// assert!(c.pair_energy(1.0).abs() < 1e-15);
    /// assert!((c.pair_energy(2f64.powf(1.0 / 3.0)) + 1.0).abs() < 1e-12);
    /// ```
    pub fn pair_energy(&self, s: f64) -> f64 {
        let q = self.sigma * self.sigma / (s + self.softening * self.softening);
        let q3 = q * q * q;
        4.0 * self.epsilon * (q3 * q3 - q3) + self.kappa * s / (2.0 * self.n_points as f64)
    }

    /// $w'(s)$, the derivative of the pair energy in the squared distance.
    ///
    /// # Examples
    /// ```
    /// let c = course::generative::control::LjCluster::new(4, 1.0);
    /// let (s, h) = (1.3, 1e-6);
    /// let fd = (c.pair_energy(s + h) - c.pair_energy(s - h)) / (2.0 * h);
    /// assert!((c.pair_energy_derivative(s) - fd).abs() < 1e-7);
    /// ```
    pub fn pair_energy_derivative(&self, s: f64) -> f64 {
        let d = s + self.softening * self.softening;
        let q = self.sigma * self.sigma / d;
        let q3 = q * q * q;
        4.0 * self.epsilon * (-6.0 * q3 * q3 + 3.0 * q3) / d + self.kappa / (2.0 * self.n_points as f64)
    }

    /// $w''(s)$, the second derivative of the pair energy in the squared distance.
    ///
    /// # Examples
    /// ```
    /// let c = course::generative::control::LjCluster::new(4, 1.0);
    /// let (s, h) = (0.9, 1e-5);
    /// let fd = (c.pair_energy_derivative(s + h) - c.pair_energy_derivative(s - h)) / (2.0 * h);
    /// assert!((c.pair_energy_second_derivative(s) - fd).abs() < 1e-5);
    /// ```
    pub fn pair_energy_second_derivative(&self, s: f64) -> f64 {
        let d = s + self.softening * self.softening;
        let q = self.sigma * self.sigma / d;
        let q3 = q * q * q;
        4.0 * self.epsilon * (42.0 * q3 * q3 - 12.0 * q3) / (d * d)
    }

    fn check_len(&self, who: &str, x: &[f64]) {
        assert_eq!(x.len(), 2 * self.n_points, "{who}: a cloud of {} points has {} coordinates, got {}", self.n_points, 2 * self.n_points, x.len());
    }

    /// $U(x)$ of one cloud $[x_1, y_1, \dots, x_N, y_N]$.
    ///
    /// # Panics
    /// If `x.len() != 2 * n_points`.
    ///
    /// # Examples
    /// ```
    /// let c = course::generative::control::LjCluster::new(2, 1.0);
    /// let x = [0.0, 0.0, 1.2, 0.0];
    /// assert_eq!(c.energy(&x), c.pair_energy(1.44));
    /// ```
    pub fn energy(&self, x: &[f64]) -> f64 {
        self.check_len("LjCluster::energy", x);
        let n = self.n_points;
        let mut u = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
                u += self.pair_energy(dx * dx + dy * dy);
            }
        }
        u
    }

    /// The forces $-\nabla U(x)$, as pairwise messages $\sum_j (x_i - x_j)(-2w'(s_{ij}))$.
    ///
    /// # Panics
    /// If `x.len() != 2 * n_points`.
    ///
    /// # Examples
    /// ```
    /// let c = course::generative::control::LjCluster::new(3, 1.0);
    /// let f = c.forces(&[0.0, 0.0, 1.1, 0.2, -0.3, 0.9]);
    /// // internal forces sum to zero (Newton's third law)
    /// assert!((f[0] + f[2] + f[4]).abs() < 1e-12 && (f[1] + f[3] + f[5]).abs() < 1e-12);
    /// ```
    pub fn forces(&self, x: &[f64]) -> Vec<f64> {
        self.check_len("LjCluster::forces", x);
        let n = self.n_points;
        let mut f = vec![0.0; 2 * n];
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
                let phi = -2.0 * self.pair_energy_derivative(dx * dx + dy * dy);
                f[2 * i] += dx * phi;
                f[2 * i + 1] += dy * phi;
                f[2 * j] -= dx * phi;
                f[2 * j + 1] -= dy * phi;
            }
        }
        f
    }

    /// The Laplacian $\Delta U(x) = \sum_{i<j} 2\big(4w'(s_{ij}) + 4s_{ij}\,w''(s_{ij})\big)$ (in the plane,
    /// $\Delta_{x_i} w(\lvert x_i - x_j\rvert^2) = 4w' + 4sw''$, and both ends of a pair count).
    /// With the forces it gives the configurational temperature: for $x\sim\pi\propto e^{-U/kT}$,
    /// integration by parts gives $\mathbb E\lvert\nabla U\rvert^2 = kT\,\mathbb E[\Delta U]$.
    ///
    /// # Panics
    /// If `x.len() != 2 * n_points`.
    ///
    /// # Examples
    /// ```
    /// // only the trap: U = κ/2 Σ|x_i − x̄|², whose Laplacian is κ(N − 1)·2 in the plane
    /// let c = course::generative::control::LjCluster { epsilon: 0.0, kappa: 0.5, ..course::generative::control::LjCluster::new(3, 1.0) };
    /// assert!((c.laplacian(&[0.3, 0.1, -1.0, 2.0, 0.5, 0.5]) - 0.5 * 2.0 * 2.0).abs() < 1e-12);
    /// ```
    pub fn laplacian(&self, x: &[f64]) -> f64 {
        self.check_len("LjCluster::laplacian", x);
        let n = self.n_points;
        let mut lap = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
                let s = dx * dx + dy * dy;
                lap += 8.0 * (self.pair_energy_derivative(s) + s * self.pair_energy_second_derivative(s));
            }
        }
        lap
    }

    /// The configurational temperature $\sum_b\lvert\nabla U(x_b)\rvert^2/\sum_b\Delta U(x_b)$ of the clouds
    /// (rows of `x`): it estimates $kT$ when the clouds are drawn from $\pi$.
    ///
    /// # Panics
    /// If the rows do not have `2 * n_points` columns.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::LjCluster;
    /// let c = LjCluster::new(3, 0.4);
    /// let (x, _) = c.sample_mcmc(2000, 4, 0.003, 1000, 20, &mut course::rng::seeded(0));
    /// assert!((c.configurational_temperature(&x) - 0.4).abs() < 0.04);
    /// ```
    pub fn configurational_temperature(&self, x: &Array2<f64>) -> f64 {
        let (mut g2, mut lap) = (0.0, 0.0);
        for r in x.rows() {
            let v = r.to_vec();
            g2 += self.forces(&v).iter().map(|f| f * f).sum::<f64>();
            lap += self.laplacian(&v);
        }
        g2 / lap
    }

    /// $U$ of every row of `x`.
    ///
    /// # Panics
    /// If the rows do not have `2 * n_points` columns.
    ///
    /// # Examples
    /// ```
    /// use course::ndarray::array;
    /// let c = course::generative::control::LjCluster::new(2, 1.0);
    /// let u = c.energies(&array![[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 2.0]]);
    /// assert_eq!(u, vec![c.pair_energy(1.0), c.pair_energy(4.0)]);
    /// ```
    pub fn energies(&self, x: &Array2<f64>) -> Vec<f64> {
        x.rows().into_iter().map(|r| self.energy(&r.to_vec())).collect()
    }

    /// `n_chains` MALA chains with step `step`, each started from the particles on a circle of
    /// radius $0.6\sqrt N$ (jittered), run for `n_burn` steps and then kept every `thin`-th step
    /// until it has given `n_samples / n_chains` clouds; the clouds are centred. Returns the
    /// `n_samples × 2N` clouds and the mean acceptance rate.
    ///
    /// # Panics
    /// If `n_chains == 0`, `thin == 0`, `step <= 0`, or `n_samples` is not a multiple of `n_chains`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::control::LjCluster;
    /// let c = LjCluster::new(4, 0.3);
    /// let (x, acc) = c.sample_mcmc(40, 4, 0.002, 200, 10, &mut course::rng::seeded(0));
    /// assert_eq!(x.dim(), (40, 8));
    /// assert!(acc > 0.5 && (x[[0, 0]] + x[[0, 2]] + x[[0, 4]] + x[[0, 6]]).abs() < 1e-12);
    /// ```
    pub fn sample_mcmc(&self, n_samples: usize, n_chains: usize, step: f64, n_burn: usize, thin: usize, rng: &mut impl Rng) -> (Array2<f64>, f64) {
        assert!(n_chains > 0, "LjCluster::sample_mcmc: n_chains must be > 0");
        assert!(thin > 0, "LjCluster::sample_mcmc: thin must be > 0");
        assert!(step > 0.0, "LjCluster::sample_mcmc: step must be > 0, got {step}");
        assert!(n_samples % n_chains == 0, "LjCluster::sample_mcmc: n_samples ({n_samples}) must be a multiple of n_chains ({n_chains})");
        let n = self.n_points;
        let per_chain = n_samples / n_chains;
        let mut out = Array2::<f64>::zeros((n_samples, 2 * n));
        let mut acceptance = 0.0;
        let radius = 0.6 * (n as f64).sqrt();
        for c in 0..n_chains {
            let jitter = crate::rng::normal_vec(rng, 2 * n);
            let x0: Vec<f64> = (0..2 * n)
                .map(|k| {
                    let a = 2.0 * std::f64::consts::PI * (k / 2) as f64 / n as f64;
                    radius * if k % 2 == 0 { a.cos() } else { a.sin() } + 0.05 * jitter[k]
                })
                .collect();
            let chain = mala(self, &x0, step, n_burn + per_chain * thin, rng);
            acceptance += chain.acceptance / n_chains as f64;
            for s in 0..per_chain {
                out.row_mut(c * per_chain + s).assign(&chain.states.row(n_burn + (s + 1) * thin - 1));
            }
        }
        (center_clouds(&out), acceptance)
    }
}

impl LogDensity for LjCluster {
    fn dim(&self) -> usize {
        2 * self.n_points
    }
    fn log_prob(&self, x: &[f64]) -> f64 {
        -self.energy(x) / self.kt
    }
    fn grad_log_prob(&self, x: &[f64]) -> Vec<f64> {
        self.forces(x).into_iter().map(|f| f / self.kt).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generative::control::rotate_clouds;
    use crate::rng::seeded;

    #[test]
    fn forces_are_minus_the_gradient_by_finite_differences() {
        let c = LjCluster::new(5, 0.3);
        let x: Vec<f64> = crate::rng::normal_vec(&mut seeded(3), 10);
        let f = c.forces(&x);
        let h = 1e-6;
        for k in 0..10 {
            let (mut p, mut m) = (x.clone(), x.clone());
            p[k] += h;
            m[k] -= h;
            let fd = -(c.energy(&p) - c.energy(&m)) / (2.0 * h);
            assert!((f[k] - fd).abs() < 1e-5 * (1.0 + fd.abs()), "coordinate {k}: {} vs {fd}", f[k]);
        }
    }

    #[test]
    fn the_energy_is_invariant_and_the_trap_is_the_centred_second_moment() {
        let c = LjCluster { kappa: 0.7, ..LjCluster::new(4, 1.0) };
        let x = Array2::from_shape_vec((1, 8), crate::rng::normal_vec(&mut seeded(5), 8)).unwrap();
        let u = c.energy(&x.row(0).to_vec());
        let rotated = rotate_clouds(&(&x + 1.7), 2.1);
        assert!((c.energy(&rotated.row(0).to_vec()) - u).abs() < 1e-10);
        let xc = center_clouds(&x);
        let trap = 0.5 * 0.7 * xc.iter().map(|v| v * v).sum::<f64>();
        let no_trap = LjCluster { kappa: 0.0, ..c.clone() };
        assert!((u - no_trap.energy(&x.row(0).to_vec()) - trap).abs() < 1e-12);
    }

    #[test]
    fn the_laplacian_matches_finite_differences() {
        let c = LjCluster::new(4, 0.3);
        let x: Vec<f64> = crate::rng::normal_vec(&mut seeded(9), 8).iter().map(|v| 1.2 * v).collect();
        let h = 1e-4;
        let mut fd = 0.0;
        for k in 0..8 {
            let (mut p, mut m) = (x.clone(), x.clone());
            p[k] += h;
            m[k] -= h;
            fd += (c.energy(&p) - 2.0 * c.energy(&x) + c.energy(&m)) / (h * h);
        }
        assert!((c.laplacian(&x) - fd).abs() < 1e-4 * (1.0 + fd.abs()), "{} vs {fd}", c.laplacian(&x));
    }

    #[test]
    fn two_particles_follow_the_radial_boltzmann_law() {
        // N = 2: the distance r has density ∝ r e^{−w(r²)/kT} (the 2-D Jacobian); compare the MCMC
        // mean of r with quadrature.
        let c = LjCluster::new(2, 0.5);
        let (x, acc) = c.sample_mcmc(16_000, 8, 0.05, 500, 20, &mut seeded(1));
        assert!(acc > 0.5, "acceptance {acc}");
        let r: Vec<f64> = crate::generative::control::pairwise_distances(&x);
        let mean = r.iter().sum::<f64>() / r.len() as f64;
        let (mut z, mut m) = (0.0, 0.0);
        let dr = 1e-4;
        for k in 1..60_000 {
            let rr = k as f64 * dr;
            let p = rr * (-c.pair_energy(rr * rr) / c.kt).exp();
            z += p;
            m += rr * p;
        }
        let exact = m / z;
        // the spread of r is ≈ 0.8, so the standard error of 16 000 thinned draws is ≈ 0.01
        assert!((mean - exact).abs() < 0.03, "MCMC {mean} vs quadrature {exact}");
    }
}
