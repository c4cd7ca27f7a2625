//! Reverse mode: record the computation on a tape, then sweep it backwards.
//!
//! Every operation appends a node that remembers its (at most two) parents and the local
//! partial derivatives $\partial v_i/\partial v_p$. The backward sweep starts from
//! $\bar v_{\rm out} = 1$ and visits the nodes in reverse order, applying the chain rule
//! $$\bar v_p \mathrel{+}= \frac{\partial v_i}{\partial v_p}\,\bar v_i ,$$
//! so that at the end $\bar v_j = \partial f/\partial v_j$ for *every* node $j$, inputs included:
//! the whole gradient for the price of one forward and one backward pass, whatever the number
//! of inputs. This is backpropagation.
//!
//! ## Reference
//! A. Griewank & A. Walther, *Evaluating Derivatives* (2008), §3.2–3.3; A. Karpathy,
//! *micrograd* (2020); Baydin et al. (2018), *Automatic differentiation in machine learning:
//! a survey*, §3.2.
//!
//! Used in notebooks/06-automatic-differentiation.ipynb.

use super::Scalar;
use std::cell::RefCell;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// One recorded operation: its parents and the local partial derivatives with respect to them
/// (only the first `arity` entries are used: 0 for an input or a constant, 1 or 2 otherwise).
#[derive(Clone, Copy, Debug)]
struct Node {
    arity: usize,
    parents: [usize; 2],
    partials: [f64; 2],
}

/// The tape (Wengert list) of a computation.
///
/// # Examples
/// ```
/// use course::autodiff::{Scalar, Tape};
/// let tape = Tape::new();
/// let (x, y) = (tape.var(2.0), tape.var(3.0));
/// let z = x * y + x.sin();
/// let g = z.backward();
/// assert_eq!(g.wrt(x), 3.0 + 2f64.cos()); // ∂z/∂x = y + cos x
/// assert_eq!(g.wrt(y), 2.0);              // ∂z/∂y = x
/// assert_eq!(tape.len(), 5);              // x, y, x·y, sin x, the sum
/// ```
#[derive(Debug, Default)]
pub struct Tape {
    nodes: RefCell<Vec<Node>>,
}

/// A number recorded on a [`Tape`]: its value and its position on the tape.
///
/// # Examples
/// ```
/// use course::autodiff::{Scalar, Tape};
/// let tape = Tape::new();
/// let x = tape.var(0.5);
/// let y = (x * 2.0).exp();           // e^{2x}
/// assert_eq!(y.value(), 1f64.exp());
/// assert_eq!(y.backward().wrt(x), 2.0 * 1f64.exp());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Var<'t> {
    tape: &'t Tape,
    index: usize,
    value: f64,
}

/// The adjoints $\bar v_j = \partial f/\partial v_j$ of every node, after a backward sweep.
///
/// # Examples
/// ```
/// use course::autodiff::Tape;
/// let tape = Tape::new();
/// let v = tape.vars(&[1.0, 2.0, 3.0]);
/// let f = v[0] * v[1] * v[2];
/// assert_eq!(f.backward().wrt_all(&v), vec![6.0, 3.0, 2.0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients {
    adjoints: Vec<f64>,
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Self {
        Tape::default()
    }

    /// A new input (a leaf) with value `value`.
    pub fn var(&self, value: f64) -> Var<'_> {
        self.push(value, 0, [0, 0], [0.0, 0.0])
    }

    /// New inputs, one per entry of `values`.
    pub fn vars(&self, values: &[f64]) -> Vec<Var<'_>> {
        values.iter().map(|&v| self.var(v)).collect()
    }

    /// Number of recorded nodes (inputs, constants and operations).
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// True if nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&self, value: f64, arity: usize, parents: [usize; 2], partials: [f64; 2]) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        let index = nodes.len();
        nodes.push(Node { arity, parents, partials });
        Var { tape: self, index, value }
    }
}

impl<'t> Var<'t> {
    /// The value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// An operation with one parent (`self`) and local derivative `partial`.
    fn unary(self, value: f64, partial: f64) -> Var<'t> {
        self.tape.push(value, 1, [self.index, self.index], [partial, 0.0])
    }

    /// An operation with parents `self`, `other` and local derivatives `da`, `db`.
    fn binary(self, other: Var<'t>, value: f64, da: f64, db: f64) -> Var<'t> {
        assert!(std::ptr::eq(self.tape, other.tape), "Var: both operands must live on the same tape");
        self.tape.push(value, 2, [self.index, other.index], [da, db])
    }

    /// The backward sweep from this node: $\bar v = 1$ here, then the chain rule in reverse
    /// tape order.
    pub fn backward(&self) -> Gradients {
        let nodes = self.tape.nodes.borrow();
        let mut adjoints = vec![0.0; nodes.len()];
        adjoints[self.index] = 1.0;
        for i in (0..=self.index).rev() {
            let node = nodes[i];
            for k in 0..node.arity {
                adjoints[node.parents[k]] += node.partials[k] * adjoints[i];
            }
        }
        Gradients { adjoints }
    }
}

impl Gradients {
    /// $\partial f/\partial v$ for the recorded number `v`.
    pub fn wrt(&self, v: Var<'_>) -> f64 {
        self.adjoints[v.index]
    }

    /// $\partial f/\partial v_i$ for each of `vs`.
    pub fn wrt_all(&self, vs: &[Var<'_>]) -> Vec<f64> {
        vs.iter().map(|&v| self.wrt(v)).collect()
    }
}

impl<'t> Add for Var<'t> {
    type Output = Var<'t>;
    fn add(self, o: Var<'t>) -> Var<'t> {
        self.binary(o, self.value + o.value, 1.0, 1.0)
    }
}

impl<'t> Sub for Var<'t> {
    type Output = Var<'t>;
    fn sub(self, o: Var<'t>) -> Var<'t> {
        self.binary(o, self.value - o.value, 1.0, -1.0)
    }
}

impl<'t> Mul for Var<'t> {
    type Output = Var<'t>;
    fn mul(self, o: Var<'t>) -> Var<'t> {
        self.binary(o, self.value * o.value, o.value, self.value)
    }
}

impl<'t> Div for Var<'t> {
    type Output = Var<'t>;
    fn div(self, o: Var<'t>) -> Var<'t> {
        self.binary(o, self.value / o.value, 1.0 / o.value, -self.value / (o.value * o.value))
    }
}

impl<'t> Neg for Var<'t> {
    type Output = Var<'t>;
    fn neg(self) -> Var<'t> {
        self.unary(-self.value, -1.0)
    }
}

impl<'t> Add<f64> for Var<'t> {
    type Output = Var<'t>;
    fn add(self, c: f64) -> Var<'t> {
        self.unary(self.value + c, 1.0)
    }
}

impl<'t> Sub<f64> for Var<'t> {
    type Output = Var<'t>;
    fn sub(self, c: f64) -> Var<'t> {
        self.unary(self.value - c, 1.0)
    }
}

impl<'t> Mul<f64> for Var<'t> {
    type Output = Var<'t>;
    fn mul(self, c: f64) -> Var<'t> {
        self.unary(self.value * c, c)
    }
}

impl<'t> Div<f64> for Var<'t> {
    type Output = Var<'t>;
    fn div(self, c: f64) -> Var<'t> {
        self.unary(self.value / c, 1.0 / c)
    }
}

impl<'t> Scalar for Var<'t> {
    fn value(&self) -> f64 {
        self.value
    }
    fn constant(&self, c: f64) -> Self {
        self.tape.var(c)
    }
    fn sin(self) -> Self {
        self.unary(self.value.sin(), self.value.cos())
    }
    fn cos(self) -> Self {
        self.unary(self.value.cos(), -self.value.sin())
    }
    fn exp(self) -> Self {
        let e = self.value.exp();
        self.unary(e, e)
    }
    fn ln(self) -> Self {
        self.unary(self.value.ln(), 1.0 / self.value)
    }
    fn tanh(self) -> Self {
        let t = self.value.tanh();
        self.unary(t, 1.0 - t * t)
    }
    fn sqrt(self) -> Self {
        let s = self.value.sqrt();
        self.unary(s, 0.5 / s)
    }
    fn powi(self, n: i32) -> Self {
        self.unary(self.value.powi(n), f64::from(n) * self.value.powi(n - 1))
    }
}

/// The gradient $\nabla f(x)$ by reverse mode: one recorded forward pass, one backward sweep.
///
/// # Examples
/// ```
/// use course::autodiff::{gradient_reverse, Scalar};
/// let g = gradient_reverse(|x| x[0] * x[1] * x[1], &[2.0, 3.0]);
/// assert_eq!(g, vec![9.0, 12.0]); // (y², 2xy)
/// // A function written once for any Scalar works too:
/// fn norm2<S: Scalar>(x: &[S]) -> S { x.iter().skip(1).fold(x[0] * x[0], |s, &v| s + v * v) }
/// assert_eq!(gradient_reverse(|x| norm2(x), &[1.0, -2.0]), vec![2.0, -4.0]);
/// ```
pub fn gradient_reverse(f: impl for<'t> Fn(&[Var<'t>]) -> Var<'t>, x: &[f64]) -> Vec<f64> {
    let tape = Tape::new();
    let vars = tape.vars(x);
    f(&vars).backward().wrt_all(&vars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autodiff::{Dual, gradient_forward};

    /// The same function for any Scalar: exercises every operation of the tape.
    fn mixed<S: Scalar>(x: &[S]) -> S {
        let a = (x[0] * x[1] - x[2]) / (x[1] * x[1] + 1.0);
        let b = (x[2] * 0.5).exp().ln() + x[0].tanh() * x[1].cos() - (x[0] * x[0] + 1.0).sqrt();
        let c = (-x[1]).sigmoid() * x[2].powi(3) - x[0] / 3.0 + (x[2] - 0.1).relu();
        a + b * c + x[0].constant(2.0)
    }

    #[test]
    fn reverse_equals_forward_on_every_operation() {
        // Oracle: forward mode with dual numbers, an independent implementation.
        for x in [[0.3, -1.2, 0.8], [1.5, 0.4, -0.7]] {
            let rev = gradient_reverse(|v| mixed(v), &x);
            let fwd = gradient_forward(|d: &[Dual]| mixed(d), &x);
            for i in 0..3 {
                assert!((rev[i] - fwd[i]).abs() < 1e-14, "x = {x:?}, i = {i}: {} vs {}", rev[i], fwd[i]);
            }
        }
    }

    #[test]
    fn reverse_matches_central_differences() {
        let x = [0.3, -1.2, 0.8];
        let g = gradient_reverse(|v| mixed(v), &x);
        for i in 0..3 {
            let (mut p, mut m) = (x, x);
            p[i] += 1e-6;
            m[i] -= 1e-6;
            let fd = (mixed(&p) - mixed(&m)) / 2e-6;
            assert!((fd - g[i]).abs() < 1e-8);
        }
    }

    #[test]
    fn a_variable_used_twice_collects_both_paths() {
        let tape = Tape::new();
        let x = tape.var(3.0);
        let y = x * x * x; // x³: the adjoint sums three paths
        assert_eq!(y.backward().wrt(x), 27.0);
    }

    #[test]
    #[should_panic(expected = "same tape")]
    fn mixing_tapes_is_an_error() {
        let (a, b) = (Tape::new(), Tape::new());
        let _ = a.var(1.0) + b.var(2.0);
    }
}
