//! Factors: nonnegative tables over a few discrete variables, with product, summing out and
//! reduction by evidence — the algebra of exact inference.
//!
//! A factor $\phi(x_{v_1},\dots,x_{v_k})$ is stored row-major (first variable slowest). Its
//! product and marginal are
//! $$(\phi\psi)(x_{A\cup B}) = \phi(x_A)\,\psi(x_B),\qquad \Big(\sum_{x_v}\phi\Big)(x_{A\setminus v}) = \sum_{x_v}\phi(x_A).$$
//!
//! ## Reference
//! D. Koller & N. Friedman, *Probabilistic Graphical Models* (2009), §4.2.1 and ch. 9.
//!
//! Used in notebooks/21-bayesian-networks.ipynb.

/// A table over the variables `vars` (global indices) with cardinalities `card`.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// The variables, in table order (first slowest).
    pub vars: Vec<usize>,
    /// Their cardinalities.
    pub card: Vec<usize>,
    /// $\prod_k$ `card[k]` values, row-major.
    pub values: Vec<f64>,
}

impl Factor {
    /// A factor from its table.
    ///
    /// # Panics
    /// If the lengths disagree, a variable repeats, a cardinality is 0, or a value is negative
    /// or not finite.
    ///
    /// # Examples
    /// ```
    /// use course::graphical::Factor;
    /// let f = Factor::new(vec![0, 1], vec![2, 3], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    /// assert_eq!(f.value(&[1, 2]), 6.0);
    /// ```
    pub fn new(vars: Vec<usize>, card: Vec<usize>, values: Vec<f64>) -> Self {
        assert_eq!(vars.len(), card.len(), "vars and card must have the same length, got {} and {}", vars.len(), card.len());
        for (i, v) in vars.iter().enumerate() {
            assert!(!vars[..i].contains(v), "variable {v} appears twice in the factor");
        }
        assert!(card.iter().all(|&c| c > 0), "cardinalities must be > 0, got {card:?}");
        let size: usize = card.iter().product();
        assert_eq!(values.len(), size, "a factor over cardinalities {card:?} needs {size} values, got {}", values.len());
        assert!(values.iter().all(|v| v.is_finite() && *v >= 0.0), "factor values must be finite and >= 0");
        Factor { vars, card, values }
    }

    /// The constant factor (no variables) with value `value`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(course::graphical::Factor::scalar(2.5).values, vec![2.5]);
    /// ```
    pub fn scalar(value: f64) -> Self {
        Factor::new(Vec::new(), Vec::new(), vec![value])
    }

    /// The flat index of an assignment (one value per variable, in `vars` order).
    fn index(&self, assignment: &[usize]) -> usize {
        assignment.iter().zip(&self.card).fold(0, |acc, (&x, &c)| acc * c + x)
    }

    /// The assignment of flat index `idx`.
    fn assignment(&self, mut idx: usize) -> Vec<usize> {
        let mut a = vec![0; self.vars.len()];
        for k in (0..self.vars.len()).rev() {
            a[k] = idx % self.card[k];
            idx /= self.card[k];
        }
        a
    }

    /// The value at an assignment (one value per variable, in `vars` order).
    ///
    /// # Panics
    /// If the assignment has the wrong length or a value out of range.
    pub fn value(&self, assignment: &[usize]) -> f64 {
        assert_eq!(assignment.len(), self.vars.len(), "need one value per variable ({}), got {}", self.vars.len(), assignment.len());
        for (k, (&x, &c)) in assignment.iter().zip(&self.card).enumerate() {
            assert!(x < c, "variable {} has {c} values, got value {x}", self.vars[k]);
        }
        self.values[self.index(assignment)]
    }

    /// $(\phi\psi)(x_{A\cup B}) = \phi(x_A)\psi(x_B)$, over `self`'s variables then `other`'s new ones.
    ///
    /// # Panics
    /// If a shared variable has different cardinalities.
    ///
    /// # Examples
    /// ```
    /// use course::graphical::Factor;
    /// let a = Factor::new(vec![0], vec![2], vec![0.3, 0.7]);
    /// let b = Factor::new(vec![0, 1], vec![2, 2], vec![0.9, 0.1, 0.2, 0.8]);
    /// let j = a.product(&b);
    /// assert!((j.value(&[1, 1]) - 0.56).abs() < 1e-15);
    /// ```
    pub fn product(&self, other: &Factor) -> Factor {
        let mut vars = self.vars.clone();
        let mut card = self.card.clone();
        for (k, &v) in other.vars.iter().enumerate() {
            match vars.iter().position(|&u| u == v) {
                Some(p) => assert_eq!(card[p], other.card[k], "variable {v} has cardinality {} in one factor and {} in the other", card[p], other.card[k]),
                None => {
                    vars.push(v);
                    card.push(other.card[k]);
                }
            }
        }
        let pos: Vec<usize> = other.vars.iter().map(|v| vars.iter().position(|u| u == v).expect("merged")).collect();
        let mut out = Factor { vars, card, values: Vec::new() };
        let size: usize = out.card.iter().product();
        let n_self = self.vars.len();
        out.values = (0..size)
            .map(|idx| {
                let a = out.assignment(idx);
                let b: Vec<usize> = pos.iter().map(|&p| a[p]).collect();
                self.values[self.index(&a[..n_self])] * other.values[other.index(&b)]
            })
            .collect();
        out
    }

    /// $\sum_{x_v}\phi$: the factor with variable `var` summed out (unchanged if absent).
    ///
    /// # Examples
    /// ```
    /// use course::graphical::Factor;
    /// let f = Factor::new(vec![0, 1], vec![2, 2], vec![0.1, 0.2, 0.3, 0.4]);
    /// assert_eq!(f.sum_out(0).values, vec![0.1 + 0.3, 0.2 + 0.4]);
    /// ```
    pub fn sum_out(&self, var: usize) -> Factor {
        let Some(p) = self.vars.iter().position(|&v| v == var) else { return self.clone() };
        let mut vars = self.vars.clone();
        let mut card = self.card.clone();
        vars.remove(p);
        card.remove(p);
        let mut out = Factor { values: vec![0.0; card.iter().product()], vars, card };
        for idx in 0..self.values.len() {
            let mut a = self.assignment(idx);
            a.remove(p);
            let j = out.index(&a);
            out.values[j] += self.values[idx];
        }
        out
    }

    /// The factor with `var` fixed to `value` (evidence), `var` dropped (unchanged if absent).
    ///
    /// # Panics
    /// If `value` is out of range for `var`.
    ///
    /// # Examples
    /// ```
    /// use course::graphical::Factor;
    /// let f = Factor::new(vec![0, 1], vec![2, 2], vec![0.1, 0.2, 0.3, 0.4]);
    /// assert_eq!(f.reduce(1, 0).values, vec![0.1, 0.3]);
    /// ```
    pub fn reduce(&self, var: usize, value: usize) -> Factor {
        let Some(p) = self.vars.iter().position(|&v| v == var) else { return self.clone() };
        assert!(value < self.card[p], "variable {var} has {} values, got evidence value {value}", self.card[p]);
        let mut vars = self.vars.clone();
        let mut card = self.card.clone();
        vars.remove(p);
        card.remove(p);
        let values = (0..self.values.len())
            .filter(|&idx| self.assignment(idx)[p] == value)
            .map(|idx| self.values[idx])
            .collect();
        Factor { vars, card, values }
    }

    /// The values divided by their sum.
    ///
    /// # Panics
    /// If the sum is 0.
    ///
    /// # Examples
    /// ```
    /// let f = course::graphical::Factor::new(vec![3], vec![2], vec![1.0, 3.0]).normalized();
    /// assert_eq!(f.values, vec![0.25, 0.75]);
    /// ```
    pub fn normalized(&self) -> Factor {
        let z: f64 = self.values.iter().sum();
        assert!(z > 0.0, "cannot normalize a factor whose values sum to 0");
        Factor { values: self.values.iter().map(|v| v / z).collect(), ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_factor(vars: Vec<usize>, card: Vec<usize>, seed: u64) -> Factor {
        let n = card.iter().product();
        Factor::new(vars, card, crate::rng::uniform_vec(&mut crate::rng::seeded(seed), n, 0.0, 1.0))
    }

    #[test]
    fn product_is_pointwise_and_commutes_up_to_order() {
        let a = random_factor(vec![2, 0], vec![3, 2], 1);
        let b = random_factor(vec![0, 5], vec![2, 4], 2);
        let ab = a.product(&b);
        let ba = b.product(&a);
        assert_eq!(ab.vars, vec![2, 0, 5]);
        for x2 in 0..3 {
            for x0 in 0..2 {
                for x5 in 0..4 {
                    let v = a.value(&[x2, x0]) * b.value(&[x0, x5]);
                    assert_eq!(ab.value(&[x2, x0, x5]), v);
                    assert_eq!(ba.value(&[x0, x5, x2]), v);
                }
            }
        }
    }

    #[test]
    fn summing_out_everything_gives_the_total_and_order_does_not_matter() {
        let f = random_factor(vec![1, 4, 7], vec![2, 3, 2], 3);
        let total: f64 = f.values.iter().sum();
        let a = f.sum_out(4).sum_out(1).sum_out(7);
        let b = f.sum_out(7).sum_out(4).sum_out(1);
        assert!((a.values[0] - total).abs() < 1e-12 && (b.values[0] - total).abs() < 1e-12);
        // reduce then sum = slice sum
        let r = f.reduce(4, 2);
        assert_eq!(r.vars, vec![1, 7]);
        assert_eq!(r.value(&[1, 0]), f.value(&[1, 2, 0]));
    }

    #[test]
    #[should_panic(expected = "needs 6 values, got 5")]
    fn wrong_table_size_is_named() {
        Factor::new(vec![0, 1], vec![2, 3], vec![0.0; 5]);
    }
}
