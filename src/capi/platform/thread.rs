//! `platform_api_extension.h` threads: creation through WAMR's wrapper, join, detach, exit,
//! sleeping, interruptible blocking operations and the per-thread signal environment.
//!
//! # Invariants
//! `korp_tid *` out-parameters and `void **` results are NULL or writable; a `korp_tid`
//! argument names a thread of this process, as pthreads requires.

use std::ffi::{c_int, c_uint, c_void};

use super::{BHT_ERROR, BHT_OK};
use crate::capi::ffi::guard;
use crate::os::{console, thread, time};

/// `int os_thread_create_with_prio(korp_tid *, thread_start_routine_t, void *arg,
/// unsigned int stack_size, int prio)`: a joinable thread running `start(arg)` through
/// WAMR's wrapper (its signal environment is set up first; `start`'s result is ignored).
/// `prio` is ignored on Linux, as in WAMR. `BHT_OK` / `BHT_ERROR`.
///
/// # Safety
/// `tid` is NULL or writable; `start` is a valid routine for `arg`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_thread_create_with_prio(
    tid: *mut libc::pthread_t,
    start: Option<thread::StartRoutine>,
    arg: *mut c_void,
    stack_size: c_uint,
    _prio: c_int,
) -> c_int {
    guard("os_thread_create_with_prio", BHT_ERROR, || {
        let Some(start) = start else {
            return BHT_ERROR;
        };
        if tid.is_null() || stack_size == 0 {
            return BHT_ERROR;
        }
        // SAFETY: the caller's routine and argument (contract).
        match unsafe { thread::spawn(start, arg, stack_size as usize) } {
            Ok(t) => {
                // SAFETY: non-NULL and writable per the contract.
                unsafe { tid.write(t) };
                BHT_OK
            }
            Err(thread::SpawnError::StackSize) => {
                console::write_str(&format!(
                    "Invalid thread stack size {stack_size}. Min stack size on Linux = {}\n",
                    libc::PTHREAD_STACK_MIN
                ));
                BHT_ERROR
            }
            Err(thread::SpawnError::Create) => BHT_ERROR,
        }
    })
}

/// `int os_thread_create(korp_tid *, thread_start_routine_t, void *arg, unsigned int
/// stack_size)`: [`os_thread_create_with_prio`] with the default priority.
///
/// # Safety
/// As [`os_thread_create_with_prio`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_thread_create(
    tid: *mut libc::pthread_t,
    start: Option<thread::StartRoutine>,
    arg: *mut c_void,
    stack_size: c_uint,
) -> c_int {
    // SAFETY: same contract.
    unsafe { os_thread_create_with_prio(tid, start, arg, stack_size, 0) }
}

/// `int os_thread_join(korp_tid, void **retval)`: `pthread_join`'s result (0 or an errno).
///
/// # Safety
/// `t` is a joinable thread of this process; `retval` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_thread_join(t: libc::pthread_t, retval: *mut *mut c_void) -> c_int {
    // SAFETY: per the contract.
    guard("os_thread_join", libc::EINVAL, || unsafe {
        libc::pthread_join(t, retval)
    })
}

/// `int os_thread_detach(korp_tid)`: `pthread_detach`'s result.
///
/// # Safety
/// `t` is a joinable thread of this process.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_thread_detach(t: libc::pthread_t) -> c_int {
    // SAFETY: per the contract.
    guard("os_thread_detach", libc::EINVAL, || unsafe {
        libc::pthread_detach(t)
    })
}

unsafe extern "C-unwind" {
    /// Declared `C-unwind`: glibc ends the thread by forced unwinding through our frame.
    #[link_name = "pthread_exit"]
    fn pthread_exit_unwind(retval: *mut c_void) -> !;
}

/// `void os_thread_exit(void *retval)`: tear down the thread's signal environment and end
/// the thread with `retval` (its join value).
///
/// The `pthread_exit` call itself is outside the panic guard: it leaves by forced unwinding,
/// which must not meet a Rust `catch_unwind`; this frame owns nothing to drop.
///
/// # Safety
/// Called on a thread created with pthreads (not the main thread of a program that still
/// needs it); frames above it must tolerate forced unwinding, as with `pthread_exit`.
#[unsafe(no_mangle)]
pub unsafe extern "C-unwind" fn os_thread_exit(retval: *mut c_void) -> ! {
    guard("os_thread_exit", (), || thread::set_signal_env(false));
    console::flush();
    // SAFETY: per the contract; nothing in this frame needs dropping.
    unsafe { pthread_exit_unwind(retval) }
}

/// `int os_usleep(uint32 usec)`: 0, or -1 when interrupted.
#[unsafe(no_mangle)]
pub extern "C" fn os_usleep(usec: u32) -> c_int {
    guard("os_usleep", -1, || time::usleep(usec))
}

/// `int os_blocking_op_init(void)`: install the wake-up signal handler. `BHT_OK` /
/// `BHT_ERROR`.
#[unsafe(no_mangle)]
pub extern "C" fn os_blocking_op_init() -> c_int {
    guard("os_blocking_op_init", BHT_ERROR, thread::blocking_op_init)
}

/// `void os_begin_blocking_op(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn os_begin_blocking_op() {
    guard("os_begin_blocking_op", (), thread::begin_blocking_op)
}

/// `void os_end_blocking_op(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn os_end_blocking_op() {
    guard("os_end_blocking_op", (), thread::end_blocking_op)
}

/// `int os_wakeup_blocking_op(korp_tid)`: `BHT_OK` / `BHT_ERROR`.
///
/// # Safety
/// `t` names a live thread of this process.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_wakeup_blocking_op(t: libc::pthread_t) -> c_int {
    // SAFETY: per the contract.
    guard("os_wakeup_blocking_op", BHT_ERROR, || unsafe {
        thread::wakeup_blocking_op(t)
    })
}

/// `void os_set_signal_number_for_blocking_op(int signo)`.
#[unsafe(no_mangle)]
pub extern "C" fn os_set_signal_number_for_blocking_op(signo: c_int) {
    guard("os_set_signal_number_for_blocking_op", (), || {
        thread::set_blocking_signal(signo)
    })
}

/// `int os_thread_signal_init(os_signal_handler)`: cwamr bounds-checks in software and needs
/// no signal handler; the thread is marked as set up. 0.
#[unsafe(no_mangle)]
pub extern "C" fn os_thread_signal_init(
    _handler: Option<unsafe extern "C" fn(*mut c_void)>,
) -> c_int {
    guard("os_thread_signal_init", -1, || {
        thread::set_signal_env(true);
        0
    })
}

/// `void os_thread_signal_destroy(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn os_thread_signal_destroy() {
    guard("os_thread_signal_destroy", (), || {
        thread::set_signal_env(false)
    })
}

/// `bool os_thread_signal_inited(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn os_thread_signal_inited() -> bool {
    guard("os_thread_signal_inited", false, thread::signal_env_inited)
}

/// `void os_signal_unmask(void)`: no signal is masked by cwamr; nothing to do.
#[unsafe(no_mangle)]
pub extern "C" fn os_signal_unmask() {
    guard("os_signal_unmask", (), || {})
}

/// `void os_sigreturn(void)`: nothing to do (used by WAMR's macOS signal path).
#[unsafe(no_mangle)]
pub extern "C" fn os_sigreturn() {
    guard("os_sigreturn", (), || {})
}
