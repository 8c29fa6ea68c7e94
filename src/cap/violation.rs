//! Violation records: every refused capability operation or handle can be
//! recorded so the host can inspect what was attempted
//! (`cwamr_cap_violations(...)` in the C API).
//!
//! Capability operations stay pure: callers record explicitly, typically with
//! [`record_cap_fault`] or [`record_handle_error`], which return the error so
//! they can be used inline (`.map_err(|e| record_handle_error(e, h, ot, None))`).
//!
//! A [`ViolationLog`] keeps a counter per [`ViolationKind`] (never reset by
//! reading) and a ring of the last [`RING_LEN`] records. The process-wide log
//! is reached through the free functions [`record`], [`snapshot`], [`count`]
//! and [`count_kind`].

#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use crate::cap::cap::{Cap, CapFault};
use crate::cap::handle::{HandleError, SealedHandle};
use crate::cap::otype::OType;
use crate::cap::perms::Perms;

/// Number of records kept in the ring.
pub const RING_LEN: usize = 64;

/// `compartment` value of a record that has no compartment (host call).
pub const NO_COMPARTMENT: u32 = u32::MAX;

/// What was refused. Values are part of the C ABI (`cwamr_cap_violation_t.kind`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(u32)]
pub enum ViolationKind {
    /// Untagged capability used.
    CapTag = 1,
    /// Sealed capability used or modified.
    CapSealed = 2,
    /// Missing permission.
    CapPerm = 3,
    /// Out of bounds.
    CapBounds = 4,
    /// Object-type mismatch on a capability.
    CapType = 5,
    /// Revoked capability used.
    CapStale = 6,
    /// Unrepresentable bounds or address.
    CapRepresentability = 7,
    /// NULL handle.
    HandleNull = 8,
    /// Value that is not shaped like a sealed handle.
    HandleShape = 9,
    /// Handle of the wrong type.
    HandleType = 10,
    /// Handle naming no slot.
    HandleSlot = 11,
    /// Handle of a destroyed object (incl. double destroy).
    HandleDead = 12,
    /// Handle of an old generation.
    HandleStale = 13,
    /// Handle with a wrong MAC (forged).
    HandleMac = 14,
    /// Handle of another store or engine.
    HandleOwner = 15,
    /// Exec env used from a thread other than its owner.
    HandleThread = 16,
    /// Any other refusal (resource exhaustion, ...).
    Other = 17,
    /// App-heap `free`/`realloc` of an offset that is not the start of a
    /// live block (never allocated, interior, outside the heap).
    HeapInvalidFree = 18,
    /// App-heap `free`/`realloc` of a block already freed.
    HeapDoubleFree = 19,
    /// App-heap `free`/`realloc` of a live block owned by another compartment.
    HeapForeignFree = 20,
    /// A compartment-local capability (externref, delegation) tried to leave
    /// its compartment.
    LocalCapEscape = 21,
    /// Entry into a compartment poisoned by an earlier trap.
    CompartmentPoisoned = 22,
}

/// Number of kinds (kind values are `1..=KIND_COUNT`).
pub const KIND_COUNT: usize = 22;

impl ViolationKind {
    /// Every kind, in value order.
    pub const ALL: [ViolationKind; KIND_COUNT] = [
        ViolationKind::CapTag,
        ViolationKind::CapSealed,
        ViolationKind::CapPerm,
        ViolationKind::CapBounds,
        ViolationKind::CapType,
        ViolationKind::CapStale,
        ViolationKind::CapRepresentability,
        ViolationKind::HandleNull,
        ViolationKind::HandleShape,
        ViolationKind::HandleType,
        ViolationKind::HandleSlot,
        ViolationKind::HandleDead,
        ViolationKind::HandleStale,
        ViolationKind::HandleMac,
        ViolationKind::HandleOwner,
        ViolationKind::HandleThread,
        ViolationKind::Other,
        ViolationKind::HeapInvalidFree,
        ViolationKind::HeapDoubleFree,
        ViolationKind::HeapForeignFree,
        ViolationKind::LocalCapEscape,
        ViolationKind::CompartmentPoisoned,
    ];

    /// The kind with ABI value `v`.
    pub fn from_u32(v: u32) -> Option<ViolationKind> {
        ViolationKind::ALL
            .get((v as usize).wrapping_sub(1))
            .copied()
    }

    /// Kind of a capability fault.
    pub fn of_cap_fault(f: CapFault) -> ViolationKind {
        match f {
            CapFault::Tag => ViolationKind::CapTag,
            CapFault::Sealed => ViolationKind::CapSealed,
            CapFault::Perm(_) => ViolationKind::CapPerm,
            CapFault::Bounds => ViolationKind::CapBounds,
            CapFault::Type => ViolationKind::CapType,
            CapFault::Stale => ViolationKind::CapStale,
            CapFault::Representability => ViolationKind::CapRepresentability,
        }
    }

    /// Kind of a handle rejection.
    pub fn of_handle_error(e: HandleError) -> ViolationKind {
        match e {
            HandleError::Null => ViolationKind::HandleNull,
            HandleError::Shape => ViolationKind::HandleShape,
            HandleError::WrongType { .. } | HandleError::SlotType => ViolationKind::HandleType,
            HandleError::NotHandleType(_) => ViolationKind::HandleType,
            HandleError::SlotRange => ViolationKind::HandleSlot,
            HandleError::NotLive => ViolationKind::HandleDead,
            HandleError::Stale => ViolationKind::HandleStale,
            HandleError::Mac => ViolationKind::HandleMac,
            HandleError::Owner => ViolationKind::HandleOwner,
            HandleError::TableFull => ViolationKind::Other,
        }
    }

    fn index(self) -> usize {
        self as usize - 1
    }
}

/// One refused operation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Violation {
    /// What was refused.
    pub kind: ViolationKind,
    /// Compartment (instance) that attempted it; `None` for the host.
    pub compartment: Option<u32>,
    /// Address accessed, or the raw handle value.
    pub addr: u64,
    /// Length of the access (0 for handles).
    pub len: u64,
    /// Missing permissions (capability faults) or the capability's permissions.
    pub perms: Perms,
    /// Otype involved (the capability's, or the one expected for a handle).
    pub otype: OType,
}

impl Violation {
    /// Record of `fault` raised by an operation on `cap` covering
    /// `[addr, addr + len)`.
    pub fn from_cap_fault(
        fault: CapFault,
        cap: &Cap,
        addr: u64,
        len: u64,
        compartment: Option<u32>,
    ) -> Violation {
        let perms = match fault {
            CapFault::Perm(missing) => missing,
            _ => cap.perms(),
        };
        Violation {
            kind: ViolationKind::of_cap_fault(fault),
            compartment,
            addr,
            len,
            perms,
            otype: cap.otype(),
        }
    }

    /// Record of handle `h` rejected with `err` where `expected` was wanted.
    pub fn from_handle_error(
        err: HandleError,
        h: SealedHandle,
        expected: OType,
        compartment: Option<u32>,
    ) -> Violation {
        Violation {
            kind: ViolationKind::of_handle_error(err),
            compartment,
            addr: h.bits(),
            len: 0,
            perms: Perms::NONE,
            otype: expected,
        }
    }

    /// The C record.
    pub fn to_record(&self) -> ViolationRecord {
        ViolationRecord {
            kind: self.kind as u32,
            compartment: self.compartment.unwrap_or(NO_COMPARTMENT),
            addr: self.addr,
            len: self.len,
            perms: self.perms.bits(),
            otype: u32::from(self.otype.value()),
        }
    }
}

/// C layout of a violation (`cwamr_cap_violation_t`): 32 bytes, no padding.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[repr(C)]
pub struct ViolationRecord {
    /// [`ViolationKind`] value.
    pub kind: u32,
    /// Compartment id or [`NO_COMPARTMENT`].
    pub compartment: u32,
    /// Address or raw handle value.
    pub addr: u64,
    /// Access length.
    pub len: u64,
    /// Permission bits (see [`Perms`]).
    pub perms: u32,
    /// Otype value.
    pub otype: u32,
}

impl ViolationRecord {
    /// All-zero record.
    pub const ZERO: ViolationRecord = ViolationRecord {
        kind: 0,
        compartment: 0,
        addr: 0,
        len: 0,
        perms: 0,
        otype: 0,
    };
}

const _: () = assert!(core::mem::size_of::<ViolationRecord>() == 32);

struct Ring {
    records: [ViolationRecord; RING_LEN],
    /// Total records ever pushed (next write position is `pushed % RING_LEN`).
    pushed: u64,
}

/// Counters plus a ring of recent records.
pub struct ViolationLog {
    counts: [AtomicU64; KIND_COUNT],
    ring: Mutex<Ring>,
}

impl ViolationLog {
    /// An empty log.
    pub const fn new() -> ViolationLog {
        ViolationLog {
            counts: [const { AtomicU64::new(0) }; KIND_COUNT],
            ring: Mutex::new(Ring {
                records: [ViolationRecord::ZERO; RING_LEN],
                pushed: 0,
            }),
        }
    }

    /// Records `v`.
    pub fn record(&self, v: &Violation) {
        if let Some(c) = self.counts.get(v.kind.index()) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        let mut ring = self.ring.lock();
        let pos = (ring.pushed % RING_LEN as u64) as usize;
        if let Some(slot) = ring.records.get_mut(pos) {
            *slot = v.to_record();
        }
        ring.pushed = ring.pushed.wrapping_add(1);
    }

    /// Total number of violations recorded.
    pub fn count(&self) -> u64 {
        self.counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .fold(0, u64::wrapping_add)
    }

    /// Number of violations of `kind` recorded.
    pub fn count_kind(&self, kind: ViolationKind) -> u64 {
        self.counts
            .get(kind.index())
            .map_or(0, |c| c.load(Ordering::Relaxed))
    }

    /// Copies the most recent records (at most `out.len()` and [`RING_LEN`]),
    /// oldest first, into `out`; returns how many were written.
    pub fn snapshot(&self, out: &mut [ViolationRecord]) -> usize {
        let ring = self.ring.lock();
        let held = ring.pushed.min(RING_LEN as u64) as usize;
        let n = held.min(out.len());
        let first = ring.pushed - n as u64;
        for (i, dst) in out.iter_mut().take(n).enumerate() {
            let pos = ((first + i as u64) % RING_LEN as u64) as usize;
            *dst = ring.records.get(pos).copied().unwrap_or_default();
        }
        n
    }

    /// Forgets the ring and zeroes the counters.
    pub fn clear(&self) {
        for c in &self.counts {
            c.store(0, Ordering::Relaxed);
        }
        let mut ring = self.ring.lock();
        ring.pushed = 0;
        ring.records = [ViolationRecord::ZERO; RING_LEN];
    }
}

impl Default for ViolationLog {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for ViolationLog {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ViolationLog")
            .field("count", &self.count())
            .finish_non_exhaustive()
    }
}

/// The process-wide log.
static GLOBAL: ViolationLog = ViolationLog::new();

/// The process-wide log.
pub fn global() -> &'static ViolationLog {
    &GLOBAL
}

/// Records `v` in the process-wide log.
pub fn record(v: &Violation) {
    GLOBAL.record(v);
}

/// Recent records of the process-wide log (see [`ViolationLog::snapshot`]).
pub fn snapshot(out: &mut [ViolationRecord]) -> usize {
    GLOBAL.snapshot(out)
}

/// Total violations in the process-wide log.
pub fn count() -> u64 {
    GLOBAL.count()
}

/// Violations of `kind` in the process-wide log.
pub fn count_kind(kind: ViolationKind) -> u64 {
    GLOBAL.count_kind(kind)
}

/// Records a capability fault in the process-wide log and returns it.
pub fn record_cap_fault(
    fault: CapFault,
    cap: &Cap,
    addr: u64,
    len: u64,
    compartment: Option<u32>,
) -> CapFault {
    record(&Violation::from_cap_fault(
        fault,
        cap,
        addr,
        len,
        compartment,
    ));
    fault
}

/// Records a handle rejection in the process-wide log and returns it.
pub fn record_handle_error(
    err: HandleError,
    h: SealedHandle,
    expected: OType,
    compartment: Option<u32>,
) -> HandleError {
    record(&Violation::from_handle_error(err, h, expected, compartment));
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(kind: ViolationKind, addr: u64) -> Violation {
        Violation {
            kind,
            compartment: Some(3),
            addr,
            len: 4,
            perms: Perms::STORE,
            otype: OType::UNSEALED,
        }
    }

    #[test]
    fn kinds_round_trip() {
        for (i, k) in ViolationKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i + 1);
            assert_eq!(ViolationKind::from_u32(*k as u32), Some(*k));
        }
        assert_eq!(ViolationKind::from_u32(0), None);
        assert_eq!(ViolationKind::from_u32(KIND_COUNT as u32 + 1), None);
    }

    #[test]
    fn counts_and_ring_order() {
        let log = ViolationLog::new();
        let mut out = [ViolationRecord::ZERO; 8];
        assert_eq!(log.snapshot(&mut out), 0);
        for i in 0..100u64 {
            let kind = if i % 2 == 0 {
                ViolationKind::CapBounds
            } else {
                ViolationKind::HandleMac
            };
            log.record(&v(kind, i));
        }
        assert_eq!(log.count(), 100);
        assert_eq!(log.count_kind(ViolationKind::CapBounds), 50);
        assert_eq!(log.count_kind(ViolationKind::HandleMac), 50);
        assert_eq!(log.count_kind(ViolationKind::CapTag), 0);
        let mut all = [ViolationRecord::ZERO; 100];
        assert_eq!(log.snapshot(&mut all), RING_LEN);
        let addrs: Vec<u64> = all[..RING_LEN].iter().map(|r| r.addr).collect();
        assert_eq!(addrs, (36..100).collect::<Vec<_>>());
        assert_eq!(log.snapshot(&mut out), 8);
        assert_eq!(
            out.iter().map(|r| r.addr).collect::<Vec<_>>(),
            (92..100).collect::<Vec<_>>()
        );
        assert_eq!(out[7].kind, ViolationKind::HandleMac as u32);
        assert_eq!(out[7].compartment, 3);
        log.clear();
        assert_eq!(log.count(), 0);
        assert_eq!(log.snapshot(&mut out), 0);
    }

    #[test]
    fn cap_fault_records() {
        let cap = Cap::NULL;
        let r = Violation::from_cap_fault(CapFault::Perm(Perms::STORE), &cap, 0x10, 8, None);
        assert_eq!(r.kind, ViolationKind::CapPerm);
        let rec = r.to_record();
        assert_eq!(rec.perms, Perms::STORE.bits());
        assert_eq!(rec.compartment, NO_COMPARTMENT);
        assert_eq!((rec.addr, rec.len), (0x10, 8));
        for (f, k) in [
            (CapFault::Tag, ViolationKind::CapTag),
            (CapFault::Sealed, ViolationKind::CapSealed),
            (CapFault::Bounds, ViolationKind::CapBounds),
            (CapFault::Type, ViolationKind::CapType),
            (CapFault::Stale, ViolationKind::CapStale),
            (
                CapFault::Representability,
                ViolationKind::CapRepresentability,
            ),
        ] {
            assert_eq!(ViolationKind::of_cap_fault(f), k);
        }
    }

    #[test]
    fn handle_error_records() {
        let h = SealedHandle::from_bits(0x8000_1234_5678_9abc);
        let r = Violation::from_handle_error(HandleError::Mac, h, OType::INSTANCE, Some(1));
        let rec = r.to_record();
        assert_eq!(rec.kind, ViolationKind::HandleMac as u32);
        assert_eq!(rec.addr, h.bits());
        assert_eq!(rec.otype, 0x13);
        assert_eq!(
            ViolationKind::of_handle_error(HandleError::WrongType {
                expected: OType::FUNC,
                code: 1
            }),
            ViolationKind::HandleType
        );
        assert_eq!(
            ViolationKind::of_handle_error(HandleError::NotLive),
            ViolationKind::HandleDead
        );
    }

    #[test]
    fn global_log_helpers_return_the_error() {
        let before = count_kind(ViolationKind::HandleOwner);
        let e = record_handle_error(HandleError::Owner, SealedHandle::NULL, OType::STORE, None);
        assert_eq!(e, HandleError::Owner);
        let f = record_cap_fault(CapFault::Stale, &Cap::NULL, 0, 0, Some(2));
        assert_eq!(f, CapFault::Stale);
        assert!(count_kind(ViolationKind::HandleOwner) > before);
        assert!(count() >= 2);
        let mut out = [ViolationRecord::ZERO; RING_LEN];
        let n = snapshot(&mut out);
        assert!(n >= 2);
        assert!(global().count() >= 2);
    }
}
