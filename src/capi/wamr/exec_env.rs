//! Exec envs: `wasm_runtime_create_exec_env`, `_destroy_exec_env`, `_get_exec_env_singleton`,
//! user data, module instance get/set, native stack boundary and overflow detection, and the
//! blocking-operation hooks.
//!
//! An exec env owns an execution stack (`runtime::ExecStack`) sized from WAMR's `stack_size`, and is bound to
//! the thread that created it: another thread using it is refused (capability-model §9 case
//! 12), because WAMR's exec env is per-thread state. The singleton exec env
//! (`wasm_runtime_get_exec_env_singleton`, also used by `wasm_application_execute_*`) is the
//! documented exception: any thread may use it, one at a time.

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error, reg};
use super::objects::{ExecEnvObj, InstObj};
use crate::cap::OType;
use crate::capi::ffi::guard;
use crate::os::native_stack;
use crate::runtime::ExecStack;

/// Default WAMR stack size when the embedder passes 0.
pub(crate) const DEFAULT_STACK_SIZE: u32 = 64 * 1024;

/// Interpreter stack bytes for a WAMR `stack_size` (our cells are 64-bit where WAMR's are
/// 32-bit, so the same program needs about twice the bytes).
pub(crate) fn interp_stack_bytes(stack_size: u32) -> usize {
    let s = if stack_size == 0 {
        DEFAULT_STACK_SIZE
    } else {
        stack_size
    };
    (s as usize).saturating_mul(2).max(16 * 1024)
}

/// Create an exec env for `inst` (`bound`: only usable on this thread).
pub(crate) fn create(inst: &Arc<InstObj>, stack_size: u32, bound: bool) -> Option<Arc<ExecEnvObj>> {
    let epoch = handles::epoch()?;
    let env = Arc::new(ExecEnvObj {
        inst: Mutex::new(inst.clone()),
        stack: Mutex::new(ExecStack::new(interp_stack_bytes(stack_size))),
        thread: bound.then(|| std::thread::current().id()),
        user_data: AtomicUsize::new(0),
        native_stack_boundary: AtomicUsize::new(0),
        handle: OnceLock::new(),
    });
    let h = reg()
        .exec_envs
        .insert(OType::EXEC_ENV, epoch, env.clone())
        .ok()?;
    let _ = env.handle.set(h);
    inst.envs.lock().push(h);
    Some(env)
}

/// Destroy an exec env.
pub(crate) fn destroy(env: &ExecEnvObj) {
    let h = env.handle();
    let _ = reg().exec_envs.remove(h, OType::EXEC_ENV, None);
    env.inst.lock().envs.lock().retain(|x| *x != h);
}

/// The singleton exec env of an instance (created on first use, usable from any thread).
pub(crate) fn singleton(inst: &Arc<InstObj>) -> Option<Arc<ExecEnvObj>> {
    let mut slot = inst.singleton.lock();
    if let Some(h) = *slot {
        if let Ok(e) = reg().exec_envs.get(h, OType::EXEC_ENV, None) {
            return Some(e);
        }
    }
    let env = create(inst, inst.stack_size, false)?;
    *slot = Some(env.handle());
    Some(env)
}

/// Create an exec env (an interpreter stack of about `stack_size` bytes) for this thread.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_create_exec_env(
    module_inst: wasm_module_inst_t,
    stack_size: u32,
) -> wasm_exec_env_t {
    guard("wasm_runtime_create_exec_env", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_create_exec_env";
        let Some(inst) = handles::instance(API, module_inst) else {
            return std::ptr::null_mut();
        };
        match create(&inst, stack_size, true) {
            Some(e) => e.handle().to_ptr(),
            None => {
                api_error(API, "cannot create exec env");
                std::ptr::null_mut()
            }
        }
    })
}

/// Destroy an exec env (double destroy is refused).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy_exec_env(exec_env: wasm_exec_env_t) {
    guard("wasm_runtime_destroy_exec_env", (), || {
        const API: &str = "wasm_runtime_destroy_exec_env";
        let Some(env) = handles::exec_env(API, exec_env) else {
            return;
        };
        if env.thread.is_none() {
            api_error(API, "the singleton exec env is destroyed with its instance");
            return;
        }
        super::call_cache::forget_cached();
        destroy(&env);
    })
}

/// The instance's singleton exec env.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_exec_env_singleton(
    module_inst: wasm_module_inst_t,
) -> wasm_exec_env_t {
    guard(
        "wasm_runtime_get_exec_env_singleton",
        std::ptr::null_mut(),
        || {
            const API: &str = "wasm_runtime_get_exec_env_singleton";
            let Some(inst) = handles::instance(API, module_inst) else {
                return std::ptr::null_mut();
            };
            singleton(&inst).map_or(std::ptr::null_mut(), |e| e.handle().to_ptr())
        },
    )
}

/// The instance an exec env runs.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_module_inst(exec_env: wasm_exec_env_t) -> wasm_module_inst_t {
    guard(
        "wasm_runtime_get_module_inst",
        std::ptr::null_mut(),
        || match handles::exec_env("wasm_runtime_get_module_inst", exec_env) {
            Some(e) => e.inst.lock().handle().to_ptr(),
            None => std::ptr::null_mut(),
        },
    )
}

/// Switch an exec env to another instance.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_module_inst(
    exec_env: wasm_exec_env_t,
    module_inst: wasm_module_inst_t,
) {
    guard("wasm_runtime_set_module_inst", (), || {
        const API: &str = "wasm_runtime_set_module_inst";
        let Some(env) = handles::exec_env(API, exec_env) else {
            return;
        };
        let Some(inst) = handles::instance(API, module_inst) else {
            return;
        };
        let h = env.handle();
        let mut cur = env.inst.lock();
        if Arc::ptr_eq(&cur, &inst) {
            return;
        }
        cur.envs.lock().retain(|x| *x != h);
        inst.envs.lock().push(h);
        *cur = inst;
        handles::bump_call_stamp();
    })
}

/// Attach an opaque pointer to the exec env.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_user_data(exec_env: wasm_exec_env_t, user_data: *mut c_void) {
    guard("wasm_runtime_set_user_data", (), || {
        if let Some(e) = handles::exec_env("wasm_runtime_set_user_data", exec_env) {
            e.user_data.store(user_data as usize, Ordering::Relaxed);
        }
    })
}

/// The exec env's user data.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_user_data(exec_env: wasm_exec_env_t) -> *mut c_void {
    guard(
        "wasm_runtime_get_user_data",
        std::ptr::null_mut(),
        || match handles::exec_env("wasm_runtime_get_user_data", exec_env) {
            Some(e) => e.user_data.load(Ordering::Relaxed) as *mut c_void,
            None => std::ptr::null_mut(),
        },
    )
}

/// Set the lowest address native code of this exec env may use (NULL = the thread's stack
/// limit).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_native_stack_boundary(
    exec_env: wasm_exec_env_t,
    native_stack_boundary: *mut u8,
) {
    guard("wasm_runtime_set_native_stack_boundary", (), || {
        if let Some(e) = handles::exec_env("wasm_runtime_set_native_stack_boundary", exec_env) {
            e.native_stack_boundary
                .store(native_stack_boundary as usize, Ordering::Relaxed);
        }
    })
}

/// WAMR's check of the native stack left to `exec_env` (see [`native_stack`]): `required`
/// `None` for `wasm_runtime_detect_native_stack_overflow`, `Some(n)` for its `_size` form.
fn check_native_stack(api: &str, exec_env: wasm_exec_env_t, required: Option<usize>) -> bool {
    let Some(env) = handles::exec_env(api, exec_env) else {
        return false;
    };
    let boundary = env.stack_boundary();
    let limit = match required {
        None => native_stack::entry_limit(boundary),
        Some(n) => native_stack::size_limit(boundary, n),
    };
    if native_stack::below(limit) {
        env.inst.lock().set_exception(Some("native stack overflow"));
        return false;
    }
    true
}

/// False (and the exception `native stack overflow`) if the native stack is nearly exhausted.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_detect_native_stack_overflow(exec_env: wasm_exec_env_t) -> bool {
    guard("wasm_runtime_detect_native_stack_overflow", false, || {
        check_native_stack("wasm_runtime_detect_native_stack_overflow", exec_env, None)
    })
}

/// Like [`wasm_runtime_detect_native_stack_overflow`], requiring `required_size` more bytes.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_detect_native_stack_overflow_size(
    exec_env: wasm_exec_env_t,
    required_size: u32,
) -> bool {
    guard(
        "wasm_runtime_detect_native_stack_overflow_size",
        false,
        || {
            check_native_stack(
                "wasm_runtime_detect_native_stack_overflow_size",
                exec_env,
                Some(required_size as usize),
            )
        },
    )
}

/// Nothing to prepare before a blocking call (no thread manager): returns true.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_begin_blocking_op(exec_env: wasm_exec_env_t) -> bool {
    guard("wasm_runtime_begin_blocking_op", false, || {
        handles::exec_env("wasm_runtime_begin_blocking_op", exec_env).is_some()
    })
}

/// Counterpart of [`wasm_runtime_begin_blocking_op`].
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_end_blocking_op(exec_env: wasm_exec_env_t) {
    guard("wasm_runtime_end_blocking_op", (), || {
        let _ = handles::exec_env("wasm_runtime_end_blocking_op", exec_env);
    })
}
