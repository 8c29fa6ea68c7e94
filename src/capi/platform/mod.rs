//! WAMR's platform and utility API (`bh_platform.h` and the headers it includes): the
//! `os_*` functions of `platform_api_vmcore.h` / `platform_api_extension.h`, the `bh_*`
//! utilities (queue, vector, hash map, list, log, bounded copies) and `b_*` helpers that
//! embedders built on WAMR (its `product-mini` `main.c`, its samples) call.
//!
//! Thin C ABI only: every function validates its arguments, then delegates to
//! [`crate::os`] (threads, clocks, mappings, log) or [`crate::util`] (containers), or to
//! libc/pthreads where WAMR's function is a direct pass-through. The variadic `os_printf`,
//! `os_vprintf` and `bh_log` are C (`capi/wamr/call_v.c`) behind Rust trampolines
//! (`capi/wamr/variadic.rs`).
//!
//! Return conventions are WAMR's: `BHT_OK` (0) / `BHT_ERROR` (-1) for the `os_*` sync
//! functions, the raw pthread result for join/detach, `ETIMEDOUT` from a timed-out
//! `os_cond_reltimedwait`, `bool` for the containers.

pub mod containers;
pub mod log;
pub mod queue;
pub mod sync;
pub mod thread;
pub mod utils;
pub mod vmcore;

/// `BHT_OK`.
pub const BHT_OK: i32 = 0;
/// `BHT_ERROR`.
pub const BHT_ERROR: i32 = -1;
