//! Superinstructions formed at encode time (load→f64 op, f64 op→store, copy pairs) compute the
//! same values, trap at the right instruction, and behave when a branch lands on their second
//! half.

use cwamr::runtime::Extern;
use cwamr::{Linker, Module, Store, Trap, TrapCode, Val};

const WAT: &str = r#"(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\00\00\f8\3f")   ;; 1.5 at 0
  (data (i32.const 8) "\00\00\00\00\00\00\04\40")   ;; 2.5 at 8
  (func (export "load_lhs") (param $x f64) (result f64)
    (f64.sub (f64.load (i32.const 0)) (local.get $x)))
  (func (export "load_rhs") (param $x f64) (result f64)
    (f64.sub (local.get $x) (f64.load offset=8 (i32.const 0))))
  (func (export "load_wrap") (param $a i32) (param $x f64) (result f64)
    (f64.mul (f64.load (i32.add (local.get $a) (i32.const 8))) (local.get $x)))
  (func (export "square") (param $a i32) (result f64) (local $t f64)
    (local.set $t (f64.load (local.get $a)))
    (f64.mul (local.get $t) (local.get $t)))
  (func (export "store") (param $a i32) (param $x f64) (param $y f64) (result f64)
    (f64.store offset=16 (local.get $a) (f64.add (local.get $x) (local.get $y)))
    (f64.load offset=16 (local.get $a)))
  (func (export "store_wrap") (param $a i32) (param $x f64) (param $y f64) (result f64)
    (f64.store (i32.add (local.get $a) (i32.const 24)) (f64.sub (local.get $x) (local.get $y)))
    (f64.load (i32.add (local.get $a) (i32.const 24))))
  (func (export "loop_sum") (param $n i32) (result f64) (local $s f64) (local $i i32)
    (loop $l
      (local.set $s (f64.add (local.get $s) (f64.load (i32.const 8))))
      (local.set $n (local.tee $i (i32.sub (local.get $n) (i32.const 1))))
      (br_if $l (local.get $i)))
    (local.get $s))
  (func (export "swap") (param $a i32) (param $b i32) (result i32) (local $t i32)
    (local.set $t (local.get $a))
    (local.set $a (local.get $b))
    (local.set $b (local.get $t))
    (i32.sub (local.get $a) (local.get $b))))"#;

fn setup() -> (Store, cwamr::runtime::InstanceAddr) {
    let m = Module::new(&wat::parse_str(WAT).unwrap()).unwrap();
    let mut store = Store::default();
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    (store, inst)
}

fn call(
    store: &mut Store,
    inst: cwamr::runtime::InstanceAddr,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, Trap> {
    let Some(Extern::Func(f)) = store.instance(inst).unwrap().export(name) else {
        panic!("no export {name}")
    };
    store.call(f, args)
}

#[test]
fn fused_pairs_compute_the_same_values() {
    let (mut s, i) = setup();
    let f = |v: f64| Val::f64(v);
    assert_eq!(
        call(&mut s, i, "load_lhs", &[f(0.25)]).unwrap(),
        vec![f(1.25)]
    );
    assert_eq!(
        call(&mut s, i, "load_rhs", &[f(10.0)]).unwrap(),
        vec![f(7.5)]
    );
    assert_eq!(
        call(&mut s, i, "load_wrap", &[Val::I32(0), f(4.0)]).unwrap(),
        vec![f(10.0)]
    );
    assert_eq!(
        call(&mut s, i, "square", &[Val::I32(8)]).unwrap(),
        vec![f(6.25)]
    );
    assert_eq!(
        call(&mut s, i, "store", &[Val::I32(100), f(1.0), f(2.0)]).unwrap(),
        vec![f(3.0)]
    );
    assert_eq!(
        call(&mut s, i, "store_wrap", &[Val::I32(100), f(1.0), f(2.0)]).unwrap(),
        vec![f(-1.0)]
    );
    assert_eq!(
        call(&mut s, i, "loop_sum", &[Val::I32(4)]).unwrap(),
        vec![f(10.0)]
    );
    assert_eq!(
        call(&mut s, i, "swap", &[Val::I32(3), Val::I32(10)]).unwrap(),
        vec![Val::I32(7)]
    );
}

#[test]
fn fused_pairs_trap_at_the_right_instruction() {
    let (mut s, i) = setup();
    // The load half traps.
    let err = call(&mut s, i, "load_wrap", &[Val::I32(65530), Val::f64(1.0)]).unwrap_err();
    assert_eq!(err, Trap::Code(TrapCode::MemoryOutOfBounds));
    // The store half traps: the frame points at the store, after the (executed) add.
    let err = call(
        &mut s,
        i,
        "store",
        &[Val::I32(65530), Val::f64(1.0), Val::f64(2.0)],
    )
    .unwrap_err();
    assert_eq!(err, Trap::Code(TrapCode::MemoryOutOfBounds));
    let frame = s.last_trap_frames()[0];
    let m = Module::new(&wat::parse_str(WAT).unwrap()).unwrap();
    assert_eq!(
        m.bytes()[frame.module_offset as usize],
        0x39,
        "f64.store opcode"
    );
    // Wrapping address form: 0xFFFF_FFF0 + 24 wraps to 8, inside memory.
    assert_eq!(
        call(
            &mut s,
            i,
            "store_wrap",
            &[Val::I32(-16), Val::f64(5.0), Val::f64(1.0)]
        )
        .unwrap(),
        vec![Val::f64(4.0)]
    );
}
