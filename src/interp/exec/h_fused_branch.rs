//! Loop-closing superinstructions: an integer addition whose result a compare-and-branch tests
//! (`i += step; if (i < n) continue`, `i++; if (i != n) continue`).
//!
//! As in `h_fused`, the handler executes its own op (operands in `op`) and then the branch
//! (operands read from `ip + 1`, which keeps its own plain handler for branches that land on
//! it), with the sum in a register; it continues at `ip + 2` or branches relative to `ip + 1`.
//! The sum is still written to its slot. For a slot comparison the encoder puts the other
//! operand's slot in the addition op's spare `d` field and normalises the comparison so that
//! the sum is its left-hand side.

use crate::interp::isa::{Cmp, Cond, Instr};
use crate::interp::op::Handler;

/// The sum of the addition op `op`: `i32.add`, `i32.add imm`, `i64.add imm` (immediates are
/// sign-extended like the plain `*Imm` handlers).
macro_rules! sum {
    (sum32, $op:ident, $sp:ident) => {
        u64::from((rd!($sp, $op.b) as u32).wrapping_add(rd!($sp, $op.c) as u32))
    };
    (sumimm32, $op:ident, $sp:ident) => {
        u64::from((rd!($sp, $op.b) as u32).wrapping_add($op.c))
    };
    (sumimm64, $op:ident, $sp:ident) => {
        rd!($sp, $op.b).wrapping_add(i64::from($op.c as i32) as u64)
    };
}

/// An addition, then a branch on `sum <cmp> other`, where `other` is slot `op.d` (`slot`) or
/// the branch's immediate (`imm`, sign-extended like the plain `*Imm` branches).
macro_rules! add_br {
    ($($name:ident, $sum:ident, $t:ty, $cmp:tt, $form:ident;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let sum: u64 = sum!($sum, op, sp);
            wr!(sp, op.a, sum);
            // SAFETY: the fused branch follows (encoder invariant).
            let br = unsafe { ip.add(1) };
            // SAFETY: as above.
            let o2 = unsafe { &*br };
            let other: u64 = add_br!(@other $form, op, sp, o2);
            if (sum as $t) $cmp (other as $t) {
                jump!(br, o2.c, sp, mem, len, cx);
            }
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    )*};
    (@other slot, $op:ident, $sp:ident, $o2:ident) => { rd!($sp, $op.d) };
    (@other imm, $op:ident, $sp:ident, $o2:ident) => { i64::from($o2.b as i32) as u64 };
}

add_br! {
    AddBrEq, sum32, u32, ==, slot;
    AddBrNe, sum32, u32, !=, slot;
    AddBrLtS, sum32, i32, <, slot;
    AddBrLtU, sum32, u32, <, slot;
    AddBrGtS, sum32, i32, >, slot;
    AddBrGtU, sum32, u32, >, slot;
    AddBrLeS, sum32, i32, <=, slot;
    AddBrLeU, sum32, u32, <=, slot;
    AddBrGeS, sum32, i32, >=, slot;
    AddBrGeU, sum32, u32, >=, slot;
    AddBrEqImm, sum32, u32, ==, imm;
    AddBrNeImm, sum32, u32, !=, imm;
    AddBrLtSImm, sum32, i32, <, imm;
    AddBrLtUImm, sum32, u32, <, imm;
    AddBrGtSImm, sum32, i32, >, imm;
    AddBrGtUImm, sum32, u32, >, imm;
    AddBrLeSImm, sum32, i32, <=, imm;
    AddBrLeUImm, sum32, u32, <=, imm;
    AddBrGeSImm, sum32, i32, >=, imm;
    AddBrGeUImm, sum32, u32, >=, imm;
    AddImmBrEq, sumimm32, u32, ==, slot;
    AddImmBrNe, sumimm32, u32, !=, slot;
    AddImmBrLtS, sumimm32, i32, <, slot;
    AddImmBrLtU, sumimm32, u32, <, slot;
    AddImmBrGtS, sumimm32, i32, >, slot;
    AddImmBrGtU, sumimm32, u32, >, slot;
    AddImmBrLeS, sumimm32, i32, <=, slot;
    AddImmBrLeU, sumimm32, u32, <=, slot;
    AddImmBrGeS, sumimm32, i32, >=, slot;
    AddImmBrGeU, sumimm32, u32, >=, slot;
    AddImmBrEqImm, sumimm32, u32, ==, imm;
    AddImmBrNeImm, sumimm32, u32, !=, imm;
    AddImmBrLtSImm, sumimm32, i32, <, imm;
    AddImmBrLtUImm, sumimm32, u32, <, imm;
    AddImmBrGtSImm, sumimm32, i32, >, imm;
    AddImmBrGtUImm, sumimm32, u32, >, imm;
    AddImmBrLeSImm, sumimm32, i32, <=, imm;
    AddImmBrLeUImm, sumimm32, u32, <=, imm;
    AddImmBrGeSImm, sumimm32, i32, >=, imm;
    AddImmBrGeUImm, sumimm32, u32, >=, imm;
    AddImm64BrEqImm, sumimm64, u64, ==, imm;
    AddImm64BrNeImm, sumimm64, u64, !=, imm;
    AddImm64BrLtSImm, sumimm64, i64, <, imm;
    AddImm64BrLtUImm, sumimm64, u64, <, imm;
    AddImm64BrGtSImm, sumimm64, i64, >, imm;
    AddImm64BrGtUImm, sumimm64, u64, >, imm;
    AddImm64BrLeSImm, sumimm64, i64, <=, imm;
    AddImm64BrLeUImm, sumimm64, u64, <=, imm;
    AddImm64BrGeSImm, sumimm64, i64, >=, imm;
    AddImm64BrGeUImm, sumimm64, u64, >=, imm;
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
pub(crate) fn fused_add_branch(first: &Instr, second: &Instr) -> Option<(Handler, u32)> {
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
