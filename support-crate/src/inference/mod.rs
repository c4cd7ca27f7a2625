//! Inference: Gaussian conditioning, Kalman filter, kernels, kernel ridge and Gaussian-process regression, variational inference.
//!
//! (Being written: issue 5.)
