//! The course's nn engine: burn models and training loops behind a byte-level C interface.
//!
//! The course crate (`course::nn`) calls [`course_nn_call`] with an operation name and its
//! arguments encoded as a [`wire::Value`]; the result comes back the same way. Models that
//! live across calls (a trained network to evaluate later) stay here, in [`registry`], and the
//! caller holds a handle. A panic inside an operation (a failed argument check) is caught and
//! returned as an error message, which `course::nn` raises as a panic in the notebook cell.
//!
//! Everything generic over burn's backends is instantiated here, once, for
//! [`Train`] = `Autodiff<NdArray<f32>>` and [`Inner`] = `NdArray<f32>`.

/// The wire format (the course crate's, so both sides agree).
pub use course::nn::wire;
/// The course crate's modules that the burn code uses (seeded rngs, data sets).
pub use course::{data, linspace, rng};

pub mod autodiff_example;
pub mod generative;
pub mod mlp;
pub mod nn;
pub mod registry;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use wire::Value;

/// The backend for inference: burn's ndarray backend in `f32`.
pub type Inner = burn::backend::NdArray<f32>;
/// The backend for training: [`Inner`] with reverse-mode autodiff.
pub type Train = burn::backend::Autodiff<Inner>;

/// Bumped whenever an operation changes its arguments or results; `course::nn` checks it.
pub const PROTOCOL: u32 = 3;

/// Runs operation `op` on `args`: the table of everything the engine can do.
pub fn dispatch(op: &str, args: &Value) -> Result<Value, String> {
    let r = match op {
        "autodiff_example_gradient" => autodiff_example::gradient_op(args),
        "fit_regressor_1d" => mlp::fit_regressor_1d_op(args),
        "regressor_predict" => mlp::predict_op(args),
        "regressor_n_params" => mlp::n_params_op(args),
        "mlp_init" => nn::ops::mlp_init(args),
        "mlp_predict" => nn::ops::mlp_predict(args),
        "gradient_profile" => nn::ops::mlp_gradient_profile(args),
        "train_mlp" => nn::ops::mlp_train(args),
        "train_cnn" => nn::ops::cnn_train(args),
        "cnn_logits" => nn::ops::cnn_logits(args),
        "cnn_filters" => nn::ops::cnn_filters(args),
        "recurrent_init" => nn::ops::recurrent_init(args),
        "recurrent_predict" => nn::ops::recurrent_predict(args),
        "recurrent_gradient_through_time" => nn::ops::recurrent_gradient_through_time(args),
        "train_recurrent" => nn::ops::recurrent_train(args),
        "conv1d_burn" => nn::ops::conv1d(args),
        "conv2d_burn" => nn::ops::conv2d(args),
        "resnet_flow" => nn::ops::resnet(args),
        "train_transformer" => nn::ops::transformer_train(args),
        "train_flat_mlp" => nn::ops::flat_mlp_train(args),
        "sequence_logits" => nn::ops::sequence_logits(args),
        "transformer_attention" => nn::ops::transformer_attention(args),
        "transformer_weights" => nn::ops::transformer_weights(args),
        "drop" => registry::drop_op(args),
        "live_handles" => Ok(Value::U64(registry::len() as u64)),
        _ => match generative::dispatch(op, args) {
            Some(r) => r,
            None => return Err(format!("the nn engine has no operation '{op}' (protocol {PROTOCOL}); rebuild it with `make setup`")),
        },
    };
    r.map_err(|e| e.to_string())
}

/// The protocol version this library speaks.
#[unsafe(no_mangle)]
pub extern "C" fn course_nn_protocol() -> u32 {
    PROTOCOL
}

/// Calls `op` with the encoded `args`; writes the encoded result (status 0) or a UTF-8 error
/// message (status 1) to a buffer that the caller must release with [`course_nn_free`].
///
/// # Safety
/// `op`/`args` must point to `op_len`/`args_len` readable bytes; `out`/`out_len` must be
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn course_nn_call(
    op: *const u8,
    op_len: usize,
    args: *const u8,
    args_len: usize,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> i32 {
    static QUIET: Once = Once::new();
    // The caller reports failures itself; the default hook would print a second message.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let (op, args) = unsafe { (std::slice::from_raw_parts(op, op_len), std::slice::from_raw_parts(args, args_len)) };
    let result = catch_unwind(AssertUnwindSafe(|| {
        let op = std::str::from_utf8(op).map_err(|_| "operation name is not UTF-8".to_owned())?;
        let args = Value::decode(args).map_err(|e| format!("{op}: malformed arguments: {e}"))?;
        dispatch(op, &args)
    }))
    .unwrap_or_else(|panic| {
        Err(panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the nn engine panicked".to_owned()))
    });
    let (status, bytes) = match result {
        Ok(v) => (0, v.encode()),
        Err(msg) => (1, msg.into_bytes()),
    };
    let boxed = bytes.into_boxed_slice();
    unsafe {
        *out_len = boxed.len();
        *out = Box::into_raw(boxed) as *mut u8;
    }
    status
}

/// Releases a buffer returned by [`course_nn_call`].
///
/// # Safety
/// `ptr`/`len` must come from one [`course_nn_call`], released once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn course_nn_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
    }
}
