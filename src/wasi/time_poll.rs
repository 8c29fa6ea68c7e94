//! Clocks and `poll_oneoff` (clock timeouts and descriptor readiness).
//!
//! Waiting is done in slices of at most 50 ms so that `wasm_runtime_terminate` (the store's
//! interrupt flag) ends a long sleep promptly with `terminated by user`.

use std::sync::atomic::{AtomicU32, Ordering};

use super::ctx::WasiCtx;
use super::fdtable::Resource;
use super::fs_fd::a32;
use super::guest::Guest;
use super::sys;
use super::types::{Errno, WasiResult, layout, rights};
use crate::error::{Trap, TrapCode};

fn host_clock(id: u32) -> Result<libc::clockid_t, Errno> {
    Ok(match id {
        0 => libc::CLOCK_REALTIME,
        1 => libc::CLOCK_MONOTONIC,
        2 => libc::CLOCK_PROCESS_CPUTIME_ID,
        3 => libc::CLOCK_THREAD_CPUTIME_ID,
        _ => return Err(Errno::Inval),
    })
}

/// `clock_res_get(id, out: *u64)`.
pub fn clock_res_get(_cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 1);
    g.check(out, 8)?;
    let r = sys::clock_res(host_clock(a32(a, 0))?)?;
    Ok(g.write_u64(out, r)?)
}

/// `clock_time_get(id, precision: u64, out: *u64)`.
pub fn clock_time_get(_cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let out = a32(a, 2);
    g.check(out, 8)?;
    let t = sys::clock_time(host_clock(a32(a, 0))?)?;
    Ok(g.write_u64(out, t)?)
}

/// One output event.
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    hangup: bool,
}

impl Event {
    fn bytes(&self) -> [u8; layout::EVENT_SIZE] {
        let mut b = [0u8; layout::EVENT_SIZE];
        b[0..8].copy_from_slice(&self.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&(self.error as u16).to_le_bytes());
        b[10] = self.kind;
        b[16..24].copy_from_slice(&self.nbytes.to_le_bytes());
        if self.hangup {
            b[24..26].copy_from_slice(&1u16.to_le_bytes());
        }
        b
    }
}

const EVENT_CLOCK: u8 = 0;
const EVENT_FD_READ: u8 = 1;
const EVENT_FD_WRITE: u8 = 2;
const SUBCLOCK_ABSTIME: u16 = 1;
/// Longest single wait before re-checking the interrupt flag.
const SLICE_NS: u64 = 50_000_000;

struct ClockSub {
    userdata: u64,
    /// Deadline on CLOCK_MONOTONIC, in nanoseconds.
    deadline: u64,
}

struct FdSub {
    userdata: u64,
    kind: u8,
    entry: std::sync::Arc<super::fdtable::FdEntry>,
}

/// `poll_oneoff(in: *subscription, out: *event, nsubscriptions, nevents: *u32)`.
pub fn poll_oneoff(cx: &WasiCtx, g: Guest<'_>, a: &[u64], interrupt: &AtomicU32) -> WasiResult {
    let (inp, outp, n, nevents) = (a32(a, 0), a32(a, 1), a32(a, 2), a32(a, 3));
    g.check(inp, u64::from(n) * layout::SUBSCRIPTION_SIZE)?;
    g.check(outp, u64::from(n) * layout::EVENT_SIZE as u64)?;
    g.check(nevents, 4)?;
    if n == 0 {
        return Err(Errno::Inval.into());
    }
    let now = sys::clock_time(libc::CLOCK_MONOTONIC)?;
    let mut ready: Vec<Event> = Vec::new();
    let mut clocks: Vec<ClockSub> = Vec::new();
    let mut fds: Vec<FdSub> = Vec::new();
    for i in 0..n {
        let s = inp + i * layout::SUBSCRIPTION_SIZE as u32;
        let userdata = g.u64(s)?;
        let tag = g.u8(s + 8)?;
        match tag {
            EVENT_CLOCK => {
                let (id, timeout, flags) = (g.u32(s + 16)?, g.u64(s + 24)?, g.u16(s + 40)?);
                let rel = match id {
                    0 | 1 if flags & SUBCLOCK_ABSTIME != 0 => {
                        let cur = sys::clock_time(host_clock(id)?)?;
                        timeout.saturating_sub(cur)
                    }
                    0 | 1 => timeout,
                    _ => {
                        ready.push(Event {
                            userdata,
                            error: Errno::Inval,
                            kind: EVENT_CLOCK,
                            nbytes: 0,
                            hangup: false,
                        });
                        continue;
                    }
                };
                clocks.push(ClockSub {
                    userdata,
                    deadline: now.saturating_add(rel),
                });
            }
            EVENT_FD_READ | EVENT_FD_WRITE => {
                let fd = g.u32(s + 16)?;
                let err = |error| Event {
                    userdata,
                    error,
                    kind: tag,
                    nbytes: 0,
                    hangup: false,
                };
                match cx.entry(fd) {
                    Err(e) => ready.push(err(e)),
                    Ok(e) if e.require(rights::POLL_FD_READWRITE).is_err() => {
                        ready.push(err(Errno::Notcapable))
                    }
                    Ok(e) => fds.push(FdSub {
                        userdata,
                        kind: tag,
                        entry: e,
                    }),
                }
            }
            _ => return Err(Errno::Inval.into()),
        }
    }
    // Regular files and directories are always ready (as POSIX poll says).
    let mut waiting: Vec<FdSub> = Vec::new();
    for f in fds {
        let always = matches!(f.entry.res, Resource::File(_) | Resource::Dir(_))
            && matches!(
                f.entry.filetype,
                super::types::FileType::RegularFile | super::types::FileType::Directory
            );
        if always {
            let nbytes = if f.kind == EVENT_FD_READ {
                file_remaining(&f.entry)
            } else {
                0
            };
            ready.push(Event {
                userdata: f.userdata,
                error: Errno::Success,
                kind: f.kind,
                nbytes,
                hangup: false,
            });
        } else {
            waiting.push(f);
        }
    }
    loop {
        let now = sys::clock_time(libc::CLOCK_MONOTONIC)?;
        let earliest = clocks.iter().map(|c| c.deadline).min();
        let wait_ns = if !ready.is_empty() {
            0
        } else {
            match earliest {
                Some(d) => d.saturating_sub(now).min(SLICE_NS),
                None => SLICE_NS,
            }
        };
        if !waiting.is_empty() || wait_ns > 0 {
            let mut pfds: Vec<libc::pollfd> = waiting
                .iter()
                .map(|f| libc::pollfd {
                    fd: std::os::fd::AsRawFd::as_raw_fd(&f.entry.fd()),
                    events: if f.kind == EVENT_FD_READ {
                        libc::POLLIN
                    } else {
                        libc::POLLOUT
                    },
                    revents: 0,
                })
                .collect();
            match sys::ppoll(&mut pfds, wait_ns) {
                Ok(_) | Err(Errno::Intr) => {}
                Err(e) => return Err(e.into()),
            }
            for (f, p) in waiting.iter().zip(&pfds) {
                if p.revents == 0 {
                    continue;
                }
                let error = if p.revents & libc::POLLNVAL != 0 {
                    Errno::Badf
                } else {
                    Errno::Success
                };
                let nbytes = if f.kind == EVENT_FD_READ {
                    sys::bytes_readable(f.entry.fd()).unwrap_or(0)
                } else {
                    0
                };
                ready.push(Event {
                    userdata: f.userdata,
                    error,
                    kind: f.kind,
                    nbytes,
                    hangup: p.revents & libc::POLLHUP != 0,
                });
            }
        }
        let now = sys::clock_time(libc::CLOCK_MONOTONIC)?;
        for c in clocks.iter().filter(|c| c.deadline <= now) {
            ready.push(Event {
                userdata: c.userdata,
                error: Errno::Success,
                kind: EVENT_CLOCK,
                nbytes: 0,
                hangup: false,
            });
        }
        if !ready.is_empty() {
            break;
        }
        if interrupt.load(Ordering::Relaxed) != 0 {
            return Err(Trap::Code(TrapCode::TerminatedByUser).into());
        }
    }
    let bytes: Vec<u8> = ready.iter().flat_map(|e| e.bytes()).collect();
    g.write(outp, &bytes)?;
    Ok(g.write_u32(nevents, ready.len() as u32)?)
}

fn file_remaining(e: &super::fdtable::FdEntry) -> u64 {
    let fd = e.fd();
    match (sys::fstat(fd), sys::lseek(fd, 0, libc::SEEK_CUR)) {
        (Ok(st), Ok(pos)) => (st.st_size as u64).saturating_sub(pos),
        _ => 0,
    }
}
