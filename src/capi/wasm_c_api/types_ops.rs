//! Constructors, accessors and casts of the type objects (see `types.rs`).
//!
//! # Invariants
//! Vectors, names and limits passed by C are read (and emptied when passed as `own`) only
//! as the C API contract allows; handles are validated before use.

use std::ffi::c_void;

use super::handles::misuse;
use super::types::{WasmLimits, new_valtype, with_type};
use super::types_access::*;
use super::vec::{ByteVec, HandleVec, adopt};
use crate::cap::SealedHandle;
use crate::capi::ffi;
use crate::types::ExternKind;

fn null<T>() -> *mut T {
    std::ptr::null_mut()
}

/// `wasm_valtype_new`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_valtype_new(kind: u8) -> *mut c_void {
    ffi::guard("wasm_valtype_new", null(), || match valtype_of_kind(kind) {
        Some(t) => new_valtype("wasm_valtype_new", t).to_ptr(),
        None => {
            misuse("wasm_valtype_new", &format!("invalid value kind {kind}"));
            null()
        }
    })
}

/// `wasm_valtype_kind`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_valtype_kind(p: *const c_void) -> u8 {
    ffi::guard("wasm_valtype_kind", 0, || {
        with_type("wasm_valtype_kind", p, "valtype", valkind).unwrap_or(0)
    })
}

/// `wasm_functype_new`: takes ownership of both vectors and their valtypes.
///
/// # Safety
/// `params` / `results` are NULL or valid, writable vectors.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_functype_new(
    params: *mut HandleVec,
    results: *mut HandleVec,
) -> *mut c_void {
    ffi::guard("wasm_functype_new", null(), || {
        let api = "wasm_functype_new";
        // SAFETY: forwarded caller contract.
        let (p, r) = unsafe { (adopt(params), adopt(results)) };
        match (p, r) {
            (Some(p), Some(r)) => adopt_functype(api, p, r),
            _ => {
                misuse(api, "invalid vector");
                null()
            }
        }
    })
}

/// `wasm_functype_params` (borrowed; owned by the function type).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_functype_params(p: *const c_void) -> *const HandleVec {
    ffi::guard("wasm_functype_params", std::ptr::null(), || {
        with_type("wasm_functype_params", p, "functype", functype_vecs)
            .map_or(std::ptr::null(), |(a, _)| a.cast())
    })
}

/// `wasm_functype_results` (borrowed; owned by the function type).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_functype_results(p: *const c_void) -> *const HandleVec {
    ffi::guard("wasm_functype_results", std::ptr::null(), || {
        with_type("wasm_functype_results", p, "functype", functype_vecs)
            .map_or(std::ptr::null(), |(_, b)| b.cast())
    })
}

/// `wasm_globaltype_new`: takes ownership of the valtype.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_globaltype_new(content: *mut c_void, mutability: u8) -> *mut c_void {
    ffi::guard("wasm_globaltype_new", null(), || {
        adopt_globaltype(
            "wasm_globaltype_new",
            SealedHandle::from_ptr(content),
            mutability,
        )
    })
}

/// `wasm_globaltype_content` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_globaltype_content(p: *const c_void) -> *const c_void {
    ffi::guard("wasm_globaltype_content", std::ptr::null(), || {
        with_type("wasm_globaltype_content", p, "globaltype", globaltype_parts)
            .map_or(std::ptr::null(), |(h, _)| h.to_ptr().cast_const())
    })
}

/// `wasm_globaltype_mutability`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_globaltype_mutability(p: *const c_void) -> u8 {
    ffi::guard("wasm_globaltype_mutability", 0, || {
        with_type(
            "wasm_globaltype_mutability",
            p,
            "globaltype",
            globaltype_parts,
        )
        .map_or(0, |(_, m)| u8::from(m))
    })
}

/// `wasm_tabletype_new`: takes ownership of the valtype.
///
/// # Safety
/// `limits` is NULL or points to a `wasm_limits_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_tabletype_new(
    elem: *mut c_void,
    limits: *const WasmLimits,
) -> *mut c_void {
    ffi::guard("wasm_tabletype_new", null(), || {
        let api = "wasm_tabletype_new";
        if limits.is_null() {
            misuse(api, "null limits");
            super::handles::release_quietly(
                SealedHandle::from_ptr(elem),
                crate::cap::OType::CAPI_OBJ,
            );
            return null();
        }
        // SAFETY: non-null and readable per the caller's contract.
        let l = unsafe { *limits };
        adopt_tabletype(api, SealedHandle::from_ptr(elem), l)
    })
}

/// `wasm_tabletype_element` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_tabletype_element(p: *const c_void) -> *const c_void {
    ffi::guard("wasm_tabletype_element", std::ptr::null(), || {
        with_type("wasm_tabletype_element", p, "tabletype", tabletype_parts)
            .map_or(std::ptr::null(), |(h, _)| h.to_ptr().cast_const())
    })
}

/// `wasm_tabletype_limits` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_tabletype_limits(p: *const c_void) -> *const WasmLimits {
    ffi::guard("wasm_tabletype_limits", std::ptr::null(), || {
        with_type("wasm_tabletype_limits", p, "tabletype", tabletype_parts)
            .map_or(std::ptr::null(), |(_, l)| l)
    })
}

/// `wasm_memorytype_new`.
///
/// # Safety
/// `limits` is NULL or points to a `wasm_limits_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memorytype_new(limits: *const WasmLimits) -> *mut c_void {
    ffi::guard("wasm_memorytype_new", null(), || {
        if limits.is_null() {
            misuse("wasm_memorytype_new", "null limits");
            return null();
        }
        // SAFETY: non-null and readable per the caller's contract.
        make_memorytype("wasm_memorytype_new", unsafe { *limits })
    })
}

/// `wasm_memorytype_limits` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memorytype_limits(p: *const c_void) -> *const WasmLimits {
    ffi::guard("wasm_memorytype_limits", std::ptr::null(), || {
        with_type("wasm_memorytype_limits", p, "memorytype", memorytype_limits)
            .unwrap_or(std::ptr::null())
    })
}

/// `wasm_externtype_kind`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_externtype_kind(p: *const c_void) -> u8 {
    ffi::guard("wasm_externtype_kind", 0, || {
        with_type("wasm_externtype_kind", p, "externtype", extern_kind_of).map_or(0, |k| match k {
            ExternKind::Func => 0,
            ExternKind::Global => 1,
            ExternKind::Table => 2,
            ExternKind::Memory => 3,
        })
    })
}

/// Up-cast: the same handle, after checking it is of `kind`.
fn up(api: &str, p: *const c_void, want: &str, kind: ExternKind) -> *mut c_void {
    if p.is_null() {
        return null();
    }
    with_type(api, p, want, |t| (extern_kind_of(t)? == kind).then_some(()))
        .map_or(null(), |()| p.cast_mut())
}

/// Down-cast: the same handle if the extern type is of `kind`, else NULL.
fn down(api: &str, p: *const c_void, kind: ExternKind) -> *mut c_void {
    if p.is_null() {
        return null();
    }
    match with_type(api, p, "externtype", extern_kind_of) {
        Some(k) if k == kind => p.cast_mut(),
        _ => null(),
    }
}

macro_rules! casts {
    ($($name:ident, $want:literal, $kind:expr, $dir:ident, $ret:ty, $arg:ty;)*) => {$(
        /// Type cast between a specific type and `wasm_externtype_t` (same handle).
        #[unsafe(no_mangle)]
        pub extern "C" fn $name(p: $arg) -> $ret {
            ffi::guard(stringify!($name), null::<c_void>() as $ret, || {
                casts!(@call $dir, stringify!($name), p, $want, $kind) as $ret
            })
        }
    )*};
    (@call up, $api:expr, $p:expr, $want:literal, $kind:expr) => { up($api, $p, $want, $kind) };
    (@call down, $api:expr, $p:expr, $want:literal, $kind:expr) => { down($api, $p, $kind) };
}

casts! {
    wasm_functype_as_externtype, "functype", ExternKind::Func, up, *mut c_void, *mut c_void;
    wasm_globaltype_as_externtype, "globaltype", ExternKind::Global, up, *mut c_void, *mut c_void;
    wasm_tabletype_as_externtype, "tabletype", ExternKind::Table, up, *mut c_void, *mut c_void;
    wasm_memorytype_as_externtype, "memorytype", ExternKind::Memory, up, *mut c_void, *mut c_void;
    wasm_externtype_as_functype, "externtype", ExternKind::Func, down, *mut c_void, *mut c_void;
    wasm_externtype_as_globaltype, "externtype", ExternKind::Global, down, *mut c_void, *mut c_void;
    wasm_externtype_as_tabletype, "externtype", ExternKind::Table, down, *mut c_void, *mut c_void;
    wasm_externtype_as_memorytype, "externtype", ExternKind::Memory, down, *mut c_void, *mut c_void;
    wasm_functype_as_externtype_const, "functype", ExternKind::Func, up, *const c_void, *const c_void;
    wasm_globaltype_as_externtype_const, "globaltype", ExternKind::Global, up, *const c_void, *const c_void;
    wasm_tabletype_as_externtype_const, "tabletype", ExternKind::Table, up, *const c_void, *const c_void;
    wasm_memorytype_as_externtype_const, "memorytype", ExternKind::Memory, up, *const c_void, *const c_void;
    wasm_externtype_as_functype_const, "externtype", ExternKind::Func, down, *const c_void, *const c_void;
    wasm_externtype_as_globaltype_const, "externtype", ExternKind::Global, down, *const c_void, *const c_void;
    wasm_externtype_as_tabletype_const, "externtype", ExternKind::Table, down, *const c_void, *const c_void;
    wasm_externtype_as_memorytype_const, "externtype", ExternKind::Memory, down, *const c_void, *const c_void;
}

/// Reads and releases a name passed as `own`.
///
/// # Safety
/// `v` is NULL or a valid, writable byte vector.
unsafe fn adopt_name(v: *mut ByteVec) -> Option<Vec<u8>> {
    // SAFETY: forwarded caller contract.
    unsafe { adopt(v) }
}

/// `wasm_importtype_new`: takes ownership of the names and the extern type.
///
/// # Safety
/// `module` / `name` are NULL or valid, writable byte vectors.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_importtype_new(
    module: *mut ByteVec,
    name: *mut ByteVec,
    ty: *mut c_void,
) -> *mut c_void {
    ffi::guard("wasm_importtype_new", null(), || {
        let api = "wasm_importtype_new";
        // SAFETY: forwarded caller contract.
        let (m, n) = unsafe { (adopt_name(module), adopt_name(name)) };
        let (Some(m), Some(n)) = (m, n) else {
            misuse(api, "invalid name vector");
            return null();
        };
        adopt_importtype(api, &m, &n, SealedHandle::from_ptr(ty))
    })
}

/// `wasm_importtype_module` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_importtype_module(p: *const c_void) -> *const ByteVec {
    ffi::guard("wasm_importtype_module", std::ptr::null(), || {
        with_type("wasm_importtype_module", p, "importtype", importtype_parts)
            .map_or(std::ptr::null(), |(m, ..)| m.cast())
    })
}

/// `wasm_importtype_name` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_importtype_name(p: *const c_void) -> *const ByteVec {
    ffi::guard("wasm_importtype_name", std::ptr::null(), || {
        with_type("wasm_importtype_name", p, "importtype", importtype_parts)
            .map_or(std::ptr::null(), |(_, n, ..)| n.cast())
    })
}

/// `wasm_importtype_type` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_importtype_type(p: *const c_void) -> *const c_void {
    ffi::guard("wasm_importtype_type", std::ptr::null(), || {
        with_type("wasm_importtype_type", p, "importtype", importtype_parts)
            .map_or(std::ptr::null(), |(_, _, t, _)| t.to_ptr().cast_const())
    })
}

/// `wasm_importtype_is_linked`: whether the runtime already provides the import. Imports of
/// this API are always provided through `wasm_instance_new`'s vector, so this is false.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_importtype_is_linked(p: *const c_void) -> bool {
    ffi::guard("wasm_importtype_is_linked", false, || {
        with_type(
            "wasm_importtype_is_linked",
            p,
            "importtype",
            importtype_parts,
        )
        .is_some_and(|(_, _, _, l)| l)
    })
}

/// `wasm_exporttype_new`: takes ownership of the name and the extern type.
///
/// # Safety
/// `name` is NULL or a valid, writable byte vector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_exporttype_new(name: *mut ByteVec, ty: *mut c_void) -> *mut c_void {
    ffi::guard("wasm_exporttype_new", null(), || {
        let api = "wasm_exporttype_new";
        // SAFETY: forwarded caller contract.
        let Some(n) = (unsafe { adopt_name(name) }) else {
            misuse(api, "invalid name vector");
            return null();
        };
        adopt_exporttype(api, &n, SealedHandle::from_ptr(ty))
    })
}

/// `wasm_exporttype_name` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_exporttype_name(p: *const c_void) -> *const ByteVec {
    ffi::guard("wasm_exporttype_name", std::ptr::null(), || {
        with_type("wasm_exporttype_name", p, "exporttype", exporttype_parts)
            .map_or(std::ptr::null(), |(n, _)| n.cast())
    })
}

/// `wasm_exporttype_type` (borrowed).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_exporttype_type(p: *const c_void) -> *const c_void {
    ffi::guard("wasm_exporttype_type", std::ptr::null(), || {
        with_type("wasm_exporttype_type", p, "exporttype", exporttype_parts)
            .map_or(std::ptr::null(), |(_, t)| t.to_ptr().cast_const())
    })
}
