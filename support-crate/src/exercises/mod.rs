//! Check functions for the notebooks' exercises.
//!
//! Every exercise ends with a call such as `exercises::nb01::check_q1(...)` as the last line of
//! its cell. The check computes the right answer independently, compares, and returns a
//! [`Feedback`] that the notebook shows as a green or red box. A wrong answer is explained:
//! the check looks for the usual slips (a forgotten normalization, swapped arguments, a
//! missing square) and names them.
//!
//! Reference solutions sit in cells tagged `solution`, which the student edition leaves out.

pub mod nb00;
pub mod nb01;
pub mod nb02;
pub mod nb03;
pub mod nb04;
pub mod nb05;
pub mod nb06;
pub mod nb07;
pub mod nb08;
pub mod nb09;
pub mod nb10;
pub mod nb11;
pub mod nb12;
pub mod nb13;
pub mod nb14;
pub mod nb15;
pub mod nb16;
pub mod nb17;
pub mod nb18;
pub mod nb19;
pub mod nb20;
pub mod nb21;
pub mod nb22;
pub mod nb23;
pub mod nb24;
pub mod nb25;
pub mod nb26;
pub mod nb27;
pub mod nb28;
pub mod nb29;
pub mod nb30;
pub mod nb31;
pub mod nb32;
pub mod nb33;
pub mod nb34;
pub mod nb35;
pub mod nb36;
pub mod nb37;

use std::fmt;

/// What a check says about an answer.
///
/// # Examples
/// ```
/// use course::exercises::Feedback;
/// let f = Feedback::check_close("demo", "2 + 2", 4.0, 4.0, 1e-12);
/// assert!(f.is_correct());
/// assert!(f.to_string().starts_with("✅"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    /// Which exercise, e.g. `"01.2"`.
    pub exercise: String,
    /// Whether the answer is right.
    pub correct: bool,
    /// What is right, or what is wrong and how to find out why.
    pub message: String,
}

/// The text that begins a failed check's line on stderr (the notebook runner looks for it).
pub const NOT_YET: &str = "not yet correct";

impl Feedback {
    /// A correct answer.
    pub fn correct(exercise: &str, message: impl Into<String>) -> Self {
        Feedback { exercise: exercise.to_owned(), correct: true, message: message.into() }
    }

    /// A wrong answer, with the reason.
    pub fn wrong(exercise: &str, message: impl Into<String>) -> Self {
        Feedback { exercise: exercise.to_owned(), correct: false, message: message.into() }
    }

    /// Compares a number with the expected one to relative tolerance `rel_tol`.
    pub fn check_close(exercise: &str, what: &str, answer: f64, expected: f64, rel_tol: f64) -> Self {
        if close(answer, expected, rel_tol) {
            Feedback::correct(exercise, format!("{what} = {answer:.6} is right."))
        } else {
            Feedback::wrong(exercise, format!("{what}: expected {expected:.6}, got {answer:.6}."))
        }
    }

    /// True if the answer passed.
    pub fn is_correct(&self) -> bool {
        self.correct
    }

    /// Shows the feedback in the notebook (called by the kernel, not by you). A wrong answer
    /// is also written to stderr, so that a reference solution that fails its own check fails
    /// the notebook run.
    pub fn evcxr_display(&self) {
        let (color, bg) = if self.correct { ("#1b5e20", "#e8f5e9") } else { ("#b71c1c", "#ffebee") };
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n<div style=\"border-left:4px solid {color};background:{bg};padding:6px 10px\">{}</div>\nEVCXR_END_CONTENT",
            crate::plot::xml_escape(&self.to_string())
        );
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
        if !self.correct {
            eprintln!("exercise {} {NOT_YET}: {}", self.exercise, self.message);
        }
    }
}

impl fmt::Display for Feedback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.correct {
            write!(f, "✅ Exercise {}: correct. {}", self.exercise, self.message)
        } else {
            write!(f, "❌ Exercise {}: {NOT_YET}. {}", self.exercise, self.message)
        }
    }
}

/// `|a − b| <= rel_tol · max(|b|, 1e-300)`, false for NaN.
pub(crate) fn close(a: f64, b: f64, rel_tol: f64) -> bool {
    (a - b).abs() <= rel_tol * b.abs().max(1e-300)
}

/// Compares two vectors entry by entry (relative to the largest entry of `expected`).
pub(crate) fn vec_close(a: &[f64], b: &[f64], rel_tol: f64) -> bool {
    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= rel_tol * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_answer_names_both_numbers() {
        let f = Feedback::check_close("00.9", "the answer", 41.0, 42.0, 1e-9);
        assert!(!f.is_correct());
        assert!(f.to_string().contains("expected 42.000000, got 41.000000"), "{f}");
    }

    #[test]
    fn closeness_helpers() {
        assert!(close(1.0 + 1e-12, 1.0, 1e-9));
        assert!(!close(f64::NAN, 1.0, 1e-9));
        assert!(vec_close(&[1.0, 2.0], &[1.0, 2.0 + 1e-13], 1e-9));
        assert!(!vec_close(&[1.0], &[1.0, 2.0], 1e-9));
    }
}
