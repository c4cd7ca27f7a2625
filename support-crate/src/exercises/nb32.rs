//! Exercises of notebooks/32-score-sdes-and-edm.ipynb.

use super::{close, vec_close, Feedback};
use crate::generative::diffusion::GaussianMixture;
use crate::generative::sde::{Churn, EdmPreconditioning, Sde};
use ndarray::Array2;

/// The VP variance $a^2 v_0 + 1 - a^2$ for a signal scale `a`.
fn vp_variance(a: f64, var0: f64) -> f64 {
    a * a * var0 + 1.0 - a * a
}

/// Exercise 32.1: the variance of $x_t$ under the VP SDE with $\beta(t) = \beta_{\min} + t(\beta_{\max} - \beta_{\min})$,
/// for data $x_0$ of variance `var0` (1-D): $a(t)^2 v_0 + 1 - a(t)^2$ with $a(t) = e^{-\frac12\int_0^t\beta}$.
///
/// # Panics
/// If the SDE's parameters are invalid or `t` is not in $[0, 1]$.
///
/// # Examples
/// ```
/// // β ≡ 2: ∫β = 2t, a² = e^{-2t}; at t = 0.5 and v₀ = 3: 3e^{-1} + 1 − e^{-1}
/// let e = (-1.0f64).exp();
/// let f = course::exercises::nb32::check_q1(2.0, 2.0, 0.5, 3.0, 3.0 * e + 1.0 - e);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(beta_min: f64, beta_max: f64, t: f64, var0: f64, answer: f64) -> Feedback {
    let ex = "32.1";
    let sde = Sde::vp(beta_min, beta_max);
    let a = sde.marginal_scale(t);
    let expected = vp_variance(a, var0);
    if close(answer, expected, 1e-8) {
        return Feedback::correct(ex, format!(
            "Var x_t = a²v₀ + 1 − a² = {expected:.6} with a(t) = {a:.6}: the data's share a² decays and the noise fills up the rest, so unit-variance data stay at variance 1."
        ));
    }
    let integral = beta_min * t + 0.5 * t * t * (beta_max - beta_min);
    let a_no_half = (-integral).exp();
    if close(answer, vp_variance(a_no_half, var0), 1e-8) {
        return Feedback::wrong(ex, "a(t) = exp(−½∫β): the drift is −½β x, so the mean decays at half the rate β (you used exp(−∫β)).");
    }
    // β(t)·t = β_min t + t²(β_max − β_min): multiplying the rate by t is the same slip as dropping the ½
    let a_bad_integral = (-0.5 * (beta_min * t + t * t * (beta_max - beta_min))).exp();
    if close(answer, vp_variance(a_bad_integral, var0), 1e-8) {
        return Feedback::wrong(ex, "integrate β rather than multiplying β(t) by t: ∫₀ᵗ β(s) ds = β_min t + ½t²(β_max − β_min), the linear part carries a ½.");
    }
    if close(answer, a * a * var0, 1e-8) {
        return Feedback::wrong(ex, "that is the data's part a²v₀ only: the injected noise adds 1 − a².");
    }
    if close(answer, expected.sqrt(), 1e-8) {
        return Feedback::wrong(ex, "that is the standard deviation; the exercise asks for the variance.");
    }
    if close(answer, a * var0 + 1.0 - a, 1e-8) {
        return Feedback::wrong(ex, "x_t = a x₀ + …: the variance scales with a², not a.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {answer:.6}. Solve m' = −½β m, v' = −β v + β, or use x_t = a x₀ + √(1 − a²) ε."))
}

/// Exercise 32.2: the drift of the reverse-time SDE, $f(t)\,x - g(t)^2\,\nabla\log q_t(x)$, at the rows of `x`, for the
/// data law `mixture` under `sde`.
///
/// # Panics
/// If `t` is not in $[0, 1]$ or `x` has the wrong width.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// use course::generative::{diffusion::GaussianMixture, sde::Sde};
/// // VP with N(0, 1) data: score −x, drift −½βx + βx = ½βx
/// let sde = Sde::vp(1.0, 1.0);
/// let g = GaussianMixture::isotropic(vec![1.0], array![[0.0]], 1.0);
/// let f = course::exercises::nb32::check_q2(&sde, &g, &array![[2.0]], 0.5, &array![[1.0]]);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(sde: &Sde, mixture: &GaussianMixture, x: &Array2<f64>, t: f64, drift: &Array2<f64>) -> Feedback {
    let ex = "32.2";
    if drift.dim() != x.dim() {
        return Feedback::wrong(ex, format!("the drift has one row per point and one column per coordinate: expected {:?}, got {:?}.", x.dim(), drift.dim()));
    }
    let score = sde.mixture_score(mixture, x, t);
    let (f, g2) = (sde.drift_coefficient(t), sde.diffusion(t).powi(2));
    let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
    let expected = x * f - &score * g2;
    let ans = flat(drift);
    if vec_close(&ans, &flat(&expected), 1e-8) {
        return Feedback::correct(ex, "f x − g² ∇log q_t: the score term is twice the probability-flow ODE's, and the noise g dW̄ makes up the difference.");
    }
    if vec_close(&ans, &flat(&(x * f - &score * (0.5 * g2))), 1e-8) {
        return Feedback::wrong(ex, "that is the probability-flow ODE's drift f x − ½g² ∇log q_t; the reverse SDE has the full g².");
    }
    if vec_close(&ans, &flat(&(x * f + &score * g2)), 1e-8) {
        return Feedback::wrong(ex, "sign: in reverse time the score term is subtracted, f x − g² ∇log q_t (integrated with dt < 0 it pushes toward high density).");
    }
    if vec_close(&ans, &flat(&(-&score * g2)), 1e-8) {
        return Feedback::wrong(ex, "the forward drift f(t) x is part of the reverse drift too.");
    }
    let g = g2.sqrt();
    if vec_close(&ans, &flat(&(x * f - &score * g)), 1e-8) {
        return Feedback::wrong(ex, "the score is multiplied by g², the squared diffusion coefficient, not g.");
    }
    Feedback::wrong(ex, format!("expected f(t) x − g(t)² ∇log q_t(x) with f = {f:.4}, g² = {g2:.4}; the first row should be {:.6}.", expected.row(0)))
}

/// Exercise 32.3: EDM's $c_{\rm skip}(\sigma)$ and $c_{\rm out}(\sigma)$ for data of standard deviation `sigma_data`.
///
/// # Panics
/// If `sigma_data <= 0`.
///
/// # Examples
/// ```
/// // σ = σ_d = 1: c_skip = ½, c_out = 1/√2
/// let f = course::exercises::nb32::check_q3(1.0, 1.0, 0.5, 0.5f64.sqrt());
/// assert!(f.is_correct());
/// ```
pub fn check_q3(sigma_data: f64, sigma: f64, c_skip: f64, c_out: f64) -> Feedback {
    let ex = "32.3";
    let p = EdmPreconditioning::new(sigma_data);
    let (cs, co) = (p.c_skip(sigma), p.c_out(sigma));
    let (s2, d2) = (sigma * sigma, sigma_data * sigma_data);
    let ok_skip = close(c_skip, cs, 1e-8);
    let ok_out = close(c_out, co, 1e-8);
    if ok_skip && ok_out {
        return Feedback::correct(ex, format!(
            "c_skip = {cs:.6}, c_out = {co:.6}: they minimize the variance of the network's target, and c_out² = 1/λ(σ) is the loss weight's inverse."
        ));
    }
    if close(c_skip, co, 1e-8) && close(c_out, cs, 1e-8) {
        return Feedback::wrong(ex, "c_skip and c_out are swapped.");
    }
    let mut why = Vec::new();
    if !ok_skip {
        if close(c_skip, s2 / (s2 + d2), 1e-8) {
            why.push("c_skip = σ_d²/(σ² + σ_d²): the skip keeps the input when the noise is small, so it tends to 1 as σ → 0".to_string());
        } else {
            why.push(format!("c_skip should be σ_d²/(σ² + σ_d²) = {cs:.6}, got {c_skip:.6}"));
        }
    }
    if !ok_out {
        if close(c_out, sigma * sigma_data / (s2 + d2), 1e-8) {
            why.push("c_out = σσ_d/√(σ² + σ_d²): take the square root in the denominator".to_string());
        } else if close(c_out, sigma / (s2 + d2).sqrt(), 1e-8) {
            why.push("c_out = σσ_d/√(σ² + σ_d²): a factor σ_d is missing".to_string());
        } else if close(c_out, co * co, 1e-8) {
            why.push("that is c_out²; c_out itself is σσ_d/√(σ² + σ_d²)".to_string());
        } else {
            why.push(format!("c_out should be σσ_d/√(σ² + σ_d²) = {co:.6}, got {c_out:.6}"));
        }
    }
    Feedback::wrong(ex, why.join("; ") + ".")
}

/// The student's Heun step: `(denoiser, x, sigma, sigma_next) → x at sigma_next`.
pub type HeunStep = fn(&dyn Fn(&Array2<f64>, f64) -> Array2<f64>, &Array2<f64>, f64, f64) -> Array2<f64>;

/// The reference: one window of [`crate::generative::sde::edm_heun`].
fn heun_reference(den: &dyn Fn(&Array2<f64>, f64) -> Array2<f64>, x: &Array2<f64>, s: f64, s_next: f64) -> Array2<f64> {
    crate::generative::sde::edm_heun(den, x.clone(), &[s, s_next])
}

/// Exercise 32.4 (implement): one step of EDM's Algorithm 1 (deterministic) from noise level `sigma`
/// to `sigma_next < sigma`, for the ODE $dx/d\sigma = (x - D(x;\sigma))/\sigma$: an Euler step, then, unless
/// `sigma_next` is 0, the step again with the average of the slopes at its two ends. The check runs
/// the student's function with the exact denoiser of a Gaussian mixture on hidden points and levels
/// (including a last step to 0) and names the usual slip.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// fn heun_step(den: &dyn Fn(&Array2<f64>, f64) -> Array2<f64>, x: &Array2<f64>, s: f64, s_next: f64) -> Array2<f64> {
///     let d = (x - &den(x, s)) / s;
///     let euler = x + &(&d * (s_next - s));
///     if s_next == 0.0 { return euler; }
///     let d2 = (&euler - &den(&euler, s_next)) / s_next;
///     x + &((d + d2) * (0.5 * (s_next - s)))
/// }
/// assert!(course::exercises::nb32::check_q4(heun_step).is_correct());
/// ```
pub fn check_q4(heun_step: HeunStep) -> Feedback {
    let ex = "32.4";
    let mix = GaussianMixture::isotropic(vec![0.3, 0.7], ndarray::array![[-1.0, 0.5], [1.5, -0.5]], 0.2);
    let den = |x: &Array2<f64>, s: f64| mix.denoiser(x, s);
    let mut rng = crate::rng::seeded(2704);
    let levels = [(10.0, 5.0), (1.0, 0.6), (2.0, 1.9), (0.3, 0.0)];
    let xs: Vec<Array2<f64>> = levels.iter().map(|&(s, _)| crate::generative::diffusion::standard_normal(&mut rng, 6, 2) * (1.0 + s)).collect();
    let outputs: Vec<Array2<f64>> = levels.iter().zip(&xs).map(|(&(s, s_next), x)| heun_step(&den, x, s, s_next)).collect();
    for (x, out) in xs.iter().zip(&outputs) {
        if out.dim() != x.dim() {
            return Feedback::wrong(ex, format!("the step returns the new points, shaped like x: expected {:?}, got {:?}.", x.dim(), out.dim()));
        }
    }
    let agrees = |k: usize, g: &dyn Fn(&Array2<f64>, f64, f64) -> Array2<f64>| {
        let (s, s_next) = levels[k];
        outputs[k].iter().zip(g(&xs[k], s, s_next).iter()).all(|(a, b)| close(*a, *b, 1e-9))
    };
    let all = |g: &dyn Fn(&Array2<f64>, f64, f64) -> Array2<f64>| (0..levels.len()).all(|k| agrees(k, g));
    if all(&|x, s, n| heun_reference(&den, x, s, n)) {
        return Feedback::correct(ex, "Heun's step: the Euler predictor, then the trapezoid of the two slopes, and a plain Euler step into σ = 0 where the slope is undefined. The cells below sample digits with it.");
    }
    if outputs[3].iter().any(|v| !v.is_finite()) {
        return Feedback::wrong(ex, "the last step goes to σ_next = 0, where the slope (x − D)/σ divides by 0: take the Euler step there (EDM's Algorithm 1, line 7).");
    }
    let slope = |x: &Array2<f64>, s: f64| (x - &den(x, s)) / s;
    let euler = |x: &Array2<f64>, s: f64, n: f64| x + &(&slope(x, s) * (n - s));
    if all(&|x, s, n| euler(x, s, n)) {
        return Feedback::wrong(ex, "that is Euler's step; Heun evaluates the slope again at the Euler point and steps with the average of the two slopes.");
    }
    let only_end = |x: &Array2<f64>, s: f64, n: f64| if n == 0.0 { euler(x, s, n) } else { x + &(&slope(&euler(x, s, n), n) * (n - s)) };
    if all(&only_end) {
        return Feedback::wrong(ex, "you step with the slope at the end only: use the average ½(d + d′) of the slopes at σ and at σ_next.");
    }
    let at_x = |x: &Array2<f64>, s: f64, n: f64| if n == 0.0 { euler(x, s, n) } else { x + &((slope(x, s) + slope(x, n)) * (0.5 * (n - s))) };
    if all(&at_x) {
        return Feedback::wrong(ex, "the second slope is evaluated at the Euler point x + (σ_next − σ)d, not at x.");
    }
    let wrong_sign = |x: &Array2<f64>, s: f64, n: f64| heun_reference(&|y: &Array2<f64>, t: f64| y * 2.0 - den(y, t), x, s, n);
    if all(&wrong_sign) {
        return Feedback::wrong(ex, "sign of the slope: dx/dσ = (x − D(x; σ))/σ — as σ decreases, x moves towards the denoised point D.");
    }
    let reversed = |x: &Array2<f64>, s: f64, n: f64| heun_reference(&den, x, s, n) * -1.0 + x * 2.0;
    if all(&reversed) {
        return Feedback::wrong(ex, "the step is σ_next − σ, which is negative: σ decreases towards the data.");
    }
    if (0..3).all(|k| agrees(k, &|x, s, n| heun_reference(&den, x, s, n))) {
        return Feedback::wrong(ex, "right for steps between positive levels; the last step to σ_next = 0 is a plain Euler step.");
    }
    let (s, s_next) = levels[1];
    Feedback::wrong(ex, format!(
        "from σ = {s} to {s_next}, x[0] = {:.4}: expected {:.6}, got {:.6}. d = (x − D(x; σ))/σ, x̃ = x + (σ_next − σ)d, d′ = (x̃ − D(x̃; σ_next))/σ_next, x ← x + (σ_next − σ)(d + d′)/2.",
        xs[1][[0, 0]], heun_reference(&den, &xs[1], s, s_next)[[0, 0]], outputs[1][[0, 0]]
    ))
}

/// The student's stochastic step: `(denoiser, x, sigma, sigma_next, churn, n_steps, eps) → x at sigma_next`.
pub type ChurnStep = fn(&dyn Fn(&Array2<f64>, f64) -> Array2<f64>, &Array2<f64>, f64, f64, &Churn, usize, &Array2<f64>) -> Array2<f64>;

type Den<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;

/// A variant of Algorithm 2's step: `gamma` = γ actually used, `noise` = the noise scale given (t, t̂),
/// `from_hat` = whether the ODE step starts at t̂ (else at t), `heun` = whether it is a Heun step.
fn churn_variant(den: Den, x: &Array2<f64>, s: f64, s_next: f64, gamma: f64, noise: f64, eps: &Array2<f64>, from_hat: bool, heun: bool) -> Array2<f64> {
    let t_hat = s + gamma * s;
    let x_hat = x + &(eps * noise);
    let t0 = if from_hat { t_hat } else { s };
    if heun {
        crate::generative::sde::edm_heun(den, x_hat, &[t0, s_next])
    } else {
        crate::generative::sde::edm_euler(den, x_hat, &[t0, s_next])
    }
}

/// Exercise 32.5 (implement): one step of EDM's stochastic sampler (Algorithm 2) from `sigma` to `sigma_next`:
/// $\gamma = \min(S_{\rm churn}/N, \sqrt2-1)$ if `sigma` is in $[S_{\rm tmin}, S_{\rm tmax}]$ (else 0), $\hat t = (1+\gamma)\sigma$,
/// $\hat x = x + \sqrt{\hat t^2 - \sigma^2}\,S_{\rm noise}\,\varepsilon$, then a Heun step from $\hat t$ to `sigma_next` (Euler if it is 0).
/// The check runs the student's function with the exact denoiser of a Gaussian mixture on hidden points, levels
/// and churn settings (inside and outside the churn range, at the cap, a last step to 0) and names the usual slip.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// use course::generative::sde::{edm_heun, Churn};
/// fn churn_step(den: &dyn Fn(&Array2<f64>, f64) -> Array2<f64>, x: &Array2<f64>, s: f64, s_next: f64,
///               churn: &Churn, n_steps: usize, eps: &Array2<f64>) -> Array2<f64> {
///     let gamma = if s >= churn.s_tmin && s <= churn.s_tmax { (churn.s_churn / n_steps as f64).min(2f64.sqrt() - 1.0) } else { 0.0 };
///     let t_hat = s + gamma * s;
///     let x_hat = x + &(eps * ((t_hat * t_hat - s * s).sqrt() * churn.s_noise));
///     edm_heun(den, x_hat, &[t_hat, s_next])
/// }
/// assert!(course::exercises::nb32::check_q5(churn_step).is_correct());
/// ```
pub fn check_q5(churn_step: ChurnStep) -> Feedback {
    let ex = "32.5";
    let mix = GaussianMixture::isotropic(vec![0.3, 0.7], ndarray::array![[-1.0, 0.5], [1.5, -0.5]], 0.2);
    let den = |x: &Array2<f64>, s: f64| mix.denoiser(x, s);
    let mut rng = crate::rng::seeded(2705);
    // (σ, σ_next, churn, N): inside the range; above S_tmax; at the cap; a last step to 0 below S_tmin's reach
    let cases = [
        (2.0, 1.5, Churn::with_range(2.0, 0.5, 5.0, 1.007), 10),
        (8.0, 5.0, Churn::with_range(2.0, 0.5, 5.0, 1.007), 10),
        (1.0, 0.6, Churn::with_range(10.0, 0.05, 50.0, 1.05), 10),
        (0.4, 0.0, Churn::with_range(3.0, 0.05, 50.0, 1.0), 10),
    ];
    let xs: Vec<Array2<f64>> = cases.iter().map(|c| crate::generative::diffusion::standard_normal(&mut rng, 6, 2) * (1.0 + c.0)).collect();
    let eps: Vec<Array2<f64>> = cases.iter().map(|_| crate::generative::diffusion::standard_normal(&mut rng, 6, 2)).collect();
    let outputs: Vec<Array2<f64>> = (0..cases.len()).map(|k| { let (s, n, ch, ns) = cases[k]; churn_step(&den, &xs[k], s, n, &ch, ns, &eps[k]) }).collect();
    for (x, out) in xs.iter().zip(&outputs) {
        if out.dim() != x.dim() {
            return Feedback::wrong(ex, format!("the step returns the new points, shaped like x: expected {:?}, got {:?}.", x.dim(), out.dim()));
        }
    }
    // a variant: (γ from the churn, N and σ) and (noise scale from σ, t̂, S_noise), and the ODE step's kind
    type Gamma = dyn Fn(&Churn, usize, f64) -> f64;
    type Noise = dyn Fn(f64, f64, f64) -> f64;
    let variant = |g: &Gamma, nz: &Noise, from_hat: bool, heun: bool| {
        (0..cases.len()).all(|k| {
            let (s, n, ch, ns) = cases[k];
            let gamma = g(&ch, ns, s);
            let t_hat = s + gamma * s;
            let want = churn_variant(&den, &xs[k], s, n, gamma, nz(s, t_hat, ch.s_noise), &eps[k], from_hat, heun);
            outputs[k].iter().zip(want.iter()).all(|(a, b)| close(*a, *b, 1e-9))
        })
    };
    let gamma_ok = |c: &Churn, n: usize, s: f64| c.gamma(s, n);
    let gamma_everywhere = |c: &Churn, n: usize, _s: f64| (c.s_churn / n as f64).min(std::f64::consts::SQRT_2 - 1.0);
    let gamma_uncapped = |c: &Churn, n: usize, s: f64| if s >= c.s_tmin && s <= c.s_tmax { c.s_churn / n as f64 } else { 0.0 };
    let noise_ok = |s: f64, t: f64, sn: f64| (t * t - s * s).sqrt() * sn;
    let noise_linear = |s: f64, t: f64, sn: f64| (t - s) * sn;
    let noise_no_snoise = |s: f64, t: f64, _sn: f64| (t * t - s * s).sqrt();
    if variant(&gamma_ok, &noise_ok, true, true) {
        return Feedback::correct(ex, "Algorithm 2's step: churn to t̂ = (1 + γ)t by the exact forward noise √(t̂² − t²)·S_noise·ε, then Heun from t̂ back down to t_{i+1}. The next cell samples with it.");
    }
    if outputs[3].iter().any(|v| !v.is_finite()) {
        return Feedback::wrong(ex, "the last step goes to σ_next = 0, where the slope (x − D)/σ divides by 0: take the Euler step there (your heun_step of Exercise 32.4 already does).");
    }
    let named: [(&Gamma, &Noise, bool, bool, &str); 6] = [
        (&gamma_ok, &noise_linear, true, true, "the added noise has standard deviation √(t̂² − t²)·S_noise, not (t̂ − t)·S_noise: variances add, so going from noise level t to t̂ needs variance t̂² − t²."),
        (&gamma_everywhere, &noise_ok, true, true, "γ is 0 outside [S_tmin, S_tmax]: only noise levels in that range are churned (here σ = 8 lies above S_tmax = 5)."),
        (&gamma_ok, &noise_no_snoise, true, true, "the fresh noise is scaled by S_noise (slightly above 1 in the paper, to offset the denoiser's loss of detail)."),
        (&gamma_ok, &noise_ok, true, false, "that is an Euler step from t̂; Algorithm 2 takes a Heun step (the average of the slopes at t̂ and at the Euler point) unless σ_next is 0."),
        (&gamma_uncapped, &noise_ok, true, true, "γ is capped: γ = min(S_churn/N, √2 − 1), so that t̂² ≤ 2t² — the churn never more than doubles the noise variance."),
        (&gamma_ok, &noise_ok, false, true, "after the churn the sample is at noise level t̂, not t: the ODE step must start at t̂ (wrong time index)."),
    ];
    for (g, nz, from_hat, heun, why) in named {
        if variant(g, nz, from_hat, heun) {
            return Feedback::wrong(ex, why);
        }
    }
    let (s, n, ch, ns) = cases[0];
    let want = churn_variant(&den, &xs[0], s, n, ch.gamma(s, ns), noise_ok(s, s + ch.gamma(s, ns) * s, ch.s_noise), &eps[0], true, true);
    Feedback::wrong(ex, format!(
        "from σ = {s} to {n} with S_churn = {}, N = {ns}, S_noise = {}: x[0] should become {:.6}, got {:.6}. γ = min(S_churn/N, √2 − 1) in [S_tmin, S_tmax], t̂ = t + γt, x̂ = x + √(t̂² − t²) S_noise ε, then Heun from t̂ to σ_next.",
        ch.s_churn, ch.s_noise, want[[0, 0]], outputs[0][[0, 0]]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_accepts_the_moment_ode_solution_and_names_slips() {
        // independent check: Euler on v' = −β v + β with tiny steps
        let (b0, b1, t, v0) = (0.1, 20.0, 0.3, 4.0);
        let n = 200_000;
        let h = t / n as f64;
        let mut v = v0;
        for k in 0..n {
            let beta = b0 + (k as f64 + 0.5) * h * (b1 - b0);
            v += h * (-beta * v + beta);
        }
        let exact = vp_variance(Sde::vp(b0, b1).marginal_scale(t), v0);
        assert!((v - exact).abs() < 1e-5, "{v} vs {exact}");
        assert!(check_q1(b0, b1, t, v0, exact).is_correct());
        let integral = b0 * t + 0.5 * t * t * (b1 - b0);
        let a1 = (-integral).exp();
        assert!(check_q1(b0, b1, t, v0, a1 * a1 * v0 + 1.0 - a1 * a1).message.contains("half"));
        let a = (-0.5 * integral).exp();
        assert!(check_q1(b0, b1, t, v0, a * a * v0).message.contains("noise"));
        assert!(check_q1(b0, b1, t, v0, exact.sqrt()).message.contains("standard deviation"));
        let a_rate = (-0.5 * (b0 + t * (b1 - b0)) * t).exp();
        assert!(check_q1(b0, b1, t, v0, vp_variance(a_rate, v0)).message.contains("integrate"));
    }

    #[test]
    fn q2_accepts_the_reverse_drift_and_names_slips() {
        let g = GaussianMixture::isotropic(vec![0.5, 0.5], array![[-2.0, 0.0], [2.0, 0.0]], 0.1);
        let sde = Sde::vp(0.1, 20.0);
        let x = array![[0.5, 0.1], [-1.0, 1.0]];
        let t = 0.2;
        // independent: the score from finite differences of the marginal's log-density
        let q = sde.mixture_marginal(&g, t);
        let h = 1e-5;
        let score = Array2::from_shape_fn(x.dim(), |(i, j)| {
            let (mut xp, mut xm) = (x.row(i).to_owned().insert_axis(ndarray::Axis(0)), x.row(i).to_owned().insert_axis(ndarray::Axis(0)));
            xp[[0, j]] += h;
            xm[[0, j]] -= h;
            (q.log_density(&xp)[0] - q.log_density(&xm)[0]) / (2.0 * h)
        });
        let (f, g2) = (sde.drift_coefficient(t), sde.diffusion(t).powi(2));
        let right = &x * f - &score * g2;
        // finite differences agree to ~1e-9 relative: the check's 1e-8 accepts them
        assert!(check_q2(&sde, &g, &x, t, &right).is_correct());
        assert!(check_q2(&sde, &g, &x, t, &(&x * f - &score * (0.5 * g2))).message.contains("probability-flow"));
        assert!(check_q2(&sde, &g, &x, t, &(&x * f + &score * g2)).message.contains("sign"));
        assert!(check_q2(&sde, &g, &x, t, &(-&score * g2)).message.contains("forward drift"));
    }

    #[test]
    fn q3_accepts_the_preconditioning_and_names_slips() {
        let (sd, s): (f64, f64) = (0.5, 2.0);
        // independent: c_skip minimizes Var[(x0 − c x)] / … ⇒ c = σ_d²/(σ² + σ_d²); c_out² = that minimum variance
        let cs = sd * sd / (s * s + sd * sd);
        let co = ((1.0 - cs).powi(2) * sd * sd + cs * cs * s * s).sqrt();
        assert!(check_q3(sd, s, cs, co).is_correct());
        assert!(check_q3(sd, s, co, cs).message.contains("swapped"));
        assert!(check_q3(sd, s, 1.0 - cs, co).message.contains("tends to 1"));
        assert!(check_q3(sd, s, cs, s * sd / (s * s + sd * sd)).message.contains("square root"));
        assert!(check_q3(sd, s, cs, s / (s * s + sd * sd).sqrt()).message.contains("σ_d is missing"));
    }

    #[test]
    fn q4_runs_the_students_heun_step_and_names_the_slips() {
        type Den<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;
        fn slope(den: Den, x: &Array2<f64>, s: f64) -> Array2<f64> { (x - &den(x, s)) / s }
        fn right(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> {
            let d = slope(den, x, s);
            let e = x + &(&d * (n - s));
            if n == 0.0 { return e; }
            x + &((d + slope(den, &e, n)) * (0.5 * (n - s)))
        }
        fn euler(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> { x + &(&slope(den, x, s) * (n - s)) }
        fn always_correct(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> {
            let d = slope(den, x, s);
            let e = x + &(&d * (n - s));
            x + &((d + slope(den, &e, n)) * (0.5 * (n - s)))
        }
        fn end_only(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> {
            if n == 0.0 { return euler(den, x, s, n); }
            let e = euler(den, x, s, n);
            x + &(&slope(den, &e, n) * (n - s))
        }
        fn at_x(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> {
            if n == 0.0 { return euler(den, x, s, n); }
            x + &((slope(den, x, s) + slope(den, x, n)) * (0.5 * (n - s)))
        }
        fn sign(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> { right(&|y: &Array2<f64>, t: f64| y * 2.0 - den(y, t), x, s, n) }
        fn reversed(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> { x * 2.0 - right(den, x, s, n) }
        fn transposed(den: Den, x: &Array2<f64>, s: f64, n: f64) -> Array2<f64> { right(den, x, s, n).t().to_owned() }
        fn other(_: Den, x: &Array2<f64>, _: f64, _: f64) -> Array2<f64> { x * 0.5 }
        // the oracle: on N(0, 1) data D = x/(1 + σ²) and the exact flow is x·√((1 + σ'²)/(1 + σ²));
        // the reference step is second order: halving the step divides its error by about 8
        let den = |x: &Array2<f64>, s: f64| x / (1.0 + s * s);
        let x = array![[1.0]];
        let err = |h: f64| (right(&den, &x, 1.0, 1.0 - h)[[0, 0]] - ((1.0 + (1.0 - h) * (1.0 - h)) / 2.0).sqrt()).abs();
        let ratio = err(0.1) / err(0.05);
        assert!(ratio > 6.0 && ratio < 10.0, "local error ratio {ratio}");
        assert!(check_q4(right).is_correct());
        assert!(check_q4(always_correct).message.contains("divides by 0"));
        assert!(check_q4(euler).message.contains("Euler's step"));
        assert!(check_q4(end_only).message.contains("average"));
        assert!(check_q4(at_x).message.contains("Euler point"));
        assert!(check_q4(sign).message.contains("sign"));
        assert!(check_q4(reversed).message.contains("negative"));
        assert!(check_q4(transposed).message.contains("shaped like x"));
        assert!(check_q4(other).message.contains("expected"));
    }

    #[test]
    fn q5_runs_the_students_churn_step_and_names_the_slips() {
        use crate::generative::sde::{edm_euler, edm_heun, edm_stochastic_step};
        type Den<'a> = &'a dyn Fn(&Array2<f64>, f64) -> Array2<f64>;
        fn gamma(c: &Churn, n: usize, s: f64) -> f64 {
            if s >= c.s_tmin && s <= c.s_tmax { (c.s_churn / n as f64).min(2f64.sqrt() - 1.0) } else { 0.0 }
        }
        // written from Algorithm 2's text, independently of the library's edm_stochastic_step
        fn right(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let t = s + gamma(c, ns, s) * s;
            edm_heun(den, x + &(e * ((t * t - s * s).sqrt() * c.s_noise)), &[t, n])
        }
        fn library(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> { edm_stochastic_step(den, x, s, n, c, ns, e) }
        fn linear(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let t = s + gamma(c, ns, s) * s;
            edm_heun(den, x + &(e * ((t - s) * c.s_noise)), &[t, n])
        }
        fn everywhere(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let t = s + (c.s_churn / ns as f64).min(2f64.sqrt() - 1.0) * s;
            edm_heun(den, x + &(e * ((t * t - s * s).sqrt() * c.s_noise)), &[t, n])
        }
        fn no_snoise(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let t = s + gamma(c, ns, s) * s;
            edm_heun(den, x + &(e * (t * t - s * s).sqrt()), &[t, n])
        }
        fn euler(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let t = s + gamma(c, ns, s) * s;
            edm_euler(den, x + &(e * ((t * t - s * s).sqrt() * c.s_noise)), &[t, n])
        }
        fn uncapped(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let g = if s >= c.s_tmin && s <= c.s_tmax { c.s_churn / ns as f64 } else { 0.0 };
            let t = s + g * s;
            edm_heun(den, x + &(e * ((t * t - s * s).sqrt() * c.s_noise)), &[t, n])
        }
        fn from_t(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let t = s + gamma(c, ns, s) * s;
            edm_heun(den, x + &(e * ((t * t - s * s).sqrt() * c.s_noise)), &[s, n])
        }
        fn heun_to_zero(den: Den, x: &Array2<f64>, s: f64, n: f64, c: &Churn, ns: usize, e: &Array2<f64>) -> Array2<f64> {
            let t = s + gamma(c, ns, s) * s;
            let xh = x + &(e * ((t * t - s * s).sqrt() * c.s_noise));
            let d = (&xh - &den(&xh, t)) / t;
            let xe = &xh + &(&d * (n - t));
            let d2 = (&xe - &den(&xe, n)) / n;
            xh + (d + d2) * (0.5 * (n - t))
        }
        fn shape(_: Den, x: &Array2<f64>, _: f64, _: f64, _: &Churn, _: usize, _: &Array2<f64>) -> Array2<f64> { x.t().to_owned() }
        fn other(_: Den, x: &Array2<f64>, _: f64, _: f64, _: &Churn, _: usize, _: &Array2<f64>) -> Array2<f64> { x * 0.5 }
        assert!(check_q5(right).is_correct());
        assert!(check_q5(library).is_correct());
        assert!(check_q5(linear).message.contains("√(t̂² − t²)"));
        assert!(check_q5(everywhere).message.contains("outside [S_tmin, S_tmax]"));
        assert!(check_q5(no_snoise).message.contains("S_noise"));
        assert!(check_q5(euler).message.contains("Euler step from t̂"));
        assert!(check_q5(uncapped).message.contains("capped"));
        assert!(check_q5(from_t).message.contains("wrong time index"));
        assert!(check_q5(heun_to_zero).message.contains("divides by 0"));
        assert!(check_q5(shape).message.contains("shaped like x"));
        assert!(check_q5(other).message.contains("should become"));
    }
}
