//! Values: `wasm_val_t` <-> runtime cells, `wasm_val_delete`, `wasm_val_copy`, value kinds.
//!
//! Reference values hold `wasm_ref_t` handles. Going into WebAssembly, a function reference
//! becomes the function's address and any other reference becomes an `externref` cell that
//! the store maps back to the same object identity. Coming out, a function reference is a
//! new owned `wasm_ref_t`; an `externref` is, as in WAMR, the very `wasm_ref_t` the program
//! passed in while that one lives, else a new one that stands for the object from then on.
//! Handed to the program, that handle is lent (the program's `wasm_ref_delete` of what it
//! read takes the loan back and leaves its own reference alive); handed to a host callback
//! it is borrowed for the call. The runtime never deletes the program's own reference.
//!
//! # Invariants
//! `wasm_val_t` pointers are read or written only as the C API contract allows; the
//! references inside values are validated as handles.

use std::sync::Arc;

use super::handles::{self, Obj, misuse};
use super::refs::{Flavour, RefKind, copy_ref, delete_ref, lend_handle, new_ref, ref_arg};
use super::store::StoreCore;
use super::vec::WasmVal;
use crate::cap::{OType, SealedHandle};
use crate::capi::ffi;
use crate::runtime::Store;
use crate::runtime::value::{funcref_addr, funcref_bits};
use crate::types::ValType;

/// `WASM_I32`.
pub const KIND_I32: u8 = 0;
/// `WASM_I64`.
pub const KIND_I64: u8 = 1;
/// `WASM_F32`.
pub const KIND_F32: u8 = 2;
/// `WASM_F64`.
pub const KIND_F64: u8 = 3;
/// `WASM_V128`.
pub const KIND_V128: u8 = 4;
/// `WASM_EXTERNREF` (WAMR's `WASM_ANYREF`).
pub const KIND_EXTERNREF: u8 = 128;
/// `WASM_FUNCREF`.
pub const KIND_FUNCREF: u8 = 129;

/// The C kind of a value type.
pub fn kind_of(t: ValType) -> u8 {
    match t {
        ValType::I32 => KIND_I32,
        ValType::I64 => KIND_I64,
        ValType::F32 => KIND_F32,
        ValType::F64 => KIND_F64,
        ValType::V128 => KIND_V128,
        ValType::ExternRef => KIND_EXTERNREF,
        ValType::FuncRef => KIND_FUNCREF,
    }
}

/// The value type of a C kind.
pub fn type_of(k: u8) -> Option<ValType> {
    Some(match k {
        KIND_I32 => ValType::I32,
        KIND_I64 => ValType::I64,
        KIND_F32 => ValType::F32,
        KIND_F64 => ValType::F64,
        KIND_V128 => ValType::V128,
        KIND_EXTERNREF => ValType::ExternRef,
        KIND_FUNCREF => ValType::FuncRef,
        _ => return None,
    })
}

fn is_ref_kind(k: u8) -> bool {
    k == KIND_EXTERNREF || k == KIND_FUNCREF
}

/// The runtime cell for `v`, which must be of type `ty` (references must belong to `store`).
pub fn val_to_cell(
    api: &str,
    store: &Arc<StoreCore>,
    ty: ValType,
    v: &WasmVal,
) -> Result<u64, String> {
    if v.kind != kind_of(ty) {
        return Err(format!(
            "value of kind {} where {} is expected",
            v.kind,
            ty.name()
        ));
    }
    Ok(match ty {
        ValType::I32 | ValType::F32 => v.of & 0xffff_ffff,
        ValType::I64 | ValType::F64 => v.of,
        ValType::V128 => return Err("v128 values are not supported by the C API".into()),
        ValType::FuncRef | ValType::ExternRef => {
            if v.of == 0 {
                return Ok(0);
            }
            let p = v.of as usize as *const std::ffi::c_void;
            let a = ref_arg(api, p, Flavour::Ref, Some(store.owner()))
                .ok_or_else(|| "invalid reference".to_string())?;
            let r = a.get();
            match (ty, &r.kind) {
                (ValType::FuncRef, RefKind::Func { addr, .. }) => funcref_bits(*addr),
                (ValType::FuncRef, _) => {
                    return Err(format!("a {} is not a funcref", r.kind.describe()));
                }
                _ => store.externref_bits(&r.core, SealedHandle::from_ptr(p)),
            }
        }
    })
}

/// The C value of a runtime cell of type `ty`, owned by the program: a funcref is a new
/// `wasm_ref_t`; an externref is the `wasm_ref_t` that stands for the host object, lent once
/// more (a `wasm_ref_delete` of it takes the loan back), or a new one that stands for it from
/// now on.
pub fn cell_to_val(
    api: &str,
    core: &Arc<StoreCore>,
    store: &Store,
    ty: ValType,
    bits: u64,
) -> WasmVal {
    convert(api, core, store, ty, bits, true).0
}

/// The C value of a runtime cell passed to a host callback (borrowed for the call), and
/// whether it holds a reference made for the call (to be deleted after it).
pub fn cell_to_arg(
    api: &str,
    core: &Arc<StoreCore>,
    store: &Store,
    ty: ValType,
    bits: u64,
) -> (WasmVal, bool) {
    convert(api, core, store, ty, bits, false)
}

fn convert(
    api: &str,
    core: &Arc<StoreCore>,
    store: &Store,
    ty: ValType,
    bits: u64,
    owned: bool,
) -> (WasmVal, bool) {
    let (of, fresh) = match ty {
        ValType::I32 | ValType::F32 => (bits & 0xffff_ffff, false),
        ValType::I64 | ValType::F64 | ValType::V128 => (bits, false),
        ValType::FuncRef => {
            let p = funcref_addr(bits)
                .and_then(|a| RefKind::from_key(store, super::refs::EntityKey::Func(a.0)))
                .map_or(0, |k| {
                    new_ref(api, core, k, None, Flavour::Ref) as usize as u64
                });
            (p, p != 0)
        }
        ValType::ExternRef => match core.externref_lookup(bits) {
            None => (0, false),
            Some((_, Some(h))) if !owned || lend_handle(h) => (h.to_ptr() as usize as u64, false),
            Some((c, _)) => {
                let p = RefKind::from_key(store, c.key).map_or(std::ptr::null_mut(), |k| {
                    new_ref(api, core, k, Some(c), Flavour::Ref)
                });
                if owned && !p.is_null() {
                    core.set_externref_holder(bits, SealedHandle::from_ptr(p));
                }
                (p as usize as u64, !owned && !p.is_null())
            }
        },
    };
    let v = WasmVal {
        kind: kind_of(ty),
        pad: [0; 7],
        of,
    };
    (v, fresh)
}

/// Deletes the reference of a value (if any).
pub fn release_val(api: &str, v: &WasmVal) {
    if is_ref_kind(v.kind) && v.of != 0 {
        delete_ref(api, v.of as usize as *const std::ffi::c_void, Flavour::Ref);
    }
}

/// True if `v` is a non-null reference value.
pub fn is_ref_val(v: &WasmVal) -> bool {
    is_ref_kind(v.kind) && v.of != 0
}

/// True if `v` holds the `wasm_ref_t` that stands for a host object (the program's own, which
/// the runtime only borrows and never deletes).
pub fn is_program_ref(v: &WasmVal) -> bool {
    if !is_ref_kind(v.kind) || v.of == 0 {
        return false;
    }
    let h = SealedHandle::from_ptr(v.of as usize as *const std::ffi::c_void);
    match handles::table().get(h, OType::EXTERNREF, None).as_deref() {
        Ok(Obj::Ref(r)) => r.store.is_externref_holder(r.core.key, h),
        _ => false,
    }
}

/// `wasm_val_delete`: deletes the reference a reference value owns.
///
/// # Safety
/// `v` is NULL or points to a `wasm_val_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_val_delete(v: *mut WasmVal) {
    ffi::guard("wasm_val_delete", (), || {
        if v.is_null() {
            return;
        }
        // SAFETY: non-null and valid per the caller's contract.
        let val = unsafe { &mut *v };
        release_val("wasm_val_delete", val);
        if is_ref_kind(val.kind) {
            val.of = 0;
        }
    })
}

/// `wasm_val_copy`: a copy owning a copy of the reference, if any.
///
/// # Safety
/// `out` is NULL or writable; `src` is NULL or points to a `wasm_val_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_val_copy(out: *mut WasmVal, src: *const WasmVal) {
    ffi::guard("wasm_val_copy", (), || {
        let api = "wasm_val_copy";
        if out.is_null() || src.is_null() {
            misuse(api, "null value");
            return;
        }
        // SAFETY: non-null and valid per the caller's contract.
        let mut v = unsafe { *src };
        if is_ref_kind(v.kind) && v.of != 0 {
            let p = v.of as usize as *const std::ffi::c_void;
            v.of = ref_arg(api, p, Flavour::Ref, None)
                .map_or(0, |a| copy_ref(api, &a, Flavour::Ref) as usize as u64);
        }
        // SAFETY: writable per the caller's contract.
        unsafe { out.write(v) };
    })
}
