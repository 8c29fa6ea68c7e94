//! WAMR's embedding API (`wasm_export.h`, `lib_export.h`), one concern per file.
//!
//! Every C-visible object is a sealed handle from `handles`; every `extern "C"` function runs
//! in exactly one [`crate::capi::ffi::guard`] and validates its handles before anything else.
//! Misuse gets WAMR's failure value (NULL / false / 0 / -1), a logged reason readable with
//! `cwamr_last_error`, and a record in the capability violation log.
//!
//! | file | functions |
//! |---|---|
//! | `runtime.rs` | init/full_init/destroy, log level, version, runtime heap, thread env, internal helpers |
//! | `module.rs` | load/load_ex/load_from_sections/unload, package type/version, names, custom sections |
//! | `module_obj.rs` | creating and releasing the object behind a `wasm_module_t` |
//! | `multi_module.rs` | module reader, register/find registered modules (the load hook of multi-module) |
//! | `instance.rs` | instantiate/_ex/_ex2, deinstantiate, custom data, running mode |
//! | `inst_args.rs` | the `InstantiationArgs2` builder |
//! | `introspect.rs` | imports/exports, type handles, exported globals/tables |
//! | `call.rs` | lookup, param/result queries, call_wasm/_a/_v, call_indirect, execute_func |
//! | `call_cache.rs` | the call path's validation cache (exec env + instance + function) |
//! | `callstack.rs` | call-stack dumps after a trap |
//! | `exception.rs` | get/set/clear exception, terminate |
//! | `exec_env.rs` | exec envs, user data, native stack checks, blocking ops |
//! | `memory.rs` | memory instances, address validation/translation, app heap |
//! | `mem_alloc.rs` | `mem_alloc.h`: `mem_allocator_*` over the pool allocator of `os::pool` |
//! | `pool_mode.rs` | `Alloc_With_Pool` / `Alloc_With_Allocator`: exhaustion as load/instantiate errors, leftovers at destroy |
//! | `warm_up.rs` | the warm-up before pool mode (one load/instantiate/call/unload on the system heap) |
//! | `natives.rs`, `native_call.rs` | native registration and calling C natives |
//! | `native_sig.rs` | native signature strings and the registered entry of one native |
//! | `externref.rs`, `context.rs`, `wasi_api.rs`, `unsupported.rs` | the rest |
//! | `delegation.rs` | `cwamr.h` delegation: `cwamr_delegate`, `_grant`, `cwamr_revoke` |
//! | `store_lock.rs` | store locking with cross-thread deadlock refusal |
//! | `bounce.rs` | `cwamr.h` bounced natives: `cwamr_register_natives_bounce` |
//! | `bounce_buf.rs` | the guard-paged argument copies of bounced natives |
//! | `views.rs` | `cwamr.h` memory views: `cwamr_view_acquire`, `_valid`, `_release` |
//! | `shared_heap.rs` | shared heaps: create, chain/unchain/reset, attach/detach, `shared_heap_malloc`/`free` |
//! | `violations.rs` | `cwamr.h` violation log (`cwamr_cap_violations`, counts, clear) and `cwamr_last_error` |
//! | `objects.rs` | the objects behind the handles (a leaf: imports nothing of `capi::wamr`) |
//! | `call_v.c` | the two variadic functions (`wasm_runtime_call_wasm_v`, `bh_log`) |

#![allow(non_upper_case_globals)]

mod active;
pub mod bounce;
mod bounce_buf;
pub mod call;
pub mod call_cache;
pub mod callstack;
pub mod context;
pub mod ctypes;
pub mod delegation;
pub mod exception;
pub mod exec_env;
pub mod externref;
pub(crate) mod handles;
pub mod inst_args;
pub mod instance;
pub mod introspect;
pub mod mem_alloc;
pub mod memory;
pub mod module;
mod module_obj;
pub mod multi_module;
mod native_call;
mod native_sig;
pub mod natives;
pub(crate) mod objects;
pub mod pool_mode;
pub mod runtime;
pub mod shared_heap;
mod store_lock;
pub mod unsupported;
pub mod variadic;
pub mod views;
pub mod violations;
mod warm_up;
pub mod wasi_api;
