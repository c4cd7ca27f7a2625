//! Deep learning for differential equations: physics-informed networks, neural ODEs, closure
//! models, and the finance application (Black–Scholes, deep BSDE), with finite-difference and
//! closed-form references to check them against.
//!
//! | concept | file | what |
//! |---|---|---|
//! | finite differences | [`heat_ftcs`], [`heat_crank_nicolson`], [`burgers_lax_friedrichs`] | reference solvers, orders measured |
//! | Black–Scholes | [`call_price`], [`put_price`], [`call_delta`], [`call_price_fd`] | closed form, Monte Carlo, PDE |
//! | PINNs | [`OdePinn`], [`HeatPinn`] | residual losses with exact gradients, trained with Adam |
//! | neural ODE | [`NeuralOde`] | vector-field network, backpropagation through RK4 |
//! | closure | [`Lorenz96`], [`fit_closure`] | a coarse model with a learned closure vs truncation |
//! | deep BSDE | [`DeepBsde`] | Han–Jentzen–E for a European call |
//! | network closure | [`train_network_closure`], [`climate_stats`] | an MLP closure for Lorenz-96, long-run statistics |
//! | Deep Galerkin | [`JetMlp`], [`DgmHeat`], [`dgm_architecture_grid`] | deep network with exact Laplacian, random-point residual loss |
//! | deep BSDE in $d = 100$ | [`HjbBsde`], [`hjb_euler_step`] | HJB equation against its Cole–Hopf Monte Carlo oracle |
//!
//! ## Reference
//! M. Raissi, P. Perdikaris, G. Karniadakis (2019), *Physics-informed neural networks*, J. Comput.
//! Phys.; R. T. Q. Chen et al. (2018), *Neural ordinary differential equations*, NeurIPS;
//! J. Han, A. Jentzen, W. E (2018), *Solving high-dimensional PDEs using deep learning*, PNAS.
//!
//! J. Sirignano, K. Spiliopoulos (2018), *DGM: a deep learning algorithm for solving PDEs*, J. Comput. Phys.
//!
//! Used in notebooks/26-deep-learning-for-dynamical-systems.ipynb and notebooks/27-deep-learning-for-pdes.ipynb.

mod black_scholes;
mod bsde;
mod closure;
mod closure_network;
mod dgm;
mod hjb_bsde;
mod finite_difference;
mod neural_ode;
mod pinn;

pub use black_scholes::{call_delta, call_price, call_price_fd, call_price_monte_carlo, norm_cdf, put_price};
pub use finite_difference::{burgers_lax_friedrichs, heat_crank_nicolson, heat_error_sine, heat_exact_sine, heat_ftcs};
pub use bsde::{BsdeHistory, DeepBsde};
pub use closure::{FineRun, Lorenz96, fit_closure, polynomial};
pub use closure_network::{ClimateStats, TabulatedClosure, climate_stats, train_network_closure};
pub use dgm::{DgmGrid, DgmHeat, DgmHistory, JetMlp, dgm_architecture_grid};
pub use hjb_bsde::{HjbBsde, HjbHistory, hjb_euler_step};
pub use neural_ode::NeuralOde;
pub use pinn::{HeatPinn, OdePinn};
