//! Arguments, environment, `proc_exit`, `proc_raise`, `sched_yield` and `random_get`.

use super::ctx::WasiCtx;
use super::fs_fd::a32;
use super::guest::Guest;
use super::sys;
use super::types::{Errno, Fail, WasiResult};
use crate::error::Trap;

/// Write a list of strings the way `args_get`/`environ_get` do: pointers into `argv`, the
/// NUL-terminated bytes into `buf`. Both ranges are checked before anything is written.
fn write_list(g: Guest<'_>, list: &[Vec<u8>], ptrs: u32, buf: u32) -> WasiResult {
    let total: u64 = list.iter().map(|s| s.len() as u64 + 1).sum();
    g.check(ptrs, list.len() as u64 * 4)?;
    g.check(buf, total)?;
    let mut p = Vec::with_capacity(list.len() * 4);
    let mut b = Vec::with_capacity(total as usize);
    for s in list {
        p.extend_from_slice(&(buf.wrapping_add(b.len() as u32)).to_le_bytes());
        b.extend_from_slice(s);
        b.push(0);
    }
    g.write(ptrs, &p)?;
    Ok(g.write(buf, &b)?)
}

fn write_sizes(g: Guest<'_>, list: &[Vec<u8>], count: u32, size: u32) -> WasiResult {
    g.check(count, 4)?;
    g.check(size, 4)?;
    let total: u64 = list.iter().map(|s| s.len() as u64 + 1).sum();
    let total = u32::try_from(total).map_err(|_| Errno::Overflow)?;
    g.write_u32(count, list.len() as u32)?;
    Ok(g.write_u32(size, total)?)
}

/// `args_get(argv: **u8, argv_buf: *u8)`.
pub fn args_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    write_list(g, &cx.args, a32(a, 0), a32(a, 1))
}

/// `args_sizes_get(argc: *u32, argv_buf_size: *u32)`.
pub fn args_sizes_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    write_sizes(g, &cx.args, a32(a, 0), a32(a, 1))
}

/// `environ_get(environ: **u8, environ_buf: *u8)`.
pub fn environ_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    write_list(g, &cx.envs, a32(a, 0), a32(a, 1))
}

/// `environ_sizes_get(count: *u32, buf_size: *u32)`.
pub fn environ_sizes_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    write_sizes(g, &cx.envs, a32(a, 0), a32(a, 1))
}

/// `proc_exit(code)`: records the code and ends the call with WAMR's `wasi proc exit`.
pub fn proc_exit(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let code = a32(a, 0);
    cx.set_exit_code(code);
    Err(Fail::Trap(Trap::Exit(code)))
}

/// `proc_raise(sig)`: as WAMR, raises the exception `wasi proc raise <sig>`.
pub fn proc_raise(_cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    Err(Fail::Trap(Trap::Host(format!(
        "wasi proc raise {}",
        a32(a, 0) as u8
    ))))
}

/// `sched_yield()`.
pub fn sched_yield(_cx: &WasiCtx, _g: Guest<'_>, _a: &[u64]) -> WasiResult {
    sys::sched_yield();
    Ok(())
}

/// `random_get(buf, len)`: checked once, then filled in bounded chunks.
pub fn random_get(_cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let (buf, len) = (a32(a, 0), a32(a, 1));
    g.check(buf, u64::from(len))?;
    let mut chunk = [0u8; 4096];
    let mut done = 0u32;
    while done < len {
        let n = (len - done).min(chunk.len() as u32) as usize;
        sys::getrandom(&mut chunk[..n])?;
        g.write(buf + done, &chunk[..n])?;
        done += n as u32;
    }
    Ok(())
}
