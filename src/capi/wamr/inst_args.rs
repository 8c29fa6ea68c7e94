//! The `InstantiationArgs2` builder: `wasm_runtime_instantiation_args_create`, `_destroy` and
//! the non-WASI setters (the WASI setters are in `wasi_api.rs`). The object C holds is a
//! sealed handle; `with_args2` validates it.

use std::ffi::c_void;
use std::sync::Arc;

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error, reg};
use super::objects::InstArgs2;
use crate::cap::{OType, OwnerId, SealedHandle};
use crate::capi::ffi::guard;

/// Create an `InstantiationArgs2` object with default values.
///
/// # Safety
/// `p` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiation_args_create(
    p: *mut *mut InstantiationArgs2,
) -> bool {
    guard("wasm_runtime_instantiation_args_create", false, || {
        const API: &str = "wasm_runtime_instantiation_args_create";
        if p.is_null() {
            api_error(API, "p is NULL");
            return false;
        }
        match reg().inst_args.insert(
            OType::CAPI_OBJ,
            OwnerId::new(0),
            Arc::new(Mutex::new(InstArgs2::default())),
        ) {
            Ok(h) => {
                // SAFETY: non-null and writable per the contract.
                unsafe { p.write(h.to_ptr()) };
                true
            }
            Err(e) => {
                api_error(API, &e.to_string());
                false
            }
        }
    })
}

/// Destroy an `InstantiationArgs2` object.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_instantiation_args_destroy(p: *mut InstantiationArgs2) {
    guard("wasm_runtime_instantiation_args_destroy", (), || {
        const API: &str = "wasm_runtime_instantiation_args_destroy";
        let h = SealedHandle::from_ptr(p);
        if let Err(e) = reg()
            .inst_args
            .remove(h, OType::CAPI_OBJ, Some(OwnerId::new(0)))
        {
            handles::reject(API, "InstantiationArgs2", h, OType::CAPI_OBJ, e);
        }
    })
}

/// Apply `f` to a validated `InstantiationArgs2`.
pub(crate) fn with_args2(api: &str, p: *mut InstantiationArgs2, f: impl FnOnce(&mut InstArgs2)) {
    if let Some(a) = handles::inst_args(api, p) {
        f(&mut a.lock());
    }
}

/// Set the default stack size.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_instantiation_args_set_default_stack_size(
    p: *mut InstantiationArgs2,
    v: u32,
) {
    guard(
        "wasm_runtime_instantiation_args_set_default_stack_size",
        (),
        || {
            with_args2(
                "wasm_runtime_instantiation_args_set_default_stack_size",
                p,
                |a| a.stack_size = v,
            )
        },
    )
}

/// Set the app-heap size.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_instantiation_args_set_host_managed_heap_size(
    p: *mut InstantiationArgs2,
    v: u32,
) {
    guard(
        "wasm_runtime_instantiation_args_set_host_managed_heap_size",
        (),
        || {
            with_args2(
                "wasm_runtime_instantiation_args_set_host_managed_heap_size",
                p,
                |a| a.heap_size = v,
            )
        },
    )
}

/// Cap the memory size in pages (0 = as declared).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_instantiation_args_set_max_memory_pages(
    p: *mut InstantiationArgs2,
    v: u32,
) {
    guard(
        "wasm_runtime_instantiation_args_set_max_memory_pages",
        (),
        || {
            with_args2(
                "wasm_runtime_instantiation_args_set_max_memory_pages",
                p,
                |a| a.max_memory_pages = v,
            )
        },
    )
}

/// Custom data the new instance starts with.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_instantiation_args_set_custom_data(
    p: *mut InstantiationArgs2,
    custom_data: *mut c_void,
) {
    guard(
        "wasm_runtime_instantiation_args_set_custom_data",
        (),
        || {
            with_args2("wasm_runtime_instantiation_args_set_custom_data", p, |a| {
                a.custom_data = custom_data as usize
            })
        },
    )
}
