//! Handlers: calls and returns. Calls push a [`Frame`] and continue in the callee; nothing
//! recurses on the native stack except calls into host functions.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::bounds::memory_len;
use crate::error::{Trap, TrapCode};
use crate::interp::code::code_of_instance;
use crate::interp::machine::{Cx, DONE, Frame, Op, TRAPPED, trap_at, trap_code_at};
use crate::runtime::value::funcref_addr;
use crate::runtime::{Caller, FuncAddr, FuncKind, Instance, InstanceAddr};
use crate::types::DefinedFuncIdx;

/// Set up the frame of function `def` of instance `callee` at `new_sp` (the caller resumes at
/// `ret` with frame `sp`) and make `callee` current. Returns the callee's first op, or null
/// after recording a trap. The fast path is inlined into the call handlers; anything that
/// builds a `Trap` or translates code is out of line, so the handlers keep no stack temporaries
/// that would prevent their tail calls.
///
/// # Safety
/// `cx` is the live context; `callee` a live instance; `new_sp` inside the stack.
#[inline(always)]
unsafe fn enter_frame(
    cx: *mut Cx,
    callee: *const Instance,
    def: DefinedFuncIdx,
    new_sp: *mut u64,
    ret: *const Op,
    sp: *mut u64,
) -> *const Op {
    // SAFETY: the caller guarantees `cx`, its stack and `callee` are live and unaliased.
    unsafe {
        let Some(code) = code_of_instance(&*callee).try_get(def) else {
            return enter_slow(cx, callee, def, new_sp, ret, sp);
        };
        let stack = &mut *(*cx).stack;
        let room = ((*cx).stack_end as usize - new_sp as usize) / 8;
        // A trap here belongs to the call op, the one before the return point.
        if room < code.frame_size as usize || stack.frames.len() >= stack.max_frames {
            trap_code_at(cx, ret.sub(1), TrapCode::OperandStackOverflow);
            return std::ptr::null();
        }
        if (*(*cx).interrupt).load(Ordering::Relaxed) != 0 {
            trap_code_at(cx, ret.sub(1), TrapCode::TerminatedByUser);
            return std::ptr::null();
        }
        let locals = new_sp.add(code.num_params as usize);
        let n = code.num_locals as usize;
        if n <= 4 {
            for i in 0..n {
                std::ptr::write_volatile(locals.add(i), 0);
            }
        } else {
            zero_cells(locals, n);
        }
        if !code.consts.is_empty() {
            copy_cells(new_sp.add(code.const_base as usize), &code.consts);
        }
        if stack.frames.len() == stack.frames.capacity() {
            grow_frames(stack);
        }
        // SAFETY (of the push): capacity was just ensured; `Frame` is `Copy`.
        let len = stack.frames.len();
        std::ptr::write(
            stack.frames.as_mut_ptr().add(len),
            Frame {
                pc: ret.cast(),
                sp,
                inst: (*cx).inst,
            },
        );
        stack.frames.set_len(len + 1);
        (*cx).inst = callee;
        code.ops.as_ptr()
    }
}

/// Zero `n` cells.
///
/// # Safety
/// `p .. p + n` is writable.
#[inline(never)]
unsafe fn zero_cells(p: *mut u64, n: usize) {
    // SAFETY: forwarded contract.
    unsafe { std::ptr::write_bytes(p, 0, n) };
}

/// Copy a constant pool into a frame.
///
/// # Safety
/// `dst .. dst + src.len()` is writable and does not overlap `src`.
#[inline(never)]
unsafe fn copy_cells(dst: *mut u64, src: &[u64]) {
    // SAFETY: forwarded contract.
    unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), dst, src.len()) };
}

/// Make room for more frames (amortised doubling).
#[cold]
#[inline(never)]
fn grow_frames(stack: &mut crate::runtime::ExecStack) {
    let more = stack.frames.capacity().max(16);
    stack.frames.reserve(more);
}

/// First call of a function: translate it (or record why it cannot run), then enter it.
///
/// # Safety
/// As [`enter_frame`].
#[cold]
#[inline(never)]
unsafe fn enter_slow(
    cx: *mut Cx,
    callee: *const Instance,
    def: DefinedFuncIdx,
    new_sp: *mut u64,
    ret: *const Op,
    sp: *mut u64,
) -> *const Op {
    // SAFETY: forwarded contract.
    unsafe {
        let module = &*(*callee).module.inner;
        if let Err(t) = code_of_instance(&*callee).get(module, def) {
            trap_at(cx, ret.sub(1), t);
            return std::ptr::null();
        }
        enter_frame(cx, callee, def, new_sp, ret, sp)
    }
}

/// Enter a wasm function (see [`enter_frame`]) and continue in it.
macro_rules! enter {
    ($cx:ident, $callee:expr, $def:expr, $new_sp:expr, $ret:expr, $sp:ident, $mem:ident, $len:ident) => {{
        let callee: *const Instance = $callee;
        let new_sp: *mut u64 = $new_sp;
        // SAFETY: `cx` is live.
        let before = unsafe { (*$cx).inst };
        // SAFETY: `cx` is live, `callee` is a live instance, `new_sp` is inside the frame.
        let code = unsafe { enter_frame($cx, callee, $def, new_sp, $ret, $sp) };
        if code.is_null() {
            return TRAPPED;
        }
        if callee != before {
            // Crossing into another compartment: continue in the switcher (a tail call).
            let def: DefinedFuncIdx = $def;
            // SAFETY: `cx` is live and names `callee`, whose frame was just pushed at `new_sp`.
            return unsafe {
                super::cap_hooks::cross_enter(code, new_sp, $mem, u64::from(def.0), $cx)
            };
        }
        next!(code, new_sp, $mem, $len, $cx)
    }};
}

/// What a call through a function address does.
#[derive(Clone, Copy)]
enum Target {
    Wasm(*const Instance, DefinedFuncIdx),
    Host,
    Unlinked,
}

/// Resolve `f` to a call target.
///
/// # Safety
/// `cx` is the live context.
#[inline(always)]
unsafe fn target(cx: *mut Cx, f: FuncAddr) -> Target {
    // SAFETY: the caller guarantees `cx` and its store are live.
    let store = unsafe { &*(*cx).store };
    match &store.funcs[f.index()].kind {
        FuncKind::Wasm { instance, def } => {
            Target::Wasm(Arc::as_ptr(&store.instances[instance.index()]), *def)
        }
        FuncKind::Host(_) => Target::Host,
        FuncKind::Unlinked { .. } => Target::Unlinked,
    }
}

/// Record the trap of calling an unlinked import.
///
/// # Safety
/// `cx` is the live context.
#[cold]
#[inline(never)]
unsafe fn unlinked(cx: *mut Cx, f: FuncAddr, at: *const Op) -> u64 {
    // SAFETY: the caller guarantees `cx` and its store are live.
    unsafe {
        let t = match &(&(*(*cx).store).funcs)[f.index()].kind {
            FuncKind::Unlinked { module, name } => Trap::UnlinkedImport {
                module: module.clone(),
                name: name.clone(),
            },
            _ => Trap::Code(TrapCode::InvalidFunctionIndex),
        };
        trap_at(cx, at, t)
    }
}

/// Call host function `f` with its arguments at `args`; false after recording a trap.
///
/// # Safety
/// As [`call_host`].
#[inline(never)]
unsafe fn host(cx: *mut Cx, f: FuncAddr, args: *mut u64, at: *const Op) -> bool {
    // SAFETY: forwarded contract; `cx.inst` is live.
    unsafe {
        let caller = (*(*cx).inst).addr;
        match call_host(cx, f, caller, args) {
            Ok(()) => true,
            Err(t) => {
                trap_at(cx, at, t);
                false
            }
        }
    }
}

/// Call function address `$f` with arguments at slot `$base`; resume at `$ret`.
macro_rules! call_addr {
    ($cx:ident, $f:expr, $base:expr, $ret:expr, $sp:ident, $mem:ident, $len:ident) => {{
        let f: FuncAddr = $f;
        // SAFETY: `base` is a slot of the frame (module invariants).
        let args = unsafe { $sp.add($base as usize) };
        // SAFETY: `cx` is live.
        match unsafe { target($cx, f) } {
            Target::Wasm(callee, def) => enter!($cx, callee, def, args, $ret, $sp, $mem, $len),
            Target::Host => {
                // SAFETY: the arguments are the top of the caller's frame; nothing above them
                // is live.
                // SAFETY: the call op precedes the return point.
                let at = unsafe { $ret.sub(1) };
                // SAFETY: as above.
                if !unsafe { host($cx, f, args, at) } {
                    return TRAPPED;
                }
                // SAFETY: `cx` is live.
                $len = unsafe { memory_len($cx, $len) };
                next!($ret, $sp, $mem, $len, $cx)
            }
            // SAFETY: `cx` is live.
            Target::Unlinked => return unsafe { unlinked($cx, f, $ret.sub(1)) },
        }
    }};
}

op_fn!(CallInternal, ip, |op, sp, mem, len, cx| {
    // SAFETY: `base` is a slot of the frame (module invariants).
    let args = unsafe { sp.add(op.b as usize) };
    // SAFETY: `cx` is live.
    let inst = unsafe { (*cx).inst };
    // SAFETY: the return point is the next op.
    let ret = unsafe { ip.add(1) };
    enter!(cx, inst, DefinedFuncIdx(op.a), args, ret, sp, mem, len);
});

op_fn!(CallImport, ip, |op, sp, mem, len, cx| {
    // SAFETY: `cx.inst` is live; the function index was validated.
    let f = unsafe { (&(*(*cx).inst).funcs)[op.a as usize] };
    // SAFETY: the return point is the next op.
    let ret = unsafe { ip.add(1) };
    call_addr!(cx, f, op.b, ret, sp, mem, len);
});

op_fn!(CallIndirect, ip, |op, sp, mem, len, cx| {
    let (table, _) = meta!(ip);
    // SAFETY: `cx.inst` is live; table and type indices were validated.
    let (taddr, want) = unsafe {
        let inst = &*(*cx).inst;
        (inst.tables[table as usize], inst.sig_ids[op.a as usize])
    };
    let i = rd!(sp, op.b) as u32;
    // SAFETY: `cx.store` is live.
    let store = unsafe { &*(*cx).store };
    let Ok(bits) = store.tables[taddr.index()].get(i) else {
        trap!(cx, op, TrapCode::UndefinedElement);
    };
    let Some(f) = funcref_addr(bits) else {
        trap!(cx, op, TrapCode::UninitializedElement);
    };
    if store.funcs[f.index()].sig != want {
        trap!(cx, op, TrapCode::IndirectCallTypeMismatch);
    }
    // SAFETY: the return point skips the Meta op.
    let ret = unsafe { ip.add(2) };
    call_addr!(cx, f, op.c, ret, sp, mem, len);
});

/// Return to the caller frame, or end the invocation at the entry frame.
macro_rules! ret {
    ($cx:ident, $sp:ident, $mem:ident, $len:ident) => {{
        // SAFETY: `cx` and its stack are live.
        let stack = unsafe { &mut *(*$cx).stack };
        // SAFETY: `cx` is live.
        if stack.frames.len() <= unsafe { (*$cx).depth } {
            return DONE;
        }
        let Some(f) = stack.frames.pop() else {
            return DONE;
        };
        // SAFETY: `cx` is live.
        if f.inst != unsafe { (*$cx).inst } {
            // Returning across a compartment boundary: continue in the switcher (a tail call).
            // SAFETY: `cx` is live; the returning frame's results are at `sp`; `f` holds the
            // caller's live instance and frame.
            return unsafe {
                super::cap_hooks::cross_return(
                    f.pc.cast::<Op>(),
                    $sp,
                    f.sp.cast::<u8>(),
                    f.inst as usize as u64,
                    $cx,
                )
            };
        }
        // SAFETY: `cx` is live.
        $len = unsafe { memory_len($cx, $len) };
        next!(f.pc.cast::<Op>(), f.sp, $mem, $len, $cx)
    }};
}

op_fn!(Return, |op, sp, mem, len, cx| {
    ret!(cx, sp, mem, len);
});

op_fn!(ReturnSlot, |op, sp, mem, len, cx| {
    wr!(sp, 0u32, rd!(sp, op.a));
    ret!(cx, sp, mem, len);
});

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
