//! First-order optimization: gradient descent and its stochastic, accelerated and adaptive
//! variants, on objectives given by the caller.
//!
//! $$x_{k+1} = x_k - \alpha_k\,d_k,\qquad d_k \text{ built from } \nabla f(x_0),\dots,\nabla f(x_k).$$
//!
//! | method | file | update |
//! |---|---|---|
//! | gradient descent | [`gradient_descent`] | $x - \alpha\nabla f(x)$ |
//! | SGD with schedules | [`sgd`], [`StepSchedule`] | $x - \alpha_k g$, $\mathbb E g = \nabla f$ |
//! | heavy ball | [`heavy_ball`] | $x - \alpha\nabla f(x) + \beta(x - x_{\rm prev})$ |
//! | Nesterov | [`nesterov`], [`nesterov_constant`] | gradient step from $x + \beta_k(x - x_{\rm prev})$ |
//! | RMSprop | [`rmsprop`] | $x - \alpha g/\sqrt{v}$ |
//! | Adam | [`adam`], [`AdamState`] | $x - \alpha\hat m/\sqrt{\hat v}$ |
//! | L-BFGS | [`lbfgs`] | $x - tH\nabla f(x)$, $H\approx(\nabla^2f)^{-1}$ from the last steps, Armijo $t$ |
//!
//! Every method takes `&dyn Objective` (so it compiles once, here, not in each notebook cell)
//! and returns a [`History`]. Objectives: [`Quadratic`] (prescribed spectrum), [`Rosenbrock`],
//! [`LeastSquares`], [`TwoLayerNet`], [`FnObjective`] for `fn` items written in a notebook,
//! [`NoisyGradient`] for additive gradient noise. Measuring rates: [`loglog_slope`],
//! [`semilog_slope`]. Regularization as spectral filtering: [`SpectralDesign`]. Landscapes:
//! [`slice_1d`], [`slice_2d`], [`hessian_fd`].
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), ch. 2; Bottou, Curtis & Nocedal (2018),
//! *Optimization methods for large-scale machine learning*; Goodfellow, Bengio & Courville,
//! *Deep Learning* (2016), ch. 8.
//!
//! Used in notebooks/04-gradient-descent.ipynb and notebooks/05-momentum-and-adaptive-methods.ipynb.

mod adam;
mod gradient_descent;
mod heavy_ball;
mod history;
mod landscape;
mod lbfgs;
mod least_squares;
mod nesterov;
mod noisy;
mod objective;
mod quadratic;
mod rates;
mod rmsprop;
mod rosenbrock;
mod schedule;
mod sgd;
mod spectral_filters;
mod two_layer_net;

pub use adam::{AdamState, adam};
pub use gradient_descent::gradient_descent;
pub use heavy_ball::{heavy_ball, heavy_ball_parameters};
pub use history::History;
pub use landscape::{hessian_fd, random_direction, slice_1d, slice_2d, symmetric_eigen, symmetric_eigenvalues};
pub use lbfgs::lbfgs;
pub use least_squares::LeastSquares;
pub use nesterov::{nesterov, nesterov_constant};
pub use noisy::NoisyGradient;
pub use objective::{FnObjective, Objective, StochasticObjective};
pub use quadratic::Quadratic;
pub use rates::{log_spaced, loglog_slope, semilog_slope};
pub use rmsprop::{EPS, rmsprop};
pub use rosenbrock::Rosenbrock;
pub use schedule::StepSchedule;
pub use sgd::sgd;
pub use spectral_filters::{SpectralDesign, early_stopping_filter, ridge_filter};
pub use two_layer_net::TwoLayerNet;
