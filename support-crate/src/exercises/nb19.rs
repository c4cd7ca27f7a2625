//! Exercises of notebooks/19-hidden-variables-and-em.ipynb.

use super::{Feedback, vec_close};
use crate::mixture::Gmm;
use ndarray::{Array2, Axis};

fn flat(a: &Array2<f64>) -> Vec<f64> {
    a.iter().cloned().collect()
}

/// Exercise 19.1: the responsibilities $r_{ik}=\pi_k\mathcal N(x_i;\mu_k,\Sigma_k)/\sum_j\pi_j\mathcal N(x_i;\mu_j,\Sigma_j)$
/// of `model` for the rows of `x`, computed by hand (`resp` is `n × K`).
///
/// # Examples
/// ```
/// use course::mixture::Gmm;
/// use course::ndarray::{array, Array2};
/// let g = Gmm::new(vec![0.5, 0.5], array![[-1.0, 0.0], [1.0, 0.0]], vec![Array2::eye(2), Array2::eye(2)]);
/// let x = array![[0.0, 0.0]];
/// assert!(course::exercises::nb19::check_q1(&g, &x, &array![[0.5, 0.5]]).is_correct());
/// ```
pub fn check_q1(model: &Gmm, x: &Array2<f64>, resp: &Array2<f64>) -> Feedback {
    let ex = "19.1";
    let expected = model.responsibilities(x);
    if resp.dim() != expected.dim() {
        return Feedback::wrong(ex, format!("resp must be n × K = {:?}, got {:?}.", expected.dim(), resp.dim()));
    }
    if vec_close(&flat(resp), &flat(&expected), 1e-9) {
        return Feedback::correct(ex, "each row is the posterior of the hidden label given the point: Bayes' rule with prior π_k.");
    }
    let row_sums = resp.sum_axis(Axis(1));
    let joint = model.log_joint(x).mapv(f64::exp);
    if vec_close(&flat(resp), &flat(&joint), 1e-9) {
        return Feedback::wrong(ex, "these are the joint densities π_k N(x_i; μ_k, Σ_k): divide each row by its sum p(x_i).");
    }
    if vec_close(&flat(resp), &flat(&model.log_joint(x)), 1e-9) {
        return Feedback::wrong(ex, "these are log densities: exponentiate (after subtracting the row maximum) and normalize each row.");
    }
    let equal = Gmm { weights: vec![1.0 / model.k() as f64; model.k()], ..model.clone() };
    if vec_close(&flat(resp), &flat(&equal.responsibilities(x)), 1e-9) {
        return Feedback::wrong(ex, "the mixing weights π_k are missing: multiply each Gaussian density by its π_k before normalizing.");
    }
    if row_sums.iter().any(|s| (s - 1.0).abs() > 1e-9) {
        return Feedback::wrong(ex, "each row of responsibilities must sum to 1 (a distribution over the K labels).");
    }
    Feedback::wrong(ex, format!("rows sum to 1 but differ from the posterior; e.g. row 0 should be {:.6}.", expected.row(0)))
}

/// Exercise 19.2: the M-step means $\mu_k=\sum_ir_{ik}x_i/\sum_ir_{ik}$ (`means` is `K × 2`).
///
/// # Panics
/// If `resp` is not `n × K` for `x` of `n` rows.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let x = array![[0.0, 0.0], [2.0, 0.0]];
/// let r = array![[1.0, 0.0], [0.5, 0.5]];
/// assert!(course::exercises::nb19::check_q2(&x, &r, &array![[2.0 / 3.0, 0.0], [2.0, 0.0]]).is_correct());
/// ```
pub fn check_q2(x: &Array2<f64>, resp: &Array2<f64>, means: &Array2<f64>) -> Feedback {
    let ex = "19.2";
    assert!(resp.nrows() == x.nrows(), "resp must have one row per point: {} rows, got {}", x.nrows(), resp.nrows());
    let nk = resp.sum_axis(Axis(0));
    let k = resp.ncols();
    let expected = Array2::from_shape_fn((k, x.ncols()), |(j, d)| resp.column(j).dot(&x.column(d)) / nk[j]);
    if means.dim() != expected.dim() {
        return Feedback::wrong(ex, format!("means must be K × dim = {:?}, got {:?}.", expected.dim(), means.dim()));
    }
    if vec_close(&flat(means), &flat(&expected), 1e-9) {
        return Feedback::correct(ex, "μ_k is the responsibility-weighted average of the data: the ELBO's maximizer for fixed q.");
    }
    let n = x.nrows() as f64;
    let by_n = Array2::from_shape_fn((k, x.ncols()), |(j, d)| resp.column(j).dot(&x.column(d)) / n);
    if vec_close(&flat(means), &flat(&by_n), 1e-9) {
        return Feedback::wrong(ex, "divided by n: the weighted sum must be divided by N_k = Σ_i r_ik, the effective number of points in component k.");
    }
    let overall = x.mean_axis(Axis(0)).expect("x has rows");
    if (0..k).all(|j| vec_close(&means.row(j).to_vec(), &overall.to_vec(), 1e-9)) {
        return Feedback::wrong(ex, "every mean is the plain average of the data: weight each point by its responsibility r_ik.");
    }
    let hard: Vec<usize> = resp.rows().into_iter().map(|r| (0..k).fold(0, |b, j| if r[j] > r[b] { j } else { b })).collect();
    let hard_means = Array2::from_shape_fn((k, x.ncols()), |(j, d)| {
        let idx: Vec<usize> = (0..hard.len()).filter(|&i| hard[i] == j).collect();
        if idx.is_empty() { f64::NAN } else { idx.iter().map(|&i| x[[i, d]]).sum::<f64>() / idx.len() as f64 }
    });
    if vec_close(&flat(means), &flat(&hard_means), 1e-9) {
        return Feedback::wrong(ex, "these are k-means' hard-assignment means; EM uses the soft responsibilities r_ik.");
    }
    Feedback::wrong(ex, format!("expected μ = {expected:.4}, got {means:.4}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn model() -> Gmm {
        Gmm::new(vec![0.2, 0.8], array![[-1.0, 0.0], [1.0, 0.5]], vec![Array2::eye(2), array![[0.5, 0.1], [0.1, 0.7]]])
    }

    #[test]
    fn q1_names_the_slips() {
        let g = model();
        let x = array![[0.0, 0.0], [1.0, 1.0], [-2.0, 0.3]];
        assert!(check_q1(&g, &x, &g.responsibilities(&x)).is_correct());
        assert!(check_q1(&g, &x, &g.log_joint(&x).mapv(f64::exp)).message.contains("divide each row"));
        let eq = Gmm { weights: vec![0.5, 0.5], ..g.clone() };
        assert!(check_q1(&g, &x, &eq.responsibilities(&x)).message.contains("mixing weights"));
    }

    #[test]
    fn q2_names_the_slips() {
        let g = model();
        let x = array![[0.0, 0.0], [1.0, 1.0], [-2.0, 0.3], [0.5, -0.5]];
        let r = g.responsibilities(&x);
        let right = g.m_step(&x, &r, crate::mixture::EmMode::MeansOnly).means;
        assert!(check_q2(&x, &r, &right).is_correct());
        let n = x.nrows() as f64;
        let nk = r.sum_axis(Axis(0));
        let by_n = Array2::from_shape_fn((2, 2), |(j, d)| right[[j, d]] * nk[j] / n);
        assert!(check_q2(&x, &r, &by_n).message.contains("N_k"));
        let m = x.mean_axis(Axis(0)).unwrap();
        let overall = Array2::from_shape_fn((2, 2), |(_, d)| m[d]);
        assert!(check_q2(&x, &r, &overall).message.contains("plain average"));
    }
}
