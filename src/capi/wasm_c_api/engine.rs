//! Configuration and the engine: `wasm_config_*`, `wasm_engine_*`.
//!
//! There is one engine per process (as in WAMR): every `wasm_engine_new*` returns the same
//! handle and counts a reference; the last `wasm_engine_delete` deletes the stores left and
//! retires the handle. `wasm_config_t` is a public C struct (48 bytes), so configurations are
//! real heap objects; they are recorded and validated before use or deletion.
//!
//! # Invariants
//! Every address whose [`key`] is in `CONFIGS` is a live `Box<WasmConfig>` leaked by
//! `wasm_config_new`; it is removed from the set before the box is rebuilt and dropped.

use std::collections::HashSet;
use std::ffi::c_void;
use std::sync::LazyLock;

use parking_lot::Mutex;

use super::handles::{GLOBAL_OWNER, Obj, issue, lookup, misuse, reject_kind, table};
use super::store::delete_all_stores;
use super::vec::key;
use crate::cap::{OType, SealedHandle};
use crate::capi::ffi;

/// `mem_alloc_type_t`.
pub const ALLOC_WITH_POOL: u32 = 0;
/// `Alloc_With_Allocator`.
pub const ALLOC_WITH_ALLOCATOR: u32 = 1;
/// `Alloc_With_System_Allocator`.
pub const ALLOC_WITH_SYSTEM_ALLOCATOR: u32 = 2;

/// `MemAllocOption` (a union of 32 bytes).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct MemAllocOption {
    words: [usize; 4],
}

/// `wasm_config_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WasmConfig {
    /// `mem_alloc_type`.
    pub mem_alloc_type: u32,
    /// `mem_alloc_option`.
    pub mem_alloc_option: MemAllocOption,
    /// `segue_flags`.
    pub segue_flags: u32,
    /// `enable_linux_perf`.
    pub enable_linux_perf: bool,
}

static CONFIGS: LazyLock<Mutex<HashSet<usize>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

struct EngineState {
    handle: SealedHandle,
    refs: u64,
}

static ENGINE: Mutex<Option<EngineState>> = Mutex::new(None);

fn config_arg(api: &str, c: *mut WasmConfig) -> Option<&'static mut WasmConfig> {
    if c.is_null() {
        misuse(api, "null config");
        return None;
    }
    if !CONFIGS.lock().contains(&key(c as usize)) {
        misuse(
            api,
            "not a config created by wasm_config_new (or already deleted)",
        );
        return None;
    }
    // SAFETY: `c` is a live config allocated by wasm_config_new (module invariant); the C
    // API contract makes the caller the only user of a config at a time.
    Some(unsafe { &mut *c })
}

fn take_config(c: *mut WasmConfig) -> Option<WasmConfig> {
    if c.is_null() || !CONFIGS.lock().remove(&key(c as usize)) {
        return None;
    }
    // SAFETY: `c` was a live leaked box and has just been removed from the set (invariant).
    Some(*unsafe { Box::from_raw(c) })
}

/// `wasm_config_new`: the default configuration (system allocator).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_config_new() -> *mut WasmConfig {
    ffi::guard("wasm_config_new", std::ptr::null_mut(), || {
        let p = Box::into_raw(Box::new(WasmConfig {
            mem_alloc_type: ALLOC_WITH_SYSTEM_ALLOCATOR,
            mem_alloc_option: MemAllocOption::default(),
            segue_flags: 0,
            enable_linux_perf: false,
        }));
        CONFIGS.lock().insert(key(p as usize));
        p
    })
}

/// `wasm_config_delete`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_config_delete(config: *mut WasmConfig) {
    ffi::guard("wasm_config_delete", (), || {
        if !config.is_null() && take_config(config).is_none() {
            misuse(
                "wasm_config_delete",
                "not a config created by wasm_config_new (or already deleted)",
            );
        }
    })
}

/// `wasm_config_set_mem_alloc_opt`.
///
/// # Safety
/// `opts` is NULL or points to a `MemAllocOption`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_config_set_mem_alloc_opt(
    config: *mut WasmConfig,
    ty: u32,
    opts: *mut MemAllocOption,
) -> *mut WasmConfig {
    ffi::guard(
        "wasm_config_set_mem_alloc_opt",
        std::ptr::null_mut(),
        || {
            let Some(c) = config_arg("wasm_config_set_mem_alloc_opt", config) else {
                return std::ptr::null_mut();
            };
            c.mem_alloc_type = ty;
            if !opts.is_null() {
                // SAFETY: non-null and readable per the caller's contract.
                c.mem_alloc_option = unsafe { *opts };
            }
            config
        },
    )
}

/// `wasm_config_set_linux_perf_opt`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_config_set_linux_perf_opt(
    config: *mut WasmConfig,
    enable: bool,
) -> *mut WasmConfig {
    ffi::guard(
        "wasm_config_set_linux_perf_opt",
        std::ptr::null_mut(),
        || {
            let Some(c) = config_arg("wasm_config_set_linux_perf_opt", config) else {
                return std::ptr::null_mut();
            };
            c.enable_linux_perf = enable;
            config
        },
    )
}

/// `wasm_config_set_segue_flags`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_config_set_segue_flags(
    config: *mut WasmConfig,
    flags: u32,
) -> *mut WasmConfig {
    ffi::guard("wasm_config_set_segue_flags", std::ptr::null_mut(), || {
        let Some(c) = config_arg("wasm_config_set_segue_flags", config) else {
            return std::ptr::null_mut();
        };
        c.segue_flags = flags;
        config
    })
}

/// Checks the allocator choice as WAMR does: pool and custom allocators need options. The
/// runtime always allocates with the Rust global allocator; the choice is accepted for
/// compatibility (documented in docs/compatibility.md).
fn check_alloc(api: &str, ty: u32, has_opts: bool) -> bool {
    match ty {
        ALLOC_WITH_POOL | ALLOC_WITH_ALLOCATOR if !has_opts => {
            misuse(api, "this allocator type needs MemAllocOption");
            false
        }
        ALLOC_WITH_POOL | ALLOC_WITH_ALLOCATOR | ALLOC_WITH_SYSTEM_ALLOCATOR => true,
        _ => {
            misuse(api, "unknown mem_alloc_type");
            false
        }
    }
}

/// The engine handle, creating the engine or counting one more reference.
fn engine_acquire(api: &str) -> *mut c_void {
    let mut e = ENGINE.lock();
    if let Some(st) = e.as_mut() {
        st.refs += 1;
        return st.handle.to_ptr();
    }
    match issue(
        api,
        OType::RUNTIME,
        GLOBAL_OWNER,
        std::sync::Arc::new(Obj::Engine),
    ) {
        Some(h) => {
            *e = Some(EngineState { handle: h, refs: 1 });
            crate::capi::wamr::runtime::engine_acquire_runtime();
            h.to_ptr()
        }
        None => std::ptr::null_mut(),
    }
}

/// True if `p` is the live engine (reports otherwise).
pub fn engine_valid(api: &str, p: *const c_void) -> bool {
    match lookup(api, p, OType::RUNTIME, Some(GLOBAL_OWNER)) {
        Some(o) if matches!(*o, Obj::Engine) => true,
        Some(o) => {
            reject_kind(api, p, OType::RUNTIME, "engine", &o);
            false
        }
        None => false,
    }
}

/// `wasm_engine_new`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_engine_new() -> *mut c_void {
    ffi::guard("wasm_engine_new", std::ptr::null_mut(), || {
        engine_acquire("wasm_engine_new")
    })
}

/// `wasm_engine_new_with_config`: takes ownership of `config` (NULL means defaults).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_engine_new_with_config(config: *mut WasmConfig) -> *mut c_void {
    ffi::guard("wasm_engine_new_with_config", std::ptr::null_mut(), || {
        let api = "wasm_engine_new_with_config";
        if !config.is_null() {
            let Some(c) = take_config(config) else {
                misuse(
                    api,
                    "not a config created by wasm_config_new (or already deleted)",
                );
                return std::ptr::null_mut();
            };
            let has_opts = c.mem_alloc_option.words.iter().any(|&w| w != 0);
            if !check_alloc(api, c.mem_alloc_type, has_opts) {
                return std::ptr::null_mut();
            }
        }
        engine_acquire(api)
    })
}

/// `wasm_engine_new_with_args`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_engine_new_with_args(ty: u32, opts: *const MemAllocOption) -> *mut c_void {
    ffi::guard("wasm_engine_new_with_args", std::ptr::null_mut(), || {
        let api = "wasm_engine_new_with_args";
        if !check_alloc(api, ty, !opts.is_null()) {
            return std::ptr::null_mut();
        }
        engine_acquire(api)
    })
}

/// `wasm_engine_delete`: drops one reference; the last one deletes every store left.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_engine_delete(engine: *mut c_void) {
    ffi::guard("wasm_engine_delete", (), || {
        if engine.is_null() || !engine_valid("wasm_engine_delete", engine) {
            return;
        }
        let retire = {
            let mut e = ENGINE.lock();
            match e.as_mut() {
                Some(st) if st.refs > 1 => {
                    st.refs -= 1;
                    None
                }
                Some(_) => e.take().map(|st| st.handle),
                None => None,
            }
        };
        if let Some(h) = retire {
            delete_all_stores();
            drop(table().remove(h, OType::RUNTIME, Some(GLOBAL_OWNER)));
            crate::capi::wamr::runtime::engine_release_runtime();
        }
    })
}
