//! cwamr: a WebAssembly runtime that replaces WAMR 2.4.x behind the same C ABI, with a
//! software CHERI-style capability core.
//!
//! Layers, bottom up:
//! - [`os`]: the platform layer (console output through C stdio);
//! - [`module`]: decoding and validation (`wasmparser`), the immutable [`Module`];
//! - [`runtime`]: the [`Store`] and its entities (memories that never move, tables, globals,
//!   functions, instances), instantiation;
//! - [`interp`]: the fast interpreter (lazy translation to a register/slot bytecode);
//! - [`util`]: WAMR's utility library for embedders (queue, vector, hash map, list);
//! - the C APIs (`wasm_export.h`, `wasm_c_api.h`) on top, handing out sealed handles only.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod app;
pub mod cap;
pub mod capi;
pub mod embed;
pub mod error;
pub mod interp;
pub mod libc_builtin;
pub mod module;
pub mod os;
pub mod runtime;
pub mod types;
pub mod util;
#[cfg(feature = "wasi")]
pub mod wasi;
#[cfg(not(feature = "wasi"))]
#[path = "wasi_disabled.rs"]
pub mod wasi;

#[cfg(feature = "jit")]
compile_error!("the `jit` feature is reserved: the Cranelift JIT is a later milestone");
#[cfg(feature = "aot")]
compile_error!("the `aot` feature is reserved: ahead-of-time code is a later milestone");

/// Every Rust allocation goes where `wasm_runtime_full_init` said (system heap by default).
#[global_allocator]
static GLOBAL_ALLOC: os::alloc::RuntimeAlloc = os::alloc::RuntimeAlloc;

pub use error::{InstantiateError, LoadError, Trap, TrapCode};
pub use module::Module;
pub use runtime::{Caller, Extern, FuncAddr, HostFunc, Linker, Store, StoreConfig, Val};
pub use types::{FuncType, ValType};
