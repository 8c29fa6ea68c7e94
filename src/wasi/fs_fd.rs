//! `fd_*` functions: I/O, seeking, descriptor state and file metadata on open descriptors.
//!
//! Each function: look the descriptor up (`badf`), check rights (`notcapable`), check every
//! guest range it will write (trap), then act, then write the out-params.

use super::ctx::WasiCtx;
use super::fdtable::FdEntry;
use super::guest::Guest;
use super::sys::{self, TimeSpec};
use super::types::{Errno, FileType, WasiResult, fdflags, fstflags, layout, rights};

/// Argument `i` as a `u32` (i32 parameters arrive in the low half of the cell).
#[inline(always)]
pub fn a32(a: &[u64], i: usize) -> u32 {
    a[i] as u32
}

/// Serialise a host `stat` as a preview1 `filestat`.
pub fn filestat_bytes(st: &libc::stat) -> [u8; layout::FILESTAT_SIZE] {
    let ns = |s: i64, n: i64| {
        (s as u64)
            .wrapping_mul(1_000_000_000)
            .wrapping_add(n as u64)
    };
    let mut b = [0u8; layout::FILESTAT_SIZE];
    b[0..8].copy_from_slice(&st.st_dev.to_le_bytes());
    b[8..16].copy_from_slice(&st.st_ino.to_le_bytes());
    b[16] = FileType::from_mode(st.st_mode) as u8;
    b[24..32].copy_from_slice(&st.st_nlink.to_le_bytes());
    b[32..40].copy_from_slice(&(st.st_size as u64).to_le_bytes());
    b[40..48].copy_from_slice(&ns(st.st_atime, st.st_atime_nsec).to_le_bytes());
    b[48..56].copy_from_slice(&ns(st.st_mtime, st.st_mtime_nsec).to_le_bytes());
    b[56..64].copy_from_slice(&ns(st.st_ctime, st.st_ctime_nsec).to_le_bytes());
    b
}

/// Preview1 `fdflags` of a host descriptor's status flags.
fn fdflags_of(host: i32) -> u16 {
    let mut f = 0;
    if host & libc::O_APPEND != 0 {
        f |= fdflags::APPEND;
    }
    if host & libc::O_NONBLOCK != 0 {
        f |= fdflags::NONBLOCK;
    }
    if host & libc::O_SYNC == libc::O_SYNC {
        f |= fdflags::SYNC;
    } else if host & libc::O_DSYNC != 0 {
        f |= fdflags::DSYNC;
    }
    f
}

/// Host open/status flags for preview1 `fdflags`.
pub fn host_fdflags(f: u16) -> i32 {
    let mut h = 0;
    if f & fdflags::APPEND != 0 {
        h |= libc::O_APPEND;
    }
    if f & fdflags::NONBLOCK != 0 {
        h |= libc::O_NONBLOCK;
    }
    if f & fdflags::DSYNC != 0 {
        h |= libc::O_DSYNC;
    }
    if f & (fdflags::SYNC | fdflags::RSYNC) != 0 {
        h |= libc::O_SYNC;
    }
    h
}

/// Decode `(atim, mtim, fst_flags)` into two timestamps; conflicting flags are `inval`.
pub fn times(atim: u64, mtim: u64, flags: u16) -> Result<(TimeSpec, TimeSpec), Errno> {
    use fstflags::*;
    if flags & !(ATIM | ATIM_NOW | MTIM | MTIM_NOW) != 0
        || flags & (ATIM | ATIM_NOW) == ATIM | ATIM_NOW
        || flags & (MTIM | MTIM_NOW) == MTIM | MTIM_NOW
    {
        return Err(Errno::Inval);
    }
    let pick = |set: u16, now: u16, v: u64| {
        if flags & now != 0 {
            TimeSpec::Now
        } else if flags & set != 0 {
            TimeSpec::At(v)
        } else {
            TimeSpec::Omit
        }
    };
    Ok((pick(ATIM, ATIM_NOW, atim), pick(MTIM, MTIM_NOW, mtim)))
}

fn entry_with(cx: &WasiCtx, fd: u32, needed: u64) -> Result<std::sync::Arc<FdEntry>, Errno> {
    let e = cx.entry(fd)?;
    e.require(needed)?;
    Ok(e)
}

/// `fd_advise(fd, offset: u64, len: u64, advice: u8)`.
pub fn fd_advise(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = entry_with(cx, a32(a, 0), rights::FD_ADVISE)?;
    let advice = match a32(a, 3) {
        0 => libc::POSIX_FADV_NORMAL,
        1 => libc::POSIX_FADV_SEQUENTIAL,
        2 => libc::POSIX_FADV_RANDOM,
        3 => libc::POSIX_FADV_WILLNEED,
        4 => libc::POSIX_FADV_DONTNEED,
        5 => libc::POSIX_FADV_NOREUSE,
        _ => return Err(Errno::Inval.into()),
    };
    if a[1] > i64::MAX as u64 || a[2] > i64::MAX as u64 {
        return Err(Errno::Inval.into());
    }
    if e.is_dir() {
        return Err(Errno::Badf.into());
    }
    Ok(sys::fadvise(e.fd(), a[1], a[2], advice)?)
}

/// `fd_allocate(fd, offset: u64, len: u64)`.
pub fn fd_allocate(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = entry_with(cx, a32(a, 0), rights::FD_ALLOCATE)?;
    if a[1] > i64::MAX as u64
        || a[2] == 0
        || a[2] > i64::MAX as u64
        || a[1]
            .checked_add(a[2])
            .is_none_or(|end| end > i64::MAX as u64)
    {
        return Err(Errno::Inval.into());
    }
    Ok(sys::fallocate(e.fd(), a[1], a[2])?)
}

/// `fd_close(fd)`.
pub fn fd_close(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    cx.fds.close(a32(a, 0))?;
    Ok(())
}

/// `fd_datasync(fd)`.
pub fn fd_datasync(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = entry_with(cx, a32(a, 0), rights::FD_DATASYNC)?;
    Ok(sys::fsync(e.fd(), true)?)
}

/// `fd_sync(fd)`.
pub fn fd_sync(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = entry_with(cx, a32(a, 0), rights::FD_SYNC)?;
    Ok(sys::fsync(e.fd(), false)?)
}

/// `fd_fdstat_get(fd, out: *fdstat)`.
pub fn fd_fdstat_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 1);
    g.check(out, layout::FDSTAT_SIZE as u64)?;
    let e = cx.entry(a32(a, 0))?;
    let flags = sys::get_status_flags(e.fd()).map(fdflags_of).unwrap_or(0);
    let (base, inh) = e.rights();
    let mut b = [0u8; layout::FDSTAT_SIZE];
    b[0] = e.filetype as u8;
    b[2..4].copy_from_slice(&flags.to_le_bytes());
    b[8..16].copy_from_slice(&base.to_le_bytes());
    b[16..24].copy_from_slice(&inh.to_le_bytes());
    Ok(g.write(out, &b)?)
}

/// `fd_fdstat_set_flags(fd, flags: u16)`: `append` and `nonblock` change; the sync flags are
/// accepted as the host accepts them.
pub fn fd_fdstat_set_flags(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = entry_with(cx, a32(a, 0), rights::FD_FDSTAT_SET_FLAGS)?;
    let f = a32(a, 1);
    if f > 0x1f {
        return Err(Errno::Inval.into());
    }
    let cur = sys::get_status_flags(e.fd())?;
    let keep = cur & !(libc::O_APPEND | libc::O_NONBLOCK);
    Ok(sys::set_status_flags(
        e.fd(),
        keep | host_fdflags(f as u16),
    )?)
}

/// `fd_fdstat_set_rights(fd, base: u64, inheriting: u64)`: only drops rights.
pub fn fd_fdstat_set_rights(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = cx.entry(a32(a, 0))?;
    Ok(e.shrink(a[1], a[2])?)
}

/// `fd_filestat_get(fd, out: *filestat)`.
pub fn fd_filestat_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 1);
    g.check(out, layout::FILESTAT_SIZE as u64)?;
    let e = entry_with(cx, a32(a, 0), rights::FD_FILESTAT_GET)?;
    let st = sys::fstat(e.fd())?;
    let mut b = filestat_bytes(&st);
    // Sockets and stdio keep the type they were classified with.
    if e.filetype != FileType::from_mode(st.st_mode) {
        b[16] = e.filetype as u8;
    }
    Ok(g.write(out, &b)?)
}

/// `fd_filestat_set_size(fd, size: u64)`.
pub fn fd_filestat_set_size(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = entry_with(cx, a32(a, 0), rights::FD_FILESTAT_SET_SIZE)?;
    Ok(sys::ftruncate(e.fd(), a[1])?)
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`.
pub fn fd_filestat_set_times(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = entry_with(cx, a32(a, 0), rights::FD_FILESTAT_SET_TIMES)?;
    let (at, mt) = times(a[1], a[2], a32(a, 3) as u16)?;
    Ok(sys::futimens(e.fd(), at, mt)?)
}

/// `fd_read(fd, iovs, iovs_len, nread: *u32)`.
pub fn fd_read(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 3);
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    g.check(out, 4)?;
    let e = entry_with(cx, a32(a, 0), rights::FD_READ)?;
    let n = sys::readv(e.fd(), &iovs)?;
    Ok(g.write_u32(out, n as u32)?)
}

/// `fd_write(fd, iovs, iovs_len, nwritten: *u32)`.
pub fn fd_write(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 3);
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    g.check(out, 4)?;
    let e = entry_with(cx, a32(a, 0), rights::FD_WRITE)?;
    let n = if matches!(e.filetype, FileType::SocketStream | FileType::SocketDgram) {
        // A closed peer must give `pipe`, never SIGPIPE to the host process.
        super::net::sendmsg(e.fd(), &iovs, None)?
    } else {
        sys::writev(e.fd(), &iovs)?
    };
    Ok(g.write_u32(out, n as u32)?)
}

/// `fd_pread(fd, iovs, iovs_len, offset: u64, nread: *u32)`.
pub fn fd_pread(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 4);
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    g.check(out, 4)?;
    let e = entry_with(cx, a32(a, 0), rights::FD_READ | rights::FD_SEEK)?;
    let n = sys::preadv(e.fd(), &iovs, a[3])?;
    Ok(g.write_u32(out, n as u32)?)
}

/// `fd_pwrite(fd, iovs, iovs_len, offset: u64, nwritten: *u32)`.
pub fn fd_pwrite(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 4);
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    g.check(out, 4)?;
    let e = entry_with(cx, a32(a, 0), rights::FD_WRITE | rights::FD_SEEK)?;
    let n = sys::pwritev(e.fd(), &iovs, a[3])?;
    Ok(g.write_u32(out, n as u32)?)
}

/// `fd_seek(fd, offset: i64, whence: u8, newoffset: *u64)`.
pub fn fd_seek(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let (offset, whence) = (a[1] as i64, a32(a, 2));
    let needed = if offset == 0 && whence == 1 {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    let out = a32(a, 3);
    g.check(out, 8)?;
    let e = entry_with(cx, a32(a, 0), needed)?;
    let w = match whence {
        0 => libc::SEEK_SET,
        1 => libc::SEEK_CUR,
        2 => libc::SEEK_END,
        _ => return Err(Errno::Inval.into()),
    };
    let pos = sys::lseek(e.fd(), offset, w)?;
    Ok(g.write_u64(out, pos)?)
}

/// `fd_tell(fd, offset: *u64)`.
pub fn fd_tell(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 1);
    g.check(out, 8)?;
    let e = entry_with(cx, a32(a, 0), rights::FD_TELL)?;
    let pos = sys::lseek(e.fd(), 0, libc::SEEK_CUR)?;
    Ok(g.write_u64(out, pos)?)
}

/// `fd_renumber(from, to)`.
pub fn fd_renumber(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    Ok(cx.fds.renumber(a32(a, 0), a32(a, 1))?)
}

/// `fd_prestat_get(fd, out: *prestat)`: only the preopened directories have one.
pub fn fd_prestat_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 1);
    g.check(out, layout::PRESTAT_SIZE as u64)?;
    let e = cx.entry(a32(a, 0))?;
    let name = e.preopen_name.as_ref().ok_or(Errno::Badf)?;
    let mut b = [0u8; layout::PRESTAT_SIZE];
    b[4..8].copy_from_slice(&(name.len() as u32).to_le_bytes());
    Ok(g.write(out, &b)?)
}

/// `fd_prestat_dir_name(fd, path: *u8, path_len)`: the guest name, without a NUL.
pub fn fd_prestat_dir_name(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let (out, len) = (a32(a, 1), a32(a, 2));
    g.check(out, u64::from(len))?;
    let e = cx.entry(a32(a, 0))?;
    let name = e.preopen_name.as_ref().ok_or(Errno::Badf)?;
    // A too-small buffer is `inval`, as WAMR.
    if (len as usize) < name.len() {
        return Err(Errno::Inval.into());
    }
    Ok(g.write(out, name)?)
}
