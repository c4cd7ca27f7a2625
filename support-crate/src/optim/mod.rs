//! (to be written for issue 4)
