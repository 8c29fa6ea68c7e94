//! The object behind a `wasm_module_t`: creating it for a loaded module and releasing what it
//! issued. Shared by `module.rs` (loads, unloads) and `multi_module.rs` (sub-modules get their
//! `wasm_module_t` on first use).

use std::collections::HashMap;
use std::ffi::CString;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::handles::{self, reg};
use super::objects::{ModuleObj, WasiArgs};
use crate::cap::{OType, OwnerId, SealedHandle};
use crate::runtime::multi_module::LoadedModule;

/// `s` as a C string (a NUL inside becomes `?`).
pub(super) fn cstr(s: &str) -> CString {
    CString::new(s.replace('\0', "?")).unwrap_or_default()
}

/// A `wasm_module_t` for a loaded module (named as the module).
pub(crate) fn new_obj(loaded: Arc<LoadedModule>) -> Result<SealedHandle, String> {
    let epoch = handles::epoch().ok_or("WASM module load failed: runtime not initialized")?;
    let module = loaded.module().clone();
    let name = module.name();
    let obj = Arc::new(ModuleObj {
        id: handles::new_object_id(),
        import_names: module
            .imports()
            .iter()
            .map(|i| (cstr(&i.module), cstr(&i.name)))
            .collect(),
        export_names: module.exports().iter().map(|e| cstr(&e.name)).collect(),
        names: Mutex::new(vec![cstr(&name)]),
        module,
        handle: OnceLock::new(),
        type_handles: Mutex::new(HashMap::new()),
        wasi: Mutex::new(WasiArgs::default()),
        loaded,
    });
    let h = reg()
        .modules
        .insert(OType::MODULE, epoch, obj.clone())
        .map_err(|e| format!("WASM module load failed: {e}"))?;
    let _ = obj.handle.set(h);
    Ok(h)
}

/// Drop the type handles the module issued (its unload).
pub(crate) fn release(obj: &ModuleObj) {
    let owner = Some(OwnerId::new(obj.id));
    for (_, h) in obj.type_handles.lock().drain() {
        let _ = reg().types.remove(h, OType::CAPI_OBJ, owner);
    }
}
