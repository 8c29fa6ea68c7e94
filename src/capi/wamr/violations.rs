//! `cwamr.h` capability-violation log and last error: `cwamr_cap_violation_count`,
//! `cwamr_cap_violation_count_kind`, `cwamr_cap_violations`, `cwamr_cap_violations_clear`,
//! `cwamr_last_error`.
//!
//! # Invariants
//! The output array is written only within the length the caller passed.

use std::ffi::c_char;

use crate::cap::violation::{self, ViolationKind, ViolationRecord};
use crate::capi::ffi::{self, guard};

/// Total number of refused capability operations since start (or the last clear).
#[unsafe(no_mangle)]
pub extern "C" fn cwamr_cap_violation_count() -> u64 {
    guard("cwamr_cap_violation_count", 0, violation::count)
}

/// Number of refusals of one kind (`CWAMR_VIOLATION_*`); 0 for an unknown kind.
#[unsafe(no_mangle)]
pub extern "C" fn cwamr_cap_violation_count_kind(kind: u32) -> u64 {
    guard("cwamr_cap_violation_count_kind", 0, || {
        ViolationKind::from_u32(kind).map_or(0, |k| violation::global().count_kind(k))
    })
}

/// Copy up to `max` of the most recent violations into `out`, oldest first; returns how many
/// were written. `out` may be NULL when `max` is 0.
///
/// # Safety
/// `out` is NULL or points to `max` writable records.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cwamr_cap_violations(out: *mut ViolationRecord, max: u32) -> u32 {
    guard("cwamr_cap_violations", 0, || {
        // SAFETY: the caller provides `max` writable records (or NULL with 0).
        match unsafe { ffi::slice_from_mut(out, max as usize) } {
            Some(buf) => violation::snapshot(buf) as u32,
            None => {
                ffi::set_last_error(ffi::LOG_WARNING, "cwamr_cap_violations: out is NULL");
                0
            }
        }
    })
}

/// Reset the counters and empty the ring.
#[unsafe(no_mangle)]
pub extern "C" fn cwamr_cap_violations_clear() {
    guard("cwamr_cap_violations_clear", (), || {
        violation::global().clear()
    })
}

/// The calling thread's last error message ("" if none); valid until the next error on this
/// thread.
#[unsafe(no_mangle)]
pub extern "C" fn cwamr_last_error() -> *const c_char {
    guard("cwamr_last_error", c"".as_ptr(), ffi::last_error_ptr)
}
