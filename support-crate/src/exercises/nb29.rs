//! Exercises of notebooks/29-stochastic-control-and-sampling.ipynb.
