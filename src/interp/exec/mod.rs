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
//!
//! [`Op`]: crate::interp::machine::Op
//! [`Cx`]: crate::interp::machine::Cx
//! [`Frame`]: crate::interp::machine::Frame

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
#[macro_use]
pub(crate) mod bounds;
mod cap_hooks;
pub(crate) mod h_calls;
pub(crate) mod h_control;
mod h_fused;
pub(crate) mod h_memory;
pub(crate) mod h_numeric;
pub(crate) mod h_table;
pub(crate) mod slow_mem;

pub(crate) use dispatch::run;

/// The handler files the op table names (`isa::for_each_op!`): each holds the handlers of its
/// ops, named after the [`crate::interp::isa::Instr`] variant they execute.
pub(crate) mod handlers {
    pub(crate) use super::h_calls as calls;
    pub(crate) use super::h_control as control;
    pub(crate) use super::h_memory as memory;
    pub(crate) use super::h_numeric as numeric;
    pub(crate) use super::h_table as table;
}

/// The superinstruction handlers (see `translate/fuse.rs`, which picks them).
pub(crate) mod fused {
    pub(crate) use super::h_fused::*;
}
