//! Portable dispatch: each handler saves the next state in `Cx` and returns to a driver loop.
//!
//! Used when the build is not optimised enough to guarantee that the threaded handlers' tail
//! calls become jumps (debug and test profiles). Same handler bodies, same semantics.

use crate::interp::machine::{CONTINUE, Cx, Op};

/// Continue with the op at `ip` (by returning to the driver loop).
macro_rules! next {
    ($ip:expr, $sp:expr, $mem:expr, $len:expr, $cx:expr) => {{
        let cx: *mut $crate::interp::machine::Cx = $cx;
        let state = ($ip, $sp, $mem, $len);
        // SAFETY: `cx` is the live context of this invocation.
        unsafe {
            (*cx).ip = state.0;
            (*cx).sp = state.1;
            (*cx).mem = state.2;
            (*cx).len = state.3;
        }
        return $crate::interp::machine::CONTINUE;
    }};
}

/// Run from `ip` until the entry frame returns or a trap.
///
/// # Safety
/// The module invariants of `exec` hold for `ip`, `sp`, `mem`, `len` and `cx`.
pub(crate) unsafe fn run(ip: *const Op, sp: *mut u64, mem: *mut u8, len: u64, cx: *mut Cx) -> u64 {
    // SAFETY: forwarded contract; afterwards the handlers keep `cx`'s saved state valid.
    let mut r = unsafe { ((*ip).h)(ip, sp, mem, len, cx) };
    while r == CONTINUE {
        // SAFETY: the last handler saved a valid state in `cx`.
        r = unsafe {
            let c = &*cx;
            ((*c.ip).h)(c.ip, c.sp, c.mem, c.len, cx)
        };
    }
    r
}
