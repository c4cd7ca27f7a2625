//! Exercises of notebooks/26-diffusion-models-ddpm.ipynb.
