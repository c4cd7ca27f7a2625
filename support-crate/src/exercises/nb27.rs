//! Exercises of notebooks/27-deep-learning-for-pdes.ipynb.

use super::Feedback;
use crate::pde::{HjbBsde, hjb_euler_step};
use crate::rng::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// The student's step: `(x, y, z, xi, dt, lambda) → (x_next, y_next)`.
pub type BsdeStep = fn(&[f64], f64, &[f64], &[f64], f64, f64) -> (Vec<f64>, f64);

fn close_vec(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(u, v)| (u - v).abs() <= 1e-9 * (1.0 + v.abs()))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

/// Exercise 27.1 (implement): one forward Euler step of the deep BSDE recursion for the HJB equation,
/// $X_{n+1} = X_n + \sqrt2\,\Delta W$, $Y_{n+1} = Y_n - f(Z_n)\Delta t + Z_n\cdot\Delta W$ with
/// $f(z) = -\frac\lambda2\lVert z\rVert^2$ and $\Delta W = \sqrt{\Delta t}\,\xi$. The check runs the student's
/// function on hidden inputs (dimensions 1, 3, 7 and 100, several $\Delta t$ and $\lambda$, $Z = 0$)
/// and names the usual slip.
///
/// # Examples
/// ```
/// fn step(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, lambda: f64) -> (Vec<f64>, f64) {
///     let dw: Vec<f64> = xi.iter().map(|v| dt.sqrt() * v).collect();
///     let x1 = x.iter().zip(&dw).map(|(a, b)| a + 2f64.sqrt() * b).collect();
///     let z2: f64 = z.iter().map(|v| v * v).sum();
///     let zdw: f64 = z.iter().zip(&dw).map(|(a, b)| a * b).sum();
///     (x1, y + 0.5 * lambda * z2 * dt + zdw)
/// }
/// assert!(course::exercises::nb27::check_q1(step).is_correct());
/// ```
pub fn check_q1(step: BsdeStep) -> Feedback {
    let ex = "27.1";
    let mut rng = crate::rng::seeded(3601);
    let cases = [(1, 0.25, 1.0, false), (3, 0.05, 0.5, false), (7, 0.01, 3.0, false), (100, 0.05, 1.0, false), (4, 0.1, 2.0, true)];
    for (d, dt, lambda, z_zero) in cases {
        let x: Vec<f64> = (0..d).map(|_| rng.random_range(-2.0..2.0)).collect();
        let y: f64 = rng.random_range(-1.0..3.0);
        let z: Vec<f64> = (0..d).map(|_| if z_zero { 0.0 } else { rng.random_range(-1.5..1.5) }).collect();
        let xi: Vec<f64> = (0..d).map(|_| StandardNormal.sample(&mut rng)).collect();
        let (x1, y1) = step(&x, y, &z, &xi, dt, lambda);
        let (ex1, ey1) = hjb_euler_step(&x, y, &z, &xi, dt, lambda);
        if x1.len() != d {
            return Feedback::wrong(ex, format!("X_{{n+1}} must have d = {d} entries like X_n, got {}.", x1.len()));
        }
        let sq = dt.sqrt();
        let z2: f64 = z.iter().map(|v| v * v).sum();
        let zxi: f64 = z.iter().zip(&xi).map(|(a, b)| a * b).sum();
        if !close_vec(&x1, &ex1) {
            let variants: [(&str, Vec<f64>); 3] = [
                ("X moves by √2 ΔW: the forward SDE is dX = √2 dW (σ = √2 I, so that ½ Tr σσᵀ∇²u = Δu); you dropped the √2", x.iter().zip(&xi).map(|(a, b)| a + sq * b).collect()),
                ("ΔW = √Δt ξ: ξ is a standard normal, the Brownian increment over Δt has variance Δt (your X step misses √Δt)", x.iter().zip(&xi).map(|(a, b)| a + std::f64::consts::SQRT_2 * b).collect()),
                ("ΔW = √Δt ξ, not Δt ξ: the increment's standard deviation is √Δt", x.iter().zip(&xi).map(|(a, b)| a + std::f64::consts::SQRT_2 * dt * b).collect()),
            ];
            for (why, v) in &variants {
                if close_vec(&x1, v) {
                    return Feedback::wrong(ex, format!("{why} (case d = {d}, Δt = {dt})."));
                }
            }
            return Feedback::wrong(ex, format!("X_{{n+1}} is wrong (case d = {d}, Δt = {dt}): it should be X_n + √2·√Δt·ξ."));
        }
        if !close(y1, ey1) {
            let variants = [
                ("sign of f: Y_{n+1} = Y_n − f Δt + Z·ΔW with f = −(λ/2)|Z|², so the quadratic term is added, +(λ/2)|Z|²Δt", y - 0.5 * lambda * z2 * dt + sq * zxi),
                ("the ½ in f(z) = −(λ/2)|z|²: with Z = √2∇u, λ|∇u|² = (λ/2)|Z|²", y + lambda * z2 * dt + sq * zxi),
                ("√Δt is missing in Z·ΔW: ΔW = √Δt ξ", y + 0.5 * lambda * z2 * dt + zxi),
                ("Z·ΔW, not Z·σΔW: Z already carries σ (Z = σᵀ∇u = √2∇u), so the noise term is Z·ΔW without another √2", y + 0.5 * lambda * z2 * dt + std::f64::consts::SQRT_2 * sq * zxi),
                ("ΔW = √Δt ξ, not Δt ξ, in Z·ΔW", y + 0.5 * lambda * z2 * dt + dt * zxi),
                ("the driver f(Z)Δt is missing: the BSDE has dY = −f dt + Z·dW", y + sq * zxi),
                ("f multiplies Δt, not √Δt", y + 0.5 * lambda * z2 * sq + sq * zxi),
            ];
            for (why, v) in variants {
                if close(y1, v) {
                    return Feedback::wrong(ex, format!("{why} (case d = {d}, Δt = {dt}, λ = {lambda})."));
                }
            }
            return Feedback::wrong(ex, format!("Y_{{n+1}} is wrong (case d = {d}, Δt = {dt}, λ = {lambda}): expected {ey1:.6}, got {y1:.6}. Write Y_n − f(Z_n)Δt + Z_n·ΔW with f(z) = −(λ/2)|z|²."));
        }
    }
    Feedback::correct(ex, "your step matches the reference on five hidden cases (d = 1 to 100, Z = 0 included): X gets √2 ΔW, Y gets +(λ/2)|Z|²Δt + Z·ΔW.")
}

/// The reference of Exercise 27.2: $-\frac12\operatorname{Var} g(X_T)$ for $d = 100$, $T = 1$, by Monte
/// Carlo with 200 000 samples (relative standard error ≈ 0.5 %).
fn q2_reference() -> (f64, f64) {
    let b = HjbBsde::new(100, 1.0, 1.0, 1, 1, 0);
    let mut rng = crate::rng::seeded(3602);
    let gs: Vec<f64> = (0..200_000)
        .map(|_| {
            let r2: f64 = (0..100).map(|_| <StandardNormal as Distribution<f64>>::sample(&StandardNormal, &mut rng).powi(2)).sum();
            b.terminal(&[r2.sqrt()])
        })
        .collect();
    (crate::stats::mean(&gs), crate::stats::variance(&gs))
}

/// Exercise 27.2 (derive): the slope $\partial_\lambda u(0, 0)\big|_{\lambda=0}$ of the HJB solution in
/// $d = 100$, $T = 1$. From $u = -\frac1\lambda\ln\mathbb E e^{-\lambda g}$ and the cumulant expansion
/// $\ln\mathbb Ee^{-\lambda g} = -\lambda\mathbb E g + \frac{\lambda^2}2\operatorname{Var}g + O(\lambda^3)$ the slope is
/// $-\frac12\operatorname{Var}g(\sqrt2 W_1)$ (≈ −0.0100). Accepted within 10 % (Monte Carlo with
/// ≥ 20 000 samples is within 2 %); the usual slips are named.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb27::check_q2(-0.01002).is_correct());
/// assert!(!course::exercises::nb27::check_q2(-0.02).is_correct());
/// ```
pub fn check_q2(answer: f64) -> Feedback {
    let ex = "27.2";
    let (eg, var) = q2_reference();
    let expected = -0.5 * var;
    let near = |v: f64| (answer - v).abs() <= 0.1 * v.abs();
    if near(expected) {
        return Feedback::correct(ex, format!("∂u/∂λ at λ = 0 is −½ Var g = {expected:.5}: the nonlinearity lowers u by about (λ/2)·Var g, the risk-sensitive correction to E g = {eg:.4}. It is small at d = 100 because g(X_T) concentrates (Var g ≈ {var:.4})."));
    }
    if answer.is_nan() {
        return Feedback::wrong(ex, "the answer is NaN.");
    }
    if near(-var) {
        return Feedback::wrong(ex, "the ½ is missing: ln E e^{−λg} = −λE g + (λ²/2)Var g + …, so u = E g − (λ/2)Var g.");
    }
    if near(0.5 * var) {
        return Feedback::wrong(ex, "wrong sign: Jensen's inequality gives −(1/λ)ln E e^{−λg} ≤ E g, so u decreases with λ.");
    }
    if near(-0.5 * var.sqrt()) || near(-var.sqrt()) {
        return Feedback::wrong(ex, "that is built on the standard deviation of g; the second cumulant is the variance.");
    }
    if near(-eg) || near(eg) {
        return Feedback::wrong(ex, "that is ±E g, the value at λ = 0, not the slope in λ.");
    }
    if answer.abs() < 1e-4 {
        return Feedback::wrong(ex, "the slope is not 0: expand ln E e^{−λg} to second order in λ; the first-order term gives E g, the second the slope.");
    }
    Feedback::wrong(ex, format!("expected about {expected:.5}, got {answer:.5}. Expand ln E e^{{−λg}} to second order in λ (cumulants) and estimate what remains by Monte Carlo."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, lambda: f64) -> (Vec<f64>, f64) {
        let dw: Vec<f64> = xi.iter().map(|v| dt.sqrt() * v).collect();
        let x1 = x.iter().zip(&dw).map(|(a, b)| a + 2f64.sqrt() * b).collect();
        let z2: f64 = z.iter().map(|v| v * v).sum();
        let zdw: f64 = z.iter().zip(&dw).map(|(a, b)| a * b).sum();
        (x1, y + 0.5 * lambda * z2 * dt + zdw)
    }

    fn x_ok(x: &[f64], xi: &[f64], dt: f64) -> Vec<f64> {
        x.iter().zip(xi).map(|(a, b)| a + 2f64.sqrt() * dt.sqrt() * b).collect()
    }

    fn zz(z: &[f64]) -> f64 {
        z.iter().map(|v| v * v).sum()
    }

    fn zw(z: &[f64], xi: &[f64]) -> f64 {
        z.iter().zip(xi).map(|(a, b)| a * b).sum()
    }

    #[test]
    fn q1_accepts_the_reference_and_an_independent_solution() {
        assert!(check_q1(hjb_euler_step).is_correct());
        assert!(check_q1(good).is_correct());
    }

    #[test]
    fn q1_names_every_slip() {
        fn sign(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, l: f64) -> (Vec<f64>, f64) {
            (x_ok(x, xi, dt), y - 0.5 * l * zz(z) * dt + dt.sqrt() * zw(z, xi))
        }
        fn half(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, l: f64) -> (Vec<f64>, f64) {
            (x_ok(x, xi, dt), y + l * zz(z) * dt + dt.sqrt() * zw(z, xi))
        }
        fn no_sqrt(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, l: f64) -> (Vec<f64>, f64) {
            (x_ok(x, xi, dt), y + 0.5 * l * zz(z) * dt + zw(z, xi))
        }
        fn sigma(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, l: f64) -> (Vec<f64>, f64) {
            (x_ok(x, xi, dt), y + 0.5 * l * zz(z) * dt + 2f64.sqrt() * dt.sqrt() * zw(z, xi))
        }
        fn no_f(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, _l: f64) -> (Vec<f64>, f64) {
            (x_ok(x, xi, dt), y + dt.sqrt() * zw(z, xi))
        }
        fn x_no_sqrt2(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, l: f64) -> (Vec<f64>, f64) {
            (x.iter().zip(xi).map(|(a, b)| a + dt.sqrt() * b).collect(), y + 0.5 * l * zz(z) * dt + dt.sqrt() * zw(z, xi))
        }
        fn x_no_sqrt_dt(x: &[f64], y: f64, z: &[f64], xi: &[f64], dt: f64, l: f64) -> (Vec<f64>, f64) {
            (x.iter().zip(xi).map(|(a, b)| a + 2f64.sqrt() * b).collect(), y + 0.5 * l * zz(z) * dt + dt.sqrt() * zw(z, xi))
        }
        for (f, word) in [(sign as BsdeStep, "sign of f"), (half, "the ½"), (no_sqrt, "√Δt is missing"), (sigma, "Z·σΔW"), (no_f, "driver"), (x_no_sqrt2, "dropped the √2"), (x_no_sqrt_dt, "misses √Δt")] {
            let fb = check_q1(f);
            assert!(!fb.is_correct() && fb.message.contains(word), "{word}: {}", fb.message);
        }
    }

    #[test]
    fn q2_accepts_the_cumulant_slope_and_names_slips() {
        // Independent: the slope of the oracle by a difference quotient with common random numbers.
        let b = HjbBsde::new(100, 0.05, 1.0, 1, 1, 0);
        let (u, _, eg) = b.oracle(100_000, &mut crate::rng::seeded(1));
        let slope = (u - eg) / 0.05;
        assert!(check_q2(slope).is_correct(), "{slope}: {}", check_q2(slope).message);
        let (_, var) = q2_reference();
        assert!(check_q2(-var).message.contains("½"));
        assert!(check_q2(0.5 * var).message.contains("sign"));
        assert!(check_q2(-0.5 * var.sqrt()).message.contains("standard deviation"));
        assert!(check_q2(0.0).message.contains("not 0"));
    }
}
