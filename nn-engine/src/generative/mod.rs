//! The burn side of `course::generative`: the networks of Part V (notebooks 28–37) and their
//! training loops. Each file owns its operations and answers them in its `dispatch`; the
//! engine's table ([`crate::dispatch`]) falls through to [`dispatch`] here.

pub mod flow;
pub mod gan;
pub mod net;
pub mod pis;
pub mod vae;

use crate::wire::{Value, WireError};

/// Answers `op` if one of the generative files knows it.
pub fn dispatch(op: &str, args: &Value) -> Option<Result<Value, WireError>> {
    net::dispatch(op, args)
        .or_else(|| vae::dispatch(op, args))
        .or_else(|| gan::dispatch(op, args))
        .or_else(|| flow::dispatch(op, args))
        .or_else(|| pis::dispatch(op, args))
}
