//! WASI configuration and queries of the WAMR API: `wasm_runtime_set_wasi_args(_ex)`, the
//! address and name-lookup pools, the `InstantiationArgs2` WASI setters,
//! `wasm_runtime_is_wasi_mode`, `_lookup_wasi_start_function`, `_get_wasi_exit_code`, and
//! `wasm_application_execute_main`.
//!
//! The configuration is recorded here (copied out of the caller's arrays) and turned into the
//! grants of a cWASI context (`crate::wasi`, capability-model section 7) when a WASI module is
//! instantiated (`link`). Nothing is ambient: a directory the embedder did not list does not
//! exist for the guest.

use std::ffi::{c_char, c_int};
use std::sync::Arc;

use super::call::{c_strings, func_handle, invoke};
use super::ctypes::*;
use super::exec_env;
use super::handles::{self, api_error};
use super::inst_args::with_args2;
use super::objects::{InstObj, WasiArgs};
use crate::capi::ffi::{self, guard};
use crate::error::TrapCode;
use crate::runtime::{Extern, Linker};

/// Whether this build has WASI support.
const WASI_AVAILABLE: bool = crate::wasi::ENABLED;

/// True if the WASI implementation in this build provides imports of `module`.
pub(crate) fn provides(_wasi: &WasiArgs, module: &str) -> bool {
    crate::wasi::ENABLED && module == crate::wasi::MODULE
}

/// Add the WASI imports for `inst` to `linker`, with the grants WAMR's API recorded: `--dir`
/// then `--map-dir` preopens, environment, argv, stdio (-1 = the default descriptor), the
/// address and name-lookup pools.
pub(crate) fn link(
    linker: &mut Linker,
    inst: &Arc<InstObj>,
    wasi: &WasiArgs,
) -> Result<(), String> {
    if !crate::wasi::ENABLED || !crate::wasi::is_wasi_module(&inst.module.module) {
        return Ok(());
    }
    let mut cfg =
        crate::wasi::WasiConfig::from_wamr_lists(&wasi.dirs, &wasi.map_dirs, &wasi.env, &wasi.argv);
    if wasi.set {
        for (slot, fd) in cfg.stdio.iter_mut().zip(wasi.stdio) {
            *slot = (fd >= 0).then_some(fd);
        }
    }
    cfg.addr_pool = wasi.addr_pool.clone();
    cfg.ns_lookup_pool = wasi.ns_lookup_pool.clone();
    let ctx = crate::wasi::WasiCtx::new(&cfg)?;
    crate::wasi::add_to_linker(linker, &ctx);
    Ok(())
}

fn imports_wasi(inst: &InstObj) -> bool {
    crate::wasi::is_wasi_module(&inst.module.module)
}

/// Copy `n` C strings (NULL entries become empty strings).
///
/// # Safety
/// `p` is NULL (only with `n == 0`) or has `n` C strings.
unsafe fn strings(p: *const *const c_char, n: u32) -> Vec<String> {
    // SAFETY: forwarded contract (the array is only read).
    unsafe { c_strings(p.cast_mut().cast(), n.min(i32::MAX as u32) as i32) }.unwrap_or_default()
}

/// Record the WASI settings of a module (used by its next instantiations).
///
/// # Safety
/// Each array has the stated number of C strings (or is NULL with count 0).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn wasm_runtime_set_wasi_args_ex(
    module: wasm_module_t,
    dir_list: *mut *const c_char,
    dir_count: u32,
    map_dir_list: *mut *const c_char,
    map_dir_count: u32,
    env: *mut *const c_char,
    env_count: u32,
    argv: *mut *mut c_char,
    argc: c_int,
    stdinfd: i64,
    stdoutfd: i64,
    stderrfd: i64,
) {
    guard("wasm_runtime_set_wasi_args_ex", (), || {
        let Some(m) = handles::module("wasm_runtime_set_wasi_args_ex", module) else {
            return;
        };
        let mut w = m.wasi.lock();
        w.set = true;
        // SAFETY: per the contract.
        unsafe {
            w.dirs = strings(dir_list, dir_count);
            w.map_dirs = strings(map_dir_list, map_dir_count);
            w.env = strings(env, env_count);
            w.argv = c_strings(argv, argc).unwrap_or_default();
        }
        w.stdio = [stdinfd, stdoutfd, stderrfd];
    })
}

/// [`wasm_runtime_set_wasi_args_ex`] with the default stdio descriptors.
///
/// # Safety
/// As [`wasm_runtime_set_wasi_args_ex`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_wasi_args(
    module: wasm_module_t,
    dir_list: *mut *const c_char,
    dir_count: u32,
    map_dir_list: *mut *const c_char,
    map_dir_count: u32,
    env: *mut *const c_char,
    env_count: u32,
    argv: *mut *mut c_char,
    argc: c_int,
) {
    // SAFETY: forwarded contract.
    unsafe {
        wasm_runtime_set_wasi_args_ex(
            module,
            dir_list,
            dir_count,
            map_dir_list,
            map_dir_count,
            env,
            env_count,
            argv,
            argc,
            0,
            1,
            2,
        )
    }
}

/// Allowed socket addresses of a module's WASI.
///
/// # Safety
/// `addr_pool` has `addr_pool_size` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_wasi_addr_pool(
    module: wasm_module_t,
    addr_pool: *mut *const c_char,
    addr_pool_size: u32,
) {
    guard("wasm_runtime_set_wasi_addr_pool", (), || {
        let Some(m) = handles::module("wasm_runtime_set_wasi_addr_pool", module) else {
            return;
        };
        let mut w = m.wasi.lock();
        w.set = true;
        // SAFETY: per the contract.
        w.addr_pool = unsafe { strings(addr_pool, addr_pool_size) };
    })
}

/// Allowed name lookups of a module's WASI.
///
/// # Safety
/// `ns_lookup_pool` has `ns_lookup_pool_size` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_wasi_ns_lookup_pool(
    module: wasm_module_t,
    ns_lookup_pool: *mut *const c_char,
    ns_lookup_pool_size: u32,
) {
    guard("wasm_runtime_set_wasi_ns_lookup_pool", (), || {
        let Some(m) = handles::module("wasm_runtime_set_wasi_ns_lookup_pool", module) else {
            return;
        };
        let mut w = m.wasi.lock();
        w.set = true;
        // SAFETY: per the contract.
        w.ns_lookup_pool = unsafe { strings(ns_lookup_pool, ns_lookup_pool_size) };
    })
}

/// `InstantiationArgs2`: WASI argv.
///
/// # Safety
/// `argv` has `argc` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiation_args_set_wasi_arg(
    p: *mut InstantiationArgs2,
    argv: *mut *mut c_char,
    argc: c_int,
) {
    guard("wasm_runtime_instantiation_args_set_wasi_arg", (), || {
        with_args2("wasm_runtime_instantiation_args_set_wasi_arg", p, |a| {
            a.wasi.set = true;
            // SAFETY: per the contract.
            a.wasi.argv = unsafe { c_strings(argv, argc) }.unwrap_or_default();
        })
    })
}

/// `InstantiationArgs2`: WASI environment.
///
/// # Safety
/// `env` has `env_count` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiation_args_set_wasi_env(
    p: *mut InstantiationArgs2,
    env: *mut *const c_char,
    env_count: u32,
) {
    guard("wasm_runtime_instantiation_args_set_wasi_env", (), || {
        with_args2("wasm_runtime_instantiation_args_set_wasi_env", p, |a| {
            a.wasi.set = true;
            // SAFETY: per the contract.
            a.wasi.env = unsafe { strings(env, env_count) };
        })
    })
}

/// `InstantiationArgs2`: preopened and mapped directories.
///
/// # Safety
/// Each array has the stated number of C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiation_args_set_wasi_dir(
    p: *mut InstantiationArgs2,
    dir_list: *mut *const c_char,
    dir_count: u32,
    map_dir_list: *mut *const c_char,
    map_dir_count: u32,
) {
    guard("wasm_runtime_instantiation_args_set_wasi_dir", (), || {
        with_args2("wasm_runtime_instantiation_args_set_wasi_dir", p, |a| {
            a.wasi.set = true;
            // SAFETY: per the contract.
            unsafe {
                a.wasi.dirs = strings(dir_list, dir_count);
                a.wasi.map_dirs = strings(map_dir_list, map_dir_count);
            }
        })
    })
}

/// `InstantiationArgs2`: stdio descriptors.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_instantiation_args_set_wasi_stdio(
    p: *mut InstantiationArgs2,
    stdinfd: i64,
    stdoutfd: i64,
    stderrfd: i64,
) {
    guard("wasm_runtime_instantiation_args_set_wasi_stdio", (), || {
        with_args2("wasm_runtime_instantiation_args_set_wasi_stdio", p, |a| {
            a.wasi.set = true;
            a.wasi.stdio = [stdinfd, stdoutfd, stderrfd];
        })
    })
}

/// `InstantiationArgs2`: socket address pool.
///
/// # Safety
/// `addr_pool` has `addr_pool_size` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiation_args_set_wasi_addr_pool(
    p: *mut InstantiationArgs2,
    addr_pool: *mut *const c_char,
    addr_pool_size: u32,
) {
    guard(
        "wasm_runtime_instantiation_args_set_wasi_addr_pool",
        (),
        || {
            with_args2(
                "wasm_runtime_instantiation_args_set_wasi_addr_pool",
                p,
                |a| {
                    a.wasi.set = true;
                    // SAFETY: per the contract.
                    a.wasi.addr_pool = unsafe { strings(addr_pool, addr_pool_size) };
                },
            )
        },
    )
}

/// `InstantiationArgs2`: name lookup pool.
///
/// # Safety
/// `ns_lookup_pool` has `ns_lookup_pool_size` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiation_args_set_wasi_ns_lookup_pool(
    p: *mut InstantiationArgs2,
    ns_lookup_pool: *mut *const c_char,
    ns_lookup_pool_size: u32,
) {
    guard(
        "wasm_runtime_instantiation_args_set_wasi_ns_lookup_pool",
        (),
        || {
            with_args2(
                "wasm_runtime_instantiation_args_set_wasi_ns_lookup_pool",
                p,
                |a| {
                    a.wasi.set = true;
                    // SAFETY: per the contract.
                    a.wasi.ns_lookup_pool = unsafe { strings(ns_lookup_pool, ns_lookup_pool_size) };
                },
            )
        },
    )
}

/// True if the instance runs with a WASI context.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_is_wasi_mode(module_inst: wasm_module_inst_t) -> bool {
    guard("wasm_runtime_is_wasi_mode", false, || {
        handles::instance("wasm_runtime_is_wasi_mode", module_inst)
            .is_some_and(|i| WASI_AVAILABLE && imports_wasi(&i))
    })
}

/// `_start` of a WASI instance (NULL otherwise).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_lookup_wasi_start_function(
    module_inst: wasm_module_inst_t,
) -> wasm_function_inst_t {
    guard(
        "wasm_runtime_lookup_wasi_start_function",
        std::ptr::null_mut(),
        || {
            let Some(inst) =
                handles::instance("wasm_runtime_lookup_wasi_start_function", module_inst)
            else {
                return std::ptr::null_mut();
            };
            if !(WASI_AVAILABLE && imports_wasi(&inst)) {
                return std::ptr::null_mut();
            }
            match inst.instance().and_then(|rt| rt.export("_start")) {
                Some(Extern::Func(a)) => {
                    func_handle(&inst, a).map_or(std::ptr::null_mut(), |h| h.to_ptr())
                }
                _ => std::ptr::null_mut(),
            }
        },
    )
}

/// The code a WASI instance passed to `proc_exit` (0 if it did not exit).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_wasi_exit_code(module_inst: wasm_module_inst_t) -> u32 {
    guard("wasm_runtime_get_wasi_exit_code", 0, || {
        handles::instance("wasm_runtime_get_wasi_exit_code", module_inst).map_or(0, |i| {
            i.wasi_exit_code.load(std::sync::atomic::Ordering::Relaxed)
        })
    })
}

/// Run the program: `_start` if exported, else a `main` without parameters, on the singleton
/// exec env. `main(argc, argv)` needs the app heap for argv.
///
/// # Safety
/// `argv` has `argc` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_application_execute_main(
    module_inst: wasm_module_inst_t,
    argc: i32,
    argv: *mut *mut c_char,
) -> bool {
    guard("wasm_application_execute_main", false, || {
        const API: &str = "wasm_application_execute_main";
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        let Some(rt) = inst.instance() else {
            return false;
        };
        let entry = ["_start", "main", "__main_argc_argv", "_main"]
            .iter()
            .find_map(|n| match rt.export(n) {
                Some(Extern::Func(a)) => Some(a),
                _ => None,
            });
        let Some(f) = entry else {
            inst.set_exception(Some(
                "lookup the entry point symbol (like _start, main, _main, __main_argc_argv) failed",
            ));
            return false;
        };
        let Some(ty) = inst
            .with_store(|s| s.func(f).map(|e| e.ty().clone()))
            .flatten()
        else {
            return false;
        };
        let Some(env) = exec_env::singleton(&inst) else {
            return false;
        };
        if ty.params().len() == 2 {
            // main(argc, argv): argv goes to the app heap, as WAMR does.
            // SAFETY: per the contract.
            let args = unsafe { c_strings(argv, argc) }.unwrap_or_default();
            return call_main_with_argv(&env, &inst, f, &args, ty.results().len());
        }
        if !ty.params().is_empty() {
            api_error(API, "the entry point must take () or (argc, argv)");
            return false;
        }
        let mut cells = vec![0u64; ty.results().len()];
        let ok = invoke(&env, &inst, f, &mut cells);
        if !ok {
            ffi::log(ffi::LOG_DEBUG, &format!("{API}: the program trapped"));
        }
        ok
    })
}

/// Call `main(argc, argv)` with `args` copied into the app heap as WAMR lays them out (the
/// NUL-terminated strings, padded to 4, then `argc` offsets; one block of that size, so the
/// guest's later allocations land where they do under WAMR); the block is freed afterwards.
fn call_main_with_argv(
    env: &super::objects::ExecEnvObj,
    inst: &Arc<InstObj>,
    f: crate::runtime::FuncAddr,
    args: &[String],
    nresults: usize,
) -> bool {
    let strings = args.iter().map(|a| a.len() as u64 + 1).sum::<u64>();
    let table_at = strings.next_multiple_of(4);
    let total = table_at + 4 * args.len() as u64;
    let base = match super::memory::heap::malloc(inst, total) {
        Ok(o) if o != 0 => o,
        Ok(_) => {
            api_error(
                "wasm_application_execute_main",
                "no app heap for argv (instantiate with a heap size, or export malloc/free)",
            );
            inst.set_exception(Some(TrapCode::AllocateMemoryFailed.message()));
            return false;
        }
        Err(t) => {
            super::exception::record_trap(inst, &t);
            return false;
        }
    };
    let Some(mem) = inst.instance().and_then(|rt| rt.memory0().cloned()) else {
        return false;
    };
    let mut ptrs = Vec::with_capacity(4 * args.len());
    let mut at = base;
    for a in args {
        if mem.write(at, a.as_bytes()).is_err() || mem.write(at + a.len() as u64, &[0]).is_err() {
            inst.set_exception(Some(TrapCode::MemoryOutOfBounds.message()));
            return false;
        }
        ptrs.extend_from_slice(&(at as u32).to_le_bytes());
        at += a.len() as u64 + 1;
    }
    if mem.write(base + table_at, &ptrs).is_err() {
        inst.set_exception(Some(TrapCode::MemoryOutOfBounds.message()));
        return false;
    }
    let mut cells = vec![0u64; nresults.max(2)];
    cells[0] = args.len() as u64;
    cells[1] = base + table_at;
    let ok = invoke(env, inst, f, &mut cells);
    let _ = super::memory::heap::free(inst, base);
    ok
}
