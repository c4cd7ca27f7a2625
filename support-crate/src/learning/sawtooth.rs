//! Telgarsky's sawtooth: depth buys exponentially many linear pieces.
//!
//! The tent map on $[0, 1]$ is a ReLU network of width 2,
//! $$T(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \tfrac12) = \begin{cases}2x & x\le\frac12\\ 2-2x & x\ge\frac12,\end{cases}$$
//! and its $k$-fold composition $T^{k} = T\circ\dots\circ T$ — a network of depth $k$ with
//! $2k$ units — is a sawtooth with $2^{k-1}$ teeth: $2^k$ linear pieces, breakpoints at
//! $j/2^k$. A shallow network with $m$ units has at most $m + 1$ pieces (each unit adds at most
//! one breakpoint), so representing $T^k$ with one hidden layer needs $m \ge 2^k - 1$ units.
//!
//! ## Reference
//! M. Telgarsky (2016), *Benefits of depth in neural networks*, COLT; M. Telgarsky (2015),
//! *Representation benefits of deep feedforward networks*, arXiv:1509.08101.
//!
//! Used in notebooks/08-universal-approximation.ipynb.

use super::{ShallowRelu, relu};

/// The tent map as a width-2 ReLU layer: $2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \frac12)$.
///
/// # Examples
/// ```
/// use course::learning::tent;
/// assert_eq!(tent(0.25), 0.5);
/// assert_eq!(tent(0.5), 1.0);
/// assert_eq!(tent(0.75), 0.5);
/// ```
pub fn tent(x: f64) -> f64 {
    2.0 * relu(x) - 4.0 * relu(x - 0.5)
}

/// The depth-`k` sawtooth $T^k(x)$ (`k = 0` is the identity).
///
/// # Examples
/// ```
/// use course::learning::sawtooth;
/// assert_eq!(sawtooth(2, 0.25), 1.0); // T(T(1/4)) = T(1/2) = 1
/// assert_eq!(sawtooth(3, 0.125), 1.0);
/// assert_eq!(sawtooth(3, 0.25), 0.0);
/// ```
pub fn sawtooth(k: usize, x: f64) -> f64 {
    (0..k).fold(x, |y, _| tent(y))
}

/// The number of ReLU units of the depth-`k` sawtooth network: 2 per layer.
///
/// # Examples
/// ```
/// assert_eq!(course::learning::sawtooth_units(10), 20);
/// ```
pub fn sawtooth_units(k: usize) -> usize {
    2 * k
}

/// The same function $T^k$ on $[0, 1]$ as a *shallow* network: the interpolant of its values
/// at the breakpoints $j/2^k$, of width $2^k$.
///
/// # Panics
/// If `k > 20` (a million units).
///
/// # Examples
/// ```
/// use course::learning::{sawtooth, sawtooth_shallow};
/// let net = sawtooth_shallow(3);
/// assert_eq!(net.width(), 8);
/// assert_eq!(net.count_pieces(0.0, 1.0), 8);
/// assert!((net.eval(0.3) - sawtooth(3, 0.3)).abs() < 1e-12);
/// ```
pub fn sawtooth_shallow(k: usize) -> ShallowRelu {
    assert!(k <= 20, "sawtooth_shallow: k must be <= 20 (2^k units), got {k}");
    let m = 1usize << k;
    let knots: Vec<f64> = (0..=m).map(|j| j as f64 / m as f64).collect();
    let values: Vec<f64> = knots.iter().map(|&x| sawtooth(k, x)).collect();
    ShallowRelu::interpolant(&knots, &values)
}

/// The number of maximal linear pieces of the polyline through `(xs[i], ys[i])`: one more than
/// the number of interior points where the slope changes by more than `tol` (relative to the
/// largest slope). Exact for a piecewise-linear function sampled on a grid that contains all
/// its breakpoints (e.g. $T^k$ on a dyadic grid).
///
/// # Panics
/// If fewer than two points, the lengths differ, or `xs` is not strictly increasing.
///
/// # Examples
/// ```
/// use course::learning::{count_linear_pieces, sawtooth};
/// let xs: Vec<f64> = (0..=64).map(|j| j as f64 / 64.0).collect();
/// let ys: Vec<f64> = xs.iter().map(|&x| sawtooth(4, x)).collect();
/// assert_eq!(count_linear_pieces(&xs, &ys, 1e-9), 16);
/// ```
pub fn count_linear_pieces(xs: &[f64], ys: &[f64], tol: f64) -> usize {
    let s = super::relu_interpolant::slopes("count_linear_pieces", xs, ys);
    let scale = s.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1.0);
    1 + s.windows(2).filter(|w| (w[1] - w[0]).abs() > tol * scale).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Closed form: T^k(x) = 1 − |2 frac(2^{k−1} x) − 1|, k ≥ 1.
    fn closed_form(k: usize, x: f64) -> f64 {
        let u = (x * (1u64 << (k - 1)) as f64).fract();
        1.0 - (2.0 * u - 1.0).abs()
    }

    #[test]
    fn composition_matches_the_closed_form() {
        for k in 1..=8 {
            for x in crate::linspace(0.0, 0.999, 777) {
                assert!((sawtooth(k, x) - closed_form(k, x)).abs() < 1e-9, "k = {k}, x = {x}");
            }
        }
    }

    #[test]
    fn depth_k_has_two_to_the_k_pieces_on_a_fine_dyadic_grid() {
        for k in 1..=12 {
            let m = 1usize << (k + 3);
            let xs: Vec<f64> = (0..=m).map(|j| j as f64 / m as f64).collect();
            let ys: Vec<f64> = xs.iter().map(|&x| sawtooth(k, x)).collect();
            assert_eq!(count_linear_pieces(&xs, &ys, 1e-9), 1 << k, "k = {k}");
        }
    }

    #[test]
    fn a_shallow_net_needs_about_two_to_the_k_units() {
        // Every unit adds at most one breakpoint: pieces ≤ width + 1 for any shallow net; the
        // interpolant attains 2^k pieces with 2^k units (2^k − 1 bends plus the initial slope).
        for k in 1..=10 {
            let net = sawtooth_shallow(k);
            assert_eq!(net.count_pieces(0.0, 1.0), 1 << k);
            assert!(net.width() + 1 > (1 << k) - 1);
        }
    }
}
