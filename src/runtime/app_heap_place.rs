//! Where the app heap goes in linear memory: WAMR 2.4's placement rules,
//! re-derived from its documented behaviour (our own code).
//!
//! Given the host-managed heap size requested at instantiation
//! (`wasm_runtime_instantiate(.., heap_size, ..)`):
//! 1. the size is rounded up to 8 and capped at 512 MiB; 0 means no heap;
//! 2. a module exporting `malloc: (i32)->i32` and `free: (i32)->()` (both
//!    defined in the module) gets no heap: its own allocator serves
//!    `module_malloc/free` instead;
//! 3. only a memory 0 the module defines gets a heap (an imported one may
//!    share the exporter's heap, see `install`);
//! 4. memory of exactly one page that cannot grow: the heap is appended after
//!    the page (the memory becomes `64 KiB + heap` bytes, still one page);
//! 5. memory of zero pages that cannot grow: the memory becomes the heap;
//! 6. module exporting an immutable i32 `__heap_base` below the initial size:
//!    the heap is inserted at `__heap_base`, the initial and maximum page
//!    counts grow by the pages needed, and `__heap_base` moves to the end of
//!    the heap (plus 1 KiB if that end is within 1 KiB of a page end);
//! 7. otherwise: whole pages are appended (`ceil(heap / 64 KiB)`), the heap
//!    covers them but their last 1 KiB;
//! 8. initial pages beyond 65536 fail instantiation with WAMR's message.

#![forbid(unsafe_code)]

use std::sync::Arc;

use super::app_heap::AppHeap;
use super::compartment::Compartment;
use super::instance::Instance;
use super::store::Store;
use crate::module::{ConstOp, Module};
use crate::types::{ExternKind, FuncType, MAX_WASM_PAGES, ValType, WASM_PAGE_SIZE};

/// Largest app heap (WAMR's `APP_HEAP_SIZE_MAX`).
pub const APP_HEAP_SIZE_MAX: u64 = 512 * 1024 * 1024;

/// WAMR's error when the heap does not fit.
pub const HEAP_INSERT_FAILED: &str =
    "failed to insert app heap into linear memory, try using `--heap-size=0` option";

const KB: u64 = 1024;

/// How memory 0 is reshaped for the heap, and where the heap lies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct HeapPlan {
    /// Heap offset in linear memory.
    pub offset: u64,
    /// Heap size in bytes.
    pub size: u64,
    /// Pages added to memory 0's initial (and maximum) size.
    pub extra_pages: u64,
    /// Bytes appended after the last page (rules 4 and 5).
    pub tail_bytes: u64,
    /// New value of the `__heap_base` global (module global index, value).
    pub heap_base: Option<(u32, u64)>,
}

/// The module's own allocator (`malloc`/`free` exports), as function indices.
pub fn exported_allocator(module: &Module) -> Option<(u32, u32)> {
    let defined_func = |name: &str, want: &FuncType| {
        let e = module.export(name)?;
        if e.kind != ExternKind::Func || e.index < module.num_imported_funcs() {
            return None;
        }
        let ty = module.func_type(crate::types::FuncIdx(e.index))?;
        (ty == want).then_some(e.index)
    };
    let malloc_ty = FuncType::new([ValType::I32], [ValType::I32]);
    let free_ty = FuncType::new([ValType::I32], []);
    Some((
        defined_func("malloc", &malloc_ty)?,
        defined_func("free", &free_ty)?,
    ))
}

/// The exported `__heap_base`: (global index, value) when it is a defined,
/// immutable i32 global initialised by an `i32.const`.
pub fn heap_base_global(module: &Module) -> Option<(u32, u64)> {
    let e = module.export("__heap_base")?;
    let m = &*module.inner;
    if e.kind != ExternKind::Global || e.index < m.num_imported_globals {
        return None;
    }
    let ty = m.globals.get(e.index as usize)?;
    if ty.content != ValType::I32 || ty.mutable {
        return None;
    }
    let init = m
        .global_inits
        .get((e.index - m.num_imported_globals) as usize)?;
    match init.ops() {
        [ConstOp::I32(v)] => Some((e.index, u64::from(*v as u32))),
        _ => None,
    }
}

/// The plan for instantiating `module` with a heap of `heap_size` bytes, when
/// memory pages are capped at `max_memory_pages`. `Ok(None)`: no heap.
pub(crate) fn plan(
    module: &Module,
    heap_size: u32,
    max_memory_pages: u64,
) -> Result<Option<HeapPlan>, String> {
    let size = (u64::from(heap_size) + 7) & !7;
    let size = size.min(APP_HEAP_SIZE_MAX);
    let m = &*module.inner;
    if size == 0 || exported_allocator(module).is_some() || m.num_imported_memories > 0 {
        return Ok(None);
    }
    let Some(mem) = m.memories.first() else {
        return Ok(None);
    };
    let init = mem.limits.min;
    let max = mem
        .limits
        .max
        .unwrap_or(MAX_WASM_PAGES)
        .min(max_memory_pages.max(init))
        .max(init);
    let init_bytes = init * WASM_PAGE_SIZE;
    if init_bytes >= MAX_WASM_PAGES * WASM_PAGE_SIZE {
        return Err(HEAP_INSERT_FAILED.to_string());
    }
    let mut p = HeapPlan {
        offset: init_bytes,
        size,
        extra_pages: 0,
        tail_bytes: 0,
        heap_base: None,
    };
    if init == max && init == 1 {
        p.offset = WASM_PAGE_SIZE;
        p.tail_bytes = size;
        return Ok(Some(p));
    }
    if init == max && init == 0 {
        p.offset = 0;
        p.tail_bytes = size;
        return Ok(Some(p));
    }
    match heap_base_global(module) {
        Some((g, base)) if base < init_bytes => {
            let to_page_end = |at: u64| {
                let last = match at % WASM_PAGE_SIZE {
                    0 => WASM_PAGE_SIZE,
                    r => r,
                };
                WASM_PAGE_SIZE - last
            };
            let room = to_page_end(base);
            let mut inc = size.saturating_sub(room).div_ceil(WASM_PAGE_SIZE);
            p.offset = base;
            let mut new_base = base + size;
            if to_page_end(new_base) < KB {
                new_base += KB;
                inc += 1;
            }
            p.extra_pages = inc;
            p.heap_base = Some((g, new_base));
        }
        _ => {
            let inc = size.div_ceil(WASM_PAGE_SIZE);
            p.extra_pages = inc;
            p.size = inc * WASM_PAGE_SIZE - KB;
        }
    }
    if init + p.extra_pages > MAX_WASM_PAGES {
        return Err(HEAP_INSERT_FAILED.to_string());
    }
    Ok(Some(p))
}

/// Installs the heap of a freshly initialised instance: the one `plan`
/// placed in its memory 0, or, when memory 0 is imported from an instance of
/// the same store that has a heap, that heap (shared; blocks keep their owner).
pub(crate) fn install(
    store: &Store,
    inst: &Instance,
    plan: Option<HeapPlan>,
) -> Result<(), String> {
    let Some(mem) = inst.memories.first() else {
        return Ok(());
    };
    let heap = match plan {
        Some(p) => Arc::new(AppHeap::new(
            mem.clone(),
            p.offset,
            p.size,
            inst.compartment.id(),
        )?),
        None => match shared_heap(store, inst) {
            Some(h) => h,
            None => return Ok(()),
        },
    };
    inst.compartment.set_app_heap(heap);
    Ok(())
}

/// The heap of another instance of `store` living in `inst`'s memory 0.
fn shared_heap(store: &Store, inst: &Instance) -> Option<Arc<AppHeap>> {
    let mem = inst.memories.first()?;
    store
        .instances
        .iter()
        .filter(|o| o.addr != inst.addr)
        .filter_map(|o| o.compartment.app_heap())
        .find(|h| Arc::ptr_eq(h.memory(), mem))
        .cloned()
}

/// Places a heap after instantiation by appending whole pages (rule 7), for
/// instances created without one. Fails if memory 0 cannot grow enough.
pub(crate) fn place_late(
    comp: &Compartment,
    inst: &Instance,
    heap_size: u32,
) -> Result<Arc<AppHeap>, String> {
    let mem = inst
        .memories
        .first()
        .ok_or("module has no memory for an app heap")?;
    let size = ((u64::from(heap_size) + 7) & !7).min(APP_HEAP_SIZE_MAX);
    let inc = size.div_ceil(WASM_PAGE_SIZE);
    let old = mem.grow(inc).ok_or(HEAP_INSERT_FAILED)?;
    let heap = Arc::new(AppHeap::new(
        mem.clone(),
        old * WASM_PAGE_SIZE,
        inc * WASM_PAGE_SIZE - KB,
        comp.id(),
    )?);
    if comp.set_app_heap(heap.clone()) {
        Ok(heap)
    } else {
        comp.app_heap()
            .cloned()
            .ok_or_else(|| HEAP_INSERT_FAILED.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(wat: &str) -> Module {
        Module::new(&wat::parse_str(wat).unwrap()).unwrap()
    }

    #[test]
    fn one_fixed_page_appends_after_the_page() {
        let m = module("(module (memory 1 1))");
        let p = plan(&m, 1000, MAX_WASM_PAGES).unwrap().unwrap();
        assert_eq!(
            (p.offset, p.size, p.tail_bytes, p.extra_pages),
            (65536, 1000, 1000, 0)
        );
    }

    #[test]
    fn zero_fixed_pages_become_the_heap() {
        let m = module("(module (memory 0 0))");
        let p = plan(&m, 4096, MAX_WASM_PAGES).unwrap().unwrap();
        assert_eq!((p.offset, p.size, p.tail_bytes), (0, 4096, 4096));
    }

    #[test]
    fn heap_base_insertion_moves_heap_base() {
        let m =
            module(r#"(module (memory 2) (global (export "__heap_base") i32 (i32.const 70000)))"#);
        let p = plan(&m, 16 * 1024, MAX_WASM_PAGES).unwrap().unwrap();
        assert_eq!(p.offset, 70000);
        assert_eq!(p.size, 16384);
        // 70000 + 16384 = 86384 fits page 2 with room: room on page = 131072-70000.
        assert_eq!(p.extra_pages, 0);
        assert_eq!(p.heap_base, Some((0, 86384)));
        let p = plan(&m, 100_000, MAX_WASM_PAGES).unwrap().unwrap();
        assert_eq!(p.extra_pages, 1);
        assert_eq!(p.heap_base, Some((0, 170_000)));
    }

    #[test]
    fn otherwise_whole_pages_are_appended() {
        let m = module("(module (memory 1))");
        let p = plan(&m, 1, MAX_WASM_PAGES).unwrap().unwrap();
        assert_eq!((p.offset, p.size, p.extra_pages), (65536, 65536 - 1024, 1));
        let full = module("(module (memory 65536))");
        assert_eq!(
            plan(&full, 8, MAX_WASM_PAGES),
            Err(HEAP_INSERT_FAILED.to_string())
        );
    }

    #[test]
    fn no_heap_cases() {
        let exports = module(
            r#"(module (memory 1)
                (func (export "malloc") (param i32) (result i32) i32.const 0)
                (func (export "free") (param i32)))"#,
        );
        assert_eq!(plan(&exports, 4096, MAX_WASM_PAGES), Ok(None));
        assert_eq!(exported_allocator(&exports), Some((0, 1)));
        let imported = module(r#"(module (import "m" "mem" (memory 1)))"#);
        assert_eq!(plan(&imported, 4096, MAX_WASM_PAGES), Ok(None));
        assert_eq!(plan(&module("(module)"), 4096, MAX_WASM_PAGES), Ok(None));
        assert_eq!(
            plan(&module("(module (memory 1))"), 0, MAX_WASM_PAGES),
            Ok(None)
        );
    }
}
