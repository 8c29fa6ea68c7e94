//! The validation cache of the call path: `wasm_runtime_call_wasm(exec_env, function, ...)`.
//!
//! C programs call in loops with the same exec env and function. Each call must validate both
//! handles (shape, MAC, type, liveness, generation, owner, thread) and find the exec env's
//! current instance. A validation stays true until something is removed from the exec-env or
//! function table (the only way a slot dies or changes generation), the runtime is stopped or
//! restarted, or `wasm_runtime_set_module_inst` gives an exec env another instance; each of
//! those bumps one global stamp (`handles::call_stamp`, shared by the two tables' removal
//! counters). So one thread-local entry keyed by both handles' bits and the stamp answers a
//! repeated call with one thread-local access, one load and three comparisons, and lends the
//! exec env, its instance and the function without reference-count or lock traffic. Anything
//! else takes the full validation path.
//!
//! `benches/cap.rs` measures the hit path; `bench/capi/run.sh` the whole call.

#![forbid(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use super::handles;
use super::objects::{ExecEnvObj, FuncObj, InstObj};
use crate::cap::SealedHandle;

/// The validated objects of one call.
pub(crate) struct CallObjs {
    pub env: Arc<ExecEnvObj>,
    pub inst: Arc<InstObj>,
    pub func: Arc<FuncObj>,
}

/// The key a cached validation stays true under.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
struct Key {
    env: u64,
    func: u64,
    /// `handles::call_stamp()` when validated.
    stamp: u64,
}

struct CallCache {
    key: Cell<Key>,
    objs: RefCell<Option<CallObjs>>,
}

thread_local! {
    static LAST_CALL: CallCache = const {
        CallCache {
            // Handle bits always have bit 63 set, so the zero key never matches.
            key: Cell::new(Key { env: 0, func: 0, stamp: 0 }),
            objs: RefCell::new(None),
        }
    };
}

/// Validate `exec_env` and `function` (of the exec env's instance) and run `f` with them;
/// `None` (reason logged, violation recorded) if either is refused.
pub(crate) fn with_call<R>(
    api: &str,
    exec_env: *const std::ffi::c_void,
    function: *const std::ffi::c_void,
    f: impl FnOnce(&CallObjs) -> R,
) -> Option<R> {
    LAST_CALL.with(|c| {
        let key = Key {
            env: SealedHandle::from_ptr(exec_env).bits(),
            func: SealedHandle::from_ptr(function).bits(),
            // Read before validating: an invalidation racing with the validation misses.
            stamp: handles::call_stamp(),
        };
        if c.key.get() == key
            && let Ok(objs) = c.objs.try_borrow()
            && let Some(o) = objs.as_ref()
        {
            return Some(f(o));
        }
        // Full validation.
        let env = handles::exec_env(api, exec_env)?;
        let inst = env.inst.lock().clone();
        let func = handles::func(api, function, inst.id)?;
        let objs = CallObjs { env, inst, func };
        let Ok(mut slot) = c.objs.try_borrow_mut() else {
            // Nested inside a lend of the cache (a native calling again): use uncached.
            return Some(f(&objs));
        };
        *slot = Some(objs);
        drop(slot);
        c.key.set(key);
        let lent = c.objs.borrow();
        lent.as_ref().map(f)
    })
}

/// Drop this thread's cached validations, the call cache's and `handles`' (so destroyed
/// objects are released at once).
pub(crate) fn forget_cached() {
    handles::forget_last();
    LAST_CALL.with(|c| {
        if let Ok(mut slot) = c.objs.try_borrow_mut() {
            slot.take();
            c.key.set(Key::default());
        }
    });
}

/// Validate a call's exec env and function as `wasm_runtime_call_wasm` does, without calling
/// (for `benches/cap.rs`).
#[doc(hidden)]
pub fn bench_validate_call(
    exec_env: *const std::ffi::c_void,
    function: *const std::ffi::c_void,
) -> bool {
    with_call("bench", exec_env, function, |_| ()).is_some()
}
