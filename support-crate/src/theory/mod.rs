//! Theory of wide networks: the neural tangent kernel, linearized dynamics, mean-field vs NTK scaling.
//!
//! (Being written: issue 5.)
