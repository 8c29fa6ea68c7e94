//! Globals: `wasm_global_new`, `wasm_global_type`, `wasm_global_get`, `wasm_global_set`.
//!
//! A global object reads and writes the global's cell directly (numeric values need no
//! store lock); reference values go through the store's reference mapping.
//!
//! # Invariants
//! `wasm_val_t` pointers are read or written only as the C API contract allows (a valid
//! value, or a writable one for `wasm_global_get`), after the global handle was validated.

use std::ffi::c_void;

use super::handles::misuse;
use super::refs::{Flavour, RefKind, new_ref, ref_arg};
use super::store::{store_arg, with_store};
use super::types::{ExternTy, TypeObj, new_externtype, with_type};
use super::val::{cell_to_val, val_to_cell};
use super::vec::WasmVal;
use crate::capi::ffi;
use crate::runtime::Val;

/// `wasm_global_new`: a global of `store` with type `gt` and value `*init`.
///
/// # Safety
/// `init` is NULL or points to a `wasm_val_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_global_new(
    store: *mut c_void,
    gt: *const c_void,
    init: *const WasmVal,
) -> *mut c_void {
    ffi::guard("wasm_global_new", std::ptr::null_mut(), || {
        let api = "wasm_global_new";
        let Some(core) = store_arg(api, store) else {
            return std::ptr::null_mut();
        };
        let Some(ty) = with_type(api, gt, "globaltype", |t| match t {
            TypeObj::Global(g) => Some(g.ty),
            _ => None,
        }) else {
            return std::ptr::null_mut();
        };
        if init.is_null() {
            misuse(api, "null initial value");
            return std::ptr::null_mut();
        }
        // SAFETY: non-null and readable per the caller's contract.
        let v = unsafe { *init };
        let bits = match val_to_cell(api, &core, ty.content, &v) {
            Ok(b) => b,
            Err(e) => {
                misuse(api, &e);
                return std::ptr::null_mut();
            }
        };
        let made = with_store(&core, |s| {
            let a = s.add_global(ty, Val::from_bits(ty.content, bits));
            s.global(a).map(|c| (a, c.clone()))
        });
        match made {
            Some((addr, cell)) => new_ref(
                api,
                &core,
                RefKind::Global { addr, cell },
                None,
                Flavour::Global,
            ),
            None => std::ptr::null_mut(),
        }
    })
}

/// `wasm_global_type` (owned).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_global_type(p: *const c_void) -> *mut c_void {
    ffi::guard("wasm_global_type", std::ptr::null_mut(), || {
        let api = "wasm_global_type";
        match ref_arg(api, p, Flavour::Global, None).map(|a| match &a.get().kind {
            RefKind::Global { cell, .. } => Some(cell.ty()),
            _ => None,
        }) {
            Some(Some(t)) => new_externtype(api, &ExternTy::Global(t)).to_ptr(),
            _ => std::ptr::null_mut(),
        }
    })
}

/// `wasm_global_get`: the value (a reference value is a new `wasm_ref_t`).
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_global_get(p: *const c_void, out: *mut WasmVal) {
    ffi::guard("wasm_global_get", (), || {
        let api = "wasm_global_get";
        if out.is_null() {
            misuse(api, "null output value");
            return;
        }
        let Some(a) = ref_arg(api, p, Flavour::Global, None) else {
            return;
        };
        let r = a.get();
        let RefKind::Global { cell, .. } = &r.kind else {
            return;
        };
        let t = cell.ty().content;
        let v = with_store(&r.store, |s| cell_to_val(api, &r.store, s, t, cell.get()));
        // SAFETY: non-null and writable per the caller's contract.
        unsafe { out.write(v) };
    })
}

/// `wasm_global_set`: refused (with an error) for immutable globals or a value of another
/// type.
///
/// # Safety
/// `v` is NULL or points to a `wasm_val_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_global_set(p: *mut c_void, v: *const WasmVal) {
    ffi::guard("wasm_global_set", (), || {
        let api = "wasm_global_set";
        if v.is_null() {
            misuse(api, "null value");
            return;
        }
        let Some(a) = ref_arg(api, p, Flavour::Global, None) else {
            return;
        };
        let r = a.get();
        let RefKind::Global { cell, .. } = &r.kind else {
            return;
        };
        let ty = cell.ty();
        if !ty.mutable {
            misuse(api, "the global is immutable");
            return;
        }
        // SAFETY: non-null and readable per the caller's contract.
        match val_to_cell(api, &r.store, ty.content, unsafe { &*v }) {
            Ok(bits) => cell.set(bits),
            Err(e) => misuse(api, &e),
        }
    })
}
