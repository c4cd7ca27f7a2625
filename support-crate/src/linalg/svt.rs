//! Singular value thresholding: the proximal operator of the nuclear norm, for denoising and
//! matrix completion.
//!
//! $$\operatorname{SVT}_\tau(Y) = U\,(\Sigma-\tau I)_+\,V^\top
//!   = \arg\min_X\ \tfrac12\lVert X-Y\rVert_F^2 + \tau\lVert X\rVert_*,\qquad \lVert X\rVert_* = \sum_i\sigma_i(X).$$
//! **Denoising.** For $Y = L + \sigma E$ with $L$ of low rank and $E$ an m × n matrix of i.i.d.
//! $\mathcal N(0,1)$ entries, $\lVert \sigma E\rVert_2\approx\sigma(\sqrt m+\sqrt n)$: thresholding just
//! above that level removes the noise directions and keeps the signal ones.
//! **Completion (soft-impute).** Observing only the entries $\Omega$ of $L$, iterate
//! $$Z_{t+1} = \operatorname{SVT}_\tau\big(P_\Omega(Y) + P_{\Omega^\perp}(Z_t)\big),\qquad Z_0 = 0,$$
//! which converges to a minimizer of $\tfrac12\lVert P_\Omega(Z-Y)\rVert_F^2 + \tau\lVert Z\rVert_*$.
//!
//! ## Reference
//! J.-F. Cai, E. J. Candès & Z. Shen (2010), *A singular value thresholding algorithm for
//! matrix completion*, SIAM J. Optim. 20(4); R. Mazumder, T. Hastie & R. Tibshirani (2010),
//! *Spectral regularization algorithms for learning large incomplete matrices*, JMLR 11.
//!
//! Used in notebooks/03-compression-and-low-rank.ipynb.

use ndarray::{Array2, Axis, Zip};

/// $\operatorname{SVT}_\tau(Y)$: every singular value of `y` shrunk by `tau`, negatives set to 0.
///
/// # Panics
/// If `tau` is negative or not finite, or `y` is empty or has a non-finite entry.
///
/// # Examples
/// ```
/// use ndarray::array;
/// let y = array![[3.0, 0.0], [0.0, 0.5]];
/// assert_eq!(course::linalg::svt(&y, 1.0), array![[2.0, 0.0], [0.0, 0.0]]);
/// ```
pub fn svt(y: &Array2<f64>, tau: f64) -> Array2<f64> {
    assert!(tau >= 0.0 && tau.is_finite(), "svt: tau must be finite and >= 0, got {tau}");
    let d = super::svd(y);
    let shrunk = d.s.mapv(|v| (v - tau).max(0.0));
    let k = shrunk.iter().take_while(|&&v| v > 0.0).count(); // the s are descending
    if k == 0 {
        return Array2::zeros(y.dim());
    }
    let d = d.truncate(k);
    (&d.u * &shrunk.slice(ndarray::s![..k]).insert_axis(Axis(0))).dot(&d.vt)
}

/// Soft-impute matrix completion: `n_iter` steps of
/// $Z\leftarrow\operatorname{SVT}_\tau(P_\Omega(Y)+P_{\Omega^\perp}(Z))$ from $Z = 0$, where $\Omega$ is
/// where `mask` is `true` (the entries of `observed` elsewhere are ignored).
///
/// # Panics
/// If `mask` and `observed` differ in shape, `tau` is negative, or an observed entry is not
/// finite.
///
/// # Examples
/// ```
/// use ndarray::Array2;
/// use course::linalg::{soft_impute, with_singular_values};
/// // A 40 × 30 matrix of rank 2, half of its entries hidden.
/// let mut rng = course::rng::seeded(103);
/// let mut s = vec![0.0; 30];
/// s[0] = 5.0;
/// s[1] = 3.0;
/// let low = with_singular_values(&mut rng, 40, 30, &s);
/// let u = course::rng::uniform_vec(&mut rng, 1200, 0.0, 1.0);
/// let mask = Array2::from_shape_vec((40, 30), u.iter().map(|&v| v < 0.5).collect()).unwrap();
/// let z = soft_impute(&low, &mask, 0.1, 100);
/// let (mut err, mut norm) = (0.0, 0.0);
/// for ((i, j), &seen) in mask.indexed_iter() {
///     if !seen {
///         err += (z[[i, j]] - low[[i, j]]).powi(2);
///         norm += low[[i, j]].powi(2);
///     }
/// }
/// assert!((err / norm).sqrt() < 0.15); // the hidden half, recovered to within 15 %
/// ```
///
/// The iteration is a proximal gradient method with step 1: a smaller `tau` means less
/// shrinkage bias at convergence but slower progress (with `tau` → 0 it stands still), so
/// `tau` is best set a little below the smallest singular value worth keeping.
pub fn soft_impute(observed: &Array2<f64>, mask: &Array2<bool>, tau: f64, n_iter: usize) -> Array2<f64> {
    assert_eq!(
        observed.dim(),
        mask.dim(),
        "soft_impute: mask must have the shape of observed {:?}, got {:?}",
        observed.dim(),
        mask.dim()
    );
    assert!(tau >= 0.0 && tau.is_finite(), "soft_impute: tau must be finite and >= 0, got {tau}");
    if let Some(((i, j), v)) = observed.indexed_iter().find(|((i, j), v)| mask[[*i, *j]] && !v.is_finite()) {
        panic!("soft_impute: observed entries must be finite, but observed[{i},{j}] = {v}");
    }
    let mut z = Array2::<f64>::zeros(observed.dim());
    for _ in 0..n_iter {
        let mut filled = z.clone();
        Zip::from(&mut filled).and(observed).and(mask).for_each(|f, &o, &m| {
            if m {
                *f = o;
            }
        });
        z = svt(&filled, tau);
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::{frobenius_norm, singular_values, with_singular_values};

    fn nuclear(a: &Array2<f64>) -> f64 {
        singular_values(a).sum()
    }

    #[test]
    fn svt_minimizes_the_proximal_objective() {
        // Oracle: no random perturbation of SVT_τ(Y) lowers ½‖X − Y‖² + τ‖X‖_*.
        let mut rng = crate::rng::seeded(101);
        let y = Array2::from_shape_vec((6, 5), crate::rng::normal_vec(&mut rng, 30)).unwrap();
        let tau = 0.8;
        let x = svt(&y, tau);
        let obj = |x: &Array2<f64>| 0.5 * (x - &y).mapv(|v| v * v).sum() + tau * nuclear(x);
        let best = obj(&x);
        for scale in [1e-1, 1e-2, 1e-3] {
            for _ in 0..100 {
                let d = Array2::from_shape_vec((6, 5), crate::rng::normal_vec(&mut rng, 30)).unwrap() * scale;
                assert!(obj(&(&x + &d)) >= best - 1e-12);
            }
        }
        // And its singular values are exactly the shrunk ones.
        let (sy, sx) = (singular_values(&y), singular_values(&x));
        for i in 0..5 {
            assert!((sx[i] - (sy[i] - tau).max(0.0)).abs() < 1e-12);
        }
    }

    #[test]
    fn thresholding_above_the_noise_level_denoises() {
        let (m, n, sigma) = (60, 50, 0.05);
        let mut rng = crate::rng::seeded(102);
        let mut s = vec![0.0; n];
        s[..3].copy_from_slice(&[10.0, 6.0, 3.0]);
        let low = with_singular_values(&mut rng, m, n, &s);
        let noise = Array2::from_shape_vec((m, n), crate::rng::normal_vec(&mut rng, m * n)).unwrap() * sigma;
        let y = &low + &noise;
        let tau = sigma * ((m as f64).sqrt() + (n as f64).sqrt());
        let err_noisy = frobenius_norm(&(&y - &low));
        let err_svt = frobenius_norm(&(&svt(&y, tau) - &low));
        // The noise costs σ√(mn) ≈ 2.7; soft thresholding removes all but the noise inside the
        // rank-3 signal subspace, and pays a shrinkage bias of about √3·τ ≈ 1.3 on the signal.
        assert!(err_svt < 0.6 * err_noisy, "{err_svt} vs {err_noisy}");
        assert!(err_svt < 1.3 * 3f64.sqrt() * tau, "{err_svt} vs bias {}", 3f64.sqrt() * tau);
    }

    #[test]
    fn soft_impute_completes_a_low_rank_matrix_and_is_a_fixed_point() {
        let (m, n) = (40, 30);
        let mut rng = crate::rng::seeded(103);
        let mut s = vec![0.0; n];
        s[..2].copy_from_slice(&[5.0, 3.0]);
        let low = with_singular_values(&mut rng, m, n, &s);
        let u = crate::rng::uniform_vec(&mut rng, m * n, 0.0, 1.0);
        let mask = Array2::from_shape_vec((m, n), u.iter().map(|&v| v < 0.5).collect()).unwrap();
        let hidden_error = |z: &Array2<f64>| {
            let e: f64 = Zip::from(z).and(&low).and(&mask).fold(0.0, |acc, &a, &b, &o| if o { acc } else { acc + (a - b).powi(2) });
            let norm: f64 = Zip::from(&low).and(&mask).fold(0.0, |acc, &b, &o| if o { acc } else { acc + b * b });
            (e / norm).sqrt()
        };
        // Half the entries of a rank-2 matrix determine the rest; the shrinkage bias of the
        // nuclear norm makes the error of the converged iteration proportional to τ.
        let errors: Vec<f64> = [0.3, 0.1, 0.03].iter().map(|&tau| hidden_error(&soft_impute(&low, &mask, tau, 400))).collect();
        assert!(errors[0] > errors[1] && errors[1] > errors[2] && errors[2] < 0.05, "{errors:?}");
        let tau = 0.03;
        let z = soft_impute(&low, &mask, tau, 400);
        // Fixed point of the iteration (its defining property, up to convergence).
        let mut filled = z.clone();
        Zip::from(&mut filled).and(&low).and(&mask).for_each(|f, &o, &m| if m { *f = o });
        assert!(frobenius_norm(&(svt(&filled, tau) - &z)) < 1e-6 * frobenius_norm(&z));
    }

    #[test]
    #[should_panic(expected = "mask must have the shape")]
    fn mismatched_mask_is_rejected() {
        let _ = soft_impute(&Array2::zeros((2, 2)), &Array2::from_elem((2, 3), true), 0.1, 1);
    }
}
