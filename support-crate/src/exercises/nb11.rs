//! Exercises of notebooks/11-attention-and-transformers.ipynb.

use super::{Feedback, close};
use crate::nn::{scaled_dot_product_attention, softmax_rows};
use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The signature of exercise 11.1: `attention(q, k, v, causal)`.
pub type Attention = fn(&Array2<f64>, &Array2<f64>, &Array2<f64>, bool) -> Array2<f64>;

/// The hidden inputs of 34.1: `(q, k, v, causal)`, several shapes, one with `d = T` (where a
/// transposed `K` still multiplies), large scores, causal and not.
fn cases() -> Vec<(Array2<f64>, Array2<f64>, Array2<f64>, bool)> {
    let mut rng = crate::rng::seeded(3401);
    let mut g = |r: usize, c: usize, s: f64| Array2::from_shape_fn((r, c), |_| { let z: f64 = StandardNormal.sample(&mut rng); s * z });
    // (T_q, T, d, d_v, scale, causal)
    let shapes = [(4, 4, 4, 3, 1.0, false), (4, 4, 4, 3, 1.5, true), (5, 5, 8, 2, 1.0, true), (3, 6, 2, 4, 1.0, false), (6, 6, 16, 5, 1.2, true), (1, 3, 5, 1, 2.0, false)];
    shapes.iter().map(|&(tq, t, d, dv, s, causal)| (g(tq, d, s), g(t, d, s), g(t, dv, 1.0), causal)).collect()
}

fn masked(scores: &Array2<f64>, causal: bool, future: bool) -> Array2<f64> {
    let mut s = scores.clone();
    if causal {
        for ((i, j), v) in s.indexed_iter_mut() {
            if (future && j > i) || (!future && j < i) {
                *v = f64::NEG_INFINITY;
            }
        }
    }
    s
}

fn softmax_cols(s: &Array2<f64>) -> Array2<f64> {
    softmax_rows(&s.t().to_owned()).t().to_owned()
}

/// Exercise 11.1: scaled dot-product attention $\operatorname{softmax}(QK^\top/\sqrt d + M)V$
/// with an optional causal mask $M$, written by the student and run on hidden inputs.
///
/// # Examples
/// ```
/// use ndarray::Array2;
/// fn attention(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, causal: bool) -> Array2<f64> {
///     course::nn::scaled_dot_product_attention(q, k, v, causal)
/// }
/// assert!(course::exercises::nb11::check_q1(attention).is_correct());
/// ```
pub fn check_q1(attention: Attention) -> Feedback {
    let ex = "11.1";
    let cases = cases();
    let mut outs = Vec::with_capacity(cases.len());
    for (q, k, v, causal) in &cases {
        match catch_unwind(AssertUnwindSafe(|| attention(q, k, v, *causal))) {
            Ok(o) => outs.push(o),
            Err(_) => {
                return Feedback::wrong(ex, format!(
                    "your function panicked on Q {:?}, K {:?}, V {:?}: the scores are Q Kᵀ (T_q × T), so K is transposed (`k.t()`), and the weights times V give T_q × d_v.",
                    q.dim(), k.dim(), v.dim()
                ));
            }
        }
    }
    for ((q, _, v, _), o) in cases.iter().zip(&outs) {
        if o.dim() != (q.nrows(), v.ncols()) {
            return Feedback::wrong(ex, format!("the output has one row per query and one column per value feature: expected {:?}, got {:?}.", (q.nrows(), v.ncols()), o.dim()));
        }
    }
    let all = |f: &dyn Fn(&Array2<f64>, &Array2<f64>, &Array2<f64>, bool) -> Option<Array2<f64>>| {
        cases.iter().zip(&outs).all(|((q, k, v, c), o)| f(q, k, v, *c).is_some_and(|e| e.iter().zip(o.iter()).all(|(a, b)| close(*a, *b, 1e-9))))
    };
    let sqrt_d = |q: &Array2<f64>| (q.ncols() as f64).sqrt();
    if all(&|q, k, v, c| Some(scaled_dot_product_attention(q, k, v, c))) {
        return Feedback::correct(ex, "softmax(Q Kᵀ/√d + M) V: each output row is a convex combination of the value rows, and under the causal mask row i sees only keys 0..=i. The next cell uses your function on the trained transformer.");
    }
    if all(&|q, k, v, c| Some(softmax_rows(&masked(&q.dot(&k.t()), c, true)).dot(v))) {
        return Feedback::wrong(ex, "the scores are not scaled: divide Q Kᵀ by √d (d = the number of columns of Q), or the softmax saturates as d grows.");
    }
    if all(&|q, k, v, c| Some(softmax_rows(&masked(&(q.dot(&k.t()) / q.ncols() as f64), c, true)).dot(v))) {
        return Feedback::wrong(ex, "you divide by d; the scale is √d, the standard deviation of q·k for unit-variance entries.");
    }
    if all(&|q, k, v, c| Some(softmax_cols(&masked(&(q.dot(&k.t()) / sqrt_d(q)), c, true)).dot(v))) {
        return Feedback::wrong(ex, "softmax over the wrong axis: each query (row of the scores) needs weights over the keys that sum to 1 — normalize along each row, not each column.");
    }
    if all(&|q, k, v, c| {
        let mut w = softmax_rows(&(q.dot(&k.t()) / sqrt_d(q)));
        if c {
            w.indexed_iter_mut().filter(|((i, j), _)| j > i).for_each(|(_, x)| *x = 0.0);
        }
        Some(w.dot(v))
    }) {
        return Feedback::wrong(ex, "the mask is applied after the softmax, so the remaining weights no longer sum to 1: set the future scores to −∞ before the softmax.");
    }
    if all(&|q, k, v, _| Some(scaled_dot_product_attention(q, k, v, false))) {
        return Feedback::wrong(ex, "with causal = true, query i may only attend to keys j ≤ i: your output ignores the flag.");
    }
    if all(&|q, k, v, c| Some(softmax_rows(&masked(&(q.dot(&k.t()) / sqrt_d(q)), c, false)).dot(v))) {
        return Feedback::wrong(ex, "the mask hides the past: the causal mask sets the scores of keys j > i (the future) to −∞.");
    }
    if all(&|q, k, v, c| (q.ncols() == k.nrows()).then(|| softmax_rows(&masked(&(q.dot(k) / sqrt_d(q)), c, true)).dot(v))) {
        return Feedback::wrong(ex, "K is not transposed: the score of query i and key j is q_i·k_j, the (i, j) entry of Q Kᵀ.");
    }
    let (q, k, v, c) = &cases[2];
    Feedback::wrong(ex, format!(
        "on Q {:?}, K {:?} (causal = {c}) the first output entry should be {:.6}, yours is {:.6}. Compute S = Q Kᵀ/√d, set S_ij = −∞ for j > i if causal, softmax each row, multiply by V.",
        q.dim(), k.dim(), scaled_dot_product_attention(q, k, v, *c)[[0, 0]], outs[2][[0, 0]]
    ))
}

/// Exercise 11.2: for a *tied* query and key, $q = k = x$ with $x\sim\mathcal N(0, I_d)$, the
/// mean and the variance of the scaled self-score $x\cdot x/\sqrt d$, as a function of `d`:
/// $(\sqrt d, 2)$.
///
/// # Examples
/// ```
/// let f = course::exercises::nb11::check_q2(|d| ((d as f64).sqrt(), 2.0));
/// assert!(f.is_correct());
/// ```
pub fn check_q2(self_score: impl Fn(usize) -> (f64, f64)) -> Feedback {
    let ex = "11.2";
    let dims = [4, 16, 64, 256];
    let answers: Vec<(f64, f64)> = dims.iter().map(|&d| self_score(d)).collect();
    let all = |f: &dyn Fn(f64) -> (f64, f64)| dims.iter().zip(&answers).all(|(&d, &(m, v))| {
        let (em, ev) = f(d as f64);
        close(m, em, 1e-6) && close(v, ev, 1e-6)
    });
    if all(&|d| (d.sqrt(), 2.0)) {
        return Feedback::correct(ex, "x·x = Σ x_i² has mean d and variance 2d (E x_i⁴ = 3), so x·x/√d has mean √d and variance 2: a tied query beats an independent key (mean 0, variance 1) by √d standard deviations, and the softmax puts nearly all weight on itself as d grows.");
    }
    if all(&|_| (0.0, 1.0)) {
        return Feedback::wrong(ex, "(0, 1) is the independent case; here q and k are the same vector, so q·k = Σ x_i² is a sum of squares: its mean is not 0.");
    }
    if all(&|d| (d.sqrt(), 1.0)) {
        return Feedback::wrong(ex, "the mean is right; for the variance, Var(x_i²) = E x_i⁴ − (E x_i²)² = 3 − 1 for a standard normal.");
    }
    if all(&|d| (d, 2.0 * d)) {
        return Feedback::wrong(ex, "that is x·x before scaling; divide by √d (the mean by √d, the variance by d).");
    }
    if all(&|d| (d.sqrt(), 2.0 * d.sqrt())) || all(&|d| (d.sqrt(), 2.0 / d.sqrt())) {
        return Feedback::wrong(ex, "scaling a random variable by 1/√d scales its variance by 1/d, not 1/√d.");
    }
    if dims.iter().zip(&answers).all(|(&d, &(m, _))| close(m, (d as f64).sqrt(), 1e-6)) {
        return Feedback::wrong(ex, "the mean √d is right; the variance: x·x is a sum of d independent x_i² of variance 2, then scaled by 1/√d.");
    }
    let (d, (m, v)) = (dims[1], answers[1]);
    Feedback::wrong(ex, format!("at d = {d} you return mean {m}, variance {v}. Write x·x = Σ x_i²: E x_i² = 1 and E x_i⁴ = 3 for a standard normal, then scale by 1/√d."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::attention_weights;

    fn right(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        // independent: explicit loops, exp of scaled dot products, normalized
        let d = q.ncols() as f64;
        let mut out = Array2::zeros((q.nrows(), v.ncols()));
        for i in 0..q.nrows() {
            let n = if c { i + 1 } else { k.nrows() };
            let w: Vec<f64> = (0..n).map(|j| (q.row(i).dot(&k.row(j)) / d.sqrt()).exp()).collect();
            let z: f64 = w.iter().sum();
            for j in 0..n {
                out.row_mut(i).scaled_add(w[j] / z, &v.row(j));
            }
        }
        out
    }
    fn unscaled(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        scaled_dot_product_attention(&(q * (q.ncols() as f64).sqrt()), k, v, c)
    }
    fn by_d(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        scaled_dot_product_attention(&(q / (q.ncols() as f64).sqrt()), k, v, c)
    }
    fn cols(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        softmax_cols(&masked(&(q.dot(&k.t()) / (q.ncols() as f64).sqrt()), c, true)).dot(v)
    }
    fn after(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        let mut w = attention_weights(q, k, false);
        if c {
            for ((i, j), x) in w.indexed_iter_mut() {
                if j > i {
                    *x = 0.0;
                }
            }
        }
        w.dot(v)
    }
    fn no_mask(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, _: bool) -> Array2<f64> {
        scaled_dot_product_attention(q, k, v, false)
    }
    fn past(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        softmax_rows(&masked(&(q.dot(&k.t()) / (q.ncols() as f64).sqrt()), c, false)).dot(v)
    }
    fn transposed(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        softmax_rows(&masked(&(q.dot(k) / (q.ncols() as f64).sqrt()), c, true)).dot(v)
    }
    fn shape(q: &Array2<f64>, _: &Array2<f64>, _: &Array2<f64>, _: bool) -> Array2<f64> {
        q.clone()
    }
    fn other(q: &Array2<f64>, k: &Array2<f64>, v: &Array2<f64>, c: bool) -> Array2<f64> {
        scaled_dot_product_attention(q, k, v, c) * 1.01
    }

    #[test]
    fn q1_accepts_the_reference_and_names_slips() {
        assert!(check_q1(right).is_correct());
        assert!(check_q1(unscaled).message.contains("not scaled"));
        assert!(check_q1(by_d).message.contains("divide by d"));
        assert!(check_q1(cols).message.contains("wrong axis"));
        assert!(check_q1(after).message.contains("after the softmax"));
        assert!(check_q1(no_mask).message.contains("ignores the flag"));
        assert!(check_q1(past).message.contains("hides the past"));
        assert!(check_q1(transposed).message.contains("panicked"));
        assert!(check_q1(shape).message.contains("one row per query"));
        assert!(check_q1(other).message.contains("should be"));
    }

    #[test]
    fn q2_accepts_the_moments_and_names_slips() {
        // independent: Monte Carlo of x·x/√d at d = 16
        let mut rng = crate::rng::seeded(0);
        let n = 100_000;
        let s: Vec<f64> = (0..n).map(|_| (0..16).map(|_| { let x: f64 = StandardNormal.sample(&mut rng); x * x }).sum::<f64>() / 4.0).collect();
        let m = s.iter().sum::<f64>() / n as f64;
        let v = s.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        assert!((m - 4.0).abs() < 0.02 && (v - 2.0).abs() < 0.05, "{m} {v}");
        assert!(check_q2(|d| ((d as f64).sqrt(), 2.0)).is_correct());
        assert!(check_q2(|_| (0.0, 1.0)).message.contains("independent"));
        assert!(check_q2(|d| ((d as f64).sqrt(), 1.0)).message.contains("E x_i⁴"));
        assert!(check_q2(|d| (d as f64, 2.0 * d as f64)).message.contains("before scaling"));
        assert!(check_q2(|d| ((d as f64).sqrt(), 2.0 / (d as f64).sqrt())).message.contains("1/d"));
        assert!(check_q2(|d| ((d as f64).sqrt(), 3.0)).message.contains("mean √d is right"));
        assert!(check_q2(|_| (1.0, 1.0)).message.contains("at d = 16"));
    }
}
