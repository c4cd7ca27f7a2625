//! Applications of Part V (the capstone): an inverse problem with a diffusion prior, the
//! Boltzmann distribution of a two-state toy molecule, and the journal club's map of the seed
//! papers to the notebooks.
//!
//! | file | what |
//! |---|---|
//! | `inpainting` | exact posterior of a Gaussian-mixture prior given noisy coordinates; exact conditional-score sampling vs the replacement heuristic |
//! | `boltzmann` | [`TwoState`]: a tilted double well at temperature kT, populations by quadrature and Laplace, a grid mixture with exact noised scores |
//! | `journal_club` | [`SEED_PAPERS`]: the twelve papers, and [`REVIEWS`] the three reviews, each with its notebook, its [`Coverage`] and the crate items that implement it |
//!
//! Used in notebooks/37-capstone-and-journal-club.ipynb.

mod boltzmann;
mod inpainting;
mod journal_club;

pub use boltzmann::TwoState;
pub use inpainting::{class_frequencies, inpaint_by_replacement, inpaint_exact, inpainting_posterior, nearest_centre};
pub use journal_club::{defines_public, Coverage, Paper, REVIEWS, SEED_PAPERS};
