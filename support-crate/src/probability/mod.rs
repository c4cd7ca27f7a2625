//! Probability: expectation, conditional expectation, limit theorems, concentration inequalities.
//!
//! (Being written: issue 5.)
