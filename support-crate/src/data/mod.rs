//! Data sets: toy ones generated in code (seeded), and small real ones shipped with the course
//! (`support-crate/data/`, read at compile time). Nothing is downloaded.
//!
//! Used in notebooks/00-welcome.ipynb and notebooks/01-perceptron-and-regression.ipynb.

pub mod co2;
pub mod digits;
pub mod images;
pub mod iris;
pub mod photo;
mod regression;
mod separable;
pub mod sequences;
pub mod shapes;

pub use regression::{noisy_line, regression_1d};
pub use separable::separable_2d;
