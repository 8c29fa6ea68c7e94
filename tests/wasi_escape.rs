//! cWASI escape and amplification attempts (capability-model §9 cases 32–38) with the kernel's
//! `openat2(RESOLVE_BENEATH)` resolution; `wasi_escape_walk` runs the same cases with the
//! portable component walk. Every attempt must be refused and leave the host unchanged.

#[path = "wasi/common.rs"]
mod common;
#[path = "wasi/escape_cases.rs"]
mod escape_cases;

use std::sync::Arc;

use cwamr::runtime::Extern;
use cwamr::wasi::{Preopen, WasiConfig, WasiCtx};
use cwamr::{Linker, Module, Store, StoreConfig, Val};

#[test]
fn fs_escapes_are_refused() {
    escape_cases::fs_escapes_are_refused();
}

#[test]
fn rights_cannot_be_amplified() {
    escape_cases::rights_cannot_be_amplified();
}

#[test]
fn readonly_cannot_be_laundered() {
    escape_cases::readonly_cannot_be_laundered();
}

#[test]
fn proc_magic_links_are_refused() {
    escape_cases::proc_magic_links_are_refused();
}

#[test]
fn iovec_bombs_are_bounded() {
    escape_cases::iovec_bombs_are_bounded();
}

#[test]
fn out_of_bounds_pointers_trap() {
    escape_cases::out_of_bounds_pointers_trap();
}

/// A module exporting thin wrappers over three WASI calls.
const PROBE_WAT: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "f.txt")
  (func (export "stat") (param i32) (result i32) (call $fdstat (local.get 0) (i32.const 0)))
  (func (export "close") (param i32) (result i32) (call $close (local.get 0)))
  ;; path_open(dir, follow, "f.txt", 0, FD_READ, 0, 0, &out at 200); returns errno or the fd
  (func (export "open") (param i32) (result i32)
    (local $e i32)
    (local.set $e (call $open (local.get 0) (i32.const 1) (i32.const 100) (i32.const 5)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200)))
    (if (result i32) (local.get $e)
      (then (i32.sub (i32.const 0) (local.get $e)))
      (else (i32.load (i32.const 200))))))
"#;

struct Probe {
    store: Store,
    inst: cwamr::runtime::InstanceAddr,
}

impl Probe {
    fn call(&mut self, name: &str, arg: i32) -> i32 {
        let Some(Extern::Func(f)) = self.store.instance(self.inst).unwrap().export(name) else {
            panic!("no export {name}")
        };
        match self.store.call(f, &[Val::I32(arg)]).unwrap()[0] {
            Val::I32(v) => v,
            ref v => panic!("unexpected {v:?}"),
        }
    }
}

fn probe(store: Store, module: &Module, ctx: &Arc<WasiCtx>) -> Probe {
    let mut store = store;
    let mut linker = Linker::new();
    cwamr::wasi::add_to_linker(&mut linker, ctx);
    let inst = linker.instantiate(&mut store, module).unwrap();
    Probe { store, inst }
}

/// Case 36: a descriptor number means something only in its own instance, and a closed
/// descriptor's sealed handle stays stale after the number is reused.
#[test]
fn foreign_and_stale_descriptors() {
    let d = common::TempDir::new("esc-fd");
    std::fs::write(d.join("f.txt"), "x").unwrap();
    let module = Module::new(&wat::parse_str(PROBE_WAT).unwrap()).unwrap();
    let with_dir = WasiConfig {
        preopens: vec![Preopen {
            guest_path: ".".into(),
            host_path: d.path().to_path_buf(),
            readonly: false,
        }],
        ..WasiConfig::default()
    };
    let ctx_a = WasiCtx::new(&with_dir).unwrap();
    let ctx_b = WasiCtx::new(&WasiConfig::default()).unwrap();
    let mut a = probe(Store::new(StoreConfig::default()), &module, &ctx_a);
    let mut b = probe(Store::new(StoreConfig::default()), &module, &ctx_b);
    let fd = a.call("open", 3);
    assert_eq!(fd, 4, "A opened f.txt as fd 4");
    assert_eq!(a.call("stat", fd), 0);
    assert_eq!(b.call("stat", fd), 8, "B has no fd 4: badf");
    assert_eq!(b.call("stat", 3), 8, "B has no preopen: badf");
    assert_eq!(b.call("open", 3), -8);

    let h = ctx_a.fd_handle(4).unwrap();
    assert!(ctx_a.validate_fd_handle(h).is_ok());
    assert!(
        ctx_b.validate_fd_handle(h).is_err(),
        "a handle of A is not valid in B"
    );
    assert_eq!(a.call("close", 4), 0);
    assert!(ctx_a.validate_fd_handle(h).is_err(), "closed: stale");
    assert_eq!(a.call("stat", 4), 8);
    assert_eq!(a.call("open", 3), 4, "the number is reused");
    let h2 = ctx_a.fd_handle(4).unwrap();
    assert_ne!(h, h2);
    assert!(
        ctx_a.validate_fd_handle(h).is_err(),
        "the old handle stays stale"
    );
    assert!(ctx_a.validate_fd_handle(h2).is_ok());
    assert_eq!(a.call("close", 4), 0);
    assert_eq!(a.call("close", 4), 8, "double close: badf");
}

/// A module without memory can still call WASI functions that take no pointers; any pointer
/// is out of bounds.
#[test]
fn wasi_calls_without_a_memory() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $st (param i32 i32) (result i32)))
      (func (export "close") (param i32) (result i32) (call $close (local.get 0)))
      (func (export "stat") (param i32) (result i32) (call $st (local.get 0) (i32.const 0))))"#;
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let ctx = WasiCtx::new(&WasiConfig::default()).unwrap();
    let mut p = probe(Store::new(StoreConfig::default()), &module, &ctx);
    assert_eq!(p.call("close", 99), 8);
    let Some(Extern::Func(f)) = p.store.instance(p.inst).unwrap().export("stat") else {
        panic!()
    };
    let err = p.store.call(f, &[Val::I32(1)]).unwrap_err();
    assert_eq!(
        err.exception_string(),
        "Exception: out of bounds memory access"
    );
}
