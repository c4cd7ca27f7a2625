//! Exercises of notebooks/26-deep-learning-for-dynamical-systems.ipynb.

use super::{Feedback, close};

/// Exercise 26.1: the put price from the call price by put–call parity,
/// $P = C - S_0 + Ke^{-rT}$.
///
/// # Examples
/// ```
/// let p = course::pde::put_price(100.0, 110.0, 0.04, 0.25, 0.5);
/// assert!(course::exercises::nb26::check_q1(100.0, 110.0, 0.04, 0.25, 0.5, p).is_correct());
/// ```
pub fn check_q1(s0: f64, strike: f64, r: f64, sigma: f64, t_end: f64, put: f64) -> Feedback {
    let ex = "26.1";
    let call = crate::pde::call_price(s0, strike, r, sigma, t_end);
    let expected = crate::pde::put_price(s0, strike, r, sigma, t_end);
    if close(put, expected, 1e-6) {
        return Feedback::correct(ex, format!("P = C − S₀ + Ke^(−rT) = {expected:.4}: a long call and a short put replicate a forward."));
    }
    if close(put, call - s0 + strike, 1e-6) {
        return Feedback::wrong(ex, "the strike is paid at T: discount it, Ke^(−rT), not K.");
    }
    if close(put, -expected, 1e-6) || close(put, s0 - strike * (-r * t_end).exp() - call, 1e-6) {
        return Feedback::wrong(ex, "the sign is flipped: C − P = S₀ − Ke^(−rT), so P = C − S₀ + Ke^(−rT).");
    }
    if close(put, call, 1e-6) {
        return Feedback::wrong(ex, "that is the call price; parity turns it into the put.");
    }
    Feedback::wrong(ex, format!("expected P = {expected:.4} (C = {call:.4}), got {put:.4}."))
}

/// Exercise 26.2: the observed order $p = \log_2(e_N/e_{2N})$ of Crank–Nicolson from the errors at
/// `n_x` and `2 n_x` intervals (as many time steps as intervals, $\kappa = 1$, $T = 0.1$).
///
/// # Examples
/// ```
/// use course::pde::heat_error_sine;
/// let p = (heat_error_sine(true, 20, 20, 1.0, 0.1) / heat_error_sine(true, 40, 40, 1.0, 0.1)).log2();
/// assert!(course::exercises::nb26::check_q2(20, p).is_correct());
/// ```
pub fn check_q2(n_x: usize, order: f64) -> Feedback {
    let ex = "26.2";
    let (e1, e2) = (crate::pde::heat_error_sine(true, n_x, n_x, 1.0, 0.1), crate::pde::heat_error_sine(true, 2 * n_x, 2 * n_x, 1.0, 0.1));
    let expected = (e1 / e2).log2();
    if close(order, expected, 1e-9) {
        return Feedback::correct(ex, format!("p = log₂(e_N/e_2N) = {expected:.3}: halving h divides the error by 2^p ≈ 4."));
    }
    if close(order, -expected, 1e-9) {
        return Feedback::wrong(ex, "the ratio is upside down: the coarse error goes on top, e_N/e_2N > 1.");
    }
    if close(order, (e1 / e2).ln(), 1e-9) {
        return Feedback::wrong(ex, "the step is halved, so take log base 2 (ln of the ratio divided by ln 2).");
    }
    if close(order, e1 / e2, 1e-9) {
        return Feedback::wrong(ex, "that is the error ratio (≈ 4); the order is its base-2 logarithm.");
    }
    Feedback::wrong(ex, format!("expected p = {expected:.4}, got {order:.4}; errors {e1:.3e} and {e2:.3e}."))
}

/// Exercise 26.3: the fewest FTCS time steps on $[0, T]$ with $N$ intervals that keep
/// $r = \kappa\Delta t/\Delta x^2\le 1/2$, i.e. $\lceil 2\kappa TN^2\rceil$.
///
/// # Examples
/// ```
/// assert!(course::exercises::nb26::check_q3(1.0, 0.1, 40, 320).is_correct());
/// ```
pub fn check_q3(kappa: f64, t_end: f64, n_x: usize, n_steps: usize) -> Feedback {
    let ex = "26.3";
    let n2 = (n_x * n_x) as f64;
    let expected = (2.0 * kappa * t_end * n2 - 1e-9).ceil() as usize;
    if n_steps == expected {
        return Feedback::correct(ex, format!("{expected} steps: dt = {:.3e} gives r = 1/2 exactly at the limit; FTCS is then stable.", t_end / expected as f64));
    }
    if n_steps == (kappa * t_end * n2 - 1e-9).ceil() as usize {
        return Feedback::wrong(ex, "that gives r = 1: the FTCS limit is r ≤ 1/2, so twice as many steps.");
    }
    if n_steps == (2.0 * kappa * t_end * n_x as f64 - 1e-9).ceil() as usize {
        return Feedback::wrong(ex, "r = κ dt/dx² has dx squared: the steps grow like N², not N.");
    }
    if n_steps < expected {
        return Feedback::wrong(ex, format!("with {n_steps} steps r = {:.3} > 1/2 and FTCS blows up.", kappa * t_end / n_steps as f64 * n2));
    }
    Feedback::wrong(ex, format!("{n_steps} steps are stable but not the fewest: {expected} suffice."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_spots_an_undiscounted_strike_and_a_sign_slip() {
        let (s, k, r, sg, t) = (100.0, 95.0, 0.05, 0.3, 2.0);
        let c = crate::pde::call_price(s, k, r, sg, t);
        assert!(check_q1(s, k, r, sg, t, c - s + k * (-r * t).exp()).is_correct());
        assert!(check_q1(s, k, r, sg, t, c - s + k).message.contains("discount"));
        assert!(check_q1(s, k, r, sg, t, s - k * (-r * t).exp() - c).message.contains("sign"));
    }

    #[test]
    fn q2_spots_inverted_ratio_and_natural_log() {
        let (e1, e2) = (crate::pde::heat_error_sine(true, 10, 10, 1.0, 0.1), crate::pde::heat_error_sine(true, 20, 20, 1.0, 0.1));
        assert!(check_q2(10, (e1 / e2).log2()).is_correct());
        assert!(check_q2(10, (e2 / e1).log2()).message.contains("upside down"));
        assert!(check_q2(10, (e1 / e2).ln()).message.contains("base 2"));
    }

    #[test]
    fn q3_spots_r_one_and_a_missing_square() {
        assert!(check_q3(1.0, 0.1, 40, 320).is_correct());
        assert!(check_q3(1.0, 0.1, 40, 160).message.contains("r = 1"));
        assert!(check_q3(1.0, 0.1, 40, 8).message.contains("N²"));
    }
}
