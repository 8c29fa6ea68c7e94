//! Linear-memory bounds checks: the one place every load, store and fused memory handler
//! computes its effective address and checks it against the default memory.
//!
//! The interpreter never relies on guard pages or signals: every access is checked
//! explicitly against the current length `len`, which travels in a register next to the
//! memory's base `mem` (both re-read by [`reload_memory`] / [`memory_len`] after anything that
//! may change them). An access that fails the check is not yet a trap: it goes out of line to
//! the shared-heap slow path (`slow_mem.rs`), which performs it if the whole range lies in
//! a shared heap attached to the instance, and otherwise traps with `out of bounds memory
//! access`. The in-bounds path is one add and one compare.
//!
//! # The checks and why they are exact
//!
//! Notation: `addr` is the i32 address operand (`0 <= addr < 2^32`), `k` the static offset or
//! displacement (`0 <= k < 2^32`), `n` the access size in bytes (`1 <= n <= 8`), `len` the
//! memory's current byte length. A 32-bit memory has at most 65536 pages, so
//! `len <= 2^32`. The access touches bytes `[ea, ea + n)` and is in bounds iff
//! `ea + n <= len` (the last byte touched, `ea + n - 1`, is below `len`).
//!
//! 1. **`offset` form** (`ea!(offset, ..)`, the wasm rule: the memarg offset is added without
//!    wrapping). `ea = addr + k` computed in `u64`: `ea <= (2^32 - 1) + (2^32 - 1) < 2^33`,
//!    so the sum cannot overflow, and `ea + n < 2^33 + 8` cannot either. The check is
//!    therefore `ea + n > len => out of bounds`, evaluated exactly, with no case split on `k`
//!    (unlike a compiler with guard pages, we never elide it for small `k`).
//! 2. **`wrap` form** (`ea!(wrap, ..)`, the `*W` ops: `i32.add` of a constant folded into the
//!    access, whose sum wasm wraps to 32 bits). `ea = (addr + k) mod 2^32 < 2^32`; the same
//!    check `ea + n > len` is exact for the same reason (`ea + n < 2^32 + 8`).
//! 3. **Fused address computation** (`i32.add imm` / `i32.shl imm` feeding a load): the
//!    computed i32 is the load's `addr`, then case 1 or 2 applies unchanged.
//! 4. **In bounds => valid pointer.** If `ea + n <= len` then `ea < len`, so `ea` fits in
//!    `usize` and `mem + ea .. mem + ea + n` lies inside the `len` accessible bytes at `mem`
//!    (the memory's invariant), so the unaligned read or write is sound.
//! 5. **Out of bounds, including straddling** (`ea < len < ea + n`): `ea + n > len`, so the
//!    access takes the slow path as a whole; `slow_mem::shared_heap_at` accepts it only if all
//!    of `[ea, ea + n)` lies in one shared heap (the heap's capability check covers the whole
//!    range), so a straddling access can never touch a byte past `len`.
//! 6. **Bulk ranges** (`memory.fill`, `memory.copy`, `memory.init`; destination, source and
//!    length are i32, so `d + n < 2^33`): checked by `LinearMemory`'s own methods
//!    (`d + n <= len`), and on refusal by `slow_mem` with `checked_add`; the data segment
//!    range of `memory.init` is checked as `s + n <= data.len()` before any byte is written.
//!
//! # Invariants
//! `cx` is the live context (see `exec/mod.rs`); `mem .. mem + len` is accessible memory of
//! the current instance's default memory (or `len == 0`); `cx.memobj` is null or points into
//! the live `Arc<LinearMemory>` of that memory.

use std::sync::Arc;

use crate::interp::machine::Cx;
use crate::runtime::{Instance, LinearMemory};

/// The effective address of an access: `addr + k` as a 33-bit sum (`offset`, case 1 above) or
/// `(addr + k) mod 2^32` (`wrap`, case 2). `addr` and `k` are `u32`.
macro_rules! ea {
    (offset, $a:expr, $k:expr) => {
        u64::from($a) + u64::from($k)
    };
    (wrap, $a:expr, $k:expr) => {
        u64::from($a.wrapping_add($k))
    };
}

/// Native address of the `$n`-byte access at `$ea` of the default memory (base `$mem`, length
/// `$len`); `$store` says whether it writes. An access failing the check (cases 1, 2, 5 above)
/// takes the out-of-line shared-heap path (`slow_mem::shared_heap_at`) and traps at op `$at`
/// with `out of bounds memory access` unless the whole access lies in the attached shared heap.
macro_rules! mem_at {
    ($cx:expr, $at:expr, $mem:ident, $len:ident, $ea:expr, $n:expr, $store:expr) => {{
        let ea: u64 = $ea;
        // Exact: `ea < 2^33` and `n <= 8`, so `ea + n` does not overflow (cases 1 and 2).
        if ea + $n > $len {
            // SAFETY: `cx` is the live context.
            let p = unsafe { $crate::interp::exec::slow_mem::shared_heap_at($cx, ea, $n, $store) };
            if p.is_null() {
                trap!($cx, $at, $crate::error::TrapCode::MemoryOutOfBounds);
            }
            p
        } else {
            // SAFETY: `[ea, ea + n)` is inside accessible memory (checked above, case 4).
            unsafe { $mem.add(ea as usize) }
        }
    }};
}

/// Load a little-endian `$t` at effective address `$ea` (see [`ea!`]) of the default memory,
/// or of the shared heap, or trap at op `$at`.
macro_rules! load_le {
    ($cx:expr, $at:expr, $mem:ident, $len:ident, $ea:expr, $t:ty) => {{
        let p = mem_at!(
            $cx,
            $at,
            $mem,
            $len,
            $ea,
            std::mem::size_of::<$t>() as u64,
            false
        );
        // SAFETY: `p` addresses `size_of::<$t>()` accessible bytes (linear memory or the shared
        // heap, see `mem_at!`); the read is unaligned.
        <$t>::from_le(unsafe { std::ptr::read_unaligned(p as *const $t) })
    }};
}

/// Store `$v: $t` little-endian at effective address `$ea` of the default memory, or of the
/// shared heap, or trap at op `$at`.
macro_rules! store_le {
    ($cx:expr, $at:expr, $mem:ident, $len:ident, $ea:expr, $t:ty, $v:expr) => {{
        let p = mem_at!(
            $cx,
            $at,
            $mem,
            $len,
            $ea,
            std::mem::size_of::<$t>() as u64,
            true
        );
        let v: $t = $v;
        // SAFETY: `p` addresses `size_of::<$t>()` accessible bytes (linear memory or the shared
        // heap, see `mem_at!`); the write is unaligned.
        unsafe { std::ptr::write_unaligned(p as *mut $t, v.to_le()) };
    }};
}

/// The default memory of `inst`: (object, base, length); null/0 without memory.
///
/// # Safety
/// `inst` points to a live instance.
#[inline(always)]
pub(crate) unsafe fn memory_of(inst: *const Instance) -> (*const LinearMemory, *mut u8, u64) {
    // SAFETY: the caller guarantees `inst` is live.
    match unsafe { (*inst).memories.first() } {
        Some(m) => (Arc::as_ptr(m), m.base(), m.len() as u64),
        None => (std::ptr::null(), std::ptr::null_mut(), 0),
    }
}

/// Reload the default memory of the current instance (after a possible change of instance).
///
/// # Safety
/// `cx` is the live context.
#[inline(always)]
pub(crate) unsafe fn reload_memory(cx: *mut Cx) -> (*mut u8, u64) {
    // SAFETY: the caller guarantees `cx` and its instance are live.
    unsafe {
        let (obj, base, len) = memory_of((*cx).inst);
        (*cx).memobj = obj;
        (base, len)
    }
}

/// The current length of the default memory (after a possible `memory.grow`).
///
/// # Safety
/// `cx` is the live context.
#[inline(always)]
pub(crate) unsafe fn memory_len(cx: *mut Cx, len: u64) -> u64 {
    // SAFETY: the caller guarantees `cx` is live; `memobj` is null or points into a live Arc.
    unsafe {
        let m = (*cx).memobj;
        if m.is_null() { len } else { (*m).len() as u64 }
    }
}
