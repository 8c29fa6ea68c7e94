//! String and memory functions of libc-builtin, on bounded guest views: `memcmp`, `memcpy`
//! (also `memmove`, `emscripten_memcpy_big`), `memset`, `memchr`, `strchr`, `strcmp`,
//! `strcpy`, `strlen`, `strncmp`, `strncpy`, `strncasecmp`, `strspn`, `strcspn`, `strstr`,
//! `atoi`, `strtol`, `strtoul`.
//!
//! As in WAMR, the signature checks run first (`*` one byte, `*~` its length, `$` a string
//! ending inside memory), then each function re-checks the range it really uses (`memcpy`'s
//! destination for `size` bytes, `strcpy`'s for the source length + 1, ...); a refused range
//! is a recorded violation and the trap `out of bounds memory access`. Comparisons and number
//! parsing call the host C library on copies (snapshots), so their results (sign and
//! magnitude) are the ones WAMR returns; pointers come back as app offsets.
//!
//! # Invariants
//! The host C functions only receive pointers to Rust-owned buffers that end with a NUL byte
//! (snapshots, or copies of checked guest ranges with a NUL appended), and `memcmp` /
//! `strncmp` / `strncasecmp` never get a length beyond the shorter buffer.

use std::ffi::{c_char, c_int};

use super::{Args, range, space};
use crate::cap::Perms;
use crate::error::Trap;
use crate::runtime::Caller;

/// A copy of the checked guest range `[off, off + len)`, with a NUL appended.
fn copy_nul(caller: &Caller<'_>, off: u32, len: u32) -> Result<Vec<u8>, Trap> {
    let m = space(caller);
    let r = range(caller, &m, u64::from(off), u64::from(len), Perms::LOAD)?;
    let mut v = r.to_vec().map_err(|_| super::oob())?;
    v.push(0);
    Ok(v)
}

fn ret_i32(v: c_int) -> Result<u64, Trap> {
    Ok(u64::from(v as u32))
}

/// `int memcmp(const void *s1, const void *s2, size_t n)` `(**~)i`.
pub(super) fn memcmp(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let n = a.u32(2);
    let s1 = copy_nul(caller, a.u32(0), n)?;
    let s2 = copy_nul(caller, a.u32(1), n)?;
    // SAFETY: both buffers hold at least `n` bytes (module invariants).
    let r = unsafe { libc::memcmp(s1.as_ptr().cast(), s2.as_ptr().cast(), n as usize) };
    ret_i32(r)
}

/// `void *memcpy(void *dst, const void *src, size_t n)` `(**~)i` (also `memmove` and
/// `emscripten_memcpy_big`; overlapping ranges are copied as by `memmove`).
pub(super) fn memcpy(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let (dst, src, n) = (a.u32(0), a.u32(1), a.u32(2));
    if n == 0 {
        return Ok(u64::from(dst));
    }
    let m = space(caller);
    let d = range(caller, &m, u64::from(dst), u64::from(n), Perms::STORE)?;
    let s = range(caller, &m, u64::from(src), u64::from(n), Perms::LOAD)?;
    crate::runtime::guest::GuestRange::copy(&d, 0, &s, 0, u64::from(n))
        .map_err(|_| super::oob())?;
    Ok(u64::from(dst))
}

/// `void *memset(void *s, int c, size_t n)` `(*ii)i`.
pub(super) fn memset(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let (s, c, n) = (a.u32(0), a.u32(1) as u8, a.u32(2));
    let m = space(caller);
    let r = range(caller, &m, u64::from(s), u64::from(n), Perms::STORE)?;
    r.fill(0, c, u64::from(n)).map_err(|_| super::oob())?;
    Ok(u64::from(s))
}

/// `void *memchr(const void *s, int c, size_t n)` `(*ii)i`: offset of the byte, or 0.
pub(super) fn memchr(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let (s, c, n) = (a.u32(0), a.u32(1) as u8, a.u32(2));
    let v = copy_nul(caller, s, n)?;
    Ok(v[..n as usize]
        .iter()
        .position(|&b| b == c)
        .map_or(0, |p| u64::from(s) + p as u64))
}

/// `char *strchr(const char *s, int c)` `($i)i`: offset of the character (the terminator
/// for `c == 0`), or 0.
pub(super) fn strchr(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let s = a.str(0);
    let c = a.u32(1) as u8;
    let base = s.offset();
    Ok(s.as_bytes_with_nul()
        .iter()
        .position(|&b| b == c)
        .map_or(0, |p| base + p as u64))
}

/// `int strcmp(const char *s1, const char *s2)` `($$)i`.
pub(super) fn strcmp(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let (s1, s2) = (a.str(0), a.str(1));
    // SAFETY: both are NUL-terminated snapshots (module invariants).
    ret_i32(unsafe { libc::strcmp(s1.as_c_ptr().cast(), s2.as_c_ptr().cast()) })
}

/// `char *strcpy(char *dst, const char *src)` `(*$)i`.
pub(super) fn strcpy(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let dst = a.u32(0);
    let src = a.str(1).as_bytes_with_nul();
    let m = space(caller);
    let d = range(caller, &m, u64::from(dst), src.len() as u64, Perms::STORE)?;
    d.write(0, src).map_err(|_| super::oob())?;
    Ok(u64::from(dst))
}

/// `size_t strlen(const char *s)` `($)i`.
pub(super) fn strlen(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    Ok(a.str(0).len() as u64 & 0xffff_ffff)
}

/// `int strncmp(const char *s1, const char *s2, size_t n)` `(**~)i`.
pub(super) fn strncmp(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let n = a.u32(2);
    let s1 = copy_nul(caller, a.u32(0), n)?;
    let s2 = copy_nul(caller, a.u32(1), n)?;
    // SAFETY: both buffers hold `n` bytes and a NUL (module invariants).
    ret_i32(unsafe { libc::strncmp(s1.as_ptr().cast(), s2.as_ptr().cast(), n as usize) })
}

/// `char *strncpy(char *dst, const char *src, size_t n)` `(**~)i`: copies up to the source's
/// NUL and pads `dst` with NULs to `n` bytes.
pub(super) fn strncpy(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let (dst, n) = (a.u32(0), a.u32(2));
    let src = copy_nul(caller, a.u32(1), n)?;
    let m = space(caller);
    let d = range(caller, &m, u64::from(dst), u64::from(n), Perms::STORE)?;
    let n = n as usize;
    let end = src[..n].iter().position(|&b| b == 0).unwrap_or(n);
    let mut v = src[..end].to_vec();
    v.resize(n, 0);
    d.write(0, &v).map_err(|_| super::oob())?;
    Ok(u64::from(dst))
}

/// `int strncasecmp(const char *s1, const char *s2, size_t n)` `($$i)i`.
pub(super) fn strncasecmp(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let (s1, s2, n) = (a.str(0), a.str(1), a.u32(2) as usize);
    // SAFETY: both are NUL-terminated snapshots: the host stops at the first NUL (module
    // invariants), whatever `n` is.
    ret_i32(unsafe { libc::strncasecmp(s1.as_c_ptr().cast(), s2.as_c_ptr().cast(), n) })
}

/// `size_t strspn(const char *s, const char *accept)` `($$)i`.
pub(super) fn strspn(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let set = a.str(1).as_bytes();
    let s = a.str(0).as_bytes();
    Ok(s.iter().take_while(|b| set.contains(b)).count() as u64)
}

/// `size_t strcspn(const char *s, const char *reject)` `($$)i`.
pub(super) fn strcspn(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let set = a.str(1).as_bytes();
    let s = a.str(0).as_bytes();
    Ok(s.iter().take_while(|b| !set.contains(b)).count() as u64)
}

/// `char *strstr(const char *s, const char *find)` `($$)i`: offset of the first match, or 0.
pub(super) fn strstr(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let (s, find) = (a.str(0), a.str(1).as_bytes());
    if find.is_empty() {
        return Ok(s.offset());
    }
    Ok(s.as_bytes()
        .windows(find.len())
        .position(|w| w == find)
        .map_or(0, |p| s.offset() + p as u64))
}

/// `int atoi(const char *s)` `($)i`.
pub(super) fn atoi(_caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    // SAFETY: a NUL-terminated snapshot (module invariants).
    ret_i32(unsafe { libc::atoi(a.str(0).as_c_ptr().cast()) })
}

/// Runs the host `strtol`/`strtoul` on the snapshot of parameter 0 and stores the app offset
/// of the end in the 4-byte `endptr` (parameter 1).
fn strto(
    caller: &mut Caller<'_>,
    a: &Args,
    f: unsafe extern "C" fn(*const c_char, *mut *mut c_char, c_int) -> u64,
) -> Result<u64, Trap> {
    let endptr = a.u32(1);
    let m = space(caller);
    let e = range(caller, &m, u64::from(endptr), 4, Perms::STORE)?;
    let s = a.str(0);
    let start = s.as_c_ptr().cast::<c_char>();
    let mut end: *mut c_char = start.cast_mut();
    // SAFETY: `start` is a NUL-terminated snapshot (module invariants); `end` is a valid
    // out-parameter that the host sets to a position inside it.
    let v = unsafe { f(start, &mut end, a.i32(2)) };
    let used = (end as usize).saturating_sub(start as usize).min(s.len());
    let app_end = (s.offset() + used as u64) as u32;
    e.write(0, &app_end.to_le_bytes())
        .map_err(|_| super::oob())?;
    Ok(v)
}

unsafe extern "C" fn host_strtol(s: *const c_char, end: *mut *mut c_char, base: c_int) -> u64 {
    // SAFETY: forwarded from `strto` (a NUL-terminated snapshot and a valid out-parameter).
    u64::from(unsafe { libc::strtol(s, end, base) } as i32 as u32)
}

unsafe extern "C" fn host_strtoul(s: *const c_char, end: *mut *mut c_char, base: c_int) -> u64 {
    // SAFETY: forwarded from `strto` (a NUL-terminated snapshot and a valid out-parameter).
    u64::from(unsafe { libc::strtoul(s, end, base) } as u32)
}

/// `long strtol(const char *s, char **endptr, int base)` `($*i)i` (the value cut to 32 bits).
pub(super) fn strtol(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    strto(caller, a, host_strtol)
}

/// `unsigned long strtoul(const char *s, char **endptr, int base)` `($*i)i`.
pub(super) fn strtoul(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    strto(caller, a, host_strtoul)
}
