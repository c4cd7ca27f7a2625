//! Training steps of the course's networks, timed: the engine half of `make bench`'s comparison
//! with PyTorch (benches/training.py is the other half; benches/README.md defines the inputs).
//!
//! Every network is trained through the course crate's public API, as a notebook trains it, so
//! the times include the course crate's side of each call (for the networks trained in one call,
//! also passing the data set to the engine and building the network, once per run). Each row is
//! the best time per step of three runs (seeds 0, 1, 2) and the median over them of the value
//! its "trained" check bounds. The data are deterministic sequences that benches/training.py
//! reproduces bit for bit.
//!
//! Run: `cargo run --release -p course --example training` — prints one JSON object.

use course::data::sequences::SequenceTask;
use course::data::shapes::subsamples_inside;
use course::generative::gan::{Gan, GanConfig, GanKind};
use course::generative::metrics::energy_distance;
use course::generative::net::TimeMlp;
use course::generative::vae::{Decoder, Vae, VaeConfig};
use course::ndarray::{Array2, Array3};
use course::nn::{Activation, CnnConfig, RecurrentConfig, TrainConfig, fit_regressor_1d, train_cnn, train_recurrent};
use std::f64::consts::{PI, TAU};
use std::time::Instant;

/// Steps per timed run (the non-saturating GAN takes 1000, see `main`), and the warm-up steps
/// before it (engine loaded, buffers allocated).
const N_STEPS: usize = 300;
const WARM_UP: usize = 20;

/// The fractional part of `i · a`: a deterministic, low-discrepancy sequence in [0, 1) that both
/// languages compute bit for bit the same.
fn frac(i: usize, a: f64) -> f64 {
    let v = i as f64 * a;
    v - v.floor()
}

/// `frac(i, √p)`: for distinct primes `p` these sequences are jointly equidistributed (the
/// square roots are linearly independent over ℚ), so they serve as independent uniforms.
fn uniform(i: usize, p: u32) -> f64 {
    frac(i, f64::from(p).sqrt())
}

/// Two standard normals by Box–Muller from `uniform(i, p)` and `uniform(i, q)`.
fn normals(i: usize, p: u32, q: u32) -> (f64, f64) {
    let r = (-2.0 * (1.0 - uniform(i, p)).ln()).sqrt();
    let t = TAU * uniform(i, q);
    (r * t.cos(), r * t.sin())
}

/// The mean of the last 50 of `values`: the end-of-training loss the checks bound.
fn tail(values: &[f64]) -> f64 {
    values[values.len() - 50..].iter().sum::<f64>() / 50.0
}

/// One JSON entry: over seeds 0, 1, 2, the best seconds per step of `run(seed)` (which returns
/// seconds per step and the value the trained check bounds) and the median of those values (so
/// that one unlucky seed of a GAN does not decide the check).
fn best_of_3(name: &str, mut run: impl FnMut(u64) -> (f64, f64)) -> String {
    let (mut best, mut values) = (f64::INFINITY, Vec::new());
    for seed in 0..3 {
        let (seconds, value) = run(seed);
        best = best.min(seconds);
        values.push(value);
    }
    values.sort_by(f64::total_cmp);
    format!("\"{name}\": {{\"seconds_per_step\": {best:e}, \"final\": {:e}}}", values[1])
}

/// Seconds per step of the `n_steps` steps taken by `train`, and what it returned.
fn timed<T>(n_steps: usize, train: impl FnOnce() -> T) -> (f64, T) {
    let start = Instant::now();
    let out = train();
    (start.elapsed().as_secs_f64() / n_steps as f64, out)
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

/// `n` flattened `size × size` images of the four shapes of `course::data::shapes` (label
/// `i mod 4`, radius, centre and noise from [`uniform`] instead of a seeded generator): the
/// fraction of a pixel's 3 × 3 subsamples inside the shape, plus uniform noise of standard
/// deviation `noise` (pixels in [0, 1] when it is 0).
fn shape_images(n: usize, size: usize, noise: f64) -> (Array2<f64>, Vec<usize>) {
    let s = size as f64;
    let mut images = Array2::zeros((n, size * size));
    for i in 0..n {
        let radius = (0.22 + 0.12 * uniform(i + 1, 2)) * s;
        let (cx, cy) = (radius + (s - 2.0 * radius) * uniform(i + 1, 3), radius + (s - 2.0 * radius) * uniform(i + 1, 5));
        for r in 0..size {
            for c in 0..size {
                let hits = subsamples_inside(i % 4, radius, (cx, cy), r, c);
                let k = i * size * size + r * size + c + 1;
                images[[i, r * size + c]] = hits as f64 / 9.0 + noise * 3f64.sqrt() * (2.0 * uniform(k, 7) - 1.0);
            }
        }
    }
    (images, (0..n).map(|i| i % 4).collect())
}

/// The two moons of `course::generative::targets::Moons` (first half upper), noise 0.05.
fn moons(n: usize) -> Array2<f64> {
    let mut x = Array2::zeros((n, 2));
    for i in 0..n {
        let t = PI * uniform(i + 1, 11);
        let (a, b) = if i < n / 2 { (t.cos(), t.sin()) } else { (1.0 - t.cos(), 0.5 - t.sin()) };
        let (z0, z1) = normals(i + 1, 13, 17);
        x[[i, 0]] = a + 0.05 * z0;
        x[[i, 1]] = b + 0.05 * z1;
    }
    x
}

/// The ring of notebook 24: 8 Gaussians of standard deviation 0.1 on the circle of radius 2,
/// point `i` in mode `i mod 8`.
fn ring(n: usize) -> Array2<f64> {
    let mut x = Array2::zeros((n, 2));
    for i in 0..n {
        let angle = TAU * (i % 8) as f64 / 8.0;
        let (z0, z1) = normals(i + 1, 19, 23);
        x[[i, 0]] = 2.0 * angle.cos() + 0.1 * z0;
        x[[i, 1]] = 2.0 * angle.sin() + 0.1 * z1;
    }
    x
}

/// The adding problem of notebook 10 with sequences of length 10: values $u_t$ uniform, one
/// marker in each half, target the sum of the two marked values.
fn adding(n: usize) -> SequenceTask {
    const T: usize = 10;
    const PRIMES: [u32; T] = [29, 31, 37, 41, 43, 47, 53, 59, 61, 67];
    let mut inputs = Array3::zeros((n, T, 2));
    let mut targets = Array2::zeros((n, 1));
    for i in 0..n {
        for (t, &p) in PRIMES.iter().enumerate() {
            inputs[[i, t, 0]] = uniform(i + 1, p);
        }
        let a = (5.0 * uniform(i + 1, 71)) as usize;
        let b = 5 + (5.0 * uniform(i + 1, 73)) as usize;
        inputs[[i, a, 1]] = 1.0;
        inputs[[i, b, 1]] = 1.0;
        targets[[i, 0]] = inputs[[i, a, 0]] + inputs[[i, b, 0]];
    }
    SequenceTask { inputs, targets }
}

/// The VAE of notebook 23 on `x`: a throw-away model warms up, then a fresh one is timed.
fn vae_row(name: &str, x: &Array2<f64>, config: &VaeConfig, batch: usize, lr: f64) -> String {
    Vae::new(config, 99).fit(x, 1.0, WARM_UP, batch, lr);
    best_of_3(name, |seed| {
        let mut vae = Vae::new(config, seed);
        let (seconds, hist) = timed(N_STEPS, || vae.fit(x, 1.0, N_STEPS, batch, lr));
        (seconds, tail(&hist.loss))
    })
}

/// The ring GAN of notebook 24 (`GanConfig` defaults: 2-64-64-2 generator, 2-64-64-1 critic,
/// ReLU, 2-D noise; batch 128, lr 10⁻³), `n_steps` generator steps; the value checked is the
/// energy distance of 2000 samples to the data.
fn gan_row(name: &str, data: &Array2<f64>, kind: GanKind, n_steps: usize) -> String {
    let config = |n_steps: usize, seed: u64| {
        let mut c = GanConfig::new(kind);
        (c.n_steps, c.lr, c.batch_size, c.seed) = (n_steps, 1e-3, 128, seed);
        c
    };
    Gan::train(data, &config(WARM_UP, 99));
    best_of_3(name, |seed| {
        let (seconds, gan) = timed(n_steps, || Gan::train(data, &config(n_steps, seed)));
        (seconds, energy_distance(&gan.sample(2000, 1234), data))
    })
}

fn main() {
    let mut out = Vec::new();
    let (x, t, y) = rotation_data(8192);
    for width in [64, 128, 256] {
        out.push(best_of_3(&format!("timemlp_w{width}"), |seed| {
            let mut net = TimeMlp::new(2, 2, &[width, width, width], seed);
            net.fit(&x, &t, &y, WARM_UP, 256, 5e-3);
            let (seconds, losses) = timed(N_STEPS, || net.fit(&x, &t, &y, N_STEPS, 256, 5e-3));
            (seconds, tail(&losses))
        }));
    }
    // The tiny MLP 1-32-32-1 (tanh), full batch of 64 points, where per-call overhead dominates.
    let xs = course::linspace(-1.0, 1.0, 64);
    let ys: Vec<f64> = xs.iter().map(|v| (3.0 * v).sin()).collect();
    out.push(best_of_3("tiny_mlp", |seed| {
        let (_, report) = fit_regressor_1d(&xs, &ys, &[32, 32], Activation::Tanh, N_STEPS, 1e-2, seed);
        (report.seconds / N_STEPS as f64, report.losses[N_STEPS - 1])
    }));
    let (shapes12, _) = shape_images(2000, 12, 0.0);
    out.push(vae_row("vae_images", &shapes12, &VaeConfig::new(144, 2, &[128], Decoder::Bernoulli), 128, 3e-3));
    out.push(vae_row("vae_moons", &moons(2048), &VaeConfig::new(2, 2, &[64, 64], Decoder::GaussianLearned { scale: 0.1 }), 128, 5e-3));
    let data = ring(4000);
    // The non-saturating GAN has barely left its start after 300 steps (energy distance ≈ 1.4,
    // as untrained): it runs the notebook's 1000.
    out.push(gan_row("gan_nonsaturating", &data, GanKind::NonSaturating, 1000));
    out.push(gan_row("wgan_gp", &data, GanKind::WganGp, N_STEPS));
    // The CNN of notebook 10: 16 × 16 images, channels 4 and 8, batch 32, Adam lr 0.02.
    let (images, labels) = shape_images(800, 16, 0.1);
    let cnn = CnnConfig::new(16, 4).with_channels([4, 8]);
    train_cnn(&images, &labels, &cnn, &TrainConfig::adam(WARM_UP, 0.02).with_batch_size(32).with_seed(99));
    out.push(best_of_3("cnn", |seed| {
        let tc = TrainConfig::adam(N_STEPS, 0.02).with_batch_size(32).with_seed(seed);
        let (seconds, (_, report)) = timed(N_STEPS, || train_cnn(&images, &labels, &cnn, &tc));
        (seconds, tail(&report.losses))
    }));
    // The LSTM of notebook 10: 2 → 16 (forget bias 3) → 1, sequences of 10, batch 32, lr 10⁻².
    let task = adding(1024);
    let lstm = RecurrentConfig::lstm(2, 16, 1).with_forget_bias(3.0);
    train_recurrent(&lstm, &task, &TrainConfig::adam(WARM_UP, 1e-2).with_batch_size(32).with_seed(99));
    out.push(best_of_3("lstm", |seed| {
        let tc = TrainConfig::adam(N_STEPS, 1e-2).with_batch_size(32).with_seed(seed);
        let (seconds, (_, report)) = timed(N_STEPS, || train_recurrent(&lstm, &task, &tc));
        (seconds, tail(&report.losses))
    }));
    println!("{{{}}}", out.join(", "));
}
