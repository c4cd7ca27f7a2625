//! Batch means: an honest standard error for the average of a correlated (MCMC) sequence.
//!
//! Split $x_1,\dots,x_n$ into $B$ consecutive batches of length $b = \lfloor n/B\rfloor$ with means
//! $\bar x_k$; if $b$ is much longer than the autocorrelation time, the $\bar x_k$ are nearly
//! independent and
//! $$\widehat{\mathrm{se}} = \sqrt{\frac{1}{B(B-1)}\sum_{k=1}^B(\bar x_k - \bar x)^2}.$$
//! The naive $s/\sqrt n$ is too small by the factor $\sqrt{\tau_{\text{int}}}$.
//!
//! ## Reference
//! C. Geyer (1992), *Practical Markov chain Monte Carlo*; A. Sokal (1997), *Monte Carlo methods in
//! statistical mechanics*, §3.
//!
//! Used in notebooks/20-boltzmann-machines-and-energy-models.ipynb.

/// `(mean, standard error)` of `xs` by `n_batches` batch means (a trailing remainder of fewer
/// than `n_batches` values is dropped).
///
/// # Panics
/// If `n_batches < 2` or `xs.len() < n_batches`.
///
/// # Examples
/// ```
/// // Independent draws: batch means agree with s/√n.
/// let x = course::rng::normal_vec(&mut course::rng::seeded(0), 100_000);
/// let (m, se) = course::graphical::batch_means(&x, 50);
/// assert!(m.abs() < 4.0 * se);
/// assert!((se / (1.0 / 100_000f64.sqrt()) - 1.0).abs() < 0.4); // B = 50: se of se ≈ 10 %
/// ```
pub fn batch_means(xs: &[f64], n_batches: usize) -> (f64, f64) {
    assert!(n_batches >= 2, "n_batches must be >= 2, got {n_batches}");
    assert!(xs.len() >= n_batches, "need at least n_batches = {n_batches} values, got {}", xs.len());
    let b = xs.len() / n_batches;
    let means: Vec<f64> = (0..n_batches).map(|k| xs[k * b..(k + 1) * b].iter().sum::<f64>() / b as f64).collect();
    let m = means.iter().sum::<f64>() / n_batches as f64;
    let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n_batches - 1) as f64;
    (m, (var / n_batches as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ar1_standard_error_matches_the_closed_form() {
        // AR(1) x_{t+1} = φ x_t + √(1−φ²) ε: Var(mean) ≈ (1+φ)/(1−φ) / n.
        let phi: f64 = 0.9;
        let n = 400_000;
        let mut rng = crate::rng::seeded(3);
        let eps = crate::rng::normal_vec(&mut rng, n);
        let mut x = vec![0.0; n];
        for t in 1..n {
            x[t] = phi * x[t - 1] + (1.0 - phi * phi).sqrt() * eps[t];
        }
        let (_, se) = batch_means(&x, 40);
        let exact = ((1.0 + phi) / (1.0 - phi) / n as f64).sqrt();
        assert!((se / exact - 1.0).abs() < 0.35, "{se} vs {exact}"); // B = 40: se of se ≈ 11 %
    }

    #[test]
    #[should_panic(expected = "n_batches must be >= 2")]
    fn one_batch_is_rejected() {
        batch_means(&[1.0, 2.0], 1);
    }
}
