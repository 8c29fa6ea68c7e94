//! cwamr: a WebAssembly runtime that replaces WAMR 2.4.x behind the same C ABI, with a
//! software CHERI-style capability core.
//!
//! Layers, bottom up (`docs/architecture.md`; `tests/layering.rs` checks that imports only run
//! downward): base types, errors and the platform layer (`os`, `util`); the capability core
//! ([`cap`]); decoding and validation ([`module`]); the [`runtime`] (store, instances,
//! compartments, guest-memory views, the engine interface); the engines (the interpreter);
//! native libraries for guests ([`libc_builtin`], [`wasi`]); the embedding layer ([`embed`]),
//! which picks the engine; and on top the C APIs and `iwasm`.
//!
//! The Rust embedding API is [`Module`], [`Store`], [`Linker`], the runtime's entities and
//! [`wasi`]; the C ABI (`capi`), the interpreter's internals, the platform layer and `iwasm`'s
//! command line are public only for the crate's own integration tests, benchmarks and
//! binaries, and hidden from the documentation.
//!
//! ```
//! use cwamr::{Extern, FuncType, HostFunc, Linker, Module, Store, StoreConfig, Val, ValType};
//!
//! let wasm = wat::parse_str(
//!     r#"(module
//!          (import "env" "double" (func $double (param i32) (result i32)))
//!          (memory (export "mem") 1)
//!          (func (export "run") (param i32) (result i32)
//!            (i32.store (i32.const 16) (local.get 0))
//!            (call $double (i32.load (i32.const 16)))))"#,
//! )
//! .unwrap();
//! let module = Module::new(&wasm).unwrap();
//! let mut store = Store::new(StoreConfig::default());
//! let mut linker = Linker::new();
//! let ty = FuncType::new([ValType::I32], [ValType::I32]);
//! linker.func("env", "double", HostFunc::new(ty, |_caller, cells| {
//!     cells[0] = u64::from((cells[0] as u32).wrapping_mul(2));
//!     Ok(())
//! }));
//! let inst = linker.instantiate(&mut store, &module).unwrap();
//! let instance = store.instance(inst).unwrap().clone();
//! let Some(Extern::Func(run)) = instance.export("run") else { panic!("no run export") };
//! assert_eq!(store.call(run, &[Val::I32(21)]).unwrap(), [Val::I32(42)]);
//! let Some(Extern::Memory(mem)) = instance.export("mem") else { panic!("no memory export") };
//! assert_eq!(store.memory(mem).unwrap().len(), 65536);
//! ```

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod cap;
#[doc(hidden)]
pub mod capi;
pub mod embed;
pub mod error;
#[doc(hidden)]
pub mod interp;
#[doc(hidden)]
pub mod iwasm_cli;
pub mod libc_builtin;
pub mod module;
#[doc(hidden)]
pub mod os;
pub mod runtime;
pub mod types;
#[doc(hidden)]
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
