//! Load-time import resolution of the multi-module feature, in WAMR's order (see
//! `multi_module`):
//!
//! - a function import is provided by the host if [`LoadHooks::is_native`] says so; otherwise,
//!   for a non-built-in module name, the dependency is obtained ([`Registry::dependency`]: the
//!   parent's own list, the registry, the reader) and its function export of the same name and
//!   type is linked. Failures are warnings (`failed to load sub module: ...`,
//!   `failed to link function (M, F): ...`): the import stays unlinked, the load succeeds;
//! - a global, memory or table import from a non-built-in module is linked to the export of
//!   the same kind with a compatible type; a failure leaves it to the host linker, whose
//!   instantiation then fails with `failed to link import <kind> (M, N)`;
//! - a sub-module (loaded through the reader) that exports `_start` is refused when the
//!   embedder asks for it (WASI commands cannot be sub-modules).

use std::sync::Arc;

use super::multi_module::{LoadHooks, LoadedModule, ReadBuffer, Registry, is_built_in};
use crate::module::{ImportDesc, Module};
use crate::types::{ExternKind, GlobalType, Limits, MemoryType, TableType};

const LOAD_FAILED: &str = "WASM module load failed: ";
/// WAMR's reasons (the first two carry the prefix of the runtime file that sets them).
const UNKNOWN_IMPORT: &str = "WASM module instantiate failed: unknown import";
const INCOMPATIBLE: &str = "WASM module instantiate failed: incompatible import type";
const NO_EXPORT: &str = "unknown import or incompatible import type";

/// The parent's dependency list while its imports are resolved.
type Deps = Vec<(String, Arc<LoadedModule>)>;

impl Registry {
    /// Resolve the imports of `module` (a main module: never refused as a command) and put it
    /// on the list without a name.
    pub fn load(&self, module: Module, hooks: &LoadHooks<'_>) -> Arc<LoadedModule> {
        let m = Arc::new(self.resolve(module, hooks));
        self.add_unnamed(&m);
        m
    }

    /// Resolve the imports of `module` without putting it on the list.
    pub fn resolve(&self, module: Module, hooks: &LoadHooks<'_>) -> LoadedModule {
        let mut deps: Deps = Vec::new();
        let mut links = Vec::with_capacity(module.imports().len());
        for imp in module.imports() {
            let (mn, nm) = (imp.module.as_str(), imp.name.as_str());
            let link = match &imp.desc {
                ImportDesc::Func(t) => {
                    let ty = &module.types()[t.index()];
                    if (hooks.is_native)(mn, nm, ty) {
                        None
                    } else {
                        let dep = if is_built_in(mn) {
                            Ok(None)
                        } else {
                            self.dependency(&mut deps, mn, hooks).map(Some)
                        };
                        match dep {
                            Err(e) => {
                                (hooks.warn)(&format!("failed to load sub module: {e}"));
                                None
                            }
                            Ok(d) => {
                                let r = d.ok_or(UNKNOWN_IMPORT).and_then(|d| {
                                    let (sub, i) = &d;
                                    let e = export(sub.module(), nm, ExternKind::Func)
                                        .ok_or(NO_EXPORT)?;
                                    match sub.module().func_type(crate::types::FuncIdx(e)) {
                                        Some(have) if have == &**ty => Ok(*i),
                                        _ => Err(INCOMPATIBLE),
                                    }
                                });
                                match r {
                                    Ok(i) => Some(i),
                                    Err(why) => {
                                        (hooks.warn)(&format!(
                                            "failed to link function ({mn}, {nm}): {why}"
                                        ));
                                        None
                                    }
                                }
                            }
                        }
                    }
                }
                ImportDesc::Global(_) if (hooks.is_builtin_global)(mn, nm) => None,
                desc if !is_built_in(mn) => match self.dependency(&mut deps, mn, hooks) {
                    Ok((sub, i)) => compatible(sub.module(), nm, desc).then_some(i),
                    Err(_) => None,
                },
                _ => None,
            };
            links.push(link);
        }
        LoadedModule::new(module, deps, links)
    }

    /// The dependency called `name` of the module whose list is `deps` (WAMR's
    /// `wasm_runtime_load_depended_module`): returns it with its index in `deps`.
    fn dependency(
        &self,
        deps: &mut Deps,
        name: &str,
        hooks: &LoadHooks<'_>,
    ) -> Result<(Arc<LoadedModule>, usize), String> {
        if let Some(i) = deps.iter().position(|(n, _)| n == name) {
            return Ok((deps[i].1.clone(), i));
        }
        let found = match self.find(name) {
            Some(m) => m,
            None => self.read_and_load(name, hooks)?,
        };
        deps.push((name.to_string(), found.clone()));
        Ok((found, deps.len() - 1))
    }

    /// Read sub-module `name` through the reader, load it (recursively) and register it.
    fn read_and_load(
        &self,
        name: &str,
        hooks: &LoadHooks<'_>,
    ) -> Result<Arc<LoadedModule>, String> {
        let reader = {
            let mut st = self.state.lock();
            let Some(reader) = st.reader.clone() else {
                return Err(format!("{LOAD_FAILED}no sub module reader to load {name}"));
            };
            if st.loading.iter().any(|n| n == name) {
                return Err(format!("{LOAD_FAILED}found circular dependency on {name}"));
            }
            st.loading.push(name.to_string());
            reader
        };
        let r = self.read_and_load_listed(&*reader, name, hooks);
        let mut st = self.state.lock();
        if let Some(i) = st.loading.iter().position(|n| n == name) {
            st.loading.remove(i);
        }
        drop(st);
        r
    }

    fn read_and_load_listed(
        &self,
        reader: &super::multi_module::ModuleReader,
        name: &str,
        hooks: &LoadHooks<'_>,
    ) -> Result<Arc<LoadedModule>, String> {
        let Some(ReadBuffer { bytes, release }) = reader(name) else {
            return Err(format!("{LOAD_FAILED}unknown import {name}"));
        };
        let give_back = |release: Option<Box<dyn FnOnce() + Send>>| match release {
            Some(r) => r(),
            None => (hooks.warn)(&format!(
                "need to release the reading buffer of {name} manually"
            )),
        };
        // A bytecode parent only takes bytecode sub-modules (WAMR gives no reason).
        if bytes.get(..4) != Some(&b"\0asm"[..]) {
            give_back(release);
            return Err(String::new());
        }
        let module = match Module::from_vec(bytes) {
            Ok(m) => m,
            Err(e) => {
                give_back(release);
                return Err(e.to_string());
            }
        };
        module.set_name(name);
        let loaded = self.resolve(module, hooks);
        if hooks.reject_command_sub_modules
            && export(loaded.module(), "_start", ExternKind::Func).is_some()
        {
            give_back(release);
            return Err(format!(
                "{LOAD_FAILED}a command (with _start function) can not be a sub-module"
            ));
        }
        let loaded = Arc::new(loaded);
        self.insert(Some(name), &loaded, release);
        Ok(loaded)
    }
}

/// The index of `module`'s export `name` of kind `kind`.
fn export(module: &Module, name: &str, kind: ExternKind) -> Option<u32> {
    module
        .exports()
        .iter()
        .find(|e| e.name == name && e.kind == kind)
        .map(|e| e.index)
}

/// True if `sub` exports `name` with a type WAMR accepts for the import `want`.
fn compatible(sub: &Module, name: &str, want: &ImportDesc) -> bool {
    let Some(i) = export(sub, name, want.kind()) else {
        return false;
    };
    let i = i as usize;
    match want {
        ImportDesc::Global(w) => sub.globals().get(i).is_some_and(|g: &GlobalType| g == w),
        ImportDesc::Memory(w) => sub
            .memories()
            .get(i)
            .is_some_and(|m: &MemoryType| limits_ok(&m.limits, &w.limits) && m.shared == w.shared),
        ImportDesc::Table(w) => sub
            .tables()
            .get(i)
            .is_some_and(|t: &TableType| t.elem == w.elem && limits_ok(&t.limits, &w.limits)),
        ImportDesc::Func(_) => false,
    }
}

/// WAMR's check: the sub-module's initial size is at least the declared one and its maximum
/// at most the declared one (an absent declared maximum accepts any).
fn limits_ok(have: &Limits, want: &Limits) -> bool {
    have.matches(want)
}
