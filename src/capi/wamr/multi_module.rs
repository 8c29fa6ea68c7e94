//! Multi-module (WAMR built with `WASM_ENABLE_MULTI_MODULE=1`): `wasm_runtime_set_module_reader`,
//! `wasm_runtime_register_module`, `wasm_runtime_find_module_registered`, and the load hook
//! every `wasm_runtime_load*` goes through. The registry, the resolver and the sub-instance
//! graph are `crate::runtime::multi_module`; this file converts C arguments and keeps the
//! process-wide registry with the C reader and destroyer.
//!
//! # Invariants
//! The reader and destroyer are C function pointers the embedder installed; they are called
//! with WAMR's arguments (`reader(Wasm_Module_Bytecode, name, &buf, &size)`,
//! `destroyer(buf, size)`) and a buffer the reader returned is read for exactly `size` bytes,
//! once, before it is handed to the destroyer.

use std::collections::HashMap;
use std::ffi::{CString, c_char};
use std::sync::{Arc, LazyLock};

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, reg};
use super::module_obj;
use super::natives;
use crate::cap::{OType, SealedHandle};
use crate::capi::ffi::{self, guard};
use crate::runtime::multi_module::{LoadHooks, LoadedModule, ReadBuffer, Registry};
use crate::types::FuncType;

/// The runtime's registered-module list.
static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::new);

/// The C reader and destroyer (process-global, kept across runtime destroy, as WAMR's).
static CALLBACKS: Mutex<(module_reader, module_destroyer)> = Mutex::new((None, None));

/// `wasm_module_t` handle of each loaded module, by `LoadedModule::id`.
static HANDLES: LazyLock<Mutex<HashMap<u64, SealedHandle>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn is_native(module: &str, name: &str, ty: &FuncType) -> bool {
    natives::links(module, name, ty)
        || crate::runtime::shared_heap::provides(module, name, ty)
        || (crate::wasi::ENABLED
            && (module == "wasi_snapshot_preview1" || module == "wasi_unstable")
            && crate::wasi::function_names().contains(&name))
}

fn warn(msg: &str) {
    ffi::log(ffi::LOG_WARNING, msg);
}

/// Resolve `module`'s imports (loading sub-modules through the reader) and put it on the list
/// without a name, as every WAMR load does.
pub(crate) fn load(module: crate::Module) -> Arc<LoadedModule> {
    REGISTRY.load(
        module,
        &LoadHooks {
            is_native: &is_native,
            is_builtin_global: &|m, n| crate::libc_builtin::builtin_global(m, n).is_some(),
            warn: &warn,
            reject_command_sub_modules: crate::wasi::ENABLED,
        },
    )
}

/// Resolve `module`'s imports like [`load`] without putting it on the list (wasm-c-api
/// modules, which are deleted with `wasm_module_delete`).
pub(crate) fn resolve(module: crate::Module) -> Arc<LoadedModule> {
    Arc::new(REGISTRY.resolve(
        module,
        &LoadHooks {
            is_native: &is_native,
            is_builtin_global: &|m, n| crate::libc_builtin::builtin_global(m, n).is_some(),
            warn: &warn,
            reject_command_sub_modules: crate::wasi::ENABLED,
        },
    ))
}

/// Remember the C handle of a loaded module.
pub(crate) fn handle_created(loaded: &LoadedModule, h: SealedHandle) {
    HANDLES.lock().insert(loaded.id(), h);
}

/// An unload: an unnamed module leaves the list (true: drop its handle); a named one stays
/// loaded until the runtime is destroyed (false), as WAMR's unload is a no-op there.
pub(crate) fn unload(loaded: &LoadedModule) -> bool {
    let gone = REGISTRY.remove_unnamed(loaded);
    if gone {
        HANDLES.lock().remove(&loaded.id());
    }
    gone
}

/// Runtime destroy: empty the list and hand every reader buffer to the destroyer.
pub(crate) fn clear() {
    HANDLES.lock().clear();
    REGISTRY.clear();
}

/// The handle of `loaded`, creating the `wasm_module_t` of a sub-module on first use.
fn handle_of(loaded: &Arc<LoadedModule>) -> SealedHandle {
    let existing = HANDLES.lock().get(&loaded.id()).copied();
    if let Some(h) = existing
        && reg().modules.get(h, OType::MODULE, None).is_ok()
    {
        return h;
    }
    match module_obj::new_obj(loaded.clone()) {
        Ok(h) => {
            handle_created(loaded, h);
            h
        }
        Err(msg) => {
            ffi::set_last_error(ffi::LOG_WARNING, &msg);
            SealedHandle::NULL
        }
    }
}

/// The reader the registry calls: WAMR's call of the embedder's `module_reader`.
fn read(name: &str) -> Option<ReadBuffer> {
    let (reader, _) = *CALLBACKS.lock();
    let reader = reader?;
    let cname = CString::new(name).ok()?;
    let mut buf: *mut u8 = std::ptr::null_mut();
    let mut size: u32 = 0;
    // SAFETY: the embedder's reader with WAMR's arguments (module invariant); `buf` and
    // `size` are valid out-parameters and `cname` outlives the call.
    let ok = unsafe { reader(Wasm_Module_Bytecode, cname.as_ptr(), &mut buf, &mut size) };
    if !ok {
        return None;
    }
    // SAFETY: the reader returned `buf` with `size` readable bytes (module invariant); the
    // bytes are copied before anything else happens to the buffer.
    let bytes = unsafe { ffi::slice_from(buf.cast_const(), size as usize) }
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let addr = buf as usize;
    let release: Option<Box<dyn FnOnce() + Send>> = if CALLBACKS.lock().1.is_some() {
        Some(Box::new(move || {
            let (_, destroyer) = *CALLBACKS.lock();
            if let Some(d) = destroyer {
                // SAFETY: the buffer the reader returned, handed back once (module invariant).
                unsafe { d(addr as *mut u8, size) };
            }
        }))
    } else {
        None
    };
    Some(ReadBuffer { bytes, release })
}

/// Install the module reader and destroyer (NULL allowed; kept across runtime destroy).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_module_reader(
    reader: module_reader,
    destroyer: module_destroyer,
) {
    guard("wasm_runtime_set_module_reader", (), || {
        *CALLBACKS.lock() = (reader, destroyer);
        REGISTRY.set_reader(
            reader.map(|_| Arc::new(read) as Arc<crate::runtime::multi_module::ModuleReader>),
        );
    })
}

/// Register `module` as `module_name` (WAMR's rules and texts).
///
/// # Safety
/// `module_name` is NULL or a C string; `error_buf` is NULL or has `error_buf_size` writable
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_register_module(
    module_name: *const c_char,
    module: wasm_module_t,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> bool {
    guard("wasm_runtime_register_module", false, || {
        const API: &str = "wasm_runtime_register_module";
        if error_buf.is_null() || error_buf_size == 0 {
            ffi::log(ffi::LOG_ERROR, "error buffer is required");
            return false;
        }
        let fail = |msg: &str| {
            // SAFETY: non-null with `error_buf_size` writable bytes per the contract.
            unsafe { ffi::write_error_buf(error_buf, error_buf_size, msg) };
            false
        };
        // SAFETY: per the contract.
        let name = unsafe { ffi::str_from(module_name) };
        let (Some(name), false) = (name, module.is_null()) else {
            return fail("Register module failed: module_name and module are required");
        };
        let Some(m) = handles::module(API, module) else {
            return fail("Register module failed: invalid module handle");
        };
        match REGISTRY.register(name, &m.loaded) {
            Ok(()) => {
                handle_created(&m.loaded, m.handle());
                true
            }
            Err(e) => fail(&e.to_string()),
        }
    })
}

/// The newest module registered as `module_name` (NULL if none).
///
/// # Safety
/// `module_name` is NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_find_module_registered(
    module_name: *const c_char,
) -> wasm_module_t {
    guard(
        "wasm_runtime_find_module_registered",
        std::ptr::null_mut(),
        || {
            // SAFETY: per the contract.
            let Some(name) = (unsafe { ffi::str_from(module_name) }) else {
                return std::ptr::null_mut();
            };
            if handles::epoch().is_none() {
                return std::ptr::null_mut();
            }
            match REGISTRY.find(name) {
                Some(m) => handle_of(&m).to_ptr(),
                None => std::ptr::null_mut(),
            }
        },
    )
}
