//! Exercises of notebooks/20-boltzmann-machines-and-energy-models.ipynb.

use super::{Feedback, close, vec_close};
use crate::graphical::{Ising, Rbm};

fn heat_bath(lattice: &Ising, beta: f64, factor: f64, periodic: bool) -> Vec<f64> {
    let l = lattice.side;
    let s = |r: isize, c: isize| -> f64 {
        if !periodic && (r < 0 || c < 0 || r >= l as isize || c >= l as isize) {
            return 0.0;
        }
        let (r, c) = (r.rem_euclid(l as isize) as usize, c.rem_euclid(l as isize) as usize);
        lattice.spins[r * l + c] as f64
    };
    (0..l * l)
        .map(|i| {
            let (r, c) = ((i / l) as isize, (i % l) as isize);
            let h = s(r + 1, c) + s(r - 1, c) + s(r, c + 1) + s(r, c - 1);
            1.0 / (1.0 + (-factor * beta * h).exp())
        })
        .collect()
}

/// Exercise 20.1: the heat-bath probabilities $P(s_i = +1\mid s_{-i}) = 1/(1+e^{-2\beta h_i})$ of
/// every site of `lattice` (row-major), with periodic neighbours.
///
/// # Examples
/// ```
/// use course::graphical::Ising;
/// let s = Ising::ordered(4);
/// let p = vec![1.0 / (1.0 + (-8.0f64 * 0.5).exp()); 16];
/// assert!(course::exercises::nb20::check_q1(&s, 0.5, &p).is_correct());
/// ```
pub fn check_q1(lattice: &Ising, beta: f64, probs: &[f64]) -> Feedback {
    let ex = "20.1";
    let n = lattice.spins.len();
    if probs.len() != n {
        return Feedback::wrong(ex, format!("one probability per site: expected {n}, got {}.", probs.len()));
    }
    let expected = heat_bath(lattice, beta, 2.0, true);
    if vec_close(probs, &expected, 1e-9) {
        return Feedback::correct(ex, "P(+1 | h) = σ(2βh): flipping s_i changes the energy by 2 s_i h_i, hence the 2.");
    }
    if vec_close(probs, &heat_bath(lattice, beta, 1.0, true), 1e-9) {
        return Feedback::wrong(ex, "the factor 2 is missing: E(+1) − E(−1) = −2h, so the odds are e^{2βh}, not e^{βh}.");
    }
    if vec_close(probs, &heat_bath(lattice, beta, -2.0, true), 1e-9) {
        return Feedback::wrong(ex, "the sign is flipped: aligned with its neighbours (h > 0) a spin should prefer +1.");
    }
    if vec_close(probs, &heat_bath(lattice, beta, 2.0, false), 1e-9) {
        return Feedback::wrong(ex, "the edges must wrap around (periodic lattice): use (r + 1) % L and (r + L − 1) % L.");
    }
    let worst = (0..n).max_by(|&a, &b| (probs[a] - expected[a]).abs().total_cmp(&(probs[b] - expected[b]).abs())).unwrap_or(0);
    Feedback::wrong(ex, format!(
        "site {worst} (row {}, column {}): expected {:.6}, got {:.6}. h_i is the sum of the four neighbours.",
        worst / lattice.side, worst % lattice.side, expected[worst], probs[worst]
    ))
}

/// Exercise 20.2: the free energy $F(v) = -b^\top v - \sum_j \log(1 + e^{c_j + (W^\top v)_j})$.
///
/// # Examples
/// ```
/// use course::ndarray::array;
/// let r = course::graphical::Rbm { w: array![[2.0]], b: array![1.0], c: array![-1.0] };
/// let f = -1.0 - (1.0 + 1f64.exp()).ln();
/// assert!(course::exercises::nb20::check_q2(&r, &[1.0], f).is_correct());
/// ```
pub fn check_q2(rbm: &Rbm, v: &[f64], free_energy: f64) -> Feedback {
    let ex = "20.2";
    let expected = rbm.free_energy(v);
    if close(free_energy, expected, 1e-9) {
        return Feedback::correct(ex, format!("F(v) = {expected:.6}; p(v) = e^(−F(v))/Z, so a lower free energy means a more likely pattern."));
    }
    let vv = ndarray::ArrayView1::from(v);
    let act = &rbm.c + &rbm.w.t().dot(&vv);
    let bias = rbm.b.dot(&vv);
    let sp: f64 = act.iter().map(|&a| crate::graphical::softplus(a)).sum();
    if close(free_energy, -expected, 1e-9) {
        return Feedback::wrong(ex, "the sign is flipped: F(v) = −log Σ_h e^(−E(v,h)), and −F is the unnormalized log-probability.");
    }
    if close(free_energy, -sp, 1e-9) {
        return Feedback::wrong(ex, "the visible-bias term −bᵀv is missing.");
    }
    let no_c: f64 = rbm.w.t().dot(&vv).iter().map(|&a| crate::graphical::softplus(a)).sum();
    if close(free_energy, -bias - no_c, 1e-9) {
        return Feedback::wrong(ex, "the hidden biases c_j belong inside the softplus: log(1 + e^(c_j + (Wᵀv)_j)).");
    }
    let sig: f64 = act.iter().map(|&a| 1.0 / (1.0 + (-a).exp())).sum();
    if close(free_energy, -bias - sig, 1e-9) {
        return Feedback::wrong(ex, "summing over h_j ∈ {0, 1} gives log(1 + e^a) (softplus), not the sigmoid 1/(1 + e^(−a)).");
    }
    if close(free_energy, -bias - act.sum(), 1e-9) {
        return Feedback::wrong(ex, "that is the energy at h = 1 for every unit; F sums over h: log(1 + e^a), not a.");
    }
    Feedback::wrong(ex, format!("expected F(v) = {expected:.6}, got {free_energy:.6}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q1_names_the_usual_slips() {
        let s = Ising::random(4, &mut crate::rng::seeded(3));
        let beta = 0.4;
        assert!(check_q1(&s, beta, &heat_bath(&s, beta, 2.0, true)).is_correct());
        assert!(check_q1(&s, beta, &heat_bath(&s, beta, 1.0, true)).message.contains("factor 2"));
        assert!(check_q1(&s, beta, &heat_bath(&s, beta, -2.0, true)).message.contains("sign"));
        assert!(check_q1(&s, beta, &heat_bath(&s, beta, 2.0, false)).message.contains("periodic"));
        // oracle: the heat-bath probability is the ratio of Boltzmann weights
        let mut up = s.clone();
        let mut down = s.clone();
        up.spins[5] = 1;
        down.spins[5] = -1;
        let p = 1.0 / (1.0 + (-beta * (down.energy() - up.energy())).exp());
        assert!((heat_bath(&s, beta, 2.0, true)[5] - p).abs() < 1e-12);
    }

    #[test]
    fn q2_names_the_usual_slips() {
        let mut rng = crate::rng::seeded(4);
        let mut r = Rbm::new(5, 3, &mut rng);
        r.b = ndarray::Array1::from(crate::rng::normal_vec(&mut rng, 5));
        r.c = ndarray::Array1::from(crate::rng::normal_vec(&mut rng, 3));
        let v = [1.0, 0.0, 1.0, 1.0, 0.0];
        let f = r.free_energy(&v);
        assert!(check_q2(&r, &v, f).is_correct());
        assert!(check_q2(&r, &v, -f).message.contains("sign"));
        let bias = r.b.dot(&ndarray::ArrayView1::from(&v[..]));
        assert!(check_q2(&r, &v, f + bias).message.contains("visible-bias"));
    }
}
