//! Exercises of notebooks/10-architectures.ipynb.

use super::{Feedback, vec_close};
use ndarray::Array2;

/// The valid cross-correlation matrix, built independently of `course::nn`.
fn toeplitz(kernel: &[f64], n: usize, stride: usize) -> Array2<f64> {
    let m = (n - kernel.len()) / stride + 1;
    Array2::from_shape_fn((m, n), |(i, c)| {
        let j = c as isize - (stride * i) as isize;
        if j >= 0 && (j as usize) < kernel.len() { kernel[j as usize] } else { 0.0 }
    })
}

/// Exercise 10.1: the matrix $T$ of the valid 1-D cross-correlation $y_i = \sum_j k_j x_{si+j}$
/// with `kernel` and `stride` on inputs of length `n`.
///
/// # Panics
/// If the kernel is empty or longer than `n`, or `stride == 0`.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let t = array![[1.0, 2.0, 3.0, 0.0, 0.0], [0.0, 0.0, 1.0, 2.0, 3.0]];
/// assert!(course::exercises::nb10::check_q1(&[1.0, 2.0, 3.0], 5, 2, &t).is_correct());
/// ```
pub fn check_q1(kernel: &[f64], n: usize, stride: usize, matrix: &Array2<f64>) -> Feedback {
    let ex = "10.1";
    assert!(!kernel.is_empty() && kernel.len() <= n, "check_q1: the kernel length must be in 1..={n}, got {}", kernel.len());
    assert!(stride > 0, "check_q1: stride must be > 0, got 0");
    let expected = toeplitz(kernel, n, stride);
    let same = |a: &Array2<f64>, b: &Array2<f64>| a.dim() == b.dim() && vec_close(&a.iter().copied().collect::<Vec<_>>(), &b.iter().copied().collect::<Vec<_>>(), 1e-12);
    if same(matrix, &expected) {
        return Feedback::correct(ex, format!(
            "T is {} × {n}: row i holds the kernel starting at column {stride}·i; {} free numbers instead of {}.",
            expected.nrows(),
            kernel.len(),
            expected.len()
        ));
    }
    let flipped: Vec<f64> = kernel.iter().rev().copied().collect();
    if same(matrix, &toeplitz(&flipped, n, stride)) && kernel.iter().ne(flipped.iter()) {
        return Feedback::wrong(ex, "the kernel is flipped: that is the mathematician's convolution. Deep learning's \"convolution\" is cross-correlation, T[i, s·i + j] = k_j.");
    }
    if stride > 1 && same(matrix, &toeplitz(kernel, n, 1)) {
        return Feedback::wrong(ex, format!("this is the stride-1 matrix; with stride {stride} keep every {stride}-th row (row i starts at column {stride}·i)."));
    }
    if same(&matrix.t().to_owned(), &expected) {
        return Feedback::wrong(ex, "transposed: T maps the input (length n) to the output, so it has one row per output.");
    }
    if matrix.dim() != expected.dim() {
        return Feedback::wrong(ex, format!(
            "T should be {} × {n}: ⌊(n − K)/s⌋ + 1 = {} outputs; got {:?}.",
            expected.nrows(),
            expected.nrows(),
            matrix.dim()
        ));
    }
    Feedback::wrong(ex, format!("expected row 0 = {:.3}, got {:.3}.", expected.row(0), matrix.row(0)))
}

/// Exercise 10.2: parameter counts for a `size × size` image with `c_in` channels mapped to
/// `c_out` channels of the same size: a 3 × 3 "same" convolution with biases,
/// $c_{\text{out}}(9c_{\text{in}}+1)$, and a dense layer between the same input and output,
/// $(c_{\text{in}}s^2)(c_{\text{out}}s^2) + c_{\text{out}}s^2$.
///
/// # Examples
/// ```
/// let f = course::exercises::nb10::check_q2(3, 8, 16, 8 * (27 + 1), 768 * 2048 + 2048);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(c_in: usize, c_out: usize, size: usize, conv_params: usize, dense_params: usize) -> Feedback {
    let ex = "10.2";
    let conv = c_out * (9 * c_in + 1);
    let (d_in, d_out) = (c_in * size * size, c_out * size * size);
    let dense = d_in * d_out + d_out;
    match (conv_params == conv, dense_params == dense) {
        (true, true) => Feedback::correct(ex, format!(
            "{conv} against {dense}: weight sharing and locality divide the count by {:.0}.",
            dense as f64 / conv as f64
        )),
        (false, _) if conv_params == c_out * 9 * c_in => Feedback::wrong(ex, "the convolution also has one bias per output channel."),
        (false, _) if conv_params == c_out * 10 || conv_params == c_out * 9 => Feedback::wrong(ex, "each output channel has a 3 × 3 kernel for every input channel: 9·c_in weights, plus its bias."),
        (false, _) if conv_params == conv * size * size => Feedback::wrong(ex, "the same kernel is used at every pixel (weight sharing): do not multiply by the number of pixels."),
        (true, false) if dense_params == d_in * d_out => Feedback::wrong(ex, "the dense layer also has one bias per output: (c_in s²)(c_out s²) + c_out s²."),
        (true, false) => Feedback::wrong(ex, format!("the convolution is right; the dense layer maps {d_in} inputs to {d_out} outputs: expected {dense}, got {dense_params}.")),
        _ => Feedback::wrong(ex, format!("expected {conv} for the convolution, got {conv_params}.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        let k = [1.0, -2.0, 0.5];
        let right = toeplitz(&k, 9, 2);
        // Oracle: T x equals the defining sum for a test vector.
        let x: Vec<f64> = (0..9).map(|v| (v as f64).cos()).collect();
        let y = right.dot(&ndarray::Array1::from(x.clone()));
        for i in 0..y.len() {
            let direct: f64 = (0..3).map(|j| k[j] * x[2 * i + j]).sum();
            assert!((y[i] - direct).abs() < 1e-12);
        }
        assert!(check_q1(&k, 9, 2, &right).is_correct());
        assert!(check_q1(&k, 9, 2, &toeplitz(&[0.5, -2.0, 1.0], 9, 2)).message.contains("flipped"));
        assert!(check_q1(&k, 9, 2, &toeplitz(&k, 9, 1)).message.contains("stride-1"));
        assert!(check_q1(&k, 9, 2, &right.t().to_owned()).message.contains("transposed"));
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let dense = 48 * 128 + 128;
        assert!(check_q2(3, 8, 4, 224, dense).is_correct());
        assert!(check_q2(3, 8, 4, 216, dense).message.contains("bias"));
        assert!(check_q2(3, 8, 4, 224 * 16, dense).message.contains("weight sharing"));
        assert!(check_q2(3, 8, 4, 224, 48 * 128).message.contains("bias per output"));
    }
}
