//! Threaded dispatch: each handler ends with a sibling tail call to the next op's handler.
//!
//! Used in optimised builds only (`build.rs` sets `cwamr_tail_dispatch` at opt-level 2 and 3),
//! where LLVM turns these calls into jumps: handlers share one signature, pass everything in
//! registers and keep nothing with a destructor alive across the call. The torture test
//! (`tests/interp_torture.rs`) runs long loops of every op family on a small thread stack so
//! that a lost tail call is caught as a stack overflow, not as a slowdown.

use crate::interp::machine::{Cx, Op};

/// Continue with the op at `ip`.
macro_rules! next {
    ($ip:expr, $sp:expr, $mem:expr, $len:expr, $cx:expr) => {{
        let ip: *const $crate::interp::machine::Op = $ip;
        // SAFETY: `ip` points at an op of the current function (module invariants).
        return unsafe { ((*ip).h)(ip, $sp, $mem, $len, $cx) };
    }};
}

/// Run from `ip` until the entry frame returns or a trap.
///
/// # Safety
/// The module invariants of `exec` hold for `ip`, `sp`, `mem`, `len` and `cx`.
pub(crate) unsafe fn run(ip: *const Op, sp: *mut u64, mem: *mut u8, len: u64, cx: *mut Cx) -> u64 {
    // SAFETY: forwarded contract.
    unsafe { ((*ip).h)(ip, sp, mem, len, cx) }
}
