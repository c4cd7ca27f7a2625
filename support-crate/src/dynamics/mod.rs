//! Ordinary differential equations and dynamical systems.
//!
//! $$\dot x = f(t, x),\qquad x(0) = x_0 .$$
//!
//! | file | concept |
//! |---|---|
//! | `vector_field` | the [`VectorField`] trait; [`Field`] turns a notebook's `fn` into one |
//! | `stepper` | fixed-step methods: [`Euler`] (order 1), [`Rk4`] (order 4) |
//! | `dormand_prince` | the adaptive embedded pair [`DormandPrince`] 5(4) with rtol/atol |
//! | `trajectory` | [`Trajectory`]: times, states, cost |
//! | `convergence` | [`loglog_slope`]: measured orders and power laws |
//! | `jacobian`, `fixed_point`, `stability` | Newton for $f(x^\*) = 0$, the Jacobian, eigenvalues, classification |
//! | `lyapunov` | [`largest_lyapunov`] by Benettin's tangent-space method |
//! | `systems` | van der Pol, Lorenz, the damped pendulum, linear systems, Kepler |
//! | `logistic_map` | period doubling, the bifurcation diagram, the map's Lyapunov exponent |
//!
//! ```
//! use course::dynamics::{Rk4, Stepper, VanDerPol};
//! // From inside and from outside, van der Pol orbits reach the same limit cycle.
//! let vdp = VanDerPol { mu: 1.0 };
//! let inner = Rk4.integrate(&vdp, &[0.1, 0.0], 60.0, 6000).amplitude(0, 40.0);
//! let outer = Rk4.integrate(&vdp, &[4.0, 0.0], 60.0, 6000).amplitude(0, 40.0);
//! assert!((inner - outer).abs() < 1e-3 && (inner - 2.0).abs() < 0.05);
//! ```
//!
//! ## Reference
//! S. Strogatz, *Nonlinear Dynamics and Chaos* (2nd ed., 2015); N. Gershenfeld, *The Nature of
//! Mathematical Modeling* (1999), ch. 6–7; E. Hairer, S. P. Nørsett & G. Wanner, *Solving
//! Ordinary Differential Equations I* (1993).
//!
//! Used in notebooks/07-odes-and-dynamical-systems.ipynb.

mod convergence;
mod dormand_prince;
mod fixed_point;
mod jacobian;
mod logistic_map;
mod lyapunov;
mod stability;
mod stepper;
mod systems;
mod trajectory;
mod vector_field;

pub use convergence::loglog_slope;
pub use dormand_prince::DormandPrince;
pub use fixed_point::{FixedPoint, FixedPointError, fixed_point};
pub use jacobian::jacobian;
pub use logistic_map::{attractor_period, bifurcation_diagram, logistic, logistic_lyapunov, logistic_orbit};
pub use lyapunov::{LyapunovEstimate, largest_lyapunov};
pub use stability::{Stability, classify, classify_eigenvalues, classify_trace_det, eigenvalues};
pub use stepper::{Euler, Rk4, Stepper};
pub use systems::{DampedPendulum, Kepler, LinearSystem, Lorenz, VanDerPol};
pub use trajectory::Trajectory;
pub use vector_field::{Field, VectorField};
