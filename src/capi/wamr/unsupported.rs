//! WAMR functions of features cwamr does not have (yet): multi-module registry, threads,
//! shared heaps, source debugging, call-stack dumps, profiling, PGO, instruction metering,
//! configurable bounds checks, XIP and the never-defined module hash.
//!
//! Each exists with WAMR's signature, validates what it can, returns WAMR's failure value and
//! records a clear error (`cwamr_last_error`, logged at error level). `docs/compatibility.md`
//! lists them with the reason.

use std::ffi::{c_char, c_void};

use super::ctypes::*;
use super::handles::{self, api_error};
use crate::capi::ffi::{self, guard};

fn unsupported(api: &str, feature: &str) {
    api_error(api, &format!("{feature} is not supported by cwamr"));
}

macro_rules! unsupported_fn {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $fail:expr, $feature:literal) => {
        $(#[$doc])*
        #[unsafe(no_mangle)]
        pub extern "C" fn $name($($arg: $ty),*) -> $ret {
            guard(stringify!($name), $fail, || {
                $(let _ = $arg;)*
                unsupported(stringify!($name), $feature);
                $fail
            })
        }
    };
}

unsupported_fn!(
    /// Multi-module: unsupported (imports are resolved against natives and WASI only).
    wasm_runtime_set_module_reader(reader: module_reader, destroyer: module_destroyer) -> () = (), "the multi-module registry"
);
unsupported_fn!(
    /// Multi-module: unsupported.
    wasm_runtime_register_module(module_name: *const c_char, module: wasm_module_t, error_buf: *mut c_char, error_buf_size: u32) -> bool = false, "the multi-module registry"
);
unsupported_fn!(
    /// Multi-module: unsupported.
    wasm_runtime_find_module_registered(module_name: *const c_char) -> wasm_module_t = std::ptr::null_mut(), "the multi-module registry"
);
unsupported_fn!(
    /// Declared by WAMR's header but defined nowhere in WAMR; NULL.
    wasm_runtime_get_module_hash(module: wasm_module_t) -> *mut c_char = std::ptr::null_mut(), "module hashes"
);
unsupported_fn!(
    /// Instruction metering: unsupported.
    wasm_runtime_set_instruction_count_limit(exec_env: wasm_exec_env_t, instruction_count: i32) -> () = (), "instruction metering"
);
unsupported_fn!(
    /// Bounds checks are always on in cwamr; they cannot be disabled.
    wasm_runtime_set_bounds_checks(module_inst: wasm_module_inst_t, enable: bool) -> () = (), "disabling bounds checks"
);
unsupported_fn!(
    /// Threads: unsupported.
    wasm_runtime_set_max_thread_num(num: u32) -> () = (), "the thread manager"
);
unsupported_fn!(
    /// Threads: unsupported.
    wasm_runtime_spawn_exec_env(exec_env: wasm_exec_env_t) -> wasm_exec_env_t = std::ptr::null_mut(), "the thread manager"
);
unsupported_fn!(
    /// Threads: unsupported.
    wasm_runtime_destroy_spawned_exec_env(exec_env: wasm_exec_env_t) -> () = (), "the thread manager"
);
unsupported_fn!(
    /// Threads: unsupported.
    wasm_runtime_spawn_thread(exec_env: wasm_exec_env_t, tid: *mut wasm_thread_t, callback: wasm_thread_callback_t, arg: *mut c_void) -> i32 = -1, "the thread manager"
);
unsupported_fn!(
    /// Threads: unsupported.
    wasm_runtime_join_thread(tid: wasm_thread_t, retval: *mut *mut c_void) -> i32 = -1, "the thread manager"
);
unsupported_fn!(
    /// Call-stack copies: unsupported.
    wasm_copy_callstack(exec_env: wasm_exec_env_t, buffer: *mut WASMCApiFrame, length: u32, skip_n: u32, error_buf: *mut c_char, error_buf_size: u32) -> u32 = 0, "copying call stacks"
);
unsupported_fn!(
    /// Source debugging: unsupported.
    wasm_runtime_start_debug_instance_with_port(exec_env: wasm_exec_env_t, port: i32) -> u32 = 0, "source debugging"
);
unsupported_fn!(
    /// Source debugging: unsupported.
    wasm_runtime_start_debug_instance(exec_env: wasm_exec_env_t) -> u32 = 0, "source debugging"
);
unsupported_fn!(
    /// Call-stack dumps: unsupported.
    wasm_runtime_dump_call_stack(exec_env: wasm_exec_env_t) -> () = (), "dumping call stacks"
);
unsupported_fn!(
    /// Call-stack dumps: unsupported.
    wasm_runtime_get_call_stack_buf_size(exec_env: wasm_exec_env_t) -> u32 = 0, "dumping call stacks"
);
unsupported_fn!(
    /// Call-stack dumps: unsupported.
    wasm_runtime_dump_call_stack_to_buf(exec_env: wasm_exec_env_t, buf: *mut c_char, len: u32) -> u32 = 0, "dumping call stacks"
);
unsupported_fn!(
    /// Memory profiling: unsupported.
    wasm_runtime_dump_mem_consumption(exec_env: wasm_exec_env_t) -> () = (), "memory profiling"
);
unsupported_fn!(
    /// Performance profiling: unsupported.
    wasm_runtime_dump_perf_profiling(module_inst: wasm_module_inst_t) -> () = (), "performance profiling"
);
unsupported_fn!(
    /// Performance profiling: unsupported.
    wasm_runtime_sum_wasm_exec_time(module_inst: wasm_module_inst_t) -> f64 = 0.0, "performance profiling"
);
unsupported_fn!(
    /// Performance profiling: unsupported.
    wasm_runtime_get_wasm_func_exec_time(inst: wasm_module_inst_t, func_name: *const c_char) -> f64 = 0.0, "performance profiling"
);
unsupported_fn!(
    /// Static PGO: unsupported.
    wasm_runtime_get_pgo_prof_data_size(module_inst: wasm_module_inst_t) -> u32 = 0, "static PGO"
);
unsupported_fn!(
    /// Static PGO: unsupported.
    wasm_runtime_dump_pgo_prof_data_to_buf(module_inst: wasm_module_inst_t, buf: *mut c_char, len: u32) -> u32 = 0, "static PGO"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_create_shared_heap(init_args: *mut SharedHeapInitArgs) -> wasm_shared_heap_t = std::ptr::null_mut(), "the shared heap"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_chain_shared_heaps(head: wasm_shared_heap_t, body: wasm_shared_heap_t) -> wasm_shared_heap_t = std::ptr::null_mut(), "the shared heap"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_unchain_shared_heaps(head: wasm_shared_heap_t, entire_chain: bool) -> wasm_shared_heap_t = std::ptr::null_mut(), "the shared heap"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_reset_shared_heap_chain(shared_heap: wasm_shared_heap_t) -> bool = false, "the shared heap"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_attach_shared_heap(module_inst: wasm_module_inst_t, shared_heap: wasm_shared_heap_t) -> bool = false, "the shared heap"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_detach_shared_heap(module_inst: wasm_module_inst_t) -> () = (), "the shared heap"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_shared_heap_malloc(module_inst: wasm_module_inst_t, size: u64, p_native_addr: *mut *mut c_void) -> u64 = 0, "the shared heap"
);
unsupported_fn!(
    /// Shared heaps: unsupported.
    wasm_runtime_shared_heap_free(module_inst: wasm_module_inst_t, ptr: u64) -> () = (), "the shared heap"
);

/// Bounds checks are always enabled: true for a valid instance.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_is_bounds_checks_enabled(module_inst: wasm_module_inst_t) -> bool {
    guard("wasm_runtime_is_bounds_checks_enabled", false, || {
        handles::instance("wasm_runtime_is_bounds_checks_enabled", module_inst).is_some()
    })
}

/// cwamr loads no AoT files, so no buffer is an XIP AoT file: false.
///
/// # Safety
/// `buf` has `size` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_is_xip_file(buf: *const u8, size: u32) -> bool {
    guard("wasm_runtime_is_xip_file", false, || {
        // SAFETY: per the contract.
        let _ = unsafe { ffi::slice_from(buf, size as usize) };
        false
    })
}
