//! Gaussian probability paths from noise ($t = 0$) to data ($t = 1$) and their velocities.
//!
//! A conditional path writes the point at time $t$ as noise $\varepsilon\sim\mathcal N(0, I)$
//! and a data point $x_1$ mixed linearly,
//! $$x_t = a_t\,\varepsilon + b_t\,x_1,\qquad p_t(x\mid x_1) = \mathcal N(x;\ b_t x_1,\ a_t^2 I),$$
//! and moves with the **conditional velocity**
//! $$u_t(x_t\mid x_1) = \dot a_t\,\varepsilon + \dot b_t\,x_1
//!   = \frac{\dot a_t}{a_t}(x_t - b_t x_1) + \dot b_t\,x_1 .$$
//! - **OT path** (Lipman et al. 2023, eq. 20): $a_t = 1 - (1-\sigma_{\min})t$, $b_t = t$: straight
//!   lines at constant speed, $u = x_1 - (1-\sigma_{\min})\varepsilon$.
//! - **VP (diffusion) path** (eq. 19): $b_t = \alpha_{1-t}$, $a_t = \sqrt{1-\alpha_{1-t}^2}$,
//!   $\alpha_s = e^{-T(s)/2}$, $T(s) = \int_0^s\beta = \beta_{\min}s + \tfrac12(\beta_{\max}-\beta_{\min})s^2$:
//!   the marginals of the VP SDE run backwards; its speed blows up as $t\to1$, so it is used on
//!   $[0, t_{\max}]$ with $t_{\max} = 1 - 10^{-3}$.
//!
//! **The marginal velocity of Gaussian data.** If $x_1\sim\mathcal N(m, s^2 I)$, then
//! $(x_t, u_t)$ is jointly Gaussian and the marginal field
//! $v_t(x) = \mathbb E[u_t\mid x_t = x]$ (the minimizer of the flow-matching loss) is the linear
//! regression
//! $$v_t(x) = \dot b_t\,m + \frac{a_t\dot a_t + b_t\dot b_t s^2}{a_t^2 + b_t^2 s^2}\,(x - b_t m).$$
//!
//! ## Reference
//! Y. Lipman, R. T. Q. Chen, H. Ben-Hamu, M. Nickel & M. Le (2023), *Flow matching for
//! generative modeling*, ICLR, §4.1.
//!
//! Used in notebooks/34-flows-and-flow-matching.ipynb.

/// A Gaussian conditional probability path $x_t = a_t\varepsilon + b_t x_1$.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ProbabilityPath {
    /// The optimal-transport (straight-line) path with final width `sigma_min`.
    Ot {
        /// $\sigma_{\min}\in[0, 1)$, the width of $p_1(x\mid x_1)$.
        sigma_min: f64,
    },
    /// The variance-preserving diffusion path with the linear schedule $\beta(s)$ from
    /// `beta_min` to `beta_max`.
    Vp {
        /// $\beta_{\min} > 0$.
        beta_min: f64,
        /// $\beta_{\max} \ge \beta_{\min}$.
        beta_max: f64,
    },
}

impl ProbabilityPath {
    /// The OT path with $\sigma_{\min}$ = `sigma_min`.
    ///
    /// # Panics
    /// If `sigma_min` is not in `[0, 1)`.
    ///
    /// # Examples
    /// ```
    /// use course::generative::flows::ProbabilityPath;
    /// let p = ProbabilityPath::ot(0.0);
    /// assert_eq!(p.coefficients(0.25), (0.75, 0.25, -1.0, 1.0)); // (a, b, ȧ, ḃ)
    /// ```
    pub fn ot(sigma_min: f64) -> Self {
        assert!((0.0..1.0).contains(&sigma_min), "ProbabilityPath::ot: sigma_min must lie in [0, 1), got {sigma_min}");
        ProbabilityPath::Ot { sigma_min }
    }

    /// The VP path of the usual diffusion schedule, $\beta_{\min} = 0.1$, $\beta_{\max} = 20$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::flows::ProbabilityPath;
    /// let (a, b, _, _) = ProbabilityPath::vp().coefficients(0.0);
    /// assert!(b < 0.01 && (a * a + b * b - 1.0).abs() < 1e-12); // almost pure noise, variance preserved
    /// ```
    pub fn vp() -> Self {
        ProbabilityPath::Vp { beta_min: 0.1, beta_max: 20.0 }
    }

    /// The last time the path is used: 1 for OT, $1 - 10^{-3}$ for VP (where $\dot a_t$ blows up).
    ///
    /// # Examples
    /// ```
    /// use course::generative::flows::ProbabilityPath;
    /// assert_eq!(ProbabilityPath::ot(0.01).t_max(), 1.0);
    /// assert_eq!(ProbabilityPath::vp().t_max(), 0.999);
    /// ```
    pub fn t_max(&self) -> f64 {
        match self {
            ProbabilityPath::Ot { .. } => 1.0,
            ProbabilityPath::Vp { .. } => 0.999,
        }
    }

    /// $(a_t, b_t, \dot a_t, \dot b_t)$ at time `t`.
    ///
    /// # Panics
    /// If `t` is outside $[0, t_{\max}]$.
    ///
    /// # Examples
    /// ```
    /// use course::generative::flows::ProbabilityPath;
    /// // the derivatives agree with central differences
    /// let p = ProbabilityPath::vp();
    /// let (h, t) = (1e-6, 0.6);
    /// let (a1, b1, _, _) = p.coefficients(t + h);
    /// let (a0, b0, _, _) = p.coefficients(t - h);
    /// let (_, _, da, db) = p.coefficients(t);
    /// assert!((da - (a1 - a0) / (2.0 * h)).abs() < 1e-6 && (db - (b1 - b0) / (2.0 * h)).abs() < 1e-6);
    /// ```
    pub fn coefficients(&self, t: f64) -> (f64, f64, f64, f64) {
        assert!((0.0..=self.t_max()).contains(&t), "ProbabilityPath: t must lie in [0, {}], got {t}", self.t_max());
        match *self {
            ProbabilityPath::Ot { sigma_min } => (1.0 - (1.0 - sigma_min) * t, t, -(1.0 - sigma_min), 1.0),
            ProbabilityPath::Vp { beta_min, beta_max } => {
                let s = 1.0 - t;
                let big_t = beta_min * s + 0.5 * (beta_max - beta_min) * s * s;
                let beta = beta_min + (beta_max - beta_min) * s;
                let alpha = (-0.5 * big_t).exp();
                let a = (1.0 - alpha * alpha).sqrt();
                // d/dt α_{1-t} = ½ β(1-t) α ; d/dt √(1-α²) = -α α̇ / a
                let db = 0.5 * beta * alpha;
                (a, alpha, -alpha * db / a, db)
            }
        }
    }

    /// The velocity $\dot v$ that moves a Gaussian $\mathcal N(m, s^2 I)$ data distribution along
    /// this path: the closed-form marginal field $v_t(x)$ of the module docs, for every row of `x`.
    ///
    /// # Panics
    /// If `mean` does not have one entry per column of `x`, `std` is not > 0, or `t` is out of range.
    ///
    /// # Examples
    /// ```
    /// use course::generative::flows::ProbabilityPath;
    /// use course::ndarray::array;
    /// // at the mean b_t m of p_t the OT field is ḃ_t m = m, whatever s
    /// let v = ProbabilityPath::ot(0.0).gaussian_marginal_velocity(&array![[0.4, 0.8]], &[1.0, 2.0], 0.7, 0.4);
    /// assert!((v[[0, 0]] - 1.0).abs() < 1e-12 && (v[[0, 1]] - 2.0).abs() < 1e-12);
    /// ```
    pub fn gaussian_marginal_velocity(&self, x: &ndarray::Array2<f64>, mean: &[f64], std: f64, t: f64) -> ndarray::Array2<f64> {
        assert_eq!(mean.len(), x.ncols(), "gaussian_marginal_velocity: mean must have one entry per column of x ({}), got {}", x.ncols(), mean.len());
        assert!(std > 0.0, "gaussian_marginal_velocity: std must be > 0, got {std}");
        let (a, b, da, db) = self.coefficients(t);
        let s2 = std * std;
        let gain = (a * da + b * db * s2) / (a * a + b * b * s2);
        ndarray::Array2::from_shape_fn(x.dim(), |(i, j)| db * mean[j] + gain * (x[[i, j]] - b * mean[j]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded;
    use ndarray::Array2;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn ot_endpoints_are_noise_and_data() {
        let p = ProbabilityPath::ot(0.01);
        assert_eq!(p.coefficients(0.0).0, 1.0);
        let (a, b, _, _) = p.coefficients(1.0);
        assert!((a - 0.01).abs() < 1e-15 && b == 1.0);
    }

    #[test]
    fn vp_is_variance_preserving_and_smooth() {
        let p = ProbabilityPath::vp();
        for k in 0..=20 {
            let t = k as f64 / 20.0 * p.t_max();
            let (a, b, _, _) = p.coefficients(t);
            assert!((a * a + b * b - 1.0).abs() < 1e-12);
        }
        // ḃ by finite differences at several times
        for &t in &[0.1, 0.5, 0.9, 0.99] {
            let h = 1e-6;
            let (_, b1, _, _) = p.coefficients(t + h);
            let (_, b0, _, _) = p.coefficients(t - h);
            let (_, _, _, db) = p.coefficients(t);
            assert!((db - (b1 - b0) / (2.0 * h)).abs() < 1e-5 * db.max(1.0));
        }
    }

    /// The marginal velocity is E[u | x_t = x]: check the closed form against a Monte Carlo
    /// regression of u on x_t (least squares on 1-D Gaussian data, where the regression is exact).
    #[test]
    fn closed_form_marginal_velocity_is_the_conditional_expectation() {
        for path in [ProbabilityPath::ot(0.05), ProbabilityPath::vp()] {
            let (m, s, t) = (1.5, 0.7, 0.6);
            let mut rng = seeded(3);
            let n = 200_000;
            let (a, b, da, db) = path.coefficients(t);
            let mut xs = Vec::with_capacity(n);
            let mut us = Vec::with_capacity(n);
            for _ in 0..n {
                let e: f64 = StandardNormal.sample(&mut rng);
                let z: f64 = StandardNormal.sample(&mut rng);
                let x1 = m + s * z;
                xs.push(a * e + b * x1);
                us.push(da * e + db * x1);
            }
            let (mx, mu) = (xs.iter().sum::<f64>() / n as f64, us.iter().sum::<f64>() / n as f64);
            let cov: f64 = xs.iter().zip(&us).map(|(x, u)| (x - mx) * (u - mu)).sum::<f64>() / n as f64;
            let var: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum::<f64>() / n as f64;
            let slope = cov / var;
            let x_probe = Array2::from_elem((1, 1), mx + 0.5);
            let v = path.gaussian_marginal_velocity(&x_probe, &[m], s, t)[[0, 0]];
            let v_mc = mu + slope * 0.5;
            assert!((v - v_mc).abs() < 0.02 * (1.0 + v.abs()), "{path:?}: closed {v} vs MC {v_mc}");
        }
    }

    #[test]
    #[should_panic(expected = "t must lie in [0, 0.999]")]
    fn vp_refuses_t_one() {
        ProbabilityPath::vp().coefficients(1.0);
    }
}
