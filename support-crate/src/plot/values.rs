//! What the plotting functions accept as a list of numbers.

use ndarray::{Array1, ArrayView1};

/// Anything that reads as a list of `f64`: slices, arrays, vectors and 1-D ndarrays.
///
/// # Examples
/// ```
/// use course::plot::Values;
/// assert_eq!((&[1.0, 2.0]).into_values(), vec![1.0, 2.0]);
/// assert_eq!((&ndarray::array![3.0]).into_values(), vec![3.0]);
/// ```
pub trait Values {
    /// The numbers, copied into a `Vec`.
    fn into_values(self) -> Vec<f64>;
}

impl Values for &[f64] {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

impl<const N: usize> Values for &[f64; N] {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

impl Values for &Vec<f64> {
    fn into_values(self) -> Vec<f64> {
        self.clone()
    }
}

impl Values for Vec<f64> {
    fn into_values(self) -> Vec<f64> {
        self
    }
}

impl Values for &Array1<f64> {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

impl Values for Array1<f64> {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

impl Values for ArrayView1<'_, f64> {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}
