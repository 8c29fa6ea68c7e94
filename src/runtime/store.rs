//! The store: owner of every runtime entity (functions, tables, memories, globals, instances).
//!
//! Entities are named by addresses (indices) into the store's arenas. Nothing is removed before
//! the store itself is dropped, so an address stays valid for the store's whole life; this is
//! what lets the interpreter keep raw pointers to instances and memories while it runs.
//! Instances and memories live behind `Arc` so their addresses in memory are stable too.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use super::compartment::{TrapOrigin, TrapPolicy};
use super::engine::Engine;
use super::exec_stack::{ExecStack, TrapFrame};
use super::func::{FuncEntity, FuncKind, HostFunc};
use super::global::Global;
use super::instance::Instance;
use super::memory::LinearMemory;
use super::table::Table;
use super::value::Val;
use crate::error::{Trap, TrapCode};
use crate::types::{FuncType, GlobalType, MAX_WASM_PAGES, MemoryType, TableType};

macro_rules! addr_newtype {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);
        impl $name {
            /// The address as a `usize` index.
            #[inline(always)]
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}

addr_newtype! {
    /// A function in a store.
    FuncAddr;
    /// A table in a store.
    TableAddr;
    /// A memory in a store.
    MemAddr;
    /// A global in a store.
    GlobalAddr;
    /// An instance in a store.
    InstanceAddr;
    /// A canonical signature id: equal ids mean structurally equal function types.
    SigId;
}

/// An entity that can be imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(FuncAddr),
    /// A table.
    Table(TableAddr),
    /// A memory.
    Memory(MemAddr),
    /// A global.
    Global(GlobalAddr),
}

/// Limits and defaults of a store.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Size of the interpreter stack in bytes (WAMR's `stack_size`).
    pub stack_size: usize,
    /// Upper bound on any memory's pages (WAMR's `max_memory_pages`).
    pub max_memory_pages: u64,
    /// What a trap does to the compartments it unwinds after they were entered from another
    /// instance (capability-model §8): poison them (default) or leave them usable.
    pub trap_policy: TrapPolicy,
}

impl Default for StoreConfig {
    fn default() -> StoreConfig {
        StoreConfig {
            stack_size: 512 * 1024,
            max_memory_pages: MAX_WASM_PAGES,
            trap_policy: TrapPolicy::Poison,
        }
    }
}

/// The owner of all runtime entities of a group of instances that may link to each other.
pub struct Store {
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) tables: Vec<Table>,
    pub(crate) memories: Vec<Arc<LinearMemory>>,
    pub(crate) globals: Vec<Arc<Global>>,
    pub(crate) instances: Vec<Arc<Instance>>,
    sig_ids: HashMap<FuncType, SigId>,
    pub(crate) interrupt: Arc<AtomicU32>,
    pub(crate) config: StoreConfig,
    /// The engine that makes and runs the code of every instance of this store.
    engine: &'static dyn Engine,
    stack: Option<ExecStack>,
    /// Call stack of the most recent trap, innermost first.
    pub(crate) last_trap_frames: Vec<TrapFrame>,
    /// Embedder data (WASI context, C API state, ...).
    pub data: Option<Box<dyn Any + Send>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("funcs", &self.funcs.len())
            .field("instances", &self.instances.len())
            .finish()
    }
}

impl Drop for Store {
    /// Dropping the store destroys its instances' compartments: their externrefs are swept
    /// (cleanups run once) and delegations from or to them are revoked.
    fn drop(&mut self) {
        for inst in &self.instances {
            super::compartment::destroy_compartment(&inst.compartment);
        }
    }
}

impl Store {
    /// An empty store whose code runs on `engine` (`Store::new` picks the default engine).
    pub fn with_engine(config: StoreConfig, engine: &'static dyn Engine) -> Store {
        Store {
            funcs: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            instances: Vec::new(),
            sig_ids: HashMap::new(),
            interrupt: Arc::new(AtomicU32::new(0)),
            config,
            engine,
            stack: None,
            last_trap_frames: Vec::new(),
            data: None,
        }
    }

    /// The store's configuration.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// The engine running this store's code.
    pub fn engine(&self) -> &'static dyn Engine {
        self.engine
    }

    /// The canonical id of a signature.
    pub fn sig_id(&mut self, ty: &FuncType) -> SigId {
        let next = SigId(self.sig_ids.len() as u32);
        *self.sig_ids.entry(ty.clone()).or_insert(next)
    }

    /// Add a host function.
    pub fn add_host_func(&mut self, f: HostFunc) -> FuncAddr {
        let sig = self.sig_id(&f.ty);
        self.push_func(FuncEntity {
            ty: f.ty.clone(),
            sig,
            kind: FuncKind::Host(f),
        })
    }

    pub(crate) fn push_func(&mut self, f: FuncEntity) -> FuncAddr {
        self.funcs.push(f);
        FuncAddr(self.funcs.len() as u32 - 1)
    }

    /// Add a table filled with `init`.
    pub fn add_table(&mut self, ty: TableType, init: Val) -> Result<TableAddr, String> {
        self.tables.push(Table::new(ty, init.to_bits())?);
        Ok(TableAddr(self.tables.len() as u32 - 1))
    }

    /// Add a memory.
    pub fn add_memory(&mut self, ty: MemoryType) -> Result<MemAddr, String> {
        let m = LinearMemory::new(ty, self.config.max_memory_pages)?;
        self.memories.push(Arc::new(m));
        Ok(MemAddr(self.memories.len() as u32 - 1))
    }

    /// Add a global.
    pub fn add_global(&mut self, ty: GlobalType, init: Val) -> GlobalAddr {
        self.globals.push(Arc::new(Global::new(ty, init.to_bits())));
        GlobalAddr(self.globals.len() as u32 - 1)
    }

    /// A function.
    pub fn func(&self, a: FuncAddr) -> Option<&FuncEntity> {
        self.funcs.get(a.index())
    }

    /// A table.
    pub fn table(&self, a: TableAddr) -> Option<&Table> {
        self.tables.get(a.index())
    }

    /// A table, mutably.
    pub fn table_mut(&mut self, a: TableAddr) -> Option<&mut Table> {
        self.tables.get_mut(a.index())
    }

    /// A memory.
    pub fn memory(&self, a: MemAddr) -> Option<&Arc<LinearMemory>> {
        self.memories.get(a.index())
    }

    /// A global.
    pub fn global(&self, a: GlobalAddr) -> Option<&Arc<Global>> {
        self.globals.get(a.index())
    }

    /// An instance.
    pub fn instance(&self, a: InstanceAddr) -> Option<&Arc<Instance>> {
        self.instances.get(a.index())
    }

    /// The newest instance (`InstanceAddr(0)` in an empty store). Multi-module dependencies are
    /// instantiated before their parent, so in a store holding one parent and its
    /// sub-instances this is the parent.
    pub fn newest_instance(&self) -> InstanceAddr {
        InstanceAddr(self.instances.len().saturating_sub(1) as u32)
    }

    /// The value of a global.
    pub fn global_get(&self, a: GlobalAddr) -> Option<Val> {
        let g = self.global(a)?;
        Some(Val::from_bits(g.ty().content, g.get()))
    }

    /// A handle that interrupts running code of this store from any thread: calls end with
    /// the trap `terminated by user` at the next call or backward branch.
    pub fn interrupt_handle(&self) -> Arc<AtomicU32> {
        self.interrupt.clone()
    }

    /// Where the last trap of a call made with [`Store::call`] / [`Store::call_raw`] came from
    /// (the innermost instance executing; see `compartment`).
    pub fn last_trap_origin(&self) -> Option<TrapOrigin> {
        self.stack.as_ref()?.switcher.trap_origin()
    }

    /// The wasm call stack of the most recent trap in this store, innermost frame first (empty
    /// if no trap happened or the trap was not raised by wasm code).
    pub fn last_trap_frames(&self) -> &[TrapFrame] {
        &self.last_trap_frames
    }

    /// Clear a pending interrupt.
    pub fn clear_interrupt(&self) {
        self.interrupt.store(0, Ordering::Relaxed);
    }

    /// Call `func` with typed arguments; returns its results.
    pub fn call(&mut self, func: FuncAddr, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let ty = self
            .func(func)
            .ok_or(Trap::Code(TrapCode::InvalidFunctionIndex))?
            .ty
            .clone();
        if args.len() != ty.params().len()
            || args.iter().zip(ty.params()).any(|(a, t)| a.ty() != *t)
        {
            return Err(Trap::Host("invalid argument types".into()));
        }
        let n = ty.params().len().max(ty.results().len());
        let mut cells = vec![0u64; n];
        for (c, a) in cells.iter_mut().zip(args) {
            *c = a.to_bits();
        }
        self.call_raw(func, &mut cells)?;
        Ok(ty
            .results()
            .iter()
            .zip(&cells)
            .map(|(t, &b)| Val::from_bits(*t, b))
            .collect())
    }

    /// Call `func` with raw cells (arguments in, results out; length `max(params, results)`).
    pub fn call_raw(&mut self, func: FuncAddr, cells: &mut [u64]) -> Result<(), Trap> {
        let mut stack = match self.stack.take() {
            Some(s) => s,
            None => ExecStack::new(self.config.stack_size),
        };
        let r = self.call_with_stack(&mut stack, func, cells);
        self.stack = Some(stack);
        r
    }

    /// Call `func` on an explicit execution stack (one per WAMR exec env).
    pub fn call_with_stack(
        &mut self,
        stack: &mut ExecStack,
        func: FuncAddr,
        cells: &mut [u64],
    ) -> Result<(), Trap> {
        let ty = self
            .func(func)
            .ok_or(Trap::Code(TrapCode::InvalidFunctionIndex))?
            .ty
            .clone();
        if cells.len() < ty.params().len().max(ty.results().len()) {
            return Err(Trap::Host("argument buffer too small".into()));
        }
        let engine = self.engine;
        engine.invoke(self, stack, func, cells)
    }

    /// Copy `len` elements between two tables of this store (`table.copy`).
    pub(crate) fn table_copy(
        &mut self,
        dst: TableAddr,
        src: TableAddr,
        d: u32,
        s: u32,
        len: u32,
    ) -> Result<(), Trap> {
        if dst == src {
            return self.tables[dst.index()].copy_within(d, s, len);
        }
        let (di, si) = (dst.index(), src.index());
        let (dst_t, src_t) = if di < si {
            let (a, b) = self.tables.split_at_mut(si);
            (&mut a[di], &b[0])
        } else {
            let (a, b) = self.tables.split_at_mut(di);
            (&mut b[0], &a[si])
        };
        dst_t.init(d, src_t.elems(), s, len)
    }
}
