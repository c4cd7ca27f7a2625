//! TD learning with a wide two-layer network and with its linearization (kernel TD).
//!
//! A value network $V_\theta(s) = f_\theta(x_s) = \frac1{\sqrt N}\sum_{i=1}^N a_i\,\sigma(w_i\cdot x_s + b_i)$, $\sigma = \tanh$
//! (NTK scaling, all weights $\mathcal N(0, 1)$ at initialization) is trained by *expected*
//! semi-gradient TD(0) on a Markov reward process ([`LinearTd`]'s $P$, $r$, $\gamma$, $d$):
//! $$\theta_{k+1} = \theta_k + \mathrm{lr}\sum_s d(s)\,\delta_k(s)\,\nabla_\theta f_{\theta_k}(x_s),\qquad
//!   \delta_k = r + \gamma PV_{\theta_k} - V_{\theta_k}.$$
//! Its first-order Taylor model $f^{\rm lin}_\theta = f_{\theta_0} + \nabla_\theta f_{\theta_0}\cdot(\theta - \theta_0)$
//! follows the same rule with the gradient frozen at $\theta_0$, so in function space it is
//! **kernel TD** with the empirical NTK $K = J_0J_0^\top$:
//! $$V^{\rm lin}_{k+1} = V^{\rm lin}_k + \mathrm{lr}\,K D\big(r + \gamma PV^{\rm lin}_k - V^{\rm lin}_k\big).$$
//! Replacing $K$ by its infinite-width limit
//! $K_\infty(x, x') = \mathbb E_u\big[\sigma(u\cdot\tilde x)\sigma(u\cdot\tilde x') + \sigma'(u\cdot\tilde x)\sigma'(u\cdot\tilde x')\,\tilde x\cdot\tilde x'\big]$,
//! $u\sim\mathcal N(0, I)$, $\tilde x = (x, 1)$ (the formula of notebook 22, here for tanh and
//! estimated by Monte Carlo over $10^6$ units, error $\approx10^{-3}$) gives the limit dynamics of Sirignano & Spiliopoulos, a linear ODE for the value. On a fixed
//! time horizon each parameter moves by $O(1/\sqrt N)$ (the lazy regime), so the network stays
//! close to both: to the limit within $O(1/\sqrt N)$, the central-limit fluctuation
//! $K_N - K_\infty$ of the kernel at initialization; to its own linearization within the drift
//! of the kernel during training, which is $O(1/\sqrt N)$ at worst and $O(1/N)$ for this
//! symmetric initialization (the first-order terms have mean zero; Dyer & Gur-Ari 2020).
//!
//! ## Reference
//! J. Sirignano & K. Spiliopoulos (2022), *Asymptotics of reinforcement learning with neural
//! networks*, Stochastic Systems 12(1); Q. Cai, Z. Yang, J. Lee & Z. Wang (2019), *Neural
//! temporal-difference learning converges to global optima*, NeurIPS; Jacot, Gabriel &
//! Hongler (2018), *Neural tangent kernel*, NeurIPS; E. Dyer & G. Gur-Ari (2020), *Asymptotics
//! of wide networks from Feynman diagrams*, ICLR.
//!
//! Used in notebooks/25-reinforcement-learning-with-networks.ipynb.

use super::LinearTd;
use crate::learning::{Activation, Scaling, TwoLayer};
use ndarray::{Array1, Array2};

/// The three trajectories of [`wide_td`]: network, linearized model, infinite-width limit.
#[derive(Clone, Debug, PartialEq)]
pub struct WideTdRun {
    /// Width $N$.
    pub width: usize,
    /// $V_{\theta_k}$ at the recorded steps.
    pub net: Vec<Array1<f64>>,
    /// $V^{\rm lin}_k$ at the same steps.
    pub lin: Vec<Array1<f64>>,
    /// The limit: kernel TD with $K_\infty$ from the same $V_{\theta_0}$.
    pub limit: Vec<Array1<f64>>,
    /// The recorded steps $k$.
    pub steps: Vec<usize>,
}

impl WideTdRun {
    /// $\max_k\max_s|V_{\theta_k}(s) - V^{\rm lin}_k(s)|$ over the recorded steps.
    ///
    /// # Examples
    /// ```
    /// let chain = course::rl::LinearTd::random(6, 2, 0.9, 0);
    /// let k_inf = course::rl::tanh_ntk_limit(&chain.phi, 100_000, 0);
    /// let run = course::rl::wide_td(&chain, &k_inf, 64, 0.5, 10, 5, 0);
    /// assert!(run.max_gap() < 0.1);
    /// ```
    pub fn max_gap(&self) -> f64 {
        self.net.iter().zip(&self.lin).map(|(a, b)| super::sup_distance(a, b)).fold(0.0, f64::max)
    }

    /// $\max_k\max_s|V_{\theta_k}(s) - V^\infty_k(s)|$: the distance to the infinite-width limit.
    ///
    /// # Examples
    /// ```
    /// let chain = course::rl::LinearTd::random(6, 2, 0.9, 0);
    /// let k_inf = course::rl::tanh_ntk_limit(&chain.phi, 100_000, 0);
    /// let run = course::rl::wide_td(&chain, &k_inf, 4096, 0.5, 10, 5, 0);
    /// assert!(run.limit_gap() < 0.05);
    /// ```
    pub fn limit_gap(&self) -> f64 {
        self.net.iter().zip(&self.limit).map(|(a, b)| super::sup_distance(a, b)).fold(0.0, f64::max)
    }
}

/// Expected TD(0) on `chain` with a tanh network of width `width` on the inputs `chain.phi`,
/// with its linearization and with the infinite-width limit, all `n_steps` steps of size `lr` from the same initialization
/// (generator `seeded(seed)`); `kernel_inf` is [`tanh_ntk_limit`] on `chain.phi`, computed once.
/// Records every `record_every` steps.
///
/// # Panics
/// If `width == 0`, `lr <= 0` or `record_every == 0`.
///
/// # Examples
/// ```
/// let chain = course::rl::LinearTd::random(6, 2, 0.9, 0);
/// let k_inf = course::rl::tanh_ntk_limit(&chain.phi, 100_000, 0);
/// let run = course::rl::wide_td(&chain, &k_inf, 256, 0.5, 400, 100, 1);
/// assert_eq!(run.steps, vec![0, 100, 200, 300, 400]);
/// assert_eq!(run.net[0], run.lin[0]); // same start
/// ```
pub fn wide_td(chain: &LinearTd, kernel_inf: &Array2<f64>, width: usize, lr: f64, n_steps: usize, record_every: usize, seed: u64) -> WideTdRun {
    assert!(width > 0, "wide_td: width must be > 0, got 0");
    assert!(lr > 0.0, "wide_td: lr must be > 0, got {lr}");
    assert!(record_every > 0, "wide_td: record_every must be > 0, got 0");
    assert_eq!(kernel_inf.dim(), (chain.n_states(), chain.n_states()), "wide_td: kernel_inf must be n_states × n_states (from tanh_ntk_limit(&chain.phi, ..))");
    let x = &chain.phi;
    let (n_s, dim) = x.dim();
    let d = chain.stationary();
    let mut net = TwoLayer::new(dim, width, Activation::Tanh, Scaling::Ntk, &mut crate::rng::seeded(seed));
    let j0 = net.jacobian(x);
    let kernel = j0.dot(&j0.t());
    let td_error = |v: &Array1<f64>| &chain.r + &(chain.p.dot(v) * chain.gamma) - v;
    let scale = net.scale;
    let mut h = Array2::<f64>::zeros((n_s, width)); // hidden activations tanh(w_i·x_s + b_i)
    let forward = |net: &TwoLayer, h: &mut Array2<f64>| -> Array1<f64> {
        h.assign(&x.dot(&net.w.t()));
        *h += &net.b;
        h.mapv_inplace(f64::tanh);
        h.dot(&net.a) * scale
    };
    let mut v_net = forward(&net, &mut h);
    let (mut v_lin, mut v_inf) = (v_net.clone(), v_net.clone());
    let (mut out_net, mut out_lin, mut out_inf, mut steps) = (vec![v_net.clone()], vec![v_lin.clone()], vec![v_inf.clone()], vec![0]);
    for k in 1..=n_steps {
        // Network: θ += lr Σ_s d(s) δ(s) ∇f(x_s), the gradient written out by hand.
        let c = &td_error(&v_net) * &d;
        let mut da = Array1::<f64>::zeros(width);
        let mut dpre = Array2::<f64>::zeros((n_s, width)); // c_s · s · a_i σ'(z_si)
        for s in 0..n_s {
            for i in 0..width {
                let t = h[[s, i]];
                da[i] += c[s] * scale * t;
                dpre[[s, i]] = c[s] * scale * net.a[i] * (1.0 - t * t);
            }
        }
        net.a.scaled_add(lr, &da);
        net.b.scaled_add(lr, &dpre.sum_axis(ndarray::Axis(0)));
        net.w.scaled_add(lr, &dpre.t().dot(x));
        v_net = forward(&net, &mut h);
        // Linearization (kernel TD with the NTK at initialization) and the infinite-width limit.
        v_lin = &v_lin + &(kernel.dot(&(&td_error(&v_lin) * &d)) * lr);
        v_inf = &v_inf + &(kernel_inf.dot(&(&td_error(&v_inf) * &d)) * lr);
        if k % record_every == 0 {
            out_net.push(v_net.clone());
            out_lin.push(v_lin.clone());
            out_inf.push(v_inf.clone());
            steps.push(k);
        }
    }
    WideTdRun { width, net: out_net, lin: out_lin, limit: out_inf, steps }
}

/// The infinite-width NTK of the tanh network on the rows of `x`, by Monte Carlo over
/// `n_units` units $u = (w, b)\sim\mathcal N(0, I)$ (generator `seeded(seed)`).
///
/// # Panics
/// If `n_units == 0`.
///
/// # Examples
/// ```
/// // At x = 0 only the bias acts: K∞(0, 0) = E[tanh(b)²] + E[tanh′(b)²] ≈ 0.394 + 0.464.
/// let k = course::rl::tanh_ntk_limit(&ndarray::array![[0.0]], 400_000, 1);
/// assert!((k[[0, 0]] - 0.858).abs() < 0.01);
/// ```
pub fn tanh_ntk_limit(x: &Array2<f64>, n_units: usize, seed: u64) -> Array2<f64> {
    assert!(n_units > 0, "tanh_ntk_limit: n_units must be > 0, got 0");
    let (n, dim) = x.dim();
    let mut rng = crate::rng::seeded(seed);
    let xt = Array2::from_shape_fn((n, dim + 1), |(s, j)| if j < dim { x[[s, j]] } else { 1.0 });
    let gram = xt.dot(&xt.t());
    let mut k = Array2::<f64>::zeros((n, n));
    let mut t = vec![0.0; n];
    for _ in 0..n_units {
        let u = crate::rng::normal_vec(&mut rng, dim + 1);
        for s in 0..n {
            t[s] = (0..=dim).map(|j| u[j] * xt[[s, j]]).sum::<f64>().tanh();
        }
        for s in 0..n {
            for q in 0..n {
                k[[s, q]] += t[s] * t[q] + (1.0 - t[s] * t[s]) * (1.0 - t[q] * t[q]) * gram[[s, q]];
            }
        }
    }
    k / n_units as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_step_of_the_network_matches_the_jacobian_update() {
        // One step: θ₁ = θ₀ + lr J₀ᵀ D δ₀; compare the hand-written gradient with TwoLayer's Jacobian.
        let chain = LinearTd::random(5, 2, 0.8, 2);
        let k_inf = tanh_ntk_limit(&chain.phi, 1000, 0);
        let run = wide_td(&chain, &k_inf, 30, 0.3, 1, 1, 4);
        let mut net = TwoLayer::new(2, 30, Activation::Tanh, Scaling::Ntk, &mut crate::rng::seeded(4));
        let j0 = net.jacobian(&chain.phi);
        let v0 = net.predict(&chain.phi);
        let delta = &chain.r + &(chain.p.dot(&v0) * chain.gamma) - &v0;
        let theta = net.params() + &(j0.t().dot(&(&delta * &chain.stationary())) * 0.3);
        net.set_params(&theta);
        assert!(crate::rl::sup_distance(&net.predict(&chain.phi), &run.net[1]) < 1e-12);
    }

    #[test]
    fn kernel_td_converges_to_the_true_value() {
        // The NTK Gram matrix on 5 distinct inputs is invertible: kernel TD's fixed point is V.
        let chain = LinearTd::random(5, 2, 0.5, 1);
        let k_inf = tanh_ntk_limit(&chain.phi, 1000, 0);
        let run = wide_td(&chain, &k_inf, 200, 0.5, 20_000, 20_000, 0);
        assert!(crate::rl::sup_distance(run.lin.last().unwrap(), &chain.value()) < 1e-6);
    }

    #[test]
    fn the_limit_kernel_is_the_mean_of_empirical_kernels() {
        // Independent estimate: the average empirical NTK of 20 networks of width 5000 (Θ = JJᵀ).
        let chain = LinearTd::random(4, 2, 0.9, 3);
        let k_inf = tanh_ntk_limit(&chain.phi, 1_000_000, 11);
        let mut mean = Array2::<f64>::zeros((4, 4));
        for seed in 0..20 {
            let net = TwoLayer::new(2, 5000, Activation::Tanh, Scaling::Ntk, &mut crate::rng::seeded(100 + seed));
            let j = net.jacobian(&chain.phi);
            mean += &(j.dot(&j.t()) / 20.0);
        }
        assert!(crate::rl::sup_distance(&mean, &k_inf) < 0.02, "{mean} vs {k_inf}");
    }

    #[test]
    fn the_gap_shrinks_with_width() {
        let chain = LinearTd::random(6, 2, 0.9, 0);
        let k_inf = tanh_ntk_limit(&chain.phi, 1000, 0);
        let gap = |n: usize| (0..3).map(|s| wide_td(&chain, &k_inf, n, 1.0, 200, 20, s).max_gap()).sum::<f64>() / 3.0;
        let (g1, g2) = (gap(32), gap(512));
        assert!(g2 < 0.5 * g1, "{g1} vs {g2}");
    }
}
