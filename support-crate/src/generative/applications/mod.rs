//! (to be written) capstone applications.
//!
//! Used in notebooks/31-capstone-and-journal-club.ipynb.
