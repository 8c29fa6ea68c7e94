//! Externref API (`wasm_externref_obj2ref`, `_objdel`, `_set_cleanup`, `_ref2obj`, `_retain`)
//! and the conversion of externref values at the call boundary.
//!
//! A guest externref value is an index into the capability core's externref table
//! (capability-model section 6) owned by the instance's compartment: host objects entering
//! through `call_wasm`/`_a` or an `r` native result are wrapped with `obj2ref` for the instance,
//! values leaving are unwrapped with `ref2obj`, and the index API works as in WAMR.

use std::ffi::c_void;

use super::ctypes::*;
use super::handles::{self, api_error};
use crate::capi::ffi::guard;

mod table {
    use crate::runtime::compartment::CompartmentId;
    use crate::runtime::externref::{self as er, cell_to_index, index_to_cell};

    /// Host object of an externref cell (0 for null or an index that is no longer live).
    pub fn host_of(_comp: Option<u32>, bits: u64) -> usize {
        match cell_to_index(bits) {
            Some(i) => er::table().ref2obj(i).unwrap_or(0),
            None => 0,
        }
    }

    /// Cell of host object `obj` wrapped for compartment `comp` (NULL → null reference).
    pub fn ref_of(comp: Option<u32>, obj: usize) -> u64 {
        // A delegation granted to this compartment travels as its handle bits.
        if let Some(cell) = comp.and_then(|c| super::super::delegation::granted_cell(c, obj)) {
            return cell;
        }
        match (obj, comp) {
            (0, _) | (_, None) => 0,
            (o, Some(c)) => er::table()
                .obj2ref(CompartmentId(c), o)
                .map_or(0, index_to_cell),
        }
    }

    /// Compartment id of the instance of a store (each WAMR instance has its own store).
    pub fn compartment_of_store(store: &crate::runtime::Store) -> Option<u32> {
        crate::runtime::compartment::of(store, store.newest_instance()).map(|c| c.id().0)
    }
}

pub(crate) use table::{compartment_of_store, host_of, ref_of};

/// The index API over the capability core's externref table.
mod index_api {
    use std::sync::Arc;

    use super::super::objects::InstObj;
    use crate::runtime::compartment::CompartmentId;
    use crate::runtime::externref as er;

    fn comp(inst: &InstObj) -> Result<CompartmentId, String> {
        inst.compartment()
            .map(CompartmentId)
            .ok_or_else(|| "the instance has no compartment".to_string())
    }

    pub fn obj2ref(inst: &InstObj, obj: usize) -> Result<u32, String> {
        er::table()
            .obj2ref(comp(inst)?, obj)
            .map_err(|e| e.to_string())
    }

    pub fn objdel(inst: &InstObj, obj: usize) -> Result<bool, String> {
        Ok(er::table().objdel(comp(inst)?, obj))
    }

    pub fn set_cleanup(
        inst: &InstObj,
        obj: usize,
        cleanup: Option<unsafe extern "C" fn(*mut std::ffi::c_void)>,
    ) -> Result<bool, String> {
        let c: er::Cleanup = match cleanup {
            // SAFETY: the embedder registered `f` to be called with its own object.
            Some(f) => Arc::new(move |o| unsafe { f(o as *mut std::ffi::c_void) }),
            None => Arc::new(|_| {}),
        };
        Ok(er::table().set_cleanup(comp(inst)?, obj, c))
    }

    pub fn ref2obj(index: u32) -> Result<usize, String> {
        er::table().ref2obj(index).map_err(|e| e.to_string())
    }

    pub fn retain(index: u32) -> Result<bool, String> {
        Ok(er::table().retain(index))
    }
}

/// Map a host object to an externref index of `module_inst` (same object, same index).
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
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        if p_externref_idx.is_null() {
            api_error(API, "p_externref_idx is NULL");
            return false;
        }
        match index_api::obj2ref(&inst, extern_obj as usize) {
            Ok(i) => {
                // SAFETY: non-null and writable per the contract.
                unsafe { p_externref_idx.write(i) };
                true
            }
            Err(e) => {
                api_error(API, &e);
                false
            }
        }
    })
}

/// Drop the mapping of a host object (its cleanup runs).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_externref_objdel(
    module_inst: wasm_module_inst_t,
    extern_obj: *mut c_void,
) -> bool {
    guard("wasm_externref_objdel", false, || {
        const API: &str = "wasm_externref_objdel";
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        index_api::objdel(&inst, extern_obj as usize).unwrap_or_else(|e| {
            api_error(API, &e);
            false
        })
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
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        index_api::set_cleanup(&inst, extern_obj as usize, extern_obj_cleanup).unwrap_or_else(|e| {
            api_error(API, &e);
            false
        })
    })
}

/// The host object of an externref index (liveness and generation are checked).
///
/// # Safety
/// `p_extern_obj` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_externref_ref2obj(
    externref_idx: u32,
    p_extern_obj: *mut *mut c_void,
) -> bool {
    guard("wasm_externref_ref2obj", false, || {
        const API: &str = "wasm_externref_ref2obj";
        if p_extern_obj.is_null() {
            api_error(API, "p_extern_obj is NULL");
            return false;
        }
        match index_api::ref2obj(externref_idx) {
            Ok(o) => {
                // SAFETY: non-null and writable per the contract.
                unsafe { p_extern_obj.write(o as *mut c_void) };
                true
            }
            Err(e) => {
                api_error(API, &e);
                false
            }
        }
    })
}

/// Keep an externref alive across reclamation.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_externref_retain(externref_idx: u32) -> bool {
    guard("wasm_externref_retain", false, || {
        index_api::retain(externref_idx).unwrap_or_else(|e| {
            api_error("wasm_externref_retain", &e);
            false
        })
    })
}
