//! Objects that outlive a call (trained models), kept by handle until the caller drops them.

use crate::wire::{Value, WireError};
use std::any::Any;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

static OBJECTS: Mutex<Option<HashMap<u64, Box<dyn Any + Send>>>> = Mutex::new(None);
static NEXT: AtomicU64 = AtomicU64::new(1);

/// Keeps `object` and returns its handle.
pub fn insert<T: Any + Send>(object: T) -> u64 {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    OBJECTS.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashMap::new).insert(id, Box::new(object));
    id
}

/// Runs `f` on the object behind `handle`.
pub fn with<T: Any, R>(handle: u64, f: impl FnOnce(&T) -> R) -> Result<R, WireError> {
    let guard = OBJECTS.lock().unwrap_or_else(|e| e.into_inner());
    let obj = guard.as_ref().and_then(|m| m.get(&handle)).ok_or_else(|| WireError(format!("no object with handle {handle}")))?;
    let obj = obj.downcast_ref::<T>().ok_or_else(|| WireError(format!("handle {handle} is not a {}", std::any::type_name::<T>())))?;
    Ok(f(obj))
}

/// Runs `f` on the object behind `handle`, mutably (a model that trains in place).
pub fn with_mut<T: Any, R>(handle: u64, f: impl FnOnce(&mut T) -> R) -> Result<R, WireError> {
    let mut guard = OBJECTS.lock().unwrap_or_else(|e| e.into_inner());
    let obj = guard.as_mut().and_then(|m| m.get_mut(&handle)).ok_or_else(|| WireError(format!("no object with handle {handle}")))?;
    let obj = obj.downcast_mut::<T>().ok_or_else(|| WireError(format!("handle {handle} is not a {}", std::any::type_name::<T>())))?;
    Ok(f(obj))
}

/// Number of live objects.
pub fn len() -> usize {
    OBJECTS.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map_or(0, HashMap::len)
}

/// `drop(handle)`: forgets an object.
pub fn drop_op(args: &Value) -> Result<Value, WireError> {
    let handle = args.u64()?;
    OBJECTS.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(HashMap::new).remove(&handle);
    Ok(Value::Unit)
}
