//! Vector fields: the right-hand side $f$ of an ODE $\dot x = f(t, x)$.
//!
//! $$\dot x(t) = f\big(t, x(t)\big),\qquad x(0) = x_0\in\mathbb R^{\text{dim}} .$$
//!
//! Every integrator of the course takes a `&dyn VectorField`, so that one compiled integrator
//! serves every system. The classic systems ([`Lorenz`](super::Lorenz), …) implement the trait;
//! a plain `fn` item written in a notebook becomes a vector field through [`Field::new`]
//! (closures cannot outlive a notebook cell, `fn` items can).
//!
//! ## Reference
//! S. Strogatz, *Nonlinear Dynamics and Chaos* (2nd ed., 2015), §2.1 and §6.1.
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

/// The right-hand side of $\dot x = f(t, x)$.
///
/// # Examples
/// ```
/// use course::dynamics::VectorField;
/// /// Exponential growth ẋ = 2x.
/// struct Growth;
/// impl VectorField for Growth {
///     fn dim(&self) -> usize { 1 }
///     fn eval(&self, _t: f64, x: &[f64], dx: &mut [f64]) { dx[0] = 2.0 * x[0]; }
/// }
/// assert_eq!(Growth.at(0.0, &[3.0]), vec![6.0]);
/// ```
pub trait VectorField {
    /// The dimension of the state $x$.
    fn dim(&self) -> usize;

    /// Writes $f(t, x)$ into `dx` (both of length [`dim`](Self::dim)).
    fn eval(&self, t: f64, x: &[f64], dx: &mut [f64]);

    /// $f(t, x)$ as a new vector (convenient, allocates).
    ///
    /// # Panics
    /// If `x.len() != self.dim()` or `x` holds a non-finite value.
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::{Lorenz, VectorField};
    /// assert_eq!(Lorenz::classic().at(0.0, &[1.0, 0.0, 0.0]), vec![-10.0, 28.0, 0.0]);
    /// ```
    fn at(&self, t: f64, x: &[f64]) -> Vec<f64> {
        check_state("VectorField::at", "x", self.dim(), x);
        let mut dx = vec![0.0; self.dim()];
        self.eval(t, x, &mut dx);
        dx
    }
}

/// A vector field made from a plain function `f(t, x, dx)` of a notebook.
///
/// # Examples
/// ```
/// use course::dynamics::{Field, VectorField};
/// /// The harmonic oscillator ẋ = v, v̇ = −x.
/// fn oscillator(_t: f64, x: &[f64], dx: &mut [f64]) {
///     dx[0] = x[1];
///     dx[1] = -x[0];
/// }
/// let field = Field::new(2, oscillator);
/// assert_eq!(field.at(0.0, &[1.0, 0.5]), vec![0.5, -1.0]);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Field {
    dim: usize,
    f: fn(f64, &[f64], &mut [f64]),
}

impl Field {
    /// Wraps `f` as a vector field on $\mathbb R^{\text{dim}}$.
    ///
    /// # Panics
    /// If `dim == 0`.
    ///
    /// # Examples
    /// ```
    /// use course::dynamics::{Field, VectorField};
    /// fn logistic_growth(_t: f64, x: &[f64], dx: &mut [f64]) { dx[0] = x[0] * (1.0 - x[0]); }
    /// let f = Field::new(1, logistic_growth);
    /// assert_eq!(f.dim(), 1);
    /// assert_eq!(f.at(0.0, &[0.5]), vec![0.25]);
    /// ```
    pub fn new(dim: usize, f: fn(f64, &[f64], &mut [f64])) -> Self {
        assert!(dim > 0, "Field::new: dim must be > 0, got {dim}");
        Field { dim, f }
    }
}

impl VectorField for Field {
    fn dim(&self) -> usize {
        self.dim
    }
    fn eval(&self, t: f64, x: &[f64], dx: &mut [f64]) {
        (self.f)(t, x, dx)
    }
}

/// Panics with a clear message unless `x` has `dim` entries, all finite.
pub(crate) fn check_state(what: &str, name: &str, dim: usize, x: &[f64]) {
    assert_eq!(x.len(), dim, "{what}: {name} must have dim = {dim} entries (the field's dimension), got {}", x.len());
    if let Some(v) = x.iter().find(|v| !v.is_finite()) {
        panic!("{what}: {name} must be finite, found {v}");
    }
}

/// Panics with a clear message unless `value` is finite and > 0.
pub(crate) fn check_positive(what: &str, name: &str, value: f64) {
    assert!(value.is_finite() && value > 0.0, "{what}: {name} must be finite and > 0, got {value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotation(_t: f64, x: &[f64], dx: &mut [f64]) {
        dx[0] = -x[1];
        dx[1] = x[0];
    }

    #[test]
    fn a_field_is_usable_as_a_trait_object() {
        let f = Field::new(2, rotation);
        let dynf: &dyn VectorField = &f;
        // The rotation field is orthogonal to the position: ⟨f(x), x⟩ = 0.
        let x = [0.3, -1.7];
        let dx = dynf.at(0.0, &x);
        assert_eq!(dx[0] * x[0] + dx[1] * x[1], 0.0);
    }

    #[test]
    #[should_panic(expected = "x must have dim = 2 entries")]
    fn wrong_state_length_is_named() {
        Field::new(2, rotation).at(0.0, &[1.0]);
    }
}
