//! `path_*` functions: everything that names a file through a directory capability.
//!
//! Paths are resolved by [`super::path`], never by the host's own lookup from the process
//! root or current directory. Links and renames need both directories to descend from the
//! same preopen (otherwise `notcapable`): this closes read-only → read-write laundering
//! between preopens.

use std::sync::Arc;

use super::ctx::WasiCtx;
use super::fdtable::{FdEntry, Resource};
use super::fs_fd::{a32, filestat_bytes, host_fdflags, times};
use super::guest::Guest;
use super::path::{self, Resolved};
use super::sys;
use super::types::{
    Errno, FileType, LOOKUP_SYMLINK_FOLLOW, WasiResult, fdflags, layout, oflags, rights,
};

/// A directory descriptor holding `needed`: `badf`, `notdir` or `notcapable` otherwise.
fn dir_with(cx: &WasiCtx, fd: u32, needed: u64) -> Result<Arc<FdEntry>, Errno> {
    let e = cx.entry(fd)?;
    if !e.is_dir() {
        return Err(Errno::Notdir);
    }
    e.require(needed)?;
    Ok(e)
}

/// Links and renames stay within one preopen.
fn same_root(a: &FdEntry, b: &FdEntry) -> Result<(), Errno> {
    if a.root == b.root {
        Ok(())
    } else {
        Err(Errno::Notcapable)
    }
}

/// `path_open(dirfd, dirflags, path, path_len, oflags, rights_base, rights_inheriting,
/// fdflags, fd_out)`.
pub fn path_open(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let of = a32(a, 4) as u16;
    let (base_req, inh_req, ff) = (a[5], a[6], a32(a, 7) as u16);
    let mut needed = rights::PATH_OPEN;
    if of & oflags::CREAT != 0 {
        needed |= rights::PATH_CREATE_FILE;
    }
    if of & oflags::TRUNC != 0 {
        needed |= rights::PATH_FILESTAT_SET_SIZE;
    }
    let p = g.path(a32(a, 2), a32(a, 3))?;
    let out = a32(a, 8);
    g.check(out, 4)?;
    let dir = dir_with(cx, a32(a, 0), needed)?;
    if of & !(oflags::CREAT | oflags::DIRECTORY | oflags::EXCL | oflags::TRUNC) != 0 || ff > 0x1f {
        return Err(Errno::Inval.into());
    }
    // The new descriptor's rights must come from what the directory may hand on.
    let mut wanted = base_req;
    if ff & fdflags::DSYNC != 0 {
        wanted |= rights::FD_DATASYNC;
    }
    if ff & (fdflags::SYNC | fdflags::RSYNC) != 0 {
        wanted |= rights::FD_SYNC;
    }
    let (_, dir_inh) = dir.rights();
    if wanted & !dir_inh != 0 || inh_req & !dir_inh != 0 {
        return Err(Errno::Notcapable.into());
    }
    let read = base_req & (rights::FD_READ | rights::FD_READDIR) != 0;
    let write = base_req
        & (rights::FD_DATASYNC
            | rights::FD_WRITE
            | rights::FD_ALLOCATE
            | rights::FD_FILESTAT_SET_SIZE)
        != 0;
    // Write-type rights open for writing even with `oflags::DIRECTORY`, so a directory asked
    // for writing fails with `isdir` as the host (and WAMR) says.
    let mut flags = match (read, write) {
        (true, true) => libc::O_RDWR,
        (false, true) => libc::O_WRONLY,
        _ => libc::O_RDONLY,
    };
    flags |= libc::O_NOCTTY | host_fdflags(ff);
    if of & oflags::CREAT != 0 {
        flags |= libc::O_CREAT;
    }
    if of & oflags::EXCL != 0 {
        flags |= libc::O_EXCL;
    }
    if of & oflags::TRUNC != 0 {
        flags |= libc::O_TRUNC;
    }
    if of & oflags::DIRECTORY != 0 {
        flags |= libc::O_DIRECTORY;
    }
    let follow = a32(a, 1) & LOOKUP_SYMLINK_FOLLOW != 0;
    let fd = path::open(dir.fd(), &p, follow, flags, 0o666)?;
    if sys::is_procfs(std::os::fd::AsFd::as_fd(&fd)) {
        return Err(Errno::Notcapable.into());
    }
    let st = sys::fstat(std::os::fd::AsFd::as_fd(&fd))?;
    let ft = FileType::from_mode(st.st_mode);
    let entry = match ft {
        FileType::Directory => FdEntry::new(
            Resource::Dir(fd),
            ft,
            base_req & rights::DIRECTORY_BASE,
            inh_req & rights::DIRECTORY_INHERITING,
            dir.root,
        ),
        FileType::CharacterDevice => FdEntry::new(
            Resource::File(fd),
            ft,
            base_req & rights::TTY_BASE,
            0,
            dir.root,
        ),
        _ => FdEntry::new(
            Resource::File(fd),
            ft,
            base_req & rights::REGULAR_FILE_BASE,
            0,
            dir.root,
        ),
    };
    let n = cx.fds.insert(entry)?;
    Ok(g.write_u32(out, n)?)
}

/// Resolve `path` beneath `dir`.
fn resolve<'a>(dir: &'a FdEntry, p: &[u8], follow: bool) -> Result<Resolved<'a>, Errno> {
    path::resolve(dir.fd(), p, follow)
}

/// `path_create_directory(fd, path, path_len)`.
pub fn path_create_directory(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let p = g.path(a32(a, 1), a32(a, 2))?;
    let dir = dir_with(cx, a32(a, 0), rights::PATH_CREATE_DIRECTORY)?;
    let r = resolve(&dir, &p, false)?;
    if r.is_dot() {
        return Err(Errno::Exist.into());
    }
    Ok(sys::mkdirat(r.parent.fd(), &r.name, 0o777)?)
}

/// `path_filestat_get(fd, flags, path, path_len, out: *filestat)`.
pub fn path_filestat_get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let p = g.path(a32(a, 2), a32(a, 3))?;
    let out = a32(a, 4);
    g.check(out, layout::FILESTAT_SIZE as u64)?;
    let dir = dir_with(cx, a32(a, 0), rights::PATH_FILESTAT_GET)?;
    let r = resolve(&dir, &p, a32(a, 1) & LOOKUP_SYMLINK_FOLLOW != 0)?;
    r.check_dir_demand()?;
    let st = sys::lstatat(r.parent.fd(), &r.name)?;
    Ok(g.write(out, &filestat_bytes(&st))?)
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`.
pub fn path_filestat_set_times(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let p = g.path(a32(a, 2), a32(a, 3))?;
    let dir = dir_with(cx, a32(a, 0), rights::PATH_FILESTAT_SET_TIMES)?;
    let (at, mt) = times(a[4], a[5], a32(a, 6) as u16)?;
    let r = resolve(&dir, &p, a32(a, 1) & LOOKUP_SYMLINK_FOLLOW != 0)?;
    r.check_dir_demand()?;
    Ok(sys::lutimensat(r.parent.fd(), &r.name, at, mt)?)
}

/// `path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len)`.
pub fn path_link(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let op = g.path(a32(a, 2), a32(a, 3))?;
    let np = g.path(a32(a, 5), a32(a, 6))?;
    let old = dir_with(cx, a32(a, 0), rights::PATH_LINK_SOURCE)?;
    let new = dir_with(cx, a32(a, 4), rights::PATH_LINK_TARGET)?;
    same_root(&old, &new)?;
    let ro = resolve(&old, &op, a32(a, 1) & LOOKUP_SYMLINK_FOLLOW != 0)?;
    let rn = resolve(&new, &np, false)?;
    if ro.is_dot() {
        return Err(Errno::Perm.into());
    }
    if rn.is_dot() {
        return Err(Errno::Exist.into());
    }
    ro.check_dir_demand()?;
    if rn.must_be_dir {
        return Err(match sys::lstatat(rn.parent.fd(), &rn.name) {
            Ok(_) => Errno::Exist,
            Err(_) => Errno::Noent,
        }
        .into());
    }
    Ok(sys::linkat(
        ro.parent.fd(),
        &ro.name,
        rn.parent.fd(),
        &rn.name,
    )?)
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused: *u32)`: the target, truncated to
/// the buffer.
pub fn path_readlink(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let p = g.path(a32(a, 1), a32(a, 2))?;
    let (buf, buf_len, out) = (a32(a, 3), a32(a, 4), a32(a, 5));
    g.check(buf, u64::from(buf_len))?;
    g.check(out, 4)?;
    let dir = dir_with(cx, a32(a, 0), rights::PATH_READLINK)?;
    let r = resolve(&dir, &p, false)?;
    if r.is_dot() {
        return Err(Errno::Inval.into());
    }
    let target = sys::readlinkat(r.parent.fd(), &r.name)?;
    let n = target.len().min(buf_len as usize);
    g.write(buf, &target[..n])?;
    Ok(g.write_u32(out, n as u32)?)
}

/// `path_remove_directory(fd, path, path_len)`.
pub fn path_remove_directory(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let p = g.path(a32(a, 1), a32(a, 2))?;
    let dir = dir_with(cx, a32(a, 0), rights::PATH_REMOVE_DIRECTORY)?;
    let r = resolve(&dir, &p, false)?;
    if r.is_dot() {
        return Err(Errno::Inval.into());
    }
    Ok(sys::unlinkat(r.parent.fd(), &r.name, true)?)
}

/// `path_rename(old_fd, old_path, old_len, new_fd, new_path, new_len)`.
pub fn path_rename(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let op = g.path(a32(a, 1), a32(a, 2))?;
    let np = g.path(a32(a, 4), a32(a, 5))?;
    let old = dir_with(cx, a32(a, 0), rights::PATH_RENAME_SOURCE)?;
    let new = dir_with(cx, a32(a, 3), rights::PATH_RENAME_TARGET)?;
    same_root(&old, &new)?;
    let ro = resolve(&old, &op, false)?;
    let rn = resolve(&new, &np, false)?;
    if ro.is_dot() || rn.is_dot() {
        return Err(Errno::Busy.into());
    }
    ro.check_dir_demand()?;
    rn.check_dir_demand()?;
    if rn.must_be_dir {
        let st = sys::lstatat(ro.parent.fd(), &ro.name)?;
        if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
            return Err(Errno::Notdir.into());
        }
    }
    Ok(sys::renameat(
        ro.parent.fd(),
        &ro.name,
        rn.parent.fd(),
        &rn.name,
    )?)
}

/// `path_symlink(old_path, old_len, fd, new_path, new_len)`: the target must be relative and
/// must not climb above the directory capability (CVE-2025-43853 class).
pub fn path_symlink(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let target = g.path(a32(a, 0), a32(a, 1))?;
    let p = g.path(a32(a, 3), a32(a, 4))?;
    let dir = dir_with(cx, a32(a, 2), rights::PATH_SYMLINK)?;
    let r = resolve(&dir, &p, false)?;
    if r.is_dot() {
        return Err(Errno::Exist.into());
    }
    if !path::symlink_target_stays_beneath(&target, r.depth) {
        return Err(Errno::Notcapable.into());
    }
    // A trailing `/` stays on the (single-component) name, so the host decides as POSIX does:
    // `target/` with no `target` is `noent`, an existing one `exist`.
    let mut name = r.name.clone();
    if r.must_be_dir {
        name.push(b'/');
    }
    Ok(sys::symlinkat(&target, r.parent.fd(), &name)?)
}

/// `path_unlink_file(fd, path, path_len)`.
pub fn path_unlink_file(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let p = g.path(a32(a, 1), a32(a, 2))?;
    let dir = dir_with(cx, a32(a, 0), rights::PATH_UNLINK_FILE)?;
    let r = resolve(&dir, &p, false)?;
    if r.is_dot() {
        return Err(Errno::Isdir.into());
    }
    if r.must_be_dir {
        let st = sys::lstatat(r.parent.fd(), &r.name)?;
        return Err(if st.st_mode & libc::S_IFMT == libc::S_IFDIR {
            Errno::Isdir
        } else {
            Errno::Notdir
        }
        .into());
    }
    Ok(sys::unlinkat(r.parent.fd(), &r.name, false)?)
}
