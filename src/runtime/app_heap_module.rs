//! `wasm_runtime_module_malloc/free/realloc/dup_data`: allocation in an
//! instance's linear memory, served as WAMR serves it.
//!
//! * An instance with an app heap (placed at instantiation, or shared through
//!   an imported memory) allocates from the sealed [`AppHeap`], with the
//!   instance's compartment as the block owner.
//! * An instance of a module that exports `malloc`/`free` (and therefore got
//!   no heap) has those wasm functions called. That allocator is the module's
//!   own: its metadata is in its memory, which only harms the module itself;
//!   the host still checks that a returned block lies inside the memory.
//!   `realloc` is not offered on this path (WAMR: "only support realloc in
//!   WAMR's app heap").
//! * Otherwise allocation fails (0).
//!
//! The functions take anything that can call into wasm ([`WasmCallCx`]): a
//! [`Store`] from the host, or the [`Caller`] of a native that allocates on
//! behalf of its guest (libc-builtin `malloc`, `strdup`, ...).

#![forbid(unsafe_code)]

use std::sync::Arc;

use super::app_heap::{AppHeap, HeapError};
use super::app_heap_place::{exported_allocator, place_late};
use super::compartment::CompartmentId;
use super::func::Caller;
use super::store::{FuncAddr, InstanceAddr, Store};
use crate::cap::violation::{self, Violation, ViolationKind};
use crate::cap::{OType, Perms};
use crate::error::Trap;

/// Something that can run wasm code of a store: the store itself, or a host
/// function's [`Caller`] (re-entrant, on the caller's interpreter stack).
pub trait WasmCallCx {
    /// The store.
    fn store_ref(&self) -> &Store;
    /// Calls `func` with raw cells (see [`Store::call_raw`]).
    fn call_cells(&mut self, func: FuncAddr, cells: &mut [u64]) -> Result<(), Trap>;
}

impl WasmCallCx for Store {
    fn store_ref(&self) -> &Store {
        self
    }
    fn call_cells(&mut self, func: FuncAddr, cells: &mut [u64]) -> Result<(), Trap> {
        self.call_raw(func, cells)
    }
}

impl WasmCallCx for Caller<'_> {
    fn store_ref(&self) -> &Store {
        self.store
    }
    fn call_cells(&mut self, func: FuncAddr, cells: &mut [u64]) -> Result<(), Trap> {
        self.call_raw(func, cells)
    }
}

/// Which allocator serves an instance.
#[derive(Clone, Debug)]
pub enum ModuleAllocator {
    /// The sealed app heap (block owner: `owner`).
    Heap {
        /// The heap.
        heap: Arc<AppHeap>,
        /// The instance's compartment.
        owner: CompartmentId,
    },
    /// The module's exported `malloc`/`free`.
    Exported {
        /// `malloc: (i32) -> i32`
        malloc: FuncAddr,
        /// `free: (i32) -> ()`
        free: FuncAddr,
    },
    /// No allocator: every allocation fails.
    None,
}

/// Why `module_free` did nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleFreeError {
    /// The app heap refused the offset (recorded as a violation).
    Heap(HeapError),
    /// The module's `free` trapped.
    Trap(Trap),
    /// The offset is outside linear memory (module allocator path).
    OutOfMemory,
    /// The instance has no allocator (or does not exist).
    NoAllocator,
}

impl std::fmt::Display for ModuleFreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModuleFreeError::Heap(e) => e.fmt(f),
            ModuleFreeError::Trap(t) => t.fmt(f),
            ModuleFreeError::OutOfMemory => f.write_str("free of an offset outside linear memory"),
            ModuleFreeError::NoAllocator => f.write_str("instance has no app heap"),
        }
    }
}

impl std::error::Error for ModuleFreeError {}

impl AppHeap {
    /// The heap of instance `inst`, as placed at instantiation
    /// ([`Store::instantiate_with_heap`]); if it has none yet and `heap_size >
    /// 0`, one is placed now by appending whole pages to memory 0 (possible
    /// when its maximum allows). `Ok(None)`: the instance gets no heap (no
    /// memory, heap size 0, or the module brings its own `malloc`/`free`).
    pub fn attach(
        store: &mut Store,
        inst: InstanceAddr,
        heap_size: u32,
    ) -> Result<Option<Arc<AppHeap>>, String> {
        let i = store.instance(inst).ok_or("no such instance")?.clone();
        if let Some(h) = i.compartment.app_heap() {
            return Ok(Some(h.clone()));
        }
        if heap_size == 0 || i.memories.is_empty() || exported_allocator(i.module()).is_some() {
            return Ok(None);
        }
        place_late(&i.compartment, &i, heap_size).map(Some)
    }

    /// The heap serving instance `inst`, if any.
    pub fn of(store: &Store, inst: InstanceAddr) -> Option<Arc<AppHeap>> {
        store.instance(inst)?.compartment.app_heap().cloned()
    }
}

/// The allocator serving instance `inst`.
pub fn allocator(store: &Store, inst: InstanceAddr) -> ModuleAllocator {
    let Some(i) = store.instance(inst) else {
        return ModuleAllocator::None;
    };
    if let Some(h) = i.compartment.app_heap() {
        return ModuleAllocator::Heap {
            heap: h.clone(),
            owner: i.compartment.id(),
        };
    }
    match exported_allocator(i.module()) {
        Some((m, f)) if !i.memories.is_empty() => ModuleAllocator::Exported {
            malloc: i.funcs[m as usize],
            free: i.funcs[f as usize],
        },
        _ => ModuleAllocator::None,
    }
}

fn mem_len(store: &Store, inst: InstanceAddr) -> u64 {
    store
        .instance(inst)
        .and_then(|i| i.memory0())
        .map_or(0, |m| m.len() as u64)
}

/// Allocates `size` bytes for instance `inst`; the offset, or 0 when nothing
/// could be allocated. `Err` only if the module's own `malloc` trapped.
pub fn module_malloc(cx: &mut impl WasmCallCx, inst: InstanceAddr, size: u64) -> Result<u64, Trap> {
    let off = module_malloc_quiet(cx, inst, size)?;
    if off == 0 {
        // WAMR's wasm_runtime_module_malloc logs every failed allocation (default level).
        crate::os::log::log(
            crate::os::log::WARNING,
            &format!("warning: allocate {size} bytes memory failed"),
        );
    }
    Ok(off)
}

fn module_malloc_quiet(
    cx: &mut impl WasmCallCx,
    inst: InstanceAddr,
    size: u64,
) -> Result<u64, Trap> {
    match allocator(cx.store_ref(), inst) {
        ModuleAllocator::Heap { heap, owner } => Ok(heap.malloc_for(owner, size).unwrap_or(0)),
        ModuleAllocator::Exported { malloc, .. } => {
            let Ok(n) = u32::try_from(size) else {
                return Ok(0);
            };
            let mut cells = [u64::from(n)];
            cx.call_cells(malloc, &mut cells)?;
            let off = u64::from(cells[0] as u32);
            // The module's allocator is not trusted with the host: a block
            // the host would write must lie inside the memory.
            let len = mem_len(cx.store_ref(), inst);
            if off == 0 || off.checked_add(size).is_none_or(|end| end > len) {
                if off != 0 {
                    violation::record(&Violation {
                        kind: ViolationKind::CapBounds,
                        compartment: super::compartment::of(cx.store_ref(), inst).map(|c| c.id().0),
                        addr: off,
                        len: size,
                        perms: Perms::STORE,
                        otype: OType::UNSEALED,
                    });
                }
                return Ok(0);
            }
            Ok(off)
        }
        ModuleAllocator::None => Ok(0),
    }
}

/// Frees `off` for instance `inst`. Offset 0 is a no-op.
pub fn module_free(
    cx: &mut impl WasmCallCx,
    inst: InstanceAddr,
    off: u64,
) -> Result<(), ModuleFreeError> {
    if off == 0 {
        return Ok(());
    }
    match allocator(cx.store_ref(), inst) {
        ModuleAllocator::Heap { heap, owner } => {
            heap.free_for(owner, off).map_err(ModuleFreeError::Heap)
        }
        ModuleAllocator::Exported { free, .. } => {
            if off >= mem_len(cx.store_ref(), inst) {
                return Err(ModuleFreeError::OutOfMemory);
            }
            let mut cells = [off];
            cx.call_cells(free, &mut cells)
                .map_err(ModuleFreeError::Trap)
        }
        ModuleAllocator::None => Err(ModuleFreeError::NoAllocator),
    }
}

/// Resizes the block at `off` to `size` bytes for instance `inst` (app heap
/// only); the new offset, or 0 on failure (a refused offset is recorded).
pub fn module_realloc(store: &Store, inst: InstanceAddr, off: u64, size: u64) -> u64 {
    match allocator(store, inst) {
        ModuleAllocator::Heap { heap, owner } => heap
            .realloc_for(owner, off, size)
            .ok()
            .flatten()
            .unwrap_or(0),
        _ => 0,
    }
}

/// Allocates a block holding a copy of `data` for instance `inst`; its offset,
/// or 0. `Err` only if the module's own `malloc` trapped.
pub fn module_dup_data(
    cx: &mut impl WasmCallCx,
    inst: InstanceAddr,
    data: &[u8],
) -> Result<u64, Trap> {
    let off = module_malloc(cx, inst, data.len() as u64)?;
    if off == 0 {
        return Ok(0);
    }
    let wrote = cx
        .store_ref()
        .instance(inst)
        .and_then(|i| i.memory0())
        .is_some_and(|m| m.write(off, data).is_ok());
    if wrote {
        Ok(off)
    } else {
        let _ = module_free(cx, inst, off);
        Ok(0)
    }
}
