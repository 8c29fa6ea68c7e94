//! `bh_common.h` and `runtime_timer.h`: bounded copies, string duplication and tokenising,
//! millisecond ticks.
//!
//! # Invariants
//! Buffers from C hold the sizes WAMR's prototypes give them (see [`crate::util::memstr`]);
//! strings are NULL or NUL-terminated.

use std::ffi::{c_char, c_int, c_uint, c_void};

use crate::capi::ffi::guard;
use crate::util::memstr;

/// `int b_memcpy_s(void *s1, unsigned int s1max, const void *s2, unsigned int n)`: 0, or -1
/// (a NULL source or `n > s1max` also zero-fills `s1max` bytes of `s1`).
///
/// # Safety
/// `s1` is NULL or holds `s1max` writable bytes; `s2` is NULL or holds `n` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn b_memcpy_s(
    s1: *mut c_void,
    s1max: c_uint,
    s2: *const c_void,
    n: c_uint,
) -> c_int {
    // SAFETY: per the contract.
    guard("b_memcpy_s", -1, || unsafe {
        memstr::copy_s(s1.cast(), s1max, s2.cast(), n)
    })
}

/// `int b_memmove_s(void *s1, unsigned int s1max, const void *s2, unsigned int n)`: as
/// [`b_memcpy_s`], overlapping ranges allowed.
///
/// # Safety
/// As [`b_memcpy_s`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn b_memmove_s(
    s1: *mut c_void,
    s1max: c_uint,
    s2: *const c_void,
    n: c_uint,
) -> c_int {
    // SAFETY: per the contract.
    guard("b_memmove_s", -1, || unsafe {
        memstr::copy_s(s1.cast(), s1max, s2.cast(), n)
    })
}

/// `int b_memcpy_wa(void *s1, unsigned int s1max, const void *s2, unsigned int n)`: a copy
/// of at most `s1max` bytes; always 0, as in WAMR.
///
/// # Safety
/// As [`b_memcpy_s`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn b_memcpy_wa(
    s1: *mut c_void,
    s1max: c_uint,
    s2: *const c_void,
    n: c_uint,
) -> c_int {
    // SAFETY: per the contract.
    guard("b_memcpy_wa", 0, || unsafe {
        memstr::copy_wa(s1.cast(), s1max, s2.cast(), n)
    })
}

/// `int b_strcat_s(char *s1, unsigned int s1max, const char *s2)`: 0, or -1 if it does not
/// fit.
///
/// # Safety
/// `s1` is NULL or a NUL-terminated string in `s1max` writable bytes; `s2` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn b_strcat_s(s1: *mut c_char, s1max: c_uint, s2: *const c_char) -> c_int {
    // SAFETY: per the contract.
    guard("b_strcat_s", -1, || unsafe {
        memstr::strcat_s(s1, s1max, s2)
    })
}

/// `int b_strcpy_s(char *s1, unsigned int s1max, const char *s2)`: 0, or -1 if it does not
/// fit.
///
/// # Safety
/// `s1` is NULL or holds `s1max` writable bytes; `s2` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn b_strcpy_s(s1: *mut c_char, s1max: c_uint, s2: *const c_char) -> c_int {
    // SAFETY: per the contract.
    guard("b_strcpy_s", -1, || unsafe {
        memstr::strcpy_s(s1, s1max, s2)
    })
}

/// Duplicate `s` into memory from `alloc`; NULL for a NULL `s` or a failed allocation.
///
/// # Safety
/// `s` is NULL or NUL-terminated.
unsafe fn dup_with(s: *const c_char, alloc: impl FnOnce(usize) -> *mut c_void) -> *mut c_char {
    if s.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: NUL-terminated per the contract.
    let n = unsafe { libc::strlen(s) } + 1;
    if n > u32::MAX as usize {
        return std::ptr::null_mut();
    }
    let p = alloc(n).cast::<c_char>();
    if !p.is_null() {
        // SAFETY: `n` bytes readable from `s` and writable at `p`.
        unsafe { std::ptr::copy_nonoverlapping(s, p, n) };
    }
    p
}

/// `char *bh_strdup(const char *s)`: a copy in `os_malloc` (libc) memory.
///
/// # Safety
/// `s` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_strdup(s: *const c_char) -> *mut c_char {
    guard("bh_strdup", std::ptr::null_mut(), || {
        // SAFETY: per the contract; a plain allocation.
        unsafe { dup_with(s, |n| libc::malloc(n)) }
    })
}

/// `char *wa_strdup(const char *s)`: a copy in `wasm_runtime_malloc` memory (free it with
/// `wasm_runtime_free`).
///
/// # Safety
/// `s` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wa_strdup(s: *const c_char) -> *mut c_char {
    guard("wa_strdup", std::ptr::null_mut(), || {
        // SAFETY: per the contract.
        unsafe {
            dup_with(s, |n| {
                crate::capi::wamr::runtime::wasm_runtime_malloc(n as c_uint)
            })
        }
    })
}

/// `char *bh_strtok_r(char *str, const char *delim, char **saveptr)`: `strtok_r`.
///
/// # Safety
/// As `strtok_r`: `str` is NULL or a writable NUL-terminated string (then `*saveptr` holds
/// the previous call's state); `delim` is NUL-terminated; `saveptr` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_strtok_r(
    str: *mut c_char,
    delim: *const c_char,
    saveptr: *mut *mut c_char,
) -> *mut c_char {
    guard("bh_strtok_r", std::ptr::null_mut(), || {
        if delim.is_null() || saveptr.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: per the contract.
        unsafe { libc::strtok_r(str, delim, saveptr) }
    })
}

/// `uint64 bh_get_tick_ms(void)`: the monotonic clock in milliseconds.
#[unsafe(no_mangle)]
pub extern "C" fn bh_get_tick_ms() -> u64 {
    guard("bh_get_tick_ms", 0, crate::os::time::tick_ms)
}

/// `uint32 bh_get_elpased_ms(uint32 *last_system_clock)` (WAMR's spelling): milliseconds
/// since `*last_system_clock` on a 32-bit millisecond clock (wrapping), which is updated to
/// now.
///
/// # Safety
/// `last` is NULL or a writable `uint32`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_get_elpased_ms(last: *mut u32) -> u32 {
    guard("bh_get_elpased_ms", 0, || {
        if last.is_null() {
            return 0;
        }
        let now = crate::os::time::tick_ms() as u32;
        // SAFETY: non-NULL and writable per the contract.
        unsafe {
            let elapsed = now.wrapping_sub(*last);
            *last = now;
            elapsed
        }
    })
}
