//! Function instances: WebAssembly functions, host functions and unlinked imports.

use std::fmt;
use std::sync::Arc;

use super::exec_stack::ExecStack;
use super::memory::LinearMemory;
use super::store::{FuncAddr, InstanceAddr, SigId, Store};
use crate::error::Trap;
use crate::types::{DefinedFuncIdx, FuncType};

/// The signature of a host function body.
///
/// `cells` holds the arguments on entry (one raw 64-bit cell per parameter, see
/// [`crate::Val::to_bits`]) and receives the results (one cell per result); its length is
/// `max(params, results)`.
pub type HostFn = dyn Fn(&mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync;

/// A host function: a signature and a callback.
#[derive(Clone)]
pub struct HostFunc {
    pub(crate) ty: Arc<FuncType>,
    pub(crate) callback: Arc<HostFn>,
}

impl HostFunc {
    /// A host function of type `ty`.
    pub fn new(
        ty: FuncType,
        f: impl Fn(&mut Caller<'_>, &mut [u64]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> HostFunc {
        HostFunc {
            ty: Arc::new(ty),
            callback: Arc::new(f),
        }
    }

    /// The signature.
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }
}

impl fmt::Debug for HostFunc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HostFunc{}", self.ty)
    }
}

/// What a function instance is.
#[derive(Debug, Clone)]
pub enum FuncKind {
    /// Defined by a module instance.
    Wasm {
        /// The owning instance.
        instance: InstanceAddr,
        /// Index among the module's defined functions.
        def: DefinedFuncIdx,
    },
    /// Implemented by the host.
    Host(HostFunc),
    /// A function import nobody provided (WAMR lets instantiation succeed; calls trap).
    Unlinked {
        /// Import module name.
        module: String,
        /// Import field name.
        name: String,
    },
}

/// A function instance in a store.
#[derive(Debug, Clone)]
pub struct FuncEntity {
    pub(crate) ty: Arc<FuncType>,
    pub(crate) sig: SigId,
    pub(crate) kind: FuncKind,
}

impl FuncEntity {
    /// The signature.
    pub fn ty(&self) -> &Arc<FuncType> {
        &self.ty
    }

    /// What the function is.
    pub fn kind(&self) -> &FuncKind {
        &self.kind
    }
}

/// The context a host function runs in: the store, the engine-neutral execution stack (for
/// calling back into WebAssembly) and the calling instance.
pub struct Caller<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) stack: &'a mut ExecStack,
    pub(crate) instance: Option<InstanceAddr>,
}

impl<'a> Caller<'a> {
    /// The store.
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    /// The instance whose code called the host function (none for a direct host call).
    pub fn instance(&self) -> Option<InstanceAddr> {
        self.instance
    }

    /// The calling instance's default memory.
    pub fn memory(&self) -> Option<&LinearMemory> {
        let inst = self.store.instance(self.instance?)?;
        inst.memories.first().map(|m| &**m)
    }

    /// Call `func` re-entrantly, on the same execution stack (cells as in [`HostFn`]).
    /// A call into another instance than the caller's goes through the compartment switcher.
    pub fn call_raw(&mut self, func: FuncAddr, cells: &mut [u64]) -> Result<(), Trap> {
        super::compartment::call_from_host(self, func, cells)
    }
}
