//! Helpers shared by the `cap_*` runtime-level tests (capability-model.md §9).
#![allow(dead_code)]

use cwamr::runtime::{Extern, InstanceAddr};
use cwamr::{FuncAddr, Linker, Module, Store, StoreConfig, Trap, TrapCode, Val};

/// Compiles WebAssembly text.
pub fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("wat")).expect("module loads")
}

/// A store with default limits (trap policy: poison).
pub fn store() -> Store {
    Store::new(StoreConfig::default())
}

/// Instantiates `wat` with `linker`.
pub fn inst(store: &mut Store, linker: &Linker, wat: &str) -> InstanceAddr {
    linker
        .instantiate(store, &module(wat))
        .expect("instantiates")
}

/// Instantiates `wat` with `linker` and an app heap of `heap` bytes.
pub fn inst_heap(store: &mut Store, linker: &Linker, wat: &str, heap: u32) -> InstanceAddr {
    let m = module(wat);
    let imports = linker.resolve(store, &m).expect("imports resolve");
    store
        .instantiate_with_heap(&m, &imports, heap)
        .expect("instantiates")
}

/// The exported function `name` of `inst`.
pub fn func(store: &Store, inst: InstanceAddr, name: &str) -> FuncAddr {
    match store.instance(inst).and_then(|i| i.export(name)) {
        Some(Extern::Func(f)) => f,
        other => panic!("no function export {name}: {other:?}"),
    }
}

/// Calls export `name` of `inst`.
pub fn call(
    store: &mut Store,
    inst: InstanceAddr,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, Trap> {
    let f = func(store, inst, name);
    store.call(f, args)
}

/// Calls export `name` expecting one i32 result.
pub fn call_i32(store: &mut Store, inst: InstanceAddr, name: &str, args: &[Val]) -> i32 {
    match call(store, inst, name, args)
        .expect("call succeeds")
        .as_slice()
    {
        [Val::I32(v)] => *v,
        r => panic!("unexpected results {r:?}"),
    }
}

/// Asserts a trap with the given code.
pub fn assert_trap(r: Result<Vec<Val>, Trap>, code: TrapCode) {
    match r {
        Err(Trap::Code(c)) if c == code => {}
        other => panic!("expected trap {code:?}, got {other:?}"),
    }
}

/// Asserts a host trap with the given message.
pub fn assert_host_trap(r: Result<Vec<Val>, Trap>, msg: &str) {
    match r {
        Err(Trap::Host(m)) if m == msg => {}
        other => panic!("expected trap {msg:?}, got {other:?}"),
    }
}

/// The "no crash" half of every §9 case: the runtime still works — a new store,
/// a new instance with memory and a table, a call that loops and returns.
pub fn assert_usable() {
    let mut s = store();
    let i = inst(
        &mut s,
        &Linker::new(),
        r#"(module
            (memory 1) (table 1 funcref)
            (func (export "sum") (param i32) (result i32) (local i32)
              (block (loop
                (br_if 1 (i32.eqz (local.get 0)))
                (local.set 1 (i32.add (local.get 1) (local.get 0)))
                (i32.store (i32.const 0) (local.get 1))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br 0)))
              (i32.load (i32.const 0))))"#,
    );
    assert_eq!(call_i32(&mut s, i, "sum", &[Val::I32(100)]), 5050);
}
