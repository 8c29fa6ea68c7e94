//! cWASI: WASI preview1 (`wasi_snapshot_preview1`) in which every resource a guest can touch is
//! a capability granted before it starts (capability-model §7).
//!
//! - [`WasiConfig`] lists the grants: arguments, environment, preopened directories (the only
//!   file-system roots, optionally read-only), stdio descriptors, the socket address pool and
//!   the name-lookup pool. Nothing is ambient.
//! - [`WasiCtx`] is one instance's state: a descriptor table of sealed `OT_WASI_FD` resources
//!   with preview1 rights (base + inheriting) that only ever shrink, and the exit code.
//! - [`add_to_linker`] defines every preview1 function (plus WAMR's socket extension) bound to
//!   a context; `proc_exit` ends the call with `Trap::Exit` (`wasi proc exit`).
//!
//! Confinement: paths resolve beneath a directory capability only (see [`path`]); all guest
//! pointers are bounds-checked with 64-bit arithmetic before use (see [`guest`]).
//! `docs/wasi.md` is the embedder's guide.

mod config;
mod ctx;
mod dir;
mod fdtable;
mod fs_fd;
mod fs_path;
pub mod guest;
mod net;
pub mod path;
mod proc;
mod register;
mod sock;
mod sock_opts;
mod sys;
mod time_poll;
pub mod types;

pub use config::{AddrRange, Preopen, WasiConfig, name_matches};
pub use ctx::WasiCtx;
pub use register::{MODULE, add_to_linker, function_names};
pub use sys::{force_component_walk, openat2_enabled};

/// True if the module imports WASI (`wasi_snapshot_preview1`, or the older `wasi_unstable`,
/// whose functions cWASI does not provide).
pub fn is_wasi_module(m: &crate::Module) -> bool {
    m.imports()
        .iter()
        .any(|i| i.module == "wasi_snapshot_preview1" || i.module == "wasi_unstable")
}

/// WAMR's load-time warning for a module that imports WASI but exports neither `_start`
/// (a command) nor `_initialize` (a reactor), if `m` is one.
pub fn entry_warning(m: &crate::Module) -> Option<&'static str> {
    let has = |n: &str| {
        m.export(n)
            .is_some_and(|e| e.kind == crate::types::ExternKind::Func)
    };
    (is_wasi_module(m) && !has("_start") && !has("_initialize"))
        .then_some("warning: a module with WASI apis should be either a command or a reactor")
}

/// True when this build has WASI support.
pub const ENABLED: bool = true;
