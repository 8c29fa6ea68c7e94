//! Externref API (`wasm_externref_obj2ref`, `_objdel`, `_set_cleanup`, `_ref2obj`, `_retain`)
//! and the conversion of externref values at the call boundary.
//!
//! The index-form externref table with owners, generations and cleanup callbacks is the
//! capability core's (`crate::runtime::externref`, capability-model §6). Until it is part of
//! this build, externref *values* still cross the boundary — a guest externref value is the
//! host object pointer itself, which a guest can neither forge (validation rules out
//! i32 → externref) nor dereference — but the index API reports that it is unavailable.

use std::ffi::c_void;

use super::ctypes::*;
use super::handles::{self, api_error};
use crate::capi::ffi::guard;

/// Host object of an externref value of instance `inst_id` (0 = null).
pub(crate) fn host_of(_inst_id: u64, bits: u64) -> usize {
    bits as usize
}

/// Externref value of host object `obj` for instance `inst_id` (NULL → null reference).
pub(crate) fn ref_of(_inst_id: u64, obj: usize) -> u64 {
    obj as u64
}

/// Instance `inst_id` is gone: release its externrefs (run cleanups).
pub(crate) fn instance_destroyed(_inst_id: u64) {}

const UNAVAILABLE: &str = "the externref index table is not part of this build yet";

/// Map a host object to an externref index of `module_inst`.
///
/// # Safety
/// `p_externref_idx` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_externref_obj2ref(
    module_inst: wasm_module_inst_t,
    extern_obj: *mut c_void,
    p_externref_idx: *mut u32,
) -> bool {
    guard("wasm_externref_obj2ref", false, || {
        const API: &str = "wasm_externref_obj2ref";
        if handles::instance(API, module_inst).is_none() {
            return false;
        }
        let _ = (extern_obj, p_externref_idx);
        api_error(API, UNAVAILABLE);
        false
    })
}

/// Drop the mapping of a host object.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_externref_objdel(
    module_inst: wasm_module_inst_t,
    extern_obj: *mut c_void,
) -> bool {
    guard("wasm_externref_objdel", false, || {
        const API: &str = "wasm_externref_objdel";
        if handles::instance(API, module_inst).is_none() {
            return false;
        }
        let _ = extern_obj;
        api_error(API, UNAVAILABLE);
        false
    })
}

/// Set the cleanup callback of a mapped host object.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_externref_set_cleanup(
    module_inst: wasm_module_inst_t,
    extern_obj: *mut c_void,
    extern_obj_cleanup: Option<unsafe extern "C" fn(*mut c_void)>,
) -> bool {
    guard("wasm_externref_set_cleanup", false, || {
        const API: &str = "wasm_externref_set_cleanup";
        if handles::instance(API, module_inst).is_none() {
            return false;
        }
        let _ = (extern_obj, extern_obj_cleanup);
        api_error(API, UNAVAILABLE);
        false
    })
}

/// The host object of an externref index.
///
/// # Safety
/// `p_extern_obj` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_externref_ref2obj(
    externref_idx: u32,
    p_extern_obj: *mut *mut c_void,
) -> bool {
    guard("wasm_externref_ref2obj", false, || {
        let _ = (externref_idx, p_extern_obj);
        api_error("wasm_externref_ref2obj", UNAVAILABLE);
        false
    })
}

/// Keep an externref alive across reclamation.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_externref_retain(externref_idx: u32) -> bool {
    guard("wasm_externref_retain", false, || {
        let _ = externref_idx;
        api_error("wasm_externref_retain", UNAVAILABLE);
        false
    })
}
