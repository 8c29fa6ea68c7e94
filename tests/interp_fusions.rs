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

/// Integer pairs: load → compare-and-branch (both sides, immediates, zero tests, wrapping
/// addresses), add/shl imm → load, add imm → add imm / copy.
const INT_WAT: &str = r#"(module
  (memory 1)
  (data (i32.const 0) "\05\00\00\00\fe\ff\ff\ff\00\00\00\00\07\00\00\00")  ;; 5, -2, 0, 7
  ;; Count elements from index 0 while a[i] < $pivot (signed, loaded value on the left).
  (func (export "scan_lt") (param $pivot i32) (result i32) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (i32.const 4)))
      (br_if $done (i32.ge_s (i32.load (i32.shl (local.get $i) (i32.const 2))) (local.get $pivot)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $i))
  ;; The loaded value on the right of an unsigned comparison.
  (func (export "gt_u_right") (param $x i32) (param $a i32) (result i32)
    (if (result i32) (i32.gt_u (local.get $x) (i32.load (local.get $a)))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "eq_imm") (param $a i32) (result i32)
    (if (result i32) (i32.eq (i32.load offset=4 (local.get $a)) (i32.const -2))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "lt_s_imm_w") (param $a i32) (result i32)
    (if (result i32) (i32.lt_s (i32.load (i32.add (local.get $a) (i32.const 4))) (i32.const 0))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "nez") (param $a i32) (result i32)
    (if (result i32) (i32.load (local.get $a)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "eqz") (param $a i32) (result i32)
    (if (result i32) (i32.eqz (i32.load (local.get $a))) (then (i32.const 1)) (else (i32.const 0))))
  ;; p += 4; load *p (32 and 64 bits), and a[i << 2].
  (func (export "bump_load") (param $p i32) (result i32)
    (local.set $p (i32.add (local.get $p) (i32.const 4)))
    (i32.add (i32.load (local.get $p)) (local.get $p)))
  (func (export "bump_load64") (param $p i32) (result i64)
    (local.set $p (i32.add (local.get $p) (i32.const 8)))
    (i64.load (local.get $p)))
  (func (export "index_load") (param $i i32) (result i32)
    (i32.load offset=4 (i32.shl (local.get $i) (i32.const 2))))
  ;; Two induction updates, the second reading the first's result.
  (func (export "two_adds") (param $a i32) (result i32) (local $b i32)
    (local.set $a (i32.add (local.get $a) (i32.const 3)))
    (local.set $b (i32.add (local.get $a) (i32.const 10)))
    (i32.sub (local.get $b) (local.get $a)))
  ;; A branch that lands on the second half of a fused pair: the loop re-enters at the load.
  (func (export "land_on_second") (param $n i32) (result i32) (local $p i32) (local $s i32)
    (local.set $p (i32.const 0))
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $s)))"#;

fn int_setup() -> (Store, cwamr::runtime::InstanceAddr) {
    let m = Module::new(&wat::parse_str(INT_WAT).unwrap()).unwrap();
    let mut store = Store::default();
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    (store, inst)
}

fn i32_of(r: Result<Vec<Val>, Trap>) -> i32 {
    match r.unwrap()[..] {
        [Val::I32(v)] => v,
        ref other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn integer_pairs_compute_the_same_values() {
    let (mut s, i) = int_setup();
    let mut c = |name: &str, args: &[Val]| i32_of(call(&mut s, i, name, args));
    // a = [5, -2, 0, 7]: a[0] >= 5 at once; with pivot 6, 5 < 6, -2 < 6, 0 < 6, 7 >= 6.
    assert_eq!(c("scan_lt", &[Val::I32(5)]), 0);
    assert_eq!(c("scan_lt", &[Val::I32(6)]), 3);
    assert_eq!(c("scan_lt", &[Val::I32(100)]), 4);
    // x > a[1] unsigned: a[1] = 0xFFFFFFFE.
    assert_eq!(c("gt_u_right", &[Val::I32(-1), Val::I32(4)]), 1);
    assert_eq!(c("gt_u_right", &[Val::I32(7), Val::I32(4)]), 0);
    assert_eq!(c("gt_u_right", &[Val::I32(7), Val::I32(0)]), 1);
    assert_eq!(c("eq_imm", &[Val::I32(0)]), 1);
    assert_eq!(c("eq_imm", &[Val::I32(4)]), 0);
    assert_eq!(c("lt_s_imm_w", &[Val::I32(0)]), 1);
    assert_eq!(c("lt_s_imm_w", &[Val::I32(-4)]), 0);
    assert_eq!(c("nez", &[Val::I32(8)]), 0);
    assert_eq!(c("nez", &[Val::I32(12)]), 1);
    assert_eq!(c("eqz", &[Val::I32(8)]), 1);
    assert_eq!(c("eqz", &[Val::I32(0)]), 0);
    assert_eq!(c("bump_load", &[Val::I32(4)]), 8);
    assert_eq!(c("index_load", &[Val::I32(2)]), 7);
    assert_eq!(c("two_adds", &[Val::I32(1)]), 10);
    // 3 iterations at p = 0: 5 + 5 + 5.
    assert_eq!(c("land_on_second", &[Val::I32(3)]), 15);
    assert_eq!(
        call(&mut s, i, "bump_load64", &[Val::I32(0)]).unwrap(),
        vec![Val::I64(7 << 32)]
    );
}

#[test]
fn integer_pairs_trap_at_the_load() {
    let (mut s, i) = int_setup();
    let m = Module::new(&wat::parse_str(INT_WAT).unwrap()).unwrap();
    for (name, arg) in [
        ("nez", 65534),
        ("eq_imm", 65532),
        ("gt_u_right", 65533),
        ("lt_s_imm_w", 65534),
        ("bump_load", 65530),
        ("index_load", 16383),
    ] {
        let args: Vec<Val> = if name == "gt_u_right" {
            vec![Val::I32(0), Val::I32(arg)]
        } else {
            vec![Val::I32(arg)]
        };
        let err = call(&mut s, i, name, &args).unwrap_err();
        assert_eq!(err, Trap::Code(TrapCode::MemoryOutOfBounds), "{name}");
        let frame = s.last_trap_frames()[0];
        assert_eq!(
            m.bytes()[frame.module_offset as usize],
            0x28,
            "{name}: i32.load opcode"
        );
    }
    // Still usable.
    assert_eq!(i32_of(call(&mut s, i, "nez", &[Val::I32(0)])), 1);
}

/// f64 operation → f64 operation pairs: every combination of add/sub/mul/div, the first
/// result on either side of the second, and on both.
#[test]
fn float_op_pairs_compute_the_same_values() {
    let ops = ["add", "sub", "mul", "div"];
    let mut funcs = String::new();
    for a in ops {
        for b in ops {
            funcs.push_str(&format!(
                "(func (export \"{a}_{b}_l\") (param f64 f64 f64) (result f64)
                   (f64.{b} (f64.{a} (local.get 0) (local.get 1)) (local.get 2)))
                 (func (export \"{a}_{b}_r\") (param f64 f64 f64) (result f64)
                   (f64.{b} (local.get 2) (f64.{a} (local.get 0) (local.get 1))))
                 (func (export \"{a}_{b}_both\") (param f64 f64 f64) (result f64) (local f64)
                   (local.set 3 (f64.{a} (local.get 0) (local.get 1)))
                   (f64.{b} (local.get 3) (local.get 3)))\n"
            ));
        }
    }
    let m = Module::new(&wat::parse_str(format!("(module {funcs})")).unwrap()).unwrap();
    let mut s = Store::default();
    let i = Linker::new().instantiate(&mut s, &m).unwrap();
    let f = |o: &str, x: f64, y: f64| match o {
        "add" => x + y,
        "sub" => x - y,
        "mul" => x * y,
        _ => x / y,
    };
    for (x, y, z) in [(1.5, -2.25, 3.0), (0.0, 0.0, 7.0), (1e300, 1e300, -0.5)] {
        for a in ops {
            for b in ops {
                let args = [Val::f64(x), Val::f64(y), Val::f64(z)];
                let t = f(a, x, y);
                for (suffix, want) in [("l", f(b, t, z)), ("r", f(b, z, t)), ("both", f(b, t, t))] {
                    let got = call(&mut s, i, &format!("{a}_{b}_{suffix}"), &args).unwrap();
                    let Val::F64(bits) = got[0] else { panic!() };
                    let got = f64::from_bits(bits);
                    assert!(
                        got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                        "{a}_{b}_{suffix}({x}, {y}, {z}) = {got}, want {want}"
                    );
                }
            }
        }
    }
}

/// Loop-closing pairs: an addition whose sum a compare-and-branch tests (`i32.add`,
/// `i32.add imm`, `i64.add imm`; immediate and slot comparisons, the sum on either side).
#[test]
fn add_then_branch_pairs_loop_the_right_number_of_times() {
    let cmps = [
        "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
    ];
    let mut funcs = String::new();
    for c in cmps {
        // Count iterations of `do { i += step; n++ } while (i <c> limit)`, capped at 100.
        for (name, t, step, test) in [
            (
                "add",
                "i32",
                "(local.get $step)",
                "(i32.{c} (local.get $i) (local.get $lim))",
            ),
            (
                "addimm",
                "i32",
                "(i32.const 3)",
                "(i32.{c} (local.get $i) (i32.const 20))",
            ),
            (
                "rev",
                "i32",
                "(i32.const 3)",
                "(i32.{c} (local.get $lim) (local.get $i))",
            ),
            (
                "imm64",
                "i64",
                "(i64.const 3)",
                "(i64.{c} (local.get $i) (i64.const 20))",
            ),
        ] {
            let test = test.replace("{c}", c);
            funcs.push_str(&format!(
                "(func (export \"{name}_{c}\") (param $start {t}) (param $step {t}) (param $lim {t}) (result i32)
                   (local $i {t}) (local $n i32)
                   (local.set $i (local.get $start))
                   (block $out (loop $l
                     (local.set $n (i32.add (local.get $n) (i32.const 1)))
                     (br_if $out (i32.ge_u (local.get $n) (i32.const 100)))
                     (local.set $i ({t}.add (local.get $i) {step}))
                     (br_if $l {test})))
                   (local.get $n))\n"
            ));
        }
    }
    let m = Module::new(&wat::parse_str(format!("(module {funcs})")).unwrap()).unwrap();
    let mut s = Store::default();
    let inst = Linker::new().instantiate(&mut s, &m).unwrap();
    let cmp = |c: &str, a: i64, b: i64, bits: u32| -> bool {
        let (ua, ub) = if bits == 32 {
            (a as u32 as u64, b as u32 as u64)
        } else {
            (a as u64, b as u64)
        };
        let (sa, sb) = if bits == 32 {
            (a as i32 as i64, b as i32 as i64)
        } else {
            (a, b)
        };
        match c {
            "eq" => ua == ub,
            "ne" => ua != ub,
            "lt_s" => sa < sb,
            "lt_u" => ua < ub,
            "gt_s" => sa > sb,
            "gt_u" => ua > ub,
            "le_s" => sa <= sb,
            "le_u" => ua <= ub,
            "ge_s" => sa >= sb,
            _ => ua >= ub,
        }
    };
    // The reference: the same loop in Rust.
    let model = |c: &str, start: i64, step: i64, lim: i64, rev: bool, bits: u32| -> i32 {
        let (mut i, mut n) = (start, 0);
        loop {
            n += 1;
            if n >= 100 {
                return n;
            }
            i = if bits == 32 {
                (i as i32).wrapping_add(step as i32) as i64
            } else {
                i.wrapping_add(step)
            };
            let go = if rev {
                cmp(c, lim, i, bits)
            } else {
                cmp(c, i, lim, bits)
            };
            if !go {
                return n;
            }
        }
    };
    for c in cmps {
        for start in [-7i64, 0, 5, 20, 0x7fff_fff0] {
            let a32 = |v: i64| Val::I32(v as i32);
            let got = |s: &mut Store, name: &str, args: &[Val]| match call(s, inst, name, args)
                .unwrap()[..]
            {
                [Val::I32(v)] => v,
                _ => panic!(),
            };
            assert_eq!(
                got(&mut s, &format!("add_{c}"), &[a32(start), a32(3), a32(20)]),
                model(c, start, 3, 20, false, 32),
                "add_{c}({start})"
            );
            assert_eq!(
                got(
                    &mut s,
                    &format!("addimm_{c}"),
                    &[a32(start), a32(0), a32(0)]
                ),
                model(c, start, 3, 20, false, 32),
                "addimm_{c}({start})"
            );
            assert_eq!(
                got(&mut s, &format!("rev_{c}"), &[a32(start), a32(0), a32(20)]),
                model(c, start, 3, 20, true, 32),
                "rev_{c}({start})"
            );
            let a64 = Val::I64(start * 0x1_0000_0001);
            assert_eq!(
                got(
                    &mut s,
                    &format!("imm64_{c}"),
                    &[a64, Val::I64(0), Val::I64(0)]
                ),
                model(c, start * 0x1_0000_0001, 3, 20, false, 64),
                "imm64_{c}({start})"
            );
        }
    }
}
