//! Building and taking apart type objects (see `types.rs`): the constructors that adopt
//! handles passed as `own`, and the accessors behind `types_ops.rs`.

use std::ffi::c_void;

use super::handles::{self, GLOBAL_OWNER, Obj, issue_ptr, misuse};
use super::types::{
    ExportTypeObj, FuncTypeObj, GlobalTypeObj, ImportTypeObj, MemoryTypeObj, TableTypeObj, TypeObj,
    WasmLimits, extern_ty_arg, valtype_arg,
};
use super::val::{kind_of, type_of};
use super::vec::OwnedVec;
use crate::cap::{OType, SealedHandle};
use crate::types::{ExternKind, FuncType, GlobalType, MemoryType, RefType, TableType, ValType};

/// `wasm_functype_params` / `_results` pointers.
pub fn functype_vecs(t: &TypeObj) -> Option<(*const c_void, *const c_void)> {
    match t {
        TypeObj::Func(f) => Some((f.params.as_ptr().cast(), f.results.as_ptr().cast())),
        _ => None,
    }
}

/// A global type's content handle and mutability.
pub fn globaltype_parts(t: &TypeObj) -> Option<(SealedHandle, bool)> {
    match t {
        TypeObj::Global(g) => Some((g.content, g.ty.mutable)),
        _ => None,
    }
}

/// A table type's element handle and limits pointer.
pub fn tabletype_parts(t: &TypeObj) -> Option<(SealedHandle, *const WasmLimits)> {
    match t {
        TypeObj::Table(x) => Some((x.element, &*x.limits as *const WasmLimits)),
        _ => None,
    }
}

/// A memory type's limits pointer.
pub fn memorytype_limits(t: &TypeObj) -> Option<*const WasmLimits> {
    match t {
        TypeObj::Memory(m) => Some(&*m.limits as *const WasmLimits),
        _ => None,
    }
}

/// An import type's name pointers, type handle and link state.
pub fn importtype_parts(t: &TypeObj) -> Option<(*const c_void, *const c_void, SealedHandle, bool)> {
    match t {
        TypeObj::Import(i) => Some((
            i.module.as_ptr().cast(),
            i.name.as_ptr().cast(),
            i.ty,
            i.linked,
        )),
        _ => None,
    }
}

/// An export type's name pointer and type handle.
pub fn exporttype_parts(t: &TypeObj) -> Option<(*const c_void, SealedHandle)> {
    match t {
        TypeObj::Export(e) => Some((e.name.as_ptr().cast(), e.ty)),
        _ => None,
    }
}

/// Builds a function type object adopting existing valtype handles.
pub fn adopt_functype(api: &str, params: Vec<usize>, results: Vec<usize>) -> *mut c_void {
    let kinds = |hs: &[usize]| -> Option<Vec<ValType>> {
        hs.iter()
            .map(|&h| valtype_arg(api, h as *const c_void))
            .collect()
    };
    let (Some(p), Some(r)) = (kinds(&params), kinds(&results)) else {
        for h in params.iter().chain(&results) {
            handles::release_quietly(SealedHandle::from_bits(*h as u64), OType::CAPI_OBJ);
        }
        return std::ptr::null_mut();
    };
    issue_ptr(
        api,
        OType::CAPI_OBJ,
        GLOBAL_OWNER,
        Obj::Type(TypeObj::Func(FuncTypeObj {
            ty: FuncType::new(p, r),
            params: OwnedVec::new(&params),
            results: OwnedVec::new(&results),
        })),
    )
}

/// Builds a global type adopting a valtype handle.
pub fn adopt_globaltype(api: &str, content: SealedHandle, mutability: u8) -> *mut c_void {
    let Some(v) = valtype_arg(api, content.to_ptr()) else {
        return std::ptr::null_mut();
    };
    if mutability > 1 {
        misuse(api, "invalid mutability");
        handles::release_quietly(content, OType::CAPI_OBJ);
        return std::ptr::null_mut();
    }
    if v == ValType::V128 {
        misuse(api, "v128 globals are not supported");
        handles::release_quietly(content, OType::CAPI_OBJ);
        return std::ptr::null_mut();
    }
    issue_ptr(
        api,
        OType::CAPI_OBJ,
        GLOBAL_OWNER,
        Obj::Type(TypeObj::Global(GlobalTypeObj {
            ty: GlobalType {
                content: v,
                mutable: mutability == 1,
            },
            content,
        })),
    )
}

/// Builds a table type adopting a valtype handle.
pub fn adopt_tabletype(api: &str, element: SealedHandle, limits: WasmLimits) -> *mut c_void {
    let Some(v) = valtype_arg(api, element.to_ptr()) else {
        return std::ptr::null_mut();
    };
    let elem = match v {
        ValType::FuncRef => RefType::Func,
        ValType::ExternRef => RefType::Extern,
        _ => {
            misuse(api, "table elements must be funcref or externref");
            handles::release_quietly(element, OType::CAPI_OBJ);
            return std::ptr::null_mut();
        }
    };
    let ty = TableType {
        elem,
        limits: limits.to_limits(),
    };
    issue_ptr(
        api,
        OType::CAPI_OBJ,
        GLOBAL_OWNER,
        Obj::Type(TypeObj::Table(TableTypeObj {
            ty,
            element,
            limits: Box::new(limits),
        })),
    )
}

/// A memory type.
pub fn make_memorytype(api: &str, limits: WasmLimits) -> *mut c_void {
    let ty = MemoryType {
        limits: limits.to_limits(),
        shared: false,
    };
    issue_ptr(
        api,
        OType::CAPI_OBJ,
        GLOBAL_OWNER,
        Obj::Type(TypeObj::Memory(MemoryTypeObj {
            ty,
            limits: Box::new(limits),
        })),
    )
}

/// Builds an import type adopting an extern type handle.
pub fn adopt_importtype(api: &str, module: &[u8], name: &[u8], ty: SealedHandle) -> *mut c_void {
    if extern_ty_arg(api, ty.to_ptr()).is_none() {
        return std::ptr::null_mut();
    }
    issue_ptr(
        api,
        OType::CAPI_OBJ,
        GLOBAL_OWNER,
        Obj::Type(TypeObj::Import(ImportTypeObj {
            module: OwnedVec::new(module),
            name: OwnedVec::new(name),
            ty,
            linked: false,
        })),
    )
}

/// Builds an export type adopting an extern type handle.
pub fn adopt_exporttype(api: &str, name: &[u8], ty: SealedHandle) -> *mut c_void {
    if extern_ty_arg(api, ty.to_ptr()).is_none() {
        return std::ptr::null_mut();
    }
    issue_ptr(
        api,
        OType::CAPI_OBJ,
        GLOBAL_OWNER,
        Obj::Type(TypeObj::Export(ExportTypeObj {
            name: OwnedVec::new(name),
            ty,
        })),
    )
}

/// The C kind of a valtype object.
pub fn valkind(t: &TypeObj) -> Option<u8> {
    match t {
        TypeObj::Val(v) => Some(kind_of(*v)),
        _ => None,
    }
}

/// The value type of a C kind (None if invalid).
pub fn valtype_of_kind(k: u8) -> Option<ValType> {
    type_of(k)
}

/// Kind check helpers for the cast functions.
pub fn extern_kind_of(t: &TypeObj) -> Option<ExternKind> {
    Some(match t {
        TypeObj::Func(_) => ExternKind::Func,
        TypeObj::Global(_) => ExternKind::Global,
        TypeObj::Table(_) => ExternKind::Table,
        TypeObj::Memory(_) => ExternKind::Memory,
        _ => return None,
    })
}
