//! The objects behind the WAMR API's C handles, in one leaf file.
//!
//! Each struct here is what a sealed handle of `handles` resolves to: modules, instances, exec
//! envs, functions, memories, tables, type handles and `InstantiationArgs2` builders, with the
//! few accessors that need nothing but the object itself. What an object *does* (locking an
//! instance's store, creating exec envs, loading modules) stays with the API file of its
//! concern (`instance.rs`, `exec_env.rs`, `module.rs`, ...), which adds it in its own `impl`
//! block. This file imports nothing from `capi::wamr`, so `handles.rs` and every API file can
//! import it without forming a circle.

use std::collections::{HashMap, VecDeque};
use std::ffi::CString;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::ThreadId;

use parking_lot::Mutex;

use crate::cap::SealedHandle;
use crate::module::Module;
use crate::os::native_stack;
use crate::runtime::multi_module::LoadedModule;
use crate::runtime::{ExecStack, FuncAddr, Instance, LinearMemory, Store, TableAddr};
use crate::types::{FuncType, GlobalType, MemoryType, TableType};

/// The object behind a `wasm_module_t`.
pub(crate) struct ModuleObj {
    pub id: u64,
    pub module: Module,
    pub(super) handle: OnceLock<SealedHandle>,
    /// Every name the module had, current last (old ones stay valid for C readers).
    pub(super) names: Mutex<Vec<CString>>,
    /// `(module, name)` of each import, as C strings owned by the module.
    pub import_names: Vec<(CString, CString)>,
    /// Each export's name as a C string.
    pub export_names: Vec<CString>,
    /// Cached type handles by `(kind, index)`.
    pub type_handles: Mutex<HashMap<(u8, u32), SealedHandle>>,
    /// WASI configuration given with `wasm_runtime_set_wasi_args*` and the pool setters.
    pub wasi: Mutex<WasiArgs>,
    /// The module with its multi-module dependencies (`crate::runtime::multi_module`).
    pub loaded: Arc<LoadedModule>,
}

impl ModuleObj {
    /// The module's handle.
    pub fn handle(&self) -> SealedHandle {
        self.handle.get().copied().unwrap_or(SealedHandle::NULL)
    }
}

/// WASI settings of a module or an `InstantiationArgs2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WasiArgs {
    /// True once any WASI setter ran.
    pub set: bool,
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub dirs: Vec<String>,
    pub map_dirs: Vec<String>,
    pub stdio: [i64; 3],
    pub addr_pool: Vec<String>,
    pub ns_lookup_pool: Vec<String>,
}

impl Default for WasiArgs {
    /// No WASI settings; stdio descriptors are -1 (WAMR's invalid handle: inherit the host's
    /// 0, 1, 2), as `wasm_runtime_instantiation_args_create` initialises them.
    fn default() -> WasiArgs {
        WasiArgs {
            set: false,
            argv: Vec::new(),
            env: Vec::new(),
            dirs: Vec::new(),
            map_dirs: Vec::new(),
            stdio: [-1; 3],
            addr_pool: Vec::new(),
            ns_lookup_pool: Vec::new(),
        }
    }
}

impl WasiArgs {
    /// `self` if it was set, otherwise `fallback`.
    pub fn or(self, fallback: &WasiArgs) -> WasiArgs {
        if self.set { self } else { fallback.clone() }
    }
}

/// The builder object behind `struct InstantiationArgs2 *`.
#[derive(Default, Clone)]
pub(crate) struct InstArgs2 {
    pub stack_size: u32,
    pub heap_size: u32,
    pub max_memory_pages: u32,
    pub custom_data: usize,
    pub wasi: WasiArgs,
}

/// The exception slot: the current text (`Exception: ...`) plus a few retired strings so that a
/// pointer returned by `wasm_runtime_get_exception` stays readable for a while after a change.
#[derive(Default)]
pub(crate) struct ExcState {
    pub cur: Option<CString>,
    retired: VecDeque<CString>,
}

impl ExcState {
    /// Replace the current exception.
    pub fn set(&mut self, s: Option<CString>) {
        if let Some(old) = self.cur.take() {
            self.retired.push_back(old);
            if self.retired.len() > 16 {
                self.retired.pop_front();
            }
        }
        self.cur = s;
    }
}

/// A module instance behind a `wasm_module_inst_t`.
pub(crate) struct InstObj {
    pub id: u64,
    pub module: Arc<ModuleObj>,
    pub store: Mutex<Store>,
    pub rt: OnceLock<Arc<Instance>>,
    pub interrupt: Arc<AtomicU32>,
    pub exc: Mutex<ExcState>,
    pub custom_data: AtomicUsize,
    pub stack_size: u32,
    pub handle: OnceLock<SealedHandle>,
    pub singleton: Mutex<Option<SealedHandle>>,
    pub envs: Mutex<Vec<SealedHandle>>,
    pub func_handles: Mutex<HashMap<u32, SealedHandle>>,
    pub mem_handles: Mutex<HashMap<u32, SealedHandle>>,
    pub table_handles: Mutex<HashMap<u32, SealedHandle>>,
    pub wasi_exit_code: AtomicU32,
    /// The capability core's compartment id of the instance (set after instantiation).
    pub comp: OnceLock<Option<u32>>,
}

impl InstObj {
    /// The instance's sealed handle.
    pub fn handle(&self) -> SealedHandle {
        self.handle.get().copied().unwrap_or(SealedHandle::NULL)
    }

    /// True if an exception is pending.
    pub fn has_exception(&self) -> bool {
        self.exc.lock().cur.is_some()
    }

    /// Set `Exception: <msg>` (or clear with `None`).
    pub fn set_exception(&self, msg: Option<&str>) {
        let s = msg.map(|m| {
            CString::new(format!("Exception: {m}").replace('\0', " ")).unwrap_or_default()
        });
        self.exc.lock().set(s);
        if msg.is_none() {
            self.interrupt.store(0, Ordering::Relaxed);
        }
    }
}

/// The object behind a `wasm_exec_env_t`.
pub(crate) struct ExecEnvObj {
    pub inst: Mutex<Arc<InstObj>>,
    pub stack: Mutex<ExecStack>,
    pub thread: Option<ThreadId>,
    pub user_data: AtomicUsize,
    pub native_stack_boundary: AtomicUsize,
    pub(super) handle: OnceLock<SealedHandle>,
}

impl ExecEnvObj {
    /// The exec env's handle.
    pub fn handle(&self) -> SealedHandle {
        self.handle.get().copied().unwrap_or(SealedHandle::NULL)
    }

    /// True if the calling thread may use this exec env.
    pub fn usable_on_this_thread(&self) -> bool {
        self.thread.is_none_or(|t| t == std::thread::current().id())
    }

    /// WAMR's `native_stack_boundary` of this exec env on the calling thread: the one set
    /// with `wasm_runtime_set_native_stack_boundary`, else the thread's boundary plus
    /// `WASM_STACK_GUARD_SIZE` (0: unknown, nothing is checked).
    pub fn stack_boundary(&self) -> usize {
        native_stack::exec_env_boundary(self.native_stack_boundary.load(Ordering::Relaxed))
    }
}

/// The object behind a `wasm_function_inst_t`.
pub(crate) struct FuncObj {
    pub addr: FuncAddr,
    pub ty: Arc<FuncType>,
}

/// The object behind a `wasm_memory_inst_t`.
pub(crate) struct MemObj {
    pub mem: Arc<LinearMemory>,
}

/// A table reference (the `elems` of `wasm_table_inst_t`).
pub(crate) struct TableObj {
    pub addr: TableAddr,
}

/// The object behind the type handles.
pub(crate) enum TypeObj {
    Func(Arc<FuncType>),
    Table(TableType),
    Global(GlobalType),
    Memory(MemoryType),
}
