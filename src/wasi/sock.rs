//! Sockets: preview1's `sock_accept/recv/send/shutdown` and WAMR's socket extension
//! (`sock_open`, `bind`, `connect`, `listen`, addresses, `send_to`/`recv_from`,
//! `sock_addr_resolve`, socket options).
//!
//! Network reach is a capability too: `bind`, `connect`, `send_to` and `listen` on an unbound
//! socket are allowed only for addresses inside the configured address pool (`acces`
//! otherwise, as WAMR), and `sock_addr_resolve` only for names in the lookup pool.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use super::ctx::WasiCtx;
use super::fdtable::{FdEntry, NO_ROOT, Resource};
use super::fs_fd::a32;
use super::guest::Guest;
use super::net::{self, WASI_ADDR_INFO_SIZE, WASI_ADDR_SIZE};
use super::types::{Errno, FileType, WasiResult, rights};

/// Longest host or service name `sock_addr_resolve` reads.
const MAX_NAME: usize = 256;

impl WasiCtx {
    /// True if `ip` is inside the address pool.
    pub(crate) fn addr_allowed(&self, ip: IpAddr) -> bool {
        self.addr_pool.iter().any(|r| r.contains(ip))
    }

    fn check_addr(&self, a: &SocketAddr) -> Result<(), Errno> {
        if self.addr_allowed(a.ip()) {
            Ok(())
        } else {
            Err(Errno::Acces)
        }
    }
}

/// A socket descriptor holding `needed`.
fn sock_with(cx: &WasiCtx, fd: u32, needed: u64) -> Result<Arc<FdEntry>, Errno> {
    let e = cx.entry(fd)?;
    if !matches!(e.filetype, FileType::SocketStream | FileType::SocketDgram) {
        return Err(Errno::Notsock);
    }
    e.require(needed)?;
    Ok(e)
}

fn read_addr(g: Guest<'_>, ptr: u32) -> Result<SocketAddr, super::types::Fail> {
    g.check(ptr, WASI_ADDR_SIZE as u64)?;
    let b: [u8; WASI_ADDR_SIZE] = g
        .bytes(ptr, WASI_ADDR_SIZE as u32)?
        .try_into()
        .map_err(|_| Errno::Inval)?;
    Ok(net::decode_addr(&b)?)
}

fn new_socket_entry(fd: std::os::fd::OwnedFd) -> FdEntry {
    let ft = net::socket_filetype(std::os::fd::AsFd::as_fd(&fd));
    FdEntry::new(Resource::Socket(fd), ft, rights::SOCKET_BASE, 0, NO_ROOT)
}

/// `sock_open(pool_fd, af, socktype, fd_out)` (WAMR): `af` 0 = IPv4, 1 = IPv6; `socktype`
/// 0 = datagram, 1 = stream.
pub fn sock_open(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 3);
    g.check(out, 4)?;
    let v6 = match a32(a, 1) {
        0 => false,
        1 => true,
        _ => return Err(Errno::Afnosupport.into()),
    };
    let stream = match a32(a, 2) {
        0 => false,
        1 => true,
        _ => return Err(Errno::Prototype.into()),
    };
    let fd = net::socket(v6, stream)?;
    let n = cx.fds.insert(new_socket_entry(fd))?;
    Ok(g.write_u32(out, n)?)
}

/// `sock_bind(fd, addr)` (WAMR).
pub fn sock_bind(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let addr = read_addr(g, a32(a, 1))?;
    cx.check_addr(&addr)?;
    let e = sock_with(cx, a32(a, 0), 0)?;
    Ok(net::bind(e.fd(), &addr)?)
}

/// `sock_connect(fd, addr)` (WAMR).
pub fn sock_connect(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let addr = read_addr(g, a32(a, 1))?;
    cx.check_addr(&addr)?;
    let e = sock_with(cx, a32(a, 0), 0)?;
    Ok(net::connect(e.fd(), &addr)?)
}

/// `sock_listen(fd, backlog)` (WAMR). An unbound socket would listen on the wildcard
/// address, so that must be in the pool.
pub fn sock_listen(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = sock_with(cx, a32(a, 0), 0)?;
    let local = net::sock_name(e.fd(), false)?;
    if local.port() == 0 && !cx.addr_allowed(local.ip()) {
        return Err(Errno::Acces.into());
    }
    Ok(net::listen(e.fd(), a32(a, 1) as i32)?)
}

/// `sock_accept(fd, flags, fd_out)` (preview1), or WAMR's older `sock_accept(fd, fd_out)`.
pub fn sock_accept(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let (flags, out) = if a.len() >= 3 {
        (a32(a, 1), a32(a, 2))
    } else {
        (0, a32(a, 1))
    };
    g.check(out, 4)?;
    let e = sock_with(cx, a32(a, 0), rights::SOCK_ACCEPT)?;
    if flags & !u32::from(super::types::fdflags::NONBLOCK) != 0 {
        return Err(Errno::Inval.into());
    }
    let fd = net::accept(e.fd(), flags != 0)?;
    let n = cx.fds.insert(new_socket_entry(fd))?;
    Ok(g.write_u32(out, n)?)
}

fn write_name(cx: &WasiCtx, g: Guest<'_>, a: &[u64], peer: bool) -> WasiResult {
    let out = a32(a, 1);
    g.check(out, WASI_ADDR_SIZE as u64)?;
    let e = sock_with(cx, a32(a, 0), 0)?;
    let addr = net::sock_name(e.fd(), peer)?;
    Ok(g.write(out, &net::encode_addr(&addr))?)
}

/// `sock_addr_local(fd, addr_out)` (WAMR).
pub fn sock_addr_local(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    write_name(cx, g, a, false)
}

/// `sock_addr_remote(fd, addr_out)` (WAMR).
pub fn sock_addr_remote(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    write_name(cx, g, a, true)
}

fn recv_flags(f: u32) -> Result<i32, Errno> {
    if f & !3 != 0 {
        return Err(Errno::Inval);
    }
    let mut h = 0;
    if f & 1 != 0 {
        h |= libc::MSG_PEEK;
    }
    if f & 2 != 0 {
        h |= libc::MSG_WAITALL;
    }
    Ok(h)
}

/// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags)`.
pub fn sock_recv(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    let (len_out, flags_out) = (a32(a, 4), a32(a, 5));
    g.check(len_out, 4)?;
    g.check(flags_out, 2)?;
    let e = sock_with(cx, a32(a, 0), rights::FD_READ)?;
    let r = net::recvmsg(e.fd(), &iovs, recv_flags(a32(a, 3))?)?;
    g.write_u32(len_out, r.len as u32)?;
    Ok(g.write_u16(flags_out, u16::from(r.truncated))?)
}

/// `sock_recv_from(fd, ri_data, ri_data_len, ri_flags, src_addr, ro_datalen)` (WAMR).
pub fn sock_recv_from(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    let (addr_out, len_out) = (a32(a, 4), a32(a, 5));
    g.check(addr_out, WASI_ADDR_SIZE as u64)?;
    g.check(len_out, 4)?;
    let e = sock_with(cx, a32(a, 0), rights::FD_READ)?;
    let r = net::recvmsg(e.fd(), &iovs, recv_flags(a32(a, 3))?)?;
    let addr = match r.from {
        Some(f) => net::encode_addr(&f),
        None => [0u8; WASI_ADDR_SIZE],
    };
    g.write(addr_out, &addr)?;
    Ok(g.write_u32(len_out, r.len as u32)?)
}

/// `sock_send(fd, si_data, si_data_len, si_flags, so_datalen)`.
pub fn sock_send(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    let out = a32(a, 4);
    g.check(out, 4)?;
    let e = sock_with(cx, a32(a, 0), rights::FD_WRITE)?;
    if a32(a, 3) != 0 {
        return Err(Errno::Inval.into());
    }
    let n = net::sendmsg(e.fd(), &iovs, None)?;
    Ok(g.write_u32(out, n as u32)?)
}

/// `sock_send_to(fd, si_data, si_data_len, si_flags, dest_addr, so_datalen)` (WAMR).
pub fn sock_send_to(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let iovs = g.iovecs(a32(a, 1), a32(a, 2))?;
    let dest = read_addr(g, a32(a, 4))?;
    let out = a32(a, 5);
    g.check(out, 4)?;
    cx.check_addr(&dest)?;
    let e = sock_with(cx, a32(a, 0), rights::FD_WRITE)?;
    let n = net::sendmsg(e.fd(), &iovs, Some(&dest))?;
    Ok(g.write_u32(out, n as u32)?)
}

/// `sock_shutdown(fd, how)`: 1 = read side, 2 = write side, 3 = both.
pub fn sock_shutdown(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = sock_with(cx, a32(a, 0), rights::SOCK_SHUTDOWN)?;
    let how = match a32(a, 1) {
        1 => libc::SHUT_RD,
        2 => libc::SHUT_WR,
        3 => libc::SHUT_RDWR,
        _ => return Err(Errno::Inval.into()),
    };
    Ok(net::shutdown(e.fd(), how)?)
}

/// `sock_close(fd)` (WAMR): an alias of `fd_close`.
pub fn sock_close(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    super::fs_fd::fd_close(cx, g, a)
}

fn read_name(g: Guest<'_>, ptr: u32) -> Result<Vec<u8>, super::types::Fail> {
    g.cstr(ptr, MAX_NAME)
}

/// `sock_addr_resolve(host, service, hints, addr_info, addr_info_size, max_info_size)` (WAMR):
/// only names allowed by the lookup pool; fills up to `addr_info_size` entries and reports
/// how many there are.
pub fn sock_addr_resolve(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let host = read_name(g, a32(a, 0))?;
    let service = read_name(g, a32(a, 1))?;
    let hints = a32(a, 2);
    g.check(hints, 12)?;
    let (info, size, max_out) = (a32(a, 3), a32(a, 4), a32(a, 5));
    g.check(info, u64::from(size) * WASI_ADDR_INFO_SIZE as u64)?;
    g.check(max_out, 4)?;
    let host_s = String::from_utf8_lossy(&host);
    if !cx
        .ns_lookup_pool
        .iter()
        .any(|p| super::config::name_matches(p, &host_s))
    {
        return Err(Errno::Acces.into());
    }
    let (mut family, mut stream) = (None, None);
    if g.u8(hints + 8)? != 0 {
        stream = match g.u32(hints)? as i32 {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        };
        family = match g.u32(hints + 4)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        };
    }
    let found = net::resolve(&host, &service, family, stream)?;
    let mut bytes = Vec::new();
    for (addr, is_stream) in found.iter().take(size as usize) {
        bytes.extend_from_slice(&net::encode_addr(addr));
        bytes.extend_from_slice(&u32::from(*is_stream).to_le_bytes());
    }
    g.write(info, &bytes)?;
    Ok(g.write_u32(max_out, found.len() as u32)?)
}
