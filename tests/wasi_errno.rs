//! WASI errno cases of wasi-testsuite that depend on the exact host semantics (issue 10 item
//! 12), with the kernel's `openat2` resolution and with the portable component walk:
//! `path_open(".", O_DIRECTORY, FD_READ|FD_WRITE)` is `isdir`, `path_symlink("source", fd,
//! "target/")` without a `target` is `noent`.

#[path = "wasi/common.rs"]
mod common;

use std::sync::Arc;

use cwamr::runtime::Extern;
use cwamr::wasi::{Preopen, WasiConfig, WasiCtx};
use cwamr::{Linker, Module, Store, StoreConfig, Val};

const ISDIR: i32 = 31;
const NOENT: i32 = 44;

/// `open_dir(rights)`: path_open(3, 0, ".", O_DIRECTORY, rights, 0, 0, &fd) -> errno or -fd;
/// `symlink(len)`: path_symlink("source", 3, first `len` bytes of "target/") -> errno.
const PROBE_WAT: &str = r#"
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink"
    (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) ".")
  (data (i32.const 120) "source")
  (data (i32.const 140) "target/")
  (func (export "open_dir") (param i64) (result i32)
    (local $e i32)
    (local.set $e (call $open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 1)
      (i32.const 2) (local.get 0) (i64.const 0) (i32.const 0) (i32.const 200)))
    (if (result i32) (local.get $e)
      (then (local.get $e))
      (else (i32.sub (i32.const 0) (i32.load (i32.const 200))))))
  (func (export "symlink") (param i32) (result i32)
    (call $symlink (i32.const 120) (i32.const 6) (i32.const 3) (i32.const 140) (local.get 0))))
"#;

const FD_READ: i64 = 1 << 1;
const FD_WRITE: i64 = 1 << 6;

fn call(store: &mut Store, inst: cwamr::runtime::InstanceAddr, name: &str, arg: Val) -> i32 {
    let Some(Extern::Func(f)) = store.instance(inst).unwrap().export(name) else {
        panic!("no export {name}")
    };
    match store.call(f, &[arg]).unwrap()[0] {
        Val::I32(v) => v,
        ref v => panic!("unexpected {v:?}"),
    }
}

fn run_cases(tag: &str) {
    let d = common::TempDir::new(tag);
    let cfg = WasiConfig {
        preopens: vec![Preopen {
            guest_path: ".".into(),
            host_path: d.path().to_path_buf(),
            readonly: false,
        }],
        ..WasiConfig::default()
    };
    let ctx: Arc<WasiCtx> = WasiCtx::new(&cfg).unwrap();
    let module = Module::new(&wat::parse_str(PROBE_WAT).unwrap()).unwrap();
    let mut store = Store::new(StoreConfig::default());
    let mut linker = Linker::new();
    cwamr::wasi::add_to_linker(&mut linker, &ctx);
    let inst = linker.instantiate(&mut store, &module).unwrap();

    // a directory opened for writing: isdir; for reading: a descriptor
    assert_eq!(
        call(&mut store, inst, "open_dir", Val::I64(FD_READ | FD_WRITE)),
        ISDIR
    );
    assert_eq!(
        call(&mut store, inst, "open_dir", Val::I64(FD_WRITE)),
        ISDIR
    );
    assert!(call(&mut store, inst, "open_dir", Val::I64(FD_READ)) < 0);

    // "target/" names a directory that does not exist: noent, nothing created
    assert_eq!(call(&mut store, inst, "symlink", Val::I32(7)), NOENT);
    assert!(std::fs::symlink_metadata(d.join("target")).is_err());
    // "target" creates the link
    assert_eq!(call(&mut store, inst, "symlink", Val::I32(6)), 0);
    assert!(std::fs::symlink_metadata(d.join("target")).is_ok());
}

/// Both resolutions in one test: the component-walk switch is process-wide.
#[test]
fn wasi_errno_cases() {
    run_cases("errno");
    cwamr::wasi::force_component_walk(true);
    run_cases("errno-walk");
    cwamr::wasi::force_component_walk(false);
}
