//! Drawing a [`Plot`] with plotters' SVG backend.

use super::colormap::{series_color, viridis};
use super::{Figure, Layer, Legend, Plot};
use plotters::coord::Shift;
use plotters::coord::combinators::IntoLogRange;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::prelude::*;

type Res = Result<(), String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

const GREY: RGBColor = RGBColor(110, 110, 110);

pub(crate) fn render(plot: &Plot) -> Figure {
    assert!(
        !plot.layers.is_empty(),
        "plot '{}': no layers to draw; add a line, scatter, histogram, … first",
        plot.title
    );
    let x = plot.x_range.unwrap_or_else(|| auto_range(plot, Axis::X));
    let y = plot.y_range.unwrap_or_else(|| auto_range(plot, Axis::Y));
    for (on, axis, name) in [(plot.log_x, Axis::X, "log_x"), (plot.log_y, Axis::Y, "log_y")] {
        if on {
            check_positive(plot, axis, name);
        }
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, plot.size).into_drawing_area();
        let heat = plot.layers.iter().find_map(|l| match l {
            Layer::Heatmap { z, label, .. } => Some((finite_min_max(z.iter().copied()), label.clone())),
            _ => None,
        });
        let result = (|| -> Res {
            root.fill(&WHITE).map_err(err)?;
            let (main, bar) = match heat {
                Some(_) => {
                    let (m, b) = root.split_horizontally(plot.size.0 as i32 - 95);
                    (m, Some(b))
                }
                None => (root.clone(), None),
            };
            match (plot.log_x, plot.log_y) {
                (false, false) => draw(plot, &main, x.0..x.1, y.0..y.1, x, y)?,
                (true, false) => draw(plot, &main, (x.0..x.1).log_scale(), y.0..y.1, x, y)?,
                (false, true) => draw(plot, &main, x.0..x.1, (y.0..y.1).log_scale(), x, y)?,
                (true, true) => draw(plot, &main, (x.0..x.1).log_scale(), (y.0..y.1).log_scale(), x, y)?,
            }
            if let (Some(bar), Some(((lo, hi), label))) = (bar, heat) {
                draw_colorbar(&bar, lo, hi, &label)?;
            }
            root.present().map_err(err)
        })();
        if let Err(e) = result {
            panic!("plot '{}': drawing failed: {e}", plot.title);
        }
    }
    Figure::from_svg(svg, &plot.title)
}

fn draw<DB, XS, YS>(
    plot: &Plot,
    area: &DrawingArea<DB, Shift>,
    xs: XS,
    ys: YS,
    x: (f64, f64),
    y: (f64, f64),
) -> Res
where
    DB: DrawingBackend,
    XS: AsRangedCoord<Value = f64>,
    YS: AsRangedCoord<Value = f64>,
    XS::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
    YS::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .caption(&plot.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(if plot.x_label.is_empty() { 30 } else { 45 })
        .y_label_area_size(if plot.y_label.is_empty() { 55 } else { 70 })
        .build_cartesian_2d(xs, ys)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(plot.x_label.as_str())
        .y_desc(plot.y_label.as_str())
        .bold_line_style(BLACK.mix(0.08))
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&|v| tick_label(*v, x, plot.log_x))
        .y_label_formatter(&|v| tick_label(*v, y, plot.log_y))
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 15))
        .draw()
        .map_err(err)?;

    let mut labelled = false;
    let mut k = 0; // palette index of the next coloured layer
    for layer in &plot.layers {
        match layer {
            Layer::Heatmap { z, x, y, .. } => {
                let (lo, hi) = finite_min_max(z.iter().copied());
                let span = if hi > lo { hi - lo } else { 1.0 };
                let (rows, cols) = z.dim();
                let (dx, dy) = ((x.1 - x.0) / cols as f64, (y.1 - y.0) / rows as f64);
                chart
                    .draw_series(z.indexed_iter().map(|((i, j), &v)| {
                        let x0 = x.0 + j as f64 * dx;
                        let y0 = y.0 + i as f64 * dy;
                        let color = if v.is_finite() { viridis((v - lo) / span) } else { WHITE };
                        Rectangle::new([(x0, y0), (x0 + dx, y0 + dy)], color.filled())
                    }))
                    .map_err(err)?;
            }
            Layer::Line { xs, ys, label, dashed } => {
                let color = series_color(k);
                k += 1;
                let style = color.stroke_width(2);
                let pts = finite_points(xs, ys);
                let anno = if *dashed {
                    chart.draw_series(DashedLineSeries::new(pts, 8, 5, style)).map_err(err)?
                } else {
                    chart.draw_series(LineSeries::new(pts, style)).map_err(err)?
                };
                if !label.is_empty() {
                    labelled = true;
                    anno.label(label.as_str())
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
                }
            }
            Layer::Scatter { xs, ys, label, size } => {
                let color = series_color(k);
                k += 1;
                let size = *size;
                let anno = chart
                    .draw_series(finite_points(xs, ys).map(|p| Circle::new(p, size, color.mix(0.75).filled())))
                    .map_err(err)?;
                if !label.is_empty() {
                    labelled = true;
                    anno.label(label.as_str()).legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
                }
            }
            Layer::Bars { edges, heights, label } => {
                let color = series_color(k);
                k += 1;
                let anno = chart
                    .draw_series(heights.iter().enumerate().map(|(i, &h)| {
                        Rectangle::new([(edges[i], 0.0), (edges[i + 1], h)], color.mix(0.45).filled())
                    }))
                    .map_err(err)?;
                if !label.is_empty() {
                    labelled = true;
                    anno.label(label.as_str())
                        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.45).filled()));
                }
            }
            Layer::Band { xs, lower, upper, label } => {
                let color = series_color(k);
                k += 1;
                let mut outline: Vec<(f64, f64)> = xs.iter().copied().zip(upper.iter().copied()).collect();
                outline.extend(xs.iter().copied().zip(lower.iter().copied()).rev());
                let anno = chart
                    .draw_series(std::iter::once(Polygon::new(outline, color.mix(0.22).filled())))
                    .map_err(err)?;
                if !label.is_empty() {
                    labelled = true;
                    anno.label(label.as_str())
                        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.22).filled()));
                }
            }
            Layer::Arrows { tails, heads, label } => {
                let color = if label.is_empty() {
                    GREY
                } else {
                    k += 1;
                    series_color(k - 1)
                };
                // Arrow heads are drawn in pixels so that they look the same on any axes.
                for (t, h) in tails.iter().zip(heads) {
                    let (p, q) = (chart.backend_coord(t), chart.backend_coord(h));
                    let (ux, uy) = ((q.0 - p.0) as f64, (q.1 - p.1) as f64);
                    let len = ux.hypot(uy);
                    if len < 1.0 {
                        continue;
                    }
                    let head = (6.0f64).min(0.45 * len);
                    let (ex, ey) = (ux / len, uy / len);
                    let wing = |s: f64| {
                        (
                            q.0 - (head * ex - s * 0.5 * head * ey).round() as i32,
                            q.1 - (head * ey + s * 0.5 * head * ex).round() as i32,
                        )
                    };
                    area.draw(&PathElement::new(vec![p, q], color.stroke_width(1))).map_err(err)?;
                    area.draw(&PathElement::new(vec![wing(1.0), q, wing(-1.0)], color.stroke_width(1)))
                        .map_err(err)?;
                }
                if !label.is_empty() {
                    labelled = true;
                    // An empty series carries the legend entry.
                    chart
                        .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                        .map_err(err)?
                        .label(label.as_str())
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(1)));
                }
            }
        }
    }

    let position = match plot.legend {
        Legend::UpperLeft => Some(SeriesLabelPosition::UpperLeft),
        Legend::UpperRight => Some(SeriesLabelPosition::UpperRight),
        Legend::LowerLeft => Some(SeriesLabelPosition::LowerLeft),
        Legend::LowerRight => Some(SeriesLabelPosition::LowerRight),
        Legend::Hidden => None,
    };
    if let (true, Some(position)) = (labelled, position) {
        chart
            .configure_series_labels()
            .position(position)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 13))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

fn draw_colorbar<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, lo: f64, hi: f64, label: &str) -> Res {
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let mut bar = ChartBuilder::on(area)
        .caption(label, ("sans-serif", 13))
        .margin_top(38)
        .margin_bottom(50)
        .margin_left(4)
        .right_y_label_area_size(55)
        .build_cartesian_2d(0.0..1.0, lo..hi)
        .map_err(err)?;
    bar.configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .disable_x_axis()
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(err)?;
    let n = 40;
    let step = (hi - lo) / n as f64;
    bar.draw_series((0..n).map(|i| {
        let v0 = lo + i as f64 * step;
        Rectangle::new([(0.0, v0), (1.0, v0 + step)], viridis((i as f64 + 0.5) / n as f64).filled())
    }))
    .map_err(err)?;
    Ok(())
}

#[derive(Clone, Copy)]
enum Axis {
    X,
    Y,
}

/// Every value a layer places on `axis` (bars also place their baseline 0 on y).
fn axis_values(layer: &Layer, axis: Axis) -> Vec<f64> {
    let pick = |xs: &[f64], ys: &[f64]| match axis {
        Axis::X => xs.to_vec(),
        Axis::Y => ys.to_vec(),
    };
    match layer {
        Layer::Line { xs, ys, .. } | Layer::Scatter { xs, ys, .. } => pick(xs, ys),
        Layer::Bars { edges, heights, .. } => match axis {
            Axis::X => edges.clone(),
            Axis::Y => heights.clone(),
        },
        Layer::Band { xs, lower, upper, .. } => match axis {
            Axis::X => xs.clone(),
            Axis::Y => lower.iter().chain(upper).copied().collect(),
        },
        Layer::Arrows { tails, heads, .. } => tails
            .iter()
            .chain(heads)
            .map(|p| match axis {
                Axis::X => p.0,
                Axis::Y => p.1,
            })
            .collect(),
        Layer::Heatmap { x, y, .. } => match axis {
            Axis::X => vec![x.0, x.1],
            Axis::Y => vec![y.0, y.1],
        },
    }
}

fn auto_range(plot: &Plot, axis: Axis) -> (f64, f64) {
    let log = match axis {
        Axis::X => plot.log_x,
        Axis::Y => plot.log_y,
    };
    let mut values: Vec<f64> = plot.layers.iter().flat_map(|l| axis_values(l, axis)).collect();
    if !log && matches!(axis, Axis::Y) && plot.layers.iter().any(|l| matches!(l, Layer::Bars { .. })) {
        values.push(0.0);
    }
    let (lo, hi) = finite_min_max(values.iter().copied().filter(|v| !log || *v > 0.0));
    assert!(
        lo.is_finite() && hi.is_finite(),
        "plot '{}': no finite {} values to draw",
        plot.title,
        if matches!(axis, Axis::X) { "x" } else { "y" }
    );
    let only_heatmap = plot.layers.iter().all(|l| matches!(l, Layer::Heatmap { .. }));
    if only_heatmap {
        return (lo, hi);
    }
    if log {
        let (a, b) = (lo.log10(), hi.log10());
        let pad = if b > a { 0.04 * (b - a) } else { 0.5 };
        (10f64.powf(a - pad), 10f64.powf(b + pad))
    } else {
        let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.1 * lo.abs().max(1.0) };
        (lo - pad, hi + pad)
    }
}

#[allow(clippy::neg_cmp_op_on_partial_ord)] // `!(a <= b)` is also true for NaN, which must fail
fn check_positive(plot: &Plot, axis: Axis, name: &str) {
    for layer in &plot.layers {
        if let Some(v) = axis_values(layer, axis).into_iter().find(|v| !(*v > 0.0) && !v.is_nan()) {
            panic!(
                "plot '{}': {name} needs every value on that axis > 0, got {v}; \
                 plot |value| or drop the logarithmic axis",
                plot.title
            );
        }
    }
}

/// Compact tick labels: `10` not `10.0`, `1e-4` not `0.0001`, `0` not `-2.2e-16`; on a log
/// axis spanning many decades only the labels 1·10ᵏ (or 1, 2, 5·10ᵏ) are kept.
fn tick_label(v: f64, (lo, hi): (f64, f64), log: bool) -> String {
    if log && v > 0.0 && hi > lo && lo > 0.0 {
        let decades = (hi / lo).log10();
        let m = v / 10f64.powf((v.log10() + 1e-9).floor());
        let near = |t: f64| (m - t).abs() < 1e-6 * t;
        let keep = if decades > 2.5 {
            near(1.0)
        } else if decades > 1.0 {
            near(1.0) || near(2.0) || near(5.0)
        } else {
            true
        };
        if !keep {
            return String::new();
        }
    } else if v.abs() <= 1e-9 * (hi - lo).abs() {
        return "0".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        let s = format!("{v:.1e}");
        return s.replace(".0e", "e");
    }
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn finite_min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

fn finite_points<'a>(xs: &'a [f64], ys: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + Clone + 'a {
    xs.iter()
        .copied()
        .zip(ys.iter().copied())
        .filter(|(x, y)| x.is_finite() && y.is_finite())
}

#[cfg(test)]
mod tests {
    use super::tick_label;

    #[test]
    fn tick_labels_are_compact() {
        let lin = (-10.0, 10.0);
        assert_eq!(tick_label(10.0, lin, false), "10");
        assert_eq!(tick_label(0.25, lin, false), "0.25");
        assert_eq!(tick_label(-1.5, lin, false), "-1.5");
        assert_eq!(tick_label(1e-4, (0.0, 1e-3), false), "1e-4");
        assert_eq!(tick_label(2.5e6, (0.0, 1e7), false), "2.5e6");
        assert_eq!(tick_label(-2.2e-16, lin, false), "0");
    }

    #[test]
    fn log_ticks_are_thinned_by_the_number_of_decades() {
        let wide = (1e-3, 1e6);
        assert_eq!(tick_label(100.0, wide, true), "100");
        assert_eq!(tick_label(200.0, wide, true), "");
        let mid = (0.01, 0.5);
        assert_eq!(tick_label(0.05, mid, true), "0.05");
        assert_eq!(tick_label(0.07, mid, true), "");
        assert_eq!(tick_label(0.3, (0.1, 0.5), true), "0.3");
    }
}
