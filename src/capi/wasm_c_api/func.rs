//! Functions: `wasm_func_new`, `wasm_func_new_with_env`, `wasm_func_type`, arities and
//! `wasm_func_call`, and the trampoline that runs C host callbacks.
//!
//! A host callback receives its arguments as a borrowed `wasm_val_vec_t` (reference
//! arguments are new `wasm_ref_t`s deleted after the callback) and fills the pre-sized
//! results vector (reference results are owned by the runtime afterwards). A trap returned
//! by the callback ends the call with `Exception: <message>`. Inside a callback, every API
//! function of the same store works, including re-entrant `wasm_func_call`.
//!
//! The environment finalizer of `wasm_func_new_with_env` runs once, when the store is
//! deleted: instances may still call the function after its C object is deleted.
//!
//! # Invariants
//! Callbacks are C function pointers given by the embedder; they are called with vectors
//! that stay valid for the call, and the trampoline's `Caller` is registered as active (see
//! `store.rs`) exactly for the duration of the call.

use std::ffi::c_void;
use std::sync::{Arc, Weak};
use std::time::Instant;

use super::handles::misuse;
use super::refs::{Finalizer, Flavour, RefKind, new_ref, ref_arg, try_ref_arg};
use super::store::{
    ActiveGuard, MAX_NESTED_CALLBACKS, StoreCore, nested_callbacks, orphan_store, store_arg,
    with_exec, with_store,
};
use super::trap::{TrapData, new_trap, take_callback_trap, trap_frames, trap_from_runtime};
use super::types::{functype_arg, new_functype};
use super::val::{
    cell_to_arg, cell_to_val, is_program_ref, is_ref_val, kind_of, release_val, val_to_cell,
};
use super::vec::{ValVec, WasmVal, elems};
use crate::capi::ffi;
use crate::error::{Trap, TrapCode};
use crate::runtime::{Caller, FuncKind, HostFunc};
use crate::types::FuncType;

/// `wasm_func_callback_t`.
pub type Callback = unsafe extern "C" fn(*const ValVec, *mut ValVec) -> *mut c_void;
/// `wasm_func_callback_with_env_t`.
pub type CallbackWithEnv =
    unsafe extern "C" fn(*mut c_void, *const ValVec, *mut ValVec) -> *mut c_void;

/// Calls the environment finalizer when the host function is dropped (with its store).
struct EnvGuard {
    env: usize,
    fin: Option<Finalizer>,
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        if let Some(f) = self.fin {
            // SAFETY: the embedder gave `f` and `env` together; this runs once (module
            // invariants).
            unsafe { f(self.env as *mut c_void) };
        }
    }
}

enum HostCallback {
    Plain(Callback),
    WithEnv(CallbackWithEnv, EnvGuard),
}

fn c_vec(vals: &mut [WasmVal]) -> ValVec {
    ValVec {
        size: vals.len(),
        data: if vals.is_empty() {
            std::ptr::null_mut()
        } else {
            vals.as_mut_ptr()
        },
        num_elems: vals.len(),
        size_of_elem: std::mem::size_of::<WasmVal>(),
        lock: std::ptr::null_mut(),
    }
}

fn trampoline(
    store: &Weak<StoreCore>,
    ty: &FuncType,
    cb: &HostCallback,
    caller: &mut Caller<'_>,
    cells: &mut [u64],
) -> Result<(), Trap> {
    let api = "host function";
    let core = store
        .upgrade()
        .ok_or_else(|| Trap::Host("the function's store was deleted".into()))?;
    if nested_callbacks() >= MAX_NESTED_CALLBACKS {
        return Err(Trap::Code(TrapCode::NativeStackOverflow));
    }
    // Arguments are borrowed for the call; `made` are the references made for it.
    let (mut args, made): (Vec<WasmVal>, Vec<bool>) = ty
        .params()
        .iter()
        .zip(cells.iter())
        .map(|(t, &c)| cell_to_arg(api, &core, caller.store(), *t, c))
        .unzip();
    let arg_vals = args.clone();
    let mut results: Vec<WasmVal> = ty
        .results()
        .iter()
        .map(|t| WasmVal {
            kind: kind_of(*t),
            ..WasmVal::default()
        })
        .collect();
    let args_vec = c_vec(&mut args);
    let mut results_vec = c_vec(&mut results);
    let trap = {
        // SAFETY: `caller` is not used until the guard is dropped (module invariants).
        let _active = unsafe { ActiveGuard::push(core.id, caller) };
        // SAFETY: the callback is the embedder's; both vectors are valid for the call.
        unsafe {
            match cb {
                HostCallback::Plain(f) => f(&args_vec, &mut results_vec),
                HostCallback::WithEnv(f, env) => {
                    f(env.env as *mut c_void, &args_vec, &mut results_vec)
                }
            }
        }
    };
    // Results are the callback's to give: deleted after conversion, except the program's
    // own references and the arguments handed back (WAMR's callbacks copy them shallowly).
    let keep: Vec<bool> = results
        .iter()
        .map(|r| is_program_ref(r) || arg_vals.iter().any(|a| is_ref_val(a) && a.of == r.of))
        .collect();
    let outcome = if !trap.is_null() {
        Err(Trap::Host(take_callback_trap(api, trap).unwrap_or_else(
            || "host function returned an invalid trap".to_string(),
        )))
    } else {
        ty.results()
            .iter()
            .zip(&results)
            .zip(cells.iter_mut())
            .try_for_each(|((t, v), c)| {
                *c = val_to_cell(api, &core, *t, v).map_err(|e| {
                    Trap::Host(format!("host function returned an invalid result: {e}"))
                })?;
                Ok(())
            })
    };
    for (a, _) in arg_vals.iter().zip(&made).filter(|(_, m)| **m) {
        release_val(api, a);
    }
    for (r, _) in results.iter().zip(&keep).filter(|(_, k)| !**k) {
        release_val(api, r);
    }
    outcome
}

fn create(
    api: &str,
    store: *mut c_void,
    ft: *const c_void,
    cb: Option<HostCallback>,
) -> *mut c_void {
    let Some(core) = store_arg(api, store) else {
        return std::ptr::null_mut();
    };
    let Some(ty) = functype_arg(api, ft) else {
        return std::ptr::null_mut();
    };
    let Some(cb) = cb else {
        misuse(api, "null callback");
        return std::ptr::null_mut();
    };
    let weak = Arc::downgrade(&core);
    let sig = ty.clone();
    let hf = HostFunc::new(ty, move |caller, cells| {
        trampoline(&weak, &sig, &cb, caller, cells)
    });
    let (addr, ty) = with_store(&core, |s| {
        let a = s.add_host_func(hf);
        let ty = s.func(a).map(|f| f.ty().clone());
        (a, ty)
    });
    let Some(ty) = ty else {
        return std::ptr::null_mut();
    };
    new_ref(api, &core, RefKind::Func { addr, ty }, None, Flavour::Func)
}

/// `wasm_func_new`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_new(
    store: *mut c_void,
    ft: *const c_void,
    cb: Option<Callback>,
) -> *mut c_void {
    ffi::guard("wasm_func_new", std::ptr::null_mut(), || {
        create("wasm_func_new", store, ft, cb.map(HostCallback::Plain))
    })
}

/// `wasm_func_new_with_env`: `finalizer(env)` runs when the store is deleted.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_new_with_env(
    store: *mut c_void,
    ft: *const c_void,
    cb: Option<CallbackWithEnv>,
    env: *mut c_void,
    finalizer: Option<Finalizer>,
) -> *mut c_void {
    ffi::guard("wasm_func_new_with_env", std::ptr::null_mut(), || {
        let guard = EnvGuard {
            env: env as usize,
            fin: finalizer,
        };
        let cb = match cb {
            Some(f) => Some(HostCallback::WithEnv(f, guard)),
            None => {
                // Not created: the environment is not ours to finalize.
                std::mem::forget(guard);
                None
            }
        };
        create("wasm_func_new_with_env", store, ft, cb)
    })
}

/// `wasm_func_type` (owned).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_type(p: *const c_void) -> *mut c_void {
    ffi::guard("wasm_func_type", std::ptr::null_mut(), || {
        match ref_arg("wasm_func_type", p, Flavour::Func, None) {
            Some(a) => match &a.get().kind {
                RefKind::Func { ty, .. } => new_functype("wasm_func_type", ty).to_ptr(),
                _ => std::ptr::null_mut(),
            },
            None => std::ptr::null_mut(),
        }
    })
}

fn arity(api: &str, p: *const c_void, results: bool) -> usize {
    ref_arg(api, p, Flavour::Func, None).map_or(0, |a| match &a.get().kind {
        RefKind::Func { ty, .. } if results => ty.results().len(),
        RefKind::Func { ty, .. } => ty.params().len(),
        _ => 0,
    })
}

/// `wasm_func_param_arity`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_param_arity(p: *const c_void) -> usize {
    ffi::guard("wasm_func_param_arity", 0, || {
        arity("wasm_func_param_arity", p, false)
    })
}

/// `wasm_func_result_arity`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_func_result_arity(p: *const c_void) -> usize {
    ffi::guard("wasm_func_result_arity", 0, || {
        arity("wasm_func_result_arity", p, true)
    })
}

/// A trap for API misuse in `wasm_func_call` (also recorded as the last error).
fn misuse_trap(api: &str, store: &Arc<StoreCore>, msg: &str) -> *mut c_void {
    misuse(api, msg);
    new_trap(
        api,
        store,
        TrapData::new(format!("{api}: {msg}").as_bytes(), Vec::new()),
    )
}

/// `wasm_func_call`: NULL on success (results written and `results->num_elems` set), or a
/// trap the caller owns. An invalid function handle also yields a trap (owned by no store
/// of the caller's; delete it with `wasm_trap_delete`).
///
/// # Safety
/// `args` is NULL or a valid vector; `results` is NULL or a valid, writable vector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_call(
    p: *const c_void,
    args: *const ValVec,
    results: *mut ValVec,
) -> *mut c_void {
    ffi::guard("wasm_func_call", std::ptr::null_mut(), || {
        let api = "wasm_func_call";
        let a = match try_ref_arg(api, p, Flavour::Func, None) {
            Ok(a) => a,
            Err(why) => return misuse_trap(api, &orphan_store(), &why),
        };
        let r = a.get();
        let (addr, ty) = match &r.kind {
            RefKind::Func { addr, ty } => (*addr, ty.clone()),
            _ => {
                return new_trap(
                    api,
                    &r.store,
                    TrapData::new(b"failed to call unlinked function", Vec::new()),
                );
            }
        };
        let (np, nr) = (ty.params().len(), ty.results().len());
        // SAFETY: forwarded caller contract.
        let Some(argv) = (unsafe { elems(args) }) else {
            return misuse_trap(api, &r.store, "invalid argument vector");
        };
        if argv.len() < np {
            return misuse_trap(
                api,
                &r.store,
                &format!("expected {np} arguments, got {}", argv.len()),
            );
        }
        // The results vector is not checked before the call: the function runs and a trap is
        // returned even with too few result slots (WAMR does so; the upstream `trap` example
        // passes an empty vector to functions that trap). See the copy-out below.
        let mut cells = vec![0u64; np.max(nr)];
        for (i, (t, v)) in ty.params().iter().zip(argv).enumerate() {
            match val_to_cell(api, &r.store, *t, v) {
                Ok(c) => cells[i] = c,
                Err(e) => return misuse_trap(api, &r.store, &format!("argument {i}: {e}")),
            }
        }
        let start = Instant::now();
        let outcome = with_exec(&r.store, |e| {
            let res = e.call_raw(addr, &mut cells);
            let nested = e.is_nested();
            let s = e.store();
            let timed = match s.func(addr).map(|f| f.kind()) {
                Some(FuncKind::Wasm { instance, def }) if !nested => Some((instance.0, def.0)),
                _ => None,
            };
            let s = e.store();
            match res {
                Ok(()) => {
                    let vals: Vec<WasmVal> = ty
                        .results()
                        .iter()
                        .zip(&cells)
                        .map(|(t, &c)| cell_to_val(api, &r.store, s, *t, c))
                        .collect();
                    (Ok(vals), timed)
                }
                Err(t) => (Err((t, trap_frames(s, addr))), timed),
            }
        });
        if let (_, Some((inst, def))) = &outcome {
            r.store
                .add_exec_time(*inst, *def, start.elapsed().as_secs_f64() * 1000.0);
        }
        match outcome.0 {
            Ok(vals) => {
                // WAMR writes all `nr` results without looking at `results->size` (a short
                // vector is overrun). Only the slots that exist are written here: the first
                // `min(nr, size)` values; `size` and `num_elems` become `nr` when the vector
                // had room (as in WAMR), else `num_elems` counts the values written and `size`
                // keeps the vector's real length. Too few slots is reported, not a trap.
                if nr > 0 && !results.is_null() {
                    // SAFETY: non-null `results` is a valid vector per the caller's contract.
                    let (data, size) = unsafe { ((*results).data, (*results).size) };
                    let n = if data.is_null() { 0 } else { nr.min(size) };
                    if n < nr {
                        misuse(
                            api,
                            &format!("the results vector has room for {n} of {nr} values"),
                        );
                    }
                    // SAFETY: `data` has `size >= n` writable slots (caller's contract) and is
                    // non-null when `n > 0`.
                    unsafe {
                        if n > 0 {
                            std::ptr::copy_nonoverlapping(vals.as_ptr(), data, n);
                        }
                        (*results).num_elems = n;
                        if n == nr {
                            (*results).size = nr;
                        }
                    }
                }
                std::ptr::null_mut()
            }
            Err((t, frames)) => trap_from_runtime(api, &r.store, &t, frames),
        }
    })
}
