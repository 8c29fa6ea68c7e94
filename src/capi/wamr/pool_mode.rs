//! The runtime side of `Alloc_With_Pool` / `Alloc_With_Allocator` (the allocator itself is
//! [`crate::os::alloc`]):
//!
//! - the warm-up before the allocation source switches is in `warm_up.rs`;
//! - `load_watched`, `instantiate_watched`: exhaustion of the pool (or a NULL from the
//!   user's malloc) during a load or an instantiation fails it cleanly with WAMR's
//!   `allocate memory failed`, after releasing what was built;
//! - `release_thread_state`, `report_leftover`: at the last `wasm_runtime_destroy`, this
//!   thread's caches let go of runtime objects, and anything still allocated from the pool is
//!   reported (a runtime bug: the buffer is the embedder's again).
//!
//! # Invariants
//! `instantiate_watched` writes only into the error buffer its caller passed with its size.

use std::ffi::c_char;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use super::ctypes::*;
use crate::cap::SealedHandle;
use crate::capi::ffi;
use crate::os::alloc::{self, Leftover};

const NO_MEMORY: &str = "allocate memory failed";

/// Run a load; if the configured source ran dry during it, `unload` what it built and fail as
/// WAMR does.
pub(crate) fn load_watched(
    f: impl FnOnce() -> Result<SealedHandle, String>,
    unload: impl FnOnce(SealedHandle),
) -> Result<SealedHandle, String> {
    let (r, fell) = alloc::watch(f);
    if !fell {
        return r;
    }
    if let Ok(h) = r {
        unload(h);
    }
    Err(format!("WASM module load failed: {NO_MEMORY}"))
}

/// Run an instantiation; on exhaustion `deinstantiate` what it built and fail as WAMR does.
pub(crate) fn instantiate_watched(
    api: &str,
    error_buf: *mut c_char,
    error_buf_size: u32,
    f: impl FnOnce() -> wasm_module_inst_t,
    deinstantiate: impl FnOnce(wasm_module_inst_t),
) -> wasm_module_inst_t {
    let (inst, fell) = alloc::watch(f);
    if !fell {
        return inst;
    }
    if !inst.is_null() {
        deinstantiate(inst);
    }
    let msg = format!("WASM module instantiate failed: {NO_MEMORY}");
    // SAFETY: the caller passes a writable error buffer of that size, or NULL.
    unsafe { ffi::write_error_buf(error_buf, error_buf_size, &msg) };
    super::handles::api_error(api, &msg);
    std::ptr::null_mut()
}

/// Drop this thread's cached references to runtime objects.
pub(crate) fn release_thread_state() {
    super::call_cache::forget_cached();
}

static LEFT_POOL_BYTES: AtomicU32 = AtomicU32::new(0);
static LEFT_USER_BLOCKS: AtomicUsize = AtomicUsize::new(0);

/// Record (and warn about) what the last destroy left in the pool or the user's allocator.
pub(crate) fn report_leftover(left: Leftover) {
    LEFT_POOL_BYTES.store(left.pool_bytes, Ordering::Relaxed);
    LEFT_USER_BLOCKS.store(left.user_blocks, Ordering::Relaxed);
    if left.pool_bytes > 0 || left.user_blocks > 0 {
        // A cwamr diagnostic (WAMR prints nothing here): debug level, `-v=3` shows it.
        ffi::log(
            ffi::LOG_DEBUG,
            &format!(
                "warning: wasm_runtime_destroy left {} bytes in the pool and {} blocks of the user allocator",
                left.pool_bytes, left.user_blocks
            ),
        );
    }
}

/// What the last `wasm_runtime_destroy` of a pool or allocator runtime left behind.
pub fn last_leftover() -> Leftover {
    Leftover {
        pool_bytes: LEFT_POOL_BYTES.load(Ordering::Relaxed),
        user_blocks: LEFT_USER_BLOCKS.load(Ordering::Relaxed),
    }
}
