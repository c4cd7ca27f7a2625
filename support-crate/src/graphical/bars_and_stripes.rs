//! Bars and stripes: the $2^{n+1}-2$ binary $n\times n$ images whose rows are all equal (stripes)
//! or whose columns are all equal (bars), a classic test set for Boltzmann machines.
//!
//! ## Reference
//! D. MacKay, *Information Theory, Inference and Learning Algorithms* (2003), ch. 43;
//! used as a test bed in G. Hinton & T. Sejnowski's Boltzmann-machine papers.
//!
//! Used in notebooks/20-boltzmann-machines-and-energy-models.ipynb.

use ndarray::Array2;

/// The distinct bars-and-stripes images of side `side`, one per row (row-major pixels in {0, 1}):
/// first the stripes (row patterns), then the bars that are not also stripes.
///
/// # Panics
/// If `side == 0` or `side > 5`.
///
/// # Examples
/// ```
/// let d = course::graphical::bars_and_stripes(3);
/// assert_eq!(d.dim(), (14, 9)); // 2·2³ − 2 (all-on and all-off are both bars and stripes)
/// ```
pub fn bars_and_stripes(side: usize) -> Array2<f64> {
    assert!((1..=5).contains(&side), "side must be in 1..=5, got {side}");
    let n = side * side;
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for code in 0u32..(1 << side) {
        // stripes: row r is on iff bit r
        rows.push((0..n).map(|p| (code >> (p / side) & 1) as f64).collect());
    }
    for code in 0u32..(1 << side) {
        // bars: column c is on iff bit c
        let img: Vec<f64> = (0..n).map(|p| (code >> (p % side) & 1) as f64).collect();
        if !rows.contains(&img) {
            rows.push(img);
        }
    }
    Array2::from_shape_fn((rows.len(), n), |(i, j)| rows[i][j])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_structure() {
        for side in 1..=4 {
            let d = bars_and_stripes(side);
            let expected = if side == 1 { 2 } else { (1 << (side + 1)) - 2 };
            assert_eq!(d.nrows(), expected);
            for row in d.rows() {
                let img: Vec<f64> = row.to_vec();
                let rows_equal = (0..side).all(|r| img[r * side..(r + 1) * side].iter().all(|&v| v == img[r * side]));
                let cols_equal = (0..side).all(|c| (0..side).all(|r| img[r * side + c] == img[c]));
                assert!(rows_equal || cols_equal);
            }
        }
    }
}
