//! Tests of the multi-module registry, resolver and instantiation.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::Mutex;

use super::*;
use crate::runtime::{Extern, Val};

fn wasm(src: &str) -> Vec<u8> {
    wat::parse_str(src).expect("valid wat")
}

fn module(src: &str) -> Module {
    Module::new(&wasm(src)).expect("valid module")
}

/// A registry whose reader serves `files` and counts releases.
fn registry(files: &[(&str, &str)]) -> (Registry, Arc<AtomicUsize>) {
    let files: HashMap<String, Vec<u8>> = files
        .iter()
        .map(|(n, s)| (n.to_string(), wasm(s)))
        .collect();
    let released = Arc::new(AtomicUsize::new(0));
    let r = released.clone();
    let reg = Registry::new();
    reg.set_reader(Some(Arc::new(move |name: &str| {
        let bytes = files.get(name)?.clone();
        let r = r.clone();
        Some(ReadBuffer {
            bytes,
            release: Some(Box::new(move || {
                r.fetch_add(1, Ordering::Relaxed);
            })),
        })
    })));
    (reg, released)
}

fn load(reg: &Registry, src: &str) -> (Arc<LoadedModule>, Vec<String>) {
    let warnings = Mutex::new(Vec::new());
    let m = reg.load(
        module(src),
        &LoadHooks {
            is_native: &|m, n, _| m == "env" && n == "native",
            is_builtin_global: &|_, _| false,
            warn: &|w| warnings.lock().push(w.to_string()),
            reject_command_sub_modules: true,
        },
    );
    (m, warnings.into_inner())
}

const SUB_A: &str = r#"(module
  (global (export "g") (mut i32) (i32.const 7))
  (memory (export "mem") 1 4)
  (global $calls (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (local.get 0) (local.get 1)))
  (func (export "calls") (result i32) (global.get $calls))
  (data (i32.const 0) "A"))"#;

const SUB_B: &str = r#"(module
  (table (export "tab") 2 funcref)
  (func $f (result i32) (i32.const 99))
  (elem (i32.const 0) $f))"#;

const MAIN: &str = r#"(module
  (import "env" "native" (func $native))
  (import "subA" "add" (func $add (param i32 i32) (result i32)))
  (import "subA" "g" (global $g (mut i32)))
  (import "subA" "mem" (memory 1))
  (import "subB" "tab" (table 1 funcref))
  (type $r (func (result i32)))
  (func (export "sum") (result i32) (call $add (i32.const 2) (i32.const 3)))
  (func (export "g") (result i32) (global.get $g))
  (func (export "setg") (global.set $g (i32.const 11)))
  (func (export "byte") (result i32) (i32.load8_u (i32.const 0)))
  (func (export "tab0") (result i32) (call_indirect (type $r) (i32.const 0))))"#;

fn call(store: &mut Store, inst: InstanceAddr, name: &str) -> Vec<Val> {
    let Some(Extern::Func(f)) = store.instance(inst).unwrap().export(name) else {
        panic!("no export {name}");
    };
    store.call(f, &[]).expect("call succeeds")
}

#[test]
fn imports_of_all_kinds_link_to_sub_instances() {
    let (reg, released) = registry(&[("subA", SUB_A), ("subB", SUB_B)]);
    let (m, warnings) = load(&reg, MAIN);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        m.deps().iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["subA", "subB"]
    );
    assert!(!m.import_from_dep(0), "natives come first");
    assert!((1..5).all(|i| m.import_from_dep(i)));
    assert!(reg.find("subA").is_some() && reg.find("subB").is_some());

    let mut host = Linker::new();
    host.func(
        "env",
        "native",
        crate::runtime::HostFunc::new(FuncType::new([], []), |_, _| Ok(())),
    );
    let mut store = Store::default();
    let a = instantiate(&mut store, &host, &m, 0).unwrap();
    assert_eq!(a, InstanceAddr(2), "the parent is the newest instance");
    assert_eq!(call(&mut store, a, "sum"), [Val::I32(5)]);
    assert_eq!(call(&mut store, a, "g"), [Val::I32(7)]);
    call(&mut store, a, "setg");
    // The global is the sub-instance's.
    assert_eq!(call(&mut store, InstanceAddr(0), "calls"), [Val::I32(1)]);
    let Some(Extern::Global(g)) = store.instance(InstanceAddr(0)).unwrap().export("g") else {
        panic!()
    };
    assert_eq!(store.global_get(g), Some(Val::I32(11)));
    assert_eq!(call(&mut store, a, "byte"), [Val::I32(65)]);
    assert_eq!(call(&mut store, a, "tab0"), [Val::I32(99)]);

    // A second parent instance gets its own sub-instances.
    let mut store2 = Store::default();
    let b = instantiate(&mut store2, &host, &m, 0).unwrap();
    assert_eq!(call(&mut store2, b, "g"), [Val::I32(7)]);
    assert_eq!(call(&mut store2, InstanceAddr(0), "calls"), [Val::I32(0)]);

    assert_eq!(released.load(Ordering::Relaxed), 0);
    reg.clear();
    assert_eq!(
        released.load(Ordering::Relaxed),
        2,
        "buffers released at clear"
    );
    assert!(reg.find("subA").is_none());
}

#[test]
fn failures_are_warnings_with_wamr_texts() {
    let (reg, _) = registry(&[("subA", SUB_A)]);
    let (m, warnings) = load(
        &reg,
        r#"(module
          (import "env" "nosuch" (func))
          (import "subA" "add" (func (param i32)))
          (import "subA" "nope" (func))
          (import "missing" "f" (func))
          (import "subA" "g" (global i32))
          (import "missing" "m" (memory 1)))"#,
    );
    assert_eq!(
        warnings,
        [
            "failed to link function (env, nosuch): WASM module instantiate failed: unknown import",
            "failed to link function (subA, add): WASM module instantiate failed: incompatible import type",
            "failed to link function (subA, nope): unknown import or incompatible import type",
            "failed to load sub module: WASM module load failed: unknown import missing",
        ]
    );
    assert!((0..6).all(|i| !m.import_from_dep(i)));
    let mut store = Store::default();
    let e = instantiate(&mut store, &Linker::new(), &m, 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "WASM module instantiate failed: failed to link import global (subA, g)"
    );
}

#[test]
fn no_reader_and_circular_dependencies() {
    let reg = Registry::new();
    let (_, w) = load(&reg, r#"(module (import "x" "f" (func)))"#);
    assert_eq!(
        w,
        ["failed to load sub module: WASM module load failed: no sub module reader to load x"]
    );

    // A -> B -> A: the copy of A loaded as a sub-module cannot get B.
    let a = r#"(module (import "B" "fb" (func)) (func (export "fa")))"#;
    let b = r#"(module (import "A" "fa" (func)) (func (export "fb")))"#;
    let (reg, _) = registry(&[("A", a), ("B", b)]);
    let (m, w) = load(&reg, a);
    assert_eq!(
        w,
        ["failed to load sub module: WASM module load failed: found circular dependency on B"]
    );
    assert!(m.import_from_dep(0));
    assert!(reg.find("A").is_some() && reg.find("B").is_some());
    let mut store = Store::default();
    instantiate(&mut store, &Linker::new(), &m, 0).unwrap();
}

#[test]
fn commands_and_bad_binaries_are_not_sub_modules() {
    let (reg, released) = registry(&[
        (
            "cmd",
            r#"(module (func (export "_start")) (func (export "f")))"#,
        ),
        ("bad", "(module)"),
    ]);
    let (_, w) = load(&reg, r#"(module (import "cmd" "f" (func)))"#);
    assert_eq!(
        w,
        [
            "failed to load sub module: WASM module load failed: a command (with _start function) can not be a sub-module"
        ]
    );
    assert_eq!(released.load(Ordering::Relaxed), 1, "released at once");
    assert!(reg.find("cmd").is_none());
    // A reader buffer that is not bytecode.
    let reg2 = Registry::new();
    reg2.set_reader(Some(Arc::new(|_: &str| {
        Some(ReadBuffer {
            bytes: b"\0aotxxxx".to_vec(),
            release: None,
        })
    })));
    let (_, w) = load(&reg2, r#"(module (import "m" "f" (func)))"#);
    assert_eq!(
        w,
        [
            "need to release the reading buffer of m manually",
            "failed to load sub module: "
        ]
    );
    let _ = reg;
}

#[test]
fn register_find_and_rename_rules() {
    let reg = Registry::new();
    let (x, _) = load(&reg, "(module)");
    let (y, _) = load(&reg, "(module)");
    for b in BUILT_IN_MODULES {
        assert_eq!(reg.register(b, &x), Err(RegisterError::BuiltIn));
    }
    assert!(reg.find("n").is_none());
    assert_eq!(reg.register("n", &x), Ok(()));
    assert_eq!(reg.register("n", &x), Ok(()), "same name again");
    assert_eq!(reg.register("other", &x), Err(RegisterError::Rename));
    assert_eq!(
        RegisterError::Rename.to_string(),
        "Register module failed: failed to rename the module"
    );
    assert_eq!(reg.find("n").unwrap().id(), x.id());
    assert_eq!(reg.register("n", &y), Ok(()));
    // Renaming keeps the list position: y was loaded after x, so it is found first.
    assert_eq!(reg.find("n").unwrap().id(), y.id());
    let z = LoadedModule::standalone(module("(module)"));
    assert_eq!(reg.register("n", &z), Ok(()));
    assert_eq!(reg.find("n").unwrap().id(), z.id(), "newest entry wins");
    assert_eq!(reg.name_of(&x).as_deref(), Some("n"));
    assert!(!reg.remove_unnamed(&x), "named modules stay until clear");
    let (u, _) = load(&reg, "(module)");
    assert!(reg.remove_unnamed(&u));
}

#[test]
fn natives_win_over_sub_modules() {
    let (reg, _) = registry(&[("subA", SUB_A)]);
    let warnings = Mutex::new(Vec::new());
    let m = reg.load(
        module(r#"(module (import "subA" "add" (func (param i32 i32) (result i32))))"#),
        &LoadHooks {
            is_native: &|m, n, _| m == "subA" && n == "add",
            is_builtin_global: &|_, _| false,
            warn: &|w| warnings.lock().push(w.to_string()),
            reject_command_sub_modules: true,
        },
    );
    assert!(warnings.lock().is_empty());
    assert!(!m.import_from_dep(0));
    assert!(m.deps().is_empty(), "the sub-module is not even read");
    assert!(reg.find("subA").is_none());
}
