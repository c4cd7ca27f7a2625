//! The Ising model on an $L\times L$ periodic lattice, sampled by checkerboard heat-bath Gibbs
//! sweeps and, for tiny lattices, computed exactly by enumeration.
//!
//! Spins $s_i\in\{-1,+1\}$, coupling $J = 1$, no field, nearest neighbours $\langle ij\rangle$:
//! $$E(s) = -\sum_{\langle ij\rangle} s_i s_j,\qquad \pi_\beta(s) = \frac{e^{-\beta E(s)}}{Z_\beta},
//! \qquad P(s_i = +1\mid s_{-i}) = \frac{1}{1 + e^{-2\beta h_i}},\quad h_i = \sum_{j\sim i} s_j .$$
//! The two colours of the checkerboard are conditionally independent given each other, so a sweep
//! updates all black sites at once, then all white ones (this needs an even side $L$).
//! In the infinite lattice the spontaneous magnetization is
//! $m(T) = (1 - \sinh^{-4}(2/T))^{1/8}$ below Onsager's $T_c = 2/\ln(1+\sqrt2)\approx 2.269$, and 0 above.
//!
//! ## Reference
//! L. Onsager (1944), *Crystal statistics I*; C. N. Yang (1952), *The spontaneous magnetization of
//! a two-dimensional Ising model*; D. MacKay, *Information Theory, Inference and Learning
//! Algorithms* (2003), ch. 31.
//!
//! Used in notebooks/20-boltzmann-machines-and-energy-models.ipynb.

use ndarray::Array2;
use rand::{Rng, RngExt};

/// Onsager's critical temperature $T_c = 2/\ln(1+\sqrt 2)$ of the square-lattice Ising model.
///
/// # Examples
/// ```
/// let tc = course::graphical::onsager_tc();
/// assert!((tc - 2.269185).abs() < 1e-6);
/// assert!((2.0 / tc).sinh() - 1.0 < 1e-12); // sinh(2β_c) = 1
/// ```
pub fn onsager_tc() -> f64 {
    2.0 / (1.0 + 2f64.sqrt()).ln()
}

/// Yang's spontaneous magnetization per spin of the infinite lattice, $(1-\sinh^{-4}(2/T))^{1/8}$
/// for $T < T_c$, and 0 for $T \ge T_c$.
///
/// # Panics
/// If `temperature <= 0`.
///
/// # Examples
/// ```
/// let m = course::graphical::onsager_magnetization(1.5);
/// assert!((m - 0.986500).abs() < 1e-6);
/// assert_eq!(course::graphical::onsager_magnetization(3.0), 0.0);
/// ```
pub fn onsager_magnetization(temperature: f64) -> f64 {
    assert!(temperature > 0.0, "temperature must be > 0, got {temperature}");
    if temperature >= onsager_tc() {
        return 0.0;
    }
    (1.0 - (2.0 / temperature).sinh().powi(-4)).powf(0.125)
}

/// An $L\times L$ periodic lattice of ±1 spins (row-major, `i8`).
#[derive(Clone, Debug, PartialEq)]
pub struct Ising {
    /// Side length $L$.
    pub side: usize,
    /// The $L^2$ spins, row-major.
    pub spins: Vec<i8>,
}

impl Ising {
    /// All spins +1 (the ground state).
    ///
    /// # Panics
    /// If `side < 2`.
    ///
    /// # Examples
    /// ```
    /// let s = course::graphical::Ising::ordered(4);
    /// assert_eq!(s.energy(), -32.0); // 2 bonds per site, each −1
    /// assert_eq!(s.magnetization(), 1.0);
    /// ```
    pub fn ordered(side: usize) -> Self {
        assert!(side >= 2, "side must be >= 2, got {side}");
        Ising { side, spins: vec![1; side * side] }
    }

    /// Independent uniform ±1 spins (infinite temperature).
    ///
    /// # Panics
    /// If `side < 2`.
    ///
    /// # Examples
    /// ```
    /// let s = course::graphical::Ising::random(32, &mut course::rng::seeded(0));
    /// assert!(s.magnetization().abs() < 4.0 / 32.0); // 4 standard errors of a mean of 1024 ±1
    /// ```
    pub fn random(side: usize, rng: &mut impl Rng) -> Self {
        assert!(side >= 2, "side must be >= 2, got {side}");
        let spins = (0..side * side).map(|_| if rng.random::<bool>() { 1 } else { -1 }).collect();
        Ising { side, spins }
    }

    /// A lattice from given spins (row-major).
    ///
    /// # Panics
    /// If `spins.len() != side²`, `side < 2`, or a spin is not ±1.
    ///
    /// # Examples
    /// ```
    /// let s = course::graphical::Ising::from_spins(2, vec![1, -1, -1, 1]);
    /// assert_eq!(s.energy(), 8.0); // every bond unsatisfied (each counted twice when L = 2)
    /// ```
    pub fn from_spins(side: usize, spins: Vec<i8>) -> Self {
        assert!(side >= 2, "side must be >= 2, got {side}");
        assert_eq!(spins.len(), side * side, "spins must hold side² = {} values, got {}", side * side, spins.len());
        assert!(spins.iter().all(|&s| s == 1 || s == -1), "spins must be ±1");
        Ising { side, spins }
    }

    /// Sum of the four neighbours of site `(r, c)` (periodic).
    fn field(&self, r: usize, c: usize) -> i32 {
        let l = self.side;
        let s = &self.spins;
        (s[((r + 1) % l) * l + c] + s[((r + l - 1) % l) * l + c] + s[r * l + (c + 1) % l] + s[r * l + (c + l - 1) % l])
            as i32
    }

    /// $E(s) = -\sum_{\langle ij\rangle} s_i s_j$: each site bonds to its right and lower
    /// neighbours, $2L^2$ bonds.
    ///
    /// # Examples
    /// ```
    /// let s = course::graphical::Ising::from_spins(4, (0..16).map(|i| if (i / 4 + i % 4) % 2 == 0 { 1 } else { -1 }).collect());
    /// assert_eq!(s.energy(), 32.0); // the antiferromagnetic checkerboard: every bond broken
    /// ```
    pub fn energy(&self) -> f64 {
        let l = self.side;
        let s = &self.spins;
        let mut e = 0i64;
        for r in 0..l {
            for c in 0..l {
                let si = s[r * l + c] as i64;
                e -= si * (s[r * l + (c + 1) % l] as i64 + s[((r + 1) % l) * l + c] as i64);
            }
        }
        e as f64
    }

    /// Magnetization per spin $m = \frac1{L^2}\sum_i s_i \in [-1, 1]$.
    ///
    /// # Examples
    /// ```
    /// let s = course::graphical::Ising::from_spins(2, vec![1, 1, 1, -1]);
    /// assert_eq!(s.magnetization(), 0.5);
    /// ```
    pub fn magnetization(&self) -> f64 {
        self.spins.iter().map(|&v| v as i64).sum::<i64>() as f64 / self.spins.len() as f64
    }

    /// One checkerboard heat-bath sweep at inverse temperature `beta`: every site of colour
    /// $(r + c)$ even, then every odd one, is redrawn from $P(s_i=+1\mid h_i) = 1/(1+e^{-2\beta h_i})$.
    ///
    /// # Panics
    /// If the side is odd (the checkerboard would not be a proper 2-colouring) or `beta < 0`.
    ///
    /// # Examples
    /// ```
    /// // At β = 0 a sweep forgets everything: spins become fair coins.
    /// let mut s = course::graphical::Ising::ordered(32);
    /// s.sweep(0.0, &mut course::rng::seeded(1));
    /// assert!(s.magnetization().abs() < 4.0 / 32.0);
    /// ```
    pub fn sweep(&mut self, beta: f64, rng: &mut impl Rng) {
        assert!(self.side % 2 == 0, "the checkerboard sweep needs an even side, got {}", self.side);
        assert!(beta >= 0.0 && beta.is_finite(), "beta must be finite and >= 0, got {beta}");
        // h ∈ {−4, −2, 0, 2, 4}: tabulate P(+1 | h) once.
        let p_up: [f64; 9] = std::array::from_fn(|k| 1.0 / (1.0 + (-2.0 * beta * (k as f64 - 4.0)).exp()));
        let l = self.side;
        for colour in 0..2 {
            for r in 0..l {
                for c in ((r + colour) % 2..l).step_by(2) {
                    let h = self.field(r, c);
                    let u: f64 = rng.random();
                    self.spins[r * l + c] = if u < p_up[(h + 4) as usize] { 1 } else { -1 };
                }
            }
        }
    }

    /// The spins as a matrix of ±1 (row 0 first), for a heatmap.
    ///
    /// # Examples
    /// ```
    /// let m = course::graphical::Ising::ordered(3).to_array();
    /// assert_eq!(m.sum(), 9.0);
    /// ```
    pub fn to_array(&self) -> Array2<f64> {
        Array2::from_shape_fn((self.side, self.side), |(r, c)| self.spins[r * self.side + c] as f64)
    }
}

/// The per-sweep record of a Gibbs run: $|m|$ and energy per spin after each sweep.
#[derive(Clone, Debug)]
pub struct IsingRun {
    /// $|m|$ after each recorded sweep.
    pub abs_m: Vec<f64>,
    /// $E/L^2$ after each recorded sweep.
    pub energy: Vec<f64>,
    /// The final configuration.
    pub state: Ising,
}

/// Runs `n_burn + n_sweeps` checkerboard heat-bath sweeps at `temperature` on an $L\times L$
/// lattice (`side`), started from the ordered state, and records the last `n_sweeps`.
///
/// # Panics
/// If `temperature <= 0`, `side` is odd or below 2, or `n_sweeps == 0`.
///
/// # Examples
/// ```
/// let run = course::graphical::ising_gibbs(8, 1.0, 100, 1000, 3);
/// let m: f64 = run.abs_m.iter().sum::<f64>() / 1000.0;
/// assert!(m > 0.99); // deep in the ordered phase
/// ```
pub fn ising_gibbs(side: usize, temperature: f64, n_burn: usize, n_sweeps: usize, seed: u64) -> IsingRun {
    assert!(temperature > 0.0 && temperature.is_finite(), "temperature must be > 0, got {temperature}");
    assert!(n_sweeps > 0, "n_sweeps must be > 0, got 0");
    let mut rng = crate::rng::seeded(seed);
    let mut state = Ising::ordered(side);
    let beta = 1.0 / temperature;
    for _ in 0..n_burn {
        state.sweep(beta, &mut rng);
    }
    let n = (side * side) as f64;
    let (mut abs_m, mut energy) = (Vec::with_capacity(n_sweeps), Vec::with_capacity(n_sweeps));
    for _ in 0..n_sweeps {
        state.sweep(beta, &mut rng);
        abs_m.push(state.magnetization().abs());
        energy.push(state.energy() / n);
    }
    IsingRun { abs_m, energy, state }
}

/// Exact thermal averages of a tiny lattice, by summing over all $2^{L^2}$ configurations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IsingExact {
    /// $\langle |m|\rangle$.
    pub abs_m: f64,
    /// $\langle E\rangle / L^2$.
    pub energy: f64,
    /// $\log Z_\beta$.
    pub log_z: f64,
}

/// $\langle|m|\rangle$, $\langle E\rangle/L^2$ and $\log Z$ by enumerating all $2^{L^2}$ states.
///
/// # Panics
/// If `side < 2` or `side > 4` (5×5 would be 2²⁵ states), or `temperature <= 0`.
///
/// # Examples
/// ```
/// // 2×2 periodic: E ∈ {−8 (2 states), 0 (12 states), +8 (2 states)}.
/// let t = 2.0_f64;
/// let x = course::graphical::ising_exact(2, t);
/// let z = 2.0 * (8.0 / t).exp() + 12.0 + 2.0 * (-8.0 / t).exp();
/// assert!((x.log_z - z.ln()).abs() < 1e-12);
/// ```
pub fn ising_exact(side: usize, temperature: f64) -> IsingExact {
    assert!((2..=4).contains(&side), "ising_exact enumerates 2^(side²) states: side must be 2, 3 or 4, got {side}");
    assert!(temperature > 0.0 && temperature.is_finite(), "temperature must be > 0, got {temperature}");
    let n = side * side;
    let beta = 1.0 / temperature;
    // Collect (E, |M|) for every state, then sum with the ground-state energy factored out.
    let mut lattice = Ising::ordered(side);
    let e0 = -2.0 * n as f64; // the minimum energy
    let (mut z, mut zm, mut ze) = (0.0, 0.0, 0.0);
    for code in 0u32..(1u32 << n) {
        for (i, s) in lattice.spins.iter_mut().enumerate() {
            *s = if code >> i & 1 == 1 { 1 } else { -1 };
        }
        let e = lattice.energy();
        let w = (-beta * (e - e0)).exp();
        z += w;
        zm += w * lattice.magnetization().abs();
        ze += w * e;
    }
    IsingExact { abs_m: zm / z, energy: ze / z / n as f64, log_z: z.ln() - beta * e0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphical::batch_means;

    #[test]
    fn energy_change_of_a_flip_is_two_s_h() {
        let mut rng = crate::rng::seeded(9);
        let mut s = Ising::random(6, &mut rng);
        for site in 0..36 {
            let (r, c) = (site / 6, site % 6);
            let before = s.energy();
            let d = 2.0 * s.spins[site] as f64 * s.field(r, c) as f64;
            s.spins[site] *= -1;
            assert_eq!(s.energy() - before, d);
        }
    }

    #[test]
    fn exact_2x2_matches_closed_form_and_log_z_is_a_derivative() {
        // ⟨E⟩ = −d log Z / dβ: central difference in β.
        for t in [1.0, 2.3, 5.0] {
            let x = ising_exact(3, t);
            let h = 1e-5;
            let (bp, bm) = (1.0 / t + h, 1.0 / t - h);
            let d = (ising_exact(3, 1.0 / bp).log_z - ising_exact(3, 1.0 / bm).log_z) / (2.0 * h);
            assert!((-d / 9.0 - x.energy).abs() < 1e-6, "T={t}: {} vs {}", -d / 9.0, x.energy);
        }
        // High temperature: log Z → n ln 2.
        assert!((ising_exact(2, 1e6).log_z - 4.0 * 2f64.ln()).abs() < 1e-4);
    }

    #[test]
    fn gibbs_matches_enumeration_on_4x4_within_batch_means_errors() {
        for seed in 0..6 {
            for t in [1.5, 2.27, 3.0] {
                let x = ising_exact(4, t);
                let run = ising_gibbs(4, t, 1000, 100_000, seed);
                let (m, se) = batch_means(&run.abs_m, 50);
                let (e, se_e) = batch_means(&run.energy, 50);
                assert!((m - x.abs_m).abs() < 4.0 * se, "seed {seed} T={t}: {m} ± {se} vs {}", x.abs_m);
                assert!((e - x.energy).abs() < 4.0 * se_e, "seed {seed} T={t}: {e} ± {se_e} vs {}", x.energy);
            }
        }
    }

    #[test]
    fn large_lattice_follows_yang_below_tc() {
        for seed in 0..4 {
            let run = ising_gibbs(16, 1.8, 500, 3000, seed);
            let m = run.abs_m.iter().sum::<f64>() / 3000.0;
            assert!((m - onsager_magnetization(1.8)).abs() < 0.01, "{m}");
        }
    }

    #[test]
    #[should_panic(expected = "even side")]
    fn odd_side_is_rejected() {
        Ising::ordered(3).sweep(1.0, &mut crate::rng::seeded(0));
    }
}
