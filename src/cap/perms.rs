//! Capability permission bits (capability-model.md §1.1).
//!
//! The names are the generic CHERI ones. Bit positions follow CHERI-RISC-V
//! (ISAv8/v9 numbering) wherever a counterpart exists, so the `u32` handed to C
//! (`cwamr_cap_violation_t.perms`) reads like a CHERI-RISC-V permission word:
//!
//! | bit | name | CHERI-RISC-V | Morello |
//! |---:|---|---|---|
//! | 0 | `GLOBAL` | Global | Global |
//! | 1 | `EXECUTE` | Permit_Execute | Execute |
//! | 2 | `LOAD` | Permit_Load | Load |
//! | 3 | `STORE` | Permit_Store | Store |
//! | 4 | `LOAD_CAP` | Permit_Load_Capability | LoadCap |
//! | 5 | `STORE_CAP` | Permit_Store_Capability | StoreCap |
//! | 6 | `STORE_LOCAL_CAP` | Permit_Store_Local_Capability | StoreLocalCap |
//! | 7 | `SEAL` | Permit_Seal | Seal |
//! | 8 | `INVOKE` | Permit_CInvoke | BranchSealedPair |
//! | 9 | `UNSEAL` | Permit_Unseal | Unseal |
//! | 10 | `SYSTEM` | Access_System_Registers | System |
//! | 12 | `EXECUTIVE` | — | Executive |
//! | 13 | `MUTABLE_LOAD` | — | MutableLoad |
//! | 15..=18 | `SW0..SW3` | user perms 0..3 | user perms 0..3 |
//!
//! Software meaning: `SW0 = GROW` (may grow the region), `SW1 = DELEGATE`
//! (may derive delegations from it). A `Perms` value is only a mask: it confers
//! no authority by itself, so constructing one from bits is public.

#![forbid(unsafe_code)]

use core::fmt;
use core::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, Not, Sub};

/// A set of capability permissions.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(transparent)]
pub struct Perms(u32);

impl Perms {
    /// No permission at all.
    pub const NONE: Perms = Perms(0);
    /// The capability may be stored anywhere (not compartment-local).
    pub const GLOBAL: Perms = Perms(1 << 0);
    /// Instructions may be fetched through the capability.
    pub const EXECUTE: Perms = Perms(1 << 1);
    /// Data may be loaded through the capability.
    pub const LOAD: Perms = Perms(1 << 2);
    /// Data may be stored through the capability.
    pub const STORE: Perms = Perms(1 << 3);
    /// Capabilities may be loaded through the capability.
    pub const LOAD_CAP: Perms = Perms(1 << 4);
    /// Capabilities may be stored through the capability.
    pub const STORE_CAP: Perms = Perms(1 << 5);
    /// Non-`GLOBAL` capabilities may be stored through the capability.
    pub const STORE_LOCAL_CAP: Perms = Perms(1 << 6);
    /// The capability may be used as a sealer (its address is the otype).
    pub const SEAL: Perms = Perms(1 << 7);
    /// The capability may be used as a sealed code/data pair operand (CInvoke).
    pub const INVOKE: Perms = Perms(1 << 8);
    /// The capability may be used as an unsealer.
    pub const UNSEAL: Perms = Perms(1 << 9);
    /// Access to system state (runtime-internal).
    pub const SYSTEM: Perms = Perms(1 << 10);
    /// Morello Executive: marks runtime-privileged capabilities.
    pub const EXECUTIVE: Perms = Perms(1 << 12);
    /// Morello MutableLoad: loaded capabilities keep their store permissions.
    pub const MUTABLE_LOAD: Perms = Perms(1 << 13);
    /// Software-defined permission 0.
    pub const SW0: Perms = Perms(1 << 15);
    /// Software-defined permission 1.
    pub const SW1: Perms = Perms(1 << 16);
    /// Software-defined permission 2.
    pub const SW2: Perms = Perms(1 << 17);
    /// Software-defined permission 3.
    pub const SW3: Perms = Perms(1 << 18);
    /// `SW0`: the holder may grow the region (`memory.grow`, `table.grow`).
    pub const GROW: Perms = Perms::SW0;
    /// `SW1`: the holder may derive delegations from the capability.
    pub const DELEGATE: Perms = Perms::SW1;
    /// Every defined permission.
    pub const ALL: Perms = Perms(
        Perms::GLOBAL.0
            | Perms::EXECUTE.0
            | Perms::LOAD.0
            | Perms::STORE.0
            | Perms::LOAD_CAP.0
            | Perms::STORE_CAP.0
            | Perms::STORE_LOCAL_CAP.0
            | Perms::SEAL.0
            | Perms::INVOKE.0
            | Perms::UNSEAL.0
            | Perms::SYSTEM.0
            | Perms::EXECUTIVE.0
            | Perms::MUTABLE_LOAD.0
            | Perms::SW0.0
            | Perms::SW1.0
            | Perms::SW2.0
            | Perms::SW3.0,
    );

    /// Names of the individual permissions, in bit order.
    const NAMES: [(Perms, &'static str); 17] = [
        (Perms::GLOBAL, "GLOBAL"),
        (Perms::EXECUTE, "EXECUTE"),
        (Perms::LOAD, "LOAD"),
        (Perms::STORE, "STORE"),
        (Perms::LOAD_CAP, "LOAD_CAP"),
        (Perms::STORE_CAP, "STORE_CAP"),
        (Perms::STORE_LOCAL_CAP, "STORE_LOCAL_CAP"),
        (Perms::SEAL, "SEAL"),
        (Perms::INVOKE, "INVOKE"),
        (Perms::UNSEAL, "UNSEAL"),
        (Perms::SYSTEM, "SYSTEM"),
        (Perms::EXECUTIVE, "EXECUTIVE"),
        (Perms::MUTABLE_LOAD, "MUTABLE_LOAD"),
        (Perms::SW0, "SW0"),
        (Perms::SW1, "SW1"),
        (Perms::SW2, "SW2"),
        (Perms::SW3, "SW3"),
    ];

    /// The raw permission word.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Builds a mask from raw bits, dropping undefined bits.
    pub const fn from_bits_truncate(bits: u32) -> Perms {
        Perms(bits & Perms::ALL.0)
    }

    /// Builds a mask from raw bits; `None` if an undefined bit is set.
    pub const fn from_bits(bits: u32) -> Option<Perms> {
        if bits & !Perms::ALL.0 == 0 {
            Some(Perms(bits))
        } else {
            None
        }
    }

    /// True if no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True if every bit of `other` is also set in `self` (`other ⊆ self`).
    pub const fn contains(self, other: Perms) -> bool {
        self.0 & other.0 == other.0
    }

    /// True if `self` and `other` share at least one bit.
    pub const fn intersects(self, other: Perms) -> bool {
        self.0 & other.0 != 0
    }

    /// True if `self ⊆ other`.
    pub const fn is_subset_of(self, other: Perms) -> bool {
        other.contains(self)
    }

    /// Set union.
    pub const fn union(self, other: Perms) -> Perms {
        Perms(self.0 | other.0)
    }

    /// Set intersection.
    pub const fn intersection(self, other: Perms) -> Perms {
        Perms(self.0 & other.0)
    }

    /// Bits of `self` that are not in `other`.
    pub const fn difference(self, other: Perms) -> Perms {
        Perms(self.0 & !other.0)
    }

    /// The permissions of `need` that `self` lacks (empty when `self ⊇ need`).
    pub const fn missing(self, need: Perms) -> Perms {
        need.difference(self)
    }

    /// Iterates over the individual permissions set in `self`, in bit order.
    pub fn iter(self) -> impl Iterator<Item = Perms> {
        Perms::NAMES
            .iter()
            .map(|&(p, _)| p)
            .filter(move |p| self.contains(*p))
    }
}

impl BitOr for Perms {
    type Output = Perms;
    fn bitor(self, rhs: Perms) -> Perms {
        self.union(rhs)
    }
}

impl BitOrAssign for Perms {
    fn bitor_assign(&mut self, rhs: Perms) {
        *self = self.union(rhs);
    }
}

impl BitAnd for Perms {
    type Output = Perms;
    fn bitand(self, rhs: Perms) -> Perms {
        self.intersection(rhs)
    }
}

impl BitAndAssign for Perms {
    fn bitand_assign(&mut self, rhs: Perms) {
        *self = self.intersection(rhs);
    }
}

impl Sub for Perms {
    type Output = Perms;
    fn sub(self, rhs: Perms) -> Perms {
        self.difference(rhs)
    }
}

impl Not for Perms {
    type Output = Perms;
    /// Complement within [`Perms::ALL`].
    fn not(self) -> Perms {
        Perms(!self.0 & Perms::ALL.0)
    }
}

impl fmt::Debug for Perms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Perms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("NONE");
        }
        let mut first = true;
        for (p, name) in Perms::NAMES {
            if self.contains(p) {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_distinct_and_cover_all() {
        let mut acc = 0u32;
        for (p, _) in Perms::NAMES {
            assert_eq!(p.bits().count_ones(), 1, "{p}");
            assert_eq!(acc & p.bits(), 0, "duplicate bit {p}");
            acc |= p.bits();
        }
        assert_eq!(acc, Perms::ALL.bits());
        assert_eq!(Perms::ALL.iter().count(), 17);
    }

    #[test]
    fn set_algebra() {
        let rw = Perms::LOAD | Perms::STORE;
        assert!(rw.contains(Perms::LOAD));
        assert!(!rw.contains(Perms::LOAD | Perms::EXECUTE));
        assert!(Perms::LOAD.is_subset_of(rw));
        assert!(rw.intersects(Perms::STORE | Perms::SEAL));
        assert!(!rw.intersects(Perms::SEAL));
        assert_eq!(rw & Perms::LOAD, Perms::LOAD);
        assert_eq!(rw - Perms::LOAD, Perms::STORE);
        assert_eq!(rw.missing(Perms::STORE | Perms::SEAL), Perms::SEAL);
        assert!(rw.missing(Perms::LOAD).is_empty());
        assert_eq!(!Perms::ALL, Perms::NONE);
        assert_eq!(!Perms::NONE, Perms::ALL);
        let mut m = Perms::NONE;
        m |= Perms::GLOBAL;
        m &= Perms::GLOBAL | Perms::LOAD;
        assert_eq!(m, Perms::GLOBAL);
    }

    #[test]
    fn raw_bits_round_trip() {
        assert_eq!(Perms::from_bits(Perms::ALL.bits()), Some(Perms::ALL));
        assert_eq!(Perms::from_bits(1 << 11), None);
        assert_eq!(Perms::from_bits(1 << 31), None);
        assert_eq!(Perms::from_bits_truncate(u32::MAX), Perms::ALL);
        assert_eq!(Perms::GROW, Perms::SW0);
        assert_eq!(Perms::DELEGATE, Perms::SW1);
    }

    #[test]
    fn display_names() {
        assert_eq!(Perms::NONE.to_string(), "NONE");
        assert_eq!((Perms::LOAD | Perms::STORE).to_string(), "LOAD|STORE");
        assert_eq!(format!("{:?}", Perms::SEAL | Perms::GLOBAL), "GLOBAL|SEAL");
    }
}
