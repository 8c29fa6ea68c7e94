//! The host side WAMR calls its platform layer (`os_*`): what the runtime needs from the
//! operating system beyond `std`, written once here for every layer above.
//!
//! - [`console`]: `os_printf`'s destination, C `stdout` through stdio, so that output of the
//!   runtime (log lines, libc-builtin `printf`, `iwasm` results) interleaves with the host
//!   program's own `printf` exactly as WAMR's does.
//! - [`log`]: WAMR's log (`bh_log`): verbosity, line format, written to the console.
//! - [`time`]: the monotonic and thread-CPU clocks, sleeping, condition-wait deadlines.
//! - [`thread`]: threads created for the host (`os_thread_create`), stack boundaries.
//! - [`native_stack`]: WAMR's native stack limits (guard size, guard pages).
//! - [`mem`]: anonymous mappings (`os_mmap`) and `/proc` memory figures.
//! - [`alloc`]: the global allocator, routing runtime memory to the pool / the embedder's
//!   allocator / the system as `wasm_runtime_full_init` chose.
//! - [`pool`]: a pool allocator inside a caller-provided buffer (`mem_allocator_*`, pool mode);
//!   `spin.rs` is the spin-wait both allocator locks use.

pub mod alloc;
pub mod console;
pub mod log;
pub mod mem;
pub mod native_stack;
pub mod pool;
mod spin;
pub mod thread;
pub mod time;
