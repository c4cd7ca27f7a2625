//! Exercises of notebooks/29-gans-and-wasserstein-gans.ipynb.

use super::{Feedback, close};
use crate::generative::gan::js_bernoulli;
use crate::generative::metrics::wasserstein_1d;

/// Exercise 29.1: for $p = \mathcal N(0, 1)$ and $q = \mathcal N(\mu, 1)$ the optimal
/// discriminator is logistic, $D^*(x) = \sigma(a + bx)$; the answer is `(a, b)`.
///
/// # Examples
/// ```
/// let f = course::exercises::nb29::check_q1(2.0, 2.0, -2.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(mu: f64, a: f64, b: f64) -> Feedback {
    let ex = "29.1";
    // log p/q = −x²/2 + (x − μ)²/2 = μ²/2 − μx, and p/(p+q) = σ(log p/q).
    let (ea, eb) = (0.5 * mu * mu, -mu);
    if close(a, ea, 1e-9) && close(b, eb, 1e-9) {
        return Feedback::correct(ex, format!("D*(x) = σ({ea} − {}x): the log-density ratio of two equal-variance Gaussians is linear.", mu));
    }
    if close(a, -ea, 1e-9) && close(b, -eb, 1e-9) {
        return Feedback::wrong(ex, "this is σ(log q/p) = 1 − D*: the discriminator says 'real' for p, so the logit is log p − log q.");
    }
    if close(a, mu * mu, 1e-9) && close(b, eb, 1e-9) {
        return Feedback::wrong(ex, "the slope is right; the intercept comes from (x − μ)²/2 and keeps the ½: μ²/2.");
    }
    if close(b, eb, 1e-9) {
        return Feedback::wrong(ex, format!("the slope b = −μ is right; expand (x − μ)²/2 − x²/2 for the intercept (expected {ea})."));
    }
    Feedback::wrong(ex, format!("expected (a, b) = ({ea}, {eb}); write log p(x) − log q(x) and collect the powers of x."))
}

/// Exercise 29.2: $\mathrm{JS}(\mathrm{Bern}(a)\,\Vert\,\mathrm{Bern}(b))$ in nats.
///
/// # Examples
/// ```
/// let js = 0.5 * (0.2f64 * (0.2f64 / 0.4).ln() + 0.8 * (0.8f64 / 0.6).ln())
///        + 0.5 * (0.6f64 * (0.6f64 / 0.4).ln() + 0.4 * (0.4f64 / 0.6).ln());
/// assert!(course::exercises::nb29::check_q2(0.2, 0.6, js).is_correct());
/// ```
pub fn check_q2(a: f64, b: f64, js: f64) -> Feedback {
    let ex = "29.2";
    let expected = js_bernoulli(a, b);
    if close(js, expected, 1e-9) {
        return Feedback::correct(ex, format!("JS = {expected:.6} nats ≤ log 2; the GAN value at D* would be 2·JS − log 4 = {:.6}.", 2.0 * expected - 4f64.ln()));
    }
    if close(js, expected / 2f64.ln(), 1e-9) {
        return Feedback::wrong(ex, "that is in bits (log₂); the GAN identity V = 2·JS − log 4 is in nats: use ln.");
    }
    if close(js, 2.0 * expected, 1e-9) {
        return Feedback::wrong(ex, "JS is the *average* ½KL(p‖m) + ½KL(q‖m): you summed the two KL terms.");
    }
    let kl = |x: f64, y: f64| {
        let t = |u: f64, v: f64| if u > 0.0 { u * (u / v).ln() } else { 0.0 };
        t(x, y) + t(1.0 - x, 1.0 - y)
    };
    if (0.0..1.0).contains(&b) && b > 0.0 && (close(js, kl(a, b), 1e-9) || close(js, kl(b, a), 1e-9)) {
        return Feedback::wrong(ex, "that is a KL divergence between p and q; JS compares each with the mixture m = (p + q)/2.");
    }
    Feedback::wrong(ex, format!("expected JS = {expected:.6}; with m = (a + b)/2, JS = ½KL(Bern(a)‖Bern(m)) + ½KL(Bern(b)‖Bern(m))."))
}

/// Exercise 29.3: the Wasserstein-1 distance between the empirical measures of `x` and `y`
/// (equal sizes), each point with mass $1/n$.
///
/// # Panics
/// If `x` and `y` are empty or have different lengths.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb29::check_q3(&[0.0, 4.0], &[3.0, 1.0], 1.0).is_correct());
/// ```
pub fn check_q3(x: &[f64], y: &[f64], w1: f64) -> Feedback {
    let ex = "29.3";
    assert!(!x.is_empty() && x.len() == y.len(), "check_q3: x and y must be non-empty and of equal length, got {} and {}", x.len(), y.len());
    let expected = wasserstein_1d(x, y, 1.0);
    if close(w1, expected, 1e-9) {
        return Feedback::correct(ex, format!("W₁ = {expected}: in 1-D the optimal plan matches the sorted points (monotone rearrangement)."));
    }
    let n = x.len() as f64;
    let unsorted: f64 = x.iter().zip(y).map(|(a, b)| (a - b).abs()).sum::<f64>() / n;
    if close(w1, unsorted, 1e-9) {
        return Feedback::wrong(ex, "you paired the points in the order given; the cheapest plan pairs them in sorted order.");
    }
    let w2 = wasserstein_1d(x, y, 2.0);
    if close(w1, w2 * w2, 1e-9) || close(w1, w2, 1e-9) {
        return Feedback::wrong(ex, "that uses squared distances (W₂); W₁ averages |x₍ᵢ₎ − y₍ᵢ₎|.");
    }
    if close(w1, expected * n, 1e-9) {
        return Feedback::wrong(ex, "each point carries mass 1/n: divide the total cost by n.");
    }
    Feedback::wrong(ex, format!("expected W₁ = {expected}: sort both samples and average |x₍ᵢ₎ − y₍ᵢ₎|."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_is_the_log_density_ratio() {
        // Oracle: D*(x) = p/(p+q) from the densities themselves, at a few points.
        let mu = 1.3;
        let (a, b) = (0.5 * mu * mu, -mu);
        for x in [-2.0, 0.0, 0.4, 3.0] {
            let (p, q) = ((-(x * x) / 2.0f64).exp(), (-((x - mu) * (x - mu)) / 2.0f64).exp());
            assert!((p / (p + q) - 1.0 / (1.0 + (-(a + b * x)).exp())).abs() < 1e-12);
        }
        assert!(check_q1(mu, a, b).is_correct());
        assert!(check_q1(mu, -a, -b).message.contains("1 − D*"));
        assert!(check_q1(mu, mu * mu, b).message.contains("½"));
    }

    #[test]
    fn q2_spots_bits_sums_and_kl() {
        let (a, b) = (0.2, 0.6);
        let js = js_bernoulli(a, b);
        assert!(check_q2(a, b, js).is_correct());
        assert!(check_q2(a, b, js / 2f64.ln()).message.contains("bits"));
        assert!(check_q2(a, b, 2.0 * js).message.contains("average"));
        let kl = 0.2f64 * (0.2f64 / 0.6).ln() + 0.8 * (0.8f64 / 0.4).ln();
        assert!(check_q2(a, b, kl).message.contains("KL"));
    }

    #[test]
    fn q3_is_the_sorted_matching() {
        // Brute force over the 3! pairings: the cheapest is the sorted one.
        let (x, y): ([f64; 3], [f64; 3]) = ([0.0, 5.0, 1.0], [2.0, 2.5, 4.0]);
        let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        let best = perms.iter().map(|p| (0..3).map(|i| (x[i] - y[p[i]]).abs()).sum::<f64>() / 3.0).fold(f64::INFINITY, f64::min);
        assert!(check_q3(&x, &y, best).is_correct());
        let unsorted = (2.0 + 2.5 + 3.0) / 3.0;
        assert!(check_q3(&x, &y, unsorted).message.contains("order"));
        assert!(check_q3(&x, &y, best * 3.0).message.contains("1/n"));
    }
}
