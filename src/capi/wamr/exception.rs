//! Exceptions: `wasm_runtime_get_exception`, `_set_exception`, `_clear_exception`,
//! `wasm_runtime_terminate`.
//!
//! An instance's exception is sticky: once a call traps (or the host sets one), every later
//! call on that instance fails until it is cleared. The text is WAMR's: `Exception: <msg>`.
//! `wasm_runtime_terminate` may be called from any thread: it raises the instance's interrupt
//! flag (running code stops at its next call or backward branch with `terminated by user`)
//! and sets the exception at once.

use std::ffi::c_char;
use std::sync::Weak;
use std::sync::atomic::Ordering;

use super::ctypes::*;
use super::handles;
use super::objects::InstObj;
use crate::capi::ffi::{self, guard};
use crate::error::{Trap, TrapCode};

/// After a native returned: an exception it set becomes a trap of the running call.
pub(crate) fn take_native_exception(inst: &Weak<InstObj>) -> Result<(), Trap> {
    let Some(obj) = inst.upgrade() else {
        return Ok(());
    };
    let exc = obj.exc.lock();
    match &exc.cur {
        None => Ok(()),
        Some(s) => {
            let text = s.to_string_lossy();
            let msg = text.strip_prefix("Exception: ").unwrap_or(&text);
            if msg == TrapCode::TerminatedByUser.message() {
                Err(Trap::Code(TrapCode::TerminatedByUser))
            } else {
                Err(Trap::Host(msg.to_string()))
            }
        }
    }
}

/// Record the trap of a failed call as the instance's exception.
///
/// WASI `proc_exit` is not an error: the call still returns false, the code is kept for
/// `wasm_runtime_get_wasi_exit_code`, and (as WAMR clears its `wasi proc exit` exception) no
/// exception is left pending, so `iwasm`-style embedders print nothing.
pub(crate) fn record_trap(obj: &InstObj, trap: &Trap) {
    if let Trap::Exit(code) = trap {
        obj.wasi_exit_code.store(*code, Ordering::Relaxed);
        return;
    }
    obj.set_exception(Some(&trap.message()));
}

/// The pending exception (`Exception: <msg>`) or NULL. The text stays readable until the
/// exception changes a few more times or the instance is destroyed.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_exception(module_inst: wasm_module_inst_t) -> *const c_char {
    guard(
        "wasm_runtime_get_exception",
        std::ptr::null(),
        || match handles::instance("wasm_runtime_get_exception", module_inst) {
            Some(o) => o
                .exc
                .lock()
                .cur
                .as_ref()
                .map_or(std::ptr::null(), |s| s.as_ptr()),
            None => std::ptr::null(),
        },
    )
}

/// Set the exception to `Exception: <exception>` (NULL clears it).
///
/// # Safety
/// `exception` is NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_exception(
    module_inst: wasm_module_inst_t,
    exception: *const c_char,
) {
    guard("wasm_runtime_set_exception", (), || {
        let Some(o) = handles::instance("wasm_runtime_set_exception", module_inst) else {
            return;
        };
        if exception.is_null() {
            o.set_exception(None);
            return;
        }
        // SAFETY: a C string per the contract.
        let s = unsafe { std::ffi::CStr::from_ptr(exception) }.to_string_lossy();
        o.set_exception(Some(&s));
    })
}

/// Clear the exception (and a pending terminate request).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_clear_exception(module_inst: wasm_module_inst_t) {
    guard("wasm_runtime_clear_exception", (), || {
        if let Some(o) = handles::instance("wasm_runtime_clear_exception", module_inst) {
            o.set_exception(None);
        }
    })
}

/// Stop the instance's running code (from any thread) with `terminated by user`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_terminate(module_inst: wasm_module_inst_t) {
    guard("wasm_runtime_terminate", (), || {
        let Some(o) = handles::instance("wasm_runtime_terminate", module_inst) else {
            return;
        };
        o.interrupt.store(1, Ordering::Relaxed);
        o.set_exception(Some(TrapCode::TerminatedByUser.message()));
        ffi::log(ffi::LOG_DEBUG, "wasm_runtime_terminate: interrupt raised");
    })
}
