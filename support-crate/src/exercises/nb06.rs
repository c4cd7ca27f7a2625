//! Exercises of notebooks/06-automatic-differentiation.ipynb.

use super::{Feedback, close};
use crate::autodiff::Dual;
use ndarray::{Array1, Array2};

/// Exercise 06.1: the forward-mode rule for $\arctan$ on dual numbers,
/// $\arctan(a+b\varepsilon) = \arctan a + \frac{b}{1+a^2}\varepsilon$, written as `atan_dual`.
///
/// # Examples
/// ```
/// use course::autodiff::Dual;
/// fn atan_dual(x: Dual) -> Dual { Dual::new(x.re.atan(), x.eps / (1.0 + x.re * x.re)) }
/// assert!(course::exercises::nb06::check_q1(atan_dual).is_correct());
/// ```
pub fn check_q1(atan_dual: fn(Dual) -> Dual) -> Feedback {
    let ex = "06.1";
    // Seeds other than 1 catch a forgotten chain-rule factor b.
    let points = [(0.3, 1.0), (-1.5, 2.0), (2.0, -0.5), (0.0, 3.0)];
    let mut value_ok = true;
    let mut deriv_ok = true;
    let mut no_chain = true;
    let mut flipped = true;
    for &(a, b) in &points {
        let got = atan_dual(Dual::new(a, b));
        let d = 1.0 / (1.0 + a * a);
        value_ok &= close(got.re, a.atan(), 1e-12) || (a == 0.0 && got.re.abs() < 1e-15);
        deriv_ok &= close(got.eps, b * d, 1e-12);
        no_chain &= close(got.eps, d, 1e-12);
        flipped &= close(got.eps, -b * d, 1e-12);
    }
    if value_ok && deriv_ok {
        return Feedback::correct(ex, "arctan(a + bε) = arctan a + b/(1 + a²) ε: the elementary derivative times the incoming tangent b.");
    }
    if !value_ok {
        return Feedback::wrong(ex, "the real part must be arctan of the real part, arctan a.");
    }
    if no_chain {
        return Feedback::wrong(ex, "the ε part is right only when b = 1: multiply the derivative 1/(1 + a²) by the incoming tangent x.eps (the chain rule).");
    }
    if flipped {
        return Feedback::wrong(ex, "sign error: d/da arctan a = +1/(1 + a²).");
    }
    let got = atan_dual(Dual::new(0.3, 1.0));
    Feedback::wrong(ex, format!("at a = 0.3, b = 1 expected ε part 1/(1 + 0.09) = {:.6}, got {:.6}.", 1.0 / 1.09, got.eps))
}

/// Exercise 06.2: backpropagation through one layer. For $h = \tanh(Wx)$ and
/// $L = \frac12\lVert h-y\rVert^2$, the gradient $\partial L/\partial W = \big((h-y)\odot(1-h^2)\big)\,x^\top$.
///
/// # Panics
/// If the shapes of `w`, `x`, `y` do not fit together.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let (w, x, y) = (array![[0.0, 0.0]], array![1.0, 2.0], array![1.0]);
/// // h = tanh 0 = 0, δ = (0 − 1)·(1 − 0) = −1, ∂L/∂W = δ xᵀ = [−1, −2]
/// let f = course::exercises::nb06::check_q2(&w, &x, &y, &array![[-1.0, -2.0]]);
/// assert!(f.is_correct());
/// ```
pub fn check_q2(w: &Array2<f64>, x: &Array1<f64>, y: &Array1<f64>, grad_w: &Array2<f64>) -> Feedback {
    let ex = "06.2";
    let (p, q) = w.dim();
    assert_eq!(x.len(), q, "check_q2: x must have {q} entries (the columns of W), got {}", x.len());
    assert_eq!(y.len(), p, "check_q2: y must have {p} entries (the rows of W), got {}", y.len());
    let expected = layer_gradient_by_tape(w, x, y);
    if grad_w.dim() != (p, q) {
        if grad_w.dim() == (q, p) {
            return Feedback::wrong(ex, format!("∂L/∂W has the shape of W, {p} × {q}; yours is its transpose. Write it as δ xᵀ (an outer product, δ a column)."));
        }
        return Feedback::wrong(ex, format!("∂L/∂W has the shape of W, {p} × {q}; got {} × {}.", grad_w.nrows(), grad_w.ncols()));
    }
    let matches = |g: &Array2<f64>| g.iter().zip(grad_w.iter()).all(|(a, b)| close(*b, *a, 1e-9) || (a - b).abs() < 1e-12);
    if matches(&expected) {
        return Feedback::correct(ex, "∂L/∂W = δ xᵀ with δ = (h − y) ⊙ (1 − h²): the adjoint of h, through tanh' = 1 − tanh², times the layer's input.");
    }
    let h = w.dot(x).mapv(f64::tanh);
    let r = &h - y;
    let outer = |d: &Array1<f64>| Array2::from_shape_fn((p, q), |(i, j)| d[i] * x[j]);
    if matches(&outer(&r)) {
        return Feedback::wrong(ex, "the derivative of tanh is missing: multiply (h − y) entrywise by 1 − h² before the outer product with x.");
    }
    if matches(&outer(&(&r * &h.mapv(|v| 1.0 - v)))) {
        return Feedback::wrong(ex, "tanh'(z) = 1 − tanh²(z) = 1 − h², not 1 − h.");
    }
    if matches(&outer(&(&r * &h.mapv(|v| 1.0 - v * v))).mapv(|v| -v)) {
        return Feedback::wrong(ex, "sign error: ∂L/∂h = h − y (prediction minus target).");
    }
    Feedback::wrong(ex, format!("expected ∂L/∂W =\n{expected:.6}\ngot\n{grad_w:.6}. Backpropagate: ∂L/∂h = h − y, ∂L/∂z = (h − y) ⊙ (1 − h²), ∂L/∂W = (∂L/∂z) xᵀ."))
}

/// The reference answer of exercise 06.2, computed by the reverse-mode tape (independently of
/// the formula the student is asked to derive).
fn layer_gradient_by_tape(w: &Array2<f64>, x: &Array1<f64>, y: &Array1<f64>) -> Array2<f64> {
    use crate::autodiff::{Scalar, Tape};
    let (p, q) = w.dim();
    let tape = Tape::new();
    let ws = tape.vars(w.as_standard_layout().as_slice().expect("contiguous"));
    let mut loss = ws[0].constant(0.0);
    for i in 0..p {
        let z = (0..q).fold(ws[i * q].constant(0.0), |s, j| s + ws[i * q + j] * x[j]);
        let d = z.tanh() - y[i];
        loss = loss + d * d * 0.5;
    }
    let g = loss.backward().wrt_all(&ws);
    Array2::from_shape_vec((p, q), g).expect("p × q")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        fn right(x: Dual) -> Dual {
            Dual::new(x.re.atan(), x.eps / (1.0 + x.re * x.re))
        }
        fn no_chain(x: Dual) -> Dual {
            Dual::new(x.re.atan(), 1.0 / (1.0 + x.re * x.re))
        }
        fn flipped(x: Dual) -> Dual {
            Dual::new(x.re.atan(), -x.eps / (1.0 + x.re * x.re))
        }
        fn via_the_library(x: Dual) -> Dual {
            // arctan through sin/cos would be circular; use the identity arctan' = cos² (arctan).
            let t = x.re.atan();
            Dual::new(t, x.eps * t.cos().powi(2))
        }
        assert!(check_q1(right).is_correct());
        assert!(check_q1(via_the_library).is_correct());
        assert!(check_q1(no_chain).message.contains("chain rule"));
        assert!(check_q1(flipped).message.contains("sign"));
    }

    #[test]
    fn q2_reference_matches_the_closed_form_and_differences() {
        let w = array![[0.2, -0.4, 0.1], [0.5, 0.3, -0.2]];
        let (x, y) = (array![1.0, -2.0, 0.5], array![0.3, -0.1]);
        let g = layer_gradient_by_tape(&w, &x, &y);
        let h = w.dot(&x).mapv(f64::tanh);
        let delta = (&h - &y) * &h.mapv(|v| 1.0 - v * v);
        for i in 0..2 {
            for j in 0..3 {
                assert!((g[[i, j]] - delta[i] * x[j]).abs() < 1e-14);
                let mut wp = w.clone();
                let mut wm = w.clone();
                wp[[i, j]] += 1e-6;
                wm[[i, j]] -= 1e-6;
                let loss = |w: &Array2<f64>| 0.5 * (w.dot(&x).mapv(f64::tanh) - &y).mapv(|v| v * v).sum();
                assert!(((loss(&wp) - loss(&wm)) / 2e-6 - g[[i, j]]).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let w = array![[0.2, -0.4, 0.1], [0.5, 0.3, -0.2]];
        let (x, y) = (array![1.0, -2.0, 0.5], array![0.3, -0.1]);
        let g = layer_gradient_by_tape(&w, &x, &y);
        assert!(check_q2(&w, &x, &y, &g).is_correct());
        assert!(check_q2(&w, &x, &y, &g.t().to_owned()).message.contains("transpose"));
        let h = w.dot(&x).mapv(f64::tanh);
        let no_tanh = Array2::from_shape_fn((2, 3), |(i, j)| (h[i] - y[i]) * x[j]);
        assert!(check_q2(&w, &x, &y, &no_tanh).message.contains("derivative of tanh"));
        assert!(check_q2(&w, &x, &y, &g.mapv(|v| -v)).message.contains("sign"));
    }
}
