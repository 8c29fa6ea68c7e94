//! Modules: `wasm_module_new(_ex)`, `_validate`, `_imports`, `_exports`, `_serialize`,
//! `_deserialize`, `_share` / `_obtain`, names.
//!
//! A module belongs to the store it was created in (using it in another store is rejected:
//! move it with `wasm_module_share` + `wasm_module_obtain`). The binary is always copied, so
//! the caller's buffer may be freed right after `wasm_module_new`.
//!
//! `wasm_module_serialize` produces a small self-describing container around the wasm binary
//! (magic, version, lengths, SipHash checksum, module name); `wasm_module_deserialize`
//! validates all of it, then validates the binary as `wasm_module_new` does.
//!
//! # Invariants
//! Byte vectors and `LoadArgs` are read (and output vectors written) only as the C API
//! contract allows; the binary is copied before use, so the caller may free it afterwards.

use std::ffi::{CString, c_char, c_void};
use std::sync::Arc;

use parking_lot::Mutex;

use super::handles::{self, GLOBAL_OWNER, Obj, issue_ptr, lookup, misuse, reject_kind};
use super::store::{StoreCore, store_arg};
use super::types::{ExternTy, new_exporttype, new_importtype};
use super::vec::{ByteVec, HandleVec, elems, new_empty, write_bytes, write_vec};
use crate::cap::siphash::{SipKey, siphash24};
use crate::cap::{OType, OwnerId, SealedHandle};
use crate::capi::ffi;
use crate::module::{ImportDesc, Module};
use crate::runtime::multi_module::LoadedModule;
use crate::types::{ExternKind, FuncIdx};

/// A `wasm_module_t` object.
pub struct ModuleObj {
    /// The module.
    pub module: Module,
    /// The name as returned by `wasm_module_get_name` (stable until the next set_name).
    name: Mutex<CString>,
    /// Imports resolved from other modules at load (multi-module); `None` for a module
    /// obtained from a shared one.
    pub loaded: Option<Arc<LoadedModule>>,
}

/// `LoadArgs`.
#[repr(C)]
#[derive(Debug)]
pub struct LoadArgs {
    /// Module name (may be NULL).
    pub name: *mut c_char,
    /// `clone_wasm_binary` (the binary is always copied here).
    pub clone_wasm_binary: bool,
    /// `wasm_binary_freeable`.
    pub wasm_binary_freeable: bool,
    /// `no_resolve`.
    pub no_resolve: bool,
}

fn new_module_obj(
    api: &str,
    store: &StoreCore,
    module: Module,
    loaded: Option<Arc<LoadedModule>>,
) -> *mut c_void {
    let name = CString::new(module.name().replace('\0', "")).unwrap_or_default();
    let obj = Obj::Module(ModuleObj {
        module,
        name: Mutex::new(name),
        loaded,
    });
    store
        .issue(api, OType::MODULE, Arc::new(obj))
        .map_or(std::ptr::null_mut(), SealedHandle::to_ptr)
}

/// Runs `f` on the module behind `p` (of `owner`'s store if given).
pub fn with_module<R>(
    api: &str,
    p: *const c_void,
    owner: Option<OwnerId>,
    f: impl FnOnce(&ModuleObj) -> R,
) -> Option<R> {
    let o = lookup(api, p, OType::MODULE, owner)?;
    match &*o {
        Obj::Module(m) => Some(f(m)),
        other => {
            reject_kind(api, p, OType::MODULE, "module", other);
            None
        }
    }
}

/// The bytes of a C byte vector (copied).
///
/// # Safety
/// `v` is NULL or a valid byte vector.
unsafe fn bytes_arg(api: &str, v: *const ByteVec) -> Option<Vec<u8>> {
    if v.is_null() {
        misuse(api, "null binary");
        return None;
    }
    // SAFETY: forwarded caller contract.
    match unsafe { elems(v) } {
        Some(b) => Some(b.to_vec()),
        None => {
            misuse(api, "invalid byte vector");
            None
        }
    }
}

fn load(api: &str, store: *mut c_void, bytes: Option<Vec<u8>>, name: Option<&str>) -> *mut c_void {
    let Some(core) = store_arg(api, store) else {
        return std::ptr::null_mut();
    };
    let Some(bytes) = bytes else {
        return std::ptr::null_mut();
    };
    match Module::from_vec(bytes) {
        Ok(m) => {
            if let Some(n) = name {
                m.set_name(n);
            }
            // WAMR's load path: imports from other modules are resolved (module reader).
            let loaded = crate::capi::wamr::multi_module::resolve(m.clone());
            new_module_obj(api, &core, m, Some(loaded))
        }
        Err(e) => {
            // WAMR's wasm_module_new_ex logs the load error and its own failure.
            ffi::log(ffi::LOG_ERROR, &e.to_string());
            ffi::log(ffi::LOG_ERROR, "wasm_module_new_ex failed");
            ffi::set_last_error(ffi::LOG_WARNING, &format!("{api}: {e}"));
            std::ptr::null_mut()
        }
    }
}

/// `wasm_module_new`.
///
/// # Safety
/// `binary` is NULL or a valid byte vector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_new(
    store: *mut c_void,
    binary: *const ByteVec,
) -> *mut c_void {
    ffi::guard("wasm_module_new", std::ptr::null_mut(), || {
        // SAFETY: forwarded caller contract.
        let bytes = unsafe { bytes_arg("wasm_module_new", binary) };
        load("wasm_module_new", store, bytes, None)
    })
}

/// `wasm_module_new_ex`: as `wasm_module_new`, naming the module from `args`.
///
/// # Safety
/// `binary` is NULL or a valid byte vector; `args` is NULL or a valid `LoadArgs`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_new_ex(
    store: *mut c_void,
    binary: *mut ByteVec,
    args: *mut LoadArgs,
) -> *mut c_void {
    ffi::guard("wasm_module_new_ex", std::ptr::null_mut(), || {
        let api = "wasm_module_new_ex";
        // SAFETY: forwarded caller contract.
        let bytes = unsafe { bytes_arg(api, binary) };
        let name = if args.is_null() {
            None
        } else {
            // SAFETY: non-null `args` is valid per the caller's contract; its name is NULL or
            // a NUL-terminated string.
            unsafe { ffi::str_from((*args).name) }
        };
        load(api, store, bytes, name)
    })
}

/// `wasm_module_delete`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_module_delete(p: *mut c_void) {
    ffi::guard("wasm_module_delete", (), || {
        handles::delete("wasm_module_delete", p, OType::MODULE, "module", |o| {
            matches!(o, Obj::Module(_))
        })
    })
}

/// `wasm_module_validate`.
///
/// # Safety
/// `binary` is NULL or a valid byte vector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_validate(store: *mut c_void, binary: *const ByteVec) -> bool {
    ffi::guard("wasm_module_validate", false, || {
        let api = "wasm_module_validate";
        if store_arg(api, store).is_none() {
            return false;
        }
        // SAFETY: forwarded caller contract.
        let Some(bytes) = (unsafe { bytes_arg(api, binary) }) else {
            return false;
        };
        match Module::from_vec(bytes) {
            Ok(m) => {
                // WAMR's validate loads the module as `wasm_module_new` does (imports from
                // other modules resolved, unlinked functions logged), then unloads it.
                drop(crate::capi::wamr::multi_module::resolve(m));
                true
            }
            Err(e) => {
                ffi::log(ffi::LOG_DEBUG, &format!("{api}: {e}"));
                false
            }
        }
    })
}

/// The extern type of import `i` of `m`.
pub fn import_ty(m: &Module, desc: &ImportDesc) -> ExternTy {
    match desc {
        ImportDesc::Func(t) => ExternTy::Func((*m.types()[t.index()]).clone()),
        ImportDesc::Table(t) => ExternTy::Table(*t),
        ImportDesc::Memory(t) => ExternTy::Memory(*t),
        ImportDesc::Global(t) => ExternTy::Global(*t),
    }
}

/// The extern type of entity `index` of `kind` in `m`.
pub fn entity_ty(m: &Module, kind: ExternKind, index: u32) -> Option<ExternTy> {
    let i = index as usize;
    Some(match kind {
        ExternKind::Func => ExternTy::Func(m.func_type(FuncIdx(index))?.clone()),
        ExternKind::Table => ExternTy::Table(*m.tables().get(i)?),
        ExternKind::Memory => ExternTy::Memory(*m.memories().get(i)?),
        ExternKind::Global => ExternTy::Global(*m.globals().get(i)?),
    })
}

/// `wasm_module_imports`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_imports(p: *const c_void, out: *mut HandleVec) {
    ffi::guard("wasm_module_imports", (), || {
        let api = "wasm_module_imports";
        let hs = with_module(api, p, None, |mo| {
            let m = &mo.module;
            m.imports()
                .iter()
                .map(|imp| {
                    new_importtype(
                        api,
                        &name_nt(&imp.module),
                        &name_nt(&imp.name),
                        &import_ty(m, &imp.desc),
                        false,
                    )
                    .bits() as usize
                })
                .collect::<Vec<_>>()
        });
        // SAFETY: forwarded caller contract.
        unsafe {
            match hs {
                Some(hs) => write_vec(out, &hs),
                None => new_empty(out),
            }
        }
    })
}

/// A name vector as WAMR builds them (`wasm_name_new_from_string_nt`): the bytes and a NUL,
/// counted in the size.
fn name_nt(s: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() + 1);
    v.extend_from_slice(s.as_bytes());
    v.push(0);
    v
}

/// `wasm_module_exports`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_exports(p: *const c_void, out: *mut HandleVec) {
    ffi::guard("wasm_module_exports", (), || {
        let api = "wasm_module_exports";
        let hs = with_module(api, p, None, |mo| {
            let m = &mo.module;
            m.exports()
                .iter()
                .filter_map(|e| {
                    let ty = entity_ty(m, e.kind, e.index)?;
                    Some(new_exporttype(api, &name_nt(&e.name), &ty).bits() as usize)
                })
                .collect::<Vec<_>>()
        });
        // SAFETY: forwarded caller contract.
        unsafe {
            match hs {
                Some(hs) => write_vec(out, &hs),
                None => new_empty(out),
            }
        }
    })
}

const SER_MAGIC: &[u8; 8] = b"CWAMRMOD";
const SER_VERSION: u32 = 1;
const SER_HEADER: usize = 32;
const SER_KEY: SipKey = SipKey::new(0x6377_616d_722d_7365, 0x7269_616c_697a_6531);

fn checksum(name: &[u8], wasm: &[u8]) -> u64 {
    let mut all = Vec::with_capacity(name.len() + wasm.len());
    all.extend_from_slice(name);
    all.extend_from_slice(wasm);
    siphash24(SER_KEY, &all)
}

/// The serialized form of a module.
pub fn serialize(m: &Module) -> Vec<u8> {
    let name = m.name().into_bytes();
    let wasm = m.bytes();
    let mut out = Vec::with_capacity(SER_HEADER + name.len() + wasm.len());
    out.extend_from_slice(SER_MAGIC);
    out.extend_from_slice(&SER_VERSION.to_le_bytes());
    out.extend_from_slice(&(name.len() as u32).to_le_bytes());
    out.extend_from_slice(&(wasm.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(&name, wasm).to_le_bytes());
    out.extend_from_slice(&name);
    out.extend_from_slice(wasm);
    out
}

/// Parses and checks a serialized module: (name, wasm bytes).
pub fn deserialize(b: &[u8]) -> Result<(String, &[u8]), String> {
    let le32 = |r: std::ops::Range<usize>| u32::from_le_bytes(b[r].try_into().unwrap_or([0; 4]));
    let le64 = |r: std::ops::Range<usize>| u64::from_le_bytes(b[r].try_into().unwrap_or([0; 8]));
    if b.len() < SER_HEADER || &b[..8] != SER_MAGIC {
        return Err("not a serialized cwamr module".into());
    }
    if le32(8..12) != SER_VERSION {
        return Err(format!(
            "unsupported serialized module version {}",
            le32(8..12)
        ));
    }
    let name_len = le32(12..16) as usize;
    let wasm_len = usize::try_from(le64(16..24)).map_err(|_| "length overflow")?;
    let body = &b[SER_HEADER..];
    if name_len.checked_add(wasm_len) != Some(body.len()) {
        return Err("serialized module has a wrong length".into());
    }
    let (name, wasm) = body.split_at(name_len);
    if checksum(name, wasm) != le64(24..32) {
        return Err("serialized module checksum mismatch".into());
    }
    let name = String::from_utf8(name.to_vec()).map_err(|_| "invalid module name")?;
    Ok((name, wasm))
}

/// `wasm_module_serialize`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_serialize(p: *mut c_void, out: *mut ByteVec) {
    ffi::guard("wasm_module_serialize", (), || {
        let bytes = with_module("wasm_module_serialize", p, None, |m| serialize(&m.module));
        // SAFETY: forwarded caller contract.
        unsafe {
            match bytes {
                Some(b) => write_bytes(out, &b),
                None => new_empty(out),
            }
        }
    })
}

/// `wasm_module_deserialize`.
///
/// # Safety
/// `bytes` is NULL or a valid byte vector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_deserialize(
    store: *mut c_void,
    bytes: *const ByteVec,
) -> *mut c_void {
    ffi::guard("wasm_module_deserialize", std::ptr::null_mut(), || {
        let api = "wasm_module_deserialize";
        // SAFETY: forwarded caller contract.
        let Some(b) = (unsafe { bytes_arg(api, bytes) }) else {
            return std::ptr::null_mut();
        };
        match deserialize(&b) {
            Ok((name, wasm)) => {
                let name = (!name.is_empty()).then_some(name);
                load(api, store, Some(wasm.to_vec()), name.as_deref())
            }
            Err(e) => {
                misuse(api, &e);
                std::ptr::null_mut()
            }
        }
    })
}

/// `wasm_module_share`: a store-independent handle to the module.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_module_share(p: *mut c_void) -> *mut c_void {
    ffi::guard("wasm_module_share", std::ptr::null_mut(), || {
        let api = "wasm_module_share";
        with_module(api, p, None, |m| {
            issue_ptr(
                api,
                OType::CAPI_OBJ,
                GLOBAL_OWNER,
                Obj::SharedModule(m.module.clone()),
            )
        })
        .unwrap_or(std::ptr::null_mut())
    })
}

/// `wasm_module_obtain`: the shared module as a module of `store`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_module_obtain(store: *mut c_void, shared: *mut c_void) -> *mut c_void {
    ffi::guard("wasm_module_obtain", std::ptr::null_mut(), || {
        let api = "wasm_module_obtain";
        let Some(core) = store_arg(api, store) else {
            return std::ptr::null_mut();
        };
        let Some(o) = lookup(api, shared, OType::CAPI_OBJ, None) else {
            return std::ptr::null_mut();
        };
        match &*o {
            Obj::SharedModule(m) => new_module_obj(api, &core, m.clone(), None),
            other => {
                reject_kind(api, shared, OType::CAPI_OBJ, "shared module", other);
                std::ptr::null_mut()
            }
        }
    })
}

/// `wasm_shared_module_delete`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_shared_module_delete(p: *mut c_void) {
    ffi::guard("wasm_shared_module_delete", (), || {
        handles::delete(
            "wasm_shared_module_delete",
            p,
            OType::CAPI_OBJ,
            "shared module",
            |o| matches!(o, Obj::SharedModule(_)),
        )
    })
}

/// `wasm_module_set_name`.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_set_name(p: *mut c_void, name: *const c_char) -> bool {
    ffi::guard("wasm_module_set_name", false, || {
        let api = "wasm_module_set_name";
        // SAFETY: forwarded caller contract.
        let Some(n) = (unsafe { ffi::str_from(name) }) else {
            misuse(api, "invalid name");
            return false;
        };
        with_module(api, p, None, |m| {
            m.module.set_name(n);
            *m.name.lock() = CString::new(n).unwrap_or_default();
            true
        })
        .unwrap_or(false)
    })
}

/// `wasm_module_get_name`: valid until the next `wasm_module_set_name` or deletion.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_module_get_name(p: *mut c_void) -> *const c_char {
    ffi::guard("wasm_module_get_name", std::ptr::null(), || {
        with_module("wasm_module_get_name", p, None, |m| {
            let mut cached = m.name.lock();
            let current = m.module.name();
            if cached.as_bytes() != current.as_bytes() {
                *cached = CString::new(current.replace('\0', "")).unwrap_or_default();
            }
            cached.as_ptr()
        })
        .unwrap_or(std::ptr::null())
    })
}

/// `wasm_module_is_underlying_binary_freeable`: always true (the binary is copied).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_module_is_underlying_binary_freeable(p: *const c_void) -> bool {
    ffi::guard("wasm_module_is_underlying_binary_freeable", false, || {
        with_module("wasm_module_is_underlying_binary_freeable", p, None, |_| {
            true
        })
        .unwrap_or(false)
    })
}

/// The module of a module handle as seen from `owner`'s store.
pub fn module_of(api: &str, p: *const c_void, owner: OwnerId) -> Option<Module> {
    with_module(api, p, Some(owner), |m| m.module.clone())
}

/// The multi-module resolution of a module handle (already validated by [`module_of`]).
pub fn loaded_of(api: &str, p: *const c_void, owner: OwnerId) -> Option<Arc<LoadedModule>> {
    with_module(api, p, Some(owner), |m| m.loaded.clone()).flatten()
}
