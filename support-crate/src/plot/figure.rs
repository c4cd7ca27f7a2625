//! A rendered figure: an SVG document with a title, shown inline by the kernel.

use std::fmt;
use std::path::Path;

/// A finished picture: SVG text plus its title.
///
/// In a notebook, a cell whose last expression is a `Figure` (or a [`Plot`](super::Plot),
/// which renders itself) shows the picture inline. `save` writes the same SVG to a file.
///
/// # Examples
/// ```
/// use course::plot::Plot;
/// let fig = Plot::new("A parabola").line(&[0.0, 1.0, 2.0], &[0.0, 1.0, 4.0], "x²").render();
/// assert_eq!(fig.title(), "A parabola");
/// assert!(fig.svg().starts_with("<svg"));
/// assert!(fig.svg().contains("<title>A parabola</title>"));
/// ```
#[derive(Clone, PartialEq)]
pub struct Figure {
    svg: String,
    title: String,
}

impl Figure {
    /// Wraps rendered SVG text; the title is also written into the SVG as its `<title>`
    /// element (what screen readers announce and what the notebook runner checks).
    pub(crate) fn from_svg(svg: String, title: &str) -> Self {
        let svg = insert_title(svg, title);
        Figure { svg, title: title.to_owned() }
    }

    /// The SVG document.
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// The figure's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Writes the SVG to `path` (the folder must exist).
    ///
    /// # Examples
    /// ```
    /// use course::plot::Plot;
    /// let path = std::env::temp_dir().join("course-doc-figure.svg");
    /// Plot::new("saved").scatter(&[1.0, 2.0], &[3.0, 4.0], "").render().save(&path).unwrap();
    /// assert!(std::fs::read_to_string(&path).unwrap().contains("<title>saved</title>"));
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        std::fs::write(path, &self.svg)
    }

    /// Shows the figure inline in the evcxr kernel (called by the kernel, not by you).
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT image/svg+xml\n{}\nEVCXR_END_CONTENT", self.svg);
    }
}

impl fmt::Debug for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Figure({:?}, {} bytes of SVG)", self.title, self.svg.len())
    }
}

/// Escapes the five XML special characters.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn insert_title(svg: String, title: &str) -> String {
    let element = format!("<title>{}</title>", xml_escape(title));
    match svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end + 1)) {
        Some(pos) => format!("{}\n{}{}", &svg[..pos], element, &svg[pos..]),
        None => svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_goes_right_after_the_svg_tag_and_is_escaped() {
        let fig = Figure::from_svg("<svg width=\"1\">\n<rect/>\n</svg>".into(), "a < b & c");
        assert_eq!(
            fig.svg(),
            "<svg width=\"1\">\n<title>a &lt; b &amp; c</title>\n<rect/>\n</svg>"
        );
    }
}
