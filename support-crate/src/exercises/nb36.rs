//! Exercises of notebooks/36-schrodinger-bridges.ipynb.

use super::{Feedback, close, vec_close};
use ndarray::Array2;

/// Exercise 36.1: one Sinkhorn scaling update $u = a \oslash (Kv)$ with $K = e^{-C/\varepsilon}$.
///
/// # Panics
/// If the shapes do not match (`cost` is n × m, `a` has n entries, `v` m) or `eps <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let c = array![[0.0, 1.0], [1.0, 0.0]];
/// let k01 = (-1.0f64).exp();
/// let u = vec![0.5 / (1.0 + 2.0 * k01), 0.5 / (k01 + 2.0)];
/// let f = course::exercises::nb36::check_q1(&[0.5, 0.5], &c, 1.0, &[1.0, 2.0], &u);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(a: &[f64], cost: &Array2<f64>, eps: f64, v: &[f64], u: &[f64]) -> Feedback {
    let ex = "36.1";
    let (n, m) = cost.dim();
    assert!(a.len() == n && v.len() == m, "check_q1: a must have {n} entries and v {m}, got {} and {}", a.len(), v.len());
    assert!(eps > 0.0, "check_q1: eps must be > 0, got {eps}");
    if u.len() != n {
        return Feedback::wrong(ex, format!("u has one entry per row of C (per point of the first measure): expected {n}, got {}.", u.len()));
    }
    let kv = |sign: f64| -> Vec<f64> { (0..n).map(|i| (0..m).map(|j| (sign * cost[[i, j]] / eps).exp() * v[j]).sum()).collect() };
    let kv_right = kv(-1.0);
    let expected: Vec<f64> = (0..n).map(|i| a[i] / kv_right[i]).collect();
    if vec_close(u, &expected, 1e-9) {
        return Feedback::correct(ex, "u = a ⊘ Kv: after this update the rows of diag(u) K diag(v) sum to a.");
    }
    if vec_close(u, &kv_right.iter().map(|k| 1.0 / k).collect::<Vec<_>>(), 1e-9) {
        return Feedback::wrong(ex, "the row marginal a is missing: u = a ⊘ (Kv), not 1 ⊘ (Kv).");
    }
    if vec_close(u, &(0..n).map(|i| a[i] * kv_right[i]).collect::<Vec<_>>(), 1e-9) {
        return Feedback::wrong(ex, "you multiplied by Kv: the update divides, u = a ⊘ (Kv), so that uᵢ(Kv)ᵢ = aᵢ.");
    }
    if vec_close(u, &(0..n).map(|i| a[i] / kv(1.0)[i]).collect::<Vec<_>>(), 1e-9) {
        return Feedback::wrong(ex, "the Gibbs kernel is K = exp(−C/ε), with a minus sign: cheap pairs get large weights.");
    }
    if n == m {
        let kt: Vec<f64> = (0..n).map(|i| (0..m).map(|j| (-cost[[j, i]] / eps).exp() * v[j]).sum()).collect();
        if vec_close(u, &(0..n).map(|i| a[i] / kt[i]).collect::<Vec<_>>(), 1e-9) {
            return Feedback::wrong(ex, "that is Kᵀv: u scales the rows, so it divides by (Kv)ᵢ = Σⱼ K_ij vⱼ.");
        }
    }
    Feedback::wrong(ex, format!("expected u = {:?}, got {u:?}: uᵢ = aᵢ / Σⱼ exp(−C_ij/ε) vⱼ.", expected.iter().map(|x| (x * 1e6).round() / 1e6).collect::<Vec<_>>()))
}

/// Exercise 36.2: $\mathrm{OT}_\varepsilon$ between two uniform two-point measures with cost
/// matrix `cost` (2 × 2), regularized by $\varepsilon\,\mathrm{KL}(\pi\|a\otimes b)$.
///
/// By symmetry $\pi = \begin{pmatrix}p & \frac12-p\\ \frac12-p & p\end{pmatrix}$ and the Gibbs form
/// gives $\frac{p^2}{(1/2-p)^2} = e^{-\Delta/\varepsilon}$ with $\Delta = C_{11}+C_{22}-C_{12}-C_{21}$.
///
/// # Panics
/// If `cost` is not 2 × 2 or `eps <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// // Δ = 0: the independent coupling is optimal, KL = 0, cost = mean of C.
/// let f = course::exercises::nb36::check_q2(&array![[1.0, 2.0], [3.0, 4.0]], 0.5, 2.5);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(cost: &Array2<f64>, eps: f64, answer: f64) -> Feedback {
    let ex = "36.2";
    assert_eq!(cost.dim(), (2, 2), "check_q2: cost must be 2 × 2, got {:?}", cost.dim());
    assert!(eps > 0.0, "check_q2: eps must be > 0, got {eps}");
    let delta = cost[[0, 0]] + cost[[1, 1]] - cost[[0, 1]] - cost[[1, 0]];
    let r = (-delta / (2.0 * eps)).exp();
    let p = 0.5 * r / (1.0 + r);
    let plan = [[p, 0.5 - p], [0.5 - p, p]];
    let mut transport = 0.0;
    let mut kl = 0.0;
    for i in 0..2 {
        for j in 0..2 {
            transport += plan[i][j] * cost[[i, j]];
            if plan[i][j] > 0.0 {
                kl += plan[i][j] * (plan[i][j] / 0.25).ln();
            }
        }
    }
    let expected = transport + eps * kl;
    if close(answer, expected, 1e-7) {
        return Feedback::correct(ex, format!("OT_ε = {expected:.6}: transport {transport:.6} + ε·KL {:.6}, with p = π₁₁ = {p:.6}.", eps * kl));
    }
    if close(answer, transport, 1e-7) {
        return Feedback::wrong(ex, "that is the transport cost ⟨C, π⟩ alone: add ε·KL(π‖a⊗b).");
    }
    if close(answer, expected - eps * 4f64.ln(), 1e-7) {
        return Feedback::wrong(ex, "you used −ε·H(π) (negative entropy) instead of ε·KL(π‖a⊗b): they differ by ε·log 4 here.");
    }
    let exact = 0.5 * (cost[[0, 0]] + cost[[1, 1]]).min(cost[[0, 1]] + cost[[1, 0]]);
    if close(answer, exact, 1e-7) {
        return Feedback::wrong(ex, "that is the unregularized OT cost (ε = 0); with ε > 0 the plan spreads and pays ε·KL.");
    }
    if close(answer, cost.sum() / 4.0, 1e-7) {
        return Feedback::wrong(ex, "that is the cost of the independent coupling a⊗b, optimal only when ε → ∞ or Δ = 0.");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {answer:.6}. Solve p/(1/2 − p) = exp(−Δ/(2ε)) with Δ = C₁₁ + C₂₂ − C₁₂ − C₂₁."))
}

/// Exercise 36.3: mean and variance of the Brownian bridge $\sigma W$ pinned at `x0` (time 0)
/// and `x1` (time `t_end`), at time `t`.
///
/// # Panics
/// If `sigma <= 0`, `t_end <= 0` or `t` is outside $[0, T]$.
///
/// # Examples
/// ```
/// let f = course::exercises::nb36::check_q3(0.0, 2.0, 1.0, 2.0, 1.0, 1.0, 0.5);
/// assert!(f.is_correct());
/// ```
pub fn check_q3(x0: f64, x1: f64, sigma: f64, t_end: f64, t: f64, mean: f64, var: f64) -> Feedback {
    let ex = "36.3";
    let (m, v) = crate::generative::bridges::brownian_bridge_mean_var(x0, x1, sigma, t_end, t);
    let mean_ok = close(mean, m, 1e-9);
    let var_ok = close(var, v, 1e-9);
    if mean_ok && var_ok {
        return Feedback::correct(ex, format!("mean {m:.4}, variance σ²t(T−t)/T = {v:.4}: zero at both pinned ends, largest at T/2."));
    }
    if !mean_ok {
        if close(mean, x0 + t * (x1 - x0), 1e-9) && t_end != 1.0 {
            return Feedback::wrong(ex, "the mean interpolates with s = t/T: x0 + (t/T)(x1 − x0).");
        }
        return Feedback::wrong(ex, format!("the mean should be x0 + (t/T)(x1 − x0) = {m:.4}, got {mean:.4}."));
    }
    if close(var, sigma * sigma * t, 1e-9) {
        return Feedback::wrong(ex, "σ²t is the variance of free Brownian motion; pinning at T removes σ²t²/T.");
    }
    if close(var, sigma * t * (t_end - t) / t_end, 1e-9) && sigma != 1.0 {
        return Feedback::wrong(ex, "the variance scales with σ², not σ.");
    }
    if close(var, sigma * sigma * t * (t_end - t), 1e-9) && t_end != 1.0 {
        return Feedback::wrong(ex, "divide by T: the variance is σ² t(T − t)/T.");
    }
    Feedback::wrong(ex, format!("the variance should be σ²t(T−t)/T = {v:.4}, got {var:.4}."))
}

/// The signature of Exercise 36.4: `(zhat, div_zhat, z, g, dt)` ↦ the per-step SB-FBSDE loss.
pub type FbsdeStepLoss = fn(&Array2<f64>, &[f64], &Array2<f64>, f64, f64) -> f64;

/// Reference solution of Exercise 36.4: $\Delta t\cdot\frac1n\sum_i\big(\tfrac12\lVert\hat Z_i\rVert^2 + g\,(\nabla\!\cdot\hat Z)_i + \hat Z_i^\top Z_i\big)$.
fn step_loss_reference(zhat: &Array2<f64>, div: &[f64], z: &Array2<f64>, g: f64, dt: f64) -> f64 {
    let n = zhat.nrows();
    dt * (0..n).map(|i| 0.5 * zhat.row(i).dot(&zhat.row(i)) + g * div[i] + zhat.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
}

/// Exercise 36.4: the per-step loss of the backward policy in SB-FBSDE likelihood training,
/// $\Delta t\cdot\mathbb E\big[\tfrac12\lVert\hat Z\rVert^2 + g\,\nabla\!\cdot\hat Z + \hat Z^\top Z\big]$, averaged over samples
/// (rows of `zhat` and `z`, n × d; `div_zhat` has one divergence per sample). The check runs the
/// student's function on hidden inputs of several shapes, with $g \ne 1$ and $\Delta t \ne 1$, and
/// names the usual slips.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// fn loss(zh: &Array2<f64>, div: &[f64], z: &Array2<f64>, g: f64, dt: f64) -> f64 {
///     let n = zh.nrows();
///     dt * (0..n).map(|i| 0.5 * zh.row(i).dot(&zh.row(i)) + g * div[i] + zh.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
/// }
/// assert!(course::exercises::nb36::check_q4(loss).is_correct());
/// ```
pub fn check_q4(student: FbsdeStepLoss) -> Feedback {
    let ex = "36.4";
    let mut rng = crate::rng::seeded(3604);
    let cases: Vec<(usize, usize, f64, f64)> = vec![(5, 1, 1.3, 0.05), (7, 2, 0.6, 0.1), (4, 3, 2.0, 0.025), (1, 2, 0.8, 0.2)];
    let inputs: Vec<(Array2<f64>, Vec<f64>, Array2<f64>, f64, f64)> = cases
        .iter()
        .map(|&(n, d, g, dt)| {
            let zh = Array2::from_shape_vec((n, d), crate::rng::normal_vec(&mut rng, n * d)).unwrap();
            let z = Array2::from_shape_vec((n, d), crate::rng::normal_vec(&mut rng, n * d)).unwrap() * 1.5;
            let div = crate::rng::normal_vec(&mut rng, n).iter().map(|v| v * 2.0 - 0.5).collect();
            (zh, div, z, g, dt)
        })
        .collect();
    let got: Vec<f64> = inputs.iter().map(|(zh, div, z, g, dt)| student(zh, div, z, *g, *dt)).collect();
    if got.iter().any(|v| !v.is_finite()) {
        return Feedback::wrong(ex, "the loss is not finite: it is a plain average of finite numbers.");
    }
    type Variant = fn(&Array2<f64>, &[f64], &Array2<f64>, f64, f64) -> f64;
    let all = |f: Variant| inputs.iter().zip(&got).all(|((zh, div, z, g, dt), v)| close(*v, f(zh, div, z, *g, *dt), 1e-9));
    if all(step_loss_reference) {
        return Feedback::correct(ex, "Δt·E[½‖Ẑ‖² + g∇·Ẑ + ẐᵀZ]: the Ẑ-dependent part of −(likelihood bound) on one step. The next cell checks that the library's linear solve minimizes it.");
    }
    let slips: [(Variant, &str); 8] = [
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) + dt * mean_rows(zh, |r| 0.5 * r.dot(&r)), "the ½ is missing in front of ‖Ẑ‖²: the square comes from ½‖Z + Ẑ‖² = ½‖Z‖² + ½‖Ẑ‖² + ẐᵀZ."),
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) - 2.0 * dt * cross(zh, z), "sign of the cross term: +ẐᵀZ (from ½‖Z + Ẑ‖²); the minimizer is Ẑ = g∇log q − Z, so that Z + Ẑ is the score term."),
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) - dt * (g - 1.0) * d.iter().sum::<f64>() / d.len() as f64, "the divergence term is g∇·Ẑ: the factor g (= σ) is missing."),
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) + dt * (g * g - g) * d.iter().sum::<f64>() / d.len() as f64, "the divergence term is g∇·Ẑ, with g, not g²: Ẑ is already scaled by g (Ẑ = g∇log Ψ̂)."),
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) - dt * g * d.iter().sum::<f64>() / d.len() as f64, "the divergence term g∇·Ẑ is missing: without it the loss is minimized by Ẑ = −Z and knows nothing of the data."),
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) / dt, "multiply by Δt: the loss is a time integral, one Riemann term per step."),
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) * zh.nrows() as f64, "average over the samples (divide by n): the loss is an expectation."),
        (|zh, d, z, g, dt| step_loss_reference(zh, d, z, g, dt) - dt * g * d.iter().sum::<f64>() / d.len() as f64 - dt * g * d.iter().sum::<f64>() / d.len() as f64, "sign of the divergence term: +g∇·Ẑ (integration by parts turns it into −gẐᵀ∇log q)."),
    ];
    for (f, msg) in slips {
        if all(f) {
            return Feedback::wrong(ex, msg);
        }
    }
    let (zh, div, z, g, dt) = &inputs[1];
    Feedback::wrong(ex, format!(
        "on a 7 × 2 input with g = {g}, Δt = {dt}: expected {:.6}, got {:.6}. Loss = Δt · (1/n) Σᵢ (½‖Ẑᵢ‖² + g·divᵢ + ẐᵢᵀZᵢ).",
        step_loss_reference(zh, div, z, *g, *dt), got[1]
    ))
}

fn mean_rows(m: &Array2<f64>, f: impl Fn(ndarray::ArrayView1<f64>) -> f64) -> f64 {
    m.rows().into_iter().map(f).sum::<f64>() / m.nrows() as f64
}

fn cross(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    (0..a.nrows()).map(|i| a.row(i).dot(&b.row(i))).sum::<f64>() / a.nrows() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        let c = array![[0.0, 1.0, 4.0], [1.0, 0.5, 2.0]];
        let (a, v, eps): ([f64; 2], [f64; 3], f64) = ([0.3, 0.7], [1.0, 0.5, 2.0], 0.7);
        let kv: Vec<f64> = (0..2).map(|i| (0..3).map(|j| (-c[[i, j]] / eps).exp() * v[j]).sum()).collect();
        let u: Vec<f64> = (0..2).map(|i| a[i] / kv[i]).collect();
        assert!(check_q1(&a, &c, eps, &v, &u).is_correct());
        // the update makes the rows right: Σⱼ uᵢ K_ij vⱼ = aᵢ (an identity, the oracle)
        for i in 0..2 {
            assert!((u[i] * kv[i] - a[i]).abs() < 1e-12);
        }
        let no_a: Vec<f64> = kv.iter().map(|k| 1.0 / k).collect();
        assert!(check_q1(&a, &c, eps, &v, &no_a).message.contains("missing"));
        let times: Vec<f64> = (0..2).map(|i| a[i] * kv[i]).collect();
        assert!(check_q1(&a, &c, eps, &v, &times).message.contains("multiplied"));
    }

    #[test]
    fn q2_agrees_with_sinkhorn_and_spots_slips() {
        let c = array![[0.2, 1.5], [2.0, 0.4]];
        let eps = 0.8;
        let ot = crate::generative::bridges::sinkhorn_log(&[0.5, 0.5], &[0.5, 0.5], &c, eps, 10_000, 1e-14);
        assert!(check_q2(&c, eps, ot.cost).is_correct());
        assert!(check_q2(&c, eps, ot.transport_cost).message.contains("transport cost"));
        assert!(check_q2(&c, eps, ot.cost - eps * 4f64.ln()).message.contains("entropy"));
        assert!(check_q2(&c, eps, 0.3).message.contains("unregularized"));
    }

    #[test]
    fn q3_spots_free_brownian_motion_and_sigma() {
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 1.5, 0.25 * 0.5 * 1.5 / 2.0).is_correct());
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 1.5, 0.25 * 0.5).message.contains("free Brownian"));
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 1.5, 0.5 * 0.5 * 1.5 / 2.0).message.contains("σ²"));
        assert!(check_q3(1.0, 3.0, 0.5, 2.0, 0.5, 2.0, 0.1).message.contains("t/T"));
    }

    #[test]
    fn q4_accepts_the_reference_and_names_each_slip() {
        assert!(check_q4(step_loss_reference).is_correct());
        fn no_half(zh: &Array2<f64>, d: &[f64], z: &Array2<f64>, g: f64, dt: f64) -> f64 {
            let n = zh.nrows();
            dt * (0..n).map(|i| zh.row(i).dot(&zh.row(i)) + g * d[i] + zh.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
        }
        fn minus_cross(zh: &Array2<f64>, d: &[f64], z: &Array2<f64>, g: f64, dt: f64) -> f64 {
            let n = zh.nrows();
            dt * (0..n).map(|i| 0.5 * zh.row(i).dot(&zh.row(i)) + g * d[i] - zh.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
        }
        fn no_g(zh: &Array2<f64>, d: &[f64], z: &Array2<f64>, _g: f64, dt: f64) -> f64 {
            let n = zh.nrows();
            dt * (0..n).map(|i| 0.5 * zh.row(i).dot(&zh.row(i)) + d[i] + zh.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
        }
        fn g_squared(zh: &Array2<f64>, d: &[f64], z: &Array2<f64>, g: f64, dt: f64) -> f64 {
            let n = zh.nrows();
            dt * (0..n).map(|i| 0.5 * zh.row(i).dot(&zh.row(i)) + g * g * d[i] + zh.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
        }
        fn no_div(zh: &Array2<f64>, _d: &[f64], z: &Array2<f64>, _g: f64, dt: f64) -> f64 {
            let n = zh.nrows();
            dt * (0..n).map(|i| 0.5 * zh.row(i).dot(&zh.row(i)) + zh.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
        }
        fn no_dt(zh: &Array2<f64>, d: &[f64], z: &Array2<f64>, g: f64, _dt: f64) -> f64 {
            step_loss_reference(zh, d, z, g, 1.0)
        }
        fn summed(zh: &Array2<f64>, d: &[f64], z: &Array2<f64>, g: f64, dt: f64) -> f64 {
            dt * (0..zh.nrows()).map(|i| 0.5 * zh.row(i).dot(&zh.row(i)) + g * d[i] + zh.row(i).dot(&z.row(i))).sum::<f64>()
        }
        fn minus_div(zh: &Array2<f64>, d: &[f64], z: &Array2<f64>, g: f64, dt: f64) -> f64 {
            let n = zh.nrows();
            dt * (0..n).map(|i| 0.5 * zh.row(i).dot(&zh.row(i)) - g * d[i] + zh.row(i).dot(&z.row(i))).sum::<f64>() / n as f64
        }
        let named: [(FbsdeStepLoss, &str); 8] = [
            (no_half, "½ is missing"),
            (minus_cross, "sign of the cross term"),
            (no_g, "factor g"),
            (g_squared, "not g²"),
            (no_div, "is missing: without it"),
            (no_dt, "multiply by Δt"),
            (summed, "divide by n"),
            (minus_div, "sign of the divergence"),
        ];
        for (f, key) in named {
            let fb = check_q4(f);
            assert!(!fb.is_correct() && fb.message.contains(key), "{key}: {}", fb.message);
        }
    }
}
