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
//! Non-convex and noisy dynamics (notebook 15): the stationarity rate [`stationarity_bound`] on
//! [`CosineSum`] and [`CauchyRegression`], the PL inequality ([`KarimiExample`], [`pl_constant`]),
//! saddles ([`StrictSaddle`], [`perturbed_gradient_descent`]), SGD's stationary covariance
//! ([`SgdQuadratic`], [`lyapunov_continuous`], [`lyapunov_discrete`]), AMSGrad on
//! [`ReddiProblem`], and Nesterov's lower bound on [`WorstCaseQuadratic`].
//!
//! ## Reference
//! Nesterov, *Lectures on Convex Optimization* (2018), ch. 2; Bottou, Curtis & Nocedal (2018),
//! *Optimization methods for large-scale machine learning*; Goodfellow, Bengio & Courville,
//! *Deep Learning* (2016), ch. 8.
//!
//! Used in notebooks/04-gradient-descent.ipynb, notebooks/05-momentum-and-adaptive-methods.ipynb and notebooks/15-nonconvex-optimization-and-noisy-dynamics.ipynb.

mod adam;
mod amsgrad;
mod cauchy_regression;
mod cosine_sum;
mod gradient_descent;
mod heavy_ball;
mod history;
mod landscape;
mod lbfgs;
mod least_squares;
mod lyapunov;
mod nesterov;
mod noisy;
mod objective;
mod polyak_lojasiewicz;
mod quadratic;
mod rates;
mod reddi_online;
mod rmsprop;
mod rosenbrock;
mod saddle;
mod schedule;
mod sgd;
mod sgd_stationary;
mod spectral_filters;
mod stationarity;
mod two_layer_net;
mod worst_case_quadratic;

pub use adam::{AdamState, adam};
pub use amsgrad::{AmsGradState, AmsGradStep, amsgrad_step};
pub use cauchy_regression::CauchyRegression;
pub use cosine_sum::CosineSum;
pub use gradient_descent::gradient_descent;
pub use heavy_ball::{heavy_ball, heavy_ball_parameters};
pub use history::History;
pub use landscape::{hessian_fd, random_direction, slice_1d, slice_2d, symmetric_eigen, symmetric_eigenvalues};
pub use lbfgs::lbfgs;
pub use least_squares::LeastSquares;
pub use lyapunov::{lyapunov_continuous, lyapunov_discrete};
pub use nesterov::{nesterov, nesterov_constant};
pub use noisy::NoisyGradient;
pub use objective::{FnObjective, Objective, StochasticObjective};
pub use polyak_lojasiewicz::{KarimiExample, pl_constant};
pub use quadratic::Quadratic;
pub use rates::{log_spaced, loglog_slope, semilog_slope};
pub use reddi_online::{OnlineRun, ReddiProblem};
pub use rmsprop::{EPS, rmsprop};
pub use rosenbrock::Rosenbrock;
pub use saddle::{PerturbedRun, StrictSaddle, perturbed_gradient_descent};
pub use schedule::StepSchedule;
pub use sgd::sgd;
pub use sgd_stationary::{SgdQuadratic, second_moment, sgd_1d_second_moment};
pub use spectral_filters::{SpectralDesign, early_stopping_filter, ridge_filter};
pub use stationarity::{running_min_grad_sq, stationarity_bound};
pub use two_layer_net::TwoLayerNet;
pub use worst_case_quadratic::WorstCaseQuadratic;
