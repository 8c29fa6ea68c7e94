//! Shared heaps (`wasm_export.h`, WAMR's `WASM_ENABLE_SHARED_HEAP`): thin wrappers over
//! [`crate::runtime::shared_heap`], which has the model (address layout, chaining rules, the
//! capability delegated to each attached instance).
//!
//! A `wasm_shared_heap_t` is a sealed `OT_SHARED_HEAP` handle owned by the runtime epoch; it
//! dies with `wasm_runtime_destroy`, as WAMR frees its heaps there. Failures return WAMR's
//! values (NULL / false / 0) and print WAMR's warnings.

use std::ffi::c_void;
use std::sync::Arc;

use super::ctypes::*;
use super::handles::{self, api_error};
use crate::cap::{OType, SealedHandle};
use crate::capi::ffi::{self, guard};
use crate::runtime::Instance;
use crate::runtime::shared_heap::{self, SharedHeap, msg};

fn warn(m: &str) {
    ffi::log(ffi::LOG_WARNING, m);
}

/// The heap behind `p`, a handle of the running runtime.
fn heap(api: &str, p: wasm_shared_heap_t) -> Option<Arc<SharedHeap>> {
    let Some(owner) = handles::epoch() else {
        api_error(api, "the runtime is not initialised");
        return None;
    };
    let h = SealedHandle::from_ptr(p);
    match shared_heap::get(h, Some(owner)) {
        Ok(heap) => Some(heap),
        Err(e) => {
            handles::reject(api, "shared heap", h, OType::SHARED_HEAP, e);
            None
        }
    }
}

/// The runtime instance behind a module instance handle.
fn instance(api: &str, p: wasm_module_inst_t) -> Option<Arc<Instance>> {
    handles::instance(api, p)?.instance()
}

/// Create a shared heap of `init_args->size` bytes (rounded up to the system page), over
/// `init_args->pre_allocated_addr` if non-NULL. NULL on failure.
///
/// # Safety
/// `init_args` is NULL or points to a `SharedHeapInitArgs`; a non-NULL `pre_allocated_addr`
/// has `size` writable bytes that stay valid until `wasm_runtime_destroy`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_create_shared_heap(
    init_args: *mut SharedHeapInitArgs,
) -> wasm_shared_heap_t {
    const API: &str = "wasm_runtime_create_shared_heap";
    guard(API, std::ptr::null_mut(), || {
        if init_args.is_null() {
            api_error(API, "init_args is NULL");
            return std::ptr::null_mut();
        }
        // SAFETY: non-null, points to a `SharedHeapInitArgs` (function contract).
        let args = unsafe { init_args.read() };
        let Some(owner) = handles::epoch() else {
            api_error(API, "the runtime is not initialised");
            return std::ptr::null_mut();
        };
        shared_heap::create(args.size, args.pre_allocated_addr.cast(), owner, &warn)
            .map_or(std::ptr::null_mut(), SealedHandle::to_ptr)
    })
}

/// Chain `head` below `body`; returns `head`, or NULL if the chain is not allowed.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_chain_shared_heaps(
    head: wasm_shared_heap_t,
    body: wasm_shared_heap_t,
) -> wasm_shared_heap_t {
    const API: &str = "wasm_runtime_chain_shared_heaps";
    guard(API, std::ptr::null_mut(), || {
        if head.is_null() || body.is_null() {
            warn(msg::CHAIN_INVALID);
            return std::ptr::null_mut();
        }
        let (Some(h), Some(b)) = (heap(API, head), heap(API, body)) else {
            return std::ptr::null_mut();
        };
        if shared_heap::chain(&h, &b, &warn) {
            h.handle().to_ptr()
        } else {
            std::ptr::null_mut()
        }
    })
}

/// Take `head` off its chain (the whole chain apart with `entire_chain`); returns the former
/// body (resp. the last heap), or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_unchain_shared_heaps(
    head: wasm_shared_heap_t,
    entire_chain: bool,
) -> wasm_shared_heap_t {
    const API: &str = "wasm_runtime_unchain_shared_heaps";
    guard(API, std::ptr::null_mut(), || {
        if head.is_null() {
            warn(msg::UNCHAIN_INVALID);
            return std::ptr::null_mut();
        }
        let Some(h) = heap(API, head) else {
            return std::ptr::null_mut();
        };
        shared_heap::unchain(&h, entire_chain, &warn)
            .map_or(std::ptr::null_mut(), |b| b.handle().to_ptr())
    })
}

/// Zero every heap of the chain and empty its allocator; false while attached.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_reset_shared_heap_chain(shared_heap: wasm_shared_heap_t) -> bool {
    const API: &str = "wasm_runtime_reset_shared_heap_chain";
    guard(API, false, || {
        if shared_heap.is_null() {
            return false;
        }
        heap(API, shared_heap).is_some_and(|h| shared_heap::reset(&h))
    })
}

/// Attach `shared_heap` (and its chain) to `module_inst`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_attach_shared_heap(
    module_inst: wasm_module_inst_t,
    shared_heap: wasm_shared_heap_t,
) -> bool {
    const API: &str = "wasm_runtime_attach_shared_heap";
    guard(API, false, || {
        let Some(inst) = instance(API, module_inst) else {
            return false;
        };
        let Some(h) = heap(API, shared_heap) else {
            return false;
        };
        shared_heap::attach(&inst, &h, &warn)
    })
}

/// Detach the shared heap of `module_inst` (its accesses to it trap from now on).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_detach_shared_heap(module_inst: wasm_module_inst_t) {
    const API: &str = "wasm_runtime_detach_shared_heap";
    guard(API, (), || {
        if let Some(inst) = instance(API, module_inst) {
            shared_heap::detach(&inst.compartment);
        }
    })
}

/// Allocate `size` bytes from the attached shared heap: the app offset (0 on failure), and the
/// native address in `*p_native_addr` if that is non-NULL.
///
/// # Safety
/// `p_native_addr` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_shared_heap_malloc(
    module_inst: wasm_module_inst_t,
    size: u64,
    p_native_addr: *mut *mut c_void,
) -> u64 {
    const API: &str = "wasm_runtime_shared_heap_malloc";
    guard(API, 0, || {
        let Some(inst) = instance(API, module_inst) else {
            return 0;
        };
        match shared_heap::malloc(&inst, size, &warn) {
            Some((app, native)) => {
                if !p_native_addr.is_null() {
                    // SAFETY: non-null, writable (function contract).
                    unsafe { p_native_addr.write(native.cast()) };
                }
                app
            }
            None => 0,
        }
    })
}

/// Free the block at app offset `ptr` of the attached shared heap.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_shared_heap_free(module_inst: wasm_module_inst_t, ptr: u64) {
    const API: &str = "wasm_runtime_shared_heap_free";
    guard(API, (), || {
        if let Some(inst) = instance(API, module_inst) {
            shared_heap::free(&inst, ptr, &warn);
        }
    })
}
