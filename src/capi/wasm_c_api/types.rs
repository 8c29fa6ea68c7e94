//! Type objects: `wasm_valtype_t`, `wasm_functype_t`, `wasm_globaltype_t`,
//! `wasm_tabletype_t`, `wasm_memorytype_t` (all four are also `wasm_externtype_t`: the
//! `as_externtype` casts return the same handle), `wasm_importtype_t`, `wasm_exporttype_t`.
//!
//! Types belong to no store. A composite type owns its parts (a function type its parameter
//! and result valtypes, an import type its names and extern type); the pointers that the
//! accessors return (`wasm_functype_params`, `wasm_tabletype_limits`, ...) point into the
//! type object and stay valid until it is deleted.

use std::ffi::c_void;
use std::sync::Arc;

use super::handles::{self, GLOBAL_OWNER, Obj, issue, lookup, reject_kind};
use super::vec::OwnedVec;
use crate::cap::{OType, SealedHandle};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, TableType, ValType};

/// `wasm_limits_t`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmLimits {
    /// Minimum.
    pub min: u32,
    /// Maximum (`0xffffffff`: none).
    pub max: u32,
}

/// `wasm_limits_max_default`.
pub const LIMITS_MAX_DEFAULT: u32 = 0xffff_ffff;

impl WasmLimits {
    /// C limits of runtime limits.
    pub fn of(l: &Limits) -> WasmLimits {
        WasmLimits {
            min: u32::try_from(l.min).unwrap_or(u32::MAX),
            max: l
                .max
                .map_or(LIMITS_MAX_DEFAULT, |m| u32::try_from(m).unwrap_or(u32::MAX)),
        }
    }

    /// Runtime limits of C limits.
    pub fn to_limits(self) -> Limits {
        Limits {
            min: u64::from(self.min),
            max: (self.max != LIMITS_MAX_DEFAULT).then_some(u64::from(self.max)),
        }
    }
}

/// The type an import or export has.
#[derive(Debug, Clone, PartialEq)]
pub enum ExternTy {
    /// A function.
    Func(FuncType),
    /// A global.
    Global(GlobalType),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
}

impl ExternTy {
    /// `wasm_externkind_t`.
    pub fn kind(&self) -> u8 {
        match self {
            ExternTy::Func(_) => 0,
            ExternTy::Global(_) => 1,
            ExternTy::Table(_) => 2,
            ExternTy::Memory(_) => 3,
        }
    }
}

/// A function type with its C parameter/result vectors.
pub struct FuncTypeObj {
    /// The signature.
    pub ty: FuncType,
    pub(super) params: OwnedVec<usize>,
    pub(super) results: OwnedVec<usize>,
}

/// A global type.
pub struct GlobalTypeObj {
    /// The type.
    pub ty: GlobalType,
    pub(super) content: SealedHandle,
}

/// A table type.
pub struct TableTypeObj {
    /// The type.
    pub ty: TableType,
    pub(super) element: SealedHandle,
    pub(super) limits: Box<WasmLimits>,
}

/// A memory type.
pub struct MemoryTypeObj {
    /// The type.
    pub ty: MemoryType,
    pub(super) limits: Box<WasmLimits>,
}

/// An import type.
pub struct ImportTypeObj {
    pub(super) module: OwnedVec<u8>,
    pub(super) name: OwnedVec<u8>,
    pub(super) ty: SealedHandle,
    pub(super) linked: bool,
}

/// An export type.
pub struct ExportTypeObj {
    pub(super) name: OwnedVec<u8>,
    pub(super) ty: SealedHandle,
}

/// A type object.
pub enum TypeObj {
    /// `wasm_valtype_t`
    Val(ValType),
    /// `wasm_functype_t`
    Func(FuncTypeObj),
    /// `wasm_globaltype_t`
    Global(GlobalTypeObj),
    /// `wasm_tabletype_t`
    Table(TableTypeObj),
    /// `wasm_memorytype_t`
    Memory(MemoryTypeObj),
    /// `wasm_importtype_t`
    Import(ImportTypeObj),
    /// `wasm_exporttype_t`
    Export(ExportTypeObj),
}

impl TypeObj {
    /// Name for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            TypeObj::Val(_) => "valtype",
            TypeObj::Func(_) => "functype",
            TypeObj::Global(_) => "globaltype",
            TypeObj::Table(_) => "tabletype",
            TypeObj::Memory(_) => "memorytype",
            TypeObj::Import(_) => "importtype",
            TypeObj::Export(_) => "exporttype",
        }
    }

    /// The extern type this is, for function, global, table and memory types.
    pub fn extern_ty(&self) -> Option<ExternTy> {
        Some(match self {
            TypeObj::Func(f) => ExternTy::Func(f.ty.clone()),
            TypeObj::Global(g) => ExternTy::Global(g.ty),
            TypeObj::Table(t) => ExternTy::Table(t.ty),
            TypeObj::Memory(m) => ExternTy::Memory(m.ty),
            _ => return None,
        })
    }
}

impl Drop for TypeObj {
    fn drop(&mut self) {
        let children: Vec<SealedHandle> = match self {
            TypeObj::Func(f) => f
                .params
                .items()
                .iter()
                .chain(f.results.items())
                .map(|&h| SealedHandle::from_bits(h as u64))
                .collect(),
            TypeObj::Global(g) => vec![g.content],
            TypeObj::Table(t) => vec![t.element],
            TypeObj::Import(i) => vec![i.ty],
            TypeObj::Export(e) => vec![e.ty],
            TypeObj::Val(_) | TypeObj::Memory(_) => Vec::new(),
        };
        for h in children {
            handles::release_quietly(h, OType::CAPI_OBJ);
        }
    }
}

fn issue_type(api: &str, t: TypeObj) -> SealedHandle {
    issue(api, OType::CAPI_OBJ, GLOBAL_OWNER, Arc::new(Obj::Type(t))).unwrap_or_default()
}

/// A new valtype handle.
pub fn new_valtype(api: &str, t: ValType) -> SealedHandle {
    issue_type(api, TypeObj::Val(t))
}

/// A new function type (with new valtypes).
pub fn new_functype(api: &str, ty: &FuncType) -> SealedHandle {
    let mk = |ts: &[ValType]| -> Vec<usize> {
        ts.iter()
            .map(|&t| new_valtype(api, t).bits() as usize)
            .collect()
    };
    let params = mk(ty.params());
    let results = mk(ty.results());
    issue_type(
        api,
        TypeObj::Func(FuncTypeObj {
            ty: ty.clone(),
            params: OwnedVec::new(&params),
            results: OwnedVec::new(&results),
        }),
    )
}

fn new_globaltype(api: &str, ty: GlobalType) -> SealedHandle {
    let content = new_valtype(api, ty.content);
    issue_type(api, TypeObj::Global(GlobalTypeObj { ty, content }))
}

fn new_tabletype(api: &str, ty: TableType) -> SealedHandle {
    let element = new_valtype(api, ty.elem.into());
    issue_type(
        api,
        TypeObj::Table(TableTypeObj {
            ty,
            element,
            limits: Box::new(WasmLimits::of(&ty.limits)),
        }),
    )
}

/// Largest page count of a 32-bit memory: what WAMR reports as the maximum of a module's or
/// an instance's memory that declares none (`DEFAULT_MAX_PAGES`).
const DEFAULT_MAX_PAGES: u32 = 65536;

/// The type of a module's or instance's memory (`wasm_memorytype_new` keeps the caller's
/// limits as given instead): no declared maximum reads as [`DEFAULT_MAX_PAGES`], as in WAMR.
fn new_memorytype(api: &str, ty: MemoryType) -> SealedHandle {
    let mut limits = WasmLimits::of(&ty.limits);
    if ty.limits.max.is_none() {
        limits.max = DEFAULT_MAX_PAGES;
    }
    issue_type(
        api,
        TypeObj::Memory(MemoryTypeObj {
            ty,
            limits: Box::new(limits),
        }),
    )
}

/// A new extern type (the specific type object).
pub fn new_externtype(api: &str, t: &ExternTy) -> SealedHandle {
    match t {
        ExternTy::Func(f) => new_functype(api, f),
        ExternTy::Global(g) => new_globaltype(api, *g),
        ExternTy::Table(t) => new_tabletype(api, *t),
        ExternTy::Memory(m) => new_memorytype(api, *m),
    }
}

/// A new import type.
pub fn new_importtype(
    api: &str,
    module: &[u8],
    name: &[u8],
    ty: &ExternTy,
    linked: bool,
) -> SealedHandle {
    let ty = new_externtype(api, ty);
    issue_type(
        api,
        TypeObj::Import(ImportTypeObj {
            module: OwnedVec::new(module),
            name: OwnedVec::new(name),
            ty,
            linked,
        }),
    )
}

/// A new export type.
pub fn new_exporttype(api: &str, name: &[u8], ty: &ExternTy) -> SealedHandle {
    let ty = new_externtype(api, ty);
    issue_type(
        api,
        TypeObj::Export(ExportTypeObj {
            name: OwnedVec::new(name),
            ty,
        }),
    )
}

/// Runs `f` on the type object behind `p`; `f` returns None if the object is not of the
/// wanted kind, which is reported as a type confusion.
pub fn with_type<R>(
    api: &str,
    p: *const c_void,
    want: &str,
    f: impl FnOnce(&TypeObj) -> Option<R>,
) -> Option<R> {
    let o = lookup(api, p, OType::CAPI_OBJ, None)?;
    let r = match &*o {
        Obj::Type(t) => f(t),
        _ => None,
    };
    if r.is_none() {
        reject_kind(api, p, OType::CAPI_OBJ, want, &o);
    }
    r
}

/// The extern type behind a `wasm_externtype_t*` (or a specific type handle).
pub fn extern_ty_arg(api: &str, p: *const c_void) -> Option<ExternTy> {
    with_type(api, p, "externtype", TypeObj::extern_ty)
}

/// The value type behind a `wasm_valtype_t*`.
pub fn valtype_arg(api: &str, p: *const c_void) -> Option<ValType> {
    with_type(api, p, "valtype", |t| match t {
        TypeObj::Val(v) => Some(*v),
        _ => None,
    })
}

/// The function type behind a `wasm_functype_t*`.
pub fn functype_arg(api: &str, p: *const c_void) -> Option<FuncType> {
    with_type(api, p, "functype", |t| match t {
        TypeObj::Func(f) => Some(f.ty.clone()),
        _ => None,
    })
}

fn deep_copy(api: &str, t: &TypeObj) -> Option<SealedHandle> {
    Some(match t {
        TypeObj::Val(v) => new_valtype(api, *v),
        TypeObj::Import(i) => {
            let ty = extern_ty_arg(api, i.ty.to_ptr())?;
            new_importtype(api, i.module.items(), i.name.items(), &ty, i.linked)
        }
        TypeObj::Export(e) => {
            let ty = extern_ty_arg(api, e.ty.to_ptr())?;
            new_exporttype(api, e.name.items(), &ty)
        }
        other => new_externtype(api, &other.extern_ty()?),
    })
}

fn type_copy(api: &str, p: *const c_void, want: &str, accept: fn(&TypeObj) -> bool) -> *mut c_void {
    with_type(api, p, want, |t| {
        if accept(t) { deep_copy(api, t) } else { None }
    })
    .map_or(std::ptr::null_mut(), SealedHandle::to_ptr)
}

fn type_delete(api: &str, p: *mut c_void, want: &str, accept: fn(&TypeObj) -> bool) {
    handles::delete(
        api,
        p,
        OType::CAPI_OBJ,
        want,
        |o| matches!(o, Obj::Type(t) if accept(t)),
    );
}

fn is_val(t: &TypeObj) -> bool {
    matches!(t, TypeObj::Val(_))
}
fn is_func(t: &TypeObj) -> bool {
    matches!(t, TypeObj::Func(_))
}
fn is_global(t: &TypeObj) -> bool {
    matches!(t, TypeObj::Global(_))
}
fn is_table(t: &TypeObj) -> bool {
    matches!(t, TypeObj::Table(_))
}
fn is_memory(t: &TypeObj) -> bool {
    matches!(t, TypeObj::Memory(_))
}
fn is_extern(t: &TypeObj) -> bool {
    t.extern_ty().is_some()
}
fn is_import(t: &TypeObj) -> bool {
    matches!(t, TypeObj::Import(_))
}
fn is_export(t: &TypeObj) -> bool {
    matches!(t, TypeObj::Export(_))
}

/// Defines `wasm_<name>_delete` and `wasm_<name>_copy` plus the vector functions.
macro_rules! type_basics {
    ($want:literal, $accept:path, $delete:ident, $copy:ident,
     $v_empty:ident, $v_uninit:ident, $v_new:ident, $v_copy:ident, $v_delete:ident) => {
        /// `wasm_*_delete`.
        #[unsafe(no_mangle)]
        pub extern "C" fn $delete(p: *mut c_void) {
            crate::capi::ffi::guard(stringify!($delete), (), || {
                type_delete(stringify!($delete), p, $want, $accept)
            })
        }

        /// `wasm_*_copy` (deep).
        #[unsafe(no_mangle)]
        pub extern "C" fn $copy(p: *const c_void) -> *mut c_void {
            crate::capi::ffi::guard(stringify!($copy), std::ptr::null_mut(), || {
                type_copy(stringify!($copy), p, $want, $accept)
            })
        }

        super::vec::handle_vec_fns!(
            $v_empty, $v_uninit, $v_new, $v_copy, $v_delete, $copy, $delete
        );
    };
}

type_basics!(
    "valtype",
    is_val,
    wasm_valtype_delete,
    wasm_valtype_copy,
    wasm_valtype_vec_new_empty,
    wasm_valtype_vec_new_uninitialized,
    wasm_valtype_vec_new,
    wasm_valtype_vec_copy,
    wasm_valtype_vec_delete
);
type_basics!(
    "functype",
    is_func,
    wasm_functype_delete,
    wasm_functype_copy,
    wasm_functype_vec_new_empty,
    wasm_functype_vec_new_uninitialized,
    wasm_functype_vec_new,
    wasm_functype_vec_copy,
    wasm_functype_vec_delete
);
type_basics!(
    "globaltype",
    is_global,
    wasm_globaltype_delete,
    wasm_globaltype_copy,
    wasm_globaltype_vec_new_empty,
    wasm_globaltype_vec_new_uninitialized,
    wasm_globaltype_vec_new,
    wasm_globaltype_vec_copy,
    wasm_globaltype_vec_delete
);
type_basics!(
    "tabletype",
    is_table,
    wasm_tabletype_delete,
    wasm_tabletype_copy,
    wasm_tabletype_vec_new_empty,
    wasm_tabletype_vec_new_uninitialized,
    wasm_tabletype_vec_new,
    wasm_tabletype_vec_copy,
    wasm_tabletype_vec_delete
);
type_basics!(
    "memorytype",
    is_memory,
    wasm_memorytype_delete,
    wasm_memorytype_copy,
    wasm_memorytype_vec_new_empty,
    wasm_memorytype_vec_new_uninitialized,
    wasm_memorytype_vec_new,
    wasm_memorytype_vec_copy,
    wasm_memorytype_vec_delete
);
type_basics!(
    "externtype",
    is_extern,
    wasm_externtype_delete,
    wasm_externtype_copy,
    wasm_externtype_vec_new_empty,
    wasm_externtype_vec_new_uninitialized,
    wasm_externtype_vec_new,
    wasm_externtype_vec_copy,
    wasm_externtype_vec_delete
);
type_basics!(
    "importtype",
    is_import,
    wasm_importtype_delete,
    wasm_importtype_copy,
    wasm_importtype_vec_new_empty,
    wasm_importtype_vec_new_uninitialized,
    wasm_importtype_vec_new,
    wasm_importtype_vec_copy,
    wasm_importtype_vec_delete
);
type_basics!(
    "exporttype",
    is_export,
    wasm_exporttype_delete,
    wasm_exporttype_copy,
    wasm_exporttype_vec_new_empty,
    wasm_exporttype_vec_new_uninitialized,
    wasm_exporttype_vec_new,
    wasm_exporttype_vec_copy,
    wasm_exporttype_vec_delete
);
