//! The interpreter's executor: threaded handlers over [`Op`]s.
//!
//! Each op carries a pointer to its handler. A handler executes its op and passes control to
//! the next op's handler: with `cwamr_tail_dispatch` (optimised builds, chosen by `build.rs`)
//! through a sibling tail call, otherwise by returning to a small driver loop
//! (`dispatch_loop.rs`); the handler bodies are the same. The hot state travels in registers:
//! `ip`, the frame base `sp`, and the current default memory's base and length; the rest is in
//! [`Cx`]. Calls push a [`Frame`] instead of recursing natively, so wasm recursion depth is
//! bounded by the exec env's stack and traps with `wasm operand stack overflow`.
//!
//! # Invariants
//! The translator (see `translate/mod.rs`) guarantees, for code it produced:
//! - every slot operand is `< frame_size` of its function, and a frame is entered only after
//!   checking `sp + frame_size <= end of stack`, so every slot access is inside the stack;
//! - every branch lands on an op of the same function, `Meta` ops follow the ops that read
//!   them, and every path ends in a return, so `ip + 1` after a non-branching op is valid;
//! - global, function, table, type, segment indices are valid for the module (validated).
//!
//! `cx.inst` points into an `Arc<Instance>` owned by the store, which outlives the call and
//! never drops instances; `cx.memobj` points into that instance's `Arc<LinearMemory>` (or is
//! null); `mem .. mem + len` is accessible memory, re-read after anything that may grow it.
//! Handlers keep no value with a destructor alive across their final dispatch, so the tail
//! call can be a jump.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use super::op::Op;
use crate::error::{Trap, TrapCode};
use crate::runtime::{
    Caller, ExecStack, FuncAddr, FuncKind, Instance, InstanceAddr, LinearMemory, SavedFrame, Store,
};

/// Handler result: the entry frame returned.
pub(crate) const DONE: u64 = 0;
/// Handler result: a trap is recorded in `Cx::trap`.
pub(crate) const TRAPPED: u64 = 1;
/// Handler result (loop dispatch only): continue with the state saved in `Cx`.
#[cfg_attr(cwamr_tail_dispatch, allow(dead_code))]
pub(crate) const CONTINUE: u64 = 2;

#[cfg(cwamr_tail_dispatch)]
#[macro_use]
mod dispatch_tail;
#[cfg(cwamr_tail_dispatch)]
use dispatch_tail as dispatch;

#[cfg(not(cwamr_tail_dispatch))]
#[macro_use]
mod dispatch_loop;
#[cfg(not(cwamr_tail_dispatch))]
use dispatch_loop as dispatch;

#[macro_use]
mod macros;
mod cap_hooks;
mod h_calls;
mod h_control;
pub(crate) mod h_fused;
pub(crate) mod h_fused_branch;
pub(crate) mod h_fused_int;
mod h_memory;
mod h_numeric;
mod h_table;
pub(crate) mod slow_mem;

/// All handlers, named after the [`super::isa::Instr`] variant they execute.
pub(crate) mod handlers {
    pub(crate) use super::h_calls::*;
    pub(crate) use super::h_control::*;
    pub(crate) use super::h_memory::*;
    pub(crate) use super::h_numeric::*;
    pub(crate) use super::h_table::*;
}

/// A saved caller frame: the runtime's engine-neutral [`SavedFrame`], whose `pc` is the
/// caller's return point, an `*const Op` of this interpreter.
pub(crate) type Frame = SavedFrame;

/// Execution context shared by the handlers of one invocation.
pub(crate) struct Cx {
    pub store: *mut Store,
    pub stack: *mut ExecStack,
    pub inst: *const Instance,
    pub memobj: *const LinearMemory,
    pub interrupt: *const AtomicU32,
    pub stack_end: *mut u64,
    /// Frame count at entry: returning below it ends the invocation.
    pub depth: usize,
    pub trap: Option<Trap>,
    /// The op that trapped (null when the trap came from outside an op, e.g. the switcher).
    pub trap_ip: *const Op,
    /// Saved registers for the loop dispatcher.
    #[cfg_attr(cwamr_tail_dispatch, allow(dead_code))]
    pub ip: *const Op,
    #[cfg_attr(cwamr_tail_dispatch, allow(dead_code))]
    pub sp: *mut u64,
    #[cfg_attr(cwamr_tail_dispatch, allow(dead_code))]
    pub mem: *mut u8,
    #[cfg_attr(cwamr_tail_dispatch, allow(dead_code))]
    pub len: u64,
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

/// Record a trap and return [`TRAPPED`].
///
/// # Safety
/// `cx` points to the live context.
#[cold]
#[inline(never)]
pub(crate) unsafe fn trap(cx: *mut Cx, t: Trap) -> u64 {
    // SAFETY: the caller guarantees `cx` is live.
    unsafe { (*cx).trap = Some(t) };
    TRAPPED
}

/// Record a trap raised by op `ip` and return [`TRAPPED`].
///
/// # Safety
/// `cx` points to the live context.
#[cold]
#[inline(never)]
pub(crate) unsafe fn trap_at(cx: *mut Cx, ip: *const Op, t: Trap) -> u64 {
    // SAFETY: the caller guarantees `cx` is live.
    unsafe { (*cx).trap_ip = ip };
    // SAFETY: forwarded contract.
    unsafe { trap(cx, t) }
}

/// Record a trap code raised by op `ip` and return [`TRAPPED`].
///
/// # Safety
/// `cx` points to the live context.
#[cold]
#[inline(never)]
pub(crate) unsafe fn trap_code_at(cx: *mut Cx, ip: *const Op, c: TrapCode) -> u64 {
    // SAFETY: forwarded contract.
    unsafe { trap_at(cx, ip, Trap::Code(c)) }
}

/// Call `func` on `stack` with raw cells (args in, results out).
pub(crate) fn invoke(
    store: &mut Store,
    stack: &mut ExecStack,
    func: FuncAddr,
    cells: &mut [u64],
) -> Result<(), Trap> {
    if store.interrupt.load(Ordering::Relaxed) != 0 {
        return Err(Trap::Code(TrapCode::TerminatedByUser));
    }
    let entity = store
        .funcs
        .get(func.index())
        .ok_or(Trap::Code(TrapCode::InvalidFunctionIndex))?;
    let nres = entity.ty.results().len();
    let (inst_addr, def) = match &entity.kind {
        FuncKind::Host(h) => {
            let f = h.callback.clone();
            let mut caller = Caller {
                store,
                stack,
                instance: None,
            };
            let r = f(&mut caller, cells);
            if r.is_err() {
                caller.store.last_trap_frames.clear();
            }
            return r;
        }
        FuncKind::Unlinked { module, name } => {
            let t = Trap::UnlinkedImport {
                module: module.clone(),
                name: name.clone(),
            };
            store.last_trap_frames.clear();
            return Err(t);
        }
        FuncKind::Wasm { instance, def } => (*instance, *def),
    };
    let inst: Arc<Instance> = store.instances[inst_addr.index()].clone();
    if inst.compartment.is_poisoned() {
        return Err(crate::runtime::compartment::poisoned_trap(
            &inst.compartment,
        ));
    }
    let module = &*inst.module.inner;
    let code = super::code::code_of(module)
        .ok_or_else(super::code::unbound)?
        .get(module, def)?;
    let base = stack.top;
    if base + code.frame_size as usize > stack.capacity() {
        return Err(Trap::Code(TrapCode::OperandStackOverflow));
    }
    // SAFETY: `base + frame_size <= capacity` (checked above), so the frame is inside the stack.
    let sp = unsafe { stack.base_ptr().add(base) };
    let np = code.num_params as usize;
    // SAFETY: params, locals and the constant pool are inside the frame just checked; `cells`
    // and `code.consts` are distinct buffers.
    unsafe {
        std::ptr::copy_nonoverlapping(cells.as_ptr(), sp, np.min(cells.len()));
        std::ptr::write_bytes(sp.add(np), 0, code.num_locals as usize);
        std::ptr::copy_nonoverlapping(
            code.consts.as_ptr(),
            sp.add(code.const_base as usize),
            code.consts.len(),
        );
    }
    let depth = stack.frames.len();
    let saved_top = stack.top;
    let interrupt = store.interrupt.clone();
    // SAFETY: `inst` is alive (we hold an Arc).
    let (memobj, mem, len) = unsafe { memory_of(Arc::as_ptr(&inst)) };
    let mut cx = Cx {
        store,
        stack_end: stack.end_ptr(),
        stack,
        inst: Arc::as_ptr(&inst),
        memobj,
        interrupt: Arc::as_ptr(&interrupt),
        depth,
        trap: None,
        trap_ip: std::ptr::null(),
        ip: code.ops.as_ptr(),
        sp,
        mem,
        len,
    };
    // SAFETY: the code, frame, instance and memory satisfy the module invariants; `cx` lives
    // for the whole run.
    let r = unsafe { dispatch::run(code.ops.as_ptr(), sp, mem, len, &mut cx) };
    let trap = cx.trap.take();
    if r != DONE {
        let frames = super::backtrace::collect(cx.inst, cx.trap_ip, &stack.frames[depth..]);
        store.last_trap_frames = frames;
    }
    stack.frames.truncate(depth);
    stack.top = saved_top;
    if r != DONE {
        let t = trap.unwrap_or(Trap::Code(TrapCode::Unreachable));
        // Compartment switcher: record the origin, poison what the trap unwound (§8).
        crate::runtime::compartment::unwind(store, &mut stack.switcher, depth, &inst, &t);
        return Err(t);
    }
    // SAFETY: results are in the first cells of the frame, which is inside the stack.
    unsafe { std::ptr::copy_nonoverlapping(sp, cells.as_mut_ptr(), nres.min(cells.len())) };
    Ok(())
}

/// Call a host function from interpreted code: arguments at `args`, results written back there.
///
/// # Safety
/// `cx` is the live context and `args .. args + max(params, results)` is inside its stack and
/// not used by any live frame other than as this call's arguments/results.
pub(crate) unsafe fn call_host(
    cx: *mut Cx,
    func: FuncAddr,
    caller: InstanceAddr,
    args: *mut u64,
) -> Result<(), Trap> {
    // SAFETY: the caller guarantees `cx` and the store/stack it points to are live and not
    // otherwise borrowed while this host call runs.
    let (store, stack) = unsafe { (&mut *(*cx).store, &mut *(*cx).stack) };
    let e = &store.funcs[func.index()];
    let n = e.ty.params().len().max(e.ty.results().len());
    let FuncKind::Host(h) = &e.kind else {
        unreachable!("call_host on a non-host function")
    };
    let f = h.callback.clone();
    let mut small = [0u64; 16];
    let mut big;
    let buf: &mut [u64] = if n <= small.len() {
        &mut small[..n]
    } else {
        big = vec![0u64; n];
        &mut big
    };
    // SAFETY: the caller guarantees `args..args+n` is inside the stack; `buf` is distinct.
    unsafe { std::ptr::copy_nonoverlapping(args, buf.as_mut_ptr(), n) };
    let saved_top = stack.top;
    // SAFETY: `args` points into the stack's allocation, at or after its base.
    stack.top = unsafe { args.offset_from(stack.base_ptr()) } as usize;
    let r = f(
        &mut Caller {
            store,
            stack,
            instance: Some(caller),
        },
        buf,
    );
    stack.top = saved_top;
    r?;
    // SAFETY: as above.
    unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr(), args, n) };
    Ok(())
}
