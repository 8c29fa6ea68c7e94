//! Threads the host creates through WAMR's platform API (`os_thread_create`) and the stack
//! facts WAMR exposes (`os_thread_get_stack_boundary`).
//!
//! A thread created here runs a wrapper, as WAMR's does: it first marks the thread's signal
//! environment as set up (so such threads may call wasm without
//! `wasm_runtime_init_thread_env`), then calls the start routine, ignores its return value
//! and returns NULL (a thread that wants a join value calls `os_thread_exit`).
//!
//! It also keeps WAMR's wake-up signal for interruptible blocking calls
//! (`os_begin_blocking_op` / `os_wakeup_blocking_op`).
//!
//! # Invariants
//! - The wrapper's argument is a `Box<Start>` leaked by [`spawn`] and reclaimed exactly once,
//!   by the wrapper, or by [`spawn`] itself when `pthread_create` fails.
//! - `pthread_attr_t` values are initialised before use and destroyed on every path.

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// A thread start routine (`thread_start_routine_t`). `C-unwind` because a C routine may
/// leave through `pthread_exit`, whose forced unwinding passes the wrapper's frame.
pub type StartRoutine = unsafe extern "C-unwind" fn(*mut c_void) -> *mut c_void;

/// WAMR's `APP_THREAD_STACK_SIZE_MAX` (8 MiB): the part of a thread's stack it reports.
pub const STACK_SIZE_MAX: usize = 8 * 1024 * 1024;
/// WAMR's Linux `APP_THREAD_STACK_SIZE_DEFAULT` (128 KiB).
pub const STACK_SIZE_DEFAULT: usize = 128 * 1024;

thread_local! {
    static SIGNAL_ENV: Cell<bool> = const { Cell::new(false) };
    static STACK_BOUNDARY: Cell<usize> = const { Cell::new(0) };
}

/// Mark the calling thread's signal environment as set up or torn down
/// (`os_thread_signal_init` / `_destroy`; cwamr needs no signal handler, the state is
/// what `os_thread_signal_inited` and `wasm_runtime_thread_env_inited` report).
pub fn set_signal_env(on: bool) {
    SIGNAL_ENV.with(|s| s.set(on));
}

/// Whether the calling thread's signal environment is set up.
pub fn signal_env_inited() -> bool {
    SIGNAL_ENV.with(|s| s.get())
}

struct Start {
    start: StartRoutine,
    arg: *mut c_void,
}

unsafe extern "C-unwind" fn wrapper(p: *mut c_void) -> *mut c_void {
    // SAFETY: `p` is the `Box<Start>` leaked by `spawn` for this thread (module invariant).
    let Start { start, arg } = *unsafe { Box::from_raw(p.cast::<Start>()) };
    set_signal_env(true);
    // SAFETY: the caller of `spawn` supplied a start routine valid for `arg`.
    unsafe { start(arg) };
    set_signal_env(false);
    std::ptr::null_mut()
}

/// Why [`spawn`] failed.
#[derive(Debug, PartialEq, Eq)]
pub enum SpawnError {
    /// `pthread_attr_setstacksize` refused the size (below `PTHREAD_STACK_MIN`).
    StackSize,
    /// `pthread_create` failed.
    Create,
}

/// Start a joinable thread running `start(arg)` through the wrapper with a stack of
/// `stack_size` bytes.
///
/// # Safety
/// `start` is a valid routine for `arg`, which it may use from the new thread.
pub unsafe fn spawn(
    start: StartRoutine,
    arg: *mut c_void,
    stack_size: usize,
) -> Result<libc::pthread_t, SpawnError> {
    // SAFETY: zeroed storage is a valid argument for pthread_attr_init, which initialises it.
    let mut attr: libc::pthread_attr_t = unsafe { std::mem::zeroed() };
    // SAFETY: `attr` is writable storage owned by this frame.
    if unsafe { libc::pthread_attr_init(&mut attr) } != 0 {
        return Err(SpawnError::Create);
    }
    // SAFETY: `attr` was initialised above.
    unsafe { libc::pthread_attr_setdetachstate(&mut attr, libc::PTHREAD_CREATE_JOINABLE) };
    // SAFETY: as above.
    if unsafe { libc::pthread_attr_setstacksize(&mut attr, stack_size) } != 0 {
        // SAFETY: initialised above, destroyed once.
        unsafe { libc::pthread_attr_destroy(&mut attr) };
        return Err(SpawnError::StackSize);
    }
    let boxed = Box::into_raw(Box::new(Start { start, arg })).cast::<c_void>();
    // SAFETY: zeroed storage is a valid out-parameter for pthread_create.
    let mut tid: libc::pthread_t = unsafe { std::mem::zeroed() };
    // `wrapper` has the C ABI of a pthread start routine; the unwind marker does not change
    // the calling convention.
    let routine: extern "C" fn(*mut c_void) -> *mut c_void =
        // SAFETY: same signature and calling convention; only the unwind attribute differs.
        unsafe { std::mem::transmute(wrapper as StartRoutine) };
    // SAFETY: `attr` is initialised, `boxed` is handed to the wrapper (module invariant).
    let r = unsafe { libc::pthread_create(&mut tid, &attr, routine, boxed) };
    // SAFETY: initialised above, destroyed once.
    unsafe { libc::pthread_attr_destroy(&mut attr) };
    if r != 0 {
        // SAFETY: the thread was not created, so the box is still ours (module invariant).
        drop(unsafe { Box::from_raw(boxed.cast::<Start>()) });
        return Err(SpawnError::Create);
    }
    Ok(tid)
}

/// The lowest usable address of the calling thread's stack, as WAMR computes it: the stack
/// base plus the guard size, where only the top [`STACK_SIZE_MAX`] bytes of a larger stack
/// count. Cached per thread; NULL (0) when the stack cannot be queried.
pub fn stack_boundary() -> usize {
    let cached = STACK_BOUNDARY.with(|b| b.get());
    if cached != 0 {
        return cached;
    }
    // SAFETY: getpagesize has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
    let max = ((STACK_SIZE_MAX + page - 1) & !(page - 1)).max(STACK_SIZE_DEFAULT);
    let mut addr = 0usize;
    // SAFETY: zeroed storage is a valid out-parameter for pthread_getattr_np.
    let mut attr: libc::pthread_attr_t = unsafe { std::mem::zeroed() };
    // SAFETY: pthread_self is always valid; `attr` is writable storage of this frame.
    if unsafe { libc::pthread_getattr_np(libc::pthread_self(), &mut attr) } == 0 {
        let mut base: *mut c_void = std::ptr::null_mut();
        let mut size = 0usize;
        let mut guard = 0usize;
        // SAFETY: `attr` was initialised by pthread_getattr_np; out-params are locals.
        unsafe {
            libc::pthread_attr_getstack(&attr, &mut base, &mut size);
            libc::pthread_attr_getguardsize(&attr, &mut guard);
            libc::pthread_attr_destroy(&mut attr);
        }
        addr = base as usize;
        if size > max {
            addr += size - max;
        }
        addr += guard;
    }
    STACK_BOUNDARY.with(|b| b.set(addr));
    addr
}

// ---- interruptible blocking operations (WAMR's OS_ENABLE_WAKEUP_BLOCKING_OP) ----------
//
// A thread marks the span of a blocking system call with `begin_blocking_op` /
// `end_blocking_op`; inside it the wake-up signal (SIGUSR1 unless changed) is unblocked, so
// `wakeup_blocking_op` interrupts the call with EINTR. The handler does nothing.

static BLOCKING_SIGNO: AtomicI32 = AtomicI32::new(libc::SIGUSR1);
static BLOCKING_INITED: AtomicBool = AtomicBool::new(false);

extern "C" fn blocking_op_handler(_signo: libc::c_int) {}

/// `os_set_signal_number_for_blocking_op`.
pub fn set_blocking_signal(signo: i32) {
    BLOCKING_SIGNO.store(signo, Ordering::SeqCst);
}

/// `os_blocking_op_init`: install the (empty) wake-up handler once. 0, or -1 on failure.
pub fn blocking_op_init() -> i32 {
    if BLOCKING_INITED.load(Ordering::SeqCst) {
        return 0;
    }
    // SAFETY: zeroed sigaction is a valid initial value; the handler is an async-signal-safe
    // empty function; sigaction only reads `sa`.
    let r = unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_sigaction = blocking_op_handler as extern "C" fn(libc::c_int) as usize;
        libc::sigaction(
            BLOCKING_SIGNO.load(Ordering::SeqCst),
            &sa,
            std::ptr::null_mut(),
        )
    };
    if r != 0 {
        return -1;
    }
    BLOCKING_INITED.store(true, Ordering::SeqCst);
    0
}

fn mask_blocking_signal(how: libc::c_int) {
    // SAFETY: a local signal set, changed and passed by reference only.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, BLOCKING_SIGNO.load(Ordering::SeqCst));
        libc::pthread_sigmask(how, &set, std::ptr::null_mut());
    }
}

/// `os_begin_blocking_op`: unblock the wake-up signal on this thread.
pub fn begin_blocking_op() {
    mask_blocking_signal(libc::SIG_UNBLOCK);
}

/// `os_end_blocking_op`: block the wake-up signal on this thread again.
pub fn end_blocking_op() {
    mask_blocking_signal(libc::SIG_BLOCK);
}

/// `os_wakeup_blocking_op`: send the wake-up signal to `tid`. 0, or -1 on failure.
///
/// # Safety
/// `tid` is a thread of this process that has not been joined or detached-and-finished.
pub unsafe fn wakeup_blocking_op(tid: libc::pthread_t) -> i32 {
    // SAFETY: per the contract `tid` names a live thread.
    if unsafe { libc::pthread_kill(tid, BLOCKING_SIGNO.load(Ordering::SeqCst)) } == 0 {
        0
    } else {
        -1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    static SEEN: AtomicUsize = AtomicUsize::new(0);

    unsafe extern "C-unwind" fn body(arg: *mut c_void) -> *mut c_void {
        let local = 0u8;
        let b = stack_boundary();
        assert!(b != 0 && b < &local as *const u8 as usize);
        assert!(signal_env_inited());
        SEEN.store(arg as usize, Ordering::SeqCst);
        arg
    }

    #[test]
    fn spawned_threads_run_the_wrapper() {
        // SAFETY: `body` ignores its argument's pointee.
        let tid = unsafe { spawn(body, 42 as *mut c_void, 256 * 1024) }.unwrap();
        let mut ret: *mut c_void = std::ptr::dangling_mut();
        // SAFETY: `tid` is a joinable thread created above, joined once.
        assert_eq!(unsafe { libc::pthread_join(tid, &mut ret) }, 0);
        assert_eq!(SEEN.load(Ordering::SeqCst), 42);
        assert!(ret.is_null(), "the wrapper ignores the routine's result");
        assert_eq!(
            // SAFETY: as above; a one-byte stack is refused before anything runs.
            unsafe { spawn(body, std::ptr::null_mut(), 1) }.unwrap_err(),
            SpawnError::StackSize
        );
    }

    #[test]
    fn main_stack_boundary_is_below_locals() {
        let local = 0u8;
        let b = stack_boundary();
        assert!(b != 0 && b < &local as *const u8 as usize);
        assert!(&local as *const u8 as usize - b <= STACK_SIZE_MAX);
        assert_eq!(stack_boundary(), b);
    }
}
