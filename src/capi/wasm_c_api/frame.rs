//! Trap frames: `wasm_frame_*` and `wasm_frame_vec_*`.
//!
//! `wasm_frame_t` is opaque here (a sealed `OT_CAPI_OBJ` handle), read through the accessor
//! functions. A frame names the instance, the function index and the byte offsets of the
//! function body in the module; `wasm_frame_instance` returns a borrowed instance object
//! owned by the frame.

use std::ffi::c_void;
use std::sync::Arc;

use parking_lot::Mutex;

use super::handles::{self, Obj, lookup, reject_kind};
use super::refs::{Flavour, RefKind, new_ref};
use super::store::{StoreCore, with_store};
use crate::cap::{OType, SealedHandle};
use crate::capi::ffi;
use crate::runtime::InstanceAddr;

/// What a frame says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameInfo {
    /// The instance running the function.
    pub instance: InstanceAddr,
    /// Function index in the module (imports first).
    pub func_index: u32,
    /// Offset inside the function body.
    pub func_offset: usize,
    /// Offset inside the module binary.
    pub module_offset: usize,
}

/// A `wasm_frame_t`.
pub struct FrameObj {
    store: Arc<StoreCore>,
    info: FrameInfo,
    instance_view: Mutex<Option<SealedHandle>>,
}

impl Drop for FrameObj {
    fn drop(&mut self) {
        if let Some(h) = self.instance_view.get_mut().take() {
            handles::release_quietly(h, OType::INSTANCE);
        }
    }
}

/// A new frame object (owned by the store of the instance).
pub fn new_frame(api: &str, store: &Arc<StoreCore>, info: FrameInfo) -> *mut c_void {
    let obj = Obj::Frame(FrameObj {
        store: store.clone(),
        info,
        instance_view: Mutex::new(None),
    });
    store
        .issue(api, OType::CAPI_OBJ, Arc::new(obj))
        .map_or(std::ptr::null_mut(), SealedHandle::to_ptr)
}

fn with_frame<R>(api: &str, p: *const c_void, f: impl FnOnce(&FrameObj) -> R) -> Option<R> {
    let o = lookup(api, p, OType::CAPI_OBJ, None)?;
    match &*o {
        Obj::Frame(fr) => Some(f(fr)),
        other => {
            reject_kind(api, p, OType::CAPI_OBJ, "frame", other);
            None
        }
    }
}

/// `wasm_frame_delete`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_frame_delete(p: *mut c_void) {
    ffi::guard("wasm_frame_delete", (), || {
        handles::delete("wasm_frame_delete", p, OType::CAPI_OBJ, "frame", |o| {
            matches!(o, Obj::Frame(_))
        })
    })
}

/// `wasm_frame_copy`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_frame_copy(p: *const c_void) -> *mut c_void {
    ffi::guard("wasm_frame_copy", std::ptr::null_mut(), || {
        with_frame("wasm_frame_copy", p, |f| {
            new_frame("wasm_frame_copy", &f.store, f.info)
        })
        .unwrap_or(std::ptr::null_mut())
    })
}

/// `wasm_frame_instance`: the frame's instance (borrowed; owned by the frame).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_frame_instance(p: *const c_void) -> *mut c_void {
    ffi::guard("wasm_frame_instance", std::ptr::null_mut(), || {
        let api = "wasm_frame_instance";
        with_frame(api, p, |f| {
            // The handle the program got from `wasm_instance_new*`, while it is alive.
            if let Some(h) = f.store.instance_handle(f.info.instance.0) {
                if handles::table()
                    .validate(h, OType::INSTANCE, Some(f.store.owner()))
                    .is_ok()
                {
                    return h.to_ptr();
                }
            }
            let current = *f.instance_view.lock();
            if let Some(h) = current {
                if handles::table()
                    .validate(h, OType::INSTANCE, Some(f.store.owner()))
                    .is_ok()
                {
                    return h.to_ptr();
                }
            }
            // No lock is held while the store is accessed (another thread may be running
            // code of this store and ask for the same frame's instance).
            let addr = f.info.instance;
            let Some(inst) = with_store(&f.store, |s| s.instance(addr).cloned()) else {
                return std::ptr::null_mut();
            };
            let h = new_ref(
                api,
                &f.store,
                RefKind::Instance { addr, inst },
                None,
                Flavour::Instance,
            );
            if h.is_null() {
                return h;
            }
            let mut view = f.instance_view.lock();
            match *view {
                Some(existing) if existing != current.unwrap_or_default() => {
                    // Another thread was faster: keep its object.
                    drop(view);
                    handles::release_quietly(SealedHandle::from_ptr(h), OType::INSTANCE);
                    existing.to_ptr()
                }
                _ => {
                    let old = view.replace(SealedHandle::from_ptr(h));
                    drop(view);
                    if let Some(o) = old {
                        handles::release_quietly(o, OType::INSTANCE);
                    }
                    h
                }
            }
        })
        .unwrap_or(std::ptr::null_mut())
    })
}

/// `wasm_frame_func_index`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_frame_func_index(p: *const c_void) -> u32 {
    ffi::guard("wasm_frame_func_index", 0, || {
        with_frame("wasm_frame_func_index", p, |f| f.info.func_index).unwrap_or(0)
    })
}

/// `wasm_frame_func_offset`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_frame_func_offset(p: *const c_void) -> usize {
    ffi::guard("wasm_frame_func_offset", 0, || {
        with_frame("wasm_frame_func_offset", p, |f| f.info.func_offset).unwrap_or(0)
    })
}

/// `wasm_frame_module_offset`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_frame_module_offset(p: *const c_void) -> usize {
    ffi::guard("wasm_frame_module_offset", 0, || {
        with_frame("wasm_frame_module_offset", p, |f| f.info.module_offset).unwrap_or(0)
    })
}

super::vec::handle_vec_fns!(
    wasm_frame_vec_new_empty,
    wasm_frame_vec_new_uninitialized,
    wasm_frame_vec_new,
    wasm_frame_vec_copy,
    wasm_frame_vec_delete,
    wasm_frame_copy,
    wasm_frame_delete
);
