//! Exercises of notebooks/31-capstone-and-journal-club.ipynb.
