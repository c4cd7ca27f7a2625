//! Exercises of notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

use super::{close, vec_close, Feedback};
use crate::optim::{amsgrad_step, AmsGradState, AmsGradStep};
use ndarray::Array1;

/// A hidden problem for exercise 15.1: decays, and a stream of gradients with rare spikes.
struct Stream {
    beta1: f64,
    beta2: f64,
    grads: Vec<Array1<f64>>,
}

fn streams() -> Vec<Stream> {
    let mut rng = crate::rng::seeded(3301);
    [(1usize, 0.9, 0.99, 30usize), (3, 0.0, 0.5, 25), (5, 0.5, 0.9, 40)]
        .iter()
        .map(|&(d, beta1, beta2, n)| {
            let grads = (0..n).map(|k| {
                let z = Array1::from(crate::rng::normal_vec(&mut rng, d));
                // a spike every 7th step: afterwards v decays below its maximum
                let scale = if k % 7 == 0 { 10.0 } else { 1.0 };
                z.mapv(|v| scale * (v + 0.3 * v.signum()))
            }).collect();
            Stream { beta1, beta2, grads }
        })
        .collect()
}

/// Runs `step` over every hidden stream from x = 0.5 with $\alpha_t = 0.1/\sqrt t$; the iterates, flattened.
fn trajectories(step: &dyn Fn(&Array1<f64>, &Array1<f64>, f64, &mut AmsGradState, usize) -> Array1<f64>) -> Vec<Vec<f64>> {
    streams().iter().map(|s| {
        let d = s.grads[0].len();
        let mut state = AmsGradState::new(d, s.beta1, s.beta2);
        let mut x = Array1::from_elem(d, 0.5);
        let mut out = Vec::new();
        for (k, g) in s.grads.iter().enumerate() {
            x = step(&x, g, 0.1 / ((k + 1) as f64).sqrt(), &mut state, k + 1);
            out.extend(x.iter().copied());
            if x.len() != d {
                break; // a wrong shape: the check reports it (feeding it back would panic)
            }
        }
        out
    }).collect()
}

/// A variant of the update: how $\hat v$ is formed and how the step is taken.
#[derive(Clone, Copy)]
enum Slip { NoMax, MaxOfSquare, MaxIntoV, BiasCorrected, NoSqrt, GradientNotMomentum, Sign, StaleMomentum }

fn slipped(slip: Slip, x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState, t: usize) -> Array1<f64> {
    let m_old = s.m.clone();
    s.m = &s.m * s.beta1 + &(g * (1.0 - s.beta1));
    let v_new = &s.v * s.beta2 + &(g.mapv(|v| v * v) * (1.0 - s.beta2));
    let d = x.len();
    match slip {
        Slip::MaxOfSquare => {
            s.v = v_new;
            s.v_hat = Array1::from_shape_fn(d, |i| s.v_hat[i].max(g[i] * g[i]));
        }
        Slip::MaxIntoV => {
            s.v = Array1::from_shape_fn(d, |i| s.v_hat[i].max(v_new[i]));
            s.v_hat = s.v.clone();
        }
        _ => {
            s.v = v_new;
            s.v_hat = Array1::from_shape_fn(d, |i| s.v_hat[i].max(s.v[i]));
        }
    }
    Array1::from_shape_fn(d, |i| {
        let (m, vh) = (s.m[i], s.v_hat[i]);
        match slip {
            Slip::NoMax => x[i] - lr * m / s.v[i].sqrt(),
            Slip::BiasCorrected => x[i] - lr * (m / (1.0 - s.beta1.powi(t as i32))) / (vh / (1.0 - s.beta2.powi(t as i32))).sqrt(),
            Slip::NoSqrt => x[i] - lr * m / vh,
            Slip::GradientNotMomentum => x[i] - lr * g[i] / vh.sqrt(),
            Slip::Sign => x[i] + lr * m / vh.sqrt(),
            Slip::StaleMomentum => x[i] - lr * m_old[i] / vh.sqrt(),
            _ => x[i] - lr * m / vh.sqrt(),
        }
    })
}

/// Exercise 15.1 (implement): one AMSGrad step (Reddi, Kale & Kumar 2018, Algorithm 2, no bias
/// correction) with the signature of [`amsgrad_step`]. The check runs the student's function on
/// three hidden gradient streams (dimensions 1, 3, 5; several decays; rare large gradients so that
/// the maximum matters) and names the usual slip.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb15::check_q1(course::optim::amsgrad_step).is_correct());
/// ```
pub fn check_q1(step: AmsGradStep) -> Feedback {
    let ex = "15.1";
    let mine = trajectories(&|x, g, lr, s, _| step(x, g, lr, s));
    let agrees = |other: &[Vec<f64>]| mine.iter().zip(other).all(|(a, b)| vec_close(a, b, 1e-6));
    for (k, s) in streams().iter().enumerate() {
        let expected_len = s.grads.len() * s.grads[0].len();
        if mine[k].len() != expected_len {
            return Feedback::wrong(ex, format!("the step returns the new x, one entry per coordinate (dimension {}).", s.grads[0].len()));
        }
    }
    if mine.iter().flatten().any(|v| !v.is_finite()) {
        return Feedback::wrong(ex, "your iterates are not finite: v̂ must stay positive (update v before taking the maximum, and divide by √v̂).");
    }
    let reference = trajectories(&|x, g, lr, s, _| amsgrad_step(x, g, lr, s));
    if agrees(&reference) {
        return Feedback::correct(ex, "m and v as in Adam, v̂ = max(v̂, v), x − α m/√v̂: the effective step α/√v̂ can only shrink. The next cell runs your step on Reddi et al.'s problem.");
    }
    let named: [(Slip, &str); 8] = [
        (Slip::NoMax, "that is Adam without bias correction: v̂ must be the running maximum max(v̂, v), not the current v — the maximum is the whole point of AMSGrad."),
        (Slip::MaxOfSquare, "take the maximum of the moving average v (after its update), not of the raw g²."),
        (Slip::MaxIntoV, "keep v and v̂ separate: v is Adam's moving average, updated from its own previous value; only v̂ holds the maximum."),
        (Slip::BiasCorrected, "AMSGrad (Algorithm 2 of the paper) has no bias correction: divide m by √v̂ as they are."),
        (Slip::NoSqrt, "divide by √v̂, not v̂: the step must not depend on the scale of the gradients."),
        (Slip::GradientNotMomentum, "the numerator is the moving average m, not the current gradient g."),
        (Slip::Sign, "sign: the step goes against the momentum, x − α m/√v̂."),
        (Slip::StaleMomentum, "update m with the current gradient before taking the step (you used the previous m)."),
    ];
    for (slip, why) in named {
        if agrees(&trajectories(&|x, g, lr, s, t| slipped(slip, x, g, lr, s, t))) {
            return Feedback::wrong(ex, why);
        }
    }
    if mine.iter().zip(&reference).all(|(a, b)| close(a[0], b[0], 1e-6)) {
        return Feedback::wrong(ex, "the first step is right but later ones are not: check what you store in the state (m, v, v̂) for the next call.");
    }
    Feedback::wrong(ex, format!(
        "on the first hidden stream (β₁ = 0.9, β₂ = 0.99) the first iterate should be {:.6}, got {:.6}. m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², v̂ ← max(v̂, v), x ← x − α m/√v̂.",
        reference[0][0], mine[0][0]
    ))
}

/// The exact stationary second moment of $x_{k+1} = x_k - \eta(hx_k + \sigma_a\xi_k + \sigma_mx_k\zeta_k)$.
fn exact_variance(h: f64, sa: f64, sm: f64, lr: f64) -> f64 {
    lr * sa * sa / (2.0 * h - lr * h * h - lr * sm * sm)
}

/// The student's formula: `(h, sigma_a, sigma_m, lr) → stationary variance`.
pub type StationaryVariance = fn(f64, f64, f64, f64) -> f64;

/// Exercise 15.2 (derive): the exact stationary variance of one-dimensional SGD with additive and
/// multiplicative gradient noise, $x_{k+1} = x_k - \eta(hx_k + \sigma_a\xi_k + \sigma_m x_k\zeta_k)$
/// ($\xi_k,\zeta_k$ independent standard normal), as a function of $(h, \sigma_a, \sigma_m, \eta)$. The check
/// evaluates it at hidden parameters, some close to the stability edge, where the SDE's answer
/// is far off.
///
/// # Examples
/// ```
/// fn v(h: f64, sa: f64, sm: f64, lr: f64) -> f64 { lr * sa * sa / (2.0 * h - lr * h * h - lr * sm * sm) }
/// assert!(course::exercises::nb15::check_q2(v).is_correct());
/// ```
pub fn check_q2(formula: StationaryVariance) -> Feedback {
    let ex = "15.2";
    let cases = [(1.0, 1.0, 0.5, 0.1), (2.0, 0.5, 1.0, 0.6), (0.5, 2.0, 0.3, 2.5), (3.0, 1.5, 2.0, 0.3), (1.0, 0.7, 0.0, 1.5)];
    let all = |g: &dyn Fn(f64, f64, f64, f64) -> f64| cases.iter().all(|&(h, a, m, lr)| close(formula(h, a, m, lr), g(h, a, m, lr), 1e-6));
    if all(&exact_variance) {
        return Feedback::correct(ex, "v = ησ_a²/(2h − ηh² − ησ_m²): take E[x²] of both sides, use independence of x_k from the fresh noise, and solve v = (1−ηh)²v + η²σ_a² + η²σ_m²v. The −ηh² term is what the SDE misses.");
    }
    let slips: [(&dyn Fn(f64, f64, f64, f64) -> f64, &str); 7] = [
        (&|h, a, m, lr| lr * a * a / (2.0 * h - lr * m * m), "that is the SDE's (first-order) answer: it drops the η²h² v term of (1 − ηh)² = 1 − 2ηh + η²h². Keep it — the exercise asks for the exact recursion."),
        (&|h, a, _, lr| lr * a * a / (2.0 * h - lr * h * h), "the multiplicative noise σ_m x ζ also feeds the variance: E[(σ_m x ζ)²] = σ_m² v."),
        (&|h, a, _, lr| lr * a * a / (2.0 * h), "that is the additive-noise SDE prediction ησ²/(2h); both the η²h² term and the multiplicative noise are missing."),
        (&|h, a, m, lr| lr * a / (2.0 * h - lr * h * h - lr * m * m), "the noise enters squared: σ_a², not σ_a."),
        (&|h, a, m, lr| a * a / (2.0 * h - lr * h * h - lr * m * m), "the noise is multiplied by the step η, so it contributes η²σ_a² per step; after dividing by η one factor η remains in the numerator."),
        (&|h, a, m, lr| lr * a * a / (h - lr * h * h - lr * m * m), "(1 − ηh)² = 1 − 2ηh + η²h²: the linear term is 2ηh."),
        (&|h, a, m, lr| lr * a * a / (2.0 * h - lr * h * h + lr * m * m), "sign of σ_m²: multiplicative noise increases the variance (it adds η²σ_m² v on the right-hand side), so it lowers the denominator."),
    ];
    for (g, why) in slips {
        if all(g) {
            return Feedback::wrong(ex, why);
        }
    }
    let (h, a, m, lr) = cases[1];
    Feedback::wrong(ex, format!(
        "at h = {h}, σ_a = {a}, σ_m = {m}, η = {lr} the stationary variance is {:.6}, you gave {:.6}. Square the recursion, take expectations (x_k is independent of ξ_k and ζ_k), and solve for v = E x².",
        exact_variance(h, a, m, lr), formula(h, a, m, lr)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_accepts_the_reference_and_names_every_slip() {
        assert!(check_q1(amsgrad_step).is_correct());
        fn with(slip: Slip) -> impl Fn(&Array1<f64>, &Array1<f64>, f64, &mut AmsGradState) -> Array1<f64> {
            move |x, g, lr, s| slipped(slip, x, g, lr, s, 0)
        }
        // the slips that need no step count, as plain fns
        fn no_max(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { with(Slip::NoMax)(x, g, lr, s) }
        fn max_sq(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { with(Slip::MaxOfSquare)(x, g, lr, s) }
        fn into_v(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { with(Slip::MaxIntoV)(x, g, lr, s) }
        fn no_sqrt(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { with(Slip::NoSqrt)(x, g, lr, s) }
        fn grad(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { with(Slip::GradientNotMomentum)(x, g, lr, s) }
        fn sign(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { with(Slip::Sign)(x, g, lr, s) }
        fn stale(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { with(Slip::StaleMomentum)(x, g, lr, s) }
        // bias correction written as a student would: a step counter kept outside (here: from the state's decay of m is not available, so count in a thread-local)
        fn bias(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> {
            thread_local!(static T: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });
            // a fresh state (all zero) restarts the count
            if s.v_hat.iter().all(|&v| v == 0.0) { T.with(|t| t.set(0)); }
            let t = T.with(|t| { t.set(t.get() + 1); t.get() });
            slipped(Slip::BiasCorrected, x, g, lr, s, t)
        }
        fn scalar_only(x: &Array1<f64>, g: &Array1<f64>, lr: f64, s: &mut AmsGradState) -> Array1<f64> { amsgrad_step(x, g, lr, s).slice(ndarray::s![..1]).to_owned() }
        fn other(x: &Array1<f64>, _: &Array1<f64>, _: f64, _: &mut AmsGradState) -> Array1<f64> { x * 0.9 }
        // Oracle for the reference: with β₁ = β₂ = 0, AMSGrad's step is α g/max_{j≤k}|g_j|, by hand
        let mut s = AmsGradState::new(1, 0.0, 0.0);
        let x1 = amsgrad_step(&ndarray::array![0.0], &ndarray::array![2.0], 1.0, &mut s);
        let x2 = amsgrad_step(&x1, &ndarray::array![-1.0], 1.0, &mut s);
        assert!((x1[0] + 1.0).abs() < 1e-15 && (x2[0] + 0.5).abs() < 1e-15);
        assert!(check_q1(no_max).message.contains("maximum"));
        assert!(check_q1(max_sq).message.contains("raw g²"));
        assert!(check_q1(into_v).message.contains("separate"));
        assert!(check_q1(bias).message.contains("bias correction"));
        assert!(check_q1(no_sqrt).message.contains("√v̂, not v̂"));
        assert!(check_q1(grad).message.contains("not the current gradient"));
        assert!(check_q1(sign).message.contains("sign"));
        assert!(check_q1(stale).message.contains("previous m"));
        assert!(check_q1(scalar_only).message.contains("one entry per coordinate"));
        assert!(check_q1(other).message.contains("first iterate"));
    }

    #[test]
    fn q2_accepts_the_exact_variance_and_names_slips() {
        // Oracle: Monte Carlo of the recursion, within 3 % at two parameter sets (seeds 0–2 within 2 %)
        for &(h, a, m, lr) in &[(1.0, 1.0, 0.5, 0.5), (2.0, 0.5, 1.0, 0.6)] {
            let mc = crate::optim::sgd_1d_second_moment(h, a, m, lr, 1000, 400_000, 7);
            assert!((mc / exact_variance(h, a, m, lr) - 1.0).abs() < 0.03, "{mc} vs {}", exact_variance(h, a, m, lr));
        }
        fn right(h: f64, a: f64, m: f64, lr: f64) -> f64 { lr * a * a / (2.0 * h - lr * h * h - lr * m * m) }
        fn sde(h: f64, a: f64, m: f64, lr: f64) -> f64 { lr * a * a / (2.0 * h - lr * m * m) }
        fn additive(h: f64, a: f64, _m: f64, lr: f64) -> f64 { lr * a * a / (2.0 * h - lr * h * h) }
        fn ou(h: f64, a: f64, _m: f64, lr: f64) -> f64 { lr * a * a / (2.0 * h) }
        fn not_sq(h: f64, a: f64, m: f64, lr: f64) -> f64 { lr * a / (2.0 * h - lr * h * h - lr * m * m) }
        fn no_eta(h: f64, a: f64, m: f64, lr: f64) -> f64 { a * a / (2.0 * h - lr * h * h - lr * m * m) }
        fn no_two(h: f64, a: f64, m: f64, lr: f64) -> f64 { lr * a * a / (h - lr * h * h - lr * m * m) }
        fn plus(h: f64, a: f64, m: f64, lr: f64) -> f64 { lr * a * a / (2.0 * h - lr * h * h + lr * m * m) }
        fn other(_: f64, _: f64, _: f64, _: f64) -> f64 { 1.0 }
        assert!(check_q2(right).is_correct());
        assert!(check_q2(sde).message.contains("SDE's (first-order)"));
        assert!(check_q2(additive).message.contains("multiplicative noise σ_m"));
        assert!(check_q2(ou).message.contains("both"));
        assert!(check_q2(not_sq).message.contains("squared"));
        assert!(check_q2(no_eta).message.contains("one factor η"));
        assert!(check_q2(no_two).message.contains("linear term"));
        assert!(check_q2(plus).message.contains("sign of σ_m²"));
        assert!(check_q2(other).message.contains("you gave"));
    }
}
