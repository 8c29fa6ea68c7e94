//! The warm-up of `Alloc_With_Pool` / `Alloc_With_Allocator` (see `pool_mode.rs`): before the
//! allocation source switches, one load / instantiate / call / module_malloc / deinstantiate /
//! unload of a tiny built-in module on the system heap, so that the process-lifetime state the
//! runtime creates lazily (registries, the first chunks of the handle tables, this thread's
//! scratch buffers and thread-local destructors) exists before pool mode and never lands in
//! the embedder's buffer.
//!
//! # Invariants
//! The warm-up runs while the runtime is initialised and the source is still the system heap;
//! it only passes its own, valid buffers to the C entry points.

use std::ffi::c_char;

use crate::capi::ffi;

/// `(module (memory 1) (func (export "f") (param i32) (result i32) local.get 0 i32.const 1
/// i32.add))`
const WARM_WASM: [u8; 43] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
    0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type (i32) -> i32
    0x03, 0x02, 0x01, 0x00, // func 0: type 0
    0x05, 0x03, 0x01, 0x00, 0x01, // memory min 1
    0x07, 0x05, 0x01, 0x01, b'f', 0x00, 0x00, // export "f"
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b, // code
];

/// Create the runtime's lazily-built process and thread state on the system heap.
pub(crate) fn warm_up() {
    let _ = std::thread::current();
    let _ = ffi::last_error_ptr();
    let mut bytes = WARM_WASM;
    let mut err = [0 as c_char; 128];
    // SAFETY: our own buffers, with their lengths.
    let m = unsafe {
        super::module::wasm_runtime_load(
            bytes.as_mut_ptr(),
            bytes.len() as u32,
            err.as_mut_ptr(),
            128,
        )
    };
    if m.is_null() {
        return;
    }
    // SAFETY: as above.
    let inst = unsafe {
        super::instance::wasm_runtime_instantiate(m, 16 * 1024, 4096, err.as_mut_ptr(), 128)
    };
    if !inst.is_null() {
        // SAFETY: a NUL-terminated name.
        let f = unsafe { super::call::wasm_runtime_lookup_function(inst, c"f".as_ptr()) };
        let env = super::exec_env::wasm_runtime_create_exec_env(inst, 16 * 1024);
        if !env.is_null() && !f.is_null() {
            let mut argv = [41u32, 0];
            // SAFETY: `argv` has room for the parameter and the result.
            let _ = unsafe { super::call::wasm_runtime_call_wasm(env, f, 1, argv.as_mut_ptr()) };
        }
        let mut native = std::ptr::null_mut();
        // SAFETY: `native` is writable.
        let off = unsafe { super::memory::wasm_runtime_module_malloc(inst, 16, &mut native) };
        if off != 0 {
            super::memory::wasm_runtime_module_free(inst, off);
        }
        if !env.is_null() {
            super::exec_env::wasm_runtime_destroy_exec_env(env);
        }
        super::instance::wasm_runtime_deinstantiate(inst);
    }
    super::module::wasm_runtime_unload(m);
    super::call_cache::forget_cached();
}
