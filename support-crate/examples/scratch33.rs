use course::generative::diffusion::{standard_normal, GaussianMixture};
use course::generative::guidance::*;
use course::generative::score::*;
use course::generative::sde::EdmTraining;
use course::optim::loglog_slope;
use course::rng::seeded;
use ndarray::{array, Array2};
use std::time::Instant;

fn main() {
    let what: String = std::env::args().nth(1).unwrap_or("all".into());
    let lm = LabelledMixture::gaussian_classes(array![[-1.5, 0.0], [1.5, 0.0], [0.0, 1.5]], 0.3);
    let ws = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0];
    if what == "all" || what == "exact" {
        let t = Instant::now();
        for seed in 0..3 {
            let r: Vec<(f64, f64)> = ws.iter().map(|&w| lm.fidelity_and_spread(&lm.sample_guided(1000, 0, w, 25, 20.0, seed), 0)).collect();
            println!("exact seed {seed}: {:?}", r.iter().map(|(a, b)| format!("{a:.3}/{b:.3}")).collect::<Vec<_>>());
        }
        println!("exact curve {:.2}s", t.elapsed().as_secs_f64() / 3.0);
        for w in [0.0, 1.0, 3.0] {
            let (m, v) = tilted_gaussian(1.0, 0.25, 0.0, 1.25, w);
            let (fm, fv) = guided_flow_gaussian(1.0, 0.25, 0.0, 1.25, w, 20.0, 400);
            println!("w {w}: tilt {m:.4} {v:.4}  flow {fm:.4} {fv:.4}");
        }
    }
    if what == "all" || what == "cfg" {
        for seed in 0..3u64 {
            let t = Instant::now();
            let (data, labels) = lm.sample(6000, &mut seeded(10 + seed));
            let hid: Vec<usize> = std::env::var("HID").unwrap().split(",").map(|s| s.parse().unwrap()).collect(); let steps: usize = std::env::var("STEPS").unwrap().parse().unwrap(); let cfg = EdmTraining { hidden: hid, n_steps: steps, sigma_max: 20.0, seed, ..EdmTraining::default() };
            let (model, _) = train_cfg(&data, &labels, 3, 0.2, &cfg);
            let tt = t.elapsed().as_secs_f64();
            let mut rng = seeded(2);
            let mut errs = vec![];
            for sigma in [0.1, 0.3, 1.0, 3.0] {
                let (x0, _) = lm.sample(1000, &mut rng);
                let x = &x0 + &(standard_normal(&mut rng, 1000, 2) * sigma);
                let exact = lm.guided_score(&x, 0, 2.0, sigma);
                let got = (model.guided_denoise(&x, 0, 2.0, sigma) - &x) / (sigma * sigma);
                let err = ((&got - &exact).mapv(|v| v * v).sum() / exact.mapv(|v| v * v).sum()).sqrt();
                errs.push(err);
            }
            let r: Vec<(f64, f64)> = ws.iter().map(|&w| lm.fidelity_and_spread(&model.sample_guided(1000, 0, w, 25, 7), 0)).collect();
            println!("cfg seed {seed}: train {tt:.1}s rel err {errs:.3?} total {:.1}s", t.elapsed().as_secs_f64());
            println!("   curve {:?}", r.iter().map(|(a, b)| format!("{a:.3}/{b:.3}")).collect::<Vec<_>>());
        }
    }
    if what == "all" || what == "rates" || what == "kl" {
        let g1 = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-1.0], [1.0]], 0.25);
        let g2 = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.0]], 0.25);
        let ns = [250usize, 500, 1000, 2000, 4000];
        let t = Instant::now();
        for seed in 0..(if what == "kl" { 0 } else { 3 }) {
            for (d, g) in [(1, &g1), (2, &g2)] {
                for h in [0.2, 0.5] {
                    let e: Vec<f64> = ns.iter().map(|&n| kernel_score_error(g, n, h, true, 500, 3, seed)).collect();
                    let nf: Vec<f64> = ns.iter().map(|&n| n as f64).collect();
                    println!("fixed d {d} h {h} seed {seed}: slope {:.3}  n·err {:?}", loglog_slope(&nf, &e, (0.0, 1e9)), e.iter().zip(&ns).map(|(e, n)| format!("{:.1}", e * *n as f64)).collect::<Vec<_>>());
                }
                let e: Vec<f64> = ns.iter().map(|&n| kernel_score_error(g, n, 0.5 * (n as f64 / 250.0).powf(-1.0 / (d as f64 + 4.0)), false, 500, 3, seed)).collect();
                let nf: Vec<f64> = ns.iter().map(|&n| n as f64).collect();
                println!("tuned d {d} seed {seed}: slope {:.3} (theory {:.3}) err {e:.4?}", loglog_slope(&nf, &e, (0.0, 1e9)), -2.0 / (d as f64 + 4.0));
            }
        }
        println!("rates {:.2}s per seed", t.elapsed().as_secs_f64() / 3.0);
        let t = Instant::now();
        for seed in 0..4 {
            for n in [100, 400, 1600] {
                let data = g1.sample(n, &mut seeded(100 + seed));
                let lhs = kl_to_kernel_density(&g1, &data, 0.2, 20000, seed);
                let rhs = girsanov_kl_bound(&g1, &data, 0.2, 10.0, 30, 2000, seed + 7);
                println!("KL n {n} seed {seed}: {lhs:.4} vs {rhs:.4}");
            }
        }
        println!("kl {:.2}s per seed", t.elapsed().as_secs_f64() / 3.0);
    }
    if what == "all" || what == "digits" {
        use course::data::digits;
        use course::generative::metrics::{digit_scores, digit_split};
        let (train, _) = digit_split();
        for seed in 0..3u64 {
            let (steps, hid) = (1200usize, vec![256usize, 256]);
            let t = Instant::now();
            let cfg = EdmTraining { hidden: hid.clone(), n_steps: steps, batch_size: 256, lr: 2e-3, sigma_max: 20.0, seed, ..EdmTraining::default() };
            let (model, _) = train_cfg(&train.centered(), &train.labels, 10, 0.2, &cfg);
            println!("digits seed {seed} train {steps} {hid:?}: {:.1}s", t.elapsed().as_secs_f64());
            for y in [3usize, 7] {
                for w in [0.0, 1.0, 3.0] {
                    let t = Instant::now();
                    let x = digits::from_centered(&model.sample_guided(200, y, w, 12, 5));
                    let sc = digit_scores(&x);
                    println!("  y {y} w {w}: share {:.3} confident {:.3} fd {:.2} ({:.2}s)", sc.counts[y] as f64 / 200.0, sc.confident, sc.frechet, t.elapsed().as_secs_f64());
                }
            }
        }
    }
    let _ = Array2::<f64>::zeros((1, 1));
}
