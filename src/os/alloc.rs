//! The crate's global allocator: every Rust allocation of the runtime goes to the source the
//! embedder chose with `wasm_runtime_full_init` (`RuntimeInitArgs.mem_alloc_type`):
//!
//! - [`Source::System`] (the default, and again after `wasm_runtime_destroy`): the C library's
//!   allocator. The overhead over `System` is one relaxed atomic load per call.
//! - [`Source::Pool`]: a [`Pool`] inside the embedder's buffer (`Alloc_With_Pool`).
//! - [`Source::User`]: the embedder's `malloc`/`realloc`/`free` (`Alloc_With_Allocator`).
//!
//! # Routing frees
//! A block must go back to the allocator that produced it, whatever the mode is now (blocks
//! made before `full_init` are freed during pool mode, and so on):
//! - a pointer inside the pool's block area belongs to the pool (address range: the pool's
//!   payloads all lie in `[POOL_START, POOL_END)` and no system or user block can, because that
//!   memory is the embedder's buffer, which neither malloc hands out while it is lent to us);
//! - a user-mode block is recorded in a registry (an open-addressing table, itself allocated
//!   with the user's `malloc`) from allocation to free: an address says nothing about which
//!   `malloc` produced it (the user's may well wrap the C library's), and a header on user
//!   blocks cannot be recognised on free without knowing the block had one. The registry is
//!   consulted only while it is non-empty, so it costs nothing in system mode;
//! - anything else came from the system allocator.
//!
//! When the runtime is destroyed the mode goes back to System. The pool's buffer is the
//! embedder's again, so no pool block may outlive `wasm_runtime_destroy`: the runtime frees
//! its objects there, and process-lifetime structures (handle tables whose generations must
//! survive a re-init, per-thread scratch buffers) are allocated [`outside`] the pool (from the
//! system) and reserved before the mode switch, so that the usual load/instantiate/call
//! sequence never touches the system heap in pool mode. [`reset`] reports what is left. User
//! blocks left after destroy stay registered and are freed with the user's `free` later.
//!
//! The mode is process-wide: in a C program only the runtime's code allocates through it, but a
//! Rust program that links cwamr and selects a pool sends *all* its Rust allocations there
//! until destroy (tests/pool_mode.rs therefore runs without the libtest harness). Threads other
//! than the one calling `wasm_runtime_destroy` drop their cached runtime objects in
//! `wasm_runtime_destroy_thread_env` (WAMR requires the call too) or when they exit before
//! destroy.
//!
//! # Exhaustion
//! Stable Rust aborts the process when the global allocator returns NULL, so an exhausted pool
//! (or a user `malloc` returning NULL) must not fail a Rust allocation: the block comes from
//! the system heap instead and a per-thread flag is raised. The API entry points that can
//! exhaust memory (load, instantiate, calls) clear the flag before their work and check it
//! after ([`watch`]); when it was raised they free what they built and fail with WAMR's
//! `allocate memory failed` error, so the embedder sees a clean failure and the runtime stays
//! usable. The limit: the system heap briefly holds the overflow of one operation.
//! `wasm_runtime_malloc` and `mem_allocator_malloc` return NULL straight from the pool.
//!
//! # Invariants
//! - `MODE` changes only in [`set_source`] (from System) and [`reset`] (to System), which the
//!   runtime calls in `full_init` and the last `wasm_runtime_destroy`; the pool, the user
//!   functions and the range are published before `MODE` (release) and read after it
//!   (acquire).
//! - The pool handle in `POOL` is live while `MODE == POOL` (the embedder's buffer is lent
//!   until destroy) and the registry only holds blocks of the user's `malloc`.
//! - The allocator never allocates through itself and its locks (the pool's, the registry's)
//!   spin and yield; they never park or allocate.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::{c_uint, c_void};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, AtomicU8, AtomicUsize, Ordering};

use super::pool::Pool;

/// `malloc_func` of `Alloc_With_Allocator` (WAMR's default-build signature).
pub type UserMalloc = unsafe extern "C" fn(c_uint) -> *mut c_void;
/// `realloc_func`.
pub type UserRealloc = unsafe extern "C" fn(*mut c_void, c_uint) -> *mut c_void;
/// `free_func`.
pub type UserFree = unsafe extern "C" fn(*mut c_void);

/// Where runtime memory comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// The C library's allocator.
    System,
    /// A pool in the embedder's buffer.
    Pool(Pool),
    /// The embedder's functions.
    User {
        /// `malloc_func`.
        malloc: UserMalloc,
        /// `realloc_func` (optional).
        realloc: Option<UserRealloc>,
        /// `free_func`.
        free: UserFree,
    },
}

const SYSTEM: u8 = 0;
const POOL: u8 = 1;
const USER: u8 = 2;
const SOURCE_BITS: u8 = 3;
/// Set in `MODE` while some thread runs [`measure_largest`] (keeps the fast path one load).
const OBSERVED: u8 = 4;

static MODE: AtomicU8 = AtomicU8::new(SYSTEM);
static POOL_HEAP: AtomicPtr<c_void> = AtomicPtr::new(null_mut());
static POOL_START: AtomicUsize = AtomicUsize::new(0);
static POOL_END: AtomicUsize = AtomicUsize::new(0);
static USER_MALLOC: AtomicUsize = AtomicUsize::new(0);
static USER_REALLOC: AtomicUsize = AtomicUsize::new(0);
static USER_FREE: AtomicUsize = AtomicUsize::new(0);
/// Which frees need routing: [`LENT_POOL`] while a pool is lent, [`USER_BLOCKS`] while the
/// registry may hold blocks (user mode, or user blocks left after it). 0: all system blocks.
static ROUTE: AtomicU8 = AtomicU8::new(0);
const LENT_POOL: u8 = 1;
const USER_BLOCKS: u8 = 2;
/// A destroyed runtime left blocks in its pool: frees into that range are dropped.
const RETIRED_POOL: u8 = 4;
/// The range of the last pool that was retired with blocks still in it (see [`reset`]).
static RETIRED_START: AtomicUsize = AtomicUsize::new(0);
static RETIRED_END: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Depth of [`outside`] scopes on this thread.
    static OUTSIDE: Cell<u32> = const { Cell::new(0) };
    /// Raised when an allocation fell back to the system heap (see the module docs).
    static FELL_BACK: Cell<bool> = const { Cell::new(false) };
    /// Largest allocation on this thread while [`measure_largest`] runs (`usize::MAX`: off).
    static LARGEST: Cell<usize> = const { Cell::new(usize::MAX) };
}

static OBSERVERS: AtomicUsize = AtomicUsize::new(0);

fn note(mode: u8, n: usize) {
    if mode & OBSERVED != 0 {
        let _ = LARGEST.try_with(|c| {
            if c.get() != usize::MAX && n > c.get() {
                c.set(n);
            }
        });
    }
}

/// Run `f` and return the size of the largest single allocation it made on this thread (for
/// tests that bound what a loader may allocate; a crate-level allocator of their own would
/// conflict with this one).
pub fn measure_largest<R>(f: impl FnOnce() -> R) -> (R, usize) {
    if OBSERVERS.fetch_add(1, Ordering::AcqRel) == 0 {
        MODE.fetch_or(OBSERVED, Ordering::AcqRel);
    }
    let _ = LARGEST.try_with(|c| c.set(0));
    let r = f();
    let largest = LARGEST.try_with(|c| c.replace(usize::MAX)).unwrap_or(0);
    if OBSERVERS.fetch_sub(1, Ordering::AcqRel) == 1 {
        MODE.fetch_and(!OBSERVED, Ordering::AcqRel);
    }
    (r, largest)
}

fn source() -> u8 {
    MODE.load(Ordering::Acquire) & SOURCE_BITS
}

/// The global allocator (installed in `lib.rs`).
pub struct RuntimeAlloc;

fn outside_active() -> bool {
    OUTSIDE.try_with(Cell::get).unwrap_or(1) > 0
}

fn raise_fallback() {
    let _ = FELL_BACK.try_with(|f| f.set(true));
}

fn pool() -> Option<Pool> {
    // SAFETY: `POOL_HEAP` holds a live heap while the mode is POOL (module invariant) and
    // NULL otherwise.
    unsafe { Pool::from_raw(POOL_HEAP.load(Ordering::Acquire)) }
}

/// The active pool, if the runtime runs in pool mode.
pub fn current_pool() -> Option<Pool> {
    if source() == POOL { pool() } else { None }
}

fn in_pool(p: *mut u8) -> bool {
    let a = p as usize;
    a >= POOL_START.load(Ordering::Acquire) && a < POOL_END.load(Ordering::Acquire)
}

struct UserFns {
    malloc: UserMalloc,
    realloc: Option<UserRealloc>,
    free: UserFree,
}

fn user_fns() -> Option<UserFns> {
    let m = USER_MALLOC.load(Ordering::Acquire);
    let f = USER_FREE.load(Ordering::Acquire);
    let r = USER_REALLOC.load(Ordering::Acquire);
    if m == 0 || f == 0 {
        return None;
    }
    // SAFETY: the words hold function pointers of these types stored by `set_source` (or 0,
    // excluded above / mapped to None).
    unsafe {
        Some(UserFns {
            malloc: std::mem::transmute::<usize, UserMalloc>(m),
            realloc: (r != 0).then(|| std::mem::transmute::<usize, UserRealloc>(r)),
            free: std::mem::transmute::<usize, UserFree>(f),
        })
    }
}

/// Run `f` with this thread's allocations going to the system allocator whatever the mode
/// (for process- and thread-lifetime structures that outlive a pool).
pub fn outside<R>(f: impl FnOnce() -> R) -> R {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            let _ = OUTSIDE.try_with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
    let _ = OUTSIDE.try_with(|d| d.set(d.get() + 1));
    let _leave = Leave;
    f()
}

/// Run `f` and report whether any of its allocations had to fall back to the system heap
/// because the configured source was exhausted.
pub fn watch<R>(f: impl FnOnce() -> R) -> (R, bool) {
    let before = FELL_BACK.try_with(|f| f.replace(false)).unwrap_or(false);
    let r = f();
    let fell = FELL_BACK.try_with(|f| f.replace(before)).unwrap_or(false);
    let _ = FELL_BACK.try_with(|f| f.set(before || fell));
    (r, fell)
}

/// Whether the runtime is in a non-system mode.
pub fn is_routed() -> bool {
    source() != SYSTEM
}

/// Switch the source (only from System). False if another source is active.
pub fn set_source(s: Source) -> bool {
    if source() != SYSTEM {
        return false;
    }
    match s {
        Source::System => true,
        Source::Pool(p) => {
            let (start, end) = p.range();
            POOL_HEAP.store(p.as_raw(), Ordering::Release);
            POOL_START.store(start, Ordering::Release);
            POOL_END.store(end, Ordering::Release);
            ROUTE.fetch_or(LENT_POOL, Ordering::AcqRel);
            MODE.fetch_or(POOL, Ordering::AcqRel);
            true
        }
        Source::User {
            malloc,
            realloc,
            free,
        } => {
            USER_MALLOC.store(malloc as usize, Ordering::Release);
            USER_REALLOC.store(realloc.map_or(0, |r| r as usize), Ordering::Release);
            USER_FREE.store(free as usize, Ordering::Release);
            ROUTE.fetch_or(USER_BLOCKS, Ordering::AcqRel);
            MODE.fetch_or(USER, Ordering::AcqRel);
            true
        }
    }
}

/// What was still allocated from the previous source when the mode went back to System.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Leftover {
    /// Bytes still in use in the pool.
    pub pool_bytes: u32,
    /// User blocks still registered.
    pub user_blocks: usize,
}

/// Go back to the system allocator (the last `wasm_runtime_destroy`).
pub fn reset() -> Leftover {
    let mode = MODE.fetch_and(!SOURCE_BITS, Ordering::AcqRel) & SOURCE_BITS;
    let mut left = Leftover::default();
    if mode == POOL {
        if let Some(p) = pool() {
            let st = p.stats();
            left.pool_bytes = st.total - st.free;
        }
        if left.pool_bytes > 0 {
            // Blocks still in the buffer (a leak of the embedder's or a thread's cache) must
            // never reach the system `free` when they are released later: remember the range
            // and drop such frees. The buffer is the embedder's again; we only forget blocks.
            RETIRED_START.store(POOL_START.load(Ordering::Acquire), Ordering::Release);
            RETIRED_END.store(POOL_END.load(Ordering::Acquire), Ordering::Release);
            ROUTE.fetch_or(RETIRED_POOL, Ordering::AcqRel);
        }
        ROUTE.fetch_and(!LENT_POOL, Ordering::AcqRel);
        POOL_START.store(0, Ordering::Release);
        POOL_END.store(0, Ordering::Release);
        POOL_HEAP.store(null_mut(), Ordering::Release);
    }
    if mode == USER {
        left.user_blocks = registry::len();
        if left.user_blocks == 0 {
            registry::release();
            ROUTE.fetch_and(!USER_BLOCKS, Ordering::AcqRel);
        }
    }
    left
}

/// `wasm_runtime_malloc`: from the pool (NULL when exhausted), the user's malloc or the system.
pub fn c_malloc(size: u32) -> *mut c_void {
    match source() {
        POOL => pool().map_or(null_mut(), |p| {
            p.malloc(size).map_or(null_mut(), |b| b.as_ptr().cast())
        }),
        USER => user_fns().map_or(null_mut(), |u| {
            // SAFETY: the embedder's malloc, with WAMR's signature.
            unsafe { (u.malloc)(size) }
        }),
        // SAFETY: plain C allocation.
        _ => unsafe { libc::malloc(size as usize) },
    }
}

/// `wasm_runtime_aligned_alloc`-style allocation (alignment a power of two).
pub fn c_aligned(size: u32, align: u32) -> *mut c_void {
    match source() {
        // WAMR's pool rules: `size` must be a multiple of `align`.
        POOL => pool().map_or(null_mut(), |p| {
            p.malloc_aligned(size, align)
                .map_or(null_mut(), |b| b.as_ptr().cast())
        }),
        USER => null_mut(),
        _ => {
            let align = (align as usize).max(std::mem::size_of::<usize>());
            let mut p = null_mut();
            // SAFETY: `align` is a power of two multiple of sizeof(void*); `p` is writable.
            let rc = unsafe { libc::posix_memalign(&mut p, align, (size as usize).max(1)) };
            if rc == 0 { p } else { null_mut() }
        }
    }
}

/// The user allocator has no `realloc_func`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoUserRealloc;

/// `wasm_runtime_realloc`. `Err(NoUserRealloc)` when the user allocator has no realloc.
///
/// # Safety
/// `p` is NULL or a live block of [`c_malloc`] / [`c_aligned`] / `c_realloc`.
pub unsafe fn c_realloc(p: *mut c_void, size: u32) -> Result<*mut c_void, NoUserRealloc> {
    if !p.is_null() && in_pool(p.cast()) {
        return Ok(pool().map_or(null_mut(), |h| {
            h.realloc(p.cast(), size)
                .map_or(null_mut(), |b| b.as_ptr().cast())
        }));
    }
    match source() {
        POOL if p.is_null() => Ok(c_malloc(size)),
        USER => match user_fns() {
            Some(UserFns {
                realloc: Some(r), ..
            }) => {
                // SAFETY: the embedder's realloc on its own block (contract).
                Ok(unsafe { r(p, size) })
            }
            _ => Err(NoUserRealloc),
        },
        // SAFETY: `p` is a system block (contract; pool blocks were handled above).
        _ => Ok(unsafe { libc::realloc(p, (size as usize).max(1)) }),
    }
}

/// `wasm_runtime_free`.
///
/// # Safety
/// `p` is a live block of [`c_malloc`] / [`c_aligned`] / [`c_realloc`] (not NULL).
pub unsafe fn c_free(p: *mut c_void) {
    if in_pool(p.cast()) {
        if let Some(h) = pool() {
            let _ = h.free(p.cast());
        }
        return;
    }
    match source() {
        USER => {
            if let Some(u) = user_fns() {
                // SAFETY: the embedder's free on its own block (contract).
                unsafe { (u.free)(p) }
            }
        }
        // SAFETY: a system block (contract).
        _ => unsafe { libc::free(p) },
    }
}

// ---- the GlobalAlloc paths --------------------------------------------------------------

fn pool_alloc(p: Pool, layout: Layout) -> *mut u8 {
    let Ok(size) = u32::try_from(layout.size()) else {
        return null_mut();
    };
    let r = if layout.align() <= super::pool::MIN_ALIGN {
        p.malloc(size)
    } else {
        let align = layout.align() as u32;
        match size.checked_next_multiple_of(align) {
            Some(n) => p.malloc_aligned(n, align),
            None => return null_mut(),
        }
    };
    r.map_or(null_mut(), |b| b.as_ptr())
}

fn user_alloc(u: &UserFns, layout: Layout) -> *mut u8 {
    let align = layout.align();
    let Some(padded) = layout.size().checked_add(if align > 8 { align } else { 0 }) else {
        return null_mut();
    };
    let Ok(n) = c_uint::try_from(padded.max(1)) else {
        return null_mut();
    };
    // SAFETY: the embedder's malloc with WAMR's signature.
    let raw = unsafe { (u.malloc)(n) }.cast::<u8>();
    if raw.is_null() {
        return null_mut();
    }
    let ptr = if (raw as usize) % align == 0 {
        raw
    } else if align > 8 {
        // SAFETY: `raw` has `size + align` bytes; the aligned pointer is at most `align - 1`
        // bytes in, leaving `size` bytes.
        unsafe { raw.add(raw.align_offset(align)) }
    } else {
        // SAFETY: the block is the user's and unused.
        unsafe { (u.free)(raw.cast()) };
        return null_mut();
    };
    if registry::insert(ptr, raw, u) {
        ptr
    } else {
        // SAFETY: as above.
        unsafe { (u.free)(raw.cast()) };
        null_mut()
    }
}

/// Which allocator a live block came from.
enum Owner {
    Pool(Pool),
    User(*mut u8),
    /// A block of a pool retired with blocks left in it: never freed.
    Retired,
    System,
}

fn owner_of(ptr: *mut u8) -> Owner {
    if in_pool(ptr) {
        if let Some(p) = pool() {
            return Owner::Pool(p);
        }
    }
    let route = ROUTE.load(Ordering::Acquire);
    if route & USER_BLOCKS != 0 {
        if let Some(raw) = registry::get(ptr) {
            return Owner::User(raw);
        }
    }
    if route & RETIRED_POOL != 0 {
        let a = ptr as usize;
        if a >= RETIRED_START.load(Ordering::Acquire) && a < RETIRED_END.load(Ordering::Acquire) {
            return Owner::Retired;
        }
    }
    Owner::System
}

/// Allocate from the configured source (no system fallback).
fn routed_alloc(mode: u8, layout: Layout) -> *mut u8 {
    match mode {
        POOL => pool().map_or(null_mut(), |p| pool_alloc(p, layout)),
        USER => user_fns().map_or(null_mut(), |u| user_alloc(&u, layout)),
        _ => null_mut(),
    }
}

/// The source for a new block: the mode's, or the system inside [`outside`].
fn target_mode(m: u8) -> u8 {
    let m = m & SOURCE_BITS;
    if m != SYSTEM && outside_active() {
        SYSTEM
    } else {
        m
    }
}

/// # Safety
/// As `GlobalAlloc::dealloc`: `ptr` is a live block of this allocator with `layout`.
unsafe fn free_owned(owner: Owner, ptr: *mut u8, layout: Layout) {
    match owner {
        Owner::Pool(p) => {
            let _ = p.free(ptr);
        }
        Owner::User(raw) => {
            registry::remove(ptr);
            if let Some(u) = user_fns() {
                // SAFETY: `raw` is the user block behind `ptr` (registry).
                unsafe { (u.free)(raw.cast()) };
            }
            if source() != USER && registry::len() == 0 {
                // The last block left over from a finished user mode.
                registry::release();
                ROUTE.fetch_and(!USER_BLOCKS, Ordering::AcqRel);
            }
        }
        Owner::Retired => {}
        // SAFETY: a system block with this layout (contract).
        Owner::System => unsafe { System.dealloc(ptr, layout) },
    }
}

// SAFETY: every block is released by the allocator that produced it (routing above); each
// path returns memory of at least `layout.size()` bytes aligned to `layout.align()` or NULL.
unsafe impl GlobalAlloc for RuntimeAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let m = MODE.load(Ordering::Relaxed);
        if m == SYSTEM {
            // SAFETY: forwarded contract.
            return unsafe { System.alloc(layout) };
        }
        note(m, layout.size());
        let mode = target_mode(m);
        if mode == SYSTEM {
            // SAFETY: forwarded contract.
            return unsafe { System.alloc(layout) };
        }
        let p = routed_alloc(mode, layout);
        if !p.is_null() {
            return p;
        }
        raise_fallback();
        // SAFETY: forwarded contract.
        unsafe { System.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let m = MODE.load(Ordering::Relaxed);
        if target_mode(m) == SYSTEM {
            note(m, layout.size());
            // SAFETY: forwarded contract.
            return unsafe { System.alloc_zeroed(layout) };
        }
        // SAFETY: forwarded contract.
        let p = unsafe { self.alloc(layout) };
        if !p.is_null() {
            // SAFETY: `p` has `layout.size()` writable bytes.
            unsafe { std::ptr::write_bytes(p, 0, layout.size()) };
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ROUTE.load(Ordering::Relaxed) == 0 {
            // SAFETY: no pool is lent and no user block is live: a system block.
            return unsafe { System.dealloc(ptr, layout) };
        }
        // SAFETY: forwarded contract.
        unsafe { free_owned(owner_of(ptr), ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let m = MODE.load(Ordering::Relaxed);
        note(m, new_size);
        let mode = target_mode(m);
        if mode == SYSTEM && ROUTE.load(Ordering::Relaxed) == 0 {
            // SAFETY: forwarded contract (a system block, as in `dealloc`).
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        let owner = owner_of(ptr);
        // In place where the owner is also the target.
        match (&owner, mode) {
            (Owner::System, SYSTEM) => {
                // SAFETY: forwarded contract.
                return unsafe { System.realloc(ptr, layout, new_size) };
            }
            (Owner::Pool(p), POOL) if layout.align() <= super::pool::MIN_ALIGN => {
                if let Ok(n) = u32::try_from(new_size) {
                    if let Ok(b) = p.realloc(ptr, n) {
                        return b.as_ptr();
                    }
                }
            }
            (Owner::User(raw), USER) if *raw == ptr && layout.align() <= 8 => {
                if let (Some(u), Ok(n)) = (user_fns(), c_uint::try_from(new_size.max(1))) {
                    if let Some(r) = u.realloc {
                        // SAFETY: `raw` is the user's block; on success it is moved.
                        let q = unsafe { r(raw.cast(), n) }.cast::<u8>();
                        if !q.is_null() {
                            registry::remove(ptr);
                            if q as usize % layout.align() == 0 && registry::insert(q, q, &u) {
                                return q;
                            }
                            // Misaligned or unrecordable: give the block back and copy below
                            // from a fresh one (the contents moved to `q`).
                            // SAFETY: `new_layout` is valid (size fits, align unchanged).
                            let nl = unsafe {
                                Layout::from_size_align_unchecked(new_size, layout.align())
                            };
                            // SAFETY: as `alloc`.
                            let fresh = unsafe { self.alloc(nl) };
                            if !fresh.is_null() {
                                // SAFETY: both have `new_size` bytes and are distinct.
                                unsafe { std::ptr::copy_nonoverlapping(q, fresh, new_size) };
                            }
                            // SAFETY: `q` is the user's block.
                            unsafe { (u.free)(q.cast()) };
                            return fresh;
                        }
                    }
                }
            }
            _ => {}
        }
        // Move: allocate from the target (or the system), copy, free in the owner.
        // SAFETY: the caller guarantees `new_size` fits a layout with this alignment.
        let nl = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as `alloc`.
        let q = unsafe { self.alloc(nl) };
        if q.is_null() {
            return q;
        }
        // SAFETY: `ptr` has `layout.size()` bytes, `q` has `new_size`; distinct blocks.
        unsafe { std::ptr::copy_nonoverlapping(ptr, q, layout.size().min(new_size)) };
        // SAFETY: `ptr` is live with `layout` and owned by `owner`.
        unsafe { free_owned(owner, ptr, layout) };
        q
    }
}

/// The registry of live user-mode blocks: aligned pointer -> the user's raw block.
#[path = "alloc_registry.rs"]
mod registry;
