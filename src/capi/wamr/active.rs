//! The thread's active calls into WebAssembly, innermost last.
//!
//! A call into an instance holds that instance's store for its whole duration. While a native
//! (C) function runs inside such a call, the native may call back into the runtime with its
//! `exec_env`: look up functions, translate addresses, call WebAssembly again. Those nested
//! requests must not lock the store a second time (they would deadlock) and must re-enter on
//! the same interpreter stack. So every native invocation publishes the [`Caller`] it runs
//! with in a thread-local frame, and the API reaches the store through
//! [`with_store`]-style lookups that find that frame first.
//!
//! # Invariants
//! - a `Native` frame's `caller` pointer comes from the `&mut Caller` the native trampoline
//!   received; the frame is pushed right before the C function is called and popped right
//!   after it returns (also on unwind, via [`FrameGuard`]), and the trampoline does not use its
//!   own `&mut Caller` in between, so dereferencing the pointer while the frame is live is a
//!   unique reborrow on the same thread;
//! - frames are thread-local and never leave their thread.

use std::cell::RefCell;
use std::ffi::c_void;

use crate::cap::SealedHandle;
use crate::runtime::Caller;

/// One active call on this thread.
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    /// Id of the instance whose store the call holds.
    pub inst_id: u64,
    /// The exec env the call runs with (handed to natives).
    pub env: SealedHandle,
    /// Set while a native function of this instance runs.
    pub caller: Option<*mut Caller<'static>>,
    /// The running native's attachment.
    pub attachment: *mut c_void,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Pops the frame it pushed when dropped (also when a panic unwinds through it).
pub(crate) struct FrameGuard(());

impl Drop for FrameGuard {
    fn drop(&mut self) {
        FRAMES.with(|f| {
            f.borrow_mut().pop();
        });
    }
}

/// Publish a frame until the guard drops.
pub(crate) fn push(frame: Frame) -> FrameGuard {
    // A thread-lifetime buffer: never in the pool (see `crate::os::alloc`).
    crate::os::alloc::outside(|| FRAMES.with(|f| f.borrow_mut().push(frame)));
    FrameGuard(())
}

/// Publish a native frame for `caller` until the guard drops.
pub(crate) fn push_native(
    inst_id: u64,
    env: SealedHandle,
    caller: &mut Caller<'_>,
    attachment: *mut c_void,
) -> FrameGuard {
    let p = (caller as *mut Caller<'_>).cast::<Caller<'static>>();
    push(Frame {
        inst_id,
        env,
        caller: Some(p),
        attachment,
    })
}

/// The innermost frame.
pub(crate) fn innermost() -> Option<Frame> {
    FRAMES.with(|f| f.borrow().last().copied())
}

/// The instances whose stores the calls on this thread hold.
pub(crate) fn held_instances() -> Vec<u64> {
    FRAMES.with(|f| f.borrow().iter().map(|fr| fr.inst_id).collect())
}

/// True if some call on this thread holds the store of instance `inst_id`.
pub(crate) fn is_active(inst_id: u64) -> bool {
    FRAMES.with(|f| f.borrow().iter().any(|fr| fr.inst_id == inst_id))
}

/// Run `f` with the caller of the innermost native frame of instance `inst_id` if a native of
/// that instance is running on this thread, or with `None`.
pub(crate) fn with_caller<R>(inst_id: u64, f: impl FnOnce(Option<&mut Caller<'_>>) -> R) -> R {
    let p = FRAMES.with(|fr| {
        fr.borrow()
            .iter()
            .rev()
            .find(|x| x.inst_id == inst_id)
            .and_then(|x| x.caller)
    });
    match p {
        None => f(None),
        Some(p) => {
            // SAFETY: see the module invariants: the frame is live, so the trampoline that
            // owns the `&mut Caller` is suspended in a C call on this thread and does not touch
            // it; this is the only reborrow in use (nested API calls run inside `f`).
            let caller = unsafe { &mut *p };
            f(Some(caller))
        }
    }
}

/// The attachment of the innermost running native whose exec env is `env`.
pub(crate) fn attachment_for(env: SealedHandle) -> Option<*mut c_void> {
    FRAMES.with(|f| {
        f.borrow()
            .iter()
            .rev()
            .find(|x| x.caller.is_some() && x.env == env)
            .map(|x| x.attachment)
    })
}
