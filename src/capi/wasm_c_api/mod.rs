//! WAMR's `wasm_c_api.h`: the standard WebAssembly C API in WAMR 2.4.3's variant (285
//! functions, 40-byte vectors), on sealed capabilities.
//!
//! Every object pointer handed to C is a sealed handle ([`handles`]); every entry point runs
//! inside [`crate::capi::ffi::guard`] and validates its handles before touching anything.
//! Misuse (forged or stale handles, an object of the wrong type or of another store) is
//! answered with the function's failure value, the thread's last error and a capability
//! violation record — never a crash.
//!
//! By-value C structs are real memory: vectors ([`vec`]: their arrays are allocated and
//! freed here), `wasm_val_t`, `wasm_limits_t`, `wasm_config_t`. `wasm_frame_t` is opaque.
//!
//! Layout, one concern per file: [`engine`] (config, engine), [`store`], [`module`],
//! [`instance`], [`externs`], [`func`], [`global`], [`table`], [`memory`], [`trap`],
//! [`frame`], [`val`] and [`vec`], [`types`] / [`types_access`] / [`types_ops`], [`refs`]
//! (identities, host info and finalizers, views) / [`ref_families`] (the `WASM_DECLARE_REF`
//! functions, foreign objects), [`handles`] (the sealed-handle table).
//!
//! # Invariants
//! Each submodule with `unsafe` code states its own invariants; the common rule is that C
//! pointers which are not handles (vectors, values, limits, strings, out-parameters) are
//! read or written only as the C API contract allows, and handles are never dereferenced.

pub mod engine;
pub mod externs;
pub mod frame;
pub mod func;
pub mod global;
pub mod handles;
pub mod instance;
pub mod memory;
pub mod module;
pub mod ref_families;
pub mod refs;
pub mod store;
pub mod table;
pub mod trap;
pub mod types;
pub mod types_access;
pub mod types_ops;
pub mod val;
pub mod vec;

#[cfg(test)]
mod tests;
