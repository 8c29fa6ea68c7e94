//! Instances: `wasm_instance_new`, `_new_with_args`, `_new_with_args_ex`, `_exports`, and
//! the execution-time queries.
//!
//! Imports are matched to the module's imports by position; each must be an extern of the
//! same store. A NULL entry (or a `wasm_extern_new_empty` placeholder) leaves a function
//! import unlinked as in WAMR (calling it traps); other missing imports fail. Several
//! instances of one store may link to each other through their exports. Deleting an
//! instance object does not stop the functions it exported from working: the runtime
//! instance lives as long as its store.
//!
//! # Invariants
//! The imports vector and `InstantiationArgs` are read, and the `trap` out-parameter
//! written, only as the C API contract allows; handles inside the vector are validated.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::frame::FrameInfo;
use super::handles::misuse;
use super::module::{loaded_of, module_of};
use super::refs::{Flavour, RefKind, new_ref, ref_arg};
use super::store::{StoreCore, store_arg, with_exec};
use super::trap::{TrapData, new_trap, trap_frames};
use super::vec::{HandleVec, elems, new_empty, write_vec};
use crate::cap::SealedHandle;
use crate::capi::ffi;
use crate::error::InstantiateError;
use crate::module::Module;
use crate::runtime::{Extern, Instance, InstanceAddr, Store};
use crate::types::{ExternKind, FuncIdx};

/// `InstantiationArgs`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct InstantiationArgs {
    /// Operand stack size in bytes (0: default).
    pub default_stack_size: u32,
    /// Host-managed app heap size in bytes, placed in memory 0 as `wasm_runtime_instantiate`
    /// places it (0: no heap).
    pub host_managed_heap_size: u32,
    /// Upper bound on memory pages (0: default).
    pub max_memory_pages: u32,
}

/// The import externs of a `wasm_extern_vec_t`.
fn import_externs(
    api: &str,
    core: &StoreCore,
    imports: *const HandleVec,
    want: usize,
) -> Result<Vec<Option<Extern>>, String> {
    // SAFETY: `imports` is NULL or a valid vector per the C API contract.
    let hs = unsafe { elems(imports) }.ok_or("invalid imports vector")?;
    // Imports past the end of a short vector are missing, as NULL entries (WAMR links by
    // position what it is given): a function stays unlinked, anything else fails to link,
    // unless (multi-module) a sub-module provides it.
    (0..want)
        .map(|i| {
            let h = hs.get(i).copied().unwrap_or(0);
            if h == 0 {
                return Ok(None);
            }
            let a = ref_arg(api, h as *const c_void, Flavour::Extern, Some(core.owner()))
                .ok_or_else(|| format!("import {i} is not a valid extern of this store"))?;
            Ok(match &a.get().kind {
                RefKind::Func { addr, .. } => Some(Extern::Func(*addr)),
                RefKind::Global { addr, .. } => Some(Extern::Global(*addr)),
                RefKind::Table { addr } => Some(Extern::Table(*addr)),
                RefKind::Memory { addr, .. } => Some(Extern::Memory(*addr)),
                _ => None,
            })
        })
        .collect()
}

/// WAMR's trap message for a failed `wasm_instance_new*`: the sub error is cut to 127
/// bytes, the whole message to 255 (its buffers), e.g.
/// `wasm_instance_new_with_args_ex failed: WASM module instantiate failed: Exception: unreachable`.
fn failure_message(sub: &str) -> Vec<u8> {
    let mut msg = b"wasm_instance_new_with_args_ex failed: ".to_vec();
    msg.extend_from_slice(&sub.as_bytes()[..sub.len().min(127)]);
    msg.truncate(255);
    msg
}

/// The frame of a trapping start function (segment failures are not traps).
fn start_frame(store: &Store, m: &Module, first_new: usize) -> Vec<FrameInfo> {
    let Some(start) = m.start() else {
        return Vec::new();
    };
    let addr = InstanceAddr(first_new as u32);
    store
        .instance(addr)
        .and_then(|inst| inst.func(start))
        .map(|f| trap_frames(store, f))
        .unwrap_or_default()
}

/// WAMR's `wasm_instance_new` stack size (`KILOBYTE(32)`).
const DEFAULT_STACK_SIZE: u32 = 32 * 1024;
/// WAMR's `wasm_instance_new` app-heap size (`KILOBYTE(32)`): memory 0 of a module without
/// its own allocator grows by a page for it, as `wasm_runtime_instantiate` does.
const DEFAULT_HEAP_SIZE: u32 = 32 * 1024;

#[allow(clippy::too_many_arguments)]
fn instantiate(
    api: &str,
    store: *mut c_void,
    module: *const c_void,
    imports: *const HandleVec,
    trap_out: *mut *mut c_void,
    stack_size: u32,
    heap_size: u32,
    max_pages: u32,
) -> *mut c_void {
    if !trap_out.is_null() {
        // SAFETY: non-null `trap_out` is writable per the C API contract.
        unsafe { trap_out.write(std::ptr::null_mut()) };
    }
    let Some(core) = store_arg(api, store) else {
        return std::ptr::null_mut();
    };
    let Some(m) = module_of(api, module, core.owner()) else {
        return std::ptr::null_mut();
    };
    let fail = |data: TrapData, log: String| {
        misuse(api, &log);
        if !trap_out.is_null() {
            let t = new_trap(api, &core, data);
            // SAFETY: as above.
            unsafe { trap_out.write(t) };
        }
        std::ptr::null_mut()
    };
    let loaded = loaded_of(api, module, core.owner()).filter(|l| !l.deps().is_empty());
    let externs = match import_externs(api, &core, imports, m.imports().len()) {
        Ok(x) => x,
        Err(e) => {
            let msg = failure_message("Failed to validate imports");
            return fail(TrapData::new(&msg, Vec::new()), e);
        }
    };
    let result = with_exec(&core, |e| {
        let s = e.store();
        if stack_size > 0 {
            s.config.stack_size = s.config.stack_size.max(stack_size as usize);
        }
        let saved_pages = s.config.max_memory_pages;
        if max_pages > 0 {
            s.config.max_memory_pages = saved_pages.min(u64::from(max_pages));
        }
        let first_new = s.instances.len();
        let mut externs = externs.clone();
        if let Some(l) = &loaded {
            let deps =
                crate::runtime::multi_module::instantiate_deps(s, &crate::Linker::new(), l, 0);
            match deps {
                Ok(d) => externs
                    .iter_mut()
                    .zip(d)
                    .filter(|(x, _)| x.is_none())
                    .for_each(|(x, d)| *x = d),
                Err(e) => {
                    s.config.max_memory_pages = saved_pages;
                    return Err((e, Vec::new()));
                }
            }
        }
        let r = s.instantiate_with_heap(&m, &externs, heap_size);
        s.config.max_memory_pages = saved_pages;
        match r {
            Ok(a) => Ok((a, s.instance(a).cloned())),
            Err(InstantiateError::Trap(t)) => {
                let frames = start_frame(s, &m, first_new);
                Err((InstantiateError::Trap(t), frames))
            }
            Err(other) => Err((other, Vec::new())),
        }
    });
    match result {
        Ok((addr, Some(inst))) => {
            let h = new_ref(
                api,
                &core,
                RefKind::Instance { addr, inst },
                None,
                Flavour::Instance,
            );
            if !h.is_null() {
                core.set_instance_handle(addr.0, SealedHandle::from_ptr(h));
            }
            h
        }
        Ok((_, None)) => fail(
            TrapData::new(b"instance vanished", Vec::new()),
            "instance vanished".into(),
        ),
        Err((e, frames)) => {
            let msg = failure_message(&e.to_string());
            fail(TrapData::new(&msg, frames), e.to_string())
        }
    }
}

/// `wasm_instance_new`: on failure returns NULL and, if `trap` is non-NULL, a trap with
/// WAMR's message (`wasm_instance_new_with_args_ex failed: WASM module instantiate failed:
/// ...`, with `Exception: ...` for a trapping start function).
///
/// # Safety
/// `imports` is NULL or a valid vector; `trap` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_instance_new(
    store: *mut c_void,
    module: *const c_void,
    imports: *const HandleVec,
    trap: *mut *mut c_void,
) -> *mut c_void {
    ffi::guard("wasm_instance_new", std::ptr::null_mut(), || {
        instantiate(
            "wasm_instance_new",
            store,
            module,
            imports,
            trap,
            DEFAULT_STACK_SIZE,
            DEFAULT_HEAP_SIZE,
            0,
        )
    })
}

/// `wasm_instance_new_with_args`: with an operand stack size (the store's stack grows to at
/// least this size) and an app-heap size (memory 0 grows for it as in WAMR).
///
/// # Safety
/// As `wasm_instance_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_instance_new_with_args(
    store: *mut c_void,
    module: *const c_void,
    imports: *const HandleVec,
    trap: *mut *mut c_void,
    stack_size: u32,
    heap_size: u32,
) -> *mut c_void {
    ffi::guard("wasm_instance_new_with_args", std::ptr::null_mut(), || {
        instantiate(
            "wasm_instance_new_with_args",
            store,
            module,
            imports,
            trap,
            stack_size,
            heap_size,
            0,
        )
    })
}

/// `wasm_instance_new_with_args_ex`: with `InstantiationArgs` (stack size, app-heap size,
/// page limit).
///
/// # Safety
/// As `wasm_instance_new`; `args` is NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_instance_new_with_args_ex(
    store: *mut c_void,
    module: *const c_void,
    imports: *const HandleVec,
    trap: *mut *mut c_void,
    args: *const InstantiationArgs,
) -> *mut c_void {
    ffi::guard(
        "wasm_instance_new_with_args_ex",
        std::ptr::null_mut(),
        || {
            let a = if args.is_null() {
                InstantiationArgs {
                    default_stack_size: 0,
                    host_managed_heap_size: 0,
                    max_memory_pages: 0,
                }
            } else {
                // SAFETY: non-null and readable per the caller's contract.
                unsafe { *args }
            };
            instantiate(
                "wasm_instance_new_with_args_ex",
                store,
                module,
                imports,
                trap,
                a.default_stack_size,
                a.host_managed_heap_size,
                a.max_memory_pages,
            )
        },
    )
}

/// The C object kind of export `index` of `kind` of `inst`.
pub fn export_kind(inst: &Arc<Instance>, kind: ExternKind, index: u32) -> Option<RefKind> {
    let i = index as usize;
    Some(match inst.extern_of(kind, index)? {
        Extern::Func(addr) => RefKind::Func {
            addr,
            ty: inst.module().inner.func_sig(FuncIdx(index)).clone(),
        },
        Extern::Global(addr) => RefKind::Global {
            addr,
            cell: inst.globals.get(i)?.clone(),
        },
        Extern::Table(addr) => RefKind::Table { addr },
        Extern::Memory(addr) => RefKind::Memory {
            addr,
            mem: inst.memories.get(i)?.clone(),
        },
    })
}

/// `wasm_instance_exports`: new extern objects, in the module's export order.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_instance_exports(p: *const c_void, out: *mut HandleVec) {
    ffi::guard("wasm_instance_exports", (), || {
        let api = "wasm_instance_exports";
        let hs = ref_arg(api, p, Flavour::Instance, None).map(|a| {
            let r = a.get();
            let RefKind::Instance { inst, .. } = &r.kind else {
                return Vec::new();
            };
            inst.module()
                .exports()
                .iter()
                .filter_map(|e| export_kind(inst, e.kind, e.index))
                .map(|k| new_ref(api, &r.store, k, None, Flavour::Extern) as usize)
                .collect::<Vec<_>>()
        });
        // SAFETY: forwarded caller contract.
        unsafe {
            match hs {
                Some(hs) => write_vec(out, &hs),
                None => new_empty(out),
            }
        }
    })
}

/// `wasm_instance_sum_wasm_exec_time`: milliseconds spent in calls made with
/// `wasm_func_call` to this instance's functions.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_instance_sum_wasm_exec_time(p: *const c_void) -> f64 {
    ffi::guard("wasm_instance_sum_wasm_exec_time", 0.0, || {
        ref_arg(
            "wasm_instance_sum_wasm_exec_time",
            p,
            Flavour::Instance,
            None,
        )
        .map_or(0.0, |a| {
            let r = a.get();
            match &r.kind {
                RefKind::Instance { addr, .. } => r.store.exec_time(addr.0, None),
                _ => 0.0,
            }
        })
    })
}

/// `wasm_instance_get_wasm_func_exec_time`: milliseconds spent in `wasm_func_call` calls of
/// the exported function `name`; -1 if there is no such function.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_instance_get_wasm_func_exec_time(
    p: *const c_void,
    name: *const c_char,
) -> f64 {
    ffi::guard("wasm_instance_get_wasm_func_exec_time", -1.0, || {
        let api = "wasm_instance_get_wasm_func_exec_time";
        // SAFETY: forwarded caller contract.
        let Some(name) = (unsafe { ffi::str_from(name) }) else {
            misuse(api, "invalid name");
            return -1.0;
        };
        ref_arg(api, p, Flavour::Instance, None).map_or(-1.0, |a| {
            let r = a.get();
            let RefKind::Instance { addr, inst } = &r.kind else {
                return -1.0;
            };
            let m = inst.module();
            match m.export(name) {
                Some(e) if e.kind == ExternKind::Func => m
                    .defined_func(FuncIdx(e.index))
                    .map_or(0.0, |d| r.store.exec_time(addr.0, Some(d.0))),
                _ => -1.0,
            }
        })
    })
}

/// `wasm_extern_new_empty`: a placeholder for a function import the host does not provide
/// (left unlinked; calling it traps). Other kinds cannot be left empty (NULL, as WAMR).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_extern_new_empty(store: *mut c_void, kind: u8) -> *mut c_void {
    ffi::guard("wasm_extern_new_empty", std::ptr::null_mut(), || {
        let api = "wasm_extern_new_empty";
        let Some(core) = store_arg(api, store) else {
            return std::ptr::null_mut();
        };
        if kind != 0 {
            misuse(
                api,
                "only function imports can be left empty (tables, memories and globals must be provided)",
            );
            return std::ptr::null_mut();
        }
        new_ref(api, &core, RefKind::EmptyFunc, None, Flavour::Extern)
    })
}
