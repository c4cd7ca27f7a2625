//! Exercises of notebooks/23-mean-field-regime.ipynb.

use super::{Feedback, close, vec_close};
use crate::learning::TwoLayer;
use crate::theory::{first_layer, mean_field_velocity, relative_change};
use ndarray::{Array1, Array2, Axis};

/// Exercise 23.1: the relative movement of the first layer, $\lVert W_t - W_0\rVert_F/\lVert W_0\rVert_F$
/// with $W = [\,w\mid b\,]$, between the networks `before` and `after`.
///
/// # Panics
/// If the networks have different shapes.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// let net0 = TwoLayer::new(1, 10, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(0));
/// let mut net1 = net0.clone();
/// net1.b *= 2.0;
/// let right = course::theory::relative_change(&course::theory::first_layer(&net1), &course::theory::first_layer(&net0));
/// assert!(course::exercises::nb23::check_q1(&net0, &net1, right).is_correct());
/// ```
pub fn check_q1(before: &TwoLayer, after: &TwoLayer, answer: f64) -> Feedback {
    let ex = "23.1";
    let (w0, w1) = (first_layer(before), first_layer(after));
    let expected = relative_change(&w1, &w0);
    if close(answer, expected, 1e-9) {
        return Feedback::correct(ex, format!("‖W_t − W₀‖_F / ‖W₀‖_F = {expected:.4}."));
    }
    let fro = |a: &Array2<f64>| a.iter().map(|v| v * v).sum::<f64>().sqrt();
    let diff = fro(&(&w1 - &w0));
    if close(answer, expected * expected, 1e-9) {
        return Feedback::wrong(ex, "that is the square of the ratio: take square roots of the sums of squares (Frobenius norms).");
    }
    if close(answer, diff, 1e-9) {
        return Feedback::wrong(ex, "that is the absolute movement ‖W_t − W₀‖_F; divide by ‖W₀‖_F so that widths can be compared.");
    }
    if close(answer, diff / fro(&w1), 1e-9) {
        return Feedback::wrong(ex, "divide by the norm of the initial weights W₀, not of the trained ones.");
    }
    if close(answer, relative_change(&after.w, &before.w), 1e-9) {
        return Feedback::wrong(ex, "W includes the biases: stack w and b (course::theory::first_layer does it).");
    }
    let a_change = relative_change(&after.a.clone().insert_axis(Axis(1)), &before.a.clone().insert_axis(Axis(1)));
    if close(answer, a_change, 1e-9) {
        return Feedback::wrong(ex, "that is the movement of the output weights a; the features are the first layer (w, b).");
    }
    Feedback::wrong(ex, format!("expected {expected:.6}, got {answer:.6}."))
}

/// Exercise 23.2: the mean-field velocity of every particle, $v_i = -\nabla_u V(u_i;\rho_m)$,
/// `width × 3` with columns $(w, b, a)$, for a 1-D network on data `(x, y)`.
///
/// # Panics
/// If the shapes disagree with the network.
///
/// # Examples
/// ```
/// use course::learning::{Activation, Scaling, TwoLayer};
/// use ndarray::array;
/// let net = TwoLayer::new(1, 5, Activation::Relu, Scaling::MeanField, &mut course::rng::seeded(1));
/// let (x, y) = (array![[0.2], [-0.5]], array![1.0, 0.0]);
/// let v = course::theory::mean_field_velocity(&net, &x, &y);
/// assert!(course::exercises::nb23::check_q2(&net, &x, &y, &v).is_correct());
/// ```
pub fn check_q2(net: &TwoLayer, x: &Array2<f64>, y: &Array1<f64>, v: &Array2<f64>) -> Feedback {
    let ex = "23.2";
    let expected = mean_field_velocity(net, x, y);
    if v.dim() != expected.dim() {
        return Feedback::wrong(ex, format!("one row (v_w, v_b, v_a) per unit: expected shape {:?}, got {:?}.", expected.dim(), v.dim()));
    }
    let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
    let e = flat(&expected);
    if vec_close(&flat(v), &e, 1e-8) {
        return Feedback::correct(ex, "every particle moves along −∇V(u; ρ): one velocity field for all of them, set by the residual of the whole network.");
    }
    if vec_close(&flat(&(-v)), &e, 1e-8) {
        return Feedback::wrong(ex, "wrong sign: the particles move *down* the potential, v = −∇_u V.");
    }
    if vec_close(&flat(&(v / net.scale)), &e, 1e-8) {
        return Feedback::wrong(ex, "that is −∂L/∂u_i, which carries the factor s = 1/m; the velocity is −∇V = −m ∂L/∂u_i (the learning rate η m absorbs the 1/m).");
    }
    let cols = ["w", "b", "a"];
    for (j, name) in cols.iter().enumerate() {
        let ok = v.column(j).iter().zip(expected.column(j)).all(|(p, q)| (p - q).abs() <= 1e-8 * (1.0 + q.abs()));
        if !ok {
            return Feedback::wrong(ex, format!("column {j} (v_{name}) is off; v_a = −(1/n)Σ r_k σ(z_ik), v_b = −(1/n)Σ r_k a_i σ′(z_ik), v_w = the same with a factor x_k; r = f(x) − y."));
        }
    }
    Feedback::wrong(ex, "not the velocity field")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::{Activation, Scaling};
    use crate::rng::seeded;
    use ndarray::array;

    #[test]
    fn q1_names_the_usual_slips() {
        let net0 = TwoLayer::new(1, 20, Activation::Relu, Scaling::MeanField, &mut seeded(2));
        let mut net1 = net0.clone();
        net1.train_gd(&array![[0.0], [1.0]], &array![1.0, -1.0], 20.0, 30);
        let right = relative_change(&first_layer(&net1), &first_layer(&net0));
        assert!(check_q1(&net0, &net1, right).is_correct());
        assert!(check_q1(&net0, &net1, right * right).message.contains("square"));
        assert!(check_q1(&net0, &net1, relative_change(&net1.w, &net0.w)).message.contains("biases"));
    }

    #[test]
    fn q2_names_sign_and_scale_slips() {
        let net = TwoLayer::new(1, 6, Activation::Relu, Scaling::MeanField, &mut seeded(3));
        let (x, y) = (array![[0.2], [-0.5], [0.9]], array![1.0, 0.0, -0.5]);
        let v = mean_field_velocity(&net, &x, &y);
        assert!(check_q2(&net, &x, &y, &v).is_correct());
        assert!(check_q2(&net, &x, &y, &(-&v)).message.contains("wrong sign"));
        assert!(check_q2(&net, &x, &y, &(&v * net.scale)).message.contains("factor s = 1/m"));
    }
}
