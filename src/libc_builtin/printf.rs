//! `printf`, `sprintf`, `snprintf` (and the `v` variants, the same functions): WAMR's
//! `_vprintf_wa` on bounded guest views.
//!
//! The guest passes its `va_list` as an app pointer to a packed argument area (clang's wasm32
//! ABI). Integers, characters, pointers and strings are 4-byte slots; 64-bit integers (`ll`,
//! `j`) and every floating conversion first align the cursor to 8 bytes and take 8. Each fetch
//! is a checked read of the caller's app space (linear memory or an attached shared heap): a slot past the end of memory traps with
//! `out of bounds memory access` (recorded as a violation), after the output produced so far.
//! `%s` reads a snapshot of the guest string. Each conversion is formatted by the host C
//! library's `snprintf` (as WAMR does), from a spec string this module built and validated,
//! with one typed argument: numbers print exactly as C prints them.
//!
//! Deliberate differences from WAMR (memory safety): length modifiers are dropped for `%s`
//! (WAMR passes `%ls` to the host, which would read the guest's bytes as `wchar_t`) and for
//! floating conversions (WAMR's `%llf` makes the host read a `long double` nobody passed).
//!
//! # Invariants
//! - Every `libc::snprintf` call gets a writable buffer with its exact length, a NUL-terminated
//!   spec of the form `%[flags width . precision][h l z t j]*C` where `C` is one conversion
//!   character, and exactly one argument of the type `C` (with those modifiers) reads: `c_int`
//!   for `d i o u x X c` without `ll`/`j`, `c_longlong` with them, a pointer for `p`, `f64`
//!   for `e E f F g G` (no modifiers), and for `s` (no modifiers) a NUL-terminated snapshot or
//!   NULL. No spec contains `*`, `$` or `n`, so the host reads no other argument.

use std::ffi::{c_char, c_int, c_longlong, c_void};

use super::{Args, c_string, range, space};
use crate::cap::Perms;
use crate::error::Trap;
use crate::os::console;
use crate::runtime::Caller;
use crate::runtime::app_space::{AppSpace, Region};

/// The cursor over a guest `va_list`.
struct VaList<'m> {
    space: &'m AppSpace,
    ap: u64,
}

impl VaList<'_> {
    fn fetch<const N: usize>(&mut self, caller: &Caller<'_>) -> Result<[u8; N], Trap> {
        if N == 8 {
            self.ap = (self.ap + 7) & !7;
        }
        let r = range(caller, self.space, self.ap, N as u64, Perms::LOAD)?;
        let mut b = [0u8; N];
        r.read(0, &mut b).map_err(|_| super::oob())?;
        self.ap += N as u64;
        Ok(b)
    }

    fn u32(&mut self, caller: &Caller<'_>) -> Result<u32, Trap> {
        self.fetch::<4>(caller).map(u32::from_le_bytes)
    }

    fn u64(&mut self, caller: &Caller<'_>) -> Result<u64, Trap> {
        self.fetch::<8>(caller).map(u64::from_le_bytes)
    }
}

/// One typed value for the host `snprintf`.
enum HostArg<'s> {
    Int(c_int),
    Long(c_longlong),
    Ptr(usize),
    Double(f64),
    Str(Option<&'s [u8]>),
}

/// Formats one conversion with the host C library into a buffer of `cap` bytes and appends
/// what C would print (up to the first NUL) to `out`.
fn host_format(spec: &[u8], arg: HostArg<'_>, cap: usize, out: &mut Vec<u8>) {
    let mut fmt = spec.to_vec();
    fmt.push(0);
    let mut buf = vec![0u8; cap.max(1)];
    let b = buf.as_mut_ptr().cast::<c_char>();
    let f = fmt.as_ptr().cast::<c_char>();
    let n = match arg {
        // SAFETY: module invariants: `buf` is writable for `buf.len()` bytes, `fmt` is a
        // validated NUL-terminated spec consuming exactly this one `int`.
        HostArg::Int(v) => unsafe { libc::snprintf(b, buf.len(), f, v) },
        // SAFETY: as above, one `long long`.
        HostArg::Long(v) => unsafe { libc::snprintf(b, buf.len(), f, v) },
        // SAFETY: as above, one pointer (`%p` prints it, never dereferences it).
        HostArg::Ptr(v) => unsafe { libc::snprintf(b, buf.len(), f, v as *const c_void) },
        // SAFETY: as above, one `double`.
        HostArg::Double(v) => unsafe { libc::snprintf(b, buf.len(), f, v) },
        HostArg::Str(s) => {
            let p = s.map_or(std::ptr::null(), |s| s.as_ptr().cast::<c_char>());
            // SAFETY: as above, one C string: `s` ends with a NUL (a snapshot) or is NULL.
            unsafe { libc::snprintf(b, buf.len(), f, p) }
        }
    };
    if n > 0 {
        let end = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
        out.extend_from_slice(&buf[..end]);
    }
}

/// `spec` without its length modifiers (`%-5.2ls` -> `%-5.2s`).
fn without_length(spec: &[u8]) -> Vec<u8> {
    spec.iter()
        .copied()
        .filter(|c| !matches!(c, b'h' | b'l' | b'z' | b't' | b'j'))
        .collect()
}

/// Formats `fmt` with the arguments at app offset `ap`, appending the output to `out`. On a
/// trap, `out` holds what was produced before it.
fn format(
    caller: &Caller<'_>,
    space: &AppSpace,
    fmt: &[u8],
    ap: u32,
    out: &mut Vec<u8>,
) -> Result<(), Trap> {
    let mut va = VaList {
        space,
        ap: u64::from(ap),
    };
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        let start = i;
        let mut long_ctr = 0u32;
        i += 1;
        let conv = loop {
            let Some(&c) = fmt.get(i) else {
                // A spec cut off by the end of the string prints nothing.
                return Ok(());
            };
            match c {
                b'.' | b'+' | b'-' | b' ' | b'#' | b'0'..=b'9' | b'h' => {}
                b't' | b'z' => long_ctr = 1,
                b'j' => long_ctr = 2,
                b'l' => long_ctr += 1,
                _ => break c,
            }
            i += 1;
        };
        let spec = &fmt[start..=i];
        i += 1;
        match conv {
            b'o' | b'd' | b'i' | b'u' | b'p' | b'x' | b'X' | b'c' => {
                if long_ctr < 2 {
                    let d = va.u32(caller)?;
                    let mut s = spec.to_vec();
                    let last = s.len() - 2;
                    if long_ctr == 1 && matches!(s[last], b'l' | b'z' | b't') {
                        s.remove(last);
                    }
                    let arg = if conv == b'p' {
                        HostArg::Ptr(d as usize)
                    } else {
                        HostArg::Int(d as c_int)
                    };
                    host_format(&s, arg, 64, out);
                } else {
                    let v = va.u64(caller)?;
                    let arg = if conv == b'p' {
                        HostArg::Ptr(v as usize)
                    } else {
                        HostArg::Long(v as c_longlong)
                    };
                    host_format(spec, arg, 64, out);
                }
            }
            b's' => {
                let off = va.u32(caller)?;
                let s = c_string(caller, space, u64::from(off))?;
                let arg = if off == 0 && s.is_empty() {
                    None
                } else {
                    Some(s.as_bytes_with_nul())
                };
                host_format(&without_length(spec), HostArg::Str(arg), s.len() + 64, out);
            }
            b'%' => out.push(b'%'),
            b'e' | b'E' | b'g' | b'G' | b'f' | b'F' => {
                let v = f64::from_bits(va.u64(caller)?);
                host_format(&without_length(spec), HostArg::Double(v), 64, out);
            }
            b'n' => {}
            other => {
                out.push(b'%');
                out.push(other);
            }
        }
    }
    Ok(())
}

/// Checks the `va_list` pointer (4 bytes, as WAMR) and formats.
fn run(caller: &Caller<'_>, fmt: &[u8], ap: u32, out: &mut Vec<u8>) -> Result<(), Trap> {
    let space = space(caller);
    range(caller, &space, u64::from(ap), 4, Perms::LOAD)?;
    format(caller, &space, fmt, ap, out)
}

/// `int printf(const char *fmt, va_list ap)` `($*)i` (also `vprintf`): the number of bytes
/// printed to the console.
pub(super) fn printf(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let mut out = Vec::new();
    let r = run(caller, a.str(0).as_bytes(), a.u32(1), &mut out);
    console::write(&out);
    r.map(|()| u64::from(out.len() as u32))
}

/// Stores `out` at `dst` (a buffer of `max` bytes) as WAMR's `sprintf_out` does: bytes while
/// they fit before the last one, a NUL in the last one when reached, and (when `terminate`) a
/// NUL after the output if there is room.
fn store(caller: &Caller<'_>, dst: u32, max: u64, out: &[u8], terminate: bool) -> Result<(), Trap> {
    if max == 0 {
        return Ok(());
    }
    let space = space(caller);
    let r = range(caller, &space, u64::from(dst), max, Perms::STORE)?;
    let n = out.len() as u64;
    let k = n.min(max - 1);
    let fail = |_| super::oob();
    r.write(0, &out[..k as usize]).map_err(fail)?;
    if n >= max {
        r.write(max - 1, &[0]).map_err(fail)?;
    } else if terminate {
        r.write(n, &[0]).map_err(fail)?;
    }
    Ok(())
}

fn to_buffer(caller: &Caller<'_>, dst: u32, max: u64, fmt: &[u8], ap: u32) -> Result<u64, Trap> {
    let mut out = Vec::new();
    let r = run(caller, fmt, ap, &mut out);
    store(caller, dst, max, &out, r.is_ok())?;
    r.map(|()| u64::from(out.len() as u32))
}

/// `int sprintf(char *dst, const char *fmt, va_list ap)` `($$*)i` (also `vsprintf`): the
/// buffer is bounded by the end of linear memory; a destination elsewhere (an attached shared
/// heap) traps out of bounds, as WAMR's `wasm_runtime_get_native_addr_range` refuses it.
pub(super) fn sprintf(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let dst = a.u32(0);
    let space = space(caller);
    if space.region(u64::from(dst)) != Region::Linear {
        return Err(super::refuse(
            caller,
            space.memory().map(|m| &**m),
            u64::from(dst),
            1,
        ));
    }
    let end = space.region_end(u64::from(dst)).unwrap_or(0);
    let max = end.saturating_sub(u64::from(dst)).min(u64::from(u32::MAX));
    to_buffer(caller, dst, max, a.str(1).as_bytes(), a.u32(2))
}

/// `int snprintf(char *dst, size_t n, const char *fmt, va_list ap)` `(*~$*)i` (also
/// `vsnprintf`): the length that would have been written.
pub(super) fn snprintf(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    to_buffer(
        caller,
        a.u32(0),
        u64::from(a.u32(1)),
        a.str(2).as_bytes(),
        a.u32(3),
    )
}
