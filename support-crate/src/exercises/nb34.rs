//! Exercises of notebooks/34-flows-and-flow-matching.ipynb.

use super::{Feedback, close, vec_close};
use crate::generative::flows::{ProbabilityPath, dnf_step_term};
use ndarray::Array2;
use std::f64::consts::PI;

/// $\log\mathcal N(z; 0, I_2)$.
fn log_std_normal(z: [f64; 2]) -> f64 {
    -(2.0 * PI).ln() - 0.5 * (z[0] * z[0] + z[1] * z[1])
}

/// Exercise 34.1: the change of variables for the affine flow $z = f(x) = Ax + b$ in 2-D:
/// $\log p(x) = \log\mathcal N(Ax + b; 0, I) + \log|\det A|$.
///
/// # Panics
/// If `a` is not 2 × 2 or `b`, `x` do not have 2 entries.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// // A = 2I, b = 0, x = 0: log N(0) + ln 4
/// let lp = -(2.0 * std::f64::consts::PI).ln() + 4f64.ln();
/// assert!(course::exercises::nb34::check_q1(&array![[2.0, 0.0], [0.0, 2.0]], &[0.0, 0.0], &[0.0, 0.0], lp).is_correct());
/// ```
pub fn check_q1(a: &Array2<f64>, b: &[f64], x: &[f64], log_p: f64) -> Feedback {
    let ex = "34.1";
    assert_eq!(a.dim(), (2, 2), "check_q1: a must be 2 × 2, got {:?}", a.dim());
    assert!(b.len() == 2 && x.len() == 2, "check_q1: b and x must have 2 entries");
    let z = [a[[0, 0]] * x[0] + a[[0, 1]] * x[1] + b[0], a[[1, 0]] * x[0] + a[[1, 1]] * x[1] + b[1]];
    let det = a[[0, 0]] * a[[1, 1]] - a[[0, 1]] * a[[1, 0]];
    let base = log_std_normal(z);
    let expected = base + det.abs().ln();
    if close(log_p, expected, 1e-9) {
        return Feedback::correct(ex, format!("log p(x) = {expected:.6}: the base density at z = f(x), plus log|det A| = {:.4} for the volume change.", det.abs().ln()));
    }
    if close(log_p, base, 1e-9) {
        return Feedback::wrong(ex, "that is log N(f(x)) alone: add log|det A|, the change of volume.");
    }
    if close(log_p, base - det.abs().ln(), 1e-9) {
        return Feedback::wrong(ex, "the sign of the log-determinant is flipped: z = f(x) maps data to noise, so log p(x) = log N(f(x)) + log|det J_f(x)|.");
    }
    if close(log_p, base + det.abs(), 1e-9) {
        return Feedback::wrong(ex, "you added |det A|; the formula adds its logarithm.");
    }
    if close(log_p, expected + (2.0 * PI).ln(), 1e-9) || close(log_p, expected + 0.5 * (2.0 * PI).ln(), 1e-9) {
        return Feedback::wrong(ex, "the normalizing constant of N(0, I₂) is missing: log N(z) = −ln(2π) − ‖z‖²/2 in 2-D.");
    }
    let base_x = log_std_normal([x[0], x[1]]) + det.abs().ln();
    if close(log_p, base_x, 1e-9) {
        return Feedback::wrong(ex, "evaluate the base density at z = Ax + b, not at x.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {log_p:.6}: z = {z:?}, log N(z) = {base:.6}, det A = {det:.6}."))
}

/// Exercise 34.2: the marginal velocity $v_t(x)$ of the OT path with `sigma_min` for
/// one-dimensional Gaussian data $\mathcal N(m, s^2)$, at the point `x` and time `t`.
///
/// # Panics
/// If `s <= 0`, `sigma_min` is not in `[0, 1)` or `t` not in `[0, 1]`.
///
/// # Examples
/// ```
/// // at the mean x = t m of p_t the OT field is m
/// assert!(course::exercises::nb34::check_q2(0.0, 2.0, 1.0, 0.3, 0.6, 2.0).is_correct());
/// ```
pub fn check_q2(sigma_min: f64, m: f64, s: f64, t: f64, x: f64, v: f64) -> Feedback {
    let ex = "34.2";
    assert!(s > 0.0, "check_q2: s must be > 0, got {s}");
    let path = ProbabilityPath::ot(sigma_min);
    let expected = path.gaussian_marginal_velocity(&Array2::from_elem((1, 1), x), &[m], s, t)[[0, 0]];
    if close(v, expected, 1e-9) {
        return Feedback::correct(ex, format!("v_t(x) = {expected:.6}: the regression of u_t on x_t, which is what flow matching learns."));
    }
    // the conditional velocity towards the mean instead of the marginal one
    let a = 1.0 - (1.0 - sigma_min) * t;
    let cond = (m - (1.0 - sigma_min) * x) / a;
    if close(v, cond, 1e-9) {
        return Feedback::wrong(ex, "that is the conditional velocity u_t(x | x₁ = m), as if every data point were at the mean; the marginal field averages over x₁ given x_t = x, so the spread s enters.");
    }
    let no_sigma = ProbabilityPath::ot(0.0).gaussian_marginal_velocity(&Array2::from_elem((1, 1), x), &[m], s, t)[[0, 0]];
    if sigma_min > 0.0 && close(v, no_sigma, 1e-9) {
        return Feedback::wrong(ex, "you used σ_min = 0: with σ_min > 0, a_t = 1 − (1 − σ_min)t and ȧ_t = −(1 − σ_min).");
    }
    if vec_close(&[v], &[m - x], 1e-9) {
        return Feedback::wrong(ex, "m − x is the straight line to the mean at unit speed, not the marginal field.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {v:.6}. With a_t, b_t = t and their derivatives: v = ḃ m + (a ȧ + b ḃ s²)/(a² + b² s²)·(x − b m)."))
}

/// The student's flow sampler: `(velocity, x0, n_steps) → x at t = 1`.
pub type FlowSampler = fn(&dyn Fn(&Array2<f64>, f64) -> Array2<f64>, &Array2<f64>, usize) -> Array2<f64>;

/// The reference: Heun's method on $t\in[0, 1]$ with `n` equal steps (as `FlowModel::sample_heun`).
fn heun_reference(v: &dyn Fn(&Array2<f64>, f64) -> Array2<f64>, x0: &Array2<f64>, n: usize) -> Array2<f64> {
    let dt = 1.0 / n as f64;
    let mut x = x0.clone();
    for k in 0..n {
        let v1 = v(&x, k as f64 * dt);
        let pred = &x + &(&v1 * dt);
        let v2 = v(&pred, ((k + 1) as f64 * dt).min(1.0));
        x = &x + &((v1 + v2) * (0.5 * dt));
    }
    x
}

/// Exercise 34.3 (implement): Heun's method for $dx/dt = v(x, t)$ from $t = 0$ to $1$ in `n_steps`
/// equal steps. The check runs the student's sampler on hidden fields (linear in $x$, time-dependent)
/// and step counts, and names the usual slip.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// fn heun_flow(v: &dyn Fn(&Array2<f64>, f64) -> Array2<f64>, x0: &Array2<f64>, n_steps: usize) -> Array2<f64> {
///     let dt = 1.0 / n_steps as f64;
///     let mut x = x0.clone();
///     for k in 0..n_steps {
///         let v1 = v(&x, k as f64 * dt);
///         let v2 = v(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt);
///         x = &x + &((v1 + v2) * (0.5 * dt));
///     }
///     x
/// }
/// assert!(course::exercises::nb34::check_q3(heun_flow).is_correct());
/// ```
pub fn check_q3(sampler: FlowSampler) -> Feedback {
    let ex = "34.3";
    let a = ndarray::array![[-0.5, 1.0], [-1.0, -0.2]];
    let field = |x: &Array2<f64>, t: f64| x.dot(&a.t()) + (3.0 * t).sin();
    let x0 = ndarray::array![[1.0, 0.0], [0.5, -2.0], [0.0, 0.3]];
    let steps = [1usize, 3, 10];
    let outputs: Vec<Array2<f64>> = steps.iter().map(|&n| sampler(&field, &x0, n)).collect();
    for out in &outputs {
        if out.dim() != x0.dim() {
            return Feedback::wrong(ex, format!("the sampler returns the points at t = 1, shaped like x0: expected {:?}, got {:?}.", x0.dim(), out.dim()));
        }
    }
    let all = |g: &dyn Fn(usize) -> Array2<f64>| steps.iter().zip(&outputs).all(|(&n, out)| out.iter().zip(g(n).iter()).all(|(p, q)| close(*p, *q, 1e-9)));
    if all(&|n| heun_reference(&field, &x0, n)) {
        return Feedback::correct(ex, "Heun: predict with Euler, correct with the mean of the velocities at both ends — second order, two evaluations per step. The next cell samples digits with your sampler.");
    }
    let euler = |n: usize| {
        let dt = 1.0 / n as f64;
        (0..n).fold(x0.clone(), |x, k| &x + &(field(&x, k as f64 * dt) * dt))
    };
    if all(&euler) {
        return Feedback::wrong(ex, "that is Euler's method: evaluate the velocity again at the predicted point and time t + Δt, and step with the average.");
    }
    let same_time = |n: usize| {
        let dt = 1.0 / n as f64;
        (0..n).fold(x0.clone(), |x, k| {
            let t = k as f64 * dt;
            let v1 = field(&x, t);
            let v2 = field(&(&x + &(&v1 * dt)), t);
            &x + &((v1 + v2) * (0.5 * dt))
        })
    };
    if all(&same_time) {
        return Feedback::wrong(ex, "the second velocity is taken at the end of the step: time t + Δt, not t (the field depends on time).");
    }
    if all(&|n| heun_reference(&field, &x0, n + 1)) || (steps[1..].iter().zip(&outputs[1..]).all(|(&n, out)| out.iter().zip(heun_reference(&field, &x0, n - 1).iter()).all(|(p, q)| close(*p, *q, 1e-9)))) {
        return Feedback::wrong(ex, "off by one step: n_steps steps of Δt = 1/n_steps take t from 0 exactly to 1.");
    }
    let end_only = |n: usize| {
        let dt = 1.0 / n as f64;
        (0..n).fold(x0.clone(), |x, k| {
            let v1 = field(&x, k as f64 * dt);
            &x + &(field(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt) * dt)
        })
    };
    if all(&end_only) {
        return Feedback::wrong(ex, "you step with the velocity at the predicted point only; use the average ½(v₁ + v₂).");
    }
    Feedback::wrong(ex, format!(
        "with 3 steps the first point should reach {:.6}, got {:.6}. Per step: v₁ = v(x, t), x̃ = x + Δt v₁, v₂ = v(x̃, t + Δt), x ← x + Δt (v₁ + v₂)/2.",
        heun_reference(&field, &x0, 3)[[0, 0]], outputs[1][[0, 0]]
    ))
}

/// The signature of Exercise 34.4's function: `(x_prev, x_next, f_prev, f_next, s_next, g_prev,
/// g_next, dt)` ↦ per row $\log p_F(x_{k+1}\mid x_k) - \log p_B(x_k\mid x_{k+1})$.
pub type StepTerm = fn(&Array2<f64>, &Array2<f64>, &Array2<f64>, &Array2<f64>, &Array2<f64>, f64, f64, f64) -> Vec<f64>;

/// The hidden inputs of Exercise 34.4: several shapes, unequal $g_k \ne g_{k+1}$, several $\Delta t$.
fn q4_cases() -> Vec<[Array2<f64>; 5]> {
    let mut rng = crate::rng::seeded(3404);
    [(3usize, 2usize), (1, 2), (4, 3)]
        .iter()
        .map(|&(n, d)| {
            let mut draw = || Array2::from_shape_vec((n, d), crate::rng::normal_vec(&mut rng, n * d)).expect("n × d");
            [draw(), draw(), draw(), draw(), draw()]
        })
        .collect()
}

/// The scalars $(g_k, g_{k+1}, \Delta t)$ of each hidden case.
const Q4_SCALARS: [(f64, f64, f64); 3] = [(0.6, 0.9, 0.1), (1.3, 1.1, 0.25), (0.4, 0.7, 0.05)];

/// A variant of the step term with the usual slips switched on (the reference has all `false`).
#[derive(Clone, Copy, Default)]
struct Slips {
    score_sign: bool,
    score_g: bool,
    g_prev_backward: bool,
    f_prev_backward: bool,
    no_normalizer: bool,
    no_half: bool,
    no_forward: bool,
    flipped: bool,
}

fn q4_variant(c: &[Array2<f64>; 5], (gp, gn, dt): (f64, f64, f64), sl: Slips) -> Vec<f64> {
    let [xp, xn, fp, fnx, sn] = c;
    let (n, d) = xp.dim();
    let gb = if sl.g_prev_backward { gp } else { gn };
    let coef = if sl.score_g { gb } else { gb * gb } * if sl.score_sign { -1.0 } else { 1.0 };
    (0..n)
        .map(|i| {
            let (mut fwd, mut bwd) = (0.0, 0.0);
            for j in 0..d {
                let fb = if sl.f_prev_backward { fp[[i, j]] } else { fnx[[i, j]] };
                let e_f = (xn[[i, j]] - xp[[i, j]] - fp[[i, j]] * dt) / (gp * dt.sqrt());
                let e_b = (xp[[i, j]] - xn[[i, j]] + (fb - coef * sn[[i, j]]) * dt) / (gb * dt.sqrt());
                fwd += e_f * e_f;
                bwd += e_b * e_b;
            }
            let half = if sl.no_half { 1.0 } else { 0.5 };
            let norm = if sl.no_normalizer { 0.0 } else { d as f64 * (gb / gp).ln() };
            let fwd_part = if sl.no_forward { 0.0 } else { half * fwd };
            let v = half * bwd - fwd_part + norm;
            if sl.flipped { -v } else { v }
        })
        .collect()
}

/// Exercise 34.4: one term of the diffusion-normalizing-flow loss,
/// $\log p_F(x_{k+1}\mid x_k) - \log p_B(x_k\mid x_{k+1}) = \tfrac12\lVert\delta^B_k\rVert^2 - \tfrac12\lVert\varepsilon_k\rVert^2 + d\log\tfrac{g_{k+1}}{g_k}$
/// per row. Runs `step_term` on hidden inputs (three shapes, $g_k\ne g_{k+1}$) against
/// [`dnf_step_term`] and names the usual slip: the sign or the $g^2$ of the score term, the
/// backward kernel's $g$ or drift taken at the wrong time, the forgotten log-normalizer, the
/// missing $\frac12$, a dropped forward term, the whole difference reversed.
///
/// # Examples
/// ```
/// use course::generative::flows::dnf_step_term;
/// assert!(course::exercises::nb34::check_q4(dnf_step_term).is_correct());
/// ```
pub fn check_q4(step_term: StepTerm) -> Feedback {
    let ex = "34.4";
    let cases = q4_cases();
    let outputs: Vec<Vec<f64>> = cases.iter().zip(Q4_SCALARS).map(|(c, (gp, gn, dt))| step_term(&c[0], &c[1], &c[2], &c[3], &c[4], gp, gn, dt)).collect();
    for (c, out) in cases.iter().zip(&outputs) {
        if out.len() != c[0].nrows() {
            return Feedback::wrong(ex, format!("return one number per row of x_prev: expected {}, got {}.", c[0].nrows(), out.len()));
        }
    }
    let matches = |sl: Slips| cases.iter().zip(Q4_SCALARS).zip(&outputs).all(|((c, sc), out)| vec_close(out, &q4_variant(c, sc, sl), 1e-9));
    let reference_ok = cases.iter().zip(Q4_SCALARS).zip(&outputs).all(|((c, (gp, gn, dt)), out)| vec_close(out, &dnf_step_term(&c[0], &c[1], &c[2], &c[3], &c[4], gp, gn, dt), 1e-9));
    if reference_ok {
        return Feedback::correct(ex, "½‖δᴮ‖² − ½‖ε‖² + d log(g_{k+1}/g_k): the backward noise that would have produced the step, against the forward noise that did. The next cell computes the loss of the trained models with your function.");
    }
    let slips: [(Slips, &str); 9] = [
        (Slips { score_sign: true, ..Slips::default() }, "sign of the score term: the backward drift is f − g² s (the score pulls the backward chain towards the data), so x_k's mean is x_{k+1} − (f_{k+1} − g²_{k+1} s_{k+1}) Δt."),
        (Slips { score_g: true, ..Slips::default() }, "the score enters the backward drift multiplied by g², not g: f − g² s."),
        (Slips { g_prev_backward: true, ..Slips::default() }, "wrong time index: the backward kernel p_B(x_k | x_{k+1}) is a step from t_{k+1}, so it uses g_{k+1} (in g² s and in its variance g²_{k+1} Δt), not g_k."),
        (Slips { f_prev_backward: true, ..Slips::default() }, "wrong time index: the backward drift is evaluated at (x_{k+1}, t_{k+1}) — use f_next, not f_prev."),
        (Slips { no_normalizer: true, ..Slips::default() }, "the two Gaussian kernels have different variances g_k² Δt and g²_{k+1} Δt: their log-normalizers leave d·log(g_{k+1}/g_k)."),
        (Slips { no_half: true, ..Slips::default() }, "missing ½: log N(y; μ, σ² I) = −‖y − μ‖²/(2σ²) + const."),
        (Slips { no_half: true, no_normalizer: true, ..Slips::default() }, "missing ½: log N(y; μ, σ² I) = −‖y − μ‖²/(2σ²) + const (and keep d·log(g_{k+1}/g_k))."),
        (Slips { no_forward: true, ..Slips::default() }, "you dropped log p_F(x_{k+1} | x_k) = −½‖ε_k‖² + const: the term is the log-ratio of the two kernels."),
        (Slips { flipped: true, ..Slips::default() }, "sign: the loss term is log p_F − log p_B (the KL is an expectation under the forward paths of log(p_F/p_B)), not the reverse."),
    ];
    for (sl, msg) in slips {
        if matches(sl) {
            return Feedback::wrong(ex, msg);
        }
    }
    let (c, (gp, gn, dt)) = (&cases[0], Q4_SCALARS[0]);
    Feedback::wrong(ex, format!(
        "on a hidden case the first row should give {:.6}, got {:.6}. With ε_F = (x_next − x_prev − f_prev Δt)/(g_prev √Δt) and δᴮ = (x_prev − x_next + (f_next − g_next² s_next) Δt)/(g_next √Δt): ½‖δᴮ‖² − ½‖ε_F‖² + d log(g_next/g_prev).",
        dnf_step_term(&c[0], &c[1], &c[2], &c[3], &c[4], gp, gn, dt)[0], outputs[0][0]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        let a = array![[1.5, 0.3], [-0.2, 0.8]];
        let (b, x) = ([0.1, -0.4], [0.7, 1.2]);
        let z = [1.5 * 0.7 + 0.3 * 1.2 + 0.1, -0.2 * 0.7 + 0.8 * 1.2 - 0.4];
        let det: f64 = 1.5 * 0.8 + 0.3 * 0.2;
        let base = -(2.0 * PI).ln() - 0.5 * (z[0] * z[0] + z[1] * z[1]);
        assert!(check_q1(&a, &b, &x, base + det.ln()).is_correct());
        assert!(check_q1(&a, &b, &x, base).message.contains("add log|det A|"));
        assert!(check_q1(&a, &b, &x, base - det.ln()).message.contains("sign"));
        assert!(check_q1(&a, &b, &x, base + det.ln() + (2.0 * PI).ln()).message.contains("normalizing constant"));
    }

    #[test]
    fn q2_agrees_with_an_independent_formula_and_spots_the_conditional_field() {
        // independent: with a = 1 − (1−σ)t, b = t, the regression slope of u on x_t
        let (sig, m, s, t, x) = (0.1, 1.0, 0.5, 0.4, 0.8);
        let (a, b, da) = (1.0 - 0.9 * t, t, -0.9);
        let v = m + (a * da + b * s * s) / (a * a + b * b * s * s) * (x - b * m);
        assert!(check_q2(sig, m, s, t, x, v).is_correct());
        let cond = (m - 0.9 * x) / a;
        assert!(check_q2(sig, m, s, t, x, cond).message.contains("conditional velocity"));
        let v0 = ProbabilityPath::ot(0.0).gaussian_marginal_velocity(&Array2::from_elem((1, 1), x), &[m], s, t)[[0, 0]];
        assert!(check_q2(sig, m, s, t, x, v0).message.contains("σ_min = 0"));
    }

    #[test]
    fn q3_runs_the_students_sampler_and_names_the_slips() {
        type V<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;
        fn heun(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            let mut x = x0.clone();
            for k in 0..n {
                let v1 = v(&x, k as f64 * dt);
                let v2 = v(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt);
                x = &x + &((v1 + v2) * (0.5 * dt));
            }
            x
        }
        fn euler(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            (0..n).fold(x0.clone(), |x, k| &x + &(v(&x, k as f64 * dt) * dt))
        }
        fn same_time(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            (0..n).fold(x0.clone(), |x, k| {
                let v1 = v(&x, k as f64 * dt);
                let v2 = v(&(&x + &(&v1 * dt)), k as f64 * dt);
                &x + &((v1 + v2) * (0.5 * dt))
            })
        }
        fn one_more(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> { heun(v, x0, n + 1) }
        fn end_only(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> {
            let dt = 1.0 / n as f64;
            (0..n).fold(x0.clone(), |x, k| {
                let v1 = v(&x, k as f64 * dt);
                &x + &(v(&(&x + &(&v1 * dt)), (k + 1) as f64 * dt) * dt)
            })
        }
        fn transposed(v: V, x0: &Array2<f64>, n: usize) -> Array2<f64> { heun(v, x0, n).t().to_owned() }
        fn other(_: V, x0: &Array2<f64>, _: usize) -> Array2<f64> { x0 * 2.0 }
        // the oracle: dx/dt = x has x(1) = e·x0; Heun's error is second order (doubling n divides it by ~4)
        let grow = |x: &Array2<f64>, _: f64| x.clone();
        let err = |n: usize| (heun(&grow, &ndarray::array![[1.0]], n)[[0, 0]] - std::f64::consts::E).abs();
        let ratio = err(10) / err(20);
        assert!(ratio > 3.5 && ratio < 4.5, "{ratio}");
        assert!(check_q3(heun).is_correct());
        assert!(check_q3(euler).message.contains("Euler's method"));
        assert!(check_q3(same_time).message.contains("t + Δt"));
        assert!(check_q3(one_more).message.contains("off by one"));
        assert!(check_q3(end_only).message.contains("average"));
        assert!(check_q3(transposed).message.contains("shaped like x0"));
        assert!(check_q3(other).message.contains("should reach"));
    }

    #[test]
    fn q4_accepts_the_reference_and_names_every_slip() {
        assert!(check_q4(dnf_step_term).is_correct());
        // an independent reading: log N(x_{k+1}; x_k + f Δt, g_k² Δt I) − log N(x_k; x_{k+1} − (f' − g'² s') Δt, g'² Δt I)
        fn by_densities(xp: &Array2<f64>, xn: &Array2<f64>, fp: &Array2<f64>, fnx: &Array2<f64>, sn: &Array2<f64>, gp: f64, gn: f64, dt: f64) -> Vec<f64> {
            let log_n = |y: f64, m: f64, v: f64| -0.5 * (2.0 * PI * v).ln() - 0.5 * (y - m) * (y - m) / v;
            (0..xp.nrows()).map(|i| (0..xp.ncols()).map(|j| {
                log_n(xn[[i, j]], xp[[i, j]] + fp[[i, j]] * dt, gp * gp * dt) - log_n(xp[[i, j]], xn[[i, j]] - (fnx[[i, j]] - gn * gn * sn[[i, j]]) * dt, gn * gn * dt)
            }).sum()).collect()
        }
        assert!(check_q4(by_densities).is_correct());
        macro_rules! slip {
            ($name:ident, $($field:ident),+) => {
                fn $name(xp: &Array2<f64>, xn: &Array2<f64>, fp: &Array2<f64>, fnx: &Array2<f64>, sn: &Array2<f64>, gp: f64, gn: f64, dt: f64) -> Vec<f64> {
                    q4_variant(&[xp.clone(), xn.clone(), fp.clone(), fnx.clone(), sn.clone()], (gp, gn, dt), Slips { $($field: true,)+ ..Slips::default() })
                }
            };
        }
        slip!(sign, score_sign);
        slip!(g_not_g2, score_g);
        slip!(g_prev, g_prev_backward);
        slip!(f_prev, f_prev_backward);
        slip!(no_norm, no_normalizer);
        slip!(no_half, no_half);
        slip!(no_fwd, no_forward);
        slip!(flipped, flipped);
        assert!(check_q4(sign).message.contains("sign of the score"));
        assert!(check_q4(g_not_g2).message.contains("multiplied by g²"));
        assert!(check_q4(g_prev).message.contains("uses g_{k+1}"));
        assert!(check_q4(f_prev).message.contains("use f_next"));
        assert!(check_q4(no_norm).message.contains("log-normalizers"));
        assert!(check_q4(no_half).message.contains("missing ½"));
        assert!(check_q4(no_fwd).message.contains("dropped log p_F"));
        assert!(check_q4(flipped).message.contains("not the reverse"));
        fn one_row(xp: &Array2<f64>, _: &Array2<f64>, _: &Array2<f64>, _: &Array2<f64>, _: &Array2<f64>, _: f64, _: f64, _: f64) -> Vec<f64> { vec![0.0; xp.nrows() + 1] }
        fn zeros(xp: &Array2<f64>, _: &Array2<f64>, _: &Array2<f64>, _: &Array2<f64>, _: &Array2<f64>, _: f64, _: f64, _: f64) -> Vec<f64> { vec![0.0; xp.nrows()] }
        assert!(check_q4(one_row).message.contains("one number per row"));
        assert!(check_q4(zeros).message.contains("should give"));
    }
}
