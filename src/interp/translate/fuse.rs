//! Superinstructions: every rule that fuses a pair of adjacent ops, in one place.
//!
//! A fused pair's superinstruction is placed on the first of the two ops: its handler
//! executes both and skips the second, which stays in place, intact, for branches that land on
//! it. A fused handler keeps its first op's operands and reads the second op's from the next
//! slot, so chains of fusions compose. The handlers live in `exec/h_fused.rs` (and
//! `CopyPair` in `exec/h_control.rs`); this file only decides which pairs fuse and with which
//! handler. Fusions:
//! - `Copy; Copy` (register rotations in loops);
//! - f64: a 64-bit load feeding an f64 add/sub/mul, an f64 add/sub/mul feeding a 64-bit store,
//!   an f64 operation feeding another (`a * b * c`), the linking value passed in a register;
//! - integer: an i32 load feeding a compare-and-branch on the loaded value, `i32.add imm` /
//!   `i32.shl imm` feeding a load through the result, two `i32.add imm`s, `i32.add imm` then a
//!   copy;
//! - loop closers: an integer addition whose sum a compare-and-branch tests.
//!
//! For a pair with a comparison against a slot, the first op's spare `d` operand carries the
//! comparison's other slot, and the comparison is normalised so that the linked value is its
//! left-hand side.

use super::cond::{Cmp, Cond};
use crate::interp::exec::fused::*;
use crate::interp::exec::handlers as h;
use crate::interp::isa::Instr;
use crate::interp::machine::{Handler, Op};

/// Replace the first op of each chosen pair of `ops` (the plain encoding of `code`) by its
/// superinstruction.
///
/// Candidates first, then the most weight of pairs that do not overlap (a pair's second op is
/// skipped by the fused handler, so fusing it again would only serve branches that land on
/// it): `best[i]` is the most weight in `code[i..]`.
pub(super) fn fuse(code: &[Instr], ops: &mut [Op]) {
    let n = code.len();
    let cand: Vec<Option<(Op, u32)>> = (0..n.saturating_sub(1))
        .map(|i| fused_op(&code[i], &code[i + 1], ops[i]))
        .collect();
    let mut best = vec![0u32; n + 2];
    for i in (0..cand.len()).rev() {
        let take = cand[i].map_or(0, |(_, w)| w + best[i + 2]);
        best[i] = best[i + 1].max(take);
    }
    let mut i = 0;
    while i < cand.len() {
        match cand[i] {
            Some((op, w)) if w + best[i + 2] >= best[i + 1] => {
                ops[i] = op;
                i += 2;
            }
            _ => i += 1,
        }
    }
}

/// The first op of the pair `(first, second)` turned into a superinstruction (`plain` is its
/// ordinary encoding) and the pair's weight, if the pair fuses. Float pairs weigh more: they
/// also take a slot round trip out of a long-latency dependency chain.
fn fused_op(first: &Instr, second: &Instr, plain: Op) -> Option<(Op, u32)> {
    if let Some(h) = fused(first, second) {
        return Some((Op { h, ..plain }, 2));
    }
    if let Some((h, d)) = fused_int(first, second).or_else(|| fused_add_branch(first, second)) {
        return Some((Op { h, d, ..plain }, 1));
    }
    if let (Instr::Copy { dst: d0, src: s0 }, Instr::Copy { dst: d1, src: s1 }) = (*first, *second)
    {
        let op = Op {
            h: h::control::CopyPair,
            a: d0,
            b: s0,
            c: d1,
            d: s1,
        };
        return Some((op, 1));
    }
    None
}

/// The fused handler for the pair `(first, second)`, if there is one.
fn fused(first: &Instr, second: &Instr) -> Option<Handler> {
    use Instr as I;
    let f64_op = |i: &Instr| match *i {
        I::F64Add { dst, lhs, rhs } => Some((F64Op::Add, dst, lhs, rhs)),
        I::F64Sub { dst, lhs, rhs } => Some((F64Op::Sub, dst, lhs, rhs)),
        I::F64Mul { dst, lhs, rhs } => Some((F64Op::Mul, dst, lhs, rhs)),
        I::F64Div { dst, lhs, rhs } => Some((F64Op::Div, dst, lhs, rhs)),
        _ => None,
    };
    // Which operand of `second` (an f64 operation) the value in slot `t` is.
    let side_of = |t: u32, second: &Instr| {
        let (_, _, lhs, rhs) = f64_op(second)?;
        if lhs == t {
            Some(Side::Lhs)
        } else if rhs == t {
            Some(Side::Rhs)
        } else {
            None
        }
    };
    match (first, second) {
        (I::I64Load { dst: t, .. } | I::I64LoadW { dst: t, .. }, _) => {
            let (op, ..) = f64_op(second)?;
            let side = side_of(*t, second)?;
            load_then_op(matches!(first, I::I64LoadW { .. }), op, side)
        }
        (_, I::I64Store { src, .. } | I::I64StoreW { src, .. }) => {
            let (op, dst, _, _) = f64_op(first)?;
            if dst != *src {
                return None;
            }
            op_then_store(op, matches!(second, I::I64StoreW { .. }))
        }
        _ => {
            let (op1, dst, ..) = f64_op(first)?;
            let (op2, ..) = f64_op(second)?;
            Some(op_then_op(op1, op2, side_of(dst, second)?))
        }
    }
}

/// The f64 operation of a fused pair.
#[derive(Clone, Copy)]
enum F64Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Which operand of the operation the loaded value is.
#[derive(Clone, Copy)]
enum Side {
    Lhs,
    Rhs,
}

/// The handler of f64 operation `first` whose result is operand `side` of `second`.
fn op_then_op(first: F64Op, second: F64Op, side: Side) -> Handler {
    use F64Op::*;
    use Side::{Lhs as L, Rhs as R};
    match (first, second, side) {
        (Add, Add, L) => AddAddL,
        (Add, Add, R) => AddAddR,
        (Add, Sub, L) => AddSubL,
        (Add, Sub, R) => AddSubR,
        (Add, Mul, L) => AddMulL,
        (Add, Mul, R) => AddMulR,
        (Add, Div, L) => AddDivL,
        (Add, Div, R) => AddDivR,
        (Sub, Add, L) => SubAddL,
        (Sub, Add, R) => SubAddR,
        (Sub, Sub, L) => SubSubL,
        (Sub, Sub, R) => SubSubR,
        (Sub, Mul, L) => SubMulL,
        (Sub, Mul, R) => SubMulR,
        (Sub, Div, L) => SubDivL,
        (Sub, Div, R) => SubDivR,
        (Mul, Add, L) => MulAddL,
        (Mul, Add, R) => MulAddR,
        (Mul, Sub, L) => MulSubL,
        (Mul, Sub, R) => MulSubR,
        (Mul, Mul, L) => MulMulL,
        (Mul, Mul, R) => MulMulR,
        (Mul, Div, L) => MulDivL,
        (Mul, Div, R) => MulDivR,
        (Div, Add, L) => DivAddL,
        (Div, Add, R) => DivAddR,
        (Div, Sub, L) => DivSubL,
        (Div, Sub, R) => DivSubR,
        (Div, Mul, L) => DivMulL,
        (Div, Mul, R) => DivMulR,
        (Div, Div, L) => DivDivL,
        (Div, Div, R) => DivDivR,
    }
}

/// The handler of a 64-bit load (`wrap`: the `W` form) feeding operation `op` as `side`.
/// `None` for division (not fused with loads).
fn load_then_op(wrap: bool, op: F64Op, side: Side) -> Option<Handler> {
    Some(match (wrap, op, side) {
        (false, F64Op::Add, Side::Lhs) => LoadAddL,
        (false, F64Op::Add, Side::Rhs) => LoadAddR,
        (false, F64Op::Sub, Side::Lhs) => LoadSubL,
        (false, F64Op::Sub, Side::Rhs) => LoadSubR,
        (false, F64Op::Mul, Side::Lhs) => LoadMulL,
        (false, F64Op::Mul, Side::Rhs) => LoadMulR,
        (true, F64Op::Add, Side::Lhs) => LoadWAddL,
        (true, F64Op::Add, Side::Rhs) => LoadWAddR,
        (true, F64Op::Sub, Side::Lhs) => LoadWSubL,
        (true, F64Op::Sub, Side::Rhs) => LoadWSubR,
        (true, F64Op::Mul, Side::Lhs) => LoadWMulL,
        (true, F64Op::Mul, Side::Rhs) => LoadWMulR,
        (_, F64Op::Div, _) => return None,
    })
}

/// The handler of operation `op` feeding a 64-bit store (`wrap`: the `W` form).
/// `None` for division (not fused with stores).
fn op_then_store(op: F64Op, wrap: bool) -> Option<Handler> {
    Some(match (op, wrap) {
        (F64Op::Add, false) => AddStore,
        (F64Op::Sub, false) => SubStore,
        (F64Op::Mul, false) => MulStore,
        (F64Op::Add, true) => AddStoreW,
        (F64Op::Sub, true) => SubStoreW,
        (F64Op::Mul, true) => MulStoreW,
        (F64Op::Div, _) => return None,
    })
}

/// The handler of a fused i32 load-and-branch testing `loaded <cmp> other` (`imm`: other is
/// the branch's immediate; `wrap`: the `W` load form).
fn load_branch(cmp: Cmp, wrap: bool, imm: bool) -> Handler {
    use Cmp::*;
    macro_rules! pick {
        ($($c:ident => $o:ident $ow:ident $oi:ident $owi:ident),*) => {
            match (cmp, wrap, imm) {
                $(($c, false, false) => $o, ($c, true, false) => $ow,
                  ($c, false, true) => $oi, ($c, true, true) => $owi,)*
            }
        };
    }
    pick!(
        Eq => LdBrEq LdWBrEq LdBrEqImm LdWBrEqImm,
        Ne => LdBrNe LdWBrNe LdBrNeImm LdWBrNeImm,
        LtS => LdBrLtS LdWBrLtS LdBrLtSImm LdWBrLtSImm,
        LtU => LdBrLtU LdWBrLtU LdBrLtUImm LdWBrLtUImm,
        GtS => LdBrGtS LdWBrGtS LdBrGtSImm LdWBrGtSImm,
        GtU => LdBrGtU LdWBrGtU LdBrGtUImm LdWBrGtUImm,
        LeS => LdBrLeS LdWBrLeS LdBrLeSImm LdWBrLeSImm,
        LeU => LdBrLeU LdWBrLeU LdBrLeUImm LdWBrLeUImm,
        GeS => LdBrGeS LdWBrGeS LdBrGeSImm LdWBrGeSImm,
        GeU => LdBrGeU LdWBrGeU LdBrGeUImm LdWBrGeUImm
    )
}

/// The fused handler for the integer pair `(first, second)` and the value for the first op's
/// spare `d` operand, if the pair fuses.
fn fused_int(first: &Instr, second: &Instr) -> Option<(Handler, u32)> {
    use Instr as I;
    match *first {
        I::I32Load { dst, .. } | I::I32LoadW { dst, .. } => {
            let wrap = matches!(first, I::I32LoadW { .. });
            match Cond::of_branch(second)? {
                Cond::Nez {
                    slot,
                    negated,
                    wide: false,
                } if slot == dst => Some((
                    match (negated, wrap) {
                        (false, false) => LdBrNez,
                        (false, true) => LdWBrNez,
                        (true, false) => LdBrEqz,
                        (true, true) => LdWBrEqz,
                    },
                    0,
                )),
                Cond::CmpImm {
                    cmp,
                    wide: false,
                    lhs,
                    ..
                } if lhs == dst => Some((load_branch(cmp, wrap, true), 0)),
                Cond::Cmp {
                    cmp,
                    wide: false,
                    lhs,
                    rhs,
                } => {
                    if lhs == dst {
                        Some((load_branch(cmp, wrap, false), rhs))
                    } else if rhs == dst {
                        Some((load_branch(cmp.swapped(), wrap, false), lhs))
                    } else {
                        None
                    }
                }
                _ => None,
            }
        }
        I::I32AddImm { dst, .. } | I::I32ShlImm { dst, .. } => {
            let add = matches!(first, I::I32AddImm { .. });
            let load = match *second {
                I::I32Load { addr, .. } if addr == dst => Some((false, false)),
                I::I32LoadW { addr, .. } if addr == dst => Some((true, false)),
                I::I64Load { addr, .. } if addr == dst => Some((false, true)),
                I::I64LoadW { addr, .. } if addr == dst => Some((true, true)),
                _ => None,
            };
            let h = match (load, add, second) {
                (Some((wrap, wide)), _, _) => match (add, wrap, wide) {
                    (true, false, false) => AddImmLd32,
                    (true, true, false) => AddImmLdW32,
                    (true, false, true) => AddImmLd64,
                    (true, true, true) => AddImmLdW64,
                    (false, false, false) => ShlImmLd32,
                    (false, true, false) => ShlImmLdW32,
                    (false, false, true) => ShlImmLd64,
                    (false, true, true) => ShlImmLdW64,
                },
                (None, true, I::I32AddImm { .. }) => AddImmAddImm,
                (None, true, I::Copy { .. }) => AddImmCopy,
                _ => return None,
            };
            Some((h, 0))
        }
        _ => None,
    }
}

/// Which addition a pair starts with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Add {
    I32,
    I32Imm,
    I64Imm,
}

fn handler(add: Add, imm: bool, cmp: Cmp) -> Option<Handler> {
    use Cmp::*;
    Some(match (add, imm, cmp) {
        (Add::I32, false, Eq) => AddBrEq,
        (Add::I32, false, Ne) => AddBrNe,
        (Add::I32, false, LtS) => AddBrLtS,
        (Add::I32, false, LtU) => AddBrLtU,
        (Add::I32, false, GtS) => AddBrGtS,
        (Add::I32, false, GtU) => AddBrGtU,
        (Add::I32, false, LeS) => AddBrLeS,
        (Add::I32, false, LeU) => AddBrLeU,
        (Add::I32, false, GeS) => AddBrGeS,
        (Add::I32, false, GeU) => AddBrGeU,
        (Add::I32, true, Eq) => AddBrEqImm,
        (Add::I32, true, Ne) => AddBrNeImm,
        (Add::I32, true, LtS) => AddBrLtSImm,
        (Add::I32, true, LtU) => AddBrLtUImm,
        (Add::I32, true, GtS) => AddBrGtSImm,
        (Add::I32, true, GtU) => AddBrGtUImm,
        (Add::I32, true, LeS) => AddBrLeSImm,
        (Add::I32, true, LeU) => AddBrLeUImm,
        (Add::I32, true, GeS) => AddBrGeSImm,
        (Add::I32, true, GeU) => AddBrGeUImm,
        (Add::I32Imm, false, Eq) => AddImmBrEq,
        (Add::I32Imm, false, Ne) => AddImmBrNe,
        (Add::I32Imm, false, LtS) => AddImmBrLtS,
        (Add::I32Imm, false, LtU) => AddImmBrLtU,
        (Add::I32Imm, false, GtS) => AddImmBrGtS,
        (Add::I32Imm, false, GtU) => AddImmBrGtU,
        (Add::I32Imm, false, LeS) => AddImmBrLeS,
        (Add::I32Imm, false, LeU) => AddImmBrLeU,
        (Add::I32Imm, false, GeS) => AddImmBrGeS,
        (Add::I32Imm, false, GeU) => AddImmBrGeU,
        (Add::I32Imm, true, Eq) => AddImmBrEqImm,
        (Add::I32Imm, true, Ne) => AddImmBrNeImm,
        (Add::I32Imm, true, LtS) => AddImmBrLtSImm,
        (Add::I32Imm, true, LtU) => AddImmBrLtUImm,
        (Add::I32Imm, true, GtS) => AddImmBrGtSImm,
        (Add::I32Imm, true, GtU) => AddImmBrGtUImm,
        (Add::I32Imm, true, LeS) => AddImmBrLeSImm,
        (Add::I32Imm, true, LeU) => AddImmBrLeUImm,
        (Add::I32Imm, true, GeS) => AddImmBrGeSImm,
        (Add::I32Imm, true, GeU) => AddImmBrGeUImm,
        (Add::I64Imm, true, Eq) => AddImm64BrEqImm,
        (Add::I64Imm, true, Ne) => AddImm64BrNeImm,
        (Add::I64Imm, true, LtS) => AddImm64BrLtSImm,
        (Add::I64Imm, true, LtU) => AddImm64BrLtUImm,
        (Add::I64Imm, true, GtS) => AddImm64BrGtSImm,
        (Add::I64Imm, true, GtU) => AddImm64BrGtUImm,
        (Add::I64Imm, true, LeS) => AddImm64BrLeSImm,
        (Add::I64Imm, true, LeU) => AddImm64BrLeUImm,
        (Add::I64Imm, true, GeS) => AddImm64BrGeSImm,
        (Add::I64Imm, true, GeU) => AddImm64BrGeUImm,
        (Add::I64Imm, false, _) => return None,
    })
}

/// The fused handler for the pair (addition `first`, branch `second` testing its sum) and the
/// value for the addition op's spare `d` operand, if the pair fuses.
fn fused_add_branch(first: &Instr, second: &Instr) -> Option<(Handler, u32)> {
    use Instr as I;
    let (add, dst) = match *first {
        I::I32Add { dst, .. } => (Add::I32, dst),
        I::I32AddImm { dst, .. } => (Add::I32Imm, dst),
        I::I64AddImm { dst, .. } => (Add::I64Imm, dst),
        _ => return None,
    };
    let wide = add == Add::I64Imm;
    match Cond::of_branch(second)? {
        Cond::CmpImm {
            cmp, wide: w, lhs, ..
        } if w == wide && lhs == dst => Some((handler(add, true, cmp)?, 0)),
        Cond::Cmp {
            cmp,
            wide: false,
            lhs,
            rhs,
        } if !wide => {
            if lhs == dst {
                Some((handler(add, false, cmp)?, rhs))
            } else if rhs == dst {
                Some((handler(add, false, cmp.swapped())?, lhs))
            } else {
                None
            }
        }
        _ => None,
    }
}
