//! Instance context keys: `wasm_runtime_create_context_key`, `_destroy_context_key`,
//! `_set_context`, `_set_context_spread`, `_get_context`.
//!
//! A key is a sealed handle (never a pointer); its destructor runs for each instance that
//! still holds a context for it when the instance is destroyed.

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error};
use super::objects::InstObj;
use crate::cap::{HandleTable, OType, OwnerId, SealedHandle};
use crate::capi::ffi::guard;

type Dtor = Option<unsafe extern "C" fn(wasm_module_inst_t, *mut c_void)>;

struct Key {
    dtor: Dtor,
}

fn keys() -> &'static HandleTable<Key> {
    static T: OnceLock<HandleTable<Key>> = OnceLock::new();
    T.get_or_init(HandleTable::new)
}

/// `(instance id, key bits) -> ctx`.
static CONTEXTS: Mutex<Option<HashMap<(u64, u64), usize>>> = Mutex::new(None);

fn key(api: &str, p: *mut c_void) -> Option<Arc<Key>> {
    let h = SealedHandle::from_ptr(p);
    match keys().get(h, OType::CAPI_OBJ, Some(OwnerId::new(0))) {
        Ok(k) => Some(k),
        Err(e) => {
            handles::reject(api, "context key", h, OType::CAPI_OBJ, e);
            None
        }
    }
}

/// Run the destructors of an instance's contexts (instance destroy).
pub(crate) fn run_destructors(inst: &InstObj) {
    let mine: Vec<(u64, usize)> = {
        let mut g = CONTEXTS.lock();
        let Some(map) = g.as_mut() else { return };
        let ks: Vec<(u64, u64)> = map.keys().filter(|(i, _)| *i == inst.id).copied().collect();
        ks.into_iter()
            .filter_map(|k| map.remove(&k).map(|c| (k.1, c)))
            .collect()
    };
    for (kbits, ctx) in mine {
        if let Ok(k) = keys().get(
            SealedHandle::from_bits(kbits),
            OType::CAPI_OBJ,
            Some(OwnerId::new(0)),
        ) {
            if let (Some(d), true) = (k.dtor, ctx != 0) {
                // SAFETY: the embedder registered `d` with this prototype.
                unsafe { d(inst.handle().to_ptr(), ctx as *mut c_void) };
            }
        }
    }
}

/// Forget every key (runtime destroy).
pub(crate) fn clear_keys() {
    *CONTEXTS.lock() = None;
}

/// Create a key; `dtor(inst, ctx)` runs for each non-NULL context when its instance dies.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_create_context_key(
    dtor: Option<unsafe extern "C" fn(inst: wasm_module_inst_t, ctx: *mut c_void)>,
) -> *mut c_void {
    guard(
        "wasm_runtime_create_context_key",
        std::ptr::null_mut(),
        || match keys().insert(OType::CAPI_OBJ, OwnerId::new(0), Arc::new(Key { dtor })) {
            Ok(h) => h.to_ptr(),
            Err(e) => {
                api_error("wasm_runtime_create_context_key", &e.to_string());
                std::ptr::null_mut()
            }
        },
    )
}

/// Destroy a key (contexts stored under it are forgotten without running the destructor).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy_context_key(key: *mut c_void) {
    guard("wasm_runtime_destroy_context_key", (), || {
        let h = SealedHandle::from_ptr(key);
        match keys().remove(h, OType::CAPI_OBJ, Some(OwnerId::new(0))) {
            Ok(_) => {
                if let Some(map) = CONTEXTS.lock().as_mut() {
                    map.retain(|(_, k), _| *k != h.bits());
                }
            }
            Err(e) => handles::reject(
                "wasm_runtime_destroy_context_key",
                "context key",
                h,
                OType::CAPI_OBJ,
                e,
            ),
        }
    })
}

fn set(api: &str, inst: wasm_module_inst_t, k: *mut c_void, ctx: *mut c_void) {
    let Some(i) = handles::instance(api, inst) else {
        return;
    };
    if key(api, k).is_none() {
        return;
    }
    let mut g = CONTEXTS.lock();
    let map = g.get_or_insert_with(HashMap::new);
    map.insert((i.id, SealedHandle::from_ptr(k).bits()), ctx as usize);
}

/// Store `ctx` for `key` in an instance.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_context(
    inst: wasm_module_inst_t,
    key: *mut c_void,
    ctx: *mut c_void,
) {
    guard("wasm_runtime_set_context", (), || {
        set("wasm_runtime_set_context", inst, key, ctx)
    })
}

/// As [`wasm_runtime_set_context`] (no thread clusters here, so nothing to spread to).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_context_spread(
    inst: wasm_module_inst_t,
    key: *mut c_void,
    ctx: *mut c_void,
) {
    guard("wasm_runtime_set_context_spread", (), || {
        set("wasm_runtime_set_context_spread", inst, key, ctx)
    })
}

/// The context stored for `key` (NULL if none).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_context(
    inst: wasm_module_inst_t,
    key: *mut c_void,
) -> *mut c_void {
    guard("wasm_runtime_get_context", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_get_context";
        let Some(i) = handles::instance(API, inst) else {
            return std::ptr::null_mut();
        };
        if self::key(API, key).is_none() {
            return std::ptr::null_mut();
        }
        CONTEXTS
            .lock()
            .as_ref()
            .and_then(|m| m.get(&(i.id, SealedHandle::from_ptr(key).bits())).copied())
            .map_or(std::ptr::null_mut(), |c| c as *mut c_void)
    })
}
