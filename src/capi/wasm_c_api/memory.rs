//! Memories: `wasm_memory_new`, `_type`, `_data`, `_data_size`, `_size`, and host-side
//! `_grow`.
//!
//! `wasm_memory_data` returns the real base address (compat mode): memories are reserved at
//! their maximum size and never move, so the pointer stays valid across growth, until the
//! store is deleted. With `CWAMR_STRICT=1` in the environment it returns NULL instead
//! (capability-model.md §3).

use std::ffi::c_void;
use std::sync::Arc;

use super::externs::extern_ty_of;
use super::handles::misuse;
use super::refs::{Flavour, RefKind, new_ref, ref_arg};
use super::store::{store_arg, with_store};
use super::types::{TypeObj, new_externtype, with_type};
use crate::capi::ffi;
use crate::runtime::LinearMemory;
use crate::types::MAX_WASM_PAGES;

fn memory_arg(api: &str, p: *const c_void) -> Option<Arc<LinearMemory>> {
    let a = ref_arg(api, p, Flavour::Memory, None)?;
    match &a.get().kind {
        RefKind::Memory { mem, .. } => Some(mem.clone()),
        _ => None,
    }
}

/// True if `CWAMR_STRICT=1`: raw linear-memory pointers are not handed out.
fn strict_mode() -> bool {
    std::env::var_os("CWAMR_STRICT").is_some_and(|v| v == "1")
}

/// `wasm_memory_new`: a memory of `store` of type `mt`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_new(store: *mut c_void, mt: *const c_void) -> *mut c_void {
    ffi::guard("wasm_memory_new", std::ptr::null_mut(), || {
        let api = "wasm_memory_new";
        let Some(core) = store_arg(api, store) else {
            return std::ptr::null_mut();
        };
        let Some(ty) = with_type(api, mt, "memorytype", |t| match t {
            TypeObj::Memory(m) => Some(m.ty),
            _ => None,
        }) else {
            return std::ptr::null_mut();
        };
        let l = ty.limits;
        if l.min > MAX_WASM_PAGES || l.max.is_some_and(|m| m > MAX_WASM_PAGES || m < l.min) {
            misuse(api, "invalid memory limits");
            return std::ptr::null_mut();
        }
        let made = with_store(&core, |s| {
            s.add_memory(ty).map(|a| (a, s.memory(a).cloned()))
        });
        match made {
            Ok((addr, Some(mem))) => new_ref(
                api,
                &core,
                RefKind::Memory { addr, mem },
                None,
                Flavour::Memory,
            ),
            Ok((_, None)) => std::ptr::null_mut(),
            Err(e) => {
                misuse(api, &e);
                std::ptr::null_mut()
            }
        }
    })
}

/// `wasm_memory_type` (owned; the minimum is the current size).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_type(p: *const c_void) -> *mut c_void {
    ffi::guard("wasm_memory_type", std::ptr::null_mut(), || {
        let api = "wasm_memory_type";
        ref_arg(api, p, Flavour::Memory, None)
            .and_then(|a| extern_ty_of(&a))
            .map_or(std::ptr::null_mut(), |t| new_externtype(api, &t).to_ptr())
    })
}

/// `wasm_memory_data`: the base address (NULL in strict mode).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_data(p: *mut c_void) -> *mut u8 {
    ffi::guard("wasm_memory_data", std::ptr::null_mut(), || {
        let api = "wasm_memory_data";
        let Some(m) = memory_arg(api, p) else {
            return std::ptr::null_mut();
        };
        if strict_mode() {
            misuse(api, "raw memory pointers are disabled (CWAMR_STRICT=1)");
            return std::ptr::null_mut();
        }
        m.base()
    })
}

/// `wasm_memory_data_size`: the size in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_data_size(p: *const c_void) -> usize {
    ffi::guard("wasm_memory_data_size", 0, || {
        memory_arg("wasm_memory_data_size", p).map_or(0, |m| m.len())
    })
}

/// `wasm_memory_size`: the size in pages.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_size(p: *const c_void) -> u32 {
    ffi::guard("wasm_memory_size", 0, || {
        memory_arg("wasm_memory_size", p).map_or(0, |m| m.pages() as u32)
    })
}

/// `wasm_memory_grow`: grows by `delta` pages; false beyond the maximum.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_grow(p: *mut c_void, delta: u32) -> bool {
    ffi::guard("wasm_memory_grow", false, || {
        memory_arg("wasm_memory_grow", p).is_some_and(|m| m.grow(u64::from(delta)).is_some())
    })
}
