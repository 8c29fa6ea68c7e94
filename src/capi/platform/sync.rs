//! `platform_api_extension.h` synchronisation: recursive mutexes, condition variables (with
//! WAMR's relative timed wait), read-write locks and POSIX semaphores, as pass-throughs to
//! pthreads / libc with WAMR's return conventions.
//!
//! # Invariants
//! A `korp_mutex *` / `korp_cond *` / `korp_rwlock *` / `korp_sem *` from C points to an
//! object of that pthread / libc type owned by the caller; NULL is refused.

use std::ffi::{c_char, c_int};

use super::{BHT_ERROR, BHT_OK};
use crate::capi::ffi::guard;
use crate::os::time;

fn ok(r: c_int) -> c_int {
    if r == 0 { BHT_OK } else { BHT_ERROR }
}

/// `int os_recursive_mutex_init(korp_mutex *)`.
///
/// # Safety
/// `m` is NULL or points to a `pthread_mutex_t` owned by the caller.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_recursive_mutex_init(m: *mut libc::pthread_mutex_t) -> c_int {
    guard("os_recursive_mutex_init", BHT_ERROR, || {
        if m.is_null() {
            return BHT_ERROR;
        }
        // SAFETY: zeroed storage is valid for pthread_mutexattr_init; `m` is the caller's
        // (module invariant); the attribute is destroyed on every path.
        unsafe {
            let mut a: libc::pthread_mutexattr_t = std::mem::zeroed();
            if libc::pthread_mutexattr_init(&mut a) != 0 {
                return BHT_ERROR;
            }
            let r = if libc::pthread_mutexattr_settype(&mut a, libc::PTHREAD_MUTEX_RECURSIVE) == 0 {
                libc::pthread_mutex_init(m, &a)
            } else {
                -1
            };
            libc::pthread_mutexattr_destroy(&mut a);
            ok(r)
        }
    })
}

macro_rules! obj_fn {
    ($(#[$doc:meta])* $name:ident, $ty:ty, $call:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// The pointer is NULL or points to an object of its type owned by the caller.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(p: *mut $ty) -> c_int {
            guard(stringify!($name), BHT_ERROR, || {
                if p.is_null() {
                    return BHT_ERROR;
                }
                // SAFETY: non-NULL and the caller's object (module invariant).
                ok(unsafe { $call(p) })
            })
        }
    };
}

obj_fn!(
    /// `int os_cond_init(korp_cond *)`.
    os_cond_init, libc::pthread_cond_t, |c| libc::pthread_cond_init(c, std::ptr::null())
);
obj_fn!(
    /// `int os_cond_destroy(korp_cond *)`.
    os_cond_destroy, libc::pthread_cond_t, libc::pthread_cond_destroy
);
obj_fn!(
    /// `int os_cond_signal(korp_cond *)`.
    os_cond_signal, libc::pthread_cond_t, libc::pthread_cond_signal
);
obj_fn!(
    /// `int os_cond_broadcast(korp_cond *)`.
    os_cond_broadcast, libc::pthread_cond_t, libc::pthread_cond_broadcast
);
obj_fn!(
    /// `int os_rwlock_init(korp_rwlock *)`.
    os_rwlock_init, libc::pthread_rwlock_t, |l| libc::pthread_rwlock_init(l, std::ptr::null())
);
obj_fn!(
    /// `int os_rwlock_rdlock(korp_rwlock *)`.
    os_rwlock_rdlock, libc::pthread_rwlock_t, libc::pthread_rwlock_rdlock
);
obj_fn!(
    /// `int os_rwlock_wrlock(korp_rwlock *)`.
    os_rwlock_wrlock, libc::pthread_rwlock_t, libc::pthread_rwlock_wrlock
);
obj_fn!(
    /// `int os_rwlock_unlock(korp_rwlock *)`.
    os_rwlock_unlock, libc::pthread_rwlock_t, libc::pthread_rwlock_unlock
);
obj_fn!(
    /// `int os_rwlock_destroy(korp_rwlock *)`.
    os_rwlock_destroy, libc::pthread_rwlock_t, libc::pthread_rwlock_destroy
);

/// `int os_cond_wait(korp_cond *, korp_mutex *)`.
///
/// # Safety
/// Both are NULL or the caller's objects; the mutex is locked by the calling thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_cond_wait(
    c: *mut libc::pthread_cond_t,
    m: *mut libc::pthread_mutex_t,
) -> c_int {
    guard("os_cond_wait", BHT_ERROR, || {
        if c.is_null() || m.is_null() {
            return BHT_ERROR;
        }
        // SAFETY: the caller's objects (module invariant and contract).
        ok(unsafe { libc::pthread_cond_wait(c, m) })
    })
}

/// `int os_cond_reltimedwait(korp_cond *, korp_mutex *, uint64 useconds)`: `BHT_OK`, or
/// `ETIMEDOUT` when the time ran out (WAMR returns the errno, not `BHT_TIMED_OUT`), else
/// `BHT_ERROR`. `BHT_WAIT_FOREVER` waits without a timeout.
///
/// # Safety
/// As [`os_cond_wait`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_cond_reltimedwait(
    c: *mut libc::pthread_cond_t,
    m: *mut libc::pthread_mutex_t,
    useconds: u64,
) -> c_int {
    guard("os_cond_reltimedwait", BHT_ERROR, || {
        if c.is_null() || m.is_null() {
            return BHT_ERROR;
        }
        let r = if useconds == u64::MAX {
            // SAFETY: the caller's objects (module invariant and contract).
            unsafe { libc::pthread_cond_wait(c, m) }
        } else {
            let deadline = time::realtime_deadline(useconds).unwrap_or_else(|| {
                crate::os::console::write_str(
                    "Warning: os_cond_reltimedwait exceeds limit, set to max timeout instead\n",
                );
                libc::timespec {
                    tv_sec: libc::time_t::MAX,
                    tv_nsec: 999_999_999,
                }
            });
            // SAFETY: as above; `deadline` is a valid timespec.
            unsafe { libc::pthread_cond_timedwait(c, m, &deadline) }
        };
        match r {
            0 => BHT_OK,
            libc::ETIMEDOUT => libc::ETIMEDOUT,
            _ => BHT_ERROR,
        }
    })
}

/// `korp_sem *os_sem_open(const char *name, int oflags, int mode, int val)`: `sem_open`,
/// NULL on failure.
///
/// # Safety
/// `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_sem_open(
    name: *const c_char,
    oflags: c_int,
    mode: c_int,
    val: c_int,
) -> *mut libc::sem_t {
    guard("os_sem_open", std::ptr::null_mut(), || {
        if name.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: NUL-terminated per the contract; mode and value are passed as sem_open's
        // variadic arguments with their C types.
        let s = unsafe { libc::sem_open(name, oflags, mode as libc::c_uint, val as libc::c_uint) };
        if s == libc::SEM_FAILED {
            std::ptr::null_mut()
        } else {
            s
        }
    })
}

macro_rules! sem_fn {
    ($(#[$doc:meta])* $name:ident, $call:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `s` is NULL or a semaphore from `os_sem_open`.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(s: *mut libc::sem_t) -> c_int {
            guard(stringify!($name), -1, || {
                if s.is_null() {
                    return -1;
                }
                // SAFETY: the caller's semaphore (module invariant).
                unsafe { $call(s) }
            })
        }
    };
}

sem_fn!(
    /// `int os_sem_close(korp_sem *)`: 0 / -1.
    os_sem_close, libc::sem_close
);
sem_fn!(
    /// `int os_sem_wait(korp_sem *)`: 0 / -1.
    os_sem_wait, libc::sem_wait
);
sem_fn!(
    /// `int os_sem_trywait(korp_sem *)`: 0 / -1.
    os_sem_trywait, libc::sem_trywait
);
sem_fn!(
    /// `int os_sem_post(korp_sem *)`: 0 / -1.
    os_sem_post, libc::sem_post
);

/// `int os_sem_getvalue(korp_sem *, int *sval)`: 0 / -1.
///
/// # Safety
/// `s` is NULL or a semaphore from `os_sem_open`; `sval` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_sem_getvalue(s: *mut libc::sem_t, sval: *mut c_int) -> c_int {
    guard("os_sem_getvalue", -1, || {
        if s.is_null() || sval.is_null() {
            return -1;
        }
        // SAFETY: the caller's semaphore and a writable int (contract).
        unsafe { libc::sem_getvalue(s, sval) }
    })
}

/// `int os_sem_unlink(const char *name)`: 0 / -1.
///
/// # Safety
/// `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn os_sem_unlink(name: *const c_char) -> c_int {
    guard("os_sem_unlink", -1, || {
        if name.is_null() {
            return -1;
        }
        // SAFETY: NUL-terminated per the contract.
        unsafe { libc::sem_unlink(name) }
    })
}
