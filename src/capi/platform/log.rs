//! The log's C entry points: `bh_log_set_verbose_level`, `bh_print_time`,
//! `bh_print_proc_mem`, `bh_log_proc_mem`, `bh_assert_internal`, and the two internal
//! functions the C half of `bh_log` (`capi/wamr/call_v.c`) calls back.
//!
//! # Invariants
//! C strings are only read when non-NULL (NUL-terminated per WAMR's prototypes); the
//! message given by the C half is `len` readable bytes.

use std::ffi::{CStr, c_char};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::capi::ffi::guard;
use crate::os::{console, log, time};

/// Internal (used by `call_v.c`): the current verbosity.
#[unsafe(no_mangle)]
pub extern "C" fn cwamr_internal_log_level() -> u32 {
    guard("bh_log", 0, log::level)
}

/// Internal (used by `call_v.c`): write one formatted `bh_log` message.
///
/// # Safety
/// `file` is NULL or NUL-terminated; `msg` holds `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cwamr_internal_log_write(
    level: u32,
    file: *const c_char,
    line: i32,
    msg: *const c_char,
    len: usize,
) {
    guard("bh_log", (), || {
        // SAFETY: `len` readable bytes per the contract (or none).
        let Some(m) = (unsafe { crate::capi::ffi::slice_from(msg.cast::<u8>(), len) }) else {
            return;
        };
        let f = if file.is_null() {
            None
        } else {
            // SAFETY: non-NULL and NUL-terminated per the contract.
            Some((unsafe { CStr::from_ptr(file) }.to_bytes(), line))
        };
        log::log_bytes(level, f, m);
    })
}

/// `void bh_log_set_verbose_level(uint32 level)` (also `iwasm -v=N`; any value accepted).
#[unsafe(no_mangle)]
pub extern "C" fn bh_log_set_verbose_level(level: u32) {
    guard("bh_log_set_verbose_level", (), || log::set_level(level))
}

static LAST_MS: AtomicU32 = AtomicU32::new(0);
static TOTAL_MS: AtomicU32 = AtomicU32::new(0);

/// `void bh_print_time(const char *prompt)`: at verbosity 3 or more, the time since the last
/// call and in total.
///
/// # Safety
/// `prompt` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_print_time(prompt: *const c_char) {
    guard("bh_print_time", (), || {
        if log::level() < 3 {
            return;
        }
        let now = time::tick_ms() as u32;
        let last = match LAST_MS.load(Ordering::Relaxed) {
            0 => now,
            l => l,
        };
        let total = TOTAL_MS
            .fetch_add(now.wrapping_sub(last), Ordering::Relaxed)
            .wrapping_add(now.wrapping_sub(last));
        LAST_MS.store(now, Ordering::Relaxed);
        // SAFETY: NULL or NUL-terminated per the contract.
        let p = unsafe { crate::capi::ffi::str_from(prompt) }.unwrap_or("");
        console::write_str(&format!(
            "{p:<48} time of last stage: {} ms, total time: {total} ms\n",
            now.wrapping_sub(last)
        ));
    })
}

fn print_proc_mem(prompt: &str) {
    if log::level() < log::DEBUG {
        return;
    }
    if let Some(info) = crate::os::mem::proc_mem_info() {
        console::write_str(&format!(
            "{prompt}\n===== memory usage =====\n{info}==========\n"
        ));
    }
}

/// `void bh_print_proc_mem(const char *prompt)`: at verbosity 3 or more, the process's
/// resident memory.
///
/// # Safety
/// `prompt` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_print_proc_mem(prompt: *const c_char) {
    guard("bh_print_proc_mem", (), || {
        // SAFETY: NULL or NUL-terminated per the contract.
        print_proc_mem(unsafe { crate::capi::ffi::str_from(prompt) }.unwrap_or(""))
    })
}

/// `void bh_log_proc_mem(const char *function, uint32 line)`.
///
/// # Safety
/// `function` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_log_proc_mem(function: *const c_char, line: u32) {
    guard("bh_log_proc_mem", (), || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let f = unsafe { crate::capi::ffi::str_from(function) }.unwrap_or("");
        print_proc_mem(&format!("[MEM] {f}(...) L{line}"))
    })
}

/// `void bh_assert_internal(int64 v, const char *file, int line, const char *expr)`: a
/// failed assertion (`v == 0`) logs WAMR's error line and aborts.
///
/// # Safety
/// `file` and `expr` are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_assert_internal(
    v: i64,
    file: *const c_char,
    line: i32,
    expr: *const c_char,
) {
    let failed = guard("bh_assert_internal", false, || {
        if v != 0 {
            return false;
        }
        // SAFETY: NULL or NUL-terminated per the contract.
        let (f, e) = unsafe {
            (
                crate::capi::ffi::str_from(file).unwrap_or("NULL FILENAME"),
                crate::capi::ffi::str_from(expr).unwrap_or("NULL EXPR_STRING"),
            )
        };
        log::log(
            log::ERROR,
            &format!("\nASSERTION FAILED: {e}, at file {f}, line {line}\n"),
        );
        console::flush();
        true
    });
    if failed {
        std::process::abort();
    }
}
