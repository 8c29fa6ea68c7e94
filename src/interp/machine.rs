//! The interpreter's machine state, shared by the translator's encoder, the handlers and the
//! driver: the executable [`Op`] and its [`Handler`] signature, a function's executable code
//! ([`CompiledFunc`]), the execution context [`Cx`] and saved call [`Frame`]s (which live in the
//! runtime's engine-neutral `ExecStack`).
//!
//! These types refer to one another (an op names its handler, a handler receives the context,
//! the context points at the stack, whose frames point at ops), so they
//! live in this one file at the bottom of the interpreter: everything else imports from here
//! and this file imports nothing of the interpreter.
//!
//! # Invariants
//! The stack's invariants are those of `runtime::ExecStack`. Context: `cx.inst` points into an `Arc<Instance>` owned by the store, which outlives the
//! call and never drops instances; `cx.memobj` points into that instance's `Arc<LinearMemory>`
//! (or is null). See `exec/mod.rs` for the invariants of translated code.

use std::sync::atomic::AtomicU32;

use crate::error::{Trap, TrapCode};
use crate::runtime::{ExecStack, Instance, LinearMemory, SavedFrame, Store};

/// A handler: executes the op at `ip` and continues with the next one (see `exec`).
pub(crate) type Handler =
    unsafe extern "C" fn(ip: *const Op, sp: *mut u64, mem: *mut u8, len: u64, cx: *mut Cx) -> u64;

/// One executable op (24 bytes).
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Op {
    /// The handler.
    pub h: Handler,
    /// First operand (usually the destination slot).
    pub a: u32,
    /// Second operand.
    pub b: u32,
    /// Third operand (or the low half of a 64-bit immediate).
    pub c: u32,
    /// High half of a 64-bit immediate.
    pub d: u32,
}

impl Op {
    pub(crate) fn new(h: Handler, a: u32, b: u32, c: u32) -> Op {
        Op { h, a, b, c, d: 0 }
    }

    /// The 64-bit immediate stored in `c` (low) and `d` (high).
    #[inline(always)]
    pub fn imm64(&self) -> u64 {
        (u64::from(self.d) << 32) | u64::from(self.c)
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Op({}, {}, {}, {})", self.a, self.b, self.c, self.d)
    }
}

/// A function translated to slot bytecode.
#[derive(Debug)]
pub struct CompiledFunc {
    /// The executable ops, one per instruction.
    pub(crate) ops: Box<[Op]>,
    /// Module byte offset of the wasm operator each instruction came from.
    pub offsets: Box<[u32]>,
    /// Number of parameters (slots `0..num_params`).
    pub num_params: u32,
    /// Number of declared locals, zeroed on entry (slots after the parameters).
    pub num_locals: u32,
    /// Total slots the frame needs.
    pub frame_size: u32,
    /// First slot of the constant pool.
    pub const_base: u32,
    /// Constant pool, copied to `const_base..` on entry.
    pub consts: Box<[u64]>,
}

/// Why a function could not be translated (only resource limits; the module is validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslateError(pub String);

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

/// Handler result: the entry frame returned.
pub(crate) const DONE: u64 = 0;
/// Handler result: a trap is recorded in `Cx::trap`.
pub(crate) const TRAPPED: u64 = 1;
/// Handler result (loop dispatch only): continue with the state saved in `Cx`.
#[cfg_attr(cwamr_tail_dispatch, allow(dead_code))]
pub(crate) const CONTINUE: u64 = 2;

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
