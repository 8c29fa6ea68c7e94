//! A pool allocator over a caller-provided buffer: the memory behind WAMR's `mem_allocator_*`
//! API and behind the runtime in `Alloc_With_Pool` mode (see [`super::alloc`]).
//!
//! The caller's buffer is all the memory there is, so every piece of metadata lives inside it,
//! laid out as WAMR's EMS allocator lays out its heap (the sizes a C program can observe match
//! WAMR's: [`HEAP_STRUCT_SIZE`], 4-byte block headers, 8-byte aligned payloads, 16-byte
//! minimum blocks):
//!
//! ```text
//! buffer: [pad to 8][heap struct, HEAP_STRUCT_SIZE][pad][4 bytes][block][block]...[tail pad]
//!                                                         base ^ (base % 8 == 4)
//! block at offset o (o % 8 == 0):  u32 header = size | USED | PREV_USED
//!   used: payload o+4 .. o+size (8-byte aligned)
//!   free: u32 next, u32 prev (offsets, NIL = u32::MAX) at o+4, o+8; u32 size at o+size-4
//! ```
//!
//! Free blocks sit in segregated lists (exact classes of 8 bytes below 256, then one class per
//! power of two) with a bitmap of non-empty classes: an allocation takes the first fitting
//! block of its class (first fit) or the head of the next non-empty class, splits off the tail
//! when at least 16 bytes remain, and a free coalesces with both neighbours at once (boundary
//! tags), so two free blocks are never adjacent. Offsets instead of pointers make
//! [`Pool::migrate`] a change of base address.
//!
//! Corruption: the buffer is the embedder's memory, so metadata may be overwritten. Every
//! offset read from the buffer is bounds-checked before use; an inconsistency (bad size, a
//! free-list link that does not point back, a footer that disagrees) marks the heap corrupted
//! and every later allocation fails, as WAMR's heap does. No access ever leaves the heap's
//! range.
//!
//! # Invariants
//! - A [`Pool`] value exists only for a heap that [`Pool::create`] (or
//!   [`Pool::create_with_struct`]) initialised and that has not been destroyed, and the memory
//!   of its struct and of its block area stays valid and is used by nobody else until then (the
//!   contract of the `unsafe` constructors; the C API passes it on to its caller).
//! - Every read or write of heap metadata and block headers happens with the heap's spin lock
//!   held (a word of the heap struct), through `Locked`, whose accessors check
//!   `offset + 4 <= size` so they stay inside the block area.
//! - The lock never allocates and never parks: it spins and yields.

use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, Ordering};

/// Size of the heap struct at the start of a `mem_allocator_create` buffer (WAMR's
/// `sizeof(gc_heap_t)` on 64-bit Linux).
pub const HEAP_STRUCT_SIZE: u32 = 384;
/// Smallest buffer WAMR accepts (`APP_HEAP_SIZE_MIN`).
pub const APP_HEAP_SIZE_MIN: u32 = 256;
/// Alignment of every payload.
pub const MIN_ALIGN: usize = 8;
/// Largest alignment `malloc_aligned` accepts (the page size, as WAMR).
pub const MAX_ALIGN: u32 = 4096;

const HEAD_PADDING: usize = 4;
const MIN_BLOCK: u32 = 16;
const NIL: u32 = u32::MAX;
const USED: u32 = 1;
const PREV_USED: u32 = 2;
const FLAGS: u32 = 7;
const SMALL_CLASSES: usize = 30;
const NCLASS: usize = 54;
const MAGIC: u64 = 0x6377_616d_725f_706c;

#[repr(C)]
struct Header {
    /// `MAGIC ^ address of the header` while the heap lives.
    magic: u64,
    lock: AtomicU32,
    _pad: u32,
    /// Everything else, only touched with `lock` held.
    st: State,
}

#[repr(C)]
struct State {
    base: usize,
    size: u32,
    free_total: u32,
    highmark: u32,
    corrupted: u32,
    nonempty: u64,
    heads: [u32; NCLASS],
}

const _: () = assert!(std::mem::size_of::<Header>() <= HEAP_STRUCT_SIZE as usize);

/// Why a heap could not be created (the C API turns each into WAMR's log line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitError {
    /// NULL buffer.
    Null,
    /// The buffer is smaller than the given minimum.
    TooSmall(u32),
    /// The struct buffer is not 8-byte aligned.
    StructUnaligned,
    /// The struct buffer is smaller than [`HEAP_STRUCT_SIZE`].
    StructTooSmall,
    /// The pool buffer is not 8-byte aligned.
    PoolUnaligned,
}

/// Why an allocation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocError {
    /// No free block is large enough.
    Exhausted,
    /// The heap is (or was just found) corrupted.
    Corrupted,
    /// Bad size or alignment.
    Invalid,
}

/// Why a free or realloc refused a pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeError {
    /// Not a live block of this heap (outside it, or already free).
    NotAllocated,
    /// The heap is corrupted.
    Corrupted,
}

/// Why a migration failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrateError {
    /// The new buffer is not 8-byte aligned.
    Unaligned,
    /// The new buffer is smaller than the heap.
    TooSmall,
    /// The heap's blocks do not add up (corrupted).
    Corrupted,
}

/// `mem_alloc_info_t`: block-area size, free bytes, and the most ever in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Bytes of the block area.
    pub total: u32,
    /// Bytes in free blocks.
    pub free: u32,
    /// Highest number of bytes in use at once.
    pub highmark: u32,
}

/// A heap inside caller memory (a copyable reference: see the module invariants).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Pool(NonNull<Header>);

// SAFETY: all shared state is behind the heap's spin lock (module invariant).
unsafe impl Send for Pool {}
// SAFETY: as above.
unsafe impl Sync for Pool {}

fn align8(x: usize) -> usize {
    (x + 7) & !7
}

/// Block size for a payload of `size` bytes (WAMR's `GC_ALIGN_8(size + 4)`, at least 16).
fn block_size(size: u32) -> Option<u32> {
    let t = size.checked_add(4 + 7)? & !7;
    Some(t.max(MIN_BLOCK))
}

fn class_of(size: u32) -> usize {
    if size < 256 {
        (size / 8) as usize - 2
    } else {
        SMALL_CLASSES + (31 - size.leading_zeros() as usize) - 8
    }
}

struct Corrupt;

/// The heap with its lock held.
struct Locked<'a> {
    h: &'a mut State,
    lock: &'a AtomicU32,
    base: *mut u8,
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        self.lock.store(0, Ordering::Release);
    }
}

#[path = "pool_blocks.rs"]
mod blocks;

impl Pool {
    /// Create a heap in `len` bytes at `buf`: the heap struct at the first 8-aligned address,
    /// blocks after it (as WAMR's `mem_allocator_create`).
    ///
    /// # Safety
    /// `buf` is NULL or points to `len` writable bytes that nobody else uses until the heap is
    /// destroyed.
    pub unsafe fn create(buf: *mut u8, len: u32) -> Result<Pool, InitError> {
        if buf.is_null() {
            return Err(InitError::Null);
        }
        if len < APP_HEAP_SIZE_MIN {
            return Err(InitError::TooSmall(APP_HEAP_SIZE_MIN));
        }
        let start = buf as usize;
        let end = start + len as usize;
        let st = align8(start);
        let base = align8(st + HEAP_STRUCT_SIZE as usize) + HEAD_PADDING;
        if base + MIN_BLOCK as usize > end {
            return Err(InitError::TooSmall(
                (base + MIN_BLOCK as usize - start) as u32,
            ));
        }
        let size = ((end - base) & !7) as u32;
        // SAFETY: `st .. st + HEAP_STRUCT_SIZE` and `base .. base + size` lie inside the
        // caller's buffer (computed above) and are disjoint.
        unsafe { Self::init(st as *mut Header, base as *mut u8, size) }
    }

    /// Create a heap whose struct lives in `struct_buf` and whose blocks fill `pool_buf`.
    ///
    /// # Safety
    /// Each buffer is NULL or points to its length in writable bytes, the two are disjoint and
    /// nobody else uses them until the heap is destroyed.
    pub unsafe fn create_with_struct(
        struct_buf: *mut u8,
        struct_len: u32,
        pool_buf: *mut u8,
        pool_len: u32,
    ) -> Result<Pool, InitError> {
        if struct_buf.is_null() || pool_buf.is_null() {
            return Err(InitError::Null);
        }
        if struct_buf as usize % 8 != 0 {
            return Err(InitError::StructUnaligned);
        }
        if struct_len < HEAP_STRUCT_SIZE {
            return Err(InitError::StructTooSmall);
        }
        if pool_buf as usize % 8 != 0 {
            return Err(InitError::PoolUnaligned);
        }
        if pool_len < APP_HEAP_SIZE_MIN {
            return Err(InitError::TooSmall(APP_HEAP_SIZE_MIN));
        }
        let size = (pool_len - HEAD_PADDING as u32) & !7;
        // SAFETY: both ranges are the caller's (contract); `base + size <= pool end`.
        unsafe {
            Self::init(
                struct_buf.cast::<Header>(),
                pool_buf.add(HEAD_PADDING),
                size,
            )
        }
    }

    /// # Safety
    /// `h` is 8-aligned with `HEAP_STRUCT_SIZE` writable bytes, `base % 8 == 4` with `size`
    /// writable bytes, both unused by anyone else.
    unsafe fn init(h: *mut Header, base: *mut u8, size: u32) -> Result<Pool, InitError> {
        let header = Header {
            magic: MAGIC ^ h as u64,
            lock: AtomicU32::new(0),
            _pad: 0,
            st: State {
                base: base as usize,
                size,
                free_total: size,
                highmark: 0,
                corrupted: 0,
                nonempty: 0,
                heads: [NIL; NCLASS],
            },
        };
        // SAFETY: `h` is aligned and writable (contract).
        unsafe { h.write(header) };
        let pool = Pool(NonNull::new(h).ok_or(InitError::Null)?);
        let mut l = pool.lock();
        if l.insert(0, size, true).is_err() {
            return Err(InitError::TooSmall(APP_HEAP_SIZE_MIN));
        }
        drop(l);
        Ok(pool)
    }

    /// The heap whose struct is at `p`, if it carries a live heap's mark.
    ///
    /// # Safety
    /// `p` is NULL or points to at least 8 readable bytes; if it names a live heap, the
    /// module invariants hold for it.
    pub unsafe fn from_raw(p: *mut std::ffi::c_void) -> Option<Pool> {
        if p.is_null() || p as usize % 8 != 0 {
            return None;
        }
        // SAFETY: 8 readable, aligned bytes (contract).
        let magic = unsafe { p.cast::<u64>().read() };
        if magic == MAGIC ^ p as u64 {
            NonNull::new(p.cast::<Header>()).map(Pool)
        } else {
            None
        }
    }

    /// The address of the heap struct (the `mem_allocator_t` handle).
    pub fn as_raw(self) -> *mut std::ffi::c_void {
        self.0.as_ptr().cast()
    }

    fn lock(&self) -> Locked<'_> {
        // SAFETY: the struct is live (module invariant); the lock word is an AtomicU32.
        let lock = unsafe { &(*self.0.as_ptr()).lock };
        super::spin::acquire(|| {
            lock.compare_exchange_weak(0, 1, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        });
        // SAFETY: the lock is held, so this is the only reference to the state until `Locked`
        // drops (module invariant); the lock word is outside it.
        let h = unsafe { &mut (*self.0.as_ptr()).st };
        let base = h.base as *mut u8;
        Locked { h, lock, base }
    }

    /// The block area `[start, end)`: every payload lies inside it.
    pub fn range(self) -> (usize, usize) {
        let l = self.lock();
        (l.base as usize, l.base as usize + l.h.size as usize)
    }

    fn corrupt(l: &mut Locked<'_>) {
        l.h.corrupted = 1;
    }

    /// Allocate `size` bytes, 8-byte aligned.
    pub fn malloc(self, size: u32) -> Result<NonNull<u8>, AllocError> {
        let total = block_size(size).ok_or(AllocError::Invalid)?;
        let mut l = self.lock();
        if l.h.corrupted != 0 {
            return Err(AllocError::Corrupted);
        }
        match l.malloc(total) {
            // SAFETY: `o` is a block inside the area; its payload starts 4 bytes later.
            Ok(Some(o)) => Ok(payload(&l, o)),
            Ok(None) => Err(AllocError::Exhausted),
            Err(Corrupt) => {
                Self::corrupt(&mut l);
                Err(AllocError::Corrupted)
            }
        }
    }

    /// Allocate `size` bytes aligned to `align` (a power of two up to [`MAX_ALIGN`], `size` a
    /// multiple of it, as WAMR requires; alignments below 8 mean 8).
    pub fn malloc_aligned(self, size: u32, align: u32) -> Result<NonNull<u8>, AllocError> {
        if !align.is_power_of_two() || align > MAX_ALIGN || size % align != 0 {
            return Err(AllocError::Invalid);
        }
        if align <= MIN_ALIGN as u32 {
            return self.malloc(size);
        }
        let total = block_size(size).ok_or(AllocError::Invalid)?;
        let mut l = self.lock();
        if l.h.corrupted != 0 {
            return Err(AllocError::Corrupted);
        }
        match l.malloc_aligned(total, align) {
            Ok(Some(o)) => Ok(payload(&l, o)),
            Ok(None) => Err(AllocError::Exhausted),
            Err(Corrupt) => {
                Self::corrupt(&mut l);
                Err(AllocError::Corrupted)
            }
        }
    }

    /// Free a block of this heap.
    pub fn free(self, ptr: *mut u8) -> Result<(), FreeError> {
        let mut l = self.lock();
        if l.h.corrupted != 0 {
            return Err(FreeError::Corrupted);
        }
        let r = match l.live_block(ptr) {
            Ok(Some((o, sz, hdr))) => l.free_block(o, sz, hdr),
            Ok(None) => return Err(FreeError::NotAllocated),
            Err(c) => Err(c),
        };
        r.map_err(|Corrupt| {
            Self::corrupt(&mut l);
            FreeError::Corrupted
        })
    }

    /// Resize a block (in place when possible); on failure the block is unchanged.
    // `ptr` is only read after `live_block` proved it is the payload of a live block inside
    // this heap (module invariants), so any value is safe to pass.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn realloc(self, ptr: *mut u8, size: u32) -> Result<NonNull<u8>, AllocError> {
        if ptr.is_null() {
            return self.malloc(size);
        }
        let total = block_size(size).ok_or(AllocError::Invalid)?;
        let mut l = self.lock();
        if l.h.corrupted != 0 {
            return Err(AllocError::Corrupted);
        }
        let r = (|| -> Result<Option<NonNull<u8>>, Corrupt> {
            let Some((o, sz, hdr)) = l.live_block(ptr)? else {
                return Ok(None);
            };
            if total <= sz {
                l.shrink(o, sz, hdr, total)?;
                return Ok(Some(payload(&l, o)));
            }
            if l.grow_in_place(o, sz, hdr, total)? {
                return Ok(Some(payload(&l, o)));
            }
            let Some(n) = l.malloc(total)? else {
                return Ok(Some(NonNull::dangling()));
            };
            let dst = payload(&l, n);
            // SAFETY: both payloads are live blocks of the area and distinct; the old one has
            // `sz - 4` bytes, fewer than the new one's.
            unsafe { std::ptr::copy_nonoverlapping(ptr, dst.as_ptr(), (sz - 4) as usize) };
            let hdr = l.rd(o)?;
            l.free_block(o, sz, hdr)?;
            Ok(Some(dst))
        })();
        match r {
            Ok(Some(p)) if p == NonNull::dangling() => Err(AllocError::Exhausted),
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(AllocError::Invalid),
            Err(Corrupt) => {
                Self::corrupt(&mut l);
                Err(AllocError::Corrupted)
            }
        }
    }

    /// Usable bytes of the live block at `ptr` (`None` if it is not one).
    pub fn usable_size(self, ptr: *mut u8) -> Option<u32> {
        let l = self.lock();
        match l.live_block(ptr) {
            Ok(Some((_, sz, _))) => Some(sz - 4),
            _ => None,
        }
    }

    /// Total, free and high-water bytes.
    pub fn stats(self) -> Stats {
        let l = self.lock();
        Stats {
            total: l.h.size,
            free: l.h.free_total,
            highmark: l.h.highmark,
        }
    }

    /// Whether corruption was detected.
    pub fn is_corrupted(self) -> bool {
        self.lock().h.corrupted != 0
    }

    /// Walk the whole heap and check every invariant (marks the heap corrupted if one fails).
    pub fn check(self) -> bool {
        let mut l = self.lock();
        if l.h.corrupted != 0 {
            return false;
        }
        let ok = l.check().is_ok();
        if !ok {
            Self::corrupt(&mut l);
        }
        ok
    }

    /// Point the heap at a copy of its block area in `new` (`len` bytes) after the caller
    /// copied the old pool there (WAMR's `mem_allocator_migrate`).
    ///
    /// # Safety
    /// `new` points to `len` writable bytes holding a byte copy of the pool buffer, which the
    /// heap uses exclusively from now on.
    pub unsafe fn migrate(self, new: *mut u8, len: u32) -> Result<(), MigrateError> {
        if new as usize % 8 != 0 {
            return Err(MigrateError::Unaligned);
        }
        let mut l = self.lock();
        let avail = (len as usize).saturating_sub(HEAD_PADDING) & !7;
        if new.is_null() || avail < l.h.size as usize {
            return Err(MigrateError::TooSmall);
        }
        if l.h.corrupted != 0 {
            return Err(MigrateError::Corrupted);
        }
        // SAFETY: `new + 4 .. new + 4 + size` is inside the caller's new buffer (checked).
        l.base = unsafe { new.add(HEAD_PADDING) };
        l.h.base = l.base as usize;
        if l.check().is_err() {
            Self::corrupt(&mut l);
            return Err(MigrateError::Corrupted);
        }
        Ok(())
    }

    /// Destroy the heap: its handle stops validating; the memory is the caller's again.
    ///
    /// # Safety
    /// No block of the heap is used afterwards and this `Pool` (and its copies) are dropped.
    pub unsafe fn destroy(self) {
        let l = self.lock();
        // SAFETY: the header is live until now (module invariant); the magic word is only
        // written here and at creation.
        unsafe { std::ptr::addr_of_mut!((*self.0.as_ptr()).magic).write(0) };
        drop(l);
    }
}

fn payload(l: &Locked<'_>, o: u32) -> NonNull<u8> {
    // SAFETY: `o + 4` is inside the block area (a block's payload), so it is non-null and in
    // the same allocation as `base`.
    unsafe { NonNull::new_unchecked(l.base.add(o as usize + 4)) }
}

#[cfg(test)]
#[path = "pool_tests.rs"]
mod tests;
