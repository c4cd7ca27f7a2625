//! Exercises of notebooks/09-training-deep-networks.ipynb.

use super::{Feedback, close};
use ndarray::{Array2, Axis};

/// Exercise 09.1: the standard deviations of Xavier/Glorot, $\sqrt{2/(n_{\text{in}}+n_{\text{out}})}$,
/// and He/Kaiming, $\sqrt{2/n_{\text{in}}}$, initialization for a layer `fan_in → fan_out`.
///
/// # Panics
/// If `fan_in` or `fan_out` is zero.
///
/// # Examples
/// ```
/// let f = course::exercises::nb09::check_q1(200, 50, (2.0f64 / 250.0).sqrt(), 0.1);
/// assert!(f.is_correct());
/// let f = course::exercises::nb09::check_q1(200, 50, 2.0 / 250.0, 0.01);
/// assert!(f.message.contains("variance"));
/// ```
pub fn check_q1(fan_in: usize, fan_out: usize, xavier_std: f64, he_std: f64) -> Feedback {
    let ex = "09.1";
    assert!(fan_in > 0 && fan_out > 0, "check_q1: fan_in and fan_out must be > 0, got {fan_in} and {fan_out}");
    let (n_in, n_out) = (fan_in as f64, fan_out as f64);
    let xavier = (2.0 / (n_in + n_out)).sqrt();
    let he = (2.0 / n_in).sqrt();
    let ok_x = close(xavier_std, xavier, 1e-9);
    let ok_h = close(he_std, he, 1e-9);
    if ok_x && ok_h {
        return Feedback::correct(ex, format!(
            "σ_Xavier = {xavier:.5}, σ_He = {he:.5}. He's 2/n_in keeps a ReLU layer's forward signal; Xavier's 2/(n_in + n_out) compromises between forward (1/n_in) and backward (1/n_out) for tanh."
        ));
    }
    if close(xavier_std, xavier * xavier, 1e-9) || close(he_std, he * he, 1e-9) {
        return Feedback::wrong(ex, "that is the variance σ²; the initializer needs the standard deviation σ (take the square root).");
    }
    if close(xavier_std, he, 1e-9) && close(he_std, xavier, 1e-9) {
        return Feedback::wrong(ex, "the two are swapped: Xavier averages fan-in and fan-out, He uses the fan-in only.");
    }
    if !ok_h && close(he_std, (2.0 / n_out).sqrt(), 1e-9) {
        return Feedback::wrong(ex, "He's variance 2/n uses the fan-in (the number of inputs summed in each unit), not the fan-out.");
    }
    if !ok_h && close(he_std, (1.0 / n_in).sqrt(), 1e-9) {
        return Feedback::wrong(ex, "1/n_in is LeCun's variance; He doubles it because a ReLU keeps only half of E[z²].");
    }
    if !ok_x && close(xavier_std, (1.0 / (n_in + n_out)).sqrt(), 1e-9) {
        return Feedback::wrong(ex, "Xavier's variance is 2/(n_in + n_out): the harmonic compromise between 1/n_in (forward) and 1/n_out (backward).");
    }
    let which = match (ok_x, ok_h) {
        (true, false) => format!("Xavier is right; He should be √(2/n_in) = {he:.5}, got {he_std:.5}."),
        (false, true) => format!("He is right; Xavier should be √(2/(n_in + n_out)) = {xavier:.5}, got {xavier_std:.5}."),
        _ => format!("expected σ_Xavier = {xavier:.5} and σ_He = {he:.5}, got {xavier_std:.5} and {he_std:.5}."),
    };
    Feedback::wrong(ex, which)
}

/// Exercise 09.2: batch normalization of the minibatch `z` (one row per sample) with
/// $\gamma = 1$, $\beta = 0$, $\epsilon = 10^{-5}$: each column centred by its mean and divided by
/// $\sqrt{\sigma^2+\epsilon}$, $\sigma^2$ the biased (1/B) variance of the column.
///
/// # Panics
/// If `z` has no rows.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let z = array![[1.0, 4.0], [3.0, 8.0]];
/// let s = |v: f64| (v + 1e-5f64).sqrt();
/// let answer = array![[-1.0 / s(1.0), -2.0 / s(4.0)], [1.0 / s(1.0), 2.0 / s(4.0)]];
/// assert!(course::exercises::nb09::check_q2(&z, &answer).is_correct());
/// ```
pub fn check_q2(z: &Array2<f64>, answer: &Array2<f64>) -> Feedback {
    let ex = "09.2";
    assert!(z.nrows() > 0, "check_q2: z must have at least one row");
    if answer.dim() != z.dim() {
        return Feedback::wrong(ex, format!("the output has the shape of the batch, {:?}; got {:?}.", z.dim(), answer.dim()));
    }
    let normalize = |z: &Array2<f64>, axis: Axis, ddof: f64, eps: f64| -> Array2<f64> {
        let n = z.len_of(axis) as f64;
        let mean = z.mean_axis(axis).expect("non-empty");
        let centred = if axis == Axis(0) { z - &mean } else { z - &mean.insert_axis(Axis(1)) };
        let var = centred.mapv(|v| v * v).sum_axis(axis) / (n - ddof).max(1.0);
        let sd = var.mapv(|v| (v + eps).sqrt());
        if axis == Axis(0) { centred / &sd } else { centred / &sd.insert_axis(Axis(1)) }
    };
    let same = |a: &Array2<f64>, b: &Array2<f64>| a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + y.abs()));
    let expected = normalize(z, Axis(0), 0.0, 1e-5);
    if same(answer, &expected) {
        return Feedback::correct(ex, "every column (unit) now has batch mean 0 and variance σ²/(σ² + ε) ≈ 1.");
    }
    if z.nrows() > 1 && same(answer, &normalize(z, Axis(0), 1.0, 1e-5)) {
        return Feedback::wrong(ex, "batch norm uses the biased variance, the mean of (z − μ)² over the B samples (divide by B, not B − 1).");
    }
    if same(answer, &normalize(z, Axis(0), 0.0, 0.0)) {
        return Feedback::wrong(ex, "almost: add ε = 1e-5 to the variance inside the square root (it guards against a constant unit).");
    }
    if same(answer, &normalize(z, Axis(1), 0.0, 1e-5)) {
        return Feedback::wrong(ex, "you normalized each sample (row) over its units: that is layer norm. Batch norm normalizes each unit (column) over the batch.");
    }
    let mean = z.mean_axis(Axis(0)).expect("non-empty");
    if same(answer, &(z - &mean)) {
        return Feedback::wrong(ex, "centred but not scaled: divide by √(σ² + ε).");
    }
    Feedback::wrong(ex, format!("expected row 0 = {:.5}, got {:.5}.", expected.row(0), answer.row(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        let (x, h) = ((2.0f64 / 150.0).sqrt(), (2.0f64 / 100.0).sqrt());
        assert!(check_q1(100, 50, x, h).is_correct());
        assert!(check_q1(100, 50, h, x).message.contains("swapped"));
        assert!(check_q1(100, 50, x, (2.0f64 / 50.0).sqrt()).message.contains("fan-in"));
        assert!(check_q1(100, 50, x, 0.1).message.contains("LeCun"));
        assert!(check_q1(100, 50, x * x, h * h).message.contains("variance"));
        assert!(check_q1(100, 50, (1.0f64 / 150.0).sqrt(), h).message.contains("harmonic"));
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let z = Array2::from_shape_fn((6, 3), |(i, j)| ((i * 3 + j) as f64).sin() * (j + 1) as f64);
        let b = z.nrows() as f64;
        let mean = z.mean_axis(Axis(0)).unwrap();
        let c = &z - &mean;
        let var = c.mapv(|v| v * v).sum_axis(Axis(0)) / b;
        let right = &c / &var.mapv(|v| (v + 1e-5).sqrt());
        assert!(check_q2(&z, &right).is_correct());
        // Oracle for "correct": the columns have mean 0 and variance var/(var + ε).
        let m = right.mean_axis(Axis(0)).unwrap();
        assert!(m.iter().all(|v| v.abs() < 1e-12));
        let unbiased = &c / &(c.mapv(|v| v * v).sum_axis(Axis(0)) / (b - 1.0)).mapv(|v| (v + 1e-5).sqrt());
        assert!(check_q2(&z, &unbiased).message.contains("biased"));
        let no_eps = &c / &var.mapv(f64::sqrt);
        assert!(check_q2(&z, &no_eps).message.contains("ε"));
        assert!(check_q2(&z, &c).message.contains("not scaled"));
        let zt = z.t().to_owned();
        let mean_t = zt.mean_axis(Axis(0)).unwrap();
        let ct = &zt - &mean_t;
        let rows = (&ct / &(ct.mapv(|v| v * v).sum_axis(Axis(0)) / 3.0).mapv(|v| (v + 1e-5).sqrt())).t().to_owned();
        assert!(check_q2(&z, &rows).message.contains("layer norm"));
    }
}
