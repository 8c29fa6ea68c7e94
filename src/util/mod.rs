//! WAMR's utility library (`core/shared/utils`) that embedders call through `bh_platform.h`:
//! the message queue, the vector, the hash map, the intrusive list and the bounded copy
//! helpers. The C ABI wrappers are in `capi::platform`.
//!
//! - [`queue`]: `bh_queue` (bounded FIFO, blocking receive, message loop);
//! - [`vector`]: `bh_vector` over the caller's C-visible `Vector`;
//! - [`hashmap`]: `bh_hash_map` with the caller's hash/equality callbacks;
//! - [`list`]: `bh_list`, intrusive, head insertion;
//! - [`memstr`]: `b_memcpy_s` and the other bounded copies.

pub mod hashmap;
pub mod list;
pub mod memstr;
pub mod queue;
pub mod vector;
