//! ndarray ⇄ nalgebra, without needless copies.
//!
//! ndarray stores a standard-layout matrix row by row, nalgebra column by column. The row-major
//! buffer of an m × n matrix $A$ is therefore, read column by column, the n × m matrix
//! $A^\top$: the decompositions below work on $A^\top$ and transpose back *algebraically*
//! (for the SVD, $A^\top = U'\Sigma V'^\top$ gives $A = V'\Sigma U'^\top$), so no element is
//! shuffled on the way in or out.

use nalgebra::DMatrix;
use ndarray::Array2;

/// The n × m nalgebra matrix $A^\top$ holding a copy of the entries of the m × n matrix `a`
/// (one `memcpy` when `a` is in standard layout).
pub(crate) fn transpose_to_nalgebra(a: &Array2<f64>) -> DMatrix<f64> {
    let (m, n) = a.dim();
    let data: Vec<f64> = match a.as_slice() {
        Some(s) => s.to_vec(),
        None => a.iter().copied().collect(), // iter() walks in logical row-major order
    };
    DMatrix::from_vec(n, m, data)
}

/// The ndarray matrix $M^\top$ of a nalgebra matrix `mat` (r × c), moving its buffer: the
/// column-major buffer of $M$ is the row-major buffer of $M^\top$ (c × r).
pub(crate) fn transpose_from_nalgebra(mat: DMatrix<f64>) -> Array2<f64> {
    let (r, c) = mat.shape();
    let data: Vec<f64> = mat.data.into();
    Array2::from_shape_vec((c, r), data).expect("a c × r buffer has c·r entries")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn transposes_round_trip_and_match_entrywise() {
        let a = array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        let t = transpose_to_nalgebra(&a);
        assert_eq!(t.shape(), (3, 2));
        for i in 0..2 {
            for j in 0..3 {
                assert_eq!(t[(j, i)], a[[i, j]]);
            }
        }
        assert_eq!(transpose_from_nalgebra(t), a);
        // A non-standard layout (a transposed view) goes through the iterator path.
        let at = a.t().to_owned();
        let v = a.t();
        let owned: Array2<f64> = v.to_owned();
        assert_eq!(transpose_from_nalgebra(transpose_to_nalgebra(&owned)), at);
        let f = a.clone().reversed_axes(); // Fortran layout: as_slice() is None
        assert!(f.as_slice().is_none());
        assert_eq!(transpose_from_nalgebra(transpose_to_nalgebra(&f)), at);
    }
}
