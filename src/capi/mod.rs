//! The C APIs: WAMR's `wasm_export.h` / `lib_export.h` and `wasm_c_api.h`, plus `cwamr.h`.
//!
//! Every `extern "C"` function runs inside [`ffi::guard`] (no panic crosses the boundary) and
//! validates its handles before touching anything.

pub mod ffi;
pub mod platform;
pub mod wamr;
pub mod wasm_c_api;
