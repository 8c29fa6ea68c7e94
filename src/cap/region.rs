//! Regions: the provenance roots of capabilities and their generations
//! (capability-model.md §1, §5 "Temporal safety").
//!
//! Every capability names the region it was derived from and the region's
//! generation at derivation time. Revoking a region bumps its generation, so
//! every capability derived before the revocation becomes
//! [`CapFault::Stale`](crate::cap::CapFault::Stale) at its next
//! `check_access`. A released region is dead until its id is reused, and a
//! reused id always starts at a fresh generation.
//!
//! Generation encoding: odd = live, even = dead. Allocation and release add 1,
//! revocation adds 2. A slot whose counter would wrap is retired for good.
//!
//! Lookups are lock-free: a two-level array of `AtomicU32` whose chunks are
//! allocated on demand and never freed while the table lives.

#![forbid(unsafe_code)]

use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};
use std::collections::VecDeque;
use std::sync::OnceLock;

use parking_lot::Mutex;

/// log2 of the number of regions per chunk.
const CHUNK_BITS: u32 = 12;
/// Regions per chunk.
const CHUNK_LEN: usize = 1 << CHUNK_BITS;
/// Number of chunks; the table holds at most `CHUNKS * CHUNK_LEN` (4 Mi) regions.
const CHUNKS: usize = 1024;

/// Dead generation value of a retired index (never allocated again).
const RETIRED: u32 = u32::MAX - 1;

/// Index of the otype-space region in every table (allocated first).
pub(crate) const OTYPE_SPACE_INDEX: u32 = 0;

/// Identifies a region: the owning table (high 32 bits) and an index in it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionId(u64);

impl RegionId {
    /// The id that no table ever issues (table 0); used by the null capability.
    pub const NONE: RegionId = RegionId(0);

    const fn new(table: u32, index: u32) -> RegionId {
        RegionId(((table as u64) << 32) | index as u64)
    }

    /// Identity of the table that issued the id.
    pub const fn table(self) -> u32 {
        (self.0 >> 32) as u32
    }

    /// Index inside its table.
    pub const fn index(self) -> u32 {
        self.0 as u32
    }

    /// Raw 64-bit value (diagnostics only).
    pub const fn raw(self) -> u64 {
        self.0
    }

    /// True if this is the otype space (the region of sealers) of some table.
    pub const fn is_otype_space(self) -> bool {
        self.table() != 0 && self.index() == OTYPE_SPACE_INDEX
    }
}

impl fmt::Debug for RegionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R{}.{}", self.table(), self.index())
    }
}

/// Allocation bookkeeping (slow path, behind a mutex).
#[derive(Debug, Default)]
struct RegionAlloc {
    /// Next never-used index.
    next: u32,
    /// Released indices, reused first-in first-out.
    free: VecDeque<u32>,
}

/// Per-runtime table of region generations. Created only through
/// [`CapRoots`](crate::cap::CapRoots); readable by anyone holding it.
pub struct RegionTable {
    id: u32,
    chunks: Box<[OnceLock<Box<[AtomicU32]>>]>,
    alloc: Mutex<RegionAlloc>,
}

/// Source of table identities; 0 is never issued.
static NEXT_TABLE_ID: AtomicU32 = AtomicU32::new(1);

impl RegionTable {
    /// A new, empty table with a process-unique identity, or `None` once 2^32 - 1
    /// tables have been created.
    pub(crate) fn new() -> Option<RegionTable> {
        let id = NEXT_TABLE_ID
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1))
            .ok()?;
        let chunks = (0..CHUNKS).map(|_| OnceLock::new()).collect();
        Some(RegionTable {
            id,
            chunks,
            alloc: Mutex::new(RegionAlloc::default()),
        })
    }

    /// Identity of this table (the high half of every [`RegionId`] it issues).
    pub fn id(&self) -> u32 {
        self.id
    }

    fn entry(&self, index: u32) -> Option<&AtomicU32> {
        let i = index as usize;
        let chunk = self.chunks.get(i >> CHUNK_BITS)?.get()?;
        chunk.get(i & (CHUNK_LEN - 1))
    }

    fn entry_or_create(&self, index: u32) -> Option<&AtomicU32> {
        let i = index as usize;
        let chunk = self
            .chunks
            .get(i >> CHUNK_BITS)?
            // Process-lifetime storage: never from a runtime pool.
            .get_or_init(|| {
                crate::os::alloc::outside(|| (0..CHUNK_LEN).map(|_| AtomicU32::new(0)).collect())
            });
        chunk.get(i & (CHUNK_LEN - 1))
    }

    /// Current generation of a live region of this table; `None` if the region
    /// is dead, was never allocated, or belongs to another table.
    pub fn generation(&self, region: RegionId) -> Option<u32> {
        if region.table() != self.id {
            return None;
        }
        let g = self.entry(region.index())?.load(Ordering::Acquire);
        (g & 1 == 1).then_some(g)
    }

    /// True if `region` is live with generation `gen` (the `check_access` test).
    #[inline]
    pub fn is_current(&self, region: RegionId, generation: u32) -> bool {
        self.generation(region) == Some(generation)
    }

    /// Allocates a region; returns its id and (odd) generation.
    pub(crate) fn allocate(&self) -> Option<(RegionId, u32)> {
        let mut alloc = self.alloc.lock();
        let index = match alloc.free.pop_front() {
            Some(i) => i,
            None => {
                let i = alloc.next;
                if i as usize >= CHUNKS * CHUNK_LEN {
                    return None;
                }
                alloc.next = i + 1;
                i
            }
        };
        let entry = self.entry_or_create(index)?;
        let g = entry.load(Ordering::Relaxed);
        // Dead entries are even and below u32::MAX (retired ones never get here).
        let live = g.checked_add(1)?;
        entry.store(live, Ordering::Release);
        Some((RegionId::new(self.id, index), live))
    }

    /// Revokes every capability derived from `region` while keeping it live.
    /// Returns the new generation, or `None` if the region is not live here or
    /// its counter is exhausted (then it is released and retired instead).
    pub(crate) fn revoke(&self, region: RegionId) -> Option<u32> {
        let _guard = self.alloc.lock();
        let entry = self.live_entry(region)?;
        let g = entry.load(Ordering::Relaxed);
        match g.checked_add(2) {
            Some(next) => {
                entry.store(next, Ordering::Release);
                Some(next)
            }
            None => {
                // The counter is exhausted: mark dead and retire the index.
                entry.store(RETIRED, Ordering::Release);
                None
            }
        }
    }

    /// Kills `region` (every derived capability becomes stale) and makes its
    /// index reusable. Returns false if it was not live.
    pub(crate) fn release(&self, region: RegionId) -> bool {
        let mut alloc = self.alloc.lock();
        let Some(entry) = self.live_entry(region) else {
            return false;
        };
        let g = entry.load(Ordering::Relaxed);
        // Dead values are even; RETIRED (u32::MAX - 1) is never reused.
        let dead = g.checked_add(1).unwrap_or(RETIRED);
        entry.store(dead, Ordering::Release);
        if dead < RETIRED {
            alloc.free.push_back(region.index());
        }
        true
    }

    fn live_entry(&self, region: RegionId) -> Option<&AtomicU32> {
        if region.table() != self.id {
            return None;
        }
        let entry = self.entry(region.index())?;
        (entry.load(Ordering::Relaxed) & 1 == 1).then_some(entry)
    }
}

impl fmt::Debug for RegionTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegionTable").field("id", &self.id).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocate_revoke_release_cycle() {
        let t = RegionTable::new().unwrap();
        let (r, g) = t.allocate().unwrap();
        assert_eq!(r.table(), t.id());
        assert_eq!(g & 1, 1);
        assert!(t.is_current(r, g));
        let g2 = t.revoke(r).unwrap();
        assert_ne!(g, g2);
        assert!(!t.is_current(r, g));
        assert!(t.is_current(r, g2));
        assert!(t.release(r));
        assert!(!t.release(r), "double release is a no-op");
        assert_eq!(t.generation(r), None);
        assert_eq!(t.revoke(r), None);
        // Index is reused with a generation never seen before.
        let (r2, g3) = t.allocate().unwrap();
        assert_eq!(r2, r);
        assert!(g3 > g2);
        assert!(!t.is_current(r, g) && !t.is_current(r, g2));
    }

    #[test]
    fn foreign_and_unknown_regions_are_not_current() {
        let a = RegionTable::new().unwrap();
        let b = RegionTable::new().unwrap();
        assert_ne!(a.id(), b.id());
        let (ra, ga) = a.allocate().unwrap();
        let (rb, gb) = b.allocate().unwrap();
        assert_eq!(ra.index(), rb.index());
        assert!(!b.is_current(ra, ga));
        assert!(!a.is_current(rb, gb));
        assert_eq!(a.generation(RegionId::new(a.id(), 999_999)), None);
        assert_eq!(a.generation(RegionId::NONE), None);
        assert!(!a.release(rb));
    }

    #[test]
    fn exhausted_counter_retires_region() {
        let t = RegionTable::new().unwrap();
        let (r, _) = t.allocate().unwrap();
        // Revocation at the last live generation retires the index.
        t.entry(r.index())
            .unwrap()
            .store(u32::MAX, Ordering::Relaxed);
        assert_eq!(t.revoke(r), None);
        assert_eq!(t.generation(r), None);
        assert!(!t.release(r));
        let (r2, _) = t.allocate().unwrap();
        assert_ne!(r2, r, "retired index is never reused");
        // Release at the last live generation retires the index too.
        t.entry(r2.index())
            .unwrap()
            .store(u32::MAX, Ordering::Relaxed);
        assert!(t.release(r2));
        assert_eq!(t.generation(r2), None);
        let (r3, g3) = t.allocate().unwrap();
        assert!(r3 != r && r3 != r2);
        assert_eq!(g3, 1);
    }

    #[test]
    fn otype_space_id() {
        let t = RegionTable::new().unwrap();
        let (r, _) = t.allocate().unwrap();
        assert_eq!(r.index(), OTYPE_SPACE_INDEX);
        assert!(r.is_otype_space());
        assert!(!RegionId::NONE.is_otype_space());
        assert_eq!(format!("{r:?}"), format!("R{}.0", t.id()));
    }
}
