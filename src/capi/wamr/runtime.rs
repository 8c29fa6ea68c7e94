//! Runtime init/destroy, logging, version and the runtime-heap allocator
//! (`wasm_runtime_init`, `_full_init`, `_destroy`, `_set_log_level`, `_get_version`,
//! `wasm_runtime_malloc` & co., thread env). The WAMR-internal helpers that WAMR's own
//! programs link (`bh_log_set_verbose_level`, `b_memcpy_s`, `os_mmap`, ...) are in
//! `capi::platform`.
//!
//! # Invariants
//! - the allocator callbacks of `Alloc_With_Allocator` are called with exactly the C
//!   signatures WAMR documents for its default build (`malloc(size)`, `realloc(ptr, size)`,
//!   `free(ptr)`); the allocation source (`crate::os::alloc`) only changes in `full_init` and
//!   in the last `wasm_runtime_destroy`, after every runtime object is gone;
//! - the pool's buffer is used from `full_init` until the last destroy, no longer;
//! - raw pointers from C are only dereferenced for the length the caller passed.

use std::ffi::{c_uint, c_void};

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error};
use super::{instance, natives};
use crate::capi::ffi::{self, guard};
use crate::os::alloc::{self, Source};
use crate::os::pool::{APP_HEAP_SIZE_MIN, InitError, Pool};

/// How the runtime gets memory (see [`crate::os::alloc`]).
#[derive(Clone, Copy)]
enum AllocMode {
    System,
    /// The pool inside the embedder's buffer: every runtime allocation comes from it.
    Pool(Pool),
    /// The embedder's functions.
    User(Source),
}

struct RuntimeState {
    refcount: u32,
    alloc: AllocMode,
}

static STATE: Mutex<RuntimeState> = Mutex::new(RuntimeState {
    refcount: 0,
    alloc: AllocMode::System,
});

thread_local! {
    static THREAD_ENV: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn start(alloc: AllocMode) -> bool {
    let mut st = STATE.lock();
    st.refcount += 1;
    if st.refcount == 1 {
        st.alloc = alloc;
        handles::start_epoch();
        THREAD_ENV.with(|t| t.set(true));
    }
    true
}

/// Initialise the runtime with the system allocator (reference counted, as WAMR).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_init() -> bool {
    guard("wasm_runtime_init", false, || start(AllocMode::System))
}

/// Initialise with `RuntimeInitArgs`: allocator mode, natives registered at init, running mode.
///
/// # Safety
/// `init_args` is NULL or points to a valid `RuntimeInitArgs`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_full_init(init_args: *mut RuntimeInitArgs) -> bool {
    guard("wasm_runtime_full_init", false, || {
        const API: &str = "wasm_runtime_full_init";
        if init_args.is_null() {
            api_error(API, "init_args is NULL");
            return false;
        }
        // SAFETY: non-null and valid per the contract.
        let a = unsafe { *init_args };
        if STATE.lock().refcount > 0 {
            // Already running: WAMR only counts the reference.
            return start(AllocMode::System);
        }
        if a.running_mode != 0 && a.running_mode != Mode_Interp {
            api_error(
                API,
                &format!(
                    "running mode {} is not supported (only Mode_Interp)",
                    a.running_mode
                ),
            );
            return false;
        }
        let alloc = match a.mem_alloc_type {
            Alloc_With_System_Allocator => AllocMode::System,
            Alloc_With_Pool => {
                // SAFETY: `pool` is the active member for this mem_alloc_type.
                let p = unsafe { a.mem_alloc_option.pool };
                // SAFETY: the embedder lends `heap_size` bytes at `heap_buf` until destroy
                // (WAMR's contract for Alloc_With_Pool).
                match unsafe { Pool::create(p.heap_buf.cast(), p.heap_size) } {
                    Ok(pool) => AllocMode::Pool(pool),
                    Err(e) => {
                        let min = match e {
                            InitError::TooSmall(m) => m,
                            _ => APP_HEAP_SIZE_MIN,
                        };
                        ffi::log(
                            ffi::LOG_ERROR,
                            &format!("[GC_ERROR]heap init buf size ({}) < {min}\n", p.heap_size),
                        );
                        api_error(
                            API,
                            "Alloc_With_Pool needs a heap_buf of at least 256 bytes",
                        );
                        return false;
                    }
                }
            }
            Alloc_With_Allocator => {
                // SAFETY: `allocator` is the active member for this mem_alloc_type.
                let u = unsafe { a.mem_alloc_option.allocator };
                if u.malloc_func.is_null() || u.free_func.is_null() {
                    api_error(API, "Alloc_With_Allocator needs malloc_func and free_func");
                    return false;
                }
                // SAFETY: WAMR's documented callback signatures (default build); the pointers
                // are non-null function pointers supplied by the embedder.
                unsafe {
                    AllocMode::User(Source::User {
                        malloc: std::mem::transmute::<*mut c_void, alloc::UserMalloc>(
                            u.malloc_func,
                        ),
                        realloc: if u.realloc_func.is_null() {
                            None
                        } else {
                            Some(std::mem::transmute::<*mut c_void, alloc::UserRealloc>(
                                u.realloc_func,
                            ))
                        },
                        free: std::mem::transmute::<*mut c_void, alloc::UserFree>(u.free_func),
                    })
                }
            }
            other => {
                api_error(API, &format!("unknown mem_alloc_type {other}"));
                return false;
            }
        };
        start(alloc);
        if !matches!(alloc, AllocMode::System) {
            super::warm_up::warm_up();
            let source = match alloc {
                AllocMode::Pool(p) => Source::Pool(p),
                AllocMode::User(u) => u,
                AllocMode::System => Source::System,
            };
            alloc::set_source(source);
        }
        if a.n_native_symbols > 0 {
            // SAFETY: the caller passes a valid module name and symbol array.
            let ok = unsafe {
                natives::register(
                    API,
                    a.native_module_name,
                    a.native_symbols,
                    a.n_native_symbols,
                    natives::RegisterKind::Plain,
                )
            };
            if !ok {
                teardown_runtime();
                return false;
            }
        }
        true
    })
}

/// The wasm-c-api engine holds one runtime reference while it exists (as WAMR's
/// `wasm_engine_new` initialises the runtime), so programs mixing both C APIs need no
/// `wasm_runtime_init` of their own.
pub(crate) fn engine_acquire_runtime() -> bool {
    start(AllocMode::System)
}

/// Release the engine's runtime reference.
pub(crate) fn engine_release_runtime() {
    teardown_runtime();
}

fn teardown_runtime() {
    let mut st = STATE.lock();
    if st.refcount == 0 {
        return;
    }
    st.refcount -= 1;
    if st.refcount > 0 {
        return;
    }
    let mode = st.alloc;
    st.alloc = AllocMode::System;
    drop(st);
    instance::destroy_all();
    super::module::unload_all();
    super::multi_module::clear();
    natives::clear();
    super::context::clear_keys();
    crate::runtime::shared_heap::destroy_all();
    handles::end_epoch();
    if !matches!(mode, AllocMode::System) {
        super::pool_mode::release_thread_state();
        let left = alloc::reset();
        super::pool_mode::report_leftover(left);
        if let AllocMode::Pool(p) = mode {
            // SAFETY: the runtime no longer uses the pool (mode reset above).
            unsafe { p.destroy() };
        }
    }
}

/// Release one reference; the last one destroys every instance, module and native
/// registration of this runtime (their handles become invalid).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy() {
    guard("wasm_runtime_destroy", (), || {
        super::call_cache::forget_cached();
        teardown_runtime()
    })
}

/// Set the log verbosity (`log_level_t`).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_log_level(level: log_level_t) {
    guard("wasm_runtime_set_log_level", (), || {
        // WAMR passes the enum value on unchanged (any value is accepted)
        crate::os::log::set_level(level as u32);
    })
}

/// The WAMR version this library is compatible with: 2.4.3.
///
/// # Safety
/// Each pointer is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_version(
    major: *mut u32,
    minor: *mut u32,
    patch: *mut u32,
) {
    guard("wasm_runtime_get_version", (), || {
        for (p, v) in [(major, 2), (minor, 4), (patch, 3)] {
            if !p.is_null() {
                // SAFETY: non-null and writable per the contract.
                unsafe { p.write(v) };
            }
        }
    })
}

/// Allocate from the runtime heap (the pool, the embedder's allocator or the system).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_malloc(size: c_uint) -> *mut c_void {
    guard("wasm_runtime_malloc", std::ptr::null_mut(), || {
        let mut size = size;
        if size == 0 {
            ffi::log(
                ffi::LOG_WARNING,
                "warning: wasm_runtime_malloc with size zero\n",
            );
            size = 1;
        }
        alloc::c_malloc(size)
    })
}

/// Allocate `size` bytes aligned to `alignment` (a power of two; in pool mode `size` must be
/// a multiple of it, as WAMR's pool requires).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_aligned_alloc(size: c_uint, alignment: c_uint) -> *mut c_void {
    guard("wasm_runtime_aligned_alloc", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_aligned_alloc";
        if alignment == 0 {
            ffi::log(
                ffi::LOG_WARNING,
                "warning: wasm_runtime_aligned_alloc with zero alignment\n",
            );
            return std::ptr::null_mut();
        }
        if !alignment.is_power_of_two() {
            api_error(API, "alignment must be a power of two");
            return std::ptr::null_mut();
        }
        let mut size = size;
        if size == 0 {
            ffi::log(
                ffi::LOG_WARNING,
                "warning: wasm_runtime_aligned_alloc with size zero\n",
            );
            size = alignment;
        }
        if let AllocMode::User(_) = STATE.lock().alloc {
            ffi::log(
                ffi::LOG_ERROR,
                "wasm_runtime_aligned_alloc failed: only supported in POOL memory mode.\n",
            );
            return std::ptr::null_mut();
        }
        alloc::c_aligned(size, alignment)
    })
}

/// Resize a runtime-heap block.
///
/// # Safety
/// `ptr` is NULL or a live block of `wasm_runtime_malloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_realloc(ptr: *mut c_void, size: c_uint) -> *mut c_void {
    guard("wasm_runtime_realloc", std::ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        match unsafe { alloc::c_realloc(ptr, size) } {
            Ok(p) => p,
            Err(alloc::NoUserRealloc) => {
                api_error(
                    "wasm_runtime_realloc",
                    "the user allocator has no realloc_func",
                );
                std::ptr::null_mut()
            }
        }
    })
}

/// Free a runtime-heap block (NULL is ignored with WAMR's warning).
///
/// # Safety
/// `ptr` is NULL or a live block of `wasm_runtime_malloc`/`_realloc`/`_aligned_alloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_free(ptr: *mut c_void) {
    guard("wasm_runtime_free", (), || {
        if ptr.is_null() {
            ffi::log(
                ffi::LOG_WARNING,
                "warning: wasm_runtime_free with NULL pointer\n",
            );
            return;
        }
        // SAFETY: forwarded contract.
        unsafe { alloc::c_free(ptr) }
    })
}

/// Statistics of the runtime pool (`Alloc_With_Pool` only): block-area size, free bytes and
/// the high-water mark, exactly as the pool counts them.
///
/// # Safety
/// `mem_alloc_info` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_mem_alloc_info(
    mem_alloc_info: *mut mem_alloc_info_t,
) -> bool {
    guard("wasm_runtime_get_mem_alloc_info", false, || {
        let AllocMode::Pool(p) = STATE.lock().alloc else {
            api_error(
                "wasm_runtime_get_mem_alloc_info",
                "only available with Alloc_With_Pool",
            );
            return false;
        };
        if mem_alloc_info.is_null() {
            return false;
        }
        let s = p.stats();
        let info = mem_alloc_info_t {
            total_size: s.total,
            total_free_size: s.free,
            highmark_size: s.highmark,
        };
        // SAFETY: non-null and writable per the contract.
        unsafe { mem_alloc_info.write(info) };
        true
    })
}

/// Prepare the calling thread for running WebAssembly (always succeeds: the interpreter needs
/// no per-thread signal setup).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_init_thread_env() -> bool {
    guard("wasm_runtime_init_thread_env", false, || {
        THREAD_ENV.with(|t| t.set(true));
        true
    })
}

/// Undo `wasm_runtime_init_thread_env`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy_thread_env() {
    guard("wasm_runtime_destroy_thread_env", (), || {
        // This thread's cached validations hold runtime objects (pool blocks in pool mode).
        super::call_cache::forget_cached();
        THREAD_ENV.with(|t| t.set(false))
    })
}

/// True on the thread that initialised the runtime and after `wasm_runtime_init_thread_env`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_thread_env_inited() -> bool {
    guard("wasm_runtime_thread_env_inited", false, || {
        // threads created by os_thread_create have their environment set up, as in WAMR
        THREAD_ENV.with(|t| t.get()) || crate::os::thread::signal_env_inited()
    })
}

/// True for `Mode_Interp`, the only engine so far, and for 0 (WAMR's internal
/// `Mode_Default`: "the build's default mode", here the interpreter).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_is_running_mode_supported(running_mode: RunningMode) -> bool {
    guard("wasm_runtime_is_running_mode_supported", false, || {
        running_mode == 0 || running_mode == Mode_Interp
    })
}

/// Only `Mode_Interp` (or 0, the default mode, which is the interpreter) can be selected.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_default_running_mode(running_mode: RunningMode) -> bool {
    guard("wasm_runtime_set_default_running_mode", false, || {
        if running_mode == 0 || running_mode == Mode_Interp {
            true
        } else {
            api_error(
                "wasm_runtime_set_default_running_mode",
                &format!("running mode {running_mode} is not supported (only Mode_Interp)"),
            );
            false
        }
    })
}
