//! Capability model §9 cases 16–17 (app-heap abuse, class D) and the WAMR
//! placement of the sealed app heap.
//!
//! The guest reaches the heap through `env.malloc` / `env.free` host imports
//! built on `app_heap_module` (as libc-builtin's are), and the host through the
//! same functions `wasm_runtime_module_malloc/free` use.

mod cap_common;

use std::collections::BTreeSet;

use cap_common::*;
use cwamr::cap::violation::{self, ViolationKind};
use cwamr::runtime::app_heap_module::{self, ModuleAllocator, ModuleFreeError};
use cwamr::runtime::{AppHeap, HeapError, InstanceAddr};
use cwamr::types::{FuncType, ValType};
use cwamr::{HostFunc, Linker, Store, Val};

/// `env.malloc(size) -> ptr` and `env.free(ptr)` for guests, on the caller's heap.
/// A refused free is reported to the guest as `env.free` returning normally (WAMR
/// ignores it too); it is visible in the heap's stats and the violation log.
fn heap_linker() -> Linker {
    let mut l = Linker::new();
    l.func(
        "env",
        "malloc",
        HostFunc::new(
            FuncType::new([ValType::I32], [ValType::I32]),
            |caller, cells| {
                let inst = caller.instance().expect("called from wasm");
                let off = app_heap_module::module_malloc(caller, inst, u64::from(cells[0] as u32))?;
                cells[0] = off;
                Ok(())
            },
        ),
    );
    l.func(
        "env",
        "free",
        HostFunc::new(FuncType::new([ValType::I32], []), |caller, cells| {
            let inst = caller.instance().expect("called from wasm");
            let _ = app_heap_module::module_free(caller, inst, u64::from(cells[0] as u32));
            Ok(())
        }),
    );
    l
}

const GUEST: &str = r#"(module
    (import "env" "malloc" (func $malloc (param i32) (result i32)))
    (import "env" "free" (func $free (param i32)))
    (memory (export "memory") 1)
    (func (export "alloc") (param i32) (result i32) (call $malloc (local.get 0)))
    (func (export "release") (param i32) (call $free (local.get 0)))
    (func (export "smash") (param i32 i32) (memory.fill (local.get 0) (i32.const 0xFF) (local.get 1)))
    (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))"#;

fn malloc(s: &mut Store, i: InstanceAddr, n: i32) -> i32 {
    call_i32(s, i, "alloc", &[Val::I32(n)])
}

fn free(s: &mut Store, i: InstanceAddr, p: i32) {
    call(s, i, "release", &[Val::I32(p)]).expect("free returns");
}

fn assert_disjoint(h: &AppHeap) {
    let blocks = h.live_blocks();
    for w in blocks.windows(2) {
        assert!(w[0].0 + w[0].1 <= w[1].0, "overlap: {:?} {:?}", w[0], w[1]);
    }
    for b in &blocks {
        assert!(h.contains(b.0) && b.0 + b.1 <= h.range().end);
    }
}

#[test]
fn case16_app_heap_free_abuse_is_rejected() {
    let mut s = store();
    let linker = heap_linker();
    // The module exports no `malloc`/`free` of its own (that would disable the heap, as in
    // WAMR): the sealed heap serves it.
    let a = inst_heap(&mut s, &linker, GUEST, 16 * 1024);
    let heap = AppHeap::of(&s, a).expect("heap placed at instantiation");
    let p = malloc(&mut s, a, 100);
    let q = malloc(&mut s, a, 100);
    assert!(p != 0 && q != 0 && p != q);
    let before = heap.stats();
    let v0 = violation::count_kind(ViolationKind::HeapInvalidFree);
    let d0 = violation::count_kind(ViolationKind::HeapDoubleFree);
    let f0 = violation::count_kind(ViolationKind::HeapForeignFree);

    // free(1), free(interior).
    free(&mut s, a, 1);
    free(&mut s, a, p + 8);
    // Host API sees the reason.
    assert_eq!(
        app_heap_module::module_free(&mut s, a, p as u64 + 8),
        Err(ModuleFreeError::Heap(HeapError::Interior {
            start: p as u64
        }))
    );
    // Double free.
    free(&mut s, a, q);
    free(&mut s, a, q);
    assert_eq!(
        app_heap_module::module_free(&mut s, a, q as u64),
        Err(ModuleFreeError::Heap(HeapError::DoubleFree))
    );

    // A block of another instance: B imports A's memory and so shares A's heap; the block
    // still belongs to A.
    let mut lb = heap_linker();
    lb.instance(&s, "a", a);
    let b = inst(
        &mut s,
        &lb,
        r#"(module
            (import "env" "free" (func $free (param i32)))
            (import "env" "malloc" (func $malloc (param i32) (result i32)))
            (import "a" "memory" (memory 1))
            (func (export "alloc") (param i32) (result i32) (call $malloc (local.get 0)))
            (func (export "release") (param i32) (call $free (local.get 0))))"#,
    );
    assert!(matches!(
        app_heap_module::allocator(&s, b),
        ModuleAllocator::Heap { .. }
    ));
    free(&mut s, b, p);
    assert_eq!(
        heap.block_len(p as u64),
        // 100 bytes asked: a block of align8(100 + 4) with 100 usable after its header gap.
        Some(100),
        "A's block survived B's free"
    );
    let bp = malloc(&mut s, b, 8);
    free(&mut s, a, bp);
    assert!(heap.block_len(bp as u64).is_some());

    let after = heap.stats();
    assert_eq!(after.rejected_frees - before.rejected_frees, 7);
    assert!(violation::count_kind(ViolationKind::HeapInvalidFree) >= v0 + 3);
    assert!(violation::count_kind(ViolationKind::HeapDoubleFree) >= d0 + 2);
    assert!(violation::count_kind(ViolationKind::HeapForeignFree) >= f0 + 2);
    // Intact: the live blocks are exactly p and B's block; later malloc works.
    assert_eq!(after.live_blocks, 2);
    free(&mut s, a, p);
    free(&mut s, b, bp);
    assert_eq!(heap.stats().live_blocks, 0);
    let big = malloc(&mut s, a, 12 * 1024);
    assert_ne!(big, 0);
    assert_disjoint(&heap);
    assert_usable();
}

#[test]
fn case17_heap_metadata_smash_cannot_corrupt_the_allocator() {
    let mut s = store();
    let a = inst_heap(&mut s, &heap_linker(), GUEST, 64 * 1024);
    let heap = AppHeap::of(&s, a).unwrap();
    let range = heap.range();
    let mut live: Vec<(i32, i32)> = Vec::new();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for round in 0..1500 {
        // The guest overwrites every byte around its blocks — the whole heap and beyond.
        if round % 50 == 0 {
            let end = s.instance(a).unwrap().memory0().unwrap().len() as i32;
            call(&mut s, a, "smash", &[Val::I32(0), Val::I32(end)]).unwrap();
        }
        if live.is_empty() || next() % 3 != 0 {
            let n = (next() % 700) as i32 + 1;
            let p = malloc(&mut s, a, n);
            if p == 0 {
                // Exhausted: free half.
                for (q, _) in live.drain(..live.len() / 2) {
                    free(&mut s, a, q);
                }
                continue;
            }
            // Zeroed although the guest smashed it.
            for off in [0, n / 2, n - 1] {
                assert_eq!(call_i32(&mut s, a, "load8", &[Val::I32(p + off)]), 0);
            }
            live.push((p, n));
        } else {
            let k = (next() as usize) % live.len();
            let (p, _) = live.swap_remove(k);
            free(&mut s, a, p);
        }
    }
    assert_disjoint(&heap);
    let set: BTreeSet<u64> = heap.live_blocks().iter().map(|b| b.0).collect();
    let mine: BTreeSet<u64> = live.iter().map(|&(p, _)| p as u64).collect();
    assert_eq!(set, mine, "the allocator's view equals the guest's");
    for &(p, n) in &live {
        assert!(heap.block_len(p as u64).unwrap() >= n as u64);
        assert!(range.contains(&(p as u64)));
    }
    assert_eq!(heap.stats().rejected_frees, 0);
    assert_usable();
}

#[test]
fn placement_matches_wamr() {
    let l = Linker::new();
    // One page that cannot grow: heap appended after the page, memory stays one page.
    let mut s = store();
    let i = inst_heap(
        &mut s,
        &l,
        "(module (memory (export \"m\") 1 1) (func (export \"size\") (result i32) memory.size))",
        4096,
    );
    let mem = s.instance(i).unwrap().memory0().unwrap().clone();
    assert_eq!(mem.len(), 65536 + 4096);
    assert_eq!(call_i32(&mut s, i, "size", &[]), 1);
    assert_eq!(AppHeap::of(&s, i).unwrap().range(), 65536..65536 + 4096);

    // `__heap_base` below the initial size: the heap is inserted there and `__heap_base` moves.
    let mut s = store();
    let i = inst_heap(
        &mut s,
        &l,
        r#"(module (memory 2)
            (global $hb (export "__heap_base") i32 (i32.const 70000))
            (func (export "hb") (result i32) global.get $hb)
            (func (export "size") (result i32) memory.size))"#,
        100_000,
    );
    assert_eq!(AppHeap::of(&s, i).unwrap().range(), 70000..170_000);
    assert_eq!(call_i32(&mut s, i, "hb", &[]), 170_000);
    assert_eq!(call_i32(&mut s, i, "size", &[]), 3);

    // Otherwise whole pages are appended, the heap covers them but their last KiB.
    let mut s = store();
    let i = inst_heap(
        &mut s,
        &l,
        "(module (memory 1) (func (export \"size\") (result i32) memory.size))",
        10,
    );
    assert_eq!(call_i32(&mut s, i, "size", &[]), 2);
    assert_eq!(AppHeap::of(&s, i).unwrap().range(), 65536..131072 - 1024);

    // The module's own malloc/free are used instead of a heap.
    let mut s = store();
    let i = inst_heap(
        &mut s,
        &l,
        r#"(module (memory 1)
            (global $next (mut i32) (i32.const 1024))
            (global $frees (mut i32) (i32.const 0))
            (func (export "malloc") (param i32) (result i32)
              (global.get $next)
              (global.set $next (i32.add (global.get $next) (local.get 0))))
            (func (export "free") (param i32) (global.set $frees (i32.add (global.get $frees) (i32.const 1))))
            (func (export "frees") (result i32) global.get $frees))"#,
        4096,
    );
    assert!(AppHeap::of(&s, i).is_none());
    assert!(matches!(
        app_heap_module::allocator(&s, i),
        ModuleAllocator::Exported { .. }
    ));
    assert_eq!(app_heap_module::module_malloc(&mut s, i, 16).unwrap(), 1024);
    assert_eq!(
        app_heap_module::module_dup_data(&mut s, i, b"abc").unwrap(),
        1040
    );
    let mut b = [0u8; 3];
    s.instance(i)
        .unwrap()
        .memory0()
        .unwrap()
        .read(1040, &mut b)
        .unwrap();
    assert_eq!(&b, b"abc");
    // A block the module claims beyond its memory is refused.
    assert_eq!(
        app_heap_module::module_malloc(&mut s, i, 1 << 20).unwrap(),
        0
    );
    app_heap_module::module_free(&mut s, i, 1024).unwrap();
    assert_eq!(call_i32(&mut s, i, "frees", &[]), 1);
    assert_eq!(app_heap_module::module_realloc(&s, i, 1024, 64), 0);

    // A heap can be attached after instantiation (whole pages appended).
    let mut s = store();
    let i = inst(&mut s, &l, "(module (memory 1))");
    assert!(AppHeap::of(&s, i).is_none());
    let h = AppHeap::attach(&mut s, i, 8192).unwrap().unwrap();
    assert_eq!(h.range(), 65536..131072 - 1024);
    assert!(AppHeap::attach(&mut s, i, 8192).unwrap().is_some());
    let r = app_heap_module::module_realloc(&s, i, 0, 10);
    assert_ne!(r, 0);
    assert_eq!(app_heap_module::module_realloc(&s, i, r, 5000), r);
    assert_usable();
}
