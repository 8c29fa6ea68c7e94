//! The interpreter stack: value cells and call frames, owned by one exec env.
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

use super::exec::Frame;
use crate::runtime::compartment::{Switcher, TrapOrigin};

/// Value cells and frames of one thread of WebAssembly execution.
pub struct Stack {
    cells: NonNull<u64>,
    cap: usize,
    pub(crate) top: usize,
    pub(crate) frames: Vec<Frame>,
    pub(crate) max_frames: usize,
    /// Compartment switcher state (boundaries of cross-instance calls, trap origin); boxed so
    /// the stack stays small to move.
    pub(crate) switcher: Box<Switcher>,
}

// SAFETY: the stack exclusively owns its cell allocation; the raw pointers in `frames` only
// point into that allocation or into `Arc`-owned instances/code kept alive by the store the
// stack is used with, and a stack is only used by one thread at a time (`&mut`).
unsafe impl Send for Stack {}

impl std::fmt::Debug for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stack({} cells, {} frames)", self.cap, self.frames.len())
    }
}

impl Stack {
    /// A stack of `bytes` bytes (at least a few cells).
    pub fn new(bytes: usize) -> Stack {
        let cap = (bytes / 8).max(64);
        let buf: Box<[u64]> = vec![0u64; cap].into_boxed_slice();
        let cells = NonNull::new(Box::into_raw(buf).cast::<u64>()).expect("Box is non-null");
        Stack {
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

impl Drop for Stack {
    fn drop(&mut self) {
        let slice = std::ptr::slice_from_raw_parts_mut(self.cells.as_ptr(), self.cap);
        // SAFETY: `cells`/`cap` came from `Box::into_raw` of a boxed slice of that length.
        drop(unsafe { Box::from_raw(slice) });
    }
}
