//! Externals: `wasm_extern_kind`, `wasm_extern_type`, the casts between `wasm_extern_t` and
//! functions, globals, tables and memories (borrowed views of the same object), and
//! `wasm_extern_vec_*`.

use std::ffi::c_void;

use super::refs::{Flavour, RefArg, RefKind, ref_arg};
use super::store::with_store;
use super::types::{ExternTy, new_externtype};
use crate::capi::ffi;
use crate::types::{Limits, MemoryType};

/// The extern type of a function, global, table or memory object (None for placeholders).
pub fn extern_ty_of(a: &RefArg) -> Option<ExternTy> {
    let r = a.get();
    Some(match &r.kind {
        RefKind::Func { ty, .. } => ExternTy::Func((**ty).clone()),
        RefKind::Global { cell, .. } => ExternTy::Global(cell.ty()),
        RefKind::Table { addr } => {
            ExternTy::Table(with_store(&r.store, |s| s.table(*addr).map(|t| t.ty()))?)
        }
        RefKind::Memory { mem, .. } => ExternTy::Memory(MemoryType {
            limits: Limits {
                min: mem.pages(),
                max: mem.ty().limits.max,
            },
            shared: mem.ty().shared,
        }),
        _ => return None,
    })
}

/// `wasm_extern_kind`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_extern_kind(p: *const c_void) -> u8 {
    ffi::guard("wasm_extern_kind", 0, || {
        ref_arg("wasm_extern_kind", p, Flavour::Extern, None).map_or(0, |a| match a.get().kind {
            RefKind::Global { .. } => 1,
            RefKind::Table { .. } => 2,
            RefKind::Memory { .. } => 3,
            _ => 0,
        })
    })
}

/// `wasm_extern_type` (owned).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_extern_type(p: *const c_void) -> *mut c_void {
    ffi::guard("wasm_extern_type", std::ptr::null_mut(), || {
        let api = "wasm_extern_type";
        ref_arg(api, p, Flavour::Extern, None)
            .and_then(|a| extern_ty_of(&a))
            .map_or(std::ptr::null_mut(), |t| new_externtype(api, &t).to_ptr())
    })
}

/// A view of `p` (of C type `from`) as C type `to`; NULL if the object is not a `to`.
fn cast(api: &str, p: *const c_void, from: Flavour, to: Flavour) -> *mut c_void {
    if p.is_null() {
        return std::ptr::null_mut();
    }
    match ref_arg(api, p, from, None) {
        Some(a) if to.accepts(&a.get().kind) => a.view(api, to),
        _ => std::ptr::null_mut(),
    }
}

macro_rules! extern_casts {
    ($($name:ident, $from:expr, $to:expr, $ret:ty, $arg:ty;)*) => {$(
        /// Borrowed view of the same object as another C type (NULL on a kind mismatch).
        #[unsafe(no_mangle)]
        pub extern "C" fn $name(p: $arg) -> $ret {
            ffi::guard(stringify!($name), std::ptr::null_mut::<c_void>() as $ret, || {
                cast(stringify!($name), p, $from, $to) as $ret
            })
        }
    )*};
}

extern_casts! {
    wasm_func_as_extern, Flavour::Func, Flavour::Extern, *mut c_void, *mut c_void;
    wasm_global_as_extern, Flavour::Global, Flavour::Extern, *mut c_void, *mut c_void;
    wasm_table_as_extern, Flavour::Table, Flavour::Extern, *mut c_void, *mut c_void;
    wasm_memory_as_extern, Flavour::Memory, Flavour::Extern, *mut c_void, *mut c_void;
    wasm_extern_as_func, Flavour::Extern, Flavour::Func, *mut c_void, *mut c_void;
    wasm_extern_as_global, Flavour::Extern, Flavour::Global, *mut c_void, *mut c_void;
    wasm_extern_as_table, Flavour::Extern, Flavour::Table, *mut c_void, *mut c_void;
    wasm_extern_as_memory, Flavour::Extern, Flavour::Memory, *mut c_void, *mut c_void;
    wasm_func_as_extern_const, Flavour::Func, Flavour::Extern, *const c_void, *const c_void;
    wasm_global_as_extern_const, Flavour::Global, Flavour::Extern, *const c_void, *const c_void;
    wasm_table_as_extern_const, Flavour::Table, Flavour::Extern, *const c_void, *const c_void;
    wasm_memory_as_extern_const, Flavour::Memory, Flavour::Extern, *const c_void, *const c_void;
    wasm_extern_as_func_const, Flavour::Extern, Flavour::Func, *const c_void, *const c_void;
    wasm_extern_as_global_const, Flavour::Extern, Flavour::Global, *const c_void, *const c_void;
    wasm_extern_as_table_const, Flavour::Extern, Flavour::Table, *const c_void, *const c_void;
    wasm_extern_as_memory_const, Flavour::Extern, Flavour::Memory, *const c_void, *const c_void;
}

super::vec::handle_vec_fns!(
    wasm_extern_vec_new_empty,
    wasm_extern_vec_new_uninitialized,
    wasm_extern_vec_new,
    wasm_extern_vec_copy,
    wasm_extern_vec_delete,
    super::ref_families::wasm_extern_copy,
    super::ref_families::wasm_extern_delete
);
