//! `platform_api_vmcore.h`: platform init, memory, clocks, the calling thread, mutexes,
//! mappings and cache maintenance, as WAMR's Linux platform exports them.
//!
//! # Invariants
//! Pointers from C are used only as WAMR's prototypes allow: a `korp_mutex *` points to a
//! `pthread_mutex_t` the caller owns; a mapping passed back was made by `os_mmap` (or
//! `mmap`); `out` buffers hold the size given. NULL is refused where WAMR would crash.

use std::ffi::{c_char, c_int, c_uint, c_void};

use super::{BHT_ERROR, BHT_OK};
use crate::capi::ffi::guard;
use crate::os::{mem, thread, time};

/// `int bh_platform_init(void)`: nothing to set up; 0.
#[unsafe(no_mangle)]
pub extern "C" fn bh_platform_init() -> c_int {
    guard("bh_platform_init", 0, || 0)
}

/// `void bh_platform_destroy(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn bh_platform_destroy() {
    guard("bh_platform_destroy", (), || {})
}

/// `void *os_malloc(unsigned size)`: libc `malloc` (WAMR's `BH_MALLOC`).
#[unsafe(no_mangle)]
pub extern "C" fn os_malloc(size: c_uint) -> *mut c_void {
    // SAFETY: a plain allocation.
    guard("os_malloc", std::ptr::null_mut(), || unsafe {
        libc::malloc(size as usize)
    })
}

/// `void *os_realloc(void *ptr, unsigned size)`: libc `realloc`.
///
/// # Safety
/// `ptr` is NULL or a live block from `os_malloc`/`malloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_realloc(ptr: *mut c_void, size: c_uint) -> *mut c_void {
    // SAFETY: the caller's block per the contract.
    guard("os_realloc", std::ptr::null_mut(), || unsafe {
        libc::realloc(ptr, size as usize)
    })
}

/// `void os_free(void *ptr)`: libc `free`.
///
/// # Safety
/// `ptr` is NULL or a live block from `os_malloc`/`malloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_free(ptr: *mut c_void) {
    // SAFETY: the caller's block per the contract.
    guard("os_free", (), || unsafe { libc::free(ptr) })
}

/// `uint64 os_time_get_boot_us(void)`: `CLOCK_MONOTONIC` in microseconds.
#[unsafe(no_mangle)]
pub extern "C" fn os_time_get_boot_us() -> u64 {
    guard("os_time_get_boot_us", 0, time::boot_us)
}

/// `uint64 os_time_thread_cputime_us(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn os_time_thread_cputime_us() -> u64 {
    guard("os_time_thread_cputime_us", 0, time::thread_cputime_us)
}

/// `korp_tid os_self_thread(void)`: `pthread_self()`.
#[unsafe(no_mangle)]
pub extern "C" fn os_self_thread() -> libc::pthread_t {
    // SAFETY: pthread_self has no preconditions.
    guard("os_self_thread", 0, || unsafe { libc::pthread_self() })
}

/// `uint8 *os_thread_get_stack_boundary(void)`: the lowest usable address of the calling
/// thread's stack (see [`thread::stack_boundary`]); NULL if unknown.
#[unsafe(no_mangle)]
pub extern "C" fn os_thread_get_stack_boundary() -> *mut u8 {
    guard("os_thread_get_stack_boundary", std::ptr::null_mut(), || {
        thread::stack_boundary() as *mut u8
    })
}

/// `void os_thread_jit_write_protect_np(bool enabled)`: only meaningful on macOS arm64.
#[unsafe(no_mangle)]
pub extern "C" fn os_thread_jit_write_protect_np(_enabled: bool) {
    guard("os_thread_jit_write_protect_np", (), || {})
}

fn ok(r: c_int) -> c_int {
    if r == 0 { BHT_OK } else { BHT_ERROR }
}

macro_rules! mutex_fn {
    ($(#[$doc:meta])* $name:ident, $call:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `m` is NULL or points to a `pthread_mutex_t` owned by the caller.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(m: *mut libc::pthread_mutex_t) -> c_int {
            guard(stringify!($name), BHT_ERROR, || {
                if m.is_null() {
                    return BHT_ERROR;
                }
                // SAFETY: non-NULL and the caller's mutex (module invariant).
                ok(unsafe { $call(m) })
            })
        }
    };
}

mutex_fn!(
    /// `int os_mutex_init(korp_mutex *)`: a default (non-recursive) mutex.
    os_mutex_init,
    |m| libc::pthread_mutex_init(m, std::ptr::null())
);
mutex_fn!(
    /// `int os_mutex_destroy(korp_mutex *)`.
    os_mutex_destroy,
    libc::pthread_mutex_destroy
);
mutex_fn!(
    /// `int os_mutex_lock(korp_mutex *)`.
    os_mutex_lock,
    libc::pthread_mutex_lock
);
mutex_fn!(
    /// `int os_mutex_unlock(korp_mutex *)`.
    os_mutex_unlock,
    libc::pthread_mutex_unlock
);

/// `void *os_mmap(void *hint, size_t size, int prot, int flags, os_file_handle file)`.
///
/// # Safety
/// With `MMAP_MAP_FIXED`, `hint` names a range the caller may replace.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_mmap(
    hint: *mut c_void,
    size: usize,
    prot: c_int,
    flags: c_int,
    file: c_int,
) -> *mut c_void {
    guard("os_mmap", std::ptr::null_mut(), || {
        // SAFETY: MAP_FIXED only with the caller's promise (contract).
        unsafe { mem::map(hint, size, prot, flags, file) }.unwrap_or(std::ptr::null_mut())
    })
}

/// `void os_munmap(void *addr, size_t size)`.
///
/// # Safety
/// `addr` is NULL or a mapping of `size` bytes from `os_mmap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_munmap(addr: *mut c_void, size: usize) {
    // SAFETY: the caller's mapping (contract).
    guard("os_munmap", (), || unsafe { mem::unmap(addr, size) })
}

/// `int os_mprotect(void *addr, size_t size, int prot)`: 0 / -1.
///
/// # Safety
/// `addr` is NULL or a page-aligned mapping of `size` bytes owned by the caller.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_mprotect(addr: *mut c_void, size: usize, prot: c_int) -> c_int {
    // SAFETY: the caller's mapping (contract).
    guard("os_mprotect", -1, || unsafe {
        mem::protect(addr, size, prot)
    })
}

/// `void *os_mremap(void *old_addr, size_t old_size, size_t new_size)`: NULL on failure
/// (the old mapping is then kept).
///
/// # Safety
/// `old_addr` is a mapping of `old_size` bytes from `os_mmap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_mremap(
    old_addr: *mut c_void,
    old_size: usize,
    new_size: usize,
) -> *mut c_void {
    guard("os_mremap", std::ptr::null_mut(), || {
        if old_addr.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's mapping (contract).
        unsafe { mem::remap(old_addr, old_size, new_size) }.unwrap_or(std::ptr::null_mut())
    })
}

/// `void os_dcache_flush(void)`: nothing to do on Linux x86-64 / aarch64 user space.
#[unsafe(no_mangle)]
pub extern "C" fn os_dcache_flush() {
    guard("os_dcache_flush", (), || {})
}

/// `void os_icache_flush(void *start, size_t len)`: nothing to do (the interpreter never
/// executes generated machine code).
#[unsafe(no_mangle)]
pub extern "C" fn os_icache_flush(_start: *mut c_void, _len: usize) {
    guard("os_icache_flush", (), || {})
}

/// `int os_dumps_proc_mem_info(char *out, unsigned int size)`: the `VmRSS` and `RssAnon`
/// lines of `/proc/self/status`, NUL-terminated; -1 when `out` is NULL, `size` is 0 or the
/// lines do not fit (what fitted is kept, as in WAMR).
///
/// # Safety
/// `out` is NULL or holds `size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_dumps_proc_mem_info(out: *mut c_char, size: c_uint) -> c_int {
    guard("os_dumps_proc_mem_info", -1, || {
        // SAFETY: `size` writable bytes per the contract.
        let Some(buf) =
            (unsafe { crate::capi::ffi::slice_from_mut(out.cast::<u8>(), size as usize) })
        else {
            return -1;
        };
        if buf.is_empty() {
            return -1;
        }
        buf.fill(0);
        let Some(info) = mem::proc_mem_info() else {
            return -1;
        };
        let mut at = 0;
        for line in info.split_inclusive('\n') {
            if line.len() >= buf.len() - 1 - at {
                return -1;
            }
            buf[at..at + line.len()].copy_from_slice(line.as_bytes());
            at += line.len();
        }
        0
    })
}
