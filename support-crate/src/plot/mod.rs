//! Figures for the notebooks: one [`Plot`] builder, rendered to SVG, shown inline.
//!
//! A `Plot` collects layers (lines, scatters, a density histogram, bands, arrows of a vector
//! field, trajectories, a heatmap) on one pair of axes, with a title, axis labels, optional
//! logarithmic axes and a legend for every labelled layer. The last expression of a notebook
//! cell that is a `Plot` or a [`Figure`] is drawn inline as SVG; `save` writes it to a file.
//!
//! ```
//! use course::plot::Plot;
//! let xs: Vec<f64> = (0..50).map(|i| i as f64 / 49.0).collect();
//! let fig = Plot::new("Two curves")
//!     .x_label("x")
//!     .y_label("y")
//!     .line(&xs, &xs.iter().map(|x| x * x).collect::<Vec<_>>(), "x²")
//!     .dashed(&xs, &xs, "x")
//!     .render();
//! assert!(fig.svg().contains("x²")); // the legend entry
//! ```
//!
//! One figure per cell: the kernel shows only the last rich output of a cell.
//!
//! Used in every notebook, first in notebooks/00-welcome.ipynb.

pub mod colormap;
mod figure;
mod render;
mod table;
mod values;

pub use figure::Figure;
pub(crate) use figure::xml_escape;
pub use table::Table;
pub use values::Values;

use ndarray::Array2;

/// Where the legend goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legend {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
    /// No legend, even if layers have labels.
    Hidden,
}

#[derive(Clone, Debug)]
pub(crate) enum Layer {
    Line { xs: Vec<f64>, ys: Vec<f64>, label: String, dashed: bool },
    Scatter { xs: Vec<f64>, ys: Vec<f64>, label: String, size: u32 },
    Bars { edges: Vec<f64>, heights: Vec<f64>, label: String },
    Band { xs: Vec<f64>, lower: Vec<f64>, upper: Vec<f64>, label: String },
    Arrows { tails: Vec<(f64, f64)>, heads: Vec<(f64, f64)>, label: String },
    Heatmap { z: Array2<f64>, x: (f64, f64), y: (f64, f64), label: String },
}

/// A figure under construction: title, axes and layers. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct Plot {
    pub(crate) title: String,
    pub(crate) x_label: String,
    pub(crate) y_label: String,
    pub(crate) x_range: Option<(f64, f64)>,
    pub(crate) y_range: Option<(f64, f64)>,
    pub(crate) log_x: bool,
    pub(crate) log_y: bool,
    pub(crate) size: (u32, u32),
    pub(crate) legend: Legend,
    pub(crate) layers: Vec<Layer>,
}

impl Plot {
    /// An empty plot with a title (every figure in the course has one).
    ///
    /// # Panics
    /// If `title` is blank.
    pub fn new(title: &str) -> Self {
        assert!(!title.trim().is_empty(), "Plot::new: title must not be blank");
        Plot {
            title: title.to_owned(),
            x_label: String::new(),
            y_label: String::new(),
            x_range: None,
            y_range: None,
            log_x: false,
            log_y: false,
            size: (640, 420),
            legend: Legend::UpperRight,
            layers: Vec::new(),
        }
    }

    /// Label of the horizontal axis.
    pub fn x_label(mut self, label: &str) -> Self {
        self.x_label = label.to_owned();
        self
    }

    /// Label of the vertical axis.
    pub fn y_label(mut self, label: &str) -> Self {
        self.y_label = label.to_owned();
        self
    }

    /// Fixes the horizontal range instead of fitting it to the data.
    ///
    /// # Panics
    /// Unless `low < high`, both finite.
    pub fn x_range(mut self, low: f64, high: f64) -> Self {
        check_range("x_range", low, high);
        self.x_range = Some((low, high));
        self
    }

    /// Fixes the vertical range instead of fitting it to the data.
    ///
    /// # Panics
    /// Unless `low < high`, both finite.
    pub fn y_range(mut self, low: f64, high: f64) -> Self {
        check_range("y_range", low, high);
        self.y_range = Some((low, high));
        self
    }

    /// Logarithmic horizontal axis (all x values must then be > 0).
    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }

    /// Logarithmic vertical axis (all y values must then be > 0).
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    /// Size in pixels (default 640 × 420).
    ///
    /// # Panics
    /// If either side is below 100 pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        assert!(
            width >= 100 && height >= 100,
            "Plot::size: width and height must be >= 100 pixels, got {width} x {height}"
        );
        self.size = (width, height);
        self
    }

    /// Where to put the legend (default upper right).
    pub fn legend(mut self, at: Legend) -> Self {
        self.legend = at;
        self
    }

    /// A solid polyline through `(xs[i], ys[i])`. An empty `label` keeps it out of the legend.
    ///
    /// # Panics
    /// If `xs` and `ys` differ in length or are empty.
    pub fn line(mut self, xs: impl Values, ys: impl Values, label: &str) -> Self {
        let (xs, ys) = paired("line", xs, ys);
        self.layers.push(Layer::Line { xs, ys, label: label.to_owned(), dashed: false });
        self
    }

    /// A dashed polyline (for references: a true function, a bound, a fitted slope).
    ///
    /// # Panics
    /// If `xs` and `ys` differ in length or are empty.
    pub fn dashed(mut self, xs: impl Values, ys: impl Values, label: &str) -> Self {
        let (xs, ys) = paired("dashed", xs, ys);
        self.layers.push(Layer::Line { xs, ys, label: label.to_owned(), dashed: true });
        self
    }

    /// The graph of `f` on `[low, high]`, sampled at 200 points.
    ///
    /// # Examples
    /// ```
    /// let fig = course::plot::Plot::new("sine").function(f64::sin, (0.0, 6.3), "sin").render();
    /// assert!(fig.svg().contains("sin"));
    /// ```
    pub fn function(self, f: impl Fn(f64) -> f64, (low, high): (f64, f64), label: &str) -> Self {
        check_range("function", low, high);
        let xs = crate::linspace(low, high, 200);
        let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
        self.line(&xs, &ys, label)
    }

    /// Points at `(xs[i], ys[i])`.
    ///
    /// # Panics
    /// If `xs` and `ys` differ in length or are empty.
    pub fn scatter(mut self, xs: impl Values, ys: impl Values, label: &str) -> Self {
        let (xs, ys) = paired("scatter", xs, ys);
        let size = if xs.len() > 2000 { 1 } else if xs.len() > 300 { 2 } else { 3 };
        self.layers.push(Layer::Scatter { xs, ys, label: label.to_owned(), size });
        self
    }

    /// A histogram of `samples` in `n_bins` equal bins, normalized to a probability density
    /// (total area 1), so that a density can be overlaid with [`function`](Self::function).
    ///
    /// # Panics
    /// If `samples` is empty, holds a non-finite value, or `n_bins == 0`.
    pub fn histogram(mut self, samples: impl Values, n_bins: usize, label: &str) -> Self {
        let samples = samples.into_values();
        let (edges, heights) = crate::stats::density_histogram(&samples, n_bins);
        self.layers.push(Layer::Bars { edges, heights, label: label.to_owned() });
        self
    }

    /// A shaded band between `lower[i]` and `upper[i]` over `xs[i]` (confidence bands).
    ///
    /// # Panics
    /// If the three lengths differ, are zero, or some `lower[i] > upper[i]`.
    pub fn band(mut self, xs: impl Values, lower: impl Values, upper: impl Values, label: &str) -> Self {
        let (xs, lower) = paired("band", xs, lower);
        let upper = upper.into_values();
        assert_eq!(
            upper.len(),
            xs.len(),
            "band: upper must have one value per x ({} values), got {}",
            xs.len(),
            upper.len()
        );
        if let Some(i) = (0..xs.len()).find(|&i| lower[i] > upper[i]) {
            panic!("band: need lower <= upper everywhere, but at index {i} lower = {} > upper = {}", lower[i], upper[i]);
        }
        self.layers.push(Layer::Band { xs, lower, upper, label: label.to_owned() });
        self
    }

    /// Arrows from `tails[i]` to `tails[i] + vectors[i]`.
    ///
    /// # Panics
    /// If the two lengths differ.
    pub fn arrows(mut self, tails: &[(f64, f64)], vectors: &[(f64, f64)], label: &str) -> Self {
        assert_eq!(
            tails.len(),
            vectors.len(),
            "arrows: need one vector per tail, got {} tails and {} vectors",
            tails.len(),
            vectors.len()
        );
        let heads = tails.iter().zip(vectors).map(|(t, v)| (t.0 + v.0, t.1 + v.1)).collect();
        self.layers.push(Layer::Arrows { tails: tails.to_vec(), heads, label: label.to_owned() });
        self
    }

    /// The direction field of a planar vector field `f(x, y) = (dx, dy)` on an `n × n` grid
    /// over `x × y`: arrows of equal length (the direction), drawn grey. Add
    /// [`trajectory`](Self::trajectory) layers on top to show solutions.
    ///
    /// # Panics
    /// If `n < 2` or a range is empty.
    ///
    /// # Examples
    /// ```
    /// // The rotation field (-y, x): its solutions are circles.
    /// let fig = course::plot::Plot::new("rotation")
    ///     .vector_field(|x, y| (-y, x), (-1.0, 1.0), (-1.0, 1.0), 9)
    ///     .render();
    /// assert!(fig.svg().matches("<polyline").count() >= 81);
    /// ```
    pub fn vector_field(
        mut self,
        f: impl Fn(f64, f64) -> (f64, f64),
        x: (f64, f64),
        y: (f64, f64),
        n: usize,
    ) -> Self {
        assert!(n >= 2, "vector_field: n must be >= 2 grid points per side, got {n}");
        check_range("vector_field x", x.0, x.1);
        check_range("vector_field y", y.0, y.1);
        let (gx, gy) = (crate::linspace(x.0, x.1, n), crate::linspace(y.0, y.1, n));
        let cell = ((x.1 - x.0) / (n - 1) as f64).min((y.1 - y.0) / (n - 1) as f64);
        let (mut tails, mut heads) = (Vec::new(), Vec::new());
        for &px in &gx {
            for &py in &gy {
                let (dx, dy) = f(px, py);
                let norm = dx.hypot(dy);
                if !norm.is_finite() || norm == 0.0 {
                    continue;
                }
                let s = 0.8 * cell / norm;
                tails.push((px - 0.5 * s * dx, py - 0.5 * s * dy));
                heads.push((px + 0.5 * s * dx, py + 0.5 * s * dy));
            }
        }
        self.layers.push(Layer::Arrows { tails, heads, label: String::new() });
        self
    }

    /// A trajectory `[(x0, y0), (x1, y1), …]` (an ODE or SDE solution) drawn as a line.
    ///
    /// # Panics
    /// If `points` is empty.
    pub fn trajectory(self, points: &[(f64, f64)], label: &str) -> Self {
        assert!(!points.is_empty(), "trajectory: points must not be empty");
        let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        self.line(&xs, &ys, label)
    }

    /// A heatmap of `z` over the rectangle `x × y`: `z[[i, j]]` is the value in row `i`
    /// (i = 0 at the bottom, `y.0`) and column `j` (j = 0 at the left, `x.0`). A colour bar
    /// labelled `label` is drawn on the right.
    ///
    /// # Panics
    /// If `z` is empty or holds no finite value, or a range is empty.
    pub fn heatmap(mut self, z: &Array2<f64>, x: (f64, f64), y: (f64, f64), label: &str) -> Self {
        assert!(!z.is_empty(), "heatmap: z must not be empty");
        assert!(z.iter().any(|v| v.is_finite()), "heatmap: z must hold at least one finite value");
        check_range("heatmap x", x.0, x.1);
        check_range("heatmap y", y.0, y.1);
        self.layers.push(Layer::Heatmap { z: z.clone(), x, y, label: label.to_owned() });
        self
    }

    /// A heatmap of `f(x, y)` sampled at the centres of an `n × n` grid of cells.
    ///
    /// # Examples
    /// ```
    /// let fig = course::plot::Plot::new("Gaussian bump")
    ///     .heatmap_fn(|x, y| (-(x * x + y * y)).exp(), (-2.0, 2.0), (-2.0, 2.0), 20, "density")
    ///     .render();
    /// assert!(fig.svg().matches("<rect").count() >= 400);
    /// ```
    pub fn heatmap_fn(
        self,
        f: impl Fn(f64, f64) -> f64,
        x: (f64, f64),
        y: (f64, f64),
        n: usize,
        label: &str,
    ) -> Self {
        assert!(n >= 1, "heatmap_fn: n must be >= 1, got {n}");
        check_range("heatmap_fn x", x.0, x.1);
        check_range("heatmap_fn y", y.0, y.1);
        let (dx, dy) = ((x.1 - x.0) / n as f64, (y.1 - y.0) / n as f64);
        let z = Array2::from_shape_fn((n, n), |(i, j)| {
            f(x.0 + (j as f64 + 0.5) * dx, y.0 + (i as f64 + 0.5) * dy)
        });
        self.heatmap(&z, x, y, label)
    }

    /// Draws the plot into a [`Figure`].
    ///
    /// # Panics
    /// If the plot has no layers, or a logarithmic axis meets a value <= 0.
    pub fn render(&self) -> Figure {
        render::render(self)
    }

    /// Renders and writes the SVG to `path`.
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> std::io::Result<()> {
        self.render().save(path)
    }

    /// Shows the plot inline in the evcxr kernel (called by the kernel, not by you).
    pub fn evcxr_display(&self) {
        self.render().evcxr_display()
    }
}

fn check_range(what: &str, low: f64, high: f64) {
    assert!(
        low.is_finite() && high.is_finite() && low < high,
        "{what}: need finite low < high, got ({low}, {high})"
    );
}

fn paired(what: &str, xs: impl Values, ys: impl Values) -> (Vec<f64>, Vec<f64>) {
    let (xs, ys) = (xs.into_values(), ys.into_values());
    assert!(!xs.is_empty(), "{what}: xs must not be empty");
    assert_eq!(
        xs.len(),
        ys.len(),
        "{what}: xs and ys must have the same length, got {} and {}",
        xs.len(),
        ys.len()
    );
    (xs, ys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_labelled_layer_reaches_the_legend_and_hidden_hides_them() {
        let p = Plot::new("t")
            .line(&[0.0, 1.0], &[0.0, 1.0], "alpha")
            .scatter(&[0.5], &[0.5], "beta")
            .histogram(&[0.1, 0.2, 0.2, 0.9], 4, "gamma");
        let svg = p.render().svg().to_owned();
        for name in ["alpha", "beta", "gamma"] {
            assert!(svg.contains(name), "legend misses {name}");
        }
        let hidden = p.legend(Legend::Hidden).render().svg().to_owned();
        assert!(!hidden.contains("alpha"));
    }

    #[test]
    #[should_panic(expected = "same length, got 2 and 3")]
    fn mismatched_lengths_name_both_lengths() {
        let _ = Plot::new("t").line(&[0.0, 1.0], &[0.0, 1.0, 2.0], "");
    }

    #[test]
    #[should_panic(expected = "log_y")]
    fn log_axis_rejects_non_positive_values() {
        Plot::new("t").line(&[1.0, 2.0], &[0.0, 1.0], "").log_y().render();
    }

    #[test]
    #[should_panic(expected = "no layers")]
    fn empty_plot_is_an_error() {
        Plot::new("t").render();
    }

    #[test]
    fn log_log_plot_renders_with_decade_ticks() {
        let xs: Vec<f64> = (1..=100).map(|k| k as f64).collect();
        let ys: Vec<f64> = xs.iter().map(|k| 1.0 / k).collect();
        let svg = Plot::new("1/k").line(&xs, &ys, "").log_x().log_y().render().svg().to_owned();
        assert!(svg.contains("\n10\n</text>") && svg.contains("\n0.01\n</text>"), "no decade labels on the log axes");
    }

    #[test]
    fn heatmap_draws_one_rect_per_cell_plus_colorbar() {
        let z = Array2::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f64);
        let svg = Plot::new("h").heatmap(&z, (0.0, 4.0), (0.0, 3.0), "v").render().svg().to_owned();
        assert!(svg.matches("<rect").count() >= 12 + 20);
    }
}
