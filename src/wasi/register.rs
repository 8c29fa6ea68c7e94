//! Registration of every function under `wasi_snapshot_preview1` in a [`Linker`].
//!
//! Each host function captures the instance's own [`WasiCtx`]; its result is the preview1
//! errno (0 on success), except `proc_exit`, which has none and always ends the call.

use std::sync::Arc;

use once_cell::sync::Lazy;

use super::ctx::WasiCtx;
use super::guest::Guest;
use super::types::{Fail, WasiResult};
use super::{dir, fs_fd, fs_path, proc, sock, sock_opts, time_poll};
use crate::error::Trap;
use crate::runtime::{Caller, Definition, HostFunc, LinearMemory, Linker};
use crate::types::{FuncType, Limits, MemoryType, ValType};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

type Body = fn(&WasiCtx, Guest<'_>, &[u64]) -> WasiResult;

const I: ValType = ValType::I32;
const L: ValType = ValType::I64;

/// A zero-page memory for callers without a memory: every guest pointer is out of bounds.
static NO_MEMORY: Lazy<LinearMemory> = Lazy::new(|| {
    LinearMemory::new(
        MemoryType {
            limits: Limits {
                min: 0,
                max: Some(0),
            },
            shared: false,
        },
        0,
    )
    .expect("a zero-page memory needs no allocation")
});

fn memory<'c>(caller: &'c Caller<'_>) -> &'c LinearMemory {
    caller.memory().unwrap_or(&NO_MEMORY)
}

/// Turn a body's outcome into the host-function result.
#[inline(always)]
fn finish(r: WasiResult, cells: &mut [u64]) -> Result<(), Trap> {
    match r {
        Ok(()) => {
            cells[0] = 0;
            Ok(())
        }
        Err(Fail::Errno(e)) => {
            cells[0] = u64::from(e as u16);
            Ok(())
        }
        Err(Fail::Trap(t)) => Err(t),
    }
}

fn host(ctx: &Arc<WasiCtx>, params: &[ValType], f: Body) -> HostFunc {
    let ctx = ctx.clone();
    let n = params.len();
    HostFunc::new(FuncType::new(params.to_vec(), [I]), move |caller, cells| {
        let r = f(&ctx, Guest::new(memory(caller)), &cells[..n]);
        finish(r, cells)
    })
}

/// The preview1 functions with an errno result: name, parameter types, body.
const FUNCS: &[(&str, &[ValType], Body)] = &[
    ("args_get", &[I, I], proc::args_get),
    ("args_sizes_get", &[I, I], proc::args_sizes_get),
    ("environ_get", &[I, I], proc::environ_get),
    ("environ_sizes_get", &[I, I], proc::environ_sizes_get),
    ("clock_res_get", &[I, I], time_poll::clock_res_get),
    ("clock_time_get", &[I, L, I], time_poll::clock_time_get),
    ("fd_advise", &[I, L, L, I], fs_fd::fd_advise),
    ("fd_allocate", &[I, L, L], fs_fd::fd_allocate),
    ("fd_close", &[I], fs_fd::fd_close),
    ("fd_datasync", &[I], fs_fd::fd_datasync),
    ("fd_fdstat_get", &[I, I], fs_fd::fd_fdstat_get),
    ("fd_fdstat_set_flags", &[I, I], fs_fd::fd_fdstat_set_flags),
    (
        "fd_fdstat_set_rights",
        &[I, L, L],
        fs_fd::fd_fdstat_set_rights,
    ),
    ("fd_filestat_get", &[I, I], fs_fd::fd_filestat_get),
    ("fd_filestat_set_size", &[I, L], fs_fd::fd_filestat_set_size),
    (
        "fd_filestat_set_times",
        &[I, L, L, I],
        fs_fd::fd_filestat_set_times,
    ),
    ("fd_pread", &[I, I, I, L, I], fs_fd::fd_pread),
    ("fd_prestat_get", &[I, I], fs_fd::fd_prestat_get),
    (
        "fd_prestat_dir_name",
        &[I, I, I],
        fs_fd::fd_prestat_dir_name,
    ),
    ("fd_pwrite", &[I, I, I, L, I], fs_fd::fd_pwrite),
    ("fd_read", &[I, I, I, I], fs_fd::fd_read),
    ("fd_readdir", &[I, I, I, L, I], dir::fd_readdir),
    ("fd_renumber", &[I, I], fs_fd::fd_renumber),
    ("fd_seek", &[I, L, I, I], fs_fd::fd_seek),
    ("fd_sync", &[I], fs_fd::fd_sync),
    ("fd_tell", &[I, I], fs_fd::fd_tell),
    ("fd_write", &[I, I, I, I], fs_fd::fd_write),
    (
        "path_create_directory",
        &[I, I, I],
        fs_path::path_create_directory,
    ),
    (
        "path_filestat_get",
        &[I, I, I, I, I],
        fs_path::path_filestat_get,
    ),
    (
        "path_filestat_set_times",
        &[I, I, I, I, L, L, I],
        fs_path::path_filestat_set_times,
    ),
    ("path_link", &[I, I, I, I, I, I, I], fs_path::path_link),
    (
        "path_open",
        &[I, I, I, I, I, L, L, I, I],
        fs_path::path_open,
    ),
    ("path_readlink", &[I, I, I, I, I, I], fs_path::path_readlink),
    (
        "path_remove_directory",
        &[I, I, I],
        fs_path::path_remove_directory,
    ),
    ("path_rename", &[I, I, I, I, I, I], fs_path::path_rename),
    ("path_symlink", &[I, I, I, I, I], fs_path::path_symlink),
    ("path_unlink_file", &[I, I, I], fs_path::path_unlink_file),
    ("proc_raise", &[I], proc::proc_raise),
    ("sched_yield", &[], proc::sched_yield),
    ("random_get", &[I, I], proc::random_get),
    ("sock_recv", &[I, I, I, I, I, I], sock::sock_recv),
    ("sock_send", &[I, I, I, I, I], sock::sock_send),
    ("sock_shutdown", &[I, I], sock::sock_shutdown),
    // WAMR's socket extension.
    ("sock_open", &[I, I, I, I], sock::sock_open),
    ("sock_bind", &[I, I], sock::sock_bind),
    ("sock_connect", &[I, I], sock::sock_connect),
    ("sock_listen", &[I, I], sock::sock_listen),
    ("sock_addr_local", &[I, I], sock::sock_addr_local),
    ("sock_addr_remote", &[I, I], sock::sock_addr_remote),
    (
        "sock_addr_resolve",
        &[I, I, I, I, I, I],
        sock::sock_addr_resolve,
    ),
    ("sock_recv_from", &[I, I, I, I, I, I], sock::sock_recv_from),
    ("sock_send_to", &[I, I, I, I, I, I], sock::sock_send_to),
    ("sock_close", &[I], sock::sock_close),
    (
        "sock_get_reuse_addr",
        &[I, I],
        sock_opts::sock_get_reuse_addr,
    ),
    (
        "sock_set_reuse_addr",
        &[I, I],
        sock_opts::sock_set_reuse_addr,
    ),
    (
        "sock_get_reuse_port",
        &[I, I],
        sock_opts::sock_get_reuse_port,
    ),
    (
        "sock_set_reuse_port",
        &[I, I],
        sock_opts::sock_set_reuse_port,
    ),
    ("sock_get_broadcast", &[I, I], sock_opts::sock_get_broadcast),
    ("sock_set_broadcast", &[I, I], sock_opts::sock_set_broadcast),
    (
        "sock_get_keep_alive",
        &[I, I],
        sock_opts::sock_get_keep_alive,
    ),
    (
        "sock_set_keep_alive",
        &[I, I],
        sock_opts::sock_set_keep_alive,
    ),
    (
        "sock_get_recv_buf_size",
        &[I, I],
        sock_opts::sock_get_recv_buf_size,
    ),
    (
        "sock_set_recv_buf_size",
        &[I, I],
        sock_opts::sock_set_recv_buf_size,
    ),
    (
        "sock_get_send_buf_size",
        &[I, I],
        sock_opts::sock_get_send_buf_size,
    ),
    (
        "sock_set_send_buf_size",
        &[I, I],
        sock_opts::sock_set_send_buf_size,
    ),
    (
        "sock_get_tcp_no_delay",
        &[I, I],
        sock_opts::sock_get_tcp_no_delay,
    ),
    (
        "sock_set_tcp_no_delay",
        &[I, I],
        sock_opts::sock_set_tcp_no_delay,
    ),
    (
        "sock_get_tcp_quick_ack",
        &[I, I],
        sock_opts::sock_get_tcp_quick_ack,
    ),
    (
        "sock_set_tcp_quick_ack",
        &[I, I],
        sock_opts::sock_set_tcp_quick_ack,
    ),
    (
        "sock_get_tcp_fastopen_connect",
        &[I, I],
        sock_opts::sock_get_tcp_fastopen_connect,
    ),
    (
        "sock_set_tcp_fastopen_connect",
        &[I, I],
        sock_opts::sock_set_tcp_fastopen_connect,
    ),
    (
        "sock_get_tcp_keep_idle",
        &[I, I],
        sock_opts::sock_get_tcp_keep_idle,
    ),
    (
        "sock_set_tcp_keep_idle",
        &[I, I],
        sock_opts::sock_set_tcp_keep_idle,
    ),
    (
        "sock_get_tcp_keep_intvl",
        &[I, I],
        sock_opts::sock_get_tcp_keep_intvl,
    ),
    (
        "sock_set_tcp_keep_intvl",
        &[I, I],
        sock_opts::sock_set_tcp_keep_intvl,
    ),
    ("sock_get_ipv6_only", &[I, I], sock_opts::sock_get_ipv6_only),
    ("sock_set_ipv6_only", &[I, I], sock_opts::sock_set_ipv6_only),
    ("sock_get_ip_ttl", &[I, I], sock_opts::sock_get_ip_ttl),
    ("sock_set_ip_ttl", &[I, I], sock_opts::sock_set_ip_ttl),
    (
        "sock_get_ip_multicast_ttl",
        &[I, I],
        sock_opts::sock_get_ip_multicast_ttl,
    ),
    (
        "sock_set_ip_multicast_ttl",
        &[I, I],
        sock_opts::sock_set_ip_multicast_ttl,
    ),
    (
        "sock_get_ip_multicast_loop",
        &[I, I, I],
        sock_opts::sock_get_ip_multicast_loop,
    ),
    (
        "sock_set_ip_multicast_loop",
        &[I, I, I],
        sock_opts::sock_set_ip_multicast_loop,
    ),
    (
        "sock_get_recv_timeout",
        &[I, I],
        sock_opts::sock_get_recv_timeout,
    ),
    (
        "sock_set_recv_timeout",
        &[I, L],
        sock_opts::sock_set_recv_timeout,
    ),
    (
        "sock_get_send_timeout",
        &[I, I],
        sock_opts::sock_get_send_timeout,
    ),
    (
        "sock_set_send_timeout",
        &[I, L],
        sock_opts::sock_set_send_timeout,
    ),
    ("sock_get_linger", &[I, I, I], sock_opts::sock_get_linger),
    ("sock_set_linger", &[I, I, I], sock_opts::sock_set_linger),
    (
        "sock_set_ip_add_membership",
        &[I, I, I],
        sock_opts::sock_set_ip_membership,
    ),
    (
        "sock_set_ip_drop_membership",
        &[I, I, I],
        sock_opts::sock_set_ip_membership,
    ),
];

/// Every function name registered (for documentation and tests).
pub fn function_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = FUNCS.iter().map(|f| f.0).collect();
    v.extend(["proc_exit", "poll_oneoff", "sock_accept"]);
    v.sort_unstable();
    v
}

/// Define every `wasi_snapshot_preview1` function in `linker`, bound to `ctx`.
pub fn add_to_linker(linker: &mut Linker, ctx: &Arc<WasiCtx>) {
    for (name, params, body) in FUNCS {
        linker.func(MODULE, name, host(ctx, params, *body));
    }
    let c = ctx.clone();
    linker.func(
        MODULE,
        "proc_exit",
        HostFunc::new(
            FuncType::new([I], []),
            move |caller, cells| match proc::proc_exit(&c, Guest::new(memory(caller)), &cells[..1])
            {
                Err(Fail::Trap(t)) => Err(t),
                _ => Err(Trap::Exit(cells[0] as u32)),
            },
        ),
    );
    let c = ctx.clone();
    linker.func(
        MODULE,
        "poll_oneoff",
        HostFunc::new(FuncType::new([I, I, I, I], [I]), move |caller, cells| {
            let interrupt = caller.store().interrupt_handle();
            let r = time_poll::poll_oneoff(&c, Guest::new(memory(caller)), &cells[..4], &interrupt);
            finish(r, cells)
        }),
    );
    // preview1's `sock_accept(fd, flags, fd_out)`, and WAMR's older two-argument form.
    let c = ctx.clone();
    linker.define(
        MODULE,
        "sock_accept",
        Definition::FuncFactory(Arc::new(move |ty: &FuncType| {
            let n = ty.params().len();
            if (n == 2 || n == 3) && ty.params().iter().all(|&p| p == I) && ty.results() == [I] {
                Ok(host(&c, &ty.params()[..n], sock::sock_accept))
            } else {
                Err(format!(
                    "incompatible import type: function ({MODULE}, sock_accept)"
                ))
            }
        })),
    );
}
