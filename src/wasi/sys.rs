//! Thin, safe wrappers over the Linux file-system system calls cWASI uses.
//!
//! Every call here acts on a directory or file descriptor that the caller holds (never on the
//! process's current directory) and returns a preview1 [`Errno`] on failure.
//!
//! # Invariants
//! - Descriptors are passed as `BorrowedFd`/`OwnedFd`, so they are open for the whole call;
//!   descriptors created here are returned as `OwnedFd` (closed exactly once, on drop).
//! - Names passed to the kernel are `CString`s built by [`cstr`], which rejects interior NULs.
//! - Output buffers handed to the kernel are Rust allocations of the stated length, or the
//!   guest-memory iovecs of [`HostIovecs`], whose ranges were bounds-checked when built.

use std::ffi::CString;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicU8, Ordering};

use super::types::Errno;

/// Result of a system call wrapper.
pub type SysResult<T> = Result<T, Errno>;

fn cvt(r: libc::c_int) -> SysResult<libc::c_int> {
    if r < 0 { Err(Errno::last_os()) } else { Ok(r) }
}

fn cvt_size(r: libc::ssize_t) -> SysResult<usize> {
    if r < 0 {
        Err(Errno::last_os())
    } else {
        Ok(r as usize)
    }
}

/// A kernel path from bytes; an interior NUL is `inval`.
pub fn cstr(name: &[u8]) -> SysResult<CString> {
    CString::new(name).map_err(|_| Errno::Inval)
}

/// Take ownership of a descriptor the kernel just returned.
fn owned(fd: libc::c_int) -> OwnedFd {
    // SAFETY: `fd` is a fresh descriptor returned by a successful system call; nothing else
    // owns it.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// `openat(dir, name, flags | O_CLOEXEC, mode)`.
pub fn openat(dir: BorrowedFd<'_>, name: &[u8], flags: i32, mode: u32) -> SysResult<OwnedFd> {
    let c = cstr(name)?;
    loop {
        // SAFETY: `c` is a valid NUL-terminated string; `dir` is open.
        let r = unsafe { libc::openat(dir.as_raw_fd(), c.as_ptr(), flags | libc::O_CLOEXEC, mode) };
        match cvt(r) {
            Ok(fd) => return Ok(owned(fd)),
            Err(Errno::Intr) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// `struct open_how` of `openat2(2)`.
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
const RESOLVE_BENEATH: u64 = 0x08;

/// 0 = unknown, 1 = available, 2 = unavailable (ENOSYS or forced off).
static OPENAT2_STATE: AtomicU8 = AtomicU8::new(0);

/// Forces the portable component walk instead of `openat2` (tests use this to exercise the
/// fallback on kernels that have `openat2`).
pub fn force_component_walk(on: bool) {
    OPENAT2_STATE.store(if on { 2 } else { 0 }, Ordering::Relaxed);
}

/// True while `openat2` may be used.
pub fn openat2_enabled() -> bool {
    OPENAT2_STATE.load(Ordering::Relaxed) != 2
}

/// `openat2(dir, path, {flags | O_CLOEXEC, mode, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS})`.
/// `Ok(None)` when the kernel has no `openat2` (the caller then walks components itself).
/// Escapes (`..` above `dir`, absolute symlinks, magic links) fail with `EXDEV`/`ELOOP`, which
/// the caller maps to `notcapable`.
pub fn openat2_beneath(
    dir: BorrowedFd<'_>,
    path: &[u8],
    flags: i32,
    mode: u32,
) -> SysResult<Option<OwnedFd>> {
    if !openat2_enabled() {
        return Ok(None);
    }
    let c = cstr(path)?;
    let how = OpenHow {
        flags: (flags | libc::O_CLOEXEC) as u32 as u64,
        // O_TMPFILE shares bits with O_DIRECTORY: test it as a whole.
        mode: if flags & libc::O_CREAT != 0 || flags & libc::O_TMPFILE == libc::O_TMPFILE {
            mode as u64
        } else {
            0
        },
        resolve: RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    let mut tries = 0;
    loop {
        // SAFETY: `c` is NUL-terminated, `how` is a properly sized `open_how` that lives for
        // the call, and `dir` is open.
        let r = unsafe {
            libc::syscall(
                libc::SYS_openat2,
                dir.as_raw_fd(),
                c.as_ptr(),
                &how as *const OpenHow,
                std::mem::size_of::<OpenHow>(),
            )
        };
        if r >= 0 {
            OPENAT2_STATE.store(1, Ordering::Relaxed);
            return Ok(Some(owned(r as libc::c_int)));
        }
        match Errno::last_os() {
            Errno::Nosys => {
                OPENAT2_STATE.store(2, Ordering::Relaxed);
                return Ok(None);
            }
            // EAGAIN: a concurrent rename/mount raced the lookup; retry a bounded number of
            // times, then report it.
            Errno::Again | Errno::Intr if tries < 16 => tries += 1,
            e => return Err(e),
        }
    }
}

/// `fstat`.
pub fn fstat(fd: BorrowedFd<'_>) -> SysResult<libc::stat> {
    // SAFETY: an all-zero `stat` is a valid value of this plain C struct.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a writable `stat`; `fd` is open.
    cvt(unsafe { libc::fstat(fd.as_raw_fd(), &mut st) })?;
    Ok(st)
}

/// `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`: never follows a final symlink.
pub fn lstatat(dir: BorrowedFd<'_>, name: &[u8]) -> SysResult<libc::stat> {
    let c = cstr(name)?;
    // SAFETY: as in `fstat`.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is NUL-terminated, `st` writable, `dir` open.
    cvt(unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            c.as_ptr(),
            &mut st,
            libc::AT_SYMLINK_NOFOLLOW,
        )
    })?;
    Ok(st)
}

/// `mkdirat`.
pub fn mkdirat(dir: BorrowedFd<'_>, name: &[u8], mode: u32) -> SysResult<()> {
    let c = cstr(name)?;
    // SAFETY: `c` is NUL-terminated; `dir` is open.
    cvt(unsafe { libc::mkdirat(dir.as_raw_fd(), c.as_ptr(), mode) }).map(drop)
}

/// `unlinkat` (`remove_dir` selects `AT_REMOVEDIR`).
pub fn unlinkat(dir: BorrowedFd<'_>, name: &[u8], remove_dir: bool) -> SysResult<()> {
    let c = cstr(name)?;
    let flags = if remove_dir { libc::AT_REMOVEDIR } else { 0 };
    // SAFETY: `c` is NUL-terminated; `dir` is open.
    cvt(unsafe { libc::unlinkat(dir.as_raw_fd(), c.as_ptr(), flags) }).map(drop)
}

/// `renameat`.
pub fn renameat(
    from_dir: BorrowedFd<'_>,
    from: &[u8],
    to_dir: BorrowedFd<'_>,
    to: &[u8],
) -> SysResult<()> {
    let (a, b) = (cstr(from)?, cstr(to)?);
    // SAFETY: both names are NUL-terminated; both descriptors are open.
    cvt(unsafe {
        libc::renameat(
            from_dir.as_raw_fd(),
            a.as_ptr(),
            to_dir.as_raw_fd(),
            b.as_ptr(),
        )
    })
    .map(drop)
}

/// `linkat` without following a final symlink of the source.
pub fn linkat(
    from_dir: BorrowedFd<'_>,
    from: &[u8],
    to_dir: BorrowedFd<'_>,
    to: &[u8],
) -> SysResult<()> {
    let (a, b) = (cstr(from)?, cstr(to)?);
    // SAFETY: both names are NUL-terminated; both descriptors are open.
    cvt(unsafe {
        libc::linkat(
            from_dir.as_raw_fd(),
            a.as_ptr(),
            to_dir.as_raw_fd(),
            b.as_ptr(),
            0,
        )
    })
    .map(drop)
}

/// `symlinkat(target, dir, name)`.
pub fn symlinkat(target: &[u8], dir: BorrowedFd<'_>, name: &[u8]) -> SysResult<()> {
    let (t, n) = (cstr(target)?, cstr(name)?);
    // SAFETY: both strings are NUL-terminated; `dir` is open.
    cvt(unsafe { libc::symlinkat(t.as_ptr(), dir.as_raw_fd(), n.as_ptr()) }).map(drop)
}

/// `readlinkat`; the whole target, however long (up to `PATH_MAX` growth steps).
pub fn readlinkat(dir: BorrowedFd<'_>, name: &[u8]) -> SysResult<Vec<u8>> {
    let c = cstr(name)?;
    let mut cap = 256usize;
    loop {
        let mut buf = vec![0u8; cap];
        // SAFETY: `buf` is a writable allocation of `cap` bytes; `c` is NUL-terminated.
        let n = cvt_size(unsafe {
            libc::readlinkat(dir.as_raw_fd(), c.as_ptr(), buf.as_mut_ptr().cast(), cap)
        })?;
        if n < cap {
            buf.truncate(n);
            return Ok(buf);
        }
        if cap >= 1 << 16 {
            return Err(Errno::Nametoolong);
        }
        cap *= 4;
    }
}

/// A timestamp argument of `utimensat`/`futimens`.
#[derive(Debug, Clone, Copy)]
pub enum TimeSpec {
    /// Leave unchanged.
    Omit,
    /// The current time.
    Now,
    /// Nanoseconds since the epoch.
    At(u64),
}

fn timespec(t: TimeSpec) -> libc::timespec {
    match t {
        TimeSpec::Omit => libc::timespec {
            tv_sec: 0,
            tv_nsec: libc::UTIME_OMIT,
        },
        TimeSpec::Now => libc::timespec {
            tv_sec: 0,
            tv_nsec: libc::UTIME_NOW,
        },
        TimeSpec::At(ns) => libc::timespec {
            tv_sec: (ns / 1_000_000_000) as libc::time_t,
            tv_nsec: (ns % 1_000_000_000) as libc::c_long,
        },
    }
}

/// `utimensat(dir, name, times, AT_SYMLINK_NOFOLLOW)`.
pub fn lutimensat(
    dir: BorrowedFd<'_>,
    name: &[u8],
    atime: TimeSpec,
    mtime: TimeSpec,
) -> SysResult<()> {
    let c = cstr(name)?;
    let ts = [timespec(atime), timespec(mtime)];
    // SAFETY: `ts` is an array of two timespecs; `c` is NUL-terminated; `dir` is open.
    cvt(unsafe {
        libc::utimensat(
            dir.as_raw_fd(),
            c.as_ptr(),
            ts.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    })
    .map(drop)
}

/// `futimens`.
pub fn futimens(fd: BorrowedFd<'_>, atime: TimeSpec, mtime: TimeSpec) -> SysResult<()> {
    let ts = [timespec(atime), timespec(mtime)];
    // SAFETY: `ts` is an array of two timespecs; `fd` is open.
    cvt(unsafe { libc::futimens(fd.as_raw_fd(), ts.as_ptr()) }).map(drop)
}

/// `posix_fadvise`.
pub fn fadvise(fd: BorrowedFd<'_>, offset: u64, len: u64, advice: i32) -> SysResult<()> {
    // SAFETY: plain integer arguments; `fd` is open.
    let r = unsafe {
        libc::posix_fadvise(
            fd.as_raw_fd(),
            offset as libc::off_t,
            len as libc::off_t,
            advice,
        )
    };
    if r != 0 {
        Err(Errno::from_raw_os(r))
    } else {
        Ok(())
    }
}

/// `posix_fallocate`.
pub fn fallocate(fd: BorrowedFd<'_>, offset: u64, len: u64) -> SysResult<()> {
    // SAFETY: plain integer arguments; `fd` is open.
    let r =
        unsafe { libc::posix_fallocate(fd.as_raw_fd(), offset as libc::off_t, len as libc::off_t) };
    if r != 0 {
        Err(Errno::from_raw_os(r))
    } else {
        Ok(())
    }
}

/// `ftruncate`.
pub fn ftruncate(fd: BorrowedFd<'_>, len: u64) -> SysResult<()> {
    if len > i64::MAX as u64 {
        return Err(Errno::Inval);
    }
    // SAFETY: plain integer arguments; `fd` is open.
    cvt(unsafe { libc::ftruncate(fd.as_raw_fd(), len as libc::off_t) }).map(drop)
}

/// `fsync` (`data_only` selects `fdatasync`).
pub fn fsync(fd: BorrowedFd<'_>, data_only: bool) -> SysResult<()> {
    // SAFETY: `fd` is open.
    let r = unsafe {
        if data_only {
            libc::fdatasync(fd.as_raw_fd())
        } else {
            libc::fsync(fd.as_raw_fd())
        }
    };
    cvt(r).map(drop)
}

/// `lseek`; returns the new offset.
pub fn lseek(fd: BorrowedFd<'_>, offset: i64, whence: i32) -> SysResult<u64> {
    // SAFETY: plain integer arguments; `fd` is open.
    let r = unsafe { libc::lseek(fd.as_raw_fd(), offset, whence) };
    if r < 0 {
        Err(Errno::last_os())
    } else {
        Ok(r as u64)
    }
}

/// `fcntl(F_GETFL)`.
pub fn get_status_flags(fd: BorrowedFd<'_>) -> SysResult<i32> {
    // SAFETY: `F_GETFL` takes no pointer; `fd` is open.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })
}

/// `fcntl(F_SETFL)`.
pub fn set_status_flags(fd: BorrowedFd<'_>, flags: i32) -> SysResult<()> {
    // SAFETY: `F_SETFL` takes an integer; `fd` is open.
    cvt(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags) }).map(drop)
}

/// `ioctl(FIONREAD)`: bytes ready to read.
pub fn bytes_readable(fd: BorrowedFd<'_>) -> SysResult<u64> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one `int` to the pointer; `fd` is open.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), libc::FIONREAD, &mut n) })?;
    Ok(n.max(0) as u64)
}

/// Host iovecs that point into guest linear memory. Built only by
/// [`super::guest::Guest::iovecs`] after bounds-checking every range; valid while that guest
/// borrow lives (linear memory never moves or shrinks).
pub struct HostIovecs<'a> {
    pub(super) iovs: Vec<libc::iovec>,
    pub(super) _mem: std::marker::PhantomData<&'a ()>,
}

impl HostIovecs<'_> {
    /// Sum of the lengths.
    pub fn total(&self) -> u64 {
        self.iovs.iter().map(|v| v.iov_len as u64).sum()
    }
}

fn iov_count(v: &HostIovecs<'_>) -> libc::c_int {
    v.iovs.len() as libc::c_int
}

/// `readv`, retried on `EINTR`.
pub fn readv(fd: BorrowedFd<'_>, v: &HostIovecs<'_>) -> SysResult<usize> {
    loop {
        // SAFETY: every iovec covers a bounds-checked, writable range of linear memory
        // (HostIovecs invariant); `fd` is open.
        let r = unsafe { libc::readv(fd.as_raw_fd(), v.iovs.as_ptr(), iov_count(v)) };
        match cvt_size(r) {
            Err(Errno::Intr) => continue,
            other => return other,
        }
    }
}

/// `writev`, retried on `EINTR`.
pub fn writev(fd: BorrowedFd<'_>, v: &HostIovecs<'_>) -> SysResult<usize> {
    loop {
        // SAFETY: every iovec covers a bounds-checked range of linear memory; `fd` is open.
        let r = unsafe { libc::writev(fd.as_raw_fd(), v.iovs.as_ptr(), iov_count(v)) };
        match cvt_size(r) {
            Err(Errno::Intr) => continue,
            other => return other,
        }
    }
}

/// `preadv` at `offset`.
pub fn preadv(fd: BorrowedFd<'_>, v: &HostIovecs<'_>, offset: u64) -> SysResult<usize> {
    if offset > i64::MAX as u64 {
        return Err(Errno::Inval);
    }
    loop {
        // SAFETY: as in `readv`.
        let r = unsafe {
            libc::preadv(
                fd.as_raw_fd(),
                v.iovs.as_ptr(),
                iov_count(v),
                offset as libc::off_t,
            )
        };
        match cvt_size(r) {
            Err(Errno::Intr) => continue,
            other => return other,
        }
    }
}

/// `pwritev` at `offset`.
pub fn pwritev(fd: BorrowedFd<'_>, v: &HostIovecs<'_>, offset: u64) -> SysResult<usize> {
    if offset > i64::MAX as u64 {
        return Err(Errno::Inval);
    }
    loop {
        // SAFETY: as in `writev`.
        let r = unsafe {
            libc::pwritev(
                fd.as_raw_fd(),
                v.iovs.as_ptr(),
                iov_count(v),
                offset as libc::off_t,
            )
        };
        match cvt_size(r) {
            Err(Errno::Intr) => continue,
            other => return other,
        }
    }
}

/// One directory entry as the host reports it.
#[derive(Debug, Clone)]
pub struct HostDirEntry {
    /// Inode number.
    pub ino: u64,
    /// `d_type`.
    pub d_type: u8,
    /// Name bytes.
    pub name: Vec<u8>,
}

/// All entries of the directory `dir` (including `.` and `..`), in the host's order.
pub fn read_dir(dir: BorrowedFd<'_>) -> SysResult<Vec<HostDirEntry>> {
    let fd = openat(dir, b".", libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    let raw = {
        use std::os::fd::IntoRawFd;
        fd.into_raw_fd()
    };
    // SAFETY: `raw` is an open directory descriptor we own; on success `fdopendir` takes it
    // over (closed by `closedir`), on failure we close it ourselves.
    let dirp = unsafe { libc::fdopendir(raw) };
    if dirp.is_null() {
        let e = Errno::last_os();
        drop(owned(raw));
        return Err(e);
    }
    let mut out = Vec::new();
    loop {
        // SAFETY: `errno` location is thread-local and writable.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: `dirp` is a live DIR* from `fdopendir`.
        let ent = unsafe { libc::readdir64(dirp) };
        if ent.is_null() {
            let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            // SAFETY: `dirp` is live and closed exactly once here.
            unsafe { libc::closedir(dirp) };
            return if e == 0 {
                Ok(out)
            } else {
                Err(Errno::from_raw_os(e))
            };
        }
        // SAFETY: `ent` points to a dirent64 valid until the next readdir on `dirp`; `d_name`
        // is NUL-terminated within it.
        let (ino, d_type, name) = unsafe {
            let e = &*ent;
            let name = std::ffi::CStr::from_ptr(e.d_name.as_ptr())
                .to_bytes()
                .to_vec();
            (e.d_ino, e.d_type, name)
        };
        out.push(HostDirEntry { ino, d_type, name });
    }
}

/// `clock_gettime` in nanoseconds.
pub fn clock_time(id: libc::clockid_t) -> SysResult<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is writable.
    cvt(unsafe { libc::clock_gettime(id, &mut ts) })?;
    Ok((ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64))
}

/// `clock_getres` in nanoseconds.
pub fn clock_res(id: libc::clockid_t) -> SysResult<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is writable.
    cvt(unsafe { libc::clock_getres(id, &mut ts) })?;
    Ok((ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64))
}

/// Fill `buf` from the kernel's random source.
pub fn getrandom(buf: &mut [u8]) -> SysResult<()> {
    let mut done = 0;
    while done < buf.len() {
        // SAFETY: the pointer and length describe the unfilled tail of `buf`.
        let r = unsafe { libc::getrandom(buf[done..].as_mut_ptr().cast(), buf.len() - done, 0) };
        match cvt_size(r) {
            Ok(n) => done += n,
            Err(Errno::Intr) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `sched_yield`.
pub fn sched_yield() {
    // SAFETY: no arguments.
    unsafe { libc::sched_yield() };
}

/// True if `fd` lives on procfs (`/proc`), whose files expose the host process itself.
pub fn is_procfs(fd: BorrowedFd<'_>) -> bool {
    // SAFETY: an all-zero `statfs` is a valid value of this plain C struct.
    let mut s: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `s` is writable; `fd` is open.
    let r = unsafe { libc::fstatfs(fd.as_raw_fd(), &mut s) };
    r == 0 && s.f_type == libc::PROC_SUPER_MAGIC
}

/// `ppoll` with a timeout in nanoseconds; returns the number of ready descriptors (0 on
/// timeout). With no descriptors this is a precise sleep.
pub fn ppoll(fds: &mut [libc::pollfd], timeout_ns: u64) -> SysResult<usize> {
    let ts = libc::timespec {
        tv_sec: (timeout_ns / 1_000_000_000) as libc::time_t,
        tv_nsec: (timeout_ns % 1_000_000_000) as libc::c_long,
    };
    // SAFETY: `fds` is a writable slice of pollfd of the given length, `ts` lives for the
    // call, and a NULL signal mask leaves the mask unchanged.
    let r = unsafe {
        libc::ppoll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            &ts,
            std::ptr::null(),
        )
    };
    cvt(r).map(|n| n as usize)
}
