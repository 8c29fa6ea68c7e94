//! Module instances and instantiation.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::app_heap_place::{self, HeapPlan};
use super::compartment::Compartment;
use super::func::{FuncEntity, FuncKind};
use super::global::Global;
use super::memory::LinearMemory;
use super::store::*;
use super::value::{Val, funcref_bits};
use crate::error::{InstantiateError, Trap, TrapCode};
use crate::module::{DataMode, ElemMode, ImportDesc, Module};
use crate::types::*;

/// An instantiated module. Immutable after instantiation except for the segment-dropped flags.
#[derive(Debug)]
pub struct Instance {
    pub(crate) addr: InstanceAddr,
    pub(crate) module: Module,
    pub(crate) funcs: Box<[FuncAddr]>,
    pub(crate) tables: Box<[TableAddr]>,
    pub(crate) memories: Box<[Arc<LinearMemory>]>,
    pub(crate) mem_addrs: Box<[MemAddr]>,
    pub(crate) globals: Box<[Arc<Global>]>,
    pub(crate) global_addrs: Box<[GlobalAddr]>,
    /// Canonical signature id of each type of the module's type section.
    pub(crate) sig_ids: Box<[SigId]>,
    /// Evaluated items of each element segment.
    pub(crate) elem_items: Box<[Box<[u64]>]>,
    pub(crate) elem_dropped: Box<[AtomicBool]>,
    pub(crate) data_dropped: Box<[AtomicBool]>,
    /// Capability-core state of this instance (compartment id, poison, app heap).
    pub(crate) compartment: Arc<Compartment>,
    /// Per table index: an imported externref table, whose accesses the switcher guards.
    pub(crate) guarded_tables: Box<[bool]>,
    /// Address of the module's code object, made by this store's engine (the engine reads its
    /// own code through it on every call without a lookup; see `module/code.rs`).
    pub(crate) code_addr: usize,
}

impl Instance {
    /// The instance's module.
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// The instance's address in its store.
    pub fn addr(&self) -> InstanceAddr {
        self.addr
    }

    /// Resolve an export by name.
    pub fn export(&self, name: &str) -> Option<Extern> {
        let e = self.module.export(name)?;
        self.extern_of(e.kind, e.index)
    }

    /// The entity with index `index` of kind `kind`.
    pub fn extern_of(&self, kind: ExternKind, index: u32) -> Option<Extern> {
        let i = index as usize;
        Some(match kind {
            ExternKind::Func => Extern::Func(*self.funcs.get(i)?),
            ExternKind::Table => Extern::Table(*self.tables.get(i)?),
            ExternKind::Memory => Extern::Memory(*self.mem_addrs.get(i)?),
            ExternKind::Global => Extern::Global(*self.global_addrs.get(i)?),
        })
    }

    /// Function address of function index `f`.
    pub fn func(&self, f: FuncIdx) -> Option<FuncAddr> {
        self.funcs.get(f.index()).copied()
    }

    /// The default (first) memory.
    pub fn memory0(&self) -> Option<&Arc<LinearMemory>> {
        self.memories.first()
    }

    /// The instance's compartment.
    pub fn compartment(&self) -> &Arc<Compartment> {
        &self.compartment
    }

    /// The live items of element segment `seg` (empty once dropped).
    pub(crate) fn elem(&self, seg: u32) -> &[u64] {
        let i = seg as usize;
        match self.elem_dropped.get(i) {
            Some(d) if !d.load(Ordering::Relaxed) => &self.elem_items[i],
            _ => &[],
        }
    }

    /// The live bytes of data segment `seg` (empty once dropped).
    pub(crate) fn data(&self, seg: u32) -> &[u8] {
        let i = seg as usize;
        match self.data_dropped.get(i) {
            Some(d) if !d.load(Ordering::Relaxed) => {
                &self.module.inner.bytes[self.module.inner.datas[i].bytes.clone()]
            }
            _ => &[],
        }
    }
}

/// WAMR's verbose log of a defined memory's instantiation (`Memory instantiate:` ...); for
/// memory 0 also where the app heap lies (`heap`: the placement plan, `None` without a heap).
fn log_memory_instantiate(mem: &LinearMemory, heap: Option<Option<HeapPlan>>) {
    use crate::os::log::{VERBOSE, enabled, log};
    if !enabled(VERBOSE) {
        return;
    }
    let pages = mem.len() as u64 / 65536;
    let max = mem.ty().limits.max.unwrap_or(crate::types::MAX_WASM_PAGES);
    let heap = heap.map(|plan| plan.map_or((pages * 65536, 0), |p| (p.offset, p.size)));
    for line in memory_instantiate_lines(pages, max, heap) {
        log(VERBOSE, &line);
    }
}

/// The lines of [`log_memory_instantiate`]: `heap` is (offset, size) for memory 0.
fn memory_instantiate_lines(pages: u64, max: u64, heap: Option<(u64, u64)>) -> Vec<String> {
    let mut out = vec![
        "Memory instantiate:".to_string(),
        format!("  page bytes: 65536, init pages: {pages}, max pages: {max}"),
    ];
    if let Some((offset, size)) = heap {
        out.push(format!("  heap offset: {offset}, heap size: {size}\n"));
    }
    out.push("Memory instantiate success.".to_string());
    out
}

fn link_err(kind: &str, module: &str, name: &str) -> InstantiateError {
    InstantiateError::Link(format!("failed to link import {kind} ({module}, {name})"))
}

impl Store {
    /// Instantiate `module`. `imports[i]` provides the module's `i`-th import; `None` for a
    /// function import leaves it unlinked (calls trap, as in WAMR), `None` for anything else
    /// fails. Types are checked here.
    pub fn instantiate(
        &mut self,
        module: &Module,
        imports: &[Option<Extern>],
    ) -> Result<InstanceAddr, InstantiateError> {
        self.instantiate_with_heap(module, imports, 0)
    }

    /// [`Store::instantiate`] with a host-managed app heap of `heap_size` bytes (WAMR's
    /// `heap_size` instantiation argument), placed in memory 0 as WAMR places it (see
    /// `app_heap_place`); the heap is ready before the start function runs.
    pub fn instantiate_with_heap(
        &mut self,
        module: &Module,
        imports: &[Option<Extern>],
        heap_size: u32,
    ) -> Result<InstanceAddr, InstantiateError> {
        let m = &*module.inner;
        if imports.len() != m.imports.len() {
            return Err(InstantiateError::Link("wrong number of imports".into()));
        }
        let code_addr = super::engine::bind_code(self.engine(), m)
            .map_err(|e| InstantiateError::Failed(e.to_string()))?
            as *const dyn crate::module::ModuleCode as *const () as usize;
        let heap_plan: Option<HeapPlan> =
            app_heap_place::plan(module, heap_size, self.config.max_memory_pages)
                .map_err(InstantiateError::Failed)?;
        let sig_ids: Box<[SigId]> = m.types.iter().map(|t| self.sig_id(t)).collect();
        let addr = InstanceAddr(self.instances.len() as u32);
        let mut funcs = Vec::with_capacity(m.funcs.len());
        let mut tables = Vec::with_capacity(m.tables.len());
        let mut mem_addrs = Vec::with_capacity(m.memories.len());
        let mut global_addrs = Vec::with_capacity(m.globals.len());

        for (imp, ext) in m.imports.iter().zip(imports) {
            let (mn, nm) = (&imp.module, &imp.name);
            match (&imp.desc, ext) {
                (ImportDesc::Func(t), Some(Extern::Func(fa))) => {
                    let f = self.func(*fa).ok_or_else(|| link_err("function", mn, nm))?;
                    if f.sig != sig_ids[t.index()] {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type: function ({mn}, {nm})"
                        )));
                    }
                    funcs.push(*fa);
                }
                (ImportDesc::Func(t), None) => {
                    let ty = m.types[t.index()].clone();
                    let fa = self.push_func(FuncEntity {
                        ty,
                        sig: sig_ids[t.index()],
                        kind: FuncKind::Unlinked {
                            module: mn.clone(),
                            name: nm.clone(),
                        },
                    });
                    funcs.push(fa);
                }
                (ImportDesc::Table(want), Some(Extern::Table(a))) => {
                    let t = self.table(*a).ok_or_else(|| link_err("table", mn, nm))?;
                    let have = TableType {
                        elem: t.ty().elem,
                        limits: Limits {
                            min: u64::from(t.size()),
                            max: t.ty().limits.max,
                        },
                    };
                    if have.elem != want.elem || !have.limits.matches(&want.limits) {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type: table ({mn}, {nm})"
                        )));
                    }
                    tables.push(*a);
                }
                (ImportDesc::Memory(want), Some(Extern::Memory(a))) => {
                    let mem = self.memory(*a).ok_or_else(|| link_err("memory", mn, nm))?;
                    let have = Limits {
                        min: mem.pages(),
                        max: mem.ty().limits.max,
                    };
                    if !have.matches(&want.limits) || mem.ty().shared != want.shared {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type: memory ({mn}, {nm})"
                        )));
                    }
                    mem_addrs.push(*a);
                }
                (ImportDesc::Global(want), Some(Extern::Global(a))) => {
                    let g = self.global(*a).ok_or_else(|| link_err("global", mn, nm))?;
                    if g.ty() != *want {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type: global ({mn}, {nm})"
                        )));
                    }
                    global_addrs.push(*a);
                }
                (desc, Some(_)) => {
                    return Err(InstantiateError::Link(format!(
                        "incompatible import type: {} ({mn}, {nm})",
                        desc.kind().name()
                    )));
                }
                (desc, None) => return Err(link_err(desc.kind().name(), mn, nm)),
            }
        }

        // Defined functions.
        for (i, t) in m.funcs[m.num_imported_funcs as usize..].iter().enumerate() {
            let fa = self.push_func(FuncEntity {
                ty: m.types[t.index()].clone(),
                sig: sig_ids[t.index()],
                kind: FuncKind::Wasm {
                    instance: addr,
                    def: DefinedFuncIdx(i as u32),
                },
            });
            funcs.push(fa);
        }
        // Defined tables (WebAssembly 2.0 tables start null).
        for t in &m.tables[m.num_imported_tables as usize..] {
            let a = self
                .add_table(*t, Val::from_bits(t.elem.into(), 0))
                .map_err(InstantiateError::Failed)?;
            tables.push(a);
        }
        for t in &m.memories[m.num_imported_memories as usize..] {
            let a = match heap_plan {
                // Memory 0 reshaped for the app heap (only planned for a defined memory 0).
                Some(p) if mem_addrs.is_empty() => {
                    let mut ty = *t;
                    ty.limits.min += p.extra_pages;
                    ty.limits.max = ty
                        .limits
                        .max
                        .map(|x| (x + p.extra_pages).min(crate::types::MAX_WASM_PAGES));
                    let max = self.config.max_memory_pages.saturating_add(p.extra_pages);
                    let mem = LinearMemory::new_with_tail(ty, max, p.tail_bytes)
                        .map_err(InstantiateError::Failed)?;
                    self.memories.push(Arc::new(mem));
                    MemAddr(self.memories.len() as u32 - 1)
                }
                _ => self.add_memory(*t).map_err(InstantiateError::Failed)?,
            };
            let first = mem_addrs.is_empty() && m.num_imported_memories == 0;
            log_memory_instantiate(&self.memories[a.index()], first.then_some(heap_plan));
            mem_addrs.push(a);
        }
        // Globals: initialisers may read earlier (imported) globals and take function refs.
        for (i, t) in m.globals[m.num_imported_globals as usize..]
            .iter()
            .enumerate()
        {
            let init = &m.global_inits[i];
            let bits = init.eval(
                |g| {
                    global_addrs
                        .get(g.index())
                        .map_or(0, |a: &GlobalAddr| self.globals[a.index()].get())
                },
                |f| funcs.get(f.index()).map_or(0, |a| funcref_bits(*a)),
            );
            global_addrs.push(self.add_global(*t, Val::from_bits(t.content, bits)));
        }
        // WAMR moves `__heap_base` past an app heap inserted there.
        if let Some((g, v)) = heap_plan.and_then(|p| p.heap_base) {
            self.globals[global_addrs[g as usize].index()].set(v);
        }
        let global_cells: Box<[Arc<Global>]> = global_addrs
            .iter()
            .map(|a| self.globals[a.index()].clone())
            .collect();
        // Element segment items.
        let elem_items: Box<[Box<[u64]>]> = m
            .elems
            .iter()
            .map(|seg| {
                seg.items
                    .iter()
                    .map(|e| {
                        e.eval(
                            |g| global_cells.get(g.index()).map_or(0, |c| c.get()),
                            |f| funcs.get(f.index()).map_or(0, |a| funcref_bits(*a)),
                        )
                    })
                    .collect()
            })
            .collect();
        let inst = Arc::new(Instance {
            addr,
            code_addr,
            module: module.clone(),
            funcs: funcs.into(),
            tables: tables.into(),
            memories: mem_addrs
                .iter()
                .map(|a| self.memories[a.index()].clone())
                .collect(),
            mem_addrs: mem_addrs.into(),
            globals: global_cells,
            global_addrs: global_addrs.into(),
            sig_ids,
            elem_items,
            elem_dropped: m.elems.iter().map(|_| AtomicBool::new(false)).collect(),
            data_dropped: m.datas.iter().map(|_| AtomicBool::new(false)).collect(),
            compartment: Arc::new(Compartment::new(self.config.trap_policy)),
            guarded_tables: m
                .tables
                .iter()
                .enumerate()
                .map(|(i, t)| i < m.num_imported_tables as usize && t.elem == RefType::Extern)
                .collect(),
        });
        self.instances.push(inst.clone());
        // WAMR words a segment out of bounds as a plain instantiate failure (no `Exception: `).
        self.initialize(&inst)
            .map_err(|t| InstantiateError::Failed(t.message()))?;
        app_heap_place::install(self, &inst, heap_plan).map_err(InstantiateError::Failed)?;
        if let Some(start) = m.start {
            let f = inst.funcs[start.index()];
            self.call_raw(f, &mut []).map_err(InstantiateError::Trap)?;
        }
        Ok(addr)
    }

    /// Run the active element and data segments (in order), dropping them as the spec says.
    fn initialize(&mut self, inst: &Instance) -> Result<(), Trap> {
        let m = &*inst.module.inner;
        let eval_offset = |e: &crate::module::ConstExpr| {
            e.eval(
                |g| inst.globals.get(g.index()).map_or(0, |c| c.get()),
                |f| inst.funcs.get(f.index()).map_or(0, |a| funcref_bits(*a)),
            )
        };
        for (i, seg) in m.elems.iter().enumerate() {
            match &seg.mode {
                ElemMode::Active { table, offset } => {
                    let off = eval_offset(offset) as u32;
                    let items = &inst.elem_items[i];
                    let t = inst.tables[table.index()];
                    // Into a table shared with another compartment: only GLOBAL or null
                    // references (capability-model §8).
                    if inst.guarded_tables[table.index()] {
                        for &v in items.iter() {
                            super::compartment::check_table_access(
                                inst,
                                v,
                                super::compartment::TableAccess::Write,
                            )?;
                        }
                    }
                    self.tables[t.index()].init(off, items, 0, items.len() as u32)?;
                    inst.elem_dropped[i].store(true, Ordering::Relaxed);
                }
                ElemMode::Declared => inst.elem_dropped[i].store(true, Ordering::Relaxed),
                ElemMode::Passive => {}
            }
        }
        for (i, seg) in m.datas.iter().enumerate() {
            if let DataMode::Active { memory, offset } = &seg.mode {
                let off = u64::from(eval_offset(offset) as u32);
                let mem = inst
                    .memories
                    .get(memory.index())
                    .ok_or(Trap::Code(TrapCode::MemoryOutOfBounds))?;
                mem.write(off, &m.bytes[seg.bytes.clone()])?;
                inst.data_dropped[i].store(true, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod log_tests {
    #[test]
    fn memory_instantiate_lines_are_wamrs() {
        // WAMR 2.4.3's basic sample (verbose): memory 0 of 2 pages with a 64512-byte heap.
        assert_eq!(
            super::memory_instantiate_lines(2, 65536, Some((65536, 64512))),
            [
                "Memory instantiate:",
                "  page bytes: 65536, init pages: 2, max pages: 65536",
                "  heap offset: 65536, heap size: 64512\n",
                "Memory instantiate success.",
            ]
        );
        assert_eq!(super::memory_instantiate_lines(1, 1, None).len(), 3);
    }
}
