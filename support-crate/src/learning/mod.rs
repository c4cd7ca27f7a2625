//! Learning from data, the classical part: the perceptron, least squares, polynomial
//! regression, ridge, and the bias–variance decomposition; and (notebook 13) generalization:
//! finite-class and VC bounds, Rademacher complexity, double descent and implicit bias.
//!
//! Used in notebooks/01-perceptron-and-regression.ipynb and
//! notebooks/13-generalization-and-implicit-bias.ipynb.

mod bias_variance;
mod least_squares;
mod perceptron;
mod polynomial;
mod ridge;

pub use bias_variance::{BiasVariance, bias_variance};
pub use least_squares::{lstsq_normal, lstsq_qr};
pub use perceptron::{Perceptron, margin, novikoff_bound, radius};
pub use polynomial::{PolynomialFit, vandermonde};
pub use ridge::ridge;

// Notebook 08: universal approximation.
mod barron;
mod random_features;
mod ridge_functions;
mod relu_interpolant;
mod sawtooth;

pub use barron::{StepNetwork, barron_network, barron_norm, barron_norm_upper, mean_norm_gaussian, uniform_ball};
pub use random_features::{FeatureKind, GaussianBumps, RandomFeatureRates, RandomFeatures, monte_carlo_rates, random_feature_rates};
pub use ridge_functions::{CosineRidge, ridge_error_bound, ridge_network};
pub use relu_interpolant::{ShallowRelu, linear_interpolate, relu};
pub use sawtooth::{count_linear_pieces, sawtooth, sawtooth_shallow, sawtooth_units, tent};

// Notebooks 22–26: a two-layer network with hand-derived gradients (NTK, mean field, PINNs).
mod two_layer;

pub use two_layer::{Activation, Scaling, TwoLayer};

// Notebook 13: generalization bounds and the implicit bias of gradient descent.
mod double_descent;
mod finite_class;
mod implicit_bias;
mod rademacher;
mod shattering;

pub use double_descent::{DoubleDescent, dd_target, double_descent, min_norm_fit};
pub use finite_class::{ThresholdProblem, gap_draws, hoeffding_union_bound};
pub use implicit_bias::{angle_between, gd_least_squares, logistic_gd, logistic_grad, logistic_loss, max_margin};
pub use rademacher::{empirical_rademacher, linear_rademacher_bounds, linear_sup, margin_bound, rademacher_signs, ramp_loss, two_layer_sup};
pub use shattering::{binomial, halfplane_labelings, interval_labelings, is_shattered, missing_labeling, sauer_shelah};
