//! Linear memory that never moves.
//!
//! The whole maximum size is reserved up front as inaccessible virtual memory and pages are
//! made readable and writable as the memory grows. The base address therefore never changes,
//! so native pointers handed to C (`wasm_runtime_addr_app_to_native`) stay valid across
//! `memory.grow`. Memory never shrinks while the object lives.
//!
//! # Invariants
//! - `base .. base + reserved` is a private anonymous mapping owned by this object (or
//!   `reserved == 0` and `base` is dangling and never dereferenced), except for a *borrowed*
//!   memory ([`LinearMemory::borrowed`], a pre-allocated shared heap): `reserved == 0`, nothing
//!   is owned or unmapped, and `base .. base + len` is caller memory the creator vouched for;
//! - `base .. base + len` is readable and writable, with `len <= reserved` (`len` fixed for a
//!   borrowed memory), and `len` only grows;
//! - all guest-memory access goes through raw pointers with explicit bounds checks against
//!   `len`; no Rust reference to guest bytes outlives a single copy, because guest memory may
//!   change under us (other exec envs, C natives).

use std::ptr::NonNull;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use parking_lot::Mutex;

use crate::error::{Trap, TrapCode};
use crate::types::{MAX_WASM_PAGES, MemoryType, WASM_PAGE_SIZE};

/// A linear memory instance.
pub struct LinearMemory {
    base: NonNull<u8>,
    reserved: usize,
    len: AtomicUsize,
    max_pages: u64,
    ty: MemoryType,
    grow_lock: Mutex<()>,
    /// Growth may not take the size past this many bytes (the lowest app offset of an attached
    /// shared heap, see `shared_heap`); `u64::MAX` when nothing is attached.
    grow_ceiling: AtomicU64,
    /// Called (outside the grow lock) with the requested delta whenever a grow fails, from
    /// `memory.grow` and from the host alike (WAMR's enlarge-error callback).
    grow_failure_hook: OnceLock<GrowFailureHook>,
}

impl std::fmt::Debug for LinearMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinearMemory")
            .field("base", &self.base)
            .field("len", &self.len())
            .field("max_pages", &self.max_pages)
            .field("ty", &self.ty)
            .finish_non_exhaustive()
    }
}

/// See [`LinearMemory::set_grow_failure_hook`].
pub type GrowFailureHook = Box<dyn Fn(&LinearMemory, u64) + Send + Sync>;

// SAFETY: the mapping is owned by the object; concurrent access to guest bytes goes through raw
// pointers only (guest memory has no Rust-level aliasing guarantees), and `len` is atomic.
unsafe impl Send for LinearMemory {}
// SAFETY: as above; growth is serialised by `grow_lock`.
unsafe impl Sync for LinearMemory {}

impl LinearMemory {
    /// Create a memory of `ty.limits.min` pages that can grow to `max_pages` (already capped
    /// by the type's maximum and any embedder limit).
    pub fn new(ty: MemoryType, max_pages: u64) -> Result<LinearMemory, String> {
        Self::new_with_tail(ty, max_pages, 0)
    }

    /// Like [`LinearMemory::new`], plus `tail` bytes after the initial pages that are part of
    /// the memory without being a page of it (WAMR's app heap appended to a memory that cannot
    /// grow, see `app_heap_place`). Only meaningful when the memory cannot grow.
    pub(crate) fn new_with_tail(
        ty: MemoryType,
        max_pages: u64,
        tail: u64,
    ) -> Result<LinearMemory, String> {
        let max_pages = max_pages
            .min(ty.limits.max.unwrap_or(MAX_WASM_PAGES))
            .min(MAX_WASM_PAGES);
        let min = ty.limits.min;
        if min > max_pages || tail > u64::from(u32::MAX) {
            return Err("allocate memory failed".to_string());
        }
        let reserved = (max_pages * WASM_PAGE_SIZE + tail) as usize;
        let base = if reserved == 0 {
            NonNull::dangling()
        } else {
            // SAFETY: a fresh private anonymous PROT_NONE mapping; no existing memory is touched.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    reserved,
                    libc::PROT_NONE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if p == libc::MAP_FAILED {
                return Err("allocate memory failed".to_string());
            }
            NonNull::new(p.cast::<u8>()).ok_or("allocate memory failed")?
        };
        let mem = LinearMemory {
            base,
            reserved,
            len: AtomicUsize::new(0),
            max_pages,
            ty,
            grow_lock: Mutex::new(()),
            grow_ceiling: AtomicU64::new(u64::MAX),
            grow_failure_hook: OnceLock::new(),
        };
        let initial = min * WASM_PAGE_SIZE + tail;
        if initial > 0 && !mem.commit(initial as usize) {
            return Err("allocate memory failed".to_string());
        }
        Ok(mem)
    }

    /// A memory of `len` bytes over caller memory at `base` that it neither owns nor unmaps
    /// and that cannot grow (a pre-allocated shared heap, seen through the same bounded copies
    /// as linear memory).
    ///
    /// # Safety
    /// `[base, base + len)` must stay readable and writable for as long as the object lives.
    pub(crate) unsafe fn borrowed(base: NonNull<u8>, len: usize) -> LinearMemory {
        LinearMemory {
            base,
            reserved: 0,
            len: AtomicUsize::new(len),
            max_pages: 0,
            ty: MemoryType {
                limits: crate::types::Limits {
                    min: 0,
                    max: Some(0),
                },
                shared: false,
            },
            grow_lock: Mutex::new(()),
            grow_ceiling: AtomicU64::new(u64::MAX),
            grow_failure_hook: OnceLock::new(),
        }
    }

    /// Make `[0, new_len)` accessible. Caller holds `grow_lock` or owns `self` exclusively.
    fn commit(&self, new_len: usize) -> bool {
        let old = self.len.load(Ordering::Acquire);
        if new_len <= old {
            return true;
        }
        if new_len > self.reserved {
            return false;
        }
        // SAFETY: `[base, base + new_len)` lies inside our own reservation (checked above).
        let rc = unsafe {
            libc::mprotect(
                self.base.as_ptr().cast(),
                new_len,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        };
        if rc != 0 {
            return false;
        }
        self.len.store(new_len, Ordering::Release);
        true
    }

    /// The memory type.
    pub fn ty(&self) -> MemoryType {
        self.ty
    }

    /// Current size in bytes.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// True if the memory has no pages.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Current size in pages.
    pub fn pages(&self) -> u64 {
        self.len() as u64 / WASM_PAGE_SIZE
    }

    /// Maximum size in pages.
    pub fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// Base address (stable for the life of the memory).
    #[inline(always)]
    pub fn base(&self) -> *mut u8 {
        self.base.as_ptr()
    }

    /// Grow by `delta` pages. Returns the old size in pages, or `None` (memory unchanged).
    pub fn grow(&self, delta: u64) -> Option<u64> {
        let r = self.try_grow(delta);
        if r.is_none()
            && let Some(hook) = self.grow_failure_hook.get()
        {
            hook(self, delta);
        }
        r
    }

    fn try_grow(&self, delta: u64) -> Option<u64> {
        let _g = self.grow_lock.lock();
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages || new * WASM_PAGE_SIZE > self.grow_ceiling.load(Ordering::Acquire)
        {
            return None;
        }
        if delta > 0 && !self.commit((new * WASM_PAGE_SIZE) as usize) {
            return None;
        }
        Some(old)
    }

    /// Limit growth to `bytes` (a shared heap was attached below that app offset), or lift the
    /// limit with `u64::MAX`. Returns false, changing nothing, if the memory is already larger.
    pub(crate) fn set_grow_ceiling(&self, bytes: u64) -> bool {
        let _g = self.grow_lock.lock();
        if self.len() as u64 > bytes {
            return false;
        }
        self.grow_ceiling.store(bytes, Ordering::Release);
        true
    }

    /// Install the hook run after every failed [`LinearMemory::grow`] (first caller wins;
    /// false if one is already installed).
    pub fn set_grow_failure_hook(&self, hook: GrowFailureHook) -> bool {
        self.grow_failure_hook.set(hook).is_ok()
    }

    /// Check that `[offset, offset + len)` is inside the memory (64-bit arithmetic).
    #[inline]
    pub fn check_range(&self, offset: u64, len: u64) -> Result<usize, Trap> {
        match offset.checked_add(len) {
            Some(end) if end <= self.len() as u64 => Ok(offset as usize),
            _ => Err(Trap::Code(TrapCode::MemoryOutOfBounds)),
        }
    }

    /// Copy guest bytes out.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), Trap> {
        let off = self.check_range(offset, buf.len() as u64)?;
        // SAFETY: the range is inside the accessible part of our mapping (checked above) and
        // `buf` is a distinct Rust allocation.
        unsafe {
            std::ptr::copy_nonoverlapping(self.base().add(off), buf.as_mut_ptr(), buf.len());
        }
        Ok(())
    }

    /// Copy bytes into guest memory.
    pub fn write(&self, offset: u64, data: &[u8]) -> Result<(), Trap> {
        let off = self.check_range(offset, data.len() as u64)?;
        // SAFETY: as in `read`; the destination range is inside the accessible mapping.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.base().add(off), data.len());
        }
        Ok(())
    }

    /// `memory.fill`.
    pub fn fill(&self, offset: u64, val: u8, len: u64) -> Result<(), Trap> {
        let off = self.check_range(offset, len)?;
        // SAFETY: the range is inside the accessible mapping (checked above).
        unsafe { std::ptr::write_bytes(self.base().add(off), val, len as usize) };
        Ok(())
    }

    /// `memory.copy` within this memory (overlap allowed).
    pub fn copy_within(&self, dst: u64, src: u64, len: u64) -> Result<(), Trap> {
        let d = self.check_range(dst, len)?;
        let s = self.check_range(src, len)?;
        // SAFETY: both ranges are inside the accessible mapping; `copy` handles overlap.
        unsafe { std::ptr::copy(self.base().add(s), self.base().add(d), len as usize) };
        Ok(())
    }

    /// Copy `len` bytes from `src` (another memory) into this one.
    pub fn copy_from(
        &self,
        dst: u64,
        src_mem: &LinearMemory,
        src: u64,
        len: u64,
    ) -> Result<(), Trap> {
        let d = self.check_range(dst, len)?;
        let s = src_mem.check_range(src, len)?;
        // SAFETY: both ranges are inside accessible mappings; `copy` tolerates overlap.
        unsafe { std::ptr::copy(src_mem.base().add(s), self.base().add(d), len as usize) };
        Ok(())
    }

    /// Read a NUL-terminated string starting at `offset`, scanning at most `max` bytes; the
    /// bytes are copied (a snapshot, so later guest writes cannot change what the host sees).
    pub fn read_cstr(&self, offset: u64, max: usize) -> Result<Vec<u8>, Trap> {
        let len = self.len() as u64;
        if offset >= len {
            return Err(Trap::Code(TrapCode::MemoryOutOfBounds));
        }
        let avail = ((len - offset) as usize).min(max);
        let mut out = Vec::new();
        for i in 0..avail {
            // SAFETY: `offset + i < len`: inside the accessible mapping.
            let b = unsafe { *self.base().add(offset as usize + i) };
            if b == 0 {
                return Ok(out);
            }
            out.push(b);
        }
        Err(Trap::Code(TrapCode::MemoryOutOfBounds))
    }
}

impl Drop for LinearMemory {
    fn drop(&mut self) {
        if self.reserved != 0 {
            // SAFETY: we own the mapping of exactly `reserved` bytes at `base`.
            unsafe { libc::munmap(self.base.as_ptr().cast(), self.reserved) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Limits;

    fn ty(min: u64, max: Option<u64>) -> MemoryType {
        MemoryType {
            limits: Limits { min, max },
            shared: false,
        }
    }

    #[test]
    fn grows_without_moving() {
        let m = LinearMemory::new(ty(1, Some(4)), MAX_WASM_PAGES).unwrap();
        let base = m.base();
        m.write(65530, &[1, 2, 3, 4, 5, 6]).unwrap();
        assert!(m.write(65535, &[1, 2]).is_err());
        assert_eq!(m.grow(2), Some(1));
        assert_eq!(m.base(), base);
        m.write(65535, &[7, 8]).unwrap();
        let mut b = [0u8; 3];
        m.read(65534, &mut b).unwrap();
        assert_eq!(b, [5, 7, 8]);
        assert_eq!(m.grow(2), None);
        assert_eq!(m.grow(1), Some(3));
        assert_eq!(m.pages(), 4);
    }

    #[test]
    fn range_checks_use_64_bit_arithmetic() {
        let m = LinearMemory::new(ty(1, None), 2).unwrap();
        assert!(m.check_range(u64::MAX - 1, 4).is_err());
        assert!(m.check_range(0xFFFF_FFF0, 0x20).is_err());
        assert!(m.check_range(65532, 4).is_ok());
        assert_eq!(m.read_cstr(65535, 100).unwrap(), b"");
        m.write(65534, b"ab").unwrap();
        assert!(m.read_cstr(65534, 100).is_err());
        assert_eq!(
            m.read_cstr(65534, 1).unwrap_err(),
            Trap::Code(TrapCode::MemoryOutOfBounds)
        );
    }
}
