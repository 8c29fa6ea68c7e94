//! Capability-core hooks of the executor (capability-model.md §8): the compartment switcher on
//! cross-instance calls and returns, and the guard of imported externref tables. All out of
//! line and cold: a call inside one instance, and any table that is not an imported externref
//! table, never get here. Each hook records its trap in `Cx` and returns false on refusal.

use super::bounds::reload_memory;
use crate::interp::machine::{Cx, Op, TRAPPED, trap};
use crate::runtime::compartment::{self, TableAccess};
use crate::runtime::{Instance, TableAddr};
use crate::types::{DefinedFuncIdx, FuncIdx};

/// Continuation of a call that crosses into another instance, tail-called by the call
/// handlers once the callee's frame is pushed and `cx.inst` names the callee (so the common,
/// same-instance path keeps no values alive across a call). It has a handler's signature; its
/// register arguments carry the crossing: `ip` the callee's first op, `sp` its frame (the
/// arguments), `def` (in the memory-length register) the callee's defined-function index. The
/// caller's instance is the one in the frame just pushed.
///
/// # Safety
/// As a handler: `cx` is the live context, the module invariants hold for `ip` and `sp`.
pub(super) unsafe extern "C" fn cross_enter(
    ip: *const Op,
    sp: *mut u64,
    _mem: *mut u8,
    def: u64,
    cx: *mut Cx,
) -> u64 {
    // SAFETY: forwarded contract; the pushed frame holds the live caller instance.
    let (mem, len) = unsafe {
        let caller = match (*(*cx).stack).frames.last() {
            Some(f) => f.inst,
            None => return TRAPPED,
        };
        if !switch_enter(cx, caller, (*cx).inst, DefinedFuncIdx(def as u32), sp) {
            return TRAPPED;
        }
        reload_memory(cx)
    };
    next!(ip, sp, mem, len, cx)
}

/// Continuation of a return that crosses back into another instance, tail-called by the
/// return handlers after popping the frame. Register arguments: `ip` and `caller_sp` the
/// caller's resume point and frame, `results` the returning frame (its results), `caller`
/// (in the memory-length register) the caller's instance.
///
/// # Safety
/// As a handler: `cx` is the live context; the popped frame's values are valid.
pub(super) unsafe extern "C" fn cross_return(
    ip: *const Op,
    results: *mut u64,
    caller_sp: *mut u8,
    caller: u64,
    cx: *mut Cx,
) -> u64 {
    // SAFETY: forwarded contract.
    let (mem, len) = unsafe {
        if !switch_leave(cx, results) {
            return TRAPPED;
        }
        (*cx).inst = caller as usize as *const Instance;
        reload_memory(cx)
    };
    next!(ip, caller_sp.cast::<u64>(), mem, len, cx)
}

/// The switcher's entry check for a call from `caller` into function `def` of another instance
/// `callee`, with its arguments at `args`.
///
/// # Safety
/// `cx` is the live context; both instances are alive; `args` points at the call's argument
/// cells inside the stack.
#[cold]
#[inline(never)]
unsafe fn switch_enter(
    cx: *mut Cx,
    caller: *const Instance,
    callee: *const Instance,
    def: DefinedFuncIdx,
    args: *const u64,
) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let (store, stack) = (&*(*cx).store, &mut *(*cx).stack);
        let (caller, callee) = (&*caller, &*callee);
        let idx = FuncIdx(callee.module().num_imported_funcs() + def.0);
        let Some(func) = callee.func(idx) else {
            return true;
        };
        let n = store.funcs[func.index()].ty.params().len();
        let args = std::slice::from_raw_parts(args, n);
        let depth = stack.frames.len();
        match compartment::enter(
            store,
            &mut stack.switcher,
            depth,
            caller,
            callee,
            func,
            args,
        ) {
            Ok(()) => true,
            Err(t) => {
                trap(cx, t);
                false
            }
        }
    }
}

/// The switcher's exit check when a cross-instance call returns with its results at `results`:
/// checks externref results and pops the boundary.
///
/// # Safety
/// `cx` is the live context; `results` is the returning frame's base.
#[cold]
#[inline(never)]
unsafe fn switch_leave(cx: *mut Cx, results: *const u64) -> bool {
    // SAFETY: forwarded contract; the first `n` cells of the frame are its results.
    unsafe {
        let (store, stack) = (&*(*cx).store, &mut *(*cx).stack);
        let n = compartment::results_to_check(store, &stack.switcher);
        let cells = std::slice::from_raw_parts(results, n);
        match compartment::leave(store, &mut stack.switcher, cells) {
            Ok(()) => true,
            Err(t) => {
                trap(cx, t);
                false
            }
        }
    }
}

/// True if table index `t` of the current instance is an imported externref table.
///
/// # Safety
/// `cx` is the live context; `t` a validated table index.
#[inline(always)]
pub(super) unsafe fn guarded(cx: *mut Cx, t: u32) -> bool {
    // SAFETY: forwarded contract.
    unsafe { (&(*(*cx).inst).guarded_tables)[t as usize] }
}

/// Guard of one reference value moving into or out of a guarded table.
///
/// # Safety
/// `cx` is the live context.
#[cold]
#[inline(never)]
pub(super) unsafe fn guard_value(cx: *mut Cx, v: u64, access: TableAccess) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        match compartment::check_table_access(&*(*cx).inst, v, access) {
            Ok(()) => true,
            Err(t) => {
                trap(cx, t);
                false
            }
        }
    }
}

/// Guard of `table.copy` of `src[s..s + n]` from table index `st` to table index `dt`.
///
/// # Safety
/// `cx` is the live context; table indices validated.
#[cold]
#[inline(never)]
pub(super) unsafe fn guard_copy(
    cx: *mut Cx,
    (dt, st): (u32, u32),
    src: TableAddr,
    s: u32,
    n: u32,
) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        let (store, inst) = (&*(*cx).store, &*(*cx).inst);
        let mut r = Ok(());
        if guarded(cx, st) {
            r = compartment::check_table_range(store, inst, src, s, n, TableAccess::Read);
        }
        if r.is_ok() && guarded(cx, dt) {
            r = compartment::check_table_range(store, inst, src, s, n, TableAccess::Write);
        }
        match r {
            Ok(()) => true,
            Err(t) => {
                trap(cx, t);
                false
            }
        }
    }
}
