//! Score-based generative modelling with SDEs (Song et al. 2021; Karras et al. 2022).
//!
//! Used in notebooks/27-score-sdes-and-edm.ipynb.
