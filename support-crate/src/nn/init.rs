//! Weight initialization: the variance that keeps signals alive through depth.
//!
//! A layer $z = W^\top h$ with $n_{\text{in}}$ inputs and weights $w_{ij}\sim\mathcal N(0,\sigma^2)$
//! multiplies the mean square of the signal by $n_{\text{in}}\sigma^2$ (times $\tfrac12$ after a
//! ReLU, which zeroes half of it). Keeping that factor at one gives
//! $$\sigma^2_{\text{He}} = \frac{2}{n_{\text{in}}}\ \text{(ReLU)},\qquad
//!   \sigma^2_{\text{Xavier}} = \frac{2}{n_{\text{in}}+n_{\text{out}}}\ \text{(tanh, linear)} .$$
//! A standard deviation $g$ times He's multiplies the signal's norm by $g$ per layer, so through
//! $L$ layers by $g^L$: vanishing for $g<1$, exploding for $g>1$.
//!
//! ## Reference
//! Glorot & Bengio (2010), *Understanding the difficulty of training deep feedforward neural
//! networks*; He, Zhang, Ren & Sun (2015), *Delving deep into rectifiers*, §2.2.
//!
//! Used in notebooks/09-training-deep-networks.ipynb.

use ndarray::Array2;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// How the weights of a layer are drawn: $w_{ij}\sim\mathcal N(0,\sigma^2)$ with $\sigma$ from
/// [`Init::std`]. Biases start at zero.
///
/// # Examples
/// ```
/// use course::nn::Init;
/// // For a square ReLU layer, Xavier's variance is half of He's.
/// assert!((Init::Xavier.std(64, 64).powi(2) / Init::He.std(64, 64).powi(2) - 0.5).abs() < 1e-15);
/// assert_eq!(Init::ALL.len(), 4);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// Glorot/Xavier: $\sigma^2 = 2/(n_{\text{in}}+n_{\text{out}})$.
    Xavier,
    /// He/Kaiming: $\sigma^2 = 2/n_{\text{in}}$, the ReLU-preserving variance.
    He,
    /// Half of He's standard deviation: a ReLU signal shrinks by 2 per layer.
    TooSmall,
    /// Twice He's standard deviation: a ReLU signal grows by 2 per layer.
    TooLarge,
    /// A fixed standard deviation, whatever the fan-in (the old "N(0, 0.01²)" habit).
    Std(f64),
}

impl Init {
    /// The four schemes compared in notebook 09, in the order of its figures.
    pub const ALL: [Init; 4] = [Init::Xavier, Init::He, Init::TooSmall, Init::TooLarge];

    /// The standard deviation $\sigma$ of a weight for a layer `fan_in → fan_out`.
    ///
    /// # Panics
    /// If `fan_in` or `fan_out` is zero, or a `Std` is negative or not finite.
    ///
    /// # Examples
    /// ```
    /// use course::nn::Init;
    /// assert_eq!(Init::He.std(50, 10), (2.0f64 / 50.0).sqrt());
    /// assert_eq!(Init::Xavier.std(50, 50), (1.0f64 / 50.0).sqrt());
    /// assert_eq!(Init::TooLarge.std(8, 8), 2.0 * Init::He.std(8, 8));
    /// ```
    pub fn std(self, fan_in: usize, fan_out: usize) -> f64 {
        assert!(fan_in > 0 && fan_out > 0, "Init::std: fan_in and fan_out must be > 0, got {fan_in} and {fan_out}");
        let he = (2.0 / fan_in as f64).sqrt();
        match self {
            Init::Xavier => (2.0 / (fan_in + fan_out) as f64).sqrt(),
            Init::He => he,
            Init::TooSmall => 0.5 * he,
            Init::TooLarge => 2.0 * he,
            Init::Std(s) => {
                assert!(s >= 0.0 && s.is_finite(), "Init::Std: the standard deviation must be finite and >= 0, got {s}");
                s
            }
        }
    }

    /// A short name for legends: `"Xavier"`, `"He"`, `"He × 0.5"`, `"He × 2"`, `"σ = 0.01"`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::nn::Init::TooSmall.name(), "He × 0.5");
    /// ```
    pub fn name(self) -> String {
        match self {
            Init::Xavier => "Xavier".into(),
            Init::He => "He".into(),
            Init::TooSmall => "He × 0.5".into(),
            Init::TooLarge => "He × 2".into(),
            Init::Std(s) => format!("σ = {s}"),
        }
    }

    /// A `fan_in × fan_out` weight matrix drawn from this scheme (burn's `Linear` layout:
    /// row $i$ holds the weights leaving input $i$).
    ///
    /// # Examples
    /// ```
    /// use course::nn::Init;
    /// let w = Init::He.sample(&mut course::rng::seeded(0), 400, 300);
    /// let var = w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64;
    /// assert!((var / (2.0 / 400.0) - 1.0).abs() < 0.02); // 120 000 draws: 4 standard errors ≈ 1.6 %
    /// ```
    pub fn sample(self, rng: &mut impl Rng, fan_in: usize, fan_out: usize) -> Array2<f64> {
        let std = self.std(fan_in, fan_out);
        Array2::from_shape_simple_fn((fan_in, fan_out), || {
            let z: f64 = StandardNormal.sample(rng);
            std * z
        })
    }
}

/// A random `n × n` orthogonal matrix ($Q^\top Q = I$: every singular value is 1), from the
/// Gram–Schmidt orthonormalization of a Gaussian matrix (with the sign convention that makes
/// it Haar-distributed). The initialization of recurrent weights of Saxe, McClelland & Ganguli
/// (2014): the linear part of the recurrence then neither shrinks nor stretches any direction.
///
/// # Panics
/// If `n == 0`.
///
/// # Examples
/// ```
/// let q = course::nn::orthogonal(&mut course::rng::seeded(0), 5);
/// let qtq = q.t().dot(&q);
/// assert!((0..5).all(|i| (0..5).all(|j| (qtq[[i, j]] - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12)));
/// ```
pub fn orthogonal(rng: &mut impl Rng, n: usize) -> Array2<f64> {
    assert!(n > 0, "orthogonal: n must be > 0, got 0");
    let mut q = Init::Std(1.0).sample(rng, n, n);
    for j in 0..n {
        // Modified Gram–Schmidt, twice for orthogonality to rounding.
        for _ in 0..2 {
            for k in 0..j {
                let d = q.column(j).dot(&q.column(k));
                let qk = q.column(k).to_owned();
                q.column_mut(j).scaled_add(-d, &qk);
            }
        }
        let nrm = q.column(j).dot(&q.column(j)).sqrt();
        q.column_mut(j).mapv_inplace(|v| v / nrm);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_variance_matches_the_formula_for_every_scheme() {
        // Oracle: the closed-form variance; the sample variance of n draws has relative
        // standard error sqrt(2/n) (here 0.4 %), so 2 % is 5 standard errors.
        let (fan_in, fan_out) = (300, 200);
        for (k, init) in Init::ALL.into_iter().chain([Init::Std(0.1)]).enumerate() {
            let w = init.sample(&mut crate::rng::seeded(k as u64), fan_in, fan_out);
            let var = w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64;
            let expected = init.std(fan_in, fan_out).powi(2);
            assert!((var / expected - 1.0).abs() < 0.02, "{init:?}: {var} vs {expected}");
        }
    }

    #[test]
    fn he_preserves_the_mean_square_through_a_relu_layer() {
        // Oracle: E|ReLU(Wᵀh)|² = (n_in σ² / 2) |h|² = |h|² for He; 4 × for He × 2.
        let n = 400;
        let h = ndarray::Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(9), n));
        let h2 = h.dot(&h);
        for (init, factor) in [(Init::He, 1.0), (Init::TooLarge, 4.0), (Init::TooSmall, 0.25)] {
            let w = init.sample(&mut crate::rng::seeded(10), n, 4000);
            let z = w.t().dot(&h).mapv(|v| v.max(0.0));
            let ratio = z.dot(&z) / 4000.0 * n as f64 / h2;
            assert!((ratio / factor - 1.0).abs() < 0.1, "{init:?}: {ratio} vs {factor}");
        }
    }

    #[test]
    fn orthogonal_preserves_norms() {
        // Oracle: ‖Qx‖ = ‖x‖ for every x when QᵀQ = I.
        let q = orthogonal(&mut crate::rng::seeded(1), 30);
        let x = ndarray::Array1::from(crate::rng::normal_vec(&mut crate::rng::seeded(2), 30));
        let (a, b) = (q.dot(&x), x.clone());
        assert!((a.dot(&a) - b.dot(&b)).abs() < 1e-10 * b.dot(&b));
    }

    #[test]
    #[should_panic(expected = "fan_in and fan_out must be > 0")]
    fn zero_fan_in_is_rejected() {
        Init::He.std(0, 3);
    }
}
