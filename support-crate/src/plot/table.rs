//! Small tables that display as HTML in the notebook and as aligned text elsewhere.

use super::figure::xml_escape;
use std::fmt;

/// A table of strings with a header row.
///
/// # Examples
/// ```
/// use course::plot::Table;
/// let t = Table::new(&["degree", "train MSE"]).row(&["1", "0.25"]).row(&["3", "0.01"]);
/// assert_eq!(t.n_rows(), 2);
/// assert_eq!(t.to_string().lines().count(), 4); // header, rule, two rows
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these column names.
    ///
    /// # Panics
    /// If `header` is empty.
    pub fn new(header: &[&str]) -> Self {
        assert!(!header.is_empty(), "Table::new: header must name at least one column");
        Table { header: header.iter().map(|s| s.to_string()).collect(), rows: Vec::new() }
    }

    /// Appends a row of cells (anything printable).
    ///
    /// # Panics
    /// If the row's length differs from the header's.
    pub fn row<T: fmt::Display>(mut self, cells: &[T]) -> Self {
        assert_eq!(
            cells.len(),
            self.header.len(),
            "Table::row: need {} cells (one per column), got {}",
            self.header.len(),
            cells.len()
        );
        self.rows.push(cells.iter().map(|c| c.to_string()).collect());
        self
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }

    /// The table as an HTML `<table>`.
    pub fn to_html(&self) -> String {
        let cells = |row: &[String], tag: &str| {
            row.iter().map(|c| format!("<{tag}>{}</{tag}>", xml_escape(c))).collect::<String>()
        };
        let mut html = format!("<table><thead><tr>{}</tr></thead><tbody>", cells(&self.header, "th"));
        for row in &self.rows {
            html.push_str(&format!("<tr>{}</tr>", cells(row, "td")));
        }
        html.push_str("</tbody></table>");
        html
    }

    /// Shows the table inline in the evcxr kernel (called by the kernel, not by you).
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT", self.to_html());
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}

impl fmt::Display for Table {
    /// Aligned plain text: a header, a rule, the rows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|j| {
                std::iter::once(&self.header[j])
                    .chain(self.rows.iter().map(|r| &r[j]))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |row: &[String]| {
            row.iter()
                .zip(&widths)
                .map(|(c, &w)| format!("{c:>w$}"))
                .collect::<Vec<_>>()
                .join("  ")
        };
        writeln!(f, "{}", line(&self.header))?;
        write!(f, "{}", widths.iter().map(|&w| "-".repeat(w)).collect::<Vec<_>>().join("  "))?;
        for row in &self.rows {
            write!(f, "\n{}", line(row))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_right_aligned_and_html_is_escaped() {
        let t = Table::new(&["a", "b"]).row(&["1", "<2>"]).row(&[10.5, 3.0]);
        assert_eq!(t.to_string(), "   a    b\n----  ---\n   1  <2>\n10.5    3");
        assert!(t.to_html().contains("<td>&lt;2&gt;</td>"));
    }

    #[test]
    #[should_panic(expected = "need 2 cells (one per column), got 1")]
    fn short_row_is_rejected() {
        let _ = Table::new(&["a", "b"]).row(&["1"]);
    }
}
