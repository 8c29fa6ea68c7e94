//! The encoder: translated code ([`Instr`]s) to executable ops, one op per instruction at the
//! same index (so branch offsets carry over unchanged), then superinstructions (`fuse.rs`).
//!
//! `encode_one` and with it the handler table (which handler executes which op) are generated
//! from the op table (`isa::for_each_op!`): each op's fields go to the operands the table
//! names, and its handler is the function of the op's name in the handler file the table names.

use super::fuse;
use crate::interp::exec::handlers as h;
use crate::interp::isa::{Instr, OperandBits, for_each_op};
use crate::interp::machine::Op;

/// Store field value `$v` in operand `$pos` of `$op` (`cd`: a 64-bit value in `c` and `d`).
macro_rules! put {
    ($op:ident, a, $v:expr) => {
        $op.a = OperandBits::bits($v)
    };
    ($op:ident, b, $v:expr) => {
        $op.b = OperandBits::bits($v)
    };
    ($op:ident, c, $v:expr) => {
        $op.c = OperandBits::bits($v)
    };
    ($op:ident, cd, $v:expr) => {{
        let v: u64 = $v;
        $op.c = v as u32;
        $op.d = (v >> 32) as u32;
    }};
}

macro_rules! define_encoder {
    ($(
        $(#[$doc:meta])* $file:ident $name:ident
        { $($f:ident: $t:ty => $pos:ident),* } ($($role:tt)*);
    )*) => {
        /// The op executing `i` (unfused).
        pub(super) fn encode_one(i: &Instr) -> Op {
            match *i {
                $(Instr::$name { $($f),* } => {
                    #[allow(unused_mut)]
                    let mut op = Op::new(h::$file::$name, 0, 0, 0);
                    $(put!(op, $pos, $f);)*
                    op
                })*
            }
        }
    };
}

for_each_op!(define_encoder);

/// Encode translated code for execution: one op per instruction, then the superinstructions
/// `fuse::fuse` picks for adjacent pairs.
pub(crate) fn encode(code: &[Instr]) -> Box<[Op]> {
    let mut ops: Vec<Op> = code.iter().map(encode_one).collect();
    fuse::fuse(code, &mut ops);
    ops.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TrapCode;

    /// The encoder puts each field where the op table says, including the 64-bit and signed
    /// operands, and picks the handler of the op's name.
    #[test]
    fn fields_go_to_the_operands_the_table_names() {
        let op = encode_one(&Instr::Const {
            dst: 7,
            val: 0x1122_3344_5566_7788,
        });
        assert_eq!((op.a, op.b, op.imm64()), (7, 0, 0x1122_3344_5566_7788));
        assert_eq!(
            op.h as *const () as usize,
            h::control::Const as *const () as usize
        );

        let op = encode_one(&Instr::BrI32LtSImm {
            lhs: 3,
            imm: -5,
            offset: -2,
        });
        assert_eq!((op.a, op.b as i32, op.c as i32, op.d), (3, -5, -2, 0));
        assert_eq!(
            op.h as *const () as usize,
            h::control::BrI32LtSImm as *const () as usize
        );

        let op = encode_one(&Instr::Trap {
            code: TrapCode::IntegerOverflow,
        });
        assert_eq!(op.a, TrapCode::IntegerOverflow as u32);

        let op = encode_one(&Instr::I64StoreW {
            addr: 1,
            src: 2,
            disp: 0xFFFF_FFF0,
        });
        assert_eq!((op.a, op.b, op.c), (1, 2, 0xFFFF_FFF0));
        assert_eq!(
            op.h as *const () as usize,
            h::memory::I64StoreW as *const () as usize
        );
    }

    /// The role accessors come from the table's role column.
    #[test]
    fn roles_follow_the_table() {
        let mut add = Instr::I32Add {
            dst: 4,
            lhs: 1,
            rhs: 2,
        };
        assert_eq!(add.result_slot_mut().copied(), Some(4));
        assert_eq!(add.branch_offset_mut(), None);
        let mut copy = Instr::Copy { dst: 4, src: 1 };
        assert_eq!(copy.result_slot_mut(), None);
        let mut br = Instr::BrIfEqz { cond: 0, offset: 9 };
        assert_eq!(br.branch_offset_mut().copied(), Some(9));
        assert_eq!(br.name(), "BrIfEqz");
    }
}
