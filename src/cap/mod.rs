//! Capability core: software CHERI-style capabilities enforced on x86-64
//! (design: `shared/design/capability-model.md` §1–§3).
//!
//! * [`Cap`] — a capability (`tag`, region + generation, bounds, cursor,
//!   [`Perms`], [`OType`], flags) with the `cheriintrin.h` operations as total,
//!   non-panicking functions; illegal derivations clear the tag, and every
//!   `try_*` variant says why ([`CapFault`]).
//! * [`CapRoots`] — per-runtime root authority: the [`RegionTable`] of region
//!   generations (revocation), the sealing root over the otype space and
//!   per-type sealers, and region roots. Minting is crate-private.
//! * [`ReprModel`] — representability: `Exact` or `Cheri128` (Morello
//!   parameters).
//! * [`HandleTable`] / [`SealedHandle`] — the 64-bit MAC-protected handles
//!   handed to C instead of pointers, validated in the §3 order.
//! * [`violation`] — counters and a ring buffer of refused operations for the
//!   host (`cwamr_cap_violation_t` = [`ViolationRecord`]).
//! * [`siphash`] — SipHash-2-4, the handle MAC.
//!
//! This is the bottom layer of the capability model: the primitives only use
//! `crate::cap::*`, std and `parking_lot`, never the runtime. What binds
//! capabilities to guest memory and runtime objects (checked guest views,
//! native argument checks, strict-mode view handles) is in
//! the runtime layer (`src/runtime/guest/`). No file contains `unsafe` code: every one is
//! `#![forbid(unsafe_code)]`.

#[allow(
    clippy::module_inception,
    reason = "file layout fixed by the design: cap/cap.rs holds the Cap type"
)]
mod cap;
mod handle;
mod handle_cache;
mod otype;
mod perms;
mod region;
mod repr;
mod roots;
pub mod siphash;
pub mod violation;

#[cfg(test)]
mod cap_prop_tests;

pub use cap::derive_sealer;
pub use cap::{Cap, CapFault};
pub use handle::{HandleError, HandleTable, MAX_SLOTS, OwnerId, SealedHandle};
#[doc(hidden)]
pub use handle::{bench_handle_lookup, bench_handle_validate};
pub use handle_cache::HandleCache;
pub use otype::{EmbedderOTypes, OTYPE_MAX, OType};
pub use perms::Perms;
pub use region::{RegionId, RegionTable};
pub use repr::ReprModel;
pub use roots::CapRoots;
pub use violation::{Violation, ViolationKind, ViolationLog, ViolationRecord};
