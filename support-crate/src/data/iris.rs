//! Fisher's iris flowers: 150 plants of three species (50 each), four measurements in cm, shipped
//! with the course (`support-crate/data/iris/`, source and licence in
//! `support-crate/data/README.md`): real measurements in which one species stands apart and two
//! overlap.
//!
//! The columns are sepal length, sepal width, petal length and petal width; the species are
//! *Iris setosa*, *versicolor* and *virginica*. The values are those of Fisher's paper (1936), as in
//! R and scikit-learn (two rows of the UCI file differ from it).
//!
//! ## Reference
//! R. A. Fisher (1936), *The use of multiple measurements in taxonomic problems*, Annals of
//! Eugenics 7, 179–188.
//!
//! Used in notebooks/19-hidden-variables-and-em.ipynb.

use ndarray::Array2;

/// The file: a header line `150,4,setosa,versicolor,virginica` (rows, features, class names),
/// then the four measurements and the species index, one plant per line.
const CSV: &str = include_str!("../../data/iris/iris.csv");

/// The measurements (one row of 4 per plant, in cm) and the species.
#[derive(Clone, Debug, PartialEq)]
pub struct Iris {
    /// `150 × 4`: sepal length, sepal width, petal length, petal width.
    pub features: Array2<f64>,
    /// The species of each plant, an index into [`SPECIES`].
    pub labels: Vec<usize>,
}

/// The names of the four columns of [`Iris::features`].
pub const FEATURES: [&str; 4] = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];
/// The names of the three species, indexed by label.
pub const SPECIES: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// All 150 plants, in the file's order (the 50 setosa first, then versicolor, then virginica).
///
/// # Examples
/// ```
/// use course::data::iris;
/// let d = iris::load();
/// assert_eq!(d.features.dim(), (150, 4));
/// let counts: Vec<usize> = (0..3).map(|k| d.labels.iter().filter(|&&l| l == k).count()).collect();
/// assert_eq!(counts, [50, 50, 50]);
/// // The first plant: a setosa with sepal 5.1 × 3.5 cm and petal 1.4 × 0.2 cm.
/// assert_eq!(d.features.row(0).to_vec(), [5.1, 3.5, 1.4, 0.2]);
/// assert_eq!(iris::SPECIES[d.labels[0]], "setosa");
/// // Row 35 as in Fisher's paper (the UCI file has petal width 0.1 there).
/// assert_eq!(d.features.row(34).to_vec(), [4.9, 3.1, 1.5, 0.2]);
/// // Column sums, in cm: the means 5.843, 3.057, 3.758, 1.199 of the data set's description.
/// let sums = d.features.sum_axis(course::ndarray::Axis(0));
/// for (s, want) in sums.iter().zip([876.5, 458.6, 563.7, 179.9]) {
///     assert!((s - want).abs() < 1e-9);
/// }
/// ```
pub fn load() -> Iris {
    let mut lines = CSV.lines();
    let header = lines.next().expect("iris.csv has a header line");
    assert_eq!(header.trim(), "150,4,setosa,versicolor,virginica", "iris.csv: unexpected header");
    let mut values = Vec::with_capacity(150 * 4);
    let mut labels = Vec::with_capacity(150);
    for (i, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        assert_eq!(fields.len(), 5, "iris.csv line {}: 4 measurements and a label expected", i + 2);
        for f in &fields[..4] {
            values.push(f.parse::<f64>().unwrap_or_else(|_| panic!("iris.csv line {}: {f:?} is not a number", i + 2)));
        }
        let label: usize = fields[4].parse().unwrap_or_else(|_| panic!("iris.csv line {}: {:?} is not a label", i + 2, fields[4]));
        assert!(label < 3, "iris.csv line {}: label must be 0, 1 or 2, got {label}", i + 2);
        labels.push(label);
    }
    let features = Array2::from_shape_vec((labels.len(), 4), values).expect("4 measurements per line");
    Iris { features, labels }
}

impl Iris {
    /// Number of plants.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Column `j` (0 sepal length, 1 sepal width, 2 petal length, 3 petal width).
    ///
    /// # Panics
    /// If `j >= 4`.
    ///
    /// # Examples
    /// ```
    /// let d = course::data::iris::load();
    /// let petal_width = d.column(3);
    /// assert_eq!(petal_width.iter().cloned().fold(0.0, f64::max), 2.5);
    /// ```
    pub fn column(&self, j: usize) -> Vec<f64> {
        assert!(j < 4, "Iris::column: j must be < 4 (four measurements), got {j}");
        self.features.column(j).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setosa_is_separated_by_petal_length() {
        // The classic fact: every setosa petal is shorter than 2 cm, every other one at least 3 cm long.
        let d = load();
        for (row, &l) in d.features.rows().into_iter().zip(&d.labels) {
            if l == 0 {
                assert!(row[2] < 2.0);
            } else {
                assert!(row[2] >= 3.0);
            }
        }
    }

    #[test]
    fn species_come_in_blocks_of_fifty_and_values_are_positive() {
        let d = load();
        assert!(d.labels.iter().enumerate().all(|(i, &l)| l == i / 50));
        assert!(d.features.iter().all(|&v| v > 0.0 && v < 8.0));
    }
}
