//! Module introspection: imports/exports and their type handles, linked-import queries, and
//! exported globals/tables of instances.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::call::{func_handle, valkind};
use super::ctypes::*;
use super::handles::{self, reg};
use super::memory::table_handle;
use super::natives;
use super::objects::{ModuleObj, TypeObj};
use crate::cap::{OType, OwnerId, SealedHandle};
use crate::capi::ffi::{self, guard};
use crate::module::ImportDesc;
use crate::runtime::Extern;
use crate::runtime::value::funcref_addr;
use crate::types::{ExternKind, RefType};

fn kind_code(k: ExternKind) -> wasm_import_export_kind_t {
    match k {
        ExternKind::Func => WASM_IMPORT_EXPORT_KIND_FUNC,
        ExternKind::Table => WASM_IMPORT_EXPORT_KIND_TABLE,
        ExternKind::Memory => WASM_IMPORT_EXPORT_KIND_MEMORY,
        ExternKind::Global => WASM_IMPORT_EXPORT_KIND_GLOBAL,
    }
}

/// The cached type handle of entity `index` of kind `kind` (functions: by type index).
fn type_handle(m: &ModuleObj, kind: ExternKind, index: u32) -> *mut c_void {
    let key = (kind_code(kind) as u8, index);
    let mut cache = m.type_handles.lock();
    if let Some(h) = cache.get(&key) {
        return h.to_ptr();
    }
    let md = &m.module;
    let obj = match kind {
        ExternKind::Func => md.types().get(index as usize).cloned().map(TypeObj::Func),
        ExternKind::Table => md.tables().get(index as usize).copied().map(TypeObj::Table),
        ExternKind::Global => md
            .globals()
            .get(index as usize)
            .copied()
            .map(TypeObj::Global),
        ExternKind::Memory => md
            .memories()
            .get(index as usize)
            .copied()
            .map(TypeObj::Memory),
    };
    let Some(obj) = obj else {
        return std::ptr::null_mut();
    };
    match reg()
        .types
        .insert(OType::CAPI_OBJ, OwnerId::new(m.id), Arc::new(obj))
    {
        Ok(h) => {
            cache.insert(key, h);
            h.to_ptr()
        }
        Err(_) => std::ptr::null_mut(),
    }
}

/// Number of imports (-1 for an invalid module).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_import_count(module: wasm_module_t) -> i32 {
    guard("wasm_runtime_get_import_count", -1, || {
        handles::module("wasm_runtime_get_import_count", module)
            .map_or(-1, |m| m.module.imports().len() as i32)
    })
}

/// Describe import `import_index` (zeroed if the index is out of range).
///
/// # Safety
/// `import_type` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_import_type(
    module: wasm_module_t,
    import_index: i32,
    import_type: *mut wasm_import_t,
) {
    guard("wasm_runtime_get_import_type", (), || {
        const API: &str = "wasm_runtime_get_import_type";
        if import_type.is_null() {
            return;
        }
        // SAFETY: non-null and writable per the contract; all-zero is a valid wasm_import_t.
        unsafe { import_type.write(std::mem::zeroed()) };
        let Some(m) = handles::module(API, module) else {
            return;
        };
        let Some(imp) = usize::try_from(import_index)
            .ok()
            .and_then(|i| m.module.imports().get(i))
        else {
            handles::api_error(API, &format!("import index {import_index} out of range"));
            return;
        };
        let i = import_index as usize;
        let (kind, u, linked) = {
            let md = &m.module;
            let nth = |k: ExternKind| {
                md.imports()[..i]
                    .iter()
                    .filter(|x| x.desc.kind() == k)
                    .count() as u32
            };
            match &imp.desc {
                ImportDesc::Func(t) => {
                    let ty = &md.types()[t.index()];
                    let linked = natives::links(&imp.module, &imp.name, ty);
                    (
                        ExternKind::Func,
                        type_handle(&m, ExternKind::Func, t.0),
                        linked,
                    )
                }
                ImportDesc::Table(_) => (
                    ExternKind::Table,
                    type_handle(&m, ExternKind::Table, nth(ExternKind::Table)),
                    false,
                ),
                ImportDesc::Memory(_) => (
                    ExternKind::Memory,
                    type_handle(&m, ExternKind::Memory, nth(ExternKind::Memory)),
                    false,
                ),
                ImportDesc::Global(_) => (
                    ExternKind::Global,
                    type_handle(&m, ExternKind::Global, nth(ExternKind::Global)),
                    false,
                ),
            }
        };
        let (mn, nm) = &m.import_names[i];
        let v = wasm_import_t {
            module_name: mn.as_ptr(),
            name: nm.as_ptr(),
            kind: kind_code(kind),
            linked,
            u: wasm_extern_type_union { func_type: u },
        };
        // SAFETY: as above.
        unsafe { import_type.write(v) };
    })
}

/// Number of exports (-1 for an invalid module).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_export_count(module: wasm_module_t) -> i32 {
    guard("wasm_runtime_get_export_count", -1, || {
        handles::module("wasm_runtime_get_export_count", module)
            .map_or(-1, |m| m.module.exports().len() as i32)
    })
}

/// Describe export `export_index` (zeroed if the index is out of range).
///
/// # Safety
/// `export_type` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_export_type(
    module: wasm_module_t,
    export_index: i32,
    export_type: *mut wasm_export_t,
) {
    guard("wasm_runtime_get_export_type", (), || {
        const API: &str = "wasm_runtime_get_export_type";
        if export_type.is_null() {
            return;
        }
        // SAFETY: non-null and writable per the contract; all-zero is a valid wasm_export_t.
        unsafe { export_type.write(std::mem::zeroed()) };
        let Some(m) = handles::module(API, module) else {
            return;
        };
        let Some(e) = usize::try_from(export_index)
            .ok()
            .and_then(|i| m.module.exports().get(i))
        else {
            handles::api_error(API, &format!("export index {export_index} out of range"));
            return;
        };
        let index = match e.kind {
            ExternKind::Func => m
                .module
                .inner
                .funcs
                .get(e.index as usize)
                .map_or(u32::MAX, |t| t.0),
            _ => e.index,
        };
        let v = wasm_export_t {
            name: m.export_names[export_index as usize].as_ptr(),
            kind: kind_code(e.kind),
            u: wasm_extern_type_union {
                func_type: type_handle(&m, e.kind, index),
            },
        };
        // SAFETY: as above.
        unsafe { export_type.write(v) };
    })
}

fn with_type<R>(api: &str, p: *mut c_void, fail: R, f: impl FnOnce(&TypeObj) -> Option<R>) -> R {
    match handles::type_handle(api, p) {
        Some(t) => match f(&t) {
            Some(r) => r,
            None => {
                handles::api_error(api, "the handle is a type of another kind");
                fail
            }
        },
        None => fail,
    }
}

/// Number of parameters of a function type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_param_count(func_type: wasm_func_type_t) -> u32 {
    guard("wasm_func_type_get_param_count", 0, || {
        with_type(
            "wasm_func_type_get_param_count",
            func_type,
            0,
            |t| match t {
                TypeObj::Func(f) => Some(f.params().len() as u32),
                _ => None,
            },
        )
    })
}

/// Kind of parameter `param_index` (`WASM_I32` if out of range, after logging).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_param_valkind(
    func_type: wasm_func_type_t,
    param_index: u32,
) -> wasm_valkind_t {
    guard("wasm_func_type_get_param_valkind", WASM_I32, || {
        with_type(
            "wasm_func_type_get_param_valkind",
            func_type,
            WASM_I32,
            |t| match t {
                TypeObj::Func(f) => f.params().get(param_index as usize).map(|v| valkind(*v)),
                _ => None,
            },
        )
    })
}

/// Number of results of a function type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_result_count(func_type: wasm_func_type_t) -> u32 {
    guard("wasm_func_type_get_result_count", 0, || {
        with_type(
            "wasm_func_type_get_result_count",
            func_type,
            0,
            |t| match t {
                TypeObj::Func(f) => Some(f.results().len() as u32),
                _ => None,
            },
        )
    })
}

/// Kind of result `result_index`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type_get_result_valkind(
    func_type: wasm_func_type_t,
    result_index: u32,
) -> wasm_valkind_t {
    guard("wasm_func_type_get_result_valkind", WASM_I32, || {
        with_type(
            "wasm_func_type_get_result_valkind",
            func_type,
            WASM_I32,
            |t| match t {
                TypeObj::Func(f) => f.results().get(result_index as usize).map(|v| valkind(*v)),
                _ => None,
            },
        )
    })
}

/// Value kind of a global type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_global_type_get_valkind(global_type: wasm_global_type_t) -> wasm_valkind_t {
    guard("wasm_global_type_get_valkind", WASM_I32, || {
        with_type(
            "wasm_global_type_get_valkind",
            global_type,
            WASM_I32,
            |t| match t {
                TypeObj::Global(g) => Some(valkind(g.content)),
                _ => None,
            },
        )
    })
}

/// Mutability of a global type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_global_type_get_mutable(global_type: wasm_global_type_t) -> bool {
    guard("wasm_global_type_get_mutable", false, || {
        with_type(
            "wasm_global_type_get_mutable",
            global_type,
            false,
            |t| match t {
                TypeObj::Global(g) => Some(g.mutable),
                _ => None,
            },
        )
    })
}

/// True for a shared memory type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_type_get_shared(memory_type: wasm_memory_type_t) -> bool {
    guard("wasm_memory_type_get_shared", false, || {
        with_type(
            "wasm_memory_type_get_shared",
            memory_type,
            false,
            |t| match t {
                TypeObj::Memory(m) => Some(m.shared),
                _ => None,
            },
        )
    })
}

/// Initial pages of a memory type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_type_get_init_page_count(memory_type: wasm_memory_type_t) -> u32 {
    guard("wasm_memory_type_get_init_page_count", 0, || {
        with_type(
            "wasm_memory_type_get_init_page_count",
            memory_type,
            0,
            |t| match t {
                TypeObj::Memory(m) => Some(m.limits.min as u32),
                _ => None,
            },
        )
    })
}

/// Maximum pages of a memory type (65536 when undeclared).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_type_get_max_page_count(memory_type: wasm_memory_type_t) -> u32 {
    guard("wasm_memory_type_get_max_page_count", 0, || {
        with_type(
            "wasm_memory_type_get_max_page_count",
            memory_type,
            0,
            |t| match t {
                TypeObj::Memory(m) => Some(m.limits.max.unwrap_or(65536).min(65536) as u32),
                _ => None,
            },
        )
    })
}

/// Element kind of a table type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_elem_kind(table_type: wasm_table_type_t) -> wasm_valkind_t {
    guard("wasm_table_type_get_elem_kind", WASM_FUNCREF, || {
        with_type(
            "wasm_table_type_get_elem_kind",
            table_type,
            WASM_FUNCREF,
            |t| match t {
                TypeObj::Table(tt) => Some(match tt.elem {
                    RefType::Func => WASM_FUNCREF,
                    RefType::Extern => WASM_EXTERNREF,
                }),
                _ => None,
            },
        )
    })
}

/// Tables are never shared.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_shared(table_type: wasm_table_type_t) -> bool {
    guard("wasm_table_type_get_shared", false, || {
        with_type(
            "wasm_table_type_get_shared",
            table_type,
            false,
            |t| match t {
                TypeObj::Table(_) => Some(false),
                _ => None,
            },
        )
    })
}

/// Initial size of a table type.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_init_size(table_type: wasm_table_type_t) -> u32 {
    guard("wasm_table_type_get_init_size", 0, || {
        with_type(
            "wasm_table_type_get_init_size",
            table_type,
            0,
            |t| match t {
                TypeObj::Table(tt) => Some(tt.limits.min as u32),
                _ => None,
            },
        )
    })
}

/// Maximum size of a table type (`UINT32_MAX` when undeclared).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_table_type_get_max_size(table_type: wasm_table_type_t) -> u32 {
    guard("wasm_table_type_get_max_size", 0, || {
        with_type("wasm_table_type_get_max_size", table_type, 0, |t| match t {
            TypeObj::Table(tt) => Some(
                tt.limits
                    .max
                    .map_or(u32::MAX, |m| m.min(u64::from(u32::MAX)) as u32),
            ),
            _ => None,
        })
    })
}

/// True if a native `(module_name, func_name)` is registered.
///
/// # Safety
/// Both are NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_is_import_func_linked(
    module_name: *const c_char,
    func_name: *const c_char,
) -> bool {
    guard("wasm_runtime_is_import_func_linked", false, || {
        // SAFETY: per the contract, `module_name` is NULL or a C string.
        let Some(m) = (unsafe { ffi::str_from(module_name) }) else {
            return false;
        };
        // SAFETY: per the contract, `func_name` is NULL or a C string.
        let Some(n) = (unsafe { ffi::str_from(func_name) }) else {
            return false;
        };
        natives::find(m, n).is_some() || crate::libc_builtin::func_type(m, n).is_some()
    })
}

/// True for the built-in globals (`global.NaN`, `global.Infinity`); natives cannot provide
/// other globals.
///
/// # Safety
/// Both are NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_is_import_global_linked(
    module_name: *const c_char,
    global_name: *const c_char,
) -> bool {
    guard("wasm_runtime_is_import_global_linked", false, || {
        // SAFETY: per the contract, both are NULL or C strings.
        let (Some(m), Some(n)) = (unsafe { ffi::str_from(module_name) }, unsafe {
            ffi::str_from(global_name)
        }) else {
            return false;
        };
        crate::libc_builtin::builtin_global(m, n).is_some()
    })
}

/// Describe an exported global; `global_data` points at its live value.
///
/// # Safety
/// `name` is a C string; `global_inst` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_export_global_inst(
    module_inst: wasm_module_inst_t,
    name: *const c_char,
    global_inst: *mut wasm_global_inst_t,
) -> bool {
    guard("wasm_runtime_get_export_global_inst", false, || {
        const API: &str = "wasm_runtime_get_export_global_inst";
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        // SAFETY: per the contract.
        let Some(name) = (unsafe { ffi::str_from(name) }) else {
            return false;
        };
        if global_inst.is_null() {
            return false;
        }
        let Some(rt) = inst.instance() else {
            return false;
        };
        let Some(e) = rt
            .module()
            .export(name)
            .filter(|e| e.kind == ExternKind::Global)
        else {
            return false;
        };
        let Some(g) = rt.globals.get(e.index as usize) else {
            return false;
        };
        let v = wasm_global_inst_t {
            kind: valkind(g.ty().content),
            is_mutable: g.ty().mutable,
            global_data: g.value_ptr().cast(),
        };
        // SAFETY: non-null and writable per the contract.
        unsafe { global_inst.write(v) };
        true
    })
}

/// Describe an exported table; `elems` carries a sealed table reference for
/// [`wasm_table_get_func_inst`].
///
/// # Safety
/// `name` is a C string; `table_inst` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_export_table_inst(
    module_inst: wasm_module_inst_t,
    name: *const c_char,
    table_inst: *mut wasm_table_inst_t,
) -> bool {
    guard("wasm_runtime_get_export_table_inst", false, || {
        const API: &str = "wasm_runtime_get_export_table_inst";
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        // SAFETY: per the contract.
        let Some(name) = (unsafe { ffi::str_from(name) }) else {
            return false;
        };
        if table_inst.is_null() {
            return false;
        }
        let Some(rt) = inst.instance() else {
            return false;
        };
        let Some(Extern::Table(addr)) = rt.export(name) else {
            return false;
        };
        let Some((ty, size, max)) = inst
            .with_store(|s| s.table(addr).map(|t| (t.ty(), t.size(), t.max())))
            .flatten()
        else {
            return false;
        };
        let Some(h) = table_handle(&inst, addr) else {
            return false;
        };
        let v = wasm_table_inst_t {
            elem_kind: match ty.elem {
                RefType::Func => WASM_FUNCREF,
                RefType::Extern => WASM_EXTERNREF,
            },
            cur_size: size,
            max_size: max.min(u64::from(u32::MAX)) as u32,
            elems: h.to_ptr(),
        };
        // SAFETY: non-null and writable per the contract.
        unsafe { table_inst.write(v) };
        true
    })
}

/// The function at `idx` of a funcref table (NULL if out of range or null).
///
/// # Safety
/// `table_inst` is NULL or points to a `wasm_table_inst_t` filled by
/// [`wasm_runtime_get_export_table_inst`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_table_get_func_inst(
    module_inst: wasm_module_inst_t,
    table_inst: *const wasm_table_inst_t,
    idx: u32,
) -> wasm_function_inst_t {
    guard("wasm_table_get_func_inst", std::ptr::null_mut(), || {
        const API: &str = "wasm_table_get_func_inst";
        let Some(inst) = handles::instance(API, module_inst) else {
            return std::ptr::null_mut();
        };
        if table_inst.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: non-null and readable per the contract.
        let ti = unsafe { *table_inst };
        let Some(t) = handles::table(API, ti.elems, inst.id) else {
            return std::ptr::null_mut();
        };
        let bits = inst
            .with_store(|s| s.table(t.addr).and_then(|tb| tb.get(idx).ok()))
            .flatten();
        match bits.and_then(funcref_addr) {
            Some(a) => func_handle(&inst, a).map_or(std::ptr::null_mut(), SealedHandle::to_ptr),
            None => std::ptr::null_mut(),
        }
    })
}
