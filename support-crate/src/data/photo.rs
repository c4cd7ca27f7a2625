//! A real photograph, in grey levels: a Chinese temple photographed by danielbuechele on Flickr (the
//! `china.jpg` that scikit-learn ships), shipped with the course as a 214 × 320 binary PGM
//! (`support-crate/data/photo/`, source, licence and how it was derived in
//! `support-crate/data/README.md`).
//!
//! A generated test image is smooth by design; a photograph has texture, edges at every angle
//! and noise, and its singular values decay much more slowly — the honest test of low-rank
//! compression.
//!
//! Used in notebooks/03-compression-and-low-rank.ipynb.

use ndarray::Array2;

/// The file: `P5`, width, height, maximum grey level, then one byte per pixel, row by row.
const PGM: &[u8] = include_bytes!("../../data/photo/china-gray.pgm");

/// The photograph as a `214 × 320` matrix of grey levels scaled to [0, 1] (level / 255), row 0
/// at the top.
///
/// # Examples
/// ```
/// let p = course::data::photo::china();
/// assert_eq!(p.dim(), (214, 320));
/// assert_eq!(p[[0, 0]], 195.0 / 255.0); // top-left: sky
/// let mean = p.mean().unwrap() * 255.0;
/// assert!((mean - 144.6654).abs() < 1e-4, "{mean}");
/// ```
pub fn china() -> Array2<f64> {
    let (width, height, max, data) = parse_pgm(PGM);
    assert_eq!(data.len(), width * height, "china-gray.pgm: {} pixels expected, found {}", width * height, data.len());
    Array2::from_shape_fn((height, width), |(r, c)| data[r * width + c] as f64 / max as f64)
}

/// Header fields and pixel bytes of a binary (P5) PGM with one byte per pixel.
fn parse_pgm(bytes: &[u8]) -> (usize, usize, usize, &[u8]) {
    assert!(bytes.starts_with(b"P5"), "not a binary PGM (P5) file");
    let mut pos = 2;
    let mut fields = [0usize; 3];
    for f in fields.iter_mut() {
        while bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        while bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        *f = std::str::from_utf8(&bytes[start..pos]).ok().and_then(|s| s.parse().ok()).expect("a PGM header number");
    }
    assert!(fields[2] > 0 && fields[2] < 256, "one byte per pixel expected, maximum {}", fields[2]);
    // exactly one whitespace byte separates the header from the pixels
    (fields[0], fields[1], fields[2], &bytes[pos + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_read_and_every_byte_is_a_pixel() {
        let pgm = b"P5\n3 2\n255\n\x00\x80\xff\x01\x02\x03";
        let (w, h, max, data) = parse_pgm(pgm);
        assert_eq!((w, h, max), (3, 2, 255));
        assert_eq!(data, &[0, 128, 255, 1, 2, 3]);
        let p = china();
        assert!(p.iter().all(|&v| (0.0..=1.0).contains(&v)));
        // a photograph uses most of the grey range
        let (lo, hi) = p.iter().fold((1.0f64, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
        assert!(lo < 0.1 && hi > 0.9, "{lo} {hi}");
    }
}
