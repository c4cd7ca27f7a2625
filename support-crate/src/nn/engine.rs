//! Loading the nn engine (the burn library in `nn-engine/`) and calling into it.
//!
//! The engine is a shared library built in release mode from `nn-engine/` by `make setup`. On
//! the first call in a process this module runs `cargo build --release` on it (a no-op of a
//! fraction of a second when it is up to date, a few minutes the very first time), loads it
//! with `dlopen`, and checks that it speaks the same protocol. Later calls, including those
//! from later notebook cells (each cell is a separate shared object in the kernel), find it
//! already loaded.
//!
//! `COURSE_NN_ENGINE=/path/to/libcourse_nn_engine.so` uses that file and skips the build.

use super::wire::Value;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The protocol this crate speaks (nn-engine/src/lib.rs has the same constant).
const PROTOCOL: u32 = 3;

unsafe extern "C" {
    fn dlopen(filename: *const c_char, flag: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn dlerror() -> *const c_char;
}
#[cfg(target_os = "macos")]
const RTLD_NOLOAD: c_int = 0x10;
#[cfg(not(target_os = "macos"))]
const RTLD_NOLOAD: c_int = 4;
const RTLD_NOW: c_int = 2;
#[cfg(target_os = "macos")]
const LIB_NAME: &str = "libcourse_nn_engine.dylib";
#[cfg(not(target_os = "macos"))]
const LIB_NAME: &str = "libcourse_nn_engine.so";

type CallFn = unsafe extern "C" fn(*const u8, usize, *const u8, usize, *mut *mut u8, *mut usize) -> i32;
type FreeFn = unsafe extern "C" fn(*mut u8, usize);
type ProtocolFn = extern "C" fn() -> u32;

struct Engine {
    call: CallFn,
    free: FreeFn,
}

static ENGINE: OnceLock<Engine> = OnceLock::new();

fn engine_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../nn-engine"))
}

/// Where the engine library is (building it if needed), as the loader will open it.
fn library_path() -> PathBuf {
    if let Some(p) = std::env::var_os("COURSE_NN_ENGINE") {
        return PathBuf::from(p);
    }
    let dir = engine_dir();
    let lib = dir.join("target/release").join(LIB_NAME);
    if already_loaded(&lib) {
        return lib;
    }
    if !lib.exists() {
        println!("nn engine: building burn into {} (first time only; a few minutes)…", lib.display());
    }
    let out = std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        // --locked: the versions of nn-engine/Cargo.lock, which `make setup` downloaded (no network).
        .args(["build", "--release", "--quiet", "--locked", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(dir.join("target"))
        // The engine is built the same way whoever asks: not with a caller's flags or target dir.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output();
    match out {
        Ok(o) if o.status.success() => lib,
        Ok(o) => panic!("nn engine: `cargo build --release` in {} failed:\n{}", dir.display(), String::from_utf8_lossy(&o.stderr)),
        Err(e) => panic!("nn engine: could not run cargo to build {} ({e}); run `make setup`", dir.display()),
    }
}

fn c_path(p: &std::path::Path) -> CString {
    CString::new(p.as_os_str().as_encoded_bytes()).expect("engine path contains a NUL byte")
}

fn already_loaded(lib: &std::path::Path) -> bool {
    // SAFETY: dlopen with RTLD_NOLOAD only looks the library up; the handle is not used.
    unsafe { !dlopen(c_path(lib).as_ptr(), RTLD_NOW | RTLD_NOLOAD).is_null() }
}

fn load() -> Engine {
    let lib = library_path();
    let name = c_path(&lib);
    // SAFETY: plain dlopen/dlsym; the symbols' types are those declared in nn-engine/src/lib.rs,
    // and the protocol check below refuses a library of another version.
    unsafe {
        let handle = dlopen(name.as_ptr(), RTLD_NOW);
        if handle.is_null() {
            let why = CStr::from_ptr(dlerror()).to_string_lossy();
            panic!("nn engine: cannot load {}: {why}; run `make setup`", lib.display());
        }
        let sym = |s: &CStr| {
            let p = dlsym(handle, s.as_ptr());
            assert!(!p.is_null(), "nn engine: {} lacks the symbol {s:?}; rebuild it with `make setup`", lib.display());
            p
        };
        let protocol = std::mem::transmute::<*mut c_void, ProtocolFn>(sym(c"course_nn_protocol"));
        let found = protocol();
        assert_eq!(found, PROTOCOL, "nn engine: {} speaks protocol {found}, this crate {PROTOCOL}; rebuild it with `make setup`", lib.display());
        Engine {
            call: std::mem::transmute::<*mut c_void, CallFn>(sym(c"course_nn_call")),
            free: std::mem::transmute::<*mut c_void, FreeFn>(sym(c"course_nn_free")),
        }
    }
}

/// Calls engine operation `op`; an error inside the engine (a failed argument check) panics
/// here with the engine's message, so the notebook cell shows it.
pub(crate) fn call(op: &str, args: Value) -> Value {
    let engine = ENGINE.get_or_init(load);
    let bytes = args.encode();
    let (mut out, mut out_len) = (std::ptr::null_mut(), 0usize);
    // SAFETY: pointers and lengths describe live buffers; the result buffer is released once.
    let (status, result) = unsafe {
        let status = (engine.call)(op.as_ptr(), op.len(), bytes.as_ptr(), bytes.len(), &mut out, &mut out_len);
        let result = std::slice::from_raw_parts(out, out_len).to_vec();
        (engine.free)(out, out_len);
        (status, result)
    };
    if status != 0 {
        panic!("{}", String::from_utf8_lossy(&result));
    }
    Value::decode(&result).unwrap_or_else(|e| panic!("nn engine: malformed result of {op}: {e}"))
}
