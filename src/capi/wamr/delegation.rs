//! `cwamr.h` delegation API: `cwamr_delegate`, `cwamr_delegation_grant`, `cwamr_revoke`
//! (capability-model section 8, the "pipeline" pattern) over the capability core's
//! `runtime::delegation`.
//!
//! The host delegates a bounded window of one instance's memory with reduced permissions,
//! grants it to another instance as an externref, and the receiver uses the `cwamr.buf_read` /
//! `cwamr.buf_write` / `cwamr.buf_len` imports (linked into every instance). At the WAMR call
//! boundary a granted delegation travels as the externref value `wasm_val_t.of.foreign =` its
//! sealed handle bits; `granted_cell` maps it back to the receiver's table entry.

use std::collections::HashMap;
use std::ffi::c_void;

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error};
use crate::cap::{Perms, SealedHandle};
use crate::capi::ffi::guard;
use crate::runtime::delegation;

/// `(receiving compartment, delegation handle bits) -> externref cell` of every grant.
static GRANTS: Mutex<Option<HashMap<(u32, u64), u64>>> = Mutex::new(None);

/// The receiver's externref cell of a granted delegation whose handle bits C passed as an
/// externref value, if `obj` is one.
pub(crate) fn granted_cell(comp: u32, obj: usize) -> Option<u64> {
    if !SealedHandle::from_bits(obj as u64).has_handle_shape() {
        return None;
    }
    GRANTS.lock().as_ref()?.get(&(comp, obj as u64)).copied()
}

/// `cwamr_delegation_t cwamr_delegate(wasm_module_inst_t src, uint64_t offset,
/// uint64_t length, uint32_t perms)`: a delegation of `[offset, offset + length)` of `src`'s
/// memory 0; `perms` ⊆ `CWAMR_DELEGATE_READ | CWAMR_DELEGATE_WRITE | CWAMR_DELEGATE_GLOBAL`.
/// NULL on failure.
#[unsafe(no_mangle)]
pub extern "C" fn cwamr_delegate(
    src: wasm_module_inst_t,
    offset: u64,
    length: u64,
    perms: u32,
) -> *mut c_void {
    guard("cwamr_delegate", std::ptr::null_mut(), || {
        const API: &str = "cwamr_delegate";
        let Some(inst) = handles::instance(API, src) else {
            return std::ptr::null_mut();
        };
        let Some(p) = Perms::from_bits(perms) else {
            api_error(API, &format!("unknown permission bits {perms:#x}"));
            return std::ptr::null_mut();
        };
        let Some(r) = inst.with_store(|s| {
            let a = s.newest_instance();
            delegation::delegate(s, a, offset, length, p)
        }) else {
            return std::ptr::null_mut();
        };
        match r {
            Ok(h) => h.to_ptr(),
            Err(e) => {
                api_error(API, &e.to_string());
                std::ptr::null_mut()
            }
        }
    })
}

/// `bool cwamr_delegation_grant(cwamr_delegation_t d, wasm_module_inst_t to,
/// wasm_val_t *externref)`: expose `d` to instance `to`; `*externref` receives the externref
/// value to pass to `to`'s functions.
///
/// # Safety
/// `externref` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cwamr_delegation_grant(
    d: *mut c_void,
    to: wasm_module_inst_t,
    externref: *mut wasm_val_t,
) -> bool {
    guard("cwamr_delegation_grant", false, || {
        const API: &str = "cwamr_delegation_grant";
        let Some(inst) = handles::instance(API, to) else {
            return false;
        };
        if externref.is_null() {
            api_error(API, "externref is NULL");
            return false;
        }
        let h = SealedHandle::from_ptr(d);
        let Some(comp) = inst.compartment() else {
            api_error(API, "the receiving instance has no compartment");
            return false;
        };
        let Some(r) = inst.with_store(|s| {
            let a = s.newest_instance();
            delegation::grant(s, h, a)
        }) else {
            return false;
        };
        match r {
            Ok(cell) => {
                // A process-lifetime map: never in a runtime pool.
                crate::os::alloc::outside(|| {
                    GRANTS
                        .lock()
                        .get_or_insert_with(HashMap::new)
                        .insert((comp, h.bits()), cell)
                });
                let v = wasm_val_t {
                    kind: WASM_EXTERNREF,
                    _paddings: [0; 7],
                    of: wasm_val_union {
                        foreign: h.bits() as usize,
                    },
                };
                // SAFETY: non-null and writable per the contract.
                unsafe { externref.write(v) };
                true
            }
            Err(e) => {
                handles::reject(API, "delegation", h, crate::cap::OType::DELEGATION, e);
                false
            }
        }
    })
}

/// `bool cwamr_revoke(cwamr_delegation_t d)`: end the delegation; the receiver's reads and
/// writes through it fail from now on. Revoking twice is refused.
#[unsafe(no_mangle)]
pub extern "C" fn cwamr_revoke(d: *mut c_void) -> bool {
    guard("cwamr_revoke", false, || {
        let h = SealedHandle::from_ptr(d);
        match delegation::revoke(h) {
            Ok(()) => {
                if let Some(m) = GRANTS.lock().as_mut() {
                    m.retain(|(_, hb), _| *hb != h.bits());
                }
                true
            }
            Err(e) => {
                handles::reject(
                    "cwamr_revoke",
                    "delegation",
                    h,
                    crate::cap::OType::DELEGATION,
                    e,
                );
                false
            }
        }
    })
}
