//! Tables: `wasm_table_new`, `_type`, `_get`, `_set`, `_size`, and host-side `_grow`.
//!
//! Elements are `wasm_ref_t`s: function references of the table's store for `funcref`
//! tables, any reference for `externref` tables. `wasm_table_get` returns a new reference
//! (NULL for a null element or an index out of bounds, the latter with an error).

use std::ffi::c_void;
use std::sync::Arc;

use super::handles::{misuse, soft_error};
use super::refs::{Flavour, RefKind, new_ref, ref_arg};
use super::store::{StoreCore, store_arg, with_store};
use super::types::{ExternTy, TypeObj, new_externtype, with_type};
use super::val::{cell_to_val, kind_of, val_to_cell};
use super::vec::WasmVal;
use crate::capi::ffi;
use crate::runtime::{TableAddr, Val};
use crate::types::ValType;

fn ref_cell(
    api: &str,
    store: &Arc<StoreCore>,
    elem: ValType,
    r: *const c_void,
) -> Result<u64, String> {
    let v = WasmVal {
        kind: kind_of(elem),
        pad: [0; 7],
        of: r as usize as u64,
    };
    val_to_cell(api, store, elem, &v)
}

fn table_arg(api: &str, p: *const c_void) -> Option<(Arc<StoreCore>, TableAddr)> {
    let a = ref_arg(api, p, Flavour::Table, None)?;
    let r = a.get();
    match r.kind {
        RefKind::Table { addr } => Some((r.store.clone(), addr)),
        _ => None,
    }
}

fn elem_type(store: &StoreCore, addr: TableAddr) -> Option<ValType> {
    with_store(store, |s| s.table(addr).map(|t| t.ty().elem.into()))
}

/// `wasm_table_new`: a table of `store` of type `tt`, filled with `init` (NULL: null).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_new(
    store: *mut c_void,
    tt: *const c_void,
    init: *mut c_void,
) -> *mut c_void {
    ffi::guard("wasm_table_new", std::ptr::null_mut(), || {
        let api = "wasm_table_new";
        let Some(core) = store_arg(api, store) else {
            return std::ptr::null_mut();
        };
        let Some(ty) = with_type(api, tt, "tabletype", |t| match t {
            TypeObj::Table(x) => Some(x.ty),
            _ => None,
        }) else {
            return std::ptr::null_mut();
        };
        let elem: ValType = ty.elem.into();
        let bits = match ref_cell(api, &core, elem, init) {
            Ok(b) => b,
            Err(e) => {
                misuse(api, &e);
                return std::ptr::null_mut();
            }
        };
        match with_store(&core, |s| s.add_table(ty, Val::from_bits(elem, bits))) {
            Ok(addr) => new_ref(api, &core, RefKind::Table { addr }, None, Flavour::Table),
            Err(e) => {
                misuse(api, &e);
                std::ptr::null_mut()
            }
        }
    })
}

/// `wasm_table_type` (owned; the minimum is the current size).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type(p: *const c_void) -> *mut c_void {
    ffi::guard("wasm_table_type", std::ptr::null_mut(), || {
        let api = "wasm_table_type";
        table_arg(api, p)
            .and_then(|(store, addr)| with_store(&store, |s| s.table(addr).map(|t| t.ty())))
            .map_or(std::ptr::null_mut(), |t| {
                new_externtype(api, &ExternTy::Table(t)).to_ptr()
            })
    })
}

/// `wasm_table_get`: a new reference to element `index` (NULL if null or out of bounds).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_get(p: *const c_void, index: u32) -> *mut c_void {
    ffi::guard("wasm_table_get", std::ptr::null_mut(), || {
        let api = "wasm_table_get";
        let Some((store, addr)) = table_arg(api, p) else {
            return std::ptr::null_mut();
        };
        let v = with_store(&store, |s| {
            let t = s.table(addr)?;
            let elem: ValType = t.ty().elem.into();
            match t.get(index) {
                Ok(bits) => Some(cell_to_val(api, &store, s, elem, bits)),
                Err(_) => None,
            }
        });
        match v {
            Some(v) => v.of as usize as *mut c_void,
            None => {
                soft_error(api, "index out of bounds");
                std::ptr::null_mut()
            }
        }
    })
}

/// `wasm_table_set`: false (with an error) for an index out of bounds or a reference that
/// does not fit the table.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_set(p: *mut c_void, index: u32, r: *mut c_void) -> bool {
    ffi::guard("wasm_table_set", false, || {
        let api = "wasm_table_set";
        let Some((store, addr)) = table_arg(api, p) else {
            return false;
        };
        let Some(elem) = elem_type(&store, addr) else {
            return false;
        };
        let bits = match ref_cell(api, &store, elem, r) {
            Ok(b) => b,
            Err(e) => {
                misuse(api, &e);
                return false;
            }
        };
        let ok = with_store(&store, |s| {
            s.table_mut(addr)
                .is_some_and(|t| t.set(index, bits).is_ok())
        });
        if !ok {
            soft_error(api, "index out of bounds");
        }
        ok
    })
}

/// `wasm_table_size`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_size(p: *const c_void) -> u32 {
    ffi::guard("wasm_table_size", 0, || {
        table_arg("wasm_table_size", p).map_or(0, |(store, addr)| {
            with_store(&store, |s| s.table(addr).map_or(0, |t| t.size()))
        })
    })
}

/// `wasm_table_grow`: grows by `delta` elements set to `init`; false beyond the maximum.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_grow(p: *mut c_void, delta: u32, init: *mut c_void) -> bool {
    ffi::guard("wasm_table_grow", false, || {
        let api = "wasm_table_grow";
        let Some((store, addr)) = table_arg(api, p) else {
            return false;
        };
        let Some(elem) = elem_type(&store, addr) else {
            return false;
        };
        let bits = match ref_cell(api, &store, elem, init) {
            Ok(b) => b,
            Err(e) => {
                misuse(api, &e);
                return false;
            }
        };
        with_store(&store, |s| {
            s.table_mut(addr)
                .is_some_and(|t| t.grow(delta, bits).is_some())
        })
    })
}
