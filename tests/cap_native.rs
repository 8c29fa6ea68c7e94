//! Capability model §9, native calls and linear memory (class C, D): cases 13–15.
//! Natives here are Rust host functions that validate their WAMR signature
//! string with `NativeSig` first, exactly as the C API does before calling a C
//! native; the body (and its call counter) only runs when the check passes.

mod cap_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use cap_common::*;
use cwamr::runtime::LinearMemory;
use cwamr::runtime::guest::{NativeArg, NativeSig, PtrWidth};
use cwamr::{Caller, HostFunc, Linker, Trap, TrapCode, Val};

/// A native with WAMR signature `sig`; runs `body` only after the arguments passed the checks.
fn native(
    sig: &str,
    calls: Arc<AtomicU32>,
    body: impl Fn(&mut Caller<'_>, &[NativeArg]) -> Result<u64, Trap> + Send + Sync + 'static,
) -> HostFunc {
    let s = NativeSig::parse(sig, false).unwrap();
    HostFunc::new(s.func_type(), move |caller, cells| {
        let cid = caller
            .instance()
            .and_then(|i| caller.store().instance(i))
            .map(|i| i.compartment().id());
        let args = s
            .check(caller.memory(), cells, cid, PtrWidth::W32, false)
            .map_err(|e| e.trap())?;
        calls.fetch_add(1, Ordering::SeqCst);
        let r = body(caller, &args)?;
        if let Some(c) = cells.first_mut() {
            *c = r;
        }
        Ok(())
    })
}

fn memory_of(store: &cwamr::Store, i: cwamr::runtime::InstanceAddr) -> Arc<LinearMemory> {
    store.instance(i).unwrap().memory0().unwrap().clone()
}

const PTR_LEN_GUEST: &str = r#"(module
    (import "env" "take" (func $take (param i32 i32) (result i32)))
    (memory (export "mem") 1)
    (func (export "call") (param i32 i32) (result i32) (call $take (local.get 0) (local.get 1))))"#;

#[test]
fn case13_pointer_length_overflow_traps_before_the_native() {
    let calls = Arc::new(AtomicU32::new(0));
    let mut linker = Linker::new();
    linker.func(
        "env",
        "take",
        native("(*~)i", calls.clone(), |_, args| match args {
            [NativeArg::Ptr { len, .. }, NativeArg::Len(l)] if len == l => Ok(*len),
            _ => Err(Trap::Host("bad args".into())),
        }),
    );
    let mut s = store();
    let i = inst(&mut s, &linker, PTR_LEN_GUEST);
    let size = memory_of(&s, i).len() as i64;
    for (p, l) in [
        (size - 4, 16),
        (0xFFFF_FFF0u32 as i32 as i64, 0x20),
        (size, 1),
        (0, size + 1),
        (-1, 2),
    ] {
        assert_trap(
            call(&mut s, i, "call", &[Val::I32(p as i32), Val::I32(l as i32)]),
            TrapCode::MemoryOutOfBounds,
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0, "native never ran");
    // In bounds (the last 4 bytes, and an empty range at the very end) works.
    assert_eq!(
        call_i32(&mut s, i, "call", &[Val::I32(size as i32 - 4), Val::I32(4)]),
        4
    );
    assert_eq!(
        call_i32(&mut s, i, "call", &[Val::I32(size as i32), Val::I32(0)]),
        0
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // memory64: lengths are whole 64-bit cells; 2^32 + 8 is refused, not truncated.
    let sig = NativeSig::parse("(*~)i", false).unwrap();
    let mem = memory_of(&s, i);
    assert!(
        sig.check(Some(&mem), &[0, (1 << 32) + 8], None, PtrWidth::W64, false)
            .is_err()
    );
    assert!(
        sig.check(Some(&mem), &[u64::MAX - 4, 16], None, PtrWidth::W64, false)
            .is_err()
    );
    assert_usable();
}

#[test]
fn case14_string_without_nul_traps_and_natives_see_a_snapshot() {
    let calls = Arc::new(AtomicU32::new(0));
    let mut linker = Linker::new();
    linker.func(
        "env",
        "puts",
        native("($)i", calls.clone(), |caller, args| {
            let [NativeArg::Str(snap)] = args else {
                return Err(Trap::Host("bad args".into()));
            };
            let before = snap.as_bytes().to_vec();
            // A second guest thread rewrites the string while the native runs.
            let mem = caller.memory().unwrap();
            std::thread::scope(|t| {
                t.spawn(|| mem.write(snap.offset(), b"EVIL!!").unwrap());
            });
            let mut now = [0u8; 6];
            mem.read(snap.offset(), &mut now).unwrap();
            assert_eq!(&now, b"EVIL!!", "the guest string did change");
            assert_eq!(snap.as_bytes(), &before[..], "the native's copy did not");
            assert_eq!(snap.as_bytes_with_nul().last(), Some(&0));
            Ok(snap.len() as u64)
        }),
    );
    let mut s = store();
    let i = inst(
        &mut s,
        &linker,
        r#"(module
            (import "env" "puts" (func $puts (param i32) (result i32)))
            (memory 1)
            (data (i32.const 16) "hello\00")
            (func (export "puts") (param i32) (result i32) (call $puts (local.get 0))))"#,
    );
    let size = memory_of(&s, i).len();
    // No NUL before the end of memory.
    memory_of(&s, i).fill(size as u64 - 32, b'x', 32).unwrap();
    assert_trap(
        call(&mut s, i, "puts", &[Val::I32(size as i32 - 32)]),
        TrapCode::MemoryOutOfBounds,
    );
    assert_trap(
        call(&mut s, i, "puts", &[Val::I32(size as i32)]),
        TrapCode::MemoryOutOfBounds,
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    assert_eq!(call_i32(&mut s, i, "puts", &[Val::I32(16)]), 5);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // A string longer than the scan bound is refused too.
    cwamr::runtime::guest::range::set_max_str(4);
    let r = call(&mut s, i, "puts", &[Val::I32(16)]);
    cwamr::runtime::guest::range::set_max_str(0);
    assert_trap(r, TrapCode::MemoryOutOfBounds);
    assert_usable();
}

#[test]
fn case15_memory_grow_during_a_native_keeps_its_pointer_valid() {
    let calls = Arc::new(AtomicU32::new(0));
    let grow = Arc::new(AtomicU32::new(u32::MAX));
    let mut linker = Linker::new();
    let g = grow.clone();
    linker.func(
        "env",
        "fill",
        native("(*~)i", calls.clone(), move |caller, args| {
            let [NativeArg::Ptr { ptr, len, offset }, _] = args else {
                return Err(Trap::Host("bad args".into()));
            };
            let base_before = caller.memory().unwrap().base();
            let pages_before = caller.memory().unwrap().pages();
            // Re-enter wasm, which grows memory by 10 pages.
            let grow_fn = cwamr::FuncAddr(g.load(Ordering::SeqCst));
            caller.call_raw(grow_fn, &mut [])?;
            let mem = caller.memory().unwrap();
            assert_eq!(mem.pages(), pages_before + 10);
            assert_eq!(mem.base(), base_before, "linear memory never moves");
            // SAFETY: `ptr..ptr+len` was checked against the memory before the call; memories
            // are reserved at their maximum size, never move and never shrink, so the range is
            // still mapped and inside the memory after `memory.grow`.
            unsafe { std::ptr::write_bytes(*ptr, 0xA5, *len as usize) };
            let mut back = vec![0u8; *len as usize];
            mem.read(*offset, &mut back).unwrap();
            assert!(back.iter().all(|&b| b == 0xA5));
            Ok(*len)
        }),
    );
    let mut s = store();
    let i = inst(
        &mut s,
        &linker,
        r#"(module
            (import "env" "fill" (func $fill (param i32 i32) (result i32)))
            (memory 1)
            (func (export "grow") (drop (memory.grow (i32.const 10))))
            (func (export "fill") (param i32 i32) (result i32) (call $fill (local.get 0) (local.get 1))))"#,
    );
    grow.store(func(&s, i, "grow").0, Ordering::SeqCst);
    assert_eq!(
        call_i32(&mut s, i, "fill", &[Val::I32(65536 - 64), Val::I32(64)]),
        64
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(memory_of(&s, i).pages(), 11);
    assert_usable();
}

#[test]
fn strict_mode_views_are_bounded_and_pin_their_instance() {
    use cwamr::cap::Perms;
    use cwamr::runtime::compartment;
    use cwamr::runtime::guest::views;
    let mut s = store();
    let i = inst(
        &mut s,
        &Linker::new(),
        r#"(module (memory 1) (data (i32.const 8) "view"))"#,
    );
    let size = memory_of(&s, i).len() as u64;
    let comp = compartment::of(&s, i).unwrap().clone();
    // off + len beyond the memory, wrap-around, extra permissions: refused.
    for (off, len, perms) in [
        (size - 4, 8, Perms::LOAD),
        (u64::MAX, 2, Perms::LOAD),
        (0, 4, Perms::LOAD | Perms::EXECUTE),
    ] {
        assert!(views().acquire(&s, i, off, len, perms).is_err());
    }
    let (h, v) = views().acquire(&s, i, 8, 4, Perms::LOAD).unwrap();
    assert_eq!((v.offset, v.len, v.perms), (8, 4, Perms::LOAD));
    assert_eq!(v.ptr as usize - memory_of(&s, i).base() as usize, 8);
    assert!(views().valid(h));
    assert_eq!(
        comp.views_held(),
        1,
        "the embedder must not destroy the instance now"
    );
    views().release(h).unwrap();
    assert!(views().release(h).is_err(), "double release");
    assert!(!views().valid(h));
    assert_eq!(comp.views_held(), 0);
    // A view of a destroyed instance is invalid.
    let (h2, _) = views()
        .acquire(&s, i, 0, 1, Perms::LOAD | Perms::STORE)
        .unwrap();
    compartment::destroy(&s, i);
    assert!(!views().valid(h2));
    views().release(h2).unwrap();
    // Strict mode refuses a lone `*` at registration.
    assert!(NativeSig::parse("(*)i", true).is_err());
    assert!(NativeSig::parse("(*~)i", true).is_ok());
    assert_usable();
}
