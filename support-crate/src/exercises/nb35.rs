//! Exercises of notebooks/35-stochastic-control-and-sampling.ipynb.

use super::{Feedback, close};

/// Exercise 35.1: the Girsanov log-weight $\log\frac{dQ_u}{dP_0}$ of a path with end point
/// `x1` under the constant drift `u = m` and diffusion `sigma`:
/// $(m\cdot x_1 - \tfrac12\lvert m\rvert^2)/\sigma^2$ (it depends on the path only through $X_1$).
///
/// # Panics
/// If `m` and `x1` differ in length or `sigma <= 0`.
///
/// # Examples
/// ```
/// // m = (1, 0), σ = 1, X_1 = (2, 5): 2 − 1/2
/// let f = course::exercises::nb35::check_q1(&[1.0, 0.0], 1.0, &[2.0, 5.0], 1.5);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(m: &[f64], sigma: f64, x1: &[f64], answer: f64) -> Feedback {
    let ex = "35.1";
    assert_eq!(m.len(), x1.len(), "check_q1: m and x1 must have the same length");
    assert!(sigma > 0.0, "check_q1: sigma must be > 0, got {sigma}");
    let dot: f64 = m.iter().zip(x1).map(|(a, b)| a * b).sum();
    let m2: f64 = m.iter().map(|a| a * a).sum();
    let expected = (dot - 0.5 * m2) / (sigma * sigma);
    if close(answer, expected, 1e-9) {
        return Feedback::correct(ex, format!(
            "log dQ/dP = (m·X₁ − |m|²/2)/σ² = {expected:.6}: the ratio of the end laws N(m, σ²I) and N(0, σ²I), the only place a constant drift shows."
        ));
    }
    if close(answer, (dot + 0.5 * m2) / (sigma * sigma), 1e-9) {
        return Feedback::wrong(ex, "the sign of |m|²/2: in terms of X₁ = m + σW₁ it is subtracted (it is added when written with W₁).");
    }
    if close(answer, -expected, 1e-9) {
        return Feedback::wrong(ex, "that is log dP/dQ: the weight that turns Q-samples into P-samples is its exponential, the ratio the other way round.");
    }
    if close(answer, dot - 0.5 * m2, 1e-9) || close(answer, (dot - 0.5 * m2) / sigma, 1e-9) {
        return Feedback::wrong(ex, "divide by σ² (the variance of X₁ under both laws).");
    }
    Feedback::wrong(ex, format!("expected (m·X₁ − |m|²/2)/σ² = {expected:.6}, got {answer:.6}."))
}

/// Exercise 35.2: Kish's effective sample size $(\sum w_i)^2/\sum w_i^2$ of the weights
/// $w_i = e^{\ell_i}$ given by their logarithms.
///
/// # Panics
/// If `log_weights` is empty.
///
/// # Examples
/// ```
/// let f = course::exercises::nb35::check_q2(&[0.0, 0.0, 0.0, 0.0], 4.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(log_weights: &[f64], ess: f64) -> Feedback {
    let ex = "35.2";
    assert!(!log_weights.is_empty(), "check_q2: log_weights must be non-empty");
    let n = log_weights.len() as f64;
    let expected = crate::generative::control::effective_sample_size(log_weights);
    if close(ess, expected, 1e-8) {
        return Feedback::correct(ex, format!(
            "ESS = (Σw)²/Σw² = {expected:.2} of n = {n}: the variance of a weighted mean is about that of a plain mean of ESS samples."
        ));
    }
    if close(ess, expected / n, 1e-8) {
        return Feedback::wrong(ex, "that is the ESS fraction ESS/n; the exercise asks for the ESS itself.");
    }
    if close(ess, 1.0 / expected, 1e-8) {
        return Feedback::wrong(ex, "upside down: (Σw)² goes in the numerator, Σw² in the denominator.");
    }
    let s1: f64 = log_weights.iter().sum();
    let s2: f64 = log_weights.iter().map(|l| l * l).sum();
    if s2 > 0.0 && close(ess, s1 * s1 / s2, 1e-8) {
        return Feedback::wrong(ex, "the formula takes the weights wᵢ = exp(ℓᵢ), not their logarithms.");
    }
    Feedback::wrong(ex, format!("expected (Σw)²/Σw² = {expected:.4}, got {ess:.4}; subtract max ℓ before exponentiating to avoid overflow."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_matches_the_ratio_of_gaussian_densities_and_spots_slips() {
        // Oracle: log N(x; m, σ²I) − log N(x; 0, σ²I) computed directly.
        let (m, sigma, x) = ([0.3, -1.2], 0.7, [1.1, 0.4]);
        let logn = |mu: [f64; 2]| -((x[0] - mu[0]).powi(2) + (x[1] - mu[1]).powi(2)) / (2.0 * sigma * sigma);
        let truth = logn(m) - logn([0.0, 0.0]);
        assert!(check_q1(&m, sigma, &x, truth).is_correct());
        assert!(check_q1(&m, sigma, &x, -truth).message.contains("log dP/dQ"));
        let plus = (m[0] * x[0] + m[1] * x[1] + 0.5 * (m[0] * m[0] + m[1] * m[1])) / (sigma * sigma);
        assert!(check_q1(&m, sigma, &x, plus).message.contains("sign"));
        assert!(check_q1(&m, sigma, &x, truth * sigma * sigma).message.contains("σ²"));
    }

    #[test]
    fn q2_spots_the_fraction_and_the_inverse() {
        let lw = [0.0, 1.0, -2.0, 0.5];
        let w: Vec<f64> = lw.iter().map(|l: &f64| l.exp()).collect();
        let ess = w.iter().sum::<f64>().powi(2) / w.iter().map(|v| v * v).sum::<f64>();
        assert!(check_q2(&lw, ess).is_correct());
        assert!(check_q2(&lw, ess / 4.0).message.contains("fraction"));
        assert!(check_q2(&lw, 1.0 / ess).message.contains("upside down"));
        assert!(check_q2(&lw, 12.0).message.contains("expected"));
    }
}

// ---------------------------------------------------------------------------------------------
// Section 3: score matching through a nonlinear differentiable simulator (SMDP).

use crate::generative::control::{AdjointStep, Drift, NonlinearSimulator, PhysicsScore};

/// Hidden models for [`check_q_phys1`]: quadratic drag and a linear trap, random weights.
fn phys_models() -> Vec<PhysicsScore> {
    let mut rng = crate::rng::seeded(3535);
    let sims = [
        NonlinearSimulator::new(Drift::Quadratic { lambda: 1.5 }, 0.7, 0.05),
        NonlinearSimulator::new(Drift::Linear { lambda: 0.8 }, 1.3, 0.02),
    ];
    sims.iter().map(|&sim| {
        let mut m = PhysicsScore::zeros(sim, 6, 5, 2.0);
        for th in m.theta.iter_mut() {
            *th = crate::rng::normal_vec(&mut rng, th.len()).iter().map(|z| 3.0 * z).collect();
        }
        m
    }).collect()
}

/// Exercise 35.3 (implement): the adjoint of one reverse step
/// $R_\theta(x) = x - \Delta t\,\mathcal P(x) + g^2\Delta t\,s_\theta(x, k)$: given
/// $\bar x_{\text{out}} = \partial\ell/\partial R_\theta(x)$, return
/// $\partial\ell/\partial x = \bar x_{\text{out}}\,\partial_x R_\theta(x)$. The check runs the
/// student's function on hidden models (quadratic drag and a linear trap, random weights), states
/// (negative, zero, positive), steps $k$ and adjoints, and names the usual slip.
///
/// # Examples
/// ```
/// use course::generative::control::PhysicsScore;
/// fn reverse_step_adjoint(model: &PhysicsScore, x: f64, k: usize, bar_out: f64) -> f64 {
///     let s = model.sim;
///     bar_out * (1.0 - s.dt * s.drift_dx(x) + s.g * s.g * s.dt * model.score_dx(x, k))
/// }
/// assert!(course::exercises::nb35::check_q_phys1(reverse_step_adjoint).is_correct());
/// ```
pub fn check_q_phys1(student: AdjointStep) -> Feedback {
    let ex = "35.3";
    let models = phys_models();
    let cases: Vec<(usize, f64, usize, f64)> = vec![
        (0, 0.8, 3, 1.0), (0, -1.3, 2, 0.7), (0, 0.0, 4, -2.0), (0, 2.1, 5, 0.3),
        (1, -0.6, 3, 1.0), (1, 1.7, 4, -1.1), (1, 0.2, 2, 2.5),
    ];
    let agrees = |f: &dyn Fn(&PhysicsScore, f64, usize, f64) -> f64| {
        cases.iter().all(|&(mi, x, k, bar)| {
            let (got, want) = (student(&models[mi], x, k, bar), f(&models[mi], x, k, bar));
            got.is_finite() && close(got, want, 1e-9)
        })
    };
    let parts = |m: &PhysicsScore, x: f64, k: usize| {
        let s = m.sim;
        (s.dt * s.drift_dx(x), s.g * s.g * s.dt, m.score_dx(x, k))
    };
    if agrees(&|m, x, k, b| crate::generative::control::adjoint_step(m, x, k, b)) {
        return Feedback::correct(ex, "∂R/∂x = 1 − Δt P′(x) + g²Δt ∂ₓs_θ(x, k): the chain rule goes through the backward physics as well as the score. The next cell trains the multi-step loss with your adjoint.");
    }
    if agrees(&|m, x, k, b| { let (_, c, d) = parts(m, x, k); b * (1.0 + c * d) }) {
        return Feedback::wrong(ex, "you treated the simulator as a black box: the backward physics x − Δt P(x) depends on x too, so its Jacobian 1 − Δt P′(x) belongs in the chain rule (that is what “differentiable physics” means). You dropped −Δt P′(x)".to_owned() + "; use model.sim.drift_dx(x).");
    }
    if agrees(&|m, x, k, b| { let (p, c, d) = parts(m, x, k); b * (1.0 + p + c * d) }) {
        return Feedback::wrong(ex, "sign of the physics term: the reverse step runs the physics backwards, x − Δt P(x), so its derivative is 1 − Δt P′(x), not 1 + Δt P′(x).");
    }
    if agrees(&|m, x, k, b| { let (p, _, _) = parts(m, x, k); b * (1.0 - p) }) {
        return Feedback::wrong(ex, "the correction g²Δt s_θ(x, k) depends on x as well: add g²Δt ∂ₓs_θ(x, k) (model.score_dx(x, k)).");
    }
    if agrees(&|m, x, k, b| { let (p, c, d) = parts(m, x, k); b * (1.0 - p + d * c / m.sim.g.powi(2)) }) {
        return Feedback::wrong(ex, "the score enters the step multiplied by g²Δt, so its derivative does too: g²Δt ∂ₓs_θ(x, k).");
    }
    if agrees(&|m, x, k, b| { let (p, c, d) = parts(m, x, k); b * (-p + c * d) }) {
        return Feedback::wrong(ex, "the step starts from x itself (R(x) = x − Δt P(x) + …): its derivative starts with 1.");
    }
    if agrees(&|m, x, k, _| { let (p, c, d) = parts(m, x, k); 1.0 - p + c * d }) {
        return Feedback::wrong(ex, "that is ∂R/∂x alone; the adjoint multiplies it by the incoming bar_out (the chain rule).");
    }
    for dk in [-1i64, 1] {
        if agrees(&|m, x, k, b| { let (p, c, _) = parts(m, x, k); b * (1.0 - p + c * m.score_dx(x, (k as i64 + dk) as usize)) }) {
            return Feedback::wrong(ex, format!("wrong time index: the step R_θ(·, k) uses the score at step k, you used step k {} 1.", if dk < 0 { "−" } else { "+" }));
        }
    }
    let (mi, x, k, bar) = cases[0];
    Feedback::wrong(ex, format!(
        "at x = {x}, k = {k}, bar_out = {bar}: expected {:.6}, got {:.6}. ∂R/∂x = 1 − Δt P′(x) + g²Δt ∂ₓs_θ(x, k).",
        crate::generative::control::adjoint_step(&models[mi], x, k, bar), student(&models[mi], x, k, bar)
    ))
}

#[cfg(test)]
mod phys_tests {
    use super::*;

    fn reference(m: &PhysicsScore, x: f64, k: usize, b: f64) -> f64 {
        // independent: central finite difference of the reverse step
        let h = 1e-6;
        b * (m.reverse_step(x + h, k) - m.reverse_step(x - h, k)) / (2.0 * h)
    }

    #[test]
    fn q_phys1_accepts_the_chain_rule_and_names_slips() {
        // the reference agrees with finite differences of the step on the hidden inputs
        for m in phys_models() {
            for (x, k) in [(0.8, 3), (-1.3, 2), (0.2, 5)] {
                let a = crate::generative::control::adjoint_step(&m, x, k, 1.7);
                assert!((a - reference(&m, x, k, 1.7)).abs() < 1e-6 * (1.0 + a.abs()), "{a}");
            }
        }
        assert!(check_q_phys1(crate::generative::control::adjoint_step).is_correct());
        fn black_box(m: &PhysicsScore, x: f64, k: usize, b: f64) -> f64 { let s = m.sim; b * (1.0 + s.g * s.g * s.dt * m.score_dx(x, k)) }
        assert!(check_q_phys1(black_box).message.contains("black box"));
        fn plus(m: &PhysicsScore, x: f64, k: usize, b: f64) -> f64 { let s = m.sim; b * (1.0 + s.dt * s.drift_dx(x) + s.g * s.g * s.dt * m.score_dx(x, k)) }
        assert!(check_q_phys1(plus).message.contains("sign"));
        fn no_score(m: &PhysicsScore, x: f64, _k: usize, b: f64) -> f64 { let s = m.sim; b * (1.0 - s.dt * s.drift_dx(x)) }
        assert!(check_q_phys1(no_score).message.contains("score_dx"));
        fn no_g2(m: &PhysicsScore, x: f64, k: usize, b: f64) -> f64 { let s = m.sim; b * (1.0 - s.dt * s.drift_dx(x) + s.dt * m.score_dx(x, k)) }
        assert!(check_q_phys1(no_g2).message.contains("multiplied by g²Δt"));
        fn no_one(m: &PhysicsScore, x: f64, k: usize, b: f64) -> f64 { let s = m.sim; b * (-s.dt * s.drift_dx(x) + s.g * s.g * s.dt * m.score_dx(x, k)) }
        assert!(check_q_phys1(no_one).message.contains("starts with 1"));
        fn no_bar(m: &PhysicsScore, x: f64, k: usize, _b: f64) -> f64 { let s = m.sim; 1.0 - s.dt * s.drift_dx(x) + s.g * s.g * s.dt * m.score_dx(x, k) }
        assert!(check_q_phys1(no_bar).message.contains("bar_out"));
        fn late(m: &PhysicsScore, x: f64, k: usize, b: f64) -> f64 { let s = m.sim; b * (1.0 - s.dt * s.drift_dx(x) + s.g * s.g * s.dt * m.score_dx(x, k + 1)) }
        assert!(check_q_phys1(late).message.contains("time index"));
        fn early(m: &PhysicsScore, x: f64, k: usize, b: f64) -> f64 { let s = m.sim; b * (1.0 - s.dt * s.drift_dx(x) + s.g * s.g * s.dt * m.score_dx(x, k - 1)) }
        assert!(check_q_phys1(early).message.contains("time index"));
        fn junk(_m: &PhysicsScore, x: f64, _k: usize, b: f64) -> f64 { b * x }
        assert!(check_q_phys1(junk).message.contains("expected"));
    }
}


/// The signature of Exercise 35.4: one EGNN coordinate update of a single cloud
/// $[x_1, y_1, \dots, x_N, y_N]$ with an edge weight $\varphi$ of the squared distance.
pub type EgnnUpdate = fn(&[f64], &dyn Fn(f64) -> f64) -> Vec<f64>;

/// Exercise 35.4: the EGNN update $x_i \leftarrow x_i + \sum_{j\ne i}(x_i - x_j)\,\varphi(\lvert x_i - x_j\rvert^2)$.
/// Runs `update` on hidden clouds (N = 2, 3, 5, 7; two edge weights), compares it with
/// [`crate::generative::control::egnn_update`], checks that it commutes with a rotation, a
/// translation and a relabelling of the points, and names the usual slips.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb35::check_q_geo1(course::generative::control::egnn_update).is_correct());
/// ```
pub fn check_q_geo1(update: EgnnUpdate) -> Feedback {
    use crate::generative::control::egnn_update;
    let ex = "35.4";
    let phis: [&dyn Fn(f64) -> f64; 2] = [&|s: f64| 0.1 - 0.3 * (-s).exp(), &|s: f64| -0.05 / (1.0 + s * s)];
    let mut rng = crate::rng::seeded(3503);
    let clouds: Vec<Vec<f64>> = [2usize, 3, 5, 7].iter().map(|&n| crate::rng::normal_vec(&mut rng, 2 * n).iter().map(|v| 1.3 * v + 0.4).collect()).collect();
    for x in &clouds {
        let y = update(x, phis[0]);
        if y.len() != x.len() {
            return Feedback::wrong(ex, format!("the update returns the new cloud, as long as x: expected {} numbers, got {}.", x.len(), y.len()));
        }
    }
    let agrees = |g: &dyn Fn(&[f64], &dyn Fn(f64) -> f64) -> Vec<f64>| {
        clouds.iter().all(|x| phis.iter().all(|phi| update(x, *phi).iter().zip(g(x, *phi)).all(|(a, b)| close(*a, b, 1e-10))))
    };
    if agrees(&|x, phi| egnn_update(x, phi)) {
        return Feedback::correct(ex, "x_i + Σ_{j≠i} (x_i − x_j) φ(|x_i − x_j|²): every input of φ is invariant, so the update commutes with rotations, translations and relabellings. The next cell relaxes LJ clusters with it.");
    }
    // Equivariance: rotate by 0.8, shift by (1.5, −0.7), reverse the labels.
    let (c, s) = (0.8f64.cos(), 0.8f64.sin());
    let transform = |x: &[f64], shift: bool| -> Vec<f64> {
        let n = x.len() / 2;
        let mut out = vec![0.0; x.len()];
        for i in 0..n {
            let k = n - 1 - i;
            let (a, b) = (x[2 * k], x[2 * k + 1]);
            out[2 * i] = c * a - s * b + if shift { 1.5 } else { 0.0 };
            out[2 * i + 1] = s * a + c * b + if shift { -0.7 } else { 0.0 };
        }
        out
    };
    let equivariant = clouds.iter().all(|x| {
        let lhs = update(&transform(x, true), phis[0]);
        let rhs = transform(&update(x, phis[0]), true);
        lhs.iter().zip(&rhs).all(|(a, b)| close(*a, *b, 1e-9))
    });
    let msg = |x: &[f64], phi: &dyn Fn(f64) -> f64| -> Vec<f64> { egnn_update(x, phi).iter().zip(x).map(|(y, xi)| y - xi).collect() };
    if agrees(&|x, phi| msg(x, phi)) {
        return Feedback::wrong(ex, "you return only the messages Σ_j (x_i − x_j)φ: the update adds them to x_i (a residual step).");
    }
    if agrees(&|x, phi| x.iter().zip(msg(x, phi)).map(|(a, m)| a - m).collect()) {
        return Feedback::wrong(ex, "sign: the message is (x_i − x_j)φ, pointing from x_j to x_i (with (x_j − x_i) a positive φ attracts instead of repels).");
    }
    if agrees(&|x, phi| egnn_update(x, &|s| phi(s.sqrt()))) {
        return Feedback::wrong(ex, "φ takes the squared distance |x_i − x_j|², not the distance (no square root: it is smooth at 0).");
    }
    for k in [1usize, 0] {
        if agrees(&|x, phi| {
            let n = (x.len() / 2) as f64;
            let d = if k == 1 { n - 1.0 } else { n };
            x.iter().zip(msg(x, phi)).map(|(a, m)| a + m / d).collect()
        }) {
            return Feedback::wrong(ex, "the messages are summed over j ≠ i, not averaged.");
        }
    }
    if agrees(&upper_pairs_only) {
        return Feedback::wrong(ex, "every point receives a message from every other point j ≠ i, not only from j > i.");
    }
    if !equivariant {
        return Feedback::wrong(ex, "the update does not commute with rotating, shifting and relabelling the cloud: use only differences x_i − x_j, and φ of the invariant |x_i − x_j|².");
    }
    let x = &clouds[1];
    Feedback::wrong(ex, format!(
        "on a triangle with φ(s) = 0.1 − 0.3e^(−s): expected x₁ ↦ ({:.5}, {:.5}), got ({:.5}, {:.5}).",
        egnn_update(x, phis[0])[0], egnn_update(x, phis[0])[1], update(x, phis[0])[0], update(x, phis[0])[1]
    ))
}

/// The slip "messages only from j > i": each pair updates only its first point.
fn upper_pairs_only(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
    let n = x.len() / 2;
    let mut out = x.to_vec();
    for i in 0..n {
        for j in i + 1..n {
            let (dx, dy) = (x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
            let w = phi(dx * dx + dy * dy);
            out[2 * i] += dx * w;
            out[2 * i + 1] += dy * w;
        }
    }
    out
}

#[cfg(test)]
mod geo_tests {
    use super::*;
    use crate::generative::control::egnn_update;

    fn messages(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        egnn_update(x, phi).iter().zip(x).map(|(y, xi)| y - xi).collect()
    }
    fn only_messages(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        messages(x, phi)
    }
    fn wrong_sign(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        x.iter().zip(messages(x, phi)).map(|(a, m)| a - m).collect()
    }
    fn of_distance(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        egnn_update(x, &|s| phi(s.sqrt()))
    }
    fn averaged(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        let d = (x.len() / 2 - 1) as f64;
        x.iter().zip(messages(x, phi)).map(|(a, m)| a + m / d).collect()
    }
    fn upper_pairs(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        super::upper_pairs_only(x, phi)
    }
    fn absolute_positions(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        // x_i + Σ_j x_j φ(s_ij): not translation-equivariant
        let n = x.len() / 2;
        let mut out = x.to_vec();
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    let (dx, dy) = (x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]);
                    let w = phi(dx * dx + dy * dy);
                    out[2 * i] += x[2 * j] * w;
                    out[2 * i + 1] += x[2 * j + 1] * w;
                }
            }
        }
        out
    }
    fn slightly_off(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        egnn_update(x, &|s| 1.01 * phi(s))
    }
    fn dropped_point(x: &[f64], phi: &dyn Fn(f64) -> f64) -> Vec<f64> {
        egnn_update(x, phi)[..x.len() - 2].to_vec()
    }

    #[test]
    fn geo1_accepts_the_reference_and_names_every_slip() {
        assert!(check_q_geo1(egnn_update).is_correct());
        assert!(check_q_geo1(only_messages).message.contains("residual"));
        assert!(check_q_geo1(wrong_sign).message.contains("sign"));
        assert!(check_q_geo1(of_distance).message.contains("squared distance"));
        assert!(check_q_geo1(averaged).message.contains("not averaged"));
        assert!(check_q_geo1(upper_pairs).message.contains("j > i"));
        assert!(check_q_geo1(absolute_positions).message.contains("does not commute"));
        assert!(check_q_geo1(slightly_off).message.contains("expected"));
        assert!(check_q_geo1(dropped_point).message.contains("as long as x"));
    }
}
