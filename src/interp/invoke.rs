//! Entry into the interpreter: run one function call on an exec env's stack.
//!
//! Sets up the entry frame (parameters, zeroed locals, the constant pool), builds the
//! execution context and runs the dispatcher until the entry frame returns or a trap; on a
//! trap it records the wasm call stack and lets the compartment switcher unwind.
//!
//! # Invariants
//! The frame is entered only after checking `sp + frame_size <= end of stack`; `cx` lives on
//! this function's stack for the whole run, and the instance it points to is kept alive by
//! the `Arc` held here (see `machine.rs` and `exec/mod.rs`).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::exec::{bounds::memory_of, run};
use super::machine::{Cx, DONE};
use crate::error::{Trap, TrapCode};
use crate::runtime::{Caller, ExecStack, FuncAddr, FuncKind, Instance, Store};

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
    // SAFETY: `inst` is an instance of `store`, whose engine (the caller) is the interpreter.
    let code = unsafe { super::code::code_of_instance(&inst) }.get(module, def)?;
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
    let r = unsafe { run(code.ops.as_ptr(), sp, mem, len, &mut cx) };
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
