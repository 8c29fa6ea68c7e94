//! Guest memory views (capability-model.md §4): the one way host code reads
//! or writes a guest's linear memory.
//!
//! * [`GuestRange`] — a range `[off, off + len)` of one linear memory with
//!   `LOAD`/`STORE` permissions, checked with 64-bit arithmetic against the
//!   memory's current size when it is made. It carries the capability it is
//!   (`mem_cap.set_addr(off).set_bounds_exact(len).and_perms(perms)`), and
//!   every read/write is a `check_access` of that capability. Memories never
//!   shrink or move, so a range stays valid as long as its memory lives; the
//!   borrow of the memory keeps it alive, and a Rust native cannot hold one
//!   across a call back into wasm (that needs `&mut Caller`):
//!
//!   ```compile_fail
//!   use cwamr::cap::{GuestRange, Perms};
//!   fn native(caller: &mut cwamr::Caller<'_>, f: cwamr::FuncAddr) {
//!       let mem = caller.memory().unwrap();
//!       let view = GuestRange::new(mem, 0, 4, Perms::LOAD).unwrap();
//!       caller.call_raw(f, &mut []).unwrap(); // error: `caller` is borrowed by `view`
//!       let _ = view.len();
//!   }
//!   ```
//!
//!   A range may also lie in a region *delegated* to the guest outside its
//!   linear memory (a shared heap attached at high app offsets):
//!   [`GuestRange::delegated`] derives it from the delegation's own capability
//!   (revoked when the delegation ends) over the bytes that back it; offsets
//!   stay app offsets. The runtime's `app_space` decides which region an app
//!   address falls in; this type only checks and copies.
//! * [`GuestStr`] — a NUL-terminated guest string, scanned for at most
//!   [`max_str`] bytes and *copied*: the host sees a snapshot that later guest
//!   writes (other threads) cannot change (no TOCTOU, WAMR #4610).
//! * Strict mode ([`strict_mode`], `CWAMR_STRICT=1`): the C API hands out
//!   bounded views ([`ViewTable`](crate::runtime::guest::ViewTable)) instead of raw
//!   pointers, and natives may not take a `*` argument without its `~` length.
//!
//! Refusals are [`CapFault`]s; the caller maps them to the trap `out of
//! bounds memory access` and may record them ([`record_guest_fault`]).

#![forbid(unsafe_code)]

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use crate::cap::CapRoots;
use crate::cap::Perms;
use crate::cap::ReprModel;
use crate::cap::violation;
use crate::cap::{Cap, CapFault};
use crate::cap::{RegionId, RegionTable};
use crate::runtime::LinearMemory;

/// Permissions a guest view may carry.
pub const VIEW_PERMS: Perms = Perms::LOAD.union(Perms::STORE);

/// Default bound of a string scan (`CWAMR_MAX_STR`), 64 KiB.
pub const DEFAULT_MAX_STR: u64 = 64 * 1024;

/// The capability space guest views are derived in. Views are transient,
/// borrow-scoped objects, so they share one region; long-lived grants
/// (delegations, C views) get regions of their own.
struct GuestSpace {
    roots: CapRoots,
    region: RegionId,
    /// The region's generation (the region is never revoked).
    generation: u32,
}

fn space() -> &'static GuestSpace {
    static S: OnceLock<GuestSpace> = OnceLock::new();
    S.get_or_init(|| {
        let roots = CapRoots::new(ReprModel::Exact)
            .unwrap_or_else(|| panic!("capability roots exhausted (2^32 runtimes created)"));
        let (region, generation) = roots
            .new_region(0, u64::MAX, VIEW_PERMS)
            .map_or((RegionId::NONE, 0), |c| (c.region(), c.region_gen()));
        GuestSpace {
            roots,
            region,
            generation,
        }
    })
}

/// The capability of a whole memory of `len` bytes: `[0, len)`, `LOAD|STORE`,
/// data only (never `LOAD_CAP`/`STORE_CAP`), not GLOBAL.
#[inline]
pub fn memory_cap(len: u64) -> Cap {
    let s = space();
    Cap::root(s.region, s.generation, 0, len, VIEW_PERMS, ReprModel::Exact)
}

/// A checked range of a guest's linear memory (or of a region delegated to it).
#[derive(Clone, Copy)]
pub struct GuestRange<'m> {
    /// The bytes: byte 0 of `mem` is app offset `bias`.
    mem: &'m LinearMemory,
    /// App offset of `mem`'s byte 0 (0 for linear memory).
    bias: u64,
    /// The range's capability, in app offsets.
    cap: Cap,
    /// The region table `cap` is checked against.
    regions: &'m RegionTable,
}

impl std::fmt::Debug for GuestRange<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuestRange")
            .field("off", &self.cap.base())
            .field("len", &self.cap.length())
            .field("perms", &self.cap.perms())
            .finish()
    }
}

impl<'m> GuestRange<'m> {
    /// The range `[off, off + len)` of `mem` with `perms ⊆ LOAD | STORE`:
    /// `Err(Bounds)` unless `off + len <= mem.len()` (no wrap-around, any
    /// 64-bit inputs), `Err(Perm)` for other permissions.
    #[inline]
    pub fn new(mem: &'m LinearMemory, off: u64, len: u64, perms: Perms) -> Result<Self, CapFault> {
        let excess = perms - VIEW_PERMS;
        if !excess.is_empty() {
            return Err(CapFault::Perm(excess));
        }
        let cap = memory_cap(mem.len() as u64)
            .try_set_addr(off)?
            .set_bounds_exact(len)?
            .try_and_perms(perms)?;
        Ok(GuestRange {
            mem,
            bias: 0,
            cap,
            regions: space().roots.regions(),
        })
    }

    /// The range `[off, off + len)` (app offsets) of a delegated region whose capability is
    /// `grant` (checked against `regions`) and whose bytes are `mem`, byte 0 being app offset
    /// `bias`. `Err` unless `grant` is live and covers the range with `perms`, and the range
    /// lies inside `mem`.
    pub fn delegated(
        mem: &'m LinearMemory,
        bias: u64,
        grant: Cap,
        regions: &'m RegionTable,
        off: u64,
        len: u64,
        perms: Perms,
    ) -> Result<Self, CapFault> {
        let excess = perms - VIEW_PERMS;
        if !excess.is_empty() {
            return Err(CapFault::Perm(excess));
        }
        grant.check_access(regions, off, len, perms)?;
        let rel = off.checked_sub(bias).ok_or(CapFault::Bounds)?;
        mem.check_range(rel, len).map_err(|_| CapFault::Bounds)?;
        let cap = grant
            .try_set_addr(off)?
            .set_bounds_exact(len)?
            .try_and_perms(perms)?;
        Ok(GuestRange {
            mem,
            bias,
            cap,
            regions,
        })
    }

    /// Start offset in linear memory.
    pub fn offset(&self) -> u64 {
        self.cap.base()
    }

    /// Length in bytes.
    pub fn len(&self) -> u64 {
        self.cap.length()
    }

    /// True for an empty range.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Permissions.
    pub fn perms(&self) -> Perms {
        self.cap.perms()
    }

    /// The capability this range is.
    pub fn cap(&self) -> Cap {
        self.cap
    }

    /// The memory.
    pub fn memory(&self) -> &'m LinearMemory {
        self.mem
    }

    /// Address of the first byte, for a C native (compat mode). Valid while
    /// the memory lives (it never moves); the native may still overrun it —
    /// software cannot bound a raw pointer (capability-model.md §10).
    pub fn native_ptr(&self) -> *mut u8 {
        self.mem
            .base()
            .wrapping_add((self.cap.base() - self.bias) as usize)
    }

    /// Checks an access of `n` bytes at `at` (relative) needing `need`;
    /// returns the offset in `mem`.
    #[inline]
    fn check(&self, at: u64, n: u64, need: Perms) -> Result<u64, CapFault> {
        let addr = self.cap.base().checked_add(at).ok_or(CapFault::Bounds)?;
        self.cap
            .check_access(self.regions, addr, n, need)
            .map(|r| r.start - self.bias)
    }

    /// Fills `n` bytes at relative offset `at` with `val` (needs `STORE`).
    pub fn fill(&self, at: u64, val: u8, n: u64) -> Result<(), CapFault> {
        let abs = self.check(at, n, Perms::STORE)?;
        self.mem.fill(abs, val, n).map_err(|_| CapFault::Bounds)
    }

    /// Copies `buf.len()` bytes at relative offset `at` out (needs `LOAD`).
    pub fn read(&self, at: u64, buf: &mut [u8]) -> Result<(), CapFault> {
        let abs = self.check(at, buf.len() as u64, Perms::LOAD)?;
        self.mem.read(abs, buf).map_err(|_| CapFault::Bounds)
    }

    /// Copies `data` in at relative offset `at` (needs `STORE`).
    pub fn write(&self, at: u64, data: &[u8]) -> Result<(), CapFault> {
        let abs = self.check(at, data.len() as u64, Perms::STORE)?;
        self.mem.write(abs, data).map_err(|_| CapFault::Bounds)
    }

    /// The whole range, copied out (needs `LOAD`).
    pub fn to_vec(&self) -> Result<Vec<u8>, CapFault> {
        let mut v = vec![0u8; usize::try_from(self.len()).map_err(|_| CapFault::Bounds)?];
        self.read(0, &mut v)?;
        Ok(v)
    }

    /// Copies `len` bytes from `src` at `src_at` to `dst` at `dst_at` (needs
    /// `LOAD` on `src`, `STORE` on `dst`; the memories may differ and the
    /// ranges may overlap).
    pub fn copy(
        dst: &GuestRange<'_>,
        dst_at: u64,
        src: &GuestRange<'_>,
        src_at: u64,
        len: u64,
    ) -> Result<(), CapFault> {
        let d = dst.check(dst_at, len, Perms::STORE)?;
        let s = src.check(src_at, len, Perms::LOAD)?;
        dst.mem
            .copy_from(d, src.mem, s, len)
            .map_err(|_| CapFault::Bounds)
    }
}

/// Where a guest's app offsets resolve, for code that validates guest pointers (native
/// arguments): a linear memory alone, or the runtime's `AppSpace` (linear memory plus the
/// regions delegated to the guest, such as an attached shared heap).
pub trait GuestAddrSpace {
    /// The checked range `[off, off + len)` with `perms`.
    fn range(&self, off: u64, len: u64, perms: Perms) -> Result<GuestRange<'_>, CapFault>;
    /// A snapshot of the NUL-terminated string at `off`, scanning at most `max` bytes.
    fn c_string(&self, off: u64, max: u64) -> Result<GuestStr, CapFault>;
    /// The linear memory (refusals are recorded against it).
    fn linear(&self) -> Option<&LinearMemory>;
}

impl GuestAddrSpace for LinearMemory {
    fn range(&self, off: u64, len: u64, perms: Perms) -> Result<GuestRange<'_>, CapFault> {
        GuestRange::new(self, off, len, perms)
    }

    fn c_string(&self, off: u64, max: u64) -> Result<GuestStr, CapFault> {
        GuestStr::snapshot(self, off, max)
    }

    fn linear(&self) -> Option<&LinearMemory> {
        Some(self)
    }
}

/// A snapshot of a NUL-terminated guest string.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GuestStr {
    offset: u64,
    /// The bytes followed by one NUL.
    bytes: Vec<u8>,
}

impl GuestStr {
    /// Scans `mem` from `off` for a NUL within `max` bytes (and before the end
    /// of memory) and copies the string: `Err(Bounds)` if there is none.
    pub fn snapshot(mem: &LinearMemory, off: u64, max: u64) -> Result<GuestStr, CapFault> {
        let max = usize::try_from(max).unwrap_or(usize::MAX);
        let mut bytes = mem.read_cstr(off, max).map_err(|_| CapFault::Bounds)?;
        bytes.push(0);
        Ok(GuestStr { offset: off, bytes })
    }

    /// [`GuestStr::snapshot`] of the string at app offset `off` of a delegated region (see
    /// [`GuestRange::delegated`]): the whole string and its NUL must lie inside the region
    /// (and within `max` bytes), and `grant` must allow loading from its first byte.
    pub fn snapshot_delegated(
        mem: &LinearMemory,
        bias: u64,
        grant: Cap,
        regions: &RegionTable,
        off: u64,
        max: u64,
    ) -> Result<GuestStr, CapFault> {
        grant.check_access(regions, off, 1, Perms::LOAD)?;
        let rel = off.checked_sub(bias).ok_or(CapFault::Bounds)?;
        let avail = grant.top().saturating_sub(off).min(max);
        let avail = usize::try_from(avail).unwrap_or(usize::MAX);
        let mut bytes = mem.read_cstr(rel, avail).map_err(|_| CapFault::Bounds)?;
        bytes.push(0);
        Ok(GuestStr { offset: off, bytes })
    }

    /// Offset of the string in guest memory.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The bytes, without the NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - 1]
    }

    /// The bytes with the terminating NUL.
    pub fn as_bytes_with_nul(&self) -> &[u8] {
        &self.bytes
    }

    /// A C string pointer to the snapshot (valid while `self` lives).
    pub fn as_c_ptr(&self) -> *const u8 {
        self.bytes.as_ptr()
    }

    /// Length without the NUL.
    pub fn len(&self) -> usize {
        self.bytes.len() - 1
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The string as UTF-8.
    pub fn to_str(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(self.as_bytes())
    }
}

/// Bound of a string scan: `CWAMR_MAX_STR` (bytes) if set, else 64 KiB;
/// overridable with [`set_max_str`].
pub fn max_str() -> u64 {
    static FROM_ENV: OnceLock<u64> = OnceLock::new();
    match MAX_STR_OVERRIDE.load(Ordering::Relaxed) {
        0 => *FROM_ENV.get_or_init(|| {
            std::env::var("CWAMR_MAX_STR")
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|&n| n > 0)
                .unwrap_or(DEFAULT_MAX_STR)
        }),
        n => n,
    }
}

static MAX_STR_OVERRIDE: AtomicU64 = AtomicU64::new(0);

/// Sets the string-scan bound (0 restores the environment/default value).
pub fn set_max_str(n: u64) {
    MAX_STR_OVERRIDE.store(n, Ordering::Relaxed);
}

/// 0 = from the environment, 1 = off, 2 = on.
static STRICT: AtomicU8 = AtomicU8::new(0);

/// Strict mode: `CWAMR_STRICT=1` in the environment, unless overridden by
/// [`set_strict_mode`].
pub fn strict_mode() -> bool {
    static FROM_ENV: OnceLock<bool> = OnceLock::new();
    match STRICT.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => *FROM_ENV.get_or_init(|| std::env::var("CWAMR_STRICT").is_ok_and(|v| v.trim() == "1")),
    }
}

/// Forces strict mode on or off (`None`: back to the environment).
pub fn set_strict_mode(on: Option<bool>) {
    STRICT.store(
        match on {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        },
        Ordering::Relaxed,
    );
}

/// Records a refused guest access `[off, off + len)` needing `perms` by
/// `compartment` in the violation log and returns the fault.
pub fn record_guest_fault(
    fault: CapFault,
    mem: &LinearMemory,
    off: u64,
    len: u64,
    perms: Perms,
    compartment: Option<u32>,
) -> CapFault {
    let cap = memory_cap(mem.len() as u64).and_perms(perms);
    violation::record_cap_fault(fault, &cap, off, len, compartment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Limits, MemoryType};

    fn mem(pages: u64) -> LinearMemory {
        let ty = MemoryType {
            limits: Limits {
                min: pages,
                max: Some(pages + 1),
            },
            shared: false,
        };
        LinearMemory::new(ty, pages + 1).unwrap()
    }

    #[test]
    fn ranges_check_64_bit_bounds() {
        let m = mem(1);
        let size = m.len() as u64;
        assert!(GuestRange::new(&m, size - 4, 4, VIEW_PERMS).is_ok());
        assert!(GuestRange::new(&m, size, 0, VIEW_PERMS).is_ok());
        for (off, len) in [
            (size - 4, 16),
            (0xFFFF_FFF0, 0x20),
            (u64::MAX - 8, 16),
            (8, u64::MAX),
            (size + 1, 0),
            (0, (1u64 << 32) + 8),
        ] {
            assert_eq!(
                GuestRange::new(&m, off, len, Perms::LOAD).unwrap_err(),
                CapFault::Bounds,
                "{off:#x}+{len:#x}"
            );
        }
        assert_eq!(
            GuestRange::new(&m, 0, 4, Perms::LOAD | Perms::EXECUTE).unwrap_err(),
            CapFault::Perm(Perms::EXECUTE)
        );
    }

    #[test]
    fn permissions_and_relative_access() {
        let m = mem(1);
        let ro = GuestRange::new(&m, 100, 8, Perms::LOAD).unwrap();
        assert_eq!(ro.write(0, b"x"), Err(CapFault::Perm(Perms::STORE)));
        let rw = GuestRange::new(&m, 100, 8, VIEW_PERMS).unwrap();
        rw.write(4, b"abcd").unwrap();
        assert_eq!(rw.write(5, b"abcd"), Err(CapFault::Bounds));
        assert_eq!(rw.write(u64::MAX, b"a"), Err(CapFault::Bounds));
        let mut b = [0u8; 4];
        ro.read(4, &mut b).unwrap();
        assert_eq!(&b, b"abcd");
        assert_eq!(ro.to_vec().unwrap(), b"\0\0\0\0abcd");
        let dst = GuestRange::new(&m, 200, 8, VIEW_PERMS).unwrap();
        GuestRange::copy(&dst, 0, &ro, 4, 4).unwrap();
        assert_eq!(
            GuestRange::copy(&ro, 0, &dst, 0, 4),
            Err(CapFault::Perm(Perms::STORE))
        );
        assert_eq!(
            ro.native_ptr() as usize - m.base() as usize,
            100,
            "pointer is base + offset"
        );
    }

    #[test]
    fn strings_are_bounded_snapshots() {
        let m = mem(1);
        m.write(10, b"hello\0world").unwrap();
        let s = GuestStr::snapshot(&m, 10, 64).unwrap();
        assert_eq!(s.to_str().unwrap(), "hello");
        assert_eq!(s.as_bytes_with_nul(), b"hello\0");
        m.write(10, b"HELLO").unwrap();
        assert_eq!(s.as_bytes(), b"hello");
        assert_eq!(GuestStr::snapshot(&m, 10, 5), Err(CapFault::Bounds));
        let end = m.len() as u64;
        m.write(end - 3, b"abc").unwrap();
        assert_eq!(GuestStr::snapshot(&m, end - 3, 64), Err(CapFault::Bounds));
        assert_eq!(GuestStr::snapshot(&m, end, 64), Err(CapFault::Bounds));
    }
}
