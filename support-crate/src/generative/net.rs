//! (being written) the time-conditioned MLP of Part V.
