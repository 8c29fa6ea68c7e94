//! Instances: `wasm_runtime_instantiate`, `_ex`, `_ex2` with the `InstantiationArgs2`
//! builder, `wasm_runtime_deinstantiate`, module/custom-data accessors and per-instance running
//! mode.
//!
//! Each `wasm_module_inst_t` owns its own [`Store`] behind a mutex: a call into the instance
//! holds it for the call's duration (several exec envs of one instance therefore run one at a
//! time). Everything that must work while a call runs on another thread — terminate, the
//! exception text, address translation — lives outside the store: the interrupt flag, the
//! exception slot, and the immutable [`Instance`] (`Arc`) with its never-moving memories.
//!
//! Known limitation: because a call holds its instance's store, two threads whose calls
//! re-enter each other's instances in opposite orders (A's native calls into B while B's
//! native calls into A) wait for each other; WAMR would run them concurrently. Nested calls
//! on one thread (any depth, any instances) are fine: they re-enter through the running
//! native's caller.

use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::ctypes::*;
use super::exec_env;
use super::handles::{self, api_error, reg};
use super::objects::{ExcState, InstArgs2, InstObj, ModuleObj};
use super::{active, context, externref, natives};

use crate::cap::{OType, OwnerId, SealedHandle};
use crate::capi::ffi::{self, guard};
use crate::runtime::{Instance, InstanceAddr, Store, StoreConfig};
use crate::types::MAX_WASM_PAGES;

impl InstObj {
    /// Run `f` on the store: through the running native's caller if this thread is inside a
    /// native of this instance (re-entrant use), otherwise by locking the store.
    ///
    /// `None` (with the reason as this thread's last error) if waiting for the store would
    /// deadlock (see `store_lock`).
    pub fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Option<R> {
        active::with_caller(self.id, |c| match c {
            Some(c) => Some(f(c.store())),
            None => match self.lock_store() {
                Ok(mut s) => Some(f(&mut s)),
                Err(msg) => {
                    ffi::set_last_error(ffi::LOG_WARNING, msg);
                    None
                }
            },
        })
    }

    /// Lock the store (for a call from outside any native of this instance), refusing a wait
    /// that would deadlock.
    pub fn lock_store(&self) -> Result<super::store_lock::StoreGuard<'_>, &'static str> {
        super::store_lock::lock(&self.store, self.id)
    }

    /// The runtime instance (also while the start function runs, through the store).
    pub fn instance(&self) -> Option<Arc<Instance>> {
        if let Some(i) = self.rt.get() {
            return Some(i.clone());
        }
        self.with_store(|s| s.instance(s.newest_instance()).cloned())
            .flatten()
    }

    /// The instance's address in its store (its multi-module sub-instances come before it).
    pub fn main_addr(&self) -> InstanceAddr {
        match self.rt.get() {
            Some(i) => i.addr(),
            None => self
                .with_store(|s| s.newest_instance())
                .unwrap_or(InstanceAddr(0)),
        }
    }

    /// The instance's compartment id (None without the capability core's compartments).
    pub fn compartment(&self) -> Option<u32> {
        if let Some(c) = self.comp.get() {
            return *c;
        }
        self.with_store(|s| externref::compartment_of_store(s))
            .flatten()
    }
}

fn instantiate(
    api: &str,
    m: Arc<ModuleObj>,
    args: &InstArgs2,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_inst_t {
    super::pool_mode::instantiate_watched(
        api,
        error_buf,
        error_buf_size,
        || instantiate_unwatched(api, m, args, error_buf, error_buf_size),
        |i| wasm_runtime_deinstantiate(i),
    )
}

fn instantiate_unwatched(
    api: &str,
    m: Arc<ModuleObj>,
    args: &InstArgs2,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_inst_t {
    let fail = |msg: &str| {
        // SAFETY: the caller passes a writable error buffer of the given size, or NULL.
        unsafe { ffi::write_error_buf(error_buf, error_buf_size, msg) };
        api_error(api, msg);
        std::ptr::null_mut()
    };
    let Some(epoch) = handles::epoch() else {
        return fail("WASM module instantiate failed: runtime not initialized");
    };
    let max_pages = if args.max_memory_pages == 0 {
        MAX_WASM_PAGES
    } else {
        u64::from(args.max_memory_pages)
    };
    #[allow(
        clippy::needless_update,
        reason = "the capability core adds StoreConfig fields; their defaults apply here"
    )]
    let store = Store::new(StoreConfig {
        stack_size: exec_env::interp_stack_bytes(args.stack_size),
        max_memory_pages: max_pages,
        ..StoreConfig::default()
    });
    let id = handles::new_object_id();
    let obj = Arc::new(InstObj {
        id,
        module: m.clone(),
        interrupt: store.interrupt_handle(),
        store: Mutex::new(store),
        rt: OnceLock::new(),
        exc: Mutex::new(ExcState::default()),
        custom_data: AtomicUsize::new(args.custom_data),
        stack_size: if args.stack_size == 0 {
            exec_env::DEFAULT_STACK_SIZE
        } else {
            args.stack_size
        },
        handle: OnceLock::new(),
        singleton: Mutex::new(None),
        envs: Mutex::new(Vec::new()),
        func_handles: Mutex::new(HashMap::new()),
        mem_handles: Mutex::new(HashMap::new()),
        table_handles: Mutex::new(HashMap::new()),
        wasi_exit_code: AtomicU32::new(0),
        comp: OnceLock::new(),
    });
    let h = match reg().instances.insert(OType::INSTANCE, epoch, obj.clone()) {
        Ok(h) => h,
        Err(e) => return fail(&format!("WASM module instantiate failed: {e}")),
    };
    let _ = obj.handle.set(h);

    // Imports: registered natives (and WASI when configured).
    let mut linker = natives::linker(Arc::downgrade(&obj));
    // Delegations granted to this instance are read and written through cwamr.buf_*.
    crate::runtime::delegation::add_to_linker(&mut linker);
    // WAMR's shared-heap natives (env.shared_heap_malloc/free), unless registered natives shadow them.
    crate::runtime::shared_heap::add_to_linker(&mut linker, |m| ffi::log(ffi::LOG_WARNING, m));
    let wasi = args.wasi.clone().or(&m.wasi.lock());
    if let Err(msg) = super::wasi_api::link(&mut linker, &obj, &wasi) {
        teardown(&obj, h);
        return fail(&format!("WASM module instantiate failed: {msg}"));
    }
    for imp in m.loaded.host_imports() {
        if let crate::module::ImportDesc::Func(t) = &imp.desc {
            let ty = &m.module.types()[t.index()];
            let linked = natives::linker_links(&linker, &imp.module, &imp.name, ty)
                || super::wasi_api::provides(&wasi, &imp.module)
                || crate::runtime::shared_heap::provides(&imp.module, &imp.name, ty);
            if !linked {
                ffi::log(
                    ffi::LOG_WARNING,
                    &format!(
                        "warning: failed to link import function ({}, {})",
                        imp.module, imp.name
                    ),
                );
            }
        }
    }

    // The start function runs with a temporary exec env (natives may use it).
    // (Only when there is a start function: its stack is the largest block of an instantiation.)
    let env = m
        .module
        .start()
        .and_then(|_| exec_env::create(&obj, obj.stack_size, true));
    let env_h = env.as_ref().map_or(SealedHandle::NULL, |e| e.handle());
    let result = {
        let _frame = active::push(active::Frame {
            inst_id: id,
            env: env_h,
            caller: None,
            attachment: std::ptr::null_mut(),
        });
        let mut store = obj.store.lock();
        crate::libc_builtin::add_globals(&mut linker, &mut store, &m.module);
        instantiate_store(&mut store, &linker, &m.loaded, args.heap_size)
            .map(|a| store.instance(a).cloned())
    };
    if let Some(e) = env {
        exec_env::destroy(&e);
    }
    match result {
        Ok(Some(inst)) => {
            super::memory::install_enlarge_hooks(id, h, &inst.memories);
            let _ = obj.rt.set(inst);
            let comp = externref::compartment_of_store(&obj.store.lock());
            let _ = obj.comp.set(comp);
        }
        Ok(None) => {
            teardown(&obj, h);
            return fail("WASM module instantiate failed: internal error");
        }
        Err(e) => {
            teardown(&obj, h);
            return fail(&e.to_string());
        }
    }
    h.to_ptr()
}

/// Instantiate into `store` (multi-module dependencies first, each its own instance), with
/// the app heap placed as WAMR places it.
fn instantiate_store(
    store: &mut Store,
    linker: &crate::Linker,
    module: &crate::runtime::multi_module::LoadedModule,
    heap_size: u32,
) -> Result<InstanceAddr, crate::InstantiateError> {
    crate::runtime::multi_module::instantiate(store, linker, module, heap_size)
}

/// Release everything an instance owns (its handle `h` is already invalid or removed here).
pub(crate) fn teardown(obj: &Arc<InstObj>, h: SealedHandle) {
    let _ = reg().instances.remove(h, OType::INSTANCE, None);
    context::run_destructors(obj);
    let owner = Some(OwnerId::new(obj.id));
    for (_, fh) in obj.func_handles.lock().drain() {
        let _ = reg().funcs.remove(fh, OType::FUNC, owner);
    }
    for (_, mh) in obj.mem_handles.lock().drain() {
        let _ = reg().memories.remove(mh, OType::MEMORY, owner);
    }
    for (_, th) in obj.table_handles.lock().drain() {
        let _ = reg().tables.remove(th, OType::TABLE, owner);
    }
    let envs: Vec<SealedHandle> = obj.envs.lock().drain(..).collect();
    for eh in envs {
        let _ = reg().exec_envs.remove(eh, OType::EXEC_ENV, None);
    }
    *obj.singleton.lock() = None;
    // Wait for a call running on another thread, then free the store's objects.
    let mut store = obj.store.lock();
    *store = Store::default();
}

/// Destroy every instance of the running runtime (runtime destroy).
pub(crate) fn destroy_all() {
    let Some(epoch) = handles::epoch() else {
        return;
    };
    let all = reg().instances.remove_owned_by(epoch);
    for obj in all {
        let h = obj.handle();
        teardown(&obj, h);
    }
}

/// The module behind `module`, or `None` with WAMR's instantiation error in `error_buf`.
///
/// # Safety
/// `error_buf` is NULL or has `error_buf_size` writable bytes.
unsafe fn module_arg(
    api: &str,
    module: wasm_module_t,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> Option<Arc<ModuleObj>> {
    let m = handles::module(api, module);
    if m.is_none() {
        // SAFETY: per the contract.
        unsafe {
            ffi::write_error_buf(
                error_buf,
                error_buf_size,
                "WASM module instantiate failed: invalid module handle",
            )
        };
    }
    m
}

/// Instantiate with a stack size and an app-heap size.
///
/// # Safety
/// `error_buf` is NULL or has `error_buf_size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiate(
    module: wasm_module_t,
    default_stack_size: u32,
    host_managed_heap_size: u32,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_inst_t {
    guard("wasm_runtime_instantiate", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_instantiate";
        // SAFETY: `error_buf` as in the contract.
        let Some(m) = (unsafe { module_arg(API, module, error_buf, error_buf_size) }) else {
            return std::ptr::null_mut();
        };
        let args = InstArgs2 {
            stack_size: default_stack_size,
            heap_size: host_managed_heap_size,
            ..InstArgs2::default()
        };
        instantiate(API, m, &args, error_buf, error_buf_size)
    })
}

/// Instantiate with `InstantiationArgs` (NULL = defaults).
///
/// # Safety
/// `args` is NULL or valid; `error_buf` as in [`wasm_runtime_instantiate`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiate_ex(
    module: wasm_module_t,
    args: *const InstantiationArgs,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_inst_t {
    guard("wasm_runtime_instantiate_ex", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_instantiate_ex";
        // SAFETY: `error_buf` as in the contract.
        let Some(m) = (unsafe { module_arg(API, module, error_buf, error_buf_size) }) else {
            return std::ptr::null_mut();
        };
        let a = if args.is_null() {
            InstantiationArgs::default()
        } else {
            // SAFETY: non-null and valid per the contract.
            unsafe { *args }
        };
        let args = InstArgs2 {
            stack_size: a.default_stack_size,
            heap_size: a.host_managed_heap_size,
            max_memory_pages: a.max_memory_pages,
            ..InstArgs2::default()
        };
        instantiate(API, m, &args, error_buf, error_buf_size)
    })
}

/// Instantiate with an `InstantiationArgs2` object (NULL = defaults).
///
/// # Safety
/// `error_buf` as in [`wasm_runtime_instantiate`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiate_ex2(
    module: wasm_module_t,
    args: *const InstantiationArgs2,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> wasm_module_inst_t {
    guard("wasm_runtime_instantiate_ex2", std::ptr::null_mut(), || {
        const API: &str = "wasm_runtime_instantiate_ex2";
        // SAFETY: `error_buf` as in the contract.
        let Some(m) = (unsafe { module_arg(API, module, error_buf, error_buf_size) }) else {
            return std::ptr::null_mut();
        };
        let a = if args.is_null() {
            InstArgs2::default()
        } else {
            match handles::inst_args(API, args) {
                Some(a) => a.lock().clone(),
                None => {
                    // SAFETY: per the contract.
                    unsafe {
                        ffi::write_error_buf(
                            error_buf,
                            error_buf_size,
                            "WASM module instantiate failed: invalid InstantiationArgs2",
                        )
                    };
                    return std::ptr::null_mut();
                }
            }
        };
        instantiate(API, m, &a, error_buf, error_buf_size)
    })
}

/// Destroy an instance: its handle and every function, memory and exec env handle derived
/// from it become invalid; context destructors run.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_deinstantiate(module_inst: wasm_module_inst_t) {
    guard("wasm_runtime_deinstantiate", (), || {
        const API: &str = "wasm_runtime_deinstantiate";
        super::call_cache::forget_cached();
        let Some(obj) = handles::instance(API, module_inst) else {
            return;
        };
        if active::is_active(obj.id) {
            api_error(
                API,
                "the instance is running on this thread (called from one of its natives?)",
            );
            return;
        }
        let held = super::views::views_held(&obj);
        if held > 0 {
            api_error(
                API,
                &format!("{held} memory view(s) of the instance are still held"),
            );
            return;
        }
        teardown(&obj, SealedHandle::from_ptr(module_inst));
    })
}

/// The module an instance was created from.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_module(module_inst: wasm_module_inst_t) -> wasm_module_t {
    guard(
        "wasm_runtime_get_module",
        std::ptr::null_mut(),
        || match handles::instance("wasm_runtime_get_module", module_inst) {
            Some(o) => o.module.handle().to_ptr(),
            None => std::ptr::null_mut(),
        },
    )
}

/// Attach an opaque pointer to the instance.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_custom_data(
    module_inst: wasm_module_inst_t,
    custom_data: *mut c_void,
) {
    guard("wasm_runtime_set_custom_data", (), || {
        if let Some(o) = handles::instance("wasm_runtime_set_custom_data", module_inst) {
            o.custom_data.store(custom_data as usize, Ordering::Relaxed);
        }
    })
}

/// The instance's custom data (NULL if none).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_custom_data(module_inst: wasm_module_inst_t) -> *mut c_void {
    guard(
        "wasm_runtime_get_custom_data",
        std::ptr::null_mut(),
        || match handles::instance("wasm_runtime_get_custom_data", module_inst) {
            Some(o) => o.custom_data.load(Ordering::Relaxed) as *mut c_void,
            None => std::ptr::null_mut(),
        },
    )
}

/// Only `Mode_Interp` is available (0, WAMR's `Mode_Default`, selects it too).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_running_mode(
    module_inst: wasm_module_inst_t,
    running_mode: RunningMode,
) -> bool {
    guard("wasm_runtime_set_running_mode", false, || {
        const API: &str = "wasm_runtime_set_running_mode";
        if handles::instance(API, module_inst).is_none() {
            return false;
        }
        if running_mode == 0 || running_mode == Mode_Interp {
            true
        } else {
            api_error(
                API,
                &format!("running mode {running_mode} is not supported (only Mode_Interp)"),
            );
            false
        }
    })
}

/// `Mode_Interp` (0 for an invalid instance).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_running_mode(module_inst: wasm_module_inst_t) -> RunningMode {
    guard(
        "wasm_runtime_get_running_mode",
        0,
        || match handles::instance("wasm_runtime_get_running_mode", module_inst) {
            Some(_) => Mode_Interp,
            None => 0,
        },
    )
}
