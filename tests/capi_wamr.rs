//! The WAMR embedding API driven from Rust through its `extern "C"` functions: calls with
//! argv cells, natives on the generic (assembly) call path, re-entry from a native,
//! terminate from another thread, and the violation log entries that refused handles leave
//! (which the C tests cannot observe).

use std::ffi::{CStr, c_char, c_void};
use std::ptr::{null, null_mut};

use cwamr::cap::violation::{self, ViolationKind};
use cwamr::capi::wamr::call::*;
use cwamr::capi::wamr::ctypes::*;
use cwamr::capi::wamr::exception::*;
use cwamr::capi::wamr::exec_env::*;
use cwamr::capi::wamr::instance::*;
use cwamr::capi::wamr::module::*;
use cwamr::capi::wamr::natives::*;
use cwamr::capi::wamr::runtime::*;

/// The WAMR runtime is process-global: the tests of this file run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

const WAT: &str = r#"
(module
  (import "rt" "mix" (func $mix (param i32 f64 i64 f32 i32 i32 i32 i32 i32 f64 f64 f64 f64 f64 f64 f64 f64) (result f64)))
  (import "rt" "again" (func $again (param i32) (result i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "call_mix") (result f64)
    (call $mix (i32.const 1) (f64.const 2) (i64.const 3) (f32.const 4) (i32.const 5)
      (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9) (f64.const 10) (f64.const 11)
      (f64.const 12) (f64.const 13) (f64.const 14) (f64.const 15) (f64.const 16) (f64.const 17)))
  (func (export "call_again") (param i32) (result i32) (call $again (local.get 0)))
  (func (export "spin") (loop $l (br $l))))
"#;

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn mix(
    _env: wasm_exec_env_t,
    a: i32,
    b: f64,
    c: i64,
    d: f32,
    e: i32,
    f: i32,
    g: i32,
    h: i32,
    i: i32,
    j: f64,
    k: f64,
    l: f64,
    m: f64,
    n: f64,
    o: f64,
    p: f64,
    q: f64,
) -> f64 {
    let v = [
        f64::from(a),
        b,
        c as f64,
        f64::from(d),
        f64::from(e),
        f64::from(f),
        f64::from(g),
        f64::from(h),
        f64::from(i),
        j,
        k,
        l,
        m,
        n,
        o,
        p,
        q,
    ];
    v.iter()
        .enumerate()
        .map(|(i, x)| (i as f64 + 1.0) * x)
        .sum()
}

unsafe extern "C" fn again(env: wasm_exec_env_t, x: i32) -> i32 {
    let inst = wasm_runtime_get_module_inst(env);
    // SAFETY: a valid C string.
    let f = unsafe { wasm_runtime_lookup_function(inst, c"sq".as_ptr()) };
    let mut argv = [x as u32];
    // SAFETY: one argv cell for one parameter and one result.
    if unsafe { wasm_runtime_call_wasm(env, f, 1, argv.as_mut_ptr()) } {
        argv[0] as i32 + 1
    } else {
        -1
    }
}

struct Fixture {
    module: wasm_module_t,
    inst: wasm_module_inst_t,
    env: wasm_exec_env_t,
}

fn setup() -> Fixture {
    assert!(wasm_runtime_init());
    wasm_runtime_set_log_level(0);
    let mut syms = [
        NativeSymbol {
            symbol: c"mix".as_ptr(),
            func_ptr: mix as *mut c_void,
            signature: c"(iFIfiiiiiFFFFFFFF)F".as_ptr(),
            attachment: null_mut(),
        },
        NativeSymbol {
            symbol: c"again".as_ptr(),
            func_ptr: again as *mut c_void,
            signature: c"(i)i".as_ptr(),
            attachment: null_mut(),
        },
    ];
    // SAFETY: valid module name and symbol array (copied by the runtime).
    assert!(unsafe { wasm_runtime_register_natives(c"rt".as_ptr(), syms.as_mut_ptr(), 2) });
    let mut bin = wat::parse_str(WAT).unwrap();
    let mut err = [0 as c_char; 128];
    // SAFETY: valid buffers of the stated sizes.
    let module =
        unsafe { wasm_runtime_load(bin.as_mut_ptr(), bin.len() as u32, err.as_mut_ptr(), 128) };
    assert!(!module.is_null());
    // SAFETY: as above.
    let inst = unsafe { wasm_runtime_instantiate(module, 0, 0, err.as_mut_ptr(), 128) };
    assert!(!inst.is_null());
    let env = wasm_runtime_create_exec_env(inst, 0);
    assert!(!env.is_null());
    Fixture { module, inst, env }
}

fn teardown(f: Fixture) {
    wasm_runtime_destroy_exec_env(f.env);
    wasm_runtime_deinstantiate(f.inst);
    wasm_runtime_unload(f.module);
    wasm_runtime_destroy();
}

fn lookup(inst: wasm_module_inst_t, name: &CStr) -> wasm_function_inst_t {
    // SAFETY: a valid C string.
    unsafe { wasm_runtime_lookup_function(inst, name.as_ptr()) }
}

fn exception(inst: wasm_module_inst_t) -> Option<String> {
    let p = wasm_runtime_get_exception(inst);
    // SAFETY: NULL or a C string owned by the instance.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

#[test]
fn calls_natives_and_reentry() {
    let _g = SERIAL.lock().unwrap();
    let f = setup();
    let mut argv = [40u32, 2];
    // SAFETY: two cells.
    assert!(unsafe { wasm_runtime_call_wasm(f.env, lookup(f.inst, c"add"), 2, argv.as_mut_ptr()) });
    assert_eq!(argv[0], 42);

    let mut cells = [0u32; 2];
    // SAFETY: two cells for the f64 result.
    assert!(unsafe {
        wasm_runtime_call_wasm(f.env, lookup(f.inst, c"call_mix"), 0, cells.as_mut_ptr())
    });
    let r = f64::from_bits(u64::from(cells[0]) | (u64::from(cells[1]) << 32));
    let want: f64 = (1..=17).map(|i| f64::from(i * i)).sum();
    assert_eq!(r, want, "every argument reached its register or stack slot");

    let mut argv = [7u32];
    // SAFETY: one cell.
    assert!(unsafe {
        wasm_runtime_call_wasm(f.env, lookup(f.inst, c"call_again"), 1, argv.as_mut_ptr())
    });
    assert_eq!(argv[0], 50);
    teardown(f);
}

#[test]
fn terminate_from_another_thread() {
    let _g = SERIAL.lock().unwrap();
    let f = setup();
    let inst = f.inst as usize;
    let t = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        wasm_runtime_terminate(inst as wasm_module_inst_t);
    });
    // SAFETY: no arguments, no results.
    let ok = unsafe { wasm_runtime_call_wasm(f.env, lookup(f.inst, c"spin"), 0, null_mut()) };
    t.join().unwrap();
    assert!(!ok);
    assert_eq!(
        exception(f.inst).as_deref(),
        Some("Exception: terminated by user")
    );
    wasm_runtime_clear_exception(f.inst);
    assert_eq!(exception(f.inst), None);
    teardown(f);
}

#[test]
fn refused_handles_are_recorded_as_violations() {
    let _g = SERIAL.lock().unwrap();
    let f = setup();
    let before_type = violation::count_kind(ViolationKind::HandleType);
    let before_shape = violation::count_kind(ViolationKind::HandleShape);
    let before_dead = violation::count_kind(ViolationKind::HandleDead);
    let before_mac = violation::count_kind(ViolationKind::HandleMac);
    let before_thread = violation::count_kind(ViolationKind::HandleThread);

    // A module handle used as an instance: otype mismatch.
    assert!(wasm_runtime_get_module(f.module as wasm_module_inst_t).is_null());
    assert!(violation::count_kind(ViolationKind::HandleType) > before_type);
    // A real pointer: not handle-shaped.
    let x = 5u64;
    assert!(wasm_runtime_get_module(&x as *const u64 as wasm_module_inst_t).is_null());
    assert!(violation::count_kind(ViolationKind::HandleShape) > before_shape);
    // A flipped MAC bit.
    let forged = (f.inst as usize ^ (1usize << 50)) as wasm_module_inst_t;
    assert!(wasm_runtime_get_module(forged).is_null());
    assert!(violation::count_kind(ViolationKind::HandleMac) > before_mac);
    // An exec env from another thread.
    let env = f.env as usize;
    std::thread::spawn(move || {
        assert!(wasm_runtime_get_module_inst(env as wasm_exec_env_t).is_null());
    })
    .join()
    .unwrap();
    assert!(violation::count_kind(ViolationKind::HandleThread) > before_thread);
    // A destroyed exec env.
    let e2 = wasm_runtime_create_exec_env(f.inst, 0);
    wasm_runtime_destroy_exec_env(e2);
    assert!(wasm_runtime_get_module_inst(e2).is_null());
    assert!(violation::count_kind(ViolationKind::HandleDead) > before_dead);
    // The runtime still works.
    let mut argv = [1u32, 2];
    // SAFETY: two cells.
    assert!(unsafe { wasm_runtime_call_wasm(f.env, lookup(f.inst, c"add"), 2, argv.as_mut_ptr()) });
    assert_eq!(argv[0], 3);
    let _ = null::<u8>();
    teardown(f);
}
