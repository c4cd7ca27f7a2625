//! A picture of a Bayesian network: nodes as labelled points, edges as arrows parent → child.
//!
//! Used in notebooks/21-bayesian-networks.ipynb.

use super::BayesNet;
use crate::plot::Plot;

/// A [`Plot`] of `net` with node `i` drawn at `positions[i]`: one coloured point per node (its
/// name in the legend) and an arrow from each parent to each child, stopped short of the nodes.
///
/// # Panics
/// If `positions` does not have one entry per node, or the network is empty.
///
/// # Examples
/// ```
/// let net = course::graphical::sprinkler();
/// let p = course::graphical::network_plot(&net, &[(1.0, 2.0), (0.0, 1.0), (2.0, 1.0), (1.0, 0.0)], "Sprinkler");
/// let svg = p.render().svg().to_owned();
/// assert!(svg.contains("sprinkler") && svg.contains("wet"));
/// ```
pub fn network_plot(net: &BayesNet, positions: &[(f64, f64)], title: &str) -> Plot {
    assert!(!net.is_empty(), "network_plot: the network has no nodes");
    assert_eq!(positions.len(), net.len(), "network_plot: need one position per node ({}), got {}", net.len(), positions.len());
    let (mut tails, mut vecs) = (Vec::new(), Vec::new());
    for (child, parents) in net.parents.iter().enumerate() {
        for &p in parents {
            let (a, b) = (positions[p], positions[child]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let len = dx.hypot(dy);
            let shrink = if len > 0.0 { (0.12 / len).min(0.4) } else { 0.0 };
            tails.push((a.0 + shrink * dx, a.1 + shrink * dy));
            vecs.push((dx * (1.0 - 2.0 * shrink), dy * (1.0 - 2.0 * shrink)));
        }
    }
    let xs: Vec<f64> = positions.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = positions.iter().map(|p| p.1).collect();
    let pad = 0.4;
    let (x0, x1) = (xs.iter().cloned().fold(f64::INFINITY, f64::min) - pad, xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max) + pad);
    let (y0, y1) = (ys.iter().cloned().fold(f64::INFINITY, f64::min) - pad, ys.iter().cloned().fold(f64::NEG_INFINITY, f64::max) + pad);
    let mut plot = Plot::new(title).x_range(x0, x1 + 1.2).y_range(y0, y1).arrows(&tails, &vecs, "");
    for (i, name) in net.names.iter().enumerate() {
        plot = plot.scatter(&[positions[i].0], &[positions[i].1], name);
    }
    plot
}
