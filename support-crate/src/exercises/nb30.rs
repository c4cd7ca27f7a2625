//! Exercises of notebooks/30-score-matching.ipynb.

use super::{Feedback, vec_close};
use crate::generative::targets::GaussianMixture2d;
use ndarray::Array2;

fn flat(a: &Array2<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

/// Exercise 30.1: the score $\nabla\log p(x) = \sum_k r_k(x)(\mu_k - x)/\sigma^2$ of the mixture `p` at `point`.
///
/// # Panics
/// If `point` or `answer` does not have length 2.
///
/// # Examples
/// ```
/// use course::generative::targets::GaussianMixture2d;
/// let p = GaussianMixture2d::new(vec![[-1.0, 0.0], [1.0, 0.0]], vec![1.0, 1.0], 0.5);
/// // at the origin the two pulls cancel
/// assert!(course::exercises::nb30::check_q1(&p, &[0.0, 0.0], &[0.0, 0.0]).is_correct());
/// ```
pub fn check_q1(p: &GaussianMixture2d, point: &[f64], answer: &[f64]) -> Feedback {
    let ex = "30.1";
    assert!(point.len() == 2 && answer.len() == 2, "check_q1: point and answer must have length 2");
    let expected = p.score(point);
    if vec_close(answer, &expected, 1e-8) {
        return Feedback::correct(ex, format!(
            "∇log p = ({:.5}, {:.5}): each component pulls towards its mean, weighted by its responsibility.",
            expected[0], expected[1]
        ));
    }
    if vec_close(answer, &[-expected[0], -expected[1]], 1e-8) {
        return Feedback::wrong(ex, "the sign is flipped: the score points towards the means, (μₖ − x)/σ², uphill on log p.");
    }
    let s = p.sigma;
    if vec_close(answer, &[expected[0] * s, expected[1] * s], 1e-8) {
        return Feedback::wrong(ex, "divide by σ², not σ: the Gaussian's log-density is −|x − μ|²/(2σ²).");
    }
    let equal = GaussianMixture2d::new(p.means.clone(), vec![1.0; p.n_modes()], p.sigma).score(point);
    if p.weights.iter().any(|w| (w - p.weights[0]).abs() > 1e-12) && vec_close(answer, &equal, 1e-8) {
        return Feedback::wrong(ex, "the responsibilities rₖ ∝ wₖ N(x; μₖ, σ²I) must include the weights wₖ.");
    }
    let r = p.responsibilities(point);
    let k = (0..r.len()).max_by(|a, b| r[*a].total_cmp(&r[*b])).unwrap_or(0);
    let nearest = [(p.means[k][0] - point[0]) / (s * s), (p.means[k][1] - point[1]) / (s * s)];
    if r.len() > 1 && vec_close(answer, &nearest, 1e-8) {
        return Feedback::wrong(ex, "that is the score of the most responsible component alone: average all components' pulls with weights rₖ(x).");
    }
    Feedback::wrong(ex, format!(
        "expected ({:.5}, {:.5}), got ({:.5}, {:.5}); responsibilities are {:?}.",
        expected[0], expected[1], answer[0], answer[1], r.iter().map(|v| (v * 1e4).round() / 1e4).collect::<Vec<_>>()
    ))
}

/// Exercise 30.2: the denoising score-matching target $\nabla_{\tilde x}\log q_\sigma(\tilde x\mid x) = -(\tilde x - x)/\sigma^2$, row by row.
///
/// # Panics
/// If the shapes differ or `sigma <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let f = course::exercises::nb30::check_q2(&array![[0.0, 0.0]], &array![[0.5, -0.5]], 0.5, &array![[-2.0, 2.0]]);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(x_clean: &Array2<f64>, x_noisy: &Array2<f64>, sigma: f64, answer: &Array2<f64>) -> Feedback {
    let ex = "30.2";
    let expected = crate::generative::score::dsm_target(x_clean, x_noisy, sigma);
    if answer.dim() != expected.dim() {
        return Feedback::wrong(ex, format!("one target row per noisy point: expected shape {:?}, got {:?}.", expected.dim(), answer.dim()));
    }
    let a = flat(answer);
    if vec_close(&a, &flat(&expected), 1e-9) {
        return Feedback::correct(ex, "−(x̃ − x)/σ² = −z/σ: the score of the Gaussian kernel q_σ(x̃ | x) at x̃, pointing back to the clean point.");
    }
    if vec_close(&a, &flat(&(-&expected)), 1e-9) {
        return Feedback::wrong(ex, "the sign is flipped: the target points from x̃ back towards x.");
    }
    if vec_close(&a, &flat(&(&expected * sigma)), 1e-9) {
        return Feedback::wrong(ex, "that is −z = −(x̃ − x)/σ; the score of N(x, σ²I) divides by σ².");
    }
    if vec_close(&a, &flat(&(&expected * (sigma * sigma))), 1e-9) {
        return Feedback::wrong(ex, "that is x − x̃; divide by σ².");
    }
    Feedback::wrong(ex, format!("expected the first row ({:.5}, …), got ({:.5}, …).", expected.iter().next().unwrap_or(&0.0), a.first().unwrap_or(&0.0)))
}

/// Exercise 30.3: one unadjusted Langevin step $x + h\,s(x) + \sqrt{2h}\,z$ for every row.
///
/// # Panics
/// If the shapes differ or `step <= 0`.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let f = course::exercises::nb30::check_q3(&array![[1.0]], &array![[-1.0]], 0.5, &array![[2.0]], &array![[2.5]]);
/// assert!(f.is_correct());
/// ```
pub fn check_q3(x: &Array2<f64>, score: &Array2<f64>, step: f64, noise: &Array2<f64>, answer: &Array2<f64>) -> Feedback {
    let ex = "30.3";
    let expected = crate::generative::score::langevin_step(x, score, step, noise);
    if answer.dim() != expected.dim() {
        return Feedback::wrong(ex, format!("one new position per particle: expected shape {:?}, got {:?}.", expected.dim(), answer.dim()));
    }
    let a = flat(answer);
    if vec_close(&a, &flat(&expected), 1e-9) {
        return Feedback::correct(ex, "x + h s(x) + √(2h) z: the Euler–Maruyama step of dX = ∇log p dt + √2 dW.");
    }
    let variants = [
        (x + &(score * step) + &(noise * step.sqrt()), "the noise must be √(2h) z: the diffusion coefficient of dX = ∇log p dt + √2 dW is √2, and with √h z the chain samples p² (a colder law)."),
        (x + &(score * (step / 2.0)) + &(noise * (2.0 * step).sqrt()), "the drift is h s(x), not h s(x)/2 (Song & Ermon's α = 2h writes it α/2 · s with noise √α z)."),
        (x - &(score * step) + &(noise * (2.0 * step).sqrt()), "the drift goes up the score, + h s(x): the score points towards high density."),
        (x + &(score * step), "the noise term √(2h) z is missing: that is gradient ascent on log p, which collapses onto a mode."),
    ];
    for (v, why) in variants {
        if vec_close(&a, &flat(&v), 1e-9) {
            return Feedback::wrong(ex, why);
        }
    }
    Feedback::wrong(ex, format!("expected the first row to start with {:.5}, got {:.5}.", expected.iter().next().unwrap_or(&0.0), a.first().unwrap_or(&0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_spots_sign_sigma_and_weight_slips() {
        let p = GaussianMixture2d::new(vec![[-1.0, 0.0], [1.5, 0.5]], vec![0.2, 0.8], 0.7);
        let x = [0.3, -0.2];
        let s = p.score(&x);
        assert!(check_q1(&p, &x, &s).is_correct());
        assert!(check_q1(&p, &x, &[-s[0], -s[1]]).message.contains("sign"));
        assert!(check_q1(&p, &x, &[s[0] * 0.7, s[1] * 0.7]).message.contains("σ²"));
        let eq = GaussianMixture2d::new(p.means.clone(), vec![1.0, 1.0], 0.7).score(&x);
        assert!(check_q1(&p, &x, &eq).message.contains("weights"));
        // an independent computation of the score by central differences of log p
        let h = 1e-6;
        let fd0 = (p.log_density(&[x[0] + h, x[1]]) - p.log_density(&[x[0] - h, x[1]])) / (2.0 * h);
        let fd1 = (p.log_density(&[x[0], x[1] + h]) - p.log_density(&[x[0], x[1] - h])) / (2.0 * h);
        assert!((fd0 - s[0]).abs() < 1e-7 && (fd1 - s[1]).abs() < 1e-7);
    }

    #[test]
    fn q2_and_q3_name_the_usual_slips() {
        let (x, xt, sigma) = (array![[0.0, 1.0]], array![[0.3, 0.4]], 0.3f64);
        let right = array![[-0.3 / 0.09, 0.6 / 0.09]];
        assert!(check_q2(&x, &xt, sigma, &right).is_correct());
        assert!(check_q2(&x, &xt, sigma, &(-&right)).message.contains("sign"));
        assert!(check_q2(&x, &xt, sigma, &(&right * 0.3)).message.contains("σ²"));
        let (s, z, h) = (array![[1.0, -2.0]], array![[0.5, 0.1]], 0.02f64);
        let right = array![[0.0 + h + (2.0 * h).sqrt() * 0.5, 1.0 - 2.0 * h + (2.0 * h).sqrt() * 0.1]];
        assert!(check_q3(&x, &s, h, &z, &right).is_correct());
        let wrong = &x + &(&s * h) + &(&z * h.sqrt());
        assert!(check_q3(&x, &s, h, &z, &wrong).message.contains("√(2h)"));
        assert!(check_q3(&x, &s, h, &z, &(&x + &(&s * h))).message.contains("missing"));
    }
}
