//! Loop-closing superinstructions: an integer addition whose result a compare-and-branch tests
//! (`i += step; if (i < n) continue`, `i++; if (i != n) continue`).
//!
//! As in `h_fused`, the handler executes its own op (operands in `op`) and then the branch
//! (operands read from `ip + 1`, which keeps its own plain handler for branches that land on
//! it), with the sum in a register; it continues at `ip + 2` or branches relative to `ip + 1`.
//! The sum is still written to its slot. For a slot comparison the encoder puts the other
//! operand's slot in the addition op's spare `d` field and normalises the comparison so that
//! the sum is its left-hand side.

use crate::interp::isa::Instr;
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

/// A comparison of a fused add-and-branch, with the sum on the left.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cmp {
    /// The comparison with its operands exchanged (`a < b` is `b > a`).
    fn swapped(self) -> Cmp {
        use Cmp::*;
        match self {
            Eq => Eq,
            Ne => Ne,
            LtS => GtS,
            LtU => GtU,
            GtS => LtS,
            GtU => LtU,
            LeS => GeS,
            LeU => GeU,
            GeS => LeS,
            GeU => LeU,
        }
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

/// The i32 compare-and-branch `i` as (comparison, lhs, rhs slot or immediate, is_imm).
fn branch_i32(i: &Instr) -> Option<(Cmp, u32, u32, bool)> {
    use Instr as I;
    Some(match *i {
        I::BrI32Eq { lhs, rhs, .. } => (Cmp::Eq, lhs, rhs, false),
        I::BrI32Ne { lhs, rhs, .. } => (Cmp::Ne, lhs, rhs, false),
        I::BrI32LtS { lhs, rhs, .. } => (Cmp::LtS, lhs, rhs, false),
        I::BrI32LtU { lhs, rhs, .. } => (Cmp::LtU, lhs, rhs, false),
        I::BrI32GtS { lhs, rhs, .. } => (Cmp::GtS, lhs, rhs, false),
        I::BrI32GtU { lhs, rhs, .. } => (Cmp::GtU, lhs, rhs, false),
        I::BrI32LeS { lhs, rhs, .. } => (Cmp::LeS, lhs, rhs, false),
        I::BrI32LeU { lhs, rhs, .. } => (Cmp::LeU, lhs, rhs, false),
        I::BrI32GeS { lhs, rhs, .. } => (Cmp::GeS, lhs, rhs, false),
        I::BrI32GeU { lhs, rhs, .. } => (Cmp::GeU, lhs, rhs, false),
        I::BrI32EqImm { lhs, imm, .. } => (Cmp::Eq, lhs, imm as u32, true),
        I::BrI32NeImm { lhs, imm, .. } => (Cmp::Ne, lhs, imm as u32, true),
        I::BrI32LtSImm { lhs, imm, .. } => (Cmp::LtS, lhs, imm as u32, true),
        I::BrI32LtUImm { lhs, imm, .. } => (Cmp::LtU, lhs, imm as u32, true),
        I::BrI32GtSImm { lhs, imm, .. } => (Cmp::GtS, lhs, imm as u32, true),
        I::BrI32GtUImm { lhs, imm, .. } => (Cmp::GtU, lhs, imm as u32, true),
        I::BrI32LeSImm { lhs, imm, .. } => (Cmp::LeS, lhs, imm as u32, true),
        I::BrI32LeUImm { lhs, imm, .. } => (Cmp::LeU, lhs, imm as u32, true),
        I::BrI32GeSImm { lhs, imm, .. } => (Cmp::GeS, lhs, imm as u32, true),
        I::BrI32GeUImm { lhs, imm, .. } => (Cmp::GeU, lhs, imm as u32, true),
        _ => return None,
    })
}

/// The i64 compare-with-immediate-and-branch `i` as (comparison, lhs).
fn branch_i64_imm(i: &Instr) -> Option<(Cmp, u32)> {
    use Instr as I;
    Some(match *i {
        I::BrI64EqImm { lhs, .. } => (Cmp::Eq, lhs),
        I::BrI64NeImm { lhs, .. } => (Cmp::Ne, lhs),
        I::BrI64LtSImm { lhs, .. } => (Cmp::LtS, lhs),
        I::BrI64LtUImm { lhs, .. } => (Cmp::LtU, lhs),
        I::BrI64GtSImm { lhs, .. } => (Cmp::GtS, lhs),
        I::BrI64GtUImm { lhs, .. } => (Cmp::GtU, lhs),
        I::BrI64LeSImm { lhs, .. } => (Cmp::LeS, lhs),
        I::BrI64LeUImm { lhs, .. } => (Cmp::LeU, lhs),
        I::BrI64GeSImm { lhs, .. } => (Cmp::GeS, lhs),
        I::BrI64GeUImm { lhs, .. } => (Cmp::GeU, lhs),
        _ => return None,
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
    if add == Add::I64Imm {
        let (cmp, lhs) = branch_i64_imm(second)?;
        return (lhs == dst).then_some((handler(add, true, cmp)?, 0));
    }
    let (cmp, lhs, rhs, imm) = branch_i32(second)?;
    if imm {
        (lhs == dst).then_some((handler(add, true, cmp)?, 0))
    } else if lhs == dst {
        Some((handler(add, false, cmp)?, rhs))
    } else if rhs == dst {
        Some((handler(add, false, cmp.swapped())?, lhs))
    } else {
        None
    }
}
