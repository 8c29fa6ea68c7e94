//! Capability model §9, compartments (isolation): cases 27–31.

mod cap_common;

use cap_common::*;
use cwamr::cap::Perms;
use cwamr::cap::violation::{self, ViolationKind};
use cwamr::runtime::compartment::{self, LOCAL_CAP_ESCAPE, POISONED};
use cwamr::runtime::delegation::{self, BufStatus};
use cwamr::runtime::externref::{self, index_to_cell};
use cwamr::runtime::{Extern, InstanceAddr};
use cwamr::types::{FuncType, ValType};
use cwamr::{HostFunc, Linker, Store, TrapCode, Val};

fn mem_bytes(s: &Store, i: InstanceAddr) -> Vec<u8> {
    let m = s.instance(i).unwrap().memory0().unwrap();
    let mut v = vec![0u8; m.len()];
    m.read(0, &mut v).unwrap();
    v
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn case27_memory_isolation() {
    let mut s = store();
    let b = inst(
        &mut s,
        &Linker::new(),
        r#"(module (memory (export "memory") 1)
            (func (export "read") (param i32) (result i64) (i64.load (local.get 0))))"#,
    );
    let mut l = Linker::new();
    l.instance(&s, "b", b);
    let a = inst(
        &mut s,
        &l,
        r#"(module
            (import "b" "read" (func $read (param i32) (result i64)))
            (memory 1)
            (data (i32.const 0x100) "TOPSECRET")
            (func (export "run") (result i64) (call $read (i32.const 0x100))))"#,
    );
    let got = match call(&mut s, a, "run", &[]).unwrap()[..] {
        [Val::I64(v)] => v,
        ref r => panic!("{r:?}"),
    };
    // B read its own memory at that offset (zeros), never A's secret.
    assert_eq!(got, 0);
    assert!(!contains(&got.to_le_bytes(), b"TOPS"));
    assert!(!contains(&mem_bytes(&s, b), b"TOPSECRET"));
    assert!(contains(&mem_bytes(&s, a), b"TOPSECRET"));
    assert_usable();
}

#[test]
fn case28_signature_spoofing_via_shared_table_traps() {
    let mut s = store();
    let a_table = inst(
        &mut s,
        &Linker::new(),
        r#"(module (table (export "t") 2 funcref))"#,
    );
    let mut l = Linker::new();
    l.instance(&s, "a", a_table);
    // B puts a `(i32) -> i32` function into the table A uses.
    let _b = inst(
        &mut s,
        &l,
        r#"(module (import "a" "t" (table 2 funcref))
            (func $f (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
            (elem (i32.const 0) $f))"#,
    );
    let a = inst(
        &mut s,
        &l,
        r#"(module (import "a" "t" (table 2 funcref))
            (type $spoof (func (param i64)))
            (type $real (func (param i32) (result i32)))
            (func (export "spoof") (call_indirect (type $spoof) (i64.const 1) (i32.const 0)))
            (func (export "honest") (result i32) (call_indirect (type $real) (i32.const 41) (i32.const 0))))"#,
    );
    assert_trap(
        call(&mut s, a, "spoof", &[]),
        TrapCode::IndirectCallTypeMismatch,
    );
    assert_eq!(call_i32(&mut s, a, "honest", &[]), 42);
    assert_usable();
}

#[test]
fn case29_trap_containment_and_poisoning() {
    let mut s = store();
    let b = inst(
        &mut s,
        &Linker::new(),
        r#"(module (memory 1)
            (func (export "boom") (param i32) (result i32) unreachable)
            (func (export "oob") (param i32) (result i32) (i32.load (i32.const 0x7FFFFFF0)))
            (func (export "ok") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))"#,
    );
    let mut l = Linker::new();
    l.instance(&s, "b", b);
    let a = inst(
        &mut s,
        &l,
        r#"(module
            (import "b" "boom" (func $boom (param i32) (result i32)))
            (import "b" "oob" (func $oob (param i32) (result i32)))
            (import "b" "ok" (func $ok (param i32) (result i32)))
            (memory (export "memory") 1)
            (global $g (export "g") (mut i32) (i32.const 7))
            (table (export "t") 2 funcref)
            (elem (i32.const 0) $ok)
            (data (i32.const 64) "state of A")
            (func (export "run") (param i32) (result i32)
              ;; A's own writes before the call...
              (i32.store (i32.const 16) (i32.const 0x11223344))
              (global.set $g (i32.const 8))
              (if (result i32) (local.get 0)
                (then (call $boom (i32.const 1)))
                (else (call $oob (i32.const 1)))))
            (func (export "call_ok") (result i32) (call $ok (i32.const 21)))
            (func (export "local") (result i32) (i32.load (i32.const 16))))"#,
    );
    let table = match s.instance(a).unwrap().export("t") {
        Some(Extern::Table(t)) => t,
        _ => unreachable!(),
    };
    let table_before = s.table(table).unwrap().elems().to_vec();
    let mut mem_before = mem_bytes(&s, a);
    mem_before[16..20].copy_from_slice(&0x1122_3344u32.to_le_bytes());
    let poisoned0 = violation::count_kind(ViolationKind::CompartmentPoisoned);

    for (which, code) in [(1, TrapCode::Unreachable), (0, TrapCode::MemoryOutOfBounds)] {
        compartment::reset(&s, b);
        assert_trap(call(&mut s, a, "run", &[Val::I32(which)]), code);
        // A sees the trap at the boundary; its state is exactly its own writes.
        assert_eq!(mem_bytes(&s, a), mem_before);
        assert_eq!(
            s.global_get(match s.instance(a).unwrap().export("g") {
                Some(Extern::Global(g)) => g,
                _ => unreachable!(),
            }),
            Some(Val::I32(8))
        );
        assert_eq!(s.table(table).unwrap().elems(), &table_before[..]);
        // The trap came from B, and B is poisoned; A is not.
        let origin = s.last_trap_origin().expect("origin recorded");
        assert_eq!(origin.instance, b);
        assert_eq!(origin.compartment, compartment::of(&s, b).unwrap().id());
        assert!(compartment::of(&s, b).unwrap().is_poisoned());
        assert!(!compartment::of(&s, a).unwrap().is_poisoned());
        // Further entries into B are refused (through A, and directly) until reset.
        assert_host_trap(call(&mut s, a, "call_ok", &[]), POISONED);
        assert_host_trap(call(&mut s, b, "ok", &[Val::I32(1)]), POISONED);
        assert_eq!(call_i32(&mut s, a, "local", &[]), 0x1122_3344);
    }
    assert!(violation::count_kind(ViolationKind::CompartmentPoisoned) >= poisoned0 + 4);
    assert!(compartment::reset(&s, b));
    assert_eq!(call_i32(&mut s, a, "call_ok", &[]), 42);
    assert_eq!(call_i32(&mut s, b, "ok", &[Val::I32(5)]), 10);

    // Under TrapPolicy::Continue (WebAssembly semantics) B stays usable.
    let mut s2 = Store::new(cwamr::StoreConfig {
        trap_policy: cwamr::runtime::TrapPolicy::Continue,
        ..Default::default()
    });
    let b2 = inst(
        &mut s2,
        &Linker::new(),
        r#"(module (func (export "boom") unreachable) (func (export "ok") (result i32) i32.const 1))"#,
    );
    let mut l2 = Linker::new();
    l2.instance(&s2, "b", b2);
    let a2 = inst(
        &mut s2,
        &l2,
        r#"(module (import "b" "boom" (func $b)) (import "b" "ok" (func $ok (result i32)))
        (func (export "run") (call $b)) (func (export "ok") (result i32) (call $ok)))"#,
    );
    assert_trap(call(&mut s2, a2, "run", &[]), TrapCode::Unreachable);
    assert_eq!(s2.last_trap_origin().unwrap().instance, b2);
    assert_eq!(call_i32(&mut s2, a2, "ok", &[]), 1);
    assert_usable();
}

/// Host imports of B: `env.forward(ref)` calls C's `take` with the reference (a host
/// function forwarding to another compartment).
fn forwarding_linker(c_take: cwamr::FuncAddr) -> Linker {
    let mut l = Linker::new();
    l.func(
        "env",
        "forward",
        HostFunc::new(
            FuncType::new([ValType::ExternRef], [ValType::I32]),
            move |caller, cells| {
                let mut args = [cells[0]];
                caller.call_raw(c_take, &mut args)?;
                cells[0] = args[0];
                Ok(())
            },
        ),
    );
    l
}

#[test]
fn case30_local_capability_escape_traps() {
    let mut s = store();
    // C owns an externref table shared with B, and a function taking a reference.
    let c = inst(
        &mut s,
        &Linker::new(),
        r#"(module (table (export "t") 2 externref)
            (func (export "take") (param externref) (result i32) (ref.is_null (local.get 0))))"#,
    );
    let mut lb = forwarding_linker(func(&s, c, "take"));
    lb.instance(&s, "c", c);
    let b = inst(
        &mut s,
        &lb,
        r#"(module
            (import "env" "forward" (func $fwd (param externref) (result i32)))
            (import "c" "t" (table $ct 2 externref))
            (global $held (mut externref) (ref.null extern))
            (func (export "hold") (param externref) (global.set $held (local.get 0)))
            (func (export "leak") (result externref) (global.get $held))
            (func (export "stash") (table.set $ct (i32.const 0) (global.get $held)))
            (func (export "fill") (table.fill $ct (i32.const 0) (global.get $held) (i32.const 2)))
            (func (export "forward") (result i32) (call $fwd (global.get $held))))"#,
    );
    let mut la = Linker::new();
    la.instance(&s, "b", b);
    let a = inst(
        &mut s,
        &la,
        r#"(module (import "b" "leak" (func $leak (result externref)))
            (table 1 externref)
            (func (export "steal") (result i32)
              (table.set (i32.const 0) (call $leak))
              (ref.is_null (table.get (i32.const 0)))))"#,
    );
    let cb = compartment::of(&s, b).unwrap().id();
    let t = externref::table();
    let escapes0 = violation::count_kind(ViolationKind::LocalCapEscape);

    // A compartment-local reference of B (WAMR's obj2ref: never GLOBAL).
    let local = index_to_cell(t.obj2ref(cb, 0x10CA1).unwrap());
    call(&mut s, b, "hold", &[Val::ExternRef(local)]).unwrap();
    assert_host_trap(call(&mut s, a, "steal", &[]), LOCAL_CAP_ESCAPE); // return it to A
    // B tried it: the trap's origin is B, and B is poisoned until reset.
    assert_eq!(s.last_trap_origin().unwrap().instance, b);
    assert!(compartment::of(&s, b).unwrap().is_poisoned());
    assert!(compartment::reset(&s, b));
    assert_host_trap(call(&mut s, b, "stash", &[]), LOCAL_CAP_ESCAPE); // table shared with C
    assert_host_trap(call(&mut s, b, "fill", &[]), LOCAL_CAP_ESCAPE);
    assert_host_trap(call(&mut s, b, "forward", &[]), LOCAL_CAP_ESCAPE); // host forwards to C
    let c_table = match s.instance(c).unwrap().export("t") {
        Some(Extern::Table(tt)) => tt,
        _ => unreachable!(),
    };
    assert!(
        s.table(c_table).unwrap().elems().iter().all(|&e| e == 0),
        "nothing leaked into C"
    );
    assert!(violation::count_kind(ViolationKind::LocalCapEscape) >= escapes0 + 4);

    // A non-GLOBAL delegation externref is local too.
    let a_mem = inst(&mut s, &Linker::new(), r#"(module (memory 1))"#);
    let d = delegation::delegate(&s, a_mem, 0, 16, Perms::LOAD).unwrap();
    let dref = delegation::grant(&s, d, b).unwrap();
    call(&mut s, b, "hold", &[Val::ExternRef(dref)]).unwrap();
    assert_host_trap(call(&mut s, a, "steal", &[]), LOCAL_CAP_ESCAPE);
    compartment::reset(&s, b);

    // A GLOBAL reference may cross everywhere.
    let global = index_to_cell(
        t.new_ref(cb, 0x610B, cwamr::cap::OType::EXTERNREF, true, None)
            .unwrap(),
    );
    call(&mut s, b, "hold", &[Val::ExternRef(global)]).unwrap();
    assert_eq!(call_i32(&mut s, a, "steal", &[]), 0);
    call(&mut s, b, "stash", &[]).unwrap();
    assert_eq!(s.table(c_table).unwrap().elems()[0], global);
    assert_eq!(call_i32(&mut s, b, "forward", &[]), 0);
    // C reading its own table's global reference is fine; B reading a local reference of C
    // out of the shared table is not.
    let local_c = index_to_cell(
        t.obj2ref(compartment::of(&s, c).unwrap().id(), 0xCC)
            .unwrap(),
    );
    s.table_mut(c_table).unwrap().set(1, local_c).unwrap();
    let mut lr = Linker::new();
    lr.instance(&s, "c", c);
    let reader = inst(
        &mut s,
        &lr,
        r#"(module (import "c" "t" (table $ct 2 externref))
            (func (export "peek") (param i32) (result i32) (ref.is_null (table.get $ct (local.get 0)))))"#,
    );
    assert_eq!(call_i32(&mut s, reader, "peek", &[Val::I32(0)]), 0);
    assert_host_trap(
        call(&mut s, reader, "peek", &[Val::I32(1)]),
        LOCAL_CAP_ESCAPE,
    );
    assert_usable();
}

#[test]
fn case31_delegation_bounds_perms_revocation() {
    let mut s = store();
    let a = inst(
        &mut s,
        &Linker::new(),
        r#"(module (memory (export "memory") 1)
            (data (i32.const 0x100) "0123456789abcdef")
            (data (i32.const 0x1F0) "tail-of-window!!"))"#,
    );
    let mut l = Linker::new();
    compartment::add_to_linker(&mut l);
    let b = inst(
        &mut s,
        &l,
        r#"(module
            (import "cwamr" "buf_read" (func $rd (param externref i32 i32 i32) (result i32)))
            (import "cwamr" "buf_write" (func $wr (param externref i32 i32 i32) (result i32)))
            (import "cwamr" "buf_len" (func $len (param externref) (result i32)))
            (memory (export "memory") 1)
            (data (i32.const 0x800) "from B")
            (func (export "read") (param externref i32 i32 i32) (result i32)
              (call $rd (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
            (func (export "write") (param externref i32 i32 i32) (result i32)
              (call $wr (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
            (func (export "len") (param externref) (result i32) (call $len (local.get 0))))"#,
    );
    let rd = |s: &mut Store, h: u64, off: i32, dst: i32, len: i32| {
        call_i32(
            s,
            b,
            "read",
            &[
                Val::ExternRef(h),
                Val::I32(off),
                Val::I32(dst),
                Val::I32(len),
            ],
        )
    };
    let wr = |s: &mut Store, h: u64, off: i32, src: i32, len: i32| {
        call_i32(
            s,
            b,
            "write",
            &[
                Val::ExternRef(h),
                Val::I32(off),
                Val::I32(src),
                Val::I32(len),
            ],
        )
    };
    // A[0x100..0x200) read-only to B.
    let d = delegation::delegate(&s, a, 0x100, 0x100, Perms::LOAD).unwrap();
    let h = delegation::grant(&s, d, b).unwrap();
    assert_eq!(call_i32(&mut s, b, "len", &[Val::ExternRef(h)]), 0x100);
    assert_eq!(rd(&mut s, h, 0, 0x40, 16), BufStatus::Ok as i32);
    assert_eq!(&mem_bytes(&s, b)[0x40..0x50], b"0123456789abcdef");
    assert_eq!(rd(&mut s, h, 0xF0, 0x60, 16), BufStatus::Ok as i32);
    assert_eq!(&mem_bytes(&s, b)[0x60..0x70], b"tail-of-window!!");
    let before_a = mem_bytes(&s, a);
    assert_eq!(wr(&mut s, h, 0, 0x800, 6), BufStatus::Perm as i32);
    assert_eq!(rd(&mut s, h, 0xF8, 0x40, 16), BufStatus::Bounds as i32); // A[0x1F8..0x208)
    assert_eq!(rd(&mut s, h, -8, 0x40, 16), BufStatus::Bounds as i32);
    assert_eq!(rd(&mut s, h, 0, 65536 - 8, 16), BufStatus::Bounds as i32); // B's side
    assert_eq!(mem_bytes(&s, a), before_a, "A untouched");
    // Forged/foreign references are not delegations.
    assert_eq!(rd(&mut s, 0, 0, 0, 1), BufStatus::Invalid as i32);
    let not_deleg = index_to_cell(
        externref::table()
            .obj2ref(compartment::of(&s, b).unwrap().id(), d.bits() as usize)
            .unwrap(),
    );
    assert_eq!(rd(&mut s, not_deleg, 0, 0x40, 1), BufStatus::Invalid as i32);
    let c = inst(&mut s, &l, r#"(module (memory 1))"#);
    let h_for_c = delegation::grant(&s, d, c).unwrap();
    assert_eq!(
        rd(&mut s, h_for_c, 0, 0x40, 1),
        BufStatus::Invalid as i32,
        "C's ref, not B's"
    );
    // Revocation makes every copy stale.
    delegation::revoke(d).unwrap();
    assert!(delegation::revoke(d).is_err());
    assert!(!delegation::is_live(d));
    assert_eq!(rd(&mut s, h, 0, 0x40, 16), BufStatus::Stale as i32);

    // Read-write; writes land in A; destroying A makes it stale.
    let d2 = delegation::delegate(&s, a, 0x100, 0x100, Perms::LOAD | Perms::STORE).unwrap();
    let h2 = delegation::grant(&s, d2, b).unwrap();
    assert_eq!(wr(&mut s, h2, 4, 0x800, 6), BufStatus::Ok as i32);
    assert_eq!(&mem_bytes(&s, a)[0x104..0x10A], b"from B");
    assert!(compartment::destroy(&s, a));
    assert_eq!(rd(&mut s, h2, 0, 0x40, 16), BufStatus::Stale as i32);
    assert!(!delegation::is_live(d2));
    assert!(delegation::delegate(&s, a, 0, 1, Perms::LOAD).is_err());
    // Bad requests.
    let a2 = inst(&mut s, &Linker::new(), r#"(module (memory 1))"#);
    assert!(delegation::delegate(&s, a2, 65536 - 8, 16, Perms::LOAD).is_err());
    assert!(delegation::delegate(&s, a2, 0, 16, Perms::LOAD | Perms::EXECUTE).is_err());
    assert_usable();
}

#[test]
fn trap_origin_through_a_forwarding_host_import() {
    let mut s = store();
    let c = inst(
        &mut s,
        &Linker::new(),
        r#"(module (func (export "take") (param externref) (result i32) unreachable))"#,
    );
    let forward = forwarding_linker(func(&s, c, "take"));
    let b = inst(
        &mut s,
        &forward,
        r#"(module (import "env" "forward" (func $fwd (param externref) (result i32)))
            (func (export "go") (result i32) (call $fwd (ref.null extern))))"#,
    );
    assert_trap(call(&mut s, b, "go", &[]), TrapCode::Unreachable);
    let origin = s.last_trap_origin().unwrap();
    assert_eq!(
        origin.instance, c,
        "the innermost instance, not the host's caller"
    );
    assert!(compartment::of(&s, c).unwrap().is_poisoned());
    assert!(!compartment::of(&s, b).unwrap().is_poisoned());
    // A trap raised directly by the called instance is its own.
    compartment::reset(&s, c);
    let d = inst(
        &mut s,
        &Linker::new(),
        r#"(module (func (export "f") unreachable))"#,
    );
    assert_trap(call(&mut s, d, "f", &[]), TrapCode::Unreachable);
    assert_eq!(s.last_trap_origin().unwrap().instance, d);
    assert!(!compartment::of(&s, d).unwrap().is_poisoned());
    assert_usable();
}

/// A mutable externref global exported by C and imported by B is shared state, guarded like a
/// shared table: B may not write its local references into it, nor read C's local ones out.
#[test]
fn shared_externref_global_is_guarded() {
    let mut s = store();
    let c = inst(
        &mut s,
        &Linker::new(),
        r#"(module (global (export "g") (mut externref) (ref.null extern))
            (func (export "set") (param externref) (global.set 0 (local.get 0)))
            (func (export "is_null") (result i32) (ref.is_null (global.get 0))))"#,
    );
    let mut lb = Linker::new();
    lb.instance(&s, "c", c);
    let b = inst(
        &mut s,
        &lb,
        r#"(module (import "c" "g" (global $g (mut externref)))
            (func (export "put") (param externref) (global.set $g (local.get 0)))
            (func (export "peek") (result i32) (ref.is_null (global.get $g))))"#,
    );
    let t = externref::table();
    let cb = compartment::of(&s, b).unwrap().id();
    let cc = compartment::of(&s, c).unwrap().id();
    let escapes0 = violation::count_kind(ViolationKind::LocalCapEscape);

    // B's local reference may not go into the shared global.
    let local_b = index_to_cell(t.obj2ref(cb, 0xB0CA1).unwrap());
    assert_host_trap(
        call(&mut s, b, "put", &[Val::ExternRef(local_b)]),
        LOCAL_CAP_ESCAPE,
    );
    compartment::reset(&s, b);
    assert_eq!(
        call_i32(&mut s, c, "is_null", &[]),
        1,
        "nothing leaked into C"
    );
    // C's local reference, stored by C itself, may not be read by B.
    let local_c = index_to_cell(t.obj2ref(cc, 0xC0CA1).unwrap());
    call(&mut s, c, "set", &[Val::ExternRef(local_c)]).unwrap();
    assert_host_trap(call(&mut s, b, "peek", &[]), LOCAL_CAP_ESCAPE);
    compartment::reset(&s, b);
    // GLOBAL references and null cross freely.
    let global = index_to_cell(
        t.new_ref(cb, 0x610B, cwamr::cap::OType::EXTERNREF, true, None)
            .unwrap(),
    );
    call(&mut s, b, "put", &[Val::ExternRef(global)]).unwrap();
    assert_eq!(call_i32(&mut s, b, "peek", &[]), 0);
    assert_eq!(call_i32(&mut s, c, "is_null", &[]), 0);
    call(&mut s, b, "put", &[Val::ExternRef(0)]).unwrap();
    assert_eq!(call_i32(&mut s, b, "peek", &[]), 1);
    assert!(violation::count_kind(ViolationKind::LocalCapEscape) >= escapes0 + 2);
    assert_usable();
}

/// `table.init` (and active element segments) into an imported externref table: the segment's
/// references (from an imported global) must be GLOBAL or null.
#[test]
fn table_init_into_shared_table_is_guarded() {
    let mut s = store();
    let c = inst(
        &mut s,
        &Linker::new(),
        r#"(module (table (export "t") 2 externref)
            (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get (local.get 0)))))"#,
    );
    let t = externref::table();
    let b_text = r#"(module (import "c" "t" (table $ct 2 externref))
            (import "host" "r" (global $r externref))
            (elem $e externref (item global.get $r))
            (func (export "init") (table.init $ct $e (i32.const 0) (i32.const 0) (i32.const 1))))"#;
    // The host hands B a reference through an immutable global; a compartment-local one is
    // refused when B copies it into C's table, a GLOBAL one passes.
    let owner = compartment::of(&s, c).unwrap().id();
    let local = index_to_cell(t.obj2ref(owner, 0x10CA1).unwrap());
    let global = index_to_cell(
        t.new_ref(owner, 0x610B, cwamr::cap::OType::EXTERNREF, true, None)
            .unwrap(),
    );
    // A linker with C's exports and `host.r`, an immutable global holding `value`.
    let linker_with = |s: &mut Store, value: u64| {
        let g = s.add_global(
            cwamr::types::GlobalType {
                content: ValType::ExternRef,
                mutable: false,
            },
            Val::ExternRef(value),
        );
        let mut l = Linker::new();
        l.instance(s, "c", c);
        l.define(
            "host",
            "r",
            cwamr::runtime::Definition::Extern(Extern::Global(g)),
        );
        l
    };
    for (value, ok) in [(local, false), (global, true)] {
        let lb = linker_with(&mut s, value);
        let b = inst(&mut s, &lb, b_text);
        let r = call(&mut s, b, "init", &[]);
        if ok {
            r.unwrap();
            assert_eq!(call_i32(&mut s, c, "is_null", &[Val::I32(0)]), 0);
        } else {
            assert_host_trap(r, LOCAL_CAP_ESCAPE);
            assert_eq!(
                call_i32(&mut s, c, "is_null", &[Val::I32(0)]),
                1,
                "nothing leaked"
            );
        }
    }
    // An active segment doing the same at instantiation: the instantiation fails.
    let lb = linker_with(&mut s, local);
    let active = module(
        r#"(module (import "c" "t" (table $ct 2 externref))
            (import "host" "r" (global $r externref))
            (elem (table $ct) (i32.const 1) externref (item global.get $r)))"#,
    );
    assert!(lb.instantiate(&mut s, &active).is_err());
    assert_eq!(
        call_i32(&mut s, c, "is_null", &[Val::I32(1)]),
        1,
        "nothing leaked"
    );
    assert_usable();
}
