//! The sealed-handle table of the C API and the objects it holds.
//!
//! Every object pointer this API hands to C is a [`SealedHandle`] of one process-wide
//! [`HandleTable`] (capability-model.md §3), with the otypes of §2: `OT_RUNTIME` (engine),
//! `OT_STORE`, `OT_MODULE`, `OT_INSTANCE`, `OT_FUNC`, `OT_MEMORY`, `OT_TABLE`, `OT_GLOBAL`,
//! `OT_CAPI_OBJ` (externs, traps, frames, foreign objects, types, shared modules) and
//! `OT_EXTERNREF` (`wasm_ref_t`). Objects owned by a store carry the store's [`OwnerId`], so
//! mixing stores is detected, and store deletion kills all of them at once.
//!
//! Reference objects (functions, globals, tables, memories, instances, externs, traps,
//! foreign objects) have *views*: `wasm_func_as_extern` and `wasm_func_as_ref` return other
//! handles (of otype `OT_CAPI_OBJ` and `OT_EXTERNREF`) of the same object. Views are borrowed:
//! deleting the object through any of its handles kills all of them.
//!
//! Every entry point validates its handles here before touching anything; a rejected handle
//! is answered with the API's failure value, [`ffi::set_last_error`] and a violation record.

use std::ffi::c_void;
use std::sync::{Arc, LazyLock};

use crate::cap::violation::record_handle_error;
use crate::cap::{HandleError, HandleTable, OType, OwnerId, SealedHandle};
use crate::capi::ffi::{self, LOG_WARNING};

use super::frame::FrameObj;
use super::module::ModuleObj;
use super::refs::RefObj;
use super::store::StoreCore;
use super::types::TypeObj;
use crate::module::Module;

/// An object reachable from C.
pub enum Obj {
    /// The (process-wide) engine.
    Engine,
    /// A store.
    Store(Arc<StoreCore>),
    /// A module of a store.
    Module(ModuleObj),
    /// A module detached from its store (`wasm_module_share`).
    SharedModule(Module),
    /// A type (`wasm_valtype_t` ... `wasm_exporttype_t`).
    Type(TypeObj),
    /// A trap frame.
    Frame(FrameObj),
    /// A reference object (function, global, table, memory, instance, trap, foreign, extern).
    Ref(Arc<RefObj>),
}

impl Obj {
    /// A short name for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Obj::Engine => "engine",
            Obj::Store(_) => "store",
            Obj::Module(_) => "module",
            Obj::SharedModule(_) => "shared module",
            Obj::Type(t) => t.describe(),
            Obj::Frame(_) => "frame",
            Obj::Ref(r) => r.kind.describe(),
        }
    }
}

/// The handle table of the C API.
static HANDLES: LazyLock<HandleTable<Obj>> = LazyLock::new(HandleTable::new);

/// Owner of objects that belong to no store (engine, stores, types, shared modules).
pub const GLOBAL_OWNER: OwnerId = OwnerId::new(0);

/// The handle table.
pub fn table() -> &'static HandleTable<Obj> {
    &HANDLES
}

/// Reports API misuse that is not a handle problem (bad argument, wrong kind, ...).
pub fn misuse(api: &str, msg: &str) {
    ffi::set_last_error(LOG_WARNING, &format!("{api}: {msg}"));
}

/// Records an ordinary failure that is not misuse (an index out of bounds, a growth beyond
/// the maximum): the last error is set and logged at debug level only.
pub fn soft_error(api: &str, msg: &str) {
    ffi::set_last_error(ffi::LOG_DEBUG, &format!("{api}: {msg}"));
}

/// Reports a rejected handle: violation record plus last error.
pub fn reject(api: &str, p: *const c_void, expected: OType, err: HandleError) {
    record_handle_error(err, SealedHandle::from_ptr(p), expected, None);
    misuse(api, &err.to_string());
}

/// Reports a handle of the right otype whose object is of another kind (e.g. a trap passed
/// as a `wasm_foreign_t`).
pub fn reject_kind(api: &str, p: *const c_void, expected: OType, want: &str, got: &Obj) {
    record_handle_error(
        HandleError::SlotType,
        SealedHandle::from_ptr(p),
        expected,
        None,
    );
    misuse(
        api,
        &format!(
            "handle type mismatch (expected {want}, got {})",
            got.describe()
        ),
    );
}

/// Validates `p` as a live object of otype `ot` (owned by `owner` if given).
pub fn lookup(api: &str, p: *const c_void, ot: OType, owner: Option<OwnerId>) -> Option<Arc<Obj>> {
    match HANDLES.get(SealedHandle::from_ptr(p), ot, owner) {
        Ok(o) => Some(o),
        Err(e) => {
            reject(api, p, ot, e);
            None
        }
    }
}

/// Issues a new handle for `obj`; NULL (with an error) if the table is full.
pub fn issue(api: &str, ot: OType, owner: OwnerId, obj: Arc<Obj>) -> Option<SealedHandle> {
    match HANDLES.insert(ot, owner, obj) {
        Ok(h) => Some(h),
        Err(e) => {
            misuse(api, &e.to_string());
            None
        }
    }
}

/// Issues a handle and returns it as a C pointer (NULL on failure).
pub fn issue_ptr(api: &str, ot: OType, owner: OwnerId, obj: Obj) -> *mut c_void {
    issue(api, ot, owner, Arc::new(obj)).map_or(std::ptr::null_mut(), SealedHandle::to_ptr)
}

/// Deletes the object behind `p` (NULL is a no-op): every view of a reference object dies.
/// `accept` checks that the object is of the kind the entry point deletes. The object is
/// dropped (finalizers run) after the table lock is released.
pub fn delete(api: &str, p: *const c_void, ot: OType, want: &str, accept: impl Fn(&Obj) -> bool) {
    if p.is_null() {
        return;
    }
    let Some(obj) = lookup(api, p, ot, None) else {
        return;
    };
    if !accept(&obj) {
        reject_kind(api, p, ot, want, &obj);
        return;
    }
    kill(&obj, SealedHandle::from_ptr(p), ot);
}

/// Removes every handle of `obj` (`h`/`ot` is the one used to reach it).
pub fn kill(obj: &Arc<Obj>, h: SealedHandle, ot: OType) {
    let removed: Vec<Arc<Obj>> = match &**obj {
        Obj::Ref(r) => r
            .take_views()
            .into_iter()
            .filter_map(|(vot, vh)| HANDLES.remove(vh, vot, None).ok())
            .collect(),
        _ => HANDLES.remove(h, ot, None).ok().into_iter().collect(),
    };
    drop(removed);
}

/// Removes a handle owned by another object (e.g. a function type's parameter valtypes)
/// without reporting: the C program may already have deleted it.
pub fn release_quietly(h: SealedHandle, ot: OType) {
    if h.is_null() {
        return;
    }
    let removed = HANDLES.remove(h, ot, None).ok();
    if let Some(obj) = removed {
        if let Obj::Ref(r) = &*obj {
            let others: Vec<Arc<Obj>> = r
                .take_views()
                .into_iter()
                .filter_map(|(vot, vh)| HANDLES.remove(vh, vot, None).ok())
                .collect();
            drop(others);
        }
        drop(obj);
    }
}

/// Kills every object owned by `owner` (store deletion).
pub fn kill_owned_by(owner: OwnerId) {
    let victims = HANDLES.remove_owned_by(owner);
    drop(victims);
}
