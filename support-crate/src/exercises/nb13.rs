//! Exercises of notebooks/13-generalization-and-implicit-bias.ipynb.

use super::{Feedback, vec_close};
use crate::learning::logistic_grad;
use ndarray::{Array1, Array2};

/// The numbers of Exercise 13.1: $|\mathcal H| = 1001$ thresholds, accuracy $\varepsilon = 0.02$,
/// confidence $\delta = 0.05$.
pub const Q1_N_HYPOTHESES: usize = 1001;
/// $\varepsilon$ of Exercise 13.1.
pub const Q1_EPS: f64 = 0.02;
/// $\delta$ of Exercise 13.1.
pub const Q1_DELTA: f64 = 0.05;

/// Exercise 13.1 (derive): the sample size that guarantees, in the **realizable** case, that every
/// hypothesis consistent with the sample has risk $\le\varepsilon$ with probability $\ge1-\delta$:
/// a hypothesis of risk $>\varepsilon$ survives $n$ draws with probability $(1-\varepsilon)^n\le e^{-\varepsilon n}$, the union
/// bound multiplies by $|\mathcal H|$, so $n = \lceil\ln(|\mathcal H|/\delta)/\varepsilon\rceil$.
///
/// # Examples
/// ```
/// let n = (1001f64 / 0.05).ln() / 0.02;
/// assert!(course::exercises::nb13::check_q1(n.ceil()).is_correct());
/// assert!(!course::exercises::nb13::check_q1(n).is_correct()); // not an integer
/// ```
pub fn check_q1(answer: f64) -> Feedback {
    let ex = "13.1";
    let (h, eps, delta) = (Q1_N_HYPOTHESES as f64, Q1_EPS, Q1_DELTA);
    let raw = (h / delta).ln() / eps;
    let expected = raw.ceil();
    let exact_tail = ((h / delta).ln() / -(1.0 - eps).ln()).ceil();
    if answer == expected {
        return Feedback::correct(ex, format!(
            "n = ⌈ln(|H|/δ)/ε⌉ = ⌈{raw:.2}⌉ = {expected}: a hypothesis with risk > ε survives n draws with probability (1 − ε)ⁿ ≤ e^(−εn), and the union bound over the |H| = {h} hypotheses needs |H|e^(−εn) ≤ δ. Note the 1/ε, against the agnostic 1/ε²."
        ));
    }
    if answer == exact_tail {
        return Feedback::correct(ex, format!(
            "n = {exact_tail} from (1 − ε)ⁿ|H| ≤ δ directly: even a little tighter than the ⌈ln(|H|/δ)/ε⌉ = {expected} that e^(−εn) gives."
        ));
    }
    let near = |v: f64| (answer - v).abs() <= 1.0;
    if (answer - raw).abs() < 1e-6 {
        return Feedback::wrong(ex, format!("{raw:.4} is the bound, but n counts examples: round up to the next integer."));
    }
    if answer == raw.floor() {
        return Feedback::wrong(ex, "rounded down: n must make |H|e^(−εn) ≤ δ, so round up.");
    }
    if near((2.0 * h / delta).ln() / (2.0 * eps * eps)) {
        return Feedback::wrong(ex, "that is the agnostic bound from Hoeffding, ln(2|H|/δ)/(2ε²). In the realizable case a bad hypothesis must be right on every one of the n points: (1 − ε)ⁿ ≤ e^(−εn), so n grows like 1/ε, not 1/ε².");
    }
    if near((h / delta).ln() / (eps * eps)) || near((h / delta).ln() / (2.0 * eps * eps)) {
        return Feedback::wrong(ex, "a 1/ε² belongs to Hoeffding (the agnostic case). A hypothesis with risk > ε survives n clean draws with probability (1 − ε)ⁿ ≤ e^(−εn): the exponent is εn.");
    }
    if near((2.0 * h / delta).ln() / eps) {
        return Feedback::wrong(ex, "the factor 2 in ln(2|H|/δ) comes from the two-sided Hoeffding bound; here only one event is bad (a hypothesis of risk > ε looks perfect), so it is ln(|H|/δ).");
    }
    if near((h / delta).log10() / eps) || near((h / delta).log2() / eps) {
        return Feedback::wrong(ex, "the logarithm is natural: e^(−εn) ≤ δ/|H| means εn ≥ ln(|H|/δ).");
    }
    if near((1.0 / delta).ln() / eps) {
        return Feedback::wrong(ex, "that is the sample size for one hypothesis: the union bound over all |H| hypotheses adds ln|H|.");
    }
    if near(h.ln() / eps) {
        return Feedback::wrong(ex, "δ is missing: the union bound asks |H|e^(−εn) ≤ δ.");
    }
    Feedback::wrong(ex, format!(
        "got {answer}. Bound the probability that one hypothesis with risk > ε is consistent with n independent examples, then sum over the |H| = {h} hypotheses and ask for ≤ δ = {delta} with ε = {eps}."
    ))
}

/// The student's step: `step(w, x, y, lr)` returns $w - \text{lr}\,\nabla\mathcal L(w)$ for the mean logistic loss.
pub type LogisticStep = fn(&Array1<f64>, &Array2<f64>, &[f64], f64) -> Array1<f64>;

/// A gradient built from per-point weights $c_i$: $\sum_i c_i x_i$.
fn weighted_sum(x: &Array2<f64>, c: impl Fn(usize, f64) -> f64, w: &Array1<f64>) -> Array1<f64> {
    let mut g = Array1::zeros(x.ncols());
    for i in 0..x.nrows() {
        let wx = x.row(i).dot(w);
        g.scaled_add(c(i, wx), &x.row(i));
    }
    g
}

/// Exercise 13.2 (implement): one gradient-descent step on the mean logistic loss
/// $\mathcal L(w) = \frac1n\sum_i\ln(1 + e^{-y_iw\cdot x_i})$. The check runs `step` on hidden data (several
/// sizes, labels $\pm1$, non-zero $w$) and names the usual slips.
///
/// # Examples
/// ```
/// use ndarray::{Array1, Array2};
/// fn step(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
///     w - &(course::learning::logistic_grad(w, x, y) * lr)
/// }
/// assert!(course::exercises::nb13::check_q2(step).is_correct());
/// ```
pub fn check_q2(step: LogisticStep) -> Feedback {
    let ex = "13.2";
    let mut rng = crate::rng::seeded(3202);
    let cases: Vec<(Array1<f64>, Array2<f64>, Vec<f64>, f64)> = [(5usize, 2usize, 0.5), (8, 3, 1.3), (1, 4, 0.1), (12, 2, 2.0)]
        .iter()
        .map(|&(n, d, lr)| {
            let x = Array2::from_shape_vec((n, d), crate::rng::normal_vec(&mut rng, n * d)).unwrap();
            let w = Array1::from(crate::rng::normal_vec(&mut rng, d));
            let y: Vec<f64> = (0..n).map(|i| if (i * 7 + d) % 3 == 0 { -1.0 } else { 1.0 }).collect();
            (w, x, y, lr)
        })
        .collect();
    let outs: Vec<Array1<f64>> = cases.iter().map(|(w, x, y, lr)| step(w, x, y, *lr)).collect();
    for ((w, _, _, _), out) in cases.iter().zip(&outs) {
        if out.len() != w.len() {
            return Feedback::wrong(ex, format!("the step returns the new weights, one per feature: expected length {}, got {}.", w.len(), out.len()));
        }
    }
    let all = |f: &dyn Fn(&Array1<f64>, &Array2<f64>, &[f64], f64) -> Array1<f64>| {
        cases.iter().zip(&outs).all(|((w, x, y, lr), out)| vec_close(out.as_slice().unwrap(), f(w, x, y, *lr).as_slice().unwrap(), 1e-9))
    };
    let reference = |w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64| w - &(logistic_grad(w, x, y) * lr);
    if all(&reference) {
        return Feedback::correct(ex, "w ← w + (lr/n) Σᵢ yᵢxᵢ σ(−yᵢw·xᵢ): each point pulls w towards yᵢxᵢ, weighted by how badly it is classified. The next cell runs 10⁵ of your steps.");
    }
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    let named: Vec<(&str, Box<dyn Fn(&Array1<f64>, &Array2<f64>, &[f64], f64) -> Array1<f64>>)> = vec![
        ("sign: you step up the gradient (ascent), so the loss grows. The gradient is −(1/n)Σ yᵢxᵢσ(−yᵢw·xᵢ); subtract lr times it.",
            Box::new(|w, x, y, lr| w + &(logistic_grad(w, x, y) * lr))),
        ("the loss is a mean: divide the sum over points by n (your step is n times too long).",
            Box::new(|w, x, y, lr| w - &(logistic_grad(w, x, y) * (lr * x.nrows() as f64)))),
        ("the weight of point i is σ(−yᵢw·xᵢ) = 1/(1 + e^(yᵢw·xᵢ)), the probability of the wrong label; you used σ(+yᵢw·xᵢ), which pushes hardest on the points already right.",
            Box::new(|w, x, y, lr| w + &(weighted_sum(x, |i, wx| y[i] * sigmoid(y[i] * wx), w) * (lr / x.nrows() as f64)))),
        ("the label yᵢ is missing in front of xᵢ: d/dw ln(1 + e^(−yᵢw·xᵢ)) = −yᵢxᵢσ(−yᵢw·xᵢ).",
            Box::new(|w, x, y, lr| w + &(weighted_sum(x, |i, wx| sigmoid(-y[i] * wx), w) * (lr / x.nrows() as f64)))),
        ("you return the displacement −lr∇L only: the step is w − lr∇L.",
            Box::new(|w, x, y, lr| logistic_grad(w, x, y) * (-lr))),
        ("the learning rate is missing: w − lr∇L.",
            Box::new(|w, x, y, _| w - &logistic_grad(w, x, y))),
    ];
    for (msg, f) in &named {
        if all(f.as_ref()) {
            return Feedback::wrong(ex, *msg);
        }
    }
    let (w, x, y, lr) = &cases[0];
    Feedback::wrong(ex, format!(
        "on a hidden case with n = {}, d = {}, lr = {lr}: expected {:.6?}, got {:.6?}. The step is w − lr·∇L with ∇L = −(1/n)Σ yᵢxᵢ/(1 + e^(yᵢw·xᵢ)).",
        x.nrows(), x.ncols(), reference(w, x, y, *lr).to_vec(), outs[0].to_vec()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_accepts_the_union_bound_and_names_slips() {
        // independent check: the smallest n with |H|(1 − ε)ⁿ ≤ δ and with |H|e^(−εn) ≤ δ, by search
        let (h, eps, delta) = (1001.0f64, 0.02f64, 0.05f64);
        let exp_n = (1..).find(|&n| h * (-eps * n as f64).exp() <= delta).unwrap() as f64;
        let tail_n = (1..).find(|&n| h * (1.0 - eps).powi(n) <= delta).unwrap() as f64;
        assert_eq!(exp_n, 496.0);
        assert!(check_q1(exp_n).is_correct());
        assert!(check_q1(tail_n).is_correct());
        let raw = (h / delta).ln() / eps;
        assert!(check_q1(raw).message.contains("round up"));
        assert!(check_q1(raw.floor()).message.contains("rounded down"));
        assert!(check_q1(((2.0 * h / delta).ln() / (2.0 * eps * eps)).ceil()).message.contains("agnostic"));
        assert!(check_q1(((h / delta).ln() / (eps * eps)).ceil()).message.contains("1/ε²"));
        assert!(check_q1(((2.0 * h / delta).ln() / eps).ceil()).message.contains("two-sided"));
        assert!(check_q1(((h / delta).log10() / eps).ceil()).message.contains("natural"));
        assert!(check_q1(((1.0 / delta).ln() / eps).ceil()).message.contains("one hypothesis"));
        assert!(check_q1((h.ln() / eps).ceil()).message.contains("δ is missing"));
        assert!(check_q1(7.0).message.contains("got 7"));
    }

    fn sig(z: f64) -> f64 {
        1.0 / (1.0 + (-z).exp())
    }

    #[test]
    fn q2_accepts_the_reference_and_names_slips() {
        fn right(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
            // independent: loop over points, σ(−m)
            let mut out = w.clone();
            for i in 0..x.nrows() {
                let m = y[i] * x.row(i).dot(w);
                out.scaled_add(lr * y[i] * sig(-m) / x.nrows() as f64, &x.row(i));
            }
            out
        }
        fn ascent(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
            w * 2.0 - right(w, x, y, lr)
        }
        fn summed(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
            right(w, x, y, lr * x.nrows() as f64)
        }
        fn plus_margin(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
            let mut out = w.clone();
            for i in 0..x.nrows() {
                out.scaled_add(lr * y[i] * sig(y[i] * x.row(i).dot(w)) / x.nrows() as f64, &x.row(i));
            }
            out
        }
        fn no_label(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
            let mut out = w.clone();
            for i in 0..x.nrows() {
                out.scaled_add(lr * sig(-y[i] * x.row(i).dot(w)) / x.nrows() as f64, &x.row(i));
            }
            out
        }
        fn displacement(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
            right(w, x, y, lr) - w
        }
        fn no_lr(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], _lr: f64) -> Array1<f64> {
            right(w, x, y, 1.0)
        }
        fn short(w: &Array1<f64>, _x: &Array2<f64>, _y: &[f64], _lr: f64) -> Array1<f64> {
            Array1::zeros(w.len() + 1)
        }
        fn other(w: &Array1<f64>, x: &Array2<f64>, y: &[f64], lr: f64) -> Array1<f64> {
            right(w, x, y, 0.7 * lr)
        }
        assert!(check_q2(right).is_correct());
        assert!(check_q2(ascent).message.contains("sign"));
        assert!(check_q2(summed).message.contains("divide the sum"));
        assert!(check_q2(plus_margin).message.contains("σ(+yᵢw·xᵢ)"));
        assert!(check_q2(no_label).message.contains("label yᵢ is missing"));
        assert!(check_q2(displacement).message.contains("displacement"));
        assert!(check_q2(no_lr).message.contains("learning rate"));
        assert!(check_q2(short).message.contains("one per feature"));
        assert!(check_q2(other).message.contains("expected"));
    }
}
