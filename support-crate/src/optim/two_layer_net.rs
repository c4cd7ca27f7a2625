//! A two-layer tanh network on 1-D regression data, as an objective of its parameters.
//!
//! $$\hat y(x;\theta) = \sum_{j=1}^m a_j\tanh(w_jx+b_j) + c,\qquad
//!   L(\theta) = \frac1{2n}\sum_{i=1}^n\big(\hat y(x_i;\theta)-y_i\big)^2,$$
//! with $\theta = (w_1..w_m, b_1..b_m, a_1..a_m, c)$, $3m+1$ parameters. With $3m+1 > n$ the
//! network is *over-parametrized*: it can interpolate the data ($L = 0$), and its minima form
//! whole valleys. At an interpolating minimum the Hessian is $J^\top J/n$ ($J$ the
//! $n\times(3m+1)$ Jacobian of the outputs), of rank at most $n$: all other directions are flat.
//! The gradient is backpropagation written out by hand.
//!
//! ## Reference
//! H. Li, Z. Xu, G. Taylor, C. Studer & T. Goldstein (2018), *Visualizing the loss landscape of
//! neural nets*; L. Sagun, U. Evci, V. U. Güney, Y. Dauphin & L. Bottou (2017), *Empirical
//! analysis of the Hessian of over-parametrized neural networks*.
//!
//! Used in notebooks/05-momentum-and-adaptive-methods.ipynb.

use super::Objective;
use ndarray::Array1;

/// The squared loss of a width-`width` tanh network on the data `(x, y)`.
///
/// # Examples
/// ```
/// use course::optim::{Objective, TwoLayerNet};
/// let net = TwoLayerNet::new(&[0.0, 1.0], &[1.0, 2.0], 3);
/// assert_eq!(net.n_params(), 10);
/// let theta = ndarray::Array1::zeros(10); // every weight 0: the output is 0
/// assert_eq!(net.value(&theta), (1.0 + 4.0) / 4.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TwoLayerNet {
    /// Inputs $x_i$.
    pub x: Vec<f64>,
    /// Targets $y_i$.
    pub y: Vec<f64>,
    /// Hidden width $m$.
    pub width: usize,
}

impl TwoLayerNet {
    /// The loss on `(x, y)` of a network with `width` hidden units.
    ///
    /// # Panics
    /// If `x` and `y` differ in length or are empty, or `width == 0`.
    pub fn new(x: &[f64], y: &[f64], width: usize) -> Self {
        assert!(!x.is_empty(), "TwoLayerNet::new: x must not be empty");
        assert_eq!(x.len(), y.len(), "TwoLayerNet::new: x and y must have the same length, got {} and {}", x.len(), y.len());
        assert!(width > 0, "TwoLayerNet::new: width must be > 0");
        TwoLayerNet { x: x.to_vec(), y: y.to_vec(), width }
    }

    /// Number of parameters $3m+1$.
    pub fn n_params(&self) -> usize {
        3 * self.width + 1
    }

    /// A seeded initialization: $w_j, b_j\sim\mathcal N(0,1)$, $a_j\sim\mathcal N(0,1/m)$, $c = 0$.
    ///
    /// # Examples
    /// ```
    /// let net = course::optim::TwoLayerNet::new(&[0.0], &[0.0], 4);
    /// assert_eq!(net.init(1), net.init(1)); // same seed, same parameters
    /// assert_eq!(net.init(1)[12], 0.0);     // the output bias starts at 0
    /// ```
    pub fn init(&self, seed: u64) -> Array1<f64> {
        let m = self.width;
        let z = crate::rng::normal_vec(&mut crate::rng::seeded(seed), 3 * m);
        Array1::from_shape_fn(3 * m + 1, |p| match p {
            p if p < 2 * m => z[p],
            p if p < 3 * m => z[p] / (m as f64).sqrt(),
            _ => 0.0,
        })
    }

    /// The network's outputs $\hat y(t;\theta)$ at the points `t`.
    ///
    /// # Panics
    /// If `theta` does not have $3m+1$ entries.
    ///
    /// # Examples
    /// ```
    /// use ndarray::array;
    /// let net = course::optim::TwoLayerNet::new(&[0.0], &[0.0], 1);
    /// // w = 1, b = 0, a = 2, c = 0.5: ŷ(t) = 2 tanh(t) + 0.5
    /// let y = net.predict(&array![1.0, 0.0, 2.0, 0.5], &[0.0, 1.0]);
    /// assert_eq!(y, vec![0.5, 2.0 * 1f64.tanh() + 0.5]);
    /// ```
    pub fn predict(&self, theta: &Array1<f64>, t: &[f64]) -> Vec<f64> {
        self.check(theta, "predict");
        t.iter().map(|&ti| self.output(theta, ti)).collect()
    }

    fn check(&self, theta: &Array1<f64>, what: &str) {
        assert_eq!(theta.len(), self.n_params(), "TwoLayerNet::{what}: theta must have 3·width + 1 = {} entries, got {}", self.n_params(), theta.len());
    }

    fn output(&self, theta: &Array1<f64>, t: f64) -> f64 {
        let m = self.width;
        (0..m).map(|j| theta[2 * m + j] * (theta[j] * t + theta[m + j]).tanh()).sum::<f64>() + theta[3 * m]
    }
}

impl Objective for TwoLayerNet {
    fn value(&self, theta: &Array1<f64>) -> f64 {
        self.check(theta, "value");
        let n = self.x.len() as f64;
        self.x.iter().zip(&self.y).map(|(&xi, &yi)| (self.output(theta, xi) - yi).powi(2)).sum::<f64>() / (2.0 * n)
    }

    fn gradient(&self, theta: &Array1<f64>) -> Array1<f64> {
        self.check(theta, "gradient");
        let m = self.width;
        let n = self.x.len() as f64;
        let mut g = Array1::zeros(3 * m + 1);
        for (&xi, &yi) in self.x.iter().zip(&self.y) {
            // Forward: h_j = tanh(w_j x + b_j), ŷ = Σ a_j h_j + c. Backward from δ = ∂L_i/∂ŷ.
            let h: Vec<f64> = (0..m).map(|j| (theta[j] * xi + theta[m + j]).tanh()).collect();
            let out: f64 = (0..m).map(|j| theta[2 * m + j] * h[j]).sum::<f64>() + theta[3 * m];
            let delta = (out - yi) / n;
            for j in 0..m {
                let dz = delta * theta[2 * m + j] * (1.0 - h[j] * h[j]); // through tanh' = 1 − tanh²
                g[j] += dz * xi;
                g[m + j] += dz;
                g[2 * m + j] += delta * h[j];
            }
            g[3 * m] += delta;
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::adam;

    #[test]
    fn backprop_matches_central_differences() {
        let net = TwoLayerNet::new(&[-1.0, -0.2, 0.5, 0.9], &[0.3, -0.1, 0.8, 0.0], 5);
        let theta = net.init(3);
        let g = net.gradient(&theta);
        for p in 0..net.n_params() {
            let mut e = Array1::zeros(net.n_params());
            e[p] = 1e-6;
            let fd = (net.value(&(&theta + &e)) - net.value(&(&theta - &e))) / 2e-6;
            assert!((fd - g[p]).abs() < 1e-8, "parameter {p}: {fd} vs {}", g[p]);
        }
    }

    #[test]
    fn over_parametrized_net_interpolates() {
        let x = crate::linspace(-1.0, 1.0, 6);
        let y: Vec<f64> = x.iter().map(|t| (3.0 * t).sin()).collect();
        let net = TwoLayerNet::new(&x, &y, 10);
        let h = adam(&net, &net.init(0), 0.02, 0.9, 0.999, 5000);
        assert!(h.final_loss() < 1e-5, "{}", h.final_loss());
        let pred = net.predict(h.last(), &x);
        assert!(pred.iter().zip(&y).all(|(p, t)| (p - t).abs() < 1e-2));
    }
}
