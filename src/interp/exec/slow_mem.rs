//! The out-of-bounds slow path of memory accesses: WAMR's shared heap.
//!
//! A load, store or bulk operation whose range fails the default memory's bounds check comes
//! here (out of line, so the in-bounds path keeps its single compare). If the running instance
//! has a shared heap attached and the whole range lies inside one heap of it, the access is
//! performed there, authorised by the attachment's capability (`runtime::shared_heap`);
//! otherwise the caller traps with `out of bounds memory access`. WAMR's interpreter accepts
//! the shared heap for every load and store width and for `memory.fill`, `memory.copy` (each
//! side on its own) and `memory.init`; so do we.
//!
//! # Invariants
//! `cx` is the live context of the running invocation (see `exec/mod.rs`): `cx.inst` points
//! to a live instance and `cx.memobj` is null or points to its live default memory. A pointer
//! returned for a shared-heap range addresses that many accessible bytes (the module
//! invariants of `runtime::shared_heap`).

use crate::cap::Perms;
use crate::interp::machine::Cx;
use crate::runtime::shared_heap;

/// Native address of `[ea, ea + n)` in the shared heap attached to the running instance, or
/// null (the access traps out of bounds).
///
/// # Safety
/// `cx` is the live context.
#[cold]
#[inline(never)]
pub(crate) unsafe fn shared_heap_at(cx: *mut Cx, ea: u64, n: u64, store: bool) -> *mut u8 {
    // SAFETY: `cx` and `cx.inst` are live (caller contract).
    let comp = unsafe { &(*(*cx).inst).compartment };
    let need = if store { Perms::STORE } else { Perms::LOAD };
    shared_heap::app_to_native(comp, ea, n, need).unwrap_or(std::ptr::null_mut())
}

/// Native address of `[a, a + n)`: in the default memory if it fits there, else in the shared
/// heap; null if neither.
///
/// # Safety
/// `cx` is the live context.
unsafe fn range_at(cx: *mut Cx, a: u64, n: u64, store: bool) -> *mut u8 {
    // SAFETY: `memobj` is null or live (caller contract).
    let m = unsafe { (*cx).memobj.as_ref() };
    if let Some(m) = m
        && a.checked_add(n).is_some_and(|e| e <= m.len() as u64)
    {
        return m.base().wrapping_add(a as usize);
    }
    // SAFETY: forwarded contract.
    unsafe { shared_heap_at(cx, a, n, store) }
}

/// `memory.fill` of `[d, d + n)` that failed the linear-memory check. False: trap.
///
/// # Safety
/// `cx` is the live context.
#[cold]
#[inline(never)]
pub(crate) unsafe fn fill(cx: *mut Cx, d: u64, v: u8, n: u64) -> bool {
    // SAFETY: forwarded contract.
    let p = unsafe { range_at(cx, d, n, true) };
    if p.is_null() {
        return false;
    }
    // SAFETY: `p` addresses `n` accessible bytes (see `range_at`).
    unsafe { std::ptr::write_bytes(p, v, n as usize) };
    true
}

/// `memory.copy` of `n` bytes from `s` to `d` that failed the linear-memory check: each side
/// may be in the default memory or the shared heap. False: trap.
///
/// # Safety
/// `cx` is the live context.
#[cold]
#[inline(never)]
pub(crate) unsafe fn copy(cx: *mut Cx, d: u64, s: u64, n: u64) -> bool {
    // SAFETY: forwarded contract.
    let (src, dst) = unsafe { (range_at(cx, s, n, false), range_at(cx, d, n, true)) };
    if src.is_null() || dst.is_null() {
        return false;
    }
    // SAFETY: both address `n` accessible bytes; `copy` allows overlap.
    unsafe { std::ptr::copy(src, dst, n as usize) };
    true
}

/// `memory.init` of `data` at `d` that failed the linear-memory check. False: trap.
///
/// # Safety
/// `cx` is the live context.
#[cold]
#[inline(never)]
pub(crate) unsafe fn init(cx: *mut Cx, d: u64, data: &[u8]) -> bool {
    // SAFETY: forwarded contract.
    let p = unsafe { range_at(cx, d, data.len() as u64, true) };
    if p.is_null() {
        return false;
    }
    // SAFETY: `p` addresses `data.len()` accessible bytes, distinct from the segment's bytes.
    unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), p, data.len()) };
    true
}
