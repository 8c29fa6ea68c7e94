//! Cost of the capability core's checks (issue 3 acceptance), in ns/op, and
//! their share of an empty host→wasm call round trip.
//!
//! Run: `cargo bench --bench cap` (release profile). Prints one line per
//! measurement — the best of 15 runs, which is robust to interference from
//! other processes on a shared machine — and the shares. No timing
//! assertion: this is a measurement, not a test. Without `--bench` (as when
//! `cargo test --all-targets` runs it) it is a quick smoke run.

use std::hint::black_box;
use std::time::Instant;

use cwamr::cap::{OType, Perms};

use cwamr::runtime::externref;
use cwamr::runtime::guest::{GuestRange, NativeSig, PtrWidth};
use cwamr::runtime::{CompartmentId, Extern};
use cwamr::{Linker, Module, Store, StoreConfig, Val};

/// Number of timed runs (1 in a smoke run).
fn runs() -> usize {
    if full() { 15 } else { 1 }
}

/// True when run by `cargo bench` (which passes `--bench`).
fn full() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Best ns/op of `f` run `iters` times, over [`runs`] runs.
fn measure(iters: u64, mut f: impl FnMut(u64)) -> f64 {
    let iters = if full() { iters } else { (iters / 1000).max(1) };
    for i in 0..iters / 10 {
        f(i);
    }
    let runs: Vec<f64> = (0..runs())
        .map(|_| {
            let t = Instant::now();
            for i in 0..iters {
                f(i);
            }
            t.elapsed().as_nanos() as f64 / iters as f64
        })
        .collect();
    runs.into_iter().fold(f64::INFINITY, f64::min)
}

fn export(store: &Store, inst: cwamr::runtime::InstanceAddr, name: &str) -> cwamr::FuncAddr {
    match store.instance(inst).and_then(|i| i.export(name)) {
        Some(Extern::Func(f)) => f,
        _ => panic!("no export {name}"),
    }
}

fn main() {
    let wasm = wat::parse_str(
        r#"(module (memory (export "memory") 1)
            (data (i32.const 64) "a string argument\00")
            (func (export "empty"))
            (func $nop)
            (func (export "self_loop") (param i32)
              (loop (call $nop) (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"#,
    )
    .unwrap();
    let callee = wat::parse_str(r#"(module (func (export "nop")))"#).unwrap();
    let mut store = Store::new(StoreConfig::default());
    let b = Linker::new()
        .instantiate(&mut store, &Module::new(&callee).unwrap())
        .unwrap();
    let a = Linker::new()
        .instantiate(&mut store, &Module::new(&wasm).unwrap())
        .unwrap();
    let mut lc = Linker::new();
    lc.instance(&store, "b", b);
    let cross = wat::parse_str(
        r#"(module (import "b" "nop" (func $nop))
            (func (export "cross_loop") (param i32)
              (loop (call $nop) (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))"#,
    )
    .unwrap();
    let c = lc
        .instantiate(&mut store, &Module::new(&cross).unwrap())
        .unwrap();
    let empty = export(&store, a, "empty");
    let self_loop = export(&store, a, "self_loop");
    let cross_loop = export(&store, c, "cross_loop");
    let mem = store.instance(a).unwrap().memory0().unwrap().clone();
    let cid = store.instance(a).unwrap().compartment().id();

    let n: u64 = if full() { 2_000_000 } else { 2_000 };
    let round_trip = measure(n, |_| {
        store.call_raw(black_box(empty), &mut []).unwrap();
    });
    let best =
        |f: fn(u64, usize) -> f64| (0..runs()).map(|_| f(n, 1)).fold(f64::INFINITY, f64::min);
    let handle_validate = best(cwamr::cap::bench_handle_validate);
    // The C API's path for repeated handles: a thread-local one-entry cache keyed by the
    // handle bits, owner and the table's removal count (falls back to the full validation).
    let table: cwamr::cap::HandleTable<u64> = cwamr::cap::HandleTable::new();
    let owner = cwamr::cap::OwnerId::new(1);
    let handle = table
        .insert(OType::FUNC, owner, std::sync::Arc::new(7))
        .unwrap();
    let cache = cwamr::cap::HandleCache::new();
    let handle_lent = measure(n, |_| {
        let h = black_box(handle);
        black_box(cache.with_validated(
            &table,
            h,
            1,
            || table.get(h, OType::FUNC, Some(owner)).ok(),
            |v| **v,
        ));
    });
    let handle_cached = measure(n, |_| {
        let h = black_box(handle);
        black_box(
            cache.get_or_validate(&table, h, 1, || table.get(h, OType::FUNC, Some(owner)).ok()),
        );
    });
    let handle_lookup = best(cwamr::cap::bench_handle_lookup);
    let view_new = measure(n, |i| {
        let off = black_box(1024 + (i & 255));
        black_box(GuestRange::new(&mem, off, black_box(16), Perms::LOAD | Perms::STORE).is_ok());
    });
    let mut word = [0u8; 4];
    let view_read = measure(n, |i| {
        let r = GuestRange::new(&mem, black_box(1024 + (i & 255)), 16, Perms::LOAD).unwrap();
        r.read(black_box(4), &mut word).unwrap();
        black_box(word);
    });
    let view_reject = measure(n, |i| {
        black_box(GuestRange::new(&mem, black_box(u64::MAX - (i & 7)), 16, Perms::LOAD).is_err());
    });
    let sig_ptr = NativeSig::parse("(i*~)i", false).unwrap();
    let mut out = Vec::with_capacity(4);
    let native_ptr = measure(n, |i| {
        sig_ptr
            .check_into(
                Some(&mem),
                &[7, 1024 + (i & 255), 64],
                None,
                PtrWidth::W32,
                false,
                &mut out,
            )
            .unwrap();
        black_box(&out);
    });
    let sig_str = NativeSig::parse("($)i", false).unwrap();
    let native_str = measure(n / 4, |_| {
        sig_str
            .check_into(Some(&mem), &[64], None, PtrWidth::W32, false, &mut out)
            .unwrap();
        black_box(&out);
    });
    let t = externref::table();
    let idx = t.obj2ref(cid, 0xABCD).unwrap();
    let ref2obj = measure(n, |_| {
        black_box(t.ref2obj(black_box(idx)).unwrap());
    });
    let ref2obj_strict = measure(n, |_| {
        black_box(
            t.ref2obj_strict(cid, black_box(idx), OType::EXTERNREF)
                .unwrap(),
        );
    });
    let other = CompartmentId(cid.0 ^ 1);
    let may_enter = measure(n, |_| {
        black_box(t.may_enter(black_box(externref::index_to_cell(idx)), other));
    });
    const LOOP: i32 = 1000;
    let internal_call = measure(1000, |_| {
        store.call(self_loop, &[Val::I32(LOOP)]).unwrap();
    }) / f64::from(LOOP);
    let cross_call = measure(1000, |_| {
        store.call(cross_loop, &[Val::I32(LOOP)]).unwrap();
    }) / f64::from(LOOP);

    if !full() {
        println!("(smoke run; `cargo bench --bench cap` measures)");
    }
    println!("capability-core costs (ns/op, best of {} runs)", runs());
    let line = |name: &str, v: f64| println!("  {name:<52} {v:8.2}");
    line(
        "empty host->wasm call round trip (Store::call_raw)",
        round_trip,
    );
    line("sealed handle validate (1 thread)", handle_validate);
    line("sealed handle lookup + Arc clone (1 thread)", handle_lookup);
    line(
        "cached handle revalidation, lent (C API call path)",
        handle_lent,
    );
    line("cached handle revalidation + Arc clone", handle_cached);
    line("GuestRange::new (accept)", view_new);
    line("GuestRange::new + read 4 bytes", view_read);
    line("GuestRange::new (reject, wrap-around)", view_reject);
    line("NativeSig check \"(i*~)i\" (3 args)", native_ptr);
    line("NativeSig check \"($)i\" (18-byte snapshot)", native_str);
    line("externref ref2obj (WAMR form)", ref2obj);
    line("externref ref2obj_strict (owner + unseal)", ref2obj_strict);
    line("switcher externref rule (may_enter)", may_enter);
    line("wasm->wasm call, same instance", internal_call);
    line("wasm->wasm call across compartments (switcher)", cross_call);
    let share = |v: f64| 100.0 * v / round_trip;
    println!("share of an empty host->wasm round trip:");
    println!(
        "  handle validate + guest view check:   {:5.1}%",
        share(handle_validate + view_new)
    );
    println!(
        "  handle lookup + (i*~)i native check: {:5.1}%",
        share(handle_lookup + native_ptr)
    );
    println!(
        "  cached revalidation (lent) + view:    {:5.1}%",
        share(handle_lent + view_new)
    );
    println!(
        "  switcher overhead per cross call:    {:+.2} ns",
        cross_call - internal_call
    );
    capi_call_path(n);
}

/// The WAMR C API's call path, where the handles are: `wasm_runtime_call_wasm` of an empty
/// function, and the validation of its exec env + function handles alone (the cached path a
/// loop of calls takes).
fn capi_call_path(n: u64) {
    use cwamr::capi::wamr::{call, call_cache, exec_env, instance, module, runtime};
    let mut wasm = wat::parse_str(r#"(module (func (export "nop")))"#).unwrap();
    let mut err = [0 as std::ffi::c_char; 128];
    assert!(runtime::wasm_runtime_init());
    // SAFETY: `wasm` outlives the module (the runtime copies it anyway) and `err` is writable.
    let m = unsafe {
        module::wasm_runtime_load(wasm.as_mut_ptr(), wasm.len() as u32, err.as_mut_ptr(), 128)
    };
    assert!(!m.is_null());
    // SAFETY: `m` is a live module handle and `err` is writable.
    let inst = unsafe { instance::wasm_runtime_instantiate(m, 16384, 0, err.as_mut_ptr(), 128) };
    assert!(!inst.is_null());
    let env = exec_env::wasm_runtime_create_exec_env(inst, 65536);
    // SAFETY: the name is a C string.
    let f = unsafe { call::wasm_runtime_lookup_function(inst, c"nop".as_ptr()) };
    assert!(!env.is_null() && !f.is_null());
    let call_ns = measure(n, |_| {
        // SAFETY: live handles; no arguments or results.
        let ok =
            unsafe { call::wasm_runtime_call_wasm(black_box(env), f, 0, std::ptr::null_mut()) };
        assert!(ok);
    });
    let validate_ns = measure(n, |_| {
        assert!(call_cache::bench_validate_call(
            black_box(env).cast_const().cast(),
            black_box(f).cast_const().cast()
        ));
    });
    println!("WAMR C API call path:");
    println!("  wasm_runtime_call_wasm, empty function              {call_ns:8.2}");
    println!("  exec env + function handle validation (cached)       {validate_ns:8.2}");
    println!(
        "  share of the C API round trip:                       {:5.1}%",
        100.0 * validate_ns / call_ns
    );
    exec_env::wasm_runtime_destroy_exec_env(env);
    instance::wasm_runtime_deinstantiate(inst);
    module::wasm_runtime_unload(m);
    runtime::wasm_runtime_destroy();
}
