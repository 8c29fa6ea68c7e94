//! The sealed allocator: the app heap behind `wasm_runtime_module_malloc/free/
//! realloc/dup_data` and libc-builtin `malloc/free` (capability-model.md §5).
//!
//! The heap's *bytes* live in the instance's linear memory, placed exactly
//! where WAMR 2.4 places its app heap (see [`app_heap_place`](super::app_heap_place)),
//! so guest-visible addresses and memory sizes match WAMR. All of its
//! *metadata* lives on the host, in ordered maps keyed by offset: nothing the
//! guest writes into its memory can corrupt the allocator (WAMR keeps its
//! `ems` headers inline, which is how #2909-class bugs arise).
//!
//! Contract (the CHERI allocator contract, with offsets in place of
//! capabilities):
//! * `malloc` returns an 8-byte aligned offset of a block that overlaps no
//!   other live block, zero-filled; never offset 0 (0 means failure).
//! * `free(off)` succeeds only for the exact start of a live block of the
//!   calling compartment. Interior, double, foreign and never-allocated
//!   offsets are rejected with a [`HeapError`], recorded as a violation, and
//!   change nothing.
//! * A heap may be shared by several compartments (an instance that imports
//!   the memory of one with a heap); every block remembers its owner.
//!
//! Addresses: the guest sees the offsets WAMR's allocator would give for the same sequence
//! of calls. WAMR's `ems` heap starts its blocks 4 bytes past the 8-aligned heap start and puts
//! a 4-byte header in front of each payload, so a block of a `size`-byte request spans
//! `max(16, align8(size + 4))` bytes and its payload starts 4 bytes in (the first `malloc` of
//! a fresh heap at base `b` returns `align8(b) + 8`). This heap lays its blocks out the same
//! way ([`HEADER`] bytes reserved in front of every payload, [`MIN_BLOCK`] the smallest
//! block) but keeps the header *empty*: the gap is never read or written by the allocator,
//! all metadata stays on the host. Blocks are taken from the front of the smallest free range
//! that fits, which is where WAMR's allocator puts them for simple sequences (a fresh heap, or
//! a free followed by an allocation of a size that fits the freed block).

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use parking_lot::Mutex;

use super::compartment::CompartmentId;
use super::memory::LinearMemory;
use crate::cap::violation::{self, Violation, ViolationKind};
use crate::cap::{OType, Perms};

/// Allocation granularity and alignment (WAMR's `ems` aligns to 8 as well).
pub const ALIGN: u64 = 8;
/// Bytes reserved in front of every payload (WAMR's `ems` block header; empty here).
pub const HEADER: u64 = 4;
/// The smallest block, header included (WAMR's `GC_SMALLEST_SIZE`).
pub const MIN_BLOCK: u64 = 16;

/// Why a `free`/`realloc` was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HeapError {
    /// The offset is not inside the heap.
    Outside,
    /// The offset is inside the heap but was never the start of a block.
    NotAllocated,
    /// The offset points inside a live block starting at `start`.
    Interior {
        /// Start of the block it points into.
        start: u64,
    },
    /// The block was already freed.
    DoubleFree,
    /// The block is live but belongs to another compartment.
    Foreign {
        /// The block's owner.
        owner: CompartmentId,
    },
}

impl fmt::Display for HeapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeapError::Outside => f.write_str("free of an offset outside the app heap"),
            HeapError::NotAllocated => f.write_str("free of an offset never allocated"),
            HeapError::Interior { start } => {
                write!(f, "free of an interior offset (block starts at {start:#x})")
            }
            HeapError::DoubleFree => f.write_str("double free"),
            HeapError::Foreign { owner } => write!(f, "free of a block owned by {owner}"),
        }
    }
}

impl std::error::Error for HeapError {}

/// Counters and sizes of a heap.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct HeapStats {
    /// Offset of the heap in linear memory.
    pub base: u64,
    /// Size of the heap in bytes.
    pub size: u64,
    /// Bytes in live blocks (their reserved headers included).
    pub used: u64,
    /// Bytes free.
    pub free: u64,
    /// Largest free block.
    pub largest_free: u64,
    /// Number of live blocks.
    pub live_blocks: u64,
    /// Successful allocations so far.
    pub allocs: u64,
    /// Successful frees so far.
    pub frees: u64,
    /// Allocations that failed (out of heap).
    pub failed_allocs: u64,
    /// Frees refused (see [`HeapError`]).
    pub rejected_frees: u64,
}

/// A live block, keyed by its payload offset; it starts [`HEADER`] bytes before it.
#[derive(Clone, Copy, Debug)]
struct Block {
    /// Length of the whole block, header included.
    len: u64,
    owner: CompartmentId,
}

#[derive(Default)]
struct HeapState {
    live: BTreeMap<u64, Block>,
    free_by_off: BTreeMap<u64, u64>,
    free_by_size: BTreeSet<(u64, u64)>,
    /// Starts of freed blocks whose bytes were not handed out again
    /// (tells a double free from a never-allocated offset).
    freed: BTreeSet<u64>,
    used: u64,
    allocs: u64,
    frees: u64,
    failed_allocs: u64,
    rejected_frees: u64,
}

impl HeapState {
    fn take_free(&mut self, off: u64, len: u64) {
        self.free_by_off.remove(&off);
        self.free_by_size.remove(&(len, off));
    }

    fn put_free(&mut self, mut off: u64, mut len: u64) {
        if let Some((&p, &plen)) = self.free_by_off.range(..off).next_back()
            && p + plen == off
        {
            self.take_free(p, plen);
            off = p;
            len += plen;
        }
        if let Some(&nlen) = self.free_by_off.get(&(off + len)) {
            self.take_free(off + len, nlen);
            len += nlen;
        }
        self.free_by_off.insert(off, len);
        self.free_by_size.insert((len, off));
    }

    /// Classifies an offset that is not the start of a live block.
    fn classify(&self, off: u64) -> HeapError {
        if self.freed.contains(&off) {
            return HeapError::DoubleFree;
        }
        match self.live.range(..off).next_back() {
            Some((&s, b)) if off < s + b.len - HEADER => HeapError::Interior { start: s },
            _ => HeapError::NotAllocated,
        }
    }
}

/// An app heap over `[base, base + size)` of one linear memory.
pub struct AppHeap {
    memory: Arc<LinearMemory>,
    base: u64,
    end: u64,
    owner: CompartmentId,
    state: Mutex<HeapState>,
}

impl fmt::Debug for AppHeap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppHeap")
            .field("base", &self.base)
            .field("end", &self.end)
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

fn round_up(n: u64) -> Option<u64> {
    n.max(1).checked_add(ALIGN - 1).map(|v| v & !(ALIGN - 1))
}

/// Length of the block for a `size`-byte request (WAMR's `GC_ALIGN_8(size + HMU_SIZE)`, at
/// least [`MIN_BLOCK`]); `None` above 4 GiB.
fn block_size(size: u64) -> Option<u64> {
    if size > u64::from(u32::MAX) {
        return None;
    }
    round_up(size + HEADER).map(|n| n.max(MIN_BLOCK))
}

impl AppHeap {
    /// A heap over `[base, base + size)` of `memory`, placed by compartment
    /// `owner`. The range must lie inside the memory's current size (memories
    /// never shrink, so it stays valid). Offset 0 is never handed out.
    pub(crate) fn new(
        memory: Arc<LinearMemory>,
        base: u64,
        size: u64,
        owner: CompartmentId,
    ) -> Result<AppHeap, String> {
        let end = base
            .checked_add(size)
            .filter(|&e| e <= memory.len() as u64)
            .ok_or("app heap outside linear memory")?;
        // Blocks start 4 bytes past the 8-aligned start, so payloads are 8-aligned and never
        // at offset 0 (it means "allocation failed"); the area is a multiple of 8 long.
        let start = round_up(base.max(1)).map_or(end, |a| a + HEADER).min(end);
        let len = (end - start) & !(ALIGN - 1);
        let mut state = HeapState::default();
        if len >= MIN_BLOCK {
            state.put_free(start, len);
        }
        Ok(AppHeap {
            memory,
            base,
            end,
            owner,
            state: Mutex::new(state),
        })
    }

    /// The compartment that placed the heap (the owner of blocks allocated by
    /// [`AppHeap::malloc`]).
    pub fn owner(&self) -> CompartmentId {
        self.owner
    }

    /// `[base, end)` of the heap in linear memory.
    pub fn range(&self) -> std::ops::Range<u64> {
        self.base..self.end
    }

    /// True if `off` lies inside the heap.
    pub fn contains(&self, off: u64) -> bool {
        self.base <= off && off < self.end
    }

    /// The memory the heap lives in.
    pub fn memory(&self) -> &Arc<LinearMemory> {
        &self.memory
    }

    /// Allocates `size` zeroed bytes for the heap's owner; `None` when the heap
    /// is exhausted (or `size` exceeds 4 GiB).
    pub fn malloc(&self, size: u64) -> Option<u64> {
        self.malloc_for(self.owner, size)
    }

    /// [`AppHeap::malloc`] on behalf of compartment `owner` (shared heaps).
    pub fn malloc_for(&self, owner: CompartmentId, size: u64) -> Option<u64> {
        let mut st = self.state.lock();
        let got = self.alloc_locked(&mut st, owner, size);
        if got.is_none() {
            st.failed_allocs += 1;
        }
        got
    }

    fn alloc_locked(&self, st: &mut HeapState, owner: CompartmentId, size: u64) -> Option<u64> {
        let need = block_size(size)?;
        let &(len, blk) = st.free_by_size.range((need, 0)..).next()?;
        st.take_free(blk, len);
        let take = if len - need >= MIN_BLOCK { need } else { len };
        if take < len {
            st.put_free(blk + take, len - take);
        }
        let off = blk + HEADER;
        // Memories never shrink, so the block is still inside the memory.
        if self.memory.fill(off, 0, take - HEADER).is_err() {
            st.put_free(blk, take);
            return None;
        }
        let stale: Vec<u64> = st.freed.range(blk..blk + take).copied().collect();
        for s in stale {
            st.freed.remove(&s);
        }
        st.live.insert(off, Block { len: take, owner });
        st.used += take;
        st.allocs += 1;
        Some(off)
    }

    /// Validates that `off` is the start of a live block of `owner`.
    fn check_block(
        &self,
        st: &HeapState,
        owner: CompartmentId,
        off: u64,
    ) -> Result<Block, HeapError> {
        if !self.contains(off) {
            return Err(HeapError::Outside);
        }
        match st.live.get(&off) {
            Some(b) if b.owner == owner => Ok(*b),
            Some(b) => Err(HeapError::Foreign { owner: b.owner }),
            None => Err(st.classify(off)),
        }
    }

    fn reject(
        &self,
        st: &mut HeapState,
        owner: CompartmentId,
        off: u64,
        e: HeapError,
    ) -> HeapError {
        st.rejected_frees += 1;
        let kind = match e {
            HeapError::DoubleFree => ViolationKind::HeapDoubleFree,
            HeapError::Foreign { .. } => ViolationKind::HeapForeignFree,
            _ => ViolationKind::HeapInvalidFree,
        };
        violation::record(&Violation {
            kind,
            compartment: Some(owner.0),
            addr: off,
            len: self.end - self.base,
            perms: Perms::STORE,
            otype: OType::UNSEALED,
        });
        e
    }

    /// Frees the block starting at `off` (owned by the heap's owner). `off ==
    /// 0` is a no-op, as C's `free(NULL)`.
    pub fn free(&self, off: u64) -> Result<(), HeapError> {
        self.free_for(self.owner, off)
    }

    /// [`AppHeap::free`] on behalf of compartment `owner`.
    pub fn free_for(&self, owner: CompartmentId, off: u64) -> Result<(), HeapError> {
        if off == 0 {
            return Ok(());
        }
        let mut st = self.state.lock();
        let b = match self.check_block(&st, owner, off) {
            Ok(b) => b,
            Err(e) => return Err(self.reject(&mut st, owner, off, e)),
        };
        st.live.remove(&off);
        st.used -= b.len;
        st.frees += 1;
        st.freed.insert(off);
        st.put_free(off - HEADER, b.len);
        Ok(())
    }

    /// Resizes the block at `off` to `size` bytes, keeping its contents (bytes
    /// beyond the old size are zero). `off == 0` allocates. `Ok(None)` when
    /// there is no room (the old block is untouched); `Err` when `off` is not a
    /// live block of the heap's owner.
    pub fn realloc(&self, off: u64, size: u64) -> Result<Option<u64>, HeapError> {
        self.realloc_for(self.owner, off, size)
    }

    /// [`AppHeap::realloc`] on behalf of compartment `owner`.
    pub fn realloc_for(
        &self,
        owner: CompartmentId,
        off: u64,
        size: u64,
    ) -> Result<Option<u64>, HeapError> {
        let mut st = self.state.lock();
        if off == 0 {
            let got = self.alloc_locked(&mut st, owner, size);
            if got.is_none() {
                st.failed_allocs += 1;
            }
            return Ok(got);
        }
        let b = match self.check_block(&st, owner, off) {
            Ok(b) => b,
            Err(e) => return Err(self.reject(&mut st, owner, off, e)),
        };
        let Some(need) = block_size(size) else {
            st.failed_allocs += 1;
            return Ok(None);
        };
        let blk = off - HEADER;
        if need <= b.len {
            // Shrink in place, giving back a tail worth keeping.
            if b.len - need >= MIN_BLOCK {
                st.live.insert(off, Block { len: need, owner });
                st.used -= b.len - need;
                st.put_free(blk + need, b.len - need);
            }
            return Ok(Some(off));
        }
        // Grow in place into a free neighbour.
        let next = blk + b.len;
        if let Some(&nlen) = st.free_by_off.get(&next)
            && b.len + nlen >= need
            && self.memory.fill(next, 0, need - b.len).is_ok()
        {
            st.take_free(next, nlen);
            let extra = need - b.len;
            let (take, rest) = if nlen - extra >= MIN_BLOCK {
                (extra, nlen - extra)
            } else {
                (nlen, 0)
            };
            if rest > 0 {
                st.put_free(next + take, rest);
            }
            st.live.insert(
                off,
                Block {
                    len: b.len + take,
                    owner,
                },
            );
            st.used += take;
            return Ok(Some(off));
        }
        // Move.
        let Some(new) = self.alloc_locked(&mut st, owner, size) else {
            st.failed_allocs += 1;
            return Ok(None);
        };
        if self.memory.copy_within(new, off, b.len - HEADER).is_err() {
            return Ok(None);
        }
        st.live.remove(&off);
        st.used -= b.len;
        st.freed.insert(off);
        st.put_free(blk, b.len);
        Ok(Some(new))
    }

    /// Allocates a block holding a copy of `data` (`wasm_runtime_module_dup_data`).
    pub fn dup_data(&self, data: &[u8]) -> Option<u64> {
        let off = self.malloc(data.len() as u64)?;
        match self.memory.write(off, data) {
            Ok(()) => Some(off),
            Err(_) => {
                let _ = self.free(off);
                None
            }
        }
    }

    /// Usable size of the live block whose payload starts at `off`, if any (any owner).
    pub fn block_len(&self, off: u64) -> Option<u64> {
        self.state.lock().live.get(&off).map(|b| b.len - HEADER)
    }

    /// The live blocks as `(payload offset, usable length, owner)`, in address order.
    pub fn live_blocks(&self) -> Vec<(u64, u64, CompartmentId)> {
        self.state
            .lock()
            .live
            .iter()
            .map(|(&o, b)| (o, b.len - HEADER, b.owner))
            .collect()
    }

    /// Counters and sizes.
    pub fn stats(&self) -> HeapStats {
        let st = self.state.lock();
        HeapStats {
            base: self.base,
            size: self.end - self.base,
            used: st.used,
            free: st.free_by_off.values().sum(),
            largest_free: st.free_by_size.iter().next_back().map_or(0, |&(l, _)| l),
            live_blocks: st.live.len() as u64,
            allocs: st.allocs,
            frees: st.frees,
            failed_allocs: st.failed_allocs,
            rejected_frees: st.rejected_frees,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Limits, MemoryType};

    const A: CompartmentId = CompartmentId(0x7FFE_0001);
    const B: CompartmentId = CompartmentId(0x7FFE_0002);

    fn heap(base: u64, size: u64) -> AppHeap {
        let ty = MemoryType {
            limits: Limits {
                min: 1,
                max: Some(1),
            },
            shared: false,
        };
        let mem = Arc::new(LinearMemory::new(ty, 1).unwrap());
        AppHeap::new(mem, base, size, A).unwrap()
    }

    #[test]
    fn malloc_is_aligned_zeroed_and_disjoint() {
        let h = heap(0, 4096);
        h.memory().fill(0, 0xAB, 4096).unwrap();
        let mut got = Vec::new();
        for n in [1u64, 7, 8, 9, 100, 0] {
            let o = h.malloc(n).unwrap();
            assert_ne!(o, 0);
            assert_eq!(o % ALIGN, 0);
            let mut b = vec![1u8; n as usize];
            h.memory().read(o, &mut b).unwrap();
            assert!(b.iter().all(|&x| x == 0));
            got.push(o);
        }
        let blocks = h.live_blocks();
        for w in blocks.windows(2) {
            assert!(w[0].0 + w[0].1 <= w[1].0);
        }
        for o in got {
            h.free(o).unwrap();
        }
        let s = h.stats();
        assert_eq!((s.used, s.live_blocks), (0, 0));
        assert_eq!(s.largest_free, 4096 - 16);
    }

    #[test]
    fn bad_frees_are_classified_and_harmless() {
        let h = heap(1024, 2048);
        let a = h.malloc(64).unwrap();
        let b = h.malloc_for(B, 64).unwrap();
        assert_eq!(h.free(1), Err(HeapError::Outside));
        assert_eq!(h.free(a + 8), Err(HeapError::Interior { start: a }));
        assert_eq!(h.free(b), Err(HeapError::Foreign { owner: B }));
        assert_eq!(h.free(a + 512), Err(HeapError::NotAllocated));
        h.free(a).unwrap();
        assert_eq!(h.free(a), Err(HeapError::DoubleFree));
        assert_eq!(h.realloc(a, 8), Err(HeapError::DoubleFree));
        assert_eq!(h.stats().rejected_frees, 6);
        assert_eq!(h.free_for(B, b), Ok(()));
        assert_eq!(h.stats().live_blocks, 0);
        assert!(h.malloc(2000).is_some());
    }

    #[test]
    fn realloc_keeps_contents_and_zeroes_growth() {
        let h = heap(0, 8192);
        let a = h.malloc(16).unwrap();
        h.memory().write(a, b"0123456789abcdef").unwrap();
        let _fence = h.malloc(16).unwrap();
        let b = h.realloc(a, 4000).unwrap().unwrap();
        assert_ne!(a, b);
        let mut buf = vec![0u8; 32];
        h.memory().read(b, &mut buf).unwrap();
        assert_eq!(&buf[..16], b"0123456789abcdef");
        assert!(buf[16..].iter().all(|&x| x == 0));
        // Grow in place, then shrink.
        let c = h.realloc(b, 4040).unwrap().unwrap();
        assert_eq!(c, b);
        assert_eq!(h.realloc(c, 8).unwrap(), Some(c));
        assert_eq!(h.realloc(c, 1 << 20).unwrap(), None);
        assert_eq!(h.block_len(c), Some(12));
    }

    #[test]
    fn exhaustion_and_coalescing() {
        let h = heap(64, 1024);
        let v: Vec<u64> = std::iter::from_fn(|| h.malloc(64)).collect();
        // Blocks of 72 bytes (64 + the header gap) in 1016 usable bytes.
        assert_eq!(v.len(), 14);
        assert!(h.malloc(1).is_none());
        for (i, o) in v.iter().enumerate() {
            if i % 2 == 0 {
                h.free(*o).unwrap();
            }
        }
        assert!(h.malloc(128).is_none());
        for (i, o) in v.iter().enumerate() {
            if i % 2 == 1 {
                h.free(*o).unwrap();
            }
        }
        assert_eq!(h.stats().largest_free, 1016);
        assert!(h.malloc(1013).is_none());
        assert!(h.malloc(1012).is_some());
    }

    #[test]
    fn addresses_are_wamrs_for_simple_sequences() {
        // WAMR's native-lib sample (app heap at 0x24e0): malloc(42) = 0x24e8, and after the
        // free malloc(86) = 0x24e8 again.
        let h = heap(0x24e0, 16384);
        let a = h.malloc(42).unwrap();
        assert_eq!(a, 0x24e8);
        h.free(a).unwrap();
        assert_eq!(h.malloc(86), Some(0x24e8));
        // Consecutive blocks: align8(size + 4), at least 16 bytes apart.
        let h = heap(0x1000, 4096);
        let v: Vec<u64> = [1u64, 12, 13, 100]
            .iter()
            .map(|&n| h.malloc(n).unwrap())
            .collect();
        assert_eq!(v, [0x1008, 0x1018, 0x1028, 0x1040]);
        // An unaligned base: blocks start 4 past the 8-aligned start.
        assert_eq!(heap(0x1003, 256).malloc(8), Some(0x1010));
        // The gap in front of a payload is not part of any block.
        assert_eq!(h.free(0x1012), Err(HeapError::Interior { start: 0x1008 }));
        assert_eq!(h.free(0x1014), Err(HeapError::NotAllocated));
    }
}
