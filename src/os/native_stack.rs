//! The native stack limits WAMR 2.4.3 enforces (Linux x86-64, release build), computed the
//! same way so that embedders that size their stacks or probe with
//! `wasm_runtime_detect_native_stack_overflow` see the same answers.
//!
//! WAMR keeps `WASM_STACK_GUARD_SIZE` (3 KiB) above the thread's stack boundary
//! (`os_thread_get_stack_boundary`) as the exec env's boundary, unless the embedder set one
//! with `wasm_runtime_set_native_stack_boundary` (taken as is). Its checks then add
//! `STACK_OVERFLOW_CHECK_GUARD_PAGE_COUNT` (3) pages, where WAMR's hardware bound check maps
//! guard pages. cwamr maps none, so the same limit leaves it 3 pages *more* usable stack
//! below the limit than WAMR has: the limit is at least as safe as WAMR's, never looser.
//!
//! * `wasm_runtime_detect_native_stack_overflow` and every entry into wasm from the host
//!   (`wasm_runtime_call_wasm*`, `wasm_runtime_call_indirect`) fail when the stack pointer
//!   is below `boundary + 3 pages` ([`entry_limit`]): 15 KiB above the thread's boundary by
//!   default, which is more than a call into the interpreter, a host function and a trap
//!   use (c-tests/api/test_native_stack.c measures it).
//! * Calls from wasm into a native function check the same limit (WAMR's
//!   `wasm_interp_call_func_native`), with the exec env of the innermost host entry
//!   ([`activate`]).
//! * `wasm_runtime_detect_native_stack_overflow_size(n)` fails below
//!   `boundary + 3 pages - WASM_STACK_GUARD_SIZE + n` ([`size_limit`]).
//!
//! # Invariants
//! The only unsafe call is `sysconf`, which has no preconditions.

use std::cell::Cell;

use super::thread;

thread_local! {
    /// The entry limit of the exec env whose call into wasm is running on this thread
    /// (0: none, the thread's default applies).
    static ACTIVE_LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// WAMR's `WASM_STACK_GUARD_SIZE` on Linux in a release build.
pub const GUARD_SIZE: usize = 3 * 1024;

/// WAMR's `STACK_OVERFLOW_CHECK_GUARD_PAGE_COUNT`.
pub const GUARD_PAGES: usize = 3;

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 { p as usize } else { 4096 }
}

/// The exec env's native stack boundary: the embedder's (`user`, non-zero) or the calling
/// thread's stack boundary plus [`GUARD_SIZE`]; 0 when the stack cannot be queried (then
/// nothing is checked, as in WAMR).
pub fn exec_env_boundary(user: usize) -> usize {
    if user != 0 {
        return user;
    }
    match thread::stack_boundary() {
        0 => 0,
        low => low.saturating_add(GUARD_SIZE),
    }
}

/// Lowest stack pointer at which a host may enter wasm or pass
/// `wasm_runtime_detect_native_stack_overflow` (0: no limit).
pub fn entry_limit(boundary: usize) -> usize {
    if boundary == 0 {
        return 0;
    }
    boundary.saturating_add(GUARD_PAGES * page_size())
}

/// Lowest stack pointer at which `wasm_runtime_detect_native_stack_overflow_size(required)`
/// passes (0: no limit).
pub fn size_limit(boundary: usize, required: usize) -> usize {
    match entry_limit(boundary) {
        0 => 0,
        l => l.saturating_sub(GUARD_SIZE).saturating_add(required),
    }
}

/// The current stack pointer (the address of a local of this non-inlined frame).
#[inline(never)]
pub fn current_sp() -> usize {
    let marker = 0u8;
    std::hint::black_box(std::ptr::addr_of!(marker)) as usize
}

/// True if the calling thread's stack pointer is below `limit` (a value of [`entry_limit`]
/// or [`size_limit`]).
pub fn below(limit: usize) -> bool {
    limit != 0 && current_sp() < limit
}

/// Restores the previous active limit when a call into wasm returns.
pub struct ActiveLimit(usize);

impl Drop for ActiveLimit {
    fn drop(&mut self) {
        ACTIVE_LIMIT.with(|l| l.set(self.0));
    }
}

/// Makes `limit` (an [`entry_limit`]) the one [`host_call_overflows`] applies on this
/// thread until the returned guard is dropped.
pub fn activate(limit: usize) -> ActiveLimit {
    ActiveLimit(ACTIVE_LIMIT.with(|l| l.replace(limit)))
}

/// WAMR checks the native stack before wasm calls a native function as on every entry into
/// wasm: true if the stack pointer is below the active exec env's entry limit (or the
/// thread's default one when no exec env is active).
pub fn host_call_overflows() -> bool {
    let limit = match ACTIVE_LIMIT.with(|l| l.get()) {
        0 => entry_limit(exec_env_boundary(0)),
        l => l,
    };
    below(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_wamr_arithmetic() {
        let page = page_size();
        assert_eq!(entry_limit(0), 0);
        assert_eq!(size_limit(0, 100), 0);
        assert_eq!(entry_limit(0x10000), 0x10000 + 3 * page);
        assert_eq!(size_limit(0x10000, 0), 0x10000 + 3 * page - GUARD_SIZE);
        assert_eq!(
            size_limit(0x10000, 6064),
            0x10000 + 3 * page - GUARD_SIZE + 6064
        );
        assert_eq!(exec_env_boundary(0x1234), 0x1234);
    }

    #[test]
    fn this_thread_is_far_from_its_limit() {
        let b = exec_env_boundary(0);
        assert!(b != 0);
        assert_eq!(b, thread::stack_boundary() + GUARD_SIZE);
        assert!(!below(entry_limit(b)));
        assert!(below(usize::MAX));
        assert!(!below(0));
    }

    #[test]
    fn active_limit_nests_and_restores() {
        assert!(!host_call_overflows());
        {
            let _outer = activate(usize::MAX);
            assert!(host_call_overflows());
            {
                let _inner = activate(entry_limit(exec_env_boundary(0)));
                assert!(!host_call_overflows());
            }
            assert!(host_call_overflows());
        }
        assert!(!host_call_overflows());
    }
}
