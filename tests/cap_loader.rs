//! Capability model §9, loader / interpreter robustness (classes A, B, G):
//! cases 20 (malformed corpus, incl. a bounded wasm-smith run), 21 (declared-count
//! bombs), 22 (deep recursion) and 24 (module-level externref forging).
//!
//! "No crash" is checked literally: every load and run happens under
//! `catch_unwind`, and the global allocator records the largest single allocation made
//! while loading.

mod cap_common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

use cap_common::*;
use cwamr::runtime::{Extern, compartment};
use cwamr::types::FuncType;
use cwamr::{HostFunc, Linker, Module, Store, StoreConfig, TrapCode, Val};

// ----- largest allocation per thread -----
// (measured by cwamr's own global allocator: a second one would conflict)

/// Loads `bytes` and returns the result plus the largest allocation made meanwhile.
fn load_measured(bytes: &[u8]) -> (Result<Module, String>, usize) {
    let (r, largest) =
        cwamr::os::alloc::measure_largest(|| catch_unwind(AssertUnwindSafe(|| Module::new(bytes))));
    match r {
        Ok(r) => (r.map_err(|e| e.to_string()), largest),
        Err(_) => panic!(
            "loader panicked on {} bytes: {:02x?}",
            bytes.len(),
            &bytes[..bytes.len().min(64)]
        ),
    }
}

/// Largest single allocation the loader may make for the inputs here (the modules are
/// a few hundred bytes; a proportional allocation for a declared count of 2^32 would be
/// gigabytes).
const LOAD_ALLOC_LIMIT: usize = 4 << 20;

// ----- running what loads -----

/// Instantiates and calls every exported function with zero arguments, with a
/// deadline (the interrupt flag) for non-terminating code. Only returns or traps.
fn run_module(m: &Module) {
    let mut store = Store::new(StoreConfig {
        stack_size: 256 * 1024,
        max_memory_pages: 64,
        ..StoreConfig::default()
    });
    let h = store.interrupt_handle();
    let (tx, rx) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_millis(300)) {
            h.store(1, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let r = catch_unwind(AssertUnwindSafe(|| {
        let Ok(inst) = Linker::new().instantiate(&mut store, m) else {
            return;
        };
        for e in m.exports() {
            let Some(Extern::Func(f)) = store.instance(inst).and_then(|i| i.export(&e.name)) else {
                continue;
            };
            let ty = store.func(f).unwrap().ty().clone();
            let args: Vec<Val> = ty.params().iter().map(|t| Val::default_for(*t)).collect();
            let _ = store.call(f, &args);
            compartment::reset(&store, inst);
        }
    }));
    drop(tx);
    watchdog.join().unwrap();
    assert!(r.is_ok(), "runtime panicked running a module");
}

// ----- corpus -----

const SEEDS: &[&str] = &[
    r#"(module
        (type $t (func (param i32) (result i32)))
        (import "env" "f" (func $imp (param i32) (result i32)))
        (memory (export "mem") 1 2)
        (table 4 funcref)
        (global $g (mut i32) (i32.const 7))
        (elem (i32.const 0) $a $b)
        (data (i32.const 8) "hello world")
        (func $a (type $t) (i32.add (local.get 0) (global.get $g)))
        (func $b (type $t) (call_indirect (type $t) (local.get 0) (i32.const 0)))
        (func (export "loop") (param i32) (result i32) (local i64)
          (block (loop (br_if 1 (i32.eqz (local.get 0)))
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (local.set 1 (i64.add (local.get 1) (i64.load8_u (local.get 0))))
            (br 0)))
          (i32.wrap_i64 (local.get 1)))
        (func (export "grow") (result i32) (drop (memory.grow (i32.const 1))) (i32.load (i32.const 8)))
        (start $s) (func $s (global.set $g (i32.const 9))))"#,
    r#"(module
        (func (export "sw") (param i32) (result i32)
          (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 1))) (return (i32.const 2)))
          (i32.const 3))
        (func (export "fl") (param f64) (result i64) (i64.trunc_sat_f64_s (f64.sqrt (local.get 0))))
        (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))"#,
    r#"(module
        (table $e 2 externref) (table $f 2 funcref)
        (memory 1)
        (data $d "passive")
        (elem $el func $x)
        (func $x (result i32) (i32.const 5))
        (func (export "bulk")
          (memory.init $d (i32.const 0) (i32.const 0) (i32.const 7))
          (memory.copy (i32.const 10) (i32.const 0) (i32.const 7))
          (memory.fill (i32.const 20) (i32.const 1) (i32.const 3))
          (table.init $f $el (i32.const 0) (i32.const 0) (i32.const 1))
          (drop (table.grow $e (ref.null extern) (i32.const 1)))
          (data.drop $d))
        (func (export "ind") (result i32) (call_indirect $f (result i32) (i32.const 0))))"#,
    r#"(module
        (func $r (export "rec") (param i32) (result i32)
          (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
            (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))"#,
];

fn seeds() -> Vec<Vec<u8>> {
    SEEDS.iter().map(|w| wat::parse_str(w).unwrap()).collect()
}

fn leb(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

fn read_leb(b: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let byte = *b.get(at)?;
        at += 1;
        v |= u64::from(byte & 0x7F) << shift;
        if byte & 0x80 == 0 {
            return Some((v, at));
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// `(id, start of size, start of content, end)` of each section.
fn sections(b: &[u8]) -> Vec<(u8, usize, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 8;
    while at < b.len() {
        let id = b[at];
        let Some((size, content)) = read_leb(b, at + 1) else {
            break;
        };
        let end = content + size as usize;
        out.push((id, at + 1, content, end));
        at = end;
    }
    out
}

/// Every way the corpus mutates a valid module.
fn mutants(m: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // Truncations.
    for n in 0..m.len() {
        out.push(m[..n].to_vec());
    }
    // Single bit flips.
    for i in 0..m.len() {
        for bit in 0..8 {
            let mut v = m.to_vec();
            v[i] ^= 1 << bit;
            out.push(v);
        }
    }
    // Interesting bytes, overlong/unterminated LEBs.
    for i in 8..m.len() {
        for x in [0x00, 0x7F, 0x80, 0xFF] {
            let mut v = m.to_vec();
            v[i] = x;
            out.push(v);
        }
        let mut v = m.to_vec();
        v.splice(i..i, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80]);
        out.push(v);
    }
    // Huge counts and sizes in each section (with and without fixing the section size).
    for (id, size_at, content, end) in sections(m) {
        if id != 0 && id != 8 {
            if let Some((_, after)) = read_leb(m, content) {
                for fix in [false, true] {
                    let mut body = leb(u64::from(u32::MAX));
                    body.extend_from_slice(&m[after..end]);
                    let mut v = m[..size_at].to_vec();
                    v.extend(leb(if fix {
                        body.len() as u64
                    } else {
                        (end - content) as u64
                    }));
                    v.extend(body);
                    v.extend_from_slice(&m[end..]);
                    out.push(v);
                }
            }
        }
        let mut v = m[..size_at].to_vec();
        v.extend(leb(u64::from(u32::MAX)));
        v.extend_from_slice(&m[content..]);
        out.push(v);
    }
    out
}

#[test]
fn case20_malformed_corpus_only_errors_or_traps() {
    let mut loaded = 0usize;
    let mut total = 0usize;
    for seed in seeds() {
        if let Err(e) = Module::new(&seed) {
            panic!("seed rejected: {e}");
        }
        for bytes in mutants(&seed) {
            total += 1;
            let (r, largest) = load_measured(&bytes);
            assert!(
                largest <= LOAD_ALLOC_LIMIT,
                "load allocated {largest} bytes"
            );
            if let Ok(m) = r {
                loaded += 1;
                run_module(&m);
            }
        }
    }
    assert!(total > 5_000, "corpus of {total} modules");
    assert!(loaded > 0 && loaded < total);
    println!("malformed corpus: {total} modules, {loaded} still valid (run), none crashed");
    assert_usable();
}

#[test]
fn case20_wasm_smith_generated_and_mutated_modules() {
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut ran = 0;
    for _ in 0..120 {
        let raw: Vec<u8> = (0..2048).map(|_| next() as u8).collect();
        let mut u = arbitrary::Unstructured::new(&raw);
        let config = wasm_smith::Config {
            simd_enabled: false,
            relaxed_simd_enabled: false,
            threads_enabled: false,
            exceptions_enabled: false,
            gc_enabled: false,
            tail_call_enabled: false,
            memory64_enabled: false,
            custom_page_sizes_enabled: false,
            wide_arithmetic_enabled: false,
            extended_const_enabled: false,
            max_memories: 1,
            max_memory32_bytes: 1 << 20,
            max_tables: 2,
            max_table_elements: 1000,
            max_imports: 0,
            max_funcs: 20,
            max_instructions: 200,
            export_everything: true,
            ..wasm_smith::Config::default()
        };
        let Ok(mut m) = wasm_smith::Module::new(config, &mut u) else {
            continue;
        };
        let _ = m.ensure_termination(10_000);
        let bytes = m.to_bytes();
        let (r, largest) = load_measured(&bytes);
        assert!(largest <= LOAD_ALLOC_LIMIT);
        let m = r.unwrap_or_else(|e| panic!("wasm-smith module rejected: {e}"));
        run_module(&m);
        ran += 1;
        // A few random mutations of each.
        for _ in 0..20 {
            let mut v = bytes.clone();
            let i = 8 + (next() as usize) % (v.len() - 8).max(1);
            if i < v.len() {
                v[i] ^= 1 << (next() % 8);
            }
            let (r, largest) = load_measured(&v);
            assert!(largest <= LOAD_ALLOC_LIMIT);
            if let Ok(m) = r {
                run_module(&m);
            }
        }
    }
    assert!(ran >= 60, "only {ran} modules generated");
    assert_usable();
}

// ----- case 21 -----

fn section(id: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![id];
    v.extend(leb(content.len() as u64));
    v.extend_from_slice(content);
    v
}

fn module_of(sections: &[Vec<u8>]) -> Vec<u8> {
    let mut v = b"\0asm\x01\0\0\0".to_vec();
    for s in sections {
        v.extend_from_slice(s);
    }
    v
}

#[test]
fn case21_declared_count_bombs_are_rejected_early() {
    let huge = leb(u64::from(u32::MAX));
    let type_void = section(1, &[1, 0x60, 0, 0]);
    let func_one = section(3, &[1, 0]);
    let body = |locals: &[(u32, u8)]| {
        let mut b = leb(locals.len() as u64);
        for (n, t) in locals {
            b.extend(leb(u64::from(*n)));
            b.push(*t);
        }
        b.push(0x0B);
        let mut code = vec![1];
        code.extend(leb(b.len() as u64));
        code.extend(b);
        section(10, &code)
    };
    let bombs: Vec<(&str, Vec<u8>)> = vec![
        ("2^32-1 types", module_of(&[section(1, &huge)])),
        ("2^32-1 imports", module_of(&[section(2, &huge)])),
        (
            "2^32-1 functions",
            module_of(&[type_void.clone(), section(3, &huge)]),
        ),
        ("2^32-1 tables", module_of(&[section(4, &huge)])),
        ("2^32-1 globals", module_of(&[section(6, &huge)])),
        ("2^32-1 exports", module_of(&[section(7, &huge)])),
        ("2^32-1 elems", module_of(&[section(9, &huge)])),
        (
            "2^32-1 bodies",
            module_of(&[type_void.clone(), func_one.clone(), section(10, &huge)]),
        ),
        ("2^32-1 data segments", module_of(&[section(11, &huge)])),
        (
            "2^32-1 locals",
            module_of(&[
                type_void.clone(),
                func_one.clone(),
                body(&[(u32::MAX, 0x7F)]),
            ]),
        ),
        (
            "locals overflowing u32",
            module_of(&[
                type_void.clone(),
                func_one.clone(),
                body(&[(0x8000_0000, 0x7F), (0x8000_0000, 0x7E)]),
            ]),
        ),
        (
            "data count without data",
            module_of(&[section(5, &[1, 0, 1]), section(12, &[2])]),
        ),
        (
            "data count mismatch",
            module_of(&[
                section(5, &[1, 0, 1]),
                section(12, &[2]),
                section(11, &[1, 0, 0x41, 0, 0x0B, 0]),
            ]),
        ),
        (
            "memory.min 65537 pages",
            module_of(&[section(5, &[1, 0, 0x81, 0x80, 0x04])]),
        ),
        (
            "custom name of 2^32-1 bytes",
            module_of(&[section(0, &huge)]),
        ),
        ("section of 2^32-1 bytes", {
            let mut v = module_of(&[]);
            v.push(1);
            v.extend(&huge);
            v
        }),
    ];
    for (what, bytes) in bombs {
        let (r, largest) = load_measured(&bytes);
        assert!(r.is_err(), "{what}: accepted");
        assert!(largest <= 64 * 1024, "{what}: allocated {largest} bytes");
        let msg = r.unwrap_err();
        assert!(
            msg.starts_with("WASM module load failed: "),
            "{what}: {msg}"
        );
    }
    // Valid but huge declarations: instantiation refuses them against the configured
    // limits without allocating their size.
    let mut s = Store::new(StoreConfig {
        max_memory_pages: 16,
        ..StoreConfig::default()
    });
    for wat in [
        "(module (memory 65536))",
        "(module (table 0xFFFFFFFF funcref))",
    ] {
        let m = module(wat);
        let (r, largest) =
            cwamr::os::alloc::measure_largest(|| Linker::new().instantiate(&mut s, &m).is_err());
        assert!(r, "{wat}");
        assert!(largest <= 1 << 20);
    }
    assert_usable();
}

// ----- case 22 -----

#[test]
fn case22_deep_recursion_traps_with_the_host_stack_intact() {
    let mut s = store();
    let a = inst(
        &mut s,
        &Linker::new(),
        r#"(module (func $f (export "f") (call $f))
            (func $g (export "g") (param i64 i64 i64) (local f64 f64 f64 f64)
              (call $g (local.get 0) (local.get 1) (local.get 2))))"#,
    );
    assert_trap(call(&mut s, a, "f", &[]), TrapCode::OperandStackOverflow);
    assert_trap(
        call(&mut s, a, "g", &[Val::I64(1), Val::I64(2), Val::I64(3)]),
        TrapCode::OperandStackOverflow,
    );

    // A -> B -> A -> ... across compartments (through a shared table).
    let ta = inst(
        &mut s,
        &Linker::new(),
        r#"(module (table (export "t") 2 funcref)
            (func (export "ok") (result i32) (i32.const 1)))"#,
    );
    let mut l = Linker::new();
    l.instance(&s, "ta", ta);
    let ping_pong = |slot: i32| {
        format!(
            r#"(module (import "ta" "t" (table 2 funcref))
                (type $v (func))
                (func (export "go") (call_indirect (type $v) (i32.const {slot})))
                (func (export "ok") (result i32) (i32.const 2)))"#
        )
    };
    let pa = inst(&mut s, &l, &ping_pong(1));
    let pb = inst(&mut s, &l, &ping_pong(0));
    let table = match s.instance(ta).unwrap().export("t") {
        Some(Extern::Table(t)) => t,
        _ => unreachable!(),
    };
    let (fa, fb) = (func(&s, pa, "go"), func(&s, pb, "go"));
    s.table_mut(table)
        .unwrap()
        .set(0, u64::from(fa.0) + 1)
        .unwrap();
    s.table_mut(table)
        .unwrap()
        .set(1, u64::from(fb.0) + 1)
        .unwrap();
    assert_trap(call(&mut s, pa, "go", &[]), TrapCode::OperandStackOverflow);
    // Every compartment the trap unwound after the switcher let it in is poisoned: here
    // both, since the one the host called was re-entered from the other.
    assert!(compartment::of(&s, pb).unwrap().is_poisoned());
    assert!(compartment::of(&s, pa).unwrap().is_poisoned());
    assert!(compartment::reset(&s, pa) && compartment::reset(&s, pb));
    assert_eq!(call_i32(&mut s, pa, "ok", &[]), 2);
    assert_eq!(call_i32(&mut s, pb, "ok", &[]), 2);

    // Host re-entry recursion (wasm -> host -> wasm -> ...) ends in a trap, not a host
    // stack overflow, even on a small thread stack.
    let t = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut s = store();
            let mut l = Linker::new();
            l.func(
                "env",
                "again",
                HostFunc::new(FuncType::new([], []), |caller, _| {
                    let inst = caller.instance().unwrap();
                    let f = match caller.store().instance(inst).unwrap().export("f") {
                        Some(Extern::Func(f)) => f,
                        _ => unreachable!(),
                    };
                    caller.call_raw(f, &mut [])
                }),
            );
            let i = inst(
                &mut s,
                &l,
                r#"(module (import "env" "again" (func $h)) (func (export "f") (call $h)))"#,
            );
            assert_trap(call(&mut s, i, "f", &[]), TrapCode::NativeStackOverflow);
        })
        .unwrap();
    t.join().expect("no host stack overflow");
    assert_usable();
}

// ----- case 24 -----

#[test]
fn case24_module_level_externref_forging_is_rejected() {
    let invalid = [
        "(module (func (param i32) (result externref) (local.get 0)))",
        "(module (func (result externref) (i32.const 1)))",
        "(module (global externref (i32.const 0)))",
        "(module (table 1 externref) (func (call_indirect (i32.const 0))))",
        "(module (table 1 externref) (func $f) (elem declare func $f) (func (table.set (i32.const 0) (ref.func $f))))",
        "(module (func (param externref) (result i32) (local.get 0)))",
        "(module (func (param i32 externref) (result i32) (select (local.get 0) (local.get 1) (i32.const 1))))",
        "(module (table 1 externref) (func (result i32) (table.get (i32.const 0))))",
        "(module (func (result externref) (ref.func 0)))",
    ];
    for wat in invalid {
        let bytes = wat::parse_str(wat).unwrap();
        let (r, _) = load_measured(&bytes);
        assert!(r.is_err(), "accepted: {wat}");
    }
    // A well-typed module cannot reinterpret a function through a table either.
    let mut s = store();
    let i = inst(
        &mut s,
        &Linker::new(),
        r#"(module (table 1 funcref)
            (func $f (param i32) (result i32) (local.get 0))
            (elem (i32.const 0) $f)
            (func (export "forge") (result externref)
              (call_indirect (param i32) (result externref) (i32.const 7) (i32.const 0))))"#,
    );
    assert_trap(
        call(&mut s, i, "forge", &[]),
        TrapCode::IndirectCallTypeMismatch,
    );
    assert_usable();
}
