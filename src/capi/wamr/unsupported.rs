//! WAMR functions of features cwamr does not have (yet): threads,
//! source debugging, call-stack copies, profiling, PGO, instruction metering,
//! configurable bounds checks, XIP and the never-defined module hash.
//!
//! Each exists with WAMR's signature, validates what it can, returns WAMR's failure value and
//! records a clear error (`cwamr_last_error`, logged at error level). `docs/compatibility.md`
//! lists them with the reason.

use std::ffi::{c_char, c_int, c_void};

use super::ctypes::*;
use super::handles::{self, api_error};
use crate::capi::ffi::{self, guard};

fn unsupported(api: &str, feature: &str) {
    api_error(api, &format!("{feature} is not supported by cwamr"));
}

/// Declared by WAMR's header but defined nowhere in WAMR; NULL.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_module_hash(module: wasm_module_t) -> *mut c_char {
    guard("wasm_runtime_get_module_hash", std::ptr::null_mut(), || {
        let _ = module;
        unsupported("wasm_runtime_get_module_hash", "module hashes");
        std::ptr::null_mut()
    })
}

/// Instruction metering: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_instruction_count_limit(
    exec_env: wasm_exec_env_t,
    instruction_count: c_int,
) {
    guard("wasm_runtime_set_instruction_count_limit", (), || {
        let _ = exec_env;
        let _ = instruction_count;
        unsupported(
            "wasm_runtime_set_instruction_count_limit",
            "instruction metering",
        );
    })
}

/// Bounds checks are always on in cwamr; they cannot be disabled.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_bounds_checks(module_inst: wasm_module_inst_t, enable: bool) {
    guard("wasm_runtime_set_bounds_checks", (), || {
        let _ = module_inst;
        let _ = enable;
        unsupported("wasm_runtime_set_bounds_checks", "disabling bounds checks");
    })
}

/// Threads: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_max_thread_num(num: u32) {
    guard("wasm_runtime_set_max_thread_num", (), || {
        let _ = num;
        unsupported("wasm_runtime_set_max_thread_num", "the thread manager");
    })
}

/// Threads: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_spawn_exec_env(exec_env: wasm_exec_env_t) -> wasm_exec_env_t {
    guard("wasm_runtime_spawn_exec_env", std::ptr::null_mut(), || {
        let _ = exec_env;
        unsupported("wasm_runtime_spawn_exec_env", "the thread manager");
        std::ptr::null_mut()
    })
}

/// Threads: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_destroy_spawned_exec_env(exec_env: wasm_exec_env_t) {
    guard("wasm_runtime_destroy_spawned_exec_env", (), || {
        let _ = exec_env;
        unsupported(
            "wasm_runtime_destroy_spawned_exec_env",
            "the thread manager",
        );
    })
}

/// Threads: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_spawn_thread(
    exec_env: wasm_exec_env_t,
    tid: *mut wasm_thread_t,
    callback: wasm_thread_callback_t,
    arg: *mut c_void,
) -> i32 {
    guard("wasm_runtime_spawn_thread", -1, || {
        let _ = exec_env;
        let _ = tid;
        let _ = callback;
        let _ = arg;
        unsupported("wasm_runtime_spawn_thread", "the thread manager");
        -1
    })
}

/// Threads: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_join_thread(tid: wasm_thread_t, retval: *mut *mut c_void) -> i32 {
    guard("wasm_runtime_join_thread", -1, || {
        let _ = tid;
        let _ = retval;
        unsupported("wasm_runtime_join_thread", "the thread manager");
        -1
    })
}

/// Call-stack copies: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_copy_callstack(
    exec_env: wasm_exec_env_t,
    buffer: *mut WASMCApiFrame,
    length: u32,
    skip_n: u32,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> u32 {
    guard("wasm_copy_callstack", 0, || {
        let _ = exec_env;
        let _ = buffer;
        let _ = length;
        let _ = skip_n;
        let _ = error_buf;
        let _ = error_buf_size;
        unsupported("wasm_copy_callstack", "copying call stacks");
        0
    })
}

/// Source debugging: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_start_debug_instance_with_port(
    exec_env: wasm_exec_env_t,
    port: i32,
) -> u32 {
    guard("wasm_runtime_start_debug_instance_with_port", 0, || {
        let _ = exec_env;
        let _ = port;
        unsupported(
            "wasm_runtime_start_debug_instance_with_port",
            "source debugging",
        );
        0
    })
}

/// Source debugging: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_start_debug_instance(exec_env: wasm_exec_env_t) -> u32 {
    guard("wasm_runtime_start_debug_instance", 0, || {
        let _ = exec_env;
        unsupported("wasm_runtime_start_debug_instance", "source debugging");
        0
    })
}

/// Memory profiling: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_dump_mem_consumption(exec_env: wasm_exec_env_t) {
    guard("wasm_runtime_dump_mem_consumption", (), || {
        let _ = exec_env;
        unsupported("wasm_runtime_dump_mem_consumption", "memory profiling");
    })
}

/// Performance profiling: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_dump_perf_profiling(module_inst: wasm_module_inst_t) {
    guard("wasm_runtime_dump_perf_profiling", (), || {
        let _ = module_inst;
        unsupported("wasm_runtime_dump_perf_profiling", "performance profiling");
    })
}

/// Performance profiling: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_sum_wasm_exec_time(module_inst: wasm_module_inst_t) -> f64 {
    guard("wasm_runtime_sum_wasm_exec_time", 0.0, || {
        let _ = module_inst;
        unsupported("wasm_runtime_sum_wasm_exec_time", "performance profiling");
        0.0
    })
}

/// Performance profiling: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_wasm_func_exec_time(
    inst: wasm_module_inst_t,
    func_name: *const c_char,
) -> f64 {
    guard("wasm_runtime_get_wasm_func_exec_time", 0.0, || {
        let _ = inst;
        let _ = func_name;
        unsupported(
            "wasm_runtime_get_wasm_func_exec_time",
            "performance profiling",
        );
        0.0
    })
}

/// Static PGO: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_pgo_prof_data_size(module_inst: wasm_module_inst_t) -> u32 {
    guard("wasm_runtime_get_pgo_prof_data_size", 0, || {
        let _ = module_inst;
        unsupported("wasm_runtime_get_pgo_prof_data_size", "static PGO");
        0
    })
}

/// Static PGO: unsupported.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_dump_pgo_prof_data_to_buf(
    module_inst: wasm_module_inst_t,
    buf: *mut c_char,
    len: u32,
) -> u32 {
    guard("wasm_runtime_dump_pgo_prof_data_to_buf", 0, || {
        let _ = module_inst;
        let _ = buf;
        let _ = len;
        unsupported("wasm_runtime_dump_pgo_prof_data_to_buf", "static PGO");
        0
    })
}

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
