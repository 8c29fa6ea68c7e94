//! Native (host) function registration: `wasm_runtime_register_natives`, `_raw`,
//! `wasm_runtime_unregister_natives`, `wasm_runtime_get_function_attachment`, and the
//! signature strings of `NativeSymbol`.
//!
//! Registrations are copied (name, function pointer, parsed signature, attachment), so the
//! caller's array may change afterwards without affecting us; WAMR keeps and sorts the caller's
//! array instead. The array pointer is remembered only to match `unregister_natives`. A later
//! registration of the same `(module, name)` shadows an earlier one, as in WAMR.
//!
//! Signature strings: `(params)result` with `i` i32, `I` i64, `f` f32, `F` f64, `r` externref,
//! `*` app pointer (validated, converted to a native pointer), `~` byte length of the
//! preceding `*` (must directly follow it), `$` app C string. A NULL signature means "take the
//! types from the import, pass everything raw". A malformed signature is logged at registration
//! and the symbol then never links (WAMR also only notices at link time).
//!
//! # Invariants
//! Registered strings are read from C only during registration (copied into Rust strings).

use std::ffi::{c_char, c_void};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error};
use super::native_sig::{NativeEntry, NativeSig, SigParam};
use super::objects::InstObj;
use super::{active, native_call};
use crate::cap::SealedHandle;
use crate::capi::ffi::{self, guard};
use crate::runtime::{Definition, HostFunc, Linker};
use crate::types::FuncType;

/// How a registration call wants its natives called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegisterKind {
    /// `wasm_runtime_register_natives`: arguments converted per the signature string.
    Plain,
    /// `wasm_runtime_register_natives_raw`: `void f(wasm_exec_env_t, uint64_t *args)`.
    Raw,
    /// `cwamr_register_natives_bounce`: as `Plain`, pointer arguments bounced.
    Bounce,
}

struct Registration {
    module: String,
    array: usize,
    entries: Vec<NativeEntry>,
}

static REGISTRY: Mutex<Vec<Registration>> = Mutex::new(Vec::new());

/// Copy and register `n` symbols under `module_name`.
///
/// # Safety
/// `module_name` is a C string; `symbols` points to `n` valid `NativeSymbol`s whose strings
/// are C strings.
pub(crate) unsafe fn register(
    api: &str,
    module_name: *const c_char,
    symbols: *mut NativeSymbol,
    n: u32,
    kind: RegisterKind,
) -> bool {
    // SAFETY: per the contract.
    let Some(module) = (unsafe { ffi::str_from(module_name) }) else {
        api_error(api, "module_name is NULL or not UTF-8");
        return false;
    };
    // SAFETY: per the contract.
    let Some(syms) = (unsafe { ffi::slice_from(symbols.cast_const(), n as usize) }) else {
        api_error(api, "native_symbols is NULL");
        return false;
    };
    let mut entries = Vec::with_capacity(syms.len());
    for (i, s) in syms.iter().enumerate() {
        // SAFETY: per the contract.
        let Some(name) = (unsafe { ffi::str_from(s.symbol) }) else {
            api_error(
                api,
                &format!("native symbol #{i} of \"{module}\" has no name"),
            );
            return false;
        };
        if s.func_ptr.is_null() {
            api_error(
                api,
                &format!("native symbol \"{module}.{name}\" has a NULL func_ptr"),
            );
            return false;
        }
        let sig = if s.signature.is_null() {
            if kind == RegisterKind::Bounce {
                api_error(
                    api,
                    &format!("\"{module}.{name}\": bounced natives need a signature string"),
                );
                return false;
            }
            None
        } else {
            // SAFETY: per the contract.
            let text = unsafe { ffi::str_from(s.signature) }.unwrap_or("<invalid UTF-8>");
            let parsed = NativeSig::parse(text);
            let lone_ptr = parsed.as_ref().is_ok_and(|s| {
                s.params
                    .iter()
                    .any(|p| matches!(p, SigParam::Ptr { len_next: false }))
            });
            if lone_ptr && super::memory::strict_mode() {
                api_error(
                    api,
                    &format!(
                        "\"{module}.{name}\": strict mode (CWAMR_STRICT=1) refuses '*' without a '~' length"
                    ),
                );
                return false;
            }
            if let Err(why) = &parsed {
                // WAMR says nothing at registration; it warns when an import meets it
                ffi::log(
                    ffi::LOG_DEBUG,
                    &format!("{api}: \"{module}.{name}\": {why}; the symbol will not link"),
                );
            }
            Some(parsed)
        };
        let sig_text = if s.signature.is_null() {
            String::new()
        } else {
            // SAFETY: per the contract (as above).
            unsafe { ffi::str_from(s.signature) }
                .unwrap_or("<invalid UTF-8>")
                .to_string()
        };
        entries.push(NativeEntry {
            name: name.to_string(),
            func: s.func_ptr as usize,
            sig,
            sig_text,
            attachment: s.attachment as usize,
            raw: kind == RegisterKind::Raw,
            bounce: kind == RegisterKind::Bounce,
        });
    }
    REGISTRY.lock().push(Registration {
        module: module.to_string(),
        array: symbols as usize,
        entries,
    });
    true
}

/// Forget every registration (runtime destroy).
pub(crate) fn clear() {
    drop(std::mem::take(&mut *REGISTRY.lock()));
}

/// The newest registration of `module.name` (or, within that registration, of `NAME` for
/// a `name` of the form `_NAME`, WAMR's fallback).
pub(crate) fn find(module: &str, name: &str) -> Option<NativeEntry> {
    let base = name.strip_prefix('_');
    REGISTRY
        .lock()
        .iter()
        .rev()
        .filter(|r| r.module == module)
        .find_map(|r| {
            let e = r.entries.iter().find(|e| e.name == name);
            e.or_else(|| r.entries.iter().find(|e| Some(e.name.as_str()) == base))
                .cloned()
        })
}

/// True if `module.name` is registered with a signature matching `ty` (or no signature), or
/// else provided by libc-builtin with that type.
pub(crate) fn links(module: &str, name: &str, ty: &FuncType) -> bool {
    match find(module, name) {
        Some(e) => match &e.sig {
            None => true,
            Some(Ok(s)) => &s.wasm_type() == ty,
            Some(Err(_)) => false,
        },
        None => crate::libc_builtin::func_type(module, name).is_some_and(|t| &t == ty),
    }
}

/// True if the function import `module.name` of type `ty` links through `linker` (a
/// registered native, libc-builtin, ...), as [`Linker::resolve`] will decide.
pub(crate) fn linker_links(linker: &Linker, module: &str, name: &str, ty: &FuncType) -> bool {
    linker.provides_func(module, name, ty)
}

/// WAMR's load-time warning for each function import of `module` that names a registered
/// native whose signature string is malformed or does not fit the import's type.
pub(crate) fn warn_signature_mismatches(module: &crate::Module) {
    for imp in module.imports() {
        let crate::module::ImportDesc::Func(t) = &imp.desc else {
            continue;
        };
        let Some(e) = find(&imp.module, &imp.name) else {
            continue;
        };
        let fits = match &e.sig {
            None => true,
            Some(Ok(s)) => s.wasm_type() == *module.types()[t.index()],
            Some(Err(_)) => false,
        };
        if !fits && !e.sig_text.is_empty() {
            ffi::log(
                ffi::LOG_WARNING,
                &format!(
                    "failed to check signature '{}' and resolve pointer params for import function ({}, {})\n",
                    e.sig_text, imp.module, imp.name
                ),
            );
        }
    }
}

/// A linker with libc-builtin and every registered native, for instance `inst`, in WAMR's
/// search order: newer registrations shadow older ones and libc-builtin; within one
/// registration an import `_NAME` binds to `NAME` unless `_NAME` is registered there too.
pub(crate) fn linker(inst: Weak<InstObj>) -> Linker {
    let inst_id = inst.upgrade().map_or(0, |o| o.id);
    let mut l = Linker::new();
    crate::libc_builtin::add_to_linker(&mut l);
    let regs = REGISTRY.lock();
    for r in regs.iter() {
        // The `_` fallbacks first, so that this registration's exact names win over them.
        let fallbacks = r.entries.iter().map(|e| (format!("_{}", e.name), e));
        let exact = r.entries.iter().map(|e| (e.name.clone(), e));
        for (bind_as, e) in fallbacks.chain(exact) {
            let entry = e.clone();
            let module = r.module.clone();
            let inst = inst.clone();
            let make = move |ty: &FuncType| -> Result<HostFunc, String> {
                match &entry.sig {
                    Some(Err(why)) => Err(why.clone()),
                    Some(Ok(sig)) if &sig.wasm_type() != ty => Err(format!(
                        "native \"{}.{}\" has signature type {} but the import wants {}",
                        module,
                        entry.name,
                        sig.wasm_type(),
                        ty
                    )),
                    _ => Ok(native_call::host_func(
                        inst_id,
                        inst.clone(),
                        entry.clone(),
                        ty.clone(),
                    )),
                }
            };
            l.define(&r.module, &bind_as, Definition::FuncFactory(Arc::new(make)));
        }
    }
    l
}

/// Register natives whose arguments are converted per their signature strings.
///
/// # Safety
/// `module_name` is a C string; `native_symbols` points to `n_native_symbols` valid entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_register_natives(
    module_name: *const c_char,
    native_symbols: *mut NativeSymbol,
    n_native_symbols: u32,
) -> bool {
    guard("wasm_runtime_register_natives", false, || {
        // SAFETY: forwarded contract.
        unsafe {
            register(
                "wasm_runtime_register_natives",
                module_name,
                native_symbols,
                n_native_symbols,
                RegisterKind::Plain,
            )
        }
    })
}

/// Register raw natives: `void f(wasm_exec_env_t, uint64_t *args)`, result in `args[0]`.
///
/// # Safety
/// As [`wasm_runtime_register_natives`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_register_natives_raw(
    module_name: *const c_char,
    native_symbols: *mut NativeSymbol,
    n_native_symbols: u32,
) -> bool {
    guard("wasm_runtime_register_natives_raw", false, || {
        // SAFETY: forwarded contract.
        unsafe {
            register(
                "wasm_runtime_register_natives_raw",
                module_name,
                native_symbols,
                n_native_symbols,
                RegisterKind::Raw,
            )
        }
    })
}

/// Remove the registration of `native_symbols` under `module_name` (instances already linked
/// keep their functions).
///
/// # Safety
/// `module_name` is NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_unregister_natives(
    module_name: *const c_char,
    native_symbols: *mut NativeSymbol,
) -> bool {
    guard("wasm_runtime_unregister_natives", false, || {
        const API: &str = "wasm_runtime_unregister_natives";
        // SAFETY: per the contract.
        let Some(module) = (unsafe { ffi::str_from(module_name) }) else {
            api_error(API, "module_name is NULL or not UTF-8");
            return false;
        };
        let mut regs = REGISTRY.lock();
        match regs
            .iter()
            .rposition(|r| r.module == module && r.array == native_symbols as usize)
        {
            Some(i) => {
                regs.remove(i);
                true
            }
            None => {
                api_error(
                    API,
                    &format!("no natives of \"{module}\" registered from that array"),
                );
                false
            }
        }
    })
}

/// The attachment of the native currently running with `exec_env` (NULL outside natives).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_function_attachment(exec_env: wasm_exec_env_t) -> *mut c_void {
    guard(
        "wasm_runtime_get_function_attachment",
        std::ptr::null_mut(),
        || {
            const API: &str = "wasm_runtime_get_function_attachment";
            if handles::exec_env(API, exec_env).is_none() {
                return std::ptr::null_mut();
            }
            active::attachment_for(SealedHandle::from_ptr(exec_env)).unwrap_or(std::ptr::null_mut())
        },
    )
}
