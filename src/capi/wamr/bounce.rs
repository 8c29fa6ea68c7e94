//! `cwamr_register_natives_bounce`: natives whose pointer arguments are bounced through
//! guard-paged host copies (the buffers and the protocol are in `bounce_buf.rs`).
//!
//! # Invariants
//! The one `unsafe` call forwards the C caller's contract (a C string and an array of
//! `n_native_symbols` valid symbols) to `natives::register` unchanged.

use std::ffi::c_char;

use super::ctypes::NativeSymbol;
use super::natives::{RegisterKind, register};
use crate::capi::ffi::guard;

/// Register natives (signature strings required) whose pointer arguments are bounced through
/// guard-paged host copies, as `wasm_runtime_register_natives` otherwise.
///
/// # Safety
/// `module_name` is a C string; `native_symbols` points to `n_native_symbols` valid entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cwamr_register_natives_bounce(
    module_name: *const c_char,
    native_symbols: *mut NativeSymbol,
    n_native_symbols: u32,
) -> bool {
    guard("cwamr_register_natives_bounce", false, || {
        // SAFETY: forwarded contract.
        unsafe {
            register(
                "cwamr_register_natives_bounce",
                module_name,
                native_symbols,
                n_native_symbols,
                RegisterKind::Bounce,
            )
        }
    })
}
