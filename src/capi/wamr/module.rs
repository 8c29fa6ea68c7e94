//! Modules: `wasm_runtime_load`, `_load_ex`, `_load_from_sections`, `_unload`, package type and
//! version queries, module names, `wasm_runtime_is_underlying_binary_freeable`,
//! `wasm_runtime_resolve_symbols`, custom sections.
//!
//! The binary is always copied into runtime-owned memory, so the caller may free or modify its
//! buffer right after loading (WAMR's `wasm_binary_freeable` semantics, always on), and the
//! runtime never writes into the caller's buffer.

use std::ffi::c_char;

use super::ctypes::*;
use super::handles::{self, api_error, reg};
use super::module_obj::{cstr, new_obj, release};
use crate::cap::{OType, SealedHandle};
use crate::capi::ffi::{self, guard};
use crate::module::Module;

/// WAMR's current bytecode format version.
const WASM_CURRENT_VERSION: u32 = 1;
/// WAMR 2.4's AoT format version (reported; WAMR AoT files are not loadable here).
const AOT_CURRENT_VERSION: u32 = 5;

fn package_type(bytes: &[u8]) -> package_type_t {
    match bytes.get(..4) {
        Some(b"\0asm") => Wasm_Module_Bytecode,
        Some(b"\0aot") => Wasm_Module_AoT,
        _ => Package_Type_Unknown,
    }
}

fn package_version(bytes: &[u8]) -> u32 {
    if package_type(bytes) == Package_Type_Unknown {
        return 0;
    }
    bytes
        .get(4..8)
        .map_or(0, |v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
}

/// Load (decode and validate) a copy of `bytes`, resolving imports from other modules.
fn load(bytes: &[u8], name: Option<&str>) -> Result<SealedHandle, String> {
    super::pool_mode::load_watched(
        || load_unwatched(bytes, name),
        |h| wasm_runtime_unload(h.to_ptr()),
    )
}

fn load_unwatched(bytes: &[u8], name: Option<&str>) -> Result<SealedHandle, String> {
    handles::epoch().ok_or("WASM module load failed: runtime not initialized")?;
    if package_type(bytes) == Wasm_Module_AoT {
        return Err("WASM module load failed: WAMR AoT files are not supported by cwamr; load the .wasm module".into());
    }
    let module = Module::new(bytes).map_err(|e| e.to_string())?;
    super::natives::warn_signature_mismatches(&module);
    if let Some(w) = crate::wasi::entry_warning(&module) {
        ffi::log(ffi::LOG_WARNING, w);
    }
    if let Some(n) = name {
        module.set_name(n);
    }
    let loaded = super::multi_module::load(module);
    let h = new_obj(loaded.clone())?;
    super::multi_module::handle_created(&loaded, h);
    Ok(h)
}

/// Unload every module of the running runtime (runtime destroy).
pub(crate) fn unload_all() {
    if let Some(epoch) = handles::epoch() {
        for m in reg().modules.remove_owned_by(epoch) {
            release(&m);
        }
    }
}

fn finish(
    r: Result<SealedHandle, String>,
    api: &str,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_t {
    match r {
        Ok(h) => h.to_ptr(),
        Err(msg) => {
            // SAFETY: the caller passes a writable error buffer of that size, or NULL.
            unsafe { ffi::write_error_buf(error_buf, error_buf_size, &msg) };
            ffi::log(ffi::LOG_DEBUG, &format!("{api}: {msg}"));
            std::ptr::null_mut()
        }
    }
}

/// Load a module from a WebAssembly binary (copied).
///
/// # Safety
/// `buf` has `size` readable bytes; `error_buf` is NULL or has `error_buf_size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_load(
    buf: *mut u8,
    size: u32,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_t {
    guard("wasm_runtime_load", std::ptr::null_mut(), || {
        // SAFETY: per the contract.
        let r = match unsafe { ffi::slice_from(buf.cast_const(), size as usize) } {
            Some(b) => load(b, None),
            None => Err("WASM module load failed: binary buffer is NULL".into()),
        };
        finish(r, "wasm_runtime_load", error_buf, error_buf_size)
    })
}

/// Load with `LoadArgs` (name; the copy/freeable/no_resolve options are always satisfied).
///
/// # Safety
/// As [`wasm_runtime_load`]; `args` is NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_load_ex(
    buf: *mut u8,
    size: u32,
    args: *const LoadArgs,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_t {
    guard("wasm_runtime_load_ex", std::ptr::null_mut(), || {
        let name = if args.is_null() {
            None
        } else {
            // SAFETY: non-null and valid per the contract; `name` is NULL or a C string.
            unsafe { ffi::str_from((*args).name) }
        };
        // SAFETY: per the contract.
        let r = match unsafe { ffi::slice_from(buf.cast_const(), size as usize) } {
            Some(b) => load(b, name),
            None => Err("WASM module load failed: binary buffer is NULL".into()),
        };
        finish(r, "wasm_runtime_load_ex", error_buf, error_buf_size)
    })
}

/// Load from a list of pre-split sections (bytecode only).
///
/// # Safety
/// `section_list` is a valid list whose bodies have their stated sizes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_load_from_sections(
    section_list: wasm_section_list_t,
    is_aot: bool,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_t {
    guard(
        "wasm_runtime_load_from_sections",
        std::ptr::null_mut(),
        || {
            let r = if is_aot {
                Err(
                    "WASM module load failed: WAMR AoT sections are not supported by cwamr"
                        .to_string(),
                )
            } else {
                let mut bin = b"\0asm\x01\0\0\0".to_vec();
                let mut p = section_list;
                let mut ok = true;
                let mut n = 0usize;
                while !p.is_null() && n < 1_000_000 {
                    // SAFETY: a valid list node per the contract.
                    let s = unsafe { *p };
                    // SAFETY: the body has `section_body_size` bytes per the contract.
                    match unsafe {
                        ffi::slice_from(s.section_body.cast_const(), s.section_body_size as usize)
                    } {
                        Some(body) if (0..=255).contains(&s.section_type) => {
                            bin.push(s.section_type as u8);
                            let mut len = body.len() as u32;
                            loop {
                                let byte = (len & 0x7f) as u8;
                                len >>= 7;
                                bin.push(if len == 0 { byte } else { byte | 0x80 });
                                if len == 0 {
                                    break;
                                }
                            }
                            bin.extend_from_slice(body);
                        }
                        _ => ok = false,
                    }
                    p = s.next;
                    n += 1;
                }
                if ok {
                    load(&bin, None)
                } else {
                    Err("WASM module load failed: invalid section list".into())
                }
            };
            finish(
                r,
                "wasm_runtime_load_from_sections",
                error_buf,
                error_buf_size,
            )
        },
    )
}

/// Imports are resolved at instantiation: nothing to do; true for a valid module.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_resolve_symbols(module: wasm_module_t) -> bool {
    guard("wasm_runtime_resolve_symbols", false, || {
        handles::module("wasm_runtime_resolve_symbols", module).is_some()
    })
}

/// Unload a module (its handle becomes invalid; live instances keep working).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_unload(module: wasm_module_t) {
    guard("wasm_runtime_unload", (), || {
        const API: &str = "wasm_runtime_unload";
        let h = SealedHandle::from_ptr(module);
        let Some(epoch) = handles::epoch() else {
            api_error(API, "runtime not initialized");
            return;
        };
        // Multi-module: a named module stays loaded until runtime destroy (WAMR's no-op).
        if let Ok(m) = reg().modules.get(h, OType::MODULE, Some(epoch))
            && !super::multi_module::unload(&m.loaded)
        {
            return;
        }
        match reg().modules.remove(h, OType::MODULE, Some(epoch)) {
            Ok(m) => release(&m),
            Err(e) => handles::reject(API, "module", h, OType::MODULE, e),
        }
    })
}

/// Package type of a buffer (`Wasm_Module_Bytecode`, `Wasm_Module_AoT` or unknown).
///
/// # Safety
/// `buf` has `size` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn get_package_type(buf: *const u8, size: u32) -> package_type_t {
    guard("get_package_type", Package_Type_Unknown, || {
        // SAFETY: per the contract.
        unsafe { ffi::slice_from(buf, size as usize) }.map_or(Package_Type_Unknown, package_type)
    })
}

/// Same as [`get_package_type`].
///
/// # Safety
/// `buf` has `size` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_file_package_type(
    buf: *const u8,
    size: u32,
) -> package_type_t {
    guard(
        "wasm_runtime_get_file_package_type",
        Package_Type_Unknown,
        || {
            // SAFETY: per the contract.
            unsafe { ffi::slice_from(buf, size as usize) }
                .map_or(Package_Type_Unknown, package_type)
        },
    )
}

/// Package type of a loaded module (always bytecode).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_module_package_type(module: wasm_module_t) -> package_type_t {
    guard(
        "wasm_runtime_get_module_package_type",
        Package_Type_Unknown,
        || {
            handles::module("wasm_runtime_get_module_package_type", module)
                .map_or(Package_Type_Unknown, |_| Wasm_Module_Bytecode)
        },
    )
}

/// Format version in a buffer's header (0 if unknown).
///
/// # Safety
/// `buf` has `size` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_file_package_version(buf: *const u8, size: u32) -> u32 {
    guard("wasm_runtime_get_file_package_version", 0, || {
        // SAFETY: per the contract.
        unsafe { ffi::slice_from(buf, size as usize) }.map_or(0, package_version)
    })
}

/// Format version of a loaded module.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_module_package_version(module: wasm_module_t) -> u32 {
    guard("wasm_runtime_get_module_package_version", 0, || {
        handles::module("wasm_runtime_get_module_package_version", module)
            .map_or(0, |m| package_version(m.module.bytes()))
    })
}

/// The format version WAMR 2.4.3 writes for a package type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_current_package_version(package_type: package_type_t) -> u32 {
    guard(
        "wasm_runtime_get_current_package_version",
        0,
        || match package_type {
            Wasm_Module_Bytecode => WASM_CURRENT_VERSION,
            Wasm_Module_AoT => AOT_CURRENT_VERSION,
            _ => 0,
        },
    )
}

/// Set the module's name (copied).
///
/// # Safety
/// `name` is a C string; `error_buf` as in [`wasm_runtime_load`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_module_name(
    module: wasm_module_t,
    name: *const c_char,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> bool {
    guard("wasm_runtime_set_module_name", false, || {
        const API: &str = "wasm_runtime_set_module_name";
        let Some(m) = handles::module(API, module) else {
            // SAFETY: per the contract.
            unsafe { ffi::write_error_buf(error_buf, error_buf_size, "invalid module handle") };
            return false;
        };
        // SAFETY: per the contract.
        let Some(n) = (unsafe { ffi::str_from(name) }) else {
            // SAFETY: per the contract.
            unsafe {
                ffi::write_error_buf(
                    error_buf,
                    error_buf_size,
                    "module name is NULL or not UTF-8",
                )
            };
            return false;
        };
        m.module.set_name(n);
        m.names.lock().push(cstr(n));
        true
    })
}

/// The module's name ("" if never set; NULL for an invalid handle).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_module_name(module: wasm_module_t) -> *const c_char {
    guard("wasm_runtime_get_module_name", std::ptr::null(), || {
        match handles::module("wasm_runtime_get_module_name", module) {
            // Names are kept until the module is dropped, so the pointer stays valid.
            Some(m) => m
                .names
                .lock()
                .last()
                .map_or(std::ptr::null(), |c| c.as_ptr()),
            None => std::ptr::null(),
        }
    })
}

/// Always true: the runtime keeps its own copy of the binary.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_is_underlying_binary_freeable(module: wasm_module_t) -> bool {
    guard("wasm_runtime_is_underlying_binary_freeable", false, || {
        handles::module("wasm_runtime_is_underlying_binary_freeable", module).is_some()
    })
}

/// Payload of the first custom section called `name` (NULL if none); valid while the module
/// is loaded.
///
/// # Safety
/// `name` is a C string; `len` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_custom_section(
    module_comm: wasm_module_t,
    name: *const c_char,
    len: *mut u32,
) -> *const u8 {
    guard("wasm_runtime_get_custom_section", std::ptr::null(), || {
        let Some(m) = handles::module("wasm_runtime_get_custom_section", module_comm) else {
            return std::ptr::null();
        };
        // SAFETY: per the contract.
        let Some(n) = (unsafe { ffi::str_from(name) }) else {
            return std::ptr::null();
        };
        match m.module.custom_section(n) {
            Some(data) => {
                if !len.is_null() {
                    // SAFETY: non-null and writable per the contract.
                    unsafe { len.write(data.len() as u32) };
                }
                data.as_ptr()
            }
            None => std::ptr::null(),
        }
    })
}
