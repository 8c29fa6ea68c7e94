//! Socket system calls and the WAMR socket-extension address layout.
//!
//! `__wasi_addr_t` (24 bytes): `kind: u32` (0 = IPv4, 1 = IPv6) at 0, then for IPv4 four
//! address bytes at 4 and the port (host order, u16) at 8; for IPv6 eight u16 segments at 4
//! and the port at 20.
//!
//! # Invariants
//! - Every `sockaddr` passed to the kernel is a `sockaddr_storage` built here with the length
//!   of the concrete family struct; every out-`sockaddr` buffer is a full `sockaddr_storage`.
//! - Descriptors are borrowed for the duration of each call, as in `sys`.

use std::ffi::CString;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::sys::{HostIovecs, SysResult};
use super::types::{Errno, FileType};

/// Size of `__wasi_addr_t`.
pub const WASI_ADDR_SIZE: usize = 24;
/// Size of `__wasi_addr_info_t` (address + `sock_type` as u32).
pub const WASI_ADDR_INFO_SIZE: usize = 28;

/// Decode a `__wasi_addr_t`.
pub fn decode_addr(b: &[u8; WASI_ADDR_SIZE]) -> Result<SocketAddr, Errno> {
    let kind = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let u16at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    match kind {
        0 => Ok(SocketAddr::V4(SocketAddrV4::new(
            Ipv4Addr::new(b[4], b[5], b[6], b[7]),
            u16at(8),
        ))),
        1 => {
            let s: [u16; 8] = std::array::from_fn(|i| u16at(4 + 2 * i));
            Ok(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(s),
                u16at(20),
                0,
                0,
            )))
        }
        _ => Err(Errno::Inval),
    }
}

/// Encode a `__wasi_addr_t`.
pub fn encode_addr(a: &SocketAddr) -> [u8; WASI_ADDR_SIZE] {
    let mut b = [0u8; WASI_ADDR_SIZE];
    match a {
        SocketAddr::V4(v4) => {
            b[4..8].copy_from_slice(&v4.ip().octets());
            b[8..10].copy_from_slice(&v4.port().to_le_bytes());
        }
        SocketAddr::V6(v6) => {
            b[0] = 1;
            for (i, s) in v6.ip().segments().iter().enumerate() {
                b[4 + 2 * i..6 + 2 * i].copy_from_slice(&s.to_le_bytes());
            }
            b[20..22].copy_from_slice(&v6.port().to_le_bytes());
        }
    }
    b
}

fn cvt(r: libc::c_int) -> SysResult<libc::c_int> {
    if r < 0 { Err(Errno::last_os()) } else { Ok(r) }
}

fn to_sockaddr(a: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match a {
        SocketAddr::V4(v4) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: v4.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(v4.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_in fits in sockaddr_storage, which is suitably aligned.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(v6) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: v6.port().to_be(),
                sin6_flowinfo: v6.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: v6.ip().octets(),
                },
                sin6_scope_id: v6.scope_id(),
            };
            // SAFETY: sockaddr_in6 fits in sockaddr_storage, which is suitably aligned.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (ss, len as libc::socklen_t)
}

fn from_sockaddr(ss: &libc::sockaddr_storage) -> Option<SocketAddr> {
    match ss.ss_family as i32 {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin: libc::sockaddr_in =
                unsafe { std::ptr::read((ss as *const libc::sockaddr_storage).cast()) };
            Some(SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes()),
                u16::from_be(sin.sin_port),
            )))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let sin6: libc::sockaddr_in6 =
                unsafe { std::ptr::read((ss as *const libc::sockaddr_storage).cast()) };
            Some(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                u16::from_be(sin6.sin6_port),
                sin6.sin6_flowinfo,
                sin6.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

/// `socket(family, type | SOCK_CLOEXEC, 0)`.
pub fn socket(v6: bool, stream: bool) -> SysResult<OwnedFd> {
    let fam = if v6 { libc::AF_INET6 } else { libc::AF_INET };
    let ty = if stream {
        libc::SOCK_STREAM
    } else {
        libc::SOCK_DGRAM
    };
    // SAFETY: plain integer arguments.
    let fd = cvt(unsafe { libc::socket(fam, ty | libc::SOCK_CLOEXEC, 0) })?;
    // SAFETY: `fd` was just returned by socket(2) and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `bind`.
pub fn bind(fd: BorrowedFd<'_>, a: &SocketAddr) -> SysResult<()> {
    let (ss, len) = to_sockaddr(a);
    // SAFETY: `ss` holds a sockaddr of `len` bytes.
    cvt(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&ss as *const libc::sockaddr_storage).cast(),
            len,
        )
    })
    .map(drop)
}

/// `connect`.
pub fn connect(fd: BorrowedFd<'_>, a: &SocketAddr) -> SysResult<()> {
    let (ss, len) = to_sockaddr(a);
    loop {
        // SAFETY: `ss` holds a sockaddr of `len` bytes.
        let r = unsafe {
            libc::connect(
                fd.as_raw_fd(),
                (&ss as *const libc::sockaddr_storage).cast(),
                len,
            )
        };
        match cvt(r) {
            Err(Errno::Intr) => continue,
            other => return other.map(drop),
        }
    }
}

/// `listen`.
pub fn listen(fd: BorrowedFd<'_>, backlog: i32) -> SysResult<()> {
    // SAFETY: plain integer arguments.
    cvt(unsafe { libc::listen(fd.as_raw_fd(), backlog) }).map(drop)
}

/// `accept4(fd, NULL, NULL, SOCK_CLOEXEC [| SOCK_NONBLOCK])`.
pub fn accept(fd: BorrowedFd<'_>, nonblock: bool) -> SysResult<OwnedFd> {
    let flags = libc::SOCK_CLOEXEC | if nonblock { libc::SOCK_NONBLOCK } else { 0 };
    loop {
        // SAFETY: NULL address out-params are allowed.
        let r = unsafe {
            libc::accept4(
                fd.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                flags,
            )
        };
        match cvt(r) {
            // SAFETY: a fresh descriptor from accept4, owned by nobody else.
            Ok(n) => return Ok(unsafe { OwnedFd::from_raw_fd(n) }),
            Err(Errno::Intr) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// `getsockname` (`peer = false`) or `getpeername`.
pub fn sock_name(fd: BorrowedFd<'_>, peer: bool) -> SysResult<SocketAddr> {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let p = (&mut ss as *mut libc::sockaddr_storage).cast();
    // SAFETY: `ss` is a writable sockaddr_storage of `len` bytes.
    let r = unsafe {
        if peer {
            libc::getpeername(fd.as_raw_fd(), p, &mut len)
        } else {
            libc::getsockname(fd.as_raw_fd(), p, &mut len)
        }
    };
    cvt(r)?;
    from_sockaddr(&ss).ok_or(Errno::Afnosupport)
}

/// What `recvmsg` reports.
pub struct Received {
    /// Bytes received.
    pub len: usize,
    /// The datagram was longer than the buffers.
    pub truncated: bool,
    /// The sender, when known.
    pub from: Option<SocketAddr>,
}

/// `recvmsg` into guest iovecs.
pub fn recvmsg(fd: BorrowedFd<'_>, v: &HostIovecs<'_>, flags: i32) -> SysResult<Received> {
    // SAFETY: all-zero is a valid sockaddr_storage and msghdr.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = (&mut ss as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    msg.msg_iov = v.iovs.as_ptr() as *mut libc::iovec;
    msg.msg_iovlen = v.iovs.len();
    loop {
        // SAFETY: `msg` points to a writable sockaddr_storage and to iovecs over
        // bounds-checked guest memory (HostIovecs invariant).
        let r = unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, flags) };
        if r < 0 {
            match Errno::last_os() {
                Errno::Intr => continue,
                e => return Err(e),
            }
        }
        let from = if msg.msg_namelen > 0 {
            from_sockaddr(&ss)
        } else {
            None
        };
        return Ok(Received {
            len: r as usize,
            truncated: msg.msg_flags & libc::MSG_TRUNC != 0,
            from,
        });
    }
}

/// `sendmsg` from guest iovecs (always `MSG_NOSIGNAL`: a closed peer gives `pipe`, never a
/// signal to the host process).
pub fn sendmsg(
    fd: BorrowedFd<'_>,
    v: &HostIovecs<'_>,
    to: Option<&SocketAddr>,
) -> SysResult<usize> {
    let dest = to.map(to_sockaddr);
    // SAFETY: all-zero is a valid msghdr.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    if let Some((ss, len)) = &dest {
        msg.msg_name = (ss as *const libc::sockaddr_storage) as *mut libc::c_void;
        msg.msg_namelen = *len;
    }
    msg.msg_iov = v.iovs.as_ptr() as *mut libc::iovec;
    msg.msg_iovlen = v.iovs.len();
    loop {
        // SAFETY: `msg` points to a sockaddr of the given length (or none) and to iovecs over
        // bounds-checked guest memory.
        let r = unsafe { libc::sendmsg(fd.as_raw_fd(), &msg, libc::MSG_NOSIGNAL) };
        if r < 0 {
            match Errno::last_os() {
                Errno::Intr => continue,
                e => return Err(e),
            }
        }
        return Ok(r as usize);
    }
}

/// `shutdown`.
pub fn shutdown(fd: BorrowedFd<'_>, how: i32) -> SysResult<()> {
    // SAFETY: plain integer arguments.
    cvt(unsafe { libc::shutdown(fd.as_raw_fd(), how) }).map(drop)
}

/// `getsockopt` of a plain value type `T` (`int`, `timeval`, `linger`).
pub fn getsockopt<T: Copy>(fd: BorrowedFd<'_>, level: i32, opt: i32) -> SysResult<T> {
    let mut v = std::mem::MaybeUninit::<T>::zeroed();
    let mut len = std::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `v` is writable for `len` bytes; callers use plain C value types, for which
    // the zeroed-then-filled bytes are a valid value.
    cvt(unsafe { libc::getsockopt(fd.as_raw_fd(), level, opt, v.as_mut_ptr().cast(), &mut len) })?;
    // SAFETY: zero-initialised and possibly overwritten by the kernel: valid for plain C types.
    Ok(unsafe { v.assume_init() })
}

/// `setsockopt` of a plain value type `T`.
pub fn setsockopt<T: Copy>(fd: BorrowedFd<'_>, level: i32, opt: i32, v: T) -> SysResult<()> {
    // SAFETY: `v` is readable for `size_of::<T>()` bytes.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            opt,
            (&v as *const T).cast(),
            std::mem::size_of::<T>() as libc::socklen_t,
        )
    })
    .map(drop)
}

/// Stream or datagram, for a socket descriptor.
pub fn socket_filetype(fd: BorrowedFd<'_>) -> FileType {
    match getsockopt::<libc::c_int>(fd, libc::SOL_SOCKET, libc::SO_TYPE) {
        Ok(libc::SOCK_DGRAM) => FileType::SocketDgram,
        _ => FileType::SocketStream,
    }
}

/// Resolve `host` (and `service`) with the host resolver: `(address, is_stream)` pairs.
pub fn resolve(
    host: &[u8],
    service: &[u8],
    family: Option<bool>,
    stream: Option<bool>,
) -> SysResult<Vec<(SocketAddr, bool)>> {
    let h = CString::new(host).map_err(|_| Errno::Inval)?;
    let s = CString::new(service).map_err(|_| Errno::Inval)?;
    // SAFETY: all-zero is a valid addrinfo hints value.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = match family {
        Some(true) => libc::AF_INET6,
        Some(false) => libc::AF_INET,
        None => libc::AF_UNSPEC,
    };
    hints.ai_socktype = match stream {
        Some(true) => libc::SOCK_STREAM,
        Some(false) => libc::SOCK_DGRAM,
        None => 0,
    };
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    let sp = if service.is_empty() {
        std::ptr::null()
    } else {
        s.as_ptr()
    };
    // SAFETY: `h`/`s` are NUL-terminated, `hints` is valid, `res` receives a list we free.
    let r = unsafe { libc::getaddrinfo(h.as_ptr(), sp, &hints, &mut res) };
    if r != 0 {
        return Err(match r {
            libc::EAI_NONAME | libc::EAI_NODATA => Errno::Noent,
            libc::EAI_AGAIN => Errno::Again,
            libc::EAI_MEMORY => Errno::Nomem,
            libc::EAI_FAMILY => Errno::Afnosupport,
            libc::EAI_SERVICE => Errno::Inval,
            _ => Errno::Io,
        });
    }
    let mut out = Vec::new();
    let mut p = res;
    while !p.is_null() {
        // SAFETY: `p` walks the list returned by getaddrinfo, freed below.
        let ai = unsafe { &*p };
        if !ai.ai_addr.is_null()
            && (ai.ai_addrlen as usize) <= std::mem::size_of::<libc::sockaddr_storage>()
        {
            // SAFETY: all-zero storage, then `ai_addrlen` bytes copied from a valid sockaddr.
            let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
            // SAFETY: the source has `ai_addrlen` readable bytes; the destination is larger.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    ai.ai_addr.cast::<u8>(),
                    (&mut ss as *mut libc::sockaddr_storage).cast::<u8>(),
                    ai.ai_addrlen as usize,
                )
            };
            if let Some(a) = from_sockaddr(&ss) {
                out.push((a, ai.ai_socktype == libc::SOCK_STREAM));
            }
        }
        p = ai.ai_next;
    }
    // SAFETY: `res` came from getaddrinfo and is freed exactly once.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addr_round_trip() {
        for s in ["127.0.0.1:8080", "[fe80::3ba2:893b:4be0:e3dd]:443"] {
            let a: SocketAddr = s.parse().unwrap();
            assert_eq!(decode_addr(&encode_addr(&a)).unwrap(), a);
        }
        let mut b = [0u8; WASI_ADDR_SIZE];
        b[0] = 7;
        assert_eq!(decode_addr(&b), Err(Errno::Inval));
    }
}
