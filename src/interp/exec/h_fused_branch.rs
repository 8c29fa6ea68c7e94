//! Loop-closing superinstructions: an integer addition whose result a compare-and-branch tests
//! (`i += step; if (i < n) continue`, `i++; if (i != n) continue`).
//!
//! As in `h_fused`, the handler executes its own op (operands in `op`) and then the branch
//! (operands read from `ip + 1`, which keeps its own plain handler for branches that land on
//! it), with the sum in a register; it continues at `ip + 2` or branches relative to `ip + 1`.
//! The sum is still written to its slot. For a slot comparison the encoder puts the other
//! operand's slot in the addition op's spare `d` field and normalises the comparison so that
//! the sum is its left-hand side.

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
