//! Where a trap happened: the wasm call stack at the trap, innermost first.

use super::machine::{Frame, Op};
use crate::runtime::{Instance, TrapFrame};

/// Deepest stack we record (an endless recursion is summarised by its innermost frames).
const MAX_FRAMES: usize = 1024;

/// Locate op `ip` of instance `inst`.
///
/// # Safety
/// `inst` points to a live instance.
unsafe fn locate(inst: *const Instance, ip: *const Op) -> Option<TrapFrame> {
    if ip.is_null() {
        return None;
    }
    // SAFETY: the caller guarantees `inst` is live.
    let inst = unsafe { &*inst };
    let m = &*inst.module.inner;
    // SAFETY: the frames' instances belong to the store the interpreter is running.
    let cache = unsafe { super::code::code_of_instance(inst) };
    let (def, at) = cache.locate(ip)?;
    let code = cache.try_get(def)?;
    let module_offset = *code.offsets.get(at)?;
    let body_start = m.bodies.get(def.index())?.range.start as u32;
    Some(TrapFrame {
        instance: inst.addr,
        func_index: m.num_imported_funcs + def.0,
        func_offset: module_offset.saturating_sub(body_start),
        module_offset,
    })
}

/// The call stack of a trap: the op that trapped in instance `inst` (if known), then each
/// caller frame's call site.
pub(crate) fn collect(
    inst: *const Instance,
    trap_ip: *const Op,
    frames: &[Frame],
) -> Vec<TrapFrame> {
    let mut out = Vec::new();
    // SAFETY: `inst` and the frames' instances are kept alive by the store during the call.
    if let Some(f) = unsafe { locate(inst, trap_ip) } {
        out.push(f);
    }
    for f in frames.iter().rev() {
        if out.len() >= MAX_FRAMES {
            break;
        }
        // The frame's return point follows its call op.
        let call = f.pc.cast::<Op>().wrapping_sub(1);
        // SAFETY: as above.
        if let Some(t) = unsafe { locate(f.inst, call) } {
            out.push(t);
        }
    }
    out
}
