//! Fitting one Gaussian to a bimodal target: forward KL covers the modes, reverse KL seeks one.
//!
//! For a target $p$ and $q = \mathcal N(m, s^2)$:
//! $$\min_{m,s}\mathrm{KL}(p\,\|\,q)\ \Longleftrightarrow\ \max_{m,s}\mathbb E_p[\ln q]
//!   \ \Longrightarrow\ m = \mathbb E_p[x],\ s^2 = \operatorname{Var}_p[x]\quad\text{(moment matching)},$$
//! $$\mathrm{KL}(q\,\|\,p) = -H(q) - \mathbb E_q[\ln p],\qquad H(q) = \tfrac12\ln(2\pi e s^2),$$
//! where $\mathbb E_q[\ln p]$ is computed by quadrature. Reverse KL is infinite-penalty where
//! $q>0$ and $p\approx0$, so its minimizer hides inside one mode ("mode-seeking"); forward KL is
//! infinite-penalty where $p>0$ and $q\approx0$, so its minimizer spreads over all of them
//! ("mass-covering").
//!
//! ## Reference
//! Bishop, *PRML* §10.1.2 (Fig. 10.3); T. Minka (2005), *Divergence measures and message passing*.
//!
//! Used in notebooks/18-variational-inference.ipynb.

/// A mixture of univariate Gaussians $p(x) = \sum_k w_k\,\mathcal N(x;\mu_k,\sigma_k^2)$.
///
/// # Examples
/// ```
/// let p = course::inference::GaussianMixture1d::new(vec![0.5, 0.5], vec![-2.0, 2.0], vec![1.0, 1.0]);
/// assert_eq!(p.mean(), 0.0);
/// assert_eq!(p.variance(), 5.0); // within 1 + between 4
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianMixture1d {
    /// Weights $w_k$ (sum 1).
    pub weights: Vec<f64>,
    /// Means $\mu_k$.
    pub means: Vec<f64>,
    /// Standard deviations $\sigma_k$.
    pub stds: Vec<f64>,
}

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

impl GaussianMixture1d {
    /// A mixture; checks the parameters.
    ///
    /// # Panics
    /// If the lengths differ or are 0, a weight is negative, the weights do not sum to 1 (to
    /// $10^{-12}$), or a standard deviation is not > 0.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![0.25, 0.75], vec![0.0, 4.0], vec![1.0, 1.0]);
    /// assert_eq!(p.mean(), 3.0);
    /// ```
    pub fn new(weights: Vec<f64>, means: Vec<f64>, stds: Vec<f64>) -> Self {
        let k = weights.len();
        assert!(k > 0 && means.len() == k && stds.len() == k, "GaussianMixture1d: weights, means and stds need the same non-zero length, got {}, {}, {}", k, means.len(), stds.len());
        assert!(weights.iter().all(|&w| w >= 0.0), "GaussianMixture1d: weights must be >= 0, got {weights:?}");
        let total: f64 = weights.iter().sum();
        assert!((total - 1.0).abs() < 1e-12, "GaussianMixture1d: weights must sum to 1, got {total}");
        assert!(stds.iter().all(|&s| s > 0.0), "GaussianMixture1d: stds must be > 0, got {stds:?}");
        GaussianMixture1d { weights, means, stds }
    }

    /// $\ln p(x)$ (log-sum-exp over components, without allocating).
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![1.0], vec![0.0], vec![1.0]);
    /// assert!((p.log_pdf(0.0) + 0.5 * (2.0 * std::f64::consts::PI).ln()).abs() < 1e-15);
    /// ```
    pub fn log_pdf(&self, x: f64) -> f64 {
        let term = |k: usize| self.weights[k].ln() - 0.5 * ((x - self.means[k]) / self.stds[k]).powi(2) - self.stds[k].ln() - LN_SQRT_2PI;
        let top = (0..self.weights.len()).map(term).fold(f64::NEG_INFINITY, f64::max);
        top + (0..self.weights.len()).map(|k| (term(k) - top).exp()).sum::<f64>().ln()
    }

    /// $p(x)$.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![0.5, 0.5], vec![-1.0, 1.0], vec![1.0, 1.0]);
    /// assert!((p.pdf(1.0) - 0.5 * (1.0 + (-2.0f64).exp()) / (2.0 * std::f64::consts::PI).sqrt()).abs() < 1e-15);
    /// ```
    pub fn pdf(&self, x: f64) -> f64 {
        self.log_pdf(x).exp()
    }

    /// $\mathbb E_p[x] = \sum_kw_k\mu_k$.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![0.5, 0.5], vec![-1.0, 3.0], vec![1.0, 2.0]);
    /// assert_eq!(p.mean(), 1.0);
    /// ```
    pub fn mean(&self) -> f64 {
        self.weights.iter().zip(&self.means).map(|(w, m)| w * m).sum()
    }

    /// $\operatorname{Var}_p[x] = \sum_kw_k(\sigma_k^2+\mu_k^2) - \mathbb E_p[x]^2$.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![0.5, 0.5], vec![-1.0, 3.0], vec![1.0, 2.0]);
    /// assert_eq!(p.variance(), 2.5 + 4.0); // within ½(1 + 4), between ½(4 + 4)
    /// ```
    pub fn variance(&self) -> f64 {
        let m = self.mean();
        (0..self.weights.len()).map(|k| self.weights[k] * (self.stds[k].powi(2) + (self.means[k] - m).powi(2))).sum()
    }

    /// $\mathbb E_{\mathcal N(m,s^2)}[g]$ by the trapezoid rule on $m\pm9s$ with step $0.05s$
    /// (361 points). For a Gaussian weight times a smooth $g$ of polynomial growth the trapezoid
    /// rule converges faster than any power of the step, and the cut tails weigh $< 10^{-18}$:
    /// the error is far below $10^{-10}$ (checked against closed forms in the tests).
    fn gauss_expect(m: f64, s: f64, g: impl Fn(f64) -> f64) -> f64 {
        let n = 361;
        let h = 18.0 / (n - 1) as f64;
        (0..n)
            .map(|i| {
                let u = -9.0 + i as f64 * h;
                let w = if i == 0 || i == n - 1 { 0.5 } else { 1.0 };
                w * (-0.5 * u * u - LN_SQRT_2PI).exp() * g(m + s * u)
            })
            .sum::<f64>()
            * h
    }

    /// The entropy $H(p) = -\mathbb E_p[\ln p]$ by quadrature over each component.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![1.0], vec![0.0], vec![2.0]);
    /// let h = 0.5 * (2.0 * std::f64::consts::PI * std::f64::consts::E * 4.0).ln();
    /// assert!((p.entropy() - h).abs() < 1e-10);
    /// ```
    pub fn entropy(&self) -> f64 {
        -(0..self.weights.len()).map(|k| self.weights[k] * Self::gauss_expect(self.means[k], self.stds[k], |x| self.log_pdf(x))).sum::<f64>()
    }

    /// Forward KL, $\mathrm{KL}(p\,\|\,\mathcal N(m,s^2)) = -H(p) - \mathbb E_p[\ln q]$, with
    /// $\mathbb E_p[\ln q] = -\ln s - \tfrac12\ln2\pi - (\operatorname{Var}_p + (\mathbb E_p x - m)^2)/2s^2$.
    ///
    /// # Panics
    /// If `s <= 0`.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![1.0], vec![0.0], vec![1.0]);
    /// assert!(p.forward_kl(0.0, 1.0).abs() < 1e-12);
    /// assert!((p.forward_kl(1.0, 1.0) - 0.5).abs() < 1e-12);
    /// ```
    pub fn forward_kl(&self, m: f64, s: f64) -> f64 {
        assert!(s > 0.0, "forward_kl: s must be > 0, got {s}");
        let e_ln_q = -s.ln() - LN_SQRT_2PI - (self.variance() + (self.mean() - m).powi(2)) / (2.0 * s * s);
        -self.entropy() - e_ln_q
    }

    /// Reverse KL, $\mathrm{KL}(\mathcal N(m,s^2)\,\|\,p) = -\tfrac12\ln(2\pi es^2) - \mathbb E_q[\ln p]$.
    ///
    /// # Panics
    /// If `s <= 0`.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![1.0], vec![0.0], vec![2.0]);
    /// let closed = course::inference::kl_gaussian(1.0, 0.5, 0.0, 2.0);
    /// assert!((p.reverse_kl(1.0, 0.5) - closed).abs() < 1e-10);
    /// ```
    pub fn reverse_kl(&self, m: f64, s: f64) -> f64 {
        assert!(s > 0.0, "reverse_kl: s must be > 0, got {s}");
        -(0.5 + s.ln() + LN_SQRT_2PI) - Self::gauss_expect(m, s, |x| self.log_pdf(x))
    }

    /// The forward-KL fit: moment matching, $(\mathbb E_p[x], \sqrt{\operatorname{Var}_p[x]})$.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![0.5, 0.5], vec![-2.0, 2.0], vec![1.0, 1.0]);
    /// assert_eq!(p.fit_forward_kl(), (0.0, 5f64.sqrt()));
    /// ```
    pub fn fit_forward_kl(&self) -> (f64, f64) {
        (self.mean(), self.variance().sqrt())
    }

    /// The reverse-KL fit by grid search: $m$ over `m_range` and $\ln s$ from a tenth of the
    /// narrowest component to ten times the target's standard deviation, a $41\times41$ grid,
    /// then three zooms by a factor 4 around the best point (a global search, so the result
    /// does not depend on a starting point). Returns `(m, s, KL)`.
    ///
    /// # Panics
    /// If `m_range` is empty.
    ///
    /// # Examples
    /// ```
    /// let p = course::inference::GaussianMixture1d::new(vec![0.5, 0.5], vec![-3.0, 3.0], vec![0.7, 0.7]);
    /// let (m, s, _) = p.fit_reverse_kl((-6.0, 6.0));
    /// assert!((m.abs() - 3.0).abs() < 0.05 && (s - 0.7).abs() < 0.05); // sits on one mode
    /// ```
    pub fn fit_reverse_kl(&self, m_range: (f64, f64)) -> (f64, f64, f64) {
        let (lo, hi) = m_range;
        assert!(lo < hi, "fit_reverse_kl: m_range must have low < high, got {m_range:?}");
        let smin = self.stds.iter().cloned().fold(f64::INFINITY, f64::min) / 10.0;
        let smax = (self.variance().sqrt() * 10.0).max(smin * 100.0);
        let (mut mlo, mut mhi, mut llo, mut lhi) = (lo, hi, smin.ln(), smax.ln());
        let mut best = (0.5 * (lo + hi), 0.5 * (llo + lhi), f64::INFINITY);
        for _ in 0..4 {
            let n = 41;
            for i in 0..n {
                for j in 0..n {
                    let m = mlo + (mhi - mlo) * i as f64 / (n - 1) as f64;
                    let ls = llo + (lhi - llo) * j as f64 / (n - 1) as f64;
                    let kl = self.reverse_kl(m, ls.exp());
                    if kl < best.2 {
                        best = (m, ls, kl);
                    }
                }
            }
            let (wm, wl) = ((mhi - mlo) / 8.0, (lhi - llo) / 8.0);
            (mlo, mhi, llo, lhi) = (best.0 - wm, best.0 + wm, best.1 - wl, best.1 + wl);
        }
        (best.0, best.1.exp(), best.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bimodal() -> GaussianMixture1d {
        GaussianMixture1d::new(vec![0.4, 0.6], vec![-2.0, 2.5], vec![0.6, 0.8])
    }

    #[test]
    fn mixture_density_integrates_to_one_and_moments_match_quadrature() {
        let p = bimodal();
        let xs = crate::linspace(-12.0, 12.0, 24_001);
        let h = xs[1] - xs[0];
        let mass: f64 = xs.iter().map(|&x| p.pdf(x)).sum::<f64>() * h;
        let m1: f64 = xs.iter().map(|&x| x * p.pdf(x)).sum::<f64>() * h;
        let m2: f64 = xs.iter().map(|&x| (x - m1).powi(2) * p.pdf(x)).sum::<f64>() * h;
        assert!((mass - 1.0).abs() < 1e-10 && (m1 - p.mean()).abs() < 1e-10 && (m2 - p.variance()).abs() < 1e-9);
    }

    #[test]
    fn moment_matching_minimizes_forward_kl() {
        let p = bimodal();
        let (m, s) = p.fit_forward_kl();
        let best = p.forward_kl(m, s);
        for (dm, ds) in [(0.05, 0.0), (-0.05, 0.0), (0.0, 0.05), (0.0, -0.05), (0.1, 0.1)] {
            assert!(p.forward_kl(m + dm, s + ds) > best);
        }
        // The gradient of the forward KL vanishes there (central differences).
        let h = 1e-5;
        assert!(((p.forward_kl(m + h, s) - p.forward_kl(m - h, s)) / (2.0 * h)).abs() < 1e-6);
        assert!(((p.forward_kl(m, s + h) - p.forward_kl(m, s - h)) / (2.0 * h)).abs() < 1e-6);
    }

    #[test]
    fn reverse_kl_fit_is_a_stationary_point_on_the_heavier_mode() {
        let p = bimodal();
        let (m, s, kl) = p.fit_reverse_kl((-6.0, 6.0));
        assert!((m - 2.5).abs() < 0.1 && (s - 0.8).abs() < 0.1, "m = {m}, s = {s}");
        let h = 1e-4;
        assert!(((p.reverse_kl(m + h, s) - p.reverse_kl(m - h, s)) / (2.0 * h)).abs() < 1e-3);
        assert!(kl > 0.0 && kl < p.reverse_kl(p.mean(), p.variance().sqrt()));
        // Reverse KL of a single-Gaussian "mixture" equals the closed form.
        let g = GaussianMixture1d::new(vec![1.0], vec![0.3], vec![1.7]);
        assert!((g.reverse_kl(-0.4, 0.6) - crate::inference::kl_gaussian(-0.4, 0.6, 0.3, 1.7)).abs() < 1e-10);
        assert!((g.forward_kl(-0.4, 0.6) - crate::inference::kl_gaussian(0.3, 1.7, -0.4, 0.6)).abs() < 1e-10);
    }
}
