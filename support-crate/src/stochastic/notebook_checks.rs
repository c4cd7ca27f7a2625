//! The statistical assertions of notebooks/14-stochastic-processes-and-sdes.ipynb, re-run on
//! other seeds: a check that passes only for the notebook's lucky seed would be a defect.

use super::*;
use crate::rng::seeded;
use ndarray::array;

#[test]
fn markov_frequencies_within_four_clt_sd_on_other_seeds() {
    let p4 = array![[0.5, 0.3, 0.2, 0.0], [0.1, 0.6, 0.2, 0.1], [0.0, 0.3, 0.4, 0.3], [0.2, 0.0, 0.3, 0.5]];
    let chain = MarkovChain::new(p4);
    let pi = chain.stationary();
    for seed in 100..108 {
        let freq = empirical_frequencies(&chain.simulate(0, 199_999, &mut seeded(seed)), 4);
        for i in 0..4 {
            let mut f = vec![0.0; 4];
            f[i] = 1.0;
            let sd = (chain.asymptotic_variance(&f) / 200_000.0).sqrt();
            assert!((freq[i] - pi[i]).abs() < 4.0 * sd, "seed {seed} state {i}");
        }
    }
}

#[test]
fn ito_slope_and_strong_orders_hold_on_other_seeds() {
    let g = GeometricBrownianMotion { mu: 0.5, sigma: 1.0 };
    let exact = |w: f64| g.exact(1.0, 1.0, w);
    let levels = [16, 32, 64, 128, 256, 512];
    for seed in 200..206 {
        let em = strong_errors(&g, Scheme::EulerMaruyama, 1.0, 1.0, &levels, 10_000, &exact, &mut seeded(seed));
        let mil = strong_errors(&g, Scheme::Milstein, 1.0, 1.0, &levels, 10_000, &exact, &mut seeded(seed));
        assert!(em.max_relative_se().max(mil.max_relative_se()) < 0.05, "seed {seed}: rel se {} {}", em.max_relative_se(), mil.max_relative_se());
        assert!((em.order() - 0.5).abs() < 0.07, "seed {seed}: EM {}", em.order());
        assert!((mil.order() - 1.0).abs() < 0.07, "seed {seed}: Milstein {}", mil.order());
        let l2 = ito_l2_errors(&[4, 16, 64, 256, 1024], 4000, 1.0, &mut seeded(seed));
        let s = crate::dynamics::loglog_slope(&l2.iter().map(|r| r.0).collect::<Vec<_>>(), &l2.iter().map(|r| r.1).collect::<Vec<_>>());
        assert!((s - 1.0).abs() < 0.035, "seed {seed}: Itô slope {s}");
    }
}

#[test]
fn weak_errors_match_the_closed_form_on_other_seeds() {
    let g = GeometricBrownianMotion { mu: 0.5, sigma: 1.0 };
    let exact = |w: f64| g.exact(1.0, 1.0, w);
    for seed in 300..304 {
        for scheme in [Scheme::EulerMaruyama, Scheme::Milstein] {
            let wk = weak_errors(&g, scheme, 1.0, 1.0, &[2, 4, 8, 16, 32], 40_000, &exact, &|x| x, &mut seeded(seed));
            for (i, &dt) in wk.dts.iter().enumerate() {
                let closed = (0.5f64.exp() - (1.0 + 0.5 * dt).powf(1.0 / dt)).abs();
                assert!((wk.errors[i] - closed).abs() < 4.0 * wk.std_errors[i], "seed {seed} {scheme:?} dt {dt}");
            }
        }
    }
}

#[test]
fn fokker_planck_against_particles_on_other_seeds() {
    let ou = OrnsteinUhlenbeck { theta: 1.0, sigma: 1.0 };
    let p0 = |x: f64| ou.density(1.5, 0.05, 0.0, x);
    let sol = fokker_planck_1d(&ou, -4.0, 4.0, 400, &p0, 1.0);
    let l1 = sol.l1_distance(&|x| ou.density(1.5, 0.05, 1.0, x));
    assert!(l1 < 1e-3 / 3.0, "L¹ = {l1}: want a 3× margin under the notebook's 1e-3");
    let (edges, probs) = sol.bin_probabilities(10);
    for seed in 400..406 {
        let starts: Vec<f64> = crate::rng::normal_vec(&mut seeded(seed), 100_000).iter().map(|z| 1.5 + 0.05f64.sqrt() * z).collect();
        let particles = ou.exact_paths(&starts, 1.0, 10, 100_000, &mut seeded(seed + 50)).column(10).to_vec();
        let chi = crate::probability::chi_square(&particles, &edges, &probs);
        assert!(chi.statistic < chi.four_sd_threshold(), "seed {seed}: {chi:?}");
    }
}

#[test]
fn optional_stopping_checks_hold_on_other_seeds() {
    for seed in 500..505 {
        let r = gamblers_ruin(3, 0, 10, 1_000_000, 40_000, &mut seeded(seed));
        assert!((r.hit_upper_frequency() - 0.3).abs() < 4.0 * (0.21f64 / 40_000.0).sqrt());
        for n_trunc in [10usize, 1000, 10_000] {
            let r = gamblers_ruin(0, -(n_trunc as i64) - 1, 1, n_trunc, 20_000, &mut seeded(seed));
            assert!(r.mean_final().abs() < 4.0 * r.sd_final() / (20_000f64).sqrt(), "seed {seed} N {n_trunc}");
        }
    }
}
