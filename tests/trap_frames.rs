//! Traps report the wasm call stack: the trapping instruction and every caller's call site.

use cwamr::runtime::{Extern, HostFunc};
use cwamr::{FuncType, Linker, Module, Store, Trap, TrapCode, Val};

const WAT: &str = r#"(module
  (import "env" "fail" (func $fail))
  (func $inner (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $middle (param i32) (result i32)
    (i32.add (call $inner (local.get 0)) (i32.const 1)))
  (func (export "outer") (param i32) (result i32)
    (call $middle (local.get 0)))
  (func (export "host") (call $fail))
  (func $rec (export "rec") (call $rec)))"#;

fn setup() -> (Store, cwamr::runtime::InstanceAddr, Module) {
    let module = Module::new(&wat::parse_str(WAT).unwrap()).unwrap();
    let mut store = Store::default();
    let mut linker = Linker::new();
    linker.func(
        "env",
        "fail",
        HostFunc::new(FuncType::new([], []), |_, _| {
            Err(Trap::Host("host said no".into()))
        }),
    );
    let inst = linker.instantiate(&mut store, &module).unwrap();
    (store, inst, module)
}

fn export(store: &Store, inst: cwamr::runtime::InstanceAddr, name: &str) -> cwamr::FuncAddr {
    match store.instance(inst).unwrap().export(name) {
        Some(Extern::Func(f)) => f,
        _ => panic!("no export {name}"),
    }
}

#[test]
fn trap_reports_each_frame_innermost_first() {
    let (mut store, inst, module) = setup();
    let f = export(&store, inst, "outer");
    assert_eq!(store.call(f, &[Val::I32(1)]).unwrap(), vec![Val::I32(2)]);
    let err = store.call(f, &[Val::I32(0)]).unwrap_err();
    assert_eq!(err, Trap::Code(TrapCode::IntegerDivideByZero));
    let frames = store.last_trap_frames();
    let funcs: Vec<u32> = frames.iter().map(|f| f.func_index).collect();
    // Function indices: 0 = import, 1 = inner, 2 = middle, 3 = outer.
    assert_eq!(funcs, vec![1, 2, 3]);
    let bytes = module.bytes();
    // The innermost frame points at the `i32.div_u` opcode (0x6e).
    assert_eq!(bytes[frames[0].module_offset as usize], 0x6e);
    // Callers point at their `call` opcode (0x10).
    assert_eq!(bytes[frames[1].module_offset as usize], 0x10);
    assert_eq!(bytes[frames[2].module_offset as usize], 0x10);
    assert!(
        frames
            .iter()
            .all(|f| f.func_offset > 0 && f.instance == inst)
    );
}

#[test]
fn host_traps_report_the_calling_site() {
    let (mut store, inst, module) = setup();
    let f = export(&store, inst, "host");
    assert_eq!(
        store.call(f, &[]).unwrap_err(),
        Trap::Host("host said no".into())
    );
    let frames = store.last_trap_frames();
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].func_index, 4);
    assert_eq!(module.bytes()[frames[0].module_offset as usize], 0x10);
}

#[test]
fn endless_recursion_keeps_a_bounded_trace() {
    let (mut store, inst, _) = setup();
    let f = export(&store, inst, "rec");
    assert_eq!(
        store.call(f, &[]).unwrap_err(),
        Trap::Code(TrapCode::OperandStackOverflow)
    );
    let frames = store.last_trap_frames();
    assert!(!frames.is_empty() && frames.len() <= 1024);
    assert!(frames.iter().all(|f| f.func_index == 5));
}
