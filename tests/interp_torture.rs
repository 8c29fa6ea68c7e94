//! Torture test for the threaded executor: every op family runs a million times on a thread
//! with a small native stack. In optimised builds the handlers pass control with sibling tail
//! calls; if one of them lost its tail call, each execution would leave a native frame behind
//! and this test would die with a stack overflow instead of finishing.

use cwamr::runtime::{Extern, HostFunc};
use cwamr::{FuncType, Linker, Module, Store, Val, ValType};

const INT_BIN: &[&str] = &[
    "add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "eq", "ne",
    "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u", "div_s", "div_u", "rem_s",
    "rem_u",
];
const FLOAT_BIN: &[&str] = &[
    "add", "sub", "mul", "div", "min", "max", "copysign", "eq", "ne", "lt", "gt", "le", "ge",
];
const INT_UN: &[&str] = &["clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s"];
const FLOAT_UN: &[&str] = &["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"];
const CONVERSIONS: &[&str] = &[
    "(i32.wrap_i64 (local.get $b))",
    "(i64.extend_i32_s (local.get $a))",
    "(i64.extend_i32_u (local.get $a))",
    "(i64.extend32_s (local.get $b))",
    "(i32.trunc_f32_s (local.get $x))",
    "(i32.trunc_f32_u (f32.abs (local.get $x)))",
    "(i32.trunc_f64_s (local.get $y))",
    "(i32.trunc_f64_u (f64.abs (local.get $y)))",
    "(i64.trunc_f32_s (local.get $x))",
    "(i64.trunc_f32_u (f32.abs (local.get $x)))",
    "(i64.trunc_f64_s (local.get $y))",
    "(i64.trunc_f64_u (f64.abs (local.get $y)))",
    "(i32.trunc_sat_f32_s (local.get $x))",
    "(i32.trunc_sat_f32_u (local.get $x))",
    "(i32.trunc_sat_f64_s (local.get $y))",
    "(i32.trunc_sat_f64_u (local.get $y))",
    "(i64.trunc_sat_f32_s (local.get $x))",
    "(i64.trunc_sat_f32_u (local.get $x))",
    "(i64.trunc_sat_f64_s (local.get $y))",
    "(i64.trunc_sat_f64_u (local.get $y))",
    "(f32.convert_i32_s (local.get $a))",
    "(f32.convert_i32_u (local.get $a))",
    "(f32.convert_i64_s (local.get $b))",
    "(f32.convert_i64_u (local.get $b))",
    "(f32.demote_f64 (local.get $y))",
    "(f64.convert_i32_s (local.get $a))",
    "(f64.convert_i32_u (local.get $a))",
    "(f64.convert_i64_s (local.get $b))",
    "(f64.convert_i64_u (local.get $b))",
    "(f64.promote_f32 (local.get $x))",
    "(i32.reinterpret_f32 (local.get $x))",
    "(ref.is_null (ref.null func))",
    "(ref.func $helper)",
    "(memory.size)",
    "(table.size $t)",
    "(table.get $t (i32.const 0))",
    "(global.get $g)",
    "(select (local.get $a) (i32.const 7) (local.get $a))",
];
const LOADS: &[&str] = &[
    "i32.load",
    "i64.load",
    "f32.load",
    "f64.load",
    "i32.load8_s",
    "i32.load8_u",
    "i32.load16_s",
    "i32.load16_u",
    "i64.load8_s",
    "i64.load8_u",
    "i64.load16_s",
    "i64.load16_u",
    "i64.load32_s",
    "i64.load32_u",
];

/// A module whose `run(n)` executes every op family `n` times and returns a checksum.
fn module_text() -> String {
    let mut body = String::new();
    for t in ["i32", "i64"] {
        let (l, r) = if t == "i32" {
            ("$a", "$c")
        } else {
            ("$b", "$d")
        };
        for op in INT_BIN {
            body.push_str(&format!(
                "(drop ({t}.{op} (local.get {l}) (local.get {r})))\n"
            ));
            body.push_str(&format!(
                "(drop ({t}.{op} (local.get {l}) ({t}.const 3)))\n"
            ));
        }
        for op in INT_UN {
            body.push_str(&format!("(drop ({t}.{op} (local.get {l})))\n"));
        }
        for cmp in [
            "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
        ] {
            body.push_str(&format!(
                "(block (br_if 0 ({t}.{cmp} (local.get {l}) (local.get {r}))))\n\
                 (block (br_if 0 ({t}.{cmp} (local.get {l}) ({t}.const 5))))\n"
            ));
        }
        body.push_str(&format!(
            "(block (br_if 0 ({t}.eqz (local.get {l}))))\n(block (br_if 0 ({t}.ne (local.get {l}) ({t}.const 0))))\n"
        ));
    }
    for t in ["f32", "f64"] {
        let (l, r) = if t == "f32" {
            ("$x", "$x")
        } else {
            ("$y", "$y")
        };
        for op in FLOAT_BIN {
            body.push_str(&format!(
                "(drop ({t}.{op} (local.get {l}) (local.get {r})))\n"
            ));
            body.push_str(&format!(
                "(drop ({t}.{op} (local.get {l}) ({t}.const 1.5)))\n"
            ));
        }
        for op in FLOAT_UN {
            body.push_str(&format!("(drop ({t}.{op} (local.get {l})))\n"));
        }
    }
    // f64 operation pairs (superinstructions), the first result on either side.
    for a in ["add", "sub", "mul", "div"] {
        for b in ["add", "sub", "mul", "div"] {
            body.push_str(&format!(
                "(drop (f64.{b} (f64.{a} (local.get $y) (local.get $y)) (local.get $y)))\n\
                 (drop (f64.{b} (local.get $y) (f64.{a} (local.get $y) (local.get $y))))\n"
            ));
        }
    }
    // Loop-closing add → compare-and-branch pairs (immediate and slot forms, i32 and i64).
    for c in ["ne", "lt_u", "lt_s", "le_s", "gt_u", "ge_s"] {
        let (lim, start) = if c.starts_with("gt") || c.starts_with("ge") {
            ("-3", "0")
        } else {
            ("3", "0")
        };
        let step = if lim.starts_with('-') { "-1" } else { "1" };
        body.push_str(&format!(
            "(local.set $q (i32.const {start}))\n\
             (loop $w (local.set $q (i32.add (local.get $q) (i32.const {step})))\n\
               (br_if $w (i32.{c} (local.get $q) (i32.const {lim}))))\n"
        ));
        if step == "1" {
            // Slot form: count up to $c (7).
            body.push_str(&format!(
                "(local.set $q (i32.const 0)) (local.set $r (i32.const 1))\n\
                 (loop $w (local.set $q (i32.add (local.get $q) (local.get $r)))\n\
                   (br_if $w (i32.{c} (local.get $q) (local.get $c))))\n"
            ));
        }
    }
    body.push_str(
        "(local.set $d (i64.const 0))\n\
         (loop $w (local.set $d (i64.add (local.get $d) (i64.const 1)))\n\
           (br_if $w (i64.ne (local.get $d) (i64.const 3))))\n\
         (local.set $d (i64.const 11))\n",
    );
    for c in CONVERSIONS {
        body.push_str(&format!("(drop {c})\n"));
    }
    for ld in LOADS {
        body.push_str(&format!("(drop ({ld} offset=8 (local.get $p)))\n"));
        body.push_str(&format!(
            "(drop ({ld} (i32.add (local.get $p) (i32.const 16))))\n"
        ));
    }
    // Superinstructions: i32 load → compare-and-branch (slot on either side, immediate,
    // zero tests; offset and wrapping forms), add/shl imm → load, add imm pairs and copies.
    for cmp in [
        "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
    ] {
        for ld in [
            "(i32.load offset=8 (local.get $p))",
            "(i32.load (i32.add (local.get $p) (i32.const 16)))",
        ] {
            body.push_str(&format!(
                "(block (br_if 0 (i32.{cmp} {ld} (local.get $c))))
                 (block (br_if 0 (i32.{cmp} (local.get $c) {ld})))
                 (block (br_if 0 (i32.{cmp} {ld} (i32.const 5))))
"
            ));
        }
    }
    for ld in [
        "(i32.load offset=8 (local.get $p))",
        "(i32.load (i32.add (local.get $p) (i32.const 16)))",
    ] {
        body.push_str(&format!(
            "(block (br_if 0 {ld}))
(block (br_if 0 (i32.eqz {ld})))
"
        ));
    }
    for (op, k) in [("add", 8), ("shl", 1)] {
        for ld in ["i32.load", "i64.load"] {
            body.push_str(&format!(
                "(local.set $q (i32.{op} (local.get $p) (i32.const {k})))
                 (drop ({ld} (local.get $q)))
                 (local.set $q (i32.{op} (local.get $p) (i32.const {k})))
                 (drop ({ld} (i32.add (local.get $q) (i32.const 4))))
"
            ));
        }
    }
    body.push_str(
        "(local.set $q (i32.add (local.get $c) (i32.const 1)))
         (local.set $r (i32.add (local.get $q) (i32.const 2)))
         (local.set $q (i32.add (local.get $c) (i32.const 1)))
         (local.set $r (local.get $a))
",
    );
    for (st, v) in [
        ("i32.store", "(local.get $a)"),
        ("i64.store", "(local.get $b)"),
        ("f32.store", "(local.get $x)"),
        ("f64.store", "(local.get $y)"),
        ("i32.store8", "(local.get $a)"),
        ("i32.store16", "(local.get $a)"),
        ("i64.store8", "(local.get $b)"),
        ("i64.store16", "(local.get $b)"),
        ("i64.store32", "(local.get $b)"),
    ] {
        body.push_str(&format!("({st} offset=32 (local.get $p) {v})\n"));
        body.push_str(&format!(
            "({st} (i32.add (local.get $p) (i32.const 48)) {v})\n"
        ));
    }
    body.push_str(
        "(memory.fill (i32.const 256) (local.get $a) (i32.const 16))\n\
         (memory.copy (i32.const 512) (i32.const 256) (i32.const 16))\n\
         (memory.init $d (i32.const 768) (i32.const 0) (i32.const 4))\n\
         (drop (memory.grow (i32.const 0)))\n\
         (table.set $t (i32.const 1) (ref.func $helper))\n\
         (drop (table.grow $t (ref.null func) (i32.const 0)))\n\
         (table.fill $t (i32.const 2) (ref.null func) (i32.const 1))\n\
         (table.copy $t $t (i32.const 3) (i32.const 1) (i32.const 1))\n\
         (table.init $t $e (i32.const 4) (i32.const 0) (i32.const 1))\n\
         (global.set $g (local.get $a))\n\
         (local.set $sum (i32.add (local.get $sum) (call $helper (local.get $a))))\n\
         (local.set $sum (i32.add (local.get $sum) (call $host (local.get $a))))\n\
         (local.set $sum (i32.add (local.get $sum)\n\
            (call_indirect $t (type $unop) (local.get $a) (i32.const 1))))\n\
         (block $b0 (block $b1 (block $b2\n\
            (br_table $b0 $b1 $b2 (i32.and (local.get $i) (i32.const 3))))))\n\
         (local.set $sum (i32.add (local.get $sum) (call $multi)))\n",
    );
    format!(
        r#"(module
  (type $unop (func (param i32) (result i32)))
  (import "env" "host" (func $host (type $unop)))
  (memory 1)
  (table $t 8 funcref)
  (global $g (mut i32) (i32.const 0))
  (data $d "\01\02\03\04")
  (elem $e func $helper)
  (func $helper (type $unop) (i32.add (local.get 0) (i32.const 1)))
  (func $multi (result i32) (local i32)
    (block (result i32) (i32.const 2)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $a i32) (local $b i64) (local $c i32) (local $d i64)
    (local $x f32) (local $y f64) (local $p i32) (local $sum i32) (local $q i32) (local $r i32)
    (local.set $a (i32.const 12345)) (local.set $b (i64.const 987654321))
    (local.set $c (i32.const 7)) (local.set $d (i64.const 11))
    (local.set $x (f32.const 2.5)) (local.set $y (f64.const -3.25))
    (local.set $p (i32.const 64))
    (block $exit
      (loop $top
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
{body}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $sum)))"#
    )
}

fn run_torture(n: i32) -> i32 {
    let wasm = wat::parse_str(module_text()).expect("torture module assembles");
    let module = Module::new(&wasm).expect("torture module validates");
    let mut store = Store::default();
    let mut linker = Linker::new();
    linker.func(
        "env",
        "host",
        HostFunc::new(FuncType::new([ValType::I32], [ValType::I32]), |_, c| {
            c[0] = u64::from((c[0] as u32).wrapping_mul(2));
            Ok(())
        }),
    );
    let inst = linker
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let Some(Extern::Func(f)) = store.instance(inst).unwrap().export("run") else {
        panic!("no run export")
    };
    match store.call(f, &[Val::I32(n)]).expect("runs").as_slice() {
        [Val::I32(v)] => *v,
        other => panic!("unexpected results {other:?}"),
    }
}

#[test]
fn every_op_family_runs_a_million_times_on_a_small_native_stack() {
    let n = 1_000_000;
    let r = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || run_torture(n))
        .expect("thread starts")
        .join()
        .expect("no stack overflow");
    // Per iteration: helper(a) = a + 1, host(a) = 2a, call_indirect helper = a + 1, multi = 2.
    let a: i32 = 12345;
    let per_iter = (a + 1) + 2 * a + (a + 1) + 2;
    assert_eq!(r, per_iter.wrapping_mul(n));
}
