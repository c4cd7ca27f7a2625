//! Training steps of the course's networks, timed: the engine half of `make bench`'s comparison
//! with PyTorch (benches/training.py is the other half; benches/README.md defines the inputs).
//!
//! Run: `cargo run --release -p course --example training` — prints one JSON object.

use course::generative::net::TimeMlp;
use course::ndarray::Array2;
use course::nn::{Activation, fit_regressor_1d};
use std::f64::consts::TAU;
use std::time::Instant;

/// The fractional part of `i · a`: a deterministic, low-discrepancy sequence in [0, 1) that both
/// languages compute bit for bit the same.
fn frac(i: usize, a: f64) -> f64 {
    let v = i as f64 * a;
    v - v.floor()
}

/// The regression data of the TimeMlp benchmark: $x\in[-1,1]^2$, $t\in[0,1)$, and the target
/// $y = R(2\pi t)\,x$ (a rotation by the angle $2\pi t$).
fn rotation_data(n: usize) -> (Array2<f64>, Vec<f64>, Array2<f64>) {
    let x = Array2::from_shape_fn((n, 2), |(i, j)| 2.0 * frac(i + 1, if j == 0 { 0.618_033_988_749_894_8 } else { std::f64::consts::SQRT_2 }) - 1.0);
    let t: Vec<f64> = (0..n).map(|i| frac(i + 1, 1.732_050_807_568_877_2)).collect();
    let y = Array2::from_shape_fn((n, 2), |(i, j)| {
        let (c, s) = ((TAU * t[i]).cos(), (TAU * t[i]).sin());
        if j == 0 { c * x[[i, 0]] - s * x[[i, 1]] } else { s * x[[i, 0]] + c * x[[i, 1]] }
    });
    (x, t, y)
}

fn main() {
    let (n_steps, batch, lr) = (300, 256, 5e-3);
    let (x, t, y) = rotation_data(8192);
    let mut out = Vec::new();
    for width in [64, 128, 256] {
        let mut best = f64::INFINITY;
        let mut final_loss = f64::NAN;
        for seed in 0..3 {
            let mut net = TimeMlp::new(2, 2, &[width, width, width], seed);
            net.fit(&x, &t, &y, 20, batch, lr); // warm-up: allocations, the engine loaded
            let start = Instant::now();
            let losses = net.fit(&x, &t, &y, n_steps, batch, lr);
            best = best.min(start.elapsed().as_secs_f64() / n_steps as f64);
            final_loss = losses[n_steps - 50..].iter().sum::<f64>() / 50.0;
        }
        out.push(format!("\"timemlp_w{width}\": {{\"seconds_per_step\": {best:e}, \"final_loss\": {final_loss:e}}}"));
    }
    // The tiny MLP 1-32-32-1 (tanh), full batch of 64 points, where per-call overhead dominates.
    let xs = course::linspace(-1.0, 1.0, 64);
    let ys: Vec<f64> = xs.iter().map(|v| (3.0 * v).sin()).collect();
    let mut best = f64::INFINITY;
    let mut final_loss = f64::NAN;
    for seed in 0..3 {
        let (_, report) = fit_regressor_1d(&xs, &ys, &[32, 32], Activation::Tanh, n_steps, 1e-2, seed);
        best = best.min(report.seconds / n_steps as f64);
        final_loss = report.losses[n_steps - 1];
    }
    out.push(format!("\"tiny_mlp\": {{\"seconds_per_step\": {best:e}, \"final_loss\": {final_loss:e}}}"));
    println!("{{{}}}", out.join(", "));
}
