//! Exercises of notebooks/33-guided-diffusion-and-statistical-rates.ipynb.

use super::{close, Feedback};
use crate::generative::guidance::{tilted_gaussian, LabelledMixture};
use ndarray::{array, Array2};

/// A denoiser with an optional label: `(x, label, sigma) → D(x; σ, label)`, `None` the unconditional one.
pub type LabelDenoiser<'a> = &'a dyn Fn(&Array2<f64>, Option<usize>, f64) -> Array2<f64>;

/// The student's guided denoiser: `(den, x, y, w, sigma) → D_w(x; σ, y)`.
pub type GuidedDenoiser = fn(LabelDenoiser, &Array2<f64>, usize, f64, f64) -> Array2<f64>;

/// The reference: $(1+w)D(x;\sigma,y) - wD(x;\sigma,\varnothing)$.
fn reference(den: LabelDenoiser, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> {
    den(x, Some(y), s) * (1.0 + w) - den(x, None, s) * w
}

/// The hidden labelled mixture of the check: three classes in 2-D, one of them bimodal.
fn hidden() -> LabelledMixture {
    use crate::generative::diffusion::GaussianMixture;
    let a = GaussianMixture::isotropic(vec![1.0], array![[-1.5, 0.5]], 0.2);
    let b = GaussianMixture::new(vec![0.4, 0.6], array![[1.0, 1.0], [1.5, -0.5]], array![[0.1, 0.2], [0.3, 0.1]]);
    let c = GaussianMixture::isotropic(vec![1.0], array![[0.0, -1.5]], 0.3);
    LabelledMixture::new(vec![0.3, 0.3, 0.4], vec![a, b, c])
}

/// Exercise 33.2 (implement): the classifier-free guided denoiser
/// $D_w(x;\sigma,y) = (1+w)\,D(x;\sigma,y) - w\,D(x;\sigma,\varnothing)$ from a labelled denoiser `den`. The check runs
/// the student's function with the exact denoisers of a hidden labelled mixture on hidden points, labels,
/// weights (including $w = 0$) and noise levels, and names the usual slip.
///
/// # Examples
/// ```
/// use course::ndarray::Array2;
/// fn guided(den: &dyn Fn(&Array2<f64>, Option<usize>, f64) -> Array2<f64>, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> {
///     den(x, Some(y), s) * (1.0 + w) - den(x, None, s) * w
/// }
/// assert!(course::exercises::nb33::check_q2(guided).is_correct());
/// ```
pub fn check_q2(guided: GuidedDenoiser) -> Feedback {
    let ex = "33.2";
    let lm = hidden();
    let den = |x: &Array2<f64>, label: Option<usize>, s: f64| lm.denoiser(x, label, s);
    let cases = [(0usize, 2.0, 0.5), (2, 0.0, 1.0), (1, 4.0, 0.1), (1, 0.5, 3.0)];
    let mut rng = crate::rng::seeded(3301);
    let xs: Vec<Array2<f64>> = cases.iter().map(|&(_, _, s)| crate::generative::diffusion::standard_normal(&mut rng, 5, 2) * (1.0 + s)).collect();
    let outs: Vec<Array2<f64>> = cases.iter().zip(&xs).map(|(&(y, w, s), x)| guided(&den, x, y, w, s)).collect();
    for (x, o) in xs.iter().zip(&outs) {
        if o.dim() != x.dim() {
            return Feedback::wrong(ex, format!("the guided denoiser returns one row per point, shaped like x: expected {:?}, got {:?}.", x.dim(), o.dim()));
        }
    }
    let matches = |k: usize, g: &dyn Fn(&Array2<f64>, usize, f64, f64) -> Array2<f64>| {
        let (y, w, s) = cases[k];
        outs[k].iter().zip(g(&xs[k], y, w, s).iter()).all(|(a, b)| close(*a, *b, 1e-9))
    };
    let all = |g: &dyn Fn(&Array2<f64>, usize, f64, f64) -> Array2<f64>| (0..cases.len()).all(|k| matches(k, g));
    if all(&|x, y, w, s| reference(&den, x, y, w, s)) {
        return Feedback::correct(ex, "(1+w)D(x|y) − wD(x): since D = x + σ²s is affine in the score, guiding denoisers is guiding scores. The next cell samples with your function.");
    }
    if all(&|x, y, w, s| den(x, None, s) * (1.0 + w) - den(x, Some(y), s) * w) {
        return Feedback::wrong(ex, "the conditional and unconditional denoisers are swapped: the label's term gets 1 + w, the unconditional one −w (you are guiding away from y).");
    }
    if all(&|x, y, w, s| den(x, None, s) + (den(x, Some(y), s) - den(x, None, s)) * w) {
        return Feedback::wrong(ex, "that is classifier guidance with scale γ = w: CFG's weight w corresponds to γ = 1 + w, so that w = 0 gives the conditional model, not the unconditional one.");
    }
    if all(&|x, y, w, s| den(x, Some(y), s) * (1.0 + w) + den(x, None, s) * w) {
        return Feedback::wrong(ex, "sign: the unconditional denoiser is subtracted, (1+w)D(x|y) − wD(x).");
    }
    if all(&|x, y, w, s| den(x, Some(y), s) * (1.0 + w)) {
        return Feedback::wrong(ex, "the unconditional term −wD(x; σ, ∅) is missing: scaling the conditional denoiser alone moves every point towards 0.");
    }
    if all(&|x, y, _w, s| den(x, Some(y), s)) {
        return Feedback::wrong(ex, "that is the conditional denoiser without guidance: it ignores w.");
    }
    if matches(1, &|x, y, w, s| reference(&den, x, y, w, s)) {
        return Feedback::wrong(ex, "right at w = 0 only: at w > 0 extrapolate, (1+w)D(x|y) − wD(x).");
    }
    let (y, w, s) = cases[0];
    Feedback::wrong(ex, format!(
        "for y = {y}, w = {w}, σ = {s}: expected first row {:.5}, got {:.5}. D_w = (1+w)·den(x, Some(y), σ) − w·den(x, None, σ).",
        reference(&den, &xs[0], y, w, s).row(0), outs[0].row(0)
    ))
}

/// Exercise 33.1 (derive): the mean and variance of the tilt $\mathcal N(\mu_c, a)^{1+w}/\mathcal N(\mu_u, b)^w$.
///
/// # Panics
/// As [`tilted_gaussian`].
///
/// # Examples
/// ```
/// // a = 1, b = 2, w = 1: precision 2 − ½ = 3/2
/// let f = course::exercises::nb33::check_q1(1.0, 1.0, 0.0, 2.0, 1.0, 4.0 / 3.0, 2.0 / 3.0);
/// assert!(f.is_correct());
/// ```
pub fn check_q1(mu_c: f64, var_c: f64, mu_u: f64, var_u: f64, w: f64, mean: f64, var: f64) -> Feedback {
    let ex = "33.1";
    let (m, v) = tilted_gaussian(mu_c, var_c, mu_u, var_u, w);
    let ok_m = close(mean, m, 1e-8);
    let ok_v = close(var, v, 1e-8);
    if ok_m && ok_v {
        return Feedback::correct(ex, format!(
            "mean {m:.5}, variance {v:.5}: precisions add with weights 1 + w and −w, so guidance narrows the class (v < a = {var_c}) and pushes its mean away from the unconditional mean."
        ));
    }
    let prec = (1.0 + w) / var_c - w / var_u;
    if close(var, 1.0 / ((1.0 + w) / var_c + w / var_u), 1e-8) {
        return Feedback::wrong(ex, "sign in the precision: dividing by p(x)^w subtracts w/b, 1/v = (1+w)/a − w/b.");
    }
    if close(var, prec, 1e-8) {
        return Feedback::wrong(ex, "that is the precision 1/v; the variance is its inverse.");
    }
    if close(var, v.sqrt(), 1e-8) {
        return Feedback::wrong(ex, "that is the standard deviation; the exercise asks for the variance.");
    }
    if close(var, 1.0 / (1.0 / var_c - w / var_u), 1e-8) {
        return Feedback::wrong(ex, "the conditional factor is raised to the power 1 + w: its precision counts (1+w)/a.");
    }
    if ok_v && close(mean, (1.0 + w) * mu_c / var_c - w * mu_u / var_u, 1e-8) {
        return Feedback::wrong(ex, "variance right; the mean is the precision-weighted combination times the variance: m = v((1+w)μ_c/a − wμ_u/b).");
    }
    if ok_v && close(mean, (1.0 + w) * mu_c - w * mu_u, 1e-8) {
        return Feedback::wrong(ex, "variance right; the means are weighted by their precisions: m = v((1+w)μ_c/a − wμ_u/b), not (1+w)μ_c − wμ_u.");
    }
    if ok_v {
        return Feedback::wrong(ex, format!("variance right; expected mean {m:.6}, got {mean:.6}. Complete the square in (1+w)(x−μ_c)²/a − w(x−μ_u)²/b."));
    }
    Feedback::wrong(ex, format!("expected variance {v:.6}, got {var:.6}: the log of the tilt is −(1+w)(x−μ_c)²/(2a) + w(x−μ_u)²/(2b) + const; read off the x² coefficient."))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Den<'a> = LabelDenoiser<'a>;
    fn right(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { den(x, Some(y), s) * (1.0 + w) - den(x, None, s) * w }
    fn swapped(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { den(x, None, s) * (1.0 + w) - den(x, Some(y), s) * w }
    fn gamma_w(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { den(x, None, s) + (den(x, Some(y), s) - den(x, None, s)) * w }
    fn sign(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { den(x, Some(y), s) * (1.0 + w) + den(x, None, s) * w }
    fn no_uncond(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { den(x, Some(y), s) * (1.0 + w) }
    fn cond_only(den: Den, x: &Array2<f64>, y: usize, _w: f64, s: f64) -> Array2<f64> { den(x, Some(y), s) }
    fn wrong_label(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { right(den, x, (y + 1) % 3, w, s) }
    fn transposed(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { right(den, x, y, w, s).t().to_owned() }
    fn scores(den: Den, x: &Array2<f64>, y: usize, w: f64, s: f64) -> Array2<f64> { (right(den, x, y, w, s) - x) / (s * s) }

    #[test]
    fn q2_runs_the_students_guided_denoiser_and_names_the_slips() {
        // the oracle: guiding denoisers = guiding scores (Tweedie), checked on the hidden mixture
        let lm = hidden();
        let x = array![[0.2, -0.3]];
        let d = right(&|x: &Array2<f64>, l: Option<usize>, s: f64| lm.denoiser(x, l, s), &x, 1, 2.0, 0.7);
        let via_score = &x + &(lm.guided_score(&x, 1, 2.0, 0.7) * 0.49);
        assert!((&d - &via_score).iter().all(|v| v.abs() < 1e-12));
        assert!(check_q2(right).is_correct());
        assert!(check_q2(swapped).message.contains("swapped"));
        assert!(check_q2(gamma_w).message.contains("γ = w"));
        assert!(check_q2(sign).message.contains("sign"));
        assert!(check_q2(no_uncond).message.contains("missing"));
        assert!(check_q2(cond_only).message.contains("ignores w"));
        assert!(check_q2(transposed).message.contains("shaped like x"));
        assert!(check_q2(wrong_label).message.contains("expected first row"));
        assert!(check_q2(scores).message.contains("expected first row"));
    }

    #[test]
    fn q1_accepts_the_tilt_and_names_slips() {
        let (mc, a, mu, b, w) = (1.0, 0.25, 0.0, 1.25, 3.0);
        let (m, v) = tilted_gaussian(mc, a, mu, b, w);
        // independent: 1/v = 4/0.25 − 3/1.25 = 13.6, m = v·16
        assert!((v - 1.0 / 13.6).abs() < 1e-14 && (m - 16.0 / 13.6).abs() < 1e-14);
        assert!(check_q1(mc, a, mu, b, w, m, v).is_correct());
        assert!(check_q1(mc, a, mu, b, w, m, 1.0 / (16.0 + 2.4)).message.contains("sign"));
        assert!(check_q1(mc, a, mu, b, w, m, 13.6).message.contains("precision 1/v"));
        assert!(check_q1(mc, a, mu, b, w, m, v.sqrt()).message.contains("standard deviation"));
        assert!(check_q1(mc, a, mu, b, w, m, 1.0 / (4.0 - 2.4)).message.contains("1 + w"));
        assert!(check_q1(mc, a, mu, b, w, 16.0, v).message.contains("times the variance"));
        assert!(check_q1(mc, a, mu, b, w, 4.0 - 0.0, v).message.contains("weighted by their precisions"));
        assert!(check_q1(mc, a, mu, b, w, 0.3, v).message.contains("complete the square") || check_q1(mc, a, mu, b, w, 0.3, v).message.contains("Complete"));
        assert!(check_q1(mc, a, mu, b, w, m, 0.3).message.contains("x² coefficient"));
    }
}
