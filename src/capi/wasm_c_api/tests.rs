//! Unit tests of the C API's object model, driven through the `extern "C"` functions.
//!
//! # Invariants
//! The tests call the `extern "C"` functions with vectors and values that live on the
//! Rust stack for the duration of each call.

use std::ffi::c_void;
use std::sync::Mutex;

use super::engine::*;
use super::externs::*;
use super::func::*;
use super::handles;
use super::instance::*;
use super::module::*;
use super::ref_families::*;
use super::store::*;
use super::trap::*;
use super::types_ops::*;
use super::vec::*;
use crate::cap::SealedHandle;

/// The handle table is process-wide: tests that count live objects run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn bytes(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("valid wat")
}

fn byte_vec(b: &[u8]) -> ByteVec {
    ByteVec {
        size: b.len(),
        data: b.as_ptr().cast_mut(),
        num_elems: b.len(),
        size_of_elem: 1,
        lock: std::ptr::null_mut(),
    }
}

unsafe extern "C" fn nop(_: *const ValVec, _: *mut ValVec) -> *mut c_void {
    std::ptr::null_mut()
}

fn is_sealed(p: *const c_void) -> bool {
    let h = SealedHandle::from_ptr(p);
    !h.is_null() && h.has_handle_shape()
}

const MODULE: &str = r#"(module
    (import "" "f" (func))
    (memory (export "m") 1 1)
    (global (export "g") (mut i32) (i32.const 3))
    (table (export "t") 1 funcref)
    (func (export "run") (call 0))
    (func (export "trap") unreachable))"#;

/// Creates a store with an instance, a host function, a trap and a frame, checks that every
/// pointer handed out is a sealed handle, and deletes everything again.
fn one_round() {
    let engine = wasm_engine_new();
    let store = wasm_store_new(engine);
    let wasm = bytes(MODULE);
    let bv = byte_vec(&wasm);
    // SAFETY: `bv` describes `wasm`, alive for the call.
    let module = unsafe { wasm_module_new(store, &bv) };
    assert!(is_sealed(engine) && is_sealed(store) && is_sealed(module));
    let ft = wasm_functype_new_0_0_rs();
    let f = wasm_func_new(store, ft, Some(nop));
    assert!(is_sealed(f));
    let ext = wasm_func_as_extern(f);
    assert!(is_sealed(ext) && ext != f, "views are distinct handles");
    let imports = [ext as usize];
    let iv = HandleVec {
        size: 1,
        data: imports.as_ptr().cast_mut(),
        num_elems: 1,
        size_of_elem: 8,
        lock: std::ptr::null_mut(),
    };
    let mut trap: *mut c_void = std::ptr::null_mut();
    // SAFETY: `iv` and `trap` are valid for the call.
    let inst = unsafe { wasm_instance_new(store, module, &iv, &mut trap) };
    assert!(is_sealed(inst) && trap.is_null());
    let mut exports = HandleVec::EMPTY;
    // SAFETY: `exports` is writable.
    unsafe { wasm_instance_exports(inst, &mut exports) };
    assert_eq!(exports.size, 5);
    // SAFETY: `exports` was written by the runtime with 5 elements.
    let ex = unsafe { std::slice::from_raw_parts(exports.data, 5) }.to_vec();
    assert!(ex.iter().all(|&h| is_sealed(h as *const c_void)));
    let trap_fn = wasm_extern_as_func(ex[4] as *mut c_void);
    let mut none = ValVec::EMPTY;
    // SAFETY: empty vectors.
    let t = unsafe { wasm_func_call(trap_fn, &none, &mut none) };
    assert!(is_sealed(t));
    let mut msg = ByteVec::EMPTY;
    // SAFETY: `msg` is writable.
    unsafe { wasm_trap_message(t, &mut msg) };
    // SAFETY: written by the runtime.
    let text = unsafe { std::slice::from_raw_parts(msg.data, msg.size) };
    assert_eq!(text, b"Exception: unreachable\0");
    // SAFETY: `msg` was written by the runtime.
    unsafe { wasm_byte_vec_delete(&mut msg) };
    let origin = wasm_trap_origin(t);
    assert!(is_sealed(origin));
    super::frame::wasm_frame_delete(origin);
    wasm_trap_delete(t);
    wasm_func_delete(f);
    // SAFETY: `exports` was written by the runtime.
    unsafe { wasm_extern_vec_delete(&mut exports) };
    wasm_instance_delete(inst);
    wasm_module_delete(module);
    super::types::wasm_functype_delete(ft);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
}

fn wasm_functype_new_0_0_rs() -> *mut c_void {
    let mut p = HandleVec::EMPTY;
    let mut r = HandleVec::EMPTY;
    // SAFETY: empty, writable vectors.
    unsafe { wasm_functype_new(&mut p, &mut r) }
}

#[test]
fn every_object_dies_with_its_owner() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    one_round(); // warm up lazily created state (engine handle slot, orphan store)
    let before = handles::table().len();
    for _ in 0..50 {
        one_round();
    }
    assert_eq!(
        handles::table().len(),
        before,
        "no handle outlives its object"
    );
}

#[test]
fn store_deletion_kills_objects_left_behind() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let engine = wasm_engine_new();
    let before = handles::table().len();
    let store = wasm_store_new(engine);
    let foreign = wasm_foreign_new(store);
    let r = wasm_foreign_as_ref(foreign);
    let copy = wasm_ref_copy(r);
    assert!(wasm_ref_same(r, copy));
    assert!(handles::table().len() >= before + 4);
    wasm_store_delete(store);
    assert_eq!(handles::table().len(), before);
    assert!(!wasm_ref_same(r, copy), "stale handles are refused");
    wasm_engine_delete(engine);
}

#[test]
fn serialized_modules_round_trip_and_corruption_is_refused() {
    let wasm = bytes(MODULE);
    let m = crate::Module::new(&wasm).unwrap();
    m.set_name("named");
    let ser = serialize(&m);
    let (name, back) = deserialize(&ser).unwrap();
    assert_eq!((name.as_str(), back), ("named", &wasm[..]));
    for i in 0..ser.len() {
        let mut bad = ser.clone();
        bad[i] ^= 1;
        assert!(deserialize(&bad).is_err(), "flip at byte {i} accepted");
    }
    assert!(deserialize(&ser[..ser.len() - 1]).is_err());
    assert!(deserialize(&wasm).is_err());
}

#[test]
fn type_handles_refuse_every_bit_flip() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let vt = wasm_valtype_new(1);
    assert_eq!(wasm_valtype_kind(vt), 1);
    for bit in 0..64 {
        let flipped = (vt as usize ^ (1usize << bit)) as *const c_void;
        assert_eq!(wasm_valtype_kind(flipped), 0, "bit {bit}");
    }
    super::types::wasm_valtype_delete(vt);
    assert_eq!(wasm_valtype_kind(vt), 0, "deleted");
}

#[test]
fn config_structs_are_validated() {
    let c = wasm_config_new();
    assert_eq!(wasm_config_set_segue_flags(c, 7), c);
    let mut fake = WasmConfig {
        mem_alloc_type: 2,
        mem_alloc_option: MemAllocOption::default(),
        segue_flags: 0,
        enable_linux_perf: false,
    };
    assert!(wasm_config_set_segue_flags(&mut fake, 1).is_null());
    wasm_config_delete(c);
    assert!(
        wasm_config_set_segue_flags(c, 1).is_null(),
        "deleted config refused"
    );
}

#[test]
fn extern_casts_keep_the_kind() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let engine = wasm_engine_new();
    let store = wasm_store_new(engine);
    let ft = wasm_functype_new_0_0_rs();
    let f = wasm_func_new(store, ft, Some(nop));
    let e = wasm_func_as_extern(f);
    assert_eq!(wasm_extern_as_func(e), f);
    assert!(wasm_extern_as_memory(e).is_null());
    assert_eq!(wasm_extern_kind(e), 0);
    let r = wasm_func_as_ref(f);
    assert_eq!(wasm_ref_as_func(r), f);
    assert!(wasm_ref_as_foreign(r).is_null());
    wasm_extern_delete(e); // deleting a view deletes the object
    assert_eq!(wasm_func_param_arity(f), 0);
    assert!(wasm_func_type(f).is_null(), "the function is gone");
    super::types::wasm_functype_delete(ft);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
}
