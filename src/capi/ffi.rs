//! Helpers for the C boundary: the panic guard, error buffers, C strings and slices, the
//! thread's last error and the runtime's log (delegated to [`crate::os::log`]).
//!
//! # Invariants
//! The `unsafe` helpers here only read or write memory the C caller passed together with its
//! length (or a NUL-terminated string); each states the caller's obligation in `# Safety`.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Log level of errors (`BH_LOG_LEVEL_ERROR`).
pub const LOG_ERROR: u32 = crate::os::log::ERROR;
/// Log level of warnings (`BH_LOG_LEVEL_WARNING`, WAMR's default verbosity).
pub const LOG_WARNING: u32 = crate::os::log::WARNING;
/// Log level of debug messages (`BH_LOG_LEVEL_DEBUG`).
pub const LOG_DEBUG: u32 = crate::os::log::DEBUG;

/// Print a log line if `level` is enabled: WAMR's `LOG_*` format, on C `stdout`
/// (see [`crate::os::log`]). Use it only for messages WAMR itself prints, with WAMR's text.
pub fn log(level: u32, msg: &str) {
    crate::os::log::log(level, msg);
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Record the thread's last error (read by `cwamr_last_error`).
///
/// WAMR prints nothing for a refused API call or a failed load (the text goes to the error
/// buffer), so these diagnostics are logged at debug level at the most (`-v=3` shows them),
/// whatever `level` says; messages WAMR does print go through [`log`] with WAMR's text.
pub fn set_last_error(level: u32, msg: &str) {
    log(level.max(LOG_DEBUG), msg);
    // A thread-lifetime value: never in the pool (see `crate::os::alloc`).
    crate::os::alloc::outside(|| {
        let c = CString::new(msg.replace('\0', " ")).unwrap_or_default();
        LAST_ERROR.with(|e| *e.borrow_mut() = c);
    });
}

/// The thread's last error as a C string valid until the next error on this thread.
pub fn last_error_ptr() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ptr())
}

/// Run `f`; if it panics, log, record the error and return `fail` instead of unwinding into C.
pub fn guard<R>(name: &'static str, fail: R, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            let msg = format!("{name}: internal error: {what}");
            // an internal error is a cwamr bug: shown at WAMR's default verbosity
            log(LOG_ERROR, &msg);
            set_last_error(LOG_ERROR, &msg);
            fail
        }
    }
}

/// Write `msg` into a C error buffer, truncating (always NUL-terminated). NULL is allowed.
///
/// # Safety
/// `buf` is NULL or points to `size` writable bytes.
pub unsafe fn write_error_buf(buf: *mut c_char, size: u32, msg: &str) {
    if buf.is_null() || size == 0 {
        return;
    }
    let n = msg.len().min(size as usize - 1);
    // SAFETY: the caller guarantees `size` writable bytes; we write `n + 1 <= size`.
    unsafe {
        std::ptr::copy_nonoverlapping(msg.as_ptr(), buf.cast::<u8>(), n);
        *buf.add(n) = 0;
    }
}

/// A NUL-terminated C string as `&str` (None for NULL or invalid UTF-8).
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid for `'a`.
pub unsafe fn str_from<'a>(p: *const c_char) -> Option<&'a str> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-null and NUL-terminated per the caller's contract.
    unsafe { CStr::from_ptr(p) }.to_str().ok()
}

/// A C array as a slice; NULL is allowed only with `len == 0`.
///
/// # Safety
/// `p` is NULL or points to `len` initialised `T`s valid for `'a`.
pub unsafe fn slice_from<'a, T>(p: *const T, len: usize) -> Option<&'a [T]> {
    if len == 0 {
        return Some(&[]);
    }
    if p.is_null() || len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return None;
    }
    // SAFETY: non-null, `len` elements per the caller's contract, size fits `isize`.
    Some(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A mutable C array as a slice; NULL is allowed only with `len == 0`.
///
/// # Safety
/// `p` is NULL or points to `len` writable `T`s valid and unaliased for `'a`.
pub unsafe fn slice_from_mut<'a, T>(p: *mut T, len: usize) -> Option<&'a mut [T]> {
    if len == 0 {
        return Some(&mut []);
    }
    if p.is_null() || len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return None;
    }
    // SAFETY: non-null, `len` writable elements per the caller's contract.
    Some(unsafe { std::slice::from_raw_parts_mut(p, len) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_buffers_truncate() {
        let mut buf = [0x55 as c_char; 8];
        // SAFETY: `buf` has 8 writable bytes.
        unsafe { write_error_buf(buf.as_mut_ptr(), 8, "0123456789") };
        // SAFETY: the helper NUL-terminated the buffer.
        let s = unsafe { CStr::from_ptr(buf.as_ptr()) };
        assert_eq!(s.to_str().unwrap(), "0123456");
        // SAFETY: NULL is allowed.
        unsafe { write_error_buf(std::ptr::null_mut(), 8, "x") };
    }

    #[test]
    fn guard_turns_panics_into_failures() {
        let r = guard("test", -1, || -> i32 { panic!("boom") });
        assert_eq!(r, -1);
        // SAFETY: last_error_ptr returns a valid C string.
        let e = unsafe { CStr::from_ptr(last_error_ptr()) };
        assert!(e.to_str().unwrap().contains("boom"));
    }

    #[test]
    fn slices_reject_null_with_length() {
        // SAFETY: NULL with len 0 is allowed; NULL with len 1 is rejected before use.
        unsafe {
            assert_eq!(slice_from::<u8>(std::ptr::null(), 0), Some(&[][..]));
            assert_eq!(slice_from::<u8>(std::ptr::null(), 1), None);
        }
    }
}
