//! `use course::prelude::*;` — what almost every notebook cell needs.
//!
//! ```
//! use course::prelude::*;
//! let x = linspace(0.0, 1.0, 3);
//! let a: Array1<f64> = Array1::from(x);
//! assert_eq!(a.sum(), 1.5);
//! ```

pub use crate::check;
pub use crate::exercises;
pub use crate::linspace;
pub use crate::plot::{Figure, Legend, Plot, Table};
pub use crate::rng::{ChaCha8Rng, Rng, RngExt, SeedableRng, normal_vec, seeded, uniform_vec};
pub use crate::stats::{mean, mse, variance};
pub use ndarray::{Array1, Array2, Axis, array, s};
