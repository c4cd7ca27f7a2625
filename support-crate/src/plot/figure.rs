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

    /// Several figures side by side, left to right and top-aligned, as one figure with its own
    /// `title` (a cell shows only its last figure, so this is how two panels appear together).
    ///
    /// # Panics
    /// If `figures` is empty, `title` is blank, or a figure's SVG has no numeric `width` and
    /// `height` on its `<svg>` tag.
    ///
    /// # Examples
    /// ```
    /// use course::plot::{Figure, Plot};
    /// let a = Plot::new("left").size(300, 200).line(&[0.0, 1.0], &[0.0, 1.0], "").render();
    /// let b = Plot::new("right").size(400, 250).line(&[0.0, 1.0], &[1.0, 0.0], "").render();
    /// let both = Figure::beside(&[a, b], "two panels");
    /// assert!(both.svg().starts_with("<svg width=\"700\" height=\"250\""));
    /// assert!(both.svg().contains("<title>left</title>") && both.svg().contains("<svg x=\"300\""));
    /// assert_eq!(both.title(), "two panels");
    /// ```
    pub fn beside(figures: &[Figure], title: &str) -> Figure {
        assert!(!figures.is_empty(), "Figure::beside: figures must not be empty");
        assert!(!title.trim().is_empty(), "Figure::beside: title must not be blank");
        let (mut width, mut height) = (0.0f64, 0.0f64);
        let mut body = String::new();
        for (i, f) in figures.iter().enumerate() {
            let (w, h) = svg_size(&f.svg).unwrap_or_else(|| panic!("Figure::beside: figure {i} ({:?}) has no numeric width and height on its <svg> tag", f.title));
            let start = f.svg.find("<svg").expect("svg_size found it");
            body.push_str(&format!("<svg x=\"{width}\" y=\"0\"{}\n", &f.svg[start + 4..]));
            width += w;
            height = height.max(h);
        }
        let svg = format!("<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n{body}</svg>\n");
        Figure::from_svg(svg, title)
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

/// The `width` and `height` attributes of the first `<svg>` tag.
fn svg_size(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("<svg")?;
    let tag = &svg[start..start + svg[start..].find('>')?];
    let attr = |name: &str| -> Option<f64> {
        let key = format!(" {name}=\"");
        let from = tag.find(&key)? + key.len();
        tag[from..from + tag[from..].find('"')?].parse().ok()
    };
    Some((attr("width")?, attr("height")?))
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
    fn beside_reads_sizes_and_keeps_the_outer_title_first() {
        let a = Figure::from_svg("<svg width=\"10\" height=\"20\">\n<rect/>\n</svg>".into(), "a");
        let b = Figure::from_svg("<svg height=\"5\" width=\"7\">\n</svg>".into(), "b");
        let both = Figure::beside(&[a, b], "both");
        assert_eq!(svg_size(both.svg()), Some((17.0, 20.0)));
        let titles: Vec<&str> = both.svg().split("<title>").skip(1).map(|t| &t[..t.find('<').unwrap()]).collect();
        assert_eq!(titles, ["both", "a", "b"]);
        assert!(both.svg().contains("<svg x=\"0\" y=\"0\" width=\"10\"") && both.svg().contains("<svg x=\"10\" y=\"0\" height=\"5\""));
    }

    #[test]
    fn title_goes_right_after_the_svg_tag_and_is_escaped() {
        let fig = Figure::from_svg("<svg width=\"1\">\n<rect/>\n</svg>".into(), "a < b & c");
        assert_eq!(
            fig.svg(),
            "<svg width=\"1\">\n<title>a &lt; b &amp; c</title>\n<rect/>\n</svg>"
        );
    }
}
