//! Function lookup and calls: `wasm_runtime_lookup_function`, parameter/result queries,
//! `wasm_runtime_call_wasm` (32-bit argv cells), `_call_wasm_a` (`wasm_val_t`), and
//! `_call_wasm_v` (variadic, so written in C: `call_v.c` collects the arguments and calls `_a`), `_call_indirect`, and
//! `wasm_application_execute_func`.
//!
//! Value conventions at this boundary (WAMR's): i32/f32 take one argv cell, i64/f64 two (low
//! word first), references are pointer-sized (two cells on 64-bit hosts). An externref is the
//! host object pointer; a funcref is a `wasm_function_inst_t` handle (NULL = null reference).

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::ctypes::*;
use super::exec_env;
use super::handles::{self, api_error, reg};
use super::objects::{ExecEnvObj, FuncObj, InstObj};
use super::{active, exception, externref};
use crate::cap::{OType, OwnerId, SealedHandle};
use crate::capi::ffi::{self, guard};
use crate::error::{Trap, TrapCode};
use crate::iwasm_cli::{format_results_in, parse_args};
use crate::runtime::value::{funcref_addr, funcref_bits};
use crate::runtime::{Extern, FuncAddr, Val};
use crate::types::{FuncIdx, FuncType, ValType};

/// The (cached) handle of function `addr` of `inst`.
pub(crate) fn func_handle(inst: &InstObj, addr: FuncAddr) -> Option<SealedHandle> {
    if let Some(h) = inst.func_handles.lock().get(&addr.0) {
        return Some(*h);
    }
    // The type of one of the instance's own functions comes from its module; any other
    // (a funcref of another instance) from the store, which another thread may hold for a long
    // call: never wait for it while holding the handle cache (that thread's natives use the
    // cache too).
    let own = inst.instance().and_then(|rt| {
        let i = rt.funcs.iter().position(|&a| a == addr)?;
        rt.module
            .func_type(FuncIdx(i as u32))
            .cloned()
            .map(Arc::new)
    });
    let ty = match own {
        Some(t) => t,
        None => inst.with_store(|s| s.func(addr).map(|f| f.ty().clone()))??,
    };
    let mut cache = inst.func_handles.lock();
    if let Some(h) = cache.get(&addr.0) {
        return Some(*h);
    }
    let obj = Arc::new(FuncObj { addr, ty });
    let h = reg()
        .funcs
        .insert(OType::FUNC, OwnerId::new(inst.id), obj)
        .ok()?;
    cache.insert(addr.0, h);
    Some(h)
}

/// Call `func` of `inst` with raw 64-bit cells on `env`'s stack (or re-entrantly on the stack
/// of the native that is running on this thread). Records a trap as the exception.
pub(crate) fn invoke(
    env: &ExecEnvObj,
    inst: &Arc<InstObj>,
    func: FuncAddr,
    cells: &mut [u64],
) -> bool {
    if inst.has_exception() {
        return false;
    }
    // WAMR checks the native stack on every entry into wasm (wasm_interp_call_wasm).
    let limit = crate::os::native_stack::entry_limit(env.stack_boundary());
    if crate::os::native_stack::below(limit) {
        inst.set_exception(Some(TrapCode::NativeStackOverflow.message()));
        return false;
    }
    let _limit = crate::os::native_stack::activate(limit);
    let frame = active::Frame {
        inst_id: inst.id,
        env: env.handle(),
        caller: None,
        attachment: std::ptr::null_mut(),
    };
    let run = |cells: &mut [u64]| -> Result<(), Trap> {
        active::with_caller(inst.id, |c| match c {
            Some(c) => {
                let _f = active::push(frame);
                c.call_raw(func, cells)
            }
            None => {
                let mut store = inst.lock_store().map_err(|m| Trap::Host(m.into()))?;
                let mut stack = env.stack.lock();
                let _f = active::push(frame);
                store.call_with_stack(&mut stack, func, cells)
            }
        })
    };
    match run(cells) {
        Ok(()) => true,
        Err(t) => {
            exception::record_trap(inst, &t);
            false
        }
    }
}

/// A cell buffer on the stack for the common case (at most 16 parameters or results).
enum Cells {
    Small([u64; 16], usize),
    Big(Vec<u64>),
}

impl Cells {
    fn new(n: usize) -> Cells {
        if n <= 16 {
            Cells::Small([0; 16], n)
        } else {
            Cells::Big(vec![0; n])
        }
    }

    fn as_mut(&mut self) -> &mut [u64] {
        match self {
            Cells::Small(a, n) => &mut a[..*n],
            Cells::Big(v) => v,
        }
    }
}

fn cells_of(t: ValType) -> usize {
    t.cell_count()
}

/// Read one value of type `t` from 32-bit argv cells into a 64-bit runtime cell.
fn from_argv(inst: &InstObj, t: ValType, argv: &[u32]) -> u64 {
    let lo = u64::from(argv.first().copied().unwrap_or(0));
    let hi = u64::from(argv.get(1).copied().unwrap_or(0));
    match t {
        ValType::I32 | ValType::F32 => lo,
        ValType::I64 | ValType::F64 | ValType::V128 => lo | (hi << 32),
        ValType::ExternRef => externref::ref_of(inst.compartment(), (lo | (hi << 32)) as usize),
        ValType::FuncRef => funcref_of_handle(inst, (lo | (hi << 32)) as usize as *mut c_void),
    }
}

/// Write one runtime cell of type `t` as 32-bit argv cells.
fn to_argv(inst: &InstObj, t: ValType, bits: u64, out: &mut [u32]) {
    let v = match t {
        ValType::ExternRef => externref::host_of(inst.compartment(), bits) as u64,
        ValType::FuncRef => handle_of_funcref(inst, bits) as u64,
        _ => bits,
    };
    if let Some(c) = out.get_mut(0) {
        *c = v as u32;
    }
    if cells_of(t) >= 2 {
        if let Some(c) = out.get_mut(1) {
            *c = (v >> 32) as u32;
        }
    }
}

fn funcref_of_handle(inst: &InstObj, p: *mut c_void) -> u64 {
    if p.is_null() {
        return 0;
    }
    match handles::func("funcref argument", p, inst.id) {
        Some(f) => funcref_bits(f.addr),
        None => 0,
    }
}

fn handle_of_funcref(inst: &InstObj, bits: u64) -> *mut c_void {
    match funcref_addr(bits) {
        None => std::ptr::null_mut(),
        Some(a) => func_handle(inst, a).map_or(std::ptr::null_mut(), |h| h.to_ptr()),
    }
}

/// Validate exec env + function of its instance.
fn env_and_func<R>(
    api: &str,
    exec_env: wasm_exec_env_t,
    function: wasm_function_inst_t,
    f: impl FnOnce(&ExecEnvObj, &Arc<InstObj>, &FuncObj) -> R,
) -> Option<R> {
    super::call_cache::with_call(api, exec_env, function, |o| f(&o.env, &o.inst, &o.func))
}

/// How `argc` limits the argument cells [`call_argv`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ArgcRule {
    /// `wasm_runtime_call_wasm` in WAMR's reference-types build: `argc` is never refused.
    /// Without externref parameters every parameter cell is read (WAMR replaces `argc` with
    /// the parameter cell count); with them, a parameter whose first argv cell is at or past
    /// `argc` is zero (a null externref), so `argc` counts an externref as the one cell of
    /// WAMR's internal index while argv carries the pointer-sized object (two cells on 64-bit):
    /// WAMR's ref-types sample calls `(i32, externref)` with `argc = 2` and three cells.
    Wamr,
    /// `wasm_runtime_call_indirect`: fewer cells than the parameters take is refused.
    Strict,
}

/// Call with argv cells (see the module docs); results overwrite `argv` from cell 0.
#[allow(clippy::too_many_arguments)]
fn call_argv(
    api: &str,
    env: &ExecEnvObj,
    inst: &Arc<InstObj>,
    addr: FuncAddr,
    ty: &FuncType,
    argc: u32,
    argv: *mut u32,
    rule: ArgcRule,
) -> bool {
    let need: usize = ty.params().iter().map(|t| cells_of(*t)).sum();
    let out: usize = ty.results().iter().map(|t| cells_of(*t)).sum();
    if rule == ArgcRule::Strict && (argc as usize) < need {
        inst.set_exception(Some(&format!(
            "invalid argument count {argc}, must be no smaller than {need}"
        )));
        api_error(api, "argument count too small");
        return false;
    }
    let n = need.max(out);
    if argv.is_null() && n > 0 {
        api_error(api, "argv is NULL");
        return false;
    }
    // SAFETY: the caller provides argc cells, and (WAMR contract) room for the parameters
    // and the results.
    let Some(cells32) = (unsafe { ffi::slice_from_mut(argv, n.max(argc as usize)) }) else {
        api_error(api, "argv is NULL");
        return false;
    };
    let mut buf = Cells::new(ty.params().len().max(ty.results().len()));
    let cells = buf.as_mut();
    let limit = if rule == ArgcRule::Wamr && ty.params().contains(&ValType::ExternRef) {
        argc as usize
    } else {
        usize::MAX
    };
    let mut k = 0;
    for (c, t) in cells.iter_mut().zip(ty.params()) {
        let src = if k < limit { &cells32[k..] } else { &[][..] };
        *c = from_argv(inst, *t, src);
        k += cells_of(*t);
    }
    if !invoke(env, inst, addr, cells) {
        return false;
    }
    let mut k = 0;
    for (c, t) in cells.iter().zip(ty.results()) {
        to_argv(inst, *t, *c, &mut cells32[k..]);
        k += cells_of(*t);
    }
    true
}

/// Find an exported function by name (NULL if there is none).
///
/// # Safety
/// `name` is NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_lookup_function(
    module_inst: wasm_module_inst_t,
    name: *const c_char,
) -> wasm_function_inst_t {
    guard("wasm_runtime_lookup_function", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_lookup_function";
        let Some(inst) = handles::instance(API, module_inst) else {
            return std::ptr::null_mut();
        };
        // SAFETY: per the contract.
        let Some(name) = (unsafe { ffi::str_from(name) }) else {
            return std::ptr::null_mut();
        };
        let Some(rt) = inst.instance() else {
            return std::ptr::null_mut();
        };
        match rt.export(name) {
            Some(Extern::Func(a)) => {
                func_handle(&inst, a).map_or(std::ptr::null_mut(), |h| h.to_ptr())
            }
            _ => std::ptr::null_mut(),
        }
    })
}

fn func_of(
    api: &str,
    func_inst: wasm_function_inst_t,
    module_inst: wasm_module_inst_t,
) -> Option<Arc<FuncObj>> {
    let inst = handles::instance(api, module_inst)?;
    handles::func(api, func_inst, inst.id)
}

/// Number of parameters.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_get_param_count(
    func_inst: wasm_function_inst_t,
    module_inst: wasm_module_inst_t,
) -> u32 {
    guard("wasm_func_get_param_count", 0, || {
        func_of("wasm_func_get_param_count", func_inst, module_inst)
            .map_or(0, |f| f.ty.params().len() as u32)
    })
}

/// Number of results.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_get_result_count(
    func_inst: wasm_function_inst_t,
    module_inst: wasm_module_inst_t,
) -> u32 {
    guard("wasm_func_get_result_count", 0, || {
        func_of("wasm_func_get_result_count", func_inst, module_inst)
            .map_or(0, |f| f.ty.results().len() as u32)
    })
}

/// `wasm_valkind_t` of a value type.
pub(crate) fn valkind(t: ValType) -> wasm_valkind_t {
    match t {
        ValType::I32 => WASM_I32,
        ValType::I64 => WASM_I64,
        ValType::F32 => WASM_F32,
        ValType::F64 => WASM_F64,
        ValType::V128 => WASM_V128,
        ValType::ExternRef => WASM_EXTERNREF,
        ValType::FuncRef => WASM_FUNCREF,
    }
}

/// Write the parameter kinds (`param_types` has room for the parameter count).
///
/// # Safety
/// `param_types` has `wasm_func_get_param_count` writable entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_param_types(
    func_inst: wasm_function_inst_t,
    module_inst: wasm_module_inst_t,
    param_types: *mut wasm_valkind_t,
) {
    guard("wasm_func_get_param_types", (), || {
        let Some(f) = func_of("wasm_func_get_param_types", func_inst, module_inst) else {
            return;
        };
        // SAFETY: per the contract.
        if let Some(out) = unsafe { ffi::slice_from_mut(param_types, f.ty.params().len()) } {
            for (o, t) in out.iter_mut().zip(f.ty.params()) {
                *o = valkind(*t);
            }
        }
    })
}

/// Write the result kinds.
///
/// # Safety
/// `result_types` has `wasm_func_get_result_count` writable entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_result_types(
    func_inst: wasm_function_inst_t,
    module_inst: wasm_module_inst_t,
    result_types: *mut wasm_valkind_t,
) {
    guard("wasm_func_get_result_types", (), || {
        let Some(f) = func_of("wasm_func_get_result_types", func_inst, module_inst) else {
            return;
        };
        // SAFETY: per the contract.
        if let Some(out) = unsafe { ffi::slice_from_mut(result_types, f.ty.results().len()) } {
            for (o, t) in out.iter_mut().zip(f.ty.results()) {
                *o = valkind(*t);
            }
        }
    })
}

/// Call a function with 32-bit argv cells; results overwrite `argv`. False on a trap (see
/// `wasm_runtime_get_exception`). `argc` is never refused, as in WAMR (`ArgcRule::Wamr`).
///
/// # Safety
/// `argv` has `max(argc, parameter cells, result cells)` cells (WAMR's contract).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_call_wasm(
    exec_env: wasm_exec_env_t,
    function: wasm_function_inst_t,
    argc: u32,
    argv: *mut u32,
) -> bool {
    guard("wasm_runtime_call_wasm", false, || {
        const API: &str = "wasm_runtime_call_wasm";
        env_and_func(API, exec_env, function, |env, inst, f| {
            call_argv(API, env, inst, f.addr, &f.ty, argc, argv, ArgcRule::Wamr)
        })
        .unwrap_or(false)
    })
}

fn val_to_cell(inst: &InstObj, t: ValType, v: &wasm_val_t) -> Option<u64> {
    let want = valkind(t);
    if v.kind != want {
        return None;
    }
    // SAFETY: the member read is the one `kind` names (all members are plain data).
    Some(unsafe {
        match t {
            ValType::I32 => u64::from(v.of.i32 as u32),
            ValType::I64 => v.of.i64 as u64,
            ValType::F32 => u64::from(v.of.f32.to_bits()),
            ValType::F64 => v.of.f64.to_bits(),
            ValType::V128 => return None,
            ValType::ExternRef => externref::ref_of(inst.compartment(), v.of.foreign),
            ValType::FuncRef => funcref_of_handle(inst, v.of.ref_),
        }
    })
}

fn cell_to_val(inst: &InstObj, t: ValType, bits: u64) -> wasm_val_t {
    let of = match t {
        ValType::I32 => wasm_val_union {
            i32: bits as u32 as i32,
        },
        ValType::I64 | ValType::V128 => wasm_val_union { i64: bits as i64 },
        ValType::F32 => wasm_val_union {
            f32: f32::from_bits(bits as u32),
        },
        ValType::F64 => wasm_val_union {
            f64: f64::from_bits(bits),
        },
        ValType::ExternRef => wasm_val_union {
            foreign: externref::host_of(inst.compartment(), bits),
        },
        ValType::FuncRef => wasm_val_union {
            ref_: handle_of_funcref(inst, bits),
        },
    };
    wasm_val_t {
        kind: valkind(t),
        _paddings: [0; 7],
        of,
    }
}

/// Body of `_call_wasm_a` (also reached from `_call_wasm_v`).
///
/// # Safety
/// `results` has `num_results` writable entries, `args` `num_args` readable ones.
unsafe fn call_vals(
    api: &str,
    exec_env: wasm_exec_env_t,
    function: wasm_function_inst_t,
    num_results: u32,
    results: *mut wasm_val_t,
    num_args: u32,
    args: *const wasm_val_t,
) -> bool {
    env_and_func(api, exec_env, function, |env, inst, f| {
        // SAFETY: forwarded contract.
        unsafe { call_vals_with(api, env, inst, f, num_results, results, num_args, args) }
    })
    .unwrap_or(false)
}

/// [`call_vals`] once the handles are validated.
///
/// # Safety
/// As [`call_vals`].
#[allow(clippy::too_many_arguments)]
unsafe fn call_vals_with(
    api: &str,
    env: &ExecEnvObj,
    inst: &Arc<InstObj>,
    f: &FuncObj,
    num_results: u32,
    results: *mut wasm_val_t,
    num_args: u32,
    args: *const wasm_val_t,
) -> bool {
    if num_args as usize != f.ty.params().len() || num_results as usize != f.ty.results().len() {
        api_error(
            api,
            &format!(
                "the function takes {} arguments and returns {} results, got {num_args} and {num_results}",
                f.ty.params().len(),
                f.ty.results().len()
            ),
        );
        return false;
    }
    // SAFETY: per the contract.
    let Some(args) = (unsafe { ffi::slice_from(args, num_args as usize) }) else {
        api_error(api, "args is NULL");
        return false;
    };
    let mut buf = Cells::new(f.ty.params().len().max(f.ty.results().len()));
    let cells = buf.as_mut();
    for (i, (t, v)) in f.ty.params().iter().zip(args).enumerate() {
        match val_to_cell(inst, *t, v) {
            Some(c) => cells[i] = c,
            None => {
                api_error(api, &format!("argument {i} is not a {}", t.name()));
                return false;
            }
        }
    }
    if !invoke(env, inst, f.addr, cells) {
        return false;
    }
    // SAFETY: per the contract.
    let Some(out) = (unsafe { ffi::slice_from_mut(results, num_results as usize) }) else {
        api_error(api, "results is NULL");
        return false;
    };
    for ((o, t), c) in out.iter_mut().zip(f.ty.results()).zip(cells.iter()) {
        *o = cell_to_val(inst, *t, *c);
    }
    true
}

/// Call with typed `wasm_val_t` arguments and results.
///
/// # Safety
/// `results` has `num_results` writable entries, `args` `num_args` readable ones.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_call_wasm_a(
    exec_env: wasm_exec_env_t,
    function: wasm_function_inst_t,
    num_results: u32,
    results: *mut wasm_val_t,
    num_args: u32,
    args: *mut wasm_val_t,
) -> bool {
    guard("wasm_runtime_call_wasm_a", false, || {
        // SAFETY: forwarded contract.
        unsafe {
            call_vals(
                "wasm_runtime_call_wasm_a",
                exec_env,
                function,
                num_results,
                results,
                num_args,
                args,
            )
        }
    })
}

/// Call element `element_index` of the instance's table 0 with argv cells.
///
/// # Safety
/// As [`wasm_runtime_call_wasm`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_call_indirect(
    exec_env: wasm_exec_env_t,
    element_index: u32,
    argc: u32,
    argv: *mut u32,
) -> bool {
    guard("wasm_runtime_call_indirect", false, || {
        const API: &str = "wasm_runtime_call_indirect";
        let Some(env) = handles::exec_env(API, exec_env) else {
            return false;
        };
        let inst = env.inst.lock().clone();
        if inst.has_exception() {
            return false;
        }
        let Some(rt) = inst.instance() else {
            return false;
        };
        let Some(&table) = rt.tables.first() else {
            inst.set_exception(Some(TrapCode::UndefinedElement.message()));
            return false;
        };
        let found = inst.with_store(|s| -> Result<(FuncAddr, Arc<FuncType>), TrapCode> {
            let t = s.table(table).ok_or(TrapCode::UndefinedElement)?;
            let bits = t
                .get(element_index)
                .map_err(|_| TrapCode::UndefinedElement)?;
            let a = funcref_addr(bits).ok_or(TrapCode::UninitializedElement)?;
            let ty = s
                .func(a)
                .ok_or(TrapCode::InvalidFunctionIndex)?
                .ty()
                .clone();
            Ok((a, ty))
        });
        let Some(found) = found else {
            return false;
        };
        match found {
            Ok((a, ty)) => call_argv(API, &env, &inst, a, &ty, argc, argv, ArgcRule::Strict),
            Err(code) => {
                inst.set_exception(Some(code.message()));
                false
            }
        }
    })
}

/// Call exported function `name` with arguments given as strings (WAMR's `iwasm -f`
/// conventions) on the singleton exec env and print the results to stdout.
///
/// # Safety
/// `name` is a C string; `argv` has `argc` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_application_execute_func(
    module_inst: wasm_module_inst_t,
    name: *const c_char,
    argc: i32,
    argv: *mut *mut c_char,
) -> bool {
    guard("wasm_application_execute_func", false, || {
        const API: &str = "wasm_application_execute_func";
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        // SAFETY: per the contract.
        let name = unsafe { ffi::str_from(name) }.unwrap_or("");
        // SAFETY: per the contract.
        let args = match unsafe { c_strings(argv, argc) } {
            Some(a) => a,
            None => {
                api_error(API, "argv is NULL");
                return false;
            }
        };
        let Some(rt) = inst.instance() else {
            return false;
        };
        let Some(Extern::Func(f)) = rt.export(name) else {
            inst.set_exception(Some(&format!("lookup function {name} failed")));
            return false;
        };
        let Some(ty) = inst
            .with_store(|s| s.func(f).map(|e| e.ty().clone()))
            .flatten()
        else {
            return false;
        };
        let vals = match parse_args(&ty, &args, |i| rt.func(FuncIdx(i))) {
            Ok(v) => v,
            Err(e) => {
                inst.set_exception(Some(&e));
                return false;
            }
        };
        let Some(env) = exec_env::singleton(&inst) else {
            return false;
        };
        let mut cells = vec![0u64; ty.params().len().max(ty.results().len())];
        for (c, v) in cells.iter_mut().zip(&vals) {
            *c = v.to_bits();
        }
        if !invoke(&env, &inst, f, &mut cells) {
            return false;
        }
        let results: Vec<Val> = ty
            .results()
            .iter()
            .zip(&cells)
            .map(|(t, b)| Val::from_bits(*t, *b))
            .collect();
        // os_printf's channel (C stdio), so it interleaves with the host's printf as in WAMR.
        crate::os::console::write_str(&format!("{}\n", format_results_in(&results, &rt)));
        true
    })
}

/// Copy `argc` C strings.
///
/// # Safety
/// `argv` is NULL (only with `argc <= 0`) or has `argc` C strings.
pub(crate) unsafe fn c_strings(argv: *mut *mut c_char, argc: i32) -> Option<Vec<String>> {
    let n = argc.max(0) as usize;
    // SAFETY: per the contract.
    let ptrs = unsafe { ffi::slice_from(argv.cast_const(), n) }?;
    Some(
        ptrs.iter()
            .map(|&p| {
                if p.is_null() {
                    String::new()
                } else {
                    // SAFETY: each entry is a C string per the contract.
                    unsafe { std::ffi::CStr::from_ptr(p) }
                        .to_string_lossy()
                        .into_owned()
                }
            })
            .collect(),
    )
}
