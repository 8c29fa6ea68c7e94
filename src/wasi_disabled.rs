//! cWASI disabled: this build has no `wasi` feature. The public API is the same as with the
//! feature, so embedders compile unchanged; creating a context fails with a clear error and
//! nothing is linked.

#[path = "wasi/config.rs"]
mod config;

use std::sync::Arc;

pub use config::{AddrRange, Preopen, WasiConfig, name_matches};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// True when this build has WASI support.
pub const ENABLED: bool = false;

/// Placeholder for a WASI context; cannot be created in this build.
#[derive(Debug)]
pub struct WasiCtx {
    _private: (),
}

impl WasiCtx {
    /// Always fails: WASI is not compiled in.
    pub fn new(_cfg: &WasiConfig) -> Result<Arc<WasiCtx>, String> {
        Err("WASI support is not compiled in (build cwamr with the `wasi` feature)".to_string())
    }

    /// Never set in this build.
    pub fn exit_code(&self) -> Option<u32> {
        None
    }
}

/// Defines nothing (no context can exist in this build).
pub fn add_to_linker(_linker: &mut crate::Linker, _ctx: &Arc<WasiCtx>) {}

/// No functions are registered in this build.
pub fn function_names() -> Vec<&'static str> {
    Vec::new()
}

/// True if the module imports WASI (so an embedder can report that it needs WASI).
pub fn is_wasi_module(m: &crate::Module) -> bool {
    m.imports()
        .iter()
        .any(|i| i.module == "wasi_snapshot_preview1" || i.module == "wasi_unstable")
}

/// No warning: WAMR without libc-wasi does not look for WASI entry points.
pub fn entry_warning(_m: &crate::Module) -> Option<&'static str> {
    None
}
