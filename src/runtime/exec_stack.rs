//! The execution context of one thread of WebAssembly execution, owned by one exec env:
//! value cells, the frames an engine saves off the native stack, and the compartment switcher.
//!
//! It is engine-neutral: an engine that keeps wasm frames off the native stack (the
//! interpreter) stores its frame bases in `cells` and its return points in `frames`; an engine
//! running native code uses the cells for arguments and results only. Host functions reach it
//! only through [`crate::runtime::Caller`].
//!
//! # Invariants
//! - `cells` points to an allocation of `cap` zero-initialised `u64`s owned by this object; the
//!   allocation is never moved or resized, so raw pointers into it stay valid while the stack
//!   lives, across nested (re-entrant) invocations that use the same stack;
//! - every access to the cells goes through pointers derived from `cells` itself (never through
//!   a fresh `&mut` to the whole buffer), so nested invocations do not invalidate the outer
//!   invocation's pointers;
//! - `top <= cap`: cells at `top..` are free for a new (nested) invocation.

use std::ptr::NonNull;

use super::compartment::{Switcher, TrapOrigin};
use super::instance::Instance;
use super::store::InstanceAddr;

/// A caller frame saved by an engine that keeps wasm frames off the native stack.
#[derive(Debug, Clone, Copy)]
pub struct SavedFrame {
    /// Where to continue in the caller (an engine-specific code address).
    pub pc: *const (),
    /// The caller's frame base in the cells.
    pub sp: *mut u64,
    /// The caller's instance.
    pub inst: *const Instance,
}

/// One wasm frame of a trap's call stack (engine-neutral).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapFrame {
    /// The instance running the frame.
    pub instance: InstanceAddr,
    /// Function index (in the module's function index space).
    pub func_index: u32,
    /// Byte offset of the trapping (or calling) instruction from the start of the function body.
    pub func_offset: u32,
    /// Byte offset of that instruction in the module binary.
    pub module_offset: u32,
}

/// Value cells and frames of one thread of WebAssembly execution.
pub struct ExecStack {
    cells: NonNull<u64>,
    cap: usize,
    pub(crate) top: usize,
    pub(crate) frames: Vec<SavedFrame>,
    pub(crate) max_frames: usize,
    /// Compartment switcher state (boundaries of cross-instance calls, trap origin); boxed so
    /// the stack stays small to move.
    pub(crate) switcher: Box<Switcher>,
}

// SAFETY: the stack exclusively owns its cell allocation; the raw pointers in `frames` only
// point into that allocation or into `Arc`-owned instances/code kept alive by the store the
// stack is used with, and a stack is only used by one thread at a time (`&mut`).
unsafe impl Send for ExecStack {}

impl std::fmt::Debug for ExecStack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ExecStack({} cells, {} frames)",
            self.cap,
            self.frames.len()
        )
    }
}

impl ExecStack {
    /// A stack of `bytes` bytes (at least a few cells).
    pub fn new(bytes: usize) -> ExecStack {
        let cap = (bytes / 8).max(64);
        let buf: Box<[u64]> = vec![0u64; cap].into_boxed_slice();
        let cells = NonNull::new(Box::into_raw(buf).cast::<u64>()).expect("Box is non-null");
        ExecStack {
            cells,
            cap,
            top: 0,
            frames: Vec::new(),
            max_frames: (cap / 2).max(64),
            switcher: Box::default(),
        }
    }

    /// Where the last trap that unwound a call on this stack came from.
    pub fn trap_origin(&self) -> Option<TrapOrigin> {
        self.switcher.trap_origin()
    }

    /// Number of cells.
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Pointer to cell 0.
    #[inline(always)]
    pub(crate) fn base_ptr(&self) -> *mut u64 {
        self.cells.as_ptr()
    }

    /// One past the last cell.
    #[inline(always)]
    pub(crate) fn end_ptr(&self) -> *mut u64 {
        // SAFETY: `cap` is the allocation's length, so this is its one-past-the-end pointer.
        unsafe { self.cells.as_ptr().add(self.cap) }
    }
}

impl Drop for ExecStack {
    fn drop(&mut self) {
        let slice = std::ptr::slice_from_raw_parts_mut(self.cells.as_ptr(), self.cap);
        // SAFETY: `cells`/`cap` came from `Box::into_raw` of a boxed slice of that length.
        drop(unsafe { Box::from_raw(slice) });
    }
}
