//! Name-based import resolution: host functions by `(module, name)`, other instances' exports,
//! and WAMR's policy for function imports nobody provides.

use std::collections::HashMap;
use std::sync::Arc;

use super::func::HostFunc;
use super::store::{Extern, InstanceAddr, Store};
use crate::error::InstantiateError;
use crate::module::{ImportDesc, Module};
use crate::types::FuncType;

/// Builds a host function for a given import signature, or explains why it cannot (used for
/// natives whose type comes from the import, such as WAMR natives without a signature string).
pub type HostFuncFactory = dyn Fn(&FuncType) -> Result<HostFunc, String> + Send + Sync;

/// What a name can be bound to.
#[derive(Clone)]
pub enum Definition {
    /// A host function with a fixed signature (instantiated into each store that uses it).
    Func(HostFunc),
    /// A host function whose signature is decided by the import.
    FuncFactory(Arc<HostFuncFactory>),
    /// An entity already in the store.
    Extern(Extern),
}

impl std::fmt::Debug for Definition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Definition::Func(h) => write!(f, "Func({h:?})"),
            Definition::FuncFactory(_) => f.write_str("FuncFactory"),
            Definition::Extern(e) => write!(f, "Extern({e:?})"),
        }
    }
}

/// A set of named definitions used to instantiate modules.
#[derive(Debug, Clone, Default)]
pub struct Linker {
    defs: HashMap<(String, String), Definition>,
    /// Leave unresolved *function* imports unlinked (calls trap) instead of failing, as WAMR.
    pub allow_unlinked_funcs: bool,
}

impl Linker {
    /// An empty linker with WAMR's policy (unlinked functions allowed).
    pub fn new() -> Linker {
        Linker {
            defs: HashMap::new(),
            allow_unlinked_funcs: true,
        }
    }

    /// Define `module.name`.
    pub fn define(&mut self, module: &str, name: &str, def: Definition) -> &mut Linker {
        self.defs
            .insert((module.to_string(), name.to_string()), def);
        self
    }

    /// Define a host function.
    pub fn func(&mut self, module: &str, name: &str, f: HostFunc) -> &mut Linker {
        self.define(module, name, Definition::Func(f))
    }

    /// Look up a definition.
    pub fn get(&self, module: &str, name: &str) -> Option<&Definition> {
        self.defs.get(&(module.to_string(), name.to_string()))
    }

    /// True if `module.name` is defined.
    pub fn contains(&self, module: &str, name: &str) -> bool {
        self.get(module, name).is_some()
    }

    /// The function imports of `module` that [`Linker::resolve`] leaves unlinked (no
    /// definition, or one of another type): WAMR warns about each when instantiating.
    pub fn unlinked_funcs<'m>(&self, module: &'m Module) -> Vec<&'m crate::module::Import> {
        module
            .imports()
            .iter()
            .filter(|imp| self.is_unlinked_func(module, imp))
            .collect()
    }

    /// True if `imp`, an import of `module`, is a function [`Linker::resolve`] leaves
    /// unlinked (no definition, or one of another type).
    pub fn is_unlinked_func(&self, module: &Module, imp: &crate::module::Import) -> bool {
        let ImportDesc::Func(t) = &imp.desc else {
            return false;
        };
        !self.provides_func(&imp.module, &imp.name, &module.types()[t.index()])
    }

    /// True if `module.name` is a function this linker can provide with type `ty` (what the
    /// multi-module loader asks before looking at sub-modules: natives come first).
    pub fn provides_func(&self, module: &str, name: &str, ty: &FuncType) -> bool {
        match self.get(module, name) {
            Some(Definition::Func(h)) => h.ty() == ty,
            Some(Definition::FuncFactory(make)) => make(ty).is_ok(),
            Some(Definition::Extern(Extern::Func(_))) => true,
            _ => false,
        }
    }

    /// Define every export of `inst` under module name `module`.
    pub fn instance(&mut self, store: &Store, module: &str, inst: InstanceAddr) -> &mut Linker {
        if let Some(i) = store.instance(inst) {
            for e in i.module().exports() {
                if let Some(x) = i.extern_of(e.kind, e.index) {
                    self.define(module, &e.name, Definition::Extern(x));
                }
            }
        }
        self
    }

    /// Resolve the imports of `module` in `store` (host functions are added to the store).
    pub fn resolve(
        &self,
        store: &mut Store,
        module: &Module,
    ) -> Result<Vec<Option<Extern>>, InstantiateError> {
        let mut out = Vec::with_capacity(module.imports().len());
        for imp in module.imports() {
            let def = self.get(&imp.module, &imp.name);
            let ext = match (def, &imp.desc) {
                (Some(Definition::Extern(e)), _) => Some(*e),
                (Some(Definition::Func(h)), ImportDesc::Func(t)) => {
                    if h.ty() == &*module.types()[t.index()] {
                        Some(Extern::Func(store.add_host_func(h.clone())))
                    } else if self.allow_unlinked_funcs {
                        // WAMR leaves a native with the wrong signature unlinked.
                        None
                    } else {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type: function ({}, {})",
                            imp.module, imp.name
                        )));
                    }
                }
                (Some(Definition::FuncFactory(make)), ImportDesc::Func(t)) => {
                    let ty = &module.types()[t.index()];
                    match make(ty) {
                        Ok(h) => Some(Extern::Func(store.add_host_func(h))),
                        Err(_) if self.allow_unlinked_funcs => None,
                        Err(why) => return Err(InstantiateError::Link(why)),
                    }
                }
                (None, ImportDesc::Func(_)) if self.allow_unlinked_funcs => None,
                (_, desc) => {
                    return Err(InstantiateError::Link(format!(
                        "failed to link import {} ({}, {})",
                        desc.kind().name(),
                        imp.module,
                        imp.name
                    )));
                }
            };
            out.push(ext);
        }
        Ok(out)
    }

    /// Resolve imports and instantiate.
    pub fn instantiate(
        &self,
        store: &mut Store,
        module: &Module,
    ) -> Result<InstanceAddr, InstantiateError> {
        let imports = self.resolve(store, module)?;
        store.instantiate(module, &imports)
    }
}
