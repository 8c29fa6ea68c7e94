//! The rest of libc-builtin: `puts`, `putchar` (console output), the `<ctype.h>` functions,
//! `exit` / `abort` / `abortStackOverflow` / `nullFunc_X` (exceptions, never a process
//! exit), `__cxa_begin_catch` / `__cxa_throw`, `clock_gettime` and `clock`.
//!
//! The ctype functions return the host C library's value (non-zero, not necessarily 1), as
//! WAMR does; for arguments outside `-128..=255` (where a C library's table lookup would read
//! outside its table) they return 0.
//!
//! # Invariants
//! The host ctype functions are only called with values in `-128..=255` (`tolower` and
//! `toupper` check their argument themselves); `clock_gettime` gets a valid `timespec`.

use super::{Args, exception, range, space};
use crate::cap::Perms;
use crate::error::Trap;
use crate::os::console;
use crate::runtime::Caller;

/// `int puts(const char *s)` `($)i`: prints the string and a newline; the bytes printed.
pub(super) fn puts(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let mut v = a.str(0).as_bytes().to_vec();
    v.push(b'\n');
    Ok(console::write(&v) as u64 & 0xffff_ffff)
}

/// `int putchar(int c)` `(i)i`: prints the byte; returns 1 (WAMR).
pub(super) fn putchar(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    console::write(&[a.u32(0) as u8]);
    Ok(1)
}

macro_rules! ctype {
    ($($name:ident),*) => {$(
        #[doc = concat!("`int ", stringify!($name), "(int c)` `(i)i`.")]
        pub(super) fn $name(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
            let c = a.i32(0);
            if !(-128..=255).contains(&c) {
                return Ok(0);
            }
            // SAFETY: `c` is in the range the C library's tables cover (module invariants).
            Ok(u64::from(unsafe { libc::$name(c) } as u32))
        }
    )*};
}

ctype!(
    isupper, isalpha, isspace, isgraph, isprint, isdigit, isxdigit, isalnum
);

/// `int tolower(int c)` `(i)i`.
pub(super) fn tolower(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    // SAFETY: the C library's `tolower` accepts any `int` (it checks the range itself).
    Ok(u64::from(unsafe { libc::tolower(a.i32(0)) } as u32))
}

/// `int toupper(int c)` `(i)i`.
pub(super) fn toupper(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    // SAFETY: as `tolower`.
    Ok(u64::from(unsafe { libc::toupper(a.i32(0)) } as u32))
}

/// `void exit(int status)` `(i)`: the exception `env.exit(STATUS)`.
pub(super) fn exit(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    Err(exception(format!("env.exit({})", a.i32(0))))
}

/// `void abort(int code)` `(i)`: the exception `env.abort(CODE)`.
pub(super) fn abort(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    Err(exception(format!("env.abort({})", a.i32(0))))
}

/// `abortStackOverflow(int)` `(i)`: the exception `env.abortStackOverflow(CODE)` (cut to 31
/// bytes).
pub(super) fn abort_stack_overflow(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    Err(exception(format!("env.abortStackOverflow({})", a.i32(0))))
}

/// `nullFunc_X(int)` `(i)`: the exception `env.nullFunc_X(CODE)`.
pub(super) fn null_func_x(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    Err(exception(format!("env.nullFunc_X({})", a.i32(0))))
}

/// `__cxa_begin_catch(void *)` `(*)`: nothing.
pub(super) fn cxa_begin_catch(_caller: &mut Caller<'_>, _a: &Args) -> Result<u64, Trap> {
    Ok(0)
}

/// `__cxa_throw(void *, void *, int)` `(**i)`: the exception `exception thrown by stdc++`.
pub(super) fn cxa_throw(_caller: &mut Caller<'_>, _a: &Args) -> Result<u64, Trap> {
    Err(exception("exception thrown by stdc++".to_string()))
}

/// WAMR's `os_time_get_boot_us`: `CLOCK_MONOTONIC` in microseconds.
pub(crate) fn boot_us() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec (module invariants).
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64) * 1_000_000 + (ts.tv_nsec as u64) / 1000
}

/// `int clock_gettime(int clk, struct timespec *ts)` `(i*)i`: the clock id is ignored (the
/// monotonic boot clock, as WAMR); writes `{int64 tv_sec; int32 tv_nsec}` into 16 checked
/// bytes.
pub(super) fn clock_gettime(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let ts = a.u32(1);
    let m = space(caller);
    let r = range(caller, &m, u64::from(ts), 16, Perms::STORE)?;
    let t = boot_us();
    let mut b = [0u8; 12];
    b[..8].copy_from_slice(&(t / 1_000_000).to_le_bytes());
    b[8..].copy_from_slice(&(((t % 1_000_000) * 1000) as u32).to_le_bytes());
    r.write(0, &b).map_err(|_| super::oob())?;
    Ok(0)
}

/// `clock()` `()I`: nanoseconds of the boot clock (wasi-sdk's `CLOCKS_PER_SEC`).
pub(super) fn clock(_caller: &mut Caller<'_>, _a: &Args) -> Result<u64, Trap> {
    Ok(boot_us().wrapping_mul(1000))
}
