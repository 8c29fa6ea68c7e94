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
//! * [`GuestRange`] / [`GuestStr`] — checked views of guest linear memory and
//!   string snapshots (§4); [`NativeSig`] validates WAMR native arguments
//!   before the native runs; [`ViewTable`] holds the bounded views strict mode
//!   hands to C instead of raw pointers.
//!
//! The primitives (`Cap` .. `violation`) only use `crate::cap::*`, std and
//! `parking_lot`; the guest-memory files also use the runtime's
//! `LinearMemory`, compartments and externref table. No file contains
//! `unsafe` code: every one is `#![forbid(unsafe_code)]`.

#[allow(
    clippy::module_inception,
    reason = "file layout fixed by the design: cap/cap.rs holds the Cap type"
)]
mod cap;
pub mod guest;
mod handle;
mod handle_cache;
pub mod native_sig;
mod otype;
mod perms;
mod region;
mod repr;
mod roots;
pub mod siphash;
pub mod view;
pub mod violation;

#[cfg(test)]
mod cap_prop_tests;

pub use cap::{Cap, CapFault};
pub use guest::{GuestAddrSpace, GuestRange, GuestStr, set_strict_mode, strict_mode};
pub use handle::{HandleError, HandleTable, MAX_SLOTS, OwnerId, SealedHandle};
#[doc(hidden)]
pub use handle::{bench_handle_lookup, bench_handle_validate};
pub use handle_cache::HandleCache;
pub use native_sig::{NativeArg, NativeArgCheck, NativeArgError, NativeSig, PtrWidth, SigParam};
pub use otype::{EmbedderOTypes, OTYPE_MAX, OType, derive_sealer};
pub use perms::Perms;
pub use region::{RegionId, RegionTable};
pub use repr::ReprModel;
pub use roots::CapRoots;
pub use view::{ViewInfo, ViewTable, views};
pub use violation::{Violation, ViolationKind, ViolationLog, ViolationRecord};
