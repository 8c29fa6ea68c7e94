//! WAMR's socket-option functions (`sock_get_*` / `sock_set_*`), mapped onto `getsockopt` and
//! `setsockopt` of the host socket. Out-params are checked before the host is asked.

use super::ctx::WasiCtx;
use super::fs_fd::a32;
use super::guest::Guest;
use super::net;
use super::types::{Errno, FileType, WasiResult};

fn socket_fd(cx: &WasiCtx, fd: u32) -> Result<std::sync::Arc<super::fdtable::FdEntry>, Errno> {
    let e = cx.entry(fd)?;
    if !matches!(e.filetype, FileType::SocketStream | FileType::SocketDgram) {
        return Err(Errno::Notsock);
    }
    Ok(e)
}

/// How an option's value is represented in guest memory.
#[derive(Clone, Copy)]
enum Width {
    /// `bool` / `uint8_t`.
    U8,
    /// `uint32_t` / `size_t`.
    U32,
}

fn get_int(cx: &WasiCtx, g: Guest<'_>, a: &[u64], lvl: i32, opt: i32, w: Width) -> WasiResult {
    let out = a32(a, 1);
    g.check(
        out,
        match w {
            Width::U8 => 1,
            Width::U32 => 4,
        },
    )?;
    let e = socket_fd(cx, a32(a, 0))?;
    let v: libc::c_int = net::getsockopt(e.fd(), lvl, opt)?;
    match w {
        Width::U8 => Ok(g.write(out, &[v as u8])?),
        Width::U32 => Ok(g.write_u32(out, v as u32)?),
    }
}

fn set_int(cx: &WasiCtx, a: &[u64], lvl: i32, opt: i32, w: Width) -> WasiResult {
    let e = socket_fd(cx, a32(a, 0))?;
    let v = match w {
        Width::U8 => i32::from(a32(a, 1) as u8),
        Width::U32 => a32(a, 1) as i32,
    };
    Ok(net::setsockopt::<libc::c_int>(e.fd(), lvl, opt, v)?)
}

macro_rules! int_opt {
    ($($get:ident, $set:ident, $lvl:expr, $opt:expr, $w:expr;)*) => {$(
        #[doc = concat!("`", stringify!($get), "(fd, out)` (WAMR).")]
        pub fn $get(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
            get_int(cx, g, a, $lvl, $opt, $w)
        }
        #[doc = concat!("`", stringify!($set), "(fd, value)` (WAMR).")]
        pub fn $set(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
            set_int(cx, a, $lvl, $opt, $w)
        }
    )*};
}

int_opt! {
    sock_get_reuse_addr, sock_set_reuse_addr, libc::SOL_SOCKET, libc::SO_REUSEADDR, Width::U8;
    sock_get_reuse_port, sock_set_reuse_port, libc::SOL_SOCKET, libc::SO_REUSEPORT, Width::U8;
    sock_get_broadcast, sock_set_broadcast, libc::SOL_SOCKET, libc::SO_BROADCAST, Width::U8;
    sock_get_keep_alive, sock_set_keep_alive, libc::SOL_SOCKET, libc::SO_KEEPALIVE, Width::U8;
    sock_get_recv_buf_size, sock_set_recv_buf_size, libc::SOL_SOCKET, libc::SO_RCVBUF, Width::U32;
    sock_get_send_buf_size, sock_set_send_buf_size, libc::SOL_SOCKET, libc::SO_SNDBUF, Width::U32;
    sock_get_tcp_no_delay, sock_set_tcp_no_delay, libc::IPPROTO_TCP, libc::TCP_NODELAY, Width::U8;
    sock_get_tcp_quick_ack, sock_set_tcp_quick_ack, libc::IPPROTO_TCP, libc::TCP_QUICKACK, Width::U8;
    sock_get_tcp_fastopen_connect, sock_set_tcp_fastopen_connect, libc::IPPROTO_TCP, libc::TCP_FASTOPEN_CONNECT, Width::U8;
    sock_get_tcp_keep_idle, sock_set_tcp_keep_idle, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE, Width::U32;
    sock_get_tcp_keep_intvl, sock_set_tcp_keep_intvl, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL, Width::U32;
    sock_get_ipv6_only, sock_set_ipv6_only, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, Width::U8;
    sock_get_ip_ttl, sock_set_ip_ttl, libc::IPPROTO_IP, libc::IP_TTL, Width::U8;
    sock_get_ip_multicast_ttl, sock_set_ip_multicast_ttl, libc::IPPROTO_IP, libc::IP_MULTICAST_TTL, Width::U8;
}

fn multicast_loop_opt(ipv6: bool) -> (i32, i32) {
    if ipv6 {
        (libc::IPPROTO_IPV6, libc::IPV6_MULTICAST_LOOP)
    } else {
        (libc::IPPROTO_IP, libc::IP_MULTICAST_LOOP)
    }
}

/// `sock_get_ip_multicast_loop(fd, ipv6, out: *u8)` (WAMR).
pub fn sock_get_ip_multicast_loop(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 2);
    g.check(out, 1)?;
    let e = socket_fd(cx, a32(a, 0))?;
    let (lvl, opt) = multicast_loop_opt(a32(a, 1) != 0);
    let v: libc::c_int = net::getsockopt(e.fd(), lvl, opt)?;
    Ok(g.write(out, &[v as u8])?)
}

/// `sock_set_ip_multicast_loop(fd, ipv6, on)` (WAMR).
pub fn sock_set_ip_multicast_loop(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = socket_fd(cx, a32(a, 0))?;
    let (lvl, opt) = multicast_loop_opt(a32(a, 1) != 0);
    Ok(net::setsockopt::<libc::c_int>(
        e.fd(),
        lvl,
        opt,
        i32::from(a32(a, 2) as u8),
    )?)
}

fn get_timeout(cx: &WasiCtx, g: Guest<'_>, a: &[u64], opt: i32) -> WasiResult {
    let out = a32(a, 1);
    g.check(out, 8)?;
    let e = socket_fd(cx, a32(a, 0))?;
    let tv: libc::timeval = net::getsockopt(e.fd(), libc::SOL_SOCKET, opt)?;
    let us = (tv.tv_sec as u64).saturating_mul(1_000_000) + tv.tv_usec as u64;
    Ok(g.write_u64(out, us)?)
}

fn set_timeout(cx: &WasiCtx, a: &[u64], opt: i32) -> WasiResult {
    let e = socket_fd(cx, a32(a, 0))?;
    let us = a[1];
    let tv = libc::timeval {
        tv_sec: (us / 1_000_000).min(i64::MAX as u64) as libc::time_t,
        tv_usec: (us % 1_000_000) as libc::suseconds_t,
    };
    Ok(net::setsockopt(e.fd(), libc::SOL_SOCKET, opt, tv)?)
}

/// `sock_get_recv_timeout(fd, out: *u64 microseconds)` (WAMR).
pub fn sock_get_recv_timeout(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    get_timeout(cx, g, a, libc::SO_RCVTIMEO)
}

/// `sock_set_recv_timeout(fd, microseconds)` (WAMR).
pub fn sock_set_recv_timeout(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    set_timeout(cx, a, libc::SO_RCVTIMEO)
}

/// `sock_get_send_timeout(fd, out: *u64 microseconds)` (WAMR).
pub fn sock_get_send_timeout(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    get_timeout(cx, g, a, libc::SO_SNDTIMEO)
}

/// `sock_set_send_timeout(fd, microseconds)` (WAMR).
pub fn sock_set_send_timeout(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    set_timeout(cx, a, libc::SO_SNDTIMEO)
}

/// `sock_get_linger(fd, is_enabled: *bool, linger_s: *i32)` (WAMR).
pub fn sock_get_linger(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let (on_out, secs_out) = (a32(a, 1), a32(a, 2));
    g.check(on_out, 1)?;
    g.check(secs_out, 4)?;
    let e = socket_fd(cx, a32(a, 0))?;
    let l: libc::linger = net::getsockopt(e.fd(), libc::SOL_SOCKET, libc::SO_LINGER)?;
    g.write(on_out, &[u8::from(l.l_onoff != 0)])?;
    Ok(g.write_u32(secs_out, l.l_linger as u32)?)
}

/// `sock_set_linger(fd, is_enabled, linger_s)` (WAMR).
pub fn sock_set_linger(cx: &WasiCtx, _g: Guest<'_>, a: &[u64]) -> WasiResult {
    let e = socket_fd(cx, a32(a, 0))?;
    let l = libc::linger {
        l_onoff: i32::from(a32(a, 1) as u8 != 0),
        l_linger: a32(a, 2) as i32,
    };
    Ok(net::setsockopt(
        e.fd(),
        libc::SOL_SOCKET,
        libc::SO_LINGER,
        l,
    )?)
}

/// `sock_set_ip_add_membership` / `sock_set_ip_drop_membership` (WAMR): multicast group
/// membership is not granted by cWASI (`notsup`), since group addresses are outside the
/// address-pool model. The pointer argument is still checked.
pub fn sock_set_ip_membership(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    g.check(a32(a, 1), 20)?;
    socket_fd(cx, a32(a, 0))?;
    Err(Errno::Notsup.into())
}
