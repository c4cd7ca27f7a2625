//! Graphical models: the Ising model, restricted Boltzmann machines, Bayesian networks, factors,
//! variable elimination, belief propagation and learning CPTs by counting.
//!
//! | file | concept |
//! |---|---|
//! | `ising.rs` | L×L periodic Ising model, checkerboard heat-bath sweeps, exact enumeration, Onsager |
//! | `batch_means.rs` | standard errors of MCMC averages |
//! | `bars_and_stripes.rs` | the bars-and-stripes data set |
//! | `independent_bernoulli.rs` | independent binary units, add-one smoothing: the baseline for binary images |
//! | `rbm.rs` | binary RBM, free energy, exact log Z over either layer and log-likelihood, CD-k and PCD |
//! | `bayes_net.rs` | DAG + CPTs, joint by enumeration, ancestral sampling; sprinkler and student networks |
//! | `factor.rs` | factor product, summing out, evidence |
//! | `variable_elimination.rs` | exact conditional queries |
//! | `belief_propagation.rs` | sum-product on factor graphs (exact on trees, loopy with damping) |
//! | `cpt_learning.rs` | CPTs by counting, Laplace smoothing |
//! | `network_plot.rs` | a picture of the DAG |
//!
//! Used in notebooks/20-boltzmann-machines-and-energy-models.ipynb and
//! notebooks/21-bayesian-networks.ipynb.

mod bars_and_stripes;
mod batch_means;
mod bayes_net;
mod belief_propagation;
mod cpt_learning;
mod factor;
mod independent_bernoulli;
mod ising;
mod network_plot;
mod rbm;
mod variable_elimination;

pub use bars_and_stripes::bars_and_stripes;
pub use batch_means::batch_means;
pub use bayes_net::{BayesNet, sprinkler, student};
pub use belief_propagation::{BpResult, belief_propagation};
pub use cpt_learning::{cpt_counts, cpt_error, learn_cpts};
pub use factor::Factor;
pub use independent_bernoulli::IndependentBernoulli;
pub use ising::{Ising, IsingExact, IsingRun, ising_exact, ising_gibbs, onsager_magnetization, onsager_tc};
pub use network_plot::network_plot;
pub use rbm::{CdHistory, CdTraining, Rbm, RbmGradient, softplus, train_cd};
pub use variable_elimination::{Elimination, variable_elimination};
