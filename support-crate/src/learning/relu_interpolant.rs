//! Shallow ReLU networks on the line, and the one that interpolates: a width-$n$ network is a
//! continuous piecewise-linear function with at most $n$ breakpoints, and conversely.
//!
//! $$f(x) = c + \sum_{i=1}^{n} a_i\,\mathrm{ReLU}(w_i x + b_i),\qquad \mathrm{ReLU}(z) = \max(z, 0).$$
//! Unit $i$ bends the graph at $x = -b_i/w_i$, changing the slope by $a_i|w_i|$. Given knots
//! $x_0 < \dots < x_n$ and values $y_k$, with slopes $s_k = (y_{k+1}-y_k)/(x_{k+1}-x_k)$, the network
//! $$f(x) = y_0 + s_0\,\mathrm{ReLU}(x - x_0) + \sum_{k=1}^{n-1}(s_k - s_{k-1})\,\mathrm{ReLU}(x - x_k)$$
//! of width $n$ equals the piecewise-linear interpolant on $[x_0, x_n]$. For $f\in C^2$ and
//! spacing $h$, the interpolant's error is at most $\tfrac{h^2}{8}\max|f''|$: width $n$ buys a
//! sup error $O(n^{-2})$ in one dimension.
//!
//! ## Reference
//! S. J. D. Prince, *Understanding Deep Learning* (2023), §3.1–3.2; P. Petersen & J. Zech,
//! *Mathematical theory of deep learning* (2024), ch. 5; A. Pinkus (1999), *Approximation theory
//! of the MLP model in neural networks*, Acta Numerica 8.
//!
//! Used in notebooks/08-universal-approximation.ipynb.

/// $\max(z, 0)$.
///
/// # Examples
/// ```
/// assert_eq!(course::learning::relu(-2.0), 0.0);
/// assert_eq!(course::learning::relu(1.5), 1.5);
/// ```
pub fn relu(z: f64) -> f64 {
    z.max(0.0)
}

/// A one-hidden-layer ReLU network $\mathbb R\to\mathbb R$: $c + \sum_i a_i\,\mathrm{ReLU}(w_i x + b_i)$.
///
/// # Examples
/// ```
/// use course::learning::ShallowRelu;
/// // |x| = ReLU(x) + ReLU(−x): width 2, one breakpoint, two pieces.
/// let abs = ShallowRelu::new(0.0, vec![1.0, 1.0], vec![1.0, -1.0], vec![0.0, 0.0]);
/// assert_eq!(abs.eval(-3.0), 3.0);
/// assert_eq!(abs.count_pieces(-1.0, 1.0), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ShallowRelu {
    /// The output bias $c$.
    pub c: f64,
    /// Outer weights $a_i$.
    pub a: Vec<f64>,
    /// Inner weights $w_i$.
    pub w: Vec<f64>,
    /// Inner biases $b_i$.
    pub b: Vec<f64>,
}

impl ShallowRelu {
    /// The network with the given parameters.
    ///
    /// # Panics
    /// If `a`, `w`, `b` differ in length or hold a non-finite value.
    ///
    /// # Examples
    /// ```
    /// use course::learning::ShallowRelu;
    /// // 1 + 2 ReLU(x − 1): width 1.
    /// let net = ShallowRelu::new(1.0, vec![2.0], vec![1.0], vec![-1.0]);
    /// assert_eq!((net.width(), net.eval(0.0), net.eval(3.0)), (1, 1.0, 5.0));
    /// assert_eq!(net.eval_many(&[2.0]), vec![3.0]);
    /// ```
    pub fn new(c: f64, a: Vec<f64>, w: Vec<f64>, b: Vec<f64>) -> Self {
        assert!(
            a.len() == w.len() && w.len() == b.len(),
            "ShallowRelu::new: a, w, b need one entry per unit, got {}, {}, {}",
            a.len(),
            w.len(),
            b.len()
        );
        assert!(
            c.is_finite() && a.iter().chain(&w).chain(&b).all(|v| v.is_finite()),
            "ShallowRelu::new: parameters must be finite"
        );
        ShallowRelu { c, a, w, b }
    }

    /// The width-$n$ network equal to the piecewise-linear interpolant of
    /// `(knots[k], values[k])` on `[knots[0], knots[n]]` (see the module docs).
    ///
    /// # Panics
    /// If fewer than two knots, the lengths differ, or the knots are not strictly increasing.
    ///
    /// # Examples
    /// ```
    /// use course::learning::ShallowRelu;
    /// let net = ShallowRelu::interpolant(&[0.0, 1.0, 3.0], &[1.0, 3.0, 2.0]);
    /// assert_eq!(net.width(), 2);
    /// assert_eq!(net.eval(1.0), 3.0);
    /// assert_eq!(net.eval(2.0), 2.5);
    /// ```
    pub fn interpolant(knots: &[f64], values: &[f64]) -> Self {
        let slopes = slopes("ShallowRelu::interpolant", knots, values);
        let n = slopes.len();
        let mut a = Vec::with_capacity(n);
        a.push(slopes[0]);
        for k in 1..n {
            a.push(slopes[k] - slopes[k - 1]);
        }
        let b = knots[..n].iter().map(|x| -x).collect();
        ShallowRelu::new(values[0], a, vec![1.0; n], b)
    }

    /// The width-`width` network with knots $x_0 + j\,(x_{\text{last}} - x_0)/\text{width}$,
    /// $j = 0, \dots, \text{width} - 1$ (inner weights 1), whose output bias and outer weights
    /// minimize $\sum_i (f(x_i) - y_i)^2$ (least squares by QR).
    ///
    /// # Errors
    /// If the least-squares problem is rank deficient (fewer distinct `xs` than `width + 1`).
    ///
    /// # Panics
    /// If `width == 0`, the lengths differ, or `xs` is not strictly increasing.
    ///
    /// # Examples
    /// ```
    /// use course::learning::ShallowRelu;
    /// // |x − 1/2| on [0, 1] is exactly a width-2 network with knots 0 and 1/2.
    /// let xs = course::linspace(0.0, 1.0, 101);
    /// let ys: Vec<f64> = xs.iter().map(|x| (x - 0.5f64).abs()).collect();
    /// let net = ShallowRelu::fit_uniform_knots(&xs, &ys, 2).unwrap();
    /// assert!((net.eval(0.8) - 0.3).abs() < 1e-12);
    /// ```
    pub fn fit_uniform_knots(xs: &[f64], ys: &[f64], width: usize) -> Result<Self, crate::linalg::LinalgError> {
        slopes("ShallowRelu::fit_uniform_knots", xs, ys);
        assert!(width > 0, "ShallowRelu::fit_uniform_knots: width must be > 0, got 0");
        let (low, high) = (xs[0], xs[xs.len() - 1]);
        let knots: Vec<f64> = (0..width).map(|j| low + j as f64 * (high - low) / width as f64).collect();
        let phi = ndarray::Array2::from_shape_fn((xs.len(), width + 1), |(i, j)| if j == 0 { 1.0 } else { relu(xs[i] - knots[j - 1]) });
        let coef = super::lstsq_qr(&phi, &ndarray::Array1::from(ys.to_vec()))?;
        Ok(ShallowRelu::new(coef[0], coef.iter().skip(1).copied().collect(), vec![1.0; width], knots.iter().map(|k| -k).collect()))
    }

    /// The number of hidden units $n$.
    pub fn width(&self) -> usize {
        self.a.len()
    }

    /// $f(x)$.
    pub fn eval(&self, x: f64) -> f64 {
        self.c + self.a.iter().zip(&self.w).zip(&self.b).map(|((a, w), b)| a * relu(w * x + b)).sum::<f64>()
    }

    /// $f$ at every point of `xs`.
    pub fn eval_many(&self, xs: &[f64]) -> Vec<f64> {
        xs.iter().map(|&x| self.eval(x)).collect()
    }

    /// The points where the slope actually changes (units with $w_i \ne 0$, jumps
    /// $\sum a_i|w_i|$ at a common point that do not cancel), sorted.
    ///
    /// # Examples
    /// ```
    /// use course::learning::ShallowRelu;
    /// // ReLU(2x − 1) bends at 1/2, ReLU(−x − 1) at −1.
    /// let net = ShallowRelu::new(0.0, vec![1.0, 3.0], vec![2.0, -1.0], vec![-1.0, -1.0]);
    /// assert_eq!(net.breakpoints(), vec![-1.0, 0.5]);
    /// assert_eq!(net.count_pieces(0.0, 1.0), 2); // only 1/2 lies inside
    /// ```
    pub fn breakpoints(&self) -> Vec<f64> {
        let mut kinks: Vec<(f64, f64)> = (0..self.width())
            .filter(|&i| self.w[i] != 0.0 && self.a[i] != 0.0)
            .map(|i| (-self.b[i] / self.w[i], self.a[i] * self.w[i].abs()))
            .collect();
        kinks.sort_by(|p, q| p.0.total_cmp(&q.0));
        let scale = kinks.iter().map(|k| k.1.abs()).fold(0.0, f64::max);
        let mut out = Vec::new();
        let mut i = 0;
        while i < kinks.len() {
            let (p, mut jump) = kinks[i];
            let mut j = i + 1;
            while j < kinks.len() && kinks[j].0 == p {
                jump += kinks[j].1;
                j += 1;
            }
            if jump.abs() > 1e-12 * scale {
                out.push(p);
            }
            i = j;
        }
        out
    }

    /// The number of linear pieces of $f$ on `[low, high]`: one more than the breakpoints
    /// strictly inside. At most `width() + 1`.
    ///
    /// # Panics
    /// Unless `low < high`.
    pub fn count_pieces(&self, low: f64, high: f64) -> usize {
        assert!(low < high, "ShallowRelu::count_pieces: need low < high, got ({low}, {high})");
        1 + self.breakpoints().into_iter().filter(|&p| p > low && p < high).count()
    }
}

/// The piecewise-linear interpolant of `(knots[k], values[k])` evaluated at `x` (constant
/// extension outside the knots) — the textbook formula, independent of any network.
///
/// # Panics
/// As [`ShallowRelu::interpolant`].
///
/// # Examples
/// ```
/// let y = course::learning::linear_interpolate(&[0.0, 2.0], &[1.0, 5.0], 0.5);
/// assert_eq!(y, 2.0);
/// ```
pub fn linear_interpolate(knots: &[f64], values: &[f64], x: f64) -> f64 {
    slopes("linear_interpolate", knots, values);
    let n = knots.len() - 1;
    if x <= knots[0] {
        return values[0];
    }
    if x >= knots[n] {
        return values[n];
    }
    let k = knots.partition_point(|&t| t <= x) - 1;
    let lambda = (x - knots[k]) / (knots[k + 1] - knots[k]);
    (1.0 - lambda) * values[k] + lambda * values[k + 1]
}

/// Validates knots/values and returns the slopes $s_k$.
pub(crate) fn slopes(what: &str, knots: &[f64], values: &[f64]) -> Vec<f64> {
    assert!(knots.len() >= 2, "{what}: need at least 2 knots, got {}", knots.len());
    assert_eq!(knots.len(), values.len(), "{what}: need one value per knot, got {} knots and {} values", knots.len(), values.len());
    if let Some(k) = (1..knots.len()).find(|&k| knots[k].partial_cmp(&knots[k - 1]) != Some(std::cmp::Ordering::Greater)) {
        panic!("{what}: knots must be strictly increasing, but knots[{k}] = {} <= knots[{}] = {}", knots[k], k - 1, knots[k - 1]);
    }
    knots.windows(2).zip(values.windows(2)).map(|(x, y)| (y[1] - y[0]) / (x[1] - x[0])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolant_network_equals_the_textbook_interpolant_everywhere() {
        let mut rng = crate::rng::seeded(8);
        let mut knots = crate::rng::uniform_vec(&mut rng, 12, -2.0, 2.0);
        knots.sort_by(f64::total_cmp);
        let values = crate::rng::normal_vec(&mut rng, 12);
        let net = ShallowRelu::interpolant(&knots, &values);
        assert_eq!(net.width(), 11);
        for x in crate::linspace(knots[0], knots[11], 1001) {
            assert!((net.eval(x) - linear_interpolate(&knots, &values, x)).abs() < 1e-12);
        }
        assert_eq!(net.count_pieces(knots[0], knots[11]), 11);
    }

    #[test]
    fn sup_error_obeys_the_h_squared_over_8_bound_and_scales_like_n_minus_2() {
        // f = sin on [0, π]: max|f''| = 1, bound h²/8.
        let mut errs = Vec::new();
        let ns = [4usize, 8, 16, 32, 64];
        for &n in &ns {
            let knots = crate::linspace(0.0, std::f64::consts::PI, n + 1);
            let values: Vec<f64> = knots.iter().map(|x| x.sin()).collect();
            let net = ShallowRelu::interpolant(&knots, &values);
            let err = crate::linspace(0.0, std::f64::consts::PI, 4001).iter().map(|&x| (net.eval(x) - x.sin()).abs()).fold(0.0, f64::max);
            let h = std::f64::consts::PI / n as f64;
            assert!(err <= h * h / 8.0 + 1e-12, "n = {n}: {err} > h²/8");
            errs.push(err);
        }
        let slope = crate::dynamics::loglog_slope(&ns.map(|n| n as f64), &errs);
        assert!((slope + 2.0).abs() < 0.05, "{slope}");
    }

    #[test]
    fn least_squares_with_uniform_knots_is_exact_on_splines_with_those_knots() {
        // Oracle: a network with the same knots is in the span, so the fit reproduces it.
        let xs = crate::linspace(-1.0, 1.0, 201);
        let target = ShallowRelu::new(0.3, vec![1.0, -2.0, 0.5, 3.0], vec![1.0; 4], vec![1.0, 0.5, 0.0, -0.5]);
        let ys = target.eval_many(&xs);
        let fit = ShallowRelu::fit_uniform_knots(&xs, &ys, 4).unwrap();
        assert!(xs.iter().all(|&x| (fit.eval(x) - target.eval(x)).abs() < 1e-10));
    }

    #[test]
    fn cancelling_units_do_not_count_as_breakpoints() {
        // ReLU(x) − ReLU(x) + ReLU(x − 1): one breakpoint at 1.
        let net = ShallowRelu::new(0.0, vec![1.0, -1.0, 1.0], vec![1.0, 1.0, 1.0], vec![0.0, 0.0, -1.0]);
        assert_eq!(net.breakpoints(), vec![1.0]);
        assert_eq!(net.count_pieces(-2.0, 2.0), 2);
    }

    #[test]
    #[should_panic(expected = "strictly increasing")]
    fn unsorted_knots_are_rejected() {
        ShallowRelu::interpolant(&[0.0, 2.0, 1.0], &[0.0, 0.0, 0.0]);
    }
}
