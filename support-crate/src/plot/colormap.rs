//! Colours: the series palette and the viridis colormap for heatmaps.

use plotters::style::RGBColor;

/// Ten distinguishable series colours (the Tableau-10 palette).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// The colour of series number `i` (cycling through [`PALETTE`]).
pub fn series_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

// Nine control points of matplotlib's viridis, evenly spaced on [0, 1].
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// Viridis at `t` in `[0, 1]` (clamped; NaN maps to the low end), by linear interpolation.
///
/// # Examples
/// ```
/// use course::plot::colormap::viridis;
/// assert_eq!(viridis(0.0), plotters::style::RGBColor(68, 1, 84));
/// assert_eq!(viridis(1.0), plotters::style::RGBColor(253, 231, 37));
/// ```
pub fn viridis(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let s = t * (VIRIDIS.len() - 1) as f64;
    let i = (s.floor() as usize).min(VIRIDIS.len() - 2);
    let f = s - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |u: u8, v: u8| (u as f64 + f * (v as f64 - u as f64)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_hits_its_control_points_and_clamps() {
        for (k, &(r, g, b)) in VIRIDIS.iter().enumerate() {
            assert_eq!(viridis(k as f64 / 8.0), RGBColor(r, g, b));
        }
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn viridis_midpoint_is_the_average_of_neighbours() {
        let RGBColor(r, g, b) = viridis(1.0 / 16.0);
        assert_eq!((r, g, b), (70, 23, 103)); // ((68+71)/2, (1+44)/2, (84+122)/2) rounded
    }
}
