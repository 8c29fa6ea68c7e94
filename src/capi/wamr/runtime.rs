//! Runtime init/destroy, logging, version and the runtime-heap allocator
//! (`wasm_runtime_init`, `_full_init`, `_destroy`, `_set_log_level`, `_get_version`,
//! `wasm_runtime_malloc` & co., thread env) plus the WAMR-internal helpers that WAMR's own
//! programs link (`bh_log_set_verbose_level`, `b_memcpy_s`, `os_mmap`, `os_munmap`).
//!
//! # Invariants
//! - the allocator callbacks of `Alloc_With_Allocator` are called with exactly the C
//!   signatures WAMR documents for its default build (`malloc(size)`, `realloc(ptr, size)`,
//!   `free(ptr)`), and memory is always released by the allocator that produced it: the mode
//!   can only change when the runtime is (re)initialised;
//! - raw pointers from C are only dereferenced for the length the caller passed.

use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::Ordering;

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error};
use super::{instance, natives};
use crate::capi::ffi::{self, guard};

/// How `wasm_runtime_malloc` gets memory.
#[derive(Clone, Copy)]
enum AllocMode {
    System,
    /// Caller's pool: recorded for `get_mem_alloc_info`; blocks still come from the system
    /// allocator (see docs/compatibility.md).
    Pool {
        size: u32,
    },
    User {
        malloc: unsafe extern "C" fn(c_uint) -> *mut c_void,
        realloc: Option<unsafe extern "C" fn(*mut c_void, c_uint) -> *mut c_void>,
        free: unsafe extern "C" fn(*mut c_void),
    },
}

struct RuntimeState {
    refcount: u32,
    alloc: AllocMode,
    /// Bytes handed out by `wasm_runtime_malloc` in pool mode, and the high-water mark.
    pool_used: u64,
    pool_high: u64,
}

static STATE: Mutex<RuntimeState> = Mutex::new(RuntimeState {
    refcount: 0,
    alloc: AllocMode::System,
    pool_used: 0,
    pool_high: 0,
});

thread_local! {
    static THREAD_ENV: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn start(alloc: AllocMode) -> bool {
    let mut st = STATE.lock();
    st.refcount += 1;
    if st.refcount == 1 {
        st.alloc = alloc;
        st.pool_used = 0;
        st.pool_high = 0;
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
                if p.heap_buf.is_null() || p.heap_size == 0 {
                    api_error(API, "Alloc_With_Pool needs heap_buf and heap_size");
                    return false;
                }
                AllocMode::Pool { size: p.heap_size }
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
                    AllocMode::User {
                        malloc: std::mem::transmute::<
                            *mut c_void,
                            unsafe extern "C" fn(c_uint) -> *mut c_void,
                        >(u.malloc_func),
                        realloc: if u.realloc_func.is_null() {
                            None
                        } else {
                            Some(std::mem::transmute::<
                                *mut c_void,
                                unsafe extern "C" fn(*mut c_void, c_uint) -> *mut c_void,
                            >(u.realloc_func))
                        },
                        free: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut c_void)>(
                            u.free_func,
                        ),
                    }
                }
            }
            other => {
                api_error(API, &format!("unknown mem_alloc_type {other}"));
                return false;
            }
        };
        start(alloc);
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
    drop(st);
    instance::destroy_all();
    super::module::unload_all();
    natives::clear();
    super::context::clear_keys();
    handles::end_epoch();
}

/// Release one reference; the last one destroys every instance, module and native
/// registration of this runtime (their handles become invalid).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy() {
    guard("wasm_runtime_destroy", (), || {
        super::handles::forget_cached();
        teardown_runtime()
    })
}

/// Set the log verbosity (`log_level_t`).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_log_level(level: log_level_t) {
    guard("wasm_runtime_set_log_level", (), || {
        ffi::LOG_LEVEL.store(level.clamp(0, 4) as u32, Ordering::Relaxed);
        super::variadic::set_c_log_level(level.clamp(0, 4) as u32);
    })
}

/// WAMR-internal log level setter used by WAMR's own samples and `iwasm`.
#[unsafe(no_mangle)]
pub extern "C" fn bh_log_set_verbose_level(level: u32) {
    guard("bh_log_set_verbose_level", (), || {
        ffi::LOG_LEVEL.store(level.min(4), Ordering::Relaxed);
        super::variadic::set_c_log_level(level);
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

fn alloc_mode() -> AllocMode {
    STATE.lock().alloc
}

fn pool_account(delta_add: usize, delta_sub: usize) {
    let mut st = STATE.lock();
    st.pool_used = st
        .pool_used
        .saturating_add(delta_add as u64)
        .saturating_sub(delta_sub as u64);
    st.pool_high = st.pool_high.max(st.pool_used);
}

fn usable(p: *mut c_void) -> usize {
    if p.is_null() {
        0
    } else {
        // SAFETY: `p` was returned by the system allocator (pool mode uses it).
        unsafe { libc::malloc_usable_size(p) }
    }
}

/// Allocate from the runtime heap.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_malloc(size: c_uint) -> *mut c_void {
    guard(
        "wasm_runtime_malloc",
        std::ptr::null_mut(),
        || match alloc_mode() {
            // SAFETY: plain allocation calls; a zero size still returns a unique pointer.
            AllocMode::System => unsafe { libc::malloc(size.max(1) as usize) },
            AllocMode::Pool { .. } => {
                // SAFETY: as above.
                let p = unsafe { libc::malloc(size.max(1) as usize) };
                pool_account(usable(p), 0);
                p
            }
            // SAFETY: the embedder's malloc, with WAMR's signature.
            AllocMode::User { malloc, .. } => unsafe { malloc(size) },
        },
    )
}

/// Allocate `size` bytes aligned to `alignment` (a power of two).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_aligned_alloc(size: c_uint, alignment: c_uint) -> *mut c_void {
    guard("wasm_runtime_aligned_alloc", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_aligned_alloc";
        if !alignment.is_power_of_two() {
            api_error(API, "alignment must be a power of two");
            return std::ptr::null_mut();
        }
        match alloc_mode() {
            AllocMode::User { .. } => {
                api_error(
                    API,
                    "aligned allocation is not available with a user allocator",
                );
                std::ptr::null_mut()
            }
            mode => {
                let align = (alignment as usize).max(std::mem::size_of::<usize>());
                let mut p = std::ptr::null_mut();
                // SAFETY: `align` is a power of two multiple of sizeof(void*); `p` is writable.
                let rc = unsafe { libc::posix_memalign(&mut p, align, size.max(1) as usize) };
                if rc != 0 {
                    return std::ptr::null_mut();
                }
                if let AllocMode::Pool { .. } = mode {
                    pool_account(usable(p), 0);
                }
                p
            }
        }
    })
}

/// Resize a runtime-heap block.
///
/// # Safety
/// `ptr` is NULL or a live block of `wasm_runtime_malloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_realloc(ptr: *mut c_void, size: c_uint) -> *mut c_void {
    guard(
        "wasm_runtime_realloc",
        std::ptr::null_mut(),
        || match alloc_mode() {
            // SAFETY: `ptr` came from the same allocator per the contract.
            AllocMode::System => unsafe { libc::realloc(ptr, size.max(1) as usize) },
            AllocMode::Pool { .. } => {
                let old = usable(ptr);
                // SAFETY: as above.
                let p = unsafe { libc::realloc(ptr, size.max(1) as usize) };
                if !p.is_null() {
                    pool_account(usable(p), old);
                }
                p
            }
            AllocMode::User {
                realloc: Some(r), ..
            } => {
                // SAFETY: the embedder's realloc with WAMR's signature.
                unsafe { r(ptr, size) }
            }
            AllocMode::User { realloc: None, .. } => {
                api_error(
                    "wasm_runtime_realloc",
                    "the user allocator has no realloc_func",
                );
                std::ptr::null_mut()
            }
        },
    )
}

/// Free a runtime-heap block (NULL is ignored).
///
/// # Safety
/// `ptr` is NULL or a live block of `wasm_runtime_malloc`/`_realloc`/`_aligned_alloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_free(ptr: *mut c_void) {
    guard("wasm_runtime_free", (), || {
        if ptr.is_null() {
            return;
        }
        match alloc_mode() {
            // SAFETY: `ptr` came from the system allocator per the contract.
            AllocMode::System => unsafe { libc::free(ptr) },
            AllocMode::Pool { .. } => {
                pool_account(0, usable(ptr));
                // SAFETY: as above.
                unsafe { libc::free(ptr) }
            }
            // SAFETY: the embedder's free.
            AllocMode::User { free, .. } => unsafe { free(ptr) },
        }
    })
}

/// Runtime-heap statistics; only meaningful (and `true`) in `Alloc_With_Pool` mode.
///
/// # Safety
/// `mem_alloc_info` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_mem_alloc_info(
    mem_alloc_info: *mut mem_alloc_info_t,
) -> bool {
    guard("wasm_runtime_get_mem_alloc_info", false, || {
        let st = STATE.lock();
        let AllocMode::Pool { size } = st.alloc else {
            api_error(
                "wasm_runtime_get_mem_alloc_info",
                "only available with Alloc_With_Pool",
            );
            return false;
        };
        if mem_alloc_info.is_null() {
            return false;
        }
        let used = st.pool_used.min(u64::from(size)) as u32;
        let info = mem_alloc_info_t {
            total_size: size,
            total_free_size: size - used,
            highmark_size: st.pool_high.min(u64::from(size)) as u32,
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
        THREAD_ENV.with(|t| t.set(false))
    })
}

/// True on the thread that initialised the runtime and after `wasm_runtime_init_thread_env`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_thread_env_inited() -> bool {
    guard("wasm_runtime_thread_env_inited", false, || {
        THREAD_ENV.with(|t| t.get())
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

/// WAMR's bounds-checked `memcpy`: 0 on success, -1 (and `s1` cleared) on bad arguments.
///
/// # Safety
/// `s1` is NULL or has `s1max` writable bytes; `s2` is NULL or has `n` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn b_memcpy_s(
    s1: *mut c_void,
    s1max: c_uint,
    s2: *const c_void,
    n: c_uint,
) -> c_int {
    guard("b_memcpy_s", -1, || {
        if n == 0 {
            return 0;
        }
        if s1.is_null() {
            return -1;
        }
        if s2.is_null() || n > s1max {
            // SAFETY: `s1` has `s1max` writable bytes per the contract.
            unsafe { std::ptr::write_bytes(s1.cast::<u8>(), 0, s1max as usize) };
            return -1;
        }
        // SAFETY: both ranges are valid per the contract (`n <= s1max`); `copy` allows overlap.
        unsafe { std::ptr::copy(s2.cast::<u8>(), s1.cast::<u8>(), n as usize) };
        0
    })
}

const MMAP_PROT_READ: c_int = 1;
const MMAP_PROT_WRITE: c_int = 2;
const MMAP_PROT_EXEC: c_int = 4;
const MMAP_MAP_32BIT: c_int = 1;
const MMAP_MAP_FIXED: c_int = 2;

fn page_round(size: usize) -> Option<usize> {
    // SAFETY: sysconf has no memory-safety preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
    size.checked_add(page - 1).map(|s| s & !(page - 1))
}

/// WAMR platform helper: map `size` bytes (anonymous unless `file` is a descriptor).
///
/// # Safety
/// With `MMAP_MAP_FIXED`, `hint` must name a range the caller owns.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_mmap(
    hint: *mut c_void,
    size: usize,
    prot: c_int,
    flags: c_int,
    file: c_int,
) -> *mut c_void {
    guard("os_mmap", std::ptr::null_mut(), || {
        let Some(len) = page_round(size).filter(|&l| l > 0) else {
            return std::ptr::null_mut();
        };
        let mut p = libc::PROT_NONE;
        if prot & MMAP_PROT_READ != 0 {
            p |= libc::PROT_READ;
        }
        if prot & MMAP_PROT_WRITE != 0 {
            p |= libc::PROT_WRITE;
        }
        if prot & MMAP_PROT_EXEC != 0 {
            p |= libc::PROT_EXEC;
        }
        let mut f = libc::MAP_PRIVATE;
        if file < 0 {
            f |= libc::MAP_ANONYMOUS;
        }
        if flags & MMAP_MAP_FIXED != 0 {
            f |= libc::MAP_FIXED;
        }
        #[cfg(target_arch = "x86_64")]
        if flags & MMAP_MAP_32BIT != 0 {
            f |= libc::MAP_32BIT;
        }
        // SAFETY: a new mapping; MAP_FIXED only at the caller's request (contract).
        let r = unsafe { libc::mmap(hint, len, p, f, file, 0) };
        if r == libc::MAP_FAILED {
            std::ptr::null_mut()
        } else {
            r
        }
    })
}

/// WAMR platform helper: unmap what `os_mmap` mapped.
///
/// # Safety
/// `addr`/`size` name a mapping returned by `os_mmap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_munmap(addr: *mut c_void, size: usize) {
    guard("os_munmap", (), || {
        if addr.is_null() {
            return;
        }
        if let Some(len) = page_round(size) {
            // SAFETY: the caller owns this mapping.
            unsafe { libc::munmap(addr, len) };
        }
    })
}
