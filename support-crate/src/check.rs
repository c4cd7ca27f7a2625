//! Assertions for notebook cells: each states the mathematics it checks, prints a `✓` line
//! when it holds and panics with the numbers when it does not.
//!
//! The notebook runner fails a notebook on any panic, so these are the course's executable
//! claims. (evcxr cannot import macros from a crate, hence functions.)
//!
//! Used in every notebook, first in notebooks/00-welcome.ipynb.

/// Checks `|actual − expected| <= tol`.
///
/// # Panics
/// If the difference exceeds `tol`, or `actual` is not finite.
///
/// # Examples
/// ```
/// course::check::close("π by Leibniz, 10⁶ terms", 4.0 * (0..1_000_000).map(|k| (-1f64).powi(k) / (2 * k + 1) as f64).sum::<f64>(), std::f64::consts::PI, 1e-5);
/// ```
pub fn close(what: &str, actual: f64, expected: f64, tol: f64) {
    assert!(tol >= 0.0, "check::close({what}): tol must be >= 0, got {tol}");
    let diff = (actual - expected).abs();
    assert!(
        actual.is_finite() && diff <= tol,
        "{what}: expected {} ± {}, got {} (off by {})",
        num(expected),
        num(tol),
        num(actual),
        num(diff)
    );
    println!("✓ {what}: {} ≈ {} (|diff| = {} <= {})", num(actual), num(expected), num(diff), num(tol));
}

/// Checks `|actual − expected| <= rel_tol · |expected|`.
///
/// # Panics
/// If the relative difference exceeds `rel_tol`, or `actual` is not finite.
///
/// # Examples
/// ```
/// course::check::rel_close("Stirling at n = 50", (1..=50).map(|k| (k as f64).ln()).sum::<f64>(), 50.0 * 50f64.ln() - 50.0 + 0.5 * (2.0 * std::f64::consts::PI * 50.0).ln(), 1e-3);
/// ```
pub fn rel_close(what: &str, actual: f64, expected: f64, rel_tol: f64) {
    assert!(rel_tol >= 0.0, "check::rel_close({what}): rel_tol must be >= 0, got {rel_tol}");
    let rel = (actual - expected).abs() / expected.abs().max(f64::MIN_POSITIVE);
    assert!(
        actual.is_finite() && rel <= rel_tol,
        "{what}: expected {} within relative {}, got {} (relative error {})",
        num(expected),
        num(rel_tol),
        num(actual),
        num(rel)
    );
    println!("✓ {what}: {} ≈ {} (relative error {} <= {})", num(actual), num(expected), num(rel), num(rel_tol));
}

/// Checks `lhs <= rhs` (a bound: "mistakes ≤ (R/γ)²").
///
/// # Panics
/// If `lhs > rhs` or either is NaN.
///
/// # Examples
/// ```
/// course::check::at_most("AM–GM for 2 and 8", 4.0, 5.0); // √(2·8) ≤ (2+8)/2
/// ```
pub fn at_most(what: &str, lhs: f64, rhs: f64) {
    assert!(lhs <= rhs, "{what}: expected {} <= {}, but it is larger", num(lhs), num(rhs));
    println!("✓ {what}: {} <= {}", num(lhs), num(rhs));
}

/// Checks that `values` never increases by more than `tol` from one entry to the next.
///
/// # Panics
/// If some `values[i + 1] > values[i] + tol`.
///
/// # Examples
/// ```
/// course::check::non_increasing("1/k", &[1.0, 0.5, 1.0 / 3.0], 0.0);
/// ```
#[allow(clippy::neg_cmp_op_on_partial_ord)] // `!(a <= b)` is also true for NaN, which must fail
pub fn non_increasing(what: &str, values: &[f64], tol: f64) {
    if let Some(i) = (1..values.len()).find(|&i| !(values[i] <= values[i - 1] + tol)) {
        panic!(
            "{what}: expected a non-increasing sequence (tolerance {}), but entry {i} = {} exceeds entry {} = {}",
            num(tol),
            num(values[i]),
            i - 1,
            num(values[i - 1])
        );
    }
    println!("✓ {what}: non-increasing over {} values", values.len());
}

/// Checks a condition that has no single number, with a message saying what was expected.
///
/// # Panics
/// If `holds` is false.
///
/// # Examples
/// ```
/// course::check::that("2 is even", 2 % 2 == 0);
/// ```
pub fn that(what: &str, holds: bool) {
    assert!(holds, "{what}: does not hold");
    println!("✓ {what}");
}

/// A number as a reader wants it: `15`, `0.2371`, `3.6e-3`, `1.2e8`.
///
/// # Examples
/// ```
/// assert_eq!(course::check::num(15.0), "15");
/// assert_eq!(course::check::num(0.00036), "3.6e-4");
/// assert_eq!(course::check::num(2.237142), "2.237142");
/// ```
pub fn num(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if (1e-3..1e6).contains(&a) {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        let s = format!("{v:.3e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exp}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(1.5e1), "15");
        assert_eq!(num(-2.5e-14), "-2.5e-14");
        assert_eq!(num(1e-12), "1e-12");
        assert_eq!(num(0.0), "0");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(123456789.0), "1.235e8");
    }

    #[test]
    #[should_panic(expected = "off by")]
    fn close_reports_the_difference() {
        close("x", 1.0, 2.0, 0.5);
    }

    #[test]
    #[should_panic(expected = "got NaN")]
    fn close_rejects_nan() {
        close("x", f64::NAN, 0.0, 1.0);
    }

    #[test]
    #[should_panic(expected = "entry 2")]
    fn non_increasing_names_the_offending_entry() {
        non_increasing("s", &[3.0, 2.0, 2.5], 1e-12);
    }

    #[test]
    #[should_panic(expected = "expected")]
    fn at_most_rejects_nan() {
        at_most("b", f64::NAN, 1.0);
    }
}
