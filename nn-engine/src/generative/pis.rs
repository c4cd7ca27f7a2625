//! (to be written: the pis operations of Part V)

use crate::wire::{Value, WireError};

/// The operations of this file.
pub fn dispatch(op: &str, _args: &Value) -> Option<Result<Value, WireError>> {
    match op {
        _ => None,
    }
}
