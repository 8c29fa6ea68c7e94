//! WAMR's multi-module feature (`WASM_ENABLE_MULTI_MODULE=1`): imports that name another
//! wasm module are resolved against a registry of loaded modules, or against modules read on
//! demand through a reader; each instance of a parent instantiates its dependencies privately.
//!
//! - [`Registry`]: the list of loaded modules (most recent first, optionally named), the
//!   reader, and the "loading" list that detects circular dependencies.
//! - [`Registry::load`] (in `multi_module_load`): resolves a module's imports at load time in
//!   WAMR's order and returns a [`LoadedModule`] (the module, its dependency list and, for
//!   each import, which dependency provides it).
//! - [`instantiate`]: instantiates a loaded module into a store, first instantiating every
//!   dependency (recursively, once per parent instance, each its own instance and therefore
//!   its own compartment); imported functions are the sub-instance's functions (calls cross
//!   the compartment switcher), imported memories, tables and globals are the sub-instance's
//!   objects.
//!
//! Modules copy their binary, so a reader's buffer is never read after the load; it is still
//! handed back (its `release`) when WAMR would: at [`Registry::clear`] for a registered
//! sub-module, immediately when the buffer is unusable.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use super::linker::{Definition, Linker};
use super::store::{Extern, InstanceAddr, Store};
use crate::error::InstantiateError;
use crate::module::Module;
use crate::types::FuncType;

/// Module names that are never read through the reader nor registrable (WAMR's built-ins).
pub const BUILT_IN_MODULES: [&str; 4] = ["env", "wasi_unstable", "wasi_snapshot_preview1", ""];

/// True for a built-in module name.
pub fn is_built_in(name: &str) -> bool {
    BUILT_IN_MODULES.contains(&name)
}

/// A module binary handed over by a reader.
pub struct ReadBuffer {
    /// The binary (copied from the reader's buffer).
    pub bytes: Vec<u8>,
    /// Gives the reader's buffer back (WAMR's destroyer); `None` if nobody can release it.
    pub release: Option<Box<dyn FnOnce() + Send>>,
}

/// Reads the binary of the module called `name` (`None`: no such module).
pub type ModuleReader = dyn Fn(&str) -> Option<ReadBuffer> + Send + Sync;

/// What the embedder tells the loader.
pub struct LoadHooks<'a> {
    /// True if the host provides function `(module, name)` of type `ty` (natives are tried
    /// before any sub-module).
    pub is_native: &'a dyn Fn(&str, &str, &FuncType) -> bool,
    /// True if global `(module, name)` is one of the host's built-in globals (libc-builtin's
    /// `global.NaN` / `global.Infinity`), which WAMR checks before any sub-module.
    pub is_builtin_global: &'a dyn Fn(&str, &str) -> bool,
    /// Receives WAMR's load-time warnings (`failed to link function ...`).
    pub warn: &'a dyn Fn(&str),
    /// Refuse WASI commands (modules exporting `_start`) as sub-modules (WAMR with libc-wasi).
    pub reject_command_sub_modules: bool,
}

/// A loaded module with its resolved dependencies.
pub struct LoadedModule {
    id: u64,
    module: Module,
    /// The modules this one imports from, by import module name, in order of first use.
    deps: Vec<(String, Arc<LoadedModule>)>,
    /// For each import: the index in `deps` of the module providing it, or `None` (left to
    /// the host linker: natives, WASI, built-in names, or unresolved).
    links: Vec<Option<usize>>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl LoadedModule {
    pub(crate) fn new(
        module: Module,
        deps: Vec<(String, Arc<LoadedModule>)>,
        links: Vec<Option<usize>>,
    ) -> LoadedModule {
        LoadedModule {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            module,
            deps,
            links,
        }
    }

    /// A module without multi-module resolution (every import left to the host).
    pub fn standalone(module: Module) -> Arc<LoadedModule> {
        let n = module.imports().len();
        Arc::new(LoadedModule::new(module, Vec::new(), vec![None; n]))
    }

    /// Process-unique id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The module.
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// The dependencies (import module name, module), in WAMR's instantiation order.
    pub fn deps(&self) -> &[(String, Arc<LoadedModule>)] {
        &self.deps
    }

    /// The dependency of this module called `name`, if it has one.
    pub fn dep(&self, name: &str) -> Option<&Arc<LoadedModule>> {
        self.deps.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    /// True if import `i` is provided by a sub-module.
    pub fn import_from_dep(&self, i: usize) -> bool {
        matches!(self.links.get(i), Some(Some(_)))
    }

    /// The imports left to the host linker (natives, WASI, built-ins, unresolved ones).
    pub fn host_imports(&self) -> impl Iterator<Item = &crate::module::Import> {
        self.module
            .imports()
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.import_from_dep(*i))
            .map(|(_, imp)| imp)
    }
}

impl std::fmt::Debug for LoadedModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedModule")
            .field("id", &self.id)
            .field(
                "deps",
                &self.deps.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// Why [`Registry::register`] refused (texts are WAMR's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterError {
    /// The name is a built-in module name.
    BuiltIn,
    /// The module is already registered under another name.
    Rename,
}

impl std::fmt::Display for RegisterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RegisterError::BuiltIn => {
                "Register module failed: can not register as a built-in module"
            }
            RegisterError::Rename => "Register module failed: failed to rename the module",
        })
    }
}

struct Entry {
    name: Option<String>,
    module: Arc<LoadedModule>,
    release: Option<Box<dyn FnOnce() + Send>>,
}

#[derive(Default)]
pub(crate) struct State {
    /// Newest first (WAMR inserts at the head of its list).
    entries: Vec<Entry>,
    /// Names of the sub-modules being loaded.
    pub(crate) loading: Vec<String>,
    pub(crate) reader: Option<Arc<ModuleReader>>,
}

/// The registered-module list, the reader and the loading list.
#[derive(Default)]
pub struct Registry {
    pub(crate) state: Mutex<State>,
}

impl Registry {
    /// An empty registry without a reader.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Install (or remove) the reader used for modules that are neither built-in nor
    /// registered.
    pub fn set_reader(&self, reader: Option<Arc<ModuleReader>>) {
        self.state.lock().reader = reader;
    }

    /// True if a reader is installed.
    pub fn has_reader(&self) -> bool {
        self.state.lock().reader.is_some()
    }

    /// Put `module` on the list without a name (what every load does).
    pub fn add_unnamed(&self, module: &Arc<LoadedModule>) {
        self.insert(None, module, None);
    }

    pub(crate) fn insert(
        &self,
        name: Option<&str>,
        module: &Arc<LoadedModule>,
        release: Option<Box<dyn FnOnce() + Send>>,
    ) {
        self.state.lock().entries.insert(
            0,
            Entry {
                name: name.map(str::to_string),
                module: module.clone(),
                release,
            },
        );
    }

    /// Register `module` as `name` with WAMR's rules: a built-in name is refused; a module on
    /// the list without a name gets it; the same name again is a no-op; another name is
    /// refused. Distinct modules may share a name (lookups find the newest entry).
    pub fn register(&self, name: &str, module: &Arc<LoadedModule>) -> Result<(), RegisterError> {
        if is_built_in(name) {
            return Err(RegisterError::BuiltIn);
        }
        let mut st = self.state.lock();
        if let Some(e) = st.entries.iter_mut().find(|e| e.module.id == module.id) {
            return match &e.name {
                Some(n) if n == name => Ok(()),
                Some(_) => Err(RegisterError::Rename),
                None => {
                    e.name = Some(name.to_string());
                    Ok(())
                }
            };
        }
        drop(st);
        self.insert(Some(name), module, None);
        Ok(())
    }

    /// The newest module registered as `name`.
    pub fn find(&self, name: &str) -> Option<Arc<LoadedModule>> {
        self.state
            .lock()
            .entries
            .iter()
            .find(|e| e.name.as_deref() == Some(name))
            .map(|e| e.module.clone())
    }

    /// The name `module` is registered under (`None` if unnamed or not on the list).
    pub fn name_of(&self, module: &LoadedModule) -> Option<String> {
        self.state
            .lock()
            .entries
            .iter()
            .find(|e| e.module.id == module.id)
            .and_then(|e| e.name.clone())
    }

    /// Take an unnamed module off the list (an unload of a module nobody can look up);
    /// returns false if it is named (it then stays until [`Registry::clear`], as in WAMR).
    pub fn remove_unnamed(&self, module: &LoadedModule) -> bool {
        let mut st = self.state.lock();
        match st.entries.iter().position(|e| e.module.id == module.id) {
            Some(i) if st.entries[i].name.is_none() => {
                st.entries.remove(i);
                true
            }
            Some(_) => false,
            None => true,
        }
    }

    /// Empty the list (runtime destroy): every module is dropped, then each reader buffer is
    /// released. The reader stays installed.
    pub fn clear(&self) {
        let entries = {
            let mut st = self.state.lock();
            st.loading.clear();
            std::mem::take(&mut st.entries)
        };
        for e in entries {
            drop(e.module);
            if let Some(r) = e.release {
                r();
            }
        }
    }
}

/// A reader of `<dir>/<name>.wasm` (iwasm's `--module-path`; WAMR's iwasm uses `.` by
/// default). `on_error` receives the path of a file that cannot be read.
pub fn dir_reader(
    dir: impl Into<std::path::PathBuf>,
    on_error: impl Fn(&str) + Send + Sync + 'static,
) -> Arc<ModuleReader> {
    let dir: std::path::PathBuf = dir.into();
    Arc::new(move |name: &str| {
        let path = format!("{}/{name}.wasm", dir.display());
        match std::fs::read(&path) {
            Ok(bytes) => Some(ReadBuffer {
                bytes,
                release: Some(Box::new(|| {})),
            }),
            Err(_) => {
                on_error(&path);
                None
            }
        }
    })
}

/// Instantiate `m` into `store`: first each dependency (recursively, each its own instance),
/// then `m` with its imports from those sub-instances and the rest from `host`. Returns the
/// address of `m`'s instance, which is the newest instance of the store.
pub fn instantiate(
    store: &mut Store,
    host: &Linker,
    m: &LoadedModule,
    heap_size: u32,
) -> Result<InstanceAddr, InstantiateError> {
    let from_deps = instantiate_deps(store, host, m, heap_size)?;
    if m.deps.is_empty() {
        let imports = host.resolve(store, &m.module)?;
        return store.instantiate_with_heap(&m.module, &imports, heap_size);
    }
    let mut linker = host.clone();
    for (imp, dep) in m.module.imports().iter().zip(from_deps) {
        if let Some(x) = dep {
            linker.define(&imp.module, &imp.name, Definition::Extern(x));
        }
    }
    let imports = linker.resolve(store, &m.module)?;
    store.instantiate_with_heap(&m.module, &imports, heap_size)
}

/// Instantiate the dependencies of `m` (each with `host` for its own host imports) and return,
/// for each import of `m`, the sub-instance's export that provides it (`None`: not from a
/// sub-module).
pub fn instantiate_deps(
    store: &mut Store,
    host: &Linker,
    m: &LoadedModule,
    heap_size: u32,
) -> Result<Vec<Option<Extern>>, InstantiateError> {
    let mut subs = Vec::with_capacity(m.deps.len());
    for (_, dep) in &m.deps {
        subs.push(instantiate(store, host, dep, heap_size)?);
    }
    let mut out = Vec::with_capacity(m.links.len());
    for (imp, link) in m.module.imports().iter().zip(&m.links) {
        let Some(d) = link else {
            out.push(None);
            continue;
        };
        let sub = store
            .instance(subs[*d])
            .ok_or_else(|| InstantiateError::Failed("unknown sub-module instance".into()))?;
        match sub.export(&imp.name) {
            Some(x) => out.push(Some(x)),
            None => {
                return Err(InstantiateError::Link(format!(
                    "unknown {}",
                    imp.desc.kind().name()
                )));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "multi_module_tests.rs"]
mod tests;
