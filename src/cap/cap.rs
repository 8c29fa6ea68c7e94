//! The software capability [`Cap`] and its operations (capability-model.md §1.2).
//!
//! Every operation is a total function: no panics, `u128` arithmetic for every
//! bounds computation. Each derivation comes in two flavours mirroring
//! `cheriintrin.h`:
//!
//! * `op(..) -> Cap`: the CHERI instruction. An illegal derivation still
//!   produces a value, with the tag cleared (untagged values confer nothing).
//! * `try_op(..) -> Result<Cap, CapFault>`: the same rule, but reporting why
//!   it was refused, so the caller can raise a trap or record a violation
//!   (see [`crate::cap::violation`]). Operations never record by themselves.
//!
//! # Invariants
//! * There is no public constructor and no public field: a tagged `Cap` can
//!   only be obtained from [`CapRoots`](crate::cap::CapRoots) (crate-visible)
//!   or by deriving from another tagged `Cap`.
//! * A tagged result's bounds are within its source's bounds, and its
//!   permissions are a subset of its source's (only `unseal` of a sealed
//!   capability changes `otype`; it may drop `GLOBAL`, never add anything).
//! * Sealed capabilities are immutable: every mutation of a sealed capability
//!   clears the tag.
//! * An untagged capability never becomes tagged.
//! * `base + len <= u64::MAX` for every capability, so `top()` fits in `u64`.

#![forbid(unsafe_code)]

use core::fmt;
use core::ops::Range;

use crate::cap::otype::{OTYPE_MAX, OType};
use crate::cap::perms::Perms;
use crate::cap::region::{RegionId, RegionTable};
use crate::cap::repr::ReprModel;

/// Software CHERI capability. Not `From<integer>`: inside Rust, forging a
/// `Cap` is a type error (the software "tag").
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cap {
    tag: bool,
    flags: u8,
    model: ReprModel,
    otype: OType,
    perms: Perms,
    region: RegionId,
    region_gen: u32,
    base: u64,
    len: u64,
    addr: u64,
}

/// Why a capability operation or access was refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CapFault {
    /// A capability operand is untagged.
    Tag,
    /// A capability operand is sealed where an unsealed one is needed (or a
    /// sealed capability was about to be modified).
    Sealed,
    /// Permissions are missing; the payload holds the missing bits.
    Perm(Perms),
    /// An address range is outside the authorising bounds.
    Bounds,
    /// Object-type mismatch: wrong otype, reserved otype, not sealed, or a
    /// sealer from the wrong space.
    Type,
    /// The capability's region was revoked or released (or belongs to another
    /// runtime).
    Stale,
    /// The requested bounds or address cannot be represented.
    Representability,
}

impl fmt::Display for CapFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CapFault::Tag => f.write_str("capability tag violation"),
            CapFault::Sealed => f.write_str("capability seal violation"),
            CapFault::Perm(p) => write!(f, "capability permission violation (missing {p})"),
            CapFault::Bounds => f.write_str("capability bounds violation"),
            CapFault::Type => f.write_str("capability type violation"),
            CapFault::Stale => f.write_str("stale capability"),
            CapFault::Representability => f.write_str("capability not representable"),
        }
    }
}

impl std::error::Error for CapFault {}

/// A derivation's candidate result plus, if it was refused, the reason.
struct Derived {
    cap: Cap,
    fault: Option<CapFault>,
}

impl Derived {
    fn ok(cap: Cap) -> Derived {
        Derived { cap, fault: None }
    }

    fn refused(cap: Cap, fault: CapFault) -> Derived {
        Derived {
            cap,
            fault: Some(fault),
        }
    }

    fn result(self) -> Result<Cap, CapFault> {
        match self.fault {
            None => Ok(self.cap),
            Some(f) => Err(f),
        }
    }

    fn cap(self) -> Cap {
        match self.fault {
            None => self.cap,
            Some(_) => self.cap.clear_tag(),
        }
    }
}

/// Returns a refused [`Derived`] (with candidate `$cap`) when `$cond` holds.
macro_rules! refuse_if {
    ($cond:expr, $cap:expr, $fault:expr) => {
        if $cond {
            return Derived::refused($cap, $fault);
        }
    };
}

impl Cap {
    /// The null capability: untagged, all fields zero.
    pub const NULL: Cap = Cap {
        tag: false,
        flags: 0,
        model: ReprModel::Exact,
        otype: OType::UNSEALED,
        perms: Perms::NONE,
        region: RegionId::NONE,
        region_gen: 0,
        base: 0,
        len: 0,
        addr: 0,
    };

    /// A root: tagged, unsealed, cursor at `base`. Only [`CapRoots`] mints them.
    /// `len` is clamped so that `base + len <= u64::MAX`.
    ///
    /// [`CapRoots`]: crate::cap::CapRoots
    pub(crate) fn root(
        region: RegionId,
        region_gen: u32,
        base: u64,
        len: u64,
        perms: Perms,
        model: ReprModel,
    ) -> Cap {
        Cap {
            tag: true,
            flags: 0,
            model,
            otype: OType::UNSEALED,
            perms,
            region,
            region_gen,
            base,
            len: len.min(u64::MAX - base),
            addr: base,
        }
    }

    // ----- getters (readable even when untagged) -----

    /// Validity tag.
    pub fn tag(&self) -> bool {
        self.tag
    }
    /// Lower bound (inclusive).
    pub fn base(&self) -> u64 {
        self.base
    }
    /// Upper bound (exclusive); `base + length`, never overflows.
    pub fn top(&self) -> u64 {
        self.base.saturating_add(self.len)
    }
    /// Length of the bounds.
    pub fn length(&self) -> u64 {
        self.len
    }
    /// Cursor.
    pub fn addr(&self) -> u64 {
        self.addr
    }
    /// `addr - base` (modulo 2^64, as in CHERI).
    pub fn offset(&self) -> u64 {
        self.addr.wrapping_sub(self.base)
    }
    /// Permissions.
    pub fn perms(&self) -> Perms {
        self.perms
    }
    /// Object type (`UNSEALED` when not sealed).
    pub fn otype(&self) -> OType {
        self.otype
    }
    /// True if sealed (including sentries).
    pub fn is_sealed(&self) -> bool {
        self.otype != OType::UNSEALED
    }
    /// True if this is a sealed entry.
    pub fn is_sentry(&self) -> bool {
        self.otype == OType::SENTRY
    }
    /// Software flags (carried, not interpreted).
    pub fn flags(&self) -> u8 {
        self.flags
    }
    /// Provenance region.
    pub fn region(&self) -> RegionId {
        self.region
    }
    /// Region generation at derivation time.
    pub fn region_gen(&self) -> u32 {
        self.region_gen
    }
    /// Representability model inherited from the root.
    pub fn model(&self) -> ReprModel {
        self.model
    }
    /// `CRRL` under this capability's model.
    pub fn representable_length(&self, len: u64) -> Option<u64> {
        self.model.representable_length(len)
    }
    /// `CRAM` under this capability's model.
    pub fn representable_alignment_mask(&self, len: u64) -> u64 {
        self.model.representable_alignment_mask(len)
    }

    // ----- derivations -----

    /// Copy with the tag cleared.
    pub fn clear_tag(self) -> Cap {
        Cap { tag: false, ..self }
    }

    fn d_set_addr(self, addr: u64) -> Derived {
        let c = Cap { addr, ..self };
        refuse_if!(!self.tag, c, CapFault::Tag);
        refuse_if!(self.is_sealed(), c, CapFault::Sealed);
        refuse_if!(
            !self.model.addr_representable(self.base, self.len, addr),
            c,
            CapFault::Representability
        );
        Derived::ok(c)
    }

    /// Sets the cursor; tag cleared if sealed or outside the representable window.
    pub fn set_addr(self, addr: u64) -> Cap {
        self.d_set_addr(addr).cap()
    }
    /// [`Cap::set_addr`] reporting the refusal.
    pub fn try_set_addr(self, addr: u64) -> Result<Cap, CapFault> {
        self.d_set_addr(addr).result()
    }
    /// Moves the cursor by `delta` (wrapping), same rules as [`Cap::set_addr`].
    pub fn inc_offset(self, delta: i64) -> Cap {
        self.set_addr(self.addr.wrapping_add_signed(delta))
    }
    /// [`Cap::inc_offset`] reporting the refusal.
    pub fn try_inc_offset(self, delta: i64) -> Result<Cap, CapFault> {
        self.try_set_addr(self.addr.wrapping_add_signed(delta))
    }
    /// Sets the cursor to `base + offset` (wrapping), same rules as [`Cap::set_addr`].
    pub fn set_offset(self, offset: u64) -> Cap {
        self.set_addr(self.base.wrapping_add(offset))
    }

    fn d_set_bounds(self, len: u64, exact: bool) -> Derived {
        let rounded = self.model.round(self.addr, len);
        let new_top = rounded.top.min(u128::from(u64::MAX));
        // rounded.base <= addr <= u64::MAX and new_top >= rounded.base.
        let new_base = rounded.base as u64;
        let c = Cap {
            base: new_base,
            len: (new_top as u64).saturating_sub(new_base),
            ..self
        };
        let old_base = u128::from(self.base);
        let old_top = u128::from(self.top());
        let req_base = u128::from(self.addr);
        let req_top = req_base + u128::from(len);
        refuse_if!(!self.tag, c, CapFault::Tag);
        refuse_if!(self.is_sealed(), c, CapFault::Sealed);
        refuse_if!(
            req_base < old_base || req_top > old_top,
            c,
            CapFault::Bounds
        );
        let is_exact = rounded.base == req_base && rounded.top == req_top;
        refuse_if!(exact && !is_exact, c, CapFault::Representability);
        refuse_if!(
            rounded.base < old_base || rounded.top > old_top,
            c,
            CapFault::Representability
        );
        Derived::ok(c)
    }

    /// Narrows the bounds to `[addr, addr + len)`, rounded outwards under the
    /// representability model. Tag cleared if sealed or if the request (or its
    /// rounding) is not within the current bounds.
    pub fn set_bounds(self, len: u64) -> Cap {
        self.d_set_bounds(len, false).cap()
    }
    /// [`Cap::set_bounds`] reporting the refusal.
    pub fn try_set_bounds(self, len: u64) -> Result<Cap, CapFault> {
        self.d_set_bounds(len, false).result()
    }
    /// Narrows the bounds to exactly `[addr, addr + len)`:
    /// `Err(Bounds)` if not within the current bounds, `Err(Representability)`
    /// if the model cannot represent them exactly.
    pub fn set_bounds_exact(self, len: u64) -> Result<Cap, CapFault> {
        self.d_set_bounds(len, true).result()
    }

    fn d_and_perms(self, mask: Perms) -> Derived {
        let c = Cap {
            perms: self.perms & mask,
            ..self
        };
        refuse_if!(!self.tag, c, CapFault::Tag);
        refuse_if!(self.is_sealed(), c, CapFault::Sealed);
        Derived::ok(c)
    }

    /// Keeps only the permissions in `mask` (can only remove bits).
    pub fn and_perms(self, mask: Perms) -> Cap {
        self.d_and_perms(mask).cap()
    }
    /// [`Cap::and_perms`] reporting the refusal.
    pub fn try_and_perms(self, mask: Perms) -> Result<Cap, CapFault> {
        self.d_and_perms(mask).result()
    }
    /// Removes the permissions in `mask`.
    pub fn clear_perms(self, mask: Perms) -> Cap {
        self.and_perms(!mask)
    }
    /// [`Cap::clear_perms`] reporting the refusal.
    pub fn try_clear_perms(self, mask: Perms) -> Result<Cap, CapFault> {
        self.try_and_perms(!mask)
    }

    /// Replaces the software flags; tag cleared if sealed.
    pub fn set_flags(self, flags: u8) -> Cap {
        let c = Cap { flags, ..self };
        if self.is_sealed() { c.clear_tag() } else { c }
    }

    fn d_seal(self, sealer: &Cap) -> Derived {
        let s = sealer;
        refuse_if!(!self.tag, self, CapFault::Tag);
        refuse_if!(self.is_sealed(), self, CapFault::Sealed);
        refuse_if!(!s.tag, self, CapFault::Tag);
        refuse_if!(s.is_sealed(), self, CapFault::Sealed);
        refuse_if!(
            !s.perms.contains(Perms::SEAL),
            self,
            CapFault::Perm(Perms::SEAL)
        );
        refuse_if!(!s.is_sealer_for(&self), self, CapFault::Type);
        refuse_if!(s.addr < s.base || s.addr >= s.top(), self, CapFault::Bounds);
        let Some(ot) = OType::new(s.addr).filter(|ot| ot.is_user()) else {
            return Derived::refused(self, CapFault::Type);
        };
        Derived::ok(Cap { otype: ot, ..self })
    }

    /// True if `self` lives in the otype space of the runtime that issued `obj`.
    fn is_sealer_for(&self, obj: &Cap) -> bool {
        self.region.is_otype_space() && self.region.table() == obj.region.table()
    }

    /// Seals with `sealer.addr` as otype. Permitted iff both are tagged and
    /// unsealed, the sealer has `SEAL`, lies in the otype space, its address is
    /// within its bounds and is a user otype (`4..=OTYPE_MAX`); else untagged.
    pub fn seal(self, sealer: &Cap) -> Cap {
        self.d_seal(sealer).cap()
    }
    /// [`Cap::seal`] reporting the refusal.
    pub fn try_seal(self, sealer: &Cap) -> Result<Cap, CapFault> {
        self.d_seal(sealer).result()
    }

    fn d_unseal(self, unsealer: &Cap) -> Derived {
        let u = unsealer;
        refuse_if!(!self.tag, self, CapFault::Tag);
        refuse_if!(!self.otype.is_user(), self, CapFault::Type);
        refuse_if!(!u.tag, self, CapFault::Tag);
        refuse_if!(u.is_sealed(), self, CapFault::Sealed);
        refuse_if!(
            !u.perms.contains(Perms::UNSEAL),
            self,
            CapFault::Perm(Perms::UNSEAL)
        );
        refuse_if!(!u.is_sealer_for(&self), self, CapFault::Type);
        refuse_if!(u.addr < u.base || u.addr >= u.top(), self, CapFault::Bounds);
        refuse_if!(
            u.addr != u64::from(self.otype.value()),
            self,
            CapFault::Type
        );
        let perms = if u.perms.contains(Perms::GLOBAL) {
            self.perms
        } else {
            self.perms - Perms::GLOBAL
        };
        Derived::ok(Cap {
            otype: OType::UNSEALED,
            perms,
            ..self
        })
    }

    /// Unseals. Permitted iff `self` is sealed with a user otype, the unsealer
    /// is tagged, unsealed, has `UNSEAL`, lies in the otype space, and its
    /// in-bounds address equals `self.otype`. The result keeps `GLOBAL` only if
    /// both had it.
    pub fn unseal(self, unsealer: &Cap) -> Cap {
        self.d_unseal(unsealer).cap()
    }
    /// [`Cap::unseal`] reporting the refusal.
    pub fn try_unseal(self, unsealer: &Cap) -> Result<Cap, CapFault> {
        self.d_unseal(unsealer).result()
    }

    fn d_seal_entry(self) -> Derived {
        refuse_if!(!self.tag, self, CapFault::Tag);
        refuse_if!(self.is_sealed(), self, CapFault::Sealed);
        let missing = self.perms.missing(Perms::EXECUTE);
        refuse_if!(!missing.is_empty(), self, CapFault::Perm(missing));
        Derived::ok(Cap {
            otype: OType::SENTRY,
            ..self
        })
    }

    /// Makes a sealed entry (otype 1) from an executable capability; it can
    /// only be invoked by the switcher.
    pub fn seal_entry(self) -> Cap {
        self.d_seal_entry().cap()
    }
    /// [`Cap::seal_entry`] reporting the refusal.
    pub fn try_seal_entry(self) -> Result<Cap, CapFault> {
        self.d_seal_entry().result()
    }

    /// The switcher's jump through a sentry: unseals a tagged sentry.
    #[allow(dead_code, reason = "used by the switcher once it is integrated")]
    pub(crate) fn enter_sentry(self) -> Result<Cap, CapFault> {
        if !self.tag {
            return Err(CapFault::Tag);
        }
        if !self.is_sentry() {
            return Err(CapFault::Type);
        }
        Ok(Cap {
            otype: OType::UNSEALED,
            ..self
        })
    }

    /// CInvoke: unseals a sealed code/data pair. Both must be tagged, sealed
    /// with the same user otype and carry `INVOKE`; `code` must be executable
    /// with its cursor in bounds, `data` must not be executable.
    pub fn invoke(code: Cap, data: Cap) -> Result<(Cap, Cap), CapFault> {
        if !code.tag || !data.tag {
            return Err(CapFault::Tag);
        }
        if !code.otype.is_user() || code.otype != data.otype {
            return Err(CapFault::Type);
        }
        let missing =
            code.perms.missing(Perms::INVOKE | Perms::EXECUTE) | data.perms.missing(Perms::INVOKE);
        if !missing.is_empty() {
            return Err(CapFault::Perm(missing));
        }
        if data.perms.contains(Perms::EXECUTE) {
            return Err(CapFault::Type);
        }
        if code.addr < code.base || code.addr >= code.top() {
            return Err(CapFault::Bounds);
        }
        let unsealed = |c: Cap| Cap {
            otype: OType::UNSEALED,
            ..c
        };
        Ok((unsealed(code), unsealed(data)))
    }

    // ----- predicates -----

    /// `CTestSubset`: same tag and region, bounds within `other`'s, and
    /// permissions a subset of `other`'s.
    pub fn is_subset(&self, other: &Cap) -> bool {
        self.tag == other.tag
            && self.region == other.region
            && self.base >= other.base
            && self.top() <= other.top()
            && other.perms.contains(self.perms)
    }

    /// Bit-for-bit equality, including the tag (`CSEQX`).
    pub fn eq_exact(&self, other: &Cap) -> bool {
        self == other
    }

    /// True if tagged and its region generation is current in `regions`.
    pub fn is_valid(&self, regions: &RegionTable) -> bool {
        self.tag && regions.is_current(self.region, self.region_gen)
    }

    /// Authorises an access of `size` bytes at `addr` needing `need`:
    /// tagged, not revoked, unsealed, `perms ⊇ need`, and
    /// `[addr, addr + size) ⊆ [base, top)` (u128 arithmetic). Returns the
    /// checked range. Faults are reported in that order.
    #[inline]
    pub fn check_access(
        &self,
        regions: &RegionTable,
        addr: u64,
        size: u64,
        need: Perms,
    ) -> Result<Range<u64>, CapFault> {
        if !self.tag {
            return Err(CapFault::Tag);
        }
        if !regions.is_current(self.region, self.region_gen) {
            return Err(CapFault::Stale);
        }
        if self.is_sealed() {
            return Err(CapFault::Sealed);
        }
        let missing = self.perms.missing(need);
        if !missing.is_empty() {
            return Err(CapFault::Perm(missing));
        }
        let end = u128::from(addr) + u128::from(size);
        if addr < self.base || end > u128::from(self.top()) {
            return Err(CapFault::Bounds);
        }
        // end <= top <= u64::MAX.
        Ok(addr..end as u64)
    }
}

impl Default for Cap {
    fn default() -> Cap {
        Cap::NULL
    }
}

impl fmt::Debug for Cap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Cap{{{} {:?}@{} [{:#x}, {:#x}) addr={:#x} {} {:?}",
            if self.tag { "tagged" } else { "untagged" },
            self.region,
            self.region_gen,
            self.base,
            self.top(),
            self.addr,
            self.perms,
            self.otype,
        )?;
        if self.flags != 0 {
            write!(f, " flags={:#x}", self.flags)?;
        }
        f.write_str("}")
    }
}

// Compile-time check that the otype space fits the sealing root.
const _: () = assert!(OTYPE_MAX as u32 + 1 == 1 << 14);

#[cfg(test)]
#[path = "cap_unit_tests.rs"]
mod tests;

/// Derives a sealer/unsealer for exactly one otype from a sealing authority
/// (the sealing root or any sealer covering `ot`): `set_addr(ot)` then
/// `set_bounds_exact(1)`, as Verifoxx's capmgr did (`[ot, ot + 1)`).
///
/// Pure derivation: it can never widen the authority's bounds or permissions.
pub fn derive_sealer(authority: &Cap, ot: OType) -> Result<Cap, CapFault> {
    authority
        .try_set_addr(u64::from(ot.value()))?
        .set_bounds_exact(1)
}
