//! The course's compute kernels, timed: the Rust half of `make bench`'s comparison with NumPy
//! (benches/kernels.py is the other half; benches/README.md defines the inputs).
//!
//! Run: `cargo run --release -p course --example kernels` — prints one JSON object.

use course::linalg;
use course::ndarray::Array2;
use course::nn::{Activation, fit_regressor_1d};
use course::rng::seeded;
use course::sampling::random_walk_metropolis;
use course::stochastic::{OrnsteinUhlenbeck, euler_maruyama_terminal};
use std::time::Instant;

/// Best of `repeats` wall-clock times of `f`, and its last result.
fn best_of<T>(repeats: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.expect("repeats >= 1"))
}

/// The 512 × 512 input of the SVD benchmark: $A_{ij} = \sin(i + 2j + 1) / \sqrt{512}$ plus $I$
/// (deterministic, so both languages factor the same matrix).
fn svd_input(n: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, n), |(i, j)| ((i + 2 * j + 1) as f64).sin() / (n as f64).sqrt() + if i == j { 1.0 } else { 0.0 })
}

fn main() {
    // 1. One full-batch Adam step of an MLP 1-32-32-1 (tanh) on 64 points, f32, burn (nn engine).
    let x = course::linspace(-1.0, 1.0, 64);
    let y: Vec<f64> = x.iter().map(|t| (3.0 * t).sin()).collect();
    let _ = fit_regressor_1d(&x, &y, &[32, 32], Activation::Tanh, 5, 1e-2, 0); // load the engine
    let (_, (_, report)) = best_of(3, || fit_regressor_1d(&x, &y, &[32, 32], Activation::Tanh, 300, 1e-2, 0));
    let mlp_step = report.seconds / 300.0;
    let mlp_final_loss = *report.losses.last().expect("losses");

    // 2. Euler–Maruyama, Ornstein–Uhlenbeck θ = 1, σ = 1, x0 = 1, T = 1, 100 steps, 10^5 paths.
    let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 };
    let (sde, xt) = best_of(3, || euler_maruyama_terminal(&ou, 1.0, 1.0, 100, 100_000, &mut seeded(0)));
    let sde_mean = xt.iter().sum::<f64>() / xt.len() as f64;

    // 3. Full SVD (U, Σ, Vᵀ) of the 512 × 512 matrix above.
    let a = svd_input(512);
    let (svd, s) = best_of(3, || linalg::svd(&a).s);

    // 4. 10^6 steps of random-walk Metropolis on N(0, 1), proposal scale 2.4.
    fn log_normal(x: &[f64]) -> f64 {
        -0.5 * x[0] * x[0]
    }
    let (mh, chain) = best_of(3, || random_walk_metropolis(log_normal, &[0.0], 2.4, 1_000_000, &mut seeded(0)));

    println!(
        "{{\"mlp_step\": {{\"seconds\": {mlp_step:e}, \"final_loss\": {mlp_final_loss:e}}}, \
         \"sde_1e5_paths\": {{\"seconds\": {sde:e}, \"mean\": {sde_mean:e}}}, \
         \"svd_512\": {{\"seconds\": {svd:e}, \"s_max\": {:e}, \"s_min\": {:e}}}, \
         \"metropolis_1e6\": {{\"seconds\": {mh:e}, \"acceptance\": {:e}}}}}",
        s[0],
        s[s.len() - 1],
        chain.acceptance
    );
}
