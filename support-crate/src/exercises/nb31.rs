//! Exercises of notebooks/31-diffusion-models-ddpm.ipynb.

use super::{Feedback, close};
use ndarray::Array2;
use crate::generative::diffusion::NoiseSchedule;

/// Exercise 31.1: for Ho et al.'s linear schedule with $T$ = `n_steps` steps from `beta_1` to
/// `beta_t_end`, the value $\bar\alpha_t$ and the mean and standard deviation of
/// $q(x_t\mid x_0)$ for the 1-D point `x0`.
///
/// # Panics
/// If the schedule is invalid (see [`NoiseSchedule::linear`]) or `t` is not in $1..=T$.
///
/// # Examples
/// ```
/// let s = course::generative::diffusion::NoiseSchedule::linear(50, 1e-3, 0.02);
/// let a = s.alpha_bar(30);
/// let f = course::exercises::nb31::check_q1(50, 1e-3, 0.02, 30, 2.0, a, a.sqrt() * 2.0, (1.0 - a).sqrt());
/// assert!(f.is_correct());
/// ```
#[allow(clippy::too_many_arguments)]
pub fn check_q1(n_steps: usize, beta_1: f64, beta_t_end: f64, t: usize, x0: f64, alpha_bar: f64, mean: f64, std: f64) -> Feedback {
    let ex = "31.1";
    let s = NoiseSchedule::linear(n_steps, beta_1, beta_t_end);
    assert!(t >= 1 && t <= n_steps, "check_q1: t must be in 1..={n_steps}, got {t}");
    let a = s.alpha_bar(t);
    let tol = 1e-9;
    if !close(alpha_bar, a, tol) {
        let sum_betas: f64 = (1..=t).map(|k| s.beta(k)).sum();
        let msg = if close(alpha_bar, s.alpha(t), tol) {
            "that is α_t = 1 − β_t of one step; ᾱ_t is the product α_1 α_2 ⋯ α_t.".to_string()
        } else if close(alpha_bar, 1.0 - sum_betas, tol) {
            "1 − Σβ_s is only the first-order approximation of ∏(1 − β_s): multiply the α_s.".to_string()
        } else if t >= 2 && close(alpha_bar, s.alpha_bar(t - 1), tol) {
            "off by one: the product stops at s = t − 1; include α_t (ᾱ_t = ∏_{s=1}^t α_s).".to_string()
        } else if t < n_steps && close(alpha_bar, s.alpha_bar(t + 1), tol) {
            "off by one: the product runs to s = t + 1; β_1 is the first step (index 1, not 0).".to_string()
        } else {
            format!("expected ᾱ_{t} = {a:.6}, got {alpha_bar:.6}. β_s is linear from β_1 = {beta_1} to β_T = {beta_t_end}, ᾱ_t = ∏_(s≤t) (1 − β_s).")
        };
        return Feedback::wrong(ex, msg);
    }
    let (m, sd) = (a.sqrt() * x0, (1.0 - a).sqrt());
    if !close(mean, m, tol) {
        let msg = if close(mean, a * x0, tol) {
            "the mean is √ᾱ_t · x0, not ᾱ_t · x0 (x_t = √ᾱ_t x0 + √(1 − ᾱ_t) ε).".to_string()
        } else {
            format!("ᾱ_t is right; the mean of q(x_t | x0) is √ᾱ_t · x0 = {m:.6}, got {mean:.6}.")
        };
        return Feedback::wrong(ex, msg);
    }
    if !close(std, sd, tol) {
        let msg = if close(std, 1.0 - a, tol) {
            "that is the variance 1 − ᾱ_t; the standard deviation is its square root.".to_string()
        } else if close(std, (1.0 - a).sqrt() * x0.abs(), tol) {
            "the noise does not scale with x0: the standard deviation is √(1 − ᾱ_t).".to_string()
        } else {
            format!("the standard deviation of q(x_t | x0) is √(1 − ᾱ_t) = {sd:.6}, got {std:.6}.")
        };
        return Feedback::wrong(ex, msg);
    }
    Feedback::correct(ex, format!("ᾱ_{t} = {a:.5}: x_{t} ~ N({m:.4}, {sd:.4}²), one jump instead of {t} noising steps."))
}

/// Exercise 31.2: the posterior mean coefficients $(c_0, c_t)$ of
/// $\tilde\mu_t(x_t, x_0) = c_0x_0 + c_tx_t$ at step `t` of the linear schedule
/// (`n_steps`, `beta_1`, `beta_t_end`).
///
/// # Panics
/// If the schedule is invalid or `t` is not in $2..=T$.
///
/// # Examples
/// ```
/// let s = course::generative::diffusion::NoiseSchedule::linear(50, 1e-3, 0.02);
/// let (c0, ct) = s.posterior_coefficients(10);
/// assert!(course::exercises::nb31::check_q2(50, 1e-3, 0.02, 10, c0, ct).is_correct());
/// ```
pub fn check_q2(n_steps: usize, beta_1: f64, beta_t_end: f64, t: usize, c0: f64, ct: f64) -> Feedback {
    let ex = "31.2";
    let s = NoiseSchedule::linear(n_steps, beta_1, beta_t_end);
    assert!(t >= 2 && t <= n_steps, "check_q2: t must be in 2..={n_steps}, got {t}");
    let (w0, wt) = s.posterior_coefficients(t);
    let tol = 1e-9;
    if close(c0, w0, tol) && close(ct, wt, tol) {
        return Feedback::correct(
            ex,
            format!("c0 = {w0:.6}, c_t = {wt:.6}: the posterior mean blends the clean point and the noisy one."),
        );
    }
    if close(c0, wt, tol) && close(ct, w0, tol) {
        return Feedback::wrong(ex, "the two coefficients are swapped: c0 multiplies x0 and has √ᾱ_(t−1) β_t on top.");
    }
    let (b, a, a_prev) = (s.beta(t), s.alpha_bar(t), s.alpha_bar(t - 1));
    // the usual slip: ᾱ_t where ᾱ_{t-1} belongs
    let (s0, st) = (a.sqrt() * b / (1.0 - a), (1.0 - b).sqrt() * (1.0 - a) / (1.0 - a));
    if close(c0, s0, tol) || (close(ct, st, tol) && !close(wt, st, tol)) {
        return Feedback::wrong(ex, "use ᾱ_(t−1) (not ᾱ_t) in the numerators: c0 = √ᾱ_(t−1) β_t/(1−ᾱ_t), c_t = √α_t (1−ᾱ_(t−1))/(1−ᾱ_t).");
    }
    if close(ct, (1.0 - b) * (1.0 - a_prev) / (1.0 - a), tol) || close(c0, a_prev * b / (1.0 - a), tol) {
        return Feedback::wrong(ex, "a square root is missing: the coefficients carry √α_t and √ᾱ_(t−1), not α_t and ᾱ_(t−1).");
    }
    Feedback::wrong(ex, format!("expected (c0, c_t) = ({w0:.6}, {wt:.6}), got ({c0:.6}, {ct:.6}). Complete the square in x_(t−1) of q(x_t|x_(t−1)) q(x_(t−1)|x0)."))
}

/// Exercise 31.3: the one-shot estimate $\hat x_0 = (x_t - \sqrt{1-\bar\alpha_t}\,\hat\varepsilon)/\sqrt{\bar\alpha_t}$
/// of a point `x_t` given the predicted noise `eps_hat` and $\bar\alpha_t$ = `alpha_bar`.
///
/// # Panics
/// If `alpha_bar` is not in $(0, 1)$.
///
/// # Examples
/// ```
/// let f = course::exercises::nb31::check_q3(1.0, 0.5, 0.64, (1.0 - 0.6 * 0.5) / 0.8);
/// assert!(f.is_correct());
/// ```
pub fn check_q3(x_t: f64, eps_hat: f64, alpha_bar: f64, x0_hat: f64) -> Feedback {
    let ex = "31.3";
    assert!(alpha_bar > 0.0 && alpha_bar < 1.0, "check_q3: alpha_bar must be in (0, 1), got {alpha_bar}");
    let (sa, sb) = (alpha_bar.sqrt(), (1.0 - alpha_bar).sqrt());
    let want = (x_t - sb * eps_hat) / sa;
    let tol = 1e-9;
    if close(x0_hat, want, tol) {
        return Feedback::correct(ex, format!("x̂0 = {want:.6}: invert x_t = √ᾱ x0 + √(1−ᾱ) ε with the predicted ε."));
    }
    let slips = [
        ((x_t + sb * eps_hat) / sa, "sign: the noise is subtracted, x̂0 = (x_t − √(1−ᾱ) ε̂)/√ᾱ."),
        ((x_t - (1.0 - alpha_bar) * eps_hat) / alpha_bar, "square roots missing: the coefficients are √ᾱ and √(1−ᾱ), not ᾱ and 1−ᾱ."),
        (x_t / sa - sb * eps_hat, "divide the whole difference x_t − √(1−ᾱ) ε̂ by √ᾱ, not only x_t."),
        (x_t - sb * eps_hat, "the difference x_t − √(1−ᾱ) ε̂ is √ᾱ x0: divide it by √ᾱ."),
    ];
    for (value, msg) in slips {
        if close(x0_hat, value, tol) {
            return Feedback::wrong(ex, msg);
        }
    }
    Feedback::wrong(ex, format!("expected x̂0 = {want:.6}, got {x0_hat:.6}."))
}

/// Exercise 31.4 (implement): the noise prediction $\hat\varepsilon = \sqrt{1-\bar\alpha_t}\,x_t + \sqrt{\bar\alpha_t}\,\hat v$ of a
/// v-network. `eps_from_v(x_t, v_hat, alpha_bar)` is the student's function; the check runs it on
/// hidden inputs (several shapes, $\bar\alpha$ near 1, in the middle and near 0) and names the usual slip.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// fn eps_from_v(x_t: &Array2<f64>, v: &Array2<f64>, alpha_bar: f64) -> Array2<f64> {
///     x_t * (1.0 - alpha_bar).sqrt() + v * alpha_bar.sqrt()
/// }
/// assert!(course::exercises::nb31::check_q4(eps_from_v).is_correct());
/// ```
pub fn check_q4(eps_from_v: fn(&Array2<f64>, &Array2<f64>, f64) -> Array2<f64>) -> Feedback {
    let ex = "31.4";
    let mut rng = crate::rng::seeded(2604);
    let cases: Vec<(Array2<f64>, Array2<f64>, f64)> = [((3, 2), 0.9), ((5, 64), 0.3), ((1, 1), 1e-4), ((4, 3), 0.999)]
        .iter()
        .map(|&((n, d), a)| (crate::generative::diffusion::standard_normal(&mut rng, n, d), crate::generative::diffusion::standard_normal(&mut rng, n, d), a))
        .collect();
    let outputs: Vec<Array2<f64>> = cases.iter().map(|(x, v, a)| eps_from_v(x, v, *a)).collect();
    for ((x, _, _), out) in cases.iter().zip(&outputs) {
        if out.dim() != x.dim() {
            return Feedback::wrong(ex, format!("ε̂ has the shape of x_t: one row per point, one column per coordinate; expected {:?}, got {:?}.", x.dim(), out.dim()));
        }
    }
    let matches = |g: &dyn Fn(&Array2<f64>, &Array2<f64>, f64) -> Array2<f64>| {
        cases.iter().zip(&outputs).all(|((x, v, a), out)| out.iter().zip(g(x, v, *a).iter()).all(|(p, q)| close(*p, *q, 1e-9)))
    };
    if matches(&|x, v, a| x * (1.0 - a).sqrt() + v * a.sqrt()) {
        return Feedback::correct(ex, "ε̂ = √(1−ᾱ) x_t + √ᾱ v̂: at high noise (ᾱ → 0) it is x_t itself, at low noise the network's v̂. The cells below sample digits with your function.");
    }
    let slips: [(&dyn Fn(&Array2<f64>, &Array2<f64>, f64) -> Array2<f64>, &str); 5] = [
        (&|x, v, a| x * a.sqrt() + v * (1.0 - a).sqrt(), "the two coefficients are swapped: at high noise (ᾱ → 0) x_t is almost pure noise, so ε̂ ≈ x_t needs the coefficient √(1−ᾱ) on x_t."),
        (&|x, v, a| x * a.sqrt() - v * (1.0 - a).sqrt(), "that is x̂₀ = √ᾱ x_t − √(1−ᾱ) v̂, the model's clean point; the sampler needs the noise ε̂."),
        (&|x, v, a| x * (1.0 - a).sqrt() - v * a.sqrt(), "sign of the v̂ term: v = √ᾱ ε − √(1−ᾱ) x₀; substitute x₀ = (x_t − √(1−ᾱ) ε)/√ᾱ and solve for ε."),
        (&|x, v, a| x * (1.0 - a) + v * a, "the coefficients are square roots: √(1−ᾱ) and √ᾱ, as in x_t = √ᾱ x₀ + √(1−ᾱ) ε."),
        (&|_, v, _| v.clone(), "a v-network does not predict ε: convert with ε̂ = √(1−ᾱ) x_t + √ᾱ v̂."),
    ];
    for (g, msg) in slips {
        if matches(g) {
            return Feedback::wrong(ex, msg);
        }
    }
    let (x, v, a) = &cases[0];
    Feedback::wrong(ex, format!(
        "at ᾱ = {a}, x_t[0] = {:.4}, v̂[0] = {:.4} expected ε̂[0] = {:.6}, got {:.6}. Write x_t and v in terms of x₀ and ε, and eliminate x₀.",
        x[[0, 0]], v[[0, 0]], (1.0 - a).sqrt() * x[[0, 0]] + a.sqrt() * v[[0, 0]], outputs[0][[0, 0]]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        let s = NoiseSchedule::linear(50, 1e-3, 0.02);
        let a = s.alpha_bar(30);
        let ok = |alpha_bar: f64, mean: f64, std: f64| check_q1(50, 1e-3, 0.02, 30, 2.0, alpha_bar, mean, std);
        assert!(ok(a, 2.0 * a.sqrt(), (1.0 - a).sqrt()).is_correct());
        assert!(ok(s.alpha(30), 0.0, 0.0).message.contains("product"));
        let sum: f64 = (1..=30).map(|k| s.beta(k)).sum();
        assert!(ok(1.0 - sum, 0.0, 0.0).message.contains("first-order"));
        assert!(ok(s.alpha_bar(29), 0.0, 0.0).message.contains("off by one"));
        assert!(ok(s.alpha_bar(31), 0.0, 0.0).message.contains("off by one"));
        assert!(ok(a, 2.0 * a, 0.0).message.contains("√ᾱ_t · x0"));
        assert!(ok(a, 2.0 * a.sqrt(), 1.0 - a).message.contains("variance"));
        assert!(ok(a, 2.0 * a.sqrt(), 2.0 * (1.0 - a).sqrt()).message.contains("does not scale"));
    }

    #[test]
    fn q2_checks_against_completing_the_square() {
        // independent oracle: q(x_{t-1} | x_t, x0) ∝ N(x_t; √α x_{t-1}, β) N(x_{t-1}; √ᾱ' x0, 1-ᾱ'),
        // precision 1/β̃ = α/β + 1/(1-ᾱ'), mean β̃ (√α x_t/β + √ᾱ' x0/(1-ᾱ'))
        let s = NoiseSchedule::linear(50, 1e-3, 0.02);
        let t = 10;
        let (al, b, ap) = (s.alpha(t), s.beta(t), s.alpha_bar(t - 1));
        let var = 1.0 / (al / b + 1.0 / (1.0 - ap));
        let (c0, ct) = (var * ap.sqrt() / (1.0 - ap), var * al.sqrt() / b);
        assert!(check_q2(50, 1e-3, 0.02, t, c0, ct).is_correct());
        assert!(check_q2(50, 1e-3, 0.02, t, ct, c0).message.contains("swapped"));
        let a = s.alpha_bar(t);
        assert!(check_q2(50, 1e-3, 0.02, t, a.sqrt() * b / (1.0 - a), ct).message.contains("ᾱ_(t−1)"));
        assert!(check_q2(50, 1e-3, 0.02, t, ap * b / (1.0 - a), ct).message.contains("square root"));
        assert!(!check_q2(50, 1e-3, 0.02, t, 0.3, 0.3).is_correct());
    }

    #[test]
    fn q3_inverts_the_forward_map() {
        // x_t built from a known x0 and ε: the exact ε gives back x0
        let (x0, eps, a): (f64, f64, f64) = (0.7, -1.3, 0.36);
        let x_t = a.sqrt() * x0 + (1.0 - a).sqrt() * eps;
        assert!(check_q3(x_t, eps, a, x0).is_correct());
        let sb = (1.0 - a).sqrt();
        assert!(check_q3(x_t, eps, a, (x_t + sb * eps) / a.sqrt()).message.contains("sign"));
        assert!(check_q3(x_t, eps, a, x_t - sb * eps).message.contains("divide it"));
        assert!(check_q3(x_t, eps, a, x_t / a.sqrt() - sb * eps).message.contains("whole"));
        assert!(check_q3(x_t, eps, a, (x_t - (1.0 - a) * eps) / a).message.contains("square roots"));
    }

    #[test]
    fn q4_runs_the_students_function_and_names_the_slips() {
        fn right(x: &Array2<f64>, v: &Array2<f64>, a: f64) -> Array2<f64> { x * (1.0 - a).sqrt() + v * a.sqrt() }
        fn swapped(x: &Array2<f64>, v: &Array2<f64>, a: f64) -> Array2<f64> { x * a.sqrt() + v * (1.0 - a).sqrt() }
        fn x0(x: &Array2<f64>, v: &Array2<f64>, a: f64) -> Array2<f64> { x * a.sqrt() - v * (1.0 - a).sqrt() }
        fn sign(x: &Array2<f64>, v: &Array2<f64>, a: f64) -> Array2<f64> { x * (1.0 - a).sqrt() - v * a.sqrt() }
        fn no_sqrt(x: &Array2<f64>, v: &Array2<f64>, a: f64) -> Array2<f64> { x * (1.0 - a) + v * a }
        fn just_v(_: &Array2<f64>, v: &Array2<f64>, _: f64) -> Array2<f64> { v.clone() }
        fn transposed(x: &Array2<f64>, v: &Array2<f64>, a: f64) -> Array2<f64> { right(x, v, a).t().to_owned() }
        fn other(x: &Array2<f64>, _: &Array2<f64>, _: f64) -> Array2<f64> { x * 0.5 }
        // the oracle: ε recovered exactly from x_t and v built from known x₀ and ε
        let (x0v, e, a) = (0.7f64, -1.3f64, 0.36f64);
        let (xt, vt) = (a.sqrt() * x0v + (1.0 - a).sqrt() * e, a.sqrt() * e - (1.0 - a).sqrt() * x0v);
        assert!((right(&ndarray::array![[xt]], &ndarray::array![[vt]], a)[[0, 0]] - e).abs() < 1e-12);
        assert!(check_q4(right).is_correct());
        assert!(check_q4(swapped).message.contains("swapped"));
        assert!(check_q4(x0).message.contains("clean point"));
        assert!(check_q4(sign).message.contains("sign"));
        assert!(check_q4(no_sqrt).message.contains("square roots"));
        assert!(check_q4(just_v).message.contains("does not predict ε"));
        assert!(check_q4(transposed).message.contains("shape"));
        assert!(check_q4(other).message.contains("eliminate x₀"));
    }
}
