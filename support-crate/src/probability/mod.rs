//! Probability: populations and sample means, the normal law, conditional expectation, limit
//! theorems, concentration inequalities and the modes of convergence.
//!
//! $$\Pr\big(\bar X_n - \mu \ge t\big) \le e^{-2nt^2/(b-a)^2}\qquad\text{(Hoeffding)}$$
//!
//! | concept | file | items |
//! |---|---|---|
//! | populations, sample means | `population.rs` | [`Population`], [`sample_means`] |
//! | the normal law | `normal.rs` | [`normal_pdf`], [`normal_cdf`] |
//! | LLN and CLT | `limit_theorems.rs` | [`running_means`], [`standardize`], [`ks_distance_normal`], [`berry_esseen_bound`] |
//! | goodness of fit | `goodness_of_fit.rs` | [`chi_square`], [`ChiSquare`] |
//! | concentration | `concentration.rs` | [`markov_bound`], [`chebyshev_bound`], [`hoeffding_bound`], [`bernstein_bound`], [`tail_frequency`], [`binomial_upper_tail`], [`compare_bounds`] |
//! | conditional expectation | `conditional_expectation.rs` | [`conditional_mean_binned`], [`conditional_mean_poly`], [`orthogonality_gap`] |
//! | modes of convergence | `convergence.rs` | [`spike`], [`typewriter`], [`mean_abs_on_grid`], [`prob_exceeds_on_grid`], [`prob_sup_exceeds_on_grid`] |
//!
//! Every entry point that loops is concrete (no generics beyond the `rng`), so notebook cells
//! stay cheap to compile.
//!
//! Used in notebooks/12-probability-and-concentration.ipynb.

mod concentration;
mod conditional_expectation;
mod convergence;
mod goodness_of_fit;
mod limit_theorems;
mod normal;
mod population;

pub use concentration::{TailComparison, bernstein_bound, binomial_upper_tail, chebyshev_bound, compare_bounds, hoeffding_bound, markov_bound, tail_frequency};
pub use conditional_expectation::{BinnedConditional, conditional_mean_binned, conditional_mean_poly, orthogonality_gap, poly_eval};
pub use convergence::{mean_abs_on_grid, prob_exceeds_on_grid, prob_sup_exceeds_on_grid, spike, typewriter};
pub use goodness_of_fit::{ChiSquare, chi_square};
pub use limit_theorems::{berry_esseen_bound, ks_distance_normal, running_means, standardize};
pub use normal::{normal_cdf, normal_pdf};
pub use population::{Population, sample_means};
